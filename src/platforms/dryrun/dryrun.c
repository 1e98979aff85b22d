/* The dryrun publisher (dryrun.h). */
#include "platforms/dryrun/dryrun.h"

static enum err dryrun_publish(void *ctx, const struct post *p,
                               struct publish_result *res)
{
    (void)ctx;
    res->http_status = 200;
    return buf_printf(&res->remote_id, "dryrun-%lld", (long long)p->id);
}

const struct publisher_ops dryrun_publish_ops = {
    .platform = "dryrun",
    .publish = dryrun_publish,
    .check = NULL,
};
