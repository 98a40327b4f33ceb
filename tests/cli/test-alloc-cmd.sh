#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# famfsctl alloc | release | list -A from the command line, on the
# simulator: the JSON scripts read, exit codes, and what a failed alloc says.
set -u
. "$top_srcdir/tests/lib/testlib.sh"
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
export FAMFSCTL_FABRIC=sim:$dir/fabric
"$FAMFSCTL" fabric create --devices 4 --capacity 2G --sharable >/dev/null

t "alloc needs a size" 2 "$FAMFSCTL" alloc
t "alloc --size 0 is not a size" 2 "$FAMFSCTL" alloc --size 0
has "says 0 is not a size, not that it is missing" "--size: '0' is not a size to allocate: give more than 0 bytes"
t "bad timeout" 2 "$FAMFSCTL" alloc --size 1G --timeout soon
has "says what a duration is" "not a duration"
t "bad group id" 2 "$FAMFSCTL" alloc --size 1G --tag nope
t "join takes no size" 2 "$FAMFSCTL" alloc --join 12345678-9abc-4def-8123-456789ab0000 --size 1G
t "too many ways" 1 "$FAMFSCTL" alloc --size 1G --ways 5
has "explains" "only 4 of 5 memory devices can take"
# issue 18: the parts of a size near 2^64 wrapped to 0 bytes
for ways in 1 3 4; do
	t "a size whose parts pass 2^64, $ways ways" 1 "$FAMFSCTL" alloc --size 18446744073709551615 --ways $ways --dry-run
	has "is too large, naming it ($ways ways)" "size 16.00 EiB (18446744073709551615 bytes) is too large"
done
t "a part of 2^64 minus one block" 1 "$FAMFSCTL" alloc --size 0xffffffffffe00000 --ways 1 --dry-run
has "fits, but no device has it" "each member needs 16.00 EiB"

t "alloc" 0 "$FAMFSCTL" alloc --size 3G --ways 3 --tag 12345678-9abc-4def-8123-456789ab0000 --shared
[ "$(jq -r '.members | map(.mode) | unique | .[]' <<<"$out")" = famfs ]; c "every member in famfs mode"
t "list -A" 0 "$FAMFSCTL" list -A
[ "$(jq -c '.groups[0] | [.group, .members, .size]' <<<"$out")" = '["12345678-9abc-4def-8123-456789ab0000",3,3221225472]' ]
c "the group rebuilt from tags"
t "a second host joins" 0 "$FAMFSCTL" --host-id 1 alloc --join 12345678-9abc-4def-8123-456789ab0000
[ "$(jq '.members | length' <<<"$out")" = 3 ]; c "with every member"

t "a failing fabric" 1 env FAMFSCTL_SIM_FAULTS=fail=2 "$FAMFSCTL" alloc --size 1G --ways 2
has "names the refused member" "the fabric refused member 1"
has "says it rolled back" "nothing is left allocated"
t "late extents" 1 env FAMFSCTL_SIM_FAULTS=delay=5000 "$FAMFSCTL" alloc --size 1G --timeout 200ms
has "say so" "timed out waiting for the extents"

# an interrupt while waiting for the extents rolls back
FAMFSCTL_SIM_FAULTS=delay=10000 "$FAMFSCTL" alloc --size 1G --ways 1 >"$dir/int.out" 2>&1 &
pid=$!
for _ in $(seq 50); do grep -q '"pending"' <("$FAMFSCTL" fabric tags) && break; sleep 0.1; done
kill -INT $pid; wait $pid; rc=$?
out=$(cat "$dir/int.out")
has "SIGINT: says so" "famfsctl alloc: interrupted"
has "SIGINT: and rolled back" "nothing is left allocated"
[ $rc = 1 ]; c "SIGINT fails the alloc"
t "no offer is left pending" 0 "$FAMFSCTL" fabric tags
! grep -q pending <<<"$out"; c "the fabric took it back"

# one alloc/release at a time per host: a second one waits, then runs
flock "$dir/fabric/host0/host.lock" sleep 1 &
sleep 0.2
t "waits for the lock" 0 "$FAMFSCTL" alloc --size 1G
has "says what it waits for" "waiting for another famfsctl alloc/release on this host"
wait
t "release it" 0 "$FAMFSCTL" release "$(sed -n '/^{/,$p' <<<"$out" | jq -r .group)"

t "release the group" 0 "$FAMFSCTL" release 12345678-9abc-4def-8123-456789ab0000
[ "$(jq '.released | length' <<<"$out")" = 3 ]; c "three tags released"
t "host 1 still holds it" 0 "$FAMFSCTL" fabric tags
[ "$(jq -c 'map(.hosts) | unique' <<<"$out")" = '[[1]]' ]; c "shared capacity lives on"
t "release again" 1 "$FAMFSCTL" release 12345678-9abc-4def-8123-456789ab0000
has "nothing to release" "has no capacity tagged"
# --policy claims in the mode the policy's mount needs, without a switch
mkdir -p "$dir/etc/policies.d"
for m in portable famfs; do
	printf '[members]\ncount = 1\n[capacity]\nmember_size = 256M\n[famfs]\nmount_mode = %s\n' \
		$m >"$dir/etc/policies.d/$m.conf"
done
t "alloc --policy portable" 0 env FAMFSCTL_POLICY_DIR="$dir/etc" "$FAMFSCTL" alloc --policy portable
[ "$(sed -n '/^{/,$p' <<<"$out" | jq -r '.members[0].mode')" = devdax ]; c "claimed in devdax"
! grep -q switching <<<"$out"; c "and never switched"
t "alloc --policy famfs" 0 env FAMFSCTL_POLICY_DIR="$dir/etc" "$FAMFSCTL" alloc --policy famfs
[ "$(sed -n '/^{/,$p' <<<"$out" | jq -r '.members[0].mode')" = famfs ]; c "claimed in famfs mode"
t "release needs a uuid" 2 "$FAMFSCTL" release mem0
t "help" 0 "$FAMFSCTL" alloc --help
has "names the man page" "famfsctl-alloc(1)"
finish
