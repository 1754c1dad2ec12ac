/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsuit/suit.h>

G_BEGIN_DECLS

#define SUIT_TYPE_REST_SERVER (suit_rest_server_get_type())
G_DECLARE_FINAL_TYPE(SuitRestServer, suit_rest_server, SUIT, REST_SERVER, GObject)

SuitRestServer *
suit_rest_server_new(SuitStatusTracker *tracker, SuitFirmwareServer *firmware_server)
    G_GNUC_WARN_UNUSED_RESULT;
void
suit_rest_server_set_upload_directory(SuitRestServer *self, const gchar *directory);
void
suit_rest_server_set_max_payload_size(SuitRestServer *self, guint64 max_payload_size);
void
suit_rest_server_set_header_timeout(SuitRestServer *self, guint seconds);
void
suit_rest_server_set_request_log(SuitRestServer *self, gboolean request_log);
void
suit_rest_server_set_fast_path(SuitRestServer *self, gboolean fast_path);
void
suit_rest_server_set_tls_certificate(SuitRestServer *self, GTlsCertificate *certificate);
gboolean
suit_rest_server_listen(SuitRestServer *self,
			GInetAddress *address,
			guint port,
			guint n_threads,
			GError **error);
guint
suit_rest_server_get_port(SuitRestServer *self);
gchar *
suit_rest_server_dup_base_url(SuitRestServer *self) G_GNUC_WARN_UNUSED_RESULT;
void
suit_rest_server_stop(SuitRestServer *self, guint timeout_ms);
void
suit_rest_server_print_routes(void);

G_END_DECLS
