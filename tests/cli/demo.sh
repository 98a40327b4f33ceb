#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The main job, end to end on the embedded simulator: what a newcomer runs
# first (README). Argument: the build directory, or --installed for the
# installed famfsctl, its plugins and /etc/famfs (the Debian packages).
set -euo pipefail
build=${1:?build directory or --installed}
src=$(cd "$(dirname "$0")/../.." && pwd)
if [ "$build" = --installed ]; then
	famfsctl=$(command -v famfsctl)
	policies=/etc/famfs
else
	famfsctl=$build/cmd/famfsctl
	policies=$src/policies
	# this build's plugins and mount server
	export FAMFSCTL_PLUGIN_DIR=$build/plugins/.libs
	export FAMFSCTL_FUSED=$build/fuse/famfsctl-fused
fi
work=$(mktemp -d)
cleanup() {
	"$famfsctl" down demo --mount-point "$work/mnt" >/dev/null 2>&1 || true
	rm -rf "$work"
}
trap cleanup EXIT
# the shipped policies; a simulated fabric of our own
export FAMFSCTL_POLICY_DIR=$policies
export FAMFSCTL_FABRIC=sim:$work/fabric FAMFSCTL_SYSTEM_UUID=5a5a5a5a-5a5a-5a5a-5a5a-5a5a5a5a5a5a

echo "== famfsctl --version"
"$famfsctl" --version
echo "== famfsctl fabric create   (the embedded DCD simulator: 4 devices of 8 GiB, sparse files)"
"$famfsctl" fabric create --devices 4 --capacity 8G --ports 2 --sharable
echo "== famfsctl policy show demo   (policies/policies.d/demo.conf: 4 members of 4 GiB, 4 strips)"
"$famfsctl" policy show demo | grep -E '"(count|member_size|chunk|strips|mount_mode)"'
echo "== famfsctl up demo   (alloc, interleave, format, mount -- each only when needed)"
"$famfsctl" up demo --mount-point "$work/mnt"
echo "== copy files in through the mount, and with famfsctl cp (striped over the members)"
cp "$src/README" "$src/COPYING" "$work/mnt/"
mkdir "$work/mnt/lib"
"$famfsctl" cp -r "$src/lib" demo:/lib/source
ls -l "$work/mnt" "$work/mnt/lib/source" | head -20
cmp "$work/mnt/README" "$src/README" && echo "README reads back identical through the mount"
echo "== famfsctl up demo, again: nothing to do"
"$famfsctl" up demo --mount-point "$work/mnt" >/dev/null
echo "== famfsctl list -A -u   (this simulated host's allocation group, rebuilt from the tags)"
"$famfsctl" list -A -u | sed -n '/"groups"/,$p'
echo "== famfsctl fsck demo"
"$famfsctl" fsck demo | grep -E '"clean"|"log_entries_used"'
echo "== famfsctl down demo   (unmount, forget the set, release the capacity)"
"$famfsctl" down demo --mount-point "$work/mnt"
echo "== famfsctl fabric info: every device's capacity is free again"
"$famfsctl" fabric info -u | grep -E '"free": ' | sort | uniq -c
