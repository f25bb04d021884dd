import type { ChatAnswer } from './chat-answer.js';
import { promptKey, type ChatRequest } from './chat-request.js';

/** The cache tier found no earlier answer to this conversation: the chain moves on. */
export class CacheMissError extends Error {
  override readonly name = 'CacheMissError';

  constructor() {
    super('no earlier answer to this conversation is cached');
  }
}

/**
 * The last good answer per conversation, for the cache tier: bounded to `maxEntries`
 * conversations, the least recently answered dropped first. In memory, per process.
 */
export class AnswerCache {
  private readonly answers = new Map<string, ChatAnswer>();

  constructor(readonly maxEntries = 1000) {
    if (!Number.isInteger(maxEntries) || maxEntries < 0) {
      throw new RangeError(`maxEntries must be a non-negative integer, got ${maxEntries}`);
    }
  }

  /** How many conversations have an answer. */
  get size(): number {
    return this.answers.size;
  }

  /** Keeps `answer` as the latest good answer to `request`'s conversation. */
  remember(request: ChatRequest, answer: ChatAnswer): void {
    if (this.maxEntries === 0) return;
    const key = promptKey(request);
    this.answers.delete(key);
    this.answers.set(key, answer);
    if (this.answers.size > this.maxEntries) {
      this.answers.delete(this.answers.keys().next().value!);
    }
  }

  /** The latest good answer to `request`'s conversation; throws {@link CacheMissError} if none. */
  recall(request: ChatRequest): ChatAnswer {
    const answer = this.answers.get(promptKey(request));
    if (answer === undefined) throw new CacheMissError();
    return answer;
  }
}
