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

#include "suit-extra-enums.h"
#include "suit-progress.h"
#include "suit-version-macros.h"

G_BEGIN_DECLS

/**
 * SUIT_FETCHER_CHUNK_SIZE:
 *
 * The largest chunk a fetcher writes to its sink at once, in bytes.
 *
 * Since: 0.1
 */
#define SUIT_FETCHER_CHUNK_SIZE (64 * 1024)

#define SUIT_TYPE_FETCHER (suit_fetcher_get_type())
SUIT_AVAILABLE_IN_0_1
GType
suit_fetcher_get_type(void) G_GNUC_CONST;
G_DECLARE_INTERFACE(SuitFetcher, suit_fetcher, SUIT, FETCHER, GObject)

/**
 * SuitFetcherInterface:
 * @g_iface: the parent interface
 * @fetch: streams the resource at a URI into a sink; see suit_fetcher_fetch()
 * @supports_uri: whether the fetcher handles a URI; optional, see suit_fetcher_supports_uri()
 *
 * The virtual functions of a [iface@Fetcher]. @fetch runs synchronously in the
 * calling thread; suit_fetcher_fetch_async() runs it in a worker thread.
 *
 * Since: 0.1
 */
struct _SuitFetcherInterface {
	GTypeInterface g_iface;
	gboolean (*fetch)(SuitFetcher *self,
			  const gchar *uri,
			  GOutputStream *sink,
			  guint64 max_size,
			  SuitFetchFlags flags,
			  SuitProgress *progress,
			  GCancellable *cancellable,
			  GError **error);
	gboolean (*supports_uri)(SuitFetcher *self, const gchar *uri);
	/*< private >*/
	gpointer padding[8];
};

SUIT_AVAILABLE_IN_0_1
SuitFetcher *
suit_fetcher_new_default(void) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
gboolean
suit_fetcher_supports_uri(SuitFetcher *self, const gchar *uri);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_fetcher_fetch(SuitFetcher *self,
		   const gchar *uri,
		   GOutputStream *sink,
		   guint64 max_size,
		   SuitFetchFlags flags,
		   SuitProgress *progress,
		   GCancellable *cancellable,
		   GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
void
suit_fetcher_fetch_async(SuitFetcher *self,
			 const gchar *uri,
			 GOutputStream *sink,
			 guint64 max_size,
			 SuitFetchFlags flags,
			 SuitProgress *progress,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_fetcher_fetch_finish(SuitFetcher *self, GAsyncResult *res, GError **error)
    G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
GBytes *
suit_fetcher_fetch_bytes(SuitFetcher *self,
			 const gchar *uri,
			 guint64 max_size,
			 SuitFetchFlags flags,
			 SuitProgress *progress,
			 GCancellable *cancellable,
			 GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
