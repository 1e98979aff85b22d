// Content (#/content?q=&sort=&order=&platform=&role=&offset=): one
// search box (#fts-q). Empty, the page is every content item in a table,
// sortable by clicking a column header, paginated; with a query, the
// full-text search's ranked results (search.js), ordered by relevance or
// a metric. The platform and own/tracked filters apply to both. The state
// lives in the hash so back/forward, reload and links keep it.

import { api, qs } from './api.js';
import { searchResults, SEARCH_SORTS } from './search.js';
import { h, clear, fmtFull, fmtDay, itemHref, platformName, PLATFORMS,
  thumb, safeUrl, str, emptyState, noDataHint, LOCALE, platformDot, noInteractions, noInteractionsWhy } from './dom.js';

const PAGE = 25;
const COLUMNS = [
  { key: 'title', label: 'Title', sort: 'title' },
  { key: 'platform', label: 'Platform', cls: 'col-platform' },
  { key: 'published', label: 'Published', sort: 'published', cls: 'col-published' },
  { key: 'views', label: 'Views', sort: 'views', num: true },
  { key: 'likes', label: 'Likes', sort: 'likes', num: true },
  { key: 'comments', label: 'Comments', sort: 'comments', num: true },
  { key: 'vs_typical', label: 'vs typical', sort: 'vs_typical', num: true, cls: 'col-typical',
    tip: 'Sort by views against the typical item of the same age (the median of your other items of that platform when they were that old); items without a comparison last' },
];
const SORTS = COLUMNS.filter((c) => c.sort).map((c) => c.sort);
const SEARCH_SORT_KEYS = SEARCH_SORTS.map(([v]) => v);
const ROLES = [['', 'Own and tracked'], ['own', 'Own'], ['tracked', 'Tracked']];
const Q_MAX = 256; // the search API's limit, in bytes (checked there)

// The sort of the table, or (with a query) of the search: each its own
// keys, a key of the other falling back to the default.
function readState(params) {
  const q = (params.get('q') || '').trim().slice(0, Q_MAX);
  const want = params.get('sort');
  const keys = q ? SEARCH_SORT_KEYS : SORTS;
  const sort = keys.includes(want) ? want : (q ? 'relevance' : 'published');
  const order = params.get('order') === 'asc' ? 'asc' : 'desc';
  const off = Number.parseInt(params.get('offset') || '0', 10);
  const role = ROLES.some(([v]) => v && v === params.get('role')) ? params.get('role') : '';
  return {
    sort, order, q, role,
    platform: PLATFORMS.includes(params.get('platform')) ? params.get('platform') : '',
    offset: Number.isFinite(off) && off > 0 ? off : 0,
  };
}

function go(state) {
  const s = { q: state.q, sort: state.sort, order: state.q ? '' : state.order, platform: state.platform,
    role: state.role, offset: state.offset || '' };
  location.hash = '#/content' + qs(s);
}

function headerCell(col, state) {
  if (!col.sort) return h('th', { scope: 'col', class: col.cls || null, text: col.label });
  const active = state.sort === col.sort;
  const next = active && state.order === 'desc' ? 'asc' : 'desc';
  const th = h('th', {
    scope: 'col', class: 'sortable' + (col.num ? ' num' : '') + (col.cls ? ' ' + col.cls : ''),
    dataset: { sort: col.sort },
    'aria-sort': active ? (state.order === 'asc' ? 'ascending' : 'descending') : 'none',
  }, h('button', { type: 'button', class: 'th-button',
    title: col.tip || ('Sort by ' + col.label.toLowerCase() +
      (col.num ? ' (the total so far, as last collected; not a gain over a range)' : '')) },
  col.label, h('span', { class: 'sort-mark', 'aria-hidden': 'true',
    text: active ? (state.order === 'asc' ? ' ▲' : ' ▼') : '' })));
  th.addEventListener('click', () => go({ ...state, sort: col.sort, order: next, offset: 0 }));
  return th;
}

const RATIO = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 1 });
const RATIO_FULL = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 4 });

// The "vs typical" cell: "2.3×", the comparison in full in its title.
function typicalCell(vt) {
  const ok = vt && typeof vt === 'object' && Number.isInteger(vt.age_days) && typeof vt.views === 'number';
  const days = ok ? vt.age_days + ' day' + (vt.age_days === 1 ? '' : 's') + ' old' : '';
  let text = '—';
  let title = 'No comparison: no publication time or no views since publication';
  if (ok && typeof vt.ratio === 'number' && isFinite(vt.ratio)) {
    text = RATIO.format(vt.ratio) + '×';
    title = RATIO_FULL.format(vt.ratio) + '× the typical: ' + fmtFull(vt.views) + ' views at ' + days +
      ' against a median of ' + fmtFull(vt.median) + ' over ' + fmtFull(vt.n) + ' other item' + (vt.n === 1 ? '' : 's') + ' of its platform that old';
  } else if (ok && vt.n > 0) {
    title = 'No comparison: the other items were at 0 views at ' + days;
  } else if (ok) {
    title = 'No comparison: no other item of its platform is ' + days + ' yet (' + fmtFull(vt.views) + ' views)';
  }
  return h('td', { class: 'ratio col-typical', title,
    dataset: { value: ok && typeof vt.ratio === 'number' ? String(vt.ratio) : '' }, text });
}

function row(it) {
  const m = it.metrics && typeof it.metrics === 'object' ? it.metrics : {};
  const p = str(it.platform);
  const url = safeUrl(it.url);
  return h('tr', {},
    h('td', { class: 'title-cell' }, h('div', { class: 'title-wrap' },
      thumb(it.thumbnail_url, p),
      h('span', { class: 'title-text' },
        h('a', { class: 'item-link', href: itemHref(p, str(it.id)), text: str(it.title) || str(it.id) }),
        url ? h('a', { class: 'ext-link', href: url, target: '_blank', rel: 'noopener noreferrer',
          title: 'Open on ' + platformName(p), text: '↗' }) : null,
        typeof it.removed_last_seen === 'string' ? h('span', { class: 'badge badge-bad removed-mark',
          title: 'Removed: the platform no longer returns it (last seen ' + fmtDay(it.removed_last_seen) + ')', text: 'removed' }) : null))),
    h('td', { class: 'platform-cell col-platform' }, platformDot(p), platformName(p)),
    h('td', { class: 'nowrap col-published', title: str(it.published_at) || null, text: fmtDay(it.published_at) }),
    // Every row in full, in the browser's locale; data-value is the number.
    ['views', 'likes', 'comments'].map((k) => k !== 'views' && noInteractions(p)
      ? h('td', { class: 'num no-figure', dataset: { value: '' }, title: noInteractionsWhy(p, 'no ' + k), text: '–' })
      : h('td', { class: 'num', dataset: { value: typeof m[k] === 'number' ? String(m[k]) : '' }, text: fmtFull(m[k]) })),
    typicalCell(it.vs_typical));
}

function pager(state, total) {
  const first = total ? state.offset + 1 : 0;
  const last = Math.min(state.offset + PAGE, total);
  const prev = h('button', { type: 'button', id: 'page-prev', text: '← Previous', disabled: state.offset <= 0 });
  const next = h('button', { type: 'button', id: 'page-next', text: 'Next →', disabled: last >= total });
  prev.addEventListener('click', () => go({ ...state, offset: Math.max(0, state.offset - PAGE) }));
  next.addEventListener('click', () => go({ ...state, offset: state.offset + PAGE }));
  return h('nav', { class: 'pager', 'aria-label': 'Pages' }, prev,
    h('span', { id: 'page-info', text: fmtFull(first) + '–' + fmtFull(last) + ' of ' + fmtFull(total) }), next);
}

function select(id, label, options, value, onChange) {
  const el = h('select', { id, 'aria-label': label },
    options.map(([v, text]) => h('option', { value: v, text })));
  el.value = value;
  el.addEventListener('change', () => onChange(el.value));
  return el;
}

// The page's one search box and its filters. A query runs on Enter (or
// the button) and after a pause in typing; Escape clears it.
function controls(state) {
  const input = h('input', { type: 'search', id: 'fts-q', maxlength: Q_MAX, value: state.q,
    placeholder: 'Search: words, "a phrase", prefix*', autocomplete: 'off',
    'aria-label': 'Search titles, tags and descriptions' });
  const run = () => {
    const q = input.value.trim();
    if (input.isConnected && q !== state.q) go({ ...state, q, sort: q ? 'relevance' : 'published', offset: 0 });
  };
  let timer = null;
  input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(run, 500); });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') { clearTimeout(timer); input.value = ''; run(); }
  });
  const form = h('form', { id: 'fts-form', class: 'toolbar fts-form', role: 'search',
    'aria-label': 'Search the text of all content' },
  input,
  h('button', { type: 'submit', id: 'fts-go', text: 'Search' }));
  form.addEventListener('submit', (ev) => { ev.preventDefault(); clearTimeout(timer); run(); });
  const platform = select('content-platform', 'Platform',
    [['', 'All platforms'], ...PLATFORMS.map((p) => [p, platformName(p)])], state.platform,
    (v) => go({ ...state, platform: v, offset: 0 }));
  const role = select('content-role', 'Own or tracked content', ROLES, state.role,
    (v) => go({ ...state, role: v, offset: 0 }));
  const filters = [platform, role];
  if (state.q) {
    filters.push(select('fts-sort', 'Order of the results', SEARCH_SORTS, state.sort,
      (v) => go({ ...state, sort: v, offset: 0 })));
  }
  return { el: h('div', { class: 'content-controls' }, form, h('div', { class: 'toolbar' }, filters)), search: input };
}

// The search's results in place of the table.
async function renderSearch(body, state, ctx) {
  const status = h('p', { id: 'fts-status', class: 'table-note', role: 'status', 'aria-live': 'polite' });
  const results = h('div', { id: 'fts-results' });
  clear(body);
  body.append(h('section', { id: 'fts', class: 'fts', 'aria-label': 'Search results' },
    h('p', { class: 'table-note', text: 'Titles, tags and descriptions, ranked; matches are highlighted.' }),
    status, results));
  await searchResults(results, status, state, PAGE, go, ctx);
}

export async function render(view, args, params, ctx) {
  const state = readState(params);
  const c = controls(state);
  const body = h('div', {}, h('p', { class: 'loading', text: 'Loading…' }));
  view.appendChild(h('section', { id: 'content' },
    h('div', { class: 'page-head' }, h('h1', { text: 'Content' })), c.el, body));
  if (state.q) {
    c.search.focus();
    c.search.setSelectionRange(c.search.value.length, c.search.value.length);
    await renderSearch(body, state, ctx);
    return;
  }
  const res = await api('/api/v1/content' + qs({ sort: state.sort, order: state.order,
    platform: state.platform, role: state.role, limit: PAGE, offset: state.offset }));
  if (ctx.stale()) return;
  clear(body);
  const items = Array.isArray(res.items) ? res.items : [];
  const total = typeof res.total === 'number' ? res.total : items.length;
  if (!items.length && state.offset === 0) {
    body.appendChild(state.platform || state.role
      ? emptyState('No content matches', 'Nothing matches this filter. Clear it to see all content.')
      : emptyState('No content yet', noDataHint()));
    return;
  }
  const table = h('table', { id: 'content-table', class: 'data' },
    h('caption', { class: 'table-note', text: 'Views, likes and comments: each item\'s total so far, as last collected. vs typical: its views against the median of your other items of its platform at the same age.' }),
    h('thead', {}, h('tr', {}, COLUMNS.map((col) => headerCell(col, state)))),
    h('tbody', {}, items.map(row)));
  body.appendChild(h('div', { class: 'table-wrap' }, table));
  body.appendChild(pager(state, total));
}
