/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The fast path of suit-server: the two hot routes of a fleet, answered
 * without libsoup.
 *
 *   POST /device/v1/check-in        every device, every poll interval
 *   GET|HEAD /payloads/{digest}     whole payloads and single ranges
 *
 * Each worker thread accepts the connections of its SO_REUSEPORT socket
 * itself and watches them with one epoll set, which is a single file
 * descriptor in the worker's GMainContext. A request is answered here only
 * when it is known to be one this file answers in full:
 *
 *  - the request line is exactly `GET|HEAD|POST <path> HTTP/1.1`, with one of
 *    the paths above (no query, no percent-escapes);
 *  - the header lines are plain `name: value` lines (no folding, no bare CR
 *    or LF, no control characters), at most 64, in at most 8 KiB;
 *  - exactly one Host, at most one Content-Length (digits only),
 *    Authorization and Range; no Transfer-Encoding, Expect, Upgrade or
 *    conditional header; Connection, if present, is `close` or `keep-alive`;
 *  - a check-in has a body of 1 to 4096 bytes, a GET or HEAD none;
 *  - a check-in's device token is known and the tracker accepts its body; a
 *    payload exists and the request wants it whole or one satisfiable range.
 *
 * Anything else, including every error answer, is libsoup's: the connection
 * is handed to the worker's SoupServer with soup_server_accept_iostream(),
 * behind a stream that first gives back what the fast path read of the
 * unanswered request (suit-rest-replay.c), so libsoup sees the exact bytes
 * the client sent and answers as it always does. Once libsoup has written its
 * answer, the connection comes back, with what libsoup read ahead, so
 * keep-alive connections wait for their next request here: libsoup 3.2
 * never closes a connection whose client closes it while libsoup waits for
 * a next request (fixed in libsoup 3.3). Framing is never guessed: a request whose
 * length is not given by a lone Content-Length is not ours.
 *
 * Idle connections, those sending a request slowly and those that stop
 * reading their answer are reset after the header timeout, as nginx's
 * keepalive_timeout, client_header_timeout and send_timeout do.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "suit-rest-private.h"

/* the largest request the fast path reads: headers, then a check-in body */
#define SUIT_REST_FAST_MAX_HEADER  8192
#define SUIT_REST_FAST_MAX_BODY	   4096
#define SUIT_REST_FAST_MAX_HEADERS 64
#define SUIT_REST_FAST_BUFFER	   (SUIT_REST_FAST_MAX_HEADER + SUIT_REST_FAST_MAX_BODY)
#define SUIT_REST_FAST_EVENTS	   64
/* the most a connection taken back from libsoup may bring along */
#define SUIT_REST_FAST_MAX_TAKEN (64 * 1024)
/* how long to wait before accepting again when out of file descriptors */
#define SUIT_REST_FAST_ACCEPT_RETRY_MS 100

typedef enum {
	SUIT_REST_FAST_INCOMPLETE, /* a prefix of a request the fast path may answer */
	SUIT_REST_FAST_HANDOFF,	   /* libsoup's */
	SUIT_REST_FAST_READY,	   /* a whole request of ours */
} SuitRestFastParse;

typedef enum {
	SUIT_REST_FAST_ROUTE_CHECK_IN,
	SUIT_REST_FAST_ROUTE_PAYLOAD_GET,
	SUIT_REST_FAST_ROUTE_PAYLOAD_HEAD,
	SUIT_REST_FAST_N_ROUTES,
} SuitRestFastRoute;

/* what a request line starts with, per route */
static const struct {
	const gchar *start;
	const gchar *method;
	const gchar *pattern;
} suit_rest_fast_routes[SUIT_REST_FAST_N_ROUTES] = {
    {"POST /device/v1/check-in ", "POST", "/device/v1/check-in"},
    {"GET /payloads/", "GET", "/payloads/{digest}"},
    {"HEAD /payloads/", "HEAD", "/payloads/{digest}"},
};

typedef struct {
	const gchar *data;
	gsize length;
} SuitRestFastSpan;

/* a parsed request: spans point into the read buffer */
typedef struct {
	SuitRestFastRoute route;
	gchar digest[65];
	SuitRestFastSpan authorization;
	SuitRestFastSpan range;
	SuitRestFastSpan body;
	gboolean close;
	gsize total; /* request bytes: headers and body */
} SuitRestFastRequest;

typedef struct _SuitRestFastConn SuitRestFastConn;

struct _SuitRestFast {
	SuitRestServer *server; /* noref */
	SoupServer *soup;	/* noref: the worker's */
	GMainContext *context;
	GSocket *listener;
	gint epfd;
	GSource *source;
	GSource *accept_retry;
	GList *conns; /* (element-type SuitRestFastConn) */
	gint n_conns; /* atomic: read by the other workers */
	/* connections accepted by another worker, which has more than its
	 * share: file descriptors + 1, and the eventfd that says so */
	GAsyncQueue *incoming;
	gint wake_fd;
	/* handed to libsoup: the remote address object libsoup keeps for the
	 * connection (ref) -> its GSocket (ref) */
	GHashTable *handed;
	gint idle_listener_peer;
	guint route_index[SUIT_REST_FAST_N_ROUTES];
	gchar buffer[SUIT_REST_FAST_BUFFER];
	gint64 date_second;
	gchar *date;
};

struct _SuitRestFastConn {
	SuitRestFast *fast;
	gint fd;
	GList link;	   /* in fast->conns */
	gint64 idle_since; /* monotonic seconds: accepted, the last answer, or
			    * the last progress writing one */
	/* read and not answered yet: the start of a request, or pipelined ones */
	guint8 *kept;
	gsize kept_length;
	/* the answer being written */
	GString *out;
	gsize out_done;
	SuitRestPayload *payload; /* (nullable): the body's file */
	guint64 body_offset;
	guint64 body_left;
	gboolean pending;
	gboolean close_after;
	/* the request, for the metrics and the log */
	SuitRestFastRoute route;
	guint status;
	guint64 content_length;
	gint64 started;
	gchar path[80];
};

/* the Date header's value, once per second */
static const gchar *
suit_rest_fast_date(SuitRestFast *fast)
{
	gint64 now = g_get_real_time() / G_USEC_PER_SEC;

	if (fast->date == NULL || now != fast->date_second) {
		g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc(now);
		g_free(fast->date);
		fast->date = soup_date_time_to_string(dt, SOUP_DATE_HTTP);
		fast->date_second = now;
	}
	return fast->date;
}

/* parsing ------------------------------------------------------------------- */

static gboolean
suit_rest_fast_is_tchar(guchar c)
{
	return g_ascii_isalnum(c) || strchr("!#$%&'*+-.^_`|~", c) != NULL;
}

static gboolean
suit_rest_fast_name_is(const gchar *name, gsize length, const gchar *expected)
{
	return strlen(expected) == length && g_ascii_strncasecmp(name, expected, length) == 0;
}

static gboolean
suit_rest_fast_value_is(SuitRestFastSpan value, const gchar *expected)
{
	return strlen(expected) == value.length &&
	       g_ascii_strncasecmp(value.data, expected, value.length) == 0;
}

/* a Content-Length value: 1 to 15 digits */
static gboolean
suit_rest_fast_parse_length(SuitRestFastSpan value, guint64 *length)
{
	guint64 n = 0;

	if (value.length == 0 || value.length > 15)
		return FALSE;
	for (gsize i = 0; i < value.length; i++) {
		if (!g_ascii_isdigit(value.data[i]))
			return FALSE;
		n = n * 10 + (guint64)(value.data[i] - '0');
	}
	*length = n;
	return TRUE;
}

/*
 * Reads the request at the start of @data. Anything the fast path does not
 * answer in full is SUIT_REST_FAST_HANDOFF, decided as early as the bytes
 * allow, so that libsoup gets those connections before they are complete.
 */
static SuitRestFastParse
suit_rest_fast_parse(const gchar *data, gsize size, SuitRestFastRequest *request)
{
	const gchar *end = data + size;
	const gchar *p;
	const gchar *line_end;
	const gchar *headers_end;
	gsize start_length = 0;
	gboolean known = FALSE;
	gboolean has_host = FALSE;
	gboolean has_length = FALSE;
	guint64 content_length = 0;
	guint n_headers = 0;

	memset(request, 0, sizeof(*request));

	/* the method and the start of the path */
	for (guint i = 0; i < SUIT_REST_FAST_N_ROUTES; i++) {
		gsize length = strlen(suit_rest_fast_routes[i].start);
		if (memcmp(data, suit_rest_fast_routes[i].start, MIN(size, length)) != 0)
			continue;
		if (size < length)
			return SUIT_REST_FAST_INCOMPLETE;
		request->route = (SuitRestFastRoute)i;
		start_length = length;
		known = TRUE;
		break;
	}
	if (!known)
		return SUIT_REST_FAST_HANDOFF;
	p = data + start_length;
	if (request->route != SUIT_REST_FAST_ROUTE_CHECK_IN) {
		/* 64 hex digits, then " " */
		for (guint i = 0; i < 64; i++, p++) {
			if (p == end)
				return SUIT_REST_FAST_INCOMPLETE;
			if (!g_ascii_isxdigit(*p))
				return SUIT_REST_FAST_HANDOFF;
			request->digest[i] = g_ascii_tolower(*p);
		}
		request->digest[64] = '\0';
		if (p == end)
			return SUIT_REST_FAST_INCOMPLETE;
		if (*p++ != ' ')
			return SUIT_REST_FAST_HANDOFF;
	}
	/* the version, exactly */
	{
		static const gchar version[] = "HTTP/1.1\r\n";
		gsize have = MIN((gsize)(end - p), sizeof(version) - 1);
		if (memcmp(p, version, have) != 0)
			return SUIT_REST_FAST_HANDOFF;
		if (have < sizeof(version) - 1)
			return SUIT_REST_FAST_INCOMPLETE;
		p += sizeof(version) - 1;
	}

	/* the header lines */
	for (;;) {
		const gchar *name;
		const gchar *colon;
		SuitRestFastSpan value;

		line_end = memchr(p, '\n', (gsize)(end - p));
		if (line_end == NULL) {
			/* a bare CR, or a line that is already too long, is not ours */
			if (memchr(p, '\r', (gsize)(end - p)) != NULL && end[-1] != '\r')
				return SUIT_REST_FAST_HANDOFF;
			if (size >= SUIT_REST_FAST_MAX_HEADER)
				return SUIT_REST_FAST_HANDOFF;
			return SUIT_REST_FAST_INCOMPLETE;
		}
		if ((gsize)(line_end + 1 - data) > SUIT_REST_FAST_MAX_HEADER)
			return SUIT_REST_FAST_HANDOFF;
		/* CRLF only */
		if (line_end == p || line_end[-1] != '\r')
			return SUIT_REST_FAST_HANDOFF;
		if (line_end - 1 == p) {
			/* the empty line */
			p = line_end + 1;
			break;
		}
		if (++n_headers > SUIT_REST_FAST_MAX_HEADERS)
			return SUIT_REST_FAST_HANDOFF;
		name = p;
		for (colon = p; colon < line_end - 1 && suit_rest_fast_is_tchar((guchar)*colon); colon++)
			;
		/* no name, folding, or a space before the colon */
		if (colon == name || *colon != ':')
			return SUIT_REST_FAST_HANDOFF;
		value.data = colon + 1;
		value.length = (gsize)(line_end - 1 - value.data);
		for (gsize i = 0; i < value.length; i++) {
			guchar c = (guchar)value.data[i];
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				return SUIT_REST_FAST_HANDOFF;
		}
		while (value.length > 0 && (value.data[0] == ' ' || value.data[0] == '\t')) {
			value.data++;
			value.length--;
		}
		while (value.length > 0 &&
		       (value.data[value.length - 1] == ' ' || value.data[value.length - 1] == '\t'))
			value.length--;

		if (suit_rest_fast_name_is(name, (gsize)(colon - name), "Host")) {
			if (has_host)
				return SUIT_REST_FAST_HANDOFF;
			has_host = TRUE;
		} else if (suit_rest_fast_name_is(name, (gsize)(colon - name), "Content-Length")) {
			if (has_length || !suit_rest_fast_parse_length(value, &content_length))
				return SUIT_REST_FAST_HANDOFF;
			has_length = TRUE;
		} else if (suit_rest_fast_name_is(name, (gsize)(colon - name), "Authorization")) {
			if (request->authorization.data != NULL)
				return SUIT_REST_FAST_HANDOFF;
			request->authorization = value;
		} else if (suit_rest_fast_name_is(name, (gsize)(colon - name), "Range")) {
			if (request->range.data != NULL)
				return SUIT_REST_FAST_HANDOFF;
			request->range = value;
		} else if (suit_rest_fast_name_is(name, (gsize)(colon - name), "Connection")) {
			if (suit_rest_fast_value_is(value, "close"))
				request->close = TRUE;
			else if (!suit_rest_fast_value_is(value, "keep-alive"))
				return SUIT_REST_FAST_HANDOFF;
		} else if (suit_rest_fast_name_is(name, (gsize)(colon - name), "Transfer-Encoding") ||
			   suit_rest_fast_name_is(name, (gsize)(colon - name), "Expect") ||
			   suit_rest_fast_name_is(name, (gsize)(colon - name), "Upgrade") ||
			   suit_rest_fast_name_is(name, (gsize)(colon - name), "If-Range") ||
			   suit_rest_fast_name_is(name, (gsize)(colon - name), "If-None-Match") ||
			   suit_rest_fast_name_is(name, (gsize)(colon - name), "If-Modified-Since") ||
			   suit_rest_fast_name_is(name, (gsize)(colon - name), "If-Match") ||
			   suit_rest_fast_name_is(name, (gsize)(colon - name), "If-Unmodified-Since")) {
			return SUIT_REST_FAST_HANDOFF;
		}
		p = line_end + 1;
	}
	headers_end = p;
	if (!has_host)
		return SUIT_REST_FAST_HANDOFF;

	/* the body */
	if (request->route == SUIT_REST_FAST_ROUTE_CHECK_IN) {
		if (!has_length || content_length == 0 || content_length > SUIT_REST_FAST_MAX_BODY)
			return SUIT_REST_FAST_HANDOFF;
		if ((guint64)(end - headers_end) < content_length)
			return SUIT_REST_FAST_INCOMPLETE;
		request->body.data = headers_end;
		request->body.length = (gsize)content_length;
	} else if (content_length != 0) {
		return SUIT_REST_FAST_HANDOFF;
	}
	request->total = (gsize)(p - data) + request->body.length;
	return SUIT_REST_FAST_READY;
}

/* connections --------------------------------------------------------------- */

static void
suit_rest_fast_conn_free(SuitRestFastConn *conn)
{
	SuitRestFast *fast = conn->fast;

	if (conn->pending) {
		/* given up: counted as nginx counts it */
		suit_rest_server_record(fast->server,
					fast->route_index[conn->route],
					suit_rest_fast_routes[conn->route].method,
					conn->path,
					499,
					0,
					conn->started);
		suit_rest_server_request_end(fast->server);
	}
	fast->conns = g_list_remove_link(fast->conns, &conn->link);
	g_atomic_int_dec_and_test(&fast->n_conns);
	if (conn->fd >= 0)
		close(conn->fd);
	g_clear_pointer(&conn->payload, suit_rest_payload_unref);
	g_string_free(conn->out, TRUE);
	g_free(conn->kept);
	g_free(conn);
}

/* closes with a reset: for idle and broken connections */
static void
suit_rest_fast_conn_reset(SuitRestFastConn *conn)
{
	struct linger linger = {.l_onoff = 1, .l_linger = 0};

	(void)setsockopt(conn->fd, SOL_SOCKET, SO_LINGER, &linger, sizeof(linger));
	suit_rest_fast_conn_free(conn);
}

/* gives the connection to libsoup, with the @length bytes at @read that the
 * fast path read and did not answer */
static void
suit_rest_fast_conn_hand_off(SuitRestFastConn *conn, const gchar *read, gsize length)
{
	SuitRestFast *fast = conn->fast;
	g_autoptr(GSocket) socket = NULL;
	g_autoptr(GSocketConnection) connection = NULL;
	g_autoptr(GIOStream) stream = NULL;
	g_autoptr(GBytes) replay = g_bytes_new(read, length);
	g_autoptr(GSocketAddress) local = NULL;
	g_autoptr(GSocketAddress) remote = NULL;
	g_autoptr(GError) error = NULL;
	gint fd = conn->fd;

	g_assert(!conn->pending);
	(void)epoll_ctl(fast->epfd, EPOLL_CTL_DEL, fd, NULL);
	socket = g_socket_new_from_fd(fd, &error);
	if (socket == NULL) {
		/* the fd stays ours to close */
		suit_rest_fast_conn_reset(conn);
		return;
	}
	conn->fd = -1;
	suit_rest_fast_conn_free(conn);
	local = g_socket_get_local_address(socket, NULL);
	remote = g_socket_get_remote_address(socket, NULL);
	if (local == NULL || remote == NULL) {
		/* already gone */
		g_socket_close(socket, NULL);
		return;
	}
	connection = g_socket_connection_factory_create_connection(socket);
	stream = suit_rest_replay_io_stream_new(G_IO_STREAM(connection), replay);
	/* libsoup gives its messages the remote address object it was given:
	 * that is how the idle sweep finds the socket of a message, from the
	 * first one on, which libsoup starts before it returns */
	g_hash_table_replace(fast->handed, g_object_ref(remote), g_object_ref(socket));
	if (!soup_server_accept_iostream(fast->soup, stream, local, remote, &error)) {
		g_hash_table_remove(fast->handed, remote);
		g_socket_close(socket, NULL);
	}
}

static void
suit_rest_fast_conn_finish(SuitRestFastConn *conn)
{
	SuitRestFast *fast = conn->fast;

	conn->pending = FALSE;
	g_clear_pointer(&conn->payload, suit_rest_payload_unref);
	conn->idle_since = g_get_monotonic_time() / G_USEC_PER_SEC;
	suit_rest_server_record(fast->server,
				fast->route_index[conn->route],
				suit_rest_fast_routes[conn->route].method,
				conn->path,
				conn->status,
				(gint64)conn->content_length,
				conn->started);
	suit_rest_server_request_end(fast->server);
}

/* writes what is left of the answer; FALSE when the connection broke */
static gboolean
suit_rest_fast_conn_flush(SuitRestFastConn *conn)
{
	while (conn->out_done < conn->out->len || conn->body_left > 0) {
		struct iovec iov[2];
		struct msghdr message = {.msg_iov = iov};
		gssize wrote;
		gsize n_head = conn->out->len - conn->out_done;

		if (n_head > 0) {
			iov[message.msg_iovlen].iov_base = conn->out->str + conn->out_done;
			iov[message.msg_iovlen].iov_len = n_head;
			message.msg_iovlen++;
		}
		if (conn->body_left > 0) {
			const guint8 *bytes = g_bytes_get_data(conn->payload->bytes, NULL);
			iov[message.msg_iovlen].iov_base = (gpointer)(bytes + conn->body_offset);
			iov[message.msg_iovlen].iov_len = (gsize)MIN(conn->body_left, G_MAXSSIZE / 2);
			message.msg_iovlen++;
		}
		wrote = sendmsg(conn->fd, &message, MSG_NOSIGNAL);
		if (wrote < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return TRUE; /* EPOLLOUT continues */
			return FALSE;
		}
		conn->idle_since = g_get_monotonic_time() / G_USEC_PER_SEC;
		if ((gsize)wrote <= n_head) {
			conn->out_done += (gsize)wrote;
			continue;
		}
		conn->out_done += n_head;
		conn->body_offset += (guint64)wrote - n_head;
		conn->body_left -= (guint64)wrote - n_head;
	}
	suit_rest_fast_conn_finish(conn);
	return TRUE;
}

static void
suit_rest_fast_begin_answer(SuitRestFastConn *conn, guint status, const gchar *reason)
{
	g_string_truncate(conn->out, 0);
	conn->out_done = 0;
	conn->status = status;
	g_string_append_printf(conn->out,
			       "HTTP/1.1 %u %s\r\nServer: suit-server/" PACKAGE_VERSION "\r\nDate: %s\r\n",
			       status,
			       reason,
			       suit_rest_fast_date(conn->fast));
	if (conn->close_after)
		g_string_append(conn->out, "Connection: close\r\n");
}

/* POST /device/v1/check-in: FALSE when libsoup is to answer it */
static gboolean
suit_rest_fast_check_in(SuitRestFastConn *conn, SuitRestFastRequest *request)
{
	SuitStatusTracker *tracker = suit_rest_server_get_tracker(conn->fast->server);
	g_autofree gchar *authorization = NULL;
	g_autofree gchar *token = NULL;
	g_autofree gchar *device_id = NULL;
	g_autofree gchar *body = NULL;
	g_autofree gchar *offer = NULL;

	if (request->authorization.data == NULL)
		return FALSE;
	authorization = g_strndup(request->authorization.data, request->authorization.length);
	token = suit_rest_dup_bearer(authorization);
	if (token == NULL)
		return FALSE;
	device_id = suit_status_tracker_authenticate_device(tracker, token, NULL);
	if (device_id == NULL)
		return FALSE;
	if (memchr(request->body.data, '\0', request->body.length) != NULL)
		return FALSE;
	body = g_strndup(request->body.data, request->body.length);
	/* a refused check-in changes nothing: libsoup's route refuses it again,
	 * with the problem document */
	if (!suit_status_tracker_check_in(tracker, device_id, body, &offer, NULL))
		return FALSE;

	if (offer == NULL) {
		suit_rest_fast_begin_answer(conn, SOUP_STATUS_NO_CONTENT, "No Content");
		g_string_append(conn->out, "\r\n");
		conn->content_length = 0;
		return TRUE;
	}
	conn->content_length = strlen(offer);
	suit_rest_fast_begin_answer(conn, SOUP_STATUS_OK, "OK");
	g_string_append_printf(conn->out,
			       "Content-Type: application/json\r\nContent-Length: %" G_GUINT64_FORMAT
			       "\r\n\r\n",
			       conn->content_length);
	g_string_append_len(conn->out, offer, (gssize)conn->content_length);
	return TRUE;
}

/* GET|HEAD /payloads/{digest}: FALSE when libsoup is to answer it */
static gboolean
suit_rest_fast_payload(SuitRestFastConn *conn, SuitRestFastRequest *request)
{
	g_autoptr(SuitRestPayload) payload = NULL;
	g_autoptr(GArray) ranges = NULL;
	gboolean head = request->route == SUIT_REST_FAST_ROUTE_PAYLOAD_HEAD;
	guint64 size;
	guint64 start = 0;
	guint64 length;
	gboolean partial = FALSE;

	payload = suit_rest_server_map_payload(conn->fast->server, request->digest, NULL);
	if (payload == NULL)
		return FALSE;
	size = g_bytes_get_size(payload->bytes);
	length = size;
	if (request->range.data != NULL) {
		g_autofree gchar *header = g_strndup(request->range.data, request->range.length);
		SuitRestRangesResult result;

		ranges = g_array_new(FALSE, FALSE, sizeof(SuitRestRange));
		result = suit_rest_parse_ranges(header, size, ranges);
		/* 416 and multipart answers are libsoup's */
		if (result == SUIT_REST_RANGES_UNSATISFIABLE ||
		    (result == SUIT_REST_RANGES_OK && ranges->len != 1))
			return FALSE;
		if (result == SUIT_REST_RANGES_OK) {
			SuitRestRange *range = &g_array_index(ranges, SuitRestRange, 0);
			partial = TRUE;
			start = range->start;
			length = range->end - range->start + 1;
		}
	}

	if (partial)
		suit_rest_fast_begin_answer(conn, SOUP_STATUS_PARTIAL_CONTENT, "Partial Content");
	else
		suit_rest_fast_begin_answer(conn, SOUP_STATUS_OK, "OK");
	g_string_append_printf(conn->out,
			       "ETag: %s\r\nLast-Modified: %s\r\n"
			       "Cache-Control: public, max-age=31536000, immutable\r\n"
			       "Accept-Ranges: bytes\r\nContent-Type: application/octet-stream\r\n",
			       payload->etag,
			       payload->last_modified);
	if (partial)
		g_string_append_printf(conn->out,
				       "Content-Range: bytes %" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT
				       "/%" G_GUINT64_FORMAT "\r\n",
				       start,
				       start + length - 1,
				       size);
	g_string_append_printf(conn->out, "Content-Length: %" G_GUINT64_FORMAT "\r\n\r\n", length);
	/* the log counts body bytes, none for HEAD */
	conn->content_length = head ? 0 : length;
	if (!head && length > 0) {
		conn->payload = g_steal_pointer(&payload);
		conn->body_offset = start;
		conn->body_left = length;
	}
	return TRUE;
}

/* keeps what was read and not answered, until more arrives */
static void
suit_rest_fast_conn_keep(SuitRestFastConn *conn, const gchar *read, gsize length)
{
	g_clear_pointer(&conn->kept, g_free);
	conn->kept_length = length;
	if (length > 0)
		conn->kept = g_memdup2(read, length);
}

/* reads and answers the requests of @conn; the connection may be freed or
 * handed to libsoup */
static void
suit_rest_fast_conn_read(SuitRestFastConn *conn, gboolean peer_closed)
{
	SuitRestFast *fast = conn->fast;
	gchar *buffer = fast->buffer;
	gsize have = 0;
	/* the socket had no more bytes at the last read: edge-triggered epoll
	 * reports the next ones */
	gboolean drained = FALSE;

	if (conn->pending)
		return;
	if (conn->kept != NULL) {
		memcpy(buffer, conn->kept, conn->kept_length);
		have = conn->kept_length;
		g_clear_pointer(&conn->kept, g_free);
		conn->kept_length = 0;
	}
	for (;;) {
		SuitRestFastRequest request;
		SuitRestFastParse parsed;
		gboolean answered;

		if (!drained && have < sizeof(fast->buffer)) {
			gsize room = sizeof(fast->buffer) - have;
			gssize n = recv(conn->fd, buffer + have, room, MSG_DONTWAIT);

			if (n < 0) {
				if (errno == EINTR)
					continue;
				if (errno != EAGAIN && errno != EWOULDBLOCK) {
					suit_rest_fast_conn_free(conn);
					return;
				}
				drained = TRUE;
			} else if (n == 0) {
				drained = TRUE;
				peer_closed = TRUE;
			} else {
				have += (gsize)n;
				/* a short read emptied the socket */
				drained = (gsize)n < room;
			}
		}
		if (have == 0) {
			if (peer_closed)
				suit_rest_fast_conn_free(conn);
			return;
		}

		parsed = suit_rest_fast_parse(buffer, have, &request);
		if (parsed == SUIT_REST_FAST_INCOMPLETE) {
			if (!drained)
				continue;
			/* a request cut short by the client: nothing to answer */
			if (peer_closed) {
				suit_rest_fast_conn_free(conn);
				return;
			}
			suit_rest_fast_conn_keep(conn, buffer, have);
			return;
		}
		if (parsed == SUIT_REST_FAST_HANDOFF) {
			suit_rest_fast_conn_hand_off(conn, buffer, have);
			return;
		}

		conn->route = request.route;
		conn->started = g_get_monotonic_time();
		conn->close_after = request.close;
		if (request.route == SUIT_REST_FAST_ROUTE_CHECK_IN)
			g_strlcpy(conn->path, "/device/v1/check-in", sizeof(conn->path));
		else
			g_snprintf(conn->path, sizeof(conn->path), "/payloads/%s", request.digest);
		suit_rest_server_request_begin(fast->server);
		if (request.route == SUIT_REST_FAST_ROUTE_CHECK_IN)
			answered = suit_rest_fast_check_in(conn, &request);
		else
			answered = suit_rest_fast_payload(conn, &request);
		if (!answered) {
			suit_rest_server_request_end(fast->server);
			g_string_truncate(conn->out, 0);
			g_clear_pointer(&conn->payload, suit_rest_payload_unref);
			conn->body_left = 0;
			suit_rest_fast_conn_hand_off(conn, buffer, have);
			return;
		}
		/* what follows the request stays */
		have -= request.total;
		memmove(buffer, buffer + request.total, have);
		conn->pending = TRUE;
		if (!suit_rest_fast_conn_flush(conn)) {
			suit_rest_fast_conn_free(conn);
			return;
		}
		if (conn->pending) {
			/* EPOLLOUT continues, then the reading */
			suit_rest_fast_conn_keep(conn, buffer, have);
			return;
		}
		if (conn->close_after) {
			shutdown(conn->fd, SHUT_WR);
			suit_rest_fast_conn_free(conn);
			return;
		}
	}
}

static void
suit_rest_fast_conn_event(SuitRestFastConn *conn, guint32 events)
{
	if (events & EPOLLERR) {
		suit_rest_fast_conn_free(conn);
		return;
	}
	if (conn->pending) {
		if (!suit_rest_fast_conn_flush(conn)) {
			suit_rest_fast_conn_free(conn);
			return;
		}
		if (conn->pending)
			return;
		if (conn->close_after) {
			shutdown(conn->fd, SHUT_WR);
			suit_rest_fast_conn_free(conn);
			return;
		}
	}
	suit_rest_fast_conn_read(conn, (events & (EPOLLRDHUP | EPOLLHUP)) != 0);
}

/* accepting ----------------------------------------------------------------- */

/* watches @fd (owned); NULL, with @fd closed, when it cannot. The first
 * event comes at once: the socket is writable */
static SuitRestFastConn *
suit_rest_fast_conn_new(SuitRestFast *fast, gint fd)
{
	struct epoll_event event = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET};
	SuitRestFastConn *conn = g_new0(SuitRestFastConn, 1);

	conn->fast = fast;
	conn->fd = fd;
	conn->out = g_string_sized_new(512);
	conn->idle_since = g_get_monotonic_time() / G_USEC_PER_SEC;
	conn->link.data = conn;
	event.data.ptr = conn;
	if (epoll_ctl(fast->epfd, EPOLL_CTL_ADD, fd, &event) != 0) {
		close(fd);
		g_string_free(conn->out, TRUE);
		g_free(conn);
		return NULL;
	}
	fast->conns = g_list_concat(&conn->link, fast->conns);
	g_atomic_int_inc(&fast->n_conns);
	return conn;
}

static void
suit_rest_fast_accept(SuitRestFast *fast);

static gboolean
suit_rest_fast_accept_retry_cb(gpointer user_data)
{
	SuitRestFast *fast = user_data;

	g_clear_pointer(&fast->accept_retry, g_source_unref);
	suit_rest_fast_accept(fast);
	return G_SOURCE_REMOVE;
}

static void
suit_rest_fast_accept(SuitRestFast *fast)
{
	gint listen_fd;

	if (fast->listener == NULL || fast->accept_retry != NULL)
		return;
	listen_fd = g_socket_get_fd(fast->listener);
	for (;;) {
		gint one = 1;
		gint fd = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
				/* the pending connections wait until descriptors are free */
				fast->accept_retry = g_timeout_source_new(SUIT_REST_FAST_ACCEPT_RETRY_MS);
				g_source_set_callback(fast->accept_retry,
						      suit_rest_fast_accept_retry_cb,
						      fast,
						      NULL);
				g_source_attach(fast->accept_retry, fast->context);
			}
			return;
		}
		(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		/* SO_REUSEPORT spreads connections by a hash of their addresses,
		 * which can give one worker twice the connections of another:
		 * beyond its share, a worker passes them on */
		if (!suit_rest_server_pass_connection(fast->server, fast, fd))
			(void)suit_rest_fast_conn_new(fast, fd);
	}
}

/* takes the connections another worker passed on */
static void
suit_rest_fast_take_incoming(SuitRestFast *fast)
{
	eventfd_t count;
	gpointer item;

	(void)eventfd_read(fast->wake_fd, &count);
	while ((item = g_async_queue_try_pop(fast->incoming)) != NULL) {
		(void)suit_rest_fast_conn_new(fast, GPOINTER_TO_INT(item) - 1);
		/* counted when given */
		g_atomic_int_add(&fast->n_conns, -1);
	}
}

/* suit_rest_fast_get_load:
 * @fast: the fast path of a worker
 *
 * Returns: how many connections it serves or was given; from any thread
 */
gint
suit_rest_fast_get_load(SuitRestFast *fast)
{
	return g_atomic_int_get(&fast->n_conns);
}

/* suit_rest_fast_give:
 * @fast: the fast path of another worker
 * @fd: (transfer full): an accepted connection
 *
 * Hands @fd to the worker of @fast; from any thread, while @fast lives.
 */
void
suit_rest_fast_give(SuitRestFast *fast, gint fd)
{
	/* counted now, so that a burst of connections is not all given to
	 * the worker that has not taken the first ones yet */
	g_atomic_int_inc(&fast->n_conns);
	g_async_queue_push(fast->incoming, GINT_TO_POINTER(fd + 1));
	(void)eventfd_write(fast->wake_fd, 1);
}

static gboolean
suit_rest_fast_dispatch_cb(gint fd, GIOCondition condition, gpointer user_data)
{
	SuitRestFast *fast = user_data;
	struct epoll_event events[SUIT_REST_FAST_EVENTS];
	gint n = epoll_wait(fast->epfd, events, SUIT_REST_FAST_EVENTS, 0);

	for (gint i = 0; i < n; i++) {
		if (events[i].data.ptr == NULL)
			suit_rest_fast_accept(fast);
		else if (events[i].data.ptr == &fast->wake_fd)
			suit_rest_fast_take_incoming(fast);
		else
			suit_rest_fast_conn_event(events[i].data.ptr, events[i].events);
	}
	return G_SOURCE_CONTINUE;
}

/* the worker's side ---------------------------------------------------------- */

/* suit_rest_fast_new:
 * @server: the REST server
 * @soup: the worker's SoupServer, which gets every connection the fast path
 *   does not answer
 * @listener: the worker's listening socket
 * @context: the worker's main context
 * @error: return location for a #GError, or %NULL
 *
 * Starts accepting the connections of @listener in @context.
 *
 * Returns: (transfer full): the fast path of one worker, or %NULL
 */
SuitRestFast *
suit_rest_fast_new(SuitRestServer *server,
		   SoupServer *soup,
		   GSocket *listener,
		   GMainContext *context,
		   GError **error)
{
	SuitRestFast *fast;
	struct epoll_event event = {.events = EPOLLIN | EPOLLET, .data.ptr = NULL};
	gint epfd = epoll_create1(EPOLL_CLOEXEC);

	if (epfd < 0) {
		gint errsv = errno;
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(errsv),
			    "epoll_create1: %s",
			    g_strerror(errsv));
		return NULL;
	}
	if (epoll_ctl(epfd, EPOLL_CTL_ADD, g_socket_get_fd(listener), &event) != 0) {
		gint errsv = errno;
		close(epfd);
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(errsv),
			    "epoll_ctl: %s",
			    g_strerror(errsv));
		return NULL;
	}
	/* libsoup 3.2 keeps a connection alive only while its server has a
	 * listener (request_finished() checks for one): give it one that never
	 * gets a connection, one end of a socket pair */
	{
		g_autoptr(GSocket) idle_listener = NULL;
		gint pair[2];

		if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
			gint errsv = errno;
			close(epfd);
			g_set_error(error,
				    G_IO_ERROR,
				    g_io_error_from_errno(errsv),
				    "socketpair: %s",
				    g_strerror(errsv));
			return NULL;
		}
		idle_listener = g_socket_new_from_fd(pair[0], error);
		if (idle_listener == NULL) {
			close(pair[0]);
			close(pair[1]);
			close(epfd);
			return NULL;
		}
		if (!soup_server_listen_socket(soup, idle_listener, 0, error)) {
			close(pair[1]);
			close(epfd);
			return NULL;
		}
		fast = g_new0(SuitRestFast, 1);
		fast->idle_listener_peer = pair[1];
	}
	fast->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	{
		struct epoll_event wake = {.events = EPOLLIN, .data.ptr = &fast->wake_fd};
		if (fast->wake_fd < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, fast->wake_fd, &wake) != 0) {
			gint errsv = errno;
			if (fast->wake_fd >= 0)
				close(fast->wake_fd);
			close(fast->idle_listener_peer);
			close(epfd);
			g_free(fast);
			g_set_error(error,
				    G_IO_ERROR,
				    g_io_error_from_errno(errsv),
				    "eventfd: %s",
				    g_strerror(errsv));
			return NULL;
		}
	}
	fast->incoming = g_async_queue_new();
	fast->server = server;
	fast->soup = soup;
	fast->context = g_main_context_ref(context);
	fast->listener = g_object_ref(listener);
	fast->epfd = epfd;
	fast->handed = g_hash_table_new_full(g_direct_hash, g_direct_equal, g_object_unref, g_object_unref);
	for (guint i = 0; i < SUIT_REST_FAST_N_ROUTES; i++)
		fast->route_index[i] = suit_rest_server_route_index(suit_rest_fast_routes[i].method,
								    suit_rest_fast_routes[i].pattern);
	fast->source = g_unix_fd_source_new(epfd, G_IO_IN);
	g_source_set_callback(fast->source, G_SOURCE_FUNC(suit_rest_fast_dispatch_cb), fast, NULL);
	/* GLib 2.74 blocks a source that cannot recurse around its dispatch by
	 * taking its fd out of the poll set and putting it back, and both wake
	 * the context: two eventfd writes, then an extra iteration that reads
	 * the eventfd, for every dispatch of this, the busiest source. The
	 * callback never iterates the context, so it cannot recurse anyway. */
	g_source_set_can_recurse(fast->source, TRUE);
	g_source_attach(fast->source, context);
	suit_rest_server_add_fast(server, fast);
	/* connections may be waiting already */
	suit_rest_fast_accept(fast);
	return fast;
}

/* suit_rest_fast_stop_listening:
 * @fast: the fast path of a worker
 *
 * Stops accepting connections; those open are served on. In the worker.
 */
void
suit_rest_fast_stop_listening(SuitRestFast *fast)
{
	if (fast->listener == NULL)
		return;
	(void)epoll_ctl(fast->epfd, EPOLL_CTL_DEL, g_socket_get_fd(fast->listener), NULL);
	shutdown(g_socket_get_fd(fast->listener), SHUT_RDWR);
	g_clear_object(&fast->listener);
	if (fast->accept_retry != NULL) {
		g_source_destroy(fast->accept_retry);
		g_clear_pointer(&fast->accept_retry, g_source_unref);
	}
}

/* suit_rest_fast_sweep:
 * @fast: the fast path of a worker
 * @now: monotonic seconds
 * @timeout: the header timeout in seconds
 *
 * Resets the connections idle, sending a request, or not reading their
 * answer, for @timeout seconds, and forgets the handed connections libsoup closed. In the worker.
 */
void
suit_rest_fast_sweep(SuitRestFast *fast, gint64 now, guint timeout)
{
	GHashTableIter iter;
	gpointer value;

	for (GList *l = fast->conns; l != NULL;) {
		SuitRestFastConn *conn = l->data;
		l = l->next;
		/* also a client that stopped reading its answer, as nginx's
		 * send_timeout */
		if (now - conn->idle_since >= (gint64)timeout)
			suit_rest_fast_conn_reset(conn);
	}
	g_hash_table_iter_init(&iter, fast->handed);
	while (g_hash_table_iter_next(&iter, NULL, &value)) {
		if (g_socket_is_closed(G_SOCKET(value)))
			g_hash_table_iter_remove(&iter);
	}
}

/* suit_rest_fast_lookup_socket:
 * @fast: the fast path of a worker
 * @msg: a message libsoup reads or answers
 *
 * Returns: (transfer none) (nullable): the socket of a connection the fast
 *   path handed to libsoup, which soup_server_message_get_socket() does not
 *   know
 */
GSocket *
suit_rest_fast_lookup_socket(SuitRestFast *fast, SoupServerMessage *msg)
{
	GSocketAddress *remote = soup_server_message_get_remote_address(msg);

	if (remote == NULL)
		return NULL;
	return g_hash_table_lookup(fast->handed, remote);
}

/* suit_rest_fast_take_back:
 * @fast: the fast path of a worker
 * @msg: a message libsoup has just written the whole answer of, on a
 *   keep-alive connection
 *
 * Takes the connection of @msg back from libsoup if the fast path handed it
 * over, with the bytes libsoup read beyond the request. From the message's
 * wrote-body signal, in the worker (libsoup allows stealing there).
 *
 * Returns: %TRUE if the connection came back
 */
gboolean
suit_rest_fast_take_back(SuitRestFast *fast, SoupServerMessage *msg)
{
	g_autoptr(GSocketAddress) remote = NULL;
	g_autoptr(GSocket) socket = NULL;
	g_autoptr(GIOStream) stream = NULL;
	g_autoptr(GByteArray) read = NULL;
	SuitRestFastConn *conn;
	GInputStream *input;
	gint fd;

	if (soup_server_message_get_remote_address(msg) == NULL)
		return FALSE;
	remote = g_object_ref(soup_server_message_get_remote_address(msg));
	if (g_hash_table_lookup(fast->handed, remote) == NULL)
		return FALSE;
	socket = g_object_ref(g_hash_table_lookup(fast->handed, remote));
	if (g_socket_is_closed(socket))
		return FALSE;
	/* the descriptor outlives libsoup's objects */
	fd = fcntl(g_socket_get_fd(socket), F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return FALSE;
	stream = soup_server_message_steal_connection(msg);
	if (stream == NULL) {
		close(fd);
		return FALSE;
	}
	g_hash_table_remove(fast->handed, remote);

	/* what libsoup read ahead: the start of the next request, or more */
	read = g_byte_array_new();
	input = g_io_stream_get_input_stream(stream);
	while (read->len < SUIT_REST_FAST_MAX_TAKEN && G_IS_POLLABLE_INPUT_STREAM(input)) {
		guint8 chunk[4096];
		gssize n = g_pollable_input_stream_read_nonblocking(G_POLLABLE_INPUT_STREAM(input),
								    chunk,
								    sizeof(chunk),
								    NULL,
								    NULL);
		if (n <= 0)
			break;
		g_byte_array_append(read, chunk, (guint)n);
	}
	(void)g_io_stream_close(stream, NULL, NULL);
	(void)g_socket_close(socket, NULL);

	conn = suit_rest_fast_conn_new(fast, fd);
	if (conn == NULL)
		return TRUE;
	if (read->len > sizeof(fast->buffer)) {
		/* more than a request of ours: libsoup's again */
		suit_rest_fast_conn_hand_off(conn, (const gchar *)read->data, read->len);
		return TRUE;
	}
	suit_rest_fast_conn_keep(conn, (const gchar *)read->data, read->len);
	return TRUE;
}

/* suit_rest_fast_free:
 * @fast: the fast path of a worker
 *
 * Closes the connections it serves. In the worker.
 */
void
suit_rest_fast_free(SuitRestFast *fast)
{
	gpointer item;

	/* no worker passes connections on to this one any more */
	suit_rest_server_remove_fast(fast->server, fast);
	while ((item = g_async_queue_try_pop(fast->incoming)) != NULL)
		close(GPOINTER_TO_INT(item) - 1);
	g_async_queue_unref(fast->incoming);
	close(fast->wake_fd);
	suit_rest_fast_stop_listening(fast);
	while (fast->conns != NULL)
		suit_rest_fast_conn_free(fast->conns->data);
	g_source_destroy(fast->source);
	g_source_unref(fast->source);
	close(fast->epfd);
	close(fast->idle_listener_peer);
	g_hash_table_unref(fast->handed);
	g_main_context_unref(fast->context);
	g_free(fast->date);
	g_free(fast);
}
