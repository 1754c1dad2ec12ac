/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "suit-database-memory.h"
#include "suit-error.h"

/**
 * SuitDatabaseMemory:
 *
 * A [iface@Database] that keeps everything in memory, with the same
 * semantics as [class@DatabaseSqlite] but no persistence: for tests and
 * examples.
 *
 * The committed documents are guarded by a reader-writer lock, so reads run
 * in parallel. A transaction collects its writes in a private list of
 * pending changes that only the owning thread reads; suit_database_commit()
 * applies them all at once under the writer lock, and
 * suit_database_rollback() just drops them. Other threads therefore never
 * see uncommitted writes and are never blocked by an open transaction, only
 * by the short moment of a commit.
 *
 * See also: [iface@Database], [class@DatabaseSqlite]
 *
 * Since: 0.1
 */

/* a stored document, shared (refcounted, immutable) between the id tree, the
 * index trees and pending changes; @body is NULL for a pending removal */
typedef struct {
	gchar *body;  /* nullable */
	gchar **keys; /* sorted by strcmp(), no duplicates */
} SuitDatabaseMemoryDocument;

typedef struct {
	GTree *documents; /* id (owned) -> SuitDatabaseMemoryDocument (ref) */
	GHashTable *index; /* key -> GTree of id (owned) -> SuitDatabaseMemoryDocument (noref) */
} SuitDatabaseMemoryCollection;

struct _SuitDatabaseMemory {
	GObject parent_instance;
	GRWLock lock;		 /* guards @collections */
	GHashTable *collections; /* name -> SuitDatabaseMemoryCollection */
	/* held from begin to commit or rollback, and briefly by a write outside a
	 * transaction */
	GMutex transaction_lock;
	GThread *owner; /* atomic; the thread that owns the transaction, noref */
	/* only used by @owner: collection -> GTree of id -> document (ref) */
	GHashTable *pending; /* nullable */
};

static void
suit_database_memory_iface_init(SuitDatabaseInterface *iface);

G_DEFINE_TYPE_WITH_CODE(SuitDatabaseMemory,
			suit_database_memory,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(SUIT_TYPE_DATABASE, suit_database_memory_iface_init))

static gint
suit_database_memory_compare(gconstpointer a, gconstpointer b, gpointer user_data)
{
	return strcmp(a, b);
}

static gint
suit_database_memory_compare_ptr(gconstpointer a, gconstpointer b)
{
	return strcmp(*(const gchar *const *)a, *(const gchar *const *)b);
}

static void
suit_database_memory_document_clear(SuitDatabaseMemoryDocument *doc)
{
	g_free(doc->body);
	g_strfreev(doc->keys);
}

static void
suit_database_memory_document_unref(SuitDatabaseMemoryDocument *doc)
{
	g_rc_box_release_full(doc, (GDestroyNotify)suit_database_memory_document_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SuitDatabaseMemoryDocument, suit_database_memory_document_unref)

/* @body NULL makes a pending removal */
static SuitDatabaseMemoryDocument *
suit_database_memory_document_new(const gchar *body, const gchar *const *keys)
{
	SuitDatabaseMemoryDocument *doc = g_rc_box_new0(SuitDatabaseMemoryDocument);
	g_autoptr(GPtrArray) sorted = g_ptr_array_new();

	doc->body = g_strdup(body);
	for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
		g_ptr_array_add(sorted, (gpointer)keys[i]);
	g_ptr_array_sort(sorted, suit_database_memory_compare_ptr);
	doc->keys = g_new0(gchar *, sorted->len + 1);
	for (guint i = 0, n = 0; i < sorted->len; i++) {
		const gchar *key = g_ptr_array_index(sorted, i);
		if (n > 0 && g_strcmp0(doc->keys[n - 1], key) == 0)
			continue;
		doc->keys[n++] = g_strdup(key);
	}
	return doc;
}

static gboolean
suit_database_memory_document_has_key(SuitDatabaseMemoryDocument *doc, const gchar *key)
{
	if (key == NULL)
		return TRUE;
	return g_strv_contains((const gchar *const *)doc->keys, key);
}

/* a document that exists in the committed state or in a pending change */
static gboolean
suit_database_memory_document_matches(SuitDatabaseMemoryDocument *doc, const gchar *key)
{
	return doc != NULL && doc->body != NULL && suit_database_memory_document_has_key(doc, key);
}

static SuitDatabaseMemoryCollection *
suit_database_memory_collection_new(void)
{
	SuitDatabaseMemoryCollection *collection = g_new0(SuitDatabaseMemoryCollection, 1);
	collection->documents =
	    g_tree_new_full(suit_database_memory_compare,
			    NULL,
			    g_free,
			    (GDestroyNotify)suit_database_memory_document_unref);
	collection->index =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_tree_unref);
	return collection;
}

static void
suit_database_memory_collection_free(SuitDatabaseMemoryCollection *collection)
{
	/* the index trees do not own their documents: drop them first */
	g_hash_table_unref(collection->index);
	g_tree_unref(collection->documents);
	g_free(collection);
}

static GTree *
suit_database_memory_pending_tree_new(void)
{
	return g_tree_new_full(suit_database_memory_compare,
			       NULL,
			       g_free,
			       (GDestroyNotify)suit_database_memory_document_unref);
}

static gboolean
suit_database_memory_is_owner(SuitDatabaseMemory *self)
{
	return g_atomic_pointer_get(&self->owner) == (gpointer)g_thread_self();
}

/* the pending change of @id, or NULL; only for the owner */
static SuitDatabaseMemoryDocument *
suit_database_memory_pending_lookup(SuitDatabaseMemory *self,
				    const gchar *collection,
				    const gchar *id)
{
	GTree *tree;
	if (self->pending == NULL)
		return NULL;
	tree = g_hash_table_lookup(self->pending, collection);
	if (tree == NULL)
		return NULL;
	return g_tree_lookup(tree, id);
}

/* records a pending change; only for the owner; takes @doc */
static void
suit_database_memory_pending_set(SuitDatabaseMemory *self,
				 const gchar *collection,
				 const gchar *id,
				 SuitDatabaseMemoryDocument *doc)
{
	GTree *tree = g_hash_table_lookup(self->pending, collection);
	if (tree == NULL) {
		tree = suit_database_memory_pending_tree_new();
		g_hash_table_insert(self->pending, g_strdup(collection), tree);
	}
	g_tree_replace(tree, g_strdup(id), doc);
}

/* the committed document, or NULL; needs the lock */
static SuitDatabaseMemoryDocument *
suit_database_memory_base_lookup(SuitDatabaseMemory *self,
				 const gchar *collection,
				 const gchar *id)
{
	SuitDatabaseMemoryCollection *c = g_hash_table_lookup(self->collections, collection);
	if (c == NULL)
		return NULL;
	return g_tree_lookup(c->documents, id);
}

static void
suit_database_memory_index_remove(SuitDatabaseMemoryCollection *c,
				  const gchar *id,
				  SuitDatabaseMemoryDocument *doc)
{
	for (guint i = 0; doc->keys[i] != NULL; i++) {
		GTree *tree = g_hash_table_lookup(c->index, doc->keys[i]);
		if (tree == NULL)
			continue;
		g_tree_remove(tree, id);
		if (g_tree_nnodes(tree) == 0)
			g_hash_table_remove(c->index, doc->keys[i]);
	}
}

/* needs the writer lock; @doc is not taken */
static void
suit_database_memory_base_put(SuitDatabaseMemory *self,
			      const gchar *collection,
			      const gchar *id,
			      SuitDatabaseMemoryDocument *doc)
{
	SuitDatabaseMemoryCollection *c = g_hash_table_lookup(self->collections, collection);
	SuitDatabaseMemoryDocument *old;

	if (c == NULL) {
		c = suit_database_memory_collection_new();
		g_hash_table_insert(self->collections, g_strdup(collection), c);
	}
	old = g_tree_lookup(c->documents, id);
	if (old != NULL)
		suit_database_memory_index_remove(c, id, old);
	g_tree_replace(c->documents, g_strdup(id), g_rc_box_acquire(doc));
	for (guint i = 0; doc->keys[i] != NULL; i++) {
		GTree *tree = g_hash_table_lookup(c->index, doc->keys[i]);
		if (tree == NULL) {
			tree = g_tree_new_full(suit_database_memory_compare, NULL, g_free, NULL);
			g_hash_table_insert(c->index, g_strdup(doc->keys[i]), tree);
		}
		g_tree_replace(tree, g_strdup(id), doc);
	}
}

/* needs the writer lock; FALSE when there was no such document */
static gboolean
suit_database_memory_base_remove(SuitDatabaseMemory *self,
				 const gchar *collection,
				 const gchar *id)
{
	SuitDatabaseMemoryCollection *c = g_hash_table_lookup(self->collections, collection);
	SuitDatabaseMemoryDocument *old;

	if (c == NULL)
		return FALSE;
	old = g_tree_lookup(c->documents, id);
	if (old == NULL)
		return FALSE;
	suit_database_memory_index_remove(c, id, old);
	g_tree_remove(c->documents, id);
	if (g_tree_nnodes(c->documents) == 0)
		g_hash_table_remove(self->collections, collection);
	return TRUE;
}

static gboolean
suit_database_memory_not_found(const gchar *collection, const gchar *id, GError **error)
{
	g_set_error(error,
		    SUIT_ERROR,
		    SUIT_ERROR_NOT_FOUND,
		    "no document %s in collection %s",
		    id,
		    collection);
	return FALSE;
}

static gchar *
suit_database_memory_get(SuitDatabase *database,
			 const gchar *collection,
			 const gchar *id,
			 GError **error)
{
	SuitDatabaseMemory *self = SUIT_DATABASE_MEMORY(database);
	SuitDatabaseMemoryDocument *doc;
	gchar *body = NULL;

	if (suit_database_memory_is_owner(self)) {
		doc = suit_database_memory_pending_lookup(self, collection, id);
		if (doc != NULL) {
			if (doc->body == NULL) {
				suit_database_memory_not_found(collection, id, error);
				return NULL;
			}
			return g_strdup(doc->body);
		}
	}
	g_rw_lock_reader_lock(&self->lock);
	doc = suit_database_memory_base_lookup(self, collection, id);
	if (doc != NULL)
		body = g_strdup(doc->body);
	g_rw_lock_reader_unlock(&self->lock);
	if (body == NULL) {
		suit_database_memory_not_found(collection, id, error);
		return NULL;
	}
	return body;
}

static gboolean
suit_database_memory_put(SuitDatabase *database,
			 const gchar *collection,
			 const gchar *id,
			 const gchar *document,
			 const gchar *const *keys,
			 GError **error)
{
	SuitDatabaseMemory *self = SUIT_DATABASE_MEMORY(database);
	g_autoptr(SuitDatabaseMemoryDocument) doc =
	    suit_database_memory_document_new(document, keys);

	if (suit_database_memory_is_owner(self)) {
		suit_database_memory_pending_set(self, collection, id, g_steal_pointer(&doc));
		return TRUE;
	}
	g_mutex_lock(&self->transaction_lock);
	g_rw_lock_writer_lock(&self->lock);
	suit_database_memory_base_put(self, collection, id, doc);
	g_rw_lock_writer_unlock(&self->lock);
	g_mutex_unlock(&self->transaction_lock);
	return TRUE;
}

static gboolean
suit_database_memory_remove(SuitDatabase *database,
			    const gchar *collection,
			    const gchar *id,
			    GError **error)
{
	SuitDatabaseMemory *self = SUIT_DATABASE_MEMORY(database);
	gboolean found;

	if (suit_database_memory_is_owner(self)) {
		SuitDatabaseMemoryDocument *doc =
		    suit_database_memory_pending_lookup(self, collection, id);
		if (doc != NULL) {
			found = doc->body != NULL;
		} else {
			g_rw_lock_reader_lock(&self->lock);
			found = suit_database_memory_base_lookup(self, collection, id) != NULL;
			g_rw_lock_reader_unlock(&self->lock);
		}
		if (!found)
			return suit_database_memory_not_found(collection, id, error);
		suit_database_memory_pending_set(self,
						 collection,
						 id,
						 suit_database_memory_document_new(NULL, NULL));
		return TRUE;
	}
	g_mutex_lock(&self->transaction_lock);
	g_rw_lock_writer_lock(&self->lock);
	found = suit_database_memory_base_remove(self, collection, id);
	g_rw_lock_writer_unlock(&self->lock);
	g_mutex_unlock(&self->transaction_lock);
	if (!found)
		return suit_database_memory_not_found(collection, id, error);
	return TRUE;
}

/* the first node of @tree with an id after @after (all when NULL) */
static GTreeNode *
suit_database_memory_first_after(GTree *tree, const gchar *after)
{
	if (tree == NULL)
		return NULL;
	if (after == NULL)
		return g_tree_node_first(tree);
	return g_tree_upper_bound(tree, after);
}

/* merges the committed documents (@base: id -> document, all with @key) and
 * the pending changes (@pending: id -> document or removal) in id order;
 * needs the reader lock */
static GPtrArray *
suit_database_memory_merge(GTree *base,
			   GTree *pending,
			   const gchar *key,
			   const gchar *after,
			   guint limit)
{
	GPtrArray *result = g_ptr_array_new_with_free_func(g_free);
	GTreeNode *b = suit_database_memory_first_after(base, after);
	GTreeNode *p = suit_database_memory_first_after(pending, after);

	while (b != NULL || p != NULL) {
		if (limit > 0 && result->len >= limit)
			break;
		if (p != NULL &&
		    (b == NULL || strcmp(g_tree_node_key(p), g_tree_node_key(b)) <= 0)) {
			SuitDatabaseMemoryDocument *doc = g_tree_node_value(p);
			/* a pending change hides the committed document */
			if (b != NULL && strcmp(g_tree_node_key(p), g_tree_node_key(b)) == 0)
				b = g_tree_node_next(b);
			if (suit_database_memory_document_matches(doc, key))
				g_ptr_array_add(result, g_strdup(doc->body));
			p = g_tree_node_next(p);
			continue;
		}
		{
			SuitDatabaseMemoryDocument *doc = g_tree_node_value(b);
			g_ptr_array_add(result, g_strdup(doc->body));
		}
		b = g_tree_node_next(b);
	}
	return result;
}

static GPtrArray *
suit_database_memory_query(SuitDatabase *database,
			   const gchar *collection,
			   const gchar *key,
			   const gchar *after,
			   guint limit,
			   GError **error)
{
	SuitDatabaseMemory *self = SUIT_DATABASE_MEMORY(database);
	SuitDatabaseMemoryCollection *c;
	GTree *base = NULL;
	GTree *pending = NULL;
	GPtrArray *result;

	if (suit_database_memory_is_owner(self) && self->pending != NULL)
		pending = g_hash_table_lookup(self->pending, collection);
	g_rw_lock_reader_lock(&self->lock);
	c = g_hash_table_lookup(self->collections, collection);
	if (c != NULL)
		base = key != NULL ? g_hash_table_lookup(c->index, key) : c->documents;
	result = suit_database_memory_merge(base, pending, key, after, limit);
	g_rw_lock_reader_unlock(&self->lock);
	return result;
}

static gboolean
suit_database_memory_count(SuitDatabase *database,
			   const gchar *collection,
			   const gchar *key,
			   guint64 *count,
			   GError **error)
{
	SuitDatabaseMemory *self = SUIT_DATABASE_MEMORY(database);
	SuitDatabaseMemoryCollection *c;
	GTree *pending = NULL;
	gint64 n = 0;

	if (suit_database_memory_is_owner(self) && self->pending != NULL)
		pending = g_hash_table_lookup(self->pending, collection);
	g_rw_lock_reader_lock(&self->lock);
	c = g_hash_table_lookup(self->collections, collection);
	if (c != NULL) {
		GTree *base = key != NULL ? g_hash_table_lookup(c->index, key) : c->documents;
		if (base != NULL)
			n = g_tree_nnodes(base);
	}
	/* each pending change may add or hide one document */
	for (GTreeNode *p = pending != NULL ? g_tree_node_first(pending) : NULL; p != NULL;
	     p = g_tree_node_next(p)) {
		SuitDatabaseMemoryDocument *old = NULL;
		if (c != NULL)
			old = g_tree_lookup(c->documents, g_tree_node_key(p));
		if (suit_database_memory_document_matches(old, key))
			n--;
		if (suit_database_memory_document_matches(g_tree_node_value(p), key))
			n++;
	}
	g_rw_lock_reader_unlock(&self->lock);
	*count = (guint64)n;
	return TRUE;
}

static gboolean
suit_database_memory_begin(SuitDatabase *database, GError **error)
{
	SuitDatabaseMemory *self = SUIT_DATABASE_MEMORY(database);

	if (suit_database_memory_is_owner(self)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_CONFLICT,
				    "this thread has a transaction open already");
		return FALSE;
	}
	g_mutex_lock(&self->transaction_lock);
	self->pending =
	    g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_tree_unref);
	g_atomic_pointer_set(&self->owner, g_thread_self());
	return TRUE;
}

/* ends the transaction, dropping what is pending */
static void
suit_database_memory_end(SuitDatabaseMemory *self)
{
	g_clear_pointer(&self->pending, g_hash_table_unref);
	g_atomic_pointer_set(&self->owner, NULL);
	g_mutex_unlock(&self->transaction_lock);
}

static gboolean
suit_database_memory_commit(SuitDatabase *database, GError **error)
{
	SuitDatabaseMemory *self = SUIT_DATABASE_MEMORY(database);
	GHashTableIter iter;
	gpointer collection = NULL;
	gpointer tree = NULL;

	g_return_val_if_fail(suit_database_memory_is_owner(self), FALSE);

	g_rw_lock_writer_lock(&self->lock);
	g_hash_table_iter_init(&iter, self->pending);
	while (g_hash_table_iter_next(&iter, &collection, &tree)) {
		for (GTreeNode *p = g_tree_node_first(tree); p != NULL; p = g_tree_node_next(p)) {
			SuitDatabaseMemoryDocument *doc = g_tree_node_value(p);
			if (doc->body == NULL)
				suit_database_memory_base_remove(self,
								 collection,
								 g_tree_node_key(p));
			else
				suit_database_memory_base_put(self,
							      collection,
							      g_tree_node_key(p),
							      doc);
		}
	}
	g_rw_lock_writer_unlock(&self->lock);
	suit_database_memory_end(self);
	return TRUE;
}

static void
suit_database_memory_rollback(SuitDatabase *database)
{
	SuitDatabaseMemory *self = SUIT_DATABASE_MEMORY(database);

	g_return_if_fail(suit_database_memory_is_owner(self));

	suit_database_memory_end(self);
}

static void
suit_database_memory_iface_init(SuitDatabaseInterface *iface)
{
	iface->get = suit_database_memory_get;
	iface->put = suit_database_memory_put;
	iface->remove = suit_database_memory_remove;
	iface->query = suit_database_memory_query;
	iface->count = suit_database_memory_count;
	iface->begin = suit_database_memory_begin;
	iface->commit = suit_database_memory_commit;
	iface->rollback = suit_database_memory_rollback;
}

static void
suit_database_memory_finalize(GObject *object)
{
	SuitDatabaseMemory *self = SUIT_DATABASE_MEMORY(object);

	/* a transaction left open by a caller bug */
	if (self->pending != NULL) {
		g_warning("database finalized with a transaction open, rolling it back");
		suit_database_memory_end(self);
	}
	g_hash_table_unref(self->collections);
	g_rw_lock_clear(&self->lock);
	g_mutex_clear(&self->transaction_lock);
	G_OBJECT_CLASS(suit_database_memory_parent_class)->finalize(object);
}

static void
suit_database_memory_class_init(SuitDatabaseMemoryClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->finalize = suit_database_memory_finalize;
}

static void
suit_database_memory_init(SuitDatabaseMemory *self)
{
	g_rw_lock_init(&self->lock);
	g_mutex_init(&self->transaction_lock);
	self->collections =
	    g_hash_table_new_full(g_str_hash,
				  g_str_equal,
				  g_free,
				  (GDestroyNotify)suit_database_memory_collection_free);
}

/**
 * suit_database_memory_new:
 *
 * Creates an empty database that lives in memory.
 *
 * Returns: (transfer full): a new #SuitDatabaseMemory
 *
 * Since: 0.1
 **/
SuitDatabaseMemory *
suit_database_memory_new(void)
{
	return g_object_new(SUIT_TYPE_DATABASE_MEMORY, NULL);
}
