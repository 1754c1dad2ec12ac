/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * A small HTTP/1.1 server for tests, on 127.0.0.1 and a free port, that breaks
 * connections exactly where a test wants. It is hand-written rather than a
 * SoupServer because libsoup 3.2's server leaks under LeakSanitizer.
 *
 * One thread accepts and answers the connections in turn; every answer carries
 * "Connection: close". A request without a Range header is a full GET; a request
 * with "Range: bytes=N-" is a range request from byte N.
 */

typedef enum {
	/* 200 with the body; 206 with the rest of it for a range request */
	SUIT_TEST_HTTP_BEHAVIOUR_OK,
	/* every full GET announces the whole body but sends only drop_at bytes and
	 * closes; a range request is answered in full: a fetch breaks once, then resumes */
	SUIT_TEST_HTTP_BEHAVIOUR_DROP_ONCE,
	/* full GETs as DROP_ONCE; a range request gets its 206 headers but no body:
	 * the link breaks at the same place every time */
	SUIT_TEST_HTTP_BEHAVIOUR_DROP_ALWAYS,
	/* full GETs as DROP_ONCE; a range request is answered 200 with the whole body */
	SUIT_TEST_HTTP_BEHAVIOUR_IGNORE_RANGE,
	/* full GETs as DROP_ONCE; a range request is answered 206 from byte 0 */
	SUIT_TEST_HTTP_BEHAVIOUR_BAD_RANGE,
	/* 200 with the whole body and no Content-Length: it ends when the connection closes */
	SUIT_TEST_HTTP_BEHAVIOUR_UNSIZED,
	/* 503 Service Unavailable, empty */
	SUIT_TEST_HTTP_BEHAVIOUR_UNAVAILABLE,
	/* 403 Forbidden, empty */
	SUIT_TEST_HTTP_BEHAVIOUR_FORBIDDEN,
	/* says nothing until the client gives up (or 10 s pass) */
	SUIT_TEST_HTTP_BEHAVIOUR_SILENT,
} SuitTestHttpBehaviour;

typedef struct _SuitTestHttpServer SuitTestHttpServer;

/* starts serving at once; https when @certificate (with its key) is given;
 * paths without a route get 404 Not Found */
SuitTestHttpServer *
suit_test_http_server_new(GTlsCertificate *certificate);
/* serves @body at @path (e.g. "/image.bin"), replacing any route there; @drop_at
 * is where DROP_ONCE, DROP_ALWAYS, IGNORE_RANGE and BAD_RANGE cut a full GET,
 * 0 < @drop_at < size of @body, and must be 0 for the other behaviours */
void
suit_test_http_server_add(SuitTestHttpServer *self,
			  const gchar *path,
			  GBytes *body,
			  SuitTestHttpBehaviour behaviour,
			  gsize drop_at);
/* "http://127.0.0.1:PORT" followed by @path (transfer full) */
gchar *
suit_test_http_server_uri(SuitTestHttpServer *self, const gchar *path);
guint16
suit_test_http_server_get_port(SuitTestHttpServer *self);
/* connections accepted, including those whose TLS handshake failed */
guint
suit_test_http_server_get_n_connections(SuitTestHttpServer *self);
/* requests read so far */
guint
suit_test_http_server_get_n_requests(SuitTestHttpServer *self);
/* request @idx as "PATH RANGE_START", RANGE_START -1 for a full GET (transfer full) */
gchar *
suit_test_http_server_dup_request(SuitTestHttpServer *self, guint idx);
/* the User-Agent of the last request, or NULL (transfer full) */
gchar *
suit_test_http_server_dup_user_agent(SuitTestHttpServer *self);
/* stops the thread, closes the socket */
void
suit_test_http_server_free(SuitTestHttpServer *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SuitTestHttpServer, suit_test_http_server_free)

G_END_DECLS
