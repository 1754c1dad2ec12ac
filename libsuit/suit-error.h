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
 * SUIT_ERROR:
 *
 * The error domain of every libsuit failure except cancellation, which stays
 * %G_IO_ERROR_CANCELLED.
 *
 * Since: 0.1
 */
#define SUIT_ERROR (suit_error_quark())

/**
 * SuitError:
 * @SUIT_ERROR_INTERNAL: a bug or an unexpected failure of a dependency (`internal`)
 * @SUIT_ERROR_INVALID_CBOR: the input is not well-formed CBOR, or breaks the strict rules (`invalid-cbor`)
 * @SUIT_ERROR_LIMIT_EXCEEDED: a nesting, item count or size limit was exceeded (`limit-exceeded`)
 * @SUIT_ERROR_UNSUPPORTED_VERSION: the manifest version is not 1 (`unsupported-version`)
 * @SUIT_ERROR_UNSUPPORTED_ALGORITHM: an unknown or disallowed COSE or digest algorithm (`unsupported-algorithm`)
 * @SUIT_ERROR_NO_AUTHENTICATION: the envelope carries no authentication block, or none from a trusted key (`no-authentication`)
 * @SUIT_ERROR_SIGNATURE_INVALID: a signature or MAC does not verify (`signature-invalid`)
 * @SUIT_ERROR_DIGEST_MISMATCH: a digest does not match the data it covers (`digest-mismatch`)
 * @SUIT_ERROR_UNSUPPORTED_COMMAND: a command the processor does not support (`unsupported-command`)
 * @SUIT_ERROR_UNSUPPORTED_PARAMETER: a parameter the processor does not support (`unsupported-parameter`)
 * @SUIT_ERROR_CONDITION_FAILED: a condition of the manifest failed (`condition-failed`)
 * @SUIT_ERROR_ROLLBACK: the sequence number is lower than the installed one (`rollback`)
 * @SUIT_ERROR_COMPONENT_UNSUPPORTED: a component the device does not have (`component-unsupported`)
 * @SUIT_ERROR_FETCH_FAILED: a payload or dependency could not be fetched (`fetch-failed`)
 * @SUIT_ERROR_WRITE_FAILED: a component could not be written (`write-failed`)
 * @SUIT_ERROR_NOT_FOUND: the requested object does not exist (`not-found`)
 * @SUIT_ERROR_PERMISSION_DENIED: the caller is not allowed to do this (`permission-denied`)
 * @SUIT_ERROR_CONFLICT: the object exists already or is in the wrong state (`conflict`)
 * @SUIT_ERROR_INVALID_DATA: well-formed CBOR or JSON that does not have the structure SUIT requires (`invalid-data`)
 * @SUIT_ERROR_UNSUPPORTED_ELEMENT: an element marked critical that is not understood (`unsupported-element`)
 * @SUIT_ERROR_INVALID_ARGUMENT: the caller passed a value that cannot be used (`invalid-argument`)
 * @SUIT_ERROR_NOT_SUPPORTED: the operation is not supported by this object or key (`not-supported`)
 *
 * Stable error codes. Values are never renumbered; new codes are appended.
 * Each code has a stable string id, given by suit_error_to_id().
 *
 * Since: 0.1
 */
typedef enum {
	SUIT_ERROR_INTERNAL,
	SUIT_ERROR_INVALID_CBOR,
	SUIT_ERROR_LIMIT_EXCEEDED,
	SUIT_ERROR_UNSUPPORTED_VERSION,
	SUIT_ERROR_UNSUPPORTED_ALGORITHM,
	SUIT_ERROR_NO_AUTHENTICATION,
	SUIT_ERROR_SIGNATURE_INVALID,
	SUIT_ERROR_DIGEST_MISMATCH,
	SUIT_ERROR_UNSUPPORTED_COMMAND,
	SUIT_ERROR_UNSUPPORTED_PARAMETER,
	SUIT_ERROR_CONDITION_FAILED,
	SUIT_ERROR_ROLLBACK,
	SUIT_ERROR_COMPONENT_UNSUPPORTED,
	SUIT_ERROR_FETCH_FAILED,
	SUIT_ERROR_WRITE_FAILED,
	SUIT_ERROR_NOT_FOUND,
	SUIT_ERROR_PERMISSION_DENIED,
	SUIT_ERROR_CONFLICT,
	SUIT_ERROR_INVALID_DATA,
	SUIT_ERROR_UNSUPPORTED_ELEMENT,
	SUIT_ERROR_INVALID_ARGUMENT,
	SUIT_ERROR_NOT_SUPPORTED,
	/*< private >*/
	SUIT_ERROR_LAST
} SuitError;

SUIT_AVAILABLE_IN_0_1
GQuark
suit_error_quark(void);
SUIT_AVAILABLE_IN_0_1
const gchar *
suit_error_to_id(SuitError code);
SUIT_AVAILABLE_IN_0_1
SuitError
suit_error_from_id(const gchar *id);
SUIT_AVAILABLE_IN_0_1
const gchar *
suit_error_get_id(const GError *error);

G_END_DECLS
