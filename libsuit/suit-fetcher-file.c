/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "suit-error.h"
#include "suit-fetcher-file.h"
#include "suit-fetcher-private.h"

/**
 * SuitFetcherFile:
 *
 * A [iface@Fetcher] for `file://` URIs, read through #GFile and streamed in
 * chunks of %SUIT_FETCHER_CHUNK_SIZE bytes. Useful offline, for local mirrors
 * and in tests.
 *
 * See also: [class@FetcherSoup]
 */

struct _SuitFetcherFile {
	GObject parent_instance;
};

static void
suit_fetcher_file_iface_init(SuitFetcherInterface *iface);

G_DEFINE_TYPE_WITH_CODE(SuitFetcherFile,
			suit_fetcher_file,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(SUIT_TYPE_FETCHER, suit_fetcher_file_iface_init))

static const gchar *const suit_fetcher_file_schemes[] = {"file", NULL};

static gboolean
suit_fetcher_file_supports_uri(SuitFetcher *fetcher, const gchar *uri)
{
	return suit_fetcher_check_uri(uri, suit_fetcher_file_schemes, NULL);
}

static gboolean
suit_fetcher_file_convert_error(const gchar *uri, GError *error_local, GError **error)
{
	SuitError code = SUIT_ERROR_FETCH_FAILED;

	if (g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	if (g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
		code = SUIT_ERROR_NOT_FOUND;
	else if (g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
		code = SUIT_ERROR_PERMISSION_DENIED;
	g_set_error(error, SUIT_ERROR, code, "failed to fetch %s: %s", uri, error_local->message);
	g_error_free(error_local);
	return FALSE;
}

static gboolean
suit_fetcher_file_fetch(SuitFetcher *fetcher,
			const gchar *uri,
			GOutputStream *sink,
			guint64 max_size,
			SuitFetchFlags flags,
			SuitProgress *progress,
			GCancellable *cancellable,
			GError **error)
{
	guint64 done = 0;
	g_autofree guint8 *buf = NULL;
	g_autoptr(GFile) file = NULL;
	g_autoptr(GFileInfo) info = NULL;
	g_autoptr(GFileInputStream) stream = NULL;
	GError *error_local = NULL;

	if (!suit_fetcher_check_uri(uri, suit_fetcher_file_schemes, error))
		return FALSE;
	file = g_file_new_for_uri(uri);
	stream = g_file_read(file, cancellable, &error_local);
	if (stream == NULL)
		return suit_fetcher_file_convert_error(uri, error_local, error);
	info = g_file_input_stream_query_info(stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, cancellable, &error_local);
	if (info == NULL)
		return suit_fetcher_file_convert_error(uri, error_local, error);

	/* known too big: fail before reading anything */
	if (g_file_info_has_attribute(info, G_FILE_ATTRIBUTE_STANDARD_SIZE)) {
		guint64 size = (guint64)g_file_info_get_size(info);
		if (max_size > 0 && size > max_size)
			return suit_fetcher_limit_exceeded(uri, size, max_size, error);
		if (progress != NULL)
			suit_progress_set_total(progress, size);
	}
	if (progress != NULL)
		suit_progress_set_status(progress, SUIT_PROGRESS_STATUS_FETCHING);

	buf = g_malloc(SUIT_FETCHER_CHUNK_SIZE);
	for (;;) {
		gssize n = g_input_stream_read(G_INPUT_STREAM(stream),
					       buf,
					       SUIT_FETCHER_CHUNK_SIZE,
					       cancellable,
					       &error_local);
		if (n < 0)
			return suit_fetcher_file_convert_error(uri, error_local, error);
		if (n == 0)
			break;
		/* the file may have grown since it was opened */
		if (max_size > 0 && done + (guint64)n > max_size)
			return suit_fetcher_limit_exceeded(uri, done + (guint64)n, max_size, error);
		if (!suit_fetcher_sink_write(sink, buf, (gsize)n, cancellable, error))
			return FALSE;
		done += (guint64)n;
		if (progress != NULL)
			suit_progress_add_done(progress, (guint64)n);
	}
	if (progress != NULL)
		suit_progress_finished(progress);
	return TRUE;
}

static void
suit_fetcher_file_iface_init(SuitFetcherInterface *iface)
{
	iface->fetch = suit_fetcher_file_fetch;
	iface->supports_uri = suit_fetcher_file_supports_uri;
}

static void
suit_fetcher_file_class_init(SuitFetcherFileClass *klass)
{
}

static void
suit_fetcher_file_init(SuitFetcherFile *self)
{
}

/**
 * suit_fetcher_file_new:
 *
 * Creates a fetcher for `file://` URIs.
 *
 * Returns: (transfer full): a new #SuitFetcherFile
 *
 * Since: 0.1
 */
SuitFetcherFile *
suit_fetcher_file_new(void)
{
	return SUIT_FETCHER_FILE(g_object_new(SUIT_TYPE_FETCHER_FILE, NULL));
}
