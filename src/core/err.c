#include "err.h"

const char *err_str(enum err e)
{
    switch (e) {
    case ERR_OK:
        return "ok";
    case ERR_NOMEM:
        return "out of memory";
    case ERR_IO:
        return "input/output error";
    case ERR_PARSE:
        return "invalid input";
    case ERR_TOOBIG:
        return "too big";
    case ERR_INVALID:
        return "invalid argument";
    case ERR_NOTFOUND:
        return "not found";
    case ERR_AMBIGUOUS:
        return "ambiguous";
    case ERR_DB:
        return "database error";
    case ERR_UPSTREAM:
        return "platform error response";
    case ERR_UNSUPPORTED:
        return "unsupported";
    case ERR_EXISTS:
        return "already exists";
    case ERR_BUSY:
        return "busy, try again later";
    }
    return "unknown error";
}
