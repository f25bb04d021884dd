import { withOutcome } from '../../lib/index.js';
import { parseChatRequest } from './chat-request.js';
import type { ChatService } from './chat-service.js';

/** Where the dashboard's "ask" buttons send their requests, in demo mode. */
export const DEMO_ASK_PATH = '/_demo/ask';

/** Most questions one demo request may ask. */
export const DEMO_ASK_LIMIT = 50;

/**
 * Demo mode: asks the chat service `count` questions, one after another (as a user clicking
 * "send" would), and says which tier answered how many. Lets a person on the dashboard make
 * traffic and watch the breakers move.
 */
export async function askDemoQuestions(
  chat: ChatService,
  count: number,
): Promise<{ readonly served: Record<string, number>; readonly message: string }> {
  const served: Record<string, number> = {};
  for (let i = 0; i < count; i++) {
    const request = parseChatRequest({
      messages: [{ role: 'user', content: `demo question ${i % 5}` }],
    });
    const { servedBy } = await withOutcome(() => chat.complete(request));
    const tier = servedBy ?? 'unknown';
    served[tier] = (served[tier] ?? 0) + 1;
  }
  return { served, message: describeServed(count, served) };
}

/**
 * "1 question, answered by openai", "10 questions, all answered by anthropic", or
 * "4 questions answered: 2 by anthropic, 2 by openai".
 */
export function describeServed(count: number, served: Record<string, number>): string {
  const asked = count === 1 ? '1 question' : `${count} questions`;
  const tiers = Object.entries(served);
  if (tiers.length === 1) {
    return `${asked}, ${count === 1 ? '' : 'all '}answered by ${tiers[0]![0]}`;
  }
  return `${asked} answered: ${tiers.map(([tier, n]) => `${n} by ${tier}`).join(', ')}`;
}
