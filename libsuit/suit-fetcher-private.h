/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "suit-fetcher.h"

G_BEGIN_DECLS

/* checks @uri is absolute and its scheme is one of @schemes; "#name" gives
 * SUIT_ERROR_NOT_SUPPORTED (integrated payloads are resolved by the consumer) */
gboolean
suit_fetcher_check_uri(const gchar *uri, const gchar *const *schemes, GError **error);
/* writes all of @buf to @sink; failures other than SUIT_ERROR and cancellation
 * become SUIT_ERROR_WRITE_FAILED */
gboolean
suit_fetcher_sink_write(GOutputStream *sink,
			const guint8 *buf,
			gsize bufsz,
			GCancellable *cancellable,
			GError **error);
/* the error for a body larger than @max_size */
gboolean
suit_fetcher_limit_exceeded(const gchar *uri, guint64 size, guint64 max_size, GError **error);

G_END_DECLS
