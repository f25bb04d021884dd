import type { IncomingMessage } from 'node:http';
import { ChatRequestError } from './chat-request.js';

/**
 * A request's body as text, or `null` when it is larger than `limit` bytes. Past the limit the
 * rest of the body is drained, not kept, so the connection can still carry the answer (a 413).
 * Reads the Node request itself, so Express and Koa answer alike.
 */
export function readBodyText(req: IncomingMessage, limit: number): Promise<string | null> {
  if (Number(req.headers['content-length']) > limit) {
    req.resume();
    return Promise.resolve(null);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off('data', onData);
      req.resume();
      resolve(null);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}

/**
 * Reads a request's JSON body, up to `limit` bytes: a {@link ChatRequestError} with status 413
 * when it is larger, 415 when it is not sent as JSON, 400 when it does not parse.
 */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/(?:[\w.+-]+\+)?json\b/i.test(type)) {
    req.resume();
    throw new ChatRequestError(
      `Send the body as JSON (content-type: application/json), got ${JSON.stringify(type)}.`,
      null,
      415,
    );
  }
  const text = await readBodyText(req, limit);
  if (text === null) {
    throw new ChatRequestError(`The request body is larger than ${limit} bytes.`, null, 413);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ChatRequestError('The request body is not valid JSON.', null);
  }
}
