// Import (#/import): POST saved API responses to /api/v1/import, one file
// per request with the CSRF token, and show what was stored or the
// server's error message verbatim.

import { api, ApiError, qs } from './api.js';
import { h, clear, fullNum } from './dom.js';

const MAX_BYTES = 16 * 1024 * 1024; // the server's request body cap

function resultLine(name, r) {
  if (r.already_imported) {
    return h('li', { class: 'ok' }, h('strong', { text: name }), ': already imported, nothing new stored.');
  }
  return h('li', { class: 'ok' }, h('strong', { text: name }),
    ' (' + String(r.format || 'unknown format') + '): stored ' + fullNum(r.items_new) + ' new item(s), ' +
    fullNum(r.snapshots_new) + ' snapshot(s), ' + fullNum(r.values_new) + ' value(s).');
}

function errorText(e) {
  if (e instanceof ApiError && (e.status === 404 || e.status === 405)) {
    return 'This server does not accept uploads yet. Import on the server instead: mediadash import FILE';
  }
  if (e instanceof ApiError && e.status === 413) return e.message || 'The file is too large.';
  return e && e.message ? e.message : String(e);
}

function isoFromLocal(v) {
  if (!v) return '';
  const t = new Date(v); // datetime-local is local time
  return isNaN(t) ? '' : t.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export async function render(view) {
  const file = h('input', { type: 'file', id: 'import-file', multiple: true,
    accept: '.json,.csv,application/json,text/csv' });
  const observed = h('input', { type: 'datetime-local', id: 'import-observed-at' });
  const account = h('input', { type: 'text', id: 'import-account', placeholder: 'youtube:UC…',
    maxlength: 200, spellcheck: 'false', autocapitalize: 'none' });
  const submit = h('button', { type: 'submit', id: 'import-submit', text: 'Import' });
  const result = h('ul', { id: 'import-result', class: 'result-list', 'aria-live': 'polite' });
  const error = h('p', { id: 'import-error', class: 'error', role: 'alert', hidden: true });
  const form = h('form', { class: 'panel import-form' },
    h('label', { for: 'import-file', text: 'Saved API responses or Studio CSV exports' }), file,
    h('details', {}, h('summary', { text: 'Options' }),
      h('label', { for: 'import-observed-at', text: 'Fetched at (default: now)' }), observed,
      h('label', { for: 'import-account', text: 'Account, for responses that do not name it (PLATFORM:ID)' }), account),
    h('div', {}, submit), error, result);

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(result);
    error.hidden = true;
    error.textContent = '';
    const files = [...(file.files || [])];
    if (!files.length) {
      error.textContent = 'Choose a file first.';
      error.hidden = false;
      return;
    }
    submit.disabled = true;
    const errors = [];
    for (const f of files) {
      const name = f.name.slice(0, 255);
      if (f.size > MAX_BYTES) {
        errors.push(name + ': the file is over 16 MiB.');
        continue;
      }
      try {
        const r = await api('/api/v1/import' + qs({ name, observed_at: isoFromLocal(observed.value),
          account: account.value.trim() }), { method: 'POST', body: f, contentType: 'application/octet-stream' });
        result.appendChild(resultLine(name, r || {}));
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return;
        errors.push(files.length > 1 ? name + ': ' + errorText(e) : errorText(e));
      }
    }
    submit.disabled = false;
    if (errors.length) {
      error.textContent = errors.join('\n');
      error.hidden = false;
    }
  });

  view.appendChild(h('section', { id: 'import' },
    h('div', { class: 'page-head' }, h('h1', { text: 'Import' })),
    h('p', { class: 'muted', text: 'Upload responses saved from the YouTube, Instagram or TikTok APIs, or YouTube Studio CSV exports. A file with one bad item stores nothing; importing the same file again stores nothing new.' }),
    form));
}
