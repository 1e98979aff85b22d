// What the scheduler pages share (#/compose, #/calendar, #/queue,
// #/post/ID): post states and their colours, wall times in a chosen IANA
// zone, the zone picker, and the Retry / Cancel actions.

import { api } from './api.js';
import { h, str, platformName } from './dom.js';

export const STATE_LABELS = {
  draft: 'Draft', scheduled: 'Scheduled', claimed: 'Claimed', publishing: 'Publishing',
  published: 'Published', failed: 'Failed', needs_check: 'Needs check',
  needs_relogin: 'Needs login', cancelled: 'Cancelled',
  missed: 'Missed', // a failed post no worker sent in time (post.status)
};
// Posts still to go out, and those a worker is on right now.
export const UPCOMING = new Set(['draft', 'scheduled', 'claimed', 'publishing']);
export const BUSY = new Set(['claimed', 'publishing']);
// What the state machine allows (store_post.h).
const CAN_RETRY = new Set(['failed', 'needs_relogin', 'needs_check']);
const CAN_CANCEL = new Set(['draft', 'scheduled', 'claimed', 'needs_check', 'failed', 'needs_relogin']);

export function stateBadge(state) {
  const s = str(state);
  return h('span', { class: 'state state-' + (STATE_LABELS[s] ? s : 'unknown'), dataset: { state: s },
    text: STATE_LABELS[s] || s || '?' });
}

export function platformLabel(p) {
  return p === 'dryrun' ? 'Dry run' : platformName(p);
}

export function browserZone() {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch (e) {
    return 'UTC';
  }
}

export function zones() {
  let list = [];
  try {
    list = Intl.supportedValuesOf('timeZone');
  } catch (e) {
    list = [];
  }
  const out = new Set(['UTC', browserZone(), ...list]);
  return [...out].sort();
}

export function validZone(z) {
  if (typeof z !== 'string' || z === '' || z.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: z });
    return true;
  } catch (e) {
    return false;
  }
}

// A <select> of IANA zones with `value` chosen.
export function zoneSelect(id, value) {
  const sel = h('select', { id, 'aria-label': 'Time zone' });
  for (const z of zones()) sel.appendChild(h('option', { value: z, text: z }));
  sel.value = value;
  return sel;
}

const fmtCache = new Map();
function partsFmt(zone) {
  let f = fmtCache.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit',
      day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', weekday: 'short' });
    fmtCache.set(zone, f);
  }
  return f;
}

// The wall time of a UTC instant (ms or ISO string) in zone:
// {date: "YYYY-MM-DD", time: "HH:MM", weekday: "Mon"}.
export function wall(instant, zone) {
  const t = typeof instant === 'string' ? Date.parse(instant) : instant;
  if (!isFinite(t)) return null;
  const p = {};
  for (const x of partsFmt(zone).formatToParts(new Date(t))) p[x.type] = x.value;
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}`, weekday: p.weekday };
}

export function wallText(iso, zone) {
  const w = wall(iso, zone);
  return w ? `${w.date} ${w.time}` : '–';
}

// "YYYY-MM-DD" plus n days (calendar arithmetic on the date alone).
export function addDays(d, n) {
  const t = Date.parse(d + 'T12:00:00Z') + n * 86400000;
  return new Date(t).toISOString().slice(0, 10);
}

// Monday of the week of date d (0 = Monday ... 6 = Sunday).
export function weekday(d) {
  return (new Date(Date.parse(d + 'T12:00:00Z')).getUTCDay() + 6) % 7;
}

export function todayIn(zone) {
  const w = wall(Date.now(), zone);
  return w ? w.date : new Date().toISOString().slice(0, 10);
}

// Retry / Cancel buttons for post p; after a change, done(newPost).
export function postActions(p, done, onError) {
  const out = [];
  const act = (what) => async (ev) => {
    const b = ev.currentTarget;
    b.disabled = true;
    try {
      const r = await api('/api/v1/posts/' + encodeURIComponent(p.id) + '/' + what, { method: 'POST' });
      done(r && r.post ? r.post : null);
    } catch (e) {
      b.disabled = false;
      onError(e);
    }
  };
  if (CAN_RETRY.has(p.state)) {
    out.push(h('button', { type: 'button', class: 'button-small', dataset: { action: 'retry', post: String(p.id) },
      text: 'Retry', onclick: act('retry') }));
  }
  if (CAN_CANCEL.has(p.state)) {
    out.push(h('button', { type: 'button', class: 'button-small button-quiet', dataset: { action: 'cancel', post: String(p.id) },
      text: 'Cancel', onclick: act('cancel') }));
  }
  return out;
}

// The accounts the dashboard knows (GET /api/v1/accounts), keyed by
// "platform:id", so that pages show a handle or title where a post names
// an account id. An error leaves the map empty (the ids still show).
export async function accountNames() {
  const names = new Map();
  let d = null;
  try {
    d = await api('/api/v1/accounts');
  } catch (e) {
    d = null;
  }
  for (const a of d && Array.isArray(d.accounts) ? d.accounts : []) {
    if (a && typeof a === 'object') names.set(str(a.platform) + ':' + str(a.id), a);
  }
  return names;
}

// The account's handle (else its title; else the id itself) as a
// <span class="account-name">, the title and id in its tooltip.
export function accountLabel(names, platform, id) {
  const a = names.get(str(platform) + ':' + str(id));
  const name = a ? str(a.handle) || str(a.title) : '';
  const tip = name ? [str(a.title), 'account id ' + str(id)].filter((t) => t).join(' · ')
    : 'account id (not collected yet, so no name is known)';
  return h('span', { class: 'account-name', title: tip, dataset: { account: str(id) }, text: name || str(id) });
}

export function postHref(id) {
  return '#/post/' + encodeURIComponent(String(id));
}
