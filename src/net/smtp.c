/* One mail over SMTP with libcurl (smtp.h). A fresh easy handle per send:
 * notifications are rare, and a handle that talked to the mail server
 * keeps nothing another send could trip over. */
#include "net/smtp.h"

#include <curl/curl.h>
#include <string.h>

#include "core/str.h"
#include "net/net.h"

struct reader {
    const char *p;
    size_t left;
};

static size_t on_read(char *out, size_t size, size_t nmemb, void *ud)
{
    struct reader *r = ud;
    size_t n = size * nmemb;

    if (n > r->left)
        n = r->left;
    memcpy(out, r->p, n);
    r->p += n;
    r->left -= n;
    return n;
}

/* An address fit for MAIL FROM / RCPT TO: no CR, LF, '<', '>', not
 * empty, at most 254 bytes (RFC 5321). */
static bool address_ok(const char *a)
{
    size_t n = a ? strlen(a) : 0;
    return n > 0 && n <= 254 && strpbrk(a, "\r\n<>") == NULL;
}

static enum err check_args(const struct smtp_config *cfg, const char *from,
                           const char *const *rcpt, size_t nrcpt,
                           size_t len, struct buf *err)
{
    if (cfg->url == NULL || (strncmp(cfg->url, "smtp://", 7) != 0 &&
                             strncmp(cfg->url, "smtps://", 8) != 0)) {
        buf_setf(err, "notify.smtp_url: expected smtp:// or smtps://");
        return ERR_INVALID;
    }
    if (!address_ok(from)) {
        buf_setf(err, "notify.smtp_from: not a mail address");
        return ERR_INVALID;
    }
    if (nrcpt == 0 || nrcpt > SMTP_MAX_RCPT) {
        buf_setf(err, "notify.smtp_to: 1 to %d addresses", SMTP_MAX_RCPT);
        return ERR_INVALID;
    }
    for (size_t i = 0; i < nrcpt; i++) {
        if (!address_ok(rcpt[i])) {
            buf_setf(err, "notify.smtp_to: \"%s\" is not a mail address",
                     rcpt[i]);
            return ERR_INVALID;
        }
    }
    if (len > SMTP_MAX_MESSAGE) {
        buf_setf(err, "mail of %zu bytes (at most %zu)", len,
                 SMTP_MAX_MESSAGE);
        return ERR_TOOBIG;
    }
    return ERR_OK;
}

static void set_options(CURL *h, const struct smtp_config *cfg,
                        struct buf *from, struct curl_slist *to,
                        struct reader *rd, char *ebuf)
{
    long connect_ms = cfg->timeout_ms < 10000 ? cfg->timeout_ms : 10000;

    curl_easy_setopt(h, CURLOPT_URL, cfg->url);
#if LIBCURL_VERSION_NUM >= 0x075500
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
#else
    curl_easy_setopt(h, CURLOPT_PROTOCOLS, CURLPROTO_SMTP | CURLPROTO_SMTPS);
#endif
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, cfg->timeout_ms);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, ebuf);
    curl_easy_setopt(h, CURLOPT_MAIL_FROM, buf_cstr(from));
    curl_easy_setopt(h, CURLOPT_MAIL_RCPT, to);
    curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
    curl_easy_setopt(h, CURLOPT_READDATA, rd);
    curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)rd->left);
    if (strncmp(cfg->url, "smtp://", 7) == 0)
        curl_easy_setopt(h, CURLOPT_USE_SSL,
                         cfg->starttls == SMTP_TLS_REQUIRED ? CURLUSESSL_ALL
                         : cfg->starttls == SMTP_TLS_TRY    ? CURLUSESSL_TRY
                                                            : CURLUSESSL_NONE);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (cfg->cafile != NULL)
        curl_easy_setopt(h, CURLOPT_CAINFO, cfg->cafile);
    if (cfg->user != NULL) {
        curl_easy_setopt(h, CURLOPT_USERNAME, cfg->user);
        curl_easy_setopt(h, CURLOPT_PASSWORD,
                         cfg->password ? cfg->password : "");
    }
}

/* The outcome of a transfer: code, reply and a line in err. */
static enum err outcome(CURL *h, CURLcode cc, const char *url,
                        const char *ebuf, long *reply, struct buf *err)
{
    struct buf where;
    long code = 0;

    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
    *reply = code;
    if (cc == CURLE_OK)
        return ERR_OK;
    buf_init(&where, 1024);
    if (net_url_redact(url, &where) != ERR_OK)
        buf_setf(&where, "the mail server");
    buf_setf(err, "%s: %s%s%s (reply %ld)", buf_cstr(&where),
             curl_easy_strerror(cc), ebuf[0] ? ": " : "", ebuf, code);
    buf_free(&where);
    return code >= 400 ? ERR_UPSTREAM : ERR_IO;
}

enum err smtp_send(const struct smtp_config *cfg, const char *from,
                   const char *const *rcpt, size_t nrcpt,
                   const char *message, size_t len, long *reply,
                   struct buf *err)
{
    char ebuf[CURL_ERROR_SIZE] = "";
    struct reader rd = {message, len};
    struct curl_slist *to = NULL, *t;
    struct buf fromb;
    enum err rc;
    CURL *h = NULL;

    *reply = 0;
    rc = check_args(cfg, from, rcpt, nrcpt, len, err);
    if (rc != ERR_OK)
        return rc;
    buf_init(&fromb, 512);
    rc = buf_printf(&fromb, "<%s>", from);
    for (size_t i = 0; rc == ERR_OK && i < nrcpt; i++) {
        t = curl_slist_append(to, rcpt[i]);
        if (t == NULL)
            rc = ERR_IO;
        else
            to = t;
    }
    h = rc == ERR_OK ? curl_easy_init() : NULL;
    if (h == NULL) {
        buf_setf(err, "could not make a mail request");
        rc = ERR_IO;
        goto out;
    }
    set_options(h, cfg, &fromb, to, &rd, ebuf);
    rc = outcome(h, curl_easy_perform(h), cfg->url, ebuf, reply, err);
out:
    curl_easy_cleanup(h);
    curl_slist_free_all(to);
    buf_free(&fromb);
    return rc;
}
