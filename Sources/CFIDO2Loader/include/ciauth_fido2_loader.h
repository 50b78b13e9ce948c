#ifndef CIAUTH_FIDO2_LOADER_H
#define CIAUTH_FIDO2_LOADER_H
#include <stddef.h>

/*
 * libfido2 is opened with dlopen on the first call that needs it, never at start: the commands
 * that only verify run on machines without it. The libfido2 functions themselves are defined
 * here as trampolines of the same names (functions.h), so callers include <fido.h> as usual.
 */

/* The SONAME opened, and the Debian package that provides it. */
#define CIAUTH_FIDO2_SONAME "libfido2.so.1"
#define CIAUTH_FIDO2_PACKAGE "libfido2-1"

/*
 * Opens libfido2 and its libcrypto once (thread-safe) and resolves every function ciauth calls.
 * Returns 1 when they are usable; 0 otherwise, with the loader's reason in *reason (static storage).
 */
int ciauth_fido2_load(const char **reason);

/* Result of ciauth_x509_verify_leaf (the verifier's error lands in *detail). */
#define CIAUTH_X509_TRUSTED 1
#define CIAUTH_X509_UNTRUSTED 0
#define CIAUTH_X509_BAD_LEAF (-1)
#define CIAUTH_X509_BAD_ROOTS (-2)
#define CIAUTH_X509_INTERNAL (-3)

/*
 * Checks that a DER attestation certificate chains to one of the PEM certificates in roots_pem.
 * Every PEM certificate is a trust anchor (partial chains allowed), so an intermediate may be
 * pinned directly: libfido2 1.12 exposes only the first x5c certificate.
 * Call only after ciauth_fido2_load succeeded.
 */
int ciauth_x509_verify_leaf(const unsigned char *leaf_der, size_t leaf_len,
    const char *roots_pem, size_t roots_len, int *detail);

/* OpenSSL's text for a verifier error code (static storage). */
const char *ciauth_x509_error_string(int detail);
#endif
