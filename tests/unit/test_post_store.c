/* store_post_*: the post state machine on a real SQLite file. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"
#include "store/store_post.h"

#define T0 1741509000 /* 2025-03-09T08:30:00Z */

static int64_t add(struct tu_store_fx *fx, int64_t at, enum post_state s,
                   const char *key, const char *hash)
{
    struct post p = {.platform = "dryrun", .account = "acct", .title = "t",
                     .publish_at = at, .zone = "UTC",
                     .local_time = "2025-03-09 08:30", .state = s,
                     .idem_key = (char *)key, .body_hash = (char *)hash};
    int64_t id = 0;
    assert_int_equal(store_post_add(fx->st, &p, T0 - 100, &id, &fx->err),
                     ERR_OK);
    assert_true(id > 0);
    return id;
}

static enum post_state state(struct tu_store_fx *fx, int64_t id)
{
    struct post p;
    assert_int_equal(store_post_get(fx->st, id, &p), ERR_OK);
    enum post_state s = p.state;
    post_free(&p);
    return s;
}

struct evlog {
    char text[4096];
    int n;
};

static enum err ev_cb(const struct post_event *e, void *ud)
{
    struct evlog *l = ud;
    size_t len = strlen(l->text);
    snprintf(l->text + len, sizeof l->text - len, "%s>%s:%s;",
             e->from ? e->from : "-", e->to, e->note);
    l->n++;
    return ERR_OK;
}

static void events(struct tu_store_fx *fx, int64_t id, struct evlog *l)
{
    memset(l, 0, sizeof *l);
    assert_int_equal(store_post_events(fx->st, id, ev_cb, l), ERR_OK);
}

static void test_transitions(void **state_)
{
    struct tu_store_fx *fx = *state_;
    int64_t id = add(fx, T0, POST_SCHEDULED, NULL, NULL);
    struct evlog l;

    /* no edge scheduled -> published: refused before touching the row */
    assert_int_equal(store_post_transition(fx->st, id, POST_SCHEDULED,
                                           POST_PUBLISHED, NULL, NULL, T0,
                                           &fx->err),
                     ERR_UNSUPPORTED);
    /* an edge that exists, but the post is not in `from`: lost race */
    assert_int_equal(store_post_transition(fx->st, id, POST_CLAIMED,
                                           POST_PUBLISHING, NULL, NULL, T0,
                                           &fx->err),
                     ERR_EXISTS);
    assert_non_null(strstr(buf_cstr(&fx->err), "is scheduled, not claimed"));
    assert_int_equal(store_post_transition(fx->st, 999, POST_CLAIMED,
                                           POST_PUBLISHING, NULL, NULL, T0,
                                           &fx->err),
                     ERR_NOTFOUND);
    assert_int_equal(state(fx, id), POST_SCHEDULED);
    events(fx, id, &l);
    assert_int_equal(l.n, 1); /* only the creation */
    assert_int_equal(store_post_transition(fx->st, id, POST_SCHEDULED,
                                           POST_CANCELLED, NULL, "by test",
                                           T0, &fx->err),
                     ERR_OK);
    events(fx, id, &l);
    assert_string_equal(l.text, "->scheduled:created;scheduled>cancelled:by "
                                "test;");
    /* cancelled is final */
    assert_int_equal(store_post_move(fx->st, id, POST_SCHEDULED, NULL, T0,
                                     NULL, &fx->err),
                     ERR_UNSUPPORTED);
    assert_non_null(strstr(buf_cstr(&fx->err), "is cancelled"));
}

static void test_claim_publish(void **state_)
{
    struct tu_store_fx *fx = *state_;
    int64_t a = add(fx, T0, POST_SCHEDULED, NULL, NULL);
    int64_t b = add(fx, T0 + 60, POST_SCHEDULED, NULL, NULL);
    int64_t d = add(fx, T0 - 60, POST_DRAFT, NULL, NULL);
    struct post_change ch = POST_CHANGE_NONE;
    int64_t *ids;
    size_t n;
    struct post p;
    struct evlog l;

    /* a worker without a dryrun publisher takes none of them */
    assert_int_equal(store_post_claim_due(fx->st, "w0", "[\"youtube\"]", T0,
                                          300, 10, &ids, &n, &fx->err),
                     ERR_OK);
    assert_int_equal(n, 0);
    free(ids);
    assert_int_equal(store_post_claim_due(fx->st, "w1", NULL, T0, 300, 10, &ids,
                                          &n, &fx->err),
                     ERR_OK);
    assert_int_equal(n, 1); /* b is not due; the draft never */
    assert_int_equal(ids[0], a);
    free(ids);
    assert_int_equal(store_post_claim_due(fx->st, "w2", "[\"youtube\",\"dryrun\"]", T0, 300, 10, &ids,
                                          &n, &fx->err),
                     ERR_OK);
    assert_int_equal(n, 0);
    free(ids);
    /* another worker cannot take over the lease */
    ch.worker = "w2";
    assert_int_equal(store_post_transition(fx->st, a, POST_CLAIMED,
                                           POST_PUBLISHING, &ch, NULL, T0,
                                           &fx->err),
                     ERR_EXISTS);
    ch.worker = "w1";
    ch.count_attempt = true;
    assert_int_equal(store_post_transition(fx->st, a, POST_CLAIMED,
                                           POST_PUBLISHING, &ch, NULL, T0,
                                           &fx->err),
                     ERR_OK);
    /* progress: only the leasing worker, only while publishing */
    assert_int_equal(store_post_set_progress(fx->st, a, "w2", "{\"x\":1}",
                                             T0, &fx->err),
                     ERR_EXISTS);
    assert_int_equal(store_post_set_progress(fx->st, b, "w1", "{\"x\":1}",
                                             T0, &fx->err),
                     ERR_EXISTS);
    assert_int_equal(store_post_set_progress(fx->st, a, "w1",
                                             "{\"upload\":\"u1\"}", T0,
                                             &fx->err),
                     ERR_OK);
    assert_int_equal(store_post_get(fx->st, a, &p), ERR_OK);
    assert_string_equal(p.progress, "{\"upload\":\"u1\"}");
    post_free(&p);
    assert_int_equal(store_post_get(fx->st, b, &p), ERR_OK);
    assert_null(p.progress);
    post_free(&p);
    ch = POST_CHANGE_NONE;
    ch.remote_id = "r1";
    assert_int_equal(store_post_transition(fx->st, a, POST_PUBLISHING,
                                           POST_PUBLISHED, &ch, NULL, T0 + 1,
                                           &fx->err),
                     ERR_OK);
    assert_int_equal(store_post_get(fx->st, a, &p), ERR_OK);
    assert_int_equal(p.state, POST_PUBLISHED);
    assert_int_equal(p.attempts, 1);
    assert_string_equal(p.remote_id, "r1");
    assert_null(p.claimed_by); /* lease cleared on leaving publishing */
    assert_int_equal(p.claimed_until, TIME_NONE);
    post_free(&p);
    events(fx, a, &l);
    assert_int_equal(l.n, 4);
    assert_non_null(strstr(l.text, "scheduled>claimed:by w1, lease 300s;"));
    assert_int_equal(state(fx, b), POST_SCHEDULED);
    assert_int_equal(state(fx, d), POST_DRAFT);
}

static void test_lease_expiry(void **state_)
{
    struct tu_store_fx *fx = *state_;
    int64_t a = add(fx, T0, POST_SCHEDULED, NULL, NULL);
    int64_t b = add(fx, T0, POST_SCHEDULED, NULL, NULL);
    struct post_change ch = POST_CHANGE_NONE;
    size_t back = 9, check = 9, n;
    int64_t *ids;
    struct evlog l;

    assert_int_equal(store_post_claim_due(fx->st, "w1", NULL, T0, 60, 0, &ids, &n,
                                          &fx->err),
                     ERR_OK);
    assert_int_equal(n, 2);
    free(ids);
    assert_int_equal(store_post_transition(fx->st, b, POST_CLAIMED,
                                           POST_PUBLISHING, &ch, NULL, T0,
                                           &fx->err),
                     ERR_OK);
    /* leases still running: nothing moves */
    assert_int_equal(store_post_expire_leases(fx->st, T0 + 60, &back, &check,
                                              &fx->err),
                     ERR_OK);
    assert_int_equal(back + check, 0);
    assert_int_equal(store_post_expire_leases(fx->st, T0 + 61, &back, &check,
                                              &fx->err),
                     ERR_OK);
    assert_int_equal(back, 1);
    assert_int_equal(check, 1);
    assert_int_equal(state(fx, a), POST_SCHEDULED); /* nothing was sent */
    assert_int_equal(state(fx, b), POST_NEEDS_CHECK); /* may have been */
    events(fx, b, &l);
    assert_non_null(strstr(l.text, "publishing>needs_check:lease expired"));
    /* retry from needs_check goes back to scheduled, due now */
    assert_int_equal(store_post_move(fx->st, b, POST_SCHEDULED, "checked",
                                     T0 + 500, NULL, &fx->err),
                     ERR_OK);
    struct post p;
    assert_int_equal(store_post_get(fx->st, b, &p), ERR_OK);
    assert_int_equal(p.publish_at, T0 + 500);
    post_free(&p);
}

static void test_idempotency(void **state_)
{
    struct tu_store_fx *fx = *state_;
    int64_t a = add(fx, T0, POST_SCHEDULED, "k1", "h1"), id = 0;
    struct post p = {.platform = "dryrun", .account = "acct", .title = "t",
                     .publish_at = T0, .zone = "UTC", .local_time = "x",
                     .state = POST_SCHEDULED, .idem_key = "k1",
                     .body_hash = "h1"};

    assert_int_equal(store_post_add(fx->st, &p, T0, &id, &fx->err),
                     ERR_EXISTS);
    assert_int_equal(id, a);
    p.body_hash = "h2";
    assert_int_equal(store_post_add(fx->st, &p, T0, &id, &fx->err),
                     ERR_AMBIGUOUS);
}

static enum err count_cb(const struct post *p, void *ud)
{
    (void)p;
    (*(int *)ud)++;
    return ERR_OK;
}

static void test_list(void **state_)
{
    struct tu_store_fx *fx = *state_;
    struct post_query q = {.state = -1, .from = TIME_NONE, .to = TIME_NONE};
    int n = 0;

    add(fx, T0, POST_SCHEDULED, NULL, NULL);
    add(fx, T0 + 3600, POST_SCHEDULED, NULL, NULL);
    add(fx, T0 + 7200, POST_DRAFT, NULL, NULL);
    assert_int_equal(store_post_list(fx->st, &q, count_cb, &n), ERR_OK);
    assert_int_equal(n, 3);
    n = 0;
    q.state = POST_SCHEDULED;
    q.from = T0 + 1;
    assert_int_equal(store_post_list(fx->st, &q, count_cb, &n), ERR_OK);
    assert_int_equal(n, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_transitions, tu_store_setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(test_claim_publish, tu_store_setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(test_lease_expiry, tu_store_setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(test_idempotency, tu_store_setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(test_list, tu_store_setup,
                                        tu_store_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
