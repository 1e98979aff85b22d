// uPlot wrappers: line charts over UTC days or times, sparklines, and a
// registry so a page change destroys the charts (and their observers) of
// the page it leaves. uPlot is the global from /assets/uPlot.iife.min.js.

import { h, fmtCompact, fmtFull, daySeconds, PLATFORM_INFO } from './dom.js';

// Series colours come from custom properties, so that both themes
// (prefers-color-scheme) colour the charts: app.css's for the metrics, a
// platform's --pf-<name> (dom.js sets it from the descriptor); a chart
// drawn in one theme keeps its colours until the page is drawn again.
const COLOR_VARS = {
  total: '--chart-views', views: '--chart-views', likes: '--chart-likes', comments: '--chart-comments',
};
const FALLBACK = ['#8250df', '#e36209', '#0a7ea4', '#8a6d00'];

function cssVar(name, dflt) {
  const v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  return /^#[0-9a-f]{6}$/i.test(v) || /^rgba?\([\d\s.,]+\)$/i.test(v) ? v : dflt;
}

// Axis labels and grid lines in the theme's colours.
function themedAxis(axis) {
  const grid = cssVar('--chart-grid', 'rgba(0,0,0,.08)');
  return { stroke: cssVar('--chart-axis', '#59636e'), ...axis,
    grid: { stroke: grid, width: 1, ...(axis.grid || {}) }, ticks: { stroke: grid, width: 1 } };
}

let live = [];

export function destroyCharts() {
  for (const c of live) {
    c.observer.disconnect();
    c.plot.destroy();
  }
  live = [];
}

function haveUplot() {
  return typeof window.uPlot === 'function';
}

const utc = (ts) => window.uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC');

function mount(el, opts, data, height) {
  if (!haveUplot()) {
    el.appendChild(h('p', { class: 'muted', text: 'Charts are unavailable (uPlot did not load).' }));
    return null;
  }
  const width = Math.max(el.clientWidth, 200);
  // What the x axis shows, for the browser test: its range and ticks
  // (seconds since the epoch; _splits is uPlot's list of tick positions).
  const note = (u) => {
    el.dataset.xRange = u.scales.x.min + ',' + u.scales.x.max;
    el.dataset.xTicks = Array.isArray(u.axes[0]._splits) ? u.axes[0]._splits.join(',') : '';
  };
  const plot = new window.uPlot({ ...opts, width, height, tzDate: utc, hooks: { draw: [note] } }, data, el);
  const observer = new ResizeObserver(() => {
    const w = Math.max(el.clientWidth, 200);
    if (w !== plot.width) plot.setSize({ width: w, height });
  });
  observer.observe(el);
  live.push({ plot, observer });
  return plot;
}

// A hex colour (fills append an alpha byte to it).
export function colorFor(name, i) {
  const fb = FALLBACK[i % FALLBACK.length];
  if (COLOR_VARS[name]) return cssVar(COLOR_VARS[name], fb).replace(/^(#[0-9a-f]{6}).*$/i, '$1');
  const info = PLATFORM_INFO[name];
  if (info) {
    const v = cssVar('--pf-' + name, '');
    if (/^#[0-9a-f]{6}$/i.test(v)) return v;
  }
  // not set as CSS (yet): the descriptor's colour for the theme
  const dark = window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches;
  const c = info && (dark ? info.colour_dark : info.colour);
  return typeof c === 'string' && /^#[0-9a-f]{6}$/i.test(c) ? c : fb;
}

const DAY = 86400;
// Tick steps of whole days (uPlot splits steps of 30 days and more at
// month starts): an axis over days never falls back to hours.
const DAY_INCRS = [1, 2, 3, 4, 5, 7, 10, 14, 15, 30, 60, 90, 120, 180, 365, 730, 1825, 3650]
  .map((n) => n * DAY);

// series: [{label, key, values: [n|null...]}...]; x: seconds since epoch.
// opts: height, fill, xValue (legend time format), xRange ([min, max]
// seconds: the x axis spans exactly that, so charts given the same range
// line up), days (ticks on whole days; on by default when the axis spans
// three days or more).
export function lineChart(el, x, series, opts = {}) {
  const height = opts.height || 280;
  // The legend shows every digit; axis ticks the compact form.
  const fmt = (u, v) => (v === null || v === undefined ? '–' : fmtFull(v));
  const scales = { x: { time: true } };
  const xs = x.filter((v) => isFinite(v));
  const x0 = xs.length ? Math.min(...xs) : 0;
  const x1 = xs.length ? Math.max(...xs) : 0;
  let [lo, hi] = opts.xRange || [x0, x1];
  if (!opts.xRange && x0 === x1) {
    lo -= DAY; // one point: a day each side
    hi += DAY;
  }
  // uPlot asks with the data's extremes for the whole view, and with the
  // selection when the user zooms: only the former becomes [lo, hi].
  if (xs.length && (lo !== x0 || hi !== x1)) {
    scales.x.range = (u, min, max) => ((min === x0 && max === x1) || min === null ? [lo, hi] : [min, max]);
  }
  const xAxis = {};
  if (opts.days || (opts.days === undefined && hi - lo >= 3 * DAY)) xAxis.incrs = DAY_INCRS;
  const axes = [themedAxis(xAxis), themedAxis({ values: (u, vals) => vals.map((v) => fmtCompact(v)), size: 60 })];
  if (series.some((s) => s.scale === 'right')) {
    scales.right = { auto: true };
    axes.push(themedAxis({ scale: 'right', side: 1, grid: { show: false },
      values: (u, vals) => vals.map((v) => fmtCompact(v)), size: 60 }));
  }
  const useries = [{ value: opts.xValue || '{YYYY}-{MM}-{DD}' }].concat(series.map((s, i) => ({
    label: s.label,
    stroke: colorFor(s.key, i),
    width: 2,
    // a dashed series tells itself apart from one it may lie on (two
    // scales whose maxima meet)
    dash: Array.isArray(s.dash) ? s.dash : undefined,
    scale: s.scale === 'right' ? 'right' : 'y',
    spanGaps: s.spanGaps !== false, // a series may break at nulls
    points: { show: x.length < 60 },
    fill: opts.fill ? colorFor(s.key, i) + '22' : undefined,
    value: fmt,
  })));
  return mount(el, { series: useries, scales, axes, legend: { live: true } },
    [x, ...series.map((s) => s.values)], height);
}

// Daily values over "YYYY-MM-DD" days, ticks on whole days. With
// opts.midday each value sits in the middle of its day (for a chart that
// shares its x range with a time series).
export function dayChart(el, days, series, opts = {}) {
  const off = opts.midday ? DAY / 2 : 0;
  return lineChart(el, days.map((d) => daySeconds(d) + off), series, { days: true, ...opts });
}

// A small chart without axes or legend.
export function sparkline(el, values, key) {
  const x = values.map((_, i) => i);
  return mount(el, {
    series: [{}, { stroke: colorFor(key, 0), fill: colorFor(key, 0) + '22', width: 1.5, spanGaps: true, points: { show: false } }],
    // A flat series (often all zero) draws mid-height, not on the edge.
    scales: { x: { time: false }, y: { range: (u, min, max) => (min === max ? [min - 1, max + 1] : [min, max]) } },
    axes: [{ show: false }, { show: false }],
    legend: { show: false },
    cursor: { show: false },
  }, [x, values], 48);
}
