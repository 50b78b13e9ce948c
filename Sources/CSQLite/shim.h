#include <sqlite3.h>

// sqlite3_db_config is variadic, which Swift cannot call: one fixed-argument wrapper per use.

// Leave the write-ahead log to the next connection instead of checkpointing (two more syncs and
// the log's deletion) whenever the last connection closes; the log is the durable record.
static inline int ciauth_sqlite3_no_checkpoint_on_close(sqlite3 *db) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)0);
}
