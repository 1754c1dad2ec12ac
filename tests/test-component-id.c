/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "suit-test-common.h"

static void
test_component_id_basic(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) cbor = suit_test_bytes_from_hex("824b544545502d446576696365420001");
	g_autoptr(SuitComponentId) id = suit_component_id_new_from_cbor(cbor, &error);
	g_autoptr(SuitComponentId) other = suit_component_id_new();
	g_autoptr(GBytes) part0 = g_bytes_new_static("TEEP-Device", 11);
	g_autoptr(GBytes) part1 = g_bytes_new_static("\x00\x01", 2);
	g_autoptr(GBytes) encoded = NULL;
	g_autofree gchar *str = NULL;

	g_assert_no_error(error);
	g_assert_cmpuint(suit_component_id_get_length(id), ==, 2);
	g_assert_true(g_bytes_equal(suit_component_id_get_part(id, 0), part0));
	g_assert_null(suit_component_id_get_part(id, 2));
	str = suit_component_id_to_string(id);
	g_assert_cmpstr(str, ==, "['TEEP-Device', h'0001']");
	encoded = suit_component_id_to_cbor(id);
	g_assert_true(g_bytes_equal(encoded, cbor));

	g_assert_false(suit_component_id_equal(id, other));
	suit_component_id_append(other, part0);
	suit_component_id_append(other, part1);
	g_assert_true(suit_component_id_equal(id, other));
	g_assert_cmpuint(suit_component_id_hash(id), ==, suit_component_id_hash(other));
}

static void
test_component_id_invalid(void)
{
	const gchar *bad[] = {"a0", "8101", "81f6", "4100"};
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) cbor = suit_test_bytes_from_hex(bad[i]);
		g_autoptr(SuitComponentId) id = suit_component_id_new_from_cbor(cbor, &error);
		g_assert_null(id);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/suit/component-id/basic", test_component_id_basic);
	g_test_add_func("/suit/component-id/invalid", test_component_id_invalid);
	return g_test_run();
}
