#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Many hosts, one memory, on real kernels: two QEMU guests (Debian's 6.1
# kernel, TCG, one vCPU each, running at the same time) share a famfs.
#
# The shared memory: two host files are the backing of two NVDIMMs in both
# guests (memory-backend-file,share=on: QEMU maps them MAP_SHARED, so every
# store one guest makes is in the other guest's memory at once; TCG has no
# caches to flush). The NVDIMMs have no label area, so each region has one
# raw namespace covering it. The master turns both into devdax with ndctl,
# which writes a dax info block into the first bytes of each namespace,
# that is into the shared file. The client booted at the same time and
# found raw namespaces; it probes them again (ndctl disable-namespace /
# enable-namespace) and its kernel finds the master's info blocks and brings
# up the same devdax devices (same namespace uuids). A restarted master finds
# them at boot the same way, without ndctl. (With a label area, the labels
# would be in the shared backing too, but two kernels writing labels would
# race; the label-less info block is written once, by the master.)
#
# Each guest has its own system uuid (famfsctl.uuid= on its command line):
# the master formats, the client mounts read-only. The host drives both
# through their 9p report shares (init-share: one step per command) and
# asserts every step here:
#   1 the master formats a two-member famfs over its devdax devices and
#     copies a tree in with famfsctl cp -r;
#   2 the client mounts the set read-only (portable mount, by member paths)
#     and finds the tree byte-identical;
#   3 the master copies more while the client is mounted: the client's
#     listing shows them within its refresh interval;
#   4 the client's attempts to create, write, remove (through the mount and
#     with famfsctl) are refused with a clear error, and the backing files'
#     checksums do not change;
#   5 direct map across hosts (only where the tree has the map API:
#     FAMFSCTL_VM_MAP=yes from configure; then vm-map is built and the step
#     must pass): the master writes a pattern through its map and flushes,
#     the client maps the file, invalidates and reads the pattern;
#   6 the master is killed (SIGKILL of its QEMU) in the middle of a cp -r:
#     the client's fsck finds the file system clean (or with only an append
#     cut before its commit), and every file the client lists is whole (cp
#     logs a file once its bytes are written); a restarted master finds the devdax namespaces at boot,
#     repairs (fsck --repair: what it would do; --yes: done, clean) and
#     continues appending, and the client sees that too; then an append
#     cut on purpose (FAMFSCTL_FAULT) is seen by the client as repairable,
#     repaired by the master, and the next append is clean.
# Not covered: CXL DCD (QEMU 7.2 emulates none), real caches between hosts.
#
# Environment: see host-lib.sh; FAMFSCTL_VM_MAP=yes|no (from make check).
set -uo pipefail
. "${top_srcdir:?}/tests/vm/host-lib.sh"

map=${FAMFSCTL_VM_MAP:?yes or no: is the map API in this tree (set by make check)}
helpers=()
if [ "$map" = yes ]; then
	[ -x "$build/tests/vm/vm-map" ] || { echo "FAIL: the map API is in this tree but tests/vm/vm-map is not built"; exit 1; }
	helpers+=("$build/tests/vm/vm-map")
fi
build_initramfs "${helpers[@]}"

master_uuid=5a5a5a5a-5a5a-5a5a-5a5a-5a5a5a5a5a5a
client_uuid=c1c1c1c1-c1c1-c1c1-c1c1-c1c1c1c1c1c1
refresh_ms=1000
# what the client's listing may lag behind the end of the master's cp:
# the refresh interval, plus the polling on both sides and 9p under TCG
lag_ms=$((refresh_ms + 2000))
# famfs's primary needs 4 GiB after the 2 MiB info block; sparse files
truncate -s 4112M "$run/nv0.raw"
truncate -s 1G "$run/nv1.raw"

declare -A pid seq
guests=()
start_guest() { # start_guest NAME ROLE UUID
	mkdir -p "$run/$1"
	seq[$1]=0
	qemu-system-x86_64 -machine q35,nvdimm=on -accel tcg -cpu max -smp 1 \
		-m 1G,slots=4,maxmem=16G -display none -monitor none \
		-serial "file:$run/$1.console" -no-reboot \
		-kernel "$kernel" -initrd "$run/initramfs.gz" \
		-append "console=ttyS0 panic=-1 quiet no_timer_check rdinit=/init-share famfsctl.role=$2 famfsctl.uuid=$3" \
		-virtfs "local,path=$run/$1,mount_tag=report,security_model=none,id=report" \
		-object "memory-backend-file,id=nv0,share=on,mem-path=$run/nv0.raw,size=4112M" \
		-device nvdimm,memdev=nv0,id=nvdimm0 \
		-object "memory-backend-file,id=nv1,share=on,mem-path=$run/nv1.raw,size=1G" \
		-device nvdimm,memdev=nv1,id=nvdimm1 \
		</dev/null >"$run/$1.qemu.log" 2>&1 &
	pid[$1]=$!
	guests+=("$1")
}
stop_all() {
	for g in "${guests[@]}"; do kill -9 "${pid[$g]}" 2>/dev/null; done
	wait 2>/dev/null
}
trap 'stop_all; [ "${FAMFSCTL_VM_KEEP:-0}" = 1 ] || rm -rf "$run"' EXIT

ms() { echo $(( $(date +%s%N) / 1000000 )); }
send() { # send GUEST STEP FUNCTION ARGS...: queue a step in that guest
	local g=$1 n=${seq[$1]}; shift
	echo "$*" >"$run/$g/cmd.tmp" && mv "$run/$g/cmd.tmp" "$run/$g/cmd.$n"
	seq[$g]=$((n + 1))
}
wait_step() { # wait_step GUEST STEP [SECONDS]: until the step has its exit status
	local deadline=$(( $(ms) + ${3:-120} * 1000 ))
	while [ ! -f "$run/$1/$2.rc" ]; do
		kill -0 "${pid[$1]}" 2>/dev/null || { echo "FAIL: guest $1 is gone (waiting for $2)"; return 1; }
		[ "$(ms)" -lt "$deadline" ] || { echo "FAIL: $1: $2 did not finish"; return 1; }
		sleep 0.05
	done
}
run_step() { # run_step GUEST STEP FUNCTION ARGS...: send, wait, assert exit 0
	send "$@" && wait_step "$1" "$2" && step_ok "$2" "$run/$1"
}
wait_marker() { # wait_marker GUEST STEP TEXT: until the running step has printed TEXT
	local i
	for i in $(seq 600); do
		grep -qx "$3" "$run/$1/$2.out" 2>/dev/null && return 0
		sleep 0.05
	done
	bad "$1: $2 did not start"
}
step_rc() { # step_rc GUEST STEP RC: the step exited RC
	if [ "$(cat "$run/$1/$2.rc" 2>/dev/null)" = "$3" ]; then ok; else
		bad "$1: step $2 exited $(cat "$run/$1/$2.rc" 2>/dev/null || echo '(missing)'), wanted $3"
		sed 's/^/    /' "$run/$1/$2.err" 2>/dev/null | tail -10
	fi
}
out() { cat "$run/$1/$2.out" 2>/dev/null; }
die() { # the scenario cannot go on: show why and stop
	bad "$*"
	for g in "${guests[@]}"; do echo "== $g console (tail)"; tail -15 "$run/$g.console"; done
	echo "$pass passed, $fail failed"
	exit 1
}
phase() { echo "== [$(( $(date +%s) - start ))s] $*"; }
# The backing files' contents, checksummed: their data and where the holes
# are (tar -S finds holes with SEEK_HOLE; fixed metadata), so a few MiB are
# read instead of 5 GiB of sparse file.
sums() {
	tar -C "$run" -cS --hole-detection=seek --mtime=@0 --owner=0 --group=0 \
		--numeric-owner -f - nv0.raw nv1.raw | cksum
}

phase "booting master and client ($pkg, TCG, one vCPU each, in parallel)"
start_guest master master "$master_uuid"
start_guest client client "$client_uuid"
for g in master client; do send $g 00-boot boot_modules; send $g 01-trees make_trees; done
for g in master client; do wait_step $g 01-trees 180 || die "$g did not boot"; done
phase "both up"
for g in master client; do
	step_ok 00-boot "$run/$g"; step_ok 01-trees "$run/$g"
	uuid=$([ $g = master ] && echo "$master_uuid" || echo "$client_uuid")
	check "$g: its own identity" grep -qx "$g $uuid" "$run/$g/identity"
	check "$g: two raw namespaces at boot" \
		jq -e '[.[] | select(.mode == "raw")] | length == 2' "$run/$g/00-boot.out"
done

# the master makes the namespaces devdax; the client finds them by probing
run_step master 02-devdax nvdimm_dax || die "master: no devdax"
run_step master 03-namespaces ndctl list -N
run_step client 02-reprobe reprobe
run_step client 03-devdax nvdimm_dax_list || die "client: no devdax"
want=$(jq -c 'map({dev, mode, uuid, size}) | sort_by(.dev)' "$run/master/03-namespaces.out")
got=$(jq -c 'map({dev, mode, uuid, size}) | sort_by(.dev)' "$run/client/02-reprobe.out")
[ "$got" = "$want" ] && [ "$(jq -r '.[0].mode' <<<"$got")" = devdax ] && ok ||
	bad "the client's namespaces are the master's: client $got, master $want"

phase "1: the master formats and copies a tree"
run_step master 10-format famfs_format
check "formatted across two members, clean" \
	jq -e '.clean == true and (.members | length) == 2' "$run/master/10-format.out"
run_step master 11-cp-tree famfs_cp /tmp/tree /tree
run_step master 12-fsck famfs_fsck
check "the master's fsck after the copy: clean" jq -e '.clean == true' "$run/master/12-fsck.out"

phase "2: the client mounts read-only and compares"
run_step client 20-mount mount_ro $refresh_ms || die "client: no mount"
check "the client's mount is the portable one" grep -q 'fuse' "$run/client/20-mount.out"
run_step client 21-same-tree same_tree /tmp/tree /mnt/famfs/tree
n_tree=$(out client 21-same-tree)
[ "${n_tree:-0}" -ge 20 ] && ok || bad "the client compared $n_tree files of the tree (wanted at least 20)"
run_step client 22-fsck famfs_fsck
check "the client's fsck: clean, same file system" \
	jq -e --arg u "$master_uuid" '.clean == true and .system_uuid == $u' "$run/client/22-fsck.out"
check "the client's fsck sees the master's entries" \
	test "$(jq .log_entries_used "$run/client/22-fsck.out")" = "$(jq .log_entries_used "$run/master/12-fsck.out")"

phase "3: the master adds files while the client is mounted"
send client 30-watch wait_listed /mnt/famfs/more busybox cxl kmod
wait_marker client 30-watch watching
run_step master 31-cp-more famfs_cp /tmp/more /more
t_master=$(ms)
wait_step client 30-watch 30 && step_ok 30-watch "$run/client"
lag=$(( $(ms) - t_master ))
echo "   the client listed the new files ${lag} ms after the master's cp ended (refresh ${refresh_ms} ms)"
[ "$lag" -le "$lag_ms" ] && ok || bad "the client saw the master's new files after ${lag} ms (at most $lag_ms)"
run_step client 33-same-more same_tree /tmp/more /mnt/famfs/more
check "the client reads the 3 new files identical" test "$(out client 33-same-more)" = 3

phase "4: the client cannot change the file system"
before=$(sums)
run_step client 40-refusals client_refusals
after=$(sums)
[ "$before" = "$after" ] && ok || bad "the media changed while the client tried to write: $before -> $after"
ref=$run/client/40-refusals.out
for a in mount-create mount-mkdir mount-write mount-append mount-truncate mount-remove mount-rename; do
	line=$(grep "^$a " "$ref")
	# refused by the kernel's read-only mount or the server: EROFS/EPERM/EACCES
	if [ -n "$line" ] && [ "$(cut -d' ' -f2 <<<"$line")" != 0 ] &&
	   grep -qiE 'read-only|not permitted|permission denied' <<<"$line"; then ok; else
		bad "client: $a through the mount was not refused clearly: ${line:-no line}"; fi
done
for a in cli-cp cli-mkdir cli-creat; do
	line=$(grep "^$a " "$ref")
	if [ -n "$line" ] && [ "$(cut -d' ' -f2 <<<"$line")" != 0 ] &&
	   grep -q "not the file system's master" <<<"$line"; then ok; else
		bad "client: famfsctl ${a#cli-} was not refused as a non-master: ${line:-no line}"; fi
done
line=$(grep "^cli-format " "$ref")
if [ -n "$line" ] && [ "$(cut -d' ' -f2 <<<"$line")" != 0 ] &&
   grep -q "already holds a famfs primary superblock" <<<"$line"; then ok; else
	bad "client: famfsctl format over the master's file system was not refused: ${line:-no line}"; fi
run_step client 41-same-tree same_tree /tmp/tree /mnt/famfs/tree

if [ "$map" = yes ]; then
	phase "5: direct map across hosts"
	# a file striped over both members (8 MiB: four 2 MiB chunks)
	run_step master 50-map-creat map_creat /mapped 8M
	send client 51-map-wait map_wait /mapped 0x5eed
	wait_marker client 51-map-wait mapped
	run_step master 52-map-write map_write /mapped 0x5eed
	wait_step client 51-map-wait 90 && step_ok 51-map-wait "$run/client"
	run_step client 53-map-read map_read /mapped 0x5eed
	run_step client 54-map-is-cat map_is_cat /mapped
	check "the client's map reads what famfsctl cat reads: 8 MiB" test "$(out client 54-map-is-cat)" = 8388608
	run_step client 55-map-rw-refused map_rw_refused /mapped
	check "a read-write map on the client is refused (-EPERM)" grep -q refused "$run/client/55-map-rw-refused.out"
	# the master rewrites: the client's new map sees the new bytes
	run_step master 56-map-rewrite map_write /mapped 0xfeed
	run_step client 57-map-read-new map_read /mapped 0xfeed
else
	phase "5: direct map: not in this tree (configure found no include/famfsctl/map.h)"
fi

phase "6: the master dies in the middle of a cp"
run_step client 60-fsck-before famfs_fsck
entries_before=$(jq .log_entries_used "$run/client/60-fsck-before.out")
send client 61-watch-crash wait_listed /mnt/famfs/crash
wait_marker client 61-watch-crash watching
send master 62-cp-crash famfs_cp /tmp/crash /crash
wait_step client 61-watch-crash 60 && step_ok 61-watch-crash "$run/client"
kill -9 "${pid[master]}"
wait "${pid[master]}" 2>/dev/null
if [ -f "$run/master/62-cp-crash.rc" ]; then
	bad "the master's cp had finished before it was killed (exit $(cat "$run/master/62-cp-crash.rc")): make /tmp/crash larger"
else
	ok; echo "   killed the master while its cp was running"
fi
# (fsck exits 1 on a repairable cut append: asserted below with the header)
send client 63-fsck-after-crash fsck_and_header && wait_step client 63-fsck-after-crash
f=$run/client/63-fsck-after-crash.out
# clean, or damaged only by an append cut before its commit (which fsck
# calls repairable), and the log header as the client reads it agrees
sed '/^header /d' "$f" >"$f.json"
read -r seqnum index < <(sed -n 's/^header //p' "$f")
cut=no
if [ "${seqnum:-x}" = "${index:-y}" ]; then
	echo "   log header: next_seqnum = next_index = $index (no append was cut)"
	step_rc client 63-fsck-after-crash 0
	check "the client's fsck after the crash: clean" jq -e '.clean == true' "$f.json"
elif [ -n "${index:-}" ] && [ "$seqnum" = $((index + 1)) ]; then
	cut=yes
	echo "   log header: next_seqnum $seqnum, next_index $index: an append cut before its commit"
	step_rc client 63-fsck-after-crash 1
	check "the client's fsck after the crash: only the cut append, repairable" \
		jq -e '.clean == false and .repairable == true and
		       ([.problems[].code] | unique) == ["log-cut-append"]' "$f.json"
else
	bad "log header after the crash: next_seqnum ${seqnum:-?}, next_index ${index:-?}"
fi
run_step client 64-crash-files crash_files
c=$run/client/64-crash-files.out
listed=$(sed -n 's/^listed //p' "$c") same=$(sed -n 's/^same //p' "$c") differ=$(sed -n 's/^differ //p' "$c")
echo "   the client lists $listed of 16 files of the cut copy: $same identical, $differ not"
[ "${listed:-0}" -ge 1 ] && [ "$listed" -lt 16 ] && ok || bad "the cut copy left ${listed:-?} of 16 files (wanted 1..15: killed mid-copy)"
[ "${differ:-9}" -eq 0 ] && ok || bad "$differ files of the cut copy differ (none may: a file is logged once its bytes are all written)"
run_step client 65-same-tree same_tree /tmp/tree /mnt/famfs/tree

phase "6: a restarted master repairs and continues"
start_guest master2 master "$master_uuid"
send master2 00-boot boot_modules
send master2 01-trees make_trees after
wait_step master2 01-trees 180 || die "the restarted master did not boot"
step_ok 00-boot "$run/master2"; step_ok 01-trees "$run/master2"
want=$(jq -c 'map({dev, mode, uuid, size}) | sort_by(.dev)' "$run/master/03-namespaces.out")
got=$(jq -c 'map({dev, mode, uuid, size}) | sort_by(.dev)' "$run/master2/00-boot.out")
[ "$got" = "$want" ] && ok || bad "the restarted master did not find the devdax namespaces at boot: $got, wanted $want"
run_step master2 02-devdax nvdimm_dax_list
send master2 03-repair-dry repair_dry && wait_step master2 03-repair-dry
step_rc master2 03-repair-dry "$([ "$cut" = yes ] && echo 1 || echo 0)"
run_step master2 04-repair repair_yes
d=$run/master2/03-repair-dry.out y=$run/master2/04-repair.out
if [ "$cut" = yes ]; then
	check "fsck --repair on the restarted master: the cut append, nothing written" \
		jq -e '.repairable == true and .repaired == false' "$d"
	check "fsck --repair --yes: repaired, clean" jq -e '.repaired == true and .clean == true' "$y"
else
	check "fsck --repair on the restarted master: clean, nothing to repair" \
		jq -e '.clean == true and .repairable == false' "$d"
	check "fsck --repair --yes: clean, nothing repaired" jq -e '.clean == true and .repaired == false' "$y"
fi
echo "   repair: $(jq -c '{clean, repairable, repaired}' "$y")"
run_step master2 05-cp-after famfs_cp /tmp/after /after
run_step master2 06-fsck famfs_fsck
check "the restarted master's fsck: clean" jq -e '.clean == true' "$run/master2/06-fsck.out"
entries=$(jq .log_entries_used "$run/master2/06-fsck.out")
# before the crash, + /crash and its files the client listed, + /after and its 2
[ "${entries:-0}" = "$((entries_before + 1 + listed + 3))" ] && ok ||
	bad "the log has $entries entries after the restart (wanted $entries_before + 1 + $listed + 3)"
run_step client 66-watch-after wait_listed /mnt/famfs/after note.txt daxctl
run_step client 67-same-after same_tree /tmp/after /mnt/famfs/after
run_step client 68-fsck famfs_fsck
check "the client's fsck at the end: clean, the master's entries" \
	jq -e --argjson n "$entries" '.clean == true and .log_entries_used == $n' "$run/client/68-fsck.out"

# a cut append made on purpose, seen from the client, repaired by the master
run_step master2 07-cut-append cut_append /tmp/after/note.txt /cut
send client 69-fsck-cut fsck_and_header && wait_step client 69-fsck-cut
step_rc client 69-fsck-cut 1
f=$run/client/69-fsck-cut.out
sed '/^header /d' "$f" >"$f.json"
read -r seqnum index < <(sed -n 's/^header //p' "$f")
[ -n "${index:-}" ] && [ "${seqnum:-}" = $((index + 1)) ] && [ "$index" = "$entries" ] && ok ||
	bad "after the cut append the client reads next_seqnum ${seqnum:-?}, next_index ${index:-?} (wanted $((entries + 1)), $entries)"
check "the client's fsck: only the cut append, repairable" \
	jq -e '.repairable == true and ([.problems[].code] | unique) == ["log-cut-append"]' "$f.json"
run_step client 70-cut-not-listed not_listed /mnt/famfs cut
send master2 08-repair-cut-dry repair_dry && wait_step master2 08-repair-cut-dry
step_rc master2 08-repair-cut-dry 1
check "fsck --repair: would roll back the cut append, wrote nothing" \
	jq -e '.repairable == true and .repaired == false' "$run/master2/08-repair-cut-dry.out"
run_step master2 09-repair-cut repair_yes
check "fsck --repair --yes: repaired, clean" \
	jq -e '.repaired == true and .clean == true' "$run/master2/09-repair-cut.out"
run_step master2 10-cp-again famfs_cp /tmp/after/note.txt /cut
run_step client 71-watch-cut wait_listed /mnt/famfs cut
run_step client 72-fsck-end famfs_fsck
check "the client's fsck after the repair and a new append: clean, one entry more" \
	jq -e --argjson n "$((entries + 1))" '.clean == true and .log_entries_used == $n' \
	"$run/client/72-fsck-end.out"

for g in client master2; do send $g poweroff poweroff; done
for g in client master2; do
	for _ in $(seq 100); do kill -0 "${pid[$g]}" 2>/dev/null || break; sleep 0.1; done
	[ -f "$run/$g/done" ] && ok || bad "$g did not shut down cleanly"
done
phase "two-host stage finished"
if [ "$fail" -ne 0 ]; then
	for g in "${guests[@]}"; do
		echo "== $g console (tail)"; tail -20 "$run/$g.console"
		echo "== $g dmesg (tail)"; tail -20 "$run/$g/dmesg.out" 2>/dev/null
	done
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
