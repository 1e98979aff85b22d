// Compose's live checks: the platforms' text limits as the server
// states them (GET /api/v1/publishers "limits", from
// src/schedule/post_limits.c), counted exactly as the server counts
// (post_limits.h): characters are code points, TikTok counts UTF-16
// units, a description's size is UTF-8 bytes; a hashtag is '#' followed
// by a word character (ASCII letter, digit, '_' or any non-ASCII
// character) not preceded by one; a mention is '@' followed by an ASCII
// letter, digit, '_' or '.', not preceded by a word character.

const isWord = (cp) => cp !== undefined && ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) ||
  (cp >= 0x61 && cp <= 0x7a) || cp === 0x5f || cp >= 0x80);
const isName = (cp) => cp !== undefined && ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5a) ||
  (cp >= 0x61 && cp <= 0x7a) || cp === 0x5f || cp === 0x2e);

export const chars = (s) => [...s].length;
export const utf16 = (s) => s.length;
export const bytes = (s) => new TextEncoder().encode(s).length;

function marks(s, mark, follow) {
  const cps = [...s].map((c) => c.codePointAt(0));
  let n = 0;
  for (let i = 0; i < cps.length; i++) {
    if (cps[i] === mark && follow(cps[i + 1]) && (i === 0 || !isWord(cps[i - 1]))) n++;
  }
  return n;
}
export const hashtags = (s) => marks(s, 0x23, isWord);
export const mentions = (s) => marks(s, 0x40, isName);

// YouTube's length of the tags: each tag's characters, a comma between
// two, 2 quotes around a tag with a space.
export function tagsChars(tags) {
  return tags.reduce((n, t) => n + chars(t) + (t.includes(' ') ? 2 : 0), Math.max(0, tags.length - 1));
}

export const TITLE_MAX_BYTES = 400;
export const CAPTION_MAX_BYTES = 8000;

// The counters of one platform for the text entered: [{field, label,
// value, max, over}] (field: title, caption or tags), from its limits.
export function counters(limits, text) {
  const out = [];
  if (!limits) return out;
  const add = (field, label, value, max) => { if (max) out.push({ field, label, value, max, over: value > max }); };
  const capField = !text.caption && limits.title_as_caption ? 'title' : 'caption';
  const cap = capField === 'title' ? text.title : text.caption;
  add('title', 'characters', chars(text.title), limits.title_chars);
  add(capField, limits.utf16 ? 'characters (UTF-16)' : 'characters', limits.utf16 ? utf16(cap) : chars(cap), limits.caption_chars);
  add(capField, 'bytes', bytes(cap), limits.caption_bytes);
  add(capField, 'hashtags', hashtags(cap), limits.hashtags);
  add(capField, 'mentions', mentions(cap), limits.mentions);
  add('tags', 'tag characters', tagsChars(text.tags), limits.tags_chars);
  return out;
}

// Every problem of the text for one platform ("Name: ..." per field), as
// {field: [messages]}: the generic limits and the platform's own.
export function problems(platform, name, limits, text) {
  const out = {};
  const say = (field, msg) => { (out[field] = out[field] || []).push(name + ': ' + msg); };
  if (!text.title.trim()) say('title', 'a title is needed');
  else if (bytes(text.title) > TITLE_MAX_BYTES) say('title', `the title is ${bytes(text.title)} bytes; at most ${TITLE_MAX_BYTES}`);
  if (bytes(text.caption) > CAPTION_MAX_BYTES) say('caption', `${bytes(text.caption)} bytes; at most ${CAPTION_MAX_BYTES}`);
  if (text.tags.length > 30) say('tags', `${text.tags.length} tags; at most 30`);
  if (text.tags.some((t) => bytes(t) > 100)) say('tags', 'each tag at most 100 bytes');
  if (!limits) return out;
  for (const c of counters(limits, text)) {
    if (!c.over) continue;
    const what = c.field === 'caption' || (c.field === 'title' && c.label !== 'characters') ? ` in a ${limits.caption_name}` : '';
    say(c.field, `${c.value} ${c.label}${what}; ${name} allows ${c.max}`);
  }
  if (limits.no_angle) {
    if (/[<>]/.test(text.title)) say('title', `${name} refuses < and > in a title`);
    if (/[<>]/.test(text.caption)) say('caption', `${name} refuses < and > in a ${limits.caption_name}`);
  }
  return out;
}
