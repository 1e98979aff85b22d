// Post states a person understands, and the loop back to analytics
// (issue 14): what a post's status means, a flag on posts whose account
// cannot publish (not connected, or it needs a new login) before they are
// due, the views a published post's content item has, and its first
// hours and first week against the creator's typical. Used by the
// Queue, Post, Calendar and Compose pages.

import { h, clear, str, fmtCompact, fmtFull, itemHref, platformName } from './dom.js';

// What each status means and what to do (status.c says the same).
export const STATUS_HELP = {
  missed: 'Missed: no worker ran while it was due, and it was found later than the grace window. ' +
    'Nothing was sent to the platform; retry to publish it now, or cancel it.',
  failed: 'The platform refused it, or every retry failed: its error is below. Fix the cause, then retry.',
  needs_check: 'It may have gone out: check the platform before retrying.',
  needs_relogin: 'The platform refused the account\'s login: reconnect the account on the Sources page, then retry.',
  draft: 'A draft: it is not published until it is scheduled.',
  scheduled: 'Waiting for its time; a worker publishes it then.',
  claimed: 'A worker is publishing it now.',
  publishing: 'A worker is publishing it now.',
  published: 'Published.',
  cancelled: 'Cancelled: it will not be published.',
};

// The status a page shows: "missed" apart from other failures.
export function statusOf(p) {
  return str(p && (p.status || p.state));
}

const STILL_TO_GO = new Set(['draft', 'scheduled']);
const ACCOUNT_TEXT = {
  not_connected: ['Account not connected', 'No login for this account: it will not publish. Connect it on the Sources page.'],
  needs_relogin: ['Account needs login', 'The platform refused this account\'s login: it will not publish until you reconnect it on the Sources page.'],
};

// A flag for a post still to go out whose account cannot publish, or null.
export function accountFlag(p, compact = false) {
  const t = p && STILL_TO_GO.has(str(p.state)) ? ACCOUNT_TEXT[str(p.account_status)] : null;
  if (!t) return null;
  return h('span', { class: 'account-flag account-flag-' + str(p.account_status), title: t[1],
    dataset: { flag: str(p.account_status) }, text: compact ? '!' : t[0], 'aria-label': t[0] });
}

// Compose: the state of (platform, account) from GET /api/v1/publishers'
// "accounts" (connected ones; null when unknown), as a note or null.
export function connectionNote(platform, account, accounts) {
  if (!Array.isArray(accounts) || !account || platform === 'dryrun') return null;
  const a = accounts.find((x) => x && x.platform === platform && x.account === account);
  const status = a ? str(a.status) : 'not_connected';
  const t = ACCOUNT_TEXT[status];
  if (!t) return null;
  return h('span', { class: 'account-flag account-flag-' + status, dataset: { flag: status }, role: 'status' },
    t[0] + ': ', h('span', { class: 'account-flag-text', text: t[1].replace(/^[^:]*: /, '') + ' ' }),
    h('a', { href: '#/sources', text: 'Sources' }));
}

// Compose: keep a note after a platform row's account field saying when
// the account typed or picked cannot publish. row: {p, check, account,
// el} as compose.js builds it; accounts: /api/v1/publishers' "accounts".
export function watchConnection(row, accounts) {
  const slot = h('span', { class: 'account-flag-slot', id: 'compose-account-flag-' + row.p, 'aria-live': 'polite' });
  row.el.appendChild(slot);
  const update = () => {
    clear(slot);
    const n = row.check.checked ? connectionNote(row.p, str(row.account.value).trim(), accounts) : null;
    if (n) slot.appendChild(n);
  };
  for (const ev of ['input', 'change']) row.account.addEventListener(ev, update);
  row.check.addEventListener('change', update);
  update();
}

// "1.2K views" of a published post's item, or ''.
export function viewsText(p) {
  const v = p && p.item ? p.item.views : null;
  return typeof v === 'number' ? fmtCompact(v) + ' views' : '';
}

function ageText(s) {
  return s < 86400 ? (s / 3600) + ' h' : (s / 86400) + (s === 86400 ? ' day' : ' days');
}

function ratioText(v, t) {
  if (typeof v !== 'number' || typeof t !== 'number' || t <= 0) return '–';
  const r = v / t;
  return (r >= 10 ? Math.round(r) : r.toFixed(1)) + '×';
}

// The Post page's "Performance" section from GET /api/v1/posts/ID's
// "performance" (null: not published, or its item not collected yet).
export function performanceSection(p, perf) {
  if (str(p.state) !== 'published') return null;
  const head = h('h2', { text: 'Performance' });
  if (!perf || !perf.item) {
    return h('section', { id: 'post-performance' }, head,
      h('p', { class: 'muted', id: 'post-performance-none' },
        'Its content item is not in the dashboard yet: it appears after the next collection of ',
        platformName(p.platform), ' (matched by the id the platform returned, ', h('code', { text: str(p.remote_id) || '–' }), ').'));
  }
  const it = perf.item;
  const vt = perf.vs_typical;
  const points = Array.isArray(perf.points) ? perf.points : [];
  const rows = points.filter((x) => x && (typeof x.views === 'number' || typeof x.typical === 'number'));
  return h('section', { id: 'post-performance' }, head,
    h('p', {}, 'Became ', h('a', { id: 'post-item-link', href: itemHref(it.platform, str(it.id)), text: str(it.title) || str(it.id) }),
      typeof perf.views_now === 'number' ? [': ', h('strong', { id: 'post-views-now', text: fmtFull(perf.views_now) }), ' views'] : '',
      vt && typeof vt.ratio === 'number'
        ? ` (${ratioText(vt.views, vt.median)} your typical ${platformName(it.platform)} item at ${vt.age_days} day${vt.age_days === 1 ? '' : 's'}, median ${fmtCompact(vt.median)} of ${vt.n})` : '',
      '.'),
    rows.length ? h('div', { class: 'table-wrap' }, h('table', { id: 'post-performance-table', class: 'data' },
      h('thead', {}, h('tr', {}, ['After', 'Views', 'Your typical', 'vs typical'].map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, rows.map((x) => h('tr', { dataset: { age: String(x.age_s) } },
        h('td', { text: ageText(x.age_s) }),
        h('td', { class: 'num', text: typeof x.views === 'number' ? fmtFull(x.views) : '–' }),
        h('td', { class: 'num', title: x.peers ? `median of ${x.peers} of your items at that age` : 'no other item observed at that age',
          text: typeof x.typical === 'number' ? fmtFull(Math.round(x.typical)) : '–' }),
        h('td', { class: 'num', text: ratioText(x.views, x.typical) }))))))
      : h('p', { class: 'muted', id: 'post-performance-early', text: 'No snapshot from its first week yet: figures appear as the collector sees it.' }));
}
