// Browser steps for "vs typical" on the Content page and the rollup zone
// control on the Best time page: the Content table sorted by vs typical
// in both orders (rows with a ratio first, ordered; the rest last) as the
// API orders it; the zone changed on Best time, the best slot's hour
// moving as the API says; screenshots desktop and 375 px, light and dark.

export async function content2Steps({ page, context, step, check, poll, shot, BASE }) {
    const getJson = (path) => page.evaluate(async (p) => (await fetch(p)).json(), path);
    const ratios = () => page.$$eval('#content-table tbody td.col-typical', (tds) => tds.map((t) => ({
        v: t.dataset.value === '' ? null : Number(t.dataset.value), text: t.textContent.trim(), title: t.title })));
    const ids = () => page.$$eval('#content-table tbody a.item-link', (as) => as.map((a) => a.getAttribute('href')));

    for (const order of ['desc', 'asc']) {
        await step(`content: sort by vs typical, ${order}`, async () => {
            if (order === 'desc') {
                await page.goto(BASE + '/#/content');
                await page.locator('#content-table tbody tr').first().waitFor({ state: 'visible' });
                await page.click('#content-table th[data-sort="vs_typical"] button');
            } else {
                await page.click('#content-table th[data-sort="vs_typical"] button');
            }
            const want = order === 'desc' ? 'descending' : 'ascending';
            await poll(async () => (await page.locator('#content-table th[data-sort="vs_typical"]').getAttribute('aria-sort')) === want &&
                page.url().includes('order=' + order), `aria-sort ${want}`);
            const api = await getJson('/api/v1/content?sort=vs_typical&order=' + order + '&limit=25');
            const wantIds = api.items.map((i) => `#/item/${i.platform}/${encodeURIComponent(i.id)}`);
            await poll(async () => JSON.stringify(await ids()) === JSON.stringify(wantIds), 'the rows in the API\'s order');
            const r = await ratios();
            const k = r.filter((x) => x.v !== null).length;
            check(k >= 3, `only ${k} rows with a ratio`);
            check(r.slice(0, k).every((x) => x.v !== null) && r.slice(k).every((x) => x.v === null), 'rows without a ratio are not last');
            for (let i = 1; i < k; i++) {
                check(order === 'desc' ? r[i - 1].v >= r[i].v : r[i - 1].v <= r[i].v, `row ${i}: ${r[i - 1].v} then ${r[i].v} (${order})`);
            }
            for (let i = 0; i < r.length; i++) {
                const vt = api.items[i].vs_typical;
                check((vt && vt.ratio !== null ? vt.ratio : null) === r[i].v, `row ${i}: ratio ${r[i].v}, API ${JSON.stringify(vt)}`);
                if (r[i].v !== null) {
                    check(/^\d+([.,]\d)?×$/.test(r[i].text), `row ${i} shows "${r[i].text}"`);
                    check(r[i].title.includes('median') && r[i].title.includes('×'), `row ${i} title: ${r[i].title}`);
                } else {
                    check(r[i].text === '—' && r[i].title.startsWith('No comparison'), `row ${i}: "${r[i].text}" / ${r[i].title}`);
                }
            }
            console.log(`     ${order}: ${r.slice(0, 5).map((x) => x.text).join(' ')} … ${k} of ${r.length} with a ratio`);
            for (const theme of ['light', 'dark']) {
                await page.emulateMedia({ colorScheme: theme });
                await shot(page, `c2-content-vs-typical-${order}-${theme}`);
            }
            await page.emulateMedia({ colorScheme: 'light' });
        });
    }

    await step('content: vs typical at 375 px (the column is dropped, no sideways scroll)', async () => {
        const phone = await context.newPage();
        try {
            await phone.setViewportSize({ width: 375, height: 740 });
            await phone.goto(BASE + '/#/content?sort=vs_typical&order=desc');
            await phone.locator('#content-table tbody tr').first().waitFor({ state: 'visible' });
            check(!(await phone.locator('#content-table td.col-typical').first().isVisible()), 'vs typical shown at 375 px');
            const wide = await phone.evaluate(() => document.documentElement.scrollWidth);
            check(wide <= 375, `the page is ${wide} px wide at 375 px`);
            for (const theme of ['light', 'dark']) {
                await phone.emulateMedia({ colorScheme: theme });
                await shot(phone, `c2-content-phone-${theme}`);
            }
        } finally {
            await phone.close();
        }
    });

    await step('best time: the zone control moves the best slot', async () => {
        const settings = await getJson('/api/v1/settings');
        await page.goto(BASE + '/#/best-time');
        await page.locator('#heatmap').waitFor({ state: 'visible' });
        check(await page.locator('#best-zone').inputValue() === settings.zone, `#best-zone shows ${await page.locator('#best-zone').inputValue()}, settings ${settings.zone}`);
        const hour = async () => {
            const c = page.locator('#heatmap td.heat-best');
            return (await c.count()) ? Number(await c.getAttribute('data-hour')) : null;
        };
        const before = await hour();
        const beforeText = (await page.locator('#best-slot').textContent()).trim();
        const answer = page.waitForResponse((r) => r.url().includes('/api/v1/settings/zone'));
        await page.selectOption('#best-zone', 'Asia/Tokyo');
        const res = await answer;
        check(res.request().method() === 'POST' && res.request().headers()['x-csrf-token'], 'the zone change is not a POST with a CSRF token');
        const body = await res.json();
        check(res.status() === 200 && body.zone === 'Asia/Tokyo' && typeof body.seconds === 'number', `zone answer ${res.status()} ${JSON.stringify(body)}`);
        await poll(async () => ((await page.locator('#best-zone-status').textContent()) || '').includes('now in Asia/Tokyo'), 'the status line');
        await poll(async () => ((await page.locator('#heatmap caption').textContent()) || '').includes('Asia/Tokyo'), 'the heatmap redrawn in Asia/Tokyo');
        const hm = await getJson('/api/v1/heatmap?range=365d');
        check(hm.zone === 'Asia/Tokyo', `heatmap zone ${hm.zone}`);
        const after = await hour();
        const afterText = (await page.locator('#best-slot').textContent()).trim();
        check(before !== null && after !== null, `no best slot: ${beforeText} / ${afterText}`);
        check(after !== before && afterText.includes('Asia/Tokyo'), `the best slot did not move: ${beforeText} -> ${afterText}`);
        console.log(`     best slot: hour ${before} (${settings.zone}) -> ${after} (Asia/Tokyo): ${afterText.slice(0, 80)}`);
        for (const theme of ['light', 'dark']) {
            await page.emulateMedia({ colorScheme: theme });
            await shot(page, `c2-best-time-zone-${theme}`);
        }
        await page.emulateMedia({ colorScheme: 'light' });
        const phone = await context.newPage();
        try {
            await phone.setViewportSize({ width: 375, height: 740 });
            await phone.goto(BASE + '/#/best-time');
            await phone.locator('#heatmap').waitFor({ state: 'visible' });
            check(await phone.locator('#best-zone').inputValue() === 'Asia/Tokyo', 'phone: #best-zone is not Asia/Tokyo');
            const wide = await phone.evaluate(() => document.documentElement.scrollWidth);
            check(wide <= 375, `best time is ${wide} px wide at 375 px`);
            for (const theme of ['light', 'dark']) {
                await phone.emulateMedia({ colorScheme: theme });
                await shot(phone, `c2-best-time-phone-${theme}`);
            }
        } finally {
            await phone.close();
        }
        // Back to where it was, for the steps after this one.
        await page.selectOption('#best-zone', settings.zone);
        await poll(async () => ((await page.locator('#heatmap caption').textContent()) || '').includes(settings.zone), 'the heatmap back in ' + settings.zone);
        check(await hour() === before, 'the best slot did not come back');
    });
}
