import type { AdminRouteName } from './admin-options.js';

/** A request matched to an admin route. */
export interface MatchedRoute {
  readonly kind: 'route';
  readonly name: AdminRouteName;
  readonly action: 'read' | 'write';
  /** The breaker named in the path, percent-decoded. */
  readonly breaker?: string | undefined;
  /** The file of an `asset` route. */
  readonly asset?: string | undefined;
}

/** The path is an admin route, but not for this method: answer 405 with `allow`. */
export interface WrongMethod {
  readonly kind: 'method';
  readonly allow: readonly string[];
}

/** The path could not be read (bad percent-encoding): answer 400. */
export interface MalformedPath {
  readonly kind: 'malformed';
}

/** What a request is to the admin router; `null` when the path is not one of its routes. */
export type RouteMatch = MatchedRoute | WrongMethod | MalformedPath | null;

const READ = ['GET', 'HEAD'] as const;
const WRITE = ['POST'] as const;
const READ_OR_WRITE = ['GET', 'HEAD', 'POST'] as const;
const READ_OR_PATCH = ['GET', 'HEAD', 'PATCH'] as const;
/** The POST actions on one breaker: `/circuit-breakers/:name/<action>`. */
const ACTIONS: readonly string[] = ['reset', 'open', 'disable', 'enable'];

/**
 * Matches `method` and `path` (relative to where the router is mounted, query removed, still
 * percent-encoded) against the route table:
 *
 * | route | name |
 * |---|---|
 * | `GET /` | dashboard |
 * | `GET /circuit-breakers` | list |
 * | `GET /circuit-breakers/:name` | show |
 * | `POST /circuit-breakers/reset` | resetAll |
 * | `POST /circuit-breakers/:name/reset` | reset |
 * | `POST /circuit-breakers/:name/open` | open |
 * | `POST /circuit-breakers/:name/disable`, `.../enable` | disable, enable |
 * | `GET /circuit-breakers/:name/config` | config |
 * | `PATCH /circuit-breakers/:name/config` | configure |
 * | `GET /circuit-breakers/:name/history` | history (the dashboard's charts) |
 * | `GET /health`, `GET /metrics`, `GET /events` | health, metrics, events |
 * | `GET /assets/:file` | asset (the dashboard's chart library) |
 *
 * `HEAD` is accepted wherever `GET` is. A trailing slash is ignored.
 */
export function matchRoute(method: string, path: string): RouteMatch {
  if (!path.startsWith('/')) return null;
  const segments = path.slice(1).split('/');
  if (segments[segments.length - 1] === '') segments.pop();
  if (segments.some((s) => s === '')) return null;
  const [first, second, third] = segments;
  switch (segments.length) {
    case 0:
      return pick(method, READ, { name: 'dashboard', action: 'read' });
    case 1:
      if (first === 'circuit-breakers') return pick(method, READ, { name: 'list', action: 'read' });
      if (first === 'health') return pick(method, READ, { name: 'health', action: 'read' });
      if (first === 'metrics') return pick(method, READ, { name: 'metrics', action: 'read' });
      if (first === 'events') return pick(method, READ, { name: 'events', action: 'read' });
      return null;
    case 2: {
      if (first === 'assets')
        return pick(method, READ, { name: 'asset', action: 'read', asset: second! });
      if (first !== 'circuit-breakers') return null;
      const breaker = decode(second!);
      if (breaker === undefined) return { kind: 'malformed' };
      if (second === 'reset') {
        if (method === 'POST') return { kind: 'route', name: 'resetAll', action: 'write' };
        return pick(method, READ_OR_WRITE, { name: 'show', action: 'read', breaker });
      }
      return pick(method, READ, { name: 'show', action: 'read', breaker });
    }
    case 3: {
      if (
        first !== 'circuit-breakers' ||
        (third !== 'config' && third !== 'history' && !ACTIONS.includes(third!))
      )
        return null;
      const breaker = decode(second!);
      if (breaker === undefined) return { kind: 'malformed' };
      if (third === 'history')
        return pick(method, READ, { name: 'history', action: 'read', breaker });
      if (third === 'config') {
        if (method === 'PATCH')
          return { kind: 'route', name: 'configure', action: 'write', breaker };
        return pick(method, READ_OR_PATCH, { name: 'config', action: 'read', breaker });
      }
      return pick(method, WRITE, {
        name: third as 'reset' | 'open' | 'disable' | 'enable',
        action: 'write',
        breaker,
      });
    }
    default:
      return null;
  }
}

function pick(
  method: string,
  allow: readonly string[],
  route: Omit<MatchedRoute, 'kind'>,
): MatchedRoute | WrongMethod {
  return allow.includes(method) ? { kind: 'route', ...route } : { kind: 'method', allow };
}

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
