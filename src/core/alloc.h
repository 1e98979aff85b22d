/* Allocation that aborts with a message when memory runs out (STYLE.md 5). */
#ifndef MEDIADASH_ALLOC_H
#define MEDIADASH_ALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);                 /* caller frees */
void *xcalloc(size_t nmemb, size_t size); /* caller frees; overflow-checked */
void *xrealloc(void *p, size_t n);       /* caller frees the result */
/* Grow an array to hold at least `need` elements of `size` bytes. */
void *xgrow(void *p, size_t *cap, size_t need, size_t size);
char *xstrdup(const char *s);            /* NULL in, NULL out; caller frees */
char *xstrndup(const char *s, size_t n); /* caller frees */

#define FREE_AND_NULL(p)                                                       \
    do {                                                                       \
        free(p);                                                               \
        (p) = NULL;                                                            \
    } while (0)

#endif
