/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "suit-cbor-private.h"
#include "suit-keyring.h"

G_BEGIN_DECLS

/* COSE CBOR tags */
#define SUIT_COSE_TAG_SIGN1   18
#define SUIT_COSE_TAG_MAC0    17
#define SUIT_COSE_TAG_SIGN    98
#define SUIT_COSE_TAG_MAC     97
#define SUIT_COSE_TAG_ENCRYPT 96

/* COSE header labels */
#define SUIT_COSE_HEADER_ALG  1
#define SUIT_COSE_HEADER_CRIT 2
#define SUIT_COSE_HEADER_KID  4

typedef enum {
	SUIT_COSE_TYPE_UNKNOWN,
	SUIT_COSE_TYPE_SIGN1,
	SUIT_COSE_TYPE_SIGN,
	SUIT_COSE_TYPE_MAC0,
	SUIT_COSE_TYPE_MAC,
} SuitCoseType;

/* what one authentication block holds, for inspect and verification */
typedef struct {
	SuitCoseType type;
	SuitCoseAlgorithm algorithm; /* of the (first) signer / the MAC */
	GBytes *key_id;		     /* (nullable) kid of the (first) signer */
	guint n_signers;	     /* 1 for Sign1/Mac0 */
} SuitCoseInfo;

void
suit_cose_info_free(SuitCoseInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SuitCoseInfo, suit_cose_info_free)

const gchar *
suit_cose_type_to_string(SuitCoseType type);

/*
 * Parses a tagged COSE structure (Sign1 18, Sign 98, Mac0 17, Mac 97) without
 * verifying it, for inspection. Fails with invalid-cbor / invalid-data, and
 * unsupported-element for unknown labels in a "crit" header.
 */
SuitCoseInfo *
suit_cose_inspect(GBytes *cose, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/*
 * Verifies a tagged COSE_Sign1, COSE_Sign (every signer is tried; one that
 * verifies with a key of the keyring is enough) or COSE_Mac0 whose payload is
 * detached (nil) or equal to @payload, against @payload.
 *
 * Key choice: keys whose type suits the algorithm; if the block has a kid and
 * a key of the keyring has a key id set, only matching ids are tried.
 *
 * Errors: invalid-cbor / invalid-data for a malformed block,
 * unsupported-algorithm for an unknown or missing alg (alg must be in the
 * protected header), unsupported-element for unknown "crit" labels,
 * signature-invalid when no key verifies it (also when the keyring has no
 * suitable key). On success, if @used_key is not NULL it gets the key that
 * verified (transfer full).
 */
gboolean
suit_cose_verify(GBytes *cose, GBytes *payload, SuitKeyring *keyring, SuitKey **used_key, GError **error);

/*
 * Creates a tagged COSE_Sign1 (asymmetric key) or COSE_Mac0 (symmetric key)
 * over @payload with a detached payload (nil) unless @attach_payload.
 * Protected header {1: alg}; unprotected {4: kid} only when @key_id is not
 * NULL, else {}. ECDSA signatures are raw r||s.
 */
GBytes *
suit_cose_sign(GBytes *payload,
	       SuitKey *key,
	       SuitCoseAlgorithm algorithm,
	       GBytes *key_id,
	       gboolean attach_payload,
	       GError **error) G_GNUC_WARN_UNUSED_RESULT;

/*
 * For an attached-payload COSE_Sign1 (SUIT reports): verify and return the
 * payload (transfer full).
 */
GBytes *
suit_cose_verify_attached(GBytes *cose, SuitKeyring *keyring, SuitKey **used_key, GError **error)
    G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
