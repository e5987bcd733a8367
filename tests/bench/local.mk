# SPDX-License-Identifier: Apache-2.0
bench:
.PHONY: bench
