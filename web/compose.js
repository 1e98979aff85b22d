// Compose (#/compose): one post per chosen platform, each with its own
// account; title, caption, tags, privacy; media files uploaded (with
// progress) to POST /api/v1/media, one, or up to 10 for an Instagram
// carousel or a TikTok photo post (the server checks what each platform
// takes); the date and time in a chosen IANA
// zone, with the UTC instant and the zone rule's note (DST gap or
// overlap) shown before submitting. Each platform's post is sent with an
// Idempotency-Key made once per composition, so a double click or a
// resubmit makes one post, not two.

import { api, apiOptional, csrf, ApiError, qs } from './api.js';
import { h, clear, str, fullNum, PLATFORMS } from './dom.js';
import { browserZone, zoneSelect, platformLabel, todayIn, wall, postHref, stateBadge } from './schedule.js';

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

// POST the file to /api/v1/media with upload progress (fetch has none).
function upload(file, onProgress) {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    x.open('POST', '/api/v1/media' + qs({ name: file.name.slice(0, 255) }));
    x.setRequestHeader('Content-Type', 'application/octet-stream');
    x.setRequestHeader('Accept', 'application/json');
    if (csrf()) x.setRequestHeader('X-CSRF-Token', csrf());
    x.upload.addEventListener('progress', (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); });
    x.addEventListener('load', () => {
      let d = null;
      try { d = JSON.parse(x.responseText); } catch (e) { d = null; }
      if (x.status >= 200 && x.status < 300 && d) { resolve(d); return; }
      const err = d && d.error ? d.error : {};
      reject(new ApiError(x.status, str(err.message) || 'Upload failed: HTTP ' + x.status, err.param));
    });
    x.addEventListener('error', () => reject(new ApiError(0, 'The upload failed (network error).')));
    x.send(file);
  });
}

// One platform's checkbox and account field.
function platformRow(p, accounts, publishers) {
  const id = 'compose-platform-' + p;
  const check = h('input', { type: 'checkbox', id, value: p, class: 'compose-platform' });
  // The account id: typed, or picked from the accounts the dashboard
  // knows (a datalist, so a connected account without data yet can be
  // typed in).
  const mine = accounts.filter((a) => a.platform === p);
  const list = h('datalist', { id: 'compose-accounts-' + p },
    mine.map((a) => h('option', { value: a.id, label: str(a.handle) || str(a.title) || a.id })));
  const account = h('input', { type: 'text', id: 'compose-account-' + p, list: list.id,
    placeholder: mine.length ? 'pick one or type its id' : 'account id',
    maxlength: 200, spellcheck: 'false', autocapitalize: 'none', 'aria-label': platformLabel(p) + ' account' });
  account.disabled = true;
  check.addEventListener('change', () => { account.disabled = !check.checked; });
  let note = null;
  if (p === 'dryrun') note = h('span', { class: 'muted small', text: 'test publisher: marks the post published, sends nothing' });
  else if (publishers && !publishers.includes(p)) {
    note = h('span', { class: 'muted small', text: 'no publisher in this build yet: its posts wait in the queue' });
  }
  return { p, check, account, el: h('div', { class: 'compose-platform-row' },
    h('label', { for: id, class: 'check' }, check, ' ', h('span', { class: 'dot dot-' + p }), platformLabel(p)),
    account, list, note) };
}

export async function render(view, parts, params, ctx) {
  const [acc, pubs] = await Promise.all([
    apiOptional('/api/v1/accounts' + qs({ limit: 500 })).catch(() => null),
    apiOptional('/api/v1/publishers').catch(() => null),
  ]);
  if (ctx.stale()) return;
  const accounts = acc && Array.isArray(acc.accounts) ? acc.accounts : [];
  const publishers = pubs && Array.isArray(pubs.platforms) ? pubs.platforms : null;
  const names = [...PLATFORMS];
  if (publishers && publishers.includes('dryrun')) names.push('dryrun');
  const rows = names.map((p) => platformRow(p, accounts, publishers));
  let composeKey = randomKey();
  let media = []; // the uploads' answers, in order (several: a carousel or photo post)

  const title = h('input', { type: 'text', id: 'compose-title', maxlength: 400, required: true });
  const caption = h('textarea', { id: 'compose-caption', rows: 4, maxlength: 8000 });
  const tags = h('input', { type: 'text', id: 'compose-tags', placeholder: 'launch, behind the scenes' });
  const privacy = h('select', { id: 'compose-privacy' },
    ['private', 'unlisted', 'public'].map((v) => h('option', { value: v, text: v[0].toUpperCase() + v.slice(1) })));
  const file = h('input', { type: 'file', id: 'compose-file', accept: MEDIA_ACCEPT, multiple: true });
  const progress = h('progress', { id: 'compose-progress', max: 1, value: 0, hidden: true });
  const mediaInfo = h('div', { id: 'compose-media', class: 'muted', 'aria-live': 'polite' });
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
    showError('');
    const files = [...(file.files || [])];
    clear(mediaInfo);
    if (!files.length) return;
    if (files.length > 10) { showError('At most 10 files in one post.'); return; }
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
          text: imgs === done.length ? 'Instagram: a carousel. TikTok: a photo post (JPEG or WebP). YouTube takes one video.'
            : 'Instagram: a carousel (JPEG images and videos). TikTok and YouTube take one video, not several files.' }));
      }
    } catch (e) {
      progress.hidden = true;
      clear(mediaInfo);
      showError(e.message);
    } finally {
      submit.disabled = false;
    }
  });

  function body(row) {
    const tagList = tags.value.split(',').map((t) => t.trim()).filter((t) => t !== '');
    const b = { platform: row.p, account: row.account.value.trim(), title: title.value.trim(),
      caption: caption.value, tags: tagList, privacy: privacy.value, media,
      at: atText(), zone: zoneSel.value };
    if (fold.value === '1') b.fold = 1;
    if (shiftGap.checked) b.shift_gap = true;
    return b;
  }

  const form = h('form', { id: 'compose-form', class: 'panel compose-form', novalidate: true },
    h('fieldset', {}, h('legend', { text: 'Platforms' }), rows.map((r) => r.el)),
    h('label', { for: 'compose-title', text: 'Title' }), title,
    h('label', { for: 'compose-caption', text: 'Caption / description' }), caption,
    h('div', { class: 'compose-pair' },
      h('div', {}, h('label', { for: 'compose-tags', text: 'Tags (comma-separated)' }), tags),
      h('div', {}, h('label', { for: 'compose-privacy', text: 'Privacy' }), privacy)),
    h('label', { for: 'compose-file', text: 'Video or images (MP4, MOV, WebM, JPEG, PNG, WebP; up to 10 files make an Instagram carousel or a TikTok photo post)' }), file, progress, mediaInfo,
    h('fieldset', {}, h('legend', { text: 'When' }),
      h('div', { class: 'compose-when-row' },
        h('div', {}, h('label', { for: 'compose-date', text: 'Date' }), date),
        h('div', {}, h('label', { for: 'compose-time', text: 'Time' }), time),
        h('div', { class: 'grow' }, h('label', { for: 'compose-zone', text: 'Time zone' }), zoneSel)),
      when, gapRow, foldRow),
    h('div', { class: 'toolbar' }, submit, h('a', { href: '#/queue', text: 'Queue' }), h('a', { href: '#/calendar', text: 'Calendar' })),
    error, result);

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    showError('');
    const chosen = rows.filter((r) => r.check.checked);
    if (!chosen.length) { showError('Choose at least one platform.'); return; }
    const noAccount = chosen.find((r) => !r.account.value.trim());
    if (noAccount) { showError(platformLabel(noAccount.p) + ': the account is needed.'); return; }
    if (!title.value.trim()) { showError('The title is needed.'); return; }
    if (!media.length) { showError('Upload a video or image first.'); return; }
    submit.disabled = true;
    clear(result);
    const errors = [];
    for (const row of chosen) {
      try {
        const r = await api('/api/v1/posts', { method: 'POST', contentType: 'application/json',
          body: JSON.stringify(body(row)), idempotencyKey: composeKey + '-' + row.p });
        const p = r.post;
        result.appendChild(h('li', { class: 'ok', dataset: { post: String(p.id) } },
          platformLabel(p.platform) + ': ', h('a', { href: postHref(p.id), text: 'post ' + p.id }), ' ',
          stateBadge(p.state), ' at ' + str(p.local_time) + ' ' + str(p.zone) + ' (' + str(p.publish_at) + ')',
          r.note ? ' — ' + r.note : ''));
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return;
        errors.push(platformLabel(row.p) + ': ' + e.message);
      }
    }
    submit.disabled = false;
    if (errors.length) showError(errors.join('\n'));
    else {
      // Done: a new composition gets new keys.
      composeKey = randomKey();
      result.appendChild(h('li', {}, 'Scheduled. See the ', h('a', { href: '#/calendar', text: 'calendar' }),
        ' or the ', h('a', { href: '#/queue', text: 'queue' }), '.'));
    }
  });

  view.appendChild(h('section', { id: 'compose' },
    h('div', { class: 'page-head' }, h('h1', { text: 'Compose' })),
    h('p', { class: 'muted', text: 'One post per platform. Times are wall times in the zone you choose; the server stores the UTC instant and the zone.' }),
    form));
  resolve();
}
