// The media library (issue 14, part media) in the browser: videos and an
// image made by the ffmpeg CLI are uploaded on the Media page, which
// shows each with the thumbnail the server took with the ffmpeg
// libraries, its facts and which platforms it suits; Compose picks a
// library file; the server refuses an Instagram post of a 16-minute
// video naming media.duration; a used file cannot be deleted, an unused
// one can. Desktop and 375 px screenshots.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

function ffmpeg(...args) {
    execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', ...args], { timeout: 30000 });
}

// A JSON API call from the page (its session and CSRF token).
async function call(page, method, path, body) {
    return page.evaluate(async ([m, p, b]) => {
        const s = await (await fetch('/api/v1/session')).json();
        const r = await fetch(p, { method: m, headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf },
            body: b === null ? undefined : JSON.stringify(b) });
        return { status: r.status, json: await r.json().catch(() => null) };
    }, [method, path, body === undefined ? null : body]);
}

export async function mediaSteps({ page, context, step, check, poll, shot, watch, BASE, TMP, STEP_MS }) {
    const clip = join(TMP, 'media-clip.mp4');
    const long = join(TMP, 'media-long.mp4');
    const pic = join(TMP, 'media-pic.jpg');
    const sha = {};
    let postId = null;

    await step('media: upload two videos and an image; thumbnails, facts and platform fit shown', async () => {
        ffmpeg('-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=10', '-t', '4', '-c:v', 'libx264', '-preset', 'ultrafast',
            '-pix_fmt', 'yuv420p', clip);
        ffmpeg('-f', 'lavfi', '-i', 'color=c=0x2a6fdb:size=64x36:rate=1', '-t', '960', '-c:v', 'libx264', '-preset', 'ultrafast',
            '-pix_fmt', 'yuv420p', long);
        ffmpeg('-f', 'lavfi', '-i', 'testsrc=size=480x480', '-frames:v', '1', pic);
        await page.click('a[href="#/media"]');
        await page.locator('#media h1').waitFor({ state: 'visible' });
        // The heading is drawn before the library's list has loaded: the
        // cards counted before an upload must be the loaded list's (an
        // empty list read too early made the first upload's count wrong
        // by the cards already there: 4 cards, want 1).
        await poll(async () => (await page.locator('#media-body > *').count()) > 0, 'the media library to load');
        for (const [f, key] of [[clip, 'clip'], [long, 'long'], [pic, 'pic']]) {
            const shas = async () => page.locator('#media-list li.media-card').evaluateAll((els) => els.map((e) => e.dataset.sha));
            const before = await shas();
            await page.setInputFiles('#media-file', f);
            await poll(async () => (await shas()).length === before.length + 1, `the card of ${key} in #media-list`);
            // The new card (uploads in the same second sort by hash, not
            // by order of upload).
            sha[key] = (await shas()).find((x) => !before.includes(x));
        }
        const card = (k) => page.locator(`#media-list li[data-sha="${sha[k]}"]`);
        const facts = (await card('clip').locator('.media-facts').textContent()) || '';
        console.log(`     clip: ${facts}`);
        check(facts.includes('H.264') && facts.includes('640×360') && facts.includes('0:04'), `clip facts: ${facts}`);
        const longFacts = (await card('long').locator('.media-facts').textContent()) || '';
        check(longFacts.includes('16:00'), `16-minute video facts: ${longFacts}`);
        const w = await poll(async () => card('clip').locator('img.media-thumb').evaluate((i) => i.complete && i.naturalWidth),
            'the clip thumbnail to load');
        check(w === 320, `thumbnail naturalWidth ${w}, want 320 (640x360 scaled to 320)`);
        const picW = await poll(async () => card('pic').locator('img.media-thumb').evaluate((i) => i.complete && i.naturalWidth),
            'the image thumbnail to load');
        check(picW === 320, `image thumbnail naturalWidth ${picW}`);
        const ig = card('long').locator('.media-fits li[data-platform="instagram"]');
        check(await ig.getAttribute('data-fits') === 'no', 'the 16-minute video is marked as fitting Instagram');
        const why = await ig.getAttribute('title');
        check(/15 min/.test(why || ''), `Instagram badge title: ${why}`);
        check(await card('long').locator('.media-fits li[data-platform="youtube"]').getAttribute('data-fits') === 'yes',
            'the 16-minute video does not fit YouTube');
        check(await card('pic').locator('.media-fits li[data-platform="youtube"]').getAttribute('data-fits') === 'no',
            'an image fits YouTube');
        await shot(page, '40-media-library');
    }, { critical: false });

    await step('media: Compose picks a file from the library; the server refuses a too-long Instagram video', async () => {
        check(sha.clip && sha.long, 'no uploads from the step before');
        await page.click('a[href="#/compose"]');
        await page.locator('#compose-form').waitFor({ state: 'visible' });
        await page.click('#compose-library summary');
        const use = page.locator(`#compose-library-list button.media-use[data-sha="${sha.clip}"]`);
        await use.waitFor({ state: 'visible' });
        await shot(page, '41-compose-library-open');
        await use.click();
        const info = await poll(async () => {
            const t = (await page.locator('#compose-media').textContent()) || '';
            return t.startsWith('From the library') ? t : null;
        }, '#compose-media to name the library file');
        check(info.includes('media-clip.mp4'), `#compose-media: ${info}`);
        check((await page.locator('#compose-media').getAttribute('data-path') || '').endsWith(sha.clip + '.mp4'),
            'the picked path is not the library file');
        await shot(page, '42-compose-library-picked');
        // "Use in Compose" on the Media page preselects the file too.
        await page.goto(BASE + '/#/compose?media=' + sha.long);
        await poll(async () => ((await page.locator('#compose-media').textContent()) || '').includes('media-long.mp4'),
            '#/compose?media= to preselect the file');
        // The page bypassed: the server checks Instagram's limits itself.
        const lib = await call(page, 'GET', '/api/v1/media');
        const m = (k) => { const x = lib.json.media.find((e) => e.sha256 === sha[k]); return { path: x.path, sha256: x.sha256, bytes: x.bytes, content_type: x.content_type }; };
        const body = (k) => ({ platform: 'instagram', account: 'e2e-ig', title: 'e2e media ' + k, caption: 'media step',
            media: [m(k)], at: '2099-05-01 12:00', zone: 'Europe/Berlin' });
        const bad = await call(page, 'POST', '/api/v1/posts', body('long'));
        console.log(`     16-minute video to Instagram: ${bad.status} ${JSON.stringify(bad.json && bad.json.error)}`);
        check(bad.status === 422 && bad.json.error.param === 'media.duration', `want 422 media.duration, got ${bad.status}`);
        const ok = await call(page, 'POST', '/api/v1/posts', body('clip'));
        check(ok.status === 201, `the 4 s clip to Instagram: ${ok.status} ${JSON.stringify(ok.json)}`);
        postId = ok.json.post.id;
    }, { allow: [/422/] });

    await step('media: a used file cannot be deleted, an unused one can; cancelled, the clip goes too', async () => {
        check(postId, 'no post from the step before');
        await page.click('a[href="#/media"]');
        const clipCard = page.locator(`#media-list li[data-sha="${sha.clip}"]`);
        await clipCard.waitFor({ state: 'visible' });
        const used = (await clipCard.locator('.media-used').textContent()) || '';
        check(used.includes('e2e media clip') && used.includes('Scheduled'), `used by: ${used}`);
        check(await clipCard.locator(`.media-posts a[href="#/post/${postId}"]`).count() === 1, 'no link to the post');
        check(await clipCard.locator('button.media-delete').isDisabled(), 'Delete is enabled for a used file');
        await shot(page, '43-media-used');
        page.once('dialog', (d) => d.accept());
        await page.click(`#media-list li[data-sha="${sha.long}"] button.media-delete`);
        await poll(async () => (await page.locator(`#media-list li[data-sha="${sha.long}"]`).count()) === 0,
            'the deleted file to leave the list');
        const gone = await call(page, 'GET', '/api/v1/media/' + sha.long);
        check(gone.status === 404, `the deleted file answers ${gone.status}`);
        const c = await call(page, 'POST', `/api/v1/posts/${postId}/cancel`);
        check(c.status === 200, `cancel: ${c.status}`);
        await page.reload();
        await clipCard.waitFor({ state: 'visible' });
        await poll(async () => !(await clipCard.locator('button.media-delete').isDisabled()), 'Delete to be enabled after the cancel');
        page.once('dialog', (d) => d.accept());
        await clipCard.locator('button.media-delete').click();
        await poll(async () => (await clipCard.count()) === 0, 'the clip to leave the list');
        await shot(page, '44-media-after-delete');
    }, { allow: [/404/] });

    await step('phone width (375x812): the media library fits the screen', async () => {
        const phone = await context.newPage();
        phone.setDefaultTimeout(STEP_MS);
        watch(phone, 'phone-media');
        try {
            await phone.setViewportSize({ width: 375, height: 812 });
            await phone.goto(BASE + '/#/media');
            await phone.locator('#media-list li.media-card').first().waitFor({ state: 'visible' });
            await poll(async () => phone.locator('#media-list img.media-thumb').first().evaluate((i) => i.complete && i.naturalWidth > 0),
                'the thumbnail on the phone');
            const w = await phone.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
            check(w[0] <= w[1], `the page scrolls sideways: ${w[0]} > ${w[1]}`);
            await shot(phone, '45-phone-media');
            await phone.goto(BASE + '/#/compose');
            await phone.locator('#compose-form').waitFor({ state: 'visible' });
            await phone.click('#compose-library summary');
            await phone.locator('#compose-library-list li').first().waitFor({ state: 'visible' });
            const w2 = await phone.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
            check(w2[0] <= w2[1], `compose scrolls sideways: ${w2[0]} > ${w2[1]}`);
            await shot(phone, '46-phone-compose-library');
        } finally {
            await phone.close();
        }
    });
}
