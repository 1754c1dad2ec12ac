/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

#include "suit-cbor-private.h"
#include "suit.h"

G_BEGIN_DECLS

/* the shared vectors directory ($SUIT_TEST_VECTORS), or skips the test */
const gchar *
suit_test_vectors_dir(void);
/* reads a file below the vectors directory; aborts the test if it is missing */
GBytes *
suit_test_load_vector(const gchar *relpath);
/* absolute path of a file below the vectors directory (transfer full) */
gchar *
suit_test_vector_path(const gchar *relpath);
/* a copy of @bytes with byte @idx XOR @mask */
GBytes *
suit_test_bytes_flip(GBytes *bytes, gsize idx, guint8 mask);
/* hex helpers */
GBytes *
suit_test_bytes_from_hex(const gchar *hex);
gchar *
suit_test_bytes_to_hex(GBytes *bytes);
/* the decoded envelope map of @blob, tag 107 removed (transfer full) */
SuitCborItem *
suit_test_envelope_map(GBytes *blob);
/* the manifest bytes (content of key 3) of the envelope @blob */
GBytes *
suit_test_envelope_manifest_bytes(GBytes *blob);
/* the manifest of the envelope vector @relpath */
SuitManifest *
suit_test_load_manifest(const gchar *relpath);
/* the relative paths of every .suit vector, recursively, sorted (element-type utf8) */
GPtrArray *
suit_test_collect_vectors(void);

G_END_DECLS
