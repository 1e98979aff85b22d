// A live stream's item page (issue 16, part twstream) in the browser:
// saved Helix pages imported through POST /api/v1/import at known times
// (a viewer curve of five points with a 25-minute gap, the VOD recorded
// from the stream, two clips of it), then the stream page shows the
// figures the API computes (peak, average, minutes watched, duration and
// the points behind them), the gap note, the viewer chart, and "From
// this stream" linking the VOD and the clips to their own pages; the
// VOD's page links back to its stream. Desktop and 375 px screenshots,
// no sideways scroll on the phone, no axe-core violation at either width
// (in a browser context that bypasses the CSP, as present.mjs does).
// Called last before logout: the Twitch items it adds change no earlier
// step's counts.

import { join } from 'node:path';
import { AXE } from './present.mjs';

const UID = '141981764';
const SID = '43000000009';
const VOD = '1960000009';

function pages(startIso) {
    const stream = (v) => ({ data: [{ id: SID, user_id: UID, user_login: 'pixelpacelive', user_name: 'PixelPace',
        game_id: '1', game_name: 'Celeste', type: 'live', title: 'E2E stream: Any% practice', viewer_count: v,
        started_at: startIso, language: 'en', thumbnail_url: '', tag_ids: [] }], pagination: {} });
    const clip = (id, views, off) => ({ id, url: 'https://clips.twitch.tv/' + id,
        embed_url: 'https://clips.twitch.tv/embed?clip=' + id, broadcaster_id: UID, broadcaster_name: 'PixelPace',
        creator_id: '53834192', creator_name: 'viewer', video_id: VOD, game_id: '1', language: 'en',
        title: 'E2E clip ' + id, view_count: views, created_at: startIso, thumbnail_url: '', duration: 28.5,
        vod_offset: off, is_featured: false });
    const videos = { data: [{ id: VOD, stream_id: SID, user_id: UID, user_login: 'pixelpacelive',
        user_name: 'PixelPace', title: 'E2E stream: Any% practice (VOD)', description: '', created_at: startIso,
        published_at: startIso, url: 'https://www.twitch.tv/videos/' + VOD, thumbnail_url: '', viewable: 'public',
        view_count: 512, language: 'en', type: 'archive', duration: '50m0s', muted_segments: null }], pagination: {} };
    const clips = { data: [clip('E2EClipA', 45, 600), clip('E2EClipB', 9, 1800)], pagination: {} };
    return { stream, videos, clips };
}

async function axeViolations(page, axePath) {
    if (!AXE) // E2E_AXE=0: see present.mjs
        return [];
    await page.addScriptTag({ path: axePath });
    const r = await page.evaluate(() => window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'best-practice'] },
        resultTypes: ['violations'],
    }));
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} [` +
        v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(', ') + ']');
}

async function axeStream(t, axePath) {
    const browser = await t.chromium.launch({
        executablePath: t.CHROMIUM, headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
            '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const out = [];
    try {
        const ctx = await browser.newContext({ bypassCSP: true });
        await ctx.addCookies(await t.context.cookies());
        for (const [name, width] of [['desktop', 1280], ['phone', 375]]) {
            const p = await ctx.newPage();
            p.setDefaultTimeout(15000);
            await p.setViewportSize({ width, height: 812 });
            t.watch(p, 'twitch-axe-' + name);
            await p.goto(t.BASE + '/#/item/twitch/' + SID);
            await p.locator('#stream-figures').waitFor({ state: 'visible' });
            await t.idle(p);
            out.push(...(await axeViolations(p, axePath)).map((l) => name + ': ' + l));
            await p.close();
        }
    } finally {
        await browser.close().catch(() => {});
    }
    return out;
}

export async function twitchSteps(t) {
    const { page, context, step, check, poll, shot, watch, drawnChart, idle, BASE, NODE_MODULES } = t;
    const axePath = join(NODE_MODULES, 'axe-core', 'axe.min.js');
    // Yesterday 19:00 UTC; points at +5, +10, +20, +45, +50 minutes.
    const day = new Date(Date.now() - 86400000).toISOString().slice(0, 10);
    const at = (min) => new Date(Date.parse(day + 'T19:00:00Z') + min * 60000).toISOString().replace('.000Z', 'Z');

    await step('twitch: a stream, its VOD and clips imported through the API', async () => {
        await page.goto(BASE + '/#/');
        await page.locator('#overview').waitFor({ state: 'visible' });
        const p = pages(at(0));
        const docs = [[5, 100], [10, 300], [20, 200], [45, 400], [50, 0]].map(([m, v], i) =>
            ['stream' + i + '.json', at(m), 'twitch.streams', p.stream(v)]);
        docs.push(['videos.json', at(120), 'twitch.videos', p.videos], ['clips.json', at(120), 'twitch.clips', p.clips]);
        const res = await page.evaluate(async (list) => {
            const { api } = await import('/assets/api.js');
            const out = [];
            for (const [name, when, , body] of list) {
                const q = new URLSearchParams({ name, observed_at: when });
                try {
                    await api('/api/v1/import?' + q, { method: 'POST', contentType: 'application/json', body: JSON.stringify(body) });
                    out.push('ok');
                } catch (e) {
                    out.push(name + ': ' + e.message);
                }
            }
            return out;
        }, docs);
        check(res.every((r) => r === 'ok'), 'imports: ' + res.join('; '));
    });

    await step('twitch: the stream page shows the figures, the gap, the viewer curve, and its VOD and clips', async () => {
        await page.goto(BASE + '/#/item/twitch/' + SID);
        await page.locator('#stream-figures').waitFor({ state: 'visible' });
        await drawnChart(page, '#stream-chart', 100);
        const api = await page.evaluate(async (sid) => (await fetch('/api/v1/items/twitch/' + sid)).json(), SID);
        const s = api.stream;
        check(s && s.peak === 400 && s.minutes_watched === 4500 && s.avg === 225 && s.points === 5 && s.gaps === 1,
            'API figures: ' + JSON.stringify(s));
        const text = async (id) => (await page.locator('#' + id).textContent()) || '';
        check((await text('stream-peak')).startsWith('400 at'), 'peak: ' + await text('stream-peak'));
        check((await text('stream-avg')) === '225', 'average: ' + await text('stream-avg'));
        check((await text('stream-minutes')) === '4,500', 'minutes: ' + await text('stream-minutes'));
        check((await text('stream-duration')).startsWith('50 min'), 'duration: ' + await text('stream-duration'));
        check((await text('stream-points')) === '5', 'points: ' + await text('stream-points'));
        // the Details' duration is the same figure as the stream panel's
        const dur = await text('item-duration');
        check(dur === '50 min' && (await text('stream-duration')).startsWith(dur + ' from'),
            `Details duration "${dur}", stream panel "${await text('stream-duration')}"`);
        check((await text('item-no-interactions')).includes('reports no likes, comments, shares or saves'),
            'no interactions note: ' + await text('item-no-interactions'));
        check((await text('stream-gaps')).startsWith('1 gap longer than 20 minutes'), 'gaps: ' + await text('stream-gaps'));
        const links = await page.locator('#links-to li a').evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
        check(JSON.stringify(links) === JSON.stringify([
            ['E2E stream: Any% practice (VOD)', '#/item/twitch/' + VOD],
            ['E2E clip E2EClipA', '#/item/twitch/E2EClipA'], ['E2E clip E2EClipB', '#/item/twitch/E2EClipB']]),
        'From this stream: ' + JSON.stringify(links));
        const heading = (await page.locator('#item-links h2').first().textContent()) || '';
        check(heading === 'From this stream', 'links heading: ' + heading);
        check(await page.locator('#item-chart').count() === 0, 'a stream shows no views chart');
        await idle(page);
        await shot(page, '85-twitch-stream');
    });

    await step('twitch: the VOD page links back to its stream and lists its clips', async () => {
        await page.locator('#links-to li a').first().click();
        await page.locator('#links-from').waitFor({ state: 'visible' });
        const back = await page.locator('#links-from li a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
        check(JSON.stringify(back) === JSON.stringify(['#/item/twitch/' + SID]), 'came from: ' + JSON.stringify(back));
        const clips = await page.locator('#links-to li').count();
        check(clips === 2, `${clips} clips on the VOD page, want 2`);
        check(await page.locator('#stream').count() === 0, 'a VOD shows no stream panel');
        const dur = (await page.locator('#item-duration').textContent()) || '';
        check(dur === '50 min (3,000 s)', `the VOD's own duration: "${dur}"`);
        await idle(page);
        await shot(page, '86-twitch-vod');
    });

    await step('twitch: the stream page at 375 px has no sideways scroll', async () => {
        const phone = await context.newPage();
        watch(phone, 'twitch-phone');
        try {
            await phone.setViewportSize({ width: 375, height: 812 });
            await phone.goto(BASE + '/#/item/twitch/' + SID);
            await phone.locator('#stream-figures').waitFor({ state: 'visible' });
            await drawnChart(phone, '#stream-chart', 100);
            await idle(phone);
            const w = await phone.evaluate(() => [document.scrollingElement.scrollWidth, window.innerWidth]);
            check(w[0] <= w[1], `the stream page is ${w[0]} px wide in a ${w[1]} px viewport`);
            await shot(phone, '87-twitch-stream-phone');
        } finally {
            await phone.close();
        }
    });

    await step('twitch: no axe-core violation on the stream page, desktop and 375 px', async () => {
        const v = await axeStream(t, axePath);
        check(v.length === 0, 'axe on the stream page:\n    ' + v.join('\n    '));
    });
    void poll;
}
