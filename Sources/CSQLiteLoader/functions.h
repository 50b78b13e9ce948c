/*
 * The SQLite functions ciauth calls, one line each: return type, name, parameters, arguments.
 * loader.c turns every line into a slot of the function table and a trampoline of the same
 * name, so the Swift code calls SQLite as if it were linked. A new SQLite call in the gate's
 * pass store needs its line here (the link fails without it). Prototypes as in <sqlite3.h>,
 * which the compiler checks them against.
 */
#ifndef CIAUTH_SQLITE_FUNCTIONS_H
#define CIAUTH_SQLITE_FUNCTIONS_H

#define CIAUTH_SQLITE_FUNCTIONS(SQLITE_CALL) \
    SQLITE_CALL(int, sqlite3_bind_int64, (sqlite3_stmt *a, int b, sqlite3_int64 c), (a, b, c)) \
    SQLITE_CALL(int, sqlite3_bind_text, (sqlite3_stmt *a, int b, const char *c, int d, void (*e)(void *)), (a, b, c, d, e)) \
    SQLITE_CALL(int, sqlite3_busy_timeout, (sqlite3 *a, int b), (a, b)) \
    SQLITE_CALL(int, sqlite3_close, (sqlite3 *a), (a)) \
    SQLITE_CALL(sqlite3_int64, sqlite3_column_int64, (sqlite3_stmt *a, int b), (a, b)) \
    SQLITE_CALL(const char *, sqlite3_errmsg, (sqlite3 *a), (a)) \
    SQLITE_CALL(int, sqlite3_exec, (sqlite3 *a, const char *b, int (*c)(void *, int, char **, char **), void *d, char **e), (a, b, c, d, e)) \
    SQLITE_CALL(int, sqlite3_finalize, (sqlite3_stmt *a), (a)) \
    SQLITE_CALL(int, sqlite3_open_v2, (const char *a, sqlite3 **b, int c, const char *d), (a, b, c, d)) \
    SQLITE_CALL(int, sqlite3_prepare_v2, (sqlite3 *a, const char *b, int c, sqlite3_stmt **d, const char **e), (a, b, c, d, e)) \
    SQLITE_CALL(int, sqlite3_step, (sqlite3_stmt *a), (a)) \
    SQLITE_CALL(int, sqlite3_wal_checkpoint_v2, (sqlite3 *a, const char *b, int c, int *d, int *e), (a, b, c, d, e))

/* Called only from this target's C (existing_wal.c), through the table: no trampolines. */
#define CIAUTH_SQLITE_INTERNAL_FUNCTIONS(SQLITE_INTERNAL) \
    SQLITE_INTERNAL(sqlite3_db_config) SQLITE_INTERNAL(sqlite3_vfs_find) SQLITE_INTERNAL(sqlite3_vfs_register)

#endif
