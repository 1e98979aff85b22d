/* sd_notify(3) for Type=notify units; see sdnotify.h. */
#define LOG_MODULE "sdnotify"
#include <stdlib.h>
#include <string.h>

#include <systemd/sd-daemon.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/sdnotify.h"

/* Send one notification; silent without $NOTIFY_SOCKET. */
static void send_state(const char *state)
{
    const char *sock = getenv("NOTIFY_SOCKET");
    int r;

    if (sock == NULL || *sock == '\0')
        return;
    r = sd_notify(0, state);
    if (r < 0)
        LOG_DEBUG("sd_notify failed: %s", strerror(-r));
}

void sdnotify_ready(const char *status)
{
    struct buf msg;

    buf_init(&msg, 512);
    if (status != NULL &&
        buf_printf(&msg, "READY=1\nSTATUS=%s", status) == ERR_OK)
        send_state(buf_cstr(&msg));
    else
        send_state("READY=1");
    buf_free(&msg);
}

void sdnotify_stopping(void)
{
    send_state("STOPPING=1\nSTATUS=stopping");
}
