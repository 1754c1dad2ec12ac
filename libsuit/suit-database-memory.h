/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__LIBSUIT_INSIDE__) && !defined(SUIT_COMPILATION)
#error "Only <libsuit/suit.h> can be included directly."
#endif

#include "suit-database.h"

G_BEGIN_DECLS

#define SUIT_TYPE_DATABASE_MEMORY (suit_database_memory_get_type())
SUIT_AVAILABLE_IN_0_1
G_DECLARE_FINAL_TYPE(SuitDatabaseMemory, suit_database_memory, SUIT, DATABASE_MEMORY, GObject)

SUIT_AVAILABLE_IN_0_1
SuitDatabaseMemory *
suit_database_memory_new(void) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
