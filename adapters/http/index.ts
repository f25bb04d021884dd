/**
 * The framework-neutral admin core behind `breakwater/express` and `breakwater/koa`: route
 * table, JSON answers, access checks, health, event streams, the dashboard page, and the parts
 * of `protect()` both frameworks share. Imported by those two adapters only.
 */
export {
  AdminCore,
  type AdminRequest,
  type MetricsLoader,
  type OwnedMetrics,
} from './admin-core.js';
export {
  validateAdminOptions,
  type AdminOptions,
  type AdminAccess,
  type AdminRouteName,
  type DashboardButton,
  type DashboardPanel,
  type Authorize,
  type MetricsSource,
  type ResolvedAdminOptions,
} from './admin-options.js';
export { type AdminAnswer, type EventStreamAnswer } from './admin-answer.js';
export { matchRoute, type RouteMatch } from './admin-routes.js';
export { readHealth, type HealthReport } from './health.js';
export { dashboardPage } from './dashboard-page.js';
export { EventStreams } from './event-streams.js';
export { HOW_TO_ENABLE } from './admin-auth.js';
export { resolveProtection, type ProtectOptions, type Protection } from './protect-options.js';
export {
  refusalAnswer,
  timeoutAnswer,
  retryAfterSeconds,
  isRefusal,
  type Refusal,
  type PlainAnswer,
} from './refusal-answer.js';
export { RouteFailureError, isRouteFailureError, CLIENT_GONE } from './route-failure-error.js';
export { httpErrorStatus } from './http-error-status.js';
export { pathOf } from './path-of.js';
export { ClientSignal } from './client-signal.js';
export { watchClient, unwatchClient } from './client-watch.js';
export { loadPrometheusMetrics } from './load-metrics.js';
