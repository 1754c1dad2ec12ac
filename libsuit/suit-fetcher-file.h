/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__LIBSUIT_INSIDE__) && !defined(SUIT_COMPILATION)
#error "Only <libsuit/suit.h> can be included directly."
#endif

#include "suit-fetcher.h"
#include "suit-version-macros.h"

G_BEGIN_DECLS

#define SUIT_TYPE_FETCHER_FILE (suit_fetcher_file_get_type())
SUIT_AVAILABLE_IN_0_1
G_DECLARE_FINAL_TYPE(SuitFetcherFile, suit_fetcher_file, SUIT, FETCHER_FILE, GObject)

SUIT_AVAILABLE_IN_0_1
SuitFetcherFile *
suit_fetcher_file_new(void) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
