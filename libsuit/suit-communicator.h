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

#include "suit-fetcher.h"
#include "suit-firmware-consumer.h"
#include "suit-key.h"
#include "suit-store.h"
#include "suit-version-macros.h"

G_BEGIN_DECLS

#define SUIT_TYPE_COMMUNICATOR (suit_communicator_get_type())
SUIT_AVAILABLE_IN_0_1
G_DECLARE_FINAL_TYPE(SuitCommunicator, suit_communicator, SUIT, COMMUNICATOR, GObject)

SUIT_AVAILABLE_IN_0_1
SuitCommunicator *
suit_communicator_new(SuitFirmwareConsumer *consumer,
		      SuitStore *store,
		      const gchar *server_uri,
		      const gchar *token,
		      GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
SuitFetcher *
suit_communicator_new_fetcher(const gchar *server_uri, SuitFetcher *fetcher, GError **error)
    G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
void
suit_communicator_set_device_key(SuitCommunicator *self, SuitKey *key);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_communicator_set_state_directory(SuitCommunicator *self, const gchar *path, GError **error);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_communicator_set_ca_file(SuitCommunicator *self, const gchar *path, GError **error);
SUIT_AVAILABLE_IN_0_1
void
suit_communicator_set_poll_interval(SuitCommunicator *self, guint seconds);
SUIT_AVAILABLE_IN_0_1
guint
suit_communicator_get_poll_interval(SuitCommunicator *self);
SUIT_AVAILABLE_IN_0_1
const gchar *
suit_communicator_get_manifest(SuitCommunicator *self);
SUIT_AVAILABLE_IN_0_1
void
suit_communicator_set_jitter(SuitCommunicator *self, gdouble fraction);
SUIT_AVAILABLE_IN_0_1
void
suit_communicator_set_max_retries(SuitCommunicator *self, guint retries);
SUIT_AVAILABLE_IN_0_1
void
suit_communicator_set_health_command(SuitCommunicator *self, const gchar *command);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_communicator_run_once(SuitCommunicator *self,
			   SuitCommunicatorOutcome *outcome,
			   GCancellable *cancellable,
			   GError **error);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_communicator_run(SuitCommunicator *self, GCancellable *cancellable, GError **error);

G_END_DECLS
