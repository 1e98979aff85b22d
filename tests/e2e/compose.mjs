// Compose as creators' tools do it (issue 14, part "compose"), in the
// browser: the only connected account of a platform preselected and
// named by handle, the dryrun publisher hidden (the server does not set
// compose.dryrun); live counters against the limits GET
// /api/v1/publishers states, every problem next to its field at once
// (nothing sent while the page sees one), a server refusal (a time in a
// DST gap) shown next to its field; previews per platform (YouTube
// thumbnail and title, Instagram's first 125 characters above the fold,
// TikTok's caption); a near-duplicate post scheduled with a warning.
// Screenshots at 1280 px and 375 px.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export async function composeSteps({ page, context, step, check, poll, shot, watch, BASE, TMP, STEP_MS }) {
    const getJson = async (p) => (await page.request.get(BASE + p)).json();
    const text = async (sel) => ((await page.locator(sel).textContent().catch(() => '')) || '').trim();
    // A JPEG: every platform here takes one (TikTok refuses PNG photos).
    const image = join(TMP, 'compose-thumb.jpg');
    execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', '-f', 'lavfi', '-i',
        'gradients=size=160x90:seed=7', '-frames:v', '1', image], { timeout: 30000 });
    const caption = 'Behind the scenes of our launch! ' + 'So much to tell you about this one. '.repeat(4) + '#launch #bts @friend';
    const dupTitle = `e2e duplicate ${Date.now()}`;

    await step('compose: the one connected account preselected by handle, dryrun hidden', async () => {
        await page.goto(BASE + '/#/compose');
        await page.locator('#compose-form').waitFor({ state: 'visible' });
        const pubs = await getJson('/api/v1/publishers');
        check(pubs.compose_dryrun === false && pubs.platforms.includes('dryrun'), `publishers ${JSON.stringify(pubs)}`);
        check(await page.locator('#compose-platform-dryrun').count() === 0, 'the dryrun publisher is offered');
        const src = await getJson('/api/v1/sources');
        const accts = (await getJson('/api/v1/accounts?limit=500')).accounts;
        for (const p of ['youtube', 'instagram', 'tiktok']) {
            const ok = src.accounts.filter((a) => a.platform === p && !a.needs_relogin);
            const field = await page.locator(`#compose-account-${p}`).inputValue();
            const is = await text(`#compose-account-${p}-is`);
            if (ok.length === 1) {
                const a = accts.find((x) => x.platform === p && x.id === ok[0].account);
                const name = (a && (a.handle || a.title)) || ok[0].account;
                check(field === name, `${p}: field "${field}", want "${name}"`);
                check(is.includes('account id ' + ok[0].account) && is.includes('connected'), `${p}: "${is}"`);
                console.log(`     ${p}: preselected "${field}" (${is})`);
            } else {
                check(field === '', `${p}: ${ok.length} connected accounts, yet "${field}" is preselected`);
            }
        }
        await shot(page, '60-compose-preselected');
    });

    await step('compose: live counters, every problem next to its field, nothing sent', async () => {
        const posts = [];
        const onReq = (r) => { if (r.url() === BASE + '/api/v1/posts' && r.method() === 'POST') posts.push(r); };
        page.on('request', onReq);
        for (const p of ['youtube', 'instagram', 'tiktok']) await page.check(`#compose-platform-${p}`);
        await page.fill('#compose-account-tiktok', '');
        await page.fill('#compose-title', 'é'.repeat(101));
        await page.fill('#compose-caption', '#tag '.repeat(31) + 'a <b>');
        const yt = page.locator('#compose-title-count .counter[data-platform="youtube"]');
        await poll(async () => (await yt.textContent()).includes('101/100'), 'the YouTube title counter at 101/100');
        check((await yt.getAttribute('class')).includes('over'), 'the counter over the limit is not marked');
        const ig = await text('#compose-caption-count .counter[data-platform="instagram"][data-what="hashtags"]');
        check(ig === 'Instagram 31/30 hashtags', `Instagram hashtag counter "${ig}"`);
        const tt = await text('#compose-caption-count .counter[data-platform="tiktok"]');
        check(tt === 'TikTok 160/2,200 characters (UTF-16)', `TikTok counter "${tt}"`);
        await page.click('#compose-submit');
        const errs = {};
        for (const f of ['title', 'caption', 'media', 'account-tiktok']) {
            errs[f] = await poll(async () => (await page.locator(`#compose-${f}-error`).isVisible()) && text(`#compose-${f}-error`), `#compose-${f}-error`);
        }
        console.log(`     ${JSON.stringify(errs)}`);
        check(errs.title.includes('YouTube: 101 characters; YouTube allows 100'), 'title: ' + errs.title);
        check(errs.caption.includes('Instagram: 31 hashtags in a caption; Instagram allows 30') &&
            errs.caption.includes('YouTube: YouTube refuses < and > in a description'), 'caption: ' + errs.caption);
        check(errs.media.includes('Upload a video or image first'), 'media: ' + errs.media);
        check(errs['account-tiktok'].includes('TikTok: the account is needed'), 'account: ' + errs['account-tiktok']);
        await shot(page, '61-compose-problems');
        page.off('request', onReq);
        check(posts.length === 0, `${posts.length} POST /api/v1/posts with problems on the page`);
    });

    await step('compose: previews per platform (thumbnail, Instagram\'s fold, TikTok caption)', async () => {
        await page.fill('#compose-title', 'Launch day');
        await page.fill('#compose-caption', caption);
        await page.fill('#compose-account-tiktok', 'e2e-tiktok-user');
        await page.setInputFiles('#compose-file', image);
        await poll(async () => (await text('#compose-media')).startsWith('Uploaded'), 'the upload to finish');
        for (const f of ['title', 'caption', 'media', 'account-tiktok']) {
            await poll(async () => !(await page.locator(`#compose-${f}-error`).isVisible()), `#compose-${f}-error to go`);
        }
        const thumb = page.locator('#compose-preview-youtube img.preview-thumb');
        await poll(async () => thumb.evaluate((i) => i.complete && i.naturalWidth === 160), 'the YouTube thumbnail');
        check(await text('#compose-preview-youtube .preview-title') === 'Launch day', 'YouTube preview title');
        const fold = await page.locator('#compose-preview-instagram .preview-fold').textContent();
        check([...fold].length === 125 && caption.startsWith(fold), `Instagram above the fold: ${[...fold].length} characters`);
        check(await page.locator('#compose-preview-instagram .preview-more').isVisible(), 'no "more" after the fold');
        check(await page.locator('#compose-preview-instagram img.preview-square').count() === 1, 'no Instagram image');
        check((await page.locator('#compose-preview-tiktok .preview-caption').textContent()) === caption, 'TikTok caption');
        const ig = await text('#compose-caption-count .counter[data-platform="instagram"][data-what="hashtags"]');
        check(ig === 'Instagram 2/30 hashtags', `Instagram hashtag counter "${ig}"`);
        // each preview is drawn by its descriptor's kind (GET /api/v1/platforms)
        const kinds = await page.$$eval('#compose-previews article.preview', (as) => as.map((a) => [a.id, a.dataset.preview]));
        check(JSON.stringify(kinds) === JSON.stringify([['compose-preview-youtube', 'video_page'],
            ['compose-preview-instagram', 'square_post'], ['compose-preview-tiktok', 'vertical_video']]),
        `preview kinds: ${JSON.stringify(kinds)}`);
        await shot(page, '62-compose-previews');
        const phone = await context.newPage();
        phone.setDefaultTimeout(STEP_MS);
        watch(phone, 'phone-compose');
        try {
            await phone.setViewportSize({ width: 375, height: 812 });
            await phone.goto(BASE + '/#/compose');
            await phone.locator('#compose-form').waitFor({ state: 'visible' });
            for (const p of ['youtube', 'instagram', 'tiktok']) await phone.check(`#compose-platform-${p}`);
            await phone.fill('#compose-title', 'é'.repeat(101));
            await phone.fill('#compose-caption', caption);
            await phone.setInputFiles('#compose-file', image);
            await poll(async () => ((await phone.locator('#compose-media').textContent()) || '').startsWith('Uploaded'), 'the phone upload');
            await phone.locator('#compose-preview-tiktok').waitFor({ state: 'visible' });
            const w = await phone.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
            check(w[0] <= w[1], `compose is ${w[0]} px wide in a ${w[1]} px viewport (scrolls sideways)`);
            await shot(phone, '63-phone-compose-previews');
        } finally {
            await phone.close();
        }
    });

    await step('compose: a time in a DST gap refused by the server, shown next to the time', async () => {
        for (const p of ['youtube', 'instagram']) await page.uncheck(`#compose-platform-${p}`);
        await page.fill('#compose-title', dupTitle);
        await page.selectOption('#compose-zone', 'Europe/Berlin');
        await page.fill('#compose-date', '2031-03-30');
        await page.fill('#compose-time', '02:30');
        await page.locator('#compose-date').dispatchEvent('change');
        await poll(async () => (await text('#compose-note')).includes('does not exist in Europe/Berlin'), 'the gap note');
        await page.click('#compose-submit');
        const e = await poll(async () => (await page.locator('#compose-when-error').isVisible()) && text('#compose-when-error'), '#compose-when-error');
        check(e.startsWith('TikTok: 2031-03-30 02:30 does not exist in Europe/Berlin'), `#compose-when-error: ${e}`);
        check(await page.locator('#compose-result li[data-post]').count() === 0, 'a post was made');
    }, { allow: [/400/] });

    await step('compose: the same post again on the same account: scheduled, with a duplicate warning', async () => {
        await page.fill('#compose-time', '18:00');
        await page.locator('#compose-date').dispatchEvent('change');
        await poll(async () => (await text('#compose-utc')) === '2031-03-30 16:00:00 UTC', 'the UTC time');
        await page.click('#compose-submit');
        const first = page.locator('#compose-result li[data-post]');
        await first.first().waitFor({ state: 'visible' });
        const id1 = await first.first().getAttribute('data-post');
        check(await page.locator('#compose-result .compose-warning').count() === 0, 'a warning on the first post');
        // A new composition, the same text, media and time.
        await page.click('#compose-submit');
        const warn = page.locator('#compose-result .compose-warning');
        await warn.first().waitFor({ state: 'visible' });
        const id2 = await page.locator('#compose-result li[data-post]').first().getAttribute('data-post');
        const w = await text('#compose-result .compose-warning');
        console.log(`     post ${id1}, then ${id2}: ${w}`);
        check(id2 !== id1, 'the second submit made no new post');
        check(w.includes(`post ${id1} on the same tiktok account, due at the same time, has the same text and media`), `warning: ${w}`);
        check(await warn.locator(`a[href="#/post/${id1}"]`).count() === 1, 'the warning does not link the first post');
        const both = (await getJson('/api/v1/posts?limit=1000')).posts.filter((p) => p.title === dupTitle);
        check(both.length === 2 && both.every((p) => p.state === 'scheduled' && p.account === 'e2e-tiktok-user' &&
            p.publish_at === '2031-03-30T16:00:00Z'), `stored: ${JSON.stringify(both.map((p) => [p.id, p.state, p.account, p.publish_at]))}`);
        await shot(page, '64-compose-duplicate-warning');
    });
}
