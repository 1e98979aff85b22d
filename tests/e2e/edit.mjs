// Browser steps for editing and rescheduling (issue 14): in the calendar,
// a draft dragged to another day in the month view (the API then has the
// new UTC time), dragged onto the spring-forward day in Europe/Berlin
// where its 02:30 does not exist (the page asks; "Move to 03:00" stores
// 01:00 UTC), a scheduled post dragged in the week view and moved with the
// keyboard (Shift+Arrow Right), a cancelled post that does not move, and a
// stale drop answered by a 409 that changes nothing; on the post page the
// edit form (title and time), the list of changes, a stale save refused,
// and a draft scheduled with its "Schedule" button. Screenshots at desktop
// width and 375 px.

export async function editSteps({ page, context, step, check, poll, shot, idle, watch, BASE, postId }) {
    const csrf = async () => (await (await page.request.get(BASE + '/api/v1/session')).json()).csrf;
    const hdrs = async () => ({ 'X-CSRF-Token': await csrf(), Origin: BASE });
    const getPost = async (id) => (await (await page.request.get(BASE + '/api/v1/posts/' + id)).json());
    const src = (await getPost(postId)).post;
    const create = async (body) => {
        const r = await page.request.post(BASE + '/api/v1/posts', { headers: await hdrs(), data: body });
        check(r.status() === 201, `POST /api/v1/posts: ${r.status()} ${await r.text()}`);
        return (await r.json()).post;
    };
    const patch = async (p, body) => page.request.fetch(BASE + '/api/v1/posts/' + p.id,
        { method: 'PATCH', headers: await hdrs(), data: { ...body, version: p.version } });
    const chip = (pg, id) => pg.locator(`.cal-post[data-post="${id}"]`);
    const base = { platform: src.platform, account: src.account, zone: 'Europe/Berlin' };
    const posts = {};

    await step('edit: posts to move (a draft, a scheduled post, a cancelled one) in March 2099', async () => {
        posts.draft = await create({ ...base, title: 'e2e drag me', at: '2099-03-27 02:30', draft: true });
        posts.sched = await create({ ...base, title: 'e2e scheduled, moved', at: '2099-03-16 18:00', media: src.media });
        posts.gone = await create({ ...base, title: 'e2e cancelled', at: '2099-03-17 09:00', draft: true });
        const r = await page.request.post(`${BASE}/api/v1/posts/${posts.gone.id}/cancel`, { headers: await hdrs() });
        check(r.status() === 200, `cancel: ${r.status()}`);
    }, { critical: true });

    const month = BASE + '/#/calendar?view=month&date=2099-03-01&zone=Europe/Berlin';
    await step('edit: drag a draft to the next day in the month view', async () => {
        await page.setViewportSize({ width: 1280, height: 900 });
        await page.goto(month);
        await chip(page, posts.draft.id).waitFor({ state: 'visible' });
        check(await chip(page, posts.draft.id).getAttribute('draggable') === 'true', 'the draft is not draggable');
        check(await chip(page, posts.gone.id).getAttribute('draggable') === 'false', 'the cancelled post is draggable');
        await chip(page, posts.draft.id).dragTo(page.locator('.cal-day[data-date="2099-03-28"]'));
        const p = await poll(async () => {
            const q = (await getPost(posts.draft.id)).post;
            return q.publish_at === '2099-03-28T01:30:00Z' ? q : null;
        }, 'the API to show 2099-03-28T01:30:00Z');
        check(p.local_time === '2099-03-28 02:30:00' && p.zone === 'Europe/Berlin' && p.state === 'draft' && p.version === 2,
            `stored ${JSON.stringify(p)}`);
        await page.locator('.cal-day[data-date="2099-03-28"] .cal-post[data-post="' + posts.draft.id + '"]').waitFor();
        await poll(async () => /Moved/.test(await page.locator('#calendar-status').textContent()), 'the "Moved" line');
        await shot(page, 'edit-01-calendar-month-dragged');
    });

    await step('edit: a drop onto the DST gap asks, "Move to 03:00" stores 01:00 UTC', async () => {
        await chip(page, posts.draft.id).dragTo(page.locator('.cal-day[data-date="2099-03-29"]'));
        const ask = page.locator('#calendar-ask .ask');
        await ask.waitFor({ state: 'visible' });
        const text = await ask.textContent();
        check(text.includes('2099-03-29 02:30 does not exist in Europe/Berlin: clocks jump from 02:00 to 03:00'), `asked: ${text}`);
        check((await getPost(posts.draft.id)).post.version === 2, 'changed before the answer');
        await shot(page, 'edit-02-calendar-gap-asks');
        await page.click('#calendar-ask button[data-choice="shift"]');
        const p = await poll(async () => {
            const q = (await getPost(posts.draft.id)).post;
            return q.publish_at === '2099-03-29T01:00:00Z' ? q : null;
        }, 'the API to show 2099-03-29T01:00:00Z');
        console.log(`     dropped on the gap: ${p.local_time} ${p.zone} -> ${p.publish_at}`);
        await page.locator('.cal-day[data-date="2099-03-29"] .cal-post[data-post="' + posts.draft.id + '"]').waitFor();
        check((await chip(page, posts.draft.id).locator('.cal-time').textContent()).trim() === '03:00', 'the chip does not say 03:00');
    }, { allow: [/400/] }); // the resolve of a time in the gap is a 400

    const week = BASE + '/#/calendar?view=week&date=2099-03-16&zone=Europe/Berlin';
    await step('edit: drag a scheduled post in the week view, then Shift+Right moves it a day', async () => {
        await page.goto(week);
        await chip(page, posts.sched.id).waitFor({ state: 'visible' });
        await chip(page, posts.sched.id).dragTo(page.locator('.cal-day[data-date="2099-03-18"]'));
        await poll(async () => (await getPost(posts.sched.id)).post.publish_at === '2099-03-18T17:00:00Z', 'the API to show 2099-03-18T17:00:00Z');
        await page.locator('.cal-day[data-date="2099-03-18"] .cal-post[data-post="' + posts.sched.id + '"]').waitFor();
        await poll(async () => page.evaluate((id) => document.activeElement && document.activeElement.dataset.post === id,
            String(posts.sched.id)), 'focus back on the moved post');
        await page.keyboard.press('Shift+ArrowRight');
        const p = await poll(async () => {
            const q = (await getPost(posts.sched.id)).post;
            return q.publish_at === '2099-03-19T17:00:00Z' ? q : null;
        }, 'the keyboard move to 2099-03-19T17:00:00Z');
        check(p.state === 'scheduled' && p.local_time === '2099-03-19 18:00:00', `stored ${JSON.stringify(p)}`);
        await page.locator('.cal-day[data-date="2099-03-19"] .cal-post[data-post="' + posts.sched.id + '"]').waitFor();
        await shot(page, 'edit-03-calendar-week-moved');
    });

    await step('edit: a cancelled post does not move; a stale drop is a 409 and changes nothing', async () => {
        await chip(page, posts.gone.id).focus();
        await page.keyboard.press('Shift+ArrowRight');
        await poll(async () => /only drafts and scheduled posts/.test(await page.locator('#calendar-status').textContent()), 'the refusal');
        check((await getPost(posts.gone.id)).post.publish_at === posts.gone.publish_at, 'the cancelled post moved');
        // Someone else edits it meanwhile: the page's copy is stale.
        const cur = (await getPost(posts.sched.id)).post;
        const r = await patch(cur, { title: 'e2e edited elsewhere' });
        check(r.status() === 200, `PATCH: ${r.status()}`);
        await chip(page, posts.sched.id).dragTo(page.locator('.cal-day[data-date="2099-03-20"]'));
        await poll(async () => /Nothing was saved: post \d+ was changed meanwhile/.test(await page.locator('#calendar-status').textContent()), 'the 409 message');
        const after = (await getPost(posts.sched.id)).post;
        check(after.publish_at === '2099-03-19T17:00:00Z' && after.title === 'e2e edited elsewhere', `stored ${JSON.stringify(after)}`);
        await shot(page, 'edit-04-calendar-stale');
    }, { allow: [/409/] });

    await step('edit: the calendar at 375 px (month and week), no sideways scroll', async () => {
        const phone = await context.newPage();
        try {
            watch(phone, 'edit-phone');
            await phone.setViewportSize({ width: 375, height: 740 });
            for (const [url, name] of [[month, 'edit-05-phone-calendar-month'], [week, 'edit-06-phone-calendar-week']]) {
                await phone.goto(url);
                await chip(phone, posts.draft.id).or(chip(phone, posts.sched.id)).first().waitFor({ state: 'visible' });
                await idle(phone);
                const w = await phone.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
                check(w[0] <= w[1], `${url} is ${w[0]} px wide in ${w[1]} px`);
                await shot(phone, name);
            }
        } finally {
            await phone.close();
        }
    });

    await step('edit: the post page edit form changes title and time; the change is listed', async () => {
        await page.goto(BASE + '/#/post/' + posts.sched.id);
        await page.click('#post-edit summary');
        await page.fill('#post-edit-title', 'e2e rescheduled on its page');
        await page.fill('#post-edit-date', '2099-03-21');
        await page.fill('#post-edit-time', '19:15');
        await page.click('#post-edit-save');
        const p = await poll(async () => {
            const q = (await getPost(posts.sched.id)).post;
            return q.publish_at === '2099-03-21T18:15:00Z' ? q : null;
        }, 'the API to show 2099-03-21T18:15:00Z');
        check(p.title === 'e2e rescheduled on its page', `title ${p.title}`);
        const row = page.locator(`#post-edits tr[data-version="${p.version}"]`);
        await row.waitFor({ state: 'visible' });
        const t = await row.textContent();
        check(t.includes('Title') && t.includes('e2e rescheduled on its page') && t.includes('2099-03-21T18:15:00Z'), `the change row: ${t}`);
        check(await page.locator('#post-edits tbody tr').count() === p.version - 1, 'one row per edit');
        await shot(page, 'edit-07-post-page-edited');
    });

    await step('edit: a stale save on the post page is refused and says so', async () => {
        await page.click('#post-edit summary');
        const cur = (await getPost(posts.sched.id)).post;
        const r = await patch(cur, { caption: 'changed in another tab' });
        check(r.status() === 200, `PATCH: ${r.status()}`);
        await page.fill('#post-edit-title', 'e2e stale title');
        await page.click('#post-edit-save');
        await poll(async () => /Nothing was saved: post \d+ was changed meanwhile/.test(await page.locator('#post-edit-error').textContent()), 'the 409 message');
        check((await getPost(posts.sched.id)).post.title === 'e2e rescheduled on its page', 'the stale title was saved');
        await shot(page, 'edit-08-post-page-stale');
    }, { allow: [/409/] });

    await step('edit: a draft is scheduled from its page (desktop and 375 px)', async () => {
        const d = await create({ ...base, title: 'e2e draft to schedule', at: '2099-04-02 10:00', media: src.media, draft: true });
        const phone = await context.newPage();
        try {
            watch(phone, 'edit-phone');
            await phone.setViewportSize({ width: 375, height: 740 });
            await phone.goto(BASE + '/#/post/' + d.id);
            await phone.locator('#post-schedule').waitFor({ state: 'visible' });
            await idle(phone);
            const w = await phone.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
            check(w[0] <= w[1], `the post page is ${w[0]} px wide in ${w[1]} px`);
            await shot(phone, 'edit-09-phone-post-draft');
        } finally {
            await phone.close();
        }
        await page.goto(BASE + '/#/post/' + d.id);
        await page.locator('#post-schedule').waitFor({ state: 'visible' });
        await shot(page, 'edit-10-post-page-draft');
        await page.click('#post-schedule');
        await poll(async () => (await getPost(d.id)).post.state === 'scheduled', 'the draft to be scheduled');
        await page.locator('#post-state').filter({ hasText: 'Scheduled' }).waitFor();
        const ev = (await getPost(d.id)).events;
        check(ev[ev.length - 1].from === 'draft' && ev[ev.length - 1].to === 'scheduled', `events ${JSON.stringify(ev)}`);
        await shot(page, 'edit-11-post-page-scheduled');
        for (const p of [posts.draft, posts.sched, d]) {
            await page.request.post(`${BASE}/api/v1/posts/${p.id}/cancel`, { headers: await hdrs() });
        }
    });
}
