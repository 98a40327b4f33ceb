#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The direct map (famfsctl-getmap(1), famfsctl-run(1)): bytes read through
# fc_famfs_map equal famfsctl cat for files of 1, 3, 4 and 16 strips,
# simple extents, chunks of 2 and 4 MiB, strips on members of different
# sizes (member files); on the simulator, through the simulated dax
# devices to their backing files: two hosts, the master writes through its
# map and flushes, the client's read-only map sees it after invalidating;
# the refusals (vm.max_map_count, a member in famfs mode, read-write on a
# client); and an unmodified program under famfsctl run whose mmap of a
# file under the portable mount is the direct map.
set -u
. "$top_srcdir/tests/lib/testlib.sh"
fuse_workdir
tool=$top_builddir/tests/lib/map-tool
export FAMFSCTL_SYSTEM_UUID=5a5a5a5a-5a5a-5a5a-5a5a-5a5a5a5a5a5a
# the preload library depends on the library of this build
export LD_LIBRARY_PATH=$top_builddir/lib/.libs${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
export FAMFSCTL_PRELOAD=$top_builddir/preload/.libs/libfamfsctl-preload.so
# a sanitizer build: the preloaded library comes before the ASan runtime
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0
F() { "$FAMFSCTL" "$@"; }

# ---- member files: 16, of different sizes; every layout ---------------------
sizes=(4G 64M 256M 1G 64M 256M 1G 64M 256M 1G 64M 256M 1G 64M 256M 1G)
members=
for i in "${!sizes[@]}"; do
	truncate -s "${sizes[$i]}" "$dir/m$i"
	members+=${members:+,}$dir/m$i
done
t "format 16 member files" 0 env FAMFSCTL_FABRIC=none "$FAMFSCTL" format "$members"
export FAMFSCTL_FABRIC=none
layouts=( # name size strips chunk
	"one-strip 9000000 1 2M" "three 13000000 3 2M" "four 20000000 4 2M"
	"four-4m 40000000 4 4M" "sixteen 70000000 16 2M" "sixteen-4m 150000000 16 4M"
	"simple 1500000 4 2M" "simple-4m 3500000 4 4M")
for l in "${layouts[@]}"; do
	read -r name size strips chunk <<<"$l"
	head -c "$size" /dev/urandom >"$dir/src"
	t "$name: cp" 0 F cp --strips "$strips" --chunk "$chunk" "$dir/src" "$members:/$name"
	F cat "$members:/$name" >"$dir/cat"
	"$tool" read "$members" "/$name" >"$dir/map" 2>"$dir/err"
	t "$name: mapped" 0 test -s "$dir/map"
	cmp -s "$dir/map" "$dir/cat" && cmp -s "$dir/map" "$dir/src"; c "$name: the map's bytes are famfsctl cat's"
done
t "getmap" 0 F getmap "$members:/sixteen"
[ "$(jq -c '[.size, .type, .chunk, .strips, (.extents | length), (.members | length)]' <<<"$out")" = \
  '[70000000,"interleaved",2097152,16,16,16]' ]; c "getmap: size, chunk, 16 strips on 16 members"
[ "$(jq '[.members[].segments[0].length] | unique | length' <<<"$out")" = 4 ]; c "of four different sizes"
jq -e --arg d "$dir/m1" '.extents[] | select(.member == 1) | .device == $d and .length > 0' <<<"$out" >/dev/null
c "getmap: an extent names its member's device"
t "getmap -u" 0 F getmap -u "$members:/simple"
[ "$(jq -c '[.type, .strips, .size, (.extents | length)]' <<<"$out")" = '["simple",0,"1.43 MiB",1]' ]; c "simple: one extent, human sizes"
# a devdax member maps only in pages of its align (1 GiB ones, say): a file
# whose pieces are not multiples of it is refused, naming the member and
# the way out; at 2 MiB the same layout maps, its base aligned to the
# largest align the members need
F getmap "$members:/sixteen" >"$dir/layout.json"
t "layout as getmap gives it" 0 "$tool" layout "$dir/layout.json"
has "maps" "mapped 71303168"
jq '(.members[] | select(.member == 3) | .align) = 1073741824' "$dir/layout.json" >"$dir/layout-1g.json"
t "a member with 1 GiB align, 2 MiB chunks" 1 "$tool" layout "$dir/layout-1g.json"
has "names the member" "member 3 ($dir/m3) maps only in pages of its align, 1 GiB"
has "says the way out" "use the portable mount, or a devdax align of 2 MiB"
jq '(.members[] | select(.member == 3) | .align) = 4194304' "$dir/layout.json" >"$dir/layout-4m.json"
t "4 MiB align, 2 MiB chunks" 1 "$tool" layout "$dir/layout-4m.json"
# (the strips moved to 4 MiB boundaries: the bytes are not the file's, the
# mapping's alignment is what is checked)
F getmap "$members:/sixteen-4m" |
	jq '.members[].align = 4194304 |
	    .extents |= map(.offset -= .offset % 4194304)' >"$dir/layout-4m-chunk.json"
t "4 MiB align, 4 MiB chunks at 4 MiB offsets" 0 "$tool" layout "$dir/layout-4m-chunk.json"
[ "$(sed -n 's/.*base aligned to //p' <<<"$out")" -ge 4194304 ]; c "maps at a 4 MiB-aligned base"
jq '.members[0].align = 3145728' "$dir/layout.json" >"$dir/layout-bad.json"
t "an align not a power of two" 1 "$tool" layout "$dir/layout-bad.json"
has "is a bad map" "align is not a power of two"
t "getmap of a directory" 1 F getmap "$members:/"
t "getmap of nothing" 1 F getmap "$members:/nothing"
has "says so" "no such file"
# a one-strip file is contiguous on its member: one mapping, merged
"$tool" read "$members" /one-strip 2>&1 >/dev/null | grep -qx "mappings 1"; c "one strip: merged into 1 mapping"
"$tool" read "$members" /sixteen 2>&1 >/dev/null | grep -qx "mappings 34"; c "sixteen strips: one mapping per chunk (34)"

# vm.max_map_count: refused before anything is mapped, with what would fit
t "over vm.max_map_count" 1 env FAMFSCTL_MAX_MAP_COUNT=60 "$tool" read "$members" /sixteen-4m
has "counts" "needs 36 mappings"
has "names the limit" "vm.max_map_count = 60"
has "says how to raise it" "sysctl vm.max_map_count="
t "a larger limit" 0 sh -c 'FAMFSCTL_MAX_MAP_COUNT=100000 "$0" read "$1" /sixteen-4m >/dev/null' "$tool" "$members"

# ---- the simulator: two hosts, devdax members mapped to backing files --------
unset FAMFSCTL_FABRIC
fab=$dir/fab
F --fabric "sim:$fab" fabric create --devices 4 --capacity 8G --sharable --hosts 2 >/dev/null
policy() { # policy DIR NAME HOST ROLE MOUNT_POINT
	mkdir -p "$1/policies.d"
	printf '[fabric]\nuri = sim:%s\nhost_id = %s\n[members]\ncount = 4\n[capacity]\nmember_size = 4G\n[interleave]\nchunk = 2M\nstrips = 4\n[sharing]\nshared = yes\nrole = %s\n[famfs]\nmount_point = %s\nmount_mode = portable\n' \
		"$fab" "$3" "$4" "$5" >"$1/policies.d/$2.conf"
}
policy "$dir/m" direct 0 master "$dir/mnt0"
policy "$dir/c" direct 1 client "$dir/mnt1"
master() { env FAMFSCTL_POLICY_DIR="$dir/m" FAMFSCTL_FABRIC="sim:$fab" FAMFSCTL_HOST_ID=0 "$@"; }
client() { env FAMFSCTL_POLICY_DIR="$dir/c" FAMFSCTL_FABRIC="sim:$fab" FAMFSCTL_HOST_ID=1 \
	FAMFSCTL_SYSTEM_UUID=c1c1c1c1-c1c1-c1c1-c1c1-c1c1c1c1c1c1 "$@"; }
t "master: up" 0 master "$FAMFSCTL" up direct
# alloc claims them straight in the mode a portable mount needs: no switch
[ "$(sed -n '/^{/,$p' <<<"$out" | jq -r .steps.mode)" = "present" ]; c "members claimed in devdax"
# (FAMFSCTL_FABRIC would override the policy's host_id: up takes the policy's)
t "client: up" 0 client env -u FAMFSCTL_FABRIC "$FAMFSCTL" up direct
head -c 30000000 /dev/urandom >"$dir/src"
t "cp" 0 master "$FAMFSCTL" cp "$dir/src" direct:/shared
t "getmap on the simulator" 0 master "$FAMFSCTL" getmap direct:/shared
jq -e --arg f "$fab" 'all(.members[]; (.path | startswith($f)) and (.device | startswith("dax")))' <<<"$out" >/dev/null
c "members map through to the backing files"
for who in master client; do
	$who "$tool" read direct /shared >"$dir/map" 2>"$dir/err"
	cmp -s "$dir/map" "$dir/src"; c "$who: the map's bytes are the file's"
done
# the client holds a read-only map; the master writes through its own
rm -f "$dir/ready" "$dir/go"
client "$tool" watch direct /shared 4096 14 "$dir/ready" "$dir/go" >"$dir/watch" 2>&1 &
watcher=$!
for _ in $(seq 200); do [ -e "$dir/ready" ] && break; sleep 0.05; done
t "master: write through the map, flush" 0 master "$tool" write direct /shared 4096 "fresh at 4096!"
touch "$dir/go"
wait $watcher; t "the client's watch ran" 0 test $? -eq 0
grep -qx "after: fresh at 4096!" "$dir/watch"; c "the client's map shows the new bytes after invalidate"
t "cat agrees" 0 sh -c "\"$FAMFSCTL\" --fabric sim:$fab --host-id 1 cat direct:/shared | head -c 4110 | tail -c 14 | grep -qx 'fresh at 4096!'"
t "a read-write map on the client" 1 client "$tool" write direct /shared 0 nope
has "refused: only the master" "only the master maps files read-write"
t "the client forces it" 0 client "$tool" write direct /shared 0 forced --force

# a member in famfs mode (a policy whose mount_mode is famfs claims it so)
policy "$dir/m" famfsmode 0 master "$dir/unused"
sed -i 's/^mount_mode = portable/mount_mode = famfs/' "$dir/m/policies.d/famfsmode.conf"
t "alloc in famfs mode" 0 master "$FAMFSCTL" alloc --policy famfsmode
t "interleave" 0 master "$FAMFSCTL" interleave create --name fm --policy famfsmode
t "format" 0 master "$FAMFSCTL" format fm
t "cp" 0 master "$FAMFSCTL" cp "$dir/src" fm:/f
t "a map over famfs-mode members" 1 master "$tool" read fm /f
has "names the member" ") is in famfs mode"
has "says why" "which has no mmap"
has "says how to switch" "daxctl reconfigure-device --mode=devdax"
t "getmap says the mode" 0 master "$FAMFSCTL" getmap fm:/f
[ "$(jq -r '[.members[].mode] | unique | .[]' <<<"$out")" = famfs ]; c "famfs"

# ---- an unmodified program under famfsctl run -------------------------------
# the portable mount up made: the layout as an extended attribute
t "the layout as an extended attribute" 0 python3 -c "import os,sys; sys.stdout.write(os.getxattr('$dir/mnt0/shared', 'user.famfsctl.map').decode())"
[ "$(jq -c '[.size, .strips]' <<<"$out")" = '[30000000,4]' ]; c "size and strips"
master "$FAMFSCTL" cat direct:/shared >"$dir/cat"
t "plain mmap of the mounted file" 0 sh -c '"$0" mmap "$1" >/dev/null' "$tool" "$dir/mnt0/shared"
t "without run: a page-cache mapping of the FUSE file" 0 grep -q "$dir/mnt0/shared" <<<"$(
	"$tool" mmap "$dir/mnt0/shared" 2>&1 >/dev/null)"
"$FAMFSCTL" run "$tool" mmap "$dir/mnt0/shared" >"$dir/map" 2>"$dir/err"
t "run: exit 0" 0 test $? -eq 0
cmp -s "$dir/map" "$dir/cat"; c "run: the right bytes"
sed -n '/after munmap/q;p' "$dir/err" >"$dir/maps"
grep -q "$fab/.*\.img" "$dir/maps"; c "run: the mapping is the members' backing files"
! grep -q "mnt0" "$dir/maps"; c "run: not the FUSE file"
[ -z "$(sed -n '/after munmap/,$p' "$dir/err" | tail -n +2)" ]; c "run: munmap leaves nothing"
"$FAMFSCTL" run -- "$tool" mmap "$dir/src" >"$dir/map" 2>"$dir/err"
cmp -s "$dir/map" "$dir/src" && grep -q "$dir/src" "$dir/err"; c "run: other files untouched"
# members this process cannot open: the normal mapping, one warning (as
# root: the program runs as nobody, the backing files are root's alone)
other=()
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	other=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	chmod 755 "$dir"; chmod 600 "$fab"/*.img
else
	chmod 000 "$fab"/*.img
fi
if ! "${other[@]}" head -c1 "$(ls "$fab"/*.img | head -1)" >/dev/null 2>&1; then
	"${other[@]}" "$FAMFSCTL" run "$tool" mmap "$dir/mnt0/shared" >"$dir/map" 2>"$dir/err"
	cmp -s "$dir/map" "$dir/cat"; c "no access: still the right bytes"
	[ "$(grep -c famfsctl-preload "$dir/err")" = 1 ]; c "no access: one warning"
	grep -q "$dir/mnt0/shared" "$dir/err"; c "no access: the normal mapping"
else
	echo "note: cannot take the members away from this process; fallback not checked"
fi
chmod 644 "$fab"/*.img; chmod 700 "$dir"
t "run needs a command" 2 F run
t "run: a missing command" 127 F run /nonexistent/cmd
# the client's read-only mount too
"$FAMFSCTL" run "$tool" mmap "$dir/mnt1/shared" >"$dir/map" 2>"$dir/err"
cmp -s "$dir/map" "$dir/cat" && grep -q "$fab/.*\.img" "$dir/err" && ! grep -q mnt1 "$dir/err"
c "run on the client's mount: the direct map, the right bytes"
finish
