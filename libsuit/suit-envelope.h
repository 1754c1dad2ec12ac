/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__LIBSUIT_INSIDE__) && !defined(SUIT_COMPILATION)
#error "Only <libsuit/suit.h> can be included directly."
#endif

#include <glib-object.h>

#include "suit-digest.h"
#include "suit-enums.h"
#include "suit-key.h"
#include "suit-keyring.h"
#include "suit-manifest.h"
#include "suit-version-macros.h"

G_BEGIN_DECLS

#define SUIT_TYPE_ENVELOPE (suit_envelope_get_type())
SUIT_AVAILABLE_IN_0_1
G_DECLARE_FINAL_TYPE(SuitEnvelope, suit_envelope, SUIT, ENVELOPE, GObject)

SUIT_AVAILABLE_IN_0_1
SuitEnvelope *
suit_envelope_new_from_bytes(GBytes *blob, SuitParseFlags flags, GError **error)
    G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
SuitEnvelope *
suit_envelope_new_from_json(const gchar *json, GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
SuitEnvelope *
suit_envelope_new_for_manifest(SuitManifest *manifest, GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
gboolean
suit_envelope_verify(SuitEnvelope *self, SuitKeyring *keyring, SuitVerifyFlags flags, GError **error);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_envelope_is_verified(SuitEnvelope *self);
SUIT_AVAILABLE_IN_0_1
SuitManifest *
suit_envelope_get_manifest(SuitEnvelope *self, GError **error);
SUIT_AVAILABLE_IN_0_1
SuitManifest *
suit_envelope_peek_manifest(SuitEnvelope *self, GError **error);
SUIT_AVAILABLE_IN_0_1
SuitDigest *
suit_envelope_get_manifest_digest(SuitEnvelope *self);
SUIT_AVAILABLE_IN_0_1
GBytes *
suit_envelope_get_manifest_bytes(SuitEnvelope *self);
SUIT_AVAILABLE_IN_0_1
guint
suit_envelope_get_n_authentication_blocks(SuitEnvelope *self);
SUIT_AVAILABLE_IN_0_1
GBytes *
suit_envelope_get_authentication_block(SuitEnvelope *self, guint idx);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_envelope_get_tagged(SuitEnvelope *self);
SUIT_AVAILABLE_IN_0_1
void
suit_envelope_set_tagged(SuitEnvelope *self, gboolean tagged);
SUIT_AVAILABLE_IN_0_1
GBytes *
suit_envelope_get_member(SuitEnvelope *self, gint64 key);
SUIT_AVAILABLE_IN_0_1
GPtrArray *
suit_envelope_get_integrated_names(SuitEnvelope *self);
SUIT_AVAILABLE_IN_0_1
GBytes *
suit_envelope_get_integrated(SuitEnvelope *self, const gchar *name);
SUIT_AVAILABLE_IN_0_1
void
suit_envelope_set_integrated(SuitEnvelope *self, const gchar *name, GBytes *data);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_envelope_sign(SuitEnvelope *self,
		   SuitKey *key,
		   SuitCoseAlgorithm algorithm,
		   GBytes *key_id,
		   GError **error);
SUIT_AVAILABLE_IN_0_1
void
suit_envelope_clear_authentication(SuitEnvelope *self);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_envelope_sever(SuitEnvelope *self, gint64 key, GError **error);
SUIT_AVAILABLE_IN_0_1
GBytes *
suit_envelope_to_bytes(SuitEnvelope *self, GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
gchar *
suit_envelope_to_json(SuitEnvelope *self, SuitJsonFlags flags, GError **error)
    G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
gchar *
suit_envelope_to_string(SuitEnvelope *self) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
