/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "suit-test-common.h"
#include "suit-test-http.h"

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

/*
 * A fetcher serving fixed resources from memory, so that the README's URIs
 * (http://example.com/..., https://example.org/...) resolve to the shared
 * vector files without any network. Unknown URIs are a 404 (not-found), as
 * the HTTP fetcher reports them. Every URI asked for is recorded.
 */
#define TEST_TYPE_MAP_FETCHER (test_map_fetcher_get_type())
G_DECLARE_FINAL_TYPE(TestMapFetcher, test_map_fetcher, TEST, MAP_FETCHER, GObject)

struct _TestMapFetcher {
	GObject parent_instance;
	GHashTable *resources; /* uri -> GBytes */
	GPtrArray *fetched;    /* (element-type utf8) */
};

static gboolean
test_map_fetcher_fetch(SuitFetcher *fetcher,
		       const gchar *uri,
		       GOutputStream *sink,
		       guint64 max_size,
		       SuitFetchFlags flags,
		       SuitProgress *progress,
		       GCancellable *cancellable,
		       GError **error)
{
	TestMapFetcher *self = TEST_MAP_FETCHER(fetcher);
	GBytes *data = g_hash_table_lookup(self->resources, uri);
	g_ptr_array_add(self->fetched, g_strdup(uri));
	if (data == NULL) {
		g_set_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND, "%s: 404 not found", uri);
		return FALSE;
	}
	if (g_bytes_get_size(data) > max_size) {
		g_set_error(error, SUIT_ERROR, SUIT_ERROR_LIMIT_EXCEEDED, "%s is larger than %" G_GUINT64_FORMAT, uri, max_size);
		return FALSE;
	}
	return g_output_stream_write_all(sink,
					 g_bytes_get_data(data, NULL),
					 g_bytes_get_size(data),
					 NULL,
					 cancellable,
					 error);
}

static void
test_map_fetcher_iface_init(SuitFetcherInterface *iface)
{
	iface->fetch = test_map_fetcher_fetch;
}

G_DEFINE_TYPE_WITH_CODE(TestMapFetcher,
			test_map_fetcher,
			G_TYPE_OBJECT,
			G_IMPLEMENT_INTERFACE(SUIT_TYPE_FETCHER, test_map_fetcher_iface_init))

static void
test_map_fetcher_finalize(GObject *object)
{
	TestMapFetcher *self = TEST_MAP_FETCHER(object);
	g_hash_table_unref(self->resources);
	g_ptr_array_unref(self->fetched);
	G_OBJECT_CLASS(test_map_fetcher_parent_class)->finalize(object);
}

static void
test_map_fetcher_class_init(TestMapFetcherClass *klass)
{
	G_OBJECT_CLASS(klass)->finalize = test_map_fetcher_finalize;
}

static void
test_map_fetcher_init(TestMapFetcher *self)
{
	self->resources = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_bytes_unref);
	self->fetched = g_ptr_array_new_with_free_func(g_free);
}

static void
test_map_fetcher_add_bytes(TestMapFetcher *self, const gchar *uri, GBytes *data)
{
	g_hash_table_replace(self->resources, g_strdup(uri), g_bytes_ref(data));
}

static void
test_map_fetcher_add_vector(TestMapFetcher *self, const gchar *uri, const gchar *relpath)
{
	g_autoptr(GBytes) data = suit_test_load_vector(relpath);
	test_map_fetcher_add_bytes(self, uri, data);
}

/* the URIs fetched, joined by spaces */
static gchar *
test_map_fetcher_dup_fetched(TestMapFetcher *self)
{
	g_autoptr(GString) str = g_string_new(NULL);
	for (guint i = 0; i < self->fetched->len; i++) {
		if (i > 0)
			g_string_append_c(str, ' ');
		g_string_append(str, g_ptr_array_index(self->fetched, i));
	}
	return g_string_free(g_steal_pointer(&str), FALSE);
}

/* the trace of the last run, lines joined by "; " */
static gchar *
trace_dup(SuitFirmwareConsumer *consumer)
{
	GPtrArray *trace = suit_firmware_consumer_get_trace(consumer);
	g_autoptr(GString) str = g_string_new(NULL);
	for (guint i = 0; i < trace->len; i++) {
		if (i > 0)
			g_string_append(str, "; ");
		g_string_append(str, g_ptr_array_index(trace, i));
	}
	return g_string_free(g_steal_pointer(&str), FALSE);
}

#define assert_trace(consumer, expected)                                                                               \
	G_STMT_START                                                                                                   \
	{                                                                                                              \
		g_autofree gchar *trace_ = trace_dup(consumer);                                                        \
		g_assert_cmpstr(trace_, ==, expected);                                                                 \
	}                                                                                                              \
	G_STMT_END

/* a component id of one part, the bytes of @text */
static SuitComponentId *
component_text(const gchar *text)
{
	SuitComponentId *id = suit_component_id_new();
	g_autoptr(GBytes) part = g_bytes_new(text, strlen(text));
	suit_component_id_append(id, part);
	return id;
}

static void
assert_stored(SuitStore *store, const gchar *component, const gchar *expected)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitComponentId) id = component_text(component);
	g_autoptr(GBytes) data = suit_store_read_bytes(store, id, 1024 * 1024, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpmem(g_bytes_get_data(data, NULL), g_bytes_get_size(data), expected, strlen(expected));
}

static void
assert_not_stored(SuitStore *store, const gchar *component)
{
	g_autoptr(SuitComponentId) id = component_text(component);
	g_assert_false(suit_store_has_component(store, id));
}

/* a confirmed image, as a device has from an earlier update */
static void
store_put(SuitStore *store, const gchar *component, const gchar *content)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitComponentId) id = component_text(component);
	g_autoptr(GBytes) data = g_bytes_new(content, strlen(content));
	g_assert_true(suit_store_write_bytes(store, id, data, NULL, SUIT_STORE_WRITE_FLAG_CONFIRM, NULL, &error));
	g_assert_no_error(error);
}

static gboolean
stored_sequence_number(SuitStore *store, const gchar *manifest_component, guint64 *value)
{
	g_autoptr(SuitComponentId) id = manifest_component != NULL ? component_text(manifest_component) : NULL;
	return suit_store_get_sequence_number(store, id, value, NULL, NULL);
}

static SuitFirmwareConsumer *
vector_consumer(SuitStore *store, SuitFetcher *fetcher, const gchar *vendor_hex, const gchar *class_hex)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitKeyring) draft = suit_keyring_new();
	g_autofree gchar *path = suit_test_vector_path("keys/suit-draft-p256.pub.pem");
	g_autoptr(GBytes) vendor = suit_test_bytes_from_hex(vendor_hex);
	g_autoptr(GBytes) class_id = suit_test_bytes_from_hex(class_hex);
	SuitFirmwareConsumer *consumer;
	g_assert_true(suit_keyring_add_from_file(draft, path, &error));
	g_assert_no_error(error);
	consumer = suit_firmware_consumer_new(draft, store, fetcher);
	suit_firmware_consumer_set_vendor_id(consumer, vendor);
	suit_firmware_consumer_set_class_id(consumer, class_id);
	return consumer;
}

#define TEEP_VENDOR "c0ddd5f15243566087db4f5b0aa26c2f"
#define TEEP_CLASS  "db42f7093d8c55baa8c5265fc5820f4e"

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

/* removes the directory store at @store_dir: its own files, then itself */
static void
remove_store_dir(const gchar *store_dir)
{
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

/*
 * End to end on a directory store, through @fetcher: install @image1 from
 * @image1_uri, confirm it, then refuse a rollback and a tampered payload (the
 * bytes at @tampered_uri are @image2 with one flipped byte), fall back from an
 * update to @image2 (at @image2_uri) that is never confirmed, and check the
 * device's signed report.
 */
static void
end_to_end_run(SuitFetcher *fetcher,
	       GBytes *image1,
	       const gchar *image1_uri,
	       GBytes *image2,
	       const gchar *tampered_uri,
	       const gchar *image2_uri)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("suit-consumer-XXXXXX", &error);
	g_autofree gchar *store_dir = g_build_filename(dir, "store", NULL);
	g_autoptr(SuitKey) author = suit_key_generate(SUIT_KEY_TYPE_P256, &error);
	g_autoptr(SuitKey) author_pub = suit_key_dup_public(author, &error);
	g_autoptr(SuitKey) device = suit_key_generate(SUIT_KEY_TYPE_ED25519, &error);
	g_autoptr(SuitKey) device_pub = suit_key_dup_public(device, &error);
	g_autoptr(SuitKeyring) keyring = suit_keyring_new();
	g_autoptr(SuitKeyring) tracker = suit_keyring_new();
	g_autoptr(SuitStoreDirectory) store = NULL;
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
	{
		g_autoptr(SuitEnvelope) envelope = make_file_envelope(author, 3, image2, tampered_uri);
		g_assert_false(suit_firmware_consumer_update(consumer, envelope, NULL, NULL, &error));
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_DIGEST_MISMATCH);
		g_clear_error(&error);
		assert_active_image(SUIT_STORE(store), id, image1);
		g_assert_cmpint(image_state(SUIT_STORE(store), id), ==, SUIT_STORE_IMAGE_STATE_CONFIRMED);
	}

	/* an update that is never confirmed falls back to the confirmed image */
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

	remove_store_dir(store_dir);
	g_assert_no_errno(g_rmdir(dir));
}

/*
 * End to end over HTTP: the 8 MiB image comes from a local server that drops
 * the connection half way, and the fetcher resumes it with a Range request.
 */
static void
test_consumer_end_to_end(void)
{
	g_autoptr(GBytes) image1 = random_image(8 * 1024 * 1024);
	g_autoptr(GBytes) image2 = random_image(8 * 1024 * 1024 + 3);
	g_autoptr(GBytes) tampered = suit_test_bytes_flip(image2, 4 * 1024 * 1024, 0x01);
	g_autoptr(SuitTestHttpServer) server = suit_test_http_server_new(NULL);
	g_autoptr(SuitFetcherSoup) fetcher = suit_fetcher_soup_new();
	gsize half = g_bytes_get_size(image1) / 2;
	g_autofree gchar *image1_uri = suit_test_http_server_uri(server, "/image1.bin");
	g_autofree gchar *tampered_uri = suit_test_http_server_uri(server, "/image2-tampered.bin");
	g_autofree gchar *image2_uri = suit_test_http_server_uri(server, "/image2.bin");
	g_autofree gchar *request0 = NULL;
	g_autofree gchar *request1 = NULL;
	g_autofree gchar *request1_expected = g_strdup_printf("/image1.bin %" G_GSIZE_FORMAT, half);
	g_autofree gchar *request2 = NULL;
	g_autofree gchar *request3 = NULL;

	/* the first GET of image 1 breaks half way, the second one asks for the rest */
	suit_test_http_server_add(server, "/image1.bin", image1, SUIT_TEST_HTTP_BEHAVIOUR_DROP_ONCE, half);
	suit_test_http_server_add(server, "/image2-tampered.bin", tampered, SUIT_TEST_HTTP_BEHAVIOUR_OK, 0);
	suit_test_http_server_add(server, "/image2.bin", image2, SUIT_TEST_HTTP_BEHAVIOUR_OK, 0);
	suit_fetcher_soup_set_max_retries(fetcher, 3);
	suit_fetcher_soup_set_retry_delay(fetcher, 10);
	suit_fetcher_soup_set_timeout(fetcher, 10);

	end_to_end_run(SUIT_FETCHER(fetcher), image1, image1_uri, image2, tampered_uri, image2_uri);

	/* image 1 was resumed from the exact first missing byte; the rollback
	 * fetched nothing; each image 2 came in one piece */
	g_assert_cmpuint(suit_test_http_server_get_n_requests(server), ==, 4);
	request0 = suit_test_http_server_dup_request(server, 0);
	request1 = suit_test_http_server_dup_request(server, 1);
	request2 = suit_test_http_server_dup_request(server, 2);
	request3 = suit_test_http_server_dup_request(server, 3);
	g_assert_cmpstr(request0, ==, "/image1.bin -1");
	g_assert_cmpstr(request1, ==, request1_expected);
	g_assert_cmpstr(request2, ==, "/image2-tampered.bin -1");
	g_assert_cmpstr(request3, ==, "/image2.bin -1");
}

/* the same, from file:// URIs through the default fetcher, with smaller images */
static void
test_consumer_end_to_end_file(void)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *dir = g_dir_make_tmp("suit-consumer-XXXXXX", &error);
	g_autofree gchar *image1_path = g_build_filename(dir, "image1.bin", NULL);
	g_autofree gchar *tampered_path = g_build_filename(dir, "image2-tampered.bin", NULL);
	g_autofree gchar *image2_path = g_build_filename(dir, "image2.bin", NULL);
	g_autofree gchar *image1_uri = g_filename_to_uri(image1_path, NULL, NULL);
	g_autofree gchar *tampered_uri = g_filename_to_uri(tampered_path, NULL, NULL);
	g_autofree gchar *image2_uri = g_filename_to_uri(image2_path, NULL, NULL);
	g_autoptr(GBytes) image1 = random_image(1024 * 1024);
	g_autoptr(GBytes) image2 = random_image(1024 * 1024 + 3);
	g_autoptr(GBytes) tampered = suit_test_bytes_flip(image2, 512 * 1024, 0x01);
	g_autoptr(SuitFetcher) fetcher = suit_fetcher_new_default();

	g_assert_no_error(error);
	g_assert_true(g_file_set_contents(image1_path, g_bytes_get_data(image1, NULL), g_bytes_get_size(image1), NULL));
	g_assert_true(
	    g_file_set_contents(tampered_path, g_bytes_get_data(tampered, NULL), g_bytes_get_size(tampered), NULL));
	g_assert_true(g_file_set_contents(image2_path, g_bytes_get_data(image2, NULL), g_bytes_get_size(image2), NULL));

	end_to_end_run(fetcher, image1, image1_uri, image2, tampered_uri, image2_uri);

	g_assert_no_errno(g_remove(image1_path));
	g_assert_no_errno(g_remove(tampered_path));
	g_assert_no_errno(g_remove(image2_path));
	g_assert_no_errno(g_rmdir(dir));
}

/* an envelope without any authentication wrapper is refused and still reported */
static void
test_consumer_no_auth_wrapper(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) ex0 = suit_test_load_vector("manifest/ex0-secure-boot.suit");
	g_autoptr(SuitEnvelope) original = suit_envelope_new_from_bytes(ex0, SUIT_PARSE_FLAG_NONE, &error);
	g_autoptr(SuitCborItem) map = suit_cbor_item_new_map();
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(SuitEnvelope) envelope = NULL;
	SuitReport *report;
	g_autofree gchar *hex = NULL;

	g_assert_no_error(error);
	suit_cbor_map_append(map,
			     suit_cbor_item_new_uint(3),
			     suit_cbor_item_new_bytes(suit_envelope_get_manifest_bytes(original)));
	blob = suit_cbor_encode(map);
	envelope = suit_envelope_new_from_bytes(blob, SUIT_PARSE_FLAG_NONE, &error);
	g_assert_no_error(error);
	g_assert_null(suit_envelope_get_manifest_digest(envelope));
	g_assert_false(suit_firmware_consumer_update(fx->consumer, envelope, NULL, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NO_AUTHENTICATION);
	report = suit_firmware_consumer_get_report(fx->consumer);
	g_assert_cmpint(suit_report_get_result_reason(report), ==, SUIT_REPORT_REASON_UNAUTHORISED);
	/* the reference names the manifest as ex0's authors did */
	hex = suit_digest_to_hex(suit_report_get_reference_digest(report));
	g_assert_true(g_str_has_prefix(hex, "6658ea56"));
}

/* condition-version against the device's component versions */
static void
test_consumer_version(Fixture *fx, gconstpointer user_data)
{
	struct {
		gint comparison;
		const gchar *device;
		gboolean ok;
	} cases[] = {
	    {1, "1.0.3", TRUE},  {1, "1.0.2", FALSE}, {2, "1.0.2", TRUE}, {2, "1.0", FALSE},
	    {3, "1.0.2", TRUE},  {3, "1.0.2.0", TRUE}, {3, "1.1", FALSE}, {4, "1.0.2", TRUE},
	    {4, "0.9.9", TRUE},  {4, "2", FALSE},      {5, "1.0.1", TRUE}, {5, "1.0.2", FALSE},
	    {5, "1.0.2.-1", TRUE},
	};
	g_autofree gchar *shared = shared_json("x", VENDOR);
	g_autoptr(SuitComponentId) id = component_00();
	g_autoptr(GError) error = NULL;

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		/* parameter-version is bstr-wrapped [comparison-type, [1, 0, 2]] */
		g_autofree gchar *sections = g_strdup_printf(
		    "\"install\": [{\"command\": \"override-parameters\", \"argument\": "
		    "{\"version\": {\"cbor\": \"46820%d83010002\"}}},"
		    "{\"command\": \"version\", \"argument\": 15}]",
		    cases[i].comparison);
		g_autoptr(SuitEnvelope) envelope = make_envelope(fx->key, i + 1, "[[\"00\"]]", shared, sections, NULL);
		gboolean ok;
		g_test_message("comparison %d, device %s", cases[i].comparison, cases[i].device);
		g_assert_true(suit_firmware_consumer_set_component_version(fx->consumer, id, cases[i].device, &error));
		g_assert_no_error(error);
		ok = suit_firmware_consumer_update(fx->consumer, envelope, NULL, NULL, &error);
		g_assert_cmpint(ok, ==, cases[i].ok);
		if (!ok) {
			g_assert_error(error, SUIT_ERROR, SUIT_ERROR_CONDITION_FAILED);
			g_clear_error(&error);
		}
	}
	/* an unknown version fails the condition; bad versions are refused */
	g_assert_true(suit_firmware_consumer_set_component_version(fx->consumer, id, NULL, &error));
	{
		g_autoptr(SuitEnvelope) envelope = make_envelope(
		    fx->key,
		    100,
		    "[[\"00\"]]",
		    shared,
		    "\"install\": [{\"command\": \"override-parameters\", \"argument\": "
		    "{\"version\": {\"cbor\": \"4482038101\"}}}, {\"command\": \"version\", \"argument\": 15}]",
		    NULL);
		g_assert_false(suit_firmware_consumer_update(fx->consumer, envelope, NULL, NULL, &error));
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_CONDITION_FAILED);
		g_clear_error(&error);
	}
	{
		/* comparison type 9 does not exist */
		g_autoptr(SuitEnvelope) envelope = make_envelope(
		    fx->key,
		    101,
		    "[[\"00\"]]",
		    shared,
		    "\"install\": [{\"command\": \"override-parameters\", \"argument\": "
		    "{\"version\": {\"cbor\": \"4482098101\"}}}, {\"command\": \"version\", \"argument\": 15}]",
		    NULL);
		g_assert_true(suit_firmware_consumer_set_component_version(fx->consumer, id, "1", &error));
		g_assert_false(suit_firmware_consumer_update(fx->consumer, envelope, NULL, NULL, &error));
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
		g_clear_error(&error);
	}
	g_assert_false(suit_firmware_consumer_set_component_version(fx->consumer, id, "1.x", &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	g_assert_false(suit_firmware_consumer_set_component_version(fx->consumer, id, "", &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
}

/* um-U0: use-before, minimum-battery, version and update-authorized, per component */
static void
test_consumer_um_u0(void)
{
	g_autoptr(SuitStore) store = SUIT_STORE(suit_store_memory_new());
	g_autoptr(SuitFirmwareConsumer) consumer = draft_consumer(store);
	g_autoptr(SuitEnvelope) envelope = load_envelope("update-management/um-U0.suit");
	g_autoptr(SuitComponentId) c0 = component_00();
	g_autoptr(SuitComponentId) c1 = suit_component_id_new();
	g_autoptr(GBytes) p1 = g_bytes_new_static("\x01", 1);
	g_autoptr(GError) error = NULL;

	suit_component_id_append(c1, p1);
	/* before the use-before date of 2023-10-03, with 10% battery or more */
	suit_firmware_consumer_set_time(consumer, 1696291200 - 60);
	suit_firmware_consumer_set_battery_level(consumer, 10);
	/* component 0 must be <= 1.0, component 1 < 1.0.2 */
	g_assert_true(suit_firmware_consumer_set_component_version(consumer, c0, "1.0", &error));
	g_assert_true(suit_firmware_consumer_set_component_version(consumer, c1, "1.0.1", &error));
	g_assert_true(suit_firmware_consumer_update(consumer, envelope, NULL, NULL, &error));
	g_assert_no_error(error);
	/* component 1 too new */
	g_assert_true(suit_firmware_consumer_set_component_version(consumer, c1, "1.0.2", &error));
	g_assert_false(suit_firmware_consumer_update(consumer, envelope, NULL, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_CONDITION_FAILED);
	g_clear_error(&error);
	/* on a current clock the update has expired */
	g_assert_true(suit_firmware_consumer_set_component_version(consumer, c1, "1.0.1", &error));
	suit_firmware_consumer_set_time(consumer, 0);
	g_assert_false(suit_firmware_consumer_update(consumer, envelope, NULL, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_CONDITION_FAILED);
}

/* the device-identifier condition checks the device's own UUID */
static void
test_consumer_device_id(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *shared = shared_json("x", VENDOR);
	g_autoptr(GBytes) device = suit_test_bytes_from_hex("0123456789abcdef0123456789abcdef");
	g_autoptr(GBytes) other = suit_test_bytes_from_hex("00000000000000000000000000000001");
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitEnvelope) envelope = make_envelope(
	    fx->key,
	    1,
	    "[[\"00\"]]",
	    shared,
	    "\"install\": [{\"command\": \"override-parameters\", \"argument\": "
	    "{\"device-identifier\": \"0123456789abcdef0123456789abcdef\"}},"
	    "{\"command\": \"device-identifier\", \"argument\": 15}]",
	    NULL);

	/* no device id set: the condition fails */
	g_assert_false(suit_firmware_consumer_update(fx->consumer, envelope, NULL, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_CONDITION_FAILED);
	g_clear_error(&error);
	suit_firmware_consumer_set_device_id(fx->consumer, other);
	g_assert_false(suit_firmware_consumer_update(fx->consumer, envelope, NULL, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_CONDITION_FAILED);
	g_clear_error(&error);
	suit_firmware_consumer_set_device_id(fx->consumer, device);
	g_assert_true(suit_firmware_consumer_update(fx->consumer, envelope, NULL, NULL, &error));
	g_assert_no_error(error);
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
	{
		g_autofree gchar *text = suit_report_to_string(report);
		g_assert_nonnull(strstr(text, "section common (3)"));
	}
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
	    /* encrypted content with an encryption-info that is no COSE_Encrypt */
	    {"[{\"command\": \"override-parameters\", \"argument\": {\"content\": \"00\", \"encryption-info\": \"a0\"}},"
	     "{\"command\": \"write\", \"argument\": 15}]",
	     SUIT_ERROR_INVALID_DATA},
	    /* encrypted content with an unknown content algorithm (A256GCM) */
	    {"[{\"command\": \"override-parameters\", \"argument\": {\"content\": \"00\", \"encryption-info\": "
	     "\"d8608443a10103a1054c000000000000000000000000f68183404101f6\"}},"
	     "{\"command\": \"write\", \"argument\": 15}]",
	     SUIT_ERROR_UNSUPPORTED_ALGORITHM},
	    /* fetch does not decrypt */
	    {"[{\"command\": \"override-parameters\", \"argument\": {\"uri\": \"#x\", \"encryption-info\": \"a0\"}},"
	     "{\"command\": \"fetch\", \"argument\": 15}]",
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

/* the manifest-id path, section and component of the report's failure record, as "[1, 1] 20 0" */
static gchar *
failure_record_dup(SuitFirmwareConsumer *consumer)
{
	SuitReport *report = suit_firmware_consumer_get_report(consumer);
	GPtrArray *records = suit_report_get_records(report);
	SuitReportRecord *record;
	GArray *path;
	g_autoptr(GString) str = g_string_new("[");

	g_assert_false(suit_report_is_success(report));
	g_assert_cmpuint(records->len, ==, 1);
	record = g_ptr_array_index(records, 0);
	path = suit_report_record_get_manifest_id(record);
	for (guint i = 0; path != NULL && i < path->len; i++)
		g_string_append_printf(str, "%s%u", i > 0 ? ", " : "", g_array_index(path, guint, i));
	g_string_append_printf(str,
			       "] %" G_GINT64_FORMAT " %" G_GUINT64_FORMAT,
			       suit_report_record_get_section(record),
			       suit_report_record_get_component_index(record));
	return g_string_free(g_steal_pointer(&str), FALSE);
}

#define assert_failure_record(consumer, expected)                                                                      \
	G_STMT_START                                                                                                   \
	{                                                                                                              \
		g_autofree gchar *record_ = failure_record_dup(consumer);                                              \
		g_assert_cmpstr(record_, ==, expected);                                                                \
	}                                                                                                              \
	G_STMT_END

static void
assert_td_end_state(SuitStore *store)
{
	g_autoptr(GBytes) dependency = suit_test_load_vector("trust-domains/td-dependency.suit");
	g_autoptr(SuitComponentId) slot = component_text("dependent.suit");
	g_autoptr(GBytes) stored = NULL;
	g_autoptr(GError) error = NULL;
	guint64 seq = 99;

	assert_stored(store, "00", "hello world");
	assert_stored(store, "10", " in multiple trust domains");
	/* the dependency envelope, under its slot (the dependency-prefix) */
	stored = suit_store_read_bytes(store, slot, 4096, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(stored, dependency));
	/* both sequence numbers, each under its manifest-component-id */
	g_assert_true(stored_sequence_number(store, "depending.suit", &seq));
	g_assert_cmpuint(seq, ==, 0);
	seq = 99;
	g_assert_true(stored_sequence_number(store, "dependent.suit", &seq));
	g_assert_cmpuint(seq, ==, 0);
}

/* trust-domains ex.1: the dependency is integrated at "#dependent.suit" */
static void
test_consumer_td_integrated(void)
{
	g_autoptr(SuitStore) store = SUIT_STORE(suit_store_memory_new());
	g_autoptr(SuitFirmwareConsumer) consumer = vector_consumer(store, NULL, VENDOR, CLASS);
	g_autoptr(SuitEnvelope) envelope = load_envelope("trust-domains/td-integrated-dependency.suit");
	g_autoptr(GError) error = NULL;
	SuitReport *report;

	g_assert_true(suit_firmware_consumer_update(consumer, envelope, NULL, NULL, &error));
	g_assert_no_error(error);
	/* the dependency runs in lockstep, inside the dependent's install */
	assert_trace(consumer,
		     "fetch 1: #dependent.suit; process-dependency 1: ['dependent.suit']; "
		     "write 0: 11 bytes; write 0: 26 bytes");
	assert_td_end_state(store);
	report = suit_firmware_consumer_get_report(consumer);
	g_assert_true(suit_report_is_success(report));
	/* ['10'] and ['00'], not the dependency manifest */
	g_assert_cmpuint(suit_report_get_claims(report)->len, ==, 2);

	/* again: the stored dependency already has the digest */
	g_assert_true(suit_firmware_consumer_update(consumer, envelope, NULL, NULL, &error));
	g_assert_no_error(error);
	assert_trace(consumer,
		     "fetch 1: #dependent.suit (already present); process-dependency 1: ['dependent.suit']; "
		     "write 0: 11 bytes; write 0: 26 bytes");

	/* the invocation procedure of the dependent */
	g_assert_true(suit_firmware_consumer_invoke(consumer, envelope, NULL, NULL, &error));
	g_assert_no_error(error);
	assert_trace(consumer, "invoke 0: ['10'] args h'636174203030203130'");
}

/* trust-domains ex.0: the dependency is fetched from http://example.com/dependent.suit */
static void
test_consumer_td_fetched(void)
{
	g_autoptr(SuitStore) store = SUIT_STORE(suit_store_memory_new());
	g_autoptr(TestMapFetcher) fetcher = g_object_new(TEST_TYPE_MAP_FETCHER, NULL);
	g_autoptr(SuitFirmwareConsumer) consumer = vector_consumer(store, SUIT_FETCHER(fetcher), VENDOR, CLASS);
	g_autoptr(SuitEnvelope) envelope = load_envelope("trust-domains/td-dependent-process.suit");
	g_autoptr(GError) error = NULL;
	g_autofree gchar *fetched = NULL;

	test_map_fetcher_add_vector(fetcher, "http://example.com/dependent.suit", "trust-domains/td-dependency.suit");
	g_assert_true(suit_firmware_consumer_update(consumer, envelope, NULL, NULL, &error));
	g_assert_no_error(error);
	fetched = test_map_fetcher_dup_fetched(fetcher);
	g_assert_cmpstr(fetched, ==, "http://example.com/dependent.suit");
	assert_trace(consumer,
		     "fetch 1: http://example.com/dependent.suit; process-dependency 1: ['dependent.suit']; "
		     "write 0: 11 bytes; write 0: 26 bytes");
	assert_td_end_state(store);

	/* the second time nothing is fetched */
	g_assert_true(suit_firmware_consumer_update(consumer, envelope, NULL, NULL, &error));
	g_assert_no_error(error);
	g_assert_cmpuint(fetcher->fetched->len, ==, 1);
}

/* the dependency is missing or is another manifest: refused, and the device keeps its images */
static void
test_consumer_td_failures(void)
{
	struct {
		const gchar *served; /* NULL: a 404 */
		gboolean tampered;
		gboolean fetcher;
		gint code;
	} cases[] = {
	    {NULL, FALSE, TRUE, SUIT_ERROR_FETCH_FAILED},
	    {NULL, FALSE, FALSE, SUIT_ERROR_FETCH_FAILED},
	    /* the dependency with "hello world" changed */
	    {"trust-domains/td-dependency.suit", TRUE, TRUE, SUIT_ERROR_DIGEST_MISMATCH},
	    /* another manifest, unsigned and smaller than the image-size */
	    {"external/draft-ex0-no-cose-auth.suit", FALSE, TRUE, SUIT_ERROR_DIGEST_MISMATCH},
	    /* another manifest, larger than the image-size */
	    {"teep/teep-uri.suit", FALSE, TRUE, SUIT_ERROR_LIMIT_EXCEEDED},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(SuitStore) store = SUIT_STORE(suit_store_memory_new());
		g_autoptr(TestMapFetcher) fetcher = g_object_new(TEST_TYPE_MAP_FETCHER, NULL);
		g_autoptr(SuitFirmwareConsumer) consumer =
		    vector_consumer(store, cases[i].fetcher ? SUIT_FETCHER(fetcher) : NULL, VENDOR, CLASS);
		g_autoptr(SuitEnvelope) envelope = load_envelope("trust-domains/td-dependent-process.suit");
		g_autoptr(GError) error = NULL;
		g_autoptr(GPtrArray) listed = NULL;
		g_autoptr(SuitComponentId) id00 = component_text("00");
		SuitStoreImageState state = SUIT_STORE_IMAGE_STATE_NONE;
		guint64 seq = 0;

		g_test_message("case %u", i);
		store_put(store, "00", "previous 00");
		store_put(store, "10", "previous 10");
		if (cases[i].served != NULL) {
			g_autoptr(GBytes) served = suit_test_load_vector(cases[i].served);
			if (cases[i].tampered) {
				g_autoptr(GBytes) flipped = suit_test_bytes_flip(served, g_bytes_get_size(served) - 3, 0x01);
				test_map_fetcher_add_bytes(fetcher, "http://example.com/dependent.suit", flipped);
			} else {
				test_map_fetcher_add_bytes(fetcher, "http://example.com/dependent.suit", served);
			}
		}
		g_assert_false(suit_firmware_consumer_update(consumer, envelope, NULL, NULL, &error));
		g_assert_error(error, SUIT_ERROR, cases[i].code);
		g_clear_error(&error);
		/* the fetch of the dependency-resolution, into the dependency slot 1 */
		assert_failure_record(consumer, "[] 15 1");
		if (cases[i].fetcher)
			g_assert_cmpuint(fetcher->fetched->len, ==, 1);

		/* the store is untouched: previous images active and confirmed, no dependency, no sequence numbers */
		assert_stored(store, "00", "previous 00");
		assert_stored(store, "10", "previous 10");
		g_assert_true(suit_store_get_image_state(store, id00, &state, NULL, NULL));
		g_assert_cmpint(state, ==, SUIT_STORE_IMAGE_STATE_CONFIRMED);
		listed = suit_store_list_components(store, NULL, &error);
		g_assert_no_error(error);
		g_assert_cmpuint(listed->len, ==, 2);
		g_assert_false(stored_sequence_number(store, "depending.suit", &seq));
		g_assert_false(stored_sequence_number(store, "dependent.suit", &seq));
	}
}

static SuitComponentId *
teep_ta_component(void)
{
	g_autoptr(SuitManifest) manifest = suit_test_load_manifest("teep/teep-uri.suit");
	return suit_component_id_ref(g_ptr_array_index(suit_manifest_get_components(manifest), 0));
}

#define TEEP_TA_URI "https://example.org/8d82573a-926d-4754-9353-32dc29997f74.ta"

/* TEEP: the TA is fetched by URI; uninstall unlinks it */
static void
test_consumer_teep_uri(void)
{
	g_autoptr(SuitStore) store = SUIT_STORE(suit_store_memory_new());
	g_autoptr(TestMapFetcher) fetcher = g_object_new(TEST_TYPE_MAP_FETCHER, NULL);
	g_autoptr(SuitFirmwareConsumer) consumer =
	    vector_consumer(store, SUIT_FETCHER(fetcher), TEEP_VENDOR, TEEP_CLASS);
	g_autoptr(SuitEnvelope) envelope = load_envelope("teep/teep-uri.suit");
	g_autoptr(GBytes) payload = suit_test_load_vector("teep/8d82573a-926d-4754-9353-32dc29997f74.ta");
	g_autoptr(SuitComponentId) ta = teep_ta_component();
	g_autoptr(GBytes) stored = NULL;
	g_autoptr(GError) error = NULL;
	guint64 seq = 0;

	test_map_fetcher_add_vector(fetcher, TEEP_TA_URI, "teep/8d82573a-926d-4754-9353-32dc29997f74.ta");
	g_assert_true(suit_firmware_consumer_update(consumer, envelope, NULL, NULL, &error));
	g_assert_no_error(error);
	assert_trace(consumer, "fetch 0: " TEEP_TA_URI);
	stored = suit_store_read_bytes(store, ta, 1024, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(stored, payload));
	/* keyed by the manifest-component-id ['TEEP-Device', 'SecureFS', h'8d82...', 'suit'] */
	{
		g_autoptr(SuitManifest) manifest = suit_test_load_manifest("teep/teep-uri.suit");
		g_assert_true(suit_store_get_sequence_number(store,
							     suit_manifest_get_manifest_component_id(manifest),
							     &seq,
							     NULL,
							     &error));
		g_assert_no_error(error);
		g_assert_cmpuint(seq, ==, 3);
	}

	/* suit-uninstall: unlink */
	g_assert_true(suit_firmware_consumer_uninstall(consumer, envelope, NULL, NULL, &error));
	g_assert_no_error(error);
	assert_trace(consumer, "unlink 0: ['TEEP-Device', 'SecureFS', h'8d82573a926d4754935332dc29997f74', 'ta']");
	g_assert_false(suit_store_has_component(store, ta));
	/* unlinking what is gone is not an error */
	g_assert_true(suit_firmware_consumer_uninstall(consumer, envelope, NULL, NULL, &error));
	g_assert_no_error(error);
}

/*
 * Payload encryption is not supported yet: the TEEP personalization
 * (ECDH-ES + A128CTR) and the two-signer encryption dependency are refused
 * with unsupported-parameter before anything is fetched or written.
 */
/* a component id from '|'-separated text parts */
static SuitComponentId *
component_from_text(const gchar *parts)
{
	SuitComponentId *id = suit_component_id_new();
	g_auto(GStrv) split = g_strsplit(parts, "|", -1);
	for (guint i = 0; split[i] != NULL; i++) {
		g_autoptr(GBytes) part = g_bytes_new(split[i], strlen(split[i]));
		suit_component_id_append(id, part);
	}
	return id;
}

static SuitFirmwareConsumer *
encrypted_consumer(SuitStore *store, TestMapFetcher *fetcher, gboolean teep, const gchar *kek_path)
{
	g_autoptr(SuitKeyring) keyring = suit_keyring_new();
	g_autoptr(GError) error = NULL;
	g_autofree gchar *esdh_path = suit_test_vector_path("keys/esdh-recipient-p256-kid-2.priv.pem");
	g_autoptr(SuitKey) esdh = suit_key_new_from_file(esdh_path, &error);
	g_autoptr(GBytes) mac_secret = suit_test_load_vector("keys/hmac256-mac-key.bin");
	g_autoptr(SuitKey) mac = suit_key_new_symmetric(mac_secret, &error);
	g_autoptr(GBytes) kid2 = g_bytes_new_static("kid-2", 5);
	SuitFirmwareConsumer *consumer;
	const gchar *keys[] = {"keys/suit-draft-p256.pub.pem", "keys/enc-dependency-signer-p256.pub.pem"};

	g_assert_no_error(error);
	for (guint k = 0; k < G_N_ELEMENTS(keys); k++) {
		g_autofree gchar *path = suit_test_vector_path(keys[k]);
		g_assert_true(suit_keyring_add_from_file(keyring, path, &error));
		g_assert_no_error(error);
	}
	suit_keyring_add(keyring, mac);
	consumer = suit_firmware_consumer_new(keyring, store, SUIT_FETCHER(fetcher));
	if (teep) {
		g_autoptr(GBytes) vendor = suit_test_bytes_from_hex(TEEP_VENDOR);
		g_autoptr(GBytes) class_id = suit_test_bytes_from_hex(TEEP_CLASS);
		suit_firmware_consumer_set_vendor_id(consumer, vendor);
		suit_firmware_consumer_set_class_id(consumer, class_id);
	}
	suit_key_set_key_id(esdh, kid2);
	suit_firmware_consumer_add_decryption_key(consumer, esdh);
	if (kek_path != NULL) {
		g_autoptr(GBytes) secret = suit_test_load_vector(kek_path);
		g_autoptr(GBytes) kid1 = g_bytes_new_static("kid-1", 5);
		g_autoptr(SuitKey) kek = suit_key_new_symmetric(secret, &error);
		g_assert_no_error(error);
		suit_key_set_key_id(kek, kid1);
		suit_firmware_consumer_add_decryption_key(consumer, kek);
	}
	test_map_fetcher_add_vector(fetcher,
				    "https://example.org/8d82573a-926d-4754-9353-32dc29997f74.suit",
				    "teep/teep-uri.suit");
	test_map_fetcher_add_vector(fetcher, TEEP_TA_URI, "teep/8d82573a-926d-4754-9353-32dc29997f74.ta");
	test_map_fetcher_add_vector(fetcher, "coaps://example.com/encrypted-firmware", "encryption/payload-a128gcm.enc");
	return consumer;
}

static void
test_consumer_encrypted(void)
{
	struct {
		const gchar *vector;
		gboolean teep;
		const gchar *component;
		const gchar *plaintext;
	} cases[] = {
	    {"encryption/aeskw-gcm-write.suit", FALSE, "plaintext-firmware", "encryption/plaintext.bin"},
	    {"encryption/esdh-gcm-write.suit", FALSE, "decrypted-firmware", "encryption/plaintext.bin"},
	    {"encryption/aeskw-gcm-fetch-copy.suit", FALSE, "plaintext-firmware", "encryption/plaintext.bin"},
	    {"encryption/aeskw-gcm-slot.suit", FALSE, "\x00", "encryption/plaintext.bin"},
	    {"encryption/esdh-gcm-dependency.suit", FALSE, "decrypted-firmware", "encryption/plaintext.bin"},
	    {"teep/teep-personalization.suit", TRUE, "TEEP-Device|SecureFS|config.json", "teep/config.json.plaintext"},
	};
	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(SuitStore) store = SUIT_STORE(suit_store_memory_new());
		g_autoptr(TestMapFetcher) fetcher = g_object_new(TEST_TYPE_MAP_FETCHER, NULL);
		g_autoptr(SuitFirmwareConsumer) consumer =
		    encrypted_consumer(store, fetcher, cases[i].teep, "keys/a128kw-kek-kid-1.bin");
		g_autoptr(SuitEnvelope) envelope = load_envelope(cases[i].vector);
		g_autoptr(GBytes) expected = suit_test_load_vector(cases[i].plaintext);
		g_autoptr(SuitComponentId) id = NULL;
		g_autoptr(GBytes) actual = NULL;
		g_autoptr(GError) error = NULL;

		g_test_message("%s", cases[i].vector);
		if (cases[i].component[0] == '\0') {
			g_autoptr(GBytes) part = g_bytes_new_static("\x00", 1);
			id = suit_component_id_new();
			suit_component_id_append(id, part);
		} else {
			id = component_from_text(cases[i].component);
		}
		g_assert_true(suit_firmware_consumer_update(consumer, envelope, NULL, NULL, &error));
		g_assert_no_error(error);
		actual = suit_store_read_bytes(store, id, 1024, NULL, &error);
		g_assert_no_error(error);
		g_assert_true(g_bytes_equal(actual, expected));
		g_assert_true(suit_report_is_success(suit_firmware_consumer_get_report(consumer)));
	}
}

static void
test_consumer_encrypted_failures(void)
{
	/* no KEK: the A128KW recipient has no key */
	{
		g_autoptr(SuitStore) store = SUIT_STORE(suit_store_memory_new());
		g_autoptr(TestMapFetcher) fetcher = g_object_new(TEST_TYPE_MAP_FETCHER, NULL);
		g_autoptr(SuitFirmwareConsumer) consumer = encrypted_consumer(store, fetcher, FALSE, NULL);
		g_autoptr(SuitEnvelope) envelope = load_envelope("encryption/aeskw-gcm-write.suit");
		g_autoptr(GPtrArray) listed = NULL;
		g_autoptr(GError) error = NULL;
		g_assert_false(suit_firmware_consumer_update(consumer, envelope, NULL, NULL, &error));
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
		g_assert_nonnull(strstr(error->message, "no decryption key"));
		g_clear_error(&error);
		listed = suit_store_list_components(store, NULL, &error);
		g_assert_no_error(error);
		g_assert_cmpuint(listed->len, ==, 0);
	}
	/* a wrong KEK without a kid fails to unwrap */
	{
		g_autoptr(SuitStore) store = SUIT_STORE(suit_store_memory_new());
		g_autoptr(TestMapFetcher) fetcher = g_object_new(TEST_TYPE_MAP_FETCHER, NULL);
		g_autoptr(SuitFirmwareConsumer) consumer = encrypted_consumer(store, fetcher, FALSE, NULL);
		g_autoptr(SuitEnvelope) envelope = load_envelope("encryption/aeskw-gcm-fetch-copy.suit");
		g_autoptr(GBytes) wrong_secret = g_bytes_new_static("0123456789abcdef", 16);
		g_autoptr(SuitKey) wrong = suit_key_new_symmetric(wrong_secret, NULL);
		g_autoptr(GError) error = NULL;
		suit_firmware_consumer_add_decryption_key(consumer, wrong);
		g_assert_false(suit_firmware_consumer_update(consumer, envelope, NULL, NULL, &error));
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
	}
	/* a tampered fetched ciphertext fails the GCM tag on copy */
	{
		g_autoptr(SuitStore) store = SUIT_STORE(suit_store_memory_new());
		g_autoptr(TestMapFetcher) fetcher = g_object_new(TEST_TYPE_MAP_FETCHER, NULL);
		g_autoptr(SuitFirmwareConsumer) consumer =
		    encrypted_consumer(store, fetcher, FALSE, "keys/a128kw-kek-kid-1.bin");
		g_autoptr(SuitEnvelope) envelope = load_envelope("encryption/aeskw-gcm-fetch-copy.suit");
		g_autoptr(GBytes) payload = suit_test_load_vector("encryption/payload-a128gcm.enc");
		g_autoptr(GBytes) flipped = suit_test_bytes_flip(payload, 5, 0x10);
		g_autoptr(SuitComponentId) id = component_from_text("plaintext-firmware");
		g_autoptr(GBytes) actual = NULL;
		g_autoptr(GError) error = NULL;
		test_map_fetcher_add_bytes(fetcher, "coaps://example.com/encrypted-firmware", flipped);
		g_assert_false(suit_firmware_consumer_update(consumer, envelope, NULL, NULL, &error));
		g_assert_nonnull(error);
		g_assert_true(error->domain == SUIT_ERROR);
		/* either fetch's image-digest check or the tag check refuses it */
		g_assert_true(error->code == SUIT_ERROR_SIGNATURE_INVALID || error->code == SUIT_ERROR_DIGEST_MISMATCH);
		g_clear_error(&error);
		actual = suit_store_read_bytes(store, id, 1024, NULL, &error);
		g_assert_null(actual);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
	}
}

/* a payload of @size bytes that is not the draft's sample image */
static GBytes *
sample_payload(gsize size)
{
	guint8 *data = g_malloc0(size);
	return g_bytes_new_take(data, size);
}

/* ex1: fetch http://example.com/file.bin into component 0 */
static void
test_consumer_ex1_fetch(void)
{
	g_autoptr(GBytes) served = sample_payload(34768);
	g_autoptr(SuitComponentId) id = component_00();

	/* a device that holds the sample image: nothing to fetch */
	{
		g_autoptr(TestPlaceholderStore) store = g_object_new(TEST_TYPE_PLACEHOLDER_STORE, NULL);
		g_autoptr(TestMapFetcher) fetcher = g_object_new(TEST_TYPE_MAP_FETCHER, NULL);
		g_autoptr(SuitFirmwareConsumer) consumer =
		    vector_consumer(SUIT_STORE(store), SUIT_FETCHER(fetcher), VENDOR, CLASS);
		g_autoptr(SuitEnvelope) envelope = load_envelope("manifest/ex1-download-install.suit");
		g_autoptr(GError) error = NULL;
		guint64 seq = 0;
		test_map_fetcher_add_bytes(fetcher, "http://example.com/file.bin", served);
		test_placeholder_store_add(store, "00", DIGEST_A);
		g_assert_true(suit_firmware_consumer_update(consumer, envelope, NULL, NULL, &error));
		g_assert_no_error(error);
		assert_trace(consumer, "fetch 0: http://example.com/file.bin (already present)");
		g_assert_cmpuint(fetcher->fetched->len, ==, 0);
		g_assert_true(suit_store_get_sequence_number(SUIT_STORE(store), NULL, &seq, NULL, NULL));
		g_assert_cmpuint(seq, ==, 1);
	}
	/* a fresh device fetches the URI; the bytes served cannot have the sample digest */
	{
		g_autoptr(TestPlaceholderStore) store = g_object_new(TEST_TYPE_PLACEHOLDER_STORE, NULL);
		g_autoptr(TestMapFetcher) fetcher = g_object_new(TEST_TYPE_MAP_FETCHER, NULL);
		g_autoptr(SuitFirmwareConsumer) consumer =
		    vector_consumer(SUIT_STORE(store), SUIT_FETCHER(fetcher), VENDOR, CLASS);
		g_autoptr(SuitEnvelope) envelope = load_envelope("manifest/ex1-download-install.suit");
		g_autoptr(GError) error = NULL;
		g_autofree gchar *fetched = NULL;
		test_map_fetcher_add_bytes(fetcher, "http://example.com/file.bin", served);
		g_assert_false(suit_firmware_consumer_update(consumer, envelope, NULL, NULL, &error));
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_DIGEST_MISMATCH);
		fetched = test_map_fetcher_dup_fetched(fetcher);
		g_assert_cmpstr(fetched, ==, "http://example.com/file.bin");
		assert_trace(consumer, "fetch 0: http://example.com/file.bin");
		g_assert_false(suit_store_has_component(SUIT_STORE(store), id));
	}
}

/* ex2: the full envelope installs, the severed one cannot run the Update procedure */
static void
test_consumer_ex2_full_severed(void)
{
	g_autoptr(TestPlaceholderStore) store = g_object_new(TEST_TYPE_PLACEHOLDER_STORE, NULL);
	g_autoptr(TestMapFetcher) fetcher = g_object_new(TEST_TYPE_MAP_FETCHER, NULL);
	g_autoptr(SuitFirmwareConsumer) consumer =
	    vector_consumer(SUIT_STORE(store), SUIT_FETCHER(fetcher), VENDOR, CLASS);
	g_autoptr(SuitEnvelope) full = load_envelope("manifest/ex2-severable-full.suit");
	g_autoptr(SuitEnvelope) severed = load_envelope("manifest/ex2-severed.suit");
	g_autoptr(GError) error = NULL;

	test_placeholder_store_add(store, "00", DIGEST_A);
	g_assert_true(suit_firmware_consumer_update(consumer, full, NULL, NULL, &error));
	g_assert_no_error(error);
	assert_trace(consumer, "fetch 0: http://example.com/very/long/path/to/file/file.bin (already present)");

	g_assert_false(suit_firmware_consumer_update(consumer, severed, NULL, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
	g_clear_error(&error);
	g_assert_cmpuint(suit_firmware_consumer_get_trace(consumer)->len, ==, 0);
	g_assert_cmpuint(fetcher->fetched->len, ==, 0);

	/* the Invocation procedure needs no severed member */
	g_assert_true(suit_firmware_consumer_invoke(consumer, severed, NULL, NULL, &error));
	g_assert_no_error(error);
	assert_trace(consumer, "invoke 0: [h'00'] args h''");
}

/*
 * ex4: fetch file.bin into component 1 ([h'02']), install copies 1 -> 0,
 * load copies 0 -> 2 ([h'01']) and invoke starts 2. The copies write real
 * bytes, which cannot have the sample digests: each procedure goes as far
 * as the trace shows and stops at the copy with digest-mismatch, leaving the
 * target untouched.
 */
static void
test_consumer_ex4_copy_chain(void)
{
	g_autoptr(TestPlaceholderStore) store = g_object_new(TEST_TYPE_PLACEHOLDER_STORE, NULL);
	g_autoptr(TestMapFetcher) fetcher = g_object_new(TEST_TYPE_MAP_FETCHER, NULL);
	g_autoptr(SuitFirmwareConsumer) consumer =
	    vector_consumer(SUIT_STORE(store), SUIT_FETCHER(fetcher), VENDOR, CLASS);
	g_autoptr(SuitEnvelope) envelope = load_envelope("manifest/ex4-load-external.suit");
	g_autoptr(GBytes) image_a = sample_payload(34768);
	g_autoptr(GBytes) image_b = sample_payload(76834);
	g_autoptr(SuitComponentId) c0 = component_00();
	g_autoptr(SuitComponentId) c1 = suit_component_id_new();
	g_autoptr(SuitComponentId) c2 = suit_component_id_new();
	g_autoptr(GBytes) p1 = g_bytes_new_static("\x02", 1);
	g_autoptr(GBytes) p2 = g_bytes_new_static("\x01", 1);
	g_autoptr(GError) error = NULL;

	suit_component_id_append(c1, p1);
	suit_component_id_append(c2, p2);
	test_map_fetcher_add_bytes(fetcher, "http://example.com/file.bin", image_a);

	/* a fresh device fetches file.bin into component 1, which cannot have the sample digest */
	g_assert_false(suit_firmware_consumer_update(consumer, envelope, NULL, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_DIGEST_MISMATCH);
	g_clear_error(&error);
	assert_trace(consumer, "fetch 1: http://example.com/file.bin");
	assert_failure_record(consumer, "[] 16 1");

	/* component 1 holds the external image: install copies it into component 0 */
	g_assert_true(suit_store_write_bytes(SUIT_STORE(store), c1, image_a, NULL, SUIT_STORE_WRITE_FLAG_CONFIRM, NULL, &error));
	g_assert_no_error(error);
	test_placeholder_store_add(store, "02", DIGEST_A);
	g_assert_false(suit_firmware_consumer_update(consumer, envelope, NULL, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_DIGEST_MISMATCH);
	g_clear_error(&error);
	assert_trace(consumer, "fetch 1: http://example.com/file.bin (already present); copy 1 -> 0");
	assert_failure_record(consumer, "[] 20 0");
	g_assert_false(suit_store_has_component(SUIT_STORE(store), c0));
	g_assert_cmpuint(fetcher->fetched->len, ==, 1);

	/* component 0 installed: load copies it into component 2 */
	g_assert_true(suit_store_write_bytes(SUIT_STORE(store), c0, image_b, NULL, SUIT_STORE_WRITE_FLAG_CONFIRM, NULL, &error));
	g_assert_no_error(error);
	test_placeholder_store_add(store, "00", DIGEST_A);
	g_assert_false(suit_firmware_consumer_invoke(consumer, envelope, NULL, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_DIGEST_MISMATCH);
	g_clear_error(&error);
	assert_trace(consumer, "copy 0 -> 2");
	assert_failure_record(consumer, "[] 8 2");
	g_assert_false(suit_store_has_component(SUIT_STORE(store), c2));
}

/* ex5: two images fetched into two components */
static void
test_consumer_ex5_two_images(void)
{
	g_autoptr(GBytes) image_a = sample_payload(34768);
	{
		g_autoptr(TestPlaceholderStore) store = g_object_new(TEST_TYPE_PLACEHOLDER_STORE, NULL);
		g_autoptr(TestMapFetcher) fetcher = g_object_new(TEST_TYPE_MAP_FETCHER, NULL);
		g_autoptr(SuitFirmwareConsumer) consumer =
		    vector_consumer(SUIT_STORE(store), SUIT_FETCHER(fetcher), VENDOR, CLASS);
		g_autoptr(SuitEnvelope) envelope = load_envelope("manifest/ex5-two-images.suit");
		g_autoptr(GError) error = NULL;

		test_placeholder_store_add(store, "00", DIGEST_A);
		test_placeholder_store_add(store, "01", DIGEST_B);
		g_assert_true(suit_firmware_consumer_update(consumer, envelope, NULL, NULL, &error));
		g_assert_no_error(error);
		assert_trace(consumer,
			     "fetch 0: http://example.com/file1.bin (already present); "
			     "fetch 1: http://example.com/file2.bin (already present)");
		g_assert_cmpuint(suit_report_get_claims(suit_firmware_consumer_get_report(consumer))->len, ==, 2);
		g_assert_true(suit_firmware_consumer_invoke(consumer, envelope, NULL, NULL, &error));
		g_assert_no_error(error);
		assert_trace(consumer, "invoke 0: [h'00'] args h''");
	}
	/* a fresh device fetches file1.bin first */
	{
		g_autoptr(TestPlaceholderStore) store = g_object_new(TEST_TYPE_PLACEHOLDER_STORE, NULL);
		g_autoptr(TestMapFetcher) fetcher = g_object_new(TEST_TYPE_MAP_FETCHER, NULL);
		g_autoptr(SuitFirmwareConsumer) consumer =
		    vector_consumer(SUIT_STORE(store), SUIT_FETCHER(fetcher), VENDOR, CLASS);
		g_autoptr(SuitEnvelope) envelope = load_envelope("manifest/ex5-two-images.suit");
		g_autoptr(GError) error = NULL;

		test_map_fetcher_add_bytes(fetcher, "http://example.com/file1.bin", image_a);
		g_assert_false(suit_firmware_consumer_update(consumer, envelope, NULL, NULL, &error));
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_DIGEST_MISMATCH);
		assert_trace(consumer, "fetch 0: http://example.com/file1.bin");
		/* only file1.bin was asked for */
		g_assert_cmpuint(fetcher->fetched->len, ==, 1);
	}
}

/* synthetic dependencies ------------------------------------------------------------ */

/* a signed envelope from the members of its manifest (JSON) */
static GBytes *
sign_manifest_json(SuitKey *key, const gchar *members, const gchar *integrated)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *json = g_strdup_printf("{\"manifest\": {\"manifest-version\": 1, %s}%s%s}",
						 members,
						 integrated != NULL ? ", \"integrated\": " : "",
						 integrated != NULL ? integrated : "");
	g_autoptr(SuitEnvelope) built = suit_envelope_new_from_json(json, &error);
	GBytes *blob;
	if (built == NULL)
		g_error("%s: %s", json, error->message);
	g_assert_true(suit_envelope_sign(built, key, SUIT_COSE_ALGORITHM_NONE, NULL, &error));
	g_assert_no_error(error);
	blob = suit_envelope_to_bytes(built, &error);
	g_assert_no_error(error);
	return blob;
}

static SuitEnvelope *
envelope_from_blob(GBytes *blob)
{
	g_autoptr(GError) error = NULL;
	SuitEnvelope *envelope = suit_envelope_new_from_bytes(blob, SUIT_PARSE_FLAG_NONE, &error);
	g_assert_no_error(error);
	return envelope;
}

/* the JSON of the SUIT_Digest of the manifest of @blob */
static gchar *
manifest_digest_json(GBytes *blob)
{
	g_autoptr(SuitEnvelope) envelope = envelope_from_blob(blob);
	g_autofree gchar *hex = suit_digest_to_hex(suit_envelope_get_manifest_digest(envelope));
	return g_strdup_printf("{\"algorithm-id\": -16, \"digest-bytes\": \"%s\"}", hex);
}

/* override-parameters content + write */
static gchar *
write_json(const gchar *content)
{
	g_autofree gchar *hex = hex_of(content);
	return g_strdup_printf("[{\"command\": \"override-parameters\", \"argument\": {\"content\": \"%s\"}},"
			       "{\"command\": \"write\", \"argument\": 15}]",
			       hex);
}

/* a dependency manifest @name with one component @component and the install sequence @install */
static GBytes *
make_leaf(SuitKey *key, guint64 seq, const gchar *name, const gchar *component, const gchar *install)
{
	g_autofree gchar *name_hex = hex_of(name);
	g_autofree gchar *component_hex = hex_of(component);
	g_autofree gchar *members = g_strdup_printf(
	    "\"manifest-sequence-number\": %" G_GUINT64_FORMAT ", \"manifest-component-id\": [\"%s\"], "
	    "\"common\": {\"components\": [[\"%s\"]]}, \"install\": %s",
	    seq,
	    name_hex,
	    component_hex,
	    install);
	return sign_manifest_json(key, members, NULL);
}

/* the usual install of a dependent: check and process dependency 1, then write component 0 */
static gchar *
dependent_install(const gchar *content)
{
	g_autofree gchar *hex = hex_of(content);
	return g_strdup_printf("[{\"command\": \"set-component-index\", \"argument\": 1},"
			       "{\"command\": \"dependency-integrity\", \"argument\": 15},"
			       "{\"command\": \"process-dependency\", \"argument\": 0},"
			       "{\"command\": \"set-component-index\", \"argument\": 0},"
			       "{\"command\": \"override-parameters\", \"argument\": {\"content\": \"%s\"}},"
			       "{\"command\": \"write\", \"argument\": 15}]",
			       hex);
}

/*
 * A dependent manifest @name with one component @component (index 0) and
 * the dependency @dependency at index 1, beyond the components list, named
 * by the prefix @prefix and integrated as "#dep"; dependency-resolution
 * fetches and image-matches it and, with @nested, processes it (lockstep:
 * so that the dependency resolves its own dependencies); @install and
 * optional @extra members follow.
 */
static GBytes *
make_dependent_full(SuitKey *key,
		    guint64 seq,
		    const gchar *name,
		    const gchar *component,
		    const gchar *prefix,
		    GBytes *dependency,
		    gboolean nested,
		    const gchar *install,
		    const gchar *extra)
{
	g_autofree gchar *name_hex = hex_of(name);
	g_autofree gchar *component_hex = hex_of(component);
	g_autofree gchar *prefix_hex = hex_of(prefix);
	g_autofree gchar *digest = manifest_digest_json(dependency);
	g_autofree gchar *dependency_hex = suit_test_bytes_to_hex(dependency);
	g_autofree gchar *integrated = g_strdup_printf("{\"#dep\": \"%s\"}", dependency_hex);
	g_autofree gchar *members = g_strdup_printf(
	    "\"manifest-sequence-number\": %" G_GUINT64_FORMAT ", \"manifest-component-id\": [\"%s\"], "
	    "\"common\": {\"dependencies\": {\"1\": {\"dependency-prefix\": [\"%s\"]}}, \"components\": [[\"%s\"]]}, "
	    "\"dependency-resolution\": [{\"command\": \"set-component-index\", \"argument\": 1},"
	    "{\"command\": \"override-parameters\", \"argument\": {\"image-digest\": %s, \"uri\": \"#dep\"}},"
	    "{\"command\": \"fetch\", \"argument\": 2},"
	    "{\"command\": \"image-match\", \"argument\": 15}%s], "
	    "\"install\": %s%s%s",
	    seq,
	    name_hex,
	    prefix_hex,
	    component_hex,
	    digest,
	    nested ? ", {\"command\": \"process-dependency\", \"argument\": 0}" : "",
	    install,
	    extra != NULL ? ", " : "",
	    extra != NULL ? extra : "");
	return sign_manifest_json(key, members, integrated);
}

static GBytes *
make_dependent(SuitKey *key,
	       guint64 seq,
	       const gchar *name,
	       const gchar *component,
	       const gchar *prefix,
	       GBytes *dependency,
	       const gchar *install,
	       const gchar *extra)
{
	return make_dependent_full(key, seq, name, component, prefix, dependency, FALSE, install, extra);
}

/* a dependency signed by a key the device does not trust */
static void
test_consumer_dependency_untrusted(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitKey) other = suit_key_generate(SUIT_KEY_TYPE_P256, &error);
	g_autofree gchar *leaf_install = write_json("library v2");
	g_autofree gchar *install = dependent_install("application v2");
	g_autoptr(GBytes) untrusted = make_leaf(other, 2, "lib", "lib-image", leaf_install);
	g_autoptr(GBytes) trusted = make_leaf(fx->key, 2, "lib", "lib-image", leaf_install);
	g_autoptr(GBytes) bad = make_dependent(fx->key, 2, "app", "app-image", "lib", untrusted, install, NULL);
	g_autoptr(GBytes) good = make_dependent(fx->key, 2, "app", "app-image", "lib", trusted, install, NULL);
	g_autoptr(SuitEnvelope) bad_envelope = envelope_from_blob(bad);
	g_autoptr(SuitEnvelope) good_envelope = envelope_from_blob(good);
	g_autoptr(SuitComponentId) app = component_text("app-image");
	g_autoptr(SuitComponentId) slot = component_text("lib");
	g_autoptr(GBytes) stored = NULL;
	SuitStoreImageState state = SUIT_STORE_IMAGE_STATE_NONE;
	guint64 seq = 0;

	store_put(fx->store, "app-image", "application v1");
	store_put(fx->store, "lib-image", "library v1");
	g_assert_false(suit_firmware_consumer_update(fx->consumer, bad_envelope, NULL, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
	g_clear_error(&error);
	g_assert_cmpint(suit_report_get_result_reason(suit_firmware_consumer_get_report(fx->consumer)),
			==,
			SUIT_REPORT_REASON_UNAUTHORISED);
	/* the dependency-integrity condition of the dependent's install */
	assert_failure_record(fx->consumer, "[] 20 1");
	assert_trace(fx->consumer, "fetch 1: #dep");
	/* the previous images stay, confirmed; nothing else is stored */
	assert_stored(fx->store, "app-image", "application v1");
	assert_stored(fx->store, "lib-image", "library v1");
	g_assert_true(suit_store_get_image_state(fx->store, app, &state, NULL, NULL));
	g_assert_cmpint(state, ==, SUIT_STORE_IMAGE_STATE_CONFIRMED);
	g_assert_false(suit_store_has_component(fx->store, slot));
	g_assert_false(stored_sequence_number(fx->store, "app", &seq));
	g_assert_false(stored_sequence_number(fx->store, "lib", &seq));

	/* signed by the trusted author, both are installed */
	g_assert_true(suit_firmware_consumer_update(fx->consumer, good_envelope, NULL, NULL, &error));
	g_assert_no_error(error);
	assert_trace(fx->consumer, "fetch 1: #dep; process-dependency 1: ['lib']; write 0: 10 bytes; write 0: 14 bytes");
	assert_stored(fx->store, "app-image", "application v2");
	assert_stored(fx->store, "lib-image", "library v2");
	stored = suit_store_read_bytes(fx->store, slot, 4096, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(stored, trusted));
	g_assert_true(stored_sequence_number(fx->store, "app", &seq));
	g_assert_cmpuint(seq, ==, 2);
	g_assert_true(stored_sequence_number(fx->store, "lib", &seq));
	g_assert_cmpuint(seq, ==, 2);
	/* claims for both components, none for the dependency manifest */
	g_assert_cmpuint(suit_report_get_claims(suit_firmware_consumer_get_report(fx->consumer))->len, ==, 2);
}

/* dependency-integrity compares the dependency's SUIT_Digest with image-digest */
static void
test_consumer_dependency_digest(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *leaf_install = write_json("library");
	g_autofree gchar *wrong = digest_json("another manifest");
	g_autoptr(GBytes) leaf = make_leaf(fx->key, 1, "lib", "lib-image", leaf_install);
	g_autofree gchar *install = g_strdup_printf("[{\"command\": \"set-component-index\", \"argument\": 1},"
						    "{\"command\": \"override-parameters\", \"argument\": {\"image-digest\": %s}},"
						    "{\"command\": \"dependency-integrity\", \"argument\": 15},"
						    "{\"command\": \"process-dependency\", \"argument\": 0}]",
						    wrong);
	g_autoptr(GBytes) blob = make_dependent(fx->key, 1, "app", "app-image", "lib", leaf, install, NULL);
	g_autoptr(SuitEnvelope) envelope = envelope_from_blob(blob);

	store_put(fx->store, "lib-image", "previous library");
	g_assert_false(suit_firmware_consumer_update(fx->consumer, envelope, NULL, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_DIGEST_MISMATCH);
	assert_failure_record(fx->consumer, "[] 20 1");
	assert_stored(fx->store, "lib-image", "previous library");
	assert_not_stored(fx->store, "lib");
}

/* the dependency commands one by one */
static void
test_consumer_dependency_commands(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *leaf_install = write_json("library");
	g_autoptr(GBytes) leaf = make_leaf(fx->key, 1, "lib", "lib-image", leaf_install);
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitKey) other = suit_key_generate(SUIT_KEY_TYPE_ED25519, &error);
	g_autofree gchar *other_install = write_json("another library");
	g_autoptr(GBytes) untrusted = make_leaf(other, 1, "lib", "lib-image", other_install);
	struct {
		const gchar *install;
		gboolean trusted;
		gint code; /* -1: success */
		const gchar *trace;
	} cases[] = {
	    /* process-dependency checks what dependency-integrity would when that did not run */
	    {"[{\"command\": \"set-component-index\", \"argument\": 1},"
	     "{\"command\": \"process-dependency\", \"argument\": 0}]",
	     TRUE,
	     -1,
	     "fetch 1: #dep; process-dependency 1: ['lib']; write 0: 7 bytes"},
	    {"[{\"command\": \"set-component-index\", \"argument\": 1},"
	     "{\"command\": \"process-dependency\", \"argument\": 0}]",
	     FALSE,
	     SUIT_ERROR_SIGNATURE_INVALID,
	     "fetch 1: #dep"},
	    /* is-dependency */
	    {"[{\"command\": \"set-component-index\", \"argument\": 1},"
	     "{\"command\": \"is-dependency\", \"argument\": 15}]",
	     TRUE,
	     -1,
	     "fetch 1: #dep"},
	    {"[{\"command\": \"set-component-index\", \"argument\": 0},"
	     "{\"command\": \"is-dependency\", \"argument\": 15}]",
	     TRUE,
	     SUIT_ERROR_CONDITION_FAILED,
	     "fetch 1: #dep"},
	    /* dependency-integrity of a component that is no dependency */
	    {"[{\"command\": \"set-component-index\", \"argument\": 0},"
	     "{\"command\": \"dependency-integrity\", \"argument\": 15}]",
	     TRUE,
	     SUIT_ERROR_CONDITION_FAILED,
	     "fetch 1: #dep"},
	    /* process-dependency of a component that is no dependency */
	    {"[{\"command\": \"set-component-index\", \"argument\": 0},"
	     "{\"command\": \"process-dependency\", \"argument\": 0}]",
	     TRUE,
	     SUIT_ERROR_INVALID_DATA,
	     "fetch 1: #dep"},
	    /* a dependency slot only takes a fetched manifest */
	    {"[{\"command\": \"set-component-index\", \"argument\": 1},"
	     "{\"command\": \"override-parameters\", \"argument\": {\"content\": \"00\"}},"
	     "{\"command\": \"write\", \"argument\": 15}]",
	     TRUE,
	     SUIT_ERROR_COMPONENT_UNSUPPORTED,
	     "fetch 1: #dep"},
	    /* an index that names nothing */
	    {"[{\"command\": \"set-component-index\", \"argument\": 2}]", TRUE, SUIT_ERROR_COMPONENT_UNSUPPORTED, "fetch 1: #dep"},
	    /* true selects the components of suit-components, not the dependency */
	    {"[{\"command\": \"set-component-index\", \"argument\": true},"
	     "{\"command\": \"override-parameters\", \"argument\": {\"content\": \"00\"}},"
	     "{\"command\": \"write\", \"argument\": 15}]",
	     TRUE,
	     -1,
	     "fetch 1: #dep; write 0: 1 bytes"},
	};

	for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
		g_autoptr(GBytes) blob =
		    make_dependent(fx->key, 1, "app", "app-image", "lib", cases[i].trusted ? leaf : untrusted, cases[i].install, NULL);
		g_autoptr(SuitEnvelope) envelope = envelope_from_blob(blob);
		g_autoptr(SuitStore) store = SUIT_STORE(suit_store_memory_new());
		g_autoptr(SuitFirmwareConsumer) consumer = suit_firmware_consumer_new(fx->keyring, store, NULL);
		gboolean ok;
		g_test_message("%s", cases[i].install);
		ok = suit_firmware_consumer_update(consumer, envelope, NULL, NULL, &error);
		if (cases[i].code < 0) {
			g_assert_no_error(error);
			g_assert_true(ok);
		} else {
			g_assert_error(error, SUIT_ERROR, cases[i].code);
			g_assert_false(ok);
			g_clear_error(&error);
		}
		assert_trace(consumer, cases[i].trace);
		if (i == 0)
			assert_stored(store, "lib-image", "library");
	}
}

/* root -> m1 -> ... -> m@levels: each manifest writes its own component */
static GBytes *
make_chain(SuitKey *key, guint levels)
{
	g_autofree gchar *leaf_name = g_strdup_printf("m%u", levels);
	g_autofree gchar *leaf_component = g_strdup_printf("c%u", levels);
	g_autofree gchar *leaf_install = write_json(leaf_component);
	g_autoptr(GBytes) blob = make_leaf(key, 1, leaf_name, leaf_component, leaf_install);

	for (guint level = levels; level > 0; level--) {
		g_autofree gchar *name = g_strdup_printf("m%u", level - 1);
		g_autofree gchar *component = g_strdup_printf("c%u", level - 1);
		g_autofree gchar *prefix = g_strdup_printf("m%u", level);
		g_autofree gchar *install = dependent_install(component);
		GBytes *dependent = make_dependent_full(key, 1, name, component, prefix, blob, TRUE, install, NULL);
		g_bytes_unref(blob);
		blob = dependent;
	}
	return g_steal_pointer(&blob);
}

/* dependencies nest four levels deep, not five */
static void
test_consumer_dependency_depth(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) four = make_chain(fx->key, 4);
	g_autoptr(GBytes) five = make_chain(fx->key, 5);
	g_autoptr(SuitEnvelope) envelope_four = envelope_from_blob(four);
	g_autoptr(SuitEnvelope) envelope_five = envelope_from_blob(five);

	g_assert_true(suit_firmware_consumer_update(fx->consumer, envelope_four, NULL, NULL, &error));
	g_assert_no_error(error);
	for (guint i = 0; i <= 4; i++) {
		g_autofree gchar *component = g_strdup_printf("c%u", i);
		guint64 seq = 0;
		g_autofree gchar *name = g_strdup_printf("m%u", i);
		assert_stored(fx->store, component, component);
		g_assert_true(stored_sequence_number(fx->store, name, &seq));
	}
	g_assert_cmpuint(suit_report_get_claims(suit_firmware_consumer_get_report(fx->consumer))->len, ==, 5);

	g_assert_false(suit_firmware_consumer_update(fx->consumer, envelope_five, NULL, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_LIMIT_EXCEEDED);
	/* the process-dependency of the fourth dependency, at index 1 of each
	 * manifest, already in dependency-resolution */
	assert_failure_record(fx->consumer, "[1, 1, 1, 1] 15 1");
	assert_not_stored(fx->store, "c5");
}

/* a dependency's sequence number is checked and stored under its manifest-component-id */
static void
test_consumer_dependency_rollback(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *install_v5 = write_json("library v5");
	g_autofree gchar *install_v4 = write_json("library v4");
	g_autofree gchar *install = dependent_install("application");
	g_autoptr(GBytes) leaf_v5 = make_leaf(fx->key, 5, "lib", "lib-image", install_v5);
	g_autoptr(GBytes) leaf_v4 = make_leaf(fx->key, 4, "lib", "lib-image", install_v4);
	g_autoptr(GBytes) first = make_dependent(fx->key, 1, "app", "app-image", "lib", leaf_v5, install, NULL);
	/* a newer dependent bringing an older dependency */
	g_autoptr(GBytes) second = make_dependent(fx->key, 2, "app", "app-image", "lib", leaf_v4, install, NULL);
	g_autoptr(SuitEnvelope) envelope_first = envelope_from_blob(first);
	g_autoptr(SuitEnvelope) envelope_second = envelope_from_blob(second);
	guint64 seq = 0;

	g_assert_true(suit_firmware_consumer_update(fx->consumer, envelope_first, NULL, NULL, &error));
	g_assert_no_error(error);
	g_assert_true(stored_sequence_number(fx->store, "lib", &seq));
	g_assert_cmpuint(seq, ==, 5);

	g_assert_false(suit_firmware_consumer_update(fx->consumer, envelope_second, NULL, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_ROLLBACK);
	assert_failure_record(fx->consumer, "[] 20 1");
	assert_stored(fx->store, "lib-image", "library v5");
	g_assert_true(stored_sequence_number(fx->store, "lib", &seq));
	g_assert_cmpuint(seq, ==, 5);
	g_assert_true(stored_sequence_number(fx->store, "app", &seq));
	g_assert_cmpuint(seq, ==, 1);
}

/* a failure inside the dependency is reported with its manifest-id */
static void
test_consumer_dependency_report(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *install = dependent_install("application");
	g_autoptr(GBytes) leaf = make_leaf(fx->key,
					   1,
					   "lib",
					   "lib-image",
					   "[{\"command\": \"override-parameters\", \"argument\": {\"content\": \"00\"}},"
					   "{\"command\": \"check-content\", \"argument\": 15}]");
	g_autoptr(GBytes) blob = make_dependent(fx->key, 1, "app", "app-image", "lib", leaf, install, NULL);
	g_autoptr(SuitEnvelope) envelope = envelope_from_blob(blob);

	g_assert_false(suit_firmware_consumer_update(fx->consumer, envelope, NULL, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_CONDITION_FAILED);
	/* install of the dependency at index 1, its component 0 */
	assert_failure_record(fx->consumer, "[1] 20 0");
	g_assert_nonnull(strstr(error->message, "dependency 1"));
}

/* parameters set by the dependent reach the dependency's component of the same identity */
static void
test_consumer_dependency_shared_params(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *from_dependent = hex_of("set by the dependent");
	g_autofree gchar *default_hex = hex_of("the dependency's default");
	g_autofree gchar *leaf_install =
	    g_strdup_printf("[{\"command\": \"set-parameters\", \"argument\": {\"content\": \"%s\"}},"
			    "{\"command\": \"write\", \"argument\": 15}]",
			    default_hex);
	g_autofree gchar *install =
	    g_strdup_printf("[{\"command\": \"set-component-index\", \"argument\": 0},"
			    "{\"command\": \"override-parameters\", \"argument\": {\"content\": \"%s\"}},"
			    "{\"command\": \"set-component-index\", \"argument\": 1},"
			    "{\"command\": \"process-dependency\", \"argument\": 0}]",
			    from_dependent);
	g_autoptr(GBytes) leaf = make_leaf(fx->key, 1, "lib", "shared", leaf_install);
	g_autoptr(GBytes) blob = make_dependent(fx->key, 1, "app", "shared", "lib", leaf, install, NULL);
	g_autoptr(SuitEnvelope) envelope = envelope_from_blob(blob);

	g_assert_true(suit_firmware_consumer_update(fx->consumer, envelope, NULL, NULL, &error));
	g_assert_no_error(error);
	assert_stored(fx->store, "shared", "set by the dependent");
	/* one component, claimed once */
	g_assert_cmpuint(suit_report_get_claims(suit_firmware_consumer_get_report(fx->consumer))->len, ==, 1);
}

/* the Invocation procedure processes the installed dependency from the store */
static void
test_consumer_dependency_invoke(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *leaf_members = NULL;
	g_autofree gchar *lib_hex = hex_of("lib");
	g_autofree gchar *lib_image_hex = hex_of("lib-image");
	g_autoptr(GBytes) leaf = NULL;
	g_autofree gchar *digest = NULL;
	g_autofree gchar *install = dependent_install("application");
	g_autofree gchar *invoke = NULL;
	g_autoptr(GBytes) blob = NULL;
	g_autoptr(SuitEnvelope) envelope = NULL;

	leaf_members = g_strdup_printf("\"manifest-sequence-number\": 1, \"manifest-component-id\": [\"%s\"], "
				       "\"common\": {\"components\": [[\"%s\"]]}, "
				       "\"install\": [{\"command\": \"override-parameters\", \"argument\": {\"content\": \"00\"}},"
				       "{\"command\": \"write\", \"argument\": 15}], "
				       "\"invoke\": [{\"command\": \"invoke\", \"argument\": 15}]",
				       lib_hex,
				       lib_image_hex);
	leaf = sign_manifest_json(fx->key, leaf_members, NULL);
	digest = manifest_digest_json(leaf);
	invoke = g_strdup_printf("\"invoke\": [{\"command\": \"set-component-index\", \"argument\": 1},"
				 "{\"command\": \"override-parameters\", \"argument\": {\"image-digest\": %s}},"
				 "{\"command\": \"process-dependency\", \"argument\": 0},"
				 "{\"command\": \"set-component-index\", \"argument\": 0},"
				 "{\"command\": \"invoke\", \"argument\": 15}]",
				 digest);
	blob = make_dependent(fx->key, 1, "app", "app-image", "lib", leaf, install, invoke);
	envelope = envelope_from_blob(blob);

	/* nothing installed: the dependency is missing */
	g_assert_false(suit_firmware_consumer_invoke(fx->consumer, envelope, NULL, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_FETCH_FAILED);
	g_clear_error(&error);

	g_assert_true(suit_firmware_consumer_update(fx->consumer, envelope, NULL, NULL, &error));
	g_assert_no_error(error);
	g_assert_true(suit_firmware_consumer_invoke(fx->consumer, envelope, NULL, NULL, &error));
	g_assert_no_error(error);
	assert_trace(fx->consumer,
		     "process-dependency 1: ['lib']; invoke 0: ['lib-image'] args h''; invoke 0: ['app-image'] args h''");
}

/* a dependency may also be a component of suit-components, without a prefix */
static void
test_consumer_dependency_listed(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *leaf_install = write_json("library");
	g_autoptr(GBytes) leaf = make_leaf(fx->key, 1, "lib", "lib-image", leaf_install);
	g_autofree gchar *digest = manifest_digest_json(leaf);
	g_autofree gchar *leaf_hex = suit_test_bytes_to_hex(leaf);
	g_autofree gchar *integrated = g_strdup_printf("{\"#lib\": \"%s\"}", leaf_hex);
	g_autofree gchar *slot_hex = hex_of("lib.suit");
	g_autofree gchar *members = g_strdup_printf(
	    "\"manifest-sequence-number\": 1, "
	    "\"common\": {\"dependencies\": {\"0\": {}}, \"components\": [[\"%s\"]]}, "
	    "\"install\": [{\"command\": \"override-parameters\", \"argument\": {\"image-digest\": %s, \"uri\": \"#lib\"}},"
	    "{\"command\": \"fetch\", \"argument\": 2},"
	    "{\"command\": \"is-dependency\", \"argument\": 15},"
	    "{\"command\": \"process-dependency\", \"argument\": 0}]",
	    slot_hex,
	    digest);
	g_autoptr(GBytes) blob = sign_manifest_json(fx->key, members, integrated);
	g_autoptr(SuitEnvelope) envelope = envelope_from_blob(blob);

	g_assert_true(suit_firmware_consumer_update(fx->consumer, envelope, NULL, NULL, &error));
	g_assert_no_error(error);
	assert_trace(fx->consumer, "fetch 0: #lib; process-dependency 0: ['lib.suit']; write 0: 7 bytes");
	assert_stored(fx->store, "lib-image", "library");
	{
		g_autoptr(SuitComponentId) slot = component_text("lib.suit");
		g_autoptr(GBytes) stored = suit_store_read_bytes(fx->store, slot, 4096, NULL, &error);
		g_assert_no_error(error);
		g_assert_true(g_bytes_equal(stored, leaf));
	}
}

/* unlinking a dependency removes its envelope and its components */
static void
test_consumer_dependency_unlink(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autofree gchar *leaf_install = write_json("library");
	g_autofree gchar *install = dependent_install("application");
	g_autoptr(GBytes) leaf = make_leaf(fx->key, 1, "lib", "lib-image", leaf_install);
	g_autoptr(GBytes) blob = make_dependent(fx->key,
						1,
						"app",
						"app-image",
						"lib",
						leaf,
						install,
						"\"uninstall\": [{\"command\": \"set-component-index\", \"argument\": 1},"
						"{\"command\": \"unlink\", \"argument\": 15},"
						"{\"command\": \"set-component-index\", \"argument\": 0},"
						"{\"command\": \"unlink\", \"argument\": 15}]");
	g_autoptr(SuitEnvelope) envelope = envelope_from_blob(blob);
	g_autoptr(GPtrArray) listed = NULL;

	store_put(fx->store, "other", "not ours");
	g_assert_true(suit_firmware_consumer_update(fx->consumer, envelope, NULL, NULL, &error));
	g_assert_no_error(error);
	assert_stored(fx->store, "lib-image", "library");
	assert_stored(fx->store, "app-image", "application");

	g_assert_true(suit_firmware_consumer_uninstall(fx->consumer, envelope, NULL, NULL, &error));
	g_assert_no_error(error);
	assert_trace(fx->consumer, "unlink 1: ['lib'] (dependency, 1 components); unlink 0: ['app-image']");
	assert_not_stored(fx->store, "lib");
	assert_not_stored(fx->store, "lib-image");
	assert_not_stored(fx->store, "app-image");
	listed = suit_store_list_components(fx->store, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(listed->len, ==, 1);
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
	ADD("/suit/consumer/update/no-auth-wrapper", test_consumer_no_auth_wrapper);
	ADD("/suit/consumer/update/unsupported", test_consumer_unsupported);
	ADD("/suit/consumer/update/try-each-slots", test_consumer_try_each_slots);
	ADD("/suit/consumer/update/components", test_consumer_components);
	ADD("/suit/consumer/update/needs-index", test_consumer_needs_index);
	ADD("/suit/consumer/update/update-management", test_consumer_update_management);
	ADD("/suit/consumer/update/version", test_consumer_version);
	ADD("/suit/consumer/update/device-id", test_consumer_device_id);
	g_test_add_func("/suit/consumer/vectors/um-U0", test_consumer_um_u0);
	ADD("/suit/consumer/vectors", test_consumer_vectors);
	ADD("/suit/consumer/dependency/untrusted", test_consumer_dependency_untrusted);
	ADD("/suit/consumer/dependency/digest", test_consumer_dependency_digest);
	ADD("/suit/consumer/dependency/commands", test_consumer_dependency_commands);
	ADD("/suit/consumer/dependency/depth", test_consumer_dependency_depth);
	ADD("/suit/consumer/dependency/rollback", test_consumer_dependency_rollback);
	ADD("/suit/consumer/dependency/report", test_consumer_dependency_report);
	ADD("/suit/consumer/dependency/shared-params", test_consumer_dependency_shared_params);
	ADD("/suit/consumer/dependency/unlink", test_consumer_dependency_unlink);
	ADD("/suit/consumer/dependency/listed", test_consumer_dependency_listed);
	ADD("/suit/consumer/dependency/invoke", test_consumer_dependency_invoke);
	g_test_add_func("/suit/consumer/ex0-invoke", test_consumer_ex0_invoke);
	g_test_add_func("/suit/consumer/ex3-slots", test_consumer_ex3_slots);
	g_test_add_func("/suit/consumer/end-to-end", test_consumer_end_to_end);
	g_test_add_func("/suit/consumer/end-to-end-file", test_consumer_end_to_end_file);
	g_test_add_func("/suit/consumer/vectors/td-integrated", test_consumer_td_integrated);
	g_test_add_func("/suit/consumer/vectors/td-fetched", test_consumer_td_fetched);
	g_test_add_func("/suit/consumer/vectors/td-failures", test_consumer_td_failures);
	g_test_add_func("/suit/consumer/vectors/teep-uri", test_consumer_teep_uri);
	g_test_add_func("/suit/consumer/vectors/encrypted", test_consumer_encrypted);
	g_test_add_func("/suit/consumer/vectors/encrypted-failures", test_consumer_encrypted_failures);
	g_test_add_func("/suit/consumer/vectors/ex1-fetch", test_consumer_ex1_fetch);
	g_test_add_func("/suit/consumer/vectors/ex2-full-severed", test_consumer_ex2_full_severed);
	g_test_add_func("/suit/consumer/vectors/ex4-copy-chain", test_consumer_ex4_copy_chain);
	g_test_add_func("/suit/consumer/vectors/ex5-two-images", test_consumer_ex5_two_images);
#undef ADD
	return g_test_run();
}
