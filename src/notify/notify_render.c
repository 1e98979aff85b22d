/* What a notification says: the summary line, the webhook's JSON, the
 * mail, the signature (notify.h). Pure functions of the event. */
#include <sodium.h>
#include <string.h>

#include "core/jsonw.h"
#include "core/str.h"
#include "core/timeutil.h"
#include "notify/notify.h"

#define MAIL_LINE_MAX 900 /* bytes per body line (RFC 5322: 998) */

static const char *or_dash(const char *s)
{
    return s != NULL && s[0] != '\0' ? s : "-";
}

/* The phrase of each kind; {T} is the title, {W} "platform account". */
static const struct {
    const char *kind, *text;
} phrases[] = {
    {"post.published", "Published: {T} ({W})"},
    {"post.failed", "Post failed: {T} ({W})"},
    {"post.missed", "Post missed (not sent): {T} ({W})"},
    {"post.needs_relogin", "Post waits for a new login: {T} ({W})"},
    {"account.relogin", "Account needs a new login: {W}"},
    {"content.spike", "Spike on {T} ({W})"},
    {"collector.failing", "Collection failing for a day: {W}"},
};

enum err notify_summary(const struct notify_event *ev, struct buf *out)
{
    const char *text = "{T} ({W})";
    enum err rc = ERR_OK;

    for (size_t i = 0; i < sizeof phrases / sizeof *phrases; i++)
        if (str_eq(ev->kind, phrases[i].kind))
            text = phrases[i].text;
    if (ev->test)
        rc = buf_append(out, "[test] ", 7);
    for (const char *p = text; rc == ERR_OK && *p; p++) {
        if (strncmp(p, "{T}", 3) == 0) {
            rc = buf_printf(out, "%s", ev->title && ev->title[0]
                                           ? ev->title
                                           : ev->item ? ev->item : "(untitled)");
            p += 2;
        } else if (strncmp(p, "{W}", 3) == 0) {
            rc = buf_printf(out, "%s %s", or_dash(ev->platform),
                            or_dash(ev->account));
            p += 2;
        } else {
            rc = buf_putc(out, *p);
        }
    }
    return rc;
}

enum err notify_render_json(const struct notify_event *ev, struct buf *out)
{
    struct buf sum;
    struct jw w;
    enum err rc;

    buf_init(&sum, 8192);
    rc = notify_summary(ev, &sum);
    if (rc != ERR_OK)
        goto out;
    jw_init(&w, out);
    jw_object_begin(&w);
    jw_kv_i64(&w, "id", ev->id);
    jw_kv_str(&w, "kind", ev->kind);
    jw_kv_bool(&w, "test", ev->test);
    jw_kv_time(&w, "created_at", ev->created_at);
    jw_kv_str(&w, "summary", buf_cstr(&sum));
    jw_key(&w, "post_id");
    if (ev->post_id > 0)
        jw_i64(&w, ev->post_id);
    else
        jw_null(&w);
    jw_kv_str(&w, "platform", ev->platform);
    jw_kv_str(&w, "account", ev->account);
    jw_kv_str(&w, "item", ev->item);
    jw_kv_str(&w, "title", ev->title);
    jw_kv_str(&w, "detail", ev->detail);
    jw_object_end(&w);
    rc = jw_status(&w);
out:
    buf_free(&sum);
    return rc;
}

/* ---- mail --------------------------------------------------------------- */

static bool is_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return false;
    return true;
}

/* The subject header's value: line breaks and other controls become
 * spaces; non-ASCII text is one RFC 2047 base64 word per <= 45 bytes
 * (cut only between UTF-8 characters). */
static enum err subject(const char *s, struct buf *out)
{
    char clean[512], b64[128];
    size_t n = 0, len;
    enum err rc = ERR_OK;

    for (; *s && n + 1 < sizeof clean; s++)
        clean[n++] = (unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s;
    len = str_utf8_valid_len(clean, n); /* drops a cut last character */
    clean[len] = '\0';
    if (is_ascii(clean))
        return buf_printf(out, "Subject: %s\r\n", clean);
    rc = buf_append(out, "Subject:", 8);
    for (size_t i = 0; rc == ERR_OK && i < len;) {
        size_t k = len - i < 45 ? len - i : 45;
        while (k > 1 && i + k < len &&
               ((unsigned char)clean[i + k] & 0xC0) == 0x80)
            k--; /* never split a character */
        sodium_bin2base64(b64, sizeof b64, (const unsigned char *)clean + i,
                          k, sodium_base64_VARIANT_ORIGINAL);
        rc = buf_printf(out, "%s=?UTF-8?B?%s?=", i ? "\r\n " : " ", b64);
        i += k;
    }
    return rc == ERR_OK ? buf_append(out, "\r\n", 2) : rc;
}

/* RFC 5322 date: "Sun, 06 Dec 2026 07:18:03 +0000". */
static enum err mail_date(int64_t t, struct buf *out)
{
    static const char *const wd[] = {"Thu", "Fri", "Sat", "Sun",
                                     "Mon", "Tue", "Wed"};
    static const char *const mon[] = {"Jan", "Feb", "Mar", "Apr",
                                      "May", "Jun", "Jul", "Aug",
                                      "Sep", "Oct", "Nov", "Dec"};
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    int64_t sec = t - days * 86400, y;
    unsigned m, d;

    time_civil_from_days(days, &y, &m, &d);
    return buf_printf(out, "Date: %s, %02u %s %04lld %02lld:%02lld:%02lld "
                      "+0000\r\n", wd[((days % 7) + 7) % 7], d, mon[m - 1],
                      (long long)y, (long long)(sec / 3600),
                      (long long)(sec / 60 % 60), (long long)(sec % 60));
}

/* Body text: LF and CRLF become CRLF, lone CR and NUL are dropped, lines
 * are cut at MAIL_LINE_MAX bytes. */
static enum err body_text(const char *s, struct buf *out)
{
    size_t col = 0;
    enum err rc = ERR_OK;

    for (; s && *s && rc == ERR_OK; s++) {
        if (*s == '\r')
            continue;
        if (*s == '\n' || col >= MAIL_LINE_MAX) {
            rc = buf_append(out, "\r\n", 2);
            col = 0;
            if (*s == '\n')
                continue;
        }
        if (rc == ERR_OK)
            rc = buf_putc(out, *s);
        col++;
    }
    return rc;
}

static enum err body_field(const char *name, const char *v, struct buf *out)
{
    enum err rc;

    if (v == NULL || v[0] == '\0')
        return ERR_OK;
    rc = buf_printf(out, "%s: ", name);
    if (rc == ERR_OK)
        rc = body_text(v, out);
    return rc == ERR_OK ? buf_append(out, "\r\n", 2) : rc;
}

static enum err mail_body(const struct notify_event *ev, const char *sum,
                          struct buf *out)
{
    struct buf t;
    enum err rc;

    buf_init(&t, 64);
    rc = body_text(sum, out);
    if (rc == ERR_OK)
        rc = buf_append(out, "\r\n\r\n", 4);
    if (rc == ERR_OK)
        rc = body_field("Event", ev->kind, out);
    if (rc == ERR_OK)
        rc = body_field("Platform", ev->platform, out);
    if (rc == ERR_OK)
        rc = body_field("Account", ev->account, out);
    if (rc == ERR_OK && ev->post_id > 0)
        rc = buf_printf(out, "Post: %lld\r\n", (long long)ev->post_id);
    if (rc == ERR_OK)
        rc = body_field("Item", ev->item, out);
    if (rc == ERR_OK)
        rc = body_field("Title", ev->title, out);
    if (rc == ERR_OK)
        rc = body_field("Detail", ev->detail, out);
    if (rc == ERR_OK)
        rc = time_format_iso8601(ev->created_at, &t);
    if (rc == ERR_OK)
        rc = body_field("When", buf_cstr(&t), out);
    buf_free(&t);
    return rc;
}

enum err notify_render_mail(const struct notify_event *ev, const char *from,
                            const char *to, int64_t now, struct buf *out)
{
    struct buf sum;
    enum err rc;

    buf_init(&sum, 8192);
    rc = buf_append(&sum, "[mediadash] ", 12);
    if (rc == ERR_OK)
        rc = notify_summary(ev, &sum);
    if (rc == ERR_OK)
        rc = mail_date(now, out);
    if (rc == ERR_OK)
        rc = buf_printf(out, "From: mediadash <%s>\r\nTo: %s\r\n", from, to);
    if (rc == ERR_OK)
        rc = subject(buf_cstr(&sum), out);
    if (rc == ERR_OK)
        rc = buf_printf(out,
                        "Message-ID: <mediadash-%lld-%lld@mediadash>\r\n"
                        "MIME-Version: 1.0\r\n"
                        "Content-Type: text/plain; charset=utf-8\r\n"
                        "Content-Transfer-Encoding: 8bit\r\n"
                        "X-Mediadash-Event: %s\r\n\r\n",
                        (long long)ev->id, (long long)now, ev->kind);
    if (rc == ERR_OK)
        rc = mail_body(ev, buf_cstr(&sum) + 12, out);
    buf_free(&sum);
    return rc;
}

enum err notify_sign(const char *secret, const char *body, size_t len,
                     struct buf *out)
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    char hex[2 * crypto_auth_hmacsha256_BYTES + 1];
    crypto_auth_hmacsha256_state stt;
    const char *k = secret ? secret : "";

    crypto_auth_hmacsha256_init(&stt, (const unsigned char *)k, strlen(k));
    crypto_auth_hmacsha256_update(&stt, (const unsigned char *)body, len);
    crypto_auth_hmacsha256_final(&stt, mac);
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    sodium_memzero(&stt, sizeof stt);
    buf_reset(out);
    return buf_printf(out, "sha256=%s", hex);
}
