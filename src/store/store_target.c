/* The functions that take a target (a path; later a URI) instead of a
 * handle: each picks the target's backend and dispatches to it
 * (store_impl.h, struct store_backend). No backend code here. */
#include "core/alloc.h"
#include "store/store_impl.h"

/* Every backend but the fallback, then the fallback (claims NULL). */
static const struct store_backend *const backends[] = {
    &store_pg_backend,
    &store_sqlite_backend,
};

/* A target function the backend does not have (yet). */
static enum err no_target_fn(const struct store_backend *b, const char *fn,
                             struct buf *err)
{
    if (err != NULL)
        buf_setf(err, "%s is not available on %s yet", fn, b->name);
    return ERR_UNSUPPORTED;
}
#define TARGET_NEED(b, member, err)                                           \
    do {                                                                      \
        if ((b)->member == NULL)                                              \
            return no_target_fn((b), __func__, (err));                        \
    } while (0)

const struct store_backend *store_backend_for(const char *target)
{
    size_t n = sizeof backends / sizeof backends[0];
    for (size_t i = 0; i < n; i++)
        if (backends[i]->claims != NULL && backends[i]->claims(target))
            return backends[i];
    return backends[n - 1];
}

bool store_target_is_file(const char *target)
{
    return target != NULL && *target != '\0' &&
           store_backend_for(target)->claims == NULL;
}

char *store_target_display(const char *target)
{
    const struct store_backend *b = store_backend_for(target);

    return b->display != NULL ? b->display(target) : xstrdup(target);
}

int store_schema_latest_of(const char *target)
{
    const struct store_backend *b = store_backend_for(target);

    return b->schema_latest != NULL ? b->schema_latest()
                                    : store_schema_latest();
}

enum err store_open(const char *target, struct store **out, struct buf *err)
{
    *out = NULL;
    if (target == NULL || *target == '\0') {
        buf_setf(err, "no database given");
        return ERR_INVALID;
    }
    return store_backend_for(target)->open(target, out, err);
}

enum err store_schema_peek(const char *path, int *out, struct buf *err)
{
    const struct store_backend *b = store_backend_for(path);

    TARGET_NEED(b, schema_peek, err);
    return b->schema_peek(path, out, err);
}

enum err store_share_group(const char *target, const char *group,
                           struct buf *err)
{
    const struct store_backend *b = store_backend_for(target);

    TARGET_NEED(b, share_group, err);
    return b->share_group(target, group, err);
}

enum err store_backup_copy(const char *src, const char *dest,
                           store_progress_fn fn, void *ud,
                           struct store_counts *src_counts, struct buf *err)
{
    const struct store_backend *b = store_backend_for(src);

    TARGET_NEED(b, backup_copy, err);
    return b->backup_copy(src, dest, fn, ud, src_counts, err);
}

enum err store_verify(const char *path, bool quick, struct store_counts *out,
                      struct buf *err)
{
    const struct store_backend *b = store_backend_for(path);

    TARGET_NEED(b, verify, err);
    return b->verify(path, quick, out, err);
}

enum err store_in_use(const char *path, bool *out, long *pid, struct buf *err)
{
    const struct store_backend *b = store_backend_for(path);

    TARGET_NEED(b, in_use, err);
    return b->in_use(path, out, pid, err);
}

enum err store_facts_read(const char *path, int64_t due_before,
                          struct store_facts *out, struct buf *err)
{
    const struct store_backend *b = store_backend_for(path);

    TARGET_NEED(b, facts_read, err);
    return b->facts_read(path, due_before, out, err);
}
