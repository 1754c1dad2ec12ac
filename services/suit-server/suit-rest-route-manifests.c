/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * POST /api/v1/manifests                 an envelope -> 201 summary (422 when it does not verify)
 * GET  /api/v1/manifests                 ?vendor_id=&class_id=
 * GET  /api/v1/manifests/{manifest}      the summary
 * GET  /api/v1/manifests/{manifest}/envelope
 */

#include "config.h"

#include "suit-rest-private.h"

gboolean
suit_rest_route_manifests_post(SuitRestServer *self, SuitRestRequest *request, GError **error)
{
	SuitFirmwareServer *firmware_server = suit_rest_server_get_firmware_server(self);
	g_autoptr(GBytes) envelope = suit_rest_request_get_body(request);
	g_autoptr(JsonParser) parser = json_parser_new_immutable();
	g_autofree gchar *summary = NULL;
	JsonNode *root;
	const gchar *id = NULL;

	if (g_bytes_get_size(envelope) == 0) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_ARGUMENT,
				    "the request body must be a SUIT envelope");
		return FALSE;
	}
	summary = suit_firmware_server_add_envelope(firmware_server, envelope, error);
	if (summary == NULL)
		return FALSE;
	if (json_parser_load_from_data(parser, summary, -1, NULL) &&
	    (root = json_parser_get_root(parser)) != NULL && JSON_NODE_HOLDS_OBJECT(root))
		id = json_object_get_string_member_with_default(json_node_get_object(root), "id", NULL);
	if (id != NULL)
		suit_rest_request_set_location(request, "/api/v1/manifests/%s", id);
	suit_rest_request_take_json(request, SOUP_STATUS_CREATED, g_steal_pointer(&summary));
	return TRUE;
}

gboolean
suit_rest_route_manifests_list(SuitRestServer *self, SuitRestRequest *request, GError **error)
{
	SuitFirmwareServer *firmware_server = suit_rest_server_get_firmware_server(self);
	gchar *json = suit_firmware_server_list_manifests(firmware_server,
							  suit_rest_request_get_query(request, "vendor_id"),
							  suit_rest_request_get_query(request, "class_id"),
							  error);
	return suit_rest_request_reply_json(request, json);
}

gboolean
suit_rest_route_manifests_get(SuitRestServer *self, SuitRestRequest *request, GError **error)
{
	SuitFirmwareServer *firmware_server = suit_rest_server_get_firmware_server(self);
	gchar *json = suit_firmware_server_get_manifest(firmware_server,
							suit_rest_request_get_param(request, 0),
							error);
	return suit_rest_request_reply_json(request, json);
}

gboolean
suit_rest_route_manifests_get_envelope(SuitRestServer *self,
				       SuitRestRequest *request,
				       GError **error)
{
	SuitFirmwareServer *firmware_server = suit_rest_server_get_firmware_server(self);
	g_autoptr(GBytes) envelope = suit_firmware_server_get_envelope(firmware_server,
								       suit_rest_request_get_param(request, 0),
								       error);
	if (envelope == NULL)
		return FALSE;
	suit_rest_request_set_body(request, SOUP_STATUS_OK, "application/suit-envelope+cose", envelope);
	return TRUE;
}
