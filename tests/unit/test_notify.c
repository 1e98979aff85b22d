/* src/notify and the outbox (store_notify.h) on a real SQLite file: the
 * events a post's changes write in their transaction, claiming with a
 * lease, results and backoff, the sweep's conditions (a login refused,
 * a collector job failing for a day), the rendering (JSON, mail, the
 * signature against RFC 4231's HMAC-SHA256 vectors). */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "core/timeutil.h"
#include "notify/notify.h"
#include "store/store_notify.h"
#include "store/store_post.h"

#define T0 1796540000 /* 2026-12-06T06:53:20Z */

struct seen {
    char kinds[2048];
    int n;
    int64_t last_id;
    char state[2][16];
    int64_t attempts[2], next_at[2];
    char detail[256];
};

static enum err seen_cb(void *ud, const struct notify_event *ev)
{
    struct seen *s = ud;
    size_t len = strlen(s->kinds);
    snprintf(s->kinds + len, sizeof s->kinds - len, "%s;", ev->kind);
    if (s->n++ > 0)
        return ERR_OK; /* the fields below: the newest event's */
    s->last_id = ev->id;
    for (int c = 0; c < 2; c++) {
        snprintf(s->state[c], sizeof s->state[c], "%s", ev->state[c]);
        s->attempts[c] = ev->attempts[c];
        s->next_at[c] = ev->next_at[c];
    }
    snprintf(s->detail, sizeof s->detail, "%s", ev->detail ? ev->detail : "");
    return ERR_OK;
}

static void list(struct tu_store_fx *fx, struct seen *s)
{
    memset(s, 0, sizeof *s);
    assert_int_equal(store_notify_list(fx->st, 100, seen_cb, s), ERR_OK);
}

static int64_t add_post(struct tu_store_fx *fx, const char *title)
{
    struct post p = {.platform = "dryrun", .account = "acct",
                     .title = (char *)title, .publish_at = T0,
                     .zone = "UTC", .local_time = "2026-12-06 06:53",
                     .state = POST_SCHEDULED};
    int64_t id = 0;
    assert_int_equal(store_post_add(fx->st, &p, T0 - 100, &id, &fx->err),
                     ERR_OK);
    return id;
}

static void move(struct tu_store_fx *fx, int64_t id, enum post_state from,
                 enum post_state to, const char *note)
{
    assert_int_equal(store_post_transition(fx->st, id, from, to, NULL, note,
                                           T0, &fx->err),
                     ERR_OK);
}

/* A post's change of state writes its event with it; others none. */
static void test_post_events(void **state)
{
    struct tu_store_fx *fx = *state;
    int64_t a = add_post(fx, "Published one"), b = add_post(fx, "Late one");
    int64_t c = add_post(fx, "Refused one");
    struct seen s;

    move(fx, a, POST_SCHEDULED, POST_CLAIMED, "w");
    move(fx, a, POST_CLAIMED, POST_PUBLISHING, "w");
    list(fx, &s);
    assert_int_equal(s.n, 0); /* claiming is not news */
    move(fx, a, POST_PUBLISHING, POST_PUBLISHED, "ok");
    move(fx, b, POST_SCHEDULED, POST_CLAIMED, "w");
    move(fx, b, POST_CLAIMED, POST_FAILED, "missed by 3 h");
    move(fx, c, POST_SCHEDULED, POST_CLAIMED, "w");
    move(fx, c, POST_CLAIMED, POST_PUBLISHING, "w");
    move(fx, c, POST_PUBLISHING, POST_FAILED, "HTTP 400 spam_risk");
    list(fx, &s);
    assert_string_equal(s.kinds, "post.failed;post.missed;post.published;");
    assert_string_equal(s.state[NOTIFY_WEBHOOK], "pending");
    /* a refused transition writes nothing */
    assert_int_equal(store_post_transition(fx->st, a, POST_PUBLISHING,
                                           POST_FAILED, NULL, NULL, T0,
                                           &fx->err),
                     ERR_EXISTS);
    list(fx, &s);
    assert_int_equal(s.n, 3);
}

/* Claims are leased; results retry with backoff, then give up. */
static void test_claim_and_results(void **state)
{
    struct tu_store_fx *fx = *state;
    struct notify_event ev = {.kind = "account.relogin", .platform = "tiktok",
                              .account = "a1", .detail = "refused"};
    struct notify_attempt fail = {.ok = false, .status = 500,
                                  .detail = "HTTP 500", .retry_at = T0 + 30};
    struct notify_attempt ok = {.ok = true, .status = 204, .detail = ""};
    int64_t id = 0, *ids = NULL, next = 0;
    size_t n = 0;
    struct seen s;

    assert_int_equal(store_notify_add(fx->st, &ev, "k1", T0, &id, &fx->err),
                     ERR_OK);
    /* the same dedup key again: nothing added */
    assert_int_equal(store_notify_add(fx->st, &ev, "k1", T0, NULL, &fx->err),
                     ERR_EXISTS);
    ev.kind = "";
    assert_int_equal(store_notify_add(fx->st, &ev, NULL, T0, NULL, &fx->err),
                     ERR_INVALID);
    assert_int_equal(store_notify_claim(fx->st, NOTIFY_WEBHOOK, T0, 300, 10,
                                        &ids, &n, &fx->err),
                     ERR_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], id);
    free(ids);
    /* leased: a second process gets nothing until the lease ends */
    assert_int_equal(store_notify_claim(fx->st, NOTIFY_WEBHOOK, T0 + 10, 300,
                                        10, &ids, &n, &fx->err),
                     ERR_OK);
    assert_int_equal(n, 0);
    free(ids);
    /* the mail channel is claimed on its own */
    assert_int_equal(store_notify_claim(fx->st, NOTIFY_MAIL, T0, 300, 10,
                                        &ids, &n, &fx->err),
                     ERR_OK);
    assert_int_equal(n, 1);
    free(ids);
    assert_int_equal(store_notify_result(fx->st, id, NOTIFY_WEBHOOK, &fail,
                                         T0 + 1, &fx->err),
                     ERR_OK);
    list(fx, &s);
    assert_string_equal(s.state[NOTIFY_WEBHOOK], "pending");
    assert_int_equal(s.attempts[NOTIFY_WEBHOOK], 1);
    assert_int_equal(s.next_at[NOTIFY_WEBHOOK], T0 + 30);
    assert_int_equal(store_notify_next_due(fx->st, &next), ERR_OK);
    assert_int_equal(next, T0 + 30);
    fail.retry_at = TIME_NONE; /* attempts used up */
    assert_int_equal(store_notify_result(fx->st, id, NOTIFY_WEBHOOK, &fail,
                                         T0 + 31, &fx->err),
                     ERR_OK);
    assert_int_equal(store_notify_result(fx->st, id, NOTIFY_MAIL, &ok,
                                         T0 + 2, &fx->err),
                     ERR_OK);
    list(fx, &s);
    assert_string_equal(s.state[NOTIFY_WEBHOOK], "failed");
    assert_string_equal(s.state[NOTIFY_MAIL], "sent");
    assert_int_equal(store_notify_next_due(fx->st, &next), ERR_OK);
    assert_int_equal(next, TIME_NONE);
    assert_int_equal(store_notify_result(fx->st, 999, NOTIFY_MAIL, &ok, T0,
                                         &fx->err),
                     ERR_NOTFOUND);
    /* kept until NOTIFY_KEEP_S, then pruned with its log */
    assert_int_equal(store_notify_prune(fx->st, T0, &n, &fx->err), ERR_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_notify_prune(fx->st, T0 + 1, &n, &fx->err),
                     ERR_OK);
    assert_int_equal(n, 1);
}

static void test_backoff(void **state)
{
    (void)state;
    assert_int_equal(notify_backoff(30, 1), 30);
    assert_int_equal(notify_backoff(30, 2), 60);
    assert_int_equal(notify_backoff(30, 4), 240);
    assert_int_equal(notify_backoff(30, 40), NOTIFY_BACKOFF_CAP_S);
    assert_int_equal(notify_backoff(86400, 1), NOTIFY_BACKOFF_CAP_S);
}

/* A login refused: told once while it lasts, again after it ended and
 * came back. A collector job failing: told once it has failed a day. */
static void test_sweep(void **state)
{
    struct tu_store_fx *fx = *state;
    struct store_cred c = {.platform = PLATFORM_TIKTOK, .account = "tt1",
                           .access_sealed = "x", .expires_at = TIME_NONE,
                           .status = CRED_OK, .issued_at = TIME_NONE,
                           .refresh_expires_at = TIME_NONE};
    struct store_job j = {.platform = PLATFORM_TIKTOK, .account = "tt1",
                          .kind = JOB_ACCOUNT, .last_fetch = T0,
                          .next_due = T0 + 60, .failures = 1,
                          .status = JOB_FAILED, .last_error = "HTTP 500"};
    struct seen s;
    size_t n = 0;

    assert_int_equal(store_cred_put(fx->st, &c, &fx->err), ERR_OK);
    assert_int_equal(store_cred_set_status(fx->st, PLATFORM_TIKTOK, "tt1",
                                           CRED_NEEDS_RELOGIN, "invalid_grant",
                                           T0, &fx->err),
                     ERR_OK);
    assert_int_equal(store_job_put(fx->st, &j), ERR_OK);
    assert_int_equal(notify_sweep(fx->st, T0, &n, &fx->err), ERR_OK);
    assert_int_equal(n, 1);
    list(fx, &s);
    assert_string_equal(s.kinds, "account.relogin;");
    assert_string_equal(s.detail, "invalid_grant");
    /* still true an hour later: not told again; the job not a day yet */
    assert_int_equal(notify_sweep(fx->st, T0 + 3600, &n, &fx->err), ERR_OK);
    assert_int_equal(n, 0);
    /* a day after it was first seen failing */
    assert_int_equal(notify_sweep(fx->st, T0 + 86400, &n, &fx->err), ERR_OK);
    assert_int_equal(n, 1);
    list(fx, &s);
    assert_string_equal(s.kinds, "collector.failing;account.relogin;");
    assert_string_equal(s.detail, "HTTP 500");
    assert_int_equal(notify_sweep(fx->st, T0 + 2 * 86400, &n, &fx->err),
                     ERR_OK);
    assert_int_equal(n, 0);
    /* the login is back, then refused again: a new event */
    assert_int_equal(store_cred_set_status(fx->st, PLATFORM_TIKTOK, "tt1",
                                           CRED_OK, NULL, T0, &fx->err),
                     ERR_OK);
    assert_int_equal(notify_sweep(fx->st, T0 + 3 * 86400, &n, &fx->err),
                     ERR_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_cred_set_status(fx->st, PLATFORM_TIKTOK, "tt1",
                                           CRED_NEEDS_RELOGIN, "again",
                                           T0, &fx->err),
                     ERR_OK);
    assert_int_equal(notify_sweep(fx->st, T0 + 4 * 86400, &n, &fx->err),
                     ERR_OK);
    assert_int_equal(n, 1);
    list(fx, &s);
    assert_string_equal(s.detail, "again");
}

/* RFC 4231 test cases 1 and 2 (HMAC-SHA256). */
static void test_sign(void **state)
{
    struct buf out;
    char key1[21];

    (void)state;
    buf_init(&out, 256);
    memset(key1, 0x0b, 20);
    key1[20] = '\0';
    assert_int_equal(notify_sign(key1, "Hi There", 8, &out), ERR_OK);
    assert_string_equal(buf_cstr(&out),
                        "sha256=b0344c61d8db38535ca8afceaf0bf12b881dc200c9833d"
                        "a726e9376c2e32cff7");
    assert_int_equal(notify_sign("Jefe", "what do ya want for nothing?", 28,
                                 &out),
                     ERR_OK);
    assert_string_equal(buf_cstr(&out),
                        "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739"
                        "839dec58b964ec3843");
    buf_free(&out);
}

/* The JSON escapes; the mail has no header injection and CRLF lines. */
static void test_render(void **state)
{
    struct notify_event ev = {
        .id = 42, .kind = "post.failed", .created_at = T0, .post_id = 7,
        .platform = "tiktok", .account = "tt1",
        .title = "Caf\xc3\xa9 \"night\"\r\nBcc: evil@example.com",
        .detail = "line one\nline two\r\n.\n"};
    struct buf b;

    (void)state;
    buf_init(&b, 1 << 20);
    assert_int_equal(notify_render_json(&ev, &b), ERR_OK);
    assert_non_null(strstr(buf_cstr(&b), "\"post_id\":7"));
    assert_non_null(strstr(buf_cstr(&b), "\\\"night\\\"\\r\\nBcc"));
    assert_non_null(strstr(buf_cstr(&b), "\"item\":null"));
    buf_reset(&b);
    assert_int_equal(notify_render_mail(&ev, "dash@example.com",
                                        "me@example.com", T0, &b),
                     ERR_OK);
    const char *m = buf_cstr(&b);
    assert_non_null(strstr(m, "Date: Sun, 06 Dec 2026 06:53:20 +0000\r\n"));
    assert_non_null(strstr(m, "Subject: =?UTF-8?B?"));
    const char *body = strstr(m, "\r\n\r\n");
    assert_non_null(body);
    /* the title's line break is gone from the headers (the body may
     * show it: it is text there) */
    const char *bcc = strstr(m, "\r\nBcc:");
    assert_true(bcc == NULL || bcc > body);
    assert_non_null(strstr(m, "Detail: line one\r\nline two\r\n.\r\n"));
    for (const char *p = m; (p = strchr(p, '\n')) != NULL; p++)
        assert_true(p > m && p[-1] == '\r'); /* every LF ends a CRLF */
    buf_reset(&b);
    ev.title = "Plain";
    ev.test = true;
    assert_int_equal(notify_summary(&ev, &b), ERR_OK);
    assert_string_equal(buf_cstr(&b), "[test] Post failed: Plain (tiktok tt1)");
    buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_post_events, tu_store_setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(test_claim_and_results,
                                        tu_store_setup, tu_store_teardown),
        cmocka_unit_test(test_backoff),
        cmocka_unit_test_setup_teardown(test_sweep, tu_store_setup,
                                        tu_store_teardown),
        cmocka_unit_test(test_sign),
        cmocka_unit_test(test_render),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
