// Platform colours without platform names in the web (issue 16, part
// plugfinish): app.css and the scripts name no platform; dom.js sets
// --pf-<name> (light, and dark under prefers-color-scheme) and
// [data-platform] rules from GET /api/v1/platforms. On every page that
// shows platform dots, in the light and the dark theme, each dot's
// computed background is its platform's descriptor colour for the theme,
// and :root's --pf-<name> is too (the charts read it). Screenshots at
// desktop width and 375 px in both themes; axe-core on the Overview and
// the Calendar (present.mjs's helper).
import { PAGES, axeViolations, withAxeBrowser } from './present.mjs';

const THEMES = ['light', 'dark'];
// Pages that draw platform dots (web/*.js platformDot), by present.mjs's
// PAGES names.
const DOT_PAGES = ['overview', 'content', 'queue', 'calendar', 'compose', 'sources'];

// "#rrggbb" -> "rgb(r, g, b)", as getComputedStyle gives it.
function rgb(hex) {
    const n = parseInt(hex.slice(1), 16);
    return `rgb(${n >> 16}, ${(n >> 8) & 255}, ${n & 255})`;
}

function urlOf(BASE, name, vars) {
    const spec = PAGES.find((p) => p.name === name);
    const hash = typeof spec.hash === 'function' ? spec.hash(vars) : spec.hash;
    return [BASE + '/' + hash, spec.ready];
}

// Open a page in a theme: [problems...] about its dots and --pf-* values.
async function checkPage(h, page, name, theme, want) {
    const { BASE, vars } = h;
    const [url, ready] = urlOf(BASE, name, vars);
    await page.emulateMedia({ colorScheme: theme });
    await page.goto(url);
    await page.locator(ready).first().waitFor({ state: 'visible' });
    await page.locator('.dot[data-platform]').first().waitFor({ state: 'attached' });
    const got = await page.evaluate((names) => ({
        dots: [...document.querySelectorAll('.dot[data-platform]')].map((d) =>
            [d.dataset.platform, getComputedStyle(d).backgroundColor]),
        vars: Object.fromEntries(names.map((n) => [n,
            getComputedStyle(document.documentElement).getPropertyValue('--pf-' + n).trim().toLowerCase()])),
    }), Object.keys(want));
    const out = [];
    for (const [p, c] of got.dots) {
        if (!want[p])
            out.push(`${name} ${theme}: a dot of "${p}", which /api/v1/platforms does not list`);
        else if (c !== rgb(want[p][theme]))
            out.push(`${name} ${theme}: the ${p} dot is ${c}, the descriptor says ${want[p][theme]}`);
    }
    for (const [p, v] of Object.entries(got.vars)) {
        if (v !== want[p][theme].toLowerCase())
            out.push(`${name} ${theme}: --pf-${p} is "${v}", the descriptor says ${want[p][theme]}`);
    }
    return [out, new Set(got.dots.map((d) => d[0]))];
}

// h: {page, context, chromium, CHROMIUM, NODE_MODULES, step, check, shot,
// idle, watch, BASE, vars: {date}} (vars as present.mjs's).
export async function plugfinishSteps(h) {
    const { page, step, check, shot, BASE } = h;
    const want = {};

    await step('platform colours: app.css names no platform; /api/v1/platforms gives both colours', async () => {
        const list = (await (await page.request.get(BASE + '/api/v1/platforms')).json()).platforms;
        check(Array.isArray(list) && list.length > 0, 'GET /api/v1/platforms lists nothing');
        for (const p of list) {
            check(/^#[0-9a-f]{6}$/i.test(p.colour) && /^#[0-9a-f]{6}$/i.test(p.colour_dark),
                `${p.name}: colours ${p.colour} / ${p.colour_dark}`);
            want[p.name] = { light: p.colour, dark: p.colour_dark };
        }
        const css = (await (await page.request.get(BASE + '/assets/app.css')).text()).toLowerCase();
        for (const p of list) {
            check(!css.includes(p.name) && !css.includes(String(p.display).toLowerCase()),
                `app.css names the platform ${p.name}`);
        }
    });

    await step('platform colours: every dot on Overview, Content, Queue, Calendar, Compose, Sources has its descriptor colour, light and dark, desktop and 375 px', async () => {
        const problems = [];
        const seen = new Set();
        try {
            for (const [width, w, h2] of [['desktop', 1280, 800], ['phone', 375, 812]]) {
                await page.setViewportSize({ width: w, height: h2 });
                for (const name of DOT_PAGES) {
                    for (const theme of THEMES) {
                        const [out, on] = await checkPage(h, page, name, theme, want);
                        problems.push(...out.map((l) => width + ' ' + l));
                        on.forEach((p) => seen.add(p));
                        await h.idle(page);
                        await shot(page, `pf-${name}-${width}-${theme}`);
                    }
                }
            }
        } finally {
            await page.emulateMedia({ colorScheme: 'light' });
            await page.setViewportSize({ width: 1280, height: 800 });
        }
        check(problems.length === 0, 'platform colours:\n    ' + problems.join('\n    '));
        // the demo has accounts on several platforms: more than one colour was checked
        check(seen.size >= 2, `dots of only ${[...seen].join(', ')}`);
        console.log(`     dots checked for: ${[...seen].join(', ')}`);
    });

    await step('platform colours: no axe-core violation on the Overview and the Calendar, light and dark, at 375 px', async () => {
        const out = await withAxeBrowser(h, async (ctx) => {
            const lines = [];
            const p = await ctx.newPage();
            p.setDefaultTimeout(15000);
            await p.setViewportSize({ width: 375, height: 812 });
            h.watch(p, 'plugfinish-axe'); // idle() waits for the requests watch() counts
            for (const name of ['overview', 'calendar']) {
                const [url, ready] = urlOf(BASE, name, h.vars);
                for (const theme of THEMES) {
                    await p.emulateMedia({ colorScheme: theme });
                    await p.goto(url);
                    await p.locator(ready).first().waitFor({ state: 'visible' });
                    await h.idle(p);
                    lines.push(...(await axeViolations(h, p)).map((l) => `${name} ${theme}: ${l}`));
                }
            }
            return lines;
        });
        check(out.length === 0, 'axe:\n    ' + out.join('\n    '));
    });
}
