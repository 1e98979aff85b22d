// Best time (#/best-time?platform=): mean views in each owned item's first
// week by the weekday and hour (in the rollup zone) it was published, as a
// 7 x 24 table (Sunday first) with each slot's item count. Slots with
// fewer items than the server's minimum sample are drawn as "too few", not
// shaded, and are never the best slot. Reads /api/v1/heatmap.

import { api, qs } from './api.js';
import { h, clear, num, emptyState, noDataHint, platformName, PLATFORMS } from './dom.js';
import { errorBox } from './dom.js';
import { getRange, rangeParams, rangeLabel, rangePicker } from './range.js';
import { wall, addDays, zoneSelect, browserZone } from './schedule.js';
import { proposals } from './slots.js';

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const LEVELS = 8;

function hourLabel(hr) {
  return String(hr).padStart(2, '0') + ':00';
}

// -> {cells: [{mean, n, few}|null x168], best: index|-1, zone, minN}
async function load(range, platform) {
  const hm = await api('/api/v1/heatmap' + qs({ ...rangeParams(range), platform: platform || null }));
  const cells = new Array(168).fill(null);
  const zone = typeof hm.zone === 'string' ? hm.zone : 'UTC';
  const minN = Number.isInteger(hm.min_n) ? hm.min_n : 1;
  let best = -1;
  for (const b of Array.isArray(hm.buckets) ? hm.buckets : []) {
    if (!b || !Number.isInteger(b.weekday) || !Number.isInteger(b.hour)) continue;
    if (b.weekday < 0 || b.weekday > 6 || b.hour < 0 || b.hour > 23) continue;
    if (typeof b.mean === 'number' && isFinite(b.mean) && Number.isInteger(b.n) && b.n > 0) {
      cells[b.weekday * 24 + b.hour] = { mean: b.mean, n: b.n, few: b.n < minN };
    }
  }
  if (hm.best && Number.isInteger(hm.best.weekday) && Number.isInteger(hm.best.hour)) {
    best = hm.best.weekday * 24 + hm.best.hour;
  }
  return { cells, best: cells[best] ? best : -1, zone, minN };
}

function describe(i, c, zone, minN) {
  const slot = DAYS[Math.floor(i / 24)] + ' ' + hourLabel(i % 24) + ' ' + zone;
  if (!c) return slot + ': nothing published';
  const items = c.n + ' item' + (c.n === 1 ? '' : 's');
  if (c.few) return slot + ': too few to tell (' + items + ', at least ' + minN + ' needed)';
  return slot + ': ' + num(c.mean) + ' views on average in the first week (' + items + ')';
}

// The next time the wall clock in zone shows weekday wd at hour hr
// (today's slot only while its hour has not begun).
export function nextSlot(wd, hr, zone, now = Date.now()) {
  const w = wall(now, zone) || wall(now, 'UTC');
  const today = new Date(w.date + 'T12:00:00Z').getUTCDay();
  let ahead = (wd - today + 7) % 7;
  if (ahead === 0 && Number(w.time.slice(0, 2)) >= hr) ahead = 7;
  return { date: addDays(w.date, ahead), time: hourLabel(hr) };
}

function table(cells, best, zone, minN) {
  const shaded = cells.filter((c) => c && !c.few);
  const max = shaded.reduce((m, c) => (c.mean > m ? c.mean : m), 0);
  const head = h('tr', {}, h('th', { class: 'heat-corner', scope: 'col' }, h('span', { class: 'heat-sr', text: 'Weekday' })));
  for (let hr = 0; hr < 24; hr++) {
    head.appendChild(h('th', { class: 'heat-hour', scope: 'col', 'aria-label': hourLabel(hr) }, hr % 3 === 0 ? String(hr) : h('span', { class: 'heat-sr', text: hourLabel(hr) })));
  }
  const body = h('tbody');
  for (let d = 0; d < 7; d++) {
    const row = h('tr', {}, h('th', { class: 'heat-day', scope: 'row', 'aria-label': DAYS[d] }, DAYS[d].slice(0, 3)));
    for (let hr = 0; hr < 24; hr++) {
      const i = d * 24 + hr;
      const c = cells[i];
      let cls = 'heat-cell heat-0';
      if (c && c.few) cls = 'heat-cell heat-few';
      else if (c && max > 0) cls = 'heat-cell heat-' + Math.min(LEVELS, 1 + Math.floor((c.mean / max) * (LEVELS - 1e-9)));
      const text = describe(i, c, zone, minN);
      row.appendChild(h('td', {
        class: cls + (i === best ? ' heat-best' : ''), title: text, 'aria-label': text,
        tabindex: c ? 0 : null, dataset: { weekday: d, hour: hr, n: c ? c.n : 0 },
      }, c ? String(c.n) : ''));
    }
    body.appendChild(row);
  }
  return h('table', { id: 'heatmap', class: 'heatmap' },
    h('caption', { class: 'heat-sr', text: 'Mean first-week views by publish weekday and hour (' + zone + '); each cell shows how many items were published in it' }),
    h('thead', {}, head), body);
}

function legend(minN) {
  const l = h('div', { class: 'heat-legend', 'aria-hidden': 'true' }, h('span', { text: 'fewer views' }));
  for (let i = 0; i <= LEVELS; i++) l.appendChild(h('span', { class: 'heat-swatch heat-' + i }));
  l.appendChild(h('span', { text: 'more' }));
  l.appendChild(h('span', { class: 'heat-swatch heat-few' }));
  l.appendChild(h('span', { text: 'too few (under ' + minN + ' items)' }));
  l.appendChild(h('span', { text: '· the number in a cell is its item count' }));
  return l;
}

function bestCallout(cells, best, zone) {
  const wd = Math.floor(best / 24);
  const hr = best % 24;
  const slot = nextSlot(wd, hr, zone);
  const href = '#/compose' + qs({ date: slot.date, time: slot.time, zone });
  return h('p', { class: 'callout', id: 'best-slot' }, 'Best time to publish: ',
    h('strong', { text: DAYS[wd] + ' ' + hourLabel(hr) + ' ' + zone }),
    ' (' + num(cells[best].mean) + ' views in the first week on average, ' + cells[best].n + ' items). ',
    h('a', { id: 'best-schedule', class: 'button-link', href, text: 'Schedule in this slot' }),
    h('span', { class: 'muted', text: ' (next: ' + slot.date + ' ' + slot.time + ')' }));
}

async function renderBody(body, range, platform, ctx) {
  const { cells, best, zone, minN } = await load(range, platform);
  if (ctx.stale()) return;
  clear(body);
  const any = cells.some((c) => c);
  const where = (platform ? platformName(platform) + ' content' : 'Content') + ' published ' +
    (range.days === 'custom' ? 'from ' + range.from + ' to ' + range.to : 'in the ' + rangeLabel(range));
  if (!any) {
    body.appendChild(emptyState('Not enough data for a best time',
      where + ' has no views from its first week. Try a longer range.', noDataHint('To add data')));
  } else if (best < 0) {
    body.appendChild(h('p', { class: 'callout', id: 'best-slot' },
      'No slot has ' + minN + ' or more items yet: too few to call a best time. ' + where + ' is shown below.'));
  } else {
    body.appendChild(bestCallout(cells, best, zone));
  }
  body.appendChild(h('p', { class: 'muted', text: 'Mean views in each of your items’ first 7 days, by the weekday and hour (' + zone + ') it was published. Slots with fewer than ' + minN + ' items are marked too few.' }));
  const wrap = h('div', { class: 'heat-wrap', id: 'heat-wrap' }, table(cells, best, zone, minN));
  body.appendChild(wrap);
  body.appendChild(legend(minN));
  // On a narrow screen the table scrolls: bring the best slot into view.
  const cell = best >= 0 ? wrap.querySelector('.heat-best') : null;
  if (cell && wrap.scrollWidth > wrap.clientWidth) {
    wrap.scrollLeft = Math.max(0, cell.offsetLeft - (wrap.clientWidth - cell.offsetWidth) / 2);
  }
}

// The rollup zone control: a zone select showing the current zone (GET
// /api/v1/settings), a button offering the browser's zone when it differs,
// and a status line. Choosing a zone POSTs /api/v1/settings/zone (the
// server recomputes the rollups) and then calls redraw().
function zoneControl(current, redraw) {
  const sel = zoneSelect('best-zone', current);
  if (sel.value !== current) {
    sel.insertBefore(h('option', { value: current, text: current }), sel.firstChild);
    sel.value = current;
  }
  const status = h('span', { id: 'best-zone-status', class: 'muted', role: 'status' });
  const mine = browserZone();
  const suggest = h('button', { type: 'button', id: 'best-zone-browser', class: 'button-quiet', text: 'Use ' + mine });
  const sync = (z) => { suggest.hidden = z === mine; };
  let busy = false;
  const apply = async (z) => {
    if (busy) return;
    busy = true;
    sel.disabled = true;
    suggest.disabled = true;
    status.textContent = 'Recomputing the days in ' + z + '…';
    try {
      const r = await api('/api/v1/settings/zone', { method: 'POST', contentType: 'application/json', body: JSON.stringify({ zone: z }) });
      current = typeof r.zone === 'string' ? r.zone : z;
      status.textContent = 'Days and hours are now in ' + current + ' (recomputed in ' + (typeof r.seconds === 'number' ? r.seconds.toFixed(1) : '?') + ' s).';
      redraw();
    } catch (e) {
      status.textContent = 'Could not change the zone: ' + e.message;
    } finally {
      sel.value = current;
      sync(current);
      sel.disabled = false;
      suggest.disabled = false;
      busy = false;
    }
  };
  sel.addEventListener('change', () => { if (sel.value !== current) apply(sel.value); });
  suggest.addEventListener('click', () => apply(mine));
  sync(current);
  return h('div', { class: 'zone-control', id: 'best-zone-control' },
    h('label', { for: 'best-zone', text: 'Days and hours in' }), sel, suggest, status);
}

function platformPicker(platform) {
  const sel = h('select', { id: 'best-platform', 'aria-label': 'Platform' },
    h('option', { value: '', text: 'All platforms' }),
    PLATFORMS.map((p) => h('option', { value: p, text: platformName(p) })));
  sel.value = platform;
  sel.addEventListener('change', () => { location.hash = '#/best-time' + (sel.value ? '?platform=' + sel.value : ''); });
  return sel;
}

export async function render(view, args, params, ctx) {
  const range = getRange('365');
  const platform = PLATFORMS.includes(params.get('platform')) ? params.get('platform') : '';
  const body = h('div', { id: 'best-time-body' }, h('p', { class: 'loading', text: 'Loading…' }));
  const settings = await api('/api/v1/settings');
  if (ctx.stale()) return;
  let seq = 0; // a newer range choice makes older answers stale
  let shown = range;
  let props = null; // the queue slot proposals (slots.js), once drawn
  const reload = (r) => {
    shown = r;
    if (props) props.reload(rangeParams(r));
    const mine = ++seq;
    const rctx = { stale: () => ctx.stale() || mine !== seq };
    renderBody(body, r, platform, rctx).catch((e) => { if (!rctx.stale()) clear(body).appendChild(errorBox(e)); });
  };
  view.appendChild(h('section', { id: 'best-time' },
    h('div', { class: 'page-head' }, h('h1', { text: 'Best time to publish' }),
      h('div', { class: 'toolbar' }, platformPicker(platform), rangePicker(range, reload))),
    zoneControl(settings && typeof settings.zone === 'string' ? settings.zone : 'UTC', () => reload(shown)),
    body));
  await renderBody(body, range, platform, { stale: () => ctx.stale() || seq !== 0 });
  // Queue slots proposed from the chosen account's own best hours (slots.js).
  const accs = await api('/api/v1/accounts' + qs({ limit: 500 })).catch(() => null);
  if (ctx.stale()) return;
  const owned = (accs && Array.isArray(accs.accounts) ? accs.accounts : []).filter((a) => a && a.role !== 'tracked');
  props = proposals(owned, platform, rangeParams(shown), ctx);
  view.querySelector('#best-time').appendChild(props.el);
}
