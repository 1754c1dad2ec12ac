/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * libFuzzer target for the command-sequence processor: the input is taken as
 * the bytes of a manifest, wrapped in an envelope that a trusted HMAC key
 * authenticates (so every input gets past verification), and run through
 * the Update and the Invocation procedures of a SuitFirmwareConsumer on a
 * memory store, with one integrated payload "#fw" to fetch. fuzz-replay.c
 * runs the same function over the saved corpus in the normal (gcc) build.
 */

#include <libsuit/suit.h>
#include <stdint.h>

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static GLogWriterOutput
suit_fuzz_log_writer(GLogLevelFlags log_level, const GLogField *fields, gsize n_fields, gpointer user_data)
{
	return G_LOG_WRITER_HANDLED;
}

/* created once, never freed (still reachable, so not a leak) */
static SuitKey *
suit_fuzz_get_key(void)
{
	static SuitKey *key = NULL;
	g_autoptr(GBytes) secret = NULL;
	if (key != NULL)
		return key;
	g_log_set_writer_func(suit_fuzz_log_writer, NULL, NULL);
	g_log_set_always_fatal(G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
	secret = g_bytes_new_static("fuzzing-hmac-key-of-32-bytes....", 32);
	key = suit_key_new_symmetric(secret, NULL);
	return key;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	SuitKey *key = suit_fuzz_get_key();
	g_autoptr(GString) json = g_string_new("{\"manifest\": {\"cbor\": \"");
	g_autoptr(SuitEnvelope) built = NULL;
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(SuitEnvelope) envelope = NULL;
	g_autoptr(SuitKeyring) keyring = suit_keyring_new();
	g_autoptr(SuitStoreMemory) store = NULL;
	g_autoptr(SuitFirmwareConsumer) consumer = NULL;
	g_autoptr(GBytes) vendor = g_bytes_new_static("\xfa\x6b\x4a\x53\xd5\xad\x5f\xdf\xbe\x9d\xe6\x63\xe4\xd4\x1f\xfe", 16);
	g_autoptr(GBytes) class_id = g_bytes_new_static("\x14\x92\xaf\x14\x25\x69\x5e\x48\xbf\x42\x9b\x2d\x51\xf2\xab\x45", 16);
	g_autoptr(GBytes) payload = g_bytes_new_static("fuzzed firmware", 15);

	if (key == NULL || size == 0 || size > 64 * 1024)
		return 0;
	/* an envelope (such as a shared vector) gives its manifest */
	{
		g_autoptr(GBytes) input = g_bytes_new_static(data, size);
		g_autoptr(SuitEnvelope) outer = suit_envelope_new_from_bytes(input, SUIT_PARSE_FLAG_NONE, NULL);
		if (outer != NULL)
			data = g_bytes_get_data(suit_envelope_get_manifest_bytes(outer), &size);
		for (gsize i = 0; i < size; i++)
			g_string_append_printf(json, "%02x", data[i]);
	}
	g_string_append(json, "\"}}");
	built = suit_envelope_new_from_json(json->str, NULL);
	if (built == NULL)
		return 0;
	suit_envelope_set_integrated(built, "#fw", payload);
	if (!suit_envelope_sign(built, key, SUIT_COSE_ALGORITHM_NONE, NULL, NULL))
		return 0;
	blob = suit_envelope_to_bytes(built, NULL);
	if (blob == NULL)
		return 0;
	envelope = suit_envelope_new_from_bytes(blob, SUIT_PARSE_FLAG_NONE, NULL);
	if (envelope == NULL)
		return 0;

	suit_keyring_add(keyring, key);
	store = suit_store_memory_new();
	consumer = suit_firmware_consumer_new(keyring, SUIT_STORE(store), NULL);
	suit_firmware_consumer_set_vendor_id(consumer, vendor);
	suit_firmware_consumer_set_class_id(consumer, class_id);
	suit_firmware_consumer_set_battery_level(consumer, 50);
	(void)suit_firmware_consumer_update(consumer, envelope, NULL, NULL, NULL);
	(void)suit_firmware_consumer_invoke(consumer, envelope, NULL, NULL, NULL);
	return 0;
}
