/* IANA time zones from compiled TZif files (RFC 8536) and their POSIX TZ
 * footer. No libc local-time function is used: they all depend on the
 * process's TZ variable. */
#include "tz.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alloc.h"
#include "timeutil.h"

#define DAY 86400
#define TZ_MAX_OFF (26 * 3600)    /* largest |UT offset| accepted */
#define TZ_YEAR_LIM 100000000     /* tz_from_civil: |year| at most this */
#define PERIOD_400Y 12622780800LL /* 146097 days: rules repeat exactly */
#define HDR_LEN 44
#define DEFAULT_TZDIR "/usr/share/zoneinfo"

struct tz_type {
    int32_t off; /* seconds east of UTC */
    bool dst;
};

enum rule_kind { RULE_JULIAN1, RULE_ZERO, RULE_MONTH };

/* One date of a POSIX TZ rule: Jn, n or Mm.w.d, then a local time. */
struct rule_date {
    enum rule_kind kind;
    int n;        /* Jn: 1-365, n: 0-365 */
    int m, w, d;  /* Mm.w.d */
    int32_t time; /* seconds after local midnight, -167h to 167h */
};

struct posix_tz {
    struct tz_type std, dst;
    bool has_dst;
    struct rule_date start, end; /* start: std -> dst; end: dst -> std */
};

struct tz {
    char *name;
    size_t ntrans;
    int64_t *trans; /* strictly ascending */
    uint8_t *idx;   /* type of each transition, < ntypes */
    size_t ntypes;
    struct tz_type *types;
    bool has_footer;
    struct posix_tz rule;
    size_t noffs;
    int32_t *offs; /* every distinct offset the zone can be in */
};

/* ---- the POSIX TZ string (the footer) ---------------------------------- */

struct cur {
    const char *p, *end;
};

static int peek(const struct cur *c)
{
    return c->p < c->end ? (unsigned char)*c->p : -1;
}

static bool eat(struct cur *c, int ch)
{
    if (peek(c) != ch)
        return false;
    c->p++;
    return true;
}

static bool is_alpha(int ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
}

static bool is_digit(int ch)
{
    return ch >= '0' && ch <= '9';
}

/* A zone abbreviation: three or more letters, or <...> of letters, digits,
 * '+' and '-'. */
static bool parse_abbr(struct cur *c)
{
    const char *from;

    if (eat(c, '<')) {
        from = c->p;
        while (is_alpha(peek(c)) || is_digit(peek(c)) || peek(c) == '+' ||
               peek(c) == '-')
            c->p++;
        return c->p - from >= 3 && eat(c, '>');
    }
    from = c->p;
    while (is_alpha(peek(c)))
        c->p++;
    return c->p - from >= 3;
}

/* One to three decimal digits with a value in [0, hi]. */
static bool parse_num(struct cur *c, int hi, int *out)
{
    int v = 0, n = 0;

    while (is_digit(peek(c)) && n < 3) {
        v = v * 10 + (peek(c) - '0');
        c->p++;
        n++;
    }
    *out = v;
    return n > 0 && v <= hi && !is_digit(peek(c));
}

/* [+-]hh[:mm[:ss]] with hh at most hmax, in seconds. */
static bool parse_hms(struct cur *c, int hmax, int32_t *out)
{
    int sign = 1, h, m = 0, s = 0;

    if (eat(c, '-'))
        sign = -1;
    else
        (void)eat(c, '+');
    if (!parse_num(c, hmax, &h))
        return false;
    if (eat(c, ':')) {
        if (!parse_num(c, 59, &m))
            return false;
        if (eat(c, ':') && !parse_num(c, 59, &s))
            return false;
    }
    *out = sign * (h * 3600 + m * 60 + s);
    return true;
}

/* Jn, n or Mm.w.d, then an optional /time (default 02:00). */
static bool parse_date(struct cur *c, struct rule_date *r)
{
    memset(r, 0, sizeof *r);
    r->time = 2 * 3600;
    if (eat(c, 'J')) {
        r->kind = RULE_JULIAN1;
        if (!parse_num(c, 365, &r->n) || r->n < 1)
            return false;
    } else if (eat(c, 'M')) {
        r->kind = RULE_MONTH;
        if (!parse_num(c, 12, &r->m) || r->m < 1 || !eat(c, '.') ||
            !parse_num(c, 5, &r->w) || r->w < 1 || !eat(c, '.') ||
            !parse_num(c, 6, &r->d))
            return false;
    } else {
        r->kind = RULE_ZERO;
        if (!parse_num(c, 365, &r->n))
            return false;
    }
    if (eat(c, '/'))
        return parse_hms(c, 167, &r->time); /* RFC 8536 section 3.3.1 */
    return true;
}

/* A UT offset in POSIX form (west positive), returned east positive. */
static bool parse_offset(struct cur *c, int32_t *east)
{
    int32_t west;

    if (!parse_hms(c, 24, &west))
        return false;
    *east = -west;
    return true;
}

/* std offset [dst [offset] [,start[/time],end[/time]]]; DST without rules
 * follows the US rules, as tzcode does. */
static bool parse_posix(const char *s, size_t n, struct posix_tz *out)
{
    struct cur c = {s, s + n};

    memset(out, 0, sizeof *out);
    if (!parse_abbr(&c) || !parse_offset(&c, &out->std.off))
        return false;
    if (c.p == c.end)
        return true;
    if (!parse_abbr(&c))
        return false;
    out->has_dst = true;
    out->dst.dst = true;
    out->dst.off = out->std.off + 3600;
    if (peek(&c) != ',' && c.p != c.end && !parse_offset(&c, &out->dst.off))
        return false;
    if (c.p == c.end) {
        struct cur us = {"M3.2.0,M11.1.0", NULL};
        us.end = us.p + strlen(us.p);
        return parse_date(&us, &out->start) && eat(&us, ',') &&
               parse_date(&us, &out->end);
    }
    return eat(&c, ',') && parse_date(&c, &out->start) && eat(&c, ',') &&
           parse_date(&c, &out->end) && c.p == c.end &&
           out->dst.off >= -TZ_MAX_OFF && out->dst.off <= TZ_MAX_OFF;
}

static bool is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days since the epoch of the local date rule r names in year y. */
static int64_t rule_day(const struct rule_date *r, int64_t y)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int64_t first, day;
    int wday, len;

    if (r->kind == RULE_JULIAN1)
        return time_days_from_civil(y, 1, 1) + r->n - 1 +
               (is_leap(y) && r->n >= 60);
    if (r->kind == RULE_ZERO)
        return time_days_from_civil(y, 1, 1) + r->n;
    first = time_days_from_civil(y, (unsigned)r->m, 1);
    wday = (int)(((first % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
    day = first + (r->d - wday + 7) % 7 + (int64_t)(r->w - 1) * 7;
    len = mdays[r->m - 1] + (r->m == 2 && is_leap(y));
    while (day - first >= len)
        day -= 7;
    return day;
}

/* The type the footer rule gives at instant utc. */
static struct tz_type footer_type(const struct posix_tz *r, int64_t utc)
{
    int64_t t, y, best = 0, start, end;
    unsigned m, d;
    bool found = false, dst = false;

    if (!r->has_dst)
        return r->std;
    /* The Gregorian calendar, weekdays included, repeats every 400 years,
     * so the rule does too: work in [1970, 2370) and never overflow. */
    t = utc % PERIOD_400Y;
    if (t < 0)
        t += PERIOD_400Y;
    time_civil_from_days((t + r->std.off) / DAY, &y, &m, &d);
    for (int64_t yy = y - 2; yy <= y + 1; yy++) {
        start = rule_day(&r->start, yy) * DAY + r->start.time - r->std.off;
        end = rule_day(&r->end, yy) * DAY + r->end.time - r->dst.off;
        /* On a tie the start wins: "0/0,J365/25" is DST all year. */
        if (end <= t && (!found || end > best)) {
            best = end;
            dst = false;
            found = true;
        }
        if (start <= t && (!found || start >= best)) {
            best = start;
            dst = true;
            found = true;
        }
    }
    return dst ? r->dst : r->std;
}

/* ---- lookup ------------------------------------------------------------ */

static struct tz_type lookup(const struct tz *z, int64_t utc)
{
    size_t lo, hi, mid, last;

    if (z->ntrans == 0)
        return z->has_footer ? footer_type(&z->rule, utc) : z->types[0];
    if (utc < z->trans[0])
        return z->types[0]; /* RFC 8536: type 0 before the first */
    last = z->ntrans - 1;
    if (utc >= z->trans[last]) {
        if (z->has_footer && utc > z->trans[last])
            return footer_type(&z->rule, utc);
        return z->types[z->idx[last]];
    }
    lo = 0; /* trans[lo] <= utc < trans[hi] */
    hi = last;
    while (hi - lo > 1) {
        mid = lo + (hi - lo) / 2;
        if (z->trans[mid] <= utc)
            lo = mid;
        else
            hi = mid;
    }
    return z->types[z->idx[lo]];
}

int32_t tz_offset_at(const struct tz *z, int64_t utc)
{
    return lookup(z, utc).off;
}

const char *tz_name(const struct tz *z)
{
    return z->name;
}

void tz_destroy(struct tz *z)
{
    if (z == NULL)
        return;
    free(z->name);
    free(z->trans);
    free(z->idx);
    free(z->types);
    free(z->offs);
    free(z);
}

/* Collect the distinct offsets of the types and the footer. */
static void collect_offsets(struct tz *z)
{
    size_t cap = z->ntypes + 2;
    int32_t cand[2] = {z->rule.std.off, z->rule.dst.off};

    z->offs = xcalloc(cap, sizeof *z->offs);
    z->noffs = 0;
    for (size_t i = 0; i < cap; i++) {
        int32_t o;
        bool seen = false;
        if (i < z->ntypes)
            o = z->types[i].off;
        else if (z->has_footer && (i == z->ntypes || z->rule.has_dst))
            o = cand[i - z->ntypes];
        else
            continue;
        for (size_t k = 0; k < z->noffs && !seen; k++)
            seen = z->offs[k] == o;
        if (!seen)
            z->offs[z->noffs++] = o;
    }
}

struct tz *tz_utc(void)
{
    struct tz *z = xcalloc(1, sizeof *z);

    z->name = xstrdup("UTC");
    z->ntypes = 1;
    z->types = xcalloc(1, sizeof *z->types);
    collect_offsets(z);
    return z;
}

/* ---- TZif (RFC 8536) --------------------------------------------------- */

struct hdr {
    char version; /* 0, '2', '3' or '4' */
    uint32_t isut, isstd, leap, time, type, chr;
};

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           (uint32_t)p[3];
}

static int64_t be64(const unsigned char *p)
{
    uint64_t u = (uint64_t)be32(p) << 32 | be32(p + 4);
    return u <= INT64_MAX ? (int64_t)u : -(int64_t)(~u) - 1;
}

static int32_t sbe32(const unsigned char *p)
{
    uint32_t u = be32(p);
    return u <= INT32_MAX ? (int32_t)u : -(int32_t)(~u) - 1;
}

/* The header at p (len bytes available). */
static enum err parse_header(const unsigned char *p, size_t len, struct hdr *h,
                             struct buf *err)
{
    if (len < HDR_LEN || memcmp(p, "TZif", 4) != 0) {
        buf_setf(err, "not a TZif file (no TZif header)");
        return ERR_PARSE;
    }
    h->version = (char)p[4];
    if (h->version != 0 && (h->version < '2' || h->version > '4')) {
        buf_setf(err, "unknown TZif version byte 0x%02x", p[4]);
        return ERR_PARSE;
    }
    h->isut = be32(p + 20);
    h->isstd = be32(p + 24);
    h->leap = be32(p + 28);
    h->time = be32(p + 32);
    h->type = be32(p + 36);
    h->chr = be32(p + 40);
    if (h->type == 0 || h->type > 256 || h->chr == 0 ||
        (h->isut != 0 && h->isut != h->type) ||
        (h->isstd != 0 && h->isstd != h->type)) {
        buf_setf(err, "TZif header counts are inconsistent");
        return ERR_PARSE;
    }
    return ERR_OK;
}

/* Bytes of the data block after a header; counts are below 2^32, so the
 * sum cannot overflow 64 bits. */
static uint64_t block_len(const struct hdr *h, unsigned tsize)
{
    return (uint64_t)h->time * (tsize + 1) + (uint64_t)h->type * 6 + h->chr +
           (uint64_t)h->leap * (tsize + 4) + h->isstd + h->isut;
}

/* The local time types and the designation table. */
static enum err parse_types(struct tz *z, const unsigned char *p,
                            const struct hdr *h, struct buf *err)
{
    const unsigned char *chars = p + (size_t)h->type * 6;

    if (chars[h->chr - 1] != '\0') {
        buf_setf(err, "TZif designations are not NUL-terminated");
        return ERR_PARSE;
    }
    z->ntypes = h->type;
    z->types = xcalloc(z->ntypes, sizeof *z->types);
    for (size_t i = 0; i < z->ntypes; i++, p += 6) {
        int32_t off = sbe32(p);
        if (off < -TZ_MAX_OFF || off > TZ_MAX_OFF || p[4] > 1 ||
            p[5] >= h->chr) {
            buf_setf(err, "TZif time type %zu is invalid", i);
            return ERR_PARSE;
        }
        z->types[i].off = off;
        z->types[i].dst = p[4] == 1;
    }
    return ERR_OK;
}

/* One data block (tsize 4 for version 1, 8 after); its length has been
 * checked against the file. */
static enum err parse_block(struct tz *z, const unsigned char *p,
                            const struct hdr *h, unsigned tsize,
                            struct buf *err)
{
    const unsigned char *q;
    enum err rc;

    if (h->leap != 0) {
        buf_setf(err, "TZif with leap seconds (right/ zones) unsupported");
        return ERR_UNSUPPORTED;
    }
    z->ntrans = h->time;
    z->trans = xcalloc(z->ntrans + 1, sizeof *z->trans);
    z->idx = xcalloc(z->ntrans + 1, 1);
    for (size_t i = 0; i < z->ntrans; i++) {
        const unsigned char *t = p + i * tsize;
        z->trans[i] = tsize == 8 ? be64(t) : sbe32(t);
        z->idx[i] = p[(size_t)h->time * tsize + i];
        if ((i > 0 && z->trans[i] <= z->trans[i - 1]) || z->idx[i] >= h->type) {
            buf_setf(err,
                     "TZif transition %zu is out of order or has "
                     "a bad type",
                     i);
            return ERR_PARSE;
        }
    }
    q = p + (size_t)h->time * (tsize + 1);
    rc = parse_types(z, q, h, err);
    if (rc != ERR_OK)
        return rc;
    q += (size_t)h->type * 6 + h->chr;
    for (size_t i = 0; i < h->isstd + h->isut; i++) {
        if (q[i] > 1 || (i >= h->isstd && q[i] == 1 && h->isstd != 0 &&
                         q[i - h->isstd] != 1)) {
            buf_setf(err, "TZif standard/UT indicators are invalid");
            return ERR_PARSE;
        }
    }
    return ERR_OK;
}

/* The footer: "\n" POSIX-TZ "\n", last thing in the file. */
static enum err parse_footer(struct tz *z, const unsigned char *p, size_t n,
                             struct buf *err)
{
    const unsigned char *nl;

    if (n < 2 || p[0] != '\n') {
        buf_setf(err, "TZif footer is missing");
        return ERR_PARSE;
    }
    nl = memchr(p + 1, '\n', n - 1);
    if (nl == NULL || (size_t)(nl - p) != n - 1) {
        buf_setf(err, "TZif footer is unterminated or followed by data");
        return ERR_PARSE;
    }
    if (n == 2)
        return ERR_OK; /* empty: the last type continues */
    if (!parse_posix((const char *)p + 1, n - 2, &z->rule)) {
        buf_setf(err, "TZif footer is not a valid POSIX TZ string");
        return ERR_PARSE;
    }
    z->has_footer = true;
    return ERR_OK;
}

/* The header at *at, then its data block, checked against the length. */
static enum err parse_part(struct tz *z, const unsigned char *d, size_t len,
                           size_t *at, unsigned tsize, struct hdr *h,
                           struct buf *err)
{
    enum err rc;
    uint64_t n;

    rc = parse_header(d + *at, len - *at, h, err);
    if (rc != ERR_OK)
        return rc;
    *at += HDR_LEN;
    n = block_len(h, tsize);
    if (n > len - *at) {
        buf_setf(err, "TZif file is truncated");
        return ERR_PARSE;
    }
    if (tsize == 8 || h->version == 0)
        rc = parse_block(z, d + *at, h, tsize, err);
    *at += (size_t)n;
    return rc;
}

enum err tz_parse(const void *data, size_t len, const char *name,
                  struct tz **out, struct buf *err)
{
    const unsigned char *d = data;
    struct tz *z = xcalloc(1, sizeof *z);
    struct hdr h1, h2;
    size_t at = 0;
    enum err rc = ERR_PARSE;

    z->name = xstrdup(name != NULL ? name : "");
    if (len > TZ_FILE_MAX) {
        buf_setf(err, "TZif file is over %d bytes", TZ_FILE_MAX);
        goto out;
    }
    rc = parse_part(z, d, len, &at, 4, &h1, err);
    if (rc != ERR_OK)
        goto out;
    if (h1.version == 0) {
        rc = at == len ? ERR_OK : ERR_PARSE;
        if (rc != ERR_OK)
            buf_setf(err, "TZif version 1 file has trailing data");
        goto out;
    }
    rc = parse_part(z, d, len, &at, 8, &h2, err);
    if (rc == ERR_OK && h2.version != h1.version) {
        buf_setf(err, "TZif headers disagree on the version");
        rc = ERR_PARSE;
    }
    if (rc == ERR_OK)
        rc = parse_footer(z, d + at, len - at, err);
out:
    if (rc == ERR_OK) {
        collect_offsets(z);
        *out = z;
    } else {
        tz_destroy(z);
    }
    return rc;
}

/* ---- loading ----------------------------------------------------------- */

/* A name safe to append to the zone directory. */
static enum err check_name(const char *name, struct buf *err)
{
    size_t n = name != NULL ? strnlen(name, TZ_NAME_MAX + 1) : 0;

    if (n == 0 || n > TZ_NAME_MAX) {
        buf_setf(err, "zone name must be 1 to %d bytes", TZ_NAME_MAX);
        return ERR_INVALID;
    }
    if (name[0] == '/' || name[n - 1] == '/' || strstr(name, "//") != NULL) {
        buf_setf(err, "zone name must be relative, like Europe/Berlin");
        return ERR_INVALID;
    }
    for (size_t i = 0; i < n; i++) {
        int ch = (unsigned char)name[i];
        if (!is_alpha(ch) && !is_digit(ch) && ch != '_' && ch != '+' &&
            ch != '-' && ch != '/') {
            buf_setf(err, "zone name may hold only letters, digits and "
                          "_ + - /");
            return ERR_INVALID;
        }
    }
    return ERR_OK;
}

/* Read the regular file at path, at most TZ_FILE_MAX bytes. */
static enum err read_zone(const char *path, struct buf *data, struct buf *err)
{
    char chunk[16384];
    struct stat st;
    ssize_t n;
    enum err rc = ERR_OK;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

    if (fd < 0) {
        rc = errno == ENOENT || errno == ENOTDIR ? ERR_NOTFOUND : ERR_IO;
        buf_setf(err, "no such zone (%s)", strerror(errno));
        return rc;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        buf_setf(err, "no such zone (not a file)");
        rc = ERR_NOTFOUND;
        goto out;
    }
    for (;;) {
        n = read(fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        if (buf_append(data, chunk, (size_t)n) != ERR_OK) {
            buf_setf(err, "TZif file is over %d bytes", TZ_FILE_MAX);
            rc = ERR_PARSE;
            goto out;
        }
    }
    if (n < 0) {
        buf_setf(err, "read failed: %s", strerror(errno));
        rc = ERR_IO;
    }
out:
    close(fd);
    return rc;
}

enum err tz_load(const char *name, struct tz **out, struct buf *err)
{
    const char *dir = getenv("TZDIR");
    struct buf path, data, why;
    enum err rc;

    buf_init(&path, 4096);
    buf_init(&data, TZ_FILE_MAX);
    buf_init(&why, 512);
    rc = check_name(name, &why);
    if (rc != ERR_OK) {
        buf_setf(err, "bad zone name: %s", buf_cstr(&why));
        goto out;
    }
    if (dir == NULL || dir[0] == '\0')
        dir = DEFAULT_TZDIR;
    rc = buf_printf(&path, "%s/%s", dir, name);
    if (rc == ERR_OK)
        rc = read_zone(buf_cstr(&path), &data, &why);
    if (rc == ERR_OK)
        rc = tz_parse(data.data, data.len, name, out, &why);
    if (rc != ERR_OK)
        buf_setf(err, "zone %s: %s", name, buf_cstr(&why));
out:
    buf_free(&path);
    buf_free(&data);
    buf_free(&why);
    return rc;
}

/* ---- civil time -------------------------------------------------------- */

void tz_to_civil(const struct tz *z, int64_t utc, struct tz_civil *out)
{
    struct tz_type t = lookup(z, utc);
    int64_t days = utc / DAY, sod = utc % DAY, y;
    unsigned m, d;

    if (sod < 0) {
        sod += DAY;
        days--;
    }
    sod += t.off; /* |off| <= 26 h: at most two days either way */
    while (sod < 0) {
        sod += DAY;
        days--;
    }
    while (sod >= DAY) {
        sod -= DAY;
        days++;
    }
    time_civil_from_days(days, &y, &m, &d);
    out->year = y;
    out->month = (int)m;
    out->day = (int)d;
    out->hour = (int)(sod / 3600);
    out->minute = (int)(sod / 60 % 60);
    out->second = (int)(sod % 60);
    out->wday = (int)(((days % 7) + 11) % 7);
    out->offset = t.off;
    out->dst = t.dst;
}

static bool civil_valid(int64_t y, int m, int d, int h, int mi, int s)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (y < -TZ_YEAR_LIM || y > TZ_YEAR_LIM || m < 1 || m > 12 || d < 1)
        return false;
    if (d > mdays[m - 1] + (m == 2 && is_leap(y)))
        return false;
    return h >= 0 && h <= 23 && mi >= 0 && mi <= 59 && s >= 0 && s <= 59;
}

/* In a gap at local time local: the first instant whose wall clock is
 * past it. wall(lo) < local < wall(hi) holds throughout. */
static int64_t gap_end(const struct tz *z, int64_t local)
{
    int64_t lo = local - TZ_MAX_OFF - 1, hi = local + TZ_MAX_OFF, mid;

    while (hi - lo > 1) {
        mid = lo + (hi - lo) / 2;
        if (mid + lookup(z, mid).off > local)
            hi = mid;
        else
            lo = mid;
    }
    return hi;
}

enum err tz_from_civil(const struct tz *z, int64_t y, int m, int d, int h,
                       int mi, int s, enum tz_local *kind, int64_t *first,
                       int64_t *second)
{
    int64_t local, lo = 0, hi = 0;
    size_t found = 0;

    if (!civil_valid(y, m, d, h, mi, s))
        return ERR_INVALID;
    local = time_days_from_civil(y, (unsigned)m, (unsigned)d) * DAY + h * 3600 +
            mi * 60 + s;
    /* Every instant with this wall time has one of the zone's offsets. */
    for (size_t i = 0; i < z->noffs; i++) {
        int64_t u = local - z->offs[i];
        if (lookup(z, u).off != z->offs[i])
            continue;
        lo = found == 0 || u < lo ? u : lo;
        hi = found == 0 || u > hi ? u : hi;
        found++;
    }
    if (found == 0) {
        *kind = TZ_LOCAL_GAP;
        lo = hi = gap_end(z, local);
    } else {
        *kind = lo == hi ? TZ_LOCAL_UNIQUE : TZ_LOCAL_OVERLAP;
    }
    *first = lo;
    *second = hi;
    return ERR_OK;
}

/* ---- days and formatting ----------------------------------------------- */

static int64_t sat_add(int64_t a, int64_t b)
{
    if (b > 0 && a > INT64_MAX - b)
        return INT64_MAX;
    if (b < 0 && a < INT64_MIN - b)
        return INT64_MIN;
    return a + b;
}

/* Midnight(s) of the local day `delta` days after the one holding utc.
 * False when that year is beyond tz_from_civil's range. */
static bool midnight(const struct tz *z, int64_t utc, int delta, int64_t *first,
                     int64_t *second)
{
    struct tz_civil c;
    enum tz_local kind;
    int64_t y, days;
    unsigned m, d;

    tz_to_civil(z, utc, &c);
    if (c.year < -TZ_YEAR_LIM || c.year > TZ_YEAR_LIM)
        return false;
    days = time_days_from_civil(c.year, (unsigned)c.month, (unsigned)c.day);
    time_civil_from_days(days + delta, &y, &m, &d);
    return tz_from_civil(z, y, (int)m, (int)d, 0, 0, 0, &kind, first, second) ==
           ERR_OK;
}

/* Seconds since local midnight on the wall clock at utc. */
static int64_t wall_sod(const struct tz *z, int64_t utc)
{
    struct tz_civil c;

    tz_to_civil(z, utc, &c);
    return (int64_t)c.hour * 3600 + c.minute * 60 + c.second;
}

int64_t tz_day_start(const struct tz *z, int64_t utc)
{
    int64_t a, b;

    /* The earliest midnight: in a fall-back at midnight (America/Havana)
     * the day began at the first one. */
    if (midnight(z, utc, 0, &a, &b)) {
        if (a <= utc)
            return a;
        if (b <= utc)
            return b;
    }
    return sat_add(utc, -wall_sod(z, utc)); /* no usable data: the wall */
}

int64_t tz_next_day_start(const struct tz *z, int64_t utc)
{
    int64_t a, b;

    if (midnight(z, utc, 1, &a, &b)) {
        if (a > utc)
            return a;
        if (b > utc)
            return b;
    }
    return sat_add(utc, DAY - wall_sod(z, utc));
}

enum err tz_format(const struct tz *z, int64_t utc, struct buf *out)
{
    struct tz_civil c;
    struct buf tmp;
    int32_t a;
    char sign;
    enum err rc;

    tz_to_civil(z, utc, &c);
    sign = c.offset < 0 ? '-' : '+';
    a = c.offset < 0 ? -c.offset : c.offset;
    buf_init(&tmp, 64); /* so that out is unchanged on failure */
    if (c.year >= 0 && c.year <= 9999)
        rc = buf_printf(&tmp, "%04lld", (long long)c.year);
    else
        rc = buf_printf(&tmp, "%+05lld", (long long)c.year);
    if (rc == ERR_OK)
        rc = buf_printf(&tmp, "-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", c.month,
                        c.day, c.hour, c.minute, c.second, sign,
                        (int)(a / 3600), (int)(a / 60 % 60));
    if (rc == ERR_OK && a % 60 != 0) /* local mean time, before ~1900 */
        rc = buf_printf(&tmp, ":%02d", (int)(a % 60));
    if (rc == ERR_OK)
        rc = buf_append(out, tmp.data, tmp.len);
    buf_free(&tmp);
    return rc;
}
