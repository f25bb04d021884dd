import { expect } from 'chai';
import { Redis } from 'ioredis';
import { RedisStore } from '../../../adapters/redis/index.js';
import {
  BreakerRegistry,
  isCircuitOpenError,
  type BreakerOptions,
  type StateChangeEvent,
} from '../../../lib/index.js';
import { ManualClock, fail503, rejection, repeat, succeed } from '../../breaker/helpers.js';
import { eventually, fleetBehaviours } from '../../store/fleet-behaviours.js';
import { freePort, redisServer, type RedisServer } from './redis-server.js';

describe('RedisStore (breakwater/redis) on a real redis-server', () => {
  let server: RedisServer;
  let prefixes = 0;
  const clients: Redis[] = [];
  const errors: Error[] = [];
  const onError = (error: Error): void => void errors.push(error);

  /** A replica's own ioredis client: quick to retry and to give up a command. */
  const client = (port = server.port): Redis => {
    const redis = new Redis(port, '127.0.0.1', {
      retryStrategy: () => 20,
      maxRetriesPerRequest: 1,
    });
    redis.on('error', () => undefined);
    clients.push(redis);
    return redis;
  };

  /** Replicas on the shared server under `keyPrefix`, closed by `close()`. */
  const replicas = (defaults: BreakerOptions, keyPrefix: string, port?: number) => {
    const stores: RedisStore[] = [];
    const registries: BreakerRegistry[] = [];
    return {
      stores,
      keyPrefix,
      async replica(): Promise<BreakerRegistry> {
        const store = await RedisStore.connect({ redis: client(port), keyPrefix, onError });
        stores.push(store);
        const registry = new BreakerRegistry({ store, defaults });
        registries.push(registry);
        return registry;
      },
      settle: async () => void (await Promise.all(stores.map((s) => s.flush()))),
      async close() {
        await Promise.all(registries.map((r) => r.close()));
        await Promise.all(stores.map((s) => s.close()));
      },
    };
  };

  before(async () => {
    server = await redisServer();
    await server.start();
  });
  afterEach(() => {
    for (const redis of clients.splice(0)) redis.disconnect();
    errors.length = 0;
  });
  after(async () => {
    await server.dispose();
  });

  describe('the fleet behaviours, with a RedisStore per replica', () => {
    fleetBehaviours(async (defaults) => {
      const fleet = replicas(defaults, `fleet${prefixes++}:`);
      const a = await fleet.replica();
      const b = await fleet.replica();
      return {
        clock: defaults.clock as ManualClock,
        a,
        b,
        settle: fleet.settle,
        join: () => fleet.replica(),
        close: () => fleet.close(),
      };
    });
  });

  it('refuses bad options, naming the option and the value', () => {
    const redis = client();
    expect(() => new RedisStore({ redis, keyprefix: 'x' } as never)).to.throw(
      TypeError,
      /unknown option "keyprefix"/,
    );
    expect(() => new RedisStore({ redis: {} as never })).to.throw(TypeError, /redis must be/);
    expect(() => new RedisStore({ redis, keyPrefix: 5 as never })).to.throw(
      TypeError,
      /keyPrefix must be a string, got 5/,
    );
    expect(() => new RedisStore({ redis, stateTtlMs: 0 })).to.throw(
      RangeError,
      /stateTtlMs.*got 0/,
    );
    expect(() => new RedisStore({ redis, trialTtlMs: 1.5 })).to.throw(
      RangeError,
      /trialTtlMs.*got 1.5/,
    );
    expect(() => new RedisStore({ redis, claimWaitMs: 0 })).to.throw(
      RangeError,
      /claimWaitMs.*got 0/,
    );
    expect(() => new RedisStore({ redis, onError: 'log' as never })).to.throw(
      TypeError,
      /onError must be a function, got "log"/,
    );
  });

  it('lets a breaker that attaches before the store has loaded adopt the shared state', async () => {
    const clock = new ManualClock(1_000);
    const defaults = { failureThreshold: 1, timeout: false as const, clock };
    const fleet = replicas(defaults, `early${prefixes++}:`);
    try {
      const a = await fleet.replica();
      await repeat(a.get('openai'), 1, fail503);
      await fleet.settle();
      const store = new RedisStore({
        redis: client(),
        keyPrefix: fleet.keyPrefix,
        onError,
      });
      fleet.stores.push(store);
      const early = new BreakerRegistry({ store, defaults });
      const moves: StateChangeEvent[] = [];
      early.get('openai').on('stateChange', (e) => moves.push(e));
      expect(early.get('openai').state).to.equal('closed');
      await eventually(() => early.get('openai').state === 'open');
      expect(moves[0]).to.include({ to: 'open', remote: true });
      await early.close();
    } finally {
      await fleet.close();
    }
  });

  it('keeps its keys under its prefix, each with a TTL', async () => {
    const clock = new ManualClock(1_000);
    const defaults = { failureThreshold: 1, resetTimeout: 1_000, timeout: false as const, clock };
    const keyPrefix = `ttl${prefixes++}:`;
    const redis = client();
    const store = await RedisStore.connect({
      redis,
      keyPrefix,
      stateTtlMs: 60_000,
      trialTtlMs: 5_000,
      onError,
    });
    const registry = new BreakerRegistry({ store, defaults });
    try {
      await repeat(registry.get('openai'), 1, fail503);
      clock.advance(1_000);
      // the trial waits (a few ms at most) for its replica's claim rather than being refused; on
      // a busy machine the answer may come later, and the permit then waits for the next call
      const trial = await registry
        .get('openai')
        .execute(succeed)
        .catch(async () => {
          await store.flush();
          return registry.get('openai').execute(succeed);
        });
      expect(trial).to.equal('ok');
      await store.flush();
      const tag = `{${keyPrefix}openai}`;
      const keys = (await redis.keys('*')).filter((k) => k.startsWith(`{${keyPrefix}`)).sort();
      expect(keys).to.deep.equal([`${tag}:state`, `${tag}:trial`]);
      const stateTtl = await redis.pttl(`${tag}:state`);
      const trialTtl = await redis.pttl(`${tag}:trial`);
      expect(stateTtl).to.be.within(1, 60_000);
      expect(trialTtl).to.be.within(1, 5_000);
      expect(JSON.parse((await redis.get(`${tag}:state`))!)).to.include({
        state: 'closed',
        term: 0,
        version: 2,
      });
      // the closing write gave the trial's permit back in the same step
      expect(await redis.hget(`${tag}:trial`, 'taken')).to.equal('0');
    } finally {
      await registry.close();
      await store.close();
    }
  });

  it('lets a half-open stream wait for its replica’s claim, and close the fleet with its trial', async () => {
    const clock = new ManualClock(1_000);
    const defaults = { failureThreshold: 1, resetTimeout: 1_000, timeout: false as const, clock };
    const fleet = replicas(defaults, `stream${prefixes++}:`);
    try {
      const a = await fleet.replica();
      const b = await fleet.replica();
      await repeat(a.get('openai'), 1, fail503);
      await eventually(() => b.get('openai').state === 'open');
      clock.advance(1_000);
      const read = async (): Promise<string[]> => {
        const chunks: string[] = [];
        const stream = a.get('openai').stream(async function* () {
          yield 'hello';
        });
        for await (const chunk of stream) chunks.push(chunk);
        return chunks;
      };
      // on a busy machine the claim may answer after the wait: the permit then serves the next try
      const chunks = await read().catch(async () => {
        await fleet.settle();
        return read();
      });
      expect(chunks).to.deep.equal(['hello']);
      await eventually(() => b.get('openai').state === 'closed');
    } finally {
      await fleet.close();
    }
  });

  it('forgets a breaker once the registry removes it', async () => {
    const clock = new ManualClock(1_000);
    const fleet = replicas({ failureThreshold: 1, timeout: false, clock }, `gone${prefixes++}:`);
    try {
      const a = await fleet.replica();
      await repeat(a.get('openai'), 1, fail503);
      a.get('anthropic');
      await fleet.settle();
      expect(fleet.stores[0]!.cached).to.equal(2);
      expect(a.remove('openai')).to.equal(true);
      expect(fleet.stores[0]!.cached).to.equal(1);
      // made again, it starts from the fleet's shared state, read back from Redis
      await eventually(() => a.get('openai').state === 'open');
    } finally {
      await fleet.close();
    }
  });

  it('keeps fleets with different prefixes apart on one server', async () => {
    const clock = new ManualClock(1_000);
    const defaults = { failureThreshold: 1, timeout: false as const, clock };
    const one = replicas(defaults, `apart${prefixes++}:`);
    const other = replicas(defaults, `apart${prefixes++}:`);
    try {
      const a = await one.replica();
      const sameFleet = await one.replica();
      const otherFleet = await other.replica();
      otherFleet.get('openai');
      await repeat(a.get('openai'), 1, fail503);
      await eventually(() => sameFleet.get('openai').state === 'open');
      await other.settle();
      expect(otherFleet.get('openai').state).to.equal('closed');
    } finally {
      await one.close();
      await other.close();
    }
  });

  it('works on local state when Redis cannot be reached from the start', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const clock = new ManualClock(1_000);
    const store = await RedisStore.connect({ redis: client(await freePort()), onError });
    const registry = new BreakerRegistry({
      store,
      defaults: { failureThreshold: 1, resetTimeout: 1_000, timeout: false, clock },
    });
    try {
      expect(errors.length).to.be.greaterThan(0);
      expect(store.online).to.equal(false);
      await repeat(registry.get('openai'), 1, fail503);
      expect(registry.get('openai').state).to.equal('open');
      clock.advance(1_000);
      let finish!: () => void;
      const trial = registry
        .get('openai')
        .execute(() => new Promise<string>((resolve) => (finish = () => resolve('ok'))));
      const second = await rejection(registry.get('openai').execute(succeed));
      expect(isCircuitOpenError(second)).to.equal(true);
      finish();
      expect(await trial).to.equal('ok');
      expect(registry.get('openai').state).to.equal('closed');
    } finally {
      await registry.close();
      await store.close();
      await new Promise((resolve) => setImmediate(resolve));
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).to.deep.equal([]);
  });

  it('keeps working when Redis dies mid-run, and catches up when it is back', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const own = await redisServer();
    await own.start();
    const clock = new ManualClock(1_000);
    const defaults = { failureThreshold: 1, timeout: false as const, clock };
    const fleet = replicas(defaults, 'breakwater:', own.port);
    try {
      const a = await fleet.replica();
      const b = await fleet.replica();
      b.get('openai');
      await own.stop();
      await eventually(() => fleet.stores.every((s) => !s.online));
      await repeat(a.get('openai'), 1, fail503);
      expect(a.get('openai').state).to.equal('open');
      expect(b.get('openai').state).to.equal('closed');
      expect(await b.get('openai').execute(succeed)).to.equal('ok');
      await own.start();
      await eventually(() => b.get('openai').state === 'open', 10_000);
      expect(errors.length).to.be.greaterThan(0);
    } finally {
      await fleet.close();
      await own.dispose();
      process.off('unhandledRejection', onUnhandled);
    }
    expect(unhandled).to.deep.equal([]);
  });
});
