import { PROVIDERS, type ProviderName } from './wire/provider-wire.js';

/** What one endpoint of a fake provider has seen. `requests = succeeded + failed + inFlight`. */
export interface EndpointCounters {
  /** Requests received. */
  requests: number;
  /** Answered 200 with a complete body or a finished stream (slow answers included). */
  succeeded: number;
  /** Answered otherwise: an error status, a reset, a cut or failed stream, a hang given up. */
  failed: number;
  /** Requests a fault struck (slow ones included). */
  faulted: number;
  /** Not finished yet: slow, hanging or streaming. */
  inFlight: number;
}

/** Counters of every endpoint, per provider. */
export interface FakeProviderCounters {
  openai: { chatCompletions: EndpointCounters };
  anthropic: { messages: EndpointCounters };
  /** Google's `generateContent` and `streamGenerateContent`, counted together. */
  google: { generateContent: EndpointCounters };
}

/** The endpoint name each provider's chat endpoint is counted under. */
export const ENDPOINT_OF: Record<ProviderName, string> = {
  openai: 'chatCompletions',
  anthropic: 'messages',
  google: 'generateContent',
};

/** A fresh set of zeroed counters. */
export function emptyCounters(): FakeProviderCounters {
  const zero = (): EndpointCounters => ({
    requests: 0,
    succeeded: 0,
    failed: 0,
    faulted: 0,
    inFlight: 0,
  });
  return {
    openai: { chatCompletions: zero() },
    anthropic: { messages: zero() },
    google: { generateContent: zero() },
  };
}

/** The counters of one provider's chat endpoint. */
export function endpointCounters(
  counters: FakeProviderCounters,
  provider: ProviderName,
): EndpointCounters {
  return (counters[provider] as Record<string, EndpointCounters>)[ENDPOINT_OF[provider]]!;
}

/** A deep copy, so callers can keep a reading while the server goes on counting. */
export function copyCounters(counters: FakeProviderCounters): FakeProviderCounters {
  const copy = emptyCounters();
  for (const provider of PROVIDERS)
    Object.assign(endpointCounters(copy, provider), endpointCounters(counters, provider));
  return copy;
}
