// Best time (#/best-time): mean views in each item's first week by the
// weekday and hour (in the rollup zone) it was published, as a 7 x 24 grid (Sunday first)
// with the best slot called out. Reads /api/v1/heatmap when the server
// has it, else the heatmap of /api/v1/report.

import { api, apiOptional, qs } from './api.js';
import { h, clear, num, emptyState, noDataHint, errorBox } from './dom.js';
import { getRange, rangeParams, rangeLabel, rangePicker } from './range.js';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const LEVELS = 8;

function hourLabel(hr) {
  return String(hr).padStart(2, '0') + ':00';
}

// -> {cells: [{mean, n}|null x168], best: index|-1, zone: IANA name}
async function load(range) {
  const p = rangeParams(range);
  const hm = await apiOptional('/api/v1/heatmap' + qs(p));
  const cells = new Array(168).fill(null);
  let best = -1;
  let zone = 'UTC';
  if (hm && typeof hm.zone === 'string') zone = hm.zone;
  if (hm && Array.isArray(hm.buckets)) {
    for (const b of hm.buckets) {
      if (!b || !Number.isInteger(b.weekday) || !Number.isInteger(b.hour)) continue;
      if (b.weekday < 0 || b.weekday > 6 || b.hour < 0 || b.hour > 23) continue;
      if (typeof b.mean === 'number' && isFinite(b.mean) && (b.n === undefined || b.n > 0)) {
        cells[b.weekday * 24 + b.hour] = { mean: b.mean, n: typeof b.n === 'number' ? b.n : null };
      }
    }
    if (hm.best && Number.isInteger(hm.best.weekday) && Number.isInteger(hm.best.hour)) {
      best = hm.best.weekday * 24 + hm.best.hour;
    }
  } else {
    const r = await api('/api/v1/report' + qs({ ...p, top: 1 }));
    if (typeof r.zone === 'string') zone = r.zone;
    const arr = Array.isArray(r.heatmap) ? r.heatmap : [];
    for (let i = 0; i < 168 && i < arr.length; i++) {
      if (typeof arr[i] === 'number' && isFinite(arr[i])) cells[i] = { mean: arr[i], n: null };
    }
    if (r.best_hour && typeof r.best_hour === 'object') {
      const wd = DAYS.findIndex((d) => d.startsWith(String(r.best_hour.weekday)));
      if (wd >= 0 && Number.isInteger(r.best_hour.hour)) best = wd * 24 + r.best_hour.hour;
    }
  }
  if (best < 0 || !cells[best]) {
    best = cells.reduce((bi, c, i) => (c && (bi < 0 || c.mean > cells[bi].mean) ? i : bi), -1);
  }
  return { cells, best, zone };
}

function describe(i, c, zone) {
  const slot = DAYS[Math.floor(i / 24)] + ' ' + hourLabel(i % 24) + ' ' + zone;
  if (!c) return slot + ': nothing published';
  return slot + ': ' + num(c.mean) + ' views on average in the first week' +
    (c.n !== null ? ' (' + c.n + ' item' + (c.n === 1 ? '' : 's') + ')' : '');
}

function grid(cells, best, zone) {
  const max = cells.reduce((m, c) => (c && c.mean > m ? c.mean : m), 0);
  const el = h('div', { id: 'heatmap', class: 'heatmap', role: 'grid', 'aria-label': 'Mean first-week views by publish weekday and hour (' + zone + ')' });
  el.appendChild(h('span', { class: 'heat-corner' }));
  for (let hr = 0; hr < 24; hr++) el.appendChild(h('span', { class: 'heat-hour', text: hr % 3 === 0 ? String(hr) : '' }));
  for (let d = 0; d < 7; d++) {
    el.appendChild(h('span', { class: 'heat-day', text: DAYS[d].slice(0, 3) }));
    for (let hr = 0; hr < 24; hr++) {
      const i = d * 24 + hr;
      const c = cells[i];
      const level = c && max > 0 ? Math.min(LEVELS, 1 + Math.floor((c.mean / max) * (LEVELS - 1e-9))) : 0;
      el.appendChild(h('span', {
        class: 'heat-cell heat-' + level + (i === best ? ' heat-best' : ''), role: 'gridcell',
        title: describe(i, c, zone), 'aria-label': describe(i, c, zone), tabindex: c ? 0 : null,
        dataset: { weekday: d, hour: hr },
      }));
    }
  }
  return el;
}

function legend() {
  const l = h('div', { class: 'heat-legend', 'aria-hidden': 'true' }, h('span', { text: 'fewer views' }));
  for (let i = 0; i <= LEVELS; i++) l.appendChild(h('span', { class: 'heat-cell heat-swatch heat-' + i }));
  l.appendChild(h('span', { text: 'more' }));
  return l;
}

async function renderBody(body, range, ctx) {
  const { cells, best, zone } = await load(range);
  if (ctx.stale()) return;
  clear(body);
  if (best < 0) {
    body.appendChild(emptyState('Not enough data for a best time',
      'No content published ' + (range.days === 'custom' ? 'from ' + range.from + ' to ' + range.to : 'in the ' + rangeLabel(range)) +
        ' has views from its first week. Try a longer range.', noDataHint('To add data')));
  } else {
    body.appendChild(h('p', { class: 'callout', id: 'best-slot' }, 'Best time to publish: ',
      h('strong', { text: DAYS[Math.floor(best / 24)] + ' ' + hourLabel(best % 24) + ' ' + zone }),
      ' (' + num(cells[best].mean) + ' views in the first week on average).'));
  }
  body.appendChild(h('p', { class: 'muted', text: 'Mean views in each item’s first 7 days, by the weekday and hour (' + zone + ') it was published.' }));
  body.appendChild(h('div', { class: 'heat-wrap' }, grid(cells, best, zone)));
  body.appendChild(legend());
}

export async function render(view, args, params, ctx) {
  const range = getRange('365');
  const body = h('div', { id: 'best-time-body' }, h('p', { class: 'loading', text: 'Loading…' }));
  let seq = 0; // a newer range choice makes older answers stale
  const reload = (r) => {
    const mine = ++seq;
    const rctx = { stale: () => ctx.stale() || mine !== seq };
    renderBody(body, r, rctx).catch((e) => { if (!rctx.stale()) clear(body).appendChild(errorBox(e)); });
  };
  view.appendChild(h('section', { id: 'best-time' },
    h('div', { class: 'page-head' }, h('h1', { text: 'Best time to publish' }), rangePicker(range, reload)),
    body));
  await renderBody(body, range, { stale: () => ctx.stale() || seq !== 0 });
}
