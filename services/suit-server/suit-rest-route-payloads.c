/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * POST /api/v1/payloads      the body, streamed to a temporary file, imported
 * GET|HEAD /payloads/{digest} content-addressed, immutable, with Range
 *
 * Range requests follow RFC 9110 §14 the way nginx implements them: one
 * range -> 206 with Content-Range; several -> 206 multipart/byteranges;
 * none satisfiable, or a "bytes=" header with a syntax error -> 416 with
 * `Content-Range: bytes * /SIZE`; a header that is not "bytes=...", or
 * ranges adding up to more than the file (nginx's rule against
 * amplification), is ignored -> 200. If-Range with the current
 * ETag or Last-Modified date honours the range, anything else gives the
 * whole file. If-None-Match (and If-Modified-Since without it) -> 304.
 * Bodies are slices of the mapped file: no payload byte is copied.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "suit-rest-private.h"

/* more ranges than this in one request: the header is ignored */
#define SUIT_REST_MAX_RANGES 256

/* POST /api/v1/payloads */

typedef struct {
	SuitFirmwareServer *firmware_server;
	SoupServerMessage *msg;
	gchar *path;
	gchar *digest;
	guint64 size;
} SuitRestImport;

static void
suit_rest_import_free(SuitRestImport *import)
{
	g_object_unref(import->firmware_server);
	g_object_unref(import->msg);
	g_free(import->path);
	g_free(import->digest);
	g_free(import);
}

static void
suit_rest_import_thread(GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
	SuitRestImport *import = task_data;
	g_autoptr(GError) error = NULL;

	import->digest = suit_firmware_server_import_payload(import->firmware_server,
							     import->path,
							     &import->size,
							     cancellable,
							     &error);
	/* imported (moved) or not, the temporary file is ours to remove */
	(void)g_unlink(import->path);
	if (import->digest == NULL) {
		g_task_return_error(task, g_steal_pointer(&error));
		return;
	}
	g_task_return_boolean(task, TRUE);
}

static void
suit_rest_import_done_cb(GObject *source, GAsyncResult *result, gpointer user_data)
{
	SuitRestImport *import = g_task_get_task_data(G_TASK(result));
	SuitRestRequest *request = suit_rest_request_from_message(import->msg);
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonBuilder) builder = NULL;
	g_autoptr(JsonGenerator) generator = NULL;
	g_autoptr(JsonNode) root = NULL;

	if (request == NULL || request->finished) {
		/* the client went away */
		return;
	}
	if (!g_task_propagate_boolean(G_TASK(result), &error)) {
		suit_rest_request_set_problem_error(request, error);
		soup_server_message_unpause(import->msg);
		return;
	}
	builder = json_builder_new();
	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "digest");
	json_builder_add_string_value(builder, import->digest);
	json_builder_set_member_name(builder, "size");
	json_builder_add_int_value(builder, (gint64)import->size);
	json_builder_end_object(builder);
	root = json_builder_get_root(builder);
	generator = json_generator_new();
	json_generator_set_root(generator, root);
	suit_rest_request_set_location(request, "/payloads/%s", import->digest);
	suit_rest_request_take_json(request,
				    SOUP_STATUS_CREATED,
				    json_generator_to_data(generator, NULL));
	soup_server_message_unpause(import->msg);
}

gboolean
suit_rest_route_payloads_post(SuitRestServer *self, SuitRestRequest *request, GError **error)
{
	SuitRestImport *import;
	g_autoptr(GTask) task = NULL;

	if (request->upload_path == NULL) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INTERNAL,
				    "the upload has no temporary file");
		return FALSE;
	}

	/* hashing and moving a large file: not in the worker's main loop */
	import = g_new0(SuitRestImport, 1);
	import->firmware_server = g_object_ref(suit_rest_server_get_firmware_server(self));
	import->msg = g_object_ref(request->msg);
	import->path = g_steal_pointer(&request->upload_path);
	task = g_task_new(NULL, NULL, suit_rest_import_done_cb, NULL);
	g_task_set_source_tag(task, suit_rest_route_payloads_post);
	g_task_set_task_data(task, import, (GDestroyNotify)suit_rest_import_free);
	soup_server_message_pause(request->msg);
	g_task_run_in_thread(task, suit_rest_import_thread);
	return TRUE;
}

/* GET|HEAD /payloads/{digest} */

static gboolean
suit_rest_parse_position(const gchar **p, guint64 *value)
{
	const gchar *s = *p;
	guint64 v = 0;

	if (!g_ascii_isdigit(*s))
		return FALSE;
	while (g_ascii_isdigit(*s)) {
		guint digit = (guint)(*s - '0');
		/* a position that overflows 64 bits is a syntax error, as in nginx */
		if (v > (G_MAXUINT64 - digit) / 10)
			return FALSE;
		v = v * 10 + digit;
		s++;
	}
	*p = s;
	*value = v;
	return TRUE;
}

static void
suit_rest_skip_ows(const gchar **p)
{
	while (**p == ' ' || **p == '\t')
		(*p)++;
}

/*
 * RFC 9110 §14.1.1: bytes=range-spec *( OWS "," OWS range-spec ), read the
 * way nginx reads it, so that clients see the same answers from suit-server
 * as from nginx or a CDN in front of it (tests/services/test_nginx_ranges.py
 * compares the two): a header that is not "bytes=" plus something is
 * ignored (200); once it is, a syntax error, an empty list element or a
 * range whose last position is before its first makes it unsatisfiable
 * (416), as no range of it can be served.
 */
SuitRestRangesResult
suit_rest_parse_ranges(const gchar *header, guint64 size, GArray *ranges)
{
	const gchar *p = header;
	guint n_specs = 0;
	guint64 total = 0;

	if (g_ascii_strncasecmp(p, "bytes=", 6) != 0 || p[6] == '\0')
		return SUIT_REST_RANGES_IGNORE;
	p += 6;

	for (;;) {
		SuitRestRange range;
		guint64 first = 0;
		guint64 last = 0;
		gboolean has_last = FALSE;

		suit_rest_skip_ows(&p);
		if (++n_specs > SUIT_REST_MAX_RANGES)
			return SUIT_REST_RANGES_IGNORE;
		if (*p == '-') {
			guint64 suffix;
			p++;
			if (!g_ascii_isdigit(*p) || !suit_rest_parse_position(&p, &suffix))
				return SUIT_REST_RANGES_UNSATISFIABLE;
			if (suffix > 0 && size > 0) {
				range.start = suffix >= size ? 0 : size - suffix;
				range.end = size - 1;
				g_array_append_val(ranges, range);
			}
		} else {
			if (!g_ascii_isdigit(*p) || !suit_rest_parse_position(&p, &first))
				return SUIT_REST_RANGES_UNSATISFIABLE;
			suit_rest_skip_ows(&p);
			if (*p != '-')
				return SUIT_REST_RANGES_UNSATISFIABLE;
			p++;
			suit_rest_skip_ows(&p);
			if (g_ascii_isdigit(*p)) {
				if (!suit_rest_parse_position(&p, &last))
					return SUIT_REST_RANGES_UNSATISFIABLE;
				has_last = TRUE;
				if (last < first)
					return SUIT_REST_RANGES_UNSATISFIABLE;
			}
			if (first < size) {
				range.start = first;
				range.end = has_last && last < size ? last : size - 1;
				g_array_append_val(ranges, range);
			}
		}
		suit_rest_skip_ows(&p);
		if (*p == '\0')
			break;
		if (*p != ',')
			return SUIT_REST_RANGES_UNSATISFIABLE;
		p++;
	}
	if (ranges->len == 0)
		return SUIT_REST_RANGES_UNSATISFIABLE;
	for (guint i = 0; i < ranges->len; i++) {
		SuitRestRange *range = &g_array_index(ranges, SuitRestRange, i);
		total += range->end - range->start + 1;
	}
	if (ranges->len > 1 && total > size)
		return SUIT_REST_RANGES_IGNORE;
	return SUIT_REST_RANGES_OK;
}

/* If-None-Match: "*" or a list of entity tags, compared weakly */
static gboolean
suit_rest_etag_list_matches(const gchar *header, const gchar *etag)
{
	g_auto(GStrv) items = NULL;

	items = g_strsplit(header, ",", -1);
	for (guint i = 0; items[i] != NULL; i++) {
		const gchar *item = g_strstrip(items[i]);
		if (g_str_equal(item, "*"))
			return TRUE;
		if (g_str_has_prefix(item, "W/"))
			item += 2;
		if (g_str_equal(item, etag))
			return TRUE;
	}
	return FALSE;
}

static gint64
suit_rest_parse_http_date(const gchar *text)
{
	g_autoptr(GDateTime) dt = soup_date_time_new_from_http_string(text);
	if (dt == NULL)
		return -1;
	return g_date_time_to_unix(dt);
}

/* If-Range: the range is honoured only for the current strong ETag or the
 * exact Last-Modified date */
static gboolean
suit_rest_if_range_matches(const gchar *header, const gchar *etag, gint64 mtime)
{
	g_autofree gchar *value = g_strstrip(g_strdup(header));

	if (g_str_has_prefix(value, "W/"))
		return FALSE;
	if (value[0] == '"')
		return g_str_equal(value, etag);
	return suit_rest_parse_http_date(value) == mtime;
}

gboolean
suit_rest_route_payloads_get(SuitRestServer *self, SuitRestRequest *request, GError **error)
{
	SoupServerMessage *msg = request->msg;
	SoupMessageHeaders *request_headers = soup_server_message_get_request_headers(msg);
	SoupMessageHeaders *headers = soup_server_message_get_response_headers(msg);
	SoupMessageBody *body = soup_server_message_get_response_body(msg);
	const gchar *digest = suit_rest_request_get_param(request, 0);
	const gchar *if_none_match;
	const gchar *range_header;
	const gchar *if_range;
	gboolean head = suit_rest_request_is_head(request);
	g_autoptr(SuitRestPayload) payload = NULL;
	g_autoptr(GArray) ranges = g_array_new(FALSE, FALSE, sizeof(SuitRestRange));
	SuitRestRangesResult result = SUIT_REST_RANGES_IGNORE;
	const gchar *etag;
	const gchar *last_modified;
	GBytes *bytes;
	gint64 mtime;
	guint64 size;

	payload = suit_rest_server_map_payload(self, digest, error);
	if (payload == NULL)
		return FALSE;
	bytes = payload->bytes;
	size = g_bytes_get_size(bytes);
	mtime = payload->mtime;
	etag = payload->etag;
	last_modified = payload->last_modified;

	/* libsoup must not apply the Range header to our 200 answers itself */
	soup_message_body_set_accumulate(body, FALSE);
	soup_message_headers_replace(headers, "ETag", etag);
	soup_message_headers_replace(headers, "Last-Modified", last_modified);
	soup_message_headers_replace(headers, "Cache-Control", "public, max-age=31536000, immutable");
	soup_message_headers_replace(headers, "Accept-Ranges", "bytes");

	/* conditional requests */
	if_none_match = soup_message_headers_get_list(request_headers, "If-None-Match");
	if (if_none_match != NULL) {
		if (suit_rest_etag_list_matches(if_none_match, etag)) {
			soup_server_message_set_status(msg, SOUP_STATUS_NOT_MODIFIED, NULL);
			return TRUE;
		}
	} else {
		const gchar *since = soup_message_headers_get_one(request_headers, "If-Modified-Since");
		gint64 since_time = since != NULL ? suit_rest_parse_http_date(since) : -1;
		if (since_time >= 0 && mtime <= since_time) {
			soup_server_message_set_status(msg, SOUP_STATUS_NOT_MODIFIED, NULL);
			return TRUE;
		}
	}

	range_header = soup_message_headers_get_list(request_headers, "Range");
	if_range = soup_message_headers_get_one(request_headers, "If-Range");
	if (range_header != NULL && (if_range == NULL || suit_rest_if_range_matches(if_range, etag, mtime)))
		result = suit_rest_parse_ranges(range_header, size, ranges);

	if (result == SUIT_REST_RANGES_UNSATISFIABLE) {
		g_autofree gchar *content_range = g_strdup_printf("bytes */%" G_GUINT64_FORMAT, size);
		g_autofree gchar *detail =
		    g_strdup_printf("no requested range is within the %" G_GUINT64_FORMAT " bytes",
				    size);
		suit_rest_request_set_problem(request,
					      SOUP_STATUS_REQUESTED_RANGE_NOT_SATISFIABLE,
					      "invalid-argument",
					      detail);
		soup_message_headers_replace(headers, "Content-Range", content_range);
		soup_message_headers_replace(headers, "Accept-Ranges", "bytes");
		return TRUE;
	}

	if (result == SUIT_REST_RANGES_IGNORE) {
		soup_server_message_set_status(msg, SOUP_STATUS_OK, NULL);
		soup_message_headers_set_content_type(headers, "application/octet-stream", NULL);
		soup_message_headers_set_content_length(headers, size);
		if (!head && size > 0)
			soup_message_body_append_bytes(body, bytes);
		return TRUE;
	}

	soup_server_message_set_status(msg, SOUP_STATUS_PARTIAL_CONTENT, NULL);
	if (ranges->len == 1) {
		SuitRestRange *range = &g_array_index(ranges, SuitRestRange, 0);
		guint64 length = range->end - range->start + 1;

		soup_message_headers_set_content_type(headers, "application/octet-stream", NULL);
		soup_message_headers_set_content_range(headers, range->start, range->end, size);
		soup_message_headers_set_content_length(headers, length);
		if (!head) {
			g_autoptr(GBytes) slice = g_bytes_new_from_bytes(bytes, range->start, length);
			soup_message_body_append_bytes(body, slice);
		}
		return TRUE;
	}

	/* multipart/byteranges (RFC 9110 §14.6) */
	{
		g_autofree gchar *uuid = g_uuid_string_random();
		g_autoptr(GString) boundary = g_string_new(NULL);
		g_autofree gchar *content_type = NULL;
		g_autofree gchar *closing = NULL;
		guint64 total = 0;

		for (const gchar *p = uuid; *p != '\0'; p++) {
			if (*p != '-')
				g_string_append_c(boundary, *p);
		}
		content_type = g_strdup_printf("multipart/byteranges; boundary=%s", boundary->str);
		closing = g_strdup_printf("\r\n--%s--\r\n", boundary->str);
		for (guint i = 0; i < ranges->len; i++) {
			SuitRestRange *range = &g_array_index(ranges, SuitRestRange, i);
			guint64 length = range->end - range->start + 1;
			g_autofree gchar *part = g_strdup_printf(
			    "\r\n--%s\r\nContent-Type: application/octet-stream\r\n"
			    "Content-Range: bytes %" G_GUINT64_FORMAT "-%" G_GUINT64_FORMAT
			    "/%" G_GUINT64_FORMAT "\r\n\r\n",
			    boundary->str,
			    range->start,
			    range->end,
			    size);

			total += strlen(part) + length;
			if (!head) {
				g_autoptr(GBytes) slice = g_bytes_new_from_bytes(bytes, range->start, length);
				soup_message_body_append(body, SOUP_MEMORY_COPY, part, strlen(part));
				soup_message_body_append_bytes(body, slice);
			}
		}
		total += strlen(closing);
		if (!head)
			soup_message_body_append(body, SOUP_MEMORY_COPY, closing, strlen(closing));
		soup_message_headers_replace(headers, "Content-Type", content_type);
		soup_message_headers_set_content_length(headers, total);
	}
	return TRUE;
}
