/* core/config (file, environment, flags: precedence and errors) and
 * core/secret (sealing, key files and their permissions). */
#include "testutil.h"

#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/config.h"
#include "core/secret.h"
#include "core/str.h"
#include "http/auth.h"

static char *join(const char *dir, const char *name)
{
    struct buf b;
    buf_init(&b, 4096);
    assert_int_equal(buf_printf(&b, "%s/%s", dir, name), ERR_OK);
    return buf_steal(&b);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static void test_config_defaults(void **state)
{
    struct config cfg;
    struct buf err;
    (void)state;
    buf_init(&err, 512);
    config_init(&cfg);
    assert_string_equal(cfg.plat[PLATFORM_YOUTUBE].token_url,
                        "https://oauth2.googleapis.com/token");
    assert_null(cfg.plat[PLATFORM_TIKTOK].client_id);
    assert_int_equal(cfg.refresh_margin_s, 300);
    assert_int_equal(config_finish(&cfg, "/var/lib/md/x.db", &err), ERR_OK);
    assert_string_equal(cfg.secret_key_file, "/var/lib/md/x.db.key");
    config_free(&cfg);
    buf_free(&err);
}

/* file < environment < flag, key by key. */
static void test_config_precedence(void **state)
{
    char *dir = tu_tmpdir(), *path = join(dir, "md.conf");
    char *sec = join(dir, "tt.secret");
    struct config cfg;
    struct buf err;
    (void)state;

    buf_init(&err, 512);
    write_file(path, "# comment\n"
                     "secret_key_file = /k/file\n"
                     "[youtube]\n"
                     "  client_id = from-file \n"
                     "api_base = http://file\n"
                     "token_url = http://file/token\n"
                     "; another comment\n\n"
                     "[tiktok]\nclient_secret_file = TTSEC\n"
                     "[oauth]\nrefresh_margin = 120\n");
    /* the secret file's path goes through the environment */
    write_file(sec, "tt-secret-value\n");
    setenv("MEDIADASH_TIKTOK_CLIENT_SECRET_FILE", sec, 1);
    setenv("MEDIADASH_YOUTUBE_API_BASE", "http://env", 1);
    setenv("MEDIADASH_YOUTUBE_TOKEN_URL", "http://env/token", 1);
    setenv("MEDIADASH_YOUTUBE_CLIENT_SECRET", "yt-secret", 1);
    config_init(&cfg);
    assert_int_equal(config_load_file(&cfg, path, false, &err), ERR_OK);
    assert_string_equal(cfg.plat[PLATFORM_YOUTUBE].api_base, "http://file");
    assert_int_equal(config_load_env(&cfg, &err), ERR_OK);
    assert_int_equal(config_set_arg(&cfg, "youtube.api_base=http://flag",
                                    &err), ERR_OK);
    assert_int_equal(config_finish(&cfg, "/db", &err), ERR_OK);
    assert_string_equal(cfg.plat[PLATFORM_YOUTUBE].client_id, "from-file");
    assert_string_equal(cfg.plat[PLATFORM_YOUTUBE].token_url,
                        "http://env/token");
    assert_string_equal(cfg.plat[PLATFORM_YOUTUBE].api_base, "http://flag");
    assert_string_equal(cfg.plat[PLATFORM_YOUTUBE].client_secret,
                        "yt-secret");
    assert_string_equal(cfg.plat[PLATFORM_TIKTOK].client_secret,
                        "tt-secret-value");
    assert_string_equal(cfg.secret_key_file, "/k/file");
    assert_int_equal(cfg.refresh_margin_s, 120);
    /* a secret is never a flag, nor a line of the file */
    assert_int_equal(config_set_arg(&cfg, "youtube.client_secret=x", &err),
                     ERR_INVALID);
    assert_non_null(strstr(buf_cstr(&err), "MEDIADASH_YOUTUBE_CLIENT_SECRET"));
    unsetenv("MEDIADASH_TIKTOK_CLIENT_SECRET_FILE");
    unsetenv("MEDIADASH_YOUTUBE_API_BASE");
    unsetenv("MEDIADASH_YOUTUBE_TOKEN_URL");
    unsetenv("MEDIADASH_YOUTUBE_CLIENT_SECRET");
    config_free(&cfg);
    buf_free(&err);
    tu_rmdir(dir);
    free(dir);
    free(path);
    free(sec);
}

static void expect_file_error(const char *dir, const char *text,
                              const char *want)
{
    char *path = join(dir, "bad.conf");
    struct config cfg;
    struct buf err;

    buf_init(&err, 512);
    write_file(path, text);
    config_init(&cfg);
    assert_int_not_equal(config_load_file(&cfg, path, false, &err), ERR_OK);
    if (strstr(buf_cstr(&err), want) == NULL)
        fail_msg("got \"%s\", want \"%s\"", buf_cstr(&err), want);
    config_free(&cfg);
    buf_free(&err);
    free(path);
}

static void test_config_errors(void **state)
{
    char *dir = tu_tmpdir(), *missing = join(dir, "none.conf");
    struct config cfg;
    struct buf err;
    (void)state;

    expect_file_error(dir, "[youtube]\nclient_id = a\nnope = 1\n",
                      "bad.conf:3: unknown key \"youtube.nope\"");
    expect_file_error(dir, "\n\n[youtube\n", "bad.conf:3: expected \"[section]\"");
    expect_file_error(dir, "[tiktok]\njust words\n",
                      "bad.conf:2: expected \"key = value\"");
    expect_file_error(dir, "[youtube]\nclient_secret = s\n",
                      "bad.conf:2: youtube.client_secret is a secret");
    expect_file_error(dir, "[oauth]\nrefresh_margin = soon\n",
                      "bad.conf:2: oauth.refresh_margin: expected an integer");
    expect_file_error(dir, "[oauth]\nrefresh_margin = 999999\n",
                      "bad.conf:2:");
    buf_init(&err, 512);
    config_init(&cfg);
    assert_int_equal(config_load_file(&cfg, missing, true, &err), ERR_OK);
    assert_int_equal(config_load_file(&cfg, missing, false, &err),
                     ERR_NOTFOUND);
    assert_int_equal(config_set_arg(&cfg, "noequals", &err), ERR_INVALID);
    setenv("MEDIADASH_OAUTH_REFRESH_MARGIN", "-5", 1);
    assert_int_equal(config_load_env(&cfg, &err), ERR_INVALID);
    assert_non_null(strstr(buf_cstr(&err), "MEDIADASH_OAUTH_REFRESH_MARGIN"));
    unsetenv("MEDIADASH_OAUTH_REFRESH_MARGIN");
    assert_int_equal(config_set(&cfg, "tiktok.client_secret_file",
                                missing, CONFIG_SRC_FLAG, &err), ERR_OK);
    assert_int_equal(config_finish(&cfg, "/db", &err), ERR_IO);
    assert_non_null(strstr(buf_cstr(&err), "none.conf"));
    config_free(&cfg);
    buf_free(&err);
    tu_rmdir(dir);
    free(dir);
    free(missing);
}

/* ---- secrets --------------------------------------------------------- */

static void test_secret_roundtrip(void **state)
{
    char *dir = tu_tmpdir(), *kp = join(dir, "db.key");
    struct secret_key *k = NULL;
    struct buf a, b, plain, err;
    struct stat sb;
    (void)state;

    assert_true(sodium_init() >= 0);
    buf_init(&a, 4096);
    buf_init(&b, 4096);
    buf_init(&plain, 4096);
    buf_init(&err, 512);
    assert_int_equal(secret_key_load(kp, false, &k, &err), ERR_NOTFOUND);
    assert_int_equal(secret_key_load(kp, true, &k, &err), ERR_OK);
    assert_int_equal(stat(kp, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(sb.st_size, 32);
    assert_int_equal(secret_seal(k, "ya29.token-value", 16, &a), ERR_OK);
    assert_int_equal(secret_seal(k, "ya29.token-value", 16, &b), ERR_OK);
    assert_string_not_equal(buf_cstr(&a), buf_cstr(&b)); /* fresh nonces */
    assert_null(strstr(buf_cstr(&a), "token-value"));
    assert_true(str_has_prefix(buf_cstr(&a), "v1:"));
    assert_int_equal(secret_open(k, buf_cstr(&a), &plain, &err), ERR_OK);
    assert_string_equal(buf_cstr(&plain), "ya29.token-value");
    assert_int_equal(secret_open(k, buf_cstr(&b), &plain, &err), ERR_OK);
    assert_string_equal(buf_cstr(&plain), "ya29.token-value");
    /* tampered: one base64 character changed */
    a.data[a.len - 3] = a.data[a.len - 3] == 'A' ? 'B' : 'A';
    assert_int_equal(secret_open(k, buf_cstr(&a), &plain, &err), ERR_INVALID);
    assert_int_equal(secret_open(k, "v1:!!!", &plain, &err), ERR_PARSE);
    assert_int_equal(secret_open(k, "plain", &plain, &err), ERR_PARSE);
    assert_int_equal(secret_open(k, "v1:AAAA", &plain, &err), ERR_PARSE);
    /* the same key file loads the same key */
    secret_key_destroy(k);
    assert_int_equal(secret_key_load(kp, true, &k, &err), ERR_OK);
    assert_int_equal(secret_open(k, buf_cstr(&b), &plain, &err), ERR_OK);
    assert_string_equal(buf_cstr(&plain), "ya29.token-value");
    secret_key_destroy(k);
    secret_buf_wipe(&plain);
    buf_free(&a);
    buf_free(&b);
    buf_free(&err);
    tu_rmdir(dir);
    free(dir);
    free(kp);
}

static void test_secret_wrong_key(void **state)
{
    char *dir = tu_tmpdir(), *k1p = join(dir, "1.key"), *k2p = join(dir, "2.key");
    struct secret_key *k1 = NULL, *k2 = NULL;
    struct buf sealed, plain, err;
    (void)state;

    buf_init(&sealed, 4096);
    buf_init(&plain, 4096);
    buf_init(&err, 512);
    assert_int_equal(secret_key_load(k1p, true, &k1, &err), ERR_OK);
    assert_int_equal(secret_key_load(k2p, true, &k2, &err), ERR_OK);
    assert_int_equal(secret_seal(k1, "refresh-me", 10, &sealed), ERR_OK);
    assert_int_equal(secret_open(k2, buf_cstr(&sealed), &plain, &err),
                     ERR_INVALID);
    assert_non_null(strstr(buf_cstr(&err), "does not open with this key"));
    assert_null(strstr(buf_cstr(&err), "refresh-me"));
    assert_int_equal(plain.len, 0);
    secret_key_destroy(k1);
    secret_key_destroy(k2);
    buf_free(&sealed);
    buf_free(&plain);
    buf_free(&err);
    tu_rmdir(dir);
    free(dir);
    free(k1p);
    free(k2p);
}

static void test_secret_key_permissions(void **state)
{
    char *dir = tu_tmpdir(), *kp = join(dir, "db.key");
    char *shortp = join(dir, "short.key");
    struct secret_key *k = NULL;
    struct buf err;
    (void)state;

    buf_init(&err, 512);
    assert_int_equal(secret_key_load(kp, true, &k, &err), ERR_OK);
    secret_key_destroy(k);
    k = NULL;
    assert_int_equal(chmod(kp, 0644), 0);
    assert_int_equal(secret_key_load(kp, true, &k, &err), ERR_INVALID);
    assert_null(k);
    assert_non_null(strstr(buf_cstr(&err), kp));
    assert_non_null(strstr(buf_cstr(&err), "chmod 600"));
    assert_int_equal(chmod(kp, 0640), 0);
    assert_int_equal(secret_key_load(kp, false, &k, &err), ERR_INVALID);
    assert_int_equal(chmod(kp, 0600), 0);
    assert_int_equal(secret_key_load(kp, false, &k, &err), ERR_OK);
    secret_key_destroy(k);
    k = NULL;
    if (geteuid() == 0) { /* only root can give a file away */
        assert_int_equal(chown(kp, 65534, 65534), 0);
        assert_int_equal(secret_key_load(kp, false, &k, &err), ERR_INVALID);
        assert_non_null(strstr(buf_cstr(&err), "not owned by this user"));
        assert_int_equal(chown(kp, 0, 0), 0);
    }
    /* a symlink is not followed */
    {
        char *link = join(dir, "link.key");
        assert_int_equal(symlink(kp, link), 0);
        assert_int_not_equal(secret_key_load(link, false, &k, &err), ERR_OK);
        assert_null(k);
        free(link);
    }
    write_file(shortp, "too short");
    assert_int_equal(chmod(shortp, 0600), 0);
    assert_int_equal(secret_key_load(shortp, true, &k, &err), ERR_INVALID);
    assert_non_null(strstr(buf_cstr(&err), "expected 32"));
    assert_int_equal(secret_key_load(dir, false, &k, &err), ERR_INVALID);
    buf_free(&err);
    tu_rmdir(dir);
    free(dir);
    free(kp);
    free(shortp);
}

/* log.level and log.format: unset by default, checked by config_finish. */
static void test_log_keys(void **state)
{
    struct config cfg;
    struct buf err;

    (void)state;
    buf_init(&err, 1024);
    config_init(&cfg);
    assert_null(cfg.log_level);
    assert_null(cfg.log_format);
    assert_int_equal(config_set_arg(&cfg, "log.level=debug", &err), ERR_OK);
    assert_int_equal(config_set_arg(&cfg, "log.format=journal", &err),
                     ERR_OK);
    assert_int_equal(config_finish(&cfg, "/db", &err), ERR_OK);
    assert_string_equal(cfg.log_level, "debug");
    assert_string_equal(cfg.log_format, "journal");
    assert_int_equal(config_set_arg(&cfg, "log.level=loud", &err), ERR_OK);
    assert_int_equal(config_finish(&cfg, "/db", &err), ERR_INVALID);
    assert_non_null(strstr(buf_cstr(&err), "log.level"));
    assert_int_equal(config_set_arg(&cfg, "log.level=info", &err), ERR_OK);
    assert_int_equal(config_set_arg(&cfg, "log.format=xml", &err), ERR_OK);
    assert_int_equal(config_finish(&cfg, "/db", &err), ERR_INVALID);
    assert_non_null(strstr(buf_cstr(&err), "log.format"));
    config_free(&cfg);
    buf_free(&err);
}

static enum err set1(struct config *cfg, const char *key, const char *v,
                     struct buf *err)
{
    return config_set(cfg, key, v, CONFIG_SRC_FLAG, err);
}

/* serve's flags as keys: bounds as the flags had them (the session
 * limits are auth.h's), errors naming the key and what it takes. */
static void test_serve_keys(void **state)
{
    struct config cfg;
    struct buf err;
    (void)state;

    buf_init(&err, 512);
    config_init(&cfg);
    assert_string_equal(cfg.serve_listen, "127.0.0.1:8080");
    assert_int_equal(cfg.serve_threads, 4);
    assert_int_equal(cfg.serve_cache_mb, 16);
    assert_int_equal(cfg.serve_session_idle, AUTH_IDLE_DEFAULT);
    assert_int_equal(cfg.serve_session_max, AUTH_MAX_DEFAULT);
    assert_int_equal(cfg.serve_media_max_mb, 2048);
    assert_int_equal(cfg.serve_collect, 1);
    assert_int_equal(cfg.serve_worker, 1);
    assert_int_equal(set1(&cfg, "serve.threads", "64", &err), ERR_OK);
    assert_int_equal(set1(&cfg, "serve.threads", "65", &err), ERR_INVALID);
    assert_string_equal(buf_cstr(&err), "serve.threads: expected an integer "
                                        "from 1 to 64, got \"65\"");
    assert_int_equal(cfg.serve_threads, 64); /* a refused value changes nothing */
    assert_int_equal(set1(&cfg, "serve.threads", "0", &err), ERR_INVALID);
    assert_int_equal(set1(&cfg, "serve.cache_mb", "0", &err), ERR_OK);
    assert_int_equal(set1(&cfg, "serve.cache_mb", "1025", &err), ERR_INVALID);
    assert_int_equal(set1(&cfg, "serve.session_idle", "31622400", &err),
                     ERR_OK);
    assert_int_equal(31622400, AUTH_TIMEOUT_LIMIT);
    assert_int_equal(set1(&cfg, "serve.session_max", "31622401", &err),
                     ERR_INVALID);
    assert_int_equal(set1(&cfg, "serve.media_max_mb", "65537", &err),
                     ERR_INVALID);
    assert_int_equal(set1(&cfg, "serve.collect", "2", &err), ERR_INVALID);
    assert_int_equal(set1(&cfg, "serve.listen", ":0", &err), ERR_OK);
    assert_int_equal(set1(&cfg, "serve.listen", "9000", &err), ERR_OK);
    assert_int_equal(set1(&cfg, "serve.listen", "[::1]:65535", &err), ERR_OK);
    assert_int_equal(set1(&cfg, "serve.listen", "host:65536", &err),
                     ERR_INVALID);
    assert_string_equal(buf_cstr(&err), "serve.listen: expected HOST:PORT, "
                                        "got \"host:65536\"");
    assert_int_equal(set1(&cfg, "serve.listen", "", &err), ERR_OK);
    assert_null(cfg.serve_listen); /* empty: unset */
    assert_int_equal(set1(&cfg, "instagram.login", "instagram", &err),
                     ERR_OK);
    assert_int_equal(set1(&cfg, "instagram.login", "insta", &err),
                     ERR_INVALID);
    assert_string_equal(buf_cstr(&err), "instagram.login: expected facebook "
                                        "or instagram, got \"insta\"");
    assert_string_equal(config_plat_str(&cfg, PLATFORM_INSTAGRAM,
                                        "instagram.login"),
                        "instagram");
    /* config_check: the same verdict, nothing stored anywhere */
    assert_int_equal(config_check("serve.threads", "8", CONFIG_SRC_FLAG, &err),
                     ERR_OK);
    assert_int_equal(config_check("serve.threads", "99", CONFIG_SRC_FLAG,
                                  &err), ERR_INVALID);
    assert_int_equal(config_check("serve.nope", "1", CONFIG_SRC_FLAG, &err),
                     ERR_INVALID);
    assert_int_equal(config_check("notify.smtp_password", "x",
                                  CONFIG_SRC_FLAG, &err), ERR_INVALID);
    assert_int_equal(config_check("notify.smtp_password", "x",
                                  CONFIG_SRC_ENV, &err), ERR_OK);
    config_free(&cfg);
    buf_free(&err);
}

/* The sample file, commented and uncommented, loads to the defaults; it
 * never holds a secret's line; the man page fragment names every key. */
static void test_config_example(void **state)
{
    char *dir = tu_tmpdir(), *path = join(dir, "example.conf");
    struct buf ex, unc, want, got, err, doc;
    struct config def, cfg;
    (void)state;

    buf_init(&ex, 1 << 20);
    buf_init(&unc, 1 << 20);
    buf_init(&want, 1 << 20);
    buf_init(&got, 1 << 20);
    buf_init(&doc, 1 << 20);
    buf_init(&err, 1024);
    config_example(&ex);
    assert_null(strstr(buf_cstr(&ex), "\n#client_secret ="));
    assert_null(strstr(buf_cstr(&ex), "\n#smtp_password ="));
    assert_null(strstr(buf_cstr(&ex), "\n#webhook_secret ="));
    assert_non_null(strstr(buf_cstr(&ex), "\n#client_secret_file =\n"));
    assert_non_null(strstr(buf_cstr(&ex), "\n[serve]\n"));
    assert_non_null(strstr(buf_cstr(&ex), "\n#threads = 4\n"));
    /* uncomment every "#key =" line */
    for (const char *p = buf_cstr(&ex); *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
        bool key = p[0] == '#' && p[1] >= 'a' && p[1] <= 'z';
        assert_int_equal(buf_append(&unc, p + key, n - key), ERR_OK);
        p += n;
    }
    config_init(&def);
    config_dump(&def, &want);
    write_file(path, buf_cstr(&ex));
    config_init(&cfg);
    assert_int_equal(config_load_file(&cfg, path, false, &err), ERR_OK);
    config_dump(&cfg, &got);
    assert_string_equal(buf_cstr(&got), buf_cstr(&want));
    config_free(&cfg);
    write_file(path, buf_cstr(&unc));
    config_init(&cfg);
    if (config_load_file(&cfg, path, false, &err) != ERR_OK)
        fail_msg("uncommented example: %s", buf_cstr(&err));
    buf_reset(&got);
    config_dump(&cfg, &got);
    assert_string_equal(buf_cstr(&got), buf_cstr(&want));
    config_free(&cfg);
    /* the dump hides secrets; the scdoc names keys escaped */
    assert_non_null(strstr(buf_cstr(&want), "\nnotify.smtp_password = (unset)\n"));
    config_scdoc(&doc);
    assert_non_null(strstr(buf_cstr(&doc), "## [serve]\n"));
    assert_non_null(strstr(buf_cstr(&doc), "*session\\_idle* = _7200_\n"));
    assert_non_null(strstr(buf_cstr(&doc), "## keys outside any section\n"));
    config_free(&def);
    buf_free(&ex);
    buf_free(&unc);
    buf_free(&want);
    buf_free(&got);
    buf_free(&doc);
    buf_free(&err);
    tu_rmdir(dir);
    free(dir);
    free(path);
}

/* A platform's own values: set through their keys (their section and name
 * as before, even when the section is not the platform's), read back by
 * key from the platform's slots, each key its own slot; listed where
 * they always were. */
static void test_plat_values(void **state)
{
    struct config cfg;
    struct buf err, dump;
    const char *d, *quota, *timeout, *testing, *chunk, *media;

    (void)state;
    buf_init(&err, 256);
    buf_init(&dump, 16384);
    config_init(&cfg);
    assert_int_equal(config_plat_int(&cfg, PLATFORM_YOUTUBE,
                                     "collect.youtube_quota"), 10000);
    assert_int_equal(config_plat_int(&cfg, PLATFORM_TIKTOK,
                                     "publish.tiktok_chunk"), 10485760);
    assert_string_equal(config_plat_str(&cfg, PLATFORM_INSTAGRAM,
                                        "instagram.ig_graph_base"),
                        "https://graph.instagram.com");
    assert_int_equal(config_set(&cfg, "collect.youtube_quota", "77",
                                CONFIG_SRC_FLAG, &err), ERR_OK);
    assert_int_equal(config_set(&cfg, "oauth.google_testing", "1",
                                CONFIG_SRC_ENV, &err), ERR_OK);
    assert_int_equal(config_set(&cfg, "instagram.ig_scopes", "a,b",
                                CONFIG_SRC_FILE, &err), ERR_OK);
    assert_int_equal(config_set(&cfg, "publish.tiktok_chunk", "1",
                                CONFIG_SRC_FLAG, &err), ERR_INVALID);
    assert_string_equal(buf_cstr(&err), "publish.tiktok_chunk: expected an "
                        "integer from 5242880 to 67108864, got \"1\"");
    assert_int_equal(config_plat_int(&cfg, PLATFORM_YOUTUBE,
                                     "collect.youtube_quota"), 77);
    assert_int_equal(config_plat_int(&cfg, PLATFORM_YOUTUBE,
                                     "oauth.google_testing"), 1);
    assert_int_equal(config_plat_int(&cfg, PLATFORM_YOUTUBE,
                                     "youtube.upload_chunk"), 8388608);
    assert_string_equal(config_plat_str(&cfg, PLATFORM_INSTAGRAM,
                                        "instagram.ig_scopes"), "a,b");
    assert_string_equal(config_plat_str(&cfg, PLATFORM_INSTAGRAM,
                                        "instagram.ig_auth_url"),
                        "https://www.instagram.com/oauth/authorize");
    /* config show: in front of the core keys they were listed before */
    config_dump(&cfg, &dump);
    d = buf_cstr(&dump);
    testing = strstr(d, "\noauth.google_testing = 1\n");
    quota = strstr(d, "\ncollect.youtube_quota = 77\n");
    timeout = strstr(d, "\ncollect.timeout = ");
    chunk = strstr(d, "\npublish.tiktok_chunk = 10485760\n");
    media = strstr(d, "\nmedia_root = ");
    assert_non_null(strstr(d, "\noauth.renew_before_days = 10\n"
                              "oauth.google_testing = 1\n"
                              "collect.youtube_quota = 77\n"
                              "collect.timeout = 30\n"));
    assert_true(testing && quota && timeout && chunk && media);
    assert_true(testing < quota && quota < timeout && chunk < media);
    assert_non_null(strstr(d, "\npublish.poll_count = 20\n"
                              "publish.tiktok_chunk = 10485760\n"
                              "media_root = \n"));
    config_free(&cfg);
    buf_free(&err);
    buf_free(&dump);
}

/* config show never prints a password a database target holds (a URI's
 * userinfo, its password= parameter, a conninfo's), and keeps the rest. */
static void test_dump_hides_db_password(void **state)
{
    static const char *const cases[][2] = {
        {"postgresql://ann:s3cret@db:5432/md?sslmode=require",
         "postgresql://ann:***@db:5432/md?sslmode=require"},
        {"postgres://ann@db/md?password=s3cret&sslmode=require",
         "postgres://ann@db/md?password=***&sslmode=require"},
        {"host=db password='s 3' dbname=md", "host=db password=*** dbname=md"},
        {"postgresql://a:b:c@h/x", "postgresql://a:***@h/x"},
        {"postgresql://db/md", "postgresql://db/md"},
        {"/var/lib/mediadash/read.db", "/var/lib/mediadash/read.db"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct config cfg;
        struct buf err, dump, want;
        buf_init(&err, 1024);
        buf_init(&dump, BUF_MAX_DEFAULT);
        buf_init(&want, 1024);
        config_init(&cfg);
        assert_int_equal(config_set(&cfg, "serve.db_read", cases[i][0],
                                    CONFIG_SRC_FLAG, &err),
                         ERR_OK);
        config_dump(&cfg, &dump);
        buf_catf(&want, "\nserve.db_read = %s\n", cases[i][1]);
        if (strstr(buf_cstr(&dump), buf_cstr(&want)) == NULL ||
            strstr(buf_cstr(&dump), "s3") != NULL)
            fail_msg("%s: shown as %s", cases[i][0], buf_cstr(&dump));
        config_free(&cfg);
        buf_free(&err);
        buf_free(&dump);
        buf_free(&want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_config_defaults),
        cmocka_unit_test(test_config_precedence),
        cmocka_unit_test(test_config_errors),
        cmocka_unit_test(test_secret_roundtrip),
        cmocka_unit_test(test_secret_wrong_key),
        cmocka_unit_test(test_secret_key_permissions),
        cmocka_unit_test(test_log_keys),
        cmocka_unit_test(test_serve_keys),
        cmocka_unit_test(test_config_example),
        cmocka_unit_test(test_plat_values),
        cmocka_unit_test(test_dump_hides_db_password),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
