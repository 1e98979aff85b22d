/* Secrets at rest (DESIGN.md): OAuth tokens and PKCE verifiers are sealed
 * with libsodium's crypto_secretbox (XSalsa20-Poly1305) under a 32-byte
 * key kept in a key file that only the service user may read. Each value
 * gets its own random nonce. Sealed text is "v1:" + base64(nonce || box),
 * safe to store in a TEXT column.
 *
 * The key file is created on first use with O_CREAT|O_EXCL and mode 0600.
 * A key file that is group- or other-accessible, not owned by the
 * effective user, not a regular file or not exactly 32 bytes is refused
 * with a message naming the file and the fix. */
#ifndef MEDIADASH_SECRET_H
#define MEDIADASH_SECRET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"

#define SECRET_MAX_PLAIN ((size_t)16 << 10) /* tokens are far shorter */

struct secret_key; /* opaque, in locked memory; read-only once loaded,
                      so threads may share one */

/* Load the key at path; when it does not exist and create is set, make it
 * (32 random bytes, mode 0600). Errors: ERR_NOTFOUND (absent, !create),
 * ERR_INVALID (bad permissions, owner, type or size: err names the file
 * and the fix), ERR_IO. Caller destroys *out. Needs sodium_init(). */
enum err secret_key_load(const char *path, bool create,
                         struct secret_key **out, struct buf *err)
    WARN_UNUSED;
void secret_key_destroy(struct secret_key *k); /* NULL is a no-op */

/* Seal the n bytes at plain (n <= SECRET_MAX_PLAIN) and append the sealed
 * text to out. ERR_TOOBIG when plain or out is too large. */
enum err secret_seal(const struct secret_key *k, const char *plain,
                     size_t n, struct buf *out) WARN_UNUSED;
/* Open sealed text into out (replacing its contents; NUL-terminated).
 * ERR_PARSE for malformed text, ERR_INVALID when the box does not open
 * (another key, or tampered); err says which, never with the contents. */
enum err secret_open(const struct secret_key *k, const char *sealed,
                     struct buf *out, struct buf *err) WARN_UNUSED;

/* Derive a subkey of outlen bytes (16 to 64) for one purpose from the
 * key: libsodium's crypto_kdf (BLAKE2b) with subkey id `id` and the
 * 8-character context ctx ("medialnk"). The same key, id and context
 * give the same subkey in every process; no other use sees it.
 * ERR_INVALID for a bad outlen or a context that is not 8 bytes. */
enum err secret_derive(const struct secret_key *k, uint64_t id,
                       const char *ctx, unsigned char *out, size_t outlen)
    WARN_UNUSED;

/* Zero b's memory and free it (for buffers that held a secret). */
void secret_buf_wipe(struct buf *b);

#endif
