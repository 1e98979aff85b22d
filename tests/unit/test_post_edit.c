/* Editing posts (issue 14): store_post_edit's guards on a real SQLite file
 * (the version, the state, the trigger that bumps the version on every
 * other change), sched_post_edit_build over the create path's checks, and
 * the list of changes. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "core/jsonw.h"
#include "core/timeutil.h"
#include "schedule/post_edit.h"
#include "store/store_post.h"

#define T0 4086142200 /* 2099-06-26T07:30:00Z */
#define SHA "2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881"
#define MEDIA "[{\"path\":\"/m/a.mp4\",\"sha256\":\"" SHA "\",\"bytes\":1,\"content_type\":\"video/mp4\"}]"

static int64_t add(struct tu_store_fx *fx, enum post_state s)
{
    struct post p = {.platform = "dryrun", .account = "acct", .title = "t",
                     .tags = "[\"a\"]", .media = MEDIA, .publish_at = T0,
                     .zone = "Europe/Berlin",
                     .local_time = "2099-06-26 09:30:00", .state = s};
    int64_t id = 0;
    assert_int_equal(store_post_add(fx->st, &p, T0 - 100, &id, &fx->err),
                     ERR_OK);
    return id;
}

static struct post get(struct tu_store_fx *fx, int64_t id)
{
    struct post p;
    assert_int_equal(store_post_get(fx->st, id, &p), ERR_OK);
    return p;
}

static enum err edit(struct tu_store_fx *fx, const struct post *cur,
                     const struct sched_patch *pt, int64_t version)
{
    struct buf note, changes;
    const char *param = NULL;
    struct post p;
    size_t n;
    enum err rc;

    buf_init(&note, 1024);
    buf_init(&changes, POST_EDIT_CHANGES_MAX);
    rc = sched_post_edit_build(cur, pt, &p, &note, &param, &fx->err);
    if (rc == ERR_OK) {
        assert_int_equal(sched_post_diff(cur, &p, &changes, &n), ERR_OK);
        rc = store_post_edit(fx->st, cur->id, version, &p, "tester",
                             buf_cstr(&changes), T0, NULL, &fx->err);
    }
    post_free(&p);
    buf_free(&note);
    buf_free(&changes);
    return rc;
}

static void test_guards(void **state_)
{
    struct tu_store_fx *fx = *state_;
    int64_t id = add(fx, POST_SCHEDULED);
    struct sched_patch pt = SCHED_PATCH_NONE;
    struct post cur = get(fx, id), after;
    int64_t *ids;
    size_t n;

    assert_int_equal(cur.version, 1);
    pt.title = "new";
    pt.at = "2099-06-27 10:00";
    assert_int_equal(edit(fx, &cur, &pt, 1), ERR_OK);
    after = get(fx, id);
    assert_int_equal(after.version, 2);
    assert_string_equal(after.title, "new");
    assert_int_equal(after.publish_at, T0 + 86400 + 1800);
    post_free(&after);
    /* the same edit again, made on version 1: stale, nothing changes */
    pt.title = "stale";
    assert_int_equal(edit(fx, &cur, &pt, 1), ERR_EXISTS);
    assert_non_null(strstr(buf_cstr(&fx->err), "changed meanwhile"));
    after = get(fx, id);
    assert_string_equal(after.title, "new");
    assert_int_equal(after.version, 2);
    post_free(&after);
    /* a claim bumps the version (trigger) and ends editing */
    assert_int_equal(store_post_claim_due(fx->st, "w1", NULL, T0 + 90000,
                                          300, 10, &ids, &n, &fx->err),
                     ERR_OK);
    assert_int_equal(n, 1);
    free(ids);
    after = get(fx, id);
    assert_int_equal(after.version, 3);
    assert_int_equal(edit(fx, &after, &pt, 3), ERR_UNSUPPORTED);
    assert_non_null(strstr(buf_cstr(&fx->err), "is claimed"));
    post_free(&after);
    after = get(fx, id);
    assert_int_equal(after.state, POST_CLAIMED);
    assert_string_equal(after.title, "new");
    post_free(&after);
    assert_int_equal(edit(fx, &cur, &pt, 99), ERR_UNSUPPORTED);
    cur.id = 999;
    assert_int_equal(edit(fx, &cur, &pt, 1), ERR_NOTFOUND);
    post_free(&cur);
}

static enum err count_edit(const struct post_edit *e, void *ud)
{
    int *n = ud;
    (*n)++;
    assert_int_equal(e->version, *n + 1);
    assert_string_equal(e->by, "tester");
    assert_true(e->changes[0] == '[');
    return ERR_OK;
}

static void test_draft_and_history(void **state_)
{
    struct tu_store_fx *fx = *state_;
    int64_t id = add(fx, POST_DRAFT);
    struct sched_patch pt = SCHED_PATCH_NONE;
    struct post cur = get(fx, id), after;
    int n = 0;

    pt.draft = 0;
    assert_int_equal(edit(fx, &cur, &pt, 1), ERR_OK);
    after = get(fx, id);
    assert_int_equal(after.state, POST_SCHEDULED);
    assert_int_equal(after.publish_at, T0); /* the time is kept */
    pt.draft = 1;
    assert_int_equal(edit(fx, &after, &pt, 2), ERR_OK);
    post_free(&after);
    assert_int_equal(store_post_edits(fx->st, id, count_edit, &n), ERR_OK);
    assert_int_equal(n, 2);
    post_free(&cur);
}

static struct post stored(const char *local, int64_t utc)
{
    return (struct post){.id = 7, .platform = "dryrun", .account = "acct",
                         .title = "t", .caption = "", .tags = "[\"a\"]",
                         .privacy = "private", .media = MEDIA,
                         .publish_at = utc, .zone = "Europe/Berlin",
                         .local_time = (char *)local, .state = POST_SCHEDULED,
                         .version = 4};
}

static void test_build(void **state_)
{
    /* a time shifted out of the gap at creation stays as it was when
     * only the title changes (the rule is not applied again) */
    struct post cur = stored("2099-03-29 02:30:00", 4078429200);
    struct sched_patch pt = SCHED_PATCH_NONE;
    struct buf note, err;
    const char *param;
    struct post p;
    (void)state_;

    buf_init(&note, 1024);
    buf_init(&err, 1024);
    pt.title = "retitled";
    assert_int_equal(sched_post_edit_build(&cur, &pt, &p, &note, &param, &err),
                     ERR_OK);
    assert_int_equal(p.publish_at, 4078429200);
    assert_string_equal(p.local_time, "2099-03-29 02:30:00");
    assert_int_equal(p.version, 4);
    assert_int_equal(note.len, 0);
    post_free(&p);
    /* a new zone alone re-reads the wall time in it */
    pt = SCHED_PATCH_NONE;
    cur = stored("2099-06-26 09:30:00", T0);
    pt.zone = "UTC";
    assert_int_equal(sched_post_edit_build(&cur, &pt, &p, &note, &param, &err),
                     ERR_OK);
    assert_int_equal(p.publish_at, T0 + 7200);
    post_free(&p);
    /* the create path's checks, naming the field */
    pt = SCHED_PATCH_NONE;
    pt.at = "2099-03-29 02:30";
    assert_int_equal(sched_post_edit_build(&cur, &pt, &p, &note, &param, &err),
                     ERR_INVALID);
    assert_string_equal(param, "at");
    pt = SCHED_PATCH_NONE;
    pt.platform = "youtube";
    assert_int_equal(sched_post_edit_build(&cur, &pt, &p, &note, &param, &err),
                     ERR_INVALID);
    assert_string_equal(param, "platform");
    pt = SCHED_PATCH_NONE;
    pt.has_media = true; /* no media, and scheduled */
    assert_int_equal(sched_post_edit_build(&cur, &pt, &p, &note, &param, &err),
                     ERR_INVALID);
    assert_string_equal(param, "media");
    pt.draft = 1; /* a draft may have none */
    assert_int_equal(sched_post_edit_build(&cur, &pt, &p, &note, &param, &err),
                     ERR_OK);
    assert_int_equal(p.state, POST_DRAFT);
    post_free(&p);
    buf_free(&note);
    buf_free(&err);
}

static void test_diff(void **state_)
{
    struct post a = stored("2099-06-26 09:30:00", T0);
    struct post b = a;
    struct buf out, back;
    struct jw w;
    size_t n;
    (void)state_;

    buf_init(&out, 4096);
    buf_init(&back, 4096);
    assert_int_equal(sched_post_diff(&a, &b, &out, &n), ERR_OK);
    assert_int_equal(n, 0);
    assert_string_equal(buf_cstr(&out), "[]");
    buf_reset(&out);
    b.title = "new";
    b.tags = "[\"a\",\"b\"]";
    b.publish_at = T0 + 60;
    b.state = POST_DRAFT;
    assert_int_equal(sched_post_diff(&a, &b, &out, &n), ERR_OK);
    assert_int_equal(n, 4);
    assert_string_equal(
        buf_cstr(&out),
        "[{\"field\":\"state\",\"from\":\"scheduled\",\"to\":\"draft\"},"
        "{\"field\":\"publish_at\",\"from\":\"2099-06-26T07:30:00Z\","
        "\"to\":\"2099-06-26T07:31:00Z\"},"
        "{\"field\":\"title\",\"from\":\"t\",\"to\":\"new\"},"
        "{\"field\":\"tags\",\"from\":[\"a\"],\"to\":[\"a\",\"b\"]}]");
    /* read back through the checked re-emitter: the same; junk skipped */
    jw_init(&w, &back);
    sched_changes_json(&w, buf_cstr(&out));
    assert_int_equal(jw_status(&w), ERR_OK);
    assert_string_equal(buf_cstr(&back), buf_cstr(&out));
    buf_reset(&back);
    jw_init(&w, &back);
    sched_changes_json(&w, "[{\"field\":1},{\"field\":\"x\",\"from\":{},"
                           "\"to\":1},{\"field\":\"y\",\"from\":null,"
                           "\"to\":[1]},{\"field\":\"ok\",\"from\":null,"
                           "\"to\":\"z\"}, 5]");
    assert_string_equal(buf_cstr(&back),
                        "[{\"field\":\"ok\",\"from\":null,\"to\":\"z\"}]");
    buf_reset(&back);
    jw_init(&w, &back);
    sched_changes_json(&w, "not json");
    assert_string_equal(buf_cstr(&back), "[]");
    buf_free(&out);
    buf_free(&back);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_guards, tu_store_setup,
                                        tu_store_teardown),
        cmocka_unit_test_setup_teardown(test_draft_and_history,
                                        tu_store_setup, tu_store_teardown),
        cmocka_unit_test(test_build),
        cmocka_unit_test(test_diff),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
