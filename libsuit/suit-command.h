/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__LIBSUIT_INSIDE__) && !defined(SUIT_COMPILATION)
#error "Only <libsuit/suit.h> can be included directly."
#endif

#include <glib-object.h>

#include "suit-component-id.h"
#include "suit-digest.h"
#include "suit-enums.h"
#include "suit-version-macros.h"

G_BEGIN_DECLS

/**
 * SUIT_COMMAND_INDEX_ALL:
 *
 * Returned in the list of suit_command_get_component_indices() when the
 * argument of set-component-index is `true` (every component).
 *
 * Since: 0.1
 */
#define SUIT_COMMAND_INDEX_ALL G_MAXUINT

#define SUIT_TYPE_PARAMETERS	   (suit_parameters_get_type())
#define SUIT_TYPE_COMMAND	   (suit_command_get_type())
#define SUIT_TYPE_COMMAND_SEQUENCE (suit_command_sequence_get_type())

/**
 * SuitParameters:
 *
 * An ordered, immutable map of SUIT parameters (SUIT-SPEC §5), keyed by
 * their integer codepoints, as carried by override-parameters and
 * set-parameters.
 *
 * Since: 0.1
 */
typedef struct _SuitParameters SuitParameters;

/**
 * SuitCommand:
 *
 * One command of a command sequence: its code and its argument.
 *
 * Since: 0.1
 */
typedef struct _SuitCommand SuitCommand;

/**
 * SuitCommandSequence:
 *
 * A decoded command sequence.
 *
 * Since: 0.1
 */
typedef struct _SuitCommandSequence SuitCommandSequence;

/* parameters */
SUIT_AVAILABLE_IN_0_1
GType
suit_parameters_get_type(void) G_GNUC_CONST;
SUIT_AVAILABLE_IN_0_1
SuitParameters *
suit_parameters_ref(SuitParameters *self);
SUIT_AVAILABLE_IN_0_1
void
suit_parameters_unref(SuitParameters *self);
SUIT_AVAILABLE_IN_0_1
guint
suit_parameters_get_size(const SuitParameters *self);
SUIT_AVAILABLE_IN_0_1
gint64
suit_parameters_get_key(const SuitParameters *self, guint idx);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_parameters_has(const SuitParameters *self, gint64 key);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_parameters_get_uint(const SuitParameters *self, gint64 key, guint64 *value);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_parameters_get_int(const SuitParameters *self, gint64 key, gint64 *value);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_parameters_get_bool(const SuitParameters *self, gint64 key, gboolean *value);
SUIT_AVAILABLE_IN_0_1
GBytes *
suit_parameters_get_bytes(const SuitParameters *self, gint64 key);
SUIT_AVAILABLE_IN_0_1
gchar *
suit_parameters_dup_text(const SuitParameters *self, gint64 key);
SUIT_AVAILABLE_IN_0_1
SuitDigest *
suit_parameters_dup_digest(const SuitParameters *self, gint64 key, GError **error);
SUIT_AVAILABLE_IN_0_1
GBytes *
suit_parameters_get_cbor(const SuitParameters *self, gint64 key);
SUIT_AVAILABLE_IN_0_1
const gchar *
suit_parameter_to_string(gint64 key);
SUIT_AVAILABLE_IN_0_1
gint64
suit_parameter_from_string(const gchar *name);

/* commands */
SUIT_AVAILABLE_IN_0_1
GType
suit_command_get_type(void) G_GNUC_CONST;
SUIT_AVAILABLE_IN_0_1
SuitCommand *
suit_command_ref(SuitCommand *self);
SUIT_AVAILABLE_IN_0_1
void
suit_command_unref(SuitCommand *self);
SUIT_AVAILABLE_IN_0_1
gint64
suit_command_get_code(const SuitCommand *self);
SUIT_AVAILABLE_IN_0_1
const gchar *
suit_command_get_name(const SuitCommand *self);
SUIT_AVAILABLE_IN_0_1
SuitCommandKind
suit_command_get_kind(const SuitCommand *self);
SUIT_AVAILABLE_IN_0_1
SuitArgumentType
suit_command_get_argument_type(const SuitCommand *self);
SUIT_AVAILABLE_IN_0_1
gsize
suit_command_get_offset(const SuitCommand *self);
SUIT_AVAILABLE_IN_0_1
guint64
suit_command_get_reporting_policy(const SuitCommand *self);
SUIT_AVAILABLE_IN_0_1
GArray *
suit_command_get_component_indices(const SuitCommand *self);
SUIT_AVAILABLE_IN_0_1
SuitParameters *
suit_command_get_parameters(const SuitCommand *self);
SUIT_AVAILABLE_IN_0_1
GPtrArray *
suit_command_get_sequences(const SuitCommand *self);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_command_get_has_empty_fallback(const SuitCommand *self);
SUIT_AVAILABLE_IN_0_1
SuitCommandSequence *
suit_command_get_sequence(const SuitCommand *self);
SUIT_AVAILABLE_IN_0_1
GBytes *
suit_command_get_argument_cbor(const SuitCommand *self);
SUIT_AVAILABLE_IN_0_1
const gchar *
suit_command_code_to_string(gint64 code);
SUIT_AVAILABLE_IN_0_1
gint64
suit_command_code_from_string(const gchar *name);

/* sequences */
SUIT_AVAILABLE_IN_0_1
GType
suit_command_sequence_get_type(void) G_GNUC_CONST;
SUIT_AVAILABLE_IN_0_1
SuitCommandSequence *
suit_command_sequence_new_from_cbor(GBytes *cbor, GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
SuitCommandSequence *
suit_command_sequence_ref(SuitCommandSequence *self);
SUIT_AVAILABLE_IN_0_1
void
suit_command_sequence_unref(SuitCommandSequence *self);
SUIT_AVAILABLE_IN_0_1
guint
suit_command_sequence_get_length(const SuitCommandSequence *self);
SUIT_AVAILABLE_IN_0_1
SuitCommand *
suit_command_sequence_get_command(const SuitCommandSequence *self, guint idx);
SUIT_AVAILABLE_IN_0_1
GBytes *
suit_command_sequence_to_cbor(const SuitCommandSequence *self) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SuitParameters, suit_parameters_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SuitCommand, suit_command_unref)
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SuitCommandSequence, suit_command_sequence_unref)

G_END_DECLS
