/* libFuzzer: the Instagram and TikTok parsers, each format forced in turn
 * by the first byte (as fuzz_youtube does for YouTube). */
#include <stddef.h>
#include <stdint.h>

#include "sources/source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t count(const struct source_format *t)
{
    size_t n = 0;
    while (t[n].name)
        n++;
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t nig = count(instagram_formats), ntt = count(tiktok_formats), pick;
    struct source_opts opts = {0};
    struct batch b;
    struct buf err;
    const char *fmt = NULL;

    if (size < 1)
        return 0;
    pick = data[0] % (nig + ntt + 1);
    opts.only_format = pick < nig         ? instagram_formats[pick].name
                       : pick < nig + ntt ? tiktok_formats[pick - nig].name
                                          : NULL;
    opts.observed_at = 1717243200;
    if (data[0] & 0x80) {
        opts.account_hint[PLATFORM_INSTAGRAM] = "17841400000000001";
        opts.account_hint[PLATFORM_TIKTOK] = "open-id";
    }
    batch_init(&b);
    buf_init(&err, 4096);
    if (source_parse((const char *)data + 1, size - 1, &opts, &b, &fmt,
                     &err) != ERR_OK &&
        b.n != 0)
        __builtin_trap();
    batch_free(&b);
    buf_free(&err);
    return 0;
}
