/* Content digests (libsodium). */
#ifndef MEDIADASH_DIGEST_H
#define MEDIADASH_DIGEST_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

/* Append the lowercase hex SHA-256 of the n bytes at p to out. */
enum err digest_sha256_hex(const void *p, size_t n, struct buf *out)
    WARN_UNUSED;

#endif
