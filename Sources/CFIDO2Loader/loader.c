/*
 * dlopen of libfido2 behind trampolines. The table is filled exactly once (pthread_once) and
 * read-only afterwards, so every thread may call the trampolines without further locking.
 * Trampolines are hidden: they never interpose on libfido2's own symbols once it is loaded.
 */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#pragma GCC visibility push(hidden)
#include "ciauth_fido2_loader.h"
#include "loader_internal.h"

static struct ciauth_fido2_table table;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int loaded;
static char failure[512];

/* Resolves one symbol; the first failure's text is kept. */
static void *resolve(void *library, const char *soname, const char *name)
{
	void *symbol = dlsym(library, name);
	if (symbol == NULL && failure[0] == '\0')
		snprintf(failure, sizeof failure, "%s has no function %s (a libfido2 older than 1.12?)", soname, name);
	return symbol;
}

/* Opens a library by SONAME; local binding so its symbols never reach other libraries. */
static void *open_library(const char *soname)
{
	void *library = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (library == NULL) {
		const char *error = dlerror();
		snprintf(failure, sizeof failure, "%s", error != NULL ? error : soname);
	}
	return library;
}

static void load_once(void)
{
	void *fido2 = open_library(CIAUTH_FIDO2_SONAME);
	void *crypto = fido2 != NULL ? open_library(CIAUTH_CRYPTO_SONAME) : NULL;
	if (fido2 == NULL || crypto == NULL)
		return;
#define CIAUTH_RESOLVE(ret, name, params, args) \
	table.name = (__typeof__(&name))resolve(fido2, CIAUTH_FIDO2_SONAME, #name);
#define CIAUTH_RESOLVE_VOID(name, params, args) CIAUTH_RESOLVE(void, name, params, args)
	CIAUTH_FIDO2_FUNCTIONS(CIAUTH_RESOLVE, CIAUTH_RESOLVE_VOID)
#define CIAUTH_RESOLVE_CRYPTO(name) \
	table.name = (__typeof__(&name))resolve(crypto, CIAUTH_CRYPTO_SONAME, #name);
	CIAUTH_CRYPTO_FUNCTIONS(CIAUTH_RESOLVE_CRYPTO)
	loaded = failure[0] == '\0';
}

int ciauth_fido2_load(const char **reason)
{
	pthread_once(&once, load_once);
	*reason = loaded ? NULL : failure;
	return loaded;
}

const struct ciauth_fido2_table *ciauth_fido2_table(void)
{
	const char *reason;
	if (!ciauth_fido2_load(&reason)) {
		fprintf(stderr, "ciauth: libfido2 is needed but could not be loaded: %s\n", reason);
		abort();
	}
	return &table;
}

/* The trampolines: the names libfido2 exports, forwarding to the loaded library. */
#define CIAUTH_TRAMPOLINE(ret, name, params, args) \
	ret name params { return ciauth_fido2_table()->name args; }
#define CIAUTH_VOID_TRAMPOLINE(name, params, args) \
	void name params { ciauth_fido2_table()->name args; }
CIAUTH_FIDO2_FUNCTIONS(CIAUTH_TRAMPOLINE, CIAUTH_VOID_TRAMPOLINE)

#pragma GCC visibility pop
