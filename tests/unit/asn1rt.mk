# SPDX-License-Identifier: Apache-2.0
# tests/unit/asn1rt.mk: the asn1c runtime test (asn1/ owner's fragment,
# included by the top Makefile.am). check_asn1rt calls the generated codec
# directly, so it builds with the generated code's flags, not -Werror.
check_PROGRAMS += tests/unit/check_asn1rt
TESTS += tests/unit/check_asn1rt
tests_unit_check_asn1rt_SOURCES = tests/unit/check_asn1rt.c
tests_unit_check_asn1rt_CFLAGS = $(AM_CFLAGS_GEN) $(CHECK_CFLAGS) -I$(top_srcdir)/tests/lib
tests_unit_check_asn1rt_LDADD = tests/lib/libtestlib.la libcmpstack.la $(CHECK_LIBS)
tests_unit_check_asn1rt_LDFLAGS = $(AM_LDFLAGS) -no-install -static
