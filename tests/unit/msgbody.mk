# SPDX-License-Identifier: Apache-2.0
# tests/unit: the message bodies, extensions, OIDs and the printer
# (stack/msg_<body>.c, msg_status.c, msg_body.c, ext.c, oid.c, msg_print.c).
# They reach the asn1c tree through stack/msg_body_int.h, so they see the
# generated headers.
check_PROGRAMS += tests/unit/check_msg_body
TESTS += tests/unit/check_msg_body
tests_unit_check_msg_body_SOURCES = tests/unit/check_msg_body.c
tests_unit_check_msg_body_CFLAGS = $(UNIT_CFLAGS) -I$(top_srcdir)/generated
tests_unit_check_msg_body_LDADD = $(UNIT_LDADD)
tests_unit_check_msg_body_LDFLAGS = $(UNIT_LINKFLAGS)

check_PROGRAMS += tests/unit/check_ext
TESTS += tests/unit/check_ext
tests_unit_check_ext_SOURCES = tests/unit/check_ext.c
tests_unit_check_ext_CFLAGS = $(UNIT_CFLAGS) -I$(top_srcdir)/generated
tests_unit_check_ext_LDADD = $(UNIT_LDADD)
tests_unit_check_ext_LDFLAGS = $(UNIT_LINKFLAGS)

check_PROGRAMS += tests/unit/check_msg_print
TESTS += tests/unit/check_msg_print
tests_unit_check_msg_print_SOURCES = tests/unit/check_msg_print.c
tests_unit_check_msg_print_CFLAGS = $(UNIT_CFLAGS) -I$(top_srcdir)/generated
tests_unit_check_msg_print_LDADD = $(UNIT_LDADD)
tests_unit_check_msg_print_LDFLAGS = $(UNIT_LINKFLAGS)
