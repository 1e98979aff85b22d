// Calendar (#/calendar?view=week|month&date=YYYY-MM-DD&zone=ZONE): posts
// placed on their local day and time in the chosen zone (the browser's
// by default), coloured by state; a click opens the post.

import { api, qs } from './api.js';
import { h, str, platformDot } from './dom.js';
import { browserZone, validZone, zoneSelect, wall, addDays, weekday, todayIn,
  platformLabel, postHref, STATE_LABELS } from './schedule.js';
import { enableMoves, moveHint } from './calendar_dnd.js';
import { statusOf, accountFlag, viewsText } from './poststate.js';

const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];

function readState(params) {
  const zone = validZone(params.get('zone')) ? params.get('zone') : browserZone();
  const d = params.get('date');
  return {
    view: params.get('view') === 'month' ? 'month' : 'week',
    zone,
    date: /^\d{4}-\d{2}-\d{2}$/.test(d || '') && isFinite(Date.parse(d)) ? d : todayIn(zone),
  };
}

function go(s) {
  location.hash = '#/calendar' + qs({ view: s.view, date: s.date, zone: s.zone === browserZone() ? '' : s.zone });
}

// The days shown: a Monday-first week, or the 6 weeks around a month.
function span(s) {
  if (s.view === 'week') {
    const start = addDays(s.date, -weekday(s.date));
    return { start, days: 7 };
  }
  const first = s.date.slice(0, 8) + '01';
  return { start: addDays(first, -weekday(first)), days: 42 };
}

function chip(p, zone) {
  const w = wall(p.publish_at, zone);
  const s = statusOf(p);
  const flag = accountFlag(p, true);
  const views = viewsText(p);
  return h('a', { class: 'cal-post state-bg-' + s, href: postHref(p.id),
    dataset: { post: String(p.id), state: str(p.state), status: s },
    title: `${STATE_LABELS[s] || s} · ${platformLabel(p.platform)} · ${str(p.title)}` +
      (views ? ' · ' + views : '') + (flag ? ' · ' + flag.getAttribute('aria-label') : '') },
    platformDot(str(p.platform)),
    h('span', { class: 'cal-time', text: w ? w.time : '' }),
    flag,
    h('span', { class: 'cal-title', text: str(p.title) }),
    views ? h('span', { class: 'cal-views', text: views }) : null);
}

function title(s, sp) {
  if (s.view === 'month') {
    return MONTHS[Number(s.date.slice(5, 7)) - 1] + ' ' + s.date.slice(0, 4);
  }
  return sp.start + ' – ' + addDays(sp.start, 6);
}

export async function render(view, parts, params, ctx) {
  const s = readState(params);
  const sp = span(s);
  // UTC bounds with a day of slack each side; posts are then placed by
  // their local date in the zone.
  const from = addDays(sp.start, -1) + 'T00:00:00Z';
  const to = addDays(sp.start, sp.days + 1) + 'T00:00:00Z';
  const data = await api('/api/v1/posts' + qs({ from, to, limit: 1000 }));
  if (ctx.stale()) return;
  const posts = data && Array.isArray(data.posts) ? data.posts : [];
  const byDay = new Map();
  for (const p of posts) {
    const w = wall(p.publish_at, s.zone);
    if (!w) continue;
    if (!byDay.has(w.date)) byDay.set(w.date, []);
    byDay.get(w.date).push(p);
  }
  const today = todayIn(s.zone);
  const step = s.view === 'week' ? 7 : null;
  const move = (n) => {
    if (step) return addDays(s.date, n * step);
    const y = Number(s.date.slice(0, 4));
    const m = Number(s.date.slice(5, 7)) - 1 + n;
    const d = new Date(Date.UTC(y, m, 1));
    return d.toISOString().slice(0, 10);
  };
  const zoneSel = zoneSelect('calendar-zone', s.zone);
  zoneSel.addEventListener('change', () => go({ ...s, zone: zoneSel.value }));
  const viewSel = h('div', { class: 'segmented', role: 'group', 'aria-label': 'View' },
    ['week', 'month'].map((v) => h('button', { type: 'button', id: 'calendar-' + v,
      class: s.view === v ? 'active' : 'button-quiet', 'aria-pressed': s.view === v ? 'true' : 'false',
      text: v === 'week' ? 'Week' : 'Month', onclick: () => go({ ...s, view: v }) })));

  const grid = h('div', { id: 'calendar-grid', class: 'cal cal-' + s.view, dataset: { view: s.view } });
  for (const d of DAYS) grid.appendChild(h('div', { class: 'cal-head', text: d }));
  let shown = 0;
  for (let i = 0; i < sp.days; i++) {
    const d = addDays(sp.start, i);
    const list = (byDay.get(d) || []).sort((a, b) => a.publish_at.localeCompare(b.publish_at));
    shown += list.length;
    const other = s.view === 'month' && d.slice(0, 7) !== s.date.slice(0, 7);
    grid.appendChild(h('div', { class: 'cal-day' + (d === today ? ' cal-today' : '') + (other ? ' cal-other' : ''),
      dataset: { date: d } },
      h('div', { class: 'cal-date' },
        h('span', { class: 'cal-weekday', text: DAYS[i % 7] + ' ' }),
        h('span', { text: s.view === 'week' ? d.slice(5) : String(Number(d.slice(8))) })),
      list.map((p) => chip(p, s.zone))));
  }

  const legend = h('p', { class: 'cal-legend' }, Object.keys(STATE_LABELS).map((k) =>
    h('span', { class: 'cal-legend-item' }, h('span', { class: 'swatch state-bg-' + k }), STATE_LABELS[k])));

  const askBox = h('div', { id: 'calendar-ask', hidden: true });
  const moveStatus = h('p', { id: 'calendar-status', class: 'muted', role: 'status', 'aria-live': 'polite' });
  enableMoves(grid, posts, s.zone, askBox, moveStatus);
  view.appendChild(h('section', { id: 'calendar' },
    h('div', { class: 'page-head' }, h('h1', { id: 'calendar-title', text: title(s, sp) }),
      h('div', { class: 'toolbar' },
        h('button', { type: 'button', class: 'button-quiet', id: 'calendar-prev', 'aria-label': 'Previous', text: '‹', onclick: () => go({ ...s, date: move(-1) }) }),
        h('button', { type: 'button', class: 'button-quiet', id: 'calendar-today', text: 'Today', onclick: () => go({ ...s, date: today }) }),
        h('button', { type: 'button', class: 'button-quiet', id: 'calendar-next', 'aria-label': 'Next', text: '›', onclick: () => go({ ...s, date: move(1) }) }),
        viewSel, zoneSel)),
    askBox, moveStatus,
    grid,
    shown === 0 ? h('p', { id: 'empty', class: 'empty' }, 'Nothing scheduled in this ' + s.view + '. ',
      h('a', { href: '#/compose', text: 'Compose a post' }), '.') : null,
    legend, moveHint()));
}
