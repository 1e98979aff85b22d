/* The import list and audit as JSON: what `mediadash imports --json`
 * prints and GET /api/v1/imports returns, written in one place so both
 * say the same. */
#ifndef MEDIADASH_IMPORTS_H
#define MEDIADASH_IMPORTS_H

#include "core/err.h"
#include "core/jsonw.h"
#include "store/store.h"

/* Write {"imports": [...], "audit": [...]} to w: every import newest
 * first (id, file, sha256, imported_at, format, items, snapshots, values)
 * and every audit line newest first (at, who, action, what). */
enum err imports_json(struct store *st, struct jw *w) WARN_UNUSED;

#endif
