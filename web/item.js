// Item detail (#/item/PLATFORM/ID): metadata, latest metrics, views,
// likes and comments over time, and daily gains (hourly for an item
// younger than two days). Reads /api/v1/items/P/ID; the daily series come
// from .../days when the server has it, else they are computed here from
// the snapshots. A removed item (the platform no longer returns it) says
// so, with the time it was last seen. A live stream (the answer carries
// "stream") shows its viewer curve and figures instead (stream.js), and
// any item its linked items (a stream's VOD and clips).

import { api, apiOptional, ApiError, qs } from './api.js';
import { h, fullNum, day, dateTime, fmtDateTime, dayRange, daySeconds, platformName, thumb, safeUrl,
  str, emptyState, noInteractions, noInteractionsWhy } from './dom.js';
import { accountNames, accountLabel } from './schedule.js';
import { lineChart, dayChart } from './charts.js';
import { streamPanel, linksPanel, duration } from './stream.js';

const METRICS = ['views', 'likes', 'comments'];

function value(m, k) {
  return m && typeof m[k] === 'number' && isFinite(m[k]) ? m[k] : null;
}

// The snapshots that carry any of METRICS, oldest first.
function history(snaps) {
  return snaps.filter((s) => s && s.metrics && METRICS.some((k) => value(s.metrics, k) !== null))
    .map((s) => ({ t: Date.parse(s.observed_at) / 1000, at: s.observed_at, m: s.metrics }))
    .filter((s) => isFinite(s.t)).sort((a, b) => a.t - b.t);
}

// Daily gains from snapshots: last value of each UTC day minus the last
// value of the previous day that has one.
function gainsFromSnapshots(hist) {
  if (!hist.length) return null;
  const first = new Date(hist[0].t * 1000).toISOString().slice(0, 10);
  const lastDay = new Date(hist[hist.length - 1].t * 1000).toISOString().slice(0, 10);
  const days = dayRange(first, lastDay);
  const index = new Map(days.map((d, i) => [d, i]));
  const series = {};
  for (const k of METRICS) {
    const last = days.map(() => null);
    for (const s of hist) {
      const v = value(s.m, k);
      if (v !== null) last[index.get(new Date(s.t * 1000).toISOString().slice(0, 10))] = v;
    }
    let prev = null;
    series[k] = last.map((v) => {
      if (v === null) return null;
      const g = prev === null ? null : v - prev;
      prev = v;
      return g;
    });
  }
  return { days, series };
}

const DAY = 86400;
const HOUR = 3600;
const YOUNG = 2 * DAY; // younger than this: gains per hour

// Gains per UTC hour from the snapshots: the last value of each hour
// minus that of the previous hour with one. The first hour's gain counts
// from 0 when the first snapshot came within an hour of publication (the
// item observed from its start); otherwise it has none.
export function hourlyGains(hist, publishedT) {
  const h0 = Math.floor(hist[0].t / HOUR) * HOUR;
  const h1 = Math.floor(hist[hist.length - 1].t / HOUR) * HOUR;
  const hours = [];
  for (let t = h0; t <= h1; t += HOUR) hours.push(t);
  const fromZero = isFinite(publishedT) && hist[0].t >= publishedT && hist[0].t - publishedT <= HOUR;
  const series = {};
  for (const k of METRICS) {
    const last = hours.map(() => null);
    for (const s of hist) {
      const v = value(s.m, k);
      if (v !== null) last[(Math.floor(s.t / HOUR) * HOUR - h0) / HOUR] = v;
    }
    let prev = fromZero ? 0 : null;
    series[k] = last.map((v) => {
      if (v === null) return null;
      const g = prev === null ? null : v - prev;
      prev = v;
      return g;
    });
  }
  return { hours, series, x: [h0, h1 + HOUR] };
}

const utcDay = (t) => new Date(t * 1000).toISOString().slice(0, 10);

// The UTC days from the first to the last snapshot of hist (at most
// 3660, as the API takes them): both charts span exactly these days.
function span(hist) {
  let from = utcDay(hist[0].t);
  const to = utcDay(hist[hist.length - 1].t);
  if (daySeconds(to) - daySeconds(from) > 3659 * DAY) from = utcDay(daySeconds(to) - 3659 * DAY);
  return { from, to, x: [daySeconds(from), daySeconds(to) + DAY] };
}

async function dailyGains(platform, id, hist, sp) {
  const path = '/api/v1/items/' + encodeURIComponent(platform) + '/' + encodeURIComponent(id) + '/days';
  const d = await apiOptional(path + qs({ metrics: METRICS.join(','), from: sp.from, to: sp.to }));
  if (d && Array.isArray(d.days) && d.series && typeof d.series === 'object') {
    const series = {};
    for (const k of METRICS) series[k] = d.series[k] && Array.isArray(d.series[k].gain) ? d.series[k].gain : d.days.map(() => null);
    return { days: d.days, series };
  }
  return gainsFromSnapshots(hist);
}

// "views 1,234, likes 56 (no comments)" of one snapshot's metrics.
function valuesText(m) {
  const have = METRICS.filter((k) => value(m, k) !== null);
  const missing = METRICS.filter((k) => value(m, k) === null);
  return have.map((k) => k + ' ' + fullNum(value(m, k))).join(', ') +
    (missing.length ? ' (no ' + missing.join(' or ') + ' reported)' : '');
}

// Latest value of every metric (a snapshot may carry only some).
function latestMetrics(snaps) {
  const out = new Map();
  for (const s of snaps) {
    if (!s || !s.metrics || typeof s.metrics !== 'object') continue;
    for (const [k, v] of Object.entries(s.metrics)) {
      if (typeof v === 'number') out.set(k, { v, at: s.observed_at });
    }
  }
  return out;
}

function removedBadge(it) {
  if (typeof it.removed_last_seen !== 'string') return null;
  return h('span', { class: 'badge badge-bad', id: 'item-removed',
    title: 'The platform no longer returns this item when asked for it; its history is kept.',
    text: 'removed (last seen ' + day(it.removed_last_seen) + ')' });
}

// "2.3x your typical YouTube video at 2 days (median 1.2K views, 14 items)".
function typicalLine(it) {
  const t = it.vs_typical;
  if (!t || typeof t !== 'object' || !Number.isInteger(t.age_days)) return null;
  const at = t.age_days === 0 ? 'on its first day' : 'at ' + t.age_days + ' day' + (t.age_days === 1 ? '' : 's');
  const kind = platformName(it.platform) + ' ' + (str(it.kind) || 'item');
  const text = typeof t.ratio === 'number' && isFinite(t.ratio)
    ? (t.ratio >= 10 ? Math.round(t.ratio) : t.ratio.toFixed(1)) + '× your typical ' + kind + ' ' + at +
      ' (' + fullNum(t.views) + ' views against a median of ' + fullNum(Math.round(t.median)) + ', ' + t.n + ' item' + (t.n === 1 ? '' : 's') + ')'
    : 'No other ' + kind + ' of yours is ' + (t.age_days === 0 ? 'a day' : t.age_days + ' day' + (t.age_days === 1 ? '' : 's')) + ' old yet to compare with.';
  return h('p', { class: 'muted', id: 'item-typical', text });
}

// An instant in the browser's locale, the ISO text in its tooltip.
function when(iso) {
  return h('span', { title: str(iso) || null, text: fmtDateTime(iso) });
}

// The item's own length (a video, a VOD), else a stream's: the figure its
// stream panel shows (the API's, started_at to the last live point).
function lengthOf(it) {
  const own = it.duration_s;
  if (typeof own === 'number') return own >= 60 ? duration(own) + ' (' + fullNum(own) + ' s)' : fullNum(own) + ' s';
  const s = it.stream;
  if (s && typeof s === 'object' && typeof s.duration_s === 'number') {
    return h('span', { title: 'From the start of the stream to its last live point' }, duration(s.duration_s));
  }
  return '–';
}

// names: accountNames() (the account's handle instead of its id).
function meta(it, snaps, names) {
  const last = snaps.length ? snaps[snaps.length - 1].observed_at : null;
  const rows = [
    ['Platform', platformName(it.platform)], ['Kind', str(it.kind) || '–'],
    ['ID', str(it.id)],
    ['Account', str(it.account_id) ? accountLabel(names, it.platform, it.account_id) : '–', 'item-account'],
    ['Published', when(it.published_at)],
    ['Duration', lengthOf(it), 'item-duration'],
    ['Snapshots', fullNum(snaps.length)],
    ['Last seen', last ? when(last) : '–'],
  ];
  return h('dl', { class: 'kv' }, rows.map(([k, v, id]) => [h('dt', { text: k }), h('dd', { id: id || null }, v)]));
}

function metricsTable(latest) {
  const names = [...latest.keys()].sort((a, b) => (METRICS.indexOf(a) + 1 || 99) - (METRICS.indexOf(b) + 1 || 99) || a.localeCompare(b));
  return h('div', { class: 'table-wrap' }, h('table', { class: 'data', id: 'item-metrics' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Metric' }), h('th', { scope: 'col', class: 'num', text: 'Latest' }), h('th', { scope: 'col', text: 'Seen' }))),
    h('tbody', {}, names.map((n) => h('tr', {}, h('td', { text: n }),
      h('td', { class: 'num', text: fullNum(latest.get(n).v) }), h('td', { text: day(latest.get(n).at) }))))));
}

export async function render(view, args, params, ctx) {
  const [platform, id] = args;
  if (!platform || !id || args.length !== 2) {
    view.appendChild(emptyState('No such item', ['Pick an item on the ', h('a', { href: '#/content', text: 'Content page' }), '.']));
    return;
  }
  let it;
  try {
    it = await api('/api/v1/items/' + encodeURIComponent(platform) + '/' + encodeURIComponent(id));
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 404) throw e;
    if (ctx.stale()) return;
    view.appendChild(emptyState('No such item', ['There is no ' + platformName(platform) + ' item “' + id + '”. ',
      h('a', { href: '#/content', text: 'Back to the content list' }), '.']));
    return;
  }
  if (ctx.stale()) return;
  const names = await accountNames();
  if (ctx.stale()) return;
  const snaps = Array.isArray(it.snapshots) ? it.snapshots : [];
  const url = safeUrl(it.url);
  const chartEl = h('div', { id: 'item-chart', class: 'chart' });
  const gainsEl = h('div', { id: 'item-gains-chart', class: 'chart' });
  const stream = streamPanel(it);
  view.appendChild(h('section', { id: 'item' },
    h('p', { class: 'crumbs' }, h('a', { href: '#/content', text: '← Content' })),
    h('div', { class: 'item-head' }, thumb(it.thumbnail_url, str(it.platform)),
      h('div', {}, h('h1', { id: 'item-title', text: str(it.title) || str(it.id) }), removedBadge(it), typicalLine(it),
        url ? h('a', { id: 'item-url', href: url, target: '_blank', rel: 'noopener noreferrer',
          text: 'Open on ' + platformName(it.platform) + ' ↗' }) : null)),
    h('div', { class: 'columns' },
      h('section', { class: 'panel' }, h('h2', { text: 'Details' }), meta(it, snaps, names),
        str(it.description) ? h('p', { class: 'description', text: str(it.description) }) : null),
      h('section', { class: 'panel' }, h('h2', { text: 'Latest metrics' }), metricsTable(latestMetrics(snaps)),
        noInteractions(str(it.platform)) ? h('p', { class: 'muted', id: 'item-no-interactions',
          text: noInteractionsWhy(str(it.platform), 'no interaction figures or engagement for its items.') }) : null)),
    stream ? stream.el : null, linksPanel(it),
    stream ? null : h('section', { class: 'panel' }, h('h2', { text: noInteractions(str(it.platform)) ? 'Views' : 'Views, likes and comments' }), chartEl),
    stream ? null : h('section', { class: 'panel' }, h('h2', { id: 'item-gains-title', text: 'Gained per day' }), gainsEl)));
  // A live stream: its viewer curve instead of views and gains.
  if (stream) {
    stream.draw();
    return;
  }
  const hist = history(snaps);
  const pubT = Date.parse(str(it.published_at)) / 1000;
  if (!hist.length) {
    chartEl.appendChild(h('p', { class: 'muted', id: 'item-chart-empty',
      text: 'No snapshot of this item has views, likes or comments yet. The chart appears once a collection or an import brings them.' }));
    gainsEl.appendChild(h('p', { class: 'muted', text: 'Daily gains need snapshots on at least two days.' }));
    return;
  }
  if (hist.length === 1) {
    // One point makes no line: say what there is and what comes next.
    const one = hist[0];
    chartEl.appendChild(h('p', { class: 'muted', id: 'item-chart-empty',
      text: 'One snapshot so far (' + dateTime(one.at) + '): ' +
        valuesText(one.m) + '. The chart appears after the next collection.' }));
    gainsEl.appendChild(h('p', { class: 'muted', id: 'item-gains-empty',
      text: 'Daily gains need snapshots on at least two days.' }));
    return;
  }
  // Both charts span the same days: the time series from the first to the
  // last snapshot's day, the gains in the middle of each of those days.
  // A young item: the same hours instead.
  const young = Date.now() / 1000 - (isFinite(pubT) ? pubT : hist[0].t) < YOUNG;
  const hg = young ? hourlyGains(hist, pubT) : null;
  const sp = span(hist);
  const shown = METRICS.filter((k) => hist.some((s) => value(s.m, k) !== null));
  // Views on the left axis, the smaller counts on the right; without
  // views everything goes on the left.
  const scaleOf = (k, names) => (k !== 'views' && names.includes('views') ? 'right' : 'y');
  lineChart(chartEl, hist.map((s) => s.t), shown.map((k) => ({
    label: k, key: k, scale: scaleOf(k, shown), values: hist.map((s) => value(s.m, k)) })),
  { xValue: '{YYYY}-{MM}-{DD} {HH}:{mm}', xRange: hg ? hg.x : sp.x, days: hg ? false : undefined });
  if (shown.length < METRICS.length) {
    chartEl.appendChild(h('p', { class: 'muted', text: 'These snapshots report no ' +
      METRICS.filter((k) => !shown.includes(k)).join(' or ') + '.' }));
  }
  if (hg) {
    document.getElementById('item-gains-title').textContent = 'Gained per hour';
    const hshown = METRICS.filter((k) => hg.series[k].some((v) => typeof v === 'number'));
    if (!hshown.length) {
      gainsEl.appendChild(h('p', { class: 'muted', id: 'item-gains-empty', text: 'Hourly gains need snapshots in at least two hours.' }));
      return;
    }
    gainsEl.dataset.per = 'hour';
    lineChart(gainsEl, hg.hours.map((t) => t + HOUR / 2), hshown.map((k) => ({ label: k, key: k,
      scale: scaleOf(k, hshown), values: hg.series[k] })), { xValue: '{YYYY}-{MM}-{DD} {HH}:00', xRange: hg.x, days: false });
    return;
  }
  const g = await dailyGains(str(it.platform) || platform, str(it.id) || id, hist, sp);
  if (ctx.stale()) return;
  if (!g || !g.days.length || !METRICS.some((k) => g.series[k].some((v) => typeof v === 'number'))) {
    gainsEl.appendChild(h('p', { class: 'muted', id: 'item-gains-empty',
      text: 'Daily gains need snapshots on at least two days.' }));
    return;
  }
  const gshown = METRICS.filter((k) => g.series[k].some((v) => typeof v === 'number'));
  dayChart(gainsEl, g.days, gshown.map((k) => ({ label: k, key: k,
    scale: scaleOf(k, gshown), values: g.series[k] })), { midday: true, xRange: sp.x });
}
