// API tokens (issue 15, part tokens) in the browser: the Settings page
// creates a token (shown once, with a copy button and the warning), the
// token works as "Authorization: Bearer" from outside the browser (node's
// fetch: no cookie), the list shows it live, a reload no longer shows the
// token, revoking it (after a confirm) is refused by the server at once.
// Desktop and 375 px screenshots.

const TOKEN_RE = /^mdt_[A-Za-z0-9_-]{43}$/;

// GET /api/v1/settings with only a bearer token: the HTTP status.
async function bearerStatus(BASE, token) {
    const r = await fetch(BASE + '/api/v1/settings', { headers: { Authorization: 'Bearer ' + token } });
    return r.status;
}

export async function tokensSteps({ page, context, step, check, poll, shot, watch, BASE, STEP_MS }) {
    let token = null;

    await step('settings: create an API token, shown once, usable as a bearer', async () => {
        await page.click('a[href="#/settings"]');
        await page.locator('#api-tokens').waitFor({ state: 'visible' });
        await page.fill('#token-name', 'e2e-ci');
        await page.selectOption('#token-scope', 'write');
        await page.selectOption('#token-expires', '30d');
        const [req] = await Promise.all([
            page.waitForRequest((r) => r.url() === `${BASE}/api/v1/tokens` && r.method() === 'POST'),
            page.click('#token-create'),
        ]);
        check((await req.allHeaders())['x-csrf-token'], 'POST /api/v1/tokens without X-CSRF-Token');
        await page.locator('#token-new').waitFor({ state: 'visible' });
        token = await page.inputValue('#token-value');
        check(TOKEN_RE.test(token), `the token shown is not mdt_ + 43 base64url characters: ${token}`);
        const box = (await page.locator('#token-new').textContent()) || '';
        check(box.includes('you will not see it again'), `no "you will not see it again": ${box}`);
        await page.click('#token-copy');
        const copied = await poll(async () => ((await page.locator('#token-copied').textContent()) || '').trim(),
            '#token-copied to say it was copied or selected');
        console.log(`     #token-copied: ${copied}`);
        const row = page.locator('#token-list tr[data-token="e2e-ci"]');
        await row.waitFor({ state: 'visible' });
        check(await row.getAttribute('data-status') === 'live', 'the new token is not listed as live');
        const rt = (await row.textContent()) || '';
        check(rt.includes('write') && !rt.includes(token), `row: ${rt}`);
        check(await bearerStatus(BASE, token) === 200, 'the new token does not work as a bearer');
        await shot(page, '70-settings-token-created');
    });

    await step('settings: after a reload the token is not shown; revoke refuses it at once', async () => {
        check(token, 'no token from the step before');
        await page.reload();
        await page.locator('#token-list tr[data-token="e2e-ci"]').waitFor({ state: 'visible' });
        check(await page.locator('#token-new').count() === 0, 'the token is still shown after a reload');
        const html = await page.content();
        check(!html.includes(token) && !html.includes(token.slice(4)), 'the page still holds the token');
        const usedRow = page.locator('#token-list tr[data-token="e2e-ci"]');
        const lastUsed = ((await usedRow.locator('td').nth(5).textContent()) || '').trim();
        check(lastUsed !== '' && lastUsed !== 'never', `last used after a bearer request: ${lastUsed}`);
        page.once('dialog', (d) => d.accept());
        const [req] = await Promise.all([
            page.waitForRequest((r) => r.url().startsWith(`${BASE}/api/v1/tokens/`) && r.method() === 'DELETE'),
            usedRow.locator('.token-revoke').click(),
        ]);
        check((await req.allHeaders())['x-csrf-token'], 'DELETE without X-CSRF-Token');
        await poll(async () => (await page.locator('#token-list tr[data-token="e2e-ci"]').getAttribute('data-status')) === 'revoked',
            'the row to say revoked');
        check(await page.locator('#token-list tr[data-token="e2e-ci"] .token-revoke').count() === 0, 'a revoked token still has a Revoke button');
        check(await bearerStatus(BASE, token) === 401, 'the revoked token still works');
        const note = ((await page.locator('#token-note').textContent()) || '').trim();
        check(note.includes('Revoked'), `note: ${note}`);
        await shot(page, '71-settings-token-revoked');
    });

    await step('phone width (375x812): the settings page fits the screen', async () => {
        const phone = await context.newPage();
        phone.setDefaultTimeout(STEP_MS);
        watch(phone, 'phone');
        try {
            await phone.setViewportSize({ width: 375, height: 812 });
            await phone.goto(BASE + '/#/settings');
            await phone.locator('#token-list').waitFor({ state: 'visible' });
            const w = await phone.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
            check(w[0] <= w[1], `#/settings is ${w[0]} px wide in a ${w[1]} px viewport (scrolls sideways)`);
            await shot(phone, '72-phone-settings');
        } finally {
            await phone.close();
        }
    });
}
