// Full-text search on the Content page (issue 18, part search; one box
// since part webfin): the page's box asks GET /api/v1/search, the results come ranked with the matches in
// <mark> (built as text: a title's quotes and markup stay text), the
// keyboard alone runs a search, reaches the results and clears them
// (Escape), a query of FTS5 syntax is just text, no match says so.
// Screenshots at desktop width and at 375 px; axe-core (as present.mjs,
// in a browser of its own with the session's cookies, since the app's CSP
// refuses injected scripts) finds no violation in light and dark, and the
// phone page does not scroll sideways.
import { join } from 'node:path';
import { axeViolations, withAxeBrowser } from './present.mjs';

const WIDTHS = [{ name: 'desktop', width: 1280, height: 800 }, { name: 'phone', width: 375, height: 812 }];

async function results(page) {
    return page.$$eval('#fts-list li.fts-hit', (lis) => lis.map((li) => ({
        id: li.dataset.id,
        title: li.querySelector('a.fts-title').textContent,
        marks: [...li.querySelectorAll('mark')].map((m) => m.textContent),
        html: li.querySelector('a.fts-title').innerHTML,
    })));
}

// Type q into the box and press Enter: the status once it names q (the
// page re-renders for the new query: an older status does not count).
async function search(page, poll, q) {
    await page.fill('#fts-q', q);
    await page.press('#fts-q', 'Enter');
    return poll(async () => {
        const s = ((await page.locator('#fts-status').textContent().catch(() => '')) || '').trim();
        return s && s !== 'Searching…' && s.includes(q) ? s : null;
    }, `#fts-status after searching ${q}`);
}

async function axeCheck(h, url) {
    return withAxeBrowser(h, async (ctx) => {
        const out = [];
        for (const width of WIDTHS) {
            const p = await ctx.newPage();
            p.setDefaultTimeout(15000);
            await p.setViewportSize({ width: width.width, height: width.height });
            for (const theme of ['light', 'dark']) {
                await p.emulateMedia({ colorScheme: theme });
                await p.goto(url);
                await p.locator('#fts-form').waitFor({ state: 'visible' });
                await p.goto(url + '?q=' + encodeURIComponent('"part 1" speed*'));
                await p.locator('#fts-list li').first().waitFor({ state: 'visible' });
                const w = await p.evaluate(() => [document.scrollingElement.scrollWidth, window.innerWidth]);
                if (w[0] > w[1])
                    out.push(`${width.name} ${theme}: ${w[0]} px wide in a ${w[1]} px viewport`);
                for (const line of await axeViolations(h, p, 4))
                    out.push(`${width.name} ${theme}: axe ${line}`);
                if (theme === 'dark')
                    await p.screenshot({ path: join(h.SHOTS, `82-search-${width.name}-dark.png`), fullPage: true });
            }
            await p.close();
        }
        return out;
    });
}

// h: {page, context, chromium, CHROMIUM, NODE_MODULES, SHOTS, step, check,
// poll, shot, BASE}. Runs after the import step, which stored the
// fixture page's 'Speedrun, part 1: "any%"' (tests/data/cli).
export async function searchSteps(h) {
    const { page, step, check, poll, shot, BASE } = h;

    await step('content: full-text search ranks, marks the matches, keeps quotes as text', async () => {
        await page.goto(BASE + '/#/content');
        await page.locator('#fts-form').waitFor({ state: 'visible' });
        check(await page.locator('#content input[type="search"]').count() === 1, 'more than one search box');
        const [req] = await Promise.all([
            page.waitForRequest((r) => r.url().startsWith(`${BASE}/api/v1/search?`)),
            search(page, poll, '"part 1" speed*'),
        ]);
        check(new URL(req.url()).searchParams.get('q') === '"part 1" speed*', `q sent: ${req.url()}`);
        const got = await poll(async () => { const r = await results(page); return r.length ? r : null; },
            'search results');
        console.log(`     "part 1" speed*: ${got.map((r) => r.id).join(' ')}; marks ${JSON.stringify(got[0].marks)}`);
        check(got[0].id === 'Ab3dEf5hIj0', `first hit: ${got[0].id}`);
        check(got[0].title === 'Speedrun, part 1: "any%"', `title text: ${got[0].title}`);
        check(got[0].marks.includes('Speedrun') && got[0].marks.includes('part 1'),
            `marks: ${JSON.stringify(got[0].marks)}`);
        check(!/<(?!\/?mark>)/.test(got[0].html), `markup other than <mark> in the title: ${got[0].html}`);
        await shot(page, '80-search-results');
    });

    await step('content: full-text search by keyboard; FTS5 syntax is text; no match says so', async () => {
        await page.focus('#fts-q');
        await page.keyboard.press('Control+A');
        await page.keyboard.type('speedrun');
        await page.keyboard.press('Enter');
        await poll(async () => ((await page.locator('#fts-status').textContent().catch(() => '')) || '').includes('match speedrun') ||
            ((await page.locator('#fts-status').textContent().catch(() => '')) || '').includes('matches speedrun'), 'the results of speedrun');
        await page.locator('#fts-list li').first().waitFor({ state: 'visible' });
        await page.focus('#fts-q');
        let reached = false;
        for (let i = 0; i < 8 && !reached; i++) {
            await page.keyboard.press('Tab');
            reached = await page.evaluate(() => document.activeElement && document.activeElement.classList.contains('fts-title'));
        }
        check(reached, 'Tab from the search box never reaches a result link');
        await page.focus('#fts-q');
        await page.keyboard.press('Escape');
        await poll(async () => (await page.locator('#fts-list').count()) === 0 &&
            (await page.locator('#content-table').count()) === 1, 'Escape clears the results and shows the table');
        const none = await search(page, poll, 'zzqx-no-such-word');
        check(none.startsWith('No item matches'), `status: ${none}`);
        const hostile = await search(page, poll, 'NEAR(" ^title: OR (');
        check(await page.locator('#fts-results .error').count() === 0, `an error for FTS5 syntax: ${hostile}`);
        console.log(`     hostile query: ${hostile}`);
    });

    await step('content: full-text search at 375 px and in dark mode: no sideways scroll, no axe violation', async () => {
        const phone = await h.context.newPage();
        phone.setDefaultTimeout(15000);
        try {
            await phone.setViewportSize({ width: 375, height: 812 });
            await phone.goto(BASE + '/#/content');
            await phone.locator('#fts-form').waitFor({ state: 'visible' });
            await search(phone, poll, 'speedrun');
            await phone.locator('#fts-list li').first().waitFor({ state: 'visible' });
            await shot(phone, '81-search-results-phone');
        } finally {
            await phone.close();
        }
        const problems = await axeCheck(h, BASE + '/#/content');
        check(problems.length === 0, 'search:\n    ' + problems.join('\n    '));
    });
}
