/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "suit-rest-server.h"

G_BEGIN_DECLS

/* request body limits */
#define SUIT_REST_MAX_JSON_SIZE	    (1024 * 1024)
#define SUIT_REST_MAX_ENVELOPE_SIZE (1024 * 1024)
#define SUIT_REST_MAX_REPORT_SIZE   (64 * 1024)
#define SUIT_REST_MAX_IGNORED_SIZE  (64 * 1024)
/* a refused body is read and dropped up to this much, then the connection
 * is closed (libsoup answers only once it read the whole body) */
#define SUIT_REST_MAX_DISCARD (64 * 1024 * 1024)
/* JSON nesting, checked before json-glib parses a body */
#define SUIT_REST_MAX_JSON_DEPTH 32

/* who may call a route */
typedef enum {
	SUIT_REST_AUTH_NONE,	 /* anybody */
	SUIT_REST_AUTH_LOOPBACK, /* anybody on a loopback address, else a viewer token */
	SUIT_REST_AUTH_VIEWER,	 /* any operator token: admin, operator, viewer */
	SUIT_REST_AUTH_OPERATOR, /* admin or operator */
	SUIT_REST_AUTH_ADMIN,	 /* admin only */
	SUIT_REST_AUTH_DEVICE,	 /* a device token */
} SuitRestAuth;

/* what a route does with the request body */
typedef enum {
	SUIT_REST_BODY_NONE,	 /* ignored, up to SUIT_REST_MAX_IGNORED_SIZE */
	SUIT_REST_BODY_JSON,	 /* a JSON object, up to SUIT_REST_MAX_JSON_SIZE */
	SUIT_REST_BODY_ENVELOPE, /* raw bytes, up to SUIT_REST_MAX_ENVELOPE_SIZE */
	SUIT_REST_BODY_REPORT,	 /* raw bytes, up to SUIT_REST_MAX_REPORT_SIZE */
	SUIT_REST_BODY_STREAM,	 /* streamed to a temporary file, up to the payload limit */
} SuitRestBody;

typedef struct _SuitRestRequest SuitRestRequest;

/* a route handler sets the response and returns TRUE, or returns FALSE with
 * @error, which the dispatcher turns into a problem document */
typedef gboolean (*SuitRestHandler)(SuitRestServer *self, SuitRestRequest *request, GError **error);

typedef struct {
	const gchar *method;
	const gchar *pattern; /* segments; {digest} and {manifest} are SHA-256 hex, other {..} ids */
	SuitRestAuth auth;
	SuitRestBody body;
	SuitRestHandler handler;
} SuitRestRoute;

struct _SuitRestRequest {
	SuitRestServer *server; /* noref */
	gpointer worker;	/* noref: the SuitRestWorker of the connection */
	SoupServerMessage *msg; /* noref: the request is qdata of the message */
	const SuitRestRoute *route;
	guint route_index;
	gint64 started; /* monotonic µs */
	gchar *path;	/* without the query */
	GPtrArray *params; /* (element-type utf8): decoded {..} path segments */
	GHashTable *query; /* (nullable): decoded query parameters */
	gchar *role;	   /* (nullable): admin, operator, viewer or device */
	gchar *device_id;  /* (nullable): the authenticated device */
	gboolean counted;  /* counted in the in-flight requests */
	gboolean finished; /* the message is done (or its connection gone) */
	guint64 body_size;
	gboolean body_rejected;
	/* SUIT_REST_BODY_STREAM */
	gchar *upload_path; /* (nullable): the temporary file */
	gint upload_fd;
	guint8 *upload_buffer;
	gsize upload_buffered;
};

/* suit-rest-server.c: helpers for the route handlers */
SuitStatusTracker *
suit_rest_server_get_tracker(SuitRestServer *self);
SuitFirmwareServer *
suit_rest_server_get_firmware_server(SuitRestServer *self);
guint64
suit_rest_server_get_max_payload_size(SuitRestServer *self);
GBytes *
suit_rest_server_get_resource(SuitRestServer *self, const gchar *name);
/* a stored payload, mapped: immutable, shared by the threads */
typedef struct {
	GBytes *bytes;
	gint64 mtime;
	gchar *etag;	      /* "\"<digest>\"" */
	gchar *last_modified; /* HTTP date of mtime */
} SuitRestPayload;

SuitRestPayload *
suit_rest_payload_ref(SuitRestPayload *payload);
void
suit_rest_payload_unref(SuitRestPayload *payload);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SuitRestPayload, suit_rest_payload_unref)

SuitRestPayload *
suit_rest_server_map_payload(SuitRestServer *self, const gchar *digest, GError **error)
    G_GNUC_WARN_UNUSED_RESULT;
gchar *
suit_rest_server_dup_metrics(SuitRestServer *self) G_GNUC_WARN_UNUSED_RESULT;
void
suit_rest_server_finish_upload(SuitRestServer *self, SuitRestRequest *request);

SuitRestRequest *
suit_rest_request_from_message(SoupServerMessage *msg);
const gchar *
suit_rest_request_get_param(SuitRestRequest *request, guint idx);
const gchar *
suit_rest_request_get_query(SuitRestRequest *request, const gchar *name);
gboolean
suit_rest_request_get_query_uint(SuitRestRequest *request,
				 const gchar *name,
				 guint64 max,
				 guint64 *value,
				 GError **error);
gboolean
suit_rest_request_is_head(SuitRestRequest *request);
GBytes *
suit_rest_request_get_body(SuitRestRequest *request) G_GNUC_WARN_UNUSED_RESULT;
JsonObject *
suit_rest_request_parse_object(SuitRestRequest *request, JsonNode **root, GError **error);
gchar *
suit_rest_request_dup_json_body(SuitRestRequest *request, GError **error) G_GNUC_WARN_UNUSED_RESULT;
void
suit_rest_request_take_json(SuitRestRequest *request, guint status, gchar *json);
/* answers 200 with @json (transfer full), the answer of a role method;
 * FALSE when @json is NULL: the method failed and set the error */
gboolean
suit_rest_request_reply_json(SuitRestRequest *request, gchar *json);
void
suit_rest_request_set_body(SuitRestRequest *request,
			   guint status,
			   const gchar *content_type,
			   GBytes *body);
void
suit_rest_request_set_location(SuitRestRequest *request, const gchar *format, ...)
    G_GNUC_PRINTF(2, 3);
void
suit_rest_request_set_problem(SuitRestRequest *request,
			      guint status,
			      const gchar *error_id,
			      const gchar *detail);
void
suit_rest_request_set_problem_error(SuitRestRequest *request, const GError *error);
guint
suit_rest_error_to_status(const GError *error);

/* Range headers (suit-rest-route-payloads.c), also read by the fast path */
typedef struct {
	guint64 start;
	guint64 end; /* inclusive */
} SuitRestRange;

typedef enum {
	SUIT_REST_RANGES_IGNORE,	/* not a bytes= header, or too many ranges: 200 */
	SUIT_REST_RANGES_UNSATISFIABLE, /* 416 */
	SUIT_REST_RANGES_OK,		/* 206 */
} SuitRestRangesResult;

SuitRestRangesResult
suit_rest_parse_ranges(const gchar *header, guint64 size, GArray *ranges);

/* the token of an `Authorization: Bearer` header value, or NULL */
gchar *
suit_rest_dup_bearer(const gchar *value) G_GNUC_WARN_UNUSED_RESULT;

/* for requests answered outside libsoup: the metrics slot of a route, the
 * in-flight count, and the metrics and log line of an answer */
guint
suit_rest_server_route_index(const gchar *method, const gchar *pattern);
void
suit_rest_server_request_begin(SuitRestServer *self);
void
suit_rest_server_request_end(SuitRestServer *self);
void
suit_rest_server_record(SuitRestServer *self,
			guint route_index,
			const gchar *method,
			const gchar *path,
			guint status,
			gint64 bytes,
			gint64 started);

/* suit-rest-replay.c: @connection with @replay (nullable) in front of its input */
GIOStream *
suit_rest_replay_io_stream_new(GIOStream *connection, GBytes *replay) G_GNUC_WARN_UNUSED_RESULT;

/* suit-rest-fast.c: the hot routes without libsoup, one per worker */
typedef struct _SuitRestFast SuitRestFast;

SuitRestFast *
suit_rest_fast_new(SuitRestServer *server,
		   SoupServer *soup,
		   GSocket *listener,
		   GMainContext *context,
		   GError **error);
void
suit_rest_fast_stop_listening(SuitRestFast *fast);
void
suit_rest_fast_sweep(SuitRestFast *fast, gint64 now, guint timeout);
GSocket *
suit_rest_fast_lookup_socket(SuitRestFast *fast, SoupServerMessage *msg);
gboolean
suit_rest_fast_take_back(SuitRestFast *fast, SoupServerMessage *msg);
gint
suit_rest_fast_get_load(SuitRestFast *fast);
void
suit_rest_fast_give(SuitRestFast *fast, gint fd);

/* suit-rest-server.c: the workers' fast paths, to balance connections */
void
suit_rest_server_add_fast(SuitRestServer *self, SuitRestFast *fast);
void
suit_rest_server_remove_fast(SuitRestServer *self, SuitRestFast *fast);
gboolean
suit_rest_server_pass_connection(SuitRestServer *self, SuitRestFast *mine, gint fd);
void
suit_rest_fast_free(SuitRestFast *fast);

/* the routes, one file per resource */
gboolean
suit_rest_route_payloads_post(SuitRestServer *self, SuitRestRequest *request, GError **error);
gboolean
suit_rest_route_payloads_get(SuitRestServer *self, SuitRestRequest *request, GError **error);

gboolean
suit_rest_route_manifests_post(SuitRestServer *self, SuitRestRequest *request, GError **error);
gboolean
suit_rest_route_manifests_list(SuitRestServer *self, SuitRestRequest *request, GError **error);
gboolean
suit_rest_route_manifests_get(SuitRestServer *self, SuitRestRequest *request, GError **error);
gboolean
suit_rest_route_manifests_get_envelope(SuitRestServer *self,
				       SuitRestRequest *request,
				       GError **error);

gboolean
suit_rest_route_devices_post(SuitRestServer *self, SuitRestRequest *request, GError **error);
gboolean
suit_rest_route_devices_list(SuitRestServer *self, SuitRestRequest *request, GError **error);
gboolean
suit_rest_route_devices_get(SuitRestServer *self, SuitRestRequest *request, GError **error);

gboolean
suit_rest_route_campaigns_post(SuitRestServer *self, SuitRestRequest *request, GError **error);
gboolean
suit_rest_route_campaigns_list(SuitRestServer *self, SuitRestRequest *request, GError **error);
gboolean
suit_rest_route_campaigns_get(SuitRestServer *self, SuitRestRequest *request, GError **error);
gboolean
suit_rest_route_campaigns_pause(SuitRestServer *self, SuitRestRequest *request, GError **error);
gboolean
suit_rest_route_campaigns_resume(SuitRestServer *self, SuitRestRequest *request, GError **error);
gboolean
suit_rest_route_campaigns_cancel(SuitRestServer *self, SuitRestRequest *request, GError **error);

gboolean
suit_rest_route_events_list(SuitRestServer *self, SuitRestRequest *request, GError **error);

gboolean
suit_rest_route_tokens_post(SuitRestServer *self, SuitRestRequest *request, GError **error);
gboolean
suit_rest_route_tokens_list(SuitRestServer *self, SuitRestRequest *request, GError **error);
gboolean
suit_rest_route_tokens_delete(SuitRestServer *self, SuitRestRequest *request, GError **error);

gboolean
suit_rest_route_device_check_in(SuitRestServer *self, SuitRestRequest *request, GError **error);
gboolean
suit_rest_route_device_manifest(SuitRestServer *self, SuitRestRequest *request, GError **error);
gboolean
suit_rest_route_device_report(SuitRestServer *self, SuitRestRequest *request, GError **error);

gboolean
suit_rest_route_meta_dashboard(SuitRestServer *self, SuitRestRequest *request, GError **error);
gboolean
suit_rest_route_meta_health(SuitRestServer *self, SuitRestRequest *request, GError **error);
gboolean
suit_rest_route_meta_openapi(SuitRestServer *self, SuitRestRequest *request, GError **error);
gboolean
suit_rest_route_meta_metrics(SuitRestServer *self, SuitRestRequest *request, GError **error);
gboolean
suit_rest_route_meta_statistics(SuitRestServer *self, SuitRestRequest *request, GError **error);

G_END_DECLS
