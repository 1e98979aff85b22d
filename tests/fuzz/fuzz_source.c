/* libFuzzer: the whole import path's parsing, formats auto-detected, as
 * `mediadash import` runs it on an untrusted file. */
#include <stddef.h>
#include <stdint.h>

#include "core/timeutil.h"
#include "sources/source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct source_opts opts = {0};
    struct batch b;
    struct buf err;
    const char *fmt = NULL;

    opts.observed_at = 1717243200;
    opts.account_hint[PLATFORM_YOUTUBE] = "UCfuzz";
    opts.account_hint[PLATFORM_TIKTOK] = "tt-fuzz";
    batch_init(&b);
    buf_init(&err, 4096);
    if (source_parse((const char *)data, size, &opts, &b, &fmt, &err) ==
        ERR_OK) {
        /* Whatever was accepted must be internally consistent. */
        for (size_t i = 0; i < b.n; i++)
            for (size_t s = 0; s < b.items[i]->nsnaps; s++)
                if (b.items[i]->snaps[s]->item != b.items[i])
                    __builtin_trap();
    } else if (b.n != 0 || err.len == 0) {
        __builtin_trap(); /* a refusal leaves nothing and says why */
    }
    batch_free(&b);
    buf_free(&err);
    return 0;
}
