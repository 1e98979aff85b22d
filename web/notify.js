// Notifications (#/notifications): the channels as the server is
// configured (webhook: URL without its query, signed or not; mail: server,
// recipients, STARTTLS), a button that queues one test of each kind
// (POST /api/v1/notify/test; serve's loop sends them within seconds), the
// newest events with their state per channel and the delivery log, from
// GET /api/v1/notify. Nothing here is secret: the API never returns the
// webhook secret or the SMTP password.

import { api, ApiError } from './api.js';
import { h, clear, str, fmtDateTime, emptyState, errorBox } from './dom.js';

const STATE_BADGE = { sent: 'badge-ok', failed: 'badge-bad', pending: 'badge-muted', off: 'badge-muted' };
const TLS = ['never (plain text)', 'when offered', 'required'];

function badge(state) {
  const s = str(state) || '?';
  return h('span', { class: 'badge ' + (STATE_BADGE[s] || 'badge-muted'), text: s });
}

function channelCard(title, on, lines, hint) {
  return h('div', { class: 'notify-channel card', 'data-channel': title.toLowerCase() },
    h('h2', {}, title + ' ', h('span', { class: 'badge ' + (on ? 'badge-ok' : 'badge-muted'), text: on ? 'on' : 'off' })),
    on ? h('dl', {}, lines.flatMap(([k, v]) => [h('dt', { text: k }), h('dd', { text: v })]))
      : h('p', { class: 'muted', text: hint }));
}

function channels(d) {
  const w = d.webhook || {};
  const m = d.mail || {};
  return h('div', { class: 'notify-channels' },
    channelCard('Webhook', !!w.on,
      [['URL', str(w.url)], ['Signed', w.signed ? 'yes: X-Mediadash-Signature: sha256=HMAC' : 'no secret set: unsigned']],
      'Set notify.webhook_url (and notify.webhook_secret in the environment, or notify.webhook_secret_file) in the configuration.'),
    channelCard('Mail', !!m.on,
      [['Server', str(m.server)], ['To', str(m.to)], ['STARTTLS', TLS[m.starttls] || str(m.starttls)]],
      'Set notify.smtp_url, notify.smtp_from and notify.smtp_to in the configuration.'));
}

function eventsTable(events) {
  if (!events.length) return emptyState('No notifications yet', 'Published, failed and missed posts, logins to renew, spikes and failing collectors appear here.');
  const head = ['When', 'What', 'Webhook', 'Mail'];
  // A table that scrolls sideways on a phone and holds nothing focusable:
  // the region itself takes the keyboard (arrow keys scroll it).
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Notifications' },
    h('table', { class: 'data', id: 'notify-events' },
      h('thead', {}, h('tr', {}, head.map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, events.map((e) => h('tr', { 'data-kind': str(e.kind) },
        h('td', { class: 'nowrap', text: fmtDateTime(e.created_at) }),
        h('td', { class: 'title-text' }, h('strong', { text: str(e.summary) || str(e.kind) }),
          e.detail ? h('span', { class: 'muted', text: ' ' + str(e.detail) }) : null),
        h('td', {}, badge(e.webhook && e.webhook.state)),
        h('td', {}, badge(e.mail && e.mail.state)))))));
}

function logTable(rows) {
  if (!rows.length) return h('p', { class: 'muted', id: 'notify-log-empty', text: 'No delivery attempt yet.' });
  const head = ['When', 'Event', 'Channel', 'Attempt', 'Result', 'Detail'];
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Delivery log' },
    h('table', { class: 'data', id: 'notify-log' },
      h('thead', {}, h('tr', {}, head.map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, rows.map((d) => h('tr', { class: d.ok ? 'ok' : 'bad' },
        h('td', { class: 'nowrap', text: fmtDateTime(d.at) }),
        h('td', { text: str(d.kind) + (d.test ? ' (test)' : '') }),
        h('td', { text: str(d.channel) }),
        h('td', { class: 'num', text: String(d.attempt) }),
        h('td', {}, h('span', { class: 'badge ' + (d.ok ? 'badge-ok' : 'badge-bad'),
          text: (d.ok ? 'ok' : 'failed') + (d.status ? ' ' + d.status : '') })),
        h('td', { class: 'muted', text: str(d.detail) }))))));
}

export async function render(view, args, params, ctx) {
  const body = h('div', { id: 'notify-body' });
  const note = h('p', { id: 'notify-test-note', class: 'muted', role: 'status' });
  const testBtn = h('button', { type: 'button', id: 'notify-test', text: 'Send a test of each kind' });
  view.appendChild(h('section', { id: 'notifications' },
    h('div', { class: 'page-head' }, h('h1', { text: 'Notifications' }), testBtn),
    h('p', { class: 'muted', text: 'You are told when a post is published, fails or is missed, when an account needs a new login, when one of your items spikes and when collecting has failed for a day. Failed deliveries are retried with growing waits.' }),
    note, body));

  async function draw() {
    let d;
    try {
      d = await api('/api/v1/notify');
    } catch (e) {
      if ((ctx && ctx.stale()) || (e instanceof ApiError && e.status === 401)) return null;
      clear(body);
      body.appendChild(errorBox(e));
      return null;
    }
    if (ctx && ctx.stale()) return null;
    clear(body);
    const events = Array.isArray(d.events) ? d.events.filter((e) => e && typeof e === 'object') : [];
    const log = Array.isArray(d.deliveries) ? d.deliveries.filter((x) => x && typeof x === 'object') : [];
    testBtn.disabled = !((d.webhook && d.webhook.on) || (d.mail && d.mail.on));
    body.append(channels(d),
      h('h2', { text: 'Recent notifications' }), eventsTable(events),
      h('h2', { text: 'Delivery log' }), logTable(log));
    return events;
  }

  testBtn.addEventListener('click', async () => {
    testBtn.disabled = true;
    let r;
    try {
      r = await api('/api/v1/notify/test', { method: 'POST' });
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return;
      note.textContent = e instanceof ApiError ? e.message : 'The test could not be queued.';
      testBtn.disabled = false;
      return;
    }
    const ids = new Set(Array.isArray(r && r.ids) ? r.ids : []);
    note.textContent = 'Queued ' + ids.size + ' test notifications: sending…';
    // serve's loop sends within seconds; look again until none is pending
    for (let i = 0; i < 15 && !(ctx && ctx.stale()); i++) {
      await new Promise((res) => setTimeout(res, 1000));
      const events = await draw();
      if (!events) return;
      const mine = events.filter((e) => ids.has(e.id));
      const pending = mine.filter((e) => (e.webhook && e.webhook.state === 'pending') || (e.mail && e.mail.state === 'pending'));
      if (mine.length && !pending.length) {
        const failed = mine.filter((e) => (e.webhook && e.webhook.state === 'failed') || (e.mail && e.mail.state === 'failed'));
        note.textContent = 'Test notifications sent' + (failed.length ? ', ' + failed.length + ' failed: see the log.' : '.');
        break;
      }
    }
    testBtn.disabled = false;
  });
  await draw();
}
