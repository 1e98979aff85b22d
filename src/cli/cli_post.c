/* What `post add` and `post edit` share (cli_post.h). */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_post.h"
#include "core/alloc.h"

size_t cli_post_tags(const char *arg, char **dup, const char **tags)
{
    size_t n = 0;
    char *p, *comma;

    *dup = xstrdup(arg ? arg : "");
    for (p = *dup; *p && n < SCHED_TAGS_MAX + 1; p = comma + 1) {
        comma = strchr(p, ',');
        if (comma != NULL)
            *comma = '\0';
        if (*p)
            tags[n++] = p;
        if (comma == NULL)
            break;
    }
    return n;
}

void cli_media_init(struct cli_media *cm)
{
    memset(cm->m, 0, sizeof cm->m);
    for (size_t i = 0; i < SCHED_MEDIA_MAX; i++)
        buf_init(&cm->sha[i], 65);
    cm->n = 0;
}

int cli_media_read(struct cli_media *cm, const char *const *files, size_t n)
{
    struct buf err;
    int exit_code = EXIT_OK_;

    buf_init(&err, 1024);
    for (size_t i = 0; i < n && i < SCHED_MEDIA_MAX; i++) {
        struct sched_media *m = &cm->m[i];
        char *abs = realpath(files[i], NULL);

        m->path = abs;
        cm->n = i + 1;
        if (abs == NULL ||
            sched_media_file(abs, &cm->sha[i], &m->bytes, &m->content_type,
                             &err) != ERR_OK) {
            cli_error("--media %s: %s", files[i],
                      abs ? buf_cstr(&err) : "no such file");
            exit_code = EXIT_USAGE;
            break;
        }
        m->sha256 = buf_cstr(&cm->sha[i]);
    }
    buf_free(&err);
    return exit_code;
}

void cli_media_free(struct cli_media *cm)
{
    for (size_t i = 0; i < SCHED_MEDIA_MAX; i++) {
        free((char *)cm->m[i].path);
        cm->m[i].path = NULL;
        buf_free(&cm->sha[i]);
    }
    cm->n = 0;
}
