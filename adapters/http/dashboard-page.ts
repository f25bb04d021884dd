import type { DashboardPanel } from './admin-options.js';

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
 * The dashboard: one self-contained HTML page (no build step, no CDN, no external request but
 * its own router's routes). A card per breaker shows its state in colour, request rate, error
 * rate, p95 latency and the countdown to the next trial, live from `GET /events`; reset and
 * hold-open buttons appear once the viewer is authorised (a token typed into the page, kept in
 * `sessionStorage`). URLs are relative to the page's own path, so any mount prefix works, behind
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
<style nonce="${settings.nonce}">${STYLE}</style>
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
<script nonce="${settings.nonce}">${SCRIPT}</script>
</body>
</html>
`;
}

const STYLE = `
:root { --bg:#f6f8fa; --card:#fff; --ink:#1f2328; --muted:#656d76; --line:#d0d7de;
  --closed:#1a7f37; --half_open:#bf8700; --open:#cf222e; --isolated:#8250df; --disabled:#6e7781; }
@media (prefers-color-scheme: dark) { :root { --bg:#0d1117; --card:#161b22; --ink:#e6edf3; --muted:#8d96a0; --line:#30363d; } }
* { box-sizing: border-box; }
[hidden] { display:none !important; }
body { margin:0; font:14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; background:var(--bg); color:var(--ink); }
header { display:flex; flex-wrap:wrap; gap:12px; align-items:center; padding:14px 20px; border-bottom:1px solid var(--line); background:var(--card); }
h1 { font-size:18px; margin:0 auto 0 0; } h1 span { color:var(--muted); font-weight:400; }
.pill { padding:3px 10px; border-radius:999px; font-weight:600; color:#fff; background:var(--disabled); text-transform:uppercase; font-size:12px; }
.pill[data-health="ok"] { background:var(--closed); } .pill[data-health="degraded"] { background:var(--half_open); } .pill[data-health="down"] { background:var(--open); }
form { display:flex; gap:6px; margin:0; }
input { padding:5px 8px; border:1px solid var(--line); border-radius:6px; background:var(--bg); color:var(--ink); }
button { padding:5px 12px; border:1px solid var(--line); border-radius:6px; background:var(--bg); color:var(--ink); cursor:pointer; font:inherit; }
button:hover { border-color:var(--muted); } button:disabled { opacity:.5; cursor:wait; }
#notice { margin:10px 20px 0; min-height:1.4em; color:var(--open); }
#notice.ok { color:var(--closed); }
main { display:grid; grid-template-columns:repeat(auto-fill, minmax(270px, 1fr)); gap:14px; padding:14px 20px; }
#empty { padding:0 20px; color:var(--muted); }
.card { background:var(--card); border:1px solid var(--line); border-top:6px solid var(--state); border-radius:8px; padding:12px 14px; }
.card[data-state="closed"] { --state:var(--closed); } .card[data-state="half_open"] { --state:var(--half_open); }
.card[data-state="open"] { --state:var(--open); } .card[data-state="isolated"] { --state:var(--isolated); }
.card[data-state="disabled"] { --state:var(--disabled); }
.card h2 { font-size:16px; margin:0; overflow-wrap:anywhere; } .group { color:var(--muted); font-size:12px; }
.state { display:inline-block; margin:6px 0; padding:2px 8px; border-radius:4px; background:var(--state); color:#fff; font-weight:700; font-size:12px; letter-spacing:.04em; text-transform:uppercase; }
dl { display:grid; grid-template-columns:1fr 1fr; gap:6px 12px; margin:8px 0; }
dt { color:var(--muted); font-size:11px; text-transform:uppercase; } dd { margin:0; font-size:18px; font-variant-numeric:tabular-nums; }
.countdown { min-height:1.4em; color:var(--muted); font-variant-numeric:tabular-nums; }
.actions { display:flex; gap:8px; margin-top:8px; }
.panels { display:grid; grid-template-columns:repeat(auto-fill, minmax(320px, 1fr)); gap:14px; padding:0 20px 14px; }
.panel { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:12px 14px; }
.panel h2 { font-size:15px; margin:0 0 4px; } .panel p { margin:0 0 8px; color:var(--muted); }
.panel .actions { flex-wrap:wrap; }
footer { padding:8px 20px 20px; color:var(--muted); font-size:12px; }
#link[data-link="live"]::before { content:"● "; color:var(--closed); } #link[data-link="down"]::before { content:"● "; color:var(--open); }
`;

/* The page's script: plain ES2020, no template literals (this file holds it in one). */
const SCRIPT = `
(function () {
  'use strict';
  var config = JSON.parse(document.getElementById('config').textContent);
  var base = location.pathname.replace(/\\/+$/, '');
  var cards = new Map();
  var previous = new Map();
  var token = sessionStorage.getItem('breakwater-token') || '';
  var $ = function (id) { return document.getElementById(id); };
  var RATE_WINDOW = 10000;
  var LABELS = { closed: 'closed', open: 'open', half_open: 'half-open', isolated: 'held open', disabled: 'disabled' };

  function authorised() { return config.mutations === 'authorize' || (config.mutations === 'token' && token !== ''); }

  function notice(text, ok) { var n = $('notice'); n.textContent = text || ''; n.className = ok ? 'ok' : ''; }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function makeCard(name) {
    var card = el('article', 'card');
    card.dataset.breaker = name;
    var title = el('h2', '', name);
    var group = el('div', 'group');
    var state = el('div', 'state');
    var dl = el('dl');
    var fields = {};
    [['rate', 'requests / s'], ['errors', 'error rate'], ['p95', 'p95 latency'], ['total', 'requests']].forEach(function (pair) {
      dl.appendChild(el('dt', '', pair[1]));
      fields[pair[0]] = dl.appendChild(el('dd', ''));
      fields[pair[0]].dataset.field = pair[0];
    });
    var countdown = el('div', 'countdown');
    var actions = el('div', 'actions');
    var reset = el('button', 'action', 'Reset');
    reset.type = 'button'; reset.dataset.action = 'reset';
    var open = el('button', 'action', 'Hold open');
    open.type = 'button'; open.dataset.action = 'open';
    reset.addEventListener('click', function () { mutate(name, 'reset', reset); });
    open.addEventListener('click', function () { mutate(name, 'open', open); });
    actions.append(reset, open);
    card.append(title, group, state, dl, countdown, actions);
    var entry = { card: card, group: group, state: state, fields: fields, countdown: countdown, actions: actions, deadline: null, snap: null };
    cards.set(name, entry);
    $('cards').appendChild(card);
    return entry;
  }

  function percent(x) { return (x * 100).toFixed(x > 0 && x < 0.1 ? 1 : 0) + ' %'; }
  function ms(x) { return x >= 1000 ? (x / 1000).toFixed(1) + ' s' : Math.round(x) + ' ms'; }

  function render(snap, at) {
    var entry = cards.get(snap.name) || makeCard(snap.name);
    entry.snap = snap;
    entry.card.dataset.state = snap.state;
    entry.state.textContent = LABELS[snap.state] || snap.state;
    entry.group.textContent = snap.group ? 'group ' + snap.group : '';
    if (at !== undefined) {
      // Requests per second over the last RATE_WINDOW ms of snapshots (a reset starts afresh).
      var history = (previous.get(snap.name) || []).filter(function (p) {
        return at - p.at <= RATE_WINDOW && p.total <= snap.totalRequests;
      });
      history.push({ at: at, total: snap.totalRequests });
      previous.set(snap.name, history);
      var oldest = history[0];
      entry.fields.rate.textContent = at > oldest.at ? ((snap.totalRequests - oldest.total) * 1000 / (at - oldest.at)).toFixed(1) : '–';
    }
    entry.fields.errors.textContent = percent(snap.errorRate);
    entry.fields.p95.textContent = snap.latency.count > 0 ? ms(snap.latency.p95) : '–';
    entry.fields.total.textContent = String(snap.totalRequests);
    entry.deadline = snap.state === 'open' && snap.retryAfterMs !== null ? performance.now() + snap.retryAfterMs : null;
    entry.actions.hidden = !authorised();
    tick(entry);
  }

  function tick(entry) {
    var s = entry.snap;
    if (!s) return;
    var text = '';
    if (s.state === 'open') {
      var left = entry.deadline === null ? 0 : Math.max(0, entry.deadline - performance.now());
      text = left > 0 ? 'next trial in ' + Math.ceil(left / 1000) + ' s' : 'next call is a trial';
      if (s.reason) text += ' · ' + s.reason.replace(/_/g, ' ');
    } else if (s.state === 'half_open') {
      text = 'trial calls running';
    } else if (s.state === 'isolated') {
      text = 'held open until reset';
    } else if (s.state === 'disabled') {
      text = 'passing every call';
    }
    entry.countdown.textContent = text;
  }

  function health() {
    var states = Array.from(cards.values()).map(function (e) { return e.snap && e.snap.state; });
    var healthy = states.filter(function (s) { return s === 'closed' || s === 'disabled'; }).length;
    var serving = states.filter(function (s) { return s !== 'open' && s !== 'isolated'; }).length;
    var status = healthy === states.length ? 'ok' : serving === 0 ? 'down' : 'degraded';
    var pill = $('health'); pill.dataset.health = status; pill.textContent = status;
    $('empty').hidden = states.length > 0;
  }

  function makePanels() {
    var section = $('panels');
    section.className = 'panels';
    (config.panels || []).forEach(function (panel) {
      var box = el('article', 'panel');
      box.appendChild(el('h2', '', panel.title));
      if (panel.description) box.appendChild(el('p', '', panel.description));
      var row = el('div', 'actions');
      panel.buttons.forEach(function (button) {
        var node = el('button', 'action', button.label);
        node.type = 'button';
        node.addEventListener('click', function () { press(button, node); });
        row.appendChild(node);
      });
      box.appendChild(row);
      section.appendChild(box);
    });
  }

  function press(button, node) {
    var headers = {};
    if (button.body !== undefined) headers['content-type'] = 'application/json';
    if (token !== '') headers.authorization = 'Bearer ' + token;
    node.disabled = true;
    fetch(button.url, { method: button.method, headers: headers, body: button.body === undefined ? undefined : JSON.stringify(button.body), credentials: 'same-origin' })
      .then(function (res) {
        return res.text().then(function (text) {
          var message = '';
          try { message = JSON.parse(text).message || ''; } catch (e) { message = ''; }
          if (!res.ok) throw new Error(button.label + ': ' + (message || res.status + ' ' + res.statusText));
          notice(button.label + (message ? ': ' + message : ': done'), true);
        });
      })
      .catch(function (error) { notice(error.message); })
      .then(function () { node.disabled = false; });
  }

  function refreshAuth() {
    $('panels').hidden = !authorised() || (config.panels || []).length === 0;
    $('auth').hidden = config.mutations !== 'token';
    $('forget-token').hidden = token === '';
    $('save-token').hidden = token !== '';
    $('token').hidden = token !== '';
    $('reset-all').hidden = !authorised();
    cards.forEach(function (entry) { entry.actions.hidden = !authorised(); });
    if (config.mutations === 'none') notice('Read-only: reset and open are disabled on this server (see adminRouter options token / authorize).');
  }

  function mutate(name, action, button) {
    var path = name === null ? '/circuit-breakers/reset' : '/circuit-breakers/' + encodeURIComponent(name) + '/' + action;
    var headers = { 'content-type': 'application/json' };
    if (token !== '') headers.authorization = 'Bearer ' + token;
    button.disabled = true;
    fetch(base + path, { method: 'POST', headers: headers, body: '{}', credentials: 'same-origin' })
      .then(function (res) {
        return res.json().then(function (body) {
          if (!res.ok) {
            if (res.status === 401) { token = ''; sessionStorage.removeItem('breakwater-token'); refreshAuth(); }
            throw new Error(body.message || res.statusText);
          }
          (body.breakers || [body]).forEach(function (snap) { render(snap); });
          health();
          notice((name === null ? 'every breaker' : name) + ': ' + (action === 'open' ? 'held open' : 'reset'), true);
        });
      })
      .catch(function (error) { notice(error.message); })
      .then(function () { button.disabled = false; });
  }

  $('auth').addEventListener('submit', function (event) {
    event.preventDefault();
    token = $('token').value.trim();
    $('token').value = '';
    if (token !== '') sessionStorage.setItem('breakwater-token', token);
    notice('');
    refreshAuth();
  });
  $('forget-token').addEventListener('click', function () {
    token = ''; sessionStorage.removeItem('breakwater-token'); refreshAuth();
  });
  $('reset-all').addEventListener('click', function () { mutate(null, 'reset', $('reset-all')); });

  var source = new EventSource(base + '/events');
  source.addEventListener('open', function () { $('link').dataset.link = 'live'; $('link').textContent = 'live'; });
  source.addEventListener('error', function () { $('link').dataset.link = 'down'; $('link').textContent = 'reconnecting…'; });
  source.addEventListener('snapshot', function (event) {
    var data = JSON.parse(event.data);
    var names = new Set();
    data.breakers.forEach(function (snap) { names.add(snap.name); render(snap, data.at); });
    cards.forEach(function (entry, name) { if (!names.has(name)) { entry.card.remove(); cards.delete(name); } });
    health();
    $('updated').textContent = '· updated ' + new Date(data.at).toLocaleTimeString();
  });
  source.addEventListener('state', function (event) {
    var data = JSON.parse(event.data);
    if (data.snapshot) render(data.snapshot);
    health();
  });
  setInterval(function () { cards.forEach(tick); }, 250);
  makePanels();
  refreshAuth();
})();
`;
