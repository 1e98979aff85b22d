// A live stream on its item page (#/item/PLATFORM/ID): the viewer curve,
// the figures the API computes from it (GET /api/v1/items/P/ID "stream":
// peak, average, minutes watched, duration, with the points behind them
// and the gaps left out) and the linked items ("links": the VOD recorded
// from the stream and its clips; for a VOD, its stream). No platform is
// named: any item whose answer carries a stream object is one.

import { h, fullNum, fmtDateTime, str } from './dom.js';
import { lineChart } from './charts.js';

const num = (v) => typeof v === 'number' && isFinite(v);

// "2 h 5 min" of s seconds; "–" when there is no figure.
export function duration(s) {
  if (!num(s) || s < 0) return '–';
  const hh = Math.floor(s / 3600);
  const mm = Math.round((s % 3600) / 60);
  return (hh ? hh + ' h ' : '') + mm + ' min';
}

function when(iso) {
  return h('span', { title: str(iso) || null, text: fmtDateTime(iso) });
}

// The points of the viewer curve, oldest first; a null between two points
// further apart than gap_s so the line breaks where the API does not
// interpolate.
export function viewerCurve(snaps, gapS) {
  const pts = snaps.filter((s) => s && s.metrics && num(s.metrics.viewers) && s.metrics.viewers >= 0)
    .map((s) => ({ t: Date.parse(s.observed_at) / 1000, v: s.metrics.viewers }))
    .filter((p) => isFinite(p.t)).sort((a, b) => a.t - b.t);
  const x = [];
  const y = [];
  pts.forEach((p, i) => {
    if (i > 0 && p.t - pts[i - 1].t > gapS) {
      x.push((p.t + pts[i - 1].t) / 2);
      y.push(null);
    }
    x.push(p.t);
    y.push(p.v);
  });
  return { x, y, n: pts.length };
}

function figures(s) {
  const rows = [
    ['Peak viewers', [fullNum(s.peak), ' at ', when(s.peak_at)], 'stream-peak'],
    ['Average viewers', s.covered_s > 0 ? fullNum(Math.round(s.avg * 10) / 10) : fullNum(Math.round(s.avg)) + ' (mean of the points)', 'stream-avg'],
    ['Minutes watched', s.single_point ? '0 (one point: no estimate)' : fullNum(s.minutes_watched), 'stream-minutes'],
    ['Duration', [duration(s.duration_s), ' from ', when(s.started_at)], 'stream-duration'],
    ['Points', fullNum(s.points), 'stream-points'],
  ];
  return h('dl', { class: 'kv', id: 'stream-figures' }, rows.map(([k, v, id]) => [h('dt', { text: k }), h('dd', { id }, v)]));
}

function gapNote(s) {
  const min = Math.round(s.gap_s / 60);
  return h('p', { class: 'muted', id: 'stream-gaps', text: s.gaps > 0
    ? s.gaps + ' gap' + (s.gaps === 1 ? '' : 's') + ' longer than ' + min + ' minutes between points: not counted in the average or minutes watched, and the line breaks there.'
    : 'Figures from ' + fullNum(s.points) + ' point' + (s.points === 1 ? '' : 's') + '; the curve is a straight line between points at most ' + min + ' minutes apart.' });
}

// The stream panel, its chart drawn once the element is in the page
// (call draw() after appending). null for an item without a stream.
export function streamPanel(it) {
  const s = it.stream;
  if (!s || typeof s !== 'object' || !num(s.peak)) return null;
  const chartEl = h('div', { id: 'stream-chart', class: 'chart' });
  const el = h('section', { class: 'panel', id: 'stream' }, h('h2', { text: 'Live viewers' }),
    figures(s), gapNote(s), chartEl);
  const draw = () => {
    const c = viewerCurve(Array.isArray(it.snapshots) ? it.snapshots : [], num(s.gap_s) ? s.gap_s : 1200);
    if (c.n < 2) {
      chartEl.appendChild(h('p', { class: 'muted', id: 'stream-chart-empty', text: 'One point so far: the curve needs two.' }));
      return;
    }
    lineChart(chartEl, c.x, [{ label: 'viewers', key: 'viewers', values: c.y, spanGaps: false }],
      { xValue: '{YYYY}-{MM}-{DD} {HH}:{mm}', days: false, height: 240 });
  };
  return { el, draw };
}

function linkRow(platform, l) {
  const label = str(l.title) || str(l.id);
  const href = '#/item/' + encodeURIComponent(platform) + '/' + encodeURIComponent(str(l.id));
  return h('li', { class: 'stream-link' },
    l.stored ? h('a', { href, text: label }) : h('span', { text: label + ' (not collected)' }),
    h('span', { class: 'muted', text: ' ' + (str(l.kind) || 'item') + (num(l.views) ? ' · ' + fullNum(l.views) + ' views' : '') }));
}

// "From this stream" (what came from the item) and "Came from" (what it
// came from): null when the item has no links.
export function linksPanel(it) {
  const links = Array.isArray(it.links) ? it.links.filter((l) => l && str(l.id)) : [];
  if (!links.length) return null;
  const platform = str(it.platform);
  const from = links.filter((l) => l.came_from === true);
  const to = links.filter((l) => l.came_from !== true);
  const isStream = it.stream && typeof it.stream === 'object';
  return h('section', { class: 'panel', id: 'item-links' },
    from.length ? [h('h2', { text: 'Came from' }), h('ul', { class: 'stream-links', id: 'links-from' }, from.map((l) => linkRow(platform, l)))] : null,
    to.length ? [h('h2', { text: isStream ? 'From this stream' : 'From this ' + (str(it.kind) || 'item') }),
      h('ul', { class: 'stream-links', id: 'links-to' }, to.map((l) => linkRow(platform, l)))] : null);
}
