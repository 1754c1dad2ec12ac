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

#include "suit-command.h"
#include "suit-component-id.h"
#include "suit-digest.h"
#include "suit-enums.h"
#include "suit-version-macros.h"

G_BEGIN_DECLS

#define SUIT_TYPE_MANIFEST (suit_manifest_get_type())
SUIT_AVAILABLE_IN_0_1
G_DECLARE_FINAL_TYPE(SuitManifest, suit_manifest, SUIT, MANIFEST, GObject)

SUIT_AVAILABLE_IN_0_1
SuitManifest *
suit_manifest_new_from_bytes(GBytes *cbor, SuitParseFlags flags, GError **error)
    G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
SuitManifest *
suit_manifest_new_from_json(const gchar *json, GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
GBytes *
suit_manifest_to_bytes(SuitManifest *self) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
gchar *
suit_manifest_to_json(SuitManifest *self, SuitJsonFlags flags) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
gchar *
suit_manifest_to_string(SuitManifest *self) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
guint64
suit_manifest_get_version(SuitManifest *self);
SUIT_AVAILABLE_IN_0_1
guint64
suit_manifest_get_sequence_number(SuitManifest *self);
SUIT_AVAILABLE_IN_0_1
const gchar *
suit_manifest_get_reference_uri(SuitManifest *self);
SUIT_AVAILABLE_IN_0_1
SuitComponentId *
suit_manifest_get_manifest_component_id(SuitManifest *self);
SUIT_AVAILABLE_IN_0_1
GPtrArray *
suit_manifest_get_components(SuitManifest *self);
SUIT_AVAILABLE_IN_0_1
GArray *
suit_manifest_get_dependency_indices(SuitManifest *self);
SUIT_AVAILABLE_IN_0_1
SuitComponentId *
suit_manifest_get_dependency_prefix(SuitManifest *self, guint index);
SUIT_AVAILABLE_IN_0_1
SuitCommandSequence *
suit_manifest_get_sequence(SuitManifest *self, SuitSection section);
SUIT_AVAILABLE_IN_0_1
SuitMemberState
suit_manifest_get_member_state(SuitManifest *self, gint64 key);
SUIT_AVAILABLE_IN_0_1
SuitDigest *
suit_manifest_get_member_digest(SuitManifest *self, gint64 key);
SUIT_AVAILABLE_IN_0_1
gchar *
suit_manifest_dup_text(SuitManifest *self,
		       const gchar *language,
		       SuitComponentId *component,
		       gint64 key);
SUIT_AVAILABLE_IN_0_1
GPtrArray *
suit_manifest_get_unknown_elements(SuitManifest *self);
SUIT_AVAILABLE_IN_0_1
const gchar *
suit_section_to_string(SuitSection section);

G_END_DECLS
