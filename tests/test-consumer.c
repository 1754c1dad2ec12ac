/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "suit-test-common.h"

#define VENDOR "fa6b4a53d5ad5fdfbe9de663e4d41ffe"
#define CLASS  "1492af1425695e48bf429b2d51f2ab45"

typedef struct {
	SuitKey *key;
	SuitKeyring *keyring;
	SuitStore *store;
	SuitFirmwareConsumer *consumer;
} Fixture;

static void
fixture_setup(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitKey) pub = NULL;
	g_autoptr(GBytes) vendor = suit_test_bytes_from_hex(VENDOR);
	g_autoptr(GBytes) class_id = suit_test_bytes_from_hex(CLASS);

	fx->key = suit_key_generate(SUIT_KEY_TYPE_P256, &error);
	g_assert_no_error(error);
	pub = suit_key_dup_public(fx->key, &error);
	g_assert_no_error(error);
	fx->keyring = suit_keyring_new();
	suit_keyring_add(fx->keyring, pub);
	fx->store = SUIT_STORE(suit_store_memory_new());
	fx->consumer = suit_firmware_consumer_new(fx->keyring, fx->store, NULL);
	suit_firmware_consumer_set_vendor_id(fx->consumer, vendor);
	suit_firmware_consumer_set_class_id(fx->consumer, class_id);
}

static void
fixture_teardown(Fixture *fx, gconstpointer user_data)
{
	g_clear_object(&fx->consumer);
	g_clear_object(&fx->store);
	g_clear_object(&fx->keyring);
	g_clear_object(&fx->key);
}

/* the JSON of a SUIT_Digest over @data */
static gchar *
digest_json(const gchar *data)
{
	g_autoptr(GBytes) bytes = g_bytes_new(data, strlen(data));
	g_autoptr(SuitDigest) digest = suit_digest_compute(SUIT_DIGEST_ALGORITHM_SHA256, bytes, NULL);
	g_autofree gchar *hex = suit_digest_to_hex(digest);
	return g_strdup_printf("{\"algorithm-id\": -16, \"digest-bytes\": \"%s\"}", hex);
}

/* shared sequence: identity, digest and size of component 0, vendor and class checks */
static gchar *
shared_json(const gchar *payload, const gchar *vendor)
{
	g_autofree gchar *digest = digest_json(payload);
	return g_strdup_printf("[{\"command\": \"override-parameters\", \"argument\": {"
			       "\"vendor-identifier\": \"%s\", \"class-identifier\": \"%s\", "
			       "\"image-digest\": %s, \"image-size\": %" G_GSIZE_FORMAT "}},"
			       "{\"command\": \"vendor-identifier\", \"argument\": 15},"
			       "{\"command\": \"class-identifier\", \"argument\": 15}]",
			       vendor,
			       CLASS,
			       digest,
			       strlen(payload));
}

/*
 * A signed envelope: @components is the JSON list of component ids, @shared
 * the shared sequence, @sections further manifest members ("install": [...]),
 * @integrated the envelope's "integrated" object (hex) or NULL.
 */
static SuitEnvelope *
make_envelope(SuitKey *key,
	      guint64 sequence_number,
	      const gchar *components,
	      const gchar *shared,
	      const gchar *sections,
	      const gchar *integrated)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *json = g_strdup_printf(
	    "{\"manifest\": {\"manifest-version\": 1, \"manifest-sequence-number\": %" G_GUINT64_FORMAT ", "
	    "\"common\": {\"components\": %s, \"shared-sequence\": %s}, %s}%s%s}",
	    sequence_number,
	    components,
	    shared,
	    sections,
	    integrated != NULL ? ", \"integrated\": " : "",
	    integrated != NULL ? integrated : "");
	g_autoptr(SuitEnvelope) built = suit_envelope_new_from_json(json, &error);
	g_autoptr(GBytes) blob = NULL;
	if (built == NULL)
		g_error("%s: %s", json, error->message);
	g_assert_true(suit_envelope_sign(built, key, SUIT_COSE_ALGORITHM_NONE, NULL, &error));
	g_assert_no_error(error);
	blob = suit_envelope_to_bytes(built, &error);
	g_assert_no_error(error);
	/* the device sees only bytes */
	return suit_envelope_new_from_bytes(blob, SUIT_PARSE_FLAG_NONE, &error);
}

static gchar *
hex_of(const gchar *text)
{
	g_autoptr(GBytes) bytes = g_bytes_new(text, strlen(text));
	return suit_test_bytes_to_hex(bytes);
}

/* an envelope that installs @payload, integrated as "#fw", into component [h'00'] */
static SuitEnvelope *
make_simple(SuitKey *key, guint64 sequence_number, const gchar *payload, const gchar *carried, const gchar *vendor)
{
	g_autofree gchar *shared = shared_json(payload, vendor);
	g_autofree gchar *hex = hex_of(carried);
	g_autofree gchar *integrated = g_strdup_printf("{\"#fw\": \"%s\"}", hex);
	return make_envelope(key,
			     sequence_number,
			     "[[\"00\"]]",
			     shared,
			     "\"install\": [{\"command\": \"override-parameters\", \"argument\": {\"uri\": \"#fw\"}},"
			     "{\"command\": \"fetch\", \"argument\": 2},"
			     "{\"command\": \"image-match\", \"argument\": 15}],"
			     "\"validate\": [{\"command\": \"image-match\", \"argument\": 15}]",
			     integrated);
}

static SuitComponentId *
component_00(void)
{
	SuitComponentId *id = suit_component_id_new();
	g_autoptr(GBytes) part = g_bytes_new_static("\x00", 1);
	suit_component_id_append(id, part);
	return id;
}

static void
assert_component(Fixture *fx, SuitComponentId *id, const gchar *expected)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) data = suit_store_read_bytes(fx->store, id, 1024 * 1024, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpmem(g_bytes_get_data(data, NULL), g_bytes_get_size(data), expected, strlen(expected));
}

static gboolean
trace_has(SuitFirmwareConsumer *consumer, const gchar *prefix)
{
	GPtrArray *trace = suit_firmware_consumer_get_trace(consumer);
	for (guint i = 0; i < trace->len; i++) {
		if (g_str_has_prefix(g_ptr_array_index(trace, i), prefix))
			return TRUE;
	}
	return FALSE;
}


/*
 * A store for the draft's examples, whose image digests (0011...3210) are
 * sample patterns no real image has: it keeps everything in a memory store
 * but reports a given digest for chosen components, as a device that holds
 * those images would. Nothing else is changed, so image-match still compares.
 */
#define TEST_TYPE_PLACEHOLDER_STORE (test_placeholder_store_get_type())
G_DECLARE_FINAL_TYPE(TestPlaceholderStore, test_placeholder_store, TEST, PLACEHOLDER_STORE, GObject)

struct _TestPlaceholderStore {
	GObject parent_instance;
	SuitStore *inner;
	GHashTable *digests; /* SuitComponentId -> SuitDigest */
};

static SuitStoreInterface *
test_inner(SuitStore *self)
{
	return SUIT_STORE_GET_IFACE(TEST_PLACEHOLDER_STORE(self)->inner);
}

#define INNER(self) (TEST_PLACEHOLDER_STORE(self)->inner)

static GOutputStream *
test_begin_write(SuitStore *self, SuitComponentId *c, SuitStoreWriteFlags f, GCancellable *k, GError **e)
{
	return test_inner(self)->begin_write(INNER(self), c, f, k, e);
}

static gboolean
test_commit_write(SuitStore *self,
		  SuitComponentId *c,
		  GOutputStream *sink,
		  SuitStoreWriteFlags f,
		  SuitDigest *d,
		  guint64 size,
		  GCancellable *k,
		  GError **e)
{
	return test_inner(self)->commit_write(INNER(self), c, sink, f, d, size, k, e);
}

static void
test_abort_write(SuitStore *self, SuitComponentId *c, GOutputStream *sink)
{
	test_inner(self)->abort_write(INNER(self), c, sink);
}

static gboolean
test_has_component(SuitStore *self, SuitComponentId *c)
{
	return g_hash_table_contains(TEST_PLACEHOLDER_STORE(self)->digests, c) ||
	       test_inner(self)->has_component(INNER(self), c);
}

static GInputStream *
test_read_component(SuitStore *self, SuitComponentId *c, GCancellable *k, GError **e)
{
	return test_inner(self)->read_component(INNER(self), c, k, e);
}

static gboolean
test_get_size(SuitStore *self, SuitComponentId *c, guint64 *size, GCancellable *k, GError **e)
{
	return test_inner(self)->get_size(INNER(self), c, size, k, e);
}

static SuitDigest *
test_get_digest(SuitStore *self, SuitComponentId *c, SuitDigestAlgorithm alg, GCancellable *k, GError **e)
{
	SuitDigest *digest = g_hash_table_lookup(TEST_PLACEHOLDER_STORE(self)->digests, c);
	if (digest != NULL)
		return suit_digest_ref(digest);
	return test_inner(self)->get_digest(INNER(self), c, alg, k, e);
}

static gboolean
test_get_sequence_number(SuitStore *self, SuitComponentId *m, guint64 *value, GCancellable *k, GError **e)
{
	return test_inner(self)->get_sequence_number(INNER(self), m, value, k, e);
}

static gboolean
test_set_sequence_number(SuitStore *self, SuitComponentId *m, guint64 value, GCancellable *k, GError **e)
{
	return test_inner(self)->set_sequence_number(INNER(self), m, value, k, e);
}

static void
test_placeholder_store_iface_init(SuitStoreInterface *iface)
{
	iface->begin_write = test_begin_write;
	iface->commit_write = test_commit_write;
	iface->abort_write = test_abort_write;
	iface->has_component = test_has_component;
	iface->read_component = test_read_component;
	iface->get_size = test_get_size;
	iface->get_digest = test_get_digest;
	iface->get_sequence_number = test_get_sequence_number;
	iface->set_sequence_number = test_set_sequence_number;
}

G_DEFINE_TYPE_WITH_CODE(TestPlaceholderStore,
			test_placeholder_store,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(SUIT_TYPE_STORE, test_placeholder_store_iface_init))

static void
test_placeholder_store_finalize(GObject *object)
{
	TestPlaceholderStore *self = TEST_PLACEHOLDER_STORE(object);
	g_object_unref(self->inner);
	g_hash_table_unref(self->digests);
	G_OBJECT_CLASS(test_placeholder_store_parent_class)->finalize(object);
}

static void
test_placeholder_store_class_init(TestPlaceholderStoreClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = test_placeholder_store_finalize;
}

static void
test_placeholder_store_init(TestPlaceholderStore *self)
{
	self->inner = SUIT_STORE(suit_store_memory_new());
	self->digests = g_hash_table_new_full((GHashFunc)suit_component_id_hash,
					      (GEqualFunc)suit_component_id_equal,
					      (GDestroyNotify)suit_component_id_unref,
					      (GDestroyNotify)suit_digest_unref);
}

static void
test_placeholder_store_add(TestPlaceholderStore *self, const gchar *component_hex, const gchar *digest_hex)
{
	SuitComponentId *id = suit_component_id_new();
	g_autoptr(GBytes) part = suit_test_bytes_from_hex(component_hex);
	g_autoptr(GBytes) value = suit_test_bytes_from_hex(digest_hex);
	suit_component_id_append(id, part);
	g_hash_table_replace(self->digests, id, suit_digest_new(SUIT_DIGEST_ALGORITHM_SHA256, value));
}

#define DIGEST_A "00112233445566778899aabbccddeeff0123456789abcdeffedcba9876543210"
#define DIGEST_B "0123456789abcdeffedcba987654321000112233445566778899aabbccddeeff"

static SuitEnvelope *
load_envelope(const gchar *relpath)
{
	g_autoptr(GBytes) blob = suit_test_load_vector(relpath);
	g_autoptr(GError) error = NULL;
	SuitEnvelope *envelope = suit_envelope_new_from_bytes(blob, SUIT_PARSE_FLAG_NONE, &error);
	g_assert_no_error(error);
	return envelope;
}

static SuitFirmwareConsumer *
draft_consumer(SuitStore *store)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitKeyring) draft = suit_keyring_new();
	g_autofree gchar *path = suit_test_vector_path("keys/suit-draft-p256.pub.pem");
	g_autoptr(GBytes) vendor = suit_test_bytes_from_hex(VENDOR);
	g_autoptr(GBytes) class_id = suit_test_bytes_from_hex(CLASS);
	SuitFirmwareConsumer *consumer;
	g_assert_true(suit_keyring_add_from_file(draft, path, &error));
	g_assert_no_error(error);
	consumer = suit_firmware_consumer_new(draft, store, NULL);
	suit_firmware_consumer_set_vendor_id(consumer, vendor);
	suit_firmware_consumer_set_class_id(consumer, class_id);
	return consumer;
}

/* ex0: the invocation trace of the draft (libcsuit's unit test) */
static void
test_consumer_ex0_invoke(void)
{
	g_autoptr(TestPlaceholderStore) store = g_object_new(TEST_TYPE_PLACEHOLDER_STORE, NULL);
	g_autoptr(SuitFirmwareConsumer) consumer = draft_consumer(SUIT_STORE(store));
	g_autoptr(SuitEnvelope) envelope = load_envelope("manifest/ex0-secure-boot.suit");
	g_autoptr(GError) error = NULL;
	GPtrArray *trace;

	/* without the image, validate fails and nothing is invoked */
	g_assert_false(suit_firmware_consumer_invoke(consumer, envelope, NULL, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_CONDITION_FAILED);
	g_clear_error(&error);
	g_assert_cmpuint(suit_firmware_consumer_get_trace(consumer)->len, ==, 0);

	test_placeholder_store_add(store, "00", DIGEST_A);
	g_assert_true(suit_firmware_consumer_invoke(consumer, envelope, NULL, NULL, &error));
	g_assert_no_error(error);
	trace = suit_firmware_consumer_get_trace(consumer);
	g_assert_cmpuint(trace->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(trace, 0), ==, "invoke 0: [h'00'] args h''");
}

/* ex3: the device's slot picks the URI and the digest */
static void
test_consumer_ex3_slots(void)
{
	struct {
		guint64 slot;
		const gchar *digest;
		const gchar *trace;
	} cases[] = {
	    {0, DIGEST_A, "fetch 0: http://example.com/file1.bin (already present)"},
	    {1, DIGEST_B, "fetch 0: http://example.com/file2.bin (already present)"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(TestPlaceholderStore) store = g_object_new(TEST_TYPE_PLACEHOLDER_STORE, NULL);
		g_autoptr(SuitFirmwareConsumer) consumer = draft_consumer(SUIT_STORE(store));
		g_autoptr(SuitEnvelope) envelope = load_envelope("manifest/ex3-ab-images.suit");
		g_autoptr(GError) error = NULL;
		g_autoptr(SuitComponentId) id = component_00();
		GPtrArray *trace;

		suit_firmware_consumer_set_component_slot(consumer, id, cases[i].slot);
		/* the device holds the image of its slot: the fetch has nothing to do */
		test_placeholder_store_add(store, "00", cases[i].digest);
		g_assert_true(suit_firmware_consumer_update(consumer, envelope, NULL, NULL, &error));
		g_assert_no_error(error);
		trace = suit_firmware_consumer_get_trace(consumer);
		g_assert_cmpuint(trace->len, ==, 1);
		g_assert_cmpstr(g_ptr_array_index(trace, 0), ==, cases[i].trace);

		/* with the image of the other slot, image-match fails after the fetch is refused */
		g_hash_table_remove_all(store->digests);
		test_placeholder_store_add(store, "00", cases[1 - i].digest);
		g_assert_false(suit_firmware_consumer_update(consumer, envelope, NULL, NULL, &error));
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_FETCH_FAILED);
	}
}

/* an envelope installing the file @path (expected to hold @digest_of) at @uri */
static SuitEnvelope *
make_file_envelope(SuitKey *key, guint64 sequence_number, GBytes *digest_of, const gchar *uri)
{
	g_autoptr(SuitDigest) digest = suit_digest_compute(SUIT_DIGEST_ALGORITHM_SHA256, digest_of, NULL);
	g_autofree gchar *hex = suit_digest_to_hex(digest);
	g_autofree gchar *shared = g_strdup_printf(
	    "[{\"command\": \"override-parameters\", \"argument\": {"
	    "\"vendor-identifier\": \"" VENDOR "\", \"class-identifier\": \"" CLASS "\", "
	    "\"image-digest\": {\"algorithm-id\": -16, \"digest-bytes\": \"%s\"}, \"image-size\": %" G_GSIZE_FORMAT "}},"
	    "{\"command\": \"vendor-identifier\", \"argument\": 15},"
	    "{\"command\": \"class-identifier\", \"argument\": 15}]",
	    hex,
	    g_bytes_get_size(digest_of));
	g_autofree gchar *sections = g_strdup_printf(
	    "\"install\": [{\"command\": \"override-parameters\", \"argument\": {\"uri\": \"%s\"}},"
	    "{\"command\": \"fetch\", \"argument\": 2},"
	    "{\"command\": \"image-match\", \"argument\": 15}],"
	    "\"validate\": [{\"command\": \"image-match\", \"argument\": 15}]",
	    uri);
	return make_envelope(key, sequence_number, "[[\"00\"]]", shared, sections, NULL);
}

static GBytes *
random_image(gsize size)
{
	guint8 *data = g_malloc(size);
	for (gsize i = 0; i < size; i += 4) {
		guint32 r = g_test_rand_int();
		memcpy(data + i, &r, MIN(4, size - i));
	}
	return g_bytes_new_take(data, size);
}

static void
assert_active_image(SuitStore *store, SuitComponentId *id, GBytes *expected)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitDigest) want = suit_digest_compute(SUIT_DIGEST_ALGORITHM_SHA256, expected, NULL);
	g_autoptr(SuitDigest) got = suit_store_get_digest(store, id, SUIT_DIGEST_ALGORITHM_SHA256, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(suit_digest_equal(want, got));
}

static SuitStoreImageState
image_state(SuitStore *store, SuitComponentId *id)
{
	SuitStoreImageState state = SUIT_STORE_IMAGE_STATE_NONE;
	g_autoptr(GError) error = NULL;
	g_assert_true(suit_store_get_image_state(store, id, &state, NULL, &error));
	g_assert_no_error(error);
	return state;
}

/*
 * End to end on a directory store: install an 8 MiB image, confirm it, then
 * refuse a rollback and a tampered payload, fall back from an update that is
 * never confirmed, and check the device's signed report.
 */
static void
test_consumer_end_to_end(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("suit-consumer-XXXXXX", &error);
	g_autofree gchar *store_dir = g_build_filename(dir, "store", NULL);
	g_autofree gchar *image1_path = g_build_filename(dir, "image1.bin", NULL);
	g_autofree gchar *image2_path = g_build_filename(dir, "image2.bin", NULL);
	g_autofree gchar *image1_uri = g_filename_to_uri(image1_path, NULL, NULL);
	g_autofree gchar *image2_uri = g_filename_to_uri(image2_path, NULL, NULL);
	g_autoptr(GBytes) image1 = random_image(8 * 1024 * 1024);
	g_autoptr(GBytes) image2 = random_image(8 * 1024 * 1024 + 3);
	g_autoptr(GBytes) tampered = suit_test_bytes_flip(image2, 4 * 1024 * 1024, 0x01);
	g_autoptr(SuitKey) author = suit_key_generate(SUIT_KEY_TYPE_P256, &error);
	g_autoptr(SuitKey) author_pub = suit_key_dup_public(author, &error);
	g_autoptr(SuitKey) device = suit_key_generate(SUIT_KEY_TYPE_ED25519, &error);
	g_autoptr(SuitKey) device_pub = suit_key_dup_public(device, &error);
	g_autoptr(SuitKeyring) keyring = suit_keyring_new();
	g_autoptr(SuitKeyring) tracker = suit_keyring_new();
	g_autoptr(SuitStoreDirectory) store = NULL;
	g_autoptr(SuitFetcher) fetcher = suit_fetcher_new_default();
	g_autoptr(SuitFirmwareConsumer) consumer = NULL;
	g_autoptr(GBytes) vendor = suit_test_bytes_from_hex(VENDOR);
	g_autoptr(GBytes) class_id = suit_test_bytes_from_hex(CLASS);
	g_autoptr(SuitComponentId) id = component_00();
	g_autoptr(GPtrArray) fallen = NULL;
	g_autoptr(GBytes) cose = NULL;
	g_autoptr(SuitReport) received = NULL;

	g_assert_no_error(error);
	suit_keyring_add(keyring, author_pub);
	suit_keyring_add(tracker, device_pub);
	store = suit_store_directory_new(store_dir, &error);
	g_assert_no_error(error);
	consumer = suit_firmware_consumer_new(keyring, SUIT_STORE(store), fetcher);
	suit_firmware_consumer_set_vendor_id(consumer, vendor);
	suit_firmware_consumer_set_class_id(consumer, class_id);
	g_assert_true(g_file_set_contents(image1_path, g_bytes_get_data(image1, NULL), g_bytes_get_size(image1), NULL));

	/* install version 2 and confirm it after a good boot */
	{
		g_autoptr(SuitEnvelope) envelope = make_file_envelope(author, 2, image1, image1_uri);
		g_assert_true(suit_firmware_consumer_update(consumer, envelope, NULL, NULL, &error));
		g_assert_no_error(error);
		assert_active_image(SUIT_STORE(store), id, image1);
		g_assert_cmpint(image_state(SUIT_STORE(store), id), ==, SUIT_STORE_IMAGE_STATE_PENDING);
		fallen = suit_store_begin_boot(SUIT_STORE(store), NULL, &error);
		g_assert_no_error(error);
		g_clear_pointer(&fallen, g_ptr_array_unref);
		g_assert_true(suit_store_confirm(SUIT_STORE(store), id, NULL, &error));
		g_assert_no_error(error);
		g_assert_cmpint(image_state(SUIT_STORE(store), id), ==, SUIT_STORE_IMAGE_STATE_CONFIRMED);

		/* the device signs its report, the Status Tracker verifies it */
		cose = suit_report_sign(suit_firmware_consumer_get_report(consumer), device, SUIT_COSE_ALGORITHM_NONE, NULL, &error);
		g_assert_no_error(error);
		received = suit_report_new_from_cose(cose, tracker, &error);
		g_assert_no_error(error);
		g_assert_true(suit_report_is_success(received));
		g_assert_true(suit_digest_equal(suit_report_get_reference_digest(received),
						suit_envelope_get_manifest_digest(envelope)));
		/* a report under another key is refused */
		g_clear_object(&received);
		received = suit_report_new_from_cose(cose, keyring, &error);
		g_assert_null(received);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
		g_clear_error(&error);
	}

	/* a lower sequence number is a rollback, and nothing changes */
	{
		g_autoptr(SuitEnvelope) envelope = make_file_envelope(author, 1, image1, image1_uri);
		g_assert_false(suit_firmware_consumer_update(consumer, envelope, NULL, NULL, &error));
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_ROLLBACK);
		g_clear_error(&error);
		assert_active_image(SUIT_STORE(store), id, image1);
	}

	/* a payload with one flipped byte is refused and the old image stays */
	g_assert_true(g_file_set_contents(image2_path, g_bytes_get_data(tampered, NULL), g_bytes_get_size(tampered), NULL));
	{
		g_autoptr(SuitEnvelope) envelope = make_file_envelope(author, 3, image2, image2_uri);
		g_assert_false(suit_firmware_consumer_update(consumer, envelope, NULL, NULL, &error));
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_DIGEST_MISMATCH);
		g_clear_error(&error);
		assert_active_image(SUIT_STORE(store), id, image1);
		g_assert_cmpint(image_state(SUIT_STORE(store), id), ==, SUIT_STORE_IMAGE_STATE_CONFIRMED);
	}

	/* an update that is never confirmed falls back to the confirmed image */
	g_assert_true(g_file_set_contents(image2_path, g_bytes_get_data(image2, NULL), g_bytes_get_size(image2), NULL));
	{
		g_autoptr(SuitEnvelope) envelope = make_file_envelope(author, 4, image2, image2_uri);
		g_assert_true(suit_firmware_consumer_update(consumer, envelope, NULL, NULL, &error));
		g_assert_no_error(error);
		assert_active_image(SUIT_STORE(store), id, image2);
		/* first boot: the new image is tried */
		fallen = suit_store_begin_boot(SUIT_STORE(store), NULL, &error);
		g_assert_no_error(error);
		g_assert_cmpuint(fallen->len, ==, 0);
		g_clear_pointer(&fallen, g_ptr_array_unref);
		g_assert_cmpint(image_state(SUIT_STORE(store), id), ==, SUIT_STORE_IMAGE_STATE_TRYING);
		/* it never confirmed: the next boot falls back */
		fallen = suit_store_begin_boot(SUIT_STORE(store), NULL, &error);
		g_assert_no_error(error);
		g_assert_cmpuint(fallen->len, ==, 1);
		assert_active_image(SUIT_STORE(store), id, image1);
	}

	g_assert_no_errno(g_remove(image1_path));
	g_assert_no_errno(g_remove(image2_path));
	{
		/* the store's own files */
		g_autoptr(GFile) file = g_file_new_for_path(store_dir);
		g_autoptr(GFileEnumerator) children = NULL;
		GFileInfo *info;
		children = g_file_enumerate_children(file, G_FILE_ATTRIBUTE_STANDARD_NAME, 0, NULL, NULL);
		while (children != NULL && (info = g_file_enumerator_next_file(children, NULL, NULL)) != NULL) {
			g_autoptr(GFileInfo) owned = info;
			g_autofree gchar *path = g_build_filename(store_dir, g_file_info_get_name(owned), NULL);
			g_remove(path);
		}
		g_rmdir(store_dir);
	}
	g_rmdir(dir);
}

static void
test_consumer_update(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitEnvelope) envelope = make_simple(fx->key, 5, "firmware v5", "firmware v5", VENDOR);
	g_autoptr(SuitComponentId) id = component_00();
	SuitReport *report;
	guint64 stored = 0;

	g_assert_nonnull(envelope);
	g_assert_true(suit_firmware_consumer_update(fx->consumer, envelope, NULL, NULL, &error));
	g_assert_no_error(error);
	assert_component(fx, id, "firmware v5");
	g_assert_true(trace_has(fx->consumer, "fetch 0: #fw"));
	g_assert_true(suit_store_get_sequence_number(fx->store, NULL, &stored, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(stored, ==, 5);

	report = suit_firmware_consumer_get_report(fx->consumer);
	g_assert_nonnull(report);
	g_assert_true(suit_report_is_success(report));
	g_assert_true(suit_digest_equal(suit_report_get_reference_digest(report),
					suit_envelope_get_manifest_digest(envelope)));
	g_assert_cmpuint(suit_report_get_claims(report)->len, ==, 1);

	/* the same manifest again is fine, an older one is a rollback */
	g_assert_true(suit_firmware_consumer_update(fx->consumer, envelope, NULL, NULL, &error));
	g_assert_no_error(error);
	{
		g_autoptr(SuitEnvelope) older = make_simple(fx->key, 4, "firmware v4", "firmware v4", VENDOR);
		g_assert_false(suit_firmware_consumer_update(fx->consumer, older, NULL, NULL, &error));
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_ROLLBACK);
		g_clear_error(&error);
		assert_component(fx, id, "firmware v5");
		report = suit_firmware_consumer_get_report(fx->consumer);
		g_assert_false(suit_report_is_success(report));
		g_assert_cmpint(suit_report_get_result_reason(report), ==, SUIT_REPORT_REASON_CONDITION_FAILED);
	}
}

static void
test_consumer_tampered_payload(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitEnvelope) good = make_simple(fx->key, 1, "image one", "image one", VENDOR);
	/* the manifest promises "image two", the envelope carries something else */
	g_autoptr(SuitEnvelope) bad = make_simple(fx->key, 2, "image two", "image twO", VENDOR);
	g_autoptr(SuitComponentId) id = component_00();
	guint64 stored = 0;

	g_assert_true(suit_firmware_consumer_update(fx->consumer, good, NULL, NULL, &error));
	g_assert_no_error(error);
	g_assert_false(suit_firmware_consumer_update(fx->consumer, bad, NULL, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_DIGEST_MISMATCH);
	/* the old image and sequence number stay */
	assert_component(fx, id, "image one");
	g_assert_true(suit_store_get_sequence_number(fx->store, NULL, &stored, NULL, NULL));
	g_assert_cmpuint(stored, ==, 1);
}

static void
test_consumer_wrong_device(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitEnvelope) envelope =
	    make_simple(fx->key, 1, "image", "image", "00000000000000000000000000000000");
	g_autoptr(SuitComponentId) id = component_00();
	SuitReport *report;
	GPtrArray *records;

	g_assert_false(suit_firmware_consumer_update(fx->consumer, envelope, NULL, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_CONDITION_FAILED);
	g_assert_false(suit_store_has_component(fx->store, id));
	report = suit_firmware_consumer_get_report(fx->consumer);
	g_assert_cmpint(suit_report_get_result_reason(report), ==, SUIT_REPORT_REASON_CONDITION_FAILED);
	records = suit_report_get_records(report);
	g_assert_cmpuint(records->len, ==, 1);
	/* the failing vendor condition, in the shared sequence of suit-common */
	g_assert_cmpint(suit_report_record_get_section(g_ptr_array_index(records, 0)), ==, 3);
	g_assert_cmpuint(suit_report_record_get_component_index(g_ptr_array_index(records, 0)), ==, 0);
}

static void
test_consumer_untrusted(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitKey) other = suit_key_generate(SUIT_KEY_TYPE_ED25519, &error);
	g_autoptr(SuitEnvelope) envelope = make_simple(other, 1, "image", "image", VENDOR);
	g_autoptr(SuitComponentId) id = component_00();

	g_assert_false(suit_firmware_consumer_update(fx->consumer, envelope, NULL, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
	g_assert_false(suit_store_has_component(fx->store, id));
	g_assert_cmpint(suit_report_get_result_reason(suit_firmware_consumer_get_report(fx->consumer)),
			==,
			SUIT_REPORT_REASON_UNAUTHORISED);
}

static void
test_consumer_unsupported(Fixture *fx, gconstpointer user_data)
{
	struct {
		const gchar *install;
		gint code;
	} cases[] = {
	    /* a private-use command */
	    {"[{\"code\": -300, \"argument\": {\"cbor\": \"01\"}}]", SUIT_ERROR_UNSUPPORTED_COMMAND},
	    /* a custom parameter */
	    {"[{\"command\": \"override-parameters\", \"argument\": {\"-300\": 1}}]", SUIT_ERROR_UNSUPPORTED_PARAMETER},
	    /* encrypted content */
	    {"[{\"command\": \"override-parameters\", \"argument\": {\"content\": \"00\", \"encryption-info\": \"a0\"}},"
	     "{\"command\": \"write\", \"argument\": 15}]",
	     SUIT_ERROR_UNSUPPORTED_PARAMETER},
	    /* abort */
	    {"[{\"command\": \"abort\", \"argument\": 2}]", SUIT_ERROR_CONDITION_FAILED},
	    /* fetch without a uri */
	    {"[{\"command\": \"fetch\", \"argument\": 2}]", SUIT_ERROR_CONDITION_FAILED},
	    /* a missing integrated payload */
	    {"[{\"command\": \"override-parameters\", \"argument\": {\"uri\": \"#nothere\"}},"
	     "{\"command\": \"fetch\", \"argument\": 2}]",
	     SUIT_ERROR_FETCH_FAILED},
	    /* a remote uri with no fetcher */
	    {"[{\"command\": \"override-parameters\", \"argument\": {\"uri\": \"http://127.0.0.1:1/x\"}},"
	     "{\"command\": \"fetch\", \"argument\": 2}]",
	     SUIT_ERROR_FETCH_FAILED},
	    /* soft-failure outside try-each / run-sequence */
	    {"[{\"command\": \"override-parameters\", \"argument\": {\"soft-failure\": true}}]", SUIT_ERROR_INVALID_DATA},
	    /* try-each where every sequence fails */
	    {"[{\"command\": \"try-each\", \"argument\": [[{\"command\": \"abort\", \"argument\": 0}],"
	     "[{\"command\": \"abort\", \"argument\": 0}]]}]",
	     SUIT_ERROR_CONDITION_FAILED},
	    /* a source component that does not exist */
	    {"[{\"command\": \"override-parameters\", \"argument\": {\"source-component\": 7}},"
	     "{\"command\": \"copy\", \"argument\": 2}]",
	     SUIT_ERROR_COMPONENT_UNSUPPORTED},
	};
	g_autofree gchar *shared = shared_json("x", VENDOR);
	g_autoptr(SuitComponentId) id = component_00();

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GError) error = NULL;
		g_autofree gchar *sections = g_strdup_printf("\"install\": %s", cases[i].install);
		g_autoptr(SuitEnvelope) envelope = make_envelope(fx->key, 1, "[[\"00\"]]", shared, sections, NULL);
		g_test_message("%s", cases[i].install);
		g_assert_false(suit_firmware_consumer_update(fx->consumer, envelope, NULL, NULL, &error));
		g_assert_error(error, SUIT_ERROR, cases[i].code);
		g_assert_false(suit_store_has_component(fx->store, id));
	}
}

static void
test_consumer_try_each_slots(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *hex_a = hex_of("image for slot 0");
	g_autofree gchar *hex_b = hex_of("image for slot 1");
	g_autofree gchar *digest_a = digest_json("image for slot 0");
	g_autofree gchar *digest_b = digest_json("image for slot 1");
	g_autofree gchar *shared = g_strdup_printf(
	    "[{\"command\": \"override-parameters\", \"argument\": {"
	    "\"vendor-identifier\": \"" VENDOR "\", \"class-identifier\": \"" CLASS "\"}},"
	    "{\"command\": \"vendor-identifier\", \"argument\": 15},"
	    "{\"command\": \"try-each\", \"argument\": ["
	    "[{\"command\": \"override-parameters\", \"argument\": {\"component-slot\": 0}},"
	    " {\"command\": \"component-slot\", \"argument\": 5},"
	    " {\"command\": \"override-parameters\", \"argument\": {\"image-digest\": %s, \"uri\": \"#a\"}}],"
	    "[{\"command\": \"override-parameters\", \"argument\": {\"component-slot\": 1}},"
	    " {\"command\": \"component-slot\", \"argument\": 5},"
	    " {\"command\": \"override-parameters\", \"argument\": {\"image-digest\": %s, \"uri\": \"#b\"}}]]}]",
	    digest_a,
	    digest_b);
	g_autofree gchar *integrated = g_strdup_printf("{\"#a\": \"%s\", \"#b\": \"%s\"}", hex_a, hex_b);
	g_autoptr(SuitComponentId) id = component_00();
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitEnvelope) envelope = make_envelope(fx->key,
							 1,
							 "[[\"00\"]]",
							 shared,
							 "\"install\": [{\"command\": \"fetch\", \"argument\": 2},"
							 "{\"command\": \"image-match\", \"argument\": 15}]",
							 integrated);

	/* a device whose component sits in slot 1 gets image B */
	suit_firmware_consumer_set_component_slot(fx->consumer, id, 1);
	g_assert_true(suit_firmware_consumer_update(fx->consumer, envelope, NULL, NULL, &error));
	g_assert_no_error(error);
	assert_component(fx, id, "image for slot 1");

	/* and in slot 0 image A */
	suit_firmware_consumer_set_component_slot(fx->consumer, id, 0);
	g_assert_true(suit_firmware_consumer_update(fx->consumer, envelope, NULL, NULL, &error));
	g_assert_no_error(error);
	assert_component(fx, id, "image for slot 0");

	/* in no known slot, no sequence applies */
	suit_firmware_consumer_set_component_slot(fx->consumer, id, 7);
	g_assert_false(suit_firmware_consumer_update(fx->consumer, envelope, NULL, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_CONDITION_FAILED);
}

static void
test_consumer_components(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *hex_a = hex_of("AAAA");
	g_autofree gchar *hex_b = hex_of("BB");
	g_autofree gchar *shared = g_strdup_printf(
	    "[{\"command\": \"set-component-index\", \"argument\": true},"
	    "{\"command\": \"override-parameters\", \"argument\": {"
	    "\"vendor-identifier\": \"" VENDOR "\", \"class-identifier\": \"" CLASS "\"}},"
	    "{\"command\": \"vendor-identifier\", \"argument\": 15},"
	    "{\"command\": \"class-identifier\", \"argument\": 15}]");
	g_autofree gchar *sections = g_strdup_printf(
	    "\"install\": ["
	    "{\"command\": \"set-component-index\", \"argument\": 0},"
	    "{\"command\": \"override-parameters\", \"argument\": {\"content\": \"%s\"}},"
	    "{\"command\": \"write\", \"argument\": 15},"
	    "{\"command\": \"check-content\", \"argument\": 15},"
	    "{\"command\": \"set-component-index\", \"argument\": 1},"
	    "{\"command\": \"override-parameters\", \"argument\": {\"content\": \"%s\"}},"
	    "{\"command\": \"write\", \"argument\": 15},"
	    "{\"command\": \"set-component-index\", \"argument\": 2},"
	    "{\"command\": \"override-parameters\", \"argument\": {\"source-component\": 0}},"
	    "{\"command\": \"copy\", \"argument\": 2},"
	    "{\"command\": \"set-component-index\", \"argument\": 1},"
	    "{\"command\": \"override-parameters\", \"argument\": {\"source-component\": 0}},"
	    "{\"command\": \"swap\", \"argument\": 2},"
	    "{\"command\": \"set-component-index\", \"argument\": [0, 2]},"
	    "{\"command\": \"run-sequence\", \"argument\": ["
	    "  {\"command\": \"override-parameters\", \"argument\": {\"soft-failure\": true, \"content\": \"%s\"}},"
	    "  {\"command\": \"check-content\", \"argument\": 15},"
	    "  {\"command\": \"write\", \"argument\": 15}]}],"
	    "\"invoke\": [{\"command\": \"set-component-index\", \"argument\": 2},"
	    "{\"command\": \"override-parameters\", \"argument\": {\"invoke-args\": \"%s\"}},"
	    "{\"command\": \"invoke\", \"argument\": 2}]",
	    hex_a,
	    hex_b,
	    hex_b,
	    hex_b);
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitEnvelope) envelope =
	    make_envelope(fx->key, 1, "[[\"00\"], [\"01\"], [\"02\"]]", shared, sections, NULL);
	g_autoptr(SuitComponentId) c0 = suit_component_id_new();
	g_autoptr(SuitComponentId) c1 = suit_component_id_new();
	g_autoptr(SuitComponentId) c2 = suit_component_id_new();
	g_autoptr(GBytes) p0 = g_bytes_new_static("\x00", 1);
	g_autoptr(GBytes) p1 = g_bytes_new_static("\x01", 1);
	g_autoptr(GBytes) p2 = g_bytes_new_static("\x02", 1);

	suit_component_id_append(c0, p0);
	suit_component_id_append(c1, p1);
	suit_component_id_append(c2, p2);
	g_assert_true(suit_firmware_consumer_update(fx->consumer, envelope, NULL, NULL, &error));
	g_assert_no_error(error);
	/* write, copy, then swap 0 <-> 1 */
	assert_component(fx, c0, "BB");
	assert_component(fx, c1, "AAAA");
	/* run-sequence: component 0 holds "BB" so check-content passes and it is
	 * written again; component 2 holds "AAAA" and the soft failure only ends
	 * its sub-sequence */
	assert_component(fx, c2, "AAAA");
	g_assert_true(trace_has(fx->consumer, "copy 0 -> 2"));
	g_assert_true(trace_has(fx->consumer, "swap 0 <-> 1"));

	/* the invocation procedure invokes component 2 with its arguments */
	g_assert_true(suit_firmware_consumer_invoke(fx->consumer, envelope, NULL, NULL, &error));
	g_assert_no_error(error);
	g_assert_true(trace_has(fx->consumer, "invoke 2: [h'02'] args h'4242'"));
}

static void
test_consumer_needs_index(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitEnvelope) envelope = make_envelope(fx->key,
							 1,
							 "[[\"00\"], [\"01\"]]",
							 "[{\"command\": \"vendor-identifier\", \"argument\": 15}]",
							 "\"validate\": [{\"command\": \"image-match\", \"argument\": 15}]",
							 NULL);
	g_assert_false(suit_firmware_consumer_update(fx->consumer, envelope, NULL, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
}

static void
test_consumer_update_management(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *shared = shared_json("x", VENDOR);
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitEnvelope) envelope = make_envelope(
	    fx->key,
	    1,
	    "[[\"00\"]]",
	    shared,
	    "\"install\": [{\"command\": \"override-parameters\", \"argument\": {\"use-before\": 2000000000, "
	    "\"minimum-battery\": 30}},"
	    "{\"command\": \"use-before\", \"argument\": 15},"
	    "{\"command\": \"minimum-battery\", \"argument\": 15},"
	    "{\"command\": \"update-authorized\", \"argument\": 15},"
	    "{\"command\": \"image-not-match\", \"argument\": 15}]",
	    NULL);

	suit_firmware_consumer_set_time(fx->consumer, 1900000000);
	/* unknown battery level */
	g_assert_false(suit_firmware_consumer_update(fx->consumer, envelope, NULL, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_CONDITION_FAILED);
	g_clear_error(&error);
	suit_firmware_consumer_set_battery_level(fx->consumer, 80);
	g_assert_true(suit_firmware_consumer_update(fx->consumer, envelope, NULL, NULL, &error));
	g_assert_no_error(error);
	suit_firmware_consumer_set_update_authorized(fx->consumer, FALSE);
	g_assert_false(suit_firmware_consumer_update(fx->consumer, envelope, NULL, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_CONDITION_FAILED);
	g_clear_error(&error);
	suit_firmware_consumer_set_update_authorized(fx->consumer, TRUE);
	suit_firmware_consumer_set_time(fx->consumer, 2100000000);
	g_assert_false(suit_firmware_consumer_update(fx->consumer, envelope, NULL, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_CONDITION_FAILED);
}

/* shared vectors: the processor refuses what it cannot do, and runs what it can */
static void
test_consumer_vectors(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitKeyring) draft = suit_keyring_new();
	g_autofree gchar *path = suit_test_vector_path("keys/suit-draft-p256.pub.pem");
	g_autoptr(SuitStore) store = SUIT_STORE(suit_store_memory_new());
	g_autoptr(SuitFirmwareConsumer) consumer = NULL;

	g_assert_true(suit_keyring_add_from_file(draft, path, &error));
	consumer = suit_firmware_consumer_new(draft, store, NULL);

	/* TEEP integrated payload: vendor/class of the TEEP examples */
	{
		g_autoptr(GBytes) teep_vendor = suit_test_bytes_from_hex("c0ddd5f15243566087db4f5b0aa26c2f");
		g_autoptr(GBytes) teep_class = suit_test_bytes_from_hex("db42f7093d8c55baa8c5265fc5820f4e");
		g_autoptr(GBytes) blob = suit_test_load_vector("teep/teep-integrated.suit");
		g_autoptr(GBytes) payload = suit_test_load_vector("teep/8d82573a-926d-4754-9353-32dc29997f74.ta");
		g_autoptr(SuitEnvelope) envelope = suit_envelope_new_from_bytes(blob, SUIT_PARSE_FLAG_NONE, &error);
		SuitManifest *manifest;
		g_autoptr(GBytes) stored = NULL;
		g_assert_no_error(error);
		suit_firmware_consumer_set_vendor_id(consumer, teep_vendor);
		suit_firmware_consumer_set_class_id(consumer, teep_class);
		g_assert_true(suit_firmware_consumer_update(consumer, envelope, NULL, NULL, &error));
		g_assert_no_error(error);
		manifest = suit_envelope_get_manifest(envelope, NULL);
		stored = suit_store_read_bytes(store,
					       g_ptr_array_index(suit_manifest_get_components(manifest), 0),
					       1024,
					       NULL,
					       &error);
		g_assert_no_error(error);
		g_assert_true(g_bytes_equal(stored, payload));
	}

	/* ex2 severed: the Update procedure cannot run without install */
	{
		g_autoptr(GBytes) arm_vendor = suit_test_bytes_from_hex(VENDOR);
		g_autoptr(GBytes) arm_class = suit_test_bytes_from_hex(CLASS);
		g_autoptr(GBytes) blob = suit_test_load_vector("manifest/ex2-severed.suit");
		g_autoptr(SuitEnvelope) envelope = suit_envelope_new_from_bytes(blob, SUIT_PARSE_FLAG_NONE, &error);
		g_assert_no_error(error);
		suit_firmware_consumer_set_vendor_id(consumer, arm_vendor);
		suit_firmware_consumer_set_class_id(consumer, arm_class);
		g_assert_false(suit_firmware_consumer_update(consumer, envelope, NULL, NULL, &error));
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
	}
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
#define ADD(path, func) g_test_add(path, Fixture, NULL, fixture_setup, func, fixture_teardown)
	ADD("/suit/consumer/update/integrated", test_consumer_update);
	ADD("/suit/consumer/update/tampered-payload", test_consumer_tampered_payload);
	ADD("/suit/consumer/update/wrong-device", test_consumer_wrong_device);
	ADD("/suit/consumer/update/untrusted", test_consumer_untrusted);
	ADD("/suit/consumer/update/unsupported", test_consumer_unsupported);
	ADD("/suit/consumer/update/try-each-slots", test_consumer_try_each_slots);
	ADD("/suit/consumer/update/components", test_consumer_components);
	ADD("/suit/consumer/update/needs-index", test_consumer_needs_index);
	ADD("/suit/consumer/update/update-management", test_consumer_update_management);
	ADD("/suit/consumer/vectors", test_consumer_vectors);
	g_test_add_func("/suit/consumer/ex0-invoke", test_consumer_ex0_invoke);
	g_test_add_func("/suit/consumer/ex3-slots", test_consumer_ex3_slots);
	g_test_add_func("/suit/consumer/end-to-end", test_consumer_end_to_end);
#undef ADD
	return g_test_run();
}
