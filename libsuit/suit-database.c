/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "suit-database.h"
#include "suit-error.h"

/**
 * SuitDatabase:
 *
 * An indexed, transactional store of JSON documents: where the Status
 * Tracker and the Firmware Server keep their state.
 *
 * Document model: a document is identified by a *collection* (such as
 * `"devices"`) and an *id* within it. It carries a JSON text, which the
 * database stores as it is and never parses, and a set of index *keys*:
 * opaque strings such as `"tag:lab"` or `"campaign:c-1234"` under which the
 * document can be found with suit_database_query() and counted with
 * suit_database_count(). suit_database_put() replaces the whole document,
 * its JSON text and all of its keys at once.
 *
 * Collections, ids and keys are non-empty UTF-8 strings; ids and
 * collections are at most 512 bytes long, keys at most 1024 bytes, and the
 * JSON text must be valid UTF-8. Anything else fails with
 * %SUIT_ERROR_INVALID_ARGUMENT before the backend sees it.
 *
 * Ordering: queries return documents ordered by id in ascending bytewise
 * order (the order of strcmp()), so a caller pages through a collection by
 * passing the last id it saw as the @after argument of the next query.
 *
 * Transactions: suit_database_begin() starts a write transaction owned by
 * the calling thread, waiting while another thread owns one. Reads from the
 * owning thread see its own uncommitted writes; other threads keep seeing
 * the last committed state and are not blocked by the transaction.
 * suit_database_commit() makes the writes durable (for a persistent backend,
 * on disk and synced) and visible at once; suit_database_rollback() discards
 * them. suit_database_put() and suit_database_remove() outside a transaction
 * are each a durable transaction of their own. Transactions do not nest:
 * suit_database_begin() in a thread that owns a transaction already fails
 * with %SUIT_ERROR_CONFLICT.
 *
 * Thread safety: every method may be called from any thread at any time.
 * Reads run in parallel with each other and with a writer.
 *
 * Implementations: [class@DatabaseSqlite] (the default, one SQLite file) and
 * [class@DatabaseMemory] (tests and examples).
 *
 * Since: 0.1
 */

G_DEFINE_INTERFACE(SuitDatabase, suit_database, G_TYPE_OBJECT)

#define SUIT_DATABASE_NAME_MAX 512
#define SUIT_DATABASE_KEY_MAX  1024

static void
suit_database_default_init(SuitDatabaseInterface *iface)
{
}

static gboolean
suit_database_not_supported(SuitDatabase *self, const gchar *what, GError **error)
{
	g_set_error(error,
		    SUIT_ERROR,
		    SUIT_ERROR_NOT_SUPPORTED,
		    "%s does not support %s",
		    G_OBJECT_TYPE_NAME(self),
		    what);
	return FALSE;
}

/* a non-empty UTF-8 string of at most @max bytes */
static gboolean
suit_database_check_name(const gchar *value, const gchar *what, gsize max, GError **error)
{
	gsize len = strlen(value);
	if (len == 0) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "the %s is empty",
			    what);
		return FALSE;
	}
	if (len > max) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "the %s is %" G_GSIZE_FORMAT " bytes long, more than %" G_GSIZE_FORMAT,
			    what,
			    len,
			    max);
		return FALSE;
	}
	if (!g_utf8_validate_len(value, len, NULL)) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "the %s is not valid UTF-8",
			    what);
		return FALSE;
	}
	return TRUE;
}

static gboolean
suit_database_check_collection(const gchar *collection, GError **error)
{
	return suit_database_check_name(collection, "collection", SUIT_DATABASE_NAME_MAX, error);
}

static gboolean
suit_database_check_id(const gchar *id, GError **error)
{
	return suit_database_check_name(id, "document id", SUIT_DATABASE_NAME_MAX, error);
}

static gboolean
suit_database_check_key(const gchar *key, GError **error)
{
	return suit_database_check_name(key, "index key", SUIT_DATABASE_KEY_MAX, error);
}

/**
 * suit_database_get:
 * @self: a #SuitDatabase
 * @collection: the collection, such as `"devices"`
 * @id: the id of the document
 * @error: return location for a #GError, or %NULL
 *
 * Reads one document. A thread that owns a transaction sees its own
 * uncommitted writes; any other thread sees the last committed state.
 *
 * Returns: (transfer full): the JSON text of the document, or %NULL with
 *   %SUIT_ERROR_NOT_FOUND when there is none
 *
 * Since: 0.1
 **/
gchar *
suit_database_get(SuitDatabase *self, const gchar *collection, const gchar *id, GError **error)
{
	SuitDatabaseInterface *iface;

	g_return_val_if_fail(SUIT_IS_DATABASE(self), NULL);
	g_return_val_if_fail(collection != NULL, NULL);
	g_return_val_if_fail(id != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!suit_database_check_collection(collection, error))
		return NULL;
	if (!suit_database_check_id(id, error))
		return NULL;
	iface = SUIT_DATABASE_GET_IFACE(self);
	if (iface->get == NULL) {
		suit_database_not_supported(self, "get", error);
		return NULL;
	}
	return iface->get(self, collection, id, error);
}

/**
 * suit_database_put:
 * @self: a #SuitDatabase
 * @collection: the collection, such as `"devices"`
 * @id: the id of the document, at most 512 bytes
 * @document: the JSON text of the document (not parsed by the database)
 * @keys: (array zero-terminated=1) (nullable): the index keys of the
 *   document, or %NULL for none; duplicates are ignored
 * @error: return location for a #GError, or %NULL
 *
 * Stores a document, replacing an earlier document with the same id and all
 * of its index keys. Outside a transaction the write is durable when this
 * returns.
 *
 * Returns: %TRUE for success; %FALSE with %SUIT_ERROR_INVALID_ARGUMENT for a
 *   bad collection, id, key or document, or %SUIT_ERROR_WRITE_FAILED when
 *   the storage could not be written
 *
 * Since: 0.1
 **/
gboolean
suit_database_put(SuitDatabase *self,
		  const gchar *collection,
		  const gchar *id,
		  const gchar *document,
		  const gchar *const *keys,
		  GError **error)
{
	SuitDatabaseInterface *iface;

	g_return_val_if_fail(SUIT_IS_DATABASE(self), FALSE);
	g_return_val_if_fail(collection != NULL, FALSE);
	g_return_val_if_fail(id != NULL, FALSE);
	g_return_val_if_fail(document != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!suit_database_check_collection(collection, error))
		return FALSE;
	if (!suit_database_check_id(id, error))
		return FALSE;
	if (!g_utf8_validate(document, -1, NULL)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_ARGUMENT,
				    "the document is not valid UTF-8");
		return FALSE;
	}
	for (guint i = 0; keys != NULL && keys[i] != NULL; i++) {
		if (!suit_database_check_key(keys[i], error))
			return FALSE;
	}
	iface = SUIT_DATABASE_GET_IFACE(self);
	if (iface->put == NULL)
		return suit_database_not_supported(self, "put", error);
	return iface->put(self, collection, id, document, keys, error);
}

/**
 * suit_database_remove:
 * @self: a #SuitDatabase
 * @collection: the collection, such as `"devices"`
 * @id: the id of the document
 * @error: return location for a #GError, or %NULL
 *
 * Deletes a document and its index keys. Outside a transaction the removal
 * is durable when this returns.
 *
 * Returns: %TRUE for success; %FALSE with %SUIT_ERROR_NOT_FOUND when there is
 *   no such document, or %SUIT_ERROR_WRITE_FAILED when the storage could not
 *   be written
 *
 * Since: 0.1
 **/
gboolean
suit_database_remove(SuitDatabase *self, const gchar *collection, const gchar *id, GError **error)
{
	SuitDatabaseInterface *iface;

	g_return_val_if_fail(SUIT_IS_DATABASE(self), FALSE);
	g_return_val_if_fail(collection != NULL, FALSE);
	g_return_val_if_fail(id != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!suit_database_check_collection(collection, error))
		return FALSE;
	if (!suit_database_check_id(id, error))
		return FALSE;
	iface = SUIT_DATABASE_GET_IFACE(self);
	if (iface->remove == NULL)
		return suit_database_not_supported(self, "remove", error);
	return iface->remove(self, collection, id, error);
}

/**
 * suit_database_query:
 * @self: a #SuitDatabase
 * @collection: the collection, such as `"devices"`
 * @key: (nullable): only documents with this index key, or %NULL for all
 * @after: (nullable): only documents whose id sorts after this one, or
 *   %NULL to start at the beginning
 * @limit: at most this many documents, or 0 for all
 * @error: return location for a #GError, or %NULL
 *
 * Lists documents of a collection ordered by id in ascending bytewise
 * (strcmp()) order. To page through a collection, pass the id of the last
 * document of one page as @after of the next query.
 *
 * Returns: (transfer container) (element-type utf8): the JSON texts of the
 *   documents, possibly none, or %NULL on error
 *
 * Since: 0.1
 **/
GPtrArray *
suit_database_query(SuitDatabase *self,
		    const gchar *collection,
		    const gchar *key,
		    const gchar *after,
		    guint limit,
		    GError **error)
{
	SuitDatabaseInterface *iface;

	g_return_val_if_fail(SUIT_IS_DATABASE(self), NULL);
	g_return_val_if_fail(collection != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!suit_database_check_collection(collection, error))
		return NULL;
	if (key != NULL && !suit_database_check_key(key, error))
		return NULL;
	if (after != NULL && !g_utf8_validate(after, -1, NULL)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_ARGUMENT,
				    "the id to start after is not valid UTF-8");
		return NULL;
	}
	iface = SUIT_DATABASE_GET_IFACE(self);
	if (iface->query == NULL) {
		suit_database_not_supported(self, "query", error);
		return NULL;
	}
	return iface->query(self, collection, key, after, limit, error);
}

/**
 * suit_database_count:
 * @self: a #SuitDatabase
 * @collection: the collection, such as `"devices"`
 * @key: (nullable): count only documents with this index key, or %NULL for
 *   all
 * @count: (out): return location for the number of documents
 * @error: return location for a #GError, or %NULL
 *
 * Counts the documents of a collection, or those with one index key.
 *
 * Returns: %TRUE for success
 *
 * Since: 0.1
 **/
gboolean
suit_database_count(SuitDatabase *self,
		    const gchar *collection,
		    const gchar *key,
		    guint64 *count,
		    GError **error)
{
	SuitDatabaseInterface *iface;

	g_return_val_if_fail(SUIT_IS_DATABASE(self), FALSE);
	g_return_val_if_fail(collection != NULL, FALSE);
	g_return_val_if_fail(count != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!suit_database_check_collection(collection, error))
		return FALSE;
	if (key != NULL && !suit_database_check_key(key, error))
		return FALSE;
	iface = SUIT_DATABASE_GET_IFACE(self);
	if (iface->count == NULL)
		return suit_database_not_supported(self, "count", error);
	return iface->count(self, collection, key, count, error);
}

/**
 * suit_database_begin:
 * @self: a #SuitDatabase
 * @error: return location for a #GError, or %NULL
 *
 * Starts a write transaction owned by the calling thread. It waits while
 * another thread owns a transaction. Until suit_database_commit() or
 * suit_database_rollback(), the writes of this thread are seen only by this
 * thread.
 *
 * Returns: %TRUE for success; %FALSE with %SUIT_ERROR_CONFLICT when the
 *   calling thread owns a transaction already
 *
 * Since: 0.1
 **/
gboolean
suit_database_begin(SuitDatabase *self, GError **error)
{
	SuitDatabaseInterface *iface;

	g_return_val_if_fail(SUIT_IS_DATABASE(self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	iface = SUIT_DATABASE_GET_IFACE(self);
	if (iface->begin == NULL)
		return suit_database_not_supported(self, "transactions", error);
	return iface->begin(self, error);
}

/**
 * suit_database_commit:
 * @self: a #SuitDatabase
 * @error: return location for a #GError, or %NULL
 *
 * Ends the transaction of the calling thread, making its writes durable and
 * visible to every thread. The calling thread must own a transaction. When
 * this fails, the transaction has been rolled back and has ended.
 *
 * Returns: %TRUE for success; %FALSE with %SUIT_ERROR_WRITE_FAILED when the
 *   storage could not be written
 *
 * Since: 0.1
 **/
gboolean
suit_database_commit(SuitDatabase *self, GError **error)
{
	SuitDatabaseInterface *iface;

	g_return_val_if_fail(SUIT_IS_DATABASE(self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	iface = SUIT_DATABASE_GET_IFACE(self);
	if (iface->commit == NULL)
		return suit_database_not_supported(self, "transactions", error);
	return iface->commit(self, error);
}

/**
 * suit_database_rollback:
 * @self: a #SuitDatabase
 *
 * Ends the transaction of the calling thread, discarding its writes. The
 * calling thread must own a transaction.
 *
 * Since: 0.1
 **/
void
suit_database_rollback(SuitDatabase *self)
{
	SuitDatabaseInterface *iface;

	g_return_if_fail(SUIT_IS_DATABASE(self));

	iface = SUIT_DATABASE_GET_IFACE(self);
	if (iface->rollback == NULL)
		return;
	iface->rollback(self);
}
