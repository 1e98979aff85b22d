// Sources tells the truth (issue 11, part 4): every account with data is
// listed with whether it is connected, and each platform says on the page
// (not in a tooltip a phone cannot show) what connecting needs, the
// redirect URI to register, its developer console and what the collector
// last did. Desktop, then 375 px.
export async function sourcesTruth({ page, context, step, check, poll, shot, idle, watch, BASE, SHOTS, STEP_MS, join }) {
    const apiSources = (p) => p.evaluate(async () => (await fetch('/api/v1/sources')).json());

    await step('sources: accounts with data and what connecting needs', async () => {
        await page.goto(BASE + '/#/');
        await page.goto(BASE + '/#/sources');
        await page.locator('#sources-platforms').waitFor({ state: 'visible' });
        const d = await apiSources(page);
        const total = d.accounts_with_data_total;
        check(total > 0, `the API lists ${total} accounts with data`);
        const rows = page.locator('#sources-data-table tbody tr');
        const n = await poll(async () => (await rows.count()) || null, 'rows in #sources-data-table');
        check(n === d.accounts_with_data.length, `${n} rows for ${d.accounts_with_data.length} accounts with data`);
        for (const a of d.accounts_with_data) {
            const row = page.locator(`#sources-data-table tr[data-platform="${a.platform}"][data-account="${a.account}"]`);
            const text = (await row.textContent()) || '';
            check(text.includes(a.connected ? 'Connected' : 'Imported only'), `${a.platform}:${a.account} row: ${text}`);
        }
        const summary = (await page.locator('#sources-data-summary').textContent()) || '';
        const connected = d.accounts_with_data.filter((a) => a.connected).length;
        check(summary.startsWith(`${total} account`) && summary.includes(`${connected} of them connected`), `summary: ${summary}`);
        const body = (await page.locator('main').textContent()) || '';
        check(!body.includes('No accounts connected'), 'the page still says "No accounts connected"');

        // YouTube is configured (run.sh), with a redirect URI on another
        // origin than this dashboard: the card says so. Instagram is not.
        const yt = page.locator('.platform-card[data-platform="youtube"]');
        const ytText = (await yt.textContent()) || '';
        check(ytText.includes('Ready: Connect opens YouTube'), `youtube card: ${ytText}`);
        check(ytText.includes('http://127.0.0.1:9/oauth/callback'), `youtube card lacks its redirect URI: ${ytText}`);
        check(ytText.includes(`set youtube.redirect_uri = ${BASE}/oauth/callback`), `youtube card lacks the redirect advice: ${ytText}`);
        check(await yt.locator('button.connect').isEnabled(), 'Connect YouTube is disabled');
        const ytRound = d.platforms.find((p) => p.platform === 'youtube').last_round;
        const roundText = (await yt.locator('.last-round').textContent()) || '';
        // UC1 and UCe2eRelogin are connected; serve runs --no-collect.
        const ytConnected = d.platforms.find((p) => p.platform === 'youtube').accounts_connected;
        check(ytConnected === 2, `youtube accounts_connected ${ytConnected}`);
        check(ytRound ? roundText.startsWith('Last fetch') : roundText.startsWith('No fetch yet: the collector has not run for these 2 accounts'),
            `youtube collector line: ${roundText}`);
        const ig = page.locator('.platform-card[data-platform="instagram"]');
        const needs = ig.locator('.needs');
        check(await needs.isVisible(), 'the Instagram card does not show what it needs');
        const needsText = (await needs.textContent()) || '';
        check(needsText.includes('instagram.client_id') && needsText.includes('instagram.client_secret'), `instagram needs: ${needsText}`);
        check(await ig.locator('button.connect').isDisabled(), 'Connect Instagram is enabled without a client id');
        const link = await ig.locator('a[href="https://developers.facebook.com/apps/"]').count();
        check(link === 1, 'no link to the Meta developer console');
        console.log(`     ${total} accounts with data, ${connected} connected; instagram: ${needsText}`);
        await idle(page);
        await shot(page, '12b-sources-truth');
    });

    await step('phone width (375x812): what connecting needs, readable', async () => {
        const phone = await context.newPage();
        phone.setDefaultTimeout(STEP_MS);
        watch(phone, 'phone');
        try {
            await phone.setViewportSize({ width: 375, height: 812 });
            await phone.goto(BASE + '/#/sources');
            await phone.locator('#sources-platforms').waitFor({ state: 'visible' });
            const w = await phone.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
            check(w[0] <= w[1], `page is ${w[0]} px wide in a ${w[1]} px viewport (scrolls sideways)`);
            const needs = phone.locator('.platform-card[data-platform="tiktok"] .needs');
            const box = await needs.boundingBox();
            check(box && box.x >= 0 && box.x + box.width <= 375, `tiktok needs text box ${JSON.stringify(box)}`);
            check(((await needs.textContent()) || '').includes('tiktok.client_id'), 'tiktok needs text');
            await idle(phone);
            await phone.screenshot({ path: join(SHOTS, '13b-phone-sources-truth.png'), fullPage: true });
        } finally {
            await phone.close();
        }
    });
}
