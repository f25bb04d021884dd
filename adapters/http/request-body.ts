import type { IncomingMessage } from 'node:http';
import { errorAnswer, type AdminAnswer } from './admin-answer.js';

/**
 * Reads and checks the body of a POST to the admin router. The routes need no body, but one may
 * be sent: it must be empty or a JSON object, at most `limit` bytes. Answers 413 for a larger
 * body (the connection is then closed rather than read to the end) and 400 for anything else.
 * `parsed` is what a body parser that ran before the router left (`req.body`,
 * `ctx.request.body`); the stream is read only when nothing did.
 *
 * @returns `null` when the body is acceptable, else the error answer.
 */
export async function checkBody(
  request: IncomingMessage,
  parsed: unknown,
  limit: number,
): Promise<AdminAnswer | null> {
  const body = await readBody(request, parsed, limit);
  return 'kind' in body ? body : null;
}

/**
 * As {@link checkBody}, but keeps the body: `{ value }` with the JSON object sent (an empty body
 * reads as `{}`), or the error answer.
 */
export async function readBody(
  request: IncomingMessage,
  parsed: unknown,
  limit: number,
): Promise<AdminAnswer | { readonly value: Record<string, unknown> }> {
  if (parsed !== undefined) return objectOf(parsed);
  const declared = request.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) return tooLarge(limit);
  if (request.readableEnded || request.complete) return { value: {} };
  let text: string;
  try {
    const read = await readText(request, limit);
    if (read === null) return tooLarge(limit);
    text = read;
  } catch {
    return errorAnswer(400, 'bad_request', 'The request body could not be read');
  }
  if (text.trim() === '') return { value: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return errorAnswer(400, 'bad_request', 'The request body is not valid JSON');
  }
  return objectOf(value);
}

function objectOf(value: unknown): AdminAnswer | { readonly value: Record<string, unknown> } {
  if (value === null || value === '') return { value: {} };
  if (typeof value === 'object' && !Array.isArray(value))
    return { value: value as Record<string, unknown> };
  return notAnObject();
}

/** The body as text, or `null` once it passes `limit` bytes. */
function readText(request: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        request.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks).toString('utf8'));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const cleanup = (): void => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('aborted', onError);
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('aborted', onError);
  });
}

function notAnObject(): AdminAnswer {
  return errorAnswer(400, 'bad_request', 'The request body must be empty or a JSON object');
}

function tooLarge(limit: number): AdminAnswer {
  return errorAnswer(413, 'payload_too_large', `The request body is larger than ${limit} bytes`, {
    connection: 'close',
  });
}
