/* libFuzzer: the YouTube parsers, each forced in turn by the first byte so
 * inputs reach the parse code without having to pass detection first. */
#include <stddef.h>
#include <stdint.h>

#include "sources/source.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t nformats = 0, pick;
    struct source_opts opts = {0};
    struct batch b;
    struct buf err;
    const char *fmt = NULL;

    while (youtube_formats[nformats].name)
        nformats++;
    if (size < 1)
        return 0;
    pick = data[0] % (nformats + 1); /* nformats: auto-detect */
    opts.only_format = pick < nformats ? youtube_formats[pick].name : NULL;
    opts.observed_at = 1717243200;
    opts.account_hint[PLATFORM_YOUTUBE] = (data[0] & 0x80) ? "UCfuzz" : NULL;
    batch_init(&b);
    buf_init(&err, 4096);
    if (source_parse((const char *)data + 1, size - 1, &opts, &b, &fmt,
                     &err) != ERR_OK &&
        b.n != 0)
        __builtin_trap(); /* a refusal leaves nothing behind */
    batch_free(&b);
    buf_free(&err);
    return 0;
}
