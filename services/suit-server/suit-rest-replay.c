/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

/*
 * SuitRestReplayStream: the input of a connection the fast path hands to
 * libsoup. It first gives the bytes the fast path already read from the
 * socket, then reads the socket; it is pollable, as libsoup needs, and
 * closing it closes the connection.
 */

#include "config.h"

#include <string.h>

#include "suit-rest-private.h"

#define SUIT_TYPE_REST_REPLAY_STREAM (suit_rest_replay_stream_get_type())
G_DECLARE_FINAL_TYPE(SuitRestReplayStream,
		     suit_rest_replay_stream,
		     SUIT,
		     REST_REPLAY_STREAM,
		     GInputStream)

struct _SuitRestReplayStream {
	GInputStream parent_instance;
	GIOStream *connection; /* the socket's, closed with this stream */
	GInputStream *base;    /* its input */
	GBytes *replay;	       /* (nullable): what is left to give first */
	gsize offset;
};

static void
suit_rest_replay_stream_pollable_init(GPollableInputStreamInterface *iface);

G_DEFINE_TYPE_WITH_CODE(SuitRestReplayStream,
			suit_rest_replay_stream,
			G_TYPE_INPUT_STREAM,
			G_IMPLEMENT_INTERFACE(G_TYPE_POLLABLE_INPUT_STREAM,
					      suit_rest_replay_stream_pollable_init))

/* gives up to @count replayed bytes */
static gssize
suit_rest_replay_stream_take(SuitRestReplayStream *self, void *buffer, gsize count)
{
	gsize size = 0;
	const guint8 *data = g_bytes_get_data(self->replay, &size);
	gsize n = MIN(count, size - self->offset);

	memcpy(buffer, data + self->offset, n);
	self->offset += n;
	if (self->offset == size)
		g_clear_pointer(&self->replay, g_bytes_unref);
	return (gssize)n;
}

static gssize
suit_rest_replay_stream_read(GInputStream *stream,
			     void *buffer,
			     gsize count,
			     GCancellable *cancellable,
			     GError **error)
{
	SuitRestReplayStream *self = SUIT_REST_REPLAY_STREAM(stream);

	if (self->replay != NULL)
		return suit_rest_replay_stream_take(self, buffer, count);
	return g_input_stream_read(self->base, buffer, count, cancellable, error);
}

static gboolean
suit_rest_replay_stream_close(GInputStream *stream, GCancellable *cancellable, GError **error)
{
	SuitRestReplayStream *self = SUIT_REST_REPLAY_STREAM(stream);

	g_clear_pointer(&self->replay, g_bytes_unref);
	return g_io_stream_close(self->connection, cancellable, error);
}

static gboolean
suit_rest_replay_stream_can_poll(GPollableInputStream *stream)
{
	return TRUE;
}

static gboolean
suit_rest_replay_stream_is_readable(GPollableInputStream *stream)
{
	SuitRestReplayStream *self = SUIT_REST_REPLAY_STREAM(stream);

	return self->replay != NULL ||
	       g_pollable_input_stream_is_readable(G_POLLABLE_INPUT_STREAM(self->base));
}

static GSource *
suit_rest_replay_stream_create_source(GPollableInputStream *stream, GCancellable *cancellable)
{
	SuitRestReplayStream *self = SUIT_REST_REPLAY_STREAM(stream);
	g_autoptr(GSource) base_source = NULL;
	GSource *source;

	if (self->replay != NULL) {
		/* readable now */
		source = g_pollable_source_new_full(stream, NULL, cancellable);
		g_source_set_ready_time(source, 0);
		return source;
	}
	base_source =
	    g_pollable_input_stream_create_source(G_POLLABLE_INPUT_STREAM(self->base), NULL);
	return g_pollable_source_new_full(stream, base_source, cancellable);
}

static gssize
suit_rest_replay_stream_read_nonblocking(GPollableInputStream *stream,
					 void *buffer,
					 gsize count,
					 GError **error)
{
	SuitRestReplayStream *self = SUIT_REST_REPLAY_STREAM(stream);

	if (self->replay != NULL)
		return suit_rest_replay_stream_take(self, buffer, count);
	return g_pollable_input_stream_read_nonblocking(G_POLLABLE_INPUT_STREAM(self->base),
							buffer,
							count,
							NULL,
							error);
}

static void
suit_rest_replay_stream_pollable_init(GPollableInputStreamInterface *iface)
{
	iface->can_poll = suit_rest_replay_stream_can_poll;
	iface->is_readable = suit_rest_replay_stream_is_readable;
	iface->create_source = suit_rest_replay_stream_create_source;
	iface->read_nonblocking = suit_rest_replay_stream_read_nonblocking;
}

static void
suit_rest_replay_stream_finalize(GObject *object)
{
	SuitRestReplayStream *self = SUIT_REST_REPLAY_STREAM(object);

	g_clear_pointer(&self->replay, g_bytes_unref);
	g_clear_object(&self->base);
	g_clear_object(&self->connection);
	G_OBJECT_CLASS(suit_rest_replay_stream_parent_class)->finalize(object);
}

static void
suit_rest_replay_stream_class_init(SuitRestReplayStreamClass *klass)
{
	GObjectClass *object_class = G_OBJECT_CLASS(klass);
	GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS(klass);

	object_class->finalize = suit_rest_replay_stream_finalize;
	stream_class->read_fn = suit_rest_replay_stream_read;
	stream_class->close_fn = suit_rest_replay_stream_close;
}

static void
suit_rest_replay_stream_init(SuitRestReplayStream *self)
{
}

/* @connection: a socket connection; @replay: (nullable): bytes already read
 * from it, given before the socket's
 *
 * Returns: (transfer full): the connection, with @replay in front of its
 *   input */
GIOStream *
suit_rest_replay_io_stream_new(GIOStream *connection, GBytes *replay)
{
	SuitRestReplayStream *input = g_object_new(SUIT_TYPE_REST_REPLAY_STREAM, NULL);
	GIOStream *stream;

	input->connection = g_object_ref(connection);
	input->base = g_object_ref(g_io_stream_get_input_stream(connection));
	if (replay != NULL && g_bytes_get_size(replay) > 0)
		input->replay = g_bytes_ref(replay);
	stream = g_simple_io_stream_new(G_INPUT_STREAM(input), g_io_stream_get_output_stream(connection));
	g_object_unref(input);
	return stream;
}
