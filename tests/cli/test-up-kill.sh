#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# up and down of one policy (--mount-point "": no mount, no FUSE needed) when up is
# killed -9 at every step, and when two of them run at once: down always
# gives back the policy's group, a later up resumes, two ups both succeed
# and the second finds the first one's work; no lock file is left behind.
set -u
. "$top_srcdir/tests/lib/testlib.sh"
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
fab=$dir/fab
unset FAMFSCTL_FABRIC
"$FAMFSCTL" --fabric "sim:$fab" fabric create --devices 4 --capacity 4G --hosts 2 >/dev/null
mkdir -p "$dir/p/policies.d"
printf '[fabric]\nuri = sim:%s\nhost_id = 0\n[members]\ncount = 2\n[capacity]\nmember_size = 4G\n' \
	"$fab" >"$dir/p/policies.d/pk.conf"
export FAMFSCTL_POLICY_DIR=$dir/p FAMFSCTL_SYSTEM_UUID=5a5a5a5a-5a5a-5a5a-5a5a-5a5a5a5a5a5a
free_all() { # every device's capacity is free again
	"$FAMFSCTL" --fabric "sim:$fab" fabric info >"$dir/info" &&
	[ "$(jq '[.devices[] | select(.free != .total_capacity)] | length' "$dir/info")" = 0 ]
}

# killed while the FM's offer waits for the host (between the add and the first claim)
FAMFSCTL_SIM_FAULTS=delay=3000 "$FAMFSCTL" up --mount-point "" pk >/dev/null 2>&1 &
pid=$!; sleep 1; kill -9 $pid; wait $pid 2>/dev/null
"$FAMFSCTL" --fabric "sim:$fab" fabric tags >"$dir/tags"
[ "$(jq length "$dir/tags")" -gt 0 ]; c "the killed up left tags on the FM"
t "down after the kill" 0 "$FAMFSCTL" down --mount-point "" pk
has "releases the group" "\"alloc\": \"released\""
free_all; c "the fabric is all free again"

# killed again, then up (not down): it resumes
FAMFSCTL_SIM_FAULTS=delay=3000 "$FAMFSCTL" up --mount-point "" pk >/dev/null 2>&1 &
pid=$!; sleep 1; kill -9 $pid; wait $pid 2>/dev/null
sleep 3 # the offer reaches the host: extents, no dax device
t "up after the kill resumes" 0 "$FAMFSCTL" up --mount-point "" pk
has "allocates again" "allocated again"
t "and is up" 0 "$FAMFSCTL" up --mount-point "" pk
has "finds it allocated" '"alloc": "present"'
has "and formatted" '"format": "present"'
t "down" 0 "$FAMFSCTL" down --mount-point "" pk
free_all; c "all free"

# a kill at every step: after N ms, for growing N; each time up then finishes it
# and down leaves the fabric as it was
for ms in 20 60 120 200 300 450 700; do
	"$FAMFSCTL" up --mount-point "" pk >/dev/null 2>&1 &
	pid=$!; sleep "0.$(printf '%03d' $ms)"; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null
	t "up after a kill at ${ms} ms" 0 "$FAMFSCTL" up --mount-point "" pk
	t "down after it" 0 "$FAMFSCTL" down --mount-point "" pk
	free_all; c "all free after the kill at ${ms} ms"
done

# two ups at once: both succeed, one does the work, the other finds it
FAMFSCTL_SIM_FAULTS=delay=500 "$FAMFSCTL" up --mount-point "" pk >"$dir/a" 2>&1 &
a=$!
sleep 0.1
FAMFSCTL_SIM_FAULTS=delay=500 "$FAMFSCTL" up --mount-point "" pk >"$dir/b" 2>&1 &
b=$!
wait $a; ra=$?; wait $b; rb=$?
[ $ra = 0 ] && [ $rb = 0 ]; c "two ups at once both succeed"
grep -q "waiting for another famfsctl up or down" "$dir/b"; c "the second waits for the first"
grep -q '"alloc": "present"' "$dir/b" && grep -q '"format": "present"' "$dir/b"
c "and finds its work"
t "down" 0 "$FAMFSCTL" down --mount-point "" pk
[ -z "$(ls "$fab/host0" | grep '\.lock$' | grep -v '^host\.lock$')" ]
c "no policy or log lock file is left after down"
free_all; c "all free at the end"

# capacity given back is sanitized: the next policy finds no file system
printf '[fabric]\nuri = sim:%s\nhost_id = 0\n[members]\ncount = 2\n[capacity]\nmember_size = 4G\n' \
	"$fab" >"$dir/p/policies.d/qk.conf"
t "p up" 0 "$FAMFSCTL" up --mount-point "" pk
t "p down (sanitize_on_release: yes by default)" 0 "$FAMFSCTL" down --mount-point "" pk
t "q up on p's old capacity" 0 "$FAMFSCTL" up --mount-point "" qk
has "finds it erased and formats" '"format": "formatted"'
t "q down" 0 "$FAMFSCTL" down --mount-point "" qk

# another policy's old file system on capacity handed on: foreign, never used
printf '[sharing]\nsanitize_on_release = no\n' >>"$dir/p/policies.d/pk.conf"
t "p (sanitize_on_release = no) up" 0 "$FAMFSCTL" up --mount-point "" pk
t "p down" 0 "$FAMFSCTL" down --mount-point "" pk
t "q up on p's old capacity is refused" 1 "$FAMFSCTL" up --mount-point "" qk
has "never reformats" "up never reformats"
t "fsck calls it foreign" 1 "$FAMFSCTL" --fabric "sim:$fab" fsck qk
has "with its code" '"code": "member-identity"'
has "naming the other device" "a foreign file system"
t "cat refuses it" 1 "$FAMFSCTL" --fabric "sim:$fab" cat qk:/anything
has "says why" "a foreign file system, not opened"
t "format --force is the explicit choice" 0 "$FAMFSCTL" --fabric "sim:$fab" format --force qk
t "then q is up" 0 "$FAMFSCTL" up --mount-point "" qk
t "and its fsck is clean" 0 "$FAMFSCTL" --fabric "sim:$fab" fsck qk
t "q down" 0 "$FAMFSCTL" down --mount-point "" qk
finish
