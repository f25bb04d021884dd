/**
 * `breakwater/express`: `protect()` middleware and the admin router for Express 4 and 5.
 */
export { protect, type ExpressProtectOptions, type ExpressRejectHandler } from './protect.js';
export { adminRouter, type ExpressAdminOptions, type ExpressAdminRouter } from './admin-router.js';
export { RouteFailureError, isRouteFailureError } from '../http/index.js';
export type {
  AdminAccess,
  Authorize,
  DashboardButton,
  DashboardPanel,
  MetricsSource,
  Refusal,
} from '../http/index.js';
