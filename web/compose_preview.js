// Compose's previews, drawn by the platform's preview kind (its
// descriptor's "preview" in GET /api/v1/platforms, docs/platforms.md),
// roughly as such an app shows a post; no platform is named here:
//   video_page      the thumbnail (the chosen file's first frame or the
//                   image), the title and the description's first lines
//   square_post     the square media, the account and the caption with
//                   the first 125 characters above the fold ("... more")
//   vertical_video  the tall frame with the caption over it
// A platform with no (or an unknown) kind gets no preview. Text goes in
// with textContent only.

import { h, PLATFORM_INFO } from './dom.js';
import { platformLabel } from './schedule.js';

export const FOLD = 125; // characters a square post shows before "more"

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

// The caption split at the square post's fold: [shown, rest] in
// characters.
export function captionFold(caption) {
  const cps = [...caption];
  return cps.length > FOLD ? [cps.slice(0, FOLD).join(''), cps.slice(FOLD).join('')] : [caption, ''];
}

// The card of platform p drawn as kind.
function card(p, kind, ...children) {
  return h('article', { class: 'preview preview-' + kind.replace(/_/g, '-'), id: 'compose-preview-' + p, dataset: { preview: kind } },
    h('h3', { class: 'preview-head', text: platformLabel(p) }), ...children);
}

function videoPage(p, t, m) {
  return card(p, 'video_page',
    mediaEl(m.file, m.url, 'preview-thumb'),
    h('p', { class: 'preview-title', text: t.title || 'Title' }),
    h('p', { class: 'preview-account muted', text: t.account[p] || '' }),
    h('p', { class: 'preview-desc', text: t.caption }));
}

function squarePost(p, t, m) {
  const [shown, rest] = captionFold(t.caption || t.title);
  return card(p, 'square_post',
    h('p', { class: 'preview-account', text: t.account[p] || '' }),
    mediaEl(m.file, m.url, 'preview-square'),
    h('p', { class: 'preview-caption' },
      h('strong', { text: (t.account[p] || '') + ' ' }),
      h('span', { class: 'preview-fold', text: shown }),
      rest ? h('span', { class: 'preview-more muted', text: '… more' }) : null,
      rest ? h('span', { class: 'preview-rest', hidden: true, text: rest }) : null));
}

function verticalVideo(p, t, m) {
  return card(p, 'vertical_video',
    h('div', { class: 'preview-tall' },
      mediaEl(m.file, m.url, 'preview-tall-media'),
      h('div', { class: 'preview-overlay' },
        h('strong', { text: t.account[p] || '' }),
        h('p', { class: 'preview-caption', text: t.caption || t.title }))));
}

const RENDER = { video_page: videoPage, square_post: squarePost, vertical_video: verticalVideo };

// The kind platform p is previewed as, or null.
export function previewKind(p) {
  const k = (PLATFORM_INFO[p] || {}).preview;
  return typeof k === 'string' && Object.hasOwn(RENDER, k) ? k : null;
}

// The previews of the chosen platforms. t: {title, caption, account:
// {platform: handle}}, m: {file, url}.
export function previews(platforms, t, m) {
  const cards = platforms.filter((p) => previewKind(p)).map((p) => RENDER[previewKind(p)](p, t, m));
  return cards.length ? cards : [h('p', { class: 'muted', text: 'Choose a platform to see its preview.' })];
}
