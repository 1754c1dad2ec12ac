/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__LIBSUIT_INSIDE__) && !defined(SUIT_COMPILATION)
#error "Only <libsuit/suit.h> can be included directly."
#endif

#include "suit-store.h"

G_BEGIN_DECLS

#define SUIT_TYPE_STORE_DIRECTORY (suit_store_directory_get_type())
SUIT_AVAILABLE_IN_0_1
G_DECLARE_FINAL_TYPE(SuitStoreDirectory, suit_store_directory, SUIT, STORE_DIRECTORY, GObject)

SUIT_AVAILABLE_IN_0_1
SuitStoreDirectory *
suit_store_directory_new(const gchar *path, GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
const gchar *
suit_store_directory_get_path(SuitStoreDirectory *self);

G_END_DECLS
