/* Helpers shared by the cmocka unit tests. */
#ifndef MEDIADASH_TESTUTIL_H
#define MEDIADASH_TESTUTIL_H

#include <setjmp.h> /* cmocka needs these before cmocka.h */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/model.h"

/* Path of a fixture: $MEDIADASH_TEST_DATA/<rel>. Caller frees. */
char *tu_data_path(const char *rel);
/* Path of a shared real capture: $MEDIADASH_REALDATA/<rel>. Caller frees.
 * NULL (and the test should skip()) when the folder is not there. */
char *tu_realdata_path(const char *rel);
/* Read a whole file into b (max 64 MiB); fails the test on error. */
void tu_read(const char *path, struct buf *b);
/* A fresh temporary directory (removed by tu_rmdir). Caller frees. */
char *tu_tmpdir(void);
void tu_rmdir(const char *dir);
/* Integer value of metric name in snap; fails the test if absent. */
int64_t tu_metric(const struct snapshot *snap, const char *name);

#endif
