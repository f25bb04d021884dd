import type { HistoryOptions } from '../../lib/registry/registry-history.js';
import { checkTimerMs, hasOwn, ownOptions } from '../../lib/breaker/own-options.js';
import { show } from '../../lib/core/show.js';

/** What an `Authorization: Bearer` header can carry and the router can read back. */
const TOKEN = /^[\x21-\x7e]+$/;

function describeBadToken(token: string): string {
  if (/\s/.test(token)) return 'whitespace in it';
  if (/[^\x00-\x7f]/.test(token)) return 'non-ASCII characters in it';
  return 'control characters in it';
}

/** What a request to the admin router asks for: handed to `authorize` with the request. */
export interface AdminAccess {
  /** `read` for the GET routes, `write` for reset and open. */
  readonly action: 'read' | 'write';
  /** The route asked for, such as `list`, `reset` or `events`. */
  readonly route: AdminRouteName;
  /** The breaker the route names, if any. */
  readonly breaker?: string | undefined;
}

/** The admin routes by name. */
export type AdminRouteName =
  | 'dashboard'
  | 'list'
  | 'show'
  | 'resetAll'
  | 'reset'
  | 'open'
  | 'disable'
  | 'enable'
  | 'config'
  | 'configure'
  | 'history'
  | 'health'
  | 'metrics'
  | 'events'
  | 'asset';

/**
 * Decides whether a request may use the admin router. Gets Express's `req` or Koa's `ctx` and
 * what the request asks for; may be async. When given, it is asked for every route: `false`
 * answers 403.
 */
export type Authorize<Req> = (request: Req, access: AdminAccess) => boolean | Promise<boolean>;

/**
 * Where `GET /metrics` reads its text: a prom-client `Registry` fits as it is, so
 * `metrics: register` serves your own registry (with `collectBreakerMetrics` from
 * `breakwater/prometheus` in it) on the admin router.
 */
export interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string> | string;
}

/** A button of a dashboard panel: the same-origin request it sends, with the viewer's token. */
export interface DashboardButton {
  readonly label: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** A path on the app's own origin, such as `/_control/faults/openai`. */
  readonly url: string;
  /** Sent as JSON. */
  readonly body?: unknown | undefined;
}

/** A panel of buttons the dashboard shows below the breaker cards to authorised viewers. */
export interface DashboardPanel {
  readonly title: string;
  readonly description?: string | undefined;
  /**
   * A path on the app's own origin that answers `GET` (with the viewer's token) with
   * `{ active, message }`: the label of the button now in force, which the panel marks, and a
   * line saying so. Asked when the panel shows, after each press and every 5 s.
   */
  readonly status?: string | undefined;
  readonly buttons: readonly DashboardButton[];
}

/** Options of `adminRouter()`, the same under Express and Koa. */
export interface AdminOptions<Req> {
  /**
   * A bearer token that allows the mutating routes (reset, open): requests send
   * `Authorization: Bearer <token>`. Compared in constant time; never echoed by any route.
   */
  token?: string | undefined;
  /**
   * A hook asked for every route with the request and {@link AdminAccess}: `true` allows it,
   * `false` answers 403. A mutation is allowed when the token matches or this hook says yes.
   */
  authorize?: Authorize<Req> | undefined;
  /**
   * What `GET /metrics` serves: a {@link MetricsSource} (a prom-client `Registry`), or `false`
   * to turn the route off. Default: a registry of its own with breakwater's metrics, made with
   * `breakwater/prometheus` (needs the optional peer `prom-client`).
   */
  metrics?: MetricsSource | false | undefined;
  /**
   * Extra panels of buttons for the dashboard (a demo's fault switches, say), shown to viewers
   * who may mutate. Each button sends its request to the app's own origin with the viewer's
   * bearer token, and shows the answer's `message`.
   */
  panels?: readonly DashboardPanel[] | undefined;
  /** How often `GET /events` sends every breaker's snapshot, in ms. Default 1 000. */
  eventsInterval?: number | undefined;
  /**
   * The dashboard's charts and state timeline: how often every breaker is sampled and how long
   * samples are kept ({@link HistoryOptions}; default every 5 s for 15 minutes), or `false` to
   * keep none. Routers of one registry share one history.
   */
  history?: HistoryOptions | false | undefined;
  /** Largest request body the POST routes accept, in bytes; larger answers 413. Default 16 384. */
  bodyLimit?: number | undefined;
  /**
   * Told about errors the router answered with a 500 (a throwing `authorize`, a failing
   * metrics source). Default: `console.error`.
   */
  onError?: ((error: unknown) => void) | undefined;
}

/** {@link AdminOptions} checked, with defaults filled in. */
export interface ResolvedAdminOptions<Req> {
  /** Every option as read (own keys only), for the options an adapter adds and checks itself. */
  readonly extra: Readonly<Record<string, unknown>>;
  readonly token: string | undefined;
  readonly authorize: Authorize<Req> | undefined;
  readonly metrics: MetricsSource | false | undefined;
  readonly panels: readonly DashboardPanel[];
  readonly eventsInterval: number;
  readonly history: HistoryOptions | false;
  readonly bodyLimit: number;
  readonly onError: (error: unknown) => void;
}

const ADMIN_OPTION_NAMES = [
  'token',
  'authorize',
  'metrics',
  'panels',
  'eventsInterval',
  'history',
  'bodyLimit',
  'onError',
] as const;

/**
 * Checks the options of `adminRouter()`: a `TypeError` or `RangeError` naming the option and
 * showing the value (never the token's value). `extra` lists option names an adapter adds
 * (Koa's `prefix`), which it checks itself.
 */
export function validateAdminOptions<Req>(
  options: unknown,
  where: string,
  extra: readonly string[] = [],
): ResolvedAdminOptions<Req> {
  // Own keys only, read once: an inherited `token` is ignored, never used unchecked.
  const o = ownOptions(
    options,
    where,
    new Set([...ADMIN_OPTION_NAMES, ...extra]),
  ) as AdminOptions<Req>;
  if (o.token !== undefined && (typeof o.token !== 'string' || o.token.trim() === '')) {
    const shown = typeof o.token === 'string' ? 'an empty string' : show(o.token);
    throw new TypeError(`${where}: token must be a non-empty string, got ${shown}`);
  }
  if (o.token !== undefined && !TOKEN.test(o.token)) {
    // Never shown: the message says what is wrong with it, not what it is.
    throw new TypeError(
      `${where}: token must be printable ASCII without spaces (what an "Authorization: Bearer <token>" header can carry); the token given has ${describeBadToken(o.token)}`,
    );
  }
  if (o.authorize !== undefined && typeof o.authorize !== 'function') {
    throw new TypeError(`${where}: authorize must be a function, got ${show(o.authorize)}`);
  }
  if (o.metrics !== undefined && o.metrics !== false && !isMetricsSource(o.metrics)) {
    throw new TypeError(
      `${where}: metrics must be false or have contentType and metrics() (a prom-client Registry), got ${show(o.metrics)}`,
    );
  }
  const panels = checkPanels(o.panels, where);
  // Only `undefined` means "not given": `null` is a value, and refused like any other wrong one.
  const eventsInterval = checkTimerMs(
    'eventsInterval',
    o.eventsInterval === undefined ? 1_000 : o.eventsInterval,
    50,
    where,
  );
  const history = o.history === undefined ? {} : o.history;
  if (history !== false && (typeof history !== 'object' || history === null)) {
    throw new TypeError(`${where}: history must be false or an object, got ${show(history)}`);
  }
  const bodyLimit = o.bodyLimit === undefined ? 16_384 : o.bodyLimit;
  if (typeof bodyLimit !== 'number' || !Number.isSafeInteger(bodyLimit) || bodyLimit < 0) {
    throw new RangeError(
      `${where}: bodyLimit must be a non-negative integer of bytes, got ${show(bodyLimit)}`,
    );
  }
  if (o.onError !== undefined && typeof o.onError !== 'function') {
    throw new TypeError(`${where}: onError must be a function, got ${show(o.onError)}`);
  }
  return {
    extra: o as Readonly<Record<string, unknown>>,
    token: o.token,
    authorize: o.authorize,
    metrics: o.metrics,
    panels,
    eventsInterval,
    history,
    bodyLimit,
    onError: o.onError ?? ((error) => console.error('breakwater admin router:', error)),
  };
}

function isMetricsSource(value: unknown): value is MetricsSource {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as MetricsSource).contentType === 'string' &&
    typeof (value as MetricsSource).metrics === 'function'
  );
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

const PANEL_KEYS = ['title', 'description', 'status', 'buttons'];
const BUTTON_KEYS = ['label', 'method', 'url', 'body'];

/**
 * Whether `url` is a path on the page's own origin: one leading `/`, and resolved by a browser
 * against any origin it stays there. `//evil.example` and `/\evil.example` (a browser reads `\`
 * as `/`), or a tab or newline a browser drops (`/\t/evil.example`), are refused.
 */
function isSameOriginPath(url: unknown): url is string {
  if (typeof url !== 'string' || !url.startsWith('/') || /[\\\s\u0000-\u001f\u007f]/.test(url))
    return false;
  try {
    return new URL(url, 'http://origin.invalid').origin === 'http://origin.invalid';
  } catch {
    return false;
  }
}

/** Own keys only, and no unknown ones: a panel is shown as it was checked. */
function checkKeys(value: object, known: readonly string[], at: string): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key))
      throw new TypeError(`${at}: unknown key "${key}"; known keys: ${known.join(', ')}`);
  }
  for (const key of known) {
    if (!hasOwn(value, key) && key in value)
      throw new TypeError(`${at}.${key} must be the object's own property, not inherited`);
  }
}

function checkPanels(panels: unknown, where: string): readonly DashboardPanel[] {
  if (panels === undefined) return [];
  if (!Array.isArray(panels))
    throw new TypeError(`${where}: panels must be an array, got ${show(panels)}`);
  panels.forEach((panel: Partial<DashboardPanel>, i) => {
    const at = `${where}: panels[${i}]`;
    if (
      typeof panel !== 'object' ||
      panel === null ||
      typeof panel.title !== 'string' ||
      panel.title === ''
    ) {
      throw new TypeError(`${at} must have a non-empty title, got ${show(panel)}`);
    }
    checkKeys(panel, PANEL_KEYS, at);
    if (panel.description !== undefined && typeof panel.description !== 'string') {
      throw new TypeError(`${at}.description must be a string, got ${show(panel.description)}`);
    }
    if (panel.status !== undefined && !isSameOriginPath(panel.status)) {
      throw new TypeError(
        `${at}.status must be a path on the app's own origin (starting with one "/"), got ${show(panel.status)}`,
      );
    }
    if (!Array.isArray(panel.buttons))
      throw new TypeError(`${at}.buttons must be an array, got ${show(panel.buttons)}`);
    panel.buttons.forEach((button: Partial<DashboardButton>, j) => {
      const b = `${at}.buttons[${j}]`;
      if (typeof button?.label !== 'string' || button.label === '') {
        throw new TypeError(`${b}.label must be a non-empty string, got ${show(button?.label)}`);
      }
      checkKeys(button, BUTTON_KEYS, b);
      if (!METHODS.includes(button.method as string)) {
        throw new TypeError(
          `${b}.method must be one of ${METHODS.join(', ')}, got ${show(button.method)}`,
        );
      }
      if (!isSameOriginPath(button.url)) {
        throw new TypeError(
          `${b}.url must be a path on the app's own origin (one leading "/", no "\\", spaces or control characters), got ${show(button.url)}`,
        );
      }
    });
  });
  return JSON.parse(JSON.stringify(panels)) as DashboardPanel[];
}
