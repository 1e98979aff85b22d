#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

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
