// Browser steps of the range-correct Overview: switching the range changes
// the engagement shown on the totals and the cards (each the range's
// interactions gained / views gained, as /api/v1/report says), every range
// figure carries its change from the previous range, and the follower
// chart is drawn; at desktop and 375 px width.

// The engagement as overview.js prints it (dom.js pct).
const pctText = (v) => (typeof v === 'number' && isFinite(v) ? (v * 100).toFixed(v !== 0 && Math.abs(v) < 0.001 ? 3 : 2) + '%' : '–');

// What the page shows: the totals' engagement and its change, and per
// card the engagement and every change line.
function shown(page) {
    return page.evaluate(() => {
        const text = (el) => (el ? el.textContent.trim() : null);
        const cards = {};
        for (const c of document.querySelectorAll('.platform-card[data-platform]')) {
            cards[c.dataset.platform] = {
                engagement: text(c.querySelector('dd.engagement .kv-value')),
                interactions: text(c.querySelector('dd.interactions-gain .kv-value')),
                interactionsWhy: (c.querySelector('dd.interactions-gain') || {}).title || '',
                deltas: [...c.querySelectorAll('.delta')].map(text),
            };
        }
        return {
            range: text(document.querySelector('#overview-range')),
            engagement: text(document.querySelector('#total-engagement .stat-value')),
            interactionsWhy: (document.querySelector('#total-interactions-gain') || {}).title || '',
            deltas: [...document.querySelectorAll('#totals .delta')].map(text),
            cards,
        };
    });
}

// GET an API path with the page's session (same origin: the cookie goes).
const report = (page, q) => page.evaluate(async (u) => {
    const r = await fetch(u, { credentials: 'same-origin' });
    return r.ok ? r.json() : { status: r.status };
}, '/api/v1/report?' + q + '&top=10');

// The page shows what the API answered for range N days, with changes
// named "vs previous N days".
function checkShown(check, s, r, n, noInteractions) {
    const pl = `previous ${n} days`;
    check(r.total && 'previous' in r.total, `report ${n}d has no total.previous`);
    const t = r.total;
    if (t.views_gain > 0)
        check(Math.abs(t.engagement - t.interactions_gain / t.views_gain) < 1e-12,
            `${n}d engagement ${t.engagement} is not ${t.interactions_gain} / ${t.views_gain}`);
    check(s.engagement === pctText(t.engagement), `#total-engagement shows ${s.engagement}, the API says ${pctText(t.engagement)}`);
    check(s.deltas.length >= 4 && s.deltas.every((d) => d.includes(pl)),
        `the totals' changes do not all say "${pl}": ${JSON.stringify(s.deltas)}`);
    check(s.range && s.range.includes('compared with the ' + pl), `#overview-range: ${s.range}`);
    for (const [p, c] of Object.entries(s.cards)) {
        // A platform without interactions (GET /api/v1/platforms
        // "interactions": false) shows "–" with why for its interactions
        // gained and engagement, and neither change; the totals' tooltip
        // says it is not in the interactions total.
        const none = noInteractions.has(p);
        const want = none ? '–' : pctText(r.platforms[p].engagement);
        check(c.engagement === want, `${p} card engagement ${c.engagement}, the API says ${want}`);
        if (none) {
            check(c.interactions === '–' && c.interactionsWhy.includes('reports no likes'),
                `${p} card interactions gained ${c.interactions} (${c.interactionsWhy}), want – and why`);
            check(s.interactionsWhy.includes('no interactions: not in this total'),
                `the totals' interactions tooltip does not say ${p} is left out: ${s.interactionsWhy}`);
        }
        check(c.deltas.length === (none ? 2 : 4) && c.deltas.every((d) => d.includes(pl)),
            `${p} card changes: ${JSON.stringify(c.deltas)}`);
    }
}

export async function overviewRange({ page, context, step, check, poll, drawnChart, idle, watch, shot, BASE, STEP_MS }) {
    let noInteractions = new Set();
    await step('overview: range switch changes engagement on the cards, previous-period deltas shown', async () => {
        await page.goto(BASE + '/#/');
        await page.locator('#overview').waitFor({ state: 'visible' });
        const range = page.locator('#range');
        if ((await range.inputValue()) !== '28') await range.selectOption('28');
        const plats = await page.evaluate(async () => (await (await fetch('/api/v1/platforms')).json()).platforms);
        noInteractions = new Set(plats.filter((x) => x.interactions === false).map((x) => x.name));
        const r28 = await report(page, 'range=28d');
        const s28 = await poll(async () => {
            const s = await shown(page);
            return s.range && s.range.includes('previous 28 days') && Object.keys(s.cards).length ? s : null;
        }, 'the 28-day overview');
        checkShown(check, s28, r28, 28, noInteractions);
        check(r28.total.engagement !== r28.total.lifetime.engagement, '28-day engagement equals the lifetime one');
        await drawnChart(page, '#followers-chart', 100);
        await range.selectOption('7');
        const r7 = await report(page, 'range=7d');
        const s7 = await poll(async () => {
            const s = await shown(page);
            return s.range && s.range.includes('previous 7 days') ? s : null;
        }, 'the 7-day overview');
        checkShown(check, s7, r7, 7, noInteractions);
        check(s7.engagement !== s28.engagement, `engagement did not change with the range: ${s7.engagement}`);
        const changed = Object.keys(s7.cards).filter((p) => s28.cards[p] && s28.cards[p].engagement !== s7.cards[p].engagement);
        check(changed.length >= 1, `no card's engagement changed: ${JSON.stringify(s7.cards)}`);
        console.log(`     engagement 28d ${s28.engagement} -> 7d ${s7.engagement}; cards changed: ${changed.join(', ')}; e.g. ${s7.deltas[1]}`);
        await drawnChart(page, '#followers-chart', 100);
        await idle(page);
        await shot(page, '05-overview-7d-deltas');
        await range.selectOption('28');
        await poll(async () => ((await shown(page)).range || '').includes('previous 28 days') || null, 'back to 28 days');
    });

    await step('phone width (375x812): overview changes and followers chart fit', async () => {
        const phone = await context.newPage();
        phone.setDefaultTimeout(STEP_MS);
        watch(phone, 'phone');
        try {
            await phone.setViewportSize({ width: 375, height: 812 });
            await phone.goto(BASE + '/#/');
            await phone.locator('#overview').waitFor({ state: 'visible' });
            await drawnChart(phone, '#followers-chart', 50);
            const s = await poll(async () => {
                const x = await shown(phone);
                return x.deltas.length >= 4 ? x : null;
            }, 'the changes on the phone overview');
            check(Object.entries(s.cards).every(([p, c]) => c.deltas.length === (noInteractions.has(p) ? 2 : 4)),
                `a phone card without its changes: ${JSON.stringify(s.cards)}`);
            const w = await phone.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
            check(w[0] <= w[1], `page is ${w[0]} px wide in a ${w[1]} px viewport (scrolls sideways)`);
            const right = await phone.evaluate(() => Math.max(...[...document.querySelectorAll('#followers-chart, .platform-card, #totals .stat')]
                .map((e) => e.getBoundingClientRect().right)));
            check(right <= 375 + 1, `the overview reaches x=${right}, past the 375 px screen`);
            await idle(phone);
            await shot(phone, '11f-phone-overview-deltas');
        } finally {
            await phone.close();
        }
    });
}
