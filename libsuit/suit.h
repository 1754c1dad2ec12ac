/*
 * Copyright 2026 The libsuit authors
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

/**
 * SECTION:libsuit
 *
 * libsuit: secure firmware updates with IETF SUIT manifests. Include only this
 * header.
 */

#define __LIBSUIT_INSIDE__

#include "suit-component-id.h"
#include "suit-command.h"
#include "suit-digest.h"
#include "suit-enum-types.h"
#include "suit-enums.h"
#include "suit-envelope.h"
#include "suit-error.h"
#include "suit-key.h"
#include "suit-keyring.h"
#include "suit-manifest.h"
#include "suit-author.h"
#include "suit-firmware-consumer.h"
#include "suit-fetcher.h"
#include "suit-fetcher-soup.h"
#include "suit-fetcher-file.h"
#include "suit-progress.h"
#include "suit-report.h"
#include "suit-store.h"
#include "suit-store-directory.h"
#include "suit-store-memory.h"
#include "suit-database.h"
#include "suit-database-sqlite.h"
#include "suit-database-memory.h"
#include "suit-firmware-server.h"
#include "suit-status-tracker.h"
#include "suit-communicator.h"
#include "suit-extra-enums.h"
#include "suit-version-macros.h"
#include "suit-version.h"

#undef __LIBSUIT_INSIDE__
