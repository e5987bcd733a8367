# SPDX-License-Identifier: Apache-2.0
bench:
.PHONY: bench
EXTRA_DIST += tests/bench/server_ir.sh
