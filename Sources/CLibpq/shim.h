#ifndef SODARCACHE_CLIBPQ_SHIM_H
#define SODARCACHE_CLIBPQ_SHIM_H
// PostgreSQL's C client (Debian: libpq-dev).
#include <postgresql/libpq-fe.h>
#endif
