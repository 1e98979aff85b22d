/* mediadash queue slots [add|edit|rm] / queue next: queue slots, per
 * account weekly posting times as local wall times (schedule/slots.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/alloc.h"
#include "core/jsonw.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "schedule/slots.h"

struct slot_args {
    const char *platform, *account, *days, *time, *zone, *after;
    int64_t count;
    bool json;
};

static int parse_slot_args(int argc, char **argv, struct slot_args *a)
{
    static const struct option opts[] = {
        {"platform", required_argument, NULL, 'p'},
        {"account", required_argument, NULL, 'a'},
        {"day", required_argument, NULL, 'd'},
        {"time", required_argument, NULL, 't'},
        {"zone", required_argument, NULL, 'z'},
        {"after", required_argument, NULL, 'A'},
        {"count", required_argument, NULL, 'n'},
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    int c;
    a->count = 5;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'p': a->platform = optarg; break;
        case 'a': a->account = optarg; break;
        case 'd': a->days = optarg; break;
        case 't': a->time = optarg; break;
        case 'z': a->zone = optarg; break;
        case 'A': a->after = optarg; break;
        case 'j': a->json = true; break;
        case 'n':
            if (parse_i64(optarg, 1, 50, &a->count) != ERR_OK) {
                cli_error("--count: 1 to 50");
                return EXIT_USAGE;
            }
            break;
        default: return EXIT_USAGE;
        }
    }
    return EXIT_OK_;
}

static int exit_of(enum err rc)
{
    return rc == ERR_OK         ? EXIT_OK_
           : rc == ERR_NOTFOUND ? EXIT_NOTFOUND
           : rc == ERR_DB       ? EXIT_DB
                                : EXIT_FAIL;
}

static enum err print_slot(const struct slot *s, void *ud)
{
    struct slot_when *x = NULL;
    struct buf t, err;
    size_t n = 0;
    (void)ud;
    buf_init(&t, 64);
    buf_init(&err, 256);
    if (slots_format_time(s->minute, &t) != ERR_OK)
        buf_reset(&t);
    if (slots_occurrences(s, 1, time_now(), 8, 1, &x, &n, &err) != ERR_OK)
        n = 0;
    printf("%-6lld %-9s %-24s %s %s %-20s next %s\n", (long long)s->id,
           s->platform, s->account, slots_day_name(s->weekday), buf_cstr(&t),
           s->zone, n ? x[0].local : "-");
    free(x);
    buf_free(&t);
    buf_free(&err);
    return ERR_OK;
}

static enum err json_slot(const struct slot *s, void *ud)
{
    struct jw *w = ud;
    slots_slot_json(w, s, time_now());
    return w->status;
}

/* End the JSON document in out and print it; rc unless that fails. */
static enum err print_json(struct jw *w, struct buf *out, enum err rc)
{
    jw_object_end(w);
    if (rc == ERR_OK && (jw_status(w) != ERR_OK ||
                         buf_putc(out, '\n') != ERR_OK || !cli_write(stdout, out)))
        rc = ERR_IO;
    return rc;
}

static int slots_list(struct store *st, const struct slot_args *a)
{
    struct buf err, out;
    struct jw w;
    enum err rc;

    buf_init(&err, 1024);
    buf_init(&out, (size_t)16 << 20);
    jw_init(&w, &out);
    jw_object_begin(&w);
    jw_key(&w, "slots");
    jw_array_begin(&w);
    rc = store_slot_list(st, a->platform, a->account,
                         a->json ? json_slot : print_slot, &w, &err);
    jw_array_end(&w);
    if (a->json)
        rc = print_json(&w, &out, rc);
    if (rc != ERR_OK)
        cli_error("%s", rc == ERR_IO ? "writing the list" : buf_cstr(&err));
    buf_free(&out);
    buf_free(&err);
    return exit_of(rc);
}

/* Add s on the day named day; prints what it did. */
static enum err add_one(struct store *st, struct slot *s, const char *day,
                        const char *time, struct buf *err)
{
    const char *param = NULL;
    int64_t id = 0;
    enum err rc;

    if (slots_parse_day(day, &s->weekday) != ERR_OK) {
        buf_setf(err, "--day %s: one of sun, mon, tue, wed, thu, fri, sat",
                 day);
        return ERR_INVALID;
    }
    rc = slots_check(s, &param, err);
    if (rc == ERR_OK)
        rc = store_slot_add(st, s, time_now(), &id, err);
    if (rc == ERR_OK || rc == ERR_EXISTS)
        printf("slot %lld %s %s %s%s\n", (long long)id,
               slots_day_name(s->weekday), time, s->zone,
               rc == ERR_EXISTS ? " (there already)" : "");
    return rc == ERR_EXISTS ? ERR_OK : rc;
}

/* Add a slot for each day in "tue,thu". */
static int slots_add(struct store *st, const struct slot_args *a)
{
    struct slot s = {0, (char *)a->platform, (char *)a->account, 0, 0,
                     (char *)a->zone, 0, 0};
    const char *p = a->days;
    struct buf err;
    enum err rc = ERR_OK;
    char day[16];

    if (a->days == NULL || a->time == NULL ||
        slots_parse_time(a->time, &s.minute) != ERR_OK) {
        cli_error("queue slots add: --day DAY[,DAY] and --time HH:MM are "
                  "needed");
        return EXIT_USAGE;
    }
    buf_init(&err, 1024);
    while (rc == ERR_OK && *p) {
        size_t n = strcspn(p, ",");
        snprintf(day, sizeof day, "%.*s", (int)(n < 15 ? n : 15), p);
        p += n + (p[n] == ',');
        rc = add_one(st, &s, day, a->time, &err);
    }
    if (rc != ERR_OK)
        cli_error("%s", buf_cstr(&err));
    buf_free(&err);
    return rc == ERR_INVALID || rc == ERR_NOTFOUND ? EXIT_USAGE
                                                   : exit_of(rc);
}

/* queue slots edit ID [--day D] [--time HH:MM] [--zone Z] */
static int slots_edit(struct store *st, int64_t id, const struct slot_args *a)
{
    const char *param = NULL;
    struct slot s = {0};
    struct buf err;
    enum err rc;

    buf_init(&err, 1024);
    rc = store_slot_get(st, id, &s, &err);
    if (rc == ERR_OK && a->days &&
        slots_parse_day(a->days, &s.weekday) != ERR_OK) {
        buf_setf(&err, "--day: one of sun, mon, tue, wed, thu, fri, sat");
        rc = ERR_INVALID;
    }
    if (rc == ERR_OK && a->time &&
        slots_parse_time(a->time, &s.minute) != ERR_OK) {
        buf_setf(&err, "--time: HH:MM from 00:00 to 23:59");
        rc = ERR_INVALID;
    }
    if (rc == ERR_OK && a->zone != NULL) {
        free(s.zone);
        s.zone = xstrdup(a->zone);
    }
    if (rc == ERR_OK)
        rc = slots_check(&s, &param, &err);
    if (rc == ERR_OK)
        rc = store_slot_update(st, id, s.weekday, s.minute, s.zone,
                               time_now(), &err);
    if (rc == ERR_OK)
        rc = print_slot(&s, NULL);
    else
        cli_error("%s", buf_cstr(&err));
    slot_free(&s);
    buf_free(&err);
    return rc == ERR_INVALID ? EXIT_USAGE : exit_of(rc);
}

static int slots_rm(struct store *st, int64_t id)
{
    struct buf err;
    enum err rc;
    buf_init(&err, 512);
    rc = store_slot_delete(st, id, &err);
    if (rc != ERR_OK)
        cli_error("%s", buf_cstr(&err));
    buf_free(&err);
    return exit_of(rc);
}

/* queue next: the next free occurrences, one a line. */
static int queue_next(struct store *st, const struct slot_args *a)
{
    struct slots_queue q = {0};
    int64_t after = time_now(), shown = 0;
    bool *taken = NULL;
    struct buf err, out;
    struct jw w;
    enum err rc;

    if (a->platform == NULL || a->account == NULL ||
        (a->after && !cli_time("--after", a->after, &after)))
        return EXIT_USAGE;
    buf_init(&err, 1024);
    buf_init(&out, (size_t)1 << 20);
    if (after < time_now())
        after = time_now();
    rc = slots_queue_load(st, a->platform, a->account, after, &q, &err);
    if (rc == ERR_OK) {
        taken = calloc(q.nwhen ? q.nwhen : 1, sizeof *taken);
        rc = taken ? store_slot_taken(st, a->platform, a->account, q.when,
                                      q.nwhen, taken, &err)
                   : ERR_NOMEM;
    }
    jw_init(&w, &out);
    jw_object_begin(&w);
    jw_key(&w, "next");
    jw_array_begin(&w);
    for (size_t i = 0; rc == ERR_OK && i < q.nwhen && shown < a->count; i++) {
        struct buf t;
        if (taken[i])
            continue;
        shown++;
        if (a->json) {
            slots_when_json(&w, &q, &q.when[i]);
            continue;
        }
        buf_init(&t, 64);
        if (time_format_iso8601(q.when[i].utc, &t) == ERR_OK)
            printf("%s  %.16s %s%s\n", buf_cstr(&t), q.when[i].local,
                   q.when[i].zone, q.when[i].shifted ? " (DST gap: at its "
                                                       "end)" : "");
        buf_free(&t);
    }
    jw_array_end(&w);
    if (a->json)
        rc = print_json(&w, &out, rc);
    if (rc != ERR_OK)
        cli_error("%s", rc == ERR_IO ? "writing the list" : buf_cstr(&err));
    buf_free(&out);
    free(taken);
    slots_queue_free(&q);
    buf_free(&err);
    return exit_of(rc);
}

int cmd_queue(struct cli *cli, int argc, char **argv)
{
    const char *sub = argc > 1 ? argv[1] : "";
    const char *verb = argc > 2 && argv[2][0] != '-' ? argv[2] : "list";
    struct slot_args a = {0};
    struct store *st = NULL;
    int64_t id = 0;
    int skip, rc;

    if (strcmp(sub, "next") != 0 && strcmp(sub, "slots") != 0) {
        cli_error("queue: slots [add|edit|rm] or next (see --help)");
        return EXIT_USAGE;
    }
    /* getopt sees argv from the word before the options */
    skip = strcmp(sub, "slots") == 0 && argc > 2 && argv[2][0] != '-' ? 2 : 1;
    if ((strcmp(verb, "edit") == 0 || strcmp(verb, "rm") == 0) &&
        (argc < 4 || parse_i64(argv[3], 1, INT64_MAX, &id) != ERR_OK)) {
        cli_error("queue slots %s: one slot id is needed", verb);
        return EXIT_USAGE;
    }
    skip += id != 0 ? 1 : 0;
    rc = parse_slot_args(argc - skip, argv + skip, &a);
    if (rc != EXIT_OK_ || optind != argc - skip)
        return EXIT_USAGE;
    st = cli_open_store(cli);
    if (st == NULL)
        return EXIT_DB;
    if (strcmp(sub, "next") == 0)
        rc = queue_next(st, &a);
    else if (strcmp(verb, "list") == 0)
        rc = slots_list(st, &a);
    else if (strcmp(verb, "add") == 0)
        rc = slots_add(st, &a);
    else if (strcmp(verb, "edit") == 0)
        rc = slots_edit(st, id, &a);
    else if (strcmp(verb, "rm") == 0)
        rc = slots_rm(st, id);
    else {
        cli_error("queue slots: add, edit or rm (see --help)");
        rc = EXIT_USAGE;
    }
    store_close(st);
    return rc;
}
