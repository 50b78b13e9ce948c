/*
 * The libfido2 functions ciauth calls, one line each: return type, name, parameters, arguments.
 * loader.c turns every line into a slot of the function table and a trampoline of the same
 * name, so the Swift code calls libfido2 as if it were linked. A new libfido2 call in the FIDO2
 * target needs its line here (the link fails without it). Prototypes as in <fido.h>.
 */
#ifndef CIAUTH_FIDO2_FUNCTIONS_H
#define CIAUTH_FIDO2_FUNCTIONS_H

#define CIAUTH_FIDO2_FUNCTIONS(FIDO2_CALL, FIDO2_VOID) \
    FIDO2_VOID(eddsa_pk_free, (eddsa_pk_t **a), (a)) \
    FIDO2_CALL(int, eddsa_pk_from_ptr, (eddsa_pk_t *a, const void *b, size_t c), (a, b, c)) \
    FIDO2_CALL(eddsa_pk_t *, eddsa_pk_new, (void), ()) \
    FIDO2_VOID(es256_pk_free, (es256_pk_t **a), (a)) \
    FIDO2_CALL(int, es256_pk_from_ptr, (es256_pk_t *a, const void *b, size_t c), (a, b, c)) \
    FIDO2_CALL(es256_pk_t *, es256_pk_new, (void), ()) \
    FIDO2_CALL(int, fido_assert_allow_cred, (fido_assert_t *a, const unsigned char *b, size_t c), (a, b, c)) \
    FIDO2_CALL(size_t, fido_assert_authdata_len, (const fido_assert_t *a, size_t b), (a, b)) \
    FIDO2_CALL(const unsigned char *, fido_assert_authdata_ptr, (const fido_assert_t *a, size_t b), (a, b)) \
    FIDO2_CALL(size_t, fido_assert_count, (const fido_assert_t *a), (a)) \
    FIDO2_CALL(uint8_t, fido_assert_flags, (const fido_assert_t *a, size_t b), (a, b)) \
    FIDO2_VOID(fido_assert_free, (fido_assert_t **a), (a)) \
    FIDO2_CALL(size_t, fido_assert_id_len, (const fido_assert_t *a, size_t b), (a, b)) \
    FIDO2_CALL(const unsigned char *, fido_assert_id_ptr, (const fido_assert_t *a, size_t b), (a, b)) \
    FIDO2_CALL(fido_assert_t *, fido_assert_new, (void), ()) \
    FIDO2_CALL(int, fido_assert_set_clientdata_hash, (fido_assert_t *a, const unsigned char *b, size_t c), (a, b, c)) \
    FIDO2_CALL(int, fido_assert_set_rp, (fido_assert_t *a, const char *b), (a, b)) \
    FIDO2_CALL(int, fido_assert_set_up, (fido_assert_t *a, fido_opt_t b), (a, b)) \
    FIDO2_CALL(int, fido_assert_set_uv, (fido_assert_t *a, fido_opt_t b), (a, b)) \
    FIDO2_CALL(size_t, fido_assert_sig_len, (const fido_assert_t *a, size_t b), (a, b)) \
    FIDO2_CALL(const unsigned char *, fido_assert_sig_ptr, (const fido_assert_t *a, size_t b), (a, b)) \
    FIDO2_CALL(uint32_t, fido_assert_sigcount, (const fido_assert_t *a, size_t b), (a, b)) \
    FIDO2_CALL(int, fido_assert_verify, (const fido_assert_t *a, size_t b, int c, const void *d), (a, b, c, d)) \
    FIDO2_CALL(size_t, fido_cbor_info_aaguid_len, (const fido_cbor_info_t *a), (a)) \
    FIDO2_CALL(const unsigned char *, fido_cbor_info_aaguid_ptr, (const fido_cbor_info_t *a), (a)) \
    FIDO2_CALL(int, fido_cbor_info_algorithm_cose, (const fido_cbor_info_t *a, size_t b), (a, b)) \
    FIDO2_CALL(size_t, fido_cbor_info_algorithm_count, (const fido_cbor_info_t *a), (a)) \
    FIDO2_CALL(size_t, fido_cbor_info_extensions_len, (const fido_cbor_info_t *a), (a)) \
    FIDO2_CALL(char **, fido_cbor_info_extensions_ptr, (const fido_cbor_info_t *a), (a)) \
    FIDO2_VOID(fido_cbor_info_free, (fido_cbor_info_t **a), (a)) \
    FIDO2_CALL(fido_cbor_info_t *, fido_cbor_info_new, (void), ()) \
    FIDO2_CALL(size_t, fido_cbor_info_options_len, (const fido_cbor_info_t *a), (a)) \
    FIDO2_CALL(char **, fido_cbor_info_options_name_ptr, (const fido_cbor_info_t *a), (a)) \
    FIDO2_CALL(const bool *, fido_cbor_info_options_value_ptr, (const fido_cbor_info_t *a), (a)) \
    FIDO2_CALL(size_t, fido_cbor_info_versions_len, (const fido_cbor_info_t *a), (a)) \
    FIDO2_CALL(char **, fido_cbor_info_versions_ptr, (const fido_cbor_info_t *a), (a)) \
    FIDO2_CALL(size_t, fido_cred_aaguid_len, (const fido_cred_t *a), (a)) \
    FIDO2_CALL(const unsigned char *, fido_cred_aaguid_ptr, (const fido_cred_t *a), (a)) \
    FIDO2_CALL(size_t, fido_cred_attstmt_len, (const fido_cred_t *a), (a)) \
    FIDO2_CALL(const unsigned char *, fido_cred_attstmt_ptr, (const fido_cred_t *a), (a)) \
    FIDO2_CALL(size_t, fido_cred_authdata_len, (const fido_cred_t *a), (a)) \
    FIDO2_CALL(const unsigned char *, fido_cred_authdata_ptr, (const fido_cred_t *a), (a)) \
    FIDO2_CALL(size_t, fido_cred_authdata_raw_len, (const fido_cred_t *a), (a)) \
    FIDO2_CALL(const unsigned char *, fido_cred_authdata_raw_ptr, (const fido_cred_t *a), (a)) \
    FIDO2_CALL(int, fido_cred_exclude, (fido_cred_t *a, const unsigned char *b, size_t c), (a, b, c)) \
    FIDO2_CALL(uint8_t, fido_cred_flags, (const fido_cred_t *a), (a)) \
    FIDO2_CALL(const char *, fido_cred_fmt, (const fido_cred_t *a), (a)) \
    FIDO2_VOID(fido_cred_free, (fido_cred_t **a), (a)) \
    FIDO2_CALL(size_t, fido_cred_id_len, (const fido_cred_t *a), (a)) \
    FIDO2_CALL(const unsigned char *, fido_cred_id_ptr, (const fido_cred_t *a), (a)) \
    FIDO2_CALL(fido_cred_t *, fido_cred_new, (void), ()) \
    FIDO2_CALL(size_t, fido_cred_pubkey_len, (const fido_cred_t *a), (a)) \
    FIDO2_CALL(const unsigned char *, fido_cred_pubkey_ptr, (const fido_cred_t *a), (a)) \
    FIDO2_CALL(int, fido_cred_set_clientdata_hash, (fido_cred_t *a, const unsigned char *b, size_t c), (a, b, c)) \
    FIDO2_CALL(int, fido_cred_set_rk, (fido_cred_t *a, fido_opt_t b), (a, b)) \
    FIDO2_CALL(int, fido_cred_set_rp, (fido_cred_t *a, const char *b, const char *c), (a, b, c)) \
    FIDO2_CALL(int, fido_cred_set_type, (fido_cred_t *a, int b), (a, b)) \
    FIDO2_CALL(int, fido_cred_set_user, (fido_cred_t *a, const unsigned char *b, size_t c, const char *d, const char *e, const char *f), (a, b, c, d, e, f)) \
    FIDO2_CALL(int, fido_cred_set_uv, (fido_cred_t *a, fido_opt_t b), (a, b)) \
    FIDO2_CALL(size_t, fido_cred_sig_len, (const fido_cred_t *a), (a)) \
    FIDO2_CALL(const unsigned char *, fido_cred_sig_ptr, (const fido_cred_t *a), (a)) \
    FIDO2_CALL(uint32_t, fido_cred_sigcount, (const fido_cred_t *a), (a)) \
    FIDO2_CALL(int, fido_cred_verify, (const fido_cred_t *a), (a)) \
    FIDO2_CALL(int, fido_cred_verify_self, (const fido_cred_t *a), (a)) \
    FIDO2_CALL(size_t, fido_cred_x5c_len, (const fido_cred_t *a), (a)) \
    FIDO2_CALL(const unsigned char *, fido_cred_x5c_ptr, (const fido_cred_t *a), (a)) \
    FIDO2_CALL(int, fido_dev_cancel, (fido_dev_t *a), (a)) \
    FIDO2_CALL(int, fido_dev_close, (fido_dev_t *a), (a)) \
    FIDO2_VOID(fido_dev_free, (fido_dev_t **a), (a)) \
    FIDO2_CALL(int, fido_dev_get_assert, (fido_dev_t *a, fido_assert_t *b, const char *c), (a, b, c)) \
    FIDO2_CALL(int, fido_dev_get_cbor_info, (fido_dev_t *a, fido_cbor_info_t *b), (a, b)) \
    FIDO2_CALL(int, fido_dev_get_retry_count, (fido_dev_t *a, int *b), (a, b)) \
    FIDO2_CALL(int, fido_dev_get_touch_begin, (fido_dev_t *a), (a)) \
    FIDO2_CALL(int, fido_dev_get_touch_status, (fido_dev_t *a, int *b, int c), (a, b, c)) \
    FIDO2_CALL(bool, fido_dev_has_pin, (const fido_dev_t *a), (a)) \
    FIDO2_VOID(fido_dev_info_free, (fido_dev_info_t **a, size_t b), (a, b)) \
    FIDO2_CALL(int, fido_dev_info_manifest, (fido_dev_info_t *a, size_t b, size_t *c), (a, b, c)) \
    FIDO2_CALL(const char *, fido_dev_info_manufacturer_string, (const fido_dev_info_t *a), (a)) \
    FIDO2_CALL(fido_dev_info_t *, fido_dev_info_new, (size_t a), (a)) \
    FIDO2_CALL(const char *, fido_dev_info_path, (const fido_dev_info_t *a), (a)) \
    FIDO2_CALL(int16_t, fido_dev_info_product, (const fido_dev_info_t *a), (a)) \
    FIDO2_CALL(const char *, fido_dev_info_product_string, (const fido_dev_info_t *a), (a)) \
    FIDO2_CALL(const fido_dev_info_t *, fido_dev_info_ptr, (const fido_dev_info_t *a, size_t b), (a, b)) \
    FIDO2_CALL(int16_t, fido_dev_info_vendor, (const fido_dev_info_t *a), (a)) \
    FIDO2_CALL(bool, fido_dev_is_fido2, (const fido_dev_t *a), (a)) \
    FIDO2_CALL(int, fido_dev_make_cred, (fido_dev_t *a, fido_cred_t *b, const char *c), (a, b, c)) \
    FIDO2_CALL(fido_dev_t *, fido_dev_new, (void), ()) \
    FIDO2_CALL(int, fido_dev_open, (fido_dev_t *a, const char *b), (a, b)) \
    FIDO2_CALL(int, fido_dev_set_io_functions, (fido_dev_t *a, const fido_dev_io_t *b), (a, b)) \
    FIDO2_CALL(int, fido_dev_set_timeout, (fido_dev_t *a, int b), (a, b)) \
    FIDO2_VOID(fido_init, (int a), (a)) \
    FIDO2_CALL(const char *, fido_strerr, (int a), (a))

/* OpenSSL's certificate verifier for attestation chains (x509.c), from the libcrypto libfido2 links. */
#define CIAUTH_CRYPTO_FUNCTIONS(CRYPTO) \
    CRYPTO(BIO_free) CRYPTO(BIO_new_mem_buf) CRYPTO(ERR_clear_error) CRYPTO(PEM_read_bio_X509) \
    CRYPTO(X509_STORE_CTX_free) CRYPTO(X509_STORE_CTX_get_error) CRYPTO(X509_STORE_CTX_init) \
    CRYPTO(X509_STORE_CTX_new) CRYPTO(X509_STORE_add_cert) CRYPTO(X509_STORE_free) CRYPTO(X509_STORE_new) \
    CRYPTO(X509_STORE_set_flags) CRYPTO(X509_free) CRYPTO(X509_verify_cert) \
    CRYPTO(X509_verify_cert_error_string) CRYPTO(d2i_X509) \
    CRYPTO(OPENSSL_sk_new_null) CRYPTO(OPENSSL_sk_push) CRYPTO(OPENSSL_sk_pop_free)

#endif
