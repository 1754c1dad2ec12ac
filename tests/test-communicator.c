/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <gnutls/x509.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "suit-test-common.h"

/*
 * The communicator against a small device-protocol server that runs in a
 * thread of the test: check-in offers with nonces, the envelope, payloads,
 * and reports that it verifies with the device's public key through the real
 * SuitReport API, with the semantics of the fleet brief (install phase, then
 * confirm phase). It is hand-written, like tests/suit-test-http.c, and
 * answers one connection at a time with "Connection: close".
 */

#define VENDOR	    "fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe"
#define CLASS	    "1492af14-2569-5e48-bf42-9b2d51f2ab45"
#define VENDOR_HEX  "fa6b4a53d5ad5fdfbe9de663e4d41ffe"
#define CLASS_HEX   "1492af1425695e48bf429b2d51f2ab45"
#define TOKEN	    "device-token-0123456789abcdef"
#define CAMPAIGN    "c-00112233445566ff"
#define HEAD_MAX    8192
#define BODY_MAX    (2 * 1024 * 1024)

/* the fake fleet server ---------------------------------------------------- */

typedef enum {
	PHASE_NONE,
	PHASE_INSTALL,
	PHASE_CONFIRM,
} Phase;

typedef struct {
	GSocketListener *listener;
	GCancellable *stop;
	GThread *thread;
	gchar *base_uri;
	GTlsCertificate *certificate; /* (nullable): speak https */
	gint n_connections;	      /* atomic */
	GMutex mutex;
	/* everything below is under mutex */
	SuitKeyring *device_keyring; /* verifies reports */
	GHashTable *payloads;	     /* path -> GBytes */
	gchar *manifest;	     /* the assignment, nullable */
	GBytes *envelope;	     /* served for manifest */
	Phase phase;
	gchar *nonce;
	gchar *member_state;
	gchar *manifest_url; /* nullable: the default one */
	guint fail_503;	     /* the next requests answered 503 */
	gboolean unauthorized;
	gboolean lose_report_answer; /* process the next report, then answer 500 */
	guint fail_reports;	     /* the next report posts answered 503 */
	GPtrArray *requests;	     /* "METHOD PATH" */
	GPtrArray *checkins;	     /* the check-in bodies */
	GPtrArray *reports;	     /* accepted SuitReport */
	GPtrArray *report_nonces;    /* the nonce each accepted report answered */
	guint n_refused_reports;
} Fleet;

static gchar *
random_nonce(void)
{
	return g_strdup_printf("%08x%08x%08x%08x", g_random_int(), g_random_int(), g_random_int(), g_random_int());
}

typedef struct {
	guint status;
	const gchar *reason;
	const gchar *content_type;
	GBytes *body;
} Answer;

static void
answer_set(Answer *answer, guint status, const gchar *reason, const gchar *content_type, const gchar *body)
{
	answer->status = status;
	answer->reason = reason;
	answer->content_type = content_type;
	g_clear_pointer(&answer->body, g_bytes_unref);
	if (body != NULL)
		answer->body = g_bytes_new(body, strlen(body));
}

static void
answer_problem(Answer *answer, guint status, const gchar *reason, const gchar *id, const gchar *detail)
{
	g_autofree gchar *body = g_strdup_printf("{\"type\":\"https://libsuit.org/problems/%s\",\"title\":\"%s\","
						 "\"status\":%u,\"detail\":\"%s\"}",
						 id,
						 id,
						 status,
						 detail);
	answer_set(answer, status, reason, "application/problem+json", body);
}

static gchar *
find_header(const gchar *head, const gchar *name)
{
	g_autofree gchar *needle = g_strdup_printf("\r\n%s:", name);
	g_autofree gchar *lower = g_ascii_strdown(head, -1);
	g_autofree gchar *lower_needle = g_ascii_strdown(needle, -1);
	const gchar *found = strstr(lower, lower_needle);
	const gchar *value;
	if (found == NULL)
		return NULL;
	value = head + (found - lower) + strlen(needle);
	while (*value == ' ')
		value++;
	return g_strndup(value, strcspn(value, "\r"));
}

/* POST /device/v1/reports, with the semantics of the brief */
static void
fleet_report(Fleet *self, GBytes *body, Answer *answer)
{
	g_autoptr(SuitReport) report = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *nonce_hex = NULL;
	g_autofree gchar *ref = NULL;
	g_autofree gchar *reply = NULL;
	GBytes *nonce;
	SuitDigest *digest;
	gboolean same;

	report = suit_report_new_from_cose(body, self->device_keyring, &error);
	if (report == NULL) {
		self->n_refused_reports++;
		answer_problem(answer, 422, "Unprocessable Entity", "signature-invalid", "report does not verify");
		return;
	}
	nonce = suit_report_get_nonce(report);
	if (nonce != NULL)
		nonce_hex = suit_test_bytes_to_hex(nonce);
	if (self->phase == PHASE_NONE || g_strcmp0(nonce_hex, self->nonce) != 0) {
		self->n_refused_reports++;
		answer_problem(answer, 409, "Conflict", "conflict", "stale nonce");
		return;
	}
	digest = suit_report_get_reference_digest(report);
	ref = digest != NULL ? suit_digest_to_hex(digest) : NULL;
	same = g_strcmp0(ref, self->manifest) == 0;
	g_ptr_array_add(self->reports, g_object_ref(report));
	g_ptr_array_add(self->report_nonces, g_strdup(self->nonce));
	g_clear_pointer(&self->nonce, g_free);
	if (self->phase == PHASE_INSTALL && same && suit_report_is_success(report)) {
		self->phase = PHASE_CONFIRM;
		self->nonce = random_nonce();
		g_free(self->member_state);
		self->member_state = g_strdup("installed");
	} else {
		g_free(self->member_state);
		if (!suit_report_is_success(report))
			self->member_state = g_strdup("failed");
		else if (self->phase == PHASE_CONFIRM && same)
			self->member_state = g_strdup("succeeded");
		else if (self->phase == PHASE_CONFIRM)
			self->member_state = g_strdup("fell-back");
		else
			self->member_state = g_strdup("failed");
		self->phase = PHASE_NONE;
	}
	if (self->lose_report_answer) {
		self->lose_report_answer = FALSE;
		answer_problem(answer, 500, "Internal Server Error", "internal", "lost");
		return;
	}
	if (self->nonce != NULL)
		reply = g_strdup_printf("{\"state\":\"%s\",\"nonce\":\"%s\"}", self->member_state, self->nonce);
	else
		reply = g_strdup_printf("{\"state\":\"%s\",\"nonce\":null}", self->member_state);
	answer_set(answer, 202, "Accepted", "application/json", reply);
}

static void
fleet_route(Fleet *self,
	    const gchar *method,
	    const gchar *path,
	    const gchar *authorization,
	    GBytes *body,
	    Answer *answer)
{
	gboolean authorized = g_strcmp0(authorization, "Bearer " TOKEN) == 0 && !self->unauthorized;

	if (self->fail_503 > 0) {
		self->fail_503--;
		answer_problem(answer, 503, "Service Unavailable", "internal", "busy");
		return;
	}
	if (g_str_has_prefix(path, "/payloads/") && g_strcmp0(method, "GET") == 0) {
		GBytes *payload = g_hash_table_lookup(self->payloads, path);
		if (payload == NULL) {
			answer_problem(answer, 404, "Not Found", "not-found", "no such payload");
			return;
		}
		answer->status = 200;
		answer->reason = "OK";
		answer->content_type = "application/octet-stream";
		answer->body = g_bytes_ref(payload);
		return;
	}
	if (!authorized) {
		answer_problem(answer, 401, "Unauthorized", "permission-denied", "unknown token");
		return;
	}
	if (g_strcmp0(path, "/device/v1/check-in") == 0 && g_strcmp0(method, "POST") == 0) {
		g_autofree gchar *offer = NULL;
		g_autofree gchar *url = NULL;
		g_ptr_array_add(self->checkins, g_strndup(g_bytes_get_data(body, NULL), g_bytes_get_size(body)));
		if (self->phase == PHASE_NONE) {
			answer_set(answer, 204, "No Content", NULL, NULL);
			return;
		}
		url = self->manifest_url != NULL ? g_strdup(self->manifest_url)
						 : g_strdup_printf("/device/v1/manifests/%s", self->manifest);
		offer = g_strdup_printf("{\"action\":\"%s\",\"manifest\":\"%s\",\"manifest_url\":\"%s\","
					"\"campaign\":\"%s\",\"nonce\":\"%s\"}",
					self->phase == PHASE_INSTALL ? "install" : "confirm",
					self->manifest,
					url,
					CAMPAIGN,
					self->nonce);
		answer_set(answer, 200, "OK", "application/json", offer);
		return;
	}
	if (g_str_has_prefix(path, "/device/v1/manifests/") && g_strcmp0(method, "GET") == 0) {
		if (self->manifest == NULL || g_strcmp0(path + strlen("/device/v1/manifests/"), self->manifest) != 0) {
			answer_problem(answer, 404, "Not Found", "not-found", "no such manifest");
			return;
		}
		answer->status = 200;
		answer->reason = "OK";
		answer->content_type = "application/suit-envelope+cose";
		answer->body = g_bytes_ref(self->envelope);
		return;
	}
	if (g_strcmp0(path, "/device/v1/reports") == 0 && g_strcmp0(method, "POST") == 0) {
		if (self->fail_reports > 0) {
			self->fail_reports--;
			answer_problem(answer, 503, "Service Unavailable", "internal", "busy");
			return;
		}
		fleet_report(self, body, answer);
		return;
	}
	answer_problem(answer, 404, "Not Found", "not-found", "no such route");
}

static void
fleet_write(Fleet *self, GOutputStream *out, const void *data, gsize size)
{
	if (size > 0)
		g_output_stream_write_all(out, data, size, NULL, self->stop, NULL);
}

static void
fleet_handle(Fleet *self, GIOStream *connection)
{
	GInputStream *in = g_io_stream_get_input_stream(connection);
	GOutputStream *out = g_io_stream_get_output_stream(connection);
	g_autofree gchar *head = g_malloc0(HEAD_MAX + 1);
	g_autofree gchar *authorization = NULL;
	g_autofree gchar *content_length = NULL;
	g_autofree gchar *headers = NULL;
	g_autoptr(GByteArray) body = g_byte_array_new();
	g_autoptr(GBytes) body_bytes = NULL;
	gchar method[16] = {0};
	gchar path[512] = {0};
	gsize len = 0;
	gsize want = 0;
	gchar *end;
	Answer answer = {0};

	while ((end = strstr(head, "\r\n\r\n")) == NULL) {
		gssize n;
		if (len >= HEAD_MAX)
			return;
		n = g_input_stream_read(in, head + len, HEAD_MAX - len, self->stop, NULL);
		if (n <= 0)
			return;
		len += (gsize)n;
	}
	if (sscanf(head, "%15s %511s HTTP/1.1", method, path) != 2)
		return;
	authorization = find_header(head, "Authorization");
	content_length = find_header(head, "Content-Length");
	if (content_length != NULL)
		want = (gsize)g_ascii_strtoull(content_length, NULL, 10);
	g_assert_cmpuint(want, <=, BODY_MAX);
	/* what came with the head, then the rest */
	g_byte_array_append(body, (const guint8 *)end + 4, (guint)(len - (gsize)(end + 4 - head)));
	while (body->len < want) {
		guint8 buf[16384];
		gssize n = g_input_stream_read(in, buf, MIN(sizeof(buf), want - body->len), self->stop, NULL);
		if (n <= 0)
			return;
		g_byte_array_append(body, buf, (guint)n);
	}
	body_bytes = g_byte_array_free_to_bytes(g_steal_pointer(&body));

	g_mutex_lock(&self->mutex);
	g_ptr_array_add(self->requests, g_strdup_printf("%s %s", method, path));
	fleet_route(self, method, path, authorization, body_bytes, &answer);
	g_mutex_unlock(&self->mutex);

	headers = g_strdup_printf("HTTP/1.1 %u %s\r\nConnection: close\r\n%s%s%sContent-Length: %" G_GSIZE_FORMAT
				  "\r\n\r\n",
				  answer.status,
				  answer.reason,
				  answer.content_type != NULL ? "Content-Type: " : "",
				  answer.content_type != NULL ? answer.content_type : "",
				  answer.content_type != NULL ? "\r\n" : "",
				  answer.body != NULL ? g_bytes_get_size(answer.body) : 0);
	fleet_write(self, out, headers, strlen(headers));
	if (answer.body != NULL)
		fleet_write(self, out, g_bytes_get_data(answer.body, NULL), g_bytes_get_size(answer.body));
	g_clear_pointer(&answer.body, g_bytes_unref);
}

static gpointer
fleet_thread_cb(gpointer user_data)
{
	Fleet *self = user_data;
	for (;;) {
		g_autoptr(GSocketConnection) connection =
		    g_socket_listener_accept(self->listener, NULL, self->stop, NULL);
		g_autoptr(GIOStream) tls = NULL;
		if (connection == NULL)
			break;
		g_atomic_int_inc(&self->n_connections);
		if (self->certificate == NULL) {
			fleet_handle(self, G_IO_STREAM(connection));
			g_io_stream_close(G_IO_STREAM(connection), NULL, NULL);
			continue;
		}
		tls = g_tls_server_connection_new(G_IO_STREAM(connection), self->certificate, NULL);
		g_assert_nonnull(tls);
		/* fails when the client does not trust the certificate */
		if (g_tls_connection_handshake(G_TLS_CONNECTION(tls), self->stop, NULL))
			fleet_handle(self, tls);
		g_io_stream_close(tls, NULL, NULL);
		g_io_stream_close(G_IO_STREAM(connection), NULL, NULL);
	}
	return NULL;
}

static Fleet *
fleet_new(SuitKey *device_public, GTlsCertificate *certificate)
{
	Fleet *self = g_new0(Fleet, 1);
	g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback(G_SOCKET_FAMILY_IPV4);
	g_autoptr(GSocketAddress) address = g_inet_socket_address_new(loopback, 0);
	g_autoptr(GSocketAddress) effective = NULL;
	g_autoptr(GError) error = NULL;

	g_mutex_init(&self->mutex);
	self->listener = g_socket_listener_new();
	self->stop = g_cancellable_new();
	self->device_keyring = suit_keyring_new();
	suit_keyring_add(self->device_keyring, device_public);
	self->payloads = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, (GDestroyNotify)g_bytes_unref);
	self->requests = g_ptr_array_new_with_free_func(g_free);
	self->checkins = g_ptr_array_new_with_free_func(g_free);
	self->reports = g_ptr_array_new_with_free_func(g_object_unref);
	self->report_nonces = g_ptr_array_new_with_free_func(g_free);
	g_socket_listener_add_address(self->listener,
				      address,
				      G_SOCKET_TYPE_STREAM,
				      G_SOCKET_PROTOCOL_TCP,
				      NULL,
				      &effective,
				      &error);
	g_assert_no_error(error);
	if (certificate != NULL)
		self->certificate = g_object_ref(certificate);
	self->base_uri = g_strdup_printf("%s://127.0.0.1:%u",
					 certificate != NULL ? "https" : "http",
					 g_inet_socket_address_get_port(G_INET_SOCKET_ADDRESS(effective)));
	self->thread = g_thread_new("fleet", fleet_thread_cb, self);
	return self;
}

static void
fleet_free(Fleet *self)
{
	g_cancellable_cancel(self->stop);
	g_thread_join(self->thread);
	g_socket_listener_close(self->listener);
	g_object_unref(self->listener);
	g_object_unref(self->stop);
	g_clear_object(&self->certificate);
	g_object_unref(self->device_keyring);
	g_hash_table_unref(self->payloads);
	g_free(self->manifest);
	g_clear_pointer(&self->envelope, g_bytes_unref);
	g_free(self->nonce);
	g_free(self->member_state);
	g_free(self->manifest_url);
	g_ptr_array_unref(self->requests);
	g_ptr_array_unref(self->checkins);
	g_ptr_array_unref(self->reports);
	g_ptr_array_unref(self->report_nonces);
	g_free(self->base_uri);
	g_mutex_clear(&self->mutex);
	g_free(self);
}

/* opens an install assignment of @envelope */
static void
fleet_assign(Fleet *self, const gchar *manifest, GBytes *envelope)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);
	g_free(self->manifest);
	self->manifest = g_strdup(manifest);
	g_clear_pointer(&self->envelope, g_bytes_unref);
	self->envelope = g_bytes_ref(envelope);
	self->phase = PHASE_INSTALL;
	g_free(self->nonce);
	self->nonce = random_nonce();
	g_free(self->member_state);
	self->member_state = g_strdup("offered");
}

static gchar *
fleet_dup_member_state(Fleet *self)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);
	return g_strdup(self->member_state);
}

static guint
fleet_count_requests(Fleet *self, const gchar *prefix)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&self->mutex);
	guint n = 0;
	for (guint i = 0; i < self->requests->len; i++) {
		if (g_str_has_prefix(g_ptr_array_index(self->requests, i), prefix))
			n++;
	}
	return n;
}

/* fixture ------------------------------------------------------------------ */

typedef struct {
	gchar *tmpdir;
	gchar *store_dir;
	gchar *state_dir;
	SuitKey *author_key;
	SuitKeyring *author_keyring;
	SuitKey *device_key;
	Fleet *fleet;
	SuitStore *store;
	SuitFirmwareConsumer *consumer;
	SuitCommunicator *communicator;
} Fixture;

/* a consumer and communicator over the fixture's store and state directory */
static void
fixture_open(Fixture *fx)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitFetcherSoup) soup = suit_fetcher_soup_new();
	g_autoptr(SuitFetcher) fetcher = NULL;
	g_autoptr(GBytes) vendor = suit_test_bytes_from_hex(VENDOR_HEX);
	g_autoptr(GBytes) class_id = suit_test_bytes_from_hex(CLASS_HEX);

	g_clear_object(&fx->communicator);
	g_clear_object(&fx->consumer);
	g_clear_object(&fx->store);
	fx->store = SUIT_STORE(suit_store_directory_new(fx->store_dir, &error));
	g_assert_no_error(error);
	suit_fetcher_soup_set_max_retries(soup, 0);
	fetcher = suit_communicator_new_fetcher(fx->fleet->base_uri, SUIT_FETCHER(soup), &error);
	g_assert_no_error(error);
	fx->consumer = suit_firmware_consumer_new(fx->author_keyring, fx->store, fetcher);
	suit_firmware_consumer_set_vendor_id(fx->consumer, vendor);
	suit_firmware_consumer_set_class_id(fx->consumer, class_id);
	fx->communicator = suit_communicator_new(fx->consumer, fx->store, fx->fleet->base_uri, TOKEN, &error);
	g_assert_no_error(error);
	g_assert_nonnull(fx->communicator);
	suit_communicator_set_device_key(fx->communicator, fx->device_key);
	suit_communicator_set_state_directory(fx->communicator, fx->state_dir, &error);
	g_assert_no_error(error);
	suit_communicator_set_poll_interval(fx->communicator, 1);
	suit_communicator_set_max_retries(fx->communicator, 3);
}

static void
fixture_setup(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitKey) author_public = NULL;
	g_autoptr(SuitKey) device_public = NULL;

	fx->tmpdir = g_dir_make_tmp("suit-communicator-XXXXXX", &error);
	g_assert_no_error(error);
	fx->store_dir = g_build_filename(fx->tmpdir, "store", NULL);
	fx->state_dir = g_build_filename(fx->tmpdir, "state", NULL);
	fx->author_key = suit_key_generate(SUIT_KEY_TYPE_P256, &error);
	g_assert_no_error(error);
	author_public = suit_key_dup_public(fx->author_key, &error);
	g_assert_no_error(error);
	fx->author_keyring = suit_keyring_new();
	suit_keyring_add(fx->author_keyring, author_public);
	fx->device_key = suit_key_generate(SUIT_KEY_TYPE_P256, &error);
	g_assert_no_error(error);
	device_public = suit_key_dup_public(fx->device_key, &error);
	g_assert_no_error(error);
	fx->fleet = fleet_new(device_public, NULL);
	fixture_open(fx);
}

static void
remove_tree(const gchar *path)
{
	g_autoptr(GDir) dir = g_dir_open(path, 0, NULL);
	const gchar *name;
	if (dir != NULL) {
		while ((name = g_dir_read_name(dir)) != NULL) {
			g_autofree gchar *child = g_build_filename(path, name, NULL);
			if (g_file_test(child, G_FILE_TEST_IS_DIR))
				remove_tree(child);
			else
				g_unlink(child);
		}
	}
	g_rmdir(path);
}

static void
fixture_teardown(Fixture *fx, gconstpointer user_data)
{
	g_clear_object(&fx->communicator);
	g_clear_object(&fx->consumer);
	g_clear_object(&fx->store);
	fleet_free(fx->fleet);
	g_clear_object(&fx->device_key);
	g_clear_object(&fx->author_keyring);
	g_clear_object(&fx->author_key);
	remove_tree(fx->tmpdir);
	g_free(fx->tmpdir);
	g_free(fx->store_dir);
	g_free(fx->state_dir);
}

typedef struct {
	gchar *id;
	GBytes *envelope;
	GBytes *payload;
	gchar *payload_sha256;
} Release;

static void
release_free(Release *release)
{
	g_free(release->id);
	g_bytes_unref(release->envelope);
	g_bytes_unref(release->payload);
	g_free(release->payload_sha256);
	g_free(release);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(Release, release_free)

/* a signed one-component bootable release whose payload the server serves
 * at /payloads/<sha256>, named relative to the server */
static Release *
fixture_release(Fixture *fx, guint64 sequence_number, const gchar *content)
{
	Release *release = g_new0(Release, 1);
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitAuthor) author = suit_author_new();
	g_autoptr(SuitEnvelope) envelope = NULL;
	g_autofree gchar *name = g_strdup_printf("payload-%" G_GUINT64_FORMAT ".bin", sequence_number);
	g_autofree gchar *path = g_build_filename(fx->tmpdir, name, NULL);
	g_autofree gchar *description = NULL;
	g_autofree gchar *payload_path = NULL;

	release->payload = g_bytes_new(content, strlen(content));
	release->payload_sha256 = g_compute_checksum_for_bytes(G_CHECKSUM_SHA256, release->payload);
	g_file_set_contents(path, content, -1, &error);
	g_assert_no_error(error);
	description = g_strdup_printf("{\"manifest-version\": 1, \"manifest-sequence-number\": %" G_GUINT64_FORMAT ","
				      " \"components\": [{\"install-id\": [\"00\"], \"vendor-id\": \"" VENDOR "\","
				      " \"class-id\": \"" CLASS "\", \"file\": \"%s\", \"uri\": \"/payloads/%s\","
				      " \"bootable\": true}]}",
				      sequence_number,
				      path,
				      release->payload_sha256);
	suit_author_add_key(author, fx->author_key, SUIT_COSE_ALGORITHM_NONE, NULL, &error);
	g_assert_no_error(error);
	envelope = suit_author_build_from_description_json(author, description, NULL, &error);
	g_assert_no_error(error);
	release->envelope = suit_envelope_to_bytes(envelope, &error);
	g_assert_no_error(error);
	release->id = suit_digest_to_hex(suit_envelope_get_manifest_digest(envelope));
	payload_path = g_strdup_printf("/payloads/%s", release->payload_sha256);
	g_mutex_lock(&fx->fleet->mutex);
	g_hash_table_replace(fx->fleet->payloads, g_steal_pointer(&payload_path), g_bytes_ref(release->payload));
	g_mutex_unlock(&fx->fleet->mutex);
	return release;
}

/* an envelope of the description @components (a JSON list), signed */
static GBytes *
fixture_envelope(Fixture *fx, guint64 sequence_number, const gchar *components, gchar **id)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitAuthor) author = suit_author_new();
	g_autoptr(SuitEnvelope) envelope = NULL;
	g_autofree gchar *description = NULL;
	GBytes *blob;

	description = g_strdup_printf("{\"manifest-version\": 1, \"manifest-sequence-number\": %" G_GUINT64_FORMAT
				      ", \"components\": %s}",
				      sequence_number,
				      components);
	suit_author_add_key(author, fx->author_key, SUIT_COSE_ALGORITHM_NONE, NULL, &error);
	g_assert_no_error(error);
	envelope = suit_author_build_from_description_json(author, description, NULL, &error);
	g_assert_no_error(error);
	blob = suit_envelope_to_bytes(envelope, &error);
	g_assert_no_error(error);
	*id = suit_digest_to_hex(suit_envelope_get_manifest_digest(envelope));
	return blob;
}

static SuitCommunicatorOutcome
fixture_run_once(Fixture *fx)
{
	g_autoptr(GError) error = NULL;
	SuitCommunicatorOutcome outcome = SUIT_COMMUNICATOR_OUTCOME_NONE;
	gboolean ok = suit_communicator_run_once(fx->communicator, &outcome, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(ok);
	return outcome;
}

/* the single component [h'00'] of the releases */
static SuitComponentId *
component_id(void)
{
	g_autoptr(GBytes) cbor = suit_test_bytes_from_hex("814100");
	g_autoptr(GError) error = NULL;
	SuitComponentId *id = suit_component_id_new_from_cbor(cbor, &error);
	g_assert_no_error(error);
	return id;
}

static SuitStoreImageState
image_state(Fixture *fx)
{
	g_autoptr(SuitComponentId) id = component_id();
	g_autoptr(GError) error = NULL;
	SuitStoreImageState state = SUIT_STORE_IMAGE_STATE_NONE;
	suit_store_get_image_state(fx->store, id, &state, NULL, &error);
	g_assert_no_error(error);
	return state;
}

/* the active image of the component */
static gchar *
active_image(Fixture *fx)
{
	g_autoptr(SuitComponentId) id = component_id();
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = suit_store_read_bytes(fx->store, id, 1024 * 1024, NULL, &error);
	g_assert_no_error(error);
	return g_strndup(g_bytes_get_data(bytes, NULL), g_bytes_get_size(bytes));
}

static gboolean
state_file_exists(Fixture *fx, const gchar *name)
{
	g_autofree gchar *path = g_build_filename(fx->state_dir, name, NULL);
	return g_file_test(path, G_FILE_TEST_EXISTS);
}

static JsonObject *
state_json(Fixture *fx)
{
	g_autofree gchar *path = g_build_filename(fx->state_dir, "state.json", NULL);
	g_autoptr(JsonParser) parser = json_parser_new();
	g_autoptr(GError) error = NULL;
	json_parser_load_from_file(parser, path, &error);
	g_assert_no_error(error);
	return json_object_ref(json_node_get_object(json_parser_get_root(parser)));
}

static SuitReport *
last_report(Fixture *fx)
{
	g_autoptr(GMutexLocker) locker = g_mutex_locker_new(&fx->fleet->mutex);
	g_assert_cmpuint(fx->fleet->reports->len, >, 0);
	return g_object_ref(g_ptr_array_index(fx->fleet->reports, fx->fleet->reports->len - 1));
}

static gchar *
report_ref(SuitReport *report)
{
	return suit_digest_to_hex(suit_report_get_reference_digest(report));
}

/* a release installed, booted and confirmed */
static void
fixture_install_confirmed(Fixture *fx, Release *release)
{
	g_autofree gchar *member = NULL;
	fleet_assign(fx->fleet, release->id, release->envelope);
	g_assert_cmpint(fixture_run_once(fx), ==, SUIT_COMMUNICATOR_OUTCOME_INSTALLED);
	g_assert_cmpint(fixture_run_once(fx), ==, SUIT_COMMUNICATOR_OUTCOME_CONFIRMED);
	member = fleet_dup_member_state(fx->fleet);
	g_assert_cmpstr(member, ==, "succeeded");
}

/* tests -------------------------------------------------------------------- */

static void
test_communicator_new(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	g_autoptr(SuitCommunicator) communicator = NULL;
	g_autoptr(SuitFetcher) fetcher = NULL;
	g_autoptr(SuitFetcher) inner = NULL;
	g_autofree gchar *file = g_build_filename(fx->tmpdir, "a-file", NULL);
	SuitCommunicatorOutcome outcome = SUIT_COMMUNICATOR_OUTCOME_FAILED;
	const gchar *bad_uris[] = {"ftp://127.0.0.1/", "not a uri", "http://", "file:///tmp",
				   "http://user:pw@127.0.0.1/", "http://127.0.0.1/?q=1"};

	for (guint i = 0; i < G_N_ELEMENTS(bad_uris); i++) {
		communicator = suit_communicator_new(fx->consumer, fx->store, bad_uris[i], TOKEN, &error);
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
		g_assert_null(communicator);
		g_clear_error(&error);
	}
	communicator = suit_communicator_new(fx->consumer, fx->store, "http://127.0.0.1:1", "", &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	communicator = suit_communicator_new(fx->consumer, fx->store, "http://127.0.0.1:1", "a\r\nX-Evil: 1", &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	inner = suit_fetcher_new_default();
	fetcher = suit_communicator_new_fetcher("gopher://x", inner, &error);
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
	g_assert_null(fetcher);
	g_clear_error(&error);

	/* defaults and setters */
	communicator = suit_communicator_new(fx->consumer, fx->store, "https://updates.example.com/", TOKEN, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(suit_communicator_get_poll_interval(communicator), ==, 300);
	suit_communicator_set_poll_interval(communicator, 0);
	g_assert_cmpuint(suit_communicator_get_poll_interval(communicator), ==, 1);
	suit_communicator_set_poll_interval(communicator, 60);
	g_assert_cmpuint(suit_communicator_get_poll_interval(communicator), ==, 60);
	suit_communicator_set_jitter(communicator, 7.0);
	suit_communicator_set_jitter(communicator, -1.0);
	suit_communicator_set_health_command(communicator, "true");
	suit_communicator_set_health_command(communicator, NULL);

	/* a state directory and a device key are required */
	g_assert_false(suit_communicator_run_once(communicator, &outcome, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
	g_assert_cmpint(outcome, ==, SUIT_COMMUNICATOR_OUTCOME_NONE);
	g_clear_error(&error);
	g_assert_false(suit_communicator_run(communicator, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	g_file_set_contents(file, "x", -1, &error);
	g_assert_no_error(error);
	g_assert_false(suit_communicator_set_state_directory(communicator, file, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
	g_assert_true(suit_communicator_set_state_directory(communicator, fx->state_dir, &error));
	g_assert_no_error(error);
	g_assert_false(suit_communicator_run_once(communicator, NULL, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);

	/* trust */
	g_assert_false(suit_communicator_set_ca_file(communicator, "/nonexistent/ca.pem", &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND);
	g_clear_error(&error);
	g_assert_false(suit_communicator_set_ca_file(communicator, file, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_ARGUMENT);
	g_clear_error(&error);
}

static void
test_communicator_nothing(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(JsonObject) state = NULL;

	g_assert_cmpint(fixture_run_once(fx), ==, SUIT_COMMUNICATOR_OUTCOME_NONE);
	g_assert_null(suit_communicator_get_manifest(fx->communicator));
	g_assert_cmpuint(fleet_count_requests(fx->fleet, "POST /device/v1/check-in"), ==, 1);
	g_assert_cmpuint(fx->fleet->checkins->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(fx->fleet->checkins, 0), ==, "{\"sequence_number\":null,\"manifest\":null}");
	/* nothing to remember yet */
	g_assert_false(state_file_exists(fx, "state.json"));
	g_assert_false(state_file_exists(fx, "current.suit"));
}

static void
test_communicator_install_confirm(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(Release) release = fixture_release(fx, 1, "firmware version one");
	g_autoptr(SuitReport) report = NULL;
	g_autoptr(JsonObject) state = NULL;
	g_autofree gchar *member = NULL;
	g_autofree gchar *ref = NULL;
	g_autofree gchar *nonce = NULL;
	g_autofree gchar *image = NULL;
	g_autofree gchar *offered_nonce = NULL;
	g_autofree gchar *expected = NULL;

	fleet_assign(fx->fleet, release->id, release->envelope);
	offered_nonce = g_strdup(fx->fleet->nonce);
	g_assert_cmpint(fixture_run_once(fx), ==, SUIT_COMMUNICATOR_OUTCOME_INSTALLED);
	g_assert_cmpstr(suit_communicator_get_manifest(fx->communicator), ==, release->id);

	/* installed, pending, reported with the offer's nonce and the device key */
	g_assert_cmpint(image_state(fx), ==, SUIT_STORE_IMAGE_STATE_PENDING);
	member = fleet_dup_member_state(fx->fleet);
	g_assert_cmpstr(member, ==, "installed");
	g_assert_cmpuint(fx->fleet->reports->len, ==, 1);
	g_assert_cmpstr(g_ptr_array_index(fx->fleet->report_nonces, 0), ==, offered_nonce);
	report = last_report(fx);
	g_assert_true(suit_report_is_success(report));
	nonce = suit_test_bytes_to_hex(suit_report_get_nonce(report));
	g_assert_cmpstr(nonce, ==, offered_nonce);
	ref = report_ref(report);
	g_assert_cmpstr(ref, ==, release->id);
	g_assert_cmpuint(fleet_count_requests(fx->fleet, "GET /device/v1/manifests/"), ==, 1);
	expected = g_strdup_printf("GET /payloads/%s", release->payload_sha256);
	g_assert_cmpuint(fleet_count_requests(fx->fleet, expected), ==, 1);
	state = state_json(fx);
	g_assert_cmpstr(json_object_get_string_member(state, "phase"), ==, "boot-pending");
	g_assert_cmpstr(json_object_get_string_member(state, "pending_manifest"), ==, release->id);
	g_assert_cmpstr(json_object_get_string_member(state, "campaign"), ==, CAMPAIGN);
	g_assert_cmpstr(json_object_get_string_member(state, "nonce"), ==, fx->fleet->nonce);
	g_assert_true(state_file_exists(fx, "pending.suit"));
	g_assert_false(state_file_exists(fx, "report.cose"));
	g_clear_pointer(&state, json_object_unref);

	/* the reboot: invoked, healthy, confirmed */
	g_clear_object(&report);
	g_clear_pointer(&offered_nonce, g_free);
	offered_nonce = g_strdup(fx->fleet->nonce);
	g_assert_cmpint(fixture_run_once(fx), ==, SUIT_COMMUNICATOR_OUTCOME_CONFIRMED);
	g_assert_cmpstr(suit_communicator_get_manifest(fx->communicator), ==, release->id);
	g_assert_cmpint(image_state(fx), ==, SUIT_STORE_IMAGE_STATE_CONFIRMED);
	image = active_image(fx);
	g_assert_cmpstr(image, ==, "firmware version one");
	g_clear_pointer(&member, g_free);
	member = fleet_dup_member_state(fx->fleet);
	g_assert_cmpstr(member, ==, "succeeded");
	report = last_report(fx);
	g_assert_true(suit_report_is_success(report));
	g_clear_pointer(&nonce, g_free);
	nonce = suit_test_bytes_to_hex(suit_report_get_nonce(report));
	g_assert_cmpstr(nonce, ==, offered_nonce);
	state = state_json(fx);
	g_assert_cmpstr(json_object_get_string_member(state, "phase"), ==, "idle");
	g_assert_cmpstr(json_object_get_string_member(state, "manifest"), ==, release->id);
	g_assert_cmpint(json_object_get_int_member(state, "sequence_number"), ==, 1);
	g_assert_true(state_file_exists(fx, "current.suit"));
	g_assert_false(state_file_exists(fx, "pending.suit"));

	/* then nothing, and the check-in names the running manifest */
	g_assert_cmpint(fixture_run_once(fx), ==, SUIT_COMMUNICATOR_OUTCOME_NONE);
	g_assert_cmpstr(suit_communicator_get_manifest(fx->communicator), ==, release->id);
	g_clear_pointer(&expected, g_free);
	expected = g_strdup_printf("{\"sequence_number\":1,\"manifest\":\"%s\"}", release->id);
	g_assert_cmpstr(g_ptr_array_index(fx->fleet->checkins, fx->fleet->checkins->len - 1), ==, expected);
}

static void
test_communicator_fallback(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(Release) v1 = fixture_release(fx, 1, "firmware version one");
	g_autoptr(Release) v2 = fixture_release(fx, 2, "firmware version two, which does not boot");
	g_autoptr(Release) v3 = fixture_release(fx, 3, "firmware version three");
	g_autoptr(SuitReport) report = NULL;
	g_autoptr(JsonObject) state = NULL;
	g_autoptr(SuitComponentId) root = NULL;
	g_autoptr(GError) error = NULL;
	g_autofree gchar *env_file = g_build_filename(fx->tmpdir, "health-env", NULL);
	g_autofree gchar *command = NULL;
	g_autofree gchar *env = NULL;
	g_autofree gchar *expected_env = NULL;
	g_autofree gchar *member = NULL;
	g_autofree gchar *ref = NULL;
	g_autofree gchar *image = NULL;
	guint64 sequence_number = 0;

	fixture_install_confirmed(fx, v1);

	/* v2 installs, but its health check fails */
	command = g_strdup_printf("echo \"$SUIT_AGENT_STORE $SUIT_AGENT_MANIFEST\" > '%s'; exit 1", env_file);
	suit_communicator_set_health_command(fx->communicator, command);
	fleet_assign(fx->fleet, v2->id, v2->envelope);
	g_assert_cmpint(fixture_run_once(fx), ==, SUIT_COMMUNICATOR_OUTCOME_INSTALLED);
	image = active_image(fx);
	g_assert_cmpstr(image, ==, "firmware version two, which does not boot");
	g_assert_cmpint(fixture_run_once(fx), ==, SUIT_COMMUNICATOR_OUTCOME_FELL_BACK);
	g_assert_cmpstr(suit_communicator_get_manifest(fx->communicator), ==, v2->id);

	/* the health command saw the store and the new manifest */
	g_file_get_contents(env_file, &env, NULL, &error);
	g_assert_no_error(error);
	expected_env = g_strdup_printf("%s %s\n", fx->store_dir, v2->id);
	g_assert_cmpstr(env, ==, expected_env);

	/* the old image is active and confirmed; the report names it */
	g_assert_cmpint(image_state(fx), ==, SUIT_STORE_IMAGE_STATE_CONFIRMED);
	g_clear_pointer(&image, g_free);
	image = active_image(fx);
	g_assert_cmpstr(image, ==, "firmware version one");
	member = fleet_dup_member_state(fx->fleet);
	g_assert_cmpstr(member, ==, "fell-back");
	report = last_report(fx);
	g_assert_true(suit_report_is_success(report));
	ref = report_ref(report);
	g_assert_cmpstr(ref, ==, v1->id);
	state = state_json(fx);
	g_assert_cmpstr(json_object_get_string_member(state, "manifest"), ==, v1->id);
	g_assert_cmpint(json_object_get_int_member(state, "sequence_number"), ==, 1);
	g_assert_true(json_object_get_null_member(state, "pending_manifest"));
	g_assert_false(state_file_exists(fx, "pending.suit"));
	/* the old manifest runs again, and so does its sequence number */
	suit_store_get_sequence_number(fx->store, root, &sequence_number, NULL, &error);
	g_assert_no_error(error);
	g_assert_cmpuint(sequence_number, ==, 1);

	/* a later, healthy update goes through */
	suit_communicator_set_health_command(fx->communicator, "test -n \"$SUIT_AGENT_MANIFEST\"");
	fixture_install_confirmed(fx, v3);
	g_clear_pointer(&image, g_free);
	image = active_image(fx);
	g_assert_cmpstr(image, ==, "firmware version three");
}

static void
test_communicator_no_old_image(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(Release) v1 = fixture_release(fx, 1, "firmware that never boots");
	g_autoptr(SuitReport) report = NULL;
	g_autofree gchar *member = NULL;
	g_autofree gchar *ref = NULL;

	/* the first image fails its boot: there is nothing to fall back to */
	suit_communicator_set_health_command(fx->communicator, "false");
	fleet_assign(fx->fleet, v1->id, v1->envelope);
	g_assert_cmpint(fixture_run_once(fx), ==, SUIT_COMMUNICATOR_OUTCOME_INSTALLED);
	g_assert_cmpint(fixture_run_once(fx), ==, SUIT_COMMUNICATOR_OUTCOME_FAILED);
	g_assert_cmpint(image_state(fx), ==, SUIT_STORE_IMAGE_STATE_NONE);
	member = fleet_dup_member_state(fx->fleet);
	g_assert_cmpstr(member, ==, "failed");
	report = last_report(fx);
	g_assert_false(suit_report_is_success(report));
	ref = report_ref(report);
	g_assert_cmpstr(ref, ==, v1->id);
	g_assert_false(state_file_exists(fx, "pending.suit"));
	g_assert_false(state_file_exists(fx, "current.suit"));
}

static void
test_communicator_install_failure(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(Release) v1 = fixture_release(fx, 1, "firmware version one");
	g_autoptr(SuitReport) report = NULL;
	g_autoptr(JsonObject) state = NULL;
	g_autofree gchar *payload_path = g_strdup_printf("/payloads/%s", v1->payload_sha256);
	g_autofree gchar *member = NULL;
	g_autofree gchar *ref = NULL;
	g_autofree gchar *nonce = NULL;
	g_autofree gchar *offered_nonce = NULL;
	g_autoptr(GBytes) garbage = g_bytes_new_static("\xd8\x6b\xa0not an envelope", 18);

	/* the server serves other bytes under the payload's digest */
	g_mutex_lock(&fx->fleet->mutex);
	g_hash_table_replace(fx->fleet->payloads,
			     g_strdup(payload_path),
			     g_bytes_new_static("firmware version ONE", 20));
	g_mutex_unlock(&fx->fleet->mutex);
	fleet_assign(fx->fleet, v1->id, v1->envelope);
	offered_nonce = g_strdup(fx->fleet->nonce);
	g_assert_cmpint(fixture_run_once(fx), ==, SUIT_COMMUNICATOR_OUTCOME_FAILED);
	g_assert_cmpstr(suit_communicator_get_manifest(fx->communicator), ==, v1->id);
	g_assert_cmpint(image_state(fx), ==, SUIT_STORE_IMAGE_STATE_NONE);
	member = fleet_dup_member_state(fx->fleet);
	g_assert_cmpstr(member, ==, "failed");
	report = last_report(fx);
	g_assert_false(suit_report_is_success(report));
	g_assert_cmpint(suit_report_get_result_code(report), ==, SUIT_ERROR_DIGEST_MISMATCH);
	nonce = suit_test_bytes_to_hex(suit_report_get_nonce(report));
	g_assert_cmpstr(nonce, ==, offered_nonce);
	ref = report_ref(report);
	g_assert_cmpstr(ref, ==, v1->id);
	g_assert_false(state_file_exists(fx, "pending.suit"));
	g_assert_false(state_file_exists(fx, "report.cose"));
	state = state_json(fx);
	g_assert_cmpstr(json_object_get_string_member(state, "phase"), ==, "idle");
	g_assert_true(json_object_get_null_member(state, "manifest"));
	g_clear_object(&report);
	g_clear_pointer(&ref, g_free);

	/* an envelope that does not parse is reported against the offered id */
	fleet_assign(fx->fleet, v1->id, garbage);
	g_assert_cmpint(fixture_run_once(fx), ==, SUIT_COMMUNICATOR_OUTCOME_FAILED);
	report = last_report(fx);
	g_assert_false(suit_report_is_success(report));
	ref = report_ref(report);
	g_assert_cmpstr(ref, ==, v1->id);

	/* a two-component release whose second component fails: the first one,
	 * already written, does not stay pending */
	{
		g_autoptr(Release) v0 = fixture_release(fx, 1, "firmware version zero");
		g_autoptr(Release) v2 = fixture_release(fx, 2, "firmware version two");
		g_autoptr(GBytes) envelope = NULL;
		g_autofree gchar *components = NULL;
		g_autofree gchar *id = NULL;
		g_autofree gchar *payload_file = g_build_filename(fx->tmpdir, "payload-2.bin", NULL);
		g_autofree gchar *image = NULL;

		/* payload-1.bin holds v0's payload now, but v1 was never installed */
		fixture_install_confirmed(fx, v0);
		components = g_strdup_printf("[{\"install-id\": [\"00\"], \"vendor-id\": \"" VENDOR "\","
					     " \"class-id\": \"" CLASS "\", \"file\": \"%s\","
					     " \"uri\": \"/payloads/%s\"},"
					     " {\"install-id\": [\"01\"], \"vendor-id\": \"" VENDOR "\","
					     " \"class-id\": \"" CLASS "\", \"install-digest\": \"%s\","
					     " \"install-size\": 20,"
					     " \"uri\": \"/payloads/%s\"}]",
					     payload_file,
					     v2->payload_sha256,
					     v1->payload_sha256,
					     v2->payload_sha256);
		envelope = fixture_envelope(fx, 3, components, &id);
		fleet_assign(fx->fleet, id, envelope);
		g_assert_cmpint(fixture_run_once(fx), ==, SUIT_COMMUNICATOR_OUTCOME_FAILED);
		g_assert_cmpint(image_state(fx), ==, SUIT_STORE_IMAGE_STATE_CONFIRMED);
		image = active_image(fx);
		g_assert_cmpstr(image, ==, "firmware version zero");
	}

	/* another envelope than the one offered */
	{
		g_autoptr(Release) v2 = fixture_release(fx, 2, "firmware version two");
		fleet_assign(fx->fleet, v1->id, v2->envelope);
		g_assert_cmpint(fixture_run_once(fx), ==, SUIT_COMMUNICATOR_OUTCOME_FAILED);
		g_clear_object(&report);
		report = last_report(fx);
		g_assert_false(suit_report_is_success(report));
		g_assert_cmpint(suit_report_get_result_code(report), ==, SUIT_ERROR_DIGEST_MISMATCH);
		g_assert_cmpint(image_state(fx), ==, SUIT_STORE_IMAGE_STATE_CONFIRMED);
	}
}

static void
test_communicator_retry(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	SuitCommunicatorOutcome outcome = SUIT_COMMUNICATOR_OUTCOME_FAILED;
	gint64 start = g_get_monotonic_time();

	/* two 503s, then the answer */
	fx->fleet->fail_503 = 2;
	g_assert_cmpint(fixture_run_once(fx), ==, SUIT_COMMUNICATOR_OUTCOME_NONE);
	g_assert_cmpuint(fleet_count_requests(fx->fleet, "POST /device/v1/check-in"), ==, 3);
	/* a backoff, capped at the poll interval of 1 s */
	g_assert_cmpint(g_get_monotonic_time() - start, >=, 2 * G_USEC_PER_SEC - 100000);

	/* more failures than retries: the round fails */
	g_mutex_lock(&fx->fleet->mutex);
	fx->fleet->fail_503 = 10;
	g_mutex_unlock(&fx->fleet->mutex);
	g_assert_false(suit_communicator_run_once(fx->communicator, &outcome, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_FETCH_FAILED);
	g_assert_cmpuint(fleet_count_requests(fx->fleet, "POST /device/v1/check-in"), ==, 3 + 4);
	g_clear_error(&error);

}

static void
test_communicator_unauthorized(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(GError) error = NULL;
	SuitCommunicatorOutcome outcome = SUIT_COMMUNICATOR_OUTCOME_FAILED;

	fx->fleet->unauthorized = TRUE;
	g_assert_false(suit_communicator_run_once(fx->communicator, &outcome, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_PERMISSION_DENIED);
	g_assert_cmpint(outcome, ==, SUIT_COMMUNICATOR_OUTCOME_NONE);
	/* 4xx is not retried */
	g_assert_cmpuint(fleet_count_requests(fx->fleet, "POST /device/v1/check-in"), ==, 1);
	/* the token never appears in the message */
	g_assert_null(strstr(error->message, TOKEN));
}

static void
test_communicator_forged(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(Release) v1 = fixture_release(fx, 1, "firmware version one");
	g_autoptr(SuitKey) other = NULL;
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) state = NULL;
	SuitCommunicatorOutcome outcome = SUIT_COMMUNICATOR_OUTCOME_NONE;

	/* reports signed with a key the server does not know */
	other = suit_key_generate(SUIT_KEY_TYPE_P256, &error);
	g_assert_no_error(error);
	suit_communicator_set_device_key(fx->communicator, other);
	fleet_assign(fx->fleet, v1->id, v1->envelope);
	g_assert_false(suit_communicator_run_once(fx->communicator, &outcome, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_SIGNATURE_INVALID);
	g_clear_error(&error);
	g_assert_cmpuint(fx->fleet->n_refused_reports, ==, 1);
	g_assert_cmpuint(fx->fleet->reports->len, ==, 0);
	/* a refused report is not posted again */
	g_assert_false(state_file_exists(fx, "report.cose"));
	state = state_json(fx);
	g_assert_cmpstr(json_object_get_string_member(state, "phase"), ==, "boot-pending");
	g_assert_true(json_object_get_null_member(state, "nonce"));
}

static void
test_communicator_restart(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(Release) v1 = fixture_release(fx, 1, "firmware version one");
	g_autofree gchar *member = NULL;

	fleet_assign(fx->fleet, v1->id, v1->envelope);
	g_assert_cmpint(fixture_run_once(fx), ==, SUIT_COMMUNICATOR_OUTCOME_INSTALLED);

	/* a new process: new objects on the same store and state directory */
	fixture_open(fx);
	g_assert_cmpint(fixture_run_once(fx), ==, SUIT_COMMUNICATOR_OUTCOME_CONFIRMED);
	member = fleet_dup_member_state(fx->fleet);
	g_assert_cmpstr(member, ==, "succeeded");
	g_assert_cmpint(image_state(fx), ==, SUIT_STORE_IMAGE_STATE_CONFIRMED);

	fixture_open(fx);
	g_assert_cmpint(fixture_run_once(fx), ==, SUIT_COMMUNICATOR_OUTCOME_NONE);
	g_assert_cmpuint(fx->fleet->checkins->len, >=, 1);
	g_assert_nonnull(strstr(g_ptr_array_index(fx->fleet->checkins, fx->fleet->checkins->len - 1), v1->id));
}

static void
test_communicator_report_pending(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(Release) v1 = fixture_release(fx, 1, "firmware version one");
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) state = NULL;
	g_autoptr(SuitReport) report = NULL;
	g_autofree gchar *member = NULL;
	g_autofree gchar *offered_nonce = NULL;
	g_autofree gchar *nonce = NULL;
	SuitCommunicatorOutcome outcome = SUIT_COMMUNICATOR_OUTCOME_NONE;

	/* installed, but the report cannot be posted: the round fails and the
	 * signed report is kept */
	suit_communicator_set_max_retries(fx->communicator, 0);
	fleet_assign(fx->fleet, v1->id, v1->envelope);
	offered_nonce = g_strdup(fx->fleet->nonce);
	fx->fleet->fail_reports = 1;
	g_assert_false(suit_communicator_run_once(fx->communicator, &outcome, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_FETCH_FAILED);
	g_clear_error(&error);
	member = fleet_dup_member_state(fx->fleet);
	g_assert_cmpstr(member, ==, "offered");
	g_assert_true(state_file_exists(fx, "report.cose"));
	g_assert_true(state_file_exists(fx, "pending.suit"));
	state = state_json(fx);
	g_assert_cmpstr(json_object_get_string_member(state, "phase"), ==, "report-pending");

	/* a new process posts it, with the nonce of the offer */
	fixture_open(fx);
	g_assert_cmpint(fixture_run_once(fx), ==, SUIT_COMMUNICATOR_OUTCOME_INSTALLED);
	g_clear_pointer(&member, g_free);
	member = fleet_dup_member_state(fx->fleet);
	g_assert_cmpstr(member, ==, "installed");
	g_assert_cmpuint(fleet_count_requests(fx->fleet, "GET /device/v1/manifests/"), ==, 1);
	report = last_report(fx);
	nonce = suit_test_bytes_to_hex(suit_report_get_nonce(report));
	g_assert_cmpstr(nonce, ==, offered_nonce);
	g_assert_false(state_file_exists(fx, "report.cose"));
	g_assert_cmpint(fixture_run_once(fx), ==, SUIT_COMMUNICATOR_OUTCOME_CONFIRMED);
}

static void
test_communicator_lost_answer(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(Release) v1 = fixture_release(fx, 1, "firmware version one");
	g_autoptr(GError) error = NULL;
	g_autoptr(JsonObject) state = NULL;
	g_autofree gchar *member = NULL;
	SuitCommunicatorOutcome outcome = SUIT_COMMUNICATOR_OUTCOME_NONE;

	/* the server takes the install report but its answer is lost: the retry
	 * meets a used nonce, and the device learns the next one at check-in */
	fleet_assign(fx->fleet, v1->id, v1->envelope);
	fx->fleet->lose_report_answer = TRUE;
	g_assert_false(suit_communicator_run_once(fx->communicator, &outcome, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_CONFLICT);
	g_clear_error(&error);
	member = fleet_dup_member_state(fx->fleet);
	g_assert_cmpstr(member, ==, "installed");
	state = state_json(fx);
	g_assert_cmpstr(json_object_get_string_member(state, "phase"), ==, "boot-pending");
	g_assert_true(json_object_get_null_member(state, "nonce"));

	g_assert_cmpint(fixture_run_once(fx), ==, SUIT_COMMUNICATOR_OUTCOME_CONFIRMED);
	g_clear_pointer(&member, g_free);
	member = fleet_dup_member_state(fx->fleet);
	g_assert_cmpstr(member, ==, "succeeded");
}

static void
test_communicator_confirm_offer(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(Release) v1 = fixture_release(fx, 1, "firmware version one");
	g_autofree gchar *member = NULL;
	g_autofree gchar *ref = NULL;
	g_autoptr(SuitReport) report = NULL;

	fixture_install_confirmed(fx, v1);
	/* the server asks again how the boot went: the device reports what runs */
	g_mutex_lock(&fx->fleet->mutex);
	fx->fleet->phase = PHASE_CONFIRM;
	g_free(fx->fleet->nonce);
	fx->fleet->nonce = random_nonce();
	g_mutex_unlock(&fx->fleet->mutex);
	g_assert_cmpint(fixture_run_once(fx), ==, SUIT_COMMUNICATOR_OUTCOME_CONFIRMED);
	member = fleet_dup_member_state(fx->fleet);
	g_assert_cmpstr(member, ==, "succeeded");
	report = last_report(fx);
	ref = report_ref(report);
	g_assert_cmpstr(ref, ==, v1->id);
}

static void
test_communicator_bad_offer(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(Release) v1 = fixture_release(fx, 1, "firmware version one");
	g_autoptr(GError) error = NULL;
	SuitCommunicatorOutcome outcome = SUIT_COMMUNICATOR_OUTCOME_NONE;

	/* a manifest url on another origin would receive the token */
	fleet_assign(fx->fleet, v1->id, v1->envelope);
	g_mutex_lock(&fx->fleet->mutex);
	fx->fleet->manifest_url = g_strdup("http://127.0.0.2:1/device/v1/manifests/x");
	g_mutex_unlock(&fx->fleet->mutex);
	g_assert_false(suit_communicator_run_once(fx->communicator, &outcome, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
	g_clear_error(&error);
	g_assert_cmpuint(fx->fleet->reports->len, ==, 0);
	g_assert_cmpint(image_state(fx), ==, SUIT_STORE_IMAGE_STATE_NONE);
}

/* cancels the loop once the fleet saw the update succeed */
static gpointer
cancel_when_done_cb(gpointer user_data)
{
	Fixture *fx = user_data;
	GCancellable *cancellable = g_object_get_data(G_OBJECT(fx->communicator), "test-cancellable");
	for (guint i = 0; i < 600; i++) {
		g_autofree gchar *member = fleet_dup_member_state(fx->fleet);
		if (g_strcmp0(member, "succeeded") == 0)
			break;
		g_usleep(50000);
	}
	g_cancellable_cancel(cancellable);
	return NULL;
}

static void
test_communicator_run(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(Release) v1 = fixture_release(fx, 1, "firmware version one");
	g_autoptr(GCancellable) cancellable = g_cancellable_new();
	g_autoptr(GError) error = NULL;
	g_autofree gchar *member = NULL;
	GThread *thread;

	fleet_assign(fx->fleet, v1->id, v1->envelope);
	suit_communicator_set_jitter(fx->communicator, 0.5);
	g_object_set_data(G_OBJECT(fx->communicator), "test-cancellable", cancellable);
	thread = g_thread_new("cancel", cancel_when_done_cb, fx);
	g_assert_false(suit_communicator_run(fx->communicator, cancellable, &error));
	g_assert_error(error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
	g_thread_join(thread);
	member = fleet_dup_member_state(fx->fleet);
	g_assert_cmpstr(member, ==, "succeeded");
	g_assert_cmpint(image_state(fx), ==, SUIT_STORE_IMAGE_STATE_CONFIRMED);
}

static void
test_communicator_fetcher(Fixture *fx, gconstpointer user_data)
{
	g_autoptr(Release) v1 = fixture_release(fx, 1, "firmware version one");
	g_autoptr(SuitFetcher) fetcher = NULL;
	g_autoptr(SuitFetcherSoup) soup = suit_fetcher_soup_new();
	g_autoptr(GError) error = NULL;
	g_autoptr(GBytes) bytes = NULL;
	g_autofree gchar *relative = g_strdup_printf("/payloads/%s", v1->payload_sha256);
	g_autofree gchar *absolute = g_strconcat(fx->fleet->base_uri, relative, NULL);

	fetcher = suit_communicator_new_fetcher(fx->fleet->base_uri, SUIT_FETCHER(soup), &error);
	g_assert_no_error(error);
	g_assert_true(suit_fetcher_supports_uri(fetcher, relative));
	g_assert_true(suit_fetcher_supports_uri(fetcher, absolute));
	g_assert_false(suit_fetcher_supports_uri(fetcher, "ftp://127.0.0.1/x"));
	bytes = suit_fetcher_fetch_bytes(fetcher, relative, 1024, SUIT_FETCH_FLAG_NONE, NULL, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(bytes, v1->payload));
	g_clear_pointer(&bytes, g_bytes_unref);
	bytes = suit_fetcher_fetch_bytes(fetcher, absolute, 1024, SUIT_FETCH_FLAG_NONE, NULL, NULL, &error);
	g_assert_no_error(error);
	g_assert_true(g_bytes_equal(bytes, v1->payload));
}

static void
test_communicator_corrupt_state(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *path = g_build_filename(fx->state_dir, "state.json", NULL);
	g_autoptr(GError) error = NULL;
	SuitCommunicatorOutcome outcome = SUIT_COMMUNICATOR_OUTCOME_NONE;
	const gchar *bad[] = {"not json", "[]", "{\"phase\":\"flying\"}", "{\"nonce\":\"xyz\"}", "{\"sequence_number\":-4}"};

	for (guint i = 0; i < G_N_ELEMENTS(bad); i++) {
		g_file_set_contents(path, bad[i], -1, &error);
		g_assert_no_error(error);
		g_assert_false(suit_communicator_run_once(fx->communicator, &outcome, NULL, &error));
		g_assert_error(error, SUIT_ERROR, SUIT_ERROR_INVALID_DATA);
		g_clear_error(&error);
	}
	/* nothing was sent with a state it could not read */
	g_assert_cmpuint(fx->fleet->requests->len, ==, 0);
}

/* a self-signed certificate for 127.0.0.1: PEM of the certificate, and of
 * the certificate and its key */
static void
make_certificate(gchar **cert_pem, gchar **cert_and_key_pem)
{
	gnutls_x509_privkey_t key = NULL;
	gnutls_x509_crt_t crt = NULL;
	gnutls_datum_t crt_out = {NULL, 0};
	gnutls_datum_t key_out = {NULL, 0};
	const guint8 address[4] = {127, 0, 0, 1};
	const guint8 serial[2] = {0x51, 0x17};
	time_t now = time(NULL);

	g_assert_cmpint(gnutls_x509_privkey_init(&key), ==, 0);
	g_assert_cmpint(gnutls_x509_privkey_generate(key, GNUTLS_PK_ECDSA, GNUTLS_CURVE_TO_BITS(GNUTLS_ECC_CURVE_SECP256R1), 0),
			==,
			0);
	g_assert_cmpint(gnutls_x509_crt_init(&crt), ==, 0);
	g_assert_cmpint(gnutls_x509_crt_set_version(crt, 3), ==, 0);
	g_assert_cmpint(gnutls_x509_crt_set_serial(crt, serial, sizeof(serial)), ==, 0);
	g_assert_cmpint(gnutls_x509_crt_set_activation_time(crt, now - 600), ==, 0);
	g_assert_cmpint(gnutls_x509_crt_set_expiration_time(crt, now + 3600), ==, 0);
	g_assert_cmpint(gnutls_x509_crt_set_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, "127.0.0.1", 9), ==, 0);
	g_assert_cmpint(gnutls_x509_crt_set_subject_alt_name(crt,
							     GNUTLS_SAN_IPADDRESS,
							     address,
							     sizeof(address),
							     GNUTLS_FSAN_SET),
			==,
			0);
	g_assert_cmpint(gnutls_x509_crt_set_basic_constraints(crt, 1, -1), ==, 0);
	g_assert_cmpint(gnutls_x509_crt_set_key_usage(crt, GNUTLS_KEY_DIGITAL_SIGNATURE | GNUTLS_KEY_KEY_CERT_SIGN),
			==,
			0);
	g_assert_cmpint(gnutls_x509_crt_set_key(crt, key), ==, 0);
	g_assert_cmpint(gnutls_x509_crt_sign2(crt, crt, key, GNUTLS_DIG_SHA256, 0), ==, 0);
	g_assert_cmpint(gnutls_x509_crt_export2(crt, GNUTLS_X509_FMT_PEM, &crt_out), ==, 0);
	g_assert_cmpint(gnutls_x509_privkey_export2(key, GNUTLS_X509_FMT_PEM, &key_out), ==, 0);
	*cert_pem = g_strndup((const gchar *)crt_out.data, crt_out.size);
	*cert_and_key_pem =
	    g_strdup_printf("%.*s%.*s", (gint)crt_out.size, crt_out.data, (gint)key_out.size, key_out.data);
	gnutls_free(crt_out.data);
	gnutls_free(key_out.data);
	gnutls_x509_crt_deinit(crt);
	gnutls_x509_privkey_deinit(key);
}

static void
test_communicator_tls(Fixture *fx, gconstpointer user_data)
{
	g_autofree gchar *cert_pem = NULL;
	g_autofree gchar *both_pem = NULL;
	g_autofree gchar *ca_file = g_build_filename(fx->tmpdir, "ca.pem", NULL);
	g_autoptr(GTlsCertificate) certificate = NULL;
	g_autoptr(SuitKey) device_public = NULL;
	g_autoptr(GError) error = NULL;
	SuitCommunicatorOutcome outcome = SUIT_COMMUNICATOR_OUTCOME_FAILED;
	Fleet *plain = fx->fleet;

	make_certificate(&cert_pem, &both_pem);
	certificate = g_tls_certificate_new_from_pem(both_pem, -1, &error);
	g_assert_no_error(error);
	g_file_set_contents(ca_file, cert_pem, -1, &error);
	g_assert_no_error(error);
	device_public = suit_key_dup_public(fx->device_key, &error);
	g_assert_no_error(error);
	fx->fleet = fleet_new(device_public, certificate);
	fleet_free(plain);
	fixture_open(fx);
	g_assert_true(g_str_has_prefix(fx->fleet->base_uri, "https://"));

	/* not trusted: refused at once, without retries */
	g_assert_false(suit_communicator_run_once(fx->communicator, &outcome, NULL, &error));
	g_assert_error(error, SUIT_ERROR, SUIT_ERROR_FETCH_FAILED);
	g_clear_error(&error);
	g_assert_cmpint(g_atomic_int_get(&fx->fleet->n_connections), ==, 1);
	g_assert_cmpuint(fleet_count_requests(fx->fleet, "POST"), ==, 0);

	/* trusted through the CA file */
	suit_communicator_set_ca_file(fx->communicator, ca_file, &error);
	g_assert_no_error(error);
	g_assert_cmpint(fixture_run_once(fx), ==, SUIT_COMMUNICATOR_OUTCOME_NONE);
	g_assert_cmpuint(fleet_count_requests(fx->fleet, "POST /device/v1/check-in"), ==, 1);
}

int
main(int argc, char **argv)
{
	g_test_init(&argc, &argv, NULL);
	g_setenv("no_proxy", "127.0.0.1", TRUE);
	g_unsetenv("http_proxy");
	g_unsetenv("HTTP_PROXY");
	g_test_add("/suit/communicator/new", Fixture, NULL, fixture_setup, test_communicator_new, fixture_teardown);
	g_test_add("/suit/communicator/fetcher", Fixture, NULL, fixture_setup, test_communicator_fetcher, fixture_teardown);
	g_test_add("/suit/communicator/nothing", Fixture, NULL, fixture_setup, test_communicator_nothing, fixture_teardown);
	g_test_add("/suit/communicator/install-confirm",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_communicator_install_confirm,
		   fixture_teardown);
	g_test_add("/suit/communicator/fallback", Fixture, NULL, fixture_setup, test_communicator_fallback, fixture_teardown);
	g_test_add("/suit/communicator/no-old-image",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_communicator_no_old_image,
		   fixture_teardown);
	g_test_add("/suit/communicator/install-failure",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_communicator_install_failure,
		   fixture_teardown);
	g_test_add("/suit/communicator/retry", Fixture, NULL, fixture_setup, test_communicator_retry, fixture_teardown);
	g_test_add("/suit/communicator/unauthorized",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_communicator_unauthorized,
		   fixture_teardown);
	g_test_add("/suit/communicator/forged", Fixture, NULL, fixture_setup, test_communicator_forged, fixture_teardown);
	g_test_add("/suit/communicator/restart", Fixture, NULL, fixture_setup, test_communicator_restart, fixture_teardown);
	g_test_add("/suit/communicator/report-pending",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_communicator_report_pending,
		   fixture_teardown);
	g_test_add("/suit/communicator/lost-answer",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_communicator_lost_answer,
		   fixture_teardown);
	g_test_add("/suit/communicator/confirm-offer",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_communicator_confirm_offer,
		   fixture_teardown);
	g_test_add("/suit/communicator/bad-offer", Fixture, NULL, fixture_setup, test_communicator_bad_offer, fixture_teardown);
	g_test_add("/suit/communicator/corrupt-state",
		   Fixture,
		   NULL,
		   fixture_setup,
		   test_communicator_corrupt_state,
		   fixture_teardown);
	g_test_add("/suit/communicator/tls", Fixture, NULL, fixture_setup, test_communicator_tls, fixture_teardown);
	g_test_add("/suit/communicator/run", Fixture, NULL, fixture_setup, test_communicator_run, fixture_teardown);
	return g_test_run();
}
