/**
 * A stand-in for OpenAI that answers only when the spec says so: each chat request is held
 * until `answer()` is called. It lets a spec keep a request in flight for exactly as long as it
 * needs, without timers.
 */
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HeldRequest {
  readonly body: { messages: { content: string }[] };
  readonly res: ServerResponse;
}

export interface HeldUpstream {
  /** Base URL for the `openai` SDK (`.../v1`). */
  readonly baseURL: string;
  /** Resolves with the next chat request to arrive (or one that already did). */
  received(): Promise<HeldRequest>;
  /** Answers a held request with a chat completion saying `text`. */
  answer(request: HeldRequest, text: string): void;
  close(): Promise<void>;
}

export async function startHeldUpstream(): Promise<HeldUpstream> {
  const arrived: HeldRequest[] = [];
  const waiting: ((request: HeldRequest) => void)[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const held = { body: JSON.parse(Buffer.concat(chunks).toString('utf8')), res };
      const waiter = waiting.shift();
      if (waiter === undefined) arrived.push(held);
      else waiter(held);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    received: () => {
      const held = arrived.shift();
      return held !== undefined
        ? Promise.resolve(held)
        : new Promise((resolve) => waiting.push(resolve));
    },
    answer(request, text) {
      request.res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          id: 'chatcmpl-held',
          object: 'chat.completion',
          created: Math.floor(Date.now() / 1000),
          model: 'held-model',
          choices: [
            {
              index: 0,
              message: { role: 'assistant', content: text, refusal: null },
              logprobs: null,
              finish_reason: 'stop',
            },
          ],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        }),
      );
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
