// DOM helpers: elements are built with textContent only (text from the
// API is never parsed as HTML), plus number and date formatting shared
// by the pages.

// h('div', {class: 'x', id: 'y', onclick: fn}, child, 'text', ...)
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') {
      el.addEventListener(k.slice(2), v);
    } else if (k === 'class') {
      el.className = v;
    } else if (k === 'dataset') {
      Object.assign(el.dataset, v);
    } else if (k === 'text') {
      el.textContent = v;
    } else {
      el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

// Numbers and dates: one formatter per kind of place, in the browser's
// locale (its digit grouping and decimal separator). A column or a list
// uses one of them for every row, never a mix:
//   fmtFull     tables, legends, tooltips: every digit ("1,234,567")
//   fmtCompact  cards and axis ticks: "1.2M", "5K", "999"
// Anything that is not a finite number prints as "–".
export const LOCALE = pickLocale();

function pickLocale() {
  const want = typeof navigator !== 'undefined' && navigator.language ? navigator.language : 'en';
  try {
    return Intl.NumberFormat.supportedLocalesOf([want]).length ? want : 'en';
  } catch (e) {
    return 'en';
  }
}

const fullFmt = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 2 });
const compactFmt = new Intl.NumberFormat(LOCALE, { notation: 'compact', maximumFractionDigits: 1 });
const pctFmt = new Intl.NumberFormat(LOCALE, { style: 'percent', minimumFractionDigits: 2, maximumFractionDigits: 2 });
const smallPctFmt = new Intl.NumberFormat(LOCALE, { style: 'percent', minimumFractionDigits: 3, maximumFractionDigits: 3 });
const dayFmt = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeZone: 'UTC' });
const dateTimeFmt = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

const finite = (v) => typeof v === 'number' && isFinite(v);
const withSign = (v, text) => (v > 0 ? '+' : '') + text;

export function fmtFull(v) {
  return finite(v) ? fullFmt.format(v) : '–';
}

export function fmtCompact(v) {
  return finite(v) ? compactFmt.format(v) : '–';
}

// With a "+" before a gain (a dip keeps its "-").
export function fmtSignedFull(v) {
  return finite(v) ? withSign(v, fullFmt.format(v)) : '–';
}

export function fmtSignedCompact(v) {
  return finite(v) ? withSign(v, compactFmt.format(v)) : '–';
}

// A ratio as a percentage: 0.0523 -> "5.23%"; a non-zero ratio below
// 0.1% with three decimals ("0.042%"), so that it does not read as 0;
// 0 itself as "0.00%".
export function pct(v) {
  if (!finite(v)) return '–';
  return (v !== 0 && Math.abs(v) < 0.001 ? smallPctFmt : pctFmt).format(v);
}

// The older names, kept for the pages that use them: num is the compact
// form (cards), fullNum the full one, signed the compact form with a sign.
export const num = fmtCompact;
export const fullNum = fmtFull;
export const signed = fmtSignedCompact;

// "2024-05-02T00:00:00Z" -> "2024-05-02" (UTC, as the API counts days).
export function day(iso) {
  return typeof iso === 'string' && iso.length >= 10 ? iso.slice(0, 10) : '–';
}

export function dateTime(iso) {
  if (typeof iso !== 'string') return '–';
  return iso.replace('T', ' ').replace(/:\d\dZ$/, ' UTC').replace(/Z$/, ' UTC');
}

// The same instants in the browser's locale ("May 2, 2024"; "May 2,
// 2024, 5:00 PM UTC"), still in UTC: the ISO text goes in a title.
export function fmtDay(iso) {
  const t = typeof iso === 'string' ? Date.parse(iso) : NaN;
  return isFinite(t) ? dayFmt.format(new Date(t)) : '–';
}

export function fmtDateTime(iso) {
  const t = typeof iso === 'string' ? Date.parse(iso) : NaN;
  return isFinite(t) ? dateTimeFmt.format(new Date(t)) + ' UTC' : '–';
}

// Seconds since the epoch of a "YYYY-MM-DD" (UTC midnight), or NaN.
export function daySeconds(d) {
  return Date.parse(d + 'T00:00:00Z') / 1000;
}

// Every "YYYY-MM-DD" from..to inclusive (at most 4000).
export function dayRange(from, to) {
  const out = [];
  let t = daySeconds(from);
  const end = daySeconds(to);
  while (isFinite(t) && t <= end && out.length < 4000) {
    out.push(new Date(t * 1000).toISOString().slice(0, 10));
    t += 86400;
  }
  return out;
}

export function str(v) {
  return typeof v === 'string' ? v : '';
}

// Only absolute http(s) URLs become links or images (issue 13, the
// server's str_http_url rule too): no other scheme (javascript:, data:,
// file:), nothing scheme-relative, and no space or control character
// anywhere, since a browser drops some of them before it reads the scheme.
export function safeUrl(v) {
  return typeof v === 'string' && /^https?:\/\/[^/]/i.test(v) &&
    !/[\u0000-\u0020\u007f]/.test(v) ? v : null;
}

// The registered platforms, from GET /api/v1/platforms (the server's
// registry: docs/platforms.md), filled once by setPlatforms() before the
// first page renders (app.js). PLATFORMS lists the social platforms in
// registry order: the views, filters and the compose list use it; a
// platform of another kind (a health source) is never in it.
// PLATFORM_NAMES names every registered platform; PLATFORM_INFO holds
// each one's public descriptor (colours, limits, publishes...).
export const PLATFORMS = [];
export const PLATFORM_NAMES = {};
export const PLATFORM_INFO = {};

// Take the answer of /api/v1/platforms; entries that are not objects with
// a lower-case name are skipped. Returns how many were taken.
export function setPlatforms(list) {
  PLATFORMS.length = 0;
  let n = 0;
  for (const p of Array.isArray(list) ? list : []) {
    if (!p || typeof p !== 'object' || typeof p.name !== 'string' || !/^[a-z][a-z0-9_]{0,31}$/.test(p.name)) continue;
    PLATFORM_INFO[p.name] = p;
    PLATFORM_NAMES[p.name] = typeof p.display === 'string' && p.display ? p.display : p.name;
    if (p.kind === 'social') PLATFORMS.push(p.name);
    platformStyle(p);
    n++;
  }
  return n;
}

// Each platform's colour as CSS, from its descriptor (so app.css and the
// scripts name no platform): --pf-<name> on :root with the descriptor's
// colour, colour_dark under prefers-color-scheme: dark, and
// [data-platform="<name>"] { --pf: var(--pf-<name>) } so that a .dot (or
// anything reading var(--pf)) inside an element of that platform takes
// its colour. The rules go into app.css's sheet through the CSSOM, which
// the CSP (style-src 'self') allows; only a #rrggbb colour is taken.
const HEX = /^#[0-9a-f]{6}$/i;
const styled = new Set();

function platformSheet() {
  for (const sh of document.styleSheets) {
    if (sh.href && /\/app\.css(\?|$)/.test(sh.href)) return sh;
  }
  return document.styleSheets[0] || null;
}

function platformStyle(p) {
  const sheet = styled.has(p.name) ? null : platformSheet();
  if (!sheet) return;
  const v = '--pf-' + p.name;
  const rules = [`[data-platform="${p.name}"] { --pf: var(${v}); }`];
  if (typeof p.colour === 'string' && HEX.test(p.colour)) rules.push(`:root { ${v}: ${p.colour}; }`);
  if (typeof p.colour_dark === 'string' && HEX.test(p.colour_dark)) {
    rules.push(`@media (prefers-color-scheme: dark) { :root { ${v}: ${p.colour_dark}; } }`);
  }
  for (const r of rules) sheet.insertRule(r, sheet.cssRules.length);
  styled.add(p.name);
}

// The coloured dot of platform p (its colour: platformStyle above).
export function platformDot(p, attrs = {}) {
  return h('span', { class: 'dot', 'data-platform': str(p), ...attrs });
}

export function platformName(p) {
  return PLATFORM_NAMES[p] || str(p);
}

// Whether p's content has no interaction metric (its descriptor says
// "interactions": false): its interaction figures are "–" with why
// (noInteractionsWhy), never a 0.
export function noInteractions(p) {
  return (PLATFORM_INFO[p] || {}).interactions === false;
}

export function noInteractionsWhy(p, what) {
  return platformName(p) + ' reports no likes, comments, shares or saves: ' + what;
}

// "a", "a or b", "a, b or c" (conj "or" or "and").
export function wordList(names, conj) {
  return names.length > 1 ? names.slice(0, -1).join(', ') + ' ' + conj + ' ' + names[names.length - 1] : names.join('');
}

export function itemHref(platform, id) {
  return '#/item/' + encodeURIComponent(platform) + '/' + encodeURIComponent(id);
}

// A thumbnail <img>, or a placeholder when the URL is missing or fails.
export function thumb(url, platform) {
  const ph = h('span', { class: 'thumb thumb-placeholder', 'aria-hidden': 'true',
    text: (platformName(platform) || '?').slice(0, 2) });
  const src = safeUrl(url);
  if (!src || !src.startsWith('https:')) return ph;
  const img = h('img', { class: 'thumb', src, alt: '', loading: 'lazy',
    referrerpolicy: 'no-referrer' });
  img.addEventListener('error', () => img.replaceWith(ph), { once: true });
  return img;
}

// The "nothing to show" block every page uses (id="empty").
export function emptyState(title, ...lines) {
  return h('section', { id: 'empty', class: 'empty' },
    h('h2', { text: title }), lines.map((l) => h('p', {}, l)));
}

export function noDataHint(lead = 'No data yet') {
  return [lead + ': connect an account on the ',
    h('a', { href: '#/sources', text: 'Sources page' }), ' (its data arrives with the next collection), import a saved API response on the ',
    h('a', { href: '#/import', text: 'Import page' }), ', or run ',
    h('code', { text: 'mediadash demo' }), ' on the server.'];
}

export function errorBox(e) {
  return h('p', { class: 'error', role: 'alert', text: e && e.message ? e.message : String(e) });
}
