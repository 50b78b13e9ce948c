/*
 * A software security-key middleware for OpenSSH (sk-api, SSH_SK_VERSION_MAJOR 0x000a0000), for
 * tests only: it keeps the private key IN THE KEY HANDLE, so anyone holding the key file can sign.
 *
 * It signs exactly what an authenticator signs for OpenSSH (PROTOCOL.u2f):
 *   SHA256(application) || flags || counter (big-endian) || SHA256(data)
 * ECDSA P-256 over SHA-256 of those 69 bytes, Ed25519 over the bytes themselves.
 *
 * Environment (read at sign time): SK_TEST_FLAGS (authenticator flags, default 0x01 = user
 * present), SK_TEST_COUNTER (signature counter, default 42).
 *
 * Build: cc -shared -fPIC -Wno-deprecated-declarations -o provider.so sk-test-provider.c -lcrypto
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#define SSH_SK_VERSION_MAJOR 0x000a0000
#define SSH_SK_ECDSA 0x00
#define SSH_SK_ED25519 0x01
#define SSH_SK_ERR_GENERAL -1
#define SSH_SK_ERR_UNSUPPORTED -2

struct sk_enroll_response {
	uint8_t flags;
	uint8_t *public_key;
	size_t public_key_len;
	uint8_t *key_handle;
	size_t key_handle_len;
	uint8_t *signature;
	size_t signature_len;
	uint8_t *attestation_cert;
	size_t attestation_cert_len;
	uint8_t *authdata;
	size_t authdata_len;
};

struct sk_sign_response {
	uint8_t flags;
	uint32_t counter;
	uint8_t *sig_r;
	size_t sig_r_len;
	uint8_t *sig_s;
	size_t sig_s_len;
};

struct sk_resident_key;
struct sk_option;

uint32_t sk_api_version(void) { return SSH_SK_VERSION_MAJOR; }

static uint8_t *copy(const uint8_t *bytes, size_t len) {
	uint8_t *out = malloc(len);
	if (out != NULL) memcpy(out, bytes, len);
	return out;
}

/* P-256: handle = 32-byte private scalar, public key = 65-byte uncompressed point. */
static int enroll_ecdsa(struct sk_enroll_response *resp) {
	uint8_t point[65], scalar[32];
	int ok = -1;
	EC_KEY *key = EC_KEY_new_by_curve_name(NID_X9_62_prime256v1);
	if (key == NULL || EC_KEY_generate_key(key) != 1) goto out;
	if (EC_POINT_point2oct(EC_KEY_get0_group(key), EC_KEY_get0_public_key(key),
	    POINT_CONVERSION_UNCOMPRESSED, point, sizeof(point), NULL) != sizeof(point)) goto out;
	if (BN_bn2binpad(EC_KEY_get0_private_key(key), scalar, sizeof(scalar)) != sizeof(scalar)) goto out;
	resp->public_key = copy(point, sizeof(point));
	resp->public_key_len = sizeof(point);
	resp->key_handle = copy(scalar, sizeof(scalar));
	resp->key_handle_len = sizeof(scalar);
	ok = 0;
out:
	EC_KEY_free(key);
	return ok;
}

/* Ed25519: handle = 32-byte seed, public key = 32 bytes. */
static int enroll_ed25519(struct sk_enroll_response *resp) {
	uint8_t seed[32], pub[32];
	size_t pub_len = sizeof(pub);
	int ok = -1;
	if (RAND_bytes(seed, sizeof(seed)) != 1) return -1;
	EVP_PKEY *key = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, seed, sizeof(seed));
	if (key == NULL || EVP_PKEY_get_raw_public_key(key, pub, &pub_len) != 1) goto out;
	resp->public_key = copy(pub, sizeof(pub));
	resp->public_key_len = sizeof(pub);
	resp->key_handle = copy(seed, sizeof(seed));
	resp->key_handle_len = sizeof(seed);
	ok = 0;
out:
	EVP_PKEY_free(key);
	return ok;
}

int sk_enroll(uint32_t alg, const uint8_t *challenge, size_t challenge_len,
    const char *application, uint8_t flags, const char *pin,
    struct sk_option **options, struct sk_enroll_response **enroll_response) {
	(void)challenge; (void)challenge_len; (void)application; (void)pin; (void)options;
	struct sk_enroll_response *resp = calloc(1, sizeof(*resp));
	if (resp == NULL) return SSH_SK_ERR_GENERAL;
	resp->flags = flags;
	int ok = alg == SSH_SK_ECDSA ? enroll_ecdsa(resp) :
	    alg == SSH_SK_ED25519 ? enroll_ed25519(resp) : SSH_SK_ERR_UNSUPPORTED;
	if (ok != 0 || resp->public_key == NULL || resp->key_handle == NULL) {
		free(resp->public_key);
		free(resp->key_handle);
		free(resp);
		return ok == SSH_SK_ERR_UNSUPPORTED ? ok : SSH_SK_ERR_GENERAL;
	}
	*enroll_response = resp;
	return 0;
}

static unsigned long env_number(const char *name, unsigned long fallback) {
	const char *text = getenv(name);
	return text == NULL ? fallback : strtoul(text, NULL, 0);
}

static int sign_ecdsa(const uint8_t *message, size_t len, const uint8_t *handle, size_t handle_len,
    struct sk_sign_response *resp) {
	uint8_t digest[32];
	int ok = -1;
	ECDSA_SIG *sig = NULL;
	EC_KEY *key = EC_KEY_new_by_curve_name(NID_X9_62_prime256v1);
	BIGNUM *scalar = BN_bin2bn(handle, (int)handle_len, NULL);
	if (key == NULL || scalar == NULL || handle_len != 32 || EC_KEY_set_private_key(key, scalar) != 1) goto out;
	SHA256(message, len, digest);
	if ((sig = ECDSA_do_sign(digest, sizeof(digest), key)) == NULL) goto out;
	const BIGNUM *r, *s;
	ECDSA_SIG_get0(sig, &r, &s);
	resp->sig_r_len = (size_t)BN_num_bytes(r);
	resp->sig_s_len = (size_t)BN_num_bytes(s);
	resp->sig_r = malloc(resp->sig_r_len);
	resp->sig_s = malloc(resp->sig_s_len);
	if (resp->sig_r == NULL || resp->sig_s == NULL) goto out;
	BN_bn2bin(r, resp->sig_r);
	BN_bn2bin(s, resp->sig_s);
	ok = 0;
out:
	ECDSA_SIG_free(sig);
	BN_free(scalar);
	EC_KEY_free(key);
	return ok;
}

static int sign_ed25519(const uint8_t *message, size_t len, const uint8_t *handle, size_t handle_len,
    struct sk_sign_response *resp) {
	size_t sig_len = 64;
	int ok = -1;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY *key = handle_len == 32 ?
	    EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, handle, handle_len) : NULL;
	if (ctx == NULL || key == NULL || (resp->sig_r = malloc(sig_len)) == NULL) goto out;
	if (EVP_DigestSignInit(ctx, NULL, NULL, NULL, key) != 1 ||
	    EVP_DigestSign(ctx, resp->sig_r, &sig_len, message, len) != 1 || sig_len != 64) goto out;
	resp->sig_r_len = sig_len;
	ok = 0;
out:
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(key);
	return ok;
}

int sk_sign(uint32_t alg, const uint8_t *data, size_t data_len,
    const char *application, const uint8_t *key_handle, size_t key_handle_len,
    uint8_t flags, const char *pin, struct sk_option **options,
    struct sk_sign_response **sign_response) {
	(void)flags; (void)pin; (void)options;
	uint8_t message[69];
	struct sk_sign_response *resp = calloc(1, sizeof(*resp));
	if (resp == NULL) return SSH_SK_ERR_GENERAL;
	resp->flags = (uint8_t)env_number("SK_TEST_FLAGS", 0x01);
	resp->counter = (uint32_t)env_number("SK_TEST_COUNTER", 42);
	SHA256((const uint8_t *)application, strlen(application), message);
	message[32] = resp->flags;
	message[33] = (uint8_t)(resp->counter >> 24);
	message[34] = (uint8_t)(resp->counter >> 16);
	message[35] = (uint8_t)(resp->counter >> 8);
	message[36] = (uint8_t)resp->counter;
	SHA256(data, data_len, message + 37);
	int ok = alg == SSH_SK_ECDSA ? sign_ecdsa(message, sizeof(message), key_handle, key_handle_len, resp) :
	    alg == SSH_SK_ED25519 ? sign_ed25519(message, sizeof(message), key_handle, key_handle_len, resp) : -1;
	if (ok != 0) {
		free(resp->sig_r);
		free(resp->sig_s);
		free(resp);
		return SSH_SK_ERR_GENERAL;
	}
	*sign_response = resp;
	return 0;
}

int sk_load_resident_keys(const char *pin, struct sk_option **options,
    struct sk_resident_key ***rks, size_t *nrks) {
	(void)pin; (void)options; (void)rks; (void)nrks;
	return SSH_SK_ERR_UNSUPPORTED;
}
