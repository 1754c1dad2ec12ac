/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * POST /api/v1/campaigns                    {"manifest","tags"|"devices","waves","max_failure_ratio"}
 * GET  /api/v1/campaigns
 * GET  /api/v1/campaigns/{campaign}
 * POST /api/v1/campaigns/{campaign}/pause|resume|cancel
 */

#include "config.h"

#include "suit-rest-private.h"

gboolean
suit_rest_route_campaigns_post(SuitRestServer *self, SuitRestRequest *request, GError **error)
{
	SuitStatusTracker *tracker = suit_rest_server_get_tracker(self);
	g_autofree gchar *body = suit_rest_request_dup_json_body(request, error);
	g_autofree gchar *json = NULL;
	g_autoptr(JsonNode) root = NULL;

	if (body == NULL)
		return FALSE;
	json = suit_status_tracker_create_campaign(tracker, body, error);
	if (json == NULL)
		return FALSE;
	root = json_from_string(json, NULL);
	if (root != NULL && JSON_NODE_HOLDS_OBJECT(root)) {
		const gchar *id =
		    json_object_get_string_member_with_default(json_node_get_object(root), "id", NULL);
		if (id != NULL)
			suit_rest_request_set_location(request, "/api/v1/campaigns/%s", id);
	}
	suit_rest_request_take_json(request, SOUP_STATUS_CREATED, g_steal_pointer(&json));
	return TRUE;
}

gboolean
suit_rest_route_campaigns_list(SuitRestServer *self, SuitRestRequest *request, GError **error)
{
	gchar *json = suit_status_tracker_list_campaigns(suit_rest_server_get_tracker(self), error);
	return suit_rest_request_reply_json(request, json);
}

gboolean
suit_rest_route_campaigns_get(SuitRestServer *self, SuitRestRequest *request, GError **error)
{
	gchar *json = suit_status_tracker_get_campaign(suit_rest_server_get_tracker(self),
						       suit_rest_request_get_param(request, 0),
						       error);
	return suit_rest_request_reply_json(request, json);
}

gboolean
suit_rest_route_campaigns_pause(SuitRestServer *self, SuitRestRequest *request, GError **error)
{
	gchar *json = suit_status_tracker_pause_campaign(suit_rest_server_get_tracker(self),
							 suit_rest_request_get_param(request, 0),
							 error);
	return suit_rest_request_reply_json(request, json);
}

gboolean
suit_rest_route_campaigns_resume(SuitRestServer *self, SuitRestRequest *request, GError **error)
{
	gchar *json = suit_status_tracker_resume_campaign(suit_rest_server_get_tracker(self),
							  suit_rest_request_get_param(request, 0),
							  error);
	return suit_rest_request_reply_json(request, json);
}

gboolean
suit_rest_route_campaigns_cancel(SuitRestServer *self, SuitRestRequest *request, GError **error)
{
	gchar *json = suit_status_tracker_cancel_campaign(suit_rest_server_get_tracker(self),
							  suit_rest_request_get_param(request, 0),
							  error);
	return suit_rest_request_reply_json(request, json);
}
