import type { ServerResponse } from 'node:http';

/**
 * A signal that aborts when the response closes before it was sent: the caller went away, or
 * the gateway ended the connection at the end of a shutdown. Passed down to the provider SDKs,
 * it cancels their requests.
 */
export function clientSignal(res: ServerResponse): AbortSignal {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new Error('the client closed the request'));
  });
  return controller.signal;
}
