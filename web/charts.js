// uPlot wrappers: line charts over UTC days or times, sparklines, and a
// registry so a page change destroys the charts (and their observers) of
// the page it leaves. uPlot is the global from /assets/uPlot.iife.min.js.

import { h, num, daySeconds } from './dom.js';

export const COLORS = {
  youtube: '#d93025', instagram: '#b0368f', tiktok: '#00838f',
  total: '#1f6feb', views: '#1f6feb', likes: '#d93025', comments: '#2e7d32',
};
const FALLBACK = ['#6f42c1', '#e36209', '#0a7ea4', '#8a6d00'];

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
  const plot = new window.uPlot({ ...opts, width, height, tzDate: utc }, data, el);
  const observer = new ResizeObserver(() => {
    const w = Math.max(el.clientWidth, 200);
    if (w !== plot.width) plot.setSize({ width: w, height });
  });
  observer.observe(el);
  live.push({ plot, observer });
  return plot;
}

export function colorFor(name, i) {
  return COLORS[name] || FALLBACK[i % FALLBACK.length];
}

// series: [{label, key, values: [n|null...]}...]; x: seconds since epoch.
export function lineChart(el, x, series, opts = {}) {
  const height = opts.height || 280;
  const fmt = (u, v) => (v === null || v === undefined ? '–' : num(v));
  const scales = { x: { time: true } };
  const xs = x.filter((v) => isFinite(v));
  if (xs.length && Math.min(...xs) === Math.max(...xs)) {
    scales.x.range = () => [xs[0] - 86400, xs[0] + 86400]; // one point: a day each side
  }
  const axes = [{}, { values: (u, vals) => vals.map((v) => num(v)), size: 60 }];
  if (series.some((s) => s.scale === 'right')) {
    scales.right = { auto: true };
    axes.push({ scale: 'right', side: 1, grid: { show: false },
      values: (u, vals) => vals.map((v) => num(v)), size: 60 });
  }
  const useries = [{ value: opts.xValue || '{YYYY}-{MM}-{DD}' }].concat(series.map((s, i) => ({
    label: s.label,
    stroke: colorFor(s.key, i),
    width: 2,
    scale: s.scale === 'right' ? 'right' : 'y',
    spanGaps: true,
    points: { show: x.length < 60 },
    fill: opts.fill ? colorFor(s.key, i) + '22' : undefined,
    value: fmt,
  })));
  return mount(el, { series: useries, scales, axes, legend: { live: true } },
    [x, ...series.map((s) => s.values)], height);
}

// Daily values over "YYYY-MM-DD" days.
export function dayChart(el, days, series, opts) {
  return lineChart(el, days.map(daySeconds), series, opts);
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
