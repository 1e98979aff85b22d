// The Health page (issue 16, part oura) in the browser: its nav entry
// shows because health data exists (run.sh imports 21 days of Oura
// pages), the page draws the score cards, its five charts and the day
// table, with each night's SpO2 average, each day's sessions (count and
// minutes), heart rate (lowest–highest and mean, a meditation's own
// samples counted) and workouts (count, minutes, calories) as the API
// gives them,
// and the sleep/readiness vs performance view gives the API's figures
// with the days and items behind them and says it claims no cause. The
// social overview shows no health figure. Desktop and 375 px screenshots,
// no sideways scroll on the phone, no axe-core violation at either width
// (in a browser of its own that bypasses the CSP, as present.mjs does).

import { axeViolations, withAxeBrowser } from './present.mjs';

// The figure the view shows for one group: "1.2K · 3 items, 2 days".
function cellText(page, score, col) {
    return page.locator(`#health-compare-table tr[data-score="${score}"] td`).nth(col).textContent();
}

// axe-core on the Health page at desktop width and 375 px (present.mjs's
// CSP-bypassing browser): [violation lines].
async function axeHealth(h) {
    return withAxeBrowser(h, async (ctx) => {
        const out = [];
        for (const [name, width] of [['desktop', 1280], ['phone', 375]]) {
            const p = await ctx.newPage();
            p.setDefaultTimeout(15000);
            await p.setViewportSize({ width, height: 812 });
            h.watch(p, 'health-axe-' + name);
            await p.goto(h.BASE + '/#/health');
            await p.locator('#health-compare-table').waitFor({ state: 'visible' });
            await h.idle(p);
            out.push(...(await axeViolations(h, p, 4)).map((l) => name + ': ' + l));
            await p.close();
        }
        return out;
    });
}

export async function healthSteps(h) {
    const { page, context, step, check, poll, shot, watch, drawnChart, idle, BASE } = h;

    await step('health: the nav entry shows with health data; the page draws scores, charts and days', async () => {
        await page.goto(BASE + '/#/');
        const link = page.locator('#nav-health');
        await poll(async () => (await link.isVisible()) || null, 'the Health nav entry to show');
        await link.click();
        await page.locator('#health-cards').waitFor({ state: 'visible' });
        await drawnChart(page, '#health-scores-chart');
        await drawnChart(page, '#health-sleep-chart', 100);
        const rows = await page.locator('#health-table tbody tr').count();
        check(rows === 21, `the day table has ${rows} rows, want 21 (the imported days)`);
        const cards = (await page.locator('#health-cards').textContent()) || '';
        check(cards.includes('Readiness') && cards.includes('bpm') && /\d\.\d h/.test(cards),
            `cards: ${cards}`);
        await idle(page);
        await shot(page, '80-health');
    });

    await step('health: blood oxygen a night and sessions a day: chart, cards and table rows as the API gives them', async () => {
        const api = await page.evaluate(async () => {
            const r = await fetch('/api/v1/health/days?range=28d');
            return r.ok ? r.json() : null;
        });
        check(api && Array.isArray(api.days), 'GET /api/v1/health/days failed');
        const days = api.days.filter((d) => d.sleep_score !== null);
        const withBoth = days.filter((d) => typeof d.spo2_average === 'number' && d.sessions === 2);
        const without = days.filter((d) => d.spo2_average === null && d.sessions === 0);
        check(withBoth.length > 0 && without.length === 1,
            `run.sh's days: ${withBoth.length} with SpO2 and 2 sessions, ${without.length} with neither (want 1)`);
        await drawnChart(page, '#health-spo2-chart', 100);
        for (const d of [withBoth[0], without[0]]) {
            const cells = await page.locator(`#health-table tr[data-day="${d.day}"] td`).allTextContents();
            const want = [typeof d.spo2_average === 'number' ? d.spo2_average.toFixed(1) + '%' : '–',
                d.sessions ? `${d.sessions} · ${Math.round(d.session_s / 60)} min` : '–'];
            check(cells[6] === want[0] && cells[7] === want[1],
                `${d.day}: SpO2 "${cells[6]}", sessions "${cells[7]}"; want "${want[0]}", "${want[1]}"`);
        }
        check(withBoth[0].session_s === 900, `two sessions of 10 and 5 min: ${withBoth[0].session_s} s`);
        const n = days.reduce((a, d) => a + d.sessions, 0);
        const mins = Math.round(days.reduce((a, d) => a + d.session_s, 0) / 60);
        const cards = (await page.locator('#health-cards').textContent()) || '';
        check(cards.includes('Blood oxygen') && /\d\.\d%/.test(cards) && cards.includes(`Sessions${n}${mins} min in all`),
            `cards lack the SpO2 average or ${n} sessions, ${mins} min: ${cards}`);
        await page.locator('#health-spo2-chart').scrollIntoViewIfNeeded();
        await idle(page);
        await shot(page, '88-health-spo2');
    });

    await step('health: heart rate a day (a meditation\'s own samples in it) and workouts: charts, cards and table as the API gives them', async () => {
        const api = await page.evaluate(async () => {
            const r = await fetch('/api/v1/health/days?range=28d');
            return r.ok ? r.json() : null;
        });
        check(api && Array.isArray(api.days), 'GET /api/v1/health/days failed');
        const days = api.days.filter((d) => d.sleep_score !== null);
        // run.sh: six samples a day, and nine more on a meditation's day
        // (every day with two sessions has one; a day without has none)
        const both = days.filter((d) => d.sessions === 2);
        const none = days.filter((d) => d.sessions === 0);
        check(both.length > 0 && both.every((d) => d.hr_samples === 15) && none.every((d) => d.hr_samples === 6),
            `heart rate samples a day: ${JSON.stringify(days.map((d) => [d.day, d.sessions, d.hr_samples]))}`);
        check(both.every((d) => d.hr_min <= 58 && d.hr_max >= 95), `a day's lowest/highest: ${JSON.stringify(both[0])}`);
        const runs = days.filter((d) => d.workouts > 0);
        check(runs.length === 6 && runs.every((d) => d.workouts === 1 && d.workout_s === 2700),
            `a 45 min run every fourth day of 21 (6): ${JSON.stringify(runs.map((d) => [d.day, d.workouts, d.workout_s]))}`);
        await page.locator('#health-hr-chart').scrollIntoViewIfNeeded();
        await drawnChart(page, '#health-hr-chart', 100);
        await drawnChart(page, '#health-workout-chart', 100);
        const rest = days.find((d) => !d.workouts);
        for (const d of [runs[0], rest]) {
            const cells = await page.locator(`#health-table tr[data-day="${d.day}"] td`).allTextContents();
            const want = [`${d.hr_min}–${d.hr_max} (${Math.round(d.hr_avg)})`,
                d.workouts ? `1 · 45 min · ${Math.round(d.workout_calories)} kcal` : '–'];
            check(cells[8] === want[0] && cells[9] === want[1],
                `${d.day}: heart rate "${cells[8]}", workouts "${cells[9]}"; want "${want[0]}", "${want[1]}"`);
        }
        const kcal = Math.round(runs.reduce((a, d) => a + d.workout_calories, 0));
        const cards = (await page.locator('#health-cards').textContent()) || '';
        check(cards.includes(`Workouts${runs.length}${runs.length * 45} min, ${kcal} kcal in all`),
            `cards lack ${runs.length} workouts, ${kcal} kcal: ${cards}`);
        await idle(page);
        await shot(page, '90-health-hr-workouts');
        const phone = await context.newPage();
        watch(phone, 'health-hr-phone');
        try {
            await phone.setViewportSize({ width: 375, height: 812 });
            await phone.goto(BASE + '/#/health');
            await phone.locator('#health-cards').waitFor({ state: 'visible' });
            await phone.locator('#health-hr-chart').scrollIntoViewIfNeeded();
            await drawnChart(phone, '#health-hr-chart', 100);
            await drawnChart(phone, '#health-workout-chart', 100);
            const w = await phone.evaluate(() => [document.scrollingElement.scrollWidth, window.innerWidth]);
            check(w[0] <= w[1], `the Health page is ${w[0]} px wide in a ${w[1]} px viewport`);
            await idle(phone);
            await shot(phone, '91-health-hr-workouts-phone');
        } finally {
            await phone.close();
        }
    });

    await step('health: the comparison view gives the API figures, days behind each, and no claim of cause', async () => {
        const api = await page.evaluate(async () => {
            const r = await fetch('/api/v1/health/compare?range=28d');
            return r.ok ? r.json() : null;
        });
        check(api && api.readiness && api.sleep, 'GET /api/v1/health/compare failed');
        check(api.readiness.high.items > 0 && api.readiness.low.items > 0,
            `the demo has content on high and low days: ${JSON.stringify(api.readiness)}`);
        for (const [score, col, g] of [['readiness', 0, api.readiness.high], ['readiness', 1, api.readiness.low],
            ['sleep', 0, api.sleep.high], ['sleep', 1, api.sleep.low]]) {
            const t = (await cellText(page, score, col)) || '';
            check(t.includes(`${g.items} item`) && t.includes(`${g.days} day`),
                `${score} ${col ? 'low' : 'high'}: "${t}" lacks ${g.items} items, ${g.days} days`);
        }
        const view = (await page.locator('#health-compare').textContent()) || '';
        check(view.includes('does not say that sleep or readiness caused'), 'no "no claim of cause" note');
        await page.locator('#health-compare').scrollIntoViewIfNeeded();
        await shot(page, '81-health-compare');
    });

    await step('health: 375 px phone: no sideways scroll, no axe violation; the overview shows no health figure', async () => {
        const phone = await context.newPage();
        watch(phone, 'health-phone');
        try {
            await phone.setViewportSize({ width: 375, height: 812 });
            await phone.goto(BASE + '/#/health');
            await phone.locator('#health-compare-table').waitFor({ state: 'visible' });
            await drawnChart(phone, '#health-scores-chart');
            await idle(phone);
            const w = await phone.evaluate(() => [document.scrollingElement.scrollWidth, window.innerWidth]);
            check(w[0] <= w[1], `the Health page is ${w[0]} px wide in a ${w[1]} px viewport`);
            await shot(phone, '82-health-phone');
            await drawnChart(phone, '#health-spo2-chart', 100);
            await phone.locator('#health-spo2-chart').scrollIntoViewIfNeeded();
            await idle(phone);
            await shot(phone, '89-health-spo2-phone');
            await phone.goto(BASE + '/#/');
            await phone.locator('#overview').waitFor({ state: 'visible' });
            await idle(phone);
            const text = (await phone.locator('#view').textContent()) || '';
            check(!/readiness|sleep score/i.test(text), 'the overview mentions health data');
        } finally {
            await phone.close();
        }
    });

    await step('health: the Import page takes an Oura page and says it went to the health data', async () => {
        // a day long before the 21 imported ones: the Health page's range is unchanged
        const doc = { data: [{ id: 'e2e-import-1', day: '2020-01-06', timestamp: '2020-01-06T04:00:00+00:00',
            score: 77, contributors: { deep_sleep: 70, total_sleep: 72 } }], next_token: null };
        const file = { name: 'oura_daily_sleep.json', mimeType: 'application/json',
            buffer: Buffer.from(JSON.stringify(doc)) };
        for (const [p, name] of [[page, '83-health-import'], [null, '84-health-import-phone']]) {
            const tab = p || await context.newPage();
            if (!p) {
                watch(tab, 'health-import-phone');
                await tab.setViewportSize({ width: 375, height: 812 });
            }
            try {
                await tab.goto(BASE + '/#/import');
                await tab.setInputFiles('#import-file', file);
                await tab.click('#import-submit');
                const text = await poll(async () => {
                    const t = (await tab.locator('#import-result').textContent()) || '';
                    return t.includes('oura.daily_sleep') ? t : null;
                }, '#import-result to name oura.daily_sleep');
                check(text.includes('stored in the health data') && text.includes('1 document(s)'),
                    `#import-result: ${text}`);
                check(!(await tab.locator('#import-error').isVisible()), '#import-error is shown');
                await idle(tab);
                await shot(tab, name);
            } finally {
                if (!p) await tab.close();
            }
        }
        const api = await page.evaluate(async () => {
            const r = await fetch('/api/v1/health/days?from=2020-01-06&to=2020-01-06');
            return r.ok ? r.json() : null;
        });
        check(api && api.days.length === 1 && api.days[0].sleep_score === 77,
            `GET /api/v1/health/days after the import: ${JSON.stringify(api)}`);
    });

    await step('health: no axe-core violation on the Health page, desktop and 375 px', async () => {
        const v = await axeHealth(h);
        check(v.length === 0, 'axe on the Health page:\n    ' + v.join('\n    '));
    });
}
