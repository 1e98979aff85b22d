// Issue 12 in the browser: an Instagram login whose renewal failed ends in
// 5 days (run.sh seeds it, with a metric Graph refused for reels). The
// banner warns "Instagram login expires in 5 days: reconnect" beside the
// needs-re-login notice, and the Sources page lists the login's days left,
// the failed renewal and the refused metric per media kind, on a desktop
// and at 375 px without scrolling sideways.
export async function igraphSteps({ page, context, step, check, poll, shot, BASE, STEP_MS }) {
    const ACCT = '17841400000000099';

    await step('sources: login expiring in 5 days, failed renewal, refused metric', async () => {
        await page.goto(BASE + '/#/sources');
        const li = page.locator(`#sources-logins li[data-platform="instagram"][data-account="${ACCT}"]`);
        await poll(async () => (await li.count()) === 1, 'the Instagram login in #sources-logins');
        const t = (await li.textContent()) || '';
        check(t.includes('token expires in 5 days'), `logins: ${t}`);
        check(t.includes('renewal failed: instagram token endpoint: HTTP 500'), `logins: ${t}`);
        check(t.includes('not asked: views (REELS/VIDEO)'), `logins: ${t}`);
        check(await li.locator('button.reconnect-soon').count() === 1, 'no Reconnect button for the expiring login');
        const banner = page.locator('#banner');
        await banner.waitFor({ state: 'visible' });
        const exp = banner.locator('#banner-expiring');
        await exp.waitFor({ state: 'visible' });
        const bt = (await exp.textContent()) || '';
        check(bt.includes('Instagram login expires in 5 days: reconnect'), `banner: ${bt}`);
        check(await exp.locator('button.reconnect-soon').count() === 1, 'no Reconnect button in the expiry notice');
        check(((await banner.textContent()) || '').includes('Needs re-login'), 'the needs-re-login notice went missing');
        console.log(`     expiring: ${bt.trim()}`);
        await shot(page, '12b-sources-logins');
    });

    await step('phone width (375x812): the expiring login', async () => {
        const phone = await context.newPage();
        phone.setDefaultTimeout(STEP_MS);
        try {
            await phone.setViewportSize({ width: 375, height: 812 });
            await phone.goto(BASE + '/#/sources');
            await phone.locator('#sources-logins').waitFor({ state: 'visible' });
            await phone.locator('#banner-expiring').waitFor({ state: 'visible' });
            const w = await phone.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
            check(w[0] <= w[1], `#/sources is ${w[0]} px wide in a ${w[1]} px viewport`);
            await shot(phone, '13b-phone-sources-logins');
        } finally {
            await phone.close();
        }
    });
}
