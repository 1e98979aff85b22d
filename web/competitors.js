// Competitors (#/competitors): the tracked accounts (someone else's:
// competitors, samples) next to the creator's own, over the chosen range:
// followers now, follower growth, views gained by their content and views
// per content (views gained / items that gained views in the range), from
// /api/v1/competitors. A button moves an account between own and tracked
// (POST /api/v1/accounts/role); own accounts are the ones totals count.

import { api, ApiError, qs } from './api.js';
import { h, clear, num, signed, str, platformName, emptyState, errorBox } from './dom.js';
import { getRange, rangeParams, rangeLabel, rangePicker } from './range.js';

function label(a) {
  return str(a.title) || str(a.handle) || str(a.id);
}

function roleButton(a, onDone) {
  const to = a.role === 'tracked' ? 'own' : 'tracked';
  const b = h('button', { type: 'button', class: 'button-quiet role-toggle',
    'data-account': a.platform + ':' + a.id,
    text: to === 'own' ? 'Count as mine' : 'Mark as tracked' });
  b.addEventListener('click', async () => {
    b.disabled = true;
    try {
      await api('/api/v1/accounts/role', { method: 'POST', contentType: 'application/json',
        body: JSON.stringify({ account: a.platform + ':' + a.id, role: to }) });
      onDone();
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return;
      b.disabled = false;
      b.replaceWith(errorBox(e));
    }
  });
  return b;
}

function row(a, onDone) {
  return h('tr', { class: a.role === 'tracked' ? 'tracked' : 'own', 'data-id': str(a.id) },
    h('td', { class: 'title-text' }, h('strong', { text: label(a) }),
      h('span', { class: 'muted', text: ' ' + platformName(a.platform) + (a.handle ? ' · ' + a.handle : '') })),
    h('td', { text: a.role === 'tracked' ? 'tracked' : 'yours' }),
    h('td', { class: 'num', text: num(a.followers) }),
    h('td', { class: 'num', text: signed(a.followers_growth) }),
    h('td', { class: 'num', text: num(a.views_gain) }),
    h('td', { class: 'num', text: num(a.active_content) }),
    h('td', { class: 'num', text: num(a.views_per_content) }),
    h('td', {}, roleButton(a, onDone)));
}

function table(accounts, onDone) {
  const head = ['Account', 'Role', 'Followers', 'Growth', 'Views gained', 'Content with views', 'Views per content', 'Change role'];
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'data', id: 'competitors-table' },
      h('thead', {}, h('tr', {}, head.map((t, i) => h('th', { class: i >= 2 && i <= 6 ? 'num' : '', scope: 'col', text: t })))),
      h('tbody', {}, accounts.map((a) => row(a, onDone)))));
}

export async function render(view, args, params, ctx) {
  let range = getRange();
  const body = h('div', { id: 'competitors-body' });
  const section = h('section', { id: 'competitors' },
    h('div', { class: 'page-head' }, h('h1', { text: 'Competitors' }),
      rangePicker(range, (r) => { range = r; draw(); })),
    h('p', { class: 'muted', text: 'Tracked accounts are someone else’s (a competitor, a sample file): kept for comparison, never counted in your totals. A saved file of an account that is not yours is stored as tracked.' }),
    body);
  view.appendChild(section);

  async function draw() {
    let data;
    try {
      data = await api('/api/v1/competitors' + qs(rangeParams(range)));
    } catch (e) {
      if (ctx && ctx.stale()) return;
      if (e instanceof ApiError && e.status === 401) return;
      clear(body);
      body.appendChild(errorBox(e));
      return;
    }
    if (ctx && ctx.stale()) return;
    clear(body);
    const accounts = Array.isArray(data && data.accounts) ? data.accounts.filter((a) => a && typeof a === 'object') : [];
    if (!accounts.length) {
      body.appendChild(emptyState('No accounts yet', 'Import a saved response or connect an account first.'));
      return;
    }
    const tracked = accounts.filter((a) => a.role === 'tracked').length;
    body.appendChild(h('p', { id: 'competitors-summary' },
      (accounts.length - tracked) + ' of yours and ' + tracked + ' tracked, ' + rangeLabel(range) + '.'));
    if (!tracked) {
      body.appendChild(h('p', { class: 'muted', text: 'No tracked account yet: import a saved response of another channel or account, or mark one below as tracked.' }));
    }
    body.appendChild(table(accounts, draw));
  }
  await draw();
}
