/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * POST   /api/v1/tokens          {"role","name"} -> 201 {"id","role","name","token"} (shown once)
 * GET    /api/v1/tokens
 * DELETE /api/v1/tokens/{token}  -> 204
 *
 * Admin only.
 */

#include "config.h"

#include "suit-rest-private.h"

static gboolean
suit_rest_get_string_member(JsonObject *object,
			    const gchar *name,
			    gboolean required,
			    const gchar **value,
			    GError **error)
{
	JsonNode *node = json_object_get_member(object, name);

	if (node == NULL || (!required && JSON_NODE_HOLDS_NULL(node))) {
		if (!required) {
			*value = NULL;
			return TRUE;
		}
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "\"%s\" is required",
			    name);
		return FALSE;
	}
	if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_STRING) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "\"%s\" must be a string",
			    name);
		return FALSE;
	}
	*value = json_node_get_string(node);
	return TRUE;
}

gboolean
suit_rest_route_tokens_post(SuitRestServer *self, SuitRestRequest *request, GError **error)
{
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(JsonNode) answer = NULL;
	JsonObject *object = suit_rest_request_parse_object(request, &root, error);
	const gchar *role = NULL;
	const gchar *name = NULL;
	g_autofree gchar *json = NULL;

	if (object == NULL)
		return FALSE;
	if (!suit_rest_get_string_member(object, "role", TRUE, &role, error))
		return FALSE;
	if (!suit_rest_get_string_member(object, "name", FALSE, &name, error))
		return FALSE;
	json = suit_status_tracker_create_token(suit_rest_server_get_tracker(self), role, name, error);
	if (json == NULL)
		return FALSE;
	answer = json_from_string(json, NULL);
	if (answer != NULL && JSON_NODE_HOLDS_OBJECT(answer)) {
		const gchar *id =
		    json_object_get_string_member_with_default(json_node_get_object(answer), "id", NULL);
		if (id != NULL)
			suit_rest_request_set_location(request, "/api/v1/tokens/%s", id);
	}
	suit_rest_request_take_json(request, SOUP_STATUS_CREATED, g_steal_pointer(&json));
	return TRUE;
}

gboolean
suit_rest_route_tokens_list(SuitRestServer *self, SuitRestRequest *request, GError **error)
{
	gchar *json = suit_status_tracker_list_tokens(suit_rest_server_get_tracker(self), error);
	return suit_rest_request_reply_json(request, json);
}

gboolean
suit_rest_route_tokens_delete(SuitRestServer *self, SuitRestRequest *request, GError **error)
{
	if (!suit_status_tracker_revoke_token(suit_rest_server_get_tracker(self),
					      suit_rest_request_get_param(request, 0),
					      error))
		return FALSE;
	suit_rest_request_take_json(request, SOUP_STATUS_NO_CONTENT, NULL);
	return TRUE;
}
