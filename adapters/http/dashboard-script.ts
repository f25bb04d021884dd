/*
 * The dashboard's script, in two parts that run in one function scope: the cards, access and
 * the live feed here, the pictures (sparklines, state timeline, how close to tripping) and the
 * config form in dashboard-charts.ts. Plain ES2020 with no template literals and no
 * backslashes, since these files hold it in template strings.
 */

/** Cards, access, mutations and the live feed. Calls `drawHistory`, `drawNear` and friends. */
export const CORE_SCRIPT = `
  var config = JSON.parse(document.getElementById('config').textContent);
  var nonce = document.currentScript ? document.currentScript.nonce : '';
  var base = location.pathname.replace(/[/]+$/, '');
  var cards = new Map();
  var previous = new Map();
  var histories = new Map();
  var token = sessionStorage.getItem('breakwater-token') || '';
  var $ = function (id) { return document.getElementById(id); };
  var RATE_WINDOW = 10000;
  var NOTICE_MS = 8000;
  var noticeTimer = null;
  var LABELS = { closed: 'closed', open: 'open', half_open: 'half-open', isolated: 'held open', disabled: 'disabled' };
  var DONE = { reset: 'reset', open: 'held open', disable: 'disabled: passing every call', enable: 'enabled' };

  function authorised() { return config.mutations === 'authorize' || (config.mutations === 'token' && token !== ''); }

  /** Shows a message; it clears itself after NOTICE_MS unless sticky, so none goes stale. */
  function notice(text, ok, sticky) {
    var n = $('notice');
    n.textContent = text || '';
    n.className = ok ? 'ok' : '';
    if (noticeTimer !== null) clearTimeout(noticeTimer);
    noticeTimer = text && !sticky ? setTimeout(function () { n.textContent = ''; noticeTimer = null; }, NOTICE_MS) : null;
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function button(label, action, onClick) {
    var node = el('button', 'action', label);
    node.type = 'button';
    node.dataset.action = action;
    node.addEventListener('click', onClick);
    return node;
  }

  function makeCard(name) {
    var card = el('article', 'card');
    card.dataset.breaker = name;
    var entry = { name: name, card: card, deadline: null, snap: null, fields: {} };
    var title = el('h2', '', name);
    entry.group = el('div', 'group');
    entry.state = el('div', 'state');
    entry.countdown = el('div', 'countdown');
    var pictures = makePictures(entry);
    entry.near = el('div', 'near');
    entry.rule = el('div', 'rule');
    var dl = el('dl');
    [['total', 'requests'], ['fallbacks', 'fallbacks served'], ['rejected', 'refused'], ['hedges', 'hedges']].forEach(function (pair) {
      var dt = dl.appendChild(el('dt', '', pair[1]));
      var dd = dl.appendChild(el('dd', ''));
      dd.dataset.field = pair[0];
      entry.fields[pair[0]] = dd;
      if (pair[0] === 'hedges') { entry.hedgesLabel = dt; dt.hidden = true; dd.hidden = true; }
    });
    entry.actions = el('div', 'actions');
    entry.toggle = button('Disable', 'disable', function () { mutate(name, entry.toggle.dataset.action, entry.toggle); });
    entry.actions.append(
      button('Reset', 'reset', function (event) { mutate(name, 'reset', event.currentTarget); }),
      button('Hold open', 'open', function (event) { mutate(name, 'open', event.currentTarget); }),
      entry.toggle,
      button('Settings', 'settings', function () { toggleConfig(entry); })
    );
    entry.form = makeConfigForm(entry);
    card.append(title, entry.group, entry.state, entry.countdown, pictures, entry.near, entry.rule, dl, entry.actions, entry.form);
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
      var seen = (previous.get(snap.name) || []).filter(function (p) {
        return at - p.at <= RATE_WINDOW && p.total <= snap.totalRequests;
      });
      seen.push({ at: at, total: snap.totalRequests });
      previous.set(snap.name, seen);
      var oldest = seen[0];
      entry.fields.rate.textContent = at > oldest.at ? ((snap.totalRequests - oldest.total) * 1000 / (at - oldest.at)).toFixed(1) : '–';
    }
    entry.fields.errors.textContent = percent(snap.errorRate);
    var recent = recentP95(snap.name);
    entry.fields.p95.textContent = recent !== undefined ? (recent === null ? '–' : ms(recent)) : snap.latency.count > 0 ? ms(snap.latency.p95) : '–';
    entry.fields.total.textContent = String(snap.totalRequests);
    entry.fields.fallbacks.textContent = String(snap.fallbacks);
    entry.fields.rejected.textContent = String(snap.rejectedRequests);
    // Hedges show once any started at this level (a reset hides them again).
    var hedges = snap.hedges && snap.hedges.started > 0 ? snap.hedges : null;
    entry.hedgesLabel.hidden = hedges === null; entry.fields.hedges.hidden = hedges === null;
    entry.fields.hedges.textContent = hedges === null ? '' : hedges.started + ' started · ' + hedges.won + ' won';
    entry.toggle.textContent = snap.state === 'disabled' ? 'Enable' : 'Disable';
    entry.toggle.dataset.action = snap.state === 'disabled' ? 'enable' : 'disable';
    entry.deadline = snap.state === 'open' && snap.retryAfterMs !== null ? performance.now() + snap.retryAfterMs : null;
    entry.actions.hidden = !authorised();
    if (!authorised()) entry.form.hidden = true;
    drawNear(entry);
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
      // Only calls in flight are trials while half-open; with none, it waits for the next call.
      text = s.inFlight > 0 ? (s.inFlight === 1 ? '1 trial call running' : s.inFlight + ' trial calls running') : 'waiting for a call to try';
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
      var status = panel.status ? box.appendChild(el('p', 'status')) : null;
      var row = el('div', 'actions');
      var nodes = panel.buttons.map(function (b) {
        var node = el('button', 'action', b.label);
        node.type = 'button';
        node.addEventListener('click', function () { press(b, node, panel, status, nodes); });
        row.appendChild(node);
        return node;
      });
      box.appendChild(row);
      section.appendChild(box);
      if (status) {
        panelStatus(panel, status, nodes);
        setInterval(function () { if (!$('panels').hidden) panelStatus(panel, status, nodes); }, 5000);
      }
    });
  }

  function headers(json) {
    var h = {};
    if (json) h['content-type'] = 'application/json';
    if (token !== '') h.authorization = 'Bearer ' + token;
    return h;
  }

  /** Asks a panel's status URL what is in force and marks that button. */
  function panelStatus(panel, status, nodes) {
    fetch(panel.status, { headers: headers(false), credentials: 'same-origin' })
      .then(function (res) { return res.ok ? res.json() : null; })
      .then(function (body) {
        if (!body) return;
        status.textContent = body.message || '';
        nodes.forEach(function (node) { node.setAttribute('aria-pressed', String(node.textContent === body.active)); });
      })
      .catch(function () { status.textContent = ''; });
  }

  function press(b, node, panel, status, nodes) {
    node.disabled = true;
    fetch(b.url, { method: b.method, headers: headers(b.body !== undefined), body: b.body === undefined ? undefined : JSON.stringify(b.body), credentials: 'same-origin' })
      .then(function (res) {
        return res.text().then(function (text) {
          var message = '';
          try { message = JSON.parse(text).message || ''; } catch (e) { message = ''; }
          if (!res.ok) throw new Error(b.label + ': ' + (message || res.status + ' ' + res.statusText));
          notice(b.label + (message ? ': ' + message : ': done'), true);
          if (status) panelStatus(panel, status, nodes);
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
    cards.forEach(function (entry) { entry.actions.hidden = !authorised(); if (!authorised()) entry.form.hidden = true; });
    if (config.mutations === 'none') notice('Read-only: reset, open and settings are disabled on this server (see adminRouter options token / authorize).', false, true);
  }

  /** Sends a mutation; answers 401 forget the token. Resolves to the body, or null on failure. */
  function send(method, path, body, button) {
    if (button) button.disabled = true;
    return fetch(base + path, { method: method, headers: headers(true), body: JSON.stringify(body), credentials: 'same-origin' })
      .then(function (res) {
        return res.json().then(function (answer) {
          if (!res.ok) {
            if (res.status === 401) { token = ''; sessionStorage.removeItem('breakwater-token'); refreshAuth(); }
            throw new Error(answer.message || res.statusText);
          }
          return answer;
        });
      })
      .catch(function (error) { notice(error.message); return null; })
      .then(function (answer) { if (button) button.disabled = false; return answer; });
  }

  function mutate(name, action, node) {
    var path = name === null ? '/circuit-breakers/reset' : '/circuit-breakers/' + encodeURIComponent(name) + '/' + action;
    send('POST', path, {}, node).then(function (body) {
      if (body === null) return;
      (body.breakers || [body]).forEach(function (snap) { render(snap); });
      health();
      notice((name === null ? 'every breaker' : name) + ': ' + DONE[action], true);
    });
  }

  function start() {
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
    loadCharts();
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
    source.addEventListener('history', function (event) {
      JSON.parse(event.data).breakers.forEach(function (h) {
        histories.set(h.name, h);
        var entry = cards.get(h.name);
        if (entry) { drawHistory(entry); if (entry.snap) render(entry.snap); }
      });
    });
    setInterval(function () { cards.forEach(tick); }, 250);
    makePanels();
    refreshAuth();
  }
`;
