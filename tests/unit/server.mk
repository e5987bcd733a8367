# SPDX-License-Identifier: Apache-2.0
# tests/unit/server.mk: the CA/RA responder (stack/server*.c).
check_PROGRAMS += tests/unit/check_server
TESTS += tests/unit/check_server
tests_unit_check_server_SOURCES = tests/unit/check_server.c
tests_unit_check_server_CFLAGS = $(UNIT_CFLAGS) $(SQLITE_CFLAGS)
# SQLite directly only to write a database of the first schema version
tests_unit_check_server_LDADD = $(UNIT_LDADD) $(SQLITE_LIBS)
tests_unit_check_server_LDFLAGS = $(UNIT_LINKFLAGS)
