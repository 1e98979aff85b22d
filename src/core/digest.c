#include "digest.h"

#include <sodium.h>

enum err digest_sha256_hex(const void *p, size_t n, struct buf *out)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    char hex[crypto_hash_sha256_BYTES * 2 + 1];

    crypto_hash_sha256(h, p, n);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    return buf_puts(out, hex);
}
