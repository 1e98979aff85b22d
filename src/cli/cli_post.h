/* What `post add` (cmd_post.c) and `post edit` (cmd_post_edit.c) share:
 * the --tags list and the --media files. */
#ifndef MEDIADASH_CLI_POST_H
#define MEDIADASH_CLI_POST_H

#include <stddef.h>

#include "core/buf.h"
#include "schedule/post.h"

/* --tags "a,b,c": a copy of arg cut at the commas into *dup (the caller
 * frees it), the non-empty pieces pointed to from tags[], which holds
 * SCHED_TAGS_MAX + 1 entries: one more than allowed, so that the post's
 * checks see and refuse a list that is too long. Returns their number. */
size_t cli_post_tags(const char *arg, char **dup, const char **tags);

/* The --media files of a post, described as the API describes uploads. */
struct cli_media {
    struct sched_media m[SCHED_MEDIA_MAX]; /* paths malloc'd (absolute) */
    struct buf sha[SCHED_MEDIA_MAX];       /* m[i].sha256 points here */
    size_t n;
};

void cli_media_init(struct cli_media *cm);
/* Resolve and hash files[0..n): EXIT_OK_, or EXIT_USAGE after naming the
 * file that is missing or unreadable. */
int cli_media_read(struct cli_media *cm, const char *const *files, size_t n);
void cli_media_free(struct cli_media *cm);

#endif
