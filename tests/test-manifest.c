/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "suit-manifest-private.h"
#include "suit-model-private.h"
#include "suit-test-common.h"

/* helpers ------------------------------------------------------------------ */

/* an envelope member (transfer full) */
static SuitCborItem *
test_envelope_member(GBytes *blob, gint64 key)
{
	g_autoptr(SuitCborItem) env = suit_test_envelope_map(blob);
	SuitCborItem *member = suit_cbor_map_lookup_int(env, key);
	g_assert_nonnull(member);
	return suit_cbor_item_ref(member);
}

/* an integrated envelope (for dependencies) */
static GBytes *
test_envelope_integrated(GBytes *blob, const gchar *name)
{
	g_autoptr(SuitCborItem) env = suit_test_envelope_map(blob);
	SuitCborItem *member = suit_cbor_map_lookup_text(env, name);
	g_assert_nonnull(member);
	g_assert_cmpint(suit_cbor_item_get_type(member), ==, SUIT_CBOR_TYPE_BYTES);
	return g_bytes_ref(suit_cbor_item_get_bytes(member));
}

static SuitComponentId *
test_component_id(const gchar *hex, ...)
{
	SuitComponentId *id = suit_component_id_new();
	va_list args;
	va_start(args, hex);
	for (const gchar *h = hex; h != NULL; h = va_arg(args, const gchar *)) {
		g_autoptr(GBytes) part = suit_test_bytes_from_hex(h);
		suit_component_id_append(id, part);
	}
	va_end(args);
	return id;
}

static gchar *
test_bytes_hex(GBytes *bytes)
{
	g_assert_nonnull(bytes);
	return suit_test_bytes_to_hex(bytes);
}

static void
test_assert_digest_prefix(SuitDigest *digest, const gchar *prefix)
{
	g_autofree gchar *hex = NULL;
	g_assert_nonnull(digest);
	g_assert_cmpint(suit_digest_get_algorithm(digest), ==, SUIT_DIGEST_ALGORITHM_SHA256);
	hex = suit_digest_to_hex(digest);
	g_assert_true(g_str_has_prefix(hex, prefix));
}

/* {1: 1, 2: 0, 3: << {2: [[h'00']]} >>} plus extra entries */
static SuitCborItem *
test_minimal_manifest_map(void)
{
	SuitCborItem *map = suit_cbor_item_new_map();
	g_autoptr(SuitCborItem) common = suit_cbor_item_new_map();
	SuitCborItem *components = suit_cbor_item_new_array();
	SuitCborItem *id = suit_cbor_item_new_array();
	suit_cbor_array_append(id, suit_cbor_item_new_bytes_data((const guint8 *)"\x00", 1));
	suit_cbor_array_append(components, id);
	suit_cbor_map_append(common, suit_cbor_item_new_uint(2), components);
	suit_cbor_map_append(map, suit_cbor_item_new_uint(1), suit_cbor_item_new_uint(1));
	suit_cbor_map_append(map, suit_cbor_item_new_uint(2), suit_cbor_item_new_uint(0));
	suit_cbor_map_append(map, suit_cbor_item_new_uint(3), suit_cbor_item_new_wrapped(common));
	return map;
}

static SuitManifest *
test_parse_item(SuitCborItem *item, GError **error)
{
	g_autoptr(GBytes) cbor = suit_cbor_encode(item);
	return suit_manifest_new_from_bytes(cbor, SUIT_PARSE_FLAG_NONE, error);
}

/* a manifest whose validate sequence is @seq */
static SuitManifest *
test_parse_with_validate(SuitCborItem *seq, GError **error)
{
	g_autoptr(SuitCborItem) map = test_minimal_manifest_map();
	suit_cbor_map_append(map, suit_cbor_item_new_uint(7), suit_cbor_item_new_wrapped(seq));
	return test_parse_item(map, error);
}

/* a manifest whose validate sequence is [@code, {@key: @value}] (@value is stolen) */
static SuitManifest *
test_parse_with_parameter(guint64 code, guint64 key, SuitCborItem *value, GError **error)
{
	g_autoptr(SuitCborItem) seq = suit_cbor_item_new_array();
	SuitCborItem *params = suit_cbor_item_new_map();
	suit_cbor_map_append(params, suit_cbor_item_new_uint(key), value);
	suit_cbor_array_append(seq, suit_cbor_item_new_uint(code));
	suit_cbor_array_append(seq, params);
	return test_parse_with_validate(seq, error);
}

/* tests -------------------------------------------------------------------- */

static void
test_manifest_parse_ex0(void)
{
	g_autoptr(SuitManifest) manifest = suit_test_load_manifest("manifest/ex0-secure-boot.suit");
	g_autoptr(SuitComponentId) comp0 = test_component_id("00", NULL);
	g_autoptr(SuitDigest) digest = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *vendor = NULL;
	g_autofree gchar *str = NULL;
	SuitCommandSequence *shared;
	SuitCommandSequence *seq;
	SuitParameters *params;
	SuitCommand *cmd;
	GPtrArray *components;
	guint64 size = 0;

	g_assert_cmpuint(suit_manifest_get_version(manifest), ==, 1);
	g_assert_cmpuint(suit_manifest_get_sequence_number(manifest), ==, 0);
	g_assert_null(suit_manifest_get_reference_uri(manifest));
	g_assert_null(suit_manifest_get_manifest_component_id(manifest));
	components = suit_manifest_get_components(manifest);
	g_assert_cmpuint(components->len, ==, 1);
	g_assert_true(suit_component_id_equal(g_ptr_array_index(components, 0), comp0));
	g_assert_cmpuint(suit_manifest_get_dependency_indices(manifest)->len, ==, 0);

	/* shared sequence */
	shared = suit_manifest_get_sequence(manifest, SUIT_SECTION_SHARED);
	g_assert_nonnull(shared);
	g_assert_cmpuint(suit_command_sequence_get_length(shared), ==, 3);
	cmd = suit_command_sequence_get_command(shared, 0);
	g_assert_cmpint(suit_command_get_code(cmd), ==, 20);
	g_assert_cmpstr(suit_command_get_name(cmd), ==, "override-parameters");
	g_assert_cmpint(suit_command_get_kind(cmd), ==, SUIT_COMMAND_KIND_DIRECTIVE);
	g_assert_cmpint(suit_command_get_argument_type(cmd), ==, SUIT_ARGUMENT_TYPE_PARAMETERS);
	/* the array head takes one byte */
	g_assert_cmpuint(suit_command_get_offset(cmd), ==, 1);
	params = suit_command_get_parameters(cmd);
	g_assert_nonnull(params);
	g_assert_cmpuint(suit_parameters_get_size(params), ==, 4);
	g_assert_cmpint(suit_parameters_get_key(params, 0), ==, 1);
	g_assert_cmpint(suit_parameters_get_key(params, 3), ==, 14);
	vendor = test_bytes_hex(suit_parameters_get_bytes(params, 1));
	g_assert_cmpstr(vendor, ==, "fa6b4a53d5ad5fdfbe9de663e4d41ffe");
	g_assert_true(suit_parameters_has(params, 2));
	g_assert_false(suit_parameters_has(params, 21));
	g_assert_true(suit_parameters_get_uint(params, 14, &size));
	g_assert_cmpuint(size, ==, 34768);
	g_assert_false(suit_parameters_get_uint(params, 1, NULL));
	g_assert_null(suit_parameters_dup_text(params, 1));
	digest = suit_parameters_dup_digest(params, 3, &error);
	g_assert_no_error(error);
	test_assert_digest_prefix(digest, "00112233");
	g_assert_null(suit_parameters_dup_digest(params, 21, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
	g_assert_nonnull(suit_parameters_get_cbor(params, 14));

	cmd = suit_command_sequence_get_command(shared, 1);
	g_assert_cmpstr(suit_command_get_name(cmd), ==, "vendor-identifier");
	g_assert_cmpint(suit_command_get_kind(cmd), ==, SUIT_COMMAND_KIND_CONDITION);
	g_assert_cmpint(suit_command_get_argument_type(cmd), ==, SUIT_ARGUMENT_TYPE_REPORTING_POLICY);
	g_assert_cmpuint(suit_command_get_reporting_policy(cmd), ==, 15);
	g_assert_null(suit_command_get_parameters(cmd));
	cmd = suit_command_sequence_get_command(shared, 2);
	g_assert_cmpstr(suit_command_get_name(cmd), ==, "class-identifier");
	g_assert_cmpuint(suit_command_get_reporting_policy(cmd), ==, 15);
	g_assert_null(suit_command_sequence_get_command(shared, 3));

	/* validate */
	seq = suit_manifest_get_sequence(manifest, SUIT_SECTION_VALIDATE);
	g_assert_nonnull(seq);
	g_assert_cmpuint(suit_command_sequence_get_length(seq), ==, 1);
	cmd = suit_command_sequence_get_command(seq, 0);
	g_assert_cmpstr(suit_command_get_name(cmd), ==, "image-match");
	g_assert_cmpuint(suit_command_get_offset(cmd), ==, 1);

	/* invoke */
	seq = suit_manifest_get_sequence(manifest, SUIT_SECTION_INVOKE);
	g_assert_nonnull(seq);
	g_assert_cmpuint(suit_command_sequence_get_length(seq), ==, 1);
	cmd = suit_command_sequence_get_command(seq, 0);
	g_assert_cmpstr(suit_command_get_name(cmd), ==, "invoke");
	g_assert_cmpint(suit_command_get_kind(cmd), ==, SUIT_COMMAND_KIND_DIRECTIVE);
	g_assert_cmpuint(suit_command_get_reporting_policy(cmd), ==, 2);

	/* absent */
	g_assert_null(suit_manifest_get_sequence(manifest, SUIT_SECTION_INSTALL));
	g_assert_null(suit_manifest_get_sequence(manifest, SUIT_SECTION_LOAD));
	g_assert_null(suit_manifest_get_sequence(manifest, SUIT_SECTION_NONE));
	g_assert_cmpint(suit_manifest_get_member_state(manifest, 20), ==, SUIT_MEMBER_STATE_ABSENT);
	g_assert_cmpint(suit_manifest_get_member_state(manifest, 7), ==, SUIT_MEMBER_STATE_INLINE);
	g_assert_null(suit_manifest_get_member_digest(manifest, 20));
	g_assert_cmpuint(suit_manifest_get_unknown_elements(manifest)->len, ==, 0);
	g_assert_null(suit_manifest_dup_text(manifest, NULL, NULL, 1));

	/* dump */
	str = suit_manifest_to_string(manifest);
	g_debug("%s", str);
	g_assert_nonnull(strstr(str, "manifest-sequence-number: 0\n"));
	g_assert_nonnull(strstr(str, "    0: [h'00']\n"));
	g_assert_nonnull(strstr(str, "  shared-sequence:\n    override-parameters\n"));
	g_assert_nonnull(strstr(str, "      vendor-identifier: h'fa6b4a53d5ad5fdfbe9de663e4d41ffe'\n"));
	g_assert_nonnull(strstr(str, "      image-size: 34768\n"));
	g_assert_nonnull(strstr(str, "    vendor-identifier (reporting policy 15)\n"));
	g_assert_nonnull(strstr(str, "  invoke:\n    invoke (reporting policy 2)\n"));
}

static void
test_manifest_parse_ex1(void)
{
	g_autoptr(SuitManifest) manifest = suit_test_load_manifest("manifest/ex1-download-install.suit");
	g_autofree gchar *uri = NULL;
	SuitCommandSequence *install;
	SuitCommand *cmd;

	g_assert_cmpuint(suit_manifest_get_sequence_number(manifest), ==, 1);
	g_assert_cmpint(suit_manifest_get_member_state(manifest, 20), ==, SUIT_MEMBER_STATE_INLINE);
	install = suit_manifest_get_sequence(manifest, SUIT_SECTION_INSTALL);
	g_assert_nonnull(install);
	cmd = suit_command_sequence_get_command(install, 0);
	g_assert_cmpstr(suit_command_get_name(cmd), ==, "override-parameters");
	uri = suit_parameters_dup_text(suit_command_get_parameters(cmd), 21);
	g_assert_cmpstr(uri, ==, "http://example.com/file.bin");
	cmd = suit_command_sequence_get_command(install, 1);
	g_assert_cmpstr(suit_command_get_name(cmd), ==, "fetch");
	g_assert_cmpuint(suit_command_get_reporting_policy(cmd), ==, 2);
	g_assert_null(suit_manifest_get_member_digest(manifest, 20));
	g_assert_null(suit_manifest_dup_member_bstr(manifest, 20));
}

static void
test_manifest_parse_ex2(void)
{
	g_autoptr(GBytes) blob = suit_test_load_vector("manifest/ex2-severable-full.suit");
	g_autoptr(SuitManifest) manifest = suit_test_load_manifest("manifest/ex2-severable-full.suit");
	g_autoptr(SuitCborItem) install_bstr = test_envelope_member(blob, 20);
	g_autoptr(SuitCborItem) text_bstr = test_envelope_member(blob, 23);
	g_autoptr(SuitCborItem) dup = NULL;
	g_autoptr(SuitComponentId) comp0 = test_component_id("00", NULL);
	g_autoptr(SuitComponentId) comp1 = test_component_id("01", NULL);
	g_autoptr(GBytes) encoded = NULL;
	g_autoptr(SuitDigest) computed = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *uri = NULL;
	g_autofree gchar *vendor_domain = NULL;
	g_autofree gchar *vendor_domain_en = NULL;
	g_autofree gchar *str = NULL;
	SuitCommandSequence *install;
	SuitCommand *cmd;

	g_assert_cmpuint(suit_manifest_get_sequence_number(manifest), ==, 2);
	g_assert_cmpstr(suit_manifest_get_reference_uri(manifest), ==, "https://git.io/JJYoj");

	/* severed */
	g_assert_cmpint(suit_manifest_get_member_state(manifest, 20), ==, SUIT_MEMBER_STATE_SEVERED);
	g_assert_cmpint(suit_manifest_get_member_state(manifest, 23), ==, SUIT_MEMBER_STATE_SEVERED);
	test_assert_digest_prefix(suit_manifest_get_member_digest(manifest, 20), "cfa90c5c");
	test_assert_digest_prefix(suit_manifest_get_member_digest(manifest, 23), "302196d4");
	g_assert_null(suit_manifest_get_sequence(manifest, SUIT_SECTION_INSTALL));
	g_assert_null(suit_manifest_dup_text(manifest, NULL, comp0, 3));
	str = suit_manifest_to_string(manifest);
	g_assert_nonnull(strstr(str, "  install: severed (sha-256:cfa90c5c"));

	/* the envelope's byte string matches the digest, header included */
	encoded = suit_cbor_item_get_encoded(install_bstr);
	computed = suit_digest_compute(SUIT_DIGEST_ALGORITHM_SHA256, encoded, &error);
	g_assert_no_error(error);
	g_assert_true(suit_digest_equal(computed, suit_manifest_get_member_digest(manifest, 20)));

	/* attach install */
	g_assert_true(suit_manifest_attach_member(manifest, 20, install_bstr, &error));
	g_assert_no_error(error);
	g_assert_cmpint(suit_manifest_get_member_state(manifest, 20), ==, SUIT_MEMBER_STATE_ATTACHED);
	test_assert_digest_prefix(suit_manifest_get_member_digest(manifest, 20), "cfa90c5c");
	install = suit_manifest_get_sequence(manifest, SUIT_SECTION_INSTALL);
	g_assert_nonnull(install);
	cmd = suit_command_sequence_get_command(install, 0);
	g_assert_cmpstr(suit_command_get_name(cmd), ==, "override-parameters");
	uri = suit_parameters_dup_text(suit_command_get_parameters(cmd), 21);
	g_assert_cmpstr(uri, ==, "http://example.com/very/long/path/to/file/file.bin");
	cmd = suit_command_sequence_get_command(install, 1);
	g_assert_cmpstr(suit_command_get_name(cmd), ==, "fetch");
	dup = suit_manifest_dup_member_bstr(manifest, 20);
	g_assert_true(suit_cbor_item_equal(dup, install_bstr));

	/* attach text */
	g_assert_true(suit_manifest_attach_member(manifest, 23, text_bstr, &error));
	g_assert_no_error(error);
	vendor_domain = suit_manifest_dup_text(manifest, NULL, comp0, 3);
	g_assert_cmpstr(vendor_domain, ==, "arm.com");
	vendor_domain_en = suit_manifest_dup_text(manifest, "en-US", comp0, 3);
	g_assert_cmpstr(vendor_domain_en, ==, "arm.com");
	g_assert_null(suit_manifest_dup_text(manifest, "fr", comp0, 3));
	g_assert_null(suit_manifest_dup_text(manifest, NULL, comp1, 3));
	g_assert_null(suit_manifest_dup_text(manifest, NULL, comp0, 99));

	/* the wrong content for a key fails and keeps the state */
	g_assert_false(suit_manifest_attach_member(manifest, 20, text_bstr, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
	g_clear_error(&error);
	g_assert_cmpint(suit_manifest_get_member_state(manifest, 20), ==, SUIT_MEMBER_STATE_ATTACHED);
	g_assert_nonnull(suit_manifest_get_sequence(manifest, SUIT_SECTION_INSTALL));

	/* not severable, not severed */
	g_assert_false(suit_manifest_attach_member(manifest, 7, install_bstr, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	g_assert_false(suit_manifest_attach_member(manifest, 16, install_bstr, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_CONFLICT);
	g_clear_error(&error);

	/* detach */
	suit_manifest_detach_member(manifest, 20);
	g_assert_cmpint(suit_manifest_get_member_state(manifest, 20), ==, SUIT_MEMBER_STATE_SEVERED);
	g_assert_null(suit_manifest_get_sequence(manifest, SUIT_SECTION_INSTALL));
	g_assert_null(suit_manifest_dup_member_bstr(manifest, 20));
}

static void
test_manifest_parse_ex3(void)
{
	g_autoptr(SuitManifest) manifest = suit_test_load_manifest("manifest/ex3-ab-images.suit");
	SuitCommandSequence *shared = suit_manifest_get_sequence(manifest, SUIT_SECTION_SHARED);
	SuitCommandSequence *install = suit_manifest_get_sequence(manifest, SUIT_SECTION_INSTALL);
	SuitCommand *try_each = NULL;
	SuitCommandSequence *first;
	GPtrArray *seqs;
	guint64 slot = 99;

	g_assert_cmpuint(suit_manifest_get_sequence_number(manifest), ==, 3);
	g_assert_nonnull(shared);
	g_assert_nonnull(install);
	for (guint i = 0; i < suit_command_sequence_get_length(shared); i++) {
		SuitCommand *cmd = suit_command_sequence_get_command(shared, i);
		if (suit_command_get_code(cmd) == 15)
			try_each = cmd;
	}
	g_assert_nonnull(try_each);
	g_assert_cmpstr(suit_command_get_name(try_each), ==, "try-each");
	g_assert_cmpint(suit_command_get_argument_type(try_each), ==, SUIT_ARGUMENT_TYPE_SEQUENCES);
	g_assert_false(suit_command_get_has_empty_fallback(try_each));
	seqs = suit_command_get_sequences(try_each);
	g_assert_nonnull(seqs);
	g_assert_cmpuint(seqs->len, ==, 2);
	first = g_ptr_array_index(seqs, 0);
	g_assert_cmpstr(suit_command_get_name(suit_command_sequence_get_command(first, 0)),
			==,
			"override-parameters");
	g_assert_true(
	    suit_parameters_get_uint(suit_command_get_parameters(suit_command_sequence_get_command(first, 0)),
				     5,
				     &slot));
	g_assert_cmpuint(slot, ==, 0);
	g_assert_cmpstr(suit_command_get_name(suit_command_sequence_get_command(first, 1)), ==, "component-slot");
	g_assert_cmpuint(suit_command_get_reporting_policy(suit_command_sequence_get_command(first, 1)), ==, 5);
	/* offsets are relative to the nested sequence */
	g_assert_cmpuint(suit_command_get_offset(suit_command_sequence_get_command(first, 0)), ==, 1);
	g_assert_true(suit_parameters_get_uint(
	    suit_command_get_parameters(suit_command_sequence_get_command(g_ptr_array_index(seqs, 1), 0)),
	    5,
	    &slot));
	g_assert_cmpuint(slot, ==, 1);
	g_assert_null(suit_command_get_sequence(try_each));

	/* install uses try-each too */
	g_assert_cmpint(suit_command_get_code(suit_command_sequence_get_command(install, 0)), ==, 15);
}

static void
test_manifest_parse_ex4(void)
{
	g_autoptr(SuitManifest) manifest = suit_test_load_manifest("manifest/ex4-load-external.suit");
	g_autoptr(SuitComponentId) c0 = test_component_id("00", NULL);
	g_autoptr(SuitComponentId) c1 = test_component_id("02", NULL);
	g_autoptr(SuitComponentId) c2 = test_component_id("01", NULL);
	GPtrArray *components = suit_manifest_get_components(manifest);
	SuitCommandSequence *load;
	SuitCommand *cmd;
	GArray *indices;

	g_assert_cmpuint(suit_manifest_get_sequence_number(manifest), ==, 4);
	g_assert_cmpuint(components->len, ==, 3);
	g_assert_true(suit_component_id_equal(g_ptr_array_index(components, 0), c0));
	g_assert_true(suit_component_id_equal(g_ptr_array_index(components, 1), c1));
	g_assert_true(suit_component_id_equal(g_ptr_array_index(components, 2), c2));
	g_assert_cmpint(suit_manifest_get_member_state(manifest, 16), ==, SUIT_MEMBER_STATE_INLINE);
	g_assert_nonnull(suit_manifest_get_sequence(manifest, SUIT_SECTION_PAYLOAD_FETCH));
	g_assert_nonnull(suit_manifest_get_sequence(manifest, SUIT_SECTION_INSTALL));
	load = suit_manifest_get_sequence(manifest, SUIT_SECTION_LOAD);
	g_assert_nonnull(load);
	cmd = suit_command_sequence_get_command(load, 0);
	g_assert_cmpstr(suit_command_get_name(cmd), ==, "set-component-index");
	g_assert_cmpint(suit_command_get_argument_type(cmd), ==, SUIT_ARGUMENT_TYPE_COMPONENT_INDEX);
	indices = suit_command_get_component_indices(cmd);
	g_assert_nonnull(indices);
	g_assert_cmpuint(indices->len, ==, 1);
	g_assert_cmpuint(g_array_index(indices, guint, 0), ==, 2);
}

static void
test_manifest_parse_dependencies(void)
{
	g_autoptr(SuitManifest) manifest = suit_test_load_manifest("trust-domains/td-dependent-process.suit");
	g_autoptr(SuitComponentId) prefix = test_component_id("646570656e64656e742e73756974", NULL);
	g_autoptr(SuitComponentId) self_id = test_component_id("646570656e64696e672e73756974", NULL);
	g_autoptr(SuitComponentId) c0 = test_component_id("3130", NULL);
	GArray *deps = suit_manifest_get_dependency_indices(manifest);
	SuitCommandSequence *install;
	gboolean found_integrity = FALSE;
	gboolean found_process = FALSE;

	g_assert_cmpuint(deps->len, ==, 1);
	g_assert_cmpuint(g_array_index(deps, guint, 0), ==, 1);
	g_assert_true(suit_component_id_equal(suit_manifest_get_dependency_prefix(manifest, 1), prefix));
	g_assert_null(suit_manifest_get_dependency_prefix(manifest, 0));
	g_assert_true(suit_component_id_equal(suit_manifest_get_manifest_component_id(manifest), self_id));
	g_assert_cmpuint(suit_manifest_get_components(manifest)->len, ==, 1);
	g_assert_true(suit_component_id_equal(g_ptr_array_index(suit_manifest_get_components(manifest), 0), c0));
	g_assert_cmpint(suit_manifest_get_member_state(manifest, 15), ==, SUIT_MEMBER_STATE_INLINE);
	g_assert_nonnull(suit_manifest_get_sequence(manifest, SUIT_SECTION_DEPENDENCY_RESOLUTION));
	install = suit_manifest_get_sequence(manifest, SUIT_SECTION_INSTALL);
	g_assert_nonnull(install);
	for (guint i = 0; i < suit_command_sequence_get_length(install); i++) {
		SuitCommand *cmd = suit_command_sequence_get_command(install, i);
		if (suit_command_get_code(cmd) == 7) {
			g_assert_cmpstr(suit_command_get_name(cmd), ==, "dependency-integrity");
			g_assert_cmpint(suit_command_get_kind(cmd), ==, SUIT_COMMAND_KIND_CONDITION);
			found_integrity = TRUE;
		}
		if (suit_command_get_code(cmd) == 11) {
			g_assert_cmpstr(suit_command_get_name(cmd), ==, "process-dependency");
			g_assert_cmpint(suit_command_get_kind(cmd), ==, SUIT_COMMAND_KIND_DIRECTIVE);
			g_assert_cmpuint(suit_command_get_reporting_policy(cmd), ==, 0);
			found_process = TRUE;
		}
	}
	g_assert_true(found_integrity);
	g_assert_true(found_process);
}

static void
test_manifest_parse_integrated_dependency(void)
{
	const gchar *vectors[][2] = {
	    {"encryption/esdh-gcm-dependency.suit", "#dependency-manifest"},
	    {"trust-domains/td-integrated-dependency.suit", "#dependent.suit"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(vectors); i++) {
		g_autoptr(GBytes) blob = suit_test_load_vector(vectors[i][0]);
		g_autoptr(GBytes) inner = test_envelope_integrated(blob, vectors[i][1]);
		g_autoptr(GBytes) cbor = suit_test_envelope_manifest_bytes(inner);
		g_autoptr(GError) error = NULL;
		g_autoptr(SuitManifest) manifest =
		    suit_manifest_new_from_bytes(cbor, SUIT_PARSE_FLAG_NONE, &error);
		g_autoptr(GBytes) out = NULL;
		g_assert_no_error(error);
		g_assert_nonnull(manifest);
		g_assert_nonnull(suit_manifest_get_sequence(manifest, SUIT_SECTION_INSTALL));
		out = suit_manifest_to_bytes(manifest);
		g_assert_true(g_bytes_equal(out, cbor));
	}
}

static void
test_manifest_parse_teep(void)
{
	g_autoptr(SuitManifest) manifest = suit_test_load_manifest("teep/teep-uri.suit");
	g_autoptr(SuitManifest) personalization = suit_test_load_manifest("teep/teep-personalization.suit");
	g_autoptr(SuitComponentId) id = test_component_id("544545502d446576696365",
							  "5365637572654653",
							  "8d82573a926d4754935332dc29997f74",
							  "7461",
							  NULL);
	g_autofree gchar *id_str = NULL;
	SuitCommandSequence *uninstall;
	SuitCommand *cmd;

	g_assert_cmpuint(suit_manifest_get_sequence_number(manifest), ==, 3);
	g_assert_true(suit_component_id_equal(g_ptr_array_index(suit_manifest_get_components(manifest), 0), id));
	id_str = suit_component_id_to_string(id);
	g_assert_cmpstr(id_str, ==, "['TEEP-Device', 'SecureFS', h'8d82573a926d4754935332dc29997f74', 'ta']");
	g_assert_nonnull(suit_manifest_get_manifest_component_id(manifest));
	uninstall = suit_manifest_get_sequence(manifest, SUIT_SECTION_UNINSTALL);
	g_assert_nonnull(uninstall);
	g_assert_cmpint(suit_manifest_get_member_state(manifest, 24), ==, SUIT_MEMBER_STATE_INLINE);
	cmd = suit_command_sequence_get_command(uninstall, 0);
	g_assert_cmpint(suit_command_get_code(cmd), ==, 33);
	g_assert_cmpstr(suit_command_get_name(cmd), ==, "unlink");
	g_assert_cmpuint(suit_command_get_reporting_policy(cmd), ==, 15);

	/* the personalization manifest has a dependency, encryption info and an uninstall */
	g_assert_cmpuint(suit_manifest_get_dependency_indices(personalization)->len, ==, 1);
	g_assert_nonnull(suit_manifest_get_sequence(personalization, SUIT_SECTION_UNINSTALL));
	g_assert_nonnull(suit_manifest_get_sequence(personalization, SUIT_SECTION_DEPENDENCY_RESOLUTION));
}

static void
test_manifest_parse_update_management(void)
{
	g_autoptr(SuitManifest) u0 = suit_test_load_manifest("update-management/um-U0.suit");
	g_autoptr(SuitManifest) u1 = suit_test_load_manifest("update-management/um-U1.suit");
	g_autoptr(SuitManifest) u2 = suit_test_load_manifest("update-management/um-U2.suit");
	g_autoptr(SuitManifest) u3 = suit_test_load_manifest("update-management/um-U3.suit");
	SuitCommandSequence *install = suit_manifest_get_sequence(u0, SUIT_SECTION_INSTALL);
	SuitParameters *params;
	SuitCommand *cmd;
	GArray *indices;
	gint64 priority = 0;
	gboolean found_multiple = FALSE;

	/* U0: parameters, copy-params, set-component-index true, run-sequence */
	g_assert_nonnull(install);
	params = suit_command_get_parameters(suit_command_sequence_get_command(install, 1));
	g_assert_nonnull(params);
	g_assert_true(suit_parameters_get_int(params, 27, &priority));
	g_assert_cmpint(priority, ==, -1);
	g_assert_false(suit_parameters_get_uint(params, 27, NULL));
	g_assert_nonnull(suit_parameters_get_cbor(params, 28));
	cmd = suit_command_sequence_get_command(install, 3);
	g_assert_cmpstr(suit_command_get_name(cmd), ==, "copy-params");
	g_assert_cmpint(suit_command_get_argument_type(cmd), ==, SUIT_ARGUMENT_TYPE_COPY_PARAMETERS);
	cmd = suit_command_sequence_get_command(install, 5);
	indices = suit_command_get_component_indices(cmd);
	g_assert_cmpuint(indices->len, ==, 1);
	g_assert_cmpuint(g_array_index(indices, guint, 0), ==, SUIT_COMMAND_INDEX_ALL);
	cmd = suit_command_sequence_get_command(install, 6);
	g_assert_cmpstr(suit_command_get_name(cmd), ==, "run-sequence");
	g_assert_nonnull(suit_command_get_sequence(cmd));
	g_assert_cmpuint(suit_command_sequence_get_length(suit_command_get_sequence(cmd)), ==, 4);
	g_assert_cmpstr(
	    suit_command_get_name(suit_command_sequence_get_command(suit_command_get_sequence(cmd), 3)),
	    ==,
	    "update-authorized");

	/* U1: override-multiple */
	for (guint s = 0; s < 3; s++) {
		SuitSection sections[] = {SUIT_SECTION_INSTALL, SUIT_SECTION_VALIDATE, SUIT_SECTION_SHARED};
		SuitCommandSequence *seq = suit_manifest_get_sequence(u1, sections[s]);
		for (guint i = 0; seq != NULL && i < suit_command_sequence_get_length(seq); i++) {
			cmd = suit_command_sequence_get_command(seq, i);
			if (suit_command_get_code(cmd) == 34) {
				g_assert_cmpint(suit_command_get_argument_type(cmd),
						==,
						SUIT_ARGUMENT_TYPE_MULTIPLE_PARAMETERS);
				found_multiple = TRUE;
			}
		}
	}
	g_assert_true(found_multiple);

	/* U2: severed coswid */
	g_assert_cmpint(suit_manifest_get_member_state(u2, 14), ==, SUIT_MEMBER_STATE_SEVERED);
	g_assert_nonnull(suit_manifest_get_member_digest(u2, 14));

	/* U3 */
	g_assert_cmpuint(suit_manifest_get_components(u3)->len, >, 0);
}

static void
test_manifest_parse_legacy_install17(void)
{
	g_autoptr(SuitManifest) manifest =
	    suit_test_load_manifest("external/nordic-two-signatures-legacy-install17.suit");
	g_autoptr(SuitCborItem) element = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *str = NULL;
	GPtrArray *unknown = suit_manifest_get_unknown_elements(manifest);
	gint64 key = 0;

	g_assert_cmpuint(unknown->len, >=, 1);
	element = suit_cbor_decode(g_ptr_array_index(unknown, 0), NULL, SUIT_PARSE_FLAG_NONE, &error);
	g_assert_no_error(error);
	g_assert_cmpint(suit_cbor_item_get_type(element), ==, SUIT_CBOR_TYPE_MAP);
	g_assert_cmpuint(suit_cbor_item_get_length(element), ==, 1);
	g_assert_true(suit_cbor_item_get_int(suit_cbor_map_get_key(element, 0), &key));
	g_assert_cmpint(key, ==, 17);

	/* never treated as install */
	g_assert_null(suit_manifest_get_sequence(manifest, SUIT_SECTION_INSTALL));
	g_assert_cmpint(suit_manifest_get_member_state(manifest, 20), ==, SUIT_MEMBER_STATE_ABSENT);
	g_assert_cmpint(suit_manifest_get_member_state(manifest, 17), ==, SUIT_MEMBER_STATE_INLINE);
	str = suit_manifest_to_string(manifest);
	g_assert_nonnull(strstr(str, "unknown element 17 (not run)"));
}

static void
test_manifest_parse_bignum_version(void)
{
	g_autoptr(GBytes) blob = suit_test_load_vector("external/nordic-unsigned-bad-digest-bignum-version.suit");
	g_autoptr(GBytes) cbor = suit_test_envelope_manifest_bytes(blob);
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitManifest) manifest = suit_manifest_new_from_bytes(cbor, SUIT_PARSE_FLAG_NONE, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_UNSUPPORTED_VERSION);
	g_assert_null(manifest);
}

static void
test_manifest_reencode_vectors(void)
{
	g_autoptr(GPtrArray) vectors = suit_test_collect_vectors();
	guint count = 0;

	g_assert_cmpuint(vectors->len, >=, 20);
	for (guint i = 0; i < vectors->len; i++) {
		const gchar *relpath = g_ptr_array_index(vectors, i);
		g_autoptr(GBytes) blob = suit_test_load_vector(relpath);
		g_autoptr(GBytes) cbor = suit_test_envelope_manifest_bytes(blob);
		g_autoptr(GError) error = NULL;
		g_autoptr(SuitManifest) manifest =
		    suit_manifest_new_from_bytes(cbor, SUIT_PARSE_FLAG_NONE, &error);
		g_autoptr(GBytes) out = NULL;
		g_autoptr(SuitCborItem) item = NULL;
		g_autoptr(GBytes) out_item = NULL;

		/* Nordic test data with a bignum manifest-version */
		if (g_str_has_suffix(relpath, "bignum-version.suit") ||
		    g_str_has_suffix(relpath, "nordic-signed-digest-mismatch.suit")) {
			g_assert_error(error, SUIT_ERROR, SUIT_ERROR_UNSUPPORTED_VERSION);
			continue;
		}
		g_test_message("re-encoding %s", relpath);
		g_assert_no_error(error);
		g_assert_nonnull(manifest);
		out = suit_manifest_to_bytes(manifest);
		g_assert_true(g_bytes_equal(out, cbor));
		item = suit_manifest_to_item(manifest);
		out_item = suit_cbor_encode(item);
		g_assert_true(g_bytes_equal(out_item, cbor));
		count++;
	}
	g_assert_cmpuint(count, >=, 20);
}

static void
test_manifest_sever(void)
{
	g_autoptr(SuitManifest) manifest = suit_test_load_manifest("manifest/ex1-download-install.suit");
	g_autoptr(SuitManifest) reparsed = NULL;
	g_autoptr(SuitCborItem) bstr = NULL;
	g_autoptr(SuitCborItem) again = NULL;
	g_autoptr(GBytes) encoded = NULL;
	g_autoptr(GBytes) out = NULL;
	g_autoptr(SuitDigest) computed = NULL;
	g_autoptr(GError) error = NULL;

	/* not severable, absent */
	g_assert_null(suit_manifest_sever_member(manifest, 7, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	g_assert_null(suit_manifest_sever_member(manifest, 23, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
	g_clear_error(&error);

	bstr = suit_manifest_sever_member(manifest, 20, &error);
	g_assert_no_error(error);
	g_assert_nonnull(bstr);
	g_assert_cmpint(suit_cbor_item_get_type(bstr), ==, SUIT_CBOR_TYPE_BYTES);
	g_assert_cmpint(suit_manifest_get_member_state(manifest, 20), ==, SUIT_MEMBER_STATE_ATTACHED);
	g_assert_nonnull(suit_manifest_get_sequence(manifest, SUIT_SECTION_INSTALL));
	encoded = suit_cbor_item_get_encoded(bstr);
	computed = suit_digest_compute(SUIT_DIGEST_ALGORITHM_SHA256, encoded, &error);
	g_assert_no_error(error);
	g_assert_true(suit_digest_equal(computed, suit_manifest_get_member_digest(manifest, 20)));

	/* idempotent */
	again = suit_manifest_sever_member(manifest, 20, &error);
	g_assert_no_error(error);
	g_assert_true(suit_cbor_item_equal(again, bstr));

	/* the encoding now holds the digest */
	out = suit_manifest_to_bytes(manifest);
	reparsed = suit_manifest_new_from_bytes(out, SUIT_PARSE_FLAG_NONE, &error);
	g_assert_no_error(error);
	g_assert_cmpint(suit_manifest_get_member_state(reparsed, 20), ==, SUIT_MEMBER_STATE_SEVERED);
	g_assert_true(suit_digest_equal(computed, suit_manifest_get_member_digest(reparsed, 20)));
	g_assert_true(suit_manifest_attach_member(reparsed, 20, bstr, &error));
	g_assert_no_error(error);
	g_assert_nonnull(suit_manifest_get_sequence(reparsed, SUIT_SECTION_INSTALL));
}

static void
test_manifest_names(void)
{
	g_assert_cmpstr(suit_command_code_to_string(1), ==, "vendor-identifier");
	g_assert_cmpstr(suit_command_code_to_string(12), ==, "set-component-index");
	g_assert_cmpstr(suit_command_code_to_string(35), ==, "copy-params");
	g_assert_null(suit_command_code_to_string(99));
	g_assert_null(suit_command_code_to_string(-257));
	g_assert_cmpint(suit_command_code_from_string("try-each"), ==, 15);
	g_assert_cmpint(suit_command_code_from_string("override-multiple"), ==, 34);
	g_assert_cmpint(suit_command_code_from_string("bogus"), ==, 0);
	for (gint64 code = -300; code < 40; code++) {
		const gchar *name = suit_command_code_to_string(code);
		if (name != NULL)
			g_assert_cmpint(suit_command_code_from_string(name), ==, code);
	}
	g_assert_cmpstr(suit_parameter_to_string(3), ==, "image-digest");
	g_assert_cmpstr(suit_parameter_to_string(21), ==, "uri");
	g_assert_cmpstr(suit_parameter_to_string(30), ==, "component-metadata");
	g_assert_null(suit_parameter_to_string(-1));
	g_assert_cmpint(suit_parameter_from_string("image-size"), ==, 14);
	g_assert_cmpint(suit_parameter_from_string("bogus"), ==, 0);
	for (gint64 key = -10; key < 40; key++) {
		const gchar *name = suit_parameter_to_string(key);
		if (name != NULL)
			g_assert_cmpint(suit_parameter_from_string(name), ==, key);
	}
	g_assert_cmpstr(suit_section_to_string(SUIT_SECTION_SHARED), ==, "shared-sequence");
	g_assert_cmpstr(suit_section_to_string(SUIT_SECTION_INSTALL), ==, "install");
	g_assert_null(suit_section_to_string(SUIT_SECTION_NONE));
	g_assert_true(suit_manifest_key_is_severable(23));
	g_assert_false(suit_manifest_key_is_severable(17));
	g_assert_cmpstr(suit_manifest_member_to_string(16), ==, "payload-fetch");
	g_assert_null(suit_manifest_member_to_string(7));
	g_assert_cmpint(suit_manifest_member_from_string("candidate-verification"), ==, 18);
	g_assert_cmpint(suit_manifest_member_from_string("validate"), ==, 0);
}

static void
test_manifest_commands(void)
{
	g_autoptr(SuitCborItem) seq = suit_cbor_item_new_array();
	g_autoptr(SuitCborItem) inner = suit_cbor_item_new_array();
	g_autoptr(SuitCborItem) try_each = suit_cbor_item_new_array();
	g_autoptr(SuitCborItem) indices = suit_cbor_item_new_array();
	g_autoptr(GBytes) cbor = NULL;
	g_autoptr(GBytes) out = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitCommandSequence) parsed = NULL;
	SuitCommand *cmd;
	GArray *idx;

	suit_cbor_array_append(inner, suit_cbor_item_new_uint(3));
	suit_cbor_array_append(inner, suit_cbor_item_new_uint(15));
	suit_cbor_array_append(try_each, suit_cbor_item_new_wrapped(inner));
	suit_cbor_array_append(try_each, suit_cbor_item_new_wrapped(inner));
	suit_cbor_array_append(try_each, suit_cbor_item_new_null());
	suit_cbor_array_append(indices, suit_cbor_item_new_uint(0));
	suit_cbor_array_append(indices, suit_cbor_item_new_uint(2));

	suit_cbor_array_append(seq, suit_cbor_item_new_uint(12));
	suit_cbor_array_append(seq, suit_cbor_item_new_bool(TRUE));
	suit_cbor_array_append(seq, suit_cbor_item_new_uint(12));
	suit_cbor_array_append(seq, suit_cbor_item_ref(indices));
	suit_cbor_array_append(seq, suit_cbor_item_new_uint(15));
	suit_cbor_array_append(seq, suit_cbor_item_ref(try_each));
	suit_cbor_array_append(seq, suit_cbor_item_new_uint(99));
	suit_cbor_array_append(seq, suit_cbor_item_new_text("anything"));
	suit_cbor_array_append(seq, suit_cbor_item_new_int(-300));
	suit_cbor_array_append(seq, suit_cbor_item_new_null());
	cbor = suit_cbor_encode(seq);

	parsed = suit_command_sequence_new_from_cbor(cbor, &error);
	g_assert_no_error(error);
	g_assert_nonnull(parsed);
	g_assert_cmpuint(suit_command_sequence_get_length(parsed), ==, 5);
	out = suit_command_sequence_to_cbor(parsed);
	g_assert_true(g_bytes_equal(out, cbor));

	cmd = suit_command_sequence_get_command(parsed, 0);
	idx = suit_command_get_component_indices(cmd);
	g_assert_cmpuint(idx->len, ==, 1);
	g_assert_cmpuint(g_array_index(idx, guint, 0), ==, SUIT_COMMAND_INDEX_ALL);
	cmd = suit_command_sequence_get_command(parsed, 1);
	g_assert_cmpuint(suit_command_get_offset(cmd), ==, 3);
	idx = suit_command_get_component_indices(cmd);
	g_assert_cmpuint(idx->len, ==, 2);
	g_assert_cmpuint(g_array_index(idx, guint, 1), ==, 2);
	cmd = suit_command_sequence_get_command(parsed, 2);
	g_assert_true(suit_command_get_has_empty_fallback(cmd));
	g_assert_cmpuint(suit_command_get_sequences(cmd)->len, ==, 2);
	cmd = suit_command_sequence_get_command(parsed, 3);
	g_assert_cmpint(suit_command_get_kind(cmd), ==, SUIT_COMMAND_KIND_UNKNOWN);
	g_assert_cmpint(suit_command_get_argument_type(cmd), ==, SUIT_ARGUMENT_TYPE_OTHER);
	g_assert_null(suit_command_get_name(cmd));
	cmd = suit_command_sequence_get_command(parsed, 4);
	g_assert_cmpint(suit_command_get_kind(cmd), ==, SUIT_COMMAND_KIND_CUSTOM);
	g_assert_cmpint(suit_command_get_code(cmd), ==, -300);
	{
		g_autoptr(GBytes) nil = g_bytes_new_static("\xf6", 1);
		g_assert_true(g_bytes_equal(suit_command_get_argument_cbor(cmd), nil));
	}
}

static void
test_manifest_negative_version(void)
{
	g_autoptr(SuitCborItem) missing = suit_cbor_item_new_map();
	g_autoptr(SuitCborItem) bignum = suit_cbor_item_new_map();
	g_autoptr(SuitCborItem) tagged = NULL;
	g_autoptr(SuitCborItem) not_map = suit_cbor_item_new_array();
	g_autoptr(SuitManifest) manifest = NULL;
	g_autoptr(SuitManifest) manifest_tagged = NULL;
	g_autoptr(GBytes) out = NULL;
	g_autoptr(GBytes) in = NULL;
	g_autoptr(GError) error = NULL;

	/* version 2 */
	{
		/* rebuild with version 2 */
		g_autoptr(SuitCborItem) map = suit_cbor_item_new_map();
		suit_cbor_map_append(map, suit_cbor_item_new_uint(1), suit_cbor_item_new_uint(2));
		suit_cbor_map_append(map, suit_cbor_item_new_uint(2), suit_cbor_item_new_uint(0));
		manifest = test_parse_item(map, &error);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_UNSUPPORTED_VERSION);
		g_assert_null(manifest);
		g_clear_error(&error);
	}
	/* missing */
	suit_cbor_map_append(missing, suit_cbor_item_new_uint(2), suit_cbor_item_new_uint(0));
	manifest = test_parse_item(missing, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_UNSUPPORTED_VERSION);
	g_clear_error(&error);
	/* a bignum 1 */
	suit_cbor_map_append(bignum,
			     suit_cbor_item_new_uint(1),
			     suit_cbor_item_new_tag(2, suit_cbor_item_new_bytes_data((const guint8 *)"\x01", 1)));
	manifest = test_parse_item(bignum, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_UNSUPPORTED_VERSION);
	g_clear_error(&error);
	/* not a map */
	manifest = test_parse_item(not_map, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
	g_clear_error(&error);
	/* malformed */
	in = g_bytes_new_static("\xa1\x01", 2);
	manifest = suit_manifest_new_from_bytes(in, SUIT_PARSE_FLAG_NONE, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_CBOR);
	g_clear_error(&error);

	/* tag 1070 is accepted and kept */
	tagged = suit_cbor_item_new_tag(1070, test_minimal_manifest_map());
	manifest_tagged = test_parse_item(tagged, &error);
	g_assert_no_error(error);
	out = suit_manifest_to_bytes(manifest_tagged);
	{
		g_autoptr(GBytes) expected = suit_cbor_encode(tagged);
		g_assert_true(g_bytes_equal(out, expected));
	}
}

static void
test_manifest_negative_structure(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitManifest) manifest = NULL;

	/* missing sequence number */
	{
		g_autoptr(SuitCborItem) map = suit_cbor_item_new_map();
		g_autoptr(SuitCborItem) full = test_minimal_manifest_map();
		suit_cbor_map_append(map, suit_cbor_item_new_uint(1), suit_cbor_item_new_uint(1));
		suit_cbor_map_append(map,
				     suit_cbor_item_new_uint(3),
				     suit_cbor_item_ref(suit_cbor_map_get_value(full, 2)));
		manifest = test_parse_item(map, &error);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
		g_assert_null(manifest);
		g_clear_error(&error);
	}
	/* sequence number not a uint */
	{
		g_autoptr(SuitCborItem) map = suit_cbor_item_new_map();
		g_autoptr(SuitCborItem) full = test_minimal_manifest_map();
		suit_cbor_map_append(map, suit_cbor_item_new_uint(1), suit_cbor_item_new_uint(1));
		suit_cbor_map_append(map, suit_cbor_item_new_uint(2), suit_cbor_item_new_int(-1));
		suit_cbor_map_append(map,
				     suit_cbor_item_new_uint(3),
				     suit_cbor_item_ref(suit_cbor_map_get_value(full, 2)));
		manifest = test_parse_item(map, &error);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
		g_clear_error(&error);
	}
	/* common not a bstr */
	{
		g_autoptr(SuitCborItem) map = suit_cbor_item_new_map();
		suit_cbor_map_append(map, suit_cbor_item_new_uint(1), suit_cbor_item_new_uint(1));
		suit_cbor_map_append(map, suit_cbor_item_new_uint(2), suit_cbor_item_new_uint(0));
		suit_cbor_map_append(map, suit_cbor_item_new_uint(3), suit_cbor_item_new_map());
		manifest = test_parse_item(map, &error);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
		g_assert_nonnull(strstr(error->message, "common"));
		g_clear_error(&error);
	}
	/* missing common */
	{
		g_autoptr(SuitCborItem) map = suit_cbor_item_new_map();
		suit_cbor_map_append(map, suit_cbor_item_new_uint(1), suit_cbor_item_new_uint(1));
		suit_cbor_map_append(map, suit_cbor_item_new_uint(2), suit_cbor_item_new_uint(0));
		manifest = test_parse_item(map, &error);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
		g_clear_error(&error);
	}
	/* a text key */
	{
		g_autoptr(SuitCborItem) map = test_minimal_manifest_map();
		suit_cbor_map_append(map, suit_cbor_item_new_text("x"), suit_cbor_item_new_uint(0));
		manifest = test_parse_item(map, &error);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
		g_clear_error(&error);
	}
	/* validate not a bstr */
	{
		g_autoptr(SuitCborItem) map = test_minimal_manifest_map();
		suit_cbor_map_append(map, suit_cbor_item_new_uint(7), suit_cbor_item_new_array());
		manifest = test_parse_item(map, &error);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
		g_assert_nonnull(strstr(error->message, "validate"));
		g_clear_error(&error);
	}
	/* install neither bstr nor digest */
	{
		g_autoptr(SuitCborItem) map = test_minimal_manifest_map();
		suit_cbor_map_append(map, suit_cbor_item_new_uint(20), suit_cbor_item_new_uint(5));
		manifest = test_parse_item(map, &error);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
		g_assert_nonnull(strstr(error->message, "install"));
		g_clear_error(&error);
	}
	/* reference-uri not text */
	{
		g_autoptr(SuitCborItem) map = test_minimal_manifest_map();
		suit_cbor_map_append(map, suit_cbor_item_new_uint(4), suit_cbor_item_new_uint(5));
		manifest = test_parse_item(map, &error);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
		g_clear_error(&error);
	}
	/* empty components */
	{
		g_autoptr(SuitCborItem) map = suit_cbor_item_new_map();
		g_autoptr(SuitCborItem) common = suit_cbor_item_new_map();
		suit_cbor_map_append(common, suit_cbor_item_new_uint(2), suit_cbor_item_new_array());
		suit_cbor_map_append(map, suit_cbor_item_new_uint(1), suit_cbor_item_new_uint(1));
		suit_cbor_map_append(map, suit_cbor_item_new_uint(2), suit_cbor_item_new_uint(0));
		suit_cbor_map_append(map, suit_cbor_item_new_uint(3), suit_cbor_item_new_wrapped(common));
		manifest = test_parse_item(map, &error);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
		g_clear_error(&error);
	}
	/* unknown keys are kept */
	{
		g_autoptr(SuitCborItem) map = test_minimal_manifest_map();
		g_autoptr(GBytes) cbor = NULL;
		g_autoptr(GBytes) out = NULL;
		suit_cbor_map_append(map,
				     suit_cbor_item_new_uint(17),
				     suit_cbor_item_new_bytes_data((const guint8 *)"\x80", 1));
		suit_cbor_map_append(map, suit_cbor_item_new_int(-5), suit_cbor_item_new_text("x"));
		cbor = suit_cbor_encode(map);
		manifest = suit_manifest_new_from_bytes(cbor, SUIT_PARSE_FLAG_NONE, &error);
		g_assert_no_error(error);
		g_assert_cmpuint(suit_manifest_get_unknown_elements(manifest)->len, ==, 2);
		out = suit_manifest_to_bytes(manifest);
		g_assert_true(g_bytes_equal(out, cbor));
		g_clear_object(&manifest);
	}
}

static void
test_manifest_negative_sequences(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitManifest) manifest = NULL;

	/* odd length */
	{
		g_autoptr(SuitCborItem) seq = suit_cbor_item_new_array();
		suit_cbor_array_append(seq, suit_cbor_item_new_uint(3));
		manifest = test_parse_with_validate(seq, &error);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
		g_assert_null(manifest);
		g_clear_error(&error);
	}
	/* not an array */
	{
		g_autoptr(SuitCborItem) seq = suit_cbor_item_new_map();
		manifest = test_parse_with_validate(seq, &error);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
		g_clear_error(&error);
	}
	/* code not an integer */
	{
		g_autoptr(SuitCborItem) seq = suit_cbor_item_new_array();
		suit_cbor_array_append(seq, suit_cbor_item_new_text("fetch"));
		suit_cbor_array_append(seq, suit_cbor_item_new_uint(15));
		manifest = test_parse_with_validate(seq, &error);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
		g_clear_error(&error);
	}
	/* reporting policy not a uint */
	{
		g_autoptr(SuitCborItem) seq = suit_cbor_item_new_array();
		suit_cbor_array_append(seq, suit_cbor_item_new_uint(3));
		suit_cbor_array_append(seq, suit_cbor_item_new_text("x"));
		manifest = test_parse_with_validate(seq, &error);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
		g_clear_error(&error);
	}
	/* uri given as an integer */
	{
		manifest = test_parse_with_parameter(20, 21, suit_cbor_item_new_uint(5), &error);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
		g_assert_nonnull(strstr(error->message, "uri"));
		g_clear_error(&error);
	}
	/* image-digest not holding a digest */
	{
		manifest = test_parse_with_parameter(19,
						     3,
						     suit_cbor_item_new_bytes_data((const guint8 *)"\x01", 1),
						     &error);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
		g_clear_error(&error);
	}
	/* soft-failure not a bool */
	{
		manifest = test_parse_with_parameter(20, 13, suit_cbor_item_new_uint(1), &error);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
		g_clear_error(&error);
	}
	/* vendor id as tag 112 is fine */
	{
		SuitParameters *parsed;
		manifest = test_parse_with_parameter(
		    20,
		    1,
		    suit_cbor_item_new_tag(112, suit_cbor_item_new_bytes_data((const guint8 *)"\x1a\x01", 2)),
		    &error);
		g_assert_no_error(error);
		parsed = suit_command_get_parameters(
		    suit_command_sequence_get_command(suit_manifest_get_sequence(manifest, SUIT_SECTION_VALIDATE),
						      0));
		g_assert_null(suit_parameters_get_bytes(parsed, 1));
		g_assert_nonnull(suit_parameters_get_cbor(parsed, 1));
		g_clear_object(&manifest);
	}
	/* try-each with one element */
	{
		g_autoptr(SuitCborItem) seq = suit_cbor_item_new_array();
		g_autoptr(SuitCborItem) inner = suit_cbor_item_new_array();
		SuitCborItem *arg = suit_cbor_item_new_array();
		suit_cbor_array_append(inner, suit_cbor_item_new_uint(3));
		suit_cbor_array_append(inner, suit_cbor_item_new_uint(15));
		suit_cbor_array_append(arg, suit_cbor_item_new_wrapped(inner));
		suit_cbor_array_append(seq, suit_cbor_item_new_uint(15));
		suit_cbor_array_append(seq, arg);
		manifest = test_parse_with_validate(seq, &error);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
		g_assert_nonnull(strstr(error->message, "try-each"));
		g_clear_error(&error);
	}
	/* set-component-index false */
	{
		g_autoptr(SuitCborItem) seq = suit_cbor_item_new_array();
		suit_cbor_array_append(seq, suit_cbor_item_new_uint(12));
		suit_cbor_array_append(seq, suit_cbor_item_new_bool(FALSE));
		manifest = test_parse_with_validate(seq, &error);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
		g_clear_error(&error);
	}
	/* nested sequence that is not valid CBOR */
	{
		g_autoptr(SuitCborItem) seq = suit_cbor_item_new_array();
		suit_cbor_array_append(seq, suit_cbor_item_new_uint(32));
		suit_cbor_array_append(seq, suit_cbor_item_new_bytes_data((const guint8 *)"\x82\x01", 2));
		manifest = test_parse_with_validate(seq, &error);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_CBOR);
		g_clear_error(&error);
	}
}

/* run-sequence nested @depth levels below the top-level sequence */
static SuitCborItem *
test_nested_run_sequence(guint depth)
{
	SuitCborItem *seq = suit_cbor_item_new_array();
	suit_cbor_array_append(seq, suit_cbor_item_new_uint(3));
	suit_cbor_array_append(seq, suit_cbor_item_new_uint(15));
	for (guint i = 0; i < depth; i++) {
		SuitCborItem *outer = suit_cbor_item_new_array();
		suit_cbor_array_append(outer, suit_cbor_item_new_uint(32));
		suit_cbor_array_append(outer, suit_cbor_item_new_wrapped(seq));
		suit_cbor_item_unref(seq);
		seq = outer;
	}
	return seq;
}

static void
test_manifest_negative_nesting(void)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitCborItem) ok = test_nested_run_sequence(8);
	g_autoptr(SuitCborItem) deep = test_nested_run_sequence(9);
	g_autoptr(SuitCborItem) deeper = test_nested_run_sequence(100);
	g_autoptr(SuitManifest) manifest = NULL;

	manifest = test_parse_with_validate(ok, &error);
	g_assert_no_error(error);
	g_assert_nonnull(manifest);
	g_clear_object(&manifest);

	manifest = test_parse_with_validate(deep, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_LIMIT_EXCEEDED);
	g_assert_null(manifest);
	g_clear_error(&error);

	manifest = test_parse_with_validate(deeper, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_LIMIT_EXCEEDED);
	g_clear_error(&error);
}

static void
test_manifest_negative_text(void)
{
	g_autoptr(SuitCborItem) map = test_minimal_manifest_map();
	g_autoptr(SuitCborItem) text = suit_cbor_item_new_map();
	g_autoptr(SuitManifest) manifest = NULL;
	g_autoptr(GError) error = NULL;
	SuitCborItem *lang = suit_cbor_item_new_map();

	suit_cbor_map_append(lang, suit_cbor_item_new_uint(1), suit_cbor_item_new_uint(1));
	suit_cbor_map_append(text, suit_cbor_item_new_text("en"), lang);
	suit_cbor_map_append(map, suit_cbor_item_new_uint(23), suit_cbor_item_new_wrapped(text));
	manifest = test_parse_item(map, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
	g_assert_nonnull(strstr(error->message, "text"));
}

static void
test_manifest_check_flipped(GBytes *flipped)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitManifest) manifest = suit_manifest_new_from_bytes(flipped, SUIT_PARSE_FLAG_NONE, &error);
	g_autofree gchar *str = NULL;
	g_autofree gchar *json = NULL;
	g_autoptr(GBytes) out = NULL;
	g_autoptr(SuitManifest) from_json = NULL;

	if (manifest == NULL) {
		g_assert_nonnull(error);
		g_assert_true(error->domain == SUIT_ERROR);
		return;
	}
	str = suit_manifest_to_string(manifest);
	g_assert_nonnull(str);
	out = suit_manifest_to_bytes(manifest);
	g_assert_nonnull(out);
	/* whatever parses has a JSON mirror that parses too */
	json = suit_manifest_to_json(manifest, SUIT_JSON_FLAG_NONE);
	g_assert_nonnull(json);
	from_json = suit_manifest_new_from_json(json, &error);
	g_assert_no_error(error);
	g_assert_nonnull(from_json);
}

static void
test_manifest_fuzz_flips(void)
{
	const gchar *vectors[] = {
	    "manifest/ex3-ab-images.suit",
	    "update-management/um-U0.suit",
	    "trust-domains/td-dependent-process.suit",
	};

	/* flipping bits never crashes, and what parses converts consistently */
	for (guint v = 0; v < G_N_ELEMENTS(vectors); v++) {
		g_autoptr(GBytes) blob = suit_test_load_vector(vectors[v]);
		g_autoptr(GBytes) cbor = suit_test_envelope_manifest_bytes(blob);
		for (gsize i = 0; i < g_bytes_get_size(cbor); i++) {
			for (guint bit = 0; bit < 8; bit++) {
				g_autoptr(GBytes) flipped = suit_test_bytes_flip(cbor, i, (guint8)(1u << bit));
				test_manifest_check_flipped(flipped);
			}
		}
	}
}

static void
test_manifest_fuzz_flips_text(void)
{
	g_autoptr(GBytes) blob = suit_test_load_vector("manifest/ex2-severable-full.suit");
	g_autoptr(SuitCborItem) text = test_envelope_member(blob, 23);
	GBytes *content = suit_cbor_item_get_bytes(text);

	/* attaching a damaged text member fails cleanly or gives readable text */
	for (gsize i = 0; i < g_bytes_get_size(content); i++) {
		g_autoptr(SuitManifest) manifest = suit_test_load_manifest("manifest/ex2-severable-full.suit");
		g_autoptr(GBytes) flipped = suit_test_bytes_flip(content, i, 0x01);
		g_autoptr(SuitCborItem) bstr = suit_cbor_item_new_bytes(flipped);
		g_autoptr(GError) error = NULL;
		if (!suit_manifest_attach_member(manifest, 23, bstr, &error)) {
			g_assert_nonnull(error);
			g_assert_cmpint(suit_manifest_get_member_state(manifest, 23), ==, SUIT_MEMBER_STATE_SEVERED);
		} else {
			g_autoptr(JsonNode) node = suit_manifest_member_to_json_node(manifest, 23);
			g_autoptr(SuitCborItem) back = NULL;
			g_autofree gchar *str = suit_manifest_to_string(manifest);
			g_assert_nonnull(str);
			g_assert_nonnull(node);
			back = suit_manifest_member_from_json_node(23, node, &error);
			g_assert_no_error(error);
			g_assert_nonnull(back);
		}
	}
}

/* the boxed command types are refcounted; booleans read back as booleans */
static void
test_manifest_refcounts(void)
{
	g_autoptr(GError) error = NULL;
	/* [20, {12: false, 13: true}] */
	g_autoptr(GBytes) cbor = suit_test_bytes_from_hex("8214a20cf40df5");
	g_autoptr(SuitCommandSequence) sequence = suit_command_sequence_new_from_cbor(cbor, &error);
	SuitCommandSequence *extra_sequence;
	SuitCommand *command;
	SuitCommand *extra_command;
	SuitParameters *parameters;
	SuitParameters *extra_parameters;
	gboolean value = TRUE;

	g_assert_no_error(error);
	command = suit_command_sequence_get_command(sequence, 0);
	parameters = suit_command_get_parameters(command);
	g_assert_true(suit_parameters_get_bool(parameters, 12, &value));
	g_assert_false(value);
	g_assert_true(suit_parameters_get_bool(parameters, 13, &value));
	g_assert_true(value);
	/* absent, or not a boolean */
	g_assert_false(suit_parameters_get_bool(parameters, 14, &value));

	/* references keep the values alive after the sequence is gone */
	extra_sequence = suit_command_sequence_ref(sequence);
	extra_command = suit_command_ref(command);
	extra_parameters = suit_parameters_ref(parameters);
	g_clear_pointer(&sequence, suit_command_sequence_unref);
	g_assert_cmpint(suit_command_get_code(extra_command), ==, 20);
	g_assert_cmpuint(suit_parameters_get_size(extra_parameters), ==, 2);
	g_assert_cmpuint(suit_command_sequence_get_length(extra_sequence), ==, 1);
	suit_parameters_unref(extra_parameters);
	suit_command_unref(extra_command);
	suit_command_sequence_unref(extra_sequence);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_test_add_func("/suit/manifest/parse/ex0", test_manifest_parse_ex0);
	g_test_add_func("/suit/manifest/parse/ex1", test_manifest_parse_ex1);
	g_test_add_func("/suit/manifest/parse/ex2", test_manifest_parse_ex2);
	g_test_add_func("/suit/manifest/parse/ex3", test_manifest_parse_ex3);
	g_test_add_func("/suit/manifest/parse/ex4", test_manifest_parse_ex4);
	g_test_add_func("/suit/manifest/parse/dependencies", test_manifest_parse_dependencies);
	g_test_add_func("/suit/manifest/parse/integrated-dependency", test_manifest_parse_integrated_dependency);
	g_test_add_func("/suit/manifest/parse/teep", test_manifest_parse_teep);
	g_test_add_func("/suit/manifest/parse/update-management", test_manifest_parse_update_management);
	g_test_add_func("/suit/manifest/parse/legacy-install17", test_manifest_parse_legacy_install17);
	g_test_add_func("/suit/manifest/parse/bignum-version", test_manifest_parse_bignum_version);
	g_test_add_func("/suit/manifest/reencode/vectors", test_manifest_reencode_vectors);
	g_test_add_func("/suit/manifest/sever", test_manifest_sever);
	g_test_add_func("/suit/manifest/names", test_manifest_names);
	g_test_add_func("/suit/manifest/commands", test_manifest_commands);
	g_test_add_func("/suit/manifest/negative/version", test_manifest_negative_version);
	g_test_add_func("/suit/manifest/negative/structure", test_manifest_negative_structure);
	g_test_add_func("/suit/manifest/negative/sequences", test_manifest_negative_sequences);
	g_test_add_func("/suit/manifest/negative/nesting", test_manifest_negative_nesting);
	g_test_add_func("/suit/manifest/negative/text", test_manifest_negative_text);
	g_test_add_func("/suit/manifest/fuzz/flips", test_manifest_fuzz_flips);
	g_test_add_func("/suit/manifest/fuzz/flips-text", test_manifest_fuzz_flips_text);
	g_test_add_func("/suit/manifest/refcounts", test_manifest_refcounts);
	return g_test_run();
}
