/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__LIBSUIT_INSIDE__) && !defined(SUIT_COMPILATION)
#error "Only <libsuit/suit.h> can be included directly."
#endif

#include <glib.h>

#include "suit-version-macros.h"

G_BEGIN_DECLS

/*
 * Public enums and flags of the roles and plug-ins (store, fetcher, report,
 * author). Each owner appends its own section; glib-mkenums registers their
 * GTypes.
 */

/* section: store */

/* section: fetcher */

/* section: progress */

/* section: report */

/* section: author */

G_END_DECLS
