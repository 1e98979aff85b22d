// Overview (#/): totals, one card per platform, daily views gained per
// platform, top content and spikes over the chosen range. Reads
// /api/v1/report, and /api/v1/gains when the server has it.

import { api, apiOptional, qs } from './api.js';
import { h, clear, num, fullNum, signed, pct, day, dayRange, itemHref,
  platformName, PLATFORMS, emptyState, noDataHint, errorBox, str } from './dom.js';
import { dayChart, sparkline, destroyCharts } from './charts.js';
import { getRange, rangeParams, rangeLabel, rangePicker } from './range.js';

function stat(label, value, title) {
  return h('div', { class: 'stat', title: title || null },
    h('span', { class: 'stat-label', text: label }), h('span', { class: 'stat-value', text: value }));
}

function totalsStrip(t) {
  return h('div', { class: 'totals', id: 'totals' },
    stat('Followers', num(t.followers), fullNum(t.followers)),
    stat('Follower gain', signed(t.followers_gain)),
    stat('Views', num(t.views), fullNum(t.views)),
    stat('Views gained', signed(t.views_gain), fullNum(t.views_gain)),
    stat('Engagement', pct(t.engagement), '(likes + comments + shares + saves) / views'),
    stat('Content', num(t.content)));
}

function platformCard(p, d) {
  const spark = h('div', { class: 'sparkline', role: 'img', 'aria-label': 'Daily views gained' });
  const card = h('article', { class: 'card platform-card', dataset: { platform: p } },
    h('h2', { class: 'card-title' }, h('span', { class: 'dot dot-' + p }), platformName(p)),
    h('dl', { class: 'kv' },
      h('dt', { text: 'Followers' }), h('dd', { text: num(d.followers) + ' (' + signed(d.followers_gain) + ')' }),
      h('dt', { text: 'Views' }), h('dd', { text: num(d.views), title: fullNum(d.views) }),
      h('dt', { text: 'Views gained' }), h('dd', { text: signed(d.views_gain) }),
      h('dt', { text: 'Engagement' }), h('dd', { text: pct(d.engagement) }),
      h('dt', { text: 'Content' }), h('dd', { text: num(d.content) })),
    spark);
  return { card, spark };
}

function itemList(rows, extra) {
  if (!rows.length) return h('p', { class: 'muted', text: 'Nothing in this range.' });
  return h('ol', { class: 'rank' }, rows.map((r) => h('li', {},
    h('span', { class: 'dot dot-' + str(r.platform), title: platformName(r.platform) }),
    h('a', { class: 'item-link', href: itemHref(str(r.platform), str(r.id)), text: str(r.title) || str(r.id) }),
    h('span', { class: 'muted', text: extra(r) }))));
}

// Daily views gained per platform: /api/v1/gains, else the report's arrays.
async function gainSeries(report, range) {
  const g = await apiOptional('/api/v1/gains' + qs({ metric: 'views', ...rangeParams(range) }));
  if (g && Array.isArray(g.days) && g.platforms && typeof g.platforms === 'object') {
    return { days: g.days, series: Object.keys(g.platforms).map((p) => ({
      label: platformName(p), key: p, values: g.platforms[p] })) };
  }
  const days = dayRange(report.from, report.to);
  return { days, series: Object.keys(report.platforms).map((p) => ({
    label: platformName(p), key: p, values: report.platforms[p].daily_views_gain || [] })) };
}

async function renderBody(body, range, ctx) {
  const report = await api('/api/v1/report' + qs({ ...rangeParams(range), top: 10 }));
  if (ctx.stale()) return;
  const platforms = PLATFORMS.filter((p) => report.platforms && report.platforms[p])
    .concat(Object.keys(report.platforms || {}).filter((p) => !PLATFORMS.includes(p)));
  const t = report.total || {};
  destroyCharts();
  clear(body);
  if (!platforms.length || (!t.accounts && !t.content)) {
    body.appendChild(emptyState('Nothing to show yet', noDataHint()));
    return;
  }
  body.appendChild(h('p', { class: 'muted', text: rangeLabel(range) + ': ' + report.from + ' to ' + report.to + ' (days in ' + (typeof report.zone === 'string' ? report.zone : 'UTC') + ')' }));
  body.appendChild(totalsStrip(t));
  const cards = platforms.map((p) => platformCard(p, report.platforms[p]));
  body.appendChild(h('div', { class: 'cards' }, cards.map((c) => c.card)));
  const chartEl = h('div', { id: 'overview-chart', class: 'chart' });
  body.appendChild(h('section', { class: 'panel' }, h('h2', { text: 'Daily views gained' }), chartEl));
  body.appendChild(h('div', { class: 'columns' },
    h('section', { class: 'panel', id: 'top-content' }, h('h2', { text: 'Top content by views gained' }),
      itemList(report.top || [], (r) => signed(r.views_gain) + ' views')),
    h('section', { class: 'panel', id: 'spikes' }, h('h2', { text: 'Spikes' }),
      itemList(report.spikes || [], (r) => day(r.day) + ': ' + signed(r.views_gain) +
        ' views (usual ' + num(Math.round(r.baseline)) + ')'))));
  cards.forEach((c, i) => sparkline(c.spark, report.platforms[platforms[i]].daily_views_gain || [], platforms[i]));
  const g = await gainSeries(report, range);
  if (ctx.stale()) return;
  dayChart(chartEl, g.days, g.series, { fill: false });
}

export async function render(view, args, params, ctx) {
  const range = getRange('28');
  const body = h('div', { id: 'overview-body' }, h('p', { class: 'loading', text: 'Loading…' }));
  // A newer range choice makes the answers for an older one stale too.
  let seq = 0;
  const reload = (r) => {
    const mine = ++seq;
    const rctx = { stale: () => ctx.stale() || mine !== seq };
    renderBody(body, r, rctx).catch((e) => {
      if (rctx.stale()) return;
      clear(body).appendChild(errorBox(e));
    });
  };
  view.appendChild(h('section', { id: 'overview' },
    h('div', { class: 'page-head' }, h('h1', { text: 'Overview' }), rangePicker(range, reload)),
    body));
  await renderBody(body, range, { stale: () => ctx.stale() || seq !== 0 });
}
