#ifndef CIAUTH_CSQLITE_SHIM_H
#define CIAUTH_CSQLITE_SHIM_H
/* Declarations only: the functions come from CSQLiteLoader, which opens SQLite when first needed. */
#include <sqlite3.h>
#endif
