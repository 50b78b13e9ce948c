#ifndef CIAUTH_SQLITE_LOADER_INTERNAL_H
#define CIAUTH_SQLITE_LOADER_INTERNAL_H
#include <sqlite3.h>
#include "functions.h"

/* One pointer per function, resolved once by ciauth_sqlite3_load. */
struct ciauth_sqlite_table {
#define CIAUTH_SLOT(ret, name, params, args) __typeof__(&name) name;
	CIAUTH_SQLITE_FUNCTIONS(CIAUTH_SLOT)
#undef CIAUTH_SLOT
#define CIAUTH_INTERNAL_SLOT(name) __typeof__(&name) name;
	CIAUTH_SQLITE_INTERNAL_FUNCTIONS(CIAUTH_INTERNAL_SLOT)
#undef CIAUTH_INTERNAL_SLOT
};

/* The resolved table; aborts with the reason when SQLite cannot be loaded (a caller skipped ciauth_sqlite3_load). */
__attribute__((visibility("hidden"))) const struct ciauth_sqlite_table *ciauth_sqlite_table(void);
#endif
