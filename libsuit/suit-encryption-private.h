/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

#include "suit-key.h"

G_BEGIN_DECLS

/*
 * Payload decryption (draft-ietf-suit-firmware-encryption).
 *
 * SUIT_Encryption_Info is a COSE_Encrypt (tag 96) with a detached (nil)
 * ciphertext. Content algorithms: A128GCM (1) and A128CTR (-65534, which has
 * no integrity: the caller must check the digest of the plaintext).
 * Recipients: A128KW (-3) with a 16-byte symmetric KEK, and ECDH-ES+A128KW
 * (-29) with a P-256 private key. When a key and a recipient both carry a key
 * id, they must be equal for the key to be tried.
 */

/* COSE algorithm ids */
#define SUIT_ENCRYPTION_ALG_A128GCM	   1
#define SUIT_ENCRYPTION_ALG_A128CTR	   (-65534)
#define SUIT_ENCRYPTION_ALG_A128KW	   (-3)
#define SUIT_ENCRYPTION_ALG_ECDH_ES_A128KW (-29)

/* the largest encoded SUIT_Encryption_Info accepted */
#define SUIT_ENCRYPTION_MAX_INFO_SIZE (64 * 1024)
/* how many recipients are looked at */
#define SUIT_ENCRYPTION_MAX_RECIPIENTS 16
/* the largest ciphertext decrypted (in memory) */
#define SUIT_ENCRYPTION_MAX_CIPHERTEXT_SIZE (64 * 1024 * 1024)

/*
 * Decrypts @ciphertext (for A128GCM including the 16-byte tag) with the
 * encoded SUIT_Encryption_Info @info, trying each of @keys (element-type
 * SuitKey) on each recipient. Returns the plaintext (transfer full).
 *
 * Errors: SUIT_ERROR_INVALID_CBOR / SUIT_ERROR_INVALID_DATA for malformed
 * info, SUIT_ERROR_UNSUPPORTED_ALGORITHM for unknown content or recipient
 * algorithms, SUIT_ERROR_NOT_FOUND when no key fits any recipient,
 * SUIT_ERROR_SIGNATURE_INVALID when unwrapping or the GCM tag check fails,
 * SUIT_ERROR_LIMIT_EXCEEDED for oversized input.
 */
GBytes *
suit_encryption_decrypt(GBytes *info, GBytes *ciphertext, GPtrArray *keys, GError **error)
    G_GNUC_WARN_UNUSED_RESULT;

/* the encoded COSE_KDF_Context for ECDH-ES+A128KW over @recipient_protected */
GBytes *
suit_encryption_kdf_context(GBytes *recipient_protected);

G_END_DECLS
