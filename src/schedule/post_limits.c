/* Problems lists, platform text limits, near duplicates (post_limits.h). */
#include "schedule/post_limits.h"

#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/timeutil.h"
#include "platforms/platform.h"

void post_issues_init(struct post_issues *is)
{
    memset(is, 0, sizeof *is);
    is->rc = ERR_OK;
}

void post_issues_free(struct post_issues *is)
{
    if (is == NULL)
        return;
    for (size_t i = 0; i < is->n; i++)
        free(is->v[i].message);
    post_issues_init(is);
}

void post_issues_add(struct post_issues *is, enum err rc, const char *param,
                     const char *fmt, ...)
{
    struct buf b;
    va_list ap;

    if (is->n == POST_ISSUES_MAX)
        return;
    buf_init(&b, 2048);
    va_start(ap, fmt);
    buf_vcatf(&b, fmt, ap);
    va_end(ap);
    if (is->n == 0)
        is->rc = rc;
    is->v[is->n].param = param;
    is->v[is->n].message = buf_steal(&b);
    is->n++;
}

bool post_issues_has(const struct post_issues *is, const char *param)
{
    for (size_t i = 0; i < is->n; i++)
        if (strcmp(is->v[i].param, param) == 0)
            return true;
    return false;
}

/* Each platform's limits hang off its descriptor (platform.h). */
const struct post_limits *post_limits_for(const char *platform)
{
    const struct platform_desc *d = platform_find(platform);

    /* full names only, as before: "yt" is not a platform here */
    if (d == NULL || strcmp(d->name, platform) != 0)
        return NULL;
    return d->post_limits;
}

static void kv_size(struct jw *w, const char *key, size_t v)
{
    if (v > 0)
        jw_kv_i64(w, key, (int64_t)v);
}

void post_limits_obj_json(struct jw *w, const struct post_limits *l)
{
    jw_object_begin(w);
    kv_size(w, "title_chars", l->title_chars);
    kv_size(w, "caption_chars", l->caption_chars);
    jw_kv_bool(w, "utf16", l->utf16);
    kv_size(w, "caption_bytes", l->caption_bytes);
    kv_size(w, "tags_chars", l->tags_chars);
    kv_size(w, "hashtags", l->hashtags);
    kv_size(w, "mentions", l->mentions);
    jw_kv_bool(w, "no_angle", l->no_angle);
    jw_kv_bool(w, "title_as_caption", l->title_as_caption);
    jw_kv_str(w, "caption_name", l->caption_name);
    jw_object_end(w);
}

void post_limits_json(struct jw *w)
{
    jw_object_begin(w);
    for (int p = 0; p < PLATFORM_COUNT; p++) {
        const struct post_limits *l = platform_get((enum platform)p)->post_limits;
        if (l == NULL)
            continue;
        jw_key(w, l->platform);
        post_limits_obj_json(w, l);
    }
    jw_object_end(w);
}

size_t post_text_chars(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

size_t post_text_utf16(const char *s)
{
    size_t n = 0;
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        n += (c & 0xc0) != 0x80;
        n += c >= 0xf0; /* a 4-byte sequence: a surrogate pair */
    }
    return n;
}

static bool word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

static bool name_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '.';
}

/* Marks (#, @) at a word start followed by what follow() accepts. */
static size_t count_marks(const char *s, char mark, bool (*follow)(unsigned char))
{
    size_t n = 0;
    for (size_t i = 0; s && s[i]; i++)
        if (s[i] == mark && follow((unsigned char)s[i + 1]) &&
            (i == 0 || !word_byte((unsigned char)s[i - 1])))
            n++;
    return n;
}

size_t post_text_hashtags(const char *s)
{
    return count_marks(s, '#', word_byte);
}

size_t post_text_mentions(const char *s)
{
    return count_marks(s, '@', name_byte);
}

size_t post_tags_chars(const char *const *tags, size_t n)
{
    size_t len = n > 1 ? n - 1 : 0;
    for (size_t i = 0; i < n; i++)
        len += post_text_chars(tags[i]) + (strchr(tags[i], ' ') ? 2 : 0);
    return len;
}

static void check_caption(const struct post_limits *l, const char *param,
                          const char *text, struct post_issues *is)
{
    size_t n = l->utf16 ? post_text_utf16(text) : post_text_chars(text);
    const char *unit = l->utf16 ? "UTF-16 characters" : "characters";

    if (l->caption_chars && n > l->caption_chars)
        post_issues_add(is, ERR_INVALID, param,
                        "%s: %zu %s; %s allows %zu in a %s", param, n, unit,
                        l->platform, l->caption_chars, l->caption_name);
    if (l->caption_bytes && strlen(text) > l->caption_bytes)
        post_issues_add(is, ERR_INVALID, param,
                        "%s: %zu bytes; %s allows %zu in a %s", param,
                        strlen(text), l->platform, l->caption_bytes,
                        l->caption_name);
    n = post_text_hashtags(text);
    if (l->hashtags && n > l->hashtags)
        post_issues_add(is, ERR_INVALID, param,
                        "%s: %zu hashtags; %s allows %zu", param, n,
                        l->platform, l->hashtags);
    n = post_text_mentions(text);
    if (l->mentions && n > l->mentions)
        post_issues_add(is, ERR_INVALID, param,
                        "%s: %zu @mentions; %s allows %zu", param, n,
                        l->platform, l->mentions);
    if (l->no_angle && strpbrk(text, "<>") != NULL)
        post_issues_add(is, ERR_INVALID, param,
                        "%s: %s refuses < and > in a %s", param, l->platform,
                        l->caption_name);
}

void post_limits_check(const char *platform, const char *title,
                       const char *caption, const char *const *tags,
                       size_t ntags, struct post_issues *is)
{
    const struct post_limits *l = post_limits_for(platform);
    size_t n;

    if (l == NULL)
        return;
    title = title ? title : "";
    caption = caption ? caption : "";
    n = post_text_chars(title);
    if (l->title_chars && n > l->title_chars)
        post_issues_add(is, ERR_INVALID, "title",
                        "title: %zu characters; %s allows %zu", n,
                        l->platform, l->title_chars);
    if (l->no_angle && strpbrk(title, "<>") != NULL)
        post_issues_add(is, ERR_INVALID, "title",
                        "title: %s refuses < and > in a title", l->platform);
    if (*caption == '\0' && l->title_as_caption)
        check_caption(l, "title", title, is);
    else
        check_caption(l, "caption", caption, is);
    n = post_tags_chars(tags, ntags);
    if (l->tags_chars && n > l->tags_chars)
        post_issues_add(is, ERR_INVALID, "tags",
                        "tags: %zu characters in all (commas and quotes "
                        "counted); %s allows %zu",
                        n, l->platform, l->tags_chars);
}

/* text with case folded (ASCII) and runs of white space made one space,
 * trimmed; into b. */
static void normalized(const char *s, struct buf *b)
{
    bool space = false;
    for (; s && *s; s++) {
        char c = *s;
        if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            space = b->len > 0;
            continue;
        }
        if (space && buf_putc(b, ' ') != ERR_OK)
            return;
        space = false;
        if (buf_putc(b, c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c) !=
            ERR_OK)
            return;
    }
}

static bool same_text(const struct post *a, const struct post *b)
{
    struct buf x, y;
    bool same;

    buf_init(&x, 64 * 1024);
    buf_init(&y, 64 * 1024);
    normalized(a->title, &x);
    normalized("\n", &x);
    normalized(a->caption, &x);
    normalized(b->title, &y);
    normalized("\n", &y);
    normalized(b->caption, &y);
    same = x.len > 0 && strcmp(buf_cstr(&x), buf_cstr(&y)) == 0;
    buf_free(&x);
    buf_free(&y);
    return same;
}

/* The SHA-256s of a stored media array, joined, into b. */
static void media_key(const char *media, struct buf *b)
{
    json_t *a = media ? json_loads(media, 0, NULL) : NULL;
    size_t i;
    json_t *v;

    json_array_foreach(a, i, v)
    {
        const char *sha = json_string_value(json_object_get(v, "sha256"));
        if (sha != NULL)
            buf_catf(b, "%s,", sha);
    }
    json_decref(a);
}

static bool same_media(const struct post *a, const struct post *b)
{
    struct buf x, y;
    bool same;

    buf_init(&x, 4096);
    buf_init(&y, 4096);
    media_key(a->media, &x);
    media_key(b->media, &y);
    same = x.len > 0 && strcmp(buf_cstr(&x), buf_cstr(&y)) == 0;
    buf_free(&x);
    buf_free(&y);
    return same;
}

bool post_near_duplicate(const struct post *p, const struct post *other,
                         struct buf *why)
{
    int64_t d = p->publish_at - other->publish_at;
    bool text, media;

    if (other->id == p->id || other->state == POST_CANCELLED ||
        other->state == POST_FAILED || !p->platform || !other->platform ||
        !p->account || !other->account ||
        strcmp(p->platform, other->platform) != 0 ||
        strcmp(p->account, other->account) != 0 ||
        d >= POST_DUPLICATE_S || d <= -POST_DUPLICATE_S)
        return false;
    text = same_text(p, other);
    media = same_media(p, other);
    if (!text && !media)
        return false;
    if (d == 0)
        buf_setf(why, "post %lld on the same %s account, due at the same "
                 "time, has the same %s", (long long)other->id, p->platform,
                 text && media ? "text and media" : text ? "text" : "media");
    else
        buf_setf(why, "post %lld on the same %s account, due %lld min %s "
                 "this one, has the same %s", (long long)other->id,
                 p->platform, (long long)((d < 0 ? -d : d) / 60),
                 d > 0 ? "before" : "after",
                 text && media ? "text and media" : text ? "text" : "media");
    return true;
}
