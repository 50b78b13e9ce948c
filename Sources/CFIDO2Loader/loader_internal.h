#ifndef CIAUTH_FIDO2_LOADER_INTERNAL_H
#define CIAUTH_FIDO2_LOADER_INTERNAL_H
#include <fido.h>
#include <fido/eddsa.h>
#include <fido/es256.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>
#include "functions.h"

#if OPENSSL_VERSION_MAJOR != 3
#error "CIAUTH_CRYPTO_SONAME assumes OpenSSL 3 headers"
#endif
/* The libcrypto libfido2 links; already in the process once libfido2 is open. */
#define CIAUTH_CRYPTO_SONAME "libcrypto.so.3"

/* One pointer per function, resolved once by ciauth_fido2_load. */
struct ciauth_fido2_table {
#define CIAUTH_SLOT(ret, name, params, args) __typeof__(&name) name;
#define CIAUTH_VOID_SLOT(name, params, args) __typeof__(&name) name;
	CIAUTH_FIDO2_FUNCTIONS(CIAUTH_SLOT, CIAUTH_VOID_SLOT)
#undef CIAUTH_SLOT
#undef CIAUTH_VOID_SLOT
#define CIAUTH_CRYPTO_SLOT(name) __typeof__(&name) name;
	CIAUTH_CRYPTO_FUNCTIONS(CIAUTH_CRYPTO_SLOT)
#undef CIAUTH_CRYPTO_SLOT
};

/* The resolved table; aborts with the reason when libfido2 cannot be loaded (a caller skipped ciauth_fido2_load). */
__attribute__((visibility("hidden"))) const struct ciauth_fido2_table *ciauth_fido2_table(void);
#endif
