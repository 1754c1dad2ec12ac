/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "suit-cose-private.h"
#include "suit-test-common.h"

/* the digest of the ex0 manifest, which the libcsuit report refers to */
#define EX0_DIGEST  "6658ea560262696dd1f13b782239a064da7c6c5cbaf52fded428a6fc83c7e5af"
#define EX0_VENDOR  "fa6b4a53d5ad5fdfbe9de663e4d41ffe"
#define EX0_CLASS   "1492af1425695e48bf429b2d51f2ab45"
/* libcsuit's COSE kid of the device key */
#define EX0_KID	    "e96788b10b1610abe478f9ce8dcfe2304c0911dd8cfeadde25ec30ccb5a7b5af"
/* the libcsuit payload in RFC 8949 deterministic order without the repeated
 * keys, computed independently (Python cbor2, canonical=True) */
#define EX0_PAYLOAD_DETERMINISTIC                                                                  \
	"a30381a4008141000150fa6b4a53d5ad5fdfbe9de663e4d41ffe02501492af1425695e48bf429b2d51f2ab45" \
	"0e1987d004f518638260822f58206658ea560262696dd1f13b782239a064da7c6c5cbaf52fded428a6fc83c7" \
	"e5af"
/* {99: ["", [-16, h'11'*32]], 2: h'0102', 3: [[[], 20, 5, 0, {14: 1024}]],
 *  4: {5: -3, 6: [[1, 2], 7, 0, 1, {3: <<[-16, h'22'*32]>>, 21: "http://x"}], 7: 10}}
 * encoded by Python cbor2 with canonical=True */
#define FAILURE_REPORT_HEX                                                                         \
	"a40242010203818580140500a10e19040004a305220685820102070001a2035824822f5820222222222222222" \
	"22222222222222222222222222222222222222222222222221568687474703a2f2f78070a18638260822f582" \
	"01111111111111111111111111111111111111111111111111111111111111111"

static SuitKeyring *
suit_test_device_keyring(gboolean with_kid)
{
	g_autoptr(SuitKeyring) keyring = suit_keyring_new();
	g_autofree gchar *path = suit_test_vector_path("keys/esdh-recipient-p256-kid-2.pub.pem");
	g_autoptr(SuitKey) key = NULL;
	g_autoptr(GError) error = NULL;

	key = suit_key_new_from_file(path, &error);
	g_assert_no_error(error);
	g_assert_nonnull(key);
	if (with_kid) {
		g_autoptr(GBytes) kid = suit_test_bytes_from_hex(EX0_KID);
		suit_key_set_key_id(key, kid);
	}
	suit_keyring_add(keyring, key);
	return g_steal_pointer(&keyring);
}

static void
suit_test_assert_bytes_hex(GBytes *bytes, const gchar *hex)
{
	g_autofree gchar *got = NULL;
	g_assert_nonnull(bytes);
	got = suit_test_bytes_to_hex(bytes);
	g_assert_cmpstr(got, ==, hex);
}

static void
suit_test_assert_ex0_report(SuitReport *report)
{
	GPtrArray *claims;
	SuitReportClaims *claim;
	SuitReportProperties *props;
	SuitDigest *digest;
	g_autoptr(GBytes) component_cbor = NULL;
	g_autofree gchar *digest_hex = NULL;
	guint64 size = 0;

	g_assert_cmpstr(suit_report_get_reference_uri(report), ==, "");
	digest = suit_report_get_reference_digest(report);
	g_assert_nonnull(digest);
	g_assert_cmpint(suit_digest_get_algorithm(digest), ==, SUIT_DIGEST_ALGORITHM_SHA256);
	digest_hex = suit_digest_to_hex(digest);
	g_assert_cmpstr(digest_hex, ==, EX0_DIGEST);
	g_assert_null(suit_report_get_nonce(report));
	g_assert_cmpuint(suit_report_get_records(report)->len, ==, 0);

	claims = suit_report_get_claims(report);
	g_assert_cmpuint(claims->len, ==, 1);
	claim = g_ptr_array_index(claims, 0);
	component_cbor = suit_component_id_to_cbor(suit_report_claims_get_component_id(claim));
	suit_test_assert_bytes_hex(component_cbor, "814100");
	props = suit_report_claims_get_properties(claim);
	g_assert_cmpuint(suit_report_properties_get_size(props), ==, 3);
	g_assert_cmpint(suit_report_properties_get_key(props, 0), ==, 1);
	g_assert_cmpint(suit_report_properties_get_key(props, 1), ==, 2);
	g_assert_cmpint(suit_report_properties_get_key(props, 2), ==, 14);
	suit_test_assert_bytes_hex(suit_report_properties_get_bytes(props, 1), EX0_VENDOR);
	suit_test_assert_bytes_hex(suit_report_properties_get_bytes(props, 2), EX0_CLASS);
	g_assert_true(suit_report_properties_get_uint(props, 14, &size));
	g_assert_cmpuint(size, ==, 34768);

	g_assert_true(suit_report_has_result(report));
	g_assert_true(suit_report_is_success(report));
	g_assert_cmpint(suit_report_get_result_reason(report), ==, SUIT_REPORT_REASON_OK);
	g_assert_null(suit_report_get_result_record(report));
}

static void
suit_report_vector_func(void)
{
	g_autoptr(GBytes) cose = suit_test_load_vector("report/report-libcsuit-ex0-success.cose");
	g_autoptr(GBytes) payload_expected = suit_test_load_vector("report/report-libcsuit-ex0-success.payload.cbor");
	g_autoptr(SuitKeyring) keyring = suit_test_device_keyring(TRUE);
	g_autoptr(SuitReport) report = NULL;
	g_autoptr(SuitReport) report_bare = NULL;
	g_autoptr(SuitReport) report_again = NULL;
	g_autoptr(GBytes) payload = NULL;
	g_autoptr(GBytes) encoded = NULL;
	g_autoptr(GBytes) encoded_again = NULL;
	g_autoptr(GError) error = NULL;
	GPtrArray *warnings;

	report = suit_report_new_from_cose(cose, keyring, &error);
	g_assert_no_error(error);
	g_assert_nonnull(report);
	suit_test_assert_ex0_report(report);

	/* the duplicates are reported, not fatal */
	warnings = suit_report_get_warnings(report);
	g_assert_cmpuint(warnings->len, ==, 2);
	g_assert_cmpstr(g_ptr_array_index(warnings, 0), ==, "duplicate key 1 in system property claims");
	g_assert_cmpstr(g_ptr_array_index(warnings, 1), ==, "duplicate key 2 in system property claims");

	/* the signed payload is the bare report vector */
	payload = suit_cose_verify_attached(cose, keyring, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(payload, payload_expected));
	report_bare = suit_report_new_from_bytes(payload_expected, SUIT_PARSE_FLAG_NONE, &error);
	g_assert_no_error(error);
	suit_test_assert_ex0_report(report_bare);
	g_assert_cmpuint(suit_report_get_warnings(report_bare)->len, ==, 2);

	/* re-encoded in deterministic order without repeated keys: clean */
	encoded = suit_report_to_bytes(report, &error);
	g_assert_no_error(error);
	suit_test_assert_bytes_hex(encoded, EX0_PAYLOAD_DETERMINISTIC);
	report_again = suit_report_new_from_bytes(encoded, SUIT_PARSE_FLAG_NONE, &error);
	g_assert_no_error(error);
	suit_test_assert_ex0_report(report_again);
	g_assert_cmpuint(suit_report_get_warnings(report_again)->len, ==, 0);
	encoded_again = suit_report_to_bytes(report_again, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(encoded, encoded_again));
}

static void
suit_report_vector_no_kid_func(void)
{
	g_autoptr(GBytes) cose = suit_test_load_vector("report/report-libcsuit-ex0-success.cose");
	g_autoptr(SuitKeyring) keyring = suit_test_device_keyring(FALSE);
	g_autoptr(SuitReport) report = NULL;
	g_autoptr(GError) error = NULL;

	/* a key without a key id is tried for any kid */
	report = suit_report_new_from_cose(cose, keyring, &error);
	g_assert_no_error(error);
	suit_test_assert_ex0_report(report);
}

static void
suit_report_vector_wrong_key_func(void)
{
	g_autoptr(GBytes) cose = suit_test_load_vector("report/report-libcsuit-ex0-success.cose");
	g_autoptr(SuitKeyring) keyring = suit_keyring_new();
	g_autoptr(SuitKeyring) keyring_empty = suit_keyring_new();
	g_autofree gchar *path = suit_test_vector_path("keys/suit-draft-p256.pub.pem");
	g_autoptr(SuitReport) report = NULL;
	g_autoptr(SuitReport) report_empty = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error_empty = NULL;

	suit_keyring_add_from_file(keyring, path, &error);
	g_assert_no_error(error);
	report = suit_report_new_from_cose(cose, keyring, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
	g_assert_null(report);

	report_empty = suit_report_new_from_cose(cose, keyring_empty, &error_empty);
	g_assert_error(error_empty, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
	g_assert_null(report_empty);
}

static void
suit_report_vector_tamper_func(void)
{
	g_autoptr(GBytes) cose = suit_test_load_vector("report/report-libcsuit-ex0-success.cose");
	g_autoptr(SuitKeyring) keyring = suit_test_device_keyring(TRUE);
	const guint8 masks[] = {0x01, 0x80, 0xff};

	for (gsize i = 0; i < g_bytes_get_size(cose); i++) {
		for (guint m = 0; m < G_N_ELEMENTS(masks); m++) {
			g_autoptr(GBytes) flipped = suit_test_bytes_flip(cose, i, masks[m]);
			g_autoptr(GError) error = NULL;
			g_autoptr(SuitReport) report = suit_report_new_from_cose(flipped, keyring, &error);
			if (report != NULL)
				g_error("flipping byte %" G_GSIZE_FORMAT " with 0x%02x was not detected",
					i,
					masks[m]);
			g_assert_nonnull(error);
			g_assert_true(error->domain == SUIT_ERROR);
		}
	}
}

static SuitReport *
suit_test_build_report(void)
{
	g_autoptr(SuitReport) report = suit_report_new();
	g_autoptr(GBytes) digest_value = suit_test_bytes_from_hex(EX0_DIGEST);
	g_autoptr(SuitDigest) digest = suit_digest_new(SUIT_DIGEST_ALGORITHM_SHA256, digest_value);
	g_autoptr(GBytes) nonce = suit_test_bytes_from_hex("0001020304050607");
	g_autoptr(SuitComponentId) component_id = suit_component_id_new();
	g_autoptr(GBytes) part0 = suit_test_bytes_from_hex("00");
	g_autoptr(GBytes) part1 = suit_test_bytes_from_hex("0102");
	g_autoptr(GBytes) vendor = suit_test_bytes_from_hex(EX0_VENDOR);
	g_autoptr(GBytes) class_id = suit_test_bytes_from_hex(EX0_CLASS);
	g_autoptr(GBytes) image = g_bytes_new_static("image", 5);
	g_autoptr(SuitDigest) image_digest = NULL;
	g_autoptr(SuitReportProperties) props = suit_report_properties_new();
	g_autoptr(SuitReportRecord) record = suit_report_record_new(SUIT_SECTION_INSTALL, 7, 0);
	g_autoptr(GError) error = NULL;

	image_digest = suit_digest_compute(SUIT_DIGEST_ALGORITHM_SHA256, image, &error);
	g_assert_no_error(error);
	suit_report_set_reference(report, "coaps://example.com/manifest.suit", digest);
	suit_report_set_nonce(report, nonce);

	/* claims: inserted out of order on purpose */
	suit_component_id_append(component_id, part0);
	suit_component_id_append(component_id, part1);
	suit_report_properties_add_uint(props, 14, 34768);
	suit_report_properties_add_bytes(props, 1, vendor);
	suit_report_properties_add_bytes(props, 2, class_id);
	suit_report_properties_add_digest(props, 3, image_digest);
	suit_report_properties_add_text(props, 21, "http://example.com/file.bin");
	suit_report_properties_add_bool(props, 13, TRUE);
	suit_report_properties_add_int(props, -300, -5);
	suit_report_add_system_property_claims(report, component_id, props);

	/* a record in a dependency */
	suit_report_record_append_manifest_id(record, 1);
	suit_report_properties_add_uint(suit_report_record_get_properties(record), 14, 5);
	suit_report_add_record(report, record);

	suit_report_set_result_success(report);
	return g_steal_pointer(&report);
}

static void
suit_test_assert_built_report(SuitReport *report)
{
	GPtrArray *records = suit_report_get_records(report);
	GPtrArray *claims = suit_report_get_claims(report);
	SuitReportRecord *record;
	SuitReportProperties *props;
	g_autoptr(SuitDigest) image_digest = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *uri = NULL;
	GArray *manifest_id;
	guint64 value = 0;
	gint64 value_int = 0;
	gboolean value_bool = FALSE;

	g_assert_cmpstr(suit_report_get_reference_uri(report), ==, "coaps://example.com/manifest.suit");
	suit_test_assert_bytes_hex(suit_report_get_nonce(report), "0001020304050607");
	g_assert_cmpuint(claims->len, ==, 1);
	props = suit_report_claims_get_properties(g_ptr_array_index(claims, 0));
	g_assert_cmpuint(suit_report_properties_get_size(props), ==, 7);
	g_assert_true(suit_report_properties_get_uint(props, 14, &value));
	g_assert_cmpuint(value, ==, 34768);
	suit_test_assert_bytes_hex(suit_report_properties_get_bytes(props, 1), EX0_VENDOR);
	image_digest = suit_report_properties_dup_digest(props, 3, &error);
	g_assert_no_error(error);
	g_assert_cmpint(suit_digest_get_algorithm(image_digest), ==, SUIT_DIGEST_ALGORITHM_SHA256);
	uri = suit_report_properties_dup_text(props, 21);
	g_assert_cmpstr(uri, ==, "http://example.com/file.bin");
	g_assert_true(suit_report_properties_get_bool(props, 13, &value_bool));
	g_assert_true(value_bool);
	g_assert_true(suit_report_properties_get_int(props, -300, &value_int));
	g_assert_cmpint(value_int, ==, -5);

	g_assert_cmpuint(records->len, ==, 1);
	record = g_ptr_array_index(records, 0);
	manifest_id = suit_report_record_get_manifest_id(record);
	g_assert_cmpuint(manifest_id->len, ==, 1);
	g_assert_cmpuint(g_array_index(manifest_id, guint, 0), ==, 1);
	g_assert_cmpint(suit_report_record_get_section(record), ==, SUIT_SECTION_INSTALL);
	g_assert_cmpuint(suit_report_record_get_section_offset(record), ==, 7);
	g_assert_cmpuint(suit_report_record_get_component_index(record), ==, 0);
	g_assert_true(suit_report_properties_get_uint(suit_report_record_get_properties(record), 14, &value));
	g_assert_cmpuint(value, ==, 5);
	g_assert_true(suit_report_is_success(report));
}

static SuitKey *
suit_test_new_key(SuitKeyType key_type, guint8 secret_byte)
{
	g_autoptr(GError) error = NULL;
	SuitKey *key;

	if (key_type == SUIT_KEY_TYPE_SYMMETRIC) {
		guint8 secret[32];
		g_autoptr(GBytes) bytes = NULL;
		memset(secret, secret_byte, sizeof(secret));
		bytes = g_bytes_new(secret, sizeof(secret));
		key = suit_key_new_symmetric(bytes, &error);
	} else {
		key = suit_key_generate(key_type, &error);
	}
	g_assert_no_error(error);
	g_assert_nonnull(key);
	return key;
}

static void
suit_test_sign_roundtrip(SuitKeyType key_type, SuitCoseAlgorithm alg, SuitCoseType cose_type)
{
	g_autoptr(SuitReport) report = suit_test_build_report();
	g_autoptr(SuitReport) report_parsed = NULL;
	g_autoptr(SuitReport) report_bare = NULL;
	g_autoptr(SuitKey) key = NULL;
	g_autoptr(SuitKey) key_public = NULL;
	g_autoptr(SuitKey) key_other = NULL;
	g_autoptr(SuitKey) key_other_public = NULL;
	g_autoptr(SuitKeyring) keyring = suit_keyring_new();
	g_autoptr(SuitKeyring) keyring_other = suit_keyring_new();
	g_autoptr(SuitCoseInfo) info = NULL;
	g_autoptr(GBytes) kid = g_bytes_new_static("device-1", 8);
	g_autoptr(GBytes) cose = NULL;
	g_autoptr(GBytes) payload = NULL;
	g_autoptr(GBytes) payload_parsed = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *json = NULL;
	g_autofree gchar *json_parsed = NULL;

	key = suit_test_new_key(key_type, 0x61);
	cose = suit_report_sign(report, key, SUIT_COSE_ALGORITHM_NONE, kid, &error);
	g_assert_no_error(error);
	g_assert_nonnull(cose);

	/* the COSE structure is what it says */
	info = suit_cose_inspect(cose, &error);
	g_assert_no_error(error);
	g_assert_cmpint(info->type, ==, cose_type);
	g_assert_cmpint(info->algorithm, ==, alg);
	g_assert_nonnull(info->key_id);
	g_assert_true(g_bytes_equal(info->key_id, kid));

	/* verify with the public half only */
	if (key_type == SUIT_KEY_TYPE_SYMMETRIC) {
		suit_keyring_add(keyring, key);
	} else {
		key_public = suit_key_dup_public(key, &error);
		g_assert_no_error(error);
		suit_keyring_add(keyring, key_public);
	}
	report_parsed = suit_report_new_from_cose(cose, keyring, &error);
	g_assert_no_error(error);
	g_assert_nonnull(report_parsed);
	suit_test_assert_built_report(report_parsed);
	g_assert_cmpuint(suit_report_get_warnings(report_parsed)->len, ==, 0);

	/* byte-identical re-encoding, same JSON */
	payload = suit_report_to_bytes(report, &error);
	g_assert_no_error(error);
	payload_parsed = suit_report_to_bytes(report_parsed, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(payload, payload_parsed));
	/* the built report lists properties in insertion order, the encoding
	 * (and so the parsed report) in deterministic order */
	report_bare = suit_report_new_from_bytes(payload, SUIT_PARSE_FLAG_NONE, &error);
	g_assert_no_error(error);
	json = suit_report_to_json(report_bare, SUIT_JSON_FLAG_NONE);
	json_parsed = suit_report_to_json(report_parsed, SUIT_JSON_FLAG_NONE);
	g_assert_cmpstr(json, ==, json_parsed);
	g_assert_nonnull(strstr(json, "\"properties\":{\"vendor-identifier\":\"" EX0_VENDOR "\",\"class-identifier\""));

	/* another key of the same type does not verify it */
	key_other = suit_test_new_key(key_type, 0x62);
	if (key_type == SUIT_KEY_TYPE_SYMMETRIC) {
		suit_keyring_add(keyring_other, key_other);
	} else {
		key_other_public = suit_key_dup_public(key_other, &error);
		g_assert_no_error(error);
		suit_keyring_add(keyring_other, key_other_public);
	}
	{
		g_autoptr(SuitReport) report_other = suit_report_new_from_cose(cose, keyring_other, &error);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
		g_assert_null(report_other);
	}
}

static void
suit_report_sign_p256_func(void)
{
	suit_test_sign_roundtrip(SUIT_KEY_TYPE_P256, SUIT_COSE_ALGORITHM_ESP256, SUIT_COSE_TYPE_SIGN1);
}

static void
suit_report_sign_ed25519_func(void)
{
	suit_test_sign_roundtrip(SUIT_KEY_TYPE_ED25519, SUIT_COSE_ALGORITHM_ED25519, SUIT_COSE_TYPE_SIGN1);
}

static void
suit_report_sign_hmac_func(void)
{
	suit_test_sign_roundtrip(SUIT_KEY_TYPE_SYMMETRIC, SUIT_COSE_ALGORITHM_HMAC_256, SUIT_COSE_TYPE_MAC0);
}

static void
suit_report_kid_required_func(void)
{
	g_autoptr(SuitReport) report = suit_test_build_report();
	g_autoptr(SuitReport) report_parsed = NULL;
	g_autoptr(SuitReport) report_other = NULL;
	g_autoptr(SuitReport) report_named = NULL;
	g_autoptr(SuitKey) key = NULL;
	g_autoptr(SuitKey) key_public = NULL;
	g_autoptr(SuitKeyring) keyring = suit_keyring_new();
	g_autoptr(GBytes) kid = g_bytes_new_static("device-1", 8);
	g_autoptr(GBytes) kid_other = g_bytes_new_static("device-2", 8);
	g_autoptr(GBytes) cose = NULL;
	g_autoptr(GBytes) cose_other = NULL;
	g_autoptr(GBytes) cose_named = NULL;
	g_autoptr(GError) error = NULL;

	key = suit_key_generate(SUIT_KEY_TYPE_ED25519, &error);
	g_assert_no_error(error);
	key_public = suit_key_dup_public(key, &error);
	g_assert_no_error(error);
	suit_key_set_key_id(key_public, kid);
	suit_keyring_add(keyring, key_public);

	/* no kid in the report: refused by a key registered with an id */
	cose = suit_report_sign(report, key, SUIT_COSE_ALGORITHM_NONE, NULL, &error);
	g_assert_no_error(error);
	report_parsed = suit_report_new_from_cose(cose, keyring, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
	g_assert_null(report_parsed);
	g_clear_error(&error);

	/* another kid */
	cose_other = suit_report_sign(report, key, SUIT_COSE_ALGORITHM_NONE, kid_other, &error);
	g_assert_no_error(error);
	report_other = suit_report_new_from_cose(cose_other, keyring, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
	g_assert_null(report_other);
	g_clear_error(&error);

	/* the right one */
	cose_named = suit_report_sign(report, key, SUIT_COSE_ALGORITHM_NONE, kid, &error);
	g_assert_no_error(error);
	report_named = suit_report_new_from_cose(cose_named, keyring, &error);
	g_assert_no_error(error);
	g_assert_nonnull(report_named);
}

static void
suit_report_sign_errors_func(void)
{
	g_autoptr(SuitReport) report = suit_test_build_report();
	g_autoptr(SuitReport) report_empty = suit_report_new();
	g_autoptr(SuitKey) key = NULL;
	g_autoptr(SuitKey) key_public = NULL;
	g_autoptr(GBytes) cose = NULL;
	g_autoptr(GBytes) cose_explicit = NULL;
	g_autoptr(GBytes) cose_public = NULL;
	g_autoptr(GBytes) cose_empty = NULL;
	g_autoptr(SuitCoseInfo) info = NULL;
	g_autoptr(GError) error = NULL;

	key = suit_key_generate(SUIT_KEY_TYPE_P256, &error);
	g_assert_no_error(error);

	/* an explicit algorithm the key supports, no key id */
	cose_explicit = suit_report_sign(report, key, SUIT_COSE_ALGORITHM_ES256, NULL, &error);
	g_assert_no_error(error);
	info = suit_cose_inspect(cose_explicit, &error);
	g_assert_no_error(error);
	g_assert_cmpint(info->algorithm, ==, SUIT_COSE_ALGORITHM_ES256);
	g_assert_null(info->key_id);

	/* an algorithm the key cannot do */
	cose = suit_report_sign(report, key, SUIT_COSE_ALGORITHM_ED25519, NULL, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_UNSUPPORTED_ALGORITHM);
	g_assert_null(cose);
	g_clear_error(&error);

	/* a public key cannot sign */
	key_public = suit_key_dup_public(key, &error);
	g_assert_no_error(error);
	cose_public = suit_report_sign(report, key_public, SUIT_COSE_ALGORITHM_NONE, NULL, &error);
	g_assert_nonnull(error);
	g_assert_null(cose_public);
	g_clear_error(&error);

	/* an incomplete report cannot be encoded */
	cose_empty = suit_report_sign(report_empty, key, SUIT_COSE_ALGORITHM_NONE, NULL, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
	g_assert_null(cose_empty);
}

static void
suit_report_build_incomplete_func(void)
{
	g_autoptr(SuitReport) report = suit_report_new();
	g_autoptr(GBytes) digest_value = suit_test_bytes_from_hex(EX0_DIGEST);
	g_autoptr(SuitDigest) digest = suit_digest_new(SUIT_DIGEST_ALGORITHM_SHA256, digest_value);
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GBytes) bytes_no_result = NULL;
	g_autoptr(GBytes) bytes_ok = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_false(suit_report_has_result(report));
	g_assert_false(suit_report_is_success(report));
	g_assert_null(suit_report_get_reference_digest(report));
	g_assert_cmpstr(suit_report_get_reference_uri(report), ==, "");

	bytes = suit_report_to_bytes(report, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
	g_assert_null(bytes);
	g_clear_error(&error);

	suit_report_set_reference(report, NULL, digest);
	bytes_no_result = suit_report_to_bytes(report, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
	g_assert_null(bytes_no_result);
	g_clear_error(&error);

	/* the smallest report: {3: [], 4: true, 99: ["", digest]} */
	suit_report_set_result_success(report);
	bytes_ok = suit_report_to_bytes(report, &error);
	g_assert_no_error(error);
	suit_test_assert_bytes_hex(bytes_ok, "a3038004f518638260822f5820" EX0_DIGEST);
}

static SuitReport *
suit_test_build_failure_report(void)
{
	g_autoptr(SuitReport) report = suit_report_new();
	g_autoptr(GBytes) digest_value =
	    suit_test_bytes_from_hex("1111111111111111111111111111111111111111111111111111111111111111");
	g_autoptr(GBytes) image_value =
	    suit_test_bytes_from_hex("2222222222222222222222222222222222222222222222222222222222222222");
	g_autoptr(SuitDigest) digest = suit_digest_new(SUIT_DIGEST_ALGORITHM_SHA256, digest_value);
	g_autoptr(SuitDigest) image_digest = suit_digest_new(SUIT_DIGEST_ALGORITHM_SHA256, image_value);
	g_autoptr(GBytes) nonce = suit_test_bytes_from_hex("0102");
	g_autoptr(SuitReportRecord) record = suit_report_record_new(SUIT_SECTION_INSTALL, 5, 0);
	g_autoptr(SuitReportRecord) failed = suit_report_record_new(SUIT_SECTION_VALIDATE, 0, 1);
	SuitReportProperties *props;

	suit_report_set_reference(report, "", digest);
	suit_report_set_nonce(report, nonce);
	suit_report_properties_add_uint(suit_report_record_get_properties(record), 14, 1024);
	suit_report_add_record(report, record);
	suit_report_record_append_manifest_id(failed, 1);
	suit_report_record_append_manifest_id(failed, 2);
	props = suit_report_record_get_properties(failed);
	suit_report_properties_add_text(props, 21, "http://x");
	suit_report_properties_add_digest(props, 3, image_digest);
	suit_report_set_result_failure(report, -3, failed, SUIT_REPORT_REASON_CONDITION_FAILED);
	return g_steal_pointer(&report);
}

static void
suit_report_failure_func(void)
{
	g_autoptr(SuitReport) report = suit_test_build_failure_report();
	g_autoptr(SuitReport) report_parsed = NULL;
	g_autoptr(SuitReport) report_cose = NULL;
	g_autoptr(SuitKey) key = NULL;
	g_autoptr(SuitKey) key_public = NULL;
	g_autoptr(SuitKeyring) keyring = suit_keyring_new();
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GBytes) bytes_parsed = NULL;
	g_autoptr(GBytes) cose = NULL;
	g_autoptr(GError) error = NULL;
	SuitReportRecord *failed;
	GArray *manifest_id;
	g_autofree gchar *uri = NULL;

	bytes = suit_report_to_bytes(report, &error);
	g_assert_no_error(error);
	suit_test_assert_bytes_hex(bytes, FAILURE_REPORT_HEX);

	report_parsed = suit_report_new_from_bytes(bytes, SUIT_PARSE_FLAG_NONE, &error);
	g_assert_no_error(error);
	g_assert_true(suit_report_has_result(report_parsed));
	g_assert_false(suit_report_is_success(report_parsed));
	g_assert_cmpint(suit_report_get_result_code(report_parsed), ==, -3);
	g_assert_cmpint(suit_report_get_result_reason(report_parsed), ==, SUIT_REPORT_REASON_CONDITION_FAILED);
	failed = suit_report_get_result_record(report_parsed);
	g_assert_nonnull(failed);
	manifest_id = suit_report_record_get_manifest_id(failed);
	g_assert_cmpuint(manifest_id->len, ==, 2);
	g_assert_cmpuint(g_array_index(manifest_id, guint, 0), ==, 1);
	g_assert_cmpuint(g_array_index(manifest_id, guint, 1), ==, 2);
	g_assert_cmpint(suit_report_record_get_section(failed), ==, SUIT_SECTION_VALIDATE);
	g_assert_cmpuint(suit_report_record_get_component_index(failed), ==, 1);
	uri = suit_report_properties_dup_text(suit_report_record_get_properties(failed), 21);
	g_assert_cmpstr(uri, ==, "http://x");
	g_assert_cmpuint(suit_report_get_records(report_parsed)->len, ==, 1);
	bytes_parsed = suit_report_to_bytes(report_parsed, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(bytes, bytes_parsed));

	/* and through a signature */
	key = suit_key_generate(SUIT_KEY_TYPE_P256, &error);
	g_assert_no_error(error);
	cose = suit_report_sign(report, key, SUIT_COSE_ALGORITHM_NONE, NULL, &error);
	g_assert_no_error(error);
	key_public = suit_key_dup_public(key, &error);
	g_assert_no_error(error);
	suit_keyring_add(keyring, key_public);
	report_cose = suit_report_new_from_cose(cose, keyring, &error);
	g_assert_no_error(error);
	g_assert_cmpint(suit_report_get_result_reason(report_cose), ==, SUIT_REPORT_REASON_CONDITION_FAILED);
	g_assert_nonnull(suit_report_get_result_record(report_cose));
}

/* the failure report above, signed by Python (cryptography + cbor2) with the
 * device key of the shared vectors; kept in the fuzz corpus */
static void
suit_report_python_signed_func(void)
{
	g_autofree gchar *path = g_test_build_filename(G_TEST_DIST, "fuzz", "corpus", "report", "signed-failure", NULL);
	g_autoptr(SuitKeyring) keyring = suit_test_device_keyring(FALSE);
	g_autoptr(SuitReport) report = NULL;
	g_autoptr(GBytes) cose = NULL;
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GError) error = NULL;
	gchar *data = NULL;
	gsize len = 0;

	g_assert_true(g_file_get_contents(path, &data, &len, &error));
	g_assert_no_error(error);
	cose = g_bytes_new_take(data, len);
	report = suit_report_new_from_cose(cose, keyring, &error);
	g_assert_no_error(error);
	g_assert_cmpint(suit_report_get_result_reason(report), ==, SUIT_REPORT_REASON_CONDITION_FAILED);
	bytes = suit_report_to_bytes(report, &error);
	g_assert_no_error(error);
	suit_test_assert_bytes_hex(bytes, FAILURE_REPORT_HEX);
}

static void
suit_report_failure_no_record_func(void)
{
	g_autoptr(SuitReport) report = suit_test_build_failure_report();
	g_autoptr(SuitReport) report_parsed = NULL;
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GError) error = NULL;

	suit_report_set_result_failure(report, 7, NULL, SUIT_REPORT_REASON_UNAUTHORISED);
	bytes = suit_report_to_bytes(report, &error);
	g_assert_no_error(error);
	report_parsed = suit_report_new_from_bytes(bytes, SUIT_PARSE_FLAG_NONE, &error);
	g_assert_no_error(error);
	g_assert_false(suit_report_is_success(report_parsed));
	g_assert_cmpint(suit_report_get_result_code(report_parsed), ==, 7);
	g_assert_cmpint(suit_report_get_result_reason(report_parsed), ==, SUIT_REPORT_REASON_UNAUTHORISED);
	g_assert_null(suit_report_get_result_record(report_parsed));

	/* success clears the failure */
	suit_report_set_result_success(report_parsed);
	g_assert_true(suit_report_is_success(report_parsed));
	g_assert_cmpint(suit_report_get_result_code(report_parsed), ==, 0);
}

static void
suit_report_reasons_func(void)
{
	const gchar *names[] = {"ok",
				"cbor-parse",
				"cose-unsupported",
				"alg-unsupported",
				"unauthorised",
				"command-unsupported",
				"component-unsupported",
				"component-unauthorised",
				"parameter-unsupported",
				"severing-unsupported",
				"condition-failed",
				"operation-failed",
				"invoke-pending"};
	struct {
		GQuark domain;
		gint code;
		SuitReportReason reason;
	} map[] = {
	    {SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID, SUIT_REPORT_REASON_UNAUTHORISED},
	    {SUIT_ERROR, SUIT_ERROR_NO_AUTHENTICATION, SUIT_REPORT_REASON_UNAUTHORISED},
	    {SUIT_ERROR, SUIT_ERROR_UNSUPPORTED_ALGORITHM, SUIT_REPORT_REASON_ALG_UNSUPPORTED},
	    {SUIT_ERROR, SUIT_ERROR_INVALID_CBOR, SUIT_REPORT_REASON_CBOR_PARSE},
	    {SUIT_ERROR, SUIT_ERROR_UNSUPPORTED_COMMAND, SUIT_REPORT_REASON_COMMAND_UNSUPPORTED},
	    {SUIT_ERROR, SUIT_ERROR_UNSUPPORTED_PARAMETER, SUIT_REPORT_REASON_PARAMETER_UNSUPPORTED},
	    {SUIT_ERROR, SUIT_ERROR_COMPONENT_UNSUPPORTED, SUIT_REPORT_REASON_COMPONENT_UNSUPPORTED},
	    {SUIT_ERROR, SUIT_ERROR_CONDITION_FAILED, SUIT_REPORT_REASON_CONDITION_FAILED},
	    {SUIT_ERROR, SUIT_ERROR_ROLLBACK, SUIT_REPORT_REASON_CONDITION_FAILED},
	    {SUIT_ERROR, SUIT_ERROR_DIGEST_MISMATCH, SUIT_REPORT_REASON_CONDITION_FAILED},
	    {SUIT_ERROR, SUIT_ERROR_FETCH_FAILED, SUIT_REPORT_REASON_OPERATION_FAILED},
	    {SUIT_ERROR, SUIT_ERROR_WRITE_FAILED, SUIT_REPORT_REASON_OPERATION_FAILED},
	    {SUIT_ERROR, SUIT_ERROR_LIMIT_EXCEEDED, SUIT_REPORT_REASON_OPERATION_FAILED},
	    {G_IO_ERROR, G_IO_ERROR_CANCELLED, SUIT_REPORT_REASON_OPERATION_FAILED},
	    {G_IO_ERROR, G_IO_ERROR_NO_SPACE, SUIT_REPORT_REASON_OPERATION_FAILED},
	};

	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		g_assert_cmpstr(suit_report_reason_to_string((SuitReportReason)i), ==, names[i]);
		g_assert_cmpint(suit_report_reason_from_string(names[i]), ==, (gint)i);
	}
	g_assert_cmpint(SUIT_REPORT_REASON_INVOKE_PENDING, ==, 12);
	g_assert_null(suit_report_reason_to_string((SuitReportReason)13));
	g_assert_null(suit_report_reason_to_string((SuitReportReason)-1));
	g_assert_cmpint(suit_report_reason_from_string("unauthorized"), ==, -1);
	g_assert_cmpint(suit_report_reason_from_string(""), ==, -1);

	g_assert_cmpint(suit_report_reason_from_error(NULL), ==, SUIT_REPORT_REASON_OK);
	for (guint i = 0; i < G_N_ELEMENTS(map); i++) {
		g_autoptr(GError) error = g_error_new_literal(map[i].domain, map[i].code, "test");
		g_assert_cmpint(suit_report_reason_from_error(error), ==, map[i].reason);
	}
}

static void
suit_report_properties_func(void)
{
	g_autoptr(SuitReportProperties) props = suit_report_properties_new();
	g_autoptr(GBytes) value = g_bytes_new_static("ab", 2);
	g_autoptr(GBytes) cbor_good = suit_test_bytes_from_hex("820102");
	g_autoptr(GBytes) cbor_bad = suit_test_bytes_from_hex("8201");
	g_autoptr(GBytes) cbor_out = NULL;
	g_autoptr(SuitDigest) digest = NULL;
	g_autoptr(SuitDigest) digest_missing = NULL;
	g_autoptr(GError) error = NULL;
	guint64 u = 0;
	gint64 i = 0;

	suit_report_properties_add_uint(props, 14, 1);
	suit_report_properties_add_bytes(props, 1, value);
	/* replacing keeps the position */
	suit_report_properties_add_int(props, 14, -2);
	g_assert_cmpuint(suit_report_properties_get_size(props), ==, 2);
	g_assert_cmpint(suit_report_properties_get_key(props, 0), ==, 14);
	g_assert_false(suit_report_properties_get_uint(props, 14, &u));
	g_assert_true(suit_report_properties_get_int(props, 14, &i));
	g_assert_cmpint(i, ==, -2);
	g_assert_true(suit_report_properties_has(props, 1));
	g_assert_false(suit_report_properties_has(props, 2));

	/* wrong types */
	g_assert_null(suit_report_properties_get_bytes(props, 14));
	g_assert_null(suit_report_properties_dup_text(props, 1));
	g_assert_false(suit_report_properties_get_bool(props, 1, NULL));
	g_assert_false(suit_report_properties_get_int(props, 99, NULL));
	digest = suit_report_properties_dup_digest(props, 14, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
	g_assert_null(digest);
	g_clear_error(&error);
	digest_missing = suit_report_properties_dup_digest(props, 3, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
	g_assert_null(digest_missing);
	g_clear_error(&error);

	/* raw values */
	g_assert_true(suit_report_properties_add_cbor(props, 28, cbor_good, &error));
	g_assert_no_error(error);
	cbor_out = suit_report_properties_get_cbor(props, 28);
	g_assert_true(g_bytes_equal(cbor_out, cbor_good));
	g_assert_null(suit_report_properties_get_cbor(props, 29));
	g_assert_false(suit_report_properties_add_cbor(props, 29, cbor_bad, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_CBOR);
	g_assert_cmpuint(suit_report_properties_get_size(props), ==, 3);
}

static void
suit_report_claims_key0_func(void)
{
	g_autoptr(SuitReport) report = suit_report_new();
	g_autoptr(SuitComponentId) component_id = suit_component_id_new();
	g_autoptr(GBytes) part = suit_test_bytes_from_hex("00");
	g_autoptr(SuitReportProperties) props = suit_report_properties_new();
	SuitReportProperties *props_stored;

	suit_component_id_append(component_id, part);
	suit_report_properties_add_uint(props, 0, 5);
	suit_report_properties_add_uint(props, 14, 5);
	suit_report_add_system_property_claims(report, component_id, props);
	props_stored = suit_report_claims_get_properties(g_ptr_array_index(suit_report_get_claims(report), 0));
	g_assert_cmpuint(suit_report_properties_get_size(props_stored), ==, 1);
	g_assert_false(suit_report_properties_has(props_stored, 0));
}

static void
suit_test_parse_fails(const gchar *hex, SuitParseFlags flags, gint code)
{
	g_autoptr(GBytes) bytes = suit_test_bytes_from_hex(hex);
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitReport) report = suit_report_new_from_bytes(bytes, flags, &error);
	if (error == NULL || error->domain != SUIT_ERROR || error->code != code)
		g_error("%s: expected error %s, got %s",
			hex,
			suit_error_to_id(code),
			error != NULL ? error->message : "success");
	g_assert_null(report);
}

#define REF "18638260822f5820" EX0_DIGEST

static void
suit_report_malformed_func(void)
{
	g_autoptr(GString) many = g_string_new(NULL);
	g_autoptr(GBytes) dup_ok_bytes = NULL;
	g_autoptr(SuitReport) dup_ok = NULL;
	g_autoptr(GError) error = NULL;

	/* not CBOR, trailing bytes, empty */
	suit_test_parse_fails("a3", SUIT_PARSE_FLAG_NONE, SUIT_ERROR_INVALID_CBOR);
	suit_test_parse_fails("", SUIT_PARSE_FLAG_NONE, SUIT_ERROR_INVALID_CBOR);
	suit_test_parse_fails("a3038004f5" REF "00", SUIT_PARSE_FLAG_NONE, SUIT_ERROR_INVALID_CBOR);
	/* not a map */
	suit_test_parse_fails("80", SUIT_PARSE_FLAG_NONE, SUIT_ERROR_INVALID_DATA);
	suit_test_parse_fails("f5", SUIT_PARSE_FLAG_NONE, SUIT_ERROR_INVALID_DATA);
	suit_test_parse_fails("d863a3038004f5" REF, SUIT_PARSE_FLAG_NONE, SUIT_ERROR_INVALID_DATA);
	/* records not an array */
	suit_test_parse_fails("a303a004f5" REF, SUIT_PARSE_FLAG_NONE, SUIT_ERROR_INVALID_DATA);
	/* reference, records or result missing */
	suit_test_parse_fails("a2038004f5", SUIT_PARSE_FLAG_NONE, SUIT_ERROR_INVALID_DATA);
	suit_test_parse_fails("a204f5" REF, SUIT_PARSE_FLAG_NONE, SUIT_ERROR_INVALID_DATA);
	suit_test_parse_fails("a20380" REF, SUIT_PARSE_FLAG_NONE, SUIT_ERROR_INVALID_DATA);
	/* reference malformed: not an array, digest not a digest, uri not text */
	suit_test_parse_fails("a3038004f5186360", SUIT_PARSE_FLAG_NONE, SUIT_ERROR_INVALID_DATA);
	suit_test_parse_fails("a3038004f518638260822f01", SUIT_PARSE_FLAG_NONE, SUIT_ERROR_INVALID_DATA);
	suit_test_parse_fails("a3038004f518638240822f4100", SUIT_PARSE_FLAG_NONE, SUIT_ERROR_INVALID_DATA);
	/* nonce not bytes */
	suit_test_parse_fails("a402600380" "04f5" REF, SUIT_PARSE_FLAG_NONE, SUIT_ERROR_INVALID_DATA);
	/* result false, result map without code or reason, reason negative */
	suit_test_parse_fails("a3038004f4" REF, SUIT_PARSE_FLAG_NONE, SUIT_ERROR_INVALID_DATA);
	suit_test_parse_fails("a3038004a1070a" REF, SUIT_PARSE_FLAG_NONE, SUIT_ERROR_INVALID_DATA);
	suit_test_parse_fails("a3038004a10501" REF, SUIT_PARSE_FLAG_NONE, SUIT_ERROR_INVALID_DATA);
	suit_test_parse_fails("a3038004a205010720" REF, SUIT_PARSE_FLAG_NONE, SUIT_ERROR_INVALID_DATA);
	/* result record malformed */
	suit_test_parse_fails("a3038004a30501060007" "0a" REF, SUIT_PARSE_FLAG_NONE, SUIT_ERROR_INVALID_DATA);
	/* records: neither array nor map; record too short; bad fields */
	suit_test_parse_fails("a3038101" "04f5" REF, SUIT_PARSE_FLAG_NONE, SUIT_ERROR_INVALID_DATA);
	suit_test_parse_fails("a303818480140000" "04f5" REF, SUIT_PARSE_FLAG_NONE, SUIT_ERROR_INVALID_DATA);
	suit_test_parse_fails("a303818580" "1420" "00a0" "04f5" REF, SUIT_PARSE_FLAG_NONE, SUIT_ERROR_INVALID_DATA);
	suit_test_parse_fails("a303818580" "1400" "20a0" "04f5" REF, SUIT_PARSE_FLAG_NONE, SUIT_ERROR_INVALID_DATA);
	suit_test_parse_fails("a303818520" "1400" "00a0" "04f5" REF, SUIT_PARSE_FLAG_NONE, SUIT_ERROR_INVALID_DATA);
	suit_test_parse_fails("a303818580" "60" "0000a0" "04f5" REF, SUIT_PARSE_FLAG_NONE, SUIT_ERROR_INVALID_DATA);
	suit_test_parse_fails("a303818580" "14" "0000" "80" "04f5" REF, SUIT_PARSE_FLAG_NONE, SUIT_ERROR_INVALID_DATA);
	/* manifest id above G_MAXUINT */
	suit_test_parse_fails("a3038185811b0000000100000000" "14" "0000a0" "04f5" REF,
			      SUIT_PARSE_FLAG_NONE,
			      SUIT_ERROR_INVALID_DATA);
	/* property key not an integer */
	suit_test_parse_fails("a303818580" "14" "0000" "a1616101" "04f5" REF, SUIT_PARSE_FLAG_NONE, SUIT_ERROR_INVALID_DATA);
	/* claims without component id, with a bad component id */
	suit_test_parse_fails("a30381a10e01" "04f5" REF, SUIT_PARSE_FLAG_NONE, SUIT_ERROR_INVALID_DATA);
	suit_test_parse_fails("a30381a10001" "04f5" REF, SUIT_PARSE_FLAG_NONE, SUIT_ERROR_INVALID_DATA);
	/* huge counts: an array or map head claiming 2^64 - 1 or 2^32 entries */
	suit_test_parse_fails("a3039bffffffffffffffff" "04f5" REF, SUIT_PARSE_FLAG_NONE, SUIT_ERROR_INVALID_CBOR);
	suit_test_parse_fails("a3039affffffff" "04f5" REF, SUIT_PARSE_FLAG_NONE, SUIT_ERROR_INVALID_CBOR);
	suit_test_parse_fails("bbffffffffffffffff", SUIT_PARSE_FLAG_NONE, SUIT_ERROR_INVALID_CBOR);
	/* indefinite lengths are refused */
	suit_test_parse_fails("a3039fff04f5" REF, SUIT_PARSE_FLAG_NONE, SUIT_ERROR_INVALID_CBOR);
	/* more items than a report may have */
	g_string_append(many, "a303" "9a00004e20");
	for (guint i = 0; i < 20000; i++)
		g_string_append(many, "00");
	g_string_append(many, "04f5" REF);
	suit_test_parse_fails(many->str, SUIT_PARSE_FLAG_NONE, SUIT_ERROR_LIMIT_EXCEEDED);
	/* too deep */
	suit_test_parse_fails("a303818580140000a10e"
			      "8181818181818181818181818181818181818180" "04f5" REF,
			      SUIT_PARSE_FLAG_NONE,
			      SUIT_ERROR_LIMIT_EXCEEDED);

	/* a repeated top-level key is an error unless allowed */
	suit_test_parse_fails("a4038004f50380" REF, SUIT_PARSE_FLAG_NONE, SUIT_ERROR_INVALID_CBOR);
	suit_test_parse_fails("a5038004f51818f51818f5" REF, SUIT_PARSE_FLAG_NONE, SUIT_ERROR_INVALID_CBOR);
	dup_ok_bytes = suit_test_bytes_from_hex("a4038004f50380" REF);
	dup_ok = suit_report_new_from_bytes(dup_ok_bytes, SUIT_PARSE_FLAG_ALLOW_DUPLICATE_KEYS, &error);
	g_assert_no_error(error);
	g_assert_nonnull(dup_ok);
	g_assert_cmpuint(suit_report_get_warnings(dup_ok)->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(suit_report_get_warnings(dup_ok), 0), ==, "duplicate key 3 in the report");
}

static void
suit_report_duplicates_func(void)
{
	/* a record whose properties repeat key 14 with another value, and a
	 * result map repeating key 7 */
	g_autoptr(GBytes) bytes = suit_test_bytes_from_hex("a303818580140000a30e010e020c01"
							   "04a3050007010701" REF);
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitReport) report = suit_report_new_from_bytes(bytes, SUIT_PARSE_FLAG_NONE, &error);
	SuitReportProperties *props;
	GPtrArray *warnings;
	guint64 value = 0;

	g_assert_no_error(error);
	g_assert_nonnull(report);
	props = suit_report_record_get_properties(g_ptr_array_index(suit_report_get_records(report), 0));
	g_assert_cmpuint(suit_report_properties_get_size(props), ==, 2);
	g_assert_true(suit_report_properties_get_uint(props, 14, &value));
	g_assert_cmpuint(value, ==, 1);
	g_assert_cmpint(suit_report_get_result_reason(report), ==, SUIT_REPORT_REASON_CBOR_PARSE);
	warnings = suit_report_get_warnings(report);
	g_assert_cmpuint(warnings->len, ==, 2);
	g_assert_cmpstr(g_ptr_array_index(warnings, 0),
			==,
			"duplicate key 14 in record properties with a different value, the first one is kept");
	g_assert_cmpstr(g_ptr_array_index(warnings, 1), ==, "duplicate key 7 in the result");
}

static void
suit_report_extensions_func(void)
{
	/* a capability report (8) and an unknown text key are kept as they are */
	g_autoptr(GBytes) bytes = suit_test_bytes_from_hex("a5038004f508a1018180" REF "617801");
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitReport) report = suit_report_new_from_bytes(bytes, SUIT_PARSE_FLAG_NONE, &error);
	g_autoptr(GBytes) out = NULL;
	g_autofree gchar *json = NULL;
	g_autofree gchar *text = NULL;

	g_assert_no_error(error);
	out = suit_report_to_bytes(report, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(bytes, out));
	json = suit_report_to_json(report, SUIT_JSON_FLAG_NONE);
	g_assert_nonnull(strstr(json, "\"unknown-elements\":{\"8\":{\"cbor\":\"a1018180\"},\"\\\"x\\\"\":{\"cbor\":\"01\"}}"));
	text = suit_report_to_string(report);
	g_assert_nonnull(strstr(text, "unknown element 8 (capability report)"));
}

static void
suit_report_json_func(void)
{
	g_autoptr(GBytes) cose = suit_test_load_vector("report/report-libcsuit-ex0-success.cose");
	g_autoptr(SuitKeyring) keyring = suit_test_device_keyring(TRUE);
	g_autoptr(SuitReport) report = NULL;
	g_autoptr(SuitReport) failure = suit_test_build_failure_report();
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error = NULL;
	g_autofree gchar *json = NULL;
	g_autofree gchar *json_failure = NULL;
	g_autofree gchar *json_pretty = NULL;
	g_autofree gchar *text = NULL;
	g_autofree gchar *text_failure = NULL;
	JsonObject *root;
	JsonObject *claims;
	JsonObject *props;
	JsonObject *result;
	JsonObject *record;
	JsonArray *records;

	report = suit_report_new_from_cose(cose, keyring, &error);
	g_assert_no_error(error);
	json = suit_report_to_json(report, SUIT_JSON_FLAG_NONE);
	g_assert_true(json_parser_load_from_data(parser, json, -1, &error));
	g_assert_no_error(error);
	root = json_node_get_object(json_parser_get_root(parser));
	g_assert_cmpstr(json_object_get_string_member(json_object_get_object_member(root, "reference"), "uri"), ==, "");
	g_assert_cmpstr(json_object_get_string_member(
			    json_object_get_object_member(json_object_get_object_member(root, "reference"), "digest"),
			    "digest-bytes"),
			==,
			EX0_DIGEST);
	g_assert_cmpint(json_object_get_int_member(
			    json_object_get_object_member(json_object_get_object_member(root, "reference"), "digest"),
			    "algorithm-id"),
			==,
			-16);
	records = json_object_get_array_member(root, "records");
	g_assert_cmpuint(json_array_get_length(records), ==, 1);
	claims = json_array_get_object_element(records, 0);
	g_assert_cmpstr(json_object_get_string_member(claims, "type"), ==, "system-property-claims");
	g_assert_cmpstr(json_array_get_string_element(json_object_get_array_member(claims, "component-id"), 0), ==, "00");
	props = json_object_get_object_member(claims, "properties");
	g_assert_cmpstr(json_object_get_string_member(props, "vendor-identifier"), ==, EX0_VENDOR);
	g_assert_cmpstr(json_object_get_string_member(props, "class-identifier"), ==, EX0_CLASS);
	g_assert_cmpint(json_object_get_int_member(props, "image-size"), ==, 34768);
	g_assert_true(json_object_get_boolean_member(json_object_get_object_member(root, "result"), "success"));
	g_assert_cmpuint(json_array_get_length(json_object_get_array_member(root, "warnings")), ==, 2);

	/* a failure */
	json_failure = suit_report_to_json(failure, SUIT_JSON_FLAG_NONE);
	g_assert_true(json_parser_load_from_data(parser, json_failure, -1, &error));
	g_assert_no_error(error);
	root = json_node_get_object(json_parser_get_root(parser));
	g_assert_cmpstr(json_object_get_string_member(root, "nonce"), ==, "0102");
	g_assert_false(json_object_has_member(root, "warnings"));
	record = json_array_get_object_element(json_object_get_array_member(root, "records"), 0);
	g_assert_cmpstr(json_object_get_string_member(record, "type"), ==, "record");
	g_assert_cmpstr(json_object_get_string_member(record, "section"), ==, "install");
	g_assert_cmpint(json_object_get_int_member(record, "section-id"), ==, 20);
	g_assert_cmpint(json_object_get_int_member(record, "section-offset"), ==, 5);
	result = json_object_get_object_member(root, "result");
	g_assert_false(json_object_get_boolean_member(result, "success"));
	g_assert_cmpint(json_object_get_int_member(result, "code"), ==, -3);
	g_assert_cmpstr(json_object_get_string_member(result, "reason"), ==, "condition-failed");
	g_assert_cmpint(json_object_get_int_member(result, "reason-id"), ==, 10);
	record = json_object_get_object_member(result, "record");
	g_assert_cmpstr(json_object_get_string_member(record, "section"), ==, "validate");
	g_assert_cmpint(json_array_get_int_element(json_object_get_array_member(record, "manifest-id"), 1), ==, 2);
	props = json_object_get_object_member(record, "properties");
	g_assert_cmpstr(json_object_get_string_member(props, "uri"), ==, "http://x");
	g_assert_cmpstr(json_object_get_string_member(json_object_get_object_member(props, "image-digest"),
						      "digest-bytes"),
			==,
			"2222222222222222222222222222222222222222222222222222222222222222");

	json_pretty = suit_report_to_json(failure, SUIT_JSON_FLAG_PRETTY);
	g_assert_nonnull(strchr(json_pretty, '\n'));

	/* text */
	text = suit_report_to_string(report);
	g_assert_nonnull(strstr(text, "manifest digest: sha-256:" EX0_DIGEST));
	g_assert_nonnull(strstr(text, "image-size: 34768"));
	g_assert_nonnull(strstr(text, "result: success"));
	g_assert_nonnull(strstr(text, "warning: duplicate key 1 in system property claims"));
	text_failure = suit_report_to_string(failure);
	g_assert_nonnull(strstr(text_failure, "result: failure, reason condition-failed (10), code -3"));
	g_assert_nonnull(strstr(text_failure, "manifest [1, 2], section validate (7), offset 0, component 1"));
}

/* records, properties and claims are refcounted; a record's properties can be replaced */
static void
suit_report_refcounts_func(void)
{
	g_autoptr(SuitReport) report = suit_report_new();
	g_autoptr(SuitReportRecord) record = suit_report_record_new(20, 4, 0);
	g_autoptr(SuitReportProperties) properties = suit_report_properties_new();
	g_autoptr(SuitComponentId) id = suit_component_id_new();
	g_autoptr(GBytes) part = g_bytes_new_static("\x00", 1);
	SuitReportRecord *extra_record;
	SuitReportProperties *extra_properties;
	SuitReportClaims *claims;
	guint64 value = 0;

	suit_component_id_append(id, part);
	suit_report_properties_add_uint(properties, 14, 34768);
	suit_report_record_set_properties(record, properties);
	g_assert_true(suit_report_record_get_properties(record) == properties);
	g_assert_true(suit_report_properties_get_uint(suit_report_record_get_properties(record), 14, &value));
	g_assert_cmpuint(value, ==, 34768);

	extra_record = suit_report_record_ref(record);
	extra_properties = suit_report_properties_ref(properties);
	g_clear_pointer(&record, suit_report_record_unref);
	g_clear_pointer(&properties, suit_report_properties_unref);
	g_assert_cmpint(suit_report_record_get_section(extra_record), ==, 20);
	g_assert_cmpuint(suit_report_properties_get_size(extra_properties), ==, 1);

	suit_report_add_system_property_claims(report, id, extra_properties);
	claims = suit_report_claims_ref(g_ptr_array_index(suit_report_get_claims(report), 0));
	g_clear_object(&report);
	g_assert_true(suit_component_id_equal(suit_report_claims_get_component_id(claims), id));
	g_assert_true(suit_report_properties_has(suit_report_claims_get_properties(claims), 14));
	suit_report_claims_unref(claims);
	suit_report_properties_unref(extra_properties);
	suit_report_record_unref(extra_record);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/report/vector", suit_report_vector_func);
	g_test_add_func("/report/vector-no-kid", suit_report_vector_no_kid_func);
	g_test_add_func("/report/vector-wrong-key", suit_report_vector_wrong_key_func);
	g_test_add_func("/report/vector-tamper", suit_report_vector_tamper_func);
	g_test_add_func("/report/kid-required", suit_report_kid_required_func);
	g_test_add_func("/report/sign-p256", suit_report_sign_p256_func);
	g_test_add_func("/report/sign-ed25519", suit_report_sign_ed25519_func);
	g_test_add_func("/report/sign-hmac", suit_report_sign_hmac_func);
	g_test_add_func("/report/sign-errors", suit_report_sign_errors_func);
	g_test_add_func("/report/build-incomplete", suit_report_build_incomplete_func);
	g_test_add_func("/report/failure", suit_report_failure_func);
	g_test_add_func("/report/failure-no-record", suit_report_failure_no_record_func);
	g_test_add_func("/report/python-signed", suit_report_python_signed_func);
	g_test_add_func("/report/reasons", suit_report_reasons_func);
	g_test_add_func("/report/properties", suit_report_properties_func);
	g_test_add_func("/report/claims-key0", suit_report_claims_key0_func);
	g_test_add_func("/report/malformed", suit_report_malformed_func);
	g_test_add_func("/report/duplicates", suit_report_duplicates_func);
	g_test_add_func("/report/extensions", suit_report_extensions_func);
	g_test_add_func("/report/json", suit_report_json_func);
	g_test_add_func("/report/refcounts", suit_report_refcounts_func);
	return g_test_run();
}
