/* mediadash post edit ID [--at ... --zone ... --title ... ...]: the CLI's
 * PATCH /api/v1/posts/ID (issue 14). The same checks (post_edit.h over
 * sched_post_build) and the same guarded write (store_post_edit): the
 * post must still be a draft or scheduled, and at the version read here
 * (or at --version N when given), else nothing changes. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/cli_post.h"
#include "core/alloc.h"
#include "core/jsonw.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "schedule/post_edit.h"

struct edit_args {
    struct sched_patch pt;
    int64_t id, version; /* version 0: the one read now */
    const char *tags_arg;
    const char *files[SCHED_MEDIA_MAX];
    size_t nfiles;
    bool json;
};

static const struct option edit_opts[] = {
    {"platform", required_argument, NULL, 'p'},
    {"account", required_argument, NULL, 'a'},
    {"title", required_argument, NULL, 't'},
    {"caption", required_argument, NULL, 'c'},
    {"tags", required_argument, NULL, 'g'},
    {"privacy", required_argument, NULL, 'v'},
    {"media", required_argument, NULL, 'm'},
    {"at", required_argument, NULL, 'A'},
    {"zone", required_argument, NULL, 'z'},
    {"draft", no_argument, NULL, 'd'},
    {"schedule", no_argument, NULL, 's'},
    {"later", no_argument, NULL, 'L'},
    {"shift-gap", no_argument, NULL, 'S'},
    {"version", required_argument, NULL, 'V'},
    {"json", no_argument, NULL, 'j'},
    {NULL, 0, NULL, 0},
};

static int edit_opt(int c, struct edit_args *a)
{
    switch (c) {
    case 'p': a->pt.platform = optarg; break;
    case 'a': a->pt.account = optarg; break;
    case 't': a->pt.title = optarg; break;
    case 'c': a->pt.caption = optarg; break;
    case 'g': a->tags_arg = optarg; break;
    case 'v': a->pt.privacy = optarg; break;
    case 'A': a->pt.at = optarg; break;
    case 'z': a->pt.zone = optarg; break;
    case 'd': a->pt.draft = 1; break;
    case 's': a->pt.draft = 0; break;
    case 'L': a->pt.opts.later = true; break;
    case 'S': a->pt.opts.shift_gap = true; break;
    case 'j': a->json = true; break;
    case 'V':
        if (parse_i64(optarg, 1, INT64_MAX, &a->version) != ERR_OK) {
            cli_error("post edit: --version must be a positive integer");
            return EXIT_USAGE;
        }
        break;
    case 'm':
        if (a->nfiles == SCHED_MEDIA_MAX) {
            cli_error("post edit: at most %d --media files", SCHED_MEDIA_MAX);
            return EXIT_USAGE;
        }
        a->files[a->nfiles++] = optarg;
        break;
    default: return EXIT_USAGE;
    }
    return EXIT_OK_;
}

static int parse_edit(int argc, char **argv, struct edit_args *a)
{
    int c, rc = EXIT_OK_;

    while (rc == EXIT_OK_ &&
           (c = getopt_long(argc, argv, "", edit_opts, NULL)) != -1)
        rc = edit_opt(c, a);
    if (rc != EXIT_OK_)
        return rc;
    if (optind + 1 != argc ||
        parse_i64(argv[optind], 1, INT64_MAX, &a->id) != ERR_OK) {
        cli_error("post edit: one post id is needed (see --help)");
        return EXIT_USAGE;
    }
    return EXIT_OK_;
}

static int print_edited(struct store *st, int64_t id, bool json,
                        const char *changes, size_t n)
{
    struct post p;
    struct buf out;
    struct jw w;
    int exit_code = EXIT_OK_;

    if (store_post_get(st, id, &p) != ERR_OK)
        return EXIT_DB;
    buf_init(&out, BUF_MAX_DEFAULT);
    jw_init(&w, &out);
    if (json) {
        jw_object_begin(&w);
        jw_key(&w, "post");
        sched_post_json(&w, &p);
        jw_key(&w, "changes");
        sched_changes_json(&w, changes);
        jw_object_end(&w);
    } else {
        printf("post %lld %s at version %lld: %zu change%s\n", (long long)id,
               post_state_name(p.state), (long long)p.version, n,
               n == 1 ? "" : "s");
        sched_changes_json(&w, changes); /* one JSON array */
    }
    if (jw_status(&w) != ERR_OK || buf_putc(&out, '\n') != ERR_OK ||
        !cli_write(stdout, &out))
        exit_code = EXIT_FAIL;
    buf_free(&out);
    post_free(&p);
    return exit_code;
}

/* Check cur against the version asked for and the state. */
static int may_edit(const struct post *cur, int64_t version)
{
    if (!post_editable(cur->state)) {
        cli_error("post %lld is %s: only a draft or a scheduled post can be "
                  "changed",
                  (long long)cur->id, post_state_name(cur->state));
        return EXIT_FAIL;
    }
    if (version != 0 && version != cur->version) {
        cli_error("post %lld was changed meanwhile: it is at version %lld, "
                  "not %lld",
                  (long long)cur->id, (long long)cur->version,
                  (long long)version);
        return EXIT_FAIL;
    }
    return EXIT_OK_;
}

/* Build, diff and write the edit of cur. */
static int edit_write(struct cli *cli, struct store *st,
                      const struct post *cur, const struct edit_args *a)
{
    struct buf note, err, changes;
    const char *param = NULL;
    struct post p = {0};
    size_t n = 0;
    int exit_code = EXIT_USAGE;
    enum err rc;

    buf_init(&note, 1024);
    buf_init(&err, 1024);
    buf_init(&changes, POST_EDIT_CHANGES_MAX);
    if (sched_post_edit_build(cur, &a->pt, &p, &note, &param, &err) !=
        ERR_OK) {
        cli_error("--%s: %s", param ? param : "at", buf_cstr(&err));
        goto out;
    }
    exit_code = EXIT_FAIL;
    if (sched_post_diff(cur, &p, &changes, &n) != ERR_OK) {
        cli_error("post edit: the edit is too large to record");
        goto out;
    }
    rc = n == 0 ? ERR_OK
                : store_post_edit(st, cur->id, cur->version, &p,
                                  "command line", buf_cstr(&changes),
                                  time_now(), NULL, &err);
    if (rc != ERR_OK) {
        cli_error("%s", buf_cstr(&err));
        exit_code = rc == ERR_DB ? EXIT_DB : EXIT_FAIL;
        goto out;
    }
    if (note.len && !cli->quiet)
        fprintf(stderr, "note: %s\n", buf_cstr(&note));
    exit_code = print_edited(st, cur->id, a->json, buf_cstr(&changes), n);
out:
    post_free(&p);
    buf_free(&note);
    buf_free(&err);
    buf_free(&changes);
    return exit_code;
}

int cmd_post_edit(struct cli *cli, int argc, char **argv)
{
    struct edit_args a = {.pt = SCHED_PATCH_NONE};
    struct cli_media media;
    const char *tags[SCHED_TAGS_MAX + 1];
    char *tagdup = NULL;
    struct store *st = NULL;
    struct post cur = {0};
    int exit_code = parse_edit(argc, argv, &a);
    enum err rc;

    cli_media_init(&media);
    if (exit_code != EXIT_OK_)
        goto out;
    if (a.tags_arg != NULL) {
        a.pt.has_tags = true;
        a.pt.ntags = cli_post_tags(a.tags_arg, &tagdup, tags);
        a.pt.tags = tags;
    }
    if (a.nfiles > 0) {
        a.pt.has_media = true;
        a.pt.media = media.m;
        a.pt.nmedia = a.nfiles;
        exit_code = cli_media_read(&media, a.files, a.nfiles);
        if (exit_code != EXIT_OK_)
            goto out;
    }
    st = cli_open_store(cli);
    exit_code = EXIT_DB;
    if (st == NULL)
        goto out;
    rc = store_post_get(st, a.id, &cur);
    if (rc != ERR_OK) {
        cli_error("no post %lld", (long long)a.id);
        exit_code = rc == ERR_NOTFOUND ? EXIT_NOTFOUND : EXIT_DB;
        goto out;
    }
    exit_code = may_edit(&cur, a.version);
    if (exit_code == EXIT_OK_)
        exit_code = edit_write(cli, st, &cur, &a);
out:
    cli_media_free(&media);
    free(tagdup);
    post_free(&cur);
    store_close(st);
    return exit_code;
}

static enum err print_edit(const struct post_edit *e, void *ud)
{
    struct buf at, line;
    struct jw w;
    (void)ud;
    buf_init(&at, 64);
    buf_init(&line, POST_EDIT_CHANGES_MAX * 2);
    if (time_format_iso8601(e->at, &at) != ERR_OK)
        buf_reset(&at);
    jw_init(&w, &line);
    sched_changes_json(&w, e->changes);
    printf("  %s  version %lld by %s: %s\n", buf_cstr(&at),
           (long long)e->version, e->by,
           jw_status(&w) == ERR_OK ? buf_cstr(&line) : "?");
    buf_free(&at);
    buf_free(&line);
    return ERR_OK;
}

enum err cmd_post_print_edits(struct store *st, int64_t id)
{
    printf("edits:\n");
    return store_post_edits(st, id, print_edit, NULL);
}
