#ifndef CIAUTH_SQLITE_LOADER_H
#define CIAUTH_SQLITE_LOADER_H

/*
 * SQLite is opened with dlopen on the first call that needs it, never at start: only the gate's
 * pass store uses it, and every other command would pay for loading it. The SQLite functions
 * themselves are defined here as trampolines of the same names (functions.h), so callers include
 * <sqlite3.h> as usual.
 */

/* The SONAME opened, and the Debian package that provides it. */
#define CIAUTH_SQLITE_SONAME "libsqlite3.so.0"
#define CIAUTH_SQLITE_PACKAGE "libsqlite3-0"

/*
 * Opens SQLite once (thread-safe) and resolves every function ciauth calls. Returns 1 when they
 * are usable; 0 otherwise, with the loader's reason in *reason (static storage).
 */
int ciauth_sqlite3_load(const char **reason);

struct sqlite3;

/*
 * sqlite3_db_config is variadic, which Swift cannot call: one fixed-argument wrapper per use.
 * Leaves the write-ahead log to the next connection instead of checkpointing it (two more syncs
 * and the log's deletion) whenever the last connection closes; the log is the durable record.
 * Call only after ciauth_sqlite3_load succeeded.
 */
int ciauth_sqlite3_no_checkpoint_on_close(struct sqlite3 *db);

/*
 * The name of a VFS that opens an existing write-ahead log as existing (existing_wal.c),
 * registered on first use; NULL (the default VFS) if it cannot be. Call only after
 * ciauth_sqlite3_load succeeded.
 */
const char *ciauth_sqlite3_existing_wal_vfs(void);
#endif
