// Notifications (issue 14, part notify) in the browser: the page shows
// both channels as configured by run.sh (a local webhook receiver and
// SMTP server), "Send a test of each kind" queues seven events that
// serve's loop delivers; the page follows them to "sent", the delivery
// log lists the attempts, and the receivers got seven signed webhooks
// (the HMAC checked here with node's crypto) and seven mails. Desktop
// and 375 px screenshots.
import { createHmac } from 'node:crypto';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const KINDS = ['post.published', 'post.failed', 'post.missed', 'post.needs_relogin',
    'account.relogin', 'content.spike', 'collector.failing'];

function testHooks(dir) {
    const f = join(dir, 'hooks.jsonl');
    if (!existsSync(f)) return [];
    return readFileSync(f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l))
        .filter((r) => JSON.parse(r.body).test === true);
}

function mailCount(dir) {
    const d = join(dir, 'mail');
    return existsSync(d) ? readdirSync(d).filter((n) => n.endsWith('.eml')).length : 0;
}

export async function notifySteps({ page, context, step, check, poll, shot, watch, BASE, STEP_MS, NOTIFY_DIR }) {
    await step('notifications: both channels shown; a test of each kind is delivered, signed', async () => {
        await page.click('a[href="#/notifications"]');
        await page.locator('#notifications h1').waitFor({ state: 'visible' });
        const hook = page.locator('.notify-channel[data-channel="webhook"]');
        await hook.waitFor({ state: 'visible' });
        const ht = (await hook.textContent()) || '';
        check(ht.includes('on') && ht.includes('/e2e-hook') && ht.includes('yes'), `webhook card: ${ht}`);
        check(!ht.includes('e2e-secret'), 'the webhook card shows the secret');
        const mt = (await page.locator('.notify-channel[data-channel="mail"]').textContent()) || '';
        check(mt.includes('me@example.com') && mt.includes('never (plain text)'), `mail card: ${mt}`);
        const before = mailCount(NOTIFY_DIR);
        const [req] = await Promise.all([
            page.waitForRequest((r) => r.url() === `${BASE}/api/v1/notify/test`),
            page.click('#notify-test'),
        ]);
        check(req.method() === 'POST' && (await req.allHeaders())['x-csrf-token'], 'the test request is not a POST with X-CSRF-Token');
        const note = await poll(async () => {
            const t = ((await page.locator('#notify-test-note').textContent()) || '').trim();
            return t.startsWith('Test notifications sent') ? t : null;
        }, '#notify-test-note to say the tests were sent');
        console.log(`     #notify-test-note: ${note}`);
        check(note === 'Test notifications sent.', `some failed: ${note}`);
        const hooks = await poll(async () => { const h = testHooks(NOTIFY_DIR); return h.length >= 7 ? h : null; },
            '7 test webhooks at the receiver');
        for (const k of KINDS) check(hooks.some((r) => r.headers['X-Mediadash-Event'] === k), `no webhook of kind ${k}`);
        for (const r of hooks) {
            const want = 'sha256=' + createHmac('sha256', 'e2e-secret').update(r.body, 'utf8').digest('hex');
            check(r.headers['X-Mediadash-Signature'] === want, `a webhook's signature does not verify: ${r.headers['X-Mediadash-Signature']}`);
        }
        await poll(async () => mailCount(NOTIFY_DIR) >= before + 7, '7 more mails at the SMTP server');
        const okRows = await page.locator('#notify-log tbody tr.ok').count();
        check(okRows >= 14, `the delivery log shows ${okRows} ok rows, not 14 or more`);
        check(await page.locator('#notify-events tbody tr[data-kind="content.spike"]').count() >= 1, 'no spike row among the events');
        await shot(page, '60-notifications');
    });

    await step('phone width (375x812): the notifications page fits the screen', async () => {
        const phone = await context.newPage();
        phone.setDefaultTimeout(STEP_MS);
        watch(phone, 'phone');
        try {
            await phone.setViewportSize({ width: 375, height: 812 });
            await phone.goto(BASE + '/#/notifications');
            await phone.locator('#notify-log').waitFor({ state: 'visible' });
            const w = await phone.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
            check(w[0] <= w[1], `#/notifications is ${w[0]} px wide in a ${w[1]} px viewport (scrolls sideways)`);
            await shot(phone, '61-phone-notifications');
        } finally {
            await phone.close();
        }
    });
}
