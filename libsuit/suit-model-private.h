/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "suit-cbor-private.h"
#include "suit-component-id.h"
#include "suit-digest.h"

G_BEGIN_DECLS

/* SUIT_Digest <-> CBOR tree: [alg : int, bytes : bstr, * extensions] */
SuitDigest *
suit_digest_new_from_item(const SuitCborItem *item, GError **error) G_GNUC_WARN_UNUSED_RESULT;
SuitCborItem *
suit_digest_to_item(const SuitDigest *self);
/* constant-time comparison of two byte buffers of the same length */
gboolean
suit_memeq_const_time(const guint8 *a, const guint8 *b, gsize len);
/* lower case hex of a buffer */
gchar *
suit_hex_encode(GBytes *bytes);
/* parses lower or upper case hex; NULL with invalid-data on bad input */
GBytes *
suit_hex_decode(const gchar *hex, GError **error);

/* SUIT_Component_Identifier <-> CBOR tree: [* bstr] */
SuitComponentId *
suit_component_id_new_from_item(const SuitCborItem *item, GError **error) G_GNUC_WARN_UNUSED_RESULT;
SuitCborItem *
suit_component_id_to_item(const SuitComponentId *self);

G_END_DECLS
