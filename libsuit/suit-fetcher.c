/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "suit-error.h"
#include "suit-fetcher-file.h"
#include "suit-fetcher-private.h"
#include "suit-fetcher-soup.h"

/**
 * SuitFetcher:
 *
 * The plug-in point that gets payloads and dependency manifests named by URI.
 *
 * A fetcher streams the resource into a [class@Gio.OutputStream] sink in
 * chunks of at most %SUIT_FETCHER_CHUNK_SIZE bytes, so that a payload goes
 * straight into a store without ever being held in memory. A resource larger
 * than the size the caller expects fails with %SUIT_ERROR_LIMIT_EXCEEDED as
 * soon as that is known, before or while it is transferred.
 *
 * Errors: %SUIT_ERROR_NOT_FOUND when the resource does not exist,
 * %SUIT_ERROR_FETCH_FAILED (with the cause) when it cannot be transferred,
 * %SUIT_ERROR_WRITE_FAILED when the sink fails, %SUIT_ERROR_NOT_SUPPORTED for a
 * URI the fetcher does not handle, including integrated payloads (`#name`),
 * which the consumer resolves from the envelope. Cancellation gives
 * %G_IO_ERROR_CANCELLED.
 *
 * Implementations: [class@FetcherFile] (`file://`) and [class@FetcherSoup]
 * (`http://` and `https://`); suit_fetcher_new_default() routes between them.
 */

G_DEFINE_INTERFACE(SuitFetcher, suit_fetcher, G_TYPE_OBJECT)

static void
suit_fetcher_default_init(SuitFetcherInterface *iface)
{
}

static gboolean
suit_fetcher_integrated_payload(const gchar *uri, GError **error)
{
	g_set_error(error,
		    SUIT_ERROR,
		    SUIT_ERROR_NOT_SUPPORTED,
		    "integrated payload %s must be resolved from the envelope",
		    uri);
	return FALSE;
}

static gboolean
suit_fetcher_unsupported_scheme(const gchar *uri, GError **error)
{
	g_autofree gchar *scheme = g_uri_parse_scheme(uri);
	g_set_error(error,
		    SUIT_ERROR,
		    SUIT_ERROR_NOT_SUPPORTED,
		    "uri scheme %s is not supported",
		    scheme != NULL ? scheme : "(none)");
	return FALSE;
}

gboolean
suit_fetcher_check_uri(const gchar *uri, const gchar *const *schemes, GError **error)
{
	g_autofree gchar *scheme = NULL;

	if (uri[0] == '#')
		return suit_fetcher_integrated_payload(uri, error);
	if (!g_uri_is_valid(uri, G_URI_FLAGS_ENCODED, NULL)) {
		g_set_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT, "invalid uri %s", uri);
		return FALSE;
	}
	scheme = g_uri_parse_scheme(uri);
	if (scheme == NULL || !g_strv_contains(schemes, scheme))
		return suit_fetcher_unsupported_scheme(uri, error);
	return TRUE;
}

gboolean
suit_fetcher_sink_write(GOutputStream *sink,
			const guint8 *buf,
			gsize bufsz,
			GCancellable *cancellable,
			GError **error)
{
	g_autoptr(GError) error_local = NULL;

	if (g_output_stream_write_all(sink, buf, bufsz, NULL, cancellable, &error_local))
		return TRUE;
	if (error_local->domain == SUIT_ERROR ||
	    g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	g_set_error(error,
		    SUIT_ERROR,
		    SUIT_ERROR_WRITE_FAILED,
		    "failed to write payload: %s",
		    error_local->message);
	return FALSE;
}

gboolean
suit_fetcher_limit_exceeded(const gchar *uri, guint64 size, guint64 max_size, GError **error)
{
	g_set_error(error,
		    SUIT_ERROR,
		    SUIT_ERROR_LIMIT_EXCEEDED,
		    "%s is larger than the %" G_GUINT64_FORMAT " bytes expected (at least %" G_GUINT64_FORMAT
		    " bytes)",
		    uri,
		    max_size,
		    size);
	return FALSE;
}

/**
 * suit_fetcher_supports_uri:
 * @self: a #SuitFetcher
 * @uri: a URI
 *
 * Tells whether @self handles @uri, by its scheme. Fetchers that do not say
 * are assumed to try any URI.
 *
 * Returns: %TRUE if suit_fetcher_fetch() may succeed for @uri
 *
 * Since: 0.1
 */
gboolean
suit_fetcher_supports_uri(SuitFetcher *self, const gchar *uri)
{
	SuitFetcherInterface *iface;

	g_return_val_if_fail(SUIT_IS_FETCHER(self), FALSE);
	g_return_val_if_fail(uri != NULL, FALSE);

	if (uri[0] == '#')
		return FALSE;
	iface = SUIT_FETCHER_GET_IFACE(self);
	if (iface->supports_uri == NULL)
		return TRUE;
	return iface->supports_uri(self, uri);
}

/**
 * suit_fetcher_fetch:
 * @self: a #SuitFetcher
 * @uri: the URI of the resource
 * @sink: where the body is written, in chunks of at most %SUIT_FETCHER_CHUNK_SIZE bytes
 * @max_size: the largest body accepted, in bytes, or 0 for no limit
 * @flags: #SuitFetchFlags
 * @progress: (nullable): a #SuitProgress, set to %SUIT_PROGRESS_STATUS_FETCHING and to the bytes delivered
 * @cancellable: (nullable): a #GCancellable
 * @error: the return location for a #GError
 *
 * Streams the resource at @uri into @sink, synchronously. The sink is neither
 * flushed nor closed. On failure the sink may hold part of the body.
 *
 * An integrated payload (`#name`) fails with %SUIT_ERROR_NOT_SUPPORTED: the
 * consumer takes it from the envelope.
 *
 * Returns: %TRUE for success
 *
 * Since: 0.1
 */
gboolean
suit_fetcher_fetch(SuitFetcher *self,
		   const gchar *uri,
		   GOutputStream *sink,
		   guint64 max_size,
		   SuitFetchFlags flags,
		   SuitProgress *progress,
		   GCancellable *cancellable,
		   GError **error)
{
	SuitFetcherInterface *iface;

	g_return_val_if_fail(SUIT_IS_FETCHER(self), FALSE);
	g_return_val_if_fail(uri != NULL, FALSE);
	g_return_val_if_fail(G_IS_OUTPUT_STREAM(sink), FALSE);
	g_return_val_if_fail(progress == NULL || SUIT_IS_PROGRESS(progress), FALSE);
	g_return_val_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (uri[0] == '#')
		return suit_fetcher_integrated_payload(uri, error);
	if (g_cancellable_set_error_if_cancelled(cancellable, error))
		return FALSE;
	iface = SUIT_FETCHER_GET_IFACE(self);
	if (iface->fetch == NULL) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_NOT_SUPPORTED,
			    "%s does not implement fetch",
			    G_OBJECT_TYPE_NAME(self));
		return FALSE;
	}
	return iface->fetch(self, uri, sink, max_size, flags, progress, cancellable, error);
}

typedef struct {
	gchar *uri;
	GOutputStream *sink;
	guint64 max_size;
	SuitFetchFlags flags;
	SuitProgress *progress; /* (nullable) */
} SuitFetcherTaskData;

static void
suit_fetcher_task_data_free(SuitFetcherTaskData *data)
{
	g_free(data->uri);
	g_object_unref(data->sink);
	g_clear_object(&data->progress);
	g_free(data);
}

static void
suit_fetcher_fetch_thread_cb(GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
	SuitFetcherTaskData *data = task_data;
	g_autoptr(GError) error = NULL;

	if (!suit_fetcher_fetch(SUIT_FETCHER(source_object),
				data->uri,
				data->sink,
				data->max_size,
				data->flags,
				data->progress,
				cancellable,
				&error)) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_task_return_boolean(task, TRUE);
}

/**
 * suit_fetcher_fetch_async:
 * @self: a #SuitFetcher
 * @uri: the URI of the resource
 * @sink: where the body is written; do not use it until the call completes
 * @max_size: the largest body accepted, in bytes, or 0 for no limit
 * @flags: #SuitFetchFlags
 * @progress: (nullable): a #SuitProgress
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async) (closure user_data): called when the fetch completes
 * @user_data: data for @callback
 *
 * Runs suit_fetcher_fetch() in a worker thread. Progress signals are still
 * emitted in the thread that created @progress, and @callback is called in
 * the thread-default main context of the caller.
 *
 * Since: 0.1
 */
void
suit_fetcher_fetch_async(SuitFetcher *self,
			 const gchar *uri,
			 GOutputStream *sink,
			 guint64 max_size,
			 SuitFetchFlags flags,
			 SuitProgress *progress,
			 GCancellable *cancellable,
			 GAsyncReadyCallback callback,
			 gpointer user_data)
{
	SuitFetcherTaskData *data;
	g_autoptr(GTask) task = NULL;

	g_return_if_fail(SUIT_IS_FETCHER(self));
	g_return_if_fail(uri != NULL);
	g_return_if_fail(G_IS_OUTPUT_STREAM(sink));
	g_return_if_fail(progress == NULL || SUIT_IS_PROGRESS(progress));
	g_return_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable));

	task = g_task_new(self, cancellable, callback, user_data);
	g_task_set_source_tag(task, suit_fetcher_fetch_async);
	data = g_new0(SuitFetcherTaskData, 1);
	data->uri = g_strdup(uri);
	data->sink = g_object_ref(sink);
	data->max_size = max_size;
	data->flags = flags;
	data->progress = progress != NULL ? g_object_ref(progress) : NULL;
	g_task_set_task_data(task, data, (GDestroyNotify)suit_fetcher_task_data_free);
	g_task_run_in_thread(task, suit_fetcher_fetch_thread_cb);
}

/**
 * suit_fetcher_fetch_finish:
 * @self: a #SuitFetcher
 * @res: the #GAsyncResult
 * @error: the return location for a #GError
 *
 * Gets the result of suit_fetcher_fetch_async().
 *
 * Returns: %TRUE for success
 *
 * Since: 0.1
 */
gboolean
suit_fetcher_fetch_finish(SuitFetcher *self, GAsyncResult *res, GError **error)
{
	g_return_val_if_fail(SUIT_IS_FETCHER(self), FALSE);
	g_return_val_if_fail(g_task_is_valid(res, self), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
	return g_task_propagate_boolean(G_TASK(res), error);
}

/**
 * suit_fetcher_fetch_bytes:
 * @self: a #SuitFetcher
 * @uri: the URI of the resource
 * @max_size: the largest body accepted, in bytes; must not be 0
 * @flags: #SuitFetchFlags
 * @progress: (nullable): a #SuitProgress
 * @cancellable: (nullable): a #GCancellable
 * @error: the return location for a #GError
 *
 * Fetches a small resource, such as a dependency manifest, into memory. Use
 * suit_fetcher_fetch() with a sink for payloads.
 *
 * Returns: (transfer full): the body, or %NULL on error
 *
 * Since: 0.1
 */
GBytes *
suit_fetcher_fetch_bytes(SuitFetcher *self,
			 const gchar *uri,
			 guint64 max_size,
			 SuitFetchFlags flags,
			 SuitProgress *progress,
			 GCancellable *cancellable,
			 GError **error)
{
	g_autoptr(GOutputStream) sink = NULL;

	g_return_val_if_fail(SUIT_IS_FETCHER(self), NULL);
	g_return_val_if_fail(uri != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (max_size == 0 || max_size > G_MAXSIZE) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "a bounded maximum size is required to fetch %s into memory",
			    uri);
		return NULL;
	}
	sink = g_memory_output_stream_new_resizable();
	if (!suit_fetcher_fetch(self, uri, sink, max_size, flags, progress, cancellable, error))
		return NULL;
	if (!g_output_stream_close(sink, cancellable, error))
		return NULL;
	return g_memory_output_stream_steal_as_bytes(G_MEMORY_OUTPUT_STREAM(sink));
}

/* the default fetcher: routes each URI to the first backend that takes it */

#define SUIT_TYPE_FETCHER_ROUTER (suit_fetcher_router_get_type())
G_DECLARE_FINAL_TYPE(SuitFetcherRouter, suit_fetcher_router, SUIT, FETCHER_ROUTER, GObject)

struct _SuitFetcherRouter {
	GObject parent_instance;
	GPtrArray *backends; /* (element-type SuitFetcher) */
};

static void
suit_fetcher_router_iface_init(SuitFetcherInterface *iface);

G_DEFINE_TYPE_WITH_CODE(SuitFetcherRouter,
			suit_fetcher_router,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(SUIT_TYPE_FETCHER, suit_fetcher_router_iface_init))

static SuitFetcher *
suit_fetcher_router_find(SuitFetcherRouter *self, const gchar *uri)
{
	for (guint i = 0; i < self->backends->len; i++) {
		SuitFetcher *backend = g_ptr_array_index(self->backends, i);
		if (suit_fetcher_supports_uri(backend, uri))
			return backend;
	}
	return NULL;
}

static gboolean
suit_fetcher_router_supports_uri(SuitFetcher *fetcher, const gchar *uri)
{
	return suit_fetcher_router_find(SUIT_FETCHER_ROUTER(fetcher), uri) != NULL;
}

static gboolean
suit_fetcher_router_fetch(SuitFetcher *fetcher,
			   const gchar *uri,
			   GOutputStream *sink,
			   guint64 max_size,
			   SuitFetchFlags flags,
			   SuitProgress *progress,
			   GCancellable *cancellable,
			   GError **error)
{
	SuitFetcher *backend = suit_fetcher_router_find(SUIT_FETCHER_ROUTER(fetcher), uri);
	if (backend == NULL)
		return suit_fetcher_unsupported_scheme(uri, error);
	return suit_fetcher_fetch(backend, uri, sink, max_size, flags, progress, cancellable, error);
}

static void
suit_fetcher_router_iface_init(SuitFetcherInterface *iface)
{
	iface->fetch = suit_fetcher_router_fetch;
	iface->supports_uri = suit_fetcher_router_supports_uri;
}

static void
suit_fetcher_router_finalize(GObject *object)
{
	SuitFetcherRouter *self = SUIT_FETCHER_ROUTER(object);
	g_ptr_array_unref(self->backends);
	G_OBJECT_CLASS(suit_fetcher_router_parent_class)->finalize(object);
}

static void
suit_fetcher_router_class_init(SuitFetcherRouterClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->finalize = suit_fetcher_router_finalize;
}

static void
suit_fetcher_router_init(SuitFetcherRouter *self)
{
	self->backends = g_ptr_array_new_with_free_func((GDestroyNotify)g_object_unref);
	g_ptr_array_add(self->backends, suit_fetcher_file_new());
	g_ptr_array_add(self->backends, suit_fetcher_soup_new());
}

/**
 * suit_fetcher_new_default:
 *
 * Creates a fetcher that handles `file://` with a [class@FetcherFile] and
 * `http://` and `https://` with a [class@FetcherSoup] using its defaults.
 *
 * Returns: (transfer full): a new #SuitFetcher
 *
 * Since: 0.1
 */
SuitFetcher *
suit_fetcher_new_default(void)
{
	return SUIT_FETCHER(g_object_new(SUIT_TYPE_FETCHER_ROUTER, NULL));
}
