import { createHash, timingSafeEqual } from 'node:crypto';
import type { AdminAccess, Authorize } from './admin-options.js';

/** The outcome of an access check: allowed, or the status and message to answer with. */
export type AccessVerdict =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly status: 401 | 403; readonly message: string };

const ALLOWED: AccessVerdict = Object.freeze({ allowed: true });

/** How to turn the mutating routes on, for the 403 answer when neither token nor hook is set. */
export const HOW_TO_ENABLE =
  'Admin mutations are disabled: pass { token: process.env.ADMIN_TOKEN } (sent as "Authorization: Bearer <token>") or { authorize: (req) => boolean } to adminRouter() to enable reset and open.';

/**
 * Who may do what on the admin router. Reading is open unless `authorize` says otherwise;
 * mutations need the bearer token (compared in constant time) or `authorize` saying yes.
 */
export class AdminAuth<Req> {
  private readonly tokenDigest: Buffer | undefined;

  constructor(
    token: string | undefined,
    private readonly authorize: Authorize<Req> | undefined,
  ) {
    this.tokenDigest = token === undefined ? undefined : digest(token);
  }

  /** How the dashboard should offer mutations: with a token field, through the hook, or not. */
  get mode(): 'token' | 'authorize' | 'none' {
    if (this.tokenDigest !== undefined) return 'token';
    return this.authorize !== undefined ? 'authorize' : 'none';
  }

  /** Decides a request; `authorization` is its `Authorization` header. */
  async check(
    request: Req,
    access: AdminAccess,
    authorization: string | undefined,
  ): Promise<AccessVerdict> {
    if (access.action === 'read') {
      if (this.authorize === undefined || (await this.authorize(request, access)) === true)
        return ALLOWED;
      return { allowed: false, status: 403, message: 'authorize() refused this request' };
    }
    if (this.tokenDigest === undefined && this.authorize === undefined) {
      return { allowed: false, status: 403, message: HOW_TO_ENABLE };
    }
    const presented = bearerToken(authorization);
    if (
      this.tokenDigest !== undefined &&
      presented !== undefined &&
      sameDigest(digest(presented), this.tokenDigest)
    ) {
      return ALLOWED;
    }
    if (this.authorize !== undefined && (await this.authorize(request, access)) === true)
      return ALLOWED;
    if (this.tokenDigest !== undefined) {
      const message =
        presented === undefined
          ? 'This route needs "Authorization: Bearer <token>"'
          : 'The bearer token is not the admin token';
      return { allowed: false, status: 401, message };
    }
    return { allowed: false, status: 403, message: 'authorize() refused this request' };
  }
}

/** The token of an `Authorization: Bearer <token>` header, if that is what it holds. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

/**
 * Hashing both sides first gives equal-length buffers, so `timingSafeEqual` compares them in
 * constant time whatever the lengths of the token and the guess.
 */
function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function sameDigest(a: Buffer, b: Buffer): boolean {
  return timingSafeEqual(a, b);
}
