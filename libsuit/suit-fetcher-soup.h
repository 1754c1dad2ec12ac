/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(__LIBSUIT_INSIDE__) && !defined(SUIT_COMPILATION)
#error "Only <libsuit/suit.h> can be included directly."
#endif

#include <gio/gio.h>

#include "suit-fetcher.h"
#include "suit-version-macros.h"

G_BEGIN_DECLS

#define SUIT_TYPE_FETCHER_SOUP (suit_fetcher_soup_get_type())
SUIT_AVAILABLE_IN_0_1
G_DECLARE_FINAL_TYPE(SuitFetcherSoup, suit_fetcher_soup, SUIT, FETCHER_SOUP, GObject)

SUIT_AVAILABLE_IN_0_1
SuitFetcherSoup *
suit_fetcher_soup_new(void) G_GNUC_WARN_UNUSED_RESULT;
SUIT_AVAILABLE_IN_0_1
guint
suit_fetcher_soup_get_timeout(SuitFetcherSoup *self);
SUIT_AVAILABLE_IN_0_1
void
suit_fetcher_soup_set_timeout(SuitFetcherSoup *self, guint timeout);
SUIT_AVAILABLE_IN_0_1
guint
suit_fetcher_soup_get_max_retries(SuitFetcherSoup *self);
SUIT_AVAILABLE_IN_0_1
void
suit_fetcher_soup_set_max_retries(SuitFetcherSoup *self, guint max_retries);
SUIT_AVAILABLE_IN_0_1
guint
suit_fetcher_soup_get_retry_delay(SuitFetcherSoup *self);
SUIT_AVAILABLE_IN_0_1
void
suit_fetcher_soup_set_retry_delay(SuitFetcherSoup *self, guint retry_delay);
SUIT_AVAILABLE_IN_0_1
void
suit_fetcher_soup_set_tls_database(SuitFetcherSoup *self, GTlsDatabase *tls_database);

G_END_DECLS
