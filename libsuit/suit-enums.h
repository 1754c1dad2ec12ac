/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__LIBSUIT_INSIDE__) && !defined(SUIT_COMPILATION)
#error "Only <libsuit/suit.h> can be included directly."
#endif

#include <glib.h>

#include "suit-version-macros.h"

G_BEGIN_DECLS

/**
 * SuitDigestAlgorithm:
 * @SUIT_DIGEST_ALGORITHM_SHA256: SHA-256, COSE id -16 (mandatory)
 * @SUIT_DIGEST_ALGORITHM_SHA384: SHA-384, COSE id -43
 * @SUIT_DIGEST_ALGORITHM_SHA512: SHA-512, COSE id -44
 *
 * Digest algorithms of a SUIT_Digest, valued as their COSE algorithm ids.
 *
 * Since: 0.1
 */
typedef enum {
	SUIT_DIGEST_ALGORITHM_SHA256 = -16,
	SUIT_DIGEST_ALGORITHM_SHA384 = -43,
	SUIT_DIGEST_ALGORITHM_SHA512 = -44,
} SuitDigestAlgorithm;

/**
 * SuitCoseAlgorithm:
 * @SUIT_COSE_ALGORITHM_NONE: no algorithm chosen
 * @SUIT_COSE_ALGORITHM_ES256: ECDSA P-256 with SHA-256, polymorphic id -7
 * @SUIT_COSE_ALGORITHM_ESP256: ECDSA P-256 with SHA-256, fully specified id -9
 * @SUIT_COSE_ALGORITHM_EDDSA: EdDSA, polymorphic id -8 (Ed25519 keys)
 * @SUIT_COSE_ALGORITHM_ED25519: Ed25519, fully specified id -19
 * @SUIT_COSE_ALGORITHM_HMAC_256: HMAC with SHA-256 and a 256-bit tag, id 5
 *
 * Authentication algorithms of COSE blocks, valued as their COSE algorithm ids.
 * ES256 and ESP256 are the same computation, as are EdDSA and Ed25519 for the
 * keys libsuit supports.
 *
 * Since: 0.1
 */
typedef enum {
	SUIT_COSE_ALGORITHM_NONE = 0,
	SUIT_COSE_ALGORITHM_ES256 = -7,
	SUIT_COSE_ALGORITHM_ESP256 = -9,
	SUIT_COSE_ALGORITHM_EDDSA = -8,
	SUIT_COSE_ALGORITHM_ED25519 = -19,
	SUIT_COSE_ALGORITHM_HMAC_256 = 5,
} SuitCoseAlgorithm;

/**
 * SuitKeyType:
 * @SUIT_KEY_TYPE_UNKNOWN: not set
 * @SUIT_KEY_TYPE_P256: an ECDSA key on the NIST P-256 curve
 * @SUIT_KEY_TYPE_ED25519: an Ed25519 key
 * @SUIT_KEY_TYPE_SYMMETRIC: a secret for HMAC
 *
 * The kind of a #SuitKey.
 *
 * Since: 0.1
 */
typedef enum {
	SUIT_KEY_TYPE_UNKNOWN,
	SUIT_KEY_TYPE_P256,
	SUIT_KEY_TYPE_ED25519,
	SUIT_KEY_TYPE_SYMMETRIC,
} SuitKeyType;

/**
 * SuitSection:
 * @SUIT_SECTION_NONE: no section
 * @SUIT_SECTION_SHARED: the shared sequence of suit-common (common key 4)
 * @SUIT_SECTION_VALIDATE: suit-validate (7)
 * @SUIT_SECTION_LOAD: suit-load (8)
 * @SUIT_SECTION_INVOKE: suit-invoke (9)
 * @SUIT_SECTION_DEPENDENCY_RESOLUTION: suit-dependency-resolution (15, severable)
 * @SUIT_SECTION_PAYLOAD_FETCH: suit-payload-fetch (16, severable)
 * @SUIT_SECTION_CANDIDATE_VERIFICATION: suit-candidate-verification (18, severable)
 * @SUIT_SECTION_INSTALL: suit-install (20, severable)
 * @SUIT_SECTION_UNINSTALL: suit-uninstall (24)
 *
 * The command sequences of a manifest, valued as their manifest keys (the
 * shared sequence, which lives inside suit-common, uses its common key 4 as a
 * negative value so that it never collides with a manifest key).
 *
 * Since: 0.1
 */
typedef enum {
	SUIT_SECTION_NONE = 0,
	SUIT_SECTION_SHARED = -4,
	SUIT_SECTION_VALIDATE = 7,
	SUIT_SECTION_LOAD = 8,
	SUIT_SECTION_INVOKE = 9,
	SUIT_SECTION_DEPENDENCY_RESOLUTION = 15,
	SUIT_SECTION_PAYLOAD_FETCH = 16,
	SUIT_SECTION_CANDIDATE_VERIFICATION = 18,
	SUIT_SECTION_INSTALL = 20,
	SUIT_SECTION_UNINSTALL = 24,
} SuitSection;

/**
 * SuitMemberState:
 * @SUIT_MEMBER_STATE_ABSENT: the manifest does not have this element
 * @SUIT_MEMBER_STATE_INLINE: the element is inside the manifest
 * @SUIT_MEMBER_STATE_SEVERED: the manifest holds only the digest and the envelope does not carry the element
 * @SUIT_MEMBER_STATE_ATTACHED: the manifest holds the digest and the envelope carries the element, which matched it
 *
 * Where a severable manifest element is.
 *
 * Since: 0.1
 */
typedef enum {
	SUIT_MEMBER_STATE_ABSENT,
	SUIT_MEMBER_STATE_INLINE,
	SUIT_MEMBER_STATE_SEVERED,
	SUIT_MEMBER_STATE_ATTACHED,
} SuitMemberState;

/**
 * SuitParseFlags:
 * @SUIT_PARSE_FLAG_NONE: strict parsing
 * @SUIT_PARSE_FLAG_ALLOW_DUPLICATE_KEYS: accept duplicate map keys (the first one wins) instead of failing
 *
 * Options for parsing untrusted input.
 *
 * Since: 0.1
 */
typedef enum /*< flags >*/ {
	SUIT_PARSE_FLAG_NONE = 0,
	SUIT_PARSE_FLAG_ALLOW_DUPLICATE_KEYS = 1 << 0,
} SuitParseFlags;

/**
 * SuitVerifyFlags:
 * @SUIT_VERIFY_FLAG_NONE: verify everything
 * @SUIT_VERIFY_FLAG_REQUIRE_ALL: every authentication block must verify with a key of the keyring, not just one
 *
 * Options for suit_envelope_verify().
 *
 * Since: 0.1
 */
typedef enum /*< flags >*/ {
	SUIT_VERIFY_FLAG_NONE = 0,
	SUIT_VERIFY_FLAG_REQUIRE_ALL = 1 << 0,
} SuitVerifyFlags;

/**
 * SuitJsonFlags:
 * @SUIT_JSON_FLAG_NONE: compact JSON
 * @SUIT_JSON_FLAG_PRETTY: indented JSON for people
 *
 * Options for the JSON mirror.
 *
 * Since: 0.1
 */
typedef enum /*< flags >*/ {
	SUIT_JSON_FLAG_NONE = 0,
	SUIT_JSON_FLAG_PRETTY = 1 << 0,
} SuitJsonFlags;

/**
 * SuitCommandKind:
 * @SUIT_COMMAND_KIND_CONDITION: a condition (it has no side effects)
 * @SUIT_COMMAND_KIND_DIRECTIVE: a directive
 * @SUIT_COMMAND_KIND_CUSTOM: a private-use command (code -257 or lower)
 * @SUIT_COMMAND_KIND_UNKNOWN: a code libsuit does not know
 *
 * What a command of a command sequence is.
 *
 * Since: 0.1
 */
typedef enum {
	SUIT_COMMAND_KIND_CONDITION,
	SUIT_COMMAND_KIND_DIRECTIVE,
	SUIT_COMMAND_KIND_CUSTOM,
	SUIT_COMMAND_KIND_UNKNOWN,
} SuitCommandKind;

/**
 * SuitArgumentType:
 * @SUIT_ARGUMENT_TYPE_REPORTING_POLICY: an unsigned reporting policy
 * @SUIT_ARGUMENT_TYPE_COMPONENT_INDEX: an index, `true`, or a list of indices (set-component-index)
 * @SUIT_ARGUMENT_TYPE_PARAMETERS: a map of parameters (override-parameters, set-parameters)
 * @SUIT_ARGUMENT_TYPE_SEQUENCES: a list of command sequences with an optional trailing nil (try-each)
 * @SUIT_ARGUMENT_TYPE_SEQUENCE: one command sequence (run-sequence)
 * @SUIT_ARGUMENT_TYPE_MULTIPLE_PARAMETERS: parameters per component index (override-multiple)
 * @SUIT_ARGUMENT_TYPE_COPY_PARAMETERS: parameter keys per source component index (copy-params)
 * @SUIT_ARGUMENT_TYPE_OTHER: any other CBOR value (custom commands)
 *
 * The shape of a command's argument.
 *
 * Since: 0.1
 */
typedef enum {
	SUIT_ARGUMENT_TYPE_REPORTING_POLICY,
	SUIT_ARGUMENT_TYPE_COMPONENT_INDEX,
	SUIT_ARGUMENT_TYPE_PARAMETERS,
	SUIT_ARGUMENT_TYPE_SEQUENCES,
	SUIT_ARGUMENT_TYPE_SEQUENCE,
	SUIT_ARGUMENT_TYPE_MULTIPLE_PARAMETERS,
	SUIT_ARGUMENT_TYPE_COPY_PARAMETERS,
	SUIT_ARGUMENT_TYPE_OTHER,
} SuitArgumentType;

G_END_DECLS
