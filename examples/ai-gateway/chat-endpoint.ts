import type { IncomingMessage, ServerResponse } from 'node:http';
import { isAbort, statusOf, withOutcome } from '../../lib/index.js';
import type { AnswerCache } from './answer-cache.js';
import { ChatRequestError, parseChatRequest, type ChatRequest } from './chat-request.js';
import type { ChatService } from './chat-service.js';
import type { ChatStreams } from './chat-streams.js';
import { completionReply, errorReply, type HttpReply } from './chat-wire.js';
import { writeReply } from './gateway-answers.js';
import { readJsonBody } from './read-body.js';
import { writeStream } from './stream-reply.js';

/** Largest chat request body the gateway reads, in bytes. */
export const CHAT_BODY_LIMIT = 1024 * 1024;

/**
 * `POST /v1/chat/completions` without a framework: reads and checks the body, then either runs
 * the decorated chat service inside `withOutcome` and answers an OpenAI chat completion that
 * names the tier that served it, or (`stream: true`) streams the answer through
 * {@link ChatStreams}. Express and Koa both hand it the Node response, so they answer byte for
 * byte alike. Counts the requests in flight, for the shutdown log.
 */
export class ChatEndpoint {
  private active = 0;

  constructor(
    private readonly chat: ChatService,
    private readonly log: (line: string) => void,
    /** The streaming chain for `stream: true` requests, and the cache its answers go to. */
    private readonly streams: { readonly chain: ChatStreams; readonly cache: AnswerCache },
  ) {}

  /** Chat requests being answered right now. */
  get inFlight(): number {
    return this.active;
  }

  /**
   * Answers one request on a Node response (Express's `res`, Koa's `ctx.res`): a `stream: true`
   * request streams for real through {@link ChatStreams}, as the providers send it; any other
   * gets the whole answer as one chat completion from the decorated chain. Never rejects.
   */
  async serve(req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> {
    let request: ChatRequest;
    try {
      request = parseChatRequest(await readJsonBody(req, CHAT_BODY_LIMIT));
    } catch (error) {
      return writeReply(res, this.failure(error, signal));
    }
    if (!request.stream) {
      return writeReply(res, await this.reply(request, signal));
    }
    this.active++;
    try {
      const end = await writeStream(this.streams.chain, this.streams.cache, request, res, signal);
      if (end.kind === 'failed') writeReply(res, this.failure(end.error, signal));
      else if (end.kind === 'interrupted')
        this.log(`chat stream interrupted: ${String(end.error)}`);
    } catch (error) {
      this.log(`chat stream failed: ${String(error)}`);
      if (!res.headersSent) writeReply(res, this.failure(error, signal));
      else res.destroy();
    } finally {
      this.active--;
    }
  }

  private async reply(request: ChatRequest, signal: AbortSignal): Promise<HttpReply> {
    this.active++;
    try {
      const { value, servedBy, attempts } = await withOutcome(() =>
        this.chat.complete(request, signal),
      );
      return completionReply({ answer: value, servedBy: servedBy ?? 'unknown', attempts });
    } catch (error) {
      return this.failure(error, signal);
    } finally {
      this.active--;
    }
  }

  private failure(error: unknown, signal: AbortSignal): HttpReply {
    if (error instanceof ChatRequestError) {
      return errorReply(error.status, error.message, 'invalid_request_error', {
        param: error.param,
      });
    }
    if (signal.aborted || isAbort(error)) {
      return errorReply(499, 'The client closed the request.', 'client_closed_request');
    }
    const status = statusOf(error);
    if (status !== undefined && status >= 400 && status < 500) {
      // A caller's error, as a provider judged it (a 400, 413, 422): not failed over, passed on.
      return errorReply(status, messageOf(error), 'invalid_request_error');
    }
    this.log(`chat request failed: ${String(error)}`);
    return errorReply(500, 'The gateway failed to answer; see its log.', 'server_error');
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
