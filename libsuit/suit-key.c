/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <string.h>

#include "suit-cbor-private.h"
#include "suit-error.h"
#include "suit-gnutls-private.h"
#include "suit-key.h"
#include "suit-key-private.h"
#include "suit-model-private.h"

/**
 * SuitKey:
 *
 * A key that signs or verifies SUIT authentication blocks.
 *
 * A key is an ECDSA P-256 or Ed25519 key pair (or only its public half),
 * loaded from PEM, generated, or held in a PKCS#11 token, or a secret for
 * HMAC-SHA-256. Signatures are in the raw form COSE uses: ECDSA signatures
 * are `r||s`, never DER.
 *
 * See also: [class@Keyring]
 */

#define SUIT_KEY_SYMMETRIC_MIN_LENGTH 16
#define SUIT_KEY_COORDINATE_SIZE      32
#define SUIT_KEY_SIGNATURE_SIZE	      64
#define SUIT_KEY_HMAC_SIZE	      32

/* COSE_Key labels and values (RFC 9052 §7, RFC 9053 §7) */
#define SUIT_COSE_KEY_KTY     1
#define SUIT_COSE_KEY_CRV     -1
#define SUIT_COSE_KEY_X	      -2
#define SUIT_COSE_KEY_Y	      -3
#define SUIT_COSE_KTY_OKP     1
#define SUIT_COSE_KTY_EC2     2
#define SUIT_COSE_CRV_P256    1
#define SUIT_COSE_CRV_ED25519 6

struct _SuitKey {
	GObject parent_instance;
	SuitKeyType key_type;
	gnutls_privkey_t privkey; /* (nullable) */
	gnutls_pubkey_t pubkey;	  /* (nullable): NULL only for symmetric keys */
	guint8 *secret;		  /* (nullable): symmetric keys only, wiped on finalize */
	gsize secret_len;
	gboolean is_pkcs11;
	GBytes *key_id; /* (nullable) */
};

G_DEFINE_TYPE(SuitKey, suit_key, G_TYPE_OBJECT)

static void
suit_key_finalize(GObject *object)
{
	SuitKey *self = SUIT_KEY(object);
	if (self->secret != NULL) {
		gnutls_memset(self->secret, 0, self->secret_len);
		g_free(self->secret);
	}
	if (self->privkey != NULL)
		gnutls_privkey_deinit(self->privkey);
	if (self->pubkey != NULL)
		gnutls_pubkey_deinit(self->pubkey);
	if (self->key_id != NULL)
		g_bytes_unref(self->key_id);
	G_OBJECT_CLASS(suit_key_parent_class)->finalize(object);
}

static void
suit_key_class_init(SuitKeyClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->finalize = suit_key_finalize;
}

static void
suit_key_init(SuitKey *self)
{
}

static const gchar *
suit_key_type_to_string(SuitKeyType key_type)
{
	switch (key_type) {
	case SUIT_KEY_TYPE_P256:
		return "P-256";
	case SUIT_KEY_TYPE_ED25519:
		return "Ed25519";
	case SUIT_KEY_TYPE_SYMMETRIC:
		return "symmetric";
	case SUIT_KEY_TYPE_UNKNOWN:
	default:
		return "unknown";
	}
}

/* a gnutls failure as a SUIT_ERROR code for key import */
static gint
suit_key_import_error_code(gint rc)
{
	switch (rc) {
	case GNUTLS_E_UNKNOWN_PK_ALGORITHM:
	case GNUTLS_E_ECC_UNSUPPORTED_CURVE:
	case GNUTLS_E_UNKNOWN_ALGORITHM:
	case GNUTLS_E_UNSUPPORTED_SIGNATURE_ALGORITHM:
	case GNUTLS_E_UNKNOWN_HASH_ALGORITHM:
		return SUIT_ERROR_UNSUPPORTED_ALGORITHM;
	default:
		return SUIT_ERROR_INVALID_DATA;
	}
}

/* sets @error to "@what: <the gnutls message of @rc>" */
static void
suit_key_set_gnutls_error(GError **error, gint code, gint rc, const gchar *what)
{
	g_set_error(error, SUIT_ERROR, code, "%s: %s", what, gnutls_strerror(rc));
}

/* works out the key type of @pubkey: only P-256 and Ed25519 are accepted */
static gboolean
suit_key_classify_pubkey(gnutls_pubkey_t pubkey, SuitKeyType *key_type, GError **error)
{
	gint pk = gnutls_pubkey_get_pk_algorithm(pubkey, NULL);

	if (pk == GNUTLS_PK_EDDSA_ED25519) {
		*key_type = SUIT_KEY_TYPE_ED25519;
		return TRUE;
	}
	if (pk == GNUTLS_PK_ECDSA) {
		gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;
		g_auto(SuitGnutlsDatum) x = {NULL, 0};
		g_auto(SuitGnutlsDatum) y = {NULL, 0};
		gint rc = gnutls_pubkey_export_ecc_raw2(pubkey, &curve, &x, &y, GNUTLS_EXPORT_FLAG_NO_LZ);
		if (rc < 0) {
			suit_key_set_gnutls_error(error,
						  SUIT_ERROR_INVALID_DATA,
						  rc,
						  "cannot read the elliptic curve of the key");
			return FALSE;
		}
		if (curve != GNUTLS_ECC_CURVE_SECP256R1) {
			const gchar *name = gnutls_ecc_curve_get_name(curve);
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_UNSUPPORTED_ALGORITHM,
				    "elliptic curve %s is not supported, only P-256 is",
				    name != NULL ? name : "unknown");
			return FALSE;
		}
		*key_type = SUIT_KEY_TYPE_P256;
		return TRUE;
	}
	if (pk < 0) {
		suit_key_set_gnutls_error(error, SUIT_ERROR_INVALID_DATA, pk, "cannot read the key algorithm");
		return FALSE;
	}
	g_set_error(error,
		    SUIT_ERROR,
		    SUIT_ERROR_UNSUPPORTED_ALGORITHM,
		    "key algorithm %s is not supported, only P-256 and Ed25519 are",
		    gnutls_pk_get_name(pk) != NULL ? gnutls_pk_get_name(pk) : "unknown");
	return FALSE;
}

/* builds a key around @privkey (stolen on success), deriving the public half */
static SuitKey *
suit_key_new_for_privkey(gnutls_privkey_t *privkey, gboolean is_pkcs11, GError **error)
{
	g_auto(gnutls_pubkey_t) pubkey = NULL;
	g_autoptr(SuitKey) self = NULL;
	SuitKeyType key_type = SUIT_KEY_TYPE_UNKNOWN;
	gint rc;

	rc = gnutls_pubkey_init(&pubkey);
	if (rc < 0) {
		suit_key_set_gnutls_error(error, SUIT_ERROR_INTERNAL, rc, "cannot create a public key");
		return NULL;
	}
	rc = gnutls_pubkey_import_privkey(pubkey, *privkey, 0, 0);
	if (rc < 0) {
		suit_key_set_gnutls_error(error,
					  suit_key_import_error_code(rc),
					  rc,
					  "cannot get the public key of the private key");
		return NULL;
	}
	if (!suit_key_classify_pubkey(pubkey, &key_type, error))
		return NULL;

	self = g_object_new(SUIT_TYPE_KEY, NULL);
	self->key_type = key_type;
	self->is_pkcs11 = is_pkcs11;
	self->privkey = g_steal_pointer(privkey);
	self->pubkey = g_steal_pointer(&pubkey);
	return g_steal_pointer(&self);
}

/* builds a public-only key around @pubkey (stolen on success) */
static SuitKey *
suit_key_new_for_pubkey(gnutls_pubkey_t *pubkey, GError **error)
{
	SuitKey *self;
	SuitKeyType key_type = SUIT_KEY_TYPE_UNKNOWN;

	if (!suit_key_classify_pubkey(*pubkey, &key_type, error))
		return NULL;
	self = g_object_new(SUIT_TYPE_KEY, NULL);
	self->key_type = key_type;
	self->pubkey = g_steal_pointer(pubkey);
	return self;
}

/**
 * suit_key_generate:
 * @key_type: a #SuitKeyType, either %SUIT_KEY_TYPE_P256 or %SUIT_KEY_TYPE_ED25519
 * @error: return location for a #GError, or %NULL
 *
 * Generates a new key pair. Use suit_key_new_symmetric() for HMAC secrets.
 *
 * Returns: (transfer full): a new #SuitKey, or %NULL with %SUIT_ERROR_NOT_SUPPORTED
 *   for other key types
 *
 * Since: 0.1
 */
SuitKey *
suit_key_generate(SuitKeyType key_type, GError **error)
{
	g_auto(gnutls_privkey_t) privkey = NULL;
	gnutls_pk_algorithm_t pk;
	guint bits;
	gint rc;

	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	switch (key_type) {
	case SUIT_KEY_TYPE_P256:
		pk = GNUTLS_PK_ECDSA;
		bits = GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1);
		break;
	case SUIT_KEY_TYPE_ED25519:
		pk = GNUTLS_PK_EDDSA_ED25519;
		bits = GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_ED25519);
		break;
	case SUIT_KEY_TYPE_SYMMETRIC:
	case SUIT_KEY_TYPE_UNKNOWN:
	default:
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_NOT_SUPPORTED,
			    "cannot generate a key of type %s",
			    suit_key_type_to_string(key_type));
		return NULL;
	}

	rc = gnutls_privkey_init(&privkey);
	if (rc < 0) {
		suit_key_set_gnutls_error(error, SUIT_ERROR_INTERNAL, rc, "cannot create a private key");
		return NULL;
	}
	rc = gnutls_privkey_generate2(privkey, pk, bits, 0, NULL, 0);
	if (rc < 0) {
		suit_key_set_gnutls_error(error, SUIT_ERROR_INTERNAL, rc, "cannot generate a key");
		return NULL;
	}
	return suit_key_new_for_privkey(&privkey, FALSE, error);
}

static SuitKey *
suit_key_new_from_pem_private(const gnutls_datum_t *datum, GError **error)
{
	g_auto(gnutls_x509_privkey_t) x509 = NULL;
	g_auto(gnutls_privkey_t) privkey = NULL;
	gint rc;

	rc = gnutls_x509_privkey_init(&x509);
	if (rc < 0) {
		suit_key_set_gnutls_error(error, SUIT_ERROR_INTERNAL, rc, "cannot create a private key");
		return NULL;
	}
	rc = gnutls_x509_privkey_import2(x509, datum, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN);
	if (rc < 0) {
		suit_key_set_gnutls_error(error, suit_key_import_error_code(rc), rc, "cannot import the private key");
		return NULL;
	}
	rc = gnutls_privkey_init(&privkey);
	if (rc < 0) {
		suit_key_set_gnutls_error(error, SUIT_ERROR_INTERNAL, rc, "cannot create a private key");
		return NULL;
	}
	rc = gnutls_privkey_import_x509(privkey, x509, GNUTLS_PRIVKEY_IMPORT_AUTO_RELEASE);
	if (rc < 0) {
		suit_key_set_gnutls_error(error, suit_key_import_error_code(rc), rc, "cannot import the private key");
		return NULL;
	}
	x509 = NULL; /* owned by privkey now */
	return suit_key_new_for_privkey(&privkey, FALSE, error);
}

static SuitKey *
suit_key_new_from_pem_public(const gnutls_datum_t *datum, GError **error)
{
	g_auto(gnutls_pubkey_t) pubkey = NULL;
	gint rc;

	rc = gnutls_pubkey_init(&pubkey);
	if (rc < 0) {
		suit_key_set_gnutls_error(error, SUIT_ERROR_INTERNAL, rc, "cannot create a public key");
		return NULL;
	}
	rc = gnutls_pubkey_import(pubkey, datum, GNUTLS_X509_FMT_PEM);
	if (rc < 0) {
		suit_key_set_gnutls_error(error, suit_key_import_error_code(rc), rc, "cannot import the public key");
		return NULL;
	}
	return suit_key_new_for_pubkey(&pubkey, error);
}

static gboolean
suit_key_pem_has_text(const guint8 *data, gsize len, const gchar *text)
{
	return memmem(data, len, text, strlen(text)) != NULL;
}

/**
 * suit_key_new_from_pem:
 * @pem: PEM text
 * @error: return location for a #GError, or %NULL
 *
 * Loads a P-256 or Ed25519 key from PEM: an unencrypted PKCS#8 `PRIVATE KEY`,
 * a SEC1 `EC PRIVATE KEY`, or a SubjectPublicKeyInfo `PUBLIC KEY`.
 *
 * Returns: (transfer full): a new #SuitKey, or %NULL with
 *   %SUIT_ERROR_INVALID_DATA for input that is not such a key,
 *   %SUIT_ERROR_UNSUPPORTED_ALGORITHM for keys of other algorithms and curves,
 *   or %SUIT_ERROR_NOT_SUPPORTED for an `ENCRYPTED PRIVATE KEY`
 *
 * Since: 0.1
 */
SuitKey *
suit_key_new_from_pem(GBytes *pem, GError **error)
{
	gnutls_datum_t datum;
	gsize len = 0;
	const guint8 *data;

	g_return_val_if_fail(pem != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	data = g_bytes_get_data(pem, &len);
	if (data == NULL || len == 0) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "pem data is empty");
		return NULL;
	}
	if (len > G_MAXUINT) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA, "pem data is too large");
		return NULL;
	}
	datum = suit_gnutls_datum_from_bytes(pem);
	if (suit_key_pem_has_text(data, len, "-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_NOT_SUPPORTED,
				    "encrypted private keys are not supported");
		return NULL;
	}
	/* "PRIVATE KEY", "EC PRIVATE KEY", and others GnuTLS reads and we then refuse */
	if (suit_key_pem_has_text(data, len, " PRIVATE KEY-----"))
		return suit_key_new_from_pem_private(&datum, error);
	if (suit_key_pem_has_text(data, len, "-----BEGIN PUBLIC KEY-----"))
		return suit_key_new_from_pem_public(&datum, error);
	g_set_error_literal(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "no PRIVATE KEY, EC PRIVATE KEY or PUBLIC KEY pem block found");
	return NULL;
}

/**
 * suit_key_new_from_file:
 * @filename: the path of a PEM file
 * @error: return location for a #GError, or %NULL
 *
 * Loads a key from a PEM file, as suit_key_new_from_pem() does.
 *
 * Returns: (transfer full): a new #SuitKey, or %NULL with %SUIT_ERROR_NOT_FOUND
 *   if the file does not exist
 *
 * Since: 0.1
 */
SuitKey *
suit_key_new_from_file(const gchar *filename, GError **error)
{
	g_autoptr(GError) error_local = NULL;
	g_autoptr(GBytes) pem = NULL;
	gchar *data = NULL;
	gsize len = 0;
	SuitKey *self;

	g_return_val_if_fail(filename != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!g_file_get_contents(filename, &data, &len, &error_local)) {
		gint code = SUIT_ERROR_INVALID_ARGUMENT;
		if (g_error_matches(error_local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
			code = SUIT_ERROR_NOT_FOUND;
		else if (g_error_matches(error_local, G_FILE_ERROR, G_FILE_ERROR_ACCES))
			code = SUIT_ERROR_PERMISSION_DENIED;
		g_set_error(error, SUIT_ERROR, code, "cannot read key file: %s", error_local->message);
		return NULL;
	}
	pem = g_bytes_new_with_free_func(data, len, g_free, data);
	self = suit_key_new_from_pem(pem, error);
	if (self == NULL) {
		g_prefix_error(error, "failed to load %s: ", filename);
		return NULL;
	}
	return self;
}

/**
 * suit_key_new_symmetric:
 * @secret: the HMAC secret, at least 16 bytes
 * @error: return location for a #GError, or %NULL
 *
 * Creates a key for HMAC-SHA-256 (COSE_Mac0). The secret is copied, and the
 * copy is wiped when the key is freed.
 *
 * Returns: (transfer full): a new #SuitKey, or %NULL with
 *   %SUIT_ERROR_INVALID_ARGUMENT if the secret is too short
 *
 * Since: 0.1
 */
SuitKey *
suit_key_new_symmetric(GBytes *secret, GError **error)
{
	SuitKey *self;
	gsize len = 0;
	const guint8 *data;

	g_return_val_if_fail(secret != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	data = g_bytes_get_data(secret, &len);
	if (len < SUIT_KEY_SYMMETRIC_MIN_LENGTH) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "hmac secret of %" G_GSIZE_FORMAT " bytes is too short, at least %u are needed",
			    len,
			    (guint)SUIT_KEY_SYMMETRIC_MIN_LENGTH);
		return NULL;
	}
	self = g_object_new(SUIT_TYPE_KEY, NULL);
	self->key_type = SUIT_KEY_TYPE_SYMMETRIC;
	self->secret = g_memdup2(data, len);
	self->secret_len = len;
	return self;
}

/**
 * suit_key_new_from_pkcs11_url:
 * @url: a `pkcs11:` URL (RFC 7512) naming a private key
 * @error: return location for a #GError, or %NULL
 *
 * Uses a private key held in a PKCS#11 token, through GnuTLS and p11-kit. The
 * key never leaves the token, so it cannot be exported.
 *
 * Returns: (transfer full): a new #SuitKey, or %NULL with
 *   %SUIT_ERROR_INVALID_ARGUMENT for a URL that is not a PKCS#11 URL or that
 *   GnuTLS cannot parse, %SUIT_ERROR_NOT_SUPPORTED if GnuTLS has no PKCS#11
 *   support, or %SUIT_ERROR_NOT_FOUND if GnuTLS cannot find or use the key
 *
 * Since: 0.1
 */
SuitKey *
suit_key_new_from_pkcs11_url(const gchar *url, GError **error)
{
	g_auto(gnutls_privkey_t) privkey = NULL;
	gint rc;

	g_return_val_if_fail(url != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!g_str_has_prefix(url, "pkcs11:")) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT, "not a pkcs11: url");
		return NULL;
	}
	rc = gnutls_privkey_init(&privkey);
	if (rc < 0) {
		suit_key_set_gnutls_error(error, SUIT_ERROR_INTERNAL, rc, "cannot create a private key");
		return NULL;
	}
	rc = gnutls_privkey_import_url(privkey, url, 0);
	if (rc < 0) {
		gint code = SUIT_ERROR_NOT_FOUND;
		if (rc == GNUTLS_E_PARSING_ERROR || rc == GNUTLS_E_INVALID_REQUEST)
			code = SUIT_ERROR_INVALID_ARGUMENT;
		else if (rc == GNUTLS_E_UNIMPLEMENTED_FEATURE)
			code = SUIT_ERROR_NOT_SUPPORTED;
		suit_key_set_gnutls_error(error, code, rc, "cannot use the pkcs11 key");
		return NULL;
	}
	return suit_key_new_for_privkey(&privkey, TRUE, error);
}

/**
 * suit_key_get_key_type:
 * @self: a #SuitKey
 *
 * Gets the kind of key.
 *
 * Returns: a #SuitKeyType
 *
 * Since: 0.1
 */
SuitKeyType
suit_key_get_key_type(SuitKey *self)
{
	g_return_val_if_fail(SUIT_IS_KEY(self), SUIT_KEY_TYPE_UNKNOWN);
	return self->key_type;
}

/**
 * suit_key_has_private:
 * @self: a #SuitKey
 *
 * Finds out whether the key can sign: it holds a private key (in memory or in
 * a token) or an HMAC secret.
 *
 * Returns: %TRUE if suit_key_sign() can work
 *
 * Since: 0.1
 */
gboolean
suit_key_has_private(SuitKey *self)
{
	g_return_val_if_fail(SUIT_IS_KEY(self), FALSE);
	return self->privkey != NULL || self->secret != NULL;
}

/**
 * suit_key_get_default_algorithm:
 * @self: a #SuitKey
 *
 * Gets the algorithm to sign with when none is given: the fully specified
 * ones of the SUIT MTI profiles.
 *
 * Returns: %SUIT_COSE_ALGORITHM_ESP256 for P-256, %SUIT_COSE_ALGORITHM_ED25519
 *   for Ed25519, %SUIT_COSE_ALGORITHM_HMAC_256 for symmetric keys
 *
 * Since: 0.1
 */
SuitCoseAlgorithm
suit_key_get_default_algorithm(SuitKey *self)
{
	g_return_val_if_fail(SUIT_IS_KEY(self), SUIT_COSE_ALGORITHM_NONE);
	switch (self->key_type) {
	case SUIT_KEY_TYPE_P256:
		return SUIT_COSE_ALGORITHM_ESP256;
	case SUIT_KEY_TYPE_ED25519:
		return SUIT_COSE_ALGORITHM_ED25519;
	case SUIT_KEY_TYPE_SYMMETRIC:
		return SUIT_COSE_ALGORITHM_HMAC_256;
	case SUIT_KEY_TYPE_UNKNOWN:
	default:
		return SUIT_COSE_ALGORITHM_NONE;
	}
}

/**
 * suit_key_supports_algorithm:
 * @self: a #SuitKey
 * @algorithm: a #SuitCoseAlgorithm
 *
 * Finds out whether the key can be used with @algorithm: ES256 and ESP256 for
 * P-256 keys, EdDSA and Ed25519 for Ed25519 keys, HMAC-256 for symmetric keys.
 *
 * Returns: %TRUE if the key suits @algorithm
 *
 * Since: 0.1
 */
gboolean
suit_key_supports_algorithm(SuitKey *self, SuitCoseAlgorithm algorithm)
{
	g_return_val_if_fail(SUIT_IS_KEY(self), FALSE);
	switch (self->key_type) {
	case SUIT_KEY_TYPE_P256:
		return algorithm == SUIT_COSE_ALGORITHM_ES256 || algorithm == SUIT_COSE_ALGORITHM_ESP256;
	case SUIT_KEY_TYPE_ED25519:
		return algorithm == SUIT_COSE_ALGORITHM_EDDSA || algorithm == SUIT_COSE_ALGORITHM_ED25519;
	case SUIT_KEY_TYPE_SYMMETRIC:
		return algorithm == SUIT_COSE_ALGORITHM_HMAC_256;
	case SUIT_KEY_TYPE_UNKNOWN:
	default:
		return FALSE;
	}
}

/**
 * suit_key_get_key_id:
 * @self: a #SuitKey
 *
 * Gets the key id, which is matched against the COSE `kid` header.
 *
 * Returns: (transfer none) (nullable): the key id, or %NULL if unset
 *
 * Since: 0.1
 */
GBytes *
suit_key_get_key_id(SuitKey *self)
{
	g_return_val_if_fail(SUIT_IS_KEY(self), NULL);
	return self->key_id;
}

/**
 * suit_key_set_key_id:
 * @self: a #SuitKey
 * @key_id: (nullable): the key id, or %NULL to unset it
 *
 * Sets the key id, which is matched against the COSE `kid` header.
 *
 * Since: 0.1
 */
void
suit_key_set_key_id(SuitKey *self, GBytes *key_id)
{
	g_return_if_fail(SUIT_IS_KEY(self));
	if (self->key_id == key_id)
		return;
	if (key_id != NULL)
		g_bytes_ref(key_id);
	if (self->key_id != NULL)
		g_bytes_unref(self->key_id);
	self->key_id = key_id;
}

/* the raw public key: x and y left-padded to 32 bytes for P-256, x only for Ed25519 */
static gboolean
suit_key_export_raw(SuitKey *self, GBytes **x_out, GBytes **y_out, GError **error)
{
	gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;
	g_auto(SuitGnutlsDatum) x = {NULL, 0};
	g_auto(SuitGnutlsDatum) y = {NULL, 0};
	guint flags = self->key_type == SUIT_KEY_TYPE_P256 ? GNUTLS_EXPORT_FLAG_NO_LZ : 0;
	gint rc;

	rc = gnutls_pubkey_export_ecc_raw2(self->pubkey, &curve, &x, &y, flags);
	if (rc < 0) {
		suit_key_set_gnutls_error(error, SUIT_ERROR_INTERNAL, rc, "cannot export the public key");
		return FALSE;
	}
	if (x.size > SUIT_KEY_COORDINATE_SIZE ||
	    (self->key_type == SUIT_KEY_TYPE_ED25519 && x.size != SUIT_KEY_COORDINATE_SIZE)) {
		g_set_error(error, SUIT_ERROR, SUIT_ERROR_INTERNAL, "unexpected public key size %u", x.size);
		return FALSE;
	}
	if (self->key_type == SUIT_KEY_TYPE_P256) {
		guint8 buf[SUIT_KEY_COORDINATE_SIZE] = {0};
		if (y.size > SUIT_KEY_COORDINATE_SIZE) {
			g_set_error(error, SUIT_ERROR, SUIT_ERROR_INTERNAL, "unexpected public key size %u", y.size);
			return FALSE;
		}
		memcpy(buf + sizeof(buf) - x.size, x.data, x.size);
		*x_out = g_bytes_new(buf, sizeof(buf));
		memset(buf, 0, sizeof(buf));
		memcpy(buf + sizeof(buf) - y.size, y.data, y.size);
		*y_out = g_bytes_new(buf, sizeof(buf));
		return TRUE;
	}
	*x_out = g_bytes_new(x.data, x.size);
	*y_out = NULL;
	return TRUE;
}

/**
 * suit_key_compute_thumbprint:
 * @self: a #SuitKey
 * @error: return location for a #GError, or %NULL
 *
 * Computes the COSE key thumbprint of RFC 9679: the SHA-256 of the
 * deterministic encoding of the COSE_Key that holds only the required members
 * (`{1:2, -1:1, -2:x, -3:y}` for P-256, `{1:1, -1:6, -2:x}` for Ed25519). It is
 * a good key id.
 *
 * Returns: (transfer full): the 32-byte thumbprint, or %NULL with
 *   %SUIT_ERROR_NOT_SUPPORTED for symmetric keys
 *
 * Since: 0.1
 */
GBytes *
suit_key_compute_thumbprint(SuitKey *self, GError **error)
{
	g_autoptr(SuitCborItem) map = NULL;
	g_autoptr(GBytes) x = NULL;
	g_autoptr(GBytes) y = NULL;
	g_autoptr(GBytes) encoded = NULL;
	gboolean is_p256;
	guint8 digest[32];
	gsize len = 0;
	const guint8 *data;

	g_return_val_if_fail(SUIT_IS_KEY(self), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (self->pubkey == NULL) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED, "symmetric keys have no thumbprint");
		return NULL;
	}
	if (!suit_key_export_raw(self, &x, &y, error))
		return NULL;

	is_p256 = self->key_type == SUIT_KEY_TYPE_P256;
	map = suit_cbor_item_new_map();
	suit_cbor_map_append(map,
			     suit_cbor_item_new_int(SUIT_COSE_KEY_KTY),
			     suit_cbor_item_new_int(is_p256 ? SUIT_COSE_KTY_EC2 : SUIT_COSE_KTY_OKP));
	suit_cbor_map_append(map,
			     suit_cbor_item_new_int(SUIT_COSE_KEY_CRV),
			     suit_cbor_item_new_int(is_p256 ? SUIT_COSE_CRV_P256 : SUIT_COSE_CRV_ED25519));
	suit_cbor_map_append(map, suit_cbor_item_new_int(SUIT_COSE_KEY_X), suit_cbor_item_new_bytes(x));
	if (is_p256)
		suit_cbor_map_append(map, suit_cbor_item_new_int(SUIT_COSE_KEY_Y), suit_cbor_item_new_bytes(y));
	suit_cbor_map_sort(map);
	encoded = suit_cbor_encode(map);
	data = g_bytes_get_data(encoded, &len);
	if (gnutls_hash_fast(GNUTLS_DIG_SHA256, data, len, digest) < 0) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INTERNAL, "hashing failed");
		return NULL;
	}
	return g_bytes_new(digest, sizeof(digest));
}

/* exports the public half of @self into @out, which the caller frees */
static gboolean
suit_key_export_pubkey(SuitKey *self, gnutls_x509_crt_fmt_t fmt, gnutls_datum_t *out, GError **error)
{
	gint rc;

	if (self->pubkey == NULL) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED, "symmetric keys have no public key");
		return FALSE;
	}
	rc = gnutls_pubkey_export2(self->pubkey, fmt, out);
	if (rc < 0) {
		suit_key_set_gnutls_error(error, SUIT_ERROR_INTERNAL, rc, "cannot export the public key");
		return FALSE;
	}
	return TRUE;
}

/**
 * suit_key_export_public_pem:
 * @self: a #SuitKey
 * @error: return location for a #GError, or %NULL
 *
 * Exports the public key as a SubjectPublicKeyInfo `PUBLIC KEY` PEM.
 *
 * Returns: (transfer full): PEM text, or %NULL with %SUIT_ERROR_NOT_SUPPORTED
 *   for symmetric keys
 *
 * Since: 0.1
 */
GBytes *
suit_key_export_public_pem(SuitKey *self, GError **error)
{
	g_auto(SuitGnutlsDatum) out = {NULL, 0};

	g_return_val_if_fail(SUIT_IS_KEY(self), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!suit_key_export_pubkey(self, GNUTLS_X509_FMT_PEM, &out, error))
		return NULL;
	return g_bytes_new(out.data, out.size);
}

/**
 * suit_key_export_private_pem:
 * @self: a #SuitKey
 * @error: return location for a #GError, or %NULL
 *
 * Exports the private key as an unencrypted PKCS#8 `PRIVATE KEY` PEM. Keep the
 * result secret.
 *
 * Returns: (transfer full): PEM text, or %NULL with %SUIT_ERROR_NOT_SUPPORTED
 *   for public-only, PKCS#11 and symmetric keys
 *
 * Since: 0.1
 */
GBytes *
suit_key_export_private_pem(SuitKey *self, GError **error)
{
	g_auto(gnutls_x509_privkey_t) x509 = NULL;
	g_auto(SuitGnutlsSecretDatum) out = {NULL, 0};
	gint rc;

	g_return_val_if_fail(SUIT_IS_KEY(self), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (self->key_type == SUIT_KEY_TYPE_SYMMETRIC) {
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_NOT_SUPPORTED,
				    "symmetric keys cannot be exported as pem");
		return NULL;
	}
	if (self->privkey == NULL) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED, "key has no private part");
		return NULL;
	}
	if (self->is_pkcs11) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED, "pkcs11 keys cannot be exported");
		return NULL;
	}
	rc = gnutls_privkey_export_x509(self->privkey, &x509);
	if (rc < 0) {
		suit_key_set_gnutls_error(error, SUIT_ERROR_NOT_SUPPORTED, rc, "cannot export the private key");
		return NULL;
	}
	rc = gnutls_x509_privkey_export2_pkcs8(x509, GNUTLS_X509_FMT_PEM, NULL, GNUTLS_PKCS_PLAIN, &out);
	if (rc < 0) {
		suit_key_set_gnutls_error(error, SUIT_ERROR_INTERNAL, rc, "cannot export the private key");
		return NULL;
	}
	return g_bytes_new(out.data, out.size);
}

/**
 * suit_key_dup_public:
 * @self: a #SuitKey
 * @error: return location for a #GError, or %NULL
 *
 * Makes a key that holds only the public half of @self, with the same key id.
 *
 * Returns: (transfer full): a new #SuitKey, or %NULL with
 *   %SUIT_ERROR_NOT_SUPPORTED for symmetric keys
 *
 * Since: 0.1
 */
SuitKey *
suit_key_dup_public(SuitKey *self, GError **error)
{
	g_auto(gnutls_pubkey_t) pubkey = NULL;
	g_auto(SuitGnutlsDatum) der = {NULL, 0};
	SuitKey *copy;
	gint rc;

	g_return_val_if_fail(SUIT_IS_KEY(self), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!suit_key_export_pubkey(self, GNUTLS_X509_FMT_DER, &der, error))
		return NULL;
	rc = gnutls_pubkey_init(&pubkey);
	if (rc < 0) {
		suit_key_set_gnutls_error(error, SUIT_ERROR_INTERNAL, rc, "cannot create a public key");
		return NULL;
	}
	rc = gnutls_pubkey_import(pubkey, &der, GNUTLS_X509_FMT_DER);
	if (rc < 0) {
		suit_key_set_gnutls_error(error, SUIT_ERROR_INTERNAL, rc, "cannot import the public key");
		return NULL;
	}
	copy = suit_key_new_for_pubkey(&pubkey, error);
	if (copy == NULL)
		return NULL;
	suit_key_set_key_id(copy, self->key_id);
	return copy;
}

static gboolean
suit_key_check_algorithm(SuitKey *self, SuitCoseAlgorithm algorithm, GError **error)
{
	const gchar *name;
	if (suit_key_supports_algorithm(self, algorithm))
		return TRUE;
	name = suit_cose_algorithm_to_string(algorithm);
	if (name != NULL) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_UNSUPPORTED_ALGORITHM,
			    "algorithm %s cannot be used with a %s key",
			    name,
			    suit_key_type_to_string(self->key_type));
	} else {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_UNSUPPORTED_ALGORITHM,
			    "algorithm %d is not supported",
			    (gint)algorithm);
	}
	return FALSE;
}

static gboolean
suit_key_hmac(SuitKey *self, GBytes *data, guint8 *out, GError **error)
{
	gsize len = 0;
	const guint8 *buf = g_bytes_get_data(data, &len);
	gint rc = gnutls_hmac_fast(GNUTLS_MAC_SHA256,
				   self->secret,
				   self->secret_len,
				   buf != NULL ? buf : (const guint8 *)"",
				   len,
				   out);
	if (rc < 0) {
		suit_key_set_gnutls_error(error, SUIT_ERROR_INTERNAL, rc, "hmac failed");
		return FALSE;
	}
	return TRUE;
}

/* copies the unsigned big-endian integer @value into @out, left-padded to @out_len */
static gboolean
suit_key_copy_padded(const gnutls_datum_t *value, guint8 *out, gsize out_len)
{
	const guint8 *data = value->data;
	gsize len = value->size;
	while (len > 0 && data[0] == 0x00) {
		data++;
		len--;
	}
	if (len > out_len)
		return FALSE;
	memset(out, 0, out_len);
	if (len > 0)
		memcpy(out + out_len - len, data, len);
	return TRUE;
}

/* a minimal positive ASN.1 INTEGER content of the unsigned big-endian @data */
static guint8 *
suit_key_integer_content(const guint8 *data, gsize len, guint *out_len)
{
	guint8 *buf;
	while (len > 1 && data[0] == 0x00) {
		data++;
		len--;
	}
	buf = g_malloc0(len + 1);
	if (data[0] & 0x80) {
		memcpy(buf + 1, data, len);
		*out_len = len + 1;
	} else {
		memcpy(buf, data, len);
		*out_len = len;
	}
	return buf;
}

/**
 * suit_key_sign:
 * @self: a #SuitKey
 * @algorithm: a #SuitCoseAlgorithm the key supports
 * @data: the bytes to sign, e.g. a COSE Sig_structure
 * @error: return location for a #GError, or %NULL
 *
 * Signs @data. ECDSA signatures are raw `r||s` (64 bytes, each half
 * left-padded to 32 bytes) and deterministic (RFC 6979) where GnuTLS can do
 * it; Ed25519 signatures are 64 bytes; HMAC-256 tags are 32 bytes.
 *
 * Returns: (transfer full): the signature, or %NULL with
 *   %SUIT_ERROR_UNSUPPORTED_ALGORITHM if the key does not suit @algorithm, or
 *   %SUIT_ERROR_NOT_SUPPORTED if the key has no private part
 *
 * Since: 0.1
 */
GBytes *
suit_key_sign(SuitKey *self, SuitCoseAlgorithm algorithm, GBytes *data, GError **error)
{
	g_auto(SuitGnutlsDatum) sig = {NULL, 0};
	g_auto(SuitGnutlsDatum) r = {NULL, 0};
	g_auto(SuitGnutlsDatum) s = {NULL, 0};
	gnutls_datum_t datum;
	guint8 raw[SUIT_KEY_SIGNATURE_SIZE];
	guint flags = 0;
	gint rc;

	g_return_val_if_fail(SUIT_IS_KEY(self), NULL);
	g_return_val_if_fail(data != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!suit_key_check_algorithm(self, algorithm, error))
		return NULL;

	if (self->key_type == SUIT_KEY_TYPE_SYMMETRIC) {
		guint8 tag[SUIT_KEY_HMAC_SIZE];
		GBytes *result;
		if (!suit_key_hmac(self, data, tag, error))
			return NULL;
		result = g_bytes_new(tag, sizeof(tag));
		gnutls_memset(tag, 0, sizeof(tag));
		return result;
	}
	if (self->privkey == NULL) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED, "key has no private part");
		return NULL;
	}

	datum = suit_gnutls_datum_from_bytes(data);
	if (self->key_type == SUIT_KEY_TYPE_ED25519) {
		rc = gnutls_privkey_sign_data2(self->privkey, GNUTLS_SIGN_EDDSA_ED25519, 0, &datum, &sig);
		if (rc < 0) {
			suit_key_set_gnutls_error(error, SUIT_ERROR_INTERNAL, rc, "signing failed");
			return NULL;
		}
		if (sig.size != SUIT_KEY_SIGNATURE_SIZE) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INTERNAL,
				    "unexpected ed25519 signature size %u",
				    sig.size);
			return NULL;
		}
		return g_bytes_new(sig.data, sig.size);
	}

	/* ECDSA: GnuTLS gives DER, COSE wants r||s */
	if (!self->is_pkcs11)
		flags |= GNUTLS_PRIVKEY_FLAG_REPRODUCIBLE;
	rc = gnutls_privkey_sign_data2(self->privkey, GNUTLS_SIGN_ECDSA_SHA256, flags, &datum, &sig);
	if (rc < 0) {
		suit_key_set_gnutls_error(error, SUIT_ERROR_INTERNAL, rc, "signing failed");
		return NULL;
	}
	rc = gnutls_decode_rs_value(&sig, &r, &s);
	if (rc < 0) {
		suit_key_set_gnutls_error(error, SUIT_ERROR_INTERNAL, rc, "cannot decode the ecdsa signature");
		return NULL;
	}
	if (!suit_key_copy_padded(&r, raw, SUIT_KEY_COORDINATE_SIZE) ||
	    !suit_key_copy_padded(&s, raw + SUIT_KEY_COORDINATE_SIZE, SUIT_KEY_COORDINATE_SIZE)) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_INTERNAL, "ecdsa signature value is too large");
		return NULL;
	}
	return g_bytes_new(raw, sizeof(raw));
}

static gboolean
suit_key_verify_ecdsa(SuitKey *self, const gnutls_datum_t *datum, const guint8 *raw, GError **error)
{
	g_auto(SuitGnutlsDatum) der = {NULL, 0};
	g_autofree guint8 *r_buf = NULL;
	g_autofree guint8 *s_buf = NULL;
	gnutls_datum_t r = {NULL, 0};
	gnutls_datum_t s = {NULL, 0};
	gint rc;

	r_buf = suit_key_integer_content(raw, SUIT_KEY_COORDINATE_SIZE, &r.size);
	s_buf = suit_key_integer_content(raw + SUIT_KEY_COORDINATE_SIZE, SUIT_KEY_COORDINATE_SIZE, &s.size);
	r.data = r_buf;
	s.data = s_buf;
	rc = gnutls_encode_rs_value(&der, &r, &s);
	if (rc < 0) {
		suit_key_set_gnutls_error(error, SUIT_ERROR_INTERNAL, rc, "cannot encode the ecdsa signature");
		return FALSE;
	}
	rc = gnutls_pubkey_verify_data2(self->pubkey, GNUTLS_SIGN_ECDSA_SHA256, 0, datum, &der);
	if (rc < 0) {
		suit_key_set_gnutls_error(error, SUIT_ERROR_SIGNATURE_INVALID, rc, "ecdsa signature does not verify");
		return FALSE;
	}
	return TRUE;
}

/**
 * suit_key_verify:
 * @self: a #SuitKey
 * @algorithm: a #SuitCoseAlgorithm the key supports
 * @data: the signed bytes, e.g. a COSE Sig_structure
 * @signature: the signature: raw `r||s` for ECDSA (64 bytes), 64 bytes for
 *   Ed25519, 32 bytes for HMAC-256
 * @error: return location for a #GError, or %NULL
 *
 * Checks a signature or HMAC tag. A DER-encoded ECDSA signature is rejected.
 * HMAC tags are compared in constant time.
 *
 * Returns: %TRUE if the signature is valid, %FALSE with
 *   %SUIT_ERROR_SIGNATURE_INVALID if not, or %SUIT_ERROR_UNSUPPORTED_ALGORITHM
 *   if the key does not suit @algorithm
 *
 * Since: 0.1
 */
gboolean
suit_key_verify(SuitKey *self, SuitCoseAlgorithm algorithm, GBytes *data, GBytes *signature, GError **error)
{
	gnutls_datum_t datum;
	gnutls_datum_t sig_datum;
	gsize sig_len = 0;
	const guint8 *sig;
	gint rc;

	g_return_val_if_fail(SUIT_IS_KEY(self), FALSE);
	g_return_val_if_fail(data != NULL, FALSE);
	g_return_val_if_fail(signature != NULL, FALSE);
	g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

	if (!suit_key_check_algorithm(self, algorithm, error))
		return FALSE;
	sig = g_bytes_get_data(signature, &sig_len);

	if (self->key_type == SUIT_KEY_TYPE_SYMMETRIC) {
		guint8 tag[SUIT_KEY_HMAC_SIZE];
		gboolean ok;
		if (sig_len != SUIT_KEY_HMAC_SIZE) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_SIGNATURE_INVALID,
				    "hmac tag of %" G_GSIZE_FORMAT " bytes, expected %u",
				    sig_len,
				    (guint)SUIT_KEY_HMAC_SIZE);
			return FALSE;
		}
		if (!suit_key_hmac(self, data, tag, error))
			return FALSE;
		ok = suit_memeq_const_time(tag, sig, sizeof(tag));
		gnutls_memset(tag, 0, sizeof(tag));
		if (!ok) {
			g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID, "hmac tag does not match");
			return FALSE;
		}
		return TRUE;
	}

	if (sig_len != SUIT_KEY_SIGNATURE_SIZE) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_SIGNATURE_INVALID,
			    "%s signature of %" G_GSIZE_FORMAT " bytes, expected %u",
			    suit_key_type_to_string(self->key_type),
			    sig_len,
			    (guint)SUIT_KEY_SIGNATURE_SIZE);
		return FALSE;
	}
	datum = suit_gnutls_datum_from_bytes(data);
	if (self->key_type == SUIT_KEY_TYPE_P256)
		return suit_key_verify_ecdsa(self, &datum, sig, error);
	sig_datum.data = (guint8 *)sig;
	sig_datum.size = sig_len;
	rc = gnutls_pubkey_verify_data2(self->pubkey, GNUTLS_SIGN_EDDSA_ED25519, 0, &datum, &sig_datum);
	if (rc < 0) {
		suit_key_set_gnutls_error(error, SUIT_ERROR_SIGNATURE_INVALID, rc, "ed25519 signature does not verify");
		return FALSE;
	}
	return TRUE;
}

typedef struct {
	SuitCoseAlgorithm algorithm;
	const gchar *name;
} SuitCoseAlgorithmName;

static const SuitCoseAlgorithmName suit_cose_algorithm_names[] = {
    {SUIT_COSE_ALGORITHM_ES256, "ES256"},
    {SUIT_COSE_ALGORITHM_ESP256, "ESP256"},
    {SUIT_COSE_ALGORITHM_EDDSA, "EdDSA"},
    {SUIT_COSE_ALGORITHM_ED25519, "Ed25519"},
    {SUIT_COSE_ALGORITHM_HMAC_256, "HMAC-256"},
};

/**
 * suit_cose_algorithm_to_string:
 * @algorithm: a #SuitCoseAlgorithm
 *
 * Gets the COSE name of an algorithm: `ES256`, `ESP256`, `EdDSA`, `Ed25519`
 * or `HMAC-256`.
 *
 * Returns: (nullable): the name, or %NULL for %SUIT_COSE_ALGORITHM_NONE and
 *   unknown values
 *
 * Since: 0.1
 */
const gchar *
suit_cose_algorithm_to_string(SuitCoseAlgorithm algorithm)
{
	for (guint i = 0; i < G_N_ELEMENTS(suit_cose_algorithm_names); i++) {
		if (suit_cose_algorithm_names[i].algorithm == algorithm)
			return suit_cose_algorithm_names[i].name;
	}
	return NULL;
}

/**
 * suit_cose_algorithm_from_string:
 * @name: (nullable): a COSE algorithm name (any case), or its numeric id such as `-7`
 *
 * Parses an algorithm name as given by suit_cose_algorithm_to_string().
 *
 * Returns: a #SuitCoseAlgorithm, or %SUIT_COSE_ALGORITHM_NONE if unknown
 *
 * Since: 0.1
 */
SuitCoseAlgorithm
suit_cose_algorithm_from_string(const gchar *name)
{
	gint64 value = 0;

	if (name == NULL)
		return SUIT_COSE_ALGORITHM_NONE;
	for (guint i = 0; i < G_N_ELEMENTS(suit_cose_algorithm_names); i++) {
		if (g_ascii_strcasecmp(suit_cose_algorithm_names[i].name, name) == 0)
			return suit_cose_algorithm_names[i].algorithm;
	}
	if (!g_ascii_string_to_signed(name, 10, G_MININT32, G_MAXINT32, &value, NULL))
		return SUIT_COSE_ALGORITHM_NONE;
	if (suit_cose_algorithm_to_string((SuitCoseAlgorithm)value) == NULL)
		return SUIT_COSE_ALGORITHM_NONE;
	return (SuitCoseAlgorithm)value;
}

/* private accessors for payload decryption (suit-key-private.h) -------------- */

const guint8 *
suit_key_peek_secret(SuitKey *self, gsize *len)
{
	g_return_val_if_fail(SUIT_IS_KEY(self), NULL);
	g_return_val_if_fail(len != NULL, NULL);
	*len = 0;
	if (self->key_type != SUIT_KEY_TYPE_SYMMETRIC || self->secret == NULL)
		return NULL;
	*len = self->secret_len;
	return self->secret;
}

gboolean
suit_key_export_p256_scalar(SuitKey *self, guint8 scalar[SUIT_KEY_P256_SCALAR_SIZE], GError **error)
{
	gnutls_ecc_curve_t curve = GNUTLS_ECC_CURVE_INVALID;
	gnutls_datum_t k = {NULL, 0};
	gint rc;

	g_return_val_if_fail(SUIT_IS_KEY(self), FALSE);
	if (self->key_type != SUIT_KEY_TYPE_P256 || self->privkey == NULL) {
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED, "not a P-256 private key");
		return FALSE;
	}
	rc = gnutls_privkey_export_ecc_raw2(self->privkey, &curve, NULL, NULL, &k, GNUTLS_EXPORT_FLAG_NO_LZ);
	if (rc < 0) {
		suit_gnutls_datum_clear_secret(&k);
		suit_key_set_gnutls_error(error, SUIT_ERROR_NOT_SUPPORTED, rc, "cannot export the private key");
		return FALSE;
	}
	if (curve != GNUTLS_ECC_CURVE_SECP256R1 || k.size == 0 || k.size > SUIT_KEY_P256_SCALAR_SIZE) {
		suit_gnutls_datum_clear_secret(&k);
		g_set_error_literal(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED, "not a P-256 private key");
		return FALSE;
	}
	memset(scalar, 0, SUIT_KEY_P256_SCALAR_SIZE);
	memcpy(scalar + SUIT_KEY_P256_SCALAR_SIZE - k.size, k.data, k.size);
	suit_gnutls_datum_clear_secret(&k);
	return TRUE;
}
