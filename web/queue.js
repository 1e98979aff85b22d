// Queue (#/queue) and one post (#/post/ID): upcoming and recent posts with
// their state, attempts, the platform's error text, the remote link once
// published, and Retry / Cancel. While a post is being published, or one
// is due within a few minutes, the page refreshes itself every few
// seconds.

import { api } from './api.js';
import { h, clear, str, safeUrl, errorBox, emptyState, fmtFull, platformDot } from './dom.js';
import { browserZone, wallText, stateBadge, platformLabel, postActions, postHref,
  accountNames, accountLabel, UPCOMING, BUSY, STATE_LABELS } from './schedule.js';
import { editPanel, editsSection } from './postedit.js';
import { statusOf, accountFlag, viewsText, STATUS_HELP, performanceSection } from './poststate.js';
import { itemHref } from './dom.js';
import { slotsSection } from './slots.js';

const REFRESH_MS = 3000;
const SOON_MS = 3 * 60 * 1000;

// Whether the page should look again soon.
// "Media", or "Media (3 files, in order)" for a carousel or photo post.
function mediaLabel(p) {
  const n = Array.isArray(p.media) ? p.media.length : 0;
  return n > 1 ? 'Media (' + n + ' files, in order)' : 'Media';
}

function lively(posts) {
  const now = Date.now();
  return posts.some((p) => BUSY.has(p.state) ||
    (p.state === 'scheduled' && Date.parse(p.publish_at) < now + SOON_MS));
}

function when(p, zone) {
  return h('td', { class: 'nowrap', title: str(p.publish_at) + ' (' + str(p.zone) + ': ' + str(p.local_time) + ')',
    text: wallText(p.publish_at, zone) });
}

function outcome(p) {
  const url = safeUrl(p.remote_url);
  if (p.state === 'published') {
    return h('td', {}, url ? h('a', { href: url, rel: 'noopener noreferrer', target: '_blank', class: 'remote-link', text: 'View on ' + platformLabel(p.platform) })
      : h('span', { class: 'muted', text: str(p.remote_id) }),
    p.item ? h('div', { class: 'small' }, h('a', { class: 'post-item-views', href: itemHref(p.item.platform, str(p.item.id)),
      text: viewsText(p) || 'Analytics' })) : null);
  }
  return h('td', { class: 'post-error' }, p.last_error ? h('span', { class: 'error-text', text: p.last_error }) : '');
}

function table(id, posts, zone, names, onChange, onError) {
  return h('div', { class: 'table-wrap' }, h('table', { id, class: 'data queue-table' },
    h('thead', {}, h('tr', {}, ['When (' + zone + ')', 'Platform', 'Title', 'State', 'Attempts', 'Result', 'Actions'].map((t) =>
      h('th', { scope: 'col', text: t })))),
    h('tbody', {}, posts.map((p) => h('tr', { dataset: { post: String(p.id), state: str(p.state), status: statusOf(p) } },
      when(p, zone),
      h('td', { class: 'platform-cell' }, platformDot(str(p.platform)), platformLabel(p.platform),
        h('div', { class: 'muted small' }, accountLabel(names, p.platform, p.account))),
      h('td', { class: 'title-text' }, h('a', { href: postHref(p.id), class: 'post-link', text: str(p.title) })),
      h('td', {}, stateBadge(statusOf(p)), ' ', accountFlag(p)),
      h('td', { class: 'num attempts', text: String(p.attempts ?? 0) }),
      outcome(p),
      h('td', { class: 'actions' }, postActions(p, onChange, onError)))))));
}

export async function render(view, parts, params, ctx) {
  const zone = browserZone();
  const section = h('section', { id: 'queue' },
    h('div', { class: 'page-head' }, h('h1', { text: 'Queue' }),
      h('div', { class: 'toolbar' }, h('span', { id: 'queue-live', class: 'muted small' }),
        h('a', { href: '#/compose', class: 'button-link', text: 'Compose' }))));
  const error = h('p', { id: 'queue-error', class: 'error', role: 'alert', hidden: true });
  const body = h('div', { id: 'queue-body' });
  section.append(error, body);
  view.appendChild(section);
  const onError = (e) => { error.textContent = e.message; error.hidden = false; };
  let timer = null;
  const names = await accountNames();
  if (ctx.stale()) return;

  async function load() {
    timer = null;
    let data;
    try {
      data = await api('/api/v1/posts?limit=1000');
    } catch (e) {
      if (!ctx.stale()) onError(e);
      return;
    }
    if (ctx.stale()) return;
    const posts = data && Array.isArray(data.posts) ? data.posts : [];
    const upcoming = posts.filter((p) => UPCOMING.has(p.state));
    const recent = posts.filter((p) => !UPCOMING.has(p.state))
      .sort((a, b) => str(b.updated_at).localeCompare(str(a.updated_at))).slice(0, 100);
    clear(body);
    if (!posts.length) {
      body.appendChild(emptyState('Nothing scheduled yet',
        ['Write a post on the ', h('a', { href: '#/compose', text: 'Compose page' }), '; it shows up here and in the calendar.']));
    } else {
      body.append(h('h2', { text: 'Upcoming' }),
        upcoming.length ? table('queue-upcoming', upcoming, zone, names, () => load(), onError)
          : h('p', { class: 'muted', id: 'queue-upcoming-empty', text: 'Nothing waiting to go out.' }),
        h('h2', { class: 'spaced', text: 'Recent' }),
        recent.length ? table('queue-recent', recent, zone, names, () => load(), onError)
          : h('p', { class: 'muted', id: 'queue-recent-empty', text: 'Nothing published, failed or cancelled yet.' }));
    }
    const live = lively(posts);
    document.getElementById('queue-live').textContent = live ? 'Updating every few seconds…' : '';
    if (live && !ctx.stale()) timer = setTimeout(() => { if (!ctx.stale()) load(); }, REFRESH_MS);
  }
  await load();
  const slots = await slotsSection(names, ctx);
  if (!ctx.stale()) section.appendChild(slots);
}

// #/post/ID
export async function renderPost(view, parts, params, ctx) {
  const id = parts[0] || '';
  if (!/^\d{1,18}$/.test(id)) {
    view.appendChild(emptyState('No such post', 'Post ids are numbers.'));
    return;
  }
  const zone = browserZone();
  const section = h('section', { id: 'post' });
  view.appendChild(section);
  const names = await accountNames();
  if (ctx.stale()) return;
  async function load() {
    let d;
    try {
      d = await api('/api/v1/posts/' + id);
    } catch (e) {
      if (ctx.stale()) return;
      clear(section);
      if (e.status === 404) section.appendChild(emptyState('No such post', 'It may never have existed. ', h('a', { href: '#/queue', text: 'Back to the queue' })));
      else section.appendChild(errorBox(e));
      return;
    }
    if (ctx.stale()) return;
    const p = d.post;
    const events = Array.isArray(d.events) ? d.events : [];
    let tags = [];
    if (Array.isArray(p.tags)) tags = p.tags;
    const error = h('p', { class: 'error', role: 'alert', hidden: true });
    const url = safeUrl(p.remote_url);
    clear(section);
    section.append(
      h('p', { class: 'crumbs' }, h('a', { href: '#/queue', text: 'Queue' }), ' / ', h('a', { href: '#/calendar', text: 'Calendar' })),
      h('div', { class: 'page-head' }, h('h1', { id: 'post-title', text: str(p.title) }),
        h('div', { class: 'toolbar' }, stateBadge(statusOf(p)), accountFlag(p), postActions(p, () => load(), (e) => { error.textContent = e.message; error.hidden = false; }))),
      error,
      h('div', { class: 'panel' }, h('dl', { class: 'kv' },
        h('dt', { text: 'Platform' }), h('dd', {}, platformDot(str(p.platform)), platformLabel(p.platform)),
        h('dt', { text: 'Account' }), h('dd', { id: 'post-account' }, accountLabel(names, p.platform, p.account)),
        h('dt', { text: 'Publishes at' }), h('dd', { text: str(p.local_time) + ' ' + str(p.zone) + ' = ' + str(p.publish_at) + (p.zone !== zone ? ' (' + wallText(p.publish_at, zone) + ' ' + zone + ')' : '') }),
        h('dt', { text: 'State' }), h('dd', { id: 'post-state', dataset: { status: statusOf(p) } },
          h('span', { text: STATE_LABELS[statusOf(p)] || statusOf(p) }),
          STATUS_HELP[statusOf(p)] && statusOf(p) !== 'published' ? h('div', { id: 'post-state-help', class: 'muted small', text: STATUS_HELP[statusOf(p)] }) : null),
        h('dt', { text: 'Attempts' }), h('dd', { text: String(p.attempts ?? 0) }),
        h('dt', { text: 'Privacy' }), h('dd', { text: str(p.privacy) }),
        h('dt', { text: 'Tags' }), h('dd', { text: tags.map(str).join(', ') || '–' }),
        h('dt', { id: 'post-media-label', text: mediaLabel(p) }), h('dd', { id: 'post-media' }, (Array.isArray(p.media) ? p.media : []).map((m) =>
          h('div', { class: 'mono', text: str(m.path) + ' · ' + str(m.content_type) + ' · ' + fmtFull(m.bytes) + ' bytes' }))),
        p.remote_id ? [h('dt', { text: 'Remote id' }), h('dd', { text: str(p.remote_id) })] : null,
        url ? [h('dt', { text: 'Link' }), h('dd', {}, h('a', { href: url, rel: 'noopener noreferrer', target: '_blank', class: 'remote-link', text: url }))] : null,
        p.last_error && p.state !== 'published' ? [h('dt', { text: statusOf(p) === 'missed' ? 'Why missed' : 'Platform error' }),
          h('dd', { id: 'post-error', class: 'error-text', text: p.last_error })] : null),
      p.caption ? h('p', { class: 'description', text: p.caption }) : null),
      ...[editPanel(p, () => load())].filter((x) => x),
      performanceSection(p, d.performance) || '', // null for a post not published
      h('h2', { text: 'History' }),
      h('div', { class: 'table-wrap' }, h('table', { id: 'post-events', class: 'data' },
        h('thead', {}, h('tr', {}, ['At', 'From', 'To', 'Note'].map((t) => h('th', { scope: 'col', text: t })))),
        h('tbody', {}, events.map((e) => h('tr', {},
          h('td', { class: 'nowrap', text: wallText(e.at, zone) }), h('td', { text: str(e.from) || '–' }),
          h('td', { text: str(e.to) }), h('td', { class: 'title-text', text: str(e.note) })))))),
      ...editsSection(d.edits, zone));
    if ((BUSY.has(p.state) || (p.state === 'scheduled' && Date.parse(p.publish_at) < Date.now() + SOON_MS)) && !ctx.stale()) {
      setTimeout(() => { if (!ctx.stale()) load(); }, REFRESH_MS);
    }
  }
  await load();
}
