/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tests/lib/testlib.h: helpers shared by the unit tests.
 *
 * - test data is found through $CMP_TEST_DATA (set by make check);
 * - files are loaded into heap buffers of exactly their size, so that ASan
 *   and valgrind catch any read past the end;
 * - a failing allocator fails the Nth allocation, to test every error path
 *   that an allocation failure opens (STYLE.md section 5).
 */
#ifndef CMP_TESTLIB_H
#define CMP_TESTLIB_H

#include <stddef.h>
#include <stdint.h>

/* testlib_path returns "$CMP_TEST_DATA/<rel>" in a static buffer. */
const char *testlib_path(const char *rel);

/* testlib_load reads a file into a fresh malloc'd buffer of exactly its size
 * (size 0 gives a 1-byte buffer). Returns NULL when the file cannot be read. */
uint8_t *testlib_load(const char *path, size_t *out_len);

/* testlib_dup copies |len| bytes into a malloc'd buffer of exactly |len|. */
uint8_t *testlib_dup(const void *data, size_t len);

/* testlib_hex decodes a hex string (spaces ignored) into a malloc'd buffer
 * of exactly the decoded size. Returns NULL on a malformed string. */
uint8_t *testlib_hex(const char *hex, size_t *out_len);

/* testlib_list_dir lists regular files in |dir| whose names end in |suffix|,
 * sorted; returns the count and a malloc'd array of malloc'd full paths. */
size_t testlib_list_dir(const char *dir, const char *suffix, char ***out_paths);
void testlib_free_list(char **paths, size_t n);

/* The failing allocator: after testlib_fail_alloc_after(n) the (n+1)th
 * allocation through cmp_malloc/cmp_realloc fails; -1 disables. The number
 * of allocations seen since the last call is testlib_alloc_count(). */
void testlib_fail_alloc_after(long n);
long testlib_alloc_count(void);

#endif /* CMP_TESTLIB_H */
