/**
 * The dashboard's pictures, run in the same scope as {@link CORE_SCRIPT}: per breaker, a state
 * timeline of closed / open / half-open bands with their reasons, sparklines of requests/s,
 * error rate (against its threshold), p95 and time to first chunk drawn with uPlot (served by
 * the router from `GET /assets/uplot.js`, loaded under the page's nonce), how close the breaker
 * is to tripping, and the form that edits its config with `PATCH .../config`.
 */
export const CHARTS_SCRIPT = `
  var SPARKS = [
    ['rate', 'requests / s', '#0969da'],
    ['errors', 'error rate', '#cf222e'],
    ['p95', 'p95 latency', '#bf8700'],
    ['ttfc', 'first chunk p95', '#8250df']
  ];
  var REASONS = {
    consecutive_failures: 'consecutive failures', failure_rate: 'failure rate', slow_call_rate: 'slow calls',
    rate_limited: 'rate limited', trial_failed: 'trial failed', remote: 'another replica',
    operator: 'operator', wait_over: 'wait over', trials_passed: 'trials passed'
  };
  var FIELDS = [
    ['failureThreshold', 'failures in a row', 'off'], ['errorThresholdPercentage', 'error rate %', 'off'],
    ['volumeThreshold', 'min calls for a rate'], ['rollingCountTimeout', 'window ms'],
    ['resetTimeout', 'open for ms'], ['maxResetTimeout', 'backoff cap ms', 'none'],
    ['timeout', 'timeout ms', 'none'], ['halfOpenMaxCalls', 'trials at once'],
    ['successThreshold', 'trial successes to close'], ['capacity', 'calls in flight', 'no limit'],
    ['slowCallDurationThreshold', 'slow call ms', 'off'], ['slowCallRateThreshold', 'slow calls %', 'off'],
    ['firstChunkTimeout', 'stream first chunk ms', 'timeout'], ['idleTimeout', 'stream idle ms', 'timeout']
  ];
  /** Options a blank field turns off with false rather than null. */
  var OFF_IS_FALSE = { failureThreshold: true, timeout: true };

  function clock(t) { return new Date(t).toLocaleTimeString(); }

  function makePictures(entry) {
    var box = el('section', 'pictures');
    entry.timeline = box.appendChild(el('div', 'timeline'));
    entry.timeline.setAttribute('role', 'img');
    var axis = box.appendChild(el('div', 'axis'));
    entry.axisFrom = axis.appendChild(el('span'));
    entry.axisTo = axis.appendChild(el('span'));
    entry.bandList = box.appendChild(el('ul', 'bands'));
    var sparks = box.appendChild(el('div', 'sparks'));
    entry.sparks = {};
    SPARKS.forEach(function (spec) {
      var figure = sparks.appendChild(el('figure', 'spark'));
      figure.dataset.spark = spec[0];
      var caption = figure.appendChild(el('figcaption'));
      caption.appendChild(el('span', '', spec[1]));
      var value = caption.appendChild(el('b'));
      value.dataset.field = spec[0];
      entry.fields[spec[0]] = value;
      var plot = figure.appendChild(el('div', 'plot'));
      if (spec[0] === 'ttfc') figure.hidden = true;
      entry.sparks[spec[0]] = { figure: figure, plot: plot, color: spec[2], chart: null, lines: 0 };
    });
    return box;
  }

  /** The p95 of the latest sample, if it is recent: undefined without history, null for no calls. */
  function recentP95(name) {
    var h = histories.get(name);
    if (!h || h.samples.t.length === 0) return undefined;
    var last = h.samples.t.length - 1;
    if (h.now - h.samples.t[last] > 2 * h.intervalMs) return undefined;
    return h.samples.p95[last];
  }

  function drawHistory(entry) {
    var h = histories.get(entry.name);
    if (!h) return;
    drawTimeline(entry, h);
    drawSparks(entry, h);
  }

  function drawTimeline(entry, h) {
    var now = h.now;
    var first = h.bands.length > 0 ? h.bands[0].from : now;
    if (h.samples.t.length > 0) first = Math.min(first, h.samples.t[0]);
    var from = Math.max(now - h.keepMs, first);
    if (now - from < 60000) from = now - 60000;
    var span = now - from;
    var nodes = [];
    var words = [];
    h.bands.forEach(function (band) {
      var a = Math.max(band.from, from);
      var b = band.to === null ? now : Math.min(band.to, now);
      if (b < from) return;
      var node = el('div', 'band');
      node.dataset.state = band.state;
      if (band.reason) node.dataset.reason = band.reason;
      node.style.left = ((a - from) * 100 / span) + '%';
      node.style.width = (Math.max(b - a, 0) * 100 / span) + '%';
      var text = (LABELS[band.state] || band.state) + (band.reason ? ' · ' + (REASONS[band.reason] || band.reason) : '') + (band.remote ? ' (another replica)' : '');
      node.title = text + ' · ' + clock(band.from) + (band.to === null ? ' → now' : ' → ' + clock(band.to));
      nodes.push(node);
      words.push({ t: band.from, state: band.state, text: clock(band.from) + ' ' + text + (band.to === null ? ' (now)' : ' for ' + Math.max(1, Math.round((band.to - band.from) / 1000)) + ' s') });
    });
    h.marks.forEach(function (mark) {
      if (mark.t < from) return;
      var node = el('div', 'mark');
      node.style.left = ((mark.t - from) * 100 / span) + '%';
      node.title = mark.text;
      nodes.push(node);
      words.push({ t: mark.t, state: 'mark', text: clock(mark.t) + ' ' + mark.text });
    });
    entry.timeline.replaceChildren.apply(entry.timeline, nodes);
    entry.timeline.setAttribute('aria-label', 'state over the last ' + Math.round(span / 60000) + ' min');
    entry.axisFrom.textContent = clock(from);
    entry.axisTo.textContent = 'now';
    var items = words.sort(function (x, y) { return y.t - x.t; }).slice(0, 4).map(function (w) {
      var li = el('li', '', w.text);
      li.dataset.state = w.state;
      return li;
    });
    entry.bandList.replaceChildren.apply(entry.bandList, items);
  }

  function drawSparks(entry, h) {
    var s = h.samples;
    var threshold = entry.snap && entry.snap.config.errorThresholdPercentage;
    var series = {
      rate: [s.requestsPerSecond],
      errors: [s.errorRate.map(function (x) { return x * 100; })],
      p95: [s.p95],
      ttfc: [s.firstChunkP95]
    };
    if (threshold) series.errors.push(s.t.map(function () { return threshold; }));
    entry.sparks.ttfc.figure.hidden = !s.firstChunkP95.some(function (x) { return x !== null; });
    Object.keys(series).forEach(function (key) {
      var spark = entry.sparks[key];
      spark.figure.dataset.points = String(s.t.length);
      if (!window.uPlot || spark.figure.hidden || s.t.length < 2) return;
      var data = [s.t].concat(series[key]);
      if (spark.chart !== null && spark.lines !== series[key].length) { spark.chart.destroy(); spark.chart = null; }
      if (spark.chart === null) {
        spark.chart = new window.uPlot(sparkOptions(spark.plot.clientWidth || 140, spark.color, series[key].length > 1), data, spark.plot);
        spark.lines = series[key].length;
      } else {
        spark.chart.setData(data);
      }
    });
    if (entry.fields.ttfc) {
      var t = s.firstChunkP95.length > 0 ? s.firstChunkP95[s.firstChunkP95.length - 1] : null;
      entry.fields.ttfc.textContent = t === null ? '–' : ms(t);
    }
  }

  function sparkOptions(width, color, withThreshold) {
    var lines = [{}, { stroke: color, fill: color + '2e', width: 1.5, points: { show: false } }];
    if (withThreshold) lines.push({ stroke: '#57606a', dash: [4, 3], width: 1, points: { show: false } });
    return {
      width: width, height: 40, cursor: { show: false }, legend: { show: false }, select: { show: false },
      scales: { x: { time: false }, y: { range: function (u, min, max) { return [0, max > 0 ? max * 1.15 : 1]; } } },
      axes: [{ show: false }, { show: false }],
      series: lines
    };
  }

  /** How close the breaker is to tripping: failures against the threshold, error rate against its own. */
  function drawNear(entry) {
    var s = entry.snap;
    var c = s.config;
    var rows = [];
    if (c.failureThreshold !== false) {
      rows.push(['failures', 'failures in a row', s.failureCount + ' / ' + c.failureThreshold, s.failureCount / c.failureThreshold]);
    }
    if (c.errorThresholdPercentage !== null) {
      rows.push(['errors', 'error rate', percent(s.errorRate) + ' / ' + c.errorThresholdPercentage + ' % · ' + s.windowRequests + ' of ' + c.volumeThreshold + ' calls needed',
        s.windowRequests < c.volumeThreshold ? Math.min(0.59, s.errorRate * 100 / c.errorThresholdPercentage) : s.errorRate * 100 / c.errorThresholdPercentage]);
    }
    if (c.slowCallRateThreshold !== null) {
      rows.push(['slow', 'slow calls', percent(s.slowCallRate) + ' / ' + c.slowCallRateThreshold + ' %', s.slowCallRate * 100 / c.slowCallRateThreshold]);
    }
    entry.near.replaceChildren.apply(entry.near, rows.map(function (row) {
      var box = el('div');
      box.dataset.near = row[0];
      var label = box.appendChild(el('div', 'label'));
      label.append(el('span', '', row[1]), el('span', 'value', row[2]));
      var bar = box.appendChild(el('div', 'bar')).appendChild(el('span'));
      var ratio = Math.max(0, Math.min(1, row[3]));
      bar.style.width = (ratio * 100) + '%';
      bar.dataset.level = ratio >= 1 ? 'hot' : ratio >= 0.6 ? 'warn' : 'ok';
      return box;
    }));
    var rule = c.failureThreshold !== false ? 'opens after ' + c.failureThreshold + ' failures in a row' : 'no consecutive-failure limit';
    if (c.errorThresholdPercentage !== null) rule += ' or at ' + c.errorThresholdPercentage + ' % errors over ' + c.rollingCountTimeout / 1000 + ' s';
    rule += ' · stays open ' + ms(c.resetTimeout) + ' · timeout ' + (c.timeout === false ? 'none' : ms(c.timeout));
    entry.rule.textContent = rule;
  }

  function makeConfigForm(entry) {
    var form = el('form', 'config');
    form.hidden = true;
    form.dataset.config = entry.name;
    entry.inputs = {};
    FIELDS.forEach(function (field) {
      var label = form.appendChild(el('label', '', field[1]));
      var input = label.appendChild(el('input'));
      input.name = field[0];
      input.autocomplete = 'off';
      input.inputMode = 'numeric';
      input.placeholder = field[2] || '';
      entry.inputs[field[0]] = input;
    });
    var row = form.appendChild(el('div', 'wide'));
    var save = row.appendChild(el('button', '', 'Save'));
    save.type = 'submit';
    save.dataset.action = 'save-config';
    row.appendChild(el('span', 'rule', 'blank turns a setting off'));
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      saveConfig(entry, save);
    });
    return form;
  }

  function toggleConfig(entry) {
    entry.form.hidden = !entry.form.hidden;
    if (entry.form.hidden || !entry.snap) return;
    FIELDS.forEach(function (field) {
      var value = entry.snap.config[field[0]];
      entry.inputs[field[0]].value = value === null || value === false ? '' : String(value);
    });
  }

  function saveConfig(entry, save) {
    var current = entry.snap.config;
    var changes = {};
    FIELDS.forEach(function (field) {
      var key = field[0];
      var raw = entry.inputs[key].value.trim();
      var value = raw === '' ? (OFF_IS_FALSE[key] ? false : null) : raw !== '' && isFinite(Number(raw)) ? Number(raw) : raw;
      if (value !== current[key]) changes[key] = value;
    });
    var keys = Object.keys(changes);
    if (keys.length === 0) { notice(entry.name + ': nothing to change', true); return; }
    send('PATCH', '/circuit-breakers/' + encodeURIComponent(entry.name) + '/config', changes, save).then(function (body) {
      if (body === null) return;
      entry.snap.config = body.config;
      render(entry.snap);
      notice(entry.name + ': saved ' + keys.map(function (k) { return k + ' ' + (changes[k] === null || changes[k] === false ? 'off' : changes[k]); }).join(', '), true);
    });
  }

  /** Loads uPlot and its stylesheet from the router, under this page's nonce. */
  function loadCharts() {
    var css = document.createElement('link');
    css.rel = 'stylesheet';
    css.nonce = nonce;
    css.href = base + '/assets/uplot.css';
    document.head.appendChild(css);
    var script = document.createElement('script');
    script.nonce = nonce;
    script.src = base + '/assets/uplot.js';
    script.addEventListener('load', function () { cards.forEach(drawHistory); });
    document.head.appendChild(script);
  }
`;
