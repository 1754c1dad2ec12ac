/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "suit-error.h"
#include "suit-model-private.h"

struct _SuitComponentId {
	gint refcount;
	GPtrArray *parts; /* (element-type GBytes) */
};

G_DEFINE_BOXED_TYPE(SuitComponentId, suit_component_id, suit_component_id_ref, suit_component_id_unref)

/**
 * suit_component_id_new:
 *
 * Creates an empty component identifier; add parts with
 * suit_component_id_append().
 *
 * Returns: (transfer full): a new #SuitComponentId
 *
 * Since: 0.1
 */
SuitComponentId *
suit_component_id_new(void)
{
	SuitComponentId *self = g_new0(SuitComponentId, 1);
	self->refcount = 1;
	self->parts = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
	return self;
}

/**
 * suit_component_id_ref:
 * @self: a #SuitComponentId
 *
 * Adds a reference.
 *
 * Returns: (transfer full): @self
 *
 * Since: 0.1
 */
SuitComponentId *
suit_component_id_ref(SuitComponentId *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	g_atomic_int_inc(&self->refcount);
	return self;
}

/**
 * suit_component_id_unref:
 * @self: (nullable): a #SuitComponentId
 *
 * Drops a reference.
 *
 * Since: 0.1
 */
void
suit_component_id_unref(SuitComponentId *self)
{
	if (self == NULL)
		return;
	if (!g_atomic_int_dec_and_test(&self->refcount))
		return;
	g_ptr_array_unref(self->parts);
	g_free(self);
}

/**
 * suit_component_id_append:
 * @self: a #SuitComponentId
 * @part: the next byte string of the identifier
 *
 * Appends a part.
 *
 * Since: 0.1
 */
void
suit_component_id_append(SuitComponentId *self, GBytes *part)
{
	g_return_if_fail(self != NULL);
	g_return_if_fail(part != NULL);
	g_ptr_array_add(self->parts, g_bytes_ref(part));
}

/**
 * suit_component_id_get_length:
 * @self: a #SuitComponentId
 *
 * Gets the number of parts.
 *
 * Returns: the number of byte strings
 *
 * Since: 0.1
 */
guint
suit_component_id_get_length(const SuitComponentId *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->parts->len;
}

/**
 * suit_component_id_get_part:
 * @self: a #SuitComponentId
 * @idx: the index of the part
 *
 * Gets one part.
 *
 * Returns: (transfer none) (nullable): the bytes, or %NULL if @idx is out of range
 *
 * Since: 0.1
 */
GBytes *
suit_component_id_get_part(const SuitComponentId *self, guint idx)
{
	g_return_val_if_fail(self != NULL, NULL);
	if (idx >= self->parts->len)
		return NULL;
	return g_ptr_array_index(self->parts, idx);
}

/**
 * suit_component_id_new_from_item: (skip)
 */
SuitComponentId *
suit_component_id_new_from_item(const SuitCborItem *item, GError **error)
{
	g_autoptr(SuitComponentId) self = NULL;
	if (suit_cbor_item_get_type(item) != SUIT_CBOR_TYPE_ARRAY) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "a component identifier must be an array of byte strings");
		return NULL;
	}
	self = suit_component_id_new();
	for (guint i = 0; i < suit_cbor_item_get_length(item); i++) {
		SuitCborItem *part = suit_cbor_array_get(item, i);
		if (suit_cbor_item_get_type(part) != SUIT_CBOR_TYPE_BYTES) {
			g_set_error_literal(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_DATA,
					    "a component identifier must be an array of byte strings");
			return NULL;
		}
		suit_component_id_append(self, suit_cbor_item_get_bytes(part));
	}
	return g_steal_pointer(&self);
}

/**
 * suit_component_id_to_item: (skip)
 */
SuitCborItem *
suit_component_id_to_item(const SuitComponentId *self)
{
	SuitCborItem *array = suit_cbor_item_new_array();
	for (guint i = 0; i < self->parts->len; i++)
		suit_cbor_array_append(array, suit_cbor_item_new_bytes(g_ptr_array_index(self->parts, i)));
	return array;
}

/**
 * suit_component_id_new_from_cbor:
 * @cbor: an encoded SUIT_Component_Identifier
 * @error: return location for a #GError, or %NULL
 *
 * Parses an encoded component identifier, `[* bstr]`.
 *
 * Returns: (transfer full): a new #SuitComponentId, or %NULL on error
 *
 * Since: 0.1
 */
SuitComponentId *
suit_component_id_new_from_cbor(GBytes *cbor, GError **error)
{
	g_autoptr(SuitCborItem) item = NULL;
	g_return_val_if_fail(cbor != NULL, NULL);
	item = suit_cbor_decode(cbor, NULL, SUIT_PARSE_FLAG_NONE, error);
	if (item == NULL)
		return NULL;
	return suit_component_id_new_from_item(item, error);
}

/**
 * suit_component_id_to_cbor:
 * @self: a #SuitComponentId
 *
 * Encodes the identifier.
 *
 * Returns: (transfer full): the encoded bytes
 *
 * Since: 0.1
 */
GBytes *
suit_component_id_to_cbor(const SuitComponentId *self)
{
	g_autoptr(SuitCborItem) item = NULL;
	g_return_val_if_fail(self != NULL, NULL);
	item = suit_component_id_to_item(self);
	return suit_cbor_encode(item);
}

static gboolean
suit_component_id_part_is_printable(const guint8 *data, gsize len)
{
	if (len == 0)
		return FALSE;
	for (gsize i = 0; i < len; i++) {
		if (data[i] < 0x20 || data[i] > 0x7e || data[i] == '\'' || data[i] == '\\')
			return FALSE;
	}
	return TRUE;
}

/**
 * suit_component_id_to_string:
 * @self: a #SuitComponentId
 *
 * Formats the identifier for people, in CBOR diagnostic style: printable parts
 * as `'text'`, others as `h'hex'`, e.g. `['TEEP-Device', h'8d82']`.
 *
 * Returns: (transfer full): a new string
 *
 * Since: 0.1
 */
gchar *
suit_component_id_to_string(const SuitComponentId *self)
{
	GString *str = g_string_new("[");
	g_return_val_if_fail(self != NULL, NULL);
	for (guint i = 0; i < self->parts->len; i++) {
		gsize len = 0;
		const guint8 *data = g_bytes_get_data(g_ptr_array_index(self->parts, i), &len);
		if (i > 0)
			g_string_append(str, ", ");
		if (suit_component_id_part_is_printable(data, len)) {
			g_string_append_c(str, '\'');
			g_string_append_len(str, (const gchar *)data, (gssize)len);
			g_string_append_c(str, '\'');
		} else {
			g_string_append(str, "h'");
			for (gsize j = 0; j < len; j++)
				g_string_append_printf(str, "%02x", data[j]);
			g_string_append_c(str, '\'');
		}
	}
	g_string_append_c(str, ']');
	return g_string_free(str, FALSE);
}

/**
 * suit_component_id_equal:
 * @a: a #SuitComponentId
 * @b: a #SuitComponentId
 *
 * Compares two identifiers part by part.
 *
 * Returns: %TRUE if they are the same
 *
 * Since: 0.1
 */
gboolean
suit_component_id_equal(const SuitComponentId *a, const SuitComponentId *b)
{
	g_return_val_if_fail(a != NULL && b != NULL, FALSE);
	if (a->parts->len != b->parts->len)
		return FALSE;
	for (guint i = 0; i < a->parts->len; i++) {
		if (!g_bytes_equal(g_ptr_array_index(a->parts, i), g_ptr_array_index(b->parts, i)))
			return FALSE;
	}
	return TRUE;
}

/**
 * suit_component_id_hash:
 * @self: a #SuitComponentId
 *
 * Hashes the identifier, for #GHashTable keys together with
 * suit_component_id_equal().
 *
 * Returns: a hash value
 *
 * Since: 0.1
 */
guint
suit_component_id_hash(const SuitComponentId *self)
{
	guint hash = 5381;
	g_return_val_if_fail(self != NULL, 0);
	for (guint i = 0; i < self->parts->len; i++)
		hash = hash * 33 + g_bytes_hash(g_ptr_array_index(self->parts, i));
	return hash;
}
