/* Oura API v2 responses (health data) into a struct health_batch. These
 * are not social sources: they never produce items or snapshots, and the
 * social import (source_parse) refuses them. No SQL, no network. */
#ifndef MEDIADASH_OURA_H
#define MEDIADASH_OURA_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/health.h"

#define OURA_MAX_DOCS 100000 /* documents in one page */

/* The collection root is a page of (an enum health_kind), judged from the
 * shape only ({"data": [...], "next_token": ...} and the first document's
 * fields); -1 when it is not an Oura page, or an empty page (whose kind
 * cannot be told). No side effects. */
int oura_detect(const json_t *root);

/* True when root is an Oura error body: {"detail": "..."} or the
 * validation error {"detail": [{"loc", "msg", "type"}]}, with at most
 * "status", "title", "type" and "instance" beside it. */
bool oura_is_error(const json_t *root);

/* Whether the len bytes at data are an Oura document: a page whose kind
 * oura_detect tells, or an Oura error body. Cheap enough to ask of every
 * imported file before the social formats are tried. */
bool oura_claims(const char *data, size_t len);

/* Validate and parse one page. kind: the collection it must be (the
 * endpoint the collector called), or -1 to detect it. On success the
 * batch holds every document and the page's next_token. On failure the
 * batch is left empty and err names the file or page (where), the item
 * (day or id) and the field: ERR_PARSE (bad JSON or shape, a value out of
 * range), ERR_TOOBIG, ERR_UPSTREAM (an Oura error body: err holds its
 * message) or ERR_UNSUPPORTED (not an Oura page of that kind). */
enum err oura_parse(const char *data, size_t len, int kind, const char *where,
                    struct health_batch *out, struct buf *err) WARN_UNUSED;

#endif
