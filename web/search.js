// Full-text search on the Content page (docs/search.md): a form over
// GET /api/v1/search (title, tags and description of every item, ranked,
// with the matches marked). The marks are built from the API's *_parts as
// text inside <mark> elements: no HTML from the server is ever parsed.
// The query syntax is the server's: words, "a phrase", word* prefixes.

import { api, qs } from './api.js';
import { h, clear, fmtFull, fmtDay, itemHref, platformName, str, errorBox } from './dom.js';

const LIMIT = 10;
const SORTS = [['relevance', 'Best match'], ['views', 'Most views'],
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

function pager(res, offset, run) {
  const total = typeof res.total === 'number' ? res.total : 0;
  const n = Array.isArray(res.items) ? res.items.length : 0;
  if (total <= LIMIT) return null;
  const prev = h('button', { type: 'button', id: 'fts-prev', text: '← Previous', disabled: offset <= 0 });
  const next = h('button', { type: 'button', id: 'fts-next', text: 'Next →', disabled: offset + n >= total });
  prev.addEventListener('click', () => run(Math.max(0, offset - LIMIT)));
  next.addEventListener('click', () => run(offset + LIMIT));
  return h('nav', { class: 'pager', 'aria-label': 'Search result pages' }, prev,
    h('span', { text: fmtFull(offset + 1) + '–' + fmtFull(offset + n) + ' of ' + fmtFull(total) }), next);
}

// The search form and its results, for the Content page; platform: the
// page's platform filter ('' for all).
export function searchPanel(platform) {
  const input = h('input', { type: 'search', id: 'fts-q', maxlength: 256,
    placeholder: 'Words, "a phrase", prefix*', autocomplete: 'off' });
  const sort = h('select', { id: 'fts-sort', 'aria-label': 'Order of the results' },
    SORTS.map(([v, label]) => h('option', { value: v, text: label })));
  const status = h('p', { id: 'fts-status', class: 'table-note', role: 'status', 'aria-live': 'polite' });
  const results = h('div', { id: 'fts-results' });
  let seq = 0;
  async function run(offset) {
    const q = input.value.trim();
    const mine = ++seq;
    clear(results);
    if (!q) { status.textContent = ''; return; }
    status.textContent = 'Searching…';
    let res;
    try {
      res = await api('/api/v1/search' + qs({ q, sort: sort.value, platform, limit: LIMIT, offset }));
    } catch (e) {
      if (mine !== seq) return;
      status.textContent = '';
      results.appendChild(errorBox(e));
      return;
    }
    if (mine !== seq || !results.isConnected) return;
    const items = Array.isArray(res.items) ? res.items : [];
    const total = typeof res.total === 'number' ? res.total : items.length;
    status.textContent = total === 0 ? 'No item matches ' + q + '.'
      : fmtFull(total) + (total === 1 ? ' item matches ' : ' items match ') + q + '.';
    if (items.length)
      results.appendChild(h('ol', { id: 'fts-list', class: 'fts-list', start: offset + 1,
        'aria-label': 'Search results' }, items.map(hit)));
    const nav = pager(res, offset, run);
    if (nav) results.appendChild(nav);
  }
  const form = h('form', { id: 'fts-form', class: 'toolbar fts-form', role: 'search',
    'aria-label': 'Search the text of all content' },
  h('label', { for: 'fts-q', text: 'Search text' }), input, sort,
  h('button', { type: 'submit', id: 'fts-go', text: 'Search' }));
  form.addEventListener('submit', (ev) => { ev.preventDefault(); run(0); });
  sort.addEventListener('change', () => { if (input.value.trim()) run(0); });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') { input.value = ''; run(0); }
  });
  return h('section', { id: 'fts', class: 'fts', 'aria-label': 'Full-text search' },
    form, h('p', { class: 'table-note', text: 'Titles, tags and descriptions, ranked; matches are highlighted.' }),
    status, results);
}
