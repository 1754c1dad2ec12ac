/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <gio/gio.h>

#include "suit-error.h"

/* indexed by SuitError; append only */
static const gchar *suit_error_ids[] = {
    "internal",
    "invalid-cbor",
    "limit-exceeded",
    "unsupported-version",
    "unsupported-algorithm",
    "no-authentication",
    "signature-invalid",
    "digest-mismatch",
    "unsupported-command",
    "unsupported-parameter",
    "condition-failed",
    "rollback",
    "component-unsupported",
    "fetch-failed",
    "write-failed",
    "not-found",
    "permission-denied",
    "conflict",
    "invalid-data",
    "unsupported-element",
    "invalid-argument",
    "not-supported",
};
G_STATIC_ASSERT(G_N_ELEMENTS(suit_error_ids) == SUIT_ERROR_LAST);

/**
 * suit_error_quark:
 *
 * Returns the quark of the %SUIT_ERROR domain.
 *
 * Returns: the error quark
 *
 * Since: 0.1
 */
G_DEFINE_QUARK(suit-error-quark, suit_error)

/**
 * suit_error_to_id:
 * @code: a #SuitError
 *
 * Converts an error code to its stable string id, as used by the command line,
 * the REST problem documents and the bindings, e.g. `signature-invalid`.
 *
 * Returns: the id, or %NULL if @code is not a known code
 *
 * Since: 0.1
 */
const gchar *
suit_error_to_id(SuitError code)
{
	if ((guint)code >= SUIT_ERROR_LAST)
		return NULL;
	return suit_error_ids[code];
}

/**
 * suit_error_from_id:
 * @id: a stable error id such as `rollback`
 *
 * Converts a stable string id back to its error code.
 *
 * Returns: the code, or %SUIT_ERROR_INTERNAL if @id is unknown
 *
 * Since: 0.1
 */
SuitError
suit_error_from_id(const gchar *id)
{
	g_return_val_if_fail(id != NULL, SUIT_ERROR_INTERNAL);
	for (guint i = 0; i < SUIT_ERROR_LAST; i++) {
		if (g_strcmp0(id, suit_error_ids[i]) == 0)
			return (SuitError)i;
	}
	return SUIT_ERROR_INTERNAL;
}

/**
 * suit_error_get_id:
 * @error: a #GError
 *
 * Gives the stable id of any error that libsuit returns: the id of a
 * %SUIT_ERROR code, `cancelled` for %G_IO_ERROR_CANCELLED, and `internal` for
 * anything else.
 *
 * Returns: a static string
 *
 * Since: 0.1
 */
const gchar *
suit_error_get_id(const GError *error)
{
	g_return_val_if_fail(error != NULL, "internal");
	if (error->domain == SUIT_ERROR) {
		const gchar *id = suit_error_to_id((SuitError)error->code);
		return id != NULL ? id : "internal";
	}
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return "cancelled";
	return "internal";
}
