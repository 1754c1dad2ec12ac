/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

#include "suit-key.h"

G_BEGIN_DECLS

#define SUIT_KEY_P256_SCALAR_SIZE 32

/*
 * The secret of a symmetric key (transfer none), or NULL for other keys. The
 * buffer belongs to the key and is wiped when the key is finalized; never log
 * it.
 */
const guint8 *
suit_key_peek_secret(SuitKey *self, gsize *len);

/*
 * Exports the private scalar of a P-256 key pair, big-endian and left-padded
 * to 32 bytes, into @scalar. Fails with SUIT_ERROR_NOT_SUPPORTED for other
 * keys, public-only keys and tokens that do not export. The caller wipes
 * @scalar after use.
 */
gboolean
suit_key_export_p256_scalar(SuitKey *self, guint8 scalar[SUIT_KEY_P256_SCALAR_SIZE], GError **error);

G_END_DECLS
