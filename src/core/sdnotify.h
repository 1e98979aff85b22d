/* Tell systemd about the service's state (sd_notify(3), Type=notify).
 *
 * A thin wrapper over libsystemd's sd_notify: every call is a no-op when
 * $NOTIFY_SOCKET is unset (not started by systemd, or Type= is not
 * notify), so commands call it unconditionally. Failures to reach the
 * socket are logged at debug level and otherwise ignored: the service
 * works the same, systemd just hears nothing. */
#ifndef MEDIADASH_SDNOTIFY_H
#define MEDIADASH_SDNOTIFY_H

/* READY=1 with STATUS=status (borrowed; NULL for none): call once the
 * service accepts requests (serve: after it listens). */
void sdnotify_ready(const char *status);

/* STOPPING=1: call when shutdown begins (after SIGTERM/SIGINT). */
void sdnotify_stopping(void);

#endif
