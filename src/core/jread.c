#include "jread.h"

#include <stdarg.h>
#include <string.h>

#include "model.h"
#include "str.h"
#include "timeutil.h"

#define JREAD_PATH_MAX 256

void jread_init(struct jread *r, struct buf *err)
{
    r->err = err;
    buf_init(&r->where, 512);
}

void jread_free(struct jread *r)
{
    buf_free(&r->where);
}

void jread_where(struct jread *r, const char *fmt, ...)
{
    va_list ap;
    buf_reset(&r->where);
    va_start(ap, fmt);
    buf_vcatf(&r->where, fmt, ap);
    va_end(ap);
}

enum err jread_fail(struct jread *r, const char *field, const char *fmt, ...)
{
    va_list ap;
    struct buf *e = r->err;

    buf_reset(e);
    if (r->where.len > 0)
        buf_catf(e, "%s: ", buf_cstr(&r->where));
    if (field != NULL)
        buf_catf(e, "field \"%s\": ", field);
    va_start(ap, fmt);
    buf_vcatf(e, fmt, ap);
    va_end(ap);
    return ERR_PARSE;
}

const char *jread_type_name(const json_t *v)
{
    if (v == NULL)
        return "nothing";
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "object";
    case JSON_ARRAY:
        return "array";
    case JSON_STRING:
        return "string";
    case JSON_INTEGER:
        return "integer";
    case JSON_REAL:
        return "number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "boolean";
    case JSON_NULL:
        return "null";
    }
    return "unknown";
}

enum err jread_get(struct jread *r, const json_t *obj, const char *path,
                   enum jreq req, json_t **out)
{
    const json_t *cur = obj;
    const char *p = path;
    char key[JREAD_PATH_MAX];

    *out = NULL;
    while (*p) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (n >= sizeof key)
            return jread_fail(r, path, "path too long");
        memcpy(key, p, n);
        key[n] = '\0';
        if (!json_is_object(cur)) {
            if (cur == NULL || json_is_null(cur))
                break;
            return jread_fail(r, path, "expected an object on the way, got %s",
                              jread_type_name(cur));
        }
        cur = json_object_get(cur, key);
        if (cur == NULL)
            break;
        p += n;
        if (*p == '.')
            p++;
    }
    if (cur == NULL || (*p == '\0' && json_is_null(cur)) || *p != '\0') {
        if (req == J_REQUIRED)
            return jread_fail(r, path, "missing");
        return ERR_OK;
    }
    *out = (json_t *)cur;
    return ERR_OK;
}

static enum err get_typed(struct jread *r, const json_t *obj,
                          const char *path, enum jreq req, json_type want,
                          const char *want_name, json_t **out)
{
    enum err rc = jread_get(r, obj, path, req, out);
    if (rc != ERR_OK || *out == NULL)
        return rc;
    if (json_typeof(*out) != want) {
        rc = jread_fail(r, path, "expected %s, got %s", want_name,
                        jread_type_name(*out));
        *out = NULL;
    }
    return rc;
}

enum err jread_object(struct jread *r, const json_t *obj, const char *path,
                      enum jreq req, json_t **out)
{
    return get_typed(r, obj, path, req, JSON_OBJECT, "an object", out);
}

enum err jread_array(struct jread *r, const json_t *obj, const char *path,
                     enum jreq req, json_t **out)
{
    return get_typed(r, obj, path, req, JSON_ARRAY, "an array", out);
}

enum err jread_string(struct jread *r, const json_t *obj, const char *path,
                      enum jreq req, size_t max, const char **out)
{
    json_t *v;
    enum err rc = get_typed(r, obj, path, req, JSON_STRING, "a string", &v);
    *out = NULL;
    if (rc != ERR_OK || v == NULL)
        return rc;
    if (json_string_length(v) > max)
        return jread_fail(r, path, "string of %zu bytes is over the %zu limit",
                          json_string_length(v), max);
    *out = json_string_value(v);
    return ERR_OK;
}

enum err jread_id(struct jread *r, const json_t *obj, const char *path,
                  enum jreq req, const char **out)
{
    enum err rc = jread_string(r, obj, path, req, ITEM_ID_MAX, out);
    if (rc != ERR_OK || *out == NULL)
        return rc;
    if (**out == '\0') {
        *out = NULL;
        return jread_fail(r, path, "empty id");
    }
    for (const char *p = *out; *p; p++) {
        if (*p <= ' ' || *p == 0x7f) {
            *out = NULL;
            return jread_fail(r, path, "id contains a space or control byte");
        }
    }
    return ERR_OK;
}

enum err jread_int(struct jread *r, const json_t *obj, const char *path,
                   enum jreq req, int64_t lo, int64_t hi, int64_t *out,
                   bool *present)
{
    json_t *v;
    enum err rc = jread_get(r, obj, path, req, &v);
    if (present)
        *present = false;
    if (rc != ERR_OK || v == NULL)
        return rc;
    if (!json_is_integer(v))
        return jread_fail(r, path, "expected an integer, got %s",
                          jread_type_name(v));
    if (json_integer_value(v) < lo || json_integer_value(v) > hi)
        return jread_fail(r, path, "%lld is out of range [%lld, %lld]",
                          (long long)json_integer_value(v), (long long)lo,
                          (long long)hi);
    *out = json_integer_value(v);
    if (present)
        *present = true;
    return ERR_OK;
}

enum err jread_count_str(struct jread *r, const json_t *obj,
                         const char *path, enum jreq req, int64_t *out,
                         bool *present)
{
    json_t *v;
    enum err rc = jread_get(r, obj, path, req, &v);
    if (present)
        *present = false;
    if (rc != ERR_OK || v == NULL)
        return rc;
    if (!json_is_string(v))
        return jread_fail(r, path,
                          "expected a count as a string of digits, got %s",
                          jread_type_name(v));
    if (json_string_value(v)[0] == '-' ||
        parse_i64(json_string_value(v), 0, INT64_MAX, out) != ERR_OK)
        return jread_fail(r, path, "\"%.40s\" is not a count",
                          json_string_value(v));
    if (present)
        *present = true;
    return ERR_OK;
}

enum err jread_number(struct jread *r, const json_t *obj, const char *path,
                      enum jreq req, double *out, bool *present)
{
    json_t *v;
    enum err rc = jread_get(r, obj, path, req, &v);
    if (present)
        *present = false;
    if (rc != ERR_OK || v == NULL)
        return rc;
    if (!json_is_number(v))
        return jread_fail(r, path, "expected a number, got %s",
                          jread_type_name(v));
    *out = json_number_value(v);
    if (present)
        *present = true;
    return ERR_OK;
}

enum err jread_bool(struct jread *r, const json_t *obj, const char *path,
                    enum jreq req, bool *out, bool *present)
{
    json_t *v;
    enum err rc = jread_get(r, obj, path, req, &v);
    if (present)
        *present = false;
    if (rc != ERR_OK || v == NULL)
        return rc;
    if (!json_is_boolean(v))
        return jread_fail(r, path, "expected a boolean, got %s",
                          jread_type_name(v));
    *out = json_is_true(v);
    if (present)
        *present = true;
    return ERR_OK;
}

enum err jread_time(struct jread *r, const json_t *obj, const char *path,
                    enum jreq req, int64_t *out)
{
    const char *s;
    enum err rc = jread_string(r, obj, path, req, 64, &s);
    *out = TIME_NONE;
    if (rc != ERR_OK || s == NULL)
        return rc;
    if (time_parse_iso8601(s, out) != ERR_OK) {
        *out = TIME_NONE;
        return jread_fail(r, path, "\"%s\" is not an ISO 8601 time", s);
    }
    return ERR_OK;
}
