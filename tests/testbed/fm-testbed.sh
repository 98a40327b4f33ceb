#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A fabric manager for testbed hosts, spoken to through the exec plugin
# (famfsctl-exec(7)). Its devices are the testbed's memory devices (same
# serial numbers). Granting capacity sends the extent to the host's kernel
# model (tests/testbed/tb-device: the kernel accepts the group or drops it);
# releasing asks the kernel to let the tag go, and a kernel that still has
# it claimed by a dax device drops the request without an answer: the tag
# stays allocated to the host until a release is asked again
# (doc/kernel-dcd.md). Free policy and one host only: the FM rules
# themselves are the simulator's business (test-fabric-conformance); this
# one feeds the real sysfs platform.
#
# $FMTB_STATE: JSON {"devices": [{"name", "serial", "capacity", "mem" (the
# memdev id), "next", "tags": [{"tag", "dpa", "length", "hosts"}]}],
# "adds": N, "fail_add": K (the K-th add is refused, 0: none),
# "releases": N (release requests seen, answered or not)}
set -eu
st=${FMTB_STATE:?} op=$1
device=${TB_DEVICE:-$top_builddir/tests/testbed/tb-device}
req=$(cat)
dev=$(jq -r '.device // 0' <<<"$req")
ok='{return_code: 0, status: "Success"}'
update() { jq "$@" "$st" >"$st.new" && mv "$st.new" "$st"; }

case $op in
fabric)
	jq -c "$ok + {name: \"testbed-fm\", devices: (.devices | length)}" "$st" ;;
dcd_info)
	jq -c --argjson d "$dev" ".devices[\$d] | $ok + {name, serial, port: \"\",
		hosts: 8, regions: 1, add_policies: [\"free\"], release_policies: [\"tag-based\"],
		sanitize_on_release_config: false, total_capacity: .capacity,
		block_size_masks: [2097152]}" "$st" ;;
region_config)
	jq -c --argjson d "$dev" ".devices[\$d] | $ok + {regions: [{base: 0,
		decode_length: .capacity, length: .capacity, block_size: 2097152,
		non_volatile: false, sharable: false, read_only: false,
		sanitize_on_release: false, extents_supported: 512, extents_available: 512,
		tags_supported: 256, tags_available: 256}]}" "$st" ;;
tags)
	jq -c --argjson d "$dev" ".devices[\$d].tags as \$t | $ok + {total: (\$t | length),
		generation: 0, tags: [\$t[] | {tag, fm_ref: false, hosts, pending: [],
		releasing: [], length}]}" "$st" ;;
extents)
	host=$(jq '.host' <<<"$req")
	jq -c --argjson d "$dev" --argjson h "$host" "[.devices[\$d].tags[] |
		select(.hosts | index(\$h))] as \$t | $ok + {total: (\$t | length),
		generation: 0, extents: [\$t[] | {dpa, length, tag, shared_seq: 0}]}" "$st" ;;
add)
	read -r policy len tag host < <(jq -r '"\(.policy) \(.length) \(.tag) \(.host)"' <<<"$req")
	if [ "$policy" != free ]; then
		echo '{"return_code": 3, "status": "Unsupported", "message": "testbed FM: free policy only"}'
		exit 0
	fi
	read -r next cap mem nadds fail < <(jq -r --argjson d "$dev" \
		'"\(.devices[$d].next) \(.devices[$d].capacity) \(.devices[$d].mem) \(.adds // 0) \(.fail_add // 0)"' "$st")
	update '.adds = ((.adds // 0) + 1)'
	if [ $((nadds + 1)) -eq "$fail" ]; then
		echo '{"return_code": 29, "status": "Resources Exhausted", "message": "testbed FM: injected fault"}'
		exit 0
	fi
	if [ $((next + len)) -gt "$cap" ]; then
		echo '{"return_code": 29, "status": "Resources Exhausted", "message": "testbed FM: device full"}'
		exit 0
	fi
	# the host's kernel takes the group or drops it (then it is not the host's)
	if "$device" add "$mem" "$next" "$len" "$tag" >/dev/null 2>&1; then
		update --argjson d "$dev" --argjson dpa "$next" --argjson len "$len" --arg tag "$tag" \
			--argjson h "$host" \
			'.devices[$d].tags += [{tag: $tag, dpa: $dpa, length: $len, hosts: [$h]}]
			 | .devices[$d].next += $len'
	fi
	jq -c -n "$ok" ;;
release)
	tag=$(jq -r '.tag' <<<"$req")
	read -r mem has < <(jq -r --argjson d "$dev" --arg tag "$tag" \
		'.devices[$d] | "\(.mem) \([.tags[] | select(.tag == $tag)] | length)"' "$st")
	update '.releases = ((.releases // 0) + 1)'
	if [ "$has" = 0 ]; then
		echo '{"return_code": 2, "status": "Invalid Input", "message": "testbed FM: no such tag"}'
		exit 0
	fi
	# a kernel that has the tag claimed drops the request: nothing changes
	if [ "$("$device" release "$mem" "$tag")" = released ]; then
		update --argjson d "$dev" --arg tag "$tag" \
			'.devices[$d].tags |= map(select(.tag != $tag))'
	fi
	jq -c -n "$ok" ;;
*)
	echo '{"return_code": 3, "status": "Unsupported"}' ;;
esac
