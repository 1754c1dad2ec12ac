/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "suit-command.h"
#include "suit-error.h"
#include "suit-manifest-private.h"
#include "suit-model-private.h"

/* try-each and run-sequence may nest this many levels below a top-level sequence */
#define SUIT_COMMAND_SEQUENCE_MAX_NESTING 8

/* parameters --------------------------------------------------------------- */

typedef struct {
	gint64 key;
	SuitCborItem *value; /* (owned) */
	GBytes *encoded;     /* (owned): the encoded value */
} SuitParameterEntry;

struct _SuitParameters {
	gint refcount;
	GArray *entries; /* (element-type SuitParameterEntry) in map order */
};

G_DEFINE_BOXED_TYPE(SuitParameters, suit_parameters, suit_parameters_ref, suit_parameters_unref)

typedef struct {
	gint64 key;
	const gchar *name;
	SuitParameterType type;
} SuitParameterInfo;

static const SuitParameterInfo suit_parameter_infos[] = {
    {1, "vendor-identifier", SUIT_PARAMETER_TYPE_VENDOR_ID},
    {2, "class-identifier", SUIT_PARAMETER_TYPE_BYTES},
    {3, "image-digest", SUIT_PARAMETER_TYPE_DIGEST},
    {4, "use-before", SUIT_PARAMETER_TYPE_UINT},
    {5, "component-slot", SUIT_PARAMETER_TYPE_UINT},
    {12, "strict-order", SUIT_PARAMETER_TYPE_BOOL},
    {13, "soft-failure", SUIT_PARAMETER_TYPE_BOOL},
    {14, "image-size", SUIT_PARAMETER_TYPE_UINT},
    {18, "content", SUIT_PARAMETER_TYPE_BYTES},
    {19, "encryption-info", SUIT_PARAMETER_TYPE_BYTES},
    {21, "uri", SUIT_PARAMETER_TYPE_TEXT},
    {22, "source-component", SUIT_PARAMETER_TYPE_UINT},
    {23, "invoke-args", SUIT_PARAMETER_TYPE_BYTES},
    {24, "device-identifier", SUIT_PARAMETER_TYPE_BYTES},
    {25, "fetch-arguments", SUIT_PARAMETER_TYPE_BYTES},
    {26, "minimum-battery", SUIT_PARAMETER_TYPE_UINT},
    {27, "update-priority", SUIT_PARAMETER_TYPE_INT},
    {28, "version", SUIT_PARAMETER_TYPE_ANY},
    {29, "wait-info", SUIT_PARAMETER_TYPE_ANY},
    {30, "component-metadata", SUIT_PARAMETER_TYPE_ANY},
};

static const SuitParameterInfo *
suit_parameter_info_lookup(gint64 key)
{
	for (guint i = 0; i < G_N_ELEMENTS(suit_parameter_infos); i++) {
		if (suit_parameter_infos[i].key == key)
			return &suit_parameter_infos[i];
	}
	return NULL;
}

/**
 * suit_parameter_get_value_type: (skip)
 */
SuitParameterType
suit_parameter_get_value_type(gint64 key)
{
	const SuitParameterInfo *info = suit_parameter_info_lookup(key);
	return info != NULL ? info->type : SUIT_PARAMETER_TYPE_ANY;
}

/**
 * suit_parameter_to_string:
 * @key: a parameter codepoint, e.g. 21
 *
 * Names a SUIT parameter, e.g. `uri` or `image-digest`.
 *
 * Returns: (nullable): a static string, or %NULL for unknown keys
 *
 * Since: 0.1
 */
const gchar *
suit_parameter_to_string(gint64 key)
{
	const SuitParameterInfo *info = suit_parameter_info_lookup(key);
	return info != NULL ? info->name : NULL;
}

/**
 * suit_parameter_from_string:
 * @name: a parameter name such as `image-size`
 *
 * Looks up a SUIT parameter by name.
 *
 * Returns: the parameter codepoint, or 0 if unknown
 *
 * Since: 0.1
 */
gint64
suit_parameter_from_string(const gchar *name)
{
	g_return_val_if_fail(name != NULL, 0);
	for (guint i = 0; i < G_N_ELEMENTS(suit_parameter_infos); i++) {
		if (g_strcmp0(suit_parameter_infos[i].name, name) == 0)
			return suit_parameter_infos[i].key;
	}
	return 0;
}

static void
suit_parameter_entry_clear(SuitParameterEntry *entry)
{
	g_clear_pointer(&entry->value, suit_cbor_item_unref);
	g_clear_pointer(&entry->encoded, g_bytes_unref);
}

SuitDigest *
suit_parameter_value_dup_digest(SuitCborItem *value, const gchar *what, gint64 key, GError **error)
{
	g_autoptr(SuitCborItem) inner = NULL;

	if (value == NULL) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_NOT_FOUND,
			    "%s %" G_GINT64_FORMAT " is not set",
			    what,
			    key);
		return NULL;
	}
	if (suit_cbor_item_get_type(value) != SUIT_CBOR_TYPE_BYTES) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "%s %" G_GINT64_FORMAT " is not a byte string holding a SUIT_Digest",
			    what,
			    key);
		return NULL;
	}
	inner = suit_cbor_item_decode_wrapped(value, NULL, SUIT_PARSE_FLAG_NONE, error);
	if (inner == NULL)
		return NULL;
	return suit_digest_new_from_item(inner, error);
}

static SuitParameters *
suit_parameters_new(void)
{
	SuitParameters *self = g_new0(SuitParameters, 1);
	self->refcount = 1;
	self->entries = g_array_new(FALSE, TRUE, sizeof(SuitParameterEntry));
	g_array_set_clear_func(self->entries, (GDestroyNotify)suit_parameter_entry_clear);
	return self;
}

/**
 * suit_parameters_ref:
 * @self: a #SuitParameters
 *
 * Adds a reference.
 *
 * Returns: (transfer full): @self
 *
 * Since: 0.1
 */
SuitParameters *
suit_parameters_ref(SuitParameters *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	g_atomic_int_inc(&self->refcount);
	return self;
}

/**
 * suit_parameters_unref:
 * @self: (nullable): a #SuitParameters
 *
 * Drops a reference, freeing the parameters when it was the last one.
 *
 * Since: 0.1
 */
void
suit_parameters_unref(SuitParameters *self)
{
	if (self == NULL)
		return;
	if (!g_atomic_int_dec_and_test(&self->refcount))
		return;
	g_array_unref(self->entries);
	g_free(self);
}

static const SuitParameterEntry *
suit_parameters_lookup(const SuitParameters *self, gint64 key)
{
	for (guint i = 0; i < self->entries->len; i++) {
		const SuitParameterEntry *entry = &g_array_index(self->entries, SuitParameterEntry, i);
		if (entry->key == key)
			return entry;
	}
	return NULL;
}

static gboolean
suit_parameter_check_value(gint64 key, SuitCborItem *value, SuitParseFlags flags, GError **error)
{
	SuitParameterType type = suit_parameter_get_value_type(key);
	const gchar *name = suit_parameter_to_string(key);
	SuitCborType cbor_type = suit_cbor_item_get_type(value);

	switch (type) {
	case SUIT_PARAMETER_TYPE_BYTES:
		if (cbor_type == SUIT_CBOR_TYPE_BYTES)
			return TRUE;
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "parameter %s must be a byte string, got %s",
			    name,
			    suit_cbor_type_to_string(cbor_type));
		return FALSE;
	case SUIT_PARAMETER_TYPE_VENDOR_ID:
		if (cbor_type == SUIT_CBOR_TYPE_BYTES)
			return TRUE;
		if (cbor_type == SUIT_CBOR_TYPE_TAG && suit_cbor_item_get_u64(value) == 112 &&
		    suit_cbor_item_get_type(suit_cbor_tag_get_content(value)) == SUIT_CBOR_TYPE_BYTES)
			return TRUE;
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "parameter %s must be a byte string or a tag 112 relative oid, got %s",
			    name,
			    suit_cbor_type_to_string(cbor_type));
		return FALSE;
	case SUIT_PARAMETER_TYPE_DIGEST: {
		g_autoptr(SuitCborItem) inner = NULL;
		g_autoptr(SuitDigest) digest = NULL;
		if (cbor_type != SUIT_CBOR_TYPE_BYTES) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "parameter %s must be a byte string holding a SUIT_Digest, got %s",
				    name,
				    suit_cbor_type_to_string(cbor_type));
			return FALSE;
		}
		inner = suit_cbor_item_decode_wrapped(value, NULL, flags, error);
		if (inner == NULL) {
			g_prefix_error(error, "invalid parameter %s: ", name);
			return FALSE;
		}
		digest = suit_digest_new_from_item(inner, error);
		if (digest == NULL) {
			g_prefix_error(error, "invalid parameter %s: ", name);
			return FALSE;
		}
		return TRUE;
	}
	case SUIT_PARAMETER_TYPE_UINT:
		if (cbor_type == SUIT_CBOR_TYPE_UINT)
			return TRUE;
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "parameter %s must be an unsigned integer, got %s",
			    name,
			    suit_cbor_type_to_string(cbor_type));
		return FALSE;
	case SUIT_PARAMETER_TYPE_INT:
		if (suit_cbor_item_get_int(value, NULL))
			return TRUE;
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "parameter %s must be an integer, got %s",
			    name,
			    suit_cbor_type_to_string(cbor_type));
		return FALSE;
	case SUIT_PARAMETER_TYPE_BOOL:
		if (cbor_type == SUIT_CBOR_TYPE_TRUE || cbor_type == SUIT_CBOR_TYPE_FALSE)
			return TRUE;
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "parameter %s must be a boolean, got %s",
			    name,
			    suit_cbor_type_to_string(cbor_type));
		return FALSE;
	case SUIT_PARAMETER_TYPE_TEXT:
		if (cbor_type == SUIT_CBOR_TYPE_TEXT)
			return TRUE;
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "parameter %s must be a text string, got %s",
			    name,
			    suit_cbor_type_to_string(cbor_type));
		return FALSE;
	case SUIT_PARAMETER_TYPE_ANY:
	default:
		return TRUE;
	}
}

static SuitParameters *
suit_parameters_new_from_item(SuitCborItem *map, SuitParseFlags flags, GError **error)
{
	g_autoptr(SuitParameters) self = NULL;

	if (suit_cbor_item_get_type(map) != SUIT_CBOR_TYPE_MAP) {
		suit_cbor_set_type_error(error, map, "parameters must be a map");
		return NULL;
	}
	self = suit_parameters_new();
	for (guint i = 0; i < suit_cbor_item_get_length(map); i++) {
		SuitCborItem *key_item = suit_cbor_map_get_key(map, i);
		SuitCborItem *value = suit_cbor_map_get_value(map, i);
		SuitParameterEntry entry = {0};
		gint64 key;

		if (!suit_cbor_item_get_int(key_item, &key)) {
			suit_cbor_set_type_error(error, key_item, "parameter keys must be integers");
			return NULL;
		}
		if (!suit_parameter_check_value(key, value, flags, error))
			return NULL;
		entry.key = key;
		entry.value = suit_cbor_item_ref(value);
		entry.encoded = suit_cbor_item_get_encoded(value);
		g_array_append_val(self->entries, entry);
	}
	return g_steal_pointer(&self);
}

/**
 * suit_parameters_get_size:
 * @self: a #SuitParameters
 *
 * Gets the number of parameters.
 *
 * Returns: the number of entries
 *
 * Since: 0.1
 */
guint
suit_parameters_get_size(const SuitParameters *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->entries->len;
}

/**
 * suit_parameters_get_key:
 * @self: a #SuitParameters
 * @idx: an index below suit_parameters_get_size()
 *
 * Gets the key of an entry, in the order of the map.
 *
 * Returns: the parameter codepoint, or 0 if @idx is out of range
 *
 * Since: 0.1
 */
gint64
suit_parameters_get_key(const SuitParameters *self, guint idx)
{
	g_return_val_if_fail(self != NULL, 0);
	if (idx >= self->entries->len)
		return 0;
	return g_array_index(self->entries, SuitParameterEntry, idx).key;
}

/**
 * suit_parameters_has:
 * @self: a #SuitParameters
 * @key: a parameter codepoint
 *
 * Checks whether a parameter is present.
 *
 * Returns: %TRUE if @key is in the map
 *
 * Since: 0.1
 */
gboolean
suit_parameters_has(const SuitParameters *self, gint64 key)
{
	g_return_val_if_fail(self != NULL, FALSE);
	return suit_parameters_lookup(self, key) != NULL;
}

/**
 * suit_parameters_get_uint:
 * @self: a #SuitParameters
 * @key: a parameter codepoint, e.g. 14 (image-size)
 * @value: (out) (optional): the value
 *
 * Gets an unsigned integer parameter.
 *
 * Returns: %TRUE if @key is present and holds an unsigned integer
 *
 * Since: 0.1
 */
gboolean
suit_parameters_get_uint(const SuitParameters *self, gint64 key, guint64 *value)
{
	const SuitParameterEntry *entry;
	g_return_val_if_fail(self != NULL, FALSE);
	entry = suit_parameters_lookup(self, key);
	if (entry == NULL)
		return FALSE;
	return suit_cbor_item_get_uint(entry->value, value);
}

/**
 * suit_parameters_get_int:
 * @self: a #SuitParameters
 * @key: a parameter codepoint, e.g. 27 (update-priority)
 * @value: (out) (optional): the value
 *
 * Gets an integer parameter.
 *
 * Returns: %TRUE if @key is present and holds an integer that fits in 64 bits
 *
 * Since: 0.1
 */
gboolean
suit_parameters_get_int(const SuitParameters *self, gint64 key, gint64 *value)
{
	const SuitParameterEntry *entry;
	g_return_val_if_fail(self != NULL, FALSE);
	entry = suit_parameters_lookup(self, key);
	if (entry == NULL)
		return FALSE;
	return suit_cbor_item_get_int(entry->value, value);
}

/**
 * suit_parameters_get_bool:
 * @self: a #SuitParameters
 * @key: a parameter codepoint, e.g. 13 (soft-failure)
 * @value: (out) (optional): the value
 *
 * Gets a boolean parameter.
 *
 * Returns: %TRUE if @key is present and holds a boolean
 *
 * Since: 0.1
 */
gboolean
suit_parameters_get_bool(const SuitParameters *self, gint64 key, gboolean *value)
{
	const SuitParameterEntry *entry;
	g_return_val_if_fail(self != NULL, FALSE);
	entry = suit_parameters_lookup(self, key);
	if (entry == NULL)
		return FALSE;
	return suit_cbor_item_get_bool(entry->value, value);
}

/**
 * suit_parameters_get_bytes:
 * @self: a #SuitParameters
 * @key: a parameter codepoint, e.g. 1 (vendor-identifier)
 *
 * Gets a byte string parameter. For image-digest (3) this is the encoded
 * SUIT_Digest; use suit_parameters_dup_digest() to parse it. A vendor
 * identifier given as a tag 112 relative OID is not a plain byte string:
 * use suit_parameters_get_cbor() for it.
 *
 * Returns: (transfer none) (nullable): the bytes, or %NULL if @key is absent
 *   or not a byte string
 *
 * Since: 0.1
 */
GBytes *
suit_parameters_get_bytes(const SuitParameters *self, gint64 key)
{
	const SuitParameterEntry *entry;
	g_return_val_if_fail(self != NULL, NULL);
	entry = suit_parameters_lookup(self, key);
	if (entry == NULL || suit_cbor_item_get_type(entry->value) != SUIT_CBOR_TYPE_BYTES)
		return NULL;
	return suit_cbor_item_get_bytes(entry->value);
}

/**
 * suit_parameters_dup_text:
 * @self: a #SuitParameters
 * @key: a parameter codepoint, e.g. 21 (uri)
 *
 * Gets a text string parameter.
 *
 * Returns: (transfer full) (nullable): a new string, or %NULL if @key is
 *   absent or not a text string
 *
 * Since: 0.1
 */
gchar *
suit_parameters_dup_text(const SuitParameters *self, gint64 key)
{
	const SuitParameterEntry *entry;
	g_return_val_if_fail(self != NULL, NULL);
	entry = suit_parameters_lookup(self, key);
	if (entry == NULL)
		return NULL;
	return suit_cbor_item_dup_text(entry->value);
}

/**
 * suit_parameters_dup_digest:
 * @self: a #SuitParameters
 * @key: a parameter codepoint, usually 3 (image-digest)
 * @error: return location for a #GError, or %NULL
 *
 * Parses a `bstr .cbor SUIT_Digest` parameter.
 *
 * Returns: (transfer full): a new #SuitDigest, or %NULL with
 *   %SUIT_ERROR_NOT_FOUND if @key is absent, or %SUIT_ERROR_INVALID_DATA
 *
 * Since: 0.1
 */
SuitDigest *
suit_parameters_dup_digest(const SuitParameters *self, gint64 key, GError **error)
{
	const SuitParameterEntry *entry;

	g_return_val_if_fail(self != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	entry = suit_parameters_lookup(self, key);
	return suit_parameter_value_dup_digest(entry != NULL ? entry->value : NULL,
					       "parameter",
					       key,
					       error);
}

/**
 * suit_parameters_get_cbor:
 * @self: a #SuitParameters
 * @key: a parameter codepoint
 *
 * Gets the encoded CBOR value of any parameter, exactly as in the manifest.
 *
 * Returns: (transfer none) (nullable): the encoded value, or %NULL if absent
 *
 * Since: 0.1
 */
GBytes *
suit_parameters_get_cbor(const SuitParameters *self, gint64 key)
{
	const SuitParameterEntry *entry;
	g_return_val_if_fail(self != NULL, NULL);
	entry = suit_parameters_lookup(self, key);
	if (entry == NULL)
		return NULL;
	return entry->encoded;
}

/* commands ----------------------------------------------------------------- */

struct _SuitCommand {
	gint refcount;
	gint64 code;
	SuitCommandKind kind;
	SuitArgumentType argument_type;
	gsize offset;
	SuitCborItem *argument; /* (owned) */
	GBytes *argument_cbor;	/* (owned) */
	guint64 reporting_policy;
	GArray *indices;	       /* (element-type guint) (nullable) */
	SuitParameters *parameters;    /* (nullable) */
	GPtrArray *sequences;	       /* (element-type SuitCommandSequence) (nullable) */
	gboolean has_empty_fallback;   /* try-each ends with nil */
	SuitCommandSequence *sequence; /* (nullable): run-sequence */
};

struct _SuitCommandSequence {
	gint refcount;
	SuitCborItem *item;  /* (owned): the decoded array */
	GBytes *cbor;	     /* (owned): its encoding */
	GPtrArray *commands; /* (element-type SuitCommand) */
};

G_DEFINE_BOXED_TYPE(SuitCommand, suit_command, suit_command_ref, suit_command_unref)
G_DEFINE_BOXED_TYPE(SuitCommandSequence,
		    suit_command_sequence,
		    suit_command_sequence_ref,
		    suit_command_sequence_unref)

typedef struct {
	gint64 code;
	const gchar *name;
	SuitCommandKind kind;
	SuitArgumentType argument_type;
} SuitCommandInfo;

static const SuitCommandInfo suit_command_infos[] = {
    {1, "vendor-identifier", SUIT_COMMAND_KIND_CONDITION, SUIT_ARGUMENT_TYPE_REPORTING_POLICY},
    {2, "class-identifier", SUIT_COMMAND_KIND_CONDITION, SUIT_ARGUMENT_TYPE_REPORTING_POLICY},
    {3, "image-match", SUIT_COMMAND_KIND_CONDITION, SUIT_ARGUMENT_TYPE_REPORTING_POLICY},
    {4, "use-before", SUIT_COMMAND_KIND_CONDITION, SUIT_ARGUMENT_TYPE_REPORTING_POLICY},
    {5, "component-slot", SUIT_COMMAND_KIND_CONDITION, SUIT_ARGUMENT_TYPE_REPORTING_POLICY},
    {6, "check-content", SUIT_COMMAND_KIND_CONDITION, SUIT_ARGUMENT_TYPE_REPORTING_POLICY},
    {7, "dependency-integrity", SUIT_COMMAND_KIND_CONDITION, SUIT_ARGUMENT_TYPE_REPORTING_POLICY},
    {8, "is-dependency", SUIT_COMMAND_KIND_CONDITION, SUIT_ARGUMENT_TYPE_REPORTING_POLICY},
    {11, "process-dependency", SUIT_COMMAND_KIND_DIRECTIVE, SUIT_ARGUMENT_TYPE_REPORTING_POLICY},
    {12, "set-component-index", SUIT_COMMAND_KIND_DIRECTIVE, SUIT_ARGUMENT_TYPE_COMPONENT_INDEX},
    {14, "abort", SUIT_COMMAND_KIND_CONDITION, SUIT_ARGUMENT_TYPE_REPORTING_POLICY},
    {15, "try-each", SUIT_COMMAND_KIND_DIRECTIVE, SUIT_ARGUMENT_TYPE_SEQUENCES},
    {18, "write", SUIT_COMMAND_KIND_DIRECTIVE, SUIT_ARGUMENT_TYPE_REPORTING_POLICY},
    {19, "set-parameters", SUIT_COMMAND_KIND_DIRECTIVE, SUIT_ARGUMENT_TYPE_PARAMETERS},
    {20, "override-parameters", SUIT_COMMAND_KIND_DIRECTIVE, SUIT_ARGUMENT_TYPE_PARAMETERS},
    {21, "fetch", SUIT_COMMAND_KIND_DIRECTIVE, SUIT_ARGUMENT_TYPE_REPORTING_POLICY},
    {22, "copy", SUIT_COMMAND_KIND_DIRECTIVE, SUIT_ARGUMENT_TYPE_REPORTING_POLICY},
    {23, "invoke", SUIT_COMMAND_KIND_DIRECTIVE, SUIT_ARGUMENT_TYPE_REPORTING_POLICY},
    {24, "device-identifier", SUIT_COMMAND_KIND_CONDITION, SUIT_ARGUMENT_TYPE_REPORTING_POLICY},
    {25, "image-not-match", SUIT_COMMAND_KIND_CONDITION, SUIT_ARGUMENT_TYPE_REPORTING_POLICY},
    {26, "minimum-battery", SUIT_COMMAND_KIND_CONDITION, SUIT_ARGUMENT_TYPE_REPORTING_POLICY},
    {27, "update-authorized", SUIT_COMMAND_KIND_CONDITION, SUIT_ARGUMENT_TYPE_REPORTING_POLICY},
    {28, "version", SUIT_COMMAND_KIND_CONDITION, SUIT_ARGUMENT_TYPE_REPORTING_POLICY},
    {29, "wait", SUIT_COMMAND_KIND_DIRECTIVE, SUIT_ARGUMENT_TYPE_REPORTING_POLICY},
    {31, "swap", SUIT_COMMAND_KIND_DIRECTIVE, SUIT_ARGUMENT_TYPE_REPORTING_POLICY},
    {32, "run-sequence", SUIT_COMMAND_KIND_DIRECTIVE, SUIT_ARGUMENT_TYPE_SEQUENCE},
    {33, "unlink", SUIT_COMMAND_KIND_DIRECTIVE, SUIT_ARGUMENT_TYPE_REPORTING_POLICY},
    {34, "override-multiple", SUIT_COMMAND_KIND_DIRECTIVE, SUIT_ARGUMENT_TYPE_MULTIPLE_PARAMETERS},
    {35, "copy-params", SUIT_COMMAND_KIND_DIRECTIVE, SUIT_ARGUMENT_TYPE_COPY_PARAMETERS},
};

static const SuitCommandInfo *
suit_command_info_lookup(gint64 code)
{
	for (guint i = 0; i < G_N_ELEMENTS(suit_command_infos); i++) {
		if (suit_command_infos[i].code == code)
			return &suit_command_infos[i];
	}
	return NULL;
}

/**
 * suit_command_code_get_argument_type: (skip)
 */
SuitArgumentType
suit_command_code_get_argument_type(gint64 code)
{
	const SuitCommandInfo *info = suit_command_info_lookup(code);
	return info != NULL ? info->argument_type : SUIT_ARGUMENT_TYPE_OTHER;
}

/**
 * suit_command_code_to_string:
 * @code: a command code, e.g. 21
 *
 * Names a SUIT command, e.g. `fetch` or `image-match`.
 *
 * Returns: (nullable): a static string, or %NULL for custom and unknown codes
 *
 * Since: 0.1
 */
const gchar *
suit_command_code_to_string(gint64 code)
{
	const SuitCommandInfo *info = suit_command_info_lookup(code);
	return info != NULL ? info->name : NULL;
}

/**
 * suit_command_code_from_string:
 * @name: a command name such as `override-parameters`
 *
 * Looks up a SUIT command by name.
 *
 * Returns: the command code, or 0 if unknown
 *
 * Since: 0.1
 */
gint64
suit_command_code_from_string(const gchar *name)
{
	g_return_val_if_fail(name != NULL, 0);
	for (guint i = 0; i < G_N_ELEMENTS(suit_command_infos); i++) {
		if (g_strcmp0(suit_command_infos[i].name, name) == 0)
			return suit_command_infos[i].code;
	}
	return 0;
}

/**
 * suit_command_ref:
 * @self: a #SuitCommand
 *
 * Adds a reference.
 *
 * Returns: (transfer full): @self
 *
 * Since: 0.1
 */
SuitCommand *
suit_command_ref(SuitCommand *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	g_atomic_int_inc(&self->refcount);
	return self;
}

/**
 * suit_command_unref:
 * @self: (nullable): a #SuitCommand
 *
 * Drops a reference, freeing the command when it was the last one.
 *
 * Since: 0.1
 */
void
suit_command_unref(SuitCommand *self)
{
	if (self == NULL)
		return;
	if (!g_atomic_int_dec_and_test(&self->refcount))
		return;
	g_clear_pointer(&self->argument, suit_cbor_item_unref);
	g_clear_pointer(&self->argument_cbor, g_bytes_unref);
	g_clear_pointer(&self->indices, g_array_unref);
	g_clear_pointer(&self->parameters, suit_parameters_unref);
	g_clear_pointer(&self->sequences, g_ptr_array_unref);
	g_clear_pointer(&self->sequence, suit_command_sequence_unref);
	g_free(self);
}

static SuitCommandSequence *
suit_command_sequence_parse(GBytes *cbor, SuitParseFlags flags, guint depth, GError **error);

static gboolean
suit_command_parse_reporting_policy(SuitCommand *self, const gchar *name, GError **error)
{
	if (!suit_cbor_item_get_uint(self->argument, &self->reporting_policy)) {
		suit_cbor_set_type_error(error,
					 self->argument,
					 "the reporting policy of %s must be an unsigned integer",
					 name);
		return FALSE;
	}
	return TRUE;
}

static gboolean
suit_command_parse_index(SuitCborItem *item, guint *value, GError **error)
{
	guint64 idx = 0;
	if (!suit_cbor_item_get_uint(item, &idx) || idx >= G_MAXUINT) {
		suit_cbor_set_type_error(error,
					 item,
					 "a component index must be an unsigned integer below %u",
					 G_MAXUINT);
		return FALSE;
	}
	*value = (guint)idx;
	return TRUE;
}

static gboolean
suit_command_parse_component_index(SuitCommand *self, GError **error)
{
	SuitCborItem *arg = self->argument;
	SuitCborType type = suit_cbor_item_get_type(arg);
	guint idx = 0;

	self->indices = g_array_new(FALSE, FALSE, sizeof(guint));
	if (type == SUIT_CBOR_TYPE_TRUE) {
		idx = SUIT_COMMAND_INDEX_ALL;
		g_array_append_val(self->indices, idx);
		return TRUE;
	}
	if (type == SUIT_CBOR_TYPE_UINT) {
		if (!suit_command_parse_index(arg, &idx, error)) {
			g_prefix_error(error, "invalid set-component-index: ");
			return FALSE;
		}
		g_array_append_val(self->indices, idx);
		return TRUE;
	}
	if (type == SUIT_CBOR_TYPE_ARRAY && suit_cbor_item_get_length(arg) > 0) {
		for (guint i = 0; i < suit_cbor_item_get_length(arg); i++) {
			if (!suit_command_parse_index(suit_cbor_array_get(arg, i), &idx, error)) {
				g_prefix_error(error, "invalid set-component-index: ");
				return FALSE;
			}
			g_array_append_val(self->indices, idx);
		}
		return TRUE;
	}
	g_set_error(error,
		    SUIT_ERROR,
		    SUIT_ERROR_INVALID_DATA,
		    "the argument of set-component-index must be an unsigned integer, true or a "
		    "non-empty array of unsigned integers, got %s",
		    suit_cbor_type_to_string(type));
	return FALSE;
}

static gboolean
suit_command_parse_sequences(SuitCommand *self, SuitParseFlags flags, guint depth, GError **error)
{
	SuitCborItem *arg = self->argument;
	guint len;

	if (suit_cbor_item_get_type(arg) != SUIT_CBOR_TYPE_ARRAY) {
		suit_cbor_set_type_error(error, arg, "the argument of try-each must be an array");
		return FALSE;
	}
	len = suit_cbor_item_get_length(arg);
	if (len < 2) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "try-each needs at least two items, got %u",
			    len);
		return FALSE;
	}
	self->sequences = g_ptr_array_new_with_free_func((GDestroyNotify)suit_command_sequence_unref);
	for (guint i = 0; i < len; i++) {
		SuitCborItem *elem = suit_cbor_array_get(arg, i);
		SuitCommandSequence *seq;
		if (i == len - 1 && suit_cbor_item_get_type(elem) == SUIT_CBOR_TYPE_NULL) {
			self->has_empty_fallback = TRUE;
			break;
		}
		if (suit_cbor_item_get_type(elem) != SUIT_CBOR_TYPE_BYTES) {
			suit_cbor_set_type_error(error,
						 elem,
						 "item %u of try-each must be a byte string holding a command sequence",
						 i);
			return FALSE;
		}
		seq = suit_command_sequence_parse(suit_cbor_item_get_bytes(elem), flags, depth + 1, error);
		if (seq == NULL) {
			g_prefix_error(error, "invalid try-each item %u: ", i);
			return FALSE;
		}
		g_ptr_array_add(self->sequences, seq);
	}
	return TRUE;
}

static gboolean
suit_command_parse_sequence(SuitCommand *self, SuitParseFlags flags, guint depth, GError **error)
{
	if (suit_cbor_item_get_type(self->argument) != SUIT_CBOR_TYPE_BYTES) {
		suit_cbor_set_type_error(error,
					 self->argument,
					 "the argument of run-sequence must be a byte string holding a command "
					 "sequence");
		return FALSE;
	}
	self->sequence =
	    suit_command_sequence_parse(suit_cbor_item_get_bytes(self->argument), flags, depth + 1, error);
	if (self->sequence == NULL) {
		g_prefix_error(error, "invalid run-sequence: ");
		return FALSE;
	}
	return TRUE;
}

static gboolean
suit_command_parse_multiple(SuitCommand *self, SuitParseFlags flags, GError **error)
{
	SuitCborItem *arg = self->argument;

	if (suit_cbor_item_get_type(arg) != SUIT_CBOR_TYPE_MAP || suit_cbor_item_get_length(arg) == 0) {
		suit_cbor_set_type_error(error, arg, "the argument of override-multiple must be a non-empty map");
		return FALSE;
	}
	for (guint i = 0; i < suit_cbor_item_get_length(arg); i++) {
		g_autoptr(SuitParameters) params = NULL;
		guint idx = 0;
		if (!suit_command_parse_index(suit_cbor_map_get_key(arg, i), &idx, error)) {
			g_prefix_error(error, "invalid override-multiple: ");
			return FALSE;
		}
		params = suit_parameters_new_from_item(suit_cbor_map_get_value(arg, i), flags, error);
		if (params == NULL) {
			g_prefix_error(error, "invalid override-multiple for component %u: ", idx);
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
suit_command_parse_copy_params(SuitCommand *self, GError **error)
{
	SuitCborItem *arg = self->argument;

	if (suit_cbor_item_get_type(arg) != SUIT_CBOR_TYPE_MAP || suit_cbor_item_get_length(arg) == 0) {
		suit_cbor_set_type_error(error, arg, "the argument of copy-params must be a non-empty map");
		return FALSE;
	}
	for (guint i = 0; i < suit_cbor_item_get_length(arg); i++) {
		SuitCborItem *keys = suit_cbor_map_get_value(arg, i);
		guint idx = 0;
		if (!suit_command_parse_index(suit_cbor_map_get_key(arg, i), &idx, error)) {
			g_prefix_error(error, "invalid copy-params: ");
			return FALSE;
		}
		if (suit_cbor_item_get_type(keys) != SUIT_CBOR_TYPE_ARRAY ||
		    suit_cbor_item_get_length(keys) == 0) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "copy-params for component %u must be a non-empty array of "
				    "parameter keys",
				    idx);
			return FALSE;
		}
		for (guint j = 0; j < suit_cbor_item_get_length(keys); j++) {
			if (!suit_cbor_item_get_int(suit_cbor_array_get(keys, j), NULL)) {
				g_set_error(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_DATA,
					    "copy-params for component %u must list integer "
					    "parameter keys",
					    idx);
				return FALSE;
			}
		}
	}
	return TRUE;
}

static SuitCommand *
suit_command_new_from_items(SuitCborItem *code_item,
			    SuitCborItem *argument,
			    SuitParseFlags flags,
			    guint depth,
			    GError **error)
{
	g_autoptr(SuitCommand) self = g_new0(SuitCommand, 1);
	const SuitCommandInfo *info;
	const gchar *name;

	self->refcount = 1;
	if (!suit_cbor_item_get_int(code_item, &self->code)) {
		suit_cbor_set_type_error(error, code_item, "a command code must be an integer");
		return NULL;
	}
	self->offset = suit_cbor_item_get_offset(code_item);
	self->argument = suit_cbor_item_ref(argument);
	self->argument_cbor = suit_cbor_item_get_encoded(argument);

	info = suit_command_info_lookup(self->code);
	if (info == NULL) {
		self->kind = self->code <= -257 ? SUIT_COMMAND_KIND_CUSTOM : SUIT_COMMAND_KIND_UNKNOWN;
		self->argument_type = SUIT_ARGUMENT_TYPE_OTHER;
		return g_steal_pointer(&self);
	}
	self->kind = info->kind;
	self->argument_type = info->argument_type;
	name = info->name;
	switch (info->argument_type) {
	case SUIT_ARGUMENT_TYPE_REPORTING_POLICY:
		if (!suit_command_parse_reporting_policy(self, name, error))
			return NULL;
		break;
	case SUIT_ARGUMENT_TYPE_COMPONENT_INDEX:
		if (!suit_command_parse_component_index(self, error))
			return NULL;
		break;
	case SUIT_ARGUMENT_TYPE_PARAMETERS:
		self->parameters = suit_parameters_new_from_item(argument, flags, error);
		if (self->parameters == NULL) {
			g_prefix_error(error, "invalid %s: ", name);
			return NULL;
		}
		break;
	case SUIT_ARGUMENT_TYPE_SEQUENCES:
		if (!suit_command_parse_sequences(self, flags, depth, error))
			return NULL;
		break;
	case SUIT_ARGUMENT_TYPE_SEQUENCE:
		if (!suit_command_parse_sequence(self, flags, depth, error))
			return NULL;
		break;
	case SUIT_ARGUMENT_TYPE_MULTIPLE_PARAMETERS:
		if (!suit_command_parse_multiple(self, flags, error))
			return NULL;
		break;
	case SUIT_ARGUMENT_TYPE_COPY_PARAMETERS:
		if (!suit_command_parse_copy_params(self, error))
			return NULL;
		break;
	case SUIT_ARGUMENT_TYPE_OTHER:
	default:
		break;
	}
	return g_steal_pointer(&self);
}

/**
 * suit_command_get_code:
 * @self: a #SuitCommand
 *
 * Gets the command code, e.g. 20 for override-parameters.
 *
 * Returns: the code
 *
 * Since: 0.1
 */
gint64
suit_command_get_code(const SuitCommand *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->code;
}

/**
 * suit_command_get_name:
 * @self: a #SuitCommand
 *
 * Gets the name of the command, e.g. `override-parameters`.
 *
 * Returns: (nullable): a static string, or %NULL for custom and unknown commands
 *
 * Since: 0.1
 */
const gchar *
suit_command_get_name(const SuitCommand *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return suit_command_code_to_string(self->code);
}

/**
 * suit_command_get_kind:
 * @self: a #SuitCommand
 *
 * Gets whether the command is a condition, a directive, a custom command or
 * one libsuit does not know.
 *
 * Returns: a #SuitCommandKind
 *
 * Since: 0.1
 */
SuitCommandKind
suit_command_get_kind(const SuitCommand *self)
{
	g_return_val_if_fail(self != NULL, SUIT_COMMAND_KIND_UNKNOWN);
	return self->kind;
}

/**
 * suit_command_get_argument_type:
 * @self: a #SuitCommand
 *
 * Gets the shape of the argument, which says which accessor applies.
 *
 * Returns: a #SuitArgumentType
 *
 * Since: 0.1
 */
SuitArgumentType
suit_command_get_argument_type(const SuitCommand *self)
{
	g_return_val_if_fail(self != NULL, SUIT_ARGUMENT_TYPE_OTHER);
	return self->argument_type;
}

/**
 * suit_command_get_offset:
 * @self: a #SuitCommand
 *
 * Gets the byte offset of the command code within the encoded command
 * sequence that holds it, as SUIT reports record it (section-offset).
 *
 * Returns: an offset in bytes
 *
 * Since: 0.1
 */
gsize
suit_command_get_offset(const SuitCommand *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->offset;
}

/**
 * suit_command_get_reporting_policy:
 * @self: a #SuitCommand
 *
 * Gets the reporting policy of a command whose argument type is
 * %SUIT_ARGUMENT_TYPE_REPORTING_POLICY.
 *
 * Returns: the reporting policy bits, or 0 for other argument types
 *
 * Since: 0.1
 */
guint64
suit_command_get_reporting_policy(const SuitCommand *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->reporting_policy;
}

/**
 * suit_command_get_component_indices:
 * @self: a #SuitCommand
 *
 * Gets the component indices selected by set-component-index. The argument
 * `true` (every component) is given as the single value
 * %SUIT_COMMAND_INDEX_ALL.
 *
 * Returns: (transfer none) (nullable) (element-type guint): the indices, or
 *   %NULL for other commands
 *
 * Since: 0.1
 */
GArray *
suit_command_get_component_indices(const SuitCommand *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->indices;
}

/**
 * suit_command_get_parameters:
 * @self: a #SuitCommand
 *
 * Gets the parameters of override-parameters or set-parameters.
 *
 * Returns: (transfer none) (nullable): the parameters, or %NULL for other commands
 *
 * Since: 0.1
 */
SuitParameters *
suit_command_get_parameters(const SuitCommand *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->parameters;
}

/**
 * suit_command_get_sequences:
 * @self: a #SuitCommand
 *
 * Gets the sequences of try-each, in order, without the empty fallback (see
 * suit_command_get_has_empty_fallback()).
 *
 * Returns: (transfer none) (nullable) (element-type SuitCommandSequence): the
 *   sequences, or %NULL for other commands
 *
 * Since: 0.1
 */
GPtrArray *
suit_command_get_sequences(const SuitCommand *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->sequences;
}

/**
 * suit_command_get_has_empty_fallback:
 * @self: a #SuitCommand
 *
 * Gets whether the argument of try-each ends with `nil`, an empty sequence
 * that lets try-each succeed when every other sequence failed.
 *
 * Returns: %TRUE if there is an empty fallback
 *
 * Since: 0.1
 */
gboolean
suit_command_get_has_empty_fallback(const SuitCommand *self)
{
	g_return_val_if_fail(self != NULL, FALSE);
	return self->has_empty_fallback;
}

/**
 * suit_command_get_sequence:
 * @self: a #SuitCommand
 *
 * Gets the sequence of run-sequence.
 *
 * Returns: (transfer none) (nullable): the sequence, or %NULL for other commands
 *
 * Since: 0.1
 */
SuitCommandSequence *
suit_command_get_sequence(const SuitCommand *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->sequence;
}

/**
 * suit_command_get_argument_cbor:
 * @self: a #SuitCommand
 *
 * Gets the encoded argument exactly as in the sequence. This is the only view
 * of the arguments of custom and unknown commands, and of override-multiple
 * and copy-params.
 *
 * Returns: (transfer none): the encoded argument
 *
 * Since: 0.1
 */
GBytes *
suit_command_get_argument_cbor(const SuitCommand *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->argument_cbor;
}

/* sequences ---------------------------------------------------------------- */

static SuitCommandSequence *
suit_command_sequence_new_from_item(SuitCborItem *item, SuitParseFlags flags, guint depth, GError **error)
{
	g_autoptr(SuitCommandSequence) self = NULL;
	guint len;

	if (suit_cbor_item_get_type(item) != SUIT_CBOR_TYPE_ARRAY) {
		suit_cbor_set_type_error(error, item, "a command sequence must be an array");
		return NULL;
	}
	len = suit_cbor_item_get_length(item);
	if (len % 2 != 0) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "a command sequence must hold code and argument pairs, got %u items",
			    len);
		return NULL;
	}
	self = g_new0(SuitCommandSequence, 1);
	self->refcount = 1;
	self->item = suit_cbor_item_ref(item);
	self->cbor = suit_cbor_item_get_encoded(item);
	self->commands = g_ptr_array_new_with_free_func((GDestroyNotify)suit_command_unref);
	for (guint i = 0; i < len; i += 2) {
		SuitCommand *cmd = suit_command_new_from_items(suit_cbor_array_get(item, i),
							       suit_cbor_array_get(item, i + 1),
							       flags,
							       depth,
							       error);
		if (cmd == NULL) {
			g_prefix_error(error, "command %u: ", i / 2);
			return NULL;
		}
		g_ptr_array_add(self->commands, cmd);
	}
	return g_steal_pointer(&self);
}

static SuitCommandSequence *
suit_command_sequence_parse(GBytes *cbor, SuitParseFlags flags, guint depth, GError **error)
{
	g_autoptr(SuitCborItem) item = NULL;

	if (depth > SUIT_COMMAND_SEQUENCE_MAX_NESTING) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_LIMIT_EXCEEDED,
			    "command sequences are nested deeper than %u levels",
			    (guint)SUIT_COMMAND_SEQUENCE_MAX_NESTING);
		return NULL;
	}
	item = suit_cbor_decode(cbor, NULL, flags, error);
	if (item == NULL)
		return NULL;
	return suit_command_sequence_new_from_item(item, flags, depth, error);
}

/**
 * suit_command_sequence_new_from_bytes_full: (skip)
 */
SuitCommandSequence *
suit_command_sequence_new_from_bytes_full(GBytes *cbor, SuitParseFlags flags, GError **error)
{
	g_return_val_if_fail(cbor != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);
	return suit_command_sequence_parse(cbor, flags, 0, error);
}

/**
 * suit_command_sequence_new_from_cbor:
 * @cbor: an encoded SUIT_Command_Sequence (the content of its byte string)
 * @error: return location for a #GError, or %NULL
 *
 * Parses a command sequence strictly, including the sequences nested in
 * try-each and run-sequence (at most 8 levels deep).
 *
 * Returns: (transfer full): a new #SuitCommandSequence, or %NULL with
 *   %SUIT_ERROR_INVALID_CBOR, %SUIT_ERROR_INVALID_DATA or
 *   %SUIT_ERROR_LIMIT_EXCEEDED
 *
 * Since: 0.1
 */
SuitCommandSequence *
suit_command_sequence_new_from_cbor(GBytes *cbor, GError **error)
{
	return suit_command_sequence_new_from_bytes_full(cbor, SUIT_PARSE_FLAG_NONE, error);
}

/**
 * suit_command_sequence_ref:
 * @self: a #SuitCommandSequence
 *
 * Adds a reference.
 *
 * Returns: (transfer full): @self
 *
 * Since: 0.1
 */
SuitCommandSequence *
suit_command_sequence_ref(SuitCommandSequence *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	g_atomic_int_inc(&self->refcount);
	return self;
}

/**
 * suit_command_sequence_unref:
 * @self: (nullable): a #SuitCommandSequence
 *
 * Drops a reference, freeing the sequence when it was the last one.
 *
 * Since: 0.1
 */
void
suit_command_sequence_unref(SuitCommandSequence *self)
{
	if (self == NULL)
		return;
	if (!g_atomic_int_dec_and_test(&self->refcount))
		return;
	g_clear_pointer(&self->item, suit_cbor_item_unref);
	g_clear_pointer(&self->cbor, g_bytes_unref);
	g_clear_pointer(&self->commands, g_ptr_array_unref);
	g_free(self);
}

/**
 * suit_command_sequence_get_length:
 * @self: a #SuitCommandSequence
 *
 * Gets the number of commands (code and argument pairs).
 *
 * Returns: the number of commands
 *
 * Since: 0.1
 */
guint
suit_command_sequence_get_length(const SuitCommandSequence *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->commands->len;
}

/**
 * suit_command_sequence_get_command:
 * @self: a #SuitCommandSequence
 * @idx: an index below suit_command_sequence_get_length()
 *
 * Gets one command.
 *
 * Returns: (transfer none) (nullable): the command, or %NULL if @idx is out of range
 *
 * Since: 0.1
 */
SuitCommand *
suit_command_sequence_get_command(const SuitCommandSequence *self, guint idx)
{
	g_return_val_if_fail(self != NULL, NULL);
	if (idx >= self->commands->len)
		return NULL;
	return g_ptr_array_index(self->commands, idx);
}

/**
 * suit_command_sequence_to_cbor:
 * @self: a #SuitCommandSequence
 *
 * Gets the encoded sequence, byte for byte as it was parsed (the content of
 * the byte string that wraps it in a manifest).
 *
 * Returns: (transfer full): the encoded sequence
 *
 * Since: 0.1
 */
GBytes *
suit_command_sequence_to_cbor(const SuitCommandSequence *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return g_bytes_ref(self->cbor);
}
