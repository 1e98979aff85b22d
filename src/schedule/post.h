/* Building a post from what a person entered (CLI or JSON API) and
 * writing one as JSON: the checks both front ends share. */
#ifndef MEDIADASH_SCHEDULE_POST_H
#define MEDIADASH_SCHEDULE_POST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/jsonw.h"
#include "schedule/schedule.h"
#include "store/store_post.h"

#define SCHED_TITLE_MAX 400     /* bytes */
#define SCHED_CAPTION_MAX 8000
#define SCHED_TAGS_MAX 30       /* tags per post */
#define SCHED_TAG_MAX 100       /* bytes per tag */
#define SCHED_MEDIA_MAX 10      /* files per post */
#define SCHED_PATH_MAX 1024

struct sched_media {
    const char *path;         /* absolute, no ".." */
    const char *sha256;       /* 64 lowercase hex */
    int64_t bytes;            /* >= 0 */
    const char *content_type; /* type/subtype */
};

/* Everything borrowed. NULL caption/privacy: "" / private. */
struct sched_input {
    const char *platform, *account, *title, *caption, *privacy;
    const char *at, *zone; /* wall time and IANA zone */
    const char *const *tags;
    size_t ntags;
    const struct sched_media *media;
    size_t nmedia;
    struct sched_opts opts;
    bool draft;
};

/* Check in and fill *out (caller post_free's; its strings are copies)
 * with state draft or scheduled. note gets what the zone rule did (gap
 * shifted, which of two times); may be empty. On failure *param names
 * the field ("platform", "at", "media.sha256"...), err says why, and
 * out is empty. Returns ERR_INVALID or ERR_PARSE for bad input,
 * ERR_NOTFOUND for an unknown zone. */
enum err sched_post_build(const struct sched_input *in, struct post *out,
                          struct buf *note, const char **param,
                          struct buf *err) WARN_UNUSED;

struct post_issues;
/* As sched_post_build, with every problem found (each field's, the
 * platform's text limits of post_limits.h, the time's) added to is
 * (caller's, post_issues_init'ed) instead of the first only. Returns
 * the first problem's error; out is empty then. */
enum err sched_post_build_all(const struct sched_input *in,
                              struct post *out, struct buf *note,
                              struct post_issues *is) WARN_UNUSED;

/* Describe the file at path for a post: SHA-256 (hex into sha), size
 * and a content type from the extension (*ctype static). ERR_IO with err
 * naming the file when it cannot be read. */
enum err sched_media_file(const char *path, struct buf *sha, int64_t *bytes,
                          const char **ctype, struct buf *err) WARN_UNUSED;

/* Write p as one JSON object: id, platform, account, title, caption,
 * tags [...], privacy, media [{path, sha256, bytes, content_type}],
 * publish_at (UTC ISO), zone, local_time, state, attempts, claimed_by,
 * claimed_until, remote_id, remote_url, last_error, created_at,
 * updated_at, version (what an edit names: post_edit.h), failure,
 * status. */
void sched_post_json(struct jw *w, const struct post *p);

/* sched_post_json, plus (with extra) the members extra writes into the
 * open object before it is closed; also failure ("missed", "platform" or
 * null) and status (status_name: "missed" for a missed failure, else the
 * state). */
typedef void (*sched_post_extra_fn)(struct jw *w, const struct post *p,
                                    void *ud);
void sched_post_json_x(struct jw *w, const struct post *p,
                       sched_post_extra_fn extra, void *ud);

#endif
