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
echo "== famfsctl alloc: 48 GiB over three devices, each part its own tag, as famfs-mode dax devices"
group=12345678-9abc-4def-8123-456789ab0000
"$famfsctl" alloc --size 48G --ways 3 --shared --tag $group -u
echo "== host 1 joins the group (the fabric shares each member's capacity with it)"
"$famfsctl" --host-id 1 alloc --join $group | grep -E '"(memdev|daxdev)"'
echo "== famfsctl fabric tags   (the fabric's view: which hosts hold each tag)"
"$famfsctl" fabric tags | tr -d ' \n' | sed 's/},{/}\n{/g; s/^\[//; s/\]$//'; echo
echo "== famfsctl list -A   (host 0: its allocations, and the group rebuilt from the tags)"
"$famfsctl" list -A -u | sed -n '/"groups"/,$p'
echo "== famfsctl release the group on host 0; host 1 keeps its share"
"$famfsctl" release $group
echo "== famfsctl policy show demo   (policies/policies.d/demo.conf, defaults merged)"
FAMFSCTL_POLICY_DIR=$src/policies "$famfsctl" policy show -u demo
echo "== famfsctl format: famfs across three members (sparse files standing in for dax devices)"
truncate -s 4G "$work/member0"
truncate -s 1G "$work/member1" "$work/member2"
export FAMFSCTL_SYSTEM_UUID=5a5a5a5a-5a5a-5a5a-5a5a-5a5a5a5a5a5a
"$famfsctl" format "$work/member0,$work/member1,$work/member2"
echo "== famfsctl fsck (members in any order after the primary)"
"$famfsctl" fsck "$work/member0,$work/member2,$work/member1" | grep -E '"clean"|"log_entries_used"'
