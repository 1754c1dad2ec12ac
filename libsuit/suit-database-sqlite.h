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

#define SUIT_TYPE_DATABASE_SQLITE (suit_database_sqlite_get_type())
SUIT_AVAILABLE_IN_0_1
G_DECLARE_FINAL_TYPE(SuitDatabaseSqlite, suit_database_sqlite, SUIT, DATABASE_SQLITE, GObject)

SUIT_AVAILABLE_IN_0_1
SuitDatabaseSqlite *
suit_database_sqlite_new(const gchar *path, GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
const gchar *
suit_database_sqlite_get_path(SuitDatabaseSqlite *self);

G_END_DECLS
