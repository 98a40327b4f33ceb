#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The main job, shown end to end: what a newcomer runs first (README).
# Argument: the build directory.
set -euo pipefail
build=${1:?build directory}
famfsctl=$build/cmd/famfsctl

echo "== famfsctl --version"
"$famfsctl" --version
echo "== famfsctl list   (this host's CXL topology; [] on a machine without CXL)"
"$famfsctl" list
