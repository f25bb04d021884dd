import type { ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { CLIENT_GONE } from './route-failure-error.js';
import type { ClientSignal } from './client-signal.js';

const pending = Symbol('breakwater.pendingRequests');

type WatchedSocket = Socket & { [pending]?: Set<ClientSignal> };

/**
 * Aborts `signal` with {@link CLIENT_GONE} if the connection of `res` closes before
 * {@link unwatchClient}. One `close` listener per connection serves every request it carries
 * (keep-alive, pipelining), rather than one listener per request: adding an event listener per
 * request costs a guarded route more than the rest of `protect()`. A response whose socket is
 * destroyed has lost its client already; one without a socket at all (a test double, an
 * injected request) cannot be watched and runs unwatched.
 */
export function watchClient(res: ServerResponse, signal: ClientSignal): void {
  const socket = res.socket as WatchedSocket | null | undefined;
  if (socket == null) return;
  if (socket.destroyed) {
    signal.abort(CLIENT_GONE);
    return;
  }
  let requests = socket[pending];
  if (requests === undefined) {
    const watched = (socket[pending] = new Set());
    requests = watched;
    socket.once('close', () => {
      for (const request of watched) request.abort(CLIENT_GONE);
      watched.clear();
    });
  }
  requests.add(signal);
  signal.watchList = requests;
}

/**
 * Stops watching: the request was answered (or given up) while its client was there. Uses the
 * list the signal joined, since the response may have left its socket by now.
 */
export function unwatchClient(signal: ClientSignal): void {
  signal.watchList?.delete(signal);
  signal.watchList = null;
}
