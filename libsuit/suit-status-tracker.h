/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__LIBSUIT_INSIDE__) && !defined(SUIT_COMPILATION)
#error "Only <libsuit/suit.h> can be included directly."
#endif

#include <gio/gio.h>

#include "suit-database.h"
#include "suit-firmware-server.h"
#include "suit-version-macros.h"

G_BEGIN_DECLS

#define SUIT_TYPE_STATUS_TRACKER (suit_status_tracker_get_type())
SUIT_AVAILABLE_IN_0_1
G_DECLARE_FINAL_TYPE(SuitStatusTracker, suit_status_tracker, SUIT, STATUS_TRACKER, GObject)

SUIT_AVAILABLE_IN_0_1
SuitStatusTracker *
suit_status_tracker_new(SuitDatabase *database, SuitFirmwareServer *firmware_server)
    G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
SuitDatabase *
suit_status_tracker_get_database(SuitStatusTracker *self);
SUIT_AVAILABLE_IN_0_1
SuitFirmwareServer *
suit_status_tracker_get_firmware_server(SuitStatusTracker *self);

/* operator credentials */
SUIT_AVAILABLE_IN_0_1
gchar *
suit_status_tracker_create_token(SuitStatusTracker *self,
				 const gchar *role,
				 const gchar *name,
				 GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
gchar *
suit_status_tracker_authenticate_operator(SuitStatusTracker *self, const gchar *token, GError **error)
    G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
gchar *
suit_status_tracker_list_tokens(SuitStatusTracker *self, GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
gboolean
suit_status_tracker_revoke_token(SuitStatusTracker *self, const gchar *id, GError **error);

/* devices */
SUIT_AVAILABLE_IN_0_1
gchar *
suit_status_tracker_add_device(SuitStatusTracker *self, const gchar *json, GError **error)
    G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
gchar *
suit_status_tracker_get_device(SuitStatusTracker *self, const gchar *id, GError **error)
    G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
gchar *
suit_status_tracker_list_devices(SuitStatusTracker *self,
				 const gchar *tag,
				 const gchar *state,
				 GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
gchar *
suit_status_tracker_authenticate_device(SuitStatusTracker *self, const gchar *token, GError **error)
    G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
gboolean
suit_status_tracker_check_in(SuitStatusTracker *self,
			     const gchar *device_id,
			     const gchar *json,
			     gchar **offer,
			     GError **error);
SUIT_AVAILABLE_IN_0_1
gchar *
suit_status_tracker_submit_report(SuitStatusTracker *self,
				  const gchar *device_id,
				  GBytes *report,
				  GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* campaigns */
SUIT_AVAILABLE_IN_0_1
gchar *
suit_status_tracker_create_campaign(SuitStatusTracker *self, const gchar *json, GError **error)
    G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
gchar *
suit_status_tracker_get_campaign(SuitStatusTracker *self, const gchar *id, GError **error)
    G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
gchar *
suit_status_tracker_list_campaigns(SuitStatusTracker *self, GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
gchar *
suit_status_tracker_pause_campaign(SuitStatusTracker *self, const gchar *id, GError **error)
    G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
gchar *
suit_status_tracker_resume_campaign(SuitStatusTracker *self, const gchar *id, GError **error)
    G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
gchar *
suit_status_tracker_cancel_campaign(SuitStatusTracker *self, const gchar *id, GError **error)
    G_GNUC_WARN_UNUSED_RESULT;

/* the audit log and figures */
SUIT_AVAILABLE_IN_0_1
gchar *
suit_status_tracker_list_events(SuitStatusTracker *self,
				const gchar *device_id,
				const gchar *campaign_id,
				guint64 since,
				guint limit,
				GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
gchar *
suit_status_tracker_get_statistics(SuitStatusTracker *self, GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
