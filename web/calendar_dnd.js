// Rescheduling in the calendar (issue 14): drag a post onto another day
// (week and month views), or with the keyboard: focus a post and press
// Shift+Arrow Left/Right to move it a day, Shift+Arrow Up/Down a week,
// and Alt+Arrow Up/Down an hour (Alt+Left is the browser's Back). The
// post keeps its own zone and wall time of day; only the date (or the
// hour) changes, then the same DST
// rules as Compose apply: a wall time that does not exist on the new day
// is asked about, one that occurs twice needs a choice. Only drafts and
// scheduled posts move; others say why they cannot.

import { ApiError } from './api.js';
import { h, str } from './dom.js';
import { wall } from './schedule.js';
import { EDITABLE, timeChoice, patchPost, conflictText } from './postedit.js';

const MIME = 'application/x-mediadash-post';
let focusAfter = null; // the post to focus once the calendar is drawn again

// Whole days from date a to date b ("YYYY-MM-DD").
function daysBetween(a, b) {
  return Math.round((Date.parse(b + 'T12:00:00Z') - Date.parse(a + 'T12:00:00Z')) / 86400000);
}

// "YYYY-MM-DD HH:MM" of the wall time `local` ("YYYY-MM-DD HH:MM:SS")
// moved by days and minutes (calendar arithmetic on the wall clock).
function shiftWall(local, days, minutes) {
  const t = Date.parse(local.slice(0, 10) + 'T' + local.slice(11, 16) + ':00Z') + days * 86400000 + minutes * 60000;
  return new Date(t).toISOString().slice(0, 16).replace('T', ' ');
}

function redraw() {
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

// Move post p to the wall time `at` in its own zone, asking in `askBox`
// when DST needs a choice; messages go to say(text, isError).
async function moveTo(p, at, askBox, say) {
  if (!EDITABLE.has(p.state)) {
    say('“' + str(p.title) + '” is ' + str(p.state) + ': only drafts and scheduled posts can be moved.', true);
    return;
  }
  try {
    const c = await timeChoice(askBox, at, str(p.zone));
    if (c === null) { say('Not moved.', false); return; }
    const r = await patchPost(p, { at, zone: str(p.zone), ...c });
    say('Moved “' + str(p.title) + '” to ' + str(r.post.local_time).slice(0, 16) + ' ' + str(r.post.zone) +
      ' (' + str(r.post.publish_at) + ').', false);
    focusAfter = String(p.id);
    redraw();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return;
    say(e.status === 409 ? conflictText(e) : e.message, true);
    if (e.status === 409) { focusAfter = String(p.id); redraw(); }
  }
}

const KEYS = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [-7, 0], ArrowDown: [7, 0] };

// Make the chips in grid draggable and its days drop targets. posts: the
// posts shown; zone: the calendar's zone; askBox and status: elements for
// questions and messages (status stays for the next draw, see below).
export function enableMoves(grid, posts, zone, askBox, status) {
  const byId = new Map(posts.map((p) => [String(p.id), p]));
  const say = (text, bad) => {
    status.textContent = text;
    status.classList.toggle('error', !!bad);
    sessionStorage.setItem('calendar-status', JSON.stringify({ text, bad: !!bad }));
  };
  const kept = sessionStorage.getItem('calendar-status');
  if (kept) {
    sessionStorage.removeItem('calendar-status');
    try { const k = JSON.parse(kept); status.textContent = str(k.text); status.classList.toggle('error', !!k.bad); } catch (e) { /* ignore */ }
  }
  for (const chip of grid.querySelectorAll('.cal-post')) {
    const p = byId.get(chip.dataset.post);
    if (!p) continue;
    const movable = EDITABLE.has(p.state);
    chip.draggable = movable;
    chip.setAttribute('aria-keyshortcuts', 'Shift+ArrowLeft Shift+ArrowRight Shift+ArrowUp Shift+ArrowDown Alt+ArrowUp Alt+ArrowDown');
    if (movable) chip.classList.add('cal-movable');
    chip.addEventListener('dragstart', (ev) => {
      ev.dataTransfer.setData(MIME, chip.dataset.post);
      ev.dataTransfer.setData('text/plain', chip.dataset.post);
      ev.dataTransfer.effectAllowed = 'move';
      grid.classList.add('cal-dragging');
    });
    chip.addEventListener('dragend', () => grid.classList.remove('cal-dragging'));
    chip.addEventListener('keydown', (ev) => {
      const k = KEYS[ev.key];
      const hour = ev.altKey && !ev.shiftKey && (ev.key === 'ArrowUp' || ev.key === 'ArrowDown');
      if (!k || (!hour && !(ev.shiftKey && !ev.altKey && !ev.ctrlKey && !ev.metaKey))) return;
      ev.preventDefault();
      const minutes = hour ? (ev.key === 'ArrowUp' ? -60 : 60) : 0;
      moveTo(p, shiftWall(str(p.local_time), hour ? 0 : k[0], minutes), askBox, say);
    });
    // The grid is put on the page right after this returns.
    if (focusAfter === chip.dataset.post) { focusAfter = null; setTimeout(() => chip.focus(), 0); }
  }
  for (const day of grid.querySelectorAll('.cal-day')) {
    day.addEventListener('dragover', (ev) => {
      if (![...ev.dataTransfer.types].includes(MIME)) return;
      ev.preventDefault();
      day.classList.add('cal-drop');
    });
    day.addEventListener('dragleave', () => day.classList.remove('cal-drop'));
    day.addEventListener('drop', (ev) => {
      ev.preventDefault();
      day.classList.remove('cal-drop');
      const p = byId.get(ev.dataTransfer.getData(MIME));
      const w = p ? wall(p.publish_at, zone) : null;
      if (!p || !w || w.date === day.dataset.date) return;
      moveTo(p, shiftWall(str(p.local_time), daysBetween(w.date, day.dataset.date), 0), askBox, say);
    });
  }
}

// The line under the calendar that says how to move posts.
export function moveHint() {
  return h('p', { id: 'calendar-move-hint', class: 'muted small',
    text: 'Drag a draft or scheduled post to another day to move it (same time of day), or focus it and press Shift+←/→ (a day), Shift+↑/↓ (a week), Alt+↑/↓ (an hour).' });
}
