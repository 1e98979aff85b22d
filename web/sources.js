// Sources (#/sources): the connected accounts and what the collector did
// with them (GET /api/v1/sources: connection, last fetch, next due,
// failures, last error, items tracked), the YouTube quota day, Connect /
// Reconnect buttons (POST /api/v1/connections/PLATFORM gives the consent
// URL the browser goes to; the platform comes back to /oauth/callback,
// which returns here with ?connected= or ?error=), and "Collect now".

import { api } from './api.js';
import { h, fullNum, dateTime, platformName, str, PLATFORMS } from './dom.js';
import { reconnectButton } from './banner.js';

const STATUS_TEXT = {
  ok: 'OK', pending: 'Waiting for the first round', rate_limited: 'Rate limited',
  quota_exceeded: 'Quota used up', auth_needed: 'Needs re-login', failed: 'Failed',
};

function statusCell(a) {
  if (a.needs_relogin) {
    return h('td', {}, h('span', { class: 'badge badge-bad', text: 'Needs re-login' }));
  }
  const s = str(a.status);
  const cls = s === 'ok' ? 'badge-ok' : s === 'pending' ? 'badge-muted' : 'badge-bad';
  return h('td', {}, h('span', { class: 'badge ' + cls, text: STATUS_TEXT[s] || s }));
}

function accountRow(a) {
  const err = a.needs_relogin ? str(a.connection_error) || str(a.last_error) : str(a.last_error);
  return h('tr', { dataset: { platform: str(a.platform), account: str(a.account) } },
    h('td', {}, h('span', { class: 'dot dot-' + str(a.platform), 'aria-hidden': 'true' }),
      platformName(a.platform)),
    h('td', { class: 'mono', text: str(a.account) }),
    statusCell(a),
    h('td', { text: dateTime(a.last_fetch) }),
    h('td', { text: dateTime(a.next_due) }),
    h('td', { class: 'num', text: fullNum(a.failures) }),
    h('td', { class: 'num', text: fullNum(a.items_tracked) }),
    h('td', { class: 'num', text: a.api_usage && typeof a.api_usage.percent === 'number'
      ? a.api_usage.percent + ' %' : '–',
    title: a.api_usage ? 'Graph API usage seen at ' + dateTime(a.api_usage.observed_at) +
      ' (insights pause at 80 %)' : null }),
    h('td', { class: 'last-error', text: err || '–' }),
    h('td', {}, a.needs_relogin ? reconnectButton(a.platform, a.account) : null));
}

function accountsTable(accounts) {
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'data', id: 'sources-table' },
      h('thead', {}, h('tr', {},
        ['Platform', 'Account', 'Status', 'Last fetch', 'Next due', 'Failures', 'Items',
          'API usage', 'Last error', ''].map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, accounts.map(accountRow))));
}

// Logins and refused metrics (issue 12), kept apart from the table: when
// each account's login ends unless renewed ("token expires in N days"),
// a failed renewal, and the Instagram insight metrics Graph refused per
// media kind (not asked for again for 7 days).
function loginsPanel(accounts) {
  const rows = accounts.filter((a) => typeof a.login_expires_in_days === 'number' ||
    a.renew_error || (Array.isArray(a.dropped_metrics) && a.dropped_metrics.length));
  if (!rows.length) return null;
  return h('section', { id: 'sources-logins', class: 'sources-logins' },
    h('h2', { text: 'Logins and refused metrics' }),
    h('ul', { class: 'plain' }, rows.map((a) => {
      const parts = [];
      if (typeof a.login_expires_in_days === 'number') {
        const n = a.login_expires_in_days;
        parts.push(h('span', { class: a.login_expires_soon ? 'badge badge-bad' : 'badge badge-muted',
          dataset: { field: 'login-expires' },
          text: 'token expires in ' + n + (n === 1 ? ' day' : ' days'),
          title: 'login ends ' + dateTime(a.login_expires_at) + ' unless renewed' }));
      }
      if (a.renew_error) {
        parts.push(h('span', { class: 'last-error', dataset: { field: 'renew-error' },
          text: ' renewal failed: ' + str(a.renew_error) }));
      }
      if (Array.isArray(a.dropped_metrics) && a.dropped_metrics.length) {
        parts.push(h('span', { dataset: { field: 'dropped' },
          text: ' not asked: ' + a.dropped_metrics.map((d) => str(d.metric) + ' (' + str(d.kind) + ')').join(', ') }));
      }
      return h('li', { dataset: { platform: str(a.platform), account: str(a.account) } },
        h('strong', { text: platformName(a.platform) + ' ' + str(a.account) + ': ' }), parts,
        a.login_expires_soon ? soonReconnect(a) : null);
    })));
}

function soonReconnect(a) {
  const b = reconnectButton(a.platform, a.account);
  b.className = 'reconnect-soon';
  return b;
}

function connectPanel(platforms, onError) {
  const buttons = platforms.map((p) => {
    const b = h('button', { type: 'button', class: 'connect', dataset: { platform: p.platform },
      disabled: !p.configured, text: 'Connect ' + platformName(p.platform) });
    if (!p.configured) b.title = p.platform + '.client_id is not configured on the server';
    b.addEventListener('click', async () => {
      let account = null;
      if (p.platform === 'instagram') {
        account = window.prompt('Instagram business account id (IG user id, digits):');
        if (!account) return;
      }
      b.disabled = true;
      try {
        const r = await api('/api/v1/connections/' + encodeURIComponent(p.platform), {
          method: 'POST', contentType: 'application/json',
          body: JSON.stringify(account ? { account } : {}),
        });
        location.assign(r.url);
      } catch (e) {
        b.disabled = false;
        onError(e);
      }
    });
    return b;
  });
  return h('div', { class: 'connect-row' }, buttons);
}

function quotaPanel(q) {
  if (!q) return null;
  return h('dl', { class: 'kv', id: 'sources-quota' },
    h('dt', { text: 'YouTube quota today' }),
    h('dd', { text: fullNum(q.used_today) + ' of ' + (q.limit === null ? '–' : fullNum(q.limit)) +
      ' units (resets ' + dateTime(q.resets_at) + ')' }));
}

export async function render(view, args, params, ctx) {
  const d = await api('/api/v1/sources');
  if (ctx.stale()) return;
  const error = h('p', { class: 'error', role: 'alert', hidden: true, id: 'sources-error' });
  const showError = (e) => { error.textContent = e && e.message ? e.message : String(e); error.hidden = false; };
  const accounts = Array.isArray(d.accounts) ? d.accounts : [];
  const platforms = Array.isArray(d.platforms) ? d.platforms
    : PLATFORMS.map((p) => ({ platform: p, configured: true }));
  const note = [];
  if (params.get('connected')) {
    note.push(h('p', { class: 'callout ok', id: 'sources-connected', role: 'status',
      text: 'Connected ' + params.get('connected') + '. The first collection round starts now.' }));
  }
  if (params.get('error')) {
    note.push(h('p', { class: 'error', role: 'alert', id: 'sources-callback-error',
      text: params.get('error') }));
  }
  const collect = h('button', { type: 'button', class: 'button-quiet', id: 'collect-now', text: 'Collect now' });
  collect.addEventListener('click', async () => {
    collect.disabled = true;
    try {
      await api('/api/v1/sources/collect', { method: 'POST' });
      setTimeout(() => { if (!ctx.stale()) window.dispatchEvent(new HashChangeEvent('hashchange')); }, 1500);
    } catch (e) {
      showError(e);
      collect.disabled = false;
    }
  });
  view.appendChild(h('section', { class: 'sources' },
    h('div', { class: 'page-head' }, h('h1', { text: 'Sources' }), accounts.length ? collect : null),
    note, error,
    accounts.length
      ? [accountsTable(accounts), loginsPanel(accounts)]
      : h('section', { id: 'empty', class: 'empty' },
        h('h2', { text: 'No accounts connected' }),
        h('p', { text: 'Connect an account to start collecting its statistics.' })),
    h('h2', { text: 'Connect an account' }),
    connectPanel(platforms, showError),
    quotaPanel(d.youtube_quota)));
}
