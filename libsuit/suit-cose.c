/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "suit-cose-private.h"
#include "suit-error.h"

/* header labels we understand, so they may be listed in "crit" */
#define SUIT_COSE_HEADER_CONTENT_TYPE 3

/* the "direct" key distribution algorithm of COSE_Mac recipients */
#define SUIT_COSE_ALG_DIRECT -6

typedef struct {
	GBytes *protected_bytes;     /* content of the protected bstr, maybe empty */
	SuitCborItem *protected_map; /* decoded protected header, or a new empty map */
	SuitCborItem *unprotected;   /* (owned ref) */
	SuitCborItem *alg;	     /* (transfer none) (nullable): alg of the protected header */
	gboolean alg_unprotected;    /* an alg is in the unprotected header */
	GBytes *kid;		     /* (transfer none) (nullable) */
} SuitCoseHeaders;

/* a COSE_Signature of a COSE_Sign, or a COSE_recipient of a COSE_Mac */
typedef struct {
	SuitCoseHeaders headers;
	GBytes *signature; /* (transfer none) (nullable): NULL for recipients */
} SuitCoseSigner;

typedef struct {
	SuitCborItem *root;
	SuitCoseType type;
	SuitCoseHeaders headers; /* of the body */
	SuitCborItem *payload;	 /* (transfer none): BYTES or NULL */
	GBytes *signature;	 /* (transfer none) (nullable): Sign1 signature, Mac0 and Mac tag */
	GArray *signers;	 /* (element-type SuitCoseSigner): Sign signatures or Mac recipients */
} SuitCoseMessage;

static void
suit_cose_headers_clear(SuitCoseHeaders *self)
{
	g_clear_pointer(&self->protected_bytes, g_bytes_unref);
	g_clear_pointer(&self->protected_map, suit_cbor_item_unref);
	g_clear_pointer(&self->unprotected, suit_cbor_item_unref);
	self->alg = NULL;
	self->kid = NULL;
}

static void
suit_cose_signer_clear(gpointer data)
{
	SuitCoseSigner *signer = data;
	suit_cose_headers_clear(&signer->headers);
}

static void
suit_cose_message_free(SuitCoseMessage *self)
{
	suit_cose_headers_clear(&self->headers);
	g_array_unref(self->signers);
	if (self->root != NULL)
		suit_cbor_item_unref(self->root);
	g_free(self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SuitCoseMessage, suit_cose_message_free)

/**
 * suit_cose_info_free: (skip)
 */
void
suit_cose_info_free(SuitCoseInfo *info)
{
	if (info == NULL)
		return;
	if (info->key_id != NULL)
		g_bytes_unref(info->key_id);
	g_free(info);
}

/**
 * suit_cose_type_to_string: (skip)
 */
const gchar *
suit_cose_type_to_string(SuitCoseType type)
{
	switch (type) {
	case SUIT_COSE_TYPE_SIGN1:
		return "COSE_Sign1";
	case SUIT_COSE_TYPE_SIGN:
		return "COSE_Sign";
	case SUIT_COSE_TYPE_MAC0:
		return "COSE_Mac0";
	case SUIT_COSE_TYPE_MAC:
		return "COSE_Mac";
	case SUIT_COSE_TYPE_UNKNOWN:
	default:
		return "unknown";
	}
}

/* a hashable identity of a header label (an integer or a text string) */
static GBytes *
suit_cose_label_key(const SuitCborItem *label)
{
	SuitCborType type = suit_cbor_item_get_type(label);
	GByteArray *buf = g_byte_array_new();
	guint8 tag = (guint8)type;

	g_byte_array_append(buf, &tag, 1);
	if (type == SUIT_CBOR_TYPE_TEXT) {
		GBytes *text = suit_cbor_item_get_bytes(label);
		gsize len = 0;
		const guint8 *data = g_bytes_get_data(text, &len);
		if (len > 0)
			g_byte_array_append(buf, data, len);
	} else {
		guint64 value = suit_cbor_item_get_u64(label);
		g_byte_array_append(buf, (const guint8 *)&value, sizeof(value));
	}
	return g_byte_array_free_to_bytes(buf);
}

static gboolean
suit_cose_label_is_valid(const SuitCborItem *label)
{
	return suit_cbor_item_is_int(label) || suit_cbor_item_get_type(label) == SUIT_CBOR_TYPE_TEXT;
}

static gboolean
suit_cose_check_header_label(const SuitCborItem *label, GError **error)
{
	if (!suit_cose_label_is_valid(label)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "header labels must be integers or text strings");
		return FALSE;
	}
	return TRUE;
}

static gboolean
suit_cose_headers_check_crit(SuitCoseHeaders *self, GError **error)
{
	SuitCborItem *crit;

	if (suit_cbor_map_lookup_int(self->unprotected, SUIT_COSE_HEADER_CRIT) != NULL) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "crit must be in the protected header");
		return FALSE;
	}
	crit = suit_cbor_map_lookup_int(self->protected_map, SUIT_COSE_HEADER_CRIT);
	if (crit == NULL)
		return TRUE;
	if (suit_cbor_item_get_type(crit) != SUIT_CBOR_TYPE_ARRAY || suit_cbor_item_get_length(crit) == 0) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "crit must be a non-empty array of header labels");
		return FALSE;
	}
	for (guint i = 0; i < suit_cbor_item_get_length(crit); i++) {
		SuitCborItem *label = suit_cbor_array_get(crit, i);
		g_autofree gchar *diag = NULL;
		gint64 value = 0;

		if (!suit_cose_label_is_valid(label)) {
			g_set_error_literal(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_DATA,
					    "crit must hold integer or text header labels");
			return FALSE;
		}
		if (suit_cbor_item_get_int(label, &value) &&
		    (value == SUIT_COSE_HEADER_ALG || value == SUIT_COSE_HEADER_CONTENT_TYPE ||
		     value == SUIT_COSE_HEADER_KID))
			continue;
		diag = suit_cbor_item_to_diag(label);
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_UNSUPPORTED_ELEMENT,
			    "critical header %s is not understood",
			    diag);
		return FALSE;
	}
	return TRUE;
}

static gboolean
suit_cose_headers_parse(SuitCoseHeaders *self,
			SuitCborItem *protected_item,
			SuitCborItem *unprotected_item,
			GError **error)
{
	g_autoptr(GHashTable) labels = NULL;
	SuitCborItem *kid;

	if (suit_cbor_item_get_type(protected_item) != SUIT_CBOR_TYPE_BYTES) {
		suit_cbor_set_type_error(error, protected_item, "protected header must be a byte string");
		return FALSE;
	}
	self->protected_bytes = g_bytes_ref(suit_cbor_item_get_bytes(protected_item));
	if (g_bytes_get_size(self->protected_bytes) == 0) {
		self->protected_map = suit_cbor_item_new_map();
	} else {
		self->protected_map = suit_cbor_decode(self->protected_bytes, NULL, SUIT_PARSE_FLAG_NONE, error);
		if (self->protected_map == NULL) {
			g_prefix_error(error, "invalid protected header: ");
			return FALSE;
		}
		if (suit_cbor_item_get_type(self->protected_map) != SUIT_CBOR_TYPE_MAP) {
			suit_cbor_set_type_error(error, self->protected_map, "protected header must be a map");
			return FALSE;
		}
	}
	if (suit_cbor_item_get_type(unprotected_item) != SUIT_CBOR_TYPE_MAP) {
		suit_cbor_set_type_error(error, unprotected_item, "unprotected header must be a map");
		return FALSE;
	}
	self->unprotected = suit_cbor_item_ref(unprotected_item);

	/* labels are integers or text, and never in both buckets */
	labels = g_hash_table_new_full(g_bytes_hash, g_bytes_equal, (GDestroyNotify)g_bytes_unref, NULL);
	for (guint i = 0; i < suit_cbor_item_get_length(self->protected_map); i++) {
		SuitCborItem *label = suit_cbor_map_get_key(self->protected_map, i);
		if (!suit_cose_check_header_label(label, error))
			return FALSE;
		g_hash_table_add(labels, suit_cose_label_key(label));
	}
	for (guint i = 0; i < suit_cbor_item_get_length(self->unprotected); i++) {
		SuitCborItem *label = suit_cbor_map_get_key(self->unprotected, i);
		g_autoptr(GBytes) key = NULL;
		if (!suit_cose_check_header_label(label, error))
			return FALSE;
		key = suit_cose_label_key(label);
		if (g_hash_table_contains(labels, key)) {
			g_autofree gchar *diag = suit_cbor_item_to_diag(label);
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "header %s is in both the protected and the unprotected header",
				    diag);
			return FALSE;
		}
	}

	if (!suit_cose_headers_check_crit(self, error))
		return FALSE;

	self->alg = suit_cbor_map_lookup_int(self->protected_map, SUIT_COSE_HEADER_ALG);
	self->alg_unprotected = suit_cbor_map_lookup_int(self->unprotected, SUIT_COSE_HEADER_ALG) != NULL;

	kid = suit_cbor_map_lookup_int(self->protected_map, SUIT_COSE_HEADER_KID);
	if (kid == NULL)
		kid = suit_cbor_map_lookup_int(self->unprotected, SUIT_COSE_HEADER_KID);
	if (kid != NULL) {
		if (suit_cbor_item_get_type(kid) != SUIT_CBOR_TYPE_BYTES) {
			g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "kid must be a byte string");
			return FALSE;
		}
		self->kid = suit_cbor_item_get_bytes(kid);
	}
	return TRUE;
}

/* the alg of the protected header, as is, for inspection */
static SuitCoseAlgorithm
suit_cose_headers_peek_algorithm(const SuitCoseHeaders *self)
{
	gint64 value = 0;
	if (self->alg == NULL || !suit_cbor_item_get_int(self->alg, &value))
		return SUIT_COSE_ALGORITHM_NONE;
	if (value < G_MININT32 || value > G_MAXINT32)
		return SUIT_COSE_ALGORITHM_NONE;
	return (SuitCoseAlgorithm)value;
}

/* the alg of the protected header, which must be one we support for @type */
static gboolean
suit_cose_headers_get_algorithm(const SuitCoseHeaders *self,
				SuitCoseType type,
				SuitCoseAlgorithm *algorithm,
				GError **error)
{
	SuitCoseAlgorithm value;
	gboolean is_mac_type = type == SUIT_COSE_TYPE_MAC0 || type == SUIT_COSE_TYPE_MAC;

	if (self->alg == NULL) {
		if (self->alg_unprotected) {
			g_set_error_literal(error,
					    SUIT_ERROR,
					    SUIT_ERROR_UNSUPPORTED_ALGORITHM,
					    "alg must be in the protected header");
			return FALSE;
		}
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_UNSUPPORTED_ALGORITHM,
				    "no alg in the protected header");
		return FALSE;
	}
	value = suit_cose_headers_peek_algorithm(self);
	if (value == SUIT_COSE_ALGORITHM_NONE || suit_cose_algorithm_to_string(value) == NULL) {
		g_autofree gchar *diag = suit_cbor_item_to_diag(self->alg);
		g_set_error(error, SUIT_ERROR, SUIT_ERROR_UNSUPPORTED_ALGORITHM, "algorithm %s is not supported", diag);
		return FALSE;
	}
	if (is_mac_type != (value == SUIT_COSE_ALGORITHM_HMAC_256)) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_UNSUPPORTED_ALGORITHM,
			    "algorithm %s cannot be used in a %s",
			    suit_cose_algorithm_to_string(value),
			    suit_cose_type_to_string(type));
		return FALSE;
	}
	*algorithm = value;
	return TRUE;
}

static gboolean
suit_cose_parse_signers(SuitCoseMessage *self, SuitCborItem *array, gboolean recipients, GError **error)
{
	const gchar *what = recipients ? "recipient" : "signature";

	if (suit_cbor_item_get_type(array) != SUIT_CBOR_TYPE_ARRAY || suit_cbor_item_get_length(array) == 0) {
		g_set_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "%ss must be a non-empty array", what);
		return FALSE;
	}
	for (guint i = 0; i < suit_cbor_item_get_length(array); i++) {
		SuitCborItem *item = suit_cbor_array_get(array, i);
		SuitCoseSigner *signer;
		SuitCborItem *value;
		guint len = suit_cbor_item_get_length(item);

		if (suit_cbor_item_get_type(item) != SUIT_CBOR_TYPE_ARRAY ||
		    (recipients ? (len != 3 && len != 4) : len != 3)) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "%s %u must be an array of %s items",
				    what,
				    i,
				    recipients ? "3 or 4" : "3");
			return FALSE;
		}
		g_array_set_size(self->signers, self->signers->len + 1);
		signer = &g_array_index(self->signers, SuitCoseSigner, self->signers->len - 1);
		if (!suit_cose_headers_parse(&signer->headers,
					     suit_cbor_array_get(item, 0),
					     suit_cbor_array_get(item, 1),
					     error)) {
			g_prefix_error(error, "%s %u: ", what, i);
			return FALSE;
		}
		value = suit_cbor_array_get(item, 2);
		if (recipients) {
			if (suit_cbor_item_get_type(value) != SUIT_CBOR_TYPE_BYTES &&
			    suit_cbor_item_get_type(value) != SUIT_CBOR_TYPE_NULL) {
				g_set_error(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_DATA,
					    "recipient %u: ciphertext must be a byte string or nil",
					    i);
				return FALSE;
			}
			if (len == 4 && suit_cbor_item_get_type(suit_cbor_array_get(item, 3)) != SUIT_CBOR_TYPE_ARRAY) {
				g_set_error(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_DATA,
					    "recipient %u: recipients must be an array",
					    i);
				return FALSE;
			}
			continue;
		}
		if (suit_cbor_item_get_type(value) != SUIT_CBOR_TYPE_BYTES) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "signature %u: signature must be a byte string",
				    i);
			return FALSE;
		}
		signer->signature = suit_cbor_item_get_bytes(value);
	}
	return TRUE;
}

static SuitCoseMessage *
suit_cose_message_parse(GBytes *cose, GError **error)
{
	g_autoptr(SuitCoseMessage) self = g_new0(SuitCoseMessage, 1);
	SuitCborItem *array;
	SuitCborItem *item;
	guint expected_len = 4;

	self->signers = g_array_new(FALSE, TRUE, sizeof(SuitCoseSigner));
	g_array_set_clear_func(self->signers, suit_cose_signer_clear);

	self->root = suit_cbor_decode(cose, NULL, SUIT_PARSE_FLAG_NONE, error);
	if (self->root == NULL)
		return NULL;
	if (suit_cbor_item_get_type(self->root) != SUIT_CBOR_TYPE_TAG) {
		suit_cbor_set_type_error(error, self->root, "cose structure must be tagged");
		return NULL;
	}
	switch (suit_cbor_item_get_u64(self->root)) {
	case SUIT_COSE_TAG_SIGN1:
		self->type = SUIT_COSE_TYPE_SIGN1;
		break;
	case SUIT_COSE_TAG_SIGN:
		self->type = SUIT_COSE_TYPE_SIGN;
		break;
	case SUIT_COSE_TAG_MAC0:
		self->type = SUIT_COSE_TYPE_MAC0;
		break;
	case SUIT_COSE_TAG_MAC:
		self->type = SUIT_COSE_TYPE_MAC;
		expected_len = 5;
		break;
	default:
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "cbor tag %" G_GUINT64_FORMAT " is not a cose authentication structure",
			    suit_cbor_item_get_u64(self->root));
		return NULL;
	}
	array = suit_cbor_tag_get_content(self->root);
	if (suit_cbor_item_get_type(array) != SUIT_CBOR_TYPE_ARRAY ||
	    suit_cbor_item_get_length(array) != expected_len) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "%s must be an array of %u items",
			    suit_cose_type_to_string(self->type),
			    expected_len);
		return NULL;
	}
	if (!suit_cose_headers_parse(&self->headers,
				     suit_cbor_array_get(array, 0),
				     suit_cbor_array_get(array, 1),
				     error))
		return NULL;

	self->payload = suit_cbor_array_get(array, 2);
	if (suit_cbor_item_get_type(self->payload) != SUIT_CBOR_TYPE_BYTES &&
	    suit_cbor_item_get_type(self->payload) != SUIT_CBOR_TYPE_NULL) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "cose payload must be a byte string or nil");
		return NULL;
	}

	if (self->type == SUIT_COSE_TYPE_SIGN) {
		if (!suit_cose_parse_signers(self, suit_cbor_array_get(array, 3), FALSE, error))
			return NULL;
		return g_steal_pointer(&self);
	}

	item = suit_cbor_array_get(array, 3);
	if (suit_cbor_item_get_type(item) != SUIT_CBOR_TYPE_BYTES) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "%s %s must be a byte string",
			    suit_cose_type_to_string(self->type),
			    self->type == SUIT_COSE_TYPE_SIGN1 ? "signature" : "tag");
		return NULL;
	}
	self->signature = suit_cbor_item_get_bytes(item);
	if (self->type == SUIT_COSE_TYPE_MAC &&
	    !suit_cose_parse_signers(self, suit_cbor_array_get(array, 4), TRUE, error))
		return NULL;
	return g_steal_pointer(&self);
}

/* Sig_structure / MAC_structure, RFC 9052 §4.4 and §6.3 */
static GBytes *
suit_cose_build_tbs(const gchar *context, GBytes *body_protected, GBytes *sign_protected, GBytes *payload)
{
	g_autoptr(SuitCborItem) array = suit_cbor_item_new_array();
	suit_cbor_array_append(array, suit_cbor_item_new_text(context));
	suit_cbor_array_append(array, suit_cbor_item_new_bytes(body_protected));
	if (sign_protected != NULL)
		suit_cbor_array_append(array, suit_cbor_item_new_bytes(sign_protected));
	suit_cbor_array_append(array, suit_cbor_item_new_bytes_data(NULL, 0));
	suit_cbor_array_append(array, suit_cbor_item_new_bytes(payload));
	return suit_cbor_encode(array);
}

static gboolean
suit_cose_try_keys(SuitKeyring *keyring,
		   SuitCoseAlgorithm algorithm,
		   GBytes *kid,
		   GBytes *tbs,
		   GBytes *signature,
		   SuitKey **used_key)
{
	g_autoptr(GPtrArray) keys = suit_keyring_find(keyring, algorithm, kid);

	for (guint i = 0; i < keys->len; i++) {
		SuitKey *key = g_ptr_array_index(keys, i);
		g_autoptr(GError) error_local = NULL;
		if (suit_key_verify(key, algorithm, tbs, signature, &error_local)) {
			if (used_key != NULL)
				*used_key = g_object_ref(key);
			return TRUE;
		}
		g_debug("candidate key %u did not verify: %s", i, error_local->message);
	}
	return FALSE;
}

static gboolean
suit_cose_verify_sign(SuitCoseMessage *msg, GBytes *payload, SuitKeyring *keyring, SuitKey **used_key, GError **error)
{
	g_autoptr(GError) error_alg = NULL;
	guint n_checked = 0;

	for (guint i = 0; i < msg->signers->len; i++) {
		SuitCoseSigner *signer = &g_array_index(msg->signers, SuitCoseSigner, i);
		g_autoptr(GError) error_local = NULL;
		g_autoptr(GBytes) tbs = NULL;
		SuitCoseAlgorithm algorithm = SUIT_COSE_ALGORITHM_NONE;
		GBytes *kid = signer->headers.kid != NULL ? signer->headers.kid : msg->headers.kid;

		/* a signer with an algorithm we do not know may sit next to one we do */
		if (!suit_cose_headers_get_algorithm(&signer->headers, msg->type, &algorithm, &error_local)) {
			g_debug("skipping signature %u: %s", i, error_local->message);
			if (error_alg == NULL)
				error_alg = g_steal_pointer(&error_local);
			continue;
		}
		n_checked++;
		tbs = suit_cose_build_tbs("Signature",
					  msg->headers.protected_bytes,
					  signer->headers.protected_bytes,
					  payload);
		if (suit_cose_try_keys(keyring, algorithm, kid, tbs, signer->signature, used_key))
			return TRUE;
	}
	if (n_checked == 0 && error_alg != NULL) {
		g_propagate_error(error, g_steal_pointer(&error_alg));
		return FALSE;
	}
	g_set_error_literal(error,
			    SUIT_ERROR,
			    SUIT_ERROR_SIGNATURE_INVALID,
			    "no key of the keyring verifies a signature of the COSE_Sign");
	return FALSE;
}

static gboolean
suit_cose_verify_mac(SuitCoseMessage *msg,
		     SuitCoseAlgorithm algorithm,
		     GBytes *payload,
		     SuitKeyring *keyring,
		     SuitKey **used_key,
		     GError **error)
{
	g_autoptr(GBytes) tbs = suit_cose_build_tbs("MAC", msg->headers.protected_bytes, NULL, payload);
	guint n_direct = 0;

	for (guint i = 0; i < msg->signers->len; i++) {
		SuitCoseSigner *recipient = &g_array_index(msg->signers, SuitCoseSigner, i);
		SuitCborItem *alg = suit_cbor_map_lookup_int(recipient->headers.protected_map, SUIT_COSE_HEADER_ALG);
		gint64 value = 0;

		/* only "direct" recipients: the keyring holds the MAC secret itself */
		if (alg == NULL)
			alg = suit_cbor_map_lookup_int(recipient->headers.unprotected, SUIT_COSE_HEADER_ALG);
		if (alg == NULL || !suit_cbor_item_get_int(alg, &value) || value != SUIT_COSE_ALG_DIRECT)
			continue;
		n_direct++;
		if (suit_cose_try_keys(keyring,
				       algorithm,
				       recipient->headers.kid != NULL ? recipient->headers.kid : msg->headers.kid,
				       tbs,
				       msg->signature,
				       used_key))
			return TRUE;
	}
	if (n_direct == 0) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_UNSUPPORTED_ALGORITHM,
				    "no recipient of the COSE_Mac uses the direct algorithm");
		return FALSE;
	}
	g_set_error_literal(error,
			    SUIT_ERROR,
			    SUIT_ERROR_SIGNATURE_INVALID,
			    "no key of the keyring verifies the COSE_Mac");
	return FALSE;
}

/* verifies against @payload, or against the attached payload if @payload is NULL */
static gboolean
suit_cose_verify_internal(GBytes *cose,
			  GBytes *payload,
			  SuitKeyring *keyring,
			  SuitKey **used_key,
			  GBytes **attached_out,
			  GError **error)
{
	g_autoptr(SuitCoseMessage) msg = NULL;
	g_autoptr(GBytes) tbs = NULL;
	SuitCoseAlgorithm algorithm = SUIT_COSE_ALGORITHM_NONE;
	GBytes *attached;

	msg = suit_cose_message_parse(cose, error);
	if (msg == NULL)
		return FALSE;
	if (msg->type != SUIT_COSE_TYPE_SIGN &&
	    !suit_cose_headers_get_algorithm(&msg->headers, msg->type, &algorithm, error))
		return FALSE;

	attached = suit_cbor_item_get_bytes(msg->payload);
	if (payload == NULL) {
		if (attached == NULL) {
			g_set_error_literal(error,
					    SUIT_ERROR,
					    SUIT_ERROR_INVALID_DATA,
					    "cose payload is detached, not attached");
			return FALSE;
		}
		payload = attached;
	} else if (attached != NULL && !g_bytes_equal(attached, payload)) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_SIGNATURE_INVALID,
				    "attached cose payload does not match the signed content");
		return FALSE;
	}

	switch (msg->type) {
	case SUIT_COSE_TYPE_SIGN:
		if (!suit_cose_verify_sign(msg, payload, keyring, used_key, error))
			return FALSE;
		break;
	case SUIT_COSE_TYPE_MAC:
		if (!suit_cose_verify_mac(msg, algorithm, payload, keyring, used_key, error))
			return FALSE;
		break;
	case SUIT_COSE_TYPE_SIGN1:
	case SUIT_COSE_TYPE_MAC0:
		tbs = suit_cose_build_tbs(msg->type == SUIT_COSE_TYPE_SIGN1 ? "Signature1" : "MAC0",
					  msg->headers.protected_bytes,
					  NULL,
					  payload);
		if (!suit_cose_try_keys(keyring, algorithm, msg->headers.kid, tbs, msg->signature, used_key)) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_SIGNATURE_INVALID,
				    "no key of the keyring verifies the %s",
				    suit_cose_type_to_string(msg->type));
			return FALSE;
		}
		break;
	case SUIT_COSE_TYPE_UNKNOWN:
	default:
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INTERNAL, "unknown cose type");
		return FALSE;
	}
	if (attached_out != NULL)
		*attached_out = g_bytes_ref(payload);
	return TRUE;
}

/**
 * suit_cose_inspect: (skip)
 */
SuitCoseInfo *
suit_cose_inspect(GBytes *cose, GError **error)
{
	g_autoptr(SuitCoseMessage) msg = NULL;
	g_autoptr(SuitCoseInfo) info = NULL;
	GBytes *kid = NULL;

	g_return_val_if_fail(cose != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	msg = suit_cose_message_parse(cose, error);
	if (msg == NULL)
		return NULL;
	info = g_new0(SuitCoseInfo, 1);
	info->type = msg->type;
	switch (msg->type) {
	case SUIT_COSE_TYPE_SIGN: {
		SuitCoseSigner *first = &g_array_index(msg->signers, SuitCoseSigner, 0);
		info->algorithm = suit_cose_headers_peek_algorithm(&first->headers);
		kid = first->headers.kid != NULL ? first->headers.kid : msg->headers.kid;
		info->n_signers = msg->signers->len;
		break;
	}
	case SUIT_COSE_TYPE_MAC: {
		SuitCoseSigner *first = &g_array_index(msg->signers, SuitCoseSigner, 0);
		info->algorithm = suit_cose_headers_peek_algorithm(&msg->headers);
		kid = first->headers.kid != NULL ? first->headers.kid : msg->headers.kid;
		info->n_signers = msg->signers->len;
		break;
	}
	case SUIT_COSE_TYPE_SIGN1:
	case SUIT_COSE_TYPE_MAC0:
	case SUIT_COSE_TYPE_UNKNOWN:
	default:
		info->algorithm = suit_cose_headers_peek_algorithm(&msg->headers);
		kid = msg->headers.kid;
		info->n_signers = 1;
		break;
	}
	if (kid != NULL)
		info->key_id = g_bytes_ref(kid);
	return g_steal_pointer(&info);
}

/**
 * suit_cose_verify: (skip)
 */
gboolean
suit_cose_verify(GBytes *cose, GBytes *payload, SuitKeyring *keyring, SuitKey **used_key, GError **error)
{
	g_return_val_if_fail(cose != NULL, FALSE);
	g_return_val_if_fail(payload != NULL, FALSE);
	g_return_val_if_fail(SUIT_IS_KEYRING(keyring), FALSE);
	g_return_val_if_fail(used_key == NULL || *used_key == NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);
	return suit_cose_verify_internal(cose, payload, keyring, used_key, NULL, error);
}

/**
 * suit_cose_verify_attached: (skip)
 */
GBytes *
suit_cose_verify_attached(GBytes *cose, SuitKeyring *keyring, SuitKey **used_key, GError **error)
{
	GBytes *payload = NULL;

	g_return_val_if_fail(cose != NULL, NULL);
	g_return_val_if_fail(SUIT_IS_KEYRING(keyring), NULL);
	g_return_val_if_fail(used_key == NULL || *used_key == NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);
	if (!suit_cose_verify_internal(cose, NULL, keyring, used_key, &payload, error))
		return NULL;
	return payload;
}

/**
 * suit_cose_sign: (skip)
 */
GBytes *
suit_cose_sign(GBytes *payload,
	       SuitKey *key,
	       SuitCoseAlgorithm algorithm,
	       GBytes *key_id,
	       gboolean attach_payload,
	       GError **error)
{
	g_autoptr(SuitCborItem) protected_map = suit_cbor_item_new_map();
	g_autoptr(SuitCborItem) protected_item = NULL;
	g_autoptr(SuitCborItem) unprotected = suit_cbor_item_new_map();
	g_autoptr(SuitCborItem) array = NULL;
	g_autoptr(SuitCborItem) root = NULL;
	g_autoptr(GBytes) tbs = NULL;
	g_autoptr(GBytes) signature = NULL;
	gboolean is_mac;

	g_return_val_if_fail(payload != NULL, NULL);
	g_return_val_if_fail(SUIT_IS_KEY(key), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (algorithm == SUIT_COSE_ALGORITHM_NONE)
		algorithm = suit_key_get_default_algorithm(key);
	if (!suit_key_supports_algorithm(key, algorithm)) {
		const gchar *name = suit_cose_algorithm_to_string(algorithm);
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_UNSUPPORTED_ALGORITHM,
			    "the key cannot sign with algorithm %s",
			    name != NULL ? name : "unknown");
		return NULL;
	}
	is_mac = suit_key_get_key_type(key) == SUIT_KEY_TYPE_SYMMETRIC;

	suit_cbor_map_append(protected_map,
			     suit_cbor_item_new_int(SUIT_COSE_HEADER_ALG),
			     suit_cbor_item_new_int(algorithm));
	protected_item = suit_cbor_item_new_wrapped(protected_map);
	if (key_id != NULL)
		suit_cbor_map_append(unprotected,
				     suit_cbor_item_new_int(SUIT_COSE_HEADER_KID),
				     suit_cbor_item_new_bytes(key_id));

	tbs = suit_cose_build_tbs(is_mac ? "MAC0" : "Signature1",
				  suit_cbor_item_get_bytes(protected_item),
				  NULL,
				  payload);
	signature = suit_key_sign(key, algorithm, tbs, error);
	if (signature == NULL) {
		g_prefix_error(error, "failed to sign: ");
		return NULL;
	}

	array = suit_cbor_item_new_array();
	suit_cbor_array_append(array, suit_cbor_item_ref(protected_item));
	suit_cbor_array_append(array, suit_cbor_item_ref(unprotected));
	suit_cbor_array_append(array, attach_payload ? suit_cbor_item_new_bytes(payload) : suit_cbor_item_new_null());
	suit_cbor_array_append(array, suit_cbor_item_new_bytes(signature));
	root = suit_cbor_item_new_tag(is_mac ? SUIT_COSE_TAG_MAC0 : SUIT_COSE_TAG_SIGN1, g_steal_pointer(&array));
	return suit_cbor_encode(root);
}
