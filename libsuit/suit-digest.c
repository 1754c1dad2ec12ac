/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <string.h>

#include "suit-error.h"
#include "suit-model-private.h"

struct _SuitDigest {
	gint refcount;
	gint algorithm;
	GBytes *value;
};

G_DEFINE_BOXED_TYPE(SuitDigest, suit_digest, suit_digest_ref, suit_digest_unref)

/**
 * suit_digest_new:
 * @algorithm: a COSE hash algorithm id, usually a #SuitDigestAlgorithm
 * @value: the digest bytes
 *
 * Creates a digest from known values. The algorithm is not checked, so that
 * digests with algorithms libsuit cannot compute can still be shown.
 *
 * Returns: (transfer full): a new #SuitDigest
 *
 * Since: 0.1
 */
SuitDigest *
suit_digest_new(gint algorithm, GBytes *value)
{
	SuitDigest *self;
	g_return_val_if_fail(value != NULL, NULL);
	self = g_new0(SuitDigest, 1);
	self->refcount = 1;
	self->algorithm = algorithm;
	self->value = g_bytes_ref(value);
	return self;
}

/**
 * suit_digest_ref:
 * @self: a #SuitDigest
 *
 * Adds a reference.
 *
 * Returns: (transfer full): @self
 *
 * Since: 0.1
 */
SuitDigest *
suit_digest_ref(SuitDigest *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	g_atomic_int_inc(&self->refcount);
	return self;
}

/**
 * suit_digest_unref:
 * @self: (nullable): a #SuitDigest
 *
 * Drops a reference, freeing the digest when it was the last one.
 *
 * Since: 0.1
 */
void
suit_digest_unref(SuitDigest *self)
{
	if (self == NULL)
		return;
	if (!g_atomic_int_dec_and_test(&self->refcount))
		return;
	g_bytes_unref(self->value);
	g_free(self);
}

static gboolean
suit_digest_algorithm_to_gnutls(gint algorithm, gnutls_digest_algorithm_t *out, GError **error)
{
	switch (algorithm) {
	case SUIT_DIGEST_ALGORITHM_SHA256:
		*out = GNUTLS_DIG_SHA256;
		return TRUE;
	case SUIT_DIGEST_ALGORITHM_SHA384:
		*out = GNUTLS_DIG_SHA384;
		return TRUE;
	case SUIT_DIGEST_ALGORITHM_SHA512:
		*out = GNUTLS_DIG_SHA512;
		return TRUE;
	default:
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_UNSUPPORTED_ALGORITHM,
			    "digest algorithm %d is not supported",
			    algorithm);
		return FALSE;
	}
}

/**
 * suit_digest_compute:
 * @algorithm: a #SuitDigestAlgorithm
 * @data: the bytes to hash
 * @error: return location for a #GError, or %NULL
 *
 * Hashes @data.
 *
 * Returns: (transfer full): a new #SuitDigest, or %NULL with
 *   %SUIT_ERROR_UNSUPPORTED_ALGORITHM
 *
 * Since: 0.1
 */
SuitDigest *
suit_digest_compute(SuitDigestAlgorithm algorithm, GBytes *data, GError **error)
{
	gnutls_digest_algorithm_t dig;
	guint8 out[64];
	gsize len = 0;
	const guint8 *buf;
	g_autoptr(GBytes) value = NULL;

	g_return_val_if_fail(data != NULL, NULL);
	if (!suit_digest_algorithm_to_gnutls(algorithm, &dig, error))
		return NULL;
	buf = g_bytes_get_data(data, &len);
	if (gnutls_hash_fast(dig, buf != NULL ? buf : (const guint8 *)"", len, out) < 0) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INTERNAL, "hashing failed");
		return NULL;
	}
	value = g_bytes_new(out, gnutls_hash_get_len(dig));
	return suit_digest_new(algorithm, value);
}

/**
 * suit_digest_new_from_item: (skip)
 */
SuitDigest *
suit_digest_new_from_item(const SuitCborItem *item, GError **error)
{
	SuitCborItem *alg;
	SuitCborItem *value;
	gint64 algorithm;

	if (suit_cbor_item_get_type(item) != SUIT_CBOR_TYPE_ARRAY ||
	    suit_cbor_item_get_length(item) < 2) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "a SUIT_Digest must be an array of an algorithm id and a byte string");
		return NULL;
	}
	alg = suit_cbor_array_get(item, 0);
	value = suit_cbor_array_get(item, 1);
	if (!suit_cbor_item_get_int(alg, &algorithm) || algorithm < G_MININT || algorithm > G_MAXINT) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "the algorithm of a SUIT_Digest must be an integer");
		return NULL;
	}
	if (suit_cbor_item_get_type(value) != SUIT_CBOR_TYPE_BYTES) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "the value of a SUIT_Digest must be a byte string");
		return NULL;
	}
	return suit_digest_new((gint)algorithm, suit_cbor_item_get_bytes(value));
}

/**
 * suit_digest_to_item: (skip)
 */
SuitCborItem *
suit_digest_to_item(const SuitDigest *self)
{
	SuitCborItem *array = suit_cbor_item_new_array();
	suit_cbor_array_append(array, suit_cbor_item_new_int(self->algorithm));
	suit_cbor_array_append(array, suit_cbor_item_new_bytes(self->value));
	return array;
}

/**
 * suit_digest_new_from_cbor:
 * @cbor: an encoded SUIT_Digest, `[algorithm-id, digest-bytes]`
 * @error: return location for a #GError, or %NULL
 *
 * Parses an encoded SUIT_Digest.
 *
 * Returns: (transfer full): a new #SuitDigest, or %NULL with
 *   %SUIT_ERROR_INVALID_CBOR or %SUIT_ERROR_INVALID_DATA
 *
 * Since: 0.1
 */
SuitDigest *
suit_digest_new_from_cbor(GBytes *cbor, GError **error)
{
	g_autoptr(SuitCborItem) item = NULL;
	g_return_val_if_fail(cbor != NULL, NULL);
	item = suit_cbor_decode(cbor, NULL, SUIT_PARSE_FLAG_NONE, error);
	if (item == NULL)
		return NULL;
	return suit_digest_new_from_item(item, error);
}

/**
 * suit_digest_to_cbor:
 * @self: a #SuitDigest
 *
 * Encodes the digest as a SUIT_Digest.
 *
 * Returns: (transfer full): the encoded bytes
 *
 * Since: 0.1
 */
GBytes *
suit_digest_to_cbor(const SuitDigest *self)
{
	g_autoptr(SuitCborItem) item = NULL;
	g_return_val_if_fail(self != NULL, NULL);
	item = suit_digest_to_item(self);
	return suit_cbor_encode(item);
}

/**
 * suit_digest_get_algorithm:
 * @self: a #SuitDigest
 *
 * Gets the COSE algorithm id.
 *
 * Returns: the algorithm id, usually a #SuitDigestAlgorithm
 *
 * Since: 0.1
 */
gint
suit_digest_get_algorithm(const SuitDigest *self)
{
	g_return_val_if_fail(self != NULL, 0);
	return self->algorithm;
}

/**
 * suit_digest_get_value:
 * @self: a #SuitDigest
 *
 * Gets the digest bytes.
 *
 * Returns: (transfer none): the digest bytes
 *
 * Since: 0.1
 */
GBytes *
suit_digest_get_value(const SuitDigest *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return self->value;
}

/**
 * suit_hex_encode: (skip)
 */
gchar *
suit_hex_encode(GBytes *bytes)
{
	static const gchar digits[] = "0123456789abcdef";
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(bytes, &len);
	gchar *out = g_new(gchar, len * 2 + 1);
	for (gsize i = 0; i < len; i++) {
		out[i * 2] = digits[data[i] >> 4];
		out[i * 2 + 1] = digits[data[i] & 0x0f];
	}
	out[len * 2] = '\0';
	return out;
}

/**
 * suit_hex_decode: (skip)
 */
GBytes *
suit_hex_decode(const gchar *hex, GError **error)
{
	gsize len = strlen(hex);
	g_autofree guint8 *out = NULL;

	if (len % 2 != 0) {
		g_set_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "hex string has an odd length: %s", hex);
		return NULL;
	}
	out = g_malloc(len / 2 + 1);
	for (gsize i = 0; i < len / 2; i++) {
		gint hi = g_ascii_xdigit_value(hex[i * 2]);
		gint lo = g_ascii_xdigit_value(hex[i * 2 + 1]);
		if (hi < 0 || lo < 0) {
			g_set_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "invalid hex string: %s", hex);
			return NULL;
		}
		out[i] = (guint8)((hi << 4) | lo);
	}
	return g_bytes_new_take(g_steal_pointer(&out), len / 2);
}

/**
 * suit_digest_to_hex:
 * @self: a #SuitDigest
 *
 * Formats the digest bytes as lower case hex.
 *
 * Returns: (transfer full): a new string
 *
 * Since: 0.1
 */
gchar *
suit_digest_to_hex(const SuitDigest *self)
{
	g_return_val_if_fail(self != NULL, NULL);
	return suit_hex_encode(self->value);
}

/**
 * suit_memeq_const_time: (skip)
 */
gboolean
suit_memeq_const_time(const guint8 *a, const guint8 *b, gsize len)
{
	volatile guint8 diff = 0;
	for (gsize i = 0; i < len; i++)
		diff |= a[i] ^ b[i];
	return diff == 0;
}

/**
 * suit_digest_equal:
 * @a: a #SuitDigest
 * @b: a #SuitDigest
 *
 * Compares two digests; the bytes are compared in constant time.
 *
 * Returns: %TRUE if algorithm and bytes are the same
 *
 * Since: 0.1
 */
gboolean
suit_digest_equal(const SuitDigest *a, const SuitDigest *b)
{
	gsize la = 0, lb = 0;
	const guint8 *da;
	const guint8 *db;
	g_return_val_if_fail(a != NULL && b != NULL, FALSE);
	if (a->algorithm != b->algorithm)
		return FALSE;
	da = g_bytes_get_data(a->value, &la);
	db = g_bytes_get_data(b->value, &lb);
	if (la != lb)
		return FALSE;
	return la == 0 || suit_memeq_const_time(da, db, la);
}

/**
 * suit_digest_check:
 * @self: the expected #SuitDigest
 * @data: the bytes it should cover
 * @error: return location for a #GError, or %NULL
 *
 * Hashes @data with the algorithm of @self and compares in constant time.
 *
 * Returns: %TRUE if @data matches, %FALSE with %SUIT_ERROR_DIGEST_MISMATCH or
 *   %SUIT_ERROR_UNSUPPORTED_ALGORITHM otherwise
 *
 * Since: 0.1
 */
gboolean
suit_digest_check(const SuitDigest *self, GBytes *data, GError **error)
{
	g_autoptr(SuitDigest) actual = NULL;
	g_return_val_if_fail(self != NULL, FALSE);
	g_return_val_if_fail(data != NULL, FALSE);
	actual = suit_digest_compute((SuitDigestAlgorithm)self->algorithm, data, error);
	if (actual == NULL)
		return FALSE;
	if (!suit_digest_equal(self, actual)) {
		g_autofree gchar *want = suit_digest_to_hex(self);
		g_autofree gchar *got = suit_digest_to_hex(actual);
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_DIGEST_MISMATCH,
			    "digest mismatch: expected %s, got %s",
			    want,
			    got);
		return FALSE;
	}
	return TRUE;
}

/**
 * suit_digest_algorithm_to_string:
 * @algorithm: a COSE hash algorithm id
 *
 * Names a digest algorithm, e.g. `sha-256`.
 *
 * Returns: (nullable): a static string, or %NULL if unknown
 *
 * Since: 0.1
 */
const gchar *
suit_digest_algorithm_to_string(gint algorithm)
{
	switch (algorithm) {
	case SUIT_DIGEST_ALGORITHM_SHA256:
		return "sha-256";
	case SUIT_DIGEST_ALGORITHM_SHA384:
		return "sha-384";
	case SUIT_DIGEST_ALGORITHM_SHA512:
		return "sha-512";
	case -18:
		return "shake128";
	case -45:
		return "shake256";
	default:
		return NULL;
	}
}

/**
 * suit_digest_algorithm_from_string:
 * @name: a name such as `sha-256` (also `sha256`)
 *
 * Looks up a digest algorithm by name.
 *
 * Returns: the COSE algorithm id, or 0 if unknown
 *
 * Since: 0.1
 */
gint
suit_digest_algorithm_from_string(const gchar *name)
{
	g_return_val_if_fail(name != NULL, 0);
	if (g_ascii_strcasecmp(name, "sha-256") == 0 || g_ascii_strcasecmp(name, "sha256") == 0)
		return SUIT_DIGEST_ALGORITHM_SHA256;
	if (g_ascii_strcasecmp(name, "sha-384") == 0 || g_ascii_strcasecmp(name, "sha384") == 0)
		return SUIT_DIGEST_ALGORITHM_SHA384;
	if (g_ascii_strcasecmp(name, "sha-512") == 0 || g_ascii_strcasecmp(name, "sha512") == 0)
		return SUIT_DIGEST_ALGORITHM_SHA512;
	return 0;
}
