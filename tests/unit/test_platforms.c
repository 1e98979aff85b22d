/* The platform registry (platforms/platform.h): one complete descriptor
 * per enum platform value, found by name; its ops wired to the
 * platform's own code (publisher, media rule, live client); the OAuth
 * data the way each platform documents its flow; and the token-refusal
 * ops that oauth_send uses on the platforms' real error bodies. */
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "net/net.h"
#include "net/oauth.h"
#include "platforms/fetch.h"
#include "platforms/platform.h"
#include "schedule/media_limits.h"
#include "schedule/media_mix.h"
#include "schedule/post_limits.h"
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
        /* a source that is not social (Oura: health pages, parsed by
         * sources/oura.c into its own tables) has no social formats */
        assert_true((d->formats != NULL) == (d->kind == PLATFORM_SOCIAL));
        for (const struct source_format *f = d->formats; f && f->name; f++) {
            assert_int_equal(f->platform, p);
            assert_true(strncmp(f->name, d->name, strlen(d->name)) == 0);
        }
        assert_non_null(d->oauth);
        assert_non_null(d->oauth->client_id_param);
        assert_non_null(d->config_keys);
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
        /* a platform that publishes owns its limits */
        assert_non_null(d->post_limits);
        assert_string_equal(d->post_limits->platform, d->name);
        assert_ptr_equal(post_limits_for(d->name), d->post_limits);
        assert_non_null(d->media_limits);
        assert_string_equal(d->media_limits->platform, d->name);
        assert_string_equal(d->media_limits->label, d->display);
        assert_ptr_equal(media_limits_of(d->name), d->media_limits);
    }
    assert_null(platform_get(PLATFORM_COUNT));
    assert_null(platform_get((enum platform)-1));
    assert_ptr_equal(platform_find("twitch"), platform_get(PLATFORM_TWITCH));
    assert_ptr_equal(platform_find("tw"), platform_get(PLATFORM_TWITCH));
    /* Oura is registered, as a source that is not social, and it
     * never publishes */
    assert_ptr_equal(platform_find("oura"), platform_get(PLATFORM_OURA));
    assert_int_equal(platform_get(PLATFORM_OURA)->kind, PLATFORM_OTHER);
    assert_false(platform_is_social(PLATFORM_OURA));
    assert_null(platform_get(PLATFORM_OURA)->publish);
    assert_null(platform_find("fitbit"));
    assert_null(platform_find(NULL));
    assert_ptr_equal(platform_find("yt"), platform_get(PLATFORM_YOUTUBE));
    assert_null(media_mix_find("dryrun"));
    assert_null(media_mix_find("yt")); /* rules are found by full name */
}

/* The one platform list (platforms/list.h) gives the enum, the names,
 * short names, metric prefixes and environment names; the registry
 * holds the descriptor of each line, and they agree. */
static void test_list_matches_registry(void **state)
{
    (void)state;
    for (int i = 0; i < PLATFORM_COUNT; i++) {
        enum platform p = (enum platform)i, back;
        const struct platform_desc *d = platform_get(p);
        const char *prefix = platform_metric_prefix(p);
        size_t n = strlen(prefix);

        assert_string_equal(platform_env_name(p), d->env);
        assert_true(n >= 2 && prefix[n - 1] == '.');
        /* the prefix without its dot is the short name */
        assert_int_equal(platform_from_name(d->name, &back), ERR_OK);
        assert_int_equal(back, p);
        char short_name[16];
        assert_true(n - 1 < sizeof(short_name));
        memcpy(short_name, prefix, n - 1);
        short_name[n - 1] = '\0';
        assert_int_equal(platform_from_name(short_name, &back), ERR_OK);
        assert_int_equal(back, p);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(platform_name((enum platform)j), d->name);
    }
    assert_string_equal(platform_env_name(PLATFORM_COUNT), "UNKNOWN");
    assert_string_equal(platform_name(PLATFORM_COUNT), "unknown");
    assert_string_equal(platform_metric_prefix(PLATFORM_COUNT), "x.");
    assert_int_equal(platform_find("Youtube") == NULL, true);
}

/* The kind of a platform: social ones are in views, totals, filters and
 * help lists of social things; the others only where all are listed. */
static void test_kind_and_name_lists(void **state)
{
    struct buf all, social, expect;
    int social_n = 0;

    (void)state;
    buf_init(&all, 1024);
    buf_init(&social, 1024);
    buf_init(&expect, 1024);
    assert_int_equal(platform_names_join(&all, false, ", ", " or "), ERR_OK);
    assert_int_equal(platform_names_join(&social, true, "|", "|"), ERR_OK);
    for (int i = 0; i < PLATFORM_COUNT; i++) {
        enum platform p = (enum platform)i;
        const struct platform_desc *d = platform_get(p);
        assert_true(d->kind == PLATFORM_SOCIAL || d->kind == PLATFORM_OTHER);
        assert_int_equal(platform_is_social(p), d->kind == PLATFORM_SOCIAL);
        assert_non_null(strstr(buf_cstr(&all), d->name));
        if (!platform_is_social(p))
            continue;
        buf_catf(&expect, "%s%s", social_n++ ? "|" : "", d->name);
    }
    assert_string_equal(buf_cstr(&social), buf_cstr(&expect));
    assert_false(platform_is_social(PLATFORM_COUNT));
    assert_false(platform_is_social((enum platform)-1));
    /* today's three are social, in registry order */
    assert_true(platform_is_social(PLATFORM_YOUTUBE));
    assert_true(platform_is_social(PLATFORM_INSTAGRAM));
    assert_true(platform_is_social(PLATFORM_TIKTOK));
    assert_non_null(strstr(buf_cstr(&expect), "youtube|instagram|tiktok"));
    assert_non_null(strstr(buf_cstr(&all), "youtube, instagram"));
    assert_non_null(strstr(buf_cstr(&all), " or "));
    /* appended, not replaced */
    {
        size_t before = strlen(buf_cstr(&expect));
        char *was = xstrdup(buf_cstr(&expect));
        assert_int_equal(platform_names_join(&expect, true, ",", ","),
                         ERR_OK);
        assert_memory_equal(buf_cstr(&expect), was, before);
        assert_non_null(strstr(buf_cstr(&expect) + before, "youtube,"));
        free(was);
    }
    buf_free(&all);
    buf_free(&social);
    buf_free(&expect);
}

/* Each platform's config section comes from its descriptor's key table
 * (config.h: config_key): every key of the table is in the section,
 * named "<name>.", takes a value, and config knows no other key there;
 * a key of another section (collect.youtube_quota) names the core key it
 * is listed in front of (`before`), and is listed right there. */
static void test_config_keys_from_descriptors(void **state)
{
    struct buf all, one, err;

    (void)state;
    buf_init(&all, 1 << 16);
    buf_init(&one, 256);
    buf_init(&err, 1024);
    buf_catf(&all, "\n");
    config_describe(&all);
    for (int i = 0; i < PLATFORM_COUNT; i++) {
        const struct platform_desc *d = platform_get((enum platform)i);
        size_t n = 0, listed = 0, len = strlen(d->name);
        const char *at;

        assert_non_null(d->config_keys);
        for (const struct config_key *k = d->config_keys; k->key; k++) {
            assert_non_null(k->help);
            buf_reset(&one);
            buf_catf(&one, "\n  %s  (", k->key);
            assert_non_null(strstr(buf_cstr(&all), buf_cstr(&one)));
            if (k->before != NULL) {
                const char *mine = strstr(buf_cstr(&all), buf_cstr(&one));
                const char *next;
                buf_reset(&one);
                buf_catf(&one, "\n  %s  (", k->before);
                next = strstr(buf_cstr(&all), buf_cstr(&one));
                assert_true(next != NULL && mine < next);
                assert_false(strncmp(k->key, d->name, len) == 0 &&
                             k->key[len] == '.');
            } else {
                assert_true(strncmp(k->key, d->name, len) == 0 &&
                            k->key[len] == '.');
                n++;
            }
            if (k->flags & CONFIG_SECRET)
                continue;
            assert_int_equal(config_check(k->key, k->def ? k->def : "",
                                          CONFIG_SRC_FLAG, &err), ERR_OK);
        }
        /* the eight OAuth client keys at least */
        assert_true(n >= 8);
        buf_reset(&one);
        buf_catf(&one, "\n  %s.", d->name);
        for (at = buf_cstr(&all); (at = strstr(at, buf_cstr(&one))) != NULL;
             at++)
            listed++;
        assert_int_equal(listed, n);
    }
    /* a choice on a platform's key is checked (instagram.login) */
    assert_int_equal(config_check("instagram.login", "bogus",
                                  CONFIG_SRC_FLAG, &err), ERR_INVALID);
    assert_non_null(strstr(buf_cstr(&err), "facebook or instagram"));
    buf_free(&all);
    buf_free(&one);
    buf_free(&err);
}

/* Login flavours (oauth_quirks.h): every config key a flavour, its
 * login_key or testing_key names is a key of its own platform, of the
 * right type and set by default; Instagram has exactly facebook (its
 * client keys) and instagram (its own URLs and long-lived token calls),
 * and no other platform has flavours. */
static void test_login_flavours(void **state)
{
    struct config cfg;
    const struct oauth_login *l;

    (void)state;
    config_init(&cfg);
    for (int i = 0; i < PLATFORM_COUNT; i++) {
        const struct platform_oauth *q = platform_get((enum platform)i)->oauth;
        const char *const *keys[5];
        if (q->testing_key != NULL)
            assert_int_equal(config_plat_int(&cfg, (enum platform)i,
                                             q->testing_key), 0);
        if (q->logins == NULL) {
            assert_null(q->login_key);
            assert_null(oauth_login_find(q, "facebook"));
            continue;
        }
        assert_string_equal(config_plat_str(&cfg, (enum platform)i,
                                            q->login_key), "facebook");
        for (l = q->logins; l->name != NULL; l++) {
            keys[0] = &l->auth_url_key;
            keys[1] = &l->token_url_key;
            keys[2] = &l->scopes_key;
            keys[3] = &l->base_key;
            keys[4] = NULL;
            for (int k = 0; keys[k] != NULL; k++)
                if (*keys[k] != NULL)
                    assert_non_null(config_plat_str(&cfg, (enum platform)i,
                                                    *keys[k]));
            assert_ptr_equal(oauth_login_find(q, l->name), l);
        }
    }
    l = oauth_login_find(platform_get(PLATFORM_INSTAGRAM)->oauth, "instagram");
    assert_non_null(l);
    assert_string_equal(l->exchange_grant, "ig_exchange_token");
    assert_string_equal(l->refresh_grant, "ig_refresh_token");
    assert_true(l->code_grant_type);
    l = oauth_login_find(platform_get(PLATFORM_INSTAGRAM)->oauth, "facebook");
    assert_non_null(l);
    assert_null(l->auth_url_key);
    assert_null(l->base_key);
    assert_null(oauth_login_find(platform_get(PLATFORM_INSTAGRAM)->oauth,
                                 "insta"));
    assert_null(oauth_login_find(platform_get(PLATFORM_INSTAGRAM)->oauth,
                                 NULL));
    assert_null(platform_get(PLATFORM_YOUTUBE)->oauth->logins);
    assert_string_equal(platform_get(PLATFORM_YOUTUBE)->oauth->testing_key,
                        "oauth.google_testing");
    config_free(&cfg);
}

/* src/net reads OAuth data only through the lookup given to it. */
static void test_oauth_lookup(void **state)
{
    (void)state;
    for (int i = 0; i < PLATFORM_COUNT; i++)
        assert_ptr_equal(platform_oauth_of((enum platform)i),
                         platform_get((enum platform)i)->oauth);
    assert_null(platform_oauth_of(PLATFORM_COUNT));

    struct config cfg = {0};
    struct oauth *o = NULL, *plain = NULL;
    assert_int_equal(oauth_create(&cfg, NULL, platform_oauth_of, &o), ERR_OK);
    assert_int_equal(oauth_create(&cfg, NULL, NULL, &plain), ERR_OK);
    for (int i = 0; i < PLATFORM_COUNT; i++) {
        enum platform p = (enum platform)i;
        assert_ptr_equal(oauth_quirks(o, p), platform_get(p)->oauth);
        /* without a lookup: the plain authorization-code flow */
        assert_string_equal(oauth_quirks(plain, p)->client_id_param,
                            "client_id");
        assert_false(oauth_quirks(plain, p)->pkce);
        assert_false(oauth_quirks(plain, p)->meta_exchange);
    }
    assert_non_null(oauth_quirks(o, PLATFORM_COUNT)); /* plain, too */
    oauth_destroy(o);
    oauth_destroy(plain);
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
    assert_non_null(platform_get(PLATFORM_INSTAGRAM)->dropped_metrics);
    /* a descriptor's refusable metrics fit the memory's bits */
    for (int p = 0; p < PLATFORM_COUNT; p++) {
        const char *const *m = platform_get((enum platform)p)->dropped_metrics;
        int n = 0;
        while (m != NULL && m[n] != NULL)
            n++;
        assert_true(n <= FETCH_DROP_METRICS);
    }
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
        cmocka_unit_test(test_list_matches_registry),
        cmocka_unit_test(test_kind_and_name_lists),
        cmocka_unit_test(test_config_keys_from_descriptors),
        cmocka_unit_test(test_oauth_lookup),
        cmocka_unit_test(test_login_flavours),
        cmocka_unit_test(test_publishers_from_registry),
        cmocka_unit_test(test_publishers_find),
        cmocka_unit_test(test_oauth_quirks),
        cmocka_unit_test(test_token_rejected),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
