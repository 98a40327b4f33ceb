#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A fabric manager for testbed hosts, spoken to through the exec plugin
# (famfsctl-exec(7)). Its devices are the testbed's memory devices (same
# serial numbers); granting capacity writes the extent into the testbed's
# DC dax region the way the kernel shows an accepted extent
# (dax_regionR/extentR.K/{offset,length,uuid}), releasing removes it.
# Free policy and one host only: the FM rules themselves are the
# simulator's business (test-fabric-conformance); this one feeds the real
# sysfs platform.
#
# $FMTB_STATE: JSON {"devices": [{"name", "serial", "capacity", "region",
# "dir" (the dax_regionR directory, relative to $FMTB_ROOT), "next", "k",
# "tags": [{"tag", "dpa", "length", "ext", "hosts"}]}]}
set -eu
st=${FMTB_STATE:?} root=${FMTB_ROOT:?} op=$1
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
	read -r next k cap region dir < <(jq -r --argjson d "$dev" \
		'.devices[$d] | "\(.next) \(.k) \(.capacity) \(.region) \(.dir)"' "$st")
	if [ $((next + len)) -gt "$cap" ]; then
		echo '{"return_code": 29, "status": "Resources Exhausted", "message": "testbed FM: device full"}'
		exit 0
	fi
	ext=extent$region.$k
	mkdir -p "$root/$dir/$ext"
	printf '0x%x\n' "$next" >"$root/$dir/$ext/offset"
	printf '0x%x\n' "$len" >"$root/$dir/$ext/length"
	echo "$tag" >"$root/$dir/$ext/uuid"
	update --argjson d "$dev" --argjson dpa "$next" --argjson len "$len" --arg tag "$tag" \
		--arg ext "$ext" --argjson h "$host" \
		'.devices[$d].tags += [{tag: $tag, dpa: $dpa, length: $len, ext: $ext, hosts: [$h]}]
		 | .devices[$d].next += $len | .devices[$d].k += 1'
	jq -c -n "$ok" ;;
release)
	tag=$(jq -r '.tag' <<<"$req")
	read -r dir ext < <(jq -r --argjson d "$dev" --arg tag "$tag" \
		'.devices[$d] | "\(.dir) \(first(.tags[] | select(.tag == $tag) | .ext) // "")"' "$st")
	if [ -z "$ext" ]; then
		echo '{"return_code": 2, "status": "Invalid Input", "message": "testbed FM: no such tag"}'
		exit 0
	fi
	rm -rf "${root:?}/$dir/$ext"
	update --argjson d "$dev" --arg tag "$tag" \
		'.devices[$d].tags |= map(select(.tag != $tag))'
	jq -c -n "$ok" ;;
*)
	echo '{"return_code": 3, "status": "Unsupported"}' ;;
esac
