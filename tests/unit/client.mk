# SPDX-License-Identifier: Apache-2.0
# The end entity: stack/client*.c and stack/prot.c against a scripted CA
# (check_client), and the tools' atomic writer (check_client_tool).
check_PROGRAMS += tests/unit/check_client
TESTS += tests/unit/check_client
tests_unit_check_client_SOURCES = tests/unit/check_client.c
tests_unit_check_client_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_client_LDADD = $(UNIT_LDADD)
tests_unit_check_client_LDFLAGS = $(UNIT_LINKFLAGS)

check_PROGRAMS += tests/unit/check_client_tool
TESTS += tests/unit/check_client_tool
tests_unit_check_client_tool_SOURCES = tests/unit/check_client_tool.c
tests_unit_check_client_tool_CFLAGS = $(UNIT_CFLAGS) -I$(top_srcdir)/tools
tests_unit_check_client_tool_LDADD = tools/libtoolutil.la $(UNIT_LDADD)
tests_unit_check_client_tool_LDFLAGS = $(UNIT_LINKFLAGS)
