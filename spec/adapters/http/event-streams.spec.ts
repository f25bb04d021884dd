import FakeTimers from '@sinonjs/fake-timers';
import { expect } from 'chai';
import { get, type ClientRequest, type IncomingMessage } from 'node:http';
import { BreakerRegistry, type Breaker, type Disposable } from '../../../lib/index.js';
import { buildApp, FRAMEWORKS, listen, stop, type TestApp } from './frameworks.js';

interface ServerEvent {
  readonly event: string;
  readonly data: Record<string, unknown>;
}

/** Reads server-sent events from a response as they arrive. */
class EventReader {
  private buffer = '';
  private readonly events: ServerEvent[] = [];
  private waiting: { name: string; resolve: (e: ServerEvent) => void } | null = null;
  readonly ended: Promise<void>;

  constructor(response: IncomingMessage) {
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => this.push(chunk));
    this.ended = new Promise((resolve) => response.once('end', resolve));
  }

  /** The next event called `name`, skipping others. */
  next(name: string): Promise<ServerEvent> {
    const at = this.events.findIndex((e) => e.event === name);
    if (at >= 0) return Promise.resolve(this.events.splice(0, at + 1).pop()!);
    return new Promise((resolve) => (this.waiting = { name, resolve }));
  }

  private push(chunk: string): void {
    this.buffer += chunk;
    let end: number;
    while ((end = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event === undefined || data === undefined) continue;
      const parsed = { event, data: JSON.parse(data) as Record<string, unknown> };
      if (this.waiting !== null && this.waiting.name === event) {
        const { resolve } = this.waiting;
        this.waiting = null;
        resolve(parsed);
      } else {
        this.events.push(parsed);
      }
    }
  }
}

/** Opens `GET /admin/events` and resolves once the stream has started. */
function openStream(
  base: string,
): Promise<{ request: ClientRequest; response: IncomingMessage; reader: EventReader }> {
  return new Promise((resolve, reject) => {
    const request = get(`${base}/admin/events`, (response) => {
      resolve({ request, response, reader: new EventReader(response) });
    });
    request.on('error', reject);
  });
}

/**
 * Counts the registry subscriptions that are alive, and resolves `idle` when the last one is
 * disposed: a way to wait for the server to notice that clients left, without sleeping.
 */
function countSubscriptions(registry: BreakerRegistry): {
  live: () => number;
  idle: () => Promise<void>;
} {
  let live = 0;
  let onIdle: (() => void) | null = null;
  const on = registry.on.bind(registry);
  registry.on = ((event: 'stateChange', listener: (e: unknown) => void): Disposable => {
    const subscription = on(event, listener);
    live++;
    return {
      dispose() {
        subscription.dispose();
        if (--live === 0) onIdle?.();
      },
    };
  }) as BreakerRegistry['on'];
  return {
    live: () => live,
    idle: () => (live === 0 ? Promise.resolve() : new Promise((resolve) => (onIdle = resolve))),
  };
}

/** The registry's own listener count, read from its (private) emitter. */
function registryListeners(registry: BreakerRegistry): number {
  return (registry as unknown as { events: { listenerCount: number } }).events.listenerCount;
}

async function fail(breaker: Breaker, times: number): Promise<void> {
  for (let i = 0; i < times; i++) {
    await breaker.execute(() => Promise.reject(new Error('down'))).catch(() => undefined);
  }
}

for (const framework of FRAMEWORKS) {
  describe(`GET /events under ${framework}`, () => {
    let registry: BreakerRegistry;
    let app: TestApp;
    let base: string;
    let timers: ReturnType<typeof FakeTimers.install>;

    beforeEach(async () => {
      timers = FakeTimers.install({ toFake: ['setInterval', 'clearInterval'] });
      registry = new BreakerRegistry({ defaults: { failureThreshold: 2 } });
      registry.get('openai');
      // The history's own timer and listeners are counted in its spec (history: false here).
      app = buildApp(framework, registry, {
        admin: { metrics: false, eventsInterval: 1_000, history: false },
      });
      base = await listen(app.server);
    });

    afterEach(async () => {
      await app.admin!.close();
      await stop(app.server);
      timers.uninstall();
    });

    it('sends every snapshot at once, then state changes as they happen', async () => {
      const { reader, response } = await openStream(base);
      expect(response.headers['content-type']).to.equal('text/event-stream; charset=utf-8');
      const first = await reader.next('snapshot');
      expect((first.data['breakers'] as { name: string }[]).map((b) => b.name)).to.deep.equal([
        'openai',
      ]);
      await fail(registry.get('openai'), 2);
      const change = await reader.next('state');
      expect(change.data).to.include({
        breaker: 'openai',
        from: 'closed',
        to: 'open',
        reason: 'consecutive_failures',
      });
      expect(change.data['snapshot']).to.include({
        name: 'openai',
        state: 'open',
        failedRequests: 2,
      });
    });

    it('sends every snapshot again each interval, from one shared timer', async () => {
      const streams = await Promise.all([openStream(base), openStream(base), openStream(base)]);
      await Promise.all(streams.map((s) => s.reader.next('snapshot')));
      expect(timers.countTimers()).to.equal(1);
      registry.get('anthropic');
      timers.tick(1_000);
      for (const { reader } of streams) {
        const again = await reader.next('snapshot');
        expect((again.data['breakers'] as { name: string }[]).map((b) => b.name)).to.deep.equal([
          'openai',
          'anthropic',
        ]);
      }
    });

    it('leaves no listener and no timer behind when 100 clients connect and drop', async () => {
      const subscriptions = countSubscriptions(registry);
      const baseline = registryListeners(registry);
      const streams = await Promise.all(Array.from({ length: 100 }, () => openStream(base)));
      await Promise.all(streams.map((s) => s.reader.next('snapshot')));
      expect(app.admin!.eventStreams).to.equal(100);
      expect(subscriptions.live(), 'one registry subscription for all clients').to.equal(1);
      expect(registryListeners(registry)).to.equal(baseline + 1);
      expect(timers.countTimers()).to.equal(1);

      for (const { request } of streams) request.destroy();
      await subscriptions.idle();
      expect(app.admin!.eventStreams).to.equal(0);
      expect(registryListeners(registry)).to.equal(baseline);
      expect(timers.countTimers()).to.equal(0);

      const again = await openStream(base);
      await again.reader.next('snapshot');
      expect(subscriptions.live()).to.equal(1);
      again.request.destroy();
      await subscriptions.idle();
      expect(registryListeners(registry)).to.equal(baseline);
    });

    it('ends every stream when the router is closed', async () => {
      const streams = await Promise.all([openStream(base), openStream(base)]);
      await Promise.all(streams.map((s) => s.reader.next('snapshot')));
      await app.admin!.close();
      await Promise.all(streams.map((s) => s.reader.ended));
      expect(app.admin!.eventStreams).to.equal(0);
      expect(timers.countTimers()).to.equal(0);
    });
  });
}
