/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * `suit server ...`: the operator side of suit-server's REST API
 * (ARCHITECTURE.md §5.4) from the command line.
 *
 * The server and the token come from --url/--token/--token-file, else from
 * $SUIT_SERVER_URL, $SUIT_SERVER_TOKEN and $SUIT_SERVER_TOKEN_FILE, else
 * http://127.0.0.1:8080 and ./var/admin-token (what `make run` creates).
 * Answers print as short tables or lines; --json prints the server's JSON
 * as it came. A 4xx answer is a rejection (exit 1, with the problem's error
 * id); a connection failure or a 5xx is an I/O error (exit 2).
 */

#include <libsoup/soup.h>
#include <string.h>

#include "suit-cli.h"

/* the largest answer the tool reads (event pages, device lists) */
#define SUIT_CLI_SERVER_ANSWER_MAX (256 * 1024 * 1024)

typedef struct {
	SuitCli *cli; /* noref */
	gchar *url;   /* without a trailing '/' */
	gchar *token;
	SoupSession *session;
} SuitCliServer;

static void
suit_cli_server_clear(SuitCliServer *self)
{
	g_free(self->url);
	if (self->token != NULL)
		memset(self->token, 0, strlen(self->token));
	g_free(self->token);
	g_clear_object(&self->session);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SuitCliServer, suit_cli_server_clear)

/* the options every subcommand takes */
typedef struct {
	gchar *url;
	gchar *token;
	gchar *token_file;
	gchar *ca_file;
} SuitCliServerOptions;

static void
suit_cli_server_options_clear(SuitCliServerOptions *opts)
{
	g_free(opts->url);
	g_free(opts->token);
	g_free(opts->token_file);
	g_free(opts->ca_file);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SuitCliServerOptions, suit_cli_server_options_clear)

static void
suit_cli_server_add_entries(GOptionContext *context, SuitCliServerOptions *opts, gboolean *json)
{
	const GOptionEntry entries[] = {
	    {"url", 0, 0, G_OPTION_ARG_STRING, &opts->url,
	     "The server (default $SUIT_SERVER_URL, else http://127.0.0.1:8080)", "URL"},
	    {"token", 0, 0, G_OPTION_ARG_STRING, &opts->token,
	     "The operator token (default $SUIT_SERVER_TOKEN)", "TOKEN"},
	    {"token-file", 0, 0, G_OPTION_ARG_FILENAME, &opts->token_file,
	     "Read the token from FILE (default $SUIT_SERVER_TOKEN_FILE, else var/admin-token)",
	     "FILE"},
	    {"ca-file", 0, 0, G_OPTION_ARG_FILENAME, &opts->ca_file,
	     "Trust the CA certificates in FILE for HTTPS", "FILE"},
	    {"json", 0, 0, G_OPTION_ARG_NONE, json, "Print the server's JSON answer", NULL},
	    {NULL}};
	g_option_context_add_main_entries(context, entries, NULL);
}

/* connects the options to a session; returns -1 to carry on, else an exit code */
static gint
suit_cli_server_setup(SuitCliServer *self, SuitCli *cli, SuitCliServerOptions *opts)
{
	const gchar *url = opts->url;
	const gchar *token_file = opts->token_file;
	g_autoptr(GUri) uri = NULL;
	g_autoptr(GError) error = NULL;

	self->cli = cli;
	if (url == NULL)
		url = g_getenv("SUIT_SERVER_URL");
	if (url == NULL)
		url = "http://127.0.0.1:8080";
	uri = g_uri_parse(url, G_URI_FLAGS_NONE, &error);
	if (uri == NULL)
		return suit_cli_usage(cli, "not a URL: %s", url);
	if (g_strcmp0(g_uri_get_scheme(uri), "http") != 0 &&
	    g_strcmp0(g_uri_get_scheme(uri), "https") != 0)
		return suit_cli_usage(cli, "the server URL must be http:// or https://: %s", url);
	self->url = g_strdup(url);
	while (g_str_has_suffix(self->url, "/"))
		self->url[strlen(self->url) - 1] = '\0';

	if (opts->token != NULL) {
		self->token = g_strdup(opts->token);
	} else if (token_file == NULL && g_getenv("SUIT_SERVER_TOKEN") != NULL) {
		self->token = g_strdup(g_getenv("SUIT_SERVER_TOKEN"));
	} else {
		gchar *text = NULL;
		if (token_file == NULL)
			token_file = g_getenv("SUIT_SERVER_TOKEN_FILE");
		if (token_file == NULL && g_file_test("var/admin-token", G_FILE_TEST_EXISTS))
			token_file = "var/admin-token";
		if (token_file != NULL) {
			if (!g_file_get_contents(token_file, &text, NULL, &error))
				return suit_cli_fail(cli, SUIT_CLI_EXIT_USAGE, error);
			self->token = g_strstrip(text);
		}
	}

	self->session = soup_session_new_with_options("timeout", 300, "user-agent",
						      "suit/" SUIT_VERSION_S, NULL);
	if (opts->ca_file != NULL) {
		g_autoptr(GTlsDatabase) database = g_tls_file_database_new(opts->ca_file, &error);
		if (database == NULL)
			return suit_cli_fail(cli, SUIT_CLI_EXIT_USAGE, error);
		soup_session_set_tls_database(self->session, database);
	}
	return -1;
}

/* "https://libsuit.org/problems/not-found" -> "not-found" */
static gchar *
suit_cli_server_problem_id(JsonObject *problem)
{
	const gchar *type = json_object_get_string_member_with_default(problem, "type", NULL);
	const gchar *title = json_object_get_string_member_with_default(problem, "title", NULL);

	if (type != NULL && strrchr(type, '/') != NULL && strrchr(type, '/')[1] != '\0')
		return g_strdup(strrchr(type, '/') + 1);
	if (title != NULL)
		return g_strdup(title);
	return NULL;
}

/* the error of a non-2xx answer: the problem document's id and detail */
static gint
suit_cli_server_fail_answer(SuitCliServer *self, SoupMessage *msg, GBytes *body)
{
	guint status = soup_message_get_status(msg);
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autofree gchar *id = NULL;
	g_autofree gchar *detail = NULL;
	g_autoptr(GError) error = NULL;
	gsize size = 0;
	const gchar *data = g_bytes_get_data(body, &size);

	if (json_parser_load_from_data(parser, data, (gssize)size, NULL) &&
	    JSON_NODE_HOLDS_OBJECT(json_parser_get_root(parser))) {
		JsonObject *problem = json_node_get_object(json_parser_get_root(parser));
		id = suit_cli_server_problem_id(problem);
		detail = g_strdup(json_object_get_string_member_with_default(problem, "detail", NULL));
	}
	if (detail == NULL)
		detail = g_strdup(soup_message_get_reason_phrase(msg));
	if (status >= 500 || id == NULL || suit_error_from_id(id) == SUIT_ERROR_INTERNAL) {
		error = g_error_new(G_IO_ERROR,
				    G_IO_ERROR_FAILED,
				    "the server answered %u: %s",
				    status,
				    detail != NULL ? detail : "");
		return suit_cli_fail(self->cli, SUIT_CLI_EXIT_USAGE, error);
	}
	error = g_error_new(SUIT_ERROR,
			    suit_error_from_id(id),
			    "%s (HTTP %u)",
			    detail != NULL ? detail : id,
			    status);
	return suit_cli_fail(self->cli, SUIT_CLI_EXIT_REJECTED, error);
}

/* sends a request; on success *answer is the parsed JSON (NULL for an empty
 * body); returns -1 to carry on, else an exit code */
static gint
suit_cli_server_call(SuitCliServer *self,
		     const gchar *method,
		     const gchar *path,
		     const gchar *content_type,
		     GBytes *body,
		     GInputStream *stream,
		     goffset stream_size,
		     JsonNode **answer)
{
	g_autofree gchar *url = g_strconcat(self->url, path, NULL);
	g_autoptr(SoupMessage) msg = soup_message_new(method, url);
	g_autoptr(GBytes) reply = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonParser) parser = json_parser_new();
	const gchar *data;
	gsize size = 0;

	if (msg == NULL) {
		error = g_error_new(G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "not a valid URL: %s", url);
		return suit_cli_fail(self->cli, SUIT_CLI_EXIT_USAGE, error);
	}
	if (self->token != NULL) {
		g_autofree gchar *bearer = g_strconcat("Bearer ", self->token, NULL);
		soup_message_headers_replace(soup_message_get_request_headers(msg),
					     "Authorization",
					     bearer);
		memset(bearer, 0, strlen(bearer));
	}
	if (body != NULL)
		soup_message_set_request_body_from_bytes(msg, content_type, body);
	else if (stream != NULL)
		soup_message_set_request_body(msg, content_type, stream, stream_size);

	reply = soup_session_send_and_read(self->session, msg, NULL, &error);
	if (reply == NULL) {
		g_prefix_error(&error, "cannot reach %s: ", self->url);
		return suit_cli_fail(self->cli, SUIT_CLI_EXIT_USAGE, error);
	}
	if (!SOUP_STATUS_IS_SUCCESSFUL(soup_message_get_status(msg)))
		return suit_cli_server_fail_answer(self, msg, reply);

	data = g_bytes_get_data(reply, &size);
	if (size == 0) {
		*answer = NULL;
		return -1;
	}
	if (size > SUIT_CLI_SERVER_ANSWER_MAX ||
	    !json_parser_load_from_data(parser, data, (gssize)size, &error)) {
		if (error == NULL)
			error = g_error_new(G_IO_ERROR, G_IO_ERROR_FAILED, "the answer is too large");
		g_prefix_error(&error, "the server's answer is not JSON: ");
		return suit_cli_fail(self->cli, SUIT_CLI_EXIT_USAGE, error);
	}
	*answer = json_node_copy(json_parser_get_root(parser));
	return -1;
}

static gint
suit_cli_server_get(SuitCliServer *self, const gchar *path, JsonNode **answer)
{
	return suit_cli_server_call(self, "GET", path, NULL, NULL, NULL, -1, answer);
}

static gint
suit_cli_server_post_json(SuitCliServer *self, const gchar *path, JsonBuilder *builder, JsonNode **answer)
{
	g_autoptr(JsonGenerator) generator = json_generator_new();
	g_autoptr(JsonNode) root = json_builder_get_root(builder);
	gsize size = 0;
	gchar *text;
	g_autoptr(GBytes) body = NULL;

	json_generator_set_root(generator, root);
	text = json_generator_to_data(generator, &size);
	body = g_bytes_new_take(text, size);
	return suit_cli_server_call(self, "POST", path, "application/json", body, NULL, -1, answer);
}

static void
suit_cli_server_print_node(JsonNode *node)
{
	g_autoptr(JsonGenerator) generator = json_generator_new();
	g_autofree gchar *text = NULL;

	if (node == NULL)
		return;
	json_generator_set_pretty(generator, TRUE);
	json_generator_set_root(generator, node);
	text = json_generator_to_data(generator, NULL);
	g_print("%s\n", text);
}

static void
suit_cli_server_print_json(JsonNode *node)
{
	g_autoptr(JsonGenerator) generator = json_generator_new();
	g_autofree gchar *text = NULL;

	if (node == NULL) {
		g_print("{\"ok\": true}\n");
		return;
	}
	json_generator_set_root(generator, node);
	text = json_generator_to_data(generator, NULL);
	g_print("%s\n", text);
}

/* a member as text for a table cell: strings as they are, numbers, null as "-" */
static gchar *
suit_cli_server_cell(JsonObject *object, const gchar *name)
{
	JsonNode *node = json_object_get_member(object, name);

	if (node == NULL || JSON_NODE_HOLDS_NULL(node))
		return g_strdup("-");
	if (JSON_NODE_HOLDS_VALUE(node)) {
		GType type = json_node_get_value_type(node);
		if (type == G_TYPE_STRING)
			return g_strdup(json_node_get_string(node));
		if (type == G_TYPE_INT64)
			return g_strdup_printf("%" G_GINT64_FORMAT, json_node_get_int(node));
		if (type == G_TYPE_DOUBLE)
			return g_strdup_printf("%g", json_node_get_double(node));
		if (type == G_TYPE_BOOLEAN)
			return g_strdup(json_node_get_boolean(node) ? "true" : "false");
	}
	if (JSON_NODE_HOLDS_ARRAY(node)) {
		JsonArray *array = json_node_get_array(node);
		g_autoptr(GString) str = g_string_new(NULL);
		for (guint i = 0; i < json_array_get_length(array); i++) {
			JsonNode *element = json_array_get_element(array, i);
			if (str->len > 0)
				g_string_append_c(str, ',');
			if (JSON_NODE_HOLDS_VALUE(element) &&
			    json_node_get_value_type(element) == G_TYPE_STRING)
				g_string_append(str, json_node_get_string(element));
			else if (JSON_NODE_HOLDS_VALUE(element))
				g_string_append_printf(str, "%g", json_node_get_double(element));
		}
		if (str->len == 0)
			return g_strdup("-");
		return g_string_free(g_steal_pointer(&str), FALSE);
	}
	return g_strdup("…");
}

/* one cell padded to @width characters (not bytes), or the last one of a row */
static void
suit_cli_server_print_cell(const gchar *text, gsize width, gboolean last)
{
	gsize chars = g_utf8_strlen(text, -1);

	if (last) {
		g_print("%s\n", text);
		return;
	}
	g_print("%s%*s  ", text, (gint)(width - MIN(chars, width)), "");
}

/* prints an array of objects as a table of the given columns ("name" or
 * "name:HEADER"); a member "counts" is flattened by suit_cli_server_counts */
static void
suit_cli_server_print_table(JsonNode *node, const gchar *const *columns)
{
	JsonArray *array;
	guint n_columns = g_strv_length((gchar **)columns);
	g_autofree gsize *widths = g_new0(gsize, n_columns);
	g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func((GDestroyNotify)g_strfreev);
	g_auto(GStrv) headers = g_new0(gchar *, n_columns + 1);
	g_auto(GStrv) members = g_new0(gchar *, n_columns + 1);

	if (node == NULL || !JSON_NODE_HOLDS_ARRAY(node)) {
		suit_cli_server_print_node(node);
		return;
	}
	array = json_node_get_array(node);
	for (guint c = 0; c < n_columns; c++) {
		const gchar *colon = strchr(columns[c], ':');
		members[c] = colon != NULL ? g_strndup(columns[c], colon - columns[c])
					   : g_strdup(columns[c]);
		headers[c] = colon != NULL ? g_strdup(colon + 1) : g_ascii_strup(columns[c], -1);
		widths[c] = g_utf8_strlen(headers[c], -1);
	}
	for (guint i = 0; i < json_array_get_length(array); i++) {
		JsonNode *element = json_array_get_element(array, i);
		gchar **row = g_new0(gchar *, n_columns + 1);
		for (guint c = 0; c < n_columns; c++) {
			if (JSON_NODE_HOLDS_OBJECT(element))
				row[c] = suit_cli_server_cell(json_node_get_object(element),
							      members[c]);
			else
				row[c] = g_strdup("?");
			widths[c] = MAX(widths[c], (gsize)g_utf8_strlen(row[c], -1));
		}
		g_ptr_array_add(rows, row);
	}
	for (guint c = 0; c < n_columns; c++)
		suit_cli_server_print_cell(headers[c], widths[c], c + 1 == n_columns);
	for (guint i = 0; i < rows->len; i++) {
		gchar **row = g_ptr_array_index(rows, i);
		for (guint c = 0; c < n_columns; c++) {
			suit_cli_server_print_cell(row[c], widths[c], c + 1 == n_columns);
		}
	}
}

/* "succeeded 3, failed 1, ..." from a campaign's counts */
static gchar *
suit_cli_server_counts(JsonObject *campaign)
{
	JsonObject *counts = NULL;
	g_autoptr(GString) str = g_string_new(NULL);
	g_autoptr(GList) names = NULL;

	if (json_object_has_member(campaign, "counts") &&
	    JSON_NODE_HOLDS_OBJECT(json_object_get_member(campaign, "counts")))
		counts = json_object_get_object_member(campaign, "counts");
	if (counts == NULL)
		return g_strdup("-");
	names = json_object_get_members(counts);
	for (GList *l = names; l != NULL; l = l->next) {
		JsonNode *value = json_object_get_member(counts, l->data);
		if (!JSON_NODE_HOLDS_VALUE(value) || json_node_get_int(value) == 0)
			continue;
		g_string_append_printf(str,
				       "%s%s %" G_GINT64_FORMAT,
				       str->len > 0 ? ", " : "",
				       (const gchar *)l->data,
				       json_node_get_int(value));
	}
	return g_string_free(g_steal_pointer(&str), FALSE);
}

/* a path segment from user input, escaped */
static gchar *
suit_cli_server_escape(const gchar *segment)
{
	return g_uri_escape_string(segment, NULL, FALSE);
}

/* suit server upload FILE... */
static gint
suit_cli_server_upload(SuitCliServer *self, gchar **args, gboolean force_payload, gboolean force_envelope)
{
	for (guint i = 0; args[i] != NULL; i++) {
		const gchar *filename = args[i];
		g_autoptr(GFile) file = g_file_new_for_commandline_arg(filename);
		g_autoptr(GFileInfo) info = NULL;
		g_autoptr(GError) error = NULL;
		g_autoptr(JsonNode) answer = NULL;
		gboolean envelope = force_envelope;
		goffset size;
		gint rc;

		info = g_file_query_info(file, G_FILE_ATTRIBUTE_STANDARD_SIZE, 0, NULL, &error);
		if (info == NULL)
			return suit_cli_fail(self->cli, SUIT_CLI_EXIT_USAGE, error);
		size = g_file_info_get_size(info);

		/* an envelope is small and parses as one; anything else is a payload */
		if (!force_payload && !force_envelope && size <= 1024 * 1024) {
			g_autoptr(GBytes) blob = suit_cli_read_file(filename, &error);
			g_autoptr(SuitEnvelope) parsed = NULL;
			if (blob == NULL)
				return suit_cli_fail(self->cli, SUIT_CLI_EXIT_USAGE, error);
			parsed = suit_envelope_new_from_bytes(blob, SUIT_PARSE_FLAG_NONE, NULL);
			envelope = parsed != NULL;
		}
		if (envelope) {
			g_autoptr(GBytes) blob = suit_cli_read_file(filename, &error);
			if (blob == NULL)
				return suit_cli_fail(self->cli, SUIT_CLI_EXIT_USAGE, error);
			rc = suit_cli_server_call(self,
						  "POST",
						  "/api/v1/manifests",
						  "application/suit-envelope+cose",
						  blob,
						  NULL,
						  -1,
						  &answer);
		} else {
			g_autoptr(GFileInputStream) stream = g_file_read(file, NULL, &error);
			if (stream == NULL)
				return suit_cli_fail(self->cli, SUIT_CLI_EXIT_USAGE, error);
			rc = suit_cli_server_call(self,
						  "POST",
						  "/api/v1/payloads",
						  "application/octet-stream",
						  NULL,
						  G_INPUT_STREAM(stream),
						  size,
						  &answer);
		}
		if (rc >= 0)
			return rc;
		if (self->cli->json) {
			suit_cli_server_print_json(answer);
		} else if (answer != NULL && JSON_NODE_HOLDS_OBJECT(answer)) {
			JsonObject *obj = json_node_get_object(answer);
			if (envelope) {
				g_print("manifest %s  sequence %" G_GINT64_FORMAT "  (%s)\n",
					json_object_get_string_member_with_default(obj, "id", "?"),
					json_object_get_int_member_with_default(obj,
										"sequence_number",
										0),
					filename);
			} else {
				g_print("payload %s  %" G_GINT64_FORMAT " bytes  (%s)\n",
					json_object_get_string_member_with_default(obj, "digest", "?"),
					json_object_get_int_member_with_default(obj, "size", 0),
					filename);
			}
		}
	}
	return SUIT_CLI_EXIT_OK;
}

/* prints an answer: raw JSON with --json, else a table for lists and the
 * pretty JSON of single objects */
static gint
suit_cli_server_show(SuitCliServer *self, JsonNode *answer, const gchar *const *columns)
{
	if (self->cli->json)
		suit_cli_server_print_json(answer);
	else if (answer != NULL && JSON_NODE_HOLDS_ARRAY(answer) && columns != NULL)
		suit_cli_server_print_table(answer, columns);
	else
		suit_cli_server_print_node(answer);
	return SUIT_CLI_EXIT_OK;
}

/* GET PATH[/ID] and show it */
static gint
suit_cli_server_list(SuitCliServer *self,
		     const gchar *collection,
		     const gchar *id,
		     const gchar *query,
		     const gchar *const *columns)
{
	g_autoptr(JsonNode) answer = NULL;
	g_autofree gchar *escaped = id != NULL ? suit_cli_server_escape(id) : NULL;
	g_autofree gchar *path = NULL;
	gint rc;

	if (id != NULL)
		path = g_strdup_printf("/api/v1/%s/%s", collection, escaped);
	else
		path = g_strdup_printf("/api/v1/%s%s", collection, query != NULL ? query : "");
	rc = suit_cli_server_get(self, path, &answer);
	if (rc >= 0)
		return rc;
	return suit_cli_server_show(self, answer, columns);
}

/* ?name=value&... of the given pairs, skipping NULL values */
static gchar *
suit_cli_server_query(const gchar *name, const gchar *value, ...)
{
	va_list args;
	g_autoptr(GString) str = g_string_new(NULL);

	va_start(args, value);
	while (name != NULL) {
		if (value != NULL) {
			g_autofree gchar *escaped = g_uri_escape_string(value, NULL, FALSE);
			g_string_append_printf(str, "%c%s=%s", str->len == 0 ? '?' : '&', name, escaped);
		}
		name = va_arg(args, const gchar *);
		if (name != NULL)
			value = va_arg(args, const gchar *);
	}
	va_end(args);
	return g_string_free(g_steal_pointer(&str), FALSE);
}

static void
suit_cli_server_add_strings(JsonBuilder *builder, const gchar *name, gchar **values)
{
	json_builder_set_member_name(builder, name);
	json_builder_begin_array(builder);
	for (guint i = 0; values != NULL && values[i] != NULL; i++) {
		/* "a,b" as well as repeated options */
		g_auto(GStrv) parts = g_strsplit(values[i], ",", -1);
		for (guint j = 0; parts[j] != NULL; j++) {
			if (parts[j][0] != '\0')
				json_builder_add_string_value(builder, parts[j]);
		}
	}
	json_builder_end_array(builder);
}

/* suit server device add ID --vendor-id --class-id --public-key [--tag]... [--token-out FILE] */
static gint
suit_cli_server_device_add(SuitCliServer *self,
			   const gchar *id,
			   const gchar *vendor_id,
			   const gchar *class_id,
			   const gchar *public_key,
			   gchar **tags,
			   const gchar *token_out)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(JsonNode) answer = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *pem = NULL;
	const gchar *token = NULL;
	gint rc;

	if (vendor_id == NULL || class_id == NULL || public_key == NULL)
		return suit_cli_usage(self->cli, "--vendor-id, --class-id and --public-key are required");
	if (!g_file_get_contents(public_key, &pem, NULL, &error))
		return suit_cli_fail(self->cli, SUIT_CLI_EXIT_USAGE, error);
	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "id");
	json_builder_add_string_value(builder, id);
	json_builder_set_member_name(builder, "vendor_id");
	json_builder_add_string_value(builder, vendor_id);
	json_builder_set_member_name(builder, "class_id");
	json_builder_add_string_value(builder, class_id);
	suit_cli_server_add_strings(builder, "tags", tags);
	json_builder_set_member_name(builder, "public_key");
	json_builder_add_string_value(builder, pem);
	json_builder_end_object(builder);
	rc = suit_cli_server_post_json(self, "/api/v1/devices", builder, &answer);
	if (rc >= 0)
		return rc;
	if (answer != NULL && JSON_NODE_HOLDS_OBJECT(answer))
		token = json_object_get_string_member_with_default(json_node_get_object(answer),
								   "token",
								   NULL);
	if (token_out != NULL) {
		g_autofree gchar *text = g_strconcat(token != NULL ? token : "", "\n", NULL);
		if (token == NULL || !g_file_set_contents_full(token_out,
							       text,
							       -1,
							       G_FILE_SET_CONTENTS_CONSISTENT,
							       0600,
							       &error)) {
			if (error == NULL)
				error = g_error_new(G_IO_ERROR,
						    G_IO_ERROR_FAILED,
						    "the server sent no token");
			return suit_cli_fail(self->cli, SUIT_CLI_EXIT_USAGE, error);
		}
	}
	if (self->cli->json)
		suit_cli_server_print_json(answer);
	else if (token_out != NULL)
		g_print("device %s registered; its token is in %s\n", id, token_out);
	else
		g_print("device %s registered; its token (shown once):\n%s\n", id, token != NULL ? token : "?");
	return SUIT_CLI_EXIT_OK;
}

/* suit server campaign create MANIFEST (--tag T|--device D)... [--waves] [--max-failure-ratio] */
static gint
suit_cli_server_campaign_create(SuitCliServer *self,
				const gchar *manifest,
				gchar **tags,
				gchar **devices,
				const gchar *waves,
				gdouble max_failure_ratio)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(JsonNode) answer = NULL;
	gint rc;

	if ((tags == NULL) == (devices == NULL))
		return suit_cli_usage(self->cli, "give either --tag or --device");
	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "manifest");
	json_builder_add_string_value(builder, manifest);
	if (tags != NULL)
		suit_cli_server_add_strings(builder, "tags", tags);
	else
		suit_cli_server_add_strings(builder, "devices", devices);
	if (waves != NULL) {
		g_auto(GStrv) parts = g_strsplit(waves, ",", -1);
		json_builder_set_member_name(builder, "waves");
		json_builder_begin_array(builder);
		for (guint i = 0; parts[i] != NULL; i++) {
			gchar *end = NULL;
			gdouble value = g_ascii_strtod(g_strstrip(parts[i]), &end);
			if (end == parts[i] || *end != '\0')
				return suit_cli_usage(self->cli, "--waves: not a number: '%s'", parts[i]);
			json_builder_add_double_value(builder, value);
		}
		json_builder_end_array(builder);
	}
	if (max_failure_ratio >= 0) {
		json_builder_set_member_name(builder, "max_failure_ratio");
		json_builder_add_double_value(builder, max_failure_ratio);
	}
	json_builder_end_object(builder);
	rc = suit_cli_server_post_json(self, "/api/v1/campaigns", builder, &answer);
	if (rc >= 0)
		return rc;
	if (self->cli->json) {
		suit_cli_server_print_json(answer);
	} else if (answer != NULL && JSON_NODE_HOLDS_OBJECT(answer)) {
		JsonObject *obj = json_node_get_object(answer);
		g_autofree gchar *counts = suit_cli_server_counts(obj);
		g_print("campaign %s %s: %s\n",
			json_object_get_string_member_with_default(obj, "id", "?"),
			json_object_get_string_member_with_default(obj, "state", "?"),
			counts);
	}
	return SUIT_CLI_EXIT_OK;
}

/* suit server campaign pause|resume|cancel ID */
static gint
suit_cli_server_campaign_action(SuitCliServer *self, const gchar *id, const gchar *action)
{
	g_autoptr(JsonNode) answer = NULL;
	g_autofree gchar *escaped = suit_cli_server_escape(id);
	g_autofree gchar *path = g_strdup_printf("/api/v1/campaigns/%s/%s", escaped, action);
	gint rc = suit_cli_server_call(self, "POST", path, NULL, NULL, NULL, -1, &answer);

	if (rc >= 0)
		return rc;
	if (self->cli->json) {
		suit_cli_server_print_json(answer);
	} else if (answer != NULL && JSON_NODE_HOLDS_OBJECT(answer)) {
		JsonObject *obj = json_node_get_object(answer);
		g_autofree gchar *counts = suit_cli_server_counts(obj);
		g_print("campaign %s %s: %s\n",
			id,
			json_object_get_string_member_with_default(obj, "state", "?"),
			counts);
	}
	return SUIT_CLI_EXIT_OK;
}

/* adds a "counts" text member to each campaign of a list, for the table */
static void
suit_cli_server_flatten_counts(JsonNode *answer)
{
	JsonArray *array;

	if (answer == NULL || !JSON_NODE_HOLDS_ARRAY(answer))
		return;
	array = json_node_get_array(answer);
	for (guint i = 0; i < json_array_get_length(array); i++) {
		JsonNode *element = json_array_get_element(array, i);
		if (JSON_NODE_HOLDS_OBJECT(element)) {
			JsonObject *obj = json_node_get_object(element);
			g_autofree gchar *counts = suit_cli_server_counts(obj);
			json_object_set_string_member(obj, "progress", counts);
		}
	}
}

static const gchar *suit_cli_server_summary =
    "Drives a suit-server through its REST API (ARCHITECTURE.md §5.4).\n"
    "\n"
    "Commands:\n"
    "  upload FILE...                      envelopes go to /api/v1/manifests, anything\n"
    "                                      else is a payload, streamed (--payload and\n"
    "                                      --envelope force one)\n"
    "  manifests [ID]                      list the manifests, or show one\n"
    "  devices [ID] [--tag T] [--state S]  list the devices, or show one\n"
    "  device add ID --vendor-id UUID --class-id UUID --public-key PUB.pem\n"
    "             [--tag T]... [--token-out FILE]\n"
    "  campaigns [ID]                      list the campaigns, or show one\n"
    "  campaign create MANIFEST (--tag T|--device D)... [--waves 1,10,100]\n"
    "             [--max-failure-ratio R]\n"
    "  campaign pause|resume|cancel ID\n"
    "  events [--device D] [--campaign C] [--since N] [--limit N]\n"
    "  tokens                              list the operator tokens\n"
    "  token create ROLE NAME              ROLE: admin, operator or viewer\n"
    "  token revoke ID\n"
    "  health\n"
    "\n"
    "The server is --url, else $SUIT_SERVER_URL, else http://127.0.0.1:8080; the\n"
    "token is --token, --token-file, $SUIT_SERVER_TOKEN or $SUIT_SERVER_TOKEN_FILE,\n"
    "else var/admin-token (what `make run` writes).";

/* suit server SUBCOMMAND [ARGS] */
gint
suit_cli_cmd_server(SuitCli *cli, gint argc, gchar **argv)
{
	g_auto(SuitCliServerOptions) opts = {NULL};
	g_auto(SuitCliServer) self = {NULL};
	g_auto(GStrv) tags = NULL;
	g_auto(GStrv) devices = NULL;
	g_autofree gchar *vendor_id = NULL;
	g_autofree gchar *class_id = NULL;
	g_autofree gchar *public_key = NULL;
	g_autofree gchar *token_out = NULL;
	g_autofree gchar *state = NULL;
	g_autofree gchar *device = NULL;
	g_autofree gchar *campaign = NULL;
	g_autofree gchar *waves = NULL;
	g_autofree gchar *since = NULL;
	g_autofree gchar *limit = NULL;
	gdouble max_failure_ratio = -1;
	gboolean force_payload = FALSE;
	gboolean force_envelope = FALSE;
	g_autoptr(GOptionContext) context = g_option_context_new("COMMAND [ARGS…]");
	const GOptionEntry entries[] = {
	    {"tag", 0, 0, G_OPTION_ARG_STRING_ARRAY, &tags, "A device tag (device add, campaign create, devices)", "TAG"},
	    {"device", 0, 0, G_OPTION_ARG_STRING_ARRAY, &devices, "A device id (campaign create, events)", "ID"},
	    {"state", 0, 0, G_OPTION_ARG_STRING, &state, "Only devices in this state (devices)", "STATE"},
	    {"vendor-id", 0, 0, G_OPTION_ARG_STRING, &vendor_id, "The device's vendor id (device add)", "UUID"},
	    {"class-id", 0, 0, G_OPTION_ARG_STRING, &class_id, "The device's class id (device add)", "UUID"},
	    {"public-key", 0, 0, G_OPTION_ARG_FILENAME, &public_key, "The device's public key (device add)", "PUB.pem"},
	    {"token-out", 0, 0, G_OPTION_ARG_FILENAME, &token_out, "Write the new device token to FILE (mode 0600)", "FILE"},
	    {"waves", 0, 0, G_OPTION_ARG_STRING, &waves, "Cumulative wave sizes in percent (campaign create)", "1,10,100"},
	    {"max-failure-ratio", 0, 0, G_OPTION_ARG_DOUBLE, &max_failure_ratio, "Halt the campaign above this ratio of failures", "R"},
	    {"campaign", 0, 0, G_OPTION_ARG_STRING, &campaign, "Only events of this campaign (events)", "ID"},
	    {"since", 0, 0, G_OPTION_ARG_STRING, &since, "Only events after this sequence number (events)", "N"},
	    {"limit", 0, 0, G_OPTION_ARG_STRING, &limit, "At most N events (events)", "N"},
	    {"payload", 0, 0, G_OPTION_ARG_NONE, &force_payload, "Upload the files as payloads (upload)", NULL},
	    {"envelope", 0, 0, G_OPTION_ARG_NONE, &force_envelope, "Upload the files as envelopes (upload)", NULL},
	    {NULL}};
	const gchar *sub;
	const gchar *verb;
	gint rc;

	suit_cli_server_add_entries(context, &opts, &cli->json);
	g_option_context_add_main_entries(context, entries, NULL);
	rc = suit_cli_parse_options(cli, context, suit_cli_server_summary, &argc, &argv);
	if (rc >= 0)
		return rc;
	if (argc < 2)
		return suit_cli_usage(cli, "no server command given");
	rc = suit_cli_server_setup(&self, cli, &opts);
	if (rc >= 0)
		return rc;

	sub = argv[1];
	verb = argc > 2 ? argv[2] : NULL;
	if (g_strcmp0(sub, "health") == 0) {
		g_autoptr(JsonNode) answer = NULL;
		rc = suit_cli_server_get(&self, "/api/v1/health", &answer);
		return rc >= 0 ? rc : suit_cli_server_show(&self, answer, NULL);
	}
	if (g_strcmp0(sub, "upload") == 0) {
		if (argc < 3)
			return suit_cli_usage(cli, "no file to upload");
		if (force_payload && force_envelope)
			return suit_cli_usage(cli, "--payload and --envelope exclude each other");
		return suit_cli_server_upload(&self, argv + 2, force_payload, force_envelope);
	}
	if (g_strcmp0(sub, "manifests") == 0) {
		const gchar *const columns[] = {"id", "sequence_number:SEQ", "vendor_id:VENDOR",
						"class_id:CLASS", "created", NULL};
		return suit_cli_server_list(&self, "manifests", verb, NULL, columns);
	}
	if (g_strcmp0(sub, "devices") == 0) {
		const gchar *const columns[] = {"id", "state", "tags", "installed_manifest:MANIFEST",
						"last_seen:LAST SEEN", NULL};
		g_autofree gchar *query = suit_cli_server_query("tag",
								tags != NULL ? tags[0] : NULL,
								"state",
								state,
								NULL);
		return suit_cli_server_list(&self, "devices", verb, query, columns);
	}
	if (g_strcmp0(sub, "device") == 0 && g_strcmp0(verb, "add") == 0) {
		if (argc != 4)
			return suit_cli_usage(cli, "device add takes one device id");
		return suit_cli_server_device_add(&self, argv[3], vendor_id, class_id, public_key, tags, token_out);
	}
	if (g_strcmp0(sub, "campaigns") == 0) {
		const gchar *const columns[] = {"id", "state", "manifest", "waves", "progress", NULL};
		g_autoptr(JsonNode) answer = NULL;
		g_autofree gchar *escaped = verb != NULL ? suit_cli_server_escape(verb) : NULL;
		g_autofree gchar *path = verb != NULL ? g_strdup_printf("/api/v1/campaigns/%s", escaped)
						      : g_strdup("/api/v1/campaigns");
		rc = suit_cli_server_get(&self, path, &answer);
		if (rc >= 0)
			return rc;
		if (!cli->json)
			suit_cli_server_flatten_counts(answer);
		return suit_cli_server_show(&self, answer, columns);
	}
	if (g_strcmp0(sub, "campaign") == 0 && g_strcmp0(verb, "create") == 0) {
		if (argc != 4)
			return suit_cli_usage(cli, "campaign create takes one manifest id");
		return suit_cli_server_campaign_create(&self, argv[3], tags, devices, waves, max_failure_ratio);
	}
	if (g_strcmp0(sub, "campaign") == 0 &&
	    (g_strcmp0(verb, "pause") == 0 || g_strcmp0(verb, "resume") == 0 ||
	     g_strcmp0(verb, "cancel") == 0 || g_strcmp0(verb, "show") == 0)) {
		if (argc != 4)
			return suit_cli_usage(cli, "campaign %s takes one campaign id", verb);
		if (g_strcmp0(verb, "show") == 0)
			return suit_cli_server_list(&self, "campaigns", argv[3], NULL, NULL);
		return suit_cli_server_campaign_action(&self, argv[3], verb);
	}
	if (g_strcmp0(sub, "events") == 0) {
		const gchar *const columns[] = {"seq", "time", "type", "device", "campaign", NULL};
		g_autofree gchar *query = suit_cli_server_query("device",
								devices != NULL ? devices[0] : NULL,
								"campaign",
								campaign,
								"since",
								since,
								"limit",
								limit,
								NULL);
		return suit_cli_server_list(&self, "events", NULL, query, columns);
	}
	if (g_strcmp0(sub, "tokens") == 0) {
		const gchar *const columns[] = {"id", "role", "name", "created", NULL};
		return suit_cli_server_list(&self, "tokens", NULL, NULL, columns);
	}
	if (g_strcmp0(sub, "token") == 0 && g_strcmp0(verb, "create") == 0) {
		g_autoptr(JsonBuilder) builder = json_builder_new();
		g_autoptr(JsonNode) answer = NULL;
		if (argc != 5)
			return suit_cli_usage(cli, "token create takes a role and a name");
		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "role");
		json_builder_add_string_value(builder, argv[3]);
		json_builder_set_member_name(builder, "name");
		json_builder_add_string_value(builder, argv[4]);
		json_builder_end_object(builder);
		rc = suit_cli_server_post_json(&self, "/api/v1/tokens", builder, &answer);
		if (rc >= 0)
			return rc;
		if (cli->json || answer == NULL || !JSON_NODE_HOLDS_OBJECT(answer))
			return suit_cli_server_show(&self, answer, NULL);
		g_print("token %s (%s, %s), shown once:\n%s\n",
			json_object_get_string_member_with_default(json_node_get_object(answer), "id", "?"),
			argv[3],
			argv[4],
			json_object_get_string_member_with_default(json_node_get_object(answer), "token", "?"));
		return SUIT_CLI_EXIT_OK;
	}
	if (g_strcmp0(sub, "token") == 0 && g_strcmp0(verb, "revoke") == 0) {
		g_autoptr(JsonNode) answer = NULL;
		g_autofree gchar *escaped = NULL;
		g_autofree gchar *path = NULL;
		if (argc != 4)
			return suit_cli_usage(cli, "token revoke takes one token id");
		escaped = suit_cli_server_escape(argv[3]);
		path = g_strdup_printf("/api/v1/tokens/%s", escaped);
		rc = suit_cli_server_call(&self, "DELETE", path, NULL, NULL, NULL, -1, &answer);
		if (rc >= 0)
			return rc;
		if (cli->json)
			suit_cli_server_print_json(answer);
		else
			g_print("token %s revoked\n", argv[3]);
		return SUIT_CLI_EXIT_OK;
	}
	return suit_cli_usage(cli, "unknown server command '%s%s%s'", sub, verb != NULL ? " " : "", verb != NULL ? verb : "");
}
