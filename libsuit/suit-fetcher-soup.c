/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <libsoup/soup.h>

#include "suit-error.h"
#include "suit-fetcher-private.h"
#include "suit-fetcher-soup.h"
#include "suit-version.h"

/**
 * SuitFetcherSoup:
 *
 * A [iface@Fetcher] for `http://` and `https://` URIs, through libsoup 3.
 *
 * The body is streamed into the sink in chunks; nothing is buffered. TLS
 * certificates are always verified, against the system trust store or the
 * database given to suit_fetcher_soup_set_tls_database(). Connecting and each
 * read time out after [property@FetcherSoup:timeout] seconds.
 *
 * When the connection drops, the fetch is resumed with a `Range` request from
 * the first byte not yet delivered, after a delay that doubles at each retry
 * ([property@FetcherSoup:retry-delay]). A response of 206 must start at that
 * byte. A server that ignores the range and answers 200 makes the fetcher
 * start again from the first byte, which needs a sink that is both
 * #GSeekable and truncatable; with any other sink that fails with
 * %SUIT_ERROR_FETCH_FAILED. Connection errors, 408, 429 and 5xx responses
 * are retried; after [property@FetcherSoup:max-retries] retries in a row that
 * delivered no new byte, the fetch fails with %SUIT_ERROR_FETCH_FAILED. 404
 * and 410 give %SUIT_ERROR_NOT_FOUND, other statuses
 * %SUIT_ERROR_FETCH_FAILED, both without retrying.
 *
 * Requests carry `User-Agent: libsuit/MAJOR.MINOR` and ask for the identity
 * encoding, so that ranges count the bytes of the payload itself.
 *
 * See also: [class@FetcherFile]
 */

#define SUIT_FETCHER_SOUP_DEFAULT_TIMEOUT     60   /* s */
#define SUIT_FETCHER_SOUP_DEFAULT_MAX_RETRIES 5
#define SUIT_FETCHER_SOUP_DEFAULT_RETRY_DELAY 1000 /* ms */
#define SUIT_FETCHER_SOUP_MAX_RETRY_DELAY     60000 /* ms */

struct _SuitFetcherSoup {
	GObject parent_instance;
	SoupSession *session;
	guint timeout;
	guint max_retries;
	guint retry_delay;
};

static void
suit_fetcher_soup_iface_init(SuitFetcherInterface *iface);

G_DEFINE_TYPE_WITH_CODE(SuitFetcherSoup,
			suit_fetcher_soup,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(SUIT_TYPE_FETCHER, suit_fetcher_soup_iface_init))

enum { PROP_0, PROP_TIMEOUT, PROP_MAX_RETRIES, PROP_RETRY_DELAY, PROP_TLS_DATABASE, N_PROPS };

static GParamSpec *props[N_PROPS] = {NULL};

static const gchar *const suit_fetcher_soup_schemes[] = {"http", "https", NULL};

/* the outcome of one request */
typedef enum {
	SUIT_FETCH_ATTEMPT_DONE,
	SUIT_FETCH_ATTEMPT_RETRY, /* transient: try again from run->offset */
	SUIT_FETCH_ATTEMPT_FATAL,
} SuitFetchAttempt;

typedef struct {
	const gchar *uri;
	GOutputStream *sink;
	guint64 max_size;
	SuitProgress *progress; /* (nullable) */
	guint64 offset;		/* bytes of the body delivered to the sink */
	guint64 reported;	/* bytes given to the progress */
	gint64 total;		/* size of the body, or -1 when not known */
	guint8 *buf;
} SuitFetchRun;

static gboolean
suit_fetcher_soup_supports_uri(SuitFetcher *fetcher, const gchar *uri)
{
	return suit_fetcher_check_uri(uri, suit_fetcher_soup_schemes, NULL);
}

/* after the server ignored a range: empty the sink so the body can start again */
static gboolean
suit_fetcher_soup_rewind_sink(SuitFetchRun *run, GCancellable *cancellable, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	GSeekable *seekable;

	if (!G_IS_SEEKABLE(run->sink) || !g_seekable_can_seek(G_SEEKABLE(run->sink)) ||
	    !g_seekable_can_truncate(G_SEEKABLE(run->sink))) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_FETCH_FAILED,
			    "failed to resume %s: the server ignored the range request and the sink cannot be rewound",
			    run->uri);
		return FALSE;
	}
	seekable = G_SEEKABLE(run->sink);
	if (!g_seekable_seek(seekable, 0, G_SEEK_SET, cancellable, &error_local) ||
	    !g_seekable_truncate(seekable, 0, cancellable, &error_local)) {
		if (g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_WRITE_FAILED,
			    "failed to rewind the sink: %s",
			    error_local->message);
		return FALSE;
	}
	g_debug("%s ignored the range request, starting again", run->uri);
	run->offset = 0;
	return TRUE;
}

static SuitFetchAttempt
suit_fetcher_soup_status_error(SuitFetchRun *run, SoupMessage *msg, GError **error)
{
	guint status = soup_message_get_status(msg);
	const gchar *reason = soup_message_get_reason_phrase(msg);
	gboolean gone = status == SOUP_STATUS_NOT_FOUND || status == SOUP_STATUS_GONE;

	if (reason == NULL || reason[0] == '\0')
		reason = soup_status_get_phrase(status);
	g_set_error(error,
		    SUIT_ERROR,
		    gone ? SUIT_ERROR_NOT_FOUND : SUIT_ERROR_FETCH_FAILED,
		    "failed to fetch %s: HTTP %u %s",
		    run->uri,
		    status,
		    reason != NULL ? reason : "");
	if (gone)
		return SUIT_FETCH_ATTEMPT_FATAL;
	if (status == SOUP_STATUS_REQUEST_TIMEOUT || status == 429 ||
	    (status >= 500 && status <= 599))
		return SUIT_FETCH_ATTEMPT_RETRY;
	return SUIT_FETCH_ATTEMPT_FATAL;
}

/* checks the response headers; sets run->total and may rewind the sink */
static SuitFetchAttempt
suit_fetcher_soup_check_response(SuitFetchRun *run,
				 SoupMessage *msg,
				 GCancellable *cancellable,
				 GError **error)
{
	SoupMessageHeaders *headers = soup_message_get_response_headers(msg);
	guint status = soup_message_get_status(msg);
	gint64 total = -1;

	if (status == SOUP_STATUS_PARTIAL_CONTENT && run->offset > 0) {
		goffset start = 0;
		goffset end = 0;
		goffset length = -1;
		if (!soup_message_headers_get_content_range(headers, &start, &end, &length) ||
		    start != (goffset)run->offset) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_FETCH_FAILED,
				    "failed to resume %s: the server did not answer with the range from byte %" G_GUINT64_FORMAT,
				    run->uri,
				    run->offset);
			return SUIT_FETCH_ATTEMPT_FATAL;
		}
		if (length >= 0 && run->total >= 0 && length != run->total) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_FETCH_FAILED,
				    "failed to resume %s: its size changed from %" G_GINT64_FORMAT
				    " to %" G_GINT64_FORMAT " bytes",
				    run->uri,
				    run->total,
				    (gint64)length);
			return SUIT_FETCH_ATTEMPT_FATAL;
		}
		total = length >= 0 ? (gint64)length : run->total;
	} else if (status == SOUP_STATUS_OK) {
		if (run->offset > 0 && !suit_fetcher_soup_rewind_sink(run, cancellable, error))
			return SUIT_FETCH_ATTEMPT_FATAL;
		if (soup_message_headers_get_encoding(headers) == SOUP_ENCODING_CONTENT_LENGTH)
			total = (gint64)soup_message_headers_get_content_length(headers);
	} else {
		return suit_fetcher_soup_status_error(run, msg, error);
	}

	/* known too big: fail before reading anything */
	if (total >= 0 && run->max_size > 0 && (guint64)total > run->max_size) {
		suit_fetcher_limit_exceeded(run->uri, (guint64)total, run->max_size, error);
		return SUIT_FETCH_ATTEMPT_FATAL;
	}
	run->total = total;
	if (run->progress != NULL && total > 0)
		suit_progress_set_total(run->progress, (guint64)total);
	return SUIT_FETCH_ATTEMPT_DONE;
}

/* one GET, from run->offset to the end of the body */
static SuitFetchAttempt
suit_fetcher_soup_attempt(SuitFetcherSoup *self, SuitFetchRun *run, GCancellable *cancellable, GError **error)
{
	SuitFetchAttempt rc;
	g_autoptr(SoupMessage) msg = NULL;
	g_autoptr(GInputStream) stream = NULL;
	g_autoptr(GError) error_local = NULL;
	SoupMessageHeaders *headers;

	msg = soup_message_new(SOUP_METHOD_GET, run->uri);
	if (msg == NULL) {
		g_set_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT, "invalid uri %s", run->uri);
		return SUIT_FETCH_ATTEMPT_FATAL;
	}
	headers = soup_message_get_request_headers(msg);
	soup_message_headers_replace(headers, "Accept-Encoding", "identity");
	if (run->offset > 0)
		soup_message_headers_set_range(headers, (goffset)run->offset, -1);

	stream = soup_session_send(self->session, msg, cancellable, &error_local);
	if (stream == NULL) {
		if (g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return SUIT_FETCH_ATTEMPT_FATAL;
		}
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_FETCH_FAILED,
			    "failed to fetch %s: %s",
			    run->uri,
			    error_local->message);
		/* an untrusted certificate does not get better by retrying */
		if (error_local->domain == G_TLS_ERROR)
			return SUIT_FETCH_ATTEMPT_FATAL;
		return SUIT_FETCH_ATTEMPT_RETRY;
	}
	rc = suit_fetcher_soup_check_response(run, msg, cancellable, error);
	if (rc != SUIT_FETCH_ATTEMPT_DONE)
		return rc;

	for (;;) {
		gssize n = g_input_stream_read(stream, run->buf, SUIT_FETCHER_CHUNK_SIZE, cancellable, &error_local);
		if (n < 0) {
			if (g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
				g_propagate_error(error, g_steal_pointer(&error_local));
				return SUIT_FETCH_ATTEMPT_FATAL;
			}
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_FETCH_FAILED,
				    "failed to fetch %s after %" G_GUINT64_FORMAT " bytes: %s",
				    run->uri,
				    run->offset,
				    error_local->message);
			return SUIT_FETCH_ATTEMPT_RETRY;
		}
		if (n == 0)
			break;
		if (run->max_size > 0 && run->offset + (guint64)n > run->max_size) {
			suit_fetcher_limit_exceeded(run->uri, run->offset + (guint64)n, run->max_size, error);
			return SUIT_FETCH_ATTEMPT_FATAL;
		}
		if (run->total >= 0 && run->offset + (guint64)n > (guint64)run->total) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_FETCH_FAILED,
				    "failed to fetch %s: more than the %" G_GINT64_FORMAT " bytes announced",
				    run->uri,
				    run->total);
			return SUIT_FETCH_ATTEMPT_FATAL;
		}
		if (!suit_fetcher_sink_write(run->sink, run->buf, (gsize)n, cancellable, error))
			return SUIT_FETCH_ATTEMPT_FATAL;
		run->offset += (guint64)n;
		if (run->progress != NULL && run->offset > run->reported) {
			suit_progress_add_done(run->progress, run->offset - run->reported);
			run->reported = run->offset;
		}
	}
	if (run->total >= 0 && run->offset < (guint64)run->total) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_FETCH_FAILED,
			    "failed to fetch %s: connection closed after %" G_GUINT64_FORMAT " of %" G_GINT64_FORMAT
			    " bytes",
			    run->uri,
			    run->offset,
			    run->total);
		return SUIT_FETCH_ATTEMPT_RETRY;
	}
	if (!g_input_stream_close(stream, cancellable, &error_local))
		g_debug("ignoring failure to close the response of %s: %s", run->uri, error_local->message);
	return SUIT_FETCH_ATTEMPT_DONE;
}

/* waits @delay ms, or less if @cancellable is cancelled */
static gboolean
suit_fetcher_soup_sleep(guint delay, GCancellable *cancellable, GError **error)
{
	GPollFD pollfd = {0};

	if (cancellable != NULL && g_cancellable_make_pollfd(cancellable, &pollfd)) {
		g_poll(&pollfd, 1, (gint)delay);
		g_cancellable_release_fd(cancellable);
	} else {
		g_usleep((gulong)delay * 1000);
	}
	return !g_cancellable_set_error_if_cancelled(cancellable, error);
}

static gboolean
suit_fetcher_soup_fetch_run(SuitFetcherSoup *self,
			    SuitFetchRun *run,
			    SuitFetchFlags flags,
			    GCancellable *cancellable,
			    GError **error)
{
	guint max_retries = (flags & SUIT_FETCH_FLAG_NO_RETRY) ? 0 : self->max_retries;
	guint retries = 0;
	guint delay = self->retry_delay;

	for (;;) {
		guint64 offset_before = run->offset;
		g_autoptr(GError) error_local = NULL;
		SuitFetchAttempt rc;

		if (run->progress != NULL)
			suit_progress_set_status(run->progress, SUIT_PROGRESS_STATUS_FETCHING);
		rc = suit_fetcher_soup_attempt(self, run, cancellable, &error_local);
		if (rc == SUIT_FETCH_ATTEMPT_DONE)
			return TRUE;
		if (rc == SUIT_FETCH_ATTEMPT_FATAL) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}

		/* new bytes arrived: the link works, start counting again */
		if (run->offset > offset_before) {
			retries = 0;
			delay = self->retry_delay;
		}
		if (retries >= max_retries) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			if (max_retries > 0)
				g_prefix_error(error, "gave up after %u retries: ", retries);
			return FALSE;
		}
		retries++;
		g_debug("retry %u/%u in %u ms: %s", retries, max_retries, delay, error_local->message);
		if (run->progress != NULL)
			suit_progress_set_status(run->progress, SUIT_PROGRESS_STATUS_WAITING);
		if (!suit_fetcher_soup_sleep(delay, cancellable, error))
			return FALSE;
		delay = MIN(delay * 2, SUIT_FETCHER_SOUP_MAX_RETRY_DELAY);
	}
}

static gboolean
suit_fetcher_soup_fetch(SuitFetcher *fetcher,
			const gchar *uri,
			GOutputStream *sink,
			guint64 max_size,
			SuitFetchFlags flags,
			SuitProgress *progress,
			GCancellable *cancellable,
			GError **error)
{
	SuitFetcherSoup *self = SUIT_FETCHER_SOUP(fetcher);
	g_autofree guint8 *buf = NULL;
	g_autoptr(GMainContext) context = NULL;
	SuitFetchRun run = {
	    .uri = uri,
	    .sink = sink,
	    .max_size = max_size,
	    .progress = progress,
	    .total = -1,
	};
	gboolean ret;

	if (!suit_fetcher_check_uri(uri, suit_fetcher_soup_schemes, error))
		return FALSE;

	/* never touch the caller's main context from this blocking call */
	buf = g_malloc(SUIT_FETCHER_CHUNK_SIZE);
	run.buf = buf;
	context = g_main_context_new();
	g_main_context_push_thread_default(context);
	ret = suit_fetcher_soup_fetch_run(self, &run, flags, cancellable, error);
	g_main_context_pop_thread_default(context);
	if (!ret)
		return FALSE;
	if (progress != NULL)
		suit_progress_finished(progress);
	return TRUE;
}

static void
suit_fetcher_soup_iface_init(SuitFetcherInterface *iface)
{
	iface->fetch = suit_fetcher_soup_fetch;
	iface->supports_uri = suit_fetcher_soup_supports_uri;
}

/**
 * suit_fetcher_soup_get_timeout:
 * @self: a #SuitFetcherSoup
 *
 * Gets the timeout for connecting and for each read.
 *
 * Returns: the timeout in seconds, 0 for none
 *
 * Since: 0.1
 */
guint
suit_fetcher_soup_get_timeout(SuitFetcherSoup *self)
{
	g_return_val_if_fail(SUIT_IS_FETCHER_SOUP(self), 0);
	return self->timeout;
}

/**
 * suit_fetcher_soup_set_timeout:
 * @self: a #SuitFetcherSoup
 * @timeout: seconds, or 0 for none
 *
 * Sets the timeout for connecting and for each read: a server that sends
 * nothing for that long makes the attempt fail, and it is retried. Call it
 * before the first fetch, in the thread that created @self.
 *
 * Since: 0.1
 */
void
suit_fetcher_soup_set_timeout(SuitFetcherSoup *self, guint timeout)
{
	g_return_if_fail(SUIT_IS_FETCHER_SOUP(self));
	if (self->timeout == timeout)
		return;
	self->timeout = timeout;
	g_object_set(self->session, "timeout", timeout, NULL);
	g_object_notify_by_pspec(G_OBJECT(self), props[PROP_TIMEOUT]);
}

/**
 * suit_fetcher_soup_get_max_retries:
 * @self: a #SuitFetcherSoup
 *
 * Gets the number of retries in a row, without any new byte, before a fetch
 * fails.
 *
 * Returns: the number of retries
 *
 * Since: 0.1
 */
guint
suit_fetcher_soup_get_max_retries(SuitFetcherSoup *self)
{
	g_return_val_if_fail(SUIT_IS_FETCHER_SOUP(self), 0);
	return self->max_retries;
}

/**
 * suit_fetcher_soup_set_max_retries:
 * @self: a #SuitFetcherSoup
 * @max_retries: the number of retries, 0 for none
 *
 * Sets the number of retries in a row that deliver no new byte before a
 * fetch fails. A retry that delivers bytes starts the count again.
 *
 * Since: 0.1
 */
void
suit_fetcher_soup_set_max_retries(SuitFetcherSoup *self, guint max_retries)
{
	g_return_if_fail(SUIT_IS_FETCHER_SOUP(self));
	if (self->max_retries == max_retries)
		return;
	self->max_retries = max_retries;
	g_object_notify_by_pspec(G_OBJECT(self), props[PROP_MAX_RETRIES]);
}

/**
 * suit_fetcher_soup_get_retry_delay:
 * @self: a #SuitFetcherSoup
 *
 * Gets the delay before the first retry.
 *
 * Returns: the delay in milliseconds
 *
 * Since: 0.1
 */
guint
suit_fetcher_soup_get_retry_delay(SuitFetcherSoup *self)
{
	g_return_val_if_fail(SUIT_IS_FETCHER_SOUP(self), 0);
	return self->retry_delay;
}

/**
 * suit_fetcher_soup_set_retry_delay:
 * @self: a #SuitFetcherSoup
 * @retry_delay: milliseconds
 *
 * Sets the delay before the first retry; it doubles at each further retry,
 * up to one minute.
 *
 * Since: 0.1
 */
void
suit_fetcher_soup_set_retry_delay(SuitFetcherSoup *self, guint retry_delay)
{
	g_return_if_fail(SUIT_IS_FETCHER_SOUP(self));
	retry_delay = MIN(retry_delay, SUIT_FETCHER_SOUP_MAX_RETRY_DELAY);
	if (self->retry_delay == retry_delay)
		return;
	self->retry_delay = retry_delay;
	g_object_notify_by_pspec(G_OBJECT(self), props[PROP_RETRY_DELAY]);
}

/**
 * suit_fetcher_soup_set_tls_database:
 * @self: a #SuitFetcherSoup
 * @tls_database: (nullable): a #GTlsDatabase, or %NULL for the system one
 *
 * Sets the certificate authorities that `https://` servers are verified
 * against, e.g. the private CA of a fleet. Verification itself cannot be
 * turned off. Call it before the first fetch, in the thread that created
 * @self.
 *
 * Since: 0.1
 */
void
suit_fetcher_soup_set_tls_database(SuitFetcherSoup *self, GTlsDatabase *tls_database)
{
	g_autoptr(GTlsDatabase) database = NULL;

	g_return_if_fail(SUIT_IS_FETCHER_SOUP(self));
	g_return_if_fail(tls_database == NULL || G_IS_TLS_DATABASE(tls_database));

	if (tls_database != NULL)
		database = g_object_ref(tls_database);
	else
		database = g_tls_backend_get_default_database(g_tls_backend_get_default());
	soup_session_set_tls_database(self->session, database);
	g_object_notify_by_pspec(G_OBJECT(self), props[PROP_TLS_DATABASE]);
}

static void
suit_fetcher_soup_get_property(GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
	SuitFetcherSoup *self = SUIT_FETCHER_SOUP(object);
	switch (prop_id) {
	case PROP_TIMEOUT:
		g_value_set_uint(value, self->timeout);
		break;
	case PROP_MAX_RETRIES:
		g_value_set_uint(value, self->max_retries);
		break;
	case PROP_RETRY_DELAY:
		g_value_set_uint(value, self->retry_delay);
		break;
	case PROP_TLS_DATABASE:
		g_value_set_object(value, soup_session_get_tls_database(self->session));
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
		break;
	}
}

static void
suit_fetcher_soup_set_property(GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
	SuitFetcherSoup *self = SUIT_FETCHER_SOUP(object);
	switch (prop_id) {
	case PROP_TIMEOUT:
		suit_fetcher_soup_set_timeout(self, g_value_get_uint(value));
		break;
	case PROP_MAX_RETRIES:
		suit_fetcher_soup_set_max_retries(self, g_value_get_uint(value));
		break;
	case PROP_RETRY_DELAY:
		suit_fetcher_soup_set_retry_delay(self, g_value_get_uint(value));
		break;
	case PROP_TLS_DATABASE:
		suit_fetcher_soup_set_tls_database(self, g_value_get_object(value));
		break;
	default:
		G_OBJECT_WARN_INVALID_PROPERTY_ID(object, prop_id, pspec);
		break;
	}
}

static void
suit_fetcher_soup_dispose(GObject *object)
{
	SuitFetcherSoup *self = SUIT_FETCHER_SOUP(object);
	g_clear_object(&self->session);
	G_OBJECT_CLASS(suit_fetcher_soup_parent_class)->dispose(object);
}

static void
suit_fetcher_soup_class_init(SuitFetcherSoupClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->get_property = suit_fetcher_soup_get_property;
	object_class->set_property = suit_fetcher_soup_set_property;
	object_class->dispose = suit_fetcher_soup_dispose;

	/**
	 * SuitFetcherSoup:timeout:
	 *
	 * Seconds allowed for connecting and for each read, 0 for none.
	 *
	 * Since: 0.1
	 */
	props[PROP_TIMEOUT] = g_param_spec_uint("timeout",
						NULL,
						NULL,
						0,
						G_MAXUINT,
						SUIT_FETCHER_SOUP_DEFAULT_TIMEOUT,
						G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
						    G_PARAM_EXPLICIT_NOTIFY);
	/**
	 * SuitFetcherSoup:max-retries:
	 *
	 * Retries in a row that deliver no new byte before a fetch fails.
	 *
	 * Since: 0.1
	 */
	props[PROP_MAX_RETRIES] = g_param_spec_uint("max-retries",
						    NULL,
						    NULL,
						    0,
						    G_MAXUINT,
						    SUIT_FETCHER_SOUP_DEFAULT_MAX_RETRIES,
						    G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
							G_PARAM_EXPLICIT_NOTIFY);
	/**
	 * SuitFetcherSoup:retry-delay:
	 *
	 * Milliseconds before the first retry; the delay doubles at each retry,
	 * up to one minute.
	 *
	 * Since: 0.1
	 */
	props[PROP_RETRY_DELAY] = g_param_spec_uint("retry-delay",
						    NULL,
						    NULL,
						    0,
						    SUIT_FETCHER_SOUP_MAX_RETRY_DELAY,
						    SUIT_FETCHER_SOUP_DEFAULT_RETRY_DELAY,
						    G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
							G_PARAM_EXPLICIT_NOTIFY);
	/**
	 * SuitFetcherSoup:tls-database:
	 *
	 * The certificate authorities `https://` servers are verified against.
	 *
	 * Since: 0.1
	 */
	props[PROP_TLS_DATABASE] = g_param_spec_object("tls-database",
						       NULL,
						       NULL,
						       G_TYPE_TLS_DATABASE,
						       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS |
							   G_PARAM_EXPLICIT_NOTIFY);
	g_object_class_install_properties(object_class, N_PROPS, props);
}

static void
suit_fetcher_soup_init(SuitFetcherSoup *self)
{
	g_autofree gchar *user_agent =
	    g_strdup_printf("libsuit/%d.%d", SUIT_MAJOR_VERSION, SUIT_MINOR_VERSION);

	self->timeout = SUIT_FETCHER_SOUP_DEFAULT_TIMEOUT;
	self->max_retries = SUIT_FETCHER_SOUP_DEFAULT_MAX_RETRIES;
	self->retry_delay = SUIT_FETCHER_SOUP_DEFAULT_RETRY_DELAY;
	self->session = soup_session_new_with_options("user-agent",
						      user_agent,
						      "timeout",
						      self->timeout,
						      NULL);
	/* ranges count the bytes of the payload, not of a compressed encoding */
	soup_session_remove_feature_by_type(self->session, SOUP_TYPE_CONTENT_DECODER);
}

/**
 * suit_fetcher_soup_new:
 *
 * Creates a fetcher for `http://` and `https://` URIs with the default
 * timeout (60 s), retries (5) and retry delay (1 s).
 *
 * Returns: (transfer full): a new #SuitFetcherSoup
 *
 * Since: 0.1
 */
SuitFetcherSoup *
suit_fetcher_soup_new(void)
{
	return g_object_new(SUIT_TYPE_FETCHER_SOUP, NULL);
}
