// Browser steps for issue 14's "states a person understands" and "the
// loop back to analytics" (posts made by run.sh, ids in $E2E_TMP/states.json):
// a post due 7 h ago shows Missed (not Failed) with its explanation, once
// serve's worker has seen it; posts on accounts that cannot publish are
// flagged in Queue, Calendar and Compose before they are due; a
// published post's page links to its content item with its first hours
// against the creator's typical, and the Calendar shows its views.
// Desktop and 375 px screenshots of Queue, Post, Calendar and Compose.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export async function statesSteps({ page, context, step, check, poll, shot, watch, BASE, TMP, STEP_MS }) {
    const ids = JSON.parse(readFileSync(join(TMP, 'states.json'), 'utf8'));
    const getJson = (path) => page.evaluate(async (p) => (await fetch(p)).json(), path);
    // dom.js's fmtFull, as the pages format whole numbers.
    const fmt = (v) => page.evaluate((x) => new Intl.NumberFormat(navigator.language || 'en', { maximumFractionDigits: 2 }).format(x), v);

    await step('states: Missed apart from Failed, flags on accounts that cannot publish (queue)', async () => {
        const d = await getJson('/api/v1/posts/' + ids.missed);
        check(d.post.status === 'missed' && d.post.failure === 'missed' && d.post.attempts === 0,
            `post ${ids.missed}: status ${d.post.status}, failure ${d.post.failure}, attempts ${d.post.attempts}`);
        await page.goto(BASE + '/#/queue');
        const row = page.locator(`#queue-recent tr[data-post="${ids.missed}"]`);
        await row.waitFor({ state: 'visible' });
        check(await row.getAttribute('data-status') === 'missed', 'the missed row has no data-status="missed"');
        const badge = row.locator('.state-missed');
        check((await badge.textContent()).trim() === 'Missed', `badge says "${await badge.textContent()}"`);
        check(await row.locator('.state-failed').count() === 0, 'a missed post labelled Failed');
        for (const [id, flag, text] of [[ids.relogin, 'needs_relogin', 'Account needs login'],
            [ids.nobody, 'not_connected', 'Account not connected']]) {
            const f = page.locator(`#queue-upcoming tr[data-post="${id}"] .account-flag[data-flag="${flag}"]`);
            await f.waitFor({ state: 'visible' });
            check((await f.textContent()).trim() === text, `post ${id}: flag "${await f.textContent()}"`);
            const api = await getJson('/api/v1/posts/' + id);
            check(api.post.account_status === flag, `post ${id}: API account_status ${api.post.account_status}`);
        }
        await shot(page, '50-states-queue');
    });

    await step('states: the missed post\'s page says why and that nothing was sent', async () => {
        await page.goto(BASE + '/#/post/' + ids.missed);
        const help = page.locator('#post-state-help');
        await help.waitFor({ state: 'visible' });
        const t = await help.textContent();
        check(/Nothing was sent to the platform/.test(t), `#post-state-help: ${t}`);
        check((await page.locator('#post-state').getAttribute('data-status')) === 'missed', '#post-state is not missed');
        check(/grace window/.test(await page.locator('#post-error').textContent()), 'no reason naming the grace window');
        check(await page.locator('dt', { hasText: 'Why missed' }).count() === 1, 'the reason is not labelled "Why missed"');
        check(await page.locator('dt', { hasText: 'Platform error' }).count() === 0, 'a missed post shows a "Platform error"');
        check(await page.locator('#post-performance').count() === 0, 'a Performance section on a post not published');
        check(!/\bnull\b/.test(await page.locator('#post').textContent()), 'the page shows "null"');
        await shot(page, '51-states-post-missed');
    });

    await step('states: a published post links to its item, first hours vs typical', async () => {
        const d = await getJson('/api/v1/posts/' + ids.published);
        const perf = d.performance;
        check(perf && perf.item && perf.item.id === 'e2eYoungVid1', `performance: ${JSON.stringify(perf).slice(0, 200)}`);
        await page.goto(BASE + '/#/post/' + ids.published);
        const link = page.locator('#post-item-link');
        await link.waitFor({ state: 'visible' });
        check(await link.getAttribute('href') === '#/item/youtube/e2eYoungVid1', `link: ${await link.getAttribute('href')}`);
        check((await page.locator('#post-views-now').textContent()) === await fmt(perf.views_now), 'views now differ from the API');
        const first = perf.points.find((p) => p.age_s === 3600);
        check(first && typeof first.views === 'number', `no first-hour figure: ${JSON.stringify(first)}`);
        const cells = await page.locator('#post-performance-table tr[data-age="3600"] td').allTextContents();
        check(cells[1] === await fmt(first.views), `1 h views "${cells[1]}", API ${first.views}`);
        const typ = typeof first.typical === 'number' ? await fmt(Math.round(first.typical)) : '–';
        check(cells[2] === typ, `1 h typical "${cells[2]}", API ${first.typical}`);
        await shot(page, '52-states-post-published');
        await link.click();
        await page.locator('#item-title').waitFor({ state: 'visible' });
        check((await page.locator('#item-title').textContent()).includes('published yesterday'), 'the link did not open the item');
    });

    const calWeek = async (p, iso, zone = 'UTC') => {
        await p.goto(BASE + `/#/calendar?view=week&date=${iso.slice(0, 10)}&zone=${zone}`);
        await p.locator('#calendar-grid').waitFor({ state: 'visible' });
    };
    let relogin = null;
    await step('states: the calendar shows views and flags', async () => {
        const pub = (await getJson('/api/v1/posts/' + ids.published)).post;
        await calWeek(page, pub.publish_at);
        const chip = page.locator(`.cal-post[data-post="${pub.id}"]`);
        await chip.waitFor({ state: 'visible' });
        const views = (await chip.locator('.cal-views').textContent()).trim();
        check(/views$/.test(views) && pub.item && typeof pub.item.views === 'number', `chip views "${views}"`);
        check((await chip.getAttribute('title')).includes(views), 'the chip title lacks the views');
        const [cb, vb] = [await chip.locator('.cal-title').boundingBox(), await chip.locator('.cal-views').boundingBox()];
        check(vb.y >= cb.y + cb.height - 1, 'in the week the views are not on a line of their own');
        await shot(page, '53-states-calendar-views');
        relogin = (await getJson('/api/v1/posts/' + ids.relogin)).post;
        await calWeek(page, relogin.publish_at);
        const flag = page.locator(`.cal-post[data-post="${relogin.id}"] .account-flag[data-flag="needs_relogin"]`);
        await flag.waitFor({ state: 'visible' });
        check(await page.locator(`.cal-post[data-post="${ids.nobody}"] .account-flag[data-flag="not_connected"]`).count() === 1,
            'no not_connected flag on the calendar');
        await shot(page, '54-states-calendar-flags');
    });

    await step('states: Compose flags an account that is not connected', async () => {
        await page.goto(BASE + '/#/compose');
        await page.locator('#compose-platform-youtube').check();
        const acct = page.locator('#compose-account-youtube');
        const slot = page.locator('#compose-account-flag-youtube');
        await acct.fill('UCe2eNobody');
        await poll(async () => (await slot.locator('[data-flag="not_connected"]').count()) === 1, 'a not connected flag');
        // One note, not two: the line under the field names the account only.
        const is = (await page.locator('#compose-account-youtube-is').textContent()) || '';
        check(!/not connected|not known/.test(is), `the account line repeats the flag: "${is}"`);
        await acct.fill('UCe2eRelogin');
        await poll(async () => (await slot.locator('[data-flag="needs_relogin"]').count()) === 1, 'a needs login flag');
        await shot(page, '55-states-compose-flag');
        await acct.fill('UC1');
        await poll(async () => (await slot.locator('.account-flag').count()) === 0, 'no flag for the connected UC1');
    });

    await step('states: phone width (375x812) queue, post, calendar, compose', async () => {
        const phone = await context.newPage();
        phone.setDefaultTimeout(STEP_MS);
        watch(phone, 'phone-states');
        try {
            await phone.setViewportSize({ width: 375, height: 812 });
            const fits = async (what) => {
                const w = await phone.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
                check(w[0] <= w[1], `${what} is ${w[0]} px wide in a ${w[1]} px viewport`);
            };
            await phone.goto(BASE + '/#/queue');
            await phone.locator(`#queue-upcoming tr[data-post="${ids.relogin}"] .account-flag`).waitFor({ state: 'visible' });
            await fits('queue');
            await shot(phone, '56-states-phone-queue');
            await phone.goto(BASE + '/#/post/' + ids.published);
            await phone.locator('#post-performance-table').waitFor({ state: 'visible' });
            await fits('post');
            await shot(phone, '57-states-phone-post');
            await calWeek(phone, relogin.publish_at);
            await phone.locator(`.cal-post[data-post="${ids.relogin}"] .account-flag`).waitFor({ state: 'visible' });
            await fits('calendar');
            await shot(phone, '58-states-phone-calendar');
            await phone.goto(BASE + '/#/compose');
            await phone.locator('#compose-platform-youtube').check();
            await phone.locator('#compose-account-youtube').fill('UCe2eNobody');
            await phone.locator('#compose-account-flag-youtube .account-flag').waitFor({ state: 'visible' });
            await fits('compose');
            await shot(phone, '59-states-phone-compose');
        } finally {
            await phone.close();
        }
    });
}
