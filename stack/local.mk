# SPDX-License-Identifier: Apache-2.0
# stack/: the hand-written protocol layer. One line per module.
libcmpstack_la_SOURCES += stack/mem.c
libcmpstack_la_SOURCES += stack/err.c
libcmpstack_la_SOURCES += stack/rd.c
noinst_HEADERS += stack/err_int.h stack/compat.h stack/rd_int.h
cmpinclude_HEADERS += \
	stack/include/cmp/types.h \
	stack/include/cmp/mem.h \
	stack/include/cmp/err.h \
	stack/include/cmp/config.h
# transport: the interface, the in-memory double, HTTP client and server core
libcmpstack_la_SOURCES += stack/transport.c stack/http_parse.c stack/http_sock.c \
	stack/http.c stack/http_server.c
noinst_HEADERS += stack/http_int.h
cmpinclude_HEADERS += stack/include/cmp/transport.h stack/include/cmp/http.h
# protection (client and server) and the end entity
libcmpstack_la_SOURCES += stack/prot.c stack/client.c stack/client_txn.c
noinst_HEADERS += stack/prot_int.h stack/client_int.h
cmpinclude_HEADERS += stack/include/cmp/client.h stack/include/cmp/cmp.h
# message bodies, OIDs, extensions, printer (the body half of the message layer)
libcmpstack_la_SOURCES += stack/msg_body.c stack/msg_status.c stack/oid.c \
	stack/msg_certreq.c stack/msg_certrep.c stack/msg_conf.c stack/msg_poll.c \
	stack/msg_error.c stack/msg_genm.c stack/msg_rr.c stack/ext.c stack/ext_print.c \
	stack/msg_print.c
noinst_HEADERS += stack/msg_body_int.h
cmpinclude_HEADERS += stack/include/cmp/oid.h stack/include/cmp/ext.h
# message layer core: decoding, encoding, raw spans, header (msg.c, msg_hdr.c)
libcmpstack_la_SOURCES += stack/msg.c stack/msg_hdr.c stack/name.c
noinst_HEADERS += stack/msg_int.h
cmpinclude_HEADERS += stack/include/cmp/msg.h
# server: the CA/RA responder (transaction table, checks, issuing, genm) and its SQLite store
libcmpstack_la_SOURCES += stack/server.c stack/server_req.c stack/server_genm.c \
	stack/server_store.c
noinst_HEADERS += stack/server_int.h
cmpinclude_HEADERS += stack/include/cmp/server.h
