/* libFuzzer: media_probe and media_thumb (schedule/media_probe.h) on any
 * bytes whose start media_sniff accepts, as an upload would hand them
 * over (a file on disk). Invariants that fail call __builtin_trap().
 * Seeds: tests/fuzz/corpus/fuzz_media_probe (a tiny PNG, JPEG and MP4). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "schedule/media.h"
#include "schedule/media_probe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char in_path[] = "/tmp/fuzz-media-XXXXXX";
static char thumb_path[64];
static int fd = -1;

static void check(bool ok)
{
    if (!ok)
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const struct media_type *t = media_sniff(data, size);
    struct media_facts f;
    struct buf err;

    if (t == NULL)
        return 0;
    if (fd < 0) {
        fd = mkstemp(in_path);
        check(fd >= 0);
        snprintf(thumb_path, sizeof thumb_path, "%s.jpg", in_path);
    }
    check(ftruncate(fd, 0) == 0 && pwrite(fd, data, size, 0) == (ssize_t)size);
    buf_init(&err, 1024);
    if (media_probe(in_path, t, &f, &err) == ERR_OK) {
        check(f.width > 0 && f.height > 0 && f.container != NULL);
        check(f.still ? f.duration_ms == -1 : f.duration_ms >= -1);
        media_facts_free(&f);
        if (media_thumb(in_path, t, thumb_path, &err) == ERR_OK)
            unlink(thumb_path);
    } else {
        check(f.container == NULL && err.len > 0);
    }
    buf_free(&err);
    return 0;
}
