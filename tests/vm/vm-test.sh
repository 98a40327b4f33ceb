#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The real-kernel test: famfsctl on Debian's 6.1 kernel in QEMU (TCG) with
# emulated CXL type-3 memory devices, each behind its own host bridge and CXL
# window. The guest (tests/vm/init) runs its steps and leaves a report in a
# 9p share; this script asserts on it. Exit 77 (skip) names what is missing.
#
# Environment: see host-lib.sh.
set -uo pipefail
. "${top_srcdir:?}/tests/vm/host-lib.sh"
ndev=2
# Backing files are sparse. famfs's primary needs at least 4 GiB, and a
# devdax namespace loses 2 MiB to its info block, so device 1 (the future
# primary) is 8 GiB. Device 0 stays at 4 GiB: QEMU 7.2's first CXL window refuses a
# larger region on Debian's 6.1 kernel (set_size: ERANGE), the second does not.
dev_sizes=(4G 8G)

mkdir -p "$run/report"
build_initramfs

devices=() fmw=()
for i in $(seq 0 $((ndev - 1))); do
	dev_size=${dev_sizes[$i]}
	truncate -s "$dev_size" "$run/pmem$i.raw"
	truncate -s 256M "$run/lsa$i.raw"
	devices+=(-object "memory-backend-file,id=pmem$i,share=on,mem-path=$run/pmem$i.raw,size=$dev_size"
		  -object "memory-backend-file,id=lsa$i,share=on,mem-path=$run/lsa$i.raw,size=256M"
		  -device "pxb-cxl,bus_nr=$((12 + i * 40)),bus=pcie.0,id=cxl.$i"
		  -device "cxl-rp,port=0,bus=cxl.$i,id=rp$i,chassis=0,slot=$((2 + i))"
		  -device "cxl-type3,bus=rp$i,memdev=pmem$i,lsa=lsa$i,id=cxl-pmem$i,sn=$((0x1000 + i))")
	fmw+=("cxl-fmw.$i.targets.0=cxl.$i,cxl-fmw.$i.size=$dev_size")
done
fmw_arg=$(IFS=,; echo "${fmw[*]}")

echo "== booting $pkg with $ndev CXL type-3 devices (TCG)"
# two NVDIMMs for the famfs write tests (a primary of at least 4 GiB)
for i in 0 1; do
	truncate -s "$([ $i = 0 ] && echo 6G || echo 2G)" "$run/nvdimm$i.raw"
	devices+=(-object "memory-backend-file,id=nv$i,share=on,mem-path=$run/nvdimm$i.raw,size=$([ $i = 0 ] && echo 6G || echo 2G)"
		  -device "nvdimm,memdev=nv$i,id=nvdimm$i")
done
timeout 420 qemu-system-x86_64 -machine q35,cxl=on,nvdimm=on -accel tcg -cpu max -smp 2 \
	-m 2G,slots=4,maxmem=32G \
	-display none -monitor none -serial "file:$run/console.log" \
	-no-reboot -kernel "$kernel" -initrd "$run/initramfs.gz" \
	-append "console=ttyS0 panic=-1 quiet no_timer_check" \
	-virtfs "local,path=$run/report,mount_tag=report,security_model=none,id=report" \
	"${devices[@]}" -M "$fmw_arg" </dev/null >"$run/qemu.log" 2>&1
qemu_rc=$?
echo "== VM finished in $(( $(date +%s) - start ))s (qemu exit $qemu_rc)"
[ -s "$run/qemu.log" ] && sed 's/^/qemu: /' "$run/qemu.log"
grep 'famfsctl-vm:' "$run/console.log"

r=$run/report
if [ ! -f "$r/done" ]; then
	echo "FAIL: the guest did not finish; console:"
	tail -40 "$run/console.log"
	exit 1
fi
for s in $(cat "$r/steps"); do
	[ "$s" = 99-dmesg ] || step_ok "$s"
done

# famfsctl list -M names the same memdevs, serials and pmem sizes as cxl list -M
famfs_m=$r/12-famfsctl-list-memdevs.out cxl_m=$r/11-cxl-list-memdevs.out
[ "$(jq length "$famfs_m")" = "$ndev" ] && ok || bad "famfsctl list -M shows $ndev memdevs"
for i in $(seq 0 $((ndev - 1))); do
	want=$(jq -c --argjson i "$i" '[.[] | select(.memdev == "mem\($i)")][0] | [.memdev, .serial, .pmem_size]' "$cxl_m")
	got=$(jq -c --argjson i "$i" '[.[] | select(.memdev == "mem\($i)")][0] | [.memdev, .serial, .pmem_size]' "$famfs_m")
	[ "$want" = "$got" ] && [ "$got" != "[null,null,null]" ] && ok ||
		bad "mem$i: famfsctl $got, cxl $want"
done
check "every memdev has a host bridge" jq -e 'all(.[]; .host_bridge != null)' "$famfs_m"
check "the two memdevs sit under different host bridges" \
	jq -e '[.[].host_bridge] | unique | length == 2' "$famfs_m"
check "QEMU's serial numbers come through" jq -e '[.[].serial] | sort == [4096, 4097]' "$famfs_m"
check "no DC partition on QEMU 7.2's static devices" jq -e 'all(.[]; .dc_partition == null)' "$famfs_m"

# famfsctl list -X names the same dax devices, sizes and modes as daxctl list
dax=$r/29-daxctl-list.out famfs_x=$r/31-famfsctl-list-daxdevs.out
[ "$(jq length "$famfs_x")" = "$ndev" ] && ok || bad "famfsctl list -X shows $ndev dax devices"
want=$(jq -c '[.[] | {chardev, size, mode}] | sort_by(.chardev)' "$dax")
got=$(jq -c '[.[] | {chardev, size, mode}] | sort_by(.chardev)' "$famfs_x")
[ "$want" = "$got" ] && ok || bad "dax devices: famfsctl $got, daxctl $want"
check "dax devices are devdax" jq -e 'all(.[]; .mode == "devdax")' "$famfs_x"
check "the larger one can be a famfs primary (at least 4 GiB)" \
	jq -e 'any(.[]; .size >= 4294967296)' "$famfs_x"
# a pmem namespace's dax region sits under an nvdimm region (also named
# regionN): it must not be attributed to the CXL region of the same name
check "pmem dax regions claim no CXL region" \
	jq -e 'all(.dax_regions[]; .cxl_region == null and .dynamic_capacity == false)' \
	"$r/32-famfsctl-list.out"

# famfs on the kernel's devdax (NVDIMM-backed): formatted across both in
# one process, found clean by another -- the bytes went through real
# /dev/dax mmaps and persisted
check "famfs formatted across 2 real devdax devices" \
	jq -e '.clean == true and (.members | length) == 2' "$r/41-famfs-format.out"
check "a second process finds it clean" jq -e '.clean == true' "$r/42-famfs-fsck.out"
check "a file copied in reads back identical (cmp in the guest)" \
	test "$(cat "$r/44-famfs-readback.out" 2>/dev/null)" -gt 0
check "fsck with the file: clean, the member's entry and the file's" \
	jq -e '.clean == true and .log_entries_used == 2' "$r/45-famfs-fsck-files.out"
check "the FUSE mount shows the copied file" grep -q ' famfsctl$' "$r/46-fuse-mount.out"
check "a file written through the mount is logged; fsck clean after umount" \
	jq -e '.clean == true and .log_entries_used == 3' "$r/49-famfs-fsck-after-mount.out"

# the direct map on real devdax (issue 16)
check "a file striped over both devdax devices" \
	jq -e '.strips == 2 and ([.members[].path] | all(startswith("/dev/dax")))' "$r/50-map-striped.out"
check "read through the direct map: identical to cat" \
	test "$(cat "$r/51-map-read.out" 2>/dev/null)" = 9437184
check "a write through one process's map, read by another's" \
	test "$(cat "$r/53-map-read-other.out" 2>/dev/null)" = written-through-the-map

if [ "$fail" -ne 0 ]; then
	echo "== guest console (tail)"; tail -30 "$run/console.log"
	echo "== guest dmesg (tail)"; tail -30 "$r/99-dmesg.out" 2>/dev/null
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
