import type { DashboardPanel } from './admin-options.js';
import { CHARTS_SCRIPT } from './dashboard-charts.js';
import { CORE_SCRIPT } from './dashboard-script.js';
import { DASHBOARD_STYLE } from './dashboard-style.js';

/** What the dashboard page needs to know about the router that serves it. */
export interface DashboardSettings {
  /** A fresh nonce for this answer's Content-Security-Policy. */
  readonly nonce: string;
  /** How mutations are offered: a token field, through `authorize`, or not at all. */
  readonly mutations: 'token' | 'authorize' | 'none';
  /** Extra panels of buttons, shown to authorised viewers below the cards. */
  readonly panels?: readonly DashboardPanel[] | undefined;
}

/**
 * The dashboard: one HTML page (no build step, no CDN, no request but its own router's routes;
 * the chart library, uPlot, comes from `GET /assets/uplot.js`). A card per breaker shows, live
 * from `GET /events`: its state in colour and the countdown to the next trial; a timeline of its
 * states over the last minutes with each band's reason; sparklines of requests/s, error rate,
 * p95 and time to first chunk; how close it is to tripping; fallbacks served. Reset, hold-open,
 * disable/enable and a settings form (`PATCH .../config`) appear once the viewer is authorised
 * (a token typed into the page, kept in `sessionStorage`). URLs are relative to the page's own path, so any mount prefix works, behind
 * a proxy too. Breaker names are written with `textContent`, never parsed as HTML.
 */
export function dashboardPage(settings: DashboardSettings): string {
  const config = JSON.stringify({
    mutations: settings.mutations,
    panels: settings.panels ?? [],
  }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>breakwater · circuit breakers</title>
<style nonce="${settings.nonce}">${DASHBOARD_STYLE}</style>
</head>
<body>
<header>
  <h1>breakwater <span>circuit breakers</span></h1>
  <div id="health" class="pill" data-health="unknown">…</div>
  <form id="auth" hidden>
    <input id="token" type="password" autocomplete="off" placeholder="admin token" aria-label="admin token">
    <button type="submit" id="save-token">Unlock</button>
    <button type="button" id="forget-token" hidden>Lock</button>
  </form>
  <button type="button" id="reset-all" class="action" hidden>Reset all</button>
</header>
<p id="notice" role="status"></p>
<main id="cards" aria-live="polite"></main>
<p id="empty" hidden>No breakers yet: they appear here as soon as the app makes one.</p>
<section id="panels" hidden></section>
<footer><span id="link" data-link="connecting">connecting…</span> <span id="updated"></span></footer>
<script type="application/json" id="config">${config}</script>
<script nonce="${settings.nonce}">(function () {
'use strict';${CORE_SCRIPT}${CHARTS_SCRIPT}  start();
})();</script>
</body>
</html>
`;
}
