/* YouTube Studio CSV exports and the CSV reader under them. */
#include "testutil.h"

#include <string.h>

#include "core/csv.h"
#include "core/timeutil.h"

#define YT PLATFORM_YOUTUBE
#define CH "UCmediadashDemoChannel01"

static void test_csv_reader(void **state)
{
    static const char data[] = "a,\"b,1\",\"say \"\"hi\"\"\"\r\n\n"
                               "\"multi\nline\",,z\nlast,row";
    struct csv c;
    struct buf why;
    (void)state;
    buf_init(&why, 256);
    csv_init(&c, data, sizeof data - 1);
    assert_int_equal(csv_next(&c, &why), ERR_OK);
    assert_int_equal(c.nfields, 3);
    assert_int_equal(c.line, 1);
    assert_string_equal(csv_get(&c, 1), "b,1");
    assert_string_equal(csv_get(&c, 2), "say \"hi\"");
    assert_int_equal(csv_next(&c, &why), ERR_OK); /* the blank line skipped */
    assert_int_equal(c.line, 3);
    assert_string_equal(csv_get(&c, 0), "multi\nline");
    assert_string_equal(csv_get(&c, 1), "");
    assert_int_equal(csv_next(&c, &why), ERR_OK);
    assert_int_equal(c.line, 5);
    assert_string_equal(csv_get(&c, 1), "row");
    assert_string_equal(csv_get(&c, 7), ""); /* past the end */
    assert_int_equal(csv_next(&c, &why), ERR_NOTFOUND);
    csv_free(&c);

    csv_init(&c, "x,\"open\n", 8);
    assert_int_equal(csv_next(&c, &why), ERR_PARSE);
    assert_non_null(strstr(buf_cstr(&why), "line 1: unterminated"));
    csv_free(&c);
    csv_init(&c, "\"a\"b,c\n", 7);
    assert_int_equal(csv_next(&c, &why), ERR_PARSE);
    csv_free(&c);
    buf_free(&why);
}

static void test_table(void **state)
{
    struct tu_parsed p;
    struct item *v;
    int64_t t;
    (void)state;
    tu_parse_fixture("studio/Table data.csv", YT, CH, &p);
    assert_int_equal(p.rc, ERR_OK);
    assert_string_equal(p.format, "youtube_studio.table");
    assert_int_equal(p.b.n, 2); /* the Total row is not an item */
    v = tu_find(&p, YT, ITEM_CONTENT, "Ab3dEf5hIj0");
    assert_string_equal(v->title, "Speedrun, part 1: \"any%\"");
    assert_string_equal(v->account_ext_id, CH);
    assert_int_equal(v->duration_s, 750);
    assert_int_equal(time_parse_iso8601("2024-05-02", &t), ERR_OK);
    assert_int_equal(v->published_at, t);
    assert_int_equal(v->snaps[0]->observed_at, TU_OBSERVED);
    assert_int_equal(tu_metric(v->snaps[0], "yt.studio.views"), 15234);
    assert_true(metrics_get(&v->snaps[0]->metrics,
                            "yt.studio.watch_time_hours")->r == 1130.25);
    assert_true(metrics_get(&v->snaps[0]->metrics,
                            "yt.studio.impressions_click_through_rate")
                    ->r == 5.4);
    v = tu_find(&p, YT, ITEM_CONTENT, "xYz_123-abc");
    /* An empty cell is no value. */
    assert_null(metrics_get(&v->snaps[0]->metrics,
                            "yt.studio.impressions_click_through_rate"));
    tu_parsed_free(&p);
}

static void test_chart_and_totals(void **state)
{
    struct tu_parsed p;
    struct item *it;
    int64_t d1;
    (void)state;
    assert_int_equal(time_parse_iso8601("2024-06-01", &d1), ERR_OK);
    tu_parse_fixture("studio/Chart data.csv", YT, CH, &p);
    assert_int_equal(p.rc, ERR_OK);
    assert_string_equal(p.format, "youtube_studio.chart");
    it = tu_find(&p, YT, ITEM_CONTENT, "Ab3dEf5hIj0");
    assert_int_equal(it->nsnaps, 2);
    assert_int_equal(it->snaps[1]->observed_at, d1 + 86400);
    assert_int_equal(tu_metric(it->snaps[1], "yt.day.views"), 701);
    tu_parsed_free(&p);

    tu_parse_fixture("studio/Totals.csv", YT, CH, &p);
    assert_int_equal(p.rc, ERR_OK);
    assert_string_equal(p.format, "youtube_studio.totals");
    it = tu_find(&p, YT, ITEM_ACCOUNT, CH);
    assert_int_equal(it->nsnaps, 3);
    assert_int_equal(it->snaps[0]->observed_at, d1);
    assert_int_equal(tu_metric(it->snaps[2], "yt.day.views"), 980);
    assert_true(metrics_get(&it->snaps[1]->metrics,
                            "yt.day.watch_time_hours")->r == 83.7);
    tu_parsed_free(&p);
    tu_expect_refused("studio/Totals.csv", YT, NULL, ERR_PARSE,
                      "--account youtube:", NULL);
}

static void test_bad_files(void **state)
{
    (void)state;
    tu_expect_refused("studio/bad/wrong_field_count.csv", YT, CH, ERR_PARSE,
                      "line 3", "2 fields, the header has 3");
    tu_expect_refused("studio/bad/bad_number.csv", YT, CH, ERR_PARSE,
                      "line 3 (video \"xYz_123-abc\")",
                      "\"Views\": \"lots\" is not a number");
    tu_expect_refused("studio/bad/unterminated_quote.csv", YT, CH, ERR_PARSE,
                      "line 2: unterminated", NULL);
    tu_expect_refused("studio/bad/bad_date.csv", YT, CH, ERR_PARSE, "line 3",
                      "\"Date\": \"2024-13-01\" is not a date");
    tu_expect_refused("studio/bad/bad_video_id.csv", YT, CH, ERR_PARSE,
                      "line 2", "is not a video id");
    tu_expect_refused("studio/bad/duplicate_column.csv", YT, CH, ERR_PARSE,
                      "duplicate column", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_reader),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_chart_and_totals),
        cmocka_unit_test(test_bad_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
