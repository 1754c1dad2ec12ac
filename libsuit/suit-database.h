/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__LIBSUIT_INSIDE__) && !defined(SUIT_COMPILATION)
#error "Only <libsuit/suit.h> can be included directly."
#endif

#include <gio/gio.h>

#include "suit-version-macros.h"

G_BEGIN_DECLS

#define SUIT_TYPE_DATABASE (suit_database_get_type())
SUIT_AVAILABLE_IN_0_1
G_DECLARE_INTERFACE(SuitDatabase, suit_database, SUIT, DATABASE, GObject)

/**
 * SuitDatabaseInterface:
 * @parent_iface: the parent interface
 * @get: the document stored under @collection and @id, as JSON text
 * @put: stores @document under @collection and @id, replacing any earlier
 *   one, with its index @keys (replacing the earlier keys)
 * @remove: deletes a document and its keys
 * @query: documents of @collection ordered by id, optionally only those with
 *   index key @key, only ids after @after, at most @limit (0: all)
 * @count: how many documents of @collection have @key (or all)
 * @begin: starts a write transaction of the calling thread
 * @commit: makes the transaction's writes durable and visible
 * @rollback: discards the transaction's writes
 *
 * The virtual methods of a tracker database: an indexed, transactional
 * store of JSON documents. Every method may be called from any thread.
 *
 * Since: 0.1
 */
struct _SuitDatabaseInterface {
	GTypeInterface parent_iface;
	gchar *(*get)(SuitDatabase *self,
		      const gchar *collection,
		      const gchar *id,
		      GError **error);
	gboolean (*put)(SuitDatabase *self,
			const gchar *collection,
			const gchar *id,
			const gchar *document,
			const gchar *const *keys,
			GError **error);
	gboolean (*remove)(SuitDatabase *self,
			   const gchar *collection,
			   const gchar *id,
			   GError **error);
	GPtrArray *(*query)(SuitDatabase *self,
			    const gchar *collection,
			    const gchar *key,
			    const gchar *after,
			    guint limit,
			    GError **error);
	gboolean (*count)(SuitDatabase *self,
			  const gchar *collection,
			  const gchar *key,
			  guint64 *count,
			  GError **error);
	gboolean (*begin)(SuitDatabase *self, GError **error);
	gboolean (*commit)(SuitDatabase *self, GError **error);
	void (*rollback)(SuitDatabase *self);
	/*< private >*/
	gpointer padding[8];
};

SUIT_AVAILABLE_IN_0_1
gchar *
suit_database_get(SuitDatabase *self, const gchar *collection, const gchar *id, GError **error)
    G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
gboolean
suit_database_put(SuitDatabase *self,
		  const gchar *collection,
		  const gchar *id,
		  const gchar *document,
		  const gchar *const *keys,
		  GError **error);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_database_remove(SuitDatabase *self, const gchar *collection, const gchar *id, GError **error);
SUIT_AVAILABLE_IN_0_1
GPtrArray *
suit_database_query(SuitDatabase *self,
		    const gchar *collection,
		    const gchar *key,
		    const gchar *after,
		    guint limit,
		    GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
gboolean
suit_database_count(SuitDatabase *self,
		    const gchar *collection,
		    const gchar *key,
		    guint64 *count,
		    GError **error);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_database_begin(SuitDatabase *self, GError **error);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_database_commit(SuitDatabase *self, GError **error);
SUIT_AVAILABLE_IN_0_1
void
suit_database_rollback(SuitDatabase *self);

G_END_DECLS
