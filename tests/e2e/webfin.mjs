// Browser steps of part webfin (issue 16): the Import page's intro names
// the registered platforms (built from GET /api/v1/platforms, not written
// into the page), and the Overview's card of a platform without
// interaction metrics (Twitch) shows no engagement ("–" and why) where
// the others show a percentage with two decimals (or three when tiny and
// not 0). Desktop and 375 px screenshots; no sideways scroll on the phone.
// Called after twitch.mjs, which imported a Twitch stream, VOD and clips.

const INTRO = 'Upload responses saved from the YouTube, Instagram, TikTok or Twitch APIs ' +
    '(or a channel analytics CSV export), or Oura pages, which are kept apart from the social ' +
    'numbers as health data. A file with one bad item stores nothing; importing the same file ' +
    'again stores nothing new. A file of an account that is not yours is kept as tracked (see Competitors).';

// Each card's engagement: {platform: [text, title]}.
const cards = (page) => page.$$eval('.platform-card[data-platform]', (els) => Object.fromEntries(els.map((c) => {
    const dd = c.querySelector('dd.engagement');
    return [c.dataset.platform, dd ? [dd.querySelector('.kv-value').textContent.trim(), dd.title] : null];
})));

export async function webfinSteps({ page, context, step, check, poll, shot, watch, idle, BASE, STEP_MS }) {
    await step('webfin: the Import page names every registered platform, from the registry', async () => {
        await page.goto(BASE + '/#/import');
        const intro = page.locator('#import-intro');
        await intro.waitFor({ state: 'visible' });
        const got = ((await intro.textContent()) || '').trim();
        check(got === INTRO, `#import-intro: ${got}`);
        await idle(page);
        await shot(page, '90-import-intro');
    });

    await step('webfin: the Twitch card shows no engagement ("–" and why), the others two decimals', async () => {
        await page.goto(BASE + '/#/');
        await page.locator('.platform-card[data-platform="twitch"]').waitFor({ state: 'visible' });
        const c = await poll(async () => {
            const x = await cards(page);
            return Object.values(x).every((v) => v && v[0] !== '') ? x : null;
        }, 'the cards\' engagement');
        console.log(`     engagement: ${JSON.stringify(Object.fromEntries(Object.entries(c).map(([p, v]) => [p, v[0]])))}`);
        check(c.twitch[0] === '–', `Twitch engagement "${c.twitch[0]}"`);
        check(c.twitch[1] === 'Twitch reports no likes, comments, shares or saves: no engagement rate',
            `Twitch engagement title "${c.twitch[1]}"`);
        for (const [p, v] of Object.entries(c)) {
            if (p === 'twitch') continue;
            check(/^(–|\d[\d,]*\.\d\d%|0\.0\d\d%)$/.test(v[0]) && v[0] !== '0.000%', `${p} engagement "${v[0]}"`);
        }
        // interactions gained is "–" with why too: neither change line
        check(await page.locator('.platform-card[data-platform="twitch"] .delta').count() === 2,
            'the Twitch card has an interactions or engagement change line');
        const ig = await page.locator('.platform-card[data-platform="twitch"] dd.interactions-gain');
        check((await ig.textContent()).trim() === '–' &&
            (await ig.getAttribute('title')) === 'Twitch reports no likes, comments, shares or saves: no interactions gained',
            `Twitch interactions gained "${await ig.textContent()}" (${await ig.getAttribute('title')})`);
        await idle(page);
        await shot(page, '91-overview-twitch-card');
        const phone = await context.newPage();
        phone.setDefaultTimeout(STEP_MS);
        watch(phone, 'webfin-phone');
        try {
            await phone.setViewportSize({ width: 375, height: 812 });
            await phone.goto(BASE + '/#/');
            await phone.locator('.platform-card[data-platform="twitch"] dd.engagement').waitFor({ state: 'visible' });
            const w = await phone.evaluate(() => [document.scrollingElement.scrollWidth, window.innerWidth]);
            check(w[0] <= w[1], `the overview is ${w[0]} px wide in a ${w[1]} px viewport`);
            await phone.goto(BASE + '/#/import');
            await phone.locator('#import-intro').waitFor({ state: 'visible' });
            await idle(phone);
            await shot(phone, '92-import-intro-phone');
        } finally {
            await phone.close();
        }
    });
}
