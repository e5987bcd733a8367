# SPDX-License-Identifier: Apache-2.0
# tests/unit: one Check program per module (STYLE.md section 8).
# Every unit test links the library, the test helpers and Check, and may
# reach internals through stack/*_int.h (CMP_TEST_HOOKS).
UNIT_CFLAGS = $(AM_CFLAGS) $(CHECK_CFLAGS) -I$(top_srcdir)/tests/lib -DCMP_TEST_HOOKS -D_DEFAULT_SOURCE \
	-Wno-missing-prototypes
UNIT_LDADD = tests/lib/libtestlib.la libcmpstack.la $(CHECK_LIBS)
# -static: tests reach internal (hidden) symbols through the static archive.
UNIT_LINKFLAGS = $(AM_LDFLAGS) -no-install -static

check_PROGRAMS += tests/unit/check_err
TESTS += tests/unit/check_err
tests_unit_check_err_SOURCES = tests/unit/check_err.c
tests_unit_check_err_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_err_LDADD = $(UNIT_LDADD)
tests_unit_check_err_LDFLAGS = $(UNIT_LINKFLAGS)

check_PROGRAMS += tests/unit/check_mem
TESTS += tests/unit/check_mem
tests_unit_check_mem_SOURCES = tests/unit/check_mem.c
tests_unit_check_mem_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_mem_LDADD = $(UNIT_LDADD)
tests_unit_check_mem_LDFLAGS = $(UNIT_LINKFLAGS)

check_PROGRAMS += tests/unit/check_rd
TESTS += tests/unit/check_rd
tests_unit_check_rd_SOURCES = tests/unit/check_rd.c
tests_unit_check_rd_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_rd_LDADD = $(UNIT_LDADD)
tests_unit_check_rd_LDFLAGS = $(UNIT_LINKFLAGS)
