/* The collector's per-item schedule (migration 0008) in a real SQLite
 * store: which items are due when, soonest first, bounded; and the
 * Instagram dropped-metric memory kept in the store across collectors
 * (processes) and forgotten after COLLECT_DROPPED_MEMORY_S, against the fake
 * platform server. */
#include "testutil.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect/collect.h"
#include "core/alloc.h"
#include "core/config.h"
#include "core/secret.h"
#include "core/timeutil.h"
#include "net/net.h"
#include "net/oauth.h"
#include "platforms/platform.h"
#include "store/store.h"

#define H 3600
#define D 86400
#define T0 1717243200 /* 2024-06-01T12:00:00Z */
#define REDIRECT "http://127.0.0.1:1/oauth/callback"
#define IG_USER "17841400000000001"
#define IG_MEDIA "/v21.0/17900000000000001/insights"

/* ---- the schedule in the store ---------------------------------------- */

struct due_list {
    char ids[16][32];
    int64_t due[16];
    size_t n;
};

static enum err collect_due(void *ud, const struct store_item_sched *s)
{
    struct due_list *l = ud;
    assert_true(l->n < 16);
    assert_true(strlen(s->item_id) < sizeof l->ids[0]);
    memcpy(l->ids[l->n], s->item_id, strlen(s->item_id) + 1);
    l->due[l->n++] = s->next_due;
    return ERR_OK;
}

static struct due_list due_at(struct store *st, const char *account,
                              int64_t now, size_t limit)
{
    struct due_list l = {0};
    assert_int_equal(store_item_sched_due(st, PLATFORM_YOUTUBE, account, now,
                                          limit, collect_due, &l),
                     ERR_OK);
    return l;
}

/* Fetched at `fetched`, published `age` before it: due by its age. */
static void put(struct store *st, const char *account, const char *id,
                int64_t published, int64_t fetched)
{
    struct store_item_sched s = {PLATFORM_YOUTUBE, account, id, "",
                                 published, fetched, 0};
    s.next_due = collect_next_due(published, fetched, fetched);
    assert_int_equal(store_item_sched_put(st, &s), ERR_OK);
}

static void test_due_selection(void **state)
{
    struct tu_store_fx *fx = *state;
    struct store *st = fx->st;
    struct due_list l;
    int64_t count, soonest;
    bool has;

    put(st, "UC1", "new", T0 - H, T0);            /* 1 h old: hourly */
    put(st, "UC1", "days3", T0 - 3 * D, T0);      /* 6-hourly */
    put(st, "UC1", "days10", T0 - 10 * D, T0);    /* daily */
    put(st, "UC1", "old", T0 - 400 * D, T0);      /* weekly */
    put(st, "UC1", "unknown", TIME_NONE, T0);     /* daily */
    put(st, "UC2", "other", T0 - H, T0 - 2 * H);  /* another account */

    l = due_at(st, "UC1", T0 + H - 1, 100);
    assert_int_equal(l.n, 0);
    l = due_at(st, "UC1", T0 + H, 100);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.ids[0], "new");
    l = due_at(st, "UC1", T0 + 6 * H, 100);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.ids[1], "days3");
    l = due_at(st, "UC1", T0 + D, 100);
    assert_int_equal(l.n, 4); /* + days10 and unknown, soonest first */
    assert_string_equal(l.ids[0], "new");
    assert_string_equal(l.ids[1], "days3");
    assert_true(l.due[2] == T0 + D && l.due[3] == T0 + D);
    l = due_at(st, "UC1", T0 + 7 * D, 100);
    assert_int_equal(l.n, 5);
    assert_string_equal(l.ids[4], "old");
    /* bounded: the soonest ones */
    l = due_at(st, "UC1", T0 + 7 * D, 2);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.ids[0], "new");
    /* per account */
    l = due_at(st, "UC2", T0, 100);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.ids[0], "other");

    /* fetched again: "new" moves on by an hour, the rest stay */
    put(st, "UC1", "new", T0 - H, T0 + H);
    l = due_at(st, "UC1", T0 + H, 100);
    assert_int_equal(l.n, 0);
    l = due_at(st, "UC1", T0 + 2 * H, 100);
    assert_int_equal(l.n, 1);

    assert_int_equal(store_item_sched_stats(st, PLATFORM_YOUTUBE, "UC1",
                                            &count, &soonest), ERR_OK);
    assert_int_equal(count, 5);
    assert_int_equal(soonest, T0 + 2 * H);
    assert_int_equal(store_item_sched_stats(st, -1, NULL, &count, &soonest),
                     ERR_OK);
    assert_int_equal(count, 6);
    assert_int_equal(soonest, T0 - H); /* UC2's "other" */
    assert_int_equal(store_item_sched_stats(st, PLATFORM_TIKTOK, NULL, &count,
                                            &soonest), ERR_OK);
    assert_int_equal(count, 0);
    assert_true(soonest == INT64_MAX);
    assert_int_equal(store_item_sched_has(st, PLATFORM_YOUTUBE, "UC1", "old",
                                          &has), ERR_OK);
    assert_true(has);
    assert_int_equal(store_item_sched_has(st, PLATFORM_YOUTUBE, "UC2", "old",
                                          &has), ERR_OK);
    assert_false(has);
}

/* serve's collector sleeps until a job or a content item is due, but not
 * for the items of an account whose content job backs off. */
static void test_next_wake(void **state)
{
    struct tu_store_fx *fx = *state;
    struct store_job j = {PLATFORM_YOUTUBE, "UC1", JOB_ACCOUNT, T0, T0 + H,
                          0, JOB_OK, NULL};
    int64_t at = INT64_MAX;

    assert_int_equal(collect_next_wake(fx->st, &at), ERR_OK);
    assert_true(at == INT64_MAX); /* nothing at all: no wake-up */
    assert_int_equal(store_job_put(fx->st, &j), ERR_OK);
    j.kind = JOB_CONTENT;
    assert_int_equal(store_job_put(fx->st, &j), ERR_OK);
    put(fx->st, "UC1", "v1", T0 - 20 * D, T0 - D + 60); /* due T0 + 60 */
    assert_int_equal(collect_next_wake(fx->st, &at), ERR_OK);
    assert_int_equal(at, T0 + 60);
    /* the content job failed and waits until T0 + 2 h: so do its items */
    j.status = JOB_FAILED;
    j.failures = 1;
    j.next_due = T0 + 2 * H;
    assert_int_equal(store_job_put(fx->st, &j), ERR_OK);
    at = INT64_MAX;
    assert_int_equal(collect_next_wake(fx->st, &at), ERR_OK);
    assert_int_equal(at, T0 + H); /* the account job */
}

struct drop_list {
    char text[256];
};

static enum err collect_drop(void *ud, const char *kind, const char *metric)
{
    struct drop_list *l = ud;
    size_t n = strlen(l->text);
    snprintf(l->text + n, sizeof l->text - n, "%s:%s;", kind, metric);
    return ERR_OK;
}

static void test_ig_memory_store(void **state)
{
    struct tu_store_fx *fx = *state;
    struct drop_list l = {{0}};
    const enum platform ig = PLATFORM_INSTAGRAM;

    assert_int_equal(store_dropped_metric_add(fx->st, ig, IG_USER,
                                              "REELS/VIDEO", "views", T0),
                     ERR_OK);
    assert_int_equal(store_dropped_metric_add(fx->st, ig, IG_USER,
                                              "FEED/IMAGE", "shares",
                                              T0 - 8 * D), ERR_OK);
    assert_int_equal(store_dropped_metric_add(fx->st, ig, "other",
                                              "REELS/VIDEO", "reach", T0),
                     ERR_OK);
    /* the same account and kind on another platform is its own entry */
    assert_int_equal(store_dropped_metric_add(fx->st, PLATFORM_TIKTOK,
                                              IG_USER, "REELS/VIDEO",
                                              "plays", T0), ERR_OK);
    assert_int_equal(store_dropped_metric_add(fx->st, (enum platform)99,
                                              IG_USER, "REELS/VIDEO",
                                              "plays", T0), ERR_INVALID);
    assert_int_equal(store_dropped_metric_list(fx->st, ig, IG_USER,
                                               T0 - 7 * D, collect_drop,
                                               &l), ERR_OK);
    assert_string_equal(l.text, "REELS/VIDEO:views;");
    /* refused again: the entry is renewed */
    assert_int_equal(store_dropped_metric_add(fx->st, ig, IG_USER,
                                              "FEED/IMAGE", "shares", T0),
                     ERR_OK);
    l.text[0] = '\0';
    assert_int_equal(store_dropped_metric_list(fx->st, ig, IG_USER,
                                               T0 - 7 * D, collect_drop,
                                               &l), ERR_OK);
    assert_string_equal(l.text, "FEED/IMAGE:shares;REELS/VIDEO:views;");
    l.text[0] = '\0';
    assert_int_equal(store_dropped_metric_list(fx->st, PLATFORM_TIKTOK,
                                               IG_USER, T0 - 7 * D,
                                               collect_drop, &l), ERR_OK);
    assert_string_equal(l.text, "REELS/VIDEO:plays;");
}

/* ---- the memory across collectors, against the fake server ------------ */

struct fx {
    struct tu_fake fake;
    char *dir, *db;
    struct store *st;
    struct config cfg;
    struct secret_key *key;
    struct oauth *o;
    struct net_client *nc;
    struct buf err;
};

static void set(struct fx *fx, const char *key, const char *value)
{
    assert_int_equal(config_set(&fx->cfg, key, value, CONFIG_SRC_ENV,
                                &fx->err), ERR_OK);
}

static void set_url(struct fx *fx, const char *key, const char *path)
{
    char *u = tu_fake_url(&fx->fake, path);
    set(fx, key, u);
    free(u);
}

static char *param(const char *u, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = strchr(u, '?'); p != NULL; p = strchr(p + 1, '&')) {
        if (strncmp(p + 1, name, n) == 0 && p[1 + n] == '=') {
            const char *v = p + 2 + n;
            return xstrndup(v, strcspn(v, "&"));
        }
    }
    return NULL;
}

/* Connect the Instagram account through the fake's OAuth. */
static void connect_ig(struct fx *fx)
{
    struct buf u, state, ctl, acct;
    enum platform got;
    char *client;

    buf_init(&u, 8192);
    buf_init(&state, 256);
    buf_init(&ctl, 4096);
    buf_init(&acct, 256);
    assert_int_equal(oauth_begin(fx->o, fx->st, PLATFORM_INSTAGRAM, IG_USER,
                                 &u, &state, &fx->err), ERR_OK);
    client = param(buf_cstr(&u), "client_id");
    assert_non_null(client);
    assert_int_equal(buf_printf(&ctl, "{\"oauth_codes\": {\"ig-code\": {"
                                "\"client_id\": \"%s\", \"redirect_uri\": "
                                "\"%s\"}}}", client, REDIRECT), ERR_OK);
    tu_fake_control(&fx->fake, buf_cstr(&ctl));
    if (oauth_finish(fx->o, fx->st, fx->nc, buf_cstr(&state), "ig-code",
                     &got, &acct, &fx->err) != ERR_OK)
        fail_msg("oauth_finish: %s", buf_cstr(&fx->err));
    assert_string_equal(buf_cstr(&acct), IG_USER);
    free(client);
    buf_free(&u);
    buf_free(&state);
    buf_free(&ctl);
    buf_free(&acct);
}

static int ig_setup(void **state)
{
    struct fx *fx = xcalloc(1, sizeof(*fx));
    struct net_config ncfg;

    assert_true(sodium_init() >= 0);
    buf_init(&fx->err, 2048);
    tu_fake_start(&fx->fake, 120);
    fx->dir = tu_tmpdir();
    fx->db = xmalloc(strlen(fx->dir) + 8);
    snprintf(fx->db, strlen(fx->dir) + 8, "%s/md.db", fx->dir);
    assert_int_equal(store_open(fx->db, &fx->st, &fx->err), ERR_OK);
    config_init(&fx->cfg);
    set(fx, "instagram.client_id", "fake-meta-app");
    set(fx, "instagram.client_secret", "fake-meta-secret");
    set_url(fx, "instagram.token_url", "/v21.0/oauth/access_token");
    set_url(fx, "instagram.api_base", "");
    set(fx, "instagram.redirect_uri", REDIRECT);
    assert_int_equal(config_finish(&fx->cfg, fx->db, &fx->err), ERR_OK);
    assert_int_equal(secret_key_load(fx->cfg.secret_key_file, true, &fx->key,
                                     &fx->err), ERR_OK);
    assert_int_equal(oauth_create(&fx->cfg, fx->key, platform_oauth_of, &fx->o), ERR_OK);
    collect_net_config(&fx->cfg, &ncfg);
    assert_int_equal(net_client_create(&ncfg, &fx->nc, &fx->err), ERR_OK);
    /* long-lived tokens last 60 days: the rounds below, weeks ahead, come
     * before the renewal window (oauth.renew_before_days) */
    tu_fake_control(&fx->fake, "{\"expires_in\": 5184000}");
    connect_ig(fx);
    *state = fx;
    return 0;
}

static int ig_teardown(void **state)
{
    struct fx *fx = *state;
    net_client_destroy(fx->nc);
    oauth_destroy(fx->o);
    secret_key_destroy(fx->key);
    store_close(fx->st);
    config_free(&fx->cfg);
    tu_fake_stop(&fx->fake);
    tu_rmdir(fx->dir);
    free(fx->dir);
    free(fx->db);
    buf_free(&fx->err);
    free(fx);
    return 0;
}

struct outcome {
    enum job_status status;
    bool ran;
    char message[1024];
};

static void note(void *ud, const struct collect_summary *s)
{
    struct outcome *o = ud;
    o->status = s->status;
    o->ran = s->ran;
    snprintf(o->message, sizeof o->message, "%s", s->message ? s->message : "");
}

/* One round at now with a collector of its own (as a new process has). */
static struct outcome round_at(struct fx *fx, int64_t now)
{
    struct collector *c = NULL;
    struct outcome o = {0};

    assert_int_equal(collector_create(&fx->cfg, fx->o, &c, &fx->err), ERR_OK);
    if (collect_run_once(c, fx->st, fx->nc, PLATFORM_INSTAGRAM, now, note, &o,
                         &fx->err) != ERR_OK)
        fail_msg("collect: %s / %s", buf_cstr(&fx->err), o.message);
    collector_destroy(c);
    assert_true(o.ran);
    assert_int_equal(o.status, JOB_OK);
    return o;
}

static void test_ig_memory_persisted(void **state)
{
    struct fx *fx = *state;
    struct drop_list l = {{0}};
    int64_t now = time_now();
    struct outcome o;
    long long n0, n1;

    tu_fake_control(&fx->fake, "{\"supported_metrics\": [\"reach\", "
                               "\"likes\", \"comments\", \"saved\", "
                               "\"shares\", \"total_interactions\"]}");
    /* 1: views refused once per media kind, dropped and remembered */
    o = round_at(fx, now);
    assert_non_null(strstr(o.message, "insight metric views dropped for "
                                      "REELS/VIDEO"));
    assert_int_equal(tu_fake_stat(&fx->fake, IG_MEDIA), 2);
    assert_int_equal(store_dropped_metric_list(fx->st, PLATFORM_INSTAGRAM,
                                               IG_USER,
                                               now - COLLECT_DROPPED_MEMORY_S,
                                               collect_drop, &l), ERR_OK);
    assert_non_null(strstr(l.text, "REELS/VIDEO:views;"));
    assert_non_null(strstr(l.text, "FEED/CAROUSEL_ALBUM:views;"));

    /* 2: a new collector a week later (every item due again): views is
     * not asked for, no call is refused (the entry is 7 days old: kept) */
    n0 = tu_fake_stat(&fx->fake, IG_MEDIA);
    o = round_at(fx, now + COLLECT_DROPPED_MEMORY_S);
    assert_null(strstr(o.message, "dropped"));
    n1 = tu_fake_stat(&fx->fake, IG_MEDIA);
    assert_int_equal(n1 - n0, 1);

    /* 3: the memory expired: views asked again (and refused again) */
    o = round_at(fx, now + 2 * COLLECT_DROPPED_MEMORY_S);
    assert_non_null(strstr(o.message, "insight metric views dropped"));
    assert_int_equal(tu_fake_stat(&fx->fake, IG_MEDIA) - n1, 2);

    /* 4: the platform takes views again; after the memory expires once
     * more the metric comes back without a refusal */
    tu_fake_control(&fx->fake, "{\"supported_metrics\": [\"reach\", "
                               "\"views\", \"likes\", \"comments\", "
                               "\"saved\", \"shares\", "
                               "\"total_interactions\"]}");
    o = round_at(fx, now + 4 * COLLECT_DROPPED_MEMORY_S);
    assert_null(strstr(o.message, "dropped"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_due_selection, tu_store_setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(test_next_wake, tu_store_setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(test_ig_memory_store, tu_store_setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(test_ig_memory_persisted, ig_setup,
                                        ig_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
