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
  const parts = Object.entries(served).map(([tier, n]) => `${tier} ${n}`);
  return { served, message: `${count} questions answered by ${parts.join(', ')}` };
}
