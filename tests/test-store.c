/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "suit-cbor-private.h"
#include "suit-test-common.h"

/* the same tests run on both stores through the SuitStore interface */
typedef enum {
	STORE_KIND_MEMORY,
	STORE_KIND_DIRECTORY,
} StoreKind;

typedef struct {
	StoreKind kind;
	gchar *tmpdir; /* directory stores only */
	gchar *path;   /* directory stores only: tmpdir/store */
	SuitStore *store;
} Fixture;

static void
rm_rf(const gchar *path)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	const gchar *fn;
	if (dir != NULL) {
		while ((fn = g_dir_read_name(dir)) != NULL) {
			g_autofree gchar *child = g_build_filename(path, fn, NULL);
			if (g_file_test(child, G_FILE_TEST_IS_DIR) &&
			    !g_file_test(child, G_FILE_TEST_IS_SYMLINK))
				rm_rf(child);
			else
				g_unlink(child);
		}
	}
	g_rmdir(path);
}

static SuitStore *
open_directory(const gchar *path)
{
	g_autoptr(GError) error = NULL;
	SuitStoreDirectory *store = suit_store_directory_new(path, &error);
	g_assert_no_error(error);
	g_assert_nonnull(store);
	return SUIT_STORE(store);
}

static void
fixture_setup(Fixture *fixture, gconstpointer user_data)
{
	fixture->kind = GPOINTER_TO_INT(user_data);
	if (fixture->kind == STORE_KIND_MEMORY) {
		fixture->store = SUIT_STORE(suit_store_memory_new());
		return;
	}
	fixture->tmpdir = g_dir_make_tmp("suit-store-XXXXXX", NULL);
	g_assert_nonnull(fixture->tmpdir);
	fixture->path = g_build_filename(fixture->tmpdir, "store", NULL);
	fixture->store = open_directory(fixture->path);
}

static void
fixture_teardown(Fixture *fixture, gconstpointer user_data)
{
	g_clear_object(&fixture->store);
	if (fixture->tmpdir != NULL)
		rm_rf(fixture->tmpdir);
	g_free(fixture->tmpdir);
	g_free(fixture->path);
}

/* closes and reopens a directory store, as after a reboot */
static void
fixture_reopen(Fixture *fixture)
{
	g_assert_cmpint(fixture->kind, ==, STORE_KIND_DIRECTORY);
	g_clear_object(&fixture->store);
	fixture->store = open_directory(fixture->path);
}

/* directory stores must never leave temporary files after an operation */
static void
assert_no_temporary_files(Fixture *fixture)
{
	g_autoptr(GDir) dir = NULL;
	const gchar *fn;
	if (fixture->kind != STORE_KIND_DIRECTORY)
		return;
	dir = g_dir_open(fixture->path, 0, NULL);
	g_assert_nonnull(dir);
	while ((fn = g_dir_read_name(dir)) != NULL)
		g_assert_false(g_str_has_prefix(fn, ".suit-tmp-"));
}

static guint
count_files(const gchar *path, const gchar *suffix)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	const gchar *fn;
	guint n = 0;
	g_assert_nonnull(dir);
	while ((fn = g_dir_read_name(dir)) != NULL) {
		if (suffix == NULL || g_str_has_suffix(fn, suffix))
			n++;
	}
	return n;
}

static SuitComponentId *
make_id(const gchar *first, ...)
{
	SuitComponentId *id = suit_component_id_new();
	va_list args;
	va_start(args, first);
	for (const gchar *part = first; part != NULL; part = va_arg(args, const gchar *)) {
		g_autoptr(GBytes) bytes = g_bytes_new(part, strlen(part));
		suit_component_id_append(id, bytes);
	}
	va_end(args);
	return id;
}

static SuitDigest *
sha256_of(GBytes *data)
{
	g_autoptr(GError) error = NULL;
	SuitDigest *digest = suit_digest_compute(SUIT_DIGEST_ALGORITHM_SHA256, data, &error);
	g_assert_no_error(error);
	return digest;
}

static void
assert_image(SuitStore *store, SuitComponentId *id, GBytes *expected)
{
	guint64 size = 0;
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) data = NULL;
	g_autoptr(SuitDigest) digest = NULL;
	g_autoptr(SuitDigest) want = sha256_of(expected);

	g_assert_true(suit_store_has_component(store, id));
	data = suit_store_read_bytes(store, id, 1024 * 1024, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(data, expected));
	g_assert_true(suit_store_get_size(store, id, &size, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(size, ==, g_bytes_get_size(expected));
	digest = suit_store_get_digest(store, id, SUIT_DIGEST_ALGORITHM_SHA256, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(suit_digest_equal(digest, want));
}

static void
assert_state(SuitStore *store, SuitComponentId *id, SuitStoreImageState expected)
{
	SuitStoreImageState state = 0xff;
	g_autoptr(GError) error = NULL;
	g_assert_true(suit_store_get_image_state(store, id, &state, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpint(state, ==, expected);
}

static void
write_image(SuitStore *store, SuitComponentId *id, GBytes *data, SuitStoreWriteFlags flags)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitDigest) digest = sha256_of(data);
	g_assert_true(suit_store_write_bytes(store, id, data, digest, flags, NULL, &error));
	g_assert_no_error(error);
}

static GBytes *
bytes_from_string(const gchar *str)
{
	return g_bytes_new(str, strlen(str));
}

static void
test_store_write_read(Fixture *fixture, gconstpointer user_data)
{
	SuitStore *store = fixture->store;
	guint64 size = 0;
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitComponentId) id = make_id("flash", "app", NULL);
	g_autoptr(GBytes) whole = bytes_from_string("hello, firmware world");
	g_autoptr(SuitDigest) digest = sha256_of(whole);
	g_autoptr(SuitStoreWriter) writer = NULL;
	g_autoptr(GPtrArray) ids = NULL;
	g_autoptr(GInputStream) stream = NULL;
	g_autoptr(GBytes) read = NULL;
	g_autoptr(SuitDigest) sha384 = NULL;
	g_autoptr(SuitDigest) sha384_want = NULL;
	g_autoptr(SuitDigest) bad = NULL;

	g_assert_false(suit_store_has_component(store, id));
	assert_state(store, id, SUIT_STORE_IMAGE_STATE_NONE);

	/* streamed in three chunks */
	writer = suit_store_begin_write(store, id, SUIT_STORE_WRITE_FLAG_NONE, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(writer);
	g_assert_true(G_IS_OUTPUT_STREAM(writer));
	g_assert_true(suit_component_id_equal(suit_store_writer_get_component(writer), id));
	for (gsize off = 0; off < g_bytes_get_size(whole); off += 8) {
		gsize len = MIN(8, g_bytes_get_size(whole) - off);
		g_autoptr(GBytes) chunk = g_bytes_new_from_bytes(whole, off, len);
		g_assert_true(suit_store_writer_write(writer, chunk, NULL, &error));
		g_assert_no_error(error);
	}
	g_assert_cmpuint(suit_store_writer_get_size(writer), ==, g_bytes_get_size(whole));
	g_assert_null(suit_store_writer_get_digest(writer));
	/* nothing is visible before the commit */
	g_assert_false(suit_store_has_component(store, id));
	g_assert_true(suit_store_writer_commit(writer,
					       digest,
					       (gint64)g_bytes_get_size(whole),
					       NULL,
					       &error));
	g_assert_no_error(error);
	g_assert_true(suit_digest_equal(suit_store_writer_get_digest(writer), digest));
	g_assert_true(g_output_stream_is_closed(G_OUTPUT_STREAM(writer)));
	assert_no_temporary_files(fixture);

	assert_image(store, id, whole);
	assert_state(store, id, SUIT_STORE_IMAGE_STATE_PENDING);

	/* the stream interface */
	stream = suit_store_read_component(store, id, NULL, &error);
	g_assert_no_error(error);
	read = g_input_stream_read_bytes(stream, 4096, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(read, whole));
	g_assert_true(suit_store_get_size(store, id, &size, NULL, &error));
	g_assert_cmpuint(size, ==, g_bytes_get_size(whole));

	/* other algorithms are computed on demand */
	sha384 = suit_store_get_digest(store, id, SUIT_DIGEST_ALGORITHM_SHA384, NULL, &error);
	g_assert_no_error(error);
	sha384_want = suit_digest_compute(SUIT_DIGEST_ALGORITHM_SHA384, whole, &error);
	g_assert_no_error(error);
	g_assert_true(suit_digest_equal(sha384, sha384_want));
	bad = suit_store_get_digest(store, id, (SuitDigestAlgorithm)-99, NULL, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_UNSUPPORTED_ALGORITHM);
	g_assert_null(bad);
	g_clear_error(&error);

	/* a limit on reading into memory */
	g_clear_pointer(&read, g_bytes_unref);
	read = suit_store_read_bytes(store, id, 4, NULL, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_LIMIT_EXCEEDED);
	g_assert_null(read);
	g_clear_error(&error);

	ids = suit_store_list_components(store, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(ids->len, ==, 1);
	g_assert_true(suit_component_id_equal(g_ptr_array_index(ids, 0), id));
}

static void
test_store_digest_algorithm(Fixture *fixture, gconstpointer user_data)
{
	SuitStore *store = fixture->store;
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitComponentId) id = make_id("sha384", NULL);
	g_autoptr(GBytes) data = bytes_from_string("hashed with sha-384");
	g_autoptr(SuitDigest) want = NULL;
	g_autoptr(SuitDigest) got = NULL;
	g_autoptr(SuitStoreWriter) writer = NULL;
	g_autoptr(SuitStoreWriter) writer2 = NULL;

	want = suit_digest_compute(SUIT_DIGEST_ALGORITHM_SHA384, data, &error);
	g_assert_no_error(error);
	g_assert_true(suit_store_write_bytes(store,
					     id,
					     data,
					     want,
					     SUIT_STORE_WRITE_FLAG_NONE,
					     NULL,
					     &error));
	g_assert_no_error(error);
	got = suit_store_get_digest(store, id, SUIT_DIGEST_ALGORITHM_SHA384, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(suit_digest_equal(got, want));

	/* the algorithm cannot change after the first byte */
	writer = suit_store_begin_write(store, id, SUIT_STORE_WRITE_FLAG_NONE, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(suit_store_writer_write(writer, data, NULL, &error));
	g_assert_false(
	    suit_store_writer_set_digest_algorithm(writer, SUIT_DIGEST_ALGORITHM_SHA512, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_CONFLICT);
	g_clear_error(&error);
	/* an expected digest of another algorithm is refused, not misreported */
	g_assert_false(suit_store_writer_commit(writer, want, -1, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);

	/* unknown algorithms */
	writer2 = suit_store_begin_write(store, id, SUIT_STORE_WRITE_FLAG_NONE, NULL, &error);
	g_assert_no_error(error);
	g_assert_false(
	    suit_store_writer_set_digest_algorithm(writer2, (SuitDigestAlgorithm)-1, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_UNSUPPORTED_ALGORITHM);
	g_clear_error(&error);
	suit_store_writer_abort(writer2);
	assert_no_temporary_files(fixture);
}

static void
test_store_digest_mismatch(Fixture *fixture, gconstpointer user_data)
{
	SuitStore *store = fixture->store;
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitComponentId) id = make_id("boot", NULL);
	g_autoptr(GBytes) old = bytes_from_string("the old image");
	g_autoptr(GBytes) attack = bytes_from_string("the new image, tampered");
	g_autoptr(GBytes) expected = bytes_from_string("the new image, genuine!");
	g_autoptr(SuitDigest) expected_digest = sha256_of(expected);
	g_autoptr(SuitStoreWriter) writer = NULL;
	g_autoptr(SuitStoreWriter) writer2 = NULL;
	g_autoptr(GBytes) more = bytes_from_string("more");

	write_image(store, id, old, SUIT_STORE_WRITE_FLAG_CONFIRM);

	/* wrong digest */
	g_assert_false(suit_store_write_bytes(store,
					      id,
					      attack,
					      expected_digest,
					      SUIT_STORE_WRITE_FLAG_NONE,
					      NULL,
					      &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_DIGEST_MISMATCH);
	g_clear_error(&error);
	assert_image(store, id, old);
	assert_state(store, id, SUIT_STORE_IMAGE_STATE_CONFIRMED);
	assert_no_temporary_files(fixture);

	/* right digest, wrong size */
	writer = suit_store_begin_write(store, id, SUIT_STORE_WRITE_FLAG_NONE, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(suit_store_writer_write(writer, expected, NULL, &error));
	g_assert_no_error(error);
	g_assert_false(suit_store_writer_commit(writer,
						expected_digest,
						(gint64)g_bytes_get_size(expected) + 1,
						NULL,
						&error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_DIGEST_MISMATCH);
	g_clear_error(&error);
	assert_image(store, id, old);
	assert_no_temporary_files(fixture);

	/* the writer is finished after a failed commit */
	g_assert_false(suit_store_writer_write(writer, more, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_CONFLICT);
	g_clear_error(&error);
	g_assert_false(suit_store_writer_commit(writer, NULL, -1, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_CONFLICT);
	g_clear_error(&error);

	/* with a pending image, a mismatch keeps the pending image */
	write_image(store, id, expected, SUIT_STORE_WRITE_FLAG_NONE);
	writer2 = suit_store_begin_write(store, id, SUIT_STORE_WRITE_FLAG_NONE, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(suit_store_writer_write(writer2, attack, NULL, &error));
	g_assert_false(suit_store_writer_commit(writer2, expected_digest, -1, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_DIGEST_MISMATCH);
	g_clear_error(&error);
	assert_image(store, id, expected);
	assert_state(store, id, SUIT_STORE_IMAGE_STATE_PENDING);
	assert_no_temporary_files(fixture);
}

static void
test_store_abort(Fixture *fixture, gconstpointer user_data)
{
	SuitStore *store = fixture->store;
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitComponentId) id = make_id("modem", NULL);
	g_autoptr(GBytes) old = bytes_from_string("old modem firmware");
	g_autoptr(GBytes) partial = bytes_from_string("new modem firm");
	g_autoptr(SuitStoreWriter) writer = NULL;
	g_autoptr(SuitStoreWriter) writer2 = NULL;
	g_autoptr(SuitStoreWriter) writer3 = NULL;
	g_autoptr(SuitStoreWriter) writer4 = NULL;
	g_autoptr(GInputStream) input = NULL;
	g_autoptr(GBytes) spliced = bytes_from_string("spliced from a stream");
	g_autoptr(SuitDigest) spliced_digest = sha256_of(spliced);

	write_image(store, id, old, SUIT_STORE_WRITE_FLAG_CONFIRM);

	/* explicit abort */
	writer = suit_store_begin_write(store, id, SUIT_STORE_WRITE_FLAG_NONE, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(suit_store_writer_write(writer, partial, NULL, &error));
	suit_store_writer_abort(writer);
	suit_store_writer_abort(writer);
	assert_no_temporary_files(fixture);
	g_assert_false(suit_store_writer_write(writer, partial, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_CONFLICT);
	g_clear_error(&error);
	g_assert_false(suit_store_writer_commit(writer, NULL, -1, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_CONFLICT);
	g_clear_error(&error);
	assert_image(store, id, old);
	assert_state(store, id, SUIT_STORE_IMAGE_STATE_CONFIRMED);

	/* dropping the writer discards it */
	writer2 = suit_store_begin_write(store, id, SUIT_STORE_WRITE_FLAG_NONE, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(suit_store_writer_write(writer2, partial, NULL, &error));
	g_clear_object(&writer2);
	assert_no_temporary_files(fixture);
	assert_image(store, id, old);

	/* closing the stream without a commit discards it */
	writer3 = suit_store_begin_write(store, id, SUIT_STORE_WRITE_FLAG_NONE, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(suit_store_writer_write(writer3, partial, NULL, &error));
	g_assert_true(g_output_stream_close(G_OUTPUT_STREAM(writer3), NULL, &error));
	g_assert_no_error(error);
	g_assert_false(suit_store_writer_commit(writer3, NULL, -1, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_CONFLICT);
	g_clear_error(&error);
	assert_no_temporary_files(fixture);
	assert_image(store, id, old);

	/* a stream written into the writer */
	input = g_memory_input_stream_new_from_bytes(spliced);
	writer4 = suit_store_begin_write(store, id, SUIT_STORE_WRITE_FLAG_NONE, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(suit_store_writer_write_stream(writer4, input, NULL, &error));
	g_assert_no_error(error);
	g_assert_true(suit_store_writer_commit(writer4, spliced_digest, -1, NULL, &error));
	g_assert_no_error(error);
	assert_image(store, id, spliced);
}

static void
test_store_cancelled(Fixture *fixture, gconstpointer user_data)
{
	SuitStore *store = fixture->store;
	g_autoptr(GError) error = NULL;
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(SuitComponentId) id = make_id("radio", NULL);
	g_autoptr(GBytes) old = bytes_from_string("radio v1");
	g_autoptr(GBytes) data = bytes_from_string("radio v2");
	g_autoptr(SuitStoreWriter) writer = NULL;
	g_autoptr(SuitStoreWriter) writer2 = NULL;

	write_image(store, id, old, SUIT_STORE_WRITE_FLAG_CONFIRM);
	writer = suit_store_begin_write(store, id, SUIT_STORE_WRITE_FLAG_NONE, cancellable, &error);
	g_assert_no_error(error);
	g_assert_true(suit_store_writer_write(writer, data, cancellable, &error));
	g_cancellable_cancel(cancellable);
	g_assert_false(suit_store_writer_write(writer, data, cancellable, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_clear_error(&error);
	/* a failed write discards the image */
	g_assert_false(suit_store_writer_commit(writer, NULL, -1, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_CONFLICT);
	g_clear_error(&error);
	assert_image(store, id, old);
	assert_no_temporary_files(fixture);

	writer2 =
	    suit_store_begin_write(store, id, SUIT_STORE_WRITE_FLAG_NONE, cancellable, &error);
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_assert_null(writer2);
	g_clear_error(&error);
	g_assert_false(suit_store_confirm(store, id, cancellable, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_clear_error(&error);
}

static void
test_store_fallback(Fixture *fixture, gconstpointer user_data)
{
	SuitStore *store = fixture->store;
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitComponentId) id = make_id("app", NULL);
	g_autoptr(SuitComponentId) other = make_id("other", NULL);
	g_autoptr(GBytes) v1 = bytes_from_string("app v1");
	g_autoptr(GBytes) v2 = bytes_from_string("app v2, never confirmed");
	g_autoptr(GBytes) v3 = bytes_from_string("app v3, confirmed");
	g_autoptr(GBytes) v4 = bytes_from_string("app v4, replaced while pending");
	g_autoptr(GBytes) v5 = bytes_from_string("app v5");
	g_autoptr(GBytes) lone = bytes_from_string("first image, A/B");
	g_autoptr(GPtrArray) fallen = NULL;
	g_autoptr(GInputStream) stream = NULL;

	write_image(store, id, v1, SUIT_STORE_WRITE_FLAG_CONFIRM);
	assert_state(store, id, SUIT_STORE_IMAGE_STATE_CONFIRMED);

	/* nothing pending: confirm is a conflict, not a silent success */
	g_assert_false(suit_store_confirm(store, id, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_CONFLICT);
	g_clear_error(&error);

	/* a new image is pending and active at once */
	write_image(store, id, v2, SUIT_STORE_WRITE_FLAG_NONE);
	assert_state(store, id, SUIT_STORE_IMAGE_STATE_PENDING);
	assert_image(store, id, v2);

	/* first boot: it is tried */
	fallen = suit_store_begin_boot(store, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(fallen->len, ==, 0);
	g_clear_pointer(&fallen, g_ptr_array_unref);
	assert_state(store, id, SUIT_STORE_IMAGE_STATE_TRYING);
	assert_image(store, id, v2);

	/* second boot without a confirm: back to v1 */
	fallen = suit_store_begin_boot(store, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(fallen->len, ==, 1);
	g_assert_true(suit_component_id_equal(g_ptr_array_index(fallen, 0), id));
	g_clear_pointer(&fallen, g_ptr_array_unref);
	assert_state(store, id, SUIT_STORE_IMAGE_STATE_CONFIRMED);
	assert_image(store, id, v1);
	g_assert_false(suit_store_confirm(store, id, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_CONFLICT);
	g_clear_error(&error);

	/* a good boot confirms */
	write_image(store, id, v3, SUIT_STORE_WRITE_FLAG_NONE);
	fallen = suit_store_begin_boot(store, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(fallen->len, ==, 0);
	g_clear_pointer(&fallen, g_ptr_array_unref);
	g_assert_true(suit_store_confirm(store, id, NULL, &error));
	g_assert_no_error(error);
	assert_state(store, id, SUIT_STORE_IMAGE_STATE_CONFIRMED);
	assert_image(store, id, v3);
	fallen = suit_store_begin_boot(store, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(fallen->len, ==, 0);
	g_clear_pointer(&fallen, g_ptr_array_unref);
	assert_image(store, id, v3);

	/* confirming before any boot is allowed too */
	write_image(store, id, v4, SUIT_STORE_WRITE_FLAG_NONE);
	write_image(store, id, v5, SUIT_STORE_WRITE_FLAG_NONE);
	assert_image(store, id, v5);
	g_assert_true(suit_store_confirm(store, id, NULL, &error));
	g_assert_no_error(error);
	assert_image(store, id, v5);
	assert_state(store, id, SUIT_STORE_IMAGE_STATE_CONFIRMED);

	/* a first image written A/B has nothing to fall back to */
	write_image(store, other, lone, SUIT_STORE_WRITE_FLAG_NONE);
	fallen = suit_store_begin_boot(store, NULL, &error);
	g_assert_no_error(error);
	g_clear_pointer(&fallen, g_ptr_array_unref);
	fallen = suit_store_begin_boot(store, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(fallen->len, ==, 1);
	g_assert_false(suit_store_has_component(store, other));
	assert_state(store, other, SUIT_STORE_IMAGE_STATE_NONE);
	stream = suit_store_read_component(store, other, NULL, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
	g_assert_null(stream);
	g_clear_error(&error);
	assert_image(store, id, v5);
	assert_no_temporary_files(fixture);
	if (fixture->kind == STORE_KIND_DIRECTORY)
		g_assert_cmpuint(count_files(fixture->path, ".img"), ==, 1);
}

static void
test_store_not_ab(Fixture *fixture, gconstpointer user_data)
{
	SuitStore *store = fixture->store;
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitComponentId) id = make_id("config", NULL);
	g_autoptr(GBytes) v1 = bytes_from_string("config v1");
	g_autoptr(GBytes) v2 = bytes_from_string("config v2 pending");
	g_autoptr(GBytes) v3 = bytes_from_string("config v3 direct");
	g_autoptr(GPtrArray) fallen = NULL;

	write_image(store, id, v1, SUIT_STORE_WRITE_FLAG_CONFIRM);
	assert_state(store, id, SUIT_STORE_IMAGE_STATE_CONFIRMED);
	write_image(store, id, v2, SUIT_STORE_WRITE_FLAG_NONE);
	/* a confirmed write replaces both images */
	write_image(store, id, v3, SUIT_STORE_WRITE_FLAG_CONFIRM);
	assert_state(store, id, SUIT_STORE_IMAGE_STATE_CONFIRMED);
	assert_image(store, id, v3);
	for (guint i = 0; i < 3; i++) {
		fallen = suit_store_begin_boot(store, NULL, &error);
		g_assert_no_error(error);
		g_assert_cmpuint(fallen->len, ==, 0);
		g_clear_pointer(&fallen, g_ptr_array_unref);
	}
	assert_image(store, id, v3);
	if (fixture->kind == STORE_KIND_DIRECTORY)
		g_assert_cmpuint(count_files(fixture->path, ".img"), ==, 1);
}

static void
test_store_empty_image(Fixture *fixture, gconstpointer user_data)
{
	SuitStore *store = fixture->store;
	g_autoptr(SuitComponentId) id = make_id("empty", NULL);
	g_autoptr(GBytes) empty = g_bytes_new(NULL, 0);

	write_image(store, id, empty, SUIT_STORE_WRITE_FLAG_CONFIRM);
	assert_image(store, id, empty);
}

static void
test_store_sequence_numbers(Fixture *fixture, gconstpointer user_data)
{
	SuitStore *store = fixture->store;
	guint64 value = 0;
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitComponentId) dep = make_id("dependency", "manifest", NULL);
	g_autoptr(SuitComponentId) dep2 = make_id("dependency", "other", NULL);

	g_assert_false(suit_store_get_sequence_number(store, NULL, &value, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
	g_clear_error(&error);
	g_assert_false(suit_store_get_sequence_number(store, dep, &value, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
	g_clear_error(&error);

	g_assert_true(suit_store_set_sequence_number(store, NULL, 5, NULL, &error));
	g_assert_no_error(error);
	g_assert_true(suit_store_set_sequence_number(store, dep, G_MAXUINT64, NULL, &error));
	g_assert_no_error(error);
	g_assert_true(suit_store_get_sequence_number(store, NULL, &value, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(value, ==, 5);
	g_assert_true(suit_store_get_sequence_number(store, dep, &value, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(value, ==, G_MAXUINT64);
	g_assert_false(suit_store_get_sequence_number(store, dep2, &value, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
	g_clear_error(&error);

	/* the store records, the consumer decides about rollback */
	g_assert_true(suit_store_set_sequence_number(store, NULL, 3, NULL, &error));
	g_assert_no_error(error);
	g_assert_true(suit_store_get_sequence_number(store, NULL, &value, NULL, &error));
	g_assert_cmpuint(value, ==, 3);

	/* sequence numbers are not components */
	g_assert_false(suit_store_has_component(store, dep));
	assert_no_temporary_files(fixture);
	if (fixture->kind == STORE_KIND_DIRECTORY) {
		fixture_reopen(fixture);
		store = fixture->store;
		g_assert_true(suit_store_get_sequence_number(store, NULL, &value, NULL, &error));
		g_assert_no_error(error);
		g_assert_cmpuint(value, ==, 3);
		g_assert_true(suit_store_get_sequence_number(store, dep, &value, NULL, &error));
		g_assert_no_error(error);
		g_assert_cmpuint(value, ==, G_MAXUINT64);
	}
}

static void
test_store_remove(Fixture *fixture, gconstpointer user_data)
{
	SuitStore *store = fixture->store;
	guint64 value = 0;
	guint64 size = 0;
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitComponentId) id = make_id("removable", NULL);
	g_autoptr(SuitComponentId) keep = make_id("kept", NULL);
	g_autoptr(GBytes) v1 = bytes_from_string("v1");
	g_autoptr(GBytes) v2 = bytes_from_string("v2");
	g_autoptr(GPtrArray) ids = NULL;
	g_autoptr(SuitDigest) digest = NULL;

	write_image(store, id, v1, SUIT_STORE_WRITE_FLAG_CONFIRM);
	write_image(store, id, v2, SUIT_STORE_WRITE_FLAG_NONE);
	write_image(store, keep, v1, SUIT_STORE_WRITE_FLAG_CONFIRM);
	g_assert_true(suit_store_set_sequence_number(store, id, 9, NULL, &error));
	g_assert_no_error(error);

	g_assert_true(suit_store_remove_component(store, id, NULL, &error));
	g_assert_no_error(error);
	g_assert_false(suit_store_has_component(store, id));
	assert_state(store, id, SUIT_STORE_IMAGE_STATE_NONE);
	g_assert_false(suit_store_get_size(store, id, &size, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
	g_clear_error(&error);
	digest = suit_store_get_digest(store, id, SUIT_DIGEST_ALGORITHM_SHA256, NULL, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
	g_assert_null(digest);
	g_clear_error(&error);
	g_assert_false(suit_store_confirm(store, id, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
	g_clear_error(&error);
	g_assert_false(suit_store_remove_component(store, id, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
	g_clear_error(&error);

	/* the rest stays */
	assert_image(store, keep, v1);
	g_assert_true(suit_store_get_sequence_number(store, id, &value, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(value, ==, 9);
	ids = suit_store_list_components(store, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(ids->len, ==, 1);
	g_assert_true(suit_component_id_equal(g_ptr_array_index(ids, 0), keep));
	if (fixture->kind == STORE_KIND_DIRECTORY) {
		g_assert_cmpuint(count_files(fixture->path, ".img"), ==, 1);
		g_assert_cmpuint(count_files(fixture->path, ".state"), ==, 1);
	}

	/* and it can be written again */
	write_image(store, id, v2, SUIT_STORE_WRITE_FLAG_NONE);
	assert_image(store, id, v2);
}

/* a read stream keeps its image even when a commit replaces it */
static void
test_store_read_while_replaced(Fixture *fixture, gconstpointer user_data)
{
	SuitStore *store = fixture->store;
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitComponentId) id = make_id("busy", NULL);
	g_autoptr(GBytes) v1 = bytes_from_string("image one");
	g_autoptr(GBytes) v2 = bytes_from_string("image two");
	g_autoptr(GInputStream) stream = NULL;
	g_autoptr(GBytes) read = NULL;

	write_image(store, id, v1, SUIT_STORE_WRITE_FLAG_CONFIRM);
	stream = suit_store_read_component(store, id, NULL, &error);
	g_assert_no_error(error);
	write_image(store, id, v2, SUIT_STORE_WRITE_FLAG_CONFIRM);
	read = g_input_stream_read_bytes(stream, 100, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(read, v1));
	assert_image(store, id, v2);
}

/* a store that implements nothing but reading: the wrappers report it */
#define TEST_TYPE_STORE_READONLY (test_store_readonly_get_type())
G_DECLARE_FINAL_TYPE(TestStoreReadonly, test_store_readonly, TEST, STORE_READONLY, GObject)
struct _TestStoreReadonly {
	GObject parent_instance;
};

static GInputStream *
test_store_readonly_read_component(SuitStore *store,
				   SuitComponentId *component,
				   GCancellable *cancellable,
				   GError **error)
{
	return g_memory_input_stream_new_from_data("readonly", 8, NULL);
}

static void
test_store_readonly_iface_init(SuitStoreInterface *iface)
{
	iface->read_component = test_store_readonly_read_component;
}

G_DEFINE_TYPE_WITH_CODE(TestStoreReadonly,
			test_store_readonly,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(SUIT_TYPE_STORE, test_store_readonly_iface_init))

static void
test_store_readonly_class_init(TestStoreReadonlyClass *klass)
{
}

static void
test_store_readonly_init(TestStoreReadonly *self)
{
}

static void
test_store_not_supported(void)
{
	SuitStoreImageState state = SUIT_STORE_IMAGE_STATE_NONE;
	guint64 value = 0;
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitStore) store = g_object_new(TEST_TYPE_STORE_READONLY, NULL);
	g_autoptr(SuitComponentId) id = make_id("x", NULL);
	g_autoptr(GBytes) data = bytes_from_string("readonly");
	g_autoptr(SuitDigest) want = sha256_of(data);
	g_autoptr(SuitDigest) digest = NULL;
	g_autoptr(SuitStoreWriter) writer = NULL;
	g_autoptr(GPtrArray) array = NULL;
	g_autoptr(GBytes) read = NULL;

	/* the digest falls back to hashing the stream */
	digest = suit_store_get_digest(store, id, SUIT_DIGEST_ALGORITHM_SHA256, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(suit_digest_equal(digest, want));
	g_assert_false(suit_store_has_component(store, id));

	writer = suit_store_begin_write(store, id, SUIT_STORE_WRITE_FLAG_NONE, NULL, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED);
	g_assert_null(writer);
	g_clear_error(&error);
	g_assert_false(suit_store_write_bytes(store,
					      id,
					      data,
					      NULL,
					      SUIT_STORE_WRITE_FLAG_NONE,
					      NULL,
					      &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED);
	g_clear_error(&error);
	g_assert_false(suit_store_get_size(store, id, &value, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED);
	g_clear_error(&error);
	/* read_bytes needs the size */
	read = suit_store_read_bytes(store, id, 100, NULL, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED);
	g_assert_null(read);
	g_clear_error(&error);
	g_assert_false(suit_store_remove_component(store, id, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED);
	g_clear_error(&error);
	g_assert_false(suit_store_get_image_state(store, id, &state, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED);
	g_clear_error(&error);
	g_assert_false(suit_store_confirm(store, id, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED);
	g_clear_error(&error);
	array = suit_store_begin_boot(store, NULL, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED);
	g_assert_null(array);
	g_clear_error(&error);
	array = suit_store_list_components(store, NULL, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED);
	g_assert_null(array);
	g_clear_error(&error);
	g_assert_false(suit_store_get_sequence_number(store, NULL, &value, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED);
	g_clear_error(&error);
	g_assert_false(suit_store_set_sequence_number(store, NULL, 1, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED);
	g_clear_error(&error);
}

/* directory store only */

static gchar *
expected_key(SuitComponentId *id)
{
	g_autoptr(GBytes) cbor = suit_component_id_to_cbor(id);
	return g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, cbor);
}

static void
test_directory_persistence(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitComponentId) id = make_id("persistent", NULL);
	g_autoptr(GBytes) v1 = bytes_from_string("persistent v1");
	g_autoptr(GBytes) v2 = bytes_from_string("persistent v2");
	g_autoptr(GPtrArray) fallen = NULL;
	g_autoptr(GPtrArray) ids = NULL;

	write_image(fixture->store, id, v1, SUIT_STORE_WRITE_FLAG_CONFIRM);
	write_image(fixture->store, id, v2, SUIT_STORE_WRITE_FLAG_NONE);
	fixture_reopen(fixture);
	assert_state(fixture->store, id, SUIT_STORE_IMAGE_STATE_PENDING);
	assert_image(fixture->store, id, v2);

	/* reboot 1: trying */
	fallen = suit_store_begin_boot(fixture->store, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(fallen->len, ==, 0);
	g_clear_pointer(&fallen, g_ptr_array_unref);
	fixture_reopen(fixture);
	assert_state(fixture->store, id, SUIT_STORE_IMAGE_STATE_TRYING);
	assert_image(fixture->store, id, v2);

	/* reboot 2: fallback */
	fallen = suit_store_begin_boot(fixture->store, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(fallen->len, ==, 1);
	fixture_reopen(fixture);
	assert_state(fixture->store, id, SUIT_STORE_IMAGE_STATE_CONFIRMED);
	assert_image(fixture->store, id, v1);
	ids = suit_store_list_components(fixture->store, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(ids->len, ==, 1);
	g_assert_true(suit_component_id_equal(g_ptr_array_index(ids, 0), id));
	g_assert_cmpuint(count_files(fixture->path, ".img"), ==, 1);
}

static void
test_directory_clean_on_open(Fixture *fixture, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitComponentId) id = make_id("cleaned", NULL);
	g_autoptr(SuitComponentId) gone = make_id("never", "committed", NULL);
	g_autoptr(GBytes) v1 = bytes_from_string("keep me");
	g_autofree gchar *key = expected_key(id);
	g_autofree gchar *gone_key = expected_key(gone);
	g_autofree gchar *tmp1 = g_build_filename(fixture->path, ".suit-tmp-abc123", NULL);
	g_autofree gchar *tmp2 = g_build_filename(fixture->path, ".suit-tmp-XYZ", NULL);
	g_autofree gchar *orphan_name = g_strdup_printf("%s.0123456789abcdef.img", key);
	g_autofree gchar *orphan = g_build_filename(fixture->path, orphan_name, NULL);
	g_autofree gchar *gone_name = g_strdup_printf("%s.fedcba9876543210.img", gone_key);
	g_autofree gchar *gone_path = g_build_filename(fixture->path, gone_name, NULL);
	g_autofree gchar *user = g_build_filename(fixture->path, "README", NULL);

	write_image(fixture->store, id, v1, SUIT_STORE_WRITE_FLAG_CONFIRM);
	g_clear_object(&fixture->store);

	/* what a crash leaves behind, and a file that is not ours */
	g_assert_true(g_file_set_contents(tmp1, "half a write", -1, &error));
	g_assert_true(g_file_set_contents(tmp2, "", -1, &error));
	g_assert_true(g_file_set_contents(orphan, "renamed, never committed", -1, &error));
	g_assert_true(g_file_set_contents(gone_path, "no state at all", -1, &error));
	g_assert_true(g_file_set_contents(user, "not ours", -1, &error));
	g_assert_no_error(error);

	fixture->store = open_directory(fixture->path);
	g_assert_false(g_file_test(tmp1, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(tmp2, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(orphan, G_FILE_TEST_EXISTS));
	g_assert_false(g_file_test(gone_path, G_FILE_TEST_EXISTS));
	g_assert_true(g_file_test(user, G_FILE_TEST_EXISTS));
	assert_image(fixture->store, id, v1);
	g_assert_false(suit_store_has_component(fixture->store, gone));
	g_assert_cmpuint(count_files(fixture->path, ".img"), ==, 1);
}

static void
test_directory_safe_names(Fixture *fixture, gconstpointer user_data)
{
	static const gchar *names[][3] = {
	    {"..", NULL, NULL},
	    {"../../etc/passwd", NULL, NULL},
	    {"/", "..", "x"},
	    {"a/b", "c", NULL},
	    {".suit-tmp-XXXXXX", NULL, NULL},
	};
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) ids =
	    g_ptr_array_new_with_free_func((GDestroyNotify)suit_component_id_unref);
	g_autoptr(GPtrArray) listed = NULL;
	g_autoptr(GDir) dir = NULL;
	const gchar *fn;
	guint8 raw[] = {0x00, 0x2f, 0x2e, 0x2e, 0xff, 0x0a};

	for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
		SuitComponentId *id = suit_component_id_new();
		for (guint j = 0; j < 3 && names[i][j] != NULL; j++) {
			g_autoptr(GBytes) part = bytes_from_string(names[i][j]);
			suit_component_id_append(id, part);
		}
		g_ptr_array_add(ids, id);
	}
	{
		SuitComponentId *id = suit_component_id_new();
		g_autoptr(GBytes) part = g_bytes_new(raw, sizeof(raw));
		suit_component_id_append(id, part);
		g_ptr_array_add(ids, id);
	}
	for (guint i = 0; i < ids->len; i++) {
		g_autofree gchar *text = g_strdup_printf("image %u", i);
		g_autoptr(GBytes) data = bytes_from_string(text);
		write_image(fixture->store,
			    g_ptr_array_index(ids, i),
			    data,
			    SUIT_STORE_WRITE_FLAG_CONFIRM);
		g_assert_true(suit_store_set_sequence_number(fixture->store,
							     g_ptr_array_index(ids, i),
							     i,
							     NULL,
							     &error));
		g_assert_no_error(error);
	}

	/* every file is named by the SHA-256 of a component id, nothing else */
	dir = g_dir_open(fixture->path, 0, &error);
	g_assert_no_error(error);
	while ((fn = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *child = g_build_filename(fixture->path, fn, NULL);
		gboolean known = FALSE;
		g_assert_false(g_file_test(child, G_FILE_TEST_IS_DIR));
		for (guint i = 0; i < ids->len; i++) {
			g_autofree gchar *key = expected_key(g_ptr_array_index(ids, i));
			if (g_str_has_prefix(fn, key))
				known = TRUE;
		}
		g_assert_true(known);
	}
	g_assert_cmpuint(count_files(fixture->path, NULL), ==, ids->len * 3);
	/* nothing was written outside the store */
	g_assert_cmpuint(count_files(fixture->tmpdir, NULL), ==, 1);

	/* and everything reads back after a reopen */
	fixture_reopen(fixture);
	listed = suit_store_list_components(fixture->store, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(listed->len, ==, ids->len);
	for (guint i = 0; i < ids->len; i++) {
		guint64 value = 0;
		g_autofree gchar *text = g_strdup_printf("image %u", i);
		g_autoptr(GBytes) data = bytes_from_string(text);
		assert_image(fixture->store, g_ptr_array_index(ids, i), data);
		g_assert_true(suit_store_get_sequence_number(fixture->store,
							     g_ptr_array_index(ids, i),
							     &value,
							     NULL,
							     &error));
		g_assert_no_error(error);
		g_assert_cmpuint(value, ==, i);
	}
}

static void
write_state_file(Fixture *fixture, SuitComponentId *id, SuitCborItem *map)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *key = expected_key(id);
	g_autofree gchar *name = g_strdup_printf("%s.state", key);
	g_autofree gchar *path = g_build_filename(fixture->path, name, NULL);
	g_autoptr(GBytes) blob = suit_cbor_encode(map);
	g_assert_true(g_file_set_contents(path,
					  g_bytes_get_data(blob, NULL),
					  g_bytes_get_size(blob),
					  &error));
	g_assert_no_error(error);
}

static void
test_directory_corrupt_state(Fixture *fixture, gconstpointer user_data)
{
	guint64 size = 0;
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitComponentId) id = make_id("victim", NULL);
	g_autoptr(SuitComponentId) other = make_id("other", NULL);
	g_autoptr(SuitComponentId) good = make_id("good", NULL);
	g_autoptr(GBytes) v1 = bytes_from_string("victim v1");
	g_autoptr(GBytes) g1 = bytes_from_string("good v1");
	g_autoptr(GBytes) g2 = bytes_from_string("good v2");
	g_autoptr(GBytes) id_cbor = suit_component_id_to_cbor(id);
	g_autoptr(GBytes) other_cbor = suit_component_id_to_cbor(other);
	g_autoptr(SuitCborItem) traversal = suit_cbor_item_new_map();
	g_autoptr(SuitCborItem) foreign = suit_cbor_item_new_map();
	g_autoptr(SuitCborItem) garbage = suit_cbor_item_new_text("not a state");
	g_autoptr(GPtrArray) fallen = NULL;
	g_autoptr(GPtrArray) ids = NULL;
	g_autoptr(GInputStream) stream = NULL;

	write_image(fixture->store, id, v1, SUIT_STORE_WRITE_FLAG_CONFIRM);
	write_image(fixture->store, good, g1, SUIT_STORE_WRITE_FLAG_CONFIRM);
	write_image(fixture->store, good, g2, SUIT_STORE_WRITE_FLAG_NONE);

	/* a tampered state cannot name a path */
	suit_cbor_map_append(traversal,
			     suit_cbor_item_new_uint(1),
			     suit_cbor_item_new_bytes(id_cbor));
	suit_cbor_map_append(traversal,
			     suit_cbor_item_new_uint(2),
			     suit_cbor_item_new_text("/../../etc/passwd"));
	write_state_file(fixture, id, traversal);
	stream = suit_store_read_component(fixture->store, id, NULL, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
	g_assert_null(stream);
	g_clear_error(&error);
	g_assert_false(suit_store_get_size(fixture->store, id, &size, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
	g_clear_error(&error);

	/* a state that names another component */
	suit_cbor_map_append(foreign,
			     suit_cbor_item_new_uint(1),
			     suit_cbor_item_new_bytes(other_cbor));
	suit_cbor_map_append(foreign,
			     suit_cbor_item_new_uint(2),
			     suit_cbor_item_new_text("0123456789abcdef"));
	write_state_file(fixture, id, foreign);
	g_assert_false(suit_store_confirm(fixture->store, id, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
	g_clear_error(&error);

	/* not even a map */
	write_state_file(fixture, id, garbage);
	g_assert_false(suit_store_has_component(fixture->store, id));
	ids = suit_store_list_components(fixture->store, NULL, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
	g_assert_null(ids);
	g_clear_error(&error);

	/* opening keeps the images of the broken component */
	g_test_expect_message("Suit", G_LOG_LEVEL_WARNING, "keeping the images of *");
	fixture_reopen(fixture);
	g_test_assert_expected_messages();
	g_assert_cmpuint(count_files(fixture->path, ".img"), ==, 3);

	/* and the boot protocol still falls back the others */
	g_test_expect_message("Suit", G_LOG_LEVEL_WARNING, "skipping: corrupt state*");
	fallen = suit_store_begin_boot(fixture->store, NULL, &error);
	g_test_assert_expected_messages();
	g_assert_no_error(error);
	g_assert_cmpuint(fallen->len, ==, 0);
	g_clear_pointer(&fallen, g_ptr_array_unref);
	g_test_expect_message("Suit", G_LOG_LEVEL_WARNING, "skipping: corrupt state*");
	fallen = suit_store_begin_boot(fixture->store, NULL, &error);
	g_test_assert_expected_messages();
	g_assert_no_error(error);
	g_assert_cmpuint(fallen->len, ==, 1);
	assert_image(fixture->store, good, g1);
}

static void
test_directory_open_errors(void)
{
	struct stat st = {0};
	g_autoptr(GError) error = NULL;
	g_autofree gchar *tmpdir = g_dir_make_tmp("suit-store-XXXXXX", NULL);
	g_autofree gchar *file = g_build_filename(tmpdir, "a-file", NULL);
	g_autofree gchar *nested = g_build_filename(tmpdir, "a", "b", "store", NULL);
	g_autoptr(SuitStoreDirectory) store = NULL;
	g_autoptr(SuitStoreDirectory) store2 = NULL;

	g_assert_true(g_file_set_contents(file, "x", -1, &error));
	store = suit_store_directory_new(file, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
	g_assert_null(store);
	g_clear_error(&error);

	store2 = suit_store_directory_new(nested, &error);
	g_assert_no_error(error);
	g_assert_nonnull(store2);
	g_assert_cmpstr(suit_store_directory_get_path(store2), ==, nested);
	g_assert_cmpint(g_stat(nested, &st), ==, 0);
	g_assert_true(S_ISDIR(st.st_mode));
	g_assert_cmpint(st.st_mode & 0777, ==, 0700);
	g_clear_object(&store2);
	rm_rf(tmpdir);
}

static gsize
read_vm_hwm(void)
{
	g_autofree gchar *status = NULL;
	const gchar *line;
	if (!g_file_get_contents("/proc/self/status", &status, NULL, NULL))
		return 0;
	line = strstr(status, "VmHWM:");
	if (line == NULL)
		return 0;
	return (gsize)g_ascii_strtoull(line + 6, NULL, 10) * 1024;
}

#define CHUNK_SIZE (64 * 1024)

/* fills @buf with the bytes of chunk @idx of a pseudo-random image */
static void
fill_chunk(guint8 *buf, guint32 seed, guint idx)
{
	guint32 x = seed ^ (idx * 2654435761u);
	for (gsize i = 0; i < CHUNK_SIZE; i += 4) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		memcpy(buf + i, &x, 4);
	}
}

/* writes a generated image of @n_chunks chunks; returns its SHA-256 */
static SuitDigest *
write_large(SuitStore *store,
	    SuitComponentId *id,
	    guint32 seed,
	    guint n_chunks,
	    SuitStoreWriteFlags flags,
	    GError **error)
{
	g_autofree guint8 *buf = g_malloc(CHUNK_SIZE);
	g_autoptr(GChecksum) checksum = g_checksum_new(G_CHECKSUM_SHA256);
	guint8 out[32];
	gsize out_len = sizeof(out);
	g_autoptr(GBytes) value = NULL;
	g_autoptr(SuitDigest) digest = NULL;
	g_autoptr(SuitStoreWriter) writer = NULL;

	writer = suit_store_begin_write(store, id, flags, NULL, error);
	if (writer == NULL)
		return NULL;
	for (guint i = 0; i < n_chunks; i++) {
		g_autoptr(GBytes) chunk = NULL;
		fill_chunk(buf, seed, i);
		g_checksum_update(checksum, buf, CHUNK_SIZE);
		chunk = g_bytes_new_static(buf, CHUNK_SIZE);
		if (!suit_store_writer_write(writer, chunk, NULL, error))
			return NULL;
	}
	g_checksum_get_digest(checksum, out, &out_len);
	value = g_bytes_new(out, out_len);
	digest = suit_digest_new(SUIT_DIGEST_ALGORITHM_SHA256, value);
	if (!suit_store_writer_commit(writer, digest, (gint64)n_chunks * CHUNK_SIZE, NULL, error))
		return NULL;
	return g_steal_pointer(&digest);
}

static SuitDigest *
checksum_stream(GInputStream *stream)
{
	g_autofree guint8 *buf = g_malloc(CHUNK_SIZE);
	g_autoptr(GChecksum) checksum = g_checksum_new(G_CHECKSUM_SHA256);
	guint8 out[32];
	gsize out_len = sizeof(out);
	g_autoptr(GBytes) value = NULL;

	while (TRUE) {
		g_autoptr(GError) error = NULL;
		gssize n = g_input_stream_read(stream, buf, CHUNK_SIZE, NULL, &error);
		g_assert_no_error(error);
		if (n == 0)
			break;
		g_checksum_update(checksum, buf, (gsize)n);
	}
	g_checksum_get_digest(checksum, out, &out_len);
	value = g_bytes_new(out, out_len);
	return suit_digest_new(SUIT_DIGEST_ALGORITHM_SHA256, value);
}

static void
assert_active_digest(SuitStore *store, SuitComponentId *id, SuitDigest *want)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GInputStream) stream = suit_store_read_component(store, id, NULL, &error);
	g_autoptr(SuitDigest) got = NULL;
	g_autoptr(SuitDigest) got_store = NULL;

	g_assert_no_error(error);
	got = checksum_stream(stream);
	g_assert_true(suit_digest_equal(got, want));
	got_store = suit_store_get_digest(store, id, SUIT_DIGEST_ALGORITHM_SHA256, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(suit_digest_equal(got_store, want));
}

static void
test_directory_large_stream(Fixture *fixture, gconstpointer user_data)
{
	gsize hwm_before;
	gsize hwm_after;
	guint64 size = 0;
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitComponentId) id = make_id("large", NULL);
	g_autoptr(SuitDigest) digest = NULL;

	hwm_before = read_vm_hwm();
	digest =
	    write_large(fixture->store, id, 0x5eed, 1024, SUIT_STORE_WRITE_FLAG_CONFIRM, &error);
	g_assert_no_error(error);
	g_assert_nonnull(digest);
	hwm_after = read_vm_hwm();
	g_test_message("peak RSS before %" G_GSIZE_FORMAT " KiB, after %" G_GSIZE_FORMAT " KiB",
		       hwm_before / 1024,
		       hwm_after / 1024);
	/* 64 MiB went through; memory must not have grown with it */
	if (hwm_before > 0)
		g_assert_cmpuint(hwm_after, <, hwm_before + 16 * 1024 * 1024);

	g_assert_true(suit_store_get_size(fixture->store, id, &size, NULL, &error));
	g_assert_cmpuint(size, ==, 64 * 1024 * 1024);
	assert_active_digest(fixture->store, id, digest);
	/* without the cache of the writer's digest */
	fixture_reopen(fixture);
	assert_active_digest(fixture->store, id, digest);
}

/* a full disk or a failing device, simulated with RLIMIT_FSIZE in a child */
static void
test_directory_write_failed(Fixture *fixture, gconstpointer user_data)
{
	pid_t pid;
	gint status = 0;
	g_autoptr(SuitComponentId) id = make_id("too-large", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitDigest) old = NULL;

	old = write_large(fixture->store, id, 1, 4, SUIT_STORE_WRITE_FLAG_CONFIRM, &error);
	g_assert_no_error(error);
	g_clear_object(&fixture->store);

	pid = fork();
	g_assert_cmpint(pid, >=, 0);
	if (pid == 0) {
		struct rlimit limit = {.rlim_cur = 1024 * 1024, .rlim_max = 1024 * 1024};
		g_autoptr(GError) error_child = NULL;
		g_autoptr(SuitDigest) digest = NULL;
		g_autoptr(SuitStore) store = NULL;
		g_autofree gchar *os_message = g_strdup(g_strerror(EFBIG));

		signal(SIGXFSZ, SIG_IGN);
		if (setrlimit(RLIMIT_FSIZE, &limit) != 0)
			_exit(10);
		store = SUIT_STORE(suit_store_directory_new(fixture->path, &error_child));
		if (store == NULL)
			_exit(11);
		digest = write_large(store, id, 2, 32, SUIT_STORE_WRITE_FLAG_CONFIRM, &error_child);
		if (digest != NULL)
			_exit(12);
		if (!g_error_matches(error_child, SUIT_ERROR, SUIT_ERROR_WRITE_FAILED))
			_exit(13);
		if (strstr(error_child->message, os_message) == NULL)
			_exit(14);
		_exit(0);
	}
	g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
	g_assert_true(WIFEXITED(status));
	g_assert_cmpint(WEXITSTATUS(status), ==, 0);

	fixture->store = open_directory(fixture->path);
	assert_no_temporary_files(fixture);
	assert_active_digest(fixture->store, id, old);
	assert_state(fixture->store, id, SUIT_STORE_IMAGE_STATE_CONFIRMED);
}

/* a writer killed at random moments never damages the previous image */
static void
test_directory_crash(Fixture *fixture, gconstpointer user_data)
{
	const guint n_chunks = 256; /* 16 MiB */
	gint64 duration = 0;
	guint n_new = 0;
	guint n_killed = 0;
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitComponentId) id = make_id("crash", "victim", NULL);
	g_autoptr(SuitComponentId) probe = make_id("crash", "probe", NULL);
	g_autoptr(SuitDigest) previous = NULL;
	g_autoptr(SuitDigest) next = NULL;
	g_autoptr(GBytes) small = bytes_from_string("the store still works");

	previous =
	    write_large(fixture->store, id, 0xdead, 64, SUIT_STORE_WRITE_FLAG_CONFIRM, &error);
	g_assert_no_error(error);

	/* the digest the child's image has when complete */
	{
		g_autoptr(SuitStore) scratch = SUIT_STORE(suit_store_memory_new());
		next =
		    write_large(scratch, id, 0xbeef, n_chunks, SUIT_STORE_WRITE_FLAG_NONE, &error);
		g_assert_no_error(error);
	}
	g_clear_object(&fixture->store);

	/* the first writer runs to its end, to time the others' kills over all its steps */
	for (guint i = 0; i < 9; i++) {
		SuitStoreImageState state = SUIT_STORE_IMAGE_STATE_NONE;
		gint status = 0;
		gint64 start = g_get_monotonic_time();
		gulong delay = (gulong)g_test_rand_int_range(
		    0,
		    (gint32)MIN(duration + duration / 10, 2000000) + 1);
		pid_t pid = fork();

		g_assert_cmpint(pid, >=, 0);
		if (pid == 0) {
			g_autoptr(GError) error_child = NULL;
			g_autoptr(SuitStore) store =
			    SUIT_STORE(suit_store_directory_new(fixture->path, &error_child));
			g_autoptr(SuitDigest) digest = NULL;
			if (store == NULL)
				_exit(1);
			digest = write_large(store,
					     id,
					     0xbeef,
					     n_chunks,
					     SUIT_STORE_WRITE_FLAG_NONE,
					     &error_child);
			_exit(digest != NULL ? 0 : 2);
		}
		if (i > 0) {
			g_usleep(delay);
			kill(pid, SIGKILL);
		}
		g_assert_cmpint(waitpid(pid, &status, 0), ==, pid);
		if (i == 0)
			duration = g_get_monotonic_time() - start;
		if (WIFSIGNALED(status))
			n_killed++;
		else
			g_assert_cmpint(WEXITSTATUS(status), ==, 0);

		/* after the "reboot": either the old image, or the whole new one pending */
		fixture->store = open_directory(fixture->path);
		assert_no_temporary_files(fixture);
		g_assert_true(suit_store_get_image_state(fixture->store, id, &state, NULL, &error));
		g_assert_no_error(error);
		if (state == SUIT_STORE_IMAGE_STATE_PENDING) {
			g_autoptr(GPtrArray) fallen = NULL;
			n_new++;
			assert_active_digest(fixture->store, id, next);
			/* never confirmed: two boots fall back */
			fallen = suit_store_begin_boot(fixture->store, NULL, &error);
			g_assert_no_error(error);
			g_clear_pointer(&fallen, g_ptr_array_unref);
			fallen = suit_store_begin_boot(fixture->store, NULL, &error);
			g_assert_no_error(error);
			g_assert_cmpuint(fallen->len, ==, 1);
		} else {
			g_assert_cmpint(state, ==, SUIT_STORE_IMAGE_STATE_CONFIRMED);
		}
		/* exactly the previous image */
		assert_active_digest(fixture->store, id, previous);
		assert_state(fixture->store, id, SUIT_STORE_IMAGE_STATE_CONFIRMED);
		g_assert_cmpuint(count_files(fixture->path, ".img"), ==, 1);

		/* and the store still works */
		write_image(fixture->store, probe, small, SUIT_STORE_WRITE_FLAG_CONFIRM);
		assert_image(fixture->store, probe, small);
		g_assert_true(suit_store_remove_component(fixture->store, probe, NULL, &error));
		g_assert_no_error(error);
		g_clear_object(&fixture->store);
	}
	g_test_message("a writer takes %" G_GINT64_FORMAT
		       " ms; %u of 8 writers killed, %u committed",
		       duration / 1000,
		       n_killed,
		       n_new);
	fixture->store = open_directory(fixture->path);
}

static void
add_store_test(const gchar *name, void (*func)(Fixture *, gconstpointer))
{
	g_autofree gchar *memory = g_strdup_printf("/suit/store/memory/%s", name);
	g_autofree gchar *directory = g_strdup_printf("/suit/store/directory/%s", name);
	g_test_add(memory,
		   Fixture,
		   GINT_TO_POINTER(STORE_KIND_MEMORY),
		   fixture_setup,
		   func,
		   fixture_teardown);
	g_test_add(directory,
		   Fixture,
		   GINT_TO_POINTER(STORE_KIND_DIRECTORY),
		   fixture_setup,
		   func,
		   fixture_teardown);
}

static void
add_directory_test(const gchar *name, void (*func)(Fixture *, gconstpointer))
{
	g_autofree gchar *directory = g_strdup_printf("/suit/store/directory/%s", name);
	g_test_add(directory,
		   Fixture,
		   GINT_TO_POINTER(STORE_KIND_DIRECTORY),
		   fixture_setup,
		   func,
		   fixture_teardown);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);

	add_store_test("write-read", test_store_write_read);
	add_store_test("digest-algorithm", test_store_digest_algorithm);
	add_store_test("digest-mismatch", test_store_digest_mismatch);
	add_store_test("abort", test_store_abort);
	add_store_test("cancelled", test_store_cancelled);
	add_store_test("fallback", test_store_fallback);
	add_store_test("not-ab", test_store_not_ab);
	add_store_test("empty-image", test_store_empty_image);
	add_store_test("sequence-numbers", test_store_sequence_numbers);
	add_store_test("remove", test_store_remove);
	add_store_test("read-while-replaced", test_store_read_while_replaced);
	g_test_add_func("/suit/store/not-supported", test_store_not_supported);
	add_directory_test("persistence", test_directory_persistence);
	add_directory_test("clean-on-open", test_directory_clean_on_open);
	add_directory_test("safe-names", test_directory_safe_names);
	add_directory_test("corrupt-state", test_directory_corrupt_state);
	g_test_add_func("/suit/store/directory/open-errors", test_directory_open_errors);
	add_directory_test("large-stream", test_directory_large_stream);
	add_directory_test("write-failed", test_directory_write_failed);
	add_directory_test("crash", test_directory_crash);
	return g_test_run();
}
