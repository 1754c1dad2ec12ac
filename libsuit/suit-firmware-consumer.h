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

#include "suit-component-id.h"
#include "suit-envelope.h"
#include "suit-fetcher.h"
#include "suit-keyring.h"
#include "suit-progress.h"
#include "suit-report.h"
#include "suit-store.h"
#include "suit-version-macros.h"

G_BEGIN_DECLS

#define SUIT_TYPE_FIRMWARE_CONSUMER (suit_firmware_consumer_get_type())
SUIT_AVAILABLE_IN_0_1
G_DECLARE_FINAL_TYPE(SuitFirmwareConsumer, suit_firmware_consumer, SUIT, FIRMWARE_CONSUMER, GObject)

SUIT_AVAILABLE_IN_0_1
SuitFirmwareConsumer *
suit_firmware_consumer_new(SuitKeyring *keyring, SuitStore *store, SuitFetcher *fetcher)
    G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
void
suit_firmware_consumer_set_vendor_id(SuitFirmwareConsumer *self, GBytes *vendor_id);
SUIT_AVAILABLE_IN_0_1
void
suit_firmware_consumer_set_class_id(SuitFirmwareConsumer *self, GBytes *class_id);
SUIT_AVAILABLE_IN_0_1
void
suit_firmware_consumer_set_device_id(SuitFirmwareConsumer *self, GBytes *device_id);
SUIT_AVAILABLE_IN_0_1
void
suit_firmware_consumer_set_component_slot(SuitFirmwareConsumer *self,
					  SuitComponentId *component,
					  guint64 slot);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_firmware_consumer_set_component_version(SuitFirmwareConsumer *self,
					     SuitComponentId *component,
					     const gchar *version,
					     GError **error);
SUIT_AVAILABLE_IN_0_1
void
suit_firmware_consumer_set_battery_level(SuitFirmwareConsumer *self, gint level);
SUIT_AVAILABLE_IN_0_1
void
suit_firmware_consumer_set_update_authorized(SuitFirmwareConsumer *self, gboolean authorized);
SUIT_AVAILABLE_IN_0_1
void
suit_firmware_consumer_add_decryption_key(SuitFirmwareConsumer *self, SuitKey *key);
SUIT_AVAILABLE_IN_0_1
void
suit_firmware_consumer_set_time(SuitFirmwareConsumer *self, gint64 unix_seconds);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_firmware_consumer_update(SuitFirmwareConsumer *self,
			      SuitEnvelope *envelope,
			      SuitProgress *progress,
			      GCancellable *cancellable,
			      GError **error);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_firmware_consumer_invoke(SuitFirmwareConsumer *self,
			      SuitEnvelope *envelope,
			      SuitProgress *progress,
			      GCancellable *cancellable,
			      GError **error);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_firmware_consumer_uninstall(SuitFirmwareConsumer *self,
				 SuitEnvelope *envelope,
				 SuitProgress *progress,
				 GCancellable *cancellable,
				 GError **error);
SUIT_AVAILABLE_IN_0_1
SuitReport *
suit_firmware_consumer_get_report(SuitFirmwareConsumer *self);
SUIT_AVAILABLE_IN_0_1
GPtrArray *
suit_firmware_consumer_get_trace(SuitFirmwareConsumer *self);

G_END_DECLS
