#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# famfsctl alloc --policy then interleave create --policy, on the
# simulator, for sets of 4, 16 and 22 members (the reference deployment's
# width); the plan alloc --dry-run explains; and every way a set is refused.
set -u
. "$top_srcdir/tests/lib/testlib.sh"
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
[ "$(jq '.members | length' <<<"$out")" = 4 ]; c "plan: 4 members"
[ "$(jq .ports <<<"$out")" = 4 ]; c "plan: over all 4 ports"
[ "$(jq '.not_chosen | length' <<<"$out")" = 18 ]; c "plan: says why not the other 18"
t "a plan changes nothing" 0 "$FAMFSCTL" fabric tags
[ "$out" = "[]" ]; c "no tag on the fabric"

for w in 4 16 22; do
	t "alloc --policy p$w" 0 "$FAMFSCTL" alloc --policy p$w
	[ "$(jq '.members | length' <<<"$out")" = $w ]; c "p$w: $w members"
	t "interleave create --policy p$w" 0 "$FAMFSCTL" interleave create --name s$w --policy p$w
	[ "$(jq -c '[.complete, .strips, .chunk, (.members | length)]' <<<"$out")" = \
	  "[true,$((w < 16 ? w : 16)),4194304,$w]" ]; c "s$w: complete, strips, chunk"
done
[ "$(jq -r .rotation <<<"$out")" != null ]; c "22 members over 16 strips rotate"
t "list" 0 "$FAMFSCTL" interleave list
[ "$(jq -c 'map(.name)' <<<"$out")" = '["s16","s22","s4"]' ]; c "three sets"
t "list one" 0 "$FAMFSCTL" interleave list s4
t "the same name again" 1 "$FAMFSCTL" interleave create --name s4 --policy p4
has "says it exists" "a set named s4 exists already"
t "a name starting with '-' is refused" 1 "$FAMFSCTL" interleave create --name=-x --policy p4
has "and says how to reach an existing one" "must not start with '-' (an existing one is addressed after '--', e.g. famfsctl interleave destroy -- -x)"
sed 's/"name": *"s4"/"name": "-x"/' "$dir/fabric/host0/sets/s4.json" >"$dir/fabric/host0/sets/-x.json"
t "an older set named -x is listed after --" 0 "$FAMFSCTL" interleave list -- -x
has "by its name" '"name": "-x"'
t "and destroyed after --" 0 "$FAMFSCTL" interleave destroy -- -x
[ ! -e "$dir/fabric/host0/sets/-x.json" ]; c "gone"

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
# damaged set records (issue 18): refused with why, never a crash, and the
# good sets still listed
sets=$(dirname "$(find "$dir" -name s4.json | head -1)")
good=$(cat "$sets/s4.json")
while IFS='@' read -r what edit why; do
	jq "$edit" <<<"$good" >"$sets/bad.json"
	t "list beside a record with $what" 0 "$FAMFSCTL" interleave list
	has "$what: says why" "not a set record: $sets/bad.json: $why"
	[ "$(jq -c 'map(.name)' <<<"$(grep -v 'not a set record' <<<"$out")")" = '["s16","s22","s4"]' ]
	c "$what: the good sets are listed"
	t "fsck of a set whose record has $what" 1 "$FAMFSCTL" fsck bad
	has "$what: fsck says why" "not a set record: $sets/bad.json: $why"
done <<'EOF_CASES'
members [null]@.name = "bad" | .members = [null] | .strips = 1@member 0 is not a tag
members []@.name = "bad" | .members = []@0 members, not 1..255
a member twice@.name = "bad" | .members = [.members[0], .members[0]] | .strips = 1@members 0 and 1 are one tag
a name with ../@.name = "../bad"@'name' is not a set name
another file's name@.name = "s16"@'name' is not the file's name
a policy with ../@.name = "bad" | .policy = "../../etc/x"@'policy' is not a policy name
chunk 0@.name = "bad" | .chunk = 0@'chunk' 0 is out of range
chunk 3 MiB@.name = "bad" | .chunk = 3145728@'chunk' is not a power of two
strips 0@.name = "bad" | .strips = 0@'strips' 0 is out of range 1..16
more strips than members@.name = "bad" | .strips = 16@16 strips but 4 members
a string for members@.name = "bad" | .members = "x"@no array 'members'
EOF_CASES
echo '{"name": ' >"$sets/bad.json"
t "list beside a record that is not JSON" 0 "$FAMFSCTL" interleave list
has "not JSON: says so" "not a set record: $sets/bad.json: cannot read it as JSON"
echo '[1, 2]' >"$sets/bad.json"
t "list beside a record that is an array" 0 "$FAMFSCTL" interleave list
has "an array: says so" "not a set record: $sets/bad.json: not a JSON object"
rm -f "$sets/bad.json"

t "destroy" 0 "$FAMFSCTL" interleave destroy s4
t "destroy again" 1 "$FAMFSCTL" interleave destroy s4
has "says so" "no set named s4"
t "help" 0 "$FAMFSCTL" interleave --help
finish
