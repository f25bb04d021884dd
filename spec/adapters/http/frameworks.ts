/**
 * The same small app under Express and under Koa, so one spec runs against both: the admin
 * router mounted under a prefix, and routes guarded by protect().
 */
import express from 'express';
import Koa from 'koa';
import Router from '@koa/router';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Breaker, BreakerRegistry } from '../../../lib/index.js';
import * as onExpress from '../../../adapters/express/index.js';
import * as onKoa from '../../../adapters/koa/index.js';

export type Framework = 'express' | 'koa';
export const FRAMEWORKS: readonly Framework[] = ['express', 'koa'];

/** What a guarded test route does, described the same way for both frameworks. */
export type RouteBehaviour =
  | { kind: 'status'; status: number }
  | { kind: 'throw'; error: unknown }
  | { kind: 'hang'; entered: () => void; closed?: () => void }
  | { kind: 'stream'; entered: () => void }
  | { kind: 'held'; entered: () => void; release: Promise<void> };

export interface AppOptions {
  /** Options of adminRouter(); Koa gets `prefix` added. */
  admin?: Record<string, unknown>;
  /** Where the admin router is mounted. Default `/admin`. */
  prefix?: string;
  /** protect() arguments for `GET /guarded`, and what the route then does. */
  guarded?: {
    target: string | Breaker;
    options?: Record<string, unknown>;
    behaviour: () => RouteBehaviour;
  };
}

export interface TestApp {
  readonly server: Server;
  /** The admin router itself, for close() and eventStreams. */
  readonly admin: { close(): Promise<void>; readonly eventStreams: number } | undefined;
  /** How many times the guarded route's handler ran. */
  readonly handled: () => number;
  /** The Authorization headers `POST /panel-action` (a dashboard panel's target) received. */
  readonly panelCalls: (string | undefined)[];
}

/** Builds the app under `framework`; the server is not listening (supertest starts it). */
export function buildApp(
  framework: Framework,
  registry: BreakerRegistry,
  options: AppOptions = {},
): TestApp {
  return framework === 'express' ? expressApp(registry, options) : koaApp(registry, options);
}

/** Starts `server` on loopback and returns its base URL. */
export async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Stops `server`, dropping its open connections. */
export async function stop(server: Server): Promise<void> {
  if (!server.listening) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

function expressApp(registry: BreakerRegistry, options: AppOptions): TestApp {
  const app = express();
  app.set('env', 'test');
  let handled = 0;
  let admin: onExpress.ExpressAdminRouter | undefined;
  if (options.admin !== undefined) {
    admin = onExpress.adminRouter(registry, options.admin);
    app.use(options.prefix ?? '/admin', admin);
  }
  const guarded = options.guarded;
  if (guarded !== undefined) {
    const guard = onExpress.protect(guarded.target, protectOptions(registry, guarded));
    app.get('/guarded', guard, async (_req, res) => {
      handled++;
      const behaviour = guarded.behaviour();
      switch (behaviour.kind) {
        case 'status':
          res.status(behaviour.status).json({ status: behaviour.status });
          return;
        case 'throw':
          throw behaviour.error;
        case 'hang':
          if (behaviour.closed !== undefined) res.once('close', behaviour.closed);
          behaviour.entered();
          return;
        case 'held':
          behaviour.entered();
          await behaviour.release;
          res.json({ released: true });
          return;
        case 'stream':
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.write('first chunk\n');
          behaviour.entered();
          return;
      }
    });
  }
  app.get('/app-route', (_req, res) => {
    res.json({ app: true });
  });
  const panelCalls: (string | undefined)[] = [];
  app.post('/panel-action', (req, res) => {
    panelCalls.push(req.get('authorization'));
    res.json({ message: 'fault switched' });
  });
  return { server: createServer(app), admin, handled: () => handled, panelCalls };
}

function koaApp(registry: BreakerRegistry, options: AppOptions): TestApp {
  const app = new Koa();
  app.silent = true;
  const router = new Router();
  let handled = 0;
  let admin: onKoa.KoaAdminRouter | undefined;
  if (options.admin !== undefined) {
    admin = onKoa.adminRouter(registry, { prefix: options.prefix ?? '/admin', ...options.admin });
    app.use(admin);
  }
  const guarded = options.guarded;
  if (guarded !== undefined) {
    const guard = onKoa.protect(guarded.target, protectOptions(registry, guarded));
    router.get('/guarded', guard, async (ctx) => {
      handled++;
      const behaviour = guarded.behaviour();
      switch (behaviour.kind) {
        case 'status':
          ctx.status = behaviour.status;
          ctx.body = { status: behaviour.status };
          return;
        case 'throw':
          throw behaviour.error;
        case 'hang':
          if (behaviour.closed !== undefined) ctx.res.once('close', behaviour.closed);
          behaviour.entered();
          await new Promise<never>(() => undefined);
          return;
        case 'held':
          behaviour.entered();
          await behaviour.release;
          ctx.body = { released: true };
          return;
        case 'stream':
          ctx.respond = false;
          ctx.res.writeHead(200, { 'content-type': 'text/plain' });
          ctx.res.write('first chunk\n');
          behaviour.entered();
          return;
      }
    });
  }
  router.get('/app-route', (ctx) => {
    ctx.body = { app: true };
  });
  const panelCalls: (string | undefined)[] = [];
  router.post('/panel-action', (ctx) => {
    panelCalls.push(ctx.get('authorization') || undefined);
    ctx.body = { message: 'fault switched' };
  });
  app.use(router.routes());
  return { server: createServer(app.callback()), admin, handled: () => handled, panelCalls };
}

/** The registry goes with a breaker name only: a given Breaker takes no breaker options. */
function protectOptions(
  registry: BreakerRegistry,
  guarded: NonNullable<AppOptions['guarded']>,
): Record<string, unknown> {
  return typeof guarded.target === 'string'
    ? { registry, ...guarded.options }
    : { ...guarded.options };
}
