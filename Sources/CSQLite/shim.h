#include <sqlite3.h>

// sqlite3_db_config is variadic, which Swift cannot call: one fixed-argument wrapper per use.

// Leave the write-ahead log to the next connection instead of checkpointing (two more syncs and
// the log's deletion) whenever the last connection closes; the log is the durable record.
static inline int ciauth_sqlite3_no_checkpoint_on_close(sqlite3 *db) {
    return sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)0);
}

// A VFS over the default one that opens a write-ahead log that already exists without
// SQLITE_OPEN_CREATE. SQLite syncs the directory after the first sync of every log it opened
// for creation, since a newly created name must survive a power loss; for the gate's log, kept
// between processes, that was one more sync per pass. A log that does not exist yet is still
// created, directory sync included. An existing log's name was made durable by the process
// that created it (its first sync syncs the directory); should that process have died before
// its first sync, the next process's sync of the log still commits the pending directory entry
// on journaling filesystems (ext4, XFS), as it does for the database file itself, whose
// directory SQLite never syncs. Every other call is the default VFS's own.
static inline int ciauth_existing_wal_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out_flags) {
    sqlite3_vfs *base = (sqlite3_vfs *)vfs->pAppData;
    if ((flags & SQLITE_OPEN_WAL) && (flags & SQLITE_OPEN_CREATE) && name) {
        if (base->xOpen(base, name, file, flags & ~SQLITE_OPEN_CREATE, out_flags) == SQLITE_OK) return SQLITE_OK;
    }
    return base->xOpen(base, name, file, flags, out_flags);
}

// The VFS's name, registered on first use; NULL (the default VFS) if it cannot be. No static
// storage (a header of a Swift module): the registered VFS lives in SQLite's list for the
// process's lifetime, and two threads registering at once only register two equal ones.
static inline const char *ciauth_sqlite3_existing_wal_vfs(void) {
    if (sqlite3_vfs_find("ciauth-existing-wal")) return "ciauth-existing-wal";
    sqlite3_vfs *base = sqlite3_vfs_find(0);
    if (!base) return 0;
    sqlite3_vfs *vfs = (sqlite3_vfs *)sqlite3_malloc(sizeof *vfs);
    if (!vfs) return 0;
    *vfs = *base;
    vfs->pNext = 0;
    vfs->zName = "ciauth-existing-wal";
    vfs->pAppData = base;
    vfs->xOpen = ciauth_existing_wal_open;
    if (sqlite3_vfs_register(vfs, 0) != SQLITE_OK) {
        sqlite3_free(vfs);
        return 0;
    }
    return "ciauth-existing-wal";
}
