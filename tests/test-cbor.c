/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "suit-cbor-private.h"
#include "suit-test-common.h"

static SuitCborItem *
decode_hex(const gchar *hex, SuitParseFlags flags, GError **error)
{
	g_autoptr(GBytes) bytes = suit_test_bytes_from_hex(hex);
	return suit_cbor_decode(bytes, NULL, flags, error);
}

static void
assert_decode_fails(const gchar *hex, gint code)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitCborItem) item = decode_hex(hex, SUIT_PARSE_FLAG_NONE, &error);
	if (item != NULL)
		g_error("%s decoded but should fail with %d", hex, code);
	g_assert_error(error, SUIT_ERROR, code);
}

static void
assert_roundtrip(const gchar *hex)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitCborItem) item = decode_hex(hex, SUIT_PARSE_FLAG_NONE, &error);
	g_autoptr(GBytes) encoded = NULL;
	g_autofree gchar *out = NULL;
	g_assert_no_error(error);
	g_assert_nonnull(item);
	encoded = suit_cbor_encode(item);
	out = suit_test_bytes_to_hex(encoded);
	g_assert_cmpstr(out, ==, hex);
}

static void
test_cbor_scalars(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitCborItem) item = NULL;
	gint64 value = 0;
	guint64 u = 0;

	item = decode_hex("1903e8", SUIT_PARSE_FLAG_NONE, &error);
	g_assert_no_error(error);
	g_assert_true(suit_cbor_item_get_uint(item, &u));
	g_assert_cmpuint(u, ==, 1000);
	g_clear_pointer(&item, suit_cbor_item_unref);

	item = decode_hex("3863", SUIT_PARSE_FLAG_NONE, &error);
	g_assert_no_error(error);
	g_assert_true(suit_cbor_item_get_int(item, &value));
	g_assert_cmpint(value, ==, -100);
	g_assert_false(suit_cbor_item_get_uint(item, NULL));
	g_clear_pointer(&item, suit_cbor_item_unref);

	/* -2^64 does not fit in gint64 but decodes */
	item = decode_hex("3bffffffffffffffff", SUIT_PARSE_FLAG_NONE, &error);
	g_assert_no_error(error);
	g_assert_false(suit_cbor_item_get_int(item, &value));
	g_clear_pointer(&item, suit_cbor_item_unref);

	item = decode_hex("6449455446", SUIT_PARSE_FLAG_NONE, &error);
	g_assert_no_error(error);
	{
		g_autofree gchar *text = suit_cbor_item_dup_text(item);
		g_assert_cmpstr(text, ==, "IETF");
	}
	g_clear_pointer(&item, suit_cbor_item_unref);

	for (guint i = 0; i < 4; i++) {
		const gchar *hex[] = {"f4", "f5", "f6", "f7"};
		SuitCborType types[] = {SUIT_CBOR_TYPE_FALSE,
					SUIT_CBOR_TYPE_TRUE,
					SUIT_CBOR_TYPE_NULL,
					SUIT_CBOR_TYPE_UNDEFINED};
		item = decode_hex(hex[i], SUIT_PARSE_FLAG_NONE, &error);
		g_assert_no_error(error);
		g_assert_cmpint(suit_cbor_item_get_type(item), ==, types[i]);
		g_clear_pointer(&item, suit_cbor_item_unref);
	}
}

static void
test_cbor_roundtrip(void)
{
	assert_roundtrip("00");
	assert_roundtrip("17");
	assert_roundtrip("1818");
	assert_roundtrip("190100");
	assert_roundtrip("1a00010000");
	assert_roundtrip("1b0000000100000000");
	assert_roundtrip("20");
	assert_roundtrip("40");
	assert_roundtrip("4401020304");
	assert_roundtrip("60");
	assert_roundtrip("80");
	assert_roundtrip("a0");
	assert_roundtrip("83010203");
	assert_roundtrip("a201020304");
	assert_roundtrip("d86ba1024100");
	/* component id used as a map key (SUIT text maps) */
	assert_roundtrip("a18141006161");
	/* map order is preserved as decoded, even when not deterministic */
	assert_roundtrip("a2030102f5");
}

static void
test_cbor_spans(void)
{
	g_autoptr(GError) error = NULL;
	/* {2: h'0102', 3: h'a10101'} */
	g_autoptr(SuitCborItem) item = decode_hex("a2024201020343a10101", SUIT_PARSE_FLAG_NONE, &error);
	g_autoptr(GBytes) encoded = NULL;
	g_autofree gchar *hex = NULL;
	SuitCborItem *value;

	g_assert_no_error(error);
	value = suit_cbor_map_lookup_int(item, 3);
	g_assert_nonnull(value);
	g_assert_cmpuint(suit_cbor_item_get_offset(value), ==, 6);
	/* the encoded span includes the bstr head, as SUIT digests need */
	encoded = suit_cbor_item_get_encoded(value);
	hex = suit_test_bytes_to_hex(encoded);
	g_assert_cmpstr(hex, ==, "43a10101");
	g_assert_null(suit_cbor_map_lookup_int(item, 4));
	{
		g_autoptr(SuitCborItem) inner = suit_cbor_item_decode_wrapped(value, NULL, SUIT_PARSE_FLAG_NONE, &error);
		g_assert_no_error(error);
		g_assert_cmpint(suit_cbor_item_get_type(inner), ==, SUIT_CBOR_TYPE_MAP);
	}
}

static void
test_cbor_strict(void)
{
	/* trailing bytes */
	assert_decode_fails("0000", SUIT_ERROR_INVALID_CBOR);
	/* truncated */
	assert_decode_fails("19", SUIT_ERROR_INVALID_CBOR);
	assert_decode_fails("830102", SUIT_ERROR_INVALID_CBOR);
	assert_decode_fails("4401", SUIT_ERROR_INVALID_CBOR);
	assert_decode_fails("", SUIT_ERROR_INVALID_CBOR);
	/* indefinite lengths */
	assert_decode_fails("9f01ff", SUIT_ERROR_INVALID_CBOR);
	assert_decode_fails("bf0102ff", SUIT_ERROR_INVALID_CBOR);
	assert_decode_fails("5f4101ff", SUIT_ERROR_INVALID_CBOR);
	assert_decode_fails("7f6161ff", SUIT_ERROR_INVALID_CBOR);
	assert_decode_fails("ff", SUIT_ERROR_INVALID_CBOR);
	/* floats */
	assert_decode_fails("f93c00", SUIT_ERROR_INVALID_CBOR);
	assert_decode_fails("fb3ff199999999999a", SUIT_ERROR_INVALID_CBOR);
	/* reserved additional information and simple values */
	assert_decode_fails("1c", SUIT_ERROR_INVALID_CBOR);
	assert_decode_fails("f0", SUIT_ERROR_INVALID_CBOR);
	/* invalid utf-8 */
	assert_decode_fails("62c328", SUIT_ERROR_INVALID_CBOR);
	/* duplicate keys, also when hidden by a non-minimal head */
	assert_decode_fails("a201020103", SUIT_ERROR_INVALID_CBOR);
	assert_decode_fails("a2010218010f", SUIT_ERROR_INVALID_CBOR);
	assert_decode_fails("a28141000181410002", SUIT_ERROR_INVALID_CBOR);
}

static void
test_cbor_duplicates_allowed(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitCborItem) item = decode_hex("a201020103", SUIT_PARSE_FLAG_ALLOW_DUPLICATE_KEYS, &error);
	guint64 value = 0;
	g_assert_no_error(error);
	g_assert_cmpuint(suit_cbor_item_get_length(item), ==, 2);
	/* the first one wins */
	g_assert_true(suit_cbor_item_get_uint(suit_cbor_map_lookup_int(item, 1), &value));
	g_assert_cmpuint(value, ==, 2);
}

static void
test_cbor_limits(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GByteArray) deep = g_byte_array_new();
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(SuitCborItem) item = NULL;
	SuitCborLimits limits = {.max_depth = 4, .max_items = 8, .max_length = 32};

	/* nesting bomb: 10000 nested arrays */
	for (guint i = 0; i < 10000; i++)
		g_byte_array_append(deep, (const guint8 *)"\x81", 1);
	g_byte_array_append(deep, (const guint8 *)"\x00", 1);
	bytes = g_byte_array_free_to_bytes(g_steal_pointer(&deep));
	item = suit_cbor_decode(bytes, NULL, SUIT_PARSE_FLAG_NONE, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_LIMIT_EXCEEDED);
	g_assert_null(item);
	g_clear_error(&error);
	g_clear_pointer(&bytes, g_bytes_unref);

	/* size bomb: an array claiming 2^32 items, or a huge byte string */
	assert_decode_fails("9affffffff00", SUIT_ERROR_INVALID_CBOR);
	assert_decode_fails("9bffffffffffffffff00", SUIT_ERROR_INVALID_CBOR);
	assert_decode_fails("bbffffffffffffffff00", SUIT_ERROR_INVALID_CBOR);
	assert_decode_fails("5bffffffffffffffff00", SUIT_ERROR_INVALID_CBOR);
	assert_decode_fails("7a7fffffff61", SUIT_ERROR_INVALID_CBOR);

	/* the caller's limits */
	bytes = suit_test_bytes_from_hex("8181818100");
	item = suit_cbor_decode(bytes, &limits, SUIT_PARSE_FLAG_NONE, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_LIMIT_EXCEEDED);
	g_clear_error(&error);
	g_clear_pointer(&bytes, g_bytes_unref);

	bytes = suit_test_bytes_from_hex("8a00010203040506070809");
	item = suit_cbor_decode(bytes, &limits, SUIT_PARSE_FLAG_NONE, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_LIMIT_EXCEEDED);
	g_clear_error(&error);
	g_clear_pointer(&bytes, g_bytes_unref);

	bytes = g_bytes_new_take(g_malloc0(64), 64);
	item = suit_cbor_decode(bytes, &limits, SUIT_PARSE_FLAG_NONE, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_LIMIT_EXCEEDED);
	g_clear_error(&error);

	/* within limits */
	g_clear_pointer(&bytes, g_bytes_unref);
	bytes = suit_test_bytes_from_hex("81818100");
	item = suit_cbor_decode(bytes, &limits, SUIT_PARSE_FLAG_NONE, &error);
	g_assert_no_error(error);
	g_assert_nonnull(item);
}

static void
test_cbor_deterministic(void)
{
	g_autoptr(SuitCborItem) map = suit_cbor_item_new_map();
	g_autoptr(SuitCborItem) key = suit_cbor_item_new_array();
	g_autoptr(GBytes) encoded = NULL;
	g_autofree gchar *hex = NULL;

	suit_cbor_array_append(key, suit_cbor_item_new_bytes_data((const guint8 *)"\x00", 1));
	suit_cbor_map_append(map, suit_cbor_item_new_text("a"), suit_cbor_item_new_uint(1));
	suit_cbor_map_append(map, g_steal_pointer(&key), suit_cbor_item_new_uint(2));
	suit_cbor_map_append(map, suit_cbor_item_new_int(-1), suit_cbor_item_new_uint(3));
	suit_cbor_map_append(map, suit_cbor_item_new_uint(24), suit_cbor_item_new_uint(4));
	suit_cbor_map_append(map, suit_cbor_item_new_uint(1), suit_cbor_item_new_uint(5));
	suit_cbor_map_sort(map);
	encoded = suit_cbor_encode(map);
	hex = suit_test_bytes_to_hex(encoded);
	/* bytewise order of encoded keys: 01, 1818, 20, 6161, 814100 */
	g_assert_cmpstr(hex, ==, "a50105181804200361610181410002");
}

static void
test_cbor_builders(void)
{
	g_autoptr(SuitCborItem) inner = suit_cbor_item_new_array();
	g_autoptr(SuitCborItem) wrapped = NULL;
	g_autoptr(SuitCborItem) tag = NULL;
	g_autoptr(GBytes) encoded = NULL;
	g_autofree gchar *hex = NULL;
	g_autofree gchar *diag = NULL;

	suit_cbor_array_append(inner, suit_cbor_item_new_int(-16));
	suit_cbor_array_append(inner, suit_cbor_item_new_text("x"));
	suit_cbor_array_append(inner, suit_cbor_item_new_bool(TRUE));
	suit_cbor_array_append(inner, suit_cbor_item_new_null());
	wrapped = suit_cbor_item_new_wrapped(inner);
	tag = suit_cbor_item_new_tag(107, suit_cbor_item_ref(wrapped));
	encoded = suit_cbor_encode(tag);
	hex = suit_test_bytes_to_hex(encoded);
	g_assert_cmpstr(hex, ==, "d86b46842f6178f5f6");
	diag = suit_cbor_item_to_diag(inner);
	g_assert_cmpstr(diag, ==, "[-16, \"x\", true, null]");
	g_assert_cmpuint(suit_cbor_head_size(23), ==, 1);
	g_assert_cmpuint(suit_cbor_head_size(24), ==, 2);
	g_assert_cmpuint(suit_cbor_head_size(65536), ==, 5);
	g_assert_cmpuint(suit_cbor_head_size(G_MAXUINT64), ==, 9);
}

static void
test_cbor_vectors(void)
{
	const gchar *files[] = {
	    "manifest/ex0-secure-boot.suit",
	    "manifest/ex2-severable-full.suit",
	    "teep/teep-personalization.suit",
	    "encryption/esdh-gcm-dependency.suit",
	    "report/report-libcsuit-ex0-success.cose",
	};
	for (guint i = 0; i < G_N_ELEMENTS(files); i++) {
		g_autoptr(GBytes) blob = suit_test_load_vector(files[i]);
		g_autoptr(GError) error = NULL;
		g_autoptr(SuitCborItem) item = suit_cbor_decode(blob, NULL, SUIT_PARSE_FLAG_NONE, &error);
		g_autoptr(GBytes) encoded = NULL;
		g_assert_no_error(error);
		encoded = suit_cbor_encode(item);
		g_assert_true(g_bytes_equal(encoded, blob));
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/suit/cbor/scalars", test_cbor_scalars);
	g_test_add_func("/suit/cbor/roundtrip", test_cbor_roundtrip);
	g_test_add_func("/suit/cbor/spans", test_cbor_spans);
	g_test_add_func("/suit/cbor/strict", test_cbor_strict);
	g_test_add_func("/suit/cbor/duplicates-allowed", test_cbor_duplicates_allowed);
	g_test_add_func("/suit/cbor/limits", test_cbor_limits);
	g_test_add_func("/suit/cbor/deterministic", test_cbor_deterministic);
	g_test_add_func("/suit/cbor/builders", test_cbor_builders);
	g_test_add_func("/suit/cbor/vectors", test_cbor_vectors);
	return g_test_run();
}
