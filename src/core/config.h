/* Configuration (STYLE.md 13, DESIGN.md): one table of keys drives the
 * INI-style file, the MEDIADASH_* environment variables and the
 * command-line flags. Callers apply the three in that order, so a later
 * source overrides an earlier one:
 *
 *   config_init(&cfg);
 *   config_load_file(&cfg, path, true, err);   # [section] key = value
 *   config_load_env(&cfg, err);                # MEDIADASH_YOUTUBE_CLIENT_ID
 *   config_set(&cfg, "youtube.api_base", v, CONFIG_SRC_FLAG, err);
 *   config_finish(&cfg, db_path, err);         # secret files, defaults
 *
 * Keys are "section.name" (the file's [youtube] + client_id is
 * "youtube.client_id"; the environment's MEDIADASH_YOUTUBE_CLIENT_ID).
 * Secrets (client_secret) are taken from the environment only, or read
 * from the file named by client_secret_file; never from a flag. The
 * config is immutable once finished. */
#ifndef MEDIADASH_CONFIG_H
#define MEDIADASH_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "model.h"

#define CONFIG_MAX_FILE ((size_t)64 << 10)
#define CONFIG_MAX_VALUE 2048
#define CONFIG_MAX_SECRET 1024

/* One key of the configuration table (config.c): its full name
 * "section.name", type, place in struct config, bounds, default (NULL:
 * unset), flags, help and, for a text key, the values it takes ("a|b",
 * or NULL: free text). A platform declares the keys of its own section
 * as <name>_config_keys in src/platforms/<name>/config.c, ended by a
 * NULL key (its descriptor points at it too); config.c takes them
 * through the platform list, ahead of its own keys, so the file, the
 * environment, --set, --help, the sample file and the man page know them
 * as they know every other key (docs/platforms.md). */
enum config_type { CONFIG_STR, CONFIG_INT };
enum config_flags {
    CONFIG_SECRET = 1, /* environment only, never shown */
    CONFIG_DBURI = 2,  /* a database target: shown without its password */
};

struct config_key {
    const char *key;
    enum config_type type;
    size_t offset;   /* into struct config */
    int64_t lo, hi;  /* CONFIG_INT bounds */
    const char *def; /* default, NULL: unset */
    unsigned flags;
    const char *help;
    const char *choices;
    /* a platform's key in another section than its own
     * ("collect.youtube_quota"): the core key it is listed in front of,
     * so that --help, the sample file, the man page and config show keep
     * their order; NULL: listed with its platform's section */
    const char *before;
};

/* The eight keys every platform with an OAuth client has, in its
 * section `name` (a string literal) and its slot plat[p]; auth_, token_,
 * base_ and scopes_ are the defaults of auth_url, token_url, api_base and
 * scopes. */
#define CONFIG_PF(p, f) offsetof(struct config, plat[p].f)
/* A platform's own values beyond the eight (URLs, sizes, switches): slot
 * i of its text or integer values, which only its key table names; the
 * platform reads them back by key with config_plat_str/config_plat_int.
 * No two keys may share a slot (config.c checks it once). */
#define CONFIG_PLAT_SLOTS 8
#define CONFIG_PS(p, i) offsetof(struct config, plat[p].str[i])
#define CONFIG_PN(p, i) offsetof(struct config, plat[p].num[i])
#define CONFIG_PLATFORM_KEYS(p, name, auth_, token_, base_, scopes_)          \
    {name ".client_id", CONFIG_STR, CONFIG_PF(p, client_id), 0, 0, NULL, 0,   \
     "OAuth client id (TikTok: client key)", NULL, NULL},                     \
    {name ".client_secret", CONFIG_STR, CONFIG_PF(p, client_secret), 0, 0,    \
     NULL, CONFIG_SECRET, "OAuth client secret (environment only)", NULL,   \
     NULL},                                                                   \
    {name ".client_secret_file", CONFIG_STR,                                  \
     CONFIG_PF(p, client_secret_file), 0, 0, NULL, 0,                         \
     "file holding the client secret", NULL, NULL},                           \
    {name ".auth_url", CONFIG_STR, CONFIG_PF(p, auth_url), 0, 0, auth_, 0,    \
     "consent page", NULL, NULL},                                             \
    {name ".token_url", CONFIG_STR, CONFIG_PF(p, token_url), 0, 0, token_, 0, \
     "token endpoint", NULL, NULL},                                           \
    {name ".api_base", CONFIG_STR, CONFIG_PF(p, api_base), 0, 0, base_, 0,    \
     "API base URL", NULL, NULL},                                             \
    {name ".redirect_uri", CONFIG_STR, CONFIG_PF(p, redirect_uri), 0, 0,      \
     "http://127.0.0.1:8765/oauth/callback", 0,                               \
     "where the consent page sends the browser back", NULL, NULL},            \
    {name ".scopes", CONFIG_STR, CONFIG_PF(p, scopes), 0, 0, scopes_, 0,      \
     "scopes asked for", NULL, NULL}

struct config_platform {
    char *client_id;          /* owned; NULL: not set */
    char *client_secret;      /* owned; NULL: not set */
    char *client_secret_file; /* owned; read by config_finish */
    char *auth_url;           /* owned; the consent page */
    char *token_url;          /* owned; the token endpoint */
    char *api_base;           /* owned; e.g. https://youtube.googleapis.com */
    char *redirect_uri;       /* owned; the loopback callback */
    char *scopes;             /* owned; as the platform writes them */
    /* the platform's other values, each named by one key of its table
     * (CONFIG_PS, CONFIG_PN) */
    char *str[CONFIG_PLAT_SLOTS]; /* owned; NULL: unset */
    int64_t num[CONFIG_PLAT_SLOTS];
};

struct config {
    struct config_platform plat[PLATFORM_COUNT];
    char *secret_key_file;     /* owned; "secret_key_file"; default <db>.key */
    int64_t refresh_margin_s;  /* refresh tokens expiring within this */
    int64_t renew_before_days; /* renew Meta long-lived tokens this early */
    /* live collection (src/collect) */
    int64_t collect_timeout_s;     /* one request attempt, start to end */
    int64_t collect_retries;       /* retries of a transient failure */
    /* publishing (src/schedule/publish_*.c) */
    char *publish_public_base_url; /* owned; the dashboard's public https
                                      address, for media links (/m/) */
    int64_t publish_poll_interval_ms; /* between status polls */
    int64_t publish_poll_count;       /* status polls per round */
    /* scheduler: where the dashboard's uploads live and the only
     * directory API-made posts may name files in; default <db>.media */
    char *media_root; /* owned */
    /* publishing (src/schedule): the retry policy */
    int64_t publish_retry_base_s; /* first retry after this, doubling */
    /* 1: Compose offers the dryrun test publisher (the API, CLI and
     * worker take it either way) */
    int64_t compose_dryrun;
    /* serve: 1 = as --secure-cookies (behind a TLS proxy) */
    int64_t serve_secure_cookies;
    /* serve: what were its flags (--listen, --threads, ...); the flags
     * remain, as shortcuts for these keys (docs/configuration-serve.md) */
    char *serve_listen;          /* owned; HOST:PORT, ":PORT" or "PORT" */
    char *serve_db_read;         /* owned; --db-read, or NULL */
    int64_t serve_threads;       /* HTTP worker threads */
    int64_t serve_cache_mb;      /* read-API answer cache; 0: off */
    int64_t serve_session_idle;  /* s, a session ends unused this long */
    int64_t serve_session_max;   /* s, and this long after login */
    int64_t serve_media_max_mb;  /* largest POST /api/v1/media upload */
    int64_t serve_collect;       /* 0: as --no-collect */
    int64_t serve_worker;        /* 0: as --no-worker */
    /* serve: entries of the login throttle (auth.h) */
    int64_t serve_login_throttle_slots;
    /* serve: the only Host/Origin taken, e.g. https://dash.example.com
     * (an https one implies secure cookies); and the proxies whose
     * Forwarded / X-Forwarded-For name the client (addresses, CIDRs) */
    char *serve_public_origin;   /* owned; NULL: unset */
    char *serve_trusted_proxies; /* owned; NULL: none */
    /* serve: connections (src/http/conn.h), README "Slow clients" */
    int64_t serve_header_timeout;            /* s, headers within */
    int64_t serve_body_min_rate;             /* bytes/s after 5 s */
    int64_t serve_max_header_connections;    /* still sending headers */
    int64_t serve_per_ip_header_connections; /* of one address */
    int64_t serve_per_ip_connections;        /* of one address, any state */
    int64_t serve_max_connections;           /* all */
    /* serve: GET /metrics (docs/metrics.md) */
    int64_t serve_metrics;        /* 1: on */
    char *serve_metrics_allow;    /* owned; NULL: any address */
    /* a group that shares the database files (0660), or NULL (0600) */
    char *db_group; /* owned */
    /* logging (core/log.h): "error".."debug" and "auto", "logfmt"
     * ("plain"), "json" or "journal"; NULL: the default (warning, auto). Checked by
     * config_finish; --log-level and -v/-q win over log.level. */
    char *log_level;  /* owned */
    char *log_format; /* owned */
    /* serve.access_log: NULL or "" off, "-" the log's stream, else a
     * file (http/access.h). Owned. */
    char *serve_access_log;
    /* notifications (src/notify): a webhook and/or mail over SMTP; each
     * channel is off while its URL is unset. Secrets: environment or the
     * *_file keys (read by config_finish). */
    char *notify_webhook_url;         /* owned; http(s):// */
    char *notify_webhook_secret;      /* owned; HMAC-SHA256 key */
    char *notify_webhook_secret_file; /* owned */
    char *notify_smtp_url;            /* owned; smtp:// or smtps:// */
    char *notify_smtp_from;           /* owned; sender address */
    char *notify_smtp_to;             /* owned; comma-separated */
    char *notify_smtp_user;           /* owned; NULL: no login */
    char *notify_smtp_password;       /* owned */
    char *notify_smtp_password_file;  /* owned */
    char *notify_smtp_cafile;         /* owned; NULL: the system's CAs */
    int64_t notify_smtp_starttls;     /* 0 never, 1 if offered, 2 must */
    int64_t notify_retry_base_s;      /* first retry, doubling */
    int64_t notify_max_attempts;      /* per event and channel */
    int64_t notify_timeout_s;         /* one delivery attempt */
};

enum config_src { CONFIG_SRC_FILE, CONFIG_SRC_ENV, CONFIG_SRC_FLAG };

/* Every key at its default. */
void config_init(struct config *cfg);
void config_free(struct config *cfg); /* NULL is a no-op */

/* Set key to value (copied) from src. ERR_INVALID with err naming the key
 * for an unknown key, a value out of bounds, or a secret given as a flag. */
enum err config_set(struct config *cfg, const char *key, const char *value,
                    enum config_src src, struct buf *err) WARN_UNUSED;
/* Same for "key=value" (the --set flag). */
enum err config_set_arg(struct config *cfg, const char *arg, struct buf *err)
    WARN_UNUSED;
/* Read an INI file: "[section]" lines, "key = value" lines, '#' or ';'
 * comments, blank lines. Errors name the file and the line ("FILE:3:
 * unknown key \"youtube.nope\""). A missing file is ERR_NOTFOUND, or
 * ERR_OK when optional. */
enum err config_load_file(struct config *cfg, const char *path,
                          bool optional, struct buf *err) WARN_UNUSED;
/* Apply every MEDIADASH_<SECTION>_<NAME> variable that is set. */
enum err config_load_env(struct config *cfg, struct buf *err) WARN_UNUSED;
/* Read the client_secret_file of each platform whose client_secret is not
 * set (trailing newline dropped), and default secret_key_file to
 * "<db_path>.key" and media_root to "<db_path>.media". db_path is the
 * database file, or NULL when the database is not a file (a PostgreSQL
 * URI): both must then be set. ERR_IO naming the file when it cannot be
 * read. */
enum err config_finish(struct config *cfg, const char *db_path,
                       struct buf *err) WARN_UNUSED;

/* Check that value is one key may take from src, storing nothing: the
 * same errors as config_set (for flags that are shortcuts of keys). */
enum err config_check(const char *key, const char *value,
                      enum config_src src, struct buf *err) WARN_UNUSED;

/* Print the keys, their environment names and defaults (for --help). */
void config_describe(struct buf *out);
/* The same for the keys "<section>.*" only; nothing when there are none. */
void config_describe_section(const char *section, struct buf *out);
/* The sample file (dist/mediadash.conf.example): every key but the
 * secrets (their *_file keys are there) with its help, bounds,
 * environment name and default, each "key = default" line commented out
 * so that the file as shipped changes nothing. */
void config_example(struct buf *out);
/* The key list of mediadash.conf(5), in scdoc (man/mediadash.conf.5.scd). */
void config_scdoc(struct buf *out);
/* Every key and its value, one "key = value" line each, in table order;
 * secrets as "(set)" or "(unset)", never their value. Unset: empty. */
void config_dump(const struct config *cfg, struct buf *out);

/* The value of key (its full name, "section.name") that platform p
 * declares in its key table (<name>_config_keys), a text key for _str
 * (NULL: unset), an integer key for _int. A key p does not declare, or
 * of the other type, is a bug: the process aborts. */
const char *config_plat_str(const struct config *cfg, enum platform p,
                            const char *key);
int64_t config_plat_int(const struct config *cfg, enum platform p,
                        const char *key);

#endif
