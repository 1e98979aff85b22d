/* Helpers shared by the cmocka unit tests. */
#ifndef MEDIADASH_TESTUTIL_H
#define MEDIADASH_TESTUTIL_H

#include <setjmp.h> /* cmocka needs these before cmocka.h */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <cmocka.h>

#include "core/buf.h"
#include "core/model.h"
#include "sources/source.h"

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

/* A cmocka fixture: a store in a fresh temporary directory. */
struct store;
struct tu_store_fx {
    char *dir, *path; /* the directory and the database file */
    struct store *st;
    struct buf err;
};
/* Make the item called ext_id (exactly one) someone else's, as `accounts
 * set --role tracked` does for the row, in the SQLite file db_path. */
void tu_set_item_tracked(const char *db_path, const char *ext_id);

int tu_store_setup(void **state);    /* *state = a struct tu_store_fx */
int tu_store_teardown(void **state); /* closes, removes, frees */

/* ---- parsing through source_parse, for the parser tests ---------------- */

#define TU_OBSERVED 1717243200 /* 2024-06-01T12:00:00Z */

struct tu_parsed {
    enum err rc;
    struct batch b;
    struct buf err;
    const char *format;
};

/* Parse the file at path with observed_at TU_OBSERVED and, when hint is
 * not NULL, hint as platform p's account. Free with tu_parsed_free. */
void tu_parse(const char *path, enum platform p, const char *hint,
              struct tu_parsed *out);
/* The same for a fixture (relative to tests/data) or a real capture
 * (relative to ../shared/realdata; false when absent: skip()). */
void tu_parse_fixture(const char *rel, enum platform p, const char *hint,
                      struct tu_parsed *out);
bool tu_parse_real(const char *rel, enum platform p, const char *hint,
                   struct tu_parsed *out);
void tu_parsed_free(struct tu_parsed *p);
/* The item, or the test fails. */
struct item *tu_find(struct tu_parsed *p, enum platform pl, enum item_type t,
                     const char *id);
/* The fixture must be refused with rc, leave nothing, and its message
 * contain a and b (either may be NULL). */
void tu_expect_refused(const char *rel, enum platform p, const char *hint,
                       enum err rc, const char *a, const char *b);

/* ---- the fake platform server (tu_fake.c) ------------------------------ */

struct net_client;
struct tu_fake {
    pid_t pid;
    int port;
    struct net_client *nc; /* for /_control and /_stats */
};
/* Start tests/fakeplat/fakeplat.py with tests/data/fakeplat/dataset.json
 * on a free port of 127.0.0.1 (net_global_init first); it dies with this
 * process and after lifetime_s. Fails the test when it does not start. */
void tu_fake_start(struct tu_fake *f, int lifetime_s);
/* Stop it, free the client, net_global_cleanup. */
void tu_fake_stop(struct tu_fake *f);
/* "http://127.0.0.1:PORT" + path. Caller frees. */
char *tu_fake_url(const struct tu_fake *f, const char *path);
/* POST body (JSON) to /_control; fails the test on an error. */
void tu_fake_control(struct tu_fake *f, const char *body);
/* GET /_stats: paths[path], or the top-level key when path has no '/'. */
long long tu_fake_stat(struct tu_fake *f, const char *path);

#endif
