/* Runtime failure codes shared by every module (STYLE.md rule 4). */
#ifndef MEDIADASH_ERR_H
#define MEDIADASH_ERR_H

enum err {
    ERR_OK = 0,
    ERR_NOMEM,       /* allocation failed (only where we do not abort) */
    ERR_IO,          /* read/write/open failed */
    ERR_PARSE,       /* input is not of the expected shape */
    ERR_TOOBIG,      /* input or buffer over its hard maximum */
    ERR_INVALID,     /* bad argument or option value */
    ERR_NOTFOUND,    /* no such item, file or row */
    ERR_AMBIGUOUS,   /* a name matches more than one thing */
    ERR_DB,          /* the store failed */
    ERR_UPSTREAM,    /* the payload is a platform's error response */
    ERR_UNSUPPORTED, /* a format or feature we do not handle */
    ERR_EXISTS,      /* already there (e.g. file already imported) */
    ERR_BUSY,        /* a bounded resource is taken: try again later */
};

/* Short constant English description of e; never NULL. */
const char *err_str(enum err e);

#if defined(__GNUC__)
#define WARN_UNUSED __attribute__((warn_unused_result))
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define WARN_UNUSED
#define PRINTF_LIKE(f, a)
#endif

#endif
