// Editing a post that has not gone out (issue 14), shared by the post
// page (#/post/ID: the edit form, "Schedule" for a draft, the list of
// changes) and the calendar's drag and drop: PATCH /api/v1/posts/ID with
// the version the page read (a stale one is a 409 and changes nothing),
// and the DST rules Compose uses: a wall time that does not exist is
// asked about (move it to the end of the gap, or not), one that occurs
// twice needs a choice of the first or the second.

import { api, ApiError, qs } from './api.js';
import { h, clear, str } from './dom.js';
import { zoneSelect, wall, wallText } from './schedule.js';

// The states an edit is allowed in (store_post.h post_editable).
export const EDITABLE = new Set(['draft', 'scheduled']);
let askSeq = 0;

// Ask a question in `where` (an element the prompt is put into, replacing
// what it held): resolves to the value of the button chosen, or null for
// Cancel / Escape.
export function ask(where, message, choices) {
  return new Promise((resolve) => {
    const done = (v) => { clear(where); where.hidden = true; resolve(v); };
    const buttons = choices.map((c, i) => h('button', { type: 'button', class: i === 0 ? '' : 'button-quiet',
      dataset: { choice: c.id }, text: c.label, onclick: () => done(c.value) }));
    buttons.push(h('button', { type: 'button', class: 'button-quiet', dataset: { choice: 'cancel' }, text: 'Cancel',
      onclick: () => done(null) }));
    const textId = 'ask-text-' + (++askSeq);
    const box = h('div', { class: 'ask callout', role: 'alertdialog', 'aria-labelledby': textId,
      onkeydown: (ev) => { if (ev.key === 'Escape') { ev.preventDefault(); done(null); } } },
    h('p', { class: 'ask-text', id: textId, text: message }), h('div', { class: 'toolbar' }, buttons));
    clear(where);
    where.hidden = false;
    where.appendChild(box);
    buttons[0].focus();
  });
}

// What the wall time `at` ("YYYY-MM-DD HH:MM[:SS]") in zone needs besides
// itself: {} when it is plain, {shift_gap: true} or {fold: 0|1} after
// asking in `where`, null when the person cancelled. Other errors throw.
export async function timeChoice(where, at, zone) {
  let r;
  try {
    r = await api('/api/v1/schedule/resolve' + qs({ at, zone }));
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 400 || !/does not exist/.test(e.message)) throw e;
    const shifted = await api('/api/v1/schedule/resolve' + qs({ at, zone, shift_gap: 1 }));
    const w = wall(shifted.utc, zone);
    const to = w ? w.time : 'the end of the gap';
    return ask(where, e.message + '. Move it to ' + to + ' instead?',
      [{ id: 'shift', label: 'Move to ' + to, value: { shift_gap: true } }]);
  }
  if (r && r.note && /occurs twice/.test(r.note)) {
    const w = at.slice(11, 16);
    return ask(where, w + ' occurs twice on ' + at.slice(0, 10) + ' in ' + zone + ' (the clocks go back). Which one?',
      [{ id: 'first', label: 'The first ' + w, value: { fold: 0 } },
        { id: 'second', label: 'The second ' + w, value: { fold: 1 } }]);
  }
  return {};
}

// PATCH post p (as read: its version guards the edit) with changes;
// resolves to {post, note, changes}. Errors are ApiErrors: 409 when it
// changed meanwhile (param "version") or can no longer change ("state").
export function patchPost(p, changes) {
  return api('/api/v1/posts/' + encodeURIComponent(p.id), { method: 'PATCH', contentType: 'application/json',
    body: JSON.stringify({ ...changes, version: p.version }) });
}

// A 409's message for a person.
export function conflictText(e) {
  if (e.param === 'version') return 'Nothing was saved: ' + e.message;
  if (e.param === 'state') return 'This post can no longer change: ' + e.message;
  return e.message;
}

const FIELD_OF = { title: 'title', caption: 'caption', tags: 'tags', privacy: 'privacy', account: 'account',
  at: 'time', zone: 'zone' };

function fieldErrors() {
  const boxes = {};
  for (const f of ['title', 'caption', 'tags', 'privacy', 'account', 'time', 'zone']) {
    boxes[f] = h('p', { class: 'error field-error', id: 'post-edit-error-' + f, role: 'alert', hidden: true });
  }
  return boxes;
}

// The edit form of post p (draft or scheduled) and, for a draft, the
// Schedule button; saved(newPost) after a change.
export function editPanel(p, saved) {
  if (!EDITABLE.has(p.state)) return null;
  const tags = Array.isArray(p.tags) ? p.tags.map(str) : [];
  const lt = str(p.local_time);
  const f = {
    title: h('input', { type: 'text', id: 'post-edit-title', value: str(p.title), maxlength: 400 }),
    caption: h('textarea', { id: 'post-edit-caption', rows: 3, maxlength: 8000 }),
    tags: h('input', { type: 'text', id: 'post-edit-tags', value: tags.join(', ') }),
    privacy: h('select', { id: 'post-edit-privacy' }, ['private', 'unlisted', 'public'].map((v) =>
      h('option', { value: v, text: v[0].toUpperCase() + v.slice(1) }))),
    account: h('input', { type: 'text', id: 'post-edit-account', value: str(p.account), maxlength: 200, spellcheck: 'false' }),
    date: h('input', { type: 'date', id: 'post-edit-date', value: lt.slice(0, 10) }),
    time: h('input', { type: 'time', id: 'post-edit-time', value: lt.slice(11, 16) }),
    zone: zoneSelect('post-edit-zone', str(p.zone)),
  };
  f.caption.value = str(p.caption);
  f.privacy.value = str(p.privacy);
  const errs = fieldErrors();
  const askBox = h('div', { id: 'post-edit-ask', hidden: true });
  const status = h('p', { id: 'post-edit-status', class: 'muted', 'aria-live': 'polite' });
  const general = h('p', { id: 'post-edit-error', class: 'error', role: 'alert', hidden: true });
  const showErr = (e) => {
    const box = errs[FIELD_OF[e.param]];
    const target = box || general;
    target.textContent = e.status === 409 ? conflictText(e) : e.message;
    target.hidden = false;
  };
  const reset = () => { for (const b of [...Object.values(errs), general]) { b.hidden = true; b.textContent = ''; } };

  async function save(extra) {
    reset();
    const changes = { title: f.title.value.trim(), caption: f.caption.value, privacy: f.privacy.value,
      account: f.account.value.trim(), tags: f.tags.value.split(',').map((t) => t.trim()).filter((t) => t), ...extra };
    const at = f.date.value + ' ' + f.time.value;
    if (at !== lt.slice(0, 16) || f.zone.value !== p.zone) {
      if (!f.date.value || !f.time.value) { showErr({ param: 'at', message: 'Choose a date and time.' }); return; }
      let c;
      try {
        c = await timeChoice(askBox, at, f.zone.value);
      } catch (e) {
        showErr(e.param === 'zone' ? e : { param: 'at', message: e.message });
        return;
      }
      if (c === null) return;
      Object.assign(changes, { at, zone: f.zone.value }, c);
    }
    status.textContent = 'Saving…';
    try {
      const r = await patchPost(p, changes);
      status.textContent = r.changes && r.changes.length ? 'Saved (version ' + r.post.version + ').' : 'Nothing to change.';
      saved(r.post);
    } catch (e) {
      status.textContent = '';
      if (e instanceof ApiError && e.status === 401) return;
      showErr(e);
    }
  }

  const label = (id, text) => h('label', { for: id, text });
  const form = h('form', { id: 'post-edit-form', class: 'compose-form', novalidate: true,
    onsubmit: (ev) => { ev.preventDefault(); save({}); } },
  label('post-edit-title', 'Title'), f.title, errs.title,
  label('post-edit-caption', 'Caption / description'), f.caption, errs.caption,
  h('div', { class: 'compose-pair' },
    h('div', {}, label('post-edit-tags', 'Tags (comma-separated)'), f.tags, errs.tags),
    h('div', {}, label('post-edit-privacy', 'Privacy'), f.privacy, errs.privacy)),
  label('post-edit-account', 'Account id'), f.account, errs.account,
  h('div', { class: 'compose-when-row' },
    h('div', {}, label('post-edit-date', 'Date'), f.date),
    h('div', {}, label('post-edit-time', 'Time'), f.time),
    h('div', { class: 'grow' }, label('post-edit-zone', 'Time zone'), f.zone)),
  errs.time, errs.zone, askBox,
  h('div', { class: 'toolbar' },
    h('button', { type: 'submit', id: 'post-edit-save', text: 'Save changes' }),
    p.state === 'scheduled' ? h('button', { type: 'button', id: 'post-edit-draft', class: 'button-quiet',
      text: 'Back to draft', onclick: () => save({ draft: true }) }) : null),
  status, general);
  const draftBar = p.state === 'draft' ? h('div', { class: 'callout', id: 'post-draft' },
    h('span', { text: 'This is a draft: it is not published until it is scheduled. ' }),
    h('button', { type: 'button', id: 'post-schedule', text: 'Schedule for ' + lt.slice(0, 16) + ' ' + str(p.zone),
      onclick: () => save({ draft: false }) })) : null;
  return h('div', { id: 'post-edit-panel' }, draftBar,
    h('details', { id: 'post-edit', class: 'panel', open: p.state === 'draft' ? true : null },
      h('summary', { text: p.state === 'draft' ? 'Edit the draft' : 'Edit or reschedule' }), form));
}

function valueText(v) {
  if (Array.isArray(v)) return v.map(str).join(', ') || '–';
  if (v === null || v === undefined || v === '') return '–';
  return str(v);
}

const FIELD_NAMES = { state: 'State', publish_at: 'Publishes at (UTC)', zone: 'Zone', local_time: 'Wall time',
  account: 'Account', title: 'Title', caption: 'Caption', privacy: 'Privacy', tags: 'Tags', media: 'Media' };

// The post's edits, newest first: when, who, the version it made, and
// each field from -> to.
export function editsSection(edits, zone) {
  const list = Array.isArray(edits) ? [...edits].reverse() : [];
  const change = (c) => h('div', { class: 'edit-change', dataset: { field: str(c.field) } },
    h('strong', { text: (FIELD_NAMES[c.field] || str(c.field)) + ': ' }),
    h('span', { class: 'muted', text: valueText(c.from) }), ' → ', h('span', { text: valueText(c.to) }));
  const row = (e) => h('tr', { dataset: { version: String(e.version) } },
    h('td', { class: 'nowrap', text: wallText(e.at, zone) }), h('td', { text: str(e.by) || '–' }),
    h('td', { class: 'num', text: String(e.version) }),
    h('td', { class: 'title-text' }, (Array.isArray(e.changes) ? e.changes : []).map(change)));
  const head = h('thead', {}, h('tr', {}, ['At', 'By', 'Version', 'What changed'].map((t) => h('th', { scope: 'col', text: t }))));
  return [h('h2', { class: 'spaced', text: 'Changes' }),
    list.length === 0 ? h('p', { id: 'post-edits-empty', class: 'muted', text: 'Not edited since it was made.' })
      : h('div', { class: 'table-wrap' }, h('table', { id: 'post-edits', class: 'data' }, head, h('tbody', {}, list.map(row))))];
}
