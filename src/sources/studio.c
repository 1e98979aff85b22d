/* YouTube Studio "Export current view" CSV files (Analytics, English):
 *
 *   Table data.csv  Content,Video title,Video publish time,Duration,<metrics>
 *                   one row per video, totals over the export's date range,
 *                   after a "Total" row
 *   Chart data.csv  Date,Content,Video title,...,<metric>: per video per day
 *   Totals.csv      Date,<metric>: the channel per day
 *
 * Which metric columns appear depends on what was chosen in Studio, so the
 * known dimension columns are read as such and every other column is a
 * metric named after its header: "Watch time (hours)" becomes
 * yt.studio.watch_time_hours in Table data (a total over a range we do not
 * know, so never a canonical metric) and yt.day.watch_time_hours in the
 * per-day files. A cell written as a duration (Average view duration,
 * "0:03:12") is stored as whole seconds under that same name. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/alloc.h"
#include "core/csv.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "sources/source.h"

#define YT PLATFORM_YOUTUBE
#define VIDEO_ID_MAX 64
#define STUDIO_MAX_DAYS 20000 /* snapshots of one item: 54 years of days */
#define STUDIO_MAX_DURATION_S ((int64_t)366 * 86400)
#define DATE_FORMS "(2024-06-01 or \"Jun 1, 2024\")"

enum mode { MODE_TABLE, MODE_CHART, MODE_TOTALS };

enum role {
    ROLE_METRIC,
    ROLE_CONTENT,
    ROLE_TITLE,
    ROLE_PUBLISHED,
    ROLE_DURATION,
    ROLE_DATE
};

static const struct {
    const char *header;
    enum role role;
} dimensions[] = {
    {"Content", ROLE_CONTENT},
    {"Video title", ROLE_TITLE},
    {"Video publish time", ROLE_PUBLISHED},
    {"Duration", ROLE_DURATION},
    {"Date", ROLE_DATE},
};

struct col {
    enum role role;
    char *header; /* owned: as written, for messages */
    char *metric; /* owned: the metric name of a ROLE_METRIC column */
};

struct studio {
    struct source_ctx *ctx; /* borrowed */
    enum mode mode;
    const char *prefix; /* "yt.studio." or "yt.day." */
    struct csv csv;
    size_t ncols;
    struct col col[CSV_MAX_FIELDS];
    int content, date; /* column of Content and Date, or -1 */
    size_t rows;       /* data rows so far */
};

/* ---- cells -------------------------------------------------------------- */

enum cell { CELL_EMPTY, CELL_INT, CELL_REAL, CELL_BAD };

static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* Days since the epoch of y-m-d, refusing dates that do not exist. */
static bool civil(int64_t y, int64_t m, int64_t d, int64_t *days)
{
    int64_t t = time_days_from_civil(y, (unsigned)m, (unsigned)d), y2;
    unsigned m2, d2;

    time_civil_from_days(t, &y2, &m2, &d2);
    if (y2 != y || m2 != (unsigned)m || d2 != (unsigned)d)
        return false;
    *days = t;
    return true;
}

/* "Jun 1, 2024", Studio's English form, into its parts. */
static bool parse_mdy(const char *s, size_t n, int64_t *y, int64_t *m,
                      int64_t *d)
{
    size_t comma;

    if (n < 11 || n > 12 || s[3] != ' ')
        return false;
    comma = n - 6; /* ", 2024" ends it */
    if (s[comma] != ',' || s[comma + 1] != ' ')
        return false;
    for (*m = 0; *m < 12 && memcmp(s, months[*m], 3) != 0; ++*m)
        ;
    if (*m == 12)
        return false;
    ++*m;
    return parse_i64n(s + 4, comma - 4, 1, 31, d) == ERR_OK &&
           parse_i64n(s + comma + 2, 4, 1, 9999, y) == ERR_OK;
}

/* "2024-06-01" or "Jun 1, 2024": midnight UTC of that day. */
static bool parse_day(const char *s, size_t n, int64_t *out)
{
    int64_t y, m, d, days;

    if (n == 10 && s[4] == '-' && s[7] == '-') {
        if (parse_i64n(s, 4, 1, 9999, &y) != ERR_OK ||
            parse_i64n(s + 5, 2, 1, 12, &m) != ERR_OK ||
            parse_i64n(s + 8, 2, 1, 31, &d) != ERR_OK)
            return false;
    } else if (!parse_mdy(s, n, &y, &m, &d)) {
        return false;
    }
    if (!civil(y, m, d, &days))
        return false;
    *out = days * 86400;
    return true;
}

/* "1:02:03" or "2:03" (hours or minutes first) in seconds. */
static bool parse_hms(const char *v, size_t n, int64_t *out)
{
    int64_t part[3], total = 0;
    size_t np = 0, start = 0;

    for (size_t j = 0; j <= n; j++) {
        if (j < n && v[j] != ':')
            continue;
        if (np == 3 || (np > 0 && j - start != 2) ||
            parse_i64n(v + start, j - start, 0, np == 0 ? 1000000000 : 59,
                       &part[np]) != ERR_OK)
            return false;
        np++;
        start = j + 1;
    }
    if (np < 2)
        return false;
    for (size_t k = 0; k < np; k++)
        total = total * 60 + part[k];
    *out = total;
    return true;
}

/* A metric cell: "", "-12", "3.25" or a duration. Nothing else: no
 * exponents, hex, spaces, signs other than a leading minus. */
static enum cell parse_cell(const char *v, size_t n, int64_t *i, double *r)
{
    size_t lead = n > 0 && v[0] == '-', dots = 0, colons = 0;

    if (n == 0)
        return CELL_EMPTY;
    if (lead == n)
        return CELL_BAD;
    for (size_t j = lead; j < n; j++) {
        if (v[j] == '.')
            dots++;
        else if (v[j] == ':')
            colons++;
        else if (v[j] < '0' || v[j] > '9')
            return CELL_BAD;
    }
    if (dots + colons == 0)
        return parse_i64n(v, n, INT64_MIN, INT64_MAX, i) == ERR_OK ? CELL_INT
                                                                   : CELL_BAD;
    if (colons == 0 && dots == 1 && v[lead] != '.' && v[n - 1] != '.')
        return parse_doublen(v, n, r) == ERR_OK ? CELL_REAL : CELL_BAD;
    if (dots == 0 && lead == 0)
        return parse_hms(v, n, i) ? CELL_INT : CELL_BAD;
    return CELL_BAD;
}

static bool valid_video_id(const char *id, size_t n)
{
    if (n == 0 || n > VIDEO_ID_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = id[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return false;
    }
    return true;
}

/* prefix + the header lowercased, each run of other characters one "_",
 * none at either end: "Watch time (hours)" -> "watch_time_hours". */
static enum err slug(const char *prefix, const char *h, struct buf *out)
{
    enum err rc = buf_puts(out, prefix);
    size_t start = out->len;
    bool gap = false;

    for (; *h != '\0' && rc == ERR_OK; h++) {
        char c = *h;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) {
            gap = true;
            continue;
        }
        if (gap && out->len > start)
            rc = buf_putc(out, '_');
        gap = false;
        if (rc == ERR_OK)
            rc = buf_putc(out, c);
    }
    return rc;
}

/* ---- detection ---------------------------------------------------------- */

struct shape {
    bool content, title, date, date_first;
};

/* Which dimension columns the first record names; false if unreadable. */
static bool read_shape(const char *data, size_t len, struct shape *out)
{
    struct csv *c = xmalloc(sizeof *c);
    struct buf why;
    bool ok;

    memset(out, 0, sizeof *out);
    buf_init(&why, 256);
    csv_init(c, data, len);
    ok = csv_next(c, &why) == ERR_OK;
    for (size_t i = 0; ok && i < c->nfields; i++) {
        const char *h = csv_get(c, i);
        out->content |= strcmp(h, "Content") == 0;
        out->title |= strcmp(h, "Video title") == 0;
        out->date |= strcmp(h, "Date") == 0;
        out->date_first |= i == 0 && strcmp(h, "Date") == 0;
    }
    csv_free(c);
    free(c);
    buf_free(&why);
    return ok;
}

static bool detect_table(const char *d, size_t n)
{
    struct shape s;
    return read_shape(d, n, &s) && s.content && s.title && !s.date;
}

static bool detect_chart(const char *d, size_t n)
{
    struct shape s;
    return read_shape(d, n, &s) && s.content && s.date;
}

static bool detect_totals(const char *d, size_t n)
{
    struct shape s;
    return read_shape(d, n, &s) && s.date_first && !s.content;
}

/* ---- the header --------------------------------------------------------- */

static enum err name_metric(struct studio *s, size_t i)
{
    struct jread *r = &s->ctx->r;
    struct col *c = &s->col[i];
    struct buf name;
    enum err rc = ERR_OK;

    buf_init(&name, METRIC_NAME_MAX);
    if (slug(s->prefix, c->header, &name) != ERR_OK) {
        rc = jread_fail(r, c->header,
                        "too long to name a metric (%d characters at most)",
                        METRIC_NAME_MAX);
        goto out;
    }
    if (name.len == strlen(s->prefix)) {
        rc = jread_fail(r, c->header,
                        "no letters or digits to name a metric by (column %zu)",
                        i + 1);
        goto out;
    }
    for (size_t j = 0; j < i; j++)
        if (s->col[j].metric && strcmp(s->col[j].metric, name.data) == 0) {
            rc =
                jread_fail(r, c->header, "same metric name %s as column \"%s\"",
                           name.data, s->col[j].header);
            goto out;
        }
    c->metric = buf_steal(&name);
out:
    buf_free(&name);
    return rc;
}

static enum err add_column(struct studio *s, size_t i)
{
    struct jread *r = &s->ctx->r;
    struct col *c = &s->col[i];
    const char *h = csv_get(&s->csv, i);

    c->header = xstrdup(h);
    c->role = ROLE_METRIC;
    for (size_t k = 0; k < sizeof dimensions / sizeof dimensions[0]; k++)
        if (strcmp(h, dimensions[k].header) == 0)
            c->role = dimensions[k].role;
    if (*h == '\0')
        return jread_fail(r, NULL, "column %zu has no name", i + 1);
    for (size_t j = 0; j < i; j++)
        if (strcmp(s->col[j].header, h) == 0)
            return jread_fail(r, h, "duplicate column (columns %zu and %zu)",
                              j + 1, i + 1);
    if (c->role == ROLE_CONTENT)
        s->content = (int)i;
    else if (c->role == ROLE_DATE)
        s->date = (int)i;
    else if (c->role == ROLE_METRIC)
        return name_metric(s, i);
    return ERR_OK;
}

/* The columns a format cannot do without (or must not have). */
static enum err check_columns(struct studio *s)
{
    struct jread *r = &s->ctx->r;

    if (s->mode != MODE_TABLE && s->date < 0)
        return jread_fail(r, "Date", "missing column");
    if (s->mode != MODE_TOTALS && s->content < 0)
        return jread_fail(r, "Content", "missing column (the video id)");
    if (s->mode == MODE_TABLE && s->date >= 0)
        return jread_fail(r, "Date",
                          "per-day rows are Chart data, not Table data");
    if (s->mode == MODE_TOTALS && s->content >= 0)
        return jread_fail(r, "Content",
                          "per-video rows are Chart data, not Totals");
    if (s->mode == MODE_TOTALS && s->ctx->account_hint[YT] == NULL)
        return jread_fail(r, NULL,
                          "Totals.csv does not say which channel it is about: "
                          "pass --account youtube:CHANNEL_ID");
    return ERR_OK;
}

static enum err read_header(struct studio *s)
{
    struct source_ctx *ctx = s->ctx;
    enum err rc = csv_next(&s->csv, ctx->r.err);

    if (rc == ERR_NOTFOUND)
        return jread_fail(&ctx->r, NULL, "no header line");
    if (rc != ERR_OK)
        return rc;
    jread_where(&ctx->r, "line %zu (header)", s->csv.line);
    s->ncols = s->csv.nfields;
    for (size_t i = 0; i < s->ncols && rc == ERR_OK; i++)
        rc = add_column(s, i);
    if (rc == ERR_OK)
        rc = check_columns(s);
    return rc;
}

/* ---- rows --------------------------------------------------------------- */

static const char *cell(const struct studio *s, int col)
{
    return col < 0 ? "" : csv_get(&s->csv, (size_t)col);
}

static void name_row(struct studio *s)
{
    if (s->content >= 0)
        jread_where(&s->ctx->r, "line %zu (video \"%.80s\")", s->csv.line,
                    cell(s, s->content));
    else
        jread_where(&s->ctx->r, "line %zu", s->csv.line);
}

/* The item a row is about: its video or (Totals) the hinted channel. */
static enum err row_item(struct studio *s, struct item **out)
{
    const char *hint = s->ctx->account_hint[YT];
    const char *id = cell(s, s->content);
    struct item *it;

    if (s->mode == MODE_TOTALS) {
        it = batch_item(s->ctx->batch, YT, ITEM_ACCOUNT, hint);
        item_set(&it->kind, "channel");
        *out = it;
        return ERR_OK;
    }
    if (!valid_video_id(id, csv_len(&s->csv, (size_t)s->content)))
        return jread_fail(&s->ctx->r, "Content",
                          "\"%.80s\" is not a YouTube video id", id);
    it = batch_item(s->ctx->batch, YT, ITEM_CONTENT, id);
    item_set(&it->kind, "video");
    item_set(&it->account_ext_id, hint);
    source_url(&it->url, "https://www.youtube.com/watch?v=", id, "");
    *out = it;
    return ERR_OK;
}

/* Title, publish time, duration and (daily files) the day of the row. */
static enum err row_dimensions(struct studio *s, struct item *it, int64_t *day)
{
    struct jread *r = &s->ctx->r;

    for (size_t i = 0; i < s->ncols; i++) {
        const char *v = csv_get(&s->csv, i), *h = s->col[i].header;
        size_t n = csv_len(&s->csv, i);
        int64_t t;
        double unused;

        if (n == 0 && s->col[i].role != ROLE_DATE)
            continue;
        if (s->col[i].role == ROLE_TITLE) {
            item_set(&it->title, v);
        } else if (s->col[i].role == ROLE_PUBLISHED) {
            if (!parse_day(v, n, &t) && time_parse_iso8601(v, &t) != ERR_OK)
                return jread_fail(r, h, "\"%.40s\" is not a date " DATE_FORMS,
                                  v);
            it->published_at = t;
        } else if (s->col[i].role == ROLE_DURATION) {
            if (parse_cell(v, n, &t, &unused) != CELL_INT || t < 0 ||
                t > STUDIO_MAX_DURATION_S)
                return jread_fail(r, h,
                                  "\"%.40s\" is not a duration in seconds", v);
            it->duration_s = t;
        } else if (s->col[i].role == ROLE_DATE) {
            if (!parse_day(v, n, day))
                return jread_fail(r, h, "\"%.40s\" is not a date " DATE_FORMS,
                                  v);
        }
    }
    return ERR_OK;
}

/* The snapshot for the row's values, refusing a second row for the same
 * item and day (its values would silently replace the first). */
static enum err row_snapshot(struct studio *s, struct item *it, int64_t day,
                             struct snapshot **out)
{
    struct jread *r = &s->ctx->r;
    struct buf date;
    enum err rc = ERR_OK;

    if (it->nsnaps >= STUDIO_MAX_DAYS)
        return jread_fail(r, NULL, "more than %d days of values for one %s",
                          STUDIO_MAX_DAYS, it->kind);
    *out = item_snapshot_at(it, day);
    if ((*out)->metrics.n == 0)
        return ERR_OK;
    buf_init(&date, 32);
    if (s->mode == MODE_TABLE)
        rc = jread_fail(r, NULL, "a second row for this video");
    else if (time_format_date(day, &date) == ERR_OK)
        rc = jread_fail(r, NULL, "a second row for this %s on %s", it->kind,
                        buf_cstr(&date));
    else
        rc = jread_fail(r, NULL, "a second row for this %s", it->kind);
    buf_free(&date);
    return rc;
}

static enum err row_metrics(struct studio *s, struct item *it, int64_t day)
{
    struct snapshot *snap = NULL;
    enum err rc = ERR_OK;

    for (size_t i = 0; i < s->ncols && rc == ERR_OK; i++) {
        const struct col *c = &s->col[i];
        const char *v = csv_get(&s->csv, i);
        int64_t iv = 0;
        double rv = 0;
        enum cell k;

        if (c->role != ROLE_METRIC)
            continue;
        k = parse_cell(v, csv_len(&s->csv, i), &iv, &rv);
        if (k == CELL_EMPTY)
            continue; /* no value, not zero */
        if (k == CELL_BAD)
            return jread_fail(&s->ctx->r, c->header,
                              "\"%.40s\" is not a number", v);
        if (snap == NULL)
            rc = row_snapshot(s, it, day, &snap);
        if (rc == ERR_OK && k == CELL_INT)
            rc = source_metric_i64(s->ctx, snap, c->metric, iv);
        else if (rc == ERR_OK)
            rc = source_metric_real(s->ctx, snap, c->metric, rv);
    }
    return rc;
}

static enum err one_row(struct studio *s)
{
    struct jread *r = &s->ctx->r;
    struct item *it = NULL;
    int64_t day = s->ctx->observed_at;
    enum err rc;

    name_row(s);
    if (s->csv.nfields != s->ncols)
        return jread_fail(r, NULL, "%zu fields, but the header has %zu",
                          s->csv.nfields, s->ncols);
    /* Table data starts with the range's totals over all videos. */
    if (strcasecmp(cell(s, s->content >= 0 ? s->content : s->date), "Total") ==
        0)
        return ERR_OK;
    if (++s->rows > SOURCE_MAX_ITEMS) {
        (void)jread_fail(r, NULL, "more than %d rows", SOURCE_MAX_ITEMS);
        return ERR_TOOBIG;
    }
    rc = row_item(s, &it);
    if (rc == ERR_OK)
        rc = row_dimensions(s, it, &day);
    if (rc == ERR_OK)
        rc = row_metrics(s, it, day);
    return rc;
}

/* ---- formats ------------------------------------------------------------ */

static enum err parse(const char *data, size_t len, struct source_ctx *ctx,
                      enum mode mode)
{
    struct studio *s = xcalloc(1, sizeof *s);
    enum err rc;

    s->ctx = ctx;
    s->mode = mode;
    s->prefix = mode == MODE_TABLE ? "yt.studio." : "yt.day.";
    s->content = s->date = -1;
    csv_init(&s->csv, data, len);
    rc = read_header(s);
    while (rc == ERR_OK) {
        rc = csv_next(&s->csv, ctx->r.err);
        if (rc == ERR_NOTFOUND) {
            rc = ERR_OK;
            break;
        }
        if (rc == ERR_OK)
            rc = one_row(s);
    }
    for (size_t i = 0; i < s->ncols; i++) {
        free(s->col[i].header);
        free(s->col[i].metric);
    }
    csv_free(&s->csv);
    free(s);
    return rc;
}

static enum err parse_table(const char *d, size_t n, struct source_ctx *ctx)
{
    return parse(d, n, ctx, MODE_TABLE);
}

static enum err parse_chart(const char *d, size_t n, struct source_ctx *ctx)
{
    return parse(d, n, ctx, MODE_CHART);
}

static enum err parse_totals(const char *d, size_t n, struct source_ctx *ctx)
{
    return parse(d, n, ctx, MODE_TOTALS);
}

const struct source_format studio_formats[] = {
    {"youtube_studio.table",
     "YouTube Studio export, Table data.csv: per-video totals (yt.studio.*)",
     YT, NULL, NULL, detect_table, parse_table},
    {"youtube_studio.chart",
     "YouTube Studio export, Chart data.csv: per video per day (yt.day.*)", YT,
     NULL, NULL, detect_chart, parse_chart},
    {"youtube_studio.totals",
     "YouTube Studio export, Totals.csv: the channel per day (yt.day.*)", YT,
     NULL, NULL, detect_totals, parse_totals},
    {NULL, NULL, YT, NULL, NULL, NULL, NULL},
};
