/* src/net against the fake platform server (tests/fakeplat/fakeplat.py),
 * started here as a real process on a free port of 127.0.0.1. Sleeps and
 * clocks are injected, so backoff waits are asserted, not slept. */
#include "testutil.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <sodium.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/log.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "net/net.h"

#define MAX_SLEEPS 64
#define AUTH "Authorization: Bearer fake-token-0001"

struct fake_clock {
    int64_t wall_ms, mono_ms;
    int64_t sleeps[MAX_SLEEPS];
    size_t n;
};

struct fx {
    struct tu_fake fake;
    struct fake_clock clk;
    struct net_config cfg; /* fresh per test: fast, fake clock */
};

static int64_t fc_wall(void *ud)
{
    return ((struct fake_clock *)ud)->wall_ms;
}

static int64_t fc_mono(void *ud)
{
    return ((struct fake_clock *)ud)->mono_ms;
}

static void fc_sleep(void *ud, int64_t ms)
{
    struct fake_clock *k = ud;
    if (k->n < MAX_SLEEPS)
        k->sleeps[k->n++] = ms;
    k->wall_ms += ms;
    k->mono_ms += ms;
}

/* ---- the fake server process ------------------------------------------ */

static int group_setup(void **state)
{
    struct fx *fx = xcalloc(1, sizeof(*fx));
    tu_fake_start(&fx->fake, 180);
    *state = fx;
    return 0;
}

static int group_teardown(void **state)
{
    struct fx *fx = *state;
    if (fx == NULL)
        return 0;
    tu_fake_stop(&fx->fake);
    free(fx);
    return 0;
}

static char *url(const struct fx *fx, const char *path)
{
    return tu_fake_url(&fx->fake, path);
}

static void control(struct fx *fx, const char *body)
{
    tu_fake_control(&fx->fake, body);
}

static long long stat_of(struct fx *fx, const char *path)
{
    return tu_fake_stat(&fx->fake, path);
}

static int test_setup(void **state)
{
    struct fx *fx = *state;
    control(fx, "{\"reset\": true}");
    memset(&fx->clk, 0, sizeof(fx->clk));
    fx->clk.wall_ms = 1764021600000LL; /* 2025-11-24T22:00:00Z */
    fx->clk.mono_ms = 1000000;
    net_config_defaults(&fx->cfg);
    fx->cfg.connect_timeout_ms = 2000;
    fx->cfg.timeout_ms = 5000;
    fx->cfg.max_retries = 3;
    fx->cfg.backoff_base_ms = 100;
    fx->cfg.backoff_cap_ms = 1000;
    fx->cfg.clock = (struct net_clock){fc_wall, fc_mono, fc_sleep, &fx->clk};
    return 0;
}

/* One request with the test's config; returns net_request's result. */
struct call {
    struct net_resp r;
    struct buf err;
    enum err rc;
    int64_t wall_ms; /* real elapsed time */
};

static void call_req(struct fx *fx, struct net_req *req, struct call *out)
{
    struct net_client *c = NULL;
    int64_t t0;

    net_resp_init(&out->r);
    buf_init(&out->err, 1024);
    assert_int_equal(net_client_create(&fx->cfg, &c, &out->err), ERR_OK);
    t0 = time_mono_ms();
    out->rc = net_request(c, req, &out->r, &out->err);
    out->wall_ms = time_mono_ms() - t0;
    net_client_destroy(c);
}

static void call_get(struct fx *fx, const char *path, struct call *out)
{
    static const char *const hdrs[] = {AUTH, NULL};
    char *u = url(fx, path);
    struct net_req req = {.method = NET_GET, .url = u, .headers = hdrs};
    call_req(fx, &req, out);
    free(u);
}

static void call_free(struct call *c)
{
    net_resp_free(&c->r);
    buf_free(&c->err);
}

static bool has(const struct buf *b, const char *needle)
{
    return strstr(buf_cstr(b), needle) != NULL;
}

#define YT_CHANNEL "UCmediadashDemoChannel01"
#define VIDEOS "/youtube/v3/videos"
#define VIDEOS_Q VIDEOS "?part=snippet,statistics,contentDetails&id=Ab3dEf5hIj0"

/* Parse a body as mediadash import would; returns the format name. */
static enum err parse_body(const struct buf *body, const char *hint_tt,
                           struct batch *b, const char **format)
{
    struct source_opts o = {.observed_at = TU_OBSERVED};
    struct buf err;
    enum err rc;

    o.account_hint[PLATFORM_TIKTOK] = hint_tt;
    o.account_hint[PLATFORM_YOUTUBE] = hint_tt != NULL ? YT_CHANNEL : NULL;
    buf_init(&err, 1024);
    batch_init(b);
    rc = source_parse(body->data, body->len, &o, b, format, &err);
    buf_free(&err);
    return rc;
}

/* ---- success, and the fake's shapes pass our parsers ------------------- */

static void test_success(void **state)
{
    struct fx *fx = *state;
    struct call c;
    struct batch b;
    const char *fmt = NULL;
    struct item *it;

    call_get(fx, VIDEOS_Q, &c);
    assert_int_equal(c.rc, ERR_OK);
    assert_int_equal(c.r.status, 200);
    assert_int_equal(c.r.attempts, 1);
    assert_int_equal(c.r.fail, NET_FAIL_NONE);
    assert_int_equal(fx->clk.n, 0);
    assert_true(str_has_prefix(net_resp_header(&c.r, NET_HDR_CONTENT_TYPE),
                               "application/json"));
    assert_string_equal(net_resp_header(&c.r, NET_HDR_RETRY_AFTER), "");
    /* What was served is what the parser reads. */
    assert_int_equal(parse_body(&c.r.body, NULL, &b, &fmt), ERR_OK);
    assert_string_equal(fmt, "youtube.videos.list");
    it = batch_find(&b, PLATFORM_YOUTUBE, ITEM_CONTENT, "Ab3dEf5hIj0");
    assert_non_null(it);
    assert_int_equal(tu_metric(it->snaps[0], M_VIEWS), 15234);
    batch_free(&b);
    call_free(&c);
    assert_int_equal(stat_of(fx, VIDEOS), 1);
}

/* Every list endpoint of the fake, parsed by src/sources. */
static void test_shapes_parse(void **state)
{
    static const struct {
        const char *path, *format;
        enum net_method m;
        const char *body;
    } cases[] = {
        {"/youtube/v3/channels?part=snippet,statistics,contentDetails"
         "&mine=true", "youtube.channels.list", NET_GET, NULL},
        {"/youtube/v3/playlistItems?part=snippet,contentDetails"
         "&playlistId=UUmediadashDemoChannel01&maxResults=2",
         "youtube.playlistItems.list", NET_GET, NULL},
        {"/v2/reports?ids=channel%3D%3DMINE&startDate="
         "2024-06-01&endDate=2024-06-02&metrics=views&dimensions=day",
         "youtube_analytics.reports.query", NET_GET, NULL},
        {"/youtubeAnalytics/v2/reports?ids=channel%3D%3DMINE&startDate="
         "2024-06-01&endDate=2024-06-01&metrics=views&dimensions=day",
         "youtube_analytics.reports.query", NET_GET, NULL},
        {"/v21.0/17841400000000001?fields=id,username,name,followers_count,"
         "follows_count,media_count", "instagram.user", NET_GET, NULL},
        {"/v21.0/17841400000000001/media?fields=id,caption,media_type,"
         "permalink,timestamp,like_count,comments_count&limit=1",
         "instagram.media", NET_GET, NULL},
        {"/v21.0/17900000000000001/insights?metric=reach,views,saved",
         "instagram.insights", NET_GET, NULL},
        {"/v2/user/info/?fields=open_id,display_name,follower_count",
         "tiktok.user.info", NET_GET, NULL},
        {"/v2/video/list/?fields=id,create_time,title,view_count,like_count",
         "tiktok.video.list", NET_POST, "{\"max_count\": 2}"},
        {"/v2/video/query/?fields=id,view_count,like_count",
         "tiktok.video.query", NET_POST,
         "{\"filters\": {\"video_ids\": [\"7380000000000000001\"]}}"},
    };
    static const char *const hdrs[] = {AUTH, NULL};
    struct fx *fx = *state;
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *u = url(fx, cases[i].path);
        struct net_req req = {.method = cases[i].m, .url = u,
                              .headers = hdrs, .body = cases[i].body,
                              .body_len = cases[i].body != NULL
                                              ? strlen(cases[i].body) : 0};
        struct call c;
        struct batch b;
        const char *fmt = NULL;
        enum err rc;

        call_req(fx, &req, &c);
        assert_int_equal(c.rc, ERR_OK);
        rc = parse_body(&c.r.body, "-000mediadashDemoOpenId0001", &b, &fmt);
        if (rc != ERR_OK || !str_eq(fmt, cases[i].format))
            fail_msg("%s: rc %d format %s body %.300s", cases[i].path,
                     (int)rc, fmt != NULL ? fmt : "-", buf_cstr(&c.r.body));
        assert_true(b.n > 0);
        batch_free(&b);
        call_free(&c);
        free(u);
    }
}

/* GET u (absolute) and parse the body as JSON. Caller json_decref()s. */
static json_t *get_json(struct fx *fx, const char *u)
{
    static const char *const hdrs[] = {AUTH, NULL};
    struct net_req req = {.method = NET_GET, .url = u, .headers = hdrs};
    struct call c;
    json_t *root;

    call_req(fx, &req, &c);
    assert_int_equal(c.rc, ERR_OK);
    root = json_loadb(c.r.body.data, c.r.body.len, 0, NULL);
    assert_non_null(root);
    call_free(&c);
    return root;
}

/* Walking the pages: YouTube pageToken, Graph paging.next. */
static void test_pagination(void **state)
{
    struct fx *fx = *state;
    struct buf u;
    json_t *root = NULL, *tok = NULL;
    size_t items = 0, pages = 0;

    buf_init(&u, 4096);
    do {
        buf_reset(&u);
        assert_int_equal(buf_printf(&u, "http://127.0.0.1:%d/youtube/v3/"
                                    "playlistItems?part=contentDetails"
                                    "&playlistId=UUmediadashDemoChannel01",
                                    fx->fake.port),
                         ERR_OK);
        assert_int_equal(net_url_add_param(&u, "maxResults", "2"), ERR_OK);
        if (tok != NULL)
            assert_int_equal(net_url_add_param(&u, "pageToken",
                                               json_string_value(tok)), 0);
        json_decref(root); /* tok points into it until here */
        root = get_json(fx, buf_cstr(&u));
        items += json_array_size(json_object_get(root, "items"));
        tok = json_object_get(root, "nextPageToken");
        pages++;
    } while (tok != NULL && pages < 10);
    json_decref(root);
    assert_int_equal(pages, 3);
    assert_int_equal(items, 5);
    assert_int_equal(stat_of(fx, "/youtube/v3/playlistItems"), 3);
    /* Graph: follow paging.next as given (an absolute URL). */
    buf_reset(&u);
    assert_int_equal(buf_printf(&u, "http://127.0.0.1:%d/v21.0/"
                                "17841400000000001/media?fields=id&limit=1",
                                fx->fake.port), ERR_OK);
    for (pages = 0, items = 0; pages < 10; pages++) {
        json_t *next;
        root = get_json(fx, buf_cstr(&u));
        items += json_array_size(json_object_get(root, "data"));
        next = json_object_get(json_object_get(root, "paging"), "next");
        buf_reset(&u);
        if (next != NULL)
            assert_int_equal(buf_puts(&u, json_string_value(next)), ERR_OK);
        json_decref(root);
        if (next == NULL)
            break;
    }
    assert_int_equal(items, 2);
    assert_int_equal(stat_of(fx, "/v21.0/17841400000000001/media"), 2);
    buf_free(&u);
}

/* ---- retries and backoff ---------------------------------------------- */

static void test_retry_500_then_ok(void **state)
{
    struct fx *fx = *state;
    struct call c;
    size_t k;

    control(fx, "{\"faults\": [{\"path\": \"" VIDEOS "\", \"kind\": "
                "\"status\", \"status\": 500, \"times\": 2}, {\"path\": \""
                VIDEOS "\", \"kind\": \"status\", \"status\": 502}]}");
    call_get(fx, VIDEOS_Q, &c);
    assert_int_equal(c.rc, ERR_OK);
    assert_int_equal(c.r.status, 200);
    assert_int_equal(c.r.attempts, 4);
    assert_int_equal(fx->clk.n, 3);
    for (k = 0; k < 3; k++) { /* full jitter: uniform in [0, bound] */
        int64_t bound = net_backoff_bound(100, 1000, (unsigned)k);
        assert_true(fx->clk.sleeps[k] >= 0 && fx->clk.sleeps[k] <= bound);
    }
    assert_int_equal(net_backoff_bound(100, 1000, 0), 100);
    assert_int_equal(net_backoff_bound(100, 1000, 2), 400);
    assert_int_equal(net_backoff_bound(100, 1000, 4), 1000);
    assert_int_equal(net_backoff_bound(100, 1000, 60), 1000);
    assert_int_equal(stat_of(fx, VIDEOS), 4);
    call_free(&c);
}

/* The waits are random: over many draws they are not all the bound. */
static void test_jitter_spread(void **state)
{
    struct fx *fx = *state;
    struct call c;
    int64_t lo = INT64_MAX, hi = -1;
    size_t k;

    fx->cfg.max_retries = 20;
    fx->cfg.backoff_base_ms = 1000;
    fx->cfg.backoff_cap_ms = 1000;
    control(fx, "{\"faults\": [{\"path\": \"" VIDEOS "\", \"kind\": "
                "\"status\", \"status\": 504, \"times\": 20}]}");
    call_get(fx, VIDEOS_Q, &c);
    assert_int_equal(c.rc, ERR_OK);
    assert_int_equal(fx->clk.n, 20);
    for (k = 0; k < fx->clk.n; k++) {
        assert_true(fx->clk.sleeps[k] <= 1000);
        lo = fx->clk.sleeps[k] < lo ? fx->clk.sleeps[k] : lo;
        hi = fx->clk.sleeps[k] > hi ? fx->clk.sleeps[k] : hi;
    }
    assert_true(hi - lo > 100); /* odds of failing: about 1e-19 */
    call_free(&c);
}

static void test_retry_after_delta(void **state)
{
    struct fx *fx = *state;
    struct call c;

    control(fx, "{\"faults\": [{\"path\": \"" VIDEOS "\", \"kind\": "
                "\"status\", \"status\": 429, \"retry_after\": \"2\"}]}");
    call_get(fx, VIDEOS_Q, &c);
    assert_int_equal(c.rc, ERR_OK);
    assert_int_equal(c.r.attempts, 2);
    assert_int_equal(fx->clk.n, 1);
    assert_int_equal(fx->clk.sleeps[0], 2000);
    call_free(&c);
}

static void test_retry_after_date(void **state)
{
    struct fx *fx = *state;
    struct call c;
    int64_t s = -1;

    fx->clk.wall_ms = 784111777000LL; /* Sun, 06 Nov 1994 08:49:37 GMT */
    control(fx, "{\"faults\": [{\"path\": \"" VIDEOS "\", \"kind\": "
                "\"status\", \"status\": 503, \"retry_after\": "
                "\"Sun, 06 Nov 1994 08:49:42 GMT\"}]}");
    call_get(fx, VIDEOS_Q, &c);
    assert_int_equal(c.rc, ERR_OK);
    assert_int_equal(c.r.attempts, 2);
    assert_int_equal(fx->clk.n, 1);
    assert_int_equal(fx->clk.sleeps[0], 5000);
    call_free(&c);
    assert_int_equal(net_parse_retry_after(" 120 ", 0, &s), ERR_OK);
    assert_int_equal(s, 120);
    assert_int_equal(net_parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT",
                                           784111777 + 50, &s), ERR_OK);
    assert_int_equal(s, 0); /* in the past: go now */
    assert_int_equal(net_parse_retry_after("-1", 0, &s), ERR_PARSE);
    assert_int_equal(net_parse_retry_after("soon", 0, &s), ERR_PARSE);
    assert_int_equal(net_parse_retry_after("", 0, &s), ERR_PARSE);
}

/* A Retry-After over the maximum: no retry, the caller learns when. */
static void test_retry_after_too_long(void **state)
{
    struct fx *fx = *state;
    struct call c;

    control(fx, "{\"faults\": [{\"path\": \"" VIDEOS "\", \"kind\": "
                "\"status\", \"status\": 429, \"retry_after\": \"3600\"}]}");
    call_get(fx, VIDEOS_Q, &c);
    assert_int_equal(c.rc, ERR_UPSTREAM);
    assert_int_equal(c.r.status, 429);
    assert_int_equal(c.r.attempts, 1);
    assert_int_equal(c.r.fail, NET_FAIL_RATE_LIMITED);
    assert_int_equal(c.r.retry_at, 1764021600 + 3600);
    assert_string_equal(net_resp_header(&c.r, NET_HDR_RETRY_AFTER), "3600");
    assert_true(has(&c.err, "HTTP 429, rate limited until "
                            "2025-11-24T23:00:00Z"));
    assert_int_equal(fx->clk.n, 0);
    call_free(&c);
}

static void test_503_exhausted(void **state)
{
    struct fx *fx = *state;
    struct call c;

    control(fx, "{\"faults\": [{\"path\": \"" VIDEOS "\", \"kind\": "
                "\"status\", \"status\": 503, \"times\": 10}]}");
    call_get(fx, VIDEOS_Q, &c);
    assert_int_equal(c.rc, ERR_UPSTREAM);
    assert_int_equal(c.r.status, 503);
    assert_int_equal(c.r.fail, NET_FAIL_HTTP);
    assert_int_equal(c.r.attempts, 4);
    assert_true(has(&c.err, "HTTP 503 after 4 attempts"));
    assert_true(has(&c.err, "GET http://127.0.0.1:"));
    assert_true(has(&c.r.body, "fakeplat fault")); /* the error document */
    assert_int_equal(stat_of(fx, VIDEOS), 4);
    call_free(&c);
    /* With Retry-After, running out of retries means "rate limited". */
    control(fx, "{\"reset\": true, \"faults\": [{\"path\": \"" VIDEOS
                "\", \"kind\": \"status\", \"status\": 503, \"times\": 10,"
                " \"retry_after\": \"7\"}]}");
    fx->clk.n = 0;
    call_get(fx, VIDEOS_Q, &c);
    assert_int_equal(c.rc, ERR_UPSTREAM);
    assert_int_equal(c.r.fail, NET_FAIL_RATE_LIMITED);
    assert_int_equal(c.r.attempts, 4);
    assert_int_equal(fx->clk.n, 3);
    assert_int_equal(c.r.retry_at, fx->clk.wall_ms / 1000 + 7);
    call_free(&c);
}

/* ---- transport faults ------------------------------------------------- */

static int closed_port(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    socklen_t len = sizeof(a);
    int s = socket(AF_INET, SOCK_STREAM, 0), port;

    assert_true(s >= 0);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof(a)), 0);
    assert_int_equal(getsockname(s, (struct sockaddr *)&a, &len), 0);
    port = ntohs(a.sin_port);
    close(s); /* nobody listens there now */
    return port;
}

static void test_refused(void **state)
{
    struct fx *fx = *state;
    struct buf u;
    struct net_req req = {.method = NET_POST};
    struct call c;

    buf_init(&u, 128);
    assert_int_equal(buf_printf(&u, "http://127.0.0.1:%d/v2/video/list/",
                                closed_port()), ERR_OK);
    req.url = buf_cstr(&u);
    fx->cfg.max_retries = 2;
    call_req(fx, &req, &c); /* a POST: nothing was sent, so retried */
    assert_int_equal(c.rc, ERR_IO);
    assert_int_equal(c.r.fail, NET_FAIL_CONNECT);
    assert_int_equal(c.r.status, 0);
    assert_int_equal(c.r.attempts, 3);
    assert_int_equal(fx->clk.n, 2);
    assert_true(has(&c.err, "connection refused after 3 attempts"));
    call_free(&c);
    buf_free(&u);
}

/* A fault for every attempt: retried, then a clear error. */
static void expect_fault(struct fx *fx, const char *kind, enum net_fail f,
                         const char *msg)
{
    struct buf ctl;
    struct call c;

    buf_init(&ctl, 512);
    assert_int_equal(buf_printf(&ctl, "{\"reset\": true, \"faults\": [{"
                                "\"path\": \"%s\", \"kind\": \"%s\", "
                                "\"times\": 10}]}", VIDEOS, kind), ERR_OK);
    control(fx, buf_cstr(&ctl));
    fx->clk.n = 0;
    fx->cfg.max_retries = 2;
    call_get(fx, VIDEOS_Q, &c);
    assert_int_equal(c.rc, ERR_IO);
    assert_int_equal(c.r.fail, f);
    assert_int_equal(c.r.attempts, 3);
    assert_int_equal(fx->clk.n, 2);
    if (!has(&c.err, msg))
        fail_msg("%s: got \"%s\"", kind, buf_cstr(&c.err));
    assert_true(has(&c.err, "after 3 attempts"));
    assert_int_equal(stat_of(fx, VIDEOS), 3);
    call_free(&c);
    buf_free(&ctl);
}

static void test_reset_refuse_truncate(void **state)
{
    struct fx *fx = *state;
    expect_fault(fx, "reset", NET_FAIL_RESET, "connection reset");
    expect_fault(fx, "refuse", NET_FAIL_RESET,
                 "connection closed without a response");
    expect_fault(fx, "truncate", NET_FAIL_TRUNCATED, "response truncated");
}

/* Transient faults then success. */
static void test_reset_then_ok(void **state)
{
    struct fx *fx = *state;
    struct call c;

    control(fx, "{\"faults\": [{\"path\": \"" VIDEOS "\", \"kind\": "
                "\"reset\"}, {\"path\": \"" VIDEOS "\", \"kind\": "
                "\"truncate\"}]}");
    call_get(fx, VIDEOS_Q, &c);
    assert_int_equal(c.rc, ERR_OK);
    assert_int_equal(c.r.attempts, 3);
    assert_true(has(&c.r.body, "youtube#videoListResponse"));
    call_free(&c);
}

/* Deadlines are real time: allow a slow (sanitizer) build its slack. */
#define SLACK_MS 2500

static void test_hang(void **state)
{
    struct fx *fx = *state;
    struct call c;

    fx->cfg.timeout_ms = 1000;
    fx->cfg.max_retries = 0;
    control(fx, "{\"faults\": [{\"path\": \"" VIDEOS "\", \"kind\": "
                "\"hang\", \"seconds\": 10}]}");
    call_get(fx, VIDEOS_Q, &c);
    assert_int_equal(c.rc, ERR_IO);
    assert_int_equal(c.r.fail, NET_FAIL_TIMEOUT);
    assert_true(has(&c.err, "timed out after 1 s"));
    assert_true(c.wall_ms >= 900 && c.wall_ms < 1000 + SLACK_MS);
    call_free(&c);
}

static void test_slow_body(void **state)
{
    struct fx *fx = *state;
    struct call c;

    /* Below 1000 bytes/s for 1 s: cut off long before the total timeout. */
    fx->cfg.timeout_ms = 20000;
    fx->cfg.low_speed_bytes = 1000;
    fx->cfg.low_speed_time_s = 1;
    fx->cfg.max_retries = 0;
    control(fx, "{\"faults\": [{\"path\": \"" VIDEOS "\", \"kind\": "
                "\"slow\", \"interval\": 0.2}]}");
    call_get(fx, VIDEOS_Q, &c);
    assert_int_equal(c.rc, ERR_IO);
    assert_int_equal(c.r.fail, NET_FAIL_SLOW);
    assert_true(has(&c.err, "slower than 1000 bytes/s for 1 s"));
    assert_true(c.wall_ms >= 900 && c.wall_ms < 2000 + SLACK_MS);
    call_free(&c);
    /* A trickle fast enough for the low-speed check still meets the total
     * timeout. */
    fx->cfg.timeout_ms = 1500;
    fx->cfg.low_speed_bytes = 0;
    control(fx, "{\"faults\": [{\"path\": \"" VIDEOS "\", \"kind\": "
                "\"slow\", \"interval\": 0.25}]}");
    call_get(fx, VIDEOS_Q, &c);
    assert_int_equal(c.rc, ERR_IO);
    assert_int_equal(c.r.fail, NET_FAIL_TIMEOUT);
    assert_true(has(&c.err, "timed out after 1.5 s"));
    assert_true(c.wall_ms >= 1400 && c.wall_ms < 1500 + SLACK_MS);
    call_free(&c);
}

static void test_oversized(void **state)
{
    struct fx *fx = *state;
    struct call c;

    fx->cfg.max_body = 64 << 10;
    /* No Content-Length: the write callback stops at the cap. */
    control(fx, "{\"faults\": [{\"path\": \"" VIDEOS "\", \"kind\": "
                "\"oversized\", \"size\": 33554432}]}");
    call_get(fx, VIDEOS_Q, &c);
    assert_int_equal(c.rc, ERR_TOOBIG);
    assert_int_equal(c.r.fail, NET_FAIL_TOOBIG);
    assert_int_equal(c.r.attempts, 1);
    assert_true(c.r.body.len <= (64 << 10));
    assert_true(has(&c.err, "response over 64 KiB"));
    call_free(&c);
    /* An honest Content-Length over the cap is refused before reading. */
    control(fx, "{\"faults\": [{\"path\": \"" VIDEOS "\", \"kind\": "
                "\"oversized\", \"size\": 33554432, \"content_length\": "
                "true}]}");
    call_get(fx, VIDEOS_Q, &c);
    assert_int_equal(c.rc, ERR_TOOBIG);
    assert_int_equal(c.r.body.len, 0);
    call_free(&c);
    /* The fake never got to write either body whole: we stopped reading. */
    assert_int_equal(stat_of(fx, "oversized_sent"), 0);
}

/* ---- what is not retried ---------------------------------------------- */

static void expect_once(struct fx *fx, const char *fault, long status,
                        const char *body_has, const char *path)
{
    struct buf ctl;
    struct call c;
    char *p = xstrdup(path);

    p[strcspn(p, "?")] = '\0';
    buf_init(&ctl, 512);
    assert_int_equal(buf_printf(&ctl, "{\"reset\": true, \"faults\": [{"
                                "\"path\": \"%s\", %s, \"times\": 5}]}",
                                p, fault), ERR_OK);
    control(fx, buf_cstr(&ctl));
    call_get(fx, path, &c);
    assert_int_equal(c.rc, ERR_UPSTREAM);
    assert_int_equal(c.r.fail, NET_FAIL_HTTP);
    assert_int_equal(c.r.status, status);
    assert_int_equal(c.r.attempts, 1);
    if (!has(&c.r.body, body_has))
        fail_msg("%s: body %s", fault, buf_cstr(&c.r.body));
    assert_int_equal(stat_of(fx, p), 1);
    call_free(&c);
    buf_free(&ctl);
    free(p);
}

static void test_4xx_not_retried(void **state)
{
    struct fx *fx = *state;
    const char *ig = "/v21.0/17841400000000001/media?fields=id";

    expect_once(fx, "\"kind\": \"expired_token\"", 401, "UNAUTHENTICATED",
                VIDEOS_Q);
    expect_once(fx, "\"kind\": \"quota\"", 403, "\"quotaExceeded\"",
                VIDEOS_Q);
    expect_once(fx, "\"kind\": \"status\", \"status\": 404", 404,
                "fakeplat fault", VIDEOS_Q);
    expect_once(fx, "\"kind\": \"expired_token\"", 401, "\"code\": 190", ig);
    expect_once(fx, "\"kind\": \"graph_error\", \"code\": 4", 403,
                "(#4) Application request limit reached", ig);
    expect_once(fx, "\"kind\": \"graph_error\", \"code\": 613", 403,
                "\"code\": 613", ig);
    expect_once(fx, "\"kind\": \"tiktok_error\", \"code\": "
                "\"access_token_invalid\"", 401, "access_token_invalid",
                "/v2/user/info/?fields=open_id");
}

/* The platforms' error documents are recognised by our parsers. */
static void test_error_bodies_parse(void **state)
{
    static const struct {
        const char *fault, *path;
    } cases[] = {
        {"\"kind\": \"quota\"", VIDEOS_Q},
        {"\"kind\": \"expired_token\"", VIDEOS_Q},
        {"\"kind\": \"graph_error\", \"code\": 17", "/v21.0/1784140000000"
                                                    "0001?fields=id"},
        {"\"kind\": \"graph_error\", \"code\": 190", "/v21.0/1784140000000"
                                                     "0001?fields=id"},
        {"\"kind\": \"tiktok_error\", \"code\": \"access_token_invalid\"",
         "/v2/user/info/?fields=open_id"},
    };
    struct fx *fx = *state;
    size_t i;

    fx->cfg.max_retries = 0;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct buf ctl;
        struct call c;
        struct batch b;
        const char *fmt = NULL;

        buf_init(&ctl, 512);
        assert_int_equal(buf_printf(&ctl, "{\"faults\": [{\"path\": \"/\","
                                    " %s}]}", cases[i].fault), ERR_OK);
        control(fx, buf_cstr(&ctl));
        call_get(fx, cases[i].path, &c);
        assert_int_equal(c.rc, ERR_UPSTREAM);
        if (parse_body(&c.r.body, NULL, &b, &fmt) != ERR_UPSTREAM)
            fail_msg("%s: not read as an error: %s", cases[i].fault,
                     buf_cstr(&c.r.body));
        batch_free(&b);
        call_free(&c);
        buf_free(&ctl);
    }
}

/* TikTok's 429 is retried like any rate limit. */
static void test_tiktok_rate_limit_retried(void **state)
{
    struct fx *fx = *state;
    struct call c;

    control(fx, "{\"faults\": [{\"path\": \"/v2/user/info/\", \"kind\": "
                "\"tiktok_error\", \"code\": \"rate_limit_exceeded\"}]}");
    call_get(fx, "/v2/user/info/?fields=open_id,follower_count", &c);
    assert_int_equal(c.rc, ERR_OK);
    assert_int_equal(c.r.attempts, 2);
    assert_int_equal(fx->clk.n, 1);
    assert_true(fx->clk.sleeps[0] <= 100);
    call_free(&c);
}

static void test_post_retry_only_when_safe(void **state)
{
    static const char *const hdrs[] = {AUTH, NULL};
    static const char body[] = "{\"max_count\": 2}";
    struct fx *fx = *state;
    char *u = url(fx, "/v2/video/list/?fields=id,view_count");
    struct net_req req = {.method = NET_POST, .url = u, .headers = hdrs,
                          .body = body, .body_len = sizeof(body) - 1};
    struct call c;

    control(fx, "{\"faults\": [{\"path\": \"/v2/video/list/\", \"kind\": "
                "\"status\", \"status\": 500, \"times\": 2}]}");
    call_req(fx, &req, &c);
    assert_int_equal(c.rc, ERR_UPSTREAM);
    assert_int_equal(c.r.status, 500);
    assert_int_equal(c.r.attempts, 1);
    assert_int_equal(stat_of(fx, "/v2/video/list/"), 1);
    assert_true(has(&c.err, "POST http://127.0.0.1:"));
    assert_true(has(&c.err, "/v2/video/list/: HTTP 500"));
    call_free(&c);
    req.retry_unsafe = true; /* the second 500, then the answer */
    call_req(fx, &req, &c);
    assert_int_equal(c.rc, ERR_OK);
    assert_int_equal(c.r.attempts, 2);
    assert_true(has(&c.r.body, "\"has_more\": true"));
    assert_int_equal(stat_of(fx, "/v2/video/list/"), 3);
    call_free(&c);
    free(u);
}

/* ---- bodies that arrive whole but are wrong --------------------------- */

static void test_bad_bodies(void **state)
{
    struct fx *fx = *state;
    struct call c;
    struct batch b;
    const char *fmt = NULL;

    control(fx, "{\"faults\": [{\"path\": \"" VIDEOS "\", \"kind\": "
                "\"malformed\"}, {\"path\": \"" VIDEOS "\", \"kind\": "
                "\"wrong_shape\"}]}");
    call_get(fx, VIDEOS_Q, &c); /* transport fine: net says OK ... */
    assert_int_equal(c.rc, ERR_OK);
    assert_int_equal(parse_body(&c.r.body, NULL, &b, &fmt), ERR_PARSE);
    batch_free(&b); /* ... and the parser refuses it */
    call_free(&c);
    call_get(fx, VIDEOS_Q, &c);
    assert_int_equal(c.rc, ERR_OK);
    assert_int_not_equal(parse_body(&c.r.body, NULL, &b, &fmt), ERR_OK);
    batch_free(&b);
    call_free(&c);
}

/* ---- rate limiting ---------------------------------------------------- */

static void test_ratelimit_bucket(void **state)
{
    struct fx *fx = *state;
    struct net_ratelimit *rl;
    int i;

    /* TikTok: 600 per minute, i.e. one per 100 ms, bursts of 10. */
    rl = net_ratelimit_create(600, 60000, 10, &fx->cfg.clock);
    assert_non_null(rl);
    for (i = 0; i < 10; i++)
        assert_int_equal(net_ratelimit_reserve(rl), 0);
    assert_int_equal(net_ratelimit_reserve(rl), 100);
    assert_int_equal(net_ratelimit_reserve(rl), 200); /* queued behind */
    fx->clk.mono_ms += 300; /* both reservations due, one token more */
    assert_int_equal(net_ratelimit_reserve(rl), 0);
    assert_int_equal(net_ratelimit_reserve(rl), 100);
    fx->clk.mono_ms += 60000; /* idle: refills to the burst, no more */
    for (i = 0; i < 10; i++)
        assert_int_equal(net_ratelimit_reserve(rl), 0);
    assert_int_equal(net_ratelimit_reserve(rl), 100);
    net_ratelimit_destroy(rl);
    assert_null(net_ratelimit_create(0, 1000, 0, NULL));
    net_ratelimit_destroy(NULL);
}

#define RL_THREADS 4
#define RL_EACH 50

static void *rl_worker(void *arg)
{
    int64_t *waits = arg;
    struct net_ratelimit *rl = *(struct net_ratelimit **)(waits + RL_EACH);
    int i;

    for (i = 0; i < RL_EACH; i++)
        waits[i] = net_ratelimit_reserve(rl);
    return NULL;
}

/* Threads share one bucket: with the clock standing still, the waits
 * handed out are exactly 0 (the burst), then 1, 2, 3 ... ms, each once. */
static void test_ratelimit_threads(void **state)
{
    struct fx *fx = *state;
    struct net_ratelimit *rl = net_ratelimit_create(1000, 1000, 10,
                                                    &fx->cfg.clock);
    int64_t waits[RL_THREADS][RL_EACH + 1];
    int seen[RL_THREADS * RL_EACH] = {0};
    pthread_t th[RL_THREADS];
    int t, i, zeros = 0;

    for (t = 0; t < RL_THREADS; t++) {
        memcpy(&waits[t][RL_EACH], &rl, sizeof(rl));
        assert_int_equal(pthread_create(&th[t], NULL, rl_worker, waits[t]),
                         0);
    }
    for (t = 0; t < RL_THREADS; t++)
        assert_int_equal(pthread_join(th[t], NULL), 0);
    for (t = 0; t < RL_THREADS; t++) {
        for (i = 0; i < RL_EACH; i++) {
            int64_t w = waits[t][i];
            assert_true(w >= 0 && w < RL_THREADS * RL_EACH);
            if (w == 0)
                zeros++;
            else
                seen[w]++;
        }
    }
    assert_int_equal(zeros, 10);
    for (i = 1; i <= RL_THREADS * RL_EACH - 10; i++)
        assert_int_equal(seen[i], 1);
    net_ratelimit_destroy(rl);
}

/* net_request waits on the bucket: 5 requests at 10/s, burst 2. */
static void test_ratelimit_request(void **state)
{
    struct fx *fx = *state;
    struct net_ratelimit *rl = net_ratelimit_create(10, 1000, 2,
                                                    &fx->cfg.clock);
    char *u = url(fx, VIDEOS_Q);
    struct net_req req = {.method = NET_GET, .url = u, .rl = rl};
    int64_t t0 = fx->clk.mono_ms;
    struct call c;
    int i;

    for (i = 0; i < 5; i++) {
        call_req(fx, &req, &c);
        assert_int_equal(c.rc, ERR_OK);
        call_free(&c);
    }
    /* 2 at once, then one per 100 ms: 300 ms of injected sleep. */
    assert_int_equal(fx->clk.n, 3);
    assert_int_equal(fx->clk.mono_ms - t0, 300);
    assert_int_equal(stat_of(fx, VIDEOS), 5);
    net_ratelimit_destroy(rl);
    free(u);
}

/* ---- secrets stay out of logs and messages ---------------------------- */

static void test_log_redaction(void **state)
{
    static const char *const hdrs[] = {
        "Authorization: Bearer SECRET-BEARER-42", NULL};
    struct fx *fx = *state;
    char *u = url(fx, VIDEOS "?part=id&id=Ab3dEf5hIj0&key=SECRET-KEY-7"
                          "&access_token=SECRET-AT-9");
    struct net_req req = {.method = NET_GET, .url = u, .headers = hdrs};
    char tmpl[] = "/tmp/test_net_log_XXXXXX";
    int fd = mkstemp(tmpl), saved = dup(2);
    enum log_level lvl = log_get_level();
    struct buf log;
    struct call c;

    assert_true(fd >= 0 && saved >= 0);
    control(fx, "{\"faults\": [{\"path\": \"" VIDEOS "\", \"kind\": "
                "\"status\", \"status\": 500, \"times\": 5}]}");
    fx->cfg.max_retries = 1;
    fflush(stderr);
    dup2(fd, 2);
    log_set_level(LOG_LVL_DEBUG);
    /* the earlier tests' retries used up these call sites' 10 lines a
     * minute (core/log.h): start from an empty rate-limit table */
    log_set_fd(2);
    call_req(fx, &req, &c);
    log_set_level(lvl);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    buf_init(&log, 1 << 20);
    tu_read(tmpl, &log);
    unlink(tmpl);
    close(fd);
    /* The log says what happened ... */
    assert_true(has(&log, "level=info module=net msg=\"GET "
                          "http://127.0.0.1:"));
    assert_true(has(&log, VIDEOS ": HTTP 500; retry 1 of 1 in "));
    assert_true(has(&log, VIDEOS ": HTTP 500 after 2 attempts"));
    /* ... but neither the query string nor the header. */
    assert_false(has(&log, "SECRET"));
    assert_false(has(&log, "part=id"));
    assert_false(has(&c.err, "SECRET"));
    assert_int_equal(c.rc, ERR_UPSTREAM);
    /* The secrets did go to the server (test_auth_header_sent checks the
     * header arrives), so their absence above means something. */
    assert_int_equal(stat_of(fx, VIDEOS), 2);
    call_free(&c);
    buf_free(&log);
    free(u);
}

static void test_auth_header_sent(void **state)
{
    struct fx *fx = *state;
    char *u = url(fx, "/_stats");
    struct net_req req = {.method = NET_GET, .url = u};
    struct call c, s;
    json_t *root, *h;

    fx->cfg.user_agent = "mediadash-test/1";
    call_get(fx, VIDEOS_Q, &c);
    assert_int_equal(c.rc, ERR_OK);
    call_req(fx, &req, &s);
    root = json_loadb(s.r.body.data, s.r.body.len, 0, NULL);
    assert_non_null(root);
    h = json_object_get(json_object_get(json_object_get(root, "last"),
                                        VIDEOS), "headers");
    assert_string_equal(json_string_value(json_object_get(h,
                                                          "Authorization")),
                        "Bearer fake-token-0001");
    assert_string_equal(json_string_value(json_object_get(h, "User-Agent")),
                        "mediadash-test/1");
    json_decref(root);
    call_free(&c);
    call_free(&s);
    free(u);
}

static void test_url_redact(void **state)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"https://graph.facebook.com/v21.0/me?access_token=x",
         "https://graph.facebook.com/v21.0/me"},
        {"https://user:pw@example.com/a/b?c#d", "https://example.com/a/b"},
        {"http://example.com#frag", "http://example.com"},
        {"http://example.com/p@th?q=a@b", "http://example.com/p@th"},
        {"http://h:1/x", "http://h:1/x"},
    };
    size_t i;
    (void)state;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct buf b;
        buf_init(&b, 256);
        assert_int_equal(net_url_redact(cases[i].in, &b), ERR_OK);
        assert_string_equal(buf_cstr(&b), cases[i].out);
        buf_free(&b);
    }
}

static void test_url_build(void **state)
{
    struct buf u, f;
    (void)state;

    buf_init(&u, 256);
    buf_init(&f, 40);
    assert_int_equal(buf_puts(&u, "http://h/youtube/v3/videos"), ERR_OK);
    assert_int_equal(net_url_add_param(&u, "part", "snippet,statistics"),
                     ERR_OK);
    assert_int_equal(net_url_add_param(&u, "q", "a b&c=d/é~"), ERR_OK);
    assert_string_equal(buf_cstr(&u), "http://h/youtube/v3/videos?part="
                        "snippet%2Cstatistics&q=a%20b%26c%3Dd%2F%C3%A9~");
    assert_int_equal(net_form_add(&f, "grant_type", "refresh_token"),
                     ERR_OK);
    assert_int_equal(net_form_add(&f, "x", "1+1"), ERR_OK);
    assert_string_equal(buf_cstr(&f), "grant_type=refresh_token&x=1%2B1");
    /* Full: refused whole, the buffer unchanged. */
    assert_int_equal(net_form_add(&f, "more", "0123456789"), ERR_TOOBIG);
    assert_string_equal(buf_cstr(&f), "grant_type=refresh_token&x=1%2B1");
    buf_free(&u);
    buf_free(&f);
}

/* Bad arguments are refused before anything is sent. */
static void test_invalid_requests(void **state)
{
    static const char *const crlf[] = {"X-A: b\r\nX-Injected: 1", NULL};
    static const char *const noname[] = {"no colon here", NULL};
    struct fx *fx = *state;
    char *u = url(fx, VIDEOS_Q);
    struct net_req bad[] = {
        {.method = NET_GET, .url = "file:///etc/passwd"},
        {.method = NET_GET, .url = "ftp://127.0.0.1/"},
        {.method = NET_GET, .url = u, .headers = crlf},
        {.method = NET_GET, .url = u, .headers = noname},
        {.method = NET_GET, .url = u, .body = "x", .body_len = 1},
    };
    struct net_config cfg = fx->cfg;
    struct net_client *cl = NULL;
    struct buf err;
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct call c;
        call_req(fx, &bad[i], &c);
        assert_int_equal(c.rc, ERR_INVALID);
        assert_int_equal(c.r.attempts, 0);
        call_free(&c);
    }
    assert_int_equal(stat_of(fx, "total"), 0);
    buf_init(&err, 256);
    cfg.timeout_ms = 0;
    assert_int_equal(net_client_create(&cfg, &cl, &err), ERR_INVALID);
    assert_true(has(&err, "total timeout"));
    assert_null(cl);
    buf_free(&err);
    free(u);
}

/* ---- the fake's OAuth token endpoints (for the OAuth client next) ----- */

static void token_post(struct fx *fx, const char *path, const char *form,
                       struct call *c)
{
    char *u = url(fx, path);
    struct net_req req = {.method = NET_POST, .url = u, .body = form,
                          .body_len = strlen(form),
                          .content_type = "application/x-www-form-urlencoded"};
    call_req(fx, &req, c);
    free(u);
}

/* base64url(SHA-256(verifier)) without padding, computed here with
 * libsodium (independently of the fake's Python). Caller frees. */
static char *s256(const char *verifier)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    size_t n = sodium_base64_ENCODED_LEN(sizeof(h),
                                         sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    char *out = xmalloc(n);

    crypto_hash_sha256(h, (const unsigned char *)verifier, strlen(verifier));
    sodium_bin2base64(out, n, h, sizeof(h),
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    return out;
}

/* The refresh token of a token response works once exchanged, and the
 * access token it gives opens the API while others are refused. */
static void oauth_use_tokens(struct fx *fx, const struct buf *token_resp)
{
    json_t *root = json_loadb(token_resp->data, token_resp->len, 0, NULL);
    const char *rt = json_string_value(json_object_get(root, "refresh_token"));
    const char *at;
    struct buf form, hdr;
    struct call c, api;
    const char *hdrs[2] = {NULL, NULL};
    char *u = url(fx, "/v2/user/info/?fields=open_id");
    struct net_req req = {.method = NET_GET, .url = u, .headers = hdrs};

    assert_non_null(rt);
    buf_init(&form, 1024);
    buf_init(&hdr, 1024);
    assert_int_equal(net_form_add(&form, "grant_type", "refresh_token"), 0);
    assert_int_equal(net_form_add(&form, "refresh_token", rt), 0);
    assert_int_equal(net_form_add(&form, "client_key", "fake-tiktok-key"), 0);
    assert_int_equal(net_form_add(&form, "client_secret",
                                  "fake-tiktok-secret"), 0);
    token_post(fx, "/v2/oauth/token/", buf_cstr(&form), &c);
    assert_int_equal(c.rc, ERR_OK);
    json_decref(root);
    root = json_loadb(c.r.body.data, c.r.body.len, 0, NULL);
    at = json_string_value(json_object_get(root, "access_token"));
    assert_non_null(at);
    control(fx, "{\"access_tokens\": [\"another\"]}"); /* enforce them */
    hdrs[0] = AUTH;
    call_req(fx, &req, &api);
    assert_int_equal(api.r.status, 401);
    call_free(&api);
    assert_int_equal(buf_printf(&hdr, "Authorization: Bearer %s", at), 0);
    hdrs[0] = buf_cstr(&hdr);
    call_req(fx, &req, &api);
    assert_int_equal(api.rc, ERR_OK);
    call_free(&api);
    json_decref(root);
    call_free(&c);
    buf_free(&form);
    buf_free(&hdr);
    free(u);
}

/* TikTok's PKCE challenge: hex of SHA-256(verifier). Caller frees. */
static char *s256_hex(const char *verifier)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    char *out = xmalloc(2 * sizeof(h) + 1);

    crypto_hash_sha256(h, (const unsigned char *)verifier, strlen(verifier));
    sodium_bin2hex(out, 2 * sizeof(h) + 1, h, sizeof(h));
    return out;
}

#define VERIFIER "dBjftJeZ4CVP-mJ92K9Vqwe3l_ZpUPm8c2iCr6tNFk4"

static void test_oauth_fake(void **state)
{
    struct fx *fx = *state;
    char *chal = s256(VERIFIER), *hex = s256_hex(VERIFIER);
    struct buf ctl;
    struct call c;

    buf_init(&ctl, 1024);
    assert_int_equal(buf_printf(&ctl, "{\"oauth_codes\": {\"code-1\": {"
                                "\"client_id\": \"fake-google-client\", "
                                "\"redirect_uri\": \"http://127.0.0.1/cb\","
                                " \"code_challenge\": \"%s\"}, \"code-2\": "
                                "{\"client_id\": \"fake-tiktok-key\", "
                                "\"code_challenge\": \"%s\"}}}", chal, hex),
                     ERR_OK);
    control(fx, buf_cstr(&ctl));
    buf_free(&ctl);
    free(chal);
    free(hex);
    token_post(fx, "/token", "grant_type=authorization_code&code=code-1"
               "&client_id=fake-google-client&client_secret=fake-google-"
               "secret&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb"
               "&code_verifier=wrong-verifier", &c);
    assert_int_equal(c.rc, ERR_UPSTREAM);
    assert_int_equal(c.r.status, 400);
    assert_int_equal(c.r.attempts, 1); /* a POST: not retried */
    assert_true(has(&c.r.body, "\"invalid_grant\""));
    call_free(&c);
    /* The code was used up by the failed try, like a real server. */
    token_post(fx, "/token", "grant_type=authorization_code&code=code-1"
               "&client_id=fake-google-client&client_secret=fake-google-"
               "secret&redirect_uri=http%3A%2F%2F127.0.0.1%2Fcb"
               "&code_verifier=" VERIFIER,
               &c);
    assert_int_equal(c.rc, ERR_UPSTREAM);
    call_free(&c);
    token_post(fx, "/v2/oauth/token/", "grant_type=authorization_code"
               "&code=code-2&client_key=fake-tiktok-key&client_secret="
               "fake-tiktok-secret&code_verifier=" VERIFIER, &c);
    assert_int_equal(c.rc, ERR_OK);
    assert_true(has(&c.r.body, "\"access_token\": \"fake-at-"));
    assert_true(has(&c.r.body, "\"refresh_token\": \"fake-rt-"));
    assert_true(has(&c.r.body, "\"open_id\""));
    oauth_use_tokens(fx, &c.r.body);
    call_free(&c);
    token_post(fx, "/oauth/access_token", "grant_type=refresh_token"
               "&refresh_token=nope&client_id=fake-meta-app&client_secret="
               "fake-meta-secret", &c);
    assert_int_equal(c.rc, ERR_UPSTREAM);
    assert_true(has(&c.r.body, "OAuthException"));
    call_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_success, test_setup),
        cmocka_unit_test_setup(test_shapes_parse, test_setup),
        cmocka_unit_test_setup(test_pagination, test_setup),
        cmocka_unit_test_setup(test_retry_500_then_ok, test_setup),
        cmocka_unit_test_setup(test_jitter_spread, test_setup),
        cmocka_unit_test_setup(test_retry_after_delta, test_setup),
        cmocka_unit_test_setup(test_retry_after_date, test_setup),
        cmocka_unit_test_setup(test_retry_after_too_long, test_setup),
        cmocka_unit_test_setup(test_503_exhausted, test_setup),
        cmocka_unit_test_setup(test_refused, test_setup),
        cmocka_unit_test_setup(test_reset_refuse_truncate, test_setup),
        cmocka_unit_test_setup(test_reset_then_ok, test_setup),
        cmocka_unit_test_setup(test_hang, test_setup),
        cmocka_unit_test_setup(test_slow_body, test_setup),
        cmocka_unit_test_setup(test_oversized, test_setup),
        cmocka_unit_test_setup(test_4xx_not_retried, test_setup),
        cmocka_unit_test_setup(test_error_bodies_parse, test_setup),
        cmocka_unit_test_setup(test_tiktok_rate_limit_retried, test_setup),
        cmocka_unit_test_setup(test_post_retry_only_when_safe, test_setup),
        cmocka_unit_test_setup(test_bad_bodies, test_setup),
        cmocka_unit_test_setup(test_ratelimit_bucket, test_setup),
        cmocka_unit_test_setup(test_ratelimit_threads, test_setup),
        cmocka_unit_test_setup(test_ratelimit_request, test_setup),
        cmocka_unit_test_setup(test_log_redaction, test_setup),
        cmocka_unit_test_setup(test_auth_header_sent, test_setup),
        cmocka_unit_test_setup(test_url_redact, test_setup),
        cmocka_unit_test_setup(test_url_build, test_setup),
        cmocka_unit_test_setup(test_invalid_requests, test_setup),
        cmocka_unit_test_setup(test_oauth_fake, test_setup),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
