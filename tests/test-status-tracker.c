/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sched.h>
#include <stdlib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "suit-status-tracker-private.h"
#include "suit-test-common.h"

#define VENDOR_ID "fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe"
#define CLASS_ID  "1492af14-2569-5e48-bf42-9b2d51f2ab45"
#define OTHER_ID  "00000000-0000-4000-8000-000000000001"

#define SUIT_TRACKER_TEST_MAX_TAGS 32

/* fixture ------------------------------------------------------------------ */

typedef struct {
	gchar *dir;
	gchar *db_path; /* set for SQLite */
	SuitDatabase *db;
	SuitKey *author;
	SuitKeyring *trusted;
	SuitFirmwareServer *server;
	SuitStatusTracker *tracker;
	GHashTable *device_keys;   /* device id -> SuitKey */
	GHashTable *device_tokens; /* device id -> token */
} Fixture;

static void
fixture_open(Fixture *fx)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *fw_dir = g_build_filename(fx->dir, "fw", NULL);

	if (fx->db_path != NULL) {
		fx->db = SUIT_DATABASE(suit_database_sqlite_new(fx->db_path, &error));
		g_assert_no_error(error);
	} else {
		fx->db = SUIT_DATABASE(suit_database_memory_new());
	}
	fx->server = suit_firmware_server_new(fw_dir, fx->db, fx->trusted, &error);
	g_assert_no_error(error);
	fx->tracker = suit_status_tracker_new(fx->db, fx->server);
	g_assert_true(suit_status_tracker_get_database(fx->tracker) == fx->db);
	g_assert_true(suit_status_tracker_get_firmware_server(fx->tracker) == fx->server);
	suit_status_tracker_set_fake_time(fx->tracker, 1800000000);
}

static void
fixture_close(Fixture *fx)
{
	g_clear_object(&fx->tracker);
	g_clear_object(&fx->server);
	g_clear_object(&fx->db);
}

static void
fixture_setup_common(Fixture *fx, gboolean sqlite)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitKey) pub = NULL;

	fx->dir = g_dir_make_tmp("suit-tracker-XXXXXX", &error);
	g_assert_no_error(error);
	if (sqlite)
		fx->db_path = g_build_filename(fx->dir, "tracker.db", NULL);
	fx->author = suit_key_generate(SUIT_KEY_TYPE_P256, &error);
	g_assert_no_error(error);
	pub = suit_key_dup_public(fx->author, &error);
	g_assert_no_error(error);
	fx->trusted = suit_keyring_new();
	suit_keyring_add(fx->trusted, pub);
	fx->device_keys = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_object_unref);
	fx->device_tokens = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	fixture_open(fx);
}

static void
fixture_setup(Fixture *fx, gconstpointer user_data)
{
	fixture_setup_common(fx, FALSE);
}

static void
fixture_setup_sqlite(Fixture *fx, gconstpointer user_data)
{
	fixture_setup_common(fx, TRUE);
}

static void
remove_tree(const gchar *path)
{
	if (g_file_test(path, G_FILE_TEST_IS_DIR) && !g_file_test(path, G_FILE_TEST_IS_SYMLINK)) {
		g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
		const gchar *name;
		while (dir != NULL && (name = g_dir_read_name(dir)) != NULL) {
			g_autofree gchar *child = g_build_filename(path, name, NULL);
			remove_tree(child);
		}
		g_assert_cmpint(g_rmdir(path), ==, 0);
	} else {
		g_assert_cmpint(g_unlink(path), ==, 0);
	}
}

static void
fixture_teardown(Fixture *fx, gconstpointer user_data)
{
	fixture_close(fx);
	g_clear_object(&fx->trusted);
	g_clear_object(&fx->author);
	g_clear_pointer(&fx->device_keys, g_hash_table_unref);
	g_clear_pointer(&fx->device_tokens, g_hash_table_unref);
	remove_tree(fx->dir);
	g_free(fx->dir);
	g_free(fx->db_path);
}

/* helpers ------------------------------------------------------------------ */

static JsonNode *
parse(const gchar *json)
{
	g_autoptr(GError) error = NULL;
	JsonNode *node;
	g_assert_nonnull(json);
	node = json_from_string(json, &error);
	g_assert_no_error(error);
	g_assert_nonnull(node);
	return node;
}

static JsonObject *
parse_object(const gchar *json)
{
	g_autoptr(JsonNode) node = parse(json);
	g_assert_true(JSON_NODE_HOLDS_OBJECT(node));
	return json_object_ref(json_node_get_object(node));
}

static JsonArray *
parse_array(const gchar *json)
{
	g_autoptr(JsonNode) node = parse(json);
	g_assert_true(JSON_NODE_HOLDS_ARRAY(node));
	return json_array_ref(json_node_get_array(node));
}

static gchar *
object_to_string(JsonObject *obj)
{
	g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);
	json_node_set_object(node, obj);
	return json_to_string(node, FALSE);
}

/* the members of an object, sorted and joined by ',' */
static gchar *
member_names(JsonObject *obj)
{
	g_autoptr(GList) names = json_object_get_members(obj);
	g_autoptr(GString) str = g_string_new(NULL);
	names = g_list_sort(names, (GCompareFunc)g_strcmp0);
	for (GList *l = names; l != NULL; l = l->next)
		g_string_append_printf(str,
				       "%s%s",
				       str->len > 0 ? "," : "",
				       (const gchar *)l->data);
	return g_string_free(g_steal_pointer(&str), FALSE);
}

static void
assert_error_contains(const GError *error, gint code, const gchar *needle)
{
	g_assert_error((GError *)error, SUIT_ERROR, code);
	if (needle != NULL && strstr(error->message, needle) == NULL)
		g_error("expected \"%s\" in \"%s\"", needle, error->message);
}

/* an envelope signed by the author and added to the firmware server; returns
 * the manifest id */
static gchar *
add_manifest(Fixture *fx, guint64 sequence_number, const gchar *vendor_id, const gchar *class_id)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitAuthor) author = suit_author_new();
	g_autoptr(SuitEnvelope) envelope = NULL;
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(JsonObject) summary = NULL;
	g_autofree gchar *json = NULL;
	g_autofree gchar *text = NULL;
	g_autofree gchar *digest_hex = NULL;

	suit_author_set_time(author, 1700000000);
	g_assert_true(
	    suit_author_add_key(author, fx->author, SUIT_COSE_ALGORITHM_NONE, NULL, &error));
	g_assert_no_error(error);
	json = g_strdup_printf(
	    "{\"manifest-version\": 1, \"manifest-sequence-number\": %" G_GUINT64_FORMAT ","
	    "\"components\": [{\"install-id\": [\"00\"],"
	    "\"install-digest\": {\"algorithm-id\": \"sha256\", \"digest-bytes\": "
	    "\"00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210\"},"
	    "\"install-size\": 34768, \"uri\": \"http://example.com/file.bin\","
	    "\"vendor-id\": \"%s\", \"class-id\": \"%s\"}]}",
	    sequence_number,
	    vendor_id,
	    class_id);
	envelope = suit_author_build_from_description_json(author, json, fx->dir, &error);
	g_assert_no_error(error);
	blob = suit_envelope_to_bytes(envelope, &error);
	g_assert_no_error(error);
	text = suit_firmware_server_add_envelope(fx->server, blob, &error);
	g_assert_no_error(error);
	summary = parse_object(text);
	digest_hex = suit_digest_to_hex(suit_envelope_get_manifest_digest(envelope));
	g_assert_cmpstr(json_object_get_string_member(summary, "id"), ==, digest_hex);
	return g_strdup(json_object_get_string_member(summary, "id"));
}

static gchar *
registration_json(const gchar *id,
		  const gchar *vendor_id,
		  const gchar *class_id,
		  const gchar *tag,
		  SuitKey *key)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) obj = json_object_new();
	g_autoptr(GBytes) pem = suit_key_export_public_pem(key, &error);
	g_autofree gchar *pem_text = NULL;
	JsonArray *tags = json_array_new();

	g_assert_no_error(error);
	pem_text = g_strndup(g_bytes_get_data(pem, NULL), g_bytes_get_size(pem));
	json_object_set_string_member(obj, "id", id);
	json_object_set_string_member(obj, "vendor_id", vendor_id);
	json_object_set_string_member(obj, "class_id", class_id);
	if (tag != NULL)
		json_array_add_string_element(tags, tag);
	json_object_set_array_member(obj, "tags", tags);
	json_object_set_string_member(obj, "public_key", pem_text);
	return object_to_string(obj);
}

/* registers a device with a new key; returns the registration answer */
static JsonObject *
add_device_full(Fixture *fx, const gchar *id, const gchar *class_id, const gchar *tag)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitKey) key = suit_key_generate(SUIT_KEY_TYPE_P256, &error);
	g_autofree gchar *json = NULL;
	g_autofree gchar *answer = NULL;
	JsonObject *obj;

	g_assert_no_error(error);
	json = registration_json(id, VENDOR_ID, class_id, tag, key);
	answer = suit_status_tracker_add_device(fx->tracker, json, &error);
	g_assert_no_error(error);
	obj = parse_object(answer);
	g_hash_table_insert(fx->device_keys, g_strdup(id), g_object_ref(key));
	g_hash_table_insert(fx->device_tokens,
			    g_strdup(id),
			    g_strdup(json_object_get_string_member(obj, "token")));
	return obj;
}

static void
add_device(Fixture *fx, const gchar *id, const gchar *tag)
{
	g_autoptr(JsonObject) obj = add_device_full(fx, id, CLASS_ID, tag);
}

static JsonObject *
get_device(Fixture *fx, const gchar *id)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *json = suit_status_tracker_get_device(fx->tracker, id, &error);
	g_assert_no_error(error);
	return parse_object(json);
}

static JsonObject *
get_campaign(Fixture *fx, const gchar *id)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *json = suit_status_tracker_get_campaign(fx->tracker, id, &error);
	g_assert_no_error(error);
	return parse_object(json);
}

static const gchar *
device_state(Fixture *fx, const gchar *id)
{
	g_autoptr(JsonObject) obj = get_device(fx, id);
	return g_intern_string(json_object_get_string_member(obj, "state"));
}

static const gchar *
campaign_state(Fixture *fx, const gchar *id)
{
	g_autoptr(JsonObject) obj = get_campaign(fx, id);
	return g_intern_string(json_object_get_string_member(obj, "state"));
}

static gint64
campaign_count(Fixture *fx, const gchar *id, const gchar *name)
{
	g_autoptr(JsonObject) obj = get_campaign(fx, id);
	return json_object_get_int_member(json_object_get_object_member(obj, "counts"), name);
}

/* a check-in; returns the offer or NULL */
static JsonObject *
check_in(Fixture *fx, const gchar *id)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *offer = NULL;
	g_assert_true(suit_status_tracker_check_in(fx->tracker,
						   id,
						   "{\"sequence_number\": 0, \"manifest\": null}",
						   &offer,
						   &error));
	g_assert_no_error(error);
	return offer != NULL ? parse_object(offer) : NULL;
}

static gchar *
create_campaign(Fixture *fx, const gchar *json)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *answer = suit_status_tracker_create_campaign(fx->tracker, json, &error);
	g_autoptr(JsonObject) obj = NULL;
	g_assert_no_error(error);
	obj = parse_object(answer);
	return g_strdup(json_object_get_string_member(obj, "id"));
}

static void
create_campaign_fails(Fixture *fx, const gchar *json, gint code, const gchar *needle)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *answer = suit_status_tracker_create_campaign(fx->tracker, json, &error);
	g_assert_null(answer);
	assert_error_contains(error, code, needle);
}

/* a signed report of @device_id about @manifest with @nonce */
static GBytes *
make_report(SuitKey *key, const gchar *manifest, const gchar *nonce, gboolean success)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitReport) report = suit_report_new();
	g_autoptr(GBytes) value = suit_test_bytes_from_hex(manifest);
	g_autoptr(SuitDigest) digest = suit_digest_new(SUIT_DIGEST_ALGORITHM_SHA256, value);
	GBytes *cose;

	suit_report_set_reference(report, "http://example.com/update.suit", digest);
	if (nonce != NULL) {
		g_autoptr(GBytes) nonce_bytes = suit_test_bytes_from_hex(nonce);
		suit_report_set_nonce(report, nonce_bytes);
	}
	if (success)
		suit_report_set_result_success(report);
	else
		suit_report_set_result_failure(report,
					       7,
					       NULL,
					       SUIT_REPORT_REASON_CONDITION_FAILED);
	cose = suit_report_sign(report, key, SUIT_COSE_ALGORITHM_NONE, NULL, &error);
	g_assert_no_error(error);
	return cose;
}

/* submits a report; returns the answer */
static JsonObject *
report(Fixture *fx, const gchar *id, const gchar *manifest, const gchar *nonce, gboolean success)
{
	g_autoptr(GError) error = NULL;
	SuitKey *key = g_hash_table_lookup(fx->device_keys, id);
	g_autoptr(GBytes) cose = make_report(key, manifest, nonce, success);
	g_autofree gchar *answer = suit_status_tracker_submit_report(fx->tracker, id, cose, &error);
	g_assert_no_error(error);
	return parse_object(answer);
}

static void
report_fails(Fixture *fx,
	     const gchar *id,
	     const gchar *manifest,
	     const gchar *nonce,
	     gint code,
	     const gchar *needle)
{
	g_autoptr(GError) error = NULL;
	SuitKey *key = g_hash_table_lookup(fx->device_keys, id);
	g_autoptr(GBytes) cose = make_report(key, manifest, nonce, TRUE);
	g_autofree gchar *answer = suit_status_tracker_submit_report(fx->tracker, id, cose, &error);
	g_assert_null(answer);
	assert_error_contains(error, code, needle);
}

typedef enum {
	OUTCOME_SUCCEED,
	OUTCOME_INSTALL_FAILS,
	OUTCOME_BOOT_FAILS,
	OUTCOME_FALL_BACK,
} Outcome;

/* a device that has an install offer goes through the whole update */
static void
run_update(Fixture *fx, const gchar *id, const gchar *old_manifest, Outcome outcome)
{
	g_autoptr(JsonObject) offer = check_in(fx, id);
	g_autoptr(JsonObject) answer = NULL;
	g_autoptr(JsonObject) confirm = NULL;
	g_autoptr(JsonObject) final = NULL;
	const gchar *manifest;
	g_autofree gchar *url = NULL;

	g_assert_nonnull(offer);
	g_assert_cmpstr(json_object_get_string_member(offer, "action"), ==, "install");
	manifest = json_object_get_string_member(offer, "manifest");
	url = g_strdup_printf("/device/v1/manifests/%s", manifest);
	g_assert_cmpstr(json_object_get_string_member(offer, "manifest_url"), ==, url);
	g_assert_cmpuint(strlen(json_object_get_string_member(offer, "nonce")), ==, 32);

	if (outcome == OUTCOME_INSTALL_FAILS) {
		answer =
		    report(fx, id, manifest, json_object_get_string_member(offer, "nonce"), FALSE);
		g_assert_cmpstr(json_object_get_string_member(answer, "state"), ==, "failed");
		g_assert_true(json_object_get_null_member(answer, "nonce"));
		return;
	}
	answer = report(fx, id, manifest, json_object_get_string_member(offer, "nonce"), TRUE);
	g_assert_cmpstr(json_object_get_string_member(answer, "state"), ==, "installed");
	g_assert_cmpstr(device_state(fx, id), ==, "installed");

	/* after the reboot */
	confirm = check_in(fx, id);
	g_assert_nonnull(confirm);
	g_assert_cmpstr(json_object_get_string_member(confirm, "action"), ==, "confirm");
	g_assert_cmpstr(json_object_get_string_member(confirm, "nonce"),
			==,
			json_object_get_string_member(answer, "nonce"));
	g_assert_cmpstr(json_object_get_string_member(confirm, "nonce"),
			!=,
			json_object_get_string_member(offer, "nonce"));
	final = report(fx,
		       id,
		       outcome == OUTCOME_FALL_BACK ? old_manifest : manifest,
		       json_object_get_string_member(confirm, "nonce"),
		       outcome != OUTCOME_BOOT_FAILS);
	g_assert_cmpstr(json_object_get_string_member(final, "state"),
			==,
			outcome == OUTCOME_SUCCEED     ? "succeeded"
			: outcome == OUTCOME_FALL_BACK ? "fell-back"
						       : "failed");
	g_assert_true(json_object_get_null_member(final, "nonce"));
}

/* the events as an array */
static JsonArray *
events(Fixture *fx, const gchar *device, const gchar *campaign, guint64 since, guint limit)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *json =
	    suit_status_tracker_list_events(fx->tracker, device, campaign, since, limit, &error);
	g_assert_no_error(error);
	return parse_array(json);
}

/* how many events of @type the log has for @device/@campaign */
static guint
count_events(Fixture *fx, const gchar *device, const gchar *campaign, const gchar *type)
{
	g_autoptr(JsonArray) array = events(fx, device, campaign, 0, 10000);
	guint n = 0;
	for (guint i = 0; i < json_array_get_length(array); i++) {
		JsonObject *event = json_array_get_object_element(array, i);
		if (g_strcmp0(json_object_get_string_member(event, "type"), type) == 0)
			n++;
	}
	return n;
}

/* the devices of a campaign that have an install offer now, sorted */
static GPtrArray *
offered_devices(Fixture *fx, const gchar *tag)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *json =
	    suit_status_tracker_list_devices(fx->tracker, tag, "offered", &error);
	g_autoptr(JsonArray) array = NULL;
	GPtrArray *ids = g_ptr_array_new_with_free_func(g_free);
	g_assert_no_error(error);
	array = parse_array(json);
	for (guint i = 0; i < json_array_get_length(array); i++) {
		JsonObject *obj = json_array_get_object_element(array, i);
		g_ptr_array_add(ids, g_strdup(json_object_get_string_member(obj, "id")));
	}
	return ids;
}

/* tokens ------------------------------------------------------------------- */

static gchar *
create_token(Fixture *fx, const gchar *role, const gchar *name, gchar **id)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *json = suit_status_tracker_create_token(fx->tracker, role, name, &error);
	g_autoptr(JsonObject) obj = NULL;
	g_autofree gchar *names = NULL;
	g_assert_no_error(error);
	obj = parse_object(json);
	names = member_names(obj);
	g_assert_cmpstr(names, ==, "id,name,role,token");
	g_assert_cmpstr(json_object_get_string_member(obj, "role"), ==, role);
	g_assert_cmpstr(json_object_get_string_member(obj, "name"), ==, name);
	g_assert_cmpuint(strlen(json_object_get_string_member(obj, "id")), ==, 16);
	g_assert_cmpuint(strlen(json_object_get_string_member(obj, "token")), ==, 64);
	if (id != NULL)
		*id = g_strdup(json_object_get_string_member(obj, "id"));
	return g_strdup(json_object_get_string_member(obj, "token"));
}

static void
assert_operator(Fixture *fx, const gchar *token, const gchar *role)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *got =
	    suit_status_tracker_authenticate_operator(fx->tracker, token, &error);
	if (role == NULL) {
		g_assert_null(got);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_PERMISSION_DENIED);
		return;
	}
	g_assert_no_error(error);
	g_assert_cmpstr(got, ==, role);
}

static void
test_tokens(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *admin_id = NULL;
	g_autofree gchar *admin = create_token(fx, "admin", "ops team", &admin_id);
	g_autofree gchar *operator= create_token(fx, "operator", "ci pipeline ✓", NULL);
	g_autofree gchar *viewer = create_token(fx, "viewer", "dashboard", NULL);
	g_autofree gchar *upper = g_ascii_strup(admin, -1);
	g_autofree gchar *longer = g_strconcat(admin, "0", NULL);
	g_autofree gchar *shorter = g_strndup(admin, 63);
	g_autofree gchar *list = NULL;
	g_autofree gchar *long_name = g_strnfill(65, 'n');
	g_autofree gchar *max_name = g_strnfill(64, 'n');
	g_autofree gchar *max_token = NULL;
	g_autoptr(JsonArray) array = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *bad_roles[] = {"root", "", "Admin", "device"};
	const gchar *bad_names[] = {"", "tab\there", "new\nline"};

	g_assert_cmpstr(admin, !=, operator);
	assert_operator(fx, admin, "admin");
	assert_operator(fx, operator, "operator");
	assert_operator(fx, viewer, "viewer");

	/* bad tokens */
	assert_operator(fx, NULL, NULL);
	assert_operator(fx, "", NULL);
	assert_operator(fx, upper, NULL);
	assert_operator(fx, longer, NULL);
	assert_operator(fx, shorter, NULL);
	assert_operator(fx,
			"0000000000000000000000000000000000000000000000000000000000000000",
			NULL);

	/* bad roles and names */
	for (guint i = 0; i < G_N_ELEMENTS(bad_roles); i++) {
		g_autofree gchar *json =
		    suit_status_tracker_create_token(fx->tracker, bad_roles[i], "x", &error);
		g_assert_null(json);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
		g_clear_error(&error);
	}
	for (guint i = 0; i < G_N_ELEMENTS(bad_names); i++) {
		g_autofree gchar *json =
		    suit_status_tracker_create_token(fx->tracker, "viewer", bad_names[i], &error);
		g_assert_null(json);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
		g_clear_error(&error);
	}
	{
		g_autofree gchar *json =
		    suit_status_tracker_create_token(fx->tracker, "viewer", long_name, &error);
		g_assert_null(json);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
		g_clear_error(&error);
	}
	max_token = create_token(fx, "viewer", max_name, NULL);

	/* the list shows neither tokens nor hashes */
	list = suit_status_tracker_list_tokens(fx->tracker, &error);
	g_assert_no_error(error);
	g_assert_null(strstr(list, admin));
	g_assert_null(strstr(list, "sha256"));
	array = parse_array(list);
	g_assert_cmpuint(json_array_get_length(array), ==, 4);
	for (guint i = 0; i < json_array_get_length(array); i++) {
		g_autofree gchar *names = member_names(json_array_get_object_element(array, i));
		g_assert_cmpstr(names, ==, "created,id,name,role");
	}

	/* revoking */
	g_assert_true(suit_status_tracker_revoke_token(fx->tracker, admin_id, &error));
	g_assert_no_error(error);
	assert_operator(fx, admin, NULL);
	assert_operator(fx, operator, "operator");
	g_assert_false(suit_status_tracker_revoke_token(fx->tracker, admin_id, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
	g_clear_error(&error);
	g_assert_false(suit_status_tracker_revoke_token(fx->tracker, "../../etc", &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);

	/* the audit log, which never holds a token */
	g_assert_cmpuint(count_events(fx, NULL, NULL, "token-created"), ==, 4);
	g_assert_cmpuint(count_events(fx, NULL, NULL, "token-revoked"), ==, 1);
	{
		g_autofree gchar *log =
		    suit_status_tracker_list_events(fx->tracker, NULL, NULL, 0, 0, &error);
		g_assert_no_error(error);
		g_assert_null(strstr(log, admin));
		g_assert_null(strstr(log, operator));
	}
}

/* devices ------------------------------------------------------------------ */

static void
add_device_fails(Fixture *fx, const gchar *json, gint code, const gchar *needle)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *answer = suit_status_tracker_add_device(fx->tracker, json, &error);
	g_assert_null(answer);
	assert_error_contains(error, code, needle);
}

/* a good registration with member @name replaced by @value (raw JSON), or
 * removed when @value is NULL */
static gchar *
registration_with(SuitKey *key, const gchar *name, const gchar *value)
{
	g_autofree gchar *good = registration_json("dev-1", VENDOR_ID, CLASS_ID, "lab", key);
	g_autoptr(JsonObject) obj = parse_object(good);
	if (value != NULL) {
		g_autoptr(JsonNode) node = parse(value);
		json_object_set_member(obj, name, g_steal_pointer(&node));
	} else {
		json_object_remove_member(obj, name);
	}
	return object_to_string(obj);
}

static void
test_devices(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitKey) key = suit_key_generate(SUIT_KEY_TYPE_ED25519, &error);
	g_autoptr(JsonObject) answer = NULL;
	g_autoptr(JsonObject) device = NULL;
	g_autoptr(GBytes) private_pem = NULL;
	g_autofree gchar *names = NULL;
	g_autofree gchar *json = NULL;
	g_autofree gchar *id = NULL;
	g_autofree gchar *list = NULL;
	g_autofree gchar *operator= create_token(fx, "operator", "ops", NULL);
	g_autoptr(JsonArray) array = NULL;
	g_autoptr(GString) many_tags = g_string_new("[");
	g_autofree gchar *long_id = g_strnfill(129, 'a');
	g_autofree gchar *long_id_json = g_strdup_printf("\"%s\"", long_id);
	g_autofree gchar *long_tag_json = NULL;
	g_autofree gchar *deep = NULL;
	const gchar *token;

	g_assert_no_error(error);

	/* a good registration: the answer has the credential and the document */
	json = registration_json("dev-1", VENDOR_ID, CLASS_ID, "lab", key);
	{
		g_autofree gchar *text = suit_status_tracker_add_device(fx->tracker, json, &error);
		g_assert_no_error(error);
		answer = parse_object(text);
	}
	g_hash_table_insert(fx->device_keys, g_strdup("dev-1"), g_object_ref(key));
	names = member_names(answer);
	g_assert_cmpstr(
	    names,
	    ==,
	    "campaign,class_id,created,history,id,installed_manifest,last_seen,public_key,"
	    "sequence_number,state,tags,token,vendor_id");
	token = json_object_get_string_member(answer, "token");
	g_assert_cmpuint(strlen(token), ==, 64);
	g_assert_cmpstr(json_object_get_string_member(answer, "state"), ==, "registered");
	g_assert_true(g_str_has_prefix(json_object_get_string_member(answer, "public_key"),
				       "-----BEGIN PUBLIC KEY-----"));

	/* the device document never shows the credential */
	device = get_device(fx, "dev-1");
	g_clear_pointer(&names, g_free);
	names = member_names(device);
	g_assert_cmpstr(
	    names,
	    ==,
	    "campaign,class_id,created,history,id,installed_manifest,last_seen,public_key,"
	    "sequence_number,state,tags,vendor_id");
	g_assert_cmpstr(json_object_get_string_member(device, "vendor_id"), ==, VENDOR_ID);
	g_assert_cmpstr(json_object_get_string_member(device, "class_id"), ==, CLASS_ID);
	g_assert_cmpstr(
	    json_array_get_string_element(json_object_get_array_member(device, "tags"), 0),
	    ==,
	    "lab");
	g_assert_true(json_object_get_null_member(device, "installed_manifest"));
	g_assert_true(json_object_get_null_member(device, "sequence_number"));
	g_assert_true(json_object_get_null_member(device, "last_seen"));
	g_assert_true(json_object_get_null_member(device, "campaign"));
	g_assert_cmpstr(json_object_get_string_member(device, "created"),
			==,
			"2027-01-15T08:00:00Z");
	g_assert_cmpuint(json_array_get_length(json_object_get_array_member(device, "history")),
			 ==,
			 0);

	/* authentication */
	id = suit_status_tracker_authenticate_device(fx->tracker, token, &error);
	g_assert_no_error(error);
	g_assert_cmpstr(id, ==, "dev-1");
	{
		g_autofree gchar *role =
		    suit_status_tracker_authenticate_operator(fx->tracker, token, &error);
		g_assert_null(role);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_PERMISSION_DENIED);
		g_clear_error(&error);
	}
	{
		const gchar *bad[] =
		    {operator,
		     "",
		     "xyz",
		     "0000000000000000000000000000000000000000000000000000000000000000"};
		for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
			g_autofree gchar *got =
			    suit_status_tracker_authenticate_device(fx->tracker, bad[i], &error);
			g_assert_null(got);
			g_assert_error(error, SUIT_ERROR, SUIT_ERROR_PERMISSION_DENIED);
			g_clear_error(&error);
		}
		g_assert_null(suit_status_tracker_authenticate_device(fx->tracker, NULL, &error));
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_PERMISSION_DENIED);
		g_clear_error(&error);
	}

	/* the same id again */
	add_device_fails(fx, json, SUIT_ERROR_CONFLICT, "exists");

	/* bad bodies */
	add_device_fails(fx, "not json", SUIT_ERROR_INVALID_ARGUMENT, "JSON");
	/* json-glib alone would take this as one object and leak the other */
	add_device_fails(fx, "{} {}", SUIT_ERROR_INVALID_ARGUMENT, "top-level");
	add_device_fails(fx, "[1, 2]", SUIT_ERROR_INVALID_ARGUMENT, "object");
	add_device_fails(fx, "\"dev\"", SUIT_ERROR_INVALID_ARGUMENT, "object");
	add_device_fails(fx, "", SUIT_ERROR_INVALID_ARGUMENT, NULL);
	deep = g_strnfill(10000, '[');
	add_device_fails(fx, deep, SUIT_ERROR_INVALID_ARGUMENT, "nested");
	{
		g_autofree gchar *huge = g_strnfill(70000, ' ');
		huge[0] = '{';
		huge[69998] = '}';
		add_device_fails(fx, huge, SUIT_ERROR_LIMIT_EXCEEDED, NULL);
	}

	/* each bad field */
	for (guint i = 0; i <= SUIT_TRACKER_TEST_MAX_TAGS; i++)
		g_string_append_printf(many_tags, "%s\"t%u\"", i > 0 ? "," : "", i);
	g_string_append_c(many_tags, ']');
	{
		g_autofree gchar *tag = g_strnfill(65, 't');
		long_tag_json = g_strdup_printf("[\"%s\"]", tag);
	}
	{
		struct {
			const gchar *name;
			const gchar *value;
			const gchar *needle;
		} cases[] = {
		    {"id", NULL, "id"},
		    {"id", "42", "id"},
		    {"id", "\"\"", "device id"},
		    {"id", "\"has space\"", "device id"},
		    {"id", "\"a/b\"", "device id"},
		    {"id", "\".hidden\"", "'.'"},
		    {"id", long_id_json, "device id"},
		    {"vendor_id", NULL, "vendor_id"},
		    {"vendor_id", "\"FA6B4A53-D5AD-5FDF-BE9D-E663E4D41FFE\"", "vendor_id"},
		    {"vendor_id", "\"fa6b4a53d5ad5fdfbe9de663e4d41ffe\"", "vendor_id"},
		    {"vendor_id", "null", "vendor_id"},
		    {"class_id", "\"1492af14-2569-5e48-bf42-9b2d51f2ab4\"", "class_id"},
		    {"class_id", "[]", "class_id"},
		    {"tags", "\"lab\"", "tags"},
		    {"tags", "[1]", "tags"},
		    {"tags", "[\"with space\"]", "tag"},
		    {"tags", "[\"\"]", "tag"},
		    {"tags", long_tag_json, "tag"},
		    {"tags", many_tags->str, "tags"},
		    {"public_key", NULL, "public_key"},
		    {"public_key", "\"not a key\"", "public_key"},
		    {"public_key", "17", "public_key"},
		    {"extra", "true", "extra"},
		};
		for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
			g_autofree gchar *body =
			    registration_with(key, cases[i].name, cases[i].value);
			add_device_fails(fx, body, SUIT_ERROR_INVALID_ARGUMENT, cases[i].needle);
		}
	}
	/* a private key is refused: only the public key may leave the device */
	private_pem = suit_key_export_private_pem(key, &error);
	g_assert_no_error(error);
	{
		g_autoptr(JsonObject) obj = parse_object(json);
		g_autofree gchar *pem =
		    g_strndup(g_bytes_get_data(private_pem, NULL), g_bytes_get_size(private_pem));
		g_autofree gchar *body = NULL;
		json_object_set_string_member(obj, "id", "dev-private");
		json_object_set_string_member(obj, "public_key", pem);
		body = object_to_string(obj);
		add_device_fails(fx, body, SUIT_ERROR_INVALID_ARGUMENT, "private key");
	}
	/* nothing of that was stored */
	list = suit_status_tracker_list_devices(fx->tracker, NULL, NULL, &error);
	g_assert_no_error(error);
	array = parse_array(list);
	g_assert_cmpuint(json_array_get_length(array), ==, 1);
	g_assert_null(strstr(list, "token"));

	/* listing by tag and state */
	add_device(fx, "dev-2", "lab");
	add_device(fx, "dev-3", "field");
	{
		struct {
			const gchar *tag;
			const gchar *state;
			const gchar *expected;
		} cases[] = {
		    {NULL, NULL, "dev-1,dev-2,dev-3"},
		    {"lab", NULL, "dev-1,dev-2"},
		    {"field", NULL, "dev-3"},
		    {"none", NULL, ""},
		    {NULL, "registered", "dev-1,dev-2,dev-3"},
		    {"lab", "registered", "dev-1,dev-2"},
		    {NULL, "idle", ""},
		};
		for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
			g_autofree gchar *text = suit_status_tracker_list_devices(fx->tracker,
										  cases[i].tag,
										  cases[i].state,
										  &error);
			g_autoptr(JsonArray) got = NULL;
			g_autoptr(GString) ids = g_string_new(NULL);
			g_assert_no_error(error);
			got = parse_array(text);
			for (guint j = 0; j < json_array_get_length(got); j++) {
				JsonObject *obj = json_array_get_object_element(got, j);
				g_string_append_printf(ids,
						       "%s%s",
						       j > 0 ? "," : "",
						       json_object_get_string_member(obj, "id"));
			}
			g_assert_cmpstr(ids->str, ==, cases[i].expected);
		}
	}
	{
		g_autofree gchar *text =
		    suit_status_tracker_list_devices(fx->tracker, NULL, "sleeping", &error);
		g_assert_null(text);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
		g_clear_error(&error);
		text = suit_status_tracker_list_devices(fx->tracker, "bad tag", NULL, &error);
		g_assert_null(text);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
		g_clear_error(&error);
	}
	{
		g_autofree gchar *text =
		    suit_status_tracker_get_device(fx->tracker, "nobody", &error);
		g_assert_null(text);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
		g_clear_error(&error);
		text = suit_status_tracker_get_device(fx->tracker, "../etc/passwd", &error);
		g_assert_null(text);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
		g_clear_error(&error);
	}
	g_assert_cmpuint(count_events(fx, "dev-1", NULL, "device-registered"), ==, 1);
	g_assert_cmpuint(count_events(fx, NULL, NULL, "device-registered"), ==, 3);
}

/* check-in ----------------------------------------------------------------- */

static void
check_in_fails(Fixture *fx, const gchar *id, const gchar *json, gint code)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *offer = NULL;
	g_assert_false(suit_status_tracker_check_in(fx->tracker, id, json, &offer, &error));
	g_assert_error(error, SUIT_ERROR, code);
	g_assert_null(offer);
}

static const gchar *
last_seen(Fixture *fx, const gchar *id)
{
	g_autoptr(JsonObject) device = get_device(fx, id);
	JsonNode *node = json_object_get_member(device, "last_seen");
	if (JSON_NODE_HOLDS_NULL(node))
		return NULL;
	return g_intern_string(json_node_get_string(node));
}

static void
test_check_in(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) device = NULL;
	g_autofree gchar *offer = NULL;
	g_autofree gchar *manifest = g_strnfill(64, 'a');
	g_autofree gchar *body =
	    g_strdup_printf("{\"sequence_number\": 3, \"manifest\": \"%s\", \"uptime\": 5}",
			    manifest);

	add_device(fx, "dev-1", "lab");

	/* nothing to do */
	g_assert_true(suit_status_tracker_check_in(fx->tracker, "dev-1", body, &offer, &error));
	g_assert_no_error(error);
	g_assert_null(offer);
	device = get_device(fx, "dev-1");
	g_assert_cmpstr(json_object_get_string_member(device, "state"), ==, "idle");
	g_assert_cmpint(json_object_get_int_member(device, "sequence_number"), ==, 3);
	g_assert_cmpstr(json_object_get_string_member(device, "installed_manifest"), ==, manifest);
	g_assert_cmpstr(last_seen(fx, "dev-1"), ==, "2027-01-15T08:00:00Z");

	/* within a minute, an unchanged check-in writes nothing */
	suit_status_tracker_set_fake_time(fx->tracker, 1800000030);
	g_assert_true(suit_status_tracker_check_in(fx->tracker, "dev-1", body, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(last_seen(fx, "dev-1"), ==, "2027-01-15T08:00:00Z");
	/* null leaves the recorded values alone */
	g_assert_true(
	    suit_status_tracker_check_in(fx->tracker,
					 "dev-1",
					 "{\"sequence_number\": null, \"manifest\": null}",
					 NULL,
					 &error));
	g_assert_no_error(error);
	g_assert_cmpstr(last_seen(fx, "dev-1"), ==, "2027-01-15T08:00:00Z");
	/* a change is written at once */
	g_assert_true(suit_status_tracker_check_in(fx->tracker,
						   "dev-1",
						   "{\"sequence_number\": 4, \"manifest\": null}",
						   NULL,
						   &error));
	g_assert_no_error(error);
	g_assert_cmpstr(last_seen(fx, "dev-1"), ==, "2027-01-15T08:00:30Z");
	g_clear_pointer(&device, json_object_unref);
	device = get_device(fx, "dev-1");
	g_assert_cmpint(json_object_get_int_member(device, "sequence_number"), ==, 4);
	g_assert_cmpstr(json_object_get_string_member(device, "installed_manifest"), ==, manifest);
	/* and after a minute, last_seen is refreshed */
	suit_status_tracker_set_fake_time(fx->tracker, 1800000089);
	g_assert_true(suit_status_tracker_check_in(fx->tracker, "dev-1", "{}", NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(last_seen(fx, "dev-1"), ==, "2027-01-15T08:00:30Z");
	suit_status_tracker_set_fake_time(fx->tracker, 1800000090);
	g_assert_true(suit_status_tracker_check_in(fx->tracker, "dev-1", "{}", NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpstr(last_seen(fx, "dev-1"), ==, "2027-01-15T08:01:30Z");

	/* bad check-ins */
	check_in_fails(fx, "dev-1", "{\"sequence_number\": -1}", SUIT_ERROR_INVALID_ARGUMENT);
	check_in_fails(fx, "dev-1", "{\"sequence_number\": \"3\"}", SUIT_ERROR_INVALID_ARGUMENT);
	check_in_fails(fx, "dev-1", "{\"sequence_number\": 1.5}", SUIT_ERROR_INVALID_ARGUMENT);
	check_in_fails(fx, "dev-1", "{\"manifest\": \"abc\"}", SUIT_ERROR_INVALID_ARGUMENT);
	check_in_fails(fx, "dev-1", "{\"manifest\": 7}", SUIT_ERROR_INVALID_ARGUMENT);
	check_in_fails(fx, "dev-1", "[]", SUIT_ERROR_INVALID_ARGUMENT);
	check_in_fails(fx, "dev-1", "{", SUIT_ERROR_INVALID_ARGUMENT);
	check_in_fails(fx, "dev-1", "{} {}", SUIT_ERROR_INVALID_ARGUMENT);
	check_in_fails(fx, "dev-1", "{\"sequence_number\": 1}x", SUIT_ERROR_INVALID_ARGUMENT);
	check_in_fails(fx, "dev-1", "{\"sequence_number\": 1,}", SUIT_ERROR_INVALID_ARGUMENT);
	check_in_fails(fx, "dev-1", "{\"sequence_number\": 1e3}", SUIT_ERROR_INVALID_ARGUMENT);
	check_in_fails(fx, "dev-1", "{\"sequence_number\": nul}", SUIT_ERROR_INVALID_ARGUMENT);
	check_in_fails(fx,
		       "dev-1",
		       "{\"sequence_number\": 123456789012345678901234}",
		       SUIT_ERROR_INVALID_ARGUMENT);
	{
		g_autofree gchar *id_upper = g_ascii_strup(manifest, -1);
		g_autofree gchar *upper = g_strdup_printf("{\"manifest\": \"%s\"}", id_upper);
		g_autofree gchar *longer = g_strdup_printf("{\"manifest\": \"%s0\"}", manifest);
		check_in_fails(fx, "dev-1", upper, SUIT_ERROR_INVALID_ARGUMENT);
		check_in_fails(fx, "dev-1", longer, SUIT_ERROR_INVALID_ARGUMENT);
	}
	/* members in any order and spacing, and null */
	{
		g_autofree gchar *other = g_strnfill(64, 'b');
		g_autofree gchar *spaced =
		    g_strdup_printf(" {\n\t\"manifest\" : \"%s\" ,\"sequence_number\":17 } ", other);
		g_autoptr(JsonObject) after = NULL;
		g_assert_true(suit_status_tracker_check_in(fx->tracker, "dev-1", spaced, NULL, &error));
		g_assert_no_error(error);
		g_assert_true(suit_status_tracker_check_in(fx->tracker,
							   "dev-1",
							   "{\"manifest\":null,\"sequence_number\":null}",
							   NULL,
							   &error));
		g_assert_no_error(error);
		after = get_device(fx, "dev-1");
		g_assert_cmpint(json_object_get_int_member(after, "sequence_number"), ==, 17);
		g_assert_cmpstr(json_object_get_string_member(after, "installed_manifest"), ==, other);
	}
	check_in_fails(fx, "nobody", "{}", SUIT_ERROR_NOT_FOUND);
	check_in_fails(fx, "no/body", "{}", SUIT_ERROR_INVALID_ARGUMENT);

	/* a check-in with nothing to offer is no event */
	g_assert_cmpuint(count_events(fx, "dev-1", NULL, "check-in-offer"), ==, 0);
}

/* campaigns ---------------------------------------------------------------- */

static void
test_campaign_waves(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *old = add_manifest(fx, 1, VENDOR_ID, CLASS_ID);
	g_autofree gchar *manifest = add_manifest(fx, 2, VENDOR_ID, CLASS_ID);
	g_autofree gchar *body = NULL;
	g_autofree gchar *id = NULL;
	g_autoptr(JsonObject) campaign = NULL;
	g_autoptr(JsonArray) log = NULL;
	g_autofree gchar *names = NULL;
	gint64 wave_sizes[3] = {1, 4, 5};
	guint updated = 0;

	for (guint i = 0; i < 10; i++) {
		g_autofree gchar *dev = g_strdup_printf("dev-%02u", i);
		add_device(fx, dev, "lab");
	}
	/* another class and another tag are not targets */
	{
		g_autoptr(JsonObject) obj = add_device_full(fx, "other-class", OTHER_ID, "lab");
	}
	add_device(fx, "other-tag", "field");

	body =
	    g_strdup_printf("{\"manifest\": \"%s\", \"tags\": [\"lab\"], \"waves\": [10, 50, 100],"
			    "\"max_failure_ratio\": 0.5}",
			    manifest);
	id = create_campaign(fx, body);
	g_assert_true(g_str_has_prefix(id, "c-"));
	g_assert_cmpuint(strlen(id), ==, 18);
	campaign = get_campaign(fx, id);
	names = member_names(campaign);
	g_assert_cmpstr(names,
			==,
			"counts,created,current_wave,devices,halt_reason,id,manifest,max_failure_"
			"ratio,state,tags,"
			"updated,waves");
	g_assert_cmpstr(json_object_get_string_member(campaign, "state"), ==, "running");
	g_assert_cmpstr(json_object_get_string_member(campaign, "manifest"), ==, manifest);
	g_assert_cmpint(json_object_get_int_member(campaign, "current_wave"), ==, 0);
	g_assert_true(json_object_get_null_member(campaign, "devices"));
	g_assert_true(json_object_get_null_member(campaign, "halt_reason"));
	g_assert_cmpint(campaign_count(fx, id, "total"), ==, 10);
	g_assert_cmpint(campaign_count(fx, id, "offered"), ==, 1);
	g_assert_cmpint(campaign_count(fx, id, "waiting"), ==, 9);

	/* devices outside the campaign and of later waves have nothing to do */
	{
		g_autoptr(JsonObject) offer = check_in(fx, "other-class");
		g_assert_null(offer);
	}
	{
		g_autoptr(JsonObject) device = get_device(fx, "dev-00");
		g_autoptr(JsonObject) other = get_device(fx, "other-class");
		g_assert_true(json_object_get_null_member(other, "campaign"));
		(void)device;
	}

	for (guint wave = 0; wave < 3; wave++) {
		g_autoptr(GPtrArray) offered = offered_devices(fx, "lab");
		g_autoptr(JsonObject) obj = get_campaign(fx, id);
		g_assert_cmpint(json_object_get_int_member(obj, "current_wave"), ==, wave);
		g_assert_cmpstr(json_object_get_string_member(obj, "state"), ==, "running");
		g_assert_cmpuint(offered->len, ==, wave_sizes[wave]);
		/* waiting devices get nothing yet */
		for (guint i = 0; i < 10; i++) {
			g_autofree gchar *dev = g_strdup_printf("dev-%02u", i);
			g_autoptr(JsonObject) device = get_device(fx, dev);
			if (g_strcmp0(json_object_get_string_member(device, "state"),
				      "registered") == 0 ||
			    g_strcmp0(json_object_get_string_member(device, "state"), "idle") ==
				0) {
				g_autoptr(JsonObject) offer = check_in(fx, dev);
				g_assert_null(offer);
				g_assert_cmpstr(json_object_get_string_member(device, "campaign"),
						==,
						id);
			}
		}
		for (guint i = 0; i < offered->len; i++) {
			const gchar *dev = g_ptr_array_index(offered, i);
			/* a check-in twice gives one offer event */
			g_autoptr(JsonObject) first = check_in(fx, dev);
			g_assert_nonnull(first);
			g_assert_cmpstr(json_object_get_string_member(first, "campaign"), ==, id);
			run_update(fx, dev, old, OUTCOME_SUCCEED);
			g_assert_cmpuint(count_events(fx, dev, id, "check-in-offer"), ==, 2);
			updated++;
		}
	}
	g_assert_cmpuint(updated, ==, 10);
	g_assert_cmpstr(campaign_state(fx, id), ==, "completed");
	g_assert_cmpint(campaign_count(fx, id, "succeeded"), ==, 10);
	g_assert_cmpint(campaign_count(fx, id, "offered"), ==, 0);
	g_assert_cmpint(campaign_count(fx, id, "waiting"), ==, 0);
	g_assert_cmpuint(count_events(fx, NULL, id, "wave-started"), ==, 3);
	g_assert_cmpuint(count_events(fx, NULL, id, "campaign-completed"), ==, 1);
	g_assert_cmpuint(count_events(fx, NULL, id, "device-succeeded"), ==, 10);
	g_assert_cmpuint(count_events(fx, NULL, id, "device-installed"), ==, 10);
	g_assert_cmpuint(count_events(fx, NULL, id, "report-accepted"), ==, 20);

	/* the devices run the new manifest now */
	{
		g_autoptr(JsonObject) device = get_device(fx, "dev-03");
		JsonArray *history = json_object_get_array_member(device, "history");
		JsonObject *entry;
		g_assert_cmpstr(json_object_get_string_member(device, "state"), ==, "succeeded");
		g_assert_cmpstr(json_object_get_string_member(device, "installed_manifest"),
				==,
				manifest);
		g_assert_cmpint(json_object_get_int_member(device, "sequence_number"), ==, 2);
		g_assert_true(json_object_get_null_member(device, "campaign"));
		g_assert_cmpuint(json_array_get_length(history), ==, 1);
		entry = json_array_get_object_element(history, 0);
		g_assert_cmpstr(json_object_get_string_member(entry, "campaign"), ==, id);
		g_assert_cmpstr(json_object_get_string_member(entry, "manifest"), ==, manifest);
		g_assert_cmpstr(json_object_get_string_member(entry, "result"), ==, "succeeded");
		g_assert_nonnull(json_object_get_string_member(entry, "time"));
	}
	{
		g_autoptr(JsonObject) offer = check_in(fx, "dev-03");
		g_assert_null(offer);
	}

	/* the wave events in order, with their sizes */
	log = events(fx, NULL, id, 0, 0);
	{
		guint wave = 0;
		for (guint i = 0; i < json_array_get_length(log); i++) {
			JsonObject *event = json_array_get_object_element(log, i);
			JsonObject *details = json_object_get_object_member(event, "details");
			if (g_strcmp0(json_object_get_string_member(event, "type"),
				      "wave-started") != 0)
				continue;
			g_assert_cmpint(json_object_get_int_member(details, "wave"), ==, wave);
			g_assert_cmpint(json_object_get_int_member(details, "devices"),
					==,
					wave_sizes[wave]);
			g_assert_cmpstr(json_object_get_string_member(event, "manifest"),
					==,
					manifest);
			wave++;
		}
		g_assert_cmpuint(wave, ==, 3);
		g_assert_cmpstr(
		    json_object_get_string_member(json_array_get_object_element(log, 0), "type"),
		    ==,
		    "campaign-created");
	}

	if (g_test_verbose()) {
		g_autofree gchar *c = suit_status_tracker_get_campaign(fx->tracker, id, NULL);
		g_autofree gchar *d = suit_status_tracker_get_device(fx->tracker, "dev-03", NULL);
		g_autofree gchar *e = suit_status_tracker_list_events(fx->tracker, "dev-03", NULL, 0, 0, NULL);
		g_test_message("campaign: %s", c);
		g_test_message("device: %s", d);
		g_test_message("events: %s", e);
	}

	/* a new campaign for the same manifest finds every device up to date */
	{
		g_autofree gchar *again = create_campaign(fx, body);
		g_assert_cmpstr(campaign_state(fx, again), ==, "completed");
		g_assert_cmpint(campaign_count(fx, again, "total"), ==, 0);
		g_assert_cmpuint(count_events(fx, NULL, again, "wave-started"), ==, 0);
	}
}

static gint
compare_strings(gconstpointer a, gconstpointer b)
{
	return g_strcmp0(*(const gchar *const *)a, *(const gchar *const *)b);
}

/* the same devices always land in the same waves, in a spread order */
static void
test_campaign_order(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *manifest = add_manifest(fx, 2, VENDOR_ID, CLASS_ID);
	g_autofree gchar *body = NULL;
	g_autofree gchar *id = NULL;
	g_autoptr(GPtrArray) offered = NULL;
	g_autoptr(GPtrArray) sorted = g_ptr_array_new_with_free_func(g_free);

	for (guint i = 0; i < 20; i++) {
		g_autofree gchar *dev = g_strdup_printf("dev-%02u", i);
		add_device(fx, dev, "lab");
	}
	/* waves: ceil(20 * 1%) = 1, ceil(20 * 12.5%) = 3, then 20 */
	body = g_strdup_printf(
	    "{\"manifest\": \"%s\", \"tags\": [\"lab\", \"lab\"], \"waves\": [1, 12.5, 100]}",
	    manifest);
	id = create_campaign(fx, body);
	offered = offered_devices(fx, "lab");
	g_assert_cmpuint(offered->len, ==, 1);

	/* the first of the SHA-256 order of campaign id + device id */
	for (guint i = 0; i < 20; i++) {
		g_autofree gchar *dev = g_strdup_printf("dev-%02u", i);
		g_autofree gchar *input = g_strconcat(id, dev, NULL);
		g_autofree gchar *hash =
		    g_compute_checksum_for_string(G_CHECKSUM_SHA256, input, -1);
		g_ptr_array_add(sorted, g_strdup_printf("%s %s", hash, dev));
	}
	g_ptr_array_sort(sorted, compare_strings);
	g_assert_cmpstr(strchr(g_ptr_array_index(sorted, 0), ' ') + 1,
			==,
			g_ptr_array_index(offered, 0));
	{
		g_autoptr(JsonObject) campaign = get_campaign(fx, id);
		JsonArray *waves = json_object_get_array_member(campaign, "waves");
		g_assert_cmpint(json_array_get_int_element(waves, 0), ==, 1);
		g_assert_cmpfloat(json_array_get_double_element(waves, 1), ==, 12.5);
		g_assert_cmpint(json_array_get_int_element(waves, 2), ==, 100);
		g_assert_cmpfloat(json_object_get_double_member(campaign, "max_failure_ratio"),
				  ==,
				  0.1);
		g_assert_cmpuint(
		    json_array_get_length(json_object_get_array_member(campaign, "tags")),
		    ==,
		    1);
	}
	run_update(fx, g_ptr_array_index(offered, 0), NULL, OUTCOME_SUCCEED);
	g_clear_pointer(&offered, g_ptr_array_unref);
	offered = offered_devices(fx, "lab");
	g_assert_cmpuint(offered->len, ==, 2);
	for (guint i = 0; i < offered->len; i++) {
		gboolean found = FALSE;
		for (guint j = 1; j < 3; j++)
			found |= g_strcmp0(strchr(g_ptr_array_index(sorted, j), ' ') + 1,
					   g_ptr_array_index(offered, i)) == 0;
		g_assert_true(found);
	}
}

static void
test_campaign_validation(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *manifest = add_manifest(fx, 2, VENDOR_ID, CLASS_ID);
	g_autofree gchar *other_class = add_manifest(fx, 3, VENDOR_ID, OTHER_ID);
	g_autofree gchar *unknown = g_strnfill(64, 'e');
	g_autofree gchar *id = NULL;
	g_autoptr(GError) error = NULL;
	struct {
		const gchar *fmt; /* %s: the manifest */
		gint code;
		const gchar *needle;
	} cases[] = {
	    {"[\"%s\"]", SUIT_ERROR_INVALID_ARGUMENT, "object"},
	    {"{\"manifest\": \"%s\"}", SUIT_ERROR_INVALID_ARGUMENT, "exactly one"},
	    {"{\"manifest\": \"%s\", \"tags\": [\"lab\"], \"devices\": [\"dev-1\"]}",
	     SUIT_ERROR_INVALID_ARGUMENT,
	     "exactly one"},
	    {"{\"manifest\": \"%s\", \"tags\": []}", SUIT_ERROR_INVALID_ARGUMENT, "empty"},
	    {"{\"manifest\": \"%s\", \"tags\": \"lab\"}", SUIT_ERROR_INVALID_ARGUMENT, "tags"},
	    {"{\"manifest\": \"%s\", \"tags\": [\"a b\"]}", SUIT_ERROR_INVALID_ARGUMENT, "tag"},
	    {"{\"manifest\": \"%s\", \"devices\": []}", SUIT_ERROR_INVALID_ARGUMENT, "empty"},
	    {"{\"manifest\": \"%s\", \"devices\": [1]}", SUIT_ERROR_INVALID_ARGUMENT, "devices"},
	    {"{\"manifest\": \"%s\", \"devices\": [\"../x\"]}",
	     SUIT_ERROR_INVALID_ARGUMENT,
	     "device id"},
	    {"{\"manifest\": \"%s\", \"tags\": [\"lab\"], \"waves\": []}",
	     SUIT_ERROR_INVALID_ARGUMENT,
	     "waves"},
	    {"{\"manifest\": \"%s\", \"tags\": [\"lab\"], \"waves\": [50]}",
	     SUIT_ERROR_INVALID_ARGUMENT,
	     "100"},
	    {"{\"manifest\": \"%s\", \"tags\": [\"lab\"], \"waves\": [0, 100]}",
	     SUIT_ERROR_INVALID_ARGUMENT,
	     "waves"},
	    {"{\"manifest\": \"%s\", \"tags\": [\"lab\"], \"waves\": [-5, 100]}",
	     SUIT_ERROR_INVALID_ARGUMENT,
	     "waves"},
	    {"{\"manifest\": \"%s\", \"tags\": [\"lab\"], \"waves\": [50, 50, 100]}",
	     SUIT_ERROR_INVALID_ARGUMENT,
	     "increasing"},
	    {"{\"manifest\": \"%s\", \"tags\": [\"lab\"], \"waves\": [60, 20, 100]}",
	     SUIT_ERROR_INVALID_ARGUMENT,
	     "increasing"},
	    {"{\"manifest\": \"%s\", \"tags\": [\"lab\"], \"waves\": [50, 101]}",
	     SUIT_ERROR_INVALID_ARGUMENT,
	     "waves"},
	    {"{\"manifest\": \"%s\", \"tags\": [\"lab\"], \"waves\": [\"100\"]}",
	     SUIT_ERROR_INVALID_ARGUMENT,
	     "waves"},
	    {"{\"manifest\": \"%s\", \"tags\": [\"lab\"], \"waves\": 100}",
	     SUIT_ERROR_INVALID_ARGUMENT,
	     "waves"},
	    {"{\"manifest\": \"%s\", \"tags\": [\"lab\"], \"max_failure_ratio\": 1.5}",
	     SUIT_ERROR_INVALID_ARGUMENT,
	     "max_failure_ratio"},
	    {"{\"manifest\": \"%s\", \"tags\": [\"lab\"], \"max_failure_ratio\": -0.1}",
	     SUIT_ERROR_INVALID_ARGUMENT,
	     "max_failure_ratio"},
	    {"{\"manifest\": \"%s\", \"tags\": [\"lab\"], \"max_failure_ratio\": \"0.1\"}",
	     SUIT_ERROR_INVALID_ARGUMENT,
	     "max_failure_ratio"},
	    {"{\"manifest\": \"%s\", \"tags\": [\"lab\"], \"name\": \"x\"}",
	     SUIT_ERROR_INVALID_ARGUMENT,
	     "name"},
	    {"{\"manifest\": \"%s\", \"devices\": [\"dev-1\", \"ghost\"]}",
	     SUIT_ERROR_NOT_FOUND,
	     "ghost"},
	};

	add_device(fx, "dev-1", "lab");
	add_device(fx, "dev-2", "lab");
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GString) body = g_string_new(cases[i].fmt);
		g_string_replace(body, "%s", manifest, 1);
		create_campaign_fails(fx, body->str, cases[i].code, cases[i].needle);
	}
	create_campaign_fails(fx, "{\"tags\": [\"lab\"]}", SUIT_ERROR_INVALID_ARGUMENT, "manifest");
	create_campaign_fails(fx,
			      "{\"manifest\": \"ABC\", \"tags\": [\"lab\"]}",
			      SUIT_ERROR_INVALID_ARGUMENT,
			      "manifest");
	{
		g_autofree gchar *body =
		    g_strdup_printf("{\"manifest\": \"%s\", \"tags\": [\"lab\"]}", unknown);
		create_campaign_fails(fx, body, SUIT_ERROR_NOT_FOUND, unknown);
	}
	/* a listed device of another class */
	{
		g_autofree gchar *body =
		    g_strdup_printf("{\"manifest\": \"%s\", \"devices\": [\"dev-1\"]}",
				    other_class);
		create_campaign_fails(fx, body, SUIT_ERROR_INVALID_ARGUMENT, "does not match");
	}
	/* ... while by tag, it is simply not a target */
	{
		g_autofree gchar *body =
		    g_strdup_printf("{\"manifest\": \"%s\", \"tags\": [\"lab\"]}", other_class);
		g_autofree gchar *none = create_campaign(fx, body);
		g_assert_cmpstr(campaign_state(fx, none), ==, "completed");
		g_assert_cmpuint(count_events(fx, NULL, none, "campaign-completed"), ==, 1);
	}
	/* nothing of the refused campaigns was stored */
	{
		g_autofree gchar *list = suit_status_tracker_list_campaigns(fx->tracker, &error);
		g_autoptr(JsonArray) array = NULL;
		g_assert_no_error(error);
		array = parse_array(list);
		g_assert_cmpuint(json_array_get_length(array), ==, 1);
		g_assert_cmpstr(device_state(fx, "dev-1"), ==, "registered");
	}

	/* a listed device in a running campaign cannot join another */
	{
		g_autofree gchar *body =
		    g_strdup_printf("{\"manifest\": \"%s\", \"devices\": [\"dev-1\"]}", manifest);
		g_autofree gchar *both =
		    g_strdup_printf("{\"manifest\": \"%s\", \"tags\": [\"lab\"]}", manifest);
		g_autoptr(JsonObject) campaign = NULL;
		id = create_campaign(fx, body);
		campaign = get_campaign(fx, id);
		g_assert_true(json_object_get_null_member(campaign, "tags"));
		g_assert_cmpstr(
		    json_array_get_string_element(json_object_get_array_member(campaign, "devices"),
						  0),
		    ==,
		    "dev-1");
		g_assert_cmpint(campaign_count(fx, id, "total"), ==, 1);
		create_campaign_fails(fx, both, SUIT_ERROR_CONFLICT, "dev-1");
		/* a paused one neither */
		g_free(suit_status_tracker_pause_campaign(fx->tracker, id, &error));
		g_assert_no_error(error);
		create_campaign_fails(fx, both, SUIT_ERROR_CONFLICT, id);
		/* once cancelled, the device is free */
		g_free(suit_status_tracker_cancel_campaign(fx->tracker, id, &error));
		g_assert_no_error(error);
		g_free(create_campaign(fx, both));
	}

	/* unknown and malformed ids */
	{
		g_autofree gchar *text =
		    suit_status_tracker_get_campaign(fx->tracker, "c-0000000000000000", &error);
		g_assert_null(text);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
		g_clear_error(&error);
		text = suit_status_tracker_get_campaign(fx->tracker, "campaign-1", &error);
		g_assert_null(text);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
		g_clear_error(&error);
	}
}

/* the campaign halts when the failure ratio goes above the maximum, not at it */
static void
test_campaign_halt(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *old = add_manifest(fx, 1, VENDOR_ID, CLASS_ID);
	g_autofree gchar *manifest = add_manifest(fx, 2, VENDOR_ID, CLASS_ID);
	g_autofree gchar *body = NULL;
	g_autofree gchar *id = NULL;
	g_autofree gchar *resumed = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) campaign = NULL;
	g_autoptr(JsonObject) offer = NULL;
	g_autoptr(JsonObject) answer = NULL;
	g_autoptr(JsonObject) confirm = NULL;
	g_autoptr(JsonObject) final = NULL;
	const gchar *reason;

	for (guint i = 0; i < 10; i++) {
		g_autofree gchar *dev = g_strdup_printf("dev-%u", i);
		add_device(fx, dev, "lab");
	}
	body = g_strdup_printf(
	    "{\"manifest\": \"%s\", \"tags\": [\"lab\"], \"max_failure_ratio\": 0.25}",
	    manifest);
	id = create_campaign(fx, body);
	g_assert_cmpint(campaign_count(fx, id, "offered"), ==, 10);

	/* dev-9 installs, and will confirm later */
	offer = check_in(fx, "dev-9");
	answer = report(fx, "dev-9", manifest, json_object_get_string_member(offer, "nonce"), TRUE);

	/* 3 succeed and 1 fails: 1/4 = 0.25 is not above 0.25 */
	run_update(fx, "dev-0", old, OUTCOME_SUCCEED);
	run_update(fx, "dev-1", old, OUTCOME_SUCCEED);
	run_update(fx, "dev-3", old, OUTCOME_SUCCEED);
	run_update(fx, "dev-2", old, OUTCOME_INSTALL_FAILS);
	g_assert_cmpstr(campaign_state(fx, id), ==, "running");
	/* a fall back: 2/5 = 0.4 is */
	run_update(fx, "dev-4", old, OUTCOME_FALL_BACK);
	campaign = get_campaign(fx, id);
	g_assert_cmpstr(json_object_get_string_member(campaign, "state"), ==, "halted");
	reason = json_object_get_string_member(campaign, "halt_reason");
	g_assert_nonnull(strstr(reason, "0.4"));
	g_assert_nonnull(strstr(reason, "0.25"));
	g_assert_nonnull(strstr(reason, "1 failed"));
	g_assert_nonnull(strstr(reason, "1 fell back of 5"));
	g_assert_cmpuint(count_events(fx, NULL, id, "campaign-halted"), ==, 1);

	/* no more install offers */
	{
		g_autoptr(JsonObject) none = check_in(fx, "dev-5");
		g_assert_null(none);
		g_assert_cmpstr(device_state(fx, "dev-5"), ==, "offered");
	}
	/* but confirmations are still asked for, accepted and counted */
	confirm = check_in(fx, "dev-9");
	g_assert_nonnull(confirm);
	g_assert_cmpstr(json_object_get_string_member(confirm, "action"), ==, "confirm");
	final =
	    report(fx, "dev-9", manifest, json_object_get_string_member(confirm, "nonce"), TRUE);
	g_assert_cmpstr(json_object_get_string_member(final, "state"), ==, "succeeded");
	g_assert_cmpint(campaign_count(fx, id, "succeeded"), ==, 4);
	g_assert_cmpstr(campaign_state(fx, id), ==, "halted");
	g_assert_cmpuint(count_events(fx, NULL, id, "campaign-halted"), ==, 1);

	/* an operator may resume it anyway */
	resumed = suit_status_tracker_resume_campaign(fx->tracker, id, &error);
	g_assert_no_error(error);
	g_clear_pointer(&campaign, json_object_unref);
	campaign = parse_object(resumed);
	g_assert_cmpstr(json_object_get_string_member(campaign, "state"), ==, "running");
	g_assert_true(json_object_get_null_member(campaign, "halt_reason"));
	{
		g_autoptr(JsonObject) again = check_in(fx, "dev-5");
		g_assert_nonnull(again);
		g_assert_cmpstr(json_object_get_string_member(again, "action"), ==, "install");
	}
}

static void
assert_action(Fixture *fx, const gchar *action, const gchar *id, const gchar *state);

/* a threshold of 0 halts at the first failure; 1 never halts */
static void
test_campaign_halt_limits(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *manifest = add_manifest(fx, 2, VENDOR_ID, CLASS_ID);
	g_autofree gchar *strict_body = NULL;
	g_autofree gchar *lax_body = NULL;
	g_autofree gchar *strict = NULL;
	g_autofree gchar *lax = NULL;

	add_device(fx, "a-1", "a");
	add_device(fx, "a-2", "a");
	add_device(fx, "b-1", "b");
	add_device(fx, "b-2", "b");
	strict_body =
	    g_strdup_printf("{\"manifest\": \"%s\", \"tags\": [\"a\"], \"max_failure_ratio\": 0}",
			    manifest);
	lax_body =
	    g_strdup_printf("{\"manifest\": \"%s\", \"tags\": [\"b\"], \"max_failure_ratio\": 1}",
			    manifest);
	strict = create_campaign(fx, strict_body);
	lax = create_campaign(fx, lax_body);

	run_update(fx, "a-1", NULL, OUTCOME_SUCCEED);
	g_assert_cmpstr(campaign_state(fx, strict), ==, "running");
	run_update(fx, "a-2", NULL, OUTCOME_BOOT_FAILS);
	g_assert_cmpstr(campaign_state(fx, strict), ==, "halted");
	g_assert_cmpstr(device_state(fx, "a-2"), ==, "failed");
	/* a halted campaign cannot be paused, but can be cancelled */
	assert_action(fx, "pause", strict, NULL);
	assert_action(fx, "cancel", strict, "cancelled");
	assert_action(fx, "resume", strict, NULL);

	run_update(fx, "b-1", NULL, OUTCOME_INSTALL_FAILS);
	run_update(fx, "b-2", NULL, OUTCOME_INSTALL_FAILS);
	g_assert_cmpstr(campaign_state(fx, lax), ==, "completed");
	g_assert_cmpint(campaign_count(fx, lax, "failed"), ==, 2);
}

static gchar *
campaign_action(Fixture *fx, const gchar *action, const gchar *id, GError **error)
{
	if (g_strcmp0(action, "pause") == 0)
		return suit_status_tracker_pause_campaign(fx->tracker, id, error);
	if (g_strcmp0(action, "resume") == 0)
		return suit_status_tracker_resume_campaign(fx->tracker, id, error);
	return suit_status_tracker_cancel_campaign(fx->tracker, id, error);
}

static void
assert_action(Fixture *fx, const gchar *action, const gchar *id, const gchar *state)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *json = campaign_action(fx, action, id, &error);
	g_autoptr(JsonObject) obj = NULL;
	if (state == NULL) {
		g_assert_null(json);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_CONFLICT);
		return;
	}
	g_assert_no_error(error);
	obj = parse_object(json);
	g_assert_cmpstr(json_object_get_string_member(obj, "state"), ==, state);
	g_assert_cmpstr(campaign_state(fx, id), ==, state);
}

static void
test_campaign_pause_resume_cancel(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *manifest = add_manifest(fx, 2, VENDOR_ID, CLASS_ID);
	g_autofree gchar *body = NULL;
	g_autofree gchar *id = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) offer = NULL;
	g_autoptr(JsonObject) answer = NULL;
	g_autoptr(JsonObject) confirm = NULL;
	g_autoptr(GPtrArray) offered = NULL;
	const gchar *actions[] = {"pause", "resume", "cancel"};

	for (guint i = 0; i < 4; i++) {
		g_autofree gchar *dev = g_strdup_printf("dev-%u", i);
		add_device(fx, dev, "lab");
	}
	/* waves of 2 and 2 */
	body = g_strdup_printf("{\"manifest\": \"%s\", \"tags\": [\"lab\"], \"waves\": [50, 100]}",
			       manifest);
	id = create_campaign(fx, body);
	offered = offered_devices(fx, "lab");
	g_assert_cmpuint(offered->len, ==, 2);

	/* the first device of wave 0 installs, then the campaign is paused */
	offer = check_in(fx, g_ptr_array_index(offered, 0));
	answer = report(fx,
			g_ptr_array_index(offered, 0),
			manifest,
			json_object_get_string_member(offer, "nonce"),
			TRUE);
	assert_action(fx, "resume", id, NULL);
	assert_action(fx, "pause", id, "paused");
	assert_action(fx, "pause", id, NULL);
	g_assert_cmpuint(count_events(fx, NULL, id, "campaign-paused"), ==, 1);

	/* while paused: no install offers, but confirmations */
	{
		g_autoptr(JsonObject) none = check_in(fx, g_ptr_array_index(offered, 1));
		g_assert_null(none);
	}
	confirm = check_in(fx, g_ptr_array_index(offered, 0));
	g_assert_nonnull(confirm);
	g_assert_cmpstr(json_object_get_string_member(confirm, "action"), ==, "confirm");

	/* resumed, it offers again */
	assert_action(fx, "resume", id, "running");
	g_assert_cmpuint(count_events(fx, NULL, id, "campaign-resumed"), ==, 1);
	run_update(fx, g_ptr_array_index(offered, 1), NULL, OUTCOME_SUCCEED);

	/* the last device of wave 0 confirms while the campaign is paused: the
	 * next wave waits for the campaign to resume */
	assert_action(fx, "pause", id, "paused");
	{
		g_autoptr(JsonObject) final =
		    report(fx,
			   g_ptr_array_index(offered, 0),
			   manifest,
			   json_object_get_string_member(confirm, "nonce"),
			   TRUE);
		g_assert_cmpstr(json_object_get_string_member(final, "state"), ==, "succeeded");
	}
	{
		g_autoptr(JsonObject) campaign = get_campaign(fx, id);
		g_assert_cmpint(json_object_get_int_member(campaign, "current_wave"), ==, 0);
		g_assert_cmpint(campaign_count(fx, id, "waiting"), ==, 2);
	}
	assert_action(fx, "resume", id, "running");
	{
		g_autoptr(JsonObject) campaign = get_campaign(fx, id);
		g_assert_cmpint(json_object_get_int_member(campaign, "current_wave"), ==, 1);
		g_assert_cmpint(campaign_count(fx, id, "offered"), ==, 2);
	}
	g_clear_pointer(&offered, g_ptr_array_unref);
	offered = offered_devices(fx, "lab");
	g_assert_cmpuint(offered->len, ==, 2);

	/* wave 1: one device installs, then the campaign is cancelled */
	g_clear_pointer(&offer, json_object_unref);
	g_clear_pointer(&answer, json_object_unref);
	g_clear_pointer(&confirm, json_object_unref);
	offer = check_in(fx, g_ptr_array_index(offered, 0));
	answer = report(fx,
			g_ptr_array_index(offered, 0),
			manifest,
			json_object_get_string_member(offer, "nonce"),
			TRUE);
	{
		g_autoptr(JsonObject) second = check_in(fx, g_ptr_array_index(offered, 1));
		g_assert_nonnull(second);
		assert_action(fx, "cancel", id, "cancelled");
		/* the device that had not installed loses its assignment */
		{
			g_autoptr(JsonObject) none = check_in(fx, g_ptr_array_index(offered, 1));
			g_autoptr(JsonObject) device =
			    get_device(fx, g_ptr_array_index(offered, 1));
			g_assert_null(none);
			g_assert_cmpstr(json_object_get_string_member(device, "state"), ==, "idle");
			g_assert_true(json_object_get_null_member(device, "campaign"));
		}
		/* its report for the old offer is refused */
		report_fails(fx,
			     g_ptr_array_index(offered, 1),
			     manifest,
			     json_object_get_string_member(second, "nonce"),
			     SUIT_ERROR_CONFLICT,
			     "no open assignment");
	}
	g_assert_cmpint(campaign_count(fx, id, "cancelled"), ==, 1);
	g_assert_cmpint(campaign_count(fx, id, "installed"), ==, 1);

	/* the one that installed still confirms, and is counted */
	confirm = check_in(fx, g_ptr_array_index(offered, 0));
	g_assert_nonnull(confirm);
	g_assert_cmpstr(json_object_get_string_member(confirm, "action"), ==, "confirm");
	{
		g_autoptr(JsonObject) final =
		    report(fx,
			   g_ptr_array_index(offered, 0),
			   manifest,
			   json_object_get_string_member(confirm, "nonce"),
			   TRUE);
		g_assert_cmpstr(json_object_get_string_member(final, "state"), ==, "succeeded");
	}
	g_assert_cmpint(campaign_count(fx, id, "succeeded"), ==, 3);
	g_assert_cmpstr(campaign_state(fx, id), ==, "cancelled");

	/* a cancelled campaign stays so */
	for (guint i = 0; i < G_N_ELEMENTS(actions); i++)
		assert_action(fx, actions[i], id, NULL);
	g_assert_cmpuint(count_events(fx, NULL, id, "campaign-cancelled"), ==, 1);

	/* a completed one too */
	{
		g_autofree gchar *done_body =
		    g_strdup_printf("{\"manifest\": \"%s\", \"tags\": [\"none\"]}", manifest);
		g_autofree gchar *done = create_campaign(fx, done_body);
		for (guint i = 0; i < G_N_ELEMENTS(actions); i++)
			assert_action(fx, actions[i], done, NULL);
	}
	/* unknown and malformed ids */
	for (guint i = 0; i < G_N_ELEMENTS(actions); i++) {
		g_autofree gchar *json =
		    campaign_action(fx, actions[i], "c-0123456789abcdef", &error);
		g_assert_null(json);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
		g_clear_error(&error);
		json = campaign_action(fx, actions[i], "x", &error);
		g_assert_null(json);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
		g_clear_error(&error);
	}
}

/* reports ------------------------------------------------------------------ */

static void
test_reports_refused(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *old = add_manifest(fx, 1, VENDOR_ID, CLASS_ID);
	g_autofree gchar *manifest = add_manifest(fx, 2, VENDOR_ID, CLASS_ID);
	g_autofree gchar *body = NULL;
	g_autofree gchar *id = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitKey) forger = suit_key_generate(SUIT_KEY_TYPE_P256, &error);
	g_autoptr(JsonObject) offer = NULL;
	g_autoptr(JsonObject) answer = NULL;
	g_autoptr(JsonArray) log = NULL;
	const gchar *nonce;

	g_assert_no_error(error);
	add_device(fx, "dev-1", "lab");
	add_device(fx, "dev-2", "other");

	/* no assignment */
	report_fails(fx,
		     "dev-2",
		     manifest,
		     "00112233445566778899aabbccddeeff",
		     SUIT_ERROR_CONFLICT,
		     "no open assignment");

	body = g_strdup_printf("{\"manifest\": \"%s\", \"tags\": [\"lab\"]}", manifest);
	id = create_campaign(fx, body);
	offer = check_in(fx, "dev-1");
	nonce = json_object_get_string_member(offer, "nonce");

	/* forged: signed with another key */
	{
		g_autoptr(GBytes) cose = make_report(forger, manifest, nonce, TRUE);
		g_autofree gchar *text =
		    suit_status_tracker_submit_report(fx->tracker, "dev-1", cose, &error);
		g_assert_null(text);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
		g_clear_error(&error);
	}
	/* not a report at all */
	{
		g_autoptr(GBytes) junk = g_bytes_new_static("\xa1\x01\x02", 3);
		g_autofree gchar *text =
		    suit_status_tracker_submit_report(fx->tracker, "dev-1", junk, &error);
		g_assert_null(text);
		g_assert_nonnull(error);
		g_clear_error(&error);
	}
	/* too big */
	{
		g_autofree guint8 *buf = g_malloc0(64 * 1024 + 1);
		g_autoptr(GBytes) big = g_bytes_new_take(g_steal_pointer(&buf), 64 * 1024 + 1);
		g_autofree gchar *text =
		    suit_status_tracker_submit_report(fx->tracker, "dev-1", big, &error);
		g_assert_null(text);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_LIMIT_EXCEEDED);
		g_clear_error(&error);
	}
	/* without a nonce, or with another one */
	report_fails(fx, "dev-1", manifest, NULL, SUIT_ERROR_CONFLICT, "nonce");
	report_fails(fx,
		     "dev-1",
		     manifest,
		     "00112233445566778899aabbccddeeff",
		     SUIT_ERROR_CONFLICT,
		     "stale or replayed");
	report_fails(fx,
		     "dev-1",
		     manifest,
		     "0011223344556677",
		     SUIT_ERROR_CONFLICT,
		     "stale or replayed");
	/* about another manifest than the install offer */
	report_fails(fx, "dev-1", old, nonce, SUIT_ERROR_CONFLICT, "refers to manifest");
	/* none of that changed anything */
	g_assert_cmpstr(device_state(fx, "dev-1"), ==, "offered");
	g_assert_cmpint(campaign_count(fx, id, "offered"), ==, 1);

	/* the real one, then the same again: a replay */
	answer = report(fx, "dev-1", manifest, nonce, TRUE);
	g_assert_cmpstr(json_object_get_string_member(answer, "state"), ==, "installed");
	report_fails(fx, "dev-1", manifest, nonce, SUIT_ERROR_CONFLICT, "stale or replayed");
	g_assert_cmpstr(device_state(fx, "dev-1"), ==, "installed");
	/* unknown device */
	{
		g_autoptr(GBytes) cose = make_report(forger, manifest, nonce, TRUE);
		g_autofree gchar *text =
		    suit_status_tracker_submit_report(fx->tracker, "ghost", cose, &error);
		g_assert_null(text);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
		g_clear_error(&error);
	}

	/* every refusal is in the log, with its reason */
	g_assert_cmpuint(count_events(fx, "dev-2", NULL, "report-rejected"), ==, 1);
	g_assert_cmpuint(count_events(fx, "dev-1", NULL, "report-rejected"), ==, 8);
	g_assert_cmpuint(count_events(fx, "dev-1", NULL, "report-accepted"), ==, 1);
	log = events(fx, "dev-1", NULL, 0, 0);
	{
		guint forged = 0;
		for (guint i = 0; i < json_array_get_length(log); i++) {
			JsonObject *event = json_array_get_object_element(log, i);
			JsonObject *details = json_object_get_object_member(event, "details");
			if (g_strcmp0(json_object_get_string_member(event, "type"),
				      "report-rejected") != 0)
				continue;
			if (g_strcmp0(json_object_get_string_member(details, "error"),
				      "signature-invalid") == 0)
				forged++;
			g_assert_nonnull(json_object_get_string_member(details, "message"));
		}
		g_assert_cmpuint(forged, ==, 1);
	}
}

static void
test_report_outcomes(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *old = add_manifest(fx, 1, VENDOR_ID, CLASS_ID);
	g_autofree gchar *manifest = add_manifest(fx, 2, VENDOR_ID, CLASS_ID);
	g_autofree gchar *body = NULL;
	g_autofree gchar *id = NULL;
	g_autoptr(JsonObject) device = NULL;
	JsonArray *history;

	add_device(fx, "fallback", "lab");
	add_device(fx, "broken", "lab");
	add_device(fx, "unbootable", "lab");
	g_assert_true(suit_status_tracker_check_in(fx->tracker,
						   "fallback",
						   "{\"sequence_number\": 1, \"manifest\": null}",
						   NULL,
						   NULL));
	body =
	    g_strdup_printf("{\"manifest\": \"%s\", \"tags\": [\"lab\"], \"max_failure_ratio\": 1}",
			    manifest);
	id = create_campaign(fx, body);

	/* the device booted its old image again */
	run_update(fx, "fallback", old, OUTCOME_FALL_BACK);
	device = get_device(fx, "fallback");
	g_assert_cmpstr(json_object_get_string_member(device, "state"), ==, "fell-back");
	g_assert_cmpstr(json_object_get_string_member(device, "installed_manifest"), ==, old);
	g_assert_cmpint(json_object_get_int_member(device, "sequence_number"), ==, 1);
	history = json_object_get_array_member(device, "history");
	g_assert_cmpstr(
	    json_object_get_string_member(json_array_get_object_element(history, 0), "result"),
	    ==,
	    "fell-back");
	g_assert_cmpuint(count_events(fx, "fallback", id, "device-fell-back"), ==, 1);

	/* the installation failed */
	run_update(fx, "broken", old, OUTCOME_INSTALL_FAILS);
	g_clear_pointer(&device, json_object_unref);
	device = get_device(fx, "broken");
	g_assert_cmpstr(json_object_get_string_member(device, "state"), ==, "failed");
	g_assert_true(json_object_get_null_member(device, "installed_manifest"));
	g_assert_true(json_object_get_null_member(device, "campaign"));
	g_assert_cmpuint(count_events(fx, "broken", id, "device-failed"), ==, 1);
	{
		g_autoptr(JsonArray) log = events(fx, "broken", id, 0, 0);
		JsonObject *last =
		    json_array_get_object_element(log, json_array_get_length(log) - 1);
		JsonObject *details = json_object_get_object_member(last, "details");
		g_assert_cmpstr(json_object_get_string_member(last, "type"), ==, "device-failed");
		g_assert_cmpint(json_object_get_int_member(details, "result_code"), ==, 7);
		g_assert_cmpstr(json_object_get_string_member(details, "phase"), ==, "install");
		g_assert_false(json_object_get_boolean_member(details, "success"));
	}

	/* the new image was installed but did not confirm */
	run_update(fx, "unbootable", old, OUTCOME_BOOT_FAILS);
	g_assert_cmpstr(device_state(fx, "unbootable"), ==, "failed");

	g_assert_cmpint(campaign_count(fx, id, "fell_back"), ==, 1);
	g_assert_cmpint(campaign_count(fx, id, "failed"), ==, 2);
	g_assert_cmpstr(campaign_state(fx, id), ==, "completed");
}

/* the history keeps the last 50 updates */
static void
test_history(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(JsonObject) device = NULL;
	g_autofree gchar *third = NULL;
	JsonArray *history;

	add_device(fx, "dev-1", "lab");
	for (guint i = 0; i < 52; i++) {
		g_autofree gchar *manifest = add_manifest(fx, 10 + i, VENDOR_ID, CLASS_ID);
		g_autofree gchar *body =
		    g_strdup_printf("{\"manifest\": \"%s\", \"devices\": [\"dev-1\"]}", manifest);
		g_autofree gchar *id = create_campaign(fx, body);
		run_update(fx, "dev-1", NULL, i % 2 == 0 ? OUTCOME_SUCCEED : OUTCOME_INSTALL_FAILS);
		if (i == 2)
			third = g_strdup(id);
	}
	device = get_device(fx, "dev-1");
	history = json_object_get_array_member(device, "history");
	g_assert_cmpuint(json_array_get_length(history), ==, 50);
	g_assert_cmpstr(
	    json_object_get_string_member(json_array_get_object_element(history, 0), "campaign"),
	    ==,
	    third);
	g_assert_cmpstr(
	    json_object_get_string_member(json_array_get_object_element(history, 49), "result"),
	    ==,
	    "failed");
}

/* the audit log and figures ------------------------------------------------ */

static void
test_events(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *manifest = add_manifest(fx, 2, VENDOR_ID, CLASS_ID);
	g_autofree gchar *body_a = NULL;
	g_autofree gchar *body_b = NULL;
	g_autofree gchar *a = NULL;
	g_autofree gchar *b = NULL;
	g_autoptr(JsonArray) all = NULL;
	g_autoptr(GError) error = NULL;
	gint64 previous = 0;
	gint64 middle;

	add_device(fx, "a-1", "a");
	add_device(fx, "b-1", "b");
	body_a = g_strdup_printf("{\"manifest\": \"%s\", \"tags\": [\"a\"]}", manifest);
	body_b = g_strdup_printf("{\"manifest\": \"%s\", \"devices\": [\"b-1\"]}", manifest);
	a = create_campaign(fx, body_a);
	b = create_campaign(fx, body_b);
	run_update(fx, "a-1", NULL, OUTCOME_SUCCEED);
	run_update(fx, "b-1", NULL, OUTCOME_SUCCEED);

	/* everything, in order, with the documented members */
	all = events(fx, NULL, NULL, 0, 0);
	g_assert_cmpuint(json_array_get_length(all), ==, 20);
	for (guint i = 0; i < json_array_get_length(all); i++) {
		JsonObject *event = json_array_get_object_element(all, i);
		gint64 seq = json_object_get_int_member(event, "seq");
		const gchar *type = json_object_get_string_member(event, "type");
		g_assert_cmpint(seq, ==, previous + 1);
		previous = seq;
		g_assert_nonnull(json_object_get_string_member(event, "time"));
		g_assert_nonnull(json_object_get_object_member(event, "details"));
		if (g_str_has_prefix(type, "device-") || g_str_has_prefix(type, "report-") ||
		    g_strcmp0(type, "check-in-offer") == 0)
			g_assert_true(json_object_has_member(event, "device"));
		if (g_str_has_prefix(type, "campaign-") || g_str_has_prefix(type, "wave-")) {
			g_assert_true(json_object_has_member(event, "campaign"));
			g_assert_cmpstr(json_object_get_string_member(event, "manifest"),
					==,
					manifest);
		}
	}
	g_assert_cmpstr(
	    json_object_get_string_member(json_array_get_object_element(all, 0), "type"),
	    ==,
	    "device-registered");

	/* by device, campaign, both */
	{
		struct {
			const gchar *device;
			const gchar *campaign;
			const gchar *never_device;
			const gchar *never_campaign;
		} cases[] = {
		    {"a-1", NULL, "b-1", b},
		    {NULL, a, "b-1", b},
		    {"a-1", a, "b-1", b},
		    {"b-1", b, "a-1", a},
		};
		for (guint c = 0; c < G_N_ELEMENTS(cases); c++) {
			g_autoptr(JsonArray) some =
			    events(fx, cases[c].device, cases[c].campaign, 0, 0);
			g_assert_cmpuint(json_array_get_length(some), >, 3);
			for (guint i = 0; i < json_array_get_length(some); i++) {
				JsonObject *event = json_array_get_object_element(some, i);
				if (cases[c].device != NULL)
					g_assert_cmpstr(
					    json_object_get_string_member(event, "device"),
					    ==,
					    cases[c].device);
				if (cases[c].campaign != NULL)
					g_assert_cmpstr(
					    json_object_get_string_member(event, "campaign"),
					    ==,
					    cases[c].campaign);
				if (json_object_has_member(event, "device"))
					g_assert_cmpstr(
					    json_object_get_string_member(event, "device"),
					    !=,
					    cases[c].never_device);
				if (json_object_has_member(event, "campaign"))
					g_assert_cmpstr(
					    json_object_get_string_member(event, "campaign"),
					    !=,
					    cases[c].never_campaign);
			}
		}
		/* the campaign's own events and its devices' */
		g_assert_cmpuint(count_events(fx, NULL, a, "campaign-created"), ==, 1);
		g_assert_cmpuint(count_events(fx, NULL, a, "device-succeeded"), ==, 1);
		g_assert_cmpuint(count_events(fx, "a-1", a, "campaign-created"), ==, 0);
		g_assert_cmpuint(count_events(fx, "a-1", NULL, "device-registered"), ==, 1);
	}

	/* since and limit */
	middle = json_object_get_int_member(json_array_get_object_element(all, 9), "seq");
	{
		g_autoptr(JsonArray) later = events(fx, NULL, NULL, (guint64)middle, 0);
		g_assert_cmpuint(json_array_get_length(later), ==, json_array_get_length(all) - 10);
		g_assert_cmpint(
		    json_object_get_int_member(json_array_get_object_element(later, 0), "seq"),
		    ==,
		    middle + 1);
	}
	{
		g_autoptr(JsonArray) three = events(fx, NULL, NULL, 2, 3);
		g_assert_cmpuint(json_array_get_length(three), ==, 3);
		g_assert_cmpint(
		    json_object_get_int_member(json_array_get_object_element(three, 0), "seq"),
		    ==,
		    3);
		g_assert_cmpint(
		    json_object_get_int_member(json_array_get_object_element(three, 2), "seq"),
		    ==,
		    5);
	}
	{
		g_autoptr(JsonArray) one = events(fx, "a-1", a, 0, 1);
		g_autoptr(JsonArray) none = events(fx, NULL, NULL, (guint64)previous, 0);
		g_assert_cmpuint(json_array_get_length(one), ==, 1);
		g_assert_cmpuint(json_array_get_length(none), ==, 0);
	}
	/* the filter of both still fills the limit when the other key's events come first */
	{
		g_autoptr(JsonArray) both = events(fx, "b-1", b, 0, 2);
		g_assert_cmpuint(json_array_get_length(both), ==, 2);
	}
	{
		g_autofree gchar *text =
		    suit_status_tracker_list_events(fx->tracker, "bad id", NULL, 0, 0, &error);
		g_assert_null(text);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
		g_clear_error(&error);
		text = suit_status_tracker_list_events(fx->tracker, NULL, "bad", 0, 0, &error);
		g_assert_null(text);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
		g_clear_error(&error);
	}
}

/* more events than one page of the filtered query */
static void
test_events_paging(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonArray) page = NULL;
	g_autoptr(JsonArray) rest = NULL;

	for (guint i = 0; i < 1005; i++) {
		g_autofree gchar *dev = g_strdup_printf("dev-%04u", i);
		g_autoptr(SuitKey) key = suit_key_generate(SUIT_KEY_TYPE_ED25519, &error);
		g_autofree gchar *json = NULL;
		g_autofree gchar *answer = NULL;
		g_assert_no_error(error);
		json = registration_json(dev, VENDOR_ID, CLASS_ID, NULL, key);
		answer = suit_status_tracker_add_device(fx->tracker, json, &error);
		g_assert_no_error(error);
	}
	/* 0 means 1000 */
	page = events(fx, NULL, NULL, 0, 0);
	g_assert_cmpuint(json_array_get_length(page), ==, 1000);
	rest = events(fx, NULL, NULL, 1000, 20000);
	g_assert_cmpuint(json_array_get_length(rest), ==, 5);
}

static void
test_statistics(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *manifest = add_manifest(fx, 2, VENDOR_ID, CLASS_ID);
	g_autofree gchar *other = add_manifest(fx, 3, VENDOR_ID, CLASS_ID);
	g_autofree gchar *body = NULL;
	g_autofree gchar *id = NULL;
	g_autofree gchar *json = NULL;
	g_autofree gchar *cancelled = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) stats = NULL;
	JsonObject *devices;
	JsonObject *by_state;
	JsonObject *campaigns;

	for (guint i = 0; i < 4; i++) {
		g_autofree gchar *dev = g_strdup_printf("dev-%u", i);
		add_device(fx, dev, "lab");
	}
	add_device(fx, "spare", "spare");
	add_device(fx, "idle", "spare");
	g_assert_null(check_in(fx, "idle"));
	body = g_strdup_printf(
	    "{\"manifest\": \"%s\", \"devices\": [\"dev-0\", \"dev-1\", \"dev-2\", \"dev-3\"],"
	    "\"max_failure_ratio\": 1}",
	    manifest);
	id = create_campaign(fx, body);
	run_update(fx, "dev-0", NULL, OUTCOME_SUCCEED);
	run_update(fx, "dev-1", NULL, OUTCOME_INSTALL_FAILS);
	{
		g_autoptr(JsonObject) offer = check_in(fx, "dev-2");
		g_autoptr(JsonObject) answer = report(fx,
						      "dev-2",
						      manifest,
						      json_object_get_string_member(offer, "nonce"),
						      TRUE);
	}
	{
		g_autofree gchar *none_body =
		    g_strdup_printf("{\"manifest\": \"%s\", \"tags\": [\"none\"]}", other);
		g_autofree gchar *done = create_campaign(fx, none_body);
		g_autofree gchar *spare_body =
		    g_strdup_printf("{\"manifest\": \"%s\", \"tags\": [\"spare\"]}", other);
		cancelled = create_campaign(fx, spare_body);
		g_free(suit_status_tracker_cancel_campaign(fx->tracker, cancelled, &error));
		g_assert_no_error(error);
	}

	json = suit_status_tracker_get_statistics(fx->tracker, &error);
	g_assert_no_error(error);
	stats = parse_object(json);
	devices = json_object_get_object_member(stats, "devices");
	g_assert_cmpint(json_object_get_int_member(devices, "total"), ==, 6);
	by_state = json_object_get_object_member(devices, "by_state");
	g_assert_cmpint(json_object_get_int_member(by_state, "registered"), ==, 1);
	g_assert_cmpint(json_object_get_int_member(by_state, "idle"), ==, 1);
	g_assert_cmpint(json_object_get_int_member(by_state, "offered"), ==, 1);
	g_assert_cmpint(json_object_get_int_member(by_state, "installed"), ==, 1);
	g_assert_cmpint(json_object_get_int_member(by_state, "succeeded"), ==, 1);
	g_assert_cmpint(json_object_get_int_member(by_state, "failed"), ==, 1);
	g_assert_cmpint(json_object_get_int_member(by_state, "fell-back"), ==, 0);
	campaigns = json_object_get_object_member(json_object_get_object_member(stats, "campaigns"),
						  "by_state");
	g_assert_cmpint(json_object_get_int_member(campaigns, "running"), ==, 1);
	g_assert_cmpint(json_object_get_int_member(campaigns, "completed"), ==, 1);
	g_assert_cmpint(json_object_get_int_member(campaigns, "cancelled"), ==, 1);
	g_assert_cmpint(json_object_get_int_member(campaigns, "paused"), ==, 0);
	g_assert_cmpint(json_object_get_int_member(campaigns, "halted"), ==, 0);
	g_assert_cmpint(json_object_get_int_member(stats, "manifests"), ==, 2);
}

/* persistence: another tracker on the reopened SQLite file carries on ------- */

static void
test_persistence(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *old = add_manifest(fx, 1, VENDOR_ID, CLASS_ID);
	g_autofree gchar *manifest = add_manifest(fx, 2, VENDOR_ID, CLASS_ID);
	g_autofree gchar *body = NULL;
	g_autofree gchar *id = NULL;
	g_autofree gchar *admin_id = NULL;
	g_autofree gchar *admin = create_token(fx, "admin", "root", &admin_id);
	g_autofree gchar *device_before = NULL;
	g_autofree gchar *campaign_before = NULL;
	g_autofree gchar *events_before = NULL;
	g_autofree gchar *tokens_before = NULL;
	g_autofree gchar *stats_before = NULL;
	g_autofree gchar *answer_nonce = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GPtrArray) offered = NULL;
	g_autofree gchar *installed_dev = NULL;

	g_assert_nonnull(fx->db_path);
	for (guint i = 0; i < 6; i++) {
		g_autofree gchar *dev = g_strdup_printf("dev-%u", i);
		add_device(fx, dev, "lab");
	}
	body = g_strdup_printf("{\"manifest\": \"%s\", \"tags\": [\"lab\"], \"waves\": [50, 100],"
			       "\"max_failure_ratio\": 0.5}",
			       manifest);
	id = create_campaign(fx, body);
	offered = offered_devices(fx, "lab");
	g_assert_cmpuint(offered->len, ==, 3);
	run_update(fx, g_ptr_array_index(offered, 0), old, OUTCOME_SUCCEED);
	run_update(fx, g_ptr_array_index(offered, 1), old, OUTCOME_FALL_BACK);
	installed_dev = g_strdup(g_ptr_array_index(offered, 2));
	{
		g_autoptr(JsonObject) offer = check_in(fx, installed_dev);
		g_autoptr(JsonObject) answer = report(fx,
						      installed_dev,
						      manifest,
						      json_object_get_string_member(offer, "nonce"),
						      TRUE);
		answer_nonce = g_strdup(json_object_get_string_member(answer, "nonce"));
	}

	device_before = suit_status_tracker_get_device(fx->tracker, installed_dev, &error);
	g_assert_no_error(error);
	campaign_before = suit_status_tracker_get_campaign(fx->tracker, id, &error);
	g_assert_no_error(error);
	events_before = suit_status_tracker_list_events(fx->tracker, NULL, NULL, 0, 0, &error);
	g_assert_no_error(error);
	tokens_before = suit_status_tracker_list_tokens(fx->tracker, &error);
	g_assert_no_error(error);
	stats_before = suit_status_tracker_get_statistics(fx->tracker, &error);
	g_assert_no_error(error);

	/* close everything, reopen the file */
	fixture_close(fx);
	fixture_open(fx);
	{
		g_autofree gchar *device_after =
		    suit_status_tracker_get_device(fx->tracker, installed_dev, &error);
		g_autofree gchar *campaign_after =
		    suit_status_tracker_get_campaign(fx->tracker, id, &error);
		g_autofree gchar *events_after =
		    suit_status_tracker_list_events(fx->tracker, NULL, NULL, 0, 0, &error);
		g_autofree gchar *tokens_after =
		    suit_status_tracker_list_tokens(fx->tracker, &error);
		g_autofree gchar *stats_after =
		    suit_status_tracker_get_statistics(fx->tracker, &error);
		g_autofree gchar *dev0 = suit_status_tracker_authenticate_device(
		    fx->tracker,
		    g_hash_table_lookup(fx->device_tokens, "dev-0"),
		    &error);
		g_assert_no_error(error);
		g_assert_cmpstr(device_after, ==, device_before);
		g_assert_cmpstr(campaign_after, ==, campaign_before);
		g_assert_cmpstr(events_after, ==, events_before);
		g_assert_cmpstr(tokens_after, ==, tokens_before);
		g_assert_cmpstr(stats_after, ==, stats_before);
		g_assert_cmpstr(dev0, ==, "dev-0");
	}
	assert_operator(fx, admin, "admin");

	/* the installed device confirms with the nonce it got before */
	{
		g_autoptr(JsonObject) confirm = check_in(fx, installed_dev);
		g_autoptr(JsonObject) final = NULL;
		g_assert_cmpstr(json_object_get_string_member(confirm, "action"), ==, "confirm");
		g_assert_cmpstr(json_object_get_string_member(confirm, "nonce"), ==, answer_nonce);
		final = report(fx, installed_dev, manifest, answer_nonce, TRUE);
		g_assert_cmpstr(json_object_get_string_member(final, "state"), ==, "succeeded");
	}
	/* wave 0 is done: wave 1 starts */
	{
		g_autoptr(JsonObject) campaign = get_campaign(fx, id);
		g_autoptr(GPtrArray) next = offered_devices(fx, "lab");
		g_assert_cmpstr(json_object_get_string_member(campaign, "state"), ==, "running");
		g_assert_cmpint(json_object_get_int_member(campaign, "current_wave"), ==, 1);
		g_assert_cmpuint(next->len, ==, 3);
	}
	/* the event counter carries on */
	{
		g_autoptr(JsonArray) before = parse_array(events_before);
		g_autoptr(JsonArray) after = events(fx, NULL, NULL, 0, 0);
		guint n = json_array_get_length(before);
		g_assert_cmpuint(json_array_get_length(after), >, n);
		g_assert_cmpint(
		    json_object_get_int_member(json_array_get_object_element(after, n), "seq"),
		    ==,
		    n + 1);
	}
	g_assert_true(suit_status_tracker_revoke_token(fx->tracker, admin_id, &error));
	g_assert_no_error(error);
}

/* threads: check-ins and reports of many devices at once ------------------- */

typedef struct {
	Fixture *fx;
	const gchar *manifest;
	guint first;
	guint n;
} Worker;

static gpointer
worker_run(gpointer user_data)
{
	Worker *w = user_data;
	for (guint i = w->first; i < w->first + w->n; i++) {
		g_autofree gchar *dev = g_strdup_printf("dev-%02u", i);
		run_update(w->fx, dev, NULL, OUTCOME_SUCCEED);
	}
	return NULL;
}

static void
test_threads(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *manifest = add_manifest(fx, 2, VENDOR_ID, CLASS_ID);
	g_autofree gchar *body = NULL;
	g_autofree gchar *id = NULL;
	Worker workers[4];
	GThread *threads[4];

	for (guint i = 0; i < 40; i++) {
		g_autofree gchar *dev = g_strdup_printf("dev-%02u", i);
		add_device(fx, dev, "lab");
	}
	body = g_strdup_printf("{\"manifest\": \"%s\", \"tags\": [\"lab\"]}", manifest);
	id = create_campaign(fx, body);
	for (guint t = 0; t < G_N_ELEMENTS(threads); t++) {
		workers[t] = (Worker){fx, manifest, t * 10, 10};
		threads[t] = g_thread_new("worker", worker_run, &workers[t]);
	}
	for (guint t = 0; t < G_N_ELEMENTS(threads); t++)
		g_thread_join(threads[t]);
	g_assert_cmpstr(campaign_state(fx, id), ==, "completed");
	g_assert_cmpint(campaign_count(fx, id, "succeeded"), ==, 40);
	g_assert_cmpuint(count_events(fx, NULL, id, "device-succeeded"), ==, 40);
	/* the log has no gaps */
	{
		g_autoptr(JsonArray) log = events(fx, NULL, NULL, 0, 10000);
		for (guint i = 0; i < json_array_get_length(log); i++)
			g_assert_cmpint(
			    json_object_get_int_member(json_array_get_object_element(log, i),
						       "seq"),
			    ==,
			    i + 1);
	}
}

/* the check-in cache -------------------------------------------------------- */

/* the raw answer of a check-in, or NULL */
static gchar *
check_in_text(Fixture *fx, const gchar *id)
{
	g_autoptr(GError) error = NULL;
	gchar *offer = NULL;
	g_assert_true(suit_status_tracker_check_in(fx->tracker,
						   id,
						   "{\"sequence_number\": 0, \"manifest\": null}",
						   &offer,
						   &error));
	g_assert_no_error(error);
	return offer;
}

/* a check-in answers the same from a warm and a cold cache, and from a new
 * tracker that never saw the database */
static void
assert_same_answers(Fixture *fx, const gchar *const *ids)
{
	g_autoptr(SuitStatusTracker) fresh = suit_status_tracker_new(fx->db, fx->server);

	suit_status_tracker_set_fake_time(fresh, 1800000000);
	for (guint i = 0; ids[i] != NULL; i++) {
		g_autoptr(GError) error = NULL;
		g_autofree gchar *warm = check_in_text(fx, ids[i]);
		g_autofree gchar *again = check_in_text(fx, ids[i]);
		g_autofree gchar *cold = NULL;
		g_autofree gchar *other = NULL;

		suit_status_tracker_clear_cache(fx->tracker);
		cold = check_in_text(fx, ids[i]);
		g_assert_true(suit_status_tracker_check_in(fresh,
							   ids[i],
							   "{\"sequence_number\": 0}",
							   &other,
							   &error));
		g_assert_no_error(error);
		g_assert_cmpstr(warm, ==, again);
		g_assert_cmpstr(warm, ==, cold);
		g_assert_cmpstr(warm, ==, other);
	}
}

static void
test_cache_answers(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *manifest = add_manifest(fx, 2, VENDOR_ID, CLASS_ID);
	g_autofree gchar *body = NULL;
	g_autofree gchar *id = NULL;
	g_autofree gchar *second = NULL;
	g_autoptr(GPtrArray) offered = NULL;
	g_autoptr(JsonObject) offer = NULL;
	g_autoptr(JsonObject) answer = NULL;
	g_autoptr(JsonObject) confirm = NULL;
	g_autoptr(GError) error = NULL;
	const gchar *ids[] = {"dev-0", "dev-1", "dev-2", "dev-3", NULL};
	const gchar *installer;

	for (guint i = 0; ids[i] != NULL; i++)
		add_device(fx, ids[i], "lab");
	/* idle devices, known to the cache */
	assert_same_answers(fx, ids);
	for (guint i = 0; ids[i] != NULL; i++) {
		g_autofree gchar *none = check_in_text(fx, ids[i]);
		g_assert_null(none);
	}

	/* a new campaign reaches the cached devices at once: waves of 2 and 2 */
	body = g_strdup_printf("{\"manifest\": \"%s\", \"tags\": [\"lab\"], \"waves\": [50, 100]}",
			       manifest);
	id = create_campaign(fx, body);
	offered = offered_devices(fx, "lab");
	g_assert_cmpuint(offered->len, ==, 2);
	installer = g_ptr_array_index(offered, 0);
	offer = check_in(fx, installer);
	g_assert_nonnull(offer);
	g_assert_cmpstr(json_object_get_string_member(offer, "action"), ==, "install");
	g_assert_cmpstr(json_object_get_string_member(offer, "campaign"), ==, id);
	assert_same_answers(fx, ids);

	/* a report gives the confirmation its own nonce */
	answer = report(fx, installer, manifest, json_object_get_string_member(offer, "nonce"), TRUE);
	confirm = check_in(fx, installer);
	g_assert_cmpstr(json_object_get_string_member(confirm, "action"), ==, "confirm");
	g_assert_cmpstr(json_object_get_string_member(confirm, "nonce"),
			==,
			json_object_get_string_member(answer, "nonce"));
	assert_same_answers(fx, ids);

	/* pause: confirmations only; resume: install offers again */
	g_free(suit_status_tracker_pause_campaign(fx->tracker, id, &error));
	g_assert_no_error(error);
	{
		g_autofree gchar *none = check_in_text(fx, g_ptr_array_index(offered, 1));
		g_autoptr(JsonObject) still = check_in(fx, installer);
		g_assert_null(none);
		g_assert_cmpstr(json_object_get_string_member(still, "action"), ==, "confirm");
	}
	assert_same_answers(fx, ids);
	g_free(suit_status_tracker_resume_campaign(fx->tracker, id, &error));
	g_assert_no_error(error);
	{
		g_autoptr(JsonObject) again = check_in(fx, g_ptr_array_index(offered, 1));
		g_assert_cmpstr(json_object_get_string_member(again, "action"), ==, "install");
	}
	assert_same_answers(fx, ids);

	/* the confirmation finishes the device */
	g_clear_pointer(&answer, json_object_unref);
	answer = report(fx, installer, manifest, json_object_get_string_member(confirm, "nonce"), TRUE);
	g_assert_cmpstr(json_object_get_string_member(answer, "state"), ==, "succeeded");
	{
		g_autofree gchar *none = check_in_text(fx, installer);
		g_assert_null(none);
	}
	assert_same_answers(fx, ids);

	/* cancelled: nothing more to do for anybody */
	g_free(suit_status_tracker_cancel_campaign(fx->tracker, id, &error));
	g_assert_no_error(error);
	for (guint i = 0; ids[i] != NULL; i++) {
		g_autofree gchar *none = check_in_text(fx, ids[i]);
		g_assert_null(none);
	}
	assert_same_answers(fx, ids);

	/* and a second campaign offers to the others (the installer runs the
	 * manifest already) at once */
	{
		g_autoptr(GPtrArray) others = g_ptr_array_new();
		for (guint i = 0; ids[i] != NULL; i++) {
			if (g_strcmp0(ids[i], installer) != 0)
				g_ptr_array_add(others, (gpointer)ids[i]);
		}
		g_clear_pointer(&body, g_free);
		body = g_strdup_printf(
		    "{\"manifest\": \"%s\", \"devices\": [\"%s\", \"%s\", \"%s\"]}",
		    manifest,
		    (const gchar *)g_ptr_array_index(others, 0),
		    (const gchar *)g_ptr_array_index(others, 1),
		    (const gchar *)g_ptr_array_index(others, 2));
		second = create_campaign(fx, body);
		for (guint i = 0; i < others->len; i++) {
			g_autoptr(JsonObject) next = check_in(fx, g_ptr_array_index(others, i));
			g_assert_nonnull(next);
			g_assert_cmpstr(json_object_get_string_member(next, "campaign"), ==, second);
		}
	}
	assert_same_answers(fx, ids);
}

/* the device document in the database itself, not through the tracker
 * (which would write the check-in records first) */
static gboolean
stored_device_has(Fixture *fx, const gchar *id, const gchar *needle)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *text = suit_database_get(fx->db, "devices", id, &error);
	g_assert_no_error(error);
	return strstr(text, needle) != NULL;
}

/* whether the stored device document comes to hold @needle: the flushers
 * write on idle CPU time, or when the records are due, so allow for a
 * machine busy with other tests */
static gboolean
stored_device_comes_to_have(Fixture *fx, const gchar *id, const gchar *needle)
{
	for (guint i = 0; i < 3000; i++) {
		if (stored_device_has(fx, id, needle))
			return TRUE;
		g_usleep(10 * 1000);
	}
	return FALSE;
}

#ifdef __linux__
/* the scheduling policy (field 41 of /proc/.../stat) and nice value (field
 * 19) of this process's thread named @name */
static gboolean
thread_scheduling(const gchar *name, gint *policy, gint *nice_value)
{
	g_autoptr(GDir) dir = g_dir_open("/proc/self/task", 0, NULL);
	const gchar *tid;

	g_assert_nonnull(dir);
	while ((tid = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *comm_path = g_build_filename("/proc/self/task", tid, "comm", NULL);
		g_autofree gchar *stat_path = g_build_filename("/proc/self/task", tid, "stat", NULL);
		g_autofree gchar *comm = NULL;
		g_autofree gchar *stat = NULL;
		g_auto(GStrv) fields = NULL;
		const gchar *end;

		if (!g_file_get_contents(comm_path, &comm, NULL, NULL) ||
		    g_strcmp0(g_strstrip(comm), name) != 0 ||
		    !g_file_get_contents(stat_path, &stat, NULL, NULL))
			continue;
		/* the name in parentheses may hold spaces: count after it */
		end = strrchr(stat, ')');
		g_assert_nonnull(end);
		fields = g_strsplit(end + 2, " ", -1);
		g_assert_cmpuint(g_strv_length(fields), >=, 39);
		*nice_value = atoi(fields[19 - 3]);
		*policy = atoi(fields[41 - 3]);
		return TRUE;
	}
	return FALSE;
}
#endif

/* the check-in records wait for idle CPU time, but not longer than they
 * are due: the due flusher writes them when the idle one cannot */
static void
test_cache_flushers(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(JsonObject) offer = NULL;

	add_device(fx, "dev-1", "lab");
	add_device(fx, "dev-2", "lab");
	/* no campaign: the answer is no update, the record is the state */
	g_assert_null(offer = check_in(fx, "dev-1"));
	g_assert_true(stored_device_comes_to_have(fx, "dev-1", "\"state\":\"idle\""));

#ifdef __linux__
	{
		gint policy = -1;
		gint nice_value = 0;

		/* the flusher takes only CPU time nothing else wants (or, where
		 * SCHED_IDLE is refused, the lowest nice value) */
		g_assert_true(thread_scheduling("suit-flush", &policy, &nice_value));
		g_assert_true(policy == SCHED_IDLE || nice_value == 19);
		/* the due flusher an ordinary share */
		g_assert_true(thread_scheduling("suit-flush-due", &policy, &nice_value));
		g_assert_cmpint(policy, ==, SCHED_OTHER);
		g_assert_cmpint(nice_value, ==, 10);
	}
#endif

	/* with the idle flusher held back, a record waits until it is due */
	suit_status_tracker_set_flushers(fx->tracker, FALSE, 300);
	g_assert_null(offer = check_in(fx, "dev-2"));
	g_usleep(50 * 1000);
	g_assert_false(stored_device_has(fx, "dev-2", "\"state\":\"idle\""));
	g_assert_true(stored_device_comes_to_have(fx, "dev-2", "\"state\":\"idle\""));
	suit_status_tracker_set_flushers(fx->tracker, TRUE, 10 * 1000);
}

/* what a check-in records is written later, but shows at once, exactly once,
 * and survives the tracker */
static void
test_cache_records(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *manifest = add_manifest(fx, 2, VENDOR_ID, CLASS_ID);
	g_autofree gchar *body = NULL;
	g_autofree gchar *id = NULL;
	g_autoptr(JsonObject) device = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *seq = NULL;

	add_device(fx, "dev-1", "lab");
	add_device(fx, "dev-2", "lab");
	body = g_strdup_printf("{\"manifest\": \"%s\", \"tags\": [\"lab\"]}", manifest);
	id = create_campaign(fx, body);

	/* one event for the first offer of a nonce, however often and from
	 * however cold a cache it is made */
	for (guint i = 0; i < 5; i++) {
		g_autoptr(JsonObject) offer = check_in(fx, "dev-1");
		g_assert_nonnull(offer);
		if (i % 2 == 0)
			suit_status_tracker_clear_cache(fx->tracker);
	}
	g_assert_cmpuint(count_events(fx, "dev-1", id, "check-in-offer"), ==, 1);
	device = get_device(fx, "dev-1");
	g_assert_cmpstr(json_object_get_string_member(device, "last_seen"), ==, "2027-01-15T08:00:00Z");
	g_assert_cmpint(json_object_get_int_member(device, "sequence_number"), ==, 0);

	/* the flusher writes them without being asked */
	{
		g_autoptr(JsonObject) offer = check_in(fx, "dev-2");
		g_assert_nonnull(offer);
		g_assert_true(stored_device_comes_to_have(fx,
							  "dev-2",
							  "\"last_seen\":\"2027-01-15T08:00:00Z\""));
	}

	/* a check-in recorded just before the tracker goes is not lost */
	suit_status_tracker_set_fake_time(fx->tracker, 1800000100);
	g_assert_true(suit_status_tracker_check_in(fx->tracker,
						   "dev-1",
						   "{\"sequence_number\": 7}",
						   NULL,
						   &error));
	g_assert_no_error(error);
	fixture_close(fx);
	fx->db = fx->db_path != NULL ? SUIT_DATABASE(suit_database_sqlite_new(fx->db_path, &error))
				     : NULL;
	if (fx->db == NULL)
		return; /* the memory database goes with the tracker */
	g_assert_no_error(error);
	seq = suit_database_get(fx->db, "devices", "dev-1", &error);
	g_assert_no_error(error);
	g_assert_nonnull(strstr(seq, "\"sequence_number\":7"));
	g_assert_nonnull(strstr(seq, "\"last_seen\":\"2027-01-15T08:01:40Z\""));
	g_clear_object(&fx->db);
	fixture_open(fx);
	g_assert_cmpuint(count_events(fx, "dev-1", id, "check-in-offer"), ==, 1);
}

/* check-ins in threads while an operator pauses, resumes and cancels */
typedef struct {
	Fixture *fx;
	const gchar *device;
	gint *stop;
	gchar *nonce; /* the install nonce seen */
	guint offers;
} CheckInWorker;

static gpointer
check_in_worker_run(gpointer user_data)
{
	CheckInWorker *w = user_data;
	while (!g_atomic_int_get(w->stop)) {
		g_autoptr(JsonObject) offer = check_in(w->fx, w->device);
		const gchar *nonce;
		if (offer == NULL)
			continue;
		w->offers++;
		g_assert_cmpstr(json_object_get_string_member(offer, "action"), ==, "install");
		nonce = json_object_get_string_member(offer, "nonce");
		if (w->nonce == NULL)
			w->nonce = g_strdup(nonce);
		g_assert_cmpstr(w->nonce, ==, nonce);
	}
	return NULL;
}

static void
test_cache_threads(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *manifest = add_manifest(fx, 2, VENDOR_ID, CLASS_ID);
	g_autofree gchar *body = NULL;
	g_autofree gchar *id = NULL;
	CheckInWorker workers[4];
	GThread *threads[4];
	gint stop = 0;

	for (guint i = 0; i < G_N_ELEMENTS(workers); i++) {
		g_autofree gchar *dev = g_strdup_printf("dev-%u", i);
		add_device(fx, dev, "lab");
	}
	body = g_strdup_printf("{\"manifest\": \"%s\", \"tags\": [\"lab\"]}", manifest);
	id = create_campaign(fx, body);
	for (guint i = 0; i < G_N_ELEMENTS(workers); i++) {
		g_autofree gchar *dev = g_strdup_printf("dev-%u", i);
		workers[i] = (CheckInWorker){fx, g_intern_string(dev), &stop, NULL, 0};
		threads[i] = g_thread_new("check-in", check_in_worker_run, &workers[i]);
	}
	for (guint round = 0; round < 20; round++) {
		g_autoptr(GError) error = NULL;
		g_free(suit_status_tracker_pause_campaign(fx->tracker, id, &error));
		g_assert_no_error(error);
		/* once the pause returns, no install offer is made */
		for (guint i = 0; i < G_N_ELEMENTS(workers); i++) {
			g_autofree gchar *none = check_in_text(fx, workers[i].device);
			g_assert_null(none);
		}
		if (round % 5 == 0)
			suit_status_tracker_clear_cache(fx->tracker);
		g_free(suit_status_tracker_resume_campaign(fx->tracker, id, &error));
		g_assert_no_error(error);
		for (guint i = 0; i < G_N_ELEMENTS(workers); i++) {
			g_autoptr(JsonObject) offer = check_in(fx, workers[i].device);
			g_assert_nonnull(offer);
		}
		g_usleep(2000);
	}
	{
		g_autoptr(GError) error = NULL;
		g_free(suit_status_tracker_cancel_campaign(fx->tracker, id, &error));
		g_assert_no_error(error);
	}
	for (guint i = 0; i < G_N_ELEMENTS(workers); i++) {
		g_autofree gchar *none = check_in_text(fx, workers[i].device);
		g_assert_null(none);
	}
	g_atomic_int_set(&stop, 1);
	for (guint i = 0; i < G_N_ELEMENTS(workers); i++) {
		g_thread_join(threads[i]);
		g_assert_cmpuint(workers[i].offers, >, 0);
		g_assert_cmpuint(count_events(fx, workers[i].device, id, "check-in-offer"), ==, 1);
		g_free(workers[i].nonce);
	}
	/* the log has no gaps */
	{
		g_autoptr(JsonArray) log = events(fx, NULL, NULL, 0, 10000);
		for (guint i = 0; i < json_array_get_length(log); i++)
			g_assert_cmpint(
			    json_object_get_int_member(json_array_get_object_element(log, i),
						       "seq"),
			    ==,
			    i + 1);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, func) g_test_add(path, Fixture, NULL, fixture_setup, func, fixture_teardown)
	ADD("/status-tracker/tokens", test_tokens);
	ADD("/status-tracker/devices", test_devices);
	ADD("/status-tracker/check-in", test_check_in);
	ADD("/status-tracker/campaign/waves", test_campaign_waves);
	ADD("/status-tracker/campaign/order", test_campaign_order);
	ADD("/status-tracker/campaign/validation", test_campaign_validation);
	ADD("/status-tracker/campaign/halt", test_campaign_halt);
	ADD("/status-tracker/campaign/halt-limits", test_campaign_halt_limits);
	ADD("/status-tracker/campaign/pause-resume-cancel", test_campaign_pause_resume_cancel);
	ADD("/status-tracker/reports/refused", test_reports_refused);
	ADD("/status-tracker/reports/outcomes", test_report_outcomes);
	ADD("/status-tracker/history", test_history);
	ADD("/status-tracker/events", test_events);
	ADD("/status-tracker/events/paging", test_events_paging);
	ADD("/status-tracker/statistics", test_statistics);
	ADD("/status-tracker/threads", test_threads);
	ADD("/status-tracker/cache/answers", test_cache_answers);
	ADD("/status-tracker/cache/records", test_cache_records);
	ADD("/status-tracker/cache/flushers", test_cache_flushers);
	ADD("/status-tracker/cache/threads", test_cache_threads);
#undef ADD
	g_test_add("/status-tracker/persistence",
		   Fixture,
		   NULL,
		   fixture_setup_sqlite,
		   test_persistence,
		   fixture_teardown);
	g_test_add("/status-tracker/cache/records/sqlite",
		   Fixture,
		   NULL,
		   fixture_setup_sqlite,
		   test_cache_records,
		   fixture_teardown);
	g_test_add("/status-tracker/cache/flushers/sqlite",
		   Fixture,
		   NULL,
		   fixture_setup_sqlite,
		   test_cache_flushers,
		   fixture_teardown);
	g_test_add("/status-tracker/cache/threads/sqlite",
		   Fixture,
		   NULL,
		   fixture_setup_sqlite,
		   test_cache_threads,
		   fixture_teardown);
	g_test_add("/status-tracker/threads/sqlite",
		   Fixture,
		   NULL,
		   fixture_setup_sqlite,
		   test_threads,
		   fixture_teardown);
	return g_test_run();
}
