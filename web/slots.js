// Queue slots (issue 14): an account's weekly posting times as wall times
// in a zone ("Tue 17:00 Europe/Berlin"). Three places use them:
//   slotsSection  the Queue page's "Posting slots": list, add (days, time,
//                 zone), edit and remove, with each slot's next time
//   proposals     the Best time page: the account's own best hours
//                 (GET /api/v1/slots/propose) with one click to add one
//   queueButton   Compose's "Add to queue": the post goes to the
//                 account's next free slot (POST /api/v1/posts "queue")
// The server decides every instant (DST included); the page shows them.

import { api, apiOptional, qs } from './api.js';
import { h, clear, str, num, PLATFORMS, platformDot } from './dom.js';
import { zoneSelect, browserZone, platformLabel, accountLabel } from './schedule.js';

export const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const DAY_NAMES = { sun: 'Sunday', mon: 'Monday', tue: 'Tuesday', wed: 'Wednesday', thu: 'Thursday', fri: 'Friday', sat: 'Saturday' };

function dayName(d) {
  return DAY_NAMES[d] || str(d);
}

const post = (path, body, method = 'POST') =>
  api(path, { method, contentType: 'application/json', body: JSON.stringify(body) });

// One slot's row: what it is, its next time, Edit and Remove. Editing
// swaps the row's cells for a day select, a time and a zone.
function slotRow(s, names, reload, onError) {
  const tr = h('tr', { dataset: { slot: String(s.id), day: str(s.day), time: str(s.time) } });
  const show = () => {
    clear(tr);
    tr.append(
      h('td', {}, platformDot(str(s.platform)), platformLabel(s.platform), ' ',
        accountLabel(names, s.platform, s.account)),
      h('td', { class: 'slot-when', text: dayName(s.day) + ' ' + str(s.time) }),
      h('td', { class: 'muted slot-zone', text: str(s.zone) }),
      h('td', { class: 'nowrap slot-next', title: str(s.next), text: s.next_local ? str(s.next_local).slice(0, 16) : '–' }),
      h('td', { class: 'actions' },
        h('button', { type: 'button', class: 'button-small button-quiet', dataset: { action: 'edit-slot' },
          'aria-label': 'Edit the ' + dayName(s.day) + ' ' + str(s.time) + ' slot', text: 'Edit', onclick: edit }),
        h('button', { type: 'button', class: 'button-small button-quiet', dataset: { action: 'remove-slot' },
          'aria-label': 'Remove the ' + dayName(s.day) + ' ' + str(s.time) + ' slot', text: 'Remove', onclick: remove })));
  };
  async function remove(ev) {
    ev.currentTarget.disabled = true;
    try {
      await api('/api/v1/slots/' + encodeURIComponent(s.id), { method: 'DELETE' });
      reload();
    } catch (e) {
      onError(e);
      show();
    }
  }
  function edit() {
    const id = 'slot-edit-' + s.id;
    const day = h('select', { id: id + '-day', 'aria-label': 'Day' }, DAYS.map((d) => h('option', { value: d, text: dayName(d) })));
    day.value = s.day;
    const time = h('input', { type: 'time', id: id + '-time', value: str(s.time), 'aria-label': 'Time', required: true });
    const zone = zoneSelect(id + '-zone', str(s.zone));
    const save = h('button', { type: 'submit', class: 'button-small', text: 'Save' });
    const form = h('form', { class: 'slot-edit', id }, day, time, zone, save,
      h('button', { type: 'button', class: 'button-small button-quiet', text: 'Cancel', onclick: show }));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      save.disabled = true;
      try {
        await post('/api/v1/slots/' + encodeURIComponent(s.id), { day: day.value, time: time.value, zone: zone.value }, 'PATCH');
        reload();
      } catch (e) {
        save.disabled = false;
        onError(e);
      }
    });
    clear(tr);
    tr.append(h('td', { colspan: 5 }, form));
    day.focus();
  }
  show();
  return tr;
}

// The add form: platform, account (typed or picked), days, time, zone.
function addForm(accounts, platforms, reload, onError) {
  const platform = h('select', { id: 'slot-platform', 'aria-label': 'Platform' },
    platforms.map((p) => h('option', { value: p, text: platformLabel(p) })));
  const list = h('datalist', { id: 'slot-accounts' });
  const account = h('input', { type: 'text', id: 'slot-account', list: 'slot-accounts', maxlength: 128, required: true,
    placeholder: 'account id', spellcheck: 'false', autocapitalize: 'none', 'aria-label': 'Account' });
  const fill = () => {
    const mine = accounts.filter((a) => a.platform === platform.value);
    clear(list).append(...mine.map((a) => h('option', { value: str(a.id), label: str(a.handle) || str(a.title) || str(a.id) })));
    if (mine.length === 1) account.value = str(mine[0].id);
    else if (!mine.some((a) => str(a.id) === account.value)) account.value = '';
  };
  platform.addEventListener('change', fill);
  fill();
  const days = DAYS.map((d) => h('label', { class: 'check slot-day' },
    h('input', { type: 'checkbox', id: 'slot-day-' + d, value: d }), ' ' + dayName(d).slice(0, 3)));
  const time = h('input', { type: 'time', id: 'slot-time', value: '17:00', required: true, 'aria-label': 'Time' });
  const zone = zoneSelect('slot-zone', browserZone());
  const submit = h('button', { type: 'submit', id: 'slot-add', text: 'Add slots' });
  const form = h('form', { id: 'slot-form', class: 'panel slot-form', novalidate: true },
    h('div', { class: 'slot-form-row' },
      h('div', {}, h('label', { for: 'slot-platform', text: 'Platform' }), platform),
      h('div', { class: 'grow' }, h('label', { for: 'slot-account', text: 'Account' }), account, list)),
    h('fieldset', { class: 'slot-days' }, h('legend', { text: 'Days' }), days),
    h('div', { class: 'slot-form-row' },
      h('div', {}, h('label', { for: 'slot-time', text: 'Time' }), time),
      h('div', { class: 'grow' }, h('label', { for: 'slot-zone', text: 'Time zone' }), zone),
      h('div', { class: 'slot-submit' }, submit)));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const chosen = days.map((l) => l.querySelector('input')).filter((c) => c.checked).map((c) => c.value);
    if (!account.value.trim()) { onError(new Error('The account is needed.')); account.focus(); return; }
    if (!chosen.length) { onError(new Error('Choose at least one day.')); return; }
    submit.disabled = true;
    try {
      await post('/api/v1/slots', { platform: platform.value, account: account.value.trim(), days: chosen,
        time: time.value, zone: zone.value });
      for (const l of days) l.querySelector('input').checked = false;
      reload();
    } catch (e) {
      onError(e);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

// The Queue page's section: <section id="queue-slots">. names: the
// accounts map of schedule.js accountNames().
export async function slotsSection(names, ctx) {
  const pubs = await apiOptional('/api/v1/publishers').catch(() => null);
  const platforms = [...PLATFORMS];
  if (pubs && Array.isArray(pubs.platforms) && pubs.platforms.includes('dryrun')) platforms.push('dryrun');
  const error = h('p', { id: 'slots-error', class: 'error', role: 'alert', hidden: true });
  const body = h('div', { id: 'slots-body' });
  const onError = (e) => { error.textContent = e.message; error.hidden = false; };
  const accounts = [...names.values()].filter((a) => a && typeof a === 'object');
  const section = h('section', { id: 'queue-slots', class: 'spaced' },
    h('h2', { text: 'Posting slots' }),
    h('p', { class: 'muted', text: 'Weekly times per account. “Add to queue” in Compose puts a post in its account’s next free slot. Times are wall times in the slot’s zone and stay put when clocks change.' }),
    error, body, addForm(accounts, platforms, () => load(), onError));
  async function load() {
    error.hidden = true;
    let d;
    try {
      d = await api('/api/v1/slots');
    } catch (e) {
      if (!ctx.stale()) onError(e);
      return;
    }
    if (ctx.stale()) return;
    const slots = d && Array.isArray(d.slots) ? d.slots : [];
    clear(body);
    if (!slots.length) {
      body.appendChild(h('p', { class: 'muted', id: 'slots-empty', text: 'No posting slots yet: add some below, or take them from the Best time page.' }));
      return;
    }
    body.appendChild(h('div', { class: 'table-wrap' }, h('table', { id: 'slots-table', class: 'data' },
      h('thead', {}, h('tr', {}, ['Account', 'Slot', 'Zone', 'Next', ''].map((t) => h('th', { scope: 'col', text: t })))),
      h('tbody', {}, slots.map((s) => slotRow(s, names, () => load(), onError))))));
  }
  await load();
  return section;
}

// The Best time page's proposals: the chosen account's best weekday-hours
// from its own content (in the rollup zone), each with "Add slot".
// accounts: the owned accounts ({platform, id, handle, title}); platform
// narrows them ('' for all); range: the page's range parameters (as
// range.js rangeParams gives them), so the proposals read the same
// content as the heatmap above them. -> {el, reload(range)}.
export function proposals(accounts, platform, range, ctx) {
  const mine = accounts.filter((a) => a && (!platform || a.platform === platform) && PLATFORMS.includes(a.platform));
  const box = h('section', { id: 'best-proposals', class: 'panel spaced' }, h('h2', { text: 'Queue slots from your best times' }));
  if (!mine.length) {
    box.appendChild(h('p', { class: 'muted', text: 'No account with data yet: proposals come from an account’s own content.' }));
    return { el: box, reload: () => {} };
  }
  const sel = h('select', { id: 'best-account', 'aria-label': 'Account' },
    mine.map((a) => h('option', { value: a.platform + ':' + str(a.id),
      text: platformLabel(a.platform) + ' · ' + (str(a.handle) || str(a.title) || str(a.id)) })));
  const list = h('div', { id: 'best-proposal-list', 'aria-live': 'polite' });
  const error = h('p', { class: 'error', role: 'alert', hidden: true });
  box.append(h('div', { class: 'toolbar' }, h('label', { for: 'best-account', text: 'Account' }), sel), error, list);
  let seq = 0;
  async function load() {
    const my = ++seq;
    const [p, ...rest] = sel.value.split(':');
    const account = rest.join(':');
    error.hidden = true;
    clear(list).appendChild(h('p', { class: 'loading', text: 'Loading…' }));
    let d;
    try {
      d = await api('/api/v1/slots/propose' + qs({ ...range, platform: p, account, count: 3 }));
    } catch (e) {
      if (my !== seq || ctx.stale()) return;
      clear(list);
      error.textContent = e.message;
      error.hidden = false;
      return;
    }
    if (my !== seq || ctx.stale()) return;
    clear(list);
    const props = d && Array.isArray(d.proposals) ? d.proposals : [];
    if (!props.length) {
      list.appendChild(h('p', { class: 'muted', id: 'best-proposal-none',
        text: 'No weekday-hour of this account has ' + str(d && d.min_n) + ' or more items yet: too few to propose slots.' }));
      return;
    }
    const add = async (x, b) => {
      b.disabled = true;
      try {
        await post('/api/v1/slots', { platform: p, account, day: x.day, time: x.time, zone: x.zone });
        b.textContent = 'Added';
        b.classList.add('added');
        x.exists = true;
      } catch (e) {
        b.disabled = false;
        error.textContent = e.message;
        error.hidden = false;
      }
    };
    const buttons = [];
    list.appendChild(h('ol', { class: 'proposal-list' }, props.map((x, i) => {
      const b = h('button', { type: 'button', class: 'button-small', id: 'best-propose-add-' + i,
        dataset: { day: str(x.day), time: str(x.time) }, text: x.exists ? 'Added' : 'Add slot', disabled: !!x.exists });
      b.addEventListener('click', () => add(x, b));
      buttons.push([x, b]);
      return h('li', { class: 'proposal', dataset: { day: str(x.day), time: str(x.time) } },
        h('strong', { text: dayName(x.day) + ' ' + str(x.time) + ' ' + str(x.zone) }),
        h('span', { class: 'muted', text: ' · ' + num(x.mean) + ' views in the first week on average, ' + x.n + ' items ' }), b);
    })));
    const all = h('button', { type: 'button', id: 'best-propose-all', text: 'Add all as queue slots' });
    all.addEventListener('click', async () => {
      all.disabled = true;
      for (const [x, b] of buttons) if (!x.exists) await add(x, b);
    });
    list.append(h('div', { class: 'toolbar' }, all, h('a', { href: '#/queue', text: 'See the queue’s slots' })));
  }
  sel.addEventListener('change', load);
  load();
  return { el: box, reload: (r) => { range = r; load(); } };
}

// Compose's "Add to queue" button: a second submit button of the form.
// The form's submit handler tells the two apart with isQueue(ev) and then
// sends "queue": true instead of the date and time (queueBody).
export function queueButton() {
  return h('button', { type: 'submit', id: 'compose-queue', class: 'button-quiet',
    title: 'Put the post in each account’s next free posting slot (see the Queue page)', text: 'Add to queue' });
}

export function isQueue(ev) {
  return !!(ev && ev.submitter && ev.submitter.id === 'compose-queue');
}

// A post body b for the queue: the server picks the time.
export function queueBody(b) {
  const q = { ...b, queue: true };
  for (const k of ['at', 'zone', 'fold', 'shift_gap', 'draft']) delete q[k];
  return q;
}
