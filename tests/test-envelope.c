/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "suit-cbor-private.h"
#include "suit-cose-private.h"
#include "suit-manifest-private.h"
#include "suit-test-common.h"

static SuitKeyring *
keyring_for_file(const gchar *relpath)
{
	g_autoptr(SuitKeyring) keyring = suit_keyring_new();
	g_autofree gchar *path = suit_test_vector_path(relpath);
	g_autoptr(GError) error = NULL;
	g_assert_true(suit_keyring_add_from_file(keyring, path, &error));
	g_assert_no_error(error);
	return g_steal_pointer(&keyring);
}

static SuitKey *
key_for_file(const gchar *relpath)
{
	g_autofree gchar *path = suit_test_vector_path(relpath);
	g_autoptr(GError) error = NULL;
	SuitKey *key = suit_key_new_from_file(path, &error);
	g_assert_no_error(error);
	return key;
}

static SuitKeyring *
keyring_with(SuitKey *key)
{
	SuitKeyring *keyring = suit_keyring_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitKey) pub = suit_key_get_key_type(key) == SUIT_KEY_TYPE_SYMMETRIC
				     ? g_object_ref(key)
				     : suit_key_dup_public(key, &error);
	g_assert_no_error(error);
	suit_keyring_add(keyring, pub);
	return keyring;
}

/* an envelope {2: bstr([bstr(digest), bstr(block)...]), 3: bstr(manifest)} */
static GBytes *
build_envelope(GBytes *digest_cbor, GPtrArray *blocks, GBytes *manifest)
{
	g_autoptr(SuitCborItem) wrapper = suit_cbor_item_new_array();
	g_autoptr(SuitCborItem) map = suit_cbor_item_new_map();
	g_autoptr(SuitCborItem) tag = NULL;
	suit_cbor_array_append(wrapper, suit_cbor_item_new_bytes(digest_cbor));
	for (guint i = 0; blocks != NULL && i < blocks->len; i++)
		suit_cbor_array_append(wrapper, suit_cbor_item_new_bytes(g_ptr_array_index(blocks, i)));
	suit_cbor_map_append(map, suit_cbor_item_new_uint(2), suit_cbor_item_new_wrapped(wrapper));
	suit_cbor_map_append(map, suit_cbor_item_new_uint(3), suit_cbor_item_new_bytes(manifest));
	tag = suit_cbor_item_new_tag(107, g_steal_pointer(&map));
	return suit_cbor_encode(tag);
}

static GBytes *
manifest_digest_cbor(GBytes *manifest)
{
	g_autoptr(SuitCborItem) bstr = suit_cbor_item_new_bytes(manifest);
	g_autoptr(GBytes) encoded = suit_cbor_encode(bstr);
	g_autoptr(SuitDigest) digest = suit_digest_compute(SUIT_DIGEST_ALGORITHM_SHA256, encoded, NULL);
	return suit_digest_to_cbor(digest);
}

static void
assert_rejected(GBytes *blob, SuitKeyring *keyring, gint code)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitEnvelope) envelope = suit_envelope_new_from_bytes(blob, SUIT_PARSE_FLAG_NONE, &error);
	if (envelope != NULL) {
		g_assert_no_error(error);
		g_assert_false(suit_envelope_verify(envelope, keyring, SUIT_VERIFY_FLAG_NONE, &error));
	}
	g_assert_nonnull(error);
	if (code >= 0)
		g_assert_error(error, SUIT_ERROR, code);
	else
		g_assert_true(error->domain == SUIT_ERROR);
}

static void
test_envelope_sign_roundtrip(void)
{
	SuitKeyType types[] = {SUIT_KEY_TYPE_P256, SUIT_KEY_TYPE_ED25519};
	for (guint i = 0; i < G_N_ELEMENTS(types); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) blob = suit_test_load_vector("manifest/ex1-download-install.suit");
		g_autoptr(SuitEnvelope) envelope = suit_envelope_new_from_bytes(blob, SUIT_PARSE_FLAG_NONE, &error);
		g_autoptr(SuitKey) key = suit_key_generate(types[i], &error);
		g_autoptr(SuitKeyring) keyring = NULL;
		g_autoptr(SuitKeyring) draft = keyring_for_file("keys/suit-draft-p256.pub.pem");
		g_autoptr(GBytes) out = NULL;
		g_autoptr(SuitEnvelope) reparsed = NULL;

		g_assert_no_error(error);
		keyring = keyring_with(key);
		/* replace the draft signature with ours */
		suit_envelope_clear_authentication(envelope);
		g_assert_cmpuint(suit_envelope_get_n_authentication_blocks(envelope), ==, 0);
		g_assert_true(suit_envelope_sign(envelope, key, SUIT_COSE_ALGORITHM_NONE, NULL, &error));
		g_assert_no_error(error);
		out = suit_envelope_to_bytes(envelope, &error);
		g_assert_no_error(error);
		reparsed = suit_envelope_new_from_bytes(out, SUIT_PARSE_FLAG_NONE, &error);
		g_assert_no_error(error);
		g_assert_true(suit_envelope_verify(reparsed, keyring, SUIT_VERIFY_FLAG_NONE, &error));
		g_assert_no_error(error);
		g_assert_false(suit_envelope_verify(reparsed, draft, SUIT_VERIFY_FLAG_NONE, &error));
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
		g_assert_true(g_bytes_equal(suit_envelope_get_manifest_bytes(reparsed),
					    suit_envelope_get_manifest_bytes(envelope)));
	}
}

static void
test_envelope_two_signers(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) blob = suit_test_load_vector("manifest/ex0-secure-boot.suit");
	g_autoptr(SuitEnvelope) envelope = suit_envelope_new_from_bytes(blob, SUIT_PARSE_FLAG_NONE, &error);
	g_autoptr(SuitKey) ed = suit_key_generate(SUIT_KEY_TYPE_ED25519, &error);
	g_autoptr(SuitKeyring) draft = keyring_for_file("keys/suit-draft-p256.pub.pem");
	g_autoptr(SuitKeyring) ed_only = NULL;
	g_autoptr(GBytes) kid = g_bytes_new_static("ed-key", 6);

	g_assert_no_error(error);
	ed_only = keyring_with(ed);
	g_assert_true(suit_envelope_sign(envelope, ed, SUIT_COSE_ALGORITHM_ED25519, kid, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(suit_envelope_get_n_authentication_blocks(envelope), ==, 2);
	/* one trusted signer is enough by default */
	g_assert_true(suit_envelope_verify(envelope, draft, SUIT_VERIFY_FLAG_NONE, &error));
	g_assert_no_error(error);
	g_assert_true(suit_envelope_verify(envelope, ed_only, SUIT_VERIFY_FLAG_NONE, &error));
	g_assert_no_error(error);
	/* but not when all must verify */
	g_assert_false(suit_envelope_verify(envelope, draft, SUIT_VERIFY_FLAG_REQUIRE_ALL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
	g_assert_false(suit_envelope_is_verified(envelope));
	{
		g_autoptr(SuitCoseInfo) info =
		    suit_cose_inspect(suit_envelope_get_authentication_block(envelope, 1), NULL);
		g_assert_nonnull(info);
		g_assert_true(g_bytes_equal(info->key_id, kid));
	}
}

/* signing the shared ex0/ex2 with the RFC 8032 key gives the derived vectors */
static void
test_envelope_derived(void)
{
	struct {
		const gchar *in;
		SuitCoseAlgorithm alg;
		const gchar *out;
	} cases[] = {
	    {"manifest/ex0-secure-boot.suit", SUIT_COSE_ALGORITHM_EDDSA, "derived/ex0-eddsa-alg-8.suit"},
	    {"manifest/ex0-secure-boot.suit", SUIT_COSE_ALGORITHM_ED25519, "derived/ex0-ed25519-alg-19.suit"},
	    {"manifest/ex2-severable-full.suit", SUIT_COSE_ALGORITHM_EDDSA, "derived/ex2-severable-eddsa-alg-8.suit"},
	};
	g_autoptr(SuitKey) key = key_for_file("keys/ed25519-rfc8032-test1.priv.pem");
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autoptr(GBytes) blob = suit_test_load_vector(cases[i].in);
		g_autoptr(GBytes) expected = suit_test_load_vector(cases[i].out);
		g_autoptr(SuitEnvelope) envelope = suit_envelope_new_from_bytes(blob, SUIT_PARSE_FLAG_NONE, &error);
		g_autoptr(GBytes) out = NULL;
		g_assert_no_error(error);
		suit_envelope_clear_authentication(envelope);
		g_assert_true(suit_envelope_sign(envelope, key, cases[i].alg, NULL, &error));
		g_assert_no_error(error);
		out = suit_envelope_to_bytes(envelope, &error);
		g_assert_no_error(error);
		g_assert_true(g_bytes_equal(out, expected));
	}
}

static void
test_envelope_refuses_bad_digest(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) blob = suit_test_load_vector("external/nordic-signed-digest-mismatch.suit");
	g_autoptr(SuitEnvelope) envelope = suit_envelope_new_from_bytes(blob, SUIT_PARSE_FLAG_NONE, &error);
	g_autoptr(SuitKey) key = suit_key_generate(SUIT_KEY_TYPE_P256, &error);
	g_assert_no_error(error);
	g_assert_false(suit_envelope_sign(envelope, key, SUIT_COSE_ALGORITHM_NONE, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_DIGEST_MISMATCH);
}

/* every single-byte change of the authentication wrapper and the manifest is rejected */
static void
test_envelope_flips(void)
{
	g_autoptr(GBytes) blob = suit_test_load_vector("manifest/ex0-secure-boot.suit");
	g_autoptr(SuitKeyring) keyring = keyring_for_file("keys/suit-draft-p256.pub.pem");
	const guint8 masks[] = {0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0xff};
	gsize len = g_bytes_get_size(blob);
	guint n = 0;

	/* d8 6b a2 | 02 <auth wrapper> 03 <manifest>: everything after the map head */
	for (gsize idx = 3; idx < len; idx++) {
		for (guint m = 0; m < G_N_ELEMENTS(masks); m++) {
			g_autoptr(GBytes) flipped = suit_test_bytes_flip(blob, idx, masks[m]);
			g_autoptr(GError) error = NULL;
			g_autoptr(SuitEnvelope) envelope =
			    suit_envelope_new_from_bytes(flipped, SUIT_PARSE_FLAG_NONE, &error);
			if (envelope != NULL &&
			    suit_envelope_verify(envelope, keyring, SUIT_VERIFY_FLAG_NONE, &error))
				g_error("byte %" G_GSIZE_FORMAT " ^ 0x%02x was accepted", idx, masks[m]);
			g_assert_nonnull(error);
			g_assert_true(error->domain == SUIT_ERROR);
			n++;
		}
	}
	g_test_message("%u modified envelopes rejected", n);
}

static void
test_envelope_negative(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) blob = suit_test_load_vector("manifest/ex0-secure-boot.suit");
	g_autoptr(SuitKeyring) draft = keyring_for_file("keys/suit-draft-p256.pub.pem");
	g_autoptr(SuitEnvelope) ex0 = suit_envelope_new_from_bytes(blob, SUIT_PARSE_FLAG_NONE, &error);
	g_autoptr(SuitKey) key = suit_key_generate(SUIT_KEY_TYPE_P256, &error);
	g_autoptr(SuitKeyring) ours = NULL;
	GBytes *manifest;
	GBytes *block;

	g_assert_no_error(error);
	ours = keyring_with(key);
	manifest = suit_envelope_get_manifest_bytes(ex0);
	block = suit_envelope_get_authentication_block(ex0, 0);

	/* the wrong key */
	assert_rejected(blob, ours, SUIT_ERROR_SIGNATURE_INVALID);

	/* an empty keyring trusts nobody */
	{
		g_autoptr(SuitKeyring) empty = suit_keyring_new();
		assert_rejected(blob, empty, SUIT_ERROR_NO_AUTHENTICATION);
	}

	/* a DER-encoded ECDSA signature instead of r||s */
	{
		g_autoptr(SuitCborItem) cose = suit_cbor_decode(block, NULL, SUIT_PARSE_FLAG_NONE, &error);
		SuitCborItem *array = suit_cbor_tag_get_content(cose);
		GBytes *sig = suit_cbor_item_get_bytes(suit_cbor_array_get(array, 3));
		const guint8 *rs = g_bytes_get_data(sig, NULL);
		g_autoptr(GByteArray) der = g_byte_array_new();
		g_autoptr(SuitCborItem) array2 = suit_cbor_item_new_array();
		g_autoptr(SuitCborItem) tag = NULL;
		g_autoptr(GBytes) der_bytes = NULL;
		g_autoptr(GBytes) block2 = NULL;
		g_autoptr(GBytes) digest_cbor = manifest_digest_cbor(manifest);
		g_autoptr(GPtrArray) blocks = g_ptr_array_new();
		g_autoptr(GBytes) bad = NULL;
		guint8 seq_len = 0;

		g_assert_no_error(error);
		for (guint half = 0; half < 2; half++) {
			const guint8 *v = rs + half * 32;
			gboolean pad = (v[0] & 0x80) != 0;
			guint8 hdr[3] = {0x02, (guint8)(32 + pad), 0x00};
			g_byte_array_append(der, hdr, pad ? 3 : 2);
			g_byte_array_append(der, v, 32);
		}
		seq_len = (guint8)der->len;
		g_byte_array_prepend(der, &seq_len, 1);
		g_byte_array_prepend(der, (const guint8 *)"\x30", 1);
		der_bytes = g_bytes_new(der->data, der->len);
		for (guint i = 0; i < 3; i++)
			suit_cbor_array_append(array2, suit_cbor_item_ref(suit_cbor_array_get(array, i)));
		suit_cbor_array_append(array2, suit_cbor_item_new_bytes(der_bytes));
		tag = suit_cbor_item_new_tag(18, g_steal_pointer(&array2));
		block2 = suit_cbor_encode(tag);
		g_ptr_array_add(blocks, block2);
		bad = build_envelope(digest_cbor, blocks, manifest);
		assert_rejected(bad, draft, SUIT_ERROR_SIGNATURE_INVALID);
	}

	/* a digest over the manifest without its bstr head, validly signed */
	{
		g_autoptr(SuitDigest) digest = suit_digest_compute(SUIT_DIGEST_ALGORITHM_SHA256, manifest, NULL);
		g_autoptr(GBytes) digest_cbor = suit_digest_to_cbor(digest);
		g_autoptr(GBytes) sig = suit_cose_sign(digest_cbor, key, SUIT_COSE_ALGORITHM_ES256, NULL, FALSE, &error);
		g_autoptr(GPtrArray) blocks = g_ptr_array_new();
		g_autoptr(GBytes) bad = NULL;
		g_assert_no_error(error);
		g_ptr_array_add(blocks, sig);
		bad = build_envelope(digest_cbor, blocks, manifest);
		assert_rejected(bad, ours, SUIT_ERROR_DIGEST_MISMATCH);
	}

	/* a signature over the raw 32-byte hash instead of the bstr-wrapped SUIT_Digest */
	{
		g_autoptr(GBytes) digest_cbor = manifest_digest_cbor(manifest);
		g_autoptr(SuitDigest) digest = suit_digest_new_from_cbor(digest_cbor, NULL);
		g_autoptr(GBytes) sig = suit_cose_sign(suit_digest_get_value(digest),
						       key,
						       SUIT_COSE_ALGORITHM_ES256,
						       NULL,
						       FALSE,
						       &error);
		g_autoptr(GPtrArray) blocks = g_ptr_array_new();
		g_autoptr(GBytes) bad = NULL;
		g_assert_no_error(error);
		g_ptr_array_add(blocks, sig);
		bad = build_envelope(digest_cbor, blocks, manifest);
		assert_rejected(bad, ours, SUIT_ERROR_SIGNATURE_INVALID);
	}

	/* no COSE block at all */
	{
		g_autoptr(GBytes) digest_cbor = manifest_digest_cbor(manifest);
		g_autoptr(GBytes) bad = build_envelope(digest_cbor, NULL, manifest);
		assert_rejected(bad, draft, SUIT_ERROR_NO_AUTHENTICATION);
	}

	/* manifest version 2, correctly digested and signed */
	{
		gsize mlen = 0;
		const guint8 *mdata = g_bytes_get_data(manifest, &mlen);
		g_autofree guint8 *copy = g_memdup2(mdata, mlen);
		g_autoptr(GBytes) v2 = NULL;
		g_autoptr(GBytes) digest_cbor = NULL;
		g_autoptr(GBytes) unsigned_blob = NULL;
		g_autoptr(SuitEnvelope) envelope = NULL;
		g_autoptr(GBytes) bad = NULL;
		/* a5 01 01: {1: 1, ...} */
		g_assert_cmpuint(copy[0], ==, 0xa5);
		g_assert_cmpuint(copy[1], ==, 0x01);
		g_assert_cmpuint(copy[2], ==, 0x01);
		copy[2] = 0x02;
		v2 = g_bytes_new(copy, mlen);
		digest_cbor = manifest_digest_cbor(v2);
		unsigned_blob = build_envelope(digest_cbor, NULL, v2);
		envelope = suit_envelope_new_from_bytes(unsigned_blob, SUIT_PARSE_FLAG_NONE, &error);
		g_assert_no_error(error);
		g_assert_true(suit_envelope_sign(envelope, key, SUIT_COSE_ALGORITHM_ESP256, NULL, &error));
		g_assert_no_error(error);
		bad = suit_envelope_to_bytes(envelope, &error);
		g_assert_no_error(error);
		assert_rejected(bad, ours, SUIT_ERROR_UNSUPPORTED_VERSION);
	}

	/* trailing bytes after the envelope */
	{
		g_autoptr(GByteArray) buf = g_byte_array_new();
		g_autoptr(GBytes) bad = NULL;
		g_byte_array_append(buf, g_bytes_get_data(blob, NULL), g_bytes_get_size(blob));
		g_byte_array_append(buf, (const guint8 *)"\x00", 1);
		bad = g_byte_array_free_to_bytes(g_steal_pointer(&buf));
		assert_rejected(bad, draft, SUIT_ERROR_INVALID_CBOR);
	}

	/* duplicate keys: the manifest twice */
	{
		g_autoptr(SuitCborItem) map = suit_cbor_item_new_map();
		g_autoptr(GBytes) digest_cbor = manifest_digest_cbor(manifest);
		g_autoptr(SuitCborItem) wrapper = suit_cbor_item_new_array();
		g_autoptr(GBytes) bad = NULL;
		suit_cbor_array_append(wrapper, suit_cbor_item_new_bytes(digest_cbor));
		suit_cbor_array_append(wrapper, suit_cbor_item_new_bytes(block));
		suit_cbor_map_append(map, suit_cbor_item_new_uint(2), suit_cbor_item_new_wrapped(wrapper));
		suit_cbor_map_append(map, suit_cbor_item_new_uint(3), suit_cbor_item_new_bytes(manifest));
		suit_cbor_map_append(map, suit_cbor_item_new_uint(3), suit_cbor_item_new_bytes(manifest));
		bad = suit_cbor_encode(map);
		assert_rejected(bad, draft, SUIT_ERROR_INVALID_CBOR);
	}

	/* nesting bomb inside the authentication wrapper */
	{
		g_autoptr(GByteArray) deep = g_byte_array_new();
		g_autoptr(GBytes) inner = NULL;
		g_autoptr(GPtrArray) blocks = g_ptr_array_new();
		g_autoptr(GBytes) bad = NULL;
		g_autoptr(GBytes) digest_cbor = manifest_digest_cbor(manifest);
		for (guint i = 0; i < 5000; i++)
			g_byte_array_append(deep, (const guint8 *)"\x81", 1);
		g_byte_array_append(deep, (const guint8 *)"\x00", 1);
		inner = g_byte_array_free_to_bytes(g_steal_pointer(&deep));
		g_ptr_array_add(blocks, inner);
		bad = build_envelope(digest_cbor, blocks, manifest);
		assert_rejected(bad, draft, -1);
		/* and as the manifest */
		g_clear_pointer(&bad, g_bytes_unref);
		g_clear_pointer(&digest_cbor, g_bytes_unref);
		digest_cbor = manifest_digest_cbor(inner);
		bad = build_envelope(digest_cbor, NULL, inner);
		{
			g_autoptr(SuitEnvelope) envelope = suit_envelope_new_from_bytes(bad, SUIT_PARSE_FLAG_NONE, &error);
			g_assert_no_error(error);
			g_assert_null(suit_envelope_peek_manifest(envelope, &error));
			g_assert_error(error, SUIT_ERROR, SUIT_ERROR_LIMIT_EXCEEDED);
			g_clear_error(&error);
		}
	}

	/* size bomb: a manifest byte string claiming 4 GiB */
	{
		g_autoptr(GBytes) bad = suit_test_bytes_from_hex("d86ba2024100035affffffff00");
		assert_rejected(bad, draft, SUIT_ERROR_INVALID_CBOR);
	}

	/* structure: no manifest, wrong tag, not a map, wrong member types */
	{
		const gchar *cases[] = {
		    "a1024100",	  /* auth wrapper holds no array, and no manifest */
		    "a102458143822f40", /* no manifest */
		    "d86ca0",	  /* tag 108 */
		    "d86b80",	  /* an array */
		    "a202010340", /* auth wrapper not a byte string */
		    "a20241000301", /* manifest not a byte string */
		    "a1f64100",	  /* a null key */
		    "a20341001401", /* severed install not a byte string */
		};
		for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
			g_autoptr(GBytes) bad = suit_test_bytes_from_hex(cases[i]);
			g_autoptr(SuitEnvelope) envelope = suit_envelope_new_from_bytes(bad, SUIT_PARSE_FLAG_NONE, &error);
			g_test_message("%s", cases[i]);
			g_assert_null(envelope);
			g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
			g_clear_error(&error);
		}
	}
}

static void
test_envelope_accessors(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) blob = suit_test_load_vector("teep/teep-integrated.suit");
	g_autoptr(SuitEnvelope) envelope = suit_envelope_new_from_bytes(blob, SUIT_PARSE_FLAG_NONE, &error);
	g_autoptr(GPtrArray) names = NULL;
	g_autoptr(GBytes) payload = g_bytes_new_static("hello", 5);
	g_autoptr(GBytes) out = NULL;
	g_autoptr(SuitEnvelope) reparsed = NULL;
	g_autofree gchar *text = NULL;

	g_assert_no_error(error);
	g_assert_false(suit_envelope_get_tagged(envelope));
	names = suit_envelope_get_integrated_names(envelope);
	g_assert_cmpuint(names->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(names, 0), ==, "#tc");
	g_assert_cmpuint(g_bytes_get_size(suit_envelope_get_integrated(envelope, "#tc")), ==, 20);
	g_assert_null(suit_envelope_get_member(envelope, 20));
	g_assert_true(g_bytes_equal(suit_envelope_get_member(envelope, 3), suit_envelope_get_manifest_bytes(envelope)));

	suit_envelope_set_integrated(envelope, "#extra", payload);
	suit_envelope_set_tagged(envelope, TRUE);
	out = suit_envelope_to_bytes(envelope, &error);
	g_assert_no_error(error);
	reparsed = suit_envelope_new_from_bytes(out, SUIT_PARSE_FLAG_NONE, &error);
	g_assert_no_error(error);
	g_assert_true(suit_envelope_get_tagged(reparsed));
	g_assert_true(g_bytes_equal(suit_envelope_get_integrated(reparsed, "#extra"), payload));
	suit_envelope_set_integrated(reparsed, "#extra", NULL);
	g_assert_null(suit_envelope_get_integrated(reparsed, "#extra"));

	text = suit_envelope_to_string(envelope);
	g_assert_nonnull(strstr(text, "integrated payload '#tc': 20 bytes"));
	g_assert_nonnull(strstr(text, "manifest digest: sha-256:cedb0457"));
}

static void
test_envelope_from_manifest(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) blob = suit_test_load_vector("manifest/ex2-severable-full.suit");
	g_autoptr(SuitKeyring) draft = keyring_for_file("keys/suit-draft-p256.pub.pem");
	g_autoptr(SuitEnvelope) envelope = suit_envelope_new_from_bytes(blob, SUIT_PARSE_FLAG_NONE, &error);
	g_autoptr(SuitEnvelope) copy = NULL;
	g_autoptr(SuitKey) key = suit_key_generate(SUIT_KEY_TYPE_P256, &error);
	g_autoptr(SuitKeyring) ours = NULL;
	g_autoptr(GBytes) out = NULL;
	g_autoptr(SuitEnvelope) reparsed = NULL;
	SuitManifest *manifest;

	g_assert_no_error(error);
	ours = keyring_with(key);
	g_assert_true(suit_envelope_verify(envelope, draft, SUIT_VERIFY_FLAG_NONE, &error));
	manifest = suit_envelope_get_manifest(envelope, &error);
	g_assert_no_error(error);
	copy = suit_envelope_new_for_manifest(manifest, &error);
	g_assert_no_error(error);
	g_assert_true(suit_envelope_sign(copy, key, SUIT_COSE_ALGORITHM_NONE, NULL, &error));
	g_assert_no_error(error);
	out = suit_envelope_to_bytes(copy, &error);
	g_assert_no_error(error);
	reparsed = suit_envelope_new_from_bytes(out, SUIT_PARSE_FLAG_NONE, &error);
	g_assert_no_error(error);
	g_assert_true(suit_envelope_verify(reparsed, ours, SUIT_VERIFY_FLAG_NONE, &error));
	g_assert_no_error(error);
	/* same manifest, same severed members */
	g_assert_true(g_bytes_equal(suit_envelope_get_manifest_bytes(reparsed), suit_envelope_get_manifest_bytes(envelope)));
	g_assert_true(g_bytes_equal(suit_envelope_get_member(reparsed, 20), suit_envelope_get_member(envelope, 20)));
	g_assert_true(g_bytes_equal(suit_envelope_get_member(reparsed, 23), suit_envelope_get_member(envelope, 23)));
}

static void
test_envelope_tampered_member(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) blob = suit_test_load_vector("manifest/ex2-severable-full.suit");
	g_autoptr(SuitKeyring) draft = keyring_for_file("keys/suit-draft-p256.pub.pem");
	gsize len = g_bytes_get_size(blob);
	/* the text member is at the end of the envelope: change its last byte */
	g_autoptr(GBytes) bad = suit_test_bytes_flip(blob, len - 1, 0x01);
	assert_rejected(bad, draft, SUIT_ERROR_DIGEST_MISMATCH);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/suit/envelope/sign/roundtrip", test_envelope_sign_roundtrip);
	g_test_add_func("/suit/envelope/sign/two-signers", test_envelope_two_signers);
	g_test_add_func("/suit/envelope/sign/derived", test_envelope_derived);
	g_test_add_func("/suit/envelope/sign/refuses-bad-digest", test_envelope_refuses_bad_digest);
	g_test_add_func("/suit/envelope/verify/flips", test_envelope_flips);
	g_test_add_func("/suit/envelope/verify/negative", test_envelope_negative);
	g_test_add_func("/suit/envelope/verify/tampered-member", test_envelope_tampered_member);
	g_test_add_func("/suit/envelope/accessors", test_envelope_accessors);
	g_test_add_func("/suit/envelope/from-manifest", test_envelope_from_manifest);
	return g_test_run();
}
