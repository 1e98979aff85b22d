// Settings (#/settings): API tokens for scripts and pipelines (issue 15).
// The list (name, scope, status, created, expires, last used) from
// GET /api/v1/tokens, a form that creates one (POST /api/v1/tokens: the
// token is shown this once, with a copy button), and revoke with a
// confirm (DELETE /api/v1/tokens/ID, refused by the server at once).
// The token API answers a login session only: a token cannot make tokens.

import { api, ApiError } from './api.js';
import { h, clear, str, fmtDateTime, errorBox } from './dom.js';

const EXPIRIES = [['30d', '30 days'], ['90d', '90 days'], ['365d', '1 year'], ['', 'Never']];
const STATUS_BADGE = { live: 'badge-ok', expired: 'badge-muted', revoked: 'badge-bad' };

function when(t, none) {
  return typeof t === 'string' ? fmtDateTime(t) : none;
}

function tokenRow(t, onRevoke) {
  const status = str(t.status) || '?';
  return h('tr', { 'data-token': str(t.name), 'data-status': status },
    h('td', { class: 'title-text' }, h('strong', { class: 'nowrap', text: str(t.name) }),
      t.created_by ? h('span', { class: 'muted small', text: ' by ' + str(t.created_by) }) : null),
    h('td', { text: str(t.scope) }),
    h('td', {}, h('span', { class: 'badge ' + (STATUS_BADGE[status] || 'badge-muted'), text: status })),
    h('td', { class: 'nowrap', text: when(t.created_at, '–') }),
    h('td', { class: 'nowrap', text: when(t.expires_at, 'never') }),
    h('td', { class: 'nowrap', text: when(t.last_used_at, 'never') }),
    h('td', {}, status === 'live'
      ? h('button', { type: 'button', class: 'button-quiet button-small token-revoke',
        'aria-label': 'Revoke the token ' + str(t.name), text: 'Revoke', onclick: () => onRevoke(t) })
      : null));
}

function tokenTable(tokens, onRevoke) {
  if (!tokens.length) {
    return h('p', { class: 'muted', id: 'token-empty', text: 'No API tokens yet.' });
  }
  const head = ['Name', 'Scope', 'Status', 'Created', 'Expires', 'Last used', ''];
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'data', id: 'token-list' },
      h('thead', {}, h('tr', {}, head.map((x) => h('th', { scope: 'col', text: x })))),
      h('tbody', {}, tokens.map((t) => tokenRow(t, onRevoke)))));
}

// The new token, once: a read-only field, a copy button, the warning.
function shownOnce(t) {
  const field = h('input', { type: 'text', id: 'token-value', readonly: true, value: str(t.token),
    spellcheck: 'false', 'aria-label': 'The new token', class: 'token-value' });
  const copied = h('span', { id: 'token-copied', class: 'muted', role: 'status' });
  const copy = h('button', { type: 'button', id: 'token-copy', text: 'Copy' });
  copy.addEventListener('click', async () => {
    field.select();
    try {
      await navigator.clipboard.writeText(field.value);
      copied.textContent = 'Copied.';
    } catch (e) {
      // No clipboard API (plain http on another host): the text is selected.
      copied.textContent = document.execCommand && document.execCommand('copy')
        ? 'Copied.' : 'Selected: press Ctrl+C (⌘C) to copy.';
    }
  });
  return h('div', { class: 'callout ok token-new', id: 'token-new', role: 'alert' },
    h('p', {}, h('strong', { text: 'Token "' + str(t.name) + '" created. Copy it now: you will not see it again.' })),
    h('div', { class: 'token-copy-row' }, field, copy, copied),
    h('p', { class: 'small' }, 'Send it as ',
      h('code', { text: 'Authorization: Bearer ' + str(t.token).slice(0, 8) + '…' }),
      ' (scope ' + str(t.scope) + (t.expires_at ? ', expires ' + fmtDateTime(t.expires_at) : ', never expires') + ').'));
}

function createForm(onCreated) {
  const name = h('input', { type: 'text', id: 'token-name', required: true, maxlength: 64,
    placeholder: 'e.g. grafana', spellcheck: 'false', autocapitalize: 'none', autocomplete: 'off' });
  const scope = h('select', { id: 'token-scope' },
    h('option', { value: 'read', text: 'read: GET only' }),
    h('option', { value: 'write', text: 'write: read and change' }));
  const expires = h('select', { id: 'token-expires' },
    EXPIRIES.map(([v, label]) => h('option', { value: v, text: label, selected: v === '90d' })));
  const err = h('p', { class: 'field-error', id: 'token-error', role: 'alert' });
  const submit = h('button', { type: 'submit', id: 'token-create', text: 'Create token' });
  const form = h('form', { id: 'token-form', class: 'token-form' },
    h('label', { for: 'token-name', text: 'Name' }), name,
    h('label', { for: 'token-scope', text: 'Scope' }), scope,
    h('label', { for: 'token-expires', text: 'Expires' }), expires,
    submit, err);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    err.textContent = '';
    submit.disabled = true;
    try {
      const body = { name: name.value.trim(), scope: scope.value, expires: expires.value || null };
      const t = await api('/api/v1/tokens', { method: 'POST', contentType: 'application/json', body: JSON.stringify(body) });
      name.value = '';
      await onCreated(t);
    } catch (e) {
      if (!(e instanceof ApiError && e.status === 401)) err.textContent = e.message;
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

export async function render(view, args, params, ctx) {
  const list = h('div', { id: 'token-list-wrap' });
  const fresh = h('div', { id: 'token-fresh' });
  const note = h('p', { class: 'muted', id: 'token-note', role: 'status' });

  async function draw() {
    let d;
    try {
      d = await api('/api/v1/tokens');
    } catch (e) {
      if ((ctx && ctx.stale()) || (e instanceof ApiError && e.status === 401)) return;
      clear(list).appendChild(errorBox(e));
      return;
    }
    if (ctx && ctx.stale()) return;
    const tokens = Array.isArray(d && d.tokens) ? d.tokens.filter((t) => t && typeof t === 'object') : [];
    clear(list).appendChild(tokenTable(tokens, revoke));
  }

  async function revoke(t) {
    if (!window.confirm('Revoke the API token "' + str(t.name) + '"? Scripts using it are refused from now on.')) return;
    try {
      await api('/api/v1/tokens/' + encodeURIComponent(String(t.id)), { method: 'DELETE' });
      note.textContent = 'Revoked "' + str(t.name) + '".';
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return;
      note.textContent = e.message;
    }
    clear(fresh);
    await draw();
  }

  view.appendChild(h('section', { id: 'settings' },
    h('div', { class: 'page-head' }, h('h1', { text: 'Settings' })),
    h('section', { id: 'api-tokens', class: 'card' },
      h('h2', { text: 'API tokens' }),
      h('p', { class: 'muted' }, 'Tokens let scripts and pipelines use the JSON API without logging in: send one as ',
        h('code', { text: 'Authorization: Bearer mdt_…' }),
        '. Scope read allows GET requests only; write allows changes too, but never managing users or tokens. ',
        'The server keeps only a hash of each token: it is shown once, when created. ',
        'The rollup zone is set on the ', h('a', { href: '#/best-time', text: 'Best time' }), ' page.'),
      createForm(async (t) => {
        clear(fresh).appendChild(shownOnce(t));
        note.textContent = '';
        await draw();
      }),
      fresh, note, list)));
  await draw();
}
