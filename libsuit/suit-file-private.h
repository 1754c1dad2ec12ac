/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* small crash-safe files: what the directory store and the communicator
 * keep their state in (not installed) */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean
suit_file_sync_directory(const gchar *path, GError **error);
gboolean
suit_file_replace(const gchar *directory,
		  const gchar *name,
		  const gchar *tmp_prefix,
		  GBytes *contents,
		  GError **error);
GBytes *
suit_file_read_small(const gchar *path, gsize max_size, GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
