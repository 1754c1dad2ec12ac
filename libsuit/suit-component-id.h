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

#include "suit-version-macros.h"

G_BEGIN_DECLS

#define SUIT_TYPE_COMPONENT_ID (suit_component_id_get_type())

/**
 * SuitComponentId:
 *
 * A SUIT_Component_Identifier: a list of byte strings that names a component,
 * like a path (`['TEEP-Device', 'SecureFS', 'config.json']`) or a slot
 * (`[h'00']`).
 *
 * Since: 0.1
 */
typedef struct _SuitComponentId SuitComponentId;

SUIT_AVAILABLE_IN_0_1
GType
suit_component_id_get_type(void) G_GNUC_CONST;
SUIT_AVAILABLE_IN_0_1
SuitComponentId *
suit_component_id_new(void) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
SuitComponentId *
suit_component_id_new_from_cbor(GBytes *cbor, GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
GBytes *
suit_component_id_to_cbor(const SuitComponentId *self) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
SuitComponentId *
suit_component_id_ref(SuitComponentId *self);
SUIT_AVAILABLE_IN_0_1
void
suit_component_id_unref(SuitComponentId *self);
SUIT_AVAILABLE_IN_0_1
void
suit_component_id_append(SuitComponentId *self, GBytes *part);
SUIT_AVAILABLE_IN_0_1
guint
suit_component_id_get_length(const SuitComponentId *self);
SUIT_AVAILABLE_IN_0_1
GBytes *
suit_component_id_get_part(const SuitComponentId *self, guint idx);
SUIT_AVAILABLE_IN_0_1
gchar *
suit_component_id_to_string(const SuitComponentId *self) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
gboolean
suit_component_id_equal(const SuitComponentId *a, const SuitComponentId *b);
SUIT_AVAILABLE_IN_0_1
guint
suit_component_id_hash(const SuitComponentId *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SuitComponentId, suit_component_id_unref)

G_END_DECLS
