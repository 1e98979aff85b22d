// Unit test of web/dom.js's number and date formatters against
// hand-written expectations, in English and in German (the browser's
// locale is navigator.language; node's Intl has the same CLDR data as
// Chromium). Run by CTest (unit.web_format): node tests/web/test_format.mjs
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const dom = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'dom.js');
let failed = 0;
let passed = 0;

// Intl puts a no-break space (U+00A0) or a narrow one (U+202F) before
// "%", "Mio." and "PM", depending on the ICU version: compared as spaces.
const spaces = (v) => (typeof v === 'string' ? v.replace(/[\u00a0\u202f]/g, ' ') : v);

function eq(got, want, what) {
    if (spaces(got) === spaces(want)) {
        passed++;
    } else {
        failed++;
        console.log(`FAIL ${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
    }
}

// A fresh module per locale: the formatters are made at import time.
async function load(lang) {
    globalThis.navigator = { language: lang };
    return import(pathToFileURL(dom).href + '?lang=' + encodeURIComponent(lang));
}

// [function, input, en-US, de-DE]. Compact: CLDR rounds to 1 decimal and
// German abbreviates from a million ("Mio."). Dates are UTC days whatever
// the process's TZ (CTest runs this under Asia/Tokyo, where
// 2024-05-02T23:30Z is already May 3).
const CASES = [
    ['fmtFull', 1234567, '1,234,567', '1.234.567'],
    ['fmtFull', 5044, '5,044', '5.044'],
    ['fmtFull', 10200, '10,200', '10.200'],
    ['fmtFull', -12, '-12', '-12'],
    ['fmtFull', 0.125, '0.13', '0,13'],       // at most 2 decimals, half-expand
    ['fmtFull', null, '–', '–'],
    ['fmtFull', NaN, '–', '–'],
    ['fmtFull', '5', '–', '–'],              // a string from the API is not a number
    ['fmtCompact', 5044, '5K', '5044'],
    ['fmtCompact', 10200, '10.2K', '10.200'],
    ['fmtCompact', 2149000, '2.1M', '2,1\u00a0Mio.'],
    ['fmtCompact', 999, '999', '999'],
    ['fmtCompact', undefined, '–', '–'],
    ['fmtSignedFull', 12345, '+12,345', '+12.345'],
    ['fmtSignedFull', -401, '-401', '-401'],
    ['fmtSignedFull', 0, '0', '0'],
    ['fmtSignedCompact', 319800, '+319.8K', '+319.800'],
    ['pct', 0.0523, '5.23%', '5,23\u00a0%'],
    ['pct', 0.0004, '0.040%', '0,040\u00a0%'],
    ['pct', 0.1112, '11.12%', '11,12\u00a0%'],
    ['fmtDay', '2024-05-02T23:30:00Z', 'May 2, 2024', '02.05.2024'],   // the UTC day
    ['fmtDay', 'nonsense', '–', '–'],
    ['fmtDateTime', '2024-05-02T17:05:00Z', 'May 2, 2024, 5:05 PM UTC', '02.05.2024, 17:05 UTC'],
];

const en = await load('en-US');
const de = await load('de-DE');
eq(en.LOCALE, 'en-US', 'LOCALE en-US');
eq(de.LOCALE, 'de-DE', 'LOCALE de-DE');
for (const [fn, input, wantEn, wantDe] of CASES) {
    eq(en[fn](input), wantEn, `en-US ${fn}(${JSON.stringify(input)})`);
    eq(de[fn](input), wantDe, `de-DE ${fn}(${JSON.stringify(input)})`);
}
// The old names are the same functions.
eq(en.num, en.fmtCompact, 'num is fmtCompact');
eq(en.fullNum, en.fmtFull, 'fullNum is fmtFull');
eq(en.signed, en.fmtSignedCompact, 'signed is fmtSignedCompact');
// A locale the runtime does not know falls back to English.
const xx = await load('not a locale');
eq(xx.LOCALE, 'en', 'LOCALE of a malformed language tag');
eq(xx.fmtFull(1234567), '1,234,567', 'fmtFull in the fallback locale');

console.log(`web_format: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
