/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "suit-error.h"
#include "suit-file-private.h"

/* %SUIT_ERROR_WRITE_FAILED "failed to @what @path: <errno text>" */
static gboolean
suit_file_write_error(GError **error, gint errsv, const gchar *what, const gchar *path)
{
	g_set_error(error,
		    SUIT_ERROR,
		    SUIT_ERROR_WRITE_FAILED,
		    "failed to %s %s: %s",
		    what,
		    path,
		    g_strerror(errsv));
	return FALSE;
}

/* fsyncs a directory, so that a rename or unlink in it is durable */
gboolean
suit_file_sync_directory(const gchar *path, GError **error)
{
	gint fd = g_open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

	if (fd < 0)
		return suit_file_write_error(error, errno, "open", path);
	if (fsync(fd) != 0) {
		gint errsv = errno;
		close(fd);
		return suit_file_write_error(error, errsv, "sync", path);
	}
	close(fd);
	return TRUE;
}

/*
 * Replaces @directory/@name with @contents so that after a crash at any
 * point the file holds either its old or its new contents: a temporary file
 * named @tmp_prefix + "XXXXXX" (mode 0600) in the same directory is written,
 * fsync'd, renamed over @name, and the directory is fsync'd. Fails with
 * %SUIT_ERROR_WRITE_FAILED and leaves no temporary file behind.
 */
gboolean
suit_file_replace(const gchar *directory,
		  const gchar *name,
		  const gchar *tmp_prefix,
		  GBytes *contents,
		  GError **error)
{
	gsize len = 0;
	gsize done = 0;
	const guint8 *data = g_bytes_get_data(contents, &len);
	g_autofree gchar *tmp_name = g_strconcat(tmp_prefix, "XXXXXX", NULL);
	g_autofree gchar *tmp = g_build_filename(directory, tmp_name, NULL);
	g_autofree gchar *path = g_build_filename(directory, name, NULL);
	gint fd;

	fd = g_mkstemp_full(tmp, O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0)
		return suit_file_write_error(error, errno, "create a file in", directory);
	while (done < len) {
		gssize n = write(fd, data + done, len - done);
		if (n < 0) {
			gint errsv = errno;
			if (errsv == EINTR)
				continue;
			close(fd);
			g_unlink(tmp);
			return suit_file_write_error(error, errsv, "write", path);
		}
		done += (gsize)n;
	}
	if (fsync(fd) != 0) {
		gint errsv = errno;
		close(fd);
		g_unlink(tmp);
		return suit_file_write_error(error, errsv, "sync", path);
	}
	if (close(fd) != 0) {
		gint errsv = errno;
		g_unlink(tmp);
		return suit_file_write_error(error, errsv, "write", path);
	}
	if (g_rename(tmp, path) != 0) {
		gint errsv = errno;
		g_unlink(tmp);
		return suit_file_write_error(error, errsv, "rename", path);
	}
	return suit_file_sync_directory(directory, error);
}

/*
 * Reads a whole small file that libsuit wrote itself (state, envelopes):
 * %SUIT_ERROR_NOT_FOUND when it does not exist, %SUIT_ERROR_INVALID_DATA
 * when it is not a regular file, is larger than @max_size or changes while
 * it is read. A symbolic link is not followed: none of these files is one.
 */
GBytes *
suit_file_read_small(const gchar *path, gsize max_size, GError **error)
{
	g_autofree guint8 *buf = NULL;
	struct stat st = {0};
	gsize done = 0;
	gint fd;

	fd = g_open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW, 0);
	if (fd < 0) {
		gint errsv = errno;
		g_set_error(error,
			    SUIT_ERROR,
			    errsv == ENOENT ? SUIT_ERROR_NOT_FOUND : SUIT_ERROR_INTERNAL,
			    "failed to open %s: %s",
			    path,
			    g_strerror(errsv));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (guint64)st.st_size > max_size) {
		close(fd);
		g_set_error(error,
			    SUIT_ERROR,
			    SUIT_ERROR_INVALID_DATA,
			    "%s is not a regular file of at most %" G_GSIZE_FORMAT " bytes",
			    path,
			    max_size);
		return NULL;
	}
	/* one byte more than the size, to see a file that grew */
	buf = g_malloc((gsize)st.st_size + 1);
	while (TRUE) {
		gssize n = read(fd, buf + done, (gsize)st.st_size + 1 - done);
		if (n < 0) {
			gint errsv = errno;
			if (errsv == EINTR)
				continue;
			close(fd);
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
		done += (gsize)n;
		if (done > (gsize)st.st_size) {
			close(fd);
			g_set_error(error,
				    SUIT_ERROR,
				    SUIT_ERROR_INVALID_DATA,
				    "%s changed while it was read",
				    path);
			return NULL;
		}
	}
	close(fd);
	return g_bytes_new_take(g_steal_pointer(&buf), done);
}
