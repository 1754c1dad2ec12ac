/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <gnutls/x509.h>
#include <string.h>
#include <unistd.h>

#include "suit-test-common.h"
#include "suit-test-http.h"

#define BODY_SIZE (8 * 1024 * 1024)
#define DROP_AT	  (4 * 1024 * 1024 + 1000)

/* one deterministic 8 MiB body shared by the servers and the checks */
static guint8 *body_data = NULL;

static GBytes *
body_bytes(gsize size)
{
	g_assert_cmpuint(size, <=, BODY_SIZE);
	return g_bytes_new_static(body_data, size);
}

static void
assert_sha256_equal(GBytes *expected, const guint8 *data, gsize datasz)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) actual = g_bytes_new(data, datasz);
	g_autoptr(SuitDigest) digest_expected = suit_digest_compute(SUIT_DIGEST_ALGORITHM_SHA256, expected, &error);
	g_autoptr(SuitDigest) digest_actual = NULL;

	g_assert_no_error(error);
	digest_actual = suit_digest_compute(SUIT_DIGEST_ALGORITHM_SHA256, actual, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(datasz, ==, g_bytes_get_size(expected));
	g_assert_true(suit_digest_equal(digest_expected, digest_actual));
	g_assert_true(memcmp(g_bytes_get_data(expected, NULL), data, datasz) == 0);
}

/* a sink that is not seekable, records the largest write and can fail ----------- */

#define TEST_TYPE_SINK (test_sink_get_type())
G_DECLARE_FINAL_TYPE(TestSink, test_sink, TEST, SINK, GOutputStream)

struct _TestSink {
	GOutputStream parent_instance;
	GByteArray *data;
	gsize max_write;
	gsize fail_after; /* 0 for never */
};

G_DEFINE_TYPE(TestSink, test_sink, G_TYPE_OUTPUT_STREAM)

static gssize
test_sink_write_fn(GOutputStream *stream,
		   const void *buffer,
		   gsize count,
		   GCancellable *cancellable,
		   GError **error)
{
	TestSink *self = TEST_SINK(stream);
	if (self->fail_after > 0 && self->data->len + count > self->fail_after) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_NO_SPACE, "no space left");
		return -1;
	}
	self->max_write = MAX(self->max_write, count);
	g_byte_array_append(self->data, buffer, count);
	return (gssize)count;
}

static void
test_sink_finalize(GObject *object)
{
	TestSink *self = TEST_SINK(object);
	g_byte_array_unref(self->data);
	G_OBJECT_CLASS(test_sink_parent_class)->finalize(object);
}

static void
test_sink_class_init(TestSinkClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = test_sink_finalize;
	G_OUTPUT_STREAM_CLASS(klass)->write_fn = test_sink_write_fn;
}

static void
test_sink_init(TestSink *self)
{
	self->data = g_byte_array_new();
}

static TestSink *
test_sink_new(void)
{
	return g_object_new(TEST_TYPE_SINK, NULL);
}

/* a plain synchronous fetch: no flags, progress or cancellable */
static gboolean
test_fetch(SuitFetcher *fetcher, const gchar *uri, GOutputStream *sink, guint64 max_size, GError **error)
{
	return suit_fetcher_fetch(fetcher, uri, sink, max_size, SUIT_FETCH_FLAG_NONE, NULL, NULL, error);
}

/* progress checks -------------------------------------------------------------- */

typedef struct {
	gdouble last;
	guint count;
	guint backwards;
	GThread *thread;
	guint wrong_thread;
	GCancellable *cancel_at_half; /* (nullable) */
} ProgressWatch;

static void
progress_watch_cb(SuitProgress *progress, gdouble percentage, gpointer user_data)
{
	ProgressWatch *watch = user_data;
	if (percentage < watch->last)
		watch->backwards++;
	if (g_thread_self() != watch->thread)
		watch->wrong_thread++;
	watch->last = percentage;
	watch->count++;
	if (watch->cancel_at_half != NULL && percentage >= 25.0)
		g_cancellable_cancel(watch->cancel_at_half);
}

static SuitProgress *
progress_watch_new(ProgressWatch *watch)
{
	SuitProgress *progress = suit_progress_new();
	memset(watch, 0, sizeof(*watch));
	watch->thread = g_thread_self();
	g_signal_connect(progress, "percentage-changed", G_CALLBACK(progress_watch_cb), watch);
	return progress;
}

/* the test HTTP server, with one route per way a link can break ------------------ */

static SuitTestHttpServer *
fetch_server_new_full(GTlsCertificate *certificate)
{
	SuitTestHttpServer *server = suit_test_http_server_new(certificate);
	g_autoptr(GBytes) body = body_bytes(BODY_SIZE);
	g_autoptr(GBytes) empty = g_bytes_new_static("", 0);

	suit_test_http_server_add(server, "/ok", body, SUIT_TEST_HTTP_BEHAVIOUR_OK, 0);
	suit_test_http_server_add(server, "/drop-once", body, SUIT_TEST_HTTP_BEHAVIOUR_DROP_ONCE, DROP_AT);
	suit_test_http_server_add(server, "/drop-always", body, SUIT_TEST_HTTP_BEHAVIOUR_DROP_ALWAYS, DROP_AT);
	suit_test_http_server_add(server, "/ignore-range", body, SUIT_TEST_HTTP_BEHAVIOUR_IGNORE_RANGE, DROP_AT);
	suit_test_http_server_add(server, "/bad-range", body, SUIT_TEST_HTTP_BEHAVIOUR_BAD_RANGE, DROP_AT);
	suit_test_http_server_add(server, "/big", body, SUIT_TEST_HTTP_BEHAVIOUR_OK, 0);
	suit_test_http_server_add(server, "/big-unsized", body, SUIT_TEST_HTTP_BEHAVIOUR_UNSIZED, 0);
	suit_test_http_server_add(server, "/error", empty, SUIT_TEST_HTTP_BEHAVIOUR_UNAVAILABLE, 0);
	suit_test_http_server_add(server, "/forbidden", empty, SUIT_TEST_HTTP_BEHAVIOUR_FORBIDDEN, 0);
	suit_test_http_server_add(server, "/silent", empty, SUIT_TEST_HTTP_BEHAVIOUR_SILENT, 0);
	return server;
}

static SuitTestHttpServer *
fetch_server_new(void)
{
	return fetch_server_new_full(NULL);
}

static SuitFetcherSoup *
fetcher_soup_new_fast(guint max_retries)
{
	SuitFetcherSoup *fetcher = suit_fetcher_soup_new();
	suit_fetcher_soup_set_max_retries(fetcher, max_retries);
	suit_fetcher_soup_set_retry_delay(fetcher, 10);
	suit_fetcher_soup_set_timeout(fetcher, 5);
	return fetcher;
}

/* file:// ------------------------------------------------------------------------ */

static gchar *
write_temp_file(GBytes *contents)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *path = NULL;
	gint fd = g_file_open_tmp("suit-fetcher-XXXXXX", &path, &error);
	g_assert_no_error(error);
	close(fd);
	g_file_set_contents(path, g_bytes_get_data(contents, NULL), (gssize)g_bytes_get_size(contents), &error);
	g_assert_no_error(error);
	return g_steal_pointer(&path);
}

static void
test_fetcher_file_ok(void)
{
	g_autoptr(SuitFetcherFile) fetcher = suit_fetcher_file_new();
	g_autoptr(GBytes) contents = body_bytes(3 * 1024 * 1024 + 123);
	g_autofree gchar *path = write_temp_file(contents);
	g_autofree gchar *uri = g_filename_to_uri(path, NULL, NULL);
	g_autoptr(TestSink) sink = test_sink_new();
	g_autoptr(SuitProgress) progress = NULL;
	g_autoptr(GError) error = NULL;
	ProgressWatch watch;

	progress = progress_watch_new(&watch);
	g_assert_true(suit_fetcher_supports_uri(SUIT_FETCHER(fetcher), uri));
	g_assert_false(suit_fetcher_supports_uri(SUIT_FETCHER(fetcher), "http://127.0.0.1/x"));
	g_assert_true(suit_fetcher_fetch(SUIT_FETCHER(fetcher),
					 uri,
					 G_OUTPUT_STREAM(sink),
					 g_bytes_get_size(contents),
					 SUIT_FETCH_FLAG_NONE,
					 progress,
					 NULL,
					 &error));
	g_assert_no_error(error);
	assert_sha256_equal(contents, sink->data->data, sink->data->len);
	g_assert_cmpuint(sink->max_write, <=, SUIT_FETCHER_CHUNK_SIZE);
	g_assert_cmpfloat(watch.last, ==, 100.0);
	g_assert_cmpuint(watch.count, >, 10);
	g_assert_cmpuint(watch.backwards, ==, 0);
	g_assert_cmpint(suit_progress_get_status(progress), ==, SUIT_PROGRESS_STATUS_FETCHING);
	g_unlink(path);
}

static void
test_fetcher_file_errors(void)
{
	g_autoptr(SuitFetcherFile) fetcher = suit_fetcher_file_new();
	g_autoptr(GBytes) contents = body_bytes(200000);
	g_autofree gchar *path = write_temp_file(contents);
	g_autofree gchar *uri = g_filename_to_uri(path, NULL, NULL);
	g_autofree gchar *missing = g_strconcat(uri, ".missing", NULL);
	g_autofree gchar *dir = g_filename_to_uri(g_get_tmp_dir(), NULL, NULL);
	g_autoptr(TestSink) sink = test_sink_new();
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(GError) error = NULL;

	/* missing file */
	g_assert_false(test_fetch(SUIT_FETCHER(fetcher), missing, G_OUTPUT_STREAM(sink), 0, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
	g_clear_error(&error);

	/* a directory is no payload */
	g_assert_false(test_fetch(SUIT_FETCHER(fetcher), dir, G_OUTPUT_STREAM(sink), 0, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_FETCH_FAILED);
	g_clear_error(&error);

	/* larger than expected: nothing is written */
	g_assert_false(test_fetch(SUIT_FETCHER(fetcher), uri, G_OUTPUT_STREAM(sink), 199999, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_LIMIT_EXCEEDED);
	g_assert_cmpuint(sink->data->len, ==, 0);
	g_clear_error(&error);

	/* the sink fails */
	sink->fail_after = 100000;
	g_assert_false(test_fetch(SUIT_FETCHER(fetcher), uri, G_OUTPUT_STREAM(sink), 0, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_WRITE_FAILED);
	g_clear_error(&error);

	/* cancelled */
	g_cancellable_cancel(cancellable);
	g_assert_false(suit_fetcher_fetch(SUIT_FETCHER(fetcher),
					  uri,
					  G_OUTPUT_STREAM(sink),
					  0,
					  SUIT_FETCH_FLAG_NONE,
					  NULL,
					  cancellable,
					  &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_clear_error(&error);
	g_unlink(path);
}

static void
test_fetcher_bytes(void)
{
	g_autoptr(SuitFetcherFile) fetcher = suit_fetcher_file_new();
	g_autoptr(GBytes) contents = body_bytes(5000);
	g_autofree gchar *path = write_temp_file(contents);
	g_autofree gchar *uri = g_filename_to_uri(path, NULL, NULL);
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(GError) error = NULL;

	blob = suit_fetcher_fetch_bytes(SUIT_FETCHER(fetcher), uri, 5000, SUIT_FETCH_FLAG_NONE, NULL, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(blob, contents));

	/* memory is always bounded */
	g_assert_null(
	    suit_fetcher_fetch_bytes(SUIT_FETCHER(fetcher), uri, 0, SUIT_FETCH_FLAG_NONE, NULL, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	g_assert_null(
	    suit_fetcher_fetch_bytes(SUIT_FETCHER(fetcher), uri, 4999, SUIT_FETCH_FLAG_NONE, NULL, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_LIMIT_EXCEEDED);
	g_unlink(path);
}

static void
test_fetcher_uris(void)
{
	g_autoptr(SuitFetcher) fetcher_default = suit_fetcher_new_default();
	g_autoptr(SuitFetcherFile) fetcher_file = suit_fetcher_file_new();
	g_autoptr(SuitFetcherSoup) fetcher_soup = suit_fetcher_soup_new();
	SuitFetcher *fetchers[] = {fetcher_default, SUIT_FETCHER(fetcher_file), SUIT_FETCHER(fetcher_soup)};
	g_autoptr(GOutputStream) sink = g_memory_output_stream_new_resizable();

	for (guint i = 0; i < G_N_ELEMENTS(fetchers); i++) {
		g_autoptr(GError) error = NULL;

		/* integrated payloads are the consumer's business */
		g_assert_false(suit_fetcher_supports_uri(fetchers[i], "#payload"));
		g_assert_false(test_fetch(fetchers[i], "#payload", sink, 0, &error));
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED);
		g_clear_error(&error);

		g_assert_false(suit_fetcher_supports_uri(fetchers[i], "ftp://127.0.0.1/x"));
		g_assert_false(test_fetch(fetchers[i], "ftp://127.0.0.1/x", sink, 0, &error));
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED);
		g_clear_error(&error);

		g_assert_false(suit_fetcher_supports_uri(fetchers[i], "not a uri"));
		g_assert_false(test_fetch(fetchers[i], "not a uri", sink, 0, &error));
		g_assert_true(g_error_matches(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT) ||
			      g_error_matches(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED));
	}
	g_assert_true(suit_fetcher_supports_uri(fetcher_default, "file:///tmp/x"));
	g_assert_true(suit_fetcher_supports_uri(fetcher_default, "http://127.0.0.1/x"));
	g_assert_true(suit_fetcher_supports_uri(fetcher_default, "https://example.com/x"));
	g_assert_true(suit_fetcher_supports_uri(SUIT_FETCHER(fetcher_soup), "https://example.com/x"));
	g_assert_false(suit_fetcher_supports_uri(SUIT_FETCHER(fetcher_soup), "file:///tmp/x"));
	g_assert_cmpuint(g_memory_output_stream_get_data_size(G_MEMORY_OUTPUT_STREAM(sink)), ==, 0);
}

static void
test_fetcher_soup_properties(void)
{
	g_autoptr(SuitFetcherSoup) fetcher = suit_fetcher_soup_new();
	g_autoptr(GTlsDatabase) database = NULL;
	guint timeout = 0;
	guint max_retries = 0;
	guint retry_delay = 0;

	/* sane defaults */
	g_assert_cmpuint(suit_fetcher_soup_get_timeout(fetcher), ==, 60);
	g_assert_cmpuint(suit_fetcher_soup_get_max_retries(fetcher), ==, 5);
	g_assert_cmpuint(suit_fetcher_soup_get_retry_delay(fetcher), ==, 1000);
	g_object_get(fetcher, "tls-database", &database, NULL);
	g_assert_nonnull(database);

	g_object_set(fetcher, "timeout", 7, "max-retries", 2, "retry-delay", 20, NULL);
	g_object_get(fetcher, "timeout", &timeout, "max-retries", &max_retries, "retry-delay", &retry_delay, NULL);
	g_assert_cmpuint(timeout, ==, 7);
	g_assert_cmpuint(max_retries, ==, 2);
	g_assert_cmpuint(retry_delay, ==, 20);
	/* backoff is capped */
	suit_fetcher_soup_set_retry_delay(fetcher, G_MAXUINT);
	g_assert_cmpuint(suit_fetcher_soup_get_retry_delay(fetcher), ==, 60000);
	suit_fetcher_soup_set_tls_database(fetcher, NULL);
	suit_fetcher_soup_set_tls_database(fetcher, database);
}

/* http:// ------------------------------------------------------------------------- */

static void
test_fetcher_soup_ok(void)
{
	g_autoptr(SuitTestHttpServer) server = fetch_server_new();
	g_autoptr(SuitFetcher) fetcher = suit_fetcher_new_default();
	g_autofree gchar *uri = suit_test_http_server_uri(server, "/ok");
	g_autoptr(GBytes) expected = body_bytes(BODY_SIZE);
	g_autoptr(TestSink) sink = test_sink_new();
	g_autoptr(SuitProgress) progress = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *user_agent = NULL;
	ProgressWatch watch;

	progress = progress_watch_new(&watch);
	g_assert_true(suit_fetcher_fetch(fetcher,
					 uri,
					 G_OUTPUT_STREAM(sink),
					 BODY_SIZE,
					 SUIT_FETCH_FLAG_NONE,
					 progress,
					 NULL,
					 &error));
	g_assert_no_error(error);
	assert_sha256_equal(expected, sink->data->data, sink->data->len);
	g_assert_cmpuint(sink->max_write, <=, SUIT_FETCHER_CHUNK_SIZE);
	g_assert_cmpfloat(watch.last, ==, 100.0);
	g_assert_cmpuint(watch.backwards, ==, 0);
	g_assert_cmpuint(suit_progress_get_total(progress), ==, BODY_SIZE);
	g_assert_cmpint(suit_progress_get_status(progress), ==, SUIT_PROGRESS_STATUS_FETCHING);
	g_assert_cmpuint(suit_test_http_server_get_n_requests(server), ==, 1);
	user_agent = suit_test_http_server_dup_user_agent(server);
	g_assert_cmpstr(user_agent, ==, "libsuit/0.1");
}

static void
test_fetcher_soup_not_found(void)
{
	g_autoptr(SuitTestHttpServer) server = fetch_server_new();
	g_autoptr(SuitFetcherSoup) fetcher = fetcher_soup_new_fast(3);
	g_autofree gchar *uri = suit_test_http_server_uri(server, "/missing");
	g_autoptr(TestSink) sink = test_sink_new();
	g_autoptr(GError) error = NULL;

	g_assert_false(test_fetch(SUIT_FETCHER(fetcher), uri, G_OUTPUT_STREAM(sink), 0, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
	g_assert_nonnull(strstr(error->message, "404"));
	/* not retried */
	g_assert_cmpuint(suit_test_http_server_get_n_requests(server), ==, 1);
}

/* http:// with broken links ------------------------------------------------------- */

static void
test_fetcher_soup_resume(void)
{
	g_autoptr(SuitTestHttpServer) server = fetch_server_new();
	g_autoptr(SuitFetcherSoup) fetcher = fetcher_soup_new_fast(3);
	g_autofree gchar *uri = suit_test_http_server_uri(server, "/drop-once");
	g_autoptr(GBytes) expected = body_bytes(BODY_SIZE);
	g_autoptr(TestSink) sink = test_sink_new();
	g_autoptr(SuitProgress) progress = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *request0 = NULL;
	g_autofree gchar *request1 = NULL;
	g_autofree gchar *request1_expected = g_strdup_printf("/drop-once %u", (guint)DROP_AT);
	ProgressWatch watch;

	progress = progress_watch_new(&watch);
	g_assert_true(suit_fetcher_fetch(SUIT_FETCHER(fetcher),
					 uri,
					 G_OUTPUT_STREAM(sink),
					 BODY_SIZE,
					 SUIT_FETCH_FLAG_NONE,
					 progress,
					 NULL,
					 &error));
	g_assert_no_error(error);
	assert_sha256_equal(expected, sink->data->data, sink->data->len);
	g_assert_cmpuint(sink->max_write, <=, SUIT_FETCHER_CHUNK_SIZE);

	/* the second request asked for the rest, from the first missing byte */
	g_assert_cmpuint(suit_test_http_server_get_n_requests(server), ==, 2);
	request0 = suit_test_http_server_dup_request(server, 0);
	request1 = suit_test_http_server_dup_request(server, 1);
	g_assert_cmpstr(request0, ==, "/drop-once -1");
	g_assert_cmpstr(request1, ==, request1_expected);
	g_assert_cmpfloat(watch.last, ==, 100.0);
	g_assert_cmpuint(watch.backwards, ==, 0);
	g_assert_cmpuint(suit_progress_get_done(progress), ==, BODY_SIZE);
}

static void
test_fetcher_soup_no_retry(void)
{
	g_autoptr(SuitTestHttpServer) server = fetch_server_new();
	g_autoptr(SuitFetcherSoup) fetcher = fetcher_soup_new_fast(3);
	g_autofree gchar *uri = suit_test_http_server_uri(server, "/drop-once");
	g_autoptr(TestSink) sink = test_sink_new();
	g_autoptr(GError) error = NULL;

	g_assert_false(suit_fetcher_fetch(SUIT_FETCHER(fetcher),
					  uri,
					  G_OUTPUT_STREAM(sink),
					  0,
					  SUIT_FETCH_FLAG_NO_RETRY,
					  NULL,
					  NULL,
					  &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_FETCH_FAILED);
	g_assert_cmpuint(suit_test_http_server_get_n_requests(server), ==, 1);
	g_assert_cmpuint(sink->data->len, ==, DROP_AT);
}

static void
test_fetcher_soup_always_drop(void)
{
	g_autoptr(SuitTestHttpServer) server = fetch_server_new();
	g_autoptr(SuitFetcherSoup) fetcher = fetcher_soup_new_fast(3);
	g_autofree gchar *uri = suit_test_http_server_uri(server, "/drop-always");
	g_autoptr(TestSink) sink = test_sink_new();
	g_autoptr(GError) error = NULL;
	gint64 start = g_get_monotonic_time();

	g_assert_false(test_fetch(SUIT_FETCHER(fetcher), uri, G_OUTPUT_STREAM(sink), BODY_SIZE, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_FETCH_FAILED);
	g_assert_nonnull(strstr(error->message, "3 retries"));
	/* the first request, then 3 retries that brought nothing new */
	g_assert_cmpuint(suit_test_http_server_get_n_requests(server), ==, 4);
	g_assert_cmpuint(sink->data->len, ==, DROP_AT);
	/* backoff 10 + 20 + 40 ms: bounded */
	g_assert_cmpint(g_get_monotonic_time() - start, <, 5 * G_USEC_PER_SEC);
}

static void
test_fetcher_soup_refused(void)
{
	g_autoptr(SuitFetcherSoup) fetcher = fetcher_soup_new_fast(2);
	g_autoptr(TestSink) sink = test_sink_new();
	g_autoptr(GError) error = NULL;
	g_autofree gchar *uri = NULL;
	guint16 port;

	/* a port that nobody listens on any more */
	{
		g_autoptr(SuitTestHttpServer) server = fetch_server_new();
		port = suit_test_http_server_get_port(server);
	}
	uri = g_strdup_printf("http://127.0.0.1:%u/ok", port);
	g_assert_false(test_fetch(SUIT_FETCHER(fetcher), uri, G_OUTPUT_STREAM(sink), 0, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_FETCH_FAILED);
	g_assert_nonnull(strstr(error->message, "2 retries"));
}

static void
test_fetcher_soup_server_error(void)
{
	g_autoptr(SuitTestHttpServer) server = fetch_server_new();
	g_autoptr(SuitFetcherSoup) fetcher = fetcher_soup_new_fast(2);
	g_autofree gchar *uri = suit_test_http_server_uri(server, "/error");
	g_autofree gchar *forbidden = suit_test_http_server_uri(server, "/forbidden");
	g_autoptr(TestSink) sink = test_sink_new();
	g_autoptr(GError) error = NULL;

	/* 5xx is retried */
	g_assert_false(test_fetch(SUIT_FETCHER(fetcher), uri, G_OUTPUT_STREAM(sink), 0, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_FETCH_FAILED);
	g_assert_nonnull(strstr(error->message, "HTTP 503"));
	g_assert_cmpuint(suit_test_http_server_get_n_requests(server), ==, 3);
	g_clear_error(&error);

	/* other 4xx are not */
	g_assert_false(test_fetch(SUIT_FETCHER(fetcher), forbidden, G_OUTPUT_STREAM(sink), 0, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_FETCH_FAILED);
	g_assert_nonnull(strstr(error->message, "HTTP 403"));
	g_assert_cmpuint(suit_test_http_server_get_n_requests(server), ==, 4);
	g_assert_cmpuint(sink->data->len, ==, 0);
}

static void
test_fetcher_soup_ignore_range(void)
{
	g_autoptr(SuitTestHttpServer) server = fetch_server_new();
	g_autoptr(SuitFetcherSoup) fetcher = fetcher_soup_new_fast(3);
	g_autofree gchar *uri = suit_test_http_server_uri(server, "/ignore-range");
	g_autoptr(GBytes) expected = body_bytes(BODY_SIZE);
	g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable();
	g_autofree guint8 *fixed_buf = g_malloc(BODY_SIZE);
	g_autoptr(GOutputStream) fixed = g_memory_output_stream_new(fixed_buf, BODY_SIZE, NULL, NULL);
	g_autoptr(TestSink) sink = test_sink_new();
	g_autoptr(SuitProgress) progress = NULL;
	g_autoptr(GError) error = NULL;
	ProgressWatch watch;

	/* a sink that can be rewound: the body starts again, the result is exact */
	progress = progress_watch_new(&watch);
	g_assert_true(suit_fetcher_fetch(SUIT_FETCHER(fetcher),
					 uri,
					 memory,
					 BODY_SIZE,
					 SUIT_FETCH_FLAG_NONE,
					 progress,
					 NULL,
					 &error));
	g_assert_no_error(error);
	g_assert_cmpuint(suit_test_http_server_get_n_requests(server), ==, 2);
	assert_sha256_equal(expected,
			    g_memory_output_stream_get_data(G_MEMORY_OUTPUT_STREAM(memory)),
			    g_memory_output_stream_get_data_size(G_MEMORY_OUTPUT_STREAM(memory)));
	g_assert_cmpfloat(watch.last, ==, 100.0);
	g_assert_cmpuint(watch.backwards, ==, 0);

	/* a sink that cannot be rewound */
	g_assert_false(test_fetch(SUIT_FETCHER(fetcher), uri, G_OUTPUT_STREAM(sink), BODY_SIZE, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_FETCH_FAILED);
	g_assert_nonnull(strstr(error->message, "ignored the range"));
	g_assert_cmpuint(suit_test_http_server_get_n_requests(server), ==, 4);
	g_clear_error(&error);

	/* seekable but not truncatable is not enough */
	g_assert_false(test_fetch(SUIT_FETCHER(fetcher), uri, fixed, BODY_SIZE, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_FETCH_FAILED);
}

static void
test_fetcher_soup_bad_range(void)
{
	g_autoptr(SuitTestHttpServer) server = fetch_server_new();
	g_autoptr(SuitFetcherSoup) fetcher = fetcher_soup_new_fast(3);
	g_autofree gchar *uri = suit_test_http_server_uri(server, "/bad-range");
	g_autoptr(TestSink) sink = test_sink_new();
	g_autoptr(GError) error = NULL;

	g_assert_false(test_fetch(SUIT_FETCHER(fetcher), uri, G_OUTPUT_STREAM(sink), 0, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_FETCH_FAILED);
	/* a wrong range is not retried and nothing wrong is written */
	g_assert_cmpuint(suit_test_http_server_get_n_requests(server), ==, 2);
	g_assert_cmpuint(sink->data->len, ==, DROP_AT);
}

static void
test_fetcher_soup_limit(void)
{
	g_autoptr(SuitTestHttpServer) server = fetch_server_new();
	g_autoptr(SuitFetcherSoup) fetcher = fetcher_soup_new_fast(3);
	g_autofree gchar *uri = suit_test_http_server_uri(server, "/big");
	g_autofree gchar *uri_unsized = suit_test_http_server_uri(server, "/big-unsized");
	g_autoptr(TestSink) sink = test_sink_new();
	g_autoptr(TestSink) sink_unsized = test_sink_new();
	g_autoptr(GError) error = NULL;

	/* announced too big: refused before any byte is written */
	g_assert_false(test_fetch(SUIT_FETCHER(fetcher), uri, G_OUTPUT_STREAM(sink), 1024 * 1024, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_LIMIT_EXCEEDED);
	g_assert_cmpuint(sink->data->len, ==, 0);
	g_clear_error(&error);

	/* no length: stopped at the limit */
	g_assert_false(test_fetch(SUIT_FETCHER(fetcher),
				  uri_unsized,
				  G_OUTPUT_STREAM(sink_unsized),
				  1024 * 1024,
				  &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_LIMIT_EXCEEDED);
	g_assert_cmpuint(sink_unsized->data->len, <=, 1024 * 1024);
	/* neither is retried */
	g_assert_cmpuint(suit_test_http_server_get_n_requests(server), ==, 2);
}

static void
test_fetcher_soup_cancel(void)
{
	g_autoptr(SuitTestHttpServer) server = fetch_server_new();
	g_autoptr(SuitFetcherSoup) fetcher = fetcher_soup_new_fast(3);
	g_autofree gchar *uri = suit_test_http_server_uri(server, "/ok");
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(TestSink) sink = test_sink_new();
	g_autoptr(SuitProgress) progress = NULL;
	g_autoptr(GError) error = NULL;
	ProgressWatch watch;

	progress = progress_watch_new(&watch);
	watch.cancel_at_half = cancellable;
	g_assert_false(suit_fetcher_fetch(SUIT_FETCHER(fetcher),
					  uri,
					  G_OUTPUT_STREAM(sink),
					  BODY_SIZE,
					  SUIT_FETCH_FLAG_NONE,
					  progress,
					  cancellable,
					  &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_assert_cmpuint(suit_test_http_server_get_n_requests(server), ==, 1);
	g_assert_cmpuint(sink->data->len, <, BODY_SIZE);
	g_assert_cmpfloat(watch.last, <, 100.0);
}

static void
test_fetcher_soup_timeout(void)
{
	g_autoptr(SuitTestHttpServer) server = fetch_server_new();
	g_autoptr(SuitFetcherSoup) fetcher = fetcher_soup_new_fast(1);
	g_autofree gchar *uri = suit_test_http_server_uri(server, "/silent");
	g_autoptr(TestSink) sink = test_sink_new();
	g_autoptr(GError) error = NULL;
	gint64 start = g_get_monotonic_time();

	suit_fetcher_soup_set_timeout(fetcher, 1);
	g_assert_false(test_fetch(SUIT_FETCHER(fetcher), uri, G_OUTPUT_STREAM(sink), 0, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_FETCH_FAILED);
	g_assert_cmpuint(suit_test_http_server_get_n_requests(server), ==, 2);
	g_assert_cmpint(g_get_monotonic_time() - start, <, 8 * G_USEC_PER_SEC);
}

/* a self-signed certificate for 127.0.0.1, as PEM (certificate then key) */
static gchar *
generate_certificate_pem(gchar **cert_only)
{
	gnutls_x509_privkey_t key = NULL;
	gnutls_x509_crt_t crt = NULL;
	gnutls_datum_t crt_pem = {NULL, 0};
	gnutls_datum_t key_pem = {NULL, 0};
	const guint8 ip[4] = {127, 0, 0, 1};
	const guint8 serial[1] = {1};
	time_t now = time(NULL);
	gchar *pem;

	g_assert_cmpint(gnutls_x509_privkey_init(&key), ==, 0);
	g_assert_cmpint(gnutls_x509_privkey_generate(key,
						      GNUTLS_PK_ECDSA,
						      GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1),
						      0),
			==,
			0);
	g_assert_cmpint(gnutls_x509_crt_init(&crt), ==, 0);
	g_assert_cmpint(gnutls_x509_crt_set_version(crt, 3), ==, 0);
	g_assert_cmpint(gnutls_x509_crt_set_serial(crt, serial, sizeof(serial)), ==, 0);
	g_assert_cmpint(gnutls_x509_crt_set_activation_time(crt, now - 3600), ==, 0);
	g_assert_cmpint(gnutls_x509_crt_set_expiration_time(crt, now + 3600), ==, 0);
	g_assert_cmpint(gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, "127.0.0.1", 9), ==, 0);
	g_assert_cmpint(
	    gnutls_x509_crt_set_subject_alt_name(crt, GNUTLS_SAN_IPADDRESS, ip, sizeof(ip), GNUTLS_FSAN_SET),
	    ==,
	    0);
	g_assert_cmpint(gnutls_x509_crt_set_basic_constraints(crt, 1, -1), ==, 0);
	g_assert_cmpint(gnutls_x509_crt_set_key_usage(crt,
						       GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_KEY_CERT_SIGN),
			==,
			0);
	g_assert_cmpint(gnutls_x509_crt_set_key(crt, key), ==, 0);
	g_assert_cmpint(gnutls_x509_crt_sign2(crt, crt, key, GNUTLS_DIG_SHA256, 0), ==, 0);
	g_assert_cmpint(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &crt_pem), ==, 0);
	g_assert_cmpint(gnutls_x509_privkey_export2(key, GNUTLS_X509_FMT_PEM, &key_pem), ==, 0);
	*cert_only = g_strndup((const gchar *)crt_pem.data, crt_pem.size);
	pem = g_strdup_printf("%.*s%.*s", (gint)crt_pem.size, crt_pem.data, (gint)key_pem.size, key_pem.data);
	gnutls_free(crt_pem.data);
	gnutls_free(key_pem.data);
	gnutls_x509_crt_deinit(crt);
	gnutls_x509_privkey_deinit(key);
	return pem;
}

static void
test_fetcher_soup_tls(void)
{
	g_autofree gchar *cert_pem = NULL;
	g_autofree gchar *pem = generate_certificate_pem(&cert_pem);
	g_autoptr(GTlsCertificate) certificate = NULL;
	g_autoptr(SuitTestHttpServer) server = NULL;
	g_autoptr(SuitFetcherSoup) fetcher = fetcher_soup_new_fast(3);
	g_autoptr(GBytes) expected = body_bytes(BODY_SIZE);
	g_autoptr(GBytes) ca = NULL;
	g_autoptr(TestSink) sink = test_sink_new();
	g_autoptr(TestSink) sink2 = test_sink_new();
	g_autoptr(GTlsDatabase) database = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *uri = NULL;
	g_autofree gchar *ca_path = NULL;

	certificate = g_tls_certificate_new_from_pem(pem, -1, &error);
	g_assert_no_error(error);
	server = fetch_server_new_full(certificate);
	uri = suit_test_http_server_uri(server, "/ok");

	/* verified by default: a certificate nobody trusts is refused, at once */
	g_assert_false(test_fetch(SUIT_FETCHER(fetcher), uri, G_OUTPUT_STREAM(sink), 0, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_FETCH_FAILED);
	g_clear_error(&error);
	g_assert_cmpuint(suit_test_http_server_get_n_connections(server), ==, 1);
	g_assert_cmpuint(suit_test_http_server_get_n_requests(server), ==, 0);
	g_assert_cmpuint(sink->data->len, ==, 0);

	/* trusted through a private CA */
	ca = g_bytes_new(cert_pem, strlen(cert_pem));
	ca_path = write_temp_file(ca);
	database = g_tls_file_database_new(ca_path, &error);
	g_assert_no_error(error);
	suit_fetcher_soup_set_tls_database(fetcher, database);
	g_assert_true(test_fetch(SUIT_FETCHER(fetcher), uri, G_OUTPUT_STREAM(sink2), BODY_SIZE, &error));
	g_assert_no_error(error);
	assert_sha256_equal(expected, sink2->data->data, sink2->data->len);
	g_unlink(ca_path);
}

typedef struct {
	GMainLoop *loop;
	gboolean ret;
	GError *error;
} AsyncHelper;

static void
fetch_async_cb(GObject *source, GAsyncResult *res, gpointer user_data)
{
	AsyncHelper *helper = user_data;
	helper->ret = suit_fetcher_fetch_finish(SUIT_FETCHER(source), res, &helper->error);
	g_main_loop_quit(helper->loop);
}

static void
test_fetcher_soup_async(void)
{
	g_autoptr(SuitTestHttpServer) server = fetch_server_new();
	g_autoptr(SuitFetcherSoup) fetcher = fetcher_soup_new_fast(3);
	g_autofree gchar *uri = suit_test_http_server_uri(server, "/drop-once");
	g_autoptr(GBytes) expected = body_bytes(BODY_SIZE);
	g_autoptr(TestSink) sink = test_sink_new();
	g_autoptr(SuitProgress) progress = NULL;
	g_autoptr(GMainContext) context = g_main_context_new();
	g_autoptr(GMainLoop) loop = NULL;
	AsyncHelper helper = {0};
	ProgressWatch watch;

	g_main_context_push_thread_default(context);
	loop = g_main_loop_new(context, FALSE);
	helper.loop = loop;
	progress = progress_watch_new(&watch);
	suit_fetcher_fetch_async(SUIT_FETCHER(fetcher),
				 uri,
				 G_OUTPUT_STREAM(sink),
				 BODY_SIZE,
				 SUIT_FETCH_FLAG_NONE,
				 progress,
				 NULL,
				 fetch_async_cb,
				 &helper);
	g_main_loop_run(loop);
	g_assert_no_error(helper.error);
	g_assert_true(helper.ret);
	assert_sha256_equal(expected, sink->data->data, sink->data->len);
	/* drain what the worker queued last */
	while (g_main_context_iteration(context, FALSE))
		;
	/* every signal came in this thread */
	g_assert_cmpuint(watch.wrong_thread, ==, 0);
	g_assert_cmpuint(watch.count, >, 0);
	g_assert_cmpfloat(watch.last, ==, 100.0);
	g_assert_cmpuint(watch.backwards, ==, 0);
	g_main_context_pop_thread_default(context);
}

int
main(int argc, char **argv)
{
	g_autoptr(GRand) rand = g_rand_new_with_seed(0x5017);
	int rc;

	g_test_init(&argc, &argv, NULL);
	body_data = g_malloc(BODY_SIZE);
	for (gsize i = 0; i < BODY_SIZE; i += 4) {
		guint32 value = g_rand_int(rand);
		memcpy(body_data + i, &value, sizeof(value));
	}

	g_test_add_func("/suit/fetcher/file/ok", test_fetcher_file_ok);
	g_test_add_func("/suit/fetcher/file/errors", test_fetcher_file_errors);
	g_test_add_func("/suit/fetcher/bytes", test_fetcher_bytes);
	g_test_add_func("/suit/fetcher/uris", test_fetcher_uris);
	g_test_add_func("/suit/fetcher/soup/properties", test_fetcher_soup_properties);
	g_test_add_func("/suit/fetcher/soup/ok", test_fetcher_soup_ok);
	g_test_add_func("/suit/fetcher/soup/not-found", test_fetcher_soup_not_found);
	g_test_add_func("/suit/fetcher/soup/resume", test_fetcher_soup_resume);
	g_test_add_func("/suit/fetcher/soup/no-retry", test_fetcher_soup_no_retry);
	g_test_add_func("/suit/fetcher/soup/always-drop", test_fetcher_soup_always_drop);
	g_test_add_func("/suit/fetcher/soup/refused", test_fetcher_soup_refused);
	g_test_add_func("/suit/fetcher/soup/server-error", test_fetcher_soup_server_error);
	g_test_add_func("/suit/fetcher/soup/ignore-range", test_fetcher_soup_ignore_range);
	g_test_add_func("/suit/fetcher/soup/bad-range", test_fetcher_soup_bad_range);
	g_test_add_func("/suit/fetcher/soup/limit", test_fetcher_soup_limit);
	g_test_add_func("/suit/fetcher/soup/cancel", test_fetcher_soup_cancel);
	g_test_add_func("/suit/fetcher/soup/timeout", test_fetcher_soup_timeout);
	g_test_add_func("/suit/fetcher/soup/tls", test_fetcher_soup_tls);
	g_test_add_func("/suit/fetcher/soup/async", test_fetcher_soup_async);
	rc = g_test_run();
	g_free(body_data);
	return rc;
}
