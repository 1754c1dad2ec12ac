/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* the umbrella header compiles on its own, without SUIT_COMPILATION, and
 * links against the shared library (ostree test-include-ostree-h.c) */

#include <libsuit/suit.h>

int
main(void)
{
	const gchar *id = suit_error_to_id(SUIT_ERROR_SIGNATURE_INVALID);

	if (g_strcmp0(id, "signature-invalid") != 0) {
		g_printerr("suit_error_to_id() gave %s\n", id != NULL ? id : "(null)");
		return 1;
	}
	g_print("ok: <libsuit/suit.h> %s\n", SUIT_VERSION_S);
	return 0;
}
