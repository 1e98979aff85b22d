/* core/log: one line per event with a timestamp, the level and the
 * module; repeats of a call site rate-limited with a count of what was
 * left out; audit lines never left out; threads never interleave. The
 * lines go to a temporary file (log_set_fd) and the clock is the test's
 * (log_set_clock), so every expectation is counted by hand. */
#include "testutil.h"

#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/log.h"

static int64_t fake_ms;

static int64_t fake_clock(void)
{
    return fake_ms;
}

struct out {
    int fd;
    char path[64];
};

static int setup(void **state)
{
    struct out *o = calloc(1, sizeof *o);

    memcpy(o->path, "/tmp/test_log_XXXXXX", 21);
    o->fd = mkstemp(o->path);
    assert_true(o->fd >= 0);
    close(o->fd);
    o->fd = open(o->path, O_WRONLY | O_APPEND);
    assert_true(o->fd >= 0);
    fake_ms = 1765000000123; /* 2025-12-06T05:46:40.123Z */
    log_set_level(LOG_LVL_INFO);
    log_set_format(LOG_FMT_PLAIN);
    log_set_fd(o->fd);
    log_set_clock(fake_clock);
    *state = o;
    return 0;
}

static int teardown(void **state)
{
    struct out *o = *state;

    log_set_fd(2);
    log_set_clock(NULL);
    log_set_level(LOG_LVL_WARN);
    log_set_format(LOG_FMT_AUTO);
    close(o->fd);
    unlink(o->path);
    free(o);
    return 0;
}

/* The whole output so far (caller frees). */
static char *output(const struct out *o)
{
    FILE *f = fopen(o->path, "rb");
    char *s = calloc(1, 1 << 22);
    size_t n;

    assert_non_null(f);
    n = fread(s, 1, (1 << 22) - 1, f);
    s[n] = '\0';
    fclose(f);
    return s;
}

static size_t count_lines(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static size_t count_str(const char *s, const char *needle)
{
    size_t n = 0;

    for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void warn_disk(int i)
{
    log_msg(LOG_LVL_WARN, "store", "disk almost full (%d)", i);
}

static void test_format(void **state)
{
    char *s;

    log_msg(LOG_LVL_WARN, "http", "refused %s", "10.0.0.1");
    log_msg(LOG_LVL_DEBUG, "http", "not shown at level info");
    log_set_format(LOG_FMT_JOURNAL);
    log_msg(LOG_LVL_ERROR, "store", "gone");
    log_msg(LOG_LVL_INFO, "store", "hello");
    log_set_format(LOG_FMT_JSON);
    log_msg(LOG_LVL_WARN, "http", "refused \"%s\"", "x");
    log_set_format(LOG_FMT_PLAIN);
    log_msg(LOG_LVL_INFO, "x", "%s", "a=b");
    s = output(*state);
    assert_string_equal(s, "ts=2025-12-06T05:46:40.123Z level=warn "
                           "module=http msg=\"refused 10.0.0.1\"\n"
                           "<3>level=error module=store msg=gone\n"
                           "<6>level=info module=store msg=hello\n"
                           "{\"ts\":\"2025-12-06T05:46:40.123Z\","
                           "\"level\":\"warn\",\"module\":\"http\","
                           "\"msg\":\"refused \\\"x\\\"\"}\n"
                           "ts=2025-12-06T05:46:40.123Z level=info "
                           "module=x msg=\"a=b\"\n");
    free(s);
}

/* log_kv: the fields after msg, NULL values left out; in JSON too. */
static void test_kv(void **state)
{
    const struct log_field f[] = {
        {"user", "alice"}, {"peer", NULL}, {"why", "bad \"pw\""}};
    char *s;

    log_kv(LOG_LVL_WARN, "auth", "login refused", f, 3);
    log_set_format(LOG_FMT_JSON);
    log_kv(LOG_LVL_WARN, "auth", "login refused", f, 3);
    s = output(*state);
    assert_string_equal(s, "ts=2025-12-06T05:46:40.123Z level=warn "
                           "module=auth msg=\"login refused\" user=alice "
                           "why=\"bad \\\"pw\\\"\"\n"
                           "{\"ts\":\"2025-12-06T05:46:40.123Z\","
                           "\"level\":\"warn\",\"module\":\"auth\","
                           "\"msg\":\"login refused\",\"user\":\"alice\","
                           "\"why\":\"bad \\\"pw\\\"\"}\n");
    free(s);
}

/* The encoding of values (log.h): quoting, escapes, control characters,
 * invalid UTF-8 as U+FFFD (valid sequences kept), the same in JSON. */
static void test_encoding(void **state)
{
    static const struct {
        const char *in, *logfmt, *json;
    } cases[] = {
        {"plain", "plain", "\"plain\""},
        {"", "\"\"", "\"\""},
        {"two words", "\"two words\"", "\"two words\""},
        {"k=v", "\"k=v\"", "\"k=v\""},
        {"back\\slash", "\"back\\\\slash\"", "\"back\\\\slash\""},
        {"a\nb\r\tc", "\"a\\nb\\r\\tc\"", "\"a\\nb\\r\\tc\""},
        {"\x1b[31m\x7f", "\"\\u001b[31m\\u007f\"", "\"\\u001b[31m\\u007f\""},
        {"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
         "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"",
         "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\""},
        /* a lone continuation byte, a cut sequence, an overlong '/', a
         * surrogate, over U+10FFFF */
        {"\x80|\xe2\x82|\xc0\xaf|\xed\xa0\x80|\xf4\x90\x80\x80",
         "\"\\ufffd|\\ufffd\\ufffd|\\ufffd\\ufffd|\\ufffd\\ufffd\\ufffd|"
         "\\ufffd\\ufffd\\ufffd\\ufffd\"",
         "\"\\ufffd|\\ufffd\\ufffd|\\ufffd\\ufffd|\\ufffd\\ufffd\\ufffd|"
         "\\ufffd\\ufffd\\ufffd\\ufffd\""},
    };
    struct log_line l;
    char want[256];

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        log_line_begin(&l, LOG_FMT_JOURNAL, 0, LOG_LVL_INFO, "t");
        log_line_str(&l, "v", cases[i].in);
        log_line_end(&l);
        snprintf(want, sizeof want, "<6>level=info module=t v=%s\n",
                 cases[i].logfmt);
        assert_int_equal(l.len, strlen(want));
        assert_memory_equal(l.s, want, l.len);
        log_line_begin(&l, LOG_FMT_JSON, 0, LOG_LVL_INFO, "t");
        log_line_str(&l, "v", cases[i].in);
        log_line_end(&l);
        snprintf(want, sizeof want,
                 "{\"ts\":\"1970-01-01T00:00:00.000Z\",\"level\":\"info\","
                 "\"module\":\"t\",\"v\":%s}\n",
                 cases[i].json);
        assert_int_equal(l.len, strlen(want));
        assert_memory_equal(l.s, want, l.len);
    }
}

/* 1,000 identical warnings within one second: 10 lines, then one summary
 * of the 990 others, written by the first line after the minute. */
static void test_burst(void **state)
{
    char *s;

    for (int i = 0; i < 1000; i++) {
        fake_ms += 1;
        warn_disk(i);
    }
    s = output(*state);
    assert_int_equal(count_lines(s), 10);
    assert_non_null(strstr(s, "disk almost full (9)\"\n"));
    assert_null(strstr(s, "disk almost full (10)"));
    free(s);
    fake_ms += 60 * 1000;
    log_msg(LOG_LVL_INFO, "http", "something else");
    s = output(*state);
    assert_int_equal(count_lines(s), 12);
    assert_non_null(strstr(s, "level=warn module=store msg=\"990 more like "
                              "this in the last minute: disk almost full "
                              "(10)\" suppressed=990\n"));
    assert_non_null(strstr(s, "level=info module=http msg=\"something "
                              "else\"\n"));
    assert_true(strstr(s, "990 more") < strstr(s, "something else"));
    free(s);
    /* a new window: 10 more lines, nothing to summarise */
    for (int i = 0; i < 10; i++)
        warn_disk(i);
    log_flush();
    s = output(*state);
    assert_int_equal(count_lines(s), 22);
    assert_int_equal(count_str(s, "more like this"), 1);
    free(s);
}

/* log_flush writes the pending summary at once. */
static void test_flush(void **state)
{
    char *s;

    for (int i = 0; i < 25; i++)
        warn_disk(i);
    log_flush();
    log_flush(); /* nothing left: writes nothing */
    s = output(*state);
    assert_int_equal(count_lines(s), 11);
    assert_non_null(strstr(s, "msg=\"15 more like this in the last minute: "
                              "disk almost full (10)\" suppressed=15\n"));
    free(s);
}

/* Two call sites of the same module: each its own 10. The same format
 * in another module counts apart too. */
static void test_sites(void **state)
{
    char *s;

    for (int i = 0; i < 50; i++) {
        warn_disk(i);
        log_msg(LOG_LVL_WARN, "store", "slow query (%d)", i);
    }
    for (int i = 0; i < 5; i++)
        log_msg(LOG_LVL_WARN, "net", "slow query (%d)", i);
    s = output(*state);
    assert_int_equal(count_str(s, "disk almost full"), 10);
    assert_int_equal(count_str(s, "module=store msg=\"slow query"), 10);
    assert_int_equal(count_str(s, "module=net msg=\"slow query"), 5);
    free(s);
    log_flush();
    s = output(*state);
    assert_int_equal(count_str(s, "40 more like this"), 2);
    assert_int_equal(count_lines(s), 27);
    free(s);
}

/* Audit lines are never silenced, however many, and leave the others'
 * counts alone. */
static void test_audit(void **state)
{
    char *s;

    for (int i = 0; i < 500; i++)
        log_audit(LOG_LVL_WARN, "auth",
                  "failed login for \"u%d\" from "
                  "127.0.0.%d",
                  i, i % 7 + 1);
    for (int i = 0; i < 3; i++)
        warn_disk(i);
    log_flush();
    s = output(*state);
    assert_int_equal(count_str(s, "failed login"), 500);
    assert_int_equal(count_lines(s), 503);
    assert_int_equal(count_str(s, "more like this"), 0);
    free(s);
}

/* Embedded newlines and control characters stay on the line; trailing
 * newlines go; nothing writes a blank line. */
static void test_one_line(void **state)
{
    char *s;

    log_msg(LOG_LVL_WARN, "mhd", "Error: bad request\n\n");
    log_msg(LOG_LVL_WARN, "http", "name \"a\nb\r\x1b[31m\tc\"");
    log_msg(LOG_LVL_WARN, "http", "%s", "\n");
    s = output(*state);
    assert_string_equal(strchr(s, ' ') + 1,
                        "level=warn module=mhd msg=\"Error: bad request\"\n"
                        "ts=2025-12-06T05:46:40.123Z level=warn module=http "
                        "msg=\"name \\\"a\\nb\\r\\u001b[31m\\tc\\\"\"\n"
                        "ts=2025-12-06T05:46:40.123Z level=warn module=http "
                        "msg=\"\"\n");
    assert_null(strstr(s, "\n\n"));
    free(s);
}

/* A message longer than a line is cut, says so and stays well formed:
 * the quote closed in logfmt, the object closed in JSON, even when the
 * cut falls in an escape or a UTF-8 sequence. */
static void test_long(void **state)
{
    char *big = malloc(10000), *s;

    memset(big, 'x', 9999);
    for (int i = 100; i < 9990; i += 7)
        memcpy(big + i, i % 2 ? "\xe2\x82\xac" : "\"\n\x01", 3);
    big[9999] = '\0';
    log_msg(LOG_LVL_WARN, "http", "%s", big);
    s = output(*state);
    assert_int_equal(count_lines(s), 1);
    assert_true(strlen(s) <= LOG_LINE_MAX - 1);
    assert_true(strlen(s) > LOG_LINE_MAX - 16);
    assert_memory_equal(s + strlen(s) - 5, "...\"\n", 5);
    free(s);
    log_set_format(LOG_FMT_JSON);
    log_msg(LOG_LVL_WARN, "http", "%s", big);
    s = output(*state);
    assert_int_equal(count_lines(s), 2);
    assert_memory_equal(s + strlen(s) - 6, "...\"}\n", 6);
    assert_true(strlen(strchr(s, '\n') + 1) <= LOG_LINE_MAX - 1);
    free(s);
    free(big);
}

/* A bare (unquoted) value cut ends in "..." too; a field whose key does
 * not fit is left out whole. */
static void test_long_fields(void **state)
{
    char *big = malloc(LOG_LINE_MAX * 2);
    struct log_line l;

    (void)state;
    memset(big, 'y', LOG_LINE_MAX * 2 - 1);
    big[LOG_LINE_MAX * 2 - 1] = '\0';
    log_line_begin(&l, LOG_FMT_LOGFMT, 0, LOG_LVL_INFO, "t");
    log_line_str(&l, "big", big);
    log_line_str(&l, "after", "x");
    log_line_end(&l);
    assert_true(l.len <= LOG_LINE_MAX - 1);
    assert_memory_equal(l.s + l.len - 4, "...\n", 4);
    l.s[l.len] = '\0';
    assert_null(strstr(l.s, "after"));
    log_line_begin(&l, LOG_FMT_JSON, 0, LOG_LVL_INFO, "t");
    /* "a" fits whole, leaving 20 bytes: too few for the next key */
    log_line_field(&l, "a", big, LOG_LINE_MAX - 8 - l.len - 7 - 20);
    assert_false(l.cut);
    log_line_str(&l, "longer_key_than_the_room_left", "x");
    log_line_end(&l);
    assert_true(l.len <= LOG_LINE_MAX - 1);
    assert_memory_equal(l.s + l.len - 2, "}\n", 2);
    l.s[l.len] = '\0';
    assert_null(strstr(l.s, "longer_key"));
    assert_memory_equal(l.s + l.len - 3, "\"}\n", 3);
    free(big);
}

/* More call sites than the table holds: none is lost; each evicted
 * site's silenced lines are counted in its summary. */
static void test_table_full(void **state)
{
    static char names[LOG_SITES + 8][8];
    char *s;

    for (int m = 0; m < LOG_SITES + 8; m++) {
        names[m][0] = 'm';
        names[m][1] = (char)('A' + m / 26);
        names[m][2] = (char)('a' + m % 26);
        for (int i = 0; i < 12; i++)
            log_msg(LOG_LVL_WARN, names[m], "repeat %d", i);
        fake_ms += 1;
    }
    log_flush();
    s = output(*state);
    /* 10 lines and one summary of 2 per module */
    assert_int_equal(count_lines(s), (LOG_SITES + 8) * 11);
    assert_int_equal(count_str(s, "msg=\"2 more like this"), LOG_SITES + 8);
    free(s);
}

#define THREADS 8
#define PER_THREAD 400

static void *writer(void *arg)
{
    int t = (int)(intptr_t)arg;

    for (int i = 0; i < PER_THREAD; i++)
        log_audit(LOG_LVL_WARN, "thr",
                  "thread %d line %d "
                  "................................................"
                  "................................................"
                  "........ end",
                  t, i);
    return NULL;
}

/* Concurrent writers: every line whole, none lost. */
static void test_threads(void **state)
{
    pthread_t th[THREADS];
    char *s, *line, *save = NULL;
    size_t n = 0;

    for (int t = 0; t < THREADS; t++)
        assert_int_equal(
            pthread_create(&th[t], NULL, writer, (void *)(intptr_t)t), 0);
    for (int t = 0; t < THREADS; t++)
        pthread_join(th[t], NULL);
    s = output(*state);
    for (line = strtok_r(s, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        assert_non_null(strstr(line, "level=warn module=thr msg=\"thread "));
        assert_int_equal(count_str(line, "thread "), 1);
        assert_int_equal(strlen(line) - strlen(strstr(line, " end\"")),
                         strlen(line) - 5);
        n++;
    }
    assert_int_equal(n, THREADS * PER_THREAD);
    free(s);
}

static void test_parse(void **state)
{
    enum log_level l;
    enum log_format f;

    (void)state;
    assert_int_equal(log_level_parse("debug", &l), ERR_OK);
    assert_int_equal(l, LOG_LVL_DEBUG);
    assert_int_equal(log_level_parse("warn", &l), ERR_OK);
    assert_int_equal(l, LOG_LVL_WARN);
    assert_int_equal(log_level_parse("warning", &l), ERR_OK);
    assert_int_equal(log_level_parse("loud", &l), ERR_PARSE);
    assert_int_equal(log_format_parse("journal", &f), ERR_OK);
    assert_int_equal(f, LOG_FMT_JOURNAL);
    assert_int_equal(log_format_parse("json", &f), ERR_OK);
    assert_int_equal(f, LOG_FMT_JSON);
    assert_int_equal(log_format_parse("logfmt", &f), ERR_OK);
    assert_int_equal(f, LOG_FMT_LOGFMT);
    assert_int_equal(log_format_parse("plain", &f), ERR_OK);
    assert_int_equal(f, LOG_FMT_LOGFMT);
    assert_int_equal(log_format_parse("xml", &f), ERR_PARSE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_format, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kv, setup, teardown),
        cmocka_unit_test(test_encoding),
        cmocka_unit_test(test_long_fields),
        cmocka_unit_test_setup_teardown(test_burst, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flush, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sites, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_line, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long, setup, teardown),
        cmocka_unit_test_setup_teardown(test_table_full, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
        cmocka_unit_test(test_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
