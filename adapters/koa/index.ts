/**
 * `breakwater/koa`: `protect()` middleware and the admin router for Koa 2 and 3.
 */
export { protect, type KoaProtectOptions, type KoaRejectHandler } from './protect.js';
export { adminRouter, type KoaAdminOptions, type KoaAdminRouter } from './admin-router.js';
export { RouteFailureError, isRouteFailureError } from '../http/index.js';
export type {
  AdminAccess,
  Authorize,
  DashboardButton,
  DashboardPanel,
  MetricsSource,
  Refusal,
} from '../http/index.js';
