// Owned and tracked accounts, taking data back (issue 11, part 3), in the
// browser: a foreign channels.list (Google's sample) uploaded on the
// Import page is kept as tracked and said so; the Competitors page lists
// it next to the creator's accounts; the Import page's Remove button
// (asked once more inline) takes it back, leaves an audit line, and the
// Competitors page no longer lists it. Desktop and 375 px screenshots.
import { join } from 'node:path';

export async function ownedSteps({ page, context, step, check, poll, shot, watch, BASE, DATA, STEP_MS }) {
    const foreign = join(DATA, '../../../shared/realdata/youtube/channels_list_multi_parts_2items.json');
    const google = 'UCK8sQmJBp8GCxrOtXWBpyEA';
    let importId = null;

    await step('import: a foreign channel is stored as tracked and listed with a Remove button', async () => {
        await page.click('a[href="#/import"]');
        await page.locator('#imports h2').waitFor({ state: 'visible' });
        await page.setInputFiles('#import-file', foreign);
        await page.click('#import-submit');
        const text = await poll(async () => {
            const t = ((await page.locator('#import-result').textContent()) || '').trim();
            return t.includes('stored as tracked') ? t : null;
        }, '#import-result to say "stored as tracked"');
        console.log(`     #import-result: ${text}`);
        check(text.includes(google), `the line does not name ${google}: ${text}`);
        const row = page.locator('#imports-table tbody tr', { hasText: 'channels_list_multi_parts_2items.json' });
        await poll(async () => (await row.count()) === 1, 'the import in #imports-table');
        importId = await row.getAttribute('data-id');
        const cells = await row.locator('td').allTextContents();
        check(cells[4] === '2' && cells[5] === '2' && cells[6] === '6', `items/snapshots/values: ${cells.join(' | ')}`);
        await shot(page, '30-import-recent');
    });

    await step('competitors: tracked Google next to the creator\'s accounts', async () => {
        await page.click('a[href="#/competitors"]');
        const row = page.locator(`#competitors-table tr.tracked[data-id="${google}"]`);
        await row.waitFor({ state: 'visible' });
        const t = (await row.textContent()) || '';
        check(t.includes('Google') && t.includes('tracked') && t.includes('10.7M'), `Google's row: ${t}`);
        // the demo's four: YouTube, Instagram, TikTok and Twitch
        check(await page.locator('#competitors-table tr.own').count() === 4, 'not 4 own accounts');
        const first = await page.locator('#competitors-table tbody tr').first().getAttribute('class');
        check(first === 'own', `the first row is ${first}, not one of the creator's`);
        console.log(`     ${((await page.locator('#competitors-summary').textContent()) || '').trim()}`);
        await shot(page, '31-competitors');
    });

    await step('phone width (375x812): competitors and import fit the screen', async () => {
        const phone = await context.newPage();
        phone.setDefaultTimeout(STEP_MS);
        watch(phone, 'phone');
        try {
            await phone.setViewportSize({ width: 375, height: 812 });
            for (const [hash, sel, name] of [['#/competitors', '#competitors-table', '32-phone-competitors'],
                ['#/import', '#imports-table', '33-phone-import-recent']]) {
                await phone.goto(BASE + '/' + hash);
                await phone.locator(sel).waitFor({ state: 'visible' });
                const w = await phone.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
                check(w[0] <= w[1], `${hash} is ${w[0]} px wide in a ${w[1]} px viewport (scrolls sideways)`);
                await shot(phone, name);
            }
        } finally {
            await phone.close();
        }
    });

    await step('import: Remove asks, then takes the import back; competitors follows', async () => {
        check(importId, 'no import id from the earlier step');
        await page.click('a[href="#/import"]');
        const row = page.locator(`#imports-table tr[data-id="${importId}"]`);
        await row.waitFor({ state: 'visible' });
        await row.locator(`button[data-import="${importId}"]`).click();
        const yes = row.locator(`button[data-confirm="${importId}"]`);
        await yes.waitFor({ state: 'visible' });
        await shot(page, '34-import-remove-confirm');
        const [req] = await Promise.all([
            page.waitForRequest((r) => r.url() === `${BASE}/api/v1/imports/${importId}/remove`),
            yes.click(),
        ]);
        check(req.method() === 'POST', `remove is a ${req.method()}`);
        check((await req.allHeaders())['x-csrf-token'], 'the remove request has no X-CSRF-Token header');
        const note = page.locator('#imports-note');
        await note.waitFor({ state: 'visible' });
        const nt = ((await note.textContent()) || '').trim();
        check(nt === `Removed import ${importId}: 2 item(s), 2 snapshot(s), 6 value(s).`, `note: ${nt}`);
        check(await page.locator(`#imports-table tr[data-id="${importId}"]`).count() === 0, 'the import is still listed');
        const audit = ((await page.locator('#imports-audit').textContent()) || '');
        check(audit.includes('import remove') && audit.includes(`import ${importId} (`), `audit: ${audit}`);
        console.log(`     ${nt}`);
        await shot(page, '35-import-removed');
        await page.click('a[href="#/competitors"]');
        await page.locator('#competitors-table').waitFor({ state: 'visible' });
        await poll(async () => (await page.locator(`#competitors-table tr[data-id="${google}"]`).count()) === 0,
            'Google gone from the Competitors page');
    });
}
