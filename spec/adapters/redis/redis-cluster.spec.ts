import { expect } from 'chai';
import { Cluster } from 'ioredis';
import { RedisStore } from '../../../adapters/redis/index.js';
import { BreakerRegistry, isCircuitOpenError } from '../../../lib/index.js';
import { ManualClock, fail503, rejection, repeat, succeed } from '../../breaker/helpers.js';
import { admitTrial, eventually } from '../../store/fleet-behaviours.js';
import { redisCluster, type RedisCluster } from './redis-cluster.js';

describe('RedisStore on a Redis Cluster of three masters', () => {
  let cluster: RedisCluster;
  const clients: Cluster[] = [];
  before(async function () {
    this.timeout(30_000);
    cluster = await redisCluster();
  });
  after(async () => {
    for (const client of clients) client.disconnect();
    await cluster?.dispose();
  });

  const client = (): Cluster => {
    const redis = new Cluster([{ host: '127.0.0.1', port: cluster.ports[0]! }], {
      redisOptions: { maxRetriesPerRequest: 1 },
    });
    redis.on('error', () => undefined);
    clients.push(redis);
    return redis;
  };

  it('shares states across slots on every master, pub/sub and trial permits included', async () => {
    const clock = new ManualClock(1_000);
    const defaults = { failureThreshold: 1, resetTimeout: 1_000, timeout: false as const, clock };
    const errors: Error[] = [];
    const onError = (error: Error): void => void errors.push(error);
    const stores = [
      await RedisStore.connect({ redis: client(), keyPrefix: 'c:', onError }),
      await RedisStore.connect({ redis: client(), keyPrefix: 'c:', onError }),
    ];
    const [a, b] = stores.map((store) => new BreakerRegistry({ store, defaults }));
    // enough names that their hash tags land on all three masters
    const names = Array.from({ length: 12 }, (_, i) => `provider-${i}`);
    try {
      for (const name of names) b!.get(name);
      for (const name of names) await repeat(a!.get(name), 1, fail503);
      await eventually(() => names.every((name) => b!.get(name).state === 'open'), 5_000);

      const redis = clients[0]!;
      const slots = new Set(
        await Promise.all(names.map((n) => redis.call('CLUSTER', 'KEYSLOT', `{c:${n}}:state`))),
      );
      const owners = new Set<number>();
      for (const node of redis.nodes('master')) {
        for (const name of names) {
          if ((await node.exists(`{c:${name}}:state`).catch(() => 0)) === 1)
            owners.add(node.options.port!);
        }
      }
      expect(slots.size).to.equal(names.length);
      expect(owners.size).to.equal(3);

      // a third replica loads every state by scanning each master
      const late = await RedisStore.connect({ redis: client(), keyPrefix: 'c:', onError });
      stores.push(late);
      expect(late.cached).to.equal(names.length);
      const c = new BreakerRegistry({ store: late, defaults });
      expect(c.get('provider-3').state).to.equal('open');

      // one trial permit for the fleet: the trial and its permit live in one slot
      clock.advance(1_000);
      const trial = await admitTrial(a!.get('provider-3'), () => stores[0]!.flush());
      expect(isCircuitOpenError(await rejection(b!.get('provider-3').execute(succeed)))).to.equal(
        true,
      );
      trial.finish();
      expect(await trial.done).to.equal('ok');
      await eventually(
        () => b!.get('provider-3').state === 'closed' && c.get('provider-3').state === 'closed',
      );
      expect(errors).to.deep.equal([]);
      await c.close();
    } finally {
      await Promise.all([a!.close(), b!.close()]);
      await Promise.all(stores.map((store) => store.close()));
    }
  });
});
