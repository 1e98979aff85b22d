// The date range the overview and best-time pages share: 7/28/90/365 days
// back from today, or custom from/to dates (UTC days). Kept for the tab.

import { h } from './dom.js';

const KEY = 'mediadash.range';
const PRESETS = ['7', '28', '90', '365'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function getRange(fallback = '28') {
  try {
    const r = JSON.parse(sessionStorage.getItem(KEY) || 'null');
    if (r && PRESETS.includes(r.days)) return { days: r.days };
    if (r && r.days === 'custom' && DATE.test(r.from) && DATE.test(r.to)) return r;
  } catch (e) { /* ignore a bad stored value */ }
  return { days: fallback };
}

function saveRange(r) {
  try { sessionStorage.setItem(KEY, JSON.stringify(r)); } catch (e) { /* private mode */ }
}

// API parameters for a range: {range: "28d"} or {from, to}.
export function rangeParams(r) {
  return r.days === 'custom' ? { from: r.from, to: r.to } : { range: r.days + 'd' };
}

export function rangeLabel(r) {
  return r.days === 'custom' ? r.from + ' to ' + r.to : 'last ' + r.days + ' days';
}

// The picker: select#range plus from/to inputs shown for "custom".
// onChange(range) runs when the user picks a valid range.
export function rangePicker(current, onChange) {
  const today = new Date().toISOString().slice(0, 10);
  const select = h('select', { id: 'range', 'aria-label': 'Date range' },
    PRESETS.map((d) => h('option', { value: d, text: 'Last ' + d + ' days' })),
    h('option', { value: 'custom', text: 'Custom…' }));
  select.value = current.days;
  const from = h('input', { type: 'date', id: 'range-from', 'aria-label': 'From', max: today,
    value: current.from || '' });
  const to = h('input', { type: 'date', id: 'range-to', 'aria-label': 'To', max: today,
    value: current.to || today });
  const apply = h('button', { type: 'button', id: 'range-apply', text: 'Apply' });
  const msg = h('span', { class: 'error', role: 'alert' });
  const custom = h('span', { class: 'range-custom' }, from, to, apply, msg);
  custom.hidden = current.days !== 'custom';

  select.addEventListener('change', () => {
    if (select.value === 'custom') {
      custom.hidden = false;
      from.focus();
      return;
    }
    custom.hidden = true;
    const r = { days: select.value };
    saveRange(r);
    onChange(r);
  });
  apply.addEventListener('click', () => {
    msg.textContent = '';
    if (!DATE.test(from.value) || !DATE.test(to.value)) {
      msg.textContent = 'Pick both dates.';
      return;
    }
    if (from.value > to.value) {
      msg.textContent = '“From” is after “to”.';
      return;
    }
    const r = { days: 'custom', from: from.value, to: to.value };
    saveRange(r);
    onChange(r);
  });
  return h('div', { class: 'range-picker' }, h('label', { for: 'range', text: 'Range' }), select, custom);
}
