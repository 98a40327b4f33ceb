#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The README's first command, ./build.sh demo, is tests/cli/demo.sh over
# the build directory: run it here as a newcomer's shell has it, without
# the variables make check sets to point famfsctl at this build (plugins,
# mount server, fabric), so what it needs it must find or set itself.
set -u
exec env -u FAMFSCTL_FUSED -u FAMFSCTL_PLUGIN_DIR -u FAMFSCTL_FABRIC -u FAMFSCTL_POLICY_DIR \
	bash "${top_srcdir:?}/tests/cli/demo.sh" "${top_builddir:?}"
