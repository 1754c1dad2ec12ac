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
#include "suit-keyring.h"
#include "suit-version-macros.h"

G_BEGIN_DECLS

#define SUIT_TYPE_FIRMWARE_SERVER (suit_firmware_server_get_type())
SUIT_AVAILABLE_IN_0_1
G_DECLARE_FINAL_TYPE(SuitFirmwareServer, suit_firmware_server, SUIT, FIRMWARE_SERVER, GObject)

SUIT_AVAILABLE_IN_0_1
SuitFirmwareServer *
suit_firmware_server_new(const gchar *directory,
			 SuitDatabase *database,
			 SuitKeyring *trusted,
			 GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
const gchar *
suit_firmware_server_get_directory(SuitFirmwareServer *self);
SUIT_AVAILABLE_IN_0_1
SuitKeyring *
suit_firmware_server_get_keyring(SuitFirmwareServer *self);

SUIT_AVAILABLE_IN_0_1
gchar *
suit_firmware_server_add_payload(SuitFirmwareServer *self,
				 GInputStream *stream,
				 guint64 max_size,
				 guint64 *size,
				 GCancellable *cancellable,
				 GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
gchar *
suit_firmware_server_import_payload(SuitFirmwareServer *self,
				    const gchar *path,
				    guint64 *size,
				    GCancellable *cancellable,
				    GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
gchar *
suit_firmware_server_add_payload_bytes(SuitFirmwareServer *self, GBytes *payload, GError **error)
    G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
gboolean
suit_firmware_server_has_payload(SuitFirmwareServer *self, const gchar *digest);
SUIT_AVAILABLE_IN_0_1
gchar *
suit_firmware_server_get_payload_path(SuitFirmwareServer *self,
				      const gchar *digest,
				      guint64 *size,
				      GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
GInputStream *
suit_firmware_server_read_payload(SuitFirmwareServer *self,
				  const gchar *digest,
				  guint64 offset,
				  guint64 length,
				  GCancellable *cancellable,
				  GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
GBytes *
suit_firmware_server_read_payload_bytes(SuitFirmwareServer *self,
					const gchar *digest,
					guint64 offset,
					guint64 length,
					GError **error) G_GNUC_WARN_UNUSED_RESULT;

SUIT_AVAILABLE_IN_0_1
gchar *
suit_firmware_server_add_envelope(SuitFirmwareServer *self, GBytes *envelope, GError **error)
    G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
GBytes *
suit_firmware_server_get_envelope(SuitFirmwareServer *self, const gchar *id, GError **error)
    G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
gchar *
suit_firmware_server_get_manifest(SuitFirmwareServer *self, const gchar *id, GError **error)
    G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
gchar *
suit_firmware_server_list_manifests(SuitFirmwareServer *self,
				    const gchar *vendor_id,
				    const gchar *class_id,
				    GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
