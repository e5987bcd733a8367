# SPDX-License-Identifier: Apache-2.0
# tests/lib: helpers linked into every unit test.
check_LTLIBRARIES = tests/lib/libtestlib.la
tests_lib_libtestlib_la_SOURCES = tests/lib/testlib.c tests/lib/testlib.h
tests_lib_libtestlib_la_CFLAGS = $(AM_CFLAGS) -Wno-missing-prototypes -D_DEFAULT_SOURCE
