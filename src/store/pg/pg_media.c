/* The media library, PostgreSQL backend (store_media.h; migration
 * pg/sql/0004_posts.sql). The same answers as store_sqlite_media.c. A
 * post names its files by sha256 in its media JSON; post_media_entries
 * (0004) reads that text without failing on text that is not JSON. */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/str.h"
#include "store/pg/pg_ops.h"
#include "store/pg/pg_post_int.h"
#include "store/store_media.h"
#include "store/store_media_common.h"

PG_STMT(pg_media_put, 13,
        "INSERT INTO media(sha256, path, name, bytes, content_type, "
        "container, video_codec, audio_codec, duration_ms, width, height, "
        "thumb, uploaded_at) VALUES ($1, $2, $3, $4::bigint, $5, $6, $7, $8, "
        "$9::bigint, $10::bigint, $11::bigint, $12, $13::bigint) ON CONFLICT "
        "(sha256) DO UPDATE SET path = excluded.path, name = excluded.name, "
        "bytes = excluded.bytes, content_type = excluded.content_type, "
        "container = excluded.container, video_codec = "
        "excluded.video_codec, audio_codec = excluded.audio_codec, "
        "duration_ms = excluded.duration_ms, width = excluded.width, "
        "height = excluded.height, thumb = excluded.thumb, uploaded_at = "
        "excluded.uploaded_at");
#define PG_MEDIA_COLS                                                         \
    "SELECT sha256, path, name, bytes, content_type, container, "             \
    "video_codec, audio_codec, duration_ms, width, height, thumb, "           \
    "uploaded_at FROM media "
PG_STMT(pg_media_get, 1, PG_MEDIA_COLS "WHERE sha256 = $1");
PG_STMT(pg_media_list, 1,
        PG_MEDIA_COLS "ORDER BY uploaded_at DESC, sha256 LIMIT $1::bigint");
/* holds: anything but cancelled, and published posts within the grace
 * after their last change ($2 = now - grace). */
PG_STMT(pg_media_uses, 2,
        "SELECT DISTINCT p.id, p.platform, p.account, p.title, p.state, "
        "p.publish_at, p.updated_at, (p.state <> 'cancelled' AND NOT "
        "(p.state = 'published' AND p.updated_at < $2::bigint)) FROM post p "
        "CROSS JOIN LATERAL post_media_entries(p.media) j WHERE "
        "strpos(p.media, $1) > 0 AND json_typeof(j) = 'object' AND "
        "j->>'sha256' = $1 ORDER BY p.id");
PG_STMT(pg_media_lock, 1,
        "SELECT 1 FROM media WHERE sha256 = $1 FOR UPDATE");
PG_STMT(pg_media_delete, 1, "DELETE FROM media WHERE sha256 = $1");

enum err pg_media_put_op(struct store *st, const struct media_row *m,
                         struct buf *err)
{
    struct pg_params p;

    pg_p_init(&p);
    pg_p_text(&p, m->sha256);
    pg_p_text(&p, m->path);
    pg_p_text(&p, m->name);
    pg_p_i64(&p, m->bytes);
    pg_p_text(&p, m->content_type);
    pg_p_text(&p, m->container);
    pg_p_text(&p, m->video_codec);
    pg_p_text(&p, m->audio_codec);
    if (m->duration_ms < 0)
        pg_p_null(&p);
    else
        pg_p_i64(&p, m->duration_ms);
    pg_p_i64(&p, m->width);
    pg_p_i64(&p, m->height);
    pg_p_text(&p, m->thumb);
    pg_p_i64(&p, m->uploaded_at);
    return pg_run(pg_of(st), &pg_media_put, &p, NULL,
                  "storing a media file's facts", err);
}

static char *dup_or_null(const PGresult *res, int r, int c)
{
    const char *t = pg_text(res, r, c);
    return t != NULL ? xstrdup(t) : NULL;
}

static enum err row_of(const PGresult *res, int r, struct media_row *m)
{
    char **s[] = {&m->sha256, &m->path, &m->name, NULL, &m->content_type,
                  &m->container, &m->video_codec, &m->audio_codec};
    int64_t w = 0, h = 0;

    memset(m, 0, sizeof *m);
    for (int c = 0; c < 8; c++)
        if (s[c] != NULL)
            *s[c] = dup_or_null(res, r, c);
    m->thumb = dup_or_null(res, r, 11);
    m->duration_ms = pg_i64_or(res, r, 8, -1);
    if (pg_i64(res, r, 3, &m->bytes) != ERR_OK ||
        pg_i64(res, r, 9, &w) != ERR_OK || pg_i64(res, r, 10, &h) != ERR_OK ||
        pg_i64(res, r, 12, &m->uploaded_at) != ERR_OK) {
        media_row_free(m);
        return ERR_DB;
    }
    m->width = (int)w;
    m->height = (int)h;
    return ERR_OK;
}

enum err pg_media_get_op(struct store *st, const char *sha256,
                         struct media_row *out)
{
    struct pg_params p;
    PGresult *res = NULL;
    enum err rc;

    memset(out, 0, sizeof *out);
    pg_p_init(&p);
    pg_p_text(&p, sha256);
    rc = pg_run(pg_of(st), &pg_media_get, &p, &res,
                "reading a media file's facts", NULL);
    if (rc == ERR_OK && PQntuples(res) == 0)
        rc = ERR_NOTFOUND;
    else if (rc == ERR_OK)
        rc = row_of(res, 0, out);
    PQclear(res);
    return rc;
}

enum err pg_media_list_op(struct store *st, size_t limit, store_media_fn fn,
                          void *ud)
{
    struct pg_params p;
    PGresult *res = NULL;
    enum err rc;

    if (limit > STORE_MEDIA_LIST_MAX)
        limit = STORE_MEDIA_LIST_MAX;
    pg_p_init(&p);
    pg_p_i64(&p, (int64_t)limit);
    rc = pg_run(pg_of(st), &pg_media_list, &p, &res, "listing media", NULL);
    for (int r = 0; rc == ERR_OK && r < PQntuples(res); r++) {
        struct media_row m;
        rc = row_of(res, r, &m);
        if (rc == ERR_OK)
            rc = fn(&m, ud);
        media_row_free(&m);
    }
    PQclear(res);
    return rc;
}

static const char *text_or_empty(const PGresult *res, int r, int c)
{
    const char *t = pg_text(res, r, c);
    return t != NULL ? t : "";
}

enum err pg_media_uses_op(struct store *st, const char *sha256, int64_t now,
                          int64_t grace_s, store_media_use_fn fn, void *ud)
{
    struct pg_params p;
    PGresult *res = NULL;
    enum err rc;

    pg_p_init(&p);
    pg_p_text(&p, sha256);
    pg_p_i64(&p, now - grace_s);
    rc = pg_run(pg_of(st), &pg_media_uses, &p, &res,
                "finding the posts that use a file", NULL);
    for (int r = 0; rc == ERR_OK && r < PQntuples(res); r++) {
        struct media_use u = {
            0, text_or_empty(res, r, 1), text_or_empty(res, r, 2),
            text_or_empty(res, r, 3), text_or_empty(res, r, 4), 0, 0,
            str_eq(pg_text(res, r, 7), "t")};
        if (pg_i64(res, r, 0, &u.post_id) != ERR_OK ||
            pg_i64(res, r, 5, &u.publish_at) != ERR_OK ||
            pg_i64(res, r, 6, &u.updated_at) != ERR_OK)
            rc = ERR_DB;
        if (rc == ERR_OK)
            rc = fn(&u, ud);
    }
    PQclear(res);
    return rc;
}

/* Inside the transaction, the row locked: refuse while held, else
 * delete the row. */
static enum err delete_unheld(struct store *st, const char *sha256,
                              int64_t now, int64_t grace_s, struct buf *err)
{
    struct pg_params p;
    PGresult *res = NULL;
    enum err rc = media_check_unheld(st, sha256, now, grace_s, err);

    if (rc != ERR_OK && rc != ERR_BUSY)
        buf_setf(err, "finding the posts that use a file failed");
    if (rc != ERR_OK)
        return rc;
    pg_p_init(&p);
    pg_p_text(&p, sha256);
    rc = pg_run(pg_of(st), &pg_media_delete, &p, &res,
                "removing a media file", err);
    if (rc == ERR_OK && pg_changes(res) == 0)
        rc = ERR_NOTFOUND;
    PQclear(res);
    return rc;
}

enum err pg_media_delete_op(struct store *st, const char *sha256, int64_t now,
                            int64_t grace_s, struct buf *err)
{
    struct store_pg *s = pg_of(st);
    struct pg_params p;
    enum err rc = pg_begin(s, err);

    if (rc != ERR_OK)
        return rc;
    pg_p_init(&p);
    pg_p_text(&p, sha256);
    rc = pg_run(s, &pg_media_lock, &p, NULL, "removing a media file", err);
    if (rc == ERR_OK)
        rc = delete_unheld(st, sha256, now, grace_s, err);
    return pg_post_end(s, rc, err);
}
