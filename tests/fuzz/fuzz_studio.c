/* libFuzzer: the CSV reader and the YouTube Studio export parsers.
 *
 * The first byte chooses: its low bits the target (the CSV reader alone,
 * one of the three Studio formats forced, or detection as for any file),
 * its high bit whether a YouTube account hint is given. The rest is the
 * input. Invariants that fail call __builtin_trap(). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "core/csv.h"
#include "sources/source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

static void fuzz_csv(const char *d, size_t n)
{
    struct csv c;
    struct buf why;
    size_t last = 0;
    enum err rc;

    buf_init(&why, 4096);
    csv_init(&c, d, n);
    for (;;) {
        rc = csv_next(&c, &why);
        if (rc != ERR_OK)
            break;
        check(c.nfields >= 1 && c.nfields <= CSV_MAX_FIELDS);
        check(c.line > last && c.line <= c.at);
        last = c.line;
        for (size_t i = 0; i < c.nfields; i++)
            check(csv_len(&c, i) <= CSV_MAX_FIELD &&
                  csv_get(&c, i)[csv_len(&c, i)] == '\0');
    }
    check(rc == ERR_NOTFOUND || why.len > 0);
    check(csv_next(&c, &why) == ERR_NOTFOUND); /* stays at the end */
    csv_free(&c);
    buf_free(&why);
}

static void fuzz_source(const char *d, size_t n, const char *only, bool hint)
{
    struct source_opts opts;
    struct batch b;
    struct buf err;
    const char *fmt = NULL;
    enum err rc;

    memset(&opts, 0, sizeof opts);
    opts.only_format = only;
    opts.observed_at = 1717243200;
    opts.account_hint[PLATFORM_YOUTUBE] = hint ? "UCfuzzChannel" : NULL;
    buf_init(&err, 4096);
    batch_init(&b);
    rc = source_parse(d, n, &opts, &b, &fmt, &err);
    if (rc != ERR_OK) {
        check(b.n == 0 && err.len > 0);
    } else {
        for (size_t i = 0; i < b.n; i++)
            for (size_t k = 0; k < b.items[i]->nsnaps; k++)
                for (size_t m = 0; m < b.items[i]->snaps[k]->metrics.n; m++)
                    check(metric_name_valid(
                        b.items[i]->snaps[k]->metrics.v[m].name));
    }
    batch_free(&b);
    buf_free(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const forced[] = {"youtube_studio.table",
                                         "youtube_studio.chart",
                                         "youtube_studio.totals"};
    const char *d = (const char *)data + 1;
    unsigned sel;

    if (size < 1)
        return 0;
    sel = (data[0] & 0x7f) % 5;
    if (sel == 0)
        fuzz_csv(d, size - 1);
    else
        fuzz_source(d, size - 1, sel <= 3 ? forced[sel - 1] : NULL,
                    (data[0] & 0x80) != 0);
    return 0;
}
