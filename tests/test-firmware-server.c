/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "suit-test-common.h"

#define VENDOR_ARM  "fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe"
#define CLASS_DRAFT "1492af14-2569-5e48-bf42-9b2d51f2ab45"
#define VENDOR_B    "c0ddd5f1-5243-5660-87db-4f5b0aa26c2f"
#define CLASS_B	    "db42f709-3d8c-55ba-a8c5-265fc5820f4e"

typedef struct {
	gchar *tmpdir;
	gchar *dir; /* tmpdir/fw */
	SuitDatabase *database;
	SuitKey *key; /* the trusted author, P-256 */
	SuitKeyring *keyring;
	SuitFirmwareServer *server;
} Fixture;

/* helpers ---------------------------------------------------------------------- */

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

static guint
count_entries(const gchar *path)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	guint n = 0;
	g_assert_nonnull(dir);
	while (g_dir_read_name(dir) != NULL)
		n++;
	return n;
}

static void
assert_tmp_empty(Fixture *fx)
{
	g_autofree gchar *tmp = g_build_filename(fx->dir, "tmp", NULL);
	g_assert_cmpuint(count_entries(tmp), ==, 0);
}

static SuitKeyring *
keyring_for(SuitKey *key)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitKey) pub = suit_key_dup_public(key, &error);
	SuitKeyring *keyring = suit_keyring_new();
	g_assert_no_error(error);
	suit_keyring_add(keyring, pub);
	return keyring;
}

static SuitKey *
new_key(SuitKeyType key_type)
{
	g_autoptr(GError) error = NULL;
	SuitKey *key = suit_key_generate(key_type, &error);
	g_assert_no_error(error);
	g_assert_nonnull(key);
	return key;
}

static SuitFirmwareServer *
open_server(const gchar *dir, SuitDatabase *database, SuitKeyring *keyring)
{
	g_autoptr(GError) error = NULL;
	SuitFirmwareServer *server = suit_firmware_server_new(dir, database, keyring, &error);
	g_assert_no_error(error);
	g_assert_nonnull(server);
	return server;
}

static void
fixture_setup(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	fx->tmpdir = g_dir_make_tmp("suit-fwserver-XXXXXX", &error);
	g_assert_no_error(error);
	fx->dir = g_build_filename(fx->tmpdir, "fw", NULL);
	if (g_strcmp0(user_data, "sqlite") == 0) {
		g_autofree gchar *db_path = g_build_filename(fx->tmpdir, "fixture.db", NULL);
		fx->database = SUIT_DATABASE(suit_database_sqlite_new(db_path, &error));
		g_assert_no_error(error);
	} else {
		fx->database = SUIT_DATABASE(suit_database_memory_new());
	}
	fx->key = new_key(SUIT_KEY_TYPE_P256);
	fx->keyring = keyring_for(fx->key);
	fx->server = open_server(fx->dir, fx->database, fx->keyring);
}

static void
fixture_teardown(Fixture *fx, gconstpointer user_data)
{
	g_clear_object(&fx->server);
	g_clear_object(&fx->keyring);
	g_clear_object(&fx->key);
	g_clear_object(&fx->database);
	rm_rf(fx->tmpdir);
	g_free(fx->dir);
	g_free(fx->tmpdir);
}

static GBytes *
random_bytes(gsize size, guint32 seed)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(seed);
	guint8 *buf = g_malloc(MAX(size, 1));
	for (gsize i = 0; i < size; i++)
		buf[i] = (guint8)g_rand_int(rand);
	return g_bytes_new_take(buf, size);
}

static gchar *
sha256_hex(GBytes *data)
{
	return g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, data);
}

static gchar *
add_bytes(Fixture *fx, GBytes *data)
{
	g_autoptr(GError) error = NULL;
	gchar *digest = suit_firmware_server_add_payload_bytes(fx->server, data, &error);
	g_assert_no_error(error);
	g_assert_nonnull(digest);
	return digest;
}

/* reads a stream to its end */
static GBytes *
read_all(GInputStream *stream)
{
	g_autoptr(GByteArray) out = g_byte_array_new();
	g_autoptr(GError) error = NULL;
	guint8 buf[7000]; /* not a divisor of anything interesting */

	while (TRUE) {
		gssize n = g_input_stream_read(stream, buf, sizeof(buf), NULL, &error);
		g_assert_no_error(error);
		g_assert_cmpint(n, >=, 0);
		if (n == 0)
			break;
		g_byte_array_append(out, buf, (guint)n);
	}
	g_input_stream_close(stream, NULL, &error);
	g_assert_no_error(error);
	return g_byte_array_free_to_bytes(g_steal_pointer(&out));
}

static void
assert_bytes_equal(GBytes *got, GBytes *want)
{
	g_assert_cmpmem(g_bytes_get_data(got, NULL),
			g_bytes_get_size(got),
			g_bytes_get_data(want, NULL),
			g_bytes_get_size(want));
}

static void
assert_range(Fixture *fx, const gchar *digest, GBytes *data, guint64 offset, guint64 length)
{
	gsize size = g_bytes_get_size(data);
	gsize end = length == G_MAXUINT64 || offset + length > size ? size : (gsize)(offset + length);
	g_autoptr(GBytes) want = g_bytes_new_from_bytes(data, (gsize)offset, end - (gsize)offset);
	g_autoptr(GError) error = NULL;
	g_autoptr(GInputStream) stream = NULL;
	g_autoptr(GBytes) got = NULL;
	g_autoptr(GBytes) got_bytes = NULL;

	stream = suit_firmware_server_read_payload(fx->server, digest, offset, length, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(stream);
	got = read_all(stream);
	assert_bytes_equal(got, want);

	got_bytes = suit_firmware_server_read_payload_bytes(fx->server, digest, offset, length, &error);
	g_assert_no_error(error);
	assert_bytes_equal(got_bytes, want);
}

/* builds and signs an envelope with @key; @components is the JSON array of
 * the description's components */
static GBytes *
make_envelope(SuitKey *key, guint64 sequence_number, const gchar *components)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitAuthor) author = suit_author_new();
	g_autoptr(SuitEnvelope) envelope = NULL;
	g_autofree gchar *json = NULL;
	GBytes *blob;

	suit_author_set_time(author, 1700000000);
	if (key != NULL) {
		g_assert_true(suit_author_add_key(author, key, SUIT_COSE_ALGORITHM_NONE, NULL, &error));
		g_assert_no_error(error);
	}
	json = g_strdup_printf("{\"manifest-version\": 1, \"manifest-sequence-number\": %" G_GUINT64_FORMAT
			       ", \"components\": %s}",
			       sequence_number,
			       components);
	envelope = suit_author_build_from_description_json(author, json, NULL, &error);
	g_assert_no_error(error);
	g_assert_nonnull(envelope);
	blob = suit_envelope_to_bytes(envelope, &error);
	g_assert_no_error(error);
	g_assert_nonnull(blob);
	return blob;
}

/* one component with the given identity and image */
static gchar *
component_json(const gchar *install_id,
	       const gchar *vendor_id,
	       const gchar *class_id,
	       const gchar *digest_hex,
	       guint64 size,
	       const gchar *uri)
{
	g_autofree gchar *uri_member =
	    uri != NULL ? g_strdup_printf("\"uri\": \"%s\",", uri) : g_strdup("");
	return g_strdup_printf("{\"install-id\": [\"%s\"], %s"
			       "\"install-digest\": {\"algorithm-id\": \"sha256\", \"digest-bytes\": \"%s\"},"
			       "\"install-size\": %" G_GUINT64_FORMAT ","
			       "\"vendor-id\": \"%s\", \"class-id\": \"%s\"}",
			       install_id,
			       uri_member,
			       digest_hex,
			       size,
			       vendor_id,
			       class_id);
}

static GBytes *
make_simple_envelope(SuitKey *key,
		     guint64 sequence_number,
		     const gchar *vendor_id,
		     const gchar *class_id,
		     const gchar *uri)
{
	g_autofree gchar *component =
	    component_json("00",
			   vendor_id,
			   class_id,
			   "00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210",
			   1000 + sequence_number,
			   uri);
	g_autofree gchar *components = g_strdup_printf("[%s]", component);
	return make_envelope(key, sequence_number, components);
}

static gchar *
manifest_id_of(GBytes *blob)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitEnvelope) envelope = suit_envelope_new_from_bytes(blob, SUIT_PARSE_FLAG_NONE, &error);
	g_assert_no_error(error);
	return suit_digest_to_hex(suit_envelope_get_manifest_digest(envelope));
}

static JsonNode *
parse_json(const gchar *text)
{
	g_autoptr(GError) error = NULL;
	JsonNode *node = json_from_string(text, &error);
	g_assert_no_error(error);
	g_assert_nonnull(node);
	return node;
}

static gchar *
add_envelope(Fixture *fx, GBytes *blob)
{
	g_autoptr(GError) error = NULL;
	gchar *summary = suit_firmware_server_add_envelope(fx->server, blob, &error);
	g_assert_no_error(error);
	g_assert_nonnull(summary);
	return summary;
}

/* for g_ptr_array_sort(), which passes pointers to the elements */
static gint
cmp_strings(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const gchar *const *)a, *(const gchar *const *)b);
}

/* the ids of a list_manifests() answer, comma separated */
static gchar *
list_ids(Fixture *fx, const gchar *vendor_id, const gchar *class_id)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *text = suit_firmware_server_list_manifests(fx->server, vendor_id, class_id, &error);
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GString) out = g_string_new(NULL);
	JsonArray *array;

	g_assert_no_error(error);
	root = parse_json(text);
	g_assert_true(JSON_NODE_HOLDS_ARRAY(root));
	array = json_node_get_array(root);
	for (guint i = 0; i < json_array_get_length(array); i++) {
		JsonObject *obj = json_array_get_object_element(array, i);
		if (out->len > 0)
			g_string_append_c(out, ',');
		g_string_append(out, json_object_get_string_member(obj, "id"));
	}
	return g_string_free(g_steal_pointer(&out), FALSE);
}

/* construction ------------------------------------------------------------------ */

static void
test_new(Fixture *fx, gconstpointer user_data)
{
	const gchar *subdirs[] = {"payloads", "envelopes", "tmp"};
	g_autofree gchar *tmp = g_build_filename(fx->dir, "tmp", NULL);
	g_autofree gchar *stale = g_build_filename(tmp, "upload-stale", NULL);
	g_autofree gchar *blocker = g_build_filename(fx->tmpdir, "file", NULL);
	g_autofree gchar *below = g_build_filename(blocker, "fw", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitFirmwareServer) again = NULL;
	g_autoptr(SuitFirmwareServer) broken = NULL;
	struct stat st = {0};

	g_assert_cmpstr(suit_firmware_server_get_directory(fx->server), ==, fx->dir);
	g_assert_true(suit_firmware_server_get_keyring(fx->server) == fx->keyring);
	for (guint i = 0; i < G_N_ELEMENTS(subdirs); i++) {
		g_autofree gchar *path = g_build_filename(fx->dir, subdirs[i], NULL);
		g_assert_true(g_file_test(path, G_FILE_TEST_IS_DIR));
	}
	g_assert_cmpint(g_stat(tmp, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 0777, ==, 0700);

	/* what an interrupted upload left behind goes when the server opens */
	g_file_set_contents(stale, "half an upload", -1, &error);
	g_assert_no_error(error);
	again = open_server(fx->dir, fx->database, fx->keyring);
	g_assert_false(g_file_test(stale, G_FILE_TEST_EXISTS));
	assert_tmp_empty(fx);

	/* a directory that cannot be created */
	g_file_set_contents(blocker, "not a directory", -1, &error);
	g_assert_no_error(error);
	broken = suit_firmware_server_new(below, fx->database, fx->keyring, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_WRITE_FAILED);
	g_assert_null(broken);
	g_clear_error(&error);

	/* "payloads" is a file */
	{
		g_autofree gchar *dir2 = g_build_filename(fx->tmpdir, "fw2", NULL);
		g_autofree gchar *payloads = g_build_filename(dir2, "payloads", NULL);
		g_assert_cmpint(g_mkdir(dir2, 0700), ==, 0);
		g_file_set_contents(payloads, "", -1, &error);
		g_assert_no_error(error);
		broken = suit_firmware_server_new(dir2, fx->database, fx->keyring, &error);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_WRITE_FAILED);
		g_assert_null(broken);
	}
}

/* payloads ------------------------------------------------------------------- */

static void
test_payload_add(Fixture *fx, gconstpointer user_data)
{
	/* bigger than a chunk and not a multiple of it */
	g_autoptr(GBytes) data = random_bytes(3 * 64 * 1024 + 17, 1);
	g_autoptr(GBytes) empty = g_bytes_new_static("", 0);
	g_autofree gchar *want = sha256_hex(data);
	g_autofree gchar *digest = NULL;
	g_autofree gchar *again = NULL;
	g_autofree gchar *empty_digest = NULL;
	g_autofree gchar *path = NULL;
	g_autofree gchar *expected_path = NULL;
	g_autofree gchar *shard = NULL;
	g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes(data);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *contents = NULL;
	gsize len = 0;
	guint64 size = 0;
	struct stat st = {0};

	g_assert_false(suit_firmware_server_has_payload(fx->server, want));
	digest = suit_firmware_server_add_payload(fx->server, stream, 0, &size, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(digest, ==, want);
	g_assert_cmpuint(size, ==, g_bytes_get_size(data));
	g_assert_true(suit_firmware_server_has_payload(fx->server, digest));
	assert_tmp_empty(fx);

	/* content-addressed, sharded by the first two digits */
	shard = g_strndup(digest, 2);
	expected_path = g_build_filename(fx->dir, "payloads", shard, digest, NULL);
	size = 0;
	path = suit_firmware_server_get_payload_path(fx->server, digest, &size, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(path, ==, expected_path);
	g_assert_cmpuint(size, ==, g_bytes_get_size(data));
	g_file_get_contents(path, &contents, &len, &error);
	g_assert_no_error(error);
	g_assert_cmpmem(contents, len, g_bytes_get_data(data, NULL), g_bytes_get_size(data));
	g_assert_cmpint(g_stat(path, &st), ==, 0);
	g_assert_cmpint(st.st_mode & 0777, ==, 0644);

	/* the same bytes again: one copy */
	again = add_bytes(fx, data);
	g_assert_cmpstr(again, ==, digest);
	{
		g_autofree gchar *shard_dir = g_build_filename(fx->dir, "payloads", shard, NULL);
		g_assert_cmpuint(count_entries(shard_dir), ==, 1);
	}
	assert_tmp_empty(fx);

	/* the empty payload is a payload too */
	empty_digest = add_bytes(fx, empty);
	g_assert_cmpstr(empty_digest, ==, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	assert_range(fx, empty_digest, empty, 0, G_MAXUINT64);
}

static void
test_payload_limit(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GBytes) data = random_bytes(100 * 1024, 2);
	g_autofree gchar *want = sha256_hex(data);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *digest = NULL;
	g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes(data);
	g_autoptr(GInputStream) exact = g_memory_input_stream_new_from_bytes(data);
	guint64 size = 12345;

	/* one byte too many */
	digest = suit_firmware_server_add_payload(fx->server,
						  stream,
						  g_bytes_get_size(data) - 1,
						  &size,
						  NULL,
						  &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_LIMIT_EXCEEDED);
	g_assert_null(digest);
	g_assert_cmpuint(size, ==, 12345);
	g_assert_false(suit_firmware_server_has_payload(fx->server, want));
	assert_tmp_empty(fx);
	g_clear_error(&error);

	/* exactly the limit */
	digest = suit_firmware_server_add_payload(fx->server,
						  exact,
						  g_bytes_get_size(data),
						  &size,
						  NULL,
						  &error);
	g_assert_no_error(error);
	g_assert_cmpstr(digest, ==, want);
	g_assert_cmpuint(size, ==, g_bytes_get_size(data));
}

/* a stream of zeros that cancels its cancellable after @cancel_after bytes,
 * or fails after @fail_after bytes */
#define TEST_TYPE_SLOW_STREAM (test_slow_stream_get_type())
G_DECLARE_FINAL_TYPE(TestSlowStream, test_slow_stream, TEST, SLOW_STREAM, GInputStream)

struct _TestSlowStream {
	GInputStream parent_instance;
	GCancellable *cancellable; /* noref */
	guint64 done;
	guint64 cancel_after;
	guint64 fail_after;
};

G_DEFINE_TYPE(TestSlowStream, test_slow_stream, G_TYPE_INPUT_STREAM)

static gssize
test_slow_stream_read_fn(GInputStream *stream,
			 void *buffer,
			 gsize count,
			 GCancellable *cancellable,
			 GError **error)
{
	TestSlowStream *self = TEST_SLOW_STREAM(stream);
	gsize n = MIN(count, 10000);

	if (g_cancellable_set_error_if_cancelled(cancellable, error))
		return -1;
	if (self->fail_after != 0 && self->done >= self->fail_after) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED, "the peer went away");
		return -1;
	}
	if (self->cancel_after != 0 && self->done >= self->cancel_after)
		g_cancellable_cancel(self->cancellable);
	memset(buffer, 0, n);
	self->done += n;
	return (gssize)n;
}

static void
test_slow_stream_class_init(TestSlowStreamClass *klass)
{
	G_INPUT_STREAM_CLASS(klass)->read_fn = test_slow_stream_read_fn;
}

static void
test_slow_stream_init(TestSlowStream *self)
{
}

static void
test_payload_cancel(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GBytes) data = random_bytes(1000, 3);
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(GInputStream) stream = g_memory_input_stream_new_from_bytes(data);
	g_autoptr(TestSlowStream) slow = g_object_new(TEST_TYPE_SLOW_STREAM, NULL);
	g_autoptr(TestSlowStream) failing = g_object_new(TEST_TYPE_SLOW_STREAM, NULL);
	g_autoptr(GError) error = NULL;
	g_autofree gchar *digest = NULL;
	g_autofree gchar *payloads = g_build_filename(fx->dir, "payloads", NULL);

	/* cancelled before it starts */
	g_cancellable_cancel(cancellable);
	digest = suit_firmware_server_add_payload(fx->server, stream, 0, NULL, cancellable, &error);
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_assert_null(digest);
	assert_tmp_empty(fx);
	g_clear_error(&error);

	/* cancelled half way: the partial temporary file goes */
	g_cancellable_reset(cancellable);
	slow->cancellable = cancellable;
	slow->cancel_after = 300 * 1000;
	digest = suit_firmware_server_add_payload(fx->server,
						  G_INPUT_STREAM(slow),
						  0,
						  NULL,
						  cancellable,
						  &error);
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_assert_null(digest);
	g_assert_cmpuint(slow->done, >=, 300 * 1000);
	assert_tmp_empty(fx);
	g_assert_cmpuint(count_entries(payloads), ==, 0);
	g_clear_error(&error);

	/* the source fails half way */
	failing->fail_after = 200 * 1000;
	digest = suit_firmware_server_add_payload(fx->server, G_INPUT_STREAM(failing), 0, NULL, NULL, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_FETCH_FAILED);
	g_assert_nonnull(strstr(error->message, "the peer went away"));
	g_assert_null(digest);
	assert_tmp_empty(fx);
	g_assert_cmpuint(count_entries(payloads), ==, 0);
}

static void
test_payload_range(Fixture *fx, gconstpointer user_data)
{
	gsize size = 200 * 1024 + 3;
	g_autoptr(GBytes) data = random_bytes(size, 4);
	g_autofree gchar *digest = add_bytes(fx, data);
	g_autoptr(GError) error = NULL;
	g_autoptr(GInputStream) stream = NULL;
	g_autoptr(GBytes) bytes = NULL;
	guint8 buf[16];
	gssize n;

	/* start, middle, end, whole, clamped, empty at the end */
	assert_range(fx, digest, data, 0, 100);
	assert_range(fx, digest, data, 0, G_MAXUINT64);
	assert_range(fx, digest, data, 70000, 65536 * 2 + 5);
	assert_range(fx, digest, data, size - 10, 10);
	assert_range(fx, digest, data, size - 10, G_MAXUINT64);
	assert_range(fx, digest, data, size - 10, 1000);
	assert_range(fx, digest, data, 5, size);
	assert_range(fx, digest, data, size, G_MAXUINT64);
	assert_range(fx, digest, data, size, 10);
	assert_range(fx, digest, data, 123, 0);

	/* past the end */
	stream = suit_firmware_server_read_payload(fx->server, digest, size + 1, 1, NULL, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
	g_assert_null(stream);
	g_clear_error(&error);
	bytes = suit_firmware_server_read_payload_bytes(fx->server, digest, G_MAXUINT64, 1, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
	g_assert_null(bytes);
	g_clear_error(&error);

	/* skipping inside a range stays inside it */
	stream = suit_firmware_server_read_payload(fx->server, digest, 1000, 20, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpint(g_input_stream_skip(stream, 15, NULL, &error), ==, 15);
	g_assert_no_error(error);
	n = g_input_stream_read(stream, buf, sizeof(buf), NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpint(n, ==, 5);
	g_assert_cmpmem(buf, 5, (const guint8 *)g_bytes_get_data(data, NULL) + 1015, 5);
	g_assert_cmpint(g_input_stream_skip(stream, 15, NULL, &error), ==, 0);
	g_assert_cmpint(g_input_stream_read(stream, buf, sizeof(buf), NULL, &error), ==, 0);
	g_clear_object(&stream);

	/* a cancelled read */
	{
		g_autoptr(GCancellable) cancellable = g_cancellable_new();
		stream = suit_firmware_server_read_payload(fx->server, digest, 0, G_MAXUINT64, NULL, &error);
		g_assert_no_error(error);
		g_cancellable_cancel(cancellable);
		n = g_input_stream_read(stream, buf, sizeof(buf), cancellable, &error);
		g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
		g_assert_cmpint(n, ==, -1);
		g_clear_error(&error);
		g_clear_object(&stream);
		stream = suit_firmware_server_read_payload(fx->server, digest, 0, 1, cancellable, &error);
		g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
		g_assert_null(stream);
	}
}

static void
test_payload_large_bytes(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *tmp = g_build_filename(fx->dir, "tmp", "sparse", NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	g_autofree gchar *digest = NULL;
	guint64 big = 64 * 1024 * 1024 + 1;
	guint64 size = 0;
	gint fd;

	/* a sparse file of zeros, one byte over the in-memory limit */
	fd = g_open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600);
	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(ftruncate(fd, (off_t)big), ==, 0);
	close(fd);
	digest = suit_firmware_server_import_payload(fx->server, tmp, &size, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(size, ==, big);

	bytes = suit_firmware_server_read_payload_bytes(fx->server, digest, 0, G_MAXUINT64, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_LIMIT_EXCEEDED);
	g_assert_null(bytes);
	g_clear_error(&error);

	/* a range of it is fine */
	bytes = suit_firmware_server_read_payload_bytes(fx->server, digest, big - 4096, G_MAXUINT64, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(g_bytes_get_size(bytes), ==, 4096);
}

static void
test_payload_invalid_digest(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GBytes) data = random_bytes(10, 5);
	g_autofree gchar *digest = add_bytes(fx, data);
	g_autofree gchar *upper = g_ascii_strup(digest, -1);
	g_autofree gchar *short_digest = g_strndup(digest, 63);
	g_autofree gchar *long_digest = g_strconcat(digest, "0", NULL);
	g_autofree gchar *non_hex = g_strdup(digest);
	g_autofree gchar *traversal = g_strdup_printf("../../%s", digest + 6);
	g_autofree gchar *payload_path = NULL;
	const gchar *bad[] = {"../../etc/passwd", upper, short_digest, long_digest, non_hex, traversal, "", "..",
			      "./../payloads"};
	const gchar *missing = "0000000000000000000000000000000000000000000000000000000000000000";

	non_hex[10] = 'g';
	g_assert_cmpuint(strlen(traversal), ==, 64);
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		g_autofree gchar *path = NULL;
		g_autoptr(GInputStream) stream = NULL;
		g_autoptr(GBytes) bytes = NULL;

		g_assert_false(suit_firmware_server_has_payload(fx->server, bad[i]));
		path = suit_firmware_server_get_payload_path(fx->server, bad[i], NULL, &error);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
		g_assert_null(path);
		g_clear_error(&error);
		stream = suit_firmware_server_read_payload(fx->server, bad[i], 0, G_MAXUINT64, NULL, &error);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
		g_assert_null(stream);
		g_clear_error(&error);
		bytes = suit_firmware_server_read_payload_bytes(fx->server, bad[i], 0, G_MAXUINT64, &error);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
		g_assert_null(bytes);
	}

	/* well-formed but not stored */
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(GInputStream) stream = NULL;
		g_autoptr(GBytes) bytes = NULL;
		g_assert_false(suit_firmware_server_has_payload(fx->server, missing));
		payload_path = suit_firmware_server_get_payload_path(fx->server, missing, NULL, &error);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
		g_assert_null(payload_path);
		g_clear_error(&error);
		stream = suit_firmware_server_read_payload(fx->server, missing, 0, 1, NULL, &error);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
		g_assert_null(stream);
		g_clear_error(&error);
		bytes = suit_firmware_server_read_payload_bytes(fx->server, missing, 0, 1, &error);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
		g_assert_null(bytes);
	}
}

static void
test_payload_import(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GBytes) data = random_bytes(150 * 1024, 6);
	g_autofree gchar *want = sha256_hex(data);
	g_autofree gchar *src = g_build_filename(fx->dir, "tmp", "upload-1", NULL);
	g_autofree gchar *src2 = g_build_filename(fx->dir, "tmp", "upload-2", NULL);
	g_autofree gchar *subdir = g_build_filename(fx->dir, "tmp", "a-directory", NULL);
	g_autofree gchar *digest = NULL;
	g_autofree gchar *again = NULL;
	g_autofree gchar *missing = NULL;
	g_autofree gchar *not_file = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) stored = NULL;
	guint64 size = 0;

	g_file_set_contents(src, g_bytes_get_data(data, NULL), (gssize)g_bytes_get_size(data), &error);
	g_assert_no_error(error);
	digest = suit_firmware_server_import_payload(fx->server, src, &size, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(digest, ==, want);
	g_assert_cmpuint(size, ==, g_bytes_get_size(data));
	g_assert_false(g_file_test(src, G_FILE_TEST_EXISTS));
	stored = suit_firmware_server_read_payload_bytes(fx->server, digest, 0, G_MAXUINT64, &error);
	g_assert_no_error(error);
	assert_bytes_equal(stored, data);

	/* a copy that is stored already is dropped */
	g_file_set_contents(src2, g_bytes_get_data(data, NULL), (gssize)g_bytes_get_size(data), &error);
	g_assert_no_error(error);
	again = suit_firmware_server_import_payload(fx->server, src2, NULL, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(again, ==, want);
	g_assert_false(g_file_test(src2, G_FILE_TEST_EXISTS));
	assert_tmp_empty(fx);

	/* nothing there */
	missing = suit_firmware_server_import_payload(fx->server, src, NULL, NULL, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
	g_assert_null(missing);
	g_clear_error(&error);

	/* a directory is not taken, nor removed */
	g_assert_cmpint(g_mkdir(subdir, 0700), ==, 0);
	not_file = suit_firmware_server_import_payload(fx->server, subdir, NULL, NULL, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
	g_assert_null(not_file);
	g_assert_true(g_file_test(subdir, G_FILE_TEST_IS_DIR));
	g_clear_error(&error);

	/* cancelled: the file was handed over, so it is gone */
	{
		g_autoptr(GCancellable) cancellable = g_cancellable_new();
		g_autofree gchar *cancelled = NULL;
		g_file_set_contents(src, "abc", -1, &error);
		g_assert_no_error(error);
		g_cancellable_cancel(cancellable);
		cancelled = suit_firmware_server_import_payload(fx->server, src, NULL, cancellable, &error);
		g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
		g_assert_null(cancelled);
		g_assert_false(g_file_test(src, G_FILE_TEST_EXISTS));
	}
}

typedef struct {
	SuitFirmwareServer *server;
	GBytes *data;
	GBytes *envelope;
} ThreadData;

static gpointer
thread_func(gpointer user_data)
{
	ThreadData *td = user_data;
	g_autoptr(GError) error = NULL;
	GPtrArray *results = g_ptr_array_new_with_free_func(g_free);

	for (guint i = 0; i < 8; i++) {
		gchar *digest = suit_firmware_server_add_payload_bytes(td->server, td->data, &error);
		gchar *summary;
		g_assert_no_error(error);
		g_ptr_array_add(results, digest);
		summary = suit_firmware_server_add_envelope(td->server, td->envelope, &error);
		g_assert_no_error(error);
		g_ptr_array_add(results, summary);
	}
	return results;
}

static void
test_threads(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GBytes) data = random_bytes(300 * 1024, 7);
	g_autoptr(GBytes) envelope = make_simple_envelope(fx->key, 1, VENDOR_ARM, CLASS_DRAFT, NULL);
	g_autofree gchar *want = sha256_hex(data);
	g_autofree gchar *summary = NULL;
	g_autofree gchar *envelopes = g_build_filename(fx->dir, "envelopes", NULL);
	GThread *threads[4];
	ThreadData td = {fx->server, data, envelope};

	for (guint i = 0; i < G_N_ELEMENTS(threads); i++)
		threads[i] = g_thread_new("upload", thread_func, &td);
	for (guint i = 0; i < G_N_ELEMENTS(threads); i++) {
		g_autoptr(GPtrArray) results = g_thread_join(threads[i]);
		for (guint j = 0; j < results->len; j += 2) {
			g_assert_cmpstr(g_ptr_array_index(results, j), ==, want);
			if (summary == NULL)
				summary = g_strdup(g_ptr_array_index(results, j + 1));
			/* everyone sees the one stored summary */
			g_assert_cmpstr(g_ptr_array_index(results, j + 1), ==, summary);
		}
	}
	assert_tmp_empty(fx);
	g_assert_cmpuint(count_entries(envelopes), ==, 1);
}

/* envelopes ------------------------------------------------------------------ */

static void
test_envelope_add(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GBytes) payload = random_bytes(5000, 8);
	g_autofree gchar *payload_digest = add_bytes(fx, payload);
	g_autofree gchar *component = component_json("00", VENDOR_ARM, CLASS_DRAFT, payload_digest, 5000,
						     "https://example.com/fw.bin");
	g_autofree gchar *components = g_strdup_printf("[%s]", component);
	g_autoptr(GBytes) blob = make_envelope(fx->key, 42, components);
	g_autofree gchar *id = manifest_id_of(blob);
	g_autofree gchar *summary = NULL;
	g_autofree gchar *again = NULL;
	g_autofree gchar *got = NULL;
	g_autofree gchar *path = g_build_filename(fx->dir, "envelopes", NULL);
	g_autofree gchar *file = NULL;
	g_autoptr(GBytes) stored = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GPtrArray) docs = NULL;
	JsonObject *obj;
	JsonObject *comp;
	JsonArray *array;
	const gchar *created;

	g_assert_cmpuint(strlen(id), ==, 64);
	summary = add_envelope(fx, blob);
	root = parse_json(summary);
	obj = json_node_get_object(root);
	g_assert_cmpstr(json_object_get_string_member(obj, "id"), ==, id);
	g_assert_cmpint(json_object_get_int_member(obj, "sequence_number"), ==, 42);
	g_assert_cmpstr(json_object_get_string_member(obj, "vendor_id"), ==, VENDOR_ARM);
	g_assert_cmpstr(json_object_get_string_member(obj, "class_id"), ==, CLASS_DRAFT);
	g_assert_cmpint(json_object_get_int_member(obj, "envelope_size"), ==, (gint64)g_bytes_get_size(blob));
	created = json_object_get_string_member(obj, "created");
	g_assert_nonnull(created);
	g_assert_true(g_str_has_suffix(created, "Z"));
	g_assert_cmpuint(strlen(created), ==, strlen("2026-01-01T00:00:00Z"));
	array = json_object_get_array_member(obj, "components");
	g_assert_cmpuint(json_array_get_length(array), ==, 1);
	comp = json_array_get_object_element(array, 0);
	g_assert_cmpuint(json_array_get_length(json_object_get_array_member(comp, "id")), ==, 1);
	g_assert_cmpstr(json_array_get_string_element(json_object_get_array_member(comp, "id"), 0), ==, "00");
	g_assert_cmpstr(json_object_get_string_member(comp, "image_digest"), ==, payload_digest);
	g_assert_cmpint(json_object_get_int_member(comp, "image_size"), ==, 5000);
	g_assert_cmpstr(json_object_get_string_member(comp, "uri"), ==, "https://example.com/fw.bin");
	/* the summary names a payload the server has */
	g_assert_true(suit_firmware_server_has_payload(fx->server, json_object_get_string_member(comp, "image_digest")));

	/* stored as uploaded */
	stored = suit_firmware_server_get_envelope(fx->server, id, &error);
	g_assert_no_error(error);
	assert_bytes_equal(stored, blob);
	file = g_build_filename(path, id, NULL);
	g_free(file);
	file = g_strdup_printf("%s/%s.suit", path, id);
	g_assert_true(g_file_test(file, G_FILE_TEST_IS_REGULAR));
	got = suit_firmware_server_get_manifest(fx->server, id, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(got, ==, summary);
	assert_tmp_empty(fx);

	/* indexed in the database */
	docs = suit_database_query(fx->database, "manifests", "vendor:" VENDOR_ARM, NULL, 0, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(docs->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(docs, 0), ==, summary);
	g_clear_pointer(&docs, g_ptr_array_unref);
	docs = suit_database_query(fx->database, "manifests", "class:" CLASS_DRAFT, NULL, 0, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(docs->len, ==, 1);

	/* idempotent: the stored summary comes back, nothing changes */
	g_usleep(1100 * 1000); /* a new summary would have another "created" */
	again = add_envelope(fx, blob);
	g_assert_cmpstr(again, ==, summary);
	g_assert_cmpuint(count_entries(path), ==, 1);
}

static void
test_envelope_refused(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(SuitKey) stranger = new_key(SUIT_KEY_TYPE_P256);
	g_autoptr(SuitKey) ed_stranger = new_key(SUIT_KEY_TYPE_ED25519);
	g_autoptr(GBytes) untrusted = make_simple_envelope(stranger, 1, VENDOR_ARM, CLASS_DRAFT, NULL);
	g_autoptr(GBytes) ed_untrusted = make_simple_envelope(ed_stranger, 1, VENDOR_ARM, CLASS_DRAFT, NULL);
	g_autoptr(GBytes) unsigned_blob = make_simple_envelope(NULL, 1, VENDOR_ARM, CLASS_DRAFT, NULL);
	g_autoptr(GBytes) good = make_simple_envelope(fx->key, 1, VENDOR_ARM, CLASS_DRAFT, NULL);
	g_autoptr(GBytes) truncated = g_bytes_new_from_bytes(good, 0, g_bytes_get_size(good) - 3);
	g_autoptr(GBytes) garbage = g_bytes_new_static("hello, world", 12);
	g_autoptr(GBytes) empty = g_bytes_new_static("", 0);
	g_autoptr(GBytes) huge = random_bytes(1024 * 1024 + 1, 9);
	g_autoptr(GBytes) tampered = NULL;
	g_autofree gchar *envelopes = g_build_filename(fx->dir, "envelopes", NULL);
	g_autofree gchar *untrusted_id = manifest_id_of(untrusted);
	g_autofree gchar *list = NULL;
	gsize good_len = g_bytes_get_size(good);
	struct {
		GBytes *blob;
		gint code;
	} cases[] = {
	    {untrusted, SUIT_ERROR_SIGNATURE_INVALID},
	    {ed_untrusted, SUIT_ERROR_SIGNATURE_INVALID},
	    {unsigned_blob, SUIT_ERROR_NO_AUTHENTICATION},
	    {truncated, SUIT_ERROR_INVALID_CBOR},
	    {garbage, SUIT_ERROR_INVALID_CBOR},
	    {empty, SUIT_ERROR_INVALID_CBOR},
	    {huge, SUIT_ERROR_LIMIT_EXCEEDED},
	    {NULL, SUIT_ERROR_DIGEST_MISMATCH},
	};

	/* the last byte of the manifest changed: it no longer has the signed digest */
	tampered = suit_test_bytes_flip(good, good_len - 1, 0x01);
	cases[G_N_ELEMENTS(cases) - 1].blob = tampered;

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autofree gchar *summary = suit_firmware_server_add_envelope(fx->server, cases[i].blob, &error);
		if (!g_error_matches(error, SUIT_ERROR, cases[i].code))
			g_error("case %u: expected %s, got %s",
				i,
				suit_error_to_id(cases[i].code),
				error != NULL ? error->message : "success");
		g_assert_null(summary);
	}
	/* nothing was stored */
	g_assert_cmpuint(count_entries(envelopes), ==, 0);
	assert_tmp_empty(fx);
	list = list_ids(fx, NULL, NULL);
	g_assert_cmpstr(list, ==, "");
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) blob = suit_firmware_server_get_envelope(fx->server, untrusted_id, &error);
		g_autofree gchar *summary = NULL;
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
		g_assert_null(blob);
		g_clear_error(&error);
		summary = suit_firmware_server_get_manifest(fx->server, untrusted_id, &error);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
		g_assert_null(summary);
	}
}

static void
test_envelope_invalid_id(Fixture *fx, gconstpointer user_data)
{
	const gchar *bad[] = {"../../etc/passwd",
			      "6658EA560262696DD1F13B782239A064DA7C6C5CBAF52FDED428A6FC83C7E5AF",
			      "6658ea560262696dd1f13b782239a064da7c6c5cbaf52fded428a6fc83c7e5a",
			      "6658ea560262696dd1f13b782239a064da7c6c5cbaf52fded428a6fc83c7e5af0",
			      "",
			      "../envelopes/6658ea560262696dd1f13b782239a064da7c6c5cbaf52fded428a6fc8"};
	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) blob = suit_firmware_server_get_envelope(fx->server, bad[i], &error);
		g_autofree gchar *summary = NULL;
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
		g_assert_null(blob);
		g_clear_error(&error);
		summary = suit_firmware_server_get_manifest(fx->server, bad[i], &error);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
		g_assert_null(summary);
	}
}

static void
test_envelope_list(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GBytes) a1 = make_simple_envelope(fx->key, 1, VENDOR_ARM, CLASS_DRAFT, NULL);
	g_autoptr(GBytes) a5 = make_simple_envelope(fx->key, 5, VENDOR_ARM, CLASS_DRAFT, NULL);
	g_autoptr(GBytes) a3 = make_simple_envelope(fx->key, 3, VENDOR_ARM, CLASS_DRAFT, NULL);
	g_autoptr(GBytes) b3 = make_simple_envelope(fx->key, 3, VENDOR_B, CLASS_B, "http://h/b");
	g_autoptr(GBytes) c3 = make_simple_envelope(fx->key, 3, VENDOR_ARM, CLASS_B, "http://h/c");
	g_autofree gchar *id_a1 = manifest_id_of(a1);
	g_autofree gchar *id_a5 = manifest_id_of(a5);
	g_autofree gchar *id_a3 = manifest_id_of(a3);
	g_autofree gchar *id_b3 = manifest_id_of(b3);
	g_autofree gchar *id_c3 = manifest_id_of(c3);
	g_autoptr(GPtrArray) threes = g_ptr_array_new();
	g_autofree gchar *want = NULL;
	g_autofree gchar *got = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *text = NULL;
	GBytes *all[] = {a1, a5, a3, b3, c3};

	got = list_ids(fx, NULL, NULL);
	g_assert_cmpstr(got, ==, "");
	g_clear_pointer(&got, g_free);
	for (guint i = 0; i < G_N_ELEMENTS(all); i++) {
		g_autofree gchar *summary = add_envelope(fx, all[i]);
	}

	/* newest first, then by id */
	g_ptr_array_add(threes, id_a3);
	g_ptr_array_add(threes, id_b3);
	g_ptr_array_add(threes, id_c3);
	g_ptr_array_sort(threes, cmp_strings);
	want = g_strdup_printf("%s,%s,%s,%s,%s",
			       id_a5,
			       (const gchar *)g_ptr_array_index(threes, 0),
			       (const gchar *)g_ptr_array_index(threes, 1),
			       (const gchar *)g_ptr_array_index(threes, 2),
			       id_a1);
	got = list_ids(fx, NULL, NULL);
	g_assert_cmpstr(got, ==, want);
	g_free(got);
	g_free(want);

	/* by vendor, by class, by both */
	{
		gchar *ids[2] = {id_a3, id_c3};
		if (strcmp(ids[0], ids[1]) > 0) {
			ids[0] = id_c3;
			ids[1] = id_a3;
		}
		want = g_strdup_printf("%s,%s,%s,%s", id_a5, ids[0], ids[1], id_a1);
	}
	got = list_ids(fx, VENDOR_ARM, NULL);
	g_assert_cmpstr(got, ==, want);
	g_free(got);
	g_free(want);
	want = g_strdup_printf("%s,%s,%s", id_a5, id_a3, id_a1);
	got = list_ids(fx, NULL, CLASS_DRAFT);
	g_assert_cmpstr(got, ==, want);
	g_free(got);
	got = list_ids(fx, VENDOR_ARM, CLASS_DRAFT);
	g_assert_cmpstr(got, ==, want);
	g_free(got);
	/* upper case UUIDs are the same UUIDs */
	{
		g_autofree gchar *upper = g_ascii_strup(CLASS_DRAFT, -1);
		got = list_ids(fx, NULL, upper);
		g_assert_cmpstr(got, ==, want);
		g_free(got);
	}
	got = list_ids(fx, VENDOR_B, CLASS_DRAFT);
	g_assert_cmpstr(got, ==, "");
	g_free(got);
	got = list_ids(fx, VENDOR_ARM, CLASS_B);
	g_assert_cmpstr(got, ==, id_c3);
	g_free(got);
	got = list_ids(fx, VENDOR_B, NULL);
	g_assert_cmpstr(got, ==, id_b3);
	g_free(got);
	got = list_ids(fx, "00000000-0000-0000-0000-000000000000", NULL);
	g_assert_cmpstr(got, ==, "");
	g_free(got);
	got = NULL;

	/* bad UUIDs */
	text = suit_firmware_server_list_manifests(fx->server, "arm.com", NULL, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
	g_assert_null(text);
	g_clear_error(&error);
	text = suit_firmware_server_list_manifests(fx->server, NULL, "1492af1425695e48bf429b2d51f2ab45", &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
	g_assert_null(text);
	g_clear_error(&error);
	text = suit_firmware_server_list_manifests(fx->server, "vendor:x\"", NULL, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
	g_assert_null(text);
}

static void
test_envelope_components(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *c0 = component_json("00",
					      VENDOR_ARM,
					      CLASS_DRAFT,
					      "1111111111111111111111111111111111111111111111111111111111111111",
					      10,
					      "http://h/zero");
	g_autofree gchar *c1 = component_json("01",
					      VENDOR_B,
					      CLASS_B,
					      "2222222222222222222222222222222222222222222222222222222222222222",
					      20,
					      NULL);
	g_autofree gchar *components = g_strdup_printf("[%s, %s]", c0, c1);
	g_autoptr(GBytes) blob = make_envelope(fx->key, 7, components);
	g_autofree gchar *summary = add_envelope(fx, blob);
	g_autoptr(JsonNode) root = parse_json(summary);
	JsonObject *obj = json_node_get_object(root);
	JsonArray *array = json_object_get_array_member(obj, "components");
	JsonObject *comp;

	/* the first identity of the shared sequence */
	g_assert_cmpstr(json_object_get_string_member(obj, "vendor_id"), ==, VENDOR_ARM);
	g_assert_cmpstr(json_object_get_string_member(obj, "class_id"), ==, CLASS_DRAFT);
	g_assert_cmpuint(json_array_get_length(array), ==, 2);
	comp = json_array_get_object_element(array, 0);
	g_assert_cmpstr(json_array_get_string_element(json_object_get_array_member(comp, "id"), 0), ==, "00");
	g_assert_cmpstr(json_object_get_string_member(comp, "image_digest"),
			==,
			"1111111111111111111111111111111111111111111111111111111111111111");
	g_assert_cmpint(json_object_get_int_member(comp, "image_size"), ==, 10);
	g_assert_cmpstr(json_object_get_string_member(comp, "uri"), ==, "http://h/zero");
	comp = json_array_get_object_element(array, 1);
	g_assert_cmpstr(json_array_get_string_element(json_object_get_array_member(comp, "id"), 0), ==, "01");
	g_assert_cmpstr(json_object_get_string_member(comp, "image_digest"),
			==,
			"2222222222222222222222222222222222222222222222222222222222222222");
	g_assert_cmpint(json_object_get_int_member(comp, "image_size"), ==, 20);
	g_assert_true(json_object_get_null_member(comp, "uri"));
}

/* the draft's examples, signed with the draft's key */
static void
test_envelope_vectors(void)
{
	const struct {
		const gchar *vector;
		guint64 sequence_number;
		const gchar *digest0;
		gint64 size0;
		const gchar *uri0;
		guint n_components;
	} cases[] = {
	    {"manifest/ex0-secure-boot.suit",
	     0,
	     "00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210",
	     34768,
	     NULL,
	     1},
	    {"manifest/ex1-download-install.suit",
	     1,
	     "00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210",
	     34768,
	     "http://example.com/file.bin",
	     1},
	    {"manifest/ex2-severable-full.suit",
	     2,
	     "00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210",
	     34768,
	     "http://example.com/very/long/path/to/file/file.bin",
	     1},
	    /* install is severed and absent: no uri */
	    {"manifest/ex2-severed.suit",
	     2,
	     "00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210",
	     34768,
	     NULL,
	     1},
	    /* try-each: the first (slot A) alternative */
	    {"manifest/ex3-ab-images.suit",
	     3,
	     "00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210",
	     34768,
	     "http://example.com/file1.bin",
	     1},
	    {"manifest/ex5-two-images.suit",
	     5,
	     "00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210",
	     34768,
	     "http://example.com/file1.bin",
	     2},
	};
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitKeyring) keyring = suit_keyring_new();
	g_autofree gchar *tmpdir = g_dir_make_tmp("suit-fwserver-XXXXXX", &error);
	g_autofree gchar *key_path = NULL;

	g_assert_no_error(error);
	suit_test_vectors_dir();
	key_path = suit_test_vector_path("keys/suit-draft-p256.pub.pem");
	g_assert_true(suit_keyring_add_from_file(keyring, key_path, &error));
	g_assert_no_error(error);

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(SuitDatabase) database = SUIT_DATABASE(suit_database_memory_new());
		g_autofree gchar *name = g_strdup_printf("%u", i);
		g_autofree gchar *dir = g_build_filename(tmpdir, name, NULL);
		g_autoptr(SuitFirmwareServer) server = open_server(dir, database, keyring);
		g_autoptr(GBytes) blob = suit_test_load_vector(cases[i].vector);
		g_autofree gchar *id = manifest_id_of(blob);
		g_autofree gchar *summary = suit_firmware_server_add_envelope(server, blob, &error);
		g_autoptr(JsonNode) root = NULL;
		JsonObject *obj;
		JsonObject *comp;
		JsonArray *array;

		g_assert_no_error(error);
		root = parse_json(summary);
		obj = json_node_get_object(root);
		g_test_message("%s: %s", cases[i].vector, summary);
		g_assert_cmpstr(json_object_get_string_member(obj, "id"), ==, id);
		g_assert_cmpint(json_object_get_int_member(obj, "sequence_number"), ==, (gint64)cases[i].sequence_number);
		g_assert_cmpstr(json_object_get_string_member(obj, "vendor_id"), ==, VENDOR_ARM);
		g_assert_cmpstr(json_object_get_string_member(obj, "class_id"), ==, CLASS_DRAFT);
		g_assert_cmpint(json_object_get_int_member(obj, "envelope_size"), ==, (gint64)g_bytes_get_size(blob));
		array = json_object_get_array_member(obj, "components");
		g_assert_cmpuint(json_array_get_length(array), ==, cases[i].n_components);
		comp = json_array_get_object_element(array, 0);
		g_assert_cmpstr(json_object_get_string_member(comp, "image_digest"), ==, cases[i].digest0);
		g_assert_cmpint(json_object_get_int_member(comp, "image_size"), ==, cases[i].size0);
		if (cases[i].uri0 == NULL)
			g_assert_true(json_object_get_null_member(comp, "uri"));
		else
			g_assert_cmpstr(json_object_get_string_member(comp, "uri"), ==, cases[i].uri0);
		if (cases[i].n_components == 2) {
			comp = json_array_get_object_element(array, 1);
			g_assert_cmpstr(json_array_get_string_element(json_object_get_array_member(comp, "id"), 0),
					==,
					"01");
			g_assert_cmpstr(json_object_get_string_member(comp, "image_digest"),
					==,
					"0123456789abcdeffedcba987654321000112233445566778899aabbccddeeff");
			g_assert_cmpint(json_object_get_int_member(comp, "image_size"), ==, 76834);
			g_assert_cmpstr(json_object_get_string_member(comp, "uri"),
					==,
					"http://example.com/file2.bin");
		}
	}

	/* ex2 full and severed are one manifest: the second upload changes nothing */
	{
		g_autoptr(SuitDatabase) database = SUIT_DATABASE(suit_database_memory_new());
		g_autofree gchar *dir = g_build_filename(tmpdir, "ex2", NULL);
		g_autoptr(SuitFirmwareServer) server = open_server(dir, database, keyring);
		g_autoptr(GBytes) full = suit_test_load_vector("manifest/ex2-severable-full.suit");
		g_autoptr(GBytes) severed = suit_test_load_vector("manifest/ex2-severed.suit");
		g_autofree gchar *id = manifest_id_of(full);
		g_autofree gchar *first = suit_firmware_server_add_envelope(server, full, &error);
		g_autofree gchar *second = NULL;
		g_autoptr(GBytes) stored = NULL;

		g_assert_no_error(error);
		second = suit_firmware_server_add_envelope(server, severed, &error);
		g_assert_no_error(error);
		g_assert_cmpstr(first, ==, second);
		stored = suit_firmware_server_get_envelope(server, id, &error);
		g_assert_no_error(error);
		assert_bytes_equal(stored, full);
	}
	rm_rf(tmpdir);
}

/* inside the caller's transaction the envelope is part of it */
static void
test_envelope_transaction(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GBytes) first = make_simple_envelope(fx->key, 1, VENDOR_ARM, CLASS_DRAFT, NULL);
	g_autoptr(GBytes) second = make_simple_envelope(fx->key, 2, VENDOR_ARM, CLASS_DRAFT, NULL);
	g_autofree gchar *first_id = manifest_id_of(first);
	g_autofree gchar *second_id = manifest_id_of(second);
	g_autofree gchar *summary = NULL;
	g_autofree gchar *got = NULL;
	g_autofree gchar *list = NULL;
	g_autoptr(GError) error = NULL;

	g_assert_true(suit_database_begin(fx->database, &error));
	g_assert_no_error(error);
	summary = add_envelope(fx, first);
	suit_database_rollback(fx->database);
	got = suit_firmware_server_get_manifest(fx->server, first_id, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
	g_assert_null(got);
	g_clear_error(&error);
	g_clear_pointer(&summary, g_free);

	g_assert_true(suit_database_begin(fx->database, &error));
	g_assert_no_error(error);
	summary = add_envelope(fx, second);
	g_assert_true(suit_database_commit(fx->database, &error));
	g_assert_no_error(error);
	got = suit_firmware_server_get_manifest(fx->server, second_id, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(got, ==, summary);
	list = list_ids(fx, NULL, NULL);
	g_assert_cmpstr(list, ==, second_id);
}

/* a MAC-authenticated envelope that checks no vendor or class id */
static void
test_envelope_no_identity(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitKeyring) keyring = suit_keyring_new();
	g_autoptr(SuitDatabase) database = SUIT_DATABASE(suit_database_memory_new());
	g_autofree gchar *tmpdir = g_dir_make_tmp("suit-fwserver-XXXXXX", &error);
	g_autoptr(SuitFirmwareServer) server = NULL;
	g_autoptr(GBytes) secret = NULL;
	g_autoptr(SuitKey) mac_key = NULL;
	g_autoptr(GBytes) blob = NULL;
	g_autofree gchar *summary = NULL;
	g_autofree gchar *list = NULL;
	g_autofree gchar *want_list = NULL;
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GPtrArray) docs = NULL;
	JsonObject *obj;
	JsonObject *comp;
	guint64 count = 0;

	g_assert_no_error(error);
	suit_test_vectors_dir();
	secret = suit_test_load_vector("keys/hmac256-mac-key.bin");
	mac_key = suit_key_new_symmetric(secret, &error);
	g_assert_no_error(error);
	suit_keyring_add(keyring, mac_key);
	server = open_server(tmpdir, database, keyring);

	blob = suit_test_load_vector("encryption/aeskw-gcm-write.suit");
	summary = suit_firmware_server_add_envelope(server, blob, &error);
	g_assert_no_error(error);
	root = parse_json(summary);
	obj = json_node_get_object(root);
	g_assert_true(json_object_get_null_member(obj, "vendor_id"));
	g_assert_true(json_object_get_null_member(obj, "class_id"));
	g_assert_cmpint(json_object_get_int_member(obj, "sequence_number"), ==, 1);
	comp = json_array_get_object_element(json_object_get_array_member(obj, "components"), 0);
	/* 'plaintext-firmware' */
	g_assert_cmpstr(json_array_get_string_element(json_object_get_array_member(comp, "id"), 0),
			==,
			"706c61696e746578742d6669726d77617265");
	g_assert_true(json_object_get_null_member(comp, "image_digest"));
	g_assert_true(json_object_get_null_member(comp, "image_size"));
	g_assert_true(json_object_get_null_member(comp, "uri"));

	/* listed without a filter only */
	want_list = g_strdup_printf("[%s]", summary);
	list = suit_firmware_server_list_manifests(server, NULL, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(list, ==, want_list);
	g_assert_true(suit_database_count(database, "manifests", NULL, &count, &error));
	g_assert_cmpuint(count, ==, 1);
	docs = suit_database_query(database, "manifests", "vendor:", NULL, 0, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(docs->len, ==, 0);
	g_clear_object(&server);
	rm_rf(tmpdir);
}

/* persistence: a second server on the same directory and SQLite database */
static void
test_persistence(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *db_path = g_build_filename(fx->tmpdir, "state.db", NULL);
	g_autoptr(GBytes) payload = random_bytes(70000, 10);
	g_autoptr(GBytes) blob = make_simple_envelope(fx->key, 9, VENDOR_ARM, CLASS_DRAFT, "http://h/x");
	g_autofree gchar *id = manifest_id_of(blob);
	g_autofree gchar *digest = NULL;
	g_autofree gchar *summary = NULL;
	g_autofree gchar *dir = g_build_filename(fx->tmpdir, "persistent", NULL);
	g_autoptr(GError) error = NULL;

	{
		g_autoptr(SuitDatabaseSqlite) database = suit_database_sqlite_new(db_path, &error);
		g_autoptr(SuitFirmwareServer) server = NULL;
		g_assert_no_error(error);
		server = open_server(dir, SUIT_DATABASE(database), fx->keyring);
		digest = suit_firmware_server_add_payload_bytes(server, payload, &error);
		g_assert_no_error(error);
		summary = suit_firmware_server_add_envelope(server, blob, &error);
		g_assert_no_error(error);
	}
	{
		g_autoptr(SuitDatabaseSqlite) database = suit_database_sqlite_new(db_path, &error);
		g_autoptr(SuitFirmwareServer) server = NULL;
		g_autoptr(GBytes) stored = NULL;
		g_autoptr(GBytes) range = NULL;
		g_autofree gchar *got = NULL;
		g_autofree gchar *list = NULL;
		g_autofree gchar *want_list = NULL;
		g_autofree gchar *again = NULL;

		g_assert_no_error(error);
		server = open_server(dir, SUIT_DATABASE(database), fx->keyring);
		g_assert_true(suit_firmware_server_has_payload(server, digest));
		range = suit_firmware_server_read_payload_bytes(server, digest, 0, G_MAXUINT64, &error);
		g_assert_no_error(error);
		assert_bytes_equal(range, payload);
		stored = suit_firmware_server_get_envelope(server, id, &error);
		g_assert_no_error(error);
		assert_bytes_equal(stored, blob);
		got = suit_firmware_server_get_manifest(server, id, &error);
		g_assert_no_error(error);
		g_assert_cmpstr(got, ==, summary);
		list = suit_firmware_server_list_manifests(server, VENDOR_ARM, CLASS_DRAFT, &error);
		g_assert_no_error(error);
		want_list = g_strdup_printf("[%s]", summary);
		g_assert_cmpstr(list, ==, want_list);
		again = suit_firmware_server_add_envelope(server, blob, &error);
		g_assert_no_error(error);
		g_assert_cmpstr(again, ==, summary);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);

#define ADD(path, func) g_test_add(path, Fixture, NULL, fixture_setup, func, fixture_teardown)
	ADD("/suit/firmware-server/new", test_new);
	ADD("/suit/firmware-server/payload/add", test_payload_add);
	ADD("/suit/firmware-server/payload/limit", test_payload_limit);
	ADD("/suit/firmware-server/payload/cancel", test_payload_cancel);
	ADD("/suit/firmware-server/payload/range", test_payload_range);
	ADD("/suit/firmware-server/payload/large-bytes", test_payload_large_bytes);
	ADD("/suit/firmware-server/payload/invalid-digest", test_payload_invalid_digest);
	ADD("/suit/firmware-server/payload/import", test_payload_import);
	ADD("/suit/firmware-server/threads", test_threads);
	ADD("/suit/firmware-server/envelope/add", test_envelope_add);
	ADD("/suit/firmware-server/envelope/refused", test_envelope_refused);
	ADD("/suit/firmware-server/envelope/invalid-id", test_envelope_invalid_id);
	ADD("/suit/firmware-server/envelope/list", test_envelope_list);
	ADD("/suit/firmware-server/envelope/components", test_envelope_components);
	ADD("/suit/firmware-server/envelope/transaction", test_envelope_transaction);
	ADD("/suit/firmware-server/persistence", test_persistence);
#undef ADD
	/* the same on SQLite, whose reads and writes run on other connections */
	g_test_add("/suit/firmware-server/sqlite/threads",
		   Fixture,
		   "sqlite",
		   fixture_setup,
		   test_threads,
		   fixture_teardown);
	g_test_add("/suit/firmware-server/sqlite/envelope/add",
		   Fixture,
		   "sqlite",
		   fixture_setup,
		   test_envelope_add,
		   fixture_teardown);
	g_test_add("/suit/firmware-server/sqlite/envelope/list",
		   Fixture,
		   "sqlite",
		   fixture_setup,
		   test_envelope_list,
		   fixture_teardown);
	g_test_add("/suit/firmware-server/sqlite/envelope/transaction",
		   Fixture,
		   "sqlite",
		   fixture_setup,
		   test_envelope_transaction,
		   fixture_teardown);
	g_test_add_func("/suit/firmware-server/envelope/vectors", test_envelope_vectors);
	g_test_add_func("/suit/firmware-server/envelope/no-identity", test_envelope_no_identity);
	return g_test_run();
}
