/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * libFuzzer target: parse untrusted bytes as a bare SUIT report (strict and
 * tolerant) and as a signed report (COSE_Sign1 / COSE_Mac0 against the
 * libcsuit device key), print it as JSON and text, and check that the
 * re-encoding is stable: encode(parse(encode(parse(x)))) == encode(parse(x)).
 * Built with clang and -fsanitize=fuzzer when -Dfuzzing=enabled;
 * fuzz-replay.c runs the same function over the saved corpus in the normal
 * (gcc) build.
 */

#include <libsuit/suit.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the device key of the shared report vector (keys/esdh-recipient-p256-kid-2.pub.pem) */
static const gchar suit_fuzz_device_p256_pub_pem[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEWIbNYd2HWGLlqqgg56FSdMloqbyW\n"
    "BI3crOMvUMNlG6Oe7YEl6TLNYMDq02UNCkhc9ybTeNGwFu1CmLKWHiWPGw==\n"
    "-----END PUBLIC KEY-----\n";

static void
suit_fuzz_exercise(SuitReport *report)
{
	g_autofree gchar *json = suit_report_to_json(report, SUIT_JSON_FLAG_NONE);
	g_autofree gchar *text = suit_report_to_string(report);
	g_autoptr(GBytes) encoded = NULL;
	g_autoptr(GBytes) encoded_again = NULL;
	g_autoptr(SuitReport) report_again = NULL;
	g_autoptr(GError) error = NULL;

	if (json == NULL || text == NULL)
		abort();

	/* a parsed report always has a reference and a result */
	encoded = suit_report_to_bytes(report, &error);
	if (encoded == NULL)
		abort();
	report_again = suit_report_new_from_bytes(encoded, SUIT_PARSE_FLAG_NONE, &error);
	if (report_again == NULL)
		abort();
	encoded_again = suit_report_to_bytes(report_again, &error);
	if (encoded_again == NULL || !g_bytes_equal(encoded, encoded_again))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	SuitKeyring *keyring = suit_fuzz_get_keyring_once(suit_fuzz_device_p256_pub_pem);
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(SuitReport) report = NULL;
	g_autoptr(SuitReport) report_tolerant = NULL;
	g_autoptr(SuitReport) report_cose = NULL;

	/* no copy: the sanitizers see reads past the fuzzer's exact buffer */
	blob = g_bytes_new_static(data, size);

	report = suit_report_new_from_bytes(blob, SUIT_PARSE_FLAG_NONE, NULL);
	if (report != NULL)
		suit_fuzz_exercise(report);
	report_tolerant = suit_report_new_from_bytes(blob, SUIT_PARSE_FLAG_ALLOW_DUPLICATE_KEYS, NULL);
	if (report_tolerant != NULL)
		suit_fuzz_exercise(report_tolerant);
	report_cose = suit_report_new_from_cose(blob, keyring, NULL);
	if (report_cose != NULL)
		suit_fuzz_exercise(report_cose);
	return 0;
}
