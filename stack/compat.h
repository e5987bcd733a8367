/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/compat.h: the only place where compiler extensions are named.
 */
#ifndef CMP_COMPAT_H
#define CMP_COMPAT_H

#if defined(__GNUC__) || defined(__clang__)
#define CMP_MUST_CHECK __attribute__((warn_unused_result))
#else
#define CMP_MUST_CHECK
#endif

/* CMP_STATIC_TESTABLE: static, unless unit tests need to reach the helper. */
#ifdef CMP_TEST_HOOKS
#define CMP_STATIC_TESTABLE
#else
#define CMP_STATIC_TESTABLE static
#endif

#endif /* CMP_COMPAT_H */
