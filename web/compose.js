// Compose (#/compose): one post per chosen platform, each with its own
// account (named by handle; preselected when the platform has exactly
// one connected account); title, caption, tags, privacy, with live
// counters against each chosen platform's documented limits and a
// preview per platform (compose_check.js, compose_preview.js); every
// problem is shown next to its field at once, the page's own and the
// server's ("errors" of a 400); near-duplicate warnings of the server
// are shown with the result; media files uploaded (with progress) to
// POST /api/v1/media, one, or up to 10 for an Instagram carousel or a
// TikTok photo post (the server checks what each platform takes), or
// taken from the media library; the date and time in a chosen IANA
// zone, with the UTC instant and the zone rule's note (DST gap or
// overlap) shown before submitting. Each platform's post is sent with an
// Idempotency-Key made once per composition, so a double click or a
// resubmit makes one post, not two.

import { api, apiOptional, ApiError, qs } from './api.js';
import { h, clear, str, fullNum, PLATFORMS, PLATFORM_INFO, platformDot, platformName, wordList } from './dom.js';
import { browserZone, zoneSelect, platformLabel, todayIn, wall, postHref, stateBadge } from './schedule.js';
import { counters, problems } from './compose_check.js';
import { previews } from './compose_preview.js';
import { watchConnection } from './poststate.js';
import { queueButton, isQueue, queueBody } from './slots.js';
import { libraryPicker, uploadMedia as upload } from './media.js';

// The publishing platforms' media mix (GET /api/v1/platforms "mix": the
// files one post may carry), in registry order.
function mixes() {
  return PLATFORMS.map((p) => [p, PLATFORM_INFO[p] || {}])
    .filter(([, d]) => d.publishes && d.mix && typeof d.mix === 'object')
    .map(([p, d]) => ({ name: platformName(p), mix: d.mix }));
}

// What several uploaded files make on each platform: "X: a carousel
// (JPEG). Y takes one video." imagesOnly: the files are all images.
function severalNote(imagesOnly) {
  const many = [], one = [];
  for (const { name, mix } of mixes()) {
    const max = imagesOnly ? mix.max_images : mix.max_mixed;
    if (max > 1 && mix.several_name) {
      const what = str(mix.images_what) + (imagesOnly ? '' : ' images and videos');
      many.push(name + ': ' + mix.several_name + (what ? ' (' + what + ')' : '') + '.');
    } else {
      one.push(name);
    }
  }
  if (one.length) {
    many.push(wordList(one, 'and') + (one.length > 1 ? ' take' : ' takes') + ' one video' +
      (imagesOnly ? '.' : ', not several files.'));
  }
  return many.join(' ');
}

// "; several files make a carousel on X or a photo post on Y" for the
// file field's label ("" when no platform takes several files).
function severalLabel() {
  const named = mixes().filter(({ mix }) => Math.max(mix.max_images, mix.max_mixed) > 1 && mix.several_name);
  if (!named.length) return '';
  return '; several files make ' + wordList(named.map(({ name, mix }) => mix.several_name + ' on ' + name), 'or');
}

const MEDIA_ACCEPT = '.mp4,.m4v,.mov,.webm,.jpg,.jpeg,.png,.webp,video/mp4,video/quicktime,video/webm,image/jpeg,image/png,image/webp';

function randomKey() {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
}

function bytesText(n) {
  if (n >= 1 << 30) return (n / (1 << 30)).toFixed(1) + ' GiB';
  if (n >= 1 << 20) return (n / (1 << 20)).toFixed(1) + ' MiB';
  if (n >= 1024) return (n / 1024).toFixed(0) + ' KiB';
  return fullNum(n) + ' bytes';
}

// The accounts Compose offers for platform p: connected ones first
// (GET /api/v1/sources: a credential; needs_relogin marked), then the
// ones with data only; each {id, name (handle, title or id), connected,
// relogin}.
function accountChoices(p, accounts, sources) {
  const byId = new Map();
  const known = (id) => accounts.find((a) => a.platform === p && a.id === id);
  const nameOf = (id, a) => (a && (str(a.handle) || str(a.title))) || id;
  for (const c of sources.filter((s) => s.platform === p)) {
    const id = str(c.account);
    if (id) byId.set(id, { id, name: nameOf(id, known(id)), connected: true, relogin: c.needs_relogin === true });
  }
  for (const a of accounts.filter((x) => x.platform === p)) {
    if (!byId.has(str(a.id))) byId.set(str(a.id), { id: str(a.id), name: nameOf(str(a.id), a), connected: false, relogin: false });
  }
  return [...byId.values()];
}

// One platform's checkbox and account field: the field takes a handle
// (from the list) or an account id; the line under it says which
// account that is and whether it is connected.
function platformRow(p, choices, publishers) {
  const id = 'compose-platform-' + p;
  const check = h('input', { type: 'checkbox', id, value: p, class: 'compose-platform' });
  const list = h('datalist', { id: 'compose-accounts-' + p },
    choices.map((c) => h('option', { value: c.name, label: c.name === c.id ? '' : 'account id ' + c.id })));
  const usable = choices.filter((c) => c.connected && !c.relogin);
  const account = h('input', { type: 'text', id: 'compose-account-' + p, list: list.id,
    placeholder: choices.length ? 'pick one or type its id' : 'account id',
    maxlength: 200, spellcheck: 'false', autocapitalize: 'none', 'aria-label': platformLabel(p) + ' account',
    'aria-describedby': 'compose-account-' + p + '-is' });
  if (usable.length === 1) account.value = usable[0].name; // the only connected account
  account.disabled = true;
  const is = h('span', { id: 'compose-account-' + p + '-is', class: 'muted small compose-account-is' });
  const fieldError = h('p', { id: 'compose-account-' + p + '-error', class: 'field-error', hidden: true });
  check.addEventListener('change', () => { account.disabled = !check.checked; });
  // The account the field names: by handle/name, else by id.
  const chosen = () => {
    const v = account.value.trim();
    return choices.find((c) => c.name === v) || choices.find((c) => c.id === v) ||
      (v ? { id: v, name: v, connected: false, relogin: false, unknown: true } : null);
  };
  // Who the field names; whether it can publish is said here only while the
  // platform is not ticked: once ticked, poststate.js's badge beside the
  // row says it (one note, not two).
  const describe = () => {
    const c = chosen();
    const state = c && c.relogin ? ' · needs a new sign-in' : c && c.connected ? ' · connected'
      : c && c.unknown ? ' · not known here' : ' · not connected';
    const badged = check.checked && !(c && c.connected && !c.relogin);
    is.textContent = !c ? '' : (c.name !== c.id ? c.name + ' · account id ' + c.id : 'account id ' + c.id) +
      (badged ? '' : state);
  };
  account.addEventListener('input', describe);
  check.addEventListener('change', describe);
  describe();
  let note = null;
  if (p === 'dryrun') note = h('span', { class: 'muted small', text: 'test publisher: marks the post published, sends nothing' });
  else if (publishers && !publishers.includes(p)) {
    note = h('span', { class: 'muted small', text: 'no publisher in this build yet: its posts wait in the queue' });
  }
  return { p, check, account, chosen, fieldError, el: h('div', { class: 'compose-platform-row' },
    h('label', { for: id, class: 'check' }, check, ' ', platformDot(p), platformLabel(p)),
    h('div', { class: 'compose-account' }, account, is), list, note, fieldError) };
}

export async function render(view, parts, params, ctx) {
  const [acc, pubs, src] = await Promise.all([
    apiOptional('/api/v1/accounts' + qs({ limit: 500 })).catch(() => null),
    apiOptional('/api/v1/publishers').catch(() => null),
    apiOptional('/api/v1/sources').catch(() => null),
  ]);
  if (ctx.stale()) return;
  const accounts = (acc && Array.isArray(acc.accounts) ? acc.accounts : []).filter((a) => a && typeof a === 'object');
  const sources = (src && Array.isArray(src.accounts) ? src.accounts : []).filter((a) => a && typeof a === 'object');
  const publishers = pubs && Array.isArray(pubs.platforms) ? pubs.platforms : null;
  const limits = pubs && pubs.limits && typeof pubs.limits === 'object' ? pubs.limits : {};
  const names = [...PLATFORMS];
  // The test publisher only when the server offers it (compose.dryrun).
  if (publishers && publishers.includes('dryrun') && pubs.compose_dryrun === true) names.push('dryrun');
  const rows = names.map((p) => platformRow(p, accountChoices(p, accounts, sources), publishers));
  for (const r of rows) watchConnection(r, pubs && pubs.accounts); // not connected / needs login
  let composeKey = randomKey();
  let media = []; // the uploads' answers, in order (several: a carousel or photo post)
  let local = { file: null, url: null }; // the first chosen file, for previews
  const created = new Map(); // platform -> post id, of this composition

  const title = h('input', { type: 'text', id: 'compose-title', maxlength: 400, required: true, 'aria-describedby': 'compose-title-count compose-title-error' });
  const caption = h('textarea', { id: 'compose-caption', rows: 4, 'aria-describedby': 'compose-caption-count compose-caption-error' });
  const tags = h('input', { type: 'text', id: 'compose-tags', placeholder: 'launch, behind the scenes', 'aria-describedby': 'compose-tags-count compose-tags-error' });
  const privacy = h('select', { id: 'compose-privacy' },
    ['private', 'unlisted', 'public'].map((v) => h('option', { value: v, text: v[0].toUpperCase() + v.slice(1) })));
  const file = h('input', { type: 'file', id: 'compose-file', accept: MEDIA_ACCEPT, multiple: true });
  const progress = h('progress', { id: 'compose-progress', max: 1, value: 0, hidden: true });
  const mediaInfo = h('div', { id: 'compose-media', class: 'muted', 'aria-live': 'polite' });
  // A file already on the server (media library; #/compose?media=SHA256).
  const library = libraryPicker((m) => {
    media = [{ path: m.path, sha256: m.sha256, bytes: m.bytes, content_type: m.content_type }];
    file.value = '';
    progress.hidden = true;
    mediaInfo.textContent = 'From the library: ' + str(m.name) + ' (' + bytesText(m.bytes) + ', ' + str(m.content_type) + ').';
    mediaInfo.dataset.path = str(m.path);
  }, params.get('media'));
  const zone = params.get('zone') || browserZone();
  const zoneSel = zoneSelect('compose-zone', zone);
  const inAnHour = wall(Date.now() + 3600000, zoneSel.value) || { date: todayIn(zoneSel.value), time: '12:00' };
  // A slot chosen elsewhere (Best time's "Schedule in this slot"): ?date=YYYY-MM-DD&time=HH:MM&zone=...
  if (/^\d{4}-\d{2}-\d{2}$/.test(params.get('date') || '') && /^([01]\d|2[0-3]):[0-5]\d$/.test(params.get('time') || '')) {
    inAnHour.date = params.get('date');
    inAnHour.time = params.get('time');
  }
  const date = h('input', { type: 'date', id: 'compose-date', value: inAnHour.date, required: true });
  const time = h('input', { type: 'time', id: 'compose-time', value: inAnHour.time, required: true });
  const shiftGap = h('input', { type: 'checkbox', id: 'compose-shift-gap' });
  const fold = h('select', { id: 'compose-fold' },
    h('option', { value: '0', text: 'the first (earlier) one' }), h('option', { value: '1', text: 'the second (later) one' }));
  const gapRow = h('label', { class: 'check', hidden: true }, shiftGap, ' Move it to the end of the gap instead');
  const foldRow = h('label', { hidden: true }, 'The time occurs twice: take ', fold);
  const when = h('div', { id: 'compose-when', class: 'callout', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', id: 'compose-submit', text: 'Schedule' });
  const error = h('p', { id: 'compose-error', class: 'error', role: 'alert', hidden: true });
  const result = h('ul', { id: 'compose-result', class: 'result-list', 'aria-live': 'polite' });
  // Per field: a live counter line (title, caption, tags) and its errors.
  const counterEl = (f) => h('p', { id: 'compose-' + f + '-count', class: 'compose-count small', 'aria-live': 'polite' });
  const errorEl = (f) => h('p', { id: 'compose-' + f + '-error', class: 'field-error', hidden: true });
  const FIELDS = ['title', 'caption', 'tags', 'privacy', 'media', 'when'];
  const count = Object.fromEntries(['title', 'caption', 'tags'].map((f) => [f, counterEl(f)]));
  const ferr = Object.fromEntries(FIELDS.map((f) => [f, errorEl(f)]));
  const previewBox = h('div', { id: 'compose-previews', class: 'compose-previews' });
  let tried = false; // submitted once: missing fields are shown too
  let uploadError = ''; // the last upload's refusal, shown under the file

  const showError = (msg) => { error.textContent = msg; error.hidden = !msg; };
  const atText = () => (date.value && time.value ? date.value + ' ' + time.value : '');

  // Ask the server what the wall time comes to (its rules decide).
  let resolved = null;
  let seq = 0;
  async function resolve() {
    const my = ++seq;
    resolved = null;
    if (!atText()) { clear(when); when.appendChild(h('span', { text: 'Choose a date and time.' })); return; }
    try {
      const r = await api('/api/v1/schedule/resolve' + qs({ at: atText(), zone: zoneSel.value,
        fold: fold.value, shift_gap: shiftGap.checked ? 1 : '' }));
      if (my !== seq || ctx.stale()) return;
      resolved = r;
      clear(when);
      when.classList.remove('callout-error');
      const mine = wall(r.utc, browserZone());
      when.appendChild(h('span', {}, 'Publishes at ', h('strong', { id: 'compose-utc', text: str(r.utc).replace('T', ' ').replace('Z', ' UTC') }),
        zoneSel.value !== browserZone() && mine ? ` (${mine.date} ${mine.time} in ${browserZone()})` : ''));
      if (r.note) when.appendChild(h('p', { id: 'compose-note', class: 'note', text: r.note }));
      gapRow.hidden = !shiftGap.checked;
      foldRow.hidden = !(r.note && /occurs twice/.test(r.note));
      if (Date.parse(r.utc) < Date.now() - 60000) {
        when.appendChild(h('p', { class: 'note', text: 'This time has passed: the post goes out as soon as it is scheduled.' }));
      }
    } catch (e) {
      if (my !== seq || ctx.stale()) return;
      clear(when);
      when.classList.add('callout-error');
      when.appendChild(h('span', { id: 'compose-note', text: e.message }));
      gapRow.hidden = !/does not exist/.test(e.message) && !shiftGap.checked;
    }
  }
  for (const el of [date, time, zoneSel, fold, shiftGap]) el.addEventListener('change', resolve);
  time.addEventListener('input', resolve);

  // One or several files (up to 10: an Instagram carousel or a TikTok
  // photo post), uploaded one after another, kept in the chosen order.
  file.addEventListener('change', async () => {
    media = [];
    uploadError = '';
    const files = [...(file.files || [])];
    const f0 = files[0];
    if (local.url) URL.revokeObjectURL(local.url);
    local = { file: f0 || null, url: f0 ? URL.createObjectURL(f0) : null };
    clear(mediaInfo);
    refresh();
    if (!files.length) return;
    if (files.length > 10) { uploadError = 'At most 10 files in one post.'; refresh(); return; }
    progress.hidden = false;
    submit.disabled = true;
    const done = [];
    try {
      for (const [i, f] of files.entries()) {
        progress.value = 0;
        mediaInfo.textContent = 'Uploading ' + f.name + ' (' + bytesText(f.size) + ')' +
          (files.length > 1 ? ', file ' + (i + 1) + ' of ' + files.length : '') + '…';
        const r = await upload(f, (v) => { progress.value = v; });
        done.push({ name: f.name, r });
      }
      media = done.map((d) => d.r);
      progress.value = 1;
      mediaInfo.textContent = files.length === 1
        ? 'Uploaded ' + done[0].name + ': ' + bytesText(done[0].r.bytes) + ', ' + str(done[0].r.content_type) + '.'
        : 'Uploaded ' + files.length + ' files (in this order):';
      mediaInfo.dataset.path = str(done[0].r.path);
      mediaInfo.dataset.count = String(done.length);
      if (files.length > 1) {
        mediaInfo.appendChild(h('ol', { id: 'compose-media-list', class: 'compose-media-list' },
          done.map((d) => h('li', { text: d.name + ': ' + bytesText(d.r.bytes) + ', ' + str(d.r.content_type) }))));
        const imgs = done.filter((d) => str(d.r.content_type).startsWith('image/')).length;
        mediaInfo.appendChild(h('p', { class: 'muted small', id: 'compose-media-kind',
          text: severalNote(imgs === done.length) }));
      }
    } catch (e) {
      progress.hidden = true;
      clear(mediaInfo);
      uploadError = e.message;
    } finally {
      submit.disabled = false;
      refresh();
    }
  });

  function body(row) {
    const tagList = tags.value.split(',').map((t) => t.trim()).filter((t) => t !== '');
    const acct = row.chosen();
    const b = { platform: row.p, account: acct ? acct.id : '', title: title.value.trim(),
      caption: caption.value, tags: tagList, privacy: privacy.value, media,
      at: atText(), zone: zoneSel.value };
    if (fold.value === '1') b.fold = 1;
    if (shiftGap.checked) b.shift_gap = true;
    return b;
  }

  const tagList = () => tags.value.split(',').map((t) => t.trim()).filter((t) => t !== '');
  const text = () => ({ title: title.value.trim(), caption: caption.value, tags: tagList(),
    account: Object.fromEntries(rows.map((r) => { const c = r.chosen(); return [r.p, c ? c.name : '']; })) });
  const chosenRows = () => rows.filter((r) => r.check.checked);

  // Show msgs (a list) under el, or hide it.
  const put = (el, msgs) => { el.textContent = msgs.join('\n'); el.hidden = !msgs.length; };

  // Every problem the page can see, as {field: [messages]} (field: a
  // FIELDS name or 'account-PLATFORM', 'form'); missing things only once
  // a submit was tried.
  function pageProblems() {
    const out = {};
    const say = (f, m) => { (out[f] = out[f] || []).push(m); };
    const chosen = chosenRows();
    const t = text();
    if (tried && !chosen.length) say('form', 'Choose at least one platform.');
    for (const r of chosen) {
      if (tried && !r.account.value.trim()) say('account-' + r.p, platformLabel(r.p) + ': the account is needed.');
      const pr = problems(r.p, platformLabel(r.p), limits[r.p], t);
      for (const [f, ms] of Object.entries(pr)) {
        if (f === 'title' && !t.title && !tried) continue;
        for (const m of ms) say(f, m);
      }
    }
    if (!chosen.length && tried && !t.title) say('title', 'A title is needed.');
    if (uploadError) say('media', uploadError);
    else if (tried && !media.length) say('media', 'Upload a video or image first.');
    return out;
  }

  // Counters per chosen platform ("YouTube 37/100 characters"), the
  // page's problems next to their fields, the previews.
  function refresh() {
    const t = text();
    const chosen = chosenRows();
    for (const f of Object.keys(count)) {
      clear(count[f]);
      for (const r of chosen) {
        for (const c of counters(limits[r.p], t).filter((x) => x.field === f)) {
          count[f].appendChild(h('span', { class: 'counter' + (c.over ? ' over' : ''), dataset: { platform: r.p, what: c.label } },
            `${platformLabel(r.p)} ${fullNum(c.value)}/${fullNum(c.max)} ${c.label}`));
        }
      }
    }
    const pr = pageProblems();
    for (const f of FIELDS.filter((x) => x !== 'when')) put(ferr[f], pr[f] || []);
    for (const r of rows) put(r.fieldError, pr['account-' + r.p] || []);
    showError((pr.form || []).join('\n'));
    clear(previewBox);
    previewBox.append(...previews(chosen.map((r) => r.p), t, local));
    return Object.keys(pr).length === 0;
  }
  for (const el of [title, caption, tags]) el.addEventListener('input', refresh);
  for (const r of rows) {
    r.check.addEventListener('change', refresh);
    r.account.addEventListener('input', refresh);
  }

  // The server's problems ("errors" of a 400, each naming its field)
  // next to their fields, prefixed by the platform.
  function serverProblems(p, e) {
    const list = Array.isArray(e.errors) && e.errors.length ? e.errors : [{ param: e.param, message: e.message }];
    const where = (param) => {
      const q = str(param);
      if (q === 'title' || q === 'caption' || q === 'tags' || q === 'privacy') return ferr[q];
      if (q.startsWith('media')) return ferr.media;
      if (q === 'at' || q === 'zone' || q === 'fold' || q === 'shift_gap') return ferr.when;
      if (q === 'account' || q === 'platform') return rows.find((r) => r.p === p).fieldError;
      return null;
    };
    const rest = [];
    for (const x of list) {
      const el = where(x && x.param);
      const msg = platformLabel(p) + ': ' + str(x && x.message);
      if (el) { el.textContent = (el.hidden ? '' : el.textContent + '\n') + msg; el.hidden = false; } else rest.push(msg);
    }
    return rest;
  }

  const form = h('form', { id: 'compose-form', class: 'panel compose-form', novalidate: true },
    h('fieldset', {}, h('legend', { text: 'Platforms' }), rows.map((r) => r.el)),
    h('label', { for: 'compose-title', text: 'Title' }), title, count.title, ferr.title,
    h('label', { for: 'compose-caption', text: 'Caption / description' }), caption, count.caption, ferr.caption,
    h('div', { class: 'compose-pair' },
      h('div', {}, h('label', { for: 'compose-tags', text: 'Tags (comma-separated)' }), tags, count.tags, ferr.tags),
      h('div', {}, h('label', { for: 'compose-privacy', text: 'Privacy' }), privacy, ferr.privacy)),
    h('label', { for: 'compose-file', text: 'Video or images (MP4, MOV, WebM, JPEG, PNG, WebP' + severalLabel() + ')' }), file, progress, mediaInfo, library, ferr.media,
    h('fieldset', {}, h('legend', { text: 'When' }),
      h('div', { class: 'compose-when-row' },
        h('div', {}, h('label', { for: 'compose-date', text: 'Date' }), date),
        h('div', {}, h('label', { for: 'compose-time', text: 'Time' }), time),
        h('div', { class: 'grow' }, h('label', { for: 'compose-zone', text: 'Time zone' }), zoneSel)),
      when, gapRow, foldRow, ferr.when),
    h('div', { class: 'toolbar' }, submit, queueButton(), h('a', { href: '#/queue', text: 'Queue' }), h('a', { href: '#/calendar', text: 'Calendar' })),
    error, result);

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    tried = true;
    const queue = isQueue(ev);
    if (!refresh()) return; // every problem is shown next to its field
    const chosen = chosenRows();
    submit.disabled = true;
    clear(result);
    put(ferr.when, []);
    const errors = [];
    for (const row of chosen) {
      if (created.has(row.p)) { // made by an earlier submit of this composition
        result.appendChild(h('li', { class: 'ok', dataset: { post: String(created.get(row.p)) } },
          platformLabel(row.p) + ': ', h('a', { href: postHref(created.get(row.p)), text: 'post ' + created.get(row.p) }), ' (already scheduled)'));
        continue;
      }
      try {
        const r = await api('/api/v1/posts', { method: 'POST', contentType: 'application/json',
          body: JSON.stringify(queue ? queueBody(body(row)) : body(row)),
          idempotencyKey: composeKey + (queue ? '-q-' : '-') + row.p });
        const p = r.post;
        created.set(row.p, p.id);
        const warnings = Array.isArray(r.warnings) ? r.warnings : [];
        result.appendChild(h('li', { class: 'ok', dataset: { post: String(p.id) } },
          platformLabel(p.platform) + ': ', h('a', { href: postHref(p.id), text: 'post ' + p.id }), ' ',
          stateBadge(p.state), ' at ' + str(p.local_time) + ' ' + str(p.zone) + ' (' + str(p.publish_at) + ')',
          r.note ? ' — ' + r.note : '',
          warnings.map((w) => h('p', { class: 'compose-warning', role: 'status' }, 'Possible duplicate: ' + str(w && w.message) + '. ',
            w && w.post ? h('a', { href: postHref(w.post), text: 'Open post ' + w.post }) : null))));
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return;
        errors.push(...serverProblems(row.p, e));
      }
    }
    submit.disabled = false;
    showError(errors.join('\n'));
    if (chosen.every((r) => created.has(r.p))) {
      // Done: a new composition gets new keys.
      composeKey = randomKey();
      created.clear();
      tried = false;
      result.appendChild(h('li', {}, 'Scheduled. See the ', h('a', { href: '#/calendar', text: 'calendar' }),
        ' or the ', h('a', { href: '#/queue', text: 'queue' }), '.'));
    }
  });

  view.appendChild(h('section', { id: 'compose' },
    h('div', { class: 'page-head' }, h('h1', { text: 'Compose' })),
    h('p', { class: 'muted', text: 'One post per platform. Times are wall times in the zone you choose; the server stores the UTC instant and the zone.' }),
    h('div', { class: 'compose-layout' }, form,
      h('div', { class: 'panel compose-preview-panel', id: 'compose-preview-panel' }, h('h2', { text: 'Preview' }), previewBox))));
  refresh();
  resolve();
}
