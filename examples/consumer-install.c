/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * The Firmware Consumer role, end to end in one program: an Author signs an
 * update for a 64 KiB payload that the device fetches from a file:// URI;
 * the device verifies it, installs it into a directory store with a
 * progress callback, and signs its SUIT report, which the Status Tracker
 * side then verifies with the device's public key.
 *
 * The same program exists in Python (consumer-install.py) and Lua
 * (consumer-install.lua).
 *
 * Usage: consumer-install WORKDIR
 */

#include <libsuit/suit.h>

#define PAYLOAD_SIZE (64 * 1024)

static void
on_percentage(SuitProgress *progress, gdouble percentage, gpointer user_data)
{
	g_print("progress %3.0f%%\n", percentage);
}

static gboolean
consumer_install(const gchar *workdir, GError **error)
{
	g_autofree gchar *payload_path = g_build_filename(workdir, "app.bin", NULL);
	g_autofree gchar *store_path = g_build_filename(workdir, "store", NULL);
	g_autofree gchar *payload_uri = g_filename_to_uri(payload_path, NULL, error);
	g_autofree gchar *description = NULL;
	g_autofree gchar *stored_hex = NULL;
	g_autofree gchar *payload_hex = NULL;
	g_autoptr(GByteArray) payload = g_byte_array_sized_new(PAYLOAD_SIZE);
	g_autoptr(SuitKey) author_key = NULL;
	g_autoptr(SuitKey) author_public = NULL;
	g_autoptr(SuitKey) device_key = NULL;
	g_autoptr(SuitKey) device_public = NULL;
	g_autoptr(SuitAuthor) author = suit_author_new();
	g_autoptr(SuitEnvelope) signed_envelope = NULL;
	g_autoptr(SuitEnvelope) received = NULL;
	g_autoptr(SuitKeyring) trusted = suit_keyring_new();
	g_autoptr(SuitKeyring) devices = suit_keyring_new();
	g_autoptr(SuitStore) store = NULL;
	g_autoptr(SuitFetcher) fetcher = suit_fetcher_new_default();
	g_autoptr(SuitFirmwareConsumer) consumer = NULL;
	g_autoptr(SuitProgress) progress = suit_progress_new();
	g_autoptr(SuitComponentId) component = suit_component_id_new();
	g_autoptr(SuitDigest) stored = NULL;
	g_autoptr(SuitDigest) expected = NULL;
	g_autoptr(SuitReport) checked = NULL;
	g_autoptr(GBytes) part = g_bytes_new_static("\0", 1); /* "00" is hex */
	g_autoptr(GBytes) payload_bytes = NULL;
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(GBytes) cose = NULL;
	g_autoptr(GBytes) vendor_id = suit_author_vendor_id_from_domain("example.com");
	g_autoptr(GBytes) class_id = suit_author_class_id_from_name(vendor_id, "board-r2");
	SuitReport *report;

	if (payload_uri == NULL)
		return FALSE;

	/* a payload on the "server" */
	for (guint i = 0; i < PAYLOAD_SIZE; i++) {
		guint8 b = (guint8)(i * 7 + 3);
		g_byte_array_append(payload, &b, 1);
	}
	payload_bytes = g_byte_array_free_to_bytes(g_steal_pointer(&payload));
	if (!g_file_set_contents(payload_path,
				 g_bytes_get_data(payload_bytes, NULL),
				 (gssize)g_bytes_get_size(payload_bytes),
				 error))
		return FALSE;

	/* the Author: a description, a key, a signed envelope */
	description = g_strdup_printf("{\"manifest-sequence-number\": 1, \"components\": [{"
				      "\"install-id\": [\"00\"], \"file\": \"app.bin\", \"uri\": \"%s\", "
				      "\"vendor-domain\": \"example.com\", \"class-name\": \"board-r2\"}]}",
				      payload_uri);
	author_key = suit_key_generate(SUIT_KEY_TYPE_P256, error);
	if (author_key == NULL)
		return FALSE;
	if (!suit_author_add_key(author, author_key, SUIT_COSE_ALGORITHM_NONE, NULL, error))
		return FALSE;
	signed_envelope = suit_author_build_from_description_json(author, description, workdir, error);
	if (signed_envelope == NULL)
		return FALSE;
	blob = suit_envelope_to_bytes(signed_envelope, error);
	if (blob == NULL)
		return FALSE;

	/* the device: trusts the author's public key, has its own key */
	author_public = suit_key_dup_public(author_key, error);
	if (author_public == NULL)
		return FALSE;
	suit_keyring_add(trusted, author_public);
	device_key = suit_key_generate(SUIT_KEY_TYPE_P256, error);
	if (device_key == NULL)
		return FALSE;
	store = SUIT_STORE(suit_store_directory_new(store_path, error));
	if (store == NULL)
		return FALSE;
	consumer = suit_firmware_consumer_new(trusted, store, fetcher);
	suit_firmware_consumer_set_vendor_id(consumer, vendor_id);
	suit_firmware_consumer_set_class_id(consumer, class_id);
	g_signal_connect(progress, "percentage-changed", G_CALLBACK(on_percentage), NULL);

	received = suit_envelope_new_from_bytes(blob, SUIT_PARSE_FLAG_NONE, error);
	if (received == NULL)
		return FALSE;
	if (!suit_firmware_consumer_update(consumer, received, progress, NULL, error))
		return FALSE;

	/* the image in the store is the payload */
	suit_component_id_append(component, part);
	stored = suit_store_get_digest(store, component, SUIT_DIGEST_ALGORITHM_SHA256, NULL, error);
	if (stored == NULL)
		return FALSE;
	expected = suit_digest_compute(SUIT_DIGEST_ALGORITHM_SHA256, payload_bytes, error);
	if (expected == NULL)
		return FALSE;
	stored_hex = suit_digest_to_hex(stored);
	payload_hex = suit_digest_to_hex(expected);
	if (!suit_digest_equal(stored, expected)) {
		g_set_error(error, SUIT_ERROR, SUIT_ERROR_DIGEST_MISMATCH,
			    "stored %s, payload %s", stored_hex, payload_hex);
		return FALSE;
	}
	g_print("installed %s\n", stored_hex);

	/* the report, signed by the device and checked by the tracker */
	report = suit_firmware_consumer_get_report(consumer);
	cose = suit_report_sign(report, device_key, SUIT_COSE_ALGORITHM_NONE, NULL, error);
	if (cose == NULL)
		return FALSE;
	device_public = suit_key_dup_public(device_key, error);
	if (device_public == NULL)
		return FALSE;
	suit_keyring_add(devices, device_public);
	checked = suit_report_new_from_cose(cose, devices, error);
	if (checked == NULL)
		return FALSE;
	g_print("report verified: %s\n", suit_report_is_success(checked) ? "success" : "failure");
	return suit_report_is_success(checked);
}

int
main(int argc, char **argv)
{
	g_autoptr(GError) error = NULL;

	if (argc != 2) {
		g_printerr("usage: %s WORKDIR\n", argv[0]);
		return 2;
	}
	if (!consumer_install(argv[1], &error)) {
		if (error == NULL) {
			g_printerr("consumer-install: the report says the update failed\n");
			return 1;
		}
		g_printerr("consumer-install: %s: %s\n", suit_error_get_id(error), error->message);
		return 1;
	}
	return 0;
}
