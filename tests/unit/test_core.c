/* Unit tests of src/core: buf, time, parse helpers, model, jsonw, jread. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/jread.h"
#include "core/jsonw.h"
#include "core/str.h"
#include "core/timeutil.h"

static void test_buf_limits(void **state)
{
    struct buf b;
    (void)state;
    buf_init(&b, 8);
    assert_int_equal(buf_puts(&b, "12345678"), ERR_OK);
    assert_int_equal(buf_putc(&b, 'x'), ERR_TOOBIG);
    assert_string_equal(buf_cstr(&b), "12345678"); /* unchanged */
    buf_setf(&b, "%s", "a much longer message");
    assert_int_equal(b.len, 8); /* clipped, not failed */
    assert_string_equal(buf_cstr(&b), "a much l");
    buf_free(&b);
    assert_string_equal(buf_cstr(&b), "");
}

static void test_parse_i64(void **state)
{
    int64_t v;
    (void)state;
    assert_int_equal(parse_i64("42", 0, 100, &v), ERR_OK);
    assert_int_equal(v, 42);
    assert_int_equal(parse_i64("-5", -10, 10, &v), ERR_OK);
    assert_int_equal(v, -5);
    assert_int_equal(parse_i64("101", 0, 100, &v), ERR_PARSE);
    assert_int_equal(parse_i64("12x", 0, 100, &v), ERR_PARSE);
    assert_int_equal(parse_i64("", 0, 100, &v), ERR_PARSE);
    assert_int_equal(parse_i64(" 1", 0, 100, &v), ERR_PARSE);
    assert_int_equal(parse_i64("99999999999999999999", 0, INT64_MAX, &v),
                     ERR_PARSE);
}

static void test_time_parse(void **state)
{
    int64_t t;
    (void)state;
    assert_int_equal(time_parse_iso8601("1970-01-01T00:00:00Z", &t), ERR_OK);
    assert_int_equal(t, 0);
    assert_int_equal(time_parse_iso8601("2019-11-29T20:00:11.000Z", &t),
                     ERR_OK);
    assert_int_equal(t, 1575057611);
    assert_int_equal(time_parse_iso8601("2021-08-13T08:25:28+0000", &t),
                     ERR_OK);
    assert_int_equal(t, 1628843128);
    assert_int_equal(time_parse_iso8601("2024-06-01T12:00:00-07:00", &t),
                     ERR_OK);
    assert_int_equal(t, 1717268400);
    assert_int_equal(time_parse_iso8601("2024-02-29", &t), ERR_OK);
    assert_int_equal(t, 1709164800);
    assert_int_equal(time_parse_iso8601("2023-02-29", &t), ERR_PARSE);
    assert_int_equal(time_parse_iso8601("2024-13-01", &t), ERR_PARSE);
    assert_int_equal(time_parse_iso8601("2024-06-01T25:00:00Z", &t),
                     ERR_PARSE);
    assert_int_equal(time_parse_iso8601("2024-06-01T10:00:00Zjunk", &t),
                     ERR_PARSE);
    assert_int_equal(time_parse_iso8601("yesterday", &t), ERR_PARSE);
}

static void test_time_format_roundtrip(void **state)
{
    static const int64_t ts[] = {0, 1, 86399, 951782400 /* 2000-02-29 */,
                                 1717268400, -1, -86401, 4102444800};
    struct buf b;
    (void)state;
    buf_init(&b, 64);
    for (size_t i = 0; i < sizeof ts / sizeof ts[0]; i++) {
        int64_t back;
        buf_reset(&b);
        assert_int_equal(time_format_iso8601(ts[i], &b), ERR_OK);
        assert_int_equal(time_parse_iso8601(buf_cstr(&b), &back), ERR_OK);
        assert_int_equal(back, ts[i]);
    }
    buf_reset(&b);
    assert_int_equal(time_format_iso8601(1575057611, &b), ERR_OK);
    assert_string_equal(buf_cstr(&b), "2019-11-29T20:00:11Z");
    buf_reset(&b);
    assert_int_equal(time_format_iso8601(-1, &b), ERR_OK);
    assert_string_equal(buf_cstr(&b), "1969-12-31T23:59:59Z");
    buf_free(&b);
}

static void test_duration(void **state)
{
    int64_t d;
    (void)state;
    assert_int_equal(time_parse_duration("PT4M13S", &d), ERR_OK);
    assert_int_equal(d, 253);
    assert_int_equal(time_parse_duration("PT1H", &d), ERR_OK);
    assert_int_equal(d, 3600);
    assert_int_equal(time_parse_duration("P1DT2H3M4S", &d), ERR_OK);
    assert_int_equal(d, 93784);
    assert_int_equal(time_parse_duration("P0D", &d), ERR_OK);
    assert_int_equal(d, 0);
    assert_int_equal(time_parse_duration("PT", &d), ERR_PARSE);
    assert_int_equal(time_parse_duration("P1M", &d), ERR_PARSE); /* months */
    assert_int_equal(time_parse_duration("4M13S", &d), ERR_PARSE);
    assert_int_equal(time_parse_duration("PT99999999999999999999S", &d),
                     ERR_PARSE);
}

static void test_utf8(void **state)
{
    (void)state;
    assert_true(str_valid_utf8("h\xC3\xA9llo", 6));
    assert_true(str_valid_utf8("\xE2\x80\x99", 3));
    assert_false(str_valid_utf8("\xC3", 1));         /* truncated */
    assert_false(str_valid_utf8("\xC0\xAF", 2));     /* overlong */
    assert_false(str_valid_utf8("\xED\xA0\x80", 3)); /* surrogate */
    assert_false(str_valid_utf8("a\0b", 3));         /* NUL */
    assert_int_equal(str_utf8_valid_len("ab\xFF" "cd", 5), 2);
}

static void test_metrics(void **state)
{
    struct metrics m;
    (void)state;
    metrics_init(&m);
    assert_int_equal(metrics_set_i64(&m, "views", 10), ERR_OK);
    assert_int_equal(metrics_set_i64(&m, "views", 12), ERR_OK); /* replaces */
    assert_int_equal(metrics_set_real(&m, "yt.ctr", 0.5), ERR_OK);
    assert_int_equal(m.n, 2);
    assert_int_equal(metrics_get(&m, "views")->i, 12);
    assert_true(metrics_get(&m, "yt.ctr")->is_real);
    assert_null(metrics_get(&m, "likes"));
    assert_int_equal(metrics_set_i64(&m, "bad name", 1), ERR_INVALID);
    assert_int_equal(metrics_set_i64(&m, "", 1), ERR_INVALID);
    assert_int_equal(metrics_set_real(&m, "x", NAN), ERR_INVALID);
    metrics_free(&m);
}

static void test_batch_links(void **state)
{
    struct batch b;
    struct item *it, *again;
    struct snapshot *s1, *s2;
    char id[32];
    (void)state;
    batch_init(&b);
    it = batch_item(&b, PLATFORM_YOUTUBE, ITEM_CONTENT, "abc");
    s2 = item_snapshot_at(it, 200);
    s1 = item_snapshot_at(it, 100);
    assert_ptr_equal(item_snapshot_at(it, 200), s2);
    assert_ptr_equal(s1->item, it); /* snapshot knows its item */
    item_sort_snapshots(it);
    assert_ptr_equal(it->snaps[0], s1); /* item lists them, oldest first */
    assert_ptr_equal(it->snaps[1], s2);
    /* Same id on another platform or type is another item. */
    assert_ptr_not_equal(batch_item(&b, PLATFORM_TIKTOK, ITEM_CONTENT, "abc"),
                         it);
    assert_ptr_not_equal(batch_item(&b, PLATFORM_YOUTUBE, ITEM_ACCOUNT, "abc"),
                         it);
    for (int i = 0; i < 5000; i++) { /* the index survives growth */
        snprintf(id, sizeof id, "v%d", i);
        batch_item(&b, PLATFORM_YOUTUBE, ITEM_CONTENT, id);
    }
    again = batch_find(&b, PLATFORM_YOUTUBE, ITEM_CONTENT, "abc");
    assert_ptr_equal(again, it);
    assert_non_null(batch_find(&b, PLATFORM_YOUTUBE, ITEM_CONTENT, "v4999"));
    assert_null(batch_find(&b, PLATFORM_YOUTUBE, ITEM_CONTENT, "v5000"));
    assert_int_equal(b.n, 5003);
    assert_int_equal(batch_snapshot_count(&b), 2);
    batch_free(&b);
}

static void test_jsonw(void **state)
{
    struct buf b;
    struct jw w;
    (void)state;
    buf_init(&b, 4096);
    jw_init(&w, &b);
    jw_object_begin(&w);
    jw_kv_str(&w, "t", "a\"b\\c\n\x01");
    jw_kv_i64(&w, "n", -3);
    jw_kv_real(&w, "r", 0.1);
    jw_kv_time(&w, "at", 0);
    jw_key(&w, "list");
    jw_array_begin(&w);
    jw_i64(&w, 1);
    jw_null(&w);
    jw_bool(&w, true);
    jw_array_end(&w);
    jw_kv_str(&w, "none", NULL);
    jw_object_end(&w);
    assert_int_equal(jw_status(&w), ERR_OK);
    assert_string_equal(buf_cstr(&b),
                        "{\"t\":\"a\\\"b\\\\c\\n\\u0001\",\"n\":-3,"
                        "\"r\":0.1,\"at\":\"1970-01-01T00:00:00Z\","
                        "\"list\":[1,null,true],\"none\":null}");
    buf_free(&b);
}

static void test_jread_messages(void **state)
{
    struct buf err;
    struct jread r;
    json_t *root = json_loads("{\"a\":{\"n\":\"12x\",\"i\":1.5,\"s\":7}}", 0,
                              NULL);
    int64_t v;
    const char *s;
    json_t *o;
    (void)state;
    buf_init(&err, 1024);
    jread_init(&r, &err);
    jread_where(&r, "items[3] (id \"vid\")");
    assert_int_equal(jread_count_str(&r, root, "a.n", J_REQUIRED, &v, NULL),
                     ERR_PARSE);
    assert_non_null(strstr(buf_cstr(&err), "items[3] (id \"vid\")"));
    assert_non_null(strstr(buf_cstr(&err), "\"a.n\""));
    assert_int_equal(jread_int(&r, root, "a.i", J_REQUIRED, 0, 10, &v, NULL),
                     ERR_PARSE);
    assert_non_null(strstr(buf_cstr(&err), "expected an integer"));
    assert_int_equal(jread_string(&r, root, "a.s", J_OPTIONAL, 10, &s),
                     ERR_PARSE);
    assert_int_equal(jread_string(&r, root, "a.zz", J_OPTIONAL, 10, &s),
                     ERR_OK);
    assert_null(s);
    assert_int_equal(jread_object(&r, root, "a.q", J_REQUIRED, &o),
                     ERR_PARSE);
    assert_non_null(strstr(buf_cstr(&err), "missing"));
    jread_free(&r);
    buf_free(&err);
    json_decref(root);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_limits),
        cmocka_unit_test(test_parse_i64),
        cmocka_unit_test(test_time_parse),
        cmocka_unit_test(test_time_format_roundtrip),
        cmocka_unit_test(test_duration),
        cmocka_unit_test(test_utf8),
        cmocka_unit_test(test_metrics),
        cmocka_unit_test(test_batch_links),
        cmocka_unit_test(test_jsonw),
        cmocka_unit_test(test_jread_messages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
