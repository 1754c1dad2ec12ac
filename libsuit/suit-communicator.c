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
#include <libsoup/soup.h>
#include <math.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "suit-communicator.h"
#include "suit-error.h"
#include "suit-file-private.h"
#include "suit-manifest-private.h"
#include "suit-model-private.h"
#include "suit-store-directory.h"
#include "suit-version.h"

/**
 * SuitCommunicator:
 *
 * The device-side half of the Status Tracker: it checks in with a
 * `suit-server` over HTTP(S) with the device's credential, downloads the
 * envelope it is offered, hands it to a [class@FirmwareConsumer], posts the
 * signed SUIT report, and after the (simulated) reboot confirms the new image
 * or reports that the device fell back to its old one.
 *
 * One round, suit_communicator_run_once(), does one of these things:
 *
 * - when an update was installed and waits for its reboot, it simulates
 *   the boot: suit_store_begin_boot(), the Invocation procedure on the new
 *   envelope and the health command. A healthy image is confirmed
 *   (suit_store_confirm()) and reported as a success of the new manifest;
 *   otherwise the store falls back and the device reports a success of the
 *   manifest it runs again, which the server sees as a fallback;
 * - otherwise it checks in (`POST /device/v1/check-in`). An `install` offer
 *   is fetched (`GET` of its manifest URL, at most 1 MiB), installed with
 *   suit_firmware_consumer_update() and reported, success or failure; a
 *   `confirm` offer asks for the report of the boot.
 *
 * Every report carries the nonce of the offer it answers
 * (suit_report_set_nonce()) and is signed with the device key
 * (suit_report_sign()).
 *
 * The communicator keeps its own state in a directory given with
 * suit_communicator_set_state_directory(): `state.json` (installed manifest
 * and sequence number, phase, nonce, campaign), `current.suit` (the envelope
 * of the running image), `pending.suit` (the envelope installed and waiting
 * for its boot) and `report.cose` (a signed report not posted yet). Each file
 * is replaced atomically (temporary file, fsync, rename, fsync of the
 * directory), and the state is written before each step that depends on it,
 * so a crash at any point is recovered by the next round: an install that was
 * not reported is done again (the server keeps the offer and its nonce), a
 * report that was not posted is posted again.
 *
 * Relative payload URIs: manifests served by `suit-server` may name their
 * payloads `/payloads/<sha256>`, relative to the server. The communicator
 * cannot change the fetcher of the consumer it is given, so the consumer must
 * be created with a fetcher from suit_communicator_new_fetcher(), which
 * resolves such references against the server URI and hands the absolute URI
 * to the fetcher it wraps.
 *
 * Anti-rollback and fallback: the Firmware Consumer stores the new sequence
 * number when it installs an update. When the new image then falls back, the
 * communicator stores the previous sequence number again, because the device
 * runs the old image and must still be able to run its Invocation
 * procedure; an update only keeps its sequence number once it was confirmed.
 *
 * Network errors and 5xx answers are retried with an exponential backoff
 * starting at one second and capped at the poll interval, at most
 * [method@Communicator.set_max_retries] times; 4xx answers are not retried.
 * Only the server URI's origin ever receives the device token. A
 * #SuitCommunicator is used from one thread at a time.
 *
 * See also: [class@FirmwareConsumer], [class@Report]
 */

#define SUIT_COMMUNICATOR_DEFAULT_POLL_INTERVAL 300 /* s */
#define SUIT_COMMUNICATOR_DEFAULT_JITTER	0.1
#define SUIT_COMMUNICATOR_DEFAULT_MAX_RETRIES	5
#define SUIT_COMMUNICATOR_RETRY_DELAY		1000 /* ms, doubled at each retry */
#define SUIT_COMMUNICATOR_TIMEOUT		60   /* s, connecting and each read */
#define SUIT_COMMUNICATOR_HEALTH_TIMEOUT	300  /* s */
#define SUIT_COMMUNICATOR_MAX_MANIFEST		(1024 * 1024)
#define SUIT_COMMUNICATOR_MAX_JSON		(64 * 1024)
#define SUIT_COMMUNICATOR_MAX_STATE		(64 * 1024)
#define SUIT_COMMUNICATOR_MAX_REPORT		(1024 * 1024)
#define SUIT_COMMUNICATOR_MAX_DETAIL		200
#define SUIT_COMMUNICATOR_MAX_CAMPAIGN		128
#define SUIT_COMMUNICATOR_NONCE_LEN		32 /* hex of 16 bytes */
#define SUIT_COMMUNICATOR_MANIFEST_LEN		64 /* hex of SHA-256 */

#define SUIT_COMMUNICATOR_STATE_FILE   "state.json"
#define SUIT_COMMUNICATOR_CURRENT_FILE "current.suit"
#define SUIT_COMMUNICATOR_PENDING_FILE "pending.suit"
#define SUIT_COMMUNICATOR_REPORT_FILE  "report.cose"

typedef enum {
	SUIT_COMMUNICATOR_PHASE_IDLE,
	/* an update was installed and reported: the next round boots it */
	SUIT_COMMUNICATOR_PHASE_BOOT_PENDING,
	/* report.cose is signed and waits to be posted; outcome says what it reports */
	SUIT_COMMUNICATOR_PHASE_REPORT_PENDING,
} SuitCommunicatorPhase;

/* what happens to pending.suit before report.cose is posted */
typedef enum {
	SUIT_COMMUNICATOR_FILES_KEEP,
	/* the new image was confirmed: pending.suit becomes current.suit */
	SUIT_COMMUNICATOR_FILES_PROMOTE,
	/* the new image fell back: pending.suit goes */
	SUIT_COMMUNICATOR_FILES_DISCARD,
} SuitCommunicatorFiles;

/* what state.json holds */
typedef struct {
	SuitCommunicatorPhase phase;
	SuitCommunicatorFiles files;
	gchar *manifest;	  /* (nullable): the id of the running manifest */
	gint64 sequence_number;	  /* of the running manifest, -1 for none */
	gchar *pending_manifest;  /* (nullable): the id of pending.suit */
	gint64 previous_sequence; /* stored before the pending install, -1 for none */
	gchar *nonce;		  /* (nullable): for the next report */
	gchar *campaign;	  /* (nullable) */
	gchar *subject;		  /* (nullable): the manifest report.cose is about */
	SuitCommunicatorOutcome outcome; /* of report.cose */
} SuitCommunicatorState;

struct _SuitCommunicator {
	GObject parent_instance;
	SuitFirmwareConsumer *consumer;
	SuitStore *store;
	GUri *server_uri;
	gchar *base_uri; /* the server URI without a trailing '/' */
	gchar *token;
	SoupSession *session;
	SuitKey *device_key; /* (nullable) */
	gchar *state_dir;    /* (nullable) */
	guint poll_interval;
	gdouble jitter;
	guint max_retries;
	gchar *health_command; /* (nullable) */
	gchar *last_manifest;  /* (nullable): what the last round was about */
};

G_DEFINE_TYPE(SuitCommunicator, suit_communicator, G_TYPE_OBJECT)

static void
suit_communicator_state_clear(SuitCommunicatorState *state)
{
	g_clear_pointer(&state->manifest, g_free);
	g_clear_pointer(&state->pending_manifest, g_free);
	g_clear_pointer(&state->nonce, g_free);
	g_clear_pointer(&state->campaign, g_free);
	g_clear_pointer(&state->subject, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SuitCommunicatorState, suit_communicator_state_clear)

static void
suit_communicator_set_string(gchar **field, const gchar *value)
{
	gchar *copy = g_strdup(value);
	g_free(*field);
	*field = copy;
}

/* helpers ----------------------------------------------------------------- */

static gboolean
suit_communicator_is_hex(const gchar *str, gsize len)
{
	if (str == NULL || strlen(str) != len)
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_isxdigit(str[i]) || g_ascii_isupper(str[i]))
			return FALSE;
	}
	return TRUE;
}

static gboolean
suit_communicator_is_manifest_id(const gchar *str)
{
	return suit_communicator_is_hex(str, SUIT_COMMUNICATOR_MANIFEST_LEN);
}

static gboolean
suit_communicator_is_nonce(const gchar *str)
{
	return suit_communicator_is_hex(str, SUIT_COMMUNICATOR_NONCE_LEN);
}

/* campaign ids are short printable ASCII; anything else is refused */
static gboolean
suit_communicator_is_campaign(const gchar *str)
{
	gsize len = str != NULL ? strlen(str) : 0;
	if (len == 0 || len > SUIT_COMMUNICATOR_MAX_CAMPAIGN)
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_isalnum(str[i]) && strchr("-_.:", str[i]) == NULL)
			return FALSE;
	}
	return TRUE;
}

/* a SHA-256 SuitDigest from the hex manifest id */
static SuitDigest *
suit_communicator_digest_from_id(const gchar *id)
{
	g_autoptr(GBytes) value = suit_hex_decode(id, NULL);
	if (value == NULL)
		return NULL;
	return suit_digest_new(SUIT_DIGEST_ALGORITHM_SHA256, value);
}

/* the manifest id (lower case hex of the SHA-256 manifest digest) of @envelope */
static gchar *
suit_communicator_envelope_id(SuitEnvelope *envelope)
{
	SuitDigest *digest = suit_envelope_get_manifest_digest(envelope);
	if (digest == NULL || suit_digest_get_algorithm(digest) != SUIT_DIGEST_ALGORITHM_SHA256)
		return NULL;
	return suit_digest_to_hex(digest);
}

static gboolean
suit_communicator_same_origin(GUri *a, GUri *b)
{
	gint port_a = g_uri_get_port(a);
	gint port_b = g_uri_get_port(b);

	if (g_ascii_strcasecmp(g_uri_get_scheme(a), g_uri_get_scheme(b)) != 0)
		return FALSE;
	if (g_uri_get_host(a) == NULL || g_uri_get_host(b) == NULL ||
	    g_ascii_strcasecmp(g_uri_get_host(a), g_uri_get_host(b)) != 0)
		return FALSE;
	if (port_a < 0)
		port_a = g_ascii_strcasecmp(g_uri_get_scheme(a), "https") == 0 ? 443 : 80;
	if (port_b < 0)
		port_b = g_ascii_strcasecmp(g_uri_get_scheme(b), "https") == 0 ? 443 : 80;
	return port_a == port_b;
}

/* parses and checks a server URI: http or https, a host, no credentials */
static GUri *
suit_communicator_parse_server_uri(const gchar *server_uri, GError **error)
{
	g_autoptr(GUri) uri = NULL;
	g_autoptr(GError) error_local = NULL;
	const gchar *scheme;

	uri = g_uri_parse(server_uri, G_URI_FLAGS_NONE, &error_local);
	if (uri == NULL) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "invalid server uri: %s",
			    error_local->message);
		return NULL;
	}
	scheme = g_uri_get_scheme(uri);
	if (g_ascii_strcasecmp(scheme, "http") != 0 && g_ascii_strcasecmp(scheme, "https") != 0) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "server uri scheme %s is not supported, expected http or https",
			    scheme);
		return NULL;
	}
	if (g_uri_get_host(uri) == NULL || g_uri_get_host(uri)[0] == '\0') {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT, "server uri has no host");
		return NULL;
	}
	if (g_uri_get_userinfo(uri) != NULL) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_ARGUMENT,
				    "server uri must not carry credentials");
		return NULL;
	}
	if (g_uri_get_query(uri) != NULL || g_uri_get_fragment(uri) != NULL) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_ARGUMENT,
				    "server uri must not have a query or a fragment");
		return NULL;
	}
	return g_steal_pointer(&uri);
}

/* the server URI without its trailing slashes */
static gchar *
suit_communicator_base_uri(GUri *uri)
{
	g_autofree gchar *str = g_uri_to_string(uri);
	gsize len = strlen(str);
	while (len > 0 && str[len - 1] == '/')
		str[--len] = '\0';
	return g_steal_pointer(&str);
}

/* resolves @ref against the server: an absolute URI stays as it is */
static gchar *
suit_communicator_resolve(const gchar *base_uri, const gchar *ref, GError **error)
{
	g_autofree gchar *base = g_strconcat(base_uri, "/", NULL);
	g_autoptr(GError) error_local = NULL;
	gchar *resolved = g_uri_resolve_relative(base, ref, G_URI_FLAGS_NONE, &error_local);
	if (resolved == NULL) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "cannot resolve uri %s: %s",
			    ref,
			    error_local->message);
		return NULL;
	}
	return resolved;
}

/* files of the state directory ------------------------------------------- */

static gboolean
suit_communicator_fsync_dir(const gchar *path, GError **error)
{
	return suit_file_sync_directory(path, error);
}

/* writes @name in the state directory: temporary file, fsync, rename, fsync */
static gboolean
suit_communicator_write_file(SuitCommunicator *self, const gchar *name, GBytes *contents, GError **error)
{
	g_autofree gchar *tmp_prefix = g_strdup_printf(".%s.", name);
	return suit_file_replace(self->state_dir, name, tmp_prefix, contents, error);
}

/* reads a file of the state directory, at most @max_size bytes;
 * %SUIT_ERROR_NOT_FOUND when it does not exist */
static GBytes *
suit_communicator_read_file(SuitCommunicator *self, const gchar *name, gsize max_size, GError **error)
{
	g_autofree gchar *path = g_build_filename(self->state_dir, name, NULL);
	return suit_file_read_small(path, max_size, error);
}

static gboolean
suit_communicator_has_file(SuitCommunicator *self, const gchar *name)
{
	g_autofree gchar *path = g_build_filename(self->state_dir, name, NULL);
	return g_file_test(path, G_FILE_TEST_IS_REGULAR);
}

static gboolean
suit_communicator_remove_file(SuitCommunicator *self, const gchar *name, GError **error)
{
	g_autofree gchar *path = g_build_filename(self->state_dir, name, NULL);
	if (g_unlink(path) != 0) {
		gint errsv = errno;
		if (errsv == ENOENT)
			return TRUE;
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_WRITE_FAILED,
			    "failed to remove %s: %s",
			    path,
			    g_strerror(errsv));
		return FALSE;
	}
	return suit_communicator_fsync_dir(self->state_dir, error);
}

static gboolean
suit_communicator_rename_file(SuitCommunicator *self, const gchar *from, const gchar *to, GError **error)
{
	g_autofree gchar *path_from = g_build_filename(self->state_dir, from, NULL);
	g_autofree gchar *path_to = g_build_filename(self->state_dir, to, NULL);
	if (g_rename(path_from, path_to) != 0) {
		gint errsv = errno;
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_WRITE_FAILED,
			    "failed to rename %s: %s",
			    path_from,
			    g_strerror(errsv));
		return FALSE;
	}
	return suit_communicator_fsync_dir(self->state_dir, error);
}

/* an envelope file of the state directory, or %NULL with NOT_FOUND */
static SuitEnvelope *
suit_communicator_load_envelope(SuitCommunicator *self, const gchar *name, GError **error)
{
	g_autoptr(GBytes) blob = suit_communicator_read_file(self, name, SUIT_COMMUNICATOR_MAX_MANIFEST, error);
	SuitEnvelope *envelope;
	if (blob == NULL)
		return NULL;
	envelope = suit_envelope_new_from_bytes(blob, SUIT_PARSE_FLAG_NONE, error);
	if (envelope == NULL)
		g_prefix_error(error, "%s: ", name);
	return envelope;
}

/* the state file --------------------------------------------------------- */

static const gchar *
suit_communicator_phase_to_string(SuitCommunicatorPhase phase)
{
	switch (phase) {
	case SUIT_COMMUNICATOR_PHASE_BOOT_PENDING:
		return "boot-pending";
	case SUIT_COMMUNICATOR_PHASE_REPORT_PENDING:
		return "report-pending";
	case SUIT_COMMUNICATOR_PHASE_IDLE:
	default:
		return "idle";
	}
}

static const gchar *
suit_communicator_outcome_to_string(SuitCommunicatorOutcome outcome)
{
	switch (outcome) {
	case SUIT_COMMUNICATOR_OUTCOME_INSTALLED:
		return "installed";
	case SUIT_COMMUNICATOR_OUTCOME_CONFIRMED:
		return "confirmed";
	case SUIT_COMMUNICATOR_OUTCOME_FELL_BACK:
		return "fell-back";
	case SUIT_COMMUNICATOR_OUTCOME_FAILED:
		return "failed";
	case SUIT_COMMUNICATOR_OUTCOME_NONE:
	default:
		return "none";
	}
}

static void
suit_communicator_build_string(JsonBuilder *builder, const gchar *name, const gchar *value)
{
	json_builder_set_member_name(builder, name);
	if (value != NULL)
		json_builder_add_string_value(builder, value);
	else
		json_builder_add_null_value(builder);
}

static void
suit_communicator_build_int(JsonBuilder *builder, const gchar *name, gint64 value)
{
	json_builder_set_member_name(builder, name);
	if (value >= 0)
		json_builder_add_int_value(builder, value);
	else
		json_builder_add_null_value(builder);
}

static gboolean
suit_communicator_save_state(SuitCommunicator *self, const SuitCommunicatorState *state, GError **error)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(JsonGenerator) generator = json_generator_new();
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GBytes) contents = NULL;
	gchar *text;
	gsize len = 0;

	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "version");
	json_builder_add_int_value(builder, 1);
	suit_communicator_build_string(builder, "phase", suit_communicator_phase_to_string(state->phase));
	suit_communicator_build_string(builder, "manifest", state->manifest);
	suit_communicator_build_int(builder, "sequence_number", state->sequence_number);
	suit_communicator_build_string(builder, "pending_manifest", state->pending_manifest);
	suit_communicator_build_int(builder, "previous_sequence_number", state->previous_sequence);
	suit_communicator_build_string(builder, "nonce", state->nonce);
	suit_communicator_build_string(builder, "campaign", state->campaign);
	suit_communicator_build_string(builder, "outcome", suit_communicator_outcome_to_string(state->outcome));
	suit_communicator_build_string(builder, "report_manifest", state->subject);
	suit_communicator_build_string(builder,
				       "pending_envelope",
				       state->files == SUIT_COMMUNICATOR_FILES_PROMOTE	 ? "promote"
				       : state->files == SUIT_COMMUNICATOR_FILES_DISCARD ? "discard"
											 : "keep");
	json_builder_end_object(builder);
	root = json_builder_get_root(builder);
	json_generator_set_root(generator, root);
	json_generator_set_pretty(generator, TRUE);
	text = json_generator_to_data(generator, &len);
	contents = g_bytes_new_take(text, len);
	return suit_communicator_write_file(self, SUIT_COMMUNICATOR_STATE_FILE, contents, error);
}

/* a string member that may be null or missing; FALSE when it has another type */
static gboolean
suit_communicator_json_string(JsonObject *obj, const gchar *name, const gchar **value)
{
	JsonNode *node = json_object_get_member(obj, name);
	*value = NULL;
	if (node == NULL || JSON_NODE_HOLDS_NULL(node))
		return TRUE;
	if (json_node_get_value_type(node) != G_TYPE_STRING)
		return FALSE;
	*value = json_node_get_string(node);
	return TRUE;
}

/* a non-negative integer member that may be null or missing (-1) */
static gboolean
suit_communicator_json_uint(JsonObject *obj, const gchar *name, gint64 *value)
{
	JsonNode *node = json_object_get_member(obj, name);
	*value = -1;
	if (node == NULL || JSON_NODE_HOLDS_NULL(node))
		return TRUE;
	if (json_node_get_value_type(node) != G_TYPE_INT64 || json_node_get_int(node) < 0)
		return FALSE;
	*value = json_node_get_int(node);
	return TRUE;
}

/* parses a JSON object of at most SUIT_COMMUNICATOR_MAX_JSON bytes */
static JsonNode *
suit_communicator_parse_json(GBytes *blob, const gchar *what, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new_immutable();
	g_autoptr(GError) error_local = NULL;
	gsize len = 0;
	const gchar *data = g_bytes_get_data(blob, &len);

	if (len > SUIT_COMMUNICATOR_MAX_JSON) {
		g_set_error(error, SUIT_ERROR, SUIT_ERROR_LIMIT_EXCEEDED, "%s is too large", what);
		return NULL;
	}
	if (len == 0 || !g_utf8_validate(data, (gssize)len, NULL) ||
	    !suit_json_check_text(data, (gssize)len, SUIT_JSON_MAX_DEPTH, &error_local) ||
	    !json_parser_load_from_data(parser, data, (gssize)len, &error_local)) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "%s is not valid JSON%s%s",
			    what,
			    error_local != NULL ? ": " : "",
			    error_local != NULL ? error_local->message : "");
		return NULL;
	}
	if (!JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser))) {
		g_set_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "%s is not a JSON object", what);
		return NULL;
	}
	return json_node_ref(json_parser_get_root(parser));
}

static gboolean
suit_communicator_load_state(SuitCommunicator *self, SuitCommunicatorState *state, GError **error)
{
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GError) error_local = NULL;
	JsonObject *obj;
	const gchar *phase = NULL;
	const gchar *manifest = NULL;
	const gchar *pending = NULL;
	const gchar *nonce = NULL;
	const gchar *campaign = NULL;
	const gchar *outcome = NULL;
	const gchar *files = NULL;
	const gchar *subject = NULL;

	suit_communicator_state_clear(state);
	state->phase = SUIT_COMMUNICATOR_PHASE_IDLE;
	state->sequence_number = -1;
	state->previous_sequence = -1;
	state->outcome = SUIT_COMMUNICATOR_OUTCOME_NONE;

	blob = suit_communicator_read_file(self,
					   SUIT_COMMUNICATOR_STATE_FILE,
					   SUIT_COMMUNICATOR_MAX_STATE,
					   &error_local);
	if (blob == NULL) {
		/* a new device */
		if (g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_NOT_FOUND))
			return TRUE;
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	root = suit_communicator_parse_json(blob, SUIT_COMMUNICATOR_STATE_FILE, error);
	if (root == NULL)
		return FALSE;
	obj = json_node_get_object(root);
	if (!suit_communicator_json_string(obj, "phase", &phase) ||
	    !suit_communicator_json_string(obj, "manifest", &manifest) ||
	    !suit_communicator_json_uint(obj, "sequence_number", &state->sequence_number) ||
	    !suit_communicator_json_string(obj, "pending_manifest", &pending) ||
	    !suit_communicator_json_uint(obj, "previous_sequence_number", &state->previous_sequence) ||
	    !suit_communicator_json_string(obj, "nonce", &nonce) ||
	    !suit_communicator_json_string(obj, "campaign", &campaign) ||
	    !suit_communicator_json_string(obj, "outcome", &outcome) ||
	    !suit_communicator_json_string(obj, "pending_envelope", &files) ||
	    !suit_communicator_json_string(obj, "report_manifest", &subject) ||
	    (subject != NULL && !suit_communicator_is_manifest_id(subject)) ||
	    (manifest != NULL && !suit_communicator_is_manifest_id(manifest)) ||
	    (pending != NULL && !suit_communicator_is_manifest_id(pending)) ||
	    (nonce != NULL && !suit_communicator_is_nonce(nonce)) ||
	    (campaign != NULL && !suit_communicator_is_campaign(campaign))) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "%s/%s has a member of the wrong type or value",
			    self->state_dir,
			    SUIT_COMMUNICATOR_STATE_FILE);
		return FALSE;
	}
	if (g_strcmp0(phase, "boot-pending") == 0) {
		state->phase = SUIT_COMMUNICATOR_PHASE_BOOT_PENDING;
	} else if (g_strcmp0(phase, "report-pending") == 0) {
		state->phase = SUIT_COMMUNICATOR_PHASE_REPORT_PENDING;
	} else if (g_strcmp0(phase, "idle") != 0) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "%s/%s: unknown phase",
			    self->state_dir,
			    SUIT_COMMUNICATOR_STATE_FILE);
		return FALSE;
	}
	if (g_strcmp0(outcome, "installed") == 0)
		state->outcome = SUIT_COMMUNICATOR_OUTCOME_INSTALLED;
	else if (g_strcmp0(outcome, "confirmed") == 0)
		state->outcome = SUIT_COMMUNICATOR_OUTCOME_CONFIRMED;
	else if (g_strcmp0(outcome, "fell-back") == 0)
		state->outcome = SUIT_COMMUNICATOR_OUTCOME_FELL_BACK;
	else if (g_strcmp0(outcome, "failed") == 0)
		state->outcome = SUIT_COMMUNICATOR_OUTCOME_FAILED;
	if (g_strcmp0(files, "promote") == 0)
		state->files = SUIT_COMMUNICATOR_FILES_PROMOTE;
	else if (g_strcmp0(files, "discard") == 0)
		state->files = SUIT_COMMUNICATOR_FILES_DISCARD;
	else
		state->files = SUIT_COMMUNICATOR_FILES_KEEP;
	state->manifest = g_strdup(manifest);
	state->pending_manifest = g_strdup(pending);
	state->nonce = g_strdup(nonce);
	state->campaign = g_strdup(campaign);
	state->subject = g_strdup(subject);
	return TRUE;
}

/* HTTP ------------------------------------------------------------------- */

/* reads a response body of at most @max_size bytes */
static GBytes *
suit_communicator_read_body(GInputStream *stream,
			    gsize max_size,
			    const gchar *uri,
			    GCancellable *cancellable,
			    gboolean *transient,
			    GError **error)
{
	g_autoptr(GByteArray) buf = g_byte_array_new();
	guint8 chunk[16 * 1024];

	for (;;) {
		g_autoptr(GError) error_local = NULL;
		gssize n = g_input_stream_read(stream, chunk, sizeof(chunk), cancellable, &error_local);
		if (n < 0) {
			if (g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
				g_propagate_error(error, g_steal_pointer(&error_local));
				return NULL;
			}
			*transient = TRUE;
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_FETCH_FAILED,
				    "failed to read the answer of %s: %s",
				    uri,
				    error_local->message);
			return NULL;
		}
		if (n == 0)
			break;
		if (buf->len + (gsize)n > max_size) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_LIMIT_EXCEEDED,
				    "the answer of %s is larger than %" G_GSIZE_FORMAT " bytes",
				    uri,
				    max_size);
			return NULL;
		}
		g_byte_array_append(buf, chunk, (guint)n);
	}
	return g_byte_array_free_to_bytes(g_steal_pointer(&buf));
}

/* the SuitError of a 4xx answer: the error id of a problem document when it
 * names one, else one derived from the status */
static void
suit_communicator_set_status_error(guint status, const gchar *uri, GBytes *body, GError **error)
{
	SuitError code;
	const gchar *title = NULL;
	const gchar *detail = NULL;
	g_autofree gchar *detail_safe = NULL;
	g_autoptr(JsonNode) root = NULL;

	switch (status) {
	case SOUP_STATUS_UNAUTHORIZED:
	case SOUP_STATUS_FORBIDDEN:
		code = SUIT_ERROR_PERMISSION_DENIED;
		break;
	case SOUP_STATUS_NOT_FOUND:
	case SOUP_STATUS_GONE:
		code = SUIT_ERROR_NOT_FOUND;
		break;
	case SOUP_STATUS_CONFLICT:
		code = SUIT_ERROR_CONFLICT;
		break;
	case SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE:
		code = SUIT_ERROR_LIMIT_EXCEEDED;
		break;
	case SOUP_STATUS_UNPROCESSABLE_ENTITY:
		code = SUIT_ERROR_INVALID_DATA;
		break;
	default:
		code = status >= 400 && status < 500 ? SUIT_ERROR_INVALID_ARGUMENT : SUIT_ERROR_FETCH_FAILED;
		break;
	}
	if (body != NULL && g_bytes_get_size(body) > 0)
		root = suit_communicator_parse_json(body, "problem", NULL);
	if (root != NULL) {
		JsonObject *obj = json_node_get_object(root);
		if (suit_communicator_json_string(obj, "title", &title) && title != NULL) {
			SuitError named = suit_error_from_id(title);
			/* 4xx problems only: a server bug is no reason to blame the device */
			if ((named != SUIT_ERROR_INTERNAL || g_strcmp0(title, "internal") == 0) &&
			    status >= 400 && status < 500)
				code = named;
		}
		if (!suit_communicator_json_string(obj, "detail", &detail))
			detail = NULL;
	}
	if (detail != NULL) {
		/* server text, shown in logs: short and printable */
		detail_safe = g_utf8_make_valid(detail, -1);
		if (g_utf8_strlen(detail_safe, -1) > SUIT_COMMUNICATOR_MAX_DETAIL) {
			gchar *end = g_utf8_offset_to_pointer(detail_safe, SUIT_COMMUNICATOR_MAX_DETAIL);
			*end = '\0';
		}
		for (gchar *p = detail_safe; *p != '\0'; p++) {
			if ((guchar)*p < 0x20)
				*p = ' ';
		}
	}
	g_set_error(error,
		    SUIT_ERROR,
		    code,
		    "%s: HTTP %u %s%s%s",
		    uri,
		    status,
		    soup_status_get_phrase(status) != NULL ? soup_status_get_phrase(status) : "",
		    detail_safe != NULL ? ": " : "",
		    detail_safe != NULL ? detail_safe : "");
}

/* one request; *transient says whether a retry may help */
static GBytes *
suit_communicator_send_once(SuitCommunicator *self,
			    const gchar *method,
			    const gchar *uri,
			    const gchar *content_type,
			    GBytes *body,
			    gsize max_size,
			    guint *status,
			    gboolean *transient,
			    GCancellable *cancellable,
			    GError **error)
{
	g_autoptr(SoupMessage) msg = NULL;
	g_autoptr(GInputStream) stream = NULL;
	g_autoptr(GBytes) reply = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *authorization = NULL;
	SoupMessageHeaders *headers;
	guint code;

	*transient = FALSE;
	msg = soup_message_new(method, uri);
	if (msg == NULL) {
		g_set_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT, "invalid uri %s", uri);
		return NULL;
	}
	/* a redirect could carry the token elsewhere */
	soup_message_add_flags(msg, SOUP_MESSAGE_NO_REDIRECT);
	headers = soup_message_get_request_headers(msg);
	authorization = g_strdup_printf("Bearer %s", self->token);
	soup_message_headers_replace(headers, "Authorization", authorization);
	soup_message_headers_replace(headers, "Accept-Encoding", "identity");
	if (body != NULL)
		soup_message_set_request_body_from_bytes(msg, content_type, body);

	stream = soup_session_send(self->session, msg, cancellable, &error_local);
	if (stream == NULL) {
		if (g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
		/* an untrusted certificate does not get better by retrying */
		*transient = error_local->domain != G_TLS_ERROR;
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_FETCH_FAILED,
			    "failed to reach %s: %s",
			    uri,
			    error_local->message);
		return NULL;
	}
	code = soup_message_get_status(msg);
	*status = code;
	if (code >= 200 && code < 300) {
		reply = suit_communicator_read_body(stream, max_size, uri, cancellable, transient, error);
		if (reply == NULL)
			return NULL;
		g_input_stream_close(stream, NULL, NULL);
		return g_steal_pointer(&reply);
	}

	/* an error answer: its problem document, if short, names the error */
	reply = suit_communicator_read_body(stream,
					    SUIT_COMMUNICATOR_MAX_JSON,
					    uri,
					    cancellable,
					    transient,
					    &error_local);
	if (reply == NULL && g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	g_input_stream_close(stream, NULL, NULL);
	*transient = code >= 500 || code == SOUP_STATUS_REQUEST_TIMEOUT || code == 429;
	if (code < 400) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "%s: unexpected HTTP %u",
			    uri,
			    code);
		return NULL;
	}
	suit_communicator_set_status_error(code, uri, reply, error);
	return NULL;
}

/* waits @delay ms, or less if @cancellable is cancelled */
static gboolean
suit_communicator_sleep(guint64 delay, GCancellable *cancellable, GError **error)
{
	GPollFD pollfd = {0};
	gint64 end = g_get_monotonic_time() + (gint64)delay * 1000;

	for (;;) {
		gint64 now = g_get_monotonic_time();
		gint timeout;
		if (g_cancellable_set_error_if_cancelled(cancellable, error))
			return FALSE;
		if (now >= end)
			return TRUE;
		timeout = (gint)MIN((end - now + 999) / 1000, G_MAXINT);
		if (cancellable != NULL && g_cancellable_make_pollfd(cancellable, &pollfd)) {
			g_poll(&pollfd, 1, timeout);
			g_cancellable_release_fd(cancellable);
		} else {
			g_usleep((gulong)MIN(timeout, 1000) * 1000);
		}
	}
}

/* a request with retries of network errors and 5xx; returns the 2xx body */
static GBytes *
suit_communicator_send(SuitCommunicator *self,
		       const gchar *method,
		       const gchar *uri,
		       const gchar *content_type,
		       GBytes *body,
		       gsize max_size,
		       guint *status,
		       GCancellable *cancellable,
		       GError **error)
{
	guint64 cap = (guint64)self->poll_interval * 1000;
	guint64 delay = MIN((guint64)SUIT_COMMUNICATOR_RETRY_DELAY, cap);

	for (guint attempt = 0;; attempt++) {
		g_autoptr(GMainContext) context = g_main_context_new();
		g_autoptr(GError) error_local = NULL;
		g_autoptr(GBytes) reply = NULL;
		gboolean transient = FALSE;

		/* never touch the caller's main context from this blocking call */
		g_main_context_push_thread_default(context);
		reply = suit_communicator_send_once(self,
						    method,
						    uri,
						    content_type,
						    body,
						    max_size,
						    status,
						    &transient,
						    cancellable,
						    &error_local);
		g_main_context_pop_thread_default(context);
		if (reply != NULL)
			return g_steal_pointer(&reply);
		if (!transient || attempt >= self->max_retries) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			if (attempt > 0)
				g_prefix_error(error, "gave up after %u retries: ", attempt);
			return NULL;
		}
		g_debug("retry %u/%u in %" G_GUINT64_FORMAT " ms: %s",
			attempt + 1,
			self->max_retries,
			delay,
			error_local->message);
		if (!suit_communicator_sleep(delay, cancellable, error))
			return NULL;
		delay = MIN(delay * 2, cap);
	}
}

/* POST of a JSON document, or of a report */
static GBytes *
suit_communicator_post(SuitCommunicator *self,
		       const gchar *path,
		       const gchar *content_type,
		       GBytes *body,
		       guint *status,
		       GCancellable *cancellable,
		       GError **error)
{
	g_autofree gchar *uri = g_strconcat(self->base_uri, path, NULL);
	return suit_communicator_send(self,
				      SOUP_METHOD_POST,
				      uri,
				      content_type,
				      body,
				      SUIT_COMMUNICATOR_MAX_JSON,
				      status,
				      cancellable,
				      error);
}

/* the device protocol ---------------------------------------------------- */

typedef struct {
	gchar *action;
	gchar *manifest;
	gchar *manifest_url;
	gchar *campaign;
	gchar *nonce;
} SuitCommunicatorOffer;

static void
suit_communicator_offer_clear(SuitCommunicatorOffer *offer)
{
	g_clear_pointer(&offer->action, g_free);
	g_clear_pointer(&offer->manifest, g_free);
	g_clear_pointer(&offer->manifest_url, g_free);
	g_clear_pointer(&offer->campaign, g_free);
	g_clear_pointer(&offer->nonce, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SuitCommunicatorOffer, suit_communicator_offer_clear)

/* POST /device/v1/check-in; FALSE on error, TRUE with @offer->action NULL
 * when there is nothing to do */
static gboolean
suit_communicator_check_in(SuitCommunicator *self,
			   const SuitCommunicatorState *state,
			   SuitCommunicatorOffer *offer,
			   GCancellable *cancellable,
			   GError **error)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(JsonGenerator) generator = json_generator_new();
	g_autoptr(JsonNode) request = NULL;
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GBytes) body = NULL;
	g_autoptr(GBytes) reply = NULL;
	JsonObject *obj;
	const gchar *action = NULL;
	const gchar *manifest = NULL;
	const gchar *manifest_url = NULL;
	const gchar *campaign = NULL;
	const gchar *nonce = NULL;
	guint status = 0;
	gchar *text;
	gsize len = 0;

	json_builder_begin_object(builder);
	suit_communicator_build_int(builder, "sequence_number", state->manifest != NULL ? state->sequence_number : -1);
	suit_communicator_build_string(builder, "manifest", state->manifest);
	json_builder_end_object(builder);
	request = json_builder_get_root(builder);
	json_generator_set_root(generator, request);
	text = json_generator_to_data(generator, &len);
	body = g_bytes_new_take(text, len);

	reply = suit_communicator_post(self,
				       "/device/v1/check-in",
				       "application/json",
				       body,
				       &status,
				       cancellable,
				       error);
	if (reply == NULL) {
		g_prefix_error(error, "failed to check in: ");
		return FALSE;
	}
	if (status == SOUP_STATUS_NO_CONTENT)
		return TRUE;
	if (status != SOUP_STATUS_OK) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "failed to check in: unexpected HTTP %u",
			    status);
		return FALSE;
	}
	root = suit_communicator_parse_json(reply, "the check-in answer", error);
	if (root == NULL)
		return FALSE;
	obj = json_node_get_object(root);
	if (!suit_communicator_json_string(obj, "action", &action) || action == NULL ||
	    !suit_communicator_json_string(obj, "manifest", &manifest) || !suit_communicator_is_manifest_id(manifest) ||
	    !suit_communicator_json_string(obj, "manifest_url", &manifest_url) ||
	    !suit_communicator_json_string(obj, "campaign", &campaign) ||
	    (campaign != NULL && !suit_communicator_is_campaign(campaign)) ||
	    !suit_communicator_json_string(obj, "nonce", &nonce) || !suit_communicator_is_nonce(nonce)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "the check-in answer is not a valid offer");
		return FALSE;
	}
	if (g_strcmp0(action, "install") != 0 && g_strcmp0(action, "confirm") != 0) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_NOT_SUPPORTED,
			    "the server offered an unknown action '%.32s'",
			    action);
		return FALSE;
	}
	offer->action = g_strdup(action);
	offer->manifest = g_strdup(manifest);
	offer->manifest_url = manifest_url != NULL ? g_strdup(manifest_url)
						   : g_strdup_printf("/device/v1/manifests/%s", manifest);
	offer->campaign = g_strdup(campaign);
	offer->nonce = g_strdup(nonce);
	g_debug("offer: %s %s (campaign %s)", action, manifest, campaign != NULL ? campaign : "none");
	return TRUE;
}

/* GET of the offered envelope, from the server's origin only */
static GBytes *
suit_communicator_download_envelope(SuitCommunicator *self,
				    const SuitCommunicatorOffer *offer,
				    GCancellable *cancellable,
				    GError **error)
{
	g_autofree gchar *uri = NULL;
	g_autoptr(GUri) parsed = NULL;
	guint status = 0;

	uri = suit_communicator_resolve(self->base_uri, offer->manifest_url, error);
	if (uri == NULL)
		return NULL;
	parsed = g_uri_parse(uri, G_URI_FLAGS_NONE, NULL);
	if (parsed == NULL || !suit_communicator_same_origin(parsed, self->server_uri)) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "the manifest url %s is not on the server",
			    uri);
		return NULL;
	}
	return suit_communicator_send(self,
				      SOUP_METHOD_GET,
				      uri,
				      NULL,
				      NULL,
				      SUIT_COMMUNICATOR_MAX_MANIFEST,
				      &status,
				      cancellable,
				      error);
}

/* a failure report made here, when the consumer could not make one */
static SuitReport *
suit_communicator_failure_report(const gchar *manifest_id, const GError *error)
{
	g_autoptr(SuitReport) report = suit_report_new();
	g_autoptr(SuitDigest) digest = suit_communicator_digest_from_id(manifest_id);

	if (digest == NULL)
		return NULL;
	suit_report_set_reference(report, "", digest);
	suit_report_set_result_failure(report,
				       error->domain == SUIT_ERROR ? error->code : -1,
				       NULL,
				       suit_report_reason_from_error(error));
	return g_steal_pointer(&report);
}

/* signs @report with @nonce and stores it as report.cose */
static gboolean
suit_communicator_store_report(SuitCommunicator *self, SuitReport *report, const gchar *nonce, GError **error)
{
	g_autoptr(GBytes) nonce_bytes = NULL;
	g_autoptr(GBytes) cose = NULL;

	if (nonce != NULL) {
		nonce_bytes = suit_hex_decode(nonce, error);
		if (nonce_bytes == NULL)
			return FALSE;
	}
	suit_report_set_nonce(report, nonce_bytes);
	cose = suit_report_sign(report, self->device_key, SUIT_COSE_ALGORITHM_NONE, NULL, error);
	if (cose == NULL) {
		g_prefix_error(error, "failed to sign the report: ");
		return FALSE;
	}
	return suit_communicator_write_file(self, SUIT_COMMUNICATOR_REPORT_FILE, cose, error);
}

/* what the boot decided for pending.suit; idempotent, so that a crash in
 * between is finished by the next round */
static gboolean
suit_communicator_finish_files(SuitCommunicator *self, SuitCommunicatorState *state, GError **error)
{
	switch (state->files) {
	case SUIT_COMMUNICATOR_FILES_PROMOTE:
		if (suit_communicator_has_file(self, SUIT_COMMUNICATOR_PENDING_FILE) &&
		    !suit_communicator_rename_file(self,
						   SUIT_COMMUNICATOR_PENDING_FILE,
						   SUIT_COMMUNICATOR_CURRENT_FILE,
						   error))
			return FALSE;
		break;
	case SUIT_COMMUNICATOR_FILES_DISCARD:
		if (!suit_communicator_remove_file(self, SUIT_COMMUNICATOR_PENDING_FILE, error))
			return FALSE;
		break;
	case SUIT_COMMUNICATOR_FILES_KEEP:
	default:
		break;
	}
	state->files = SUIT_COMMUNICATOR_FILES_KEEP;
	return TRUE;
}

/* posts report.cose; the phase after it follows the stored outcome */
static gboolean
suit_communicator_post_report(SuitCommunicator *self,
			      SuitCommunicatorState *state,
			      SuitCommunicatorOutcome *outcome,
			      GCancellable *cancellable,
			      GError **error)
{
	g_autoptr(GBytes) cose = NULL;
	g_autoptr(GBytes) reply = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autoptr(JsonNode) root = NULL;
	const gchar *nonce = NULL;
	guint status = 0;

	if (!suit_communicator_finish_files(self, state, error))
		return FALSE;
	cose = suit_communicator_read_file(self,
					   SUIT_COMMUNICATOR_REPORT_FILE,
					   SUIT_COMMUNICATOR_MAX_REPORT,
					   &error_local);
	if (cose == NULL && !g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_NOT_FOUND)) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	g_clear_error(&error_local);
	if (cose != NULL) {
		reply = suit_communicator_post(self,
					       "/device/v1/reports",
					       "application/suit-report+cose",
					       cose,
					       &status,
					       cancellable,
					       &error_local);
	}
	if (reply == NULL && error_local != NULL) {
		/* the network, the server or the credential: the report stays
		 * for the next round */
		if (g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
		    g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_FETCH_FAILED) ||
		    g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_PERMISSION_DENIED)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			g_prefix_error(error, "failed to post the report: ");
			return FALSE;
		}
		/* refused: posting it again cannot help */
		g_debug("the server refused the report: %s", error_local->message);
	}
	if (reply != NULL) {
		root = suit_communicator_parse_json(reply, "the report answer", NULL);
		if (root != NULL &&
		    (!suit_communicator_json_string(json_node_get_object(root), "nonce", &nonce) ||
		     !suit_communicator_is_nonce(nonce)))
			nonce = NULL;
	}

	/* an installed update boots next, with the new nonce or, when there
	 * is none, with the one of the confirm offer the next check-in gets */
	suit_communicator_set_string(&state->nonce, nonce);
	state->phase = state->outcome == SUIT_COMMUNICATOR_OUTCOME_INSTALLED ? SUIT_COMMUNICATOR_PHASE_BOOT_PENDING
									     : SUIT_COMMUNICATOR_PHASE_IDLE;
	if (!suit_communicator_save_state(self, state, error))
		return FALSE;
	if (!suit_communicator_remove_file(self, SUIT_COMMUNICATOR_REPORT_FILE, error))
		return FALSE;
	suit_communicator_set_string(&self->last_manifest, state->subject);
	if (error_local != NULL) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		g_prefix_error(error, "the server refused the report: ");
		return FALSE;
	}
	g_debug("report posted: %s", suit_communicator_outcome_to_string(state->outcome));
	*outcome = state->outcome;
	return TRUE;
}

/* signs @report, stores it with the new state, then posts it */
static gboolean
suit_communicator_report(SuitCommunicator *self,
			 SuitCommunicatorState *state,
			 SuitReport *report,
			 SuitCommunicatorOutcome result,
			 SuitCommunicatorOutcome *outcome,
			 GCancellable *cancellable,
			 GError **error)
{
	if (!suit_communicator_store_report(self, report, state->nonce, error))
		return FALSE;
	state->phase = SUIT_COMMUNICATOR_PHASE_REPORT_PENDING;
	state->outcome = result;
	if (!suit_communicator_save_state(self, state, error))
		return FALSE;
	return suit_communicator_post_report(self, state, outcome, cancellable, error);
}

/* the health command, with SUIT_AGENT_STORE and SUIT_AGENT_MANIFEST */

typedef struct {
	gboolean done;
	GError *error;
} SuitCommunicatorWait;

static void
suit_communicator_health_wait_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	SuitCommunicatorWait *wait = user_data;
	g_subprocess_wait_finish(G_SUBPROCESS(source), res, &wait->error);
	wait->done = TRUE;
}

static gboolean
suit_communicator_health_timeout_cb(gpointer user_data)
{
	GSubprocess *subprocess = G_SUBPROCESS(user_data);
	g_warning("the health command did not finish within %u s, killing it", SUIT_COMMUNICATOR_HEALTH_TIMEOUT);
	g_subprocess_force_exit(subprocess);
	return G_SOURCE_REMOVE;
}

static gboolean
suit_communicator_check_health(SuitCommunicator *self,
			       const gchar *manifest_id,
			       gboolean *healthy,
			       GCancellable *cancellable,
			       GError **error)
{
	g_autoptr(GSubprocessLauncher) launcher = NULL;
	g_autoptr(GSubprocess) subprocess = NULL;
	g_autoptr(GMainContext) context = NULL;
	g_autoptr(GSource) timeout = NULL;
	g_autoptr(GError) error_local = NULL;
	SuitCommunicatorWait wait = {FALSE, NULL};
	gint stdout_fd;

	*healthy = TRUE;
	if (self->health_command == NULL)
		return TRUE;
	launcher = g_subprocess_launcher_new(G_SUBPROCESS_FLAGS_NONE);
	/* standard output is the caller's: the command's goes to standard error */
	stdout_fd = dup(STDERR_FILENO);
	if (stdout_fd >= 0)
		g_subprocess_launcher_take_stdout_fd(launcher, stdout_fd);
	if (SUIT_IS_STORE_DIRECTORY(self->store)) {
		g_subprocess_launcher_setenv(launcher,
					     "SUIT_AGENT_STORE",
					     suit_store_directory_get_path(SUIT_STORE_DIRECTORY(self->store)),
					     TRUE);
	} else {
		g_subprocess_launcher_unsetenv(launcher, "SUIT_AGENT_STORE");
	}
	g_subprocess_launcher_setenv(launcher, "SUIT_AGENT_MANIFEST", manifest_id, TRUE);
	subprocess =
	    g_subprocess_launcher_spawn(launcher, &error_local, "/bin/sh", "-c", self->health_command, NULL);
	if (subprocess == NULL) {
		/* an image whose health cannot be checked is not confirmed */
		g_warning("failed to run the health command: %s", error_local->message);
		*healthy = FALSE;
		return TRUE;
	}

	context = g_main_context_new();
	g_main_context_push_thread_default(context);
	g_subprocess_wait_async(subprocess, cancellable, suit_communicator_health_wait_cb, &wait);
	timeout = g_timeout_source_new_seconds(SUIT_COMMUNICATOR_HEALTH_TIMEOUT);
	g_source_set_callback(timeout, suit_communicator_health_timeout_cb, subprocess, NULL);
	g_source_attach(timeout, context);
	while (!wait.done)
		g_main_context_iteration(context, TRUE);
	g_source_destroy(timeout);
	g_main_context_pop_thread_default(context);

	if (wait.error != NULL) {
		/* cancelled: the child must not outlive the round */
		g_subprocess_force_exit(subprocess);
		g_propagate_error(error, wait.error);
		return FALSE;
	}
	*healthy = g_subprocess_get_if_exited(subprocess) && g_subprocess_get_exit_status(subprocess) == 0;
	g_debug("health command: %s", *healthy ? "healthy" : "unhealthy");
	return TRUE;
}

/* confirms every pending image after a good boot */
static gboolean
suit_communicator_confirm_all(SuitCommunicator *self, GCancellable *cancellable, GError **error)
{
	g_autoptr(GPtrArray) ids = suit_store_list_components(self->store, cancellable, error);
	if (ids == NULL)
		return FALSE;
	for (guint i = 0; i < ids->len; i++) {
		SuitComponentId *id = g_ptr_array_index(ids, i);
		SuitStoreImageState image_state = SUIT_STORE_IMAGE_STATE_NONE;
		if (!suit_store_get_image_state(self->store, id, &image_state, cancellable, error))
			return FALSE;
		if (image_state != SUIT_STORE_IMAGE_STATE_PENDING && image_state != SUIT_STORE_IMAGE_STATE_TRYING)
			continue;
		if (!suit_store_confirm(self->store, id, cancellable, error))
			return FALSE;
	}
	return TRUE;
}

/* after a failed install: images that an earlier step of it committed are
 * pending; two boot attempts without a confirmation drop them, as they would
 * on the device, so that the next update's boot does not try them */
static gboolean
suit_communicator_discard_pending(SuitCommunicator *self, GCancellable *cancellable, GError **error)
{
	for (guint attempt = 0; attempt < 2; attempt++) {
		g_autoptr(GPtrArray) ids = suit_store_list_components(self->store, cancellable, error);
		g_autoptr(GPtrArray) fallen = NULL;
		gboolean pending = FALSE;
		if (ids == NULL)
			return FALSE;
		for (guint i = 0; i < ids->len && !pending; i++) {
			SuitStoreImageState image_state = SUIT_STORE_IMAGE_STATE_NONE;
			if (!suit_store_get_image_state(self->store,
							g_ptr_array_index(ids, i),
							&image_state,
							cancellable,
							error))
				return FALSE;
			pending = image_state == SUIT_STORE_IMAGE_STATE_PENDING ||
				  image_state == SUIT_STORE_IMAGE_STATE_TRYING;
		}
		if (!pending)
			return TRUE;
		fallen = suit_store_begin_boot(self->store, cancellable, error);
		if (fallen == NULL)
			return FALSE;
	}
	return TRUE;
}

/* after a fallback: the old manifest runs again, so its sequence number does */
static gboolean
suit_communicator_restore_sequence(SuitCommunicator *self,
				   SuitEnvelope *pending,
				   gint64 previous,
				   GCancellable *cancellable,
				   GError **error)
{
	SuitManifest *manifest = suit_envelope_peek_manifest(pending, NULL);
	if (manifest == NULL)
		return TRUE;
	return suit_store_set_sequence_number(self->store,
					      suit_manifest_get_manifest_component_id(manifest),
					      previous >= 0 ? (guint64)previous : 0,
					      cancellable,
					      error);
}

/* the report of the image the device runs: the Invocation procedure on
 * current.suit; %NULL with *result when there is none */
static SuitReport *
suit_communicator_running_report(SuitCommunicator *self,
				 const gchar *offered,
				 SuitCommunicatorOutcome *result,
				 GCancellable *cancellable,
				 GError **error)
{
	g_autoptr(SuitEnvelope) current = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *current_id = NULL;
	SuitReport *report;

	current = suit_communicator_load_envelope(self, SUIT_COMMUNICATOR_CURRENT_FILE, &error_local);
	if (current == NULL) {
		if (!g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_NOT_FOUND)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
		/* nothing to run: the offered update failed for good */
		g_clear_error(&error_local);
		g_set_error_literal(&error_local,
				    SUIT_ERROR,
				    SUIT_ERROR_NOT_FOUND,
				    "the device has no image to fall back to");
		*result = SUIT_COMMUNICATOR_OUTCOME_FAILED;
		report = suit_communicator_failure_report(offered, error_local);
		if (report == NULL)
			g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INTERNAL, "invalid manifest id");
		return report;
	}
	current_id = suit_communicator_envelope_id(current);
	if (!suit_firmware_consumer_invoke(self->consumer, current, NULL, cancellable, &error_local)) {
		if (g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
		g_debug("the running image does not pass its invocation procedure: %s", error_local->message);
		*result = SUIT_COMMUNICATOR_OUTCOME_FAILED;
	} else {
		*result = g_strcmp0(current_id, offered) == 0 ? SUIT_COMMUNICATOR_OUTCOME_CONFIRMED
							      : SUIT_COMMUNICATOR_OUTCOME_FELL_BACK;
	}
	report = suit_firmware_consumer_get_report(self->consumer);
	if (report == NULL) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INTERNAL, "the consumer made no report");
		return NULL;
	}
	return g_object_ref(report);
}

/* the nonce of a confirm offer for @manifest, when the state has none */
static gboolean
suit_communicator_ensure_nonce(SuitCommunicator *self,
			       SuitCommunicatorState *state,
			       GCancellable *cancellable,
			       GError **error)
{
	g_auto(SuitCommunicatorOffer) offer = {NULL};

	if (state->nonce != NULL)
		return TRUE;
	if (!suit_communicator_check_in(self, state, &offer, cancellable, error))
		return FALSE;
	if (g_strcmp0(offer.action, "confirm") == 0 && g_strcmp0(offer.manifest, state->pending_manifest) == 0) {
		state->nonce = g_strdup(offer.nonce);
		suit_communicator_set_string(&state->campaign, offer.campaign);
		return suit_communicator_save_state(self, state, error);
	}
	g_debug("the server does not expect a report of %s", state->pending_manifest);
	return TRUE;
}

/* step 1: the reboot after an install, then its report */
static gboolean
suit_communicator_boot(SuitCommunicator *self,
		       SuitCommunicatorState *state,
		       SuitCommunicatorOutcome *outcome,
		       GCancellable *cancellable,
		       GError **error)
{
	g_autoptr(SuitEnvelope) pending = NULL;
	g_autoptr(GPtrArray) fallen = NULL;
	g_autoptr(SuitReport) report = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *pending_id = NULL;
	SuitCommunicatorOutcome result = SUIT_COMMUNICATOR_OUTCOME_CONFIRMED;
	gboolean fell_back;

	pending = suit_communicator_load_envelope(self, SUIT_COMMUNICATOR_PENDING_FILE, &error_local);
	if (pending != NULL)
		pending_id = suit_communicator_envelope_id(pending);
	if (pending == NULL || pending_id == NULL) {
		/* nothing to boot: back to checking in */
		g_warning("no pending envelope to boot: %s",
			  error_local != NULL ? error_local->message : "no manifest digest");
		state->phase = SUIT_COMMUNICATOR_PHASE_IDLE;
		g_clear_pointer(&state->pending_manifest, g_free);
		g_clear_pointer(&state->nonce, g_free);
		if (!suit_communicator_save_state(self, state, error))
			return FALSE;
		*outcome = SUIT_COMMUNICATOR_OUTCOME_NONE;
		return TRUE;
	}
	suit_communicator_set_string(&state->pending_manifest, pending_id);
	suit_communicator_set_string(&state->subject, pending_id);

	/* the nonce first: a network failure must not cost a boot attempt */
	if (!suit_communicator_ensure_nonce(self, state, cancellable, error))
		return FALSE;

	/* the reboot */
	fallen = suit_store_begin_boot(self->store, cancellable, error);
	if (fallen == NULL)
		return FALSE;
	fell_back = fallen->len > 0;
	if (!fell_back) {
		gboolean healthy = FALSE;
		if (!suit_firmware_consumer_invoke(self->consumer, pending, NULL, cancellable, &error_local)) {
			if (g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
				g_propagate_error(error, g_steal_pointer(&error_local));
				return FALSE;
			}
			g_debug("the new image does not pass its invocation procedure: %s", error_local->message);
		} else if (!suit_communicator_check_health(self, pending_id, &healthy, cancellable, error)) {
			return FALSE;
		}
		if (healthy) {
			if (!suit_communicator_confirm_all(self, cancellable, error))
				return FALSE;
			report = g_object_ref(suit_firmware_consumer_get_report(self->consumer));
		} else {
			/* no confirmation: the next boot falls back */
			g_autoptr(GPtrArray) fallen_again = suit_store_begin_boot(self->store, cancellable, error);
			if (fallen_again == NULL)
				return FALSE;
			fell_back = TRUE;
		}
	}
	if (fell_back) {
		g_debug("the device fell back from %s", pending_id);
		if (!suit_communicator_restore_sequence(self, pending, state->previous_sequence, cancellable, error))
			return FALSE;
		report = suit_communicator_running_report(self, pending_id, &result, cancellable, error);
		if (report == NULL)
			return FALSE;
		/* the old image runs, even when its report says otherwise */
		if (result == SUIT_COMMUNICATOR_OUTCOME_CONFIRMED)
			result = SUIT_COMMUNICATOR_OUTCOME_FELL_BACK;
		state->files = SUIT_COMMUNICATOR_FILES_DISCARD;
	} else {
		SuitManifest *manifest = suit_envelope_peek_manifest(pending, NULL);
		suit_communicator_set_string(&state->manifest, pending_id);
		state->sequence_number = manifest != NULL ? (gint64)suit_manifest_get_sequence_number(manifest) : -1;
		state->files = SUIT_COMMUNICATOR_FILES_PROMOTE;
	}
	g_clear_pointer(&state->pending_manifest, g_free);
	state->previous_sequence = -1;

	/* no nonce: the server expects no report, the boot is done all the same */
	if (state->nonce == NULL) {
		if (!suit_communicator_remove_file(self, SUIT_COMMUNICATOR_REPORT_FILE, error))
			return FALSE;
		state->phase = SUIT_COMMUNICATOR_PHASE_REPORT_PENDING;
		state->outcome = result;
		if (!suit_communicator_save_state(self, state, error))
			return FALSE;
		return suit_communicator_post_report(self, state, outcome, cancellable, error);
	}
	return suit_communicator_report(self, state, report, result, outcome, cancellable, error);
}

/* step 2 with an install offer */
static gboolean
suit_communicator_install(SuitCommunicator *self,
			  SuitCommunicatorState *state,
			  const SuitCommunicatorOffer *offer,
			  SuitCommunicatorOutcome *outcome,
			  GCancellable *cancellable,
			  GError **error)
{
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(SuitEnvelope) envelope = NULL;
	g_autoptr(SuitReport) report = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *id = NULL;
	gint64 previous = -1;
	gboolean ok;

	blob = suit_communicator_download_envelope(self, offer, cancellable, error);
	if (blob == NULL) {
		g_prefix_error(error, "failed to get manifest %s: ", offer->manifest);
		return FALSE;
	}
	suit_communicator_set_string(&state->nonce, offer->nonce);
	suit_communicator_set_string(&state->campaign, offer->campaign);
	suit_communicator_set_string(&state->subject, offer->manifest);

	envelope = suit_envelope_new_from_bytes(blob, SUIT_PARSE_FLAG_NONE, &error_local);
	if (envelope != NULL) {
		id = suit_communicator_envelope_id(envelope);
		if (g_strcmp0(id, offer->manifest) != 0) {
			g_set_error(&error_local,
				    SUIT_ERROR,
				    SUIT_ERROR_DIGEST_MISMATCH,
				    "the envelope served for manifest %s has manifest digest %s",
				    offer->manifest,
				    id != NULL ? id : "(none)");
			g_clear_object(&envelope);
		}
	}
	if (envelope == NULL) {
		g_debug("manifest %s refused: %s", offer->manifest, error_local->message);
		report = suit_communicator_failure_report(offer->manifest, error_local);
		return suit_communicator_report(self,
						state,
						report,
						SUIT_COMMUNICATOR_OUTCOME_FAILED,
						outcome,
						cancellable,
						error);
	}

	/* the sequence number to restore if the new image falls back */
	{
		SuitManifest *manifest = suit_envelope_peek_manifest(envelope, NULL);
		guint64 stored = 0;
		if (manifest != NULL &&
		    suit_store_get_sequence_number(self->store,
						   suit_manifest_get_manifest_component_id(manifest),
						   &stored,
						   cancellable,
						   NULL))
			previous = (gint64)MIN(stored, (guint64)G_MAXINT64);
	}

	ok = suit_firmware_consumer_update(self->consumer, envelope, NULL, cancellable, &error_local);
	if (!ok && g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	report = suit_firmware_consumer_get_report(self->consumer);
	if (report == NULL) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INTERNAL, "the consumer made no report");
		return FALSE;
	}
	g_object_ref(report);
	if (!ok) {
		g_debug("manifest %s failed to install: %s", offer->manifest, error_local->message);
		if (!suit_communicator_discard_pending(self, cancellable, error))
			return FALSE;
		return suit_communicator_report(self,
						state,
						report,
						SUIT_COMMUNICATOR_OUTCOME_FAILED,
						outcome,
						cancellable,
						error);
	}
	g_debug("manifest %s installed", offer->manifest);
	if (!suit_communicator_write_file(self, SUIT_COMMUNICATOR_PENDING_FILE, blob, error))
		return FALSE;
	suit_communicator_set_string(&state->pending_manifest, offer->manifest);
	state->previous_sequence = previous;
	return suit_communicator_report(self,
					state,
					report,
					SUIT_COMMUNICATOR_OUTCOME_INSTALLED,
					outcome,
					cancellable,
					error);
}

/* step 2 with a confirm offer: the boot of pending.suit, or what runs */
static gboolean
suit_communicator_confirm(SuitCommunicator *self,
			  SuitCommunicatorState *state,
			  const SuitCommunicatorOffer *offer,
			  SuitCommunicatorOutcome *outcome,
			  GCancellable *cancellable,
			  GError **error)
{
	g_autoptr(SuitReport) report = NULL;
	SuitCommunicatorOutcome result = SUIT_COMMUNICATOR_OUTCOME_NONE;

	suit_communicator_set_string(&state->nonce, offer->nonce);
	suit_communicator_set_string(&state->campaign, offer->campaign);
	suit_communicator_set_string(&state->subject, offer->manifest);
	if (suit_communicator_has_file(self, SUIT_COMMUNICATOR_PENDING_FILE)) {
		g_autoptr(SuitEnvelope) pending =
		    suit_communicator_load_envelope(self, SUIT_COMMUNICATOR_PENDING_FILE, NULL);
		g_autofree gchar *pending_id = pending != NULL ? suit_communicator_envelope_id(pending) : NULL;
		if (g_strcmp0(pending_id, offer->manifest) == 0) {
			suit_communicator_set_string(&state->pending_manifest, pending_id);
			state->phase = SUIT_COMMUNICATOR_PHASE_BOOT_PENDING;
			if (!suit_communicator_save_state(self, state, error))
				return FALSE;
			return suit_communicator_boot(self, state, outcome, cancellable, error);
		}
	}
	report = suit_communicator_running_report(self, offer->manifest, &result, cancellable, error);
	if (report == NULL)
		return FALSE;
	return suit_communicator_report(self, state, report, result, outcome, cancellable, error);
}

/* the resolving fetcher ------------------------------------------------- */

#define SUIT_TYPE_COMMUNICATOR_FETCHER (suit_communicator_fetcher_get_type())
G_DECLARE_FINAL_TYPE(SuitCommunicatorFetcher, suit_communicator_fetcher, SUIT, COMMUNICATOR_FETCHER, GObject)

struct _SuitCommunicatorFetcher {
	GObject parent_instance;
	gchar *base_uri;
	SuitFetcher *fetcher;
};

static void
suit_communicator_fetcher_iface_init(SuitFetcherInterface *iface);

G_DEFINE_TYPE_WITH_CODE(SuitCommunicatorFetcher,
			suit_communicator_fetcher,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(SUIT_TYPE_FETCHER, suit_communicator_fetcher_iface_init))

/* a reference without a scheme is relative to the server */
static gchar *
suit_communicator_fetcher_resolve(SuitCommunicatorFetcher *self, const gchar *uri, GError **error)
{
	if (g_uri_peek_scheme(uri) != NULL || uri[0] == '#')
		return g_strdup(uri);
	return suit_communicator_resolve(self->base_uri, uri, error);
}

static gboolean
suit_communicator_fetcher_supports_uri(SuitFetcher *fetcher, const gchar *uri)
{
	SuitCommunicatorFetcher *self = SUIT_COMMUNICATOR_FETCHER(fetcher);
	g_autofree gchar *resolved = suit_communicator_fetcher_resolve(self, uri, NULL);
	return resolved != NULL && suit_fetcher_supports_uri(self->fetcher, resolved);
}

static gboolean
suit_communicator_fetcher_fetch(SuitFetcher *fetcher,
				const gchar *uri,
				GOutputStream *sink,
				guint64 max_size,
				SuitFetchFlags flags,
				SuitProgress *progress,
				GCancellable *cancellable,
				GError **error)
{
	SuitCommunicatorFetcher *self = SUIT_COMMUNICATOR_FETCHER(fetcher);
	g_autofree gchar *resolved = suit_communicator_fetcher_resolve(self, uri, error);
	if (resolved == NULL)
		return FALSE;
	return suit_fetcher_fetch(self->fetcher, resolved, sink, max_size, flags, progress, cancellable, error);
}

static void
suit_communicator_fetcher_iface_init(SuitFetcherInterface *iface)
{
	iface->fetch = suit_communicator_fetcher_fetch;
	iface->supports_uri = suit_communicator_fetcher_supports_uri;
}

static void
suit_communicator_fetcher_dispose(GObject *object)
{
	SuitCommunicatorFetcher *self = SUIT_COMMUNICATOR_FETCHER(object);
	g_clear_object(&self->fetcher);
	G_OBJECT_CLASS(suit_communicator_fetcher_parent_class)->dispose(object);
}

static void
suit_communicator_fetcher_finalize(GObject *object)
{
	SuitCommunicatorFetcher *self = SUIT_COMMUNICATOR_FETCHER(object);
	g_free(self->base_uri);
	G_OBJECT_CLASS(suit_communicator_fetcher_parent_class)->finalize(object);
}

static void
suit_communicator_fetcher_class_init(SuitCommunicatorFetcherClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->dispose = suit_communicator_fetcher_dispose;
	object_class->finalize = suit_communicator_fetcher_finalize;
}

static void
suit_communicator_fetcher_init(SuitCommunicatorFetcher *self)
{
}

/**
 * suit_communicator_new_fetcher:
 * @server_uri: the server URI, as given to suit_communicator_new()
 * @fetcher: the fetcher that does the work, e.g. a [class@FetcherSoup]
 * @error: return location for a #GError, or %NULL
 *
 * Creates the fetcher for the [class@FirmwareConsumer] of a communicator: a
 * payload URI without a scheme, such as `/payloads/<sha256>` in a manifest
 * served by `suit-server`, is resolved against @server_uri and handed to
 * @fetcher; absolute URIs go to @fetcher unchanged. Payload requests never
 * carry the device token (`/payloads/` is public on the server).
 *
 * Returns: (transfer full): a new #SuitFetcher, or %NULL with
 *   %SUIT_ERROR_INVALID_ARGUMENT when @server_uri is not an http or https URI
 *
 * Since: 0.1
 */
SuitFetcher *
suit_communicator_new_fetcher(const gchar *server_uri, SuitFetcher *fetcher, GError **error)
{
	g_autoptr(GUri) uri = NULL;
	SuitCommunicatorFetcher *self;

	g_return_val_if_fail(server_uri != NULL, NULL);
	g_return_val_if_fail(SUIT_IS_FETCHER(fetcher), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	uri = suit_communicator_parse_server_uri(server_uri, error);
	if (uri == NULL)
		return NULL;
	self = g_object_new(SUIT_TYPE_COMMUNICATOR_FETCHER, NULL);
	self->base_uri = suit_communicator_base_uri(uri);
	self->fetcher = g_object_ref(fetcher);
	return SUIT_FETCHER(self);
}

/* object ------------------------------------------------------------------ */

static void
suit_communicator_dispose(GObject *object)
{
	SuitCommunicator *self = SUIT_COMMUNICATOR(object);
	g_clear_object(&self->consumer);
	g_clear_object(&self->store);
	g_clear_object(&self->session);
	g_clear_object(&self->device_key);
	G_OBJECT_CLASS(suit_communicator_parent_class)->dispose(object);
}

static void
suit_communicator_finalize(GObject *object)
{
	SuitCommunicator *self = SUIT_COMMUNICATOR(object);
	g_clear_pointer(&self->server_uri, g_uri_unref);
	g_free(self->base_uri);
	if (self->token != NULL) {
		/* do not leave the credential in freed memory */
		memset(self->token, 0, strlen(self->token));
		g_free(self->token);
	}
	g_free(self->state_dir);
	g_free(self->health_command);
	g_free(self->last_manifest);
	G_OBJECT_CLASS(suit_communicator_parent_class)->finalize(object);
}

static void
suit_communicator_class_init(SuitCommunicatorClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->dispose = suit_communicator_dispose;
	object_class->finalize = suit_communicator_finalize;
}

static void
suit_communicator_init(SuitCommunicator *self)
{
	g_autofree gchar *user_agent =
	    g_strdup_printf("libsuit/%d.%d", SUIT_MAJOR_VERSION, SUIT_MINOR_VERSION);

	self->poll_interval = SUIT_COMMUNICATOR_DEFAULT_POLL_INTERVAL;
	self->jitter = SUIT_COMMUNICATOR_DEFAULT_JITTER;
	self->max_retries = SUIT_COMMUNICATOR_DEFAULT_MAX_RETRIES;
	self->session = soup_session_new_with_options("user-agent",
						      user_agent,
						      "timeout",
						      SUIT_COMMUNICATOR_TIMEOUT,
						      NULL);
	soup_session_remove_feature_by_type(self->session, SOUP_TYPE_CONTENT_DECODER);
}

/**
 * suit_communicator_new:
 * @consumer: the device's Firmware Consumer; create it with a fetcher from
 *   suit_communicator_new_fetcher() when manifests name payloads relative
 *   to the server
 * @store: the store of @consumer, on which boots are simulated
 * @server_uri: the server, an `http://` or `https://` URI such as
 *   `https://updates.example.com`
 * @token: the device credential, sent as `Authorization: Bearer`
 * @error: return location for a #GError, or %NULL
 *
 * Creates a communicator. Before suit_communicator_run_once(), give it a
 * state directory (suit_communicator_set_state_directory()) and the device
 * key that signs its reports (suit_communicator_set_device_key()).
 *
 * Returns: (transfer full): a new #SuitCommunicator, or %NULL with
 *   %SUIT_ERROR_INVALID_ARGUMENT when @server_uri is not an http or https
 *   URI or @token is empty or not printable
 *
 * Since: 0.1
 */
SuitCommunicator *
suit_communicator_new(SuitFirmwareConsumer *consumer,
		      SuitStore *store,
		      const gchar *server_uri,
		      const gchar *token,
		      GError **error)
{
	g_autoptr(GUri) uri = NULL;
	SuitCommunicator *self;

	g_return_val_if_fail(SUIT_IS_FIRMWARE_CONSUMER(consumer), NULL);
	g_return_val_if_fail(SUIT_IS_STORE(store), NULL);
	g_return_val_if_fail(server_uri != NULL, NULL);
	g_return_val_if_fail(token != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	uri = suit_communicator_parse_server_uri(server_uri, error);
	if (uri == NULL)
		return NULL;
	if (token[0] == '\0') {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT, "the device token is empty");
		return NULL;
	}
	/* it goes into a header line */
	for (const gchar *p = token; *p != '\0'; p++) {
		if ((guchar)*p <= 0x20 || (guchar)*p >= 0x7f) {
			g_set_error_literal(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_ARGUMENT,
					    "the device token has characters that are not printable ascii");
			return NULL;
		}
	}
	self = g_object_new(SUIT_TYPE_COMMUNICATOR, NULL);
	self->consumer = g_object_ref(consumer);
	self->store = g_object_ref(store);
	self->server_uri = g_steal_pointer(&uri);
	self->base_uri = suit_communicator_base_uri(self->server_uri);
	self->token = g_strdup(token);
	return self;
}

/**
 * suit_communicator_set_device_key:
 * @self: a #SuitCommunicator
 * @key: (nullable): the device's private key
 *
 * Sets the key that signs the device's SUIT reports; the server verifies
 * them with the public key it registered for the device. It is required
 * before suit_communicator_run_once().
 *
 * Since: 0.1
 */
void
suit_communicator_set_device_key(SuitCommunicator *self, SuitKey *key)
{
	g_return_if_fail(SUIT_IS_COMMUNICATOR(self));
	g_return_if_fail(key == NULL || SUIT_IS_KEY(key));
	if (key != NULL)
		g_object_ref(key);
	g_clear_object(&self->device_key);
	self->device_key = key;
}

/**
 * suit_communicator_set_state_directory:
 * @self: a #SuitCommunicator
 * @path: a directory, created if missing
 * @error: return location for a #GError, or %NULL
 *
 * Sets where the communicator keeps its state (`state.json`, `current.suit`,
 * `pending.suit`, `report.cose`). It is required before
 * suit_communicator_run_once() and must belong to this device alone; it
 * must not be a store directory.
 *
 * Returns: %TRUE for success, %FALSE with %SUIT_ERROR_INVALID_ARGUMENT when
 *   @path is not a directory or %SUIT_ERROR_WRITE_FAILED when it cannot be
 *   created
 *
 * Since: 0.1
 */
gboolean
suit_communicator_set_state_directory(SuitCommunicator *self, const gchar *path, GError **error)
{
	g_return_val_if_fail(SUIT_IS_COMMUNICATOR(self), FALSE);
	g_return_val_if_fail(path != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (path[0] == '\0') {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_ARGUMENT,
				    "the state directory path is empty");
		return FALSE;
	}
	if (g_file_test(path, G_FILE_TEST_EXISTS) && !g_file_test(path, G_FILE_TEST_IS_DIR)) {
		g_set_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT, "%s is not a directory", path);
		return FALSE;
	}
	if (g_mkdir_with_parents(path, 0700) != 0) {
		gint errsv = errno;
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_WRITE_FAILED,
			    "failed to create %s: %s",
			    path,
			    g_strerror(errsv));
		return FALSE;
	}
	suit_communicator_set_string(&self->state_dir, path);
	return TRUE;
}

/**
 * suit_communicator_set_ca_file:
 * @self: a #SuitCommunicator
 * @path: a PEM file of certificate authorities
 * @error: return location for a #GError, or %NULL
 *
 * Sets the certificate authorities an `https://` server is verified against,
 * instead of the system trust store, e.g. the private CA of a fleet.
 * Verification itself cannot be turned off. This covers the communicator's
 * own requests; payload fetches use the consumer's fetcher and its trust.
 *
 * Returns: %TRUE for success, %FALSE with %SUIT_ERROR_NOT_FOUND or
 *   %SUIT_ERROR_INVALID_ARGUMENT when the file cannot be used
 *
 * Since: 0.1
 */
gboolean
suit_communicator_set_ca_file(SuitCommunicator *self, const gchar *path, GError **error)
{
	g_autoptr(GTlsDatabase) database = NULL;
	g_autoptr(GError) error_local = NULL;

	g_return_val_if_fail(SUIT_IS_COMMUNICATOR(self), FALSE);
	g_return_val_if_fail(path != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!g_file_test(path, G_FILE_TEST_IS_REGULAR)) {
		g_set_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND, "%s: no such file", path);
		return FALSE;
	}
	database = g_tls_file_database_new(path, &error_local);
	if (database == NULL) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "%s: %s",
			    path,
			    error_local->message);
		return FALSE;
	}
	soup_session_set_tls_database(self->session, database);
	return TRUE;
}

/**
 * suit_communicator_set_poll_interval:
 * @self: a #SuitCommunicator
 * @seconds: the interval, at least 1
 *
 * Sets how long suit_communicator_run() waits between check-ins (300 s by
 * default, varied by the jitter). It also caps the delay between retries.
 *
 * Since: 0.1
 */
void
suit_communicator_set_poll_interval(SuitCommunicator *self, guint seconds)
{
	g_return_if_fail(SUIT_IS_COMMUNICATOR(self));
	self->poll_interval = MAX(seconds, 1);
}

/**
 * suit_communicator_get_poll_interval:
 * @self: a #SuitCommunicator
 *
 * Gets the interval between check-ins.
 *
 * Returns: the interval in seconds
 *
 * Since: 0.1
 */
guint
suit_communicator_get_poll_interval(SuitCommunicator *self)
{
	g_return_val_if_fail(SUIT_IS_COMMUNICATOR(self), 0);
	return self->poll_interval;
}

/**
 * suit_communicator_get_manifest:
 * @self: a #SuitCommunicator
 *
 * Gets the manifest that the last suit_communicator_run_once() was about:
 * the one installed, confirmed, failed, or that fell back; after a round
 * with nothing to do, the manifest the device runs.
 *
 * Returns: (nullable): the manifest id (lower case hex of its SHA-256
 *   digest), or %NULL when there is none
 *
 * Since: 0.1
 */
const gchar *
suit_communicator_get_manifest(SuitCommunicator *self)
{
	g_return_val_if_fail(SUIT_IS_COMMUNICATOR(self), NULL);
	return self->last_manifest;
}

/**
 * suit_communicator_set_jitter:
 * @self: a #SuitCommunicator
 * @fraction: between 0 and 1; other values are clamped
 *
 * Sets how much the wait between check-ins varies: each wait is the poll
 * interval times a random factor between 1 - @fraction and 1 + @fraction
 * (0.1 by default), so that a fleet does not check in all at once.
 *
 * Since: 0.1
 */
void
suit_communicator_set_jitter(SuitCommunicator *self, gdouble fraction)
{
	g_return_if_fail(SUIT_IS_COMMUNICATOR(self));
	if (isnan(fraction))
		fraction = 0.0;
	self->jitter = CLAMP(fraction, 0.0, 1.0);
}

/**
 * suit_communicator_set_max_retries:
 * @self: a #SuitCommunicator
 * @retries: the number of retries, 0 for none
 *
 * Sets how often a request that failed on the network or with a 5xx
 * answer is retried (5 by default), with a delay that starts at one second
 * and doubles up to the poll interval. 4xx answers are never retried.
 *
 * Since: 0.1
 */
void
suit_communicator_set_max_retries(SuitCommunicator *self, guint retries)
{
	g_return_if_fail(SUIT_IS_COMMUNICATOR(self));
	self->max_retries = retries;
}

/**
 * suit_communicator_set_health_command:
 * @self: a #SuitCommunicator
 * @command: (nullable): a shell command line, or %NULL for none
 *
 * Sets the command that decides whether a new image booted well. It runs
 * with `/bin/sh -c` after the Invocation procedure of the new image, with
 * `SUIT_AGENT_STORE` set to the store directory (for a [class@StoreDirectory])
 * and `SUIT_AGENT_MANIFEST` to the new manifest id. Exit status 0 means
 * healthy; anything else, or running longer than five minutes, makes the
 * device fall back. Without a command, an image that passes its Invocation
 * procedure is healthy.
 *
 * Since: 0.1
 */
void
suit_communicator_set_health_command(SuitCommunicator *self, const gchar *command)
{
	g_return_if_fail(SUIT_IS_COMMUNICATOR(self));
	suit_communicator_set_string(&self->health_command, command != NULL && command[0] != '\0' ? command : NULL);
}

/**
 * suit_communicator_run_once:
 * @self: a #SuitCommunicator
 * @outcome: (out) (optional): what the round did
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError, or %NULL
 *
 * Runs one round. If an installed update waits for its reboot, the reboot
 * is simulated: suit_store_begin_boot(), the Invocation procedure of the new
 * envelope and the health command; a healthy image is confirmed
 * (%SUIT_COMMUNICATOR_OUTCOME_CONFIRMED), otherwise the store falls back and
 * the report names the old manifest (%SUIT_COMMUNICATOR_OUTCOME_FELL_BACK).
 * Otherwise the device checks in: nothing to do
 * (%SUIT_COMMUNICATOR_OUTCOME_NONE), or an update is fetched and installed
 * (%SUIT_COMMUNICATOR_OUTCOME_INSTALLED) or fails to install
 * (%SUIT_COMMUNICATOR_OUTCOME_FAILED), or the server asks for the report of
 * the boot. Each report is signed and posted with the offer's nonce. A
 * report that could not be posted is posted by the next round.
 *
 * Returns: %TRUE when the round completed, whatever its outcome; %FALSE
 *   with %SUIT_ERROR_INVALID_ARGUMENT without a state directory or device
 *   key, %SUIT_ERROR_FETCH_FAILED when the server could not be reached,
 *   %SUIT_ERROR_PERMISSION_DENIED, %SUIT_ERROR_CONFLICT or another error
 *   when the server refused a request, %SUIT_ERROR_WRITE_FAILED for the
 *   state directory or the store, or %G_IO_ERROR_CANCELLED
 *
 * Since: 0.1
 */
gboolean
suit_communicator_run_once(SuitCommunicator *self,
			   SuitCommunicatorOutcome *outcome,
			   GCancellable *cancellable,
			   GError **error)
{
	g_auto(SuitCommunicatorState) state = {0};
	g_auto(SuitCommunicatorOffer) offer = {NULL};
	SuitCommunicatorOutcome outcome_local = SUIT_COMMUNICATOR_OUTCOME_NONE;

	g_return_val_if_fail(SUIT_IS_COMMUNICATOR(self), FALSE);
	g_return_val_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (outcome == NULL)
		outcome = &outcome_local;
	*outcome = SUIT_COMMUNICATOR_OUTCOME_NONE;
	g_clear_pointer(&self->last_manifest, g_free);
	if (self->state_dir == NULL) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_ARGUMENT,
				    "no state directory, see suit_communicator_set_state_directory()");
		return FALSE;
	}
	if (self->device_key == NULL) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_ARGUMENT,
				    "no device key to sign reports, see suit_communicator_set_device_key()");
		return FALSE;
	}
	if (g_cancellable_set_error_if_cancelled(cancellable, error))
		return FALSE;
	if (!suit_communicator_load_state(self, &state, error))
		return FALSE;

	switch (state.phase) {
	case SUIT_COMMUNICATOR_PHASE_REPORT_PENDING:
		return suit_communicator_post_report(self, &state, outcome, cancellable, error);
	case SUIT_COMMUNICATOR_PHASE_BOOT_PENDING:
		return suit_communicator_boot(self, &state, outcome, cancellable, error);
	case SUIT_COMMUNICATOR_PHASE_IDLE:
	default:
		break;
	}

	/* the running image is known from current.suit after a restore */
	if (state.manifest == NULL && suit_communicator_has_file(self, SUIT_COMMUNICATOR_CURRENT_FILE)) {
		g_autoptr(SuitEnvelope) current =
		    suit_communicator_load_envelope(self, SUIT_COMMUNICATOR_CURRENT_FILE, NULL);
		SuitManifest *manifest = current != NULL ? suit_envelope_peek_manifest(current, NULL) : NULL;
		if (manifest != NULL) {
			state.manifest = suit_communicator_envelope_id(current);
			state.sequence_number = (gint64)suit_manifest_get_sequence_number(manifest);
		}
	}
	if (!suit_communicator_check_in(self, &state, &offer, cancellable, error))
		return FALSE;
	if (offer.action == NULL) {
		suit_communicator_set_string(&self->last_manifest, state.manifest);
		return TRUE;
	}
	if (g_strcmp0(offer.action, "install") == 0)
		return suit_communicator_install(self, &state, &offer, outcome, cancellable, error);
	return suit_communicator_confirm(self, &state, &offer, outcome, cancellable, error);
}

/* the wait before the next round: the poll interval, give or take the jitter */
static guint64
suit_communicator_next_delay(SuitCommunicator *self)
{
	gdouble factor = 1.0;
	if (self->jitter > 0.0)
		factor += g_random_double_range(-self->jitter, self->jitter);
	return (guint64)((gdouble)self->poll_interval * 1000.0 * factor);
}

/**
 * suit_communicator_run:
 * @self: a #SuitCommunicator
 * @cancellable: (nullable): a #GCancellable that stops the loop
 * @error: return location for a #GError, or %NULL
 *
 * Runs suit_communicator_run_once() in a loop, waiting the poll interval
 * (± the jitter) between rounds; an update that waits for its reboot is
 * booted at once. A round that fails is logged with g_warning() and the
 * loop goes on. It returns only when @cancellable is cancelled.
 *
 * Returns: %FALSE with %G_IO_ERROR_CANCELLED when @cancellable was
 *   cancelled, or with %SUIT_ERROR_INVALID_ARGUMENT when the communicator
 *   lacks its state directory or device key
 *
 * Since: 0.1
 */
gboolean
suit_communicator_run(SuitCommunicator *self, GCancellable *cancellable, GError **error)
{
	g_return_val_if_fail(SUIT_IS_COMMUNICATOR(self), FALSE);
	g_return_val_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	for (;;) {
		g_autoptr(GError) error_local = NULL;
		SuitCommunicatorOutcome outcome = SUIT_COMMUNICATOR_OUTCOME_NONE;

		if (suit_communicator_run_once(self, &outcome, cancellable, &error_local)) {
			if (outcome != SUIT_COMMUNICATOR_OUTCOME_NONE)
				g_info("update round: %s", suit_communicator_outcome_to_string(outcome));
			/* an installed update reboots now */
			if (outcome == SUIT_COMMUNICATOR_OUTCOME_INSTALLED)
				continue;
		} else if (g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
			   g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		} else {
			g_warning("update round failed: %s", error_local->message);
		}
		if (!suit_communicator_sleep(suit_communicator_next_delay(self), cancellable, error))
			return FALSE;
	}
}
