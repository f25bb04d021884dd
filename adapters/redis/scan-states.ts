import type { Cluster, Redis } from 'ioredis';

/**
 * Every key matching `pattern` with its value, read with SCAN and MGET: on each master of a
 * Redis Cluster (SCAN walks one node), or on the one server. Values are read per slot-safe key.
 */
export async function scanStates(
  redis: Redis | Cluster,
  pattern: string,
): Promise<[key: string, json: string | null][]> {
  const nodes = redis.isCluster ? (redis as Cluster).nodes('master') : [redis as Redis];
  const found: [string, string | null][] = [];
  for (const node of nodes) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 200);
      cursor = next;
      if (keys.length === 0) continue;
      // Keys of different breakers live in different slots: one MGET per node is refused by a
      // cluster node only across slots, so read them one by one there.
      const values = redis.isCluster
        ? await Promise.all(keys.map((key) => node.get(key)))
        : await node.mget(...keys);
      keys.forEach((key, i) => found.push([key, values[i] ?? null]));
    } while (cursor !== '0');
  }
  return found;
}
