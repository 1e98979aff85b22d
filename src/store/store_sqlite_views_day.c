/* The packed views gains per rollup day of the SQLite backend (views_day,
 * migration 0018). Ingest marks the days whose views gains it changed
 * (the rollup code calls sqlite_vday_mark wherever it writes a gain) and
 * rewrites those days from item_day before the transaction commits; a
 * rebuild, a zone change and a removal rewrite every day. A row is
 * always what item_day holds at commit.
 *
 * A row's blob: per item with a known views gain that day, in ascending
 * item id, two LEB128 varints: the id's difference from the previous id
 * (the first from 0; always >= 1) and the gain, zigzag-encoded. */
#include <stdint.h>
#include <stdlib.h>

#include "core/alloc.h"
#include "store/store_sqlite.h"

#define VDAY_MAX ((size_t)1 << 28) /* bytes of one day: 13M items */

const char sqlite_vday_rows_sql[] =
    "SELECT item_id, gain FROM item_day WHERE metric_id = (SELECT id FROM "
    "metric WHERE name = ?1) AND day = ?2 AND gain IS NOT NULL "
    "ORDER BY item_id";
const char sqlite_vday_put_sql[] =
    "INSERT OR REPLACE INTO views_day(day, gains) VALUES (?1, ?2)";
const char sqlite_vday_del_sql[] = "DELETE FROM views_day WHERE day = ?1";

static enum err put_varint(struct buf *b, uint64_t v)
{
    unsigned char p[10];
    size_t n = 0;

    do {
        p[n] = (unsigned char)(v & 0x7f);
        v >>= 7;
        if (v != 0)
            p[n] |= 0x80;
        n++;
    } while (v != 0);
    return buf_append(b, p, n);
}

/* The next varint of [*p, end); false when truncated or longer than a
 * 64-bit value takes. */
static bool get_varint(const unsigned char **p, const unsigned char *end,
                       uint64_t *v)
{
    uint64_t x = 0;

    for (unsigned shift = 0; *p < end && shift < 64; shift += 7) {
        unsigned char c = *(*p)++;
        if (shift == 63 && c > 1)
            return false;
        x |= (uint64_t)(c & 0x7f) << shift;
        if ((c & 0x80) == 0) {
            *v = x;
            return true;
        }
    }
    return false;
}

static enum err put_pair(struct buf *b, int64_t *last, int64_t item,
                         int64_t gain)
{
    uint64_t z = gain < 0 ? ((uint64_t)(-(gain + 1)) << 1) | 1
                          : (uint64_t)gain << 1;
    enum err rc = put_varint(b, (uint64_t)(item - *last));

    *last = item;
    return rc == ERR_OK ? put_varint(b, z) : rc;
}

bool sqlite_vday_next(const unsigned char **p, const unsigned char *end,
                      int64_t *item, int64_t *gain)
{
    uint64_t d, z;

    if (!get_varint(p, end, &d) || d == 0 || d > (uint64_t)(INT64_MAX - *item) ||
        !get_varint(p, end, &z))
        return false;
    *item += (int64_t)d;
    *gain = (z & 1) ? -(int64_t)(z >> 1) - 1 : (int64_t)(z >> 1);
    return true;
}

void sqlite_vday_mark(struct sqlite_store *s, int64_t metric_id, int32_t day)
{
    if (metric_id == 0 || metric_id != s->views_mid)
        return;
    if (s->vday_n > 0 && s->vday_dirty[s->vday_n - 1] == day)
        return; /* one item's values arrive together, day by day */
    s->vday_dirty = xgrow(s->vday_dirty, &s->vday_cap, s->vday_n + 1,
                          sizeof *s->vday_dirty);
    s->vday_dirty[s->vday_n++] = day;
}

void sqlite_vday_discard(struct sqlite_store *s)
{
    s->vday_n = 0;
}

/* Write day's row from the packed pairs in b (none: no row). */
static enum err day_write(struct sqlite_store *s, int32_t day,
                          const struct buf *b, struct buf *err)
{
    sqlite3_stmt *st = sqlite_use(s, b->len ? S_VDAY_PUT : S_VDAY_DEL);

    if (sqlite3_bind_int(st, 1, day) != SQLITE_OK ||
        (b->len && sqlite3_bind_blob64(st, 2, b->data, b->len,
                                       SQLITE_STATIC) != SQLITE_OK) ||
        sqlite3_step(st) != SQLITE_DONE)
        return sqlite_fail(s, err, "writing the views of a day");
    sqlite3_reset(st);
    return ERR_OK;
}

/* Rewrite day's row from item_day. */
static enum err day_refill(struct sqlite_store *s, int32_t day,
                           struct buf *b, struct buf *err)
{
    sqlite3_stmt *st = sqlite_use(s, S_VDAY_ROWS);
    enum err rc = ERR_OK;
    int64_t last = 0;
    int r;

    buf_reset(b);
    if (sqlite3_bind_text(st, 1, M_VIEWS, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int(st, 2, day) != SQLITE_OK)
        return sqlite_fail(s, err, "reading the views of a day");
    while (rc == ERR_OK && (r = sqlite3_step(st)) == SQLITE_ROW)
        rc = put_pair(b, &last, sqlite3_column_int64(st, 0),
                      sqlite3_column_int64(st, 1));
    if (rc != ERR_OK) {
        buf_setf(err, "the views of day %d are too many to keep", day);
        return rc;
    }
    if (r != SQLITE_DONE)
        return sqlite_fail(s, err, "reading the views of a day");
    sqlite3_reset(st);
    return day_write(s, day, b, err);
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

enum err sqlite_vday_flush(struct sqlite_store *s, struct buf *err)
{
    struct buf b;
    enum err rc = ERR_OK;
    size_t n = s->vday_n;

    buf_init(&b, VDAY_MAX);
    if (n > 1)
        qsort(s->vday_dirty, n, sizeof *s->vday_dirty, cmp_i32);
    for (size_t i = 0; i < n && rc == ERR_OK; i++)
        if (i == 0 || s->vday_dirty[i] != s->vday_dirty[i - 1])
            rc = day_refill(s, s->vday_dirty[i], &b, err);
    s->vday_n = 0;
    buf_free(&b);
    return rc;
}

#define SQL_VDAY_ALL                                                          \
    "SELECT day, item_id, gain FROM item_day WHERE metric_id = (SELECT id "   \
    "FROM metric WHERE name = ?1) AND gain IS NOT NULL ORDER BY day, item_id"

enum err sqlite_vday_rebuild(struct sqlite_store *s, struct buf *err)
{
    sqlite3_stmt *st = NULL;
    struct buf b;
    enum err rc = ERR_OK;
    int64_t last = 0;
    int32_t day = 0;
    int r = SQLITE_DONE;

    s->vday_n = 0; /* every mark is covered */
    buf_init(&b, VDAY_MAX);
    if (sqlite3_exec(s->db, "DELETE FROM views_day", NULL, NULL, NULL) !=
            SQLITE_OK ||
        sqlite3_prepare_v2(s->db, SQL_VDAY_ALL, -1, &st, NULL) != SQLITE_OK ||
        sqlite3_bind_text(st, 1, M_VIEWS, -1, SQLITE_STATIC) != SQLITE_OK) {
        rc = sqlite_fail(s, err, "rebuilding the views of each day");
        goto out;
    }
    while (rc == ERR_OK && (r = sqlite3_step(st)) == SQLITE_ROW) {
        int32_t d = sqlite3_column_int(st, 0);
        if (b.len > 0 && d != day) {
            rc = day_write(s, day, &b, err);
            buf_reset(&b);
            last = 0;
        }
        day = d;
        if (rc == ERR_OK &&
            put_pair(&b, &last, sqlite3_column_int64(st, 1),
                     sqlite3_column_int64(st, 2)) != ERR_OK) {
            buf_setf(err, "the views of day %d are too many to keep", day);
            rc = ERR_TOOBIG;
        }
    }
    if (rc == ERR_OK && r != SQLITE_DONE)
        rc = sqlite_fail(s, err, "rebuilding the views of each day");
    if (rc == ERR_OK && b.len > 0)
        rc = day_write(s, day, &b, err);
out:
    sqlite3_finalize(st);
    buf_free(&b);
    return rc;
}
