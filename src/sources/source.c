#include "source.h"

#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/timeutil.h"

static const struct source_format *const tables[] = {
    youtube_formats, instagram_formats, tiktok_formats, studio_formats,
    twitch_formats};

void source_each_format(void (*fn)(const struct source_format *f, void *ud),
                        void *ud)
{
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
        for (const struct source_format *f = tables[t]; f->name; f++)
            fn(f, ud);
}

static const struct source_format *find_by_name(const char *name)
{
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
        for (const struct source_format *f = tables[t]; f->name; f++)
            if (strcmp(f->name, name) == 0)
                return f;
    return NULL;
}

static bool looks_like_json(const char *data, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        char c = data[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        return c == '{' || c == '[';
    }
    return false;
}

/* The first format that claims root, or NULL; with skip set, only
 * formats of another platform than skip's. */
static const struct source_format *detect(const json_t *root,
                                          const struct source_format *skip)
{
    for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
        for (const struct source_format *f = tables[t]; f->name; f++)
            if (f->detect_json != NULL &&
                (skip == NULL || f->platform != skip->platform) &&
                f->detect_json(root))
                return f;
    return NULL;
}

/* No format claims root: say so, and what it looks like if we can tell. */
static enum err refuse_unknown(const json_t *root, struct buf *err)
{
    buf_setf(err, "not a recognised platform API response");
    if (buf_puts(err, ": it looks like ") == ERR_OK &&
        !source_lookalike(root, err))
        buf_setf(err, "not a recognised platform API response");
    buf_catf(err, " (see 'mediadash import --formats')");
    return ERR_UNSUPPORTED;
}

/* A format forced by name must not be laid over a document that is
 * plainly something else: another platform's shape or a lookalike
 * (forcing instagram.media onto a Twitch page would store its entries
 * as Instagram posts). */
static enum err check_forced(const json_t *root, const struct source_format *f,
                             struct buf *err)
{
    const struct source_format *other;

    if (f->detect_json == NULL || f->detect_json(root))
        return ERR_OK;
    other = detect(root, f);
    if (other != NULL) {
        buf_setf(err, "not a %s response: the document is a %s response",
                 f->name, other->name);
        return ERR_UNSUPPORTED;
    }
    buf_setf(err, "not a %s response", f->name);
    if (buf_puts(err, ": it looks like ") == ERR_OK &&
        source_lookalike(root, err))
        return ERR_UNSUPPORTED;
    buf_reset(err);
    return ERR_OK;
}

/* The format named by opts, or the detected one; ERR_OK with *out set. */
static enum err choose_format(const json_t *root,
                              const struct source_opts *opts,
                              const struct source_format **out,
                              struct buf *err)
{
    const struct source_format *hit;

    if (opts->only_format == NULL) {
        *out = detect(root, NULL);
        return *out ? ERR_OK : refuse_unknown(root, err);
    }
    hit = find_by_name(opts->only_format);
    if (hit == NULL || hit->parse_json == NULL) {
        buf_setf(err, "unknown JSON format \"%s\"", opts->only_format);
        return ERR_INVALID;
    }
    *out = hit;
    return check_forced(root, hit, err);
}

static enum err parse_json_doc(const char *data, size_t len,
                               const struct source_opts *opts,
                               struct source_ctx *ctx, const char **fmt_out,
                               struct buf *err)
{
    json_error_t je;
    json_t *root;
    const struct source_format *hit = NULL;
    enum err rc;

    root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
    if (root == NULL) {
        /* An error at the very end of the input means it stopped short. */
        if ((size_t)je.position >= len || strstr(je.text, "end of file") ||
            strstr(je.text, "premature end of input"))
            buf_setf(err, "truncated JSON: input ends at line %d column %d "
                          "(%s)", je.line, je.column, je.text);
        else
            buf_setf(err, "malformed JSON at line %d column %d: %s", je.line,
                     je.column, je.text);
        return ERR_PARSE;
    }
    if (!json_is_object(root)) {
        buf_setf(err, "expected a JSON object at the top, got %s",
                 jread_type_name(root));
        json_decref(root);
        return ERR_PARSE;
    }
    rc = choose_format(root, opts, &hit, err);
    if (rc == ERR_OK) {
        *fmt_out = hit->name;
        rc = hit->parse_json(root, ctx);
    }
    json_decref(root);
    return rc;
}

static enum err parse_text_doc(const char *data, size_t len,
                               const struct source_opts *opts,
                               struct source_ctx *ctx, const char **fmt_out,
                               struct buf *err)
{
    const struct source_format *hit = NULL;

    if (opts->only_format) {
        hit = find_by_name(opts->only_format);
        if (hit == NULL || hit->parse_text == NULL) {
            buf_setf(err, "unknown text format \"%s\"", opts->only_format);
            return ERR_INVALID;
        }
    }
    for (size_t t = 0; hit == NULL && t < sizeof tables / sizeof tables[0];
         t++)
        for (const struct source_format *f = tables[t]; f->name; f++)
            if (f->detect_text && f->detect_text(data, len)) {
                hit = f;
                break;
            }
    if (hit == NULL) {
        buf_setf(err, "not JSON and not a recognised CSV export");
        return ERR_UNSUPPORTED;
    }
    *fmt_out = hit->name;
    return hit->parse_text(data, len, ctx);
}

/* Drop *field unless it is an http(s) URL, with a warning line in w. */
static void keep_http(struct batch *b, const struct item *it,
                      const char *name, char **field, struct buf *w)
{
    if (*field == NULL || str_http_url(*field))
        return;
    free(*field);
    *field = NULL;
    if (++b->dropped <= SOURCE_WARNINGS_MAX)
        buf_catf(w, "%sitem %s:%s: %s is not an http(s) URL: not stored",
                 w->len ? "\n" : "", platform_name(it->platform),
                 it->ext_id, name);
}

/* Every link and thumbnail of the batch is http(s) or NULL (issue 13:
 * a javascript: or data: URL is never stored, so never served). The
 * batch may hold earlier pages (the collector): their lines stay. */
static void only_http_urls(struct batch *b)
{
    struct buf w;

    buf_init(&w, 16384);
    if (b->warnings != NULL)
        buf_catf(&w, "%s", b->warnings);
    for (size_t i = 0; i < b->n; i++) {
        keep_http(b, b->items[i], "url", &b->items[i]->url, &w);
        keep_http(b, b->items[i], "thumbnail_url",
                  &b->items[i]->thumbnail_url, &w);
    }
    free(b->warnings);
    b->warnings = w.len ? buf_steal(&w) : NULL;
    buf_free(&w);
}

enum err source_parse(const char *data, size_t len,
                      const struct source_opts *opts, struct batch *out,
                      const char **format_out, struct buf *err)
{
    struct source_ctx ctx;
    const char *fmt = NULL;
    size_t bad;
    enum err rc;

    *format_out = NULL;
    buf_reset(err);
    if (len == 0) {
        buf_setf(err, "file is empty");
        return ERR_PARSE;
    }
    if (len > SOURCE_MAX_BYTES) {
        buf_setf(err, "file is %zu bytes, over the %zu byte limit", len,
                 SOURCE_MAX_BYTES);
        return ERR_TOOBIG;
    }
    bad = str_utf8_valid_len(data, len);
    if (bad < len) {
        buf_setf(err, "not UTF-8 text: binary data at byte %zu", bad);
        return ERR_PARSE;
    }
    /* A UTF-8 byte order mark is text, not content. */
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }

    memset(&ctx, 0, sizeof ctx);
    ctx.batch = out;
    ctx.observed_at =
        opts->observed_at == TIME_NONE ? time_now() : opts->observed_at;
    for (int p = 0; p < PLATFORM_COUNT; p++)
        ctx.account_hint[p] = opts->account_hint[p];
    jread_init(&ctx.r, err);

    if (looks_like_json(data, len))
        rc = parse_json_doc(data, len, opts, &ctx, &fmt, err);
    else
        rc = parse_text_doc(data, len, opts, &ctx, &fmt, err);
    if (rc == ERR_OK && out->n > SOURCE_MAX_ITEMS) {
        buf_setf(err, "document holds %zu items, over the %d limit", out->n,
                 SOURCE_MAX_ITEMS);
        rc = ERR_TOOBIG;
    }
    if (rc != ERR_OK) {
        if (err->len == 0)
            buf_setf(err, "%s", err_str(rc));
        batch_free(out); /* nothing partial leaves this function */
        batch_init(out);
    } else {
        *format_out = fmt;
        only_http_urls(out);
    }
    jread_free(&ctx.r);
    return rc;
}

enum err source_metric_i64(struct source_ctx *ctx, struct snapshot *snap,
                           const char *name, int64_t v)
{
    if (metrics_set_i64(&snap->metrics, name, v) != ERR_OK)
        return jread_fail(&ctx->r, NULL, "invalid metric name \"%.80s\"",
                          name);
    return ERR_OK;
}

enum err source_metric_real(struct source_ctx *ctx, struct snapshot *snap,
                            const char *name, double v)
{
    if (metrics_set_real(&snap->metrics, name, v) != ERR_OK)
        return jread_fail(&ctx->r, NULL, "invalid metric \"%.80s\"", name);
    return ERR_OK;
}

enum err source_metric_name(enum platform p, const char *name,
                            struct buf *out)
{
    buf_reset(out);
    if (buf_puts(out, platform_metric_prefix(p)) != ERR_OK ||
        buf_puts(out, name) != ERR_OK)
        return ERR_TOOBIG;
    return ERR_OK;
}

void source_title_from(char **field, const char *text, size_t max)
{
    struct buf t;
    size_t n;

    if (text == NULL)
        return;
    n = strcspn(text, "\r\n");
    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
            n--;
    }
    buf_init(&t, max + 1);
    if (buf_append(&t, text, n) == ERR_OK)
        item_set(field, buf_cstr(&t));
    buf_free(&t);
}

void source_url(char **field, const char *prefix, const char *id,
                const char *suffix)
{
    struct buf url;
    buf_init(&url, ITEM_URL_MAX);
    if (buf_printf(&url, "%s%s%s", prefix, id, suffix) == ERR_OK)
        item_set(field, buf_cstr(&url));
    buf_free(&url);
}
