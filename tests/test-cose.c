/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "suit-cose-private.h"
#include "suit-test-common.h"

#define ESDH_RECIPIENT_THUMBPRINT "e96788b10b1610abe478f9ce8dcfe2304c0911dd8cfeadde25ec30ccb5a7b5af"

static SuitKey *
suit_test_load_key(const gchar *relpath)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) pem = suit_test_load_vector(relpath);
	SuitKey *key = suit_key_new_from_pem(pem, &error);
	g_assert_no_error(error);
	g_assert_nonnull(key);
	return key;
}

static SuitKeyring *
suit_test_keyring_new_for_key(SuitKey *key)
{
	SuitKeyring *keyring = suit_keyring_new();
	suit_keyring_add(keyring, key);
	return keyring;
}

static SuitKeyring *
suit_test_keyring_new_for_file(const gchar *relpath)
{
	g_autoptr(SuitKey) key = suit_test_load_key(relpath);
	return suit_test_keyring_new_for_key(key);
}

static SuitKey *
suit_test_hmac_key(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) secret = suit_test_load_vector("keys/hmac256-mac-key.bin");
	SuitKey *key = suit_key_new_symmetric(secret, &error);
	g_assert_no_error(error);
	return key;
}

/*
 * The first authentication block of an envelope: the envelope is a (maybe
 * tag 107) map, key 2 a bstr holding [bstr(SUIT_Digest), bstr(COSE)...]. The
 * signed payload is the content of element 0.
 */
static void
suit_test_load_auth_block(const gchar *relpath, GBytes **payload, GBytes **cose)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) blob = suit_test_load_vector(relpath);
	g_autoptr(SuitCborItem) root = suit_cbor_decode(blob, NULL, SUIT_PARSE_FLAG_NONE, &error);
	g_autoptr(SuitCborItem) auth = NULL;
	SuitCborItem *envelope;
	SuitCborItem *wrapper;

	g_assert_no_error(error);
	envelope = root;
	if (suit_cbor_item_get_type(root) == SUIT_CBOR_TYPE_TAG) {
		g_assert_cmpuint(suit_cbor_item_get_u64(root), ==, 107);
		envelope = suit_cbor_tag_get_content(root);
	}
	wrapper = suit_cbor_map_lookup_int(envelope, 2);
	g_assert_nonnull(wrapper);
	auth = suit_cbor_item_decode_wrapped(wrapper, NULL, SUIT_PARSE_FLAG_NONE, &error);
	g_assert_no_error(error);
	g_assert_cmpint(suit_cbor_item_get_type(auth), ==, SUIT_CBOR_TYPE_ARRAY);
	g_assert_cmpuint(suit_cbor_item_get_length(auth), >=, 2);
	*payload = g_bytes_ref(suit_cbor_item_get_bytes(suit_cbor_array_get(auth, 0)));
	*cose = g_bytes_ref(suit_cbor_item_get_bytes(suit_cbor_array_get(auth, 1)));
	g_assert_nonnull(*payload);
	g_assert_nonnull(*cose);
}

static SuitCborItem *
suit_test_decode(GBytes *bytes)
{
	g_autoptr(GError) error = NULL;
	SuitCborItem *item = suit_cbor_decode(bytes, NULL, SUIT_PARSE_FLAG_NONE, &error);
	g_assert_no_error(error);
	return item;
}

/* a protected header bstr item from a map, or the empty bstr for NULL */
static SuitCborItem *
suit_test_protected(SuitCborItem *map)
{
	g_autoptr(SuitCborItem) owned = map;
	if (map == NULL)
		return suit_cbor_item_new_bytes_data(NULL, 0);
	return suit_cbor_item_new_wrapped(map);
}

/* {label: value} with an integer value */
static SuitCborItem *
suit_test_map_int(gint64 label, gint64 value)
{
	SuitCborItem *map = suit_cbor_item_new_map();
	suit_cbor_map_append(map, suit_cbor_item_new_int(label), suit_cbor_item_new_int(value));
	return map;
}

/* tag(@tag, [items...]), stealing the items */
static GBytes *
suit_test_build_cose(guint64 tag,
		     SuitCborItem *protected_item,
		     SuitCborItem *unprotected,
		     SuitCborItem *payload,
		     SuitCborItem *last)
{
	g_autoptr(SuitCborItem) root = NULL;
	SuitCborItem *array = suit_cbor_item_new_array();
	suit_cbor_array_append(array, protected_item);
	suit_cbor_array_append(array, unprotected);
	suit_cbor_array_append(array, payload);
	suit_cbor_array_append(array, last);
	root = suit_cbor_item_new_tag(tag, array);
	return suit_cbor_encode(root);
}

/* ex0 rebuilt with other headers and the same signature */
static GBytes *
suit_test_ex0_rebuild(GBytes *cose, SuitCborItem *protected_item, SuitCborItem *unprotected, SuitCborItem *payload)
{
	g_autoptr(SuitCborItem) root = suit_test_decode(cose);
	SuitCborItem *array = suit_cbor_tag_get_content(root);
	SuitCborItem *signature = suit_cbor_array_get(array, 3);
	if (protected_item == NULL)
		protected_item = suit_cbor_item_ref(suit_cbor_array_get(array, 0));
	if (unprotected == NULL)
		unprotected = suit_cbor_item_ref(suit_cbor_array_get(array, 1));
	if (payload == NULL)
		payload = suit_cbor_item_new_null();
	return suit_test_build_cose(SUIT_COSE_TAG_SIGN1,
				    protected_item,
				    unprotected,
				    payload,
				    suit_cbor_item_ref(signature));
}

/* Sig_structure / MAC_structure */
static GBytes *
suit_test_tbs(const gchar *context, GBytes *body_protected, GBytes *sign_protected, GBytes *payload)
{
	g_autoptr(SuitCborItem) array = suit_cbor_item_new_array();
	suit_cbor_array_append(array, suit_cbor_item_new_text(context));
	suit_cbor_array_append(array, suit_cbor_item_new_bytes(body_protected));
	if (sign_protected != NULL)
		suit_cbor_array_append(array, suit_cbor_item_new_bytes(sign_protected));
	suit_cbor_array_append(array, suit_cbor_item_new_bytes_data(NULL, 0));
	suit_cbor_array_append(array, suit_cbor_item_new_bytes(payload));
	return suit_cbor_encode(array);
}

/* a validly signed COSE_Sign1 with the given protected header */
static GBytes *
suit_test_sign1_with_protected(SuitKey *key, SuitCoseAlgorithm alg, SuitCborItem *protected_map, GBytes *payload)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitCborItem) protected_item = suit_test_protected(protected_map);
	g_autoptr(GBytes) tbs = NULL;
	g_autoptr(GBytes) signature = NULL;

	tbs = suit_test_tbs("Signature1", suit_cbor_item_get_bytes(protected_item), NULL, payload);
	signature = suit_key_sign(key, alg, tbs, &error);
	g_assert_no_error(error);
	return suit_test_build_cose(SUIT_COSE_TAG_SIGN1,
				    suit_cbor_item_ref(protected_item),
				    suit_cbor_item_new_map(),
				    suit_cbor_item_new_null(),
				    suit_cbor_item_new_bytes(signature));
}

static void
test_cose_sign1_verify_vector(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) payload = NULL;
	g_autoptr(GBytes) cose = NULL;
	g_autoptr(SuitKey) key = suit_test_load_key("keys/suit-draft-p256.pub.pem");
	g_autoptr(SuitKey) other = suit_test_load_key("keys/nordic-suit-generator-test-p256.pub.pem");
	g_autoptr(SuitKeyring) keyring = suit_keyring_new();
	g_autoptr(SuitKey) used_key = NULL;
	gboolean ret;

	suit_test_load_auth_block("manifest/ex0-secure-boot.suit", &payload, &cose);
	/* bstr(SUIT_Digest): 82 2f 58 20 + the 32-byte SHA-256 */
	g_assert_cmpuint(g_bytes_get_size(payload), ==, 36);
	g_assert_cmpmem(g_bytes_get_data(payload, NULL), 4, "\x82\x2f\x58\x20", 4);

	/* the right key is found among others */
	suit_keyring_add(keyring, other);
	suit_keyring_add(keyring, key);
	ret = suit_cose_verify(cose, payload, keyring, &used_key, &error);
	g_assert_no_error(error);
	g_assert_true(ret);
	g_assert_true(used_key == key);

	/* every other manifest example is signed with the same key */
	for (guint i = 1; i <= 5; i++) {
		const gchar *names[] = {NULL,
					"manifest/ex1-download-install.suit",
					"manifest/ex2-severable-full.suit",
					"manifest/ex3-ab-images.suit",
					"manifest/ex4-load-external.suit",
					"manifest/ex5-two-images.suit"};
		g_autoptr(GBytes) payload_n = NULL;
		g_autoptr(GBytes) cose_n = NULL;
		suit_test_load_auth_block(names[i], &payload_n, &cose_n);
		g_assert_true(suit_cose_verify(cose_n, payload_n, keyring, NULL, &error));
		g_assert_no_error(error);
	}
}

static void
test_cose_sign1_verify_eddsa_vectors(void)
{
	const gchar *vectors[] = {"derived/ex0-ed25519-alg-19.suit", "derived/ex0-eddsa-alg-8.suit"};
	g_autoptr(SuitKeyring) keyring = suit_test_keyring_new_for_file("keys/ed25519-rfc8032-test1.pub.pem");
	g_autoptr(SuitKeyring) keyring_p256 = suit_test_keyring_new_for_file("keys/suit-draft-p256.pub.pem");

	for (guint i = 0; i < G_N_ELEMENTS(vectors); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) payload = NULL;
		g_autoptr(GBytes) cose = NULL;
		suit_test_load_auth_block(vectors[i], &payload, &cose);
		g_assert_true(suit_cose_verify(cose, payload, keyring, NULL, &error));
		g_assert_no_error(error);

		/* a P-256 key does not suit EdDSA */
		g_assert_false(suit_cose_verify(cose, payload, keyring_p256, NULL, &error));
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
	}
}

static void
test_cose_sign1_ed25519_deterministic(void)
{
	struct {
		const gchar *vector;
		SuitCoseAlgorithm algorithm;
	} cases[] = {
	    {"derived/ex0-ed25519-alg-19.suit", SUIT_COSE_ALGORITHM_ED25519},
	    {"derived/ex0-eddsa-alg-8.suit", SUIT_COSE_ALGORITHM_EDDSA},
	};
	g_autoptr(SuitKey) key = suit_test_load_key("keys/ed25519-rfc8032-test1.priv.pem");

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) payload = NULL;
		g_autoptr(GBytes) cose = NULL;
		g_autoptr(GBytes) signed_cose = NULL;
		suit_test_load_auth_block(cases[i].vector, &payload, &cose);
		signed_cose = suit_cose_sign(payload, key, cases[i].algorithm, NULL, FALSE, &error);
		g_assert_no_error(error);
		g_assert_nonnull(signed_cose);
		g_assert_true(g_bytes_equal(signed_cose, cose));
	}
}

static void
test_cose_mac0_verify_vector(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) payload = NULL;
	g_autoptr(GBytes) cose = NULL;
	g_autoptr(GBytes) flipped = NULL;
	g_autoptr(GBytes) other_secret = g_bytes_new_static("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", 32);
	g_autoptr(SuitKey) key = suit_test_hmac_key();
	g_autoptr(SuitKey) other = suit_key_new_symmetric(other_secret, &error);
	g_autoptr(SuitKey) p256 = suit_test_load_key("keys/suit-draft-p256.pub.pem");
	g_autoptr(SuitKeyring) keyring = suit_keyring_new();
	g_autoptr(SuitKeyring) keyring_other = suit_test_keyring_new_for_key(other);
	g_autoptr(SuitKeyring) keyring_p256 = suit_test_keyring_new_for_key(p256);
	g_autoptr(SuitKey) used_key = NULL;
	g_autoptr(SuitCoseInfo) info = NULL;

	g_assert_no_error(error);
	suit_keyring_add(keyring, p256);
	suit_keyring_add(keyring, key);
	suit_test_load_auth_block("encryption/aeskw-gcm-write.suit", &payload, &cose);

	info = suit_cose_inspect(cose, &error);
	g_assert_no_error(error);
	g_assert_cmpint(info->type, ==, SUIT_COSE_TYPE_MAC0);
	g_assert_cmpint(info->algorithm, ==, SUIT_COSE_ALGORITHM_HMAC_256);

	g_assert_true(suit_cose_verify(cose, payload, keyring, &used_key, &error));
	g_assert_no_error(error);
	g_assert_true(used_key == key);

	g_assert_false(suit_cose_verify(cose, payload, keyring_other, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
	g_clear_error(&error);
	g_assert_false(suit_cose_verify(cose, payload, keyring_p256, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
	g_clear_error(&error);

	/* the tag is the last item */
	flipped = suit_test_bytes_flip(cose, g_bytes_get_size(cose) - 1, 0x80);
	g_assert_false(suit_cose_verify(flipped, payload, keyring, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
}

static void
test_cose_sign1_verify_attached_report(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) cose = suit_test_load_vector("report/report-libcsuit-ex0-success.cose");
	g_autoptr(GBytes) expected = suit_test_load_vector("report/report-libcsuit-ex0-success.payload.cbor");
	g_autoptr(GBytes) payload = NULL;
	g_autoptr(GBytes) thumbprint = NULL;
	g_autoptr(GBytes) wrong_kid = g_bytes_new_static("kid-2", 5);
	g_autoptr(SuitKey) key = suit_test_load_key("keys/esdh-recipient-p256-kid-2.pub.pem");
	g_autoptr(SuitKeyring) keyring = suit_test_keyring_new_for_key(key);
	g_autoptr(SuitKeyring) keyring_wrong = suit_test_keyring_new_for_file("keys/suit-draft-p256.pub.pem");
	g_autoptr(SuitKey) used_key = NULL;
	g_autoptr(SuitCoseInfo) info = NULL;
	g_autoptr(SuitCborItem) item = NULL;

	info = suit_cose_inspect(cose, &error);
	g_assert_no_error(error);
	g_assert_cmpint(info->type, ==, SUIT_COSE_TYPE_SIGN1);
	g_assert_cmpint(info->algorithm, ==, SUIT_COSE_ALGORITHM_ESP256);
	g_assert_cmpuint(info->n_signers, ==, 1);
	g_assert_nonnull(info->key_id);
	thumbprint = suit_key_compute_thumbprint(key, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(info->key_id, thumbprint));

	payload = suit_cose_verify_attached(cose, keyring, &used_key, &error);
	g_assert_no_error(error);
	g_assert_nonnull(payload);
	g_assert_true(g_bytes_equal(payload, expected));
	g_assert_true(used_key == key);
	g_clear_pointer(&payload, g_bytes_unref);
	g_clear_object(&used_key);

	/* the payload has duplicate keys: only a lenient decode accepts it */
	item = suit_cbor_decode(expected, NULL, SUIT_PARSE_FLAG_NONE, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_CBOR);
	g_assert_null(item);
	g_clear_error(&error);
	item = suit_cbor_decode(expected, NULL, SUIT_PARSE_FLAG_ALLOW_DUPLICATE_KEYS, &error);
	g_assert_no_error(error);
	g_assert_nonnull(item);

	/* suit_cose_verify() with the same payload also works */
	g_assert_true(suit_cose_verify(cose, expected, keyring, NULL, &error));
	g_assert_no_error(error);

	/* a key id equal to the kid matches, another one does not */
	suit_key_set_key_id(key, thumbprint);
	payload = suit_cose_verify_attached(cose, keyring, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(payload);
	g_clear_pointer(&payload, g_bytes_unref);
	suit_key_set_key_id(key, wrong_kid);
	payload = suit_cose_verify_attached(cose, keyring, NULL, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
	g_assert_null(payload);
	g_clear_error(&error);

	payload = suit_cose_verify_attached(cose, keyring_wrong, NULL, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
	g_assert_null(payload);
}

static void
test_cose_sign1_verify_attached_detached(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) payload = NULL;
	g_autoptr(GBytes) cose = NULL;
	g_autoptr(GBytes) result = NULL;
	g_autoptr(SuitKeyring) keyring = suit_test_keyring_new_for_file("keys/suit-draft-p256.pub.pem");

	suit_test_load_auth_block("manifest/ex0-secure-boot.suit", &payload, &cose);
	result = suit_cose_verify_attached(cose, keyring, NULL, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
	g_assert_null(result);
}

static void
test_cose_sign1_wrong_key(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) payload = NULL;
	g_autoptr(GBytes) cose = NULL;
	g_autoptr(SuitKeyring) keyring = suit_test_keyring_new_for_file("keys/nordic-suit-generator-test-p256.pub.pem");
	g_autoptr(SuitKeyring) keyring_ed = suit_test_keyring_new_for_file("keys/ed25519-rfc8032-test1.pub.pem");
	g_autoptr(SuitKeyring) keyring_empty = suit_keyring_new();
	g_autoptr(SuitKey) used_key = NULL;

	suit_test_load_auth_block("manifest/ex0-secure-boot.suit", &payload, &cose);
	g_assert_false(suit_cose_verify(cose, payload, keyring, &used_key, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
	g_assert_null(used_key);
	g_clear_error(&error);

	/* no key suits the algorithm */
	g_assert_false(suit_cose_verify(cose, payload, keyring_ed, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
	g_clear_error(&error);
	g_assert_false(suit_cose_verify(cose, payload, keyring_empty, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
}

static void
test_cose_sign1_der_signature(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) payload = NULL;
	g_autoptr(GBytes) cose = NULL;
	g_autoptr(GBytes) tampered = NULL;
	g_autoptr(SuitCborItem) root = NULL;
	g_autoptr(SuitKeyring) keyring = suit_test_keyring_new_for_file("keys/suit-draft-p256.pub.pem");
	SuitCborItem *array;
	GBytes *raw;
	gnutls_datum_t r;
	gnutls_datum_t s;
	gnutls_datum_t der = {NULL, 0};

	suit_test_load_auth_block("manifest/ex0-secure-boot.suit", &payload, &cose);
	root = suit_test_decode(cose);
	array = suit_cbor_tag_get_content(root);
	raw = suit_cbor_item_get_bytes(suit_cbor_array_get(array, 3));
	g_assert_cmpuint(g_bytes_get_size(raw), ==, 64);
	r.data = (guint8 *)g_bytes_get_data(raw, NULL);
	r.size = 32;
	s.data = r.data + 32;
	s.size = 32;
	g_assert_cmpint(gnutls_encode_rs_value(&der, &r, &s), ==, 0);
	tampered = suit_test_build_cose(SUIT_COSE_TAG_SIGN1,
					suit_cbor_item_ref(suit_cbor_array_get(array, 0)),
					suit_cbor_item_ref(suit_cbor_array_get(array, 1)),
					suit_cbor_item_new_null(),
					suit_cbor_item_new_bytes_data(der.data, der.size));
	gnutls_free(der.data);

	g_assert_false(suit_cose_verify(tampered, payload, keyring, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
}

static void
test_cose_sign1_alg_unprotected(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) payload = NULL;
	g_autoptr(GBytes) cose = NULL;
	g_autoptr(GBytes) tampered = NULL;
	g_autoptr(SuitKeyring) keyring = suit_test_keyring_new_for_file("keys/suit-draft-p256.pub.pem");
	g_autoptr(SuitCoseInfo) info = NULL;

	suit_test_load_auth_block("manifest/ex0-secure-boot.suit", &payload, &cose);
	tampered = suit_test_ex0_rebuild(cose,
					 suit_test_protected(NULL),
					 suit_test_map_int(SUIT_COSE_HEADER_ALG, SUIT_COSE_ALGORITHM_ES256),
					 NULL);
	g_assert_false(suit_cose_verify(tampered, payload, keyring, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_UNSUPPORTED_ALGORITHM);
	g_clear_error(&error);

	/* inspection still works, without an algorithm */
	info = suit_cose_inspect(tampered, &error);
	g_assert_no_error(error);
	g_assert_cmpint(info->algorithm, ==, SUIT_COSE_ALGORITHM_NONE);
}

static void
test_cose_sign1_alg_invalid(void)
{
	g_autoptr(GBytes) payload = NULL;
	g_autoptr(GBytes) cose = NULL;
	g_autoptr(SuitKeyring) keyring = suit_test_keyring_new_for_file("keys/suit-draft-p256.pub.pem");
	SuitCborItem *protected_maps[4];

	suit_test_load_auth_block("manifest/ex0-secure-boot.suit", &payload, &cose);

	/* no alg at all, unknown alg (ES384), a MAC alg in a Sign1, a text alg */
	protected_maps[0] = NULL;
	protected_maps[1] = suit_test_map_int(SUIT_COSE_HEADER_ALG, -35);
	protected_maps[2] = suit_test_map_int(SUIT_COSE_HEADER_ALG, SUIT_COSE_ALGORITHM_HMAC_256);
	protected_maps[3] = suit_cbor_item_new_map();
	suit_cbor_map_append(protected_maps[3],
			     suit_cbor_item_new_int(SUIT_COSE_HEADER_ALG),
			     suit_cbor_item_new_text("ES256"));
	for (guint i = 0; i < G_N_ELEMENTS(protected_maps); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) tampered =
		    suit_test_ex0_rebuild(cose, suit_test_protected(protected_maps[i]), NULL, NULL);
		g_test_message("case %u", i);
		g_assert_false(suit_cose_verify(tampered, payload, keyring, NULL, &error));
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_UNSUPPORTED_ALGORITHM);
	}
}

static SuitCborItem *
suit_test_protected_with_crit(gint64 alg, gint64 crit_label)
{
	SuitCborItem *map = suit_test_map_int(SUIT_COSE_HEADER_ALG, alg);
	SuitCborItem *crit = suit_cbor_item_new_array();
	suit_cbor_array_append(crit, suit_cbor_item_new_int(crit_label));
	suit_cbor_map_append(map, suit_cbor_item_new_int(SUIT_COSE_HEADER_CRIT), crit);
	return map;
}

static void
test_cose_sign1_crit_unknown(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) payload = NULL;
	g_autoptr(GBytes) cose = NULL;
	g_autoptr(GBytes) tampered = NULL;
	g_autoptr(GBytes) signed_crit = NULL;
	g_autoptr(GBytes) signed_text_crit = NULL;
	g_autoptr(SuitKey) key = suit_key_generate(SUIT_KEY_TYPE_P256, &error);
	g_autoptr(SuitKeyring) keyring = suit_test_keyring_new_for_file("keys/suit-draft-p256.pub.pem");
	g_autoptr(SuitKeyring) keyring_gen = suit_test_keyring_new_for_key(key);
	g_autoptr(SuitCoseInfo) info = NULL;
	SuitCborItem *text_crit_map;
	SuitCborItem *crit;

	g_assert_no_error(error);
	suit_test_load_auth_block("manifest/ex0-secure-boot.suit", &payload, &cose);
	tampered =
	    suit_test_ex0_rebuild(cose,
				  suit_test_protected(suit_test_protected_with_crit(SUIT_COSE_ALGORITHM_ES256, 99)),
				  NULL,
				  NULL);
	g_assert_false(suit_cose_verify(tampered, payload, keyring, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_UNSUPPORTED_ELEMENT);
	g_clear_error(&error);
	info = suit_cose_inspect(tampered, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_UNSUPPORTED_ELEMENT);
	g_assert_null(info);
	g_clear_error(&error);

	/* even with a valid signature over the crit header */
	signed_crit = suit_test_sign1_with_protected(key,
						     SUIT_COSE_ALGORITHM_ESP256,
						     suit_test_protected_with_crit(SUIT_COSE_ALGORITHM_ESP256, -70000),
						     payload);
	g_assert_false(suit_cose_verify(signed_crit, payload, keyring_gen, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_UNSUPPORTED_ELEMENT);
	g_clear_error(&error);

	/* text labels are not understood either */
	text_crit_map = suit_test_map_int(SUIT_COSE_HEADER_ALG, SUIT_COSE_ALGORITHM_ESP256);
	crit = suit_cbor_item_new_array();
	suit_cbor_array_append(crit, suit_cbor_item_new_text("reveal"));
	suit_cbor_map_append(text_crit_map, suit_cbor_item_new_int(SUIT_COSE_HEADER_CRIT), crit);
	suit_cbor_map_append(text_crit_map, suit_cbor_item_new_text("reveal"), suit_cbor_item_new_bool(TRUE));
	signed_text_crit = suit_test_sign1_with_protected(key, SUIT_COSE_ALGORITHM_ESP256, text_crit_map, payload);
	g_assert_false(suit_cose_verify(signed_text_crit, payload, keyring_gen, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_UNSUPPORTED_ELEMENT);
}

static void
test_cose_sign1_crit_known(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) payload = g_bytes_new_static("payload", 7);
	g_autoptr(GBytes) cose = NULL;
	g_autoptr(SuitKey) key = suit_key_generate(SUIT_KEY_TYPE_ED25519, &error);
	g_autoptr(SuitKeyring) keyring = suit_test_keyring_new_for_key(key);
	g_autoptr(SuitCoseInfo) info = NULL;
	SuitCborItem *map = suit_test_protected_with_crit(SUIT_COSE_ALGORITHM_ED25519, SUIT_COSE_HEADER_KID);

	g_assert_no_error(error);
	suit_cbor_map_append(map,
			     suit_cbor_item_new_int(SUIT_COSE_HEADER_KID),
			     suit_cbor_item_new_bytes_data((const guint8 *)"k1", 2));
	cose = suit_test_sign1_with_protected(key, SUIT_COSE_ALGORITHM_ED25519, map, payload);
	g_assert_true(suit_cose_verify(cose, payload, keyring, NULL, &error));
	g_assert_no_error(error);
	info = suit_cose_inspect(cose, &error);
	g_assert_no_error(error);
	g_assert_nonnull(info->key_id);
	g_assert_cmpuint(g_bytes_get_size(info->key_id), ==, 2);
}

static void
test_cose_sign1_flipped_signature(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) payload = NULL;
	g_autoptr(GBytes) cose = NULL;
	g_autoptr(SuitKeyring) keyring = suit_test_keyring_new_for_file("keys/suit-draft-p256.pub.pem");
	gsize size;

	suit_test_load_auth_block("manifest/ex0-secure-boot.suit", &payload, &cose);
	size = g_bytes_get_size(cose);

	/* the signature is the last 64 bytes: flip bytes of r and of s */
	for (gsize off = size - 64; off < size; off += 21) {
		g_autoptr(GBytes) flipped = suit_test_bytes_flip(cose, off, 0x01);
		g_assert_false(suit_cose_verify(flipped, payload, keyring, NULL, &error));
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
		g_clear_error(&error);
	}
	{
		g_autoptr(GBytes) flipped = suit_test_bytes_flip(cose, size - 1, 0x01);
		g_assert_false(suit_cose_verify(flipped, payload, keyring, NULL, &error));
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
		g_clear_error(&error);
	}

	/* and a flipped payload */
	{
		g_autoptr(GBytes) flipped = suit_test_bytes_flip(payload, 10, 0x01);
		g_assert_false(suit_cose_verify(cose, flipped, keyring, NULL, &error));
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
	}
}

static void
test_cose_sign1_payload_mismatch(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) payload = NULL;
	g_autoptr(GBytes) cose = NULL;
	g_autoptr(GBytes) attached = NULL;
	g_autoptr(GBytes) mismatched = NULL;
	g_autoptr(GBytes) other = g_bytes_new_static("other payload", 13);
	g_autoptr(GBytes) result = NULL;
	g_autoptr(SuitKeyring) keyring = suit_test_keyring_new_for_file("keys/suit-draft-p256.pub.pem");

	suit_test_load_auth_block("manifest/ex0-secure-boot.suit", &payload, &cose);

	/* attaching the signed payload keeps the signature valid */
	attached = suit_test_ex0_rebuild(cose, NULL, NULL, suit_cbor_item_new_bytes(payload));
	g_assert_true(suit_cose_verify(attached, payload, keyring, NULL, &error));
	g_assert_no_error(error);
	result = suit_cose_verify_attached(attached, keyring, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(result, payload));
	g_clear_pointer(&result, g_bytes_unref);

	/* an attached payload that is not the detached one */
	mismatched = suit_test_ex0_rebuild(cose, NULL, NULL, suit_cbor_item_new_bytes(other));
	g_assert_false(suit_cose_verify(mismatched, payload, keyring, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
	g_clear_error(&error);
	result = suit_cose_verify_attached(mismatched, keyring, NULL, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
	g_assert_null(result);
	g_clear_error(&error);

	/* a detached block checked against the wrong payload */
	g_assert_false(suit_cose_verify(cose, other, keyring, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
}

static void
test_cose_malformed(void)
{
	g_autoptr(GBytes) payload = NULL;
	g_autoptr(GBytes) cose = NULL;
	g_autoptr(SuitCborItem) root = NULL;
	g_autoptr(SuitKeyring) keyring = suit_test_keyring_new_for_file("keys/suit-draft-p256.pub.pem");
	SuitCborItem *array;
	struct {
		const gchar *what;
		GBytes *cose;
		gint code;
	} cases[20];
	guint n = 0;

	suit_test_load_auth_block("manifest/ex0-secure-boot.suit", &payload, &cose);
	root = suit_test_decode(cose);
	array = suit_cbor_tag_get_content(root);

	cases[n].what = "not cbor";
	cases[n].cose = g_bytes_new_static("\xff\x00", 2);
	cases[n++].code = SUIT_ERROR_INVALID_CBOR;

	cases[n].what = "trailing bytes";
	{
		g_autoptr(GByteArray) buf = g_byte_array_new();
		g_byte_array_append(buf, g_bytes_get_data(cose, NULL), g_bytes_get_size(cose));
		g_byte_array_append(buf, (const guint8 *)"\x00", 1);
		cases[n].cose = g_byte_array_free_to_bytes(g_steal_pointer(&buf));
	}
	cases[n++].code = SUIT_ERROR_INVALID_CBOR;

	cases[n].what = "untagged";
	cases[n].cose = suit_cbor_encode(array);
	cases[n++].code = SUIT_ERROR_INVALID_DATA;

	cases[n].what = "wrong tag";
	{
		g_autoptr(SuitCborItem) tagged =
		    suit_cbor_item_new_tag(SUIT_COSE_TAG_ENCRYPT, suit_cbor_item_ref(array));
		cases[n].cose = suit_cbor_encode(tagged);
	}
	cases[n++].code = SUIT_ERROR_INVALID_DATA;

	cases[n].what = "mac0 tag on a sign1 alg";
	{
		g_autoptr(SuitCborItem) tagged = suit_cbor_item_new_tag(SUIT_COSE_TAG_MAC0, suit_cbor_item_ref(array));
		cases[n].cose = suit_cbor_encode(tagged);
	}
	cases[n++].code = SUIT_ERROR_UNSUPPORTED_ALGORITHM;

	cases[n].what = "three items";
	{
		g_autoptr(SuitCborItem) short_array = suit_cbor_item_new_array();
		g_autoptr(SuitCborItem) tagged = NULL;
		for (guint i = 0; i < 3; i++)
			suit_cbor_array_append(short_array, suit_cbor_item_ref(suit_cbor_array_get(array, i)));
		tagged = suit_cbor_item_new_tag(SUIT_COSE_TAG_SIGN1, g_steal_pointer(&short_array));
		cases[n].cose = suit_cbor_encode(tagged);
	}
	cases[n++].code = SUIT_ERROR_INVALID_DATA;

	cases[n].what = "protected header is a map";
	cases[n].cose = suit_test_ex0_rebuild(cose, suit_test_map_int(SUIT_COSE_HEADER_ALG, -7), NULL, NULL);
	cases[n++].code = SUIT_ERROR_INVALID_DATA;

	cases[n].what = "protected header holds an array";
	{
		g_autoptr(SuitCborItem) inner = suit_cbor_item_new_array();
		cases[n].cose = suit_test_ex0_rebuild(cose, suit_cbor_item_new_wrapped(inner), NULL, NULL);
	}
	cases[n++].code = SUIT_ERROR_INVALID_DATA;

	cases[n].what = "protected header is not cbor";
	cases[n].cose =
	    suit_test_ex0_rebuild(cose, suit_cbor_item_new_bytes_data((const guint8 *)"\xa1\x01", 2), NULL, NULL);
	cases[n++].code = SUIT_ERROR_INVALID_CBOR;

	cases[n].what = "duplicate key in the protected header";
	{
		SuitCborItem *map = suit_test_map_int(SUIT_COSE_HEADER_ALG, -7);
		suit_cbor_map_append(map, suit_cbor_item_new_int(SUIT_COSE_HEADER_ALG), suit_cbor_item_new_int(-7));
		cases[n].cose = suit_test_ex0_rebuild(cose, suit_test_protected(map), NULL, NULL);
	}
	cases[n++].code = SUIT_ERROR_INVALID_CBOR;

	cases[n].what = "duplicate key in the unprotected header";
	{
		SuitCborItem *map = suit_test_map_int(SUIT_COSE_HEADER_KID, 1);
		suit_cbor_map_append(map, suit_cbor_item_new_int(SUIT_COSE_HEADER_KID), suit_cbor_item_new_int(2));
		cases[n].cose = suit_test_ex0_rebuild(cose, NULL, map, NULL);
	}
	cases[n++].code = SUIT_ERROR_INVALID_CBOR;

	cases[n].what = "label in both headers";
	cases[n].cose = suit_test_ex0_rebuild(cose, NULL, suit_test_map_int(SUIT_COSE_HEADER_ALG, -7), NULL);
	cases[n++].code = SUIT_ERROR_INVALID_DATA;

	cases[n].what = "unprotected header is an array";
	cases[n].cose = suit_test_ex0_rebuild(cose, NULL, suit_cbor_item_new_array(), NULL);
	cases[n++].code = SUIT_ERROR_INVALID_DATA;

	cases[n].what = "kid is an integer";
	cases[n].cose = suit_test_ex0_rebuild(cose, NULL, suit_test_map_int(SUIT_COSE_HEADER_KID, 7), NULL);
	cases[n++].code = SUIT_ERROR_INVALID_DATA;

	cases[n].what = "crit in the unprotected header";
	{
		SuitCborItem *map = suit_cbor_item_new_map();
		SuitCborItem *crit = suit_cbor_item_new_array();
		suit_cbor_array_append(crit, suit_cbor_item_new_int(SUIT_COSE_HEADER_ALG));
		suit_cbor_map_append(map, suit_cbor_item_new_int(SUIT_COSE_HEADER_CRIT), crit);
		cases[n].cose = suit_test_ex0_rebuild(cose, NULL, map, NULL);
	}
	cases[n++].code = SUIT_ERROR_INVALID_DATA;

	cases[n].what = "payload is text";
	cases[n].cose = suit_test_ex0_rebuild(cose, NULL, NULL, suit_cbor_item_new_text("payload"));
	cases[n++].code = SUIT_ERROR_INVALID_DATA;

	g_assert_cmpuint(n, <=, G_N_ELEMENTS(cases));
	for (guint i = 0; i < n; i++) {
		g_autoptr(GError) error = NULL;
		g_test_message("case: %s", cases[i].what);
		g_assert_false(suit_cose_verify(cases[i].cose, payload, keyring, NULL, &error));
		g_assert_error(error, SUIT_ERROR, cases[i].code);
		g_bytes_unref(cases[i].cose);
	}
}

static void
suit_test_round_trip(SuitKey *key, SuitCoseAlgorithm algorithm, guint64 expected_tag)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) payload =
	    suit_test_bytes_from_hex("822f58206658ea560262696dd1f13b782239a064da7c6c5cbaf52fded428a6fc83c7e5af");
	g_autoptr(GBytes) key_id = g_bytes_new_static("kid-1", 5);
	g_autoptr(GBytes) other_id = g_bytes_new_static("kid-9", 5);
	g_autoptr(GBytes) detached = NULL;
	g_autoptr(GBytes) attached = NULL;
	g_autoptr(GBytes) result = NULL;
	g_autoptr(SuitKey) verifier = NULL;
	g_autoptr(SuitKeyring) keyring = suit_keyring_new();
	g_autoptr(SuitCoseInfo) info = NULL;
	g_autoptr(SuitCborItem) root = NULL;
	g_autoptr(SuitKey) used_key = NULL;

	/* verify with the public half where there is one */
	if (suit_key_get_key_type(key) == SUIT_KEY_TYPE_SYMMETRIC) {
		verifier = g_object_ref(key);
	} else {
		verifier = suit_key_dup_public(key, &error);
		g_assert_no_error(error);
	}
	suit_keyring_add(keyring, verifier);

	detached = suit_cose_sign(payload, key, algorithm, NULL, FALSE, &error);
	g_assert_no_error(error);
	g_assert_nonnull(detached);
	root = suit_test_decode(detached);
	g_assert_cmpint(suit_cbor_item_get_type(root), ==, SUIT_CBOR_TYPE_TAG);
	g_assert_cmpuint(suit_cbor_item_get_u64(root), ==, expected_tag);
	g_assert_cmpint(suit_cbor_item_get_type(suit_cbor_array_get(suit_cbor_tag_get_content(root), 2)),
			==,
			SUIT_CBOR_TYPE_NULL);
	g_assert_cmpuint(suit_cbor_item_get_length(suit_cbor_array_get(suit_cbor_tag_get_content(root), 1)), ==, 0);
	g_assert_true(suit_cose_verify(detached, payload, keyring, &used_key, &error));
	g_assert_no_error(error);
	g_assert_true(used_key == verifier);

	info = suit_cose_inspect(detached, &error);
	g_assert_no_error(error);
	g_assert_cmpint(info->algorithm,
			==,
			algorithm != SUIT_COSE_ALGORITHM_NONE ? algorithm : suit_key_get_default_algorithm(key));
	g_assert_null(info->key_id);
	g_assert_cmpuint(info->n_signers, ==, 1);
	g_clear_pointer(&info, suit_cose_info_free);

	/* attached, with a kid */
	attached = suit_cose_sign(payload, key, algorithm, key_id, TRUE, &error);
	g_assert_no_error(error);
	info = suit_cose_inspect(attached, &error);
	g_assert_no_error(error);
	g_assert_nonnull(info->key_id);
	g_assert_true(g_bytes_equal(info->key_id, key_id));
	result = suit_cose_verify_attached(attached, keyring, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(result, payload));
	g_clear_pointer(&result, g_bytes_unref);
	g_assert_true(suit_cose_verify(attached, payload, keyring, NULL, &error));
	g_assert_no_error(error);

	/* a key with a matching key id verifies, another id is not tried */
	suit_key_set_key_id(verifier, key_id);
	result = suit_cose_verify_attached(attached, keyring, NULL, &error);
	g_assert_no_error(error);
	g_clear_pointer(&result, g_bytes_unref);
	suit_key_set_key_id(verifier, other_id);
	result = suit_cose_verify_attached(attached, keyring, NULL, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
	g_assert_null(result);
	g_clear_error(&error);

	/* the detached block has no kid, so the key id does not matter */
	g_assert_true(suit_cose_verify(detached, payload, keyring, NULL, &error));
	g_assert_no_error(error);

	/* a symmetric verifier is @key itself */
	suit_key_set_key_id(verifier, NULL);
}

static void
test_cose_sign1_round_trip(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitKey) p256 = suit_key_generate(SUIT_KEY_TYPE_P256, &error);
	g_autoptr(SuitKey) ed25519 = suit_key_generate(SUIT_KEY_TYPE_ED25519, &error);

	g_assert_no_error(error);
	suit_test_round_trip(p256, SUIT_COSE_ALGORITHM_ES256, SUIT_COSE_TAG_SIGN1);
	suit_test_round_trip(p256, SUIT_COSE_ALGORITHM_ESP256, SUIT_COSE_TAG_SIGN1);
	suit_test_round_trip(p256, SUIT_COSE_ALGORITHM_NONE, SUIT_COSE_TAG_SIGN1);
	suit_test_round_trip(ed25519, SUIT_COSE_ALGORITHM_EDDSA, SUIT_COSE_TAG_SIGN1);
	suit_test_round_trip(ed25519, SUIT_COSE_ALGORITHM_ED25519, SUIT_COSE_TAG_SIGN1);
	suit_test_round_trip(ed25519, SUIT_COSE_ALGORITHM_NONE, SUIT_COSE_TAG_SIGN1);
}

static void
test_cose_mac0_round_trip(void)
{
	g_autoptr(SuitKey) key = suit_test_hmac_key();
	suit_test_round_trip(key, SUIT_COSE_ALGORITHM_HMAC_256, SUIT_COSE_TAG_MAC0);
	suit_test_round_trip(key, SUIT_COSE_ALGORITHM_NONE, SUIT_COSE_TAG_MAC0);
}

static void
test_cose_sign_errors(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) payload = g_bytes_new_static("payload", 7);
	g_autoptr(GBytes) short_secret = g_bytes_new_static("too short", 9);
	g_autoptr(GBytes) cose = NULL;
	g_autoptr(SuitKey) pub = suit_test_load_key("keys/suit-draft-p256.pub.pem");
	g_autoptr(SuitKey) ed25519 = suit_test_load_key("keys/ed25519-rfc8032-test1.priv.pem");
	g_autoptr(SuitKey) hmac = NULL;

	/* no private key */
	cose = suit_cose_sign(payload, pub, SUIT_COSE_ALGORITHM_ES256, NULL, FALSE, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED);
	g_assert_null(cose);
	g_clear_error(&error);

	/* algorithm of another key type */
	cose = suit_cose_sign(payload, ed25519, SUIT_COSE_ALGORITHM_ES256, NULL, FALSE, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_UNSUPPORTED_ALGORITHM);
	g_assert_null(cose);
	g_clear_error(&error);
	cose = suit_cose_sign(payload, ed25519, SUIT_COSE_ALGORITHM_HMAC_256, NULL, FALSE, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_UNSUPPORTED_ALGORITHM);
	g_assert_null(cose);
	g_clear_error(&error);

	/* HMAC key too short */
	hmac = suit_key_new_symmetric(short_secret, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
	g_assert_null(hmac);
}

/* a COSE_Sign with one signature per key, each with its own alg and kid */
static GBytes *
suit_test_build_cose_sign(GBytes *payload, SuitKey **keys, const gint64 *algs, const gchar **kids, guint n)
{
	g_autoptr(SuitCborItem) body_protected = suit_test_protected(NULL);
	SuitCborItem *signatures = suit_cbor_item_new_array();

	for (guint i = 0; i < n; i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(SuitCborItem) sign_protected =
		    suit_test_protected(suit_test_map_int(SUIT_COSE_HEADER_ALG, algs[i]));
		g_autoptr(GBytes) tbs = suit_test_tbs("Signature",
						      suit_cbor_item_get_bytes(body_protected),
						      suit_cbor_item_get_bytes(sign_protected),
						      payload);
		g_autoptr(GBytes) signature = NULL;
		SuitCborItem *unprotected = suit_cbor_item_new_map();
		SuitCborItem *signer = suit_cbor_item_new_array();
		SuitCoseAlgorithm sign_alg = suit_key_get_default_algorithm(keys[i]);

		signature = suit_key_sign(keys[i], sign_alg, tbs, &error);
		g_assert_no_error(error);
		if (kids[i] != NULL)
			suit_cbor_map_append(unprotected,
					     suit_cbor_item_new_int(SUIT_COSE_HEADER_KID),
					     suit_cbor_item_new_bytes_data((const guint8 *)kids[i], strlen(kids[i])));
		suit_cbor_array_append(signer, suit_cbor_item_ref(sign_protected));
		suit_cbor_array_append(signer, unprotected);
		suit_cbor_array_append(signer, suit_cbor_item_new_bytes(signature));
		suit_cbor_array_append(signatures, signer);
	}
	return suit_test_build_cose(SUIT_COSE_TAG_SIGN,
				    suit_cbor_item_ref(body_protected),
				    suit_cbor_item_new_map(),
				    suit_cbor_item_new_null(),
				    signatures);
}

static void
test_cose_sign_verify(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) payload = g_bytes_new_static("payload", 7);
	g_autoptr(SuitKey) p256 = suit_test_load_key("keys/suit-draft-p256.priv.pem");
	g_autoptr(SuitKey) ed25519 = suit_test_load_key("keys/ed25519-rfc8032-test1.priv.pem");
	g_autoptr(SuitKey) other = suit_test_load_key("keys/nordic-suit-generator-test-p256.pub.pem");
	g_autoptr(SuitKeyring) keyring_p256 = suit_test_keyring_new_for_key(p256);
	g_autoptr(SuitKeyring) keyring_ed25519 = suit_test_keyring_new_for_key(ed25519);
	g_autoptr(SuitKeyring) keyring_other = suit_test_keyring_new_for_key(other);
	g_autoptr(GBytes) cose = NULL;
	g_autoptr(GBytes) cose_unknown = NULL;
	g_autoptr(GBytes) cose_all_unknown = NULL;
	g_autoptr(SuitCoseInfo) info = NULL;
	g_autoptr(SuitKey) used_key = NULL;
	SuitKey *keys[] = {p256, ed25519};
	const gint64 algs[] = {SUIT_COSE_ALGORITHM_ES256, SUIT_COSE_ALGORITHM_ED25519};
	const gchar *kids[] = {"a", NULL};
	const gint64 algs_unknown[] = {-35, SUIT_COSE_ALGORITHM_ED25519};
	const gint64 algs_all_unknown[] = {-35, -36};

	cose = suit_test_build_cose_sign(payload, keys, algs, kids, 2);
	info = suit_cose_inspect(cose, &error);
	g_assert_no_error(error);
	g_assert_cmpint(info->type, ==, SUIT_COSE_TYPE_SIGN);
	g_assert_cmpint(info->algorithm, ==, SUIT_COSE_ALGORITHM_ES256);
	g_assert_cmpuint(info->n_signers, ==, 2);
	g_assert_nonnull(info->key_id);
	g_assert_cmpuint(g_bytes_get_size(info->key_id), ==, 1);

	/* either signer is enough */
	g_assert_true(suit_cose_verify(cose, payload, keyring_p256, &used_key, &error));
	g_assert_no_error(error);
	g_assert_true(used_key == p256);
	g_clear_object(&used_key);
	g_assert_true(suit_cose_verify(cose, payload, keyring_ed25519, &used_key, &error));
	g_assert_no_error(error);
	g_assert_true(used_key == ed25519);
	g_assert_false(suit_cose_verify(cose, payload, keyring_other, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
	g_clear_error(&error);

	/* a signer with an unknown algorithm next to a good one */
	cose_unknown = suit_test_build_cose_sign(payload, keys, algs_unknown, kids, 2);
	g_assert_true(suit_cose_verify(cose_unknown, payload, keyring_ed25519, NULL, &error));
	g_assert_no_error(error);
	g_assert_false(suit_cose_verify(cose_unknown, payload, keyring_p256, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
	g_clear_error(&error);

	/* only unknown algorithms */
	cose_all_unknown = suit_test_build_cose_sign(payload, keys, algs_all_unknown, kids, 2);
	g_assert_false(suit_cose_verify(cose_all_unknown, payload, keyring_p256, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_UNSUPPORTED_ALGORITHM);
}

static GBytes *
suit_test_build_cose_mac(SuitKey *key, GBytes *payload, gint64 recipient_alg, const gchar *kid)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitCborItem) protected_item =
	    suit_test_protected(suit_test_map_int(SUIT_COSE_HEADER_ALG, SUIT_COSE_ALGORITHM_HMAC_256));
	g_autoptr(GBytes) tbs = suit_test_tbs("MAC", suit_cbor_item_get_bytes(protected_item), NULL, payload);
	g_autoptr(GBytes) tag = suit_key_sign(key, SUIT_COSE_ALGORITHM_HMAC_256, tbs, &error);
	g_autoptr(SuitCborItem) root = NULL;
	SuitCborItem *array = suit_cbor_item_new_array();
	SuitCborItem *recipients = suit_cbor_item_new_array();
	SuitCborItem *recipient = suit_cbor_item_new_array();
	SuitCborItem *unprotected = suit_test_map_int(SUIT_COSE_HEADER_ALG, recipient_alg);

	g_assert_no_error(error);
	suit_cbor_map_append(unprotected,
			     suit_cbor_item_new_int(SUIT_COSE_HEADER_KID),
			     suit_cbor_item_new_bytes_data((const guint8 *)kid, strlen(kid)));
	suit_cbor_array_append(recipient, suit_cbor_item_new_bytes_data(NULL, 0));
	suit_cbor_array_append(recipient, unprotected);
	suit_cbor_array_append(recipient, suit_cbor_item_new_bytes_data(NULL, 0));
	suit_cbor_array_append(recipients, recipient);

	suit_cbor_array_append(array, suit_cbor_item_ref(protected_item));
	suit_cbor_array_append(array, suit_cbor_item_new_map());
	suit_cbor_array_append(array, suit_cbor_item_new_null());
	suit_cbor_array_append(array, suit_cbor_item_new_bytes(tag));
	suit_cbor_array_append(array, recipients);
	root = suit_cbor_item_new_tag(SUIT_COSE_TAG_MAC, array);
	return suit_cbor_encode(root);
}

static void
test_cose_mac_verify(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) payload = g_bytes_new_static("payload", 7);
	g_autoptr(GBytes) other_payload = g_bytes_new_static("payloaD", 7);
	g_autoptr(GBytes) kid = g_bytes_new_static("kid-1", 5);
	g_autoptr(SuitKey) key = suit_test_hmac_key();
	g_autoptr(SuitKeyring) keyring = suit_test_keyring_new_for_key(key);
	g_autoptr(GBytes) cose = suit_test_build_cose_mac(key, payload, -6, "kid-1");
	g_autoptr(GBytes) cose_aeskw = suit_test_build_cose_mac(key, payload, -3, "kid-1");
	g_autoptr(SuitCoseInfo) info = NULL;

	info = suit_cose_inspect(cose, &error);
	g_assert_no_error(error);
	g_assert_cmpint(info->type, ==, SUIT_COSE_TYPE_MAC);
	g_assert_cmpint(info->algorithm, ==, SUIT_COSE_ALGORITHM_HMAC_256);
	g_assert_cmpuint(info->n_signers, ==, 1);
	g_assert_true(g_bytes_equal(info->key_id, kid));

	suit_key_set_key_id(key, kid);
	g_assert_true(suit_cose_verify(cose, payload, keyring, NULL, &error));
	g_assert_no_error(error);
	g_assert_false(suit_cose_verify(cose, other_payload, keyring, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
	g_clear_error(&error);

	/* only direct recipients are supported */
	g_assert_false(suit_cose_verify(cose_aeskw, payload, keyring, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_UNSUPPORTED_ALGORITHM);
}

static void
test_cose_inspect(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) payload = NULL;
	g_autoptr(GBytes) cose = NULL;
	g_autoptr(SuitCoseInfo) info = NULL;

	suit_test_load_auth_block("manifest/ex0-secure-boot.suit", &payload, &cose);
	info = suit_cose_inspect(cose, &error);
	g_assert_no_error(error);
	g_assert_cmpint(info->type, ==, SUIT_COSE_TYPE_SIGN1);
	g_assert_cmpint(info->algorithm, ==, SUIT_COSE_ALGORITHM_ES256);
	g_assert_null(info->key_id);
	g_assert_cmpuint(info->n_signers, ==, 1);
	g_clear_pointer(&info, suit_cose_info_free);

	info = suit_cose_inspect(payload, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
	g_assert_null(info);

	g_assert_cmpstr(suit_cose_type_to_string(SUIT_COSE_TYPE_SIGN1), ==, "COSE_Sign1");
	g_assert_cmpstr(suit_cose_type_to_string(SUIT_COSE_TYPE_SIGN), ==, "COSE_Sign");
	g_assert_cmpstr(suit_cose_type_to_string(SUIT_COSE_TYPE_MAC0), ==, "COSE_Mac0");
	g_assert_cmpstr(suit_cose_type_to_string(SUIT_COSE_TYPE_MAC), ==, "COSE_Mac");
	g_assert_cmpstr(suit_cose_type_to_string(SUIT_COSE_TYPE_UNKNOWN), ==, "unknown");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/suit/cose/sign1/verify-vector", test_cose_sign1_verify_vector);
	g_test_add_func("/suit/cose/sign1/verify-eddsa-vectors", test_cose_sign1_verify_eddsa_vectors);
	g_test_add_func("/suit/cose/sign1/ed25519-deterministic", test_cose_sign1_ed25519_deterministic);
	g_test_add_func("/suit/cose/sign1/verify-attached-report", test_cose_sign1_verify_attached_report);
	g_test_add_func("/suit/cose/sign1/verify-attached-detached", test_cose_sign1_verify_attached_detached);
	g_test_add_func("/suit/cose/sign1/wrong-key", test_cose_sign1_wrong_key);
	g_test_add_func("/suit/cose/sign1/der-signature", test_cose_sign1_der_signature);
	g_test_add_func("/suit/cose/sign1/alg-unprotected", test_cose_sign1_alg_unprotected);
	g_test_add_func("/suit/cose/sign1/alg-invalid", test_cose_sign1_alg_invalid);
	g_test_add_func("/suit/cose/sign1/crit-unknown", test_cose_sign1_crit_unknown);
	g_test_add_func("/suit/cose/sign1/crit-known", test_cose_sign1_crit_known);
	g_test_add_func("/suit/cose/sign1/flipped-signature", test_cose_sign1_flipped_signature);
	g_test_add_func("/suit/cose/sign1/payload-mismatch", test_cose_sign1_payload_mismatch);
	g_test_add_func("/suit/cose/sign1/round-trip", test_cose_sign1_round_trip);
	g_test_add_func("/suit/cose/sign1/sign-errors", test_cose_sign_errors);
	g_test_add_func("/suit/cose/mac0/verify-vector", test_cose_mac0_verify_vector);
	g_test_add_func("/suit/cose/mac0/round-trip", test_cose_mac0_round_trip);
	g_test_add_func("/suit/cose/sign/verify", test_cose_sign_verify);
	g_test_add_func("/suit/cose/mac/verify", test_cose_mac_verify);
	g_test_add_func("/suit/cose/malformed", test_cose_malformed);
	g_test_add_func("/suit/cose/inspect", test_cose_inspect);
	return g_test_run();
}
