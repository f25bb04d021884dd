/**
 * Property-based proof that every option is either refused with an error naming it, or accepted
 * and then in effect as documented. For each option the documented rule (the oracle below, written
 * from docs/engine.md, not from the validator) must agree with the breaker on every generated
 * value, and an accepted value must show in the breaker's behaviour or its snapshot.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import {
  Breaker,
  CapacityExceededError,
  OPTION_NAMES,
  type BreakerOptions,
} from '../../lib/index.js';

const MAX_MS = 2 ** 31 - 1;
const RUNS = Number(process.env['PROPERTY_RUNS'] ?? 400);

/** Values a careless or hostile caller might pass, weighted toward the edges. */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    0.5,
    0.999,
    1,
    1.5,
    9,
    10,
    50,
    99.9,
    100,
    100.1,
    60_000,
    MAX_MS,
    MAX_MS + 1,
    3e9,
    Number.MAX_SAFE_INTEGER,
    Number.MAX_VALUE,
    Infinity,
    -Infinity,
    NaN,
    -1,
    true,
    false,
    null,
    undefined,
    '',
    ' ',
    '.',
    '..',
    'a/b',
    '50',
    'tab\there',
    'ok',
    [],
    {},
  ),
  fc.double(),
  fc.integer({ min: -5, max: 200 }),
  fc.integer({ min: 0, max: 2 ** 32 }),
  fc.string(),
  fc.anything(),
);

type Oracle = (value: unknown) => boolean;

const isNumber = (v: unknown): v is number => typeof v === 'number';
const positiveMs: Oracle = (v) => isNumber(v) && Number.isFinite(v) && v >= 1 && v <= MAX_MS;
const positiveInteger: Oracle = (v) => isNumber(v) && Number.isInteger(v) && v >= 1;
const percentage: Oracle = (v) => isNumber(v) && v >= 1 && v <= 100;
const text: Oracle = (v) => typeof v === 'string' && v.trim() !== '';

/** What docs/engine.md promises, per option, given only that option (defaults otherwise). */
const ORACLE: Record<keyof BreakerOptions, Oracle> = {
  name: (v) => text(v) && v !== '.' && v !== '..' && !/[\u0000-\u001f\u007f]/.test(v as string),
  group: text,
  enabled: (v) => typeof v === 'boolean',
  timeout: (v) => v === false || positiveMs(v),
  resetTimeout: positiveMs,
  // at least the default resetTimeout, 60 000
  maxResetTimeout: (v) => positiveMs(v) && (v as number) >= 60_000,
  failureThreshold: (v) => v === false || positiveInteger(v),
  errorThresholdPercentage: percentage,
  volumeThreshold: (v) => isNumber(v) && Number.isInteger(v) && v >= 0,
  // slices of at least 1 ms across the default 10 buckets
  rollingCountTimeout: (v) => positiveMs(v) && (v as number) >= 10,
  // at most one bucket per ms of the default 10 000 ms window
  rollingCountBuckets: (v) => positiveInteger(v) && (v as number) <= 10_000,
  slowCallDurationThreshold: positiveMs,
  slowCallRateThreshold: percentage,
  halfOpenMaxCalls: positiveInteger,
  successThreshold: positiveInteger,
  capacity: (v) => v === Infinity || positiveInteger(v),
  errorFilter: (v) => typeof v === 'function',
  classify: (v) => typeof v === 'function',
  firstChunkTimeout: (v) => v === false || positiveMs(v),
  idleTimeout: (v) => v === false || positiveMs(v),
  clock: (v) =>
    typeof v === 'object' && v !== null && typeof (v as { now?: unknown }).now === 'function',
};

/** Options some options need beside them to be judged alone. */
const COMPANIONS: Partial<Record<keyof BreakerOptions, BreakerOptions>> = {
  slowCallRateThreshold: { slowCallDurationThreshold: 100 },
};

/** An injected clock the behaviour checks move by hand. */
function manualClock(start = 1_700_000_000_000): { now(): number; at: number } {
  return {
    at: start,
    now() {
      return this.at;
    },
  };
}

/** Fails one call synchronously (the failure is recorded before execute returns). */
function failOnce(breaker: Breaker): void {
  breaker
    .execute(() => {
      throw new Error('provider down');
    })
    .catch(() => undefined);
}

/** What an accepted value must do; each check reads behaviour or the snapshot, not the options. */
const BEHAVIOUR: Partial<Record<keyof BreakerOptions, (value: never) => unknown>> = {
  name: (v: string) => {
    const breaker = new Breaker({ name: v });
    expect(breaker.name).to.equal(v);
    expect(JSON.parse(JSON.stringify(breaker.snapshot())).name).to.equal(v);
  },
  group: (v: string) => expect(new Breaker({ group: v }).snapshot().group).to.equal(v),
  enabled: (v: boolean) =>
    expect(new Breaker({ enabled: v }).state).to.equal(v ? 'closed' : 'disabled'),
  resetTimeout: (v: number) => {
    const clock = manualClock();
    const breaker = new Breaker({ resetTimeout: v, failureThreshold: 1, clock });
    const opened = clock.at;
    failOnce(breaker);
    const snapshot = breaker.snapshot();
    expect(snapshot.state).to.equal('open');
    expect(snapshot.retryAfterMs).to.be.closeTo(v, 0.01);
    expect(snapshot.openUntil).to.equal(new Date(opened + v).toISOString());
    clock.at = opened + v;
    expect(breaker.state).to.equal('half_open');
  },
  failureThreshold: (v: number | false) => {
    const breaker = new Breaker({ failureThreshold: v });
    const n = v === false ? 40 : Math.min(v, 40);
    for (let i = 0; i < n - 1; i++) failOnce(breaker);
    expect(breaker.state).to.equal('closed');
    failOnce(breaker);
    expect(breaker.state).to.equal(v !== false && v <= 40 ? 'open' : 'closed');
  },
  errorThresholdPercentage: async (v: number) => {
    // One success and one failure: a 50% failure rate over a volume of 2.
    const breaker = new Breaker({
      errorThresholdPercentage: v,
      volumeThreshold: 2,
      failureThreshold: false,
      timeout: false,
    });
    await breaker.execute(() => 'ok');
    failOnce(breaker);
    expect(breaker.state).to.equal(v <= 50 ? 'open' : 'closed');
  },
  capacity: (v: number) => {
    const breaker = new Breaker({ capacity: v, timeout: false });
    const held = Math.min(v, 20);
    for (let i = 0; i < held; i++) void breaker.execute(() => new Promise(() => undefined));
    expect(breaker.snapshot().inFlight).to.equal(held);
    if (v <= 20) {
      const refused = breaker.attempt(() => 'x');
      expect(refused).to.be.instanceOf(CapacityExceededError);
    }
  },
};

/** Where an accepted value shows in `snapshot().config` (functions and the clock do not). */
const IN_CONFIG = new Set<string>([
  'timeout',
  'resetTimeout',
  'maxResetTimeout',
  'failureThreshold',
  'errorThresholdPercentage',
  'volumeThreshold',
  'rollingCountTimeout',
  'rollingCountBuckets',
  'slowCallDurationThreshold',
  'slowCallRateThreshold',
  'halfOpenMaxCalls',
  'successThreshold',
]);

function tryMake(options: unknown): Breaker | Error {
  try {
    return new Breaker(options as BreakerOptions);
  } catch (error) {
    return error as Error;
  }
}

describe('Breaker options, property-based (fast-check)', () => {
  for (const option of OPTION_NAMES as (keyof BreakerOptions)[]) {
    it(`${option}: refused naming it, or accepted and in effect, as documented`, async () => {
      await fc.assert(
        fc.asyncProperty(hostile, async (value) => {
          const made = tryMake({ ...COMPANIONS[option], [option]: value });
          const valid = value === undefined || ORACLE[option](value);
          if (made instanceof Error) {
            expect(valid, `${option}: ${fc.stringify(value)} is valid as documented`).to.equal(
              false,
            );
            expect(made).to.satisfy(
              (e: Error) => e instanceof TypeError || e instanceof RangeError,
            );
            expect(made.message).to.include(option);
            if (option.endsWith('Percentage') || option.endsWith('RateThreshold')) {
              if (isNumber(value) && value > 0 && value < 1)
                expect(made.message).to.include(`did you mean ${+(value * 100).toPrecision(12)}?`);
            }
            return;
          }
          expect(valid, `${option}: ${fc.stringify(value)} was accepted`).to.equal(true);
          if (value === undefined) return;
          expect(() => made.snapshot(), 'snapshot never throws').to.not.throw();
          if (IN_CONFIG.has(option)) {
            expect((made.snapshot().config as unknown as Record<string, unknown>)[option]).to.equal(
              value,
            );
          }
          await (BEHAVIOUR[option] as ((v: unknown) => unknown) | undefined)?.(value);
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('any other key, Object.prototype names and a JSON __proto__ included, is unknown', () => {
    const protoNames = Object.getOwnPropertyNames(Object.prototype);
    const key = fc.oneof(fc.constantFrom(...protoNames, ...OPTION_NAMES), fc.string());
    fc.assert(
      fc.property(key, hostile, (name, value) => {
        const options = JSON.parse(`{${JSON.stringify(name)}: 1}`) as Record<string, unknown>;
        options[name] = value;
        const made = tryMake(options);
        if (!OPTION_NAMES.includes(name)) {
          expect(made).to.be.instanceOf(TypeError);
          expect((made as Error).message).to.include(`unknown option "${name}"`);
        }
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('inherited options are ignored: never checked, never in effect', () => {
    fc.assert(
      fc.property(fc.constantFrom(...OPTION_NAMES), hostile, (name, value) => {
        const made = tryMake(Object.create({ [name]: value }));
        expect(made).to.be.instanceOf(Breaker);
        const defaults = new Breaker();
        expect((made as Breaker).snapshot().config).to.deep.equal(defaults.snapshot().config);
        expect((made as Breaker).name).to.equal('breaker');
      }),
      { numRuns: RUNS },
    );
  });
});
