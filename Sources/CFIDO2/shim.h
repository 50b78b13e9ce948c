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
 * libfido2 links libcrypto already; this is the one piece of OpenSSL ciauth calls itself.
 */
static inline int ciauth_x509_verify_chain(const unsigned char *chain_der, size_t chain_len,
    size_t count, const char *roots_pem, size_t roots_len, int *detail)
{
	int result = CIAUTH_X509_INTERNAL;
	int roots = 0;
	const unsigned char *cursor = chain_der;
	const unsigned char *end = chain_der + chain_len;
	X509 *leaf = NULL;
	X509 *cert = NULL;
	X509 *root = NULL;
	STACK_OF(X509) *untrusted = NULL;
	X509_STORE *store = NULL;
	X509_STORE_CTX *ctx = NULL;
	BIO *bio = NULL;

	*detail = 0;
	if (chain_der == NULL || count == 0 || count > 8 || chain_len == 0 ||
	    chain_len > 8 * 65536 || roots_len == 0 || roots_len > (1u << 24))
		return CIAUTH_X509_BAD_LEAF;
	if ((untrusted = sk_X509_new_null()) == NULL)
		goto out;
	for (size_t i = 0; i < count; i++) {
		if (cursor >= end ||
		    (cert = d2i_X509(NULL, &cursor, (long)(end - cursor))) == NULL) {
			result = CIAUTH_X509_BAD_LEAF;
			goto out;
		}
		if (leaf == NULL) {
			leaf = cert;
		} else if (sk_X509_push(untrusted, cert) == 0) {
			X509_free(cert);
			goto out;
		}
		cert = NULL;
	}
	if (cursor != end) {
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
	    X509_STORE_CTX_init(ctx, store, leaf, untrusted) != 1)
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
	sk_X509_pop_free(untrusted, X509_free);
	X509_free(leaf);
	return result;
}

/* OpenSSL's text for a verifier error code (static storage). */
static inline const char *ciauth_x509_error_string(int detail)
{
	return X509_verify_cert_error_string(detail);
}
#endif
