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

#ifndef _SUIT_EXTERN
#define _SUIT_EXTERN __attribute__((visibility("default"))) extern
#endif

/**
 * SUIT_AVAILABLE_IN_ALL:
 *
 * Marks a symbol that is part of the public ABI since the first release.
 *
 * Since: 0.1
 */
#define SUIT_AVAILABLE_IN_ALL _SUIT_EXTERN

/**
 * SUIT_AVAILABLE_IN_0_1:
 *
 * Marks a symbol that is public since libsuit 0.1.
 *
 * Since: 0.1
 */
#define SUIT_AVAILABLE_IN_0_1 _SUIT_EXTERN
