#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The main job as far as it exists, shown end to end: what a newcomer runs
# first (README). Argument: the build directory.
set -euo pipefail
build=${1:?build directory}
src=$(cd "$(dirname "$0")/.." && pwd)
famfsctl=$build/cmd/famfsctl
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== famfsctl --version"
"$famfsctl" --version
echo "== famfsctl list   (this host's CXL topology; [] on a machine without CXL)"
"$famfsctl" list
echo "== famfsctl policy show demo   (policies/policies.d/demo.conf, defaults merged)"
FAMFSCTL_POLICY_DIR=$src/policies "$famfsctl" policy show -u demo
echo "== famfsctl format: famfs across three members (sparse files standing in for dax devices)"
truncate -s 4G "$work/member0"
truncate -s 1G "$work/member1" "$work/member2"
export FAMFSCTL_SYSTEM_UUID=5a5a5a5a-5a5a-5a5a-5a5a-5a5a5a5a5a5a
"$famfsctl" format "$work/member0,$work/member1,$work/member2"
echo "== famfsctl fsck (members in any order after the primary)"
"$famfsctl" fsck "$work/member0,$work/member2,$work/member1" | grep -E '"clean"|"log_entries_used"'
