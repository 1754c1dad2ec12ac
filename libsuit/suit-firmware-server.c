/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "suit-command.h"
#include "suit-component-id.h"
#include "suit-envelope.h"
#include "suit-error.h"
#include "suit-file-private.h"
#include "suit-firmware-server.h"
#include "suit-manifest.h"
#include "suit-model-private.h"

/**
 * SuitFirmwareServer:
 *
 * The Firmware Server role: a catalogue of payloads and of the envelopes
 * that describe them, with no HTTP of its own.
 *
 * Payloads are content-addressed: a payload is stored once, under the
 * lower case hex of its SHA-256 digest, as
 * `<directory>/payloads/<first two hex digits>/<digest>`. Stored payloads
 * never change, so any HTTP cache or CDN may keep them forever. Writing
 * streams the bytes into a temporary file in `<directory>/tmp` while hashing
 * them, in chunks of 64 KiB, then fsyncs it and renames it into place;
 * reading hands out a stream over any byte range of the file. Memory use
 * never grows with the size of a payload.
 *
 * Envelopes are accepted only when they verify against the trusted keyring
 * (the server never needs an author's private key). The envelope is stored
 * as it was uploaded in `<directory>/envelopes/<manifest id>.suit`, and a
 * JSON summary of its manifest (sequence number, vendor and class id, and
 * per component the image digest, size and URI) in the `manifests`
 * collection of a [iface@Database], indexed by `vendor:<uuid>` and
 * `class:<uuid>`. The manifest id is the lower case hex of the SHA-256
 * manifest digest, the one a SUIT report refers to.
 *
 * Every method may be called from several threads at once.
 *
 * See also: [iface@Database], [class@Envelope], [class@StatusTracker]
 */

#define SUIT_FIRMWARE_SERVER_CHUNK_SIZE	   (64 * 1024)
#define SUIT_FIRMWARE_SERVER_MAX_ENVELOPE  (1024 * 1024)
#define SUIT_FIRMWARE_SERVER_MAX_BYTES	   (64 * 1024 * 1024)
#define SUIT_FIRMWARE_SERVER_DIGEST_LEN	   64 /* hex of SHA-256 */
#define SUIT_FIRMWARE_SERVER_MAX_NESTING   16
#define SUIT_FIRMWARE_SERVER_COLLECTION	   "manifests"

/* SUIT parameters and commands read to summarize a manifest */
#define SUIT_FIRMWARE_SERVER_PARAM_VENDOR_ID	1
#define SUIT_FIRMWARE_SERVER_PARAM_CLASS_ID	2
#define SUIT_FIRMWARE_SERVER_PARAM_IMAGE_DIGEST 3
#define SUIT_FIRMWARE_SERVER_PARAM_IMAGE_SIZE	14
#define SUIT_FIRMWARE_SERVER_PARAM_URI		21
#define SUIT_FIRMWARE_SERVER_CMD_COMPONENT_INDEX 12
#define SUIT_FIRMWARE_SERVER_CMD_TRY_EACH	 15
#define SUIT_FIRMWARE_SERVER_CMD_SET_PARAMS	 19
#define SUIT_FIRMWARE_SERVER_CMD_OVERRIDE_PARAMS 20
#define SUIT_FIRMWARE_SERVER_CMD_RUN_SEQUENCE	 32

struct _SuitFirmwareServer {
	GObject parent_instance;
	gchar *directory;
	gchar *payloads_dir;
	gchar *envelopes_dir;
	gchar *tmp_dir;
	SuitDatabase *database;
	SuitKeyring *keyring;
};

G_DEFINE_TYPE(SuitFirmwareServer, suit_firmware_server, G_TYPE_OBJECT)

/* a stream over a byte range of a file --------------------------------------- */

#define SUIT_TYPE_FIRMWARE_SERVER_RANGE (suit_firmware_server_range_get_type())
G_DECLARE_FINAL_TYPE(SuitFirmwareServerRange,
		     suit_firmware_server_range,
		     SUIT,
		     FIRMWARE_SERVER_RANGE,
		     GInputStream)

struct _SuitFirmwareServerRange {
	GInputStream parent_instance;
	gint fd;
	guint64 position;  /* the file offset of the next byte */
	guint64 remaining; /* bytes left in the range */
};

G_DEFINE_TYPE(SuitFirmwareServerRange, suit_firmware_server_range, G_TYPE_INPUT_STREAM)

static gssize
suit_firmware_server_range_read_fn(GInputStream *stream,
				   void *buffer,
				   gsize count,
				   GCancellable *cancellable,
				   GError **error)
{
	SuitFirmwareServerRange *self = SUIT_FIRMWARE_SERVER_RANGE(stream);
	gsize want = (gsize)MIN((guint64)count, self->remaining);
	gssize n;

	if (g_cancellable_set_error_if_cancelled(cancellable, error))
		return -1;
	if (want == 0)
		return 0;
	if (want > G_MAXSSIZE)
		want = G_MAXSSIZE;
	do {
		n = pread(self->fd, buffer, want, (off_t)self->position);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		gint errsv = errno;
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INTERNAL,
			    "failed to read the payload: %s",
			    g_strerror(errsv));
		return -1;
	}
	if (n == 0) {
		/* stored payloads never change: this is damage on disk */
		g_set_error_literal(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INTERNAL,
				    "the payload file is shorter than when it was opened");
		return -1;
	}
	self->position += (guint64)n;
	self->remaining -= (guint64)n;
	return n;
}

static gssize
suit_firmware_server_range_skip(GInputStream *stream,
				gsize count,
				GCancellable *cancellable,
				GError **error)
{
	SuitFirmwareServerRange *self = SUIT_FIRMWARE_SERVER_RANGE(stream);
	guint64 n = MIN((guint64)count, self->remaining);

	if (g_cancellable_set_error_if_cancelled(cancellable, error))
		return -1;
	n = MIN(n, (guint64)G_MAXSSIZE);
	self->position += n;
	self->remaining -= n;
	return (gssize)n;
}

static gboolean
suit_firmware_server_range_close_fn(GInputStream *stream, GCancellable *cancellable, GError **error)
{
	SuitFirmwareServerRange *self = SUIT_FIRMWARE_SERVER_RANGE(stream);
	gint fd = self->fd;

	self->fd = -1;
	if (fd >= 0 && close(fd) != 0) {
		gint errsv = errno;
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INTERNAL,
			    "failed to close the payload: %s",
			    g_strerror(errsv));
		return FALSE;
	}
	return TRUE;
}

static void
suit_firmware_server_range_finalize(GObject *object)
{
	SuitFirmwareServerRange *self = SUIT_FIRMWARE_SERVER_RANGE(object);
	if (self->fd >= 0)
		close(self->fd);
	G_OBJECT_CLASS(suit_firmware_server_range_parent_class)->finalize(object);
}

static void
suit_firmware_server_range_class_init(SuitFirmwareServerRangeClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS(klass);
	object_class->finalize = suit_firmware_server_range_finalize;
	stream_class->read_fn = suit_firmware_server_range_read_fn;
	stream_class->skip = suit_firmware_server_range_skip;
	stream_class->close_fn = suit_firmware_server_range_close_fn;
}

static void
suit_firmware_server_range_init(SuitFirmwareServerRange *self)
{
	self->fd = -1;
}

/* takes ownership of @fd */
static GInputStream *
suit_firmware_server_range_new(gint fd, guint64 offset, guint64 length)
{
	SuitFirmwareServerRange *self = g_object_new(SUIT_TYPE_FIRMWARE_SERVER_RANGE, NULL);
	self->fd = fd;
	self->position = offset;
	self->remaining = length;
	return G_INPUT_STREAM(self);
}

/* helpers --------------------------------------------------------------------- */

/* a file descriptor closed when it goes out of scope */
typedef struct {
	gint fd;
} SuitFirmwareServerFd;

static void
suit_firmware_server_fd_clear(SuitFirmwareServerFd *fd)
{
	if (fd->fd >= 0)
		close(fd->fd);
	fd->fd = -1;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SuitFirmwareServerFd, suit_firmware_server_fd_clear)

/* a temporary file, deleted when it goes out of scope unless stolen */
typedef struct {
	gint fd;
	gchar *path; /* (nullable) */
} SuitFirmwareServerTmp;

static void
suit_firmware_server_tmp_clear(SuitFirmwareServerTmp *tmp)
{
	if (tmp->fd >= 0)
		close(tmp->fd);
	tmp->fd = -1;
	if (tmp->path != NULL) {
		if (g_unlink(tmp->path) != 0 && errno != ENOENT)
			g_warning("failed to delete %s: %s", tmp->path, g_strerror(errno));
		g_clear_pointer(&tmp->path, g_free);
	}
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC(SuitFirmwareServerTmp, suit_firmware_server_tmp_clear)

static gboolean
suit_firmware_server_is_id(const gchar *id)
{
	gsize i;
	if (id == NULL)
		return FALSE;
	for (i = 0; id[i] != '\0'; i++) {
		if (i >= SUIT_FIRMWARE_SERVER_DIGEST_LEN)
			return FALSE;
		if (!g_ascii_isdigit(id[i]) && !(id[i] >= 'a' && id[i] <= 'f'))
			return FALSE;
	}
	return i == SUIT_FIRMWARE_SERVER_DIGEST_LEN;
}

static gboolean
suit_firmware_server_check_id(const gchar *id, const gchar *what, GError **error)
{
	if (!suit_firmware_server_is_id(id)) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "invalid %s: expected 64 lower case hex digits",
			    what);
		return FALSE;
	}
	return TRUE;
}

static gboolean
suit_firmware_server_fsync_dir(const gchar *path, GError **error)
{
	g_auto(SuitFirmwareServerFd) dir = {-1};

	dir.fd = g_open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	if (dir.fd < 0 || fsync(dir.fd) != 0) {
		gint errsv = errno;
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_WRITE_FAILED,
			    "failed to sync %s: %s",
			    path,
			    g_strerror(errsv));
		return FALSE;
	}
	return TRUE;
}

/* creates @path (one level) when missing; TRUE if it is a directory afterwards */
static gboolean
suit_firmware_server_ensure_dir(const gchar *path, gint mode, gboolean *created, GError **error)
{
	struct stat st = {0};

	if (created != NULL)
		*created = FALSE;
	if (g_mkdir(path, mode) == 0) {
		if (created != NULL)
			*created = TRUE;
		return TRUE;
	}
	if (errno == EEXIST && g_stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return TRUE;
	if (errno == EEXIST) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_WRITE_FAILED,
			    "failed to create %s: not a directory",
			    path);
		return FALSE;
	}
	g_set_error(error,
		    SUIT_ERROR,
		    SUIT_ERROR_WRITE_FAILED,
		    "failed to create %s: %s",
		    path,
		    g_strerror(errno));
	return FALSE;
}

static gboolean
suit_firmware_server_write_all(gint fd, const guint8 *data, gsize len, GError **error)
{
	gsize done = 0;
	while (done < len) {
		gssize n = write(fd, data + done, len - done);
		if (n < 0) {
			gint errsv = errno;
			if (errsv == EINTR)
				continue;
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_WRITE_FAILED,
				    "failed to write: %s",
				    g_strerror(errsv));
			return FALSE;
		}
		done += (gsize)n;
	}
	return TRUE;
}

static gboolean
suit_firmware_server_tmp_open(SuitFirmwareServer *self,
			      const gchar *prefix,
			      SuitFirmwareServerTmp *tmp,
			      GError **error)
{
	g_autofree gchar *template = g_strdup_printf("%s-XXXXXX", prefix);
	g_autofree gchar *path = g_build_filename(self->tmp_dir, template, NULL);
	gint fd = g_mkstemp_full(path, O_RDWR | O_CLOEXEC, 0600);

	if (fd < 0) {
		gint errsv = errno;
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_WRITE_FAILED,
			    "failed to create a file in %s: %s",
			    self->tmp_dir,
			    g_strerror(errsv));
		return FALSE;
	}
	tmp->fd = fd;
	tmp->path = g_steal_pointer(&path);
	return TRUE;
}

/* fsyncs and closes the temporary file; it stays on disk */
static gboolean
suit_firmware_server_tmp_finish(SuitFirmwareServerTmp *tmp, GError **error)
{
	gint fd = tmp->fd;

	tmp->fd = -1;
	/* payloads are public: readable by a web server of another user */
	if (fchmod(fd, 0644) != 0)
		g_debug("failed to make %s readable: %s", tmp->path, g_strerror(errno));
	if (fsync(fd) != 0) {
		gint errsv = errno;
		close(fd);
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_WRITE_FAILED,
			    "failed to sync %s: %s",
			    tmp->path,
			    g_strerror(errsv));
		return FALSE;
	}
	if (close(fd) != 0) {
		gint errsv = errno;
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_WRITE_FAILED,
			    "failed to close %s: %s",
			    tmp->path,
			    g_strerror(errsv));
		return FALSE;
	}
	return TRUE;
}

static gchar *
suit_firmware_server_payload_path(SuitFirmwareServer *self, const gchar *digest)
{
	gchar shard[3] = {digest[0], digest[1], '\0'};
	return g_build_filename(self->payloads_dir, shard, digest, NULL);
}

static gchar *
suit_firmware_server_envelope_path(SuitFirmwareServer *self, const gchar *id)
{
	g_autofree gchar *name = g_strdup_printf("%s.suit", id);
	return g_build_filename(self->envelopes_dir, name, NULL);
}

/* moves the finished temporary file @src to the payload @digest, or drops it
 * when that payload exists already; @src is gone afterwards in both cases */
static gboolean
suit_firmware_server_commit_payload(SuitFirmwareServer *self,
				    const gchar *src,
				    const gchar *digest,
				    GError **error)
{
	gboolean created = FALSE;
	struct stat st = {0};
	gchar shard[3] = {digest[0], digest[1], '\0'};
	g_autofree gchar *shard_dir = g_build_filename(self->payloads_dir, shard, NULL);
	g_autofree gchar *path = suit_firmware_server_payload_path(self, digest);

	if (g_lstat(path, &st) == 0 && S_ISREG(st.st_mode)) {
		/* content-addressed: the stored copy has the same bytes */
		if (g_unlink(src) != 0 && errno != ENOENT)
			g_warning("failed to delete %s: %s", src, g_strerror(errno));
		return TRUE;
	}
	if (!suit_firmware_server_ensure_dir(shard_dir, 0755, &created, error))
		return FALSE;
	if (created && !suit_firmware_server_fsync_dir(self->payloads_dir, error))
		return FALSE;
	if (g_rename(src, path) != 0) {
		gint errsv = errno;
		g_set_error(error,
			    SUIT_ERROR,
			    errsv == EXDEV ? SUIT_ERROR_INVALID_ARGUMENT : SUIT_ERROR_WRITE_FAILED,
			    "failed to move %s to %s: %s",
			    src,
			    path,
			    g_strerror(errsv));
		return FALSE;
	}
	return suit_firmware_server_fsync_dir(shard_dir, error);
}

static gchar *
suit_firmware_server_checksum_hex(GChecksum *checksum)
{
	return g_strdup(g_checksum_get_string(checksum));
}

/* removes what an interrupted upload left in tmp */
static void
suit_firmware_server_clean_tmp(SuitFirmwareServer *self)
{
	const gchar *name;
	g_autoptr(GDir) dir = g_dir_open(self->tmp_dir, 0, NULL);

	if (dir == NULL)
		return;
	while ((name = g_dir_read_name(dir)) != NULL) {
		g_autofree gchar *path = g_build_filename(self->tmp_dir, name, NULL);
		struct stat st = {0};
		if (g_lstat(path, &st) != 0 || S_ISDIR(st.st_mode))
			continue;
		g_debug("removing stale temporary file %s", path);
		if (g_unlink(path) != 0)
			g_warning("failed to delete %s: %s", path, g_strerror(errno));
	}
}

/* object ---------------------------------------------------------------------- */

static void
suit_firmware_server_dispose(GObject *object)
{
	SuitFirmwareServer *self = SUIT_FIRMWARE_SERVER(object);
	g_clear_object(&self->database);
	g_clear_object(&self->keyring);
	G_OBJECT_CLASS(suit_firmware_server_parent_class)->dispose(object);
}

static void
suit_firmware_server_finalize(GObject *object)
{
	SuitFirmwareServer *self = SUIT_FIRMWARE_SERVER(object);
	g_free(self->directory);
	g_free(self->payloads_dir);
	g_free(self->envelopes_dir);
	g_free(self->tmp_dir);
	G_OBJECT_CLASS(suit_firmware_server_parent_class)->finalize(object);
}

static void
suit_firmware_server_class_init(SuitFirmwareServerClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	object_class->dispose = suit_firmware_server_dispose;
	object_class->finalize = suit_firmware_server_finalize;
}

static void
suit_firmware_server_init(SuitFirmwareServer *self)
{
}

/**
 * suit_firmware_server_new:
 * @directory: the directory that holds payloads and envelopes
 * @database: the database that holds the manifest summaries
 * @trusted: the keys of the trusted authors
 * @error: return location for a #GError, or %NULL
 *
 * Opens the catalogue in @directory. The directory and its subdirectories
 * `payloads`, `envelopes` and `tmp` (mode 0700) are created when missing,
 * and files an interrupted upload left in `tmp` are removed, so a directory
 * should be used by one server process at a time.
 *
 * The server keeps a reference to @database and to @trusted; keys added to
 * @trusted later are trusted too, but the keyring must not change while
 * another thread uploads an envelope.
 *
 * Returns: (transfer full): a new #SuitFirmwareServer, or %NULL with
 *   %SUIT_ERROR_WRITE_FAILED when the directories cannot be created
 *
 * Since: 0.1
 */
SuitFirmwareServer *
suit_firmware_server_new(const gchar *directory,
			 SuitDatabase *database,
			 SuitKeyring *trusted,
			 GError **error)
{
	g_autoptr(SuitFirmwareServer) self = NULL;

	g_return_val_if_fail(directory != NULL && directory[0] != '\0', NULL);
	g_return_val_if_fail(SUIT_IS_DATABASE(database), NULL);
	g_return_val_if_fail(SUIT_IS_KEYRING(trusted), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	self = g_object_new(SUIT_TYPE_FIRMWARE_SERVER, NULL);
	self->directory = g_strdup(directory);
	self->payloads_dir = g_build_filename(directory, "payloads", NULL);
	self->envelopes_dir = g_build_filename(directory, "envelopes", NULL);
	self->tmp_dir = g_build_filename(directory, "tmp", NULL);
	self->database = g_object_ref(database);
	self->keyring = g_object_ref(trusted);

	if (g_mkdir_with_parents(directory, 0755) != 0) {
		gint errsv = errno;
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_WRITE_FAILED,
			    "failed to create %s: %s",
			    directory,
			    g_strerror(errsv));
		return NULL;
	}
	if (!suit_firmware_server_ensure_dir(self->payloads_dir, 0755, NULL, error) ||
	    !suit_firmware_server_ensure_dir(self->envelopes_dir, 0755, NULL, error) ||
	    !suit_firmware_server_ensure_dir(self->tmp_dir, 0700, NULL, error))
		return NULL;
	if (g_chmod(self->tmp_dir, 0700) != 0) {
		gint errsv = errno;
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_WRITE_FAILED,
			    "failed to protect %s: %s",
			    self->tmp_dir,
			    g_strerror(errsv));
		return NULL;
	}
	suit_firmware_server_clean_tmp(self);
	return g_steal_pointer(&self);
}

/**
 * suit_firmware_server_get_directory:
 * @self: a #SuitFirmwareServer
 *
 * Gets the directory of the catalogue. Uploads that are streamed to disk
 * before suit_firmware_server_import_payload() belong in its `tmp`
 * subdirectory.
 *
 * Returns: (transfer none): a path
 *
 * Since: 0.1
 */
const gchar *
suit_firmware_server_get_directory(SuitFirmwareServer *self)
{
	g_return_val_if_fail(SUIT_IS_FIRMWARE_SERVER(self), NULL);
	return self->directory;
}

/**
 * suit_firmware_server_get_keyring:
 * @self: a #SuitFirmwareServer
 *
 * Gets the keys of the trusted authors.
 *
 * Returns: (transfer none): a #SuitKeyring
 *
 * Since: 0.1
 */
SuitKeyring *
suit_firmware_server_get_keyring(SuitFirmwareServer *self)
{
	g_return_val_if_fail(SUIT_IS_FIRMWARE_SERVER(self), NULL);
	return self->keyring;
}

/* payloads -------------------------------------------------------------------- */

/**
 * suit_firmware_server_add_payload:
 * @self: a #SuitFirmwareServer
 * @stream: the payload
 * @max_size: the largest payload accepted, or 0 for no limit
 * @size: (out) (optional): the size of the payload
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError, or %NULL
 *
 * Stores a payload, read from @stream to its end in chunks while it is
 * hashed, so memory use does not depend on its size. A payload that is
 * stored already is kept once. @stream is not closed.
 *
 * On any failure, including cancellation, nothing is left on disk.
 *
 * Returns: (transfer full): the SHA-256 digest of the payload as lower case
 *   hex, or %NULL with %SUIT_ERROR_LIMIT_EXCEEDED when it is larger than
 *   @max_size, %SUIT_ERROR_FETCH_FAILED when @stream fails,
 *   %SUIT_ERROR_WRITE_FAILED, or %G_IO_ERROR_CANCELLED
 *
 * Since: 0.1
 */
gchar *
suit_firmware_server_add_payload(SuitFirmwareServer *self,
				 GInputStream *stream,
				 guint64 max_size,
				 guint64 *size,
				 GCancellable *cancellable,
				 GError **error)
{
	guint64 total = 0;
	g_autofree guint8 *buf = NULL;
	g_autofree gchar *digest = NULL;
	g_autoptr(GChecksum) checksum = NULL;
	g_auto(SuitFirmwareServerTmp) tmp = {-1, NULL};

	g_return_val_if_fail(SUIT_IS_FIRMWARE_SERVER(self), NULL);
	g_return_val_if_fail(G_IS_INPUT_STREAM(stream), NULL);
	g_return_val_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!suit_firmware_server_tmp_open(self, "payload", &tmp, error))
		return NULL;
	checksum = g_checksum_new(G_CHECKSUM_SHA256);
	buf = g_malloc(SUIT_FIRMWARE_SERVER_CHUNK_SIZE);
	while (TRUE) {
		g_autoptr(GError) error_local = NULL;
		gssize n;

		/* not every stream checks the cancellable itself */
		if (g_cancellable_set_error_if_cancelled(cancellable, error))
			return NULL;
		n = g_input_stream_read(stream,
					buf,
					SUIT_FIRMWARE_SERVER_CHUNK_SIZE,
					cancellable,
					&error_local);
		if (n < 0) {
			if (g_error_matches(error_local, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
			    error_local->domain == SUIT_ERROR) {
				g_propagate_error(error, g_steal_pointer(&error_local));
				return NULL;
			}
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_FETCH_FAILED,
				    "failed to read the payload: %s",
				    error_local->message);
			return NULL;
		}
		if (n == 0)
			break;
		total += (guint64)n;
		if (max_size != 0 && total > max_size) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_LIMIT_EXCEEDED,
				    "the payload is larger than %" G_GUINT64_FORMAT " bytes",
				    max_size);
			return NULL;
		}
		g_checksum_update(checksum, buf, (gsize)n);
		if (!suit_firmware_server_write_all(tmp.fd, buf, (gsize)n, error)) {
			g_prefix_error(error, "%s: ", tmp.path);
			return NULL;
		}
	}
	if (!suit_firmware_server_tmp_finish(&tmp, error))
		return NULL;
	digest = suit_firmware_server_checksum_hex(checksum);
	if (!suit_firmware_server_commit_payload(self, tmp.path, digest, error))
		return NULL;
	g_clear_pointer(&tmp.path, g_free); /* moved or dropped */
	if (size != NULL)
		*size = total;
	return g_steal_pointer(&digest);
}

/**
 * suit_firmware_server_add_payload_bytes:
 * @self: a #SuitFirmwareServer
 * @payload: the payload
 * @error: return location for a #GError, or %NULL
 *
 * Stores a payload held in memory, as suit_firmware_server_add_payload()
 * does.
 *
 * Returns: (transfer full): the SHA-256 digest of the payload as lower case
 *   hex, or %NULL with %SUIT_ERROR_WRITE_FAILED
 *
 * Since: 0.1
 */
gchar *
suit_firmware_server_add_payload_bytes(SuitFirmwareServer *self, GBytes *payload, GError **error)
{
	g_autoptr(GInputStream) stream = NULL;

	g_return_val_if_fail(SUIT_IS_FIRMWARE_SERVER(self), NULL);
	g_return_val_if_fail(payload != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	stream = g_memory_input_stream_new_from_bytes(payload);
	return suit_firmware_server_add_payload(self, stream, 0, NULL, NULL, error);
}

/**
 * suit_firmware_server_import_payload:
 * @self: a #SuitFirmwareServer
 * @path: a regular file on the same file system as the catalogue, usually in
 *   its `tmp` subdirectory
 * @size: (out) (optional): the size of the payload
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError, or %NULL
 *
 * Stores the file @path as a payload without copying it: it is hashed,
 * synced and renamed into place, or deleted when the payload is stored
 * already. This is how an upload that was streamed to disk is added.
 *
 * The server takes ownership of the file: unless it does not exist, is not
 * a regular file or is on another file system, it is gone after the call,
 * whether the call succeeded or not.
 *
 * Returns: (transfer full): the SHA-256 digest of the payload as lower case
 *   hex, or %NULL with %SUIT_ERROR_NOT_FOUND when @path does not exist,
 *   %SUIT_ERROR_INVALID_ARGUMENT when it is not a regular file or is on
 *   another file system, %SUIT_ERROR_WRITE_FAILED, or %G_IO_ERROR_CANCELLED
 *
 * Since: 0.1
 */
gchar *
suit_firmware_server_import_payload(SuitFirmwareServer *self,
				    const gchar *path,
				    guint64 *size,
				    GCancellable *cancellable,
				    GError **error)
{
	struct stat st = {0};
	struct stat dir_st = {0};
	guint64 total = 0;
	g_autofree guint8 *buf = NULL;
	g_autofree gchar *digest = NULL;
	g_autoptr(GChecksum) checksum = NULL;
	g_auto(SuitFirmwareServerTmp) tmp = {-1, NULL};

	g_return_val_if_fail(SUIT_IS_FIRMWARE_SERVER(self), NULL);
	g_return_val_if_fail(path != NULL, NULL);
	g_return_val_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	tmp.fd = g_open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0);
	if (tmp.fd < 0) {
		gint errsv = errno;
		g_set_error(error,
			    SUIT_ERROR,
			    errsv == ENOENT ? SUIT_ERROR_NOT_FOUND : SUIT_ERROR_INVALID_ARGUMENT,
			    "failed to open %s: %s",
			    path,
			    g_strerror(errsv));
		return NULL;
	}
	if (fstat(tmp.fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "%s is not a regular file",
			    path);
		return NULL;
	}
	if (g_stat(self->payloads_dir, &dir_st) != 0 || dir_st.st_dev != st.st_dev) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "%s is not on the file system of %s",
			    path,
			    self->payloads_dir);
		return NULL;
	}
	/* from here on the file is ours: it is deleted on failure */
	tmp.path = g_strdup(path);

	checksum = g_checksum_new(G_CHECKSUM_SHA256);
	buf = g_malloc(SUIT_FIRMWARE_SERVER_CHUNK_SIZE);
	while (TRUE) {
		gssize n;
		if (g_cancellable_set_error_if_cancelled(cancellable, error))
			return NULL;
		n = read(tmp.fd, buf, SUIT_FIRMWARE_SERVER_CHUNK_SIZE);
		if (n < 0) {
			gint errsv = errno;
			if (errsv == EINTR)
				continue;
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INTERNAL,
				    "failed to read %s: %s",
				    path,
				    g_strerror(errsv));
			return NULL;
		}
		if (n == 0)
			break;
		g_checksum_update(checksum, buf, (gsize)n);
		total += (guint64)n;
	}
	if (!suit_firmware_server_tmp_finish(&tmp, error))
		return NULL;
	digest = suit_firmware_server_checksum_hex(checksum);
	if (!suit_firmware_server_commit_payload(self, tmp.path, digest, error))
		return NULL;
	g_clear_pointer(&tmp.path, g_free); /* moved or dropped */
	if (size != NULL)
		*size = total;
	return g_steal_pointer(&digest);
}

/* opens a stored payload; NOT_FOUND when it is missing */
static gint
suit_firmware_server_open_payload(SuitFirmwareServer *self,
				  const gchar *digest,
				  guint64 *size,
				  GError **error)
{
	struct stat st = {0};
	g_autofree gchar *path = NULL;
	g_auto(SuitFirmwareServerFd) fd = {-1};

	if (!suit_firmware_server_check_id(digest, "payload digest", error))
		return -1;
	path = suit_firmware_server_payload_path(self, digest);
	fd.fd = g_open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0);
	if (fd.fd < 0) {
		gint errsv = errno;
		if (errsv == ENOENT) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_NOT_FOUND,
				    "no payload %s",
				    digest);
			return -1;
		}
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INTERNAL,
			    "failed to open %s: %s",
			    path,
			    g_strerror(errsv));
		return -1;
	}
	if (fstat(fd.fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INTERNAL,
			    "%s is not a regular file",
			    path);
		return -1;
	}
	if (size != NULL)
		*size = (guint64)st.st_size;
	return g_steal_fd(&fd.fd);
}

/**
 * suit_firmware_server_has_payload:
 * @self: a #SuitFirmwareServer
 * @digest: the SHA-256 digest of the payload as lower case hex
 *
 * Tells whether a payload is stored. A @digest that is not 64 lower case hex
 * digits is never stored.
 *
 * Returns: %TRUE if the payload is stored
 *
 * Since: 0.1
 */
gboolean
suit_firmware_server_has_payload(SuitFirmwareServer *self, const gchar *digest)
{
	struct stat st = {0};
	g_autofree gchar *path = NULL;

	g_return_val_if_fail(SUIT_IS_FIRMWARE_SERVER(self), FALSE);
	g_return_val_if_fail(digest != NULL, FALSE);

	if (!suit_firmware_server_is_id(digest))
		return FALSE;
	path = suit_firmware_server_payload_path(self, digest);
	return g_lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/**
 * suit_firmware_server_get_payload_path:
 * @self: a #SuitFirmwareServer
 * @digest: the SHA-256 digest of the payload as lower case hex
 * @size: (out) (optional): the size of the payload
 * @error: return location for a #GError, or %NULL
 *
 * Gets the file that holds a stored payload, e.g. to serve it with
 * sendfile(). The file must not be changed.
 *
 * Returns: (transfer full): an absolute or relative path (as the directory
 *   was given), or %NULL with %SUIT_ERROR_INVALID_ARGUMENT when @digest is
 *   not 64 lower case hex digits, or %SUIT_ERROR_NOT_FOUND
 *
 * Since: 0.1
 */
gchar *
suit_firmware_server_get_payload_path(SuitFirmwareServer *self,
				      const gchar *digest,
				      guint64 *size,
				      GError **error)
{
	g_auto(SuitFirmwareServerFd) fd = {-1};

	g_return_val_if_fail(SUIT_IS_FIRMWARE_SERVER(self), NULL);
	g_return_val_if_fail(digest != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	fd.fd = suit_firmware_server_open_payload(self, digest, size, error);
	if (fd.fd < 0)
		return NULL;
	return suit_firmware_server_payload_path(self, digest);
}

/* clamps a range to the payload; INVALID_ARGUMENT when @offset is past its end */
static gboolean
suit_firmware_server_clamp_range(const gchar *digest,
				 guint64 size,
				 guint64 offset,
				 guint64 *length,
				 GError **error)
{
	if (offset > size) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "offset %" G_GUINT64_FORMAT " is past the end of payload %s (%" G_GUINT64_FORMAT
			    " bytes)",
			    offset,
			    digest,
			    size);
		return FALSE;
	}
	*length = MIN(*length, size - offset);
	return TRUE;
}

/**
 * suit_firmware_server_read_payload:
 * @self: a #SuitFirmwareServer
 * @digest: the SHA-256 digest of the payload as lower case hex
 * @offset: the first byte to read
 * @length: the number of bytes to read, or %G_MAXUINT64 for all up to the end
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #GError, or %NULL
 *
 * Opens a stream over a byte range of a stored payload, e.g. to answer an
 * HTTP range request. A range that runs past the end of the payload is
 * clamped to it; an @offset equal to the size gives an empty stream.
 *
 * Returns: (transfer full): a #GInputStream over exactly the range, or %NULL
 *   with %SUIT_ERROR_INVALID_ARGUMENT when @digest is not 64 lower case hex
 *   digits or @offset is past the end, %SUIT_ERROR_NOT_FOUND, or
 *   %G_IO_ERROR_CANCELLED
 *
 * Since: 0.1
 */
GInputStream *
suit_firmware_server_read_payload(SuitFirmwareServer *self,
				  const gchar *digest,
				  guint64 offset,
				  guint64 length,
				  GCancellable *cancellable,
				  GError **error)
{
	guint64 size = 0;
	g_auto(SuitFirmwareServerFd) fd = {-1};

	g_return_val_if_fail(SUIT_IS_FIRMWARE_SERVER(self), NULL);
	g_return_val_if_fail(digest != NULL, NULL);
	g_return_val_if_fail(cancellable == NULL || G_IS_CANCELLABLE(cancellable), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (g_cancellable_set_error_if_cancelled(cancellable, error))
		return NULL;
	fd.fd = suit_firmware_server_open_payload(self, digest, &size, error);
	if (fd.fd < 0)
		return NULL;
	if (!suit_firmware_server_clamp_range(digest, size, offset, &length, error))
		return NULL;
	return suit_firmware_server_range_new(g_steal_fd(&fd.fd), offset, length);
}

/**
 * suit_firmware_server_read_payload_bytes:
 * @self: a #SuitFirmwareServer
 * @digest: the SHA-256 digest of the payload as lower case hex
 * @offset: the first byte to read
 * @length: the number of bytes to read, or %G_MAXUINT64 for all up to the end
 * @error: return location for a #GError, or %NULL
 *
 * Reads a byte range of a stored payload into memory, for scripts and
 * tests; servers should use suit_firmware_server_read_payload(). The range
 * is clamped as there, and may hold at most 64 MiB.
 *
 * Returns: (transfer full): the bytes, or %NULL with
 *   %SUIT_ERROR_INVALID_ARGUMENT, %SUIT_ERROR_NOT_FOUND or
 *   %SUIT_ERROR_LIMIT_EXCEEDED when the range is larger than 64 MiB
 *
 * Since: 0.1
 */
GBytes *
suit_firmware_server_read_payload_bytes(SuitFirmwareServer *self,
					const gchar *digest,
					guint64 offset,
					guint64 length,
					GError **error)
{
	guint64 size = 0;
	gsize done = 0;
	g_autofree guint8 *buf = NULL;
	g_auto(SuitFirmwareServerFd) fd = {-1};

	g_return_val_if_fail(SUIT_IS_FIRMWARE_SERVER(self), NULL);
	g_return_val_if_fail(digest != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	fd.fd = suit_firmware_server_open_payload(self, digest, &size, error);
	if (fd.fd < 0)
		return NULL;
	if (!suit_firmware_server_clamp_range(digest, size, offset, &length, error))
		return NULL;
	if (length > SUIT_FIRMWARE_SERVER_MAX_BYTES) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_LIMIT_EXCEEDED,
			    "a range of %" G_GUINT64_FORMAT " bytes is larger than %u bytes, use a stream",
			    length,
			    (guint)SUIT_FIRMWARE_SERVER_MAX_BYTES);
		return NULL;
	}
	buf = g_malloc(MAX(length, 1));
	while (done < length) {
		gssize n = pread(fd.fd, buf + done, (gsize)length - done, (off_t)(offset + done));
		if (n < 0) {
			gint errsv = errno;
			if (errsv == EINTR)
				continue;
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INTERNAL,
				    "failed to read payload %s: %s",
				    digest,
				    g_strerror(errsv));
			return NULL;
		}
		if (n == 0) {
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INTERNAL,
				    "payload %s is shorter than when it was opened",
				    digest);
			return NULL;
		}
		done += (gsize)n;
	}
	return g_bytes_new_take(g_steal_pointer(&buf), done);
}

/* manifest summary ------------------------------------------------------------ */

typedef struct {
	SuitDigest *digest; /* (nullable) */
	gboolean has_size;
	guint64 size;
	gchar *uri; /* (nullable) */
} SuitFirmwareServerImage;

typedef struct {
	guint n_components;
	SuitFirmwareServerImage *images; /* n_components */
	GBytes *vendor_id;		 /* (nullable): the first UUID vendor id */
	GBytes *class_id;		 /* (nullable): the first UUID class id */
	gboolean vendor_seen;
	gboolean class_seen;
} SuitFirmwareServerWalk;

static SuitFirmwareServerWalk *
suit_firmware_server_walk_new(guint n_components)
{
	SuitFirmwareServerWalk *walk = g_new0(SuitFirmwareServerWalk, 1);
	walk->n_components = n_components;
	walk->images = g_new0(SuitFirmwareServerImage, MAX(n_components, 1));
	return walk;
}

static void
suit_firmware_server_walk_free(SuitFirmwareServerWalk *walk)
{
	for (guint i = 0; i < walk->n_components; i++) {
		g_clear_pointer(&walk->images[i].digest, suit_digest_unref);
		g_free(walk->images[i].uri);
	}
	g_free(walk->images);
	g_clear_pointer(&walk->vendor_id, g_bytes_unref);
	g_clear_pointer(&walk->class_id, g_bytes_unref);
	g_free(walk);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC(SuitFirmwareServerWalk, suit_firmware_server_walk_free)

static void
suit_firmware_server_walk_params(SuitFirmwareServerWalk *walk,
				 GArray *current,
				 SuitParameters *params,
				 gboolean override)
{
	/* vendor and class id: the first one set, in order */
	if (!walk->vendor_seen && suit_parameters_has(params, SUIT_FIRMWARE_SERVER_PARAM_VENDOR_ID)) {
		GBytes *value = suit_parameters_get_bytes(params, SUIT_FIRMWARE_SERVER_PARAM_VENDOR_ID);
		walk->vendor_seen = TRUE;
		if (value != NULL && g_bytes_get_size(value) == 16)
			walk->vendor_id = g_bytes_ref(value);
	}
	if (!walk->class_seen && suit_parameters_has(params, SUIT_FIRMWARE_SERVER_PARAM_CLASS_ID)) {
		GBytes *value = suit_parameters_get_bytes(params, SUIT_FIRMWARE_SERVER_PARAM_CLASS_ID);
		walk->class_seen = TRUE;
		if (value != NULL && g_bytes_get_size(value) == 16)
			walk->class_id = g_bytes_ref(value);
	}

	for (guint i = 0; i < current->len; i++) {
		guint idx = g_array_index(current, guint, i);
		SuitFirmwareServerImage *image;
		guint64 size = 0;

		if (idx >= walk->n_components)
			continue;
		image = &walk->images[idx];
		if (suit_parameters_has(params, SUIT_FIRMWARE_SERVER_PARAM_IMAGE_DIGEST) &&
		    (override || image->digest == NULL)) {
			g_autoptr(GError) error_local = NULL;
			SuitDigest *digest =
			    suit_parameters_dup_digest(params,
						       SUIT_FIRMWARE_SERVER_PARAM_IMAGE_DIGEST,
						       &error_local);
			if (digest == NULL)
				g_debug("ignoring image digest: %s", error_local->message);
			g_clear_pointer(&image->digest, suit_digest_unref);
			image->digest = digest;
		}
		if (suit_parameters_get_uint(params, SUIT_FIRMWARE_SERVER_PARAM_IMAGE_SIZE, &size) &&
		    (override || !image->has_size)) {
			image->has_size = TRUE;
			image->size = size;
		}
		if (suit_parameters_has(params, SUIT_FIRMWARE_SERVER_PARAM_URI) &&
		    (override || image->uri == NULL)) {
			g_free(image->uri);
			image->uri = suit_parameters_dup_text(params, SUIT_FIRMWARE_SERVER_PARAM_URI);
		}
	}
}

static GArray *
suit_firmware_server_index_zero(void)
{
	GArray *current = g_array_new(FALSE, FALSE, sizeof(guint));
	guint zero = 0;
	g_array_append_val(current, zero);
	return current;
}

/* follows the parameters a sequence sets, as the SUIT machine would; of
 * try-each only the first (preferred) alternative is followed */
static void
suit_firmware_server_walk_sequence(SuitFirmwareServerWalk *walk,
				   SuitCommandSequence *sequence,
				   GArray *current,
				   guint depth)
{
	if (sequence == NULL || depth > SUIT_FIRMWARE_SERVER_MAX_NESTING)
		return;
	for (guint i = 0; i < suit_command_sequence_get_length(sequence); i++) {
		SuitCommand *command = suit_command_sequence_get_command(sequence, i);
		gint64 code = suit_command_get_code(command);

		if (code == SUIT_FIRMWARE_SERVER_CMD_COMPONENT_INDEX) {
			GArray *indices = suit_command_get_component_indices(command);
			if (indices == NULL)
				continue;
			g_array_set_size(current, 0);
			for (guint j = 0; j < indices->len; j++) {
				guint idx = g_array_index(indices, guint, j);
				if (idx == SUIT_COMMAND_INDEX_ALL) {
					g_array_set_size(current, 0);
					for (guint k = 0; k < walk->n_components; k++)
						g_array_append_val(current, k);
					break;
				}
				g_array_append_val(current, idx);
			}
		} else if (code == SUIT_FIRMWARE_SERVER_CMD_OVERRIDE_PARAMS ||
			   code == SUIT_FIRMWARE_SERVER_CMD_SET_PARAMS) {
			SuitParameters *params = suit_command_get_parameters(command);
			if (params != NULL)
				suit_firmware_server_walk_params(walk,
								 current,
								 params,
								 code ==
								     SUIT_FIRMWARE_SERVER_CMD_OVERRIDE_PARAMS);
		} else if (code == SUIT_FIRMWARE_SERVER_CMD_TRY_EACH) {
			GPtrArray *alternatives = suit_command_get_sequences(command);
			if (alternatives != NULL && alternatives->len > 0) {
				g_autoptr(GArray) inner = g_array_copy(current);
				suit_firmware_server_walk_sequence(walk,
								   g_ptr_array_index(alternatives, 0),
								   inner,
								   depth + 1);
			}
		} else if (code == SUIT_FIRMWARE_SERVER_CMD_RUN_SEQUENCE) {
			g_autoptr(GArray) inner = g_array_copy(current);
			suit_firmware_server_walk_sequence(walk,
							   suit_command_get_sequence(command),
							   inner,
							   depth + 1);
		}
	}
}

static gchar *
suit_firmware_server_uuid_to_string(GBytes *uuid)
{
	const guint8 *d = g_bytes_get_data(uuid, NULL);
	return g_strdup_printf("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
			       "%02x%02x%02x%02x%02x%02x",
			       d[0],
			       d[1],
			       d[2],
			       d[3],
			       d[4],
			       d[5],
			       d[6],
			       d[7],
			       d[8],
			       d[9],
			       d[10],
			       d[11],
			       d[12],
			       d[13],
			       d[14],
			       d[15]);
}

static void
suit_firmware_server_builder_add_nullable(JsonBuilder *builder, const gchar *name, const gchar *value)
{
	json_builder_set_member_name(builder, name);
	if (value != NULL)
		json_builder_add_string_value(builder, value);
	else
		json_builder_add_null_value(builder);
}

/* the summary JSON of a verified envelope */
static gchar *
suit_firmware_server_summarize(SuitManifest *manifest,
			       const gchar *id,
			       gsize envelope_size,
			       gchar **vendor_id,
			       gchar **class_id,
			       GError **error)
{
	const SuitSection sections[] = {SUIT_SECTION_DEPENDENCY_RESOLUTION,
					SUIT_SECTION_PAYLOAD_FETCH,
					SUIT_SECTION_INSTALL,
					SUIT_SECTION_VALIDATE,
					SUIT_SECTION_LOAD,
					SUIT_SECTION_INVOKE};
	GPtrArray *components = suit_manifest_get_components(manifest);
	guint64 sequence_number = suit_manifest_get_sequence_number(manifest);
	g_autofree gchar *vendor = NULL;
	g_autofree gchar *klass = NULL;
	g_autoptr(GArray) current = NULL;
	g_autoptr(GDateTime) now = g_date_time_new_now_utc();
	g_autofree gchar *created = g_date_time_format(now, "%Y-%m-%dT%H:%M:%SZ");
	g_autoptr(JsonBuilder) builder = json_builder_new();
	g_autoptr(JsonGenerator) generator = json_generator_new();
	g_autoptr(JsonNode) root = NULL;
	g_autoptr(SuitFirmwareServerWalk) walk = suit_firmware_server_walk_new(components->len);

	if (sequence_number > (guint64)G_MAXINT64) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_LIMIT_EXCEEDED,
			    "sequence number %" G_GUINT64_FORMAT " is too large",
			    sequence_number);
		return NULL;
	}

	/* the shared sequence sets the parameters every section starts with;
	 * what it leaves unset is taken from the first section that sets it */
	current = suit_firmware_server_index_zero();
	suit_firmware_server_walk_sequence(walk,
					   suit_manifest_get_sequence(manifest, SUIT_SECTION_SHARED),
					   current,
					   0);
	for (guint i = 0; i < G_N_ELEMENTS(sections); i++) {
		g_autoptr(GArray) section_current = suit_firmware_server_index_zero();
		g_autoptr(SuitFirmwareServerWalk) section =
		    suit_firmware_server_walk_new(components->len);
		SuitCommandSequence *sequence = suit_manifest_get_sequence(manifest, sections[i]);

		if (sequence == NULL)
			continue;
		section->vendor_seen = section->class_seen = TRUE; /* only the shared sequence counts */
		suit_firmware_server_walk_sequence(section, sequence, section_current, 0);
		for (guint j = 0; j < components->len; j++) {
			SuitFirmwareServerImage *image = &walk->images[j];
			SuitFirmwareServerImage *found = &section->images[j];
			if (image->digest == NULL && found->digest != NULL)
				image->digest = g_steal_pointer(&found->digest);
			if (!image->has_size && found->has_size) {
				image->has_size = TRUE;
				image->size = found->size;
			}
			if (image->uri == NULL && found->uri != NULL)
				image->uri = g_steal_pointer(&found->uri);
		}
	}

	if (walk->vendor_id != NULL)
		vendor = suit_firmware_server_uuid_to_string(walk->vendor_id);
	if (walk->class_id != NULL)
		klass = suit_firmware_server_uuid_to_string(walk->class_id);

	json_builder_begin_object(builder);
	json_builder_set_member_name(builder, "id");
	json_builder_add_string_value(builder, id);
	json_builder_set_member_name(builder, "sequence_number");
	json_builder_add_int_value(builder, (gint64)sequence_number);
	suit_firmware_server_builder_add_nullable(builder, "vendor_id", vendor);
	suit_firmware_server_builder_add_nullable(builder, "class_id", klass);
	json_builder_set_member_name(builder, "components");
	json_builder_begin_array(builder);
	for (guint i = 0; i < components->len; i++) {
		SuitComponentId *component = g_ptr_array_index(components, i);
		SuitFirmwareServerImage *image = &walk->images[i];
		g_autofree gchar *digest = NULL;

		json_builder_begin_object(builder);
		json_builder_set_member_name(builder, "id");
		json_builder_begin_array(builder);
		for (guint j = 0; j < suit_component_id_get_length(component); j++) {
			g_autofree gchar *part = suit_hex_encode(suit_component_id_get_part(component, j));
			json_builder_add_string_value(builder, part);
		}
		json_builder_end_array(builder);
		if (image->digest != NULL)
			digest = suit_digest_to_hex(image->digest);
		suit_firmware_server_builder_add_nullable(builder, "image_digest", digest);
		json_builder_set_member_name(builder, "image_size");
		if (image->has_size && image->size <= (guint64)G_MAXINT64)
			json_builder_add_int_value(builder, (gint64)image->size);
		else
			json_builder_add_null_value(builder);
		suit_firmware_server_builder_add_nullable(builder, "uri", image->uri);
		json_builder_end_object(builder);
	}
	json_builder_end_array(builder);
	json_builder_set_member_name(builder, "envelope_size");
	json_builder_add_int_value(builder, (gint64)envelope_size);
	json_builder_set_member_name(builder, "created");
	json_builder_add_string_value(builder, created);
	json_builder_end_object(builder);

	root = json_builder_get_root(builder);
	json_generator_set_root(generator, root);
	*vendor_id = g_steal_pointer(&vendor);
	*class_id = g_steal_pointer(&klass);
	return json_generator_to_data(generator, NULL);
}

/* envelopes ------------------------------------------------------------------- */

/* writes @blob to @path: temporary file, fsync, rename, fsync */
static gboolean
suit_firmware_server_write_file(SuitFirmwareServer *self,
				const gchar *path,
				GBytes *blob,
				GError **error)
{
	gsize len = 0;
	const guint8 *data = g_bytes_get_data(blob, &len);
	g_autofree gchar *dir = g_path_get_dirname(path);
	g_auto(SuitFirmwareServerTmp) tmp = {-1, NULL};

	if (!suit_firmware_server_tmp_open(self, "envelope", &tmp, error))
		return FALSE;
	if (!suit_firmware_server_write_all(tmp.fd, data, len, error)) {
		g_prefix_error(error, "%s: ", tmp.path);
		return FALSE;
	}
	if (!suit_firmware_server_tmp_finish(&tmp, error))
		return FALSE;
	if (g_rename(tmp.path, path) != 0) {
		gint errsv = errno;
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_WRITE_FAILED,
			    "failed to move %s to %s: %s",
			    tmp.path,
			    path,
			    g_strerror(errsv));
		return FALSE;
	}
	g_clear_pointer(&tmp.path, g_free);
	return suit_firmware_server_fsync_dir(dir, error);
}

/* stores a verified envelope and its summary, or returns the stored summary;
 * runs in a write transaction */
static gchar *
suit_firmware_server_store_envelope(SuitFirmwareServer *self,
				    SuitManifest *manifest,
				    const gchar *id,
				    GBytes *envelope,
				    gboolean *created,
				    GError **error)
{
	const gchar *keys[3] = {NULL};
	guint n_keys = 0;
	g_autofree gchar *summary = NULL;
	g_autofree gchar *stored = NULL;
	g_autofree gchar *vendor_id = NULL;
	g_autofree gchar *class_id = NULL;
	g_autofree gchar *vendor_key = NULL;
	g_autofree gchar *class_key = NULL;
	g_autofree gchar *path = NULL;
	g_autoptr(GError) error_local = NULL;

	*created = FALSE;
	stored = suit_database_get(self->database, SUIT_FIRMWARE_SERVER_COLLECTION, id, &error_local);
	if (stored != NULL)
		return g_steal_pointer(&stored);
	if (!g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_NOT_FOUND)) {
		g_propagate_prefixed_error(error,
					   g_steal_pointer(&error_local),
					   "failed to look up manifest %s: ",
					   id);
		return NULL;
	}

	summary = suit_firmware_server_summarize(manifest,
						 id,
						 g_bytes_get_size(envelope),
						 &vendor_id,
						 &class_id,
						 error);
	if (summary == NULL)
		return NULL;
	if (vendor_id != NULL) {
		vendor_key = g_strdup_printf("vendor:%s", vendor_id);
		keys[n_keys++] = vendor_key;
	}
	if (class_id != NULL) {
		class_key = g_strdup_printf("class:%s", class_id);
		keys[n_keys++] = class_key;
	}

	/* the envelope first: a summary never points at a missing file */
	path = suit_firmware_server_envelope_path(self, id);
	if (!suit_firmware_server_write_file(self, path, envelope, error)) {
		g_prefix_error(error, "failed to store manifest %s: ", id);
		return NULL;
	}
	if (!suit_database_put(self->database,
			       SUIT_FIRMWARE_SERVER_COLLECTION,
			       id,
			       summary,
			       keys,
			       error)) {
		if (g_unlink(path) != 0)
			g_warning("failed to delete %s: %s", path, g_strerror(errno));
		g_prefix_error(error, "failed to store manifest %s: ", id);
		return NULL;
	}
	*created = TRUE;
	return g_steal_pointer(&summary);
}

/**
 * suit_firmware_server_add_envelope:
 * @self: a #SuitFirmwareServer
 * @envelope: an encoded SUIT envelope, at most 1 MiB
 * @error: return location for a #GError, or %NULL
 *
 * Adds an envelope to the catalogue, after it verified against the trusted
 * keyring: the envelope is stored as it is, and a summary of its manifest in
 * the `manifests` collection of the database. Its manifest digest must be a
 * SHA-256 digest.
 *
 * The summary is a JSON object:
 * `{"id":"<manifest digest hex>","sequence_number":N,"vendor_id":"<uuid>"|null,
 * "class_id":"<uuid>"|null,"components":[{"id":["<hex of each part>"],
 * "image_digest":"<hex>"|null,"image_size":N|null,"uri":"<uri>"|null}],
 * "envelope_size":N,"created":"<ISO 8601 UTC time>"}`. The vendor and class
 * id are the first UUIDs the shared sequence sets. A component's image
 * parameters are those the shared sequence sets, else those the first
 * command sequence that sets them does (of a try-each, only the first
 * alternative is read).
 *
 * Adding a manifest that is stored already is no error: the stored summary
 * is returned and the stored envelope kept (even when the new one carries
 * severable members the stored one lacks).
 *
 * The envelope and its summary are stored in a write transaction of the
 * database; when the calling thread has a transaction open already, they
 * become part of it.
 *
 * Returns: (transfer full): the summary as JSON text, or %NULL with
 *   %SUIT_ERROR_LIMIT_EXCEEDED when @envelope is larger than 1 MiB, an error
 *   of suit_envelope_new_from_bytes() (%SUIT_ERROR_INVALID_CBOR, ...) or of
 *   suit_envelope_verify() (%SUIT_ERROR_NO_AUTHENTICATION,
 *   %SUIT_ERROR_SIGNATURE_INVALID, ...), %SUIT_ERROR_UNSUPPORTED_ALGORITHM
 *   when the manifest digest is not SHA-256, or %SUIT_ERROR_WRITE_FAILED
 *
 * Since: 0.1
 */
gchar *
suit_firmware_server_add_envelope(SuitFirmwareServer *self, GBytes *envelope, GError **error)
{
	SuitManifest *manifest;
	SuitDigest *digest;
	gboolean own_transaction = TRUE;
	gboolean created = FALSE;
	g_autofree gchar *id = NULL;
	g_autofree gchar *summary = NULL;
	g_autoptr(GError) error_local = NULL;
	g_autoptr(SuitEnvelope) parsed = NULL;

	g_return_val_if_fail(SUIT_IS_FIRMWARE_SERVER(self), NULL);
	g_return_val_if_fail(envelope != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (g_bytes_get_size(envelope) > SUIT_FIRMWARE_SERVER_MAX_ENVELOPE) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_LIMIT_EXCEEDED,
			    "the envelope is larger than %u bytes",
			    (guint)SUIT_FIRMWARE_SERVER_MAX_ENVELOPE);
		return NULL;
	}
	parsed = suit_envelope_new_from_bytes(envelope, SUIT_PARSE_FLAG_NONE, error);
	if (parsed == NULL) {
		g_prefix_error(error, "invalid envelope: ");
		return NULL;
	}
	if (!suit_envelope_verify(parsed, self->keyring, SUIT_VERIFY_FLAG_NONE, error)) {
		g_prefix_error(error, "envelope refused: ");
		return NULL;
	}
	manifest = suit_envelope_get_manifest(parsed, error);
	if (manifest == NULL)
		return NULL;
	digest = suit_envelope_get_manifest_digest(parsed);
	if (digest == NULL || suit_digest_get_algorithm(digest) != SUIT_DIGEST_ALGORITHM_SHA256) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_UNSUPPORTED_ALGORITHM,
			    "envelope refused: the manifest digest must be sha-256, got %s",
			    digest != NULL
				? suit_digest_algorithm_to_string(suit_digest_get_algorithm(digest))
				: "none");
		return NULL;
	}
	id = suit_digest_to_hex(digest);

	/* a write transaction: one upload of a manifest at a time, so the file
	 * and the summary agree; inside the caller's transaction, that one */
	if (!suit_database_begin(self->database, &error_local)) {
		if (!g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_CONFLICT)) {
			g_propagate_prefixed_error(error,
						   g_steal_pointer(&error_local),
						   "failed to store manifest %s: ",
						   id);
			return NULL;
		}
		own_transaction = FALSE;
	}
	summary = suit_firmware_server_store_envelope(self, manifest, id, envelope, &created, error);
	if (!own_transaction)
		return g_steal_pointer(&summary);
	if (summary == NULL || !created) {
		suit_database_rollback(self->database);
		return g_steal_pointer(&summary);
	}
	if (!suit_database_commit(self->database, error)) {
		/* the envelope file stays: without a summary it is harmless */
		g_prefix_error(error, "failed to store manifest %s: ", id);
		return NULL;
	}
	return g_steal_pointer(&summary);
}

/**
 * suit_firmware_server_get_envelope:
 * @self: a #SuitFirmwareServer
 * @id: the manifest id: its SHA-256 digest as lower case hex
 * @error: return location for a #GError, or %NULL
 *
 * Gets a stored envelope, as it was added.
 *
 * Returns: (transfer full): the envelope bytes, or %NULL with
 *   %SUIT_ERROR_INVALID_ARGUMENT when @id is not 64 lower case hex digits,
 *   or %SUIT_ERROR_NOT_FOUND
 *
 * Since: 0.1
 */
GBytes *
suit_firmware_server_get_envelope(SuitFirmwareServer *self, const gchar *id, GError **error)
{
	g_autofree gchar *path = NULL;
	g_autoptr(GError) error_local = NULL;
	GBytes *blob;

	g_return_val_if_fail(SUIT_IS_FIRMWARE_SERVER(self), NULL);
	g_return_val_if_fail(id != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!suit_firmware_server_check_id(id, "manifest id", error))
		return NULL;
	path = suit_firmware_server_envelope_path(self, id);
	blob = suit_file_read_small(path, SUIT_FIRMWARE_SERVER_MAX_ENVELOPE, &error_local);
	if (blob == NULL) {
		if (g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_NOT_FOUND)) {
			g_set_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND, "no manifest %s", id);
			return NULL;
		}
		g_propagate_error(error, g_steal_pointer(&error_local));
		return NULL;
	}
	return blob;
}

/**
 * suit_firmware_server_get_manifest:
 * @self: a #SuitFirmwareServer
 * @id: the manifest id: its SHA-256 digest as lower case hex
 * @error: return location for a #GError, or %NULL
 *
 * Gets the summary of a stored manifest, as suit_firmware_server_add_envelope()
 * returned it.
 *
 * Returns: (transfer full): the summary as JSON text, or %NULL with
 *   %SUIT_ERROR_INVALID_ARGUMENT when @id is not 64 lower case hex digits,
 *   or %SUIT_ERROR_NOT_FOUND
 *
 * Since: 0.1
 */
gchar *
suit_firmware_server_get_manifest(SuitFirmwareServer *self, const gchar *id, GError **error)
{
	g_autofree gchar *summary = NULL;
	g_autoptr(GError) error_local = NULL;

	g_return_val_if_fail(SUIT_IS_FIRMWARE_SERVER(self), NULL);
	g_return_val_if_fail(id != NULL, NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (!suit_firmware_server_check_id(id, "manifest id", error))
		return NULL;
	summary = suit_database_get(self->database, SUIT_FIRMWARE_SERVER_COLLECTION, id, &error_local);
	if (summary == NULL) {
		if (g_error_matches(error_local, SUIT_ERROR, SUIT_ERROR_NOT_FOUND)) {
			g_set_error(error, SUIT_ERROR, SUIT_ERROR_NOT_FOUND, "no manifest %s", id);
			return NULL;
		}
		g_propagate_prefixed_error(error,
					   g_steal_pointer(&error_local),
					   "failed to look up manifest %s: ",
					   id);
		return NULL;
	}
	return g_steal_pointer(&summary);
}

/* a canonical lower case UUID, or NULL with INVALID_ARGUMENT */
static gchar *
suit_firmware_server_normalize_uuid(const gchar *text, const gchar *what, GError **error)
{
	if (!g_uuid_string_is_valid(text)) {
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_ARGUMENT,
			    "invalid %s: expected a UUID like 01234567-89ab-cdef-0123-456789abcdef",
			    what);
		return NULL;
	}
	return g_ascii_strdown(text, -1);
}

typedef struct {
	gint64 sequence_number;
	const gchar *id; /* noref */
	JsonNode *node;
} SuitFirmwareServerListEntry;

static void
suit_firmware_server_list_entry_clear(SuitFirmwareServerListEntry *entry)
{
	g_clear_pointer(&entry->node, json_node_unref);
}

static gint
suit_firmware_server_list_entry_cmp(gconstpointer a, gconstpointer b)
{
	const SuitFirmwareServerListEntry *ea = a;
	const SuitFirmwareServerListEntry *eb = b;
	if (ea->sequence_number != eb->sequence_number)
		return ea->sequence_number > eb->sequence_number ? -1 : 1;
	return strcmp(ea->id, eb->id);
}

/**
 * suit_firmware_server_list_manifests:
 * @self: a #SuitFirmwareServer
 * @vendor_id: (nullable): only manifests for this vendor UUID, or %NULL
 * @class_id: (nullable): only manifests for this class UUID, or %NULL
 * @error: return location for a #GError, or %NULL
 *
 * Lists the summaries of the stored manifests, newest (highest sequence
 * number) first, then by id.
 *
 * Returns: (transfer full): a JSON array of summaries as text, or %NULL with
 *   %SUIT_ERROR_INVALID_ARGUMENT when @vendor_id or @class_id is not a UUID
 *
 * Since: 0.1
 */
gchar *
suit_firmware_server_list_manifests(SuitFirmwareServer *self,
				    const gchar *vendor_id,
				    const gchar *class_id,
				    GError **error)
{
	g_autofree gchar *vendor = NULL;
	g_autofree gchar *klass = NULL;
	g_autofree gchar *key = NULL;
	g_autoptr(GArray) entries = NULL;
	g_autoptr(GPtrArray) documents = NULL;
	g_autoptr(JsonArray) array = json_array_new();
	g_autoptr(JsonGenerator) generator = json_generator_new();
	g_autoptr(JsonNode) root = json_node_new(JSON_NODE_ARRAY);

	g_return_val_if_fail(SUIT_IS_FIRMWARE_SERVER(self), NULL);
	g_return_val_if_fail(error == NULL || *error == NULL, NULL);

	if (vendor_id != NULL) {
		vendor = suit_firmware_server_normalize_uuid(vendor_id, "vendor id", error);
		if (vendor == NULL)
			return NULL;
	}
	if (class_id != NULL) {
		klass = suit_firmware_server_normalize_uuid(class_id, "class id", error);
		if (klass == NULL)
			return NULL;
	}

	/* the class is the narrower index; the vendor is checked below */
	if (klass != NULL)
		key = g_strdup_printf("class:%s", klass);
	else if (vendor != NULL)
		key = g_strdup_printf("vendor:%s", vendor);
	documents =
	    suit_database_query(self->database, SUIT_FIRMWARE_SERVER_COLLECTION, key, NULL, 0, error);
	if (documents == NULL) {
		g_prefix_error(error, "failed to list manifests: ");
		return NULL;
	}

	entries = g_array_sized_new(FALSE, FALSE, sizeof(SuitFirmwareServerListEntry), documents->len);
	g_array_set_clear_func(entries, (GDestroyNotify)suit_firmware_server_list_entry_clear);
	for (guint i = 0; i < documents->len; i++) {
		const gchar *text = g_ptr_array_index(documents, i);
		SuitFirmwareServerListEntry entry = {0};
		JsonObject *obj;
		g_autoptr(GError) error_local = NULL;
		g_autoptr(JsonNode) node = json_from_string(text, &error_local);

		if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node)) {
			g_warning("skipping a corrupt manifest summary: %s",
				  error_local != NULL ? error_local->message : "not an object");
			continue;
		}
		obj = json_node_get_object(node);
		if (vendor != NULL &&
		    g_strcmp0(json_object_get_string_member_with_default(obj, "vendor_id", NULL), vendor) != 0)
			continue;
		entry.sequence_number = json_object_get_int_member_with_default(obj, "sequence_number", 0);
		entry.id = json_object_get_string_member_with_default(obj, "id", "");
		entry.node = g_steal_pointer(&node);
		g_array_append_val(entries, entry);
	}
	g_array_sort(entries, suit_firmware_server_list_entry_cmp);
	for (guint i = 0; i < entries->len; i++) {
		SuitFirmwareServerListEntry *entry =
		    &g_array_index(entries, SuitFirmwareServerListEntry, i);
		json_array_add_element(array, g_steal_pointer(&entry->node));
	}
	json_node_take_array(root, g_steal_pointer(&array));
	json_generator_set_root(generator, root);
	return json_generator_to_data(generator, NULL);
}
