/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <glib.h>

#include "suit-enums.h"
#include "suit-error.h"

G_BEGIN_DECLS

/*
 * A strict, bounded CBOR layer.
 *
 * Decoding turns one complete CBOR data item into a tree of SuitCborItem. The
 * tree keeps map entries in their input order and remembers, for every item,
 * the byte span it was decoded from, so that digests can be taken over the
 * exact encoded bytes (SUIT hashes the bstr-wrapped manifest, header included).
 * Byte and text strings are zero-copy slices of the input.
 *
 * Encoding writes minimal-length heads and never indefinite lengths; map
 * entries are written in the order they are stored. Builders that construct
 * new maps call suit_cbor_map_sort() to get the RFC 8949 §4.2.1 deterministic
 * order (bytewise lexicographic order of the encoded keys).
 */

typedef enum {
	SUIT_CBOR_TYPE_UINT,	  /* major 0; value in ->u64 */
	SUIT_CBOR_TYPE_NEGINT,	  /* major 1; the value is -1 - ->u64 */
	SUIT_CBOR_TYPE_BYTES,	  /* major 2 */
	SUIT_CBOR_TYPE_TEXT,	  /* major 3, valid UTF-8 */
	SUIT_CBOR_TYPE_ARRAY,	  /* major 4 */
	SUIT_CBOR_TYPE_MAP,	  /* major 5; children are key, value, key, value... */
	SUIT_CBOR_TYPE_TAG,	  /* major 6; tag number in ->u64, one child */
	SUIT_CBOR_TYPE_FALSE,	  /* simple 20 */
	SUIT_CBOR_TYPE_TRUE,	  /* simple 21 */
	SUIT_CBOR_TYPE_NULL,	  /* simple 22 */
	SUIT_CBOR_TYPE_UNDEFINED, /* simple 23 */
} SuitCborType;

typedef struct _SuitCborItem SuitCborItem;

typedef struct {
	guint max_depth;   /* nesting of arrays, maps and tags; the top item is depth 1 */
	guint max_items;   /* total number of items in the tree */
	gsize max_length;  /* size of the encoded input */
} SuitCborLimits;

/* the limits used when NULL is passed: depth 16, 65536 items, 64 MiB */
#define SUIT_CBOR_DEFAULT_MAX_DEPTH  16
#define SUIT_CBOR_DEFAULT_MAX_ITEMS  65536
#define SUIT_CBOR_DEFAULT_MAX_LENGTH (64 * 1024 * 1024)

/*
 * Decodes exactly one item that fills all of @data.
 *
 * Fails with SUIT_ERROR_INVALID_CBOR for malformed input, trailing bytes,
 * indefinite-length items, floating point values, reserved simple values,
 * invalid UTF-8 in text strings, and duplicate map keys (unless
 * SUIT_PARSE_FLAG_ALLOW_DUPLICATE_KEYS is given, when the first one wins in
 * lookups but all are kept); with SUIT_ERROR_LIMIT_EXCEEDED when a limit is
 * broken. Never recurses on the C stack with input-driven depth beyond
 * max_depth.
 */
SuitCborItem *
suit_cbor_decode(GBytes *data, const SuitCborLimits *limits, SuitParseFlags flags, GError **error)
    G_GNUC_WARN_UNUSED_RESULT;

/* refcounting */
SuitCborItem *
suit_cbor_item_ref(SuitCborItem *item);
void
suit_cbor_item_unref(SuitCborItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(SuitCborItem, suit_cbor_item_unref)

/* inspection */
SuitCborType
suit_cbor_item_get_type(const SuitCborItem *item);
const gchar *
suit_cbor_type_to_string(SuitCborType type);
/* sets SUIT_ERROR_INVALID_DATA "<format>, got <the type of @item>" */
void
suit_cbor_set_type_error(GError **error, const SuitCborItem *item, const gchar *format, ...) G_GNUC_PRINTF(3, 4);
gboolean
suit_cbor_item_is_int(const SuitCborItem *item); /* UINT or NEGINT */
/* TRUE if the item is an integer that fits in gint64, stored in @value */
gboolean
suit_cbor_item_get_int(const SuitCborItem *item, gint64 *value);
/* TRUE if the item is a UINT, stored in @value */
gboolean
suit_cbor_item_get_uint(const SuitCborItem *item, guint64 *value);
/* TRUE if the item is TRUE or FALSE */
gboolean
suit_cbor_item_get_bool(const SuitCborItem *item, gboolean *value);
/* raw ->u64 (uint value, -1-n for negint, tag number) */
guint64
suit_cbor_item_get_u64(const SuitCborItem *item);
/* BYTES or TEXT content, (transfer none); NULL for other types */
GBytes *
suit_cbor_item_get_bytes(const SuitCborItem *item);
/* TEXT content as a new NUL-terminated string; NULL for other types */
gchar *
suit_cbor_item_dup_text(const SuitCborItem *item);
/* number of array items, map entries (pairs), or 1 for a tag */
guint
suit_cbor_item_get_length(const SuitCborItem *item);
/* array element / tag content (index 0) (transfer none) */
SuitCborItem *
suit_cbor_array_get(const SuitCborItem *item, guint idx);
/* map entry @idx: key and value (transfer none) */
SuitCborItem *
suit_cbor_map_get_key(const SuitCborItem *item, guint idx);
SuitCborItem *
suit_cbor_map_get_value(const SuitCborItem *item, guint idx);
/* lookups (transfer none), NULL if absent */
SuitCborItem *
suit_cbor_map_lookup_int(const SuitCborItem *map, gint64 key);
SuitCborItem *
suit_cbor_map_lookup_text(const SuitCborItem *map, const gchar *key);
/* the tag content (transfer none) */
SuitCborItem *
suit_cbor_tag_get_content(const SuitCborItem *item);
/*
 * The encoded bytes this item was decoded from (a slice of the input), or
 * for built items a fresh encoding. (transfer full)
 */
GBytes *
suit_cbor_item_get_encoded(SuitCborItem *item);
/* byte offset of the item in the decoded input (0 for built items) */
gsize
suit_cbor_item_get_offset(const SuitCborItem *item);
/* deep equality of value (not of encoding) */
gboolean
suit_cbor_item_equal(const SuitCborItem *a, const SuitCborItem *b);

/* builders, (transfer full) */
SuitCborItem *
suit_cbor_item_new_uint(guint64 value);
SuitCborItem *
suit_cbor_item_new_int(gint64 value);
SuitCborItem *
suit_cbor_item_new_negint_raw(guint64 n); /* the value -1 - n */
SuitCborItem *
suit_cbor_item_new_bytes(GBytes *bytes);
SuitCborItem *
suit_cbor_item_new_bytes_data(const guint8 *data, gsize len);
SuitCborItem *
suit_cbor_item_new_text(const gchar *text);
SuitCborItem *
suit_cbor_item_new_bool(gboolean value);
SuitCborItem *
suit_cbor_item_new_null(void);
SuitCborItem *
suit_cbor_item_new_undefined(void);
SuitCborItem *
suit_cbor_item_new_array(void);
SuitCborItem *
suit_cbor_item_new_map(void);
SuitCborItem *
suit_cbor_item_new_tag(guint64 tag, SuitCborItem *content /* steals */);
/* a BYTES item holding the encoding of @content ("bstr .cbor") */
SuitCborItem *
suit_cbor_item_new_wrapped(SuitCborItem *content);
/* array/map mutation: these steal the passed items */
void
suit_cbor_array_append(SuitCborItem *array, SuitCborItem *value);
void
suit_cbor_map_append(SuitCborItem *map, SuitCborItem *key, SuitCborItem *value);
/* sort map entries into RFC 8949 deterministic order (not recursive) */
void
suit_cbor_map_sort(SuitCborItem *map);

/* encoding */
GBytes *
suit_cbor_encode(SuitCborItem *item);
/* the encoded size of a CBOR head for major type @major and argument @value */
gsize
suit_cbor_head_size(guint64 value);

/* diagnostic notation (RFC 8949 §8), for debugging and inspect output */
gchar *
suit_cbor_item_to_diag(const SuitCborItem *item);

/* convenience: decode a "bstr .cbor" BYTES item's content with the same limits */
SuitCborItem *
suit_cbor_item_decode_wrapped(const SuitCborItem *bstr,
			      const SuitCborLimits *limits,
			      SuitParseFlags flags,
			      GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
