import type { IncomingMessage, ServerResponse } from 'node:http';
import type { StateChangeEvent } from '../../lib/events/breaker-events.js';
import type { Disposable } from '../../lib/events/emitter.js';
import type { BreakerRegistry } from '../../lib/registry/breaker-registry.js';
import type { RegistryHistory } from '../../lib/registry/registry-history.js';

/** The headers of `GET /events`, and of `HEAD /events` (which gets them and no body). */
export const EVENT_STREAM_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-store, no-transform',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
  'x-content-type-options': 'nosniff',
});

/** A client that has this much unsent data is too slow to follow: its stream is ended. */
const MAX_BUFFERED_BYTES = 1 << 20;

/**
 * The server-sent event streams of `GET /events`. Each client gets, as `text/event-stream`:
 * - `event: snapshot` with `{ at, breakers: [snapshot, ...] }` when it connects and then every
 *   `intervalMs`;
 * - `event: state` with `{ breaker, from, to, reason, at, remote, snapshot }` at each state change;
 * - `event: history` with `{ breakers: [history, ...] }` (see `RegistryHistory`) when it connects
 *   and at the next tick after anything was recorded.
 *
 * All clients share one registry subscription and one (unref'd) timer, made when the first
 * client connects and dropped when the last one leaves, so streams that come and go leave no
 * listener behind.
 */
export class EventStreams {
  private readonly clients = new Set<ServerResponse>();
  private subscription: Disposable | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;

  private historySent = -1;

  constructor(
    private readonly registry: BreakerRegistry,
    private readonly intervalMs: number,
    /** Told of an error building a frame; the frame is skipped and the streams go on. */
    private readonly onError: (error: unknown) => void = () => {},
    /** When given, `event: history` frames carry it: on connect, then whenever it changed. */
    private readonly history?: RegistryHistory,
  ) {}

  /** How many clients are connected. */
  get size(): number {
    return this.clients.size;
  }

  /** Starts a stream on `response`; it ends when the client leaves or {@link close} is called. */
  open(request: IncomingMessage, response: ServerResponse): void {
    request.socket.setNoDelay(true);
    request.socket.setTimeout(0);
    response.writeHead(200, EVENT_STREAM_HEADERS);
    response.write('retry: 2000\n\n');
    this.clients.add(response);
    response.once('close', () => this.leave(response));
    if (this.clients.size === 1) this.start();
    this.send(response, this.snapshotFrame());
    if (this.history !== undefined) this.send(response, this.historyFrame());
  }

  /** Ends every stream and drops the subscription and the timer. */
  close(): void {
    for (const client of [...this.clients]) client.end();
    this.clients.clear();
    this.stop();
  }

  private leave(response: ServerResponse): void {
    if (this.clients.delete(response) && this.clients.size === 0) this.stop();
  }

  private start(): void {
    this.subscription = this.registry.on('stateChange', (event) =>
      this.broadcast(this.stateFrame(event)),
    );
    this.timer = setInterval(() => {
      this.broadcast(this.snapshotFrame());
      if (this.history !== undefined && this.history.revision !== this.historySent) {
        this.broadcast(this.historyFrame());
      }
    }, this.intervalMs);
    this.timer.unref();
  }

  private stop(): void {
    this.subscription?.dispose();
    this.subscription = null;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private broadcast(frame: string | null): void {
    if (frame === null) return;
    for (const client of this.clients) this.send(client, frame);
  }

  private send(client: ServerResponse, frame: string | null): void {
    if (frame === null || client.writableEnded || client.destroyed) return;
    if (client.writableLength > MAX_BUFFERED_BYTES) {
      client.destroy();
      return;
    }
    client.write(frame);
  }

  /**
   * Frames are built in a timer and in event listeners, where a throw would end the process:
   * they are total, and an error (which snapshots no longer throw, but a future bug might) is
   * reported to `onError` and the frame skipped.
   */
  private snapshotFrame(): string | null {
    return this.safely(() =>
      frame('snapshot', { at: Date.now(), breakers: this.registry.snapshot() }),
    );
  }

  private historyFrame(): string | null {
    this.historySent = this.history!.revision;
    return this.safely(() => frame('history', { breakers: this.history!.all() }));
  }

  private stateFrame(event: StateChangeEvent): string | null {
    return this.safely(() => {
      const snapshot = this.registry.find(event.breaker)?.snapshot() ?? null;
      return frame('state', { ...event, snapshot });
    });
  }

  private safely(build: () => string): string | null {
    try {
      return build();
    } catch (error) {
      try {
        this.onError(error);
      } catch {
        // A throwing onError must not end the process either.
      }
      return null;
    }
  }
}

/** One server-sent event. JSON has no raw newlines, so `data` is a single line. */
function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
