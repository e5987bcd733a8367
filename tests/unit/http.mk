# SPDX-License-Identifier: Apache-2.0
# tests/unit/http.mk: the transport's Check programs (modelled on local.mk).
#   check_http_parse      the pure parsers: tables, prefixes, URLs
#   check_http            client and server over 127.0.0.1
#   check_http_transport  the transport interface and the in-memory double
check_PROGRAMS += tests/unit/check_http_parse
TESTS += tests/unit/check_http_parse
tests_unit_check_http_parse_SOURCES = tests/unit/check_http_parse.c
tests_unit_check_http_parse_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_http_parse_LDADD = $(UNIT_LDADD)
tests_unit_check_http_parse_LDFLAGS = $(UNIT_LINKFLAGS)

check_PROGRAMS += tests/unit/check_http
TESTS += tests/unit/check_http
tests_unit_check_http_SOURCES = tests/unit/check_http.c
tests_unit_check_http_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_http_LDADD = $(UNIT_LDADD) $(PTHREAD_LIBS)
tests_unit_check_http_LDFLAGS = $(UNIT_LINKFLAGS)

check_PROGRAMS += tests/unit/check_http_transport
TESTS += tests/unit/check_http_transport
tests_unit_check_http_transport_SOURCES = tests/unit/check_http_transport.c
tests_unit_check_http_transport_CFLAGS = $(UNIT_CFLAGS)
tests_unit_check_http_transport_LDADD = $(UNIT_LDADD)
tests_unit_check_http_transport_LDFLAGS = $(UNIT_LINKFLAGS)
