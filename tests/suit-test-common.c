/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "suit-test-common.h"

const gchar *
suit_test_vectors_dir(void)
{
	const gchar *dir = g_getenv("SUIT_TEST_VECTORS");
	if (dir == NULL || !g_file_test(dir, G_FILE_TEST_IS_DIR))
		g_error("SUIT_TEST_VECTORS does not name the shared vectors directory");
	return dir;
}

gchar *
suit_test_vector_path(const gchar *relpath)
{
	return g_build_filename(suit_test_vectors_dir(), relpath, NULL);
}

GBytes *
suit_test_load_vector(const gchar *relpath)
{
	g_autofree gchar *path = suit_test_vector_path(relpath);
	g_autoptr(GError) error = NULL;
	gchar *data = NULL;
	gsize len = 0;
	if (!g_file_get_contents(path, &data, &len, &error))
		g_error("cannot read vector %s: %s", path, error->message);
	return g_bytes_new_take(data, len);
}

GBytes *
suit_test_bytes_flip(GBytes *bytes, gsize idx, guint8 mask)
{
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(bytes, &len);
	guint8 *copy = g_memdup2(data, len);
	g_assert_cmpuint(idx, <, len);
	copy[idx] ^= mask;
	return g_bytes_new_take(copy, len);
}

GBytes *
suit_test_bytes_from_hex(const gchar *hex)
{
	gsize len = strlen(hex);
	guint8 *out = g_malloc(len / 2 + 1);
	g_assert_cmpuint(len % 2, ==, 0);
	for (gsize i = 0; i < len / 2; i++) {
		gint hi = g_ascii_xdigit_value(hex[i * 2]);
		gint lo = g_ascii_xdigit_value(hex[i * 2 + 1]);
		g_assert_cmpint(hi, >=, 0);
		g_assert_cmpint(lo, >=, 0);
		out[i] = (guint8)((hi << 4) | lo);
	}
	return g_bytes_new_take(out, len / 2);
}

gchar *
suit_test_bytes_to_hex(GBytes *bytes)
{
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(bytes, &len);
	GString *str = g_string_new(NULL);
	for (gsize i = 0; i < len; i++)
		g_string_append_printf(str, "%02x", data[i]);
	return g_string_free(str, FALSE);
}
