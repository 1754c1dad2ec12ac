/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Runs LLVMFuzzerTestOneInput() over saved inputs without libFuzzer, so the
 * corpus and any crashers are replayed by the normal build (gcc) in suite
 * 'unit' (fwupd fu-fuzzer-main.c). Arguments are files, or directories whose
 * regular files are all replayed (recursively, in name order).
 *
 * Usage: fuzz-replay-envelope FILE|DIR...
 */

#include <glib.h>
#include <stdint.h>

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static gboolean
suit_fuzz_replay_file(const gchar *filename, guint *n_files, GError **error)
{
	g_autofree gchar *data = NULL;
	gsize len = 0;

	if (!g_file_get_contents(filename, &data, &len, error))
		return FALSE;
	g_print("%s (%" G_GSIZE_FORMAT " bytes)\n", filename, len);
	LLVMFuzzerTestOneInput((const uint8_t *)data, len);
	(*n_files)++;
	return TRUE;
}

static gint
suit_fuzz_replay_compare(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

static gboolean
suit_fuzz_replay_path(const gchar *path, guint *n_files, GError **error)
{
	const gchar *name;
	g_autoptr(GDir) dir = NULL;
	g_autoptr(GPtrArray) names = NULL;

	if (!g_file_test(path, G_FILE_TEST_IS_DIR))
		return suit_fuzz_replay_file(path, n_files, error);

	dir = g_dir_open(path, 0, error);
	if (dir == NULL)
		return FALSE;
	names = g_ptr_array_new_with_free_func(g_free);
	while ((name = g_dir_read_name(dir)) != NULL) {
		if (name[0] == '.')
			continue;
		g_ptr_array_add(names, g_build_filename(path, name, NULL));
	}
	g_ptr_array_sort(names, suit_fuzz_replay_compare);
	for (guint i = 0; i < names->len; i++) {
		if (!suit_fuzz_replay_path(g_ptr_array_index(names, i), n_files, error))
			return FALSE;
	}
	return TRUE;
}

int
main(int argc, char **argv)
{
	guint n_files = 0;

	if (argc < 2) {
		g_printerr("usage: %s FILE|DIR...\n", argv[0]);
		return 2;
	}
	for (gint i = 1; i < argc; i++) {
		g_autoptr(GError) error = NULL;
		if (!suit_fuzz_replay_path(argv[i], &n_files, &error)) {
			g_printerr("%s\n", error->message);
			return 1;
		}
	}
	g_print("replayed %u inputs\n", n_files);
	return 0;
}
