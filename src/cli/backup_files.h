/* File steps shared by `mediadash backup` and `restore`: the key file's
 * copy, atomic renames made durable, the report of a verified copy. */
#ifndef MEDIADASH_BACKUP_FILES_H
#define MEDIADASH_BACKUP_FILES_H

#include <stdbool.h>
#include <stdio.h>

#include "core/buf.h"
#include "core/err.h"
#include "store/store_backup.h"

#define KEY_FILE_MAX 4096 /* a key file is 32 bytes; refuse far more */

/* "<path><suffix>" into out (reset first). */
enum err bf_path(struct buf *out, const char *path, const char *suffix)
    WARN_UNUSED;
/* Copy the key file src to dest (new: O_EXCL), mode 0600, fsynced.
 * ERR_NOTFOUND when src does not exist; err names the file. */
enum err bf_copy_key(const char *src, const char *dest, struct buf *err)
    WARN_UNUSED;
/* rename(from, to) then fsync to's directory. */
enum err bf_rename(const char *from, const char *to, struct buf *err)
    WARN_UNUSED;
/* Whether path exists (any type). */
bool bf_exists(const char *path);
/* Compare the source's counts with the copy's: true when equal, else
 * err names the first table that differs. */
bool bf_same_counts(const struct store_counts *a, const struct store_counts *b,
                    struct buf *err);
/* Print the verified copy's facts on f: check, schema, page count,
 * row counts. */
void bf_print_counts(FILE *f, const char *check, const struct store_counts *c);

#endif
