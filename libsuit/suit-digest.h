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

#include "suit-enums.h"
#include "suit-version-macros.h"

G_BEGIN_DECLS

#define SUIT_TYPE_DIGEST (suit_digest_get_type())

/**
 * SuitDigest:
 *
 * An immutable SUIT_Digest: a COSE hash algorithm id and the digest bytes.
 *
 * Since: 0.1
 */
typedef struct _SuitDigest SuitDigest;

SUIT_AVAILABLE_IN_0_1
GType
suit_digest_get_type(void) G_GNUC_CONST;
SUIT_AVAILABLE_IN_0_1
SuitDigest *
suit_digest_new(gint algorithm, GBytes *value) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
SuitDigest *
suit_digest_compute(SuitDigestAlgorithm algorithm, GBytes *data, GError **error)
    G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
SuitDigest *
suit_digest_new_from_cbor(GBytes *cbor, GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
GBytes *
suit_digest_to_cbor(const SuitDigest *self) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
SuitDigest *
suit_digest_ref(SuitDigest *self);
SUIT_AVAILABLE_IN_0_1
void
suit_digest_unref(SuitDigest *self);
SUIT_AVAILABLE_IN_0_1
gint
suit_digest_get_algorithm(const SuitDigest *self);
SUIT_AVAILABLE_IN_0_1
GBytes *
suit_digest_get_value(const SuitDigest *self);
SUIT_AVAILABLE_IN_0_1
gchar *
suit_digest_to_hex(const SuitDigest *self) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
gboolean
suit_digest_equal(const SuitDigest *a, const SuitDigest *b);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_digest_check(const SuitDigest *self, GBytes *data, GError **error);
SUIT_AVAILABLE_IN_0_1
const gchar *
suit_digest_algorithm_to_string(gint algorithm);
SUIT_AVAILABLE_IN_0_1
gint
suit_digest_algorithm_from_string(const gchar *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SuitDigest, suit_digest_unref)

G_END_DECLS
