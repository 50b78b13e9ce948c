/*
 * The connection settings of the pass store that Swift cannot write, called through the loaded
 * table: a variadic sqlite3_db_config call and a VFS.
 */
#include <pthread.h>

#pragma GCC visibility push(hidden)
#include "ciauth_sqlite_loader.h"
#include "loader_internal.h"

int ciauth_sqlite3_no_checkpoint_on_close(sqlite3 *db)
{
	return ciauth_sqlite_table()->sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, (int *)0);
}

/*
 * A VFS over the default one that opens a write-ahead log that already exists without
 * SQLITE_OPEN_CREATE. SQLite syncs the directory after the first sync of every log it opened
 * for creation, since a newly created name must survive a power loss; for the gate's log, kept
 * between processes, that was one more sync per pass. A log that does not exist yet is still
 * created, directory sync included. An existing log's name was made durable by the process
 * that created it (its first sync syncs the directory); should that process have died before
 * its first sync, the next process's sync of the log still commits the pending directory entry
 * on journaling filesystems (ext4, XFS), as it does for the database file itself, whose
 * directory SQLite never syncs. Every other call is the default VFS's own.
 */
#define CIAUTH_EXISTING_WAL_VFS "ciauth-existing-wal"

static sqlite3_vfs existing_wal_vfs;
static const char *existing_wal_vfs_name;
static pthread_once_t existing_wal_once = PTHREAD_ONCE_INIT;

static int existing_wal_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out_flags)
{
	sqlite3_vfs *base = (sqlite3_vfs *)vfs->pAppData;
	if ((flags & SQLITE_OPEN_WAL) && (flags & SQLITE_OPEN_CREATE) && name) {
		if (base->xOpen(base, name, file, flags & ~SQLITE_OPEN_CREATE, out_flags) == SQLITE_OK)
			return SQLITE_OK;
	}
	return base->xOpen(base, name, file, flags, out_flags);
}

/* Registered once; it stays in SQLite's list for the process's lifetime. */
static void register_existing_wal_vfs(void)
{
	const struct ciauth_sqlite_table *sqlite = ciauth_sqlite_table();
	sqlite3_vfs *base = sqlite->sqlite3_vfs_find(NULL);
	if (base == NULL)
		return;
	existing_wal_vfs = *base;
	existing_wal_vfs.pNext = NULL;
	existing_wal_vfs.zName = CIAUTH_EXISTING_WAL_VFS;
	existing_wal_vfs.pAppData = base;
	existing_wal_vfs.xOpen = existing_wal_open;
	if (sqlite->sqlite3_vfs_register(&existing_wal_vfs, 0) == SQLITE_OK)
		existing_wal_vfs_name = CIAUTH_EXISTING_WAL_VFS;
}

const char *ciauth_sqlite3_existing_wal_vfs(void)
{
	pthread_once(&existing_wal_once, register_existing_wal_vfs);
	return existing_wal_vfs_name;
}

#pragma GCC visibility pop
