/* The media library on SQLite (store_media.h; migration 0020). Rare
 * statements: prepared per call, finalized at out:. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "store/store_media.h"
#include "store/store_media_common.h"
#include "store/store_sqlite.h"

#define S sqlite_store_of

#define SQL_MEDIA_PUT                                                         \
    "INSERT INTO media(sha256, path, name, bytes, content_type, container, "  \
    "video_codec, audio_codec, duration_ms, width, height, thumb, "           \
    "uploaded_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "     \
    "?12, ?13) ON CONFLICT(sha256) DO UPDATE SET path = excluded.path, "      \
    "name = excluded.name, bytes = excluded.bytes, "                          \
    "content_type = excluded.content_type, container = excluded.container, " \
    "video_codec = excluded.video_codec, audio_codec = excluded.audio_codec, "\
    "duration_ms = excluded.duration_ms, width = excluded.width, "            \
    "height = excluded.height, thumb = excluded.thumb, "                      \
    "uploaded_at = excluded.uploaded_at"
#define SQL_MEDIA_COLS                                                        \
    "SELECT sha256, path, name, bytes, content_type, container, "             \
    "video_codec, audio_codec, duration_ms, width, height, thumb, "           \
    "uploaded_at FROM media "
#define SQL_MEDIA_GET SQL_MEDIA_COLS "WHERE sha256 = ?1"
#define SQL_MEDIA_LIST                                                        \
    SQL_MEDIA_COLS "ORDER BY uploaded_at DESC, sha256 LIMIT ?1"
/* A post's media JSON is written by sched_post_build; a row that is not
 * valid JSON is read as naming nothing rather than failing the query. */
#define SQL_MEDIA_USES                                                        \
    "SELECT DISTINCT p.id, p.platform, p.account, p.title, p.state, "         \
    "p.publish_at, p.updated_at, p.state <> 'cancelled' AND NOT "             \
    "(p.state = 'published' AND p.updated_at < ?2) FROM post p, "             \
    "json_each(CASE WHEN json_valid(p.media) THEN p.media ELSE '[]' END) j " \
    "WHERE json_type(j.value) = 'object' AND "                                \
    "json_extract(j.value, '$.sha256') = ?1 ORDER BY p.id"
#define SQL_MEDIA_DELETE "DELETE FROM media WHERE sha256 = ?1"

static char *col_dup(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? xstrdup((const char *)t) : NULL;
}

void media_row_free(struct media_row *m)
{
    if (m == NULL)
        return;
    free(m->sha256);
    free(m->path);
    free(m->name);
    free(m->content_type);
    free(m->container);
    free(m->video_codec);
    free(m->audio_codec);
    free(m->thumb);
    memset(m, 0, sizeof *m);
}

static int bind_text(sqlite3_stmt *st, int i, const char *v)
{
    return v ? sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC)
             : sqlite3_bind_null(st, i);
}

enum err sq_media_put(struct store *base, const struct media_row *m,
                      struct buf *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_OK;
    const char *texts[] = {m->sha256,    m->path,        m->name,
                           m->content_type, m->container, m->video_codec,
                           m->audio_codec};
    int r = sqlite3_prepare_v2(s->db, SQL_MEDIA_PUT, -1, &st, NULL);

    static const int col[] = {1, 2, 3, 5, 6, 7, 8}; /* of texts[i] */

    for (int i = 0; r == SQLITE_OK && i < 7; i++)
        r = bind_text(st, col[i], texts[i]);
    if (r == SQLITE_OK)
        r = sqlite3_bind_int64(st, 4, m->bytes);
    if (r == SQLITE_OK)
        r = m->duration_ms < 0 ? sqlite3_bind_null(st, 9)
                               : sqlite3_bind_int64(st, 9, m->duration_ms);
    if (r == SQLITE_OK)
        r = sqlite3_bind_int(st, 10, m->width);
    if (r == SQLITE_OK)
        r = sqlite3_bind_int(st, 11, m->height);
    if (r == SQLITE_OK)
        r = bind_text(st, 12, m->thumb);
    if (r == SQLITE_OK)
        r = sqlite3_bind_int64(st, 13, m->uploaded_at);
    if (r != SQLITE_OK || sqlite3_step(st) != SQLITE_DONE)
        rc = sqlite_fail(s, err, "storing a media file's facts");
    sqlite3_finalize(st);
    return rc;
}

static void row_of(sqlite3_stmt *st, struct media_row *m)
{
    m->sha256 = col_dup(st, 0);
    m->path = col_dup(st, 1);
    m->name = col_dup(st, 2);
    m->bytes = sqlite3_column_int64(st, 3);
    m->content_type = col_dup(st, 4);
    m->container = col_dup(st, 5);
    m->video_codec = col_dup(st, 6);
    m->audio_codec = col_dup(st, 7);
    m->duration_ms = sqlite3_column_type(st, 8) == SQLITE_NULL
                         ? -1
                         : sqlite3_column_int64(st, 8);
    m->width = sqlite3_column_int(st, 9);
    m->height = sqlite3_column_int(st, 10);
    m->thumb = col_dup(st, 11);
    m->uploaded_at = sqlite3_column_int64(st, 12);
}

enum err sq_media_get(struct store *base, const char *sha256,
                      struct media_row *out)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_DB;
    int step;

    memset(out, 0, sizeof *out);
    if (sqlite3_prepare_v2(s->db, SQL_MEDIA_GET, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC) != SQLITE_OK)
        goto out;
    step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        row_of(st, out);
        rc = ERR_OK;
    } else if (step == SQLITE_DONE) {
        rc = ERR_NOTFOUND;
    }
out:
    if (rc == ERR_DB)
        sqlite_fail(s, NULL, "reading a media file's facts");
    sqlite3_finalize(st);
    return rc;
}

enum err sq_media_list(struct store *base, size_t limit,
                       store_media_fn fn, void *ud)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    struct media_row m;
    enum err rc = ERR_DB;
    int step;

    if (limit > STORE_MEDIA_LIST_MAX)
        limit = STORE_MEDIA_LIST_MAX;
    if (sqlite3_prepare_v2(s->db, SQL_MEDIA_LIST, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_int64(st, 1, (sqlite3_int64)limit) != SQLITE_OK)
        goto out;
    rc = ERR_OK;
    while (rc == ERR_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        row_of(st, &m);
        rc = fn(&m, ud);
        media_row_free(&m);
    }
    if (rc == ERR_OK && step != SQLITE_DONE)
        rc = ERR_DB;
out:
    if (rc == ERR_DB)
        sqlite_fail(s, NULL, "listing media");
    sqlite3_finalize(st);
    return rc;
}

static const char *col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

enum err sq_media_uses(struct store *base, const char *sha256, int64_t now,
                       int64_t grace_s, store_media_use_fn fn, void *ud)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    enum err rc = ERR_DB;
    int step = SQLITE_DONE;

    if (sqlite3_prepare_v2(s->db, SQL_MEDIA_USES, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_bind_int64(st, 2, now - grace_s) != SQLITE_OK)
        goto out;
    rc = ERR_OK;
    while (rc == ERR_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        struct media_use u = {
            sqlite3_column_int64(st, 0), col_text(st, 1), col_text(st, 2),
            col_text(st, 3),             col_text(st, 4),
            sqlite3_column_int64(st, 5), sqlite3_column_int64(st, 6),
            sqlite3_column_int(st, 7) != 0,
        };
        rc = fn(&u, ud);
    }
    if (rc == ERR_OK && step != SQLITE_DONE)
        rc = ERR_DB;
out:
    if (rc == ERR_DB)
        sqlite_fail(s, NULL, "finding the posts that use a file");
    sqlite3_finalize(st);
    return rc;
}

/* Inside the transaction: refuse while held, else delete the row. */
static enum err delete_unheld(struct store *base, const char *sha256,
                              int64_t now, int64_t grace_s, struct buf *err)
{
    struct sqlite_store *s = S(base);
    sqlite3_stmt *st = NULL;
    enum err rc = media_check_unheld(base, sha256, now, grace_s, err);

    if (rc != ERR_OK && rc != ERR_BUSY)
        return sqlite_fail(s, err, "finding the posts that use a file");
    if (rc != ERR_OK)
        return rc;
    if (sqlite3_prepare_v2(s->db, SQL_MEDIA_DELETE, -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_bind_text(st, 1, sha256, -1, SQLITE_STATIC) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_DONE)
        rc = sqlite_fail(s, err, "removing a media file");
    else if (sqlite3_changes(s->db) == 0)
        rc = ERR_NOTFOUND;
    sqlite3_finalize(st);
    return rc;
}

enum err sq_media_delete(struct store *base, const char *sha256,
                         int64_t now, int64_t grace_s, struct buf *err)
{
    struct sqlite_store *s = S(base);
    enum err rc = sqlite_write_begin(s, err);

    if (rc != ERR_OK)
        return rc;
    rc = delete_unheld(base, sha256, now, grace_s, err);
    if (rc == ERR_OK &&
        sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        rc = sqlite_fail(s, err, "committing");
    if (rc != ERR_OK)
        sqlite_rollback(s);
    return rc;
}
