#ifndef WALLET_CMARIADB_SHIM_H
#define WALLET_CMARIADB_SHIM_H

// mysql.h uses NULL without defining it.
#include <stddef.h>
#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>

/// `mysql_library_init` is a macro and invisible to Swift; this is the same call.
static inline int cmariadb_library_init(void) {
    return mysql_library_init(0, NULL, NULL);
}

#endif
