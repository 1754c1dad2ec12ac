/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The device API, with a device token:
 *
 * POST /device/v1/check-in          {"sequence_number","manifest"} -> 200 offer | 204
 * GET  /device/v1/manifests/{manifest}   the envelope
 * POST /device/v1/reports           COSE_Sign1 SUIT report -> 202 {"state","nonce"}
 *
 * The device is the one of the token: a device can only check in and report
 * for itself.
 */

#include "config.h"

#include <string.h>

#include "suit-rest-private.h"

gboolean
suit_rest_route_device_check_in(SuitRestServer *self, SuitRestRequest *request, GError **error)
{
	g_autoptr(GBytes) bytes = suit_rest_request_get_body(request);
	g_autofree gchar *body = NULL;
	g_autofree gchar *offer = NULL;
	gsize size = 0;
	const gchar *data = g_bytes_get_data(bytes, &size);

	/* the hot path of a fleet: the tracker checks the JSON itself (UTF-8,
	 * nesting, an object), so it is parsed once, not twice */
	if (size == 0 || memchr(data, '\0', size) != NULL) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_ARGUMENT,
				    "the request body must be a JSON object");
		return FALSE;
	}
	body = g_strndup(data, size);
	if (!suit_status_tracker_check_in(suit_rest_server_get_tracker(self),
					  request->device_id,
					  body,
					  &offer,
					  error))
		return FALSE;
	if (offer == NULL) {
		suit_rest_request_take_json(request, SOUP_STATUS_NO_CONTENT, NULL);
		return TRUE;
	}
	suit_rest_request_take_json(request, SOUP_STATUS_OK, g_steal_pointer(&offer));
	return TRUE;
}

gboolean
suit_rest_route_device_manifest(SuitRestServer *self, SuitRestRequest *request, GError **error)
{
	g_autoptr(GBytes) envelope =
	    suit_firmware_server_get_envelope(suit_rest_server_get_firmware_server(self),
					      suit_rest_request_get_param(request, 0),
					      error);
	if (envelope == NULL)
		return FALSE;
	suit_rest_request_set_body(request, SOUP_STATUS_OK, "application/suit-envelope+cose", envelope);
	return TRUE;
}

gboolean
suit_rest_route_device_report(SuitRestServer *self, SuitRestRequest *request, GError **error)
{
	g_autoptr(GBytes) report = suit_rest_request_get_body(request);
	gchar *json;

	if (g_bytes_get_size(report) == 0) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_ARGUMENT,
				    "the request body must be a COSE_Sign1 SUIT report");
		return FALSE;
	}
	json = suit_status_tracker_submit_report(suit_rest_server_get_tracker(self),
						 request->device_id,
						 report,
						 error);
	if (json == NULL)
		return FALSE;
	suit_rest_request_take_json(request, SOUP_STATUS_ACCEPTED, json);
	return TRUE;
}
