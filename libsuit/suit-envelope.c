/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "suit-cose-private.h"
#include "suit-envelope.h"
#include "suit-error.h"
#include "suit-manifest-private.h"
#include "suit-model-private.h"

/**
 * SuitEnvelope:
 *
 * A SUIT envelope: the authentication wrapper, the bstr-wrapped manifest,
 * severed manifest members and integrated payloads.
 *
 * Parsing an envelope checks only its outer structure. Nothing inside the
 * manifest is decoded until suit_envelope_verify() has checked an
 * authentication block against a trusted key and the manifest digest; only
 * then does suit_envelope_get_manifest() hand out the manifest.
 * suit_envelope_peek_manifest() exists for inspection tools, and says so in
 * its name.
 *
 * An envelope that was parsed serializes back to the same bytes; one that
 * was built (from JSON or a manifest) serializes in RFC 8949 deterministic
 * order.
 *
 * See also: [class@Manifest], [class@Keyring]
 */

typedef struct {
	SuitCborItem *key;   /* UINT, NEGINT or TEXT */
	SuitCborItem *value; /* BYTES for every member libsuit understands */
} SuitEnvelopeEntry;

struct _SuitEnvelope {
	GObject parent_instance;
	gboolean tagged;
	gboolean built; /* not parsed: serialize in deterministic order */
	GArray *entries; /* (element-type SuitEnvelopeEntry): every member but 2 and 3 */
	SuitCborItem *manifest_bstr; /* envelope key 3, encoded span includes the bstr head */
	gboolean has_auth_wrapper;
	GBytes *digest_cbor;  /* (nullable): content of element 0 of the auth wrapper */
	SuitDigest *digest;   /* (nullable): the parsed SUIT_Digest */
	GPtrArray *auth_blocks; /* (element-type GBytes): COSE structures */
	SuitManifest *manifest; /* (nullable): parsed on verify or peek */
	gboolean verified;
};

G_DEFINE_TYPE(SuitEnvelope, suit_envelope, G_TYPE_OBJECT)

static const gint64 suit_envelope_member_keys[] = {14, 15, 16, 18, 20, 23};

static void
suit_envelope_entry_clear(SuitEnvelopeEntry *entry)
{
	g_clear_pointer(&entry->key, suit_cbor_item_unref);
	g_clear_pointer(&entry->value, suit_cbor_item_unref);
}

static void
suit_envelope_finalize(GObject *object)
{
	SuitEnvelope *self = SUIT_ENVELOPE(object);
	g_array_unref(self->entries);
	g_clear_pointer(&self->manifest_bstr, suit_cbor_item_unref);
	g_clear_pointer(&self->digest_cbor, g_bytes_unref);
	g_clear_pointer(&self->digest, suit_digest_unref);
	g_ptr_array_unref(self->auth_blocks);
	G_OBJECT_CLASS(suit_envelope_parent_class)->finalize(object);
}

static void
suit_envelope_dispose(GObject *object)
{
	SuitEnvelope *self = SUIT_ENVELOPE(object);
	g_clear_object(&self->manifest);
	G_OBJECT_CLASS(suit_envelope_parent_class)->dispose(object);
}

static void
suit_envelope_class_init(SuitEnvelopeClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->finalize = suit_envelope_finalize;
	object_class->dispose = suit_envelope_dispose;
}

static void
suit_envelope_init(SuitEnvelope *self)
{
	self->tagged = TRUE;
	self->entries = g_array_new(FALSE, TRUE, sizeof(SuitEnvelopeEntry));
	g_array_set_clear_func(self->entries, (GDestroyNotify)suit_envelope_entry_clear);
	self->auth_blocks = g_ptr_array_new_with_free_func((GDestroyNotify)g_bytes_unref);
}

/* entries ------------------------------------------------------------------ */

static gint
suit_envelope_find_int(SuitEnvelope *self, gint64 key)
{
	for (guint i = 0; i < self->entries->len; i++) {
		SuitEnvelopeEntry *entry = &g_array_index(self->entries, SuitEnvelopeEntry, i);
		gint64 k;
		if (suit_cbor_item_get_int(entry->key, &k) && k == key)
			return (gint)i;
	}
	return -1;
}

static gint
suit_envelope_find_text(SuitEnvelope *self, const gchar *name)
{
	for (guint i = 0; i < self->entries->len; i++) {
		SuitEnvelopeEntry *entry = &g_array_index(self->entries, SuitEnvelopeEntry, i);
		g_autofree gchar *text = suit_cbor_item_dup_text(entry->key);
		if (text != NULL && g_strcmp0(text, name) == 0)
			return (gint)i;
	}
	return -1;
}

/* takes ownership of @key and @value; replaces an entry with the same key */
static void
suit_envelope_put(SuitEnvelope *self, SuitCborItem *key, SuitCborItem *value)
{
	SuitEnvelopeEntry entry = {.key = key, .value = value};
	for (guint i = 0; i < self->entries->len; i++) {
		SuitEnvelopeEntry *old = &g_array_index(self->entries, SuitEnvelopeEntry, i);
		if (suit_cbor_item_equal(old->key, key)) {
			suit_envelope_entry_clear(old);
			*old = entry;
			return;
		}
	}
	g_array_append_val(self->entries, entry);
}

/* parsing ------------------------------------------------------------------ */

static gboolean
suit_envelope_parse_auth_wrapper(SuitEnvelope *self, SuitCborItem *value, GError **error)
{
	g_autoptr(SuitCborItem) wrapper = NULL;
	SuitCborItem *digest_bstr;
	g_autoptr(SuitCborItem) digest_item = NULL;

	if (suit_cbor_item_get_type(value) != SUIT_CBOR_TYPE_BYTES) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "the authentication wrapper must be a byte string");
		return FALSE;
	}
	wrapper = suit_cbor_item_decode_wrapped(value, NULL, SUIT_PARSE_FLAG_NONE, error);
	if (wrapper == NULL) {
		g_prefix_error(error, "authentication wrapper: ");
		return FALSE;
	}
	if (suit_cbor_item_get_type(wrapper) != SUIT_CBOR_TYPE_ARRAY ||
	    suit_cbor_item_get_length(wrapper) < 1) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "the authentication wrapper must be an array starting with the SUIT_Digest");
		return FALSE;
	}
	digest_bstr = suit_cbor_array_get(wrapper, 0);
	if (suit_cbor_item_get_type(digest_bstr) != SUIT_CBOR_TYPE_BYTES) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "the SUIT_Digest of the authentication wrapper must be bstr-wrapped");
		return FALSE;
	}
	digest_item = suit_cbor_item_decode_wrapped(digest_bstr, NULL, SUIT_PARSE_FLAG_NONE, error);
	if (digest_item == NULL) {
		g_prefix_error(error, "manifest digest: ");
		return FALSE;
	}
	self->digest = suit_digest_new_from_item(digest_item, error);
	if (self->digest == NULL)
		return FALSE;
	self->digest_cbor = g_bytes_ref(suit_cbor_item_get_bytes(digest_bstr));
	for (guint i = 1; i < suit_cbor_item_get_length(wrapper); i++) {
		SuitCborItem *block = suit_cbor_array_get(wrapper, i);
		if (suit_cbor_item_get_type(block) != SUIT_CBOR_TYPE_BYTES) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "authentication block %u must be a byte string",
				    i);
			return FALSE;
		}
		g_ptr_array_add(self->auth_blocks, g_bytes_ref(suit_cbor_item_get_bytes(block)));
	}
	self->has_auth_wrapper = TRUE;
	return TRUE;
}

/**
 * suit_envelope_new_from_bytes:
 * @blob: an encoded SUIT envelope, with or without tag 107
 * @flags: #SuitParseFlags
 * @error: return location for a #GError, or %NULL
 *
 * Parses the outer structure of an envelope: the authentication wrapper, the
 * manifest byte string, severed members and integrated payloads. The
 * manifest itself is not decoded here; call suit_envelope_verify() first.
 *
 * Returns: (transfer full): a new #SuitEnvelope, or %NULL with
 *   %SUIT_ERROR_INVALID_CBOR, %SUIT_ERROR_LIMIT_EXCEEDED or
 *   %SUIT_ERROR_INVALID_DATA
 *
 * Since: 0.1
 */
SuitEnvelope *
suit_envelope_new_from_bytes(GBytes *blob, SuitParseFlags flags, GError **error)
{
	g_autoptr(SuitEnvelope) self = g_object_new(SUIT_TYPE_ENVELOPE, NULL);
	g_autoptr(SuitCborItem) root = NULL;
	SuitCborItem *map;

	g_return_val_if_fail(blob != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	/* duplicate keys are never accepted in an envelope */
	root = suit_cbor_decode(blob, NULL, flags & ~SUIT_PARSE_FLAG_ALLOW_DUPLICATE_KEYS, error);
	if (root == NULL) {
		g_prefix_error(error, "envelope: ");
		return NULL;
	}
	map = root;
	self->tagged = FALSE;
	if (suit_cbor_item_get_type(root) == SUIT_CBOR_TYPE_TAG) {
		if (suit_cbor_item_get_u64(root) != SUIT_ENVELOPE_TAG) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "envelope has tag %" G_GUINT64_FORMAT ", expected 107",
				    suit_cbor_item_get_u64(root));
			return NULL;
		}
		map = suit_cbor_tag_get_content(root);
		self->tagged = TRUE;
	}
	if (suit_cbor_item_get_type(map) != SUIT_CBOR_TYPE_MAP) {
		suit_cbor_set_type_error(error, map, "envelope must be a map");
		return NULL;
	}

	for (guint i = 0; i < suit_cbor_item_get_length(map); i++) {
		SuitCborItem *key = suit_cbor_map_get_key(map, i);
		SuitCborItem *value = suit_cbor_map_get_value(map, i);
		gint64 k;

		if (suit_cbor_item_get_type(key) == SUIT_CBOR_TYPE_TEXT) {
			if (suit_cbor_item_get_type(value) != SUIT_CBOR_TYPE_BYTES) {
				g_autofree gchar *name = suit_cbor_item_dup_text(key);
				g_set_error(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_DATA,
					    "integrated payload '%s' must be a byte string",
					    name);
				return NULL;
			}
			suit_envelope_put(self, suit_cbor_item_ref(key), suit_cbor_item_ref(value));
			continue;
		}
		if (!suit_cbor_item_get_int(key, &k)) {
			suit_cbor_set_type_error(error, key, "envelope keys must be integers or text");
			return NULL;
		}
		if (k == SUIT_ENVELOPE_KEY_AUTH) {
			if (!suit_envelope_parse_auth_wrapper(self, value, error))
				return NULL;
		} else if (k == SUIT_ENVELOPE_KEY_MANIFEST) {
			if (suit_cbor_item_get_type(value) != SUIT_CBOR_TYPE_BYTES) {
				g_set_error_literal(error,
						    SUIT_ERROR,
						    SUIT_ERROR_INVALID_DATA,
						    "the manifest must be a byte string");
				return NULL;
			}
			self->manifest_bstr = suit_cbor_item_ref(value);
		} else {
			if (suit_manifest_key_is_severable(k) &&
			    suit_cbor_item_get_type(value) != SUIT_CBOR_TYPE_BYTES) {
				g_set_error(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_DATA,
					    "severed member %s must be a byte string",
					    suit_manifest_member_to_string(k));
				return NULL;
			}
			suit_envelope_put(self, suit_cbor_item_ref(key), suit_cbor_item_ref(value));
		}
	}
	if (self->manifest_bstr == NULL) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "envelope has no manifest");
		return NULL;
	}
	return g_steal_pointer(&self);
}

/* manifest ------------------------------------------------------------------ */

static GBytes *
suit_envelope_manifest_encoded(SuitEnvelope *self)
{
	return suit_cbor_item_get_encoded(self->manifest_bstr);
}

/*
 * Decodes the manifest and attaches every severed member the envelope carries
 * whose digest matches. A carried member that does not match fails with
 * digest-mismatch; one the manifest has no digest for is invalid-data.
 */
static SuitManifest *
suit_envelope_parse_manifest(SuitEnvelope *self, GError **error)
{
	g_autoptr(SuitCborItem) item = NULL;
	g_autoptr(SuitManifest) manifest = NULL;

	item = suit_cbor_item_decode_wrapped(self->manifest_bstr, NULL, SUIT_PARSE_FLAG_NONE, error);
	if (item == NULL) {
		g_prefix_error(error, "manifest: ");
		return NULL;
	}
	manifest = suit_manifest_new_from_item(item, SUIT_PARSE_FLAG_NONE, error);
	if (manifest == NULL)
		return NULL;
	for (guint i = 0; i < G_N_ELEMENTS(suit_envelope_member_keys); i++) {
		gint64 key = suit_envelope_member_keys[i];
		gint idx = suit_envelope_find_int(self, key);
		SuitEnvelopeEntry *entry;
		SuitDigest *expected;
		g_autoptr(GBytes) encoded = NULL;

		if (idx < 0)
			continue;
		entry = &g_array_index(self->entries, SuitEnvelopeEntry, idx);
		expected = suit_manifest_get_member_digest(manifest, key);
		if (expected == NULL) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "the envelope carries %s but the manifest has no digest for it",
				    suit_manifest_member_to_string(key));
			return NULL;
		}
		/* the digest covers the encoded byte string, head included */
		encoded = suit_cbor_item_get_encoded(entry->value);
		if (!suit_digest_check(expected, encoded, error)) {
			g_prefix_error(error, "severed %s: ", suit_manifest_member_to_string(key));
			return NULL;
		}
		if (!suit_manifest_attach_member(manifest, key, entry->value, error)) {
			g_prefix_error(error, "severed %s: ", suit_manifest_member_to_string(key));
			return NULL;
		}
	}
	return g_steal_pointer(&manifest);
}

/**
 * suit_envelope_verify:
 * @self: a #SuitEnvelope
 * @keyring: the trusted authors' keys
 * @flags: #SuitVerifyFlags
 * @error: return location for a #GError, or %NULL
 *
 * Verifies the envelope, in the order SUIT requires: the authentication
 * blocks first (at least one, or with %SUIT_VERIFY_FLAG_REQUIRE_ALL every
 * one, must verify with a key of @keyring), then the SUIT_Digest against the
 * bstr-wrapped manifest, then the manifest version and structure, then every
 * severed member the envelope carries against its digest in the manifest.
 *
 * Returns: %TRUE if the envelope is authentic, %FALSE with
 *   %SUIT_ERROR_NO_AUTHENTICATION, %SUIT_ERROR_SIGNATURE_INVALID,
 *   %SUIT_ERROR_UNSUPPORTED_ALGORITHM, %SUIT_ERROR_DIGEST_MISMATCH,
 *   %SUIT_ERROR_UNSUPPORTED_VERSION, %SUIT_ERROR_INVALID_CBOR or
 *   %SUIT_ERROR_INVALID_DATA
 *
 * Since: 0.1
 */
gboolean
suit_envelope_verify(SuitEnvelope *self, SuitKeyring *keyring, SuitVerifyFlags flags, GError **error)
{
	g_autoptr(GError) first_error = NULL;
	g_autoptr(GBytes) manifest_encoded = NULL;
	g_autoptr(SuitManifest) manifest = NULL;
	guint n_verified = 0;

	g_return_val_if_fail(SUIT_IS_ENVELOPE(self), FALSE);
	g_return_val_if_fail(SUIT_IS_KEYRING(keyring), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	self->verified = FALSE;
	if (!self->has_auth_wrapper || self->auth_blocks->len == 0) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_NO_AUTHENTICATION,
				    "the envelope has no authentication block");
		return FALSE;
	}
	if (suit_keyring_get_size(keyring) == 0) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_NO_AUTHENTICATION,
				    "no trusted key to verify the envelope with");
		return FALSE;
	}

	/* 1. authentication blocks, over the bstr-wrapped SUIT_Digest */
	for (guint i = 0; i < self->auth_blocks->len; i++) {
		g_autoptr(GError) error_local = NULL;
		if (suit_cose_verify(g_ptr_array_index(self->auth_blocks, i),
				     self->digest_cbor,
				     keyring,
				     NULL,
				     &error_local)) {
			n_verified++;
			continue;
		}
		g_prefix_error(&error_local, "authentication block %u: ", i + 1);
		if (flags & SUIT_VERIFY_FLAG_REQUIRE_ALL) {
			g_propagate_error(error, g_steal_pointer(&error_local));
			return FALSE;
		}
		if (first_error == NULL)
			first_error = g_steal_pointer(&error_local);
	}
	if (n_verified == 0) {
		g_propagate_error(error, g_steal_pointer(&first_error));
		return FALSE;
	}

	/* 2. the digest of the manifest, bstr head included */
	manifest_encoded = suit_envelope_manifest_encoded(self);
	if (!suit_digest_check(self->digest, manifest_encoded, error)) {
		g_prefix_error(error, "manifest: ");
		return FALSE;
	}

	/* 3. only now decode what the signature covers, then severed members */
	manifest = suit_envelope_parse_manifest(self, error);
	if (manifest == NULL)
		return FALSE;
	g_set_object(&self->manifest, manifest);
	self->verified = TRUE;
	return TRUE;
}

/**
 * suit_envelope_is_verified:
 * @self: a #SuitEnvelope
 *
 * Tells whether suit_envelope_verify() succeeded and nothing changed since.
 *
 * Returns: %TRUE if verified
 *
 * Since: 0.1
 */
gboolean
suit_envelope_is_verified(SuitEnvelope *self)
{
	g_return_val_if_fail(SUIT_IS_ENVELOPE(self), FALSE);
	return self->verified;
}

/**
 * suit_envelope_get_manifest:
 * @self: a #SuitEnvelope
 * @error: return location for a #GError, or %NULL
 *
 * Gets the manifest of a verified envelope.
 *
 * Returns: (transfer none): the #SuitManifest, or %NULL with
 *   %SUIT_ERROR_NO_AUTHENTICATION if the envelope was not verified
 *
 * Since: 0.1
 */
SuitManifest *
suit_envelope_get_manifest(SuitEnvelope *self, GError **error)
{
	g_return_val_if_fail(SUIT_IS_ENVELOPE(self), NULL);
	if (!self->verified) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_NO_AUTHENTICATION,
				    "the envelope has not been verified");
		return NULL;
	}
	return self->manifest;
}

/**
 * suit_envelope_peek_manifest:
 * @self: a #SuitEnvelope
 * @error: return location for a #GError, or %NULL
 *
 * Decodes the manifest *without* verifying the envelope, for inspection
 * tools. Nothing it returns may be trusted; use suit_envelope_get_manifest()
 * for anything that acts on the manifest. Severed members are attached only
 * when their digests match.
 *
 * Returns: (transfer none): the #SuitManifest, or %NULL on error
 *
 * Since: 0.1
 */
SuitManifest *
suit_envelope_peek_manifest(SuitEnvelope *self, GError **error)
{
	g_autoptr(SuitManifest) manifest = NULL;
	g_return_val_if_fail(SUIT_IS_ENVELOPE(self), NULL);
	if (self->manifest != NULL)
		return self->manifest;
	manifest = suit_envelope_parse_manifest(self, error);
	if (manifest == NULL)
		return NULL;
	self->manifest = g_steal_pointer(&manifest);
	return self->manifest;
}

/**
 * suit_envelope_get_manifest_digest:
 * @self: a #SuitEnvelope
 *
 * Gets the SUIT_Digest of the authentication wrapper, i.e. the digest the
 * authors signed. It is only known to match the manifest after
 * suit_envelope_verify().
 *
 * Returns: (transfer none) (nullable): the digest, or %NULL if the envelope has
 *   no authentication wrapper yet
 *
 * Since: 0.1
 */
SuitDigest *
suit_envelope_get_manifest_digest(SuitEnvelope *self)
{
	g_return_val_if_fail(SUIT_IS_ENVELOPE(self), NULL);
	return self->digest;
}

/**
 * suit_envelope_get_manifest_bytes:
 * @self: a #SuitEnvelope
 *
 * Gets the encoded manifest (the content of envelope key 3, without its
 * bstr head).
 *
 * Returns: (transfer none): the manifest bytes
 *
 * Since: 0.1
 */
GBytes *
suit_envelope_get_manifest_bytes(SuitEnvelope *self)
{
	g_return_val_if_fail(SUIT_IS_ENVELOPE(self), NULL);
	return suit_cbor_item_get_bytes(self->manifest_bstr);
}

/**
 * suit_envelope_get_n_authentication_blocks:
 * @self: a #SuitEnvelope
 *
 * Counts the COSE authentication blocks.
 *
 * Returns: the number of blocks
 *
 * Since: 0.1
 */
guint
suit_envelope_get_n_authentication_blocks(SuitEnvelope *self)
{
	g_return_val_if_fail(SUIT_IS_ENVELOPE(self), 0);
	return self->auth_blocks->len;
}

/**
 * suit_envelope_get_authentication_block:
 * @self: a #SuitEnvelope
 * @idx: the index of the block
 *
 * Gets one encoded COSE authentication block.
 *
 * Returns: (transfer none) (nullable): the block, or %NULL if out of range
 *
 * Since: 0.1
 */
GBytes *
suit_envelope_get_authentication_block(SuitEnvelope *self, guint idx)
{
	g_return_val_if_fail(SUIT_IS_ENVELOPE(self), NULL);
	if (idx >= self->auth_blocks->len)
		return NULL;
	return g_ptr_array_index(self->auth_blocks, idx);
}

/**
 * suit_envelope_get_tagged:
 * @self: a #SuitEnvelope
 *
 * Tells whether the envelope is (or will be serialized) with CBOR tag 107.
 *
 * Returns: %TRUE if tagged
 *
 * Since: 0.1
 */
gboolean
suit_envelope_get_tagged(SuitEnvelope *self)
{
	g_return_val_if_fail(SUIT_IS_ENVELOPE(self), FALSE);
	return self->tagged;
}

/**
 * suit_envelope_set_tagged:
 * @self: a #SuitEnvelope
 * @tagged: whether to write CBOR tag 107
 *
 * Chooses whether suit_envelope_to_bytes() writes tag 107. The tag is not
 * covered by any signature.
 *
 * Since: 0.1
 */
void
suit_envelope_set_tagged(SuitEnvelope *self, gboolean tagged)
{
	g_return_if_fail(SUIT_IS_ENVELOPE(self));
	self->tagged = tagged;
}

/**
 * suit_envelope_get_member:
 * @self: a #SuitEnvelope
 * @key: an envelope key, e.g. 20 for a severed suit-install
 *
 * Gets the content of a byte-string member the envelope carries besides the
 * authentication wrapper and the manifest.
 *
 * Returns: (transfer none) (nullable): the bytes, or %NULL if absent
 *
 * Since: 0.1
 */
GBytes *
suit_envelope_get_member(SuitEnvelope *self, gint64 key)
{
	gint idx;
	g_return_val_if_fail(SUIT_IS_ENVELOPE(self), NULL);
	if (key == SUIT_ENVELOPE_KEY_MANIFEST)
		return suit_envelope_get_manifest_bytes(self);
	idx = suit_envelope_find_int(self, key);
	if (idx < 0)
		return NULL;
	return suit_cbor_item_get_bytes(g_array_index(self->entries, SuitEnvelopeEntry, idx).value);
}

/**
 * suit_envelope_get_integrated_names:
 * @self: a #SuitEnvelope
 *
 * Lists the names of the integrated payloads (text keys such as `#tc`).
 *
 * Returns: (transfer full) (element-type utf8): the names, in envelope order
 *
 * Since: 0.1
 */
GPtrArray *
suit_envelope_get_integrated_names(SuitEnvelope *self)
{
	GPtrArray *names = g_ptr_array_new_with_free_func(g_free);
	g_return_val_if_fail(SUIT_IS_ENVELOPE(self), names);
	for (guint i = 0; i < self->entries->len; i++) {
		SuitEnvelopeEntry *entry = &g_array_index(self->entries, SuitEnvelopeEntry, i);
		gchar *text = suit_cbor_item_dup_text(entry->key);
		if (text != NULL)
			g_ptr_array_add(names, text);
	}
	return names;
}

/**
 * suit_envelope_get_integrated:
 * @self: a #SuitEnvelope
 * @name: the envelope key of the payload, e.g. `#tc`
 *
 * Gets an integrated payload or integrated dependency.
 *
 * Returns: (transfer none) (nullable): the bytes, or %NULL if absent
 *
 * Since: 0.1
 */
GBytes *
suit_envelope_get_integrated(SuitEnvelope *self, const gchar *name)
{
	gint idx;
	g_return_val_if_fail(SUIT_IS_ENVELOPE(self), NULL);
	g_return_val_if_fail(name != NULL, NULL);
	idx = suit_envelope_find_text(self, name);
	if (idx < 0)
		return NULL;
	return suit_cbor_item_get_bytes(g_array_index(self->entries, SuitEnvelopeEntry, idx).value);
}

/**
 * suit_envelope_set_integrated:
 * @self: a #SuitEnvelope
 * @name: the envelope key, e.g. `#firmware`; the manifest refers to it by a
 *   URI of the same text
 * @data: (nullable): the payload, or %NULL to remove it
 *
 * Adds, replaces or removes an integrated payload. Integrated payloads are
 * not covered by the signature; the manifest's image digest protects them.
 *
 * Since: 0.1
 */
void
suit_envelope_set_integrated(SuitEnvelope *self, const gchar *name, GBytes *data)
{
	gint idx;
	g_return_if_fail(SUIT_IS_ENVELOPE(self));
	g_return_if_fail(name != NULL);
	if (data == NULL) {
		idx = suit_envelope_find_text(self, name);
		if (idx >= 0)
			g_array_remove_index(self->entries, idx);
		return;
	}
	suit_envelope_put(self, suit_cbor_item_new_text(name), suit_cbor_item_new_bytes(data));
}

/* authoring ----------------------------------------------------------------- */

static SuitEnvelope *
suit_envelope_new_built(SuitCborItem *manifest_item)
{
	SuitEnvelope *self = g_object_new(SUIT_TYPE_ENVELOPE, NULL);
	self->built = TRUE;
	self->manifest_bstr = suit_cbor_item_new_wrapped(manifest_item);
	return self;
}

/**
 * suit_envelope_new_for_manifest:
 * @manifest: a #SuitManifest
 * @error: return location for a #GError, or %NULL
 *
 * Creates an unsigned envelope around @manifest. Severed members that the
 * manifest carries (as made by an author) go into the envelope. Sign it with
 * suit_envelope_sign().
 *
 * Returns: (transfer full): a new #SuitEnvelope, or %NULL on error
 *
 * Since: 0.1
 */
SuitEnvelope *
suit_envelope_new_for_manifest(SuitManifest *manifest, GError **error)
{
	g_autoptr(SuitCborItem) item = NULL;
	g_autoptr(SuitEnvelope) self = NULL;

	g_return_val_if_fail(SUIT_IS_MANIFEST(manifest), NULL);
	item = suit_manifest_to_item(manifest);
	self = suit_envelope_new_built(item);
	for (guint i = 0; i < G_N_ELEMENTS(suit_envelope_member_keys); i++) {
		gint64 key = suit_envelope_member_keys[i];
		SuitCborItem *bstr = suit_manifest_dup_member_bstr(manifest, key);
		if (bstr != NULL)
			suit_envelope_put(self, suit_cbor_item_new_int(key), bstr);
	}
	return g_steal_pointer(&self);
}

static gboolean
suit_envelope_ensure_digest(SuitEnvelope *self, GError **error)
{
	g_autoptr(GBytes) encoded = suit_envelope_manifest_encoded(self);
	g_autoptr(SuitDigest) digest = NULL;

	if (self->digest != NULL) {
		/* a signer checks what it signs: never sign a digest that does not match */
		if (!suit_digest_check(self->digest, encoded, error)) {
			g_prefix_error(error, "refusing to sign: ");
			return FALSE;
		}
		return TRUE;
	}
	digest = suit_digest_compute(SUIT_DIGEST_ALGORITHM_SHA256, encoded, error);
	if (digest == NULL)
		return FALSE;
	self->digest_cbor = suit_digest_to_cbor(digest);
	self->digest = g_steal_pointer(&digest);
	self->has_auth_wrapper = TRUE;
	return TRUE;
}

/**
 * suit_envelope_sign:
 * @self: a #SuitEnvelope
 * @key: a private #SuitKey (or a symmetric key for a COSE_Mac0)
 * @algorithm: the COSE algorithm, or %SUIT_COSE_ALGORITHM_NONE for the key's default
 * @key_id: (nullable): a key id to put in the unprotected header, or %NULL for none
 * @error: return location for a #GError, or %NULL
 *
 * Adds an authentication block: a COSE_Sign1 (or COSE_Mac0 for symmetric
 * keys) with a detached payload over the bstr-wrapped SUIT_Digest. When the
 * envelope has no digest yet, a SHA-256 digest of the manifest is made
 * first; an existing digest is checked against the manifest before signing.
 *
 * Returns: %TRUE on success
 *
 * Since: 0.1
 */
gboolean
suit_envelope_sign(SuitEnvelope *self,
		   SuitKey *key,
		   SuitCoseAlgorithm algorithm,
		   GBytes *key_id,
		   GError **error)
{
	g_autoptr(GBytes) block = NULL;

	g_return_val_if_fail(SUIT_IS_ENVELOPE(self), FALSE);
	g_return_val_if_fail(SUIT_IS_KEY(key), FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (algorithm == SUIT_COSE_ALGORITHM_NONE)
		algorithm = suit_key_get_default_algorithm(key);
	if (!suit_envelope_ensure_digest(self, error))
		return FALSE;
	block = suit_cose_sign(self->digest_cbor, key, algorithm, key_id, FALSE, error);
	if (block == NULL)
		return FALSE;
	g_ptr_array_add(self->auth_blocks, g_steal_pointer(&block));
	self->verified = FALSE;
	return TRUE;
}

/**
 * suit_envelope_clear_authentication:
 * @self: a #SuitEnvelope
 *
 * Removes every authentication block (the digest stays), e.g. to re-sign
 * with other keys.
 *
 * Since: 0.1
 */
void
suit_envelope_clear_authentication(SuitEnvelope *self)
{
	g_return_if_fail(SUIT_IS_ENVELOPE(self));
	g_ptr_array_set_size(self->auth_blocks, 0);
	self->verified = FALSE;
}

/**
 * suit_envelope_sever:
 * @self: a #SuitEnvelope
 * @key: the member to sever: 14, 15, 16, 18, 20 or 23
 * @error: return location for a #GError, or %NULL
 *
 * Removes a severable member from the envelope. This is only possible when
 * the manifest holds the member's digest (it was authored as severable);
 * the signature stays valid.
 *
 * Returns: %TRUE if the member was removed; %FALSE with
 *   %SUIT_ERROR_NOT_FOUND when the envelope does not carry it, or
 *   %SUIT_ERROR_NOT_SUPPORTED when it is inside the signed manifest
 *
 * Since: 0.1
 */
gboolean
suit_envelope_sever(SuitEnvelope *self, gint64 key, GError **error)
{
	SuitManifest *manifest;
	gint idx;

	g_return_val_if_fail(SUIT_IS_ENVELOPE(self), FALSE);
	if (!suit_manifest_key_is_severable(key)) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "envelope key %" G_GINT64_FORMAT " is not a severable member",
			    key);
		return FALSE;
	}
	idx = suit_envelope_find_int(self, key);
	if (idx < 0) {
		manifest = suit_envelope_peek_manifest(self, error);
		if (manifest == NULL)
			return FALSE;
		if (suit_manifest_get_member_state(manifest, key) == SUIT_MEMBER_STATE_INLINE) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_NOT_SUPPORTED,
				    "%s is inside the signed manifest and cannot be severed",
				    suit_manifest_member_to_string(key));
			return FALSE;
		}
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_NOT_FOUND,
			    "the envelope does not carry %s",
			    suit_manifest_member_to_string(key));
		return FALSE;
	}
	g_array_remove_index(self->entries, idx);
	if (self->manifest != NULL)
		suit_manifest_detach_member(self->manifest, key);
	return TRUE;
}

/* serializing ---------------------------------------------------------------- */

static SuitCborItem *
suit_envelope_auth_wrapper_item(SuitEnvelope *self)
{
	g_autoptr(SuitCborItem) array = suit_cbor_item_new_array();
	suit_cbor_array_append(array, suit_cbor_item_new_bytes(self->digest_cbor));
	for (guint i = 0; i < self->auth_blocks->len; i++)
		suit_cbor_array_append(array, suit_cbor_item_new_bytes(g_ptr_array_index(self->auth_blocks, i)));
	return suit_cbor_item_new_wrapped(array);
}

/**
 * suit_envelope_to_bytes:
 * @self: a #SuitEnvelope
 * @error: return location for a #GError, or %NULL
 *
 * Serializes the envelope. A parsed, unchanged envelope gives back its input
 * bytes. An envelope without an authentication wrapper gets one holding the
 * SHA-256 digest of the manifest (and no signature).
 *
 * Returns: (transfer full): the encoded envelope, or %NULL on error
 *
 * Since: 0.1
 */
GBytes *
suit_envelope_to_bytes(SuitEnvelope *self, GError **error)
{
	g_autoptr(SuitCborItem) map = suit_cbor_item_new_map();

	g_return_val_if_fail(SUIT_IS_ENVELOPE(self), NULL);
	if (self->digest == NULL && !suit_envelope_ensure_digest(self, error))
		return NULL;

	suit_cbor_map_append(map, suit_cbor_item_new_uint(SUIT_ENVELOPE_KEY_AUTH), suit_envelope_auth_wrapper_item(self));
	suit_cbor_map_append(map,
			     suit_cbor_item_new_uint(SUIT_ENVELOPE_KEY_MANIFEST),
			     suit_cbor_item_ref(self->manifest_bstr));
	for (guint i = 0; i < self->entries->len; i++) {
		SuitEnvelopeEntry *entry = &g_array_index(self->entries, SuitEnvelopeEntry, i);
		suit_cbor_map_append(map, suit_cbor_item_ref(entry->key), suit_cbor_item_ref(entry->value));
	}
	if (self->built)
		suit_cbor_map_sort(map);
	if (self->tagged) {
		g_autoptr(SuitCborItem) tagged = suit_cbor_item_new_tag(SUIT_ENVELOPE_TAG, g_steal_pointer(&map));
		return suit_cbor_encode(tagged);
	}
	return suit_cbor_encode(map);
}

/* JSON ----------------------------------------------------------------------- */

static JsonNode *
suit_envelope_auth_to_json_node(SuitEnvelope *self)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();

	json_builder_begin_object(builder);
	if (self->digest != NULL) {
		json_builder_set_member_name(builder, "digest");
		json_builder_add_value(builder, suit_json_digest_to_node(self->digest));
	}
	json_builder_set_member_name(builder, "blocks");
	json_builder_begin_array(builder);
	for (guint i = 0; i < self->auth_blocks->len; i++) {
		GBytes *block = g_ptr_array_index(self->auth_blocks, i);
		g_autoptr(SuitCoseInfo) info = suit_cose_inspect(block, NULL);
		json_builder_begin_object(builder);
		if (info != NULL) {
			const gchar *alg = suit_cose_algorithm_to_string(info->algorithm);
			json_builder_set_member_name(builder, "type");
			json_builder_add_string_value(builder, suit_cose_type_to_string(info->type));
			json_builder_set_member_name(builder, "algorithm-id");
			json_builder_add_int_value(builder, info->algorithm);
			if (alg != NULL) {
				json_builder_set_member_name(builder, "algorithm");
				json_builder_add_string_value(builder, alg);
			}
			if (info->key_id != NULL) {
				json_builder_set_member_name(builder, "key-id");
				json_builder_add_value(builder, suit_json_from_bytes_hex(info->key_id));
			}
			if (info->n_signers > 1) {
				json_builder_set_member_name(builder, "signers");
				json_builder_add_int_value(builder, info->n_signers);
			}
		} else {
			json_builder_set_member_name(builder, "type");
			json_builder_add_string_value(builder, "invalid");
		}
		json_builder_set_member_name(builder, "cose");
		json_builder_add_value(builder, suit_json_from_bytes_hex(block));
		json_builder_end_object(builder);
	}
	json_builder_end_array(builder);
	json_builder_end_object(builder);
	return json_builder_get_root(builder);
}

/**
 * suit_envelope_to_json:
 * @self: a #SuitEnvelope
 * @flags: #SuitJsonFlags
 * @error: return location for a #GError, or %NULL
 *
 * Gives the JSON mirror of the envelope, as `suit inspect --json` prints it:
 * an object with `tagged`, `authentication` (the digest and a summary of each
 * block), `manifest` (the manifest's JSON mirror), `severable` (the content
 * of severed members the envelope carries), `integrated` (payloads as hex)
 * and `unknown-elements`. The manifest is decoded without verification.
 * A manifest that is well-formed CBOR but that the model refuses (for
 * example an unsupported version) is given as `{"cbor": "<hex>"}` with a
 * `manifest-error` object `{"error": id, "message": text}`, and the members
 * the envelope carries as `{"bstr": "<hex>"}`, so that nothing is lost.
 * suit_envelope_new_from_json() reads the same document back.
 *
 * Returns: (transfer full): a JSON document, or %NULL if the manifest is not
 *   well-formed CBOR
 *
 * Since: 0.1
 */
gchar *
suit_envelope_to_json(SuitEnvelope *self, SuitJsonFlags flags, GError **error)
{
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(GError) error_manifest = NULL;
	SuitManifest *manifest;
	gboolean has_members = FALSE;
	gboolean has_integrated = FALSE;
	gboolean has_unknown = FALSE;

	g_return_val_if_fail(SUIT_IS_ENVELOPE(self), NULL);
	manifest = suit_envelope_peek_manifest(self, &error_manifest);
	if (manifest == NULL && g_error_matches(error_manifest, SUIT_ERROR, SUIT_ERROR_INVALID_CBOR)) {
		g_propagate_error(error, g_steal_pointer(&error_manifest));
		return NULL;
	}

	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "tagged");
	json_builder_add_boolean_value(builder, self->tagged);
	json_builder_set_member_name(builder, "authentication");
	json_builder_add_value(builder, suit_envelope_auth_to_json_node(self));
	json_builder_set_member_name(builder, "manifest");
	if (manifest != NULL) {
		json_builder_add_value(builder, suit_manifest_to_json_node(manifest));
	} else {
		/* well-formed CBOR that the model refuses (an unsupported version, say):
		 * keep it inspectable and lossless as raw CBOR, and say why */
		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "cbor");
		json_builder_add_value(builder, suit_json_from_bytes_hex(suit_envelope_get_manifest_bytes(self)));
		json_builder_end_object(builder);
		json_builder_set_member_name(builder, "manifest-error");
		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "error");
		json_builder_add_string_value(builder, suit_error_get_id(error_manifest));
		json_builder_set_member_name(builder, "message");
		json_builder_add_string_value(builder, error_manifest->message);
		json_builder_end_object(builder);
	}

	for (guint i = 0; i < self->entries->len; i++) {
		SuitEnvelopeEntry *entry = &g_array_index(self->entries, SuitEnvelopeEntry, i);
		gint64 key;
		if (suit_cbor_item_get_type(entry->key) == SUIT_CBOR_TYPE_TEXT)
			has_integrated = TRUE;
		else if (suit_cbor_item_get_int(entry->key, &key) && suit_manifest_key_is_severable(key))
			has_members = TRUE;
		else
			has_unknown = TRUE;
	}
	if (has_members) {
		json_builder_set_member_name(builder, "severable");
		json_builder_begin_object(builder);
		for (guint i = 0; i < G_N_ELEMENTS(suit_envelope_member_keys); i++) {
			gint64 key = suit_envelope_member_keys[i];
			JsonNode *node;
			gint idx = suit_envelope_find_int(self, key);
			if (idx < 0)
				continue;
			if (manifest == NULL) {
				SuitEnvelopeEntry *entry = &g_array_index(self->entries, SuitEnvelopeEntry, idx);
				JsonObject *raw = json_object_new();
				json_object_set_member(raw, "bstr", suit_json_from_bytes_hex(suit_cbor_item_get_bytes(entry->value)));
				node = json_node_init_object(json_node_alloc(), raw);
				json_object_unref(raw);
			} else {
				node = suit_manifest_member_to_json_node(manifest, key);
			}
			if (node == NULL)
				continue;
			json_builder_set_member_name(builder, suit_manifest_member_to_string(key));
			json_builder_add_value(builder, node);
		}
		json_builder_end_object(builder);
	}
	if (has_integrated) {
		json_builder_set_member_name(builder, "integrated");
		json_builder_begin_object(builder);
		for (guint i = 0; i < self->entries->len; i++) {
			SuitEnvelopeEntry *entry = &g_array_index(self->entries, SuitEnvelopeEntry, i);
			g_autofree gchar *name = suit_cbor_item_dup_text(entry->key);
			if (name == NULL)
				continue;
			json_builder_set_member_name(builder, name);
			json_builder_add_value(builder, suit_json_from_bytes_hex(suit_cbor_item_get_bytes(entry->value)));
		}
		json_builder_end_object(builder);
	}
	if (has_unknown) {
		json_builder_set_member_name(builder, "unknown-elements");
		json_builder_begin_object(builder);
		for (guint i = 0; i < self->entries->len; i++) {
			SuitEnvelopeEntry *entry = &g_array_index(self->entries, SuitEnvelopeEntry, i);
			gint64 key;
			g_autofree gchar *name = NULL;
			if (!suit_cbor_item_get_int(entry->key, &key) || suit_manifest_key_is_severable(key))
				continue;
			name = g_strdup_printf("%" G_GINT64_FORMAT, key);
			json_builder_set_member_name(builder, name);
			json_builder_add_value(builder, suit_json_cbor_to_node(entry->value));
		}
		json_builder_end_object(builder);
	}
	json_builder_end_object(builder);
	root = json_builder_get_root(builder);
	return suit_json_node_to_string(root, flags);
}

/**
 * suit_envelope_new_from_json:
 * @json: an envelope in the JSON mirror, as suit_envelope_to_json() gives it
 * @error: return location for a #GError, or %NULL
 *
 * Builds an unsigned envelope from its JSON mirror. `authentication` is
 * ignored: sign the result with suit_envelope_sign(). The manifest is
 * rebuilt from its JSON, so for a document printed from an envelope the
 * manifest bytes are identical to the original ones. `tagged` defaults to
 * true. A manifest given as `{"cbor": "<hex>"}` is used as it is, after a
 * check that it is one well-formed CBOR item; it is the author's to make it
 * a valid manifest.
 *
 * Returns: (transfer full): a new #SuitEnvelope, or %NULL with
 *   %SUIT_ERROR_INVALID_DATA
 *
 * Since: 0.1
 */
SuitEnvelope *
suit_envelope_new_from_json(const gchar *json, GError **error)
{
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(SuitManifest) manifest = NULL;
	g_autoptr(SuitEnvelope) self = NULL;
	g_autoptr(SuitCborItem) item = NULL;
	JsonObject *obj;
	JsonNode *node;

	g_return_val_if_fail(json != NULL, NULL);
	root = suit_json_node_from_string(json, error);
	if (root == NULL)
		return NULL;
	if (!JSON_NODE_HOLDS_OBJECT(root)) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "an envelope must be a JSON object");
		return NULL;
	}
	obj = json_node_get_object(root);
	node = json_object_get_member(obj, "manifest");
	if (node == NULL) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "the envelope has no \"manifest\"");
		return NULL;
	}
	if (JSON_NODE_HOLDS_OBJECT(node) && json_object_get_size(json_node_get_object(node)) == 1 &&
	    json_object_has_member(json_node_get_object(node), "cbor")) {
		/* the raw form that suit_envelope_to_json() gives for a manifest the
		 * model refuses: used as it is, it must only be one CBOR item */
		g_autoptr(GBytes) raw =
		    suit_json_to_bytes_hex(json_object_get_member(json_node_get_object(node), "cbor"), "manifest", error);
		g_autoptr(SuitCborItem) check = NULL;
		if (raw == NULL)
			return NULL;
		check = suit_cbor_decode(raw, NULL, SUIT_PARSE_FLAG_NONE, error);
		if (check == NULL) {
			g_prefix_error(error, "manifest: ");
			return NULL;
		}
		self = g_object_new(SUIT_TYPE_ENVELOPE, NULL);
		self->built = TRUE;
		self->manifest_bstr = suit_cbor_item_new_bytes(raw);
	} else {
		manifest = suit_manifest_new_from_json_node(node, error);
		if (manifest == NULL) {
			g_prefix_error(error, "manifest: ");
			return NULL;
		}
		item = suit_manifest_to_item(manifest);
		self = suit_envelope_new_built(item);
	}

	node = json_object_get_member(obj, "tagged");
	if (node != NULL) {
		if (!JSON_NODE_HOLDS_VALUE(node) || json_node_get_value_type(node) != G_TYPE_BOOLEAN) {
			g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "\"tagged\" must be a boolean");
			return NULL;
		}
		self->tagged = json_node_get_boolean(node);
	}

	node = json_object_get_member(obj, "severable");
	if (node != NULL) {
		JsonObject *members;
		g_autoptr(GList) names = NULL;
		if (!JSON_NODE_HOLDS_OBJECT(node)) {
			g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "\"severable\" must be an object");
			return NULL;
		}
		members = json_node_get_object(node);
		names = json_object_get_members(members);
		for (GList *l = names; l != NULL; l = l->next) {
			const gchar *name = l->data;
			gint64 key = suit_manifest_member_from_string(name);
			SuitCborItem *bstr;
			JsonNode *member;
			if (key == 0) {
				g_set_error(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_DATA,
					    "unknown severable member \"%s\"",
					    name);
				return NULL;
			}
			member = json_object_get_member(members, name);
			if (JSON_NODE_HOLDS_OBJECT(member) && json_object_has_member(json_node_get_object(member), "bstr")) {
				/* raw member, as given next to a raw manifest */
				g_autoptr(GBytes) raw = suit_json_to_bytes_hex(
				    json_object_get_member(json_node_get_object(member), "bstr"), name, error);
				if (raw == NULL)
					return NULL;
				suit_envelope_put(self, suit_cbor_item_new_int(key), suit_cbor_item_new_bytes(raw));
				continue;
			}
			bstr = suit_manifest_member_from_json_node(key, member, error);
			if (bstr == NULL) {
				g_prefix_error(error, "severable %s: ", name);
				return NULL;
			}
			suit_envelope_put(self, suit_cbor_item_new_int(key), bstr);
		}
	}

	node = json_object_get_member(obj, "integrated");
	if (node != NULL) {
		JsonObject *payloads;
		g_autoptr(GList) names = NULL;
		if (!JSON_NODE_HOLDS_OBJECT(node)) {
			g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "\"integrated\" must be an object");
			return NULL;
		}
		payloads = json_node_get_object(node);
		names = json_object_get_members(payloads);
		for (GList *l = names; l != NULL; l = l->next) {
			const gchar *name = l->data;
			g_autoptr(GBytes) data =
			    suit_json_to_bytes_hex(json_object_get_member(payloads, name), name, error);
			if (data == NULL)
				return NULL;
			suit_envelope_set_integrated(self, name, data);
		}
	}

	node = json_object_get_member(obj, "unknown-elements");
	if (node != NULL) {
		JsonObject *unknown;
		g_autoptr(GList) names = NULL;
		if (!JSON_NODE_HOLDS_OBJECT(node)) {
			g_set_error_literal(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_DATA,
					    "\"unknown-elements\" must be an object");
			return NULL;
		}
		unknown = json_node_get_object(node);
		names = json_object_get_members(unknown);
		for (GList *l = names; l != NULL; l = l->next) {
			const gchar *name = l->data;
			gchar *endptr = NULL;
			gint64 key = g_ascii_strtoll(name, &endptr, 10);
			SuitCborItem *value;
			if (endptr == name || *endptr != '\0' || key == SUIT_ENVELOPE_KEY_AUTH ||
			    key == SUIT_ENVELOPE_KEY_MANIFEST || suit_manifest_key_is_severable(key)) {
				g_set_error(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_DATA,
					    "invalid unknown element key \"%s\"",
					    name);
				return NULL;
			}
			value = suit_json_cbor_from_node(json_object_get_member(unknown, name), error);
			if (value == NULL)
				return NULL;
			suit_envelope_put(self, suit_cbor_item_new_int(key), value);
		}
	}
	return g_steal_pointer(&self);
}

/* text ------------------------------------------------------------------------ */

/**
 * suit_envelope_to_string:
 * @self: a #SuitEnvelope
 *
 * Describes the envelope for people, as `suit inspect` prints it. The
 * manifest is decoded without verification; if that fails the text says why.
 *
 * Returns: (transfer full): a multi-line description
 *
 * Since: 0.1
 */
gchar *
suit_envelope_to_string(SuitEnvelope *self)
{
	GString *str = g_string_new(NULL);
	g_autoptr(GError) error_local = NULL;
	SuitManifest *manifest;

	g_return_val_if_fail(SUIT_IS_ENVELOPE(self), NULL);
	g_string_append_printf(str, "SUIT envelope%s\n", self->tagged ? " (tag 107)" : " (untagged)");
	if (self->digest != NULL) {
		g_autofree gchar *hex = suit_digest_to_hex(self->digest);
		const gchar *alg = suit_digest_algorithm_to_string(suit_digest_get_algorithm(self->digest));
		g_string_append_printf(str,
				       "  manifest digest: %s:%s\n",
				       alg != NULL ? alg : "unknown",
				       hex);
	} else {
		g_string_append(str, "  manifest digest: none\n");
	}
	g_string_append_printf(str, "  authentication blocks: %u\n", self->auth_blocks->len);
	for (guint i = 0; i < self->auth_blocks->len; i++) {
		g_autoptr(GError) error_cose = NULL;
		g_autoptr(SuitCoseInfo) info = suit_cose_inspect(g_ptr_array_index(self->auth_blocks, i), &error_cose);
		if (info == NULL) {
			g_string_append_printf(str, "    [%u] invalid: %s\n", i + 1, error_cose->message);
			continue;
		}
		g_string_append_printf(str,
				       "    [%u] %s, algorithm %s (%d)",
				       i + 1,
				       suit_cose_type_to_string(info->type),
				       suit_cose_algorithm_to_string(info->algorithm) != NULL
					   ? suit_cose_algorithm_to_string(info->algorithm)
					   : "unknown",
				       info->algorithm);
		if (info->key_id != NULL) {
			g_autofree gchar *kid = suit_hex_encode(info->key_id);
			g_string_append_printf(str, ", key id %s", kid);
		}
		g_string_append_c(str, '\n');
	}
	for (guint i = 0; i < self->entries->len; i++) {
		SuitEnvelopeEntry *entry = &g_array_index(self->entries, SuitEnvelopeEntry, i);
		g_autofree gchar *name = suit_cbor_item_dup_text(entry->key);
		GBytes *bytes = suit_cbor_item_get_bytes(entry->value);
		gint64 key = 0;
		if (name != NULL) {
			g_autoptr(SuitDigest) digest = suit_digest_compute(SUIT_DIGEST_ALGORITHM_SHA256, bytes, NULL);
			g_autofree gchar *hex = digest != NULL ? suit_digest_to_hex(digest) : g_strdup("?");
			g_string_append_printf(str,
					       "  integrated payload '%s': %" G_GSIZE_FORMAT " bytes, sha-256:%s\n",
					       name,
					       g_bytes_get_size(bytes),
					       hex);
		} else if (suit_cbor_item_get_int(entry->key, &key) && suit_manifest_key_is_severable(key)) {
			g_string_append_printf(str,
					       "  severed %s carried: %" G_GSIZE_FORMAT " bytes\n",
					       suit_manifest_member_to_string(key),
					       bytes != NULL ? g_bytes_get_size(bytes) : 0);
		} else {
			g_string_append_printf(str, "  unknown element %" G_GINT64_FORMAT "\n", key);
		}
	}
	manifest = suit_envelope_peek_manifest(self, &error_local);
	if (manifest == NULL) {
		g_string_append_printf(str, "  manifest cannot be decoded: %s\n", error_local->message);
	} else {
		g_autofree gchar *text = suit_manifest_to_string(manifest);
		g_string_append(str, text);
	}
	return g_string_free(str, FALSE);
}
