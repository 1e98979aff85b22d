/* Private to the store backends' media files (store_sqlite_media.c,
 * pg/pg_media.c): the grace check before a file is removed, written once
 * in store_media_common.c. */
#ifndef MEDIADASH_STORE_MEDIA_COMMON_H
#define MEDIADASH_STORE_MEDIA_COMMON_H

#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "store/store.h"

/* Inside the caller's transaction: ERR_BUSY (err names up to 20 of the
 * posts) while a post holds the file sha256 (store_media_uses with now
 * and grace_s says which do), else ERR_OK. A failed read is returned as
 * it is, err untouched: the backend words it. */
enum err media_check_unheld(struct store *st, const char *sha256,
                           int64_t now, int64_t grace_s,
                           struct buf *err) WARN_UNUSED;

#endif
