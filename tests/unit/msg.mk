# SPDX-License-Identifier: Apache-2.0
# tests/unit: the core of the message layer (stack/msg.c, msg_hdr.c, name.c).
# The tests reach the asn1c tree through stack/msg_int.h, so they see the
# generated headers.
check_PROGRAMS += tests/unit/check_msg
TESTS += tests/unit/check_msg
tests_unit_check_msg_SOURCES = tests/unit/check_msg.c
tests_unit_check_msg_CFLAGS = $(UNIT_CFLAGS) -I$(top_srcdir)/generated
tests_unit_check_msg_LDADD = $(UNIT_LDADD)
tests_unit_check_msg_LDFLAGS = $(UNIT_LINKFLAGS)

check_PROGRAMS += tests/unit/check_msg_name
TESTS += tests/unit/check_msg_name
tests_unit_check_msg_name_SOURCES = tests/unit/check_msg_name.c
tests_unit_check_msg_name_CFLAGS = $(UNIT_CFLAGS) -I$(top_srcdir)/generated
tests_unit_check_msg_name_LDADD = $(UNIT_LDADD)
tests_unit_check_msg_name_LDFLAGS = $(UNIT_LINKFLAGS)
