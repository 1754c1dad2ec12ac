/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * suit: the command line tool of libsuit (ARCHITECTURE.md §5.2)
 *
 * Each subcommand has its own GOptionContext. The exit status is 0 on
 * success, 1 when the envelope was processed and rejected (any SUIT_ERROR
 * from parsing, verifying or signing it) and 2 for usage and I/O errors.
 * The device commands (install, invoke) also count as I/O errors the
 * processing failures that may pass on a retry: fetch-failed, write-failed,
 * permission-denied and internal (see suit_cli_process_exit()).
 */

#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "suit-cli.h"

/* the largest file the tool reads from stdin */
#define SUIT_CLI_STDIN_MAX (64 * 1024 * 1024)

typedef struct {
	const gchar *name;
	const gchar *parameters;
	const gchar *summary;
	gint (*func)(SuitCli *self, gint argc, gchar **argv);
} SuitCliCommand;

/* the severable manifest members: coswid, dependency-resolution,
 * payload-fetch, candidate-verification, install, text */
static const gint64 suit_cli_severable_keys[] = {14, 15, 16, 18, 20, 23};

void
suit_cli_print_json(JsonBuilder *builder)
{
	g_autoptr(JsonGenerator) generator = json_generator_new();
	g_autoptr(JsonNode) root = json_builder_get_root(builder);
	g_autofree gchar *text = NULL;

	json_generator_set_root(generator, root);
	text = json_generator_to_data(generator, NULL);
	g_print("%s\n", text);
}

static const gchar *
suit_cli_error_id(const GError *error)
{
	if (error->domain == SUIT_ERROR)
		return suit_error_get_id(error);
	if (g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_NOENT) ||
	    g_error_matches(error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
		return "not-found";
	if (g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_ACCES) ||
	    g_error_matches(error, G_FILE_ERROR, G_FILE_ERROR_PERM) ||
	    g_error_matches(error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED))
		return "permission-denied";
	if (error->domain == G_OPTION_ERROR ||
	    g_error_matches(error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT))
		return "invalid-argument";
	if (g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return "cancelled";
	return "internal";
}

/* one line on stderr, and the JSON error document on stdout with --json;
 * returns @exit_code so that callers can `return suit_cli_fail(...)` */
gint
suit_cli_fail(SuitCli *self, SuitCliExit exit_code, const GError *error)
{
	const gchar *id = suit_cli_error_id(error);
	g_autofree gchar *message = g_strdup(error->message);

	/* one line, whatever the library put in the message */
	g_strdelimit(message, "\r\n", ' ');
	if (exit_code == SUIT_CLI_EXIT_REJECTED)
		g_printerr("suit: %s: %s\n", id, message);
	else
		g_printerr("suit %s: %s\n", self->command, message);

	if (self->json) {
		g_autoptr(JsonBuilder) builder = json_builder_new();
		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "ok");
		json_builder_add_boolean_value(builder, FALSE);
		json_builder_set_member_name(builder, "error");
		json_builder_add_string_value(builder, id);
		json_builder_set_member_name(builder, "message");
		json_builder_add_string_value(builder, message);
		json_builder_end_object(builder);
		suit_cli_print_json(builder);
	}
	return exit_code;
}

gint
suit_cli_usage(SuitCli *self, const gchar *format, ...)
{
	va_list args;
	g_autofree gchar *message = NULL;
	g_autoptr(GError) error = NULL;

	va_start(args, format);
	message = g_strdup_vprintf(format, args);
	va_end(args);
	error = g_error_new(G_OPTION_ERROR,
			    G_OPTION_ERROR_FAILED,
			    "%s (see 'suit %s --help')",
			    message,
			    self->command);
	return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
}

static GBytes *
suit_cli_read_stdin(GError **error)
{
	g_autoptr(GByteArray) buf = g_byte_array_new();
	guint8 chunk[16384];

	for (;;) {
		gsize n = fread(chunk, 1, sizeof(chunk), stdin);
		if (n > 0)
			g_byte_array_append(buf, chunk, n);
		if (buf->len > SUIT_CLI_STDIN_MAX) {
			g_set_error_literal(error,
					    G_IO_ERROR,
					    G_IO_ERROR_MESSAGE_TOO_LARGE,
					    "standard input is too large");
			return NULL;
		}
		if (n < sizeof(chunk))
			break;
	}
	if (ferror(stdin)) {
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(errno),
			    "failed to read standard input: %s",
			    g_strerror(errno));
		return NULL;
	}
	return g_byte_array_free_to_bytes(g_steal_pointer(&buf));
}

/* reads a whole file; "-" is standard input */
GBytes *
suit_cli_read_file(const gchar *filename, GError **error)
{
	gchar *data = NULL;
	gsize len = 0;

	if (g_strcmp0(filename, "-") == 0)
		return suit_cli_read_stdin(error);
	if (!g_file_get_contents(filename, &data, &len, error))
		return NULL;
	return g_bytes_new_take(data, len);
}

/* writes atomically (a temporary file renamed over the target, never a
 * half-written file); "-" is standard output */
static gboolean
suit_cli_write_file(const gchar *filename, GBytes *blob, gint mode, GError **error)
{
	gsize len = 0;
	const gchar *data = g_bytes_get_data(blob, &len);

	if (g_strcmp0(filename, "-") == 0) {
		if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
			g_set_error(error,
				    G_IO_ERROR,
				    g_io_error_from_errno(errno),
				    "failed to write standard output: %s",
				    g_strerror(errno));
			return FALSE;
		}
		return TRUE;
	}
	return g_file_set_contents_full(filename,
					data != NULL ? data : "",
					(gssize)len,
					G_FILE_SET_CONTENTS_CONSISTENT,
					mode,
					error);
}

static SuitCoseAlgorithm
suit_cli_parse_algorithm(const gchar *name, GError **error)
{
	SuitCoseAlgorithm alg = suit_cose_algorithm_from_string(name);

	if (alg == SUIT_COSE_ALGORITHM_NONE) {
		g_set_error(error,
			    G_OPTION_ERROR,
			    G_OPTION_ERROR_BAD_VALUE,
			    "unknown algorithm '%s', expected ES256, ESP256, EdDSA, Ed25519 or "
			    "HMAC-256",
			    name);
		return SUIT_COSE_ALGORITHM_NONE;
	}
	return alg;
}

static GBytes *
suit_cli_parse_hex(const gchar *hex, GError **error)
{
	gsize len = strlen(hex);
	g_autoptr(GByteArray) buf = g_byte_array_new();

	if (len == 0 || len % 2 != 0) {
		g_set_error(error,
			    G_OPTION_ERROR,
			    G_OPTION_ERROR_BAD_VALUE,
			    "'%s' is not an even number of hex digits",
			    hex);
		return NULL;
	}
	for (gsize i = 0; i < len; i += 2) {
		gint hi = g_ascii_xdigit_value(hex[i]);
		gint lo = g_ascii_xdigit_value(hex[i + 1]);
		guint8 byte;
		if (hi < 0 || lo < 0) {
			g_set_error(error,
				    G_OPTION_ERROR,
				    G_OPTION_ERROR_BAD_VALUE,
				    "'%s' is not hexadecimal",
				    hex);
			return NULL;
		}
		byte = (guint8)((hi << 4) | lo);
		g_byte_array_append(buf, &byte, 1);
	}
	return g_byte_array_free_to_bytes(g_steal_pointer(&buf));
}

/* loads a PEM key; a key that cannot be used is a usage error, so the
 * failure is reported in G_IO_ERROR rather than SUIT_ERROR */
static SuitKey *
suit_cli_load_key(const gchar *filename, gboolean need_private, GError **error)
{
	g_autoptr(GBytes) pem = NULL;
	g_autoptr(SuitKey) key = NULL;
	g_autoptr(GError) error_local = NULL;

	pem = suit_cli_read_file(filename, error);
	if (pem == NULL)
		return NULL;
	key = suit_key_new_from_pem(pem, &error_local);
	if (key == NULL) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_DATA,
			    "%s: cannot load key: %s",
			    filename,
			    error_local->message);
		return NULL;
	}
	if (need_private && !suit_key_has_private(key)) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    "%s: not a private key",
			    filename);
		return NULL;
	}
	return g_steal_pointer(&key);
}

/* a raw HMAC secret (the file holds the secret bytes, nothing else) */
static SuitKey *
suit_cli_load_mac_key(const gchar *filename, GError **error)
{
	g_autoptr(GBytes) secret = NULL;
	g_autoptr(SuitKey) key = NULL;
	g_autoptr(GError) error_local = NULL;

	secret = suit_cli_read_file(filename, error);
	if (secret == NULL)
		return NULL;
	key = suit_key_new_symmetric(secret, &error_local);
	if (key == NULL) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_DATA,
			    "%s: cannot use as MAC key: %s",
			    filename,
			    error_local->message);
		return NULL;
	}
	return g_steal_pointer(&key);
}

static SuitEnvelope *
suit_cli_load_envelope(const gchar *filename, GBytes *blob, GError **error)
{
	SuitEnvelope *envelope = suit_envelope_new_from_bytes(blob, SUIT_PARSE_FLAG_NONE, error);
	if (envelope == NULL) {
		g_prefix_error(error, "%s: ", filename);
		return NULL;
	}
	return envelope;
}

static gint
suit_cli_write_envelope(SuitCli *self, SuitEnvelope *envelope, const gchar *filename)
{
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(GError) error = NULL;

	blob = suit_envelope_to_bytes(envelope, &error);
	if (blob == NULL)
		return suit_cli_fail(self, SUIT_CLI_EXIT_REJECTED, error);
	if (!suit_cli_write_file(filename, blob, 0644, &error))
		return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
	return SUIT_CLI_EXIT_OK;
}

/* parses the options of a subcommand; -1 means carry on */
gint
suit_cli_parse_options(SuitCli *self,
		       GOptionContext *context,
		       const gchar *summary,
		       gint *argc,
		       gchar ***argv)
{
	g_autoptr(GError) error = NULL;

	g_option_context_set_summary(context, summary);
	if (!g_option_context_parse(context, argc, argv, &error))
		return suit_cli_usage(self, "%s", error->message);
	return -1;
}

/* the signing options shared by create and sign */
typedef struct {
	gchar **keys;
	gchar **mac_keys;
	gchar **algs;
	gchar **kids;
} SuitCliSignOptions;

static void
suit_cli_sign_options_clear(SuitCliSignOptions *opts)
{
	g_strfreev(opts->keys);
	g_strfreev(opts->mac_keys);
	g_strfreev(opts->algs);
	g_strfreev(opts->kids);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SuitCliSignOptions, suit_cli_sign_options_clear)

/* the n-th value of an option given 0, 1 (for every key) or N times */
static const gchar *
suit_cli_nth_value(gchar **values, guint idx)
{
	guint len = values != NULL ? g_strv_length(values) : 0;

	if (len == 0)
		return NULL;
	if (len == 1)
		return values[0];
	return values[idx];
}

/* the signing options of create and sign, added to @context */
static void
suit_cli_sign_options_add_entries(GOptionContext *context, SuitCliSignOptions *opts)
{
	const GOptionEntry entries[] = {
	    {"key",
	     'k',
	     0,
	     G_OPTION_ARG_FILENAME_ARRAY,
	     &opts->keys,
	     "Private signing key (PEM), may be repeated",
	     "KEY.pem"},
	    {"mac-key",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME_ARRAY,
	     &opts->mac_keys,
	     "HMAC-256 secret (raw bytes), may be repeated",
	     "FILE"},
	    {"alg",
	     'a',
	     0,
	     G_OPTION_ARG_STRING_ARRAY,
	     &opts->algs,
	     "COSE algorithm (ES256, ESP256, EdDSA, Ed25519, HMAC-256), once or once per key",
	     "ALG"},
	    {"kid",
	     0,
	     0,
	     G_OPTION_ARG_STRING_ARRAY,
	     &opts->kids,
	     "COSE key id in hex, once or once per key (default: none)",
	     "HEX"},
	    {NULL}};

	/* the group keeps a copy of the entries */
	g_option_context_add_main_entries(context, entries, NULL);
}

/* loads every --key (and --mac-key), in the order given, into @author;
 * -1 means carry on */
static gint
suit_cli_load_signers(SuitCli *self, SuitCliSignOptions *opts, SuitAuthor *author)
{
	guint n_keys = opts->keys != NULL ? g_strv_length(opts->keys) : 0;
	guint n_mac_keys = opts->mac_keys != NULL ? g_strv_length(opts->mac_keys) : 0;
	guint n_total = n_keys + n_mac_keys;
	guint n_algs = opts->algs != NULL ? g_strv_length(opts->algs) : 0;
	guint n_kids = opts->kids != NULL ? g_strv_length(opts->kids) : 0;

	if (n_total == 0)
		return suit_cli_usage(self, "no signing key, use --key KEY.pem or --mac-key FILE");
	if (n_algs > 1 && n_algs != n_total)
		return suit_cli_usage(self, "give --alg once, or once per key");
	if (n_kids > 1 && n_kids != n_total)
		return suit_cli_usage(self, "give --kid once, or once per key");

	for (guint i = 0; i < n_total; i++) {
		const gchar *filename = i < n_keys ? opts->keys[i] : opts->mac_keys[i - n_keys];
		const gchar *alg_name = suit_cli_nth_value(opts->algs, i);
		const gchar *kid_hex = suit_cli_nth_value(opts->kids, i);
		SuitCoseAlgorithm alg = SUIT_COSE_ALGORITHM_NONE;
		g_autoptr(SuitKey) key = NULL;
		g_autoptr(GBytes) kid = NULL;
		g_autoptr(GError) error = NULL;

		if (alg_name != NULL) {
			alg = suit_cli_parse_algorithm(alg_name, &error);
			if (alg == SUIT_COSE_ALGORITHM_NONE)
				return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
		}
		if (kid_hex != NULL) {
			kid = suit_cli_parse_hex(kid_hex, &error);
			if (kid == NULL)
				return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
		}

		/* a MAC key is a file of raw secret bytes */
		if (i >= n_keys || alg == SUIT_COSE_ALGORITHM_HMAC_256) {
			key = suit_cli_load_mac_key(filename, &error);
			if (alg == SUIT_COSE_ALGORITHM_NONE)
				alg = SUIT_COSE_ALGORITHM_HMAC_256;
		} else {
			key = suit_cli_load_key(filename, TRUE, &error);
		}
		if (key == NULL)
			return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
		if (alg == SUIT_COSE_ALGORITHM_NONE)
			alg = suit_key_get_default_algorithm(key);
		if (!suit_key_supports_algorithm(key, alg)) {
			return suit_cli_usage(self,
					      "%s: the key cannot be used with %s",
					      filename,
					      suit_cose_algorithm_to_string(alg));
		}
		if (!suit_author_add_key(author, key, alg, kid, &error)) {
			g_prefix_error(&error, "%s: ", filename);
			return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
		}
	}
	return -1;
}

/* suit keygen --alg ES256|ESP256|EdDSA|Ed25519 -o KEY.pem [--pub PUB.pem] */
static gint
suit_cli_cmd_keygen(SuitCli *self, gint argc, gchar **argv)
{
	g_autofree gchar *alg_name = NULL;
	g_autofree gchar *output = NULL;
	g_autofree gchar *output_pub = NULL;
	SuitCoseAlgorithm alg = SUIT_COSE_ALGORITHM_ES256;
	SuitKeyType key_type = SUIT_KEY_TYPE_P256;
	g_autoptr(SuitKey) key = NULL;
	g_autoptr(GBytes) pem = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GOptionContext) context = g_option_context_new(NULL);
	const GOptionEntry entries[] = {
	    {"alg",
	     'a',
	     0,
	     G_OPTION_ARG_STRING,
	     &alg_name,
	     "Algorithm the key is for: ES256 or ESP256 (P-256, the default), EdDSA or Ed25519",
	     "ALG"},
	    {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Private key file (PEM)", "KEY.pem"},
	    {"pub", 0, 0, G_OPTION_ARG_FILENAME, &output_pub, "Also write the public key", "PUB.pem"},
	    {NULL}};
	gint rc;

	g_option_context_add_main_entries(context, entries, NULL);
	rc = suit_cli_parse_options(self, context, "Generates a signing key.", &argc, &argv);
	if (rc >= 0)
		return rc;
	if (argc > 1)
		return suit_cli_usage(self, "unexpected argument '%s'", argv[1]);
	if (output == NULL)
		return suit_cli_usage(self, "no output file, use -o KEY.pem");

	if (alg_name != NULL) {
		alg = suit_cli_parse_algorithm(alg_name, &error);
		if (alg == SUIT_COSE_ALGORITHM_NONE)
			return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
	}
	switch (alg) {
	case SUIT_COSE_ALGORITHM_ES256:
	case SUIT_COSE_ALGORITHM_ESP256:
		key_type = SUIT_KEY_TYPE_P256;
		break;
	case SUIT_COSE_ALGORITHM_EDDSA:
	case SUIT_COSE_ALGORITHM_ED25519:
		key_type = SUIT_KEY_TYPE_ED25519;
		break;
	default:
		return suit_cli_usage(self,
				      "cannot generate a key for %s, a MAC key is any file of "
				      "random bytes",
				      alg_name);
	}

	key = suit_key_generate(key_type, &error);
	if (key == NULL)
		return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
	pem = suit_key_export_private_pem(key, &error);
	if (pem == NULL)
		return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
	if (!suit_cli_write_file(output, pem, 0600, &error))
		return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
	if (output_pub != NULL) {
		g_autoptr(GBytes) pem_pub = suit_key_export_public_pem(key, &error);
		if (pem_pub == NULL)
			return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
		if (!suit_cli_write_file(output_pub, pem_pub, 0644, &error))
			return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
	}
	return SUIT_CLI_EXIT_OK;
}

/* suit pubkey KEY.pem [-o PUB.pem] */
static gint
suit_cli_cmd_pubkey(SuitCli *self, gint argc, gchar **argv)
{
	g_autofree gchar *output = NULL;
	g_autoptr(SuitKey) key = NULL;
	g_autoptr(GBytes) pem = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GOptionContext) context = g_option_context_new("KEY.pem");
	const GOptionEntry entries[] = {
	    {"output",
	     'o',
	     0,
	     G_OPTION_ARG_FILENAME,
	     &output,
	     "Public key file (PEM), standard output if not given",
	     "PUB.pem"},
	    {NULL}};
	gint rc;

	g_option_context_add_main_entries(context, entries, NULL);
	rc = suit_cli_parse_options(self,
				    context,
				    "Prints the public key of a private key.",
				    &argc,
				    &argv);
	if (rc >= 0)
		return rc;
	if (argc != 2)
		return suit_cli_usage(self, "expected one key file");

	key = suit_cli_load_key(argv[1], FALSE, &error);
	if (key == NULL)
		return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
	pem = suit_key_export_public_pem(key, &error);
	if (pem == NULL)
		return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
	if (!suit_cli_write_file(output != NULL ? output : "-", pem, 0644, &error))
		return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
	return SUIT_CLI_EXIT_OK;
}

/* suit verify ENVELOPE --key PUB.pem [--key ...] [--mac-key FILE] [--json] */
static gint
suit_cli_cmd_verify(SuitCli *self, gint argc, gchar **argv)
{
	g_auto(GStrv) keys = NULL;
	g_auto(GStrv) mac_keys = NULL;
	gboolean require_all = FALSE;
	const gchar *filename;
	SuitManifest *manifest;
	SuitDigest *digest;
	g_autofree gchar *digest_hex = NULL;
	g_autoptr(SuitKeyring) keyring = suit_keyring_new();
	g_autoptr(SuitEnvelope) envelope = NULL;
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GOptionContext) context = g_option_context_new("ENVELOPE");
	const GOptionEntry entries[] = {
	    {"key",
	     'k',
	     0,
	     G_OPTION_ARG_FILENAME_ARRAY,
	     &keys,
	     "Trusted public key (PEM), may be repeated",
	     "PUB.pem"},
	    {"mac-key",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME_ARRAY,
	     &mac_keys,
	     "Trusted HMAC-256 secret (raw bytes), may be repeated",
	     "FILE"},
	    {"require-all",
	     0,
	     0,
	     G_OPTION_ARG_NONE,
	     &require_all,
	     "Every authentication block must verify, not just one",
	     NULL},
	    {"json", 0, 0, G_OPTION_ARG_NONE, &self->json, "Print the result as JSON", NULL},
	    {NULL}};
	gint rc;

	g_option_context_add_main_entries(context, entries, NULL);
	rc = suit_cli_parse_options(
	    self,
	    context,
	    "Verifies the authentication of an envelope, its manifest digest and its "
	    "severable members.",
	    &argc,
	    &argv);
	if (rc >= 0)
		return rc;
	if (argc != 2)
		return suit_cli_usage(self, "expected one envelope file");
	if (keys == NULL && mac_keys == NULL)
		return suit_cli_usage(self, "no trusted key, use --key PUB.pem or --mac-key FILE");
	filename = argv[1];

	for (guint i = 0; keys != NULL && keys[i] != NULL; i++) {
		g_autoptr(SuitKey) key = suit_cli_load_key(keys[i], FALSE, &error);
		if (key == NULL)
			return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
		suit_keyring_add(keyring, key);
	}
	for (guint i = 0; mac_keys != NULL && mac_keys[i] != NULL; i++) {
		g_autoptr(SuitKey) key = suit_cli_load_mac_key(mac_keys[i], &error);
		if (key == NULL)
			return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
		suit_keyring_add(keyring, key);
	}

	blob = suit_cli_read_file(filename, &error);
	if (blob == NULL)
		return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
	envelope = suit_cli_load_envelope(filename, blob, &error);
	if (envelope == NULL)
		return suit_cli_fail(self, SUIT_CLI_EXIT_REJECTED, error);
	if (!suit_envelope_verify(envelope,
				  keyring,
				  require_all ? SUIT_VERIFY_FLAG_REQUIRE_ALL : SUIT_VERIFY_FLAG_NONE,
				  &error)) {
		g_prefix_error(&error, "%s: ", filename);
		return suit_cli_fail(self, SUIT_CLI_EXIT_REJECTED, error);
	}
	manifest = suit_envelope_get_manifest(envelope, &error);
	if (manifest == NULL) {
		g_prefix_error(&error, "%s: ", filename);
		return suit_cli_fail(self, SUIT_CLI_EXIT_REJECTED, error);
	}
	digest = suit_envelope_get_manifest_digest(envelope);
	if (digest != NULL)
		digest_hex = suit_digest_to_hex(digest);

	if (self->json) {
		g_autoptr(JsonBuilder) builder = json_builder_new();
		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "ok");
		json_builder_add_boolean_value(builder, TRUE);
		json_builder_set_member_name(builder, "manifest-digest");
		if (digest_hex != NULL)
			json_builder_add_string_value(builder, digest_hex);
		else
			json_builder_add_null_value(builder);
		if (digest != NULL) {
			json_builder_set_member_name(builder, "digest-algorithm");
			json_builder_add_string_value(
			    builder,
			    suit_digest_algorithm_to_string(suit_digest_get_algorithm(digest)));
		}
		json_builder_set_member_name(builder, "sequence-number");
		json_builder_add_int_value(builder,
					   (gint64)suit_manifest_get_sequence_number(manifest));
		json_builder_set_member_name(builder, "authentication-blocks");
		json_builder_add_int_value(builder,
					   suit_envelope_get_n_authentication_blocks(envelope));
		json_builder_end_object(builder);
		suit_cli_print_json(builder);
		return SUIT_CLI_EXIT_OK;
	}
	g_print("%s: verified\n", filename);
	g_print("  manifest-digest: %s\n", digest_hex != NULL ? digest_hex : "(none)");
	g_print("  sequence-number: %" G_GUINT64_FORMAT "\n",
		suit_manifest_get_sequence_number(manifest));
	return SUIT_CLI_EXIT_OK;
}

/* suit inspect ENVELOPE [--json] */
static gint
suit_cli_cmd_inspect(SuitCli *self, gint argc, gchar **argv)
{
	gboolean json = FALSE;
	const gchar *filename;
	g_autofree gchar *text = NULL;
	g_autoptr(SuitEnvelope) envelope = NULL;
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GOptionContext) context = g_option_context_new("ENVELOPE");
	const GOptionEntry entries[] = {
	    {"json",
	     0,
	     0,
	     G_OPTION_ARG_NONE,
	     &json,
	     "Print the JSON mirror of the envelope (the input of 'suit create --raw')",
	     NULL},
	    {NULL}};
	gint rc;

	g_option_context_add_main_entries(context, entries, NULL);
	rc = suit_cli_parse_options(self,
				    context,
				    "Prints an envelope without verifying it.",
				    &argc,
				    &argv);
	if (rc >= 0)
		return rc;
	if (argc != 2)
		return suit_cli_usage(self, "expected one envelope file");
	filename = argv[1];

	/* errors are reported as JSON too when the output is meant for a program */
	self->json = json;
	blob = suit_cli_read_file(filename, &error);
	if (blob == NULL)
		return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
	envelope = suit_cli_load_envelope(filename, blob, &error);
	if (envelope == NULL)
		return suit_cli_fail(self, SUIT_CLI_EXIT_REJECTED, error);
	if (json) {
		text = suit_envelope_to_json(envelope, SUIT_JSON_FLAG_PRETTY, &error);
		if (text == NULL) {
			g_prefix_error(&error, "%s: ", filename);
			return suit_cli_fail(self, SUIT_CLI_EXIT_REJECTED, error);
		}
	} else {
		text = suit_envelope_to_string(envelope);
	}
	if (text != NULL)
		g_print("%s%s", text, g_str_has_suffix(text, "\n") ? "" : "\n");
	return SUIT_CLI_EXIT_OK;
}

/* the exit status for an error of the Author: files it could not read are
 * I/O errors, everything else is a rejected input */
static SuitCliExit
suit_cli_author_exit(const GError *error)
{
	if (g_error_matches(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND) ||
	    g_error_matches(error, SUIT_ERROR, SUIT_ERROR_PERMISSION_DENIED) || error->domain != SUIT_ERROR)
		return SUIT_CLI_EXIT_USAGE;
	return SUIT_CLI_EXIT_REJECTED;
}

/* suit create DESCRIPTION.json -o OUT.suit --key KEY.pem [--key ...]
 * suit create --raw MANIFEST.json -o OUT.suit --key KEY.pem [--key ...] */
static gint
suit_cli_cmd_create(SuitCli *self, gint argc, gchar **argv)
{
	gboolean raw = FALSE;
	gint64 sequence_number = -1;
	g_autofree gchar *output = NULL;
	g_auto(SuitCliSignOptions) opts = {NULL};
	const gchar *filename;
	g_autoptr(SuitAuthor) author = suit_author_new();
	g_autoptr(SuitEnvelope) envelope = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GOptionContext) context = g_option_context_new("DESCRIPTION.json | --raw MANIFEST.json");
	const GOptionEntry entries[] = {
	    {"raw",
	     0,
	     0,
	     G_OPTION_ARG_NONE,
	     &raw,
	     "The input is an exact manifest JSON, as printed by 'suit inspect --json'",
	     NULL},
	    {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Envelope to write", "OUT.suit"},
	    {"sequence-number",
	     0,
	     0,
	     G_OPTION_ARG_INT64,
	     &sequence_number,
	     "Manifest sequence number, instead of the description's (default: UTC seconds)",
	     "N"},
	    {NULL}};
	gint rc;

	g_option_context_add_main_entries(context, entries, NULL);
	suit_cli_sign_options_add_entries(context, &opts);
	rc = suit_cli_parse_options(
	    self,
	    context,
	    "Builds and signs an envelope. The input is a description (ARM suit-tool's format\n"
	    "with libsuit's extensions, see the README): payload files are named relative to\n"
	    "it. With --raw the input is the JSON mirror of an envelope (the output of\n"
	    "'suit inspect --json'); its authentication is ignored and the manifest is rebuilt\n"
	    "byte for byte. Use - to read standard input.",
	    &argc,
	    &argv);
	if (rc >= 0)
		return rc;
	if (argc != 2)
		return suit_cli_usage(self, raw ? "expected one manifest JSON file" : "expected one description file");
	if (output == NULL)
		return suit_cli_usage(self, "no output file, use -o OUT.suit");
	if (raw && sequence_number >= 0)
		return suit_cli_usage(self, "--sequence-number is for descriptions, a raw manifest has its own");
	filename = argv[1];

	rc = suit_cli_load_signers(self, &opts, author);
	if (rc >= 0)
		return rc;
	if (sequence_number >= 0)
		suit_author_set_sequence_number(author, (guint64)sequence_number);

	if (raw || g_strcmp0(filename, "-") == 0) {
		g_autofree gchar *json = NULL;
		g_autoptr(GBytes) blob = suit_cli_read_file(filename, &error);
		if (blob == NULL)
			return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
		json = g_strndup(g_bytes_get_data(blob, NULL), g_bytes_get_size(blob));
		if (raw)
			envelope = suit_author_build_from_manifest_json(author, json, &error);
		else
			envelope = suit_author_build_from_description_json(author, json, NULL, &error);
	} else {
		envelope = suit_author_build_from_description_file(author, filename, &error);
	}
	if (envelope == NULL) {
		if (!g_str_has_prefix(error->message, filename))
			g_prefix_error(&error, "%s: ", filename);
		return suit_cli_fail(self, suit_cli_author_exit(error), error);
	}
	return suit_cli_write_envelope(self, envelope, output);
}

/* suit sign IN.suit --key KEY.pem -o OUT.suit [--replace] [--alg ALG] [--kid HEX] */
static gint
suit_cli_cmd_sign(SuitCli *self, gint argc, gchar **argv)
{
	gboolean replace = FALSE;
	g_autofree gchar *output = NULL;
	g_auto(SuitCliSignOptions) opts = {NULL};
	const gchar *filename;
	g_autoptr(SuitAuthor) author = suit_author_new();
	g_autoptr(SuitEnvelope) envelope = NULL;
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GOptionContext) context = g_option_context_new("IN.suit");
	const GOptionEntry entries[] = {
	    {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Envelope to write", "OUT.suit"},
	    {"replace",
	     0,
	     0,
	     G_OPTION_ARG_NONE,
	     &replace,
	     "Drop the existing authentication blocks first",
	     NULL},
	    {NULL}};
	gint rc;

	g_option_context_add_main_entries(context, entries, NULL);
	suit_cli_sign_options_add_entries(context, &opts);
	rc = suit_cli_parse_options(
	    self,
	    context,
	    "Adds a signature to an envelope. The envelope's own manifest digest must match\n"
	    "its manifest; existing signatures are kept unless --replace is given.",
	    &argc,
	    &argv);
	if (rc >= 0)
		return rc;
	if (argc != 2)
		return suit_cli_usage(self, "expected one envelope file");
	if (output == NULL)
		return suit_cli_usage(self, "no output file, use -o OUT.suit");
	filename = argv[1];

	blob = suit_cli_read_file(filename, &error);
	if (blob == NULL)
		return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
	envelope = suit_cli_load_envelope(filename, blob, &error);
	if (envelope == NULL)
		return suit_cli_fail(self, SUIT_CLI_EXIT_REJECTED, error);
	rc = suit_cli_load_signers(self, &opts, author);
	if (rc >= 0)
		return rc;
	if (replace)
		suit_envelope_clear_authentication(envelope);
	if (!suit_author_sign_envelope(author, envelope, &error))
		return suit_cli_fail(self, SUIT_CLI_EXIT_REJECTED, error);
	return suit_cli_write_envelope(self, envelope, output);
}

/* suit sever ENVELOPE -o OUT.suit */
static gint
suit_cli_cmd_sever(SuitCli *self, gint argc, gchar **argv)
{
	g_autofree gchar *output = NULL;
	const gchar *filename;
	SuitManifest *manifest;
	guint n_severed = 0;
	g_autoptr(SuitEnvelope) envelope = NULL;
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GOptionContext) context = g_option_context_new("ENVELOPE");
	const GOptionEntry entries[] = {
	    {"output", 'o', 0, G_OPTION_ARG_FILENAME, &output, "Envelope to write", "OUT.suit"},
	    {NULL}};
	gint rc;

	g_option_context_add_main_entries(context, entries, NULL);
	rc = suit_cli_parse_options(
	    self,
	    context,
	    "Removes every severable member (coswid, dependency-resolution, payload-fetch,\n"
	    "candidate-verification, install, text) whose manifest entry is a digest.\n"
	    "The signatures stay valid.",
	    &argc,
	    &argv);
	if (rc >= 0)
		return rc;
	if (argc != 2)
		return suit_cli_usage(self, "expected one envelope file");
	if (output == NULL)
		return suit_cli_usage(self, "no output file, use -o OUT.suit");
	filename = argv[1];

	blob = suit_cli_read_file(filename, &error);
	if (blob == NULL)
		return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
	envelope = suit_cli_load_envelope(filename, blob, &error);
	if (envelope == NULL)
		return suit_cli_fail(self, SUIT_CLI_EXIT_REJECTED, error);
	manifest = suit_envelope_peek_manifest(envelope, &error);
	if (manifest == NULL) {
		g_prefix_error(&error, "%s: ", filename);
		return suit_cli_fail(self, SUIT_CLI_EXIT_REJECTED, error);
	}
	for (guint i = 0; i < G_N_ELEMENTS(suit_cli_severable_keys); i++) {
		gint64 key = suit_cli_severable_keys[i];
		g_autoptr(GError) error_local = NULL;

		/* only members that the manifest holds as a digest can go */
		if (suit_manifest_get_member_digest(manifest, key) == NULL)
			continue;
		if (suit_envelope_get_member(envelope, key) == NULL)
			continue;
		if (!suit_envelope_sever(envelope, key, &error_local)) {
			if (g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_NOT_FOUND) ||
			    g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED) ||
			    g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT)) {
				g_debug("not severing %" G_GINT64_FORMAT ": %s",
					key,
					error_local->message);
				continue;
			}
			g_prefix_error(&error_local, "%s: ", filename);
			return suit_cli_fail(self, SUIT_CLI_EXIT_REJECTED, error_local);
		}
		n_severed++;
	}
	if (n_severed == 0 && isatty(fileno(stderr)))
		g_printerr("suit sever: %s: nothing to sever\n", filename);
	return suit_cli_write_envelope(self, envelope, output);
}

/* device side: install, invoke, boot, confirm, store, report ------------------ */

/* a UUID in its canonical 8-4-4-4-12 form, as 16 bytes */
static GBytes *
suit_cli_parse_uuid(const gchar *option, const gchar *str, GError **error)
{
	guint8 buf[16] = {0};
	guint n = 0;

	if (strlen(str) != 36) {
		g_set_error(error,
			    G_OPTION_ERROR,
			    G_OPTION_ERROR_BAD_VALUE,
			    "%s: '%s' is not a UUID (expected 8-4-4-4-12 hex digits)",
			    option,
			    str);
		return NULL;
	}
	for (guint i = 0; i < 36; i++) {
		gint hi, lo;
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (str[i] != '-')
				break;
			continue;
		}
		hi = g_ascii_xdigit_value(str[i]);
		lo = g_ascii_xdigit_value(str[i + 1]);
		if (hi < 0 || lo < 0 || n >= sizeof(buf))
			break;
		buf[n++] = (guint8)((hi << 4) | lo);
		i++;
	}
	if (n != sizeof(buf)) {
		g_set_error(error,
			    G_OPTION_ERROR,
			    G_OPTION_ERROR_BAD_VALUE,
			    "%s: '%s' is not a UUID (expected 8-4-4-4-12 hex digits)",
			    option,
			    str);
		return NULL;
	}
	return g_bytes_new(buf, sizeof(buf));
}

/* a keyring of the public keys in @filenames */
static SuitKeyring *
suit_cli_load_keyring(gchar **filenames, GError **error)
{
	g_autoptr(SuitKeyring) keyring = suit_keyring_new();

	for (guint i = 0; filenames != NULL && filenames[i] != NULL; i++) {
		g_autoptr(SuitKey) key = suit_cli_load_key(filenames[i], FALSE, error);
		if (key == NULL)
			return NULL;
		suit_keyring_add(keyring, key);
	}
	return g_steal_pointer(&keyring);
}

/* opens an existing store directory; the device commands other than install
 * never create one */
static SuitStore *
suit_cli_open_store(const gchar *path, gboolean create, GError **error)
{
	SuitStoreDirectory *store;

	if (!create && !g_file_test(path, G_FILE_TEST_IS_DIR)) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_NOT_FOUND,
			    "%s: no such store directory",
			    path);
		return NULL;
	}
	store = suit_store_directory_new(path, error);
	if (store == NULL)
		return NULL;
	return SUIT_STORE(store);
}

static const gchar *
suit_cli_image_state_to_string(SuitStoreImageState state)
{
	switch (state) {
	case SUIT_STORE_IMAGE_STATE_CONFIRMED:
		return "confirmed";
	case SUIT_STORE_IMAGE_STATE_PENDING:
		return "pending";
	case SUIT_STORE_IMAGE_STATE_TRYING:
		return "trying";
	default:
		return "none";
	}
}

static const gchar *
suit_cli_progress_status_label(SuitProgressStatus status)
{
	const gchar *str = suit_progress_status_to_string(status);
	return str != NULL ? str : "working";
}

/* a progress bar on standard error, when it is a terminal */
typedef struct {
	SuitProgress *progress;
	gint last_permille;
	SuitProgressStatus last_status;
	gint64 last_draw; /* monotonic, µs */
	gboolean drawn;
} SuitCliProgressBar;

static void
suit_cli_progress_bar_draw(SuitCliProgressBar *bar)
{
	const guint width = 30;
	gdouble percentage = suit_progress_get_percentage(bar->progress);
	SuitProgressStatus status = suit_progress_get_status(bar->progress);
	guint64 total = suit_progress_get_total(bar->progress);
	guint64 done = suit_progress_get_done(bar->progress);
	gint permille = (gint)(percentage * 10.0);
	guint filled = (guint)(percentage * width / 100.0);
	g_autoptr(GString) line = g_string_new("\r");

	gint64 now = g_get_monotonic_time();

	/* redraw when the status changes, and at most ten times a second for
	 * the percentage: a terminal is slower than a local copy */
	if (bar->drawn && status == bar->last_status &&
	    (permille == bar->last_permille || now - bar->last_draw < G_USEC_PER_SEC / 10))
		return;
	bar->last_permille = permille;
	bar->last_status = status;
	bar->last_draw = now;
	bar->drawn = TRUE;

	g_string_append_printf(line, "%-11s [", suit_cli_progress_status_label(status));
	for (guint i = 0; i < width; i++)
		g_string_append_c(line, i < filled ? '#' : ' ');
	g_string_append_printf(line, "] %5.1f%%", percentage);
	if (total > 0) {
		g_autofree gchar *done_str = g_format_size(MIN(done, total));
		g_autofree gchar *total_str = g_format_size(total);
		g_string_append_printf(line, "  %s / %s", done_str, total_str);
	}
	g_string_append(line, "\033[K");
	fputs(line->str, stderr);
	fflush(stderr);
}

static void
suit_cli_progress_bar_percentage_cb(SuitProgress *progress, gdouble percentage, gpointer user_data)
{
	suit_cli_progress_bar_draw(user_data);
}

static void
suit_cli_progress_bar_status_cb(SuitProgress *progress, guint status, gpointer user_data)
{
	suit_cli_progress_bar_draw(user_data);
}

/* @bar is filled in and connected only when standard error is a terminal */
static void
suit_cli_progress_bar_init(SuitCliProgressBar *bar, SuitProgress *progress)
{
	bar->progress = progress;
	bar->last_permille = -1;
	if (!isatty(fileno(stderr)))
		return;
	g_signal_connect(progress,
			 "percentage-changed",
			 G_CALLBACK(suit_cli_progress_bar_percentage_cb),
			 bar);
	g_signal_connect(progress,
			 "status-changed",
			 G_CALLBACK(suit_cli_progress_bar_status_cb),
			 bar);
}

static void
suit_cli_progress_bar_finish(SuitCliProgressBar *bar)
{
	g_signal_handlers_disconnect_by_data(bar->progress, bar);
	if (bar->drawn)
		fputs("\r\033[K", stderr);
}

/* the exit status of a failed procedure: what can work on a retry (the network,
 * the disk) is an I/O error, everything else a rejection of the envelope */
static SuitCliExit
suit_cli_process_exit(const GError *error)
{
	if (error->domain != SUIT_ERROR)
		return SUIT_CLI_EXIT_USAGE;
	switch (error->code) {
	case SUIT_ERROR_FETCH_FAILED:
	case SUIT_ERROR_WRITE_FAILED:
	case SUIT_ERROR_PERMISSION_DENIED:
	case SUIT_ERROR_INTERNAL:
		return SUIT_CLI_EXIT_USAGE;
	default:
		return SUIT_CLI_EXIT_REJECTED;
	}
}

/* the state, size and SHA-256 of the active image of @component */
static void
suit_cli_build_component(JsonBuilder *builder, SuitStore *store, SuitComponentId *component)
{
	SuitStoreImageState state = SUIT_STORE_IMAGE_STATE_NONE;
	guint64 size = 0;
	g_autofree gchar *id = suit_component_id_to_string(component);
	g_autoptr(GBytes) cbor = suit_component_id_to_cbor(component);
	g_autoptr(SuitDigest) digest = NULL;
	g_autoptr(GError) error = NULL;

	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "id");
	json_builder_add_string_value(builder, id);
	if (cbor != NULL) {
		g_autoptr(GString) hex = g_string_new(NULL);
		gsize len = 0;
		const guint8 *data = g_bytes_get_data(cbor, &len);
		for (gsize i = 0; i < len; i++)
			g_string_append_printf(hex, "%02x", data[i]);
		json_builder_set_member_name(builder, "cbor");
		json_builder_add_string_value(builder, hex->str);
	}
	if (!suit_store_get_image_state(store, component, &state, NULL, &error)) {
		json_builder_set_member_name(builder, "error");
		json_builder_add_string_value(builder, error->message);
		json_builder_end_object(builder);
		return;
	}
	json_builder_set_member_name(builder, "state");
	json_builder_add_string_value(builder, suit_cli_image_state_to_string(state));
	if (state == SUIT_STORE_IMAGE_STATE_NONE) {
		json_builder_end_object(builder);
		return;
	}
	if (suit_store_get_size(store, component, &size, NULL, &error)) {
		json_builder_set_member_name(builder, "size");
		json_builder_add_int_value(builder, (gint64)size);
	}
	g_clear_error(&error);
	digest =
	    suit_store_get_digest(store, component, SUIT_DIGEST_ALGORITHM_SHA256, NULL, &error);
	if (digest != NULL) {
		g_autofree gchar *hex = suit_digest_to_hex(digest);
		json_builder_set_member_name(builder, "sha256");
		json_builder_add_string_value(builder, hex);
	} else {
		json_builder_set_member_name(builder, "error");
		json_builder_add_string_value(builder, error->message);
	}
	json_builder_end_object(builder);
}

/* prints one component of a components array built above */
static void
suit_cli_print_component(JsonObject *obj)
{
	g_print("  %s: %s",
		json_object_get_string_member(obj, "id"),
		json_object_get_string_member_with_default(obj, "state", "unknown"));
	if (json_object_has_member(obj, "size"))
		g_print(", %" G_GINT64_FORMAT " bytes", json_object_get_int_member(obj, "size"));
	if (json_object_has_member(obj, "sha256"))
		g_print(", sha256 %s", json_object_get_string_member(obj, "sha256"));
	if (json_object_has_member(obj, "error"))
		g_print(" (%s)", json_object_get_string_member(obj, "error"));
	g_print("\n");
}

/* prints @builder's document as JSON, or as "key: value" lines for people */
static void
suit_cli_print_result(SuitCli *self, JsonBuilder *builder, const gchar *title)
{
	g_autoptr(JsonNode) root = NULL;
	JsonObject *obj;
	g_autoptr(GList) members = NULL;

	if (self->json) {
		suit_cli_print_json(builder);
		return;
	}
	root = json_builder_get_root(builder);
	obj = json_node_get_object(root);
	if (title != NULL)
		g_print("%s\n", title);
	members = json_object_get_members(obj);
	for (GList *l = members; l != NULL; l = l->next) {
		const gchar *name = l->data;
		JsonNode *node = json_object_get_member(obj, name);
		if (g_strcmp0(name, "ok") == 0)
			continue;
		if (JSON_NODE_HOLDS_ARRAY(node)) {
			JsonArray *array = json_node_get_array(node);
			g_print("%s:%s\n",
				name,
				json_array_get_length(array) == 0 ? " (none)" : "");
			for (guint i = 0; i < json_array_get_length(array); i++) {
				JsonNode *element = json_array_get_element(array, i);
				if (JSON_NODE_HOLDS_OBJECT(element))
					suit_cli_print_component(json_node_get_object(element));
				else
					g_print("  %s\n", json_node_get_string(element));
			}
			continue;
		}
		if (JSON_NODE_HOLDS_NULL(node))
			continue;
		if (json_node_get_value_type(node) == G_TYPE_INT64)
			g_print("%s: %" G_GINT64_FORMAT "\n", name, json_node_get_int(node));
		else if (json_node_get_value_type(node) == G_TYPE_BOOLEAN)
			g_print("%s: %s\n", name, json_node_get_boolean(node) ? "yes" : "no");
		else
			g_print("%s: %s\n", name, json_node_get_string(node));
	}
}

static void
suit_cli_build_trace(JsonBuilder *builder, SuitFirmwareConsumer *consumer)
{
	GPtrArray *trace = suit_firmware_consumer_get_trace(consumer);

	json_builder_set_member_name(builder, "trace");
	json_builder_begin_array(builder);
	for (guint i = 0; trace != NULL && i < trace->len; i++)
		json_builder_add_string_value(builder, g_ptr_array_index(trace, i));
	json_builder_end_array(builder);
}

/* the options shared by install and invoke */
typedef struct {
	gchar **keys;
	gchar *store;
	gchar *vendor_id;
	gchar *class_id;
	gchar *device_id;
	gint64 slot;
} SuitCliDeviceOptions;

static void
suit_cli_device_options_clear(SuitCliDeviceOptions *opts)
{
	g_strfreev(opts->keys);
	g_free(opts->store);
	g_free(opts->vendor_id);
	g_free(opts->class_id);
	g_free(opts->device_id);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SuitCliDeviceOptions, suit_cli_device_options_clear)

static void
suit_cli_device_options_add_entries(GOptionContext *context, SuitCliDeviceOptions *opts)
{
	const GOptionEntry entries[] = {
	    {"key",
	     'k',
	     0,
	     G_OPTION_ARG_FILENAME_ARRAY,
	     &opts->keys,
	     "Trusted author public key (PEM), may be repeated",
	     "PUB.pem"},
	    {"store",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &opts->store,
	     "The device's store directory",
	     "DIR"},
	    {"vendor-id",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &opts->vendor_id,
	     "The device's vendor id",
	     "UUID"},
	    {"class-id",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &opts->class_id,
	     "The device's class id",
	     "UUID"},
	    {"device-id",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &opts->device_id,
	     "The device's own id",
	     "UUID"},
	    {"slot",
	     0,
	     0,
	     G_OPTION_ARG_INT64,
	     &opts->slot,
	     "The slot the components occupy, for component-slot conditions",
	     "N"},
	    {NULL}};

	opts->slot = -1;
	g_option_context_add_main_entries(context, entries, NULL);
}

/* builds the consumer from the options; -1 means carry on */
static gint
suit_cli_device_setup(SuitCli *self,
		      SuitCliDeviceOptions *opts,
		      gboolean create_store,
		      SuitStore **store_out,
		      SuitFirmwareConsumer **consumer_out)
{
	g_autoptr(GBytes) vendor_id = NULL;
	g_autoptr(GBytes) class_id = NULL;
	g_autoptr(GBytes) device_id = NULL;
	g_autoptr(SuitKeyring) keyring = NULL;
	g_autoptr(SuitStore) store = NULL;
	g_autoptr(SuitFetcher) fetcher = NULL;
	g_autoptr(GError) error = NULL;

	if (opts->keys == NULL)
		return suit_cli_usage(self, "no trusted key, use --key PUB.pem");
	if (opts->store == NULL)
		return suit_cli_usage(self, "no store, use --store DIR");
	if (opts->vendor_id == NULL || opts->class_id == NULL)
		return suit_cli_usage(self,
				      "the device needs --vendor-id UUID and --class-id UUID");
	if (opts->slot < -1)
		return suit_cli_usage(self, "--slot must not be negative");
	vendor_id = suit_cli_parse_uuid("--vendor-id", opts->vendor_id, &error);
	if (vendor_id == NULL)
		return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
	class_id = suit_cli_parse_uuid("--class-id", opts->class_id, &error);
	if (class_id == NULL)
		return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
	if (opts->device_id != NULL) {
		device_id = suit_cli_parse_uuid("--device-id", opts->device_id, &error);
		if (device_id == NULL)
			return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
	}
	keyring = suit_cli_load_keyring(opts->keys, &error);
	if (keyring == NULL)
		return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
	store = suit_cli_open_store(opts->store, create_store, &error);
	if (store == NULL)
		return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
	fetcher = suit_fetcher_new_default();

	*consumer_out = suit_firmware_consumer_new(keyring, store, fetcher);
	suit_firmware_consumer_set_vendor_id(*consumer_out, vendor_id);
	suit_firmware_consumer_set_class_id(*consumer_out, class_id);
	if (device_id != NULL)
		suit_firmware_consumer_set_device_id(*consumer_out, device_id);
	*store_out = g_steal_pointer(&store);
	return -1;
}

/* the manifest's components are all in slot --slot */
static void
suit_cli_device_set_slots(SuitCliDeviceOptions *opts,
			  SuitFirmwareConsumer *consumer,
			  SuitEnvelope *envelope)
{
	SuitManifest *manifest;
	GPtrArray *components;

	if (opts->slot < 0)
		return;
	/* not verified yet: the consumer verifies before anything runs */
	manifest = suit_envelope_peek_manifest(envelope, NULL);
	if (manifest == NULL)
		return;
	components = suit_manifest_get_components(manifest);
	for (guint i = 0; components != NULL && i < components->len; i++)
		suit_firmware_consumer_set_component_slot(consumer,
							  g_ptr_array_index(components, i),
							  (guint64)opts->slot);
}

/* signs the report of the last run with the device key and writes it */
static gboolean
suit_cli_write_report(SuitFirmwareConsumer *consumer,
		      SuitKey *device_key,
		      const gchar *filename,
		      GError **error)
{
	SuitReport *report = suit_firmware_consumer_get_report(consumer);
	g_autoptr(GBytes) cose = NULL;

	if (report == NULL) {
		g_set_error_literal(error, G_IO_ERROR, G_IO_ERROR_FAILED, "no report was made");
		return FALSE;
	}
	cose = suit_report_sign(report, device_key, SUIT_COSE_ALGORITHM_NONE, NULL, error);
	if (cose == NULL) {
		g_prefix_error(error, "failed to sign the report: ");
		return FALSE;
	}
	return suit_cli_write_file(filename, cose, 0644, error);
}

/* suit install ENVELOPE --key PUB.pem --store DIR --vendor-id UUID --class-id UUID
 *   [--device-id UUID] [--slot N] [--report OUT.cose --device-key KEY.pem] [--json] */
static gint
suit_cli_cmd_install(SuitCli *self, gint argc, gchar **argv)
{
	g_auto(SuitCliDeviceOptions) opts = {NULL};
	g_autofree gchar *report_path = NULL;
	g_autofree gchar *device_key_path = NULL;
	const gchar *filename;
	gboolean ok;
	SuitCliProgressBar bar = {NULL};
	g_autoptr(SuitKey) device_key = NULL;
	g_autoptr(SuitStore) store = NULL;
	g_autoptr(SuitFirmwareConsumer) consumer = NULL;
	g_autoptr(SuitEnvelope) envelope = NULL;
	g_autoptr(SuitProgress) progress = suit_progress_new();
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GError) error_report = NULL;
	g_autoptr(GOptionContext) context = g_option_context_new("ENVELOPE");
	const GOptionEntry entries[] = {
	    {"report",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &report_path,
	     "Write the signed SUIT report (COSE_Sign1), also when the update fails",
	     "OUT.cose"},
	    {"device-key",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &device_key_path,
	     "The device's private key, to sign the report",
	     "KEY.pem"},
	    {"json", 0, 0, G_OPTION_ARG_NONE, &self->json, "Print the result as JSON", NULL},
	    {NULL}};
	gint rc;

	suit_cli_device_options_add_entries(context, &opts);
	g_option_context_add_main_entries(context, entries, NULL);
	rc = suit_cli_parse_options(
	    self,
	    context,
	    "Runs the Update procedure of a device on a store directory: verifies the\n"
	    "envelope with the trusted keys, refuses rollbacks and other devices'\n"
	    "updates, fetches the payloads (file://, http://, https://, integrated) and\n"
	    "installs them as pending images (see 'suit confirm' and 'suit boot').\n"
	    "Exit status 1 when the envelope is refused, 2 for usage errors and for\n"
	    "fetch-failed, write-failed and other I/O errors.",
	    &argc,
	    &argv);
	if (rc >= 0)
		return rc;
	if (argc != 2)
		return suit_cli_usage(self, "expected one envelope file");
	if ((report_path == NULL) != (device_key_path == NULL))
		return suit_cli_usage(self, "--report and --device-key go together");
	filename = argv[1];

	if (device_key_path != NULL) {
		device_key = suit_cli_load_key(device_key_path, TRUE, &error);
		if (device_key == NULL)
			return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
	}
	rc = suit_cli_device_setup(self, &opts, TRUE, &store, &consumer);
	if (rc >= 0)
		return rc;
	blob = suit_cli_read_file(filename, &error);
	if (blob == NULL)
		return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
	envelope = suit_cli_load_envelope(filename, blob, &error);
	if (envelope == NULL) {
		/* a report names the manifest digest, which an unparsable envelope lacks */
		if (report_path != NULL)
			g_printerr(
			    "suit install: no report written, the envelope could not be parsed\n");
		return suit_cli_fail(self, SUIT_CLI_EXIT_REJECTED, error);
	}
	suit_cli_device_set_slots(&opts, consumer, envelope);

	suit_cli_progress_bar_init(&bar, progress);
	ok = suit_firmware_consumer_update(consumer, envelope, progress, NULL, &error);
	suit_cli_progress_bar_finish(&bar);

	if (report_path != NULL &&
	    !suit_cli_write_report(consumer, device_key, report_path, &error_report)) {
		if (!ok) {
			g_printerr("suit install: %s: %s\n", report_path, error_report->message);
		} else {
			g_prefix_error(&error_report, "%s: ", report_path);
			return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error_report);
		}
	}
	if (!ok) {
		g_prefix_error(&error, "%s: ", filename);
		return suit_cli_fail(self, suit_cli_process_exit(error), error);
	}

	{
		SuitManifest *manifest = suit_envelope_get_manifest(envelope, NULL);
		SuitDigest *digest = suit_envelope_get_manifest_digest(envelope);
		GPtrArray *components =
		    manifest != NULL ? suit_manifest_get_components(manifest) : NULL;
		g_autofree gchar *digest_hex = digest != NULL ? suit_digest_to_hex(digest) : NULL;
		g_autofree gchar *title = g_strdup_printf("%s: installed", filename);
		g_autoptr(JsonBuilder) builder = json_builder_new();

		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "ok");
		json_builder_add_boolean_value(builder, TRUE);
		json_builder_set_member_name(builder, "manifest-digest");
		if (digest_hex != NULL)
			json_builder_add_string_value(builder, digest_hex);
		else
			json_builder_add_null_value(builder);
		if (manifest != NULL) {
			json_builder_set_member_name(builder, "sequence-number");
			json_builder_add_int_value(
			    builder,
			    (gint64)suit_manifest_get_sequence_number(manifest));
		}
		json_builder_set_member_name(builder, "report");
		if (report_path != NULL)
			json_builder_add_string_value(builder, report_path);
		else
			json_builder_add_null_value(builder);
		suit_cli_build_trace(builder, consumer);
		json_builder_set_member_name(builder, "components");
		json_builder_begin_array(builder);
		for (guint i = 0; components != NULL && i < components->len; i++)
			suit_cli_build_component(builder, store, g_ptr_array_index(components, i));
		json_builder_end_array(builder);
		json_builder_end_object(builder);
		suit_cli_print_result(self, builder, title);
	}
	return SUIT_CLI_EXIT_OK;
}

/* suit invoke ENVELOPE --key PUB.pem --store DIR --vendor-id UUID --class-id UUID [--json] */
static gint
suit_cli_cmd_invoke(SuitCli *self, gint argc, gchar **argv)
{
	g_auto(SuitCliDeviceOptions) opts = {NULL};
	const gchar *filename;
	g_autofree gchar *title = NULL;
	g_autoptr(SuitStore) store = NULL;
	g_autoptr(SuitFirmwareConsumer) consumer = NULL;
	g_autoptr(SuitEnvelope) envelope = NULL;
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GOptionContext) context = g_option_context_new("ENVELOPE");
	const GOptionEntry entries[] = {
	    {"json", 0, 0, G_OPTION_ARG_NONE, &self->json, "Print the result as JSON", NULL},
	    {NULL}};
	gint rc;

	suit_cli_device_options_add_entries(context, &opts);
	g_option_context_add_main_entries(context, entries, NULL);
	rc = suit_cli_parse_options(
	    self,
	    context,
	    "Runs the Invocation procedure of a device on a store directory: verifies the\n"
	    "envelope, then its validate, load and invoke sequences against the installed\n"
	    "images, and prints what would be started.",
	    &argc,
	    &argv);
	if (rc >= 0)
		return rc;
	if (argc != 2)
		return suit_cli_usage(self, "expected one envelope file");
	filename = argv[1];

	rc = suit_cli_device_setup(self, &opts, FALSE, &store, &consumer);
	if (rc >= 0)
		return rc;
	blob = suit_cli_read_file(filename, &error);
	if (blob == NULL)
		return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
	envelope = suit_cli_load_envelope(filename, blob, &error);
	if (envelope == NULL)
		return suit_cli_fail(self, SUIT_CLI_EXIT_REJECTED, error);
	suit_cli_device_set_slots(&opts, consumer, envelope);
	if (!suit_firmware_consumer_invoke(consumer, envelope, NULL, NULL, &error)) {
		g_prefix_error(&error, "%s: ", filename);
		return suit_cli_fail(self, suit_cli_process_exit(error), error);
	}

	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "ok");
	json_builder_add_boolean_value(builder, TRUE);
	suit_cli_build_trace(builder, consumer);
	json_builder_end_object(builder);
	title = g_strdup_printf("%s: invoked", filename);
	suit_cli_print_result(self, builder, title);
	return SUIT_CLI_EXIT_OK;
}

/* the options of the commands that only need a store */
static gint
suit_cli_store_command_setup(SuitCli *self,
			     GOptionContext *context,
			     const gchar *summary,
			     gint *argc,
			     gchar ***argv,
			     gint max_args,
			     SuitStore **store_out)
{
	g_autofree gchar *path = NULL;
	g_autoptr(GError) error = NULL;
	const GOptionEntry entries[] = {
	    {"store", 0, 0, G_OPTION_ARG_FILENAME, &path, "The device's store directory", "DIR"},
	    {"json", 0, 0, G_OPTION_ARG_NONE, &self->json, "Print the result as JSON", NULL},
	    {NULL}};
	gint rc;

	g_option_context_add_main_entries(context, entries, NULL);
	rc = suit_cli_parse_options(self, context, summary, argc, argv);
	if (rc >= 0)
		return rc;
	if (*argc > max_args + 1)
		return suit_cli_usage(self, "unexpected argument '%s'", (*argv)[max_args + 1]);
	if (path == NULL)
		return suit_cli_usage(self, "no store, use --store DIR");
	*store_out = suit_cli_open_store(path, FALSE, &error);
	if (*store_out == NULL)
		return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
	return -1;
}

static void
suit_cli_build_components(JsonBuilder *builder, const gchar *name, SuitStore *store, GPtrArray *ids)
{
	json_builder_set_member_name(builder, name);
	json_builder_begin_array(builder);
	for (guint i = 0; i < ids->len; i++)
		suit_cli_build_component(builder, store, g_ptr_array_index(ids, i));
	json_builder_end_array(builder);
}

/* suit boot --store DIR [--json] */
static gint
suit_cli_cmd_boot(SuitCli *self, gint argc, gchar **argv)
{
	g_autoptr(SuitStore) store = NULL;
	g_autoptr(GPtrArray) fallen = NULL;
	g_autoptr(GPtrArray) ids = NULL;
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GOptionContext) context = g_option_context_new(NULL);
	gint rc;

	rc = suit_cli_store_command_setup(
	    self,
	    context,
	    "Runs the boot-attempt protocol of the store, as a device does when it starts:\n"
	    "a pending image is tried once; an image that was tried and not confirmed\n"
	    "falls back to the confirmed one.",
	    &argc,
	    &argv,
	    0,
	    &store);
	if (rc >= 0)
		return rc;
	fallen = suit_store_begin_boot(store, NULL, &error);
	if (fallen == NULL)
		return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
	ids = suit_store_list_components(store, NULL, &error);
	if (ids == NULL)
		return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);

	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "ok");
	json_builder_add_boolean_value(builder, TRUE);
	json_builder_set_member_name(builder, "fell-back");
	json_builder_begin_array(builder);
	for (guint i = 0; i < fallen->len; i++) {
		g_autofree gchar *id = suit_component_id_to_string(g_ptr_array_index(fallen, i));
		json_builder_add_string_value(builder, id);
	}
	json_builder_end_array(builder);
	suit_cli_build_components(builder, "components", store, ids);
	json_builder_end_object(builder);
	suit_cli_print_result(self, builder, NULL);
	return SUIT_CLI_EXIT_OK;
}

/* suit confirm --store DIR [COMPONENT] [--json] */
static gint
suit_cli_cmd_confirm(SuitCli *self, gint argc, gchar **argv)
{
	g_autoptr(SuitStore) store = NULL;
	g_autoptr(GPtrArray) ids = NULL;
	g_autoptr(GPtrArray) confirmed =
	    g_ptr_array_new_with_free_func((GDestroyNotify)suit_component_id_unref);
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GOptionContext) context = g_option_context_new("[COMPONENT]");
	gint rc;

	rc = suit_cli_store_command_setup(
	    self,
	    context,
	    "Confirms the pending images after a good boot, so that they no longer fall\n"
	    "back. COMPONENT is the hex of a component id's CBOR (the 'cbor' member of\n"
	    "'suit store show --json'); without it every pending image is confirmed.",
	    &argc,
	    &argv,
	    1,
	    &store);
	if (rc >= 0)
		return rc;
	if (argc == 2) {
		g_autoptr(GBytes) cbor = suit_cli_parse_hex(argv[1], &error);
		g_autoptr(SuitComponentId) id = NULL;
		if (cbor == NULL)
			return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
		id = suit_component_id_new_from_cbor(cbor, &error);
		if (id == NULL)
			return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
		if (!suit_store_confirm(store, id, NULL, &error))
			return suit_cli_fail(self, SUIT_CLI_EXIT_REJECTED, error);
		g_ptr_array_add(confirmed, g_steal_pointer(&id));
	} else {
		ids = suit_store_list_components(store, NULL, &error);
		if (ids == NULL)
			return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
		for (guint i = 0; i < ids->len; i++) {
			SuitComponentId *id = g_ptr_array_index(ids, i);
			SuitStoreImageState state = SUIT_STORE_IMAGE_STATE_NONE;
			if (!suit_store_get_image_state(store, id, &state, NULL, &error))
				return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
			if (state != SUIT_STORE_IMAGE_STATE_PENDING &&
			    state != SUIT_STORE_IMAGE_STATE_TRYING)
				continue;
			if (!suit_store_confirm(store, id, NULL, &error))
				return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
			g_ptr_array_add(confirmed, suit_component_id_ref(id));
		}
	}

	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "ok");
	json_builder_add_boolean_value(builder, TRUE);
	suit_cli_build_components(builder, "confirmed", store, confirmed);
	json_builder_end_object(builder);
	suit_cli_print_result(self, builder, NULL);
	return SUIT_CLI_EXIT_OK;
}

/* suit store show --store DIR [--json] */
static gint
suit_cli_cmd_store_show(SuitCli *self, gint argc, gchar **argv)
{
	g_autoptr(SuitStore) store = NULL;
	g_autoptr(GPtrArray) ids = NULL;
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GOptionContext) context = g_option_context_new(NULL);
	gint rc;

	rc = suit_cli_store_command_setup(
	    self,
	    context,
	    "Lists the components of a store directory with the state, size and SHA-256\n"
	    "of their active image.",
	    &argc,
	    &argv,
	    0,
	    &store);
	if (rc >= 0)
		return rc;
	ids = suit_store_list_components(store, NULL, &error);
	if (ids == NULL)
		return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "ok");
	json_builder_add_boolean_value(builder, TRUE);
	suit_cli_build_components(builder, "components", store, ids);
	json_builder_end_object(builder);
	suit_cli_print_result(self, builder, NULL);
	return SUIT_CLI_EXIT_OK;
}

/*
 * The payload of a COSE_Sign1 or COSE_Mac0 without verifying it, for
 * `suit report inspect`: libsuit only hands out the payload of a verified
 * structure. This reads just the outer layers (tag, 4-array, protected bstr,
 * unprotected map, payload bstr); the payload itself is parsed by libsuit.
 */
#define SUIT_CLI_CBOR_MAX_DEPTH 8

typedef struct {
	const guint8 *data;
	gsize len;
	gsize pos;
} SuitCliCbor;

static gboolean
suit_cli_cbor_truncated(GError **error)
{
	g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INVALID_CBOR, "truncated CBOR");
	return FALSE;
}

/* one CBOR head: the major type and its argument (definite lengths only) */
static gboolean
suit_cli_cbor_head(SuitCliCbor *c, guint *major, guint64 *arg, GError **error)
{
	guint8 ib;
	guint ai;
	gsize n;

	if (c->pos >= c->len)
		return suit_cli_cbor_truncated(error);
	ib = c->data[c->pos++];
	*major = ib >> 5;
	ai = ib & 0x1f;
	if (ai < 24) {
		*arg = ai;
		return TRUE;
	}
	if (ai > 27) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_CBOR,
				    "indefinite or reserved CBOR lengths are not allowed");
		return FALSE;
	}
	n = (gsize)1 << (ai - 24);
	if (c->len - c->pos < n)
		return suit_cli_cbor_truncated(error);
	*arg = 0;
	for (gsize i = 0; i < n; i++)
		*arg = (*arg << 8) | c->data[c->pos++];
	return TRUE;
}

/* skips one item, nested at most SUIT_CLI_CBOR_MAX_DEPTH levels */
static gboolean
suit_cli_cbor_skip(SuitCliCbor *c, guint depth, GError **error)
{
	guint major = 0;
	guint64 arg = 0;

	if (depth > SUIT_CLI_CBOR_MAX_DEPTH) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_LIMIT_EXCEEDED,
				    "CBOR nested too deeply");
		return FALSE;
	}
	if (!suit_cli_cbor_head(c, &major, &arg, error))
		return FALSE;
	switch (major) {
	case 2:
	case 3:
		if (arg > c->len - c->pos)
			return suit_cli_cbor_truncated(error);
		c->pos += (gsize)arg;
		return TRUE;
	case 4:
	case 5:
		/* every item takes at least one byte: a count beyond that is a lie */
		if (arg > c->len - c->pos)
			return suit_cli_cbor_truncated(error);
		for (guint64 i = 0; i < (major == 5 ? arg * 2 : arg); i++) {
			if (!suit_cli_cbor_skip(c, depth + 1, error))
				return FALSE;
		}
		return TRUE;
	case 6:
		return suit_cli_cbor_skip(c, depth + 1, error);
	default:
		return TRUE;
	}
}

/* a byte string item, returned as a slice of @blob */
static GBytes *
suit_cli_cbor_bstr(SuitCliCbor *c, GBytes *blob, const gchar *what, GError **error)
{
	guint major = 0;
	guint64 arg = 0;
	gsize start;

	if (!suit_cli_cbor_head(c, &major, &arg, error))
		return NULL;
	if (major != 2) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "the COSE %s is not a byte string",
			    what);
		return NULL;
	}
	if (arg > c->len - c->pos) {
		suit_cli_cbor_truncated(error);
		return NULL;
	}
	start = c->pos;
	c->pos += (gsize)arg;
	return g_bytes_new_from_bytes(blob, start, (gsize)arg);
}

/* TRUE if @blob starts like a tagged COSE_Sign1 (18) or COSE_Mac0 (17) */
static gboolean
suit_cli_is_cose(GBytes *blob)
{
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(blob, &len);
	return len > 0 && (data[0] == 0xd2 || data[0] == 0xd1);
}

static GBytes *
suit_cli_cose_payload(GBytes *blob, GError **error)
{
	SuitCliCbor c = {NULL};
	guint major = 0;
	guint64 arg = 0;
	g_autoptr(GBytes) protected = NULL;
	g_autoptr(GBytes) payload = NULL;

	c.data = g_bytes_get_data(blob, &c.len);
	if (!suit_cli_cbor_head(&c, &major, &arg, error))
		return NULL;
	if (major != 6 || (arg != 17 && arg != 18)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "not a tagged COSE_Sign1 or COSE_Mac0");
		return NULL;
	}
	if (!suit_cli_cbor_head(&c, &major, &arg, error))
		return NULL;
	if (major != 4 || arg != 4) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "the COSE structure is not an array of 4");
		return NULL;
	}
	protected = suit_cli_cbor_bstr(&c, blob, "protected header", error);
	if (protected == NULL)
		return NULL;
	if (c.pos >= c.len || (c.data[c.pos] >> 5) != 5) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "the COSE unprotected header is not a map");
		return NULL;
	}
	if (!suit_cli_cbor_skip(&c, 0, error))
		return NULL;
	payload = suit_cli_cbor_bstr(&c, blob, "payload", error);
	if (payload == NULL)
		return NULL;
	return g_steal_pointer(&payload);
}

/* the report file: a COSE report verified with @keyring, or, without a
 * keyring, any COSE report or bare SUIT_Report read without verifying */
static SuitReport *
suit_cli_load_report(const gchar *filename,
		     SuitKeyring *keyring,
		     gboolean *signed_out,
		     GError **error)
{
	g_autoptr(GBytes) blob = suit_cli_read_file(filename, error);
	g_autoptr(GBytes) payload = NULL;
	SuitReport *report;

	if (blob == NULL)
		return NULL;
	*signed_out = suit_cli_is_cose(blob);
	if (keyring != NULL) {
		report = suit_report_new_from_cose(blob, keyring, error);
	} else if (*signed_out) {
		payload = suit_cli_cose_payload(blob, error);
		report = payload != NULL
			     ? suit_report_new_from_bytes(payload,
							  SUIT_PARSE_FLAG_ALLOW_DUPLICATE_KEYS,
							  error)
			     : NULL;
	} else {
		report =
		    suit_report_new_from_bytes(blob, SUIT_PARSE_FLAG_ALLOW_DUPLICATE_KEYS, error);
	}
	if (report == NULL) {
		g_prefix_error(error, "%s: ", filename);
		return NULL;
	}
	return report;
}

static void
suit_cli_print_report(SuitCli *self, SuitReport *report, const gchar *filename, const gchar *status)
{
	g_autofree gchar *text = NULL;
	GPtrArray *warnings = suit_report_get_warnings(report);

	if (self->json) {
		g_autofree gchar *json = suit_report_to_json(report, SUIT_JSON_FLAG_NONE);
		g_autoptr(JsonNode) node = json_from_string(json, NULL);
		g_autoptr(JsonBuilder) builder = json_builder_new();

		/* the JSON document lists them too; stderr is for people watching */
		for (guint i = 0; warnings != NULL && i < warnings->len; i++)
			g_printerr("suit %s: warning: %s\n",
				   self->command,
				   (const gchar *)g_ptr_array_index(warnings, i));

		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "ok");
		json_builder_add_boolean_value(builder, TRUE);
		json_builder_set_member_name(builder, "signature");
		json_builder_add_string_value(builder, status);
		json_builder_set_member_name(builder, "report");
		if (node != NULL)
			json_builder_add_value(builder, g_steal_pointer(&node));
		else
			json_builder_add_null_value(builder);
		json_builder_end_object(builder);
		suit_cli_print_json(builder);
		return;
	}
	/* the text lists the warnings */
	text = suit_report_to_string(report);
	g_print("%s: %s\n", filename, status);
	g_print("%s%s", text, g_str_has_suffix(text, "\n") ? "" : "\n");
}

/* suit report inspect REPORT [--json] */
static gint
suit_cli_cmd_report_inspect(SuitCli *self, gint argc, gchar **argv)
{
	gboolean is_signed = FALSE;
	g_autoptr(SuitReport) report = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GOptionContext) context = g_option_context_new("REPORT");
	const GOptionEntry entries[] = {
	    {"json", 0, 0, G_OPTION_ARG_NONE, &self->json, "Print the report as JSON", NULL},
	    {NULL}};
	gint rc;

	g_option_context_add_main_entries(context, entries, NULL);
	rc = suit_cli_parse_options(
	    self,
	    context,
	    "Prints a SUIT report without verifying it: a COSE_Sign1 or COSE_Mac0\n"
	    "report as 'suit install --report' writes, or a bare SUIT_Report.\n"
	    "Repeated keys are tolerated and printed as warnings.",
	    &argc,
	    &argv);
	if (rc >= 0)
		return rc;
	if (argc != 2)
		return suit_cli_usage(self, "expected one report file");
	report = suit_cli_load_report(argv[1], NULL, &is_signed, &error);
	if (report == NULL)
		return suit_cli_fail(self,
				     error->domain == SUIT_ERROR ? SUIT_CLI_EXIT_REJECTED
								 : SUIT_CLI_EXIT_USAGE,
				     error);
	suit_cli_print_report(self, report, argv[1], is_signed ? "not verified" : "unsigned");
	return SUIT_CLI_EXIT_OK;
}

/* suit report verify REPORT --key DEVICE_PUB.pem [--key ...] [--json] */
static gint
suit_cli_cmd_report_verify(SuitCli *self, gint argc, gchar **argv)
{
	gboolean is_signed = FALSE;
	g_auto(GStrv) keys = NULL;
	g_autoptr(SuitKeyring) keyring = NULL;
	g_autoptr(SuitReport) report = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(GOptionContext) context = g_option_context_new("REPORT");
	const GOptionEntry entries[] = {
	    {"key",
	     'k',
	     0,
	     G_OPTION_ARG_FILENAME_ARRAY,
	     &keys,
	     "The device's public key (PEM), may be repeated",
	     "DEVICE_PUB.pem"},
	    {"json", 0, 0, G_OPTION_ARG_NONE, &self->json, "Print the report as JSON", NULL},
	    {NULL}};
	gint rc;

	g_option_context_add_main_entries(context, entries, NULL);
	rc = suit_cli_parse_options(
	    self,
	    context,
	    "Verifies the signature of a COSE_Sign1 SUIT report with the device's\n"
	    "public key, then prints it.",
	    &argc,
	    &argv);
	if (rc >= 0)
		return rc;
	if (argc != 2)
		return suit_cli_usage(self, "expected one report file");
	if (keys == NULL)
		return suit_cli_usage(self, "no device key, use --key DEVICE_PUB.pem");
	keyring = suit_cli_load_keyring(keys, &error);
	if (keyring == NULL)
		return suit_cli_fail(self, SUIT_CLI_EXIT_USAGE, error);
	report = suit_cli_load_report(argv[1], keyring, &is_signed, &error);
	if (report == NULL)
		return suit_cli_fail(self,
				     error->domain == SUIT_ERROR ? SUIT_CLI_EXIT_REJECTED
								 : SUIT_CLI_EXIT_USAGE,
				     error);
	suit_cli_print_report(self, report, argv[1], "verified");
	return SUIT_CLI_EXIT_OK;
}

/* runs the subcommand of a command group ("suit report inspect ...") */
static gint
suit_cli_run_group(SuitCli *self,
		   const gchar *group,
		   const SuitCliCommand *commands,
		   guint n_commands,
		   gint argc,
		   gchar **argv)
{
	g_autofree gchar *names = NULL;
	g_autoptr(GPtrArray) list = g_ptr_array_new();

	for (guint i = 0; i < n_commands; i++)
		g_ptr_array_add(list, (gpointer)commands[i].name);
	g_ptr_array_add(list, NULL);
	names = g_strjoinv("|", (gchar **)list->pdata);

	if (argc >= 2 && argv[1][0] != '-') {
		for (guint i = 0; i < n_commands; i++) {
			g_autofree gchar *full = NULL;
			g_autofree gchar *prgname = NULL;
			if (g_strcmp0(argv[1], commands[i].name) != 0)
				continue;
			full = g_strdup_printf("%s %s", group, commands[i].name);
			prgname = g_strdup_printf("suit %s", full);
			self->command = g_intern_string(full);
			g_set_prgname(prgname);
			return commands[i].func(self, argc - 1, argv + 1);
		}
		return suit_cli_usage(self, "unknown command '%s', expected %s", argv[1], names);
	}
	if (argc >= 2 && (g_strcmp0(argv[1], "--help") == 0 || g_strcmp0(argv[1], "-h") == 0)) {
		g_print("Usage:\n");
		for (guint i = 0; i < n_commands; i++)
			g_print("  suit %s %s %s\n      %s\n",
				group,
				commands[i].name,
				commands[i].parameters,
				commands[i].summary);
		return SUIT_CLI_EXIT_OK;
	}
	return suit_cli_usage(self, "expected %s", names);
}

static const SuitCliCommand suit_cli_report_commands[] = {
    {"inspect",
     "REPORT [--json]",
     "Print a SUIT report without verifying it",
     suit_cli_cmd_report_inspect},
    {"verify",
     "REPORT --key DEVICE_PUB.pem [--json]",
     "Verify and print a signed SUIT report",
     suit_cli_cmd_report_verify},
};

static const SuitCliCommand suit_cli_store_commands[] = {
    {"show",
     "--store DIR [--json]",
     "List the components of a store directory",
     suit_cli_cmd_store_show},
};

/* suit report inspect|verify ... */
static gint
suit_cli_cmd_report(SuitCli *self, gint argc, gchar **argv)
{
	return suit_cli_run_group(self,
				  "report",
				  suit_cli_report_commands,
				  G_N_ELEMENTS(suit_cli_report_commands),
				  argc,
				  argv);
}

/* suit store show ... */
static gint
suit_cli_cmd_store(SuitCli *self, gint argc, gchar **argv)
{
	return suit_cli_run_group(self,
				  "store",
				  suit_cli_store_commands,
				  G_N_ELEMENTS(suit_cli_store_commands),
				  argc,
				  argv);
}

static const SuitCliCommand suit_cli_commands[] = {
    {"keygen",
     "--alg ES256|ESP256|EdDSA|Ed25519 -o KEY.pem [--pub PUB.pem]",
     "Generate a signing key",
     suit_cli_cmd_keygen},
    {"pubkey", "KEY.pem [-o PUB.pem]", "Print the public key of a key", suit_cli_cmd_pubkey},
    {"create",
     "DESCRIPTION.json|--raw MANIFEST.json -o OUT.suit --key KEY.pem [--key ...]",
     "Build and sign an envelope",
     suit_cli_cmd_create},
    {"sign",
     "IN.suit --key KEY.pem -o OUT.suit [--replace] [--alg ALG] [--kid HEX]",
     "Add a signature to an envelope",
     suit_cli_cmd_sign},
    {"verify",
     "ENVELOPE --key PUB.pem [--key ...] [--mac-key FILE] [--json]",
     "Verify an envelope",
     suit_cli_cmd_verify},
    {"inspect", "ENVELOPE [--json]", "Print an envelope", suit_cli_cmd_inspect},
    {"sever", "ENVELOPE -o OUT.suit", "Remove the severable members", suit_cli_cmd_sever},
    {"install",
     "ENVELOPE --key PUB.pem --store DIR --vendor-id UUID --class-id UUID [--device-id UUID]\n"
     "           [--slot N] [--report OUT.cose --device-key KEY.pem] [--json]",
     "Run the Update procedure of a device on a store directory",
     suit_cli_cmd_install},
    {"invoke",
     "ENVELOPE --key PUB.pem --store DIR --vendor-id UUID --class-id UUID [--json]",
     "Run the Invocation procedure and print what would start",
     suit_cli_cmd_invoke},
    {"boot", "--store DIR [--json]", "Run the boot-attempt protocol of a store", suit_cli_cmd_boot},
    {"confirm", "--store DIR [COMPONENT] [--json]", "Confirm pending images", suit_cli_cmd_confirm},
    {"store",
     "show --store DIR [--json]",
     "List the images of a store directory",
     suit_cli_cmd_store},
    {"report",
     "inspect REPORT [--json] | verify REPORT --key DEVICE_PUB.pem [--json]",
     "Print or verify a SUIT report",
     suit_cli_cmd_report},
    {"server",
     "upload|manifests|devices|device add|campaigns|campaign create|pause|resume|cancel|events|tokens ...",
     "Drive a suit-server (REST): uploads, devices, campaigns, the audit log",
     suit_cli_cmd_server},
};

static gchar *
suit_cli_commands_description(void)
{
	g_autoptr(GString) str = g_string_new("Commands:\n");

	for (guint i = 0; i < G_N_ELEMENTS(suit_cli_commands); i++) {
		g_string_append_printf(str,
				       "  %-8s %s\n           %s\n",
				       suit_cli_commands[i].name,
				       suit_cli_commands[i].summary,
				       suit_cli_commands[i].parameters);
	}
	g_string_append(str,
			"\nRun 'suit COMMAND --help' for the options of a command.\n"
			"\nExit status: 0 success, 1 the input was processed and rejected,\n"
			"2 usage or I/O error. Rejections print 'suit: <error-id>: <message>'.\n");
	return g_string_free(g_steal_pointer(&str), FALSE);
}

/* suit [--help|--version] */
static gint
suit_cli_main_options(SuitCli *self, gint argc, gchar **argv)
{
	gboolean version = FALSE;
	g_autofree gchar *description = suit_cli_commands_description();
	g_autoptr(GError) error = NULL;
	g_autoptr(GOptionContext) context = g_option_context_new("COMMAND [ARGS…]");
	const GOptionEntry entries[] = {
	    {"version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version", NULL},
	    {NULL}};

	g_option_context_add_main_entries(context, entries, NULL);
	g_option_context_set_summary(context,
				     "Create, sign, verify, inspect and install IETF SUIT firmware "
				     "manifests.");
	g_option_context_set_description(context, description);
	if (!g_option_context_parse(context, &argc, &argv, &error)) {
		g_printerr("suit: %s (see 'suit --help')\n", error->message);
		return SUIT_CLI_EXIT_USAGE;
	}
	if (version) {
		g_print("suit %s\n", SUIT_VERSION_S);
		return SUIT_CLI_EXIT_OK;
	}
	if (argc > 1) {
		g_printerr("suit: unknown command '%s' (see 'suit --help')\n", argv[1]);
		return SUIT_CLI_EXIT_USAGE;
	}
	g_printerr("suit: no command given (see 'suit --help')\n");
	return SUIT_CLI_EXIT_USAGE;
}

int
main(int argc, char **argv)
{
	SuitCli self = {NULL};
	g_autofree gchar *prgname = NULL;

	setlocale(LC_ALL, "");

	if (argc < 2 || argv[1][0] == '-') {
		self.command = "";
		return suit_cli_main_options(&self, argc, argv);
	}
	for (guint i = 0; i < G_N_ELEMENTS(suit_cli_commands); i++) {
		const SuitCliCommand *cmd = &suit_cli_commands[i];
		if (g_strcmp0(argv[1], cmd->name) != 0)
			continue;
		self.command = cmd->name;
		/* "Usage: suit verify [OPTION…] ENVELOPE" */
		prgname = g_strdup_printf("suit %s", cmd->name);
		g_set_prgname(prgname);
		return cmd->func(&self, argc - 1, argv + 1);
	}
	g_printerr("suit: unknown command '%s' (see 'suit --help')\n", argv[1]);
	return SUIT_CLI_EXIT_USAGE;
}
