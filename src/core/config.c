#include "config.h"

#include <ctype.h>
#include <pthread.h>
#include <errno.h>
#include <sys/stat.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "log.h"
#include "str.h"

/* The keys of the table outside the platforms' own sections (those come
 * from the platforms: config_key in config.h). */
static const struct config_key opts[] = {
    {"secret_key_file", CONFIG_STR, offsetof(struct config, secret_key_file), 0,
     0, NULL, 0, "key file for secrets at rest (default: <db>.key)", NULL, NULL},
    {"oauth.refresh_margin", CONFIG_INT,
     offsetof(struct config, refresh_margin_s), 0, 86400, "300", 0,
     "refresh access tokens expiring within this many seconds", NULL, NULL},
    {"oauth.renew_before_days", CONFIG_INT,
     offsetof(struct config, renew_before_days), 1, 59, "10", 0,
     "renew Instagram's 60-day tokens when fewer than this many days are "
     "left (whatever the collection rounds' timing)", NULL, NULL},
    {"collect.timeout", CONFIG_INT, offsetof(struct config, collect_timeout_s),
     1, 600, "30", 0, "seconds one collector request may take", NULL, NULL},
    {"collect.retries", CONFIG_INT, offsetof(struct config, collect_retries), 0,
     10, "3", 0, "retries of a timed out or failed collector request", NULL, NULL},
    {"publish.public_base_url", CONFIG_STR,
     offsetof(struct config, publish_public_base_url), 0, 0, NULL, 0,
     "public https address of this dashboard: Instagram fetches scheduled "
     "media from <url>/m/<token>", NULL, NULL},
    {"publish.poll_interval_ms", CONFIG_INT,
     offsetof(struct config, publish_poll_interval_ms), 0, 60000, "3000", 0,
     "milliseconds between status polls of an upload (Instagram container, "
     "TikTok publish)", NULL, NULL},
    {"publish.poll_count", CONFIG_INT,
     offsetof(struct config, publish_poll_count), 1, 1000, "20", 0,
     "status polls per worker round before the post waits for the next "
     "round", NULL, NULL},
    {"media_root", CONFIG_STR, offsetof(struct config, media_root), 0, 0, NULL,
     0, "directory of uploaded media; posts made in the dashboard may name "
        "files only there (default: <db>.media)", NULL, NULL},
    /* ---- publishing (src/schedule: worker, publish_youtube) ---- */
    {"publish.retry_base_s", CONFIG_INT,
     offsetof(struct config, publish_retry_base_s), 1, 3600, "30", 0,
     "seconds before the first retry of a refused publish (doubling)", NULL, NULL},
    {"compose.dryrun", CONFIG_INT, offsetof(struct config, compose_dryrun), 0,
     1, "0", 0,
     "1: Compose offers the dryrun test publisher (it publishes nowhere); "
     "the API, the CLI and the worker take it either way", NULL, NULL},
    {"db.group", CONFIG_STR, offsetof(struct config, db_group), 0, 0, NULL, 0,
     "a group that may read and write the database: its files become that "
     "group's, mode 0660 (default: none, mode 0600)", NULL, NULL},
    {"serve.secure_cookies", CONFIG_INT,
     offsetof(struct config, serve_secure_cookies), 0, 1, "0", 0,
     "1: serve is behind a TLS proxy (as --secure-cookies): the session "
     "cookie is __Host- and Secure, requests must come from https://", NULL, NULL},
    /* ---- serve's flags, as keys (the flags set these) ---- */
    {"serve.listen", CONFIG_STR, offsetof(struct config, serve_listen), 0, 0,
     "127.0.0.1:8080", 0,
     "address to listen on, HOST:PORT (--listen; port 0 picks a free one, "
     "printed on stderr)", NULL, NULL},
    {"serve.db_read", CONFIG_STR, offsetof(struct config, serve_db_read), 0,
     0, NULL, CONFIG_DBURI,
     "database the dashboard's read routes read (--db-read): a read "
     "replica of --db, or a copy; logins, sessions and every write stay "
     "on --db (default: --db; a password belongs in ~/.pgpass, not here)",
     NULL, NULL},
    {"serve.threads", CONFIG_INT, offsetof(struct config, serve_threads), 1,
     64, "4", 0, "HTTP worker threads (--threads)", NULL, NULL},
    {"serve.cache_mb", CONFIG_INT, offsetof(struct config, serve_cache_mb), 0,
     1024, "16", 0,
     "MiB of memory for whole answers of the read API, reused until the "
     "next import, collection, rollup rebuild or midnight; 0: no cache "
     "(--cache-mb)", NULL, NULL},
    {"serve.session_idle", CONFIG_INT,
     offsetof(struct config, serve_session_idle), 1, 31622400, "7200", 0,
     "seconds after which an unused login session ends (--session-idle)", NULL, NULL},
    {"serve.session_max", CONFIG_INT,
     offsetof(struct config, serve_session_max), 1, 31622400, "604800", 0,
     "seconds after the login at which a session ends anyway "
     "(--session-max)", NULL, NULL},
    {"serve.media_max_mb", CONFIG_INT,
     offsetof(struct config, serve_media_max_mb), 1, 65536, "2048", 0,
     "MiB of the largest media upload (POST /api/v1/media), streamed to "
     "media_root (--media-max-mb)", NULL, NULL},
    {"serve.collect", CONFIG_INT, offsetof(struct config, serve_collect), 0, 1,
     "1", 0,
     "1: serve runs the collector's due jobs continuously; 0: collect with "
     "'mediadash collect' instead (--no-collect)", NULL, NULL},
    {"serve.worker", CONFIG_INT, offsetof(struct config, serve_worker), 0, 1,
     "1", 0,
     "1: serve publishes scheduled posts when due; 0: run 'mediadash "
     "worker' instead (--no-worker)", NULL, NULL},
    {"serve.login_throttle_slots", CONFIG_INT,
     offsetof(struct config, serve_login_throttle_slots), 8, 4096, "4096",
     0, "names and addresses the login throttle keeps (locked ones are "
        "never evicted; full of them, new ones are refused)", NULL, NULL},
    {"serve.public_origin", CONFIG_STR,
     offsetof(struct config, serve_public_origin), 0, 0, NULL, 0,
     "the address clients use, e.g. https://dash.example.com: the only "
     "Host (and Origin) serve takes; https:// implies secure cookies. "
     "Unset: Host must be a loopback name or the listen address", NULL, NULL},
    {"serve.trusted_proxies", CONFIG_STR,
     offsetof(struct config, serve_trusted_proxies), 0, 0, NULL, 0,
     "comma-separated addresses or CIDRs of reverse proxies: for them the "
     "client address comes from Forwarded: for= or X-Forwarded-For", NULL, NULL},
    {"serve.header_timeout", CONFIG_INT,
     offsetof(struct config, serve_header_timeout), 1, 3600, "10", 0,
     "seconds a request's headers may take from the connection's start "
     "or the previous request's end", NULL, NULL},
    {"serve.body_min_rate", CONFIG_INT,
     offsetof(struct config, serve_body_min_rate), 1, 1073741824, "1024", 0,
     "bytes/s a request body must arrive at, after 5 s", NULL, NULL},
    {"serve.max_header_connections", CONFIG_INT,
     offsetof(struct config, serve_max_header_connections), 1, 65536, "64",
     0, "connections still sending headers; over it the oldest is closed", NULL, NULL},
    {"serve.per_ip_header_connections", CONFIG_INT,
     offsetof(struct config, serve_per_ip_header_connections), 1, 65536,
     "8", 0, "of one address; over it its oldest is closed", NULL, NULL},
    {"serve.per_ip_connections", CONFIG_INT,
     offsetof(struct config, serve_per_ip_connections), 1, 65536, "32", 0,
     "connections of one address (trusted proxies exempt)", NULL, NULL},
    {"serve.max_connections", CONFIG_INT,
     offsetof(struct config, serve_max_connections), 16, 65536, "1024", 0,
     "connections in all (keep below the open-file limit)", NULL, NULL},
    {"serve.metrics", CONFIG_INT, offsetof(struct config, serve_metrics), 0,
     1, "0", 0, "1: serve GET /metrics (Prometheus text format) to a "
                "session or API token; 0: it is a 404", NULL, NULL},
    {"serve.metrics_allow", CONFIG_STR,
     offsetof(struct config, serve_metrics_allow), 0, 0, NULL, 0,
     "comma-separated addresses or CIDRs that may scrape /metrics (others "
     "get 403 even with a token; unset: any)", NULL, NULL},
    {"log.level", CONFIG_STR, offsetof(struct config, log_level), 0, 0, NULL, 0,
     "messages logged: error, warning (the default), info or debug "
     "(--log-level, -v and -q win)", NULL, NULL},
    {"log.format", CONFIG_STR, offsetof(struct config, log_format), 0, 0, NULL,
     0, "log lines: auto (journal when $JOURNAL_STREAM is set, else logfmt; "
        "the default), logfmt (ts=... level=... module=... msg=...; "
        "plain is its older name), json (one object per line) or journal "
        "(<N> priority prefix, logfmt body)", NULL, NULL},
    {"serve.access_log", CONFIG_STR, offsetof(struct config, serve_access_log),
     0, 0, NULL, 0,
     "one line per finished request: unset or empty off (the default), "
     "- the log's own stream, else a file (appended to, 0640; opened again "
     "on SIGHUP for logrotate)", NULL, NULL},
    /* ---- notifications (src/notify) ---- */
    {"notify.webhook_url", CONFIG_STR,
     offsetof(struct config, notify_webhook_url), 0, 0, NULL, 0,
     "http(s) URL that receives each notification as a JSON POST (unset: "
     "no webhook)", NULL, NULL},
    {"notify.webhook_secret", CONFIG_STR,
     offsetof(struct config, notify_webhook_secret), 0, 0, NULL, CONFIG_SECRET,
     "key of the X-Mediadash-Signature HMAC-SHA256 (environment only)", NULL, NULL},
    {"notify.webhook_secret_file", CONFIG_STR,
     offsetof(struct config, notify_webhook_secret_file), 0, 0, NULL, 0,
     "file holding notify.webhook_secret", NULL, NULL},
    {"notify.smtp_url", CONFIG_STR, offsetof(struct config, notify_smtp_url), 0,
     0, NULL, 0, "mail server, smtp://host:587 (STARTTLS) or "
                 "smtps://host:465 (unset: no mail)", NULL, NULL},
    {"notify.smtp_from", CONFIG_STR, offsetof(struct config, notify_smtp_from),
     0, 0, NULL, 0, "sender address of notification mail", NULL, NULL},
    {"notify.smtp_to", CONFIG_STR, offsetof(struct config, notify_smtp_to), 0,
     0, NULL, 0, "recipients of notification mail, comma-separated", NULL, NULL},
    {"notify.smtp_user", CONFIG_STR, offsetof(struct config, notify_smtp_user),
     0, 0, NULL, 0, "SMTP login name (unset: no login)", NULL, NULL},
    {"notify.smtp_password", CONFIG_STR,
     offsetof(struct config, notify_smtp_password), 0, 0, NULL, CONFIG_SECRET,
     "SMTP password (environment only)", NULL, NULL},
    {"notify.smtp_password_file", CONFIG_STR,
     offsetof(struct config, notify_smtp_password_file), 0, 0, NULL, 0,
     "file holding notify.smtp_password", NULL, NULL},
    {"notify.smtp_cafile", CONFIG_STR,
     offsetof(struct config, notify_smtp_cafile), 0, 0, NULL, 0,
     "CA certificates (PEM) the mail server's certificate is checked "
     "against (default: the system's)", NULL, NULL},
    {"notify.smtp_starttls", CONFIG_INT,
     offsetof(struct config, notify_smtp_starttls), 0, 2, "2", 0,
     "smtp:// only: 2 STARTTLS required, 1 used when offered, 0 never "
     "(plain text: for a server on this machine)", NULL, NULL},
    {"notify.retry_base_s", CONFIG_INT,
     offsetof(struct config, notify_retry_base_s), 1, 86400, "30", 0,
     "seconds before the first retry of a failed delivery (doubling, "
     "at most 6 h)", NULL, NULL},
    {"notify.max_attempts", CONFIG_INT,
     offsetof(struct config, notify_max_attempts), 1, 50, "8", 0,
     "delivery attempts per notification and channel", NULL, NULL},
    {"notify.timeout", CONFIG_INT, offsetof(struct config, notify_timeout_s), 1,
     300, "20", 0, "seconds one delivery attempt may take", NULL, NULL},
};
#define N_CORE (sizeof(opts) / sizeof(opts[0]))

/* Each registered platform's own keys (<name>_config_keys, config.h),
 * in list order, ended by a NULL key. */
#define PLATFORM_ITEM(id, name, short_name, prefix)                        \
    extern const struct config_key name##_config_keys[];
#include "platforms/list.h"
#undef PLATFORM_ITEM

static const struct config_key *const plat_keys[] = {
#define PLATFORM_ITEM(id, name, short_name, prefix) name##_config_keys,
#include "platforms/list.h"
#undef PLATFORM_ITEM
};

/* The one table: the platforms' keys of their own sections, then opts[]
 * with each platform key that names a `before` in front of that key;
 * built once. */
#define ALL_MAX 512
static const struct config_key *all_keys[ALL_MAX];
static size_t n_all;
static pthread_once_t all_once = PTHREAD_ONCE_INIT;

#define N_PLAT (sizeof(plat_keys) / sizeof(plat_keys[0]))

static void all_add(const struct config_key *k, size_t *n)
{
    if (*n == ALL_MAX)
        abort(); /* raise ALL_MAX: a key would be lost */
    all_keys[(*n)++] = k;
}

/* Add the platform keys listed in front of core key `anchor`. */
static size_t all_add_before(const char *anchor, size_t *n)
{
    size_t added = 0;

    for (size_t p = 0; p < N_PLAT; p++)
        for (const struct config_key *k = plat_keys[p]; k->key; k++)
            if (k->before != NULL && strcmp(k->before, anchor) == 0) {
                all_add(k, n);
                added++;
            }
    return added;
}

/* Abort when two keys share a place in struct config, or a `before`
 * names no core key: both are bugs of a key table. */
static void all_check(size_t n, size_t placed)
{
    size_t before = 0;

    for (size_t p = 0; p < N_PLAT; p++)
        for (const struct config_key *k = plat_keys[p]; k->key; k++)
            before += k->before != NULL;
    if (before != placed)
        abort();
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (all_keys[i]->offset == all_keys[j]->offset)
                abort();
}

static void all_build(void)
{
    size_t n = 0, placed = 0;

    for (size_t p = 0; p < N_PLAT; p++)
        for (const struct config_key *k = plat_keys[p]; k->key; k++)
            if (k->before == NULL)
                all_add(k, &n);
    for (size_t i = 0; i < N_CORE; i++) {
        placed += all_add_before(opts[i].key, &n);
        all_add(&opts[i], &n);
    }
    all_check(n, placed);
    n_all = n;
}

static size_t opts_n(void)
{
    pthread_once(&all_once, all_build);
    return n_all;
}

/* Key i (< opts_n()) of the one table. */
static const struct config_key *opt_at(size_t i)
{
    return all_keys[i];
}

static const struct config_key *opt_find(const char *key)
{
    for (size_t i = 0; i < opts_n(); i++)
        if (strcmp(opt_at(i)->key, key) == 0)
            return opt_at(i);
    return NULL;
}

/* Keys whose text values are checked beyond their length: either one of
 * a list of choices ("a|b"), or by a function; what they expect is part of
 * the key's help (--help, the sample file, mediadash.conf(5)). An empty
 * value is always taken: it unsets the key. */
struct opt_rule {
    const char *key;
    const char *choices;            /* "a|b|c", or NULL */
    bool (*valid)(const char *v);   /* or this */
    const char *expect;             /* for the function: "HOST:PORT" */
};

/* "HOST:PORT", ":PORT" or "PORT", the port 0 to 65535 (cmd_serve.c
 * splits it). */
static bool valid_listen(const char *v)
{
    const char *colon = strrchr(v, ':');
    int64_t port;

    return parse_i64(colon ? colon + 1 : v, 0, 65535, &port) == ERR_OK;
}

static const struct opt_rule rules[] = {
    {"serve.listen", NULL, valid_listen, "HOST:PORT"},
};

static const struct opt_rule *rule_find(const char *key)
{
    for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
        if (strcmp(rules[i].key, key) == 0)
            return &rules[i];
    return NULL;
}

/* Whether value is one of choices ("a|b|c"). */
static bool choice_ok(const char *choices, const char *value)
{
    size_t n = strlen(value);

    for (const char *c = choices; *c;) {
        const char *bar = strchr(c, '|');
        size_t len = bar ? (size_t)(bar - c) : strlen(c);
        if (len == n && strncmp(c, value, n) == 0)
            return true;
        c += len + (bar ? 1 : 0);
    }
    return false;
}

/* What o takes, for errors and help: "1 to 64", "facebook or instagram",
 * "HOST:PORT"; empty for free text. */
static void opt_bounds(const struct config_key *o, struct buf *out)
{
    const struct opt_rule *r = rule_find(o->key);
    const char *choices = o->choices ? o->choices : r ? r->choices : NULL;

    buf_reset(out);
    if (o->type == CONFIG_INT) {
        buf_catf(out, "%lld to %lld", (long long)o->lo, (long long)o->hi);
    } else if (choices != NULL) {
        for (const char *c = choices; *c; c++) {
            if (*c != '|')
                buf_catf(out, "%c", *c);
            else
                buf_catf(out, strchr(c + 1, '|') ? ", " : " or ");
        }
    } else if (r != NULL) {
        buf_catf(out, "%s", r->expect);
    }
}

/* Check value for o without storing it; *v gets an integer's value. */
static enum err opt_check(const struct config_key *o, const char *value,
                          int64_t *v, struct buf *err)
{
    const struct opt_rule *r = rule_find(o->key);
    bool ok = true;
    struct buf want;

    if (strlen(value) > CONFIG_MAX_VALUE) {
        buf_setf(err, "%s: value longer than %d bytes", o->key,
                 CONFIG_MAX_VALUE);
        return ERR_INVALID;
    }
    if (o->type == CONFIG_INT)
        ok = parse_i64(value, o->lo, o->hi, v) == ERR_OK;
    else if (o->choices != NULL && *value != '\0')
        ok = choice_ok(o->choices, value);
    else if (r != NULL && *value != '\0')
        ok = r->choices ? choice_ok(r->choices, value) : r->valid(value);
    if (ok)
        return ERR_OK;
    buf_init(&want, 1024);
    opt_bounds(o, &want);
    buf_setf(err, "%s: expected %s%s, got \"%s\"", o->key,
             o->type == CONFIG_INT ? "an integer from " : "",
             buf_cstr(&want), value);
    buf_free(&want);
    return ERR_INVALID;
}

static char **str_at(struct config *cfg, const struct config_key *o)
{
    return (char **)(void *)((char *)cfg + o->offset);
}

static int64_t *int_at(struct config *cfg, const struct config_key *o)
{
    return (int64_t *)(void *)((char *)cfg + o->offset);
}

static enum err opt_apply(struct config *cfg, const struct config_key *o,
                          const char *value, struct buf *err)
{
    int64_t v = 0;
    enum err rc = opt_check(o, value, &v, err);

    if (rc != ERR_OK)
        return rc;
    if (o->type == CONFIG_INT) {
        *int_at(cfg, o) = v;
        return ERR_OK;
    }
    free(*str_at(cfg, o));
    *str_at(cfg, o) = *value ? xstrdup(value) : NULL;
    return ERR_OK;
}

void config_init(struct config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    for (size_t i = 0; i < opts_n(); i++) {
        if (opt_at(i)->def != NULL &&
            opt_apply(cfg, opt_at(i), opt_at(i)->def, NULL) != ERR_OK)
            abort(); /* a bad default is a bug */
    }
}

void config_free(struct config *cfg)
{
    if (cfg == NULL)
        return;
    for (size_t i = 0; i < opts_n(); i++) {
        if (opt_at(i)->type != CONFIG_STR)
            continue;
        char **p = str_at(cfg, opt_at(i));
        if (opt_at(i)->flags & CONFIG_SECRET && *p != NULL)
            memset(*p, 0, strlen(*p));
        FREE_AND_NULL(*p);
    }
}

static void env_name(const char *key, struct buf *out)
{
    buf_reset(out);
    buf_catf(out, "MEDIADASH_");
    for (const char *p = key; *p; p++)
        buf_catf(out, "%c", *p == '.' ? '_' : toupper((unsigned char)*p));
}

enum err config_set(struct config *cfg, const char *key, const char *value,
                    enum config_src src, struct buf *err)
{
    const struct config_key *o = opt_find(key);

    if (o == NULL) {
        buf_setf(err, "unknown key \"%s\"", key);
        return ERR_INVALID;
    }
    if ((o->flags & CONFIG_SECRET) && src != CONFIG_SRC_ENV) {
        struct buf name;
        buf_init(&name, 128);
        env_name(key, &name);
        buf_setf(err, "%s is a secret: set it in the environment (%s) or "
                 "name a file holding it with %s_file", key,
                 buf_cstr(&name), key);
        buf_free(&name);
        return ERR_INVALID;
    }
    return opt_apply(cfg, o, value, err);
}

enum err config_set_arg(struct config *cfg, const char *arg, struct buf *err)
{
    const char *eq = strchr(arg, '=');
    char *key;
    enum err rc;

    if (eq == NULL || eq == arg) {
        buf_setf(err, "expected KEY=VALUE, got \"%s\"", arg);
        return ERR_INVALID;
    }
    key = xstrndup(arg, (size_t)(eq - arg));
    rc = config_set(cfg, key, eq + 1, CONFIG_SRC_FLAG, err);
    free(key);
    return rc;
}

/* ---- the file --------------------------------------------------------- */

static char *trim(char *s)
{
    char *e;
    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        *--e = '\0';
    return s;
}

/* One line of the file; *section is the current [section] (owned). */
static enum err parse_line(struct config *cfg, char *line, char **section,
                           struct buf *err)
{
    char *s = trim(line), *eq, *key, *val;
    struct buf full;
    enum err rc;

    if (*s == '\0' || *s == '#' || *s == ';')
        return ERR_OK;
    if (*s == '[') {
        size_t n = strlen(s);
        if (n < 3 || s[n - 1] != ']') {
            buf_setf(err, "expected \"[section]\"");
            return ERR_PARSE;
        }
        s[n - 1] = '\0';
        free(*section);
        *section = xstrdup(trim(s + 1));
        return ERR_OK;
    }
    eq = strchr(s, '=');
    if (eq == NULL) {
        buf_setf(err, "expected \"key = value\"");
        return ERR_PARSE;
    }
    *eq = '\0';
    key = trim(s);
    val = trim(eq + 1);
    buf_init(&full, 256);
    rc = buf_printf(&full, "%s%s%s", *section ? *section : "",
                    *section ? "." : "", key);
    if (rc == ERR_OK)
        rc = config_set(cfg, buf_cstr(&full), val, CONFIG_SRC_FILE, err);
    else
        buf_setf(err, "key too long");
    buf_free(&full);
    return rc;
}

enum err config_load_file(struct config *cfg, const char *path,
                          bool optional, struct buf *err)
{
    struct buf text, why, msg;
    char *section = NULL, *line, *next;
    unsigned lineno = 0;
    struct stat sb;
    enum err rc;

    buf_init(&text, CONFIG_MAX_FILE);
    buf_init(&why, 512);
    buf_init(&msg, 1024);
    if (stat(path, &sb) != 0 && errno == ENOENT) {
        rc = optional ? ERR_OK : ERR_NOTFOUND;
        if (!optional)
            buf_setf(err, "%s: no such file", path);
        goto out;
    }
    rc = buf_read_file(&text, path, &why);
    if (rc != ERR_OK) {
        if (rc == ERR_TOOBIG)
            buf_setf(err, "%s: larger than %zu bytes", path, CONFIG_MAX_FILE);
        else
            buf_setf(err, "%s: %s", path, buf_cstr(&why));
        goto out;
    }
    if (memchr(text.data ? text.data : "", '\0', text.len) != NULL) {
        buf_setf(err, "%s: not a text file (NUL byte)", path);
        rc = ERR_PARSE;
        goto out;
    }
    for (line = text.data; line != NULL && rc == ERR_OK; line = next) {
        next = strchr(line, '\n');
        if (next != NULL)
            *next++ = '\0';
        lineno++;
        rc = parse_line(cfg, line, &section, &msg);
        if (rc != ERR_OK)
            buf_setf(err, "%s:%u: %s", path, lineno, buf_cstr(&msg));
    }
out:
    free(section);
    buf_free(&text);
    buf_free(&why);
    buf_free(&msg);
    return rc;
}

/* ---- environment and finishing ----------------------------------------- */

enum err config_load_env(struct config *cfg, struct buf *err)
{
    struct buf name;
    enum err rc = ERR_OK;

    buf_init(&name, 128);
    for (size_t i = 0; i < opts_n() && rc == ERR_OK; i++) {
        env_name(opt_at(i)->key, &name);
        const char *v = getenv(buf_cstr(&name));
        if (v == NULL)
            continue;
        rc = config_set(cfg, opt_at(i)->key, v, CONFIG_SRC_ENV, err);
        if (rc != ERR_OK)
            buf_catf(err, " (from %s)", buf_cstr(&name));
    }
    buf_free(&name);
    return rc;
}

static enum err read_secret_file(const char *path, char **out,
                                 struct buf *err)
{
    struct buf b, why;
    enum err rc;

    buf_init(&b, CONFIG_MAX_SECRET);
    buf_init(&why, 256);
    rc = buf_read_file(&b, path, &why);
    if (rc != ERR_OK) {
        buf_setf(err, "secret file %s: %s", path,
                 rc == ERR_TOOBIG ? "too large" : buf_cstr(&why));
        goto out;
    }
    while (b.len > 0 && (b.data[b.len - 1] == '\n' || b.data[b.len - 1] == '\r'))
        b.data[--b.len] = '\0';
    if (b.len == 0 || strlen(b.data) != b.len) {
        buf_setf(err, "secret file %s: empty or binary", path);
        rc = ERR_INVALID;
        goto out;
    }
    *out = buf_steal(&b);
out:
    if (b.data != NULL)
        memset(b.data, 0, b.cap);
    buf_free(&b);
    buf_free(&why);
    return rc;
}

/* log.level and log.format name a level and a format of core/log.h. */
static enum err check_log(const struct config *cfg, struct buf *err)
{
    enum log_level lvl;
    enum log_format fmt;

    if (cfg->log_level != NULL &&
        log_level_parse(cfg->log_level, &lvl) != ERR_OK) {
        buf_setf(err, "log.level: expected error, warning, info or debug, "
                 "got \"%s\"", cfg->log_level);
        return ERR_INVALID;
    }
    if (cfg->log_format != NULL &&
        log_format_parse(cfg->log_format, &fmt) != ERR_OK) {
        buf_setf(err, "log.format: expected auto, logfmt, json or journal, "
                 "got "
                 "\"%s\"", cfg->log_format);
        return ERR_INVALID;
    }
    return ERR_OK;
}

enum err config_finish(struct config *cfg, const char *db_path,
                       struct buf *err)
{
    enum err rc = ERR_OK;

    for (int p = 0; p < PLATFORM_COUNT && rc == ERR_OK; p++) {
        struct config_platform *pl = &cfg->plat[p];
        if (pl->client_secret == NULL && pl->client_secret_file != NULL)
            rc = read_secret_file(pl->client_secret_file, &pl->client_secret,
                                  err);
    }
    if (rc == ERR_OK && cfg->notify_webhook_secret == NULL &&
        cfg->notify_webhook_secret_file != NULL)
        rc = read_secret_file(cfg->notify_webhook_secret_file,
                              &cfg->notify_webhook_secret, err);
    if (rc == ERR_OK && cfg->notify_smtp_password == NULL &&
        cfg->notify_smtp_password_file != NULL)
        rc = read_secret_file(cfg->notify_smtp_password_file,
                              &cfg->notify_smtp_password, err);
    if (rc == ERR_OK && cfg->secret_key_file == NULL && db_path != NULL) {
        struct buf k;
        buf_init(&k, 8192);
        rc = buf_printf(&k, "%s.key", db_path);
        if (rc == ERR_OK)
            cfg->secret_key_file = buf_steal(&k);
        else
            buf_setf(err, "database path too long");
        buf_free(&k);
    }
    if (rc == ERR_OK)
        rc = check_log(cfg, err);
    if (rc == ERR_OK && cfg->media_root == NULL && db_path != NULL) {
        struct buf m;
        buf_init(&m, 8192);
        rc = buf_printf(&m, "%s.media", db_path);
        if (rc == ERR_OK)
            cfg->media_root = buf_steal(&m);
        else
            buf_setf(err, "database path too long");
        buf_free(&m);
    }
    return rc;
}

/* ---- the table, printed ------------------------------------------------ */

enum err config_check(const char *key, const char *value,
                      enum config_src src, struct buf *err)
{
    struct config scratch;
    enum err rc;

    memset(&scratch, 0, sizeof(scratch));
    rc = config_set(&scratch, key, value, src, err);
    config_free(&scratch);
    return rc;
}

static void wrap(struct buf *out, const char *prefix, const char *text,
                 size_t width);

static void describe_one(const struct config_key *o, struct buf *name,
                         struct buf *bounds, struct buf *out)
{
    env_name(o->key, name);
    opt_bounds(o, bounds);
    buf_catf(out, "  %s  (%s%s%sdefault %s; env %s)\n", o->key,
             o->type == CONFIG_INT ? "" : buf_cstr(bounds),
             o->type == CONFIG_INT ? buf_cstr(bounds) : "",
             bounds->len ? ", " : "", o->def ? o->def : "unset",
             buf_cstr(name));
    wrap(out, "      ", o->help, 78);
}

static bool in_section(const struct config_key *o, const char *section)
{
    size_t n = strlen(section);
    return strncmp(o->key, section, n) == 0 && o->key[n] == '.';
}

void config_describe(struct buf *out)
{
    config_describe_section(NULL, out);
}

void config_describe_section(const char *section, struct buf *out)
{
    struct buf name, bounds;
    bool any = false;

    buf_init(&name, 128);
    buf_init(&bounds, 1024);
    for (size_t i = 0; i < opts_n(); i++) {
        if (section != NULL && !in_section(opt_at(i), section))
            continue;
        if (section != NULL && !any)
            buf_catf(out, "\nconfiguration keys (file [%s], environment, "
                     "--set %s.KEY=VALUE; see mediadash.conf(5)):\n",
                     section, section);
        any = true;
        describe_one(opt_at(i), &name, &bounds, out);
    }
    buf_free(&name);
    buf_free(&bounds);
}

/* The section of o ("" for the keys before any [section]) into out. */
static void section_of(const struct config_key *o, struct buf *out)
{
    const char *dot = strrchr(o->key, '.');

    buf_reset(out);
    if (dot != NULL && buf_append(out, o->key, (size_t)(dot - o->key)) !=
                           ERR_OK)
        abort(); /* keys are short */
}

/* Whether an earlier key of the table than opts[i] is in section sec. */
static bool section_seen(size_t i, const char *sec, struct buf *tmp)
{
    for (size_t j = 0; j < i; j++) {
        section_of(opt_at(j), tmp);
        if (strcmp(buf_cstr(tmp), sec) == 0)
            return true;
    }
    return false;
}

typedef void opt_each_fn(const struct config_key *o, const char *section,
                         bool first, void *ud);

/* Call each for the keys of section sec, in table order. */
static void each_in(const char *sec, opt_each_fn *each, void *ud,
                    struct buf *tmp)
{
    bool first = true;

    for (size_t k = 0; k < opts_n(); k++) {
        section_of(opt_at(k), tmp);
        if (strcmp(buf_cstr(tmp), sec) != 0)
            continue;
        each(opt_at(k), sec, first, ud);
        first = false;
    }
}

/* Call each for every key, grouped by section: the keys outside any
 * section first (a file's lines before its first [section]), then each
 * section in the order of its first key in the table. */
static void each_by_section(opt_each_fn *each, void *ud)
{
    struct buf sec, tmp;

    buf_init(&sec, 256);
    buf_init(&tmp, 256);
    each_in("", each, ud, &tmp);
    for (size_t i = 0; i < opts_n(); i++) {
        section_of(opt_at(i), &sec);
        if (sec.len == 0 || section_seen(i, buf_cstr(&sec), &tmp))
            continue;
        each_in(buf_cstr(&sec), each, ud, &tmp);
    }
    buf_free(&sec);
    buf_free(&tmp);
}

/* Append text to out as lines of at most width columns, each starting
 * with prefix (words longer than a line are not cut). */
static void wrap(struct buf *out, const char *prefix, const char *text,
                 size_t width)
{
    size_t col = 0, plen = strlen(prefix);

    while (*text) {
        size_t n = strcspn(text, " ");
        if (col > 0 && col + 1 + n > width) {
            buf_catf(out, "\n");
            col = 0;
        }
        if (col == 0) {
            buf_catf(out, "%s", prefix);
            col = plen;
        } else {
            buf_catf(out, " ");
            col++;
        }
        buf_catf(out, "%.*s", (int)n, text);
        col += n;
        text += n;
        while (*text == ' ')
            text++;
    }
    buf_catf(out, "\n");
}

static const char *key_name(const struct config_key *o)
{
    const char *dot = strrchr(o->key, '.');
    return dot ? dot + 1 : o->key;
}

static void example_one(const struct config_key *o, const char *section,
                        bool first, void *ud)
{
    struct buf *out = ud, line, name, bounds;

    if (o->flags & CONFIG_SECRET)
        return; /* its *_file key is there; the value is never written */
    buf_init(&line, 8192);
    buf_init(&name, 128);
    buf_init(&bounds, 1024);
    if (first && *section)
        buf_catf(out, "\n[%s]\n", section);
    env_name(o->key, &name);
    opt_bounds(o, &bounds);
    buf_catf(out, "\n");
    wrap(out, "# ", o->help, 76);
    buf_catf(&line, "%s: %s%senvironment %s", o->key, buf_cstr(&bounds),
             bounds.len ? "; " : "", buf_cstr(&name));
    wrap(out, "# ", buf_cstr(&line), 76);
    buf_catf(out, "#%s =%s%s\n", key_name(o), o->def ? " " : "",
             o->def ? o->def : "");
    buf_free(&line);
    buf_free(&name);
    buf_free(&bounds);
}

void config_example(struct buf *out)
{
    buf_catf(out,
             "# mediadash.conf: the configuration of mediadash (see "
             "mediadash.conf(5)).\n"
             "#\n"
             "# Generated from the key table by 'mediadash config example'; "
             "every key\n"
             "# is here with its default, commented out, so this file as "
             "shipped\n"
             "# changes nothing. Uncomment a line and change its value to "
             "set a key.\n"
             "# Later sources win: this file, then MEDIADASH_* environment "
             "variables,\n"
             "# then --set KEY=VALUE and the flags of a command.\n"
             "# Secrets (client secrets, the webhook secret, the SMTP "
             "password) are\n"
             "# never written here: set them in the environment or name a "
             "file\n"
             "# holding one with its *_file key.\n");
    each_by_section(example_one, out);
}

/* s with scdoc's markup characters escaped. */
static void scdoc_text(struct buf *out, const char *s)
{
    for (; *s; s++)
        buf_catf(out, "%s%c", strchr("*_\\`", *s) ? "\\" : "", *s);
}

static void scdoc_one(const struct config_key *o, const char *section, bool first,
                      void *ud)
{
    struct buf *out = ud, name, bounds;

    buf_init(&name, 128);
    buf_init(&bounds, 1024);
    if (first)
        buf_catf(out, "## %s%s%s\n\n", *section ? "[" : "",
                 *section ? section : "keys outside any section",
                 *section ? "]" : "");
    env_name(o->key, &name);
    opt_bounds(o, &bounds);
    buf_catf(out, "*");
    scdoc_text(out, key_name(o));
    buf_catf(out, "* = ");
    if (o->def != NULL) {
        buf_catf(out, "_");
        scdoc_text(out, o->def);
        buf_catf(out, "_");
    } else {
        buf_catf(out, "(unset)");
    }
    /* the variable first on its line: groff does not hyphenate it there */
    buf_catf(out, "\n\t*");
    scdoc_text(out, buf_cstr(&name));
    buf_catf(out, "*%s", o->flags & CONFIG_SECRET
                            ? " (secret: only there, or in the file its "
                              "\\_file key names)"
                            : "");
    if (bounds.len > 0) {
        buf_catf(out, "; ");
        scdoc_text(out, buf_cstr(&bounds));
    }
    buf_catf(out, ".\n\t%c", toupper((unsigned char)o->help[0]));
    scdoc_text(out, o->help + 1);
    buf_catf(out, ".\n\n");
    buf_free(&name);
    buf_free(&bounds);
}

void config_scdoc(struct buf *out)
{
    each_by_section(scdoc_one, out);
}

/* Key `key` of p's table, of type t; abort when there is none. */
static const struct config_key *plat_key(enum platform p, const char *key,
                                         enum config_type t)
{
    if ((size_t)p < N_PLAT)
        for (const struct config_key *k = plat_keys[p]; k->key; k++)
            if (strcmp(k->key, key) == 0 && k->type == t)
                return k;
    abort(); /* a platform reads a key it does not declare: a bug */
}

const char *config_plat_str(const struct config *cfg, enum platform p,
                            const char *key)
{
    const struct config_key *k = plat_key(p, key, CONFIG_STR);
    const char *v;

    memcpy(&v, (const char *)cfg + k->offset, sizeof(v));
    return v;
}

int64_t config_plat_int(const struct config *cfg, enum platform p,
                        const char *key)
{
    const struct config_key *k = plat_key(p, key, CONFIG_INT);
    int64_t v;

    memcpy(&v, (const char *)cfg + k->offset, sizeof(v));
    return v;
}

/* Append target with any password in it as "***": the userinfo of a
 * postgres[ql]:// URI ("user:pw@host") and a password= parameter of the
 * URI's query or of a key=value conninfo. Text only: the value shown is
 * not parsed for use (libpq does that where it is opened). */
static void dburi_hidden(const char *t, struct buf *out)
{
    const char *auth = strstr(t, "://");
    const char *end, *at = NULL, *colon = NULL, *p;

    if (auth != NULL && (strncmp(t, "postgres://", 11) == 0 ||
                         strncmp(t, "postgresql://", 13) == 0)) {
        auth += 3;
        end = auth + strcspn(auth, "/?#");
        for (p = auth; p < end; p++)
            if (*p == '@')
                at = p;
        for (p = auth; at != NULL && p < at; p++)
            if (*p == ':') {
                colon = p;
                break;
            }
        if (colon != NULL) {
            buf_catf(out, "%.*s***", (int)(colon + 1 - t), t);
            t = at;
        }
    }
    /* password= in the query or a conninfo: up to the next & or space */
    while ((p = strstr(t, "password=")) != NULL) {
        buf_catf(out, "%.*s***", (int)(p - t) + 9, t);
        t = p + 9;
        if (*t == '\'' && (p = strchr(t + 1, '\'')) != NULL)
            t = p + 1;
        else
            t += strcspn(t, "& \t");
    }
    buf_catf(out, "%s", t);
}

void config_dump(const struct config *cfg, struct buf *out)
{
    for (size_t i = 0; i < opts_n(); i++) {
        const struct config_key *o = opt_at(i);
        const char *base = (const char *)cfg + o->offset;
        const char *str;
        int64_t v;

        if (o->type == CONFIG_INT) {
            memcpy(&v, base, sizeof(v));
            buf_catf(out, "%s = %lld\n", o->key, (long long)v);
            continue;
        }
        memcpy(&str, base, sizeof(str));
        if (o->flags & CONFIG_SECRET)
            str = str != NULL ? "(set)" : "(unset)";
        if ((o->flags & CONFIG_DBURI) && str != NULL) {
            buf_catf(out, "%s = ", o->key);
            dburi_hidden(str, out);
            buf_catf(out, "\n");
            continue;
        }
        buf_catf(out, "%s = %s\n", o->key, str != NULL ? str : "");
    }
}
