import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { startReplica } from '../../../examples/redis-fleet/index.js';
import { ManualClock, fail503, repeat } from '../../breaker/helpers.js';
import { eventually } from '../../store/fleet-behaviours.js';
import { redisServer, type RedisServer } from './redis-server.js';

const root = new URL('../../../../', import.meta.url);

describe('Redis fleet example (examples/redis-fleet)', () => {
  let server: RedisServer;
  before(async () => {
    server = await redisServer();
    await server.start();
  });
  after(async () => {
    await server.dispose();
  });

  it('opens the breaker on every replica when one replica sees 3 failures', async () => {
    const clock = new ManualClock(1_000);
    const clients = [new Redis(server.port, '127.0.0.1'), new Redis(server.port, '127.0.0.1')];
    const [one, two] = await Promise.all(
      clients.map((redis) => startReplica(redis, { timeout: false, clock })),
    );
    try {
      const moves: string[] = [];
      two!.registry.get('payments').on('stateChange', (e) => moves.push(e.to));
      await repeat(one!.registry.get('payments'), 3, fail503);
      await eventually(() => two!.registry.get('payments').state === 'open');
      expect(moves).to.deep.equal(['open']);
      expect(await clients[0]!.exists('{checkout:payments}:state')).to.equal(1);
    } finally {
      await one!.stop();
      await two!.stop();
      await Promise.all(clients.map((redis) => redis.quit()));
    }
  });

  it('is shown in docs/redis.md as it is, importing from breakwater/redis', () => {
    const code = readFileSync(new URL('examples/redis-fleet/index.ts', root), 'utf8').replace(
      "'../../adapters/redis/index.js'",
      "'breakwater/redis'",
    );
    const doc = readFileSync(new URL('docs/redis.md', root), 'utf8');
    expect(doc).to.include(code.trim());
  });
});
