/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* the setup the libFuzzer targets share; each target is one translation unit */

#pragma once

#include <libsuit/suit.h>
#include <string.h>

static GLogWriterOutput
suit_fuzz_log_writer(GLogLevelFlags log_level,
		     const GLogField *fields,
		     gsize n_fields,
		     gpointer user_data)
{
	return G_LOG_WRITER_HANDLED;
}

/* on the first call, silences logging and loads a keyring holding the public
 * key in @pem; later calls return the same keyring, never freed (still
 * reachable, so not a leak) */
static inline SuitKeyring *
suit_fuzz_get_keyring_once(const gchar *pem)
{
	static SuitKeyring *keyring = NULL;
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(SuitKey) key = NULL;

	if (keyring != NULL)
		return keyring;

	/* quiet, but a critical (a broken precondition) still aborts, as
	 * G_DEBUG=fatal-criticals would */
	g_log_set_writer_func(suit_fuzz_log_writer, NULL, NULL);
	g_log_set_always_fatal(G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);

	keyring = suit_keyring_new();
	blob = g_bytes_new_static(pem, strlen(pem));
	key = suit_key_new_from_pem(blob, NULL);
	if (key != NULL)
		suit_keyring_add(keyring, key);
	return keyring;
}
