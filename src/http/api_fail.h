/* Private to src/http: the one mapping from a failed write (a store call,
 * a file written under the media root) to the API's answer and the log.
 * Every route that writes (imports, posts, settings, accounts, uploads)
 * answers its storage failures through it:
 *   507 {"error": {"status": 507, "message": "the disk is full: WHAT"}}
 *       when the disk (or the database's size limit) is full;
 *   500 "the disk failed (input/output error): WHAT" on an I/O error;
 *   500 "database error: WHAT" otherwise;
 * and logs one ERROR line naming the method, path, status and cause. */
#ifndef MEDIADASH_HTTP_API_FAIL_H
#define MEDIADASH_HTTP_API_FAIL_H

#include "http/http.h"
#include "store/store.h"

/* After a store call on req->st returned rc (not ERR_OK): ERR_DB asks
 * store_fault why; ERR_IO counts as an I/O error; anything else as a
 * database error. fmt says what failed ("storing f301.json"). */
void api_store_failed(struct http_request *req, struct http_response *res,
                      enum err rc, const char *fmt, ...) PRINTF_LIKE(4, 5);

/* After a file write failed with errno errnum (ENOSPC, EDQUOT: full). */
void api_file_failed(struct http_request *req, struct http_response *res,
                     int errnum, const char *fmt, ...) PRINTF_LIKE(4, 5);

/* The status and cause text of a fault: 507 for STORE_FAULT_FULL. */
unsigned api_fault_status(enum store_fault f);
const char *api_fault_cause(enum store_fault f);

#endif
