/* Storage failures to the API caller and the log (api_fail.h). */
#define LOG_MODULE "http"
#include "http/api_fail.h"

#include <errno.h>
#include <stdarg.h>

#include "core/buf.h"
#include "core/log.h"

#define WHAT_MAX 1024

unsigned api_fault_status(enum store_fault f)
{
    return f == STORE_FAULT_FULL ? 507 : 500;
}

const char *api_fault_cause(enum store_fault f)
{
    switch (f) {
    case STORE_FAULT_FULL:
        return "the disk is full";
    case STORE_FAULT_IO:
        return "the disk failed (input/output error)";
    case STORE_FAULT_OTHER:
        break;
    }
    return "database error";
}

static void answer(struct http_request *req, struct http_response *res,
                   enum store_fault f, const char *fmt, va_list ap)
    PRINTF_LIKE(4, 0);
static void answer(struct http_request *req, struct http_response *res,
                   enum store_fault f, const char *fmt, va_list ap)
{
    unsigned status = api_fault_status(f);
    const char *cause = api_fault_cause(f);
    struct buf what;

    buf_init(&what, WHAT_MAX);
    buf_vcatf(&what, fmt, ap);
    LOG_ERROR("%s %s: %u: %s: %s", req->method ? req->method : "-",
              req->path ? req->path : "-", status, cause, buf_cstr(&what));
    http_error(res, status, NULL, "%s: %s", cause, buf_cstr(&what));
    buf_free(&what);
}

void api_store_failed(struct http_request *req, struct http_response *res,
                      enum err rc, const char *fmt, ...)
{
    enum store_fault f = rc == ERR_DB   ? store_fault(req->st)
                         : rc == ERR_IO ? STORE_FAULT_IO
                                        : STORE_FAULT_OTHER;
    va_list ap;

    va_start(ap, fmt);
    answer(req, res, f, fmt, ap);
    va_end(ap);
}

void api_file_failed(struct http_request *req, struct http_response *res,
                     int errnum, const char *fmt, ...)
{
    enum store_fault f = errnum == ENOSPC || errnum == EDQUOT
                             ? STORE_FAULT_FULL
                             : STORE_FAULT_IO;
    va_list ap;

    va_start(ap, fmt);
    answer(req, res, f, fmt, ap);
    va_end(ap);
}
