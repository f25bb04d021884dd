import type { ServerResponse } from 'node:http';
import { once } from 'node:events';
import { isStreamInterruptedError, withOutcome } from '../../lib/index.js';
import type { AnswerCache } from './answer-cache.js';
import type { ChatRequest } from './chat-request.js';
import { attemptsOf } from './chat-wire.js';
import type { ChatStreams } from './chat-streams.js';
import type { GatewayChunk } from './stream-chunks.js';

/** The provider tiers whose finished answers the cache keeps. */
const PROVIDER_TIERS = new Set(['openai', 'anthropic', 'google']);

/** How a streamed answer went, for the endpoint's log and error answer. */
export type StreamEnd =
  | { readonly kind: 'finished'; readonly servedBy: string }
  /** Failed before the first chunk: nothing was written, the endpoint answers with an error. */
  | { readonly kind: 'failed'; readonly error: unknown }
  /** Failed after content: the stream ended with an in-band error event. */
  | { readonly kind: 'interrupted'; readonly error: unknown }
  | { readonly kind: 'cancelled' };

/**
 * Writes one streamed answer on `res` as OpenAI chat-completion server-sent events, as the
 * chain delivers it: nothing is fetched ahead of the client, and a chunk is written as soon as
 * it arrives. The headers go with the first chunk (the commit point, so that `x-served-by` can
 * name the tier that is answering); every chunk carries `served_by`; a last chunk with no
 * choices carries `served_by` (the tier that finished) and `attempts`, then `data: [DONE]`.
 *
 * When `signal` aborts (the client went away), the chain is told to stop, which aborts the
 * provider's request. A failure after content ends the stream with an in-band `error` event,
 * which the `openai` SDK throws as an `APIError`.
 */
export async function writeStream(
  streams: ChatStreams,
  cache: AnswerCache,
  request: ChatRequest,
  res: ServerResponse,
  signal: AbortSignal,
): Promise<StreamEnd> {
  let text = '';
  let model = '';
  let finish: 'stop' | 'length' = 'stop';
  let last = null as GatewayChunk | null;
  let interrupted: unknown = undefined;
  const outcome = await withOutcome(async (): Promise<StreamEnd | null> => {
    const iterator = streams.open(request)[Symbol.asyncIterator]();
    const stop = () => void iterator.return?.();
    if (signal.aborted) return { kind: 'cancelled' };
    signal.addEventListener('abort', stop, { once: true });
    try {
      let next: IteratorResult<GatewayChunk>;
      try {
        next = await iterator.next();
      } catch (error) {
        return signal.aborted ? { kind: 'cancelled' } : { kind: 'failed', error };
      }
      if (next.done) return signal.aborted ? { kind: 'cancelled' } : null;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-served-by': next.value.served_by,
      });
      try {
        while (!next.done) {
          const chunk = next.value;
          last = chunk;
          const choice = chunk.choices[0];
          if (typeof choice?.delta.content === 'string') text += choice.delta.content;
          if (choice?.finish_reason === 'length') finish = 'length';
          model ||= chunk.model;
          if (!(await write(res, `data: ${JSON.stringify(chunk)}\n\n`))) break;
          next = await iterator.next();
        }
      } catch (error) {
        interrupted = error;
      }
      return null;
    } finally {
      signal.removeEventListener('abort', stop);
      if (res.destroyed) stop();
    }
  });
  const early = outcome.value;
  if (early !== null) return early;
  if (res.destroyed || signal.aborted) return { kind: 'cancelled' };
  const servedBy = outcome.servedBy ?? last?.served_by ?? 'unknown';
  if (interrupted !== undefined) {
    const error = {
      message: isStreamInterruptedError(interrupted)
        ? `The ${interrupted.breaker} stream was cut after ${interrupted.delivered.length} chunks.`
        : 'The answer stream failed.',
      type: 'server_error',
      param: null,
      code: 'stream_interrupted',
    };
    res.end(`data: ${JSON.stringify({ error, served_by: servedBy })}\n\n`);
    return { kind: 'interrupted', error: interrupted };
  }
  if (PROVIDER_TIERS.has(servedBy))
    cache.remember(request, { text, model, finishReason: finish, usage: null });
  const summary = {
    ...(last === null
      ? {}
      : { id: (last as GatewayChunk).id, created: (last as GatewayChunk).created }),
    object: 'chat.completion.chunk',
    model,
    choices: [],
    served_by: servedBy,
    attempts: attemptsOf(outcome.attempts),
  };
  res.end(`data: ${JSON.stringify(summary)}\n\ndata: [DONE]\n\n`);
  return { kind: 'finished', servedBy };
}

/** Writes `frame`, waiting for the socket to drain when it is full; `false` once the client is gone. */
async function write(res: ServerResponse, frame: string): Promise<boolean> {
  if (res.destroyed) return false;
  if (res.write(frame)) return true;
  await Promise.race([once(res, 'drain'), once(res, 'close')]);
  return !res.destroyed;
}
