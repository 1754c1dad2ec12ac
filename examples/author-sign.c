/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The Author role in a few lines: build an envelope from an exact manifest
 * JSON (the mirror `suit inspect --json` prints), sign it with a fresh
 * Ed25519 key, then verify the serialized envelope as a device would, with
 * only the public key.
 *
 * Usage: author-sign MANIFEST.json [OUT.suit]
 */

#include <libsuit/suit.h>

static gboolean
author_sign(const gchar *filename, const gchar *output, GError **error)
{
	g_autofree gchar *json = NULL;
	g_autoptr(SuitEnvelope) envelope = NULL;
	g_autoptr(SuitEnvelope) received = NULL;
	g_autoptr(SuitKey) key = NULL;
	g_autoptr(SuitKey) key_public = NULL;
	g_autoptr(SuitKeyring) keyring = suit_keyring_new();
	g_autoptr(GBytes) blob = NULL;
	g_autofree gchar *digest_hex = NULL;
	SuitManifest *manifest;

	/* the Author: manifest JSON -> envelope -> signature */
	if (!g_file_get_contents(filename, &json, NULL, error))
		return FALSE;
	envelope = suit_envelope_new_from_json(json, error);
	if (envelope == NULL)
		return FALSE;
	suit_envelope_clear_authentication(envelope);
	key = suit_key_generate(SUIT_KEY_TYPE_ED25519, error);
	if (key == NULL)
		return FALSE;
	if (!suit_envelope_sign(envelope, key, SUIT_COSE_ALGORITHM_EDDSA, NULL, error))
		return FALSE;
	blob = suit_envelope_to_bytes(envelope, error);
	if (blob == NULL)
		return FALSE;
	if (output != NULL) {
		if (!g_file_set_contents_full(output,
					      g_bytes_get_data(blob, NULL),
					      (gssize)g_bytes_get_size(blob),
					      G_FILE_SET_CONTENTS_CONSISTENT,
					      0644,
					      error))
			return FALSE;
	}

	/* the device: only the public key is trusted */
	key_public = suit_key_dup_public(key, error);
	if (key_public == NULL)
		return FALSE;
	suit_keyring_add(keyring, key_public);
	received = suit_envelope_new_from_bytes(blob, SUIT_PARSE_FLAG_NONE, error);
	if (received == NULL)
		return FALSE;
	if (!suit_envelope_verify(received, keyring, SUIT_VERIFY_FLAG_NONE, error))
		return FALSE;
	manifest = suit_envelope_get_manifest(received, error);
	if (manifest == NULL)
		return FALSE;
	digest_hex = suit_digest_to_hex(suit_envelope_get_manifest_digest(received));
	g_print("signed and verified %" G_GSIZE_FORMAT " bytes\n", g_bytes_get_size(blob));
	g_print("manifest digest: %s\n", digest_hex);
	g_print("sequence number: %" G_GUINT64_FORMAT "\n",
		suit_manifest_get_sequence_number(manifest));
	return TRUE;
}

int
main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;

	if (argc < 2 || argc > 3) {
		g_printerr("usage: %s MANIFEST.json [OUT.suit]\n", argv[0]);
		return 2;
	}
	if (!author_sign(argv[1], argc == 3 ? argv[2] : NULL, &error)) {
		g_printerr("author-sign: %s: %s\n", suit_error_get_id(error), error->message);
		return 1;
	}
	return 0;
}
