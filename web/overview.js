// Overview (#/): totals, one card per platform, daily views gained per
// platform, followers per platform, top content and spikes over the
// chosen range, each range figure with its change from the equal range
// before it; lifetime figures are named so. Reads /api/v1/report, and
// /api/v1/gains when the server has it.

import { api, apiOptional, qs } from './api.js';
import { h, clear, num, fullNum, signed, pct, day, dayRange, itemHref,
  platformName, PLATFORMS, emptyState, noDataHint, errorBox, str, platformDot, wordList,
  noInteractions, noInteractionsWhy } from './dom.js';
import { dayChart, sparkline, destroyCharts } from './charts.js';
import { getRange, rangeParams, rangeLabel, rangePicker } from './range.js';

// What each number means (README, "What the Overview's numbers mean").
const MEANS = {
  followers: 'Followers now: the latest count of each owned account',
  followersGain: 'Followers gained in the range: the last count in it minus the last one before it',
  viewsGain: 'Views gained in the range by all content, whenever it was published',
  interactionsGain: 'Likes, comments, shares and saves gained in the range',
  engagement: 'Engagement in the range: interactions gained / views gained',
  channelViews: "Channel lifetime views: the account's own counter (all time)",
  contentViews: 'Lifetime views of the content stored here (latest values, all time)',
  content: 'Content items stored for the owned accounts',
};

// The change from the previous range: "+12% vs previous 28 days" for
// counts, "+0.4 pts vs previous 28 days" for a rate. kind: 'count'|'rate'.
export function changeText(cur, prev, kind, prevLabel) {
  const ok = (v) => typeof v === 'number' && isFinite(v);
  if (!ok(cur) || !ok(prev)) return 'no figure for the ' + prevLabel;
  if (kind === 'rate') {
    const d = (cur - prev) * 100;
    return (d > 0 ? '+' : d < 0 ? '−' : '±') + Math.abs(d).toFixed(2) + ' pts vs ' + prevLabel;
  }
  if (prev === 0) return 'none in the ' + prevLabel;
  const r = ((cur - prev) / Math.abs(prev)) * 100;
  const t = Math.abs(r) >= 10 ? Math.round(Math.abs(r)).toString() : Math.abs(r).toFixed(1);
  return (r > 0 ? '+' : r < 0 ? '−' : '±') + t + '% vs ' + prevLabel;
}

function deltaEl(cur, prev, kind, prevLabel) {
  const text = changeText(cur, prev, kind, prevLabel);
  const dir = typeof cur === 'number' && typeof prev === 'number' && cur !== prev ? (cur > prev ? 'up' : 'down') : 'flat';
  return h('span', { class: 'delta delta-' + dir, text });
}

function stat(id, label, value, means, delta) {
  return h('div', { class: 'stat', id, title: means },
    h('span', { class: 'stat-label', text: label }), h('span', { class: 'stat-value', text: value }),
    delta || null);
}

function prevOf(d) {
  return d && d.previous && typeof d.previous === 'object' ? d.previous : {};
}

// The totals' note on platforms shown without interactions: their views
// count in the total's views gained (and so in its engagement's
// denominator), they add nothing to interactions gained.
function leftOut(shown, views) {
  const none = shown.filter(noInteractions).map(platformName);
  if (!none.length) return '';
  const one = none.length === 1;
  return ' (' + wordList(none, 'and') + (one ? ' reports' : ' report') + ' no interactions' +
    (views ? ', though ' + (one ? 'its' : 'their') + ' views gained are in the denominator)' : ': not in this total)');
}

function totalsStrip(t, pl, shown) {
  const p = prevOf(t);
  const life = t.lifetime || {};
  return h('div', { class: 'totals', id: 'totals' },
    stat('total-followers', 'Followers now', num(t.followers), MEANS.followers + ' (' + fullNum(t.followers) + ')'),
    stat('total-followers-gain', 'Followers gained', signed(t.followers_gain), MEANS.followersGain,
      deltaEl(t.followers_gain, p.followers_gain, 'count', pl)),
    stat('total-views-gain', 'Views gained', signed(t.views_gain), MEANS.viewsGain + ' (' + fullNum(t.views_gain) + ')',
      deltaEl(t.views_gain, p.views_gain, 'count', pl)),
    stat('total-interactions-gain', 'Interactions gained', signed(t.interactions_gain),
      MEANS.interactionsGain + leftOut(shown, false),
      deltaEl(t.interactions_gain, p.interactions_gain, 'count', pl)),
    stat('total-engagement', 'Engagement', pct(t.engagement), MEANS.engagement + leftOut(shown, true),
      deltaEl(t.engagement, p.engagement, 'rate', pl)),
    typeof life.channel_views === 'number'
      ? stat('total-channel-views', 'Channel lifetime views', num(life.channel_views),
        MEANS.channelViews + ' (' + fullNum(life.channel_views) + ')') : null,
    stat('total-content-views', 'Content lifetime views', num(life.content_views),
      MEANS.contentViews + ' (' + fullNum(life.content_views) + ')'),
    stat('total-content', 'Content', num(t.content), MEANS.content));
}

// One definition row: term, value, and the change from the previous range.
function kvRow(term, means, value, cls, delta) {
  return [h('dt', { text: term, title: means }),
    h('dd', { class: cls, title: means }, h('span', { class: 'kv-value', text: value }), delta ? ' ' : null, delta || null)];
}

// A platform whose content has no interaction metric (its descriptor says
// "interactions": false) has no interactions gained and no engagement:
// "–" and why, not a 0 or a 0 %.
function interactionsRow(p, d, prev, pl) {
  if (noInteractions(p)) {
    return kvRow('Interactions gained', noInteractionsWhy(p, 'no interactions gained'),
      '–', 'interactions-gain no-figure');
  }
  return kvRow('Interactions gained', MEANS.interactionsGain, signed(d.interactions_gain), 'interactions-gain',
    deltaEl(d.interactions_gain, prev.interactions_gain, 'count', pl));
}

function engagementRow(p, d, prev, pl) {
  if (noInteractions(p)) {
    return kvRow('Engagement', noInteractionsWhy(p, 'no engagement rate'), '–', 'engagement no-figure');
  }
  return kvRow('Engagement', MEANS.engagement, pct(d.engagement), 'engagement',
    deltaEl(d.engagement, prev.engagement, 'rate', pl));
}

function platformCard(p, d, pl) {
  const prev = prevOf(d);
  const life = d.lifetime || {};
  const spark = h('div', { class: 'sparkline', role: 'img', 'aria-label': 'Daily views gained' });
  const card = h('article', { class: 'card platform-card', dataset: { platform: p } },
    h('h2', { class: 'card-title' }, platformDot(p), platformName(p)),
    h('dl', { class: 'kv' },
      kvRow('Followers now', MEANS.followers, num(d.followers), 'followers'),
      kvRow('Followers gained', MEANS.followersGain, signed(d.followers_gain), 'followers-gain',
        deltaEl(d.followers_gain, prev.followers_gain, 'count', pl)),
      kvRow('Views gained', MEANS.viewsGain, signed(d.views_gain), 'views-gain',
        deltaEl(d.views_gain, prev.views_gain, 'count', pl)),
      interactionsRow(p, d, prev, pl),
      engagementRow(p, d, prev, pl),
      typeof life.channel_views === 'number'
        ? kvRow('Channel lifetime views', MEANS.channelViews, num(life.channel_views), 'channel-views') : [],
      kvRow('Content lifetime views', MEANS.contentViews, num(life.content_views), 'content-views'),
      kvRow('Content', MEANS.content, num(d.content), 'content')),
    spark);
  return { card, spark };
}

function itemList(rows, extra) {
  if (!rows.length) return h('p', { class: 'muted', text: 'Nothing in this range.' });
  return h('ol', { class: 'rank' }, rows.map((r) => h('li', {},
    platformDot(str(r.platform), { title: platformName(r.platform) }),
    h('a', { class: 'item-link', href: itemHref(str(r.platform), str(r.id)), text: str(r.title) || str(r.id) }),
    h('span', { class: 'muted', text: extra(r) }))));
}

// Daily views gained per platform: /api/v1/gains, else the report's arrays.
async function gainSeries(report, range) {
  const g = await apiOptional('/api/v1/gains' + qs({ metric: 'views', ...rangeParams(range) }));
  if (g && Array.isArray(g.days) && g.platforms && typeof g.platforms === 'object') {
    // a registered platform without an account here (its series all
    // zeros, no card in the report) is left out of the chart
    const shown = Object.keys(g.platforms).filter((p) => (report.platforms && report.platforms[p]) ||
      (Array.isArray(g.platforms[p]) && g.platforms[p].some((v) => v)));
    return { days: g.days, series: shown.map((p) => ({
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
  const prev = report.previous && typeof report.previous === 'object' ? report.previous : null;
  const prevDays = prev ? dayRange(str(prev.from), str(prev.to)).length : 0;
  const pl = 'previous ' + prevDays + (prevDays === 1 ? ' day' : ' days');
  body.appendChild(h('p', { class: 'muted', id: 'overview-range' }, rangeLabel(range) + ': ' + report.from + ' to ' + report.to +
    (prev ? ', compared with the ' + pl + ' (' + str(prev.from) + ' to ' + str(prev.to) + ')' : '') +
    '. Days in ' + (typeof report.zone === 'string' ? report.zone : 'UTC') + '; owned accounts only.'));
  body.appendChild(totalsStrip(t, pl, platforms));
  const cards = platforms.map((p) => platformCard(p, report.platforms[p], pl));
  body.appendChild(h('div', { class: 'cards' }, cards.map((c) => c.card)));
  const chartEl = h('div', { id: 'overview-chart', class: 'chart' });
  body.appendChild(h('section', { class: 'panel' }, h('h2', { text: 'Daily views gained' }), chartEl));
  const followersEl = h('div', { id: 'followers-chart', class: 'chart' });
  const followerSeries = platforms.filter((p) => (report.platforms[p].daily_followers || []).some((v) => typeof v === 'number'))
    .map((p) => ({ label: platformName(p), key: p, values: report.platforms[p].daily_followers }));
  body.appendChild(h('section', { class: 'panel', id: 'followers-panel' },
    h('h2', { text: 'Followers' }),
    h('p', { class: 'muted', text: 'Followers at the end of each day, per platform (a day without a snapshot keeps the count before it).' }),
    followerSeries.length ? followersEl : h('p', { class: 'muted', text: 'No follower counts in this range.' })));
  body.appendChild(h('div', { class: 'columns' },
    h('section', { class: 'panel', id: 'top-content' }, h('h2', { text: 'Top content by views gained' }),
      itemList(report.top || [], (r) => signed(r.views_gain) + ' views')),
    h('section', { class: 'panel', id: 'spikes' }, h('h2', { text: 'Spikes' }),
      itemList(report.spikes || [], (r) => day(r.day) + ': ' + signed(r.views_gain) +
        ' views (usual ' + num(Math.round(r.baseline)) + ')' +
        (Number.isInteger(r.days_above) ? '; ' + r.days_above + ' day' + (r.days_above === 1 ? '' : 's') +
          ' above usual, ' + signed(Math.round(r.excess)) + ' in all' : '')))));
  cards.forEach((c, i) => sparkline(c.spark, report.platforms[platforms[i]].daily_views_gain || [], platforms[i]));
  const g = await gainSeries(report, range);
  if (ctx.stale()) return;
  dayChart(chartEl, g.days, g.series, { fill: false });
  if (followerSeries.length) dayChart(followersEl, dayRange(report.from, report.to), followerSeries, { fill: false });
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
