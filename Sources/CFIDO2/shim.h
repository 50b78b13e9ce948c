#ifndef CIAUTH_CFIDO2_SHIM_H
#define CIAUTH_CFIDO2_SHIM_H
#include <fido.h>
#include <fido/es256.h>
#include <fido/eddsa.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

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
 * libfido2 links libcrypto already; this is the one piece of OpenSSL ciauth calls itself.
 */
static inline int ciauth_x509_verify_leaf(const unsigned char *leaf_der, size_t leaf_len,
    const char *roots_pem, size_t roots_len, int *detail)
{
	int result = CIAUTH_X509_INTERNAL;
	int roots = 0;
	const unsigned char *cursor = leaf_der;
	X509 *leaf = NULL;
	X509 *root = NULL;
	X509_STORE *store = NULL;
	X509_STORE_CTX *ctx = NULL;
	BIO *bio = NULL;

	*detail = 0;
	if (leaf_len == 0 || leaf_len > 65536 || roots_len == 0 || roots_len > (1u << 24))
		return CIAUTH_X509_BAD_LEAF;
	leaf = d2i_X509(NULL, &cursor, (long)leaf_len);
	if (leaf == NULL || cursor != leaf_der + leaf_len) {
		result = CIAUTH_X509_BAD_LEAF;
		goto out;
	}
	if ((store = X509_STORE_new()) == NULL ||
	    (bio = BIO_new_mem_buf(roots_pem, (int)roots_len)) == NULL)
		goto out;
	while ((root = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		if (X509_STORE_add_cert(store, root) != 1) {
			X509_free(root);
			goto out;
		}
		X509_free(root);
		roots++;
	}
	ERR_clear_error(); /* the loop ends on "no start line" */
	if (roots == 0) {
		result = CIAUTH_X509_BAD_ROOTS;
		goto out;
	}
	X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN);
	if ((ctx = X509_STORE_CTX_new()) == NULL ||
	    X509_STORE_CTX_init(ctx, store, leaf, NULL) != 1)
		goto out;
	if (X509_verify_cert(ctx) == 1) {
		result = CIAUTH_X509_TRUSTED;
	} else {
		*detail = X509_STORE_CTX_get_error(ctx);
		result = CIAUTH_X509_UNTRUSTED;
	}
out:
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	BIO_free(bio);
	X509_free(leaf);
	return result;
}

/* OpenSSL's text for a verifier error code (static storage). */
static inline const char *ciauth_x509_error_string(int detail)
{
	return X509_verify_cert_error_string(detail);
}
#endif
