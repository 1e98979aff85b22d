/* What handlers read from a request and how they write an error: the
 * only part of the server the handler files call, so that server.c ->
 * routes.c -> handlers -> request.c has no circle. */
#include <microhttpd.h>
#include <stdarg.h>

#include "core/jsonw.h"
#include "http/http.h"

const char *http_arg(const struct http_request *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND,
                                       name);
}

const char *http_header(const struct http_request *req, const char *name)
{
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
