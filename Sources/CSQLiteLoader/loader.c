/*
 * dlopen of SQLite behind trampolines, as CFIDO2Loader does for libfido2. The table is filled
 * exactly once (pthread_once) and read-only afterwards, so every thread may call the trampolines
 * without further locking. Trampolines are hidden: they never interpose on SQLite's own symbols.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#pragma GCC visibility push(hidden)
#include "ciauth_sqlite_loader.h"
#include "loader_internal.h"

static struct ciauth_sqlite_table table;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded;
static char failure[512];

/* Resolves one symbol; the first failure's text is kept. */
static void *resolve(void *library, const char *name)
{
	void *symbol = dlsym(library, name);
	if (symbol == NULL && failure[0] == '\0')
		snprintf(failure, sizeof failure, "%s has no function %s", CIAUTH_SQLITE_SONAME, name);
	return symbol;
}

static void load_once(void)
{
	/* Local binding, so its symbols never reach other libraries. */
	void *library = dlopen(CIAUTH_SQLITE_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (library == NULL) {
		/* The loader's text names the file only when it found one to reject; always name it. */
		const char *error = dlerror();
		if (error != NULL && strstr(error, CIAUTH_SQLITE_SONAME) != NULL)
			snprintf(failure, sizeof failure, "%s", error);
		else
			snprintf(failure, sizeof failure, "%s: %s", CIAUTH_SQLITE_SONAME, error != NULL ? error : "not found");
		return;
	}
#define CIAUTH_RESOLVE(ret, name, params, args) table.name = (__typeof__(&name))resolve(library, #name);
	CIAUTH_SQLITE_FUNCTIONS(CIAUTH_RESOLVE)
#define CIAUTH_RESOLVE_INTERNAL(name) table.name = (__typeof__(&name))resolve(library, #name);
	CIAUTH_SQLITE_INTERNAL_FUNCTIONS(CIAUTH_RESOLVE_INTERNAL)
	loaded = failure[0] == '\0';
}

int ciauth_sqlite3_load(const char **reason)
{
	pthread_once(&once, load_once);
	*reason = loaded ? NULL : failure;
	return loaded;
}

const struct ciauth_sqlite_table *ciauth_sqlite_table(void)
{
	const char *reason;
	if (!ciauth_sqlite3_load(&reason)) {
		fprintf(stderr, "ciauth: SQLite is needed but could not be loaded: %s\n", reason);
		abort();
	}
	return &table;
}

/* The trampolines: the names SQLite exports, forwarding to the loaded library. */
#define CIAUTH_TRAMPOLINE(ret, name, params, args) \
	ret name params { return ciauth_sqlite_table()->name args; }
CIAUTH_SQLITE_FUNCTIONS(CIAUTH_TRAMPOLINE)

#pragma GCC visibility pop
