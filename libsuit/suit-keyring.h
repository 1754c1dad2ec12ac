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

#include "suit-key.h"
#include "suit-version-macros.h"

G_BEGIN_DECLS

#define SUIT_TYPE_KEYRING (suit_keyring_get_type())
SUIT_AVAILABLE_IN_0_1
G_DECLARE_FINAL_TYPE(SuitKeyring, suit_keyring, SUIT, KEYRING, GObject)

SUIT_AVAILABLE_IN_0_1
SuitKeyring *
suit_keyring_new(void) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
void
suit_keyring_add(SuitKeyring *self, SuitKey *key);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_keyring_add_from_file(SuitKeyring *self, const gchar *filename, GError **error);
SUIT_AVAILABLE_IN_0_1
guint
suit_keyring_get_size(SuitKeyring *self);
SUIT_AVAILABLE_IN_0_1
GPtrArray *
suit_keyring_get_keys(SuitKeyring *self);
SUIT_AVAILABLE_IN_0_1
GPtrArray *
suit_keyring_find(SuitKeyring *self, SuitCoseAlgorithm algorithm, GBytes *key_id);

G_END_DECLS
