/* Every problem of a post at once, the platforms' documented text
 * limits, and near-duplicate posts. Shared by the API (which answers all
 * problems in one 400), the CLI and, through GET /api/v1/publishers, the
 * Compose page's live counters (one table, so page and server agree). */
#ifndef MEDIADASH_SCHEDULE_POST_LIMITS_H
#define MEDIADASH_SCHEDULE_POST_LIMITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/jsonw.h"
#include "store/store_post.h"

#define POST_ISSUES_MAX 32 /* problems kept per post; more are dropped */

/* One problem: param names the field ("title", "caption", "media.path",
 * "at"...; static text), message says why and starts with the field. */
struct post_issue {
    const char *param;
    char *message; /* owned */
};

/* A list of problems; rc is the error of the first (ERR_INVALID,
 * ERR_PARSE or ERR_NOTFOUND for an unknown zone), ERR_OK when empty. */
struct post_issues {
    struct post_issue v[POST_ISSUES_MAX];
    size_t n;
    enum err rc;
};
void post_issues_init(struct post_issues *is);
void post_issues_free(struct post_issues *is); /* NULL is a no-op */
/* Add one problem with error rc (ERR_INVALID usually); past
 * POST_ISSUES_MAX it is dropped. param must be static text. */
void post_issues_add(struct post_issues *is, enum err rc, const char *param,
                     const char *fmt, ...) PRINTF_LIKE(4, 5);
/* Whether a problem names param already. */
bool post_issues_has(const struct post_issues *is, const char *param);

/* What a platform documents for a post's text. 0: no limit of its own
 * (the generic SCHED_* byte limits of post.h still hold). */
struct post_limits {
    const char *platform;
    size_t title_chars;   /* Unicode characters (code points) */
    size_t caption_chars; /* characters, or UTF-16 units when utf16 */
    bool utf16;           /* caption counted in UTF-16 units (TikTok) */
    size_t caption_bytes; /* UTF-8 bytes */
    size_t tags_chars;    /* YouTube's count of all tags, see tags_len */
    size_t hashtags;      /* #words in the caption */
    size_t mentions;      /* @names in the caption */
    bool no_angle;        /* < and > refused in title and caption */
    bool title_as_caption; /* an empty caption sends the title instead */
    const char *caption_name; /* what the platform calls the caption */
};

/* The limits of platform, or NULL when it documents none (dryrun). */
const struct post_limits *post_limits_for(const char *platform);
/* Every platform's limits as one JSON object {"youtube": {...}, ...}
 * (the members above, 0 omitted), for the Compose page. */
void post_limits_json(struct jw *w);
/* One platform's limits as that object's member value. */
void post_limits_obj_json(struct jw *w, const struct post_limits *l);

/* Counting, as the page counts (tested against it in the browser test):
 * characters are code points; UTF-16 units count a code point above
 * U+FFFF as 2. A hashtag is '#' followed by a word character (ASCII
 * letter, digit, '_' or any non-ASCII character), not preceded by one; a
 * mention is '@' followed by a letter, digit, '_' or '.', not preceded by
 * a word character. Text is valid UTF-8 (post.c checks that first). */
size_t post_text_chars(const char *s);
size_t post_text_utf16(const char *s);
size_t post_text_hashtags(const char *s);
size_t post_text_mentions(const char *s);
/* YouTube's length of a post's tags: the characters of each, a comma
 * between two, and 2 quotes around a tag with a space. */
size_t post_tags_chars(const char *const *tags, size_t n);

/* Add a problem for each of the platform's limits that title, caption
 * or tags exceed (nothing for a platform without limits). */
void post_limits_check(const char *platform, const char *title,
                       const char *caption, const char *const *tags,
                       size_t ntags, struct post_issues *is);

#define POST_DUPLICATE_S (24 * 3600)

/* Whether other is a near duplicate of p: another post (other id) on the
 * same platform and account, not cancelled or failed, due within
 * POST_DUPLICATE_S of p, with the same text (title and caption compared
 * ignoring case and runs of white space) or the same media (SHA-256s).
 * why gets "post 12 ... has the same text" when true. */
bool post_near_duplicate(const struct post *p, const struct post *other,
                         struct buf *why);

#endif
