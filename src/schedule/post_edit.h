/* Editing a post that has not gone out yet (issue 14): what a person
 * changes (a patch) applied over the stored post and checked with the
 * very rules a new post is checked with (sched_post_build), and the list
 * of changes an edit made, for the post's history. Pure functions: the
 * store does the guarded write (store_post_edit). */
#ifndef MEDIADASH_SCHEDULE_POST_EDIT_H
#define MEDIADASH_SCHEDULE_POST_EDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/jsonw.h"
#include "schedule/post.h"
#include "store/store_post.h"

/* What an edit changes. NULL strings and has_* false keep the stored
 * value. Everything borrowed. */
struct sched_patch {
    const char *platform; /* may only repeat the stored one */
    const char *account, *title, *caption, *privacy;
    /* A new wall time is read in zone (the stored one when NULL); a new
     * zone alone reads the stored wall time in it. Neither: the stored
     * instant is kept as it is (no DST rule applied again). */
    const char *at, *zone;
    struct sched_opts opts; /* for a new at or zone */
    bool has_tags;
    const char *const *tags;
    size_t ntags;
    bool has_media;
    const struct sched_media *media;
    size_t nmedia;
    int draft; /* -1: keep the state; 0: scheduled; 1: draft */
};
#define SCHED_PATCH_NONE                                                      \
    ((struct sched_patch){.draft = -1})

/* Apply pt over cur (which must be a draft or scheduled post) into *out
 * (caller post_free's; its id, version and bookkeeping are cur's), with
 * every field checked by sched_post_build exactly as for a new post
 * (scheduling a draft needs media, and so on). note as sched_post_build.
 * On failure *param names the field, err says why, out is empty:
 * ERR_INVALID / ERR_PARSE / ERR_NOTFOUND as sched_post_build, or
 * ERR_INVALID naming "platform" when pt->platform differs from cur's. */
enum err sched_post_edit_build(const struct post *cur,
                               const struct sched_patch *pt, struct post *out,
                               struct buf *note, const char **param,
                               struct buf *err) WARN_UNUSED;

/* What differs between a (stored) and b (edited) as a JSON array of
 * {"field": NAME, "from": OLD, "to": NEW} into out (appended), fields in
 * a fixed order: state, publish_at (ISO UTC), zone, local_time, account,
 * title, caption, privacy, tags (arrays), media (arrays of paths). *n
 * gets how many. ERR_TOOBIG when out is full. */
enum err sched_post_diff(const struct post *a, const struct post *b,
                         struct buf *out, size_t *n) WARN_UNUSED;

/* Re-emit a stored changes array (sched_post_diff's text, read back from
 * the store) through the writer, checking its shape: entries that are
 * not {field: string, from, to} with string, integer, null or array of
 * strings values are skipped. */
void sched_changes_json(struct jw *w, const char *changes);

#endif
