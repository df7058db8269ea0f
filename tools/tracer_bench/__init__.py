# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""tools/bench as a package: one module per section (docs/performance.md)."""
