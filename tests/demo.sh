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
echo "== famfsctl list   (this host's kernel: FAMFSCTL_FABRIC=none; [] on a machine without CXL)"
FAMFSCTL_FABRIC=none "$famfsctl" list
# The plugins of this build, not installed ones.
export FAMFSCTL_PLUGIN_DIR=$build/plugins/.libs FAMFSCTL_FABRIC=sim:$work/fabric
echo "== famfsctl fabric create   (the embedded simulator: 4 DCDs of 64 GiB, sparse files)"
"$famfsctl" fabric create --devices 4 --capacity 64G --ports 2 --sharable
echo "== the fabric manager adds 16 GiB under its own tag to host 0 on three devices"
for d in 0 1 2; do
	echo "{\"famfsctl_exec\":1,\"op\":\"add\",\"device\":$d,\"host\":0,\"policy\":\"free\",
	      \"length\":17179869184,\"tag\":\"d0d0d0d0-0000-4000-8000-00000000000$d\"}" |
		"$famfsctl" fabric call
done
echo "== ... and shares device 0's with host 1"
echo '{"famfsctl_exec":1,"op":"add","device":0,"host":1,"policy":"enable-shared-access",
      "tag":"d0d0d0d0-0000-4000-8000-000000000000"}' | "$famfsctl" fabric call
echo "== famfsctl fabric tags -u"
"$famfsctl" fabric tags -u
echo "== famfsctl --host-id 0 list -E -u   (what host 0's kernel shows: its extents, by tag)"
"$famfsctl" --host-id 0 list -E -u
echo "== famfsctl policy show demo   (policies/policies.d/demo.conf, defaults merged)"
FAMFSCTL_POLICY_DIR=$src/policies "$famfsctl" policy show -u demo
echo "== famfsctl format: famfs across three members (sparse files standing in for dax devices)"
truncate -s 4G "$work/member0"
truncate -s 1G "$work/member1" "$work/member2"
export FAMFSCTL_SYSTEM_UUID=5a5a5a5a-5a5a-5a5a-5a5a-5a5a5a5a5a5a
"$famfsctl" format "$work/member0,$work/member1,$work/member2"
echo "== famfsctl fsck (members in any order after the primary)"
"$famfsctl" fsck "$work/member0,$work/member2,$work/member1" | grep -E '"clean"|"log_entries_used"'
