import type { ServerResponse } from 'node:http';
import type { Fault, StatusFault } from './faults.js';
import type { ChatRequest, ErrorFields, ProviderWire } from './wire/provider-wire.js';

/** One chat request being answered by a fake provider: what the fault plays on. */
export interface Exchange {
  readonly res: ServerResponse;
  readonly wire: ProviderWire;
  readonly request: ChatRequest;
  /** The answer's text when the provider is healthy. */
  readonly text: string;
  /** The answer's id (`chatcmpl-...`, `msg_...`). */
  readonly id: string;
  /** The `x-request-id` / `request-id` header value. */
  readonly requestId: string;
  /** Waits `ms`; resolves `false` if the exchange ended meanwhile (client gone, server closing). */
  sleep(ms: number): Promise<boolean>;
  /** Notes that the answer was complete and healthy. */
  succeed(): void;
}

/** How a stream ends: normally, cut off, with an in-band error, or not at all. */
type StreamEnding = 'finish' | 'cut' | 'error' | 'stall';

/** How a stream is played: when it ends and how, and the waits and oddities on the way. */
interface StreamPlan {
  readonly ending: StreamEnding;
  /** Content chunks sent before the ending (all of them for `finish`). */
  readonly afterChunks: number;
  /** Wait before the first content chunk, after the headers and opening events. */
  readonly firstChunkDelayMs?: number;
  /** Wait between content chunks. */
  readonly chunkDelayMs?: number;
  /** The in-band error's fields, for `error`. */
  readonly error?: ErrorFields;
  /** A malformed line sent after `malformedAfter` content chunks. */
  readonly malformed?: { readonly afterChunks: number; readonly data: string };
}

const FINISH: StreamPlan = { ending: 'finish', afterChunks: Infinity };

/** Answers `x` as `fault` says, or healthily when no fault struck. */
export async function play(x: Exchange, fault: Fault | undefined): Promise<void> {
  switch (fault?.kind) {
    case undefined:
      return x.request.stream ? stream(x, FINISH) : answerJson(x);
    case 'status':
      return answerStatus(x, fault);
    case 'reset':
      x.res.socket?.resetAndDestroy();
      return;
    case 'hang':
      if (fault.afterChunks !== undefined && x.request.stream)
        return stream(x, { ending: 'stall', afterChunks: fault.afterChunks });
      return; // never answer: the client's timeout, its abort or close() ends it
    case 'slow':
      if (!(await x.sleep(fault.delayMs))) return;
      return x.request.stream
        ? stream(x, { ...FINISH, chunkDelayMs: fault.chunkDelayMs ?? 0 })
        : answerJson(x);
    case 'streamCut':
      return stream(x, { ending: 'cut', afterChunks: fault.afterChunks ?? 1 });
    case 'streamError':
      return stream(x, { ending: 'error', afterChunks: fault.afterChunks ?? 1, error: fault });
    case 'streamDelay':
      return stream(x, {
        ...FINISH,
        firstChunkDelayMs: fault.delayMs,
        chunkDelayMs: fault.chunkDelayMs ?? 0,
      });
    case 'streamMalformed':
      return stream(x, {
        ...FINISH,
        malformed: { afterChunks: fault.afterChunks ?? 1, data: fault.data ?? '{"choices": [' },
      });
  }
}

function answerJson(x: Exchange): void {
  const body = JSON.stringify(x.wire.answer(x.request, x.text, x.id));
  x.res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    [x.wire.requestIdHeader]: x.requestId,
  });
  x.res.end(body, () => x.succeed());
}

function answerStatus(x: Exchange, fault: StatusFault): void {
  const headers: Record<string, string | number> = {
    'content-type': 'application/json',
    [x.wire.requestIdHeader]: x.requestId,
  };
  const retryAfter = fault.retryAfter ?? (fault.status === 429 ? 1 : false);
  if (retryAfter !== false) headers['retry-after'] = String(retryAfter);
  if (fault.retryAfterMs !== undefined) headers['retry-after-ms'] = String(fault.retryAfterMs);
  if (fault.headers !== undefined) Object.assign(headers, fault.headers);
  const fields: ErrorFields = {
    message: fault.message,
    type: fault.type,
    code: fault.code,
    retryAfterMs:
      fault.retryAfterMs ?? (typeof retryAfter === 'number' ? retryAfter * 1000 : undefined),
  };
  const body = JSON.stringify(x.wire.errorBody(fault.status, fields, x.request.model, x.requestId));
  headers['content-length'] = Buffer.byteLength(body);
  x.res.writeHead(fault.status, headers);
  x.res.end(body);
}

/** Cuts the answer's text into stream pieces: one word (with its leading space) each. */
export function piecesOf(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [text];
}

async function stream(x: Exchange, plan: StreamPlan): Promise<void> {
  const res = x.res;
  const frames = x.wire.stream(x.request, piecesOf(x.text), x.id);
  res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    [x.wire.requestIdHeader]: x.requestId,
  });
  res.flushHeaders(); // the headers go now, even when no event follows them for a while (Google)
  for (const frame of frames.head) if (!(await send(res, frame))) return;
  if (plan.firstChunkDelayMs !== undefined && !(await x.sleep(plan.firstChunkDelayMs))) return;
  const count = Math.min(plan.afterChunks, frames.pieces.length);
  const chunkDelayMs = plan.chunkDelayMs ?? 0;
  for (let i = 0; i < count; i++) {
    if (
      plan.malformed?.afterChunks === i &&
      !(await send(res, x.wire.malformed(plan.malformed.data)))
    )
      return;
    if (i > 0 && chunkDelayMs > 0 && !(await x.sleep(chunkDelayMs))) return;
    if (!(await send(res, frames.pieces[i]!))) return;
  }
  if (plan.malformed !== undefined && plan.malformed.afterChunks >= count) {
    if (!(await send(res, x.wire.malformed(plan.malformed.data)))) return;
  }
  switch (plan.ending) {
    case 'finish':
      for (const frame of frames.tail) if (!(await send(res, frame))) return;
      res.end(() => x.succeed());
      return;
    case 'cut':
      res.socket?.destroy();
      return;
    case 'error':
      if (!(await send(res, x.wire.streamError(plan.error ?? {}, x.requestId)))) return;
      res.end();
      return;
    case 'stall':
      return;
  }
}

/** Writes one frame and waits until it is handed to the socket; `false` if the socket is gone. */
function send(res: ServerResponse, frame: string): Promise<boolean> {
  if (res.destroyed || res.writableEnded) return Promise.resolve(false);
  return new Promise((resolve) => res.write(frame, (error) => resolve(error == null)));
}
