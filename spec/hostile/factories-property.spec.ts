/**
 * Property-based proof that every constructor and factory reads options the same way: own keys
 * only, unknown names (Object.prototype's included) refused, and the breaker options judged as
 * `new Breaker` judges them (proven option by option in spec/breaker/options-property.spec.ts).
 * Then the options of the admin router, RedisStore and the fake provider, each against its
 * documented rule.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import {
  Breaker,
  BreakerRegistry,
  CircuitBreaker,
  failover,
  OPTION_NAMES,
  type BreakerOptions,
} from '../../lib/index.js';
import * as onExpress from '../../adapters/express/index.js';
import * as onKoa from '../../adapters/koa/index.js';
import { resolveRedisStoreOptions } from '../../adapters/redis/redis-store-options.js';
import { startFakeProvider, validateFault } from '../../lib/testing/index.js';

const MAX_MS = 2 ** 31 - 1;
const RUNS = Number(process.env['PROPERTY_RUNS'] ?? 400);
const PROTO_NAMES = Object.getOwnPropertyNames(Object.prototype);

const value: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(0, 0.5, 1, 5, 50, 100, 60_000, MAX_MS, MAX_MS + 1, 3e9, Infinity, NaN, -1),
  fc.constantFrom(true, false, null, undefined, '', 'x', [], {}),
  fc.integer({ min: -2, max: 120_000 }),
  fc.double(),
  fc.anything({ maxDepth: 1 }),
);

/** 1 to 3 options, named like breaker options, like Object.prototype members, or anything. */
const optionsRecord = fc.dictionary(
  fc.oneof(
    fc.constantFrom(...OPTION_NAMES.filter((n) => n !== 'name')),
    fc.constantFrom(...PROTO_NAMES),
    fc.string({ maxLength: 12 }),
  ),
  value,
  { minKeys: 1, maxKeys: 3 },
);

/** The record as `JSON.parse` would give it: `__proto__` an own key like any other. */
function asJson(record: Record<string, unknown>): Record<string, unknown> {
  const out = JSON.parse('{}') as Record<string, unknown>;
  for (const [k, v] of Object.entries(record))
    Object.defineProperty(out, k, { value: v, enumerable: true, writable: true });
  return out;
}

type Outcome = { ok: true; config: unknown } | { ok: false; error: Error };

function outcome(make: () => Breaker | undefined): Outcome {
  try {
    const breaker = make();
    return { ok: true, config: breaker?.snapshot().config };
  } catch (error) {
    return { ok: false, error: error as Error };
  }
}

const noop = (): void => undefined;

/** Every factory that takes breaker options, each making (or not) the breaker `n`. */
const FACTORIES: Record<string, (options: Record<string, unknown>) => Breaker | undefined> = {
  'new Breaker': (o) => new Breaker(o as BreakerOptions),
  'registry defaults': (o) => new BreakerRegistry({ defaults: o as BreakerOptions }).get('n'),
  'registry.get': (o) => new BreakerRegistry().get('n', o as BreakerOptions),
  'protect (express)': (o) => {
    const registry = new BreakerRegistry();
    onExpress.protect('n', { ...(o as BreakerOptions), registry });
    return registry.find('n');
  },
  'protect (koa)': (o) => {
    const registry = new BreakerRegistry();
    onKoa.protect('n', { ...(o as BreakerOptions), registry });
    return registry.find('n');
  },
  'failover level': (o) => {
    const registry = new BreakerRegistry();
    failover([{ name: 'n', call: noop, options: o as BreakerOptions }], { registry });
    return registry.find('n');
  },
  '@CircuitBreaker': (o) => {
    const registry = new BreakerRegistry();
    CircuitBreaker('n', { ...(o as BreakerOptions), registry });
    return new Breaker({ ...(o as BreakerOptions), name: 'n' });
  },
};

describe('every factory reads options alike (fast-check)', () => {
  it('refuses or accepts exactly what new Breaker does, naming an option given', () => {
    fc.assert(
      fc.property(optionsRecord, (record) => {
        const json = asJson(record);
        const reference = outcome(() => new Breaker(json as BreakerOptions));
        for (const [factory, make] of Object.entries(FACTORIES)) {
          const got = outcome(() => make(asJson(record)));
          expect(got.ok, `${factory} agrees with new Breaker on ${fc.stringify(record)}`).to.equal(
            reference.ok,
          );
          if (!got.ok) {
            expect(got.error).to.satisfy(
              (e: Error) => e instanceof TypeError || e instanceof RangeError,
            );
            const named = Object.keys(record).some((key) => got.error.message.includes(key));
            expect(named, `${factory}: "${got.error.message}" names an option`).to.equal(true);
          } else if (reference.ok && got.config !== undefined) {
            expect(got.config, factory).to.deep.equal(reference.config);
          }
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('ignores inherited options in every factory', () => {
    fc.assert(
      fc.property(optionsRecord, (record) => {
        const plain = new Breaker().snapshot().config;
        for (const [factory, make] of Object.entries(FACTORIES)) {
          const got = outcome(() => make(Object.create(record) as Record<string, unknown>));
          expect(got.ok, `${factory} ignores what it inherits`).to.equal(true);
          if (got.ok && got.config !== undefined) expect(got.config, factory).to.deep.equal(plain);
        }
      }),
      { numRuns: RUNS },
    );
  });
});

describe('adminRouter options (fast-check), under Express and Koa', () => {
  const routers = { express: onExpress.adminRouter, koa: onKoa.adminRouter } as const;
  const registry = new BreakerRegistry();
  const tryRouter = (options: Record<string, unknown>): Error | { close(): Promise<void> } => {
    try {
      const express = routers.express(registry, options);
      const koa = routers.koa(registry, options);
      void express.close();
      return koa;
    } catch (error) {
      return error as Error;
    }
  };

  it('token: printable ASCII without spaces, or refused without being shown', () => {
    const token = fc.oneof(
      fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }),
      fc.string({ minLength: 1, maxLength: 20 }),
      fc.constantFrom('good-token_1', 'has space', 'tab\tx', 'héllo', 'ok', '  ', ''),
    );
    fc.assert(
      fc.property(token, (t) => {
        const made = tryRouter({ token: t });
        const valid = /^[\x21-\x7e]+$/.test(t);
        if (made instanceof Error) {
          expect(valid, fc.stringify(t)).to.equal(false);
          expect(made.message).to.include('token');
          if (t.trim().length > 3) expect(made.message).to.not.include(t);
        } else {
          expect(valid, fc.stringify(t)).to.equal(true);
          void made.close();
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('eventsInterval: 50 ms to 2^31-1 ms, or refused naming it', () => {
    fc.assert(
      fc.property(value, (v) => {
        const made = tryRouter({ eventsInterval: v });
        const valid =
          v === undefined ||
          (typeof v === 'number' && Number.isFinite(v) && v >= 50 && v <= MAX_MS);
        expect(!(made instanceof Error), fc.stringify(v)).to.equal(valid);
        if (made instanceof Error) expect(made.message).to.include('eventsInterval');
        else void made.close();
      }),
      { numRuns: RUNS },
    );
  });

  it('panel button urls: accepted ones stay on the page origin, whatever the origin', () => {
    const url = fc.oneof(
      fc.constantFrom(
        '/\\evil.example/x',
        '//evil.example',
        '/\t/evil.example',
        '/\n/evil.example',
        'http://evil.example/',
        '\\\\evil.example',
        '/%2F%2Fevil.example',
        '/_control/faults/openai',
        '/',
        '/a/../..//evil.example',
      ),
      fc.webPath(),
      fc.string({ maxLength: 16 }).map((s) => `/${s}`),
      fc.string({ maxLength: 16 }),
    );
    fc.assert(
      fc.property(url, (u) => {
        const made = tryRouter({
          panels: [{ title: 'p', buttons: [{ label: 'b', method: 'POST', url: u }] }],
        });
        if (made instanceof Error) {
          expect(made.message).to.include('url');
          return;
        }
        void made.close();
        for (const origin of ['https://app.example', 'http://127.0.0.1:3000']) {
          expect(new URL(u, origin).origin, fc.stringify(u)).to.equal(origin);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('unknown and inherited options: refused and ignored', () => {
    const key = fc.oneof(fc.constantFrom(...PROTO_NAMES), fc.string({ maxLength: 10 }));
    const known = ['token', 'authorize', 'metrics', 'panels', 'eventsInterval', 'bodyLimit'];
    fc.assert(
      fc.property(key, value, (k, v) => {
        const made = tryRouter(asJson({ [k]: v }));
        if (!known.includes(k) && k !== 'onError' && k !== 'prefix') {
          expect(made).to.be.instanceOf(TypeError);
          expect((made as Error).message).to.include(`unknown option "${k}"`);
        } else if (!(made instanceof Error)) void made.close();
        const inherited = tryRouter(Object.create({ [k]: v }) as Record<string, unknown>);
        expect(inherited).to.not.be.instanceOf(Error);
        void (inherited as { close(): Promise<void> }).close();
      }),
      { numRuns: RUNS },
    );
  });
});

describe('RedisStore options (fast-check)', () => {
  const redis = { duplicate: () => redis, eval: () => undefined } as unknown;

  it('TTLs: whole positive ms, or refused naming them; unknown and inherited keys too', () => {
    const key = fc.oneof(
      fc.constantFrom('stateTtlMs', 'trialTtlMs', 'keyPrefix', 'onError'),
      fc.constantFrom(...PROTO_NAMES),
    );
    fc.assert(
      fc.property(key, value, (k, v) => {
        let made: unknown;
        try {
          made = resolveRedisStoreOptions(asJson({ redis, [k]: v }) as never);
        } catch (error) {
          made = error;
        }
        if (made instanceof Error) {
          expect(made.message).to.include(k);
          return;
        }
        if (PROTO_NAMES.includes(k)) expect.fail(`${k} was accepted`);
        if (k.endsWith('TtlMs') && v !== undefined) {
          expect(Number.isSafeInteger(v) && (v as number) >= 1, fc.stringify(v)).to.equal(true);
          expect((made as Record<string, unknown>)[k]).to.equal(v);
        }
        const inherited = resolveRedisStoreOptions(
          Object.assign(Object.create({ [k]: v }) as object, { redis }) as never,
        );
        expect(inherited.stateTtlMs).to.equal(7 * 24 * 3600_000);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('fake provider options and faults (fast-check)', () => {
  it('slow fault delays: whole ms up to 2^31-1, or refused naming them', () => {
    fc.assert(
      fc.property(fc.constantFrom('delayMs', 'chunkDelayMs'), value, (field, v) => {
        const fault = { kind: 'slow', delayMs: 10, [field]: v };
        let made: unknown;
        try {
          made = validateFault(fault);
        } catch (error) {
          made = error;
        }
        const valid =
          (v === undefined && field === 'chunkDelayMs') ||
          (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_MS);
        expect(!(made instanceof Error), fc.stringify(v)).to.equal(valid);
        if (made instanceof Error) expect(made.message).to.include(field);
      }),
      { numRuns: RUNS },
    );
  });

  it('inherited fault fields are ignored and unknown ones refused', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PROTO_NAMES), value, (k, v) => {
        expect(() => validateFault(asJson({ kind: 'reset', [k]: v }))).to.throw(
          TypeError,
          `unknown field "${k}"`,
        );
        const inherited = Object.assign(Object.create({ status: -1, delayMs: -1 }) as object, {
          kind: 'reset',
        });
        expect(validateFault(inherited)).to.deep.equal({ kind: 'reset' });
      }),
      { numRuns: RUNS / 4 },
    );
  });

  it('startFakeProvider refuses Object.prototype names and ignores inherited options', async () => {
    for (const name of PROTO_NAMES) {
      const error = await startFakeProvider(asJson({ [name]: 1 })).catch((e: unknown) => e);
      expect(error, name).to.be.instanceOf(TypeError);
      expect((error as Error).message).to.include(`unknown option "${name}"`);
    }
    const fake = await startFakeProvider(Object.create({ port: -1, host: '0.0.0.0' }) as object);
    try {
      expect(fake.url).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await fake.close();
    }
  });
});
