/* One logging module: levels, printf-checked formats, the module name
 * (STYLE.md 12). Never log tokens, cookies or signed URLs. */
#ifndef MEDIADASH_LOG_H
#define MEDIADASH_LOG_H

#include "err.h"

enum log_level { LOG_LVL_ERROR, LOG_LVL_WARN, LOG_LVL_INFO, LOG_LVL_DEBUG };

/* Messages above this level are dropped. Set once at start-up. */
void log_set_level(enum log_level lvl);
enum log_level log_get_level(void);
void log_msg(enum log_level lvl, const char *module, const char *fmt, ...)
    PRINTF_LIKE(3, 4);

#ifndef LOG_MODULE
#define LOG_MODULE "mediadash"
#endif
#define LOG_ERROR(...) log_msg(LOG_LVL_ERROR, LOG_MODULE, __VA_ARGS__)
#define LOG_WARN(...) log_msg(LOG_LVL_WARN, LOG_MODULE, __VA_ARGS__)
#define LOG_INFO(...) log_msg(LOG_LVL_INFO, LOG_MODULE, __VA_ARGS__)
#define LOG_DEBUG(...) log_msg(LOG_LVL_DEBUG, LOG_MODULE, __VA_ARGS__)

#endif
