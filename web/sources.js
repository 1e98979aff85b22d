// Sources (#/sources), in three parts, each under its own heading:
//  * Connected accounts: what the collector does with each (GET
//    /api/v1/sources "accounts": connection, last fetch, next due,
//    failures, last error, items tracked), Reconnect, "Collect now".
//  * Accounts with data: every account the store has data for
//    ("accounts_with_data"), connected or only imported from files.
//  * Connect an account: per platform, on the page (a phone shows no
//    tooltips): whether Connect works, the configuration keys it still
//    needs, the redirect URI to register, the developer console, and what
//    the collector last did ("platforms"). Connect (POST
//    /api/v1/connections/PLATFORM) sends the browser to the consent page;
//    the platform comes back to /oauth/callback, which queues the code
//    exchange and returns here with ?pending=ID (or ?error= when the
//    sign-in cannot even be queued). While sign-in ID is queued or
//    running ("connecting"), the page says "Connecting…" and reloads
//    itself every second; then it shows the account connected or the
//    error.

import { api } from './api.js';
import { h, fullNum, dateTime, platformName, str, PLATFORMS, PLATFORM_INFO, safeUrl, platformDot } from './dom.js';
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
    h('td', {}, platformDot(str(a.platform), { 'aria-hidden': 'true' }),
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
          'API usage', 'Last error', 'Actions'].map((t) => h('th', { scope: 'col', text: t })))),
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

function connectButton(p, onError) {
  const b = h('button', { type: 'button', class: 'connect', dataset: { platform: p.platform },
    disabled: !p.configured, text: 'Connect ' + platformName(p.platform) });
  b.addEventListener('click', async () => {
    let account = null;
    // a platform whose connection needs the account id asks for it
    // (its descriptor's question: GET /api/v1/platforms connect_account)
    const ask = (PLATFORM_INFO[p.platform] || {}).connect_account;
    if (typeof ask === 'string' && ask) {
      account = window.prompt(ask);
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
}

// What connecting p needs, said in words on the page.
function needsText(p) {
  const missing = Array.isArray(p.missing) ? p.missing.map(str) : [];
  if (p.config_loaded === false) {
    return 'The server was started without the platforms\' configuration: start it with ' +
      'serve --config FILE, where the file sets ' + (missing.join(', ') || p.platform + '.client_id') + '.';
  }
  if (!p.configured) {
    return 'Not configured on this server: set ' + missing.join(', ') +
      ' in the configuration file (the secret in MEDIADASH_' + str(p.platform).toUpperCase() +
      '_CLIENT_SECRET or ' + p.platform + '.client_secret_file) and restart serve.';
  }
  if (missing.length) return 'Configured, but still missing: ' + missing.join(', ') + '.';
  return 'Ready: Connect opens ' + platformName(p.platform) + '\'s consent page.';
}

function redirectLines(p) {
  const uri = str(p.redirect_uri);
  const here = location.origin + '/oauth/callback';
  const out = [h('dt', { text: 'Redirect URI' }),
    h('dd', {}, uri ? h('code', { class: 'mono', text: uri }) : '–',
      ' (register it with ' + platformName(p.platform) + ')')];
  if (uri && uri !== here) {
    out.push(h('dd', { class: 'muted redirect-note',
      text: 'This dashboard is at ' + location.origin + ': to connect from here, set ' +
        p.platform + '.redirect_uri = ' + here + ' and register that address.' }));
  }
  return out;
}

function roundText(r, connected) {
  if (!r) {
    return connected ? 'No fetch yet: the collector has not run for ' +
      (connected === 1 ? 'this account' : 'these ' + connected + ' accounts') + '.'
      : 'Nothing to fetch: no account connected.';
  }
  const s = STATUS_TEXT[str(r.status)] || str(r.status);
  return 'Last fetch ' + dateTime(r.at) + ' (' + str(r.account) + '): ' + s +
    (r.error ? ' – ' + str(r.error) : '');
}

function platformCard(p, onError) {
  const ready = p.configured && !(Array.isArray(p.missing) && p.missing.length);
  return h('div', { class: 'card platform-card', dataset: { platform: str(p.platform) } },
    h('h3', {}, platformDot(str(p.platform), { 'aria-hidden': 'true' }),
      platformName(p.platform)),
    h('p', { class: 'needs ' + (ready ? 'ok' : 'not-ready'), text: needsText(p) }),
    h('dl', { class: 'kv' },
      redirectLines(p),
      h('dt', { text: 'Developer console' }),
      h('dd', {}, safeUrl(p.console_url)
        ? h('a', { href: safeUrl(p.console_url), target: '_blank', rel: 'noopener noreferrer',
          text: str(p.console_name) || str(p.console_url) }) : '–'),
      h('dt', { text: 'Collector' }),
      h('dd', { class: 'last-round', text: roundText(p.last_round, p.accounts_connected) })),
    connectButton(p, onError));
}

function connectPanel(platforms, onError) {
  return h('div', { class: 'cards', id: 'sources-platforms' },
    platforms.map((p) => platformCard(p, onError)));
}

function dataRow(a) {
  const name = str(a.handle) || str(a.title);
  return h('tr', { dataset: { platform: str(a.platform), account: str(a.account) } },
    h('td', {}, platformDot(str(a.platform), { 'aria-hidden': 'true' }),
      platformName(a.platform)),
    h('td', { class: 'acct' }, name ? h('span', { text: name + ' ' }) : null,
      h('span', { class: 'mono muted', text: str(a.account) })),
    h('td', { class: 'num followers', text: typeof a.followers === 'number' ? fullNum(a.followers) : '–' }),
    h('td', { class: 'latest', text: dateTime(a.latest_at) }),
    h('td', {}, a.connected
      ? h('span', { class: 'badge badge-ok', text: 'Connected' })
      : h('span', { class: 'badge badge-muted', text: 'Imported only' })));
}

function dataTable(d) {
  const rows = Array.isArray(d.accounts_with_data) ? d.accounts_with_data : [];
  const total = typeof d.accounts_with_data_total === 'number' ? d.accounts_with_data_total : rows.length;
  if (!rows.length) {
    return h('p', { id: 'sources-data-empty', class: 'muted',
      text: 'No data yet: connect an account below, or import a saved file (Import page).' });
  }
  return [
    h('p', { class: 'muted', id: 'sources-data-summary',
      text: total + (total === 1 ? ' account has' : ' accounts have') + ' data; ' +
        rows.filter((a) => a.connected).length + ' of them connected' +
        (total > rows.length ? ' (the first ' + rows.length + ' are listed)' : '') + '.' }),
    h('div', { class: 'table-wrap' },
      h('table', { class: 'data', id: 'sources-data-table' },
        h('thead', {}, h('tr', {},
          ['Platform', 'Account', 'Followers', 'Last snapshot', 'Connection']
            .map((t) => h('th', { scope: 'col', text: t })))),
        h('tbody', {}, rows.map(dataRow))))];
}

// The quota day of every platform that has one (GET /api/v1/sources
// quota: {name: {used_today, limit, resets_at}}).
function quotaPanel(quota) {
  const rows = Object.entries(quota && typeof quota === 'object' ? quota : {})
    .filter(([, q]) => q && typeof q === 'object');
  if (rows.length === 0) return null;
  return h('dl', { class: 'kv', id: 'sources-quota' }, rows.map(([name, q]) => [
    h('dt', { text: platformName(name) + ' quota today' }),
    h('dd', { text: fullNum(q.used_today) + ' of ' + (q.limit === null ? '–' : fullNum(q.limit)) +
      ' units (resets ' + dateTime(q.resets_at) + ')' })]));
}

const POLL_MS = 1000;

// The callout for sign-in ?pending=ID ("connecting" in GET
// /api/v1/sources); schedules the next look while it is not finished.
function pendingNote(d, id, ctx) {
  const rows = Array.isArray(d.connecting) ? d.connecting : [];
  const row = rows.find((r) => String(r.id) === id);
  if (!row) {
    return h('p', { class: 'error', role: 'alert', id: 'sources-callback-error',
      text: 'This sign-in is no longer listed: press Connect again.' });
  }
  const who = platformName(row.platform) + (row.account ? ' ' + row.account : '');
  if (row.status === 'ok') {
    return h('p', { class: 'callout ok', id: 'sources-connected', role: 'status',
      text: 'Connected ' + row.platform + ':' + str(row.account) + '. The first collection round starts now.' });
  }
  if (row.status === 'error') {
    return h('p', { class: 'error', role: 'alert', id: 'sources-callback-error', text: str(row.error) });
  }
  setTimeout(() => { if (!ctx.stale()) window.dispatchEvent(new HashChangeEvent('hashchange')); }, POLL_MS);
  return h('p', { class: 'callout', id: 'sources-connecting', role: 'status',
    text: 'Connecting ' + who + '… (the platform is being asked for the account\'s tokens)' });
}

export async function render(view, args, params, ctx) {
  const d = await api('/api/v1/sources');
  if (ctx.stale()) return;
  const error = h('p', { class: 'error', role: 'alert', hidden: true, id: 'sources-error' });
  const showError = (e) => { error.textContent = e && e.message ? e.message : String(e); error.hidden = false; };
  const accounts = Array.isArray(d.accounts) ? d.accounts : [];
  const withData = typeof d.accounts_with_data_total === 'number' ? d.accounts_with_data_total : 0;
  const platforms = Array.isArray(d.platforms) ? d.platforms
    : PLATFORMS.map((p) => ({ platform: p, configured: true }));
  const note = [];
  if (params.get('connected')) {
    note.push(h('p', { class: 'callout ok', id: 'sources-connected', role: 'status',
      text: 'Connected ' + params.get('connected') + '. The first collection round starts now.' }));
  }
  if (params.get('pending')) note.push(pendingNote(d, params.get('pending'), ctx));
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
    h('h2', { text: 'Connected accounts' }),
    accounts.length
      ? [accountsTable(accounts), loginsPanel(accounts)]
      : h('section', { id: 'empty', class: 'empty' },
        h('p', { text: 'No account is connected, so the collector fetches nothing.' +
          (withData ? ' ' + withData + (withData === 1 ? ' account has' : ' accounts have') +
            ' data from imported files (below).' : '') })),
    h('h2', { text: 'Accounts with data' }),
    dataTable(d),
    h('h2', { text: 'Connect an account' }),
    connectPanel(platforms, showError),
    quotaPanel(d.quota)));
}
