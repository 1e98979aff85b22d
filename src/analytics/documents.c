/* Documents for retrieval: ids, figures, summaries and the walk in
 * change order (documents.h). */
#include <stdlib.h>
#include <string.h>

#include "analytics/analytics.h"
#include "analytics/documents.h"
#include "analytics/typical.h"
#include "core/alloc.h"
#include "core/jsonw.h"
#include "core/model_json.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "core/tz.h"

#define DOC_MAX ((size_t)1 << 22) /* one document: texts are <= 64 KiB */

/* ---- ids ----------------------------------------------------------- */

static bool unreserved(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
           c == '~';
}

enum err documents_id(struct buf *out, enum platform p, enum item_type type,
                      const char *ext_id, int32_t day)
{
    enum err rc = buf_printf(out, "%s%s/%s", DOCUMENTS_SCHEME,
                             platform_name(p),
                             type == ITEM_ACCOUNT ? "account/" : "");
    for (const unsigned char *c = (const unsigned char *)ext_id;
         *c && rc == ERR_OK; c++)
        rc = unreserved(*c) ? buf_putc(out, (char)*c)
                            : buf_printf(out, "%%%02X", *c);
    if (rc == ERR_OK && day != DOCUMENTS_NO_DAY) {
        rc = buf_puts(out, "/day/");
        if (rc == ERR_OK)
            rc = time_format_day(day, out);
    }
    return rc;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decode the percent-encoded ext id in [s, end) into *out. */
static enum err id_decode(const char *s, const char *end, char **out)
{
    struct buf b;
    enum err rc = s == end ? ERR_PARSE : ERR_OK;

    buf_init(&b, ITEM_ID_MAX + 1);
    while (s < end && rc == ERR_OK) {
        if (*s == '%' && end - s >= 3 && hexval(s[1]) >= 0 &&
            hexval(s[2]) >= 0 && (hexval(s[1]) | hexval(s[2])) != 0) {
            char c = (char)(hexval(s[1]) * 16 + hexval(s[2]));
            rc = unreserved((unsigned char)c) ? ERR_PARSE : buf_putc(&b, c);
            s += 3;
        } else {
            rc = unreserved((unsigned char)*s) ? buf_putc(&b, *s++)
                                               : ERR_PARSE;
        }
    }
    *out = rc == ERR_OK ? buf_steal(&b) : NULL;
    buf_free(&b);
    return rc == ERR_OK ? rc : ERR_PARSE;
}

enum err documents_id_parse(const char *id, enum platform *p,
                            enum item_type *type, char **ext_id,
                            int32_t *day)
{
    size_t ns = strlen(DOCUMENTS_SCHEME);
    const char *s, *slash, *end, *dayp;
    char name[32];
    int64_t t;

    *ext_id = NULL;
    *day = DOCUMENTS_NO_DAY;
    if (strncmp(id, DOCUMENTS_SCHEME, ns) != 0)
        return ERR_PARSE;
    s = id + ns;
    slash = strchr(s, '/');
    if (slash == NULL || (size_t)(slash - s) >= sizeof name)
        return ERR_PARSE;
    memcpy(name, s, (size_t)(slash - s));
    name[slash - s] = '\0';
    if (platform_from_name(name, p) != ERR_OK ||
        strcmp(name, platform_name(*p)) != 0)
        return ERR_PARSE;
    s = slash + 1;
    *type = strncmp(s, "account/", 8) == 0 ? ITEM_ACCOUNT : ITEM_CONTENT;
    if (*type == ITEM_ACCOUNT)
        s += 8;
    dayp = *type == ITEM_ACCOUNT ? strstr(s, "/day/") : NULL;
    end = dayp ? dayp : s + strlen(s);
    if (dayp != NULL) {
        if (!time_is_date(dayp + 5) ||
            time_parse_iso8601(dayp + 5, &t) != ERR_OK)
            return ERR_PARSE;
        *day = (int32_t)(t / 86400);
    }
    return id_decode(s, end, ext_id);
}

/* ---- text and numbers ------------------------------------------------ */

/* Append rollup day `day` as YYYY-MM-DD (a full b truncates; the
 * writer's own checks catch that). */
static void day_text(int32_t day, struct buf *b)
{
    if (time_format_day(day, b) != ERR_OK)
        buf_catf(b, "?");
}

void documents_text(struct buf *b, const struct item *it)
{
    buf_reset(b);
    buf_catf(b, "%s", it->title ? it->title : "");
    if (it->description && *it->description)
        buf_catf(b, "%s%s", b->len ? "\n\n" : "", it->description);
}

void documents_num(struct buf *b, int64_t n)
{
    char digits[32];
    uint64_t u = n < 0 ? (uint64_t)0 - (uint64_t)n : (uint64_t)n;
    int len = 0;

    do {
        digits[len++] = (char)('0' + u % 10);
        u /= 10;
    } while (u > 0);
    if (n < 0)
        buf_catf(b, "-");
    while (len > 0) {
        buf_catf(b, "%c", digits[--len]);
        if (len > 0 && len % 3 == 0)
            buf_catf(b, ",");
    }
}

/* ---- figures and summaries ---------------------------------------------- */

static const int32_t at_days[3] = {1, 7, 28};

static bool latest_int(const struct item *it, const char *name, int64_t *v)
{
    const struct metric *m =
        it->nsnaps > 0 ? metrics_get(&it->snaps[0]->metrics, name) : NULL;
    if (m == NULL || m->is_real)
        return false;
    *v = m->i;
    return true;
}

/* Views at ages 1, 7 and 28 days (known once the item has a views row
 * on or after day pub_day + age; the last value on or before that day,
 * as vs typical reads its peers) and the peak day (the largest known
 * gain on or after pub_day; ties: the earliest), from the item's daily
 * rows (days ascending, maybe one before pub_day). */
static void figures_days(struct documents_figures *f,
                         const struct store_day *rows, size_t n,
                         int32_t pub_day, bool has_pub)
{
    for (size_t i = 0; i < n; i++)
        if (rows[i].has_gain && (!has_pub || rows[i].day >= pub_day) &&
            (!f->has_peak || rows[i].gain > f->peak_gain)) {
            f->has_peak = true;
            f->peak_gain = rows[i].gain;
            f->peak_day = rows[i].day;
        }
    for (int k = 0; k < 3 && has_pub; k++) {
        int32_t want = pub_day + at_days[k];
        const struct store_day *last = NULL;
        bool after = false;
        for (size_t i = 0; i < n; i++) {
            if (rows[i].day <= want)
                last = &rows[i];
            if (rows[i].day >= want)
                after = true;
        }
        f->has_at[k] = after && last != NULL;
        f->at[k] = last != NULL ? last->last_v : 0;
    }
}

enum err documents_figures(struct store *st, const struct typical *t,
                           const struct item *it, struct documents_figures *f)
{
    int64_t likes = 0, comments = 0, shares = 0, saves = 0;
    struct store_day *rows = NULL;
    int32_t pub_day = 0;
    size_t n = 0;
    enum err rc;

    memset(f, 0, sizeof *f);
    f->published_at = it->published_at;
    f->has_views = latest_int(it, M_VIEWS, &f->views);
    latest_int(it, M_LIKES, &likes);
    latest_int(it, M_COMMENTS, &comments);
    latest_int(it, M_SHARES, &shares);
    latest_int(it, M_SAVES, &saves);
    if (f->has_views)
        f->has_engagement = analytics_engagement(likes, comments, shares,
                                                 saves, f->views,
                                                 &f->engagement);
    if (it->published_at != TIME_NONE)
        pub_day = store_day_of(st, it->published_at);
    rc = store_item_days(st, it->id, M_VIEWS,
                         it->published_at != TIME_NONE ? pub_day
                                                       : INT32_MIN / 2,
                         INT32_MAX / 2, &rows, &n);
    if (rc != ERR_OK)
        return rc;
    figures_days(f, rows, n, pub_day, it->published_at != TIME_NONE);
    free(rows);
    f->has_typical = t != NULL && typical_of(t, it->id, &f->typical);
    return ERR_OK;
}

void documents_summary(struct buf *b, const struct tz *z,
                       const struct documents_figures *f)
{
    const char *sep = "";

    buf_reset(b);
    if (f->published_at != TIME_NONE) {
        struct tz_civil c;
        tz_to_civil(z, f->published_at, &c);
        buf_catf(b, "Published %s %02d:%02d %s", report_wday_names[c.wday],
                 c.hour, c.minute, tz_name(z));
        sep = "; ";
    }
    if (f->has_at[2] || f->has_views) {
        buf_catf(b, "%s", sep);
        documents_num(b, f->has_at[2] ? f->at[2] : f->views);
        buf_catf(b, f->has_at[2] ? " views in 28 days" : " views");
        sep = "; ";
    }
    if (f->has_typical && f->typical.has_ratio) {
        buf_catf(b, "%s%.1fx the typical at %d days", sep, f->typical.ratio,
                 (int)f->typical.age_days);
        sep = "; ";
    }
    if (f->has_peak) {
        buf_catf(b, "%speak day %s", sep, f->peak_gain >= 0 ? "+" : "");
        documents_num(b, f->peak_gain);
        buf_catf(b, " on ");
        day_text(f->peak_day, b);
        sep = "; ";
    }
    if (f->has_engagement)
        buf_catf(b, "%sengagement %.1f%%", sep, f->engagement * 100.0);
}

/* ---- the writer -------------------------------------------------------- */

struct doc_account {
    enum platform p;
    char *ext_id, *handle; /* owned; handle may be NULL */
};

struct documents {
    struct store *st;
    const struct typical *t;
    struct typical *own_t; /* built here when none was given */
    struct doc_account *acct;
    size_t nacct, acct_cap;
    bool acct_reloaded;    /* once per walk, on a miss */
    struct buf json, tmp;
    documents_fn fn;
    void *ud;
    struct buf *err;
};

static void accounts_clear(struct documents *d)
{
    for (size_t i = 0; i < d->nacct; i++) {
        free(d->acct[i].ext_id);
        free(d->acct[i].handle);
    }
    d->nacct = 0;
}

static enum err on_account(void *ud, const struct item *it)
{
    struct documents *d = ud;
    d->acct = xgrow(d->acct, &d->acct_cap, d->nacct + 1, sizeof *d->acct);
    d->acct[d->nacct++] = (struct doc_account){
        it->platform, xstrdup(it->ext_id), xstrdup(it->handle)};
    return ERR_OK;
}

static enum err accounts_load(struct documents *d, struct buf *err)
{
    struct item_query q = {.type = ITEM_ACCOUNT, .platform = -1};
    accounts_clear(d);
    return store_list_items(d->st, &q, on_account, d, err);
}

/* The handle of account ext_id of p (borrowed), or NULL. */
static const char *account_handle(struct documents *d, enum platform p,
                                  const char *ext_id)
{
    for (int pass = 0; pass < 2 && ext_id != NULL; pass++) {
        for (size_t i = 0; i < d->nacct; i++)
            if (d->acct[i].p == p && strcmp(d->acct[i].ext_id, ext_id) == 0)
                return d->acct[i].handle;
        if (d->acct_reloaded || accounts_load(d, d->err) != ERR_OK)
            return NULL;
        d->acct_reloaded = true;
    }
    return NULL;
}

enum err documents_open(struct store *st, const struct typical *t,
                        struct documents **out, struct buf *err)
{
    struct documents *d = xcalloc(1, sizeof *d);
    enum err rc = ERR_OK;

    d->st = st;
    d->t = t;
    buf_init(&d->json, DOC_MAX);
    buf_init(&d->tmp, DOC_MAX);
    if (t == NULL) {
        rc = typical_build(st, &d->own_t);
        d->t = d->own_t;
        if (rc != ERR_OK)
            buf_setf(err, "building the typical curves: %s", err_str(rc));
    }
    if (rc == ERR_OK)
        rc = accounts_load(d, err);
    if (rc != ERR_OK) {
        documents_close(d);
        d = NULL;
    }
    *out = d;
    return rc;
}

enum err documents_export(struct store *st, const struct store_doc_query *q,
                          documents_fn fn, void (*opened)(void *ud),
                          void *ud, struct buf *err)
{
    struct documents *d = NULL;
    enum err rc = store_read_begin(st, err);

    if (rc != ERR_OK)
        return rc;
    rc = documents_open(st, NULL, &d, err);
    if (rc == ERR_OK && opened != NULL)
        opened(ud);
    if (rc == ERR_OK)
        rc = documents_each(d, q, fn, ud, err);
    documents_close(d);
    store_read_end(st);
    return rc;
}

void documents_close(struct documents *d)
{
    if (d == NULL)
        return;
    accounts_clear(d);
    free(d->acct);
    typical_free(d->own_t);
    buf_free(&d->json);
    buf_free(&d->tmp);
    free(d);
}

/* "id" of the document c names. */
static void head_id(struct documents *d, struct jw *w,
                    const struct store_doc_change *c)
{
    bool day = c->kind == STORE_DOC_DAY || c->kind == STORE_DOC_DAY_GONE;
    buf_reset(&d->tmp);
    if (documents_id(&d->tmp, c->platform, day ? ITEM_ACCOUNT : c->type,
                     c->ext_id, day ? c->day : DOCUMENTS_NO_DAY) != ERR_OK)
        w->status = ERR_TOOBIG;
    jw_kv_str(w, "id", buf_cstr(&d->tmp));
}

static void write_tombstone(struct documents *d, struct jw *w,
                            const struct store_doc_change *c)
{
    jw_object_begin(w);
    head_id(d, w, c);
    jw_kv_bool(w, "deleted", true);
    jw_kv_time(w, "deleted_at", c->changed_at);
    jw_object_end(w);
}

/* The latest integer metrics named, as fields, and all of them. */
static void latest_fields(struct jw *w, const struct item *it,
                          const char *const *names, size_t n)
{
    int64_t v;
    for (size_t i = 0; i < n; i++)
        if (latest_int(it, names[i], &v))
            jw_kv_i64(w, names[i], v);
    jw_key(w, "metrics");
    if (it->nsnaps > 0)
        metrics_json(w, &it->snaps[0]->metrics);
    else
        jw_null(w);
}

/* Fields every item document has. */
static void item_head(struct documents *d, struct jw *w,
                      const struct store_doc_change *c, const struct item *it,
                      const char *handle)
{
    jw_object_begin(w);
    head_id(d, w, c);
    jw_kv_str(w, "type", item_type_name(it->type));
    jw_kv_str(w, "platform", platform_name(it->platform));
    jw_kv_str(w, "account", handle);
    jw_kv_str(w, "account_id", it->type == ITEM_ACCOUNT ? it->ext_id
                                                        : it->account_ext_id);
    jw_kv_str(w, "role", it->tracked ? "tracked" : "own");
    jw_kv_str(w, "kind", it->kind);
    jw_kv_str(w, "title", it->title);
    documents_text(&d->tmp, it);
    jw_kv_str(w, "text", buf_cstr(&d->tmp));
    jw_kv_time(w, "published_at", it->published_at);
    jw_kv_str(w, "url", str_http_url(it->url) ? it->url : NULL);
    jw_kv_time(w, "updated_at", c->changed_at);
}

static const char *const content_metrics[] = {M_VIEWS, M_LIKES, M_COMMENTS,
                                              M_SHARES, M_SAVES};
static const char *const account_metrics[] = {M_FOLLOWERS, M_VIEWS};

static enum err write_content(struct documents *d, struct jw *w,
                              const struct store_doc_change *c,
                              const struct item *it)
{
    static const char *const at_keys[3] = {"views_1d", "views_7d",
                                           "views_28d"};
    struct documents_figures f;
    enum err rc = documents_figures(d->st, d->t, it, &f);

    if (rc != ERR_OK)
        return rc;
    item_head(d, w, c, it,
              account_handle(d, it->platform, it->account_ext_id));
    latest_fields(w, it, content_metrics, 5);
    if (f.has_engagement)
        jw_kv_real(w, "engagement", f.engagement);
    for (int k = 0; k < 3; k++)
        if (f.has_at[k])
            jw_kv_i64(w, at_keys[k], f.at[k]);
    typical_json(w, f.has_typical, &f.typical);
    jw_key(w, "peak_day");
    if (f.has_peak) {
        jw_object_begin(w);
        buf_reset(&d->tmp);
        day_text(f.peak_day, &d->tmp);
        jw_kv_str(w, "date", buf_cstr(&d->tmp));
        jw_kv_i64(w, "views_gain", f.peak_gain);
        jw_object_end(w);
    } else {
        jw_null(w);
    }
    documents_summary(&d->tmp, store_rollup_zone(d->st), &f);
    jw_kv_str(w, "summary", buf_cstr(&d->tmp));
    jw_object_end(w);
    return ERR_OK;
}

static void write_account(struct documents *d, struct jw *w,
                          const struct store_doc_change *c,
                          const struct item *it)
{
    int64_t v;

    item_head(d, w, c, it, it->handle);
    latest_fields(w, it, account_metrics, 2);
    buf_reset(&d->tmp);
    buf_catf(&d->tmp, "%s on %s%s",
             it->handle ? it->handle : (it->title ? it->title : it->ext_id),
             platform_name(it->platform), it->tracked ? " (tracked)" : "");
    for (size_t i = 0; i < 2; i++)
        if (latest_int(it, account_metrics[i], &v)) {
            buf_catf(&d->tmp, i == 0 ? ": " : "; ");
            documents_num(&d->tmp, v);
            buf_catf(&d->tmp, " %s", account_metrics[i]);
        }
    jw_kv_str(w, "summary", buf_cstr(&d->tmp));
    jw_object_end(w);
}

/* The summary of account acct's day a (date written first). */
static void day_summary(struct buf *b, const struct item *acct,
                        const struct store_account_day *a,
                        const struct item *top, int32_t day)
{
    buf_reset(b);
    day_text(day, b);
    buf_catf(b, ", %s on %s",
             acct->handle ? acct->handle : acct->ext_id,
             platform_name(acct->platform));
    if (a->has_followers) {
        buf_catf(b, ": ");
        documents_num(b, a->followers);
        buf_catf(b, " followers");
        if (a->has_followers_gain) {
            buf_catf(b, " (%s", a->followers_gain >= 0 ? "+" : "");
            documents_num(b, a->followers_gain);
            buf_catf(b, ")");
        }
    }
    if (a->has_views) {
        buf_catf(b, "; content gained ");
        documents_num(b, a->views);
        buf_catf(b, " views across %lld items", (long long)a->content_active);
    }
    if (top != NULL) {
        buf_catf(b, "; top: \"%s\" %s", top->title ? top->title : top->ext_id,
                 a->top_gain >= 0 ? "+" : "");
        documents_num(b, a->top_gain);
        buf_catf(b, " views");
    }
}

static void day_fields(struct documents *d, struct jw *w,
                       const struct store_account_day *a,
                       const struct item *top)
{
    if (a->has_followers)
        jw_kv_i64(w, "followers", a->followers);
    if (a->has_followers_gain)
        jw_kv_i64(w, "followers_gain", a->followers_gain);
    if (a->has_views)
        jw_kv_i64(w, "views_gained", a->views);
    jw_kv_i64(w, "items_with_views", a->content_active);
    jw_key(w, "top_item");
    if (top == NULL) {
        jw_null(w);
        return;
    }
    jw_object_begin(w);
    buf_reset(&d->tmp);
    if (documents_id(&d->tmp, top->platform, top->type, top->ext_id,
                     DOCUMENTS_NO_DAY) != ERR_OK)
        w->status = ERR_TOOBIG;
    jw_kv_str(w, "id", buf_cstr(&d->tmp));
    jw_kv_str(w, "title", top->title);
    jw_kv_i64(w, "views_gain", a->top_gain);
    jw_object_end(w);
}

static enum err write_day(struct documents *d, struct jw *w,
                          const struct store_doc_change *c,
                          const struct item *acct)
{
    struct store_account_day a;
    struct item *top = NULL;
    enum err rc = store_account_day_get(d->st, c->item_id, c->day, &a);

    if (rc == ERR_OK && a.top_item_id != 0)
        rc = store_item_by_id(d->st, a.top_item_id, &top);
    if (rc != ERR_OK)
        return rc;
    if (!a.has_followers && !a.has_views && top == NULL) {
        write_tombstone(d, w, c); /* the day holds nothing any more */
        return ERR_OK;
    }
    jw_object_begin(w);
    head_id(d, w, c);
    jw_kv_str(w, "type", "account_day");
    jw_kv_str(w, "platform", platform_name(acct->platform));
    jw_kv_str(w, "account", acct->handle);
    jw_kv_str(w, "account_id", acct->ext_id);
    buf_reset(&d->tmp);
    day_text(c->day, &d->tmp);
    jw_kv_str(w, "date", buf_cstr(&d->tmp));
    jw_kv_time(w, "updated_at", c->changed_at);
    day_fields(d, w, &a, top);
    day_summary(&d->tmp, acct, &a, top, c->day);
    jw_kv_str(w, "summary", buf_cstr(&d->tmp));
    jw_kv_str(w, "text", buf_cstr(&d->tmp));
    jw_object_end(w);
    item_destroy(top);
    return ERR_OK;
}

/* One change: its document into d->json, then to the caller. */
static enum err on_change(void *ud, const struct store_doc_change *c)
{
    struct documents *d = ud;
    struct item *it = NULL;
    struct jw w;
    enum err rc = ERR_OK;

    buf_reset(&d->json);
    jw_init(&w, &d->json);
    if (c->kind == STORE_DOC_ITEM_GONE || c->kind == STORE_DOC_DAY_GONE) {
        write_tombstone(d, &w, c);
    } else {
        rc = store_item_by_id(d->st, c->item_id, &it);
        if (rc == ERR_OK && c->kind == STORE_DOC_DAY)
            rc = write_day(d, &w, c, it);
        else if (rc == ERR_OK && it->type == ITEM_CONTENT)
            rc = write_content(d, &w, c, it);
        else if (rc == ERR_OK)
            write_account(d, &w, c, it);
    }
    item_destroy(it);
    if (rc == ERR_OK)
        rc = jw_status(&w);
    if (rc != ERR_OK) {
        buf_setf(d->err, "document of %s:%s: %s", platform_name(c->platform),
                 c->ext_id, err_str(rc));
        return rc;
    }
    return d->fn(d->ud, c, d->json.data, d->json.len);
}

enum err documents_each(struct documents *d, const struct store_doc_query *q,
                        documents_fn fn, void *ud, struct buf *err)
{
    enum err rc;

    d->fn = fn;
    d->ud = ud;
    d->err = err;
    d->acct_reloaded = false;
    rc = store_doc_changes(d->st, q, on_change, d, err);
    d->fn = NULL;
    d->ud = NULL;
    d->err = NULL;
    return rc;
}

enum err documents_get(struct documents *d, const char *id, documents_fn fn,
                       void *ud, struct buf *err)
{
    enum platform p;
    enum item_type type;
    char *ext_id = NULL;
    int32_t day;
    enum err rc = documents_id_parse(id, &p, &type, &ext_id, &day);

    if (rc != ERR_OK) {
        buf_setf(err, "not a document id: %s", id);
        return rc;
    }
    d->fn = fn;
    d->ud = ud;
    d->err = err;
    d->acct_reloaded = false;
    rc = store_doc_find(d->st, p, type, ext_id,
                        day == DOCUMENTS_NO_DAY ? STORE_DOC_ITEM
                                                : STORE_DOC_DAY,
                        day, on_change, d, err);
    if (rc == ERR_NOTFOUND)
        buf_setf(err, "no document %s", id);
    d->fn = NULL;
    d->ud = NULL;
    d->err = NULL;
    free(ext_id);
    return rc;
}
