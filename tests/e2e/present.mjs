// Presentation checks of every page (issue 11, part 5): each page in the
// light and the dark theme (prefers-color-scheme), at desktop width and
// at 375 px phone width, must
//   - not scroll sideways at 375 px
//     (document.scrollingElement.scrollWidth <= innerWidth), and
//   - have no axe-core violation (tags wcag2a, wcag2aa, best-practice).
// A screenshot of each page, width and theme goes to SHOTS as
// p-<page>-<desktop|phone>-<light|dark>.png.
//
// axe-core comes from npm (tests/e2e/package.json). It is injected with
// page.addScriptTag into a second browser whose context bypasses the
// dashboard's CSP (an injected script is inline); the main test keeps the
// CSP on. The session cookie of the main context is copied over.
// withAxeBrowser and axeViolations are that, for every browser test.
//
// A page added later (e.g. Competitors) is one line in PAGES.
import { join } from 'node:path';

// name: used in step names and screenshot files. hash: the dashboard route
// (a function of `vars` for pages that need an id), or path for a page
// outside the dashboard. ready: a selector that is visible once the page
// has drawn what it shows.
export const PAGES = [
    { name: 'login', path: '/login', ready: '#login-form', loggedOut: true },
    { name: 'overview', hash: '#/', ready: '#overview .platform-card, #overview #empty' },
    { name: 'content', hash: '#/content', ready: '#content-table, #content #empty' },
    { name: 'item', hash: (v) => v.itemHash, ready: '#item-title' },
    { name: 'best-time', hash: '#/best-time', ready: '#heatmap, #best-time #empty' },
    { name: 'import', hash: '#/import', ready: '#import-file' },
    { name: 'competitors', hash: '#/competitors', ready: '#competitors-table, #competitors-body #empty' },
    { name: 'sources', hash: '#/sources', ready: '#sources-table' },
    { name: 'compose', hash: '#/compose', ready: '#compose-form' },
    { name: 'calendar', hash: (v) => `#/calendar?view=month&date=${v.date || ''}`, ready: '#calendar-grid' },
    { name: 'queue', hash: '#/queue', ready: '#queue-body table, #queue-body #empty' },
    { name: 'post', hash: (v) => `#/post/${v.postId}`, ready: '#post-title' },
    { name: 'media', hash: '#/media', ready: '#media-file' },
    { name: 'notifications', hash: '#/notifications', ready: '#notify-body .notify-channels' },
    { name: 'settings', hash: '#/settings', ready: '#token-form' },
];

const THEMES = ['light', 'dark'];
const WIDTHS = [{ name: 'desktop', width: 1280, height: 800 }, { name: 'phone', width: 375, height: 812 }];

// Every violation as "rule (impact): help [selector, selector...]".
function violationLines(violations, nodes) {
    return violations.map((v) => `${v.id} (${v.impact}): ${v.help} [` +
        v.nodes.slice(0, nodes).map((n) => n.target.join(' ')).join(', ') +
        (v.nodes.length > nodes ? `, ... ${v.nodes.length} nodes` : '') + ']');
}

// The one way the browser tests run axe-core (present.mjs, health.mjs,
// search.mjs): fn(ctx, browser) runs in a browser of its own whose
// context bypasses the dashboard's CSP (axe is injected as a script tag,
// which script-src 'self' refuses); the main test keeps the CSP on. With
// cookies (the default) the main context's session cookies are copied
// in. The browser is closed afterwards, whatever fn did; fn's result is
// returned.
export async function withAxeBrowser(h, fn, { cookies = true } = {}) {
    const browser = await h.chromium.launch({
        executablePath: h.CHROMIUM, headless: true,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
            '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
        const ctx = await browser.newContext({ bypassCSP: true });
        if (cookies)
            await ctx.addCookies(await h.context.cookies());
        return await fn(ctx, browser);
    } finally {
        await browser.close().catch(() => {});
    }
}

// E2E_AXE=0 (the sanitizer build's run, CMakeLists.txt): no axe-core.
// Its verdicts come from the page's DOM and styles, which are the same
// assets and the same data in both builds; the plain build's run checks
// them, and axe itself runs in the browser, never in our server, which is
// what the sanitizers watch. (About 40 % of the run's time.)
export const AXE = process.env.E2E_AXE !== '0';

// The axe-core rules of those tags whose verdict depends on colours. The
// dark theme changes nothing but colours (app.css sets only custom
// properties under prefers-color-scheme: dark; charts.js colours its
// canvases, which axe does not read): at a width where the light theme
// passed every rule, the dark one can fail only these. (The other rules
// are about a third of axe's time on a page, measured.)
const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

// axe-core (tags wcag2a, wcag2aa, best-practice) on a page of a
// withAxeBrowser context as it is now: its violations as lines (above),
// naming at most `nodes` elements each; [] when there is none.
// With colourOnly, just the rules that read colours (COLOUR_RULES).
export async function axeViolations(h, page, nodes = 6, colourOnly = false) {
    if (!AXE)
        return [];
    await page.addScriptTag({ path: join(h.NODE_MODULES, 'axe-core', 'axe.min.js') });
    const r = await page.evaluate((only) => window.axe.run(document, {
        runOnly: only ? { type: 'rule', values: only }
            : { type: 'tag', values: ['wcag2a', 'wcag2aa', 'best-practice'] },
        resultTypes: ['violations'],
    }), colourOnly ? COLOUR_RULES : null);
    return violationLines(r.violations, nodes);
}

// One page at one width and theme: [problems...].
async function checkOne(h, page, spec, url, width, theme) {
    const out = [];
    await page.emulateMedia({ colorScheme: theme });
    await page.goto(url);
    await page.locator(spec.ready).first().waitFor({ state: 'visible' });
    await h.idle(page);
    await h.sleep(300); // charts draw after their data arrives
    const w = await page.evaluate(() => [document.scrollingElement.scrollWidth, window.innerWidth]);
    if (w[0] > w[1])
        out.push(`${width.name} ${theme}: the page is ${w[0]} px wide in a ${w[1]} px viewport (scrolls sideways)`);
    for (const line of await axeViolations(h, page, 6, theme !== THEMES[0]))
        out.push(`${width.name} ${theme}: axe ${line}`);
    await page.screenshot({ path: join(h.SHOTS, `p-${spec.name}-${width.name}-${theme}.png`), fullPage: true });
    return out;
}

// Rows of the "Latest metrics" table of the item page: {metric: text}.
function latestCells(page) {
    return page.$$eval('#item-metrics tbody tr', (trs) => Object.fromEntries(trs.map((tr) =>
        [tr.children[0].textContent.trim(), tr.children[1].textContent.trim()])));
}

// The account's handle instead of its id on the item, queue and post
// pages; numbers in the browser's locale (de-DE groups thousands with
// "."), every row of a table column in full.
async function namesAndLocale(h, browser, ctx, vars) {
    await h.step('presentation: item, queue and post pages name the account by handle; numbers follow the browser locale', async () => {
        const page = await ctx.newPage();
        h.watch(page, 'present-names');
        try {
            const ref = decodeURIComponent(vars.itemHash.replace('#/item/', '')).split('/');
            const it = await (await page.request.get(`${h.BASE}/api/v1/items/${ref[0]}/${ref[1]}?limit=1`)).json();
            const acc = (await (await page.request.get(`${h.BASE}/api/v1/accounts`)).json()).accounts
                .find((a) => a.platform === it.platform && a.id === it.account_id);
            h.check(acc && acc.handle, `no handle for the item's account ${it.account_id}: ${JSON.stringify(acc)}`);
            await page.goto(h.BASE + '/' + vars.itemHash);
            const el = page.locator('#item-account .account-name');
            await el.waitFor({ state: 'visible' });
            const text = (await el.textContent()).trim();
            h.check(text === acc.handle, `#item-account says "${text}", not the handle "${acc.handle}"`);
            h.check((await el.getAttribute('title')).includes(it.account_id), 'the account id is not in the tooltip');
            console.log(`     item account: ${text} (${await el.getAttribute('title')})`);
            // A draft for that account (the composed post's media): the
            // queue row and the post page name it by handle too.
            const csrf = (await (await page.request.get(`${h.BASE}/api/v1/session`)).json()).csrf;
            const src = (await (await page.request.get(`${h.BASE}/api/v1/posts/${vars.postId}`)).json()).post;
            const r = await page.request.post(`${h.BASE}/api/v1/posts`, {
                headers: { 'X-CSRF-Token': csrf, Origin: h.BASE },
                data: { platform: it.platform, account: it.account_id, title: 'e2e draft named by handle',
                    media: src.media, at: '2030-01-07 12:00', zone: 'UTC', draft: true },
            });
            h.check(r.status() === 201, `POST /api/v1/posts (draft): ${r.status()} ${await r.text()}`);
            const draft = (await r.json()).post;
            await page.goto(h.BASE + '/#/queue');
            const q = page.locator(`#queue-upcoming tr[data-post="${draft.id}"] .account-name`);
            await q.waitFor({ state: 'visible' });
            h.check((await q.textContent()).trim() === acc.handle, `queue row names "${await q.textContent()}", not "${acc.handle}"`);
            await page.goto(h.BASE + '/#/post/' + draft.id);
            const pa = page.locator('#post-account .account-name');
            await pa.waitFor({ state: 'visible' });
            h.check((await pa.textContent()).trim() === acc.handle, `#post-account names "${await pa.textContent()}"`);
            h.check((await pa.getAttribute('title')).includes(it.account_id), 'no account id in the post page tooltip');
            await page.request.post(`${h.BASE}/api/v1/posts/${draft.id}/cancel`, { headers: { 'X-CSRF-Token': csrf, Origin: h.BASE } });
        } finally {
            await page.close();
        }
        // A German browser. run.sh imported Instagram media 17900000000000001
        // with like_count 1204 and comments_count 88, a day later +100 and
        // +5: 1,304 likes and 93 comments, "1.304" and "93" in de-DE.
        const de = await browser.newContext({ locale: 'de-DE', bypassCSP: true });
        try {
            await de.addCookies(await h.context.cookies());
            const page = await de.newPage();
            // Its thumbnail is on a host the test cannot reach.
            await page.route((u) => !u.href.startsWith(h.BASE), (r) => r.abort());
            await page.goto(h.BASE + '/#/item/instagram/17900000000000001');
            await page.locator('#item-metrics tbody tr').first().waitFor({ state: 'visible' });
            const cells = await latestCells(page);
            h.check(cells.likes === '1.304' && cells.comments === '93', `de-DE latest metrics: ${JSON.stringify(cells)}`);
            await page.goto(h.BASE + '/#/content?sort=views');
            await page.locator('#content-table tbody tr').first().waitFor({ state: 'visible' });
            const nums = await page.$$eval('#content-table tbody td.num', (tds) => tds.map((t) => t.textContent.trim()));
            const bad = nums.filter((t) => !/^(-?\d{1,3}(\.\d{3})*|–)$/.test(t));
            h.check(nums.length >= 3 && !bad.length, `de-DE content cells not in full German form: ${bad.join(' | ')} (of ${nums.length})`);
            h.check(nums.some((t) => t.includes('.')), `no thousands in the content table: ${nums.join(' ')}`);
            console.log(`     de-DE: likes ${cells.likes}, comments ${cells.comments}; content views ${nums.slice(0, 3).join(', ')}`);
            await page.screenshot({ path: join(h.SHOTS, 'p-content-de-DE.png'), fullPage: true });
        } finally {
            await de.close();
        }
    });
}

// h: {chromium, CHROMIUM, NODE_MODULES, BASE, SHOTS, context, step, check,
// idle, sleep, watch}; vars: {itemHash, postId, date} for the pages that
// need them.
export async function presentationChecks(h, vars) {
    await withAxeBrowser(h, async (ctx, browser) => {
        const pages = [];
        for (const width of WIDTHS) {
            const p = await ctx.newPage();
            p.setDefaultTimeout(15000);
            await p.setViewportSize({ width: width.width, height: width.height });
            h.watch(p, 'present-' + width.name);
            pages.push([width, p]);
        }
        let cookies = false;
        for (const spec of PAGES) {
            await h.step(`presentation: ${spec.name}: no sideways scroll at 375 px, no axe-core violation, light and dark`, async () => {
                if (!spec.loggedOut && !cookies) {
                    await ctx.addCookies(await h.context.cookies());
                    cookies = true;
                }
                const hash = typeof spec.hash === 'function' ? spec.hash(vars) : spec.hash;
                h.check(spec.path || hash, `no route for ${spec.name} (missing ${JSON.stringify(vars)})`);
                const url = h.BASE + (spec.path || '/' + hash);
                const problems = [];
                for (const [width, page] of pages) {
                    for (const theme of THEMES)
                        problems.push(...await checkOne(h, page, spec, url, width, theme));
                }
                h.check(problems.length === 0, `${spec.name} (${url}):\n    ` + problems.join('\n    '));
            });
        }
        await namesAndLocale(h, browser, ctx, vars);
    }, { cookies: false });
}
