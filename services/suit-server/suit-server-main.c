/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * suit-server: the Status Tracker and the Firmware Server behind a REST API
 * (ARCHITECTURE.md §5.4), with SQLite and a payload directory under
 * --data-dir:
 *
 *   DATA_DIR/tracker.db          the tracker database (SQLite, WAL)
 *   DATA_DIR/files/              payloads and envelopes (files/tmp: uploads)
 *   DATA_DIR/admin-token         the first admin token, mode 0600
 *   DATA_DIR/trusted-keys/NAME.pem author public keys, trusted like --trust
 *
 * Exit status: 0 after SIGTERM/SIGINT (in-flight requests are given up to
 * ten seconds), 1 when the server cannot start, 2 for usage errors.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib-unix.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <json-glib/json-glib.h>

#include "suit-rest-server.h"

#ifdef SUIT_SERVER_JEMALLOC
#include <jemalloc/jemalloc.h>

/* jemalloc's options (MALLOC_CONF in the environment adds to them): unused
 * pages go back to the system from jemalloc's own thread, not from the
 * thread that frees, so that no request waits for it */
const char *malloc_conf = "background_thread:true";
#endif

/* which allocator serves this process, for the start-up line */
static const gchar *
suit_server_allocator(void)
{
#ifdef SUIT_SERVER_JEMALLOC
	const char *version = NULL;
	size_t length = sizeof(version);
	if (mallctl("version", (void *)&version, &length, NULL, 0) == 0 && version != NULL)
		return "jemalloc";
#endif
	return "libc malloc";
}

#define SUIT_SERVER_EXIT_FAILURE 1
#define SUIT_SERVER_EXIT_USAGE	 2
/* how long SIGTERM waits for the requests being answered */
#define SUIT_SERVER_STOP_TIMEOUT_MS 10000

typedef struct {
	gchar *data_dir;
	gchar *listen;
	gchar *port_file;
	gchar **trust;
	gchar *tls_cert;
	gchar *tls_key;
	gboolean insecure_http;
	gint threads;
	gboolean no_fast_path;
	gchar *max_payload_size;
	gboolean no_request_log;
	gboolean version;
	gboolean list_routes;
	gint header_timeout;
} SuitServerOptions;

static void
suit_server_options_clear(SuitServerOptions *opts)
{
	g_free(opts->data_dir);
	g_free(opts->listen);
	g_free(opts->port_file);
	g_strfreev(opts->trust);
	g_free(opts->tls_cert);
	g_free(opts->tls_key);
	g_free(opts->max_payload_size);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SuitServerOptions, suit_server_options_clear)

static gint
suit_server_usage(const gchar *message)
{
	g_printerr("suit-server: %s\n", message);
	g_printerr("Try 'suit-server --help' for more information.\n");
	return SUIT_SERVER_EXIT_USAGE;
}

static gint
suit_server_fail(const gchar *what, const GError *error)
{
	g_printerr("suit-server: %s: %s\n", what, error->message);
	return SUIT_SERVER_EXIT_FAILURE;
}

/* BYTES with an optional K, M, G or T suffix (powers of 1024) */
static gboolean
suit_server_parse_size(const gchar *text, guint64 *size)
{
	g_autofree gchar *number = g_strdup(text);
	gsize length = strlen(number);
	guint shift = 0;
	guint64 value = 0;

	if (length == 0)
		return FALSE;
	switch (g_ascii_toupper(number[length - 1])) {
	case 'K':
		shift = 10;
		break;
	case 'M':
		shift = 20;
		break;
	case 'G':
		shift = 30;
		break;
	case 'T':
		shift = 40;
		break;
	default:
		break;
	}
	if (shift > 0)
		number[length - 1] = '\0';
	if (!g_ascii_string_to_unsigned(number, 10, 1, G_MAXUINT64 >> shift, &value, NULL))
		return FALSE;
	*size = value << shift;
	return TRUE;
}

/* ADDRESS:PORT, [IPV6]:PORT; "localhost" is 127.0.0.1 */
static gboolean
suit_server_parse_listen(const gchar *text, GInetAddress **address, guint *port, GError **error)
{
	g_autofree gchar *host = NULL;
	const gchar *colon;
	guint64 value = 0;

	if (text[0] == '[') {
		const gchar *end = strchr(text, ']');
		if (end == NULL || end[1] != ':') {
			g_set_error(error,
				    G_IO_ERROR,
				    G_IO_ERROR_INVALID_ARGUMENT,
				    "--listen %s: expected [ADDRESS]:PORT",
				    text);
			return FALSE;
		}
		host = g_strndup(text + 1, end - text - 1);
		colon = end + 1;
	} else {
		colon = strrchr(text, ':');
		if (colon == NULL) {
			g_set_error(error,
				    G_IO_ERROR,
				    G_IO_ERROR_INVALID_ARGUMENT,
				    "--listen %s: expected ADDRESS:PORT",
				    text);
			return FALSE;
		}
		host = g_strndup(text, colon - text);
	}
	if (!g_ascii_string_to_unsigned(colon + 1, 10, 0, 65535, &value, NULL)) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    "--listen %s: the port must be a number from 0 to 65535",
			    text);
		return FALSE;
	}
	if (g_ascii_strcasecmp(host, "localhost") == 0)
		*address = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	else
		*address = g_inet_address_new_from_string(host);
	if (*address == NULL) {
		g_set_error(error,
			    G_IO_ERROR,
			    G_IO_ERROR_INVALID_ARGUMENT,
			    "--listen %s: %s is not an IP address",
			    text,
			    host);
		return FALSE;
	}
	*port = (guint)value;
	return TRUE;
}

/* writes @contents to @path atomically: temporary file, fsync, rename */
static gboolean
suit_server_write_file(const gchar *path, const gchar *contents, gint mode, GError **error)
{
	g_autofree gchar *tmp = g_strdup_printf("%s.XXXXXX", path);
	gsize length = strlen(contents);
	gsize done = 0;
	gint fd = g_mkstemp_full(tmp, O_WRONLY | O_CLOEXEC, mode);

	if (fd < 0) {
		gint errsv = errno;
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(errsv),
			    "failed to create %s: %s",
			    tmp,
			    g_strerror(errsv));
		return FALSE;
	}
	while (done < length) {
		gssize wrote = write(fd, contents + done, length - done);
		if (wrote < 0 && errno == EINTR)
			continue;
		if (wrote < 0) {
			gint errsv = errno;
			close(fd);
			(void)g_unlink(tmp);
			g_set_error(error,
				    G_IO_ERROR,
				    g_io_error_from_errno(errsv),
				    "failed to write %s: %s",
				    tmp,
				    g_strerror(errsv));
			return FALSE;
		}
		done += (gsize)wrote;
	}
	if (fsync(fd) != 0 || close(fd) != 0) {
		gint errsv = errno;
		(void)g_unlink(tmp);
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(errsv),
			    "failed to write %s: %s",
			    tmp,
			    g_strerror(errsv));
		return FALSE;
	}
	if (g_rename(tmp, path) != 0) {
		gint errsv = errno;
		(void)g_unlink(tmp);
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(errsv),
			    "failed to rename %s to %s: %s",
			    tmp,
			    path,
			    g_strerror(errsv));
		return FALSE;
	}
	/* make the rename durable */
	{
		g_autofree gchar *dir = g_path_get_dirname(path);
		gint dir_fd = g_open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
		if (dir_fd >= 0) {
			(void)fsync(dir_fd);
			close(dir_fd);
		}
	}
	return TRUE;
}

static gboolean
suit_server_mkdir(const gchar *path, GError **error)
{
	if (g_mkdir_with_parents(path, 0700) != 0) {
		gint errsv = errno;
		g_set_error(error,
			    G_IO_ERROR,
			    g_io_error_from_errno(errsv),
			    "failed to create %s: %s",
			    path,
			    g_strerror(errsv));
		return FALSE;
	}
	return TRUE;
}

/* the .pem files of DATA_DIR/trusted-keys in name order, then --trust */
static SuitKeyring *
suit_server_load_keyring(const gchar *data_dir, gchar **trust, guint *n_keys, GError **error)
{
	g_autoptr(SuitKeyring) keyring = suit_keyring_new();
	g_autofree gchar *keys_dir = g_build_filename(data_dir, "trusted-keys", NULL);
	g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func(g_free);
	g_autoptr(GDir) dir = NULL;

	if (g_file_test(keys_dir, G_FILE_TEST_IS_DIR)) {
		const gchar *name;
		dir = g_dir_open(keys_dir, 0, error);
		if (dir == NULL)
			return NULL;
		while ((name = g_dir_read_name(dir)) != NULL) {
			if (g_str_has_suffix(name, ".pem"))
				g_ptr_array_add(files, g_build_filename(keys_dir, name, NULL));
		}
		g_ptr_array_sort(files, (GCompareFunc)g_strcmp0);
	}
	for (guint i = 0; trust != NULL && trust[i] != NULL; i++)
		g_ptr_array_add(files, g_strdup(trust[i]));
	for (guint i = 0; i < files->len; i++) {
		const gchar *filename = g_ptr_array_index(files, i);
		if (!suit_keyring_add_from_file(keyring, filename, error)) {
			g_prefix_error(error, "%s: ", filename);
			return NULL;
		}
	}
	*n_keys = files->len;
	return g_steal_pointer(&keyring);
}

/* the string member @name of a JSON object text, or the text when it is no object */
static gchar *
suit_server_json_member(const gchar *text, const gchar *name)
{
	g_autoptr(JsonNode) root = NULL;

	if (text == NULL)
		return NULL;
	if (text[0] != '{')
		return g_strdup(text);
	root = json_from_string(text, NULL);
	if (root == NULL || !JSON_NODE_HOLDS_OBJECT(root))
		return NULL;
	return g_strdup(json_object_get_string_member_with_default(json_node_get_object(root), name, NULL));
}

static gboolean
suit_server_has_admin_token(SuitStatusTracker *tracker, GError **error)
{
	g_autofree gchar *json = suit_status_tracker_list_tokens(tracker, error);
	g_autoptr(JsonNode) root = NULL;
	JsonArray *array = NULL;

	if (json == NULL)
		return FALSE;
	root = json_from_string(json, error);
	if (root == NULL)
		return FALSE;
	if (JSON_NODE_HOLDS_ARRAY(root)) {
		array = json_node_get_array(root);
	} else if (JSON_NODE_HOLDS_OBJECT(root)) {
		JsonNode *tokens = json_object_get_member(json_node_get_object(root), "tokens");
		if (tokens != NULL && JSON_NODE_HOLDS_ARRAY(tokens))
			array = json_node_get_array(tokens);
	}
	for (guint i = 0; array != NULL && i < json_array_get_length(array); i++) {
		JsonNode *item = json_array_get_element(array, i);
		if (JSON_NODE_HOLDS_OBJECT(item) &&
		    g_strcmp0(json_object_get_string_member_with_default(json_node_get_object(item),
									 "role",
									 NULL),
			      "admin") == 0)
			return TRUE;
	}
	return FALSE;
}

/* creates the first admin token when there is none; prints it */
static gboolean
suit_server_ensure_admin_token(SuitStatusTracker *tracker, const gchar *data_dir, GError **error)
{
	g_autofree gchar *path = g_build_filename(data_dir, "admin-token", NULL);
	g_autofree gchar *created = NULL;
	g_autofree gchar *token = NULL;
	g_autofree gchar *contents = NULL;
	g_autoptr(GError) error_local = NULL;

	if (suit_server_has_admin_token(tracker, &error_local)) {
		if (g_file_get_contents(path, &contents, NULL, NULL))
			g_print("admin token: %s (from %s)\n", g_strstrip(contents), path);
		else
			g_print("admin token: an admin token exists; %s is gone\n", path);
		return TRUE;
	}
	if (error_local != NULL) {
		g_propagate_error(error, g_steal_pointer(&error_local));
		return FALSE;
	}
	created = suit_status_tracker_create_token(tracker, "admin", "admin", error);
	if (created == NULL)
		return FALSE;
	token = suit_server_json_member(created, "token");
	if (token == NULL) {
		g_set_error_literal(error,
				    G_IO_ERROR,
				    G_IO_ERROR_FAILED,
				    "the new admin token has no token member");
		return FALSE;
	}
	contents = g_strdup_printf("%s\n", token);
	if (!suit_server_write_file(path, contents, 0600, error))
		return FALSE;
	g_print("admin token: %s (saved in %s)\n", token, path);
	return TRUE;
}

static gboolean
suit_server_quit_cb(gpointer user_data)
{
	GMainLoop *loop = user_data;
	g_main_loop_quit(loop);
	return G_SOURCE_REMOVE;
}

int
main(int argc, char **argv)
{
	g_auto(SuitServerOptions) opts = {NULL};
	g_autoptr(GOptionContext) context = g_option_context_new(NULL);
	g_autoptr(GError) error = NULL;
	g_autoptr(GInetAddress) address = NULL;
	g_autoptr(GTlsCertificate) certificate = NULL;
	g_autoptr(SuitKeyring) keyring = NULL;
	g_autoptr(SuitDatabaseSqlite) database = NULL;
	g_autoptr(SuitFirmwareServer) firmware_server = NULL;
	g_autoptr(SuitStatusTracker) tracker = NULL;
	g_autoptr(SuitRestServer) rest = NULL;
	g_autoptr(GMainLoop) loop = NULL;
	g_autofree gchar *files_dir = NULL;
	g_autofree gchar *upload_dir = NULL;
	g_autofree gchar *db_path = NULL;
	g_autofree gchar *base_url = NULL;
	guint64 max_payload_size = G_GUINT64_CONSTANT(1) << 30;
	guint port = 0;
	guint n_keys = 0;
	const GOptionEntry entries[] = {
	    {"data-dir",
	     'd',
	     0,
	     G_OPTION_ARG_FILENAME,
	     &opts.data_dir,
	     "Where the database, files, admin token and trusted keys live (default ./var)",
	     "DIR"},
	    {"listen",
	     'l',
	     0,
	     G_OPTION_ARG_STRING,
	     &opts.listen,
	     "Address and port to listen on (default 127.0.0.1:8080; port 0 picks a free one)",
	     "ADDRESS:PORT"},
	    {"port-file",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &opts.port_file,
	     "Write the port to FILE once listening",
	     "FILE"},
	    {"trust",
	     't',
	     0,
	     G_OPTION_ARG_FILENAME_ARRAY,
	     &opts.trust,
	     "Trusted author public key, may be repeated (also DATA_DIR/trusted-keys/*.pem)",
	     "KEY.pem"},
	    {"tls-cert",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &opts.tls_cert,
	     "Serve HTTPS with this certificate (PEM)",
	     "CERT.pem"},
	    {"tls-key",
	     0,
	     0,
	     G_OPTION_ARG_FILENAME,
	     &opts.tls_key,
	     "The private key of --tls-cert (PEM)",
	     "KEY.pem"},
	    {"insecure-http",
	     0,
	     0,
	     G_OPTION_ARG_NONE,
	     &opts.insecure_http,
	     "Allow plain HTTP on an address that is not loopback",
	     NULL},
	    {"threads",
	     'j',
	     0,
	     G_OPTION_ARG_INT,
	     &opts.threads,
	     "Worker threads (default: the number of CPUs)",
	     "N"},
	    {"max-payload-size",
	     0,
	     0,
	     G_OPTION_ARG_STRING,
	     &opts.max_payload_size,
	     "Largest payload upload, in bytes, or with K, M, G (default 1G)",
	     "BYTES"},
	    {"no-request-log",
	     0,
	     0,
	     G_OPTION_ARG_NONE,
	     &opts.no_request_log,
	     "Do not log each request on stderr",
	     NULL},
	    {"no-fast-path",
	     0,
	     0,
	     G_OPTION_ARG_NONE,
	     &opts.no_fast_path,
	     "Answer device check-ins and payload downloads with libsoup too (slower; the "
	     "answers are the same)",
	     NULL},
	    {"version", 0, 0, G_OPTION_ARG_NONE, &opts.version, "Print the version", NULL},
	    {"header-timeout",
	     0,
	     G_OPTION_FLAG_HIDDEN,
	     G_OPTION_ARG_INT,
	     &opts.header_timeout,
	     "Reset connections idle for SECONDS before or between requests (default 60)",
	     "SECONDS"},
	    {"list-routes",
	     0,
	     G_OPTION_FLAG_HIDDEN,
	     G_OPTION_ARG_NONE,
	     &opts.list_routes,
	     "Print the route table and exit",
	     NULL},
	    {NULL}};

	/* GLib 2.74's slice magazines cost more than malloc with many threads
	 * (GLib 2.76 dropped them); before any GLib allocation */
	g_setenv("G_SLICE", "always-malloc", FALSE);
	setlocale(LC_ALL, "");
	signal(SIGPIPE, SIG_IGN);
	g_option_context_add_main_entries(context, entries, NULL);
	g_option_context_set_summary(context,
				     "The Status Tracker and Firmware Server of libsuit, as a REST "
				     "service with a web dashboard.");
	if (!g_option_context_parse(context, &argc, &argv, &error))
		return suit_server_usage(error->message);
	if (argc > 1)
		return suit_server_usage("unexpected arguments");
	if (opts.version) {
		g_print("suit-server %s\n", PACKAGE_VERSION);
		return EXIT_SUCCESS;
	}
	if (opts.list_routes) {
		suit_rest_server_print_routes();
		return EXIT_SUCCESS;
	}
	if (opts.data_dir == NULL)
		opts.data_dir = g_strdup("var");
	if (opts.listen == NULL)
		opts.listen = g_strdup("127.0.0.1:8080");
	if (opts.header_timeout < 0 || opts.header_timeout > 86400)
		return suit_server_usage("--header-timeout must be from 1 to 86400 seconds");
	if (opts.threads < 0 || opts.threads > 1024)
		return suit_server_usage("--threads must be from 1 to 1024");
	if (opts.threads == 0)
		opts.threads = (gint)g_get_num_processors();
	if (opts.max_payload_size != NULL &&
	    !suit_server_parse_size(opts.max_payload_size, &max_payload_size))
		return suit_server_usage("--max-payload-size must be a positive number of bytes");
	if ((opts.tls_cert == NULL) != (opts.tls_key == NULL))
		return suit_server_usage("--tls-cert and --tls-key go together");
	if (!suit_server_parse_listen(opts.listen, &address, &port, &error))
		return suit_server_usage(error->message);
	if (opts.tls_cert == NULL && !opts.insecure_http && !g_inet_address_get_is_loopback(address)) {
		g_autofree gchar *host = g_inet_address_to_string(address);
		g_printerr("suit-server: refusing to serve plain HTTP on %s, which is not a loopback "
			   "address: tokens and reports would travel in clear text; give --tls-cert "
			   "and --tls-key, or --insecure-http if a TLS proxy is in front\n",
			   host);
		return SUIT_SERVER_EXIT_USAGE;
	}
	if (opts.tls_cert != NULL) {
		certificate = g_tls_certificate_new_from_files(opts.tls_cert, opts.tls_key, &error);
		if (certificate == NULL)
			return suit_server_fail(opts.tls_cert, error);
	}

	/* the data directory */
	files_dir = g_build_filename(opts.data_dir, "files", NULL);
	upload_dir = g_build_filename(files_dir, "tmp", NULL);
	db_path = g_build_filename(opts.data_dir, "tracker.db", NULL);
	if (!suit_server_mkdir(opts.data_dir, &error) || !suit_server_mkdir(upload_dir, &error))
		return suit_server_fail("data directory", error);
	keyring = suit_server_load_keyring(opts.data_dir, opts.trust, &n_keys, &error);
	if (keyring == NULL)
		return suit_server_fail("trusted keys", error);
	if (n_keys == 0)
		g_printerr("suit-server: warning: no trusted author keys (--trust or %s/trusted-keys/"
			   "*.pem): every envelope will be refused\n",
			   opts.data_dir);

	/* the roles */
	database = suit_database_sqlite_new(db_path, &error);
	if (database == NULL)
		return suit_server_fail(db_path, error);
	firmware_server =
	    suit_firmware_server_new(files_dir, SUIT_DATABASE(database), keyring, &error);
	if (firmware_server == NULL)
		return suit_server_fail(files_dir, error);
	tracker = suit_status_tracker_new(SUIT_DATABASE(database), firmware_server);
	if (!suit_server_ensure_admin_token(tracker, opts.data_dir, &error))
		return suit_server_fail("admin token", error);

	/* the service */
	rest = suit_rest_server_new(tracker, firmware_server);
	suit_rest_server_set_upload_directory(rest, upload_dir);
	suit_rest_server_set_max_payload_size(rest, max_payload_size);
	suit_rest_server_set_request_log(rest, !opts.no_request_log);
	suit_rest_server_set_fast_path(rest, !opts.no_fast_path);
	if (opts.header_timeout > 0)
		suit_rest_server_set_header_timeout(rest, (guint)opts.header_timeout);
	suit_rest_server_set_tls_certificate(rest, certificate);
	/* SIGTERM from here on is a clean stop, even before the loop runs */
	loop = g_main_loop_new(NULL, FALSE);
	g_unix_signal_add(SIGTERM, suit_server_quit_cb, loop);
	g_unix_signal_add(SIGINT, suit_server_quit_cb, loop);
	if (!suit_rest_server_listen(rest, address, port, (guint)opts.threads, &error))
		return suit_server_fail(opts.listen, error);
	base_url = suit_rest_server_dup_base_url(rest);
	g_print("listening on %s/ (%d threads, %u trusted keys, %s)\n",
		base_url,
		opts.threads,
		n_keys,
		suit_server_allocator());
	g_print("dashboard: %s/\n", base_url);
	fflush(stdout);
	/* last: whoever waits for the port file may use the server at once */
	if (opts.port_file != NULL) {
		g_autofree gchar *text = g_strdup_printf("%u\n", suit_rest_server_get_port(rest));
		if (!suit_server_write_file(opts.port_file, text, 0644, &error)) {
			suit_rest_server_stop(rest, 0);
			return suit_server_fail("port file", error);
		}
	}
	g_main_loop_run(loop);

	g_printerr("suit-server: stopping\n");
	suit_rest_server_stop(rest, SUIT_SERVER_STOP_TIMEOUT_MS);
	g_clear_object(&rest);
	g_clear_object(&tracker);
	g_clear_object(&firmware_server);
	g_clear_object(&database);
	return EXIT_SUCCESS;
}
