import { Breaker, isCircuitOpenError } from 'breakwater';

/** Calls a provider; `signal` aborts when the breaker gives up on the call. */
export type Provider = (prompt: string, signal: AbortSignal) => Promise<string>;

const openai = new Breaker({
  name: 'openai',
  failureThreshold: 3,
  resetTimeout: 30_000,
  timeout: 10_000,
});

export async function ask(callOpenAI: Provider, prompt: string): Promise<string> {
  try {
    return await openai.execute((signal) => callOpenAI(prompt, signal));
  } catch (error) {
    if (isCircuitOpenError(error)) {
      return `OpenAI is resting; try again in ${Math.ceil((error.retryAfterMs ?? 0) / 1000)} s`;
    }
    throw error; // the provider's own error (or CallTimeoutError), as it was
  }
}

export { openai };
