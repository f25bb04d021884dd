import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from './redis-server.js';

const run = promisify(execFile);

/** A local Redis Cluster of three masters on loopback, made by the spec itself. */
export interface RedisCluster {
  /** The masters' ports. */
  readonly ports: readonly number[];
  /** Kills the servers and removes their directories. */
  dispose(): Promise<void>;
}

/**
 * Starts three `redis-server --cluster-enabled yes` on free loopback ports (their cluster-bus
 * ports free too), joins them with `redis-cli --cluster create`, and waits until every node says
 * `cluster_state:ok`.
 */
export async function redisCluster(): Promise<RedisCluster> {
  const children: ChildProcess[] = [];
  const dirs: string[] = [];
  const ports: number[] = [];
  const dispose = async (): Promise<void> => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGKILL');
          }),
      ),
    );
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < 3; i++) {
      const port = await freePort();
      const busPort = await freePort();
      const dir = mkdtempSync(join(tmpdir(), 'breakwater-cluster-'));
      dirs.push(dir);
      ports.push(port);
      const child = spawn(
        '/usr/bin/redis-server',
        [
          '--port',
          String(port),
          '--cluster-port',
          String(busPort),
          '--bind',
          '127.0.0.1',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          'nodes.conf',
          '--save',
          '',
          '--appendonly',
          'no',
        ],
        { cwd: dir, stdio: 'ignore' },
      );
      child.unref();
      children.push(child);
    }
    for (const port of ports) await until(port, async (probe) => (await probe.ping()) === 'PONG');
    await run('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    for (const port of ports) {
      await until(port, async (probe) =>
        String(await probe.call('CLUSTER', 'INFO')).includes('cluster_state:ok'),
      );
    }
    return { ports, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** Polls the node on `port` until `ready` holds (at most a few seconds). */
async function until(port: number, ready: (probe: Redis) => Promise<boolean>): Promise<void> {
  const probe = new Redis(port, '127.0.0.1', {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  probe.on('error', () => undefined);
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        if (probe.status !== 'ready') await probe.connect();
        if (await ready(probe)) return;
      } catch (error) {
        if (attempt > 300) throw error;
      }
      if (attempt > 300) throw new Error(`redis on port ${port} is not ready`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    probe.disconnect();
  }
}
