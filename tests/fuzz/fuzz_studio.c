/* libFuzzer: the CSV reader and the YouTube Studio export parsers. */
#include <stddef.h>
#include <stdint.h>

#include "core/csv.h"
#include "sources/source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const forced[] = {"youtube_studio.table",
                                         "youtube_studio.chart",
                                         "youtube_studio.totals", NULL};
    struct source_opts opts = {0};
    struct csv c;
    struct batch b;
    struct buf err;
    const char *fmt = NULL;
    size_t records = 0;

    if (size < 1)
        return 0;
    buf_init(&err, 4096);
    csv_init(&c, (const char *)data + 1, size - 1);
    while (records++ < 100000 && csv_next(&c, &err) == ERR_OK)
        if (c.nfields == 0 || c.nfields > CSV_MAX_FIELDS)
            __builtin_trap();
    csv_free(&c);
    opts.only_format = forced[data[0] % 4];
    opts.observed_at = 1717243200;
    opts.account_hint[PLATFORM_YOUTUBE] = (data[0] & 0x80) ? "UCfuzz" : NULL;
    batch_init(&b);
    if (source_parse((const char *)data + 1, size - 1, &opts, &b, &fmt,
                     &err) != ERR_OK &&
        b.n != 0)
        __builtin_trap();
    batch_free(&b);
    buf_free(&err);
    return 0;
}
