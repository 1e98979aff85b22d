/* Parsing saved and live platform responses into a batch of items and
 * snapshots. One format (struct source_format) per response shape; every
 * platform file exports a table of them, ended by an entry whose name is
 * NULL. Sources never touch SQL or the network (DESIGN.md). */
#ifndef MEDIADASH_SOURCE_H
#define MEDIADASH_SOURCE_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/jread.h"
#include "core/model.h"

#define SOURCE_MAX_BYTES ((size_t)64 << 20) /* one file or response */
#define SOURCE_MAX_ITEMS 200000             /* items in one document */

/* What a parser works with. */
struct source_ctx {
    struct batch *batch;  /* borrowed: items and snapshots go here */
    int64_t observed_at;  /* time of the fetch, for shapes that carry none */
    /* ext id of the user's own account per platform, or NULL: used by
     * shapes that do not name their account (YouTube Analytics reports,
     * TikTok video lists). */
    const char *account_hint[PLATFORM_COUNT];
    struct jread r;       /* error reporting: name the item and field */
};

struct source_format {
    const char *name;      /* e.g. "youtube.videos.list"; NULL ends a table */
    const char *summary;   /* one line for --help */
    enum platform platform;
    /* JSON shapes: claim the document (no side effects), then parse it. */
    bool (*detect_json)(const json_t *root);
    enum err (*parse_json)(const json_t *root, struct source_ctx *ctx);
    /* Text shapes (CSV exports): detect on the whole text, then parse. */
    bool (*detect_text)(const char *data, size_t len);
    enum err (*parse_text)(const char *data, size_t len,
                           struct source_ctx *ctx);
};

extern const struct source_format youtube_formats[];
extern const struct source_format instagram_formats[];
extern const struct source_format tiktok_formats[];
extern const struct source_format studio_formats[];
extern const struct source_format twitch_formats[];

struct source_opts {
    int64_t observed_at; /* TIME_NONE: now */
    const char *account_hint[PLATFORM_COUNT];
    const char *only_format; /* force a format by name, or NULL to detect */
};

/* Validate and parse one document (a file's bytes or a response body).
 * On success the batch holds what it says and *format_out names the shape
 * (static string). On failure the batch is left empty, err holds a message
 * naming the item and field where there is one, and the return is:
 * ERR_PARSE (bad shape or bytes), ERR_TOOBIG, ERR_UPSTREAM (the document
 * is a platform error response; err holds the platform's message) or
 * ERR_UNSUPPORTED (no format recognises it, or opts->only_format names a
 * format the document plainly is not: another platform's shape or a
 * lookalike; err then says what the document looks like). A link or
 * thumbnail (item url, thumbnail_url) that is not an http(s) URL
 * (str_http_url) is not kept: the field is NULL, out->dropped counts it
 * and out->warnings names item and field (the first
 * SOURCE_WARNINGS_MAX); the rest of the document stands. Parsing into a
 * batch that holds earlier pages keeps their warnings. */
#define SOURCE_WARNINGS_MAX 20 /* warning lines kept in a batch */
enum err source_parse(const char *data, size_t len,
                      const struct source_opts *opts, struct batch *out,
                      const char **format_out, struct buf *err) WARN_UNUSED;

/* When root is a document we can name but do not import (another
 * service's response, an OAuth token response, an API description),
 * append what it looks like to out, e.g. "an Oura API v2 sleep page:
 * health data, which is not imported", and return true (lookalike.c). */
bool source_lookalike(const json_t *root, struct buf *out);

/* Call fn for every known format, in detection order. */
void source_each_format(void (*fn)(const struct source_format *f, void *ud),
                        void *ud);

/* Helpers shared by the platform parsers. */

/* Set a metric on snap; ERR_PARSE with a message when name is invalid. */
enum err source_metric_i64(struct source_ctx *ctx, struct snapshot *snap,
                           const char *name, int64_t v) WARN_UNUSED;
enum err source_metric_real(struct source_ctx *ctx, struct snapshot *snap,
                            const char *name, double v) WARN_UNUSED;
/* A short title from free text: its first line, cut to at most max bytes
 * on a UTF-8 boundary, set on *field (left alone when text is NULL). */
void source_title_from(char **field, const char *text, size_t max);

/* Set *field to prefix + id + suffix (a page URL built from an id). */
void source_url(char **field, const char *prefix, const char *id,
                const char *suffix);

/* "<platform prefix><name>", e.g. ("yt.", "favoriteCount"), into out. */
enum err source_metric_name(enum platform p, const char *name,
                            struct buf *out) WARN_UNUSED;

#endif
