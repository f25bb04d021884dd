/** The dashboard's stylesheet, served inline under the page's nonce. */
export const DASHBOARD_STYLE = `
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
main { display:grid; grid-template-columns:repeat(auto-fill, minmax(330px, 1fr)); gap:14px; padding:14px 20px; }
#empty { padding:0 20px; color:var(--muted); }
.card { background:var(--card); border:1px solid var(--line); border-top:6px solid var(--state); border-radius:8px; padding:12px 14px; }
.card[data-state="closed"] { --state:var(--closed); } .card[data-state="half_open"] { --state:var(--half_open); }
.card[data-state="open"] { --state:var(--open); } .card[data-state="isolated"] { --state:var(--isolated); }
.card[data-state="disabled"] { --state:var(--disabled); }
.card h2 { font-size:16px; margin:0; overflow-wrap:anywhere; } .group { color:var(--muted); font-size:12px; }
.state { display:inline-block; margin:6px 0; padding:2px 8px; border-radius:4px; background:var(--state); color:#fff; font-weight:700; font-size:12px; letter-spacing:.04em; text-transform:uppercase; }
dl { display:grid; grid-auto-flow:column; grid-template-rows:auto auto; gap:2px 12px; margin:8px 0; }
dt { color:var(--muted); font-size:11px; text-transform:uppercase; } dd { margin:0; font-size:16px; font-variant-numeric:tabular-nums; }
.countdown { min-height:1.4em; color:var(--muted); font-variant-numeric:tabular-nums; }
.actions { display:flex; flex-wrap:wrap; gap:6px; margin-top:8px; }
.card .actions button { white-space:nowrap; padding:4px 9px; }
.panels { display:grid; grid-template-columns:repeat(auto-fill, minmax(320px, 1fr)); gap:14px; padding:0 20px 14px; }
.panel { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:12px 14px; }
.panel h2 { font-size:15px; margin:0 0 4px; } .panel p { margin:0 0 8px; color:var(--muted); }
.panel .actions { flex-wrap:wrap; }
footer { padding:8px 20px 20px; color:var(--muted); font-size:12px; }
#link[data-link="live"]::before { content:"● "; color:var(--closed); } #link[data-link="down"]::before { content:"● "; color:var(--open); }
.timeline { position:relative; height:14px; margin:6px 0 2px; border-radius:3px; background:var(--line); overflow:hidden; }
.band { position:absolute; top:0; bottom:0; min-width:2px; background:var(--band); }
.band[data-state="closed"] { --band:var(--closed); } .band[data-state="half_open"] { --band:var(--half_open); }
.band[data-state="open"] { --band:var(--open); } .band[data-state="isolated"] { --band:var(--isolated); }
.band[data-state="disabled"] { --band:var(--disabled); }
.mark { position:absolute; top:0; bottom:0; width:2px; background:var(--ink); }
.axis { display:flex; justify-content:space-between; color:var(--muted); font-size:11px; }
.bands { list-style:none; margin:4px 0 6px; padding:0; font-size:12px; color:var(--muted); }
.bands li::before { content:"■ "; color:var(--band); }
.bands li[data-state="closed"] { --band:var(--closed); } .bands li[data-state="half_open"] { --band:var(--half_open); }
.bands li[data-state="open"] { --band:var(--open); } .bands li[data-state="isolated"] { --band:var(--isolated); }
.bands li[data-state="disabled"] { --band:var(--disabled); }
.sparks { display:grid; grid-template-columns:1fr 1fr; gap:4px 12px; margin:6px 0; }
.spark { margin:0; min-width:0; } .spark figcaption { display:flex; justify-content:space-between; font-size:11px; color:var(--muted); text-transform:uppercase; }
.spark figcaption b { color:var(--ink); font-size:13px; text-transform:none; font-variant-numeric:tabular-nums; }
.spark .plot { height:40px; }
.spark .plot:empty::after { content:"collecting samples…"; display:block; padding-top:12px; color:var(--muted); font-size:11px; }
.near { margin:6px 0; font-size:12px; }
.near div { margin:3px 0; } .near .label { display:flex; justify-content:space-between; color:var(--muted); }
.bar { height:6px; border-radius:3px; background:var(--line); overflow:hidden; }
.bar span { display:block; height:100%; width:0; background:var(--closed); }
.bar span[data-level="warn"] { background:var(--half_open); } .bar span[data-level="hot"] { background:var(--open); }
.rule { color:var(--muted); font-size:12px; }
.config { display:grid; grid-template-columns:1fr 1fr; gap:6px 10px; margin-top:8px; padding-top:8px; border-top:1px dashed var(--line); }
.config label { display:flex; flex-direction:column; font-size:11px; color:var(--muted); }
.config input { width:100%; font-variant-numeric:tabular-nums; }
.config .wide { grid-column:1 / -1; display:flex; gap:8px; align-items:center; }
.panel .status { margin:0 0 8px; font-weight:600; }
.panel button[aria-pressed="true"] { border-color:var(--ink); background:var(--ink); color:var(--card); }
`;
