/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>

#include "suit-store.h"

G_BEGIN_DECLS

/* the GnuTLS digest of @algorithm, or SUIT_ERROR_UNSUPPORTED_ALGORITHM */
gboolean
suit_store_algorithm_to_gnutls(SuitDigestAlgorithm algorithm,
			       gnutls_digest_algorithm_t *out,
			       GError **error);
/* deinitializes @hash and returns its value as a #SuitDigest */
SuitDigest *
suit_store_hash_finish(gnutls_hash_hd_t hash, SuitDigestAlgorithm algorithm);
/* the A/B state of a component that has an image */
SuitStoreImageState
suit_store_image_state(gboolean has_pending, gboolean tried);
/* the SUIT_ERROR_CONFLICT for confirming @component with nothing pending */
gboolean
suit_store_no_pending_image(SuitComponentId *component, GError **error);

G_END_DECLS
