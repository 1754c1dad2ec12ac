/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "suit-error.h"
#include "suit-store-memory.h"
#include "suit-store-private.h"

/**
 * SuitStoreMemory:
 *
 * A [iface@Store] that keeps everything in memory, with the same semantics
 * as [class@StoreDirectory] but no persistence: for tests and examples. Its
 * images are held whole in memory.
 *
 * See also: [iface@Store], [class@StoreDirectory]
 */

typedef struct {
	SuitComponentId *id;
	GBytes *confirmed;	      /* nullable */
	GBytes *pending;	      /* nullable */
	SuitDigest *confirmed_digest; /* nullable, computed when written */
	SuitDigest *pending_digest;   /* nullable, computed when written */
	gboolean tried;
} SuitStoreMemoryEntry;

struct _SuitStoreMemory {
	GObject parent_instance;
	GHashTable *components;	      /* SuitComponentId -> SuitStoreMemoryEntry */
	GHashTable *sequence_numbers; /* SuitComponentId -> guint64 */
	gboolean has_root_sequence_number;
	guint64 root_sequence_number;
};

static void
suit_store_memory_iface_init(SuitStoreInterface *iface);

G_DEFINE_TYPE_WITH_CODE(SuitStoreMemory,
			suit_store_memory,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(SUIT_TYPE_STORE, suit_store_memory_iface_init))

#define SUIT_STORE_MEMORY_SINK_KEY "suit-store-memory-sink"

static void
suit_store_memory_entry_free(SuitStoreMemoryEntry *entry)
{
	suit_component_id_unref(entry->id);
	g_clear_pointer(&entry->confirmed, g_bytes_unref);
	g_clear_pointer(&entry->pending, g_bytes_unref);
	g_clear_pointer(&entry->confirmed_digest, suit_digest_unref);
	g_clear_pointer(&entry->pending_digest, suit_digest_unref);
	g_free(entry);
}

static void
suit_store_memory_drop_pending(SuitStoreMemoryEntry *entry)
{
	g_clear_pointer(&entry->pending, g_bytes_unref);
	g_clear_pointer(&entry->pending_digest, suit_digest_unref);
	entry->tried = FALSE;
}

static gboolean
suit_store_memory_not_found(SuitComponentId *component, GError **error)
{
	g_autofree gchar *name = suit_component_id_to_string(component);
	g_set_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND, "component %s has no image", name);
	return FALSE;
}

/* the entry of @component if it has an image, else NULL */
static SuitStoreMemoryEntry *
suit_store_memory_lookup(SuitStoreMemory *self, SuitComponentId *component)
{
	SuitStoreMemoryEntry *entry = g_hash_table_lookup(self->components, component);
	if (entry == NULL || (entry->confirmed == NULL && entry->pending == NULL))
		return NULL;
	return entry;
}

static GOutputStream *
suit_store_memory_begin_write(SuitStore *store,
			      SuitComponentId *component,
			      SuitStoreWriteFlags flags,
			      GCancellable *cancellable,
			      GError **error)
{
	GOutputStream *sink = g_memory_output_stream_new_resizable();
	g_object_set_data(G_OBJECT(sink), SUIT_STORE_MEMORY_SINK_KEY, store);
	return sink;
}

static gboolean
suit_store_memory_commit_write(SuitStore *store,
			       SuitComponentId *component,
			       GOutputStream *sink,
			       SuitStoreWriteFlags flags,
			       SuitDigest *digest,
			       guint64 size,
			       GCancellable *cancellable,
			       GError **error)
{
	SuitStoreMemory *self = SUIT_STORE_MEMORY(store);
	SuitStoreMemoryEntry *entry;
	g_autoptr(GBytes) data = NULL;

	if (g_object_get_data(G_OBJECT(sink), SUIT_STORE_MEMORY_SINK_KEY) != self) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INTERNAL,
				    "the sink does not belong to this store");
		return FALSE;
	}
	if (!g_output_stream_close(sink, NULL, error))
		return FALSE;
	data = g_memory_output_stream_steal_as_bytes(G_MEMORY_OUTPUT_STREAM(sink));
	if (g_bytes_get_size(data) != size) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INTERNAL, "the sink lost bytes");
		return FALSE;
	}

	entry = g_hash_table_lookup(self->components, component);
	if (entry == NULL) {
		entry = g_new0(SuitStoreMemoryEntry, 1);
		entry->id = suit_component_id_ref(component);
		g_hash_table_insert(self->components, entry->id, entry);
	}
	suit_store_memory_drop_pending(entry);
	if (flags & SUIT_STORE_WRITE_FLAG_CONFIRM) {
		g_clear_pointer(&entry->confirmed, g_bytes_unref);
		g_clear_pointer(&entry->confirmed_digest, suit_digest_unref);
		entry->confirmed = g_steal_pointer(&data);
		entry->confirmed_digest = suit_digest_ref(digest);
	} else {
		entry->pending = g_steal_pointer(&data);
		entry->pending_digest = suit_digest_ref(digest);
	}
	return TRUE;
}

static void
suit_store_memory_abort_write(SuitStore *store, SuitComponentId *component, GOutputStream *sink)
{
	g_output_stream_close(sink, NULL, NULL);
}

static gboolean
suit_store_memory_has_component(SuitStore *store, SuitComponentId *component)
{
	return suit_store_memory_lookup(SUIT_STORE_MEMORY(store), component) != NULL;
}

static GBytes *
suit_store_memory_get_active(SuitStoreMemory *self,
			     SuitComponentId *component,
			     SuitDigest **digest,
			     GError **error)
{
	SuitStoreMemoryEntry *entry = suit_store_memory_lookup(self, component);
	if (entry == NULL) {
		suit_store_memory_not_found(component, error);
		return NULL;
	}
	if (entry->pending != NULL) {
		if (digest != NULL)
			*digest = entry->pending_digest;
		return entry->pending;
	}
	if (digest != NULL)
		*digest = entry->confirmed_digest;
	return entry->confirmed;
}

static GInputStream *
suit_store_memory_read_component(SuitStore *store,
				 SuitComponentId *component,
				 GCancellable *cancellable,
				 GError **error)
{
	GBytes *data =
	    suit_store_memory_get_active(SUIT_STORE_MEMORY(store), component, NULL, error);
	if (data == NULL)
		return NULL;
	return g_memory_input_stream_new_from_bytes(data);
}

static gboolean
suit_store_memory_get_size(SuitStore *store,
			   SuitComponentId *component,
			   guint64 *size,
			   GCancellable *cancellable,
			   GError **error)
{
	GBytes *data =
	    suit_store_memory_get_active(SUIT_STORE_MEMORY(store), component, NULL, error);
	if (data == NULL)
		return FALSE;
	*size = g_bytes_get_size(data);
	return TRUE;
}

static SuitDigest *
suit_store_memory_get_digest(SuitStore *store,
			     SuitComponentId *component,
			     SuitDigestAlgorithm algorithm,
			     GCancellable *cancellable,
			     GError **error)
{
	SuitDigest *digest = NULL;
	GBytes *data =
	    suit_store_memory_get_active(SUIT_STORE_MEMORY(store), component, &digest, error);
	if (data == NULL)
		return NULL;
	/* the images are immutable, so the digest taken while writing stays right */
	if (digest != NULL && suit_digest_get_algorithm(digest) == (gint)algorithm)
		return suit_digest_ref(digest);
	return suit_digest_compute(algorithm, data, error);
}

static gboolean
suit_store_memory_remove_component(SuitStore *store,
				   SuitComponentId *component,
				   GCancellable *cancellable,
				   GError **error)
{
	SuitStoreMemory *self = SUIT_STORE_MEMORY(store);
	if (suit_store_memory_lookup(self, component) == NULL)
		return suit_store_memory_not_found(component, error);
	g_hash_table_remove(self->components, component);
	return TRUE;
}

static gboolean
suit_store_memory_get_image_state(SuitStore *store,
				  SuitComponentId *component,
				  SuitStoreImageState *state,
				  GCancellable *cancellable,
				  GError **error)
{
	SuitStoreMemoryEntry *entry = suit_store_memory_lookup(SUIT_STORE_MEMORY(store), component);
	if (entry == NULL) {
		*state = SUIT_STORE_IMAGE_STATE_NONE;
		return TRUE;
	}
	*state = suit_store_image_state(entry->pending != NULL, entry->tried);
	return TRUE;
}

static gboolean
suit_store_memory_confirm(SuitStore *store,
			  SuitComponentId *component,
			  GCancellable *cancellable,
			  GError **error)
{
	SuitStoreMemoryEntry *entry = suit_store_memory_lookup(SUIT_STORE_MEMORY(store), component);
	if (entry == NULL)
		return suit_store_memory_not_found(component, error);
	if (entry->pending == NULL)
		return suit_store_no_pending_image(component, error);
	g_clear_pointer(&entry->confirmed, g_bytes_unref);
	g_clear_pointer(&entry->confirmed_digest, suit_digest_unref);
	entry->confirmed = g_steal_pointer(&entry->pending);
	entry->confirmed_digest = g_steal_pointer(&entry->pending_digest);
	entry->tried = FALSE;
	return TRUE;
}

static GPtrArray *
suit_store_memory_begin_boot(SuitStore *store, GCancellable *cancellable, GError **error)
{
	SuitStoreMemory *self = SUIT_STORE_MEMORY(store);
	GHashTableIter iter;
	SuitStoreMemoryEntry *entry;
	g_autoptr(GPtrArray) fallen =
	    g_ptr_array_new_with_free_func((GDestroyNotify)suit_component_id_unref);

	g_hash_table_iter_init(&iter, self->components);
	while (g_hash_table_iter_next(&iter, NULL, (gpointer *)&entry)) {
		if (entry->pending == NULL)
			continue;
		if (!entry->tried) {
			entry->tried = TRUE;
			continue;
		}
		g_ptr_array_add(fallen, suit_component_id_ref(entry->id));
		suit_store_memory_drop_pending(entry);
		if (entry->confirmed == NULL)
			g_hash_table_iter_remove(&iter);
	}
	return g_steal_pointer(&fallen);
}

static GPtrArray *
suit_store_memory_list_components(SuitStore *store, GCancellable *cancellable, GError **error)
{
	SuitStoreMemory *self = SUIT_STORE_MEMORY(store);
	GHashTableIter iter;
	SuitStoreMemoryEntry *entry;
	g_autoptr(GPtrArray) ids =
	    g_ptr_array_new_with_free_func((GDestroyNotify)suit_component_id_unref);

	g_hash_table_iter_init(&iter, self->components);
	while (g_hash_table_iter_next(&iter, NULL, (gpointer *)&entry)) {
		if (entry->confirmed != NULL || entry->pending != NULL)
			g_ptr_array_add(ids, suit_component_id_ref(entry->id));
	}
	return g_steal_pointer(&ids);
}

static gboolean
suit_store_memory_get_sequence_number(SuitStore *store,
				      SuitComponentId *manifest,
				      guint64 *value,
				      GCancellable *cancellable,
				      GError **error)
{
	SuitStoreMemory *self = SUIT_STORE_MEMORY(store);
	guint64 *stored;

	if (manifest == NULL) {
		if (!self->has_root_sequence_number) {
			g_set_error_literal(error,
					    SUIT_ERROR,
					    SUIT_ERROR_NOT_FOUND,
					    "no sequence number is stored for the root manifest");
			return FALSE;
		}
		*value = self->root_sequence_number;
		return TRUE;
	}
	stored = g_hash_table_lookup(self->sequence_numbers, manifest);
	if (stored == NULL) {
		g_autofree gchar *name = suit_component_id_to_string(manifest);
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_NOT_FOUND,
			    "no sequence number is stored for manifest %s",
			    name);
		return FALSE;
	}
	*value = *stored;
	return TRUE;
}

static gboolean
suit_store_memory_set_sequence_number(SuitStore *store,
				      SuitComponentId *manifest,
				      guint64 value,
				      GCancellable *cancellable,
				      GError **error)
{
	SuitStoreMemory *self = SUIT_STORE_MEMORY(store);

	if (manifest == NULL) {
		self->has_root_sequence_number = TRUE;
		self->root_sequence_number = value;
		return TRUE;
	}
	g_hash_table_replace(self->sequence_numbers,
			     suit_component_id_ref(manifest),
			     g_memdup2(&value, sizeof(value)));
	return TRUE;
}

static void
suit_store_memory_iface_init(SuitStoreInterface *iface)
{
	iface->begin_write = suit_store_memory_begin_write;
	iface->commit_write = suit_store_memory_commit_write;
	iface->abort_write = suit_store_memory_abort_write;
	iface->has_component = suit_store_memory_has_component;
	iface->read_component = suit_store_memory_read_component;
	iface->get_size = suit_store_memory_get_size;
	iface->get_digest = suit_store_memory_get_digest;
	iface->remove_component = suit_store_memory_remove_component;
	iface->get_image_state = suit_store_memory_get_image_state;
	iface->confirm = suit_store_memory_confirm;
	iface->begin_boot = suit_store_memory_begin_boot;
	iface->list_components = suit_store_memory_list_components;
	iface->get_sequence_number = suit_store_memory_get_sequence_number;
	iface->set_sequence_number = suit_store_memory_set_sequence_number;
}

static void
suit_store_memory_finalize(GObject *object)
{
	SuitStoreMemory *self = SUIT_STORE_MEMORY(object);
	g_hash_table_unref(self->components);
	g_hash_table_unref(self->sequence_numbers);
	G_OBJECT_CLASS(suit_store_memory_parent_class)->finalize(object);
}

static void
suit_store_memory_class_init(SuitStoreMemoryClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->finalize = suit_store_memory_finalize;
}

static void
suit_store_memory_init(SuitStoreMemory *self)
{
	self->components = g_hash_table_new_full((GHashFunc)suit_component_id_hash,
						 (GEqualFunc)suit_component_id_equal,
						 NULL,
						 (GDestroyNotify)suit_store_memory_entry_free);
	self->sequence_numbers = g_hash_table_new_full((GHashFunc)suit_component_id_hash,
						       (GEqualFunc)suit_component_id_equal,
						       (GDestroyNotify)suit_component_id_unref,
						       g_free);
}

/**
 * suit_store_memory_new:
 *
 * Creates an empty in-memory store.
 *
 * Returns: (transfer full): a new #SuitStoreMemory
 *
 * Since: 0.1
 */
SuitStoreMemory *
suit_store_memory_new(void)
{
	return g_object_new(SUIT_TYPE_STORE_MEMORY, NULL);
}
