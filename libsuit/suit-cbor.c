/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <cbor.h>
#include <string.h>

#include "suit-cbor-private.h"

struct _SuitCborItem {
	gint refcount;
	SuitCborType type;
	guint64 u64;	    /* uint value, negint n (value -1-n), or tag number */
	GBytes *bytes;	    /* BYTES and TEXT content */
	GPtrArray *children; /* (element-type SuitCborItem): array items, map k/v pairs, tag content */
	GBytes *source;	    /* decoded input, NULL for built items */
	gsize offset;	    /* span in @source */
	gsize length;
};

static SuitCborItem *
suit_cbor_item_new(SuitCborType type)
{
	SuitCborItem *item = g_new0(SuitCborItem, 1);
	item->refcount = 1;
	item->type = type;
	if (type == SUIT_CBOR_TYPE_ARRAY || type == SUIT_CBOR_TYPE_MAP ||
	    type == SUIT_CBOR_TYPE_TAG)
		item->children = g_ptr_array_new_with_free_func((GDestroyNotify)suit_cbor_item_unref);
	return item;
}

SuitCborItem *
suit_cbor_item_ref(SuitCborItem *item)
{
	g_return_val_if_fail(item != NULL, NULL);
	g_atomic_int_inc(&item->refcount);
	return item;
}

void
suit_cbor_item_unref(SuitCborItem *item)
{
	if (item == NULL)
		return;
	if (!g_atomic_int_dec_and_test(&item->refcount))
		return;
	if (item->bytes != NULL)
		g_bytes_unref(item->bytes);
	if (item->children != NULL)
		g_ptr_array_unref(item->children);
	if (item->source != NULL)
		g_bytes_unref(item->source);
	g_free(item);
}

/* decoding ----------------------------------------------------------------- */

typedef struct {
	SuitCborItem *item;
	guint64 remaining; /* children still expected */
} SuitCborFrame;

typedef struct {
	GBytes *source;
	const guint8 *base;
	gsize size;
	gsize pos; /* offset of the head being decoded */
	SuitCborLimits limits;
	SuitParseFlags flags;
	GArray *stack; /* of SuitCborFrame */
	SuitCborItem *pending; /* item created by the last callback (owned) */
	guint64 pending_count; /* children expected by @pending */
	guint items;
	GError *error;
} SuitCborDecoder;

static void
suit_cbor_decoder_fail(SuitCborDecoder *self, gint code, const gchar *message)
{
	if (self->error != NULL)
		return;
	g_set_error(&self->error, SUIT_ERROR, code, "%s at byte %" G_GSIZE_FORMAT, message, self->pos);
}

static void
suit_cbor_decoder_emit(SuitCborDecoder *self, SuitCborItem *item, guint64 count)
{
	if (self->error != NULL || self->pending != NULL) {
		suit_cbor_item_unref(item);
		return;
	}
	if (self->stack->len + 1 > self->limits.max_depth) {
		suit_cbor_item_unref(item);
		suit_cbor_decoder_fail(self, SUIT_ERROR_LIMIT_EXCEEDED, "cbor nesting too deep");
		return;
	}
	self->items++;
	if (self->items > self->limits.max_items) {
		suit_cbor_item_unref(item);
		suit_cbor_decoder_fail(self, SUIT_ERROR_LIMIT_EXCEEDED, "too many cbor items");
		return;
	}
	/* every child takes at least one byte: refuse impossible counts before
	 * allocating anything for them */
	if (count > self->size - self->pos) {
		suit_cbor_item_unref(item);
		suit_cbor_decoder_fail(self, SUIT_ERROR_INVALID_CBOR, "truncated cbor container");
		return;
	}
	if (count > (guint64)(self->limits.max_items - self->items)) {
		suit_cbor_item_unref(item);
		suit_cbor_decoder_fail(self, SUIT_ERROR_LIMIT_EXCEEDED, "too many cbor items");
		return;
	}
	item->offset = self->pos;
	self->pending = item;
	self->pending_count = count;
}

static void
suit_cbor_cb_uint(SuitCborDecoder *self, guint64 value)
{
	SuitCborItem *item = suit_cbor_item_new(SUIT_CBOR_TYPE_UINT);
	item->u64 = value;
	suit_cbor_decoder_emit(self, item, 0);
}

static void
suit_cbor_cb_negint(SuitCborDecoder *self, guint64 value)
{
	SuitCborItem *item = suit_cbor_item_new(SUIT_CBOR_TYPE_NEGINT);
	item->u64 = value;
	suit_cbor_decoder_emit(self, item, 0);
}

static void
suit_cbor_cb_uint8(void *ctx, uint8_t v)
{
	suit_cbor_cb_uint(ctx, v);
}
static void
suit_cbor_cb_uint16(void *ctx, uint16_t v)
{
	suit_cbor_cb_uint(ctx, v);
}
static void
suit_cbor_cb_uint32(void *ctx, uint32_t v)
{
	suit_cbor_cb_uint(ctx, v);
}
static void
suit_cbor_cb_uint64(void *ctx, uint64_t v)
{
	suit_cbor_cb_uint(ctx, v);
}
static void
suit_cbor_cb_negint8(void *ctx, uint8_t v)
{
	suit_cbor_cb_negint(ctx, v);
}
static void
suit_cbor_cb_negint16(void *ctx, uint16_t v)
{
	suit_cbor_cb_negint(ctx, v);
}
static void
suit_cbor_cb_negint32(void *ctx, uint32_t v)
{
	suit_cbor_cb_negint(ctx, v);
}
static void
suit_cbor_cb_negint64(void *ctx, uint64_t v)
{
	suit_cbor_cb_negint(ctx, v);
}

static void
suit_cbor_cb_string_common(SuitCborDecoder *self, SuitCborType type, cbor_data data, size_t len)
{
	SuitCborItem *item;
	gsize offset = (gsize)(data - self->base);

	if (type == SUIT_CBOR_TYPE_TEXT && !g_utf8_validate_len((const gchar *)data, len, NULL)) {
		suit_cbor_decoder_fail(self, SUIT_ERROR_INVALID_CBOR, "text string is not valid utf-8");
		return;
	}
	item = suit_cbor_item_new(type);
	item->bytes = g_bytes_new_from_bytes(self->source, offset, len);
	suit_cbor_decoder_emit(self, item, 0);
}

static void
suit_cbor_cb_bytes(void *ctx, cbor_data data, size_t len)
{
	suit_cbor_cb_string_common(ctx, SUIT_CBOR_TYPE_BYTES, data, len);
}

static void
suit_cbor_cb_text(void *ctx, cbor_data data, size_t len)
{
	suit_cbor_cb_string_common(ctx, SUIT_CBOR_TYPE_TEXT, data, len);
}

static void
suit_cbor_cb_indefinite(void *ctx)
{
	suit_cbor_decoder_fail(ctx, SUIT_ERROR_INVALID_CBOR, "indefinite-length items are not allowed");
}

static void
suit_cbor_cb_array(void *ctx, size_t count)
{
	suit_cbor_decoder_emit(ctx, suit_cbor_item_new(SUIT_CBOR_TYPE_ARRAY), count);
}

static void
suit_cbor_cb_map(void *ctx, size_t count)
{
	SuitCborDecoder *self = ctx;
	if (count > G_MAXUINT64 / 2) {
		suit_cbor_decoder_fail(self, SUIT_ERROR_INVALID_CBOR, "truncated cbor container");
		return;
	}
	suit_cbor_decoder_emit(self, suit_cbor_item_new(SUIT_CBOR_TYPE_MAP), (guint64)count * 2);
}

static void
suit_cbor_cb_tag(void *ctx, uint64_t tag)
{
	SuitCborItem *item = suit_cbor_item_new(SUIT_CBOR_TYPE_TAG);
	item->u64 = tag;
	suit_cbor_decoder_emit(ctx, item, 1);
}

static void
suit_cbor_cb_float(void *ctx, float v)
{
	suit_cbor_decoder_fail(ctx, SUIT_ERROR_INVALID_CBOR, "floating point values are not allowed");
}

static void
suit_cbor_cb_double(void *ctx, double v)
{
	suit_cbor_decoder_fail(ctx, SUIT_ERROR_INVALID_CBOR, "floating point values are not allowed");
}

static void
suit_cbor_cb_undefined(void *ctx)
{
	suit_cbor_decoder_emit(ctx, suit_cbor_item_new(SUIT_CBOR_TYPE_UNDEFINED), 0);
}

static void
suit_cbor_cb_null(void *ctx)
{
	suit_cbor_decoder_emit(ctx, suit_cbor_item_new(SUIT_CBOR_TYPE_NULL), 0);
}

static void
suit_cbor_cb_bool(void *ctx, bool v)
{
	suit_cbor_decoder_emit(ctx,
			       suit_cbor_item_new(v ? SUIT_CBOR_TYPE_TRUE : SUIT_CBOR_TYPE_FALSE),
			       0);
}

static const struct cbor_callbacks suit_cbor_callbacks = {
    .uint8 = suit_cbor_cb_uint8,
    .uint16 = suit_cbor_cb_uint16,
    .uint32 = suit_cbor_cb_uint32,
    .uint64 = suit_cbor_cb_uint64,
    .negint8 = suit_cbor_cb_negint8,
    .negint16 = suit_cbor_cb_negint16,
    .negint32 = suit_cbor_cb_negint32,
    .negint64 = suit_cbor_cb_negint64,
    .byte_string_start = suit_cbor_cb_indefinite,
    .byte_string = suit_cbor_cb_bytes,
    .string = suit_cbor_cb_text,
    .string_start = suit_cbor_cb_indefinite,
    .indef_array_start = suit_cbor_cb_indefinite,
    .array_start = suit_cbor_cb_array,
    .indef_map_start = suit_cbor_cb_indefinite,
    .map_start = suit_cbor_cb_map,
    .tag = suit_cbor_cb_tag,
    .float2 = suit_cbor_cb_float,
    .float4 = suit_cbor_cb_float,
    .float8 = suit_cbor_cb_double,
    .undefined = suit_cbor_cb_undefined,
    .null = suit_cbor_cb_null,
    .boolean = suit_cbor_cb_bool,
    .indef_break = suit_cbor_cb_indefinite,
};

static gboolean
suit_cbor_map_check_duplicates(SuitCborDecoder *self, SuitCborItem *map)
{
	g_autoptr(GHashTable) seen = NULL;

	if (self->flags & SUIT_PARSE_FLAG_ALLOW_DUPLICATE_KEYS)
		return TRUE;
	if (map->children->len <= 2)
		return TRUE;
	seen = g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, NULL);
	for (guint i = 0; i < map->children->len; i += 2) {
		/* compare values, not encodings, so a non-minimal head cannot hide a duplicate */
		GBytes *key = suit_cbor_encode(g_ptr_array_index(map->children, i));
		if (!g_hash_table_add(seen, key)) {
			self->pos = map->offset;
			suit_cbor_decoder_fail(self, SUIT_ERROR_INVALID_CBOR, "duplicate map key");
			return FALSE;
		}
	}
	return TRUE;
}

/* close every container whose last child has just been decoded */
static void
suit_cbor_decoder_close(SuitCborDecoder *self, gsize end)
{
	while (self->stack->len > 0) {
		SuitCborFrame *frame = &g_array_index(self->stack, SuitCborFrame, self->stack->len - 1);
		SuitCborItem *container = frame->item;
		if (frame->remaining > 0)
			return;
		g_array_set_size(self->stack, self->stack->len - 1);
		container->length = end - container->offset;
		if (container->type == SUIT_CBOR_TYPE_MAP &&
		    !suit_cbor_map_check_duplicates(self, container))
			return;
	}
}

/* libcbor 0.8 refuses one-byte tags 6..20 as "unassigned", but COSE uses
 * 17 and 18: decode tag heads here and leave everything else to libcbor */
static struct cbor_decoder_result
suit_cbor_decode_head(SuitCborDecoder *self)
{
	struct cbor_decoder_result res = {0};
	const guint8 *p = self->base + self->pos;
	gsize avail = self->size - self->pos;
	guint8 info = p[0] & 0x1f;
	gsize extra;
	guint64 tag = 0;

	if ((p[0] >> 5) != 6)
		return cbor_stream_decode(p, avail, &suit_cbor_callbacks, self);
	if (info < 24) {
		extra = 0;
		tag = info;
	} else if (info <= 27) {
		extra = (gsize)1 << (info - 24);
	} else {
		res.status = CBOR_DECODER_ERROR;
		return res;
	}
	if (avail < 1 + extra) {
		res.status = CBOR_DECODER_NEDATA;
		return res;
	}
	for (gsize i = 0; i < extra; i++)
		tag = (tag << 8) | p[1 + i];
	suit_cbor_cb_tag(self, tag);
	res.status = CBOR_DECODER_FINISHED;
	res.read = 1 + extra;
	return res;
}

SuitCborItem *
suit_cbor_decode(GBytes *data, const SuitCborLimits *limits, SuitParseFlags flags, GError **error)
{
	SuitCborDecoder self = {0};
	SuitCborItem *root = NULL;
	SuitCborLimits defaults = {
	    .max_depth = SUIT_CBOR_DEFAULT_MAX_DEPTH,
	    .max_items = SUIT_CBOR_DEFAULT_MAX_ITEMS,
	    .max_length = SUIT_CBOR_DEFAULT_MAX_LENGTH,
	};

	g_return_val_if_fail(data != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	self.limits = limits != NULL ? *limits : defaults;
	self.source = data;
	self.base = g_bytes_get_data(data, &self.size);
	self.flags = flags;

	if (self.size == 0) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INVALID_CBOR, "empty cbor input");
		return NULL;
	}
	if (self.size > self.limits.max_length) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_LIMIT_EXCEEDED,
			    "cbor input of %" G_GSIZE_FORMAT " bytes is larger than the limit of %" G_GSIZE_FORMAT,
			    self.size,
			    self.limits.max_length);
		return NULL;
	}

	self.stack = g_array_new(FALSE, FALSE, sizeof(SuitCborFrame));
	do {
		struct cbor_decoder_result res;
		SuitCborItem *item;

		if (self.pos >= self.size) {
			suit_cbor_decoder_fail(&self, SUIT_ERROR_INVALID_CBOR, "truncated cbor");
			break;
		}
		res = suit_cbor_decode_head(&self);
		if (self.error != NULL)
			break;
		if (res.status == CBOR_DECODER_NEDATA) {
			suit_cbor_decoder_fail(&self, SUIT_ERROR_INVALID_CBOR, "truncated cbor");
			break;
		}
		if (res.status != CBOR_DECODER_FINISHED || self.pending == NULL) {
			suit_cbor_decoder_fail(&self, SUIT_ERROR_INVALID_CBOR, "malformed cbor");
			break;
		}

		/* attach at once, so that on error the root frees everything */
		item = g_steal_pointer(&self.pending);
		item->source = g_bytes_ref(self.source);
		item->length = res.read;
		if (root == NULL) {
			root = item;
		} else {
			SuitCborFrame *top = &g_array_index(self.stack, SuitCborFrame, self.stack->len - 1);
			g_ptr_array_add(top->item->children, item);
			top->remaining--;
		}
		self.pos += res.read;
		if (self.pending_count > 0) {
			SuitCborFrame frame = {.item = item, .remaining = self.pending_count};
			g_array_append_val(self.stack, frame);
			continue;
		}
		suit_cbor_decoder_close(&self, self.pos);
	} while (self.error == NULL && self.stack->len > 0);

	if (self.error == NULL && self.pos != self.size)
		suit_cbor_decoder_fail(&self, SUIT_ERROR_INVALID_CBOR, "trailing bytes after cbor item");
	g_array_unref(self.stack);
	if (self.error != NULL) {
		if (root != NULL)
			suit_cbor_item_unref(root);
		if (self.pending != NULL)
			suit_cbor_item_unref(self.pending);
		g_propagate_error(error, self.error);
		return NULL;
	}
	return root;
}

SuitCborItem *
suit_cbor_item_decode_wrapped(const SuitCborItem *bstr,
			      const SuitCborLimits *limits,
			      SuitParseFlags flags,
			      GError **error)
{
	g_return_val_if_fail(bstr != NULL, NULL);
	if (bstr->type != SUIT_CBOR_TYPE_BYTES) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "expected a byte string holding cbor, got %s",
			    suit_cbor_type_to_string(bstr->type));
		return NULL;
	}
	return suit_cbor_decode(bstr->bytes, limits, flags, error);
}

/* inspection --------------------------------------------------------------- */

SuitCborType
suit_cbor_item_get_type(const SuitCborItem *item)
{
	g_return_val_if_fail(item != NULL, SUIT_CBOR_TYPE_UNDEFINED);
	return item->type;
}

const gchar *
suit_cbor_type_to_string(SuitCborType type)
{
	switch (type) {
	case SUIT_CBOR_TYPE_UINT:
		return "unsigned integer";
	case SUIT_CBOR_TYPE_NEGINT:
		return "negative integer";
	case SUIT_CBOR_TYPE_BYTES:
		return "byte string";
	case SUIT_CBOR_TYPE_TEXT:
		return "text string";
	case SUIT_CBOR_TYPE_ARRAY:
		return "array";
	case SUIT_CBOR_TYPE_MAP:
		return "map";
	case SUIT_CBOR_TYPE_TAG:
		return "tag";
	case SUIT_CBOR_TYPE_FALSE:
		return "false";
	case SUIT_CBOR_TYPE_TRUE:
		return "true";
	case SUIT_CBOR_TYPE_NULL:
		return "null";
	case SUIT_CBOR_TYPE_UNDEFINED:
		return "undefined";
	default:
		return "unknown";
	}
}

void
suit_cbor_set_type_error(GError **error, const SuitCborItem *item, const gchar *format, ...)
{
	g_autofree gchar *what = NULL;
	va_list args;

	va_start(args, format);
	what = g_strdup_vprintf(format, args);
	va_end(args);
	g_set_error(error,
		    SUIT_ERROR,
		    SUIT_ERROR_INVALID_DATA,
		    "%s, got %s",
		    what,
		    suit_cbor_type_to_string(suit_cbor_item_get_type(item)));
}

gboolean
suit_cbor_item_is_int(const SuitCborItem *item)
{
	return item != NULL && (item->type == SUIT_CBOR_TYPE_UINT || item->type == SUIT_CBOR_TYPE_NEGINT);
}

gboolean
suit_cbor_item_get_int(const SuitCborItem *item, gint64 *value)
{
	if (item == NULL)
		return FALSE;
	if (item->type == SUIT_CBOR_TYPE_UINT) {
		if (item->u64 > (guint64)G_MAXINT64)
			return FALSE;
		if (value != NULL)
			*value = (gint64)item->u64;
		return TRUE;
	}
	if (item->type == SUIT_CBOR_TYPE_NEGINT) {
		if (item->u64 > (guint64)G_MAXINT64)
			return FALSE;
		if (value != NULL)
			*value = -1 - (gint64)item->u64;
		return TRUE;
	}
	return FALSE;
}

gboolean
suit_cbor_item_get_uint(const SuitCborItem *item, guint64 *value)
{
	if (item == NULL || item->type != SUIT_CBOR_TYPE_UINT)
		return FALSE;
	if (value != NULL)
		*value = item->u64;
	return TRUE;
}

gboolean
suit_cbor_item_get_bool(const SuitCborItem *item, gboolean *value)
{
	if (item == NULL)
		return FALSE;
	if (item->type != SUIT_CBOR_TYPE_TRUE && item->type != SUIT_CBOR_TYPE_FALSE)
		return FALSE;
	if (value != NULL)
		*value = item->type == SUIT_CBOR_TYPE_TRUE;
	return TRUE;
}

guint64
suit_cbor_item_get_u64(const SuitCborItem *item)
{
	g_return_val_if_fail(item != NULL, 0);
	return item->u64;
}

GBytes *
suit_cbor_item_get_bytes(const SuitCborItem *item)
{
	if (item == NULL)
		return NULL;
	if (item->type != SUIT_CBOR_TYPE_BYTES && item->type != SUIT_CBOR_TYPE_TEXT)
		return NULL;
	return item->bytes;
}

gchar *
suit_cbor_item_dup_text(const SuitCborItem *item)
{
	const gchar *data;
	gsize len = 0;
	if (item == NULL || item->type != SUIT_CBOR_TYPE_TEXT)
		return NULL;
	data = g_bytes_get_data(item->bytes, &len);
	return g_strndup(data != NULL ? data : "", len);
}

guint
suit_cbor_item_get_length(const SuitCborItem *item)
{
	g_return_val_if_fail(item != NULL, 0);
	if (item->children == NULL)
		return 0;
	if (item->type == SUIT_CBOR_TYPE_MAP)
		return item->children->len / 2;
	return item->children->len;
}

SuitCborItem *
suit_cbor_array_get(const SuitCborItem *item, guint idx)
{
	g_return_val_if_fail(item != NULL, NULL);
	if (item->type != SUIT_CBOR_TYPE_ARRAY && item->type != SUIT_CBOR_TYPE_TAG)
		return NULL;
	if (idx >= item->children->len)
		return NULL;
	return g_ptr_array_index(item->children, idx);
}

SuitCborItem *
suit_cbor_map_get_key(const SuitCborItem *item, guint idx)
{
	g_return_val_if_fail(item != NULL, NULL);
	if (item->type != SUIT_CBOR_TYPE_MAP || idx * 2 >= item->children->len)
		return NULL;
	return g_ptr_array_index(item->children, idx * 2);
}

SuitCborItem *
suit_cbor_map_get_value(const SuitCborItem *item, guint idx)
{
	g_return_val_if_fail(item != NULL, NULL);
	if (item->type != SUIT_CBOR_TYPE_MAP || idx * 2 + 1 >= item->children->len)
		return NULL;
	return g_ptr_array_index(item->children, idx * 2 + 1);
}

SuitCborItem *
suit_cbor_map_lookup_int(const SuitCborItem *map, gint64 key)
{
	if (map == NULL || map->type != SUIT_CBOR_TYPE_MAP)
		return NULL;
	for (guint i = 0; i + 1 < map->children->len; i += 2) {
		gint64 k;
		if (suit_cbor_item_get_int(g_ptr_array_index(map->children, i), &k) && k == key)
			return g_ptr_array_index(map->children, i + 1);
	}
	return NULL;
}

SuitCborItem *
suit_cbor_map_lookup_text(const SuitCborItem *map, const gchar *key)
{
	gsize keylen;
	if (map == NULL || map->type != SUIT_CBOR_TYPE_MAP)
		return NULL;
	keylen = strlen(key);
	for (guint i = 0; i + 1 < map->children->len; i += 2) {
		SuitCborItem *k = g_ptr_array_index(map->children, i);
		gsize len = 0;
		const guint8 *data;
		if (k->type != SUIT_CBOR_TYPE_TEXT)
			continue;
		data = g_bytes_get_data(k->bytes, &len);
		if (len == keylen && (len == 0 || memcmp(data, key, len) == 0))
			return g_ptr_array_index(map->children, i + 1);
	}
	return NULL;
}

SuitCborItem *
suit_cbor_tag_get_content(const SuitCborItem *item)
{
	if (item == NULL || item->type != SUIT_CBOR_TYPE_TAG || item->children->len != 1)
		return NULL;
	return g_ptr_array_index(item->children, 0);
}

GBytes *
suit_cbor_item_get_encoded(SuitCborItem *item)
{
	g_return_val_if_fail(item != NULL, NULL);
	if (item->source != NULL)
		return g_bytes_new_from_bytes(item->source, item->offset, item->length);
	return suit_cbor_encode(item);
}

gsize
suit_cbor_item_get_offset(const SuitCborItem *item)
{
	g_return_val_if_fail(item != NULL, 0);
	return item->offset;
}

gboolean
suit_cbor_item_equal(const SuitCborItem *a, const SuitCborItem *b)
{
	if (a == b)
		return TRUE;
	if (a == NULL || b == NULL || a->type != b->type)
		return FALSE;
	switch (a->type) {
	case SUIT_CBOR_TYPE_UINT:
	case SUIT_CBOR_TYPE_NEGINT:
		return a->u64 == b->u64;
	case SUIT_CBOR_TYPE_BYTES:
	case SUIT_CBOR_TYPE_TEXT:
		return g_bytes_equal(a->bytes, b->bytes);
	case SUIT_CBOR_TYPE_TAG:
		if (a->u64 != b->u64)
			return FALSE;
		/* fall through */
	case SUIT_CBOR_TYPE_ARRAY:
	case SUIT_CBOR_TYPE_MAP:
		if (a->children->len != b->children->len)
			return FALSE;
		for (guint i = 0; i < a->children->len; i++) {
			if (!suit_cbor_item_equal(g_ptr_array_index(a->children, i),
						  g_ptr_array_index(b->children, i)))
				return FALSE;
		}
		return TRUE;
	default:
		return TRUE;
	}
}

/* builders ----------------------------------------------------------------- */

SuitCborItem *
suit_cbor_item_new_uint(guint64 value)
{
	SuitCborItem *item = suit_cbor_item_new(SUIT_CBOR_TYPE_UINT);
	item->u64 = value;
	return item;
}

SuitCborItem *
suit_cbor_item_new_int(gint64 value)
{
	SuitCborItem *item;
	if (value >= 0)
		return suit_cbor_item_new_uint((guint64)value);
	item = suit_cbor_item_new(SUIT_CBOR_TYPE_NEGINT);
	item->u64 = (guint64)(-(value + 1));
	return item;
}

SuitCborItem *
suit_cbor_item_new_negint_raw(guint64 n)
{
	SuitCborItem *item = suit_cbor_item_new(SUIT_CBOR_TYPE_NEGINT);
	item->u64 = n;
	return item;
}

SuitCborItem *
suit_cbor_item_new_bytes(GBytes *bytes)
{
	SuitCborItem *item = suit_cbor_item_new(SUIT_CBOR_TYPE_BYTES);
	item->bytes = g_bytes_ref(bytes);
	return item;
}

SuitCborItem *
suit_cbor_item_new_bytes_data(const guint8 *data, gsize len)
{
	SuitCborItem *item = suit_cbor_item_new(SUIT_CBOR_TYPE_BYTES);
	item->bytes = g_bytes_new(data, len);
	return item;
}

SuitCborItem *
suit_cbor_item_new_text(const gchar *text)
{
	SuitCborItem *item = suit_cbor_item_new(SUIT_CBOR_TYPE_TEXT);
	item->bytes = g_bytes_new(text, strlen(text));
	return item;
}

SuitCborItem *
suit_cbor_item_new_bool(gboolean value)
{
	return suit_cbor_item_new(value ? SUIT_CBOR_TYPE_TRUE : SUIT_CBOR_TYPE_FALSE);
}

SuitCborItem *
suit_cbor_item_new_null(void)
{
	return suit_cbor_item_new(SUIT_CBOR_TYPE_NULL);
}

SuitCborItem *
suit_cbor_item_new_undefined(void)
{
	return suit_cbor_item_new(SUIT_CBOR_TYPE_UNDEFINED);
}

SuitCborItem *
suit_cbor_item_new_array(void)
{
	return suit_cbor_item_new(SUIT_CBOR_TYPE_ARRAY);
}

SuitCborItem *
suit_cbor_item_new_map(void)
{
	return suit_cbor_item_new(SUIT_CBOR_TYPE_MAP);
}

SuitCborItem *
suit_cbor_item_new_tag(guint64 tag, SuitCborItem *content)
{
	SuitCborItem *item = suit_cbor_item_new(SUIT_CBOR_TYPE_TAG);
	item->u64 = tag;
	g_ptr_array_add(item->children, content);
	return item;
}

SuitCborItem *
suit_cbor_item_new_wrapped(SuitCborItem *content)
{
	SuitCborItem *item = suit_cbor_item_new(SUIT_CBOR_TYPE_BYTES);
	item->bytes = suit_cbor_encode(content);
	return item;
}

void
suit_cbor_array_append(SuitCborItem *array, SuitCborItem *value)
{
	g_return_if_fail(array != NULL && array->type == SUIT_CBOR_TYPE_ARRAY);
	g_return_if_fail(value != NULL);
	g_ptr_array_add(array->children, value);
}

void
suit_cbor_map_append(SuitCborItem *map, SuitCborItem *key, SuitCborItem *value)
{
	g_return_if_fail(map != NULL && map->type == SUIT_CBOR_TYPE_MAP);
	g_return_if_fail(key != NULL && value != NULL);
	g_ptr_array_add(map->children, key);
	g_ptr_array_add(map->children, value);
}

typedef struct {
	GBytes *key_encoded;
	SuitCborItem *key;
	SuitCborItem *value;
} SuitCborMapEntry;

static gint
suit_cbor_map_entry_cmp(gconstpointer a, gconstpointer b)
{
	const SuitCborMapEntry *ea = a;
	const SuitCborMapEntry *eb = b;
	gsize la = 0, lb = 0;
	const guint8 *da = g_bytes_get_data(ea->key_encoded, &la);
	const guint8 *db = g_bytes_get_data(eb->key_encoded, &lb);
	gint rc = memcmp(da, db, MIN(la, lb));
	if (rc != 0)
		return rc;
	return la < lb ? -1 : (la > lb ? 1 : 0);
}

void
suit_cbor_map_sort(SuitCborItem *map)
{
	g_autoptr(GArray) entries = NULL;
	guint n;

	g_return_if_fail(map != NULL && map->type == SUIT_CBOR_TYPE_MAP);
	n = map->children->len / 2;
	entries = g_array_sized_new(FALSE, FALSE, sizeof(SuitCborMapEntry), n);
	for (guint i = 0; i < n; i++) {
		SuitCborMapEntry entry = {
		    .key = g_ptr_array_index(map->children, i * 2),
		    .value = g_ptr_array_index(map->children, i * 2 + 1),
		};
		entry.key_encoded = suit_cbor_encode(entry.key);
		g_array_append_val(entries, entry);
	}
	g_array_sort(entries, suit_cbor_map_entry_cmp);
	for (guint i = 0; i < n; i++) {
		SuitCborMapEntry *entry = &g_array_index(entries, SuitCborMapEntry, i);
		map->children->pdata[i * 2] = entry->key;
		map->children->pdata[i * 2 + 1] = entry->value;
		g_bytes_unref(entry->key_encoded);
	}
}

/* encoding ----------------------------------------------------------------- */

gsize
suit_cbor_head_size(guint64 value)
{
	if (value < 24)
		return 1;
	if (value <= G_MAXUINT8)
		return 2;
	if (value <= G_MAXUINT16)
		return 3;
	if (value <= G_MAXUINT32)
		return 5;
	return 9;
}

static void
suit_cbor_write_head(GByteArray *buf, guint8 major, guint64 value)
{
	guint8 head[9];
	gsize n = suit_cbor_head_size(value);
	head[0] = (guint8)(major << 5);
	if (n == 1) {
		head[0] |= (guint8)value;
	} else {
		head[0] |= n == 2 ? 24 : n == 3 ? 25 : n == 5 ? 26 : 27;
		for (gsize i = 1; i < n; i++)
			head[i] = (guint8)(value >> (8 * (n - 1 - i)));
	}
	g_byte_array_append(buf, head, n);
}

/* iterative so that a deep built tree cannot exhaust the stack */
static void
suit_cbor_encode_into(GByteArray *buf, SuitCborItem *root)
{
	g_autoptr(GPtrArray) todo = g_ptr_array_new();
	g_ptr_array_add(todo, root);
	while (todo->len > 0) {
		SuitCborItem *item = g_ptr_array_steal_index(todo, todo->len - 1);
		gsize len = 0;
		const guint8 *data;
		switch (item->type) {
		case SUIT_CBOR_TYPE_UINT:
			suit_cbor_write_head(buf, 0, item->u64);
			break;
		case SUIT_CBOR_TYPE_NEGINT:
			suit_cbor_write_head(buf, 1, item->u64);
			break;
		case SUIT_CBOR_TYPE_BYTES:
		case SUIT_CBOR_TYPE_TEXT:
			data = g_bytes_get_data(item->bytes, &len);
			suit_cbor_write_head(buf, item->type == SUIT_CBOR_TYPE_BYTES ? 2 : 3, len);
			if (len > 0)
				g_byte_array_append(buf, data, len);
			break;
		case SUIT_CBOR_TYPE_ARRAY:
		case SUIT_CBOR_TYPE_MAP:
		case SUIT_CBOR_TYPE_TAG:
			if (item->type == SUIT_CBOR_TYPE_ARRAY)
				suit_cbor_write_head(buf, 4, item->children->len);
			else if (item->type == SUIT_CBOR_TYPE_MAP)
				suit_cbor_write_head(buf, 5, item->children->len / 2);
			else
				suit_cbor_write_head(buf, 6, item->u64);
			for (guint i = item->children->len; i > 0; i--)
				g_ptr_array_add(todo, g_ptr_array_index(item->children, i - 1));
			break;
		case SUIT_CBOR_TYPE_FALSE:
			g_byte_array_append(buf, (const guint8 *)"\xf4", 1);
			break;
		case SUIT_CBOR_TYPE_TRUE:
			g_byte_array_append(buf, (const guint8 *)"\xf5", 1);
			break;
		case SUIT_CBOR_TYPE_NULL:
			g_byte_array_append(buf, (const guint8 *)"\xf6", 1);
			break;
		case SUIT_CBOR_TYPE_UNDEFINED:
		default:
			g_byte_array_append(buf, (const guint8 *)"\xf7", 1);
			break;
		}
	}
}

GBytes *
suit_cbor_encode(SuitCborItem *item)
{
	GByteArray *buf;
	g_return_val_if_fail(item != NULL, NULL);
	buf = g_byte_array_new();
	suit_cbor_encode_into(buf, item);
	return g_byte_array_free_to_bytes(buf);
}

/* diagnostic notation ------------------------------------------------------ */

static void
suit_cbor_diag_into(GString *str, const SuitCborItem *item, guint depth)
{
	const guint8 *data;
	gsize len = 0;

	if (depth > 64) {
		g_string_append(str, "...");
		return;
	}
	switch (item->type) {
	case SUIT_CBOR_TYPE_UINT:
		g_string_append_printf(str, "%" G_GUINT64_FORMAT, item->u64);
		break;
	case SUIT_CBOR_TYPE_NEGINT:
		if (item->u64 == G_MAXUINT64)
			g_string_append(str, "-18446744073709551616");
		else
			g_string_append_printf(str, "-%" G_GUINT64_FORMAT, item->u64 + 1);
		break;
	case SUIT_CBOR_TYPE_BYTES:
		data = g_bytes_get_data(item->bytes, &len);
		g_string_append(str, "h'");
		for (gsize i = 0; i < len; i++)
			g_string_append_printf(str, "%02x", data[i]);
		g_string_append_c(str, '\'');
		break;
	case SUIT_CBOR_TYPE_TEXT: {
		g_autofree gchar *text = suit_cbor_item_dup_text(item);
		g_autofree gchar *escaped = g_strescape(text, NULL);
		g_string_append_printf(str, "\"%s\"", escaped);
		break;
	}
	case SUIT_CBOR_TYPE_ARRAY:
		g_string_append_c(str, '[');
		for (guint i = 0; i < item->children->len; i++) {
			if (i > 0)
				g_string_append(str, ", ");
			suit_cbor_diag_into(str, g_ptr_array_index(item->children, i), depth + 1);
		}
		g_string_append_c(str, ']');
		break;
	case SUIT_CBOR_TYPE_MAP:
		g_string_append_c(str, '{');
		for (guint i = 0; i + 1 < item->children->len; i += 2) {
			if (i > 0)
				g_string_append(str, ", ");
			suit_cbor_diag_into(str, g_ptr_array_index(item->children, i), depth + 1);
			g_string_append(str, ": ");
			suit_cbor_diag_into(str, g_ptr_array_index(item->children, i + 1), depth + 1);
		}
		g_string_append_c(str, '}');
		break;
	case SUIT_CBOR_TYPE_TAG:
		g_string_append_printf(str, "%" G_GUINT64_FORMAT "(", item->u64);
		if (item->children->len == 1)
			suit_cbor_diag_into(str, g_ptr_array_index(item->children, 0), depth + 1);
		g_string_append_c(str, ')');
		break;
	case SUIT_CBOR_TYPE_FALSE:
		g_string_append(str, "false");
		break;
	case SUIT_CBOR_TYPE_TRUE:
		g_string_append(str, "true");
		break;
	case SUIT_CBOR_TYPE_NULL:
		g_string_append(str, "null");
		break;
	case SUIT_CBOR_TYPE_UNDEFINED:
	default:
		g_string_append(str, "undefined");
		break;
	}
}

gchar *
suit_cbor_item_to_diag(const SuitCborItem *item)
{
	GString *str = g_string_new(NULL);
	g_return_val_if_fail(item != NULL, NULL);
	suit_cbor_diag_into(str, item, 0);
	return g_string_free(str, FALSE);
}
