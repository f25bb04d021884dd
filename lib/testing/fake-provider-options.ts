import { createHash, timingSafeEqual } from 'node:crypto';
import { ownOptions } from '../breaker/own-options.js';
import { show } from '../core/show.js';
import type { FakeProviderOptions } from './fake-provider.js';
import { PROVIDERS } from './wire/provider-wire.js';

const OPTIONS: ReadonlySet<string> = new Set([
  'port',
  'host',
  'apiKey',
  'reply',
  'controlPath',
  'controlToken',
  'faults',
]);
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** Throws unless `provider` is one the fake serves. */
export function checkProvider(provider: unknown): void {
  if (!(PROVIDERS as readonly unknown[]).includes(provider)) {
    throw new TypeError(`provider must be one of ${PROVIDERS.join(', ')}; got ${show(provider)}`);
  }
}

/** Checks `options` and returns them as read: own keys only, so nothing inherited takes effect. */
export function checkOptions(options: FakeProviderOptions): FakeProviderOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`startFakeProvider options must be an object, got ${show(options)}`);
  }
  const own = ownOptions(options, 'startFakeProvider', OPTIONS) as FakeProviderOptions;
  const { port, host, apiKey, reply, controlPath, controlToken, faults } = own;
  for (const [name, secret] of [
    ['apiKey', apiKey],
    ['controlToken', controlToken],
  ] as const) {
    if (secret === undefined) continue;
    // Never shown: a secret does not belong in an error message or a log.
    if (typeof secret !== 'string' || !/^[\x21-\x7e]+$/.test(secret)) {
      throw new TypeError(
        `${name} must be a non-empty string of printable ASCII without spaces (what an Authorization header can carry)`,
      );
    }
  }
  if (
    port !== undefined &&
    (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535)
  ) {
    throw new RangeError(`port must be an integer from 0 to 65535, got ${show(port)}`);
  }
  if (host !== undefined && !LOOPBACK.has(host)) {
    throw new RangeError(
      `host must be a loopback address (${[...LOOPBACK].join(', ')}), got ${show(host)}`,
    );
  }
  if (reply !== undefined && typeof reply !== 'function') {
    throw new TypeError(`reply must be a function (request) => string, got ${show(reply)}`);
  }
  if (
    controlPath !== undefined &&
    controlPath !== false &&
    (typeof controlPath !== 'string' || !/^\/[^?#]*[^/?#]$/.test(controlPath))
  ) {
    throw new TypeError(
      `controlPath must be a path such as "/_control" (no trailing slash) or false, got ${show(controlPath)}`,
    );
  }
  if (faults !== undefined && (typeof faults !== 'object' || faults === null)) {
    throw new TypeError(
      `faults must be an object such as { openai: { kind: 'status', status: 503 } }, got ${show(faults)}`,
    );
  }
  for (const key of Object.keys(faults ?? {})) checkProvider(key);
  const ownFaults = ownOptions(faults, 'startFakeProvider faults', new Set(PROVIDERS));
  return { ...own, ...(faults === undefined ? {} : { faults: ownFaults }) };
}

/**
 * Who may change faults on the control route: anyone when no `controlToken` was given, else a
 * request with `Authorization: Bearer <controlToken>`, compared in constant time.
 */
export class ControlGate {
  private readonly digest: Buffer | undefined;

  constructor(token: string | undefined) {
    this.digest = token === undefined ? undefined : digest(token);
  }

  /** Whether a request with this `Authorization` header may change faults. */
  allows(authorization: string | undefined): boolean {
    if (this.digest === undefined) return true;
    const match = /^\s*bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    return match !== null && timingSafeEqual(digest(match[1]!), this.digest);
  }
}

/** Equal-length digests, so a guess of any length is compared in constant time. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
