/* The platform registry (platforms/platform.h): one complete descriptor
 * per enum platform value, found by name; its ops wired to the
 * platform's own code (publisher, media rule, live client); the OAuth
 * data the way each platform documents its flow; and the token-refusal
 * ops that oauth_send uses on the platforms' real error bodies. */
#include "testutil.h"

#include <string.h>

#include "core/buf.h"
#include "net/net.h"
#include "platforms/platform.h"
#include "schedule/media_mix.h"
#include "schedule/publishers.h"
#include "schedule/worker.h"
#include "sources/source.h"

static void test_every_platform_registered(void **state)
{
    (void)state;
    for (int i = 0; i < PLATFORM_COUNT; i++) {
        enum platform p = (enum platform)i;
        const struct platform_desc *d = platform_get(p);

        assert_non_null(d);
        assert_int_equal(d->id, p);
        assert_string_equal(d->name, platform_name(p));
        assert_ptr_equal(platform_find(d->name), d);
        assert_non_null(d->display);
        assert_non_null(d->env);
        assert_non_null(d->console_url);
        assert_true(strncmp(d->console_url, "https://", 8) == 0);
        assert_non_null(d->formats);
        assert_non_null(d->formats[0].name);
        for (const struct source_format *f = d->formats; f->name; f++) {
            assert_int_equal(f->platform, p);
            assert_true(strncmp(f->name, d->name, strlen(d->name)) == 0);
        }
        assert_non_null(d->oauth);
        assert_non_null(d->oauth->client_id_param);
        assert_non_null(d->fetch);
        /* a platform that takes no posts (Twitch) has neither */
        assert_true((d->publish == NULL) == (d->mix == NULL));
        if (d->publish == NULL) {
            assert_null(media_mix_find(d->name));
            continue;
        }
        assert_string_equal(d->publish->platform, d->name);
        assert_non_null(d->publish->publish);
        assert_string_equal(d->mix->platform, d->name);
        assert_ptr_equal(media_mix_find(d->name), d->mix);
    }
    assert_null(platform_get(PLATFORM_COUNT));
    assert_null(platform_get((enum platform)-1));
    assert_ptr_equal(platform_find("twitch"), platform_get(PLATFORM_TWITCH));
    assert_ptr_equal(platform_find("tw"), platform_get(PLATFORM_TWITCH));
    assert_null(platform_find("oura"));
    assert_null(platform_find(NULL));
    assert_ptr_equal(platform_find("yt"), platform_get(PLATFORM_YOUTUBE));
    assert_null(media_mix_find("dryrun"));
    assert_null(media_mix_find("yt")); /* rules are found by full name */
}

/* The publishers: dryrun first, then one per platform, each once. */
static void test_publishers_from_registry(void **state)
{
    size_t n = 0;
    const struct publisher_ops *const *all = publishers_list(&n);

    (void)state;
    assert_int_equal(n, 1 + PLATFORM_TWITCH); /* Twitch takes no posts */
    assert_string_equal(all[0]->platform, "dryrun");
    assert_null(all[0]->check);
    for (int i = 0; i < PLATFORM_TWITCH; i++)
        assert_ptr_equal(all[1 + i],
                         platform_get((enum platform)i)->publish);
    assert_ptr_equal(publishers_list(&n), all); /* built once */
}

/* Posts and slots are for the platforms that publish, and dryrun. */
static void test_publishers_find(void **state)
{
    struct buf names;

    (void)state;
    buf_init(&names, 256);
    assert_string_equal(publishers_find("dryrun")->platform, "dryrun");
    for (int i = 0; i < PLATFORM_COUNT; i++) {
        const struct platform_desc *d = platform_get((enum platform)i);
        assert_ptr_equal(publishers_find(d->name), d->publish);
    }
    assert_null(publishers_find("yt")); /* full names only */
    assert_null(publishers_find("twitch"));
    assert_null(publishers_find(""));
    assert_null(publishers_find(NULL));
    assert_int_equal(buf_puts(&names, "stale"), ERR_OK);
    publishers_names(&names);
    assert_string_equal(buf_cstr(&names),
                        "youtube, instagram, tiktok or dryrun");
    buf_free(&names);
}

/* What the descriptors say about each OAuth flow (oauth.h's table). */
static void test_oauth_quirks(void **state)
{
    const struct platform_oauth *yt = platform_get(PLATFORM_YOUTUBE)->oauth;
    const struct platform_oauth *ig =
        platform_get(PLATFORM_INSTAGRAM)->oauth;
    const struct platform_oauth *tt = platform_get(PLATFORM_TIKTOK)->oauth;

    (void)state;
    assert_true(yt->pkce && !yt->pkce_hex && !yt->meta_exchange);
    assert_string_equal(yt->consent_params[0], "access_type");
    assert_string_equal(yt->consent_params[1], "offline");
    assert_int_equal(yt->testing_refresh_life_s, 7 * 86400);
    assert_false(ig->pkce);
    assert_true(ig->meta_exchange && ig->renews_access);
    assert_int_equal(ig->min_age_s, 86400);
    assert_string_equal(tt->client_id_param, "client_key");
    assert_true(tt->pkce && tt->pkce_hex);
    assert_int_equal(tt->refresh_life_s, 365 * 86400);
    assert_true(platform_get(PLATFORM_YOUTUBE)->daily_quota != NULL);
    assert_int_equal(platform_get(PLATFORM_TIKTOK)->per_minute, 600);
    assert_true(platform_get(PLATFORM_INSTAGRAM)->metric_memory);
    assert_true(platform_get(PLATFORM_INSTAGRAM)->api_usage);
    /* Twitch: plain code flow, Client-Id on every Helix call, 800 points
     * a minute, the account job every 5 minutes (the live curve) */
    assert_false(platform_get(PLATFORM_TWITCH)->oauth->pkce);
    assert_string_equal(platform_get(PLATFORM_TWITCH)->client_id_header,
                        "Client-Id");
    assert_int_equal(platform_get(PLATFORM_TWITCH)->per_minute, 800);
    assert_int_equal(platform_get(PLATFORM_TWITCH)->account_every_s, 300);
    assert_null(platform_get(PLATFORM_YOUTUBE)->client_id_header);
    assert_int_equal(platform_get(PLATFORM_YOUTUBE)->account_every_s, 0);
}

/* token_rejected of p on an error answer with body text. */
static bool rejected(enum platform p, long status, const char *text)
{
    const struct platform_oauth *q = platform_get(p)->oauth;
    struct net_resp r;
    bool yes;

    net_resp_init(&r);
    r.status = status;
    assert_int_equal(buf_puts(&r.body, text), ERR_OK);
    yes = q->token_rejected != NULL && q->token_rejected(&r);
    net_resp_free(&r);
    return yes;
}

static void test_token_rejected(void **state)
{
    (void)state;
    /* Graph: error 190 (expired or invalid token), any HTTP status */
    assert_true(rejected(PLATFORM_INSTAGRAM, 400,
                         "{\"error\":{\"message\":\"Error validating access "
                         "token: Session has expired\",\"type\":"
                         "\"OAuthException\",\"code\":190,"
                         "\"error_subcode\":463}}"));
    assert_false(rejected(PLATFORM_INSTAGRAM, 400,
                          "{\"error\":{\"message\":\"(#4) Application "
                          "request limit reached\",\"code\":4}}"));
    assert_false(rejected(PLATFORM_INSTAGRAM, 400,
                          "{\"error\":{\"code\":\"190\"}}"));
    assert_false(rejected(PLATFORM_INSTAGRAM, 500, "not json"));
    assert_false(rejected(PLATFORM_INSTAGRAM, 400, ""));
    /* TikTok v2: error.code "access_token_invalid" */
    assert_true(rejected(PLATFORM_TIKTOK, 401,
                         "{\"data\":{},\"error\":{\"code\":"
                         "\"access_token_invalid\",\"message\":\"The access "
                         "token is invalid or not found in the request.\","
                         "\"log_id\":\"2023\"}}"));
    assert_false(rejected(PLATFORM_TIKTOK, 429,
                          "{\"error\":{\"code\":\"rate_limit_exceeded\"}}"));
    assert_false(rejected(PLATFORM_TIKTOK, 400,
                          "{\"error\":{\"code\":190}}"));
    /* YouTube: a 401 only (oauth_send checks the status itself) */
    assert_false(rejected(PLATFORM_YOUTUBE, 401,
                          "{\"error\":{\"code\":401,\"errors\":[{\"reason\":"
                          "\"authError\"}]}}"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_platform_registered),
        cmocka_unit_test(test_publishers_from_registry),
        cmocka_unit_test(test_publishers_find),
        cmocka_unit_test(test_oauth_quirks),
        cmocka_unit_test(test_token_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
