/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "suit-cbor-private.h"
#include "suit-encryption-private.h"
#include "suit-test-common.h"
#include "suit.h"

static GPtrArray *
test_keys(const gchar *name)
{
	g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func(g_object_unref);
	g_autoptr(GError) error = NULL;
	SuitKey *key;

	if (g_strcmp0(name, "kek") == 0) {
		g_autoptr(GBytes) secret = suit_test_load_vector("keys/a128kw-kek-kid-1.bin");
		g_autoptr(GBytes) kid = g_bytes_new_static("kid-1", 5);
		key = suit_key_new_symmetric(secret, &error);
		g_assert_no_error(error);
		suit_key_set_key_id(key, kid);
	} else {
		g_autofree gchar *path = suit_test_vector_path("keys/esdh-recipient-p256-kid-2.priv.pem");
		g_autoptr(GBytes) kid = g_bytes_new_static("kid-2", 5);
		key = suit_key_new_from_file(path, &error);
		g_assert_no_error(error);
		suit_key_set_key_id(key, kid);
	}
	g_ptr_array_add(keys, key);
	return g_steal_pointer(&keys);
}

static GBytes *
test_decrypt(const gchar *info_name, const gchar *payload, GPtrArray *keys, GError **error)
{
	g_autofree gchar *info_path = g_strdup_printf("encryption/%s", info_name);
	g_autofree gchar *payload_path = g_strdup_printf("encryption/%s", payload);
	g_autoptr(GBytes) info = suit_test_load_vector(info_path);
	g_autoptr(GBytes) ciphertext = suit_test_load_vector(payload_path);
	return suit_encryption_decrypt(info, ciphertext, keys, error);
}

static void
test_encryption_vectors(void)
{
	struct {
		const gchar *info;
		const gchar *payload;
		const gchar *key;
	} cases[] = {
	    {"encinfo-aeskw-a128gcm.cose", "payload-a128gcm.enc", "kek"},
	    {"encinfo-aeskw-a128ctr.cose", "payload-a128ctr.enc", "kek"},
	    {"encinfo-esdh-a128gcm.cose", "payload-a128gcm.enc", "esdh"},
	    {"encinfo-esdh-a128ctr.cose", "payload-a128ctr.enc", "esdh"},
	};
	g_autoptr(GBytes) expected = suit_test_load_vector("encryption/plaintext.bin");

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GPtrArray) keys = test_keys(cases[i].key);
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) plaintext = test_decrypt(cases[i].info, cases[i].payload, keys, &error);
		g_assert_no_error(error);
		g_assert_nonnull(plaintext);
		g_assert_true(g_bytes_equal(plaintext, expected));
	}
}

static void
test_encryption_wrong_key(void)
{
	g_autoptr(GPtrArray) esdh = test_keys("esdh");
	g_autoptr(GPtrArray) kek = test_keys("kek");
	g_autoptr(GPtrArray) other = g_ptr_array_new_with_free_func(g_object_unref);
	g_autoptr(GPtrArray) none = g_ptr_array_new_with_free_func(g_object_unref);
	g_autoptr(GBytes) wrong_secret = g_bytes_new_static("0123456789abcdef", 16);
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitKey) generated = suit_key_generate(SUIT_KEY_TYPE_P256, &error);
	SuitKey *wrong = NULL;
	GBytes *plaintext;

	g_assert_no_error(error);
	/* the kid does not match: the key is not even tried */
	plaintext = test_decrypt("encinfo-aeskw-a128gcm.cose", "payload-a128gcm.enc", esdh, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
	g_assert_null(plaintext);
	g_clear_error(&error);
	plaintext = test_decrypt("encinfo-esdh-a128gcm.cose", "payload-a128gcm.enc", kek, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
	g_assert_null(plaintext);
	g_clear_error(&error);
	plaintext = test_decrypt("encinfo-esdh-a128gcm.cose", "payload-a128gcm.enc", none, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
	g_assert_null(plaintext);
	g_clear_error(&error);

	/* keys without a kid are tried, and fail to unwrap */
	wrong = suit_key_new_symmetric(wrong_secret, &error);
	g_assert_no_error(error);
	g_ptr_array_add(other, wrong);
	g_ptr_array_add(other, g_object_ref(generated));
	plaintext = test_decrypt("encinfo-aeskw-a128gcm.cose", "payload-a128gcm.enc", other, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
	g_assert_null(plaintext);
	g_clear_error(&error);
	plaintext = test_decrypt("encinfo-esdh-a128ctr.cose", "payload-a128ctr.enc", other, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
	g_assert_null(plaintext);
}

static void
test_encryption_flipped(void)
{
	g_autoptr(GPtrArray) kek = test_keys("kek");
	g_autoptr(GBytes) expected = suit_test_load_vector("encryption/plaintext.bin");
	g_autoptr(GBytes) info_gcm = suit_test_load_vector("encryption/encinfo-aeskw-a128gcm.cose");
	g_autoptr(GBytes) info_ctr = suit_test_load_vector("encryption/encinfo-aeskw-a128ctr.cose");
	g_autoptr(GBytes) gcm = suit_test_load_vector("encryption/payload-a128gcm.enc");
	g_autoptr(GBytes) ctr = suit_test_load_vector("encryption/payload-a128ctr.enc");
	g_autoptr(GBytes) gcm_flipped = suit_test_bytes_flip(gcm, 3, 0x01);
	g_autoptr(GBytes) gcm_tag_flipped = suit_test_bytes_flip(gcm, g_bytes_get_size(gcm) - 1, 0x80);
	g_autoptr(GBytes) ctr_flipped = suit_test_bytes_flip(ctr, 3, 0x01);
	g_autoptr(GBytes) short_gcm = g_bytes_new_from_bytes(gcm, 0, 15);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) plaintext = NULL;

	g_assert_null(suit_encryption_decrypt(info_gcm, gcm_flipped, kek, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
	g_clear_error(&error);
	g_assert_null(suit_encryption_decrypt(info_gcm, gcm_tag_flipped, kek, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
	g_clear_error(&error);
	g_assert_null(suit_encryption_decrypt(info_gcm, short_gcm, kek, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
	g_clear_error(&error);

	/* CTR has no integrity: the plaintext differs in exactly the flipped bit */
	plaintext = suit_encryption_decrypt(info_ctr, ctr_flipped, kek, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(g_bytes_get_size(plaintext), ==, g_bytes_get_size(expected));
	g_assert_false(g_bytes_equal(plaintext, expected));
	g_assert_cmpint(((const guint8 *)g_bytes_get_data(plaintext, NULL))[3] ^
			    ((const guint8 *)g_bytes_get_data(expected, NULL))[3],
			==,
			0x01);
}

/* an encoded COSE_Encrypt with the given content and recipient algorithms */
static GBytes *
test_build_info(gint64 content_alg, gint64 recipient_alg, gboolean tagged, gboolean detached)
{
	g_autoptr(SuitCborItem) root = NULL;
	SuitCborItem *encrypt = suit_cbor_item_new_array();
	SuitCborItem *protected = suit_cbor_item_new_map();
	SuitCborItem *unprotected = suit_cbor_item_new_map();
	SuitCborItem *recipients = suit_cbor_item_new_array();
	SuitCborItem *recipient = suit_cbor_item_new_array();
	SuitCborItem *runprotected = suit_cbor_item_new_map();
	guint8 iv[12] = {0};
	guint8 wrapped[24] = {0};

	suit_cbor_map_append(protected, suit_cbor_item_new_int(1), suit_cbor_item_new_int(content_alg));
	suit_cbor_array_append(encrypt, suit_cbor_item_new_wrapped(protected));
	suit_cbor_item_unref(protected);
	suit_cbor_map_append(unprotected, suit_cbor_item_new_int(5), suit_cbor_item_new_bytes_data(iv, sizeof(iv)));
	suit_cbor_array_append(encrypt, unprotected);
	suit_cbor_array_append(encrypt,
			       detached ? suit_cbor_item_new_null() : suit_cbor_item_new_bytes_data(iv, sizeof(iv)));
	suit_cbor_array_append(recipient, suit_cbor_item_new_bytes_data(NULL, 0));
	suit_cbor_map_append(runprotected, suit_cbor_item_new_int(1), suit_cbor_item_new_int(recipient_alg));
	suit_cbor_array_append(recipient, runprotected);
	suit_cbor_array_append(recipient, suit_cbor_item_new_bytes_data(wrapped, sizeof(wrapped)));
	suit_cbor_array_append(recipients, recipient);
	suit_cbor_array_append(encrypt, recipients);
	root = tagged ? suit_cbor_item_new_tag(96, encrypt) : encrypt;
	return suit_cbor_encode(root);
}

static void
test_encryption_unsupported(void)
{
	g_autoptr(GPtrArray) kek = test_keys("kek");
	g_autoptr(GBytes) ciphertext = suit_test_load_vector("encryption/payload-a128gcm.enc");
	g_autoptr(GBytes) ctr_info = suit_test_load_vector("encryption/encinfo-aeskw-a128ctr.cose");
	g_autoptr(GBytes) garbage = g_bytes_new_static("\xff\x00", 2);
	struct {
		gint64 content_alg;
		gint64 recipient_alg;
		gboolean tagged;
		gboolean detached;
		gint code;
	} cases[] = {
	    {3, -3, TRUE, TRUE, SUIT_ERROR_UNSUPPORTED_ALGORITHM},	 /* A256GCM */
	    {-65533, -3, TRUE, TRUE, SUIT_ERROR_UNSUPPORTED_ALGORITHM}, /* A192CTR */
	    {1, -5, TRUE, TRUE, SUIT_ERROR_UNSUPPORTED_ALGORITHM},	 /* A256KW */
	    {1, -31, TRUE, TRUE, SUIT_ERROR_UNSUPPORTED_ALGORITHM},	 /* ECDH-ES+A256KW */
	    {1, -3, FALSE, TRUE, SUIT_ERROR_INVALID_DATA},		 /* untagged */
	    {1, -3, TRUE, FALSE, SUIT_ERROR_INVALID_DATA},		 /* attached */
	    {1, -3, TRUE, TRUE, SUIT_ERROR_SIGNATURE_INVALID},		 /* zero wrapped key, no kid */
	};
	g_autoptr(GError) error = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GBytes) info =
		    test_build_info(cases[i].content_alg, cases[i].recipient_alg, cases[i].tagged, cases[i].detached);
		g_autoptr(GBytes) plaintext = suit_encryption_decrypt(info, ciphertext, kek, &error);
		g_assert_error(error, SUIT_ERROR, cases[i].code);
		g_assert_null(plaintext);
		g_clear_error(&error);
	}
	g_assert_null(suit_encryption_decrypt(garbage, ciphertext, kek, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_CBOR);
	g_clear_error(&error);
	/* A128CTR with a non-empty protected header is refused */
	{
		g_autoptr(GBytes) info = test_build_info(-65534, -3, TRUE, TRUE);
		g_assert_null(suit_encryption_decrypt(info, ciphertext, kek, &error));
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
		g_clear_error(&error);
	}
	/* CTR decrypts any length (no integrity) */
	{
		g_autoptr(GBytes) plaintext = suit_encryption_decrypt(ctr_info, ciphertext, kek, &error);
		g_assert_no_error(error);
		g_assert_nonnull(plaintext);
	}
}

static void
test_encryption_bad_ephemeral(void)
{
	g_autoptr(GPtrArray) esdh = test_keys("esdh");
	g_autoptr(GBytes) info = suit_test_load_vector("encryption/encinfo-esdh-a128gcm.cose");
	g_autoptr(GBytes) ciphertext = suit_test_load_vector("encryption/payload-a128gcm.enc");
	const guint8 *data;
	gsize len = 0;
	gssize pos = -1;
	g_autoptr(GBytes) flipped = NULL;
	g_autoptr(GError) error = NULL;

	/* flip the last byte of the ephemeral y coordinate (after "22 58 20") */
	data = g_bytes_get_data(info, &len);
	for (gsize i = 0; i + 3 < len; i++) {
		if (data[i] == 0x22 && data[i + 1] == 0x58 && data[i + 2] == 0x20)
			pos = (gssize)(i + 3 + 31);
	}
	g_assert_cmpint(pos, >, 0);
	flipped = suit_test_bytes_flip(info, (gsize)pos, 0x01);
	g_assert_null(suit_encryption_decrypt(flipped, ciphertext, esdh, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error->message, "not on the P-256 curve"));
}

static void
test_encryption_kdf_context(void)
{
	g_autoptr(GBytes) protected = suit_test_bytes_from_hex("a101381c");
	g_autoptr(GBytes) context = suit_encryption_kdf_context(protected);
	g_autofree gchar *hex = suit_test_bytes_to_hex(context);
	/* [-3, [nil,nil,nil], [nil,nil,nil], [128, h'a101381c', 'SUIT Payload Encryption']] */
	g_assert_cmpstr(hex,
			==,
			"842283f6f6f683f6f6f6831880"
			"44a101381c"
			"5753554954205061796c6f616420456e6372797074696f6e");
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/encryption/vectors", test_encryption_vectors);
	g_test_add_func("/encryption/wrong-key", test_encryption_wrong_key);
	g_test_add_func("/encryption/flipped", test_encryption_flipped);
	g_test_add_func("/encryption/unsupported", test_encryption_unsupported);
	g_test_add_func("/encryption/bad-ephemeral", test_encryption_bad_ephemeral);
	g_test_add_func("/encryption/kdf-context", test_encryption_kdf_context);
	return g_test_run();
}
