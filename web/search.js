// Full-text search on the Content page (docs/search.md): the page's one
// box (#fts-q) runs GET /api/v1/search (title, tags and description of
// every item, ranked, with the matches marked) with the page's platform
// and own/tracked filters. The marks are built from the API's *_parts as
// text inside <mark> elements: no HTML from the server is ever parsed.
// The query syntax is the server's: words, "a phrase", word* prefixes.

import { api, qs } from './api.js';
import { h, fmtFull, fmtDay, itemHref, platformName, str, errorBox } from './dom.js';

// The orders of a search, [value, label]; the first is the default.
export const SEARCH_SORTS = [['relevance', 'Best match'], ['views', 'Most views'],
  ['likes', 'Most likes'], ['comments', 'Most comments'],
  ['engagement', 'Engagement'], ['published', 'Newest']];

// Text with its matches in <mark>, from [{text, mark}].
function marked(parts, fallback) {
  if (!Array.isArray(parts) || parts.length === 0) return [fallback];
  return parts.map((p) => (p && p.mark === true
    ? h('mark', { text: str(p.text) }) : str(p && p.text)));
}

function hit(it) {
  const p = str(it.platform);
  const meta = [platformName(p), it.published_at ? fmtDay(it.published_at) : null,
    typeof it.views === 'number' ? fmtFull(it.views) + ' views' : null,
    it.role === 'tracked' ? 'tracked' : null].filter(Boolean).join(' · ');
  return h('li', { class: 'fts-hit', dataset: { id: str(it.id) } },
    h('a', { class: 'fts-title', href: itemHref(p, str(it.id)) },
      marked(it.title_html_parts, str(it.title) || str(it.id))),
    h('p', { class: 'fts-meta', text: meta }),
    Array.isArray(it.snippet_html_parts) && it.snippet_html_parts.length
      ? h('p', { class: 'fts-snippet' }, marked(it.snippet_html_parts, '')) : null);
}

// The results of state (q non-empty: {q, sort, platform, role, offset})
// appended to body, a page of `page`; go(state) navigates (the pager).
// An API error (an invalid query: its message) is shown, not thrown.
// Returns false when ctx went stale meanwhile.
export async function searchResults(body, status, state, page, go, ctx) {
  let res;
  status.textContent = 'Searching…';
  try {
    res = await api('/api/v1/search' + qs({ q: state.q, sort: state.sort, platform: state.platform,
      role: state.role, limit: page, offset: state.offset }));
  } catch (e) {
    if (ctx.stale()) return false;
    status.textContent = '';
    body.appendChild(errorBox(e));
    return true;
  }
  if (ctx.stale()) return false;
  const items = Array.isArray(res.items) ? res.items : [];
  const total = typeof res.total === 'number' ? res.total : items.length;
  status.textContent = total === 0 ? 'No item matches ' + state.q + '.'
    : fmtFull(total) + (total === 1 ? ' item matches ' : ' items match ') + state.q + '.';
  if (items.length)
    body.appendChild(h('ol', { id: 'fts-list', class: 'fts-list', start: state.offset + 1,
      'aria-label': 'Search results' }, items.map(hit)));
  if (total > page) {
    const prev = h('button', { type: 'button', id: 'fts-prev', text: '← Previous', disabled: state.offset <= 0 });
    const next = h('button', { type: 'button', id: 'fts-next', text: 'Next →', disabled: state.offset + items.length >= total });
    prev.addEventListener('click', () => go({ ...state, offset: Math.max(0, state.offset - page) }));
    next.addEventListener('click', () => go({ ...state, offset: state.offset + page }));
    body.appendChild(h('nav', { class: 'pager', 'aria-label': 'Search result pages' }, prev,
      h('span', { text: fmtFull(state.offset + 1) + '–' + fmtFull(state.offset + items.length) + ' of ' + fmtFull(total) }), next));
  }
  return true;
}
