/* What handlers read from a request and how they write an error: the
 * only part of the server the handler files call, so that server.c ->
 * routes.c -> handlers -> request.c has no circle. */
#include <microhttpd.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>

#include "core/jsonw.h"
#include "http/http.h"

/* The value of name in NULL-ended name, value pairs, or NULL. */
static const char *pair_lookup(const char *const *kv, const char *name,
                               bool nocase)
{
    for (size_t i = 0; kv != NULL && kv[i] != NULL; i += 2)
        if (nocase ? strcasecmp(kv[i], name) == 0 : strcmp(kv[i], name) == 0)
            return kv[i + 1];
    return NULL;
}

const char *http_arg(const struct http_request *req, const char *name)
{
    if (req->conn == NULL)
        return pair_lookup(req->inv_args, name, false);
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND,
                                       name);
}

const char *http_header(const struct http_request *req, const char *name)
{
    if (req->conn == NULL)
        return pair_lookup(req->inv_headers, name, true);
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *http_client_addr(const struct http_request *req)
{
    return req->client[0] != '\0' ? req->client : "?";
}

void http_error(struct http_response *res, unsigned status, const char *param,
                const char *fmt, ...)
{
    struct buf msg;
    struct jw w;
    va_list ap;

    buf_init(&msg, 1024);
    va_start(ap, fmt);
    buf_vcatf(&msg, fmt, ap);
    va_end(ap);
    res->status = status;
    res->content_type = "application/json";
    buf_reset(&res->body);
    jw_init(&w, &res->body);
    jw_object_begin(&w);
    jw_key(&w, "error");
    jw_object_begin(&w);
    jw_kv_i64(&w, "status", status);
    jw_kv_str(&w, "message", buf_cstr(&msg));
    if (param != NULL)
        jw_kv_str(&w, "param", param);
    jw_object_end(&w);
    jw_object_end(&w);
    if (jw_status(&w) != ERR_OK)
        buf_setf(&res->body, "{\"error\":{\"status\":%u}}", status);
    buf_free(&msg);
}
