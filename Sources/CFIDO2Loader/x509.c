/*
 * Attestation chains: the one piece of OpenSSL ciauth calls itself, through the libcrypto that
 * libfido2 brings (loader.c), so a binary that never enrolls never loads it.
 */
#include "ciauth_fido2_loader.h"
#include "loader_internal.h"

int ciauth_x509_verify_leaf(const unsigned char *leaf_der, size_t leaf_len,
    const char *roots_pem, size_t roots_len, int *detail)
{
	const struct ciauth_fido2_table *ssl = ciauth_fido2_table();
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
	leaf = ssl->d2i_X509(NULL, &cursor, (long)leaf_len);
	if (leaf == NULL || cursor != leaf_der + leaf_len) {
		result = CIAUTH_X509_BAD_LEAF;
		goto out;
	}
	if ((store = ssl->X509_STORE_new()) == NULL ||
	    (bio = ssl->BIO_new_mem_buf(roots_pem, (int)roots_len)) == NULL)
		goto out;
	while ((root = ssl->PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		if (ssl->X509_STORE_add_cert(store, root) != 1) {
			ssl->X509_free(root);
			goto out;
		}
		ssl->X509_free(root);
		roots++;
	}
	ssl->ERR_clear_error(); /* the loop ends on "no start line" */
	if (roots == 0) {
		result = CIAUTH_X509_BAD_ROOTS;
		goto out;
	}
	ssl->X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN);
	if ((ctx = ssl->X509_STORE_CTX_new()) == NULL ||
	    ssl->X509_STORE_CTX_init(ctx, store, leaf, NULL) != 1)
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
	ssl->BIO_free(bio);
	ssl->X509_free(leaf);
	return result;
}

const char *ciauth_x509_error_string(int detail)
{
	return ciauth_fido2_table()->X509_verify_cert_error_string(detail);
}
