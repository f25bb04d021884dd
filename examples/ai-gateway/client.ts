import OpenAI from 'openai';
import { isMain } from './command-line.js';

/**
 * Asks the gateway through the official `openai` SDK, unchanged but for its base URL, and says
 * which tier answered. Run it beside a gateway: `node dist/examples/ai-gateway/client.js "hi"`
 * (`GATEWAY_URL` if it is not on localhost:3000).
 *
 * @example
 * const { text, servedBy } = await ask('hello');
 */
export async function ask(prompt: string, gatewayURL = 'http://localhost:3000') {
  const client = new OpenAI({ baseURL: `${gatewayURL}/v1`, apiKey: 'unused', maxRetries: 0 });
  const { data, response } = await client.chat.completions
    .create({ model: 'any', messages: [{ role: 'user', content: prompt }] })
    .withResponse();
  return {
    text: data.choices[0]?.message.content,
    servedBy: response.headers.get('x-served-by'), // openai, anthropic, cache or degraded
  };
}

if (isMain(import.meta.url)) {
  console.log(await ask(process.argv[2] ?? 'hello', process.env['GATEWAY_URL']));
}
