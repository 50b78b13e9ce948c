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

/* Result of ciauth_x509_verify_chain (the verifier's error lands in *detail). */
#define CIAUTH_X509_TRUSTED 1
#define CIAUTH_X509_UNTRUSTED 0
#define CIAUTH_X509_BAD_LEAF (-1)
#define CIAUTH_X509_BAD_ROOTS (-2)
#define CIAUTH_X509_INTERNAL (-3)

/*
 * Checks that an attestation chain (x5c: the leaf first, then the intermediates the key sent)
 * chains to one of the PEM certificates in roots_pem. The count DER certificates lie back to back
 * in chain_der and must fill it exactly. The intermediates are untrusted helpers; every PEM
 * certificate is a trust anchor (partial chains allowed), so an intermediate may also be pinned.
 * libfido2 1.12 keeps only x5c[0], so ciauth reads the others from the attestation statement.
 * Call only after ciauth_fido2_load succeeded.
 */
int ciauth_x509_verify_chain(const unsigned char *chain_der, size_t chain_len, size_t count,
    const char *roots_pem, size_t roots_len, int *detail);

/* OpenSSL's text for a verifier error code (static storage). */
const char *ciauth_x509_error_string(int detail);
#endif
