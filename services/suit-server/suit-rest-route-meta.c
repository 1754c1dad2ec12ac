/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * GET /                       the dashboard (one self-contained HTML page)
 * GET /api/v1/health          {"status":"ok"}, no authentication
 * GET /api/v1/openapi.json    the OpenAPI 3.0.3 document of every route
 * GET /api/v1/statistics      the tracker's figures (viewer)
 * GET /metrics                Prometheus text: no token needed from a loopback
 *                             address, a viewer token from anywhere else
 */

#include "config.h"

#include "suit-rest-private.h"

static gboolean
suit_rest_route_meta_resource(SuitRestServer *self,
			      SuitRestRequest *request,
			      const gchar *name,
			      const gchar *content_type,
			      GError **error)
{
	g_autoptr(GBytes) bytes = suit_rest_server_get_resource(self, name);

	if (bytes == NULL) {
		g_set_error(error, SUIT_ERROR, SUIT_ERROR_INTERNAL, "resource %s is missing", name);
		return FALSE;
	}
	suit_rest_request_set_body(request, SOUP_STATUS_OK, content_type, bytes);
	return TRUE;
}

gboolean
suit_rest_route_meta_dashboard(SuitRestServer *self, SuitRestRequest *request, GError **error)
{
	SoupMessageHeaders *headers = soup_server_message_get_response_headers(request->msg);

	if (!suit_rest_route_meta_resource(self, request, "dashboard.html", "text/html", error))
		return FALSE;
	soup_message_headers_replace(headers, "Content-Type", "text/html; charset=utf-8");
	/* everything it needs is inline; it talks to this origin only */
	soup_message_headers_replace(headers,
				     "Content-Security-Policy",
				     "default-src 'none'; script-src 'unsafe-inline'; "
				     "style-src 'unsafe-inline'; connect-src 'self'");
	soup_message_headers_replace(headers, "X-Content-Type-Options", "nosniff");
	soup_message_headers_replace(headers, "Cache-Control", "no-cache");
	return TRUE;
}

gboolean
suit_rest_route_meta_health(SuitRestServer *self, SuitRestRequest *request, GError **error)
{
	suit_rest_request_take_json(request, SOUP_STATUS_OK, g_strdup("{\"status\":\"ok\"}"));
	return TRUE;
}

gboolean
suit_rest_route_meta_openapi(SuitRestServer *self, SuitRestRequest *request, GError **error)
{
	return suit_rest_route_meta_resource(self, request, "openapi.json", "application/json", error);
}

gboolean
suit_rest_route_meta_statistics(SuitRestServer *self, SuitRestRequest *request, GError **error)
{
	gchar *json = suit_status_tracker_get_statistics(suit_rest_server_get_tracker(self), error);
	return suit_rest_request_reply_json(request, json);
}

/* a Prometheus metric name part: [a-z0-9_] */
static gchar *
suit_rest_metric_name(const gchar *text)
{
	GString *out = g_string_new(NULL);
	for (const gchar *p = text; *p != '\0'; p++)
		g_string_append_c(out, g_ascii_isalnum(*p) ? g_ascii_tolower(*p) : '_');
	return g_string_free(out, FALSE);
}

static gboolean
suit_rest_node_is_number(JsonNode *node)
{
	GType type;
	if (!JSON_NODE_HOLDS_VALUE(node))
		return FALSE;
	type = json_node_get_value_type(node);
	return type == G_TYPE_INT64 || type == G_TYPE_DOUBLE;
}

/* one gauge per state: {"devices":{"idle":3,...}} or {"devices":{"by_state":{...}}} */
static void
suit_rest_metrics_append_states(GString *out, JsonObject *statistics, const gchar *collection)
{
	JsonNode *node = json_object_get_member(statistics, collection);
	JsonObject *object;
	JsonObject *states = NULL;
	g_autoptr(GList) members = NULL;
	g_autofree gchar *name = suit_rest_metric_name(collection);
	const gchar *nested[] = {"by_state", "states", "state", NULL};

	if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node))
		return;
	object = json_node_get_object(node);
	for (guint i = 0; nested[i] != NULL; i++) {
		JsonNode *child = json_object_get_member(object, nested[i]);
		if (child != NULL && JSON_NODE_HOLDS_OBJECT(child)) {
			states = json_node_get_object(child);
			break;
		}
	}
	if (states == NULL)
		states = object;
	g_string_append_printf(out,
			       "# HELP suit_%s %s by state.\n# TYPE suit_%s gauge\n",
			       name,
			       collection,
			       name);
	members = json_object_get_members(states);
	for (GList *l = members; l != NULL; l = l->next) {
		const gchar *state = l->data;
		JsonNode *value = json_object_get_member(states, state);
		g_autofree gchar *label = g_strescape(state, NULL);

		if (g_str_equal(state, "total") || !suit_rest_node_is_number(value))
			continue;
		g_string_append_printf(out,
				       "suit_%s{state=\"%s\"} %" G_GINT64_FORMAT "\n",
				       name,
				       label,
				       (gint64)json_node_get_double(value));
	}
}

/* a top-level number of the statistics as a gauge */
static void
suit_rest_metrics_append_number(GString *out, JsonObject *statistics, const gchar *member)
{
	JsonNode *node = json_object_get_member(statistics, member);
	g_autofree gchar *name = suit_rest_metric_name(member);

	if (node == NULL || !suit_rest_node_is_number(node))
		return;
	g_string_append_printf(out,
			       "# HELP suit_%s_total %s known to the server.\n# TYPE suit_%s_total gauge\n"
			       "suit_%s_total %" G_GINT64_FORMAT "\n",
			       name,
			       member,
			       name,
			       name,
			       (gint64)json_node_get_double(node));
}

gboolean
suit_rest_route_meta_metrics(SuitRestServer *self, SuitRestRequest *request, GError **error)
{
	g_autofree gchar *statistics = NULL;
	g_autoptr(JsonNode) root = NULL;
	g_autofree gchar *http = suit_rest_server_dup_metrics(self);
	GString *out = g_string_new(http);
	gsize length;

	statistics = suit_status_tracker_get_statistics(suit_rest_server_get_tracker(self), error);
	if (statistics == NULL) {
		g_string_free(out, TRUE);
		return FALSE;
	}
	root = json_from_string(statistics, NULL);
	if (root != NULL && JSON_NODE_HOLDS_OBJECT(root)) {
		suit_rest_metrics_append_states(out, json_node_get_object(root), "devices");
		suit_rest_metrics_append_states(out, json_node_get_object(root), "campaigns");
		suit_rest_metrics_append_number(out, json_node_get_object(root), "manifests");
	}
	length = out->len;
	soup_server_message_set_status(request->msg, SOUP_STATUS_OK, NULL);
	soup_server_message_set_response(request->msg,
					 "text/plain; version=0.0.4; charset=utf-8",
					 SOUP_MEMORY_TAKE,
					 g_string_free(out, FALSE),
					 length);
	return TRUE;
}
