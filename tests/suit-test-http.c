/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "suit-test-http.h"

#define SUIT_TEST_HTTP_HEAD_MAX	     8192
#define SUIT_TEST_HTTP_SILENT_USEC   (10 * G_USEC_PER_SEC)

typedef struct {
	GBytes *body;
	SuitTestHttpBehaviour behaviour;
	gsize drop_at;
} SuitTestHttpRoute;

struct _SuitTestHttpServer {
	GSocketListener *listener;
	GCancellable *stop;
	GThread *thread;
	gchar *base_uri;
	guint16 port;
	GTlsCertificate *certificate; /* (nullable): speak https */
	gint n_connections;	      /* atomic */
	GMutex mutex;
	GHashTable *routes;  /* (element-type utf8 SuitTestHttpRoute), under mutex */
	GPtrArray *requests; /* (element-type utf8) "path range", under mutex */
	gchar *user_agent;   /* (nullable) of the last request, under mutex */
};

static SuitTestHttpRoute *
suit_test_http_route_new(GBytes *body, SuitTestHttpBehaviour behaviour, gsize drop_at)
{
	SuitTestHttpRoute *route = g_new0(SuitTestHttpRoute, 1);
	route->body = g_bytes_ref(body);
	route->behaviour = behaviour;
	route->drop_at = drop_at;
	return route;
}

static SuitTestHttpRoute *
suit_test_http_route_copy(const SuitTestHttpRoute *route)
{
	return suit_test_http_route_new(route->body, route->behaviour, route->drop_at);
}

static void
suit_test_http_route_free(SuitTestHttpRoute *route)
{
	g_bytes_unref(route->body);
	g_free(route);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SuitTestHttpRoute, suit_test_http_route_free)

static void
suit_test_http_write(SuitTestHttpServer *self, GOutputStream *out, const void *data, gsize size)
{
	/* the client may have gone: errors are expected */
	if (size == 0)
		return;
	g_output_stream_write_all(out, data, size, NULL, self->stop, NULL);
}

static void
suit_test_http_headers(SuitTestHttpServer *self, GOutputStream *out, const gchar *status, const gchar *extra)
{
	g_autofree gchar *headers =
	    g_strdup_printf("HTTP/1.1 %s\r\nConnection: close\r\n%s\r\n", status, extra != NULL ? extra : "");
	suit_test_http_write(self, out, headers, strlen(headers));
}

static void
suit_test_http_empty(SuitTestHttpServer *self, GOutputStream *out, const gchar *status)
{
	suit_test_http_headers(self, out, status, "Content-Length: 0\r\n");
}

/* 200 announcing the whole body, of which only @send bytes are sent */
static void
suit_test_http_send_full(SuitTestHttpServer *self, GOutputStream *out, GBytes *body, gsize send)
{
	gsize size = 0;
	const guint8 *data = g_bytes_get_data(body, &size);
	g_autofree gchar *extra = g_strdup_printf("Content-Length: %" G_GSIZE_FORMAT "\r\n", size);
	suit_test_http_headers(self, out, "200 OK", extra);
	suit_test_http_write(self, out, data, MIN(send, size));
}

/* 206 claiming the body from @claimed_start; sends it when @with_body */
static void
suit_test_http_send_range(SuitTestHttpServer *self,
			  GOutputStream *out,
			  GBytes *body,
			  gsize claimed_start,
			  gboolean with_body)
{
	gsize size = 0;
	const guint8 *data = g_bytes_get_data(body, &size);
	g_autofree gchar *extra = g_strdup_printf("Content-Range: bytes %" G_GSIZE_FORMAT "-%" G_GSIZE_FORMAT
						  "/%" G_GSIZE_FORMAT "\r\n"
						  "Content-Length: %" G_GSIZE_FORMAT "\r\n",
						  claimed_start,
						  size - 1,
						  size,
						  size - claimed_start);
	suit_test_http_headers(self, out, "206 Partial Content", extra);
	if (with_body)
		suit_test_http_write(self, out, data + claimed_start, size - claimed_start);
}

static void
suit_test_http_not_satisfiable(SuitTestHttpServer *self, GOutputStream *out, GBytes *body)
{
	g_autofree gchar *extra = g_strdup_printf("Content-Range: bytes */%" G_GSIZE_FORMAT "\r\n"
						  "Content-Length: 0\r\n",
						  g_bytes_get_size(body));
	suit_test_http_headers(self, out, "416 Range Not Satisfiable", extra);
}

/* the start of "Range: bytes=N-", or -1 for a full GET */
static gint64
suit_test_http_parse_range(const gchar *head)
{
	const gchar *value = strstr(head, "\r\nRange: bytes=");
	gchar *end = NULL;
	guint64 start;

	if (value == NULL)
		return -1;
	value += strlen("\r\nRange: bytes=");
	if (!g_ascii_isdigit(*value))
		return -1;
	start = g_ascii_strtoull(value, &end, 10);
	if (end == NULL || *end != '-' || start > G_MAXINT64)
		return -1;
	return (gint64)start;
}

static void
suit_test_http_answer(SuitTestHttpServer *self,
		      GSocketConnection *connection,
		      GOutputStream *out,
		      const SuitTestHttpRoute *route,
		      gint64 range)
{
	GBytes *body = route->body;
	gsize size = g_bytes_get_size(body);

	switch (route->behaviour) {
	case SUIT_TEST_HTTP_BEHAVIOUR_UNSIZED:
		suit_test_http_headers(self, out, "200 OK", NULL);
		suit_test_http_write(self, out, g_bytes_get_data(body, NULL), size);
		return;
	case SUIT_TEST_HTTP_BEHAVIOUR_UNAVAILABLE:
		suit_test_http_empty(self, out, "503 Service Unavailable");
		return;
	case SUIT_TEST_HTTP_BEHAVIOUR_FORBIDDEN:
		suit_test_http_empty(self, out, "403 Forbidden");
		return;
	case SUIT_TEST_HTTP_BEHAVIOUR_SILENT: {
		GSocket *socket = g_socket_connection_get_socket(connection);
		g_socket_condition_timed_wait(socket, G_IO_IN | G_IO_HUP, SUIT_TEST_HTTP_SILENT_USEC, self->stop, NULL);
		return;
	}
	default:
		break;
	}

	/* the behaviours that serve the body, in full or in ranges */
	if (range < 0) {
		if (route->behaviour == SUIT_TEST_HTTP_BEHAVIOUR_OK)
			suit_test_http_send_full(self, out, body, size);
		else
			suit_test_http_send_full(self, out, body, route->drop_at);
		return;
	}
	if ((guint64)range >= size) {
		suit_test_http_not_satisfiable(self, out, body);
		return;
	}
	switch (route->behaviour) {
	case SUIT_TEST_HTTP_BEHAVIOUR_OK:
	case SUIT_TEST_HTTP_BEHAVIOUR_DROP_ONCE:
		suit_test_http_send_range(self, out, body, (gsize)range, TRUE);
		break;
	case SUIT_TEST_HTTP_BEHAVIOUR_DROP_ALWAYS:
		suit_test_http_send_range(self, out, body, (gsize)range, FALSE);
		break;
	case SUIT_TEST_HTTP_BEHAVIOUR_IGNORE_RANGE:
		suit_test_http_send_full(self, out, body, size);
		break;
	case SUIT_TEST_HTTP_BEHAVIOUR_BAD_RANGE:
		suit_test_http_send_range(self, out, body, 0, TRUE);
		break;
	default:
		g_assert_not_reached();
	}
}

static void
suit_test_http_handle(SuitTestHttpServer *self, GSocketConnection *connection, GIOStream *stream)
{
	GInputStream *in = g_io_stream_get_input_stream(stream);
	GOutputStream *out = g_io_stream_get_output_stream(stream);
	gchar head[SUIT_TEST_HTTP_HEAD_MAX] = {0};
	gchar path[256] = {0};
	gsize len = 0;
	gint64 range;
	const gchar *user_agent;
	g_autoptr(SuitTestHttpRoute) route = NULL;

	/* read the request head, bounded */
	while (strstr(head, "\r\n\r\n") == NULL) {
		gssize n;
		if (len >= sizeof(head) - 1) {
			suit_test_http_empty(self, out, "431 Request Header Fields Too Large");
			return;
		}
		n = g_input_stream_read(in, head + len, sizeof(head) - 1 - len, self->stop, NULL);
		if (n <= 0)
			return;
		len += (gsize)n;
	}
	if (sscanf(head, "GET %255s HTTP/1.1", path) != 1) {
		suit_test_http_empty(self, out, "400 Bad Request");
		return;
	}
	range = suit_test_http_parse_range(head);
	user_agent = strstr(head, "\r\nUser-Agent: ");

	g_mutex_lock(&self->mutex);
	g_ptr_array_add(self->requests, g_strdup_printf("%s %" G_GINT64_FORMAT, path, range));
	g_clear_pointer(&self->user_agent, g_free);
	if (user_agent != NULL) {
		user_agent += strlen("\r\nUser-Agent: ");
		self->user_agent = g_strndup(user_agent, strcspn(user_agent, "\r"));
	}
	if (g_hash_table_contains(self->routes, path))
		route = suit_test_http_route_copy(g_hash_table_lookup(self->routes, path));
	g_mutex_unlock(&self->mutex);

	if (route == NULL) {
		suit_test_http_empty(self, out, "404 Not Found");
		return;
	}
	suit_test_http_answer(self, connection, out, route, range);
}

static gpointer
suit_test_http_thread_cb(gpointer user_data)
{
	SuitTestHttpServer *self = user_data;
	for (;;) {
		g_autoptr(GSocketConnection) connection = NULL;
		g_autoptr(GIOStream) tls = NULL;

		connection = g_socket_listener_accept(self->listener, NULL, self->stop, NULL);
		if (connection == NULL)
			break;
		g_atomic_int_inc(&self->n_connections);
		if (self->certificate == NULL) {
			suit_test_http_handle(self, connection, G_IO_STREAM(connection));
			g_io_stream_close(G_IO_STREAM(connection), NULL, NULL);
			continue;
		}
		tls = g_tls_server_connection_new(G_IO_STREAM(connection), self->certificate, NULL);
		g_assert_nonnull(tls);
		/* fails when the client does not trust the certificate */
		if (!g_tls_connection_handshake(G_TLS_CONNECTION(tls), self->stop, NULL)) {
			g_io_stream_close(G_IO_STREAM(connection), NULL, NULL);
			continue;
		}
		suit_test_http_handle(self, connection, tls);
		g_io_stream_close(tls, NULL, NULL);
	}
	return NULL;
}

SuitTestHttpServer *
suit_test_http_server_new(GTlsCertificate *certificate)
{
	SuitTestHttpServer *self = g_new0(SuitTestHttpServer, 1);
	g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) address = g_inet_socket_address_new(loopback, 0);
	g_autoptr(GSocketAddress) effective = NULL;
	g_autoptr(GError) error = NULL;

	self->listener = g_socket_listener_new();
	self->stop = g_cancellable_new();
	self->routes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)suit_test_http_route_free);
	self->requests = g_ptr_array_new_with_free_func(g_free);
	g_mutex_init(&self->mutex);
	g_socket_listener_add_address(self->listener,
				      address,
				      G_SOCKET_TYPE_STREAM,
				      G_SOCKET_PROTOCOL_TCP,
				      NULL,
				      &effective,
				      &error);
	g_assert_no_error(error);
	if (certificate != NULL)
		self->certificate = g_object_ref(certificate);
	self->port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(effective));
	self->base_uri = g_strdup_printf("%s://127.0.0.1:%u", certificate != NULL ? "https" : "http", self->port);
	self->thread = g_thread_new("suit-test-http", suit_test_http_thread_cb, self);
	return self;
}

void
suit_test_http_server_add(SuitTestHttpServer *self,
			  const gchar *path,
			  GBytes *body,
			  SuitTestHttpBehaviour behaviour,
			  gsize drop_at)
{
	g_autoptr(GMutexLocker) locker = NULL;
	gboolean drops = behaviour == SUIT_TEST_HTTP_BEHAVIOUR_DROP_ONCE ||
			 behaviour == SUIT_TEST_HTTP_BEHAVIOUR_DROP_ALWAYS ||
			 behaviour == SUIT_TEST_HTTP_BEHAVIOUR_IGNORE_RANGE ||
			 behaviour == SUIT_TEST_HTTP_BEHAVIOUR_BAD_RANGE;

	g_assert_nonnull(self);
	g_assert_nonnull(path);
	g_assert_true(path[0] == '/');
	g_assert_cmpuint(strlen(path), <, 256);
	g_assert_nonnull(body);
	g_assert_cmpint(behaviour, >=, SUIT_TEST_HTTP_BEHAVIOUR_OK);
	g_assert_cmpint(behaviour, <=, SUIT_TEST_HTTP_BEHAVIOUR_SILENT);
	if (drops) {
		g_assert_cmpuint(drop_at, >, 0);
		g_assert_cmpuint(drop_at, <, g_bytes_get_size(body));
	} else {
		g_assert_cmpuint(drop_at, ==, 0);
	}
	locker = g_mutex_locker_new(&self->mutex);
	g_hash_table_replace(self->routes, g_strdup(path), suit_test_http_route_new(body, behaviour, drop_at));
}

gchar *
suit_test_http_server_uri(SuitTestHttpServer *self, const gchar *path)
{
	return g_strconcat(self->base_uri, path, NULL);
}

guint16
suit_test_http_server_get_port(SuitTestHttpServer *self)
{
	return self->port;
}

guint
suit_test_http_server_get_n_connections(SuitTestHttpServer *self)
{
	return (guint)g_atomic_int_get(&self->n_connections);
}

guint
suit_test_http_server_get_n_requests(SuitTestHttpServer *self)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);
	return self->requests->len;
}

gchar *
suit_test_http_server_dup_request(SuitTestHttpServer *self, guint idx)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);
	g_assert_cmpuint(idx, <, self->requests->len);
	return g_strdup(g_ptr_array_index(self->requests, idx));
}

gchar *
suit_test_http_server_dup_user_agent(SuitTestHttpServer *self)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);
	return g_strdup(self->user_agent);
}

void
suit_test_http_server_free(SuitTestHttpServer *self)
{
	if (self == NULL)
		return;
	g_cancellable_cancel(self->stop);
	g_thread_join(self->thread);
	g_socket_listener_close(self->listener);
	g_object_unref(self->listener);
	g_object_unref(self->stop);
	g_hash_table_unref(self->routes);
	g_ptr_array_unref(self->requests);
	g_mutex_clear(&self->mutex);
	g_free(self->base_uri);
	g_free(self->user_agent);
	g_clear_object(&self->certificate);
	g_free(self);
}
