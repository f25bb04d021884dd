import type { IncomingMessage } from 'node:http';
import { isAbort, statusOf, withOutcome } from '../../lib/index.js';
import { ChatRequestError, parseChatRequest } from './chat-request.js';
import type { ChatService } from './chat-service.js';
import { completionReply, errorReply, type HttpReply } from './chat-wire.js';
import { readJsonBody } from './read-body.js';

/** Largest chat request body the gateway reads, in bytes. */
export const CHAT_BODY_LIMIT = 1024 * 1024;

/**
 * `POST /v1/chat/completions` without a framework: reads and checks the body, runs the chat
 * service inside `withOutcome`, and answers an OpenAI chat completion that names the tier that
 * served it. Express and Koa both write the {@link HttpReply} it resolves to, byte for byte.
 * Counts the requests in flight, for the shutdown log.
 */
export class ChatEndpoint {
  private active = 0;

  constructor(
    private readonly chat: ChatService,
    private readonly log: (line: string) => void,
  ) {}

  /** Chat requests being answered right now. */
  get inFlight(): number {
    return this.active;
  }

  /**
   * Answers one request. `signal` aborts when the caller goes away (or the gateway gives up at
   * shutdown); it cancels the provider call in progress. Never rejects.
   */
  async answer(req: IncomingMessage, signal: AbortSignal): Promise<HttpReply> {
    this.active++;
    try {
      const request = parseChatRequest(await readJsonBody(req, CHAT_BODY_LIMIT));
      const { value, servedBy, attempts } = await withOutcome(() =>
        this.chat.complete(request, signal),
      );
      return completionReply(
        { answer: value, servedBy: servedBy ?? 'unknown', attempts },
        request.stream,
      );
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
