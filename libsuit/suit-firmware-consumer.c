/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "suit-cbor-private.h"
#include "suit-encryption-private.h"
#include "suit-error.h"
#include "suit-fetcher-private.h"
#include "suit-firmware-consumer.h"
#include "suit-manifest-private.h"
#include "suit-model-private.h"

/**
 * SuitFirmwareConsumer:
 *
 * The manifest processor of a device (SUIT-SPEC §7): it verifies an envelope
 * against the trusted authors' keys, checks that it applies to this device
 * and is not a rollback, then runs the command sequences of the Update or
 * the Invocation procedure against a [iface@Store], fetching payloads with a
 * [iface@Fetcher], and describes what it did in a [class@Report].
 *
 * Nothing is executed before the envelope has verified. Every command or
 * parameter the processor does not support fails the run with
 * %SUIT_ERROR_UNSUPPORTED_COMMAND or %SUIT_ERROR_UNSUPPORTED_PARAMETER; none
 * is skipped silently, and the sequences of a procedure are checked for them
 * before any command runs, so such a manifest changes nothing on the device.
 *
 * Dependencies (trust domains) are supported: common.dependencies names
 * component indices that hold dependency manifests (an index beyond the
 * components list is an extra slot named by its dependency-prefix). Fetch
 * into such a slot fetches the dependency envelope; dependency-integrity and
 * process-dependency verify it with the same keyring and against the
 * image-digest parameter; process-dependency then runs the dependency's
 * shared sequence and the same section as the dependent, with rollback
 * protection per dependency. Parameters are shared by component identity
 * across manifests. Failure records carry the manifest-id path of the
 * manifest that failed.
 */

/* parameter codepoints used by the processor */
enum {
	PARAM_VENDOR_ID = 1,
	PARAM_CLASS_ID = 2,
	PARAM_IMAGE_DIGEST = 3,
	PARAM_USE_BEFORE = 4,
	PARAM_COMPONENT_SLOT = 5,
	PARAM_STRICT_ORDER = 12,
	PARAM_SOFT_FAILURE = 13,
	PARAM_IMAGE_SIZE = 14,
	PARAM_CONTENT = 18,
	PARAM_ENCRYPTION_INFO = 19,
	PARAM_URI = 21,
	PARAM_SOURCE_COMPONENT = 22,
	PARAM_INVOKE_ARGS = 23,
	PARAM_DEVICE_ID = 24,
	PARAM_FETCH_ARGUMENTS = 25,
	PARAM_MINIMUM_BATTERY = 26,
	PARAM_UPDATE_PRIORITY = 27,
	PARAM_VERSION = 28,
	PARAM_WAIT_INFO = 29,
	PARAM_COMPONENT_METADATA = 30,
};

/* command codes */
enum {
	CMD_VENDOR_ID = 1,
	CMD_CLASS_ID = 2,
	CMD_IMAGE_MATCH = 3,
	CMD_USE_BEFORE = 4,
	CMD_COMPONENT_SLOT = 5,
	CMD_CHECK_CONTENT = 6,
	CMD_DEPENDENCY_INTEGRITY = 7,
	CMD_IS_DEPENDENCY = 8,
	CMD_PROCESS_DEPENDENCY = 11,
	CMD_SET_COMPONENT_INDEX = 12,
	CMD_ABORT = 14,
	CMD_TRY_EACH = 15,
	CMD_WRITE = 18,
	CMD_SET_PARAMETERS = 19,
	CMD_OVERRIDE_PARAMETERS = 20,
	CMD_FETCH = 21,
	CMD_COPY = 22,
	CMD_INVOKE = 23,
	CMD_DEVICE_ID = 24,
	CMD_IMAGE_NOT_MATCH = 25,
	CMD_MINIMUM_BATTERY = 26,
	CMD_UPDATE_AUTHORIZED = 27,
	CMD_VERSION = 28,
	CMD_SWAP = 31,
	CMD_RUN_SEQUENCE = 32,
	CMD_UNLINK = 33,
	CMD_OVERRIDE_MULTIPLE = 34,
	CMD_COPY_PARAMS = 35,
};

/* how deep try-each and run-sequence may nest */
#define SUIT_CONSUMER_MAX_DEPTH 8
/* how deep dependencies may nest below the root manifest */
#define SUIT_CONSUMER_MAX_DEPENDENCY_DEPTH 4
/* how many process-dependency directives one procedure may execute */
#define SUIT_CONSUMER_MAX_DEPENDENCY_RUNS 64
/* component slots of one manifest: listed components and dependencies */
#define SUIT_CONSUMER_MAX_SLOTS 256
/* the largest encrypted content parameter that write decrypts */
#define SUIT_CONSUMER_MAX_INLINE_CIPHERTEXT (16 * 1024 * 1024)
/* the largest dependency envelope that is fetched (into memory) */
#define SUIT_CONSUMER_MAX_DEPENDENCY_SIZE (1024 * 1024)

struct _SuitFirmwareConsumer {
	GObject parent_instance;
	SuitKeyring *keyring;
	SuitStore *store;
	SuitFetcher *fetcher; /* (nullable) */
	GBytes *vendor_id;
	GBytes *class_id;
	GBytes *device_id;
	GHashTable *slots; /* (element-type SuitComponentId guint64*) */
	GHashTable *versions; /* (element-type SuitComponentId GArray<gint64>) */
	gint battery_level; /* -1: unknown */
	gboolean update_authorized;
	gint64 time; /* 0: the real clock */
	SuitReport *report;
	GPtrArray *trace; /* (element-type utf8) */
	GPtrArray *decryption_keys; /* (element-type SuitKey) */
};

G_DEFINE_TYPE(SuitFirmwareConsumer, suit_firmware_consumer, G_TYPE_OBJECT)

enum { SIGNAL_INVOKE, SIGNAL_LAST };
static guint signals[SIGNAL_LAST] = {0};

/*
 * What a manifest and its dependencies share during one procedure.
 *
 * Parameter storage is keyed by component identity, so a dependent that sets
 * parameters of a component hands them to a dependency that names the same
 * component (the two-layer encryption model relies on this).
 *
 * Dependency envelopes fetched by the procedure are kept in memory and only
 * written to the store, with the dependencies' sequence numbers, when the
 * whole procedure succeeded.
 */
typedef struct {
	GHashTable *params;	      /* (element-type SuitComponentId GHashTable) */
	GPtrArray *claimed;	      /* (element-type SuitComponentId): non-dependency components, in order */
	GHashTable *staged;	      /* (element-type SuitComponentId GBytes): fetched dependency envelopes */
	GHashTable *sequence_numbers; /* (element-type SuitComponentId guint64*): of the dependencies processed */
	guint dependency_runs;
	/* the first failure, for the report */
	gboolean failure_recorded;
	SuitSection failed_section;
	gsize failed_offset;
	guint failed_component;
	gint64 failed_command;
	GArray *failed_manifest_id; /* (element-type guint) (nullable) */
	GHashTable *failed_params;  /* (nullable) */
} SuitConsumerState;

/* one component slot of the manifest being processed */
typedef struct {
	SuitComponentId *id;	  /* (nullable): NULL for an index nothing names */
	GHashTable *params;	  /* (nullable): gint64* -> GBytes* (the encoded CBOR value), shared by identity */
	gboolean is_dependency;	  /* listed in suit-dependencies */
	SuitEnvelope *dependency; /* (nullable): the dependency envelope, once its integrity was checked */
} SuitConsumerComponent;

/* the state of one manifest (the root or a dependency) during a procedure */
typedef struct {
	SuitFirmwareConsumer *self;
	SuitConsumerState *state;
	SuitEnvelope *envelope;
	SuitManifest *manifest;
	GArray *components; /* of SuitConsumerComponent */
	guint n_listed;	    /* how many of them suit-components lists */
	GArray *selected;   /* of guint: the current component indices */
	GArray *manifest_id; /* of guint: the path of dependency indices from the root */
	guint dependency_depth;
	SuitProgress *progress;
	GCancellable *cancellable;
} SuitConsumerRun;

static void
suit_consumer_component_clear(SuitConsumerComponent *component)
{
	g_clear_pointer(&component->id, suit_component_id_unref);
	g_clear_pointer(&component->params, g_hash_table_unref);
	g_clear_object(&component->dependency);
}

static void
suit_consumer_run_clear(SuitConsumerRun *run)
{
	g_clear_pointer(&run->components, g_array_unref);
	g_clear_pointer(&run->selected, g_array_unref);
	g_clear_pointer(&run->manifest_id, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SuitConsumerRun, suit_consumer_run_clear)

static void
suit_consumer_state_init(SuitConsumerState *state)
{
	state->params = g_hash_table_new_full((GHashFunc)suit_component_id_hash,
					      (GEqualFunc)suit_component_id_equal,
					      (GDestroyNotify)suit_component_id_unref,
					      (GDestroyNotify)g_hash_table_unref);
	state->claimed = g_ptr_array_new_with_free_func((GDestroyNotify)suit_component_id_unref);
	state->staged = g_hash_table_new_full((GHashFunc)suit_component_id_hash,
					      (GEqualFunc)suit_component_id_equal,
					      (GDestroyNotify)suit_component_id_unref,
					      (GDestroyNotify)g_bytes_unref);
	state->sequence_numbers = g_hash_table_new_full((GHashFunc)suit_component_id_hash,
							(GEqualFunc)suit_component_id_equal,
							(GDestroyNotify)suit_component_id_unref,
							g_free);
}

static void
suit_consumer_state_clear(SuitConsumerState *state)
{
	g_clear_pointer(&state->params, g_hash_table_unref);
	g_clear_pointer(&state->claimed, g_ptr_array_unref);
	g_clear_pointer(&state->staged, g_hash_table_unref);
	g_clear_pointer(&state->sequence_numbers, g_hash_table_unref);
	g_clear_pointer(&state->failed_manifest_id, g_array_unref);
	g_clear_pointer(&state->failed_params, g_hash_table_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SuitConsumerState, suit_consumer_state_clear)

static void
suit_consumer_trace(SuitConsumerRun *run, const gchar *format, ...) G_GNUC_PRINTF(2, 3);

static void
suit_consumer_trace(SuitConsumerRun *run, const gchar *format, ...)
{
	va_list args;
	va_start(args, format);
	g_ptr_array_add(run->self->trace, g_strdup_vprintf(format, args));
	va_end(args);
}

/* parameters ------------------------------------------------------------------ */

static SuitConsumerComponent *
suit_consumer_component(SuitConsumerRun *run, guint idx)
{
	return &g_array_index(run->components, SuitConsumerComponent, idx);
}

static GBytes *
suit_consumer_param(SuitConsumerRun *run, guint idx, gint64 key)
{
	return g_hash_table_lookup(suit_consumer_component(run, idx)->params, &key);
}

static void
suit_consumer_param_set(SuitConsumerRun *run, guint idx, gint64 key, GBytes *value)
{
	gint64 *k = g_new(gint64, 1);
	*k = key;
	g_hash_table_replace(suit_consumer_component(run, idx)->params, k, g_bytes_ref(value));
}

static SuitCborItem *
suit_consumer_param_item(SuitConsumerRun *run, guint idx, gint64 key, GError **error)
{
	GBytes *value = suit_consumer_param(run, idx, key);
	if (value == NULL) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_CONDITION_FAILED,
			    "parameter %s is not set for component %u",
			    suit_parameter_to_string(key) != NULL ? suit_parameter_to_string(key) : "?",
			    idx);
		return NULL;
	}
	return suit_cbor_decode(value, NULL, SUIT_PARSE_FLAG_NONE, error);
}

/* the content of a byte string parameter (transfer full) */
static GBytes *
suit_consumer_param_bytes(SuitConsumerRun *run, guint idx, gint64 key, GError **error)
{
	g_autoptr(SuitCborItem) item = suit_consumer_param_item(run, idx, key, error);
	SuitCborItem *content = item;
	if (item == NULL)
		return NULL;
	/* vendor ids may be a CBOR-PEN OID in tag 112 */
	if (suit_cbor_item_get_type(content) == SUIT_CBOR_TYPE_TAG)
		content = suit_cbor_tag_get_content(content);
	if (suit_cbor_item_get_type(content) != SUIT_CBOR_TYPE_BYTES) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "parameter %s must be a byte string",
			    suit_parameter_to_string(key));
		return NULL;
	}
	return g_bytes_ref(suit_cbor_item_get_bytes(content));
}

static gboolean
suit_consumer_param_uint(SuitConsumerRun *run, guint idx, gint64 key, guint64 *value, GError **error)
{
	g_autoptr(SuitCborItem) item = suit_consumer_param_item(run, idx, key, error);
	if (item == NULL)
		return FALSE;
	if (!suit_cbor_item_get_uint(item, value)) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "parameter %s must be an unsigned integer",
			    suit_parameter_to_string(key));
		return FALSE;
	}
	return TRUE;
}

static gchar *
suit_consumer_param_text(SuitConsumerRun *run, guint idx, gint64 key, GError **error)
{
	g_autoptr(SuitCborItem) item = suit_consumer_param_item(run, idx, key, error);
	gchar *text;
	if (item == NULL)
		return NULL;
	text = suit_cbor_item_dup_text(item);
	if (text == NULL) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "parameter %s must be a text string",
			    suit_parameter_to_string(key));
	}
	return text;
}

/* the image digest parameter is a bstr-wrapped SUIT_Digest */
static SuitDigest *
suit_consumer_param_digest(SuitConsumerRun *run, guint idx, GError **error)
{
	g_autoptr(GBytes) wrapped = suit_consumer_param_bytes(run, idx, PARAM_IMAGE_DIGEST, error);
	if (wrapped == NULL)
		return NULL;
	return suit_digest_new_from_cbor(wrapped, error);
}

/* the parameters the processor acts on; anything else is refused, not ignored */
static gboolean
suit_consumer_param_supported(gint64 key)
{
	switch (key) {
	case PARAM_VENDOR_ID:
	case PARAM_CLASS_ID:
	case PARAM_IMAGE_DIGEST:
	case PARAM_USE_BEFORE:
	case PARAM_COMPONENT_SLOT:
	case PARAM_STRICT_ORDER:
	case PARAM_SOFT_FAILURE:
	case PARAM_IMAGE_SIZE:
	case PARAM_CONTENT:
	case PARAM_URI:
	case PARAM_SOURCE_COMPONENT:
	case PARAM_INVOKE_ARGS:
	case PARAM_DEVICE_ID:
	case PARAM_MINIMUM_BATTERY:
	case PARAM_UPDATE_PRIORITY:
	case PARAM_VERSION:
	case PARAM_ENCRYPTION_INFO:
		return TRUE;
	default:
		return FALSE;
	}
}

/* scope of one command sequence: soft-failure is local to it */
typedef struct {
	gboolean soft_failure;
	guint depth; /* 0 for a top-level sequence */
} SuitConsumerScope;

static gboolean
suit_consumer_apply_parameters(SuitConsumerRun *run,
			       SuitConsumerScope *scope,
			       guint idx,
			       SuitParameters *params,
			       gboolean override,
			       GError **error)
{
	for (guint i = 0; i < suit_parameters_get_size(params); i++) {
		gint64 key = suit_parameters_get_key(params, i);
		GBytes *value = suit_parameters_get_cbor(params, key);
		if (!suit_consumer_param_supported(key)) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_UNSUPPORTED_PARAMETER,
				    "parameter %s (%" G_GINT64_FORMAT ") is not supported",
				    suit_parameter_to_string(key) != NULL ? suit_parameter_to_string(key) : "custom",
				    key);
			return FALSE;
		}
		if (key == PARAM_SOFT_FAILURE) {
			gboolean soft = FALSE;
			if (scope->depth == 0) {
				g_set_error_literal(error,
						    SUIT_ERROR,
						    SUIT_ERROR_INVALID_DATA,
						    "soft-failure may only be set inside try-each or run-sequence");
				return FALSE;
			}
			if (!suit_parameters_get_bool(params, key, &soft)) {
				g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "soft-failure must be a boolean");
				return FALSE;
			}
			scope->soft_failure = soft;
			continue;
		}
		if (!override && suit_consumer_param(run, idx, key) != NULL)
			continue;
		suit_consumer_param_set(run, idx, key, value);
	}
	return TRUE;
}

/* storage and fetching (the plug-ins) ---------------------------------------- */

static SuitDigest *
suit_consumer_component_digest(SuitConsumerRun *run, guint idx, gint algorithm, GError **error);
static GBytes *
suit_consumer_component_read(SuitConsumerRun *run, guint idx, gsize max_size, GError **error);
static gboolean
suit_consumer_component_write(SuitConsumerRun *run,
			      guint idx,
			      GInputStream *source,
			      SuitDigest *expected,
			      gint64 expected_size,
			      GError **error);
static gboolean
suit_consumer_component_fetch(SuitConsumerRun *run,
			      guint idx,
			      const gchar *uri,
			      SuitDigest *expected,
			      gint64 expected_size,
			      GError **error);
static gboolean
suit_consumer_component_copy(SuitConsumerRun *run,
			     guint source,
			     guint idx,
			     SuitDigest *expected,
			     gint64 expected_size,
			     GError **error);
static gboolean
suit_consumer_component_swap(SuitConsumerRun *run, guint a, guint b, GError **error);

static gboolean
suit_consumer_condition_failed(GError **error, const gchar *format, ...) G_GNUC_PRINTF(2, 3);

static gboolean
suit_consumer_condition_failed(GError **error, const gchar *format, ...)
{
	va_list args;
	g_autofree gchar *message = NULL;
	va_start(args, format);
	message = g_strdup_vprintf(format, args);
	va_end(args);
	g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_CONDITION_FAILED, message);
	return FALSE;
}

/* dependencies --------------------------------------------------------------------- */

static gboolean
suit_consumer_is_dependency(SuitConsumerRun *run, guint idx)
{
	return suit_consumer_component(run, idx)->is_dependency;
}

/* the envelope of dependency slot @idx: fetched by this procedure, or installed before */
static GBytes *
suit_consumer_dependency_bytes(SuitConsumerRun *run, guint idx, GError **error)
{
	SuitConsumerComponent *component = suit_consumer_component(run, idx);
	GBytes *staged = g_hash_table_lookup(run->state->staged, component->id);
	g_autoptr(GError) error_local = NULL;
	GBytes *blob;

	if (staged != NULL)
		return g_bytes_ref(staged);
	blob = suit_store_read_bytes(run->self->store,
				     component->id,
				     SUIT_CONSUMER_MAX_DEPENDENCY_SIZE,
				     run->cancellable,
				     &error_local);
	if (blob == NULL) {
		if (g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_NOT_FOUND)) {
			g_autofree gchar *name = suit_component_id_to_string(component->id);
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_FETCH_FAILED,
				    "dependency %u %s has not been fetched",
				    idx,
				    name);
			return NULL;
		}
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	return blob;
}

/* the digest of the bstr-wrapped manifest of an envelope that is not verified */
static SuitDigest *
suit_consumer_envelope_digest(GBytes *blob, gint algorithm, GError **error)
{
	g_autoptr(SuitEnvelope) envelope = suit_envelope_new_from_bytes(blob, SUIT_PARSE_FLAG_NONE, error);
	g_autoptr(SuitCborItem) wrapped = NULL;
	g_autoptr(GBytes) encoded = NULL;

	if (envelope == NULL)
		return NULL;
	wrapped = suit_cbor_item_new_bytes(suit_envelope_get_manifest_bytes(envelope));
	encoded = suit_cbor_encode(wrapped);
	return suit_digest_compute((SuitDigestAlgorithm)algorithm, encoded, error);
}

/*
 * condition-dependency-integrity: the dependency envelope verifies with the
 * trusted keys and its SUIT_Digest is the image-digest the dependent expects.
 * The verified envelope is kept for process-dependency.
 */
static gboolean
suit_consumer_dependency_integrity(SuitConsumerRun *run, guint idx, GError **error)
{
	SuitConsumerComponent *component = suit_consumer_component(run, idx);
	g_autoptr(SuitDigest) expected = NULL;
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(SuitEnvelope) dependency = NULL;

	if (!component->is_dependency)
		return suit_consumer_condition_failed(error, "component %u is not a dependency", idx);
	g_clear_object(&component->dependency);
	expected = suit_consumer_param_digest(run, idx, error);
	if (expected == NULL)
		return FALSE;
	blob = suit_consumer_dependency_bytes(run, idx, error);
	if (blob == NULL)
		return FALSE;
	dependency = suit_envelope_new_from_bytes(blob, SUIT_PARSE_FLAG_NONE, error);
	if (dependency == NULL) {
		g_prefix_error(error, "dependency %u: ", idx);
		return FALSE;
	}
	if (!suit_envelope_verify(dependency, run->self->keyring, SUIT_VERIFY_FLAG_NONE, error)) {
		g_prefix_error(error, "dependency %u: ", idx);
		return FALSE;
	}
	if (!suit_digest_equal(expected, suit_envelope_get_manifest_digest(dependency))) {
		g_autofree gchar *hex = suit_digest_to_hex(suit_envelope_get_manifest_digest(dependency));
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_DIGEST_MISMATCH,
			    "dependency %u has the manifest digest %s, not the image-digest of the dependent",
			    idx,
			    hex);
		return FALSE;
	}
	component->dependency = g_steal_pointer(&dependency);
	return TRUE;
}

/* conditions ------------------------------------------------------------------- */

static gboolean
suit_consumer_check_identity(SuitConsumerRun *run, guint idx, gint64 key, GBytes *expected, GError **error)
{
	g_autoptr(GBytes) value = suit_consumer_param_bytes(run, idx, key, error);
	if (value == NULL)
		return FALSE;
	if (expected == NULL || !g_bytes_equal(value, expected)) {
		g_autofree gchar *hex = suit_hex_encode(value);
		return suit_consumer_condition_failed(error,
						      "%s %s does not match this device",
						      suit_parameter_to_string(key),
						      hex);
	}
	return TRUE;
}

/* TRUE if the component's image has the image-digest (and image-size, if set) */
static gboolean
suit_consumer_image_matches(SuitConsumerRun *run, guint idx, gboolean *matches, GError **error)
{
	g_autoptr(SuitDigest) expected = suit_consumer_param_digest(run, idx, error);
	g_autoptr(SuitDigest) actual = NULL;
	g_autoptr(GError) error_local = NULL;

	if (expected == NULL)
		return FALSE;
	/* a dependency's image is its manifest: compare its SUIT_Digest */
	if (suit_consumer_is_dependency(run, idx)) {
		g_autoptr(GBytes) blob = suit_consumer_dependency_bytes(run, idx, &error_local);
		if (blob == NULL) {
			if (g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_FETCH_FAILED)) {
				*matches = FALSE;
				return TRUE;
			}
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
		actual = suit_consumer_envelope_digest(blob, suit_digest_get_algorithm(expected), &error_local);
		/* what is stored there is no envelope at all */
		*matches = actual != NULL && suit_digest_equal(expected, actual);
		return TRUE;
	}
	actual = suit_consumer_component_digest(run, idx, suit_digest_get_algorithm(expected), &error_local);
	if (actual == NULL) {
		if (g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_NOT_FOUND)) {
			*matches = FALSE;
			return TRUE;
		}
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	*matches = suit_digest_equal(expected, actual);
	return TRUE;
}

static gint64
suit_consumer_now(SuitFirmwareConsumer *self)
{
	return self->time != 0 ? self->time : g_get_real_time() / G_USEC_PER_SEC;
}

/*
 * condition-version (update-management): the version parameter is a
 * bstr-wrapped [comparison-type, [+ int]] with 1 greater, 2 greater-equal,
 * 3 equal, 4 lesser-equal, 5 lesser; the device's version of the component
 * is compared with it part by part, missing parts counting as 0
 */
static gboolean
suit_consumer_check_version(SuitConsumerRun *run, guint idx, GError **error)
{
	g_autoptr(GBytes) wrapped = suit_consumer_param_bytes(run, idx, PARAM_VERSION, error);
	g_autoptr(SuitCborItem) match = NULL;
	GArray *device;
	SuitCborItem *parts;
	gint64 comparison = 0;
	gint cmp = 0;
	gboolean ok;

	if (wrapped == NULL)
		return FALSE;
	match = suit_cbor_decode(wrapped, NULL, SUIT_PARSE_FLAG_NONE, error);
	if (match == NULL)
		return FALSE;
	parts = suit_cbor_array_get(match, 1);
	if (suit_cbor_item_get_type(match) != SUIT_CBOR_TYPE_ARRAY || suit_cbor_item_get_length(match) != 2 ||
	    !suit_cbor_item_get_int(suit_cbor_array_get(match, 0), &comparison) || comparison < 1 ||
	    comparison > 5 || suit_cbor_item_get_type(parts) != SUIT_CBOR_TYPE_ARRAY ||
	    suit_cbor_item_get_length(parts) == 0) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "version must be [comparison-type 1..5, [+ int]]");
		return FALSE;
	}
	device = g_hash_table_lookup(run->self->versions, suit_consumer_component(run, idx)->id);
	if (device == NULL)
		return suit_consumer_condition_failed(error, "the version of component %u is not known", idx);
	for (guint i = 0; cmp == 0 && i < MAX(device->len, suit_cbor_item_get_length(parts)); i++) {
		gint64 have = i < device->len ? g_array_index(device, gint64, i) : 0;
		gint64 want = 0;
		if (i < suit_cbor_item_get_length(parts) && !suit_cbor_item_get_int(suit_cbor_array_get(parts, i), &want)) {
			g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "version parts must be integers");
			return FALSE;
		}
		cmp = have < want ? -1 : (have > want ? 1 : 0);
	}
	switch (comparison) {
	case 1:
		ok = cmp > 0;
		break;
	case 2:
		ok = cmp >= 0;
		break;
	case 3:
		ok = cmp == 0;
		break;
	case 4:
		ok = cmp <= 0;
		break;
	default:
		ok = cmp < 0;
		break;
	}
	if (!ok)
		return suit_consumer_condition_failed(error, "the version of component %u does not match", idx);
	return TRUE;
}

static gboolean
suit_consumer_run_condition(SuitConsumerRun *run, gint64 code, guint idx, GError **error)
{
	SuitFirmwareConsumer *self = run->self;
	gboolean matches = FALSE;
	guint64 value = 0;

	switch (code) {
	case CMD_VENDOR_ID:
		return suit_consumer_check_identity(run, idx, PARAM_VENDOR_ID, self->vendor_id, error);
	case CMD_CLASS_ID:
		return suit_consumer_check_identity(run, idx, PARAM_CLASS_ID, self->class_id, error);
	case CMD_DEVICE_ID:
		return suit_consumer_check_identity(run, idx, PARAM_DEVICE_ID, self->device_id, error);
	case CMD_IMAGE_MATCH:
		if (!suit_consumer_image_matches(run, idx, &matches, error))
			return FALSE;
		if (!matches)
			return suit_consumer_condition_failed(error, "component %u does not match its image digest", idx);
		return TRUE;
	case CMD_IMAGE_NOT_MATCH:
		if (!suit_consumer_image_matches(run, idx, &matches, error))
			return FALSE;
		if (matches)
			return suit_consumer_condition_failed(error, "component %u already has the image", idx);
		return TRUE;
	case CMD_COMPONENT_SLOT: {
		guint64 *slot = g_hash_table_lookup(self->slots, suit_consumer_component(run, idx)->id);
		if (!suit_consumer_param_uint(run, idx, PARAM_COMPONENT_SLOT, &value, error))
			return FALSE;
		if (slot == NULL || *slot != value)
			return suit_consumer_condition_failed(error,
							      "component %u is not in slot %" G_GUINT64_FORMAT,
							      idx,
							      value);
		return TRUE;
	}
	case CMD_CHECK_CONTENT: {
		g_autoptr(GBytes) content = suit_consumer_param_bytes(run, idx, PARAM_CONTENT, error);
		g_autoptr(GBytes) actual = NULL;
		g_autoptr(GError) error_local = NULL;
		gsize len = 0;
		if (content == NULL)
			return FALSE;
		len = g_bytes_get_size(content);
		/* anything longer than the content cannot match: read no more than that */
		actual = suit_consumer_component_read(run, idx, len, &error_local);
		if (actual == NULL) {
			if (g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_LIMIT_EXCEEDED) ||
			    g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_NOT_FOUND))
				return suit_consumer_condition_failed(error,
								      "component %u does not hold the expected content",
								      idx);
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
		if (g_bytes_get_size(actual) != len ||
		    (len > 0 && !suit_memeq_const_time(g_bytes_get_data(actual, NULL), g_bytes_get_data(content, NULL), len)))
			return suit_consumer_condition_failed(error, "component %u does not hold the expected content", idx);
		return TRUE;
	}
	case CMD_DEPENDENCY_INTEGRITY:
		return suit_consumer_dependency_integrity(run, idx, error);
	case CMD_IS_DEPENDENCY:
		if (!suit_consumer_is_dependency(run, idx))
			return suit_consumer_condition_failed(error, "component %u is not a dependency", idx);
		return TRUE;
	case CMD_ABORT:
		return suit_consumer_condition_failed(error, "the manifest aborted");
	case CMD_USE_BEFORE:
		if (!suit_consumer_param_uint(run, idx, PARAM_USE_BEFORE, &value, error))
			return FALSE;
		if ((guint64)suit_consumer_now(self) > value)
			return suit_consumer_condition_failed(error, "the update expired at %" G_GUINT64_FORMAT, value);
		return TRUE;
	case CMD_MINIMUM_BATTERY:
		if (!suit_consumer_param_uint(run, idx, PARAM_MINIMUM_BATTERY, &value, error))
			return FALSE;
		if (self->battery_level < 0 || (guint64)self->battery_level < value)
			return suit_consumer_condition_failed(error,
							      "battery level %d is below %" G_GUINT64_FORMAT,
							      self->battery_level,
							      value);
		return TRUE;
	case CMD_VERSION:
		return suit_consumer_check_version(run, idx, error);
	case CMD_UPDATE_AUTHORIZED:
		if (!self->update_authorized)
			return suit_consumer_condition_failed(error, "the update is not authorized");
		return TRUE;
	default:
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_UNSUPPORTED_COMMAND,
			    "condition %s (%" G_GINT64_FORMAT ") is not supported",
			    suit_command_code_to_string(code) != NULL ? suit_command_code_to_string(code) : "unknown",
			    code);
		return FALSE;
	}
}

/* directives ------------------------------------------------------------------- */

static gboolean
suit_consumer_expected_image(SuitConsumerRun *run, guint idx, SuitDigest **digest, gint64 *size, GError **error)
{
	guint64 value = 0;
	*size = -1;
	*digest = NULL;
	if (suit_consumer_param(run, idx, PARAM_IMAGE_SIZE) != NULL) {
		if (!suit_consumer_param_uint(run, idx, PARAM_IMAGE_SIZE, &value, error))
			return FALSE;
		if (value > G_MAXINT64) {
			g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_LIMIT_EXCEEDED, "image size is too large");
			return FALSE;
		}
		*size = (gint64)value;
	}
	if (suit_consumer_param(run, idx, PARAM_IMAGE_DIGEST) != NULL) {
		*digest = suit_consumer_param_digest(run, idx, error);
		if (*digest == NULL)
			return FALSE;
	}
	return TRUE;
}

/* fetch stores what it gets: decryption is for write and copy */
static gboolean
suit_consumer_refuse_encryption(SuitConsumerRun *run, guint idx, GError **error)
{
	if (suit_consumer_param(run, idx, PARAM_ENCRYPTION_INFO) != NULL) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_UNSUPPORTED_PARAMETER,
				    "fetch does not decrypt: fetch the encrypted payload, then copy it with encryption-info");
		return FALSE;
	}
	return TRUE;
}

/*
 * Decrypts @ciphertext with the encryption-info of component @idx and writes
 * the plaintext. A128CTR has no integrity of its own, so the plaintext is
 * committed only when it has the image-digest (and image-size), if set;
 * image-match in the manifest checks it otherwise.
 */
static gboolean
suit_consumer_write_decrypted(SuitConsumerRun *run, guint idx, GBytes *ciphertext, GError **error)
{
	g_autoptr(GBytes) info = NULL;
	g_autoptr(GBytes) plaintext = NULL;
	g_autoptr(GInputStream) stream = NULL;
	g_autoptr(SuitDigest) expected = NULL;
	gint64 size = -1;

	if (!suit_consumer_expected_image(run, idx, &expected, &size, error))
		return FALSE;
	if (size >= 0 && g_bytes_get_size(ciphertext) > (guint64)size + 16) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_LIMIT_EXCEEDED,
			    "encrypted payload of %" G_GSIZE_FORMAT " bytes is larger than the image-size %" G_GINT64_FORMAT,
			    g_bytes_get_size(ciphertext),
			    size);
		return FALSE;
	}
	info = suit_consumer_param_bytes(run, idx, PARAM_ENCRYPTION_INFO, error);
	if (info == NULL)
		return FALSE;
	plaintext = suit_encryption_decrypt(info, ciphertext, run->self->decryption_keys, error);
	if (plaintext == NULL) {
		g_prefix_error(error, "component %u: ", idx);
		return FALSE;
	}
	suit_consumer_trace(run,
			    "decrypt %u: %" G_GSIZE_FORMAT " bytes",
			    idx,
			    g_bytes_get_size(plaintext));
	stream = g_memory_input_stream_new_from_bytes(plaintext);
	return suit_consumer_component_write(run, idx, stream, expected, size, error);
}

/* dependency slots hold manifests, which only fetch stores */
static gboolean
suit_consumer_refuse_dependency(SuitConsumerRun *run, guint idx, const gchar *what, GError **error)
{
	if (!suit_consumer_is_dependency(run, idx))
		return TRUE;
	g_set_error(error,
		    SUIT_ERROR,
		    SUIT_ERROR_COMPONENT_UNSUPPORTED,
		    "%s cannot use component %u: it is a dependency, whose manifest only fetch stores",
		    what,
		    idx);
	return FALSE;
}

static gboolean
suit_consumer_source_index(SuitConsumerRun *run, guint idx, guint *source, GError **error)
{
	guint64 value = 0;
	if (!suit_consumer_param_uint(run, idx, PARAM_SOURCE_COMPONENT, &value, error))
		return FALSE;
	if (value >= run->components->len || value == idx ||
	    suit_consumer_component(run, (guint)value)->id == NULL ||
	    suit_consumer_is_dependency(run, (guint)value)) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_COMPONENT_UNSUPPORTED,
			    "source component %" G_GUINT64_FORMAT " is not a valid source for component %u",
			    value,
			    idx);
		return FALSE;
	}
	*source = (guint)value;
	return TRUE;
}

static gboolean
suit_consumer_run_section(SuitConsumerRun *run, SuitSection section, GError **error);
static gboolean
suit_consumer_check_section(SuitConsumerRun *run, SuitSection section, GError **error);
static gboolean
suit_consumer_setup(SuitConsumerRun *run, GError **error);

static gboolean
suit_consumer_check_dependency_rollback(SuitConsumerRun *run,
					SuitComponentId *key,
					guint64 sequence_number,
					GError **error)
{
	guint64 *pending = g_hash_table_lookup(run->state->sequence_numbers, key);
	g_autoptr(GError) error_local = NULL;
	g_autofree gchar *name = suit_component_id_to_string(key);
	guint64 stored = 0;

	if (!suit_store_get_sequence_number(run->self->store, key, &stored, run->cancellable, &error_local)) {
		if (!g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_NOT_FOUND)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
		stored = 0;
	}
	if (pending != NULL)
		stored = MAX(stored, *pending);
	if (sequence_number < stored) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_ROLLBACK,
			    "dependency %s has sequence number %" G_GUINT64_FORMAT ", lower than the installed %" G_GUINT64_FORMAT,
			    name,
			    sequence_number,
			    stored);
		return FALSE;
	}
	g_hash_table_replace(run->state->sequence_numbers,
			     suit_component_id_ref(key),
			     g_memdup2(&sequence_number, sizeof(sequence_number)));
	return TRUE;
}

/*
 * process-dependency: runs the dependency manifest's shared sequence and the
 * same section as the dependent (lockstep), with its own components. The
 * dependency must be authentic and be the manifest the dependent names: when
 * condition-dependency-integrity did not check that already (the draft's own
 * integrated-dependency example relies on that), it is checked here, so an
 * unverified dependency is never processed.
 */
static gboolean
suit_consumer_process_dependency(SuitConsumerRun *run, guint idx, SuitSection section, GError **error)
{
	SuitConsumerComponent *component = suit_consumer_component(run, idx);
	g_auto(SuitConsumerRun) child = {0};
	g_autoptr(SuitEnvelope) envelope = NULL;
	g_autofree gchar *name = NULL;
	SuitComponentId *key;

	if (!component->is_dependency) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "process-dependency on component %u, which is not a dependency",
			    idx);
		return FALSE;
	}
	if (section == SUIT_SECTION_SHARED) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "process-dependency is not allowed in the shared sequence");
		return FALSE;
	}
	if (run->dependency_depth >= SUIT_CONSUMER_MAX_DEPENDENCY_DEPTH) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_LIMIT_EXCEEDED,
			    "dependencies nest deeper than %u levels",
			    (guint)SUIT_CONSUMER_MAX_DEPENDENCY_DEPTH);
		return FALSE;
	}
	if (run->state->dependency_runs >= SUIT_CONSUMER_MAX_DEPENDENCY_RUNS) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_LIMIT_EXCEEDED,
			    "more than %u dependencies to process",
			    (guint)SUIT_CONSUMER_MAX_DEPENDENCY_RUNS);
		return FALSE;
	}
	run->state->dependency_runs++;
	if (component->dependency == NULL && !suit_consumer_dependency_integrity(run, idx, error))
		return FALSE;
	envelope = g_object_ref(component->dependency);

	child.self = run->self;
	child.state = run->state;
	child.envelope = envelope;
	child.manifest = suit_envelope_get_manifest(envelope, error);
	if (child.manifest == NULL)
		return FALSE;

	/* anti-rollback per dependency, stored when the whole procedure succeeded */
	key = suit_manifest_get_manifest_component_id(child.manifest);
	if (key == NULL)
		key = component->id;
	if (!suit_consumer_check_dependency_rollback(run,
						     key,
						     suit_manifest_get_sequence_number(child.manifest),
						     error))
		return FALSE;

	name = suit_component_id_to_string(component->id);
	suit_consumer_trace(run, "process-dependency %u: %s", idx, name);
	child.manifest_id = g_array_copy(run->manifest_id);
	g_array_append_val(child.manifest_id, idx);
	child.dependency_depth = run->dependency_depth + 1;
	child.progress = run->progress;
	child.cancellable = run->cancellable;
	if (!suit_consumer_setup(&child, error) || !suit_consumer_check_section(&child, section, error) ||
	    !suit_consumer_run_section(&child, section, error)) {
		g_prefix_error(error, "dependency %u: ", idx);
		return FALSE;
	}
	return TRUE;
}

static gboolean
suit_consumer_remove(SuitConsumerRun *run, SuitComponentId *id, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	if (suit_store_remove_component(run->self->store, id, run->cancellable, &error_local))
		return TRUE;
	/* unlinking what is not there leaves it not there */
	if (g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_NOT_FOUND))
		return TRUE;
	g_propagate_error(error, g_steal_pointer(&error_local));
	return FALSE;
}

/*
 * unlink: removes the component from the store. No reference counts are
 * kept: the component goes, whoever else installed it. Unlinking a
 * dependency removes its envelope and, when that envelope still verifies with
 * the trusted keys, every component its manifest lists.
 */
static gboolean
suit_consumer_unlink(SuitConsumerRun *run, guint idx, GError **error)
{
	SuitConsumerComponent *component = suit_consumer_component(run, idx);
	g_autofree gchar *name = suit_component_id_to_string(component->id);
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(GError) error_local = NULL;
	guint removed = 0;

	if (!component->is_dependency) {
		suit_consumer_trace(run, "unlink %u: %s", idx, name);
		return suit_consumer_remove(run, component->id, error);
	}
	blob = suit_consumer_dependency_bytes(run, idx, &error_local);
	if (blob == NULL && !g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_FETCH_FAILED)) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	if (blob != NULL) {
		g_autoptr(SuitEnvelope) dependency = suit_envelope_new_from_bytes(blob, SUIT_PARSE_FLAG_NONE, NULL);
		if (dependency != NULL && suit_envelope_verify(dependency, run->self->keyring, SUIT_VERIFY_FLAG_NONE, NULL)) {
			GPtrArray *ids = suit_manifest_get_components(suit_envelope_get_manifest(dependency, NULL));
			for (guint i = 0; ids != NULL && i < ids->len; i++) {
				if (!suit_consumer_remove(run, g_ptr_array_index(ids, i), error))
					return FALSE;
				removed++;
			}
		}
	}
	suit_consumer_trace(run, "unlink %u: %s (dependency, %u components)", idx, name, removed);
	g_hash_table_remove(run->state->staged, component->id);
	g_clear_object(&component->dependency);
	return suit_consumer_remove(run, component->id, error);
}

static gboolean
suit_consumer_run_directive(SuitConsumerRun *run,
			    SuitCommand *command,
			    SuitSection section,
			    guint idx,
			    GError **error)
{
	gint64 code = suit_command_get_code(command);
	g_autoptr(SuitDigest) expected = NULL;
	gint64 size = -1;

	switch (code) {
	case CMD_PROCESS_DEPENDENCY:
		return suit_consumer_process_dependency(run, idx, section, error);
	case CMD_UNLINK:
		return suit_consumer_unlink(run, idx, error);
	case CMD_WRITE: {
		g_autoptr(GBytes) content = NULL;
		g_autoptr(GInputStream) stream = NULL;
		if (!suit_consumer_refuse_dependency(run, idx, "write", error))
			return FALSE;
		content = suit_consumer_param_bytes(run, idx, PARAM_CONTENT, error);
		if (content == NULL)
			return FALSE;
		if (suit_consumer_param(run, idx, PARAM_ENCRYPTION_INFO) != NULL) {
			if (g_bytes_get_size(content) > SUIT_CONSUMER_MAX_INLINE_CIPHERTEXT) {
				g_set_error(error,
					    SUIT_ERROR,
					    SUIT_ERROR_LIMIT_EXCEEDED,
					    "encrypted content is larger than %u bytes",
					    (guint)SUIT_CONSUMER_MAX_INLINE_CIPHERTEXT);
				return FALSE;
			}
			suit_consumer_trace(run, "write %u: %" G_GSIZE_FORMAT " encrypted bytes", idx, g_bytes_get_size(content));
			return suit_consumer_write_decrypted(run, idx, content, error);
		}
		stream = g_memory_input_stream_new_from_bytes(content);
		suit_consumer_trace(run, "write %u: %" G_GSIZE_FORMAT " bytes", idx, g_bytes_get_size(content));
		return suit_consumer_component_write(run, idx, stream, NULL, -1, error);
	}
	case CMD_FETCH: {
		g_autofree gchar *uri = NULL;
		gboolean matches = FALSE;
		if (!suit_consumer_refuse_encryption(run, idx, error))
			return FALSE;
		uri = suit_consumer_param_text(run, idx, PARAM_URI, error);
		if (uri == NULL)
			return FALSE;
		if (!suit_consumer_expected_image(run, idx, &expected, &size, error))
			return FALSE;
		/* nothing to do when the image is already there */
		if (expected != NULL && !suit_consumer_image_matches(run, idx, &matches, error))
			return FALSE;
		if (matches) {
			suit_consumer_trace(run, "fetch %u: %s (already present)", idx, uri);
			return TRUE;
		}
		suit_consumer_trace(run, "fetch %u: %s", idx, uri);
		return suit_consumer_component_fetch(run, idx, uri, expected, size, error);
	}
	case CMD_COPY: {
		guint source = 0;
		if (!suit_consumer_refuse_dependency(run, idx, "copy", error))
			return FALSE;
		if (!suit_consumer_source_index(run, idx, &source, error))
			return FALSE;
		if (suit_consumer_param(run, idx, PARAM_ENCRYPTION_INFO) != NULL) {
			/* decrypted in memory, CTR included: bounded */
			g_autoptr(GBytes) ciphertext =
			    suit_consumer_component_read(run, source, SUIT_ENCRYPTION_MAX_CIPHERTEXT_SIZE, error);
			if (ciphertext == NULL)
				return FALSE;
			suit_consumer_trace(run, "copy %u -> %u (decrypting)", source, idx);
			return suit_consumer_write_decrypted(run, idx, ciphertext, error);
		}
		if (!suit_consumer_expected_image(run, idx, &expected, &size, error))
			return FALSE;
		suit_consumer_trace(run, "copy %u -> %u", source, idx);
		return suit_consumer_component_copy(run, source, idx, expected, size, error);
	}
	case CMD_SWAP: {
		guint source = 0;
		if (!suit_consumer_refuse_dependency(run, idx, "swap", error))
			return FALSE;
		if (!suit_consumer_source_index(run, idx, &source, error))
			return FALSE;
		suit_consumer_trace(run, "swap %u <-> %u", source, idx);
		return suit_consumer_component_swap(run, source, idx, error);
	}
	case CMD_INVOKE: {
		g_autoptr(GBytes) args = NULL;
		g_autofree gchar *id = suit_component_id_to_string(suit_consumer_component(run, idx)->id);
		g_autofree gchar *hex = NULL;
		gboolean ok = FALSE;
		if (suit_consumer_param(run, idx, PARAM_INVOKE_ARGS) != NULL) {
			args = suit_consumer_param_bytes(run, idx, PARAM_INVOKE_ARGS, error);
			if (args == NULL)
				return FALSE;
		} else {
			args = g_bytes_new(NULL, 0);
		}
		hex = suit_hex_encode(args);
		suit_consumer_trace(run, "invoke %u: %s args h'%s'", idx, id, hex);
		g_signal_emit(run->self,
			      signals[SIGNAL_INVOKE],
			      0,
			      suit_consumer_component(run, idx)->id,
			      args,
			      &ok);
		return TRUE;
	}
	default:
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_UNSUPPORTED_COMMAND,
			    "directive %s (%" G_GINT64_FORMAT ") is not supported",
			    suit_command_code_to_string(code) != NULL ? suit_command_code_to_string(code) : "unknown",
			    code);
		return FALSE;
	}
}

/* command sequences -------------------------------------------------------------- */

static gboolean
suit_consumer_run_sequence(SuitConsumerRun *run,
			   SuitCommandSequence *sequence,
			   SuitSection section,
			   guint depth,
			   gboolean soft_default,
			   gboolean *failed_softly,
			   GError **error);

/* whether @idx names a component slot of the manifest (listed or a dependency) */
static gboolean
suit_consumer_slot_exists(SuitConsumerRun *run, guint64 idx)
{
	return idx < run->components->len && suit_consumer_component(run, (guint)idx)->id != NULL;
}

static gboolean
suit_consumer_select(SuitConsumerRun *run, SuitCommand *command, GError **error)
{
	GArray *indices = suit_command_get_component_indices(command);
	g_array_set_size(run->selected, 0);
	for (guint i = 0; indices != NULL && i < indices->len; i++) {
		guint idx = g_array_index(indices, guint, i);
		/* true: every component of suit-components, in their order */
		if (idx == SUIT_COMMAND_INDEX_ALL) {
			for (guint j = 0; j < run->n_listed; j++)
				g_array_append_val(run->selected, j);
			continue;
		}
		if (!suit_consumer_slot_exists(run, idx)) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_COMPONENT_UNSUPPORTED,
				    "component index %u is out of range (%u components)",
				    idx,
				    run->components->len);
			return FALSE;
		}
		g_array_append_val(run->selected, idx);
	}
	return TRUE;
}

static gboolean
suit_consumer_override_multiple(SuitConsumerRun *run, SuitConsumerScope *scope, SuitCommand *command, GError **error)
{
	g_autoptr(SuitCborItem) map =
	    suit_cbor_decode(suit_command_get_argument_cbor(command), NULL, SUIT_PARSE_FLAG_NONE, error);
	if (map == NULL)
		return FALSE;
	for (guint i = 0; i < suit_cbor_item_get_length(map); i++) {
		guint64 idx = 0;
		g_autoptr(GBytes) encoded = NULL;
		g_autoptr(SuitCborItem) wrapper = NULL;
		g_autoptr(SuitCommandSequence) sequence = NULL;
		SuitCommand *inner;
		if (!suit_cbor_item_get_uint(suit_cbor_map_get_key(map, i), &idx) || !suit_consumer_slot_exists(run, idx)) {
			g_set_error_literal(error,
					    SUIT_ERROR,
					    SUIT_ERROR_COMPONENT_UNSUPPORTED,
					    "override-multiple names a component that does not exist");
			return FALSE;
		}
		/* reuse the parameter parser: decode [20, params] as a one-command sequence */
		wrapper = suit_cbor_item_new_array();
		suit_cbor_array_append(wrapper, suit_cbor_item_new_uint(CMD_OVERRIDE_PARAMETERS));
		suit_cbor_array_append(wrapper, suit_cbor_item_ref(suit_cbor_map_get_value(map, i)));
		encoded = suit_cbor_encode(wrapper);
		sequence = suit_command_sequence_new_from_cbor(encoded, error);
		if (sequence == NULL)
			return FALSE;
		inner = suit_command_sequence_get_command(sequence, 0);
		if (!suit_consumer_apply_parameters(run, scope, (guint)idx, suit_command_get_parameters(inner), TRUE, error))
			return FALSE;
	}
	return TRUE;
}

static gboolean
suit_consumer_copy_params(SuitConsumerRun *run, SuitCommand *command, GError **error)
{
	g_autoptr(SuitCborItem) map =
	    suit_cbor_decode(suit_command_get_argument_cbor(command), NULL, SUIT_PARSE_FLAG_NONE, error);
	if (map == NULL)
		return FALSE;
	for (guint i = 0; i < suit_cbor_item_get_length(map); i++) {
		guint64 source = 0;
		SuitCborItem *keys = suit_cbor_map_get_value(map, i);
		if (!suit_cbor_item_get_uint(suit_cbor_map_get_key(map, i), &source) ||
		    !suit_consumer_slot_exists(run, source)) {
			g_set_error_literal(error,
					    SUIT_ERROR,
					    SUIT_ERROR_COMPONENT_UNSUPPORTED,
					    "copy-params names a component that does not exist");
			return FALSE;
		}
		for (guint s = 0; s < run->selected->len; s++) {
			guint idx = g_array_index(run->selected, guint, s);
			for (guint k = 0; k < suit_cbor_item_get_length(keys); k++) {
				gint64 key = 0;
				GBytes *value;
				if (!suit_cbor_item_get_int(suit_cbor_array_get(keys, k), &key))
					continue;
				value = suit_consumer_param(run, (guint)source, key);
				if (value != NULL && idx != source)
					suit_consumer_param_set(run, idx, key, value);
			}
		}
	}
	return TRUE;
}

static void
suit_consumer_note_failure(SuitConsumerRun *run, SuitSection section, SuitCommand *command, guint idx)
{
	SuitConsumerState *state = run->state;
	if (state->failure_recorded)
		return;
	state->failure_recorded = TRUE;
	state->failed_section = section;
	state->failed_offset = suit_command_get_offset(command);
	state->failed_component = idx;
	state->failed_command = suit_command_get_code(command);
	g_clear_pointer(&state->failed_manifest_id, g_array_unref);
	state->failed_manifest_id = g_array_copy(run->manifest_id);
	g_clear_pointer(&state->failed_params, g_hash_table_unref);
	if (idx < run->components->len && suit_consumer_component(run, idx)->params != NULL)
		state->failed_params = g_hash_table_ref(suit_consumer_component(run, idx)->params);
}

/* runs a nested sequence once per selected component, each seeing one index */
static gboolean
suit_consumer_run_nested(SuitConsumerRun *run,
			 SuitCommand *command,
			 SuitSection section,
			 guint depth,
			 GError **error)
{
	g_autoptr(GArray) saved = g_array_copy(run->selected);
	gboolean ok = TRUE;

	for (guint s = 0; ok && s < MAX(saved->len, 1); s++) {
		gint64 code = suit_command_get_code(command);
		g_array_set_size(run->selected, 0);
		if (saved->len > 0)
			g_array_append_val(run->selected, g_array_index(saved, guint, s));
		if (code == CMD_RUN_SEQUENCE) {
			gboolean soft = FALSE;
			g_autoptr(GError) error_local = NULL;
			if (!suit_consumer_run_sequence(run,
							suit_command_get_sequence(command),
							section,
							depth + 1,
							FALSE,
							&soft,
							&error_local)) {
				/* with soft-failure a failed condition just ends the sequence */
				if (soft && g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_CONDITION_FAILED))
					continue;
				g_propagate_error(error, g_steal_pointer(&error_local));
				ok = FALSE;
			}
		} else {
			GPtrArray *sequences = suit_command_get_sequences(command);
			gboolean done = FALSE;
			g_autoptr(GError) last_error = NULL;
			for (guint i = 0; !done && i < sequences->len; i++) {
				gboolean soft = FALSE;
				g_clear_error(&last_error);
				if (suit_consumer_run_sequence(run,
							       g_ptr_array_index(sequences, i),
							       section,
							       depth + 1,
							       TRUE,
							       &soft,
							       &last_error)) {
					done = TRUE;
				} else if (!soft || !g_error_matches(last_error, SUIT_ERROR, SUIT_ERROR_CONDITION_FAILED)) {
					g_propagate_error(error, g_steal_pointer(&last_error));
					ok = FALSE;
					break;
				}
			}
			if (ok && !done && !suit_command_get_has_empty_fallback(command)) {
				g_set_error_literal(error,
						    SUIT_ERROR,
						    SUIT_ERROR_CONDITION_FAILED,
						    "no sequence of try-each succeeded");
				if (last_error != NULL)
					g_prefix_error(error, "%s: ", last_error->message);
				ok = FALSE;
			}
		}
	}
	g_array_set_size(run->selected, 0);
	g_array_append_vals(run->selected, saved->data, saved->len);
	return ok;
}

static gboolean
suit_consumer_run_command(SuitConsumerRun *run,
			  SuitConsumerScope *scope,
			  SuitCommand *command,
			  SuitSection section,
			  GError **error)
{
	gint64 code = suit_command_get_code(command);
	SuitCommandKind kind = suit_command_get_kind(command);

	if (code == CMD_SET_COMPONENT_INDEX)
		return suit_consumer_select(run, command, error);
	if (code == CMD_TRY_EACH || code == CMD_RUN_SEQUENCE) {
		if (scope->depth + 1 > SUIT_CONSUMER_MAX_DEPTH) {
			g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_LIMIT_EXCEEDED, "command sequences nest too deep");
			return FALSE;
		}
		return suit_consumer_run_nested(run, command, section, scope->depth, error);
	}
	if (code == CMD_OVERRIDE_MULTIPLE)
		return suit_consumer_override_multiple(run, scope, command, error);
	if (code == CMD_COPY_PARAMS)
		return suit_consumer_copy_params(run, command, error);

	if (run->selected->len == 0) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "%s without a component: a manifest with several components must set the component index first",
			    suit_command_get_name(command) != NULL ? suit_command_get_name(command) : "command");
		return FALSE;
	}
	for (guint s = 0; s < run->selected->len; s++) {
		guint idx = g_array_index(run->selected, guint, s);
		gboolean ok;
		if (g_cancellable_set_error_if_cancelled(run->cancellable, error))
			return FALSE;
		if (code == CMD_OVERRIDE_PARAMETERS || code == CMD_SET_PARAMETERS) {
			ok = suit_consumer_apply_parameters(run,
							    scope,
							    idx,
							    suit_command_get_parameters(command),
							    code == CMD_OVERRIDE_PARAMETERS,
							    error);
		} else if (kind == SUIT_COMMAND_KIND_CONDITION) {
			ok = suit_consumer_run_condition(run, code, idx, error);
		} else if (kind == SUIT_COMMAND_KIND_DIRECTIVE) {
			ok = suit_consumer_run_directive(run, command, section, idx, error);
		} else {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_UNSUPPORTED_COMMAND,
				    "command %" G_GINT64_FORMAT " is not supported",
				    code);
			ok = FALSE;
		}
		if (!ok) {
			suit_consumer_note_failure(run, section, command, idx);
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
suit_consumer_run_sequence(SuitConsumerRun *run,
			   SuitCommandSequence *sequence,
			   SuitSection section,
			   guint depth,
			   gboolean soft_default,
			   gboolean *failed_softly,
			   GError **error)
{
	SuitConsumerScope scope = {.soft_failure = soft_default, .depth = depth};

	for (guint i = 0; i < suit_command_sequence_get_length(sequence); i++) {
		SuitCommand *command = suit_command_sequence_get_command(sequence, i);
		if (!suit_consumer_run_command(run, &scope, command, section, error)) {
			*failed_softly = scope.soft_failure;
			/* a condition that failed softly is not the run's failure */
			if (scope.soft_failure && depth > 0)
				run->state->failure_recorded = FALSE;
			return FALSE;
		}
	}
	return TRUE;
}

/* runs the shared sequence, then @section, from a fresh component selection */
static gboolean
suit_consumer_run_section(SuitConsumerRun *run, SuitSection section, GError **error)
{
	SuitCommandSequence *shared = suit_manifest_get_sequence(run->manifest, SUIT_SECTION_SHARED);
	SuitCommandSequence *sequence = suit_manifest_get_sequence(run->manifest, section);
	gboolean soft = FALSE;
	guint zero = 0;

	if (suit_manifest_get_member_state(run->manifest, section) == SUIT_MEMBER_STATE_SEVERED) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_NOT_FOUND,
			    "%s is severed and the envelope does not carry it",
			    suit_section_to_string(section));
		return FALSE;
	}
	if (sequence == NULL)
		return TRUE;
	g_array_set_size(run->selected, 0);
	if (run->n_listed == 1)
		g_array_append_val(run->selected, zero);
	if (shared != NULL) {
		if (!suit_consumer_run_sequence(run, shared, SUIT_SECTION_SHARED, 0, FALSE, &soft, error)) {
			g_prefix_error(error, "shared sequence: ");
			return FALSE;
		}
	}
	g_array_set_size(run->selected, 0);
	if (run->n_listed == 1)
		g_array_append_val(run->selected, zero);
	if (!suit_consumer_run_sequence(run, sequence, section, 0, FALSE, &soft, error)) {
		g_prefix_error(error, "%s: ", suit_section_to_string(section));
		return FALSE;
	}
	return TRUE;
}

/* the commands the processor executes; anything else fails the run */
static gboolean
suit_consumer_command_supported(gint64 code)
{
	switch (code) {
	case CMD_VENDOR_ID:
	case CMD_CLASS_ID:
	case CMD_IMAGE_MATCH:
	case CMD_USE_BEFORE:
	case CMD_COMPONENT_SLOT:
	case CMD_CHECK_CONTENT:
	case CMD_DEPENDENCY_INTEGRITY:
	case CMD_IS_DEPENDENCY:
	case CMD_PROCESS_DEPENDENCY:
	case CMD_SET_COMPONENT_INDEX:
	case CMD_ABORT:
	case CMD_TRY_EACH:
	case CMD_WRITE:
	case CMD_SET_PARAMETERS:
	case CMD_OVERRIDE_PARAMETERS:
	case CMD_FETCH:
	case CMD_COPY:
	case CMD_INVOKE:
	case CMD_DEVICE_ID:
	case CMD_IMAGE_NOT_MATCH:
	case CMD_MINIMUM_BATTERY:
	case CMD_UPDATE_AUTHORIZED:
	case CMD_VERSION:
	case CMD_SWAP:
	case CMD_RUN_SEQUENCE:
	case CMD_UNLINK:
	case CMD_OVERRIDE_MULTIPLE:
	case CMD_COPY_PARAMS:
		return TRUE;
	default:
		return FALSE;
	}
}

static gboolean
suit_consumer_check_sequence(SuitConsumerRun *run,
			     SuitCommandSequence *sequence,
			     SuitSection section,
			     guint depth,
			     GError **error)
{
	for (guint i = 0; i < suit_command_sequence_get_length(sequence); i++) {
		SuitCommand *command = suit_command_sequence_get_command(sequence, i);
		gint64 code = suit_command_get_code(command);
		SuitParameters *params = suit_command_get_parameters(command);

		if (!suit_consumer_command_supported(code)) {
			suit_consumer_note_failure(run, section, command, 0);
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_UNSUPPORTED_COMMAND,
				    "command %s (%" G_GINT64_FORMAT ") is not supported",
				    suit_command_code_to_string(code) != NULL ? suit_command_code_to_string(code)
									      : (code <= -257 ? "custom" : "unknown"),
				    code);
			return FALSE;
		}
		if ((code == CMD_SET_PARAMETERS || code == CMD_OVERRIDE_PARAMETERS) && params != NULL) {
			for (guint k = 0; k < suit_parameters_get_size(params); k++) {
				gint64 key = suit_parameters_get_key(params, k);
				if (suit_consumer_param_supported(key))
					continue;
				suit_consumer_note_failure(run, section, command, 0);
				g_set_error(error,
					    SUIT_ERROR,
					    SUIT_ERROR_UNSUPPORTED_PARAMETER,
					    "parameter %s (%" G_GINT64_FORMAT ") is not supported",
					    suit_parameter_to_string(key) != NULL ? suit_parameter_to_string(key) : "custom",
					    key);
				return FALSE;
			}
		}
		if (code == CMD_TRY_EACH || code == CMD_RUN_SEQUENCE) {
			GPtrArray *sequences = suit_command_get_sequences(command);
			if (depth + 1 > SUIT_CONSUMER_MAX_DEPTH) {
				suit_consumer_note_failure(run, section, command, 0);
				g_set_error_literal(error,
						    SUIT_ERROR,
						    SUIT_ERROR_LIMIT_EXCEEDED,
						    "command sequences nest too deep");
				return FALSE;
			}
			if (code == CMD_RUN_SEQUENCE && suit_command_get_sequence(command) != NULL &&
			    !suit_consumer_check_sequence(run, suit_command_get_sequence(command), section, depth + 1, error))
				return FALSE;
			for (guint j = 0; code == CMD_TRY_EACH && sequences != NULL && j < sequences->len; j++) {
				if (!suit_consumer_check_sequence(run, g_ptr_array_index(sequences, j), section, depth + 1, error))
					return FALSE;
			}
		}
	}
	return TRUE;
}

/*
 * Before anything runs, every command and parameter of the shared sequence and
 * of @section must be supported: a manifest the processor cannot carry out is
 * refused before it fetches or writes anything.
 */
static gboolean
suit_consumer_check_section(SuitConsumerRun *run, SuitSection section, GError **error)
{
	const SuitSection sections[] = {SUIT_SECTION_SHARED, section};
	for (guint i = 0; i < G_N_ELEMENTS(sections); i++) {
		SuitCommandSequence *sequence = suit_manifest_get_sequence(run->manifest, sections[i]);
		if (sequence == NULL)
			continue;
		if (!suit_consumer_check_sequence(run, sequence, sections[i], 0, error)) {
			g_prefix_error(error,
				       "%s: ",
				       sections[i] == SUIT_SECTION_SHARED ? "shared sequence"
									  : suit_section_to_string(sections[i]));
			return FALSE;
		}
	}
	return TRUE;
}

/* storage and fetching, implemented ------------------------------------------------ */

/* without an image-size, a fetched payload may not grow beyond this */
#define SUIT_CONSUMER_MAX_PAYLOAD_SIZE ((guint64)4 * 1024 * 1024 * 1024)

static SuitDigest *
suit_consumer_component_digest(SuitConsumerRun *run, guint idx, gint algorithm, GError **error)
{
	return suit_store_get_digest(run->self->store,
				     suit_consumer_component(run, idx)->id,
				     (SuitDigestAlgorithm)algorithm,
				     run->cancellable,
				     error);
}

static GBytes *
suit_consumer_component_read(SuitConsumerRun *run, guint idx, gsize max_size, GError **error)
{
	if (suit_consumer_is_dependency(run, idx)) {
		g_autoptr(GError) error_local = NULL;
		g_autoptr(GBytes) blob = suit_consumer_dependency_bytes(run, idx, &error_local);
		if (blob == NULL) {
			/* nothing fetched: nothing there */
			if (g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_FETCH_FAILED)) {
				g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND, error_local->message);
				return NULL;
			}
			g_propagate_error(error, g_steal_pointer(&error_local));
			return NULL;
		}
		if (g_bytes_get_size(blob) > max_size) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_LIMIT_EXCEEDED,
				    "dependency %u is larger than %" G_GSIZE_FORMAT " bytes",
				    idx,
				    max_size);
			return NULL;
		}
		return g_steal_pointer(&blob);
	}
	return suit_store_read_bytes(run->self->store,
				     suit_consumer_component(run, idx)->id,
				     max_size,
				     run->cancellable,
				     error);
}

static SuitStoreWriter *
suit_consumer_begin_write(SuitConsumerRun *run, guint idx, SuitDigest *expected, GError **error)
{
	g_autoptr(SuitStoreWriter) writer = suit_store_begin_write(run->self->store,
								   suit_consumer_component(run, idx)->id,
								   SUIT_STORE_WRITE_FLAG_NONE,
								   run->cancellable,
								   error);
	if (writer == NULL)
		return NULL;
	if (expected != NULL &&
	    !suit_store_writer_set_digest_algorithm(writer, suit_digest_get_algorithm(expected), error)) {
		suit_store_writer_abort(writer);
		return NULL;
	}
	return g_steal_pointer(&writer);
}

static gboolean
suit_consumer_finish_write(SuitConsumerRun *run,
			   SuitStoreWriter *writer,
			   gboolean ok,
			   SuitDigest *expected,
			   gint64 expected_size,
			   GError **error)
{
	if (!ok || !suit_store_writer_commit(writer, expected, expected_size, run->cancellable, error)) {
		suit_store_writer_abort(writer);
		return FALSE;
	}
	return TRUE;
}

static gboolean
suit_consumer_component_write(SuitConsumerRun *run,
			      guint idx,
			      GInputStream *source,
			      SuitDigest *expected,
			      gint64 expected_size,
			      GError **error)
{
	g_autoptr(SuitStoreWriter) writer = suit_consumer_begin_write(run, idx, expected, error);
	if (writer == NULL)
		return FALSE;
	return suit_consumer_finish_write(run,
					  writer,
					  suit_store_writer_write_stream(writer, source, run->cancellable, error),
					  expected,
					  expected_size,
					  error);
}

/*
 * A dependency envelope is fetched into memory (it is small and must be
 * parsed anyway) and kept there until the procedure succeeded. The
 * image-size of a dependency bounds the fetch: the shared TEEP example gives
 * the size of the tagged envelope while serving it untagged. With an
 * image-digest, the fetched envelope must have that manifest digest.
 */
static gboolean
suit_consumer_dependency_fetch(SuitConsumerRun *run,
			       guint idx,
			       const gchar *uri,
			       SuitDigest *expected,
			       gint64 expected_size,
			       GError **error)
{
	SuitConsumerComponent *component = suit_consumer_component(run, idx);
	guint64 max_size = SUIT_CONSUMER_MAX_DEPENDENCY_SIZE;
	g_autoptr(GBytes) blob = NULL;

	if (expected_size >= 0 && (guint64)expected_size < max_size)
		max_size = (guint64)expected_size;
	if (max_size == 0) {
		g_set_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "dependency %u has an image-size of 0", idx);
		return FALSE;
	}
	if (uri[0] == '#') {
		GBytes *integrated = suit_envelope_get_integrated(run->envelope, uri);
		if (integrated == NULL) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_FETCH_FAILED,
				    "the envelope has no integrated dependency %s",
				    uri);
			return FALSE;
		}
		if (g_bytes_get_size(integrated) > max_size)
			return suit_fetcher_limit_exceeded(uri, g_bytes_get_size(integrated), max_size, error);
		blob = g_bytes_ref(integrated);
	} else {
		g_autoptr(GError) error_local = NULL;
		if (run->self->fetcher == NULL) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_FETCH_FAILED,
				    "no fetcher is configured to fetch dependency %s",
				    uri);
			return FALSE;
		}
		blob = suit_fetcher_fetch_bytes(run->self->fetcher,
						uri,
						max_size,
						SUIT_FETCH_FLAG_NONE,
						run->progress,
						run->cancellable,
						&error_local);
		if (blob == NULL) {
			/* a dependency that is not there is a failed fetch, whatever the transport says */
			if (g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_NOT_FOUND)) {
				g_set_error(error,
					    SUIT_ERROR,
					    SUIT_ERROR_FETCH_FAILED,
					    "dependency %s is missing: %s",
					    uri,
					    error_local->message);
				return FALSE;
			}
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
	}
	if (expected != NULL) {
		g_autoptr(SuitDigest) actual = suit_consumer_envelope_digest(blob, suit_digest_get_algorithm(expected), error);
		if (actual == NULL) {
			g_prefix_error(error, "dependency fetched from %s: ", uri);
			return FALSE;
		}
		if (!suit_digest_equal(expected, actual)) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_DIGEST_MISMATCH,
				    "the dependency fetched from %s does not have the expected manifest digest",
				    uri);
			return FALSE;
		}
	}
	g_hash_table_replace(run->state->staged, suit_component_id_ref(component->id), g_steal_pointer(&blob));
	/* what dependency-integrity checked is gone */
	g_clear_object(&component->dependency);
	return TRUE;
}

static gboolean
suit_consumer_component_fetch(SuitConsumerRun *run,
			      guint idx,
			      const gchar *uri,
			      SuitDigest *expected,
			      gint64 expected_size,
			      GError **error)
{
	g_autoptr(SuitStoreWriter) writer = NULL;
	gboolean ok;

	if (suit_consumer_is_dependency(run, idx))
		return suit_consumer_dependency_fetch(run, idx, uri, expected, expected_size, error);

	/* "#name": a payload integrated in the envelope */
	if (uri[0] == '#') {
		GBytes *payload = suit_envelope_get_integrated(run->envelope, uri);
		g_autoptr(GInputStream) stream = NULL;
		if (payload == NULL) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_FETCH_FAILED,
				    "the envelope has no integrated payload %s",
				    uri);
			return FALSE;
		}
		stream = g_memory_input_stream_new_from_bytes(payload);
		return suit_consumer_component_write(run, idx, stream, expected, expected_size, error);
	}
	if (run->self->fetcher == NULL) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_FETCH_FAILED,
			    "no fetcher is configured to fetch %s",
			    uri);
		return FALSE;
	}
	writer = suit_consumer_begin_write(run, idx, expected, error);
	if (writer == NULL)
		return FALSE;
	ok = suit_fetcher_fetch(run->self->fetcher,
				uri,
				G_OUTPUT_STREAM(writer),
				expected_size >= 0 ? (guint64)expected_size : SUIT_CONSUMER_MAX_PAYLOAD_SIZE,
				SUIT_FETCH_FLAG_NONE,
				run->progress,
				run->cancellable,
				error);
	return suit_consumer_finish_write(run, writer, ok, expected, expected_size, error);
}

static gboolean
suit_consumer_component_copy(SuitConsumerRun *run,
			     guint source,
			     guint idx,
			     SuitDigest *expected,
			     gint64 expected_size,
			     GError **error)
{
	g_autoptr(GInputStream) stream = suit_store_read_component(run->self->store,
								   suit_consumer_component(run, source)->id,
								   run->cancellable,
								   error);
	if (stream == NULL)
		return FALSE;
	return suit_consumer_component_write(run, idx, stream, expected, expected_size, error);
}

/*
 * Both images are streamed into new writes before either is committed, so a
 * failure while copying leaves both components as they were; the two commits
 * themselves are separate atomic steps.
 */
static gboolean
suit_consumer_component_swap(SuitConsumerRun *run, guint a, guint b, GError **error)
{
	g_autoptr(GInputStream) stream_a = NULL;
	g_autoptr(GInputStream) stream_b = NULL;
	g_autoptr(SuitStoreWriter) writer_a = NULL;
	g_autoptr(SuitStoreWriter) writer_b = NULL;

	stream_a = suit_store_read_component(run->self->store, suit_consumer_component(run, a)->id, run->cancellable, error);
	if (stream_a == NULL)
		return FALSE;
	stream_b = suit_store_read_component(run->self->store, suit_consumer_component(run, b)->id, run->cancellable, error);
	if (stream_b == NULL)
		return FALSE;
	writer_a = suit_consumer_begin_write(run, a, NULL, error);
	if (writer_a == NULL)
		return FALSE;
	writer_b = suit_consumer_begin_write(run, b, NULL, error);
	if (writer_b == NULL) {
		suit_store_writer_abort(writer_a);
		return FALSE;
	}
	if (!suit_store_writer_write_stream(writer_a, stream_b, run->cancellable, error) ||
	    !suit_store_writer_write_stream(writer_b, stream_a, run->cancellable, error)) {
		suit_store_writer_abort(writer_a);
		suit_store_writer_abort(writer_b);
		return FALSE;
	}
	if (!suit_consumer_finish_write(run, writer_a, TRUE, NULL, -1, error)) {
		suit_store_writer_abort(writer_b);
		return FALSE;
	}
	return suit_consumer_finish_write(run, writer_b, TRUE, NULL, -1, error);
}

/* procedures --------------------------------------------------------------------- */

static void
suit_consumer_slot_init(SuitConsumerRun *run, guint idx, SuitComponentId *id, gboolean is_dependency)
{
	SuitConsumerComponent *component = suit_consumer_component(run, idx);
	GHashTable *params = g_hash_table_lookup(run->state->params, id);

	/* parameter storage is shared by every manifest naming the same component */
	if (params == NULL) {
		params = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, (GDestroyNotify)g_bytes_unref);
		g_hash_table_insert(run->state->params, suit_component_id_ref(id), params);
	}
	component->id = suit_component_id_ref(id);
	component->params = g_hash_table_ref(params);
	component->is_dependency = is_dependency;
	if (!is_dependency &&
	    !g_ptr_array_find_with_equal_func(run->state->claimed, id, (GEqualFunc)suit_component_id_equal, NULL))
		g_ptr_array_add(run->state->claimed, suit_component_id_ref(id));
}

static gboolean
suit_consumer_dependency_listed(GArray *dependencies, guint idx)
{
	for (guint i = 0; dependencies != NULL && i < dependencies->len; i++) {
		if (g_array_index(dependencies, guint, i) == idx)
			return TRUE;
	}
	return FALSE;
}

/*
 * Parameter storage for the components of suit-components and the
 * dependencies of suit-dependencies. A dependency index beyond the components
 * list (as in the trust-domains examples) is an extra slot named by its
 * dependency-prefix; indices that nothing names stay empty and cannot be
 * selected.
 */
static gboolean
suit_consumer_setup(SuitConsumerRun *run, GError **error)
{
	GPtrArray *ids = suit_manifest_get_components(run->manifest);
	GArray *dependencies = suit_manifest_get_dependency_indices(run->manifest);
	guint n_ids = ids != NULL ? ids->len : 0;
	guint n_slots = n_ids;

	if (n_ids == 0 && (dependencies == NULL || dependencies->len == 0)) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "the manifest lists no components");
		return FALSE;
	}
	if (n_ids > SUIT_CONSUMER_MAX_SLOTS) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_LIMIT_EXCEEDED,
			    "the manifest lists %u components, more than the %u supported",
			    n_ids,
			    (guint)SUIT_CONSUMER_MAX_SLOTS);
		return FALSE;
	}
	for (guint i = 0; dependencies != NULL && i < dependencies->len; i++) {
		guint idx = g_array_index(dependencies, guint, i);
		if (idx >= SUIT_CONSUMER_MAX_SLOTS) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_LIMIT_EXCEEDED,
				    "dependency index %u is beyond the %u component slots supported",
				    idx,
				    (guint)SUIT_CONSUMER_MAX_SLOTS);
			return FALSE;
		}
		if (idx >= n_ids && suit_manifest_get_dependency_prefix(run->manifest, idx) == NULL) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "dependency %u is neither a listed component nor has a dependency-prefix",
				    idx);
			return FALSE;
		}
		n_slots = MAX(n_slots, idx + 1);
	}

	run->components = g_array_sized_new(FALSE, TRUE, sizeof(SuitConsumerComponent), n_slots);
	g_array_set_clear_func(run->components, (GDestroyNotify)suit_consumer_component_clear);
	g_array_set_size(run->components, n_slots);
	run->n_listed = n_ids;
	for (guint i = 0; i < n_ids; i++)
		suit_consumer_slot_init(run, i, g_ptr_array_index(ids, i), suit_consumer_dependency_listed(dependencies, i));
	for (guint i = 0; dependencies != NULL && i < dependencies->len; i++) {
		guint idx = g_array_index(dependencies, guint, i);
		if (idx < n_ids || suit_consumer_component(run, idx)->id != NULL)
			continue;
		suit_consumer_slot_init(run, idx, suit_manifest_get_dependency_prefix(run->manifest, idx), TRUE);
	}
	run->selected = g_array_new(FALSE, FALSE, sizeof(guint));
	if (run->manifest_id == NULL)
		run->manifest_id = g_array_new(FALSE, FALSE, sizeof(guint));
	return TRUE;
}

static void
suit_consumer_add_properties(SuitReportProperties *properties, GHashTable *params, const gint64 *keys, guint n_keys)
{
	for (guint i = 0; params != NULL && i < n_keys; i++) {
		GBytes *value = g_hash_table_lookup(params, &keys[i]);
		if (value != NULL && !suit_report_properties_add_cbor(properties, keys[i], value, NULL))
			continue;
	}
}

static void
suit_consumer_report_failure(SuitConsumerRun *run, const GError *error)
{
	SuitFirmwareConsumer *self = run->self;
	SuitConsumerState *state = run->state;
	g_autoptr(SuitReportRecord) record = NULL;

	if (state->failure_recorded) {
		g_autoptr(SuitReportProperties) properties = suit_report_properties_new();
		const gint64 keys[] = {PARAM_VENDOR_ID, PARAM_CLASS_ID, PARAM_IMAGE_DIGEST, PARAM_IMAGE_SIZE, PARAM_URI};
		/* the shared sequence lives in suit-common (manifest key 3) */
		record = suit_report_record_new(state->failed_section == SUIT_SECTION_SHARED ? SUIT_MANIFEST_KEY_COMMON
											    : state->failed_section,
						state->failed_offset,
						state->failed_component);
		/* the path of dependency indices to the manifest that failed, [] for the root */
		for (guint i = 0; state->failed_manifest_id != NULL && i < state->failed_manifest_id->len; i++)
			suit_report_record_append_manifest_id(record, g_array_index(state->failed_manifest_id, guint, i));
		suit_consumer_add_properties(properties, state->failed_params, keys, G_N_ELEMENTS(keys));
		suit_report_record_set_properties(record, properties);
		suit_report_add_record(self->report, record);
	}
	suit_report_set_result_failure(self->report,
				       error->domain == SUIT_ERROR ? error->code : -1,
				       record,
				       suit_report_reason_from_error(error));
}

/* what the device now has, as system property claims: every component the
 * manifest and its dependencies named, dependency manifests aside */
static void
suit_consumer_report_claims(SuitConsumerRun *run)
{
	for (guint i = 0; i < run->state->claimed->len; i++) {
		SuitComponentId *id = g_ptr_array_index(run->state->claimed, i);
		g_autoptr(SuitReportProperties) properties = suit_report_properties_new();
		const gint64 keys[] = {PARAM_VENDOR_ID, PARAM_CLASS_ID, PARAM_IMAGE_DIGEST, PARAM_IMAGE_SIZE};
		suit_consumer_add_properties(properties,
					     g_hash_table_lookup(run->state->params, id),
					     keys,
					     G_N_ELEMENTS(keys));
		suit_report_add_system_property_claims(run->self->report, id, properties);
	}
}

/* after a successful update: the dependency envelopes, then all sequence numbers */
static gboolean
suit_consumer_commit(SuitConsumerRun *run, SuitComponentId *manifest_id, guint64 sequence_number, GError **error)
{
	GHashTableIter iter;
	gpointer key;
	gpointer value;

	g_hash_table_iter_init(&iter, run->state->staged);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		if (!suit_store_write_bytes(run->self->store,
					    key,
					    value,
					    NULL,
					    SUIT_STORE_WRITE_FLAG_NONE,
					    run->cancellable,
					    error)) {
			g_prefix_error(error, "failed to store a dependency: ");
			return FALSE;
		}
	}
	g_hash_table_iter_init(&iter, run->state->sequence_numbers);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		if (!suit_store_set_sequence_number(run->self->store, key, *(guint64 *)value, run->cancellable, error))
			return FALSE;
	}
	return suit_store_set_sequence_number(run->self->store, manifest_id, sequence_number, run->cancellable, error);
}

static gboolean
suit_consumer_process(SuitFirmwareConsumer *self,
		      SuitEnvelope *envelope,
		      const SuitSection *sections,
		      guint n_sections,
		      gboolean update,
		      SuitProgress *progress,
		      GCancellable *cancellable,
		      GError **error)
{
	g_auto(SuitConsumerState) state = {0};
	g_auto(SuitConsumerRun) run = {
	    .self = self,
	    .state = &state,
	    .envelope = envelope,
	    .progress = progress,
	    .cancellable = cancellable,
	};
	g_autoptr(GError) error_local = NULL;
	SuitComponentId *manifest_id;
	guint64 stored = 0;
	guint64 sequence_number;

	suit_consumer_state_init(&state);
	g_ptr_array_set_size(self->trace, 0);
	g_clear_object(&self->report);
	self->report = suit_report_new();

	/* 1. nothing is parsed or run before the envelope verified */
	if (!suit_envelope_verify(envelope, self->keyring, SUIT_VERIFY_FLAG_NONE, &error_local)) {
		g_autoptr(SuitDigest) computed = NULL;
		SuitDigest *digest = suit_envelope_get_manifest_digest(envelope);
		if (digest == NULL) {
			/* no authentication wrapper at all: name the manifest by the
			 * digest it would have had (over the bstr-wrapped manifest) */
			g_autoptr(SuitCborItem) bstr = suit_cbor_item_new_bytes(suit_envelope_get_manifest_bytes(envelope));
			g_autoptr(GBytes) encoded = suit_cbor_encode(bstr);
			computed = suit_digest_compute(SUIT_DIGEST_ALGORITHM_SHA256, encoded, NULL);
			digest = computed;
		}
		suit_report_set_reference(self->report, "", digest);
		suit_consumer_report_failure(&run, error_local);
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	run.manifest = suit_envelope_get_manifest(envelope, NULL);
	suit_report_set_reference(self->report,
				  suit_manifest_get_reference_uri(run.manifest) != NULL
				      ? suit_manifest_get_reference_uri(run.manifest)
				      : "",
				  suit_envelope_get_manifest_digest(envelope));

	/* 2. anti-rollback, per manifest (component id, or the root manifest) */
	manifest_id = suit_manifest_get_manifest_component_id(run.manifest);
	sequence_number = suit_manifest_get_sequence_number(run.manifest);
	if (!suit_store_get_sequence_number(self->store, manifest_id, &stored, cancellable, &error_local)) {
		if (!g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_NOT_FOUND)) {
			suit_consumer_report_failure(&run, error_local);
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
		g_clear_error(&error_local);
	} else if (sequence_number < stored) {
		g_set_error(&error_local,
			    SUIT_ERROR,
			    SUIT_ERROR_ROLLBACK,
			    "sequence number %" G_GUINT64_FORMAT " is lower than the installed %" G_GUINT64_FORMAT,
			    sequence_number,
			    stored);
		suit_consumer_report_failure(&run, error_local);
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}

	/* 3. parameter storage, a check that everything is supported, then the sequences in order */
	if (!suit_consumer_setup(&run, &error_local)) {
		suit_consumer_report_failure(&run, error_local);
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	for (guint i = 0; i < n_sections; i++) {
		if (!suit_consumer_check_section(&run, sections[i], &error_local)) {
			suit_consumer_report_failure(&run, error_local);
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
	}
	for (guint i = 0; i < n_sections; i++) {
		if (!suit_consumer_run_section(&run, sections[i], &error_local)) {
			suit_consumer_report_failure(&run, error_local);
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
	}

	if (update && !suit_consumer_commit(&run, manifest_id, sequence_number, &error_local)) {
		suit_consumer_report_failure(&run, error_local);
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	suit_consumer_report_claims(&run);
	suit_report_set_result_success(self->report);
	return TRUE;
}

/**
 * suit_firmware_consumer_update:
 * @self: a #SuitFirmwareConsumer
 * @envelope: the envelope to install
 * @progress: (nullable): a #SuitProgress
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError, or %NULL
 *
 * Runs the Update procedure: verifies @envelope, refuses a rollback, checks
 * that every command and parameter of the procedure is supported, then runs
 * dependency-resolution, payload-fetch, candidate-verification, install
 * and validate, each after the shared sequence. Dependency manifests
 * (trust-domains) are fetched, verified with the same keyring and processed
 * in lockstep with the dependent, at most four levels deep.
 *
 * On success the dependency envelopes fetched are stored under their
 * component slots, and the sequence numbers of the manifest and of every
 * dependency processed (keyed by their manifest-component-id) are stored. A
 * run that fails before writing a component leaves the store as it was;
 * images already written by an earlier step of a failed run stay pending.
 * A report of the run, success or failure, is available from
 * suit_firmware_consumer_get_report() afterwards.
 *
 * Returns: %TRUE if the update was installed and validated
 *
 * Since: 0.1
 */
gboolean
suit_firmware_consumer_update(SuitFirmwareConsumer *self,
			      SuitEnvelope *envelope,
			      SuitProgress *progress,
			      GCancellable *cancellable,
			      GError **error)
{
	const SuitSection sections[] = {
	    SUIT_SECTION_DEPENDENCY_RESOLUTION,
	    SUIT_SECTION_PAYLOAD_FETCH,
	    SUIT_SECTION_CANDIDATE_VERIFICATION,
	    SUIT_SECTION_INSTALL,
	    SUIT_SECTION_VALIDATE,
	};
	g_return_val_if_fail(SUIT_IS_FIRMWARE_CONSUMER(self), FALSE);
	g_return_val_if_fail(SUIT_IS_ENVELOPE(envelope), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
	return suit_consumer_process(self, envelope, sections, G_N_ELEMENTS(sections), TRUE, progress, cancellable, error);
}

/**
 * suit_firmware_consumer_invoke:
 * @self: a #SuitFirmwareConsumer
 * @envelope: the envelope of the installed image
 * @progress: (nullable): a #SuitProgress
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError, or %NULL
 *
 * Runs the Invocation procedure: verifies @envelope, refuses a rollback,
 * then runs validate, load and invoke, each after the shared sequence. The
 * #SuitFirmwareConsumer::invoke signal is emitted for each invoke directive.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
suit_firmware_consumer_invoke(SuitFirmwareConsumer *self,
			      SuitEnvelope *envelope,
			      SuitProgress *progress,
			      GCancellable *cancellable,
			      GError **error)
{
	const SuitSection sections[] = {
	    SUIT_SECTION_VALIDATE,
	    SUIT_SECTION_LOAD,
	    SUIT_SECTION_INVOKE,
	};
	g_return_val_if_fail(SUIT_IS_FIRMWARE_CONSUMER(self), FALSE);
	g_return_val_if_fail(SUIT_IS_ENVELOPE(envelope), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
	return suit_consumer_process(self, envelope, sections, G_N_ELEMENTS(sections), FALSE, progress, cancellable, error);
}

/**
 * suit_firmware_consumer_uninstall:
 * @self: a #SuitFirmwareConsumer
 * @envelope: the envelope of the installed manifest
 * @progress: (nullable): a #SuitProgress
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError, or %NULL
 *
 * Runs the uninstall sequence (trust-domains suit-uninstall, 24) after the
 * shared sequence: verifies @envelope, refuses a rollback, then typically
 * unlinks (removes) the manifest's components from the store. Unlinking a
 * dependency removes its stored envelope and the components its manifest
 * lists; no reference counts are kept across manifests.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
suit_firmware_consumer_uninstall(SuitFirmwareConsumer *self,
				 SuitEnvelope *envelope,
				 SuitProgress *progress,
				 GCancellable *cancellable,
				 GError **error)
{
	const SuitSection sections[] = {SUIT_SECTION_UNINSTALL};
	g_return_val_if_fail(SUIT_IS_FIRMWARE_CONSUMER(self), FALSE);
	g_return_val_if_fail(SUIT_IS_ENVELOPE(envelope), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
	return suit_consumer_process(self, envelope, sections, G_N_ELEMENTS(sections), FALSE, progress, cancellable, error);
}

/**
 * suit_firmware_consumer_get_report:
 * @self: a #SuitFirmwareConsumer
 *
 * Gets the report of the last run, to sign with the device key
 * (suit_report_sign()) and send to the Status Tracker.
 *
 * Returns: (transfer none) (nullable): the #SuitReport, or %NULL before any run
 *
 * Since: 0.1
 */
SuitReport *
suit_firmware_consumer_get_report(SuitFirmwareConsumer *self)
{
	g_return_val_if_fail(SUIT_IS_FIRMWARE_CONSUMER(self), NULL);
	return self->report;
}

/**
 * suit_firmware_consumer_get_trace:
 * @self: a #SuitFirmwareConsumer
 *
 * Gets a human-readable trace of the directives the last run executed
 * (fetch, write, copy, swap, invoke, process-dependency, unlink), for logs
 * and tests.
 *
 * Returns: (transfer none) (element-type utf8): the trace lines
 *
 * Since: 0.1
 */
GPtrArray *
suit_firmware_consumer_get_trace(SuitFirmwareConsumer *self)
{
	g_return_val_if_fail(SUIT_IS_FIRMWARE_CONSUMER(self), NULL);
	return self->trace;
}

/* object -------------------------------------------------------------------------- */

static void
suit_firmware_consumer_dispose(GObject *object)
{
	SuitFirmwareConsumer *self = SUIT_FIRMWARE_CONSUMER(object);
	g_clear_object(&self->keyring);
	g_clear_object(&self->store);
	g_clear_object(&self->fetcher);
	g_clear_object(&self->report);
	G_OBJECT_CLASS(suit_firmware_consumer_parent_class)->dispose(object);
}

static void
suit_firmware_consumer_finalize(GObject *object)
{
	SuitFirmwareConsumer *self = SUIT_FIRMWARE_CONSUMER(object);
	g_clear_pointer(&self->vendor_id, g_bytes_unref);
	g_clear_pointer(&self->class_id, g_bytes_unref);
	g_clear_pointer(&self->device_id, g_bytes_unref);
	g_hash_table_unref(self->slots);
	g_hash_table_unref(self->versions);
	g_ptr_array_unref(self->trace);
	g_ptr_array_unref(self->decryption_keys);
	G_OBJECT_CLASS(suit_firmware_consumer_parent_class)->finalize(object);
}

static void
suit_firmware_consumer_class_init(SuitFirmwareConsumerClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->dispose = suit_firmware_consumer_dispose;
	object_class->finalize = suit_firmware_consumer_finalize;

	/**
	 * SuitFirmwareConsumer::invoke:
	 * @self: the #SuitFirmwareConsumer
	 * @component: the #SuitComponentId to start
	 * @args: the invoke-args parameter (empty when unset)
	 *
	 * Emitted for each invoke directive of the Invocation procedure: the
	 * device starts @component here. The return value is informational.
	 *
	 * Returns: %TRUE if the component was started
	 *
	 * Since: 0.1
	 */
	signals[SIGNAL_INVOKE] = g_signal_new("invoke",
					      G_TYPE_FROM_CLASS(klass),
					      G_SIGNAL_RUN_LAST,
					      0,
					      NULL,
					      NULL,
					      NULL,
					      G_TYPE_BOOLEAN,
					      2,
					      SUIT_TYPE_COMPONENT_ID,
					      G_TYPE_BYTES);
}

static void
suit_firmware_consumer_init(SuitFirmwareConsumer *self)
{
	self->slots = g_hash_table_new_full((GHashFunc)suit_component_id_hash,
					    (GEqualFunc)suit_component_id_equal,
					    (GDestroyNotify)suit_component_id_unref,
					    g_free);
	self->versions = g_hash_table_new_full((GHashFunc)suit_component_id_hash,
					       (GEqualFunc)suit_component_id_equal,
					       (GDestroyNotify)suit_component_id_unref,
					       (GDestroyNotify)g_array_unref);
	self->trace = g_ptr_array_new_with_free_func(g_free);
	self->decryption_keys = g_ptr_array_new_with_free_func(g_object_unref);
	self->battery_level = -1;
	self->update_authorized = TRUE;
}

/**
 * suit_firmware_consumer_new:
 * @keyring: the trusted authors' keys
 * @store: where components live
 * @fetcher: (nullable): how payloads are fetched, or %NULL for a device that
 *   only takes integrated payloads
 *
 * Creates a manifest processor. Set the device identity with
 * suit_firmware_consumer_set_vendor_id() and suit_firmware_consumer_set_class_id()
 * before processing: vendor and class conditions fail without them.
 *
 * Returns: (transfer full): a new #SuitFirmwareConsumer
 *
 * Since: 0.1
 */
SuitFirmwareConsumer *
suit_firmware_consumer_new(SuitKeyring *keyring, SuitStore *store, SuitFetcher *fetcher)
{
	SuitFirmwareConsumer *self;
	g_return_val_if_fail(SUIT_IS_KEYRING(keyring), NULL);
	g_return_val_if_fail(SUIT_IS_STORE(store), NULL);
	g_return_val_if_fail(fetcher == NULL || SUIT_IS_FETCHER(fetcher), NULL);
	self = g_object_new(SUIT_TYPE_FIRMWARE_CONSUMER, NULL);
	self->keyring = g_object_ref(keyring);
	self->store = g_object_ref(store);
	self->fetcher = fetcher != NULL ? g_object_ref(fetcher) : NULL;
	return self;
}

static void
suit_consumer_set_bytes(GBytes **field, GBytes *value)
{
	g_clear_pointer(field, g_bytes_unref);
	if (value != NULL)
		*field = g_bytes_ref(value);
}

/**
 * suit_firmware_consumer_set_vendor_id:
 * @self: a #SuitFirmwareConsumer
 * @vendor_id: (nullable): the 16 bytes of the device's vendor UUID
 *
 * Sets the vendor identity the vendor-identifier condition checks.
 *
 * Since: 0.1
 */
void
suit_firmware_consumer_set_vendor_id(SuitFirmwareConsumer *self, GBytes *vendor_id)
{
	g_return_if_fail(SUIT_IS_FIRMWARE_CONSUMER(self));
	suit_consumer_set_bytes(&self->vendor_id, vendor_id);
}

/**
 * suit_firmware_consumer_set_class_id:
 * @self: a #SuitFirmwareConsumer
 * @class_id: (nullable): the 16 bytes of the device's class UUID
 *
 * Sets the class identity the class-identifier condition checks.
 *
 * Since: 0.1
 */
void
suit_firmware_consumer_set_class_id(SuitFirmwareConsumer *self, GBytes *class_id)
{
	g_return_if_fail(SUIT_IS_FIRMWARE_CONSUMER(self));
	suit_consumer_set_bytes(&self->class_id, class_id);
}

/**
 * suit_firmware_consumer_set_device_id:
 * @self: a #SuitFirmwareConsumer
 * @device_id: (nullable): the 16 bytes of the device's own UUID
 *
 * Sets the identity the device-identifier condition checks.
 *
 * Since: 0.1
 */
void
suit_firmware_consumer_set_device_id(SuitFirmwareConsumer *self, GBytes *device_id)
{
	g_return_if_fail(SUIT_IS_FIRMWARE_CONSUMER(self));
	suit_consumer_set_bytes(&self->device_id, device_id);
}

/**
 * suit_firmware_consumer_set_component_slot:
 * @self: a #SuitFirmwareConsumer
 * @component: a #SuitComponentId
 * @slot: the slot this component occupies on the device
 *
 * Tells the component-slot condition which slot a component is in, so an
 * A/B manifest picks the image for the other slot.
 *
 * Since: 0.1
 */
void
suit_firmware_consumer_set_component_slot(SuitFirmwareConsumer *self, SuitComponentId *component, guint64 slot)
{
	g_return_if_fail(SUIT_IS_FIRMWARE_CONSUMER(self));
	g_return_if_fail(component != NULL);
	g_hash_table_replace(self->slots, suit_component_id_ref(component), g_memdup2(&slot, sizeof(slot)));
}

/**
 * suit_firmware_consumer_set_battery_level:
 * @self: a #SuitFirmwareConsumer
 * @level: the battery level in percent, or -1 when unknown
 *
 * Sets what the minimum-battery condition compares with; an unknown level
 * fails the condition.
 *
 * Since: 0.1
 */
void
suit_firmware_consumer_set_battery_level(SuitFirmwareConsumer *self, gint level)
{
	g_return_if_fail(SUIT_IS_FIRMWARE_CONSUMER(self));
	self->battery_level = level;
}

/**
 * suit_firmware_consumer_set_update_authorized:
 * @self: a #SuitFirmwareConsumer
 * @authorized: whether the user or the device policy allows the update now
 *
 * Sets what the update-authorized condition answers (default %TRUE).
 *
 * Since: 0.1
 */
void
suit_firmware_consumer_set_update_authorized(SuitFirmwareConsumer *self, gboolean authorized)
{
	g_return_if_fail(SUIT_IS_FIRMWARE_CONSUMER(self));
	self->update_authorized = authorized;
}

/**
 * suit_firmware_consumer_add_decryption_key:
 * @self: a #SuitFirmwareConsumer
 * @key: a #SuitKey: a P-256 private key for ECDH-ES+A128KW recipients, or a
 *   16-byte symmetric key for A128KW recipients
 *
 * Adds a key for encrypted payloads (draft-ietf-suit-firmware-encryption):
 * write and copy decrypt when the encryption-info parameter is set, trying
 * each key on each recipient. When both @key and a recipient have a key id,
 * the key is only tried if they are equal.
 *
 * Since: 0.1
 */
void
suit_firmware_consumer_add_decryption_key(SuitFirmwareConsumer *self, SuitKey *key)
{
	g_return_if_fail(SUIT_IS_FIRMWARE_CONSUMER(self));
	g_return_if_fail(SUIT_IS_KEY(key));
	g_ptr_array_add(self->decryption_keys, g_object_ref(key));
}

/**
 * suit_firmware_consumer_set_time:
 * @self: a #SuitFirmwareConsumer
 * @unix_seconds: the time to use for use-before, or 0 for the real clock
 *
 * Overrides the clock, for devices with a trusted time source of their own
 * and for tests.
 *
 * Since: 0.1
 */
void
suit_firmware_consumer_set_time(SuitFirmwareConsumer *self, gint64 unix_seconds)
{
	g_return_if_fail(SUIT_IS_FIRMWARE_CONSUMER(self));
	self->time = unix_seconds;
}

/**
 * suit_firmware_consumer_set_component_version:
 * @self: a #SuitFirmwareConsumer
 * @component: a #SuitComponentId
 * @version: (nullable): the version the device has, as dotted integers such
 *   as `1.0.2` (negative parts are allowed), or %NULL to forget it
 * @error: return location for a #GError, or %NULL
 *
 * Tells the version condition which version of a component the device runs;
 * without it the condition fails.
 *
 * Returns: %TRUE if @version was understood, %FALSE with
 *   %SUIT_ERROR_INVALID_ARGUMENT otherwise
 *
 * Since: 0.1
 */
gboolean
suit_firmware_consumer_set_component_version(SuitFirmwareConsumer *self,
					     SuitComponentId *component,
					     const gchar *version,
					     GError **error)
{
	g_auto(GStrv) parts = NULL;
	g_autoptr(GArray) values = g_array_new(FALSE, FALSE, sizeof(gint64));

	g_return_val_if_fail(SUIT_IS_FIRMWARE_CONSUMER(self), FALSE);
	g_return_val_if_fail(component != NULL, FALSE);
	if (version == NULL) {
		g_hash_table_remove(self->versions, component);
		return TRUE;
	}
	parts = g_strsplit(version, ".", 65);
	for (guint i = 0; parts[i] != NULL || i == 0; i++) {
		gint64 value = 0;
		if (i >= 64 || parts[i] == NULL ||
		    !g_ascii_string_to_signed(parts[i], 10, G_MININT64, G_MAXINT64, &value, NULL)) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_ARGUMENT,
				    "invalid version \"%s\": expected dotted integers such as 1.0.2",
				    version);
			return FALSE;
		}
		g_array_append_val(values, value);
	}
	g_hash_table_replace(self->versions, suit_component_id_ref(component), g_steal_pointer(&values));
	return TRUE;
}
