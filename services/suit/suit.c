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
 */

#include <errno.h>
#include <json-glib/json-glib.h>
#include <libsuit/suit.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef enum {
	SUIT_CLI_EXIT_OK = 0,
	SUIT_CLI_EXIT_REJECTED = 1,
	SUIT_CLI_EXIT_USAGE = 2,
} SuitCliExit;

/* the largest file the tool reads from stdin */
#define SUIT_CLI_STDIN_MAX (64 * 1024 * 1024)

typedef struct {
	const gchar *command; /* noref */
	gboolean json;
} SuitCli;

typedef struct {
	const gchar *name;
	const gchar *parameters;
	const gchar *summary;
	gint (*func)(SuitCli *self, gint argc, gchar **argv);
} SuitCliCommand;

/* the severable manifest members: coswid, dependency-resolution,
 * payload-fetch, candidate-verification, install, text */
static const gint64 suit_cli_severable_keys[] = {14, 15, 16, 18, 20, 23};

static void
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
static gint
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

static gint
suit_cli_usage(SuitCli *self, const gchar *format, ...) G_GNUC_PRINTF(2, 3);

static gint
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
static GBytes *
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
static gint
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
				     "Create, sign, verify and inspect IETF SUIT firmware manifests.");
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
