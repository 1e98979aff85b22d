#include "secret.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"

#define KEY_BYTES crypto_secretbox_KEYBYTES
#define PREFIX "v1:"
#define B64 sodium_base64_VARIANT_ORIGINAL

struct secret_key {
    unsigned char k[KEY_BYTES];
};

void secret_buf_wipe(struct buf *b)
{
    if (b == NULL)
        return;
    if (b->data != NULL)
        sodium_memzero(b->data, b->cap);
    buf_free(b);
}

/* Make the key file at path unless it exists. The key is written to a
 * temporary file beside it and linked into place, so the name never
 * shows a file without its 32 bytes: another process creating or
 * loading it at the same moment either finds nothing (and creates; one
 * link wins, EEXIST for the others) or finds the whole key. */
static enum err create_key(const char *path, struct buf *err)
{
    unsigned char k[KEY_BYTES];
    struct buf tmp;
    enum err rc = ERR_IO;
    int fd = -1;

    if (access(path, F_OK) == 0)
        return ERR_OK;
    buf_init(&tmp, 4096);
    if (buf_printf(&tmp, "%s.tmp-XXXXXX", path) != ERR_OK) {
        buf_setf(err, "key file path too long: %s", path);
        goto out;
    }
    fd = mkstemp(tmp.data); /* mode 0600 */
    if (fd >= 0)
        (void)fcntl(fd, F_SETFD, FD_CLOEXEC);
    if (fd < 0) {
        buf_setf(err, "cannot create key file %s: %s", path, strerror(errno));
        goto out;
    }
    randombytes_buf(k, sizeof(k));
    if (write(fd, k, sizeof(k)) != (ssize_t)sizeof(k) || fsync(fd) != 0) {
        buf_setf(err, "cannot write key file %s: %s", path, strerror(errno));
        goto out;
    }
    if (link(tmp.data, path) != 0 && errno != EEXIST) {
        buf_setf(err, "cannot create key file %s: %s", path, strerror(errno));
        goto out;
    }
    rc = ERR_OK; /* ours, or another process made it first: use that */
out:
    sodium_memzero(k, sizeof(k));
    if (fd >= 0) {
        close(fd);
        unlink(tmp.data);
    }
    buf_free(&tmp);
    return rc;
}

/* The checks that make a key file acceptable, on the open descriptor. */
static enum err check_key_file(int fd, const char *path, struct buf *err)
{
    struct stat sb;

    if (fstat(fd, &sb) != 0) {
        buf_setf(err, "key file %s: %s", path, strerror(errno));
        return ERR_IO;
    }
    if (!S_ISREG(sb.st_mode)) {
        buf_setf(err, "key file %s is not a regular file", path);
        return ERR_INVALID;
    }
    if (sb.st_uid != geteuid()) {
        buf_setf(err, "key file %s is not owned by this user (uid %u): "
                 "chown it to the service user and chmod 600 it",
                 path, (unsigned)geteuid());
        return ERR_INVALID;
    }
    if ((sb.st_mode & 077) != 0) {
        buf_setf(err, "key file %s is readable or writable by group or "
                 "others (mode %03o): run 'chmod 600 %s'",
                 path, (unsigned)(sb.st_mode & 0777), path);
        return ERR_INVALID;
    }
    if (sb.st_size != KEY_BYTES) {
        buf_setf(err, "key file %s holds %lld bytes, expected %d", path,
                 (long long)sb.st_size, KEY_BYTES);
        return ERR_INVALID;
    }
    return ERR_OK;
}

enum err secret_key_load(const char *path, bool create,
                         struct secret_key **out, struct buf *err)
{
    struct secret_key *k = NULL;
    enum err rc;
    int fd = -1;

    *out = NULL;
    if (create) {
        rc = create_key(path, err);
        if (rc != ERR_OK)
            return rc;
    }
    fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        buf_setf(err, "cannot open key file %s: %s", path, strerror(errno));
        return errno == ENOENT ? ERR_NOTFOUND : ERR_IO;
    }
    rc = check_key_file(fd, path, err);
    if (rc != ERR_OK)
        goto out;
    k = sodium_malloc(sizeof(*k));
    if (k == NULL) {
        rc = ERR_NOMEM;
        goto out;
    }
    if (read(fd, k->k, KEY_BYTES) != KEY_BYTES) {
        buf_setf(err, "cannot read key file %s", path);
        rc = ERR_IO;
        goto out;
    }
    sodium_mprotect_readonly(k);
    *out = k;
    k = NULL;
out:
    sodium_free(k);
    close(fd);
    return rc;
}

void secret_key_destroy(struct secret_key *k)
{
    if (k != NULL)
        sodium_free(k); /* zeroes the memory */
}

enum err secret_seal(const struct secret_key *k, const char *plain,
                     size_t n, struct buf *out)
{
    size_t boxlen = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
    unsigned char *box;
    char *b64;
    size_t b64len;
    enum err rc;

    if (n > SECRET_MAX_PLAIN)
        return ERR_TOOBIG;
    box = xmalloc(boxlen);
    b64len = sodium_base64_ENCODED_LEN(boxlen, B64);
    b64 = xmalloc(b64len);
    randombytes_buf(box, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(box + crypto_secretbox_NONCEBYTES,
                          (const unsigned char *)plain, n, box, k->k);
    sodium_bin2base64(b64, b64len, box, boxlen, B64);
    rc = buf_printf(out, PREFIX "%s", b64);
    free(box);
    free(b64);
    return rc;
}

enum err secret_open(const struct secret_key *k, const char *sealed,
                     struct buf *out, struct buf *err)
{
    size_t slen = strlen(sealed), binlen = 0;
    size_t cap = slen / 4 * 3 + 3;
    unsigned char *bin = NULL, *plain = NULL;
    size_t n = 0;
    enum err rc = ERR_PARSE;

    buf_reset(out);
    if (strncmp(sealed, PREFIX, 3) != 0 || slen > 4 * SECRET_MAX_PLAIN) {
        buf_setf(err, "sealed secret: unknown format");
        goto out;
    }
    bin = xmalloc(cap);
    if (sodium_base642bin(bin, cap, sealed + 3, slen - 3, NULL, &binlen,
                          NULL, B64) != 0 ||
        binlen < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
        buf_setf(err, "sealed secret: malformed");
        goto out;
    }
    n = binlen - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
    plain = xmalloc(n + 1);
    if (crypto_secretbox_open_easy(plain, bin + crypto_secretbox_NONCEBYTES,
                                   binlen - crypto_secretbox_NONCEBYTES, bin,
                                   k->k) != 0) {
        buf_setf(err, "sealed secret does not open with this key (another "
                 "key file, or the value was altered)");
        rc = ERR_INVALID;
        goto out;
    }
    rc = buf_append(out, plain, n);
out:
    if (plain != NULL)
        sodium_memzero(plain, n);
    free(plain);
    free(bin);
    return rc;
}

enum err secret_derive(const struct secret_key *k, uint64_t id,
                       const char *ctx, unsigned char *out, size_t outlen)
{
    if (outlen < crypto_kdf_BYTES_MIN || outlen > crypto_kdf_BYTES_MAX ||
        ctx == NULL || strlen(ctx) != crypto_kdf_CONTEXTBYTES)
        return ERR_INVALID;
    return crypto_kdf_derive_from_key(out, outlen, id, ctx, k->k) == 0
               ? ERR_OK
               : ERR_INVALID;
}
