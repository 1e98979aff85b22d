// The dashboard shell: session and CSRF token, the hash router
// (#/, #/content, #/item/PLATFORM/ID, #/best-time, #/import, #/competitors, #/sources,
// #/compose, #/calendar, #/queue, #/post/ID, #/notifications, #/settings), the needs-re-login banner
// (banner.js), the nav and
// logout. Each page module exports render(view, params, ctx).

import { api, apiOptional, setCsrf, ApiError, leave, isLeaving } from './api.js';
import { h, clear, errorBox, setPlatforms } from './dom.js';
import { destroyCharts } from './charts.js';
import * as overview from './overview.js';
import * as content from './content.js';
import * as item from './item.js';
import * as besttime from './besttime.js';
import * as importPage from './import.js';
import * as sources from './sources.js';
import { updateBanner } from './banner.js';
import * as compose from './compose.js';
import * as calendar from './calendar.js';
import * as queue from './queue.js';
import * as competitors from './competitors.js';
import * as notifyPage from './notify.js';
import * as mediaPage from './media.js';
import * as settingsPage from './settings.js';
import * as healthPage from './health.js';

const view = document.getElementById('view');
let generation = 0;

// Parse the hash into {page, args, params}.
function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const q = raw.indexOf('?');
  const path = q < 0 ? raw : raw.slice(0, q);
  const params = new URLSearchParams(q < 0 ? '' : raw.slice(q + 1));
  const parts = path.split('/').filter((p) => p !== '').map((p) => {
    try { return decodeURIComponent(p); } catch (e) { return p; }
  });
  return { parts, params };
}

const PAGES = {
  '': { nav: 'overview', title: 'Overview', mod: overview },
  content: { nav: 'content', title: 'Content', mod: content },
  item: { nav: 'content', title: 'Item', mod: item },
  'best-time': { nav: 'best-time', title: 'Best time', mod: besttime },
  import: { nav: 'import', title: 'Import', mod: importPage },
  competitors: { nav: 'competitors', title: 'Competitors', mod: competitors },
  sources: { nav: 'sources', title: 'Sources', mod: sources },
  compose: { nav: 'compose', title: 'Compose', mod: compose },
  calendar: { nav: 'calendar', title: 'Calendar', mod: calendar },
  queue: { nav: 'queue', title: 'Queue', mod: queue },
  media: { nav: 'media', title: 'Media', mod: mediaPage },
  post: { nav: 'queue', title: 'Post', mod: { render: queue.renderPost } },
  notifications: { nav: 'notifications', title: 'Notifications', mod: notifyPage },
  settings: { nav: 'settings', title: 'Settings', mod: settingsPage },
  health: { nav: 'health', title: 'Health', mod: healthPage },
};

function setNav(name) {
  for (const a of document.querySelectorAll('.nav a')) {
    if (a.dataset.nav === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

// Why the platform list could not be loaded, or null (loadPlatforms).
let platformsError = null;

async function loadPlatforms() {
  try {
    const d = await apiOptional('/api/v1/platforms');
    if (!d || setPlatforms(d.platforms) === 0) platformsError = 'the answer lists no platform';
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return; // leaving for /login
    platformsError = e && e.message ? e.message : String(e);
  }
}

async function route() {
  const { parts, params } = parseHash();
  const page = PAGES[parts[0] || ''];
  const gen = ++generation;
  destroyCharts();
  clear(view);
  if (!page) {
    setNav('');
    document.title = 'Not found · mediadash';
    view.appendChild(h('section', { id: 'empty', class: 'empty' },
      h('h2', { text: 'No such page' }),
      h('p', {}, 'Go to the ', h('a', { href: '#/', text: 'overview' }), '.')));
    return;
  }
  setNav(page.nav);
  document.title = page.title + ' · mediadash';
  updateBanner(document.getElementById('banner'));
  // Pages check ctx.stale() after each await, so a slow answer for a page
  // already left never draws over the current one.
  const ctx = { stale: () => gen !== generation };
  if (platformsError) {
    view.appendChild(h('div', { class: 'error', role: 'alert', id: 'platforms-error' },
      'The list of platforms could not be loaded (' + platformsError + '): ' +
      'platform lists on this page are empty. Reload the page to try again.'));
  }
  try {
    await page.mod.render(view, parts.slice(1), params, ctx);
  } catch (e) {
    if (ctx.stale() || isLeaving()) return; // navigating away: expected
    if (e instanceof ApiError && e.status === 401) return; // leaving for /login
    console.error(e);
    view.appendChild(errorBox(e));
  }
}

async function loadSession() {
  try {
    const s = await apiOptional('/api/v1/session');
    if (s && typeof s === 'object') {
      setCsrf(s.csrf);
      if (typeof s.user === 'string') document.getElementById('who').textContent = s.user;
    }
  } catch (e) {
    // 401 already redirects; anything else: the pages will show the error.
  }
}

async function logout() {
  try {
    await apiOptional('/api/v1/logout', { method: 'POST', noRedirect: true });
  } catch (e) {
    // Logged out already, or the server is gone: the login page says so.
  }
  setCsrf(null);
  leave('/login');
}

document.getElementById('logout').addEventListener('click', logout);
window.addEventListener('hashchange', route);
loadSession().then(loadPlatforms).then(route)
    .then(() => healthPage.showNav(document.getElementById('nav-health')));
