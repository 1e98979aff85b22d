/* JSON forms of the model, shared by the CLI and the HTTP API. */
#ifndef MEDIADASH_MODEL_JSON_H
#define MEDIADASH_MODEL_JSON_H

#include "jsonw.h"
#include "model.h"

/* The item's descriptive fields as members of the open object. */
void item_json_fields(struct jw *w, const struct item *it);
/* {"views": 1, "yt.ctr": 0.25, ...} */
void metrics_json(struct jw *w, const struct metrics *m);
/* An item listing entry: fields, observed_at and metrics of its latest
 * snapshot (it->snaps[nsnaps-1]), as one object. */
void item_json_latest(struct jw *w, const struct item *it);
/* "snapshots": [{"observed_at", "metrics"}, ...], every snapshot of it in
 * order, as a member of the object being written. */
void item_json_snapshots(struct jw *w, const struct item *it);
/* An item with description and every snapshot, as one object. */
void item_json_history(struct jw *w, const struct item *it);

#endif
