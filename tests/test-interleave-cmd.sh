#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# famfsctl alloc --policy then interleave create --policy, on the
# simulator, for sets of 4, 16 and 22 members (the reference deployment's
# width); the plan alloc --dry-run explains; and every way a set is refused.
set -u
. "$top_srcdir/tests/testlib.sh"
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
export FAMFSCTL_FABRIC=sim:$dir/fabric FAMFSCTL_POLICY_DIR=$dir/etc
mkdir -p "$dir/etc/policies.d"
for w in 4 16 22; do
	strips=$((w < 16 ? w : 16))
	printf '[members]\ncount = %d\n[capacity]\nmember_size = 1G\n[interleave]\nchunk = 4M\nstrips = %d\n' \
		"$w" "$strips" >"$dir/etc/policies.d/p$w.conf"
done
"$FAMFSCTL" fabric create --devices 22 --capacity 4G --ports 4 >/dev/null

t "a plan" 0 "$FAMFSCTL" alloc --policy p4 --dry-run
[ "$(jq '.members | length' <<<"$out")" = 4 ]; t "plan: 4 members" 0 true
[ "$(jq .ports <<<"$out")" = 4 ]; t "plan: over all 4 ports" 0 true
[ "$(jq '.not_chosen | length' <<<"$out")" = 18 ]; t "plan: says why not the other 18" 0 true
t "a plan changes nothing" 0 "$FAMFSCTL" fabric tags
[ "$out" = "[]" ]; t "no tag on the fabric" 0 true

for w in 4 16 22; do
	t "alloc --policy p$w" 0 "$FAMFSCTL" alloc --policy p$w
	[ "$(jq '.members | length' <<<"$out")" = $w ]; t "p$w: $w members" 0 true
	t "interleave create --policy p$w" 0 "$FAMFSCTL" interleave create --name s$w --policy p$w
	[ "$(jq -c '[.complete, .strips, .chunk, (.members | length)]' <<<"$out")" = \
	  "[true,$((w < 16 ? w : 16)),4194304,$w]" ]; t "s$w: complete, strips, chunk" 0 true
done
[ "$(jq -r .rotation <<<"$out")" != null ]; t "22 members over 16 strips rotate" 0 true
t "list" 0 "$FAMFSCTL" interleave list
[ "$(jq -c 'map(.name)' <<<"$out")" = '["s16","s22","s4"]' ]; t "three sets" 0 true
t "list one" 0 "$FAMFSCTL" interleave list s4
t "the same name again" 1 "$FAMFSCTL" interleave create --name s4 --policy p4
has "says it exists" "a set named s4 exists already"

# refusals
printf '[members]\ncount = 2\n[capacity]\nmember_size = 1G\n' >"$dir/etc/policies.d/none.conf"
t "a policy not allocated here" 1 "$FAMFSCTL" interleave create --name x --policy none
has "names the missing member" "member 0 (tag"
has "and what to run" "famfsctl alloc --policy none"
tag=$("$FAMFSCTL" list -A | jq -r '.allocations[0].tag')
t "tags twice" 1 "$FAMFSCTL" interleave create --name x --members "$tag,$tag"
has "named twice" "named twice"
t "unknown tag" 1 "$FAMFSCTL" interleave create --name x --members 11111111-2222-3333-4444-555555555555
has "no dax device" "no dax device on this host claims tag"
t "more strips than members" 1 "$FAMFSCTL" interleave create --name x --members "$tag" --strips 2
t "chunk not a power of two" 1 "$FAMFSCTL" interleave create --name x --members "$tag" --chunk 3M
t "bad name" 1 "$FAMFSCTL" interleave create --name "a/b" --members "$tag"
t "strips over 16" 2 "$FAMFSCTL" interleave create --name x --members "$tag" --strips 17
t "policy and members" 2 "$FAMFSCTL" interleave create --name x --policy p4 --members "$tag"
t "a dry run" 0 "$FAMFSCTL" interleave create --name x --members "$tag" --dry-run
t "records nothing" 1 "$FAMFSCTL" interleave list x
t "destroy" 0 "$FAMFSCTL" interleave destroy s4
t "destroy again" 1 "$FAMFSCTL" interleave destroy s4
has "says so" "no set named s4"
t "help" 0 "$FAMFSCTL" interleave --help
finish
