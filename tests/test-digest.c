/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "suit-test-common.h"

static void
test_digest_compute(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) data = g_bytes_new_static("abc", 3);
	g_autoptr(SuitDigest) digest = suit_digest_compute(SUIT_DIGEST_ALGORITHM_SHA256, data, &error);
	g_autoptr(SuitDigest) d384 = NULL;
	g_autoptr(SuitDigest) d512 = NULL;
	g_autofree gchar *hex = NULL;

	g_assert_no_error(error);
	g_assert_cmpint(suit_digest_get_algorithm(digest), ==, -16);
	hex = suit_digest_to_hex(digest);
	g_assert_cmpstr(hex, ==, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	d384 = suit_digest_compute(SUIT_DIGEST_ALGORITHM_SHA384, data, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(g_bytes_get_size(suit_digest_get_value(d384)), ==, 48);
	d512 = suit_digest_compute(SUIT_DIGEST_ALGORITHM_SHA512, data, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(g_bytes_get_size(suit_digest_get_value(d512)), ==, 64);
	g_assert_false(suit_digest_equal(digest, d384));
	g_assert_true(suit_digest_check(digest, data, &error));
	g_assert_no_error(error);
}

static void
test_digest_check(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) data = g_bytes_new_static("abc", 3);
	g_autoptr(GBytes) other = g_bytes_new_static("abd", 3);
	g_autoptr(GBytes) value = g_bytes_new_static("0123", 4);
	g_autoptr(SuitDigest) digest = suit_digest_compute(SUIT_DIGEST_ALGORITHM_SHA256, data, &error);
	g_autoptr(SuitDigest) shake = suit_digest_new(-18, value);
	g_autoptr(SuitDigest) none = NULL;

	g_assert_false(suit_digest_check(digest, other, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_DIGEST_MISMATCH);
	g_clear_error(&error);
	g_assert_false(suit_digest_check(shake, data, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_UNSUPPORTED_ALGORITHM);
	g_clear_error(&error);
	none = suit_digest_compute(2, data, &error);
	g_assert_null(none);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_UNSUPPORTED_ALGORITHM);
	g_assert_cmpstr(suit_digest_algorithm_to_string(-18), ==, "shake128");
	g_assert_cmpstr(suit_digest_algorithm_to_string(99), ==, NULL);
	g_assert_cmpint(suit_digest_algorithm_from_string("SHA-256"), ==, -16);
	g_assert_cmpint(suit_digest_algorithm_from_string("sha512"), ==, -44);
	g_assert_cmpint(suit_digest_algorithm_from_string("md5"), ==, 0);
}

static void
test_digest_cbor(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) cbor = suit_test_bytes_from_hex(
	    "822f58206658ea560262696dd1f13b782239a064da7c6c5cbaf52fded428a6fc83c7e5af");
	g_autoptr(SuitDigest) digest = suit_digest_new_from_cbor(cbor, &error);
	g_autoptr(SuitDigest) copy = NULL;
	g_autoptr(GBytes) encoded = NULL;
	g_autoptr(GBytes) bad = NULL;
	g_autoptr(SuitDigest) none = NULL;

	g_assert_no_error(error);
	g_assert_cmpint(suit_digest_get_algorithm(digest), ==, SUIT_DIGEST_ALGORITHM_SHA256);
	encoded = suit_digest_to_cbor(digest);
	g_assert_true(g_bytes_equal(encoded, cbor));
	copy = suit_digest_new(-16, suit_digest_get_value(digest));
	g_assert_true(suit_digest_equal(copy, digest));

	bad = suit_test_bytes_from_hex("822f6161");
	none = suit_digest_new_from_cbor(bad, &error);
	g_assert_null(none);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
	g_clear_error(&error);
	g_clear_pointer(&bad, g_bytes_unref);
	bad = suit_test_bytes_from_hex("822f");
	none = suit_digest_new_from_cbor(bad, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_CBOR);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/suit/digest/compute", test_digest_compute);
	g_test_add_func("/suit/digest/check", test_digest_check);
	g_test_add_func("/suit/digest/cbor", test_digest_cbor);
	return g_test_run();
}
