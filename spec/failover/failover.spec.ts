import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import {
  AllProvidersFailedError,
  BreakerRegistry,
  CallTimeoutError,
  CapacityExceededError,
  CircuitOpenError,
  defaultRegistry,
  failover,
  withOutcome,
  type FallbackEvent,
} from '../../lib/index.js';
import { HttpError } from '../decorators/fixtures/fake-provider.js';

const fail503 =
  (name: string) =>
  async (_prompt: string): Promise<string> => {
    throw new HttpError(503, `${name} unavailable`);
  };

describe('failover()', () => {
  let registry: BreakerRegistry;
  beforeEach(() => {
    registry = new BreakerRegistry();
  });
  afterEach(() => registry.close(0));

  it('makes the breakers at once and serves from the first level that answers', async () => {
    const calls: string[] = [];
    const complete = failover(
      [
        {
          name: 'p1',
          call: async (prompt: string) => (calls.push(`p1:${prompt}`), `p1:${prompt}`),
        },
        {
          name: 'p2',
          call: async (prompt: string) => (calls.push(`p2:${prompt}`), `p2:${prompt}`),
        },
      ],
      { registry },
    );
    expect(registry.list().map((b) => b.name)).to.deep.equal(['p1', 'p2']);
    expect(await complete('a')).to.equal('p1:a');
    registry.get('p1').isolate();
    expect(await complete('b')).to.equal('p2:b');
    expect(calls).to.deep.equal(['p1:a', 'p2:b']);
    expect(complete.name).to.equal('failover(p1, p2)');
  });

  it('gives the breakers their options', () => {
    failover(
      [{ name: 'tuned', call: async () => 1, options: { failureThreshold: 2, timeout: 1_000 } }],
      {
        registry,
      },
    );
    expect(registry.get('tuned').options).to.include({ failureThreshold: 2, timeout: 1_000 });
  });

  it('passes an AbortSignal after the arguments whatever `call` declares, and aborts it on timeout', async () => {
    const clock = FakeTimers.install({ now: 0, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      let seen: AbortSignal | undefined;
      const passed: unknown[][] = [];
      const complete = failover(
        [
          {
            name: 'slow',
            options: { timeout: 1_000 },
            call: (_prompt: string, signal: AbortSignal) => {
              seen = signal;
              return new Promise<string>(() => {});
            },
          },
          {
            name: 'plain',
            call: function (_prompt: string) {
              // eslint-disable-next-line prefer-rest-params -- checks exactly what was passed
              passed.push([...arguments]);
              return Promise.resolve('plain');
            },
          },
        ],
        { registry },
      );
      const pending = withOutcome(() => complete('x'));
      await clock.tickAsync(1_000);
      const { value, attempts } = await pending;
      expect(value).to.equal('plain');
      expect(seen).to.be.instanceOf(AbortSignal);
      expect(seen!.aborted).to.equal(true);
      expect(seen!.reason).to.be.instanceOf(CallTimeoutError);
      expect(passed).to.have.length(1);
      expect(passed[0]![0]).to.equal('x');
      expect(passed[0]![1]).to.be.instanceOf(AbortSignal);
      expect(attempts.map((a) => [a.name, a.outcome, a.durationMs])).to.deep.equal([
        ['slow', 'timeout', 1_000],
        ['plain', 'success', 0],
      ]);
    } finally {
      clock.uninstall();
    }
  });

  it('gives a plain function the arguments and the last error, and names it in the outcome', async () => {
    const got: unknown[][] = [];
    const complete = failover(
      [
        { name: 'down', call: fail503('down') },
        function degraded(prompt: string, error: unknown) {
          got.push([prompt, error]);
          return `degraded:${prompt}`;
        },
      ],
      { registry },
    );
    const { value, servedBy, attempts } = await withOutcome(() => complete('q'));
    expect(value).to.equal('degraded:q');
    expect(servedBy).to.equal('degraded');
    expect(got[0]![0]).to.equal('q');
    expect(got[0]![1]).to.be.instanceOf(HttpError).with.property('status', 503);
    expect(attempts.map((a) => a.name)).to.deep.equal(['down', 'degraded']);
    const anonymous = failover([{ name: 'down2', call: fail503('down2') }, () => 'x'], {
      registry,
    });
    expect((await withOutcome(() => anonymous('z'))).servedBy).to.equal('fallback');
  });

  it('moves past an unguarded level that fails, but rethrows a bug in it', async () => {
    const complete = failover(
      [
        { name: 'down', call: fail503('down') },
        function cache(): string {
          throw new Error('cache miss');
        },
        () => 'last',
      ],
      { registry },
    );
    expect(await complete('x')).to.equal('last');
    const buggy = failover(
      [
        { name: 'down3', call: fail503('down3') },
        function cache(): string {
          throw new TypeError('cannot read properties of undefined');
        },
        () => 'last',
      ],
      { registry },
    );
    const error = await buggy('x').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(TypeError);
  });

  it("rethrows the caller's error (400) untouched, without trying the next level", async () => {
    const bad = new HttpError(400, 'bad request');
    let second = 0;
    const complete = failover(
      [
        {
          name: 'strict',
          call: async (): Promise<string> => {
            throw bad;
          },
        },
        { name: 'other', call: async () => (second++, 'other') },
      ],
      { registry },
    );
    expect(await complete().catch((e: unknown) => e)).to.equal(bad);
    expect(second).to.equal(0);
    expect(registry.get('strict').snapshot().failedRequests).to.equal(0);
  });

  it('fails with AllProvidersFailedError, one cause per level in order, refusals included', async () => {
    const complete = failover(
      [
        { name: 'a', call: fail503('a') },
        { name: 'b', call: fail503('b') },
        function last(): string {
          throw new Error('no cache either');
        },
      ],
      { registry },
    );
    registry.get('a').isolate();
    const error = (await complete('x').catch((e: unknown) => e)) as AllProvidersFailedError;
    expect(error).to.be.instanceOf(AllProvidersFailedError);
    expect(error.causes.map((c) => c.name)).to.deep.equal(['a', 'b', 'last']);
    expect(error.causes[0]!.error).to.be.instanceOf(CircuitOpenError);
    expect(error.causes[1]!.error).to.be.instanceOf(HttpError);
    expect(error.cause).to.equal(error.causes[2]!.error);
    expect(error.message).to.match(
      /^All 3 providers failed: a: Breaker "a" is isolated; b: b unavailable; last: no cache/,
    );
  });

  it("rethrows a single level's error as it is", async () => {
    const complete = failover([{ name: 'only', call: fail503('only') }], { registry });
    expect(await complete('x').catch((e: unknown) => e)).to.be.instanceOf(HttpError);
  });

  it('skips a breaker at capacity or half-open with its trial taken', async () => {
    let release!: (value: string) => void;
    const complete = failover(
      [
        {
          name: 'narrow',
          options: { capacity: 1 },
          call: () => new Promise<string>((r) => (release = r)),
        },
        { name: 'wide', call: async () => 'wide' },
      ],
      { registry },
    );
    const first = complete();
    const second = await withOutcome(() => complete());
    expect(second.value).to.equal('wide');
    expect(second.attempts[0]).to.include({ name: 'narrow', outcome: 'rejected' });
    expect(second.attempts[0]!.error).to.be.instanceOf(CapacityExceededError);
    release('narrow');
    expect(await first).to.equal('narrow');
  });

  it('notes a fallback on every breaker a lower level answered for', async () => {
    const events: FallbackEvent[] = [];
    registry.on('fallback', (event) => events.push(event));
    const complete = failover(
      [{ name: 'x1', call: fail503('x1') }, { name: 'x2', call: fail503('x2') }, () => 'ok'],
      { registry },
    );
    await complete('x');
    expect(events.map((e) => e.breaker)).to.deep.equal(['x1', 'x2']);
    expect(registry.get('x1').snapshot().fallbacks).to.equal(1);
    expect(registry.get('x2').snapshot().fallbacks).to.equal(1);
  });

  it('leaves an outcome as it was returned when work started inside it ends later', async () => {
    let release!: (value: string) => void;
    const complete = failover(
      [{ name: 'late', call: () => new Promise<string>((r) => (release = r)) }],
      {
        registry,
      },
    );
    let background!: Promise<string>;
    const outcome = await withOutcome(async () => {
      background = complete();
      return 'early';
    });
    release('late answer');
    expect(await background).to.equal('late answer');
    expect(outcome).to.deep.equal({ value: 'early', servedBy: null, attempts: [] });
  });

  it('uses defaultRegistry unless told otherwise', async () => {
    try {
      const complete = failover([{ name: 'failover-default-registry', call: async () => 1 }]);
      expect(await complete()).to.equal(1);
      expect(defaultRegistry.has('failover-default-registry')).to.equal(true);
    } finally {
      defaultRegistry.remove('failover-default-registry');
    }
  });

  it('types the returned function from the first level (checked by the compiler)', async () => {
    const complete = failover(
      [
        {
          name: 't1',
          call: async (prompt: string, n: number, _signal: AbortSignal) => `${prompt}${n}`,
        },
        (prompt: string, n: number, _error: unknown) => `fallback:${prompt}${n}`,
      ],
      { registry },
    );
    const typed: (prompt: string, n: number) => Promise<string> = complete;
    // @ts-expect-error -- the chain takes (string, number)
    const wrong = () => complete('x');
    expect(wrong).to.be.a('function');
    expect(await typed('a', 1)).to.equal('a1');
    failover(
      // @ts-expect-error -- the last resort answers a number where the chain resolves to a string
      [{ name: 't2', call: async (prompt: string) => prompt }, () => 42],
      { registry },
    );
  });

  describe('refuses bad input at once, naming what is wrong', () => {
    const ok = { name: 'fine', call: async () => 1 };
    const cases: [string, () => unknown, RegExpConstructor | ErrorConstructor, RegExp][] = [
      [
        'levels not an array',
        () => failover('openai' as never),
        TypeError,
        /levels must be a non-empty array, got "openai"/,
      ],
      ['no levels', () => failover([] as never), TypeError, /non-empty array, got \[\]/],
      [
        'a level of the wrong kind',
        () => failover([42] as never),
        TypeError,
        /failover level 0 must be \{ name, call, options\? \} or a function, got 42/,
      ],
      [
        'an unknown key',
        () => failover([{ ...ok, retries: 3 }] as never),
        TypeError,
        /failover level 0: unknown key "retries"/,
      ],
      [
        'no name',
        () => failover([{ call: async () => 1 }] as never),
        TypeError,
        /level 0: name must be a non-empty string, got undefined/,
      ],
      [
        'call not a function',
        () => failover([{ name: 'x', call: 'nope' }] as never),
        TypeError,
        /\("x"\): call must be a function, got "nope"/,
      ],
      [
        'a bad breaker option',
        () => failover([{ ...ok, options: { failureThreshold: 0 } }]),
        RangeError,
        /failureThreshold must be a positive integer, got 0/,
      ],
      [
        'an unknown breaker option',
        () => failover([{ ...ok, options: { timeoutMs: 5 } as never }]),
        TypeError,
        /timeoutMs/,
      ],
      [
        'options.name',
        () => failover([{ ...ok, options: { name: 'y' } }]),
        TypeError,
        /options\.name is not allowed/,
      ],
      [
        'a breaker twice',
        () => failover([ok, ok] as never),
        TypeError,
        /breaker "fine" appears twice/,
      ],
      [
        'an unknown failover option',
        () => failover([ok], { retries: 2 } as never),
        TypeError,
        /unknown option "retries"/,
      ],
      [
        'a registry that is not one',
        () => failover([ok], { registry: {} as never }),
        TypeError,
        /registry must be a BreakerRegistry/,
      ],
    ];
    for (const [what, run, type, message] of cases) {
      it(what, () => {
        expect(run).to.throw(type as ErrorConstructor, message);
      });
    }
  });
});
