/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <gnutls/crypto.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>
#ifdef __linux__
#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <unistd.h>
#endif

#include "suit-digest.h"
#include "suit-error.h"
#include "suit-key.h"
#include "suit-keyring.h"
#include "suit-manifest-private.h"
#include "suit-model-private.h"
#include "suit-report.h"
#include "suit-status-tracker-private.h"
#include "suit-status-tracker.h"

/**
 * SuitStatusTracker:
 *
 * The fleet brain of the server side: it knows every device under its
 * administration, decides which device gets which update and when, and
 * tracks how each update went.
 *
 * All state lives in a [iface@Database] (collections `tokens`, `devices`,
 * `campaigns`, `members`, `events` and `counters`), so several threads may use
 * it at once. The hot path of a fleet, check-ins, is answered from an
 * in-memory cache of what the database says, and what a check-in records
 * (when the device was last seen, the sequence number and manifest it runs,
 * the first offer of a nonce) is written shortly after, in batches: see
 * suit_status_tracker_check_in(). Every method that changes something does its
 * reads and writes in one database transaction and appends the audit events
 * of the change in that same transaction, so the audit log never disagrees
 * with the state. Manifests come from a [class@FirmwareServer].
 *
 * ## Credentials
 *
 * Operators use bearer tokens made by suit_status_tracker_create_token()
 * with a role (`admin`, `operator` or `viewer`); devices get their own token
 * when they are registered with suit_status_tracker_add_device(). A token is
 * 32 random bytes shown once as 64 hex digits; the tracker stores only its
 * SHA-256 and compares it in constant time.
 *
 * ## The life cycle of an update
 *
 * A device is `registered`, becomes `idle` at its first check-in, and a
 * campaign moves it through `offered` (an install offer waits for it),
 * `installed` (the device reported a successful installation and must
 * reboot, then confirm) and finally `succeeded`, `failed` or `fell-back`.
 * Only a report signed with the device's own key that confirms the new image
 * after the reboot makes an update succeed; a confirmation that names the
 * old manifest means the device fell back to its old image.
 *
 * Devices ask for work with suit_status_tracker_check_in(). While a device
 * has an open assignment the answer is an offer: `install` while the
 * campaign runs and the device's wave has started, `confirm` once the device
 * has installed the image, in any campaign state. Each offer carries a fresh
 * 16-byte nonce that the device's report must echo (suit-report-nonce): a
 * report is accepted only with the nonce of the current offer, so stale and
 * replayed reports are refused, and each accepted install report issues a
 * new nonce for the confirmation.
 *
 * ## Campaigns and waves
 *
 * A campaign (suit_status_tracker_create_campaign()) rolls one manifest out
 * to the devices with some tags, or to a list of devices, whose vendor and
 * class ids match the manifest. The targets are ordered by the SHA-256 of
 * the campaign id and the device id (deterministic, but spread over the
 * fleet) and split into waves given as cumulative percentages, e.g.
 * `[1, 10, 100]`: wave *k* holds the first ceil(N × waves[k] / 100)
 * devices. Wave 0 starts at once; the next wave starts when every device of
 * the started waves has finished, and the campaign is `completed` after the
 * last one.
 *
 * ## Halting
 *
 * After each finished device the failure ratio (failed + fell back) /
 * finished is compared with the campaign's `max_failure_ratio`; above it
 * the campaign is `halted` and makes no more install offers, while
 * confirmations are still accepted and counted. An operator may pause,
 * resume (which also resumes a halted campaign) and cancel campaigns.
 *
 * ## The audit log
 *
 * Every decision and change is an event with a sequence number, readable
 * with suit_status_tracker_list_events(), filtered by device or campaign.
 *
 * All methods are thread-safe. JSON goes in and out as text.
 *
 * See also: [iface@Database], [class@FirmwareServer], [class@Report]
 */

#define SUIT_TRACKER_TOKEN_BYTES	  32
#define SUIT_TRACKER_TOKEN_HEX		  64
#define SUIT_TRACKER_TOKEN_ID_HEX	  16
#define SUIT_TRACKER_NONCE_BYTES	  16
#define SUIT_TRACKER_MAX_NAME		  64
#define SUIT_TRACKER_MAX_DEVICE_ID	  128
#define SUIT_TRACKER_MAX_TAG		  64
#define SUIT_TRACKER_MAX_TAGS		  32
#define SUIT_TRACKER_MAX_WAVES		  32
#define SUIT_TRACKER_MAX_CAMPAIGN_DEVICES 10000
#define SUIT_TRACKER_MAX_PEM		  8192
#define SUIT_TRACKER_MAX_REPORT		  (64 * 1024)
#define SUIT_TRACKER_MAX_SMALL_BODY	  (4 * 1024)
#define SUIT_TRACKER_MAX_DEVICE_BODY	  (64 * 1024)
#define SUIT_TRACKER_MAX_CAMPAIGN_BODY	  (2 * 1024 * 1024)
#define SUIT_TRACKER_MAX_JSON_DEPTH	  16
#define SUIT_TRACKER_HISTORY		  50
#define SUIT_TRACKER_LAST_SEEN_INTERVAL	  60
#define SUIT_TRACKER_EVENTS_DEFAULT	  1000
#define SUIT_TRACKER_EVENTS_MAX		  10000
#define SUIT_TRACKER_DEFAULT_RATIO	  0.1
/* the check-in cache: how often its records are written, how many in one
 * transaction, how long a record may wait for idle CPU time before it is
 * written anyway (and at which nice value), and how many entries the cache
 * keeps at most (far above any fleet we serve; beyond it the cache starts
 * over) */
#define SUIT_TRACKER_FLUSH_INTERVAL_MS	  500
#define SUIT_TRACKER_FLUSH_BATCH	  1000
#define SUIT_TRACKER_FLUSH_TAKE		  64
#define SUIT_TRACKER_FLUSH_DUE_S	  10
#define SUIT_TRACKER_FLUSH_NICE		  10
#define SUIT_TRACKER_FLUSH_IDLE_NICE	  19
#define SUIT_TRACKER_CACHE_MAX		  4000000

/* collections */
#define COL_TOKENS    "tokens"
#define COL_DEVICES   "devices"
#define COL_CAMPAIGNS "campaigns"
#define COL_MEMBERS   "members"
#define COL_EVENTS    "events"
#define COL_COUNTERS  "counters"

/* the member of a stored token or device document that holds the SHA-256 of
 * its credential; it is never shown */
#define SUIT_TRACKER_HASH_MEMBER "token_sha256"

static const gchar *const suit_tracker_roles[] = {"admin", "operator", "viewer", NULL};
static const gchar *const suit_tracker_device_states[] =
    {"registered", "idle", "offered", "installed", "succeeded", "failed", "fell-back", NULL};
static const gchar *const suit_tracker_campaign_states[] =
    {"running", "paused", "halted", "completed", "cancelled", NULL};
/* member states and the names of their counters in the campaign document */
static const gchar *const suit_tracker_member_states[] =
    {"waiting", "offered", "installed", "succeeded", "failed", "fell-back", "cancelled", NULL};
static const gchar *const suit_tracker_count_names[] =
    {"waiting", "offered", "installed", "succeeded", "failed", "fell_back", "cancelled", NULL};

struct _SuitStatusTracker {
	GObject parent_instance;
	SuitDatabase *database;
	SuitFirmwareServer *firmware_server;
	gint64 fake_time; /* tests only; 0 for the real clock */

	/* the check-in cache and the check-in records not written yet; see
	 * "the check-in cache" below. All under cache_lock. */
	GMutex cache_lock;
	GMutex commit_lock;	     /* a commit and its update of the cache */
	guint64 cache_generation;    /* bumped by every commit that changes devices,
				      * members or campaigns */
	/* under token_lock, taken alone or inside cache_lock: every check-in
	 * authenticates, and does not wait for answers being made meanwhile */
	GMutex token_lock;
	GHashTable *cache_tokens; /* token SHA-256 hex -> device id */
	GHashTable *cache_devices;   /* device id -> SuitTrackerCachedDevice */
	GHashTable *cache_campaigns; /* campaign id -> SuitTrackerCachedCampaign */
	GHashTable *pending;	     /* device id -> SuitTrackerPending */
	GQueue pending_queue;	     /* the same records, oldest first */
	guint64 pending_order;	     /* enqueue counter, orders the offer events */
	gint64 pending_since;	     /* monotonic time since when pending has not
				      * been empty; 0 while it is */
	GThread *flusher;	     /* on idle CPU time */
	GThread *flusher_due;	     /* what waited SUIT_TRACKER_FLUSH_DUE_S */
	GCond flusher_cond;
	GCond flusher_due_cond;
	gboolean flusher_stop;
	gboolean flusher_held;	     /* tests: the flusher does not write */
	gint64 flush_due;	     /* how long a record may wait (µs) */
};

enum { PROP_0, PROP_DATABASE, PROP_FIRMWARE_SERVER, N_PROPS };
static GParamSpec *props[N_PROPS] = {NULL};

G_DEFINE_TYPE(SuitStatusTracker, suit_status_tracker, G_TYPE_OBJECT)

/* time --------------------------------------------------------------------- */

static gint64
suit_tracker_now(SuitStatusTracker *self)
{
	if (self->fake_time != 0)
		return self->fake_time;
	return g_get_real_time() / G_USEC_PER_SEC;
}

static gchar *
suit_tracker_format_time(gint64 unix_time)
{
	g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(unix_time);
	if (dt == NULL)
		return g_strdup("1970-01-01T00:00:00Z");
	return g_date_time_format(dt, "%Y-%m-%dT%H:%M:%SZ");
}

/* seconds since the epoch, or -1 */
static gint64
suit_tracker_parse_time(const gchar *text)
{
	g_autoptr(GDateTime) dt = NULL;
	if (text == NULL)
		return -1;
	dt = g_date_time_new_from_iso8601(text, NULL);
	if (dt == NULL)
		return -1;
	return g_date_time_to_unix(dt);
}

/* randomness and hashes ---------------------------------------------------- */

static gchar *
suit_tracker_hex(const guint8 *buf, gsize len)
{
	static const gchar digits[] = "0123456789abcdef";
	gchar *hex = g_malloc(len * 2 + 1);
	for (gsize i = 0; i < len; i++) {
		hex[i * 2] = digits[buf[i] >> 4];
		hex[i * 2 + 1] = digits[buf[i] & 0x0f];
	}
	hex[len * 2] = '\0';
	return hex;
}

/* @len random bytes as lower-case hex */
static gchar *
suit_tracker_random_hex(gnutls_rnd_level_t level, gsize len, GError **error)
{
	guint8 buf[SUIT_TRACKER_TOKEN_BYTES] = {0};
	gchar *hex;

	g_assert(len <= sizeof(buf));
	if (gnutls_rnd(level, buf, len) < 0) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INTERNAL,
				    "cannot get random bytes");
		return NULL;
	}
	hex = suit_tracker_hex(buf, len);
	gnutls_memset(buf, 0, sizeof(buf));
	return hex;
}

static gchar *
suit_tracker_sha256_hex(const gchar *text)
{
	return g_compute_checksum_for_string(G_CHECKSUM_SHA256, text, -1);
}

/* constant time for two strings of @len bytes */
static gboolean
suit_tracker_equal_const_time(const gchar *a, const gchar *b, gsize len)
{
	if (a == NULL || b == NULL)
		return FALSE;
	if (strnlen(a, len + 1) != len || strnlen(b, len + 1) != len)
		return FALSE;
	return suit_memeq_const_time((const guint8 *)a, (const guint8 *)b, len);
}

/* validation --------------------------------------------------------------- */

static gboolean
suit_tracker_is_lower_hex(const gchar *text, gsize len)
{
	if (text == NULL || strnlen(text, len + 1) != len)
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		if (!g_ascii_isdigit(text[i]) && !(text[i] >= 'a' && text[i] <= 'f'))
			return FALSE;
	}
	return TRUE;
}

static gboolean
suit_tracker_is_name_char(gchar c)
{
	return g_ascii_isalnum(c) || c == '.' || c == '_' || c == ':' || c == '-';
}

static gboolean
suit_tracker_check_device_id(const gchar *id, GError **error)
{
	gsize len = id != NULL ? strnlen(id, SUIT_TRACKER_MAX_DEVICE_ID + 1) : 0;
	if (len == 0 || len > SUIT_TRACKER_MAX_DEVICE_ID) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "a device id has 1 to %d characters",
			    SUIT_TRACKER_MAX_DEVICE_ID);
		return FALSE;
	}
	if (id[0] == '.') {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_ARGUMENT,
				    "a device id must not start with '.'");
		return FALSE;
	}
	for (gsize i = 0; i < len; i++) {
		if (!suit_tracker_is_name_char(id[i])) {
			g_set_error_literal(
			    error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "a device id may only hold A-Z, a-z, 0-9, '.', '_', ':' and '-'");
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
suit_tracker_check_tag(const gchar *tag, GError **error)
{
	gsize len = tag != NULL ? strnlen(tag, SUIT_TRACKER_MAX_TAG + 1) : 0;
	if (len == 0 || len > SUIT_TRACKER_MAX_TAG) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "a tag has 1 to %d characters",
			    SUIT_TRACKER_MAX_TAG);
		return FALSE;
	}
	for (gsize i = 0; i < len; i++) {
		if (!suit_tracker_is_name_char(tag[i])) {
			g_set_error_literal(
			    error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "a tag may only hold A-Z, a-z, 0-9, '.', '_', ':' and '-'");
			return FALSE;
		}
	}
	return TRUE;
}

/* canonical lower-case 8-4-4-4-12 text */
static gboolean
suit_tracker_is_uuid(const gchar *text)
{
	if (text == NULL || strnlen(text, 37) != 36)
		return FALSE;
	for (guint i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (text[i] != '-')
				return FALSE;
		} else if (!g_ascii_isdigit(text[i]) && !(text[i] >= 'a' && text[i] <= 'f')) {
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
suit_tracker_check_campaign_id(const gchar *id, GError **error)
{
	if (id == NULL || !g_str_has_prefix(id, "c-") || !suit_tracker_is_lower_hex(id + 2, 16)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_ARGUMENT,
				    "a campaign id is \"c-\" and 16 hex digits");
		return FALSE;
	}
	return TRUE;
}

static gboolean
suit_tracker_strv_contains(const gchar *const *strv, const gchar *str)
{
	return str != NULL && g_strv_contains(strv, str);
}

/* JSON --------------------------------------------------------------------- */

/* deep nesting and a second top-level value never reach json-glib (see
 * suit_json_check_text()); both are request errors here */
static gboolean
suit_tracker_check_json_depth(const gchar *text, gsize len, GError **error)
{
	g_autoptr(GError) error_local = NULL;

	if (!suit_json_check_text(text, (gssize)len, SUIT_TRACKER_MAX_JSON_DEPTH, &error_local)) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT, error_local->message);
		return FALSE;
	}
	return TRUE;
}

/* parses a request body that must be a JSON object */
static JsonObject *
suit_tracker_parse_request(const gchar *text, gsize max_len, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error_local = NULL;
	g_autoptr(JsonNode) root = NULL;
	gsize len = strnlen(text, max_len + 1);

	if (len > max_len) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_LIMIT_EXCEEDED,
			    "the request is larger than %" G_GSIZE_FORMAT " bytes",
			    max_len);
		return NULL;
	}
	if (!g_utf8_validate(text, (gssize)len, NULL)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_ARGUMENT,
				    "invalid JSON: not UTF-8");
		return NULL;
	}
	if (!suit_tracker_check_json_depth(text, len, error))
		return NULL;
	if (!json_parser_load_from_data(parser, text, (gssize)len, &error_local)) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "invalid JSON: %s",
			    error_local->message);
		return NULL;
	}
	root = json_parser_steal_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_ARGUMENT,
				    "the request is not a JSON object");
		return NULL;
	}
	return json_object_ref(json_node_get_object(root));
}

/* fails on members of @obj that are not in @allowed */
static gboolean
suit_tracker_check_members(JsonObject *obj, const gchar *const *allowed, GError **error)
{
	g_autoptr(GList) names = json_object_get_members(obj);
	for (GList *l = names; l != NULL; l = l->next) {
		const gchar *name = l->data;
		if (!g_strv_contains(allowed, name)) {
			g_autofree gchar *safe = g_utf8_make_valid(name, -1);
			if (g_utf8_strlen(safe, -1) > 64)
				*g_utf8_offset_to_pointer(safe, 64) = '\0';
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_ARGUMENT,
				    "unknown member \"%s\"",
				    safe);
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
suit_tracker_node_is_string(JsonNode *node)
{
	return node != NULL && JSON_NODE_HOLDS_VALUE(node) &&
	       json_node_get_value_type(node) == G_TYPE_STRING;
}

static gboolean
suit_tracker_node_is_number(JsonNode *node)
{
	GType type;
	if (node == NULL || !JSON_NODE_HOLDS_VALUE(node))
		return FALSE;
	type = json_node_get_value_type(node);
	return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

static gdouble
suit_tracker_node_get_number(JsonNode *node)
{
	if (json_node_get_value_type(node) == G_TYPE_INT64)
		return (gdouble)json_node_get_int(node);
	return json_node_get_double(node);
}

/* a string member of a request; NULL with an error if missing or not a string */
static const gchar *
suit_tracker_request_string(JsonObject *obj, const gchar *name, GError **error)
{
	JsonNode *node = json_object_get_member(obj, name);
	if (node == NULL) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "missing member \"%s\"",
			    name);
		return NULL;
	}
	if (!suit_tracker_node_is_string(node)) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "\"%s\" must be a string",
			    name);
		return NULL;
	}
	return json_node_get_string(node);
}

/* a string member of a stored document, or NULL */
static const gchar *
suit_tracker_doc_string(JsonObject *obj, const gchar *name)
{
	JsonNode *node = json_object_get_member(obj, name);
	if (!suit_tracker_node_is_string(node))
		return NULL;
	return json_node_get_string(node);
}

static gint64
suit_tracker_doc_int(JsonObject *obj, const gchar *name, gint64 fallback)
{
	JsonNode *node = json_object_get_member(obj, name);
	if (!suit_tracker_node_is_number(node))
		return fallback;
	return (gint64)suit_tracker_node_get_number(node);
}

static gdouble
suit_tracker_doc_double(JsonObject *obj, const gchar *name, gdouble fallback)
{
	JsonNode *node = json_object_get_member(obj, name);
	if (!suit_tracker_node_is_number(node))
		return fallback;
	return suit_tracker_node_get_number(node);
}

static JsonObject *
suit_tracker_doc_object(JsonObject *obj, const gchar *name)
{
	JsonNode *node = json_object_get_member(obj, name);
	if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node))
		return NULL;
	return json_node_get_object(node);
}

static JsonArray *
suit_tracker_doc_array(JsonObject *obj, const gchar *name)
{
	JsonNode *node = json_object_get_member(obj, name);
	if (node == NULL || !JSON_NODE_HOLDS_ARRAY(node))
		return NULL;
	return json_node_get_array(node);
}

static void
suit_tracker_set_string_or_null(JsonObject *obj, const gchar *name, const gchar *value)
{
	if (value == NULL)
		json_object_set_null_member(obj, name);
	else
		json_object_set_string_member(obj, name, value);
}

static gchar *
suit_tracker_object_to_string(JsonObject *obj)
{
	g_autoptr(JsonNode) node = json_node_new(JSON_NODE_OBJECT);
	json_node_set_object(node, obj);
	return json_to_string(node, FALSE);
}

static gchar *
suit_tracker_array_to_string(JsonArray *array)
{
	g_autoptr(JsonNode) node = json_node_new(JSON_NODE_ARRAY);
	json_node_set_array(node, array);
	return json_to_string(node, FALSE);
}

/* a stored document; %SUIT_ERROR_INTERNAL if it is not a JSON object */
static JsonObject *
suit_tracker_parse_doc(const gchar *text, const gchar *collection, GError **error)
{
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(JsonNode) root = NULL;

	if (!json_parser_load_from_data(parser, text, -1, NULL) ||
	    (root = json_parser_steal_root(parser)) == NULL || !JSON_NODE_HOLDS_OBJECT(root)) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INTERNAL,
			    "a stored %s document is not a JSON object",
			    collection);
		return NULL;
	}
	return json_object_ref(json_node_get_object(root));
}

/* a document by id; %SUIT_ERROR_NOT_FOUND says "<what> <id> not found" */
static JsonObject *
suit_tracker_get_doc(SuitStatusTracker *self,
		     const gchar *collection,
		     const gchar *id,
		     const gchar *what,
		     GError **error)
{
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *text = suit_database_get(self->database, collection, id, &error_local);
	if (text == NULL) {
		if (g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_NOT_FOUND)) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_NOT_FOUND,
				    "%s %s not found",
				    what,
				    id);
			return NULL;
		}
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	return suit_tracker_parse_doc(text, collection, error);
}

/* documents of a query, parsed (element-type JsonObject) */
static GPtrArray *
suit_tracker_query_docs(SuitStatusTracker *self,
			const gchar *collection,
			const gchar *key,
			const gchar *after,
			guint limit,
			GError **error)
{
	g_autoptr(GPtrArray) texts =
	    suit_database_query(self->database, collection, key, after, limit, error);
	g_autoptr(GPtrArray) docs = NULL;

	if (texts == NULL)
		return NULL;
	docs = g_ptr_array_new_full(texts->len, (GDestroyNotify)json_object_unref);
	for (guint i = 0; i < texts->len; i++) {
		JsonObject *obj =
		    suit_tracker_parse_doc(g_ptr_array_index(texts, i), collection, error);
		if (obj == NULL)
			return NULL;
		g_ptr_array_add(docs, obj);
	}
	return g_steal_pointer(&docs);
}

/* a new object with the members of a stored token or device document but the
 * credential hash (nested values are shared, not copied) */
static JsonObject *
suit_tracker_public_copy(JsonObject *doc)
{
	JsonObject *obj = json_object_new();
	g_autoptr(GList) names = json_object_get_members(doc);

	for (GList *l = names; l != NULL; l = l->next) {
		const gchar *name = l->data;
		if (g_strcmp0(name, SUIT_TRACKER_HASH_MEMBER) == 0)
			continue;
		json_object_set_member(obj, name, json_node_copy(json_object_get_member(doc, name)));
	}
	return obj;
}

/* transactions and the audit log ------------------------------------------- */

typedef struct {
	SuitStatusTracker *self;
	SuitDatabase *db;
	gint64 now_unix;
	gchar *now;
	guint64 seq; /* of the last event, once loaded */
	gboolean seq_loaded;
	gboolean seq_dirty;
	/* what the commit brings to the check-in cache: id -> the facts of
	 * what was written (SuitTrackerCachedDevice, with the member facts of
	 * the devices whose member was written; SuitTrackerCachedCampaign) */
	GHashTable *written_devices;
	GHashTable *written_members; /* key "<campaign>/<device>" */
	GHashTable *written_campaigns;
	gboolean flushing; /* writing check-in records: the cache has them already */
	GPtrArray *flushed; /* (element-type SuitTrackerPending): put back on rollback */
} SuitTrackerTxn;

/* does the work of one transaction; returns the result, %NULL on error */
typedef gchar *(*SuitTrackerTxnFunc)(SuitTrackerTxn *txn, gpointer user_data, GError **error);

static gboolean
suit_tracker_txn_save_seq(SuitTrackerTxn *txn, GError **error)
{
	const gchar *keys[] = {NULL};
	g_autoptr(JsonObject) obj = NULL;
	g_autofree gchar *text = NULL;

	if (!txn->seq_dirty)
		return TRUE;
	obj = json_object_new();
	json_object_set_int_member(obj, "seq", (gint64)txn->seq);
	text = suit_tracker_object_to_string(obj);
	return suit_database_put(txn->db, COL_COUNTERS, COL_EVENTS, text, keys, error);
}

static gboolean
suit_tracker_txn_flush(SuitTrackerTxn *txn, guint limit, GError **error);
static void
suit_tracker_txn_done(SuitTrackerTxn *txn, gboolean committed);
static void
suit_tracker_flush_for_read(SuitStatusTracker *self);

/* runs @func in one transaction: commits if it succeeds, else rolls back.
 * Before @func, up to @flush_limit unwritten check-in records are written in
 * the same transaction, so that @func sees them and its events follow theirs. */
static gchar *
suit_tracker_run_full(SuitStatusTracker *self,
		      guint flush_limit,
		      SuitTrackerTxnFunc func,
		      gpointer user_data,
		      GError **error)
{
	SuitTrackerTxn txn = {.self = self, .db = self->database};
	g_autofree gchar *now = NULL;
	g_autofree gchar *result = NULL;

	txn.now_unix = suit_tracker_now(self);
	now = suit_tracker_format_time(txn.now_unix);
	txn.now = now;
	if (!suit_database_begin(self->database, error))
		return NULL;
	if (!suit_tracker_txn_flush(&txn, flush_limit, error) ||
	    (result = func(&txn, user_data, error)) == NULL ||
	    !suit_tracker_txn_save_seq(&txn, error)) {
		suit_database_rollback(self->database);
		suit_tracker_txn_done(&txn, FALSE);
		return NULL;
	}
	/* the cache learns the commits in their order */
	g_mutex_lock(&self->commit_lock);
	if (!suit_database_commit(self->database, error)) {
		suit_tracker_txn_done(&txn, FALSE);
		g_mutex_unlock(&self->commit_lock);
		return NULL;
	}
	suit_tracker_txn_done(&txn, TRUE);
	g_mutex_unlock(&self->commit_lock);
	return g_steal_pointer(&result);
}

static gchar *
suit_tracker_run(SuitStatusTracker *self,
		 SuitTrackerTxnFunc func,
		 gpointer user_data,
		 GError **error)
{
	return suit_tracker_run_full(self, G_MAXUINT, func, user_data, error);
}

/* the check-in cache learns what a transaction wrote at its commit */
static void
suit_tracker_txn_wrote_device(SuitTrackerTxn *txn, JsonObject *device);
static void
suit_tracker_txn_wrote_member(SuitTrackerTxn *txn, JsonObject *member);
static void
suit_tracker_txn_wrote_campaign(SuitTrackerTxn *txn, JsonObject *campaign);

/* appends an event that happened at @time; takes @details (nullable) */
static gboolean
suit_tracker_txn_event_at(SuitTrackerTxn *txn,
			  const gchar *time,
			  const gchar *type,
			  const gchar *device,
			  const gchar *campaign,
			  const gchar *manifest,
			  JsonObject *details,
			  GError **error)
{
	g_autoptr(JsonObject) owned_details = details;
	g_autoptr(JsonObject) obj = json_object_new();
	g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func(g_free);
	g_autofree gchar *id = NULL;
	g_autofree gchar *text = NULL;

	if (!txn->seq_loaded) {
		g_autoptr(GError) error_local = NULL;
		g_autofree gchar *counter =
		    suit_database_get(txn->db, COL_COUNTERS, COL_EVENTS, &error_local);
		if (counter != NULL) {
			g_autoptr(JsonObject) cobj =
			    suit_tracker_parse_doc(counter, COL_COUNTERS, error);
			if (cobj == NULL)
				return FALSE;
			txn->seq = (guint64)MAX(suit_tracker_doc_int(cobj, "seq", 0), 0);
		} else if (g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_NOT_FOUND)) {
			txn->seq = 0;
		} else {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
		txn->seq_loaded = TRUE;
	}
	txn->seq++;
	txn->seq_dirty = TRUE;

	json_object_set_int_member(obj, "seq", (gint64)txn->seq);
	json_object_set_string_member(obj, "time", time);
	json_object_set_string_member(obj, "type", type);
	if (device != NULL) {
		json_object_set_string_member(obj, "device", device);
		g_ptr_array_add(keys, g_strdup_printf("device:%s", device));
	}
	if (campaign != NULL) {
		json_object_set_string_member(obj, "campaign", campaign);
		g_ptr_array_add(keys, g_strdup_printf("campaign:%s", campaign));
	}
	if (manifest != NULL)
		json_object_set_string_member(obj, "manifest", manifest);
	json_object_set_object_member(obj,
				      "details",
				      owned_details != NULL ? g_steal_pointer(&owned_details)
							    : json_object_new());
	g_ptr_array_add(keys, NULL);
	id = g_strdup_printf("%020" G_GUINT64_FORMAT, txn->seq);
	text = suit_tracker_object_to_string(obj);
	return suit_database_put(txn->db,
				 COL_EVENTS,
				 id,
				 text,
				 (const gchar *const *)keys->pdata,
				 error);
}

/* appends an event of now; takes @details (nullable) */
static gboolean
suit_tracker_txn_event(SuitTrackerTxn *txn,
		       const gchar *type,
		       const gchar *device,
		       const gchar *campaign,
		       const gchar *manifest,
		       JsonObject *details,
		       GError **error)
{
	return suit_tracker_txn_event_at(txn,
					 txn->now,
					 type,
					 device,
					 campaign,
					 manifest,
					 details,
					 error);
}

/* object construction ------------------------------------------------------ */

static void
suit_status_tracker_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	SuitStatusTracker *self = SUIT_STATUS_TRACKER(object);
	switch (prop_id) {
	case PROP_DATABASE:
		g_value_set_object(value, self->database);
		break;
	case PROP_FIRMWARE_SERVER:
		g_value_set_object(value, self->firmware_server);
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
		break;
	}
}

static void
suit_status_tracker_set_property(GObject *object,
				 guint prop_id,
				 const GValue *value,
				 GParamSpec *pspec)
{
	SuitStatusTracker *self = SUIT_STATUS_TRACKER(object);
	switch (prop_id) {
	case PROP_DATABASE:
		g_set_object(&self->database, g_value_get_object(value));
		break;
	case PROP_FIRMWARE_SERVER:
		g_set_object(&self->firmware_server, g_value_get_object(value));
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
		break;
	}
}

static void
suit_tracker_cache_init(SuitStatusTracker *self);
static void
suit_tracker_cache_shutdown(SuitStatusTracker *self);
static void
suit_tracker_cache_finalize(SuitStatusTracker *self);

static void
suit_status_tracker_dispose(GObject *object)
{
	SuitStatusTracker *self = SUIT_STATUS_TRACKER(object);
	/* the check-in records go to the database before it goes */
	suit_tracker_cache_shutdown(self);
	g_clear_object(&self->database);
	g_clear_object(&self->firmware_server);
	G_OBJECT_CLASS(suit_status_tracker_parent_class)->dispose(object);
}

static void
suit_status_tracker_finalize(GObject *object)
{
	SuitStatusTracker *self = SUIT_STATUS_TRACKER(object);
	suit_tracker_cache_finalize(self);
	G_OBJECT_CLASS(suit_status_tracker_parent_class)->finalize(object);
}

static void
suit_status_tracker_class_init(SuitStatusTrackerClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->get_property = suit_status_tracker_get_property;
	object_class->set_property = suit_status_tracker_set_property;
	object_class->dispose = suit_status_tracker_dispose;
	object_class->finalize = suit_status_tracker_finalize;

	/**
	 * SuitStatusTracker:database:
	 *
	 * Where the tracker keeps all its state.
	 *
	 * Since: 0.1
	 */
	props[PROP_DATABASE] = g_param_spec_object("database",
						   NULL,
						   NULL,
						   SUIT_TYPE_DATABASE,
						   G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
						       G_PARAM_STATIC_STRINGS);
	/**
	 * SuitStatusTracker:firmware-server:
	 *
	 * The catalogue of manifests that campaigns roll out.
	 *
	 * Since: 0.1
	 */
	props[PROP_FIRMWARE_SERVER] = g_param_spec_object(
	    "firmware-server",
	    NULL,
	    NULL,
	    SUIT_TYPE_FIRMWARE_SERVER,
	    G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
	g_object_class_install_properties(object_class, N_PROPS, props);
}

static void
suit_status_tracker_init(SuitStatusTracker *self)
{
	suit_tracker_cache_init(self);
}

/**
 * suit_status_tracker_new:
 * @database: where the tracker keeps its state
 * @firmware_server: the catalogue of manifests
 *
 * Creates a Status Tracker on @database. Nothing is read or written until a
 * method is called; a tracker on a database that holds the state of an
 * earlier one carries on where that one stopped.
 *
 * Returns: (transfer full): a new #SuitStatusTracker
 *
 * Since: 0.1
 */
SuitStatusTracker *
suit_status_tracker_new(SuitDatabase *database, SuitFirmwareServer *firmware_server)
{
	g_return_val_if_fail(SUIT_IS_DATABASE(database), NULL);
	g_return_val_if_fail(SUIT_IS_FIRMWARE_SERVER(firmware_server), NULL);
	return g_object_new(SUIT_TYPE_STATUS_TRACKER,
			    "database",
			    database,
			    "firmware-server",
			    firmware_server,
			    NULL);
}

/**
 * suit_status_tracker_get_database:
 * @self: a #SuitStatusTracker
 *
 * Gets the database the tracker keeps its state in.
 *
 * Returns: (transfer none): the database
 *
 * Since: 0.1
 */
SuitDatabase *
suit_status_tracker_get_database(SuitStatusTracker *self)
{
	g_return_val_if_fail(SUIT_IS_STATUS_TRACKER(self), NULL);
	return self->database;
}

/**
 * suit_status_tracker_get_firmware_server:
 * @self: a #SuitStatusTracker
 *
 * Gets the firmware server whose manifests campaigns roll out.
 *
 * Returns: (transfer none): the firmware server
 *
 * Since: 0.1
 */
SuitFirmwareServer *
suit_status_tracker_get_firmware_server(SuitStatusTracker *self)
{
	g_return_val_if_fail(SUIT_IS_STATUS_TRACKER(self), NULL);
	return self->firmware_server;
}

void
suit_status_tracker_set_fake_time(SuitStatusTracker *self, gint64 unix_time)
{
	g_return_if_fail(SUIT_IS_STATUS_TRACKER(self));
	self->fake_time = unix_time;
}

void
suit_status_tracker_set_flushers(SuitStatusTracker *self, gboolean idle, guint due_ms)
{
	g_return_if_fail(SUIT_IS_STATUS_TRACKER(self));
	g_mutex_lock(&self->cache_lock);
	self->flusher_held = !idle;
	self->flush_due = (gint64)due_ms * G_TIME_SPAN_MILLISECOND;
	g_cond_signal(&self->flusher_due_cond);
	g_mutex_unlock(&self->cache_lock);
}

/* operator tokens ---------------------------------------------------------- */

/* a token must look like one before it is hashed and looked up */
static gboolean
suit_tracker_check_token_format(const gchar *token, GError **error)
{
	if (token == NULL || !suit_tracker_is_lower_hex(token, SUIT_TRACKER_TOKEN_HEX)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_PERMISSION_DENIED,
				    "invalid token");
		return FALSE;
	}
	return TRUE;
}

static gboolean
suit_tracker_check_token_name(const gchar *name, GError **error)
{
	glong len;
	if (name == NULL ||
	    strnlen(name, SUIT_TRACKER_MAX_NAME * 4 + 1) > SUIT_TRACKER_MAX_NAME * 4 ||
	    !g_utf8_validate(name, -1, NULL)) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "a token name has 1 to %d printable characters",
			    SUIT_TRACKER_MAX_NAME);
		return FALSE;
	}
	len = g_utf8_strlen(name, -1);
	if (len < 1 || len > SUIT_TRACKER_MAX_NAME) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "a token name has 1 to %d printable characters",
			    SUIT_TRACKER_MAX_NAME);
		return FALSE;
	}
	for (const gchar *p = name; *p != '\0'; p = g_utf8_next_char(p)) {
		if (!g_unichar_isprint(g_utf8_get_char(p))) {
			g_set_error_literal(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_ARGUMENT,
					    "a token name must only hold printable characters");
			return FALSE;
		}
	}
	return TRUE;
}

typedef struct {
	const gchar *role;
	const gchar *name;
} SuitTrackerCreateToken;

static gchar *
suit_tracker_create_token_txn(SuitTrackerTxn *txn, gpointer user_data, GError **error)
{
	SuitTrackerCreateToken *data = user_data;
	g_autoptr(JsonObject) doc = json_object_new();
	g_autoptr(JsonObject) result = json_object_new();
	g_autoptr(JsonObject) details = json_object_new();
	g_autofree gchar *token = NULL;
	g_autofree gchar *hash = NULL;
	g_autofree gchar *short_id = NULL;
	g_autofree gchar *key = NULL;
	g_autofree gchar *text = NULL;
	const gchar *keys[2] = {NULL, NULL};
	gchar *out;

	/* a new short id, even though 64 random bits hardly ever collide */
	for (guint attempt = 0;; attempt++) {
		guint64 n = 0;
		g_clear_pointer(&token, g_free);
		g_clear_pointer(&hash, g_free);
		g_clear_pointer(&short_id, g_free);
		g_clear_pointer(&key, g_free);
		token = suit_tracker_random_hex(GNUTLS_RND_KEY, SUIT_TRACKER_TOKEN_BYTES, error);
		if (token == NULL)
			return NULL;
		hash = suit_tracker_sha256_hex(token);
		short_id = g_strndup(hash, SUIT_TRACKER_TOKEN_ID_HEX);
		key = g_strdup_printf("id:%s", short_id);
		if (!suit_database_count(txn->db, COL_TOKENS, key, &n, error))
			return NULL;
		if (n == 0)
			break;
		if (attempt >= 3) {
			g_set_error_literal(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INTERNAL,
					    "cannot find a free token id");
			return NULL;
		}
	}

	json_object_set_string_member(doc, "id", short_id);
	json_object_set_string_member(doc, "role", data->role);
	json_object_set_string_member(doc, "name", data->name);
	json_object_set_string_member(doc, "created", txn->now);
	json_object_set_string_member(doc, SUIT_TRACKER_HASH_MEMBER, hash);
	text = suit_tracker_object_to_string(doc);
	keys[0] = key;
	if (!suit_database_put(txn->db, COL_TOKENS, hash, text, keys, error))
		return NULL;

	json_object_set_string_member(details, "id", short_id);
	json_object_set_string_member(details, "role", data->role);
	json_object_set_string_member(details, "name", data->name);
	if (!suit_tracker_txn_event(txn,
				    "token-created",
				    NULL,
				    NULL,
				    NULL,
				    g_steal_pointer(&details),
				    error))
		return NULL;

	json_object_set_string_member(result, "id", short_id);
	json_object_set_string_member(result, "role", data->role);
	json_object_set_string_member(result, "name", data->name);
	json_object_set_string_member(result, "token", token);
	out = suit_tracker_object_to_string(result);
	gnutls_memset(token, 0, strlen(token));
	return out;
}

/**
 * suit_status_tracker_create_token:
 * @self: a #SuitStatusTracker
 * @role: `admin` (everything), `operator` (everything but tokens) or
 *   `viewer` (read only)
 * @name: what the token is for, 1 to 64 printable characters
 * @error: return location for a #GError, or %NULL
 *
 * Creates an operator token: 32 random bytes from GnuTLS's key generator,
 * written as 64 lower-case hex digits. Only its SHA-256 is stored, so the
 * token is shown this once. A `token-created` event records it.
 *
 * Returns: (transfer full): JSON `{"id", "role", "name", "token"}`, where
 *   `id` (16 hex digits) names the token in suit_status_tracker_list_tokens()
 *   and suit_status_tracker_revoke_token(); %NULL with
 *   %SUIT_ERROR_INVALID_ARGUMENT for an unknown role or a bad name
 *
 * Since: 0.1
 */
gchar *
suit_status_tracker_create_token(SuitStatusTracker *self,
				 const gchar *role,
				 const gchar *name,
				 GError **error)
{
	SuitTrackerCreateToken data = {.role = role, .name = name};

	g_return_val_if_fail(SUIT_IS_STATUS_TRACKER(self), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!suit_tracker_strv_contains(suit_tracker_roles, role)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_ARGUMENT,
				    "the role must be admin, operator or viewer");
		return NULL;
	}
	if (!suit_tracker_check_token_name(name, error))
		return NULL;
	return suit_tracker_run(self, suit_tracker_create_token_txn, &data, error);
}

/**
 * suit_status_tracker_authenticate_operator:
 * @self: a #SuitStatusTracker
 * @token: (nullable): a bearer token
 * @error: return location for a #GError, or %NULL
 *
 * Finds the operator token @token: it is hashed, looked up by its hash, and
 * the stored hash is compared with the computed one in constant time.
 *
 * Returns: (transfer full): the role of the token (`admin`, `operator` or
 *   `viewer`), or %NULL with %SUIT_ERROR_PERMISSION_DENIED for a missing,
 *   malformed, unknown or revoked token
 *
 * Since: 0.1
 */
gchar *
suit_status_tracker_authenticate_operator(SuitStatusTracker *self,
					  const gchar *token,
					  GError **error)
{
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *hash = NULL;
	g_autofree gchar *text = NULL;
	g_autoptr(JsonObject) doc = NULL;
	const gchar *role;

	g_return_val_if_fail(SUIT_IS_STATUS_TRACKER(self), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!suit_tracker_check_token_format(token, error))
		return NULL;
	hash = suit_tracker_sha256_hex(token);
	text = suit_database_get(self->database, COL_TOKENS, hash, &error_local);
	if (text == NULL) {
		if (g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_NOT_FOUND)) {
			g_set_error_literal(error,
					    SUIT_ERROR,
					    SUIT_ERROR_PERMISSION_DENIED,
					    "unknown token");
			return NULL;
		}
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	doc = suit_tracker_parse_doc(text, COL_TOKENS, error);
	if (doc == NULL)
		return NULL;
	if (!suit_tracker_equal_const_time(suit_tracker_doc_string(doc, SUIT_TRACKER_HASH_MEMBER),
					   hash,
					   SUIT_TRACKER_TOKEN_HEX)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_PERMISSION_DENIED,
				    "unknown token");
		return NULL;
	}
	role = suit_tracker_doc_string(doc, "role");
	if (!suit_tracker_strv_contains(suit_tracker_roles, role)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_PERMISSION_DENIED,
				    "the token has no valid role");
		return NULL;
	}
	return g_strdup(role);
}

static gint
suit_tracker_compare_created(gconstpointer a, gconstpointer b)
{
	JsonObject *obj_a = *(JsonObject *const *)a;
	JsonObject *obj_b = *(JsonObject *const *)b;
	gint rc = g_strcmp0(suit_tracker_doc_string(obj_a, "created"),
			    suit_tracker_doc_string(obj_b, "created"));
	if (rc != 0)
		return rc;
	return g_strcmp0(suit_tracker_doc_string(obj_a, "id"),
			 suit_tracker_doc_string(obj_b, "id"));
}

/**
 * suit_status_tracker_list_tokens:
 * @self: a #SuitStatusTracker
 * @error: return location for a #GError, or %NULL
 *
 * Lists the operator tokens, oldest first. Neither the tokens nor their
 * hashes are shown.
 *
 * Returns: (transfer full): a JSON array of `{"id", "role", "name",
 *   "created"}`, or %NULL on a database error
 *
 * Since: 0.1
 */
gchar *
suit_status_tracker_list_tokens(SuitStatusTracker *self, GError **error)
{
	g_autoptr(GPtrArray) docs = NULL;
	g_autoptr(JsonArray) array = json_array_new();

	g_return_val_if_fail(SUIT_IS_STATUS_TRACKER(self), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	docs = suit_tracker_query_docs(self, COL_TOKENS, NULL, NULL, 0, error);
	if (docs == NULL)
		return NULL;
	g_ptr_array_sort(docs, suit_tracker_compare_created);
	for (guint i = 0; i < docs->len; i++)
		json_array_add_object_element(array,
					      suit_tracker_public_copy(g_ptr_array_index(docs, i)));
	return suit_tracker_array_to_string(array);
}

static gchar *
suit_tracker_revoke_token_txn(SuitTrackerTxn *txn, gpointer user_data, GError **error)
{
	const gchar *id = user_data;
	g_autofree gchar *key = g_strdup_printf("id:%s", id);
	g_autoptr(GPtrArray) docs =
	    suit_tracker_query_docs(txn->self, COL_TOKENS, key, NULL, 0, error);

	if (docs == NULL)
		return NULL;
	if (docs->len == 0) {
		g_set_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND, "token %s not found", id);
		return NULL;
	}
	for (guint i = 0; i < docs->len; i++) {
		JsonObject *doc = g_ptr_array_index(docs, i);
		const gchar *hash = suit_tracker_doc_string(doc, SUIT_TRACKER_HASH_MEMBER);
		JsonObject *details = json_object_new();
		if (hash == NULL) {
			json_object_unref(details);
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INTERNAL,
				    "stored token %s has no hash",
				    id);
			return NULL;
		}
		if (!suit_database_remove(txn->db, COL_TOKENS, hash, error)) {
			json_object_unref(details);
			return NULL;
		}
		json_object_set_string_member(details, "id", id);
		suit_tracker_set_string_or_null(details,
						"role",
						suit_tracker_doc_string(doc, "role"));
		suit_tracker_set_string_or_null(details,
						"name",
						suit_tracker_doc_string(doc, "name"));
		if (!suit_tracker_txn_event(txn, "token-revoked", NULL, NULL, NULL, details, error))
			return NULL;
	}
	return g_strdup("");
}

/**
 * suit_status_tracker_revoke_token:
 * @self: a #SuitStatusTracker
 * @id: the token's id (16 hex digits), as suit_status_tracker_list_tokens()
 *   shows it
 * @error: return location for a #GError, or %NULL
 *
 * Deletes an operator token; it stops working at once. A `token-revoked`
 * event records it.
 *
 * Returns: %TRUE if the token was revoked; %FALSE with
 *   %SUIT_ERROR_INVALID_ARGUMENT for a malformed id or
 *   %SUIT_ERROR_NOT_FOUND for an unknown one
 *
 * Since: 0.1
 */
gboolean
suit_status_tracker_revoke_token(SuitStatusTracker *self, const gchar *id, GError **error)
{
	g_autofree gchar *result = NULL;

	g_return_val_if_fail(SUIT_IS_STATUS_TRACKER(self), FALSE);
	g_return_val_if_fail(id != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!suit_tracker_is_lower_hex(id, SUIT_TRACKER_TOKEN_ID_HEX)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_ARGUMENT,
				    "a token id is 16 lower-case hex digits");
		return FALSE;
	}
	result = suit_tracker_run(self, suit_tracker_revoke_token_txn, (gpointer)id, error);
	return result != NULL;
}

/* devices ------------------------------------------------------------------ */

/* the index keys of a stored device document (transfer full) */
static GStrv
suit_tracker_device_keys(JsonObject *device)
{
	GPtrArray *keys = g_ptr_array_new();
	const gchar *hash = suit_tracker_doc_string(device, SUIT_TRACKER_HASH_MEMBER);
	const gchar *state = suit_tracker_doc_string(device, "state");
	JsonArray *tags = suit_tracker_doc_array(device, "tags");

	if (hash != NULL)
		g_ptr_array_add(keys, g_strdup_printf("token:%s", hash));
	if (state != NULL)
		g_ptr_array_add(keys, g_strdup_printf("state:%s", state));
	g_ptr_array_add(keys,
			g_strdup_printf("vc:%s/%s",
					suit_tracker_doc_string(device, "vendor_id"),
					suit_tracker_doc_string(device, "class_id")));
	for (guint i = 0; tags != NULL && i < json_array_get_length(tags); i++) {
		JsonNode *node = json_array_get_element(tags, i);
		if (suit_tracker_node_is_string(node))
			g_ptr_array_add(keys,
					g_strdup_printf("tag:%s", json_node_get_string(node)));
	}
	g_ptr_array_add(keys, NULL);
	return (GStrv)g_ptr_array_free(keys, FALSE);
}

static gboolean
suit_tracker_put_device(SuitTrackerTxn *txn, JsonObject *device, GError **error)
{
	g_auto(GStrv) keys = suit_tracker_device_keys(device);
	g_autofree gchar *text = suit_tracker_object_to_string(device);
	suit_tracker_txn_wrote_device(txn, device);
	return suit_database_put(txn->db,
				 COL_DEVICES,
				 suit_tracker_doc_string(device, "id"),
				 text,
				 (const gchar *const *)keys,
				 error);
}

/* the public key of a registration: a P-256 or Ed25519 public key in PEM */
static gchar *
suit_tracker_check_public_key(const gchar *pem, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GBytes) bytes = NULL;
	g_autoptr(GBytes) normalized = NULL;
	g_autoptr(SuitKey) key = NULL;
	gsize len = strnlen(pem, SUIT_TRACKER_MAX_PEM + 1);

	if (len > SUIT_TRACKER_MAX_PEM) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "\"public_key\" is longer than %d bytes",
			    SUIT_TRACKER_MAX_PEM);
		return NULL;
	}
	bytes = g_bytes_new(pem, len);
	key = suit_key_new_from_pem(bytes, &error_local);
	if (key == NULL) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "\"public_key\" is not a usable key: %s",
			    error_local->message);
		return NULL;
	}
	if (suit_key_has_private(key)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_ARGUMENT,
				    "\"public_key\" holds a private key: send only the public key");
		return NULL;
	}
	if (suit_key_get_key_type(key) != SUIT_KEY_TYPE_P256 &&
	    suit_key_get_key_type(key) != SUIT_KEY_TYPE_ED25519) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_ARGUMENT,
				    "\"public_key\" must be a P-256 or Ed25519 public key");
		return NULL;
	}
	normalized = suit_key_export_public_pem(key, &error_local);
	if (normalized == NULL) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "\"public_key\" cannot be exported: %s",
			    error_local->message);
		return NULL;
	}
	return g_strndup(g_bytes_get_data(normalized, NULL), g_bytes_get_size(normalized));
}

/* the tags of a request: an array of distinct valid tags (transfer full) */
static JsonArray *
suit_tracker_request_tags(JsonObject *obj, const gchar *name, gboolean allow_empty, GError **error)
{
	JsonNode *node = json_object_get_member(obj, name);
	g_autoptr(JsonArray) tags = json_array_new();
	g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
	JsonArray *array;

	if (node == NULL || !JSON_NODE_HOLDS_ARRAY(node)) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "\"%s\" must be an array of strings",
			    name);
		return NULL;
	}
	array = json_node_get_array(node);
	if (json_array_get_length(array) > SUIT_TRACKER_MAX_TAGS) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "\"%s\" has more than %d tags",
			    name,
			    SUIT_TRACKER_MAX_TAGS);
		return NULL;
	}
	if (!allow_empty && json_array_get_length(array) == 0) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "\"%s\" must not be empty",
			    name);
		return NULL;
	}
	for (guint i = 0; i < json_array_get_length(array); i++) {
		JsonNode *elem = json_array_get_element(array, i);
		const gchar *tag;
		if (!suit_tracker_node_is_string(elem)) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_ARGUMENT,
				    "\"%s\" must be an array of strings",
				    name);
			return NULL;
		}
		tag = json_node_get_string(elem);
		if (!suit_tracker_check_tag(tag, error))
			return NULL;
		if (g_hash_table_add(seen, (gpointer)tag))
			json_array_add_string_element(tags, tag);
	}
	return g_steal_pointer(&tags);
}

typedef struct {
	JsonObject *doc; /* the stored document, credential hash included */
	const gchar *token;
} SuitTrackerAddDevice;

static gchar *
suit_tracker_add_device_txn(SuitTrackerTxn *txn, gpointer user_data, GError **error)
{
	SuitTrackerAddDevice *data = user_data;
	const gchar *id = suit_tracker_doc_string(data->doc, "id");
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *existing = suit_database_get(txn->db, COL_DEVICES, id, &error_local);
	g_autoptr(JsonObject) result = json_object_new();
	g_autoptr(JsonObject) public = NULL;
	g_autoptr(GList) names = NULL;
	JsonObject *details;

	if (existing != NULL) {
		g_set_error(error, SUIT_ERROR, SUIT_ERROR_CONFLICT, "device %s exists already", id);
		return NULL;
	}
	if (!g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_NOT_FOUND)) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	json_object_set_string_member(data->doc, "created", txn->now);
	if (!suit_tracker_put_device(txn, data->doc, error))
		return NULL;

	details = json_object_new();
	json_object_set_string_member(details,
				      "vendor_id",
				      suit_tracker_doc_string(data->doc, "vendor_id"));
	json_object_set_string_member(details,
				      "class_id",
				      suit_tracker_doc_string(data->doc, "class_id"));
	json_object_set_array_member(details,
				     "tags",
				     json_array_ref(suit_tracker_doc_array(data->doc, "tags")));
	if (!suit_tracker_txn_event(txn, "device-registered", id, NULL, NULL, details, error))
		return NULL;

	/* {"id", "token", then the device document} */
	public = suit_tracker_public_copy(data->doc);
	json_object_set_string_member(result, "id", id);
	json_object_set_string_member(result, "token", data->token);
	names = json_object_get_members(public);
	for (GList *l = names; l != NULL; l = l->next) {
		if (g_strcmp0(l->data, "id") == 0)
			continue;
		json_object_set_member(result,
				       l->data,
				       json_node_copy(json_object_get_member(public, l->data)));
	}
	return suit_tracker_object_to_string(result);
}

/**
 * suit_status_tracker_add_device:
 * @self: a #SuitStatusTracker
 * @json: the registration, a JSON object `{"id", "vendor_id", "class_id",
 *   "tags", "public_key"}`
 * @error: return location for a #GError, or %NULL
 *
 * Registers a device. `id` has 1 to 128 characters of `A-Z a-z 0-9 . _ : -`
 * and does not start with `.`; `vendor_id` and `class_id` are canonical
 * lower-case UUIDs; `tags` (optional, default none) holds up to 32 tags of 1
 * to 64 such characters; `public_key` is the device's P-256 or Ed25519
 * public key in PEM, which its reports must be signed with. Other members
 * are refused.
 *
 * The device gets a credential, made like operator tokens, of which only the
 * SHA-256 is stored. A `device-registered` event records the registration.
 *
 * Returns: (transfer full): JSON `{"id", "token", ...}`: the credential
 *   (shown this once) and the device document; %NULL with
 *   %SUIT_ERROR_INVALID_ARGUMENT for a bad request,
 *   %SUIT_ERROR_LIMIT_EXCEEDED for one over 64 KiB or
 *   %SUIT_ERROR_CONFLICT if the id is taken
 *
 * Since: 0.1
 */
gchar *
suit_status_tracker_add_device(SuitStatusTracker *self, const gchar *json, GError **error)
{
	static const gchar *const allowed[] =
	    {"id", "vendor_id", "class_id", "tags", "public_key", NULL};
	g_autoptr(JsonObject) request = NULL;
	g_autoptr(JsonObject) doc = json_object_new();
	g_autoptr(JsonArray) tags = NULL;
	g_autofree gchar *pem = NULL;
	g_autofree gchar *token = NULL;
	g_autofree gchar *hash = NULL;
	g_autofree gchar *result = NULL;
	SuitTrackerAddDevice data = {NULL};
	const gchar *id;
	const gchar *vendor_id;
	const gchar *class_id;
	const gchar *public_key;

	g_return_val_if_fail(SUIT_IS_STATUS_TRACKER(self), NULL);
	g_return_val_if_fail(json != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	request = suit_tracker_parse_request(json, SUIT_TRACKER_MAX_DEVICE_BODY, error);
	if (request == NULL)
		return NULL;
	if (!suit_tracker_check_members(request, allowed, error))
		return NULL;
	id = suit_tracker_request_string(request, "id", error);
	if (id == NULL || !suit_tracker_check_device_id(id, error))
		return NULL;
	vendor_id = suit_tracker_request_string(request, "vendor_id", error);
	if (vendor_id == NULL)
		return NULL;
	if (!suit_tracker_is_uuid(vendor_id)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_ARGUMENT,
				    "\"vendor_id\" must be a lower-case 8-4-4-4-12 uuid");
		return NULL;
	}
	class_id = suit_tracker_request_string(request, "class_id", error);
	if (class_id == NULL)
		return NULL;
	if (!suit_tracker_is_uuid(class_id)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_ARGUMENT,
				    "\"class_id\" must be a lower-case 8-4-4-4-12 uuid");
		return NULL;
	}
	if (json_object_has_member(request, "tags")) {
		tags = suit_tracker_request_tags(request, "tags", TRUE, error);
		if (tags == NULL)
			return NULL;
	} else {
		tags = json_array_new();
	}
	public_key = suit_tracker_request_string(request, "public_key", error);
	if (public_key == NULL)
		return NULL;
	pem = suit_tracker_check_public_key(public_key, error);
	if (pem == NULL)
		return NULL;

	token = suit_tracker_random_hex(GNUTLS_RND_KEY, SUIT_TRACKER_TOKEN_BYTES, error);
	if (token == NULL)
		return NULL;
	hash = suit_tracker_sha256_hex(token);

	json_object_set_string_member(doc, "id", id);
	json_object_set_string_member(doc, "vendor_id", vendor_id);
	json_object_set_string_member(doc, "class_id", class_id);
	json_object_set_array_member(doc, "tags", g_steal_pointer(&tags));
	json_object_set_string_member(doc, "public_key", pem);
	json_object_set_string_member(doc, "state", "registered");
	json_object_set_null_member(doc, "installed_manifest");
	json_object_set_null_member(doc, "sequence_number");
	json_object_set_null_member(doc, "last_seen");
	json_object_set_null_member(doc, "created");
	json_object_set_null_member(doc, "campaign");
	json_object_set_array_member(doc, "history", json_array_new());
	json_object_set_string_member(doc, SUIT_TRACKER_HASH_MEMBER, hash);

	data.doc = doc;
	data.token = token;
	result = suit_tracker_run(self, suit_tracker_add_device_txn, &data, error);
	gnutls_memset(token, 0, strlen(token));
	return g_steal_pointer(&result);
}

/**
 * suit_status_tracker_get_device:
 * @self: a #SuitStatusTracker
 * @id: a device id
 * @error: return location for a #GError, or %NULL
 *
 * Gets a device document: `{"id", "vendor_id", "class_id", "tags",
 * "public_key", "state", "installed_manifest", "sequence_number",
 * "last_seen", "created", "campaign", "history"}`, where `history` holds the
 * last 50 finished updates as `{"time", "campaign", "manifest", "result"}`.
 * The credential is never shown.
 *
 * Returns: (transfer full): the device as JSON, or %NULL with
 *   %SUIT_ERROR_INVALID_ARGUMENT for a malformed id or
 *   %SUIT_ERROR_NOT_FOUND for an unknown one
 *
 * Since: 0.1
 */
gchar *
suit_status_tracker_get_device(SuitStatusTracker *self, const gchar *id, GError **error)
{
	g_autoptr(JsonObject) doc = NULL;
	g_autoptr(JsonObject) public = NULL;

	g_return_val_if_fail(SUIT_IS_STATUS_TRACKER(self), NULL);
	g_return_val_if_fail(id != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!suit_tracker_check_device_id(id, error))
		return NULL;
	suit_tracker_flush_for_read(self);
	doc = suit_tracker_get_doc(self, COL_DEVICES, id, "device", error);
	if (doc == NULL)
		return NULL;
	public = suit_tracker_public_copy(doc);
	return suit_tracker_object_to_string(public);
}

/**
 * suit_status_tracker_list_devices:
 * @self: a #SuitStatusTracker
 * @tag: (nullable): only devices with this tag
 * @state: (nullable): only devices in this state (`registered`, `idle`,
 *   `offered`, `installed`, `succeeded`, `failed` or `fell-back`)
 * @error: return location for a #GError, or %NULL
 *
 * Lists devices ordered by id, as suit_status_tracker_get_device() shows
 * them.
 *
 * Returns: (transfer full): a JSON array of device documents, or %NULL with
 *   %SUIT_ERROR_INVALID_ARGUMENT for a malformed tag or an unknown state
 *
 * Since: 0.1
 */
gchar *
suit_status_tracker_list_devices(SuitStatusTracker *self,
				 const gchar *tag,
				 const gchar *state,
				 GError **error)
{
	g_autoptr(GPtrArray) docs = NULL;
	g_autoptr(JsonArray) array = json_array_new();
	g_autofree gchar *key = NULL;

	g_return_val_if_fail(SUIT_IS_STATUS_TRACKER(self), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (tag != NULL && !suit_tracker_check_tag(tag, error))
		return NULL;
	if (state != NULL && !suit_tracker_strv_contains(suit_tracker_device_states, state)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_ARGUMENT,
				    "unknown device state");
		return NULL;
	}
	if (tag != NULL)
		key = g_strdup_printf("tag:%s", tag);
	else if (state != NULL)
		key = g_strdup_printf("state:%s", state);
	suit_tracker_flush_for_read(self);
	docs = suit_tracker_query_docs(self, COL_DEVICES, key, NULL, 0, error);
	if (docs == NULL)
		return NULL;
	for (guint i = 0; i < docs->len; i++) {
		JsonObject *doc = g_ptr_array_index(docs, i);
		if (state != NULL && g_strcmp0(suit_tracker_doc_string(doc, "state"), state) != 0)
			continue;
		json_array_add_object_element(array, suit_tracker_public_copy(doc));
	}
	return suit_tracker_array_to_string(array);
}

/**
 * suit_status_tracker_authenticate_device:
 * @self: a #SuitStatusTracker
 * @token: (nullable): a device's bearer token
 * @error: return location for a #GError, or %NULL
 *
 * Finds the device whose credential is @token, by the SHA-256 of the token;
 * the stored hash is compared with the computed one in constant time.
 *
 * Returns: (transfer full): the device id, or %NULL with
 *   %SUIT_ERROR_PERMISSION_DENIED for a missing, malformed or unknown token
 *
 * Since: 0.1
 */
gchar *
suit_status_tracker_authenticate_device(SuitStatusTracker *self, const gchar *token, GError **error)
{
	g_autofree gchar *hash = NULL;
	g_autofree gchar *key = NULL;
	g_autoptr(GPtrArray) docs = NULL;
	JsonObject *doc;
	const gchar *id;

	g_return_val_if_fail(SUIT_IS_STATUS_TRACKER(self), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!suit_tracker_check_token_format(token, error))
		return NULL;
	hash = suit_tracker_sha256_hex(token);
	/* known tokens are cached (unknown ones are not: they would fill memory) */
	g_mutex_lock(&self->token_lock);
	id = g_hash_table_lookup(self->cache_tokens, hash);
	if (id != NULL) {
		gchar *copy = g_strdup(id);
		g_mutex_unlock(&self->token_lock);
		return copy;
	}
	g_mutex_unlock(&self->token_lock);
	key = g_strdup_printf("token:%s", hash);
	docs = suit_tracker_query_docs(self, COL_DEVICES, key, NULL, 2, error);
	if (docs == NULL)
		return NULL;
	if (docs->len != 1) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_PERMISSION_DENIED,
				    "unknown token");
		return NULL;
	}
	doc = g_ptr_array_index(docs, 0);
	id = suit_tracker_doc_string(doc, "id");
	if (id == NULL ||
	    !suit_tracker_equal_const_time(suit_tracker_doc_string(doc, SUIT_TRACKER_HASH_MEMBER),
					   hash,
					   SUIT_TRACKER_TOKEN_HEX)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_PERMISSION_DENIED,
				    "unknown token");
		return NULL;
	}
	g_mutex_lock(&self->token_lock);
	if (g_hash_table_size(self->cache_tokens) >= SUIT_TRACKER_CACHE_MAX)
		g_hash_table_remove_all(self->cache_tokens);
	g_hash_table_replace(self->cache_tokens, g_steal_pointer(&hash), g_strdup(id));
	g_mutex_unlock(&self->token_lock);
	return g_strdup(id);
}

/* campaigns: members, counts, waves ---------------------------------------- */

static const gchar *
suit_tracker_count_name(const gchar *member_state)
{
	for (guint i = 0; suit_tracker_member_states[i] != NULL; i++) {
		if (g_strcmp0(suit_tracker_member_states[i], member_state) == 0)
			return suit_tracker_count_names[i];
	}
	return NULL;
}

static gint64
suit_tracker_count_get(JsonObject *campaign, const gchar *name)
{
	JsonObject *counts = suit_tracker_doc_object(campaign, "counts");
	if (counts == NULL)
		return 0;
	return suit_tracker_doc_int(counts, name, 0);
}

/* moves one member from state @from to state @to in the campaign's counts */
static void
suit_tracker_count_move(JsonObject *campaign, const gchar *from, const gchar *to)
{
	JsonObject *counts = suit_tracker_doc_object(campaign, "counts");
	const gchar *from_name = suit_tracker_count_name(from);
	const gchar *to_name = suit_tracker_count_name(to);

	if (counts == NULL)
		return;
	if (from_name != NULL)
		json_object_set_int_member(counts,
					   from_name,
					   MAX(suit_tracker_doc_int(counts, from_name, 0) - 1, 0));
	if (to_name != NULL)
		json_object_set_int_member(counts,
					   to_name,
					   suit_tracker_doc_int(counts, to_name, 0) + 1);
}

static JsonObject *
suit_tracker_counts_copy(JsonObject *campaign)
{
	JsonObject *copy = json_object_new();
	json_object_set_int_member(copy, "total", suit_tracker_count_get(campaign, "total"));
	for (guint i = 0; suit_tracker_count_names[i] != NULL; i++) {
		json_object_set_int_member(
		    copy,
		    suit_tracker_count_names[i],
		    suit_tracker_count_get(campaign, suit_tracker_count_names[i]));
	}
	return copy;
}

static gboolean
suit_tracker_put_campaign(SuitTrackerTxn *txn, JsonObject *campaign, GError **error)
{
	g_autofree gchar *state_key =
	    g_strdup_printf("state:%s", suit_tracker_doc_string(campaign, "state"));
	g_autofree gchar *manifest_key =
	    g_strdup_printf("manifest:%s", suit_tracker_doc_string(campaign, "manifest"));
	const gchar *keys[] = {state_key, manifest_key, NULL};
	g_autofree gchar *text = NULL;

	json_object_set_string_member(campaign, "updated", txn->now);
	text = suit_tracker_object_to_string(campaign);
	suit_tracker_txn_wrote_campaign(txn, campaign);
	return suit_database_put(txn->db,
				 COL_CAMPAIGNS,
				 suit_tracker_doc_string(campaign, "id"),
				 text,
				 keys,
				 error);
}

static gchar *
suit_tracker_member_id(const gchar *campaign_id, const gchar *device_id)
{
	return g_strdup_printf("%s/%s", campaign_id, device_id);
}

static gboolean
suit_tracker_put_member(SuitTrackerTxn *txn, JsonObject *member, GError **error)
{
	const gchar *campaign_id = suit_tracker_doc_string(member, "campaign");
	const gchar *device_id = suit_tracker_doc_string(member, "device");
	g_autofree gchar *id = suit_tracker_member_id(campaign_id, device_id);
	g_autofree gchar *campaign_key = g_strdup_printf("campaign:%s", campaign_id);
	g_autofree gchar *device_key = g_strdup_printf("device:%s", device_id);
	g_autofree gchar *wave_key = g_strdup_printf("cw:%s/%" G_GINT64_FORMAT,
						     campaign_id,
						     suit_tracker_doc_int(member, "wave", 0));
	const gchar *keys[] = {campaign_key, device_key, wave_key, NULL};
	g_autofree gchar *text = NULL;

	json_object_set_string_member(member, "updated", txn->now);
	text = suit_tracker_object_to_string(member);
	suit_tracker_txn_wrote_member(txn, member);
	return suit_database_put(txn->db, COL_MEMBERS, id, text, keys, error);
}

/* a manifest summary of the firmware server */
static JsonObject *
suit_tracker_get_manifest(SuitStatusTracker *self, const gchar *id, GError **error)
{
	g_autofree gchar *text =
	    suit_firmware_server_get_manifest(self->firmware_server, id, error);
	if (text == NULL)
		return NULL;
	return suit_tracker_parse_doc(text, "manifests", error);
}

/* gives the member of a wave that is starting its install offer */
static gboolean
suit_tracker_start_wave(SuitTrackerTxn *txn, JsonObject *campaign, guint wave, GError **error)
{
	const gchar *campaign_id = suit_tracker_doc_string(campaign, "id");
	JsonArray *waves = suit_tracker_doc_array(campaign, "waves");
	g_autofree gchar *key = g_strdup_printf("cw:%s/%u", campaign_id, wave);
	g_autoptr(GPtrArray) members =
	    suit_tracker_query_docs(txn->self, COL_MEMBERS, key, NULL, 0, error);
	JsonObject *details;
	guint started = 0;

	if (members == NULL)
		return FALSE;
	for (guint i = 0; i < members->len; i++) {
		JsonObject *member = g_ptr_array_index(members, i);
		const gchar *device_id = suit_tracker_doc_string(member, "device");
		g_autoptr(JsonObject) device = NULL;
		g_autofree gchar *nonce = NULL;

		if (g_strcmp0(suit_tracker_doc_string(member, "state"), "waiting") != 0)
			continue;
		nonce = suit_tracker_random_hex(GNUTLS_RND_NONCE, SUIT_TRACKER_NONCE_BYTES, error);
		if (nonce == NULL)
			return FALSE;
		json_object_set_string_member(member, "state", "offered");
		json_object_set_string_member(member, "nonce", nonce);
		json_object_set_boolean_member(member, "offer_made", FALSE);
		if (!suit_tracker_put_member(txn, member, error))
			return FALSE;
		suit_tracker_count_move(campaign, "waiting", "offered");
		device = suit_tracker_get_doc(txn->self, COL_DEVICES, device_id, "device", error);
		if (device == NULL)
			return FALSE;
		json_object_set_string_member(device, "state", "offered");
		json_object_set_string_member(device, "campaign", campaign_id);
		if (!suit_tracker_put_device(txn, device, error))
			return FALSE;
		started++;
	}
	json_object_set_int_member(campaign, "current_wave", wave);

	details = json_object_new();
	json_object_set_int_member(details, "wave", wave);
	if (waves != NULL && wave < json_array_get_length(waves))
		json_object_set_member(details,
				       "percentage",
				       json_node_copy(json_array_get_element(waves, wave)));
	json_object_set_int_member(details, "devices", started);
	return suit_tracker_txn_event(txn,
				      "wave-started",
				      NULL,
				      campaign_id,
				      suit_tracker_doc_string(campaign, "manifest"),
				      details,
				      error);
}

/* starts the next waves of a running campaign whose started waves have all
 * finished, or completes it after the last one */
static gboolean
suit_tracker_advance(SuitTrackerTxn *txn, JsonObject *campaign, GError **error)
{
	JsonArray *waves = suit_tracker_doc_array(campaign, "waves");
	guint n_waves = waves != NULL ? json_array_get_length(waves) : 1;

	while (g_strcmp0(suit_tracker_doc_string(campaign, "state"), "running") == 0) {
		gint64 current = suit_tracker_doc_int(campaign, "current_wave", 0);
		if (suit_tracker_count_get(campaign, "offered") +
			suit_tracker_count_get(campaign, "installed") >
		    0)
			return TRUE;
		if (current + 1 >= (gint64)n_waves) {
			json_object_set_string_member(campaign, "state", "completed");
			return suit_tracker_txn_event(txn,
						      "campaign-completed",
						      NULL,
						      suit_tracker_doc_string(campaign, "id"),
						      suit_tracker_doc_string(campaign, "manifest"),
						      suit_tracker_counts_copy(campaign),
						      error);
		}
		if (!suit_tracker_start_wave(txn, campaign, (guint)(current + 1), error))
			return FALSE;
	}
	return TRUE;
}

/* halts a running or paused campaign whose failure ratio is above the limit */
static gboolean
suit_tracker_check_halt(SuitTrackerTxn *txn, JsonObject *campaign, GError **error)
{
	const gchar *state = suit_tracker_doc_string(campaign, "state");
	gint64 succeeded = suit_tracker_count_get(campaign, "succeeded");
	gint64 failed = suit_tracker_count_get(campaign, "failed");
	gint64 fell_back = suit_tracker_count_get(campaign, "fell_back");
	gint64 finished = succeeded + failed + fell_back;
	gdouble max_ratio =
	    suit_tracker_doc_double(campaign, "max_failure_ratio", SUIT_TRACKER_DEFAULT_RATIO);
	gdouble ratio;
	g_autofree gchar *reason = NULL;
	JsonObject *details;

	if (g_strcmp0(state, "running") != 0 && g_strcmp0(state, "paused") != 0)
		return TRUE;
	if (finished == 0)
		return TRUE;
	ratio = (gdouble)(failed + fell_back) / (gdouble)finished;
	if (!(ratio > max_ratio))
		return TRUE;

	reason = g_strdup_printf("failure ratio %.4g (%" G_GINT64_FORMAT
				 " failed and %" G_GINT64_FORMAT " fell back of %" G_GINT64_FORMAT
				 " finished) is above the maximum %.4g",
				 ratio,
				 failed,
				 fell_back,
				 finished,
				 max_ratio);
	json_object_set_string_member(campaign, "state", "halted");
	json_object_set_string_member(campaign, "halt_reason", reason);
	details = json_object_new();
	json_object_set_string_member(details, "reason", reason);
	json_object_set_double_member(details, "failure_ratio", ratio);
	json_object_set_double_member(details, "max_failure_ratio", max_ratio);
	json_object_set_int_member(details, "failed", failed);
	json_object_set_int_member(details, "fell_back", fell_back);
	json_object_set_int_member(details, "finished", finished);
	return suit_tracker_txn_event(txn,
				      "campaign-halted",
				      NULL,
				      suit_tracker_doc_string(campaign, "id"),
				      suit_tracker_doc_string(campaign, "manifest"),
				      details,
				      error);
}

static void
suit_tracker_history_append(SuitTrackerTxn *txn,
			    JsonObject *device,
			    const gchar *campaign_id,
			    const gchar *manifest,
			    const gchar *result)
{
	JsonArray *history = suit_tracker_doc_array(device, "history");
	JsonObject *entry = json_object_new();

	if (history == NULL) {
		history = json_array_new();
		json_object_set_array_member(device, "history", history);
	}
	json_object_set_string_member(entry, "time", txn->now);
	json_object_set_string_member(entry, "campaign", campaign_id);
	json_object_set_string_member(entry, "manifest", manifest);
	json_object_set_string_member(entry, "result", result);
	json_array_add_object_element(history, entry);
	while (json_array_get_length(history) > SUIT_TRACKER_HISTORY)
		json_array_remove_element(history, 0);
}

/* a member finished with @result (succeeded, failed or fell-back): closes the
 * assignment, then halts the campaign or starts its next wave */
static gboolean
suit_tracker_finish_member(SuitTrackerTxn *txn,
			   JsonObject *campaign,
			   JsonObject *member,
			   JsonObject *device,
			   const gchar *result,
			   JsonObject *details,
			   GError **error)
{
	g_autoptr(JsonObject) owned_details = details;
	const gchar *campaign_id = suit_tracker_doc_string(campaign, "id");
	const gchar *manifest = suit_tracker_doc_string(campaign, "manifest");
	const gchar *device_id = suit_tracker_doc_string(device, "id");
	g_autofree gchar *type = g_strdup_printf("device-%s", result);

	suit_tracker_count_move(campaign, suit_tracker_doc_string(member, "state"), result);
	json_object_set_string_member(member, "state", result);
	json_object_set_null_member(member, "nonce");
	if (!suit_tracker_put_member(txn, member, error))
		return FALSE;
	json_object_set_string_member(device, "state", result);
	json_object_set_null_member(device, "campaign");
	suit_tracker_history_append(txn, device, campaign_id, manifest, result);
	if (!suit_tracker_put_device(txn, device, error))
		return FALSE;
	if (!suit_tracker_txn_event(txn,
				    type,
				    device_id,
				    campaign_id,
				    manifest,
				    g_steal_pointer(&owned_details),
				    error))
		return FALSE;
	if (!suit_tracker_check_halt(txn, campaign, error))
		return FALSE;
	return suit_tracker_advance(txn, campaign, error);
}

/* the check-in cache ------------------------------------------------------- */

/*
 * Check-ins are most of a fleet's requests, and almost all of them change
 * nothing, so they are answered from memory:
 *
 * - cache_tokens maps the SHA-256 of a device token to the device id (device
 *   tokens never change and devices are never removed; a way to do either
 *   must drop the mapping);
 * - cache_devices holds per device the few facts a check-in needs: what the
 *   device last said about itself, when it was last seen, and its open
 *   assignment (the member's state, wave and nonce, whether the offer was
 *   made);
 * - cache_campaigns holds the state, current wave and manifest of campaigns.
 *
 * Entries are filled lazily from the database, which stays the only truth.
 * Every transaction notes the facts of the devices, members and campaigns it
 * writes; after its commit (commits and these updates happen in one order,
 * under commit_lock) the cache takes them, or drops an entry it cannot
 * complete, and bumps cache_generation. A fill that began reading before
 * such a commit is not stored (its generation is old), so no stale entry
 * outlives a commit, and a cold cache gives the same answers as a warm one.
 *
 * What a check-in records (last_seen, at most once a minute; the sequence
 * number and manifest the device says it runs; `registered` becoming `idle`;
 * the check-in-offer event of the first offer of a nonce) is no acknowledged
 * state and no answer depends on it. It waits in `pending` and is written in
 * batches: before every other transaction (in that transaction, so that it
 * sees them and its events come after theirs), before the reads that show
 * it, when the tracker is disposed, and otherwise by two threads. The
 * flusher runs on CPU time that nothing else wants (SCHED_IDLE on Linux):
 * it writes within about a second when the machine has idle time, and
 * gives way at once to the threads that answer check-ins when it has none,
 * so that a check-in storm is not slowed down by its own bookkeeping. The
 * due flusher (nice 10) writes what has waited SUIT_TRACKER_FLUSH_DUE_S
 * seconds, so a busy machine delays the records by that much at most. A
 * crash loses at most these records of the last seconds, and the next
 * check-in of each device makes them again.
 *
 * Several servers sharing one database (ARCHITECTURE.md §7) would need to
 * invalidate each other's caches, e.g. from a change feed of the database;
 * that is out of scope for now: one tracker owns its database.
 */

typedef enum {
	SUIT_TRACKER_MEMBER_OTHER,
	SUIT_TRACKER_MEMBER_OFFERED,
	SUIT_TRACKER_MEMBER_INSTALLED,
} SuitTrackerMemberState;

typedef struct {
	gchar *id;
	gchar *token_sha256; /* only in what a transaction wrote */
	gboolean registered;
	gboolean has_sequence_number;
	gint64 sequence_number;
	gchar *installed_manifest; /* nullable */
	gint64 last_seen;	   /* -1: never */
	/* the open assignment: its campaign, NULL for none, and member */
	gchar *campaign_id;
	SuitTrackerMemberState member_state;
	gint64 wave;
	gchar *nonce; /* nullable */
	gboolean offer_made;
} SuitTrackerCachedDevice;

typedef struct {
	gchar *id;
	gboolean running;
	gint64 current_wave;
	gchar *manifest; /* nullable */
} SuitTrackerCachedCampaign;

/* what check-ins of one device recorded and was not written yet */
typedef struct {
	GList link; /* in pending_queue; data is the record */
	gchar *device_id;
	guint64 order; /* of the first record, or of the offer */
	gint64 seen;   /* the last check-in that recorded something */
	gboolean has_sequence_number;
	gint64 sequence_number;
	gchar *installed_manifest; /* nullable: unchanged */
	/* the first offer of a nonce; offer_campaign NULL for none */
	gchar *offer_campaign;
	gchar *offer_manifest;
	gchar *offer_nonce;
	const gchar *offer_action; /* static */
	gint64 offer_wave;
} SuitTrackerPending;

static void
suit_tracker_cached_device_free(SuitTrackerCachedDevice *device)
{
	g_free(device->id);
	g_free(device->token_sha256);
	g_free(device->installed_manifest);
	g_free(device->campaign_id);
	g_free(device->nonce);
	g_free(device);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SuitTrackerCachedDevice, suit_tracker_cached_device_free)

static void
suit_tracker_cached_campaign_free(SuitTrackerCachedCampaign *campaign)
{
	g_free(campaign->id);
	g_free(campaign->manifest);
	g_free(campaign);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SuitTrackerCachedCampaign, suit_tracker_cached_campaign_free)

static void
suit_tracker_pending_clear_offer(SuitTrackerPending *pending)
{
	g_clear_pointer(&pending->offer_campaign, g_free);
	g_clear_pointer(&pending->offer_manifest, g_free);
	g_clear_pointer(&pending->offer_nonce, g_free);
}

static void
suit_tracker_pending_free(SuitTrackerPending *pending)
{
	g_free(pending->device_id);
	g_free(pending->installed_manifest);
	suit_tracker_pending_clear_offer(pending);
	g_free(pending);
}

static void
suit_tracker_cache_init(SuitStatusTracker *self)
{
	g_mutex_init(&self->cache_lock);
	g_mutex_init(&self->commit_lock);
	g_mutex_init(&self->token_lock);
	g_cond_init(&self->flusher_cond);
	g_cond_init(&self->flusher_due_cond);
	self->flush_due = SUIT_TRACKER_FLUSH_DUE_S * G_TIME_SPAN_SECOND;
	self->cache_tokens = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	/* the keys are the ids in the values */
	self->cache_devices =
	    g_hash_table_new_full(g_str_hash,
				  g_str_equal,
				  NULL,
				  (GDestroyNotify)suit_tracker_cached_device_free);
	self->cache_campaigns =
	    g_hash_table_new_full(g_str_hash,
				  g_str_equal,
				  NULL,
				  (GDestroyNotify)suit_tracker_cached_campaign_free);
	self->pending = g_hash_table_new_full(g_str_hash,
					      g_str_equal,
					      NULL,
					      (GDestroyNotify)suit_tracker_pending_free);
}

/* the facts of a device document (the member facts are not set) */
static SuitTrackerCachedDevice *
suit_tracker_cached_device_new(JsonObject *device)
{
	SuitTrackerCachedDevice *cached = g_new0(SuitTrackerCachedDevice, 1);
	JsonNode *node = json_object_get_member(device, "sequence_number");

	cached->id = g_strdup(suit_tracker_doc_string(device, "id"));
	cached->registered =
	    g_strcmp0(suit_tracker_doc_string(device, "state"), "registered") == 0;
	if (suit_tracker_node_is_number(node)) {
		cached->has_sequence_number = TRUE;
		cached->sequence_number = json_node_get_int(node);
	}
	cached->installed_manifest = g_strdup(suit_tracker_doc_string(device, "installed_manifest"));
	cached->last_seen = suit_tracker_parse_time(suit_tracker_doc_string(device, "last_seen"));
	cached->campaign_id = g_strdup(suit_tracker_doc_string(device, "campaign"));
	return cached;
}

/* sets the member facts from a member document */
static void
suit_tracker_cached_device_set_member(SuitTrackerCachedDevice *cached, JsonObject *member)
{
	const gchar *state = suit_tracker_doc_string(member, "state");
	JsonNode *made = json_object_get_member(member, "offer_made");

	if (g_strcmp0(state, "offered") == 0)
		cached->member_state = SUIT_TRACKER_MEMBER_OFFERED;
	else if (g_strcmp0(state, "installed") == 0)
		cached->member_state = SUIT_TRACKER_MEMBER_INSTALLED;
	else
		cached->member_state = SUIT_TRACKER_MEMBER_OTHER;
	cached->wave = suit_tracker_doc_int(member, "wave", 0);
	g_free(cached->nonce);
	cached->nonce = g_strdup(suit_tracker_doc_string(member, "nonce"));
	cached->offer_made = made != NULL && JSON_NODE_HOLDS_VALUE(made) && json_node_get_boolean(made);
}

static void
suit_tracker_cached_device_copy_member(SuitTrackerCachedDevice *to,
				       const SuitTrackerCachedDevice *from)
{
	to->member_state = from->member_state;
	to->wave = from->wave;
	g_free(to->nonce);
	to->nonce = g_strdup(from->nonce);
	to->offer_made = from->offer_made;
}

static SuitTrackerCachedCampaign *
suit_tracker_cached_campaign_new(JsonObject *campaign)
{
	SuitTrackerCachedCampaign *cached = g_new0(SuitTrackerCachedCampaign, 1);
	cached->id = g_strdup(suit_tracker_doc_string(campaign, "id"));
	cached->running = g_strcmp0(suit_tracker_doc_string(campaign, "state"), "running") == 0;
	cached->current_wave = suit_tracker_doc_int(campaign, "current_wave", 0);
	cached->manifest = g_strdup(suit_tracker_doc_string(campaign, "manifest"));
	return cached;
}

/* the facts of a device and its open assignment, from the database */
static SuitTrackerCachedDevice *
suit_tracker_cache_load_device(SuitStatusTracker *self, const gchar *device_id, GError **error)
{
	g_autoptr(JsonObject) device = NULL;
	g_autoptr(SuitTrackerCachedDevice) cached = NULL;

	device = suit_tracker_get_doc(self, COL_DEVICES, device_id, "device", error);
	if (device == NULL)
		return NULL;
	cached = suit_tracker_cached_device_new(device);
	if (g_strcmp0(cached->id, device_id) != 0) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INTERNAL,
			    "the stored document of device %s has another id",
			    device_id);
		return NULL;
	}
	if (cached->campaign_id != NULL) {
		g_autofree gchar *member_id = suit_tracker_member_id(cached->campaign_id, device_id);
		g_autoptr(JsonObject) member =
		    suit_tracker_get_doc(self, COL_MEMBERS, member_id, "member", error);
		if (member == NULL)
			return NULL;
		suit_tracker_cached_device_set_member(cached, member);
	}
	return g_steal_pointer(&cached);
}

static SuitTrackerCachedCampaign *
suit_tracker_cache_load_campaign(SuitStatusTracker *self, const gchar *id, GError **error)
{
	g_autoptr(JsonObject) campaign =
	    suit_tracker_get_doc(self, COL_CAMPAIGNS, id, "campaign", error);
	g_autoptr(SuitTrackerCachedCampaign) cached = NULL;

	if (campaign == NULL)
		return NULL;
	cached = suit_tracker_cached_campaign_new(campaign);
	if (g_strcmp0(cached->id, id) != 0) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INTERNAL,
			    "the stored document of campaign %s has another id",
			    id);
		return NULL;
	}
	return g_steal_pointer(&cached);
}

static GHashTable *
suit_tracker_written_table(GHashTable **table, GDestroyNotify free_func)
{
	if (*table == NULL)
		*table = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, free_func);
	return *table;
}

static void
suit_tracker_txn_wrote_device(SuitTrackerTxn *txn, JsonObject *device)
{
	SuitTrackerCachedDevice *cached;

	if (txn->flushing)
		return;
	cached = suit_tracker_cached_device_new(device);
	cached->token_sha256 = g_strdup(suit_tracker_doc_string(device, SUIT_TRACKER_HASH_MEMBER));
	if (cached->id == NULL) {
		suit_tracker_cached_device_free(cached);
		return;
	}
	g_hash_table_replace(suit_tracker_written_table(&txn->written_devices,
							(GDestroyNotify)suit_tracker_cached_device_free),
			     g_strdup(cached->id),
			     cached);
}

static void
suit_tracker_txn_wrote_member(SuitTrackerTxn *txn, JsonObject *member)
{
	const gchar *campaign_id = suit_tracker_doc_string(member, "campaign");
	const gchar *device_id = suit_tracker_doc_string(member, "device");
	SuitTrackerCachedDevice *cached;

	if (txn->flushing || campaign_id == NULL || device_id == NULL)
		return;
	/* a device entry that holds only the member facts */
	cached = g_new0(SuitTrackerCachedDevice, 1);
	cached->id = g_strdup(device_id);
	cached->campaign_id = g_strdup(campaign_id);
	suit_tracker_cached_device_set_member(cached, member);
	g_hash_table_replace(suit_tracker_written_table(&txn->written_members,
							(GDestroyNotify)suit_tracker_cached_device_free),
			     suit_tracker_member_id(campaign_id, device_id),
			     cached);
}

static void
suit_tracker_txn_wrote_campaign(SuitTrackerTxn *txn, JsonObject *campaign)
{
	SuitTrackerCachedCampaign *cached;

	if (txn->flushing)
		return;
	cached = suit_tracker_cached_campaign_new(campaign);
	if (cached->id == NULL) {
		suit_tracker_cached_campaign_free(cached);
		return;
	}
	g_hash_table_replace(
	    suit_tracker_written_table(&txn->written_campaigns,
				       (GDestroyNotify)suit_tracker_cached_campaign_free),
	    g_strdup(cached->id),
	    cached);
}

/* a commit: the cache takes what the transaction wrote (under cache_lock,
 * in the order of the commits) */
static void
suit_tracker_cache_commit(SuitStatusTracker *self, SuitTrackerTxn *txn)
{
	GHashTableIter iter;
	gpointer key;
	gpointer value;

	if (txn->written_devices == NULL && txn->written_members == NULL &&
	    txn->written_campaigns == NULL)
		return;
	/* fills that read the database before this commit are not kept */
	self->cache_generation++;
	if (g_hash_table_size(self->cache_devices) >= SUIT_TRACKER_CACHE_MAX ||
	    g_hash_table_size(self->cache_campaigns) >= SUIT_TRACKER_CACHE_MAX) {
		g_hash_table_remove_all(self->cache_devices);
		g_hash_table_remove_all(self->cache_campaigns);
	}

	if (txn->written_devices != NULL) {
		g_hash_table_iter_init(&iter, txn->written_devices);
		while (g_hash_table_iter_next(&iter, &key, &value)) {
			SuitTrackerCachedDevice *device = value;
			SuitTrackerCachedDevice *member = NULL;
			SuitTrackerCachedDevice *old =
			    g_hash_table_lookup(self->cache_devices, device->id);

			if (device->token_sha256 != NULL) {
				g_mutex_lock(&self->token_lock);
				if (g_hash_table_size(self->cache_tokens) < SUIT_TRACKER_CACHE_MAX)
					g_hash_table_replace(self->cache_tokens,
							     g_strdup(device->token_sha256),
							     g_strdup(device->id));
				g_mutex_unlock(&self->token_lock);
			}
			g_clear_pointer(&device->token_sha256, g_free);
			if (device->campaign_id != NULL) {
				g_autofree gchar *member_id =
				    suit_tracker_member_id(device->campaign_id, device->id);
				if (txn->written_members != NULL)
					member = g_hash_table_lookup(txn->written_members, member_id);
				if (member == NULL && old != NULL &&
				    g_strcmp0(old->campaign_id, device->campaign_id) == 0)
					member = old;
				if (member == NULL) {
					/* its member is read at the next check-in */
					g_hash_table_remove(self->cache_devices, device->id);
					continue;
				}
				suit_tracker_cached_device_copy_member(device, member);
			}
			g_hash_table_iter_steal(&iter);
			g_free(key);
			g_hash_table_replace(self->cache_devices, device->id, device);
		}
	}
	if (txn->written_members != NULL) {
		g_hash_table_iter_init(&iter, txn->written_members);
		while (g_hash_table_iter_next(&iter, &key, &value)) {
			SuitTrackerCachedDevice *member = value;
			SuitTrackerCachedDevice *device =
			    g_hash_table_lookup(self->cache_devices, member->id);

			if (txn->written_devices != NULL &&
			    g_hash_table_contains(txn->written_devices, member->id))
				continue;
			if (device != NULL && g_strcmp0(device->campaign_id, member->campaign_id) == 0)
				suit_tracker_cached_device_copy_member(device, member);
		}
	}
	if (txn->written_campaigns != NULL) {
		g_hash_table_iter_init(&iter, txn->written_campaigns);
		while (g_hash_table_iter_next(&iter, &key, &value)) {
			SuitTrackerCachedCampaign *campaign = value;
			g_hash_table_iter_steal(&iter);
			g_free(key);
			g_hash_table_replace(self->cache_campaigns, campaign->id, campaign);
		}
	}
}

/* after a transaction: a commit updates the cache; a rollback puts the
 * check-in records it was writing back */
static void
suit_tracker_txn_done(SuitTrackerTxn *txn, gboolean committed)
{
	SuitStatusTracker *self = txn->self;

	g_mutex_lock(&self->cache_lock);
	if (committed)
		suit_tracker_cache_commit(self, txn);
	if (!committed && txn->flushed != NULL) {
		for (guint i = 0; i < txn->flushed->len; i++) {
			SuitTrackerPending *old = g_ptr_array_index(txn->flushed, i);
			SuitTrackerPending *newer = g_hash_table_lookup(self->pending, old->device_id);

			if (newer == NULL) {
				if (self->pending_since == 0)
					self->pending_since = g_get_monotonic_time();
				g_queue_push_head_link(&self->pending_queue, &old->link);
				g_hash_table_insert(self->pending,
						    old->device_id,
						    g_ptr_array_steal_index_fast(txn->flushed, i--));
				continue;
			}
			/* a later check-in recorded more: keep what it did not */
			if (!newer->has_sequence_number && old->has_sequence_number) {
				newer->has_sequence_number = TRUE;
				newer->sequence_number = old->sequence_number;
			}
			if (newer->installed_manifest == NULL)
				newer->installed_manifest = g_steal_pointer(&old->installed_manifest);
			if (newer->offer_campaign == NULL && old->offer_campaign != NULL) {
				newer->offer_campaign = g_steal_pointer(&old->offer_campaign);
				newer->offer_manifest = g_steal_pointer(&old->offer_manifest);
				newer->offer_nonce = g_steal_pointer(&old->offer_nonce);
				newer->offer_action = old->offer_action;
				newer->offer_wave = old->offer_wave;
			}
			newer->order = MIN(newer->order, old->order);
		}
	}
	g_mutex_unlock(&self->cache_lock);
	g_clear_pointer(&txn->flushed, g_ptr_array_unref);
	g_clear_pointer(&txn->written_devices, g_hash_table_unref);
	g_clear_pointer(&txn->written_members, g_hash_table_unref);
	g_clear_pointer(&txn->written_campaigns, g_hash_table_unref);
}

/* writes what check-ins of one device recorded */
static gboolean
suit_tracker_txn_write_pending(SuitTrackerTxn *txn, SuitTrackerPending *pending, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	g_autoptr(JsonObject) device = NULL;
	g_autoptr(JsonObject) member = NULL;
	g_autofree gchar *seen = suit_tracker_format_time(pending->seen);
	g_autofree gchar *member_id = NULL;
	JsonNode *made;
	JsonObject *details;
	const gchar *state;

	device = suit_tracker_get_doc(txn->self,
				      COL_DEVICES,
				      pending->device_id,
				      "device",
				      &error_local);
	if (device == NULL) {
		if (g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_NOT_FOUND))
			return TRUE;
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	if (pending->has_sequence_number)
		json_object_set_int_member(device, "sequence_number", pending->sequence_number);
	if (pending->installed_manifest != NULL)
		json_object_set_string_member(device,
					      "installed_manifest",
					      pending->installed_manifest);
	if (g_strcmp0(suit_tracker_doc_string(device, "state"), "registered") == 0)
		json_object_set_string_member(device, "state", "idle");
	json_object_set_string_member(device, "last_seen", seen);
	if (!suit_tracker_put_device(txn, device, error))
		return FALSE;

	/* the first offer of a nonce, if it is still the current one */
	if (pending->offer_campaign == NULL)
		return TRUE;
	member_id = suit_tracker_member_id(pending->offer_campaign, pending->device_id);
	member = suit_tracker_get_doc(txn->self, COL_MEMBERS, member_id, "member", &error_local);
	if (member == NULL) {
		if (g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_NOT_FOUND))
			return TRUE;
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	state = suit_tracker_doc_string(member, "state");
	made = json_object_get_member(member, "offer_made");
	if ((g_strcmp0(state, "offered") != 0 && g_strcmp0(state, "installed") != 0) ||
	    g_strcmp0(suit_tracker_doc_string(member, "nonce"), pending->offer_nonce) != 0 ||
	    (made != NULL && JSON_NODE_HOLDS_VALUE(made) && json_node_get_boolean(made)))
		return TRUE;
	json_object_set_boolean_member(member, "offer_made", TRUE);
	if (!suit_tracker_put_member(txn, member, error))
		return FALSE;
	details = json_object_new();
	json_object_set_string_member(details, "action", pending->offer_action);
	json_object_set_int_member(details, "wave", pending->offer_wave);
	return suit_tracker_txn_event_at(txn,
					 seen,
					 "check-in-offer",
					 pending->device_id,
					 pending->offer_campaign,
					 pending->offer_manifest,
					 details,
					 error);
}

static gint
suit_tracker_pending_compare(gconstpointer a, gconstpointer b)
{
	const SuitTrackerPending *pa = *(SuitTrackerPending *const *)a;
	const SuitTrackerPending *pb = *(SuitTrackerPending *const *)b;
	return pa->order < pb->order ? -1 : pa->order > pb->order ? 1 : 0;
}

/* takes up to @limit records, oldest first, a few at a time: the flusher
 * runs on idle CPU time and is preempted whenever a check-in comes, so it
 * holds cache_lock only briefly */
static void
suit_tracker_take_pending(SuitStatusTracker *self, GPtrArray *taken, guint limit)
{
	for (;;) {
		gboolean all;

		g_mutex_lock(&self->cache_lock);
		for (guint i = 0; i < SUIT_TRACKER_FLUSH_TAKE && taken->len < limit; i++) {
			GList *link = g_queue_pop_head_link(&self->pending_queue);
			SuitTrackerPending *pending;

			if (link == NULL)
				break;
			pending = link->data;
			g_hash_table_steal(self->pending, pending->device_id);
			g_ptr_array_add(taken, pending);
		}
		all = g_queue_is_empty(&self->pending_queue);
		if (all)
			self->pending_since = 0;
		g_mutex_unlock(&self->cache_lock);
		if (all || taken->len >= limit)
			return;
	}
}

/* writes up to @limit check-in records, oldest first, in the transaction */
static gboolean
suit_tracker_txn_flush(SuitTrackerTxn *txn, guint limit, GError **error)
{
	SuitStatusTracker *self = txn->self;
	guint n;

	g_mutex_lock(&self->cache_lock);
	n = g_hash_table_size(self->pending);
	g_mutex_unlock(&self->cache_lock);
	if (n == 0)
		return TRUE;
	txn->flushed = g_ptr_array_new_with_free_func((GDestroyNotify)suit_tracker_pending_free);
	suit_tracker_take_pending(self, txn->flushed, limit);

	g_ptr_array_sort(txn->flushed, suit_tracker_pending_compare);
	txn->flushing = TRUE;
	for (guint i = 0; i < txn->flushed->len; i++) {
		if (!suit_tracker_txn_write_pending(txn, g_ptr_array_index(txn->flushed, i), error)) {
			txn->flushing = FALSE;
			return FALSE;
		}
	}
	txn->flushing = FALSE;
	return TRUE;
}

static gchar *
suit_tracker_flush_txn(SuitTrackerTxn *txn, gpointer user_data, GError **error)
{
	return g_strdup("");
}

/* writes every check-in record; in batches, so others may write in between */
static gboolean
suit_tracker_flush(SuitStatusTracker *self, GError **error)
{
	for (;;) {
		g_autofree gchar *result = NULL;
		guint n;

		g_mutex_lock(&self->cache_lock);
		n = g_hash_table_size(self->pending);
		g_mutex_unlock(&self->cache_lock);
		if (n == 0)
			return TRUE;
		result = suit_tracker_run_full(self,
					       SUIT_TRACKER_FLUSH_BATCH,
					       suit_tracker_flush_txn,
					       NULL,
					       error);
		if (result == NULL)
			return FALSE;
	}
}

/* before a read that shows what check-ins record; a failure leaves the
 * records to the flusher, which reports it */
static void
suit_tracker_flush_for_read(SuitStatusTracker *self)
{
	g_autoptr(GError) error = NULL;
	if (!suit_tracker_flush(self, &error))
		g_debug("cannot write the check-in records yet: %s", error->message);
}

static gpointer
suit_tracker_flusher_run(gpointer user_data)
{
	SuitStatusTracker *self = user_data;

#ifdef __linux__
	/* the check-in records are bookkeeping, the answers come first: this
	 * thread runs only on CPU time that no other thread wants, and is
	 * preempted as soon as one does (at nice 10, it took a fifth of a CPU
	 * from a check-in storm, and the storm's p99 rose by 3 to 8 ms). The
	 * due flusher writes what waits too long; each other transaction and
	 * each read that shows the records writes them first. Best effort. */
	{
		struct sched_param param = {0};
		if (pthread_setschedparam(pthread_self(), SCHED_IDLE, &param) != 0)
			(void)setpriority(PRIO_PROCESS,
					  (id_t)gettid(),
					  SUIT_TRACKER_FLUSH_IDLE_NICE);
	}
#endif
	g_mutex_lock(&self->cache_lock);
	while (!self->flusher_stop) {
		gint64 deadline =
		    g_get_monotonic_time() + SUIT_TRACKER_FLUSH_INTERVAL_MS * G_TIME_SPAN_MILLISECOND;
		g_autoptr(GError) error = NULL;
		g_autofree gchar *result = NULL;

		while (!self->flusher_stop &&
		       (self->flusher_held ||
			g_hash_table_size(self->pending) < SUIT_TRACKER_FLUSH_BATCH) &&
		       g_cond_wait_until(&self->flusher_cond, &self->cache_lock, deadline))
			;
		if (self->flusher_stop)
			break;
		if (self->flusher_held || g_hash_table_size(self->pending) == 0)
			continue;
		g_mutex_unlock(&self->cache_lock);
		result = suit_tracker_run_full(self,
					       SUIT_TRACKER_FLUSH_BATCH,
					       suit_tracker_flush_txn,
					       NULL,
					       &error);
		if (result == NULL) {
			g_warning("cannot write the check-in records: %s", error->message);
			g_usleep(SUIT_TRACKER_FLUSH_INTERVAL_MS * G_TIME_SPAN_MILLISECOND);
		}
		g_mutex_lock(&self->cache_lock);
	}
	g_mutex_unlock(&self->cache_lock);
	return NULL;
}

/* writes every record once the oldest has waited SUIT_TRACKER_FLUSH_DUE_S
 * seconds: on a machine without idle CPU time, the flusher may not run */
static gpointer
suit_tracker_flusher_due_run(gpointer user_data)
{
	SuitStatusTracker *self = user_data;

#ifdef __linux__
	(void)setpriority(PRIO_PROCESS, (id_t)gettid(), SUIT_TRACKER_FLUSH_NICE);
#endif
	g_mutex_lock(&self->cache_lock);
	while (!self->flusher_stop) {
		gint64 now = g_get_monotonic_time();
		g_autoptr(GError) error = NULL;

		/* nothing waits: look again in a second (a record that comes
		 * meanwhile is written by its deadline, give or take that) */
		if (self->pending_since == 0) {
			g_cond_wait_until(&self->flusher_due_cond,
					  &self->cache_lock,
					  now + G_TIME_SPAN_SECOND);
			continue;
		}
		if (now < self->pending_since + self->flush_due) {
			g_cond_wait_until(&self->flusher_due_cond,
					  &self->cache_lock,
					  self->pending_since + self->flush_due);
			continue;
		}
		g_mutex_unlock(&self->cache_lock);
		if (!suit_tracker_flush(self, &error)) {
			g_warning("cannot write the check-in records: %s", error->message);
			g_usleep(SUIT_TRACKER_FLUSH_INTERVAL_MS * G_TIME_SPAN_MILLISECOND);
		}
		g_mutex_lock(&self->cache_lock);
	}
	g_mutex_unlock(&self->cache_lock);
	return NULL;
}

/* stops the flusher and writes what is left; before the database goes */
static void
suit_tracker_cache_shutdown(SuitStatusTracker *self)
{
	g_autoptr(GError) error = NULL;
	GThread *flusher;
	GThread *flusher_due;

	if (self->pending == NULL)
		return;
	g_mutex_lock(&self->cache_lock);
	self->flusher_stop = TRUE;
	flusher = g_steal_pointer(&self->flusher);
	flusher_due = g_steal_pointer(&self->flusher_due);
	g_cond_signal(&self->flusher_cond);
	g_cond_signal(&self->flusher_due_cond);
	g_mutex_unlock(&self->cache_lock);
	if (flusher != NULL)
		g_thread_join(flusher);
	if (flusher_due != NULL)
		g_thread_join(flusher_due);
	if (self->database != NULL && !suit_tracker_flush(self, &error))
		g_warning("cannot write the check-in records: %s", error->message);
}

static void
suit_tracker_cache_finalize(SuitStatusTracker *self)
{
	g_clear_pointer(&self->cache_tokens, g_hash_table_unref);
	g_clear_pointer(&self->cache_devices, g_hash_table_unref);
	g_clear_pointer(&self->cache_campaigns, g_hash_table_unref);
	g_clear_pointer(&self->pending, g_hash_table_unref);
	g_queue_init(&self->pending_queue); /* its links went with the records */
	g_cond_clear(&self->flusher_cond);
	g_cond_clear(&self->flusher_due_cond);
	g_mutex_clear(&self->token_lock);
	g_mutex_clear(&self->commit_lock);
	g_mutex_clear(&self->cache_lock);
}

void
suit_status_tracker_clear_cache(SuitStatusTracker *self)
{
	g_return_if_fail(SUIT_IS_STATUS_TRACKER(self));
	g_mutex_lock(&self->cache_lock);
	self->cache_generation++;
	g_mutex_lock(&self->token_lock);
	g_hash_table_remove_all(self->cache_tokens);
	g_mutex_unlock(&self->token_lock);
	g_hash_table_remove_all(self->cache_devices);
	g_hash_table_remove_all(self->cache_campaigns);
	g_mutex_unlock(&self->cache_lock);
}

/* check-in ----------------------------------------------------------------- */

static gchar *
suit_tracker_offer_to_string(const gchar *action,
			     const gchar *manifest,
			     const gchar *campaign_id,
			     const gchar *nonce);

typedef struct {
	const gchar *device_id;
	gboolean has_sequence_number;
	gint64 sequence_number;
	const gchar *manifest; /* nullable */
	gchar *offer;	       /* out */
	/* the facts of the offer, copied under cache_lock and formatted after
	 * it: each check-in holds the lock as briefly as it can */
	const gchar *offer_action; /* NULL: no offer */
	gchar *offer_manifest;
	gchar *offer_campaign;
	gchar *offer_nonce; /* nullable */
} SuitTrackerCheckIn;

/* formats the offer kept in @ci, out of cache_lock */
static void
suit_tracker_check_in_format_offer(SuitTrackerCheckIn *ci)
{
	if (ci->offer_action != NULL)
		ci->offer = suit_tracker_offer_to_string(ci->offer_action,
							 ci->offer_manifest,
							 ci->offer_campaign,
							 ci->offer_nonce);
	g_clear_pointer(&ci->offer_manifest, g_free);
	g_clear_pointer(&ci->offer_campaign, g_free);
	g_clear_pointer(&ci->offer_nonce, g_free);
}

/* ids and nonces need no escaping in JSON */
static gboolean
suit_tracker_is_plain(const gchar *text)
{
	if (text == NULL)
		return FALSE;
	for (; *text != '\0'; text++) {
		if (!suit_tracker_is_name_char(*text))
			return FALSE;
	}
	return TRUE;
}

static gchar *
suit_tracker_offer_to_string(const gchar *action,
			     const gchar *manifest,
			     const gchar *campaign_id,
			     const gchar *nonce)
{
	g_autoptr(JsonObject) offer = NULL;
	g_autofree gchar *url = NULL;

	/* the usual offer: a fixed shape, without json-glib */
	if (suit_tracker_is_plain(manifest) && suit_tracker_is_plain(campaign_id) &&
	    (nonce == NULL || suit_tracker_is_plain(nonce))) {
		return g_strdup_printf("{\"action\":\"%s\",\"manifest\":\"%s\","
				       "\"manifest_url\":\"/device/v1/manifests/%s\","
				       "\"campaign\":\"%s\",\"nonce\":%s%s%s}",
				       action,
				       manifest,
				       manifest,
				       campaign_id,
				       nonce != NULL ? "\"" : "",
				       nonce != NULL ? nonce : "null",
				       nonce != NULL ? "\"" : "");
	}
	url = g_strdup_printf("/device/v1/manifests/%s", manifest);
	offer = json_object_new();
	json_object_set_string_member(offer, "action", action);
	suit_tracker_set_string_or_null(offer, "manifest", manifest);
	json_object_set_string_member(offer, "manifest_url", url);
	json_object_set_string_member(offer, "campaign", campaign_id);
	suit_tracker_set_string_or_null(offer, "nonce", nonce);
	return suit_tracker_object_to_string(offer);
}

/* answers a check-in from the facts and records what it must write; under
 * cache_lock */
static void
suit_tracker_cache_answer(SuitStatusTracker *self,
			  SuitTrackerCachedDevice *device,
			  SuitTrackerCachedCampaign *campaign,
			  SuitTrackerCheckIn *ci,
			  gint64 now)
{
	SuitTrackerPending *pending;
	gboolean new_sequence_number = FALSE;
	gboolean new_manifest = FALSE;
	gboolean first_offer = FALSE;
	gboolean record;
	const gchar *action = NULL;

	/* what the device says about itself */
	if (ci->has_sequence_number &&
	    (!device->has_sequence_number || device->sequence_number != ci->sequence_number)) {
		device->has_sequence_number = TRUE;
		device->sequence_number = ci->sequence_number;
		new_sequence_number = TRUE;
	}
	if (ci->manifest != NULL && g_strcmp0(device->installed_manifest, ci->manifest) != 0) {
		g_free(device->installed_manifest);
		device->installed_manifest = g_strdup(ci->manifest);
		new_manifest = TRUE;
	}
	record = new_sequence_number || new_manifest || device->registered ||
		 device->last_seen < 0 || now - device->last_seen >= SUIT_TRACKER_LAST_SEEN_INTERVAL ||
		 now < device->last_seen;
	device->registered = FALSE;

	/* the open assignment, if any */
	if (device->campaign_id != NULL) {
		if (device->member_state == SUIT_TRACKER_MEMBER_INSTALLED)
			action = "confirm";
		else if (device->member_state == SUIT_TRACKER_MEMBER_OFFERED && campaign->running &&
			 device->wave <= campaign->current_wave)
			action = "install";
	}
	if (action != NULL) {
		ci->offer_action = action;
		ci->offer_manifest = g_strdup(campaign->manifest);
		ci->offer_campaign = g_strdup(device->campaign_id);
		ci->offer_nonce = g_strdup(device->nonce);
		first_offer = !device->offer_made;
		device->offer_made = TRUE;
	}
	if (!record && !first_offer)
		return;

	device->last_seen = now;
	pending = g_hash_table_lookup(self->pending, device->id);
	if (pending == NULL) {
		pending = g_new0(SuitTrackerPending, 1);
		pending->device_id = g_strdup(device->id);
		pending->order = ++self->pending_order;
		if (self->pending_since == 0)
			self->pending_since = g_get_monotonic_time();
		pending->link.data = pending;
		g_queue_push_tail_link(&self->pending_queue, &pending->link);
		g_hash_table_insert(self->pending, pending->device_id, pending);
	}
	pending->seen = now;
	if (new_sequence_number) {
		pending->has_sequence_number = TRUE;
		pending->sequence_number = ci->sequence_number;
	}
	if (new_manifest) {
		g_free(pending->installed_manifest);
		pending->installed_manifest = g_strdup(ci->manifest);
	}
	if (first_offer) {
		suit_tracker_pending_clear_offer(pending);
		pending->order = ++self->pending_order;
		pending->offer_campaign = g_strdup(device->campaign_id);
		pending->offer_manifest = g_strdup(campaign->manifest);
		pending->offer_nonce = g_strdup(device->nonce);
		pending->offer_action = action;
		pending->offer_wave = device->wave;
	}
	/* a thread name has at most 15 characters on Linux */
	if (self->flusher == NULL && !self->flusher_stop)
		self->flusher = g_thread_try_new("suit-flush", suit_tracker_flusher_run, self, NULL);
	if (self->flusher_due == NULL && !self->flusher_stop)
		self->flusher_due =
		    g_thread_try_new("suit-flush-due", suit_tracker_flusher_due_run, self, NULL);
	/* once, as a batch fills up: the flusher looks at the size before it
	 * waits, and a signal is a system call under cache_lock */
	if (g_hash_table_size(self->pending) == SUIT_TRACKER_FLUSH_BATCH)
		g_cond_signal(&self->flusher_cond);
}

/* a check-in, from the cache or, on a miss, from the database */
static gboolean
suit_tracker_check_in_cached(SuitStatusTracker *self, SuitTrackerCheckIn *ci, GError **error)
{
	g_autoptr(SuitTrackerCachedDevice) loaded_device = NULL;
	g_autoptr(SuitTrackerCachedCampaign) loaded_campaign = NULL;
	SuitTrackerCachedDevice *device;
	SuitTrackerCachedCampaign *campaign = NULL;
	gint64 now = suit_tracker_now(self);
	guint64 generation;

	g_mutex_lock(&self->cache_lock);
	generation = self->cache_generation;
	device = g_hash_table_lookup(self->cache_devices, ci->device_id);
	if (device != NULL && device->campaign_id != NULL)
		campaign = g_hash_table_lookup(self->cache_campaigns, device->campaign_id);
	if (device != NULL && (device->campaign_id == NULL || campaign != NULL)) {
		suit_tracker_cache_answer(self, device, campaign, ci, now);
		g_mutex_unlock(&self->cache_lock);
		suit_tracker_check_in_format_offer(ci);
		return TRUE;
	}
	g_mutex_unlock(&self->cache_lock);

	/* a miss: read without the lock */
	loaded_device = suit_tracker_cache_load_device(self, ci->device_id, error);
	if (loaded_device == NULL)
		return FALSE;
	if (loaded_device->campaign_id != NULL) {
		loaded_campaign =
		    suit_tracker_cache_load_campaign(self, loaded_device->campaign_id, error);
		if (loaded_campaign == NULL)
			return FALSE;
	}

	g_mutex_lock(&self->cache_lock);
	device = NULL;
	campaign = NULL;
	/* nothing was committed while we read: what we read is current */
	if (self->cache_generation == generation) {
		if (g_hash_table_size(self->cache_devices) >= SUIT_TRACKER_CACHE_MAX ||
		    g_hash_table_size(self->cache_campaigns) >= SUIT_TRACKER_CACHE_MAX) {
			g_hash_table_remove_all(self->cache_devices);
			g_hash_table_remove_all(self->cache_campaigns);
		}
		if (!g_hash_table_contains(self->cache_devices, loaded_device->id)) {
			device = g_steal_pointer(&loaded_device);
			g_hash_table_insert(self->cache_devices, device->id, device);
		}
		if (loaded_campaign != NULL &&
		    !g_hash_table_contains(self->cache_campaigns, loaded_campaign->id)) {
			campaign = g_steal_pointer(&loaded_campaign);
			g_hash_table_insert(self->cache_campaigns, campaign->id, campaign);
		}
		device = g_hash_table_lookup(self->cache_devices, ci->device_id);
		campaign = device->campaign_id != NULL
			       ? g_hash_table_lookup(self->cache_campaigns, device->campaign_id)
			       : NULL;
	}
	/* else answer from what we read, without keeping it */
	if (device == NULL || (device->campaign_id != NULL && campaign == NULL)) {
		device = loaded_device;
		campaign = loaded_campaign;
	}
	suit_tracker_cache_answer(self, device, campaign, ci, now);
	g_mutex_unlock(&self->cache_lock);
	suit_tracker_check_in_format_offer(ci);
	return TRUE;
}

/* the check-in request with json-glib; @ci points into the returned object */
static JsonObject *
suit_tracker_parse_check_in(const gchar *json, SuitTrackerCheckIn *ci, GError **error)
{
	g_autoptr(JsonObject) request =
	    suit_tracker_parse_request(json, SUIT_TRACKER_MAX_SMALL_BODY, error);
	JsonNode *node;

	if (request == NULL)
		return NULL;
	node = json_object_get_member(request, "sequence_number");
	if (node != NULL && !JSON_NODE_HOLDS_NULL(node)) {
		if (!JSON_NODE_HOLDS_VALUE(node) ||
		    json_node_get_value_type(node) != G_TYPE_INT64 || json_node_get_int(node) < 0) {
			g_set_error_literal(
			    error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "\"sequence_number\" must be a non-negative integer or null");
			return NULL;
		}
		ci->has_sequence_number = TRUE;
		ci->sequence_number = json_node_get_int(node);
	}
	node = json_object_get_member(request, "manifest");
	if (node != NULL && !JSON_NODE_HOLDS_NULL(node)) {
		if (!suit_tracker_node_is_string(node) ||
		    !suit_tracker_is_lower_hex(json_node_get_string(node), 64)) {
			g_set_error_literal(
			    error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "\"manifest\" must be a manifest id (64 hex digits) or null");
			return NULL;
		}
		ci->manifest = json_node_get_string(node);
	}
	return g_steal_pointer(&request);
}

static const gchar *
suit_tracker_skip_space(const gchar *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* the usual check-in, {"sequence_number": N or null, "manifest": "<id>" or
 * null} with the members in any order, each at most once, read without
 * json-glib into @ci (@manifest: 65 bytes); FALSE for anything else, which
 * suit_tracker_parse_check_in() then reads and judges */
static gboolean
suit_tracker_scan_check_in(const gchar *p, SuitTrackerCheckIn *ci, gchar *manifest)
{
	gboolean seen_sequence_number = FALSE;
	gboolean seen_manifest = FALSE;

	p = suit_tracker_skip_space(p);
	if (*p++ != '{')
		return FALSE;
	p = suit_tracker_skip_space(p);
	if (*p == '}')
		return *suit_tracker_skip_space(p + 1) == '\0';
	for (;;) {
		if (!seen_sequence_number && g_str_has_prefix(p, "\"sequence_number\"")) {
			seen_sequence_number = TRUE;
			p = suit_tracker_skip_space(p + strlen("\"sequence_number\""));
			if (*p++ != ':')
				return FALSE;
			p = suit_tracker_skip_space(p);
			if (g_str_has_prefix(p, "null")) {
				p += 4;
			} else {
				gint64 n = 0;
				guint digits = 0;
				if (*p == '0' && g_ascii_isdigit(p[1]))
					return FALSE;
				for (; g_ascii_isdigit(*p); p++) {
					if (++digits > 18)
						return FALSE;
					n = n * 10 + (*p - '0');
				}
				if (digits == 0)
					return FALSE;
				ci->has_sequence_number = TRUE;
				ci->sequence_number = n;
			}
		} else if (!seen_manifest && g_str_has_prefix(p, "\"manifest\"")) {
			seen_manifest = TRUE;
			p = suit_tracker_skip_space(p + strlen("\"manifest\""));
			if (*p++ != ':')
				return FALSE;
			p = suit_tracker_skip_space(p);
			if (g_str_has_prefix(p, "null")) {
				p += 4;
			} else {
				if (*p++ != '"')
					return FALSE;
				for (guint i = 0; i < 64; i++) {
					if (!g_ascii_isdigit(p[i]) && !(p[i] >= 'a' && p[i] <= 'f'))
						return FALSE;
				}
				if (p[64] != '"')
					return FALSE;
				memcpy(manifest, p, 64);
				manifest[64] = '\0';
				ci->manifest = manifest;
				p += 65;
			}
		} else {
			return FALSE;
		}
		p = suit_tracker_skip_space(p);
		if (*p == ',') {
			p = suit_tracker_skip_space(p + 1);
			continue;
		}
		if (*p != '}')
			return FALSE;
		return *suit_tracker_skip_space(p + 1) == '\0';
	}
}

/**
 * suit_status_tracker_check_in:
 * @self: a #SuitStatusTracker
 * @device_id: the device, as suit_status_tracker_authenticate_device() gave it
 * @json: the check-in, a JSON object `{"sequence_number": N or null,
 *   "manifest": "<manifest id>" or null}` (other members are ignored)
 * @offer: (out) (transfer full) (optional) (nullable): the offer, or %NULL
 *   when there is nothing to do
 * @error: return location for a #GError, or %NULL
 *
 * Records that a device checked in, with the sequence number and manifest it
 * runs, and tells it what to do. While the device has an open assignment,
 * @offer is `{"action", "manifest", "manifest_url", "campaign", "nonce"}`:
 * `install` while the campaign runs and the device's wave has started,
 * `confirm` after the device reported the installation, in any campaign
 * state. The first time an offer is made for a nonce a `check-in-offer` event
 * records it.
 *
 * This is the hot path of a fleet: it is answered from an in-memory cache of
 * the database (filled on first use, and updated by every change the tracker
 * commits, so its answers are those of the database). What a check-in
 * records, `last_seen` (when it is older than 60 seconds), the sequence
 * number and manifest the device runs and the `check-in-offer` event, is
 * written in batches on idle CPU time (within about a second when the
 * machine has some, within about 10 seconds when it has none), before any
 * other change and before the methods that show it
 * (suit_status_tracker_get_device(), suit_status_tracker_list_devices(),
 * suit_status_tracker_list_events(), suit_status_tracker_get_statistics())
 * read. It is not acknowledged state:
 * after a crash, the next check-in records it again.
 *
 * Returns: %TRUE on success (with @offer %NULL when there is nothing to do);
 *   %FALSE with %SUIT_ERROR_INVALID_ARGUMENT for a bad request or
 *   %SUIT_ERROR_NOT_FOUND for an unknown device
 *
 * Since: 0.1
 */
gboolean
suit_status_tracker_check_in(SuitStatusTracker *self,
			     const gchar *device_id,
			     const gchar *json,
			     gchar **offer,
			     GError **error)
{
	SuitTrackerCheckIn ci = {.device_id = device_id};
	g_autoptr(JsonObject) request = NULL;
	gchar manifest[65];

	g_return_val_if_fail(SUIT_IS_STATUS_TRACKER(self), FALSE);
	g_return_val_if_fail(device_id != NULL, FALSE);
	g_return_val_if_fail(json != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (offer != NULL)
		*offer = NULL;
	if (!suit_tracker_check_device_id(device_id, error))
		return FALSE;
	/* the usual check-in without json-glib, anything else with it */
	if (strnlen(json, SUIT_TRACKER_MAX_SMALL_BODY + 1) > SUIT_TRACKER_MAX_SMALL_BODY ||
	    !suit_tracker_scan_check_in(json, &ci, manifest)) {
		ci = (SuitTrackerCheckIn){.device_id = device_id};
		request = suit_tracker_parse_check_in(json, &ci, error);
		if (request == NULL)
			return FALSE;
	}

	if (!suit_tracker_check_in_cached(self, &ci, error))
		return FALSE;
	if (offer != NULL)
		*offer = g_steal_pointer(&ci.offer);
	g_free(ci.offer);
	return TRUE;
}

/* reports ------------------------------------------------------------------ */

typedef struct {
	const gchar *device_id;
	SuitReport *report;
	/* out, for the rejection event */
	gchar *campaign_id;
	gchar *manifest;
} SuitTrackerReport;

/* the manifest id a report refers to, or NULL if it is not a SHA-256 */
static gchar *
suit_tracker_report_reference(SuitReport *report)
{
	SuitDigest *digest = suit_report_get_reference_digest(report);
	GBytes *value;
	if (digest == NULL || suit_digest_get_algorithm(digest) != SUIT_DIGEST_ALGORITHM_SHA256)
		return NULL;
	value = suit_digest_get_value(digest);
	if (value == NULL || g_bytes_get_size(value) != 32)
		return NULL;
	return suit_tracker_hex(g_bytes_get_data(value, NULL), 32);
}

static JsonObject *
suit_tracker_report_details(SuitReport *report, const gchar *phase, const gchar *reference)
{
	JsonObject *details = json_object_new();
	gboolean success = suit_report_is_success(report);
	json_object_set_string_member(details, "phase", phase);
	suit_tracker_set_string_or_null(details, "reference", reference);
	json_object_set_boolean_member(details, "success", success);
	if (!success) {
		json_object_set_int_member(details,
					   "result_code",
					   suit_report_get_result_code(report));
		suit_tracker_set_string_or_null(
		    details,
		    "reason",
		    suit_report_reason_to_string(suit_report_get_result_reason(report)));
	}
	return details;
}

static gchar *
suit_tracker_submit_report_txn(SuitTrackerTxn *txn, gpointer user_data, GError **error)
{
	SuitTrackerReport *data = user_data;
	SuitStatusTracker *self = txn->self;
	g_autoptr(JsonObject) device = NULL;
	g_autoptr(JsonObject) member = NULL;
	g_autoptr(JsonObject) campaign = NULL;
	g_autoptr(JsonObject) result = json_object_new();
	g_autofree gchar *member_id = NULL;
	g_autofree gchar *reference = NULL;
	g_autofree gchar *reported_nonce = NULL;
	g_autofree gchar *next_nonce = NULL;
	const gchar *campaign_id;
	const gchar *manifest;
	const gchar *state;
	const gchar *nonce;
	const gchar *outcome;
	GBytes *report_nonce;
	gboolean success;

	device = suit_tracker_get_doc(self, COL_DEVICES, data->device_id, "device", error);
	if (device == NULL)
		return NULL;
	campaign_id = suit_tracker_doc_string(device, "campaign");
	if (campaign_id == NULL) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_CONFLICT,
			    "device %s has no open assignment",
			    data->device_id);
		return NULL;
	}
	member_id = suit_tracker_member_id(campaign_id, data->device_id);
	member = suit_tracker_get_doc(self, COL_MEMBERS, member_id, "member", error);
	if (member == NULL)
		return NULL;
	campaign = suit_tracker_get_doc(self, COL_CAMPAIGNS, campaign_id, "campaign", error);
	if (campaign == NULL)
		return NULL;
	manifest = suit_tracker_doc_string(campaign, "manifest");
	data->campaign_id = g_strdup(campaign_id);
	data->manifest = g_strdup(manifest);
	state = suit_tracker_doc_string(member, "state");
	if (g_strcmp0(state, "offered") != 0 && g_strcmp0(state, "installed") != 0) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_CONFLICT,
			    "device %s has no open assignment",
			    data->device_id);
		return NULL;
	}

	/* freshness: the nonce of the current offer, and only that */
	nonce = suit_tracker_doc_string(member, "nonce");
	report_nonce = suit_report_get_nonce(data->report);
	if (report_nonce == NULL) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_CONFLICT,
				    "stale or replayed report: the report carries no nonce");
		return NULL;
	}
	if (g_bytes_get_size(report_nonce) == SUIT_TRACKER_NONCE_BYTES)
		reported_nonce = suit_tracker_hex(g_bytes_get_data(report_nonce, NULL),
						  SUIT_TRACKER_NONCE_BYTES);
	if (reported_nonce == NULL ||
	    !suit_tracker_equal_const_time(reported_nonce, nonce, SUIT_TRACKER_NONCE_BYTES * 2)) {
		g_set_error_literal(
		    error,
		    SUIT_ERROR,
		    SUIT_ERROR_CONFLICT,
		    "stale or replayed report: the nonce is not the one of the current offer");
		return NULL;
	}

	reference = suit_tracker_report_reference(data->report);
	success = suit_report_is_success(data->report);
	if (g_strcmp0(state, "offered") == 0) {
		/* the install phase: about the offered manifest only */
		if (g_strcmp0(reference, manifest) != 0) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_CONFLICT,
				    "the report refers to manifest %s, the offer is for %s",
				    reference != NULL ? reference : "(not a sha-256)",
				    manifest);
			return NULL;
		}
		if (!suit_tracker_txn_event(
			txn,
			"report-accepted",
			data->device_id,
			campaign_id,
			manifest,
			suit_tracker_report_details(data->report, "install", reference),
			error))
			return NULL;
		if (success) {
			next_nonce = suit_tracker_random_hex(GNUTLS_RND_NONCE,
							     SUIT_TRACKER_NONCE_BYTES,
							     error);
			if (next_nonce == NULL)
				return NULL;
			suit_tracker_count_move(campaign, "offered", "installed");
			json_object_set_string_member(member, "state", "installed");
			json_object_set_string_member(member, "nonce", next_nonce);
			json_object_set_boolean_member(member, "offer_made", FALSE);
			if (!suit_tracker_put_member(txn, member, error))
				return NULL;
			json_object_set_string_member(device, "state", "installed");
			if (!suit_tracker_put_device(txn, device, error))
				return NULL;
			if (!suit_tracker_txn_event(txn,
						    "device-installed",
						    data->device_id,
						    campaign_id,
						    manifest,
						    NULL,
						    error))
				return NULL;
			outcome = "installed";
		} else {
			outcome = "failed";
			if (!suit_tracker_finish_member(
				txn,
				campaign,
				member,
				device,
				outcome,
				suit_tracker_report_details(data->report, "install", reference),
				error))
				return NULL;
		}
	} else {
		/* the confirm phase: which image did the device boot? */
		if (!suit_tracker_txn_event(
			txn,
			"report-accepted",
			data->device_id,
			campaign_id,
			manifest,
			suit_tracker_report_details(data->report, "confirm", reference),
			error))
			return NULL;
		if (success && reference != NULL) {
			g_autoptr(GError) error_local = NULL;
			g_autoptr(JsonObject) summary =
			    suit_tracker_get_manifest(self, reference, &error_local);
			JsonNode *seq = summary != NULL
					    ? json_object_get_member(summary, "sequence_number")
					    : NULL;
			if (summary == NULL &&
			    !g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_NOT_FOUND)) {
				g_propagate_error(error, g_steal_pointer(&error_local));
				return NULL;
			}
			json_object_set_string_member(device, "installed_manifest", reference);
			if (suit_tracker_node_is_number(seq))
				json_object_set_int_member(device,
							   "sequence_number",
							   json_node_get_int(seq));
		}
		if (success && g_strcmp0(reference, manifest) == 0)
			outcome = "succeeded";
		else if (success)
			outcome = "fell-back";
		else
			outcome = "failed";
		if (!suit_tracker_finish_member(
			txn,
			campaign,
			member,
			device,
			outcome,
			suit_tracker_report_details(data->report, "confirm", reference),
			error))
			return NULL;
	}
	if (!suit_tracker_put_campaign(txn, campaign, error))
		return NULL;

	json_object_set_string_member(result, "state", outcome);
	suit_tracker_set_string_or_null(result, "nonce", next_nonce);
	return suit_tracker_object_to_string(result);
}

typedef struct {
	const gchar *device_id;
	const gchar *campaign_id;
	const gchar *manifest;
	const GError *error;
} SuitTrackerRejection;

static gchar *
suit_tracker_reject_report_txn(SuitTrackerTxn *txn, gpointer user_data, GError **error)
{
	SuitTrackerRejection *data = user_data;
	JsonObject *details = json_object_new();
	json_object_set_string_member(details, "error", suit_error_get_id(data->error));
	json_object_set_string_member(details, "message", data->error->message);
	if (!suit_tracker_txn_event(txn,
				    "report-rejected",
				    data->device_id,
				    data->campaign_id,
				    data->manifest,
				    details,
				    error))
		return NULL;
	return g_strdup("");
}

/* records a refused report in its own transaction */
static void
suit_tracker_reject_report(SuitStatusTracker *self,
			   const gchar *device_id,
			   const gchar *campaign_id,
			   const gchar *manifest,
			   const GError *rejection)
{
	SuitTrackerRejection data = {device_id, campaign_id, manifest, rejection};
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *result = NULL;

	/* a database failure is not a verdict on the report */
	if (rejection->domain != SUIT_ERROR || rejection->code == SUIT_ERROR_WRITE_FAILED ||
	    rejection->code == SUIT_ERROR_INTERNAL || rejection->code == SUIT_ERROR_NOT_FOUND)
		return;
	result = suit_tracker_run(self, suit_tracker_reject_report_txn, &data, &error_local);
	if (result == NULL)
		g_warning("cannot record the rejected report of %s: %s",
			  device_id,
			  error_local->message);
}

/**
 * suit_status_tracker_submit_report:
 * @self: a #SuitStatusTracker
 * @device_id: the device, as suit_status_tracker_authenticate_device() gave it
 * @report: a SUIT report in a COSE_Sign1 signed with the device's key
 * @error: return location for a #GError, or %NULL
 *
 * Accepts a device's report about its open assignment. The report must
 * verify with the device's public key and carry the nonce of the current
 * offer (compared in constant time), and its reference digest says which
 * manifest it is about:
 *
 * - after an `install` offer, a success about the offered manifest makes the
 *   device `installed` and issues a new nonce for the confirmation; a
 *   failure makes it `failed`;
 * - after a `confirm` offer, a success about the offered manifest makes it
 *   `succeeded` (the device's installed manifest and sequence number are
 *   updated), a success about another manifest makes it `fell-back` (it
 *   runs that image again), and a failure makes it `failed`.
 *
 * A finished device counts towards the campaign's failure ratio, which may
 * halt the campaign, and may let the next wave start. Accepted reports give a
 * `report-accepted` event and one for the new device state; refused ones a
 * `report-rejected` event.
 *
 * Returns: (transfer full): JSON `{"state": "<member state>", "nonce":
 *   "<next nonce>" or null}`, or %NULL with %SUIT_ERROR_LIMIT_EXCEEDED (over
 *   64 KiB), %SUIT_ERROR_SIGNATURE_INVALID (not signed by the device's key),
 *   %SUIT_ERROR_INVALID_CBOR or %SUIT_ERROR_INVALID_DATA (not a report),
 *   %SUIT_ERROR_CONFLICT (no open assignment, a stale or replayed nonce, or a
 *   report about another manifest than the install offer) or
 *   %SUIT_ERROR_NOT_FOUND (unknown device)
 *
 * Since: 0.1
 */
gchar *
suit_status_tracker_submit_report(SuitStatusTracker *self,
				  const gchar *device_id,
				  GBytes *report,
				  GError **error)
{
	g_autoptr(JsonObject) device = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GBytes) pem = NULL;
	g_autoptr(SuitKey) key = NULL;
	g_autoptr(SuitKeyring) keyring = NULL;
	g_autoptr(SuitReport) parsed = NULL;
	g_autofree gchar *result = NULL;
	SuitTrackerReport data = {.device_id = device_id};
	const gchar *public_key;

	g_return_val_if_fail(SUIT_IS_STATUS_TRACKER(self), NULL);
	g_return_val_if_fail(device_id != NULL, NULL);
	g_return_val_if_fail(report != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!suit_tracker_check_device_id(device_id, error))
		return NULL;
	device = suit_tracker_get_doc(self, COL_DEVICES, device_id, "device", error);
	if (device == NULL)
		return NULL;
	if (g_bytes_get_size(report) > SUIT_TRACKER_MAX_REPORT) {
		g_set_error(&error_local,
			    SUIT_ERROR,
			    SUIT_ERROR_LIMIT_EXCEEDED,
			    "the report is larger than %d bytes",
			    SUIT_TRACKER_MAX_REPORT);
		suit_tracker_reject_report(self, device_id, NULL, NULL, error_local);
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}

	/* verify before taking the write lock: only the device's key counts */
	public_key = suit_tracker_doc_string(device, "public_key");
	if (public_key == NULL) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INTERNAL,
			    "device %s has no public key",
			    device_id);
		return NULL;
	}
	pem = g_bytes_new(public_key, strlen(public_key));
	key = suit_key_new_from_pem(pem, error);
	if (key == NULL) {
		g_prefix_error(error, "stored key of device %s: ", device_id);
		return NULL;
	}
	keyring = suit_keyring_new();
	suit_keyring_add(keyring, key);
	parsed = suit_report_new_from_cose(report, keyring, &error_local);
	if (parsed == NULL) {
		suit_tracker_reject_report(self, device_id, NULL, NULL, error_local);
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	if (!suit_report_has_result(parsed)) {
		g_set_error_literal(&error_local,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "the report has no result");
		suit_tracker_reject_report(self, device_id, NULL, NULL, error_local);
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}

	data.report = parsed;
	result = suit_tracker_run(self, suit_tracker_submit_report_txn, &data, &error_local);
	if (result == NULL)
		suit_tracker_reject_report(self,
					   device_id,
					   data.campaign_id,
					   data.manifest,
					   error_local);
	g_free(data.campaign_id);
	g_free(data.manifest);
	if (result == NULL) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	return g_steal_pointer(&result);
}

/* campaigns ---------------------------------------------------------------- */

typedef struct {
	gchar *order; /* SHA-256 of campaign id + device id */
	JsonObject *device;
} SuitTrackerTarget;

static void
suit_tracker_target_free(SuitTrackerTarget *target)
{
	g_free(target->order);
	json_object_unref(target->device);
	g_free(target);
}

static gint
suit_tracker_target_compare(gconstpointer a, gconstpointer b)
{
	const SuitTrackerTarget *ta = *(SuitTrackerTarget *const *)a;
	const SuitTrackerTarget *tb = *(SuitTrackerTarget *const *)b;
	gint rc = g_strcmp0(ta->order, tb->order);
	if (rc != 0)
		return rc;
	return g_strcmp0(suit_tracker_doc_string(ta->device, "id"),
			 suit_tracker_doc_string(tb->device, "id"));
}

typedef struct {
	const gchar *manifest;
	JsonArray *tags;    /* nullable */
	JsonArray *devices; /* nullable */
	JsonArray *waves;
	gdouble max_failure_ratio;
	JsonObject *summary; /* of the manifest */
} SuitTrackerCreateCampaign;

/* whether a manifest with vendor and class ids @vendor_id and @class_id
 * (%NULL: any) applies to @device */
static gboolean
suit_tracker_device_matches(JsonObject *device, const gchar *vendor_id, const gchar *class_id)
{
	if (vendor_id != NULL &&
	    g_strcmp0(suit_tracker_doc_string(device, "vendor_id"), vendor_id) != 0)
		return FALSE;
	if (class_id != NULL &&
	    g_strcmp0(suit_tracker_doc_string(device, "class_id"), class_id) != 0)
		return FALSE;
	return TRUE;
}

static gchar *
suit_tracker_create_campaign_txn(SuitTrackerTxn *txn, gpointer user_data, GError **error)
{
	SuitTrackerCreateCampaign *data = user_data;
	SuitStatusTracker *self = txn->self;
	const gchar *vendor_id = suit_tracker_doc_string(data->summary, "vendor_id");
	const gchar *class_id = suit_tracker_doc_string(data->summary, "class_id");
	g_autoptr(GHashTable) seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
	g_autoptr(GPtrArray) targets =
	    g_ptr_array_new_with_free_func((GDestroyNotify)suit_tracker_target_free);
	g_autoptr(JsonObject) campaign = json_object_new();
	g_autofree gchar *id = NULL;
	JsonObject *counts;
	JsonObject *details;
	guint n_waves = json_array_get_length(data->waves);
	guint wave = 0;

	/* a fresh id */
	for (guint attempt = 0;; attempt++) {
		g_autoptr(GError) error_local = NULL;
		g_autofree gchar *random = NULL;
		g_autofree gchar *existing = NULL;
		random = suit_tracker_random_hex(GNUTLS_RND_NONCE, 8, error);
		if (random == NULL)
			return NULL;
		g_free(id);
		id = g_strdup_printf("c-%s", random);
		existing = suit_database_get(txn->db, COL_CAMPAIGNS, id, &error_local);
		if (existing == NULL &&
		    g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_NOT_FOUND))
			break;
		if (existing == NULL) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
		if (attempt >= 3) {
			g_set_error_literal(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INTERNAL,
					    "cannot find a free campaign id");
			return NULL;
		}
	}

	/* the devices */
	if (data->tags != NULL) {
		for (guint i = 0; i < json_array_get_length(data->tags); i++) {
			g_autofree gchar *key =
			    g_strdup_printf("tag:%s", json_array_get_string_element(data->tags, i));
			g_autoptr(GPtrArray) docs =
			    suit_tracker_query_docs(self, COL_DEVICES, key, NULL, 0, error);
			if (docs == NULL)
				return NULL;
			for (guint j = 0; j < docs->len; j++) {
				JsonObject *device = g_ptr_array_index(docs, j);
				const gchar *device_id = suit_tracker_doc_string(device, "id");
				SuitTrackerTarget *target;
				if (device_id == NULL || g_hash_table_contains(seen, device_id))
					continue;
				g_hash_table_add(seen, g_strdup(device_id));
				if (!suit_tracker_device_matches(device, vendor_id, class_id))
					continue;
				target = g_new0(SuitTrackerTarget, 1);
				target->device = json_object_ref(device);
				g_ptr_array_add(targets, target);
			}
		}
	} else {
		for (guint i = 0; i < json_array_get_length(data->devices); i++) {
			const gchar *device_id = json_array_get_string_element(data->devices, i);
			g_autoptr(JsonObject) device = NULL;
			SuitTrackerTarget *target;
			if (g_hash_table_contains(seen, device_id))
				continue;
			g_hash_table_add(seen, g_strdup(device_id));
			device =
			    suit_tracker_get_doc(self, COL_DEVICES, device_id, "device", error);
			if (device == NULL)
				return NULL;
			if (!suit_tracker_device_matches(device, vendor_id, class_id)) {
				g_set_error(
				    error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_ARGUMENT,
				    "device %s (vendor %s, class %s) does not match the manifest "
				    "(vendor %s, class %s)",
				    device_id,
				    suit_tracker_doc_string(device, "vendor_id"),
				    suit_tracker_doc_string(device, "class_id"),
				    vendor_id != NULL ? vendor_id : "any",
				    class_id != NULL ? class_id : "any");
				return NULL;
			}
			target = g_new0(SuitTrackerTarget, 1);
			target->device = g_steal_pointer(&device);
			g_ptr_array_add(targets, target);
		}
	}

	/* leave out the devices that run it already; refuse busy ones */
	for (guint i = 0; i < targets->len;) {
		SuitTrackerTarget *target = g_ptr_array_index(targets, i);
		const gchar *device_id = suit_tracker_doc_string(target->device, "id");
		const gchar *other = suit_tracker_doc_string(target->device, "campaign");
		g_autofree gchar *order_input = NULL;
		if (g_strcmp0(suit_tracker_doc_string(target->device, "installed_manifest"),
			      data->manifest) == 0) {
			g_ptr_array_remove_index(targets, i);
			continue;
		}
		if (other != NULL) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_CONFLICT,
				    "device %s is already in campaign %s",
				    device_id,
				    other);
			return NULL;
		}
		order_input = g_strconcat(id, device_id, NULL);
		target->order = suit_tracker_sha256_hex(order_input);
		i++;
	}
	g_ptr_array_sort(targets, suit_tracker_target_compare);

	/* the campaign document */
	json_object_set_string_member(campaign, "id", id);
	json_object_set_string_member(campaign, "manifest", data->manifest);
	json_object_set_string_member(campaign, "state", "running");
	json_object_set_array_member(campaign, "waves", json_array_ref(data->waves));
	json_object_set_int_member(campaign, "current_wave", 0);
	json_object_set_double_member(campaign, "max_failure_ratio", data->max_failure_ratio);
	if (data->tags != NULL)
		json_object_set_array_member(campaign, "tags", json_array_ref(data->tags));
	else
		json_object_set_null_member(campaign, "tags");
	if (data->devices != NULL)
		json_object_set_array_member(campaign, "devices", json_array_ref(data->devices));
	else
		json_object_set_null_member(campaign, "devices");
	json_object_set_string_member(campaign, "created", txn->now);
	json_object_set_string_member(campaign, "updated", txn->now);
	json_object_set_null_member(campaign, "halt_reason");
	counts = json_object_new();
	json_object_set_int_member(counts, "total", targets->len);
	for (guint i = 0; suit_tracker_count_names[i] != NULL; i++)
		json_object_set_int_member(counts, suit_tracker_count_names[i], 0);
	json_object_set_int_member(counts, "waiting", targets->len);
	json_object_set_object_member(campaign, "counts", counts);

	/* the members, wave by wave: wave k holds the first ceil(N * waves[k] / 100) */
	for (guint i = 0; i < targets->len; i++) {
		SuitTrackerTarget *target = g_ptr_array_index(targets, i);
		const gchar *device_id = suit_tracker_doc_string(target->device, "id");
		g_autoptr(JsonObject) member = json_object_new();
		while (wave + 1 < n_waves) {
			gdouble pct =
			    suit_tracker_node_get_number(json_array_get_element(data->waves, wave));
			gdouble bound = ceil((gdouble)targets->len * pct / 100.0 - 1e-9);
			if ((gdouble)i < bound)
				break;
			wave++;
		}
		json_object_set_string_member(member, "campaign", id);
		json_object_set_string_member(member, "device", device_id);
		json_object_set_int_member(member, "wave", wave);
		json_object_set_string_member(member, "state", "waiting");
		json_object_set_null_member(member, "nonce");
		json_object_set_null_member(member, "updated");
		json_object_set_boolean_member(member, "offer_made", FALSE);
		if (!suit_tracker_put_member(txn, member, error))
			return NULL;
		json_object_set_string_member(target->device, "campaign", id);
		if (!suit_tracker_put_device(txn, target->device, error))
			return NULL;
	}

	details = json_object_new();
	json_object_set_array_member(details, "waves", json_array_ref(data->waves));
	json_object_set_double_member(details, "max_failure_ratio", data->max_failure_ratio);
	json_object_set_int_member(details, "targets", targets->len);
	if (data->tags != NULL)
		json_object_set_array_member(details, "tags", json_array_ref(data->tags));
	if (data->devices != NULL)
		json_object_set_array_member(details, "devices", json_array_ref(data->devices));
	if (!suit_tracker_txn_event(txn,
				    "campaign-created",
				    NULL,
				    id,
				    data->manifest,
				    details,
				    error))
		return NULL;

	if (targets->len == 0) {
		json_object_set_string_member(campaign, "state", "completed");
		if (!suit_tracker_txn_event(txn,
					    "campaign-completed",
					    NULL,
					    id,
					    data->manifest,
					    suit_tracker_counts_copy(campaign),
					    error))
			return NULL;
	} else {
		if (!suit_tracker_start_wave(txn, campaign, 0, error))
			return NULL;
		if (!suit_tracker_advance(txn, campaign, error))
			return NULL;
	}
	if (!suit_tracker_put_campaign(txn, campaign, error))
		return NULL;
	return suit_tracker_object_to_string(campaign);
}

/**
 * suit_status_tracker_create_campaign:
 * @self: a #SuitStatusTracker
 * @json: the campaign, a JSON object `{"manifest", "tags" or "devices",
 *   "waves", "max_failure_ratio"}`
 * @error: return location for a #GError, or %NULL
 *
 * Starts rolling a manifest of the firmware server out. The request names
 * the `manifest` (its id), and exactly one of `tags` (the devices with any
 * of these tags whose vendor and class ids match the manifest's) or
 * `devices` (a list of device ids, up to 10000, which must exist and match
 * the manifest). `waves` (default `[100]`) are strictly increasing
 * cumulative percentages in (0, 100], the last one 100;
 * `max_failure_ratio` (default 0.1) in [0, 1] is the share of finished
 * devices that may fail or fall back before the campaign halts.
 *
 * Devices that run the manifest already are left out. A device can be in
 * one campaign at a time: from the moment it is a target until its update
 * finished (or the campaign is cancelled before it installed), another
 * campaign that targets it is refused. The targets are
 * ordered by the SHA-256 of the campaign id and their id, and wave *k* holds
 * the first ceil(N × waves[k] / 100) of them. Wave 0 starts at once: its
 * devices get an install offer with a fresh nonce. A campaign without
 * targets completes at once.
 *
 * Returns: (transfer full): the campaign document `{"id", "manifest",
 *   "state", "waves", "current_wave", "max_failure_ratio", "tags",
 *   "devices", "created", "updated", "halt_reason", "counts"}`, or %NULL
 *   with %SUIT_ERROR_INVALID_ARGUMENT for a bad request or a listed device
 *   that does not match the manifest, %SUIT_ERROR_NOT_FOUND for an unknown
 *   manifest or device, %SUIT_ERROR_CONFLICT if a target is already in
 *   another campaign or %SUIT_ERROR_LIMIT_EXCEEDED for a request over 2 MiB
 *
 * Since: 0.1
 */
gchar *
suit_status_tracker_create_campaign(SuitStatusTracker *self, const gchar *json, GError **error)
{
	static const gchar *const allowed[] =
	    {"manifest", "tags", "devices", "waves", "max_failure_ratio", NULL};
	SuitTrackerCreateCampaign data = {NULL};
	g_autoptr(JsonObject) request = NULL;
	g_autoptr(JsonArray) tags = NULL;
	g_autoptr(JsonArray) devices = NULL;
	g_autoptr(JsonArray) waves = json_array_new();
	g_autoptr(JsonObject) summary = NULL;
	JsonNode *tags_node;
	JsonNode *devices_node;
	JsonNode *node;
	const gchar *manifest;

	g_return_val_if_fail(SUIT_IS_STATUS_TRACKER(self), NULL);
	g_return_val_if_fail(json != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	request = suit_tracker_parse_request(json, SUIT_TRACKER_MAX_CAMPAIGN_BODY, error);
	if (request == NULL)
		return NULL;
	if (!suit_tracker_check_members(request, allowed, error))
		return NULL;
	manifest = suit_tracker_request_string(request, "manifest", error);
	if (manifest == NULL)
		return NULL;
	if (!suit_tracker_is_lower_hex(manifest, 64)) {
		g_set_error_literal(
		    error,
		    SUIT_ERROR,
		    SUIT_ERROR_INVALID_ARGUMENT,
		    "\"manifest\" must be a manifest id (64 lower-case hex digits)");
		return NULL;
	}

	/* the selection */
	tags_node = json_object_get_member(request, "tags");
	devices_node = json_object_get_member(request, "devices");
	if (tags_node != NULL && JSON_NODE_HOLDS_NULL(tags_node))
		tags_node = NULL;
	if (devices_node != NULL && JSON_NODE_HOLDS_NULL(devices_node))
		devices_node = NULL;
	if ((tags_node == NULL) == (devices_node == NULL)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_ARGUMENT,
				    "give exactly one of \"tags\" and \"devices\"");
		return NULL;
	}
	if (tags_node != NULL) {
		tags = suit_tracker_request_tags(request, "tags", FALSE, error);
		if (tags == NULL)
			return NULL;
	} else {
		g_autoptr(GHashTable) seen = g_hash_table_new(g_str_hash, g_str_equal);
		JsonArray *array;
		if (!JSON_NODE_HOLDS_ARRAY(devices_node)) {
			g_set_error_literal(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_ARGUMENT,
					    "\"devices\" must be an array of device ids");
			return NULL;
		}
		array = json_node_get_array(devices_node);
		if (json_array_get_length(array) == 0) {
			g_set_error_literal(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_ARGUMENT,
					    "\"devices\" must not be empty");
			return NULL;
		}
		if (json_array_get_length(array) > SUIT_TRACKER_MAX_CAMPAIGN_DEVICES) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_LIMIT_EXCEEDED,
				    "\"devices\" lists more than %d devices",
				    SUIT_TRACKER_MAX_CAMPAIGN_DEVICES);
			return NULL;
		}
		devices = json_array_new();
		for (guint i = 0; i < json_array_get_length(array); i++) {
			JsonNode *elem = json_array_get_element(array, i);
			const gchar *device_id;
			if (!suit_tracker_node_is_string(elem)) {
				g_set_error_literal(error,
						    SUIT_ERROR,
						    SUIT_ERROR_INVALID_ARGUMENT,
						    "\"devices\" must be an array of device ids");
				return NULL;
			}
			device_id = json_node_get_string(elem);
			if (!suit_tracker_check_device_id(device_id, error))
				return NULL;
			if (g_hash_table_add(seen, (gpointer)device_id))
				json_array_add_string_element(devices, device_id);
		}
	}

	/* the waves */
	node = json_object_get_member(request, "waves");
	if (node == NULL || JSON_NODE_HOLDS_NULL(node)) {
		json_array_add_int_element(waves, 100);
	} else {
		JsonArray *array;
		gdouble previous = 0;
		if (!JSON_NODE_HOLDS_ARRAY(node)) {
			g_set_error_literal(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_ARGUMENT,
					    "\"waves\" must be an array of percentages");
			return NULL;
		}
		array = json_node_get_array(node);
		if (json_array_get_length(array) == 0 ||
		    json_array_get_length(array) > SUIT_TRACKER_MAX_WAVES) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_ARGUMENT,
				    "\"waves\" has 1 to %d percentages",
				    SUIT_TRACKER_MAX_WAVES);
			return NULL;
		}
		for (guint i = 0; i < json_array_get_length(array); i++) {
			JsonNode *elem = json_array_get_element(array, i);
			gdouble pct;
			if (!suit_tracker_node_is_number(elem)) {
				g_set_error_literal(error,
						    SUIT_ERROR,
						    SUIT_ERROR_INVALID_ARGUMENT,
						    "\"waves\" must be an array of percentages");
				return NULL;
			}
			pct = suit_tracker_node_get_number(elem);
			if (!(pct > previous) || pct > 100) {
				g_set_error_literal(error,
						    SUIT_ERROR,
						    SUIT_ERROR_INVALID_ARGUMENT,
						    "\"waves\" must be strictly increasing "
						    "percentages in (0, 100]");
				return NULL;
			}
			previous = pct;
			if (pct == floor(pct))
				json_array_add_int_element(waves, (gint64)pct);
			else
				json_array_add_double_element(waves, pct);
		}
		if (previous != 100) {
			g_set_error_literal(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_ARGUMENT,
					    "the last of \"waves\" must be 100");
			return NULL;
		}
	}

	/* the threshold */
	data.max_failure_ratio = SUIT_TRACKER_DEFAULT_RATIO;
	node = json_object_get_member(request, "max_failure_ratio");
	if (node != NULL && !JSON_NODE_HOLDS_NULL(node)) {
		gdouble ratio;
		if (!suit_tracker_node_is_number(node)) {
			g_set_error_literal(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_ARGUMENT,
					    "\"max_failure_ratio\" must be a number in [0, 1]");
			return NULL;
		}
		ratio = suit_tracker_node_get_number(node);
		if (!(ratio >= 0 && ratio <= 1)) {
			g_set_error_literal(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_ARGUMENT,
					    "\"max_failure_ratio\" must be a number in [0, 1]");
			return NULL;
		}
		data.max_failure_ratio = ratio;
	}

	/* the manifest; it never changes once the firmware server has it */
	summary = suit_tracker_get_manifest(self, manifest, error);
	if (summary == NULL) {
		g_prefix_error(error, "manifest %s: ", manifest);
		return NULL;
	}

	data.manifest = manifest;
	data.tags = tags;
	data.devices = devices;
	data.waves = waves;
	data.summary = summary;
	return suit_tracker_run(self, suit_tracker_create_campaign_txn, &data, error);
}

/**
 * suit_status_tracker_get_campaign:
 * @self: a #SuitStatusTracker
 * @id: a campaign id
 * @error: return location for a #GError, or %NULL
 *
 * Gets a campaign document, as suit_status_tracker_create_campaign()
 * describes it; its `counts` are current.
 *
 * Returns: (transfer full): the campaign as JSON, or %NULL with
 *   %SUIT_ERROR_INVALID_ARGUMENT for a malformed id or
 *   %SUIT_ERROR_NOT_FOUND for an unknown one
 *
 * Since: 0.1
 */
gchar *
suit_status_tracker_get_campaign(SuitStatusTracker *self, const gchar *id, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	gchar *text;

	g_return_val_if_fail(SUIT_IS_STATUS_TRACKER(self), NULL);
	g_return_val_if_fail(id != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!suit_tracker_check_campaign_id(id, error))
		return NULL;
	text = suit_database_get(self->database, COL_CAMPAIGNS, id, &error_local);
	if (text == NULL) {
		if (g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_NOT_FOUND)) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_NOT_FOUND,
				    "campaign %s not found",
				    id);
			return NULL;
		}
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	return text;
}

/**
 * suit_status_tracker_list_campaigns:
 * @self: a #SuitStatusTracker
 * @error: return location for a #GError, or %NULL
 *
 * Lists every campaign, oldest first.
 *
 * Returns: (transfer full): a JSON array of campaign documents, or %NULL on
 *   a database error
 *
 * Since: 0.1
 */
gchar *
suit_status_tracker_list_campaigns(SuitStatusTracker *self, GError **error)
{
	g_autoptr(GPtrArray) docs = NULL;
	g_autoptr(JsonArray) array = json_array_new();

	g_return_val_if_fail(SUIT_IS_STATUS_TRACKER(self), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	docs = suit_tracker_query_docs(self, COL_CAMPAIGNS, NULL, NULL, 0, error);
	if (docs == NULL)
		return NULL;
	g_ptr_array_sort(docs, suit_tracker_compare_created);
	for (guint i = 0; i < docs->len; i++)
		json_array_add_object_element(array, json_object_ref(g_ptr_array_index(docs, i)));
	return suit_tracker_array_to_string(array);
}

typedef enum {
	SUIT_TRACKER_ACTION_PAUSE,
	SUIT_TRACKER_ACTION_RESUME,
	SUIT_TRACKER_ACTION_CANCEL,
} SuitTrackerAction;

typedef struct {
	const gchar *id;
	SuitTrackerAction action;
} SuitTrackerCampaignAction;

/* cancels the members that have not installed yet */
static gboolean
suit_tracker_cancel_members(SuitTrackerTxn *txn,
			    JsonObject *campaign,
			    guint *n_cancelled,
			    GError **error)
{
	const gchar *campaign_id = suit_tracker_doc_string(campaign, "id");
	g_autofree gchar *key = g_strdup_printf("campaign:%s", campaign_id);
	g_autoptr(GPtrArray) members =
	    suit_tracker_query_docs(txn->self, COL_MEMBERS, key, NULL, 0, error);

	if (members == NULL)
		return FALSE;
	for (guint i = 0; i < members->len; i++) {
		JsonObject *member = g_ptr_array_index(members, i);
		const gchar *state = suit_tracker_doc_string(member, "state");
		const gchar *device_id = suit_tracker_doc_string(member, "device");
		g_autoptr(JsonObject) device = NULL;

		if (g_strcmp0(state, "waiting") != 0 && g_strcmp0(state, "offered") != 0)
			continue;
		suit_tracker_count_move(campaign, state, "cancelled");
		json_object_set_string_member(member, "state", "cancelled");
		json_object_set_null_member(member, "nonce");
		if (!suit_tracker_put_member(txn, member, error))
			return FALSE;
		device = suit_tracker_get_doc(txn->self, COL_DEVICES, device_id, "device", error);
		if (device == NULL)
			return FALSE;
		if (g_strcmp0(suit_tracker_doc_string(device, "campaign"), campaign_id) == 0) {
			json_object_set_null_member(device, "campaign");
			/* back to what it was before the offer */
			if (g_strcmp0(suit_tracker_doc_string(device, "state"), "offered") == 0) {
				json_object_set_string_member(
				    device,
				    "state",
				    suit_tracker_doc_string(device, "last_seen") != NULL
					? "idle"
					: "registered");
			}
			if (!suit_tracker_put_device(txn, device, error))
				return FALSE;
		}
		(*n_cancelled)++;
	}
	return TRUE;
}

static gchar *
suit_tracker_campaign_action_txn(SuitTrackerTxn *txn, gpointer user_data, GError **error)
{
	SuitTrackerCampaignAction *data = user_data;
	g_autoptr(JsonObject) campaign = NULL;
	g_autofree gchar *state = NULL;
	const gchar *manifest;
	JsonObject *details = NULL;
	const gchar *type = NULL;

	campaign = suit_tracker_get_doc(txn->self, COL_CAMPAIGNS, data->id, "campaign", error);
	if (campaign == NULL)
		return NULL;
	state = g_strdup(suit_tracker_doc_string(campaign, "state"));
	manifest = suit_tracker_doc_string(campaign, "manifest");
	switch (data->action) {
	case SUIT_TRACKER_ACTION_PAUSE:
		if (g_strcmp0(state, "running") != 0) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_CONFLICT,
				    "campaign %s is %s: only a running campaign can be paused",
				    data->id,
				    state);
			return NULL;
		}
		json_object_set_string_member(campaign, "state", "paused");
		type = "campaign-paused";
		break;
	case SUIT_TRACKER_ACTION_RESUME:
		if (g_strcmp0(state, "paused") != 0 && g_strcmp0(state, "halted") != 0) {
			g_set_error(
			    error,
			    SUIT_ERROR,
			    SUIT_ERROR_CONFLICT,
			    "campaign %s is %s: only a paused or halted campaign can be resumed",
			    data->id,
			    state);
			return NULL;
		}
		json_object_set_string_member(campaign, "state", "running");
		json_object_set_null_member(campaign, "halt_reason");
		type = "campaign-resumed";
		break;
	case SUIT_TRACKER_ACTION_CANCEL:
	default: {
		guint n_cancelled = 0;
		if (g_strcmp0(state, "running") != 0 && g_strcmp0(state, "paused") != 0 &&
		    g_strcmp0(state, "halted") != 0) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_CONFLICT,
				    "campaign %s is %s already",
				    data->id,
				    state);
			return NULL;
		}
		if (!suit_tracker_cancel_members(txn, campaign, &n_cancelled, error))
			return NULL;
		json_object_set_string_member(campaign, "state", "cancelled");
		type = "campaign-cancelled";
		details = json_object_new();
		json_object_set_int_member(details, "cancelled", n_cancelled);
		break;
	}
	}
	if (details == NULL)
		details = json_object_new();
	json_object_set_string_member(details, "from", state);
	if (!suit_tracker_txn_event(txn, type, NULL, data->id, manifest, details, error))
		return NULL;
	/* a resumed campaign may have finished its wave while it waited */
	if (data->action == SUIT_TRACKER_ACTION_RESUME &&
	    !suit_tracker_advance(txn, campaign, error))
		return NULL;
	if (!suit_tracker_put_campaign(txn, campaign, error))
		return NULL;
	return suit_tracker_object_to_string(campaign);
}

static gchar *
suit_tracker_campaign_action(SuitStatusTracker *self,
			     const gchar *id,
			     SuitTrackerAction action,
			     GError **error)
{
	SuitTrackerCampaignAction data = {id, action};
	if (!suit_tracker_check_campaign_id(id, error))
		return NULL;
	return suit_tracker_run(self, suit_tracker_campaign_action_txn, &data, error);
}

/**
 * suit_status_tracker_pause_campaign:
 * @self: a #SuitStatusTracker
 * @id: a campaign id
 * @error: return location for a #GError, or %NULL
 *
 * Pauses a running campaign: no install offers are made until it is
 * resumed; devices that installed already are still asked to confirm, and
 * their reports are counted, so a paused campaign whose failure ratio goes
 * above its maximum becomes halted. A `campaign-paused` event records it.
 *
 * Returns: (transfer full): the campaign document, or %NULL with
 *   %SUIT_ERROR_CONFLICT if the campaign is not running or
 *   %SUIT_ERROR_NOT_FOUND if there is no such campaign
 *
 * Since: 0.1
 */
gchar *
suit_status_tracker_pause_campaign(SuitStatusTracker *self, const gchar *id, GError **error)
{
	g_return_val_if_fail(SUIT_IS_STATUS_TRACKER(self), NULL);
	g_return_val_if_fail(id != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);
	return suit_tracker_campaign_action(self, id, SUIT_TRACKER_ACTION_PAUSE, error);
}

/**
 * suit_status_tracker_resume_campaign:
 * @self: a #SuitStatusTracker
 * @id: a campaign id
 * @error: return location for a #GError, or %NULL
 *
 * Resumes a paused or halted campaign (clearing its `halt_reason`): install
 * offers are made again, and if every device of the started waves has
 * finished meanwhile, the next wave starts (or the campaign completes). A
 * `campaign-resumed` event records it. A resumed campaign whose failure
 * ratio is still above its maximum halts again at the next finished device.
 *
 * Returns: (transfer full): the campaign document, or %NULL with
 *   %SUIT_ERROR_CONFLICT if the campaign is neither paused nor halted or
 *   %SUIT_ERROR_NOT_FOUND if there is no such campaign
 *
 * Since: 0.1
 */
gchar *
suit_status_tracker_resume_campaign(SuitStatusTracker *self, const gchar *id, GError **error)
{
	g_return_val_if_fail(SUIT_IS_STATUS_TRACKER(self), NULL);
	g_return_val_if_fail(id != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);
	return suit_tracker_campaign_action(self, id, SUIT_TRACKER_ACTION_RESUME, error);
}

/**
 * suit_status_tracker_cancel_campaign:
 * @self: a #SuitStatusTracker
 * @id: a campaign id
 * @error: return location for a #GError, or %NULL
 *
 * Cancels a running, paused or halted campaign for good. Devices that have
 * not installed the update yet become `cancelled` members and lose their
 * assignment; devices that installed it are still asked to confirm, and
 * their reports are counted. A `campaign-cancelled` event records it.
 *
 * Returns: (transfer full): the campaign document, or %NULL with
 *   %SUIT_ERROR_CONFLICT if the campaign is completed or cancelled already
 *   or %SUIT_ERROR_NOT_FOUND if there is no such campaign
 *
 * Since: 0.1
 */
gchar *
suit_status_tracker_cancel_campaign(SuitStatusTracker *self, const gchar *id, GError **error)
{
	g_return_val_if_fail(SUIT_IS_STATUS_TRACKER(self), NULL);
	g_return_val_if_fail(id != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);
	return suit_tracker_campaign_action(self, id, SUIT_TRACKER_ACTION_CANCEL, error);
}

/* the audit log and figures ------------------------------------------------ */

/**
 * suit_status_tracker_list_events:
 * @self: a #SuitStatusTracker
 * @device_id: (nullable): only the events of this device
 * @campaign_id: (nullable): only the events of this campaign
 * @since: only events with a sequence number above this one (0: all)
 * @limit: at most this many events; 0 for 1000, and never more than 10000
 * @error: return location for a #GError, or %NULL
 *
 * Reads the audit log in sequence order. Each event is `{"seq", "time",
 * "type", "device", "campaign", "manifest", "details"}` (`device`,
 * `campaign` and `manifest` only when the event has one), where `type` is
 * one of `token-created`, `token-revoked`, `device-registered`,
 * `check-in-offer`, `report-accepted`, `report-rejected`,
 * `device-installed`, `device-succeeded`, `device-failed`,
 * `device-fell-back`, `campaign-created`, `wave-started`,
 * `campaign-paused`, `campaign-resumed`, `campaign-halted`,
 * `campaign-completed` or `campaign-cancelled`. To follow the log, pass the
 * `seq` of the last event read as @since.
 *
 * Returns: (transfer full): a JSON array of events, or %NULL with
 *   %SUIT_ERROR_INVALID_ARGUMENT for a malformed device or campaign id
 *
 * Since: 0.1
 */
gchar *
suit_status_tracker_list_events(SuitStatusTracker *self,
				const gchar *device_id,
				const gchar *campaign_id,
				guint64 since,
				guint limit,
				GError **error)
{
	g_autoptr(JsonArray) array = json_array_new();
	g_autofree gchar *key = NULL;
	g_autofree gchar *after = NULL;

	g_return_val_if_fail(SUIT_IS_STATUS_TRACKER(self), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (device_id != NULL && !suit_tracker_check_device_id(device_id, error))
		return NULL;
	if (campaign_id != NULL && !suit_tracker_check_campaign_id(campaign_id, error))
		return NULL;
	suit_tracker_flush_for_read(self);
	if (limit == 0)
		limit = SUIT_TRACKER_EVENTS_DEFAULT;
	limit = MIN(limit, SUIT_TRACKER_EVENTS_MAX);
	if (device_id != NULL)
		key = g_strdup_printf("device:%s", device_id);
	else if (campaign_id != NULL)
		key = g_strdup_printf("campaign:%s", campaign_id);
	after = g_strdup_printf("%020" G_GUINT64_FORMAT, since);

	/* by one key, filtered by the other when both are given */
	while (json_array_get_length(array) < limit) {
		g_autoptr(GPtrArray) docs =
		    suit_tracker_query_docs(self, COL_EVENTS, key, after, limit, error);
		if (docs == NULL)
			return NULL;
		for (guint i = 0; i < docs->len && json_array_get_length(array) < limit; i++) {
			JsonObject *event = g_ptr_array_index(docs, i);
			if (device_id != NULL && campaign_id != NULL &&
			    g_strcmp0(suit_tracker_doc_string(event, "campaign"), campaign_id) != 0)
				continue;
			json_array_add_object_element(array, json_object_ref(event));
		}
		if (docs->len < limit)
			break;
		g_free(after);
		after = g_strdup_printf(
		    "%020" G_GINT64_FORMAT,
		    suit_tracker_doc_int(g_ptr_array_index(docs, docs->len - 1), "seq", 0));
	}
	return suit_tracker_array_to_string(array);
}

/**
 * suit_status_tracker_get_statistics:
 * @self: a #SuitStatusTracker
 * @error: return location for a #GError, or %NULL
 *
 * Counts the fleet: `{"devices": {"total": N, "by_state": {"<state>": N}},
 * "campaigns": {"by_state": {"<state>": N}}, "manifests": N}`, with every
 * device and campaign state present, zero or not.
 *
 * Returns: (transfer full): the figures as JSON, or %NULL on a database error
 *
 * Since: 0.1
 */
gchar *
suit_status_tracker_get_statistics(SuitStatusTracker *self, GError **error)
{
	g_autoptr(JsonObject) result = json_object_new();
	g_autofree gchar *manifests_text = NULL;
	g_autoptr(JsonNode) manifests = NULL;
	JsonObject *devices = json_object_new();
	JsonObject *device_states = json_object_new();
	JsonObject *campaigns = json_object_new();
	JsonObject *campaign_states = json_object_new();
	guint64 total = 0;

	g_return_val_if_fail(SUIT_IS_STATUS_TRACKER(self), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	json_object_set_object_member(devices, "by_state", device_states);
	json_object_set_object_member(result, "devices", devices);
	json_object_set_object_member(campaigns, "by_state", campaign_states);
	json_object_set_object_member(result, "campaigns", campaigns);

	suit_tracker_flush_for_read(self);
	if (!suit_database_count(self->database, COL_DEVICES, NULL, &total, error))
		return NULL;
	json_object_set_int_member(devices, "total", (gint64)total);
	for (guint i = 0; suit_tracker_device_states[i] != NULL; i++) {
		g_autofree gchar *key = g_strdup_printf("state:%s", suit_tracker_device_states[i]);
		guint64 n = 0;
		if (!suit_database_count(self->database, COL_DEVICES, key, &n, error))
			return NULL;
		json_object_set_int_member(device_states, suit_tracker_device_states[i], (gint64)n);
	}
	for (guint i = 0; suit_tracker_campaign_states[i] != NULL; i++) {
		g_autofree gchar *key =
		    g_strdup_printf("state:%s", suit_tracker_campaign_states[i]);
		guint64 n = 0;
		if (!suit_database_count(self->database, COL_CAMPAIGNS, key, &n, error))
			return NULL;
		json_object_set_int_member(campaign_states,
					   suit_tracker_campaign_states[i],
					   (gint64)n);
	}

	/* the firmware server may keep its catalogue in another database */
	manifests_text =
	    suit_firmware_server_list_manifests(self->firmware_server, NULL, NULL, error);
	if (manifests_text == NULL)
		return NULL;
	manifests = json_from_string(manifests_text, NULL);
	json_object_set_int_member(result,
				   "manifests",
				   manifests != NULL && JSON_NODE_HOLDS_ARRAY(manifests)
				       ? json_array_get_length(json_node_get_array(manifests))
				       : 0);
	return suit_tracker_object_to_string(result);
}
