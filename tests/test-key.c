/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>
#include <gnutls/x509.h>

#include "suit-test-common.h"

/* RFC 8032 §7.1 TEST 1: the signature of the empty message */
#define RFC8032_TEST1_SIGNATURE                                                                                        \
	"e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24" \
	"655141438e7a100b"
#define RFC8032_TEST1_PUBLIC "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"

/* the draft-ietf-suit-manifest App. B P-256 key */
#define DRAFT_P256_X "8496811aae0baaabd26157189eecda26beaa8bf11b6f3fe6e2b5659c85dbc0ad"
#define DRAFT_P256_Y "3b1f2a4b6c098131c0a36dacd1d78bd381dcdfb09c052db33991db7338b4a896"

/* RFC 9679 thumbprint of keys/esdh-recipient-p256-kid-2: the kid of the report vector */
#define ESDH_RECIPIENT_THUMBPRINT "e96788b10b1610abe478f9ce8dcfe2304c0911dd8cfeadde25ec30ccb5a7b5af"

static const gchar *vector_pem_keys[] = {
    "keys/suit-draft-p256",
    "keys/ed25519-rfc8032-test1",
    "keys/nordic-suit-generator-test-p256",
    "keys/esdh-recipient-p256-kid-2",
    "keys/enc-dependency-signer-p256",
};

static GBytes *
suit_test_sha256(GBytes *data)
{
	g_autoptr(GChecksum) checksum = g_checksum_new(G_CHECKSUM_SHA256);
	guint8 digest[32];
	gsize len = sizeof(digest);
	g_checksum_update(checksum, g_bytes_get_data(data, NULL), g_bytes_get_size(data));
	g_checksum_get_digest(checksum, digest, &len);
	return g_bytes_new(digest, len);
}

static void
suit_test_assert_bytes_hex(GBytes *bytes, const gchar *hex)
{
	g_autofree gchar *str = suit_test_bytes_to_hex(bytes);
	g_assert_cmpstr(str, ==, hex);
}

static SuitKey *
suit_test_load_key(const gchar *base, const gchar *suffix)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *relpath = g_strdup_printf("%s.%s.pem", base, suffix);
	g_autoptr(GBytes) pem = suit_test_load_vector(relpath);
	SuitKey *key = suit_key_new_from_pem(pem, &error);
	g_assert_no_error(error);
	g_assert_nonnull(key);
	return key;
}

/* signs and verifies some data with every algorithm the key supports */
static void
suit_test_sign_verify(SuitKey *key, SuitCoseAlgorithm algorithm, gsize expected_len)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) data = g_bytes_new_static("hello suit", 10);
	g_autoptr(GBytes) other = g_bytes_new_static("hello suiT", 10);
	g_autoptr(GBytes) signature = NULL;
	g_autoptr(GBytes) flipped = NULL;
	gboolean ret;

	signature = suit_key_sign(key, algorithm, data, &error);
	g_assert_no_error(error);
	g_assert_nonnull(signature);
	g_assert_cmpuint(g_bytes_get_size(signature), ==, expected_len);

	ret = suit_key_verify(key, algorithm, data, signature, &error);
	g_assert_no_error(error);
	g_assert_true(ret);

	ret = suit_key_verify(key, algorithm, other, signature, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
	g_assert_false(ret);
	g_clear_error(&error);

	flipped = suit_test_bytes_flip(signature, expected_len - 1, 0x01);
	ret = suit_key_verify(key, algorithm, data, flipped, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
	g_assert_false(ret);
}

/* a new key pair of @key_type that signs with @default_algorithm unless told otherwise */
static SuitKey *
suit_test_generate_key(SuitKeyType key_type, SuitCoseAlgorithm default_algorithm)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitKey) key = suit_key_generate(key_type, &error);
	g_assert_no_error(error);
	g_assert_nonnull(key);
	g_assert_cmpint(suit_key_get_key_type(key), ==, key_type);
	g_assert_true(suit_key_has_private(key));
	g_assert_cmpint(suit_key_get_default_algorithm(key), ==, default_algorithm);
	return g_steal_pointer(&key);
}

/* signs @data with two algorithms that are the same computation; returns the first signature */
static GBytes *
suit_test_sign_same(SuitKey *key, SuitCoseAlgorithm algorithm1, SuitCoseAlgorithm algorithm2, GBytes *data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) sig1 = suit_key_sign(key, algorithm1, data, &error);
	g_autoptr(GBytes) sig2 = NULL;
	g_assert_no_error(error);
	sig2 = suit_key_sign(key, algorithm2, data, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(sig1, sig2));
	return g_steal_pointer(&sig1);
}

/* signing @data with @algorithm fails with @code */
static void
suit_test_sign_fails(SuitKey *key, SuitCoseAlgorithm algorithm, GBytes *data, gint code)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) signature = suit_key_sign(key, algorithm, data, &error);
	g_assert_error(error, SUIT_ERROR, code);
	g_assert_null(signature);
}

/* @priv signs with its default algorithm, and @pub verifies that with its own */
static void
suit_test_signs_for(SuitKey *priv, SuitKey *pub, GBytes *data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) signature = suit_key_sign(priv, suit_key_get_default_algorithm(priv), data, &error);
	g_assert_no_error(error);
	g_assert_true(suit_key_verify(pub, suit_key_get_default_algorithm(pub), data, signature, &error));
	g_assert_no_error(error);
}

static void
test_key_generate_p256(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitKey) key = suit_test_generate_key(SUIT_KEY_TYPE_P256, SUIT_COSE_ALGORITHM_ESP256);
	g_autoptr(GBytes) data = g_bytes_new_static("abc", 3);
	g_autoptr(GBytes) sig1 = NULL;

	g_assert_true(suit_key_supports_algorithm(key, SUIT_COSE_ALGORITHM_ES256));
	g_assert_true(suit_key_supports_algorithm(key, SUIT_COSE_ALGORITHM_ESP256));
	g_assert_false(suit_key_supports_algorithm(key, SUIT_COSE_ALGORITHM_EDDSA));
	g_assert_false(suit_key_supports_algorithm(key, SUIT_COSE_ALGORITHM_ED25519));
	g_assert_false(suit_key_supports_algorithm(key, SUIT_COSE_ALGORITHM_HMAC_256));
	g_assert_false(suit_key_supports_algorithm(key, SUIT_COSE_ALGORITHM_NONE));
	g_assert_null(suit_key_get_key_id(key));

	suit_test_sign_verify(key, SUIT_COSE_ALGORITHM_ES256, 64);
	suit_test_sign_verify(key, SUIT_COSE_ALGORITHM_ESP256, 64);

	/* many signatures, so that short r and s values get padded and verified too */
	for (guint i = 0; i < 200; i++) {
		g_autoptr(GBytes) msg = g_bytes_new(&i, sizeof(i));
		g_autoptr(GBytes) sig = suit_key_sign(key, SUIT_COSE_ALGORITHM_ES256, msg, &error);
		g_assert_no_error(error);
		g_assert_cmpuint(g_bytes_get_size(sig), ==, 64);
		g_assert_true(suit_key_verify(key, SUIT_COSE_ALGORITHM_ESP256, msg, sig, &error));
		g_assert_no_error(error);
	}

	/* ES256 and ESP256 are the same computation (RFC 6979 makes it repeatable) */
	sig1 = suit_test_sign_same(key, SUIT_COSE_ALGORITHM_ES256, SUIT_COSE_ALGORITHM_ESP256, data);

	/* wrong algorithm for the key */
	suit_test_sign_fails(key, SUIT_COSE_ALGORITHM_EDDSA, data, SUIT_ERROR_UNSUPPORTED_ALGORITHM);
	suit_test_sign_fails(key, SUIT_COSE_ALGORITHM_HMAC_256, data, SUIT_ERROR_UNSUPPORTED_ALGORITHM);
	g_assert_false(suit_key_verify(key, SUIT_COSE_ALGORITHM_ED25519, data, sig1, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_UNSUPPORTED_ALGORITHM);
}

static void
test_key_generate_ed25519(void)
{
	g_autoptr(SuitKey) key = suit_test_generate_key(SUIT_KEY_TYPE_ED25519, SUIT_COSE_ALGORITHM_ED25519);
	g_autoptr(GBytes) data = g_bytes_new_static("abc", 3);
	g_autoptr(GBytes) sig1 = NULL;

	g_assert_true(suit_key_supports_algorithm(key, SUIT_COSE_ALGORITHM_EDDSA));
	g_assert_true(suit_key_supports_algorithm(key, SUIT_COSE_ALGORITHM_ED25519));
	g_assert_false(suit_key_supports_algorithm(key, SUIT_COSE_ALGORITHM_ES256));
	g_assert_false(suit_key_supports_algorithm(key, SUIT_COSE_ALGORITHM_ESP256));
	g_assert_false(suit_key_supports_algorithm(key, SUIT_COSE_ALGORITHM_HMAC_256));

	suit_test_sign_verify(key, SUIT_COSE_ALGORITHM_EDDSA, 64);
	suit_test_sign_verify(key, SUIT_COSE_ALGORITHM_ED25519, 64);

	/* Ed25519 is deterministic and EdDSA is the same computation */
	sig1 = suit_test_sign_same(key, SUIT_COSE_ALGORITHM_EDDSA, SUIT_COSE_ALGORITHM_ED25519, data);

	suit_test_sign_fails(key, SUIT_COSE_ALGORITHM_ES256, data, SUIT_ERROR_UNSUPPORTED_ALGORITHM);
}

static void
test_key_generate_unsupported(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitKey) key = suit_key_generate(SUIT_KEY_TYPE_SYMMETRIC, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED);
	g_assert_null(key);
}

static void
test_key_symmetric(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) secret = NULL;
	g_autoptr(GBytes) data = g_bytes_new_static("Hi There", 8);
	g_autoptr(GBytes) tag = NULL;
	g_autoptr(GBytes) pem = NULL;
	g_autoptr(GBytes) thumbprint = NULL;
	g_autoptr(SuitKey) key = NULL;
	g_autoptr(SuitKey) pub = NULL;

	/* RFC 4231 test case 1 */
	secret = suit_test_bytes_from_hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
	key = suit_key_new_symmetric(secret, &error);
	g_assert_no_error(error);
	g_assert_nonnull(key);
	g_assert_cmpint(suit_key_get_key_type(key), ==, SUIT_KEY_TYPE_SYMMETRIC);
	g_assert_true(suit_key_has_private(key));
	g_assert_cmpint(suit_key_get_default_algorithm(key), ==, SUIT_COSE_ALGORITHM_HMAC_256);
	g_assert_true(suit_key_supports_algorithm(key, SUIT_COSE_ALGORITHM_HMAC_256));
	g_assert_false(suit_key_supports_algorithm(key, SUIT_COSE_ALGORITHM_ES256));
	g_assert_false(suit_key_supports_algorithm(key, SUIT_COSE_ALGORITHM_EDDSA));

	tag = suit_key_sign(key, SUIT_COSE_ALGORITHM_HMAC_256, data, &error);
	g_assert_no_error(error);
	suit_test_assert_bytes_hex(tag, "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
	suit_test_sign_verify(key, SUIT_COSE_ALGORITHM_HMAC_256, 32);

	/* what a secret cannot do */
	suit_test_sign_fails(key, SUIT_COSE_ALGORITHM_ES256, data, SUIT_ERROR_UNSUPPORTED_ALGORITHM);
	thumbprint = suit_key_compute_thumbprint(key, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED);
	g_assert_null(thumbprint);
	g_clear_error(&error);
	pem = suit_key_export_public_pem(key, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED);
	g_assert_null(pem);
	g_clear_error(&error);
	pem = suit_key_export_private_pem(key, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED);
	g_assert_null(pem);
	g_clear_error(&error);
	pub = suit_key_dup_public(key, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED);
	g_assert_null(pub);
}

static void
test_key_symmetric_short(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) secret = g_bytes_new_static("aaaaaaaaaaaaaaa", 15);
	g_autoptr(GBytes) empty = g_bytes_new_static("", 0);
	g_autoptr(GBytes) secret16 = g_bytes_new_static("aaaaaaaaaaaaaaaa", 16);
	g_autoptr(SuitKey) key = NULL;

	key = suit_key_new_symmetric(secret, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
	g_assert_null(key);
	g_clear_error(&error);

	key = suit_key_new_symmetric(empty, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
	g_assert_null(key);
	g_clear_error(&error);

	key = suit_key_new_symmetric(secret16, &error);
	g_assert_no_error(error);
	g_assert_nonnull(key);
}

static void
test_key_symmetric_wrong_tag(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) secret = suit_test_load_vector("keys/hmac256-mac-key.bin");
	g_autoptr(GBytes) other_secret = g_bytes_new_static("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", 32);
	g_autoptr(GBytes) data = g_bytes_new_static("payload", 7);
	g_autoptr(GBytes) tag = NULL;
	g_autoptr(GBytes) truncated = NULL;
	g_autoptr(SuitKey) key = suit_key_new_symmetric(secret, &error);
	g_autoptr(SuitKey) other = suit_key_new_symmetric(other_secret, &error);

	g_assert_no_error(error);
	tag = suit_key_sign(key, SUIT_COSE_ALGORITHM_HMAC_256, data, &error);
	g_assert_no_error(error);
	g_assert_false(suit_key_verify(other, SUIT_COSE_ALGORITHM_HMAC_256, data, tag, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
	g_clear_error(&error);

	truncated = g_bytes_new_from_bytes(tag, 0, 16);
	g_assert_false(suit_key_verify(key, SUIT_COSE_ALGORITHM_HMAC_256, data, truncated, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
}

static void
suit_test_pem_round_trip(SuitKeyType key_type)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitKey) key = suit_key_generate(key_type, &error);
	g_autoptr(SuitKey) key2 = NULL;
	g_autoptr(SuitKey) pub = NULL;
	g_autoptr(GBytes) priv_pem = NULL;
	g_autoptr(GBytes) pub_pem = NULL;
	g_autoptr(GBytes) pub_pem2 = NULL;
	g_autoptr(GBytes) pub_pem3 = NULL;
	g_autoptr(GBytes) thumb = NULL;
	g_autoptr(GBytes) thumb2 = NULL;
	g_autoptr(GBytes) data = g_bytes_new_static("round trip", 10);
	g_autofree gchar *text = NULL;

	g_assert_no_error(error);
	priv_pem = suit_key_export_private_pem(key, &error);
	g_assert_no_error(error);
	g_assert_nonnull(priv_pem);
	text = g_strndup(g_bytes_get_data(priv_pem, NULL), g_bytes_get_size(priv_pem));
	g_assert_true(g_str_has_prefix(text, "-----BEGIN PRIVATE KEY-----"));

	key2 = suit_key_new_from_pem(priv_pem, &error);
	g_assert_no_error(error);
	g_assert_nonnull(key2);
	g_assert_cmpint(suit_key_get_key_type(key2), ==, key_type);
	g_assert_true(suit_key_has_private(key2));

	/* same public key */
	pub_pem = suit_key_export_public_pem(key, &error);
	g_assert_no_error(error);
	pub_pem2 = suit_key_export_public_pem(key2, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(pub_pem, pub_pem2));
	thumb = suit_key_compute_thumbprint(key, &error);
	g_assert_no_error(error);
	thumb2 = suit_key_compute_thumbprint(key2, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(g_bytes_get_size(thumb), ==, 32);
	g_assert_true(g_bytes_equal(thumb, thumb2));

	/* public PEM round trip, and the re-imported private key signs for the old public key */
	pub = suit_key_new_from_pem(pub_pem, &error);
	g_assert_no_error(error);
	g_assert_false(suit_key_has_private(pub));
	pub_pem3 = suit_key_export_public_pem(pub, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(pub_pem, pub_pem3));
	suit_test_signs_for(key2, pub, data);
}

static void
test_key_pem_round_trip_p256(void)
{
	suit_test_pem_round_trip(SUIT_KEY_TYPE_P256);
}

static void
test_key_pem_round_trip_ed25519(void)
{
	suit_test_pem_round_trip(SUIT_KEY_TYPE_ED25519);
}

static void
test_key_pem_vectors(void)
{
	for (guint i = 0; i < G_N_ELEMENTS(vector_pem_keys); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(SuitKey) priv = suit_test_load_key(vector_pem_keys[i], "priv");
		g_autoptr(SuitKey) pub = suit_test_load_key(vector_pem_keys[i], "pub");
		g_autoptr(SuitKey) from_file = NULL;
		g_autoptr(GBytes) pem_priv = NULL;
		g_autoptr(GBytes) pem_pub = NULL;
		g_autoptr(GBytes) thumb_priv = NULL;
		g_autoptr(GBytes) thumb_pub = NULL;
		g_autoptr(GBytes) data = g_bytes_new_static("vector", 6);
		g_autofree gchar *relpath = g_strdup_printf("%s.pub.pem", vector_pem_keys[i]);
		g_autofree gchar *path = suit_test_vector_path(relpath);

		g_test_message("key %s", vector_pem_keys[i]);
		g_assert_true(suit_key_has_private(priv));
		g_assert_false(suit_key_has_private(pub));
		g_assert_cmpint(suit_key_get_key_type(priv), ==, suit_key_get_key_type(pub));
		g_assert_cmpint(suit_key_get_key_type(priv),
				==,
				g_str_has_prefix(vector_pem_keys[i], "keys/ed25519") ? SUIT_KEY_TYPE_ED25519
										     : SUIT_KEY_TYPE_P256);

		/* the private key's public half is the public key */
		pem_priv = suit_key_export_public_pem(priv, &error);
		g_assert_no_error(error);
		pem_pub = suit_key_export_public_pem(pub, &error);
		g_assert_no_error(error);
		g_assert_true(g_bytes_equal(pem_priv, pem_pub));
		thumb_priv = suit_key_compute_thumbprint(priv, &error);
		g_assert_no_error(error);
		thumb_pub = suit_key_compute_thumbprint(pub, &error);
		g_assert_no_error(error);
		g_assert_true(g_bytes_equal(thumb_priv, thumb_pub));

		suit_test_signs_for(priv, pub, data);

		from_file = suit_key_new_from_file(path, &error);
		g_assert_no_error(error);
		g_assert_nonnull(from_file);
		g_assert_false(suit_key_has_private(from_file));
	}
}

static void
test_key_pem_sec1(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) pem = suit_test_load_vector("keys/enc-dependency-signer-p256.priv.pem");
	g_autoptr(GBytes) exported = NULL;
	g_autoptr(SuitKey) key = NULL;
	g_autoptr(SuitKey) key2 = NULL;
	g_autofree gchar *text = NULL;

	text = g_strndup(g_bytes_get_data(pem, NULL), g_bytes_get_size(pem));
	g_assert_nonnull(strstr(text, "-----BEGIN EC PRIVATE KEY-----"));
	key = suit_key_new_from_pem(pem, &error);
	g_assert_no_error(error);
	g_assert_true(suit_key_has_private(key));

	/* exported as PKCS#8 */
	exported = suit_key_export_private_pem(key, &error);
	g_assert_no_error(error);
	g_clear_pointer(&text, g_free);
	text = g_strndup(g_bytes_get_data(exported, NULL), g_bytes_get_size(exported));
	g_assert_true(g_str_has_prefix(text, "-----BEGIN PRIVATE KEY-----"));
	key2 = suit_key_new_from_pem(exported, &error);
	g_assert_no_error(error);
	g_assert_true(suit_key_has_private(key2));
}

static void
test_key_thumbprint(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitKey) p256 = suit_test_load_key("keys/suit-draft-p256", "pub");
	g_autoptr(SuitKey) ed25519 = suit_test_load_key("keys/ed25519-rfc8032-test1", "pub");
	g_autoptr(SuitKey) esdh = suit_test_load_key("keys/esdh-recipient-p256-kid-2", "priv");
	g_autoptr(GBytes) cose_key_p256 = NULL;
	g_autoptr(GBytes) cose_key_ed25519 = NULL;
	g_autoptr(GBytes) expected_p256 = NULL;
	g_autoptr(GBytes) expected_ed25519 = NULL;
	g_autoptr(GBytes) thumb = NULL;

	/* the deterministic COSE_Key encodings, built by hand */
	cose_key_p256 = suit_test_bytes_from_hex("a401022001215820" DRAFT_P256_X "225820" DRAFT_P256_Y);
	cose_key_ed25519 = suit_test_bytes_from_hex("a301012006215820" RFC8032_TEST1_PUBLIC);
	expected_p256 = suit_test_sha256(cose_key_p256);
	expected_ed25519 = suit_test_sha256(cose_key_ed25519);

	thumb = suit_key_compute_thumbprint(p256, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(thumb, expected_p256));
	g_clear_pointer(&thumb, g_bytes_unref);

	thumb = suit_key_compute_thumbprint(ed25519, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(thumb, expected_ed25519));
	g_clear_pointer(&thumb, g_bytes_unref);

	/* libcsuit uses the thumbprint of the device key as its kid */
	thumb = suit_key_compute_thumbprint(esdh, &error);
	g_assert_no_error(error);
	suit_test_assert_bytes_hex(thumb, ESDH_RECIPIENT_THUMBPRINT);
}

static void
test_key_rfc8032_test1(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitKey) priv = suit_test_load_key("keys/ed25519-rfc8032-test1", "priv");
	g_autoptr(SuitKey) pub = suit_test_load_key("keys/ed25519-rfc8032-test1", "pub");
	g_autoptr(GBytes) empty = g_bytes_new(NULL, 0);
	g_autoptr(GBytes) signature = NULL;
	g_autoptr(GBytes) expected = suit_test_bytes_from_hex(RFC8032_TEST1_SIGNATURE);

	signature = suit_key_sign(priv, SUIT_COSE_ALGORITHM_EDDSA, empty, &error);
	g_assert_no_error(error);
	suit_test_assert_bytes_hex(signature, RFC8032_TEST1_SIGNATURE);
	g_assert_true(suit_key_verify(pub, SUIT_COSE_ALGORITHM_ED25519, empty, expected, &error));
	g_assert_no_error(error);
}

static void
test_key_pem_invalid(void)
{
	const gchar *inputs[] = {
	    "",
	    "garbage",
	    "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
	    "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n",
	    "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY-----\n",
	    "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n",
	};
	g_autoptr(GBytes) pem = suit_test_load_vector("keys/suit-draft-p256.pub.pem");

	for (guint i = 0; i < G_N_ELEMENTS(inputs); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) bytes = g_bytes_new_static(inputs[i], strlen(inputs[i]));
		g_autoptr(SuitKey) key = suit_key_new_from_pem(bytes, &error);
		g_test_message("input %u", i);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
		g_assert_null(key);
	}

	/* truncated real key */
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) truncated = g_bytes_new_from_bytes(pem, 0, g_bytes_get_size(pem) - 40);
		g_autoptr(SuitKey) key = suit_key_new_from_pem(truncated, &error);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
		g_assert_null(key);
	}
}

/* a PEM key GnuTLS can make but libsuit refuses */
static GBytes *
suit_test_gnutls_pem(gnutls_pk_algorithm_t pk, guint bits, gboolean public_only)
{
	gnutls_x509_privkey_t x509 = NULL;
	gnutls_privkey_t privkey = NULL;
	gnutls_pubkey_t pubkey = NULL;
	gnutls_datum_t out = {NULL, 0};
	GBytes *result;

	g_assert_cmpint(gnutls_x509_privkey_init(&x509), ==, 0);
	g_assert_cmpint(gnutls_x509_privkey_generate(x509, pk, bits, 0), ==, 0);
	if (public_only) {
		g_assert_cmpint(gnutls_privkey_init(&privkey), ==, 0);
		g_assert_cmpint(gnutls_privkey_import_x509(privkey, x509, 0), ==, 0);
		g_assert_cmpint(gnutls_pubkey_init(&pubkey), ==, 0);
		g_assert_cmpint(gnutls_pubkey_import_privkey(pubkey, privkey, 0, 0), ==, 0);
		g_assert_cmpint(gnutls_pubkey_export2(pubkey, GNUTLS_X509_FMT_PEM, &out), ==, 0);
		gnutls_pubkey_deinit(pubkey);
		gnutls_privkey_deinit(privkey);
	} else {
		g_assert_cmpint(
		    gnutls_x509_privkey_export2_pkcs8(x509, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN, &out),
		    ==,
		    0);
	}
	gnutls_x509_privkey_deinit(x509);
	result = g_bytes_new(out.data, out.size);
	gnutls_free(out.data);
	return result;
}

static void
test_key_pem_unsupported(void)
{
	struct {
		gnutls_pk_algorithm_t pk;
		guint bits;
		gboolean public_only;
	} cases[] = {
	    {GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP384R1), FALSE},
	    {GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP384R1), TRUE},
	    {GNUTLS_PK_EDDSA_ED448, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_ED448), FALSE},
	    {GNUTLS_PK_EDDSA_ED448, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_ED448), TRUE},
	    {GNUTLS_PK_RSA, 2048, TRUE},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) pem = suit_test_gnutls_pem(cases[i].pk, cases[i].bits, cases[i].public_only);
		g_autoptr(SuitKey) key = suit_key_new_from_pem(pem, &error);
		g_test_message("case %u", i);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_UNSUPPORTED_ALGORITHM);
		g_assert_null(key);
	}
}

static void
test_key_file_missing(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = suit_test_vector_path("keys/does-not-exist.pem");
	g_autoptr(SuitKey) key = suit_key_new_from_file(path, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
	g_assert_null(key);
}

static void
test_key_public_only(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitKey) key = suit_key_generate(SUIT_KEY_TYPE_P256, &error);
	g_autoptr(SuitKey) pub = NULL;
	g_autoptr(GBytes) key_id = g_bytes_new_static("kid-1", 5);
	g_autoptr(GBytes) data = g_bytes_new_static("data", 4);
	g_autoptr(GBytes) signature = NULL;
	g_autoptr(GBytes) pem = NULL;
	g_autoptr(GBytes) pem_key = NULL;
	g_autoptr(GBytes) pem_pub = NULL;

	g_assert_no_error(error);
	suit_key_set_key_id(key, key_id);
	pub = suit_key_dup_public(key, &error);
	g_assert_no_error(error);
	g_assert_nonnull(pub);
	g_assert_false(suit_key_has_private(pub));
	g_assert_cmpint(suit_key_get_key_type(pub), ==, SUIT_KEY_TYPE_P256);
	g_assert_true(g_bytes_equal(suit_key_get_key_id(pub), key_id));
	pem_key = suit_key_export_public_pem(key, &error);
	g_assert_no_error(error);
	pem_pub = suit_key_export_public_pem(pub, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(pem_key, pem_pub));

	suit_test_sign_fails(pub, SUIT_COSE_ALGORITHM_ES256, data, SUIT_ERROR_NOT_SUPPORTED);

	pem = suit_key_export_private_pem(pub, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED);
	g_assert_null(pem);
	g_clear_error(&error);

	signature = suit_key_sign(key, SUIT_COSE_ALGORITHM_ES256, data, &error);
	g_assert_no_error(error);
	g_assert_true(suit_key_verify(pub, SUIT_COSE_ALGORITHM_ES256, data, signature, &error));
	g_assert_no_error(error);
}

static void
test_key_verify_der_signature(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitKey) key = suit_key_generate(SUIT_KEY_TYPE_P256, &error);
	g_autoptr(GBytes) data = g_bytes_new_static("data", 4);
	g_autoptr(GBytes) signature = NULL;
	g_autoptr(GBytes) der_bytes = NULL;
	g_autoptr(GBytes) long_sig = NULL;
	g_autoptr(GBytes) short_sig = NULL;
	gnutls_datum_t r;
	gnutls_datum_t s;
	gnutls_datum_t der = {NULL, 0};
	guint8 buf[65] = {0};

	g_assert_no_error(error);
	signature = suit_key_sign(key, SUIT_COSE_ALGORITHM_ES256, data, &error);
	g_assert_no_error(error);
	r.data = (guint8 *)g_bytes_get_data(signature, NULL);
	r.size = 32;
	s.data = r.data + 32;
	s.size = 32;
	g_assert_cmpint(gnutls_encode_rs_value(&der, &r, &s), ==, 0);
	der_bytes = g_bytes_new(der.data, der.size);
	gnutls_free(der.data);

	g_assert_false(suit_key_verify(key, SUIT_COSE_ALGORITHM_ES256, data, der_bytes, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
	g_clear_error(&error);

	/* r||s with a trailing byte, and truncated */
	memcpy(buf, g_bytes_get_data(signature, NULL), 64);
	long_sig = g_bytes_new(buf, sizeof(buf));
	g_assert_false(suit_key_verify(key, SUIT_COSE_ALGORITHM_ES256, data, long_sig, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
	g_clear_error(&error);
	short_sig = g_bytes_new_from_bytes(signature, 0, 63);
	g_assert_false(suit_key_verify(key, SUIT_COSE_ALGORITHM_ES256, data, short_sig, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
}

static void
test_key_verify_wrong_key(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitKey) p256 = suit_test_load_key("keys/suit-draft-p256", "priv");
	g_autoptr(SuitKey) p256_other = suit_test_load_key("keys/nordic-suit-generator-test-p256", "pub");
	g_autoptr(SuitKey) ed25519 = suit_key_generate(SUIT_KEY_TYPE_ED25519, &error);
	g_autoptr(SuitKey) ed25519_other = suit_test_load_key("keys/ed25519-rfc8032-test1", "pub");
	g_autoptr(GBytes) data = g_bytes_new_static("data", 4);
	g_autoptr(GBytes) sig_p256 = NULL;
	g_autoptr(GBytes) sig_ed25519 = NULL;

	g_assert_no_error(error);
	sig_p256 = suit_key_sign(p256, SUIT_COSE_ALGORITHM_ESP256, data, &error);
	g_assert_no_error(error);
	g_assert_false(suit_key_verify(p256_other, SUIT_COSE_ALGORITHM_ESP256, data, sig_p256, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
	g_clear_error(&error);

	sig_ed25519 = suit_key_sign(ed25519, SUIT_COSE_ALGORITHM_ED25519, data, &error);
	g_assert_no_error(error);
	g_assert_false(suit_key_verify(ed25519_other, SUIT_COSE_ALGORITHM_ED25519, data, sig_ed25519, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
	g_clear_error(&error);

	/* a zero signature */
	{
		guint8 zero[64] = {0};
		g_autoptr(GBytes) sig_zero = g_bytes_new(zero, sizeof(zero));
		g_assert_false(suit_key_verify(p256, SUIT_COSE_ALGORITHM_ES256, data, sig_zero, &error));
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
		g_clear_error(&error);
		g_assert_false(suit_key_verify(ed25519, SUIT_COSE_ALGORITHM_EDDSA, data, sig_zero, &error));
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
	}
}

static void
test_key_key_id(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitKey) key = suit_test_load_key("keys/suit-draft-p256", "pub");
	g_autoptr(GBytes) key_id = g_bytes_new_static("kid-2", 5);

	g_assert_null(suit_key_get_key_id(key));
	suit_key_set_key_id(key, key_id);
	g_assert_true(suit_key_get_key_id(key) == key_id);
	suit_key_set_key_id(key, key_id);
	g_assert_true(suit_key_get_key_id(key) == key_id);
	suit_key_set_key_id(key, NULL);
	g_assert_null(suit_key_get_key_id(key));
	g_assert_no_error(error);
}

static void
test_key_algorithm_strings(void)
{
	struct {
		SuitCoseAlgorithm algorithm;
		const gchar *name;
	} names[] = {
	    {SUIT_COSE_ALGORITHM_ES256, "ES256"},
	    {SUIT_COSE_ALGORITHM_ESP256, "ESP256"},
	    {SUIT_COSE_ALGORITHM_EDDSA, "EdDSA"},
	    {SUIT_COSE_ALGORITHM_ED25519, "Ed25519"},
	    {SUIT_COSE_ALGORITHM_HMAC_256, "HMAC-256"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		g_autofree gchar *lower = g_ascii_strdown(names[i].name, -1);
		g_autofree gchar *number = g_strdup_printf("%d", (gint)names[i].algorithm);
		g_assert_cmpstr(suit_cose_algorithm_to_string(names[i].algorithm), ==, names[i].name);
		g_assert_cmpint(suit_cose_algorithm_from_string(names[i].name), ==, names[i].algorithm);
		g_assert_cmpint(suit_cose_algorithm_from_string(lower), ==, names[i].algorithm);
		g_assert_cmpint(suit_cose_algorithm_from_string(number), ==, names[i].algorithm);
	}
	g_assert_null(suit_cose_algorithm_to_string(SUIT_COSE_ALGORITHM_NONE));
	g_assert_null(suit_cose_algorithm_to_string((SuitCoseAlgorithm)-35));
	g_assert_cmpint(suit_cose_algorithm_from_string(NULL), ==, SUIT_COSE_ALGORITHM_NONE);
	g_assert_cmpint(suit_cose_algorithm_from_string(""), ==, SUIT_COSE_ALGORITHM_NONE);
	g_assert_cmpint(suit_cose_algorithm_from_string("ES384"), ==, SUIT_COSE_ALGORITHM_NONE);
	g_assert_cmpint(suit_cose_algorithm_from_string("-35"), ==, SUIT_COSE_ALGORITHM_NONE);
	g_assert_cmpint(suit_cose_algorithm_from_string("0"), ==, SUIT_COSE_ALGORITHM_NONE);
	g_assert_cmpint(suit_cose_algorithm_from_string("-7x"), ==, SUIT_COSE_ALGORITHM_NONE);
	g_assert_cmpint(suit_cose_algorithm_from_string("99999999999"), ==, SUIT_COSE_ALGORITHM_NONE);
}

static void
test_key_pkcs11_invalid(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitKey) key = NULL;

	key = suit_key_new_from_pkcs11_url("file:///etc/passwd", &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
	g_assert_null(key);
	g_clear_error(&error);

	/* no such token: GnuTLS refuses, and we say so */
	key = suit_key_new_from_pkcs11_url("pkcs11:token=libsuit-does-not-exist;object=nothing;type=private", &error);
	g_assert_null(key);
	g_assert_nonnull(error);
	g_test_message("pkcs11 error: %s", error->message);
	if (g_error_matches(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED)) {
		/* a GnuTLS built without PKCS#11 support */
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED);
		return;
	}
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
}

static void
test_keyring_basic(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitKeyring) keyring = suit_keyring_new();
	g_autoptr(SuitKey) p256 = suit_test_load_key("keys/suit-draft-p256", "pub");
	g_autoptr(SuitKey) p256_kid = suit_test_load_key("keys/esdh-recipient-p256-kid-2", "pub");
	g_autoptr(SuitKey) ed25519 = suit_test_load_key("keys/ed25519-rfc8032-test1", "pub");
	g_autoptr(GBytes) secret = suit_test_load_vector("keys/hmac256-mac-key.bin");
	g_autoptr(SuitKey) hmac = suit_key_new_symmetric(secret, &error);
	g_autoptr(GBytes) kid2 = g_bytes_new_static("kid-2", 5);
	g_autoptr(GBytes) kid9 = g_bytes_new_static("kid-9", 5);
	g_autoptr(GPtrArray) found = NULL;
	GPtrArray *keys;

	g_assert_no_error(error);
	g_assert_cmpuint(suit_keyring_get_size(keyring), ==, 0);
	suit_key_set_key_id(p256_kid, kid2);
	suit_keyring_add(keyring, p256);
	suit_keyring_add(keyring, p256_kid);
	suit_keyring_add(keyring, ed25519);
	suit_keyring_add(keyring, hmac);
	g_assert_cmpuint(suit_keyring_get_size(keyring), ==, 4);
	keys = suit_keyring_get_keys(keyring);
	g_assert_cmpuint(keys->len, ==, 4);
	g_assert_true(g_ptr_array_index(keys, 0) == p256);
	g_assert_true(g_ptr_array_index(keys, 3) == hmac);

	/* no kid: every key of the type */
	found = suit_keyring_find(keyring, SUIT_COSE_ALGORITHM_ES256, NULL);
	g_assert_cmpuint(found->len, ==, 2);
	g_clear_pointer(&found, g_ptr_array_unref);
	found = suit_keyring_find(keyring, SUIT_COSE_ALGORITHM_ESP256, NULL);
	g_assert_cmpuint(found->len, ==, 2);
	g_clear_pointer(&found, g_ptr_array_unref);

	/* matching kid, or a key without one */
	found = suit_keyring_find(keyring, SUIT_COSE_ALGORITHM_ESP256, kid2);
	g_assert_cmpuint(found->len, ==, 2);
	g_clear_pointer(&found, g_ptr_array_unref);
	found = suit_keyring_find(keyring, SUIT_COSE_ALGORITHM_ESP256, kid9);
	g_assert_cmpuint(found->len, ==, 1);
	g_assert_true(g_ptr_array_index(found, 0) == p256);
	g_clear_pointer(&found, g_ptr_array_unref);

	found = suit_keyring_find(keyring, SUIT_COSE_ALGORITHM_EDDSA, NULL);
	g_assert_cmpuint(found->len, ==, 1);
	g_assert_true(g_ptr_array_index(found, 0) == ed25519);
	g_clear_pointer(&found, g_ptr_array_unref);
	found = suit_keyring_find(keyring, SUIT_COSE_ALGORITHM_HMAC_256, kid2);
	g_assert_cmpuint(found->len, ==, 1);
	g_assert_true(g_ptr_array_index(found, 0) == hmac);
	g_clear_pointer(&found, g_ptr_array_unref);
	found = suit_keyring_find(keyring, SUIT_COSE_ALGORITHM_NONE, NULL);
	g_assert_cmpuint(found->len, ==, 0);
}

static void
test_keyring_add_from_file(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitKeyring) keyring = suit_keyring_new();
	g_autofree gchar *path = suit_test_vector_path("keys/suit-draft-p256.pub.pem");
	g_autofree gchar *missing = suit_test_vector_path("keys/missing.pem");
	g_autofree gchar *not_pem = suit_test_vector_path("keys/hmac256-mac-key.bin");

	g_assert_true(suit_keyring_add_from_file(keyring, path, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(suit_keyring_get_size(keyring), ==, 1);

	g_assert_false(suit_keyring_add_from_file(keyring, missing, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
	g_clear_error(&error);

	g_assert_false(suit_keyring_add_from_file(keyring, not_pem, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
	g_assert_cmpuint(suit_keyring_get_size(keyring), ==, 1);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/suit/key/generate/p256", test_key_generate_p256);
	g_test_add_func("/suit/key/generate/ed25519", test_key_generate_ed25519);
	g_test_add_func("/suit/key/generate/unsupported", test_key_generate_unsupported);
	g_test_add_func("/suit/key/symmetric/hmac", test_key_symmetric);
	g_test_add_func("/suit/key/symmetric/too-short", test_key_symmetric_short);
	g_test_add_func("/suit/key/symmetric/wrong-tag", test_key_symmetric_wrong_tag);
	g_test_add_func("/suit/key/pem/round-trip/p256", test_key_pem_round_trip_p256);
	g_test_add_func("/suit/key/pem/round-trip/ed25519", test_key_pem_round_trip_ed25519);
	g_test_add_func("/suit/key/pem/vectors", test_key_pem_vectors);
	g_test_add_func("/suit/key/pem/sec1", test_key_pem_sec1);
	g_test_add_func("/suit/key/pem/invalid", test_key_pem_invalid);
	g_test_add_func("/suit/key/pem/unsupported", test_key_pem_unsupported);
	g_test_add_func("/suit/key/file/missing", test_key_file_missing);
	g_test_add_func("/suit/key/thumbprint", test_key_thumbprint);
	g_test_add_func("/suit/key/rfc8032/test1", test_key_rfc8032_test1);
	g_test_add_func("/suit/key/public-only", test_key_public_only);
	g_test_add_func("/suit/key/verify/der-signature", test_key_verify_der_signature);
	g_test_add_func("/suit/key/verify/wrong-key", test_key_verify_wrong_key);
	g_test_add_func("/suit/key/key-id", test_key_key_id);
	g_test_add_func("/suit/key/algorithm/strings", test_key_algorithm_strings);
	g_test_add_func("/suit/key/pkcs11/invalid", test_key_pkcs11_invalid);
	g_test_add_func("/suit/keyring/basic", test_keyring_basic);
	g_test_add_func("/suit/keyring/add-from-file", test_keyring_add_from_file);
	return g_test_run();
}
