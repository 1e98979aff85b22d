/* The one table of platforms (platform.h), built from the one list
 * (platforms/list.h): line PLATFORM_ITEM(ID, name, ...) registers the
 * descriptor <name>_platform as PLATFORM_<ID>. Adding a platform: its
 * folder and one line in list.h (docs/platforms.md). */
#include "platforms/platform.h"

#define PLATFORM_ITEM(id, name, short_name, prefix)                        \
    extern const struct platform_desc name##_platform;
#include "platforms/list.h"
#undef PLATFORM_ITEM

static const struct platform_desc *const registry[PLATFORM_COUNT] = {
#define PLATFORM_ITEM(id, name, short_name, prefix)                        \
    [PLATFORM_##id] = &name##_platform,
#include "platforms/list.h"
#undef PLATFORM_ITEM
};

const struct platform_desc *platform_get(enum platform p)
{
    return (unsigned)p < PLATFORM_COUNT ? registry[p] : NULL;
}

const struct platform_desc *platform_find(const char *name)
{
    enum platform p;

    if (name == NULL || platform_from_name(name, &p) != ERR_OK)
        return NULL;
    return platform_get(p);
}

const struct platform_oauth *platform_oauth_of(enum platform p)
{
    const struct platform_desc *d = platform_get(p);

    return d != NULL ? d->oauth : NULL;
}

bool platform_is_social(enum platform p)
{
    const struct platform_desc *d = platform_get(p);

    return d != NULL && d->kind == PLATFORM_SOCIAL;
}

enum err platform_names_join(struct buf *out, bool social_only,
                             const char *sep, const char *last)
{
    int pick[PLATFORM_COUNT];
    int n = 0;
    enum err rc = ERR_OK;

    for (int p = 0; p < PLATFORM_COUNT; p++)
        if (!social_only || platform_is_social((enum platform)p))
            pick[n++] = p;
    for (int i = 0; i < n && rc == ERR_OK; i++) {
        if (i > 0)
            rc = buf_puts(out, i == n - 1 ? last : sep);
        if (rc == ERR_OK)
            rc = buf_puts(out, platform_name((enum platform)pick[i]));
    }
    return rc;
}

const struct platform_desc *platform_health_source(void)
{
    for (int p = 0; p < PLATFORM_COUNT; p++)
        if (registry[p] != NULL && registry[p]->health != NULL)
            return registry[p];
    return NULL;
}

const struct platform_desc *platform_health_claimant(const char *data,
                                                     size_t len)
{
    for (int p = 0; p < PLATFORM_COUNT; p++) {
        const struct platform_health *h =
            registry[p] != NULL ? registry[p]->health : NULL;
        if (h != NULL && h->claims(data != NULL ? data : "", len))
            return registry[p];
    }
    return NULL;
}
