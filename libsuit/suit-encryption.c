/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <gmp.h>
#include <nettle/aes.h>
#include <nettle/ctr.h>
#include <nettle/ecc-curve.h>
#include <nettle/ecc.h>
#include <nettle/gcm.h>
#include <nettle/hkdf.h>
#include <nettle/hmac.h>
#include <nettle/memops.h>
#include <nettle/nist-keywrap.h>
#include <string.h>

#include "suit-cbor-private.h"
#include "suit-encryption-private.h"
#include "suit-error.h"
#include "suit-gnutls-private.h"
#include "suit-key-private.h"
#include "suit-model-private.h"

#define SUIT_ENCRYPTION_TAG_COSE_ENCRYPT 96
#define SUIT_ENCRYPTION_CEK_SIZE	 16
#define SUIT_ENCRYPTION_WRAPPED_SIZE	 24
#define SUIT_ENCRYPTION_GCM_IV_SIZE	 12
#define SUIT_ENCRYPTION_GCM_TAG_SIZE	 16
#define SUIT_ENCRYPTION_CTR_IV_SIZE	 16
#define SUIT_ENCRYPTION_COORDINATE_SIZE	 32

/* COSE header labels */
#define SUIT_COSE_HDR_ALG	  1
#define SUIT_COSE_HDR_KID	  4
#define SUIT_COSE_HDR_IV	  5
#define SUIT_COSE_HDR_EPHEMERAL (-1)

static const guint8 suit_encryption_kw_iv[8] = {0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6, 0xa6};

/* a buffer for key material, wiped when it goes */
typedef struct {
	guint8 data[SUIT_ENCRYPTION_COORDINATE_SIZE];
} SuitSecret;

static void
suit_secret_free(SuitSecret *secret)
{
	gnutls_memset(secret, 0, sizeof(*secret));
	g_free(secret);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SuitSecret, suit_secret_free)

/* the decoded protected header: an empty bstr is an empty map */
static SuitCborItem *
suit_encryption_decode_protected(SuitCborItem *bstr, const gchar *what, GError **error)
{
	SuitCborLimits limits = {.max_depth = 4, .max_items = 64, .max_length = SUIT_ENCRYPTION_MAX_INFO_SIZE};
	g_autoptr(SuitCborItem) map = NULL;

	if (suit_cbor_item_get_type(bstr) != SUIT_CBOR_TYPE_BYTES) {
		suit_cbor_set_type_error(error, bstr, "%s protected header must be a byte string", what);
		return NULL;
	}
	if (g_bytes_get_size(suit_cbor_item_get_bytes(bstr)) == 0)
		return suit_cbor_item_new_map();
	map = suit_cbor_item_decode_wrapped(bstr, &limits, SUIT_PARSE_FLAG_NONE, error);
	if (map == NULL) {
		g_prefix_error(error, "%s protected header: ", what);
		return NULL;
	}
	if (suit_cbor_item_get_type(map) != SUIT_CBOR_TYPE_MAP) {
		suit_cbor_set_type_error(error, map, "%s protected header must be a map", what);
		return NULL;
	}
	return g_steal_pointer(&map);
}

/* the header @label from the protected or the unprotected map, never both */
static SuitCborItem *
suit_encryption_header(SuitCborItem *protected, SuitCborItem *unprotected, gint64 label, const gchar *what, GError **error)
{
	SuitCborItem *a = suit_cbor_map_lookup_int(protected, label);
	SuitCborItem *b = suit_cbor_map_lookup_int(unprotected, label);
	if (a != NULL && b != NULL) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "%s header %" G_GINT64_FORMAT " is both protected and unprotected",
			    what,
			    label);
		return NULL;
	}
	if (a == NULL && b == NULL) {
		g_set_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "%s header %" G_GINT64_FORMAT " is missing", what, label);
		return NULL;
	}
	return a != NULL ? a : b;
}

static gboolean
suit_encryption_header_alg(SuitCborItem *protected, SuitCborItem *unprotected, const gchar *what, gint64 *alg, GError **error)
{
	SuitCborItem *item = suit_encryption_header(protected, unprotected, SUIT_COSE_HDR_ALG, what, error);
	if (item == NULL)
		return FALSE;
	if (!suit_cbor_item_get_int(item, alg)) {
		suit_cbor_set_type_error(error, item, "%s algorithm must be an integer", what);
		return FALSE;
	}
	return TRUE;
}

GBytes *
suit_encryption_kdf_context(GBytes *recipient_protected)
{
	g_autoptr(SuitCborItem) context = suit_cbor_item_new_array();
	SuitCborItem *supp_pub = suit_cbor_item_new_array();

	suit_cbor_array_append(context, suit_cbor_item_new_int(SUIT_ENCRYPTION_ALG_A128KW));
	for (guint i = 0; i < 2; i++) {
		SuitCborItem *party = suit_cbor_item_new_array();
		for (guint j = 0; j < 3; j++)
			suit_cbor_array_append(party, suit_cbor_item_new_null());
		suit_cbor_array_append(context, party);
	}
	suit_cbor_array_append(supp_pub, suit_cbor_item_new_uint(SUIT_ENCRYPTION_CEK_SIZE * 8));
	suit_cbor_array_append(supp_pub, suit_cbor_item_new_bytes(recipient_protected));
	/* 'SUIT Payload Encryption' in diagnostic notation: a byte string */
	suit_cbor_array_append(supp_pub, suit_cbor_item_new_bytes_data((const guint8 *)"SUIT Payload Encryption", 23));
	suit_cbor_array_append(context, supp_pub);
	return suit_cbor_encode(context);
}

/* AES-KW unwrap of the CEK; FALSE if the integrity check fails */
static gboolean
suit_encryption_unwrap(const guint8 *kek, GBytes *wrapped, guint8 *cek)
{
	struct aes128_ctx ctx;
	gboolean ok;
	ok = aes128_keyunwrap((aes128_set_decrypt_key(&ctx, kek), &ctx),
			      suit_encryption_kw_iv,
			      SUIT_ENCRYPTION_CEK_SIZE,
			      cek,
			      g_bytes_get_data(wrapped, NULL)) == 1;
	gnutls_memset(&ctx, 0, sizeof(ctx));
	if (!ok)
		gnutls_memset(cek, 0, SUIT_ENCRYPTION_CEK_SIZE);
	return ok;
}

/* a coordinate of the ephemeral COSE_Key (transfer none) */
static const guint8 *
suit_encryption_coordinate(SuitCborItem *cose_key, gint64 label, GError **error)
{
	SuitCborItem *item = suit_cbor_map_lookup_int(cose_key, label);
	if (item == NULL || suit_cbor_item_get_type(item) != SUIT_CBOR_TYPE_BYTES ||
	    g_bytes_get_size(suit_cbor_item_get_bytes(item)) != SUIT_ENCRYPTION_COORDINATE_SIZE) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "ephemeral key coordinate %" G_GINT64_FORMAT " must be a %u-byte string",
			    label,
			    (guint)SUIT_ENCRYPTION_COORDINATE_SIZE);
		return NULL;
	}
	return g_bytes_get_data(suit_cbor_item_get_bytes(item), NULL);
}

/* the nettle and GMP state of one ECDH computation, wiped when it goes */
typedef struct {
	struct ecc_point point;
	struct ecc_point shared;
	struct ecc_scalar d;
	mpz_t x, y, k;
} SuitEcdh;

static SuitEcdh *
suit_ecdh_new(void)
{
	const struct ecc_curve *curve = nettle_get_secp_256r1();
	SuitEcdh *ecdh = g_new0(SuitEcdh, 1);
	mpz_inits(ecdh->x, ecdh->y, ecdh->k, NULL);
	ecc_point_init(&ecdh->point, curve);
	ecc_point_init(&ecdh->shared, curve);
	ecc_scalar_init(&ecdh->d, curve);
	return ecdh;
}

static void
suit_mpz_wipe(mpz_t value)
{
	gsize n = mpz_size(value);
	if (n > 0)
		gnutls_memset(mpz_limbs_write(value, n), 0, n * sizeof(mp_limb_t));
	mpz_limbs_finish(value, 0);
}

static void
suit_ecdh_free(SuitEcdh *ecdh)
{
	gsize limbs = ecc_size(nettle_get_secp_256r1());
	/* ecc_scalar_clear and mpz_clear free without wiping */
	suit_mpz_wipe(ecdh->k);
	suit_mpz_wipe(ecdh->x);
	gnutls_memset(ecdh->d.p, 0, limbs * sizeof(mp_limb_t));
	gnutls_memset(ecdh->shared.p, 0, 2 * limbs * sizeof(mp_limb_t));
	ecc_scalar_clear(&ecdh->d);
	ecc_point_clear(&ecdh->shared);
	ecc_point_clear(&ecdh->point);
	mpz_clears(ecdh->x, ecdh->y, ecdh->k, NULL);
	g_free(ecdh);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SuitEcdh, suit_ecdh_free)

/* Z = the x-coordinate of d * P, where P is the ephemeral public key */
static gboolean
suit_encryption_ecdh(SuitCborItem *cose_key, SuitKey *key, guint8 *z, GError **error)
{
	g_autoptr(SuitSecret) scalar = g_new0(SuitSecret, 1);
	g_autoptr(SuitEcdh) ecdh = NULL;
	const guint8 *x;
	const guint8 *y;
	gint64 kty = 0;
	gint64 crv = 0;
	gsize count = 0;

	if (suit_cbor_item_get_type(cose_key) != SUIT_CBOR_TYPE_MAP ||
	    !suit_cbor_item_get_int(suit_cbor_map_lookup_int(cose_key, 1), &kty) || kty != 2 ||
	    !suit_cbor_item_get_int(suit_cbor_map_lookup_int(cose_key, -1), &crv) || crv != 1) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_UNSUPPORTED_ALGORITHM,
				    "the ephemeral key must be an EC2 P-256 COSE_Key");
		return FALSE;
	}
	x = suit_encryption_coordinate(cose_key, -2, error);
	if (x == NULL)
		return FALSE;
	y = suit_encryption_coordinate(cose_key, -3, error);
	if (y == NULL)
		return FALSE;
	if (!suit_key_export_p256_scalar(key, scalar->data, error))
		return FALSE;

	ecdh = suit_ecdh_new();
	mpz_import(ecdh->x, SUIT_ENCRYPTION_COORDINATE_SIZE, 1, 1, 1, 0, x);
	mpz_import(ecdh->y, SUIT_ENCRYPTION_COORDINATE_SIZE, 1, 1, 1, 0, y);
	/* ecc_point_set checks that the point is on the curve */
	if (!ecc_point_set(&ecdh->point, ecdh->x, ecdh->y)) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "the ephemeral key is not on the P-256 curve");
		return FALSE;
	}
	mpz_import(ecdh->k, SUIT_KEY_P256_SCALAR_SIZE, 1, 1, 1, 0, scalar->data);
	if (!ecc_scalar_set(&ecdh->d, ecdh->k)) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "the private key is out of range");
		return FALSE;
	}
	ecc_point_mul(&ecdh->shared, &ecdh->d, &ecdh->point);
	ecc_point_get(&ecdh->shared, ecdh->x, NULL);
	/* x < p < 2^256, so at most 32 bytes: export right-aligned */
	memset(z, 0, SUIT_ENCRYPTION_COORDINATE_SIZE);
	if (mpz_sgn(ecdh->x) != 0) {
		gsize len = (mpz_sizeinbase(ecdh->x, 2) + 7) / 8;
		if (len > SUIT_ENCRYPTION_COORDINATE_SIZE) {
			g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INTERNAL, "shared secret out of range");
			return FALSE;
		}
		mpz_export(z + SUIT_ENCRYPTION_COORDINATE_SIZE - len, &count, 1, 1, 1, 0, ecdh->x);
	}
	return TRUE;
}

/* KEK = HKDF-SHA-256(salt empty, IKM Z, info COSE_KDF_Context, 16 bytes) */
static void
suit_encryption_hkdf(const guint8 *z, GBytes *info, guint8 *kek)
{
	struct hmac_sha256_ctx ctx;
	guint8 prk[SHA256_DIGEST_SIZE];
	hmac_sha256_set_key(&ctx, 0, (const guint8 *)"");
	hkdf_extract(&ctx,
		     (nettle_hash_update_func *)hmac_sha256_update,
		     (nettle_hash_digest_func *)hmac_sha256_digest,
		     SHA256_DIGEST_SIZE,
		     SUIT_ENCRYPTION_COORDINATE_SIZE,
		     z,
		     prk);
	hmac_sha256_set_key(&ctx, SHA256_DIGEST_SIZE, prk);
	hkdf_expand(&ctx,
		    (nettle_hash_update_func *)hmac_sha256_update,
		    (nettle_hash_digest_func *)hmac_sha256_digest,
		    SHA256_DIGEST_SIZE,
		    g_bytes_get_size(info),
		    g_bytes_get_data(info, NULL),
		    SUIT_ENCRYPTION_CEK_SIZE,
		    kek);
	gnutls_memset(prk, 0, sizeof(prk));
	gnutls_memset(&ctx, 0, sizeof(ctx));
}

typedef enum {
	SUIT_ENCRYPTION_TRY_SKIPPED, /* the key does not fit the recipient */
	SUIT_ENCRYPTION_TRY_FAILED,  /* it fits, but does not unwrap the CEK */
	SUIT_ENCRYPTION_TRY_OK,
} SuitEncryptionTry;

/* one recipient with one key; a hard error (malformed recipient) returns FALSE */
static gboolean
suit_encryption_try_key(gint64 alg,
			SuitCborItem *recipient,
			SuitCborItem *unprotected,
			GBytes *kid,
			GBytes *wrapped,
			SuitKey *key,
			guint8 *cek,
			SuitEncryptionTry *result,
			GError **error)
{
	GBytes *key_id = suit_key_get_key_id(key);
	*result = SUIT_ENCRYPTION_TRY_SKIPPED;

	if (kid != NULL && key_id != NULL && !g_bytes_equal(kid, key_id))
		return TRUE;
	if (alg == SUIT_ENCRYPTION_ALG_A128KW) {
		gsize len = 0;
		const guint8 *secret = suit_key_peek_secret(key, &len);
		if (secret == NULL || len != SUIT_ENCRYPTION_CEK_SIZE)
			return TRUE;
		*result = suit_encryption_unwrap(secret, wrapped, cek) ? SUIT_ENCRYPTION_TRY_OK : SUIT_ENCRYPTION_TRY_FAILED;
		return TRUE;
	}
	/* ECDH-ES+A128KW */
	if (suit_key_get_key_type(key) == SUIT_KEY_TYPE_P256) {
		g_autoptr(SuitSecret) z = g_new0(SuitSecret, 1);
		g_autoptr(SuitSecret) kek = g_new0(SuitSecret, 1);
		g_autoptr(GBytes) info = NULL;
		g_autoptr(GError) error_local = NULL;
		SuitCborItem *cose_key = suit_cbor_map_lookup_int(unprotected, SUIT_COSE_HDR_EPHEMERAL);

		if (cose_key == NULL) {
			g_set_error_literal(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_DATA,
					    "ECDH-ES recipient has no ephemeral key");
			return FALSE;
		}
		if (!suit_encryption_ecdh(cose_key, key, z->data, &error_local)) {
			/* a public-only or token key just does not fit */
			if (g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED))
				return TRUE;
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
		info = suit_encryption_kdf_context(suit_cbor_item_get_bytes(suit_cbor_array_get(recipient, 0)));
		suit_encryption_hkdf(z->data, info, kek->data);
		*result = suit_encryption_unwrap(kek->data, wrapped, cek) ? SUIT_ENCRYPTION_TRY_OK
									  : SUIT_ENCRYPTION_TRY_FAILED;
	}
	return TRUE;
}

/* recovers the CEK from the recipients with one of @keys */
static gboolean
suit_encryption_recover_cek(SuitCborItem *recipients, GPtrArray *keys, guint8 *cek, GError **error)
{
	guint n = suit_cbor_item_get_length(recipients);
	gboolean any_supported = FALSE;
	gboolean any_tried = FALSE;
	g_autofree gchar *kid_hint = NULL;

	if (suit_cbor_item_get_type(recipients) != SUIT_CBOR_TYPE_ARRAY || n == 0) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "COSE_Encrypt needs at least one recipient");
		return FALSE;
	}
	if (n > SUIT_ENCRYPTION_MAX_RECIPIENTS) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_LIMIT_EXCEEDED,
			    "more than %u recipients",
			    (guint)SUIT_ENCRYPTION_MAX_RECIPIENTS);
		return FALSE;
	}
	for (guint i = 0; i < n; i++) {
		SuitCborItem *recipient = suit_cbor_array_get(recipients, i);
		SuitCborItem *unprotected;
		SuitCborItem *wrapped;
		SuitCborItem *kid_item;
		g_autoptr(SuitCborItem) protected = NULL;
		GBytes *kid = NULL;
		gint64 alg = 0;

		if (suit_cbor_item_get_type(recipient) != SUIT_CBOR_TYPE_ARRAY || suit_cbor_item_get_length(recipient) != 3) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "recipient %u must be [protected, unprotected, ciphertext]",
				    i);
			return FALSE;
		}
		protected = suit_encryption_decode_protected(suit_cbor_array_get(recipient, 0), "recipient", error);
		if (protected == NULL)
			return FALSE;
		unprotected = suit_cbor_array_get(recipient, 1);
		wrapped = suit_cbor_array_get(recipient, 2);
		if (suit_cbor_item_get_type(unprotected) != SUIT_CBOR_TYPE_MAP) {
			suit_cbor_set_type_error(error, unprotected, "recipient %u unprotected header must be a map", i);
			return FALSE;
		}
		if (!suit_encryption_header_alg(protected, unprotected, "recipient", &alg, error))
			return FALSE;
		if (alg != SUIT_ENCRYPTION_ALG_A128KW && alg != SUIT_ENCRYPTION_ALG_ECDH_ES_A128KW)
			continue;
		any_supported = TRUE;
		/* A128KW has nothing to protect: RFC 9053 §6.2.1 wants it empty */
		if (alg == SUIT_ENCRYPTION_ALG_A128KW && suit_cbor_item_get_length(protected) != 0) {
			g_set_error_literal(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_DATA,
					    "A128KW recipient protected header must be empty");
			return FALSE;
		}
		if (suit_cbor_item_get_type(wrapped) != SUIT_CBOR_TYPE_BYTES ||
		    g_bytes_get_size(suit_cbor_item_get_bytes(wrapped)) != SUIT_ENCRYPTION_WRAPPED_SIZE) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "recipient %u ciphertext must be a %u-byte wrapped key",
				    i,
				    (guint)SUIT_ENCRYPTION_WRAPPED_SIZE);
			return FALSE;
		}
		kid_item = suit_cbor_map_lookup_int(unprotected, SUIT_COSE_HDR_KID);
		if (kid_item == NULL)
			kid_item = suit_cbor_map_lookup_int(protected, SUIT_COSE_HDR_KID);
		if (kid_item != NULL) {
			if (suit_cbor_item_get_type(kid_item) != SUIT_CBOR_TYPE_BYTES) {
				suit_cbor_set_type_error(error, kid_item, "recipient %u kid must be a byte string", i);
				return FALSE;
			}
			kid = suit_cbor_item_get_bytes(kid_item);
			if (kid_hint == NULL)
				kid_hint = suit_hex_encode(kid);
		}
		for (guint j = 0; keys != NULL && j < keys->len; j++) {
			SuitEncryptionTry result = SUIT_ENCRYPTION_TRY_SKIPPED;
			if (!suit_encryption_try_key(alg,
						     recipient,
						     unprotected,
						     kid,
						     suit_cbor_item_get_bytes(wrapped),
						     g_ptr_array_index(keys, j),
						     cek,
						     &result,
						     error))
				return FALSE;
			if (result == SUIT_ENCRYPTION_TRY_OK)
				return TRUE;
			if (result == SUIT_ENCRYPTION_TRY_FAILED)
				any_tried = TRUE;
		}
	}
	if (!any_supported) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_UNSUPPORTED_ALGORITHM,
				    "no recipient uses a supported key distribution algorithm");
		return FALSE;
	}
	if (any_tried) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID, "decryption failed: cannot unwrap the content key");
		return FALSE;
	}
	g_set_error(error,
		    SUIT_ERROR,
		    SUIT_ERROR_NOT_FOUND,
		    "no decryption key for recipient%s%s",
		    kid_hint != NULL ? " kid " : "",
		    kid_hint != NULL ? kid_hint : "");
	return FALSE;
}

static GBytes *
suit_encryption_gcm(const guint8 *cek, GBytes *iv, GBytes *protected, GBytes *ciphertext, GError **error)
{
	struct gcm_aes128_ctx ctx;
	g_autoptr(SuitCborItem) enc = suit_cbor_item_new_array();
	g_autoptr(GBytes) aad = NULL;
	g_autofree guint8 *plaintext = NULL;
	guint8 tag[SUIT_ENCRYPTION_GCM_TAG_SIZE];
	const guint8 *data;
	gsize len = 0;
	gboolean ok;

	data = g_bytes_get_data(ciphertext, &len);
	if (len < SUIT_ENCRYPTION_GCM_TAG_SIZE) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "A128GCM ciphertext is shorter than its tag");
		return NULL;
	}
	len -= SUIT_ENCRYPTION_GCM_TAG_SIZE;

	/* Enc_structure = ["Encrypt", protected, external_aad h''] */
	suit_cbor_array_append(enc, suit_cbor_item_new_text("Encrypt"));
	suit_cbor_array_append(enc, suit_cbor_item_new_bytes(protected));
	suit_cbor_array_append(enc, suit_cbor_item_new_bytes_data(NULL, 0));
	aad = suit_cbor_encode(enc);

	plaintext = g_malloc(MAX(len, 1));
	gcm_aes128_set_key(&ctx, cek);
	gcm_aes128_set_iv(&ctx, SUIT_ENCRYPTION_GCM_IV_SIZE, g_bytes_get_data(iv, NULL));
	gcm_aes128_update(&ctx, g_bytes_get_size(aad), g_bytes_get_data(aad, NULL));
	gcm_aes128_decrypt(&ctx, len, plaintext, data);
	gcm_aes128_digest(&ctx, sizeof(tag), tag);
	ok = memeql_sec(tag, data + len, sizeof(tag));
	gnutls_memset(&ctx, 0, sizeof(ctx));
	if (!ok) {
		gnutls_memset(plaintext, 0, len);
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID, "decryption failed: the A128GCM tag does not match");
		return NULL;
	}
	return g_bytes_new_take(g_steal_pointer(&plaintext), len);
}

static GBytes *
suit_encryption_ctr(const guint8 *cek, GBytes *iv, GBytes *ciphertext)
{
	struct aes128_ctx ctx;
	guint8 counter[SUIT_ENCRYPTION_CTR_IV_SIZE];
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(ciphertext, &len);
	guint8 *plaintext = g_malloc(MAX(len, 1));

	memcpy(counter, g_bytes_get_data(iv, NULL), sizeof(counter));
	aes128_set_encrypt_key(&ctx, cek);
	ctr_crypt(&ctx, (nettle_cipher_func *)aes128_encrypt, AES_BLOCK_SIZE, counter, len, plaintext, data);
	gnutls_memset(&ctx, 0, sizeof(ctx));
	return g_bytes_new_take(plaintext, len);
}

GBytes *
suit_encryption_decrypt(GBytes *info, GBytes *ciphertext, GPtrArray *keys, GError **error)
{
	SuitCborLimits limits = {.max_depth = 8, .max_items = 512, .max_length = SUIT_ENCRYPTION_MAX_INFO_SIZE};
	g_autoptr(SuitCborItem) root = NULL;
	g_autoptr(SuitCborItem) protected = NULL;
	g_autoptr(SuitSecret) cek = g_new0(SuitSecret, 1);
	SuitCborItem *encrypt;
	SuitCborItem *unprotected;
	SuitCborItem *iv_item;
	GBytes *iv;
	gsize iv_size;
	gint64 alg = 0;

	g_return_val_if_fail(info != NULL, NULL);
	g_return_val_if_fail(ciphertext != NULL, NULL);

	if (g_bytes_get_size(info) > SUIT_ENCRYPTION_MAX_INFO_SIZE) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_LIMIT_EXCEEDED,
			    "encryption info is larger than %u bytes",
			    (guint)SUIT_ENCRYPTION_MAX_INFO_SIZE);
		return NULL;
	}
	if (g_bytes_get_size(ciphertext) > SUIT_ENCRYPTION_MAX_CIPHERTEXT_SIZE) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_LIMIT_EXCEEDED,
			    "encrypted payload is larger than %u bytes",
			    (guint)SUIT_ENCRYPTION_MAX_CIPHERTEXT_SIZE);
		return NULL;
	}
	root = suit_cbor_decode(info, &limits, SUIT_PARSE_FLAG_NONE, error);
	if (root == NULL) {
		g_prefix_error(error, "encryption info: ");
		return NULL;
	}
	if (suit_cbor_item_get_type(root) != SUIT_CBOR_TYPE_TAG ||
	    suit_cbor_item_get_u64(root) != SUIT_ENCRYPTION_TAG_COSE_ENCRYPT) {
		suit_cbor_set_type_error(error, root, "encryption info must be a COSE_Encrypt (tag 96)");
		return NULL;
	}
	encrypt = suit_cbor_tag_get_content(root);
	if (suit_cbor_item_get_type(encrypt) != SUIT_CBOR_TYPE_ARRAY || suit_cbor_item_get_length(encrypt) != 4) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "COSE_Encrypt must be [protected, unprotected, ciphertext, recipients]");
		return NULL;
	}
	protected = suit_encryption_decode_protected(suit_cbor_array_get(encrypt, 0), "COSE_Encrypt", error);
	if (protected == NULL)
		return NULL;
	unprotected = suit_cbor_array_get(encrypt, 1);
	if (suit_cbor_item_get_type(unprotected) != SUIT_CBOR_TYPE_MAP) {
		suit_cbor_set_type_error(error, unprotected, "COSE_Encrypt unprotected header must be a map");
		return NULL;
	}
	if (suit_cbor_item_get_type(suit_cbor_array_get(encrypt, 2)) != SUIT_CBOR_TYPE_NULL) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "COSE_Encrypt ciphertext must be detached (nil)");
		return NULL;
	}
	if (!suit_encryption_header_alg(protected, unprotected, "COSE_Encrypt", &alg, error))
		return NULL;
	if (alg == SUIT_ENCRYPTION_ALG_A128GCM) {
		iv_size = SUIT_ENCRYPTION_GCM_IV_SIZE;
	} else if (alg == SUIT_ENCRYPTION_ALG_A128CTR) {
		/* no integrity, so nothing may claim protection */
		if (suit_cbor_item_get_length(protected) != 0 ||
		    g_bytes_get_size(suit_cbor_item_get_bytes(suit_cbor_array_get(encrypt, 0))) != 0) {
			g_set_error_literal(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_DATA,
					    "A128CTR requires an empty protected header");
			return NULL;
		}
		iv_size = SUIT_ENCRYPTION_CTR_IV_SIZE;
	} else {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_UNSUPPORTED_ALGORITHM,
			    "content encryption algorithm %" G_GINT64_FORMAT " is not supported",
			    alg);
		return NULL;
	}
	iv_item = suit_encryption_header(protected, unprotected, SUIT_COSE_HDR_IV, "COSE_Encrypt", error);
	if (iv_item == NULL)
		return NULL;
	iv = suit_cbor_item_get_bytes(iv_item);
	if (suit_cbor_item_get_type(iv_item) != SUIT_CBOR_TYPE_BYTES || g_bytes_get_size(iv) != iv_size) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "IV must be a %" G_GSIZE_FORMAT "-byte string",
			    iv_size);
		return NULL;
	}
	if (!suit_encryption_recover_cek(suit_cbor_array_get(encrypt, 3), keys, cek->data, error))
		return NULL;
	if (alg == SUIT_ENCRYPTION_ALG_A128GCM)
		return suit_encryption_gcm(cek->data,
					   iv,
					   suit_cbor_item_get_bytes(suit_cbor_array_get(encrypt, 0)),
					   ciphertext,
					   error);
	return suit_encryption_ctr(cek->data, iv, ciphertext);
}
