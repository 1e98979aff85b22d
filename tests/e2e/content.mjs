// Browser steps for issue 11 part 2 (spikes, best time, the item page):
// best time per platform with item counts and too-few slots, as a table;
// its "Schedule in this slot" link pre-filling Compose; a video a day old
// (run.sh imports it with hourly snapshots) charted per hour; the demo's
// deleted video marked removed on its page and in the Content table; the
// heatmap at 375 px with the best slot in view.

export async function contentSteps({ page, context, step, check, poll, idle, shot, watch,
    drawnChart, xAxis, BASE, STEP_MS }) {
    const getJson = (path) => page.evaluate(async (p) => (await fetch(p)).json(), path);

    await step('best time: per platform, item counts, too few, a table', async () => {
        const answer = page.waitForResponse((r) => r.url().includes('/api/v1/heatmap') && r.url().includes('platform=youtube'));
        await page.goto(BASE + '/#/best-time?platform=youtube');
        const hm = await (await answer).json();
        await poll(async () => (await page.locator('#heatmap td.heat-cell').count()) === 168, '168 cells');
        check(await page.locator('#best-platform').inputValue() === 'youtube', 'the platform filter does not show youtube');
        check(hm.platform === 'youtube' && Number.isInteger(hm.min_n), `heatmap answer: ${JSON.stringify(hm).slice(0, 200)}`);
        check(await page.locator('#heatmap tbody tr').count() === 7, 'not 7 rows');
        check(await page.locator('#heatmap thead th').count() === 25, 'not 25 column headers');
        check(await page.locator('#heatmap [role=gridcell], #heatmap [role=grid]').count() === 0, 'grid roles left over');
        // Every cell shows its slot's item count; slots under the minimum are "too few".
        const cells = await page.$$eval('#heatmap td.heat-cell', (cs) => cs.map((c) => ({
            d: Number(c.dataset.weekday), h: Number(c.dataset.hour), text: c.textContent, few: c.classList.contains('heat-few') })));
        let items = 0;
        let few = 0;
        for (const b of hm.buckets) {
            const c = cells.find((x) => x.d === b.weekday && x.h === b.hour);
            check(c, `no cell for ${b.weekday}/${b.hour}`);
            check(c.text === (b.n ? String(b.n) : ''), `cell ${b.weekday}/${b.hour} shows "${c.text}", API n=${b.n}`);
            check(c.few === (b.n > 0 && b.n < hm.min_n), `cell ${b.weekday}/${b.hour}: too-few mark ${c.few} for n=${b.n}`);
            items += b.n;
            if (c.few) few++;
        }
        check(items > 0, 'no YouTube item in the heatmap');
        console.log(`     youtube: ${items} items, ${few} slots too few (min ${hm.min_n}), best ${JSON.stringify(hm.best)}`);
        // The platform filter narrows it: all platforms hold more items.
        const all = await getJson('/api/v1/heatmap?range=365d');
        const yt = await getJson('/api/v1/heatmap?range=365d&platform=youtube');
        const sum = (x) => x.buckets.reduce((s, b) => s + b.n, 0);
        check(sum(all) > sum(yt), `all platforms ${sum(all)} items, youtube ${sum(yt)}`);
        await idle(page);
        await shot(page, '08c-best-time-youtube');
    });

    await step('best time: "Schedule in this slot" opens Compose at the next such slot', async () => {
        await page.goto(BASE + '/#/best-time');
        await page.locator('#heatmap').waitFor({ state: 'visible' });
        await idle(page);
        const link = page.locator('#best-schedule');
        check(await link.count() === 1, 'no "Schedule in this slot" link (no best slot?)');
        const best = page.locator('#heatmap td.heat-best');
        const wd = Number(await best.getAttribute('data-weekday'));
        const hr = Number(await best.getAttribute('data-hour'));
        const href = await link.getAttribute('href');
        const q = new URLSearchParams(href.slice(href.indexOf('?') + 1));
        check(q.get('time') === String(hr).padStart(2, '0') + ':00', `link time ${q.get('time')} for hour ${hr}`);
        check(new Date(q.get('date') + 'T12:00:00Z').getUTCDay() === wd, `link date ${q.get('date')} is not weekday ${wd}`);
        const ahead = (Date.parse(q.get('date') + 'T00:00:00Z') - Date.now()) / 86400000;
        check(ahead > -1.1 && ahead <= 7, `link date ${q.get('date')} is not within the next week`);
        await link.click();
        await page.locator('#compose-date').waitFor({ state: 'visible' });
        check(await page.locator('#compose-date').inputValue() === q.get('date'), 'compose date not pre-filled');
        check(await page.locator('#compose-time').inputValue() === q.get('time'), 'compose time not pre-filled');
        check(await page.locator('#compose-zone').inputValue() === q.get('zone'), 'compose zone not pre-filled');
        console.log(`     ${href}`);
        await idle(page);
    });

    await step('an item one day old has an hourly chart with a sane axis', async () => {
        await page.goto(BASE + '/#/item/youtube/e2eYoungVid1');
        await drawnChart(page, '#item-gains-chart', 50);
        check(await page.locator('#item-gains-title').textContent() === 'Gained per hour', 'the gains chart is not per hour');
        const now = Date.now() / 1000;
        const a = await poll(() => xAxis(page, '#item-gains-chart'), 'the x axis of #item-gains-chart');
        const b = await poll(() => xAxis(page, '#item-chart'), 'the x axis of #item-chart');
        const [lo, hi] = a.range.map(Number);
        check(lo > now - 2 * 86400 && hi < now + 2 * 3600 && hi - lo >= 20 * 3600 && hi - lo <= 30 * 3600,
            `hourly axis ${new Date(lo * 1000).toISOString()} to ${new Date(hi * 1000).toISOString()}`);
        check(a.range.join() === b.range.join(), `x ranges differ: ${a.range} vs ${b.range}`);
        console.log(`     axis ${new Date(lo * 1000).toISOString()} .. ${new Date(hi * 1000).toISOString()}, ${a.ticks.length} ticks`);
        // vs typical: the API's figures, in words.
        const it = await getJson('/api/v1/items/youtube/e2eYoungVid1');
        const typ = (await page.locator('#item-typical').textContent()) || '';
        // Published 26 h ago: 1 or 2 rollup days old, depending on the hour.
        const age = it.vs_typical && it.vs_typical.age_days;
        check((age === 1 || age === 2) && it.vs_typical.n > 0, `vs_typical: ${JSON.stringify(it.vs_typical)}`);
        check(typ.includes('your typical YouTube video at ' + age + ' day') && typ.includes(it.vs_typical.n + ' item'), `#item-typical says: ${typ}`);
        console.log(`     ${typ}`);
        await idle(page);
        await shot(page, '07c-item-young-hourly');
    });

    await step('a removed item shows "removed (last seen DATE)", and a marker in Content', async () => {
        const list = await getJson('/api/v1/content?limit=100&platform=youtube&sort=published&order=desc');
        const items = Array.isArray(list) ? list : (list.items || []);
        const gone = items.find((i) => typeof i.removed_last_seen === 'string');
        check(gone, 'no removed item in /api/v1/content (the demo deletes one video)');
        await page.goto(BASE + '/#/item/youtube/' + encodeURIComponent(gone.id));
        const badge = page.locator('#item-removed');
        await badge.waitFor({ state: 'visible' });
        const text = (await badge.textContent()) || '';
        check(/^removed \(last seen .+\)$/.test(text), `badge says: ${text}`);
        console.log(`     ${gone.id}: ${text} (${gone.removed_last_seen})`);
        await idle(page);
        await shot(page, '07d-item-removed');
        // the table's page that holds it (the box is full-text search now,
        // which does not match ids): the same order as the listing above
        const at = Math.floor(items.indexOf(gone) / 25) * 25;
        await page.goto(BASE + '/#/content?platform=youtube&sort=published&order=desc&offset=' + at);
        await page.locator('#content-table').waitFor({ state: 'visible' });
        await poll(async () => (await page.locator('#content-table .removed-mark').count()) === 1, 'a removed marker in the Content table');
        await idle(page);
    });

    await step('phone width: the heatmap scrolls with the best slot in view', async () => {
        const phone = await context.newPage();
        phone.setDefaultTimeout(STEP_MS);
        watch(phone, 'phone-best');
        try {
            await phone.setViewportSize({ width: 375, height: 812 });
            await phone.goto(BASE + '/#/best-time');
            await phone.locator('#heatmap td.heat-best').waitFor({ state: 'attached' });
            await idle(phone);
            const r = await phone.evaluate(() => {
                const w = document.querySelector('#heat-wrap').getBoundingClientRect();
                const c = document.querySelector('#heatmap td.heat-best').getBoundingClientRect();
                return { wl: w.left, wr: w.right, cl: c.left, cr: c.right, page: document.documentElement.scrollWidth };
            });
            console.log(`     wrap ${r.wl}..${r.wr}, best cell ${r.cl}..${r.cr}`);
            check(r.cl >= r.wl && r.cr <= r.wr, 'the best cell is scrolled out of view');
            check(r.page <= 375, `the page is ${r.page} px wide`);
            await shot(phone, '11f-phone-best-time-best');
        } finally {
            await phone.close();
        }
    });
}
