// Media library (#/media): every file uploaded to the media root with its
// thumbnail (a frame the server took with the ffmpeg libraries), type,
// codec, resolution, duration and size, which platforms it suits (the
// server's documented limits) and the posts that use it; upload, "Use in
// Compose" and Delete (refused by the server while a post needs the
// file). libraryPicker() is the same list as a picker inside Compose.

import { api, csrf, ApiError, qs } from './api.js';
import { h, clear, str, fullNum, fmtDateTime, emptyState, PLATFORMS, platformName } from './dom.js';
import { stateBadge, postHref } from './schedule.js';

export const MEDIA_ACCEPT = '.mp4,.m4v,.mov,.webm,.jpg,.jpeg,.png,.webp,video/mp4,video/quicktime,video/webm,image/jpeg,image/png,image/webp';
const SHA = /^[0-9a-f]{64}$/;
const THUMB = /^\/api\/v1\/media\/[0-9a-f]{64}\/thumb$/;

export function bytesText(n) {
  if (typeof n !== 'number' || !Number.isFinite(n)) return '–';
  if (n >= 1 << 30) return (n / (1 << 30)).toFixed(1) + ' GiB';
  if (n >= 1 << 20) return (n / (1 << 20)).toFixed(1) + ' MiB';
  if (n >= 1024) return (n / 1024).toFixed(0) + ' KiB';
  return fullNum(n) + ' bytes';
}

// "0:04", "16:00", "1:02:03"; '' for a still image (null).
export function durationText(ms) {
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) return '';
  const s = Math.round(ms / 1000);
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return hh ? `${hh}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

// POST the file to /api/v1/media with upload progress (fetch has none).
export function uploadMedia(file, onProgress) {
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

function thumbOf(m, cls) {
  const url = str(m.thumb_url);
  const ph = h('span', { class: cls + ' media-thumb-none', 'aria-hidden': 'true',
    text: str(m.content_type).startsWith('image/') ? 'IMG' : 'VIDEO' });
  if (!THUMB.test(url)) return ph;
  const img = h('img', { class: cls, src: url, alt: 'Thumbnail of ' + str(m.name), loading: 'lazy' });
  img.addEventListener('error', () => img.replaceWith(ph), { once: true });
  return img;
}

// "H.264 · 1920×1080 · 0:42 · 12.3 MiB"
function factsText(m) {
  const parts = [str(m.video_codec).toUpperCase().replace('H264', 'H.264').replace('HEVC', 'H.265')];
  if (m.width && m.height) parts.push(m.width + '×' + m.height);
  const d = durationText(m.duration_ms);
  if (d) parts.push(d);
  parts.push(bytesText(m.bytes));
  return parts.filter((p) => p).join(' · ');
}

// One badge per platform: fits, or why not (the server's message).
function fitsList(m) {
  const fits = m && typeof m.fits === 'object' && m.fits ? m.fits : {};
  return h('ul', { class: 'media-fits', 'aria-label': 'Platforms' }, PLATFORMS.map((p) => {
    const why = fits[p];
    const ok = why === null;
    return h('li', { class: 'badge ' + (ok ? 'badge-ok' : 'badge-bad'), dataset: { platform: p, fits: ok ? 'yes' : 'no' },
      title: ok ? 'Fits ' + platformName(p) + "'s limits" : str(why && why.message),
      text: (ok ? '✓ ' : '✗ ') + platformName(p) });
  }));
}

function usedBy(m) {
  const uses = Array.isArray(m.used_by) ? m.used_by : [];
  if (!uses.length) return h('p', { class: 'muted small media-used', text: 'Not used by any post.' });
  return h('div', { class: 'media-used' }, h('span', { class: 'small', text: 'Used by: ' }),
    h('ul', { class: 'media-posts' }, uses.map((u) => h('li', { dataset: { post: String(u.id) } },
      h('a', { href: postHref(u.id), text: str(u.title) || 'post ' + u.id }), ' ', stateBadge(u.state),
      h('span', { class: 'muted small', text: ' ' + platformName(u.platform) })))));
}

function card(m, onDelete) {
  const del = h('button', { type: 'button', class: 'button-small button-quiet media-delete', text: 'Delete',
    dataset: { sha: str(m.sha256) } });
  if (!m.deletable) {
    del.disabled = true;
    del.title = 'A post still needs this file: cancel it first';
  }
  del.addEventListener('click', () => onDelete(m, del));
  return h('li', { class: 'media-card panel', dataset: { sha: str(m.sha256) } },
    thumbOf(m, 'media-thumb'),
    h('div', { class: 'media-body' },
      h('p', { class: 'media-name', title: str(m.name), text: str(m.name) || str(m.sha256).slice(0, 12) }),
      h('p', { class: 'muted small media-facts', text: factsText(m) }),
      h('p', { class: 'muted small', text: str(m.container).split(',')[0] + ' · uploaded ' + fmtDateTime(m.uploaded_at) }),
      fitsList(m), usedBy(m),
      h('div', { class: 'toolbar' },
        h('a', { class: 'button-link button-small', href: '#/compose' + qs({ media: str(m.sha256) }), text: 'Use in Compose' }),
        del)));
}

export async function render(view, parts, params, ctx) {
  const error = h('p', { id: 'media-error', class: 'error', role: 'alert', hidden: true });
  const info = h('p', { id: 'media-info', class: 'muted', 'aria-live': 'polite' });
  const file = h('input', { type: 'file', id: 'media-file', accept: MEDIA_ACCEPT });
  const progress = h('progress', { id: 'media-progress', max: 1, value: 0, hidden: true });
  const list = h('ul', { id: 'media-list', class: 'media-grid' });
  const body = h('div', { id: 'media-body' });
  view.appendChild(h('section', { id: 'media' },
    h('div', { class: 'page-head' }, h('h1', { text: 'Media' }),
      h('label', { class: 'button-link media-upload', for: 'media-file', text: 'Upload a file' }), file),
    h('p', { class: 'muted', text: 'Videos and images uploaded for posts. The server reads each file (format, codec, size, duration) and checks it against every platform\'s limits.' }),
    progress, info, error, body));
  const showError = (msg) => { error.textContent = msg; error.hidden = !msg; };

  async function load() {
    let d;
    try {
      d = await api('/api/v1/media');
    } catch (e) {
      if (!ctx.stale()) showError(e.message);
      return;
    }
    if (ctx.stale()) return;
    const media = d && Array.isArray(d.media) ? d.media : [];
    clear(body);
    clear(list);
    if (!media.length) {
      body.appendChild(emptyState('No media yet', 'Upload a video or image here or in Compose.'));
      return;
    }
    for (const m of media) if (SHA.test(str(m.sha256))) list.appendChild(card(m, remove));
    body.appendChild(list);
  }

  async function remove(m, button) {
    showError('');
    if (!window.confirm('Delete ' + (str(m.name) || 'this file') + ' from the server?')) return;
    button.disabled = true;
    try {
      await api('/api/v1/media/' + m.sha256 + '/delete', { method: 'POST' });
      info.textContent = 'Deleted ' + str(m.name) + '.';
      await load();
    } catch (e) {
      if (ctx.stale()) return;
      button.disabled = false;
      showError(e.message);
    }
  }

  file.addEventListener('change', async () => {
    showError('');
    const f = file.files && file.files[0];
    if (!f) return;
    progress.hidden = false;
    progress.value = 0;
    info.textContent = 'Uploading ' + f.name + ' (' + bytesText(f.size) + ')…';
    try {
      await uploadMedia(f, (v) => { progress.value = v; });
      if (ctx.stale()) return;
      info.textContent = 'Uploaded ' + f.name + '.';
      await load();
    } catch (e) {
      if (ctx.stale()) return;
      info.textContent = '';
      showError(f.name + ': ' + e.message);
    } finally {
      progress.hidden = true;
      file.value = '';
    }
  });
  await load();
}

// Compose's picker: a disclosure listing the library (loaded when opened)
// with a "Use" button per file; onPick(m) gets the library entry (path,
// sha256, bytes, content_type: what a post's media takes). With
// preselect (a sha256, from #/compose?media=...) that file is picked at
// once.
export function libraryPicker(onPick, preselect) {
  const grid = h('ul', { class: 'media-grid media-grid-small', id: 'compose-library-list' });
  const note = h('p', { class: 'muted small', 'aria-live': 'polite' });
  const box = h('details', { id: 'compose-library', class: 'media-picker' },
    h('summary', { text: 'Or choose a file from the media library' }), note, grid);
  let loaded = null;
  const load = () => {
    loaded = loaded || api('/api/v1/media').then((d) => {
      const media = d && Array.isArray(d.media) ? d.media.filter((m) => SHA.test(str(m.sha256))) : [];
      clear(grid);
      note.textContent = media.length ? '' : 'The library is empty: upload a file above or on the Media page.';
      for (const m of media) {
        grid.appendChild(h('li', { class: 'media-card media-card-small', dataset: { sha: m.sha256 } },
          thumbOf(m, 'media-thumb'),
          h('div', { class: 'media-body' },
            h('p', { class: 'media-name', title: str(m.name), text: str(m.name) }),
            h('p', { class: 'muted small', text: factsText(m) }), fitsList(m),
            h('button', { type: 'button', class: 'button-small media-use', text: 'Use', dataset: { sha: m.sha256 },
              onclick: () => { onPick(m); box.open = false; } }))));
      }
      return media;
    }).catch((e) => { loaded = null; note.textContent = e.message; return []; });
    return loaded;
  };
  box.addEventListener('toggle', () => { if (box.open) load(); });
  if (SHA.test(str(preselect))) {
    load().then((media) => {
      const m = media.find((x) => x.sha256 === preselect);
      if (m) onPick(m);
    });
  }
  return box;
}
