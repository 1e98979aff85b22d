// The "needs re-login" banner shown above every page when a connected
// account's credential was refused by its platform (GET /api/v1/sources,
// needs_relogin), with a Reconnect button per account; and a warning when
// a login ends within 7 days (login_expires_soon: its renewal failed, or
// the platform's refresh token ends) or a renewal failed.

import { api, apiOptional } from './api.js';
import { h, clear, platformName, str } from './dom.js';

// A button that starts the platform's consent again for that account.
export function reconnectButton(platform, account) {
  const b = h('button', { type: 'button', class: 'reconnect', dataset: { platform, account },
    text: 'Reconnect' });
  b.addEventListener('click', async () => {
    b.disabled = true;
    try {
      const r = await api('/api/v1/connections/' + encodeURIComponent(platform), {
        method: 'POST', contentType: 'application/json', body: JSON.stringify({ account }),
      });
      location.assign(r.url);
    } catch (e) {
      b.disabled = false;
      b.title = e && e.message ? e.message : String(e);
      b.textContent = 'Reconnect (failed: ' + b.title + ')';
    }
  });
  return b;
}

// Fill el with the banner, or empty it, from the sources state.
export async function updateBanner(el) {
  let d = null;
  try {
    d = await apiOptional('/api/v1/sources');
  } catch (e) {
    d = null; // the page itself shows errors
  }
  clear(el);
  const bad = d && Array.isArray(d.accounts) ? d.accounts.filter((a) => a.needs_relogin) : [];
  const soon = d && Array.isArray(d.accounts)
    ? d.accounts.filter((a) => !a.needs_relogin && (a.login_expires_soon || a.renew_error)) : [];
  el.hidden = bad.length === 0 && soon.length === 0;
  if (soon.length) el.appendChild(expiringNotice(soon));
  if (!bad.length) return;
  el.appendChild(h('div', { class: 'banner-inner', role: 'alert' },
    h('strong', { text: 'Needs re-login: ' }),
    bad.length === 1
      ? 'the ' + platformName(bad[0].platform) + ' account ' + str(bad[0].account) +
        ' was signed out by the platform. Nothing is collected for it until you reconnect.'
      : bad.length + ' accounts were signed out by their platforms. Nothing is collected for them until you reconnect.',
    h('span', { class: 'banner-actions' },
      bad.map((a) => reconnectButton(a.platform, a.account)),
      h('a', { href: '#/sources', text: 'Sources' }))));
}

// "Instagram login expires in 5 days: reconnect", or why a renewal failed.
function expiringNotice(accounts) {
  return h('div', { class: 'banner-inner', role: 'alert', id: 'banner-expiring' },
    accounts.map((a) => {
      const n = a.login_expires_in_days;
      const when = typeof n === 'number'
        ? (n === 0 ? 'today' : 'in ' + n + (n === 1 ? ' day' : ' days')) : null;
      const text = a.login_expires_soon && when
        ? platformName(a.platform) + ' login expires ' + when + ': reconnect. '
        : platformName(a.platform) + ' token renewal failed: ';
      return h('p', { dataset: { platform: str(a.platform), account: str(a.account) } },
        h('strong', { text }),
        a.renew_error ? str(a.renew_error) + ' ' : '',
        soonButton(a));
    }),
    h('span', { class: 'banner-actions' }, h('a', { href: '#/sources', text: 'Sources' })));
}

// A Reconnect button for a login that still works (class reconnect-soon:
// button.reconnect stays the signed-out accounts').
function soonButton(a) {
  const b = reconnectButton(a.platform, a.account);
  b.className = 'reconnect-soon';
  return b;
}
