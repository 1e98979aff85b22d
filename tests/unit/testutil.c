#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "core/alloc.h"
#include "store/store.h"

static char *join(const char *env, const char *fallback, const char *rel)
{
    const char *base = getenv(env);
    struct buf b;
    buf_init(&b, 4096);
    if (base == NULL)
        base = fallback;
    assert_int_equal(buf_printf(&b, "%s/%s", base, rel), ERR_OK);
    return buf_steal(&b);
}

char *tu_data_path(const char *rel)
{
    return join("MEDIADASH_TEST_DATA", "tests/data", rel);
}

char *tu_realdata_path(const char *rel)
{
    char *p = join("MEDIADASH_REALDATA", "../shared/realdata", rel);
    FILE *f = fopen(p, "rb");
    if (f == NULL) {
        free(p);
        return NULL;
    }
    fclose(f);
    return p;
}

void tu_read(const char *path, struct buf *b)
{
    struct buf why;
    enum err rc;
    buf_init(&why, 1024);
    rc = buf_read_file(b, path, &why);
    if (rc != ERR_OK)
        fail_msg("%s: %s", path, buf_cstr(&why));
    buf_free(&why);
}

char *tu_tmpdir(void)
{
    char tmpl[] = "/tmp/mediadash-test-XXXXXX";
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    return xstrdup(d);
}

void tu_rmdir(const char *dir)
{
    struct buf cmd;
    buf_init(&cmd, 4096);
    if (strncmp(dir, "/tmp/mediadash-test-", 20) == 0 &&
        buf_printf(&cmd, "rm -rf '%s'", dir) == ERR_OK) {
        int rc = system(buf_cstr(&cmd));
        (void)rc;
    }
    buf_free(&cmd);
}

int64_t tu_metric(const struct snapshot *snap, const char *name)
{
    const struct metric *m = metrics_get(&snap->metrics, name);
    if (m == NULL)
        fail_msg("metric %s missing", name);
    return m->i;
}

void tu_parse(const char *path, enum platform p, const char *hint,
              struct tu_parsed *out)
{
    struct source_opts o = {0};
    struct buf data;

    o.observed_at = TU_OBSERVED;
    o.account_hint[p] = hint;
    buf_init(&data, SOURCE_MAX_BYTES);
    tu_read(path, &data);
    batch_init(&out->b);
    buf_init(&out->err, 8192);
    out->format = NULL;
    out->rc = source_parse(data.data ? data.data : "", data.len, &o, &out->b,
                           &out->format, &out->err);
    buf_free(&data);
}

void tu_parse_fixture(const char *rel, enum platform p, const char *hint,
                      struct tu_parsed *out)
{
    char *path = tu_data_path(rel);
    tu_parse(path, p, hint, out);
    free(path);
}

bool tu_parse_real(const char *rel, enum platform p, const char *hint,
                   struct tu_parsed *out)
{
    char *path = tu_realdata_path(rel);
    if (path == NULL)
        return false;
    tu_parse(path, p, hint, out);
    free(path);
    return true;
}

void tu_parsed_free(struct tu_parsed *p)
{
    batch_free(&p->b);
    buf_free(&p->err);
}

struct item *tu_find(struct tu_parsed *p, enum platform pl, enum item_type t,
                     const char *id)
{
    struct item *it = batch_find(&p->b, pl, t, id);
    if (it == NULL)
        fail_msg("no item %s", id);
    return it;
}

void tu_expect_refused(const char *rel, enum platform p, const char *hint,
                       enum err rc, const char *a, const char *b)
{
    struct tu_parsed r;
    tu_parse_fixture(rel, p, hint, &r);
    if (r.rc != rc)
        fail_msg("%s: got %d (%s), want %d", rel, r.rc, buf_cstr(&r.err), rc);
    assert_int_equal(r.b.n, 0); /* nothing partial */
    if (a && !strstr(buf_cstr(&r.err), a))
        fail_msg("%s: \"%s\" lacks \"%s\"", rel, buf_cstr(&r.err), a);
    if (b && !strstr(buf_cstr(&r.err), b))
        fail_msg("%s: \"%s\" lacks \"%s\"", rel, buf_cstr(&r.err), b);
    tu_parsed_free(&r);
}

int tu_store_setup(void **state)
{
    struct tu_store_fx *f = xcalloc(1, sizeof *f);
    struct buf p;

    f->dir = tu_tmpdir();
    buf_init(&p, 4096);
    buf_init(&f->err, 4096);
    assert_int_equal(buf_printf(&p, "%s/test.db", f->dir), ERR_OK);
    f->path = buf_steal(&p);
    if (store_open(f->path, &f->st, &f->err) != ERR_OK)
        fail_msg("%s", buf_cstr(&f->err));
    *state = f;
    return 0;
}

int tu_store_teardown(void **state)
{
    struct tu_store_fx *f = *state;
    store_close(f->st);
    buf_free(&f->err);
    tu_rmdir(f->dir);
    free(f->dir);
    free(f->path);
    free(f);
    return 0;
}

void tu_set_item_tracked(const char *db_path, const char *ext_id)
{
    sqlite3 *db;
    sqlite3_stmt *st;

    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "UPDATE item SET role = 'tracked' "
                                        "WHERE ext_id = ?1",
                                        -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_bind_text(st, 1, ext_id, -1, SQLITE_STATIC),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    assert_int_equal(sqlite3_changes(db), 1);
    sqlite3_finalize(st);
    sqlite3_close(db);
}
