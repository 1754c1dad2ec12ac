/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * SuitRestServer: the REST service of suit-server (ARCHITECTURE.md §5.4).
 *
 * It owns N worker threads, each with its own GMainContext, GMainLoop and
 * SoupServer listening on its own socket; all sockets are bound to the same
 * address with SO_REUSEPORT, so the kernel spreads the connections. The
 * Status Tracker and the Firmware Server are thread-safe and shared.
 *
 * Every request goes through one early handler (at got-headers: route,
 * authentication, body limits, before any byte of the body is read) and one
 * handler (at got-body) that calls the route's function from the table
 * below. Errors become application/problem+json documents.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "suit-rest-private.h"

/* the payload files kept mapped, immutable and content-addressed */
#define SUIT_REST_MAPPED_MAX 64
/* upload write buffer */
#define SUIT_REST_UPLOAD_BUFFER (256 * 1024)

static const SuitRestRoute suit_rest_routes[] = {
    {"GET", "/", SUIT_REST_AUTH_NONE, SUIT_REST_BODY_NONE, suit_rest_route_meta_dashboard},
    {"GET", "/api/v1/health", SUIT_REST_AUTH_NONE, SUIT_REST_BODY_NONE, suit_rest_route_meta_health},
    {"GET",
     "/api/v1/openapi.json",
     SUIT_REST_AUTH_NONE,
     SUIT_REST_BODY_NONE,
     suit_rest_route_meta_openapi},
    {"GET",
     "/api/v1/statistics",
     SUIT_REST_AUTH_VIEWER,
     SUIT_REST_BODY_NONE,
     suit_rest_route_meta_statistics},
    {"GET", "/metrics", SUIT_REST_AUTH_LOOPBACK, SUIT_REST_BODY_NONE, suit_rest_route_meta_metrics},
    {"POST",
     "/api/v1/payloads",
     SUIT_REST_AUTH_OPERATOR,
     SUIT_REST_BODY_STREAM,
     suit_rest_route_payloads_post},
    {"POST",
     "/api/v1/manifests",
     SUIT_REST_AUTH_OPERATOR,
     SUIT_REST_BODY_ENVELOPE,
     suit_rest_route_manifests_post},
    {"GET",
     "/api/v1/manifests",
     SUIT_REST_AUTH_VIEWER,
     SUIT_REST_BODY_NONE,
     suit_rest_route_manifests_list},
    {"GET",
     "/api/v1/manifests/{manifest}",
     SUIT_REST_AUTH_VIEWER,
     SUIT_REST_BODY_NONE,
     suit_rest_route_manifests_get},
    {"GET",
     "/api/v1/manifests/{manifest}/envelope",
     SUIT_REST_AUTH_VIEWER,
     SUIT_REST_BODY_NONE,
     suit_rest_route_manifests_get_envelope},
    {"POST",
     "/api/v1/devices",
     SUIT_REST_AUTH_OPERATOR,
     SUIT_REST_BODY_JSON,
     suit_rest_route_devices_post},
    {"GET",
     "/api/v1/devices",
     SUIT_REST_AUTH_VIEWER,
     SUIT_REST_BODY_NONE,
     suit_rest_route_devices_list},
    {"GET",
     "/api/v1/devices/{device}",
     SUIT_REST_AUTH_VIEWER,
     SUIT_REST_BODY_NONE,
     suit_rest_route_devices_get},
    {"POST",
     "/api/v1/campaigns",
     SUIT_REST_AUTH_OPERATOR,
     SUIT_REST_BODY_JSON,
     suit_rest_route_campaigns_post},
    {"GET",
     "/api/v1/campaigns",
     SUIT_REST_AUTH_VIEWER,
     SUIT_REST_BODY_NONE,
     suit_rest_route_campaigns_list},
    {"GET",
     "/api/v1/campaigns/{campaign}",
     SUIT_REST_AUTH_VIEWER,
     SUIT_REST_BODY_NONE,
     suit_rest_route_campaigns_get},
    {"POST",
     "/api/v1/campaigns/{campaign}/pause",
     SUIT_REST_AUTH_OPERATOR,
     SUIT_REST_BODY_NONE,
     suit_rest_route_campaigns_pause},
    {"POST",
     "/api/v1/campaigns/{campaign}/resume",
     SUIT_REST_AUTH_OPERATOR,
     SUIT_REST_BODY_NONE,
     suit_rest_route_campaigns_resume},
    {"POST",
     "/api/v1/campaigns/{campaign}/cancel",
     SUIT_REST_AUTH_OPERATOR,
     SUIT_REST_BODY_NONE,
     suit_rest_route_campaigns_cancel},
    {"GET", "/api/v1/events", SUIT_REST_AUTH_VIEWER, SUIT_REST_BODY_NONE, suit_rest_route_events_list},
    {"POST", "/api/v1/tokens", SUIT_REST_AUTH_ADMIN, SUIT_REST_BODY_JSON, suit_rest_route_tokens_post},
    {"GET", "/api/v1/tokens", SUIT_REST_AUTH_ADMIN, SUIT_REST_BODY_NONE, suit_rest_route_tokens_list},
    {"DELETE",
     "/api/v1/tokens/{token}",
     SUIT_REST_AUTH_ADMIN,
     SUIT_REST_BODY_NONE,
     suit_rest_route_tokens_delete},
    {"POST",
     "/device/v1/check-in",
     SUIT_REST_AUTH_DEVICE,
     SUIT_REST_BODY_JSON,
     suit_rest_route_device_check_in},
    {"GET",
     "/device/v1/manifests/{manifest}",
     SUIT_REST_AUTH_DEVICE,
     SUIT_REST_BODY_NONE,
     suit_rest_route_device_manifest},
    {"POST",
     "/device/v1/reports",
     SUIT_REST_AUTH_DEVICE,
     SUIT_REST_BODY_REPORT,
     suit_rest_route_device_report},
    {"GET", "/payloads/{digest}", SUIT_REST_AUTH_NONE, SUIT_REST_BODY_NONE, suit_rest_route_payloads_get},
    {"HEAD", "/payloads/{digest}", SUIT_REST_AUTH_NONE, SUIT_REST_BODY_NONE, suit_rest_route_payloads_get},
};
#define SUIT_REST_N_ROUTES G_N_ELEMENTS(suit_rest_routes)
/* the metrics slot of requests that match no route */
#define SUIT_REST_ROUTE_UNMATCHED SUIT_REST_N_ROUTES

/* request duration histogram, in seconds */
static const gdouble suit_rest_buckets[] =
    {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
#define SUIT_REST_N_BUCKETS G_N_ELEMENTS(suit_rest_buckets)

typedef struct {
	guint64 status[600]; /* requests by status code */
	guint64 buckets[SUIT_REST_N_BUCKETS + 1];
	guint64 count;
	guint64 sum_us;
} SuitRestRouteMetrics;

typedef struct {
	SuitRestServer *server; /* noref */
	GSocket *socket;
	GMainContext *context;
	GMainLoop *loop;
	SoupServer *soup; /* owned by the thread */
	GThread *thread;
	GHashTable *waiting; /* GSocket (ref) -> seconds since it waits for request headers */
	GPtrArray *reset;    /* (element-type GSocket): reset by the last sweep */
	SuitRestFast *fast;  /* (nullable): the hot routes without libsoup */
} SuitRestWorker;

struct _SuitRestServer {
	GObject parent_instance;
	SuitStatusTracker *tracker;
	SuitFirmwareServer *firmware_server;
	gchar *upload_directory;
	guint64 max_payload_size;
	guint header_timeout; /* seconds */
	gboolean request_log;
	gboolean fast_path;
	GTlsCertificate *tls_certificate;
	GInetAddress *address;
	guint port;
	GPtrArray *workers; /* (element-type SuitRestWorker) */
	GMutex lock;	    /* workers starting and stopping, the mapped files */
	GCond cond;
	guint workers_started;
	guint workers_stopped;
	GError *start_error;
	gint in_flight; /* atomic */
	SuitRestRouteMetrics *metrics; /* SUIT_REST_N_ROUTES + 1 */
	GHashTable *mapped;	       /* digest -> SuitRestPayload */
	GMutex fast_lock;
	GPtrArray *fasts; /* (element-type SuitRestFast): the workers', under fast_lock */
};

G_DEFINE_TYPE(SuitRestServer, suit_rest_server, G_TYPE_OBJECT)

static gchar **suit_rest_route_segments[SUIT_REST_N_ROUTES];

static void
suit_rest_server_reset_connection(GSocket *socket);
static void
suit_rest_server_wrote_body_cb(SoupServerMessage *msg, gpointer user_data);

/* the socket of @msg: libsoup knows those it accepted, the fast path
 * those it handed to libsoup */
static GSocket *
suit_rest_worker_get_socket(SuitRestWorker *worker, SoupServerMessage *msg)
{
	GSocket *socket = soup_server_message_get_socket(msg);

	if (socket == NULL && worker->fast != NULL)
		socket = suit_rest_fast_lookup_socket(worker->fast, msg);
	return socket;
}

/* the connection of @msg waits for request headers (or not any more) */
static void
suit_rest_worker_set_waiting(SuitRestWorker *worker, SoupServerMessage *msg, gboolean waiting)
{
	GSocket *socket = suit_rest_worker_get_socket(worker, msg);

	if (socket == NULL)
		return;
	if (!waiting) {
		g_hash_table_remove(worker->waiting, socket);
		return;
	}
	g_hash_table_replace(worker->waiting,
			     g_object_ref(socket),
			     GSIZE_TO_POINTER((gsize)(g_get_monotonic_time() / G_USEC_PER_SEC)));
}

/* set in class_init */
static GQuark suit_rest_request_quark_value;

static GQuark
suit_rest_request_quark(void)
{
	return suit_rest_request_quark_value;
}

/* requests */

static void
suit_rest_request_free(SuitRestRequest *request)
{
	if (request->upload_fd >= 0)
		close(request->upload_fd);
	if (request->upload_path != NULL)
		(void)g_unlink(request->upload_path);
	g_free(request->upload_path);
	g_free(request->upload_buffer);
	g_free(request->path);
	g_free(request->role);
	g_free(request->device_id);
	if (request->params != NULL)
		g_ptr_array_unref(request->params);
	if (request->query != NULL)
		g_hash_table_unref(request->query);
	g_free(request);
}

SuitRestRequest *
suit_rest_request_from_message(SoupServerMessage *msg)
{
	return g_object_get_qdata(G_OBJECT(msg), suit_rest_request_quark());
}

const gchar *
suit_rest_request_get_param(SuitRestRequest *request, guint idx)
{
	g_return_val_if_fail(request->params != NULL && idx < request->params->len, NULL);
	return g_ptr_array_index(request->params, idx);
}

const gchar *
suit_rest_request_get_query(SuitRestRequest *request, const gchar *name)
{
	if (request->query == NULL)
		return NULL;
	return g_hash_table_lookup(request->query, name);
}

gboolean
suit_rest_request_get_query_uint(SuitRestRequest *request,
				 const gchar *name,
				 guint64 max,
				 guint64 *value,
				 GError **error)
{
	const gchar *text = suit_rest_request_get_query(request, name);
	g_autoptr(GError) error_local = NULL;

	if (text == NULL)
		return TRUE;
	if (!g_ascii_string_to_unsigned(text, 10, 0, max, value, &error_local)) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "query parameter %s must be an integer from 0 to %" G_GUINT64_FORMAT,
			    name,
			    max);
		return FALSE;
	}
	return TRUE;
}

gboolean
suit_rest_request_is_head(SuitRestRequest *request)
{
	return g_strcmp0(soup_server_message_get_method(request->msg), "HEAD") == 0;
}

GBytes *
suit_rest_request_get_body(SuitRestRequest *request)
{
	SoupMessageBody *body = soup_server_message_get_request_body(request->msg);
	return soup_message_body_flatten(body);
}

/* json-glib recurses once per nesting level: refuse deep documents before
 * they reach it (strings are skipped, so brackets in them do not count) */
static gboolean
suit_rest_json_depth_ok(const gchar *data, gsize size, guint max_depth)
{
	guint depth = 0;
	gboolean in_string = FALSE;
	gboolean closed = FALSE;

	for (gsize i = 0; i < size; i++) {
		gchar c = data[i];
		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = FALSE;
			continue;
		}
		/* json-glib 1.6 takes "{} {}" as one document and leaks the first */
		if (closed && !g_ascii_isspace(c))
			return FALSE;
		if (c == '"') {
			in_string = TRUE;
		} else if (c == '[' || c == '{') {
			if (++depth > max_depth)
				return FALSE;
		} else if ((c == ']' || c == '}') && depth > 0) {
			if (--depth == 0)
				closed = TRUE;
		}
	}
	return TRUE;
}

JsonObject *
suit_rest_request_parse_object(SuitRestRequest *request, JsonNode **root, GError **error)
{
	g_autoptr(GBytes) body = suit_rest_request_get_body(request);
	g_autoptr(JsonParser) parser = json_parser_new_immutable();
	g_autoptr(GError) error_local = NULL;
	const gchar *data;
	gsize size = 0;
	JsonNode *node;

	data = g_bytes_get_data(body, &size);
	if (size == 0) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_ARGUMENT,
				    "the request body must be a JSON object");
		return NULL;
	}
	if (!g_utf8_validate_len(data, size, NULL)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_ARGUMENT,
				    "the request body is not valid UTF-8");
		return NULL;
	}
	if (!suit_rest_json_depth_ok(data, size, SUIT_REST_MAX_JSON_DEPTH)) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "the request body is nested more than %d levels deep, or has more than one value",
			    SUIT_REST_MAX_JSON_DEPTH);
		return NULL;
	}
	if (!json_parser_load_from_data(parser, data, (gssize)size, &error_local)) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "the request body is not valid JSON: %s",
			    error_local->message);
		return NULL;
	}
	node = json_parser_get_root(parser);
	if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_ARGUMENT,
				    "the request body must be a JSON object");
		return NULL;
	}
	*root = json_node_ref(node);
	return json_node_get_object(node);
}

gchar *
suit_rest_request_dup_json_body(SuitRestRequest *request, GError **error)
{
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GBytes) body = NULL;
	gsize size = 0;
	const gchar *data;

	if (suit_rest_request_parse_object(request, &root, error) == NULL)
		return NULL;
	body = suit_rest_request_get_body(request);
	data = g_bytes_get_data(body, &size);
	return g_strndup(data, size);
}

/* libsoup 3.2 drops the Content-Length of a 204 as it writes the headers
 * (RFC 9110 §8.6), and then takes the answer for one that ends with the
 * connection, which it closes: say that there is no body */
static void
suit_rest_server_wrote_bodiless_headers_cb(SoupServerMessage *msg, gpointer user_data)
{
	soup_message_headers_set_encoding(soup_server_message_get_response_headers(msg),
					  SOUP_ENCODING_NONE);
}

void
suit_rest_request_take_json(SuitRestRequest *request, guint status, gchar *json)
{
	gsize length;

	soup_server_message_set_status(request->msg, status, NULL);
	if (json == NULL) {
		soup_server_message_set_response(request->msg, NULL, SOUP_MEMORY_STATIC, NULL, 0);
		g_signal_connect(request->msg,
				 "wrote-headers",
				 G_CALLBACK(suit_rest_server_wrote_bodiless_headers_cb),
				 NULL);
		return;
	}
	length = strlen(json);
	soup_server_message_set_response(request->msg, "application/json", SOUP_MEMORY_TAKE, json, length);
	soup_message_headers_set_content_length(soup_server_message_get_response_headers(request->msg),
						length);
}

gboolean
suit_rest_request_reply_json(SuitRestRequest *request, gchar *json)
{
	if (json == NULL)
		return FALSE;
	suit_rest_request_take_json(request, SOUP_STATUS_OK, json);
	return TRUE;
}

void
suit_rest_request_set_body(SuitRestRequest *request,
			   guint status,
			   const gchar *content_type,
			   GBytes *body)
{
	SoupMessageHeaders *headers = soup_server_message_get_response_headers(request->msg);
	SoupMessageBody *response = soup_server_message_get_response_body(request->msg);

	soup_server_message_set_status(request->msg, status, NULL);
	soup_message_headers_set_content_type(headers, content_type, NULL);
	soup_message_body_truncate(response);
	soup_message_body_append_bytes(response, body);
	soup_message_headers_set_content_length(headers, g_bytes_get_size(body));
}

void
suit_rest_request_set_location(SuitRestRequest *request, const gchar *format, ...)
{
	SoupMessageHeaders *headers = soup_server_message_get_response_headers(request->msg);
	g_autofree gchar *location = NULL;
	va_list args;

	va_start(args, format);
	location = g_strdup_vprintf(format, args);
	va_end(args);
	soup_message_headers_replace(headers, "Location", location);
}

void
suit_rest_request_set_problem(SuitRestRequest *request,
			      guint status,
			      const gchar *error_id,
			      const gchar *detail)
{
	SoupMessageHeaders *headers = soup_server_message_get_response_headers(request->msg);
	SoupMessageBody *body = soup_server_message_get_response_body(request->msg);
	g_autoptr(JsonGenerator) generator = json_generator_new();
	g_autoptr(JsonNode) root = json_node_new(JSON_NODE_OBJECT);
	g_autofree gchar *type = g_strdup_printf("https://libsuit.org/problems/%s", error_id);
	JsonObject *object = json_object_new();
	gchar *text;
	gsize length = 0;

	json_object_set_string_member(object, "type", type);
	json_object_set_string_member(object, "title", error_id);
	json_object_set_int_member(object, "status", status);
	json_object_set_string_member(object, "detail", detail != NULL ? detail : error_id);
	json_node_take_object(root, object);
	json_generator_set_root(generator, root);
	text = json_generator_to_data(generator, &length);

	/* a problem replaces whatever the route had set up */
	soup_message_headers_remove(headers, "Content-Range");
	soup_message_headers_remove(headers, "Location");
	soup_message_headers_remove(headers, "ETag");
	soup_message_headers_remove(headers, "Last-Modified");
	soup_message_headers_remove(headers, "Cache-Control");
	soup_message_body_set_accumulate(body, TRUE);
	soup_server_message_set_status(request->msg, status, NULL);
	soup_server_message_set_response(request->msg,
					 "application/problem+json",
					 SOUP_MEMORY_TAKE,
					 text,
					 length);
	soup_message_headers_set_content_length(headers, length);
	if (status == SOUP_STATUS_UNAUTHORIZED)
		soup_message_headers_replace(headers, "WWW-Authenticate", "Bearer");
}

guint
suit_rest_error_to_status(const GError *error)
{
	if (error->domain == G_IO_ERROR && error->code == G_IO_ERROR_NO_SPACE)
		return SOUP_STATUS_INSUFFICIENT_STORAGE;
	if (error->domain != SUIT_ERROR)
		return SOUP_STATUS_INTERNAL_SERVER_ERROR;
	switch (error->code) {
	case SUIT_ERROR_INVALID_ARGUMENT:
	case SUIT_ERROR_INVALID_DATA:
	case SUIT_ERROR_INVALID_CBOR:
		return SOUP_STATUS_BAD_REQUEST;
	case SUIT_ERROR_PERMISSION_DENIED:
		return SOUP_STATUS_FORBIDDEN;
	case SUIT_ERROR_NOT_FOUND:
		return SOUP_STATUS_NOT_FOUND;
	case SUIT_ERROR_CONFLICT:
		return SOUP_STATUS_CONFLICT;
	case SUIT_ERROR_LIMIT_EXCEEDED:
		return SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE;
	case SUIT_ERROR_WRITE_FAILED:
		return SOUP_STATUS_INSUFFICIENT_STORAGE;
	case SUIT_ERROR_INTERNAL:
		return SOUP_STATUS_INTERNAL_SERVER_ERROR;
	default:
		/* signature-invalid, no-authentication and the other rejections */
		return 422;
	}
}

void
suit_rest_request_set_problem_error(SuitRestRequest *request, const GError *error)
{
	guint status = suit_rest_error_to_status(error);
	const gchar *error_id;

	if (error->domain == SUIT_ERROR)
		error_id = suit_error_get_id(error);
	else if (status == SOUP_STATUS_INSUFFICIENT_STORAGE)
		error_id = "write-failed";
	else
		error_id = "internal";
	if (status >= 500)
		g_warning("%s %s: %s", soup_server_message_get_method(request->msg), request->path, error->message);
	suit_rest_request_set_problem(request, status, error_id, error->message);
}

/* routing */

static gboolean
suit_rest_server_is_sha256_hex(const gchar *text)
{
	if (strlen(text) != 64)
		return FALSE;
	for (guint i = 0; text[i] != '\0'; i++) {
		if (!g_ascii_isxdigit(text[i]))
			return FALSE;
	}
	return TRUE;
}

/* device, campaign and token ids: 1..128 of [A-Za-z0-9._:-], not starting with '.' */
static gboolean
suit_rest_server_is_safe_id(const gchar *text)
{
	gsize length = strlen(text);

	if (length == 0 || length > 128 || text[0] == '.')
		return FALSE;
	for (gsize i = 0; i < length; i++) {
		gchar c = text[i];
		if (!g_ascii_isalnum(c) && c != '.' && c != '_' && c != ':' && c != '-')
			return FALSE;
	}
	return TRUE;
}

/* matches @request->path; on success sets route and params, else sets the
 * problem: 404, 405 (with Allow) or 400 for a malformed id */
static gboolean
suit_rest_server_route(SuitRestServer *self, SuitRestRequest *request)
{
	const gchar *method = soup_server_message_get_method(request->msg);
	g_auto(GStrv) segments = NULL;
	g_autoptr(GString) allow = g_string_new(NULL);
	guint n_segments;

	if (request->path[0] != '/') {
		suit_rest_request_set_problem(request, SOUP_STATUS_NOT_FOUND, "not-found", "no such route");
		return FALSE;
	}
	segments = g_strsplit(request->path + 1, "/", -1);
	n_segments = g_strv_length(segments);
	for (guint i = 0; i < SUIT_REST_N_ROUTES; i++) {
		gchar **pattern = suit_rest_route_segments[i];
		gboolean matches = g_strv_length(pattern) == n_segments;

		for (guint j = 0; matches && j < n_segments; j++) {
			if (pattern[j][0] == '{' ? segments[j][0] == '\0'
						 : g_strcmp0(pattern[j], segments[j]) != 0)
				matches = FALSE;
		}
		if (!matches)
			continue;
		if (g_strcmp0(method, suit_rest_routes[i].method) != 0) {
			if (strstr(allow->str, suit_rest_routes[i].method) == NULL) {
				if (allow->len > 0)
					g_string_append(allow, ", ");
				g_string_append(allow, suit_rest_routes[i].method);
			}
			continue;
		}

		/* the parameters: decoded, then checked */
		request->route = &suit_rest_routes[i];
		request->route_index = i;
		request->params = g_ptr_array_new_with_free_func(g_free);
		for (guint j = 0; j < n_segments; j++) {
			g_autofree gchar *value = NULL;
			gboolean valid;

			if (pattern[j][0] != '{')
				continue;
			value = g_uri_unescape_string(segments[j], "/");
			if (value == NULL || !g_utf8_validate(value, -1, NULL)) {
				valid = FALSE;
			} else if (g_strcmp0(pattern[j], "{digest}") == 0 ||
				   g_strcmp0(pattern[j], "{manifest}") == 0) {
				valid = suit_rest_server_is_sha256_hex(value);
				if (valid) {
					g_autofree gchar *lower = g_ascii_strdown(value, -1);
					g_free(g_steal_pointer(&value));
					value = g_steal_pointer(&lower);
				}
			} else {
				valid = suit_rest_server_is_safe_id(value);
			}
			if (!valid) {
				g_autofree gchar *name = g_strndup(pattern[j] + 1, strlen(pattern[j]) - 2);
				g_autofree gchar *detail = g_strdup_printf(
				    "invalid %s id in the path: %s",
				    name,
				    g_str_equal(name, "digest") || g_str_equal(name, "manifest")
					? "expected 64 hexadecimal digits"
					: "expected 1 to 128 of A-Z a-z 0-9 . _ : - not starting with a dot");
				request->params = (g_ptr_array_unref(request->params), NULL);
				suit_rest_request_set_problem(request,
							      SOUP_STATUS_BAD_REQUEST,
							      "invalid-argument",
							      detail);
				return FALSE;
			}
			g_ptr_array_add(request->params, g_steal_pointer(&value));
		}
		return TRUE;
	}

	if (allow->len > 0) {
		SoupMessageHeaders *headers = soup_server_message_get_response_headers(request->msg);
		g_autofree gchar *detail = g_strdup_printf("method %s is not allowed here; allowed: %s",
							   method,
							   allow->str);
		suit_rest_request_set_problem(request,
					      SOUP_STATUS_METHOD_NOT_ALLOWED,
					      "not-supported",
					      detail);
		soup_message_headers_replace(headers, "Allow", allow->str);
		return FALSE;
	}
	suit_rest_request_set_problem(request, SOUP_STATUS_NOT_FOUND, "not-found", "no such route");
	return FALSE;
}

/* authentication */

gchar *
suit_rest_dup_bearer(const gchar *value)
{
	g_autofree gchar *token = NULL;

	if (value == NULL)
		return NULL;
	while (*value == ' ' || *value == '\t')
		value++;
	if (g_ascii_strncasecmp(value, "Bearer", 6) != 0 || (value[6] != ' ' && value[6] != '\t'))
		return NULL;
	token = g_strstrip(g_strdup(value + 7));
	if (token[0] == '\0' || strlen(token) > 1024)
		return NULL;
	return g_steal_pointer(&token);
}

/* the token of the request's `Authorization: Bearer` header, or NULL */
static gchar *
suit_rest_request_dup_bearer(SuitRestRequest *request)
{
	SoupMessageHeaders *headers = soup_server_message_get_request_headers(request->msg);
	return suit_rest_dup_bearer(soup_message_headers_get_one(headers, "Authorization"));
}

/* a member of a JSON object text, or the text itself when it is no object */
static gchar *
suit_rest_server_dup_identity(gchar *result, const gchar *member)
{
	g_autofree gchar *text = result;
	g_autoptr(JsonParser) parser = NULL;
	JsonNode *root;
	JsonObject *object;

	if (text == NULL)
		return NULL;
	if (text[0] != '{')
		return g_strdup(g_strstrip(text));
	parser = json_parser_new_immutable();
	if (!json_parser_load_from_data(parser, text, -1, NULL))
		return NULL;
	root = json_parser_get_root(parser);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root))
		return NULL;
	object = json_node_get_object(root);
	if (!json_object_has_member(object, member))
		return NULL;
	return g_strdup(json_object_get_string_member_with_default(object, member, NULL));
}

/* TRUE for the errors that only mean "not this kind of token" */
static gboolean
suit_rest_server_is_unknown_token(const GError *error)
{
	return g_error_matches(error, SUIT_ERROR, SUIT_ERROR_PERMISSION_DENIED) ||
	       g_error_matches(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND) ||
	       g_error_matches(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
}

static gboolean
suit_rest_server_is_loopback(SuitRestRequest *request)
{
	GSocketAddress *address = soup_server_message_get_remote_address(request->msg);

	if (address == NULL || !G_IS_INET_SOCKET_ADDRESS(address))
		return FALSE;
	return g_inet_address_get_is_loopback(
	    g_inet_socket_address_get_address(G_INET_SOCKET_ADDRESS(address)));
}

/* sets the problem and returns FALSE when the caller may not use the route */
static gboolean
suit_rest_server_authenticate(SuitRestServer *self, SuitRestRequest *request)
{
	SuitRestAuth auth = request->route->auth;
	g_autofree gchar *token = NULL;
	g_autofree gchar *role = NULL;
	g_autofree gchar *device_id = NULL;
	g_autoptr(GError) error_operator = NULL;
	g_autoptr(GError) error_device = NULL;

	if (auth == SUIT_REST_AUTH_NONE)
		return TRUE;
	if (auth == SUIT_REST_AUTH_LOOPBACK) {
		if (suit_rest_server_is_loopback(request))
			return TRUE;
		auth = SUIT_REST_AUTH_VIEWER;
	}
	token = suit_rest_request_dup_bearer(request);
	if (token == NULL) {
		suit_rest_request_set_problem(request,
					      SOUP_STATUS_UNAUTHORIZED,
					      "permission-denied",
					      "an Authorization: Bearer token is required");
		return FALSE;
	}

	if (auth == SUIT_REST_AUTH_DEVICE) {
		device_id = suit_rest_server_dup_identity(
		    suit_status_tracker_authenticate_device(self->tracker, token, &error_device),
		    "id");
		if (device_id != NULL) {
			request->role = g_strdup("device");
			request->device_id = g_steal_pointer(&device_id);
			return TRUE;
		}
		if (error_device != NULL && !suit_rest_server_is_unknown_token(error_device)) {
			suit_rest_request_set_problem_error(request, error_device);
			return FALSE;
		}
		role = suit_rest_server_dup_identity(
		    suit_status_tracker_authenticate_operator(self->tracker, token, &error_operator),
		    "role");
		if (role != NULL) {
			suit_rest_request_set_problem(request,
						      SOUP_STATUS_FORBIDDEN,
						      "permission-denied",
						      "the device API needs a device token");
			return FALSE;
		}
		suit_rest_request_set_problem(request,
					      SOUP_STATUS_UNAUTHORIZED,
					      "permission-denied",
					      "unknown or revoked token");
		return FALSE;
	}

	role = suit_rest_server_dup_identity(
	    suit_status_tracker_authenticate_operator(self->tracker, token, &error_operator),
	    "role");
	if (role == NULL) {
		if (error_operator != NULL && !suit_rest_server_is_unknown_token(error_operator)) {
			suit_rest_request_set_problem_error(request, error_operator);
			return FALSE;
		}
		device_id = suit_rest_server_dup_identity(
		    suit_status_tracker_authenticate_device(self->tracker, token, &error_device),
		    "id");
		if (device_id != NULL) {
			suit_rest_request_set_problem(request,
						      SOUP_STATUS_FORBIDDEN,
						      "permission-denied",
						      "device tokens cannot use the operator API");
			return FALSE;
		}
		suit_rest_request_set_problem(request,
					      SOUP_STATUS_UNAUTHORIZED,
					      "permission-denied",
					      "unknown or revoked token");
		return FALSE;
	}
	if ((auth == SUIT_REST_AUTH_OPERATOR &&
	     !(g_str_equal(role, "admin") || g_str_equal(role, "operator"))) ||
	    (auth == SUIT_REST_AUTH_ADMIN && !g_str_equal(role, "admin"))) {
		g_autofree gchar *detail =
		    g_strdup_printf("the %s role may not %s %s",
				    role,
				    soup_server_message_get_method(request->msg),
				    request->route->pattern);
		suit_rest_request_set_problem(request, SOUP_STATUS_FORBIDDEN, "permission-denied", detail);
		return FALSE;
	}
	request->role = g_steal_pointer(&role);
	return TRUE;
}

/* request bodies */

static guint64
suit_rest_server_body_limit(SuitRestServer *self, SuitRestBody body)
{
	switch (body) {
	case SUIT_REST_BODY_JSON:
		return SUIT_REST_MAX_JSON_SIZE;
	case SUIT_REST_BODY_ENVELOPE:
		return SUIT_REST_MAX_ENVELOPE_SIZE;
	case SUIT_REST_BODY_REPORT:
		return SUIT_REST_MAX_REPORT_SIZE;
	case SUIT_REST_BODY_STREAM:
		return self->max_payload_size;
	case SUIT_REST_BODY_NONE:
	default:
		return SUIT_REST_MAX_IGNORED_SIZE;
	}
}

static void
suit_rest_request_discard_upload(SuitRestRequest *request)
{
	if (request->upload_fd >= 0) {
		close(request->upload_fd);
		request->upload_fd = -1;
	}
	if (request->upload_path != NULL) {
		(void)g_unlink(request->upload_path);
		g_clear_pointer(&request->upload_path, g_free);
	}
	g_clear_pointer(&request->upload_buffer, g_free);
	request->upload_buffered = 0;
}

/* stops keeping the body: what is left of it is read and dropped */
static void
suit_rest_request_reject_body(SuitRestRequest *request)
{
	SoupMessageBody *body = soup_server_message_get_request_body(request->msg);

	request->body_rejected = TRUE;
	soup_message_body_set_accumulate(body, FALSE);
	soup_message_body_truncate(body);
	suit_rest_request_discard_upload(request);
}

static gboolean
suit_rest_request_flush_upload(SuitRestRequest *request, GError **error)
{
	gsize done = 0;

	while (done < request->upload_buffered) {
		gssize wrote = write(request->upload_fd,
				     request->upload_buffer + done,
				     request->upload_buffered - done);
		if (wrote < 0) {
			gint errsv = errno;
			if (errsv == EINTR)
				continue;
			g_set_error(error,
				    errsv == ENOSPC || errsv == EDQUOT ? SUIT_ERROR : G_IO_ERROR,
				    errsv == ENOSPC || errsv == EDQUOT ? SUIT_ERROR_WRITE_FAILED
								       : g_io_error_from_errno(errsv),
				    "failed to write the upload: %s",
				    g_strerror(errsv));
			return FALSE;
		}
		done += (gsize)wrote;
	}
	request->upload_buffered = 0;
	return TRUE;
}

static void
suit_rest_server_got_chunk_cb(SoupServerMessage *msg, GBytes *chunk, gpointer user_data)
{
	SuitRestRequest *request = user_data;
	SuitRestServer *self = request->server;
	gsize size = 0;
	const guint8 *data = g_bytes_get_data(chunk, &size);

	request->body_size += size;
	if (request->body_rejected) {
		/* libsoup answers only after the whole body: drain a refused one,
		 * but not forever */
		if (request->body_size > SUIT_REST_MAX_DISCARD) {
			GSocket *socket = suit_rest_worker_get_socket(request->worker, msg);
			if (socket != NULL)
				suit_rest_server_reset_connection(socket);
		}
		return;
	}
	if (request->body_size > suit_rest_server_body_limit(self, request->route->body)) {
		g_autofree gchar *detail =
		    g_strdup_printf("the request body is larger than %" G_GUINT64_FORMAT " bytes",
				    suit_rest_server_body_limit(self, request->route->body));
		suit_rest_request_reject_body(request);
		suit_rest_request_set_problem(request,
					      SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
					      "limit-exceeded",
					      detail);
		return;
	}
	if (request->route->body == SUIT_REST_BODY_NONE) {
		/* nobody reads it: do not keep it */
		soup_message_body_truncate(soup_server_message_get_request_body(msg));
		return;
	}
	if (request->upload_fd < 0)
		return;
	while (size > 0) {
		gsize n = MIN(size, SUIT_REST_UPLOAD_BUFFER - request->upload_buffered);
		memcpy(request->upload_buffer + request->upload_buffered, data, n);
		request->upload_buffered += n;
		data += n;
		size -= n;
		if (request->upload_buffered == SUIT_REST_UPLOAD_BUFFER) {
			g_autoptr(GError) error = NULL;
			if (!suit_rest_request_flush_upload(request, &error)) {
				suit_rest_request_reject_body(request);
				suit_rest_request_set_problem_error(request, error);
				return;
			}
		}
	}
}

/* completes the temporary file of a streamed upload; sets a problem on failure */
void
suit_rest_server_finish_upload(SuitRestServer *self, SuitRestRequest *request)
{
	g_autoptr(GError) error = NULL;

	if (!suit_rest_request_flush_upload(request, &error)) {
		suit_rest_request_reject_body(request);
		suit_rest_request_set_problem_error(request, error);
		return;
	}
	if (close(request->upload_fd) != 0) {
		gint errsv = errno;
		request->upload_fd = -1;
		g_set_error(&error,
			    SUIT_ERROR,
			    SUIT_ERROR_WRITE_FAILED,
			    "failed to write the upload: %s",
			    g_strerror(errsv));
		suit_rest_request_reject_body(request);
		suit_rest_request_set_problem_error(request, error);
		return;
	}
	request->upload_fd = -1;
	g_clear_pointer(&request->upload_buffer, g_free);
}

static gboolean
suit_rest_server_open_upload(SuitRestServer *self, SuitRestRequest *request, GError **error)
{
	g_autofree gchar *path = g_build_filename(self->upload_directory, "upload-XXXXXX", NULL);
	gint fd = g_mkstemp_full(path, O_WRONLY | O_CLOEXEC, 0600);

	if (fd < 0) {
		gint errsv = errno;
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_WRITE_FAILED,
			    "failed to create a temporary file in %s: %s",
			    self->upload_directory,
			    g_strerror(errsv));
		return FALSE;
	}
	request->upload_fd = fd;
	request->upload_path = g_steal_pointer(&path);
	request->upload_buffer = g_malloc(SUIT_REST_UPLOAD_BUFFER);
	return TRUE;
}

/* the soup callbacks, in a worker thread */

static void
suit_rest_server_early_cb(SoupServer *soup,
			  SoupServerMessage *msg,
			  const char *path,
			  GHashTable *query,
			  gpointer user_data)
{
	SuitRestWorker *worker = user_data;
	SuitRestServer *self = worker->server;
	SoupMessageHeaders *headers = soup_server_message_get_request_headers(msg);
	SuitRestRequest *request = g_new0(SuitRestRequest, 1);
	SoupEncoding encoding;
	guint64 limit;

	suit_rest_worker_set_waiting(worker, msg, FALSE);
	request->server = self;
	request->worker = worker;
	request->msg = msg;
	request->started = g_get_monotonic_time();
	request->upload_fd = -1;
	request->route_index = SUIT_REST_ROUTE_UNMATCHED;
	request->path = g_strdup(path);
	request->query = query != NULL ? g_hash_table_ref(query) : NULL;
	request->counted = TRUE;
	suit_rest_server_request_begin(self);
	g_object_set_qdata_full(G_OBJECT(msg),
				suit_rest_request_quark(),
				request,
				(GDestroyNotify)suit_rest_request_free);
	if (worker->fast != NULL)
		g_signal_connect(msg, "wrote-body", G_CALLBACK(suit_rest_server_wrote_body_cb), worker);
	encoding = soup_message_headers_get_encoding(headers);
	if (!suit_rest_server_route(self, request) || !suit_rest_server_authenticate(self, request)) {
		/* a refused body is watched, to bound the draining */
		if (encoding != SOUP_ENCODING_NONE)
			g_signal_connect(msg,
					 "got-chunk",
					 G_CALLBACK(suit_rest_server_got_chunk_cb),
					 request);
		suit_rest_request_reject_body(request);
		return;
	}
	/* refuse what is too large before reading a byte of it */
	limit = suit_rest_server_body_limit(self, request->route->body);
	if (encoding == SOUP_ENCODING_CONTENT_LENGTH &&
	    (guint64)soup_message_headers_get_content_length(headers) > limit) {
		g_autofree gchar *detail =
		    g_strdup_printf("the request body is larger than %" G_GUINT64_FORMAT " bytes",
				    limit);
		g_signal_connect(msg, "got-chunk", G_CALLBACK(suit_rest_server_got_chunk_cb), request);
		suit_rest_request_reject_body(request);
		suit_rest_request_set_problem(request,
					      SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE,
					      "limit-exceeded",
					      detail);
		return;
	}
	/* every other body is watched for its limit, but one of a known size
	 * within the limit, which libsoup reads exactly into memory (the hot
	 * check-ins: no closure to make then); a GET has none */
	if (encoding != SOUP_ENCODING_NONE &&
	    !(encoding == SOUP_ENCODING_CONTENT_LENGTH &&
	      (request->route->body == SUIT_REST_BODY_JSON ||
	       request->route->body == SUIT_REST_BODY_ENVELOPE ||
	       request->route->body == SUIT_REST_BODY_REPORT)))
		g_signal_connect(msg, "got-chunk", G_CALLBACK(suit_rest_server_got_chunk_cb), request);
	if (request->route->body == SUIT_REST_BODY_STREAM) {
		g_autoptr(GError) error = NULL;
		soup_message_body_set_accumulate(soup_server_message_get_request_body(msg), FALSE);
		if (!suit_rest_server_open_upload(self, request, &error)) {
			suit_rest_request_reject_body(request);
			suit_rest_request_set_problem_error(request, error);
			return;
		}
	}
}

static void
suit_rest_server_handler_cb(SoupServer *soup,
			    SoupServerMessage *msg,
			    const char *path,
			    GHashTable *query,
			    gpointer user_data)
{
	SuitRestWorker *worker = user_data;
	SuitRestServer *self = worker->server;
	SuitRestRequest *request = suit_rest_request_from_message(msg);
	g_autoptr(GError) error = NULL;

	if (request == NULL || request->route == NULL) {
		/* not seen by the early handler: cannot happen */
		soup_server_message_set_status(msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
		return;
	}
	if (request->route->body == SUIT_REST_BODY_STREAM) {
		suit_rest_server_finish_upload(self, request);
		if (soup_server_message_get_status(msg) != 0)
			return;
	}
	if (!request->route->handler(self, request, &error))
		suit_rest_request_set_problem_error(request, error);
}

/* one line of the request log: time, method, path, status, body bytes, duration */
static void
suit_rest_server_log_line(const gchar *method,
			  const gchar *path,
			  guint status,
			  gint64 bytes,
			  gdouble ms)
{
	g_autoptr(GDateTime) dt = g_date_time_new_now_utc();
	g_autofree gchar *stamp = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%S");
	/* no control characters in the log, and no query (it may carry secrets) */
	g_autofree gchar *path_escaped = g_strescape(path != NULL ? path : "-", NULL);
	g_autofree gchar *line = g_strdup_printf("%s.%03dZ %s %s %u %" G_GINT64_FORMAT " %.3fms\n",
						 stamp,
						 g_date_time_get_microsecond(dt) / 1000,
						 method != NULL ? method : "-",
						 path_escaped,
						 status,
						 bytes,
						 ms);

	/* one write() per line, so the threads' lines do not mix */
	if (write(STDERR_FILENO, line, strlen(line)) < 0) {
		/* nowhere to report it */
	}
}

static void
suit_rest_server_log(SuitRestServer *self,
		     SoupServerMessage *msg,
		     SuitRestRequest *request,
		     guint status,
		     gint64 now)
{
	SoupMessageHeaders *headers = soup_server_message_get_response_headers(msg);
	const gchar *method = soup_server_message_get_method(msg);
	goffset bytes = 0;
	const gchar *path = request != NULL ? request->path : NULL;
	gdouble ms = request != NULL ? (now - request->started) / 1000.0 : 0.0;

	if (path == NULL) {
		GUri *uri = soup_server_message_get_uri(msg);
		path = uri != NULL ? g_uri_get_path(uri) : "-";
	}
	if (g_strcmp0(method, "HEAD") != 0 && status != SOUP_STATUS_NO_CONTENT && status != 499 &&
	    status != SOUP_STATUS_NOT_MODIFIED &&
	    soup_message_headers_get_encoding(headers) == SOUP_ENCODING_CONTENT_LENGTH)
		bytes = soup_message_headers_get_content_length(headers);
	suit_rest_server_log_line(method, path, status, (gint64)bytes, ms);
}

static void
suit_rest_server_count(SuitRestServer *self, guint route_index, guint status, gint64 us)
{
	SuitRestRouteMetrics *metrics = &self->metrics[route_index];
	guint bucket = SUIT_REST_N_BUCKETS;

	us = MAX(us, 0);
	for (guint i = 0; i < SUIT_REST_N_BUCKETS; i++) {
		if (us <= suit_rest_buckets[i] * 1e6) {
			bucket = i;
			break;
		}
	}
	if (status < G_N_ELEMENTS(metrics->status))
		__atomic_fetch_add(&metrics->status[status], 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&metrics->buckets[bucket], 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&metrics->count, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&metrics->sum_us, (guint64)us, __ATOMIC_RELAXED);
}

guint
suit_rest_server_route_index(const gchar *method, const gchar *pattern)
{
	for (guint i = 0; i < SUIT_REST_N_ROUTES; i++) {
		if (g_str_equal(suit_rest_routes[i].method, method) &&
		    g_str_equal(suit_rest_routes[i].pattern, pattern))
			return i;
	}
	return SUIT_REST_ROUTE_UNMATCHED;
}

void
suit_rest_server_request_begin(SuitRestServer *self)
{
	g_atomic_int_inc(&self->in_flight);
}

void
suit_rest_server_request_end(SuitRestServer *self)
{
	(void)g_atomic_int_dec_and_test(&self->in_flight);
}

void
suit_rest_server_record(SuitRestServer *self,
			guint route_index,
			const gchar *method,
			const gchar *path,
			guint status,
			gint64 bytes,
			gint64 started)
{
	gint64 now = g_get_monotonic_time();

	if (self->request_log)
		suit_rest_server_log_line(method, path, status, bytes, (now - started) / 1000.0);
	suit_rest_server_count(self, route_index, status, now - started);
}

static void
suit_rest_server_request_done(SuitRestServer *self, SoupServerMessage *msg, gboolean aborted);

/* whether libsoup would wait for another request on the connection of @msg */
static gboolean
suit_rest_server_keeps_alive(SoupServerMessage *msg)
{
	SoupMessageHeaders *request = soup_server_message_get_request_headers(msg);
	SoupMessageHeaders *response = soup_server_message_get_response_headers(msg);

	return soup_server_message_get_http_version(msg) == SOUP_HTTP_1_1 &&
	       !soup_message_headers_header_contains(request, "Connection", "close") &&
	       !soup_message_headers_header_contains(response, "Connection", "close") &&
	       soup_message_headers_get_encoding(response) != SOUP_ENCODING_EOF;
}

/* the whole answer is written: a connection the fast path handed over goes
 * back to it (counted and logged here: libsoup does not finish a message
 * whose connection is taken) */
static void
suit_rest_server_wrote_body_cb(SoupServerMessage *msg, gpointer user_data)
{
	SuitRestWorker *worker = user_data;
	SuitRestRequest *request = suit_rest_request_from_message(msg);

	if (worker->fast == NULL || request == NULL || request->finished ||
	    !suit_rest_server_keeps_alive(msg))
		return;
	if (suit_rest_worker_get_socket(worker, msg) == NULL)
		return;
	suit_rest_worker_set_waiting(worker, msg, FALSE);
	g_object_ref(msg);
	suit_rest_server_request_done(worker->server, msg, FALSE);
	if (!suit_rest_fast_take_back(worker->fast, msg))
		g_debug("libsoup keeps a connection the fast path handed over");
	g_object_unref(msg);
}

/* a request is done: answered, or given up (@aborted) */
static void
suit_rest_server_request_done(SuitRestServer *self, SoupServerMessage *msg, gboolean aborted)
{
	SuitRestRequest *request = suit_rest_request_from_message(msg);
	gint64 now = g_get_monotonic_time();
	guint status = soup_server_message_get_status(msg);

	if (request != NULL && request->finished)
		return;
	/* libsoup also calls our own 500 answers aborted; the ones it gave up
	 * itself (connection lost, malformed body) carry its error as reason:
	 * those are logged as nginx does, 499 */
	if (aborted && !(status == SOUP_STATUS_INTERNAL_SERVER_ERROR &&
			 g_strcmp0(soup_server_message_get_reason_phrase(msg), "Internal Server Error") == 0))
		status = 499;
	if (self->request_log && soup_server_message_get_method(msg) != NULL)
		suit_rest_server_log(self, msg, request, status, now);
	if (request == NULL)
		return;
	request->finished = TRUE;

	suit_rest_server_count(self, request->route_index, status, now - request->started);
	if (request->counted) {
		request->counted = FALSE;
		suit_rest_server_request_end(self);
	}
}

/* libsoup 3.2 has no timeouts: a connection idle before or between requests
 * (or sending its headers slowly) is reset after the header timeout, so idle
 * clients cannot hold every file descriptor */
static void
suit_rest_server_request_started_cb(SoupServer *soup, SoupServerMessage *msg, gpointer user_data)
{
	SuitRestWorker *worker = user_data;
	suit_rest_worker_set_waiting(worker, msg, TRUE);
}

static void
suit_rest_server_reset_connection(GSocket *socket)
{
	struct linger linger = {.l_onoff = 1, .l_linger = 0};
	gint fd = g_socket_get_fd(socket);

	/* libsoup sees the end of the input and closes; linger 0 makes that a reset */
	(void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, sizeof(linger));
	(void)shutdown(fd, SHUT_RDWR);
}

static gboolean
suit_rest_server_sweep_cb(gpointer user_data)
{
	SuitRestWorker *worker = user_data;
	gsize now = (gsize)(g_get_monotonic_time() / G_USEC_PER_SEC);
	GHashTableIter iter;
	gpointer key;
	gpointer value;

	if (worker->fast != NULL)
		suit_rest_fast_sweep(worker->fast, (gint64)now, worker->server->header_timeout);
	/* libsoup 3.2 gives up a connection that ends while it waits for a next
	 * request without closing it (fixed in 3.3): what the last sweep reset
	 * and libsoup left open is closed now, libsoup being done with it */
	for (guint i = 0; i < worker->reset->len; i++) {
		GSocket *socket = g_ptr_array_index(worker->reset, i);
		if (!g_socket_is_closed(socket))
			(void)g_socket_close(socket, NULL);
	}
	g_ptr_array_set_size(worker->reset, 0);
	g_hash_table_iter_init(&iter, worker->waiting);
	while (g_hash_table_iter_next(&iter, &key, &value)) {
		GSocket *socket = G_SOCKET(key);

		if (g_socket_is_closed(socket)) {
			g_hash_table_iter_remove(&iter);
		} else if (now - GPOINTER_TO_SIZE(value) >= worker->server->header_timeout) {
			suit_rest_server_reset_connection(socket);
			g_ptr_array_add(worker->reset, g_object_ref(socket));
			g_hash_table_iter_remove(&iter);
		}
	}
	return G_SOURCE_CONTINUE;
}

static void
suit_rest_server_request_finished_cb(SoupServer *soup, SoupServerMessage *msg, gpointer user_data)
{
	SuitRestWorker *worker = user_data;
	/* kept alive: now it waits for the next request */
	suit_rest_worker_set_waiting(worker, msg, TRUE);
	suit_rest_server_request_done(worker->server, msg, FALSE);
}

static void
suit_rest_server_request_aborted_cb(SoupServer *soup, SoupServerMessage *msg, gpointer user_data)
{
	SuitRestWorker *worker = user_data;
	suit_rest_worker_set_waiting(worker, msg, FALSE);
	suit_rest_server_request_done(worker->server, msg, TRUE);
}

/* metrics */

static void
suit_rest_server_append_label(GString *out, const gchar *value)
{
	for (const gchar *p = value; *p != '\0'; p++) {
		if (*p == '\\' || *p == '"')
			g_string_append_c(out, '\\');
		if (*p == '\n') {
			g_string_append(out, "\\n");
			continue;
		}
		g_string_append_c(out, *p);
	}
}

gchar *
suit_rest_server_dup_metrics(SuitRestServer *self)
{
	GString *out = g_string_new(NULL);

	g_string_append(out,
			"# HELP suit_http_requests_total HTTP requests answered, by route and status.\n"
			"# TYPE suit_http_requests_total counter\n");
	for (guint i = 0; i <= SUIT_REST_N_ROUTES; i++) {
		SuitRestRouteMetrics *metrics = &self->metrics[i];
		const gchar *method = i < SUIT_REST_N_ROUTES ? suit_rest_routes[i].method : "";
		const gchar *pattern = i < SUIT_REST_N_ROUTES ? suit_rest_routes[i].pattern : "unmatched";

		for (guint status = 0; status < G_N_ELEMENTS(metrics->status); status++) {
			guint64 n = __atomic_load_n(&metrics->status[status], __ATOMIC_RELAXED);
			if (n == 0)
				continue;
			g_string_append(out, "suit_http_requests_total{method=\"");
			suit_rest_server_append_label(out, method);
			g_string_append(out, "\",route=\"");
			suit_rest_server_append_label(out, pattern);
			g_string_append_printf(out, "\",status=\"%u\"} %" G_GUINT64_FORMAT "\n", status, n);
		}
	}
	g_string_append(out,
			"# HELP suit_http_request_duration_seconds Time from the request headers to the "
			"end of the response, by route.\n"
			"# TYPE suit_http_request_duration_seconds histogram\n");
	for (guint i = 0; i <= SUIT_REST_N_ROUTES; i++) {
		SuitRestRouteMetrics *metrics = &self->metrics[i];
		const gchar *method = i < SUIT_REST_N_ROUTES ? suit_rest_routes[i].method : "";
		const gchar *pattern = i < SUIT_REST_N_ROUTES ? suit_rest_routes[i].pattern : "unmatched";
		guint64 count = __atomic_load_n(&metrics->count, __ATOMIC_RELAXED);
		guint64 cumulative = 0;
		g_autoptr(GString) labels = g_string_new(NULL);
		gchar number[G_ASCII_DTOSTR_BUF_SIZE];

		if (count == 0)
			continue;
		g_string_append(labels, "method=\"");
		suit_rest_server_append_label(labels, method);
		g_string_append(labels, "\",route=\"");
		suit_rest_server_append_label(labels, pattern);
		g_string_append(labels, "\"");
		for (guint b = 0; b <= SUIT_REST_N_BUCKETS; b++) {
			cumulative += __atomic_load_n(&metrics->buckets[b], __ATOMIC_RELAXED);
			if (b < SUIT_REST_N_BUCKETS)
				g_ascii_dtostr(number, sizeof(number), suit_rest_buckets[b]);
			g_string_append_printf(out,
					       "suit_http_request_duration_seconds_bucket{%s,le=\"%s\"} "
					       "%" G_GUINT64_FORMAT "\n",
					       labels->str,
					       b < SUIT_REST_N_BUCKETS ? number : "+Inf",
					       cumulative);
		}
		g_ascii_dtostr(number,
			       sizeof(number),
			       __atomic_load_n(&metrics->sum_us, __ATOMIC_RELAXED) / 1e6);
		g_string_append_printf(out,
				       "suit_http_request_duration_seconds_sum{%s} %s\n",
				       labels->str,
				       number);
		g_string_append_printf(out,
				       "suit_http_request_duration_seconds_count{%s} %" G_GUINT64_FORMAT
				       "\n",
				       labels->str,
				       count);
	}
	g_string_append_printf(out,
			       "# HELP suit_http_requests_in_flight Requests being answered.\n"
			       "# TYPE suit_http_requests_in_flight gauge\n"
			       "suit_http_requests_in_flight %d\n",
			       g_atomic_int_get(&self->in_flight));
	return g_string_free(out, FALSE);
}

/* payload files */

static void
suit_rest_payload_clear(SuitRestPayload *payload)
{
	g_bytes_unref(payload->bytes);
	g_free(payload->etag);
	g_free(payload->last_modified);
}

SuitRestPayload *
suit_rest_payload_ref(SuitRestPayload *payload)
{
	return g_atomic_rc_box_acquire(payload);
}

void
suit_rest_payload_unref(SuitRestPayload *payload)
{
	g_atomic_rc_box_release_full(payload, (GDestroyNotify)suit_rest_payload_clear);
}

SuitRestPayload *
suit_rest_server_map_payload(SuitRestServer *self, const gchar *digest, GError **error)
{
	SuitRestPayload *payload;
	g_autofree gchar *path = NULL;
	g_autoptr(GMappedFile) file = NULL;
	g_autoptr(GDateTime) modified = NULL;
	guint64 size = 0;
	struct stat st;
	gint fd;

	g_mutex_lock(&self->lock);
	payload = g_hash_table_lookup(self->mapped, digest);
	if (payload != NULL) {
		suit_rest_payload_ref(payload);
		g_mutex_unlock(&self->lock);
		return payload;
	}
	g_mutex_unlock(&self->lock);

	path = suit_firmware_server_get_payload_path(self->firmware_server, digest, &size, error);
	if (path == NULL)
		return NULL;
	fd = g_open(path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0) {
		gint errsv = errno;
		g_set_error(error,
			    SUIT_ERROR,
			    errsv == ENOENT ? SUIT_ERROR_NOT_FOUND : SUIT_ERROR_INTERNAL,
			    "failed to open payload %s: %s",
			    digest,
			    g_strerror(errsv));
		return NULL;
	}
	if (fstat(fd, &st) != 0) {
		gint errsv = errno;
		close(fd);
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INTERNAL,
			    "failed to stat payload %s: %s",
			    digest,
			    g_strerror(errsv));
		return NULL;
	}
	payload = g_atomic_rc_box_new0(SuitRestPayload);
	if (st.st_size == 0) {
		payload->bytes = g_bytes_new_static("", 0);
	} else {
		/* the pages are the page cache's: no copy per request */
		file = g_mapped_file_new_from_fd(fd, FALSE, error);
		if (file == NULL) {
			close(fd);
			g_atomic_rc_box_release(payload);
			return NULL;
		}
		payload->bytes = g_mapped_file_get_bytes(file);
	}
	close(fd);
	payload->mtime = st.st_mtime;
	payload->etag = g_strdup_printf("\"%s\"", digest);
	modified = g_date_time_new_from_unix_utc(payload->mtime);
	payload->last_modified = soup_date_time_to_string(modified, SOUP_DATE_HTTP);

	g_mutex_lock(&self->lock);
	if (g_hash_table_size(self->mapped) >= SUIT_REST_MAPPED_MAX)
		g_hash_table_remove_all(self->mapped);
	g_hash_table_replace(self->mapped, g_strdup(digest), suit_rest_payload_ref(payload));
	g_mutex_unlock(&self->lock);
	return payload;
}

/* balancing the fast paths' connections */

void
suit_rest_server_add_fast(SuitRestServer *self, SuitRestFast *fast)
{
	g_mutex_lock(&self->fast_lock);
	g_ptr_array_add(self->fasts, fast);
	g_mutex_unlock(&self->fast_lock);
}

void
suit_rest_server_remove_fast(SuitRestServer *self, SuitRestFast *fast)
{
	g_mutex_lock(&self->fast_lock);
	g_ptr_array_remove(self->fasts, fast);
	g_mutex_unlock(&self->fast_lock);
}

/* gives @fd to the worker with the fewest connections when it has fewer
 * than @mine would have with @fd; FALSE when @mine keeps it */
gboolean
suit_rest_server_pass_connection(SuitRestServer *self, SuitRestFast *mine, gint fd)
{
	SuitRestFast *target = NULL;
	/* with @fd */
	gint least = suit_rest_fast_get_load(mine) + 1;

	g_mutex_lock(&self->fast_lock);
	for (guint i = 0; i < self->fasts->len; i++) {
		SuitRestFast *fast = g_ptr_array_index(self->fasts, i);
		gint load = suit_rest_fast_get_load(fast);
		/* another worker with fewer, even once it has @fd */
		if (fast != mine && load + 1 < least) {
			least = load + 1;
			target = fast;
		}
	}
	/* under the lock: the target cannot go away meanwhile */
	if (target != NULL)
		suit_rest_fast_give(target, fd);
	g_mutex_unlock(&self->fast_lock);
	return target != NULL;
}

/* accessors */

SuitStatusTracker *
suit_rest_server_get_tracker(SuitRestServer *self)
{
	return self->tracker;
}

SuitFirmwareServer *
suit_rest_server_get_firmware_server(SuitRestServer *self)
{
	return self->firmware_server;
}

guint64
suit_rest_server_get_max_payload_size(SuitRestServer *self)
{
	return self->max_payload_size;
}

GBytes *
suit_rest_server_get_resource(SuitRestServer *self, const gchar *name)
{
	g_autofree gchar *path = g_strdup_printf("/org/libsuit/suit-server/%s", name);
	return g_resources_lookup_data(path, G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
}

/**
 * suit_rest_server_set_upload_directory:
 * @self: a #SuitRestServer
 * @directory: where uploads are streamed to, on the file system of the
 *   Firmware Server's directory (its `tmp` subdirectory)
 *
 * Sets the directory of the temporary files of payload uploads.
 */
void
suit_rest_server_set_upload_directory(SuitRestServer *self, const gchar *directory)
{
	g_return_if_fail(SUIT_IS_REST_SERVER(self));
	g_free(self->upload_directory);
	self->upload_directory = g_strdup(directory);
}

/**
 * suit_rest_server_set_max_payload_size:
 * @self: a #SuitRestServer
 * @max_payload_size: the largest payload upload in bytes (default 1 GiB)
 *
 * Larger uploads get 413, before their body is read when they say their size.
 */
void
suit_rest_server_set_max_payload_size(SuitRestServer *self, guint64 max_payload_size)
{
	g_return_if_fail(SUIT_IS_REST_SERVER(self));
	self->max_payload_size = max_payload_size;
}

/**
 * suit_rest_server_set_header_timeout:
 * @self: a #SuitRestServer
 * @seconds: how long a connection may wait before or between requests, or
 *   take to send a request's headers (default 60)
 *
 * Connections that take longer are reset, as nginx's client_header_timeout
 * and keepalive_timeout do.
 */
void
suit_rest_server_set_header_timeout(SuitRestServer *self, guint seconds)
{
	g_return_if_fail(SUIT_IS_REST_SERVER(self));
	g_return_if_fail(seconds > 0);
	self->header_timeout = seconds;
}

/**
 * suit_rest_server_set_request_log:
 * @self: a #SuitRestServer
 * @request_log: whether to write one line per request on stderr (default %TRUE)
 *
 * The line holds the time, method, path (without the query), status, body
 * size and duration; never a token.
 */
void
suit_rest_server_set_request_log(SuitRestServer *self, gboolean request_log)
{
	g_return_if_fail(SUIT_IS_REST_SERVER(self));
	self->request_log = request_log;
}

/**
 * suit_rest_server_set_fast_path:
 * @self: a #SuitRestServer
 * @fast_path: whether the hot routes (device check-in, payload downloads)
 *   are answered without libsoup over plain HTTP (default %TRUE)
 *
 * With %FALSE every request goes through libsoup, which answers the same,
 * only slower. HTTPS always goes through libsoup. Call before
 * suit_rest_server_listen().
 */
void
suit_rest_server_set_fast_path(SuitRestServer *self, gboolean fast_path)
{
	g_return_if_fail(SUIT_IS_REST_SERVER(self));
	self->fast_path = fast_path;
}

/**
 * suit_rest_server_set_tls_certificate:
 * @self: a #SuitRestServer
 * @certificate: (nullable): a certificate with its private key, for HTTPS
 *
 * Serve HTTPS instead of HTTP. Call before suit_rest_server_listen().
 */
void
suit_rest_server_set_tls_certificate(SuitRestServer *self, GTlsCertificate *certificate)
{
	g_return_if_fail(SUIT_IS_REST_SERVER(self));
	g_set_object(&self->tls_certificate, certificate);
}

/**
 * suit_rest_server_get_port:
 * @self: a #SuitRestServer
 *
 * Returns: the port listened on, also when port 0 was asked for
 */
guint
suit_rest_server_get_port(SuitRestServer *self)
{
	g_return_val_if_fail(SUIT_IS_REST_SERVER(self), 0);
	return self->port;
}

/**
 * suit_rest_server_dup_base_url:
 * @self: a listening #SuitRestServer
 *
 * Returns: (transfer full): `http://ADDRESS:PORT` or `https://...`
 */
gchar *
suit_rest_server_dup_base_url(SuitRestServer *self)
{
	g_autofree gchar *host = NULL;

	g_return_val_if_fail(SUIT_IS_REST_SERVER(self), NULL);
	g_return_val_if_fail(self->address != NULL, NULL);
	host = g_inet_address_to_string(self->address);
	return g_strdup_printf("%s://%s%s%s:%u",
			       self->tls_certificate != NULL ? "https" : "http",
			       g_inet_address_get_family(self->address) == G_SOCKET_FAMILY_IPV6 ? "["
												 : "",
			       host,
			       g_inet_address_get_family(self->address) == G_SOCKET_FAMILY_IPV6 ? "]"
												 : "",
			       self->port);
}

/**
 * suit_rest_server_print_routes:
 *
 * Prints the route table on stdout, one `METHOD /pattern` per line, for the
 * tests that compare it with the OpenAPI document.
 */
void
suit_rest_server_print_routes(void)
{
	for (guint i = 0; i < SUIT_REST_N_ROUTES; i++)
		g_print("%s %s\n", suit_rest_routes[i].method, suit_rest_routes[i].pattern);
}

/* the workers */

static void
suit_rest_worker_free(SuitRestWorker *worker)
{
	g_clear_object(&worker->socket);
	g_clear_pointer(&worker->loop, g_main_loop_unref);
	g_clear_pointer(&worker->context, g_main_context_unref);
	g_clear_pointer(&worker->waiting, g_hash_table_unref);
	g_clear_pointer(&worker->reset, g_ptr_array_unref);
	g_free(worker);
}

static gpointer
suit_rest_worker_thread(gpointer data)
{
	SuitRestWorker *worker = data;
	SuitRestServer *self = worker->server;
	g_autoptr(GError) error = NULL;
	gboolean ok;

	g_main_context_push_thread_default(worker->context);
	worker->soup = soup_server_new("raw-paths",
				       TRUE,
				       "server-header",
				       "suit-server/" PACKAGE_VERSION,
				       "tls-certificate",
				       self->tls_certificate,
				       NULL);
	soup_server_add_early_handler(worker->soup, "/", suit_rest_server_early_cb, worker, NULL);
	soup_server_add_handler(worker->soup, "/", suit_rest_server_handler_cb, worker, NULL);
	g_signal_connect(worker->soup,
			 "request-started",
			 G_CALLBACK(suit_rest_server_request_started_cb),
			 worker);
	g_signal_connect(worker->soup,
			 "request-finished",
			 G_CALLBACK(suit_rest_server_request_finished_cb),
			 worker);
	g_signal_connect(worker->soup,
			 "request-aborted",
			 G_CALLBACK(suit_rest_server_request_aborted_cb),
			 worker);
	/* plain HTTP: the fast path accepts, and hands libsoup what it does
	 * not answer; HTTPS: libsoup accepts */
	if (self->fast_path && self->tls_certificate == NULL) {
		worker->fast =
		    suit_rest_fast_new(self, worker->soup, worker->socket, worker->context, &error);
		ok = worker->fast != NULL;
	} else {
		ok = soup_server_listen_socket(worker->soup,
					       worker->socket,
					       self->tls_certificate != NULL ? SOUP_SERVER_LISTEN_HTTPS
									     : 0,
					       &error);
	}

	g_mutex_lock(&self->lock);
	if (!ok && self->start_error == NULL)
		self->start_error = g_steal_pointer(&error);
	self->workers_started++;
	g_cond_broadcast(&self->cond);
	g_mutex_unlock(&self->lock);

	if (ok) {
		g_autoptr(GSource) sweep = g_timeout_source_new_seconds(MAX(self->header_timeout / 4, 1));
		g_source_set_callback(sweep, suit_rest_server_sweep_cb, worker, NULL);
		g_source_attach(sweep, worker->context);
		g_main_loop_run(worker->loop);
		g_source_destroy(sweep);
	}

	g_clear_pointer(&worker->fast, suit_rest_fast_free);
	g_hash_table_remove_all(worker->waiting);
	soup_server_disconnect(worker->soup);
	g_clear_object(&worker->soup);
	while (g_main_context_iteration(worker->context, FALSE))
		;
	g_main_context_pop_thread_default(worker->context);
	return NULL;
}

static GSocket *
suit_rest_server_bind(GInetAddress *address, guint port, GError **error)
{
	g_autoptr(GSocket) socket = NULL;
	g_autoptr(GSocketAddress) socket_address = g_inet_socket_address_new(address, port);
	struct sockaddr_storage native;
	gssize native_size;

	socket = g_socket_new(g_inet_address_get_family(address),
			      G_SOCKET_TYPE_STREAM,
			      G_SOCKET_PROTOCOL_TCP,
			      error);
	if (socket == NULL)
		return NULL;
	/* g_socket_bind() clears SO_REUSEPORT on stream sockets: bind() here */
	if (!g_socket_set_option(socket, SOL_SOCKET, SO_REUSEADDR, 1, error) ||
	    !g_socket_set_option(socket, SOL_SOCKET, SO_REUSEPORT, 1, error))
		return NULL;
	native_size = g_socket_address_get_native_size(socket_address);
	if (native_size < 0 || (gsize)native_size > sizeof(native)) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "unsupported address");
		return NULL;
	}
	if (!g_socket_address_to_native(socket_address, &native, sizeof(native), error))
		return NULL;
	if (bind(g_socket_get_fd(socket), (struct sockaddr *)&native, (socklen_t)native_size) != 0) {
		gint errsv = errno;
		g_autofree gchar *where = g_inet_address_to_string(address);
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(errsv),
			    "failed to bind to %s:%u: %s",
			    where,
			    port,
			    g_strerror(errsv));
		return NULL;
	}
	g_socket_set_listen_backlog(socket, 1024);
	if (!g_socket_listen(socket, error))
		return NULL;
	return g_steal_pointer(&socket);
}

/* stops accepting connections on the worker's socket; in the worker thread */
static gboolean
suit_rest_worker_stop_listening_cb(gpointer data)
{
	SuitRestWorker *worker = data;
	SuitRestServer *self = worker->server;

	/* a shut down listening socket wakes libsoup's watch, whose accept()
	 * then fails and drops the listener; open connections are untouched */
	if (worker->fast != NULL)
		suit_rest_fast_stop_listening(worker->fast);
	else if (worker->socket != NULL)
		shutdown(g_socket_get_fd(worker->socket), SHUT_RDWR);
	g_mutex_lock(&self->lock);
	self->workers_stopped++;
	g_cond_broadcast(&self->cond);
	g_mutex_unlock(&self->lock);
	return G_SOURCE_REMOVE;
}

static void
suit_rest_server_join(SuitRestServer *self)
{
	for (guint i = 0; i < self->workers->len; i++) {
		SuitRestWorker *worker = g_ptr_array_index(self->workers, i);
		if (worker->thread == NULL)
			continue;
		g_main_loop_quit(worker->loop);
		g_thread_join(worker->thread);
		worker->thread = NULL;
	}
	g_ptr_array_set_size(self->workers, 0);
}

/**
 * suit_rest_server_listen:
 * @self: a #SuitRestServer
 * @address: the address to listen on
 * @port: the port, or 0 for a free one
 * @n_threads: worker threads, each with its own main loop, SoupServer and
 *   socket; the sockets share the port with SO_REUSEPORT
 * @error: return location for a #GError, or %NULL
 *
 * Starts serving. Returns once every worker listens.
 *
 * Returns: %TRUE on success
 */
gboolean
suit_rest_server_listen(SuitRestServer *self,
			GInetAddress *address,
			guint port,
			guint n_threads,
			GError **error)
{
	g_return_val_if_fail(SUIT_IS_REST_SERVER(self), FALSE);
	g_return_val_if_fail(G_IS_INET_ADDRESS(address), FALSE);
	g_return_val_if_fail(self->workers->len == 0, FALSE);
	g_return_val_if_fail(self->upload_directory != NULL, FALSE);

	if (n_threads == 0)
		n_threads = 1;
	for (guint i = 0; i < n_threads; i++) {
		SuitRestWorker *worker;
		GSocket *socket = suit_rest_server_bind(address, port, error);

		if (socket == NULL) {
			g_prefix_error(error, "failed to listen on port %u: ", port);
			g_ptr_array_set_size(self->workers, 0);
			return FALSE;
		}
		if (port == 0) {
			g_autoptr(GSocketAddress) local = g_socket_get_local_address(socket, error);
			if (local == NULL) {
				g_object_unref(socket);
				g_ptr_array_set_size(self->workers, 0);
				return FALSE;
			}
			port = g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(local));
		}
		worker = g_new0(SuitRestWorker, 1);
		worker->server = self;
		worker->socket = socket;
		worker->context = g_main_context_new();
		worker->loop = g_main_loop_new(worker->context, FALSE);
		worker->waiting = g_hash_table_new_full(g_direct_hash, g_direct_equal, g_object_unref, NULL);
		worker->reset = g_ptr_array_new_with_free_func(g_object_unref);
		g_ptr_array_add(self->workers, worker);
	}
	g_set_object(&self->address, address);
	self->port = port;

	self->workers_started = 0;
	for (guint i = 0; i < self->workers->len; i++) {
		SuitRestWorker *worker = g_ptr_array_index(self->workers, i);
		g_autofree gchar *name = g_strdup_printf("suit-http-%u", i);
		worker->thread = g_thread_new(name, suit_rest_worker_thread, worker);
	}
	g_mutex_lock(&self->lock);
	while (self->workers_started < self->workers->len)
		g_cond_wait(&self->cond, &self->lock);
	g_mutex_unlock(&self->lock);
	if (self->start_error != NULL) {
		g_propagate_error(error, g_steal_pointer(&self->start_error));
		suit_rest_server_join(self);
		return FALSE;
	}
	return TRUE;
}

/**
 * suit_rest_server_stop:
 * @self: a #SuitRestServer
 * @timeout_ms: how long to wait for the requests being answered
 *
 * Stops accepting connections, lets the requests in flight finish (for at
 * most @timeout_ms), then stops the workers.
 */
void
suit_rest_server_stop(SuitRestServer *self, guint timeout_ms)
{
	gint64 deadline = g_get_monotonic_time() + (gint64)timeout_ms * 1000;

	g_return_if_fail(SUIT_IS_REST_SERVER(self));

	/* no new connections */
	self->workers_stopped = 0;
	for (guint i = 0; i < self->workers->len; i++) {
		SuitRestWorker *worker = g_ptr_array_index(self->workers, i);
		g_main_context_invoke(worker->context, suit_rest_worker_stop_listening_cb, worker);
	}
	g_mutex_lock(&self->lock);
	while (self->workers_stopped < self->workers->len) {
		if (!g_cond_wait_until(&self->cond, &self->lock, deadline))
			break;
	}
	g_mutex_unlock(&self->lock);

	/* let the requests being answered finish */
	while (g_atomic_int_get(&self->in_flight) > 0 && g_get_monotonic_time() < deadline)
		g_usleep(10 * 1000);
	suit_rest_server_join(self);
}

/* GObject */

static void
suit_rest_server_dispose(GObject *object)
{
	SuitRestServer *self = SUIT_REST_SERVER(object);

	if (self->workers != NULL)
		suit_rest_server_join(self);
	g_clear_object(&self->tracker);
	g_clear_object(&self->firmware_server);
	g_clear_object(&self->tls_certificate);
	g_clear_object(&self->address);
	G_OBJECT_CLASS(suit_rest_server_parent_class)->dispose(object);
}

static void
suit_rest_server_finalize(GObject *object)
{
	SuitRestServer *self = SUIT_REST_SERVER(object);

	g_ptr_array_unref(self->workers);
	g_hash_table_unref(self->mapped);
	g_free(self->metrics);
	g_free(self->upload_directory);
	g_clear_error(&self->start_error);
	g_mutex_clear(&self->lock);
	g_cond_clear(&self->cond);
	g_mutex_clear(&self->fast_lock);
	g_ptr_array_unref(self->fasts);
	G_OBJECT_CLASS(suit_rest_server_parent_class)->finalize(object);
}

static void
suit_rest_server_class_init(SuitRestServerClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);

	object_class->dispose = suit_rest_server_dispose;
	object_class->finalize = suit_rest_server_finalize;
	suit_rest_request_quark_value = g_quark_from_static_string("suit-rest-request");
	for (guint i = 0; i < SUIT_REST_N_ROUTES; i++) {
		suit_rest_route_segments[i] = g_strsplit(suit_rest_routes[i].pattern + 1, "/", -1);
	}
}

static void
suit_rest_server_init(SuitRestServer *self)
{
	self->max_payload_size = G_GUINT64_CONSTANT(1) << 30;
	self->header_timeout = 60;
	self->request_log = TRUE;
	self->fast_path = TRUE;
	self->workers = g_ptr_array_new_with_free_func((GDestroyNotify)suit_rest_worker_free);
	self->metrics = g_new0(SuitRestRouteMetrics, SUIT_REST_N_ROUTES + 1);
	self->mapped = g_hash_table_new_full(g_str_hash,
					     g_str_equal,
					     g_free,
					     (GDestroyNotify)suit_rest_payload_unref);
	g_mutex_init(&self->lock);
	g_cond_init(&self->cond);
	g_mutex_init(&self->fast_lock);
	self->fasts = g_ptr_array_new();
}

/**
 * suit_rest_server_new:
 * @tracker: the Status Tracker
 * @firmware_server: the Firmware Server the tracker uses
 *
 * Creates the REST service of both roles. Both are used from several
 * threads at once, which they allow.
 *
 * Returns: (transfer full): a new #SuitRestServer
 */
SuitRestServer *
suit_rest_server_new(SuitStatusTracker *tracker, SuitFirmwareServer *firmware_server)
{
	SuitRestServer *self;

	g_return_val_if_fail(SUIT_IS_STATUS_TRACKER(tracker), NULL);
	g_return_val_if_fail(SUIT_IS_FIRMWARE_SERVER(firmware_server), NULL);
	self = g_object_new(SUIT_TYPE_REST_SERVER, NULL);
	self->tracker = g_object_ref(tracker);
	self->firmware_server = g_object_ref(firmware_server);
	return self;
}
