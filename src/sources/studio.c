/* YouTube Studio "Export current view" CSV files: Table data.csv (one row
 * per video, totals over the export's range), Chart data.csv (per video
 * per day) and Totals.csv (per channel per day). Column sets depend on
 * the metrics chosen in Studio: known dimension columns are read as
 * such, every other column is a metric named by its header. */
#include <ctype.h>
#include <string.h>

#include "core/alloc.h"
#include "core/csv.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "sources/source.h"

enum col_role { ROLE_METRIC, ROLE_CONTENT, ROLE_TITLE, ROLE_PUBLISHED,
                ROLE_DURATION, ROLE_DATE };

struct studio {
    struct source_ctx *ctx;
    struct csv csv;
    size_t ncols;
    enum col_role role[CSV_MAX_FIELDS];
    char metric[CSV_MAX_FIELDS][METRIC_NAME_MAX + 1];
    char *header[CSV_MAX_FIELDS]; /* owned copies, for messages */
    const char *prefix; /* "yt.studio." or "yt.day." */
    int content, date;  /* column of Content / Date, or -1 */
};

static const struct {
    const char *header;
    enum col_role role;
} known_cols[] = {
    {"Content", ROLE_CONTENT},
    {"Video title", ROLE_TITLE},
    {"Video publish time", ROLE_PUBLISHED},
    {"Duration", ROLE_DURATION},
    {"Date", ROLE_DATE},
};

/* "Watch time (hours)" -> "watch_time_hours" into out (bounded). */
static void slug(const char *h, char *out, size_t cap)
{
    size_t n = 0;
    bool sep = false;
    for (; *h && n + 1 < cap; h++) {
        unsigned char c = (unsigned char)*h;
        if (isalnum(c) && c < 0x80) {
            if (sep && n > 0 && n + 2 < cap)
                out[n++] = '_';
            out[n++] = (char)tolower(c);
            sep = false;
        } else {
            sep = true;
        }
    }
    out[n] = '\0';
}

/* The header line, as one CSV record (for detection). */
static bool header_has(const char *data, size_t len, const char *a,
                       const char *b, bool b_absent)
{
    struct csv c;
    struct buf why;
    bool has_a = false, has_b = false;

    buf_init(&why, 256);
    csv_init(&c, data, len);
    if (csv_next(&c, &why) == ERR_OK)
        for (size_t i = 0; i < c.nfields; i++) {
            has_a |= strcmp(csv_get(&c, i), a) == 0;
            has_b |= strcmp(csv_get(&c, i), b) == 0;
        }
    csv_free(&c);
    buf_free(&why);
    return has_a && (b_absent ? !has_b : has_b);
}

static bool detect_table(const char *d, size_t n)
{
    return header_has(d, n, "Content", "Video title", false) &&
           !header_has(d, n, "Date", "Content", false);
}

static bool detect_chart(const char *d, size_t n)
{
    return header_has(d, n, "Date", "Content", false);
}

static bool detect_totals(const char *d, size_t n)
{
    return header_has(d, n, "Date", "Content", true);
}

static enum err read_header(struct studio *s)
{
    struct source_ctx *ctx = s->ctx;
    enum err rc = csv_next(&s->csv, ctx->r.err);

    if (rc == ERR_NOTFOUND)
        return jread_fail(&ctx->r, NULL, "no header line");
    if (rc != ERR_OK)
        return rc;
    s->ncols = s->csv.nfields;
    s->content = s->date = -1;
    for (size_t i = 0; i < s->ncols; i++) {
        const char *h = csv_get(&s->csv, i);
        s->header[i] = xstrdup(h);
        s->role[i] = ROLE_METRIC;
        for (size_t k = 0; k < sizeof known_cols / sizeof known_cols[0]; k++)
            if (strcmp(h, known_cols[k].header) == 0)
                s->role[i] = known_cols[k].role;
        if (s->role[i] == ROLE_CONTENT)
            s->content = (int)i;
        if (s->role[i] == ROLE_DATE)
            s->date = (int)i;
        if (s->role[i] != ROLE_METRIC)
            continue;
        slug(h, s->metric[i], sizeof s->metric[i] - 12);
        if (s->metric[i][0] == '\0')
            return jread_fail(&ctx->r, h, "column %zu has no usable name",
                              i + 1);
        for (size_t j = 0; j < i; j++)
            if (s->role[j] == ROLE_METRIC &&
                strcmp(s->metric[j], s->metric[i]) == 0)
                return jread_fail(&ctx->r, h, "duplicate column");
    }
    return ERR_OK;
}

/* "Jun 1, 2024" (Studio's English form) or an ISO 8601 date. */
static bool parse_studio_date(const char *s, int64_t *out)
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    struct buf iso;
    int64_t day, year;
    const char *comma, *m;
    bool ok;

    if (time_parse_iso8601(s, out) == ERR_OK)
        return true;
    comma = strchr(s, ',');
    if (strlen(s) < 10 || s[3] != ' ' || comma == NULL || comma < s + 5)
        return false;
    for (m = months; *m && strncmp(m, s, 3) != 0; m += 3)
        ;
    if (*m == '\0' || parse_i64n(s + 4, (size_t)(comma - s - 4), 1, 31,
                                 &day) != ERR_OK ||
        parse_i64(comma + 2, 1900, 9999, &year) != ERR_OK || comma[1] != ' ')
        return false;
    buf_init(&iso, 32);
    ok = buf_printf(&iso, "%04lld-%02d-%02lld", (long long)year,
                    (int)((m - months) / 3 + 1), (long long)day) == ERR_OK &&
         time_parse_iso8601(buf_cstr(&iso), out) == ERR_OK;
    buf_free(&iso);
    return ok;
}

static bool valid_video_id(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > 64)
        return false;
    for (; *id; id++)
        if (!isalnum((unsigned char)*id) && *id != '_' && *id != '-')
            return false;
    return true;
}

static enum err cell_metric(struct studio *s, size_t i, const char *v,
                            struct snapshot *snap)
{
    struct buf name;
    int64_t n;
    double d;
    enum err rc = ERR_OK;

    if (*v == '\0')
        return ERR_OK; /* an empty cell is no value */
    buf_init(&name, METRIC_NAME_MAX + 1);
    if (buf_printf(&name, "%s%s", s->prefix, s->metric[i]) != ERR_OK)
        rc = jread_fail(&s->ctx->r, s->header[i], "name too long");
    else if (parse_i64(v, INT64_MIN + 1, INT64_MAX, &n) == ERR_OK)
        rc = source_metric_i64(s->ctx, snap, buf_cstr(&name), n);
    else if (parse_double(v, &d) == ERR_OK)
        rc = source_metric_real(s->ctx, snap, buf_cstr(&name), d);
    else
        rc = jread_fail(&s->ctx->r, s->header[i], "\"%.40s\" is not a number",
                        v);
    buf_free(&name);
    return rc;
}

/* The item a row is about: its video, or (Totals) the hinted channel.
 * *skip for the Table's "Total" row. */
static enum err row_item(struct studio *s, struct item **out, bool *skip)
{
    struct source_ctx *ctx = s->ctx;
    const char *hint = ctx->account_hint[PLATFORM_YOUTUBE];
    const char *id;

    *skip = false;
    if (s->content < 0) {
        if (hint == NULL)
            return jread_fail(&ctx->r, NULL, "Totals.csv does not name its "
                              "channel: pass --account youtube:CHANNEL_ID");
        *out = batch_item(ctx->batch, PLATFORM_YOUTUBE, ITEM_ACCOUNT, hint);
        item_set(&(*out)->kind, "channel");
        return ERR_OK;
    }
    id = csv_get(&s->csv, (size_t)s->content);
    if (strcmp(id, "Total") == 0) {
        *skip = true;
        return ERR_OK;
    }
    if (!valid_video_id(id))
        return jread_fail(&ctx->r, "Content", "\"%.40s\" is not a video id",
                          id);
    jread_where(&ctx->r, "line %zu (video \"%s\")", s->csv.line, id);
    *out = batch_item(ctx->batch, PLATFORM_YOUTUBE, ITEM_CONTENT, id);
    item_set(&(*out)->kind, "video");
    item_set(&(*out)->account_ext_id, hint);
    source_url(&(*out)->url, "https://www.youtube.com/watch?v=", id, "");
    return ERR_OK;
}

static enum err row_fields(struct studio *s, struct item *it,
                           int64_t *observed)
{
    struct source_ctx *ctx = s->ctx;
    for (size_t i = 0; i < s->ncols; i++) {
        const char *v = csv_get(&s->csv, i);
        int64_t n;
        if (*v == '\0')
            continue;
        if (s->role[i] == ROLE_TITLE) {
            item_set(&it->title, v);
        } else if (s->role[i] == ROLE_DURATION) {
            if (parse_i64(v, 0, 86400 * 31, &n) != ERR_OK)
                return jread_fail(&ctx->r, s->header[i], "\"%.40s\" is not "
                                  "a number of seconds", v);
            it->duration_s = n;
        } else if (s->role[i] == ROLE_PUBLISHED) {
            if (!parse_studio_date(v, &n))
                return jread_fail(&ctx->r, s->header[i], "\"%.40s\" is not "
                                  "a date", v);
            it->published_at = n;
        } else if (s->role[i] == ROLE_DATE) {
            if (!parse_studio_date(v, observed))
                return jread_fail(&ctx->r, s->header[i], "\"%.40s\" is not "
                                  "a date", v);
        }
    }
    return ERR_OK;
}

static enum err one_row(struct studio *s)
{
    struct source_ctx *ctx = s->ctx;
    struct item *it = NULL;
    struct snapshot *snap;
    int64_t observed = ctx->observed_at;
    bool skip;
    enum err rc;

    jread_where(&ctx->r, "line %zu", s->csv.line);
    if (s->csv.nfields != s->ncols)
        return jread_fail(&ctx->r, NULL, "%zu fields, the header has %zu",
                          s->csv.nfields, s->ncols);
    rc = row_item(s, &it, &skip);
    if (rc != ERR_OK || skip)
        return rc;
    rc = row_fields(s, it, &observed);
    if (rc != ERR_OK)
        return rc;
    snap = item_snapshot_at(it, observed);
    for (size_t i = 0; i < s->ncols && rc == ERR_OK; i++)
        if (s->role[i] == ROLE_METRIC)
            rc = cell_metric(s, i, csv_get(&s->csv, i), snap);
    return rc;
}

static enum err parse_csv(const char *data, size_t len,
                          struct source_ctx *ctx, bool daily)
{
    struct studio *s = xcalloc(1, sizeof *s);
    enum err rc;

    s->ctx = ctx;
    s->prefix = daily ? "yt.day." : "yt.studio.";
    csv_init(&s->csv, data, len);
    rc = read_header(s);
    if (rc == ERR_OK && daily && s->date < 0)
        rc = jread_fail(&ctx->r, "Date", "missing column");
    while (rc == ERR_OK) {
        rc = csv_next(&s->csv, ctx->r.err);
        if (rc == ERR_NOTFOUND) {
            rc = ERR_OK;
            break;
        }
        if (rc == ERR_OK)
            rc = one_row(s);
    }
    for (size_t i = 0; i < s->ncols; i++)
        free(s->header[i]);
    csv_free(&s->csv);
    free(s);
    return rc;
}

static enum err parse_table(const char *d, size_t n, struct source_ctx *ctx)
{
    return parse_csv(d, n, ctx, false);
}

static enum err parse_daily(const char *d, size_t n, struct source_ctx *ctx)
{
    return parse_csv(d, n, ctx, true);
}

const struct source_format studio_formats[] = {
    {"youtube_studio.table", "Studio export Table data.csv (range totals)",
     PLATFORM_YOUTUBE, NULL, NULL, detect_table, parse_table},
    {"youtube_studio.chart", "Studio export Chart data.csv (per video, day)",
     PLATFORM_YOUTUBE, NULL, NULL, detect_chart, parse_daily},
    {"youtube_studio.totals", "Studio export Totals.csv (channel, per day)",
     PLATFORM_YOUTUBE, NULL, NULL, detect_totals, parse_daily},
    {NULL, NULL, PLATFORM_YOUTUBE, NULL, NULL, NULL, NULL},
};
