# SPDX-License-Identifier: Apache-2.0
# stack/: the hand-written protocol layer. One line per module.
libcmpstack_la_SOURCES += stack/mem.c
libcmpstack_la_SOURCES += stack/err.c
noinst_HEADERS += stack/err_int.h stack/compat.h
cmpinclude_HEADERS += \
	stack/include/cmp/types.h \
	stack/include/cmp/mem.h \
	stack/include/cmp/err.h
