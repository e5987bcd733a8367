/* SPDX-License-Identifier: Apache-2.0 */
/*
 * cmp/cmp.h: the umbrella header; includes every public header of
 * cmpstack (STYLE.md section 10).
 */
#ifndef CMP_CMP_H
#define CMP_CMP_H

#include "cmp/types.h"
#include "cmp/config.h"
#include "cmp/err.h"
#include "cmp/mem.h"
#include "cmp/oid.h"
#include "cmp/ext.h"
#include "cmp/msg.h"
#include "cmp_crypto.h"
#include "cmp/transport.h"
#include "cmp/http.h"
#include "cmp/client.h"
#include "cmp/server.h"

#endif /* CMP_CMP_H */
