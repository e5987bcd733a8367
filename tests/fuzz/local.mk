# SPDX-License-Identifier: Apache-2.0
fuzzers:
.PHONY: fuzzers
