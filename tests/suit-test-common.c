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

SuitCborItem *
suit_test_envelope_map(GBytes *blob)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitCborItem) item = suit_cbor_decode(blob, NULL, SUIT_PARSE_FLAG_NONE, &error);
	g_assert_no_error(error);
	g_assert_nonnull(item);
	if (suit_cbor_item_get_type(item) == SUIT_CBOR_TYPE_TAG) {
		g_assert_cmpuint(suit_cbor_item_get_u64(item), ==, 107);
		return suit_cbor_item_ref(suit_cbor_tag_get_content(item));
	}
	g_assert_cmpint(suit_cbor_item_get_type(item), ==, SUIT_CBOR_TYPE_MAP);
	return g_steal_pointer(&item);
}

GBytes *
suit_test_envelope_manifest_bytes(GBytes *blob)
{
	g_autoptr(SuitCborItem) env = suit_test_envelope_map(blob);
	SuitCborItem *manifest = suit_cbor_map_lookup_int(env, 3);
	g_assert_nonnull(manifest);
	g_assert_cmpint(suit_cbor_item_get_type(manifest), ==, SUIT_CBOR_TYPE_BYTES);
	return g_bytes_ref(suit_cbor_item_get_bytes(manifest));
}

SuitManifest *
suit_test_load_manifest(const gchar *relpath)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) blob = suit_test_load_vector(relpath);
	g_autoptr(GBytes) cbor = suit_test_envelope_manifest_bytes(blob);
	SuitManifest *manifest = suit_manifest_new_from_bytes(cbor, SUIT_PARSE_FLAG_NONE, &error);
	g_assert_no_error(error);
	g_assert_nonnull(manifest);
	return manifest;
}

static void
suit_test_collect_vectors_in(const gchar *dir, const gchar *rel, GPtrArray *out)
{
	g_autoptr(GDir) d = g_dir_open(dir, 0, NULL);
	const gchar *name;
	if (d == NULL)
		return;
	while ((name = g_dir_read_name(d)) != NULL) {
		g_autofree gchar *path = g_build_filename(dir, name, NULL);
		g_autofree gchar *relpath = rel != NULL ? g_build_filename(rel, name, NULL) : g_strdup(name);
		if (g_file_test(path, G_FILE_TEST_IS_DIR))
			suit_test_collect_vectors_in(path, relpath, out);
		else if (g_str_has_suffix(name, ".suit"))
			g_ptr_array_add(out, g_steal_pointer(&relpath));
	}
}

static gint
suit_test_strcmp_ptr(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar **)a, *(const gchar **)b);
}

GPtrArray *
suit_test_collect_vectors(void)
{
	GPtrArray *vectors = g_ptr_array_new_with_free_func(g_free);
	suit_test_collect_vectors_in(suit_test_vectors_dir(), NULL, vectors);
	g_ptr_array_sort(vectors, suit_test_strcmp_ptr);
	return vectors;
}
