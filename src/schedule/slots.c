/* Queue slots: names, checks, occurrences, queue adds (slots.h). */
#include "schedule/slots.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/model.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "core/tz.h"
#include "schedule/publishers.h"

static const char *const day_short[7] = {"sun", "mon", "tue", "wed",
                                         "thu", "fri", "sat"};
static const char *const day_long[7] = {"sunday",   "monday", "tuesday",
                                        "wednesday", "thursday", "friday",
                                        "saturday"};

const char *slots_day_name(int weekday)
{
    return weekday >= 0 && weekday < 7 ? day_short[weekday] : "?";
}

enum err slots_parse_day(const char *s, int *out)
{
    for (int i = 0; s != NULL && i < 7; i++) {
        if (strcasecmp(s, day_short[i]) == 0 ||
            strcasecmp(s, day_long[i]) == 0 ||
            (s[0] == (char)('0' + i) && s[1] == '\0')) {
            *out = i;
            return ERR_OK;
        }
    }
    return ERR_INVALID;
}

static bool digit(char c)
{
    return c >= '0' && c <= '9';
}

enum err slots_parse_time(const char *s, int *out)
{
    int h, m;
    if (s == NULL || strlen(s) != 5 || !digit(s[0]) || !digit(s[1]) ||
        s[2] != ':' || !digit(s[3]) || !digit(s[4]))
        return ERR_INVALID;
    h = (s[0] - '0') * 10 + (s[1] - '0');
    m = (s[3] - '0') * 10 + (s[4] - '0');
    if (h > 23 || m > 59)
        return ERR_INVALID;
    *out = h * 60 + m;
    return ERR_OK;
}

enum err slots_format_time(int minute, struct buf *out)
{
    if (minute < 0 || minute > 1439)
        return ERR_INVALID;
    return buf_printf(out, "%02d:%02d", minute / 60, minute % 60);
}

static bool printable(const char *s, size_t max)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > max || !str_valid_utf8(s, n))
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return false;
    return true;
}

enum err slots_check(const struct slot *s, const char **param,
                     struct buf *err)
{
    struct tz *z = NULL;
    enum err rc;

    *param = "platform";
    if (publishers_find(s->platform) == NULL) {
        struct buf names;
        buf_init(&names, 256);
        publishers_names(&names);
        buf_setf(err, "platform: %s", buf_cstr(&names));
        buf_free(&names);
        return ERR_INVALID;
    }
    *param = "account";
    if (!printable(s->account, ITEM_ID_MAX)) {
        buf_setf(err, "account: the account id is needed");
        return ERR_INVALID;
    }
    *param = "day";
    if (s->weekday < 0 || s->weekday > 6) {
        buf_setf(err, "day: one of sun, mon, tue, wed, thu, fri, sat");
        return ERR_INVALID;
    }
    *param = "time";
    if (s->minute < 0 || s->minute > 1439) {
        buf_setf(err, "time: a wall time HH:MM from 00:00 to 23:59");
        return ERR_INVALID;
    }
    *param = "zone";
    rc = tz_load(s->zone, &z, err);
    tz_destroy(z);
    if (rc != ERR_OK)
        return rc == ERR_NOTFOUND ? ERR_NOTFOUND : ERR_INVALID;
    *param = NULL;
    return ERR_OK;
}

/* ---- occurrences ---------------------------------------------------- */

struct zones {
    const char **names;
    struct tz **z;
    size_t n;
};

/* The zone called name, loaded once per call of slots_occurrences. */
static enum err zone_get(struct zones *zs, const char *name, struct tz **out,
                         struct buf *err)
{
    enum err rc;
    for (size_t i = 0; i < zs->n; i++) {
        if (strcmp(zs->names[i], name) == 0) {
            *out = zs->z[i];
            return ERR_OK;
        }
    }
    rc = tz_load(name, out, err);
    if (rc == ERR_OK) {
        zs->names[zs->n] = name;
        zs->z[zs->n++] = *out;
    }
    return rc;
}

/* Append slot s's occurrences in (after, until] to out (room for cap). */
static void add_slot(const struct tz *z, const struct slot *s, int64_t after,
                     int64_t until, struct slot_when *out, size_t *n,
                     size_t cap)
{
    struct tz_civil c;
    int64_t d0, d, y, first, second;
    unsigned m, day;
    enum tz_local kind;
    int wd0;

    tz_to_civil(z, after, &c);
    d0 = time_days_from_civil(c.year, (unsigned)c.month, (unsigned)c.day) - 1;
    wd0 = (int)(((d0 % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
    for (d = d0 + (s->weekday - wd0 + 7) % 7; *n < cap; d += 7) {
        time_civil_from_days(d, &y, &m, &day);
        if (tz_from_civil(z, y, (int)m, (int)day, s->minute / 60,
                          s->minute % 60, 0, &kind, &first,
                          &second) != ERR_OK ||
            first > until)
            break;
        if (first <= after)
            continue;
        out[*n] = (struct slot_when){.utc = first, .slot_id = s->id,
                                     .zone = s->zone,
                                     .shifted = kind == TZ_LOCAL_GAP};
        snprintf(out[*n].local, sizeof out[*n].local,
                 "%04lld-%02u-%02u %02d:%02d:00", (long long)y, m, day,
                 s->minute / 60, s->minute % 60);
        (*n)++;
    }
}

static int by_time(const void *a, const void *b)
{
    const struct slot_when *x = a, *y = b;
    if (x->utc != y->utc)
        return x->utc < y->utc ? -1 : 1;
    return (x->slot_id > y->slot_id) - (x->slot_id < y->slot_id);
}

enum err slots_occurrences(const struct slot *s, size_t n, int64_t after,
                           int days, size_t max, struct slot_when **out,
                           size_t *nout, struct buf *err)
{
    struct zones zs = {0};
    struct slot_when *w = NULL;
    size_t cap, k = 0, kept = 0;
    enum err rc = ERR_OK;

    *out = NULL;
    *nout = 0;
    if (n > 10000 || days < 1 || days > 3660) {
        buf_setf(err, "too many slots or days");
        return ERR_TOOBIG;
    }
    cap = n * ((size_t)days / 7 + 2);
    w = xcalloc(cap ? cap : 1, sizeof *w);
    zs.names = xcalloc(n ? n : 1, sizeof *zs.names);
    zs.z = xcalloc(n ? n : 1, sizeof *zs.z);
    for (size_t i = 0; i < n && rc == ERR_OK; i++) {
        struct tz *z = NULL;
        rc = zone_get(&zs, s[i].zone, &z, err);
        if (rc == ERR_OK)
            add_slot(z, &s[i], after, after + (int64_t)days * 86400, w, &k,
                     cap);
    }
    qsort(w, k, sizeof *w, by_time);
    for (size_t i = 0; i < k && kept < max; i++)
        if (kept == 0 || w[kept - 1].utc != w[i].utc)
            w[kept++] = w[i];
    for (size_t i = 0; i < zs.n; i++)
        tz_destroy(zs.z[i]);
    free(zs.names);
    free(zs.z);
    if (rc != ERR_OK) {
        free(w);
        return rc;
    }
    *out = w;
    *nout = kept;
    return ERR_OK;
}

/* ---- the queue ------------------------------------------------------ */

void slots_queue_free(struct slots_queue *q)
{
    if (q == NULL)
        return;
    for (size_t i = 0; i < q->nslots; i++)
        slot_free(&q->slots[i]);
    FREE_AND_NULL(q->slots);
    FREE_AND_NULL(q->when);
    q->nslots = q->nwhen = 0;
}

static enum err keep_slot(const struct slot *s, void *ud)
{
    struct slots_queue *q = ud;
    if (q->nslots == SLOTS_PER_ACCOUNT_MAX)
        return ERR_OK; /* the store refuses more; never more than that */
    q->slots[q->nslots++] = (struct slot){
        s->id,      xstrdup(s->platform), xstrdup(s->account), s->weekday,
        s->minute,  xstrdup(s->zone),     s->created_at,       s->updated_at};
    return ERR_OK;
}

enum err slots_queue_load(struct store *st, const char *platform,
                          const char *account, int64_t after,
                          struct slots_queue *q, struct buf *err)
{
    enum err rc;

    *q = (struct slots_queue){0};
    q->slots = xcalloc(SLOTS_PER_ACCOUNT_MAX, sizeof *q->slots);
    rc = store_slot_list(st, platform, account, keep_slot, q, err);
    if (rc == ERR_OK && q->nslots == 0) {
        buf_setf(err, "%s account %s has no queue slots: add some first "
                 "(Queue page, or mediadash queue slots add)",
                 platform, account);
        rc = ERR_NOTFOUND;
    }
    if (rc == ERR_OK)
        rc = slots_occurrences(q->slots, q->nslots, after,
                               SLOTS_HORIZON_DAYS, SLOTS_OCCURRENCES_MAX,
                               &q->when, &q->nwhen, err);
    if (rc != ERR_OK)
        slots_queue_free(q);
    return rc;
}

enum err slots_queue_add(struct store *st, const struct slots_queue *q,
                         struct post *p, int64_t now, int64_t *id_out,
                         struct buf *note, struct buf *err)
{
    size_t i = q->nwhen;
    enum err rc;

    rc = store_slot_queue_post(st, p, q->when, q->nwhen, now, id_out, &i,
                               err);
    buf_reset(note);
    if (rc == ERR_OK && i < q->nwhen) {
        const struct slot_when *w = &q->when[i];
        int wd = 0;
        for (size_t k = 0; k < q->nslots; k++)
            if (q->slots[k].id == w->slot_id)
                wd = q->slots[k].weekday;
        buf_catf(note, "added to the queue: %s %.16s %s (slot %lld)%s",
                 slots_day_name(wd), w->local, w->zone, (long long)w->slot_id,
                 w->shifted ? "; that wall time does not exist that day "
                              "(DST gap): moved to the end of the gap"
                            : "");
    }
    return rc;
}

/* ---- JSON ----------------------------------------------------------- */

void slots_when_json(struct jw *w, const struct slots_queue *q,
                     const struct slot_when *x)
{
    jw_object_begin(w);
    jw_kv_time(w, "at", x->utc);
    jw_kv_str(w, "local", x->local);
    jw_kv_str(w, "zone", x->zone);
    jw_kv_i64(w, "slot_id", x->slot_id);
    jw_kv_bool(w, "shifted", x->shifted);
    for (size_t k = 0; k < q->nslots; k++)
        if (q->slots[k].id == x->slot_id)
            jw_kv_str(w, "day", slots_day_name(q->slots[k].weekday));
    jw_object_end(w);
}

void slots_slot_json(struct jw *w, const struct slot *s, int64_t now)
{
    struct slot_when *x = NULL;
    struct buf t, err;
    size_t n = 0;

    buf_init(&t, 16);
    buf_init(&err, 512);
    jw_object_begin(w);
    jw_kv_i64(w, "id", s->id);
    jw_kv_str(w, "platform", s->platform);
    jw_kv_str(w, "account", s->account);
    jw_kv_i64(w, "weekday", s->weekday);
    jw_kv_str(w, "day", slots_day_name(s->weekday));
    jw_kv_str(w, "time", slots_format_time(s->minute, &t) == ERR_OK
                             ? buf_cstr(&t) : NULL);
    jw_kv_str(w, "zone", s->zone);
    if (slots_occurrences(s, 1, now, 8, 1, &x, &n, &err) == ERR_OK && n) {
        jw_kv_time(w, "next", x[0].utc);
        jw_kv_str(w, "next_local", x[0].local);
    } else {
        jw_kv_str(w, "next", NULL);
        jw_kv_str(w, "next_local", NULL);
    }
    jw_object_end(w);
    free(x);
    buf_free(&t);
    buf_free(&err);
}

