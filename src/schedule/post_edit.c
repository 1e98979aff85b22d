/* Editing posts (post_edit.h). */
#include "schedule/post_edit.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/str.h"
#include "core/timeutil.h"

/* The stored posts' arrays, parsed; strings borrowed from the trees. */
struct stored {
    json_t *tags_doc, *media_doc;
    const char *tags[SCHED_TAGS_MAX];
    size_t ntags;
    struct sched_media media[SCHED_MEDIA_MAX];
    size_t nmedia;
};

static const char *member(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key)); /* NULL if not */
}

/* Read cur's tags and media back; what does not fit the shape is left
 * out (and sched_post_build then judges what remains). */
static void stored_read(const struct post *cur, struct stored *s)
{
    size_t i;
    json_t *v;

    memset(s, 0, sizeof *s);
    s->tags_doc = cur->tags ? json_loads(cur->tags, 0, NULL) : NULL;
    s->media_doc = cur->media ? json_loads(cur->media, 0, NULL) : NULL;
    json_array_foreach(s->tags_doc, i, v)
    {
        if (json_is_string(v) && s->ntags < SCHED_TAGS_MAX)
            s->tags[s->ntags++] = json_string_value(v);
    }
    json_array_foreach(s->media_doc, i, v)
    {
        json_t *b = json_object_get(v, "bytes");
        if (!json_is_object(v) || s->nmedia == SCHED_MEDIA_MAX)
            continue;
        s->media[s->nmedia++] = (struct sched_media){
            member(v, "path"), member(v, "sha256"),
            json_is_integer(b) ? (int64_t)json_integer_value(b) : -1,
            member(v, "content_type")};
    }
}

static void stored_free(struct stored *s)
{
    json_decref(s->tags_doc);
    json_decref(s->media_doc);
}

/* The create path's input: pt over cur. */
static void merge(const struct post *cur, const struct sched_patch *pt,
                  const struct stored *s, struct sched_input *in)
{
    bool keep_time = pt->at == NULL && pt->zone == NULL;

    *in = (struct sched_input){0};
    in->platform = cur->platform;
    in->account = pt->account ? pt->account : cur->account;
    in->title = pt->title ? pt->title : cur->title;
    in->caption = pt->caption ? pt->caption : cur->caption;
    in->privacy = pt->privacy ? pt->privacy : cur->privacy;
    in->at = pt->at ? pt->at : cur->local_time;
    in->zone = pt->zone ? pt->zone : cur->zone;
    in->tags = pt->has_tags ? pt->tags : s->tags;
    in->ntags = pt->has_tags ? pt->ntags : s->ntags;
    in->media = pt->has_media ? pt->media : s->media;
    in->nmedia = pt->has_media ? pt->nmedia : s->nmedia;
    in->draft = pt->draft < 0 ? cur->state == POST_DRAFT : pt->draft == 1;
    /* The stored wall time resolved once already (perhaps shifted out of
     * a gap, or the second of two): checked here with the gap allowed,
     * then the stored instant is kept (sched_post_edit_build). */
    in->opts = keep_time ? (struct sched_opts){.shift_gap = true}
                         : pt->opts;
}

/* The bookkeeping of cur carried into the edited post. */
static void carry(const struct post *cur, bool keep_time, struct post *out)
{
    out->id = cur->id;
    out->version = cur->version;
    out->attempts = cur->attempts;
    out->created_at = cur->created_at;
    out->updated_at = cur->updated_at;
    out->claimed_until = TIME_NONE;
    if (keep_time) {
        out->publish_at = cur->publish_at;
        free(out->local_time);
        out->local_time = xstrdup(cur->local_time);
    }
}

enum err sched_post_edit_build(const struct post *cur,
                               const struct sched_patch *pt, struct post *out,
                               struct buf *note, const char **param,
                               struct buf *err)
{
    bool keep_time = pt->at == NULL && pt->zone == NULL;
    struct sched_input in;
    struct stored s;
    enum err rc;

    *out = (struct post){0};
    *param = NULL;
    if (pt->platform != NULL && !str_eq(pt->platform, cur->platform)) {
        *param = "platform";
        buf_setf(err, "platform: a post's platform cannot change (it is "
                      "%s); make a new post for %s",
                 cur->platform, pt->platform);
        return ERR_INVALID;
    }
    stored_read(cur, &s);
    merge(cur, pt, &s, &in);
    rc = sched_post_build(&in, out, note, param, err);
    stored_free(&s);
    if (rc != ERR_OK)
        return rc;
    carry(cur, keep_time, out);
    if (keep_time && note != NULL)
        buf_reset(note);
    return ERR_OK;
}

/* ---- the changes ------------------------------------------------------ */

static void change_text(struct jw *w, const char *field, const char *a,
                        const char *b, size_t *n)
{
    if (str_eq(a ? a : "", b ? b : ""))
        return;
    jw_object_begin(w);
    jw_kv_str(w, "field", field);
    jw_kv_str(w, "from", a);
    jw_kv_str(w, "to", b);
    jw_object_end(w);
    (*n)++;
}

/* A stored array as the change's value: tags as they are, media as their
 * paths. */
static void array_value(struct jw *w, const char *key, const char *text,
                        bool paths)
{
    json_t *a = text ? json_loads(text, 0, NULL) : NULL;
    size_t i;
    json_t *v;

    jw_key(w, key);
    jw_array_begin(w);
    json_array_foreach(a, i, v)
    {
        const char *s = paths ? member(v, "path") : json_string_value(v);
        if (s != NULL)
            jw_str(w, s);
    }
    jw_array_end(w);
    json_decref(a);
}

static void change_array(struct jw *w, const char *field, const char *a,
                         const char *b, bool paths, size_t *n)
{
    if (str_eq(a ? a : "[]", b ? b : "[]"))
        return;
    jw_object_begin(w);
    jw_kv_str(w, "field", field);
    array_value(w, "from", a, paths);
    array_value(w, "to", b, paths);
    jw_object_end(w);
    (*n)++;
}

static void change_time(struct jw *w, int64_t a, int64_t b, size_t *n)
{
    if (a == b)
        return;
    jw_object_begin(w);
    jw_kv_str(w, "field", "publish_at");
    jw_kv_time(w, "from", a);
    jw_kv_time(w, "to", b);
    jw_object_end(w);
    (*n)++;
}

enum err sched_post_diff(const struct post *a, const struct post *b,
                         struct buf *out, size_t *n)
{
    struct jw w;

    *n = 0;
    jw_init(&w, out);
    jw_array_begin(&w);
    change_text(&w, "state", post_state_name(a->state),
                post_state_name(b->state), n);
    change_time(&w, a->publish_at, b->publish_at, n);
    change_text(&w, "zone", a->zone, b->zone, n);
    change_text(&w, "local_time", a->local_time, b->local_time, n);
    change_text(&w, "account", a->account, b->account, n);
    change_text(&w, "title", a->title, b->title, n);
    change_text(&w, "caption", a->caption, b->caption, n);
    change_text(&w, "privacy", a->privacy, b->privacy, n);
    change_array(&w, "tags", a->tags, b->tags, false, n);
    change_array(&w, "media", a->media, b->media, true, n);
    jw_array_end(&w);
    return jw_status(&w) == ERR_OK ? ERR_OK : ERR_TOOBIG;
}

/* One stored value: string, integer, null or an array of strings. */
static bool value_ok(json_t *v)
{
    size_t i;
    json_t *x;

    if (json_is_string(v) || json_is_integer(v) || json_is_null(v))
        return true;
    if (!json_is_array(v))
        return false;
    json_array_foreach(v, i, x)
    {
        if (!json_is_string(x))
            return false;
    }
    return true;
}

static void value_json(struct jw *w, const char *key, json_t *v)
{
    size_t i;
    json_t *x;

    jw_key(w, key);
    if (json_is_string(v)) {
        jw_str(w, json_string_value(v));
    } else if (json_is_integer(v)) {
        jw_i64(w, (int64_t)json_integer_value(v));
    } else if (json_is_array(v)) {
        jw_array_begin(w);
        json_array_foreach(v, i, x) jw_str(w, json_string_value(x));
        jw_array_end(w);
    } else {
        jw_null(w);
    }
}

void sched_changes_json(struct jw *w, const char *changes)
{
    json_t *a = changes ? json_loads(changes, 0, NULL) : NULL;
    size_t i;
    json_t *c;

    jw_array_begin(w);
    json_array_foreach(a, i, c)
    {
        json_t *from = json_object_get(c, "from"), *to = json_object_get(c, "to");
        if (member(c, "field") == NULL || from == NULL || to == NULL ||
            !value_ok(from) || !value_ok(to))
            continue;
        jw_object_begin(w);
        jw_kv_str(w, "field", member(c, "field"));
        value_json(w, "from", from);
        value_json(w, "to", to);
        jw_object_end(w);
    }
    jw_array_end(w);
    json_decref(a);
}
