// Browser steps for queue slots (issue 14): Best time proposes slots from
// the account's own heatmap and one click adds one (the API then lists
// it); the Queue page's "Posting slots" adds Mon and Wed 09:15
// Europe/Berlin through its form, edits one with the keyboard and removes
// the other; Compose's "Add to queue" puts a post in the account's next
// free slot (the API's first free occurrence). Screenshots at desktop
// width and at 375 px for the two pages changed (Best time, Queue).

import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export async function slotsSteps({ page, context, step, check, poll, shot, BASE, TMP }) {
    const getJson = async (path) => {
        const r = await page.request.get(BASE + path);
        check(r.ok(), `GET ${path}: HTTP ${r.status()}`);
        return r.json();
    };
    const phoneShot = async (hash, sel, name) => {
        const phone = await context.newPage();
        try {
            await phone.setViewportSize({ width: 375, height: 740 });
            await phone.goto(BASE + '/' + hash);
            await phone.locator(sel).first().waitFor({ state: 'visible' });
            const wide = await phone.evaluate(() => document.documentElement.scrollWidth);
            check(wide <= 375, `${hash} is ${wide} px wide at 375 px`);
            await shot(phone, name);
        } finally {
            await phone.close();
        }
    };
    let account = null; // "platform:id" the proposals were for

    await step('slots: Best time proposes slots from the account\'s heatmap; one click adds one', async () => {
        await page.goto(BASE + '/#/best-time?platform=youtube');
        await page.locator('#best-proposals').waitFor({ state: 'visible' });
        // The proposals read the page's range, as the heatmap does.
        const range0 = await page.locator('#range').inputValue();
        if (range0 !== '365') await page.selectOption('#range', '365');
        account = await page.locator('#best-account').inputValue();
        const [platform, id] = [account.split(':')[0], account.split(':').slice(1).join(':')];
        const api = await getJson(`/api/v1/slots/propose?platform=${platform}&account=${encodeURIComponent(id)}&count=3&range=365d`);
        check(api.proposals.length >= 1, `no proposals for ${account}: ${JSON.stringify(api)}`);
        const rows = page.locator('#best-proposal-list li.proposal');
        await poll(async () => (await rows.count()) === api.proposals.length, `${api.proposals.length} proposals shown`);
        for (let i = 0; i < api.proposals.length; i++) {
            const p = api.proposals[i];
            const r = rows.nth(i);
            check(await r.getAttribute('data-day') === p.day && await r.getAttribute('data-time') === p.time,
                `row ${i} is not ${p.day} ${p.time}`);
            check(((await r.textContent()) || '').includes(p.zone), `row ${i} lacks the zone ${p.zone}`);
        }
        await shot(page, 'slots-best-time');
        const first = api.proposals.find((p) => !p.exists);
        check(first, 'every proposal is a slot already');
        const k = api.proposals.indexOf(first);
        await page.click(`#best-propose-add-${k}`);
        await poll(async () => ((await page.locator(`#best-propose-add-${k}`).textContent()) || '').trim() === 'Added', 'the button to say Added');
        const slots = await getJson(`/api/v1/slots?platform=${platform}&account=${encodeURIComponent(id)}`);
        check(slots.slots.some((s) => s.day === first.day && s.time === first.time && s.zone === first.zone),
            `the slot ${first.day} ${first.time} is not stored: ${JSON.stringify(slots)}`);
        console.log(`     ${account}: proposed ${api.proposals.map((p) => p.day + ' ' + p.time).join(', ')}; added ${first.day} ${first.time} ${first.zone}`);
        await shot(page, 'slots-best-time-added');
        await phoneShot('#/best-time?platform=youtube', '#best-proposals li.proposal', 'slots-best-time-phone');
        if (range0 !== '365') await page.selectOption('#range', range0);
    });

    await step('slots: Queue page adds, edits (keyboard) and removes posting slots', async () => {
        check(account, 'no account from the previous step');
        const [platform, id] = [account.split(':')[0], account.split(':').slice(1).join(':')];
        await page.goto(BASE + '/#/queue');
        await page.locator('#slot-form').waitFor({ state: 'visible' });
        await page.selectOption('#slot-platform', platform);
        await page.fill('#slot-account', id);
        await page.check('#slot-day-mon');
        await page.check('#slot-day-wed');
        await page.fill('#slot-time', '09:15');
        await page.selectOption('#slot-zone', 'Europe/Berlin');
        await page.click('#slot-add');
        const row = (day) => page.locator(`#slots-table tr[data-day="${day}"][data-time="09:15"]`);
        await row('mon').waitFor({ state: 'visible' });
        await row('wed').waitFor({ state: 'visible' });
        let api = await getJson(`/api/v1/slots?platform=${platform}&account=${encodeURIComponent(id)}`);
        const mon = api.slots.find((s) => s.day === 'mon' && s.time === '09:15' && s.zone === 'Europe/Berlin');
        check(mon && mon.next_local.endsWith(' 09:15:00'), `Monday's slot: ${JSON.stringify(api.slots)}`);
        const shown = ((await row('mon').locator('td').nth(3).textContent()) || '').trim();
        check(shown === mon.next_local.slice(0, 16), `next shown "${shown}", API ${mon.next_local}`);
        await shot(page, 'slots-queue');
        // Edit with the keyboard: focus Edit, Enter, type a time, Enter.
        await row('mon').locator('button[data-action="edit-slot"]').focus();
        await page.keyboard.press('Enter');
        const time = page.locator(`#slot-edit-${mon.id}-time`);
        await time.waitFor({ state: 'visible' });
        await time.focus();
        await page.keyboard.type('1045');
        await page.keyboard.press('Enter');
        await page.locator('#slots-table tr[data-day="mon"][data-time="10:45"]').waitFor({ state: 'visible' });
        api = await getJson(`/api/v1/slots?platform=${platform}&account=${encodeURIComponent(id)}`);
        check(api.slots.some((s) => s.id === mon.id && s.time === '10:45'), `not edited: ${JSON.stringify(api.slots)}`);
        await row('wed').locator('button[data-action="remove-slot"]').click();
        await row('wed').waitFor({ state: 'detached' });
        api = await getJson(`/api/v1/slots?platform=${platform}&account=${encodeURIComponent(id)}`);
        check(!api.slots.some((s) => s.day === 'wed' && s.time === '09:15'), 'the Wednesday slot is still stored');
        await phoneShot('#/queue', '#slots-table tr[data-slot]', 'slots-queue-phone');
    });

    await step('slots: Compose "Add to queue" takes the account\'s next free slot', async () => {
        check(account, 'no account from the first step');
        const [platform, id] = [account.split(':')[0], account.split(':').slice(1).join(':')];
        const next = await getJson(`/api/v1/slots/next?platform=${platform}&account=${encodeURIComponent(id)}&count=1`);
        check(next.next.length === 1, `no free slot: ${JSON.stringify(next)}`);
        await page.goto(BASE + '/#/compose');
        await page.locator('#compose-form').waitFor({ state: 'visible' });
        await page.check(`#compose-platform-${platform}`);
        await page.fill(`#compose-account-${platform}`, id);
        const title = `e2e queued post ${Date.now()}`;
        await page.fill('#compose-title', title);
        const clip = join(TMP, 'slots-clip.mp4');
        // A real clip: the server reads every upload with libavformat.
        execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10',
            '-t', '4', '-c:v', 'libx264', '-pix_fmt', 'yuv420p', clip], { timeout: 60000 });
        await page.setInputFiles('#compose-file', clip);
        await poll(async () => ((await page.locator('#compose-media').textContent()) || '').startsWith('Uploaded'), 'the upload to finish');
        await page.click('#compose-queue');
        const li = page.locator('#compose-result li[data-post]');
        await li.first().waitFor({ state: 'visible' });
        const text = (await li.first().textContent()) || '';
        check(text.includes('added to the queue'), `result: ${text}`);
        const postId = await li.first().getAttribute('data-post');
        const p = (await getJson('/api/v1/posts/' + postId)).post;
        check(p.publish_at === next.next[0].at && p.zone === next.next[0].zone && p.state === 'scheduled',
            `queued at ${p.publish_at} ${p.zone}, the next free slot was ${JSON.stringify(next.next[0])}`);
        console.log(`     post ${postId} queued for ${p.publish_at} (${p.local_time} ${p.zone})`);
        await shot(page, 'slots-compose-queued');
        // Out of the way of the steps after this one: it is not due yet.
        const r = await page.request.post(BASE + `/api/v1/posts/${postId}/cancel`, {
            headers: { Origin: BASE, 'X-CSRF-Token': await page.evaluate(async () => (await (await fetch('/api/v1/session')).json()).csrf) } });
        check(r.ok(), `cancelling the queued post: HTTP ${r.status()}`);
    });
}
