/** Environment variables as `process.env` holds them. */
export type Environment = Readonly<Record<string, string | undefined>>;

/** Where one provider tier sends its requests. */
export interface ProviderConfig {
  /** The API key; `undefined` when the in-process fake provider answers instead. */
  readonly apiKey: string | undefined;
  /** The SDK's base URL; `undefined` for the provider's own (or the fake's, when `fake`). */
  readonly baseURL: string | undefined;
  /** The model this tier asks for. */
  readonly model: string;
  /** Whether the in-process fake provider stands in for the real one. */
  readonly fake: boolean;
}

/** Everything the AI gateway examples read from the environment. */
export interface GatewayConfig {
  /** `PORT`: where the gateway listens; 0 picks a free port. Default 3000. */
  readonly port: number;
  /** `HOST`: the address the gateway listens on. Default `127.0.0.1`. */
  readonly host: string;
  readonly openai: ProviderConfig;
  readonly anthropic: ProviderConfig & {
    /** `ANTHROPIC_MAX_TOKENS`: `max_tokens` when the caller gives none. Default 1024. */
    readonly maxTokens: number;
  };
  /** The third tier of streamed answers (`GOOGLE_API_KEY`, `GOOGLE_BASE_URL`, `GOOGLE_MODEL`). */
  readonly google: ProviderConfig;
  /**
   * `STREAM_RESUME`: `1` to continue a streamed answer at the next provider when one is cut
   * mid-answer (the partial text sent on with a "continue" turn); `0` (the default) ends such a
   * stream with an error event.
   */
  readonly streamResume: boolean;
  /** `ADMIN_TOKEN`: bearer token of the admin router's mutations; generated in demo mode. */
  readonly adminToken: string | undefined;
  /**
   * `PROVIDER_TIMEOUT_MS`: each provider breaker's `timeout`. Default 20 000; 2 000 when both
   * providers are fakes (which answer at once), so that a demo hang is over quickly.
   */
  readonly timeoutMs: number;
  /** `FAILURE_THRESHOLD`: consecutive failures that open a provider's breaker. Default 3. */
  readonly failureThreshold: number;
  /** `RESET_TIMEOUT_MS`: how long an open breaker waits before its trial call. Default 30 000. */
  readonly resetTimeoutMs: number;
  /** `MAX_RESET_TIMEOUT_MS`: cap of the open-duration backoff; `undefined` for no backoff. */
  readonly maxResetTimeoutMs: number | undefined;
  /** `CACHE_MAX_ENTRIES`: prompts whose last good answer the cache tier keeps. Default 1000. */
  readonly cacheMaxEntries: number;
  /** `DEGRADED_MESSAGE`: what the last tier answers. */
  readonly degradedMessage: string;
  /** `SHUTDOWN_TIMEOUT_MS`: how long a shutdown waits for calls in flight. Default 10 000. */
  readonly shutdownTimeoutMs: number;
  /** `FAKE_PORT`: where the in-process fake providers listen; 0 picks a free port. */
  readonly fakePort: number;
}

/** The message of the last tier unless `DEGRADED_MESSAGE` says otherwise. */
export const DEFAULT_DEGRADED_MESSAGE =
  'The assistant is temporarily unavailable. Please try again in a minute.';

/**
 * Reads the gateway's configuration from environment variables (see docs/gateway.md for the
 * table). A provider is real when its API key or base URL is given, and answered by an
 * in-process fake otherwise (or always, with `FAKE_PROVIDERS=always`). Bad values throw a
 * `RangeError` or `TypeError` naming the variable and showing the value.
 *
 * @example
 * const config = readGatewayConfig(process.env);
 * const forSpecs = readGatewayConfig({ PORT: '0', RESET_TIMEOUT_MS: '1000' });
 */
export function readGatewayConfig(env: Environment = process.env): GatewayConfig {
  const fakes = env['FAKE_PROVIDERS'] ?? 'auto';
  if (fakes !== 'auto' && fakes !== 'always') {
    throw new RangeError(`FAKE_PROVIDERS must be "auto" or "always", got ${JSON.stringify(fakes)}`);
  }
  const provider = (prefix: 'OPENAI' | 'ANTHROPIC' | 'GOOGLE', model: string): ProviderConfig => {
    const apiKey = text(env, `${prefix}_API_KEY`);
    const baseURL = url(env, `${prefix}_BASE_URL`);
    const fake = fakes === 'always' || (apiKey === undefined && baseURL === undefined);
    return {
      apiKey: fake ? undefined : apiKey,
      baseURL: fake ? undefined : baseURL,
      model: text(env, `${prefix}_MODEL`) ?? model,
      fake,
    };
  };
  const openai = provider('OPENAI', 'gpt-5.4-mini');
  const anthropic = provider('ANTHROPIC', 'claude-haiku-4-5');
  const google = provider('GOOGLE', 'gemini-2.5-flash');
  const resume = env['STREAM_RESUME']?.trim() || '0';
  if (resume !== '0' && resume !== '1') {
    throw new RangeError(`STREAM_RESUME must be "0" or "1", got ${JSON.stringify(resume)}`);
  }
  const resetTimeoutMs = integer(env, 'RESET_TIMEOUT_MS', 30_000, 1, MAX_MS);
  const maxResetTimeoutMs = optionalInteger(env, 'MAX_RESET_TIMEOUT_MS', resetTimeoutMs, MAX_MS);
  return {
    port: integer(env, 'PORT', 3000, 0, 65_535),
    host: text(env, 'HOST') ?? '127.0.0.1',
    openai,
    anthropic: { ...anthropic, maxTokens: integer(env, 'ANTHROPIC_MAX_TOKENS', 1024, 1) },
    google,
    streamResume: resume === '1',
    adminToken: text(env, 'ADMIN_TOKEN'),
    timeoutMs: integer(
      env,
      'PROVIDER_TIMEOUT_MS',
      openai.fake && anthropic.fake ? 2_000 : 20_000,
      1,
      MAX_MS,
    ),
    failureThreshold: integer(env, 'FAILURE_THRESHOLD', 3, 1),
    resetTimeoutMs,
    maxResetTimeoutMs,
    cacheMaxEntries: integer(env, 'CACHE_MAX_ENTRIES', 1000, 0),
    degradedMessage: text(env, 'DEGRADED_MESSAGE') ?? DEFAULT_DEGRADED_MESSAGE,
    shutdownTimeoutMs: integer(env, 'SHUTDOWN_TIMEOUT_MS', 10_000, 0, MAX_MS),
    fakePort: integer(env, 'FAKE_PORT', 0, 0, 65_535),
  };
}

/** The longest delay Node's timers honour: ms variables above it are refused naming the variable. */
const MAX_MS = 2 ** 31 - 1;

/** A variable's value, trimmed; `undefined` when unset or blank. */
function text(env: Environment, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

function url(env: Environment, name: string): string | undefined {
  const value = text(env, name);
  if (value === undefined) return undefined;
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) {
    throw new TypeError(`${name} must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
  return value;
}

function optionalInteger(
  env: Environment,
  name: string,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number | undefined {
  const value = text(env, name);
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) {
    throw new RangeError(
      `${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`,
    );
  }
  return number;
}

function integer(
  env: Environment,
  name: string,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  return optionalInteger(env, name, min, max) ?? fallback;
}
