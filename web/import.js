// Import (#/import): POST saved API responses to /api/v1/import, one file
// per request with the CSRF token, and show what was stored or the
// server's error message verbatim. Below, the recent imports
// (/api/v1/imports), each with a Remove button that asks once more inline
// and then takes back what that import stored
// (POST /api/v1/imports/ID/remove), and the audit lines of removals.

import { api, ApiError, qs } from './api.js';
import { h, clear, fullNum, dateTime, PLATFORMS, PLATFORM_INFO, platformName, wordList } from './dom.js';

const MAX_BYTES = 16 * 1024 * 1024; // the server's request body cap

function resultLine(name, r) {
  if (r.tables === 'health') { // an Oura page: health data, never social numbers
    return h('li', { class: 'ok' }, h('strong', { text: name }),
      ' (' + String(r.format || 'unknown format') + '): stored in the health data, apart from the social numbers: ' +
      fullNum(r.health_documents) + ' document(s), ' + fullNum(r.health_new) + ' new, ' +
      fullNum(r.health_replaced) + ' replaced.');
  }
  if (r.note && !r.already_imported) {
    return h('li', { class: 'ok' }, h('strong', { text: name }),
      ' (' + String(r.format || 'unknown format') + '): stored ' + fullNum(r.items_new) + ' new item(s), ' +
      fullNum(r.snapshots_new) + ' snapshot(s), ' + fullNum(r.values_new) + ' value(s); ' + String(r.note) + '.');
  }
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

const RECENT = 20; // imports listed

// The page's intro, from the registered platforms (GET /api/v1/platforms):
// the social ones' API responses, and those of any other kind (a health
// source), which are stored apart from the social numbers.
export function importIntro() {
  const social = PLATFORMS.map(platformName);
  const other = Object.keys(PLATFORM_INFO).filter((p) => PLATFORM_INFO[p].kind !== 'social').map(platformName);
  let s = 'Upload responses saved from the ' + (social.length ? wordList(social, 'or') + ' APIs' : 'platforms\u2019 APIs') +
    ' (or a channel analytics CSV export)';
  if (other.length) s += ', or ' + wordList(other, 'or') + ' pages, which are kept apart from the social numbers as health data';
  return s + '. A file with one bad item stores nothing; importing the same file again stores nothing new. ' +
    'A file of an account that is not yours is kept as tracked (see Competitors).';
}

function removeButton(im, onDone) {
  const cell = h('span', { class: 'import-remove' });
  const ask = h('button', { type: 'button', class: 'button-quiet', 'data-import': String(im.id),
    'aria-label': 'Remove import ' + im.id + ' (' + String(im.file || '') + ')', text: 'Remove' });
  ask.addEventListener('click', () => {
    const yes = h('button', { type: 'button', class: 'danger', 'data-confirm': String(im.id), text: 'Yes, remove' });
    const no = h('button', { type: 'button', class: 'button-quiet', text: 'Cancel' });
    no.addEventListener('click', () => { clear(cell); cell.appendChild(ask); ask.focus(); });
    yes.addEventListener('click', async () => {
      yes.disabled = true;
      no.disabled = true;
      try {
        const r = await api('/api/v1/imports/' + encodeURIComponent(im.id) + '/remove', { method: 'POST' });
        const got = r && r.removed ? r.removed : {};
        onDone('Removed import ' + im.id + ': ' + fullNum(got.items) + ' item(s), ' +
          fullNum(got.snapshots) + ' snapshot(s), ' + fullNum(got.values) + ' value(s).');
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return;
        clear(cell);
        cell.appendChild(h('span', { class: 'error', role: 'alert', text: errorText(e) }));
      }
    });
    clear(cell);
    cell.append('Remove everything it stored? ', yes, ' ', no);
    yes.focus();
  });
  cell.appendChild(ask);
  return cell;
}

function importsTable(list, onDone) {
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'data', id: 'imports-table' },
      h('thead', {}, h('tr', {}, ['ID', 'File', 'Imported', 'Format', 'Items', 'Snapshots', 'Values', 'Take back']
        .map((t, i) => h('th', { scope: 'col', class: i >= 4 && i <= 6 ? 'num' : '', text: t })))),
      h('tbody', {}, list.map((im) => h('tr', { 'data-id': String(im.id) },
        h('td', { class: 'num', text: String(im.id) }),
        h('td', { class: 'title-text', title: String(im.file || '') + '\nSHA-256 ' + String(im.sha256 || '–'),
          text: String(im.file || '–').split('/').pop() || '–' }),
        h('td', { text: dateTime(im.imported_at) }),
        h('td', { text: String(im.format || '–') }),
        h('td', { class: 'num', text: fullNum(im.items) }),
        h('td', { class: 'num', text: fullNum(im.snapshots) }),
        h('td', { class: 'num', text: fullNum(im.values) }),
        h('td', {}, removeButton(im, onDone)))))));
}

async function drawRecent(box, note) {
  let data;
  try {
    data = await api('/api/v1/imports');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return;
    clear(box);
    box.appendChild(h('p', { class: 'error', role: 'alert', text: errorText(e) }));
    return;
  }
  const list = Array.isArray(data && data.imports) ? data.imports.filter((i) => i && Number.isInteger(i.id)) : [];
  const audit = Array.isArray(data && data.audit) ? data.audit.filter((a) => a && typeof a === 'object') : [];
  clear(box);
  box.appendChild(h('h2', { text: 'Recent imports' }));
  if (note) box.appendChild(h('p', { id: 'imports-note', class: 'ok', role: 'status', text: note }));
  if (!list.length) {
    box.appendChild(h('p', { class: 'muted', id: 'imports-empty', text: 'No imports yet.' }));
  } else {
    box.appendChild(importsTable(list.slice(0, RECENT), (msg) => drawRecent(box, msg)));
  }
  if (audit.length) {
    box.appendChild(h('h3', { text: 'Removals and role changes' }));
    box.appendChild(h('ul', { id: 'imports-audit', class: 'result-list' }, audit.slice(0, RECENT).map((a) =>
      h('li', {}, dateTime(a.at) + ' · ' + String(a.who || '?') + ' · ' + String(a.action || '') + ': ' + String(a.what || '')))));
  }
}

export async function render(view) {
  const file = h('input', { type: 'file', id: 'import-file', multiple: true,
    accept: '.json,.csv,application/json,text/csv' });
  const observed = h('input', { type: 'datetime-local', id: 'import-observed-at' });
  const account = h('input', { type: 'text', id: 'import-account', placeholder: (PLATFORMS[0] || 'platform') + ':ID',
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
    drawRecent(recent);
    if (errors.length) {
      error.textContent = errors.join('\n');
      error.hidden = false;
    }
  });

  const recent = h('section', { id: 'imports', class: 'panel', 'aria-live': 'polite' });
  view.appendChild(h('section', { id: 'import' },
    h('div', { class: 'page-head' }, h('h1', { text: 'Import' })),
    h('p', { class: 'muted', id: 'import-intro', text: importIntro() }),
    form, recent));
  await drawRecent(recent);
}
