// Compose's per-platform previews, roughly as each app shows a post:
// YouTube: the thumbnail (the chosen file's first frame or the image),
// the title and the description's first lines; Instagram: the square
// media, the account and the caption with the first 125 characters
// above the fold ("... more"); TikTok: the tall frame with the caption
// over it. Text goes in with textContent only.

import { h } from './dom.js';
import { platformLabel } from './schedule.js';

export const IG_FOLD = 125; // characters Instagram shows before "more"

// The media element for a local file: an <img> or a <video> showing its
// first frame; a placeholder when there is no file.
// One element per place and file, kept across re-renders (a new <video>
// per keystroke would reload the file).
const kept = new Map();
function mediaEl(file, url, cls) {
  if (!file || !url) return h('div', { class: cls + ' preview-placeholder', text: 'No media yet' });
  const key = cls + ' ' + url;
  if (!kept.has(key)) {
    if (kept.size > 12) kept.clear();
    kept.set(key, newMediaEl(file, url, cls));
  }
  return kept.get(key);
}

function newMediaEl(file, url, cls) {
  if (file.type.startsWith('image/')) return h('img', { class: cls, src: url, alt: '' });
  const v = h('video', { class: cls, src: url, muted: true, preload: 'metadata', playsinline: true, 'aria-hidden': 'true' });
  v.muted = true;
  // Show a frame a little in, as a thumbnail; a file the browser cannot
  // decode just stays dark.
  v.addEventListener('loadedmetadata', () => { try { v.currentTime = Math.min(1, (v.duration || 0) / 2); } catch (e) { /* no frame */ } });
  return v;
}

// The caption split at Instagram's fold: [shown, rest] in characters.
export function igFold(caption) {
  const cps = [...caption];
  return cps.length > IG_FOLD ? [cps.slice(0, IG_FOLD).join(''), cps.slice(IG_FOLD).join('')] : [caption, ''];
}

function youtube(t, m) {
  return h('article', { class: 'preview preview-youtube', id: 'compose-preview-youtube' },
    h('h3', { class: 'preview-head', text: platformLabel('youtube') }),
    mediaEl(m.file, m.url, 'preview-thumb'),
    h('p', { class: 'preview-title', text: t.title || 'Title' }),
    h('p', { class: 'preview-account muted', text: t.account.youtube || '' }),
    h('p', { class: 'preview-desc', text: t.caption }));
}

function instagram(t, m) {
  const caption = t.caption || t.title;
  const [shown, rest] = igFold(caption);
  return h('article', { class: 'preview preview-instagram', id: 'compose-preview-instagram' },
    h('h3', { class: 'preview-head', text: platformLabel('instagram') }),
    h('p', { class: 'preview-account', text: t.account.instagram || '' }),
    mediaEl(m.file, m.url, 'preview-square'),
    h('p', { class: 'preview-caption' },
      h('strong', { text: (t.account.instagram || '') + ' ' }),
      h('span', { class: 'preview-fold', text: shown }),
      rest ? h('span', { class: 'preview-more muted', text: '… more' }) : null,
      rest ? h('span', { class: 'preview-rest', hidden: true, text: rest }) : null));
}

function tiktok(t, m) {
  return h('article', { class: 'preview preview-tiktok', id: 'compose-preview-tiktok' },
    h('h3', { class: 'preview-head', text: platformLabel('tiktok') }),
    h('div', { class: 'preview-tall' },
      mediaEl(m.file, m.url, 'preview-tall-media'),
      h('div', { class: 'preview-overlay' },
        h('strong', { text: t.account.tiktok || '' }),
        h('p', { class: 'preview-caption', text: t.caption || t.title }))));
}

const RENDER = { youtube, instagram, tiktok };

// The previews of the chosen platforms. t: {title, caption, account:
// {platform: handle}}, m: {file, url}.
export function previews(platforms, t, m) {
  const cards = platforms.filter((p) => RENDER[p]).map((p) => RENDER[p](t, m));
  return cards.length ? cards : [h('p', { class: 'muted', text: 'Choose a platform to see its preview.' })];
}
