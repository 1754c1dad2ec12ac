/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * libFuzzer target: parse untrusted bytes as a SUIT envelope, verify it
 * against the draft P-256 key, and print it as JSON and as text. Built with
 * clang and -fsanitize=fuzzer when -Dfuzzing=enabled; fuzz-replay.c runs the
 * same function over the saved corpus in the normal (gcc) build.
 */

#include <libsuit/suit.h>
#include <stdint.h>

#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the public key of draft-ietf-suit-manifest App. B (also in the shared
 * vectors as keys/suit-draft-p256.pub.pem): lets valid-looking inputs reach
 * the signature check and everything after it */
static const gchar suit_fuzz_draft_p256_pub_pem[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEhJaBGq4LqqvSYVcYnuzaJr6qi/Eb\n"
    "bz/m4rVlnIXbwK07HypLbAmBMcCjbazR14vTgdzfsJwFLbM5kdtzOLSolg==\n"
    "-----END PUBLIC KEY-----\n";

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	SuitKeyring *keyring = suit_fuzz_get_keyring_once(suit_fuzz_draft_p256_pub_pem);
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(SuitEnvelope) envelope = NULL;
	g_autoptr(GBytes) blob_out = NULL;
	g_autoptr(GBytes) blob_json = NULL;
	g_autofree gchar *json = NULL;
	g_autofree gchar *text = NULL;

	/* no copy: the sanitizers see reads past the fuzzer's exact buffer */
	blob = g_bytes_new_static(data, size);
	envelope = suit_envelope_new_from_bytes(blob, SUIT_PARSE_FLAG_NONE, NULL);
	if (envelope == NULL)
		return 0;

	/* whatever the outcome, it must not crash, leak or read out of bounds */
	(void)suit_envelope_verify(envelope, keyring, SUIT_VERIFY_FLAG_NONE, NULL);
	(void)suit_envelope_peek_manifest(envelope, NULL);
	text = suit_envelope_to_string(envelope);
	json = suit_envelope_to_json(envelope, SUIT_JSON_FLAG_NONE, NULL);
	blob_out = suit_envelope_to_bytes(envelope, NULL);

	/* the JSON mirror is read back and serialized again */
	if (json != NULL) {
		g_autoptr(SuitEnvelope) envelope_json = suit_envelope_new_from_json(json, NULL);
		if (envelope_json != NULL)
			blob_json = suit_envelope_to_bytes(envelope_json, NULL);
	}
	return 0;
}
