/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * POST /api/v1/devices           {"id","vendor_id","class_id","tags","public_key"}
 *                                -> 201 {"id",...,"token"} (the token is shown once)
 * GET  /api/v1/devices           ?tag=&state=
 * GET  /api/v1/devices/{device}
 */

#include "config.h"

#include "suit-rest-private.h"

gboolean
suit_rest_route_devices_post(SuitRestServer *self, SuitRestRequest *request, GError **error)
{
	SuitStatusTracker *tracker = suit_rest_server_get_tracker(self);
	g_autofree gchar *body = suit_rest_request_dup_json_body(request, error);
	g_autofree gchar *json = NULL;
	g_autoptr(JsonNode) root = NULL;
	JsonObject *object;

	if (body == NULL)
		return FALSE;
	json = suit_status_tracker_add_device(tracker, body, error);
	if (json == NULL)
		return FALSE;
	root = json_from_string(json, NULL);
	if (root != NULL && JSON_NODE_HOLDS_OBJECT(root)) {
		object = json_node_get_object(root);
		if (json_object_get_string_member_with_default(object, "id", NULL) != NULL)
			suit_rest_request_set_location(
			    request,
			    "/api/v1/devices/%s",
			    json_object_get_string_member_with_default(object, "id", NULL));
	}
	suit_rest_request_take_json(request, SOUP_STATUS_CREATED, g_steal_pointer(&json));
	return TRUE;
}

gboolean
suit_rest_route_devices_list(SuitRestServer *self, SuitRestRequest *request, GError **error)
{
	SuitStatusTracker *tracker = suit_rest_server_get_tracker(self);
	gchar *json = suit_status_tracker_list_devices(tracker,
						       suit_rest_request_get_query(request, "tag"),
						       suit_rest_request_get_query(request, "state"),
						       error);
	return suit_rest_request_reply_json(request, json);
}

gboolean
suit_rest_route_devices_get(SuitRestServer *self, SuitRestRequest *request, GError **error)
{
	SuitStatusTracker *tracker = suit_rest_server_get_tracker(self);
	gchar *json =
	    suit_status_tracker_get_device(tracker, suit_rest_request_get_param(request, 0), error);
	if (json == NULL)
		return FALSE;
	suit_rest_request_take_json(request, SOUP_STATUS_OK, json);
	return TRUE;
}
