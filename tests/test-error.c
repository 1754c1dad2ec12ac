/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <gio/gio.h>

#include "suit-test-common.h"

static void
test_error_ids(void)
{
	/* the ids are a public contract (CLI, REST, bindings) */
	const gchar *required[] = {
	    "invalid-cbor",	     "limit-exceeded",	  "unsupported-version", "unsupported-algorithm",
	    "no-authentication",     "signature-invalid", "digest-mismatch",	 "unsupported-command",
	    "unsupported-parameter", "condition-failed",  "rollback",		 "component-unsupported",
	    "fetch-failed",	     "write-failed",	  "not-found",		 "permission-denied",
	    "conflict",		     "internal",
	};
	for (guint i = 0; i < G_N_ELEMENTS(required); i++) {
		SuitError code = suit_error_from_id(required[i]);
		g_assert_cmpstr(suit_error_to_id(code), ==, required[i]);
	}
	g_assert_cmpint(suit_error_from_id("rollback"), ==, SUIT_ERROR_ROLLBACK);
	g_assert_cmpint(suit_error_from_id("no-such-id"), ==, SUIT_ERROR_INTERNAL);
	g_assert_cmpstr(suit_error_to_id(SUIT_ERROR_SIGNATURE_INVALID), ==, "signature-invalid");
	g_assert_null(suit_error_to_id((SuitError)9999));
	/* every code has a distinct id */
	for (guint i = 0; i < SUIT_ERROR_LAST; i++) {
		for (guint j = i + 1; j < SUIT_ERROR_LAST; j++)
			g_assert_cmpstr(suit_error_to_id(i), !=, suit_error_to_id(j));
	}
}

static void
test_error_get_id(void)
{
	g_autoptr(GError) suit = g_error_new_literal(SUIT_ERROR, SUIT_ERROR_DIGEST_MISMATCH, "x");
	g_autoptr(GError) cancelled = g_error_new_literal(G_IO_ERROR, G_IO_ERROR_CANCELLED, "x");
	g_autoptr(GError) other = g_error_new_literal(G_IO_ERROR, G_IO_ERROR_FAILED, "x");
	g_assert_cmpstr(suit_error_get_id(suit), ==, "digest-mismatch");
	g_assert_cmpstr(suit_error_get_id(cancelled), ==, "cancelled");
	g_assert_cmpstr(suit_error_get_id(other), ==, "internal");
	g_assert_true(G_TYPE_IS_ENUM(suit_error_get_type()));
	g_assert_cmpstr(g_quark_to_string(suit_error_quark()), ==, "suit-error-quark");
	g_assert_true(suit->domain == SUIT_ERROR);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/suit/error/ids", test_error_ids);
	g_test_add_func("/suit/error/get-id", test_error_get_id);
	return g_test_run();
}
