/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * Conformance over the shared vectors (../shared/vectors/README.md): each
 * envelope verifies with the key of its README row, its manifest digest,
 * sequence number and severable digests equal the README's values, it
 * re-serializes byte for byte, and its JSON mirror rebuilds the same CBOR.
 * The external edge cases give the outcome their README rows state.
 */

#include "config.h"

#include "suit-cbor-private.h"
#include "suit-cose-private.h"
#include "suit-manifest-private.h"
#include "suit-test-common.h"

typedef struct {
	const gchar *file;
	const gchar *key;	     /* relative to the vectors dir; .bin = HMAC secret */
	const gchar *digest_prefix;  /* README "6658ea56…83c7e5af" */
	const gchar *digest_suffix;
	gint64 sequence_number;	     /* -1 = not stated */
	const gchar *install_prefix; /* severed suit-install digest, or NULL */
	const gchar *text_prefix;    /* severed suit-text digest, or NULL */
} ConformanceVector;

#define DRAFT_KEY "keys/suit-draft-p256.pub.pem"
#define ED_KEY	  "keys/ed25519-rfc8032-test1.pub.pem"
#define MAC_KEY	  "keys/hmac256-mac-key.bin"

static const ConformanceVector vectors[] = {
    {"manifest/ex0-secure-boot.suit", DRAFT_KEY, "6658ea56", "83c7e5af", 0, NULL, NULL},
    {"manifest/ex1-download-install.suit", DRAFT_KEY, "1f2e7acc", "4daf2", 1, NULL, NULL},
    {"manifest/ex2-severable-full.suit", DRAFT_KEY, "6a5197ed", "609b90", 2, "cfa90c5c", "302196d4"},
    {"manifest/ex2-severed.suit", DRAFT_KEY, "6a5197ed", "609b90", 2, "cfa90c5c", "302196d4"},
    {"manifest/ex3-ab-images.suit", DRAFT_KEY, "f6d44a62", "da2ee0", 3, NULL, NULL},
    {"manifest/ex4-load-external.suit", DRAFT_KEY, "5b5f6586", "cdbdd6", 4, NULL, NULL},
    {"manifest/ex5-two-images.suit", DRAFT_KEY, "15ce60f7", "34f470", 5, NULL, NULL},
    {"derived/ex0-eddsa-alg-8.suit", ED_KEY, "6658ea56", "83c7e5af", 0, NULL, NULL},
    {"derived/ex0-ed25519-alg-19.suit", ED_KEY, "6658ea56", "83c7e5af", 0, NULL, NULL},
    {"derived/ex2-severable-eddsa-alg-8.suit", ED_KEY, "6a5197ed", "609b90", 2, "cfa90c5c", "302196d4"},
    {"encryption/aeskw-gcm-write.suit", MAC_KEY, "037a5c32", "e94e2c", 1, NULL, NULL},
    {"encryption/aeskw-gcm-fetch-copy.suit", MAC_KEY, "3c92aece", "da7c9c", -1, NULL, NULL},
    {"encryption/aeskw-gcm-slot.suit", MAC_KEY, "6d74bd31", "41de3", -1, NULL, NULL},
    {"encryption/esdh-gcm-write.suit", DRAFT_KEY, "1db69ef1", "75f593", -1, NULL, NULL},
    {"encryption/esdh-gcm-dependency.suit",
     "keys/enc-dependency-signer-p256.pub.pem",
     "a00cb6c8",
     "056fe9",
     -1,
     NULL,
     NULL},
    {"trust-domains/td-dependency.suit", DRAFT_KEY, "0f02caf6", "8ef3d8", 0, NULL, NULL},
    {"trust-domains/td-dependent-process.suit", DRAFT_KEY, "aeba316a", "0bbe62", -1, NULL, NULL},
    {"trust-domains/td-integrated-dependency.suit", DRAFT_KEY, "88e11995", "d667df", -1, NULL, NULL},
    {"teep/teep-uri.suit", DRAFT_KEY, "b39b52b0", "48d59b", 3, NULL, NULL},
    {"teep/teep-integrated.suit", DRAFT_KEY, "cedb0457", "e3f219", -1, NULL, NULL},
    {"teep/teep-personalization.suit", DRAFT_KEY, "506d4796", "d465508a", -1, NULL, NULL},
    {"update-management/um-U0.suit", DRAFT_KEY, NULL, NULL, -1, NULL, NULL},
    {"update-management/um-U1.suit", DRAFT_KEY, NULL, NULL, -1, NULL, NULL},
    {"update-management/um-U2.suit", DRAFT_KEY, NULL, NULL, -1, NULL, NULL},
    {"update-management/um-U3.suit", DRAFT_KEY, NULL, NULL, -1, NULL, NULL},
};

static SuitKeyring *
keyring_for(const gchar *relpath)
{
	g_autoptr(SuitKeyring) keyring = suit_keyring_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitKey) key = NULL;

	if (g_str_has_suffix(relpath, ".bin")) {
		g_autoptr(GBytes) secret = suit_test_load_vector(relpath);
		key = suit_key_new_symmetric(secret, &error);
	} else {
		g_autofree gchar *path = suit_test_vector_path(relpath);
		key = suit_key_new_from_file(path, &error);
	}
	g_assert_no_error(error);
	suit_keyring_add(keyring, key);
	return g_steal_pointer(&keyring);
}

static void
assert_digest_matches(SuitDigest *digest, const gchar *prefix, const gchar *suffix)
{
	g_autofree gchar *hex = NULL;
	g_assert_nonnull(digest);
	g_assert_cmpint(suit_digest_get_algorithm(digest), ==, SUIT_DIGEST_ALGORITHM_SHA256);
	hex = suit_digest_to_hex(digest);
	if (prefix != NULL && !g_str_has_prefix(hex, prefix))
		g_error("digest %s does not start with %s", hex, prefix);
	if (suffix != NULL && !g_str_has_suffix(hex, suffix))
		g_error("digest %s does not end with %s", hex, suffix);
}

/* the JSON mirror rebuilds the manifest, severed members and payloads byte for byte */
static void
assert_json_roundtrip(SuitEnvelope *envelope)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *json = suit_envelope_to_json(envelope, SUIT_JSON_FLAG_PRETTY, &error);
	g_autoptr(SuitEnvelope) rebuilt = NULL;
	g_autoptr(GPtrArray) names = NULL;
	g_autofree gchar *json2 = NULL;

	g_assert_no_error(error);
	g_assert_nonnull(json);
	rebuilt = suit_envelope_new_from_json(json, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(suit_envelope_get_manifest_bytes(rebuilt),
				    suit_envelope_get_manifest_bytes(envelope)));
	g_assert_cmpint(suit_envelope_get_tagged(rebuilt), ==, suit_envelope_get_tagged(envelope));
	for (gint64 key = 14; key <= 23; key++) {
		GBytes *a = suit_envelope_get_member(envelope, key);
		GBytes *b = suit_envelope_get_member(rebuilt, key);
		if (a == NULL) {
			g_assert_null(b);
			continue;
		}
		g_assert_nonnull(b);
		g_assert_true(g_bytes_equal(a, b));
	}
	names = suit_envelope_get_integrated_names(envelope);
	for (guint i = 0; i < names->len; i++) {
		const gchar *name = g_ptr_array_index(names, i);
		GBytes *b = suit_envelope_get_integrated(rebuilt, name);
		g_assert_nonnull(b);
		g_assert_true(g_bytes_equal(suit_envelope_get_integrated(envelope, name), b));
	}
	/* and the JSON of the rebuilt envelope describes the same manifest */
	json2 = suit_envelope_to_json(rebuilt, SUIT_JSON_FLAG_NONE, &error);
	g_assert_no_error(error);
	g_assert_nonnull(json2);
}

static void
check_vector(gconstpointer user_data)
{
	const ConformanceVector *vector = user_data;
	g_autoptr(GBytes) blob = suit_test_load_vector(vector->file);
	g_autoptr(SuitKeyring) keyring = keyring_for(vector->key);
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitEnvelope) envelope = NULL;
	g_autoptr(GBytes) reencoded = NULL;
	SuitManifest *manifest;

	envelope = suit_envelope_new_from_bytes(blob, SUIT_PARSE_FLAG_NONE, &error);
	g_assert_no_error(error);
	g_assert_nonnull(envelope);

	/* nothing is handed out before verification */
	g_assert_null(suit_envelope_get_manifest(envelope, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NO_AUTHENTICATION);
	g_clear_error(&error);

	g_assert_true(suit_envelope_verify(envelope, keyring, SUIT_VERIFY_FLAG_NONE, &error));
	g_assert_no_error(error);
	g_assert_true(suit_envelope_is_verified(envelope));
	manifest = suit_envelope_get_manifest(envelope, &error);
	g_assert_no_error(error);
	g_assert_nonnull(manifest);
	g_assert_cmpuint(suit_manifest_get_version(manifest), ==, 1);

	if (vector->digest_prefix != NULL)
		assert_digest_matches(suit_envelope_get_manifest_digest(envelope),
				      vector->digest_prefix,
				      vector->digest_suffix);
	if (vector->sequence_number >= 0)
		g_assert_cmpuint(suit_manifest_get_sequence_number(manifest), ==, vector->sequence_number);
	if (vector->install_prefix != NULL)
		assert_digest_matches(suit_manifest_get_member_digest(manifest, SUIT_MANIFEST_KEY_INSTALL),
				      vector->install_prefix,
				      NULL);
	if (vector->text_prefix != NULL)
		assert_digest_matches(suit_manifest_get_member_digest(manifest, SUIT_MANIFEST_KEY_TEXT),
				      vector->text_prefix,
				      NULL);

	/* the whole envelope re-serializes byte for byte */
	reencoded = suit_envelope_to_bytes(envelope, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(reencoded, blob));
	/* and so does the manifest model */
	{
		g_autoptr(GBytes) manifest_bytes = suit_manifest_to_bytes(manifest);
		g_assert_true(g_bytes_equal(manifest_bytes, suit_envelope_get_manifest_bytes(envelope)));
	}
	assert_json_roundtrip(envelope);
}

static void
test_conformance_ex2_members(void)
{
	g_autoptr(GBytes) full = suit_test_load_vector("manifest/ex2-severable-full.suit");
	g_autoptr(GBytes) severed = suit_test_load_vector("manifest/ex2-severed.suit");
	g_autoptr(SuitKeyring) keyring = keyring_for(DRAFT_KEY);
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitEnvelope) envelope = suit_envelope_new_from_bytes(full, SUIT_PARSE_FLAG_NONE, &error);
	g_autoptr(SuitEnvelope) envelope2 = suit_envelope_new_from_bytes(severed, SUIT_PARSE_FLAG_NONE, &error);
	g_autoptr(GBytes) out = NULL;
	SuitManifest *manifest;

	g_assert_no_error(error);
	g_assert_true(suit_envelope_verify(envelope, keyring, SUIT_VERIFY_FLAG_NONE, &error));
	g_assert_no_error(error);
	manifest = suit_envelope_get_manifest(envelope, &error);
	g_assert_cmpint(suit_manifest_get_member_state(manifest, SUIT_MANIFEST_KEY_INSTALL), ==, SUIT_MEMBER_STATE_ATTACHED);
	g_assert_nonnull(suit_manifest_get_sequence(manifest, SUIT_SECTION_INSTALL));
	g_assert_cmpstr(suit_manifest_get_reference_uri(manifest), ==, "https://git.io/JJYoj");

	/* the severed variant verifies too, but install is not available */
	g_assert_true(suit_envelope_verify(envelope2, keyring, SUIT_VERIFY_FLAG_NONE, &error));
	g_assert_no_error(error);
	manifest = suit_envelope_get_manifest(envelope2, &error);
	g_assert_cmpint(suit_manifest_get_member_state(manifest, SUIT_MANIFEST_KEY_INSTALL), ==, SUIT_MEMBER_STATE_SEVERED);
	g_assert_null(suit_manifest_get_sequence(manifest, SUIT_SECTION_INSTALL));
	g_assert_nonnull(suit_manifest_get_sequence(manifest, SUIT_SECTION_VALIDATE));

	/* severing the full envelope gives exactly the severed vector */
	g_assert_true(suit_envelope_sever(envelope, SUIT_MANIFEST_KEY_INSTALL, &error));
	g_assert_no_error(error);
	g_assert_true(suit_envelope_sever(envelope, SUIT_MANIFEST_KEY_TEXT, &error));
	g_assert_no_error(error);
	g_assert_false(suit_envelope_sever(envelope, SUIT_MANIFEST_KEY_TEXT, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
	g_clear_error(&error);
	out = suit_envelope_to_bytes(envelope, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(out, severed));
}

static void
test_conformance_inline_not_severable(void)
{
	g_autoptr(GBytes) blob = suit_test_load_vector("manifest/ex1-download-install.suit");
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitEnvelope) envelope = suit_envelope_new_from_bytes(blob, SUIT_PARSE_FLAG_NONE, &error);
	g_assert_no_error(error);
	g_assert_false(suit_envelope_sever(envelope, SUIT_MANIFEST_KEY_INSTALL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_SUPPORTED);
	g_clear_error(&error);
	g_assert_false(suit_envelope_sever(envelope, 7, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
}

static void
test_conformance_integrated_dependency(void)
{
	g_autoptr(GBytes) outer = suit_test_load_vector("trust-domains/td-integrated-dependency.suit");
	g_autoptr(GBytes) dependency = suit_test_load_vector("trust-domains/td-dependency.suit");
	g_autoptr(GBytes) enc = suit_test_load_vector("encryption/esdh-gcm-dependency.suit");
	g_autoptr(SuitKeyring) keyring = keyring_for(DRAFT_KEY);
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitEnvelope) envelope = suit_envelope_new_from_bytes(outer, SUIT_PARSE_FLAG_NONE, &error);
	g_autoptr(SuitEnvelope) inner = NULL;
	g_autoptr(SuitEnvelope) enc_envelope = NULL;
	g_autoptr(SuitEnvelope) enc_inner = NULL;
	GBytes *payload;

	g_assert_no_error(error);
	payload = suit_envelope_get_integrated(envelope, "#dependent.suit");
	g_assert_nonnull(payload);
	g_assert_true(g_bytes_equal(payload, dependency));
	g_assert_null(suit_envelope_get_integrated(envelope, "#missing"));

	/* the dependency inside the encryption example is signed by the draft key */
	enc_envelope = suit_envelope_new_from_bytes(enc, SUIT_PARSE_FLAG_NONE, &error);
	g_assert_no_error(error);
	payload = suit_envelope_get_integrated(enc_envelope, "#dependency-manifest");
	g_assert_nonnull(payload);
	enc_inner = suit_envelope_new_from_bytes(payload, SUIT_PARSE_FLAG_NONE, &error);
	g_assert_no_error(error);
	g_assert_true(suit_envelope_verify(enc_inner, keyring, SUIT_VERIFY_FLAG_NONE, &error));
	g_assert_no_error(error);
	assert_digest_matches(suit_envelope_get_manifest_digest(enc_inner), "4b15c90f", "bdf16");
	assert_json_roundtrip(enc_inner);
	/* the outer one is not signed by the draft key */
	g_assert_false(suit_envelope_verify(enc_envelope, keyring, SUIT_VERIFY_FLAG_NONE, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
}

/* external/ edge cases, with the outcome of their README rows */
static void
test_conformance_external(void)
{
	struct {
		const gchar *file;
		const gchar *key;
		gint code; /* -1: accepted */
	} cases[] = {
	    {"external/draft-ex0-no-cose-auth.suit", DRAFT_KEY, SUIT_ERROR_NO_AUTHENTICATION},
	    {"external/draft-ex2-no-cose-auth-severed.suit", DRAFT_KEY, SUIT_ERROR_NO_AUTHENTICATION},
	    {"external/nordic-unsigned-bad-digest-bignum-version.suit",
	     "keys/nordic-suit-generator-test-p256.pub.pem",
	     SUIT_ERROR_NO_AUTHENTICATION},
	    {"external/nordic-signed-digest-mismatch.suit",
	     "keys/nordic-suit-generator-test-p256.pub.pem",
	     SUIT_ERROR_DIGEST_MISMATCH},
	    {"external/nordic-two-signatures-legacy-install17.suit",
	     "keys/nordic-suit-generator-test-p256.pub.pem",
	     -1},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GBytes) blob = suit_test_load_vector(cases[i].file);
		g_autoptr(SuitKeyring) keyring = keyring_for(cases[i].key);
		g_autoptr(GError) error = NULL;
		g_autoptr(SuitEnvelope) envelope = suit_envelope_new_from_bytes(blob, SUIT_PARSE_FLAG_NONE, &error);
		gboolean ok;

		g_test_message("%s", cases[i].file);
		g_assert_no_error(error);
		/* inspectable and lossless even when the manifest is refused */
		assert_json_roundtrip(envelope);
		ok = suit_envelope_verify(envelope, keyring, SUIT_VERIFY_FLAG_NONE, &error);
		if (cases[i].code < 0) {
			SuitManifest *manifest;
			g_assert_no_error(error);
			g_assert_true(ok);
			/* both blocks verify */
			g_assert_true(suit_envelope_verify(envelope, keyring, SUIT_VERIFY_FLAG_REQUIRE_ALL, &error));
			g_assert_no_error(error);
			manifest = suit_envelope_get_manifest(envelope, &error);
			/* key 17 is kept as an unknown element, never as install */
			g_assert_cmpint(suit_manifest_get_member_state(manifest, SUIT_MANIFEST_KEY_INSTALL),
					==,
					SUIT_MEMBER_STATE_ABSENT);
			g_assert_null(suit_manifest_get_sequence(manifest, SUIT_SECTION_INSTALL));
			g_assert_cmpuint(suit_manifest_get_unknown_elements(manifest)->len, >=, 1);
			g_assert_nonnull(suit_envelope_get_integrated(envelope, "#file.bin"));
		} else {
			g_assert_false(ok);
			g_assert_error(error, SUIT_ERROR, cases[i].code);
		}
	}
	/* the bignum version is rejected as such when the manifest is decoded */
	{
		g_autoptr(GBytes) blob = suit_test_load_vector("external/nordic-unsigned-bad-digest-bignum-version.suit");
		g_autoptr(GError) error = NULL;
		g_autoptr(SuitEnvelope) envelope = suit_envelope_new_from_bytes(blob, SUIT_PARSE_FLAG_NONE, &error);
		g_autofree gchar *json = NULL;
		g_assert_no_error(error);
		g_assert_null(suit_envelope_peek_manifest(envelope, &error));
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_UNSUPPORTED_VERSION);
		g_clear_error(&error);
		/* the JSON mirror says why, and keeps the manifest as raw CBOR */
		json = suit_envelope_to_json(envelope, SUIT_JSON_FLAG_NONE, &error);
		g_assert_no_error(error);
		g_assert_nonnull(strstr(json, "\"manifest-error\":{\"error\":\"unsupported-version\""));
		g_assert_nonnull(strstr(json, "\"manifest\":{\"cbor\":\"a501c24b"));
	}
	/* a raw manifest in JSON must at least be well-formed CBOR */
	{
		g_autoptr(GError) error = NULL;
		g_autoptr(SuitEnvelope) envelope =
		    suit_envelope_new_from_json("{\"manifest\": {\"cbor\": \"a501\"}}", &error);
		g_assert_null(envelope);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_CBOR);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	for (guint i = 0; i < G_N_ELEMENTS(vectors); i++) {
		g_autofree gchar *path = g_strdup_printf("/suit/conformance/vector/%s", vectors[i].file);
		g_test_add_data_func(path, &vectors[i], check_vector);
	}
	g_test_add_func("/suit/conformance/ex2-members", test_conformance_ex2_members);
	g_test_add_func("/suit/conformance/inline-not-severable", test_conformance_inline_not_severable);
	g_test_add_func("/suit/conformance/integrated-dependency", test_conformance_integrated_dependency);
	g_test_add_func("/suit/conformance/external", test_conformance_external);
	return g_test_run();
}
