/* Sending one mail over SMTP with libcurl (src/net owns libcurl).
 *
 * smtp:// connects in plain text and upgrades with STARTTLS as asked
 * (required, when offered, or never); smtps:// is TLS from the start.
 * The server's certificate and name are always checked (against cafile
 * when set). Every send has a connect and a total timeout; the message
 * is sent as given (libcurl escapes lines starting with a dot). Errors
 * name the server without user info, never the password. */
#ifndef MEDIADASH_SMTP_H
#define MEDIADASH_SMTP_H

#include <stddef.h>

#include "core/buf.h"
#include "core/err.h"

#define SMTP_MAX_RCPT 16
#define SMTP_MAX_MESSAGE ((size_t)1 << 20)

enum smtp_tls { SMTP_TLS_NEVER, SMTP_TLS_TRY, SMTP_TLS_REQUIRED };

struct smtp_config {
    const char *url;      /* borrowed; smtp://host[:port] or smtps:// */
    const char *user;     /* borrowed; NULL: no AUTH */
    const char *password; /* borrowed; with user */
    const char *cafile;   /* borrowed; NULL: the system's CAs */
    enum smtp_tls starttls; /* smtp:// only */
    long timeout_ms;      /* whole send; connect gets the lesser of it
                             and 10 s */
};

/* Send message (headers and body, CRLF lines, at most SMTP_MAX_MESSAGE
 * bytes) from `from` to rcpt[0..nrcpt) (1..SMTP_MAX_RCPT addresses; no
 * CR, LF, '<' or '>' in any). *reply gets the server's last reply code
 * (0 when none came). ERR_OK: accepted; ERR_UPSTREAM: the server refused
 * (reply >= 400); ERR_IO: no usable conversation (refused, timeout, TLS);
 * ERR_INVALID: bad arguments. err gets one line. */
enum err smtp_send(const struct smtp_config *cfg, const char *from,
                   const char *const *rcpt, size_t nrcpt,
                   const char *message, size_t len, long *reply,
                   struct buf *err) WARN_UNUSED;

#endif
