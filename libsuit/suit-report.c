/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * SUIT reports (draft-ietf-suit-report, SUIT-SPEC.md §10).
 *
 * SUIT_Report = {
 *   99 => [manifest-uri : tstr, manifest-digest : SUIT_Digest],
 *   ? 2 => nonce : bstr,
 *   3 => [* SUIT_Record / system-property-claims],
 *   4 => true / {5 => result-code : int, 6 => SUIT_Record, 7 => reason : int},
 *   * other => any                    (kept as they are: capability report 8, ...)
 * }
 * SUIT_Record = [[* uint], section : int, offset : uint, component-index : uint,
 *                {* int => any}]
 * system-property-claims = {0 => component-id, * int => any}
 *
 * Every map libsuit writes is in RFC 8949 deterministic order. Reports from
 * libcsuit repeat keys inside the claims map: parsing keeps the first value
 * of a repeated property key and records a warning instead of failing.
 */

#include "config.h"

#include <string.h>

#include "suit-cose-private.h"
#include "suit-error.h"
#include "suit-manifest-private.h"
#include "suit-model-private.h"
#include "suit-report.h"

#define SUIT_REPORT_KEY_NONCE		  2
#define SUIT_REPORT_KEY_RECORDS		  3
#define SUIT_REPORT_KEY_RESULT		  4
#define SUIT_REPORT_KEY_RESULT_CODE	  5
#define SUIT_REPORT_KEY_RESULT_RECORD	  6
#define SUIT_REPORT_KEY_RESULT_REASON	  7
#define SUIT_REPORT_KEY_CAPABILITY_REPORT 8
#define SUIT_REPORT_KEY_REFERENCE	  99
#define SUIT_REPORT_CLAIMS_KEY_COMPONENT  0

/* a report is small: records are few and hold no payloads */
#define SUIT_REPORT_MAX_LENGTH	   (1024 * 1024)
#define SUIT_REPORT_MAX_ITEMS	   16384
#define SUIT_REPORT_MAX_DEPTH	   16
#define SUIT_REPORT_MAX_EXTENSIONS 64

/* properties --------------------------------------------------------------- */

/**
 * SuitReportProperties:
 *
 * An ordered map of SUIT parameters (integer keys, CBOR values): the
 * properties of a [struct@ReportRecord] or the claims of a
 * [struct@ReportClaims]. Keys are unique; the encoding sorts them.
 *
 * Since: 0.1
 */

typedef struct {
	gint64 key;
	SuitCborItem *value;
} SuitReportProperty;

struct _SuitReportProperties {
	gint refcount;
	GArray *entries; /* (element-type SuitReportProperty), unique keys, insertion order */
};

G_DEFINE_BOXED_TYPE(SuitReportProperties,
		    suit_report_properties,
		    suit_report_properties_ref,
		    suit_report_properties_unref)

static void
suit_report_property_clear(SuitReportProperty *entry)
{
	g_clear_pointer(&entry->value, suit_cbor_item_unref);
}

/**
 * suit_report_properties_new:
 *
 * Creates an empty ordered map of SUIT parameters, the properties of a
 * report record or the claims about a component. Keys are SUIT parameter
 * codepoints (`14` image-size, `3` image-digest, ...); they stay in the order
 * they were first added, and adding a key again replaces its value in place.
 *
 * Returns: (transfer full): a new #SuitReportProperties
 *
 * Since: 0.1
 */
SuitReportProperties *
suit_report_properties_new(void)
{
	SuitReportProperties *self = g_new0(SuitReportProperties, 1);
	self->refcount = 1;
	self->entries = g_array_new(FALSE, TRUE, sizeof(SuitReportProperty));
	g_array_set_clear_func(self->entries, (GDestroyNotify)suit_report_property_clear);
	return self;
}

/**
 * suit_report_properties_ref:
 * @self: a #SuitReportProperties
 *
 * Adds a reference.
 *
 * Returns: (transfer full): @self
 *
 * Since: 0.1
 */
SuitReportProperties *
suit_report_properties_ref(SuitReportProperties *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	g_atomic_int_inc(&self->refcount);
	return self;
}

/**
 * suit_report_properties_unref:
 * @self: (nullable): a #SuitReportProperties
 *
 * Drops a reference, freeing the map when it was the last one.
 *
 * Since: 0.1
 */
void
suit_report_properties_unref(SuitReportProperties *self)
{
	if (self == NULL)
		return;
	if (!g_atomic_int_dec_and_test(&self->refcount))
		return;
	g_array_unref(self->entries);
	g_free(self);
}

static SuitCborItem *
suit_report_properties_lookup(const SuitReportProperties *self, gint64 key)
{
	for (guint i = 0; i < self->entries->len; i++) {
		SuitReportProperty *entry = &g_array_index(self->entries, SuitReportProperty, i);
		if (entry->key == key)
			return entry->value;
	}
	return NULL;
}

/* steals @value */
static void
suit_report_properties_set_item(SuitReportProperties *self, gint64 key, SuitCborItem *value)
{
	SuitReportProperty entry = {.key = key, .value = value};
	for (guint i = 0; i < self->entries->len; i++) {
		SuitReportProperty *old = &g_array_index(self->entries, SuitReportProperty, i);
		if (old->key == key) {
			suit_cbor_item_unref(old->value);
			old->value = value;
			return;
		}
	}
	g_array_append_val(self->entries, entry);
}

/**
 * suit_report_properties_add_uint:
 * @self: a #SuitReportProperties
 * @key: a SUIT parameter codepoint, e.g. 14 for image-size
 * @value: an unsigned integer
 *
 * Sets @key to an unsigned integer.
 *
 * Since: 0.1
 */
void
suit_report_properties_add_uint(SuitReportProperties *self, gint64 key, guint64 value)
{
	g_return_if_fail(self != NULL);
	suit_report_properties_set_item(self, key, suit_cbor_item_new_uint(value));
}

/**
 * suit_report_properties_add_int:
 * @self: a #SuitReportProperties
 * @key: a SUIT parameter codepoint
 * @value: an integer
 *
 * Sets @key to an integer.
 *
 * Since: 0.1
 */
void
suit_report_properties_add_int(SuitReportProperties *self, gint64 key, gint64 value)
{
	g_return_if_fail(self != NULL);
	suit_report_properties_set_item(self, key, suit_cbor_item_new_int(value));
}

/**
 * suit_report_properties_add_bytes:
 * @self: a #SuitReportProperties
 * @key: a SUIT parameter codepoint, e.g. 1 for vendor-identifier
 * @value: the bytes
 *
 * Sets @key to a byte string.
 *
 * Since: 0.1
 */
void
suit_report_properties_add_bytes(SuitReportProperties *self, gint64 key, GBytes *value)
{
	g_return_if_fail(self != NULL);
	g_return_if_fail(value != NULL);
	suit_report_properties_set_item(self, key, suit_cbor_item_new_bytes(value));
}

/**
 * suit_report_properties_add_text:
 * @self: a #SuitReportProperties
 * @key: a SUIT parameter codepoint, e.g. 21 for uri
 * @value: a UTF-8 string
 *
 * Sets @key to a text string.
 *
 * Since: 0.1
 */
void
suit_report_properties_add_text(SuitReportProperties *self, gint64 key, const gchar *value)
{
	g_return_if_fail(self != NULL);
	g_return_if_fail(value != NULL);
	g_return_if_fail(g_utf8_validate(value, -1, NULL));
	suit_report_properties_set_item(self, key, suit_cbor_item_new_text(value));
}

/**
 * suit_report_properties_add_bool:
 * @self: a #SuitReportProperties
 * @key: a SUIT parameter codepoint, e.g. 12 for strict-order
 * @value: a boolean
 *
 * Sets @key to a boolean.
 *
 * Since: 0.1
 */
void
suit_report_properties_add_bool(SuitReportProperties *self, gint64 key, gboolean value)
{
	g_return_if_fail(self != NULL);
	suit_report_properties_set_item(self, key, suit_cbor_item_new_bool(value));
}

/**
 * suit_report_properties_add_digest:
 * @self: a #SuitReportProperties
 * @key: a SUIT parameter codepoint, usually 3 for image-digest
 * @value: a #SuitDigest
 *
 * Sets @key to a digest, encoded as the image-digest parameter is: a byte
 * string holding the encoded SUIT_Digest.
 *
 * Since: 0.1
 */
void
suit_report_properties_add_digest(SuitReportProperties *self, gint64 key, SuitDigest *value)
{
	g_autoptr(SuitCborItem) item = NULL;
	g_return_if_fail(self != NULL);
	g_return_if_fail(value != NULL);
	item = suit_digest_to_item(value);
	suit_report_properties_set_item(self, key, suit_cbor_item_new_wrapped(item));
}

/**
 * suit_report_properties_add_cbor:
 * @self: a #SuitReportProperties
 * @key: a SUIT parameter codepoint
 * @cbor: one encoded CBOR data item
 * @error: return location for a #GError, or %NULL
 *
 * Sets @key to any CBOR value, for example a version parameter.
 *
 * Returns: %TRUE for success, %FALSE with %SUIT_ERROR_INVALID_CBOR or
 *   %SUIT_ERROR_LIMIT_EXCEEDED
 *
 * Since: 0.1
 */
gboolean
suit_report_properties_add_cbor(SuitReportProperties *self, gint64 key, GBytes *cbor, GError **error)
{
	const SuitCborLimits limits = {
	    .max_depth = SUIT_REPORT_MAX_DEPTH,
	    .max_items = SUIT_REPORT_MAX_ITEMS,
	    .max_length = SUIT_REPORT_MAX_LENGTH,
	};
	SuitCborItem *item;

	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(cbor != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
	item = suit_cbor_decode(cbor, &limits, SUIT_PARSE_FLAG_NONE, error);
	if (item == NULL)
		return FALSE;
	suit_report_properties_set_item(self, key, item);
	return TRUE;
}

/**
 * suit_report_properties_get_size:
 * @self: a #SuitReportProperties
 *
 * Gets the number of properties.
 *
 * Returns: the number of keys
 *
 * Since: 0.1
 */
guint
suit_report_properties_get_size(const SuitReportProperties *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->entries->len;
}

/**
 * suit_report_properties_get_key:
 * @self: a #SuitReportProperties
 * @idx: an index below suit_report_properties_get_size()
 *
 * Gets the key at a position, in insertion order.
 *
 * Returns: the parameter codepoint
 *
 * Since: 0.1
 */
gint64
suit_report_properties_get_key(const SuitReportProperties *self, guint idx)
{
	g_return_val_if_fail(self != NULL, 0);
	g_return_val_if_fail(idx < self->entries->len, 0);
	return g_array_index(self->entries, SuitReportProperty, idx).key;
}

/**
 * suit_report_properties_has:
 * @self: a #SuitReportProperties
 * @key: a SUIT parameter codepoint
 *
 * Checks whether a key is set.
 *
 * Returns: %TRUE if @key has a value
 *
 * Since: 0.1
 */
gboolean
suit_report_properties_has(const SuitReportProperties *self, gint64 key)
{
	g_return_val_if_fail(self != NULL, FALSE);
	return suit_report_properties_lookup(self, key) != NULL;
}

/**
 * suit_report_properties_get_uint:
 * @self: a #SuitReportProperties
 * @key: a SUIT parameter codepoint
 * @value: (out) (optional): the value
 *
 * Gets an unsigned integer property.
 *
 * Returns: %TRUE if @key is set to an unsigned integer
 *
 * Since: 0.1
 */
gboolean
suit_report_properties_get_uint(const SuitReportProperties *self, gint64 key, guint64 *value)
{
	g_return_val_if_fail(self != NULL, FALSE);
	/* NULL-safe, and @value is only written on success */
	return suit_cbor_item_get_uint(suit_report_properties_lookup(self, key), value);
}

/**
 * suit_report_properties_get_int:
 * @self: a #SuitReportProperties
 * @key: a SUIT parameter codepoint
 * @value: (out) (optional): the value
 *
 * Gets an integer property.
 *
 * Returns: %TRUE if @key is set to an integer that fits a #gint64
 *
 * Since: 0.1
 */
gboolean
suit_report_properties_get_int(const SuitReportProperties *self, gint64 key, gint64 *value)
{
	g_return_val_if_fail(self != NULL, FALSE);
	/* NULL-safe, and @value is only written on success */
	return suit_cbor_item_get_int(suit_report_properties_lookup(self, key), value);
}

/**
 * suit_report_properties_get_bool:
 * @self: a #SuitReportProperties
 * @key: a SUIT parameter codepoint
 * @value: (out) (optional): the value
 *
 * Gets a boolean property.
 *
 * Returns: %TRUE if @key is set to a boolean
 *
 * Since: 0.1
 */
gboolean
suit_report_properties_get_bool(const SuitReportProperties *self, gint64 key, gboolean *value)
{
	g_return_val_if_fail(self != NULL, FALSE);
	/* NULL-safe, and @value is only written on success */
	return suit_cbor_item_get_bool(suit_report_properties_lookup(self, key), value);
}

/**
 * suit_report_properties_get_bytes:
 * @self: a #SuitReportProperties
 * @key: a SUIT parameter codepoint
 *
 * Gets a byte string property.
 *
 * Returns: (transfer none) (nullable): the bytes, or %NULL if @key is not set
 *   to a byte string
 *
 * Since: 0.1
 */
GBytes *
suit_report_properties_get_bytes(const SuitReportProperties *self, gint64 key)
{
	SuitCborItem *item;
	g_return_val_if_fail(self != NULL, NULL);
	item = suit_report_properties_lookup(self, key);
	if (item == NULL || suit_cbor_item_get_type(item) != SUIT_CBOR_TYPE_BYTES)
		return NULL;
	return suit_cbor_item_get_bytes(item);
}

/**
 * suit_report_properties_dup_text:
 * @self: a #SuitReportProperties
 * @key: a SUIT parameter codepoint
 *
 * Gets a text string property.
 *
 * Returns: (transfer full) (nullable): the text, or %NULL if @key is not set
 *   to a text string
 *
 * Since: 0.1
 */
gchar *
suit_report_properties_dup_text(const SuitReportProperties *self, gint64 key)
{
	g_return_val_if_fail(self != NULL, NULL);
	return suit_cbor_item_dup_text(suit_report_properties_lookup(self, key));
}

/**
 * suit_report_properties_dup_digest:
 * @self: a #SuitReportProperties
 * @key: a SUIT parameter codepoint, usually 3 for image-digest
 * @error: return location for a #GError, or %NULL
 *
 * Gets a digest property (a byte string holding an encoded SUIT_Digest).
 *
 * Returns: (transfer full): the digest, or %NULL with %SUIT_ERROR_NOT_FOUND,
 *   %SUIT_ERROR_INVALID_CBOR or %SUIT_ERROR_INVALID_DATA
 *
 * Since: 0.1
 */
SuitDigest *
suit_report_properties_dup_digest(const SuitReportProperties *self, gint64 key, GError **error)
{
	g_return_val_if_fail(self != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);
	return suit_parameter_value_dup_digest(suit_report_properties_lookup(self, key),
					       "property",
					       key,
					       error);
}

/**
 * suit_report_properties_get_cbor:
 * @self: a #SuitReportProperties
 * @key: a SUIT parameter codepoint
 *
 * Gets the encoding of any property value.
 *
 * Returns: (transfer full) (nullable): the encoded value, or %NULL if @key
 *   is not set
 *
 * Since: 0.1
 */
GBytes *
suit_report_properties_get_cbor(const SuitReportProperties *self, gint64 key)
{
	SuitCborItem *item;
	g_return_val_if_fail(self != NULL, NULL);
	item = suit_report_properties_lookup(self, key);
	if (item == NULL)
		return NULL;
	return suit_cbor_encode(item);
}

/* entries are appended to @map in insertion order; the caller sorts */
static void
suit_report_properties_append_to_map(const SuitReportProperties *self, SuitCborItem *map)
{
	for (guint i = 0; i < self->entries->len; i++) {
		SuitReportProperty *entry = &g_array_index(self->entries, SuitReportProperty, i);
		suit_cbor_map_append(map, suit_cbor_item_new_int(entry->key), suit_cbor_item_ref(entry->value));
	}
}

static gchar *
suit_report_key_to_string(const SuitCborItem *key)
{
	gint64 value = 0;
	if (suit_cbor_item_get_int(key, &value))
		return g_strdup_printf("%" G_GINT64_FORMAT, value);
	return suit_cbor_item_to_diag(key);
}

/*
 * Fills @self from the integer-keyed @map. @skip_key is a key handled by the
 * caller (the component id of claims), or G_MININT64. A repeated key keeps
 * its first value and adds a warning; @what names the map in it.
 */
static gboolean
suit_report_properties_parse(SuitReportProperties *self,
			     SuitCborItem *map,
			     gint64 skip_key,
			     const gchar *what,
			     GPtrArray *warnings,
			     GError **error)
{
	gboolean skip_seen = FALSE;

	for (guint i = 0; i < suit_cbor_item_get_length(map); i++) {
		SuitCborItem *key_item = suit_cbor_map_get_key(map, i);
		SuitCborItem *value = suit_cbor_map_get_value(map, i);
		SuitCborItem *old;
		gint64 key = 0;

		if (!suit_cbor_item_get_int(key_item, &key)) {
			g_autofree gchar *str = suit_report_key_to_string(key_item);
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "key %s in %s is not an integer",
				    str,
				    what);
			return FALSE;
		}
		if (key == skip_key) {
			if (skip_seen)
				g_ptr_array_add(warnings,
						g_strdup_printf("duplicate key %" G_GINT64_FORMAT " in %s",
								key,
								what));
			skip_seen = TRUE;
			continue;
		}
		old = suit_report_properties_lookup(self, key);
		if (old != NULL) {
			if (suit_cbor_item_equal(old, value)) {
				g_ptr_array_add(warnings,
						g_strdup_printf("duplicate key %" G_GINT64_FORMAT " in %s",
								key,
								what));
			} else {
				g_ptr_array_add(warnings,
						g_strdup_printf("duplicate key %" G_GINT64_FORMAT
								" in %s with a different value, "
								"the first one is kept",
								key,
								what));
			}
			continue;
		}
		suit_report_properties_set_item(self, key, suit_cbor_item_ref(value));
	}
	return TRUE;
}

/* records ------------------------------------------------------------------ */

/**
 * SuitReportRecord:
 *
 * A SUIT_Record: the manifest (a path in the dependency tree), the command
 * sequence, the offset of the command in it and the component index, with
 * the parameters that were in force.
 *
 * Since: 0.1
 */

struct _SuitReportRecord {
	gint refcount;
	GArray *manifest_id; /* (element-type guint) */
	gint64 section;
	guint64 section_offset;
	guint64 component_index;
	SuitReportProperties *properties;
};

G_DEFINE_BOXED_TYPE(SuitReportRecord, suit_report_record, suit_report_record_ref, suit_report_record_unref)

/**
 * suit_report_record_new:
 * @section: the manifest member key of the command sequence, such as
 *   %SUIT_SECTION_INSTALL (20); any integer is accepted
 * @section_offset: the byte offset of the command within the sequence
 * @component_index: the component index the command applied to
 *
 * Creates a SUIT_Record: where in the manifest something happened, with the
 * parameters that were in force (suit_report_record_get_properties()). The
 * manifest id starts as the root manifest (an empty path); dependencies are
 * named with suit_report_record_append_manifest_id().
 *
 * The shared sequence is not a member of the manifest map, so it has no
 * section number of its own in a report; the caller picks the integer it
 * documents for that case.
 *
 * Returns: (transfer full): a new #SuitReportRecord
 *
 * Since: 0.1
 */
SuitReportRecord *
suit_report_record_new(gint64 section, guint64 section_offset, guint64 component_index)
{
	SuitReportRecord *self = g_new0(SuitReportRecord, 1);
	self->refcount = 1;
	self->manifest_id = g_array_new(FALSE, FALSE, sizeof(guint));
	self->section = section;
	self->section_offset = section_offset;
	self->component_index = component_index;
	self->properties = suit_report_properties_new();
	return self;
}

/**
 * suit_report_record_ref:
 * @self: a #SuitReportRecord
 *
 * Adds a reference.
 *
 * Returns: (transfer full): @self
 *
 * Since: 0.1
 */
SuitReportRecord *
suit_report_record_ref(SuitReportRecord *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	g_atomic_int_inc(&self->refcount);
	return self;
}

/**
 * suit_report_record_unref:
 * @self: (nullable): a #SuitReportRecord
 *
 * Drops a reference, freeing the record when it was the last one.
 *
 * Since: 0.1
 */
void
suit_report_record_unref(SuitReportRecord *self)
{
	if (self == NULL)
		return;
	if (!g_atomic_int_dec_and_test(&self->refcount))
		return;
	g_array_unref(self->manifest_id);
	suit_report_properties_unref(self->properties);
	g_free(self);
}

/**
 * suit_report_record_get_manifest_id:
 * @self: a #SuitReportRecord
 *
 * Gets the path of the manifest in the dependency tree: empty for the root
 * manifest, `[1]` for the root's dependency with component index 1, and so
 * on.
 *
 * Returns: (transfer none) (element-type guint): the path
 *
 * Since: 0.1
 */
GArray *
suit_report_record_get_manifest_id(const SuitReportRecord *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->manifest_id;
}

/**
 * suit_report_record_append_manifest_id:
 * @self: a #SuitReportRecord
 * @index: the component index of a dependency
 *
 * Appends one step to the manifest id path.
 *
 * Since: 0.1
 */
void
suit_report_record_append_manifest_id(SuitReportRecord *self, guint index)
{
	g_return_if_fail(self != NULL);
	g_array_append_val(self->manifest_id, index);
}

/**
 * suit_report_record_get_section:
 * @self: a #SuitReportRecord
 *
 * Gets the manifest member key of the command sequence.
 *
 * Returns: the section, usually a #SuitSection value
 *
 * Since: 0.1
 */
gint64
suit_report_record_get_section(const SuitReportRecord *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->section;
}

/**
 * suit_report_record_get_section_offset:
 * @self: a #SuitReportRecord
 *
 * Gets the byte offset of the command within its sequence.
 *
 * Returns: the offset
 *
 * Since: 0.1
 */
guint64
suit_report_record_get_section_offset(const SuitReportRecord *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->section_offset;
}

/**
 * suit_report_record_get_component_index:
 * @self: a #SuitReportRecord
 *
 * Gets the component index the command applied to.
 *
 * Returns: the component index
 *
 * Since: 0.1
 */
guint64
suit_report_record_get_component_index(const SuitReportRecord *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->component_index;
}

/**
 * suit_report_record_get_properties:
 * @self: a #SuitReportRecord
 *
 * Gets the properties of the record, which can be changed in place.
 *
 * Returns: (transfer none): the properties
 *
 * Since: 0.1
 */
SuitReportProperties *
suit_report_record_get_properties(const SuitReportRecord *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->properties;
}

/**
 * suit_report_record_set_properties:
 * @self: a #SuitReportRecord
 * @properties: a #SuitReportProperties
 *
 * Replaces the properties of the record.
 *
 * Since: 0.1
 */
void
suit_report_record_set_properties(SuitReportRecord *self, SuitReportProperties *properties)
{
	g_return_if_fail(self != NULL);
	g_return_if_fail(properties != NULL);
	suit_report_properties_ref(properties);
	suit_report_properties_unref(self->properties);
	self->properties = properties;
}

static SuitCborItem *
suit_report_record_to_item(const SuitReportRecord *self)
{
	SuitCborItem *array = suit_cbor_item_new_array();
	SuitCborItem *path = suit_cbor_item_new_array();
	SuitCborItem *map = suit_cbor_item_new_map();

	for (guint i = 0; i < self->manifest_id->len; i++)
		suit_cbor_array_append(path, suit_cbor_item_new_uint(g_array_index(self->manifest_id, guint, i)));
	suit_report_properties_append_to_map(self->properties, map);
	suit_cbor_map_sort(map);
	suit_cbor_array_append(array, path);
	suit_cbor_array_append(array, suit_cbor_item_new_int(self->section));
	suit_cbor_array_append(array, suit_cbor_item_new_uint(self->section_offset));
	suit_cbor_array_append(array, suit_cbor_item_new_uint(self->component_index));
	suit_cbor_array_append(array, map);
	return array;
}

static SuitReportRecord *
suit_report_record_new_from_item(SuitCborItem *item, GPtrArray *warnings, GError **error)
{
	SuitCborItem *path;
	SuitCborItem *props;
	gint64 section = 0;
	guint64 offset = 0;
	guint64 component_index = 0;
	g_autoptr(SuitReportRecord) self = NULL;

	if (suit_cbor_item_get_type(item) != SUIT_CBOR_TYPE_ARRAY || suit_cbor_item_get_length(item) != 5) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "a SUIT_Record must be an array of manifest id, section, "
				    "offset, component index and properties");
		return NULL;
	}
	path = suit_cbor_array_get(item, 0);
	if (suit_cbor_item_get_type(path) != SUIT_CBOR_TYPE_ARRAY) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "the manifest id of a SUIT_Record must be an array of unsigned integers");
		return NULL;
	}
	if (!suit_cbor_item_get_int(suit_cbor_array_get(item, 1), &section)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "the section of a SUIT_Record must be an integer");
		return NULL;
	}
	if (!suit_cbor_item_get_uint(suit_cbor_array_get(item, 2), &offset)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "the section offset of a SUIT_Record must be an unsigned integer");
		return NULL;
	}
	if (!suit_cbor_item_get_uint(suit_cbor_array_get(item, 3), &component_index)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "the component index of a SUIT_Record must be an unsigned integer");
		return NULL;
	}
	props = suit_cbor_array_get(item, 4);
	if (suit_cbor_item_get_type(props) != SUIT_CBOR_TYPE_MAP) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "the properties of a SUIT_Record must be a map");
		return NULL;
	}

	self = suit_report_record_new(section, offset, component_index);
	for (guint i = 0; i < suit_cbor_item_get_length(path); i++) {
		guint64 step = 0;
		if (!suit_cbor_item_get_uint(suit_cbor_array_get(path, i), &step) || step > G_MAXUINT) {
			g_set_error_literal(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_DATA,
					    "the manifest id of a SUIT_Record must be an array of "
					    "unsigned integers");
			return NULL;
		}
		suit_report_record_append_manifest_id(self, (guint)step);
	}
	if (!suit_report_properties_parse(self->properties, props, G_MININT64, "record properties", warnings, error))
		return NULL;
	return g_steal_pointer(&self);
}

static gchar *
suit_report_record_manifest_id_to_string(const SuitReportRecord *self)
{
	GString *str = g_string_new("[");
	for (guint i = 0; i < self->manifest_id->len; i++) {
		if (i > 0)
			g_string_append(str, ", ");
		g_string_append_printf(str, "%u", g_array_index(self->manifest_id, guint, i));
	}
	g_string_append_c(str, ']');
	return g_string_free(str, FALSE);
}

/* claims ------------------------------------------------------------------- */

/**
 * SuitReportClaims:
 *
 * system-property-claims: what the device says about one of its components
 * (a map whose key 0 is the component identifier). Made by
 * suit_report_add_system_property_claims().
 *
 * Since: 0.1
 */

struct _SuitReportClaims {
	gint refcount;
	SuitComponentId *component_id;
	SuitReportProperties *properties;
};

G_DEFINE_BOXED_TYPE(SuitReportClaims, suit_report_claims, suit_report_claims_ref, suit_report_claims_unref)

static SuitReportClaims *
suit_report_claims_new(SuitComponentId *component_id, SuitReportProperties *properties)
{
	SuitReportClaims *self = g_new0(SuitReportClaims, 1);
	self->refcount = 1;
	self->component_id = suit_component_id_ref(component_id);
	self->properties = suit_report_properties_ref(properties);
	return self;
}

/**
 * suit_report_claims_ref:
 * @self: a #SuitReportClaims
 *
 * Adds a reference.
 *
 * Returns: (transfer full): @self
 *
 * Since: 0.1
 */
SuitReportClaims *
suit_report_claims_ref(SuitReportClaims *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	g_atomic_int_inc(&self->refcount);
	return self;
}

/**
 * suit_report_claims_unref:
 * @self: (nullable): a #SuitReportClaims
 *
 * Drops a reference, freeing the claims when it was the last one.
 *
 * Since: 0.1
 */
void
suit_report_claims_unref(SuitReportClaims *self)
{
	if (self == NULL)
		return;
	if (!g_atomic_int_dec_and_test(&self->refcount))
		return;
	suit_component_id_unref(self->component_id);
	suit_report_properties_unref(self->properties);
	g_free(self);
}

/**
 * suit_report_claims_get_component_id:
 * @self: a #SuitReportClaims
 *
 * Gets the component the claims are about (key 0 of system-property-claims).
 *
 * Returns: (transfer none): the component identifier
 *
 * Since: 0.1
 */
SuitComponentId *
suit_report_claims_get_component_id(const SuitReportClaims *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->component_id;
}

/**
 * suit_report_claims_get_properties:
 * @self: a #SuitReportClaims
 *
 * Gets the claimed properties (vendor-identifier, image-size, ...).
 *
 * Returns: (transfer none): the properties, without the component id
 *
 * Since: 0.1
 */
SuitReportProperties *
suit_report_claims_get_properties(const SuitReportClaims *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->properties;
}

static SuitCborItem *
suit_report_claims_to_item(const SuitReportClaims *self)
{
	SuitCborItem *map = suit_cbor_item_new_map();
	suit_cbor_map_append(map,
			     suit_cbor_item_new_int(SUIT_REPORT_CLAIMS_KEY_COMPONENT),
			     suit_component_id_to_item(self->component_id));
	suit_report_properties_append_to_map(self->properties, map);
	suit_cbor_map_sort(map);
	return map;
}

static SuitReportClaims *
suit_report_claims_new_from_item(SuitCborItem *map, GPtrArray *warnings, GError **error)
{
	SuitCborItem *component;
	g_autoptr(SuitComponentId) component_id = NULL;
	g_autoptr(SuitReportProperties) properties = suit_report_properties_new();

	component = suit_cbor_map_lookup_int(map, SUIT_REPORT_CLAIMS_KEY_COMPONENT);
	if (component == NULL) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "system property claims have no component id (key 0)");
		return NULL;
	}
	component_id = suit_component_id_new_from_item(component, error);
	if (component_id == NULL)
		return NULL;
	if (!suit_report_properties_parse(properties,
					  map,
					  SUIT_REPORT_CLAIMS_KEY_COMPONENT,
					  "system property claims",
					  warnings,
					  error))
		return NULL;
	return suit_report_claims_new(component_id, properties);
}

/* the report --------------------------------------------------------------- */

/**
 * SuitReport:
 *
 * A SUIT report (draft-ietf-suit-report): which manifest was processed
 * (reference URI and manifest digest), records of what happened, claims about
 * the system, and the result, signed by the device.
 *
 * A Firmware Consumer builds one while it processes a manifest:
 * suit_report_set_reference(), suit_report_add_record(),
 * suit_report_add_system_property_claims(), then
 * suit_report_set_result_success() or suit_report_set_result_failure(), and
 * signs it with suit_report_sign(). A Status Tracker reads it back with
 * suit_report_new_from_cose(), which verifies the signature first.
 *
 * Built reports are encoded in RFC 8949 deterministic order. Parsing
 * tolerates repeated keys inside record and claims maps (libcsuit writes
 * them): the first value is kept and suit_report_get_warnings() says what was
 * repeated.
 *
 * See also: [class@Envelope], [class@Keyring]
 */

typedef struct {
	SuitReportRecord *record; /* (nullable) */
	SuitReportClaims *claims; /* (nullable) */
} SuitReportEntry;

struct _SuitReport {
	GObject parent_instance;
	gchar *uri;
	SuitDigest *digest; /* (nullable) until set */
	GBytes *nonce;	    /* (nullable) */
	GArray *entries;    /* (element-type SuitReportEntry): wire order of key 3 */
	GPtrArray *records; /* (element-type SuitReportRecord) */
	GPtrArray *claims;  /* (element-type SuitReportClaims) */
	gboolean has_result;
	gboolean success;
	gint64 result_code;
	SuitReportRecord *result_record; /* (nullable) */
	gint result_reason;
	GPtrArray *extensions; /* (element-type SuitCborItem): key, value, key, value... */
	GPtrArray *warnings;   /* (element-type utf8) */
};

G_DEFINE_TYPE(SuitReport, suit_report, G_TYPE_OBJECT)

static void
suit_report_entry_clear(SuitReportEntry *entry)
{
	g_clear_pointer(&entry->record, suit_report_record_unref);
	g_clear_pointer(&entry->claims, suit_report_claims_unref);
}

static void
suit_report_finalize(GObject *object)
{
	SuitReport *self = SUIT_REPORT(object);
	g_free(self->uri);
	g_clear_pointer(&self->digest, suit_digest_unref);
	g_clear_pointer(&self->nonce, g_bytes_unref);
	g_array_unref(self->entries);
	g_ptr_array_unref(self->records);
	g_ptr_array_unref(self->claims);
	g_clear_pointer(&self->result_record, suit_report_record_unref);
	g_ptr_array_unref(self->extensions);
	g_ptr_array_unref(self->warnings);
	G_OBJECT_CLASS(suit_report_parent_class)->finalize(object);
}

static void
suit_report_class_init(SuitReportClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->finalize = suit_report_finalize;
}

static void
suit_report_init(SuitReport *self)
{
	self->uri = g_strdup("");
	self->entries = g_array_new(FALSE, TRUE, sizeof(SuitReportEntry));
	g_array_set_clear_func(self->entries, (GDestroyNotify)suit_report_entry_clear);
	self->records = g_ptr_array_new_with_free_func((GDestroyNotify)suit_report_record_unref);
	self->claims = g_ptr_array_new_with_free_func((GDestroyNotify)suit_report_claims_unref);
	self->extensions = g_ptr_array_new_with_free_func((GDestroyNotify)suit_cbor_item_unref);
	self->warnings = g_ptr_array_new_with_free_func(g_free);
}

/* reasons ------------------------------------------------------------------ */

static const gchar *const suit_report_reason_names[] = {
    "ok",
    "cbor-parse",
    "cose-unsupported",
    "alg-unsupported",
    "unauthorised",
    "command-unsupported",
    "component-unsupported",
    "component-unauthorised",
    "parameter-unsupported",
    "severing-unsupported",
    "condition-failed",
    "operation-failed",
    "invoke-pending",
};

/**
 * suit_report_reason_to_string:
 * @reason: a #SuitReportReason
 *
 * Names a result reason as the draft does, e.g. `condition-failed`.
 *
 * Returns: (nullable): a static string, or %NULL for unknown values
 *
 * Since: 0.1
 */
const gchar *
suit_report_reason_to_string(SuitReportReason reason)
{
	if ((guint)reason >= G_N_ELEMENTS(suit_report_reason_names))
		return NULL;
	return suit_report_reason_names[reason];
}

/**
 * suit_report_reason_from_string:
 * @name: a reason name such as `unauthorised`
 *
 * Looks up a result reason by name.
 *
 * Returns: the #SuitReportReason, or -1 if @name is unknown
 *
 * Since: 0.1
 */
gint
suit_report_reason_from_string(const gchar *name)
{
	g_return_val_if_fail(name != NULL, -1);
	for (guint i = 0; i < G_N_ELEMENTS(suit_report_reason_names); i++) {
		if (g_strcmp0(suit_report_reason_names[i], name) == 0)
			return (gint)i;
	}
	return -1;
}

/**
 * suit_report_reason_from_error:
 * @error: (nullable): the error a manifest processor stopped with
 *
 * Chooses the report reason for an error: signature-invalid and
 * no-authentication give %SUIT_REPORT_REASON_UNAUTHORISED,
 * unsupported-algorithm %SUIT_REPORT_REASON_ALG_UNSUPPORTED, invalid-cbor
 * %SUIT_REPORT_REASON_CBOR_PARSE, unsupported-command
 * %SUIT_REPORT_REASON_COMMAND_UNSUPPORTED, unsupported-parameter
 * %SUIT_REPORT_REASON_PARAMETER_UNSUPPORTED, component-unsupported
 * %SUIT_REPORT_REASON_COMPONENT_UNSUPPORTED, condition-failed, rollback and
 * digest-mismatch %SUIT_REPORT_REASON_CONDITION_FAILED, anything else
 * (other domains included) %SUIT_REPORT_REASON_OPERATION_FAILED.
 *
 * Returns: a #SuitReportReason, %SUIT_REPORT_REASON_OK when @error is %NULL
 *
 * Since: 0.1
 */
SuitReportReason
suit_report_reason_from_error(const GError *error)
{
	if (error == NULL)
		return SUIT_REPORT_REASON_OK;
	if (error->domain != SUIT_ERROR)
		return SUIT_REPORT_REASON_OPERATION_FAILED;
	switch (error->code) {
	case SUIT_ERROR_SIGNATURE_INVALID:
	case SUIT_ERROR_NO_AUTHENTICATION:
		return SUIT_REPORT_REASON_UNAUTHORISED;
	case SUIT_ERROR_UNSUPPORTED_ALGORITHM:
		return SUIT_REPORT_REASON_ALG_UNSUPPORTED;
	case SUIT_ERROR_INVALID_CBOR:
		return SUIT_REPORT_REASON_CBOR_PARSE;
	case SUIT_ERROR_UNSUPPORTED_COMMAND:
		return SUIT_REPORT_REASON_COMMAND_UNSUPPORTED;
	case SUIT_ERROR_UNSUPPORTED_PARAMETER:
		return SUIT_REPORT_REASON_PARAMETER_UNSUPPORTED;
	case SUIT_ERROR_COMPONENT_UNSUPPORTED:
		return SUIT_REPORT_REASON_COMPONENT_UNSUPPORTED;
	case SUIT_ERROR_CONDITION_FAILED:
	case SUIT_ERROR_ROLLBACK:
	case SUIT_ERROR_DIGEST_MISMATCH:
		return SUIT_REPORT_REASON_CONDITION_FAILED;
	default:
		return SUIT_REPORT_REASON_OPERATION_FAILED;
	}
}

/* building ----------------------------------------------------------------- */

/**
 * suit_report_new:
 *
 * Creates an empty report. A reference and a result must be set before it
 * can be encoded.
 *
 * Returns: (transfer full): a new #SuitReport
 *
 * Since: 0.1
 */
SuitReport *
suit_report_new(void)
{
	return g_object_new(SUIT_TYPE_REPORT, NULL);
}

/**
 * suit_report_set_reference:
 * @self: a #SuitReport
 * @uri: (nullable): the manifest's reference URI, or %NULL for none (`""`)
 * @manifest_digest: the manifest digest, as in the envelope's authentication
 *   wrapper
 *
 * Names the manifest the report is about (key 99).
 *
 * Since: 0.1
 */
void
suit_report_set_reference(SuitReport *self, const gchar *uri, SuitDigest *manifest_digest)
{
	g_return_if_fail(SUIT_IS_REPORT(self));
	g_return_if_fail(manifest_digest != NULL);
	g_return_if_fail(uri == NULL || g_utf8_validate(uri, -1, NULL));
	g_free(self->uri);
	self->uri = g_strdup(uri != NULL ? uri : "");
	suit_digest_ref(manifest_digest);
	g_clear_pointer(&self->digest, suit_digest_unref);
	self->digest = manifest_digest;
}

/**
 * suit_report_set_nonce:
 * @self: a #SuitReport
 * @nonce: (nullable): a nonce from the Status Tracker, or %NULL for none
 *
 * Sets the report nonce (key 2), which ties the report to a request.
 *
 * Since: 0.1
 */
void
suit_report_set_nonce(SuitReport *self, GBytes *nonce)
{
	g_return_if_fail(SUIT_IS_REPORT(self));
	if (nonce != NULL)
		g_bytes_ref(nonce);
	g_clear_pointer(&self->nonce, g_bytes_unref);
	self->nonce = nonce;
}

/**
 * suit_report_add_record:
 * @self: a #SuitReport
 * @record: a #SuitReportRecord
 *
 * Appends a record to the report's records (key 3). The report holds a
 * reference: later changes to @record show in the report.
 *
 * Since: 0.1
 */
void
suit_report_add_record(SuitReport *self, SuitReportRecord *record)
{
	SuitReportEntry entry = {NULL};
	g_return_if_fail(SUIT_IS_REPORT(self));
	g_return_if_fail(record != NULL);
	entry.record = suit_report_record_ref(record);
	g_array_append_val(self->entries, entry);
	g_ptr_array_add(self->records, suit_report_record_ref(record));
}

/**
 * suit_report_add_system_property_claims:
 * @self: a #SuitReport
 * @component_id: the component the claims are about
 * @properties: what the system says about it, e.g. vendor-identifier (1),
 *   class-identifier (2), image-digest (3), image-size (14)
 *
 * Appends system-property-claims to the report's records (key 3). The
 * properties are copied; one with key 0 is left out, as key 0 holds
 * @component_id.
 *
 * Since: 0.1
 */
void
suit_report_add_system_property_claims(SuitReport *self,
				       SuitComponentId *component_id,
				       SuitReportProperties *properties)
{
	SuitReportEntry entry = {NULL};
	g_autoptr(SuitReportProperties) copy = suit_report_properties_new();

	g_return_if_fail(SUIT_IS_REPORT(self));
	g_return_if_fail(component_id != NULL);
	g_return_if_fail(properties != NULL);
	for (guint i = 0; i < properties->entries->len; i++) {
		SuitReportProperty *prop = &g_array_index(properties->entries, SuitReportProperty, i);
		if (prop->key == SUIT_REPORT_CLAIMS_KEY_COMPONENT)
			continue;
		suit_report_properties_set_item(copy, prop->key, suit_cbor_item_ref(prop->value));
	}
	entry.claims = suit_report_claims_new(component_id, copy);
	g_array_append_val(self->entries, entry);
	g_ptr_array_add(self->claims, suit_report_claims_ref(entry.claims));
}

/**
 * suit_report_set_result_success:
 * @self: a #SuitReport
 *
 * Sets the result to success (key 4 is `true`).
 *
 * Since: 0.1
 */
void
suit_report_set_result_success(SuitReport *self)
{
	g_return_if_fail(SUIT_IS_REPORT(self));
	self->has_result = TRUE;
	self->success = TRUE;
	self->result_code = 0;
	self->result_reason = SUIT_REPORT_REASON_OK;
	g_clear_pointer(&self->result_record, suit_report_record_unref);
}

/**
 * suit_report_set_result_failure:
 * @self: a #SuitReport
 * @result_code: an implementation-defined code (for debugging), e.g. a
 *   #SuitError code
 * @record: (nullable): where processing stopped
 * @reason: why it stopped
 *
 * Sets the result to a failure: key 4 is `{5: result_code, 6: record,
 * 7: reason}` (6 is left out without a record).
 *
 * Since: 0.1
 */
void
suit_report_set_result_failure(SuitReport *self,
			       gint64 result_code,
			       SuitReportRecord *record,
			       SuitReportReason reason)
{
	g_return_if_fail(SUIT_IS_REPORT(self));
	self->has_result = TRUE;
	self->success = FALSE;
	self->result_code = result_code;
	self->result_reason = reason;
	if (record != NULL)
		suit_report_record_ref(record);
	g_clear_pointer(&self->result_record, suit_report_record_unref);
	self->result_record = record;
}

/* encoding ----------------------------------------------------------------- */

static SuitCborItem *
suit_report_to_item(SuitReport *self, GError **error)
{
	g_autoptr(SuitCborItem) map = suit_cbor_item_new_map();
	SuitCborItem *reference;
	SuitCborItem *records;

	if (self->digest == NULL) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "the report has no reference to a manifest");
		return NULL;
	}
	if (!self->has_result) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "the report has no result");
		return NULL;
	}

	reference = suit_cbor_item_new_array();
	suit_cbor_array_append(reference, suit_cbor_item_new_text(self->uri));
	suit_cbor_array_append(reference, suit_digest_to_item(self->digest));
	suit_cbor_map_append(map, suit_cbor_item_new_int(SUIT_REPORT_KEY_REFERENCE), reference);

	if (self->nonce != NULL)
		suit_cbor_map_append(map,
				     suit_cbor_item_new_int(SUIT_REPORT_KEY_NONCE),
				     suit_cbor_item_new_bytes(self->nonce));

	records = suit_cbor_item_new_array();
	for (guint i = 0; i < self->entries->len; i++) {
		SuitReportEntry *entry = &g_array_index(self->entries, SuitReportEntry, i);
		if (entry->record != NULL)
			suit_cbor_array_append(records, suit_report_record_to_item(entry->record));
		else
			suit_cbor_array_append(records, suit_report_claims_to_item(entry->claims));
	}
	suit_cbor_map_append(map, suit_cbor_item_new_int(SUIT_REPORT_KEY_RECORDS), records);

	if (self->success) {
		suit_cbor_map_append(map,
				     suit_cbor_item_new_int(SUIT_REPORT_KEY_RESULT),
				     suit_cbor_item_new_bool(TRUE));
	} else {
		SuitCborItem *result = suit_cbor_item_new_map();
		suit_cbor_map_append(result,
				     suit_cbor_item_new_int(SUIT_REPORT_KEY_RESULT_CODE),
				     suit_cbor_item_new_int(self->result_code));
		if (self->result_record != NULL)
			suit_cbor_map_append(result,
					     suit_cbor_item_new_int(SUIT_REPORT_KEY_RESULT_RECORD),
					     suit_report_record_to_item(self->result_record));
		suit_cbor_map_append(result,
				     suit_cbor_item_new_int(SUIT_REPORT_KEY_RESULT_REASON),
				     suit_cbor_item_new_int(self->result_reason));
		suit_cbor_map_sort(result);
		suit_cbor_map_append(map, suit_cbor_item_new_int(SUIT_REPORT_KEY_RESULT), result);
	}

	for (guint i = 0; i + 1 < self->extensions->len; i += 2) {
		suit_cbor_map_append(map,
				     suit_cbor_item_ref(g_ptr_array_index(self->extensions, i)),
				     suit_cbor_item_ref(g_ptr_array_index(self->extensions, i + 1)));
	}
	suit_cbor_map_sort(map);
	return g_steal_pointer(&map);
}

/**
 * suit_report_to_bytes:
 * @self: a #SuitReport
 * @error: return location for a #GError, or %NULL
 *
 * Encodes the report as a bare SUIT_Report in RFC 8949 deterministic
 * encoding. Unknown top-level elements of a parsed report (such as a
 * capability report) are kept; repeated property keys are not (the first
 * value is).
 *
 * Returns: (transfer full): the encoded report, or %NULL with
 *   %SUIT_ERROR_INVALID_DATA when no reference or no result was set
 *
 * Since: 0.1
 */
GBytes *
suit_report_to_bytes(SuitReport *self, GError **error)
{
	g_autoptr(SuitCborItem) item = NULL;

	g_return_val_if_fail(SUIT_IS_REPORT(self), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);
	item = suit_report_to_item(self, error);
	if (item == NULL)
		return NULL;
	return suit_cbor_encode(item);
}

/**
 * suit_report_sign:
 * @self: a #SuitReport
 * @device_key: the device's private key; a symmetric key gives a MAC
 * @algorithm: a #SuitCoseAlgorithm, or %SUIT_COSE_ALGORITHM_NONE for the
 *   key's default
 * @key_id: (nullable): a COSE key id for the unprotected header
 * @error: return location for a #GError, or %NULL
 *
 * Encodes the report and signs it: a tagged COSE_Sign1 (or COSE_Mac0 for a
 * symmetric key) whose attached payload is the encoded SUIT_Report, with
 * the algorithm in the protected header. This is what a device posts to
 * its Status Tracker (`application/suit-report+cose`).
 *
 * Returns: (transfer full): the COSE structure, or %NULL with
 *   %SUIT_ERROR_INVALID_DATA (incomplete report),
 *   %SUIT_ERROR_UNSUPPORTED_ALGORITHM or a signing error
 *
 * Since: 0.1
 */
GBytes *
suit_report_sign(SuitReport *self,
		 SuitKey *device_key,
		 SuitCoseAlgorithm algorithm,
		 GBytes *key_id,
		 GError **error)
{
	g_autoptr(GBytes) payload = NULL;

	g_return_val_if_fail(SUIT_IS_REPORT(self), NULL);
	g_return_val_if_fail(SUIT_IS_KEY(device_key), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);
	payload = suit_report_to_bytes(self, error);
	if (payload == NULL)
		return NULL;
	return suit_cose_sign(payload, device_key, algorithm, key_id, TRUE, error);
}

/* parsing ------------------------------------------------------------------ */

static gboolean
suit_report_parse_reference(SuitReport *self, SuitCborItem *value, GError **error)
{
	SuitCborItem *uri;
	g_autoptr(SuitDigest) digest = NULL;

	if (suit_cbor_item_get_type(value) != SUIT_CBOR_TYPE_ARRAY || suit_cbor_item_get_length(value) != 2) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "the report reference must be an array of a manifest uri and a digest");
		return FALSE;
	}
	uri = suit_cbor_array_get(value, 0);
	if (suit_cbor_item_get_type(uri) != SUIT_CBOR_TYPE_TEXT) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "the manifest uri of the report reference must be a text string");
		return FALSE;
	}
	digest = suit_digest_new_from_item(suit_cbor_array_get(value, 1), error);
	if (digest == NULL)
		return FALSE;
	g_free(self->uri);
	self->uri = suit_cbor_item_dup_text(uri);
	g_clear_pointer(&self->digest, suit_digest_unref);
	self->digest = g_steal_pointer(&digest);
	return TRUE;
}

static gboolean
suit_report_parse_records(SuitReport *self, SuitCborItem *value, GError **error)
{
	if (suit_cbor_item_get_type(value) != SUIT_CBOR_TYPE_ARRAY) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "the report records must be an array, got %s",
			    suit_cbor_type_to_string(suit_cbor_item_get_type(value)));
		return FALSE;
	}
	for (guint i = 0; i < suit_cbor_item_get_length(value); i++) {
		SuitCborItem *item = suit_cbor_array_get(value, i);
		SuitCborType type = suit_cbor_item_get_type(item);

		if (type == SUIT_CBOR_TYPE_ARRAY) {
			g_autoptr(SuitReportRecord) record = NULL;
			record = suit_report_record_new_from_item(item, self->warnings, error);
			if (record == NULL) {
				g_prefix_error(error, "record %u: ", i);
				return FALSE;
			}
			suit_report_add_record(self, record);
		} else if (type == SUIT_CBOR_TYPE_MAP) {
			g_autoptr(SuitReportClaims) claims = NULL;
			SuitReportEntry entry = {NULL};
			claims = suit_report_claims_new_from_item(item, self->warnings, error);
			if (claims == NULL) {
				g_prefix_error(error, "record %u: ", i);
				return FALSE;
			}
			entry.claims = suit_report_claims_ref(claims);
			g_array_append_val(self->entries, entry);
			g_ptr_array_add(self->claims, g_steal_pointer(&claims));
		} else {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "record %u must be a SUIT_Record array or a claims map, got %s",
				    i,
				    suit_cbor_type_to_string(type));
			return FALSE;
		}
	}
	return TRUE;
}

static gboolean
suit_report_parse_result(SuitReport *self, SuitCborItem *value, GError **error)
{
	SuitCborItem *code;
	SuitCborItem *record_item;
	SuitCborItem *reason_item;
	g_autoptr(SuitReportRecord) record = NULL;
	gint64 result_code = 0;
	gint64 reason = 0;

	if (suit_cbor_item_get_type(value) == SUIT_CBOR_TYPE_TRUE) {
		suit_report_set_result_success(self);
		return TRUE;
	}
	if (suit_cbor_item_get_type(value) != SUIT_CBOR_TYPE_MAP) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "the report result must be true or a map, got %s",
			    suit_cbor_type_to_string(suit_cbor_item_get_type(value)));
		return FALSE;
	}
	if (suit_cbor_item_get_length(value) > SUIT_REPORT_MAX_EXTENSIONS) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_LIMIT_EXCEEDED,
			    "more than %u elements in the report result",
			    (guint)SUIT_REPORT_MAX_EXTENSIONS);
		return FALSE;
	}
	for (guint i = 0; i < suit_cbor_item_get_length(value); i++) {
		SuitCborItem *key = suit_cbor_map_get_key(value, i);
		gint64 key_int = 0;
		gboolean seen = FALSE;
		g_autofree gchar *str = NULL;

		for (guint j = 0; j < i; j++) {
			if (suit_cbor_item_equal(suit_cbor_map_get_key(value, j), key)) {
				seen = TRUE;
				break;
			}
		}
		str = suit_report_key_to_string(key);
		if (seen) {
			g_ptr_array_add(self->warnings, g_strdup_printf("duplicate key %s in the result", str));
			continue;
		}
		if (suit_cbor_item_get_int(key, &key_int) &&
		    (key_int == SUIT_REPORT_KEY_RESULT_CODE || key_int == SUIT_REPORT_KEY_RESULT_RECORD ||
		     key_int == SUIT_REPORT_KEY_RESULT_REASON))
			continue;
		g_ptr_array_add(self->warnings, g_strdup_printf("unknown key %s in the result is ignored", str));
	}

	code = suit_cbor_map_lookup_int(value, SUIT_REPORT_KEY_RESULT_CODE);
	if (code == NULL || !suit_cbor_item_get_int(code, &result_code)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "the report result needs an integer result code (key 5)");
		return FALSE;
	}
	reason_item = suit_cbor_map_lookup_int(value, SUIT_REPORT_KEY_RESULT_REASON);
	if (reason_item == NULL || !suit_cbor_item_get_int(reason_item, &reason) || reason < 0 ||
	    reason > G_MAXINT) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "the report result needs a result reason (key 7)");
		return FALSE;
	}
	if (suit_report_reason_to_string((SuitReportReason)reason) == NULL)
		g_ptr_array_add(self->warnings,
				g_strdup_printf("unknown result reason %" G_GINT64_FORMAT, reason));
	record_item = suit_cbor_map_lookup_int(value, SUIT_REPORT_KEY_RESULT_RECORD);
	if (record_item != NULL) {
		record = suit_report_record_new_from_item(record_item, self->warnings, error);
		if (record == NULL) {
			g_prefix_error(error, "result record: ");
			return FALSE;
		}
	}
	suit_report_set_result_failure(self, result_code, record, (SuitReportReason)reason);
	return TRUE;
}

static gboolean
suit_report_parse(SuitReport *self, SuitCborItem *root, SuitParseFlags flags, GError **error)
{
	gboolean seen_reference = FALSE;
	gboolean seen_nonce = FALSE;
	gboolean seen_records = FALSE;
	gboolean seen_result = FALSE;

	if (suit_cbor_item_get_type(root) != SUIT_CBOR_TYPE_MAP) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "a SUIT_Report must be a map, got %s",
			    suit_cbor_type_to_string(suit_cbor_item_get_type(root)));
		return FALSE;
	}
	for (guint i = 0; i < suit_cbor_item_get_length(root); i++) {
		SuitCborItem *key = suit_cbor_map_get_key(root, i);
		SuitCborItem *value = suit_cbor_map_get_value(root, i);
		gboolean *seen = NULL;
		gint64 key_int = G_MININT64;

		if (suit_cbor_item_get_int(key, &key_int)) {
			switch (key_int) {
			case SUIT_REPORT_KEY_REFERENCE:
				seen = &seen_reference;
				break;
			case SUIT_REPORT_KEY_NONCE:
				seen = &seen_nonce;
				break;
			case SUIT_REPORT_KEY_RECORDS:
				seen = &seen_records;
				break;
			case SUIT_REPORT_KEY_RESULT:
				seen = &seen_result;
				break;
			default:
				break;
			}
		}

		/* extensions, e.g. the capability report: kept as they are */
		if (seen == NULL) {
			gboolean duplicate = FALSE;
			for (guint j = 0; j < self->extensions->len; j += 2) {
				if (suit_cbor_item_equal(g_ptr_array_index(self->extensions, j), key)) {
					duplicate = TRUE;
					break;
				}
			}
			if (duplicate) {
				g_autofree gchar *str = suit_report_key_to_string(key);
				if ((flags & SUIT_PARSE_FLAG_ALLOW_DUPLICATE_KEYS) == 0) {
					g_set_error(error,
						    SUIT_ERROR,
						    SUIT_ERROR_INVALID_CBOR,
						    "duplicate key %s in the report",
						    str);
					return FALSE;
				}
				g_ptr_array_add(self->warnings, g_strdup_printf("duplicate key %s in the report", str));
				continue;
			}
			if (self->extensions->len / 2 >= SUIT_REPORT_MAX_EXTENSIONS) {
				g_set_error(error,
					    SUIT_ERROR,
					    SUIT_ERROR_LIMIT_EXCEEDED,
					    "more than %u unknown elements in the report",
					    (guint)SUIT_REPORT_MAX_EXTENSIONS);
				return FALSE;
			}
			g_ptr_array_add(self->extensions, suit_cbor_item_ref(key));
			g_ptr_array_add(self->extensions, suit_cbor_item_ref(value));
			continue;
		}

		if (*seen) {
			if ((flags & SUIT_PARSE_FLAG_ALLOW_DUPLICATE_KEYS) == 0) {
				g_set_error(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_CBOR,
					    "duplicate key %" G_GINT64_FORMAT " in the report",
					    key_int);
				return FALSE;
			}
			g_ptr_array_add(self->warnings,
					g_strdup_printf("duplicate key %" G_GINT64_FORMAT " in the report",
							key_int));
			continue;
		}
		*seen = TRUE;
		switch (key_int) {
		case SUIT_REPORT_KEY_REFERENCE:
			if (!suit_report_parse_reference(self, value, error))
				return FALSE;
			break;
		case SUIT_REPORT_KEY_NONCE:
			if (suit_cbor_item_get_type(value) != SUIT_CBOR_TYPE_BYTES) {
				g_set_error_literal(error,
						    SUIT_ERROR,
						    SUIT_ERROR_INVALID_DATA,
						    "the report nonce must be a byte string");
				return FALSE;
			}
			suit_report_set_nonce(self, suit_cbor_item_get_bytes(value));
			break;
		case SUIT_REPORT_KEY_RECORDS:
			if (!suit_report_parse_records(self, value, error))
				return FALSE;
			break;
		case SUIT_REPORT_KEY_RESULT:
			if (!suit_report_parse_result(self, value, error))
				return FALSE;
			break;
		default:
			g_assert_not_reached();
		}
	}
	if (!seen_reference) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "the report has no reference (key 99)");
		return FALSE;
	}
	if (!seen_records) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "the report has no records (key 3)");
		return FALSE;
	}
	if (!seen_result) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "the report has no result (key 4)");
		return FALSE;
	}
	return TRUE;
}

/**
 * suit_report_new_from_bytes:
 * @payload: an encoded SUIT_Report (not signed)
 * @flags: #SuitParseFlags; %SUIT_PARSE_FLAG_ALLOW_DUPLICATE_KEYS also
 *   tolerates repeated keys at the top level of the report
 * @error: return location for a #GError, or %NULL
 *
 * Parses a bare SUIT_Report. Repeated keys inside record properties, claims
 * and the result map are always tolerated: the first value is kept and
 * suit_report_get_warnings() lists them. Use suit_report_new_from_cose() for
 * a report received from a device.
 *
 * Returns: (transfer full): a new #SuitReport, or %NULL with
 *   %SUIT_ERROR_INVALID_CBOR (malformed CBOR, repeated top-level key),
 *   %SUIT_ERROR_LIMIT_EXCEEDED (over 1 MiB, 16384 items or 16 levels) or
 *   %SUIT_ERROR_INVALID_DATA (not a SUIT_Report)
 *
 * Since: 0.1
 */
SuitReport *
suit_report_new_from_bytes(GBytes *payload, SuitParseFlags flags, GError **error)
{
	const SuitCborLimits limits = {
	    .max_depth = SUIT_REPORT_MAX_DEPTH,
	    .max_items = SUIT_REPORT_MAX_ITEMS,
	    .max_length = SUIT_REPORT_MAX_LENGTH,
	};
	g_autoptr(SuitCborItem) root = NULL;
	g_autoptr(SuitReport) self = NULL;

	g_return_val_if_fail(payload != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	/* duplicates are found (and judged) by the parser below */
	root = suit_cbor_decode(payload, &limits, flags | SUIT_PARSE_FLAG_ALLOW_DUPLICATE_KEYS, error);
	if (root == NULL)
		return NULL;
	self = suit_report_new();
	if (!suit_report_parse(self, root, flags, error))
		return NULL;
	return g_steal_pointer(&self);
}

/**
 * suit_report_new_from_cose:
 * @cose: a tagged COSE_Sign1 or COSE_Mac0 with the SUIT_Report attached
 * @keyring: the keys the report may be signed with (the device's key)
 * @error: return location for a #GError, or %NULL
 *
 * Verifies a signed report, then parses its payload as
 * suit_report_new_from_bytes() does. Nothing is parsed unless the signature
 * verifies. The key id in the unprotected header is not covered by the
 * signature, so when the verifying key has a key id
 * (suit_key_set_key_id()), the report must carry exactly that kid.
 *
 * Returns: (transfer full): a new #SuitReport, or %NULL with
 *   %SUIT_ERROR_SIGNATURE_INVALID (no key of @keyring verifies it),
 *   %SUIT_ERROR_UNSUPPORTED_ALGORITHM, %SUIT_ERROR_INVALID_CBOR or
 *   %SUIT_ERROR_INVALID_DATA
 *
 * Since: 0.1
 */
SuitReport *
suit_report_new_from_cose(GBytes *cose, SuitKeyring *keyring, GError **error)
{
	g_autoptr(GBytes) payload = NULL;
	g_autoptr(SuitKey) used_key = NULL;
	g_autoptr(SuitCoseInfo) info = NULL;
	GBytes *key_id;

	g_return_val_if_fail(cose != NULL, NULL);
	g_return_val_if_fail(SUIT_IS_KEYRING(keyring), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);
	payload = suit_cose_verify_attached(cose, keyring, &used_key, error);
	if (payload == NULL)
		return NULL;

	/* the unprotected kid is not signed: a key registered with an id
	 * only accepts reports that name it */
	key_id = suit_key_get_key_id(used_key);
	if (key_id != NULL) {
		info = suit_cose_inspect(cose, error);
		if (info == NULL)
			return NULL;
		if (info->key_id == NULL || !g_bytes_equal(info->key_id, key_id)) {
			g_set_error_literal(error,
					    SUIT_ERROR,
					    SUIT_ERROR_SIGNATURE_INVALID,
					    "the report does not name the key id of the key that verifies it");
			return NULL;
		}
	}
	return suit_report_new_from_bytes(payload, SUIT_PARSE_FLAG_NONE, error);
}

/**
 * suit_report_get_warnings:
 * @self: a #SuitReport
 *
 * Gets what parsing tolerated, e.g. `duplicate key 1 in system property
 * claims`.
 *
 * Returns: (transfer none) (element-type utf8): the warnings, empty for a
 *   clean or built report
 *
 * Since: 0.1
 */
GPtrArray *
suit_report_get_warnings(SuitReport *self)
{
	g_return_val_if_fail(SUIT_IS_REPORT(self), NULL);
	return self->warnings;
}

/* inspection --------------------------------------------------------------- */

/**
 * suit_report_get_reference_uri:
 * @self: a #SuitReport
 *
 * Gets the manifest's reference URI.
 *
 * Returns: the URI, `""` when the manifest has none
 *
 * Since: 0.1
 */
const gchar *
suit_report_get_reference_uri(SuitReport *self)
{
	g_return_val_if_fail(SUIT_IS_REPORT(self), NULL);
	return self->uri;
}

/**
 * suit_report_get_reference_digest:
 * @self: a #SuitReport
 *
 * Gets the manifest digest the report refers to.
 *
 * Returns: (transfer none) (nullable): the digest, %NULL until one is set
 *
 * Since: 0.1
 */
SuitDigest *
suit_report_get_reference_digest(SuitReport *self)
{
	g_return_val_if_fail(SUIT_IS_REPORT(self), NULL);
	return self->digest;
}

/**
 * suit_report_get_nonce:
 * @self: a #SuitReport
 *
 * Gets the report nonce.
 *
 * Returns: (transfer none) (nullable): the nonce, or %NULL
 *
 * Since: 0.1
 */
GBytes *
suit_report_get_nonce(SuitReport *self)
{
	g_return_val_if_fail(SUIT_IS_REPORT(self), NULL);
	return self->nonce;
}

/**
 * suit_report_get_records:
 * @self: a #SuitReport
 *
 * Gets the SUIT_Records of key 3, in order, without the system property
 * claims (suit_report_get_claims()).
 *
 * Returns: (transfer none) (element-type SuitReportRecord): the records
 *
 * Since: 0.1
 */
GPtrArray *
suit_report_get_records(SuitReport *self)
{
	g_return_val_if_fail(SUIT_IS_REPORT(self), NULL);
	return self->records;
}

/**
 * suit_report_get_claims:
 * @self: a #SuitReport
 *
 * Gets the system-property-claims maps of key 3, in order.
 *
 * Returns: (transfer none) (element-type SuitReportClaims): the claims
 *
 * Since: 0.1
 */
GPtrArray *
suit_report_get_claims(SuitReport *self)
{
	g_return_val_if_fail(SUIT_IS_REPORT(self), NULL);
	return self->claims;
}

/**
 * suit_report_has_result:
 * @self: a #SuitReport
 *
 * Checks whether a result was set; a parsed report always has one.
 *
 * Returns: %TRUE if the report has a result
 *
 * Since: 0.1
 */
gboolean
suit_report_has_result(SuitReport *self)
{
	g_return_val_if_fail(SUIT_IS_REPORT(self), FALSE);
	return self->has_result;
}

/**
 * suit_report_is_success:
 * @self: a #SuitReport
 *
 * Checks the result.
 *
 * Returns: %TRUE if the result is `true` (success)
 *
 * Since: 0.1
 */
gboolean
suit_report_is_success(SuitReport *self)
{
	g_return_val_if_fail(SUIT_IS_REPORT(self), FALSE);
	return self->has_result && self->success;
}

/**
 * suit_report_get_result_code:
 * @self: a #SuitReport
 *
 * Gets the implementation-defined result code of a failure.
 *
 * Returns: the code, 0 for success
 *
 * Since: 0.1
 */
gint64
suit_report_get_result_code(SuitReport *self)
{
	g_return_val_if_fail(SUIT_IS_REPORT(self), 0);
	return self->result_code;
}

/**
 * suit_report_get_result_reason:
 * @self: a #SuitReport
 *
 * Gets the reason of a failure. A parsed report may carry a value this
 * version of libsuit has no name for.
 *
 * Returns: the reason, %SUIT_REPORT_REASON_OK for success
 *
 * Since: 0.1
 */
SuitReportReason
suit_report_get_result_reason(SuitReport *self)
{
	g_return_val_if_fail(SUIT_IS_REPORT(self), SUIT_REPORT_REASON_OK);
	return (SuitReportReason)self->result_reason;
}

/**
 * suit_report_get_result_record:
 * @self: a #SuitReport
 *
 * Gets where processing stopped.
 *
 * Returns: (transfer none) (nullable): the failing record, or %NULL
 *
 * Since: 0.1
 */
SuitReportRecord *
suit_report_get_result_record(SuitReport *self)
{
	g_return_val_if_fail(SUIT_IS_REPORT(self), NULL);
	return self->result_record;
}

/* JSON --------------------------------------------------------------------- */

static JsonNode *
suit_report_properties_to_json_node(const SuitReportProperties *self)
{
	g_autoptr(JsonObject) obj = json_object_new();
	for (guint i = 0; i < self->entries->len; i++) {
		SuitReportProperty *entry = &g_array_index(self->entries, SuitReportProperty, i);
		g_autofree gchar *name = suit_json_parameter_name(entry->key);
		json_object_set_member(obj, name, suit_json_parameter_to_node(entry->key, entry->value));
	}
	return json_node_init_object(json_node_alloc(), obj);
}

/* the name of a record's section: manifest keys, and 3 (suit-common) for a
 * failure in the shared sequence, which the Firmware Consumer reports there */
static const gchar *
suit_report_section_name(gint64 section)
{
	if (section == 3)
		return "common";
	if (section == SUIT_SECTION_SHARED)
		return NULL;
	return suit_section_to_string((SuitSection)section);
}

static JsonNode *
suit_report_record_to_json_node(const SuitReportRecord *self)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	const gchar *section = suit_report_section_name(self->section);

	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "type");
	json_builder_add_string_value(builder, "record");
	json_builder_set_member_name(builder, "manifest-id");
	json_builder_begin_array(builder);
	for (guint i = 0; i < self->manifest_id->len; i++)
		json_builder_add_int_value(builder, g_array_index(self->manifest_id, guint, i));
	json_builder_end_array(builder);
	if (section != NULL) {
		json_builder_set_member_name(builder, "section");
		json_builder_add_string_value(builder, section);
	}
	json_builder_set_member_name(builder, "section-id");
	json_builder_add_int_value(builder, self->section);
	json_builder_set_member_name(builder, "section-offset");
	json_builder_add_int_value(builder, (gint64)MIN(self->section_offset, (guint64)G_MAXINT64));
	json_builder_set_member_name(builder, "component-index");
	json_builder_add_int_value(builder, (gint64)MIN(self->component_index, (guint64)G_MAXINT64));
	json_builder_set_member_name(builder, "properties");
	json_builder_add_value(builder, suit_report_properties_to_json_node(self->properties));
	json_builder_end_object(builder);
	return json_builder_get_root(builder);
}

static JsonNode *
suit_report_claims_to_json_node(const SuitReportClaims *self)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(SuitCborItem) component = suit_component_id_to_item(self->component_id);

	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "type");
	json_builder_add_string_value(builder, "system-property-claims");
	json_builder_set_member_name(builder, "component-id");
	json_builder_add_value(builder, suit_json_component_id_to_node(component));
	json_builder_set_member_name(builder, "properties");
	json_builder_add_value(builder, suit_report_properties_to_json_node(self->properties));
	json_builder_end_object(builder);
	return json_builder_get_root(builder);
}

/**
 * suit_report_to_json:
 * @self: a #SuitReport
 * @flags: #SuitJsonFlags
 *
 * Gives the report as JSON, as `suit report inspect --json` prints it:
 *
 * ```json
 * {
 *   "reference": {"uri": "", "digest": {"algorithm-id": -16, "digest-bytes": "6658ea56..."}},
 *   "nonce": "<hex>",                                        (only when present)
 *   "records": [
 *     {"type": "system-property-claims", "component-id": ["00"],
 *      "properties": {"vendor-identifier": "fa6b4a53...", "image-size": 34768}},
 *     {"type": "record", "manifest-id": [], "section": "install", "section-id": 20,
 *      "section-offset": 12, "component-index": 0, "properties": {...}}
 *   ],
 *   "result": {"success": true}
 *          or {"success": false, "code": 10, "reason": "condition-failed",
 *              "reason-id": 10, "record": {...}},
 *   "unknown-elements": {"8": {"cbor": "<hex>"}},             (only when present)
 *   "warnings": ["duplicate key 1 in system property claims"] (only when present)
 * }
 * ```
 *
 * Byte strings are lower-case hex; properties are keyed by parameter name
 * (the decimal key for unknown ones) with values as in the manifest JSON
 * (image-digest as a digest object, others as `{"cbor": "<hex>"}` when they
 * are not a plain value). `section` and `reason` are left out when the
 * number has no name; `record` when the failure has none. A report without
 * a reference or result leaves those members out.
 *
 * Returns: (transfer full): a JSON document
 *
 * Since: 0.1
 */
gchar *
suit_report_to_json(SuitReport *self, SuitJsonFlags flags)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(JsonNode) root = NULL;

	g_return_val_if_fail(SUIT_IS_REPORT(self), NULL);

	json_builder_begin_object(builder);
	if (self->digest != NULL) {
		json_builder_set_member_name(builder, "reference");
		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "uri");
		json_builder_add_string_value(builder, self->uri);
		json_builder_set_member_name(builder, "digest");
		json_builder_add_value(builder, suit_json_digest_to_node(self->digest));
		json_builder_end_object(builder);
	}
	if (self->nonce != NULL) {
		json_builder_set_member_name(builder, "nonce");
		json_builder_add_value(builder, suit_json_from_bytes_hex(self->nonce));
	}
	json_builder_set_member_name(builder, "records");
	json_builder_begin_array(builder);
	for (guint i = 0; i < self->entries->len; i++) {
		SuitReportEntry *entry = &g_array_index(self->entries, SuitReportEntry, i);
		if (entry->record != NULL)
			json_builder_add_value(builder, suit_report_record_to_json_node(entry->record));
		else
			json_builder_add_value(builder, suit_report_claims_to_json_node(entry->claims));
	}
	json_builder_end_array(builder);
	if (self->has_result) {
		json_builder_set_member_name(builder, "result");
		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "success");
		json_builder_add_boolean_value(builder, self->success);
		if (!self->success) {
			const gchar *reason = suit_report_reason_to_string(self->result_reason);
			json_builder_set_member_name(builder, "code");
			json_builder_add_int_value(builder, self->result_code);
			if (reason != NULL) {
				json_builder_set_member_name(builder, "reason");
				json_builder_add_string_value(builder, reason);
			}
			json_builder_set_member_name(builder, "reason-id");
			json_builder_add_int_value(builder, self->result_reason);
			if (self->result_record != NULL) {
				json_builder_set_member_name(builder, "record");
				json_builder_add_value(builder, suit_report_record_to_json_node(self->result_record));
			}
		}
		json_builder_end_object(builder);
	}
	if (self->extensions->len > 0) {
		json_builder_set_member_name(builder, "unknown-elements");
		json_builder_begin_object(builder);
		for (guint i = 0; i + 1 < self->extensions->len; i += 2) {
			g_autofree gchar *name = suit_report_key_to_string(g_ptr_array_index(self->extensions, i));
			json_builder_set_member_name(builder, name);
			json_builder_add_value(builder, suit_json_cbor_to_node(g_ptr_array_index(self->extensions, i + 1)));
		}
		json_builder_end_object(builder);
	}
	if (self->warnings->len > 0) {
		json_builder_set_member_name(builder, "warnings");
		json_builder_begin_array(builder);
		for (guint i = 0; i < self->warnings->len; i++)
			json_builder_add_string_value(builder, g_ptr_array_index(self->warnings, i));
		json_builder_end_array(builder);
	}
	json_builder_end_object(builder);
	root = json_builder_get_root(builder);
	return suit_json_node_to_string(root, flags);
}

/* text --------------------------------------------------------------------- */

static void
suit_report_properties_append_string(const SuitReportProperties *self, GString *str, const gchar *indent)
{
	for (guint i = 0; i < self->entries->len; i++) {
		SuitReportProperty *entry = &g_array_index(self->entries, SuitReportProperty, i);
		g_autofree gchar *name = suit_json_parameter_name(entry->key);
		g_autofree gchar *diag = suit_cbor_item_to_diag(entry->value);
		g_string_append_printf(str, "%s%s: %s\n", indent, name, diag);
	}
}

static void
suit_report_record_append_string(const SuitReportRecord *self, GString *str, const gchar *indent)
{
	g_autofree gchar *path = suit_report_record_manifest_id_to_string(self);
	const gchar *section = suit_report_section_name(self->section);
	g_autofree gchar *props_indent = g_strconcat(indent, "  ", NULL);

	g_string_append_printf(str,
			       "%smanifest %s, section %s (%" G_GINT64_FORMAT "), offset %" G_GUINT64_FORMAT
			       ", component %" G_GUINT64_FORMAT "\n",
			       indent,
			       path,
			       section != NULL ? section : "unknown",
			       self->section,
			       self->section_offset,
			       self->component_index);
	suit_report_properties_append_string(self->properties, str, props_indent);
}

/**
 * suit_report_to_string:
 * @self: a #SuitReport
 *
 * Describes the report for people, as `suit report inspect` prints it.
 *
 * Returns: (transfer full): a multi-line description
 *
 * Since: 0.1
 */
gchar *
suit_report_to_string(SuitReport *self)
{
	GString *str = g_string_new("SUIT report\n");

	g_return_val_if_fail(SUIT_IS_REPORT(self), NULL);
	if (self->digest != NULL) {
		g_autofree gchar *hex = suit_digest_to_hex(self->digest);
		const gchar *alg = suit_digest_algorithm_to_string(suit_digest_get_algorithm(self->digest));
		g_string_append_printf(str, "  manifest uri: \"%s\"\n", self->uri);
		g_string_append_printf(str, "  manifest digest: %s:%s\n", alg != NULL ? alg : "unknown", hex);
	} else {
		g_string_append(str, "  manifest: none\n");
	}
	if (self->nonce != NULL) {
		g_autofree gchar *hex = suit_hex_encode(self->nonce);
		g_string_append_printf(str, "  nonce: %s\n", hex);
	}
	g_string_append_printf(str, "  records: %u\n", self->entries->len);
	for (guint i = 0; i < self->entries->len; i++) {
		SuitReportEntry *entry = &g_array_index(self->entries, SuitReportEntry, i);
		if (entry->record != NULL) {
			g_string_append_printf(str, "    [%u] record:\n", i);
			suit_report_record_append_string(entry->record, str, "      ");
		} else {
			g_autofree gchar *component = suit_component_id_to_string(entry->claims->component_id);
			g_string_append_printf(str, "    [%u] system property claims for %s:\n", i, component);
			suit_report_properties_append_string(entry->claims->properties, str, "      ");
		}
	}
	if (!self->has_result) {
		g_string_append(str, "  result: none\n");
	} else if (self->success) {
		g_string_append(str, "  result: success\n");
	} else {
		const gchar *reason = suit_report_reason_to_string(self->result_reason);
		g_string_append_printf(str,
				       "  result: failure, reason %s (%d), code %" G_GINT64_FORMAT "\n",
				       reason != NULL ? reason : "unknown",
				       self->result_reason,
				       self->result_code);
		if (self->result_record != NULL) {
			g_string_append(str, "    at:\n");
			suit_report_record_append_string(self->result_record, str, "      ");
		}
	}
	for (guint i = 0; i + 1 < self->extensions->len; i += 2) {
		g_autofree gchar *key = suit_report_key_to_string(g_ptr_array_index(self->extensions, i));
		const gchar *name = NULL;
		gint64 key_int = 0;
		if (suit_cbor_item_get_int(g_ptr_array_index(self->extensions, i), &key_int) &&
		    key_int == SUIT_REPORT_KEY_CAPABILITY_REPORT)
			name = "capability report";
		g_string_append_printf(str, "  unknown element %s%s%s%s\n", key,
				       name != NULL ? " (" : "",
				       name != NULL ? name : "",
				       name != NULL ? ")" : "");
	}
	for (guint i = 0; i < self->warnings->len; i++)
		g_string_append_printf(str, "  warning: %s\n", (const gchar *)g_ptr_array_index(self->warnings, i));
	return g_string_free(str, FALSE);
}
