/* The worker against a real SQLite file with a scripted publisher (the
 * platform's answers), checking the post's states, attempts, events and
 * how many calls were made. */
#include "testutil.h"

#include <string.h>

#include "core/timeutil.h"
#include "schedule/status.h"
#include "schedule/worker.h"

#define T0 1741509000 /* 2025-03-09T08:30:00Z */

struct script {
    int status[8];
    const char *code[8];
    int64_t retry_after[8];
    int calls;
    bool found[8];
    int checks;
    bool no_check; /* use a publisher without check() */
};

static enum err scripted(void *ctx, const struct post *p,
                         struct publish_result *res)
{
    struct script *s = ctx;
    int i = s->calls++;
    assert_true(i < 8);
    assert_int_equal(p->state, POST_CLAIMED); /* as read before the call */
    res->http_status = s->status[i];
    res->retry_after_s = s->retry_after[i];
    if (s->code[i] != NULL)
        snprintf(res->error_code, sizeof res->error_code, "%s", s->code[i]);
    if (s->status[i] == 200)
        return buf_puts(&res->remote_id, "remote-1");
    return buf_printf(&res->message, "platform says %d", s->status[i]);
}

/* check(): the platform has the post when s->found[call] is set. */
static enum err scripted_check(void *ctx, const struct post *p, bool *found,
                               struct publish_result *res)
{
    struct script *s = ctx;
    (void)p;
    *found = s->found[s->checks++];
    return *found ? buf_puts(&res->remote_id, "remote-found") : ERR_OK;
}

static const struct publisher_ops scripted_pub = {
    .platform = "dryrun", .publish = scripted, .check = scripted_check};
static const struct publisher_ops *const pubs[] = {&scripted_pub};
/* The same platform without check(): an unclear post must then wait. */
static const struct publisher_ops nocheck_pub = {
    .platform = "dryrun", .publish = scripted, .check = NULL};
static const struct publisher_ops *const nocheck_pubs[] = {&nocheck_pub};

static int64_t add(struct tu_store_fx *fx, int64_t at)
{
    struct post p = {.platform = "dryrun", .account = "a", .title = "t",
                     .publish_at = at, .zone = "UTC", .local_time = "x",
                     .state = POST_SCHEDULED};
    int64_t id;
    assert_int_equal(store_post_add(fx->st, &p, at, &id, &fx->err), ERR_OK);
    return id;
}

static struct post get(struct tu_store_fx *fx, int64_t id)
{
    struct post p;
    assert_int_equal(store_post_get(fx->st, id, &p), ERR_OK);
    return p;
}

static void round_at(struct tu_store_fx *fx, struct script *s, int64_t now,
                     struct worker_stats *stats)
{
    struct worker_config cfg = {.id = "w1", .lease_s = 600,
                                .grace_s = SCHED_GRACE_DEFAULT_S,
                                .batch = 10,
                                .pubs = s->no_check ? nocheck_pubs : pubs,
                                .npubs = 1,
                                .ctx = s};
    assert_int_equal(worker_run_once(fx->st, &cfg, now, stats, &fx->err),
                     ERR_OK);
}

static void test_5xx_then_published(void **state)
{
    struct tu_store_fx *fx = *state;
    struct script s = {.status = {503, 502, 500, 200}};
    struct worker_stats st = {0};
    int64_t id = add(fx, T0), now = T0;
    struct post p;

    for (int i = 0; i < 4; i++) {
        round_at(fx, &s, now, &st);
        p = get(fx, id);
        assert_int_equal(p.state, i < 3 ? POST_SCHEDULED : POST_PUBLISHED);
        assert_int_equal(p.attempts, i + 1);
        if (i < 3) { /* waits before the next attempt */
            assert_true(p.publish_at > now);
            round_at(fx, &s, now, &st);
            assert_int_equal(s.calls, i + 1);
            now = p.publish_at;
        }
        post_free(&p);
    }
    p = get(fx, id);
    assert_string_equal(p.remote_id, "remote-1");
    assert_string_equal(p.last_error, "platform says 500");
    post_free(&p);
    assert_int_equal(st.retried, 3);
    assert_int_equal(st.published, 1);
}

static void test_429_retry_after(void **state)
{
    struct tu_store_fx *fx = *state;
    struct script s = {.status = {429, 200}, .retry_after = {900, 0}};
    struct worker_stats st = {0};
    int64_t id = add(fx, T0);
    struct post p;

    round_at(fx, &s, T0, &st);
    p = get(fx, id);
    assert_int_equal(p.publish_at, T0 + 900);
    post_free(&p);
    round_at(fx, &s, T0 + 899, &st);
    assert_int_equal(s.calls, 1);
    round_at(fx, &s, T0 + 900, &st);
    assert_int_equal(s.calls, 2);
    p = get(fx, id);
    assert_int_equal(p.state, POST_PUBLISHED);
    post_free(&p);
}

/* An unclear outcome is settled by asking the platform before anything
 * else: found -> published without a second publish call; not found ->
 * scheduled and published on the next round. */
static void test_needs_check_asks_first(void **state)
{
    struct tu_store_fx *fx = *state;
    struct script s = {.status = {0, 0, 200}, .found = {true, false}};
    struct worker_stats st = {0};
    int64_t a = add(fx, T0), b = add(fx, T0 + 1);
    struct post p;

    round_at(fx, &s, T0 + 1, &st); /* both end unclear */
    assert_int_equal(s.calls, 2);
    round_at(fx, &s, T0 + 60, &st); /* check a: found; b: not found */
    assert_int_equal(s.checks, 2);
    p = get(fx, a);
    assert_int_equal(p.state, POST_PUBLISHED);
    assert_string_equal(p.remote_id, "remote-found");
    assert_int_equal(p.attempts, 1);
    post_free(&p);
    p = get(fx, b); /* scheduled again, due now, and published */
    assert_int_equal(p.state, POST_PUBLISHED);
    assert_int_equal(p.attempts, 2);
    post_free(&p);
    assert_int_equal(s.calls, 3);
    assert_int_equal(st.checked, 2);
}

static void test_relogin_and_unclear_stop(void **state)
{
    struct tu_store_fx *fx = *state;
    struct script s = {.status = {400, 0}, .code = {"invalid_grant", NULL},
                       .no_check = true};
    struct worker_stats st = {0};
    int64_t a = add(fx, T0), b = add(fx, T0 + 1);
    struct post p;

    round_at(fx, &s, T0 + 1, &st);
    assert_int_equal(s.calls, 2);
    for (int i = 1; i < 5; i++)
        round_at(fx, &s, T0 + i * 3600, &st);
    assert_int_equal(s.calls, 2); /* no further calls for either */
    p = get(fx, a);
    assert_int_equal(p.state, POST_NEEDS_RELOGIN);
    post_free(&p);
    p = get(fx, b);
    assert_int_equal(p.state, POST_NEEDS_CHECK);
    post_free(&p);
}

static void test_grace_window(void **state)
{
    struct tu_store_fx *fx = *state;
    struct script s = {.status = {200, 200}};
    struct worker_stats st = {0};
    int64_t late = add(fx, T0 - 7 * 3600), ok = add(fx, T0 - 6 * 3600);
    struct post p;

    round_at(fx, &s, T0, &st);
    assert_int_equal(s.calls, 1);
    p = get(fx, late);
    assert_int_equal(p.state, POST_FAILED);
    assert_string_equal(p.last_error,
                        "missed: due at 2025-03-09T01:30:00Z (7 h ago), past "
                        "the grace window of 6 h");
    assert_int_equal(p.attempts, 0);
    post_free(&p);
    p = get(fx, ok);
    assert_int_equal(p.state, POST_PUBLISHED);
    post_free(&p);
    assert_int_equal(st.missed, 1);
}

static enum err count_post(const struct post *p, void *ud)
{
    (void)p;
    (*(int *)ud)++;
    return ERR_OK;
}

/* A missed post and a refused one both end failed, told apart by
 * failure (and status); a retry clears it; the listing filters by it. */
static void test_missed_apart_from_platform(void **state)
{
    struct tu_store_fx *fx = *state;
    struct script s = {.status = {400}};
    struct worker_stats st = {0};
    int64_t late = add(fx, T0 - 7 * 3600), refused = add(fx, T0);
    struct post_query q = {.state = -1, .from = TIME_NONE, .to = TIME_NONE};
    enum post_state from;
    struct post p;
    int n = 0;

    round_at(fx, &s, T0, &st);
    assert_int_equal(s.calls, 1); /* only the refused one was sent */
    p = get(fx, late);
    assert_int_equal(p.state, POST_FAILED);
    assert_string_equal(p.failure, POST_FAILURE_MISSED);
    assert_string_equal(status_name(&p), "missed");
    assert_non_null(strstr(status_explain(&p), "Nothing was sent"));
    post_free(&p);
    p = get(fx, refused);
    assert_int_equal(p.state, POST_FAILED);
    assert_string_equal(p.failure, POST_FAILURE_PLATFORM);
    assert_string_equal(status_name(&p), "failed");
    post_free(&p);
    assert_int_equal(status_query("missed", &q), ERR_OK);
    assert_int_equal(store_post_list(fx->st, &q, count_post, &n), ERR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(status_query("missing", &q), ERR_INVALID);
    assert_int_equal(store_post_move(fx->st, late, POST_SCHEDULED, "retry",
                                     T0 + 1, &from, &fx->err),
                     ERR_OK);
    p = get(fx, late);
    assert_int_equal(p.state, POST_SCHEDULED);
    assert_null(p.failure);
    assert_string_equal(status_name(&p), "scheduled");
    post_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_5xx_then_published,
                                        tu_store_setup, tu_store_teardown),
        cmocka_unit_test_setup_teardown(test_429_retry_after, tu_store_setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(test_relogin_and_unclear_stop,
                                        tu_store_setup, tu_store_teardown),
        cmocka_unit_test_setup_teardown(test_grace_window, tu_store_setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(test_missed_apart_from_platform,
                                        tu_store_setup, tu_store_teardown),
        cmocka_unit_test_setup_teardown(test_needs_check_asks_first,
                                        tu_store_setup, tu_store_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
