/* Documents for retrieval (issue 18): one self-contained JSON object per
 * content item, per account and per own account's rollup day, carrying
 * what the analytics know (numbers and a short factual summary), with
 * stable ids, listed in change order so that a pipeline can keep an index
 * current incrementally. The CLI (`export documents`), the API
 * (GET /api/v1/documents) and the MCP server's resources all write them
 * through this module; docs/documents.md describes the fields.
 *
 * Ids (URIs; ext ids percent-encoded, RFC 3986 unreserved kept):
 *   mediadash://<platform>/<ext_id>                        content item
 *   mediadash://<platform>/account/<ext_id>                account
 *   mediadash://<platform>/account/<ext_id>/day/YYYY-MM-DD daily summary
 * A removed document is written as a tombstone:
 *   {"id": ..., "deleted": true, "deleted_at": "...Z"}
 * Health data is never read here: documents come from items only. */
#ifndef MEDIADASH_ANALYTICS_DOCUMENTS_H
#define MEDIADASH_ANALYTICS_DOCUMENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "analytics/report.h"
#include "core/model.h"
#include "store/store.h"

#define DOCUMENTS_SCHEME "mediadash://"
#define DOCUMENTS_NO_DAY INT32_MIN

/* Append the id of the document of item (p, type, ext_id), or of its
 * daily summary of rollup day `day` when day != DOCUMENTS_NO_DAY (an
 * account's). ERR_TOOBIG when out is full. */
enum err documents_id(struct buf *out, enum platform p, enum item_type type,
                      const char *ext_id, int32_t day) WARN_UNUSED;

/* Parse a document id back: ERR_PARSE for anything documents_id does
 * not write. *ext_id: caller frees. *day DOCUMENTS_NO_DAY when none. */
enum err documents_id_parse(const char *id, enum platform *p,
                            enum item_type *type, char **ext_id,
                            int32_t *day) WARN_UNUSED;

/* The text a retrieval pipeline embeds: the title, then (after a blank
 * line) the description or caption, whose hashtags it keeps. b is reset
 * first. `export content --format jsonl` writes the same text. */
void documents_text(struct buf *b, const struct item *it);

/* Append n with a comma between thousands (-1234567 -> -1,234,567). */
void documents_num(struct buf *b, int64_t n);

struct typical;
struct documents;

/* A writer of documents from st (borrowed while open). t (borrowed, may
 * be NULL) gives the typical curves (typical_build); NULL: built here.
 * Caller closes. */
enum err documents_open(struct store *st, const struct typical *t,
                        struct documents **out, struct buf *err) WARN_UNUSED;
void documents_close(struct documents *d); /* NULL: no-op */

/* Called per document: json is one JSON object (no newline), len its
 * length, borrowed for the call. A non-OK return stops the walk. */
typedef enum err (*documents_fn)(void *ud, const struct store_doc_change *c,
                                 const char *json, size_t len);

/* The documents q selects (store_doc_changes), in change order (seq
 * ascending), each written as its current state: the same figures the
 * API shows for the item at this moment. A daily summary whose day holds
 * nothing any more is written as a tombstone. */
enum err documents_each(struct documents *d, const struct store_doc_query *q,
                        documents_fn fn, void *ud,
                        struct buf *err) WARN_UNUSED;

/* documents_each at one state of the data, for the command line's export:
 * the typical curves are built and the documents walked inside one read
 * (store_read_begin), so that an import committing meanwhile is wholly
 * out of this walk (curves and documents) and in the next --since, never
 * written against the curves of the state before it (vs_typical null).
 * opened (may be NULL) is called with ud once the curves are built and
 * before the walk: a test's way to commit an import right there. A
 * backend without store_read_begin answers its ERR_UNSUPPORTED. */
enum err documents_export(struct store *st, const struct store_doc_query *q,
                          documents_fn fn, void (*opened)(void *ud),
                          void *ud, struct buf *err) WARN_UNUSED;

/* The one live document called id (documents_id's form), as
 * documents_each writes it: fn is called once. ERR_PARSE for an id
 * documents_id does not write, ERR_NOTFOUND when there is no such
 * document (removed, or never there); err says which. */
enum err documents_get(struct documents *d, const char *id, documents_fn fn,
                       void *ud, struct buf *err) WARN_UNUSED;

/* One content item's figures, as its document carries them. */
struct documents_figures {
    bool has_views, has_engagement;
    int64_t views;          /* latest views */
    double engagement;      /* (likes+comments+shares+saves) / views */
    bool has_at[3];         /* views at 1, 7 and 28 days */
    int64_t at[3];
    bool has_peak;
    int32_t peak_day;       /* rollup day of the largest views gain */
    int64_t peak_gain;
    bool has_typical;       /* typical_of (analytics/typical.h) */
    struct report_typical typical;
    int64_t published_at;   /* TIME_NONE */
};

/* Fill *f for content item it (as store_item_by_id loads it: latest
 * values). t: the typical curves. */
enum err documents_figures(struct store *st, const struct typical *t,
                           const struct item *it,
                           struct documents_figures *f) WARN_UNUSED;

/* The summary sentence of an item with figures f, in zone z (weekday and
 * time of publication): "Published Thu 17:00 UTC; 18,409 views in 28
 * days; 2.3x the typical at 30 days; peak day +9,266 on 2026-11-03;
 * engagement 6.1%". Parts whose figure is unknown are left out. b is
 * reset first. */
void documents_summary(struct buf *b, const struct tz *z,
                       const struct documents_figures *f);

#endif
