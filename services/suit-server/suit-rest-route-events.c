/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * GET /api/v1/events   ?device=&campaign=&since=&limit=   the audit log
 */

#include "config.h"

#include "suit-rest-private.h"

/* the most events one answer carries, and the default */
#define SUIT_REST_EVENTS_MAX	 10000
#define SUIT_REST_EVENTS_DEFAULT 100

gboolean
suit_rest_route_events_list(SuitRestServer *self, SuitRestRequest *request, GError **error)
{
	guint64 since = 0;
	guint64 limit = SUIT_REST_EVENTS_DEFAULT;
	gchar *json;

	if (!suit_rest_request_get_query_uint(request, "since", G_MAXINT64, &since, error))
		return FALSE;
	if (!suit_rest_request_get_query_uint(request, "limit", SUIT_REST_EVENTS_MAX, &limit, error))
		return FALSE;
	if (limit == 0)
		limit = SUIT_REST_EVENTS_DEFAULT;
	json = suit_status_tracker_list_events(suit_rest_server_get_tracker(self),
					       suit_rest_request_get_query(request, "device"),
					       suit_rest_request_get_query(request, "campaign"),
					       since,
					       (guint)limit,
					       error);
	if (json == NULL)
		return FALSE;
	suit_rest_request_take_json(request, SOUP_STATUS_OK, json);
	return TRUE;
}
