// Instagram carousels and TikTok photo posts in Compose (issue 14, part
// carousel): three JPEGs chosen at once upload in order and make an
// Instagram carousel and a TikTok photo post (the API stores the three
// files, in order, on each); the post page lists them; a PNG in a TikTok
// photo post is refused by the server, and the page shows the error
// naming the field. Desktop and 375 px screenshots of Compose with the
// files and of the post page. The posts are due in 2031: nothing here
// publishes (the publishers have their integration tests).
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Real 96x96 JPEGs (one colour each) and a 32x32 PNG, made with ffmpeg.
const FILES = {
    'red.jpg': '/9j/4AAQSkZJRgABAgAAAQABAAD//gAQTGF2YzU5LjM3LjEwMAD/2wBDAAgICAkICQsLCwsLCw0MDQ0NDQ0NDQ0NDQ0ODg4REREODg4NDQ4OEBARERITEhERERETExQUFBgYFxccHB0iIin/xABNAAEBAAAAAAAAAAAAAAAAAAAABQEBAQEAAAAAAAAAAAAAAAAAAAYHEAEAAAAAAAAAAAAAAAAAAAAAEQEAAAAAAAAAAAAAAAAAAAAA/8AAEQgAYABgAwEiAAIRAAMRAP/aAAwDAQACEQMRAD8AngJhpYAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAD/9k=',
    'blue.jpg': '/9j/4AAQSkZJRgABAgAAAQABAAD//gAQTGF2YzU5LjM3LjEwMAD/2wBDAAgICAkICQsLCwsLCw0MDQ0NDQ0NDQ0NDQ0ODg4REREODg4NDQ4OEBARERITEhERERETExQUFBgYFxccHB0iIin/xABMAAEBAAAAAAAAAAAAAAAAAAAABQEBAQAAAAAAAAAAAAAAAAAAAAYQAQAAAAAAAAAAAAAAAAAAAAARAQAAAAAAAAAAAAAAAAAAAAD/wAARCABgAGADASIAAhEAAxEA/9oADAMBAAIRAxEAPwCYAvEeAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA//2Q==',
    'green.jpg': '/9j/4AAQSkZJRgABAgAAAQABAAD//gAQTGF2YzU5LjM3LjEwMAD/2wBDAAgICAkICQsLCwsLCw0MDQ0NDQ0NDQ0NDQ0ODg4REREODg4NDQ4OEBARERITEhERERETExQUFBgYFxccHB0iIin/xABNAAEBAAAAAAAAAAAAAAAAAAAABQEBAQEAAAAAAAAAAAAAAAAAAAUHEAEAAAAAAAAAAAAAAAAAAAAAEQEAAAAAAAAAAAAAAAAAAAAA/8AAEQgAYABgAwEiAAIRAAMRAP/aAAwDAQACEQMRAD8AtAJzLwAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAH/9k=',
    'grey.png': 'iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAIAAAD8GO2jAAAACXBIWXMAAAABAAAAAQBPJcTWAAAAJklEQVR4nO3NMQ0AAAwDoMqv7KrYsQQMkB6LQCAQCAQCgUAg+BIMT/hgW8B1txUAAAAASUVORK5CYII=',
};
const IG = '17841400000000001';
const TT = 'tt1';

async function composeWith(page, poll, { platforms, title, files }) {
    // A fresh Compose: by way of the Queue (a hash change to the page
    // already shown keeps its form; a reload would abort its requests).
    await page.evaluate(() => { location.hash = '#/queue'; });
    await page.locator('#queue').waitFor({ state: 'visible' });
    await page.evaluate(() => { location.hash = '#/compose'; });
    await page.locator('#compose-form').waitFor({ state: 'visible' });
    for (const [p, account] of platforms) {
        await page.check(`#compose-platform-${p}`);
        await page.fill(`#compose-account-${p}`, account);
    }
    await page.fill('#compose-title', title);
    await page.fill('#compose-caption', 'Three colours, one post.');
    await page.fill('#compose-date', '2031-05-06');
    await page.fill('#compose-time', '10:00');
    await page.locator('#compose-date').dispatchEvent('change');
    await page.setInputFiles('#compose-file', files);
    await poll(async () => ((await page.locator('#compose-media').textContent()) || '').startsWith('Uploaded'),
        'the uploads to finish');
}

export async function carouselSteps({ page, context, step, check, poll, shot, watch, BASE, TMP, STEP_MS }) {
    const path = {};
    const sha = {};
    for (const [name, b64] of Object.entries(FILES)) {
        const bytes = Buffer.from(b64, 'base64');
        path[name] = join(TMP, 'carousel-' + name);
        writeFileSync(path[name], bytes);
        sha[name] = createHash('sha256').update(bytes).digest('hex');
    }
    const three = ['red.jpg', 'blue.jpg', 'green.jpg'];
    const title = `e2e carousel ${Date.now()}`;
    let ids = [];

    await step('carousel: three images make an Instagram carousel and a TikTok photo post, files in order', async () => {
        await composeWith(page, poll, { platforms: [['instagram', IG], ['tiktok', TT]], title,
            files: three.map((n) => path[n]) });
        const items = await page.locator('#compose-media-list li').allTextContents();
        check(items.length === 3 && items.every((t, i) => t.startsWith('carousel-' + three[i] + ':')), `the list: ${items.join(' | ')}`);
        const kind = (await page.locator('#compose-media-kind').textContent()) || '';
        check(kind === 'Instagram: a carousel (JPEG). TikTok: a photo post (JPEG or WebP). YouTube takes one video.', `the note: ${kind}`);
        await shot(page, '60-compose-carousel');
        await page.click('#compose-submit');
        await poll(async () => (await page.locator('#compose-result li.ok').count()) === 2, 'two posts in #compose-result');
        ids = await page.locator('#compose-result li.ok').evaluateAll((els) => els.map((e) => e.dataset.post));
        for (const id of ids) {
            const r = await (await page.request.get(`${BASE}/api/v1/posts/${id}`)).json();
            const p = r.post || r;
            const got = (p.media || []).map((m) => m.sha256);
            check(JSON.stringify(got) === JSON.stringify(three.map((n) => sha[n])),
                `post ${id} (${p.platform}): media ${JSON.stringify(got)}`);
            check(p.state === 'scheduled' && (p.media || []).every((m) => m.content_type === 'image/jpeg'),
                `post ${id}: ${p.state}, ${JSON.stringify(p.media)}`);
        }
        console.log(`     posts ${ids.join(', ')}: three JPEGs each, in the chosen order`);
    });

    await step('carousel: the post page lists the three files in order', async () => {
        check(ids.length === 2, 'no posts from the earlier step');
        await page.goto(`${BASE}/#/post/${ids[0]}`);
        await page.locator('#post-title').waitFor({ state: 'visible' });
        const label = (await page.locator('#post-media-label').textContent()) || '';
        check(label.includes('3 files'), `the media label: ${label}`);
        const rows = await page.locator('#post-media .mono').allTextContents();
        check(rows.length === 3 && rows.every((t, i) => t.includes('image/jpeg')), `the media rows: ${rows.join(' | ')}`);
        await shot(page, '61-post-carousel');
    });

    await step('carousel: a PNG in a TikTok photo post is refused by the server, the page names the field', async () => {
        await composeWith(page, poll, { platforms: [['tiktok', TT]], title: title + ' png',
            files: [path['red.jpg'], path['grey.png']] });
        await page.click('#compose-submit');
        // The server's error is shown next to the field it names.
        const text = await poll(async () => {
            const t = ((await page.locator('#compose-media-error').textContent()) || '').trim();
            return t ? t : null;
        }, '#compose-media-error');
        console.log(`     #compose-media-error: ${text}`);
        check(text.includes('TikTok') && text.includes('JPEG or WebP'), `the error: ${text}`);
        check(await page.locator('#compose-result li.ok').count() === 0, 'a post was made anyway');
        await shot(page, '62-compose-photo-refused');
    }, { allow: [/HTTP 4\d\d: POST .*\/api\/v1\/posts/, /status of 4\d\d/] });

    await step('phone width (375x812): compose with three files and the carousel post fit the screen', async () => {
        const phone = await context.newPage();
        phone.setDefaultTimeout(STEP_MS);
        watch(phone, 'phone');
        try {
            await phone.setViewportSize({ width: 375, height: 812 });
            await phone.goto(BASE + '/#/queue');
            await phone.locator('#queue').waitFor({ state: 'visible' });
            await composeWith(phone, poll, { platforms: [['instagram', IG]], title: title + ' phone',
                files: three.map((n) => path[n]) });
            let w = await phone.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
            check(w[0] <= w[1], `compose is ${w[0]} px wide in a ${w[1]} px viewport`);
            await shot(phone, '63-phone-compose-carousel');
            await phone.goto(`${BASE}/#/post/${ids[0]}`);
            await phone.locator('#post-media').waitFor({ state: 'visible' });
            w = await phone.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
            check(w[0] <= w[1], `the post page is ${w[0]} px wide in a ${w[1]} px viewport`);
            await shot(phone, '64-phone-post-carousel');
        } finally {
            await phone.close();
        }
    });
}
