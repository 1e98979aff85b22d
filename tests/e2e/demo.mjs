// The demo's Twitch data in the browser (issue 16, part demo): run.sh's
// database is `mediadash demo`, so the Overview counts the Twitch channel
// among the own accounts, and a demo stream's page shows its viewer
// curve (a point every 5 minutes: ramp up, plateau, tail off), the
// figures the API computes from it, and its past broadcast and clips.
// Desktop and 375 px screenshots, no sideways scroll on the phone, no
// axe-core violation at either width (present.mjs's axe browser).

import { withAxeBrowser, axeViolations } from './present.mjs';

// The demo stream to look at: the latest one that ended a day or more
// before the newest, with the most points (a whole evening's curve).
async function pickStream(page) {
    return page.evaluate(async () => {
        const r = await fetch('/api/v1/content?platform=twitch&limit=500');
        const items = ((await r.json()).items || []).filter((x) => x.kind === 'stream');
        items.sort((a, b) => (a.published_at < b.published_at ? 1 : -1));
        const s = items[1] || items[0];
        if (!s) return null;
        const it = await (await fetch('/api/v1/items/twitch/' + encodeURIComponent(s.id))).json();
        return { id: s.id, n: items.length, stream: it.stream, links: it.links,
            viewers: (it.snapshots || []).map((x) => x.metrics && x.metrics.viewers) };
    });
}

export async function demoSteps(t) {
    const { page, context, step, check, shot, watch, drawnChart, idle, BASE } = t;
    let picked = null;

    await step('demo: the Overview counts the Twitch channel among the own accounts', async () => {
        await page.goto(BASE + '/#/');
        await page.locator('#overview').waitFor({ state: 'visible' });
        await drawnChart(page, '#overview-chart');
        const acc = await page.evaluate(async () => (await (await fetch('/api/v1/accounts')).json()));
        const list = Array.isArray(acc) ? acc : (acc.accounts || acc.items || []);
        check(list.some((a) => a.platform === 'twitch' && a.role !== 'tracked'),
            'a Twitch account in /api/v1/accounts: ' + JSON.stringify(list.map((a) => a.platform)));
        const dots = await page.locator('#overview [data-platform="twitch"]').count();
        check(dots > 0, 'the Overview names Twitch (data-platform="twitch")');
        await idle(page);
        await shot(page, '88-demo-overview');
    });

    await step('demo: a demo stream page shows its viewer curve, figures, VOD and clips', async () => {
        picked = await pickStream(page);
        check(picked && picked.n >= 3, 'demo streams: ' + JSON.stringify(picked && picked.n));
        const v = picked.viewers.filter((x) => typeof x === 'number');
        const s = picked.stream;
        check(s && s.points === v.length && v.length >= 24 && s.gaps === 0,
            `points: ${v.length}, figures ${JSON.stringify(s)}`);
        const mid = v.slice(v.length >> 2, (3 * v.length) >> 2).sort((a, b) => a - b);
        const med = mid[mid.length >> 1];
        check(v[0] * 2 < med && v[v.length - 1] < med && s.peak === Math.max(...v),
            `a stream's shape: first ${v[0]}, median ${med}, last ${v[v.length - 1]}, peak ${s.peak}`);
        await page.goto(BASE + '/#/item/twitch/' + picked.id);
        await page.locator('#stream-figures').waitFor({ state: 'visible' });
        await drawnChart(page, '#stream-chart', 100);
        const peak = (await page.locator('#stream-peak').textContent()) || '';
        check(peak.replace(/[,.\s]/g, '').startsWith(String(s.peak)), 'peak shown: ' + peak);
        const links = await page.locator('#links-to li a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
        const vod = picked.links.find((l) => l.rel === 'vod_of' && l.depth === 1);
        check(vod && links[0] === '#/item/twitch/' + vod.id &&
            links.length === picked.links.filter((l) => !l.came_from).length,
        'From this stream: ' + JSON.stringify(links));
        await idle(page);
        await shot(page, '89-demo-stream');
    });

    await step('demo: the demo stream page at 375 px has no sideways scroll', async () => {
        const phone = await context.newPage();
        watch(phone, 'demo-phone');
        try {
            await phone.setViewportSize({ width: 375, height: 812 });
            await phone.goto(BASE + '/#/item/twitch/' + picked.id);
            await phone.locator('#stream-figures').waitFor({ state: 'visible' });
            await drawnChart(phone, '#stream-chart', 100);
            await idle(phone);
            const w = await phone.evaluate(() => [document.scrollingElement.scrollWidth, window.innerWidth]);
            check(w[0] <= w[1], `the stream page is ${w[0]} px wide in a ${w[1]} px viewport`);
            await shot(phone, '90-demo-stream-phone');
            await phone.goto(BASE + '/#/');
            await phone.locator('#overview').waitFor({ state: 'visible' });
            await idle(phone);
            await shot(phone, '91-demo-overview-phone');
        } finally {
            await phone.close();
        }
    });

    await step('demo: no axe-core violation on a demo stream page and the Overview, desktop and 375 px', async () => {
        const out = await withAxeBrowser(t, async (ctx) => {
            const lines = [];
            for (const [name, width] of [['desktop', 1280], ['phone', 375]])
                for (const [what, hash, ready] of [['stream', '#/item/twitch/' + picked.id, '#stream-figures'],
                    ['overview', '#/', '#overview']]) {
                    const p = await ctx.newPage();
                    p.setDefaultTimeout(15000);
                    await p.setViewportSize({ width, height: 812 });
                    watch(p, `demo-axe-${what}-${name}`);
                    await p.goto(BASE + '/' + hash);
                    await p.locator(ready).waitFor({ state: 'visible' });
                    await idle(p);
                    lines.push(...(await axeViolations(t, p)).map((l) => `${what} ${name}: ${l}`));
                    await p.close();
                }
            return lines;
        });
        check(out.length === 0, 'axe:\n    ' + out.join('\n    '));
    });
}
