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
#include "suit-version-macros.h"

G_BEGIN_DECLS

#define SUIT_TYPE_KEY (suit_key_get_type())
SUIT_AVAILABLE_IN_0_1
G_DECLARE_FINAL_TYPE(SuitKey, suit_key, SUIT, KEY, GObject)

SUIT_AVAILABLE_IN_0_1
SuitKey *
suit_key_generate(SuitKeyType key_type, GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
SuitKey *
suit_key_new_from_pem(GBytes *pem, GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
SuitKey *
suit_key_new_from_file(const gchar *filename, GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
SuitKey *
suit_key_new_symmetric(GBytes *secret, GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
SuitKey *
suit_key_new_from_pkcs11_url(const gchar *url, GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
SuitKeyType
suit_key_get_key_type(SuitKey *self);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_key_has_private(SuitKey *self);
SUIT_AVAILABLE_IN_0_1
SuitCoseAlgorithm
suit_key_get_default_algorithm(SuitKey *self);
SUIT_AVAILABLE_IN_0_1
gboolean
suit_key_supports_algorithm(SuitKey *self, SuitCoseAlgorithm algorithm);
SUIT_AVAILABLE_IN_0_1
GBytes *
suit_key_get_key_id(SuitKey *self);
SUIT_AVAILABLE_IN_0_1
void
suit_key_set_key_id(SuitKey *self, GBytes *key_id);
SUIT_AVAILABLE_IN_0_1
GBytes *
suit_key_compute_thumbprint(SuitKey *self, GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
GBytes *
suit_key_export_public_pem(SuitKey *self, GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
GBytes *
suit_key_export_private_pem(SuitKey *self, GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
SuitKey *
suit_key_dup_public(SuitKey *self, GError **error) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
GBytes *
suit_key_sign(SuitKey *self, SuitCoseAlgorithm algorithm, GBytes *data, GError **error)
    G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
gboolean
suit_key_verify(SuitKey *self,
		SuitCoseAlgorithm algorithm,
		GBytes *data,
		GBytes *signature,
		GError **error);
SUIT_AVAILABLE_IN_0_1
const gchar *
suit_cose_algorithm_to_string(SuitCoseAlgorithm algorithm);
SUIT_AVAILABLE_IN_0_1
SuitCoseAlgorithm
suit_cose_algorithm_from_string(const gchar *name);

G_END_DECLS
