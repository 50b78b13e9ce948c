/*
 * Attestation chains: the one piece of OpenSSL ciauth calls itself, through the libcrypto that
 * libfido2 brings (loader.c), so a binary that never enrolls never loads it.
 */
#include "ciauth_fido2_loader.h"
#include "loader_internal.h"

/* Parses count DER certificates filling chain_der exactly: the leaf, then the untrusted rest. */
static int read_chain(const struct ciauth_fido2_table *ssl, const unsigned char *chain_der,
    size_t chain_len, size_t count, X509 **leaf, OPENSSL_STACK *untrusted)
{
	const unsigned char *cursor = chain_der;
	const unsigned char *end = chain_der + chain_len;
	for (size_t i = 0; i < count; i++) {
		X509 *cert = NULL;
		if (cursor >= end || (cert = ssl->d2i_X509(NULL, &cursor, (long)(end - cursor))) == NULL)
			return CIAUTH_X509_BAD_LEAF;
		if (*leaf == NULL) {
			*leaf = cert;
		} else if (ssl->OPENSSL_sk_push(untrusted, cert) == 0) {
			ssl->X509_free(cert);
			return CIAUTH_X509_INTERNAL;
		}
	}
	return cursor == end ? CIAUTH_X509_TRUSTED : CIAUTH_X509_BAD_LEAF;
}

/* Every PEM certificate in roots_pem as a trust anchor; the number added, or -1. */
static int add_roots(const struct ciauth_fido2_table *ssl, X509_STORE *store, const char *roots_pem, size_t roots_len)
{
	int roots = 0;
	X509 *root = NULL;
	BIO *bio = ssl->BIO_new_mem_buf(roots_pem, (int)roots_len);
	if (bio == NULL)
		return -1;
	while ((root = ssl->PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		int added = ssl->X509_STORE_add_cert(store, root);
		ssl->X509_free(root);
		if (added != 1) {
			ssl->BIO_free(bio);
			return -1;
		}
		roots++;
	}
	ssl->ERR_clear_error(); /* the loop ends on "no start line" */
	ssl->BIO_free(bio);
	return roots;
}

static void free_certificate(void *certificate)
{
	ciauth_fido2_table()->X509_free(certificate);
}

int ciauth_x509_verify_chain(const unsigned char *chain_der, size_t chain_len, size_t count,
    const char *roots_pem, size_t roots_len, int *detail)
{
	const struct ciauth_fido2_table *ssl = ciauth_fido2_table();
	int result = CIAUTH_X509_INTERNAL;
	int roots = 0;
	X509 *leaf = NULL;
	OPENSSL_STACK *untrusted = NULL;
	X509_STORE *store = NULL;
	X509_STORE_CTX *ctx = NULL;

	*detail = 0;
	if (chain_der == NULL || count == 0 || count > 8 || chain_len == 0 ||
	    chain_len > 8 * 65536 || roots_len == 0 || roots_len > (1u << 24))
		return CIAUTH_X509_BAD_LEAF;
	if ((untrusted = ssl->OPENSSL_sk_new_null()) == NULL)
		goto out;
	if ((result = read_chain(ssl, chain_der, chain_len, count, &leaf, untrusted)) != CIAUTH_X509_TRUSTED)
		goto out;
	result = CIAUTH_X509_INTERNAL;
	if ((store = ssl->X509_STORE_new()) == NULL || (roots = add_roots(ssl, store, roots_pem, roots_len)) < 0)
		goto out;
	if (roots == 0) {
		result = CIAUTH_X509_BAD_ROOTS;
		goto out;
	}
	ssl->X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN);
	if ((ctx = ssl->X509_STORE_CTX_new()) == NULL ||
	    ssl->X509_STORE_CTX_init(ctx, store, leaf, (STACK_OF(X509) *)untrusted) != 1)
		goto out;
	if (ssl->X509_verify_cert(ctx) == 1) {
		result = CIAUTH_X509_TRUSTED;
	} else {
		*detail = ssl->X509_STORE_CTX_get_error(ctx);
		result = CIAUTH_X509_UNTRUSTED;
	}
out:
	ssl->X509_STORE_CTX_free(ctx);
	ssl->X509_STORE_free(store);
	if (untrusted != NULL)
		ssl->OPENSSL_sk_pop_free(untrusted, free_certificate);
	ssl->X509_free(leaf);
	return result;
}

const char *ciauth_x509_error_string(int detail)
{
	return ciauth_fido2_table()->X509_verify_cert_error_string(detail);
}
