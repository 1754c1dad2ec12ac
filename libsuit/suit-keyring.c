/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "suit-error.h"
#include "suit-keyring.h"

/**
 * SuitKeyring:
 *
 * A set of trusted keys, searched by algorithm and key id when verifying
 * authentication blocks.
 *
 * See also: [class@Key]
 */

struct _SuitKeyring {
	GObject parent_instance;
	GPtrArray *keys; /* (element-type SuitKey) */
};

G_DEFINE_TYPE(SuitKeyring, suit_keyring, G_TYPE_OBJECT)

static void
suit_keyring_dispose(GObject *object)
{
	SuitKeyring *self = SUIT_KEYRING(object);
	g_ptr_array_set_size(self->keys, 0);
	G_OBJECT_CLASS(suit_keyring_parent_class)->dispose(object);
}

static void
suit_keyring_finalize(GObject *object)
{
	SuitKeyring *self = SUIT_KEYRING(object);
	g_ptr_array_unref(self->keys);
	G_OBJECT_CLASS(suit_keyring_parent_class)->finalize(object);
}

static void
suit_keyring_class_init(SuitKeyringClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->dispose = suit_keyring_dispose;
	object_class->finalize = suit_keyring_finalize;
}

static void
suit_keyring_init(SuitKeyring *self)
{
	self->keys = g_ptr_array_new_with_free_func((GDestroyNotify)g_object_unref);
}

/**
 * suit_keyring_new:
 *
 * Creates an empty keyring.
 *
 * Returns: (transfer full): a new #SuitKeyring
 *
 * Since: 0.1
 */
SuitKeyring *
suit_keyring_new(void)
{
	return g_object_new(SUIT_TYPE_KEYRING, NULL);
}

/**
 * suit_keyring_add:
 * @self: a #SuitKeyring
 * @key: a #SuitKey
 *
 * Adds a key; the keyring takes a reference.
 *
 * Since: 0.1
 */
void
suit_keyring_add(SuitKeyring *self, SuitKey *key)
{
	g_return_if_fail(SUIT_IS_KEYRING(self));
	g_return_if_fail(SUIT_IS_KEY(key));
	g_ptr_array_add(self->keys, g_object_ref(key));
}

/**
 * suit_keyring_add_from_file:
 * @self: a #SuitKeyring
 * @filename: the path of a PEM file
 * @error: return location for a #GError, or %NULL
 *
 * Loads a key with suit_key_new_from_file() and adds it.
 *
 * Returns: %TRUE for success
 *
 * Since: 0.1
 */
gboolean
suit_keyring_add_from_file(SuitKeyring *self, const gchar *filename, GError **error)
{
	g_autoptr(SuitKey) key = NULL;

	g_return_val_if_fail(SUIT_IS_KEYRING(self), FALSE);
	g_return_val_if_fail(filename != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	key = suit_key_new_from_file(filename, error);
	if (key == NULL)
		return FALSE;
	suit_keyring_add(self, key);
	return TRUE;
}

/**
 * suit_keyring_get_size:
 * @self: a #SuitKeyring
 *
 * Gets the number of keys.
 *
 * Returns: the number of keys
 *
 * Since: 0.1
 */
guint
suit_keyring_get_size(SuitKeyring *self)
{
	g_return_val_if_fail(SUIT_IS_KEYRING(self), 0);
	return self->keys->len;
}

/**
 * suit_keyring_get_keys:
 * @self: a #SuitKeyring
 *
 * Gets all the keys, in the order they were added.
 *
 * Returns: (transfer none) (element-type SuitKey): the keys
 *
 * Since: 0.1
 */
GPtrArray *
suit_keyring_get_keys(SuitKeyring *self)
{
	g_return_val_if_fail(SUIT_IS_KEYRING(self), NULL);
	return self->keys;
}

/**
 * suit_keyring_find:
 * @self: a #SuitKeyring
 * @algorithm: a #SuitCoseAlgorithm
 * @key_id: (nullable): the key id of the COSE block, or %NULL
 *
 * Finds the keys that can verify a block made with @algorithm. When both
 * @key_id and the key id of a key are set, they must be equal; keys without a
 * key id match any @key_id.
 *
 * Returns: (transfer container) (element-type SuitKey): the matching keys,
 *   possibly none
 *
 * Since: 0.1
 */
GPtrArray *
suit_keyring_find(SuitKeyring *self, SuitCoseAlgorithm algorithm, GBytes *key_id)
{
	g_autoptr(GPtrArray) found = NULL;

	g_return_val_if_fail(SUIT_IS_KEYRING(self), NULL);

	found = g_ptr_array_new_with_free_func((GDestroyNotify)g_object_unref);
	for (guint i = 0; i < self->keys->len; i++) {
		SuitKey *key = g_ptr_array_index(self->keys, i);
		GBytes *id = suit_key_get_key_id(key);
		if (!suit_key_supports_algorithm(key, algorithm))
			continue;
		if (key_id != NULL && id != NULL && !g_bytes_equal(key_id, id))
			continue;
		g_ptr_array_add(found, g_object_ref(key));
	}
	return g_steal_pointer(&found);
}
