/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/* what the files of the `suit` tool share (not installed) */

#pragma once

#include <json-glib/json-glib.h>
#include <libsuit/suit.h>

typedef enum {
	SUIT_CLI_EXIT_OK = 0,
	SUIT_CLI_EXIT_REJECTED = 1,
	SUIT_CLI_EXIT_USAGE = 2,
} SuitCliExit;

typedef struct {
	const gchar *command; /* noref */
	gboolean json;
} SuitCli;

void
suit_cli_print_json(JsonBuilder *builder);
gint
suit_cli_fail(SuitCli *self, SuitCliExit exit_code, const GError *error);
gint
suit_cli_usage(SuitCli *self, const gchar *format, ...) G_GNUC_PRINTF(2, 3);
gint
suit_cli_parse_options(SuitCli *self,
		       GOptionContext *context,
		       const gchar *summary,
		       gint *argc,
		       gchar ***argv);
GBytes *
suit_cli_read_file(const gchar *filename, GError **error);

/* suit-cli-server.c: `suit server ...`, the operator side of suit-server */
gint
suit_cli_cmd_server(SuitCli *self, gint argc, gchar **argv);
