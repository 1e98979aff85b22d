/* YouTube Studio CSV exports (sources/studio.c), through source_parse. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "core/timeutil.h"

#define YT PLATFORM_YOUTUBE
#define CH "UCmediadashDemoChannel01"

static int64_t day(const char *iso)
{
    int64_t t = 0;
    assert_int_equal(time_parse_iso8601(iso, &t), ERR_OK);
    return t;
}

/* The snapshot of it on a day (YYYY-MM-DD), or the test fails. */
static const struct snapshot *snap_on(const struct item *it, const char *iso)
{
    int64_t t = day(iso);
    for (size_t i = 0; i < it->nsnaps; i++)
        if (it->snaps[i]->observed_at == t)
            return it->snaps[i];
    fail_msg("%s has no snapshot on %s", it->ext_id, iso);
    return NULL;
}

static int64_t int_metric(const struct snapshot *s, const char *name)
{
    const struct metric *m = metrics_get(&s->metrics, name);
    if (m == NULL || m->is_real)
        fail_msg("%s: %s", name, m ? "real, not an integer" : "missing");
    return m->i;
}

static double real_metric(const struct snapshot *s, const char *name)
{
    const struct metric *m = metrics_get(&s->metrics, name);
    if (m == NULL || !m->is_real)
        fail_msg("%s: %s", name, m ? "integer, not real" : "missing");
    return m->r;
}

/* Parse text from memory as source_parse would a file. */
static void parse_text(const char *text, size_t len, const char *hint,
                       const char *only, struct tu_parsed *out)
{
    struct source_opts o = {0};
    o.observed_at = TU_OBSERVED;
    o.account_hint[YT] = hint;
    o.only_format = only;
    batch_init(&out->b);
    buf_init(&out->err, 8192);
    out->format = NULL;
    out->rc = source_parse(text, len, &o, &out->b, &out->format, &out->err);
}

static void text_refused(const char *text, const char *only, enum err rc,
                         const char *a, const char *b)
{
    struct tu_parsed p;
    parse_text(text, strlen(text), CH, only, &p);
    if (p.rc != rc)
        fail_msg("%s: got %d (%s), want %d", text, p.rc, buf_cstr(&p.err), rc);
    assert_int_equal(p.b.n, 0);
    if (a && !strstr(buf_cstr(&p.err), a))
        fail_msg("\"%s\" lacks \"%s\"", buf_cstr(&p.err), a);
    if (b && !strstr(buf_cstr(&p.err), b))
        fail_msg("\"%s\" lacks \"%s\"", buf_cstr(&p.err), b);
    tu_parsed_free(&p);
}

static void test_table(void **state)
{
    struct tu_parsed p;
    const struct item *v;
    const struct snapshot *s;
    (void)state;
    tu_parse_fixture("studio/Table data.csv", YT, CH, &p);
    assert_int_equal(p.rc, ERR_OK);
    assert_string_equal(p.format, "youtube_studio.table");
    assert_int_equal(p.b.n, 3); /* the Total row is no item */
    assert_null(batch_find(&p.b, YT, ITEM_CONTENT, "Total"));

    v = tu_find(&p, YT, ITEM_CONTENT, "Ab3dEf5hIj0");
    assert_string_equal(v->kind, "video");
    assert_string_equal(v->title, "Speedrun, part 1: \"any%\"");
    assert_string_equal(v->account_ext_id, CH);
    assert_string_equal(v->url, "https://www.youtube.com/watch?v=Ab3dEf5hIj0");
    assert_int_equal(v->published_at, day("2024-05-02"));
    assert_int_equal(v->duration_s, 750);
    assert_int_equal(v->nsnaps, 1);
    s = v->snaps[0];
    assert_int_equal(s->observed_at, TU_OBSERVED);
    assert_int_equal(s->metrics.n, 6);
    assert_int_equal(int_metric(s, "yt.studio.views"), 15234);
    assert_true(real_metric(s, "yt.studio.watch_time_hours") == 1130.2531);
    assert_int_equal(int_metric(s, "yt.studio.subscribers"), 140);
    assert_int_equal(int_metric(s, "yt.studio.impressions"), 190221);
    assert_true(real_metric(s, "yt.studio.impressions_click_through_rate") ==
                5.4);
    assert_int_equal(int_metric(s, "yt.studio.average_view_duration"), 267);
    /* Range totals are not the canonical lifetime counters. */
    assert_null(metrics_get(&s->metrics, M_VIEWS));

    v = tu_find(&p, YT, ITEM_CONTENT, "xYz_123-abc");
    assert_int_equal(v->published_at, day("2023-12-31"));
    assert_int_equal(v->duration_s, 3605);
    s = v->snaps[0];
    assert_true(real_metric(s, "yt.studio.watch_time_hours") == 74.25);
    /* An empty cell is no value, not zero. */
    assert_null(
        metrics_get(&s->metrics, "yt.studio.impressions_click_through_rate"));
    assert_int_equal(int_metric(s, "yt.studio.average_view_duration"), 3723);

    v = tu_find(&p, YT, ITEM_CONTENT, "-_short0001");
    assert_string_equal(v->title, "Tiny \"short\", vertical");
    assert_int_equal(v->published_at, day("2024-05-16"));
    s = v->snaps[0];
    assert_int_equal(int_metric(s, "yt.studio.subscribers"), -1);
    assert_true(real_metric(s, "yt.studio.watch_time_hours") == 0.53);
    assert_int_equal(int_metric(s, "yt.studio.average_view_duration"), 40);
    tu_parsed_free(&p);

    /* Without a hint the videos belong to no known account. */
    tu_parse_fixture("studio/Table data.csv", YT, NULL, &p);
    assert_int_equal(p.rc, ERR_OK);
    assert_null(tu_find(&p, YT, ITEM_CONTENT, "Ab3dEf5hIj0")->account_ext_id);
    tu_parsed_free(&p);
}

static void test_chart(void **state)
{
    struct tu_parsed p;
    const struct item *v;
    (void)state;
    tu_parse_fixture("studio/Chart data.csv", YT, NULL, &p);
    assert_int_equal(p.rc, ERR_OK);
    assert_string_equal(p.format, "youtube_studio.chart");
    assert_int_equal(p.b.n, 2);
    assert_int_equal(batch_snapshot_count(&p.b), 5);

    v = tu_find(&p, YT, ITEM_CONTENT, "Ab3dEf5hIj0");
    assert_string_equal(v->title, "Speedrun, part 1: \"any%\"");
    assert_int_equal(v->published_at, day("2024-05-02"));
    assert_int_equal(v->duration_s, 750);
    assert_null(v->account_ext_id);
    assert_int_equal(v->nsnaps, 3);
    assert_int_equal(int_metric(snap_on(v, "2024-06-01"), "yt.day.views"), 640);
    assert_int_equal(int_metric(snap_on(v, "2024-06-02"), "yt.day.views"), 701);
    assert_int_equal(int_metric(snap_on(v, "2024-06-03"), "yt.day.views"), 0);
    assert_int_equal(snap_on(v, "2024-06-02")->metrics.n, 1);

    /* The last line has an empty cell and no line break: no snapshot. */
    v = tu_find(&p, YT, ITEM_CONTENT, "xYz_123-abc");
    assert_int_equal(v->nsnaps, 2);
    assert_int_equal(int_metric(snap_on(v, "2024-06-02"), "yt.day.views"), 12);
    tu_parsed_free(&p);
}

static void test_totals(void **state)
{
    struct tu_parsed p;
    const struct item *c;
    (void)state;
    tu_parse_fixture("studio/Totals.csv", YT, CH, &p);
    assert_int_equal(p.rc, ERR_OK);
    assert_string_equal(p.format, "youtube_studio.totals");
    assert_int_equal(p.b.n, 1);
    c = tu_find(&p, YT, ITEM_ACCOUNT, CH);
    assert_string_equal(c->kind, "channel");
    assert_int_equal(c->nsnaps, 3);
    assert_int_equal(int_metric(snap_on(c, "2024-06-01"), "yt.day.views"),
                     1520);
    assert_int_equal(int_metric(snap_on(c, "2024-06-03"), "yt.day.views"), 980);
    assert_true(real_metric(snap_on(c, "2024-06-02"),
                            "yt.day.watch_time_hours") == 83.7);
    tu_parsed_free(&p);

    /* The file does not name its channel. */
    tu_expect_refused("studio/Totals.csv", YT, NULL, ERR_PARSE,
                      "line 1 (header)", "--account youtube:CHANNEL_ID");

    /* A Table data export of the Date view: "Jun 1, 2024" dates, CRLF
     * and a Total row first. */
    tu_parse_fixture("studio/Date table.csv", YT, CH, &p);
    assert_int_equal(p.rc, ERR_OK);
    assert_string_equal(p.format, "youtube_studio.totals");
    c = tu_find(&p, YT, ITEM_ACCOUNT, CH);
    assert_int_equal(c->nsnaps, 2);
    assert_int_equal(int_metric(snap_on(c, "2024-06-02"), "yt.day.views"),
                     1710);
    assert_int_equal(
        int_metric(snap_on(c, "2024-06-01"), "yt.day.average_view_duration"),
        170);
    tu_parsed_free(&p);
}

static void test_bad_files(void **state)
{
    (void)state;
    tu_expect_refused("studio/bad/wrong_field_count.csv", YT, CH, ERR_PARSE,
                      "line 3 (video \"xYz_123-abc\")",
                      "2 fields, but the header has 3");
    tu_expect_refused(
        "studio/bad/bad_number.csv", YT, CH, ERR_PARSE,
        "line 4 (video \"xYz_123-abc\")",
        "field \"Watch time (hours)\": \"2.5.1\" is not a number");
    tu_expect_refused("studio/bad/unterminated_quote.csv", YT, CH, ERR_PARSE,
                      "line 4: unterminated quoted field", NULL);
    tu_expect_refused("studio/bad/text_after_quote.csv", YT, CH, ERR_PARSE,
                      "line 2: text after the closing quote of field 2", NULL);
    tu_expect_refused("studio/bad/bad_date.csv", YT, CH, ERR_PARSE,
                      "line 3: field \"Date\"", "\"2024-13-01\" is not a date");
    tu_expect_refused("studio/bad/bad_chart_date.csv", YT, CH, ERR_PARSE,
                      "line 3 (video \"Ab3dEf5hIj0\")",
                      "field \"Date\": \"2023-02-29\" is not a date");
    tu_expect_refused(
        "studio/bad/bad_publish_time.csv", YT, CH, ERR_PARSE,
        "line 2 (video \"Ab3dEf5hIj0\")",
        "field \"Video publish time\": \"Jun 31, 2024\" is not a date");
    tu_expect_refused("studio/bad/bad_duration.csv", YT, CH, ERR_PARSE,
                      "line 2 (video \"Ab3dEf5hIj0\")",
                      "field \"Duration\": \"12.5\" is not a duration");
    tu_expect_refused(
        "studio/bad/bad_video_id.csv", YT, CH, ERR_PARSE,
        "line 3 (video \"not a video id!\")",
        "field \"Content\": \"not a video id!\" is not a YouTube video id");
    tu_expect_refused("studio/bad/duplicate_column.csv", YT, CH, ERR_PARSE,
                      "line 1 (header)",
                      "field \"Views\": duplicate column (columns 3 and 5)");
    tu_expect_refused("studio/bad/duplicate_metric_name.csv", YT, CH, ERR_PARSE,
                      "field \"Watch time hours\"",
                      "same metric name yt.day.watch_time_hours as column "
                      "\"Watch time (hours)\"");
    tu_expect_refused("studio/bad/duplicate_row.csv", YT, CH, ERR_PARSE,
                      "line 4 (video \"Ab3dEf5hIj0\")",
                      "a second row for this video on 2024-06-01");
    /* Rows without their header line are nothing we know. */
    tu_expect_refused("studio/bad/missing_header.csv", YT, CH, ERR_UNSUPPORTED,
                      "not a recognised CSV export", NULL);
}

static void test_column_names(void **state)
{
    static const char text[] =
        "Content,Video title, Estimated revenue (USD) ,RPM--x__Y,Views "
        "(%),\"Likes (vs. dislikes) (%)\"\nAb3dEf5hIj0,A,1.25,3,40.5,98.1\n";
    struct tu_parsed p;
    const struct snapshot *s;
    (void)state;
    parse_text(text, sizeof text - 1, NULL, NULL, &p);
    assert_int_equal(p.rc, ERR_OK);
    s = tu_find(&p, YT, ITEM_CONTENT, "Ab3dEf5hIj0")->snaps[0];
    assert_true(real_metric(s, "yt.studio.estimated_revenue_usd") == 1.25);
    assert_int_equal(int_metric(s, "yt.studio.rpm_x_y"), 3);
    assert_true(real_metric(s, "yt.studio.views") == 40.5);
    assert_true(real_metric(s, "yt.studio.likes_vs_dislikes") == 98.1);
    tu_parsed_free(&p);

    text_refused("Content,Video title,,Views\nAb3dEf5hIj0,A,,1\n", NULL,
                 ERR_PARSE, "line 1 (header)", "column 3 has no name");
    text_refused("Content,Video title,(%)\nAb3dEf5hIj0,A,1\n", NULL, ERR_PARSE,
                 "field \"(%)\"", "no letters or digits");
    text_refused("Content,Video title,Content\nAb3dEf5hIj0,A,1\n", NULL,
                 ERR_PARSE, "field \"Content\": duplicate column", NULL);
    text_refused("Content,Video title,An extremely long column header that "
                 "goes on and on and on\nAb3dEf5hIj0,A,1\n",
                 NULL, ERR_PARSE, "too long to name a metric", NULL);
}

static void test_cells(void **state)
{
    static const char *const bad[] = {
        "1e5",    "0x10",  " 5",         "5 ",    "+5",
        "1,234",  "5%",    "inf",        "nan",   ".5",
        "5.",     "-",     "--1",        "1.2.3", "1:2",
        "1:60",   "-1:00", "1:00:00:00", "1::00", "99999999999999999999",
        "1.5:00", "abc",
    };
    static const struct {
        const char *cell;
        bool real;
        double v;
    } good[] = {
        {"0", false, 0},
        {"-0", false, 0},
        {"007", false, 7},
        {"-42", false, -42},
        {"9223372036854775807", false, 9223372036854775807.0},
        {"0.5", true, 0.5},
        {"-12.25", true, -12.25},
        {"2:03", false, 123},
        {"10:00:01", false, 36001},
        {"0:00", false, 0},
    };
    char text[256];
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(text, sizeof text,
                 "Content,Video title,Views\nAb3dEf5hIj0,A,\"%s\"\n", bad[i]);
        text_refused(text, NULL, ERR_PARSE, "field \"Views\"",
                     "is not a number");
    }
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        struct tu_parsed p;
        const struct metric *m;
        snprintf(text, sizeof text,
                 "Content,Video title,Views\nAb3dEf5hIj0,A,%s\n", good[i].cell);
        parse_text(text, strlen(text), NULL, NULL, &p);
        if (p.rc != ERR_OK)
            fail_msg("%s: %s", good[i].cell, buf_cstr(&p.err));
        m = metrics_get(&p.b.items[0]->snaps[0]->metrics, "yt.studio.views");
        assert_non_null(m);
        assert_int_equal(m->is_real, good[i].real);
        assert_true(good[i].real ? m->r == good[i].v
                                 : (double)m->i == good[i].v);
        tu_parsed_free(&p);
    }
}

static void test_forced_formats(void **state)
{
    (void)state;
    text_refused("Content,Video title,Views\nAb3dEf5hIj0,A,1\n",
                 "youtube_studio.totals", ERR_PARSE,
                 "field \"Date\": missing column", NULL);
    text_refused("Date,Views\n2024-06-01,1\n", "youtube_studio.table",
                 ERR_PARSE, "field \"Content\": missing column", NULL);
    text_refused("Date,Views\n2024-06-01,1\n", "youtube_studio.chart",
                 ERR_PARSE, "field \"Content\": missing column", NULL);
    text_refused("Date,Content,Views\n2024-06-01,Ab3dEf5hIj0,1\n",
                 "youtube_studio.totals", ERR_PARSE,
                 "field \"Content\": per-video rows", NULL);
    text_refused("Date,Content,Views\n2024-06-01,Ab3dEf5hIj0,1\n",
                 "youtube_studio.table", ERR_PARSE,
                 "field \"Date\": per-day rows", NULL);
    text_refused("\n\r\n", "youtube_studio.chart", ERR_PARSE, "no header line",
                 NULL);
    /* Other CSV exports are not claimed. */
    text_refused("Traffic source,Views\nYouTube search,10\n", NULL,
                 ERR_UNSUPPORTED, NULL, NULL);
    text_refused("Views,Date\n10,2024-06-01\n", NULL, ERR_UNSUPPORTED, NULL,
                 NULL);
}

/* A header plus n generated rows; row(i, out) appends one. */
static void big_file(struct buf *b, const char *header, size_t n,
                     void (*row)(size_t i, struct buf *out))
{
    buf_init(b, SOURCE_MAX_BYTES);
    assert_int_equal(buf_puts(b, header), ERR_OK);
    for (size_t i = 0; i < n; i++)
        row(i, b);
}

static void video_row(size_t i, struct buf *out)
{
    assert_int_equal(buf_printf(out, "v%zu,T,%zu\n", i, i), ERR_OK);
}

static void day_row(size_t i, struct buf *out)
{
    struct buf d;
    buf_init(&d, 32);
    assert_int_equal(time_format_date((int64_t)i * 86400, &d), ERR_OK);
    assert_int_equal(buf_printf(out, "%s,%zu\n", buf_cstr(&d), i), ERR_OK);
    buf_free(&d);
}

static void test_limits(void **state)
{
    struct tu_parsed p;
    struct buf in;
    (void)state;
    big_file(&in, "Content,Video title,Views\n", SOURCE_MAX_ITEMS + 1,
             video_row);
    parse_text(in.data, in.len, CH, NULL, &p);
    assert_int_equal(p.rc, ERR_TOOBIG);
    assert_int_equal(p.b.n, 0);
    assert_string_equal(
        buf_cstr(&p.err),
        "line 200002 (video \"v200000\"): more than 200000 rows");
    tu_parsed_free(&p);
    buf_free(&in);

    big_file(&in, "Date,Views\n", 20001, day_row);
    parse_text(in.data, in.len, CH, NULL, &p);
    assert_int_equal(p.rc, ERR_PARSE);
    assert_string_equal(
        buf_cstr(&p.err),
        "line 20002: more than 20000 days of values for one channel");
    tu_parsed_free(&p);
    buf_free(&in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),          cmocka_unit_test(test_chart),
        cmocka_unit_test(test_totals),         cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_column_names),   cmocka_unit_test(test_cells),
        cmocka_unit_test(test_forced_formats), cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
