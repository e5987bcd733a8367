# SPDX-License-Identifier: Apache-2.0
# Shared helpers of the tools (files, PEM, pass phrases, atomic writes).
noinst_LTLIBRARIES += tools/libtoolutil.la
tools_libtoolutil_la_SOURCES = tools/tool_util.c tools/tool_util.h
tools_libtoolutil_la_CFLAGS = $(AM_CFLAGS)

bin_PROGRAMS += tools/cmpclient
tools_cmpclient_SOURCES = tools/cmpclient.c
tools_cmpclient_CFLAGS = $(AM_CFLAGS)
tools_cmpclient_LDADD = tools/libtoolutil.la libcmpstack.la
# cmpserver: the CA/RA over HTTP (cmp_server + cmp_http_server)
bin_PROGRAMS += tools/cmpserver
tools_cmpserver_SOURCES = tools/cmpserver.c
tools_cmpserver_CFLAGS = $(AM_CFLAGS)
tools_cmpserver_LDADD = tools/libtoolutil.la libcmpstack.la
# cmpdump: print a PKIMessage as text or JSON, check that it is canonical DER
bin_PROGRAMS += tools/cmpdump
tools_cmpdump_SOURCES = tools/cmpdump.c
tools_cmpdump_CFLAGS = $(AM_CFLAGS) -D_DEFAULT_SOURCE
tools_cmpdump_LDADD = libcmpstack.la
