/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * suit-agent: the device daemon, a SuitCommunicator and a SuitFirmwareConsumer
 * composed (ARCHITECTURE.md §2, §4).
 *
 *   suit-agent --config FILE [--once] [--verbose]
 *
 * The configuration is a key file with one group:
 *
 *   [agent]
 *   server=https://updates.example.com     the suit-server (http or https)
 *   token=...  or  token-file=PATH          the device credential
 *   vendor-id=UUID                          the device identity, as `suit install`
 *   class-id=UUID
 *   device-id=UUID                          optional
 *   store=DIR                               the SuitStoreDirectory of the device
 *   state=DIR                               optional, default DIR/.agent-state
 *   device-key=PATH                         PEM private key that signs reports
 *   trust=PUB.pem;OTHER.pem                 trusted author keys
 *   poll-interval=300                       seconds between check-ins
 *   jitter=0.1                              fraction of the poll interval
 *   max-retries=5                           retries of network errors and 5xx
 *   health-command=CMD                      run after a boot; exit 0 = healthy
 *   ca-file=PATH                            trust for https, instead of the system's
 *
 * Relative paths are relative to the directory of the configuration file.
 * The state directory is a subdirectory of the store by default: the store
 * only ever touches its own image and state files, never a subdirectory.
 *
 * --once runs one round and prints one line, the outcome and the manifest it
 * concerned ("installed 3fa9...", "none -"). Exit status (ARCHITECTURE.md
 * §5.2): 0 when the round completed, whatever its outcome; 1 when the server
 * rejected something (credential, report, conflict); 2 for usage, network
 * and I/O errors. Without --once the agent runs until SIGTERM or SIGINT and
 * then exits 0.
 */

#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include <libsuit/suit.h>

typedef enum {
	SUIT_AGENT_EXIT_OK = 0,
	SUIT_AGENT_EXIT_REJECTED = 1,
	SUIT_AGENT_EXIT_USAGE = 2,
} SuitAgentExit;

#define SUIT_AGENT_GROUP	  "agent"
#define SUIT_AGENT_MAX_TOKEN_FILE 4096

typedef struct {
	gchar *server;
	gchar *token;
	GBytes *vendor_id;
	GBytes *class_id;
	GBytes *device_id;
	gchar *store;
	gchar *state;
	gchar *device_key;
	gchar **trust;
	guint poll_interval;
	gdouble jitter;
	guint max_retries;
	gchar *health_command;
	gchar *ca_file;
} SuitAgentConfig;

static void
suit_agent_config_clear(SuitAgentConfig *config)
{
	g_free(config->server);
	if (config->token != NULL) {
		memset(config->token, 0, strlen(config->token));
		g_free(config->token);
	}
	g_clear_pointer(&config->vendor_id, g_bytes_unref);
	g_clear_pointer(&config->class_id, g_bytes_unref);
	g_clear_pointer(&config->device_id, g_bytes_unref);
	g_free(config->store);
	g_free(config->state);
	g_free(config->device_key);
	g_strfreev(config->trust);
	g_free(config->health_command);
	g_free(config->ca_file);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SuitAgentConfig, suit_agent_config_clear)

static gint
suit_agent_fail(SuitAgentExit exit_code, const GError *error)
{
	g_autofree gchar *message = g_strdup(error->message);
	/* one line, whatever the library put in the message */
	g_strdelimit(message, "\r\n", ' ');
	if (error->domain == SUIT_ERROR)
		g_printerr("suit-agent: %s: %s\n", suit_error_to_id(error->code), message);
	else
		g_printerr("suit-agent: %s\n", message);
	return exit_code;
}

static gint
suit_agent_usage(const gchar *message)
{
	g_printerr("suit-agent: %s\n", message);
	g_printerr("Usage: suit-agent --config FILE [--once] [--verbose]\n");
	return SUIT_AGENT_EXIT_USAGE;
}

/* what a failed round means for the exit status: what may work on a retry
 * (the network, the disk) is an I/O error, a refusal by the server is a
 * rejection */
static SuitAgentExit
suit_agent_round_exit(const GError *error)
{
	if (error->domain != SUIT_ERROR)
		return SUIT_AGENT_EXIT_USAGE;
	switch (error->code) {
	case SUIT_ERROR_FETCH_FAILED:
	case SUIT_ERROR_WRITE_FAILED:
	case SUIT_ERROR_INTERNAL:
		return SUIT_AGENT_EXIT_USAGE;
	default:
		return SUIT_AGENT_EXIT_REJECTED;
	}
}

static const gchar *
suit_agent_outcome_to_string(SuitCommunicatorOutcome outcome)
{
	switch (outcome) {
	case SUIT_COMMUNICATOR_OUTCOME_INSTALLED:
		return "installed";
	case SUIT_COMMUNICATOR_OUTCOME_CONFIRMED:
		return "confirmed";
	case SUIT_COMMUNICATOR_OUTCOME_FELL_BACK:
		return "fell-back";
	case SUIT_COMMUNICATOR_OUTCOME_FAILED:
		return "failed";
	case SUIT_COMMUNICATOR_OUTCOME_NONE:
	default:
		return "none";
	}
}

/* configuration ----------------------------------------------------------- */

/* a UUID in its canonical 8-4-4-4-12 form, as 16 bytes */
static GBytes *
suit_agent_parse_uuid(const gchar *key, const gchar *str, GError **error)
{
	guint8 buf[16] = {0};
	guint n = 0;

	if (strlen(str) != 36) {
		g_set_error(error,
			    G_KEY_FILE_ERROR,
			    G_KEY_FILE_ERROR_INVALID_VALUE,
			    "%s: '%s' is not a UUID (expected 8-4-4-4-12 hex digits)",
			    key,
			    str);
		return NULL;
	}
	for (guint i = 0; i < 36; i++) {
		gint hi;
		gint lo;
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
			    G_KEY_FILE_ERROR,
			    G_KEY_FILE_ERROR_INVALID_VALUE,
			    "%s: '%s' is not a UUID (expected 8-4-4-4-12 hex digits)",
			    key,
			    str);
		return NULL;
	}
	return g_bytes_new(buf, sizeof(buf));
}

/* an optional string; NULL when the key is missing or empty */
static gchar *
suit_agent_get_string(GKeyFile *keyfile, const gchar *key)
{
	g_autofree gchar *value = g_key_file_get_string(keyfile, SUIT_AGENT_GROUP, key, NULL);
	if (value == NULL)
		return NULL;
	g_strstrip(value);
	if (value[0] == '\0')
		return NULL;
	return g_steal_pointer(&value);
}

static gchar *
suit_agent_require_string(GKeyFile *keyfile, const gchar *key, GError **error)
{
	gchar *value = suit_agent_get_string(keyfile, key);
	if (value == NULL)
		g_set_error(error,
			    G_KEY_FILE_ERROR,
			    G_KEY_FILE_ERROR_KEY_NOT_FOUND,
			    "[%s] %s is required",
			    SUIT_AGENT_GROUP,
			    key);
	return value;
}

/* a path, relative to the configuration file's directory */
static gchar *
suit_agent_path(const gchar *base_dir, gchar *value)
{
	g_autofree gchar *owned = value;
	if (owned == NULL)
		return NULL;
	if (g_path_is_absolute(owned))
		return g_steal_pointer(&owned);
	return g_build_filename(base_dir, owned, NULL);
}

static gboolean
suit_agent_get_uint(GKeyFile *keyfile, const gchar *key, guint *value, GError **error)
{
	g_autofree gchar *str = suit_agent_get_string(keyfile, key);
	guint64 parsed = 0;
	if (str == NULL)
		return TRUE;
	if (!g_ascii_string_to_unsigned(str, 10, 0, G_MAXUINT, &parsed, NULL)) {
		g_set_error(error,
			    G_KEY_FILE_ERROR,
			    G_KEY_FILE_ERROR_INVALID_VALUE,
			    "[%s] %s: '%s' is not a non-negative integer",
			    SUIT_AGENT_GROUP,
			    key,
			    str);
		return FALSE;
	}
	*value = (guint)parsed;
	return TRUE;
}

/* the token, from token= or from the first line of token-file= */
static gchar *
suit_agent_load_token(GKeyFile *keyfile, const gchar *base_dir, GError **error)
{
	g_autofree gchar *token = suit_agent_get_string(keyfile, "token");
	g_autofree gchar *path = suit_agent_path(base_dir, suit_agent_get_string(keyfile, "token-file"));
	g_autofree gchar *contents = NULL;
	gsize len = 0;

	if (token != NULL && path != NULL) {
		g_set_error(error,
			    G_KEY_FILE_ERROR,
			    G_KEY_FILE_ERROR_INVALID_VALUE,
			    "[%s] token and token-file are exclusive",
			    SUIT_AGENT_GROUP);
		return NULL;
	}
	if (token != NULL)
		return g_steal_pointer(&token);
	if (path == NULL) {
		g_set_error(error,
			    G_KEY_FILE_ERROR,
			    G_KEY_FILE_ERROR_KEY_NOT_FOUND,
			    "[%s] token or token-file is required",
			    SUIT_AGENT_GROUP);
		return NULL;
	}
	if (!g_file_get_contents(path, &contents, &len, error)) {
		g_prefix_error(error, "token-file: ");
		return NULL;
	}
	if (len > SUIT_AGENT_MAX_TOKEN_FILE || memchr(contents, '\0', len) != NULL) {
		memset(contents, 0, len);
		g_set_error(error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "token-file %s is not a token", path);
		return NULL;
	}
	contents[strcspn(contents, "\r\n")] = '\0';
	g_strstrip(contents);
	token = g_strdup(contents);
	memset(contents, 0, len);
	return g_steal_pointer(&token);
}

static gboolean
suit_agent_load_config(SuitAgentConfig *config, const gchar *filename, GError **error)
{
	g_autoptr(GKeyFile) keyfile = g_key_file_new();
	g_autofree gchar *absolute = g_canonicalize_filename(filename, NULL);
	g_autofree gchar *base_dir = g_path_get_dirname(absolute);
	g_autofree gchar *vendor_id = NULL;
	g_autofree gchar *class_id = NULL;
	g_autofree gchar *device_id = NULL;
	g_autofree gchar *jitter = NULL;

	if (!g_key_file_load_from_file(keyfile, filename, G_KEY_FILE_NONE, error)) {
		g_prefix_error(error, "%s: ", filename);
		return FALSE;
	}
	if (!g_key_file_has_group(keyfile, SUIT_AGENT_GROUP)) {
		g_set_error(error,
			    G_KEY_FILE_ERROR,
			    G_KEY_FILE_ERROR_GROUP_NOT_FOUND,
			    "%s: no [%s] group",
			    filename,
			    SUIT_AGENT_GROUP);
		return FALSE;
	}
	config->server = suit_agent_require_string(keyfile, "server", error);
	if (config->server == NULL)
		return FALSE;
	config->token = suit_agent_load_token(keyfile, base_dir, error);
	if (config->token == NULL)
		return FALSE;
	vendor_id = suit_agent_require_string(keyfile, "vendor-id", error);
	if (vendor_id == NULL)
		return FALSE;
	config->vendor_id = suit_agent_parse_uuid("vendor-id", vendor_id, error);
	if (config->vendor_id == NULL)
		return FALSE;
	class_id = suit_agent_require_string(keyfile, "class-id", error);
	if (class_id == NULL)
		return FALSE;
	config->class_id = suit_agent_parse_uuid("class-id", class_id, error);
	if (config->class_id == NULL)
		return FALSE;
	device_id = suit_agent_get_string(keyfile, "device-id");
	if (device_id != NULL) {
		config->device_id = suit_agent_parse_uuid("device-id", device_id, error);
		if (config->device_id == NULL)
			return FALSE;
	}
	config->store = suit_agent_path(base_dir, suit_agent_require_string(keyfile, "store", error));
	if (config->store == NULL)
		return FALSE;
	config->state = suit_agent_path(base_dir, suit_agent_get_string(keyfile, "state"));
	if (config->state == NULL)
		config->state = g_build_filename(config->store, ".agent-state", NULL);
	config->device_key = suit_agent_path(base_dir, suit_agent_require_string(keyfile, "device-key", error));
	if (config->device_key == NULL)
		return FALSE;
	config->trust = g_key_file_get_string_list(keyfile, SUIT_AGENT_GROUP, "trust", NULL, NULL);
	if (config->trust == NULL || config->trust[0] == NULL) {
		g_set_error(error,
			    G_KEY_FILE_ERROR,
			    G_KEY_FILE_ERROR_KEY_NOT_FOUND,
			    "[%s] trust (the author public keys) is required",
			    SUIT_AGENT_GROUP);
		return FALSE;
	}
	for (guint i = 0; config->trust[i] != NULL; i++) {
		g_strstrip(config->trust[i]);
		if (!g_path_is_absolute(config->trust[i])) {
			gchar *path = g_build_filename(base_dir, config->trust[i], NULL);
			g_free(config->trust[i]);
			config->trust[i] = path;
		}
	}
	config->poll_interval = 300;
	if (!suit_agent_get_uint(keyfile, "poll-interval", &config->poll_interval, error))
		return FALSE;
	if (config->poll_interval == 0) {
		g_set_error(error,
			    G_KEY_FILE_ERROR,
			    G_KEY_FILE_ERROR_INVALID_VALUE,
			    "[%s] poll-interval must be at least 1",
			    SUIT_AGENT_GROUP);
		return FALSE;
	}
	config->max_retries = 5;
	if (!suit_agent_get_uint(keyfile, "max-retries", &config->max_retries, error))
		return FALSE;
	config->jitter = 0.1;
	jitter = suit_agent_get_string(keyfile, "jitter");
	if (jitter != NULL) {
		gchar *end = NULL;
		config->jitter = g_ascii_strtod(jitter, &end);
		if (end == jitter || *end != '\0' || !(config->jitter >= 0.0 && config->jitter <= 1.0)) {
			g_set_error(error,
				    G_KEY_FILE_ERROR,
				    G_KEY_FILE_ERROR_INVALID_VALUE,
				    "[%s] jitter: '%s' is not a number between 0 and 1",
				    SUIT_AGENT_GROUP,
				    jitter);
			return FALSE;
		}
	}
	config->health_command = suit_agent_get_string(keyfile, "health-command");
	config->ca_file = suit_agent_path(base_dir, suit_agent_get_string(keyfile, "ca-file"));
	return TRUE;
}

/* the device ------------------------------------------------------------- */

static SuitCommunicator *
suit_agent_build(const SuitAgentConfig *config, GError **error)
{
	g_autoptr(SuitKeyring) keyring = suit_keyring_new();
	g_autoptr(SuitKey) device_key = NULL;
	g_autoptr(SuitStoreDirectory) store = NULL;
	g_autoptr(SuitFetcherSoup) soup = suit_fetcher_soup_new();
	g_autoptr(SuitFetcher) fetcher = NULL;
	g_autoptr(SuitFirmwareConsumer) consumer = NULL;
	g_autoptr(SuitCommunicator) communicator = NULL;

	for (guint i = 0; config->trust[i] != NULL; i++) {
		if (!suit_keyring_add_from_file(keyring, config->trust[i], error)) {
			g_prefix_error(error, "trust %s: ", config->trust[i]);
			return NULL;
		}
	}
	device_key = suit_key_new_from_file(config->device_key, error);
	if (device_key == NULL) {
		g_prefix_error(error, "device-key %s: ", config->device_key);
		return NULL;
	}
	if (!suit_key_has_private(device_key)) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "device-key %s is not a private key",
			    config->device_key);
		return NULL;
	}
	store = suit_store_directory_new(config->store, error);
	if (store == NULL) {
		g_prefix_error(error, "store %s: ", config->store);
		return NULL;
	}

	/* payloads: https with the same trust, relative URIs against the server */
	if (config->ca_file != NULL) {
		g_autoptr(GTlsDatabase) database = g_tls_file_database_new(config->ca_file, error);
		if (database == NULL) {
			g_prefix_error(error, "ca-file %s: ", config->ca_file);
			return NULL;
		}
		suit_fetcher_soup_set_tls_database(soup, database);
	}
	suit_fetcher_soup_set_max_retries(soup, config->max_retries);
	fetcher = suit_communicator_new_fetcher(config->server, SUIT_FETCHER(soup), error);
	if (fetcher == NULL) {
		g_prefix_error(error, "server: ");
		return NULL;
	}

	/* the device, configured as `suit install` configures it */
	consumer = suit_firmware_consumer_new(keyring, SUIT_STORE(store), fetcher);
	suit_firmware_consumer_set_vendor_id(consumer, config->vendor_id);
	suit_firmware_consumer_set_class_id(consumer, config->class_id);
	if (config->device_id != NULL)
		suit_firmware_consumer_set_device_id(consumer, config->device_id);

	communicator = suit_communicator_new(consumer, SUIT_STORE(store), config->server, config->token, error);
	if (communicator == NULL) {
		g_prefix_error(error, "server: ");
		return NULL;
	}
	suit_communicator_set_device_key(communicator, device_key);
	if (!suit_communicator_set_state_directory(communicator, config->state, error)) {
		g_prefix_error(error, "state: ");
		return NULL;
	}
	if (config->ca_file != NULL && !suit_communicator_set_ca_file(communicator, config->ca_file, error)) {
		g_prefix_error(error, "ca-file: ");
		return NULL;
	}
	suit_communicator_set_poll_interval(communicator, config->poll_interval);
	suit_communicator_set_jitter(communicator, config->jitter);
	suit_communicator_set_max_retries(communicator, config->max_retries);
	suit_communicator_set_health_command(communicator, config->health_command);
	return g_steal_pointer(&communicator);
}

/* daemon mode: SIGTERM and SIGINT cancel the loop from a thread of their own */

typedef struct {
	GMainContext *context;
	GMainLoop *loop;
	GCancellable *cancellable;
} SuitAgentSignals;

static gboolean
suit_agent_signal_cb(gpointer user_data)
{
	SuitAgentSignals *signals = user_data;
	g_message("stopping");
	g_cancellable_cancel(signals->cancellable);
	return G_SOURCE_CONTINUE;
}

static gboolean
suit_agent_quit_cb(gpointer user_data)
{
	SuitAgentSignals *signals = user_data;
	g_main_loop_quit(signals->loop);
	return G_SOURCE_REMOVE;
}

static gpointer
suit_agent_signal_thread_cb(gpointer user_data)
{
	SuitAgentSignals *signals = user_data;
	g_main_context_push_thread_default(signals->context);
	g_main_loop_run(signals->loop);
	g_main_context_pop_thread_default(signals->context);
	return NULL;
}

static gint
suit_agent_run_daemon(SuitCommunicator *communicator)
{
	SuitAgentSignals signals = {NULL};
	const gint signums[] = {SIGTERM, SIGINT};
	g_autoptr(GError) error = NULL;
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	GThread *thread;
	gboolean ok;

	signals.context = g_main_context_new();
	signals.loop = g_main_loop_new(signals.context, FALSE);
	signals.cancellable = cancellable;
	for (guint i = 0; i < G_N_ELEMENTS(signums); i++) {
		g_autoptr(GSource) source = g_unix_signal_source_new(signums[i]);
		g_source_set_callback(source, suit_agent_signal_cb, &signals, NULL);
		g_source_attach(source, signals.context);
	}
	thread = g_thread_new("suit-agent-signals", suit_agent_signal_thread_cb, &signals);

	g_message("checking in with the server every %u s", suit_communicator_get_poll_interval(communicator));
	ok = suit_communicator_run(communicator, cancellable, &error);

	g_main_context_invoke(signals.context, suit_agent_quit_cb, &signals);
	g_thread_join(thread);
	g_main_loop_unref(signals.loop);
	g_main_context_unref(signals.context);

	if (!ok && !g_error_matches(error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
		return suit_agent_fail(SUIT_AGENT_EXIT_USAGE, error);
	return SUIT_AGENT_EXIT_OK;
}

static gint
suit_agent_run_once(SuitCommunicator *communicator)
{
	g_autoptr(GError) error = NULL;
	SuitCommunicatorOutcome outcome = SUIT_COMMUNICATOR_OUTCOME_NONE;
	const gchar *manifest;

	if (!suit_communicator_run_once(communicator, &outcome, NULL, &error))
		return suit_agent_fail(suit_agent_round_exit(error), error);
	manifest = suit_communicator_get_manifest(communicator);
	g_print("%s %s\n", suit_agent_outcome_to_string(outcome), manifest != NULL ? manifest : "-");
	return SUIT_AGENT_EXIT_OK;
}

int
main(int argc, char **argv)
{
	g_autofree gchar *config_path = NULL;
	gboolean once = FALSE;
	gboolean verbose = FALSE;
	g_auto(SuitAgentConfig) config = {NULL};
	g_autoptr(SuitCommunicator) communicator = NULL;
	g_autoptr(GOptionContext) context = g_option_context_new(NULL);
	g_autoptr(GError) error = NULL;
	const GOptionEntry entries[] = {
	    {"config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path, "The configuration file", "FILE"},
	    {"once", 0, 0, G_OPTION_ARG_NONE, &once, "Run one round, print its outcome and exit", NULL},
	    {"verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Show debug messages", NULL},
	    {NULL}};

	setlocale(LC_ALL, "");
	g_option_context_set_summary(context,
				     "The device agent of libsuit: checks in with a suit-server, installs the\n"
				     "updates it offers, boots them and reports how that went.\n"
				     "Exit status: 0 success, 1 the server rejected something, 2 usage or I/O error.");
	g_option_context_add_main_entries(context, entries, NULL);
	if (!g_option_context_parse(context, &argc, &argv, &error))
		return suit_agent_usage(error->message);
	if (argc > 1)
		return suit_agent_usage("unexpected argument");
	if (config_path == NULL)
		return suit_agent_usage("no configuration, use --config FILE");
	if (verbose)
		g_log_set_debug_enabled(TRUE);

	if (!suit_agent_load_config(&config, config_path, &error))
		return suit_agent_fail(SUIT_AGENT_EXIT_USAGE, error);
	communicator = suit_agent_build(&config, &error);
	if (communicator == NULL)
		return suit_agent_fail(SUIT_AGENT_EXIT_USAGE, error);
	if (once)
		return suit_agent_run_once(communicator);
	return suit_agent_run_daemon(communicator);
}
