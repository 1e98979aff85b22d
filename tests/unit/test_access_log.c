/* http/access: the access log's line (fields, formats), the redaction of
 * query strings and media links, and the file: appended to, mode 0640,
 * opened again after logrotate moved it. */
#include "testutil.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http/access.h"

static const char *query_of(const char *const *kv, size_t n)
{
    static struct access_query q;

    access_query_init(&q);
    for (size_t i = 0; i + 1 < n; i += 2)
        access_query_add(&q, kv[i], kv[i + 1]);
    return q.s;
}

/* Harmless keys keep their values; known secrets show the key only;
 * anything else is one "*". */
static void test_query(void **state)
{
    const char *oauth[] = {"code",      "4/0AbCsecret", "state",
                           "st-secret", "scope",        "x y"};
    const char *api[] = {"platform", "youtube", "range", "28d",
                         "account",  "UC1",     "flag",  NULL};
    const char *tokens[] = {"access_token",    "at-1", "password", "pw",
                            "sekrit-as-a-key", NULL,   "q",        "find me"};
    char *big = malloc(4 * ACCESS_QUERY_MAX);
    const char *long_q[] = {"platform", big};

    (void)state;
    assert_string_equal(query_of(oauth, 6), "code=*&state=*&*");
    assert_string_equal(query_of(api, 8),
                        "platform=youtube&range=28d&account=UC1&*");
    assert_string_equal(query_of(tokens, 8), "access_token=*&password=*&*&q=*");
    memset(big, 'p', 4 * ACCESS_QUERY_MAX - 1);
    big[4 * ACCESS_QUERY_MAX - 1] = '\0';
    assert_true(strlen(query_of(long_q, 2)) < ACCESS_QUERY_MAX);
    assert_non_null(strstr(query_of(long_q, 2), "..."));
    free(big);
}

static struct access_entry entry(void)
{
    struct access_entry e;

    memset(&e, 0, sizeof e);
    e.ts_ms = 1765000000123;
    e.peer = "203.0.113.7";
    e.method = "GET";
    e.path = "/api/v1/series";
    e.query = "platform=youtube&code=*";
    e.status = 200;
    e.bytes = 5120;
    e.dur_us = 3214;
    e.user = "alice";
    e.ua = "curl/7.88.1";
    return e;
}

static void test_line(void **state)
{
    struct access_entry e = entry();
    struct log_line l;

    (void)state;
    access_log_line(&l, LOG_FMT_LOGFMT, &e);
    l.s[l.len] = '\0';
    assert_string_equal(l.s, "ts=2025-12-06T05:46:40.123Z level=info "
                             "module=access peer=203.0.113.7 method=GET "
                             "path=/api/v1/series "
                             "query=\"platform=youtube&code=*\" status=200 "
                             "bytes=5120 ms=3.214 user=alice "
                             "ua=curl/7.88.1\n");
    e.user = NULL;
    e.token = "ci deploy";
    e.query = "";
    e.status = 304;
    e.bytes = 0;
    e.dur_us = 12;
    e.ua = "Mozilla/5.0 \"evil\"\n\x1b";
    access_log_line(&l, LOG_FMT_JSON, &e);
    l.s[l.len] = '\0';
    assert_string_equal(l.s, "{\"ts\":\"2025-12-06T05:46:40.123Z\","
                             "\"level\":\"info\",\"module\":\"access\","
                             "\"peer\":\"203.0.113.7\",\"method\":\"GET\","
                             "\"path\":\"/api/v1/series\",\"status\":304,"
                             "\"bytes\":0,\"ms\":0.012,"
                             "\"token\":\"ci deploy\",\"ua\":\"Mozilla/5.0 "
                             "\\\"evil\\\"\\n\\u001b\"}\n");
    access_log_line(&l, LOG_FMT_JOURNAL, &e);
    assert_memory_equal(l.s, "<6>level=info module=access ", 28);
}

/* A public media link's token is a capability: never written. A long
 * User-Agent is cut. */
static void test_redact_path(void **state)
{
    struct access_entry e = entry();
    char ua[2000];
    struct log_line l;

    (void)state;
    e.path = "/m/Zm9vYmFyLXNlY3JldC10b2tlbg.jpg";
    memset(ua, 'u', sizeof ua - 1);
    ua[sizeof ua - 1] = '\0';
    e.ua = ua;
    access_log_line(&l, LOG_FMT_LOGFMT, &e);
    l.s[l.len] = '\0';
    assert_non_null(strstr(l.s, " path=/m/* "));
    assert_null(strstr(l.s, "Zm9v"));
    assert_non_null(strstr(l.s, " ua=uuu"));
    assert_true(strlen(strstr(l.s, " ua=")) == 4 + ACCESS_UA_MAX + 1);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *s = calloc(1, 65536);
    size_t n;

    assert_non_null(f);
    n = fread(s, 1, 65535, f);
    s[n] = '\0';
    fclose(f);
    return s;
}

/* Appended to (what was there stays), 0640, and after a rename (what
 * logrotate does) the reopened log writes to a new file at the path. */
static void test_file(void **state)
{
    char dir[] = "/tmp/test_access_XXXXXX", path[128], moved[128];
    struct access_entry e = entry();
    struct buf err;
    struct stat sb;
    char *s;
    FILE *f;

    (void)state;
    umask(022);
    buf_init(&err, 1024);
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/access.log", dir);
    snprintf(moved, sizeof moved, "%s/access.log.1", dir);
    f = fopen(path, "w");
    fputs("older line\n", f);
    fclose(f);
    chmod(path, 0640);
    assert_false(access_log_enabled());
    assert_int_equal(access_log_open(path, &err), ERR_OK);
    assert_true(access_log_enabled());
    access_log_write(&e);
    assert_int_equal(rename(path, moved), 0);
    e.status = 404;
    access_log_write(&e); /* still the old file */
    assert_int_equal(access_log_reopen(&err), ERR_OK);
    e.status = 201;
    access_log_write(&e);
    access_log_close();
    assert_false(access_log_enabled());
    access_log_write(&e); /* off: nothing */
    s = slurp(moved);
    assert_memory_equal(s, "older line\nts=", 14);
    assert_non_null(strstr(s, " status=200 "));
    assert_non_null(strstr(s, " status=404 "));
    assert_null(strstr(s, " status=201 "));
    free(s);
    s = slurp(path);
    assert_non_null(strstr(s, " status=201 "));
    assert_null(strchr(strchr(s, '\n') + 1, '\n'));
    free(s);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0640 & ~0022 & 0777);
    assert_int_equal(access_log_open("/nonexistent-dir/a.log", &err), ERR_IO);
    assert_non_null(strstr(buf_cstr(&err), "/nonexistent-dir/a.log"));
    assert_false(access_log_enabled());
    unlink(path);
    unlink(moved);
    rmdir(dir);
    buf_free(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_query),
        cmocka_unit_test(test_line),
        cmocka_unit_test(test_redact_path),
        cmocka_unit_test(test_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
