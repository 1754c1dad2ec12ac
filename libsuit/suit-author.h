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

#include "suit-enums.h"
#include "suit-envelope.h"
#include "suit-key.h"
#include "suit-version-macros.h"

G_BEGIN_DECLS

#define SUIT_TYPE_AUTHOR (suit_author_get_type())
SUIT_AVAILABLE_IN_0_1
G_DECLARE_FINAL_TYPE(SuitAuthor, suit_author, SUIT, AUTHOR, GObject)

SUIT_AVAILABLE_IN_0_1
SuitAuthor *
suit_author_new(void) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
gboolean
suit_author_add_key(SuitAuthor *self,
		    SuitKey *key,
		    SuitCoseAlgorithm algorithm,
		    GBytes *key_id,
		    GError **error);
SUIT_AVAILABLE_IN_0_1
guint
suit_author_get_n_keys(SuitAuthor *self);
SUIT_AVAILABLE_IN_0_1
void
suit_author_set_sequence_number(SuitAuthor *self, guint64 sequence_number);
SUIT_AVAILABLE_IN_0_1
void
suit_author_set_time(SuitAuthor *self, gint64 unix_time);
SUIT_AVAILABLE_IN_0_1
SuitEnvelope *
suit_author_build_from_description_file(SuitAuthor *self, const gchar *filename, GError **error)
    G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
SuitEnvelope *
suit_author_build_from_description_json(SuitAuthor *self,
					const gchar *json,
					const gchar *base_dir,
					GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
SuitEnvelope *
suit_author_build_from_manifest_json(SuitAuthor *self, const gchar *json, GError **error)
    G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
gboolean
suit_author_sign_envelope(SuitAuthor *self, SuitEnvelope *envelope, GError **error);
SUIT_AVAILABLE_IN_0_1
GBytes *
suit_author_vendor_id_from_domain(const gchar *domain) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
GBytes *
suit_author_class_id_from_name(GBytes *vendor_id, const gchar *class_name) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
