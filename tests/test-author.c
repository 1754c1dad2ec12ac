/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "suit-manifest-private.h"
#include "suit-test-common.h"

/* helpers ---------------------------------------------------------------------- */

typedef struct {
	gchar *dir;
} AuthorFixture;

static void
fixture_setup(AuthorFixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	fx->dir = g_dir_make_tmp("suit-author-XXXXXX", &error);
	g_assert_no_error(error);
}

static void
fixture_teardown(AuthorFixture *fx, gconstpointer user_data)
{
	g_autoptr(GDir) dir = g_dir_open(fx->dir, 0, NULL);
	const gchar *name;
	while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *path = g_build_filename(fx->dir, name, NULL);
		g_assert_cmpint(g_unlink(path), ==, 0);
	}
	g_assert_cmpint(g_rmdir(fx->dir), ==, 0);
	g_free(fx->dir);
}

/* writes @size pseudo-random bytes; returns them */
static GBytes *
write_payload(AuthorFixture *fx, const gchar *name, gsize size)
{
	g_autofree gchar *path = g_build_filename(fx->dir, name, NULL);
	g_autofree guint8 *buf = g_malloc(size + 1);
	g_autoptr(GRand) rand = g_rand_new_with_seed((guint32)size);
	g_autoptr(GError) error = NULL;

	for (gsize i = 0; i < size; i++)
		buf[i] = (guint8)g_rand_int(rand);
	g_file_set_contents(path, (const gchar *)buf, (gssize)size, &error);
	g_assert_no_error(error);
	return g_bytes_new(buf, size);
}

static void
write_text(AuthorFixture *fx, const gchar *name, const gchar *text)
{
	g_autofree gchar *path = g_build_filename(fx->dir, name, NULL);
	g_autoptr(GError) error = NULL;
	g_file_set_contents(path, text, -1, &error);
	g_assert_no_error(error);
}

static SuitKey *
new_key(SuitKeyType key_type)
{
	g_autoptr(GError) error = NULL;
	SuitKey *key = suit_key_generate(key_type, &error);
	g_assert_no_error(error);
	return key;
}

static SuitAuthor *
new_author(SuitKey *key)
{
	g_autoptr(GError) error = NULL;
	SuitAuthor *author = suit_author_new();
	suit_author_set_time(author, 1700000000);
	if (key != NULL) {
		g_assert_true(suit_author_add_key(author, key, SUIT_COSE_ALGORITHM_NONE, NULL, &error));
		g_assert_no_error(error);
	}
	return author;
}

static SuitEnvelope *
build(SuitAuthor *author, AuthorFixture *fx, const gchar *json)
{
	g_autoptr(GError) error = NULL;
	SuitEnvelope *envelope = suit_author_build_from_description_json(author, json, fx->dir, &error);
	g_assert_no_error(error);
	g_assert_nonnull(envelope);
	return envelope;
}

static void
build_fails(AuthorFixture *fx, const gchar *json, gint code, const gchar *needle)
{
	g_autoptr(SuitAuthor) author = new_author(NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitEnvelope) envelope = suit_author_build_from_description_json(author, json, fx->dir, &error);
	g_assert_null(envelope);
	g_assert_error(error, SUIT_ERROR, code);
	if (needle != NULL && strstr(error->message, needle) == NULL)
		g_error("expected \"%s\" in \"%s\"", needle, error->message);
}

static void
assert_verifies(SuitEnvelope *envelope, SuitKey *key)
{
	g_autoptr(SuitKeyring) keyring = suit_keyring_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitKey) pub = suit_key_dup_public(key, &error);
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(SuitEnvelope) parsed = NULL;

	g_assert_no_error(error);
	suit_keyring_add(keyring, pub);
	/* through the bytes, as a device gets it */
	blob = suit_envelope_to_bytes(envelope, &error);
	g_assert_no_error(error);
	parsed = suit_envelope_new_from_bytes(blob, SUIT_PARSE_FLAG_NONE, &error);
	g_assert_no_error(error);
	g_assert_true(suit_envelope_verify(parsed, keyring, SUIT_VERIFY_FLAG_NONE, &error));
	g_assert_no_error(error);
}

/* the envelope's JSON mirror */
static JsonNode *
envelope_json(SuitEnvelope *envelope)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *json = suit_envelope_to_json(envelope, SUIT_JSON_FLAG_NONE, &error);
	JsonNode *node;
	g_assert_no_error(error);
	node = json_from_string(json, &error);
	g_assert_no_error(error);
	return node;
}

static JsonObject *
manifest_obj(JsonNode *root)
{
	return json_object_get_object_member(json_node_get_object(root), "manifest");
}

/* a command array as "name:arg,name{param,param},..." (parameter names sorted) */
static gchar *
seq_summary(JsonArray *seq)
{
	g_autoptr(GString) str = g_string_new(NULL);
	for (guint i = 0; i < json_array_get_length(seq); i++) {
		JsonObject *cmd = json_array_get_object_element(seq, i);
		JsonNode *arg = json_object_get_member(cmd, "argument");
		if (str->len > 0)
			g_string_append_c(str, ',');
		g_string_append(str, json_object_get_string_member(cmd, "command"));
		if (JSON_NODE_HOLDS_OBJECT(arg)) {
			g_autoptr(GList) names = json_object_get_members(json_node_get_object(arg));
			names = g_list_sort(names, (GCompareFunc)g_strcmp0);
			g_string_append_c(str, '{');
			for (GList *l = names; l != NULL; l = l->next)
				g_string_append_printf(str, "%s%s", (const gchar *)l->data, l->next != NULL ? "," : "");
			g_string_append_c(str, '}');
		} else if (JSON_NODE_HOLDS_VALUE(arg)) {
			g_string_append_printf(str, ":%" G_GINT64_FORMAT, json_node_get_int(arg));
		}
	}
	return g_string_free(g_steal_pointer(&str), FALSE);
}

/* the summary of a sequence, inline or from the envelope's severable members */
static gchar *
section_summary(JsonNode *root, const gchar *name)
{
	JsonObject *manifest = manifest_obj(root);
	JsonNode *node;
	if (g_strcmp0(name, "shared-sequence") == 0)
		node = json_object_get_member(json_object_get_object_member(manifest, "common"), name);
	else
		node = json_object_get_member(manifest, name);
	if (node != NULL && JSON_NODE_HOLDS_OBJECT(node)) {
		JsonObject *severable = json_object_get_object_member(json_node_get_object(root), "severable");
		node = severable != NULL ? json_object_get_member(severable, name) : NULL;
	}
	if (node == NULL)
		return g_strdup("(none)");
	return seq_summary(json_node_get_array(node));
}

#define assert_section(root, name, expected)                                                                           \
	G_STMT_START                                                                                                   \
	{                                                                                                              \
		g_autofree gchar *_s = section_summary(root, name);                                                    \
		g_assert_cmpstr(_s, ==, expected);                                                                     \
	}                                                                                                              \
	G_STMT_END

/* the first override-parameters object of a sequence that sets @param */
static JsonObject *
find_params(JsonNode *root, const gchar *section, const gchar *param, guint nth)
{
	JsonObject *manifest = manifest_obj(root);
	JsonArray *seq;
	if (g_strcmp0(section, "shared-sequence") == 0)
		seq = json_object_get_array_member(json_object_get_object_member(manifest, "common"), section);
	else
		seq = json_object_get_array_member(manifest, section);
	for (guint i = 0; i < json_array_get_length(seq); i++) {
		JsonObject *cmd = json_array_get_object_element(seq, i);
		JsonNode *arg = json_object_get_member(cmd, "argument");
		if (g_strcmp0(json_object_get_string_member(cmd, "command"), "override-parameters") != 0)
			continue;
		if (!json_object_has_member(json_node_get_object(arg), param))
			continue;
		if (nth-- == 0)
			return json_node_get_object(arg);
	}
	g_error("no %s in %s", param, section);
	return NULL;
}

static gchar *
sha256_hex(GBytes *data)
{
	return g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, data);
}

/* tests ------------------------------------------------------------------------ */

static void
test_uuid5(void)
{
	g_autoptr(GBytes) vendor = suit_author_vendor_id_from_domain("arm.com");
	g_autoptr(GBytes) teep = suit_author_vendor_id_from_domain("teep.example");
	g_autoptr(GBytes) klass = suit_author_class_id_from_name(vendor, "suit-test-board");
	g_autoptr(GBytes) short_vendor = g_bytes_new("0123456789abcde", 15);
	g_autofree gchar *vendor_hex = suit_test_bytes_to_hex(vendor);
	g_autofree gchar *teep_hex = suit_test_bytes_to_hex(teep);
	g_autofree gchar *class_hex = suit_test_bytes_to_hex(klass);

	g_assert_cmpstr(vendor_hex, ==, "fa6b4a53d5ad5fdfbe9de663e4d41ffe");
	/* the TEEP vectors' vendor (vectors README) */
	g_assert_cmpstr(teep_hex, ==, "c0ddd5f15243566087db4f5b0aa26c2f");
	/* python3: uuid.uuid5(uuid.UUID('fa6b4a53-...'), 'suit-test-board') */
	g_assert_cmpstr(class_hex, ==, "cef1ec7f8256578781d4cd21030dc6a9");
	g_assert_null(suit_author_class_id_from_name(short_vendor, "x"));
}

/* the draft's examples were made by suit-tool: the same input gives the same manifest */
static void
test_draft_examples(AuthorFixture *fx, gconstpointer user_data)
{
	const struct {
		const gchar *vector;
		const gchar *json;
	} cases[] = {
	    {"manifest/ex0-secure-boot.suit",
	     "{\"manifest-version\": 1, \"manifest-sequence-number\": 0, \"components\": [{"
	     "\"install-id\": [\"00\"],"
	     "\"install-digest\": {\"algorithm-id\": \"sha256\", \"digest-bytes\": "
	     "\"00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210\"},"
	     "\"install-size\": 34768,"
	     "\"vendor-id\": \"fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe\","
	     "\"class-id\": \"1492af14-2569-5e48-bf42-9b2d51f2ab45\","
	     "\"bootable\": true}]}"},
	    {"manifest/ex1-download-install.suit",
	     "{\"manifest-version\": 1, \"manifest-sequence-number\": 1, \"components\": [{"
	     "\"install-id\": [\"00\"],"
	     "\"install-digest\": {\"algorithm-id\": -16, \"digest-bytes\": "
	     "\"00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210\"},"
	     "\"install-size\": 34768,"
	     "\"uri\": \"http://example.com/file.bin\","
	     "\"vendor-domain\": \"arm.com\","
	     "\"class-id\": \"1492af14-2569-5e48-bf42-9b2d51f2ab45\","
	     "\"bootable\": false}]}"},
	    {"manifest/ex5-two-images.suit",
	     "{\"manifest-version\": 1, \"manifest-sequence-number\": 5, \"components\": [{"
	     "\"install-id\": [\"00\"],"
	     "\"install-digest\": {\"algorithm-id\": \"sha-256\", \"digest-bytes\": "
	     "\"00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210\"},"
	     "\"install-size\": 34768, \"uri\": \"http://example.com/file1.bin\","
	     "\"vendor-id\": \"fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe\","
	     "\"class-id\": \"1492af1425695e48bf429b2d51f2ab45\", \"bootable\": true}, {"
	     "\"install-id\": [\"01\"],"
	     "\"install-digest\": {\"algorithm-id\": \"sha256\", \"digest-bytes\": "
	     "\"0123456789abcdeffedcba987654321000112233445566778899aabbccddeeff\"},"
	     "\"install-size\": 76834, \"uri\": \"http://example.com/file2.bin\","
	     "\"vendor-id\": \"fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe\","
	     "\"class-id\": \"1492af14-2569-5e48-bf42-9b2d51f2ab45\"}]}"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(SuitKey) key = new_key(SUIT_KEY_TYPE_P256);
		g_autoptr(SuitAuthor) author = new_author(key);
		g_autoptr(SuitEnvelope) envelope = build(author, fx, cases[i].json);
		g_autoptr(GBytes) blob = suit_test_load_vector(cases[i].vector);
		g_autoptr(GBytes) expected = suit_test_envelope_manifest_bytes(blob);
		g_autofree gchar *expected_hex = suit_test_bytes_to_hex(expected);
		g_autofree gchar *got_hex = suit_test_bytes_to_hex(suit_envelope_get_manifest_bytes(envelope));
		g_assert_cmpstr(got_hex, ==, expected_hex);
		assert_verifies(envelope, key);
	}
}

static void
test_file(AuthorFixture *fx, gconstpointer user_data)
{
	g_autoptr(SuitKey) key = new_key(SUIT_KEY_TYPE_P256);
	g_autoptr(SuitAuthor) author = new_author(key);
	/* bigger than one read chunk, not a multiple of it */
	g_autoptr(GBytes) payload = write_payload(fx, "app.bin", 200 * 1024 + 17);
	g_autofree gchar *digest_hex = sha256_hex(payload);
	g_autoptr(SuitEnvelope) envelope = NULL;
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GError) error = NULL;
	SuitManifest *manifest;
	JsonObject *params;
	JsonObject *digest;

	envelope = build(author,
			 fx,
			 "{\"manifest-version\": 1, \"components\": [{"
			 "\"install-id\": [\"00\"], \"file\": \"app.bin\","
			 "\"uri\": \"https://example.com/app.bin\","
			 "\"vendor-id\": \"fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe\","
			 "\"class-id\": \"1492af14-2569-5e48-bf42-9b2d51f2ab45\"}]}");
	assert_verifies(envelope, key);
	g_assert_cmpuint(suit_envelope_get_n_authentication_blocks(envelope), ==, 1);
	manifest = suit_envelope_peek_manifest(envelope, &error);
	g_assert_no_error(error);
	/* the clock gives the sequence number */
	g_assert_cmpuint(suit_manifest_get_sequence_number(manifest), ==, 1700000000);

	root = envelope_json(envelope);
	assert_section(root,
		       "shared-sequence",
		       "override-parameters{class-identifier,image-digest,image-size,vendor-identifier},"
		       "vendor-identifier:15,class-identifier:15");
	assert_section(root, "install", "override-parameters{uri},fetch:2,image-match:15");
	assert_section(root, "validate", "image-match:15");
	assert_section(root, "invoke", "(none)");
	assert_section(root, "payload-fetch", "(none)");
	params = find_params(root, "shared-sequence", "image-digest", 0);
	g_assert_cmpint(json_object_get_int_member(params, "image-size"), ==, 200 * 1024 + 17);
	digest = json_object_get_object_member(params, "image-digest");
	g_assert_cmpint(json_object_get_int_member(digest, "algorithm-id"), ==, -16);
	g_assert_cmpstr(json_object_get_string_member(digest, "digest-bytes"), ==, digest_hex);
	g_assert_cmpstr(json_object_get_string_member(params, "vendor-identifier"),
			==,
			"fa6b4a53d5ad5fdfbe9de663e4d41ffe");
	params = find_params(root, "install", "uri", 0);
	g_assert_cmpstr(json_object_get_string_member(params, "uri"), ==, "https://example.com/app.bin");
}

/* description files: names relative to the file, sequence number given */
static void
test_description_file(AuthorFixture *fx, gconstpointer user_data)
{
	g_autoptr(SuitKey) key = new_key(SUIT_KEY_TYPE_ED25519);
	g_autoptr(SuitAuthor) author = new_author(key);
	g_autoptr(GBytes) payload = write_payload(fx, "fw.bin", 1000);
	g_autofree gchar *path = g_build_filename(fx->dir, "desc.json", NULL);
	g_autoptr(SuitEnvelope) envelope = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonNode) root = NULL;
	SuitManifest *manifest;
	g_autofree gchar *cwd = g_get_current_dir();

	write_text(fx,
		   "desc.json",
		   "{\"manifest-version\": 1, \"manifest-sequence-number\": 7, \"components\": [{"
		   "\"install-id\": [\"00\"], \"file\": \"fw.bin\", \"bootable\": true,"
		   "\"vendor-domain\": \"arm.com\", \"class-name\": \"suit-test-board\"}]}");
	/* from elsewhere: the payload is found next to the description */
	g_assert_cmpint(g_chdir("/"), ==, 0);
	envelope = suit_author_build_from_description_file(author, path, &error);
	g_assert_cmpint(g_chdir(cwd), ==, 0);
	g_assert_no_error(error);
	assert_verifies(envelope, key);
	manifest = suit_envelope_peek_manifest(envelope, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(suit_manifest_get_sequence_number(manifest), ==, 7);
	root = envelope_json(envelope);
	g_assert_cmpstr(json_object_get_string_member(find_params(root, "shared-sequence", "vendor-identifier", 0),
						      "vendor-identifier"),
			==,
			"fa6b4a53d5ad5fdfbe9de663e4d41ffe");
	g_assert_cmpstr(json_object_get_string_member(find_params(root, "shared-sequence", "class-identifier", 0),
						      "class-identifier"),
			==,
			"cef1ec7f8256578781d4cd21030dc6a9");
	/* no uri: secure boot only, like ex0 */
	assert_section(root, "install", "(none)");
	assert_section(root, "invoke", "invoke:2");

	/* the author's sequence number wins over the description's */
	suit_author_set_sequence_number(author, 99);
	g_clear_object(&envelope);
	envelope = suit_author_build_from_description_file(author, path, &error);
	g_assert_no_error(error);
	manifest = suit_envelope_peek_manifest(envelope, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(suit_manifest_get_sequence_number(manifest), ==, 99);

	/* a missing description */
	g_clear_object(&envelope);
	g_free(path);
	path = g_build_filename(fx->dir, "nope.json", NULL);
	envelope = suit_author_build_from_description_file(author, path, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
	g_assert_null(envelope);
}

static void
test_multiple(AuthorFixture *fx, gconstpointer user_data)
{
	g_autoptr(SuitKey) key = new_key(SUIT_KEY_TYPE_P256);
	g_autoptr(SuitAuthor) author = new_author(key);
	g_autoptr(GBytes) a = write_payload(fx, "a.bin", 100);
	g_autoptr(GBytes) b = write_payload(fx, "b.bin", 300);
	g_autoptr(SuitEnvelope) envelope = NULL;
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GError) error = NULL;
	SuitManifest *manifest;
	GPtrArray *ids;

	envelope = build(author,
			 fx,
			 "{\"manifest-version\": 1, \"manifest-sequence-number\": 3, \"components\": ["
			 "{\"install-id\": [\"00\"], \"file\": \"a.bin\", \"uri\": \"http://h/a\", \"bootable\": true,"
			 " \"vendor-domain\": \"arm.com\", \"class-name\": \"board\"},"
			 "{\"install-id\": [\"01\"], \"file\": \"b.bin\", \"uri\": \"http://h/b\","
			 " \"vendor-domain\": \"arm.com\", \"class-name\": \"radio\"}]}");
	assert_verifies(envelope, key);
	manifest = suit_envelope_peek_manifest(envelope, &error);
	g_assert_no_error(error);
	ids = suit_manifest_get_components(manifest);
	g_assert_cmpuint(ids->len, ==, 2);
	root = envelope_json(envelope);
	/* different classes: each component checks its identity */
	assert_section(root,
		       "shared-sequence",
		       "set-component-index:0,"
		       "override-parameters{class-identifier,image-digest,image-size,vendor-identifier},"
		       "vendor-identifier:15,class-identifier:15,"
		       "set-component-index:1,"
		       "override-parameters{class-identifier,image-digest,image-size,vendor-identifier},"
		       "vendor-identifier:15,class-identifier:15");
	assert_section(root,
		       "install",
		       "set-component-index:0,override-parameters{uri},fetch:2,image-match:15,"
		       "set-component-index:1,override-parameters{uri},fetch:2,image-match:15");
	assert_section(root, "validate", "set-component-index:0,image-match:15,set-component-index:1,image-match:15");
	assert_section(root, "invoke", "set-component-index:0,invoke:2");
}

static void
test_slot(AuthorFixture *fx, gconstpointer user_data)
{
	g_autoptr(SuitAuthor) author = new_author(NULL);
	g_autoptr(GBytes) a = write_payload(fx, "a.bin", 64);
	g_autoptr(SuitEnvelope) envelope = NULL;
	g_autoptr(JsonNode) root = NULL;

	envelope = build(author,
			 fx,
			 "{\"manifest-version\": 1, \"components\": [{\"install-id\": [\"00\"], \"file\": \"a.bin\","
			 "\"uri\": \"http://h/a\", \"slot\": 1,"
			 "\"vendor-domain\": \"arm.com\", \"class-name\": \"board\"}]}");
	g_assert_cmpuint(suit_envelope_get_n_authentication_blocks(envelope), ==, 0);
	root = envelope_json(envelope);
	assert_section(root,
		       "shared-sequence",
		       "override-parameters{class-identifier,component-slot,image-digest,image-size,vendor-identifier},"
		       "vendor-identifier:15,class-identifier:15,component-slot:15");
	g_assert_cmpint(json_object_get_int_member(find_params(root, "shared-sequence", "component-slot", 0),
						   "component-slot"),
			==,
			1);
}

static void
test_integrated(AuthorFixture *fx, gconstpointer user_data)
{
	g_autoptr(SuitKey) key = new_key(SUIT_KEY_TYPE_P256);
	g_autoptr(SuitAuthor) author = new_author(key);
	g_autoptr(GBytes) payload = write_payload(fx, "tc.bin", 4000);
	g_autoptr(GBytes) other = write_payload(fx, "other.bin", 10);
	g_autofree gchar *digest_hex = sha256_hex(payload);
	g_autoptr(SuitEnvelope) envelope = NULL;
	g_autoptr(SuitEnvelope) parsed = NULL;
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(GError) error = NULL;
	JsonObject *params;
	GBytes *carried;

	envelope = build(author,
			 fx,
			 "{\"manifest-version\": 1, \"components\": ["
			 "{\"install-id\": [\"00\"], \"file\": \"tc.bin\", \"integrated\": true,"
			 " \"vendor-domain\": \"arm.com\", \"class-name\": \"board\"},"
			 "{\"install-id\": [\"01\"], \"file\": \"other.bin\", \"integrated\": true, \"uri\": \"#cfg\","
			 " \"vendor-domain\": \"arm.com\", \"class-name\": \"board\"}]}");
	assert_verifies(envelope, key);
	blob = suit_envelope_to_bytes(envelope, &error);
	g_assert_no_error(error);
	parsed = suit_envelope_new_from_bytes(blob, SUIT_PARSE_FLAG_NONE, &error);
	g_assert_no_error(error);
	carried = suit_envelope_get_integrated(parsed, "#tc.bin");
	g_assert_nonnull(carried);
	g_assert_true(g_bytes_equal(carried, payload));
	carried = suit_envelope_get_integrated(parsed, "#cfg");
	g_assert_nonnull(carried);
	g_assert_true(g_bytes_equal(carried, other));

	root = envelope_json(envelope);
	/* same vendor and class: checked once */
	assert_section(root,
		       "shared-sequence",
		       "set-component-index:0,"
		       "override-parameters{class-identifier,image-digest,image-size,vendor-identifier},"
		       "vendor-identifier:15,class-identifier:15,"
		       "set-component-index:1,override-parameters{image-digest,image-size}");
	params = find_params(root, "install", "uri", 0);
	g_assert_cmpstr(json_object_get_string_member(params, "uri"), ==, "#tc.bin");
	params = find_params(root, "install", "uri", 1);
	g_assert_cmpstr(json_object_get_string_member(params, "uri"), ==, "#cfg");
	params = find_params(root, "shared-sequence", "image-digest", 0);
	g_assert_cmpstr(json_object_get_string_member(json_object_get_object_member(params, "image-digest"),
						      "digest-bytes"),
			==,
			digest_hex);
}

static void
test_severable(AuthorFixture *fx, gconstpointer user_data)
{
	g_autoptr(SuitKey) key = new_key(SUIT_KEY_TYPE_P256);
	g_autoptr(SuitAuthor) author = new_author(key);
	g_autoptr(GBytes) payload = write_payload(fx, "a.bin", 64);
	g_autoptr(SuitEnvelope) envelope = NULL;
	g_autoptr(SuitEnvelope) severed = NULL;
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *text = NULL;
	SuitManifest *manifest;
	g_autoptr(SuitComponentId) id = suit_component_id_new();
	g_autoptr(GBytes) part = g_bytes_new("\0", 1);
	g_autoptr(SuitKeyring) keyring = suit_keyring_new();
	g_autoptr(SuitKey) pub = NULL;

	envelope = build(author,
			 fx,
			 "{\"manifest-version\": 1, \"severable\": [\"install\", \"text\"],"
			 "\"text\": {\"manifest-description\": \"demo\", \"update-description\": \"fixes\"},"
			 "\"components\": [{\"install-id\": [\"00\"], \"file\": \"a.bin\", \"uri\": \"http://h/a\","
			 " \"vendor-domain\": \"arm.com\", \"class-name\": \"board\","
			 " \"text\": {\"model-name\": \"Board 1\", \"vendor-domain\": \"arm.com\"}}]}");
	assert_verifies(envelope, key);
	g_assert_nonnull(suit_envelope_get_member(envelope, 20));
	g_assert_nonnull(suit_envelope_get_member(envelope, 23));
	manifest = suit_envelope_peek_manifest(envelope, &error);
	g_assert_no_error(error);
	g_assert_nonnull(suit_manifest_get_member_digest(manifest, 20));
	g_assert_nonnull(suit_manifest_get_member_digest(manifest, 23));
	g_assert_cmpint(suit_manifest_get_member_state(manifest, 20), ==, SUIT_MEMBER_STATE_ATTACHED);
	root = envelope_json(envelope);
	assert_section(root, "install", "override-parameters{uri},fetch:2,image-match:15");

	/* the text, through the parsed envelope */
	blob = suit_envelope_to_bytes(envelope, &error);
	g_assert_no_error(error);
	severed = suit_envelope_new_from_bytes(blob, SUIT_PARSE_FLAG_NONE, &error);
	g_assert_no_error(error);
	pub = suit_key_dup_public(key, &error);
	g_assert_no_error(error);
	suit_keyring_add(keyring, pub);
	g_assert_true(suit_envelope_verify(severed, keyring, SUIT_VERIFY_FLAG_NONE, &error));
	g_assert_no_error(error);
	manifest = suit_envelope_get_manifest(severed, &error);
	g_assert_no_error(error);
	text = suit_manifest_dup_text(manifest, "en-US", NULL, 1);
	g_assert_cmpstr(text, ==, "demo");
	g_free(text);
	suit_component_id_append(id, part);
	text = suit_manifest_dup_text(manifest, "en-US", id, 2);
	g_assert_cmpstr(text, ==, "Board 1");

	/* sever both: the signature stays valid, the members are gone */
	g_assert_true(suit_envelope_sever(severed, 20, &error));
	g_assert_no_error(error);
	g_assert_true(suit_envelope_sever(severed, 23, &error));
	g_assert_no_error(error);
	g_assert_null(suit_envelope_get_member(severed, 20));
	g_assert_null(suit_envelope_get_member(severed, 23));
	assert_verifies(severed, key);
}

static void
test_dependencies(AuthorFixture *fx, gconstpointer user_data)
{
	g_autoptr(SuitKey) key = new_key(SUIT_KEY_TYPE_P256);
	g_autoptr(SuitAuthor) author = new_author(key);
	g_autoptr(GBytes) payload = write_payload(fx, "a.bin", 64);
	g_autoptr(SuitEnvelope) dependency = NULL;
	g_autoptr(SuitEnvelope) envelope = NULL;
	g_autoptr(GBytes) dep_blob = NULL;
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dep_path = g_build_filename(fx->dir, "dep.suit", NULL);
	g_autofree gchar *dep_digest = NULL;
	JsonObject *params;
	JsonObject *deps;
	SuitManifest *manifest;

	/* the dependency: a manifest with its own component id */
	dependency = build(author,
			   fx,
			   "{\"manifest-version\": 1, \"manifest-component-id\": [\"dep.suit\"], \"components\": ["
			   "{\"install-id\": [\"10\"], \"file\": \"a.bin\", \"uri\": \"http://h/a\","
			   " \"vendor-domain\": \"arm.com\", \"class-name\": \"board\"}]}");
	dep_blob = suit_envelope_to_bytes(dependency, &error);
	g_assert_no_error(error);
	g_file_set_contents(dep_path, g_bytes_get_data(dep_blob, NULL), (gssize)g_bytes_get_size(dep_blob), &error);
	g_assert_no_error(error);
	dep_digest = suit_digest_to_hex(suit_envelope_get_manifest_digest(dependency));

	envelope = build(author,
			 fx,
			 "{\"manifest-version\": 1, \"components\": ["
			 "{\"install-id\": [\"00\"], \"file\": \"a.bin\", \"uri\": \"http://h/a\","
			 " \"vendor-domain\": \"arm.com\", \"class-name\": \"board\"}],"
			 "\"dependencies\": [{\"file\": \"dep.suit\"},"
			 " {\"digest\": {\"algorithm-id\": -16, \"digest-bytes\": "
			 "\"0f02caf6ac45f52e2ac8e1e9a1b0adb0c4c8e8e8f98b8a0b8d3e5f0c1a2b3c4d\"},"
			 " \"size\": 190, \"uri\": \"http://example.com/other.suit\"}]}");
	assert_verifies(envelope, key);
	manifest = suit_envelope_peek_manifest(envelope, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(suit_manifest_get_components(manifest)->len, ==, 3);
	g_assert_cmpuint(suit_manifest_get_dependency_indices(manifest)->len, ==, 2);
	g_assert_nonnull(suit_manifest_get_dependency_prefix(manifest, 1));
	g_assert_null(suit_manifest_get_dependency_prefix(manifest, 2));
	g_assert_true(g_bytes_equal(suit_envelope_get_integrated(envelope, "#dep.suit"), dep_blob));

	root = envelope_json(envelope);
	deps = json_object_get_object_member(json_object_get_object_member(manifest_obj(root), "common"),
					     "dependencies");
	g_assert_true(json_object_has_member(deps, "1"));
	g_assert_true(json_object_has_member(deps, "2"));
	assert_section(root,
		       "dependency-resolution",
		       "set-component-index:1,override-parameters{uri},fetch:2,image-match:15,"
		       "set-component-index:2,override-parameters{uri},fetch:2,image-match:15");
	assert_section(root,
		       "install",
		       "set-component-index:0,override-parameters{uri},fetch:2,image-match:15,"
		       "set-component-index:1,dependency-integrity:15,process-dependency:15,"
		       "set-component-index:2,dependency-integrity:15,process-dependency:15");
	/* the dependency's image is its manifest digest and envelope size */
	params = find_params(root, "shared-sequence", "image-digest", 1);
	g_assert_cmpstr(json_object_get_string_member(json_object_get_object_member(params, "image-digest"),
						      "digest-bytes"),
			==,
			dep_digest);
	g_assert_cmpint(json_object_get_int_member(params, "image-size"), ==, (gint64)g_bytes_get_size(dep_blob));
	params = find_params(root, "dependency-resolution", "uri", 0);
	g_assert_cmpstr(json_object_get_string_member(params, "uri"), ==, "#dep.suit");
	params = find_params(root, "dependency-resolution", "uri", 1);
	g_assert_cmpstr(json_object_get_string_member(params, "uri"), ==, "http://example.com/other.suit");
}

static void
test_download_load(AuthorFixture *fx, gconstpointer user_data)
{
	g_autoptr(SuitAuthor) author = new_author(NULL);
	g_autoptr(GBytes) payload = write_payload(fx, "a.bin", 64);
	g_autoptr(SuitEnvelope) envelope = NULL;
	g_autoptr(SuitEnvelope) envelope2 = NULL;
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(JsonNode) root2 = NULL;

	envelope = build(author,
			 fx,
			 "{\"manifest-version\": 1, \"components\": [{\"install-id\": [\"00\"],"
			 " \"download-id\": [\"02\"], \"load-id\": [\"01\"], \"loadable\": true, \"bootable\": true,"
			 " \"file\": \"a.bin\", \"uri\": \"http://h/a\","
			 " \"vendor-domain\": \"arm.com\", \"class-name\": \"board\"}]}");
	root = envelope_json(envelope);
	assert_section(root,
		       "shared-sequence",
		       "set-component-index:0,"
		       "override-parameters{class-identifier,image-digest,image-size,vendor-identifier},"
		       "vendor-identifier:15,class-identifier:15,"
		       "set-component-index:1,override-parameters{image-digest,image-size},"
		       "set-component-index:2,override-parameters{image-digest,image-size}");
	assert_section(root, "payload-fetch", "set-component-index:1,override-parameters{uri},fetch:2,image-match:15");
	assert_section(root,
		       "install",
		       "set-component-index:0,override-parameters{source-component},copy:2,image-match:15");
	assert_section(root, "load", "set-component-index:2,override-parameters{source-component},copy:2,image-match:15");
	assert_section(root, "invoke", "set-component-index:2,invoke:2");
	g_assert_cmpint(json_object_get_int_member(find_params(root, "install", "source-component", 0),
						   "source-component"),
			==,
			1);

	/* install-on-download: fetch and copy both at install time */
	envelope2 = build(author,
			  fx,
			  "{\"manifest-version\": 1, \"components\": [{\"install-id\": [\"00\"],"
			  " \"download-id\": [\"02\"], \"install-on-download\": true,"
			  " \"file\": \"a.bin\", \"uri\": \"http://h/a\","
			  " \"vendor-domain\": \"arm.com\", \"class-name\": \"board\"}]}");
	root2 = envelope_json(envelope2);
	assert_section(root2, "payload-fetch", "(none)");
	assert_section(root2,
		       "install",
		       "set-component-index:1,override-parameters{uri},fetch:2,image-match:15,"
		       "set-component-index:0,override-parameters{source-component},copy:2,image-match:15");
}

static void
test_two_keys(AuthorFixture *fx, gconstpointer user_data)
{
	g_autoptr(SuitKey) p256 = new_key(SUIT_KEY_TYPE_P256);
	g_autoptr(SuitKey) ed = new_key(SUIT_KEY_TYPE_ED25519);
	g_autoptr(SuitKey) pub = NULL;
	g_autoptr(SuitAuthor) author = new_author(p256);
	g_autoptr(GBytes) payload = write_payload(fx, "a.bin", 64);
	g_autoptr(GBytes) kid = g_bytes_new("kid-2", 5);
	g_autoptr(SuitEnvelope) envelope = NULL;
	g_autoptr(SuitKeyring) keyring = suit_keyring_new();
	g_autoptr(GError) error = NULL;

	g_assert_true(suit_author_add_key(author, ed, SUIT_COSE_ALGORITHM_ED25519, kid, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(suit_author_get_n_keys(author), ==, 2);
	envelope = build(author,
			 fx,
			 "{\"manifest-version\": 1, \"components\": [{\"install-id\": [\"00\"], \"file\": \"a.bin\","
			 " \"vendor-domain\": \"arm.com\", \"class-name\": \"board\"}]}");
	g_assert_cmpuint(suit_envelope_get_n_authentication_blocks(envelope), ==, 2);
	assert_verifies(envelope, p256);
	assert_verifies(envelope, ed);
	pub = suit_key_dup_public(p256, &error);
	g_assert_no_error(error);
	suit_keyring_add(keyring, pub);
	g_clear_object(&pub);
	pub = suit_key_dup_public(ed, &error);
	g_assert_no_error(error);
	suit_keyring_add(keyring, pub);
	g_assert_true(suit_envelope_verify(envelope, keyring, SUIT_VERIFY_FLAG_REQUIRE_ALL, &error));
	g_assert_no_error(error);

	/* keys that cannot sign */
	g_assert_false(suit_author_add_key(author, pub, SUIT_COSE_ALGORITHM_NONE, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	g_assert_false(suit_author_add_key(author, ed, SUIT_COSE_ALGORITHM_ES256, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_UNSUPPORTED_ALGORITHM);
	g_assert_cmpuint(suit_author_get_n_keys(author), ==, 2);
}

/* an unsigned envelope, signed afterwards by another author */
static void
test_sign_envelope(AuthorFixture *fx, gconstpointer user_data)
{
	g_autoptr(SuitAuthor) unsigned_author = new_author(NULL);
	g_autoptr(SuitKey) key = new_key(SUIT_KEY_TYPE_P256);
	g_autoptr(SuitAuthor) signer = new_author(key);
	g_autoptr(GBytes) payload = write_payload(fx, "a.bin", 64);
	g_autoptr(SuitEnvelope) envelope = NULL;
	g_autoptr(GError) error = NULL;

	envelope = build(unsigned_author,
			 fx,
			 "{\"components\": [{\"install-id\": [\"00\"], \"file\": \"a.bin\","
			 " \"vendor-domain\": \"arm.com\", \"class-name\": \"board\"}]}");
	g_assert_cmpuint(suit_author_get_n_keys(unsigned_author), ==, 0);
	g_assert_cmpuint(suit_envelope_get_n_authentication_blocks(envelope), ==, 0);
	g_assert_true(suit_author_sign_envelope(signer, envelope, &error));
	g_assert_no_error(error);
	g_assert_true(suit_author_sign_envelope(signer, envelope, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(suit_envelope_get_n_authentication_blocks(envelope), ==, 2);
	assert_verifies(envelope, key);
}

static void
test_id_parts(AuthorFixture *fx, gconstpointer user_data)
{
	g_autoptr(SuitAuthor) author = new_author(NULL);
	g_autoptr(GBytes) payload = write_payload(fx, "a.bin", 64);
	g_autoptr(SuitEnvelope) envelope = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *str = NULL;
	SuitManifest *manifest;
	SuitComponentId *id;

	/* hex, then base64, then UTF-8 */
	envelope = build(author,
			 fx,
			 "{\"manifest-version\": 1, \"components\": [{"
			 "\"install-id\": [\"0A1b\", \"AAECAw==\", \"TEEP-Device\", \"ta\", \"abd=\", \"\"],"
			 "\"file\": \"a.bin\", \"vendor-domain\": \"arm.com\", \"class-name\": \"board\"}]}");
	manifest = suit_envelope_peek_manifest(envelope, &error);
	g_assert_no_error(error);
	id = g_ptr_array_index(suit_manifest_get_components(manifest), 0);
	g_assert_cmpuint(suit_component_id_get_length(id), ==, 6);
	str = suit_test_bytes_to_hex(suit_component_id_get_part(id, 0));
	g_assert_cmpstr(str, ==, "0a1b");
	g_free(str);
	str = suit_test_bytes_to_hex(suit_component_id_get_part(id, 1));
	g_assert_cmpstr(str, ==, "00010203");
	g_free(str);
	str = g_strndup(g_bytes_get_data(suit_component_id_get_part(id, 2), NULL),
			g_bytes_get_size(suit_component_id_get_part(id, 2)));
	g_assert_cmpstr(str, ==, "TEEP-Device");
	g_clear_pointer(&str, g_free);
	g_assert_cmpuint(g_bytes_get_size(suit_component_id_get_part(id, 3)), ==, 2);
	/* "abd=" is not canonical base64 (stray bits): its text */
	g_assert_cmpuint(g_bytes_get_size(suit_component_id_get_part(id, 4)), ==, 4);
	g_assert_cmpuint(g_bytes_get_size(suit_component_id_get_part(id, 5)), ==, 0);
}

static void
test_manifest_json(AuthorFixture *fx, gconstpointer user_data)
{
	g_autoptr(SuitKey) key = new_key(SUIT_KEY_TYPE_P256);
	g_autoptr(SuitAuthor) author = new_author(key);
	g_autoptr(GBytes) blob = suit_test_load_vector("manifest/ex2-severable-full.suit");
	g_autoptr(SuitEnvelope) original = NULL;
	g_autoptr(SuitEnvelope) envelope = NULL;
	g_autoptr(SuitEnvelope) bare = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *json = NULL;
	SuitManifest *manifest;

	original = suit_envelope_new_from_bytes(blob, SUIT_PARSE_FLAG_NONE, &error);
	g_assert_no_error(error);
	json = suit_envelope_to_json(original, SUIT_JSON_FLAG_NONE, &error);
	g_assert_no_error(error);
	envelope = suit_author_build_from_manifest_json(author, json, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(suit_envelope_get_manifest_bytes(envelope),
				    suit_envelope_get_manifest_bytes(original)));
	g_assert_cmpuint(suit_envelope_get_n_authentication_blocks(envelope), ==, 1);
	g_assert_nonnull(suit_envelope_get_member(envelope, 20));
	assert_verifies(envelope, key);

	/* a bare manifest */
	manifest = suit_envelope_peek_manifest(original, &error);
	g_assert_no_error(error);
	g_free(json);
	json = g_strdup("{\"manifest-version\": 1, \"manifest-sequence-number\": 4, \"common\": "
			"{\"components\": [[\"00\"]]}, \"validate\": []}");
	bare = suit_author_build_from_manifest_json(author, json, &error);
	g_assert_no_error(error);
	assert_verifies(bare, key);
	manifest = suit_envelope_peek_manifest(bare, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(suit_manifest_get_sequence_number(manifest), ==, 4);

	g_clear_object(&bare);
	bare = suit_author_build_from_manifest_json(author, "{\"manifest-version\": 1, \"bogus\": 1}", &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
	g_assert_null(bare);
}

static void
test_errors(AuthorFixture *fx, gconstpointer user_data)
{
	g_autoptr(GBytes) payload = write_payload(fx, "a.bin", 64);
	g_autoptr(GString) deep = g_string_new(NULL);
	g_autofree gchar *path = g_build_filename(fx->dir, "huge.bin", NULL);
	gint fd;
#define IDS "\"vendor-domain\": \"arm.com\", \"class-name\": \"board\""

	build_fails(fx, "[]", SUIT_ERROR_INVALID_DATA, "object");
	build_fails(fx, "{", SUIT_ERROR_INVALID_DATA, "json");
	build_fails(fx,
		    "{\"manifest-version\": 1, \"manifest-sequnce-number\": 1, \"components\": []}",
		    SUIT_ERROR_INVALID_DATA,
		    "\"manifest-sequnce-number\"");
	build_fails(fx,
		    "{\"manifest-version\": 2, \"components\": [{\"install-id\": [\"00\"], \"file\": \"a.bin\", " IDS
		    "}]}",
		    SUIT_ERROR_UNSUPPORTED_VERSION,
		    NULL);
	build_fails(fx, "{\"manifest-version\": 1, \"components\": []}", SUIT_ERROR_INVALID_DATA, "components");
	build_fails(fx,
		    "{\"components\": [{\"install-id\": [\"00\"], \"file\": \"a.bin\", \"bootabel\": true, " IDS "}]}",
		    SUIT_ERROR_INVALID_DATA,
		    "components[0]: unknown key \"bootabel\"");
	build_fails(fx,
		    "{\"components\": [{\"install-id\": [\"00\"], \"file\": \"missing.bin\", " IDS "}]}",
		    SUIT_ERROR_NOT_FOUND,
		    "missing.bin");
	build_fails(fx,
		    "{\"components\": [{\"install-id\": [\"00\"], \"file\": \"a.bin\","
		    " \"vendor-id\": \"fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffZ\", \"class-name\": \"x\"}]}",
		    SUIT_ERROR_INVALID_DATA,
		    "vendor-id");
	build_fails(fx,
		    "{\"components\": [{\"install-id\": [\"00\"], \"file\": \"a.bin\","
		    " \"vendor-domain\": \"arm.com\", \"class-id\": \"1492af14-2569-5e48-bf42\"}]}",
		    SUIT_ERROR_INVALID_DATA,
		    "class-id");
	build_fails(fx,
		    "{\"components\": [{\"install-id\": [\"00\"], \"file\": \"a.bin\","
		    " \"vendor-domain\": \"arm.com\", \"vendor-id\": \"fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe\","
		    " \"class-name\": \"x\"}]}",
		    SUIT_ERROR_INVALID_DATA,
		    "not both");
	build_fails(fx,
		    "{\"components\": [{\"install-id\": [\"00\"], \"file\": \"a.bin\", \"class-name\": \"x\"}]}",
		    SUIT_ERROR_INVALID_DATA,
		    "vendor-id");
	build_fails(fx,
		    "{\"components\": [{\"install-id\": [\"00\"], \"install-size\": 4, \"install-digest\": "
		    "{\"algorithm-id\": -16, \"digest-bytes\": \"00zz\"}, " IDS "}]}",
		    SUIT_ERROR_INVALID_DATA,
		    "install-digest");
	build_fails(fx,
		    "{\"components\": [{\"install-id\": [\"00\"], \"install-digest\": "
		    "{\"algorithm-id\": -16, \"digest-bytes\": \"0011\"}, \"install-size\": 4, " IDS "}]}",
		    SUIT_ERROR_INVALID_DATA,
		    "digest bytes");
	build_fails(fx,
		    "{\"components\": [{\"install-id\": [\"00\"], \"install-digest\": "
		    "{\"algorithm-id\": \"md5\", \"digest-bytes\": \"0011\"}, \"install-size\": 4, " IDS "}]}",
		    SUIT_ERROR_UNSUPPORTED_ALGORITHM,
		    NULL);
	build_fails(fx,
		    "{\"components\": [{\"install-id\": [\"00\"], \"install-digest\": "
		    "\"00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210\", " IDS "}]}",
		    SUIT_ERROR_INVALID_DATA,
		    "install-size");
	build_fails(fx,
		    "{\"components\": [{\"install-id\": [\"00\"], \"file\": \"a.bin\", \"install-digest\": "
		    "\"00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210\", " IDS "}]}",
		    SUIT_ERROR_DIGEST_MISMATCH,
		    NULL);
	build_fails(fx,
		    "{\"components\": [{\"install-id\": [\"00\"], \"file\": \"a.bin\", \"install-size\": 65, " IDS "}]}",
		    SUIT_ERROR_DIGEST_MISMATCH,
		    NULL);
	build_fails(fx,
		    "{\"components\": [{\"install-id\": [\"00\"], \"file\": \"a.bin\", " IDS
		    "}, {\"install-id\": [\"00\"], \"file\": \"a.bin\", " IDS "}]}",
		    SUIT_ERROR_INVALID_DATA,
		    "twice");
	build_fails(fx,
		    "{\"components\": [{\"install-id\": \"00\", \"file\": \"a.bin\", " IDS "}]}",
		    SUIT_ERROR_INVALID_DATA,
		    "install-id");
	build_fails(fx,
		    "{\"components\": [{\"install-id\": [\"00\"], \"file\": \"a.bin\", \"uri\": \"#x\", " IDS "}]}",
		    SUIT_ERROR_INVALID_DATA,
		    "integrated");
	build_fails(fx,
		    "{\"components\": [{\"install-id\": [\"00\"], \"file\": \"a.bin\", \"loadable\": true, " IDS "}]}",
		    SUIT_ERROR_INVALID_DATA,
		    "load-id");
	build_fails(fx,
		    "{\"components\": [{\"install-id\": [\"00\"], \"file\": \"a.bin\", \"slot\": -1, " IDS "}]}",
		    SUIT_ERROR_INVALID_DATA,
		    "slot");
	build_fails(fx,
		    "{\"severable\": [\"install\"], \"components\": [{\"install-id\": [\"00\"], \"file\": \"a.bin\", " IDS
		    "}]}",
		    SUIT_ERROR_INVALID_DATA,
		    "no install");
	build_fails(fx,
		    "{\"severable\": [\"validate\"], \"components\": [{\"install-id\": [\"00\"], \"file\": \"a.bin\", " IDS
		    "}]}",
		    SUIT_ERROR_INVALID_DATA,
		    "not a severable member");
	build_fails(fx,
		    "{\"text\": {\"manifest-descripton\": \"x\"}, \"components\": [{\"install-id\": [\"00\"],"
		    " \"file\": \"a.bin\", " IDS "}]}",
		    SUIT_ERROR_INVALID_DATA,
		    "manifest-descripton");
	build_fails(fx,
		    "{\"dependencies\": [{\"uri\": \"http://h/d\"}], \"components\": [{\"install-id\": [\"00\"],"
		    " \"file\": \"a.bin\", " IDS "}]}",
		    SUIT_ERROR_INVALID_DATA,
		    "dependencies[0]");
	build_fails(fx,
		    "{\"dependencies\": [{\"file\": \"a.bin\"}], \"components\": [{\"install-id\": [\"00\"],"
		    " \"file\": \"a.bin\", " IDS "}]}",
		    SUIT_ERROR_INVALID_CBOR,
		    "dependencies[0]");

	/* bounds */
	for (guint i = 0; i < 100; i++)
		g_string_append_c(deep, '[');
	build_fails(fx, deep->str, SUIT_ERROR_LIMIT_EXCEEDED, NULL);
	fd = g_open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	g_assert_cmpint(fd, >=, 0);
	g_assert_cmpint(ftruncate(fd, 16 * 1024 * 1024 + 1), ==, 0);
	g_close(fd, NULL);
	build_fails(fx,
		    "{\"components\": [{\"install-id\": [\"00\"], \"file\": \"huge.bin\", \"integrated\": true, " IDS
		    "}]}",
		    SUIT_ERROR_LIMIT_EXCEEDED,
		    NULL);
#undef IDS
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/suit/author/uuid5", test_uuid5);
#define ADD(path, func) g_test_add(path, AuthorFixture, NULL, fixture_setup, func, fixture_teardown)
	ADD("/suit/author/draft-examples", test_draft_examples);
	ADD("/suit/author/file", test_file);
	ADD("/suit/author/description-file", test_description_file);
	ADD("/suit/author/multiple", test_multiple);
	ADD("/suit/author/slot", test_slot);
	ADD("/suit/author/integrated", test_integrated);
	ADD("/suit/author/severable", test_severable);
	ADD("/suit/author/dependencies", test_dependencies);
	ADD("/suit/author/download-load", test_download_load);
	ADD("/suit/author/two-keys", test_two_keys);
	ADD("/suit/author/sign-envelope", test_sign_envelope);
	ADD("/suit/author/id-parts", test_id_parts);
	ADD("/suit/author/manifest-json", test_manifest_json);
	ADD("/suit/author/errors", test_errors);
#undef ADD
	return g_test_run();
}
