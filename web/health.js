// Health (#/health): the creator's Oura data over the chosen range, apart
// from the social pages: daily sleep, readiness and activity scores and
// their trends, sleep duration and the lowest (resting) heart rate, the
// night's blood oxygen (SpO2 average), the day's sessions (meditation,
// breathing, ...: count and minutes), the day's heart rate (lowest, mean
// and highest of its samples, sessions' included) and workouts (count,
// minutes, calories), from /api/v1/health/days; and one comparison, content's first-day views on
// days of high vs low readiness and sleep score, from
// /api/v1/health/compare. Both routes take a login session only.

import { api, apiOptional, ApiError, qs } from './api.js';
import { h, clear, num, str, emptyState, errorBox, fmtDay, PLATFORM_INFO, platformName } from './dom.js';
import { getRange, rangeParams, rangeLabel, rangePicker } from './range.js';
import { dayChart } from './charts.js';

// The health sources' names ("Oura"): the registered platforms that are
// not social (GET /api/v1/platforms), so that this page names none.
function sourceName() {
  const other = Object.keys(PLATFORM_INFO).filter((p) => PLATFORM_INFO[p].kind !== 'social').map(platformName);
  return other.length ? other.join(' / ') : 'health source';
}

function hours(s) {
  return typeof s === 'number' ? (s / 3600).toFixed(1) + ' h' : '–';
}

function score(v) {
  return typeof v === 'number' ? String(v) : '–';
}

function avg(list, key) {
  const v = list.map((d) => d[key]).filter((x) => typeof x === 'number');
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
}

function minutes(s) {
  return Math.round(s / 60);
}

// "2 · 15 min", or "–" on a day without a session.
function sessionText(d) {
  return typeof d.sessions === 'number' && d.sessions > 0
    ? d.sessions + ' · ' + minutes(d.session_s) + ' min' : '–';
}

// "2 · 75 min · 540 kcal", or "–" on a day without a workout.
function workoutText(d) {
  if (typeof d.workouts !== 'number' || d.workouts <= 0) return '–';
  return d.workouts + ' · ' + minutes(d.workout_s) + ' min' +
    (typeof d.workout_calories === 'number' ? ' · ' + Math.round(d.workout_calories) + ' kcal' : '');
}

// "52–131 (68)" bpm: the day's lowest–highest (mean) sample, or "–".
function hrText(d) {
  return typeof d.hr_min === 'number' && typeof d.hr_max === 'number'
    ? d.hr_min + '–' + d.hr_max + (typeof d.hr_avg === 'number' ? ' (' + Math.round(d.hr_avg) + ')' : '') : '–';
}

function sum(list, key) {
  return list.reduce((a, d) => a + (typeof d[key] === 'number' ? d[key] : 0), 0);
}

function pct(v) {
  return typeof v === 'number' ? v.toFixed(1) + '%' : '–';
}

function card(label, value, sub) {
  return h('div', { class: 'stat', title: sub },
    h('span', { class: 'stat-label', text: label }),
    h('span', { class: 'stat-value', text: value }),
    h('span', { class: 'stat-label', text: sub }));
}

function cards(days) {
  const r = (v) => (v === null ? '–' : String(Math.round(v)));
  return h('div', { class: 'totals', id: 'health-cards' },
    card('Sleep score', r(avg(days, 'sleep_score')), 'average'),
    card('Readiness', r(avg(days, 'readiness_score')), 'average'),
    card('Activity', r(avg(days, 'activity_score')), 'average'),
    card('Sleep', hours(avg(days, 'sleep_s')), 'average a night'),
    card('Resting heart rate', avg(days, 'lowest_hr') === null ? '–' : r(avg(days, 'lowest_hr')) + ' bpm', 'lowest in sleep, average'),
    card('Blood oxygen', pct(avg(days, 'spo2_average')), 'SpO2, average a night'),
    card('Sessions', String(days.reduce((a, d) => a + (d.sessions || 0), 0)),
      minutes(days.reduce((a, d) => a + (d.session_s || 0), 0)) + ' min in all'),
    card('Heart rate', avg(days, 'hr_avg') === null ? '–' : r(avg(days, 'hr_avg')) + ' bpm', 'mean of the days\' means'),
    card('Workouts', String(sum(days, 'workouts')), minutes(sum(days, 'workout_s')) + ' min, ' +
      Math.round(sum(days, 'workout_calories')) + ' kcal in all'));
}

function dayTable(days) {
  const head = ['Day', 'Sleep', 'Readiness', 'Activity', 'Slept', 'Lowest HR', 'SpO2', 'Sessions', 'Heart rate', 'Workouts', 'Steps'];
  return h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Health by day' },
    h('table', { class: 'data', id: 'health-table' },
      h('thead', {}, h('tr', {}, head.map((t, i) => h('th', { scope: 'col', class: i ? 'num' : '', text: t })))),
      h('tbody', {}, days.slice().reverse().map((d) => h('tr', { 'data-day': str(d.day) },
        h('td', { text: fmtDay(d.day) }),
        h('td', { class: 'num', text: score(d.sleep_score) }),
        h('td', { class: 'num', text: score(d.readiness_score) }),
        h('td', { class: 'num', text: score(d.activity_score) }),
        h('td', { class: 'num', text: hours(d.sleep_s) }),
        h('td', { class: 'num', text: typeof d.lowest_hr === 'number' ? d.lowest_hr + ' bpm' : '–' }),
        h('td', { class: 'num', text: pct(d.spo2_average) }),
        h('td', { class: 'num', text: sessionText(d) }),
        h('td', { class: 'num nowrap', text: hrText(d) }),
        h('td', { class: 'num nowrap', text: workoutText(d) }),
        h('td', { class: 'num', text: typeof d.steps === 'number' ? num(d.steps) : '–' }))))));
}

function groupCell(g) {
  if (!g || !g.items) return h('td', { class: 'num', text: 'no content' });
  return h('td', { class: 'num' },
    h('strong', { text: num(Math.round(g.avg_first_day_views)) }), h('br'),
    h('span', { class: 'muted', text: g.items + (g.items === 1 ? ' item, ' : ' items, ') + g.days + (g.days === 1 ? ' day' : ' days') }));
}

function compareView(c) {
  const hi = c.high_at_least, lo = c.low_below;
  return h('section', { id: 'health-compare', 'aria-labelledby': 'health-compare-h' },
    h('h2', { id: 'health-compare-h', text: 'Sleep and readiness vs performance' }),
    h('p', { class: 'muted', text: `Average first-day views of the content you published on days when ${sourceName()}'s score was high (${hi} or more) or low (under ${lo}). Each figure says how many items and days are behind it.` }),
    h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Scores vs first-day views' },
      h('table', { class: 'data', id: 'health-compare-table' },
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col', text: 'Score' }),
          h('th', { scope: 'col', class: 'num', text: `High (≥ ${hi})` }),
          h('th', { scope: 'col', class: 'num', text: `Low (< ${lo})` }))),
        h('tbody', {},
          h('tr', { 'data-score': 'readiness' }, h('th', { scope: 'row', text: 'Readiness' }), groupCell(c.readiness.high), groupCell(c.readiness.low)),
          h('tr', { 'data-score': 'sleep' }, h('th', { scope: 'row', text: 'Sleep score' }), groupCell(c.sleep.high), groupCell(c.sleep.low))))),
    h('p', { class: 'note', text: 'This sets averages side by side; it does not say that sleep or readiness caused them. Topic, timing and luck change a day’s views too, and a few days prove little.' }));
}

export async function render(view, args, params, ctx) {
  let range = getRange();
  const body = h('div', { id: 'health-body' });
  view.appendChild(h('section', { id: 'health' },
    h('div', { class: 'page-head' }, h('h1', { text: 'Health' }),
      rangePicker(range, (r) => { range = r; draw(); })),
    h('p', { class: 'muted', text: 'Your ' + sourceName() + ' data: personal, stored apart from your social data and in none of its totals or exports.' }),
    body));

  async function draw() {
    let days, cmp;
    try {
      const q = qs(rangeParams(range));
      [days, cmp] = await Promise.all([api('/api/v1/health/days' + q), api('/api/v1/health/compare' + q)]);
    } catch (e) {
      if (ctx && ctx.stale()) return;
      if (e instanceof ApiError && e.status === 401) return;
      clear(body);
      body.appendChild(errorBox(e));
      return;
    }
    if (ctx && ctx.stale()) return;
    clear(body);
    const list = Array.isArray(days && days.days) ? days.days.filter((d) => d && typeof d.day === 'string') : [];
    if (!list.length) {
      body.appendChild(emptyState('No health data in ' + rangeLabel(range),
        'Import saved ' + sourceName() + ' pages with mediadash import, or pick a longer range.'));
      return;
    }
    body.appendChild(cards(list));
    const scores = h('div', { class: 'chart', id: 'health-scores-chart', role: 'img', 'aria-label': 'Sleep, readiness and activity scores by day' });
    const sleep = h('div', { class: 'chart', id: 'health-sleep-chart', role: 'img', 'aria-label': 'Hours slept and lowest heart rate by day' });
    body.appendChild(h('h2', { text: 'Scores' }));
    body.appendChild(scores);
    body.appendChild(h('h2', { text: 'Sleep and resting heart rate' }));
    body.appendChild(sleep);
    const oxygen = h('div', { class: 'chart', id: 'health-spo2-chart', role: 'img', 'aria-label': 'Blood oxygen (SpO2 average) a night and session minutes by day' });
    body.appendChild(h('h2', { text: 'Blood oxygen and sessions' }));
    body.appendChild(oxygen);
    const heart = h('div', { class: 'chart', id: 'health-hr-chart', role: 'img', 'aria-label': 'Lowest, mean and highest heart rate by day' });
    const workouts = h('div', { class: 'chart', id: 'health-workout-chart', role: 'img', 'aria-label': 'Workout minutes and calories by day' });
    const anyHr = list.some((d) => typeof d.hr_min === 'number');
    const anyWorkout = list.some((d) => d.workouts > 0);
    body.appendChild(h('h2', { text: 'Heart rate' }));
    body.appendChild(anyHr ? heart : h('p', { class: 'muted', id: 'health-hr-empty', text: 'No heart rate samples in this range.' }));
    body.appendChild(h('h2', { text: 'Workouts' }));
    body.appendChild(anyWorkout ? workouts : h('p', { class: 'muted', id: 'health-workout-empty', text: 'No workouts in this range.' }));
    const x = list.map((d) => d.day);
    const col = (k, f = (v) => v) => list.map((d) => (typeof d[k] === 'number' ? f(d[k]) : null));
    dayChart(scores, x, [
      { label: 'Sleep', key: 'sleep', values: col('sleep_score') },
      { label: 'Readiness', key: 'readiness', values: col('readiness_score') },
      { label: 'Activity', key: 'activity', values: col('activity_score') }], { height: 220 });
    dayChart(sleep, x, [
      { label: 'Hours slept', key: 'hours', values: col('sleep_s', (s) => Math.round(s / 36) / 100) },
      { label: 'Lowest heart rate (bpm)', key: 'hr', values: col('lowest_hr'), scale: 'right' }], { height: 220 });
    dayChart(oxygen, x, [
      { label: 'SpO2 average (%)', key: 'spo2', values: col('spo2_average') },
      { label: 'Session minutes', key: 'sessions', values: col('session_s', minutes), scale: 'right' }], { height: 220 });
    if (anyHr) {
      dayChart(heart, x, [
        { label: 'Highest (bpm)', key: 'hr-max', values: col('hr_max') },
        { label: 'Mean (bpm)', key: 'hr-avg', values: col('hr_avg', (v) => Math.round(v * 10) / 10) },
        { label: 'Lowest (bpm)', key: 'hr-min', values: col('hr_min') }], { height: 220 });
    }
    if (anyWorkout) {
      // a day without a workout is 0 minutes, not a gap
      const zero = (k, f) => list.map((d) => (typeof d[k] === 'number' ? f(d[k]) : 0));
      dayChart(workouts, x, [
        { label: 'Workout minutes', key: 'wo-min', values: zero('workout_s', minutes) },
        { label: 'Calories (kcal)', key: 'wo-kcal', values: zero('workout_calories', Math.round), scale: 'right', dash: [6, 4] }],
        { height: 220 });
    }
    body.appendChild(dayTable(list));
    if (cmp && cmp.readiness && cmp.sleep) body.appendChild(compareView(cmp));
  }
  await draw();
}

// Show the nav entry only when there is health data (status is cheap).
export async function showNav(link) {
  try {
    const s = await apiOptional('/api/v1/health/status');
    link.hidden = !(s && s.has_data);
  } catch (e) {
    link.hidden = true;
  }
}
