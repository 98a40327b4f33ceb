#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# famfs compatibility, both directions (issue 15; doc/famfs-format.md, doc/kernel-famfs-mode.md):
# file systems as famfs's own tools make them -- built byte by byte by
# tests/lib/famfs-fixture from doc/famfs-format.md's facts, not by famfsctl -- are checked,
# read, repaired and mounted by famfsctl; what famfsctl writes famfs calls
# clean, even after a crash at any step of an append; the master identity
# is famfs's file; empty files read back empty; versions 48 and 49; mount
# modes and the hand-over to famfs's own mount.
set -u
. "$top_srcdir/tests/lib/testlib.sh"
fx=$FAMFS_FIXTURE
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
sys=5a5a5a5a-5a5a-5a5a-5a5a-5a5a5a5a5a5a
export FAMFSCTL_SYSTEM_UUID=$sys
head -c 9000000 /dev/urandom >"$d/nine-mb"    # 2 MiB chunks: 5 of them, the last partial
head -c 12345 /dev/urandom >"$d/small"

# ---- a file system as mkfs.famfs makes it: flags 0, all strips on device 0
truncate -s 4G "$d/p"
"$fx" mkfs "$d/p" "$sys"
"$fx" mkdir "$d/p" data
"$fx" file "$d/p" data/striped "$d/nine-mb" 3 0x200000   # 3 strips, all on device 0
"$fx" file "$d/p" data/simple "$d/small" 0 0
t "the fixture is clean to famfs's rules" 0 "$fx" check "$d/p"
t "fsck calls a famfs-made file system (flags 0) clean" 0 "$FAMFSCTL" fsck "$d/p"
has "clean" '"clean": true'
has "the version found" '"version": 48'
has "no secondary-superblock refusal" '"role": "primary"'
t "cat reads a file whose 3 strips are all on device 0" 0 \
	bash -c '"$1" cat "$2:/data/striped" | cmp - "$3"' _ "$FAMFSCTL" "$d/p" "$d/nine-mb"
t "cat reads a simple extent" 0 bash -c '"$1" cat "$2:/data/simple" | cmp - "$3"' _ "$FAMFSCTL" "$d/p" "$d/small"
t "famfsctl appends to it as its master" 0 "$FAMFSCTL" cp "$d/small" "$d/p:/data/by-famfsctl"
t "famfs still calls it clean" 0 "$fx" check "$d/p"
"$fx" mkdir "$d/p" after-famfsctl
t "and famfsctl after famfs's next append" 0 "$FAMFSCTL" fsck "$d/p"
# a superblock named first with the SECONDARY flag is still refused, by name
cp --sparse=always "$d/p" "$d/p2"
printf '\x02' | dd of="$d/p2" bs=1 seek=104 conv=notrunc status=none
t "a secondary named first" 1 "$FAMFSCTL" fsck "$d/p2"
has "says so" "a secondary superblock; name the primary first"
printf '\x05' | dd of="$d/p2" bs=1 seek=104 conv=notrunc status=none
t "flags that are neither" 1 "$FAMFSCTL" fsck "$d/p2"
has "names them" "superblock flags 0x5 are neither primary nor secondary"
printf '\x32' | dd of="$d/p2" bs=1 seek=8 conv=notrunc status=none
t "a version not read here" 1 "$FAMFSCTL" fsck "$d/p2"
has "names it" "superblock version 50; famfs versions 48 and 49 are read here"
rm -f "$d/p2"

# ---- a version 49 set built the same way: three members, strips on all
truncate -s 4G "$d/q"; truncate -s 256M "$d/q1" "$d/q2"
"$fx" mkfs "$d/q" "$sys" 49
"$fx" secondary "$d/q1" "$d/q"
"$fx" secondary "$d/q2" "$d/q"
"$fx" file "$d/q" striped "$d/nine-mb" 4 0x200000 "$d/q1" "$d/q2"   # device 0 twice
t "the v49 fixture is clean to famfs's rules" 0 "$fx" check "$d/q"
t "fsck reads a version 49 set" 0 "$FAMFSCTL" fsck "$d/q,$d/q2,$d/q1"
has "the version found" '"version": 49'
has "three members" '"index": 2'
t "cat reads its striped file" 0 bash -c '"$1" cat "$2:/striped" | cmp - "$3"' _ "$FAMFSCTL" "$d/q,$d/q1,$d/q2" "$d/nine-mb"
# a v49 secondary whose covered primary uuid names another primary
cp --sparse=always "$d/q1" "$d/q1.bak"
printf '\xff' | dd of="$d/q1" bs=1 seek=100 conv=notrunc status=none
t "a changed primary uuid breaks the v49 CRC" 1 "$FAMFSCTL" fsck "$d/q,$d/q1,$d/q2"
has "by code" '"code": "sb-crc"'
cp --sparse=always "$d/q1.bak" "$d/q1"
# a v49 secondary that keeps a log
printf '\x01' | dd of="$d/q1" bs=1 seek=26 conv=notrunc status=none
t "a secondary with a log" 1 "$FAMFSCTL" fsck "$d/q,$d/q1,$d/q2"
cp --sparse=always "$d/q1.bak" "$d/q1"

# ---- a version 48 file system with a cut append: repair
"$fx" cut "$d/p" cut-here
t "famfs calls the cut log not clean" 1 "$fx" check "$d/p"
has "why" "log header: next_seqnum"
t "fsck: not clean" 1 "$FAMFSCTL" fsck "$d/p"
has "the finding" '"code": "log-cut-append"'
has "repairable" '"repairable": true'
has "points at the repair" "famfsctl fsck --repair says how"
t "cat still reads the committed files" 0 bash -c '"$1" cat "$2:/data/simple" | cmp - "$3"' _ "$FAMFSCTL" "$d/p" "$d/small"
before=$(od -An -tx8 -j $((2 * 1048576 + 32)) -N 16 "$d/p")
t "fsck --repair is a dry run" 1 "$FAMFSCTL" fsck --repair "$d/p"
has "says what it would do" "would repair log-cut-append: roll back the cut append: set next_seqnum to next_index"
has "and that it wrote nothing" "nothing written; --repair --yes writes the repair"
t "the header is unchanged" 0 test "$(od -An -tx8 -j $((2 * 1048576 + 32)) -N 16 "$d/p")" = "$before"
t "--yes needs --repair" 2 "$FAMFSCTL" fsck --yes "$d/p"
t "only the master repairs" 1 "$FAMFSCTL" fsck --repair --yes \
	--system-uuid 11111111-2222-3333-4444-555555555555 "$d/p"
has "says who may" "not the file system's master"
t "still unchanged" 0 test "$(od -An -tx8 -j $((2 * 1048576 + 32)) -N 16 "$d/p")" = "$before"
t "fsck --repair --yes" 0 "$FAMFSCTL" fsck --repair --yes "$d/p"
has "says what it did" "repaired: roll back the cut append"
has "clean after" '"clean": true'
t "famfs calls the repaired log clean" 0 "$fx" check "$d/p"
"$fx" mkdir "$d/p" famfs-after-repair
t "famfs's next append keeps it clean for famfs" 0 "$fx" check "$d/p"
t "and for famfsctl" 0 "$FAMFSCTL" fsck "$d/p"
# seqnum two ahead is damage: never "repaired"
cp --sparse=always "$d/p" "$d/p3"
"$fx" cut "$d/p3" x; "$fx" cut "$d/p3" y
t "damage is not repairable" 1 "$FAMFSCTL" fsck --repair --yes "$d/p3"
has "log-header" '"code": "log-header"'
rm -f "$d/p3"

# ---- a crash at every step of a famfsctl append, then a famfsctl append,
# then a famfs-style append (stamped from next_seqnum): both call it clean
for step in 1 2 3 4; do
	truncate -s 0 "$d/c"; truncate -s 4G "$d/c"
	"$fx" mkfs "$d/c" "$sys"
	"$fx" mkdir "$d/c" famfs-made
	FAMFSCTL_FAULT=append:$step "$FAMFSCTL" mkdir "$d/c:/crashed" >/dev/null 2>&1
	rc=$?
	[ "$step" -le 3 ] && want=99 || want=0
	t "append step $step: the writer was cut ($rc)" 0 [ "$rc" -eq "$want" ]
	t "append step $step: a famfsctl append" 0 "$FAMFSCTL" mkdir "$d/c:/next"
	"$fx" mkdir "$d/c" famfs-next
	t "append step $step: famfs calls the log clean" 0 "$fx" check "$d/c"
	t "append step $step: famfsctl calls it clean" 0 "$FAMFSCTL" fsck "$d/c"
done

# ---- empty files read back empty
: >"$d/empty"
t "cp an empty file" 0 "$FAMFSCTL" cp "$d/empty" "$d/p:/empty"
t "cat it" 0 bash -c '"$1" cat "$2:/empty" >"$3"' _ "$FAMFSCTL" "$d/p" "$d/back"
t "it reads back 0 bytes (not one NUL)" 0 [ ! -s "$d/back" ]
t "fsck is clean with it" 0 "$FAMFSCTL" fsck "$d/p"

# ---- versions famfsctl writes
truncate -s 4G "$d/v"; truncate -s 256M "$d/v1" "$d/v2"
t "one member: version 48" 0 "$FAMFSCTL" format "$d/v"
has "48" '"version": 48'
t "several: version 49" 0 "$FAMFSCTL" format --force "$d/v,$d/v1,$d/v2"
has "49" '"version": 49'
t "48 over several is refused" 1 bash -c 'dd if=/dev/zero of="$1" bs=4096 count=1 conv=notrunc status=none; dd if=/dev/zero of="$2" bs=4096 count=1 conv=notrunc status=none; "$3" format --format-version 48 "$1,$2"' _ "$d/v" "$d/v1" "$FAMFSCTL"
has "says why" "version 48 over 2 members"
t "refused means nothing written" 1 "$FAMFSCTL" fsck "$d/v"
has "no superblock" "no famfs superblock"
t "unless forced" 0 "$FAMFSCTL" format --format-version 48 --force "$d/v,$d/v1"
has "48" '"version": 48'
t "49 for one member on request" 0 "$FAMFSCTL" format --format-version 49 --force "$d/v"
has "49" '"version": 49'
t "no other version" 2 "$FAMFSCTL" format --format-version 50 --force "$d/v"

# ---- the master identity: famfs's file, created with its directory
t "help names famfs's file" 0 "$FAMFSCTL" format --help
has "/opt/famfs/system_uuid" "/opt/famfs/system_uuid"
id=$d/opt/famfs/system_uuid
# (each a new master: --take-over)
t "made on first use, with its directory" 0 env -u FAMFSCTL_SYSTEM_UUID FAMFSCTL_SYSTEM_UUID_FILE="$id" \
	"$FAMFSCTL" format --force --take-over "$d/v"
has "the file system's master is that uuid" "\"system_uuid\": \"$(head -c 36 "$id")\""
t "read-only, as famfs makes it" 0 [ "$(stat -c %a "$id")" = 444 ]
printf '%s\0' 0f0f0f0f-1111-2222-3333-444444444444 >"$d/famfs-style"   # 36 chars + NUL, as famfs writes
t "famfs's own file is read" 0 env -u FAMFSCTL_SYSTEM_UUID FAMFSCTL_SYSTEM_UUID_FILE="$d/famfs-style" \
	"$FAMFSCTL" format --force --take-over "$d/v"
has "as famfs's master" '"system_uuid": "0f0f0f0f-1111-2222-3333-444444444444"'
echo nope >"$d/bad-id"
t "a file without a uuid" 1 env -u FAMFSCTL_SYSTEM_UUID FAMFSCTL_SYSTEM_UUID_FILE="$d/bad-id" \
	"$FAMFSCTL" format --force "$d/v"
has "names it" "$d/bad-id: does not hold a system uuid"
t "--system-uuid still wins" 0 env FAMFSCTL_SYSTEM_UUID_FILE="$d/bad-id" \
	"$FAMFSCTL" format --force --take-over --system-uuid 12121212-3434-5656-7878-909090909090 "$d/v"
has "its uuid" '"system_uuid": "12121212-3434-5656-7878-909090909090"'
# the identity decides who may append: a file or directory others can
# write, or a planted link, is not believed (issue 18, the trusted rule)
mkdir -p "$d/open-id" && cp "$d/famfs-style" "$d/open-id/system_uuid" && chmod 0777 "$d/open-id"
t "a directory everyone can write" 1 env -u FAMFSCTL_SYSTEM_UUID FAMFSCTL_SYSTEM_UUID_FILE="$d/open-id/system_uuid" \
	"$FAMFSCTL" format --force "$d/v"
has "says why" "$d/open-id/system_uuid: not trusted as this host's system uuid: $d/open-id: writable by everyone (mode 0777)"
mkdir -p "$d/id2" && cp "$d/famfs-style" "$d/id2/system_uuid" && chmod 0664 "$d/id2/system_uuid"
t "a file its group can write" 1 env -u FAMFSCTL_SYSTEM_UUID FAMFSCTL_SYSTEM_UUID_FILE="$d/id2/system_uuid" \
	"$FAMFSCTL" format --force "$d/v"
has "says why" "$d/id2/system_uuid: writable by its group (mode 0664)"
ln -s "$d/famfs-style" "$d/id2/link"
t "a planted link" 1 env -u FAMFSCTL_SYSTEM_UUID FAMFSCTL_SYSTEM_UUID_FILE="$d/id2/link" \
	"$FAMFSCTL" format --force "$d/v"
has "not followed" "$d/id2/link: cannot read this host's system uuid"
t "not made in a directory others can write" 1 env -u FAMFSCTL_SYSTEM_UUID FAMFSCTL_SYSTEM_UUID_FILE="$d/open-id/new/system_uuid" \
	sh -c 'umask 0; mkdir -m 0777 "$1/open-id/new" && exec "$2" format --force "$3"' - "$d" "$FAMFSCTL" "$d/v"
has "says why" "not trusted for this host's system uuid: $d/open-id/new: writable by everyone (mode 0777)"
t "nothing made there" 1 [ -e "$d/open-id/new/system_uuid" ]

# ---- mount modes, detection of famfs's kernel support, the hand-over
mkdir -p "$d/bin" "$d/nobin" "$d/proc" "$d/mnt"
cat >"$d/bin/famfs" <<EOF
#!/bin/bash
printf '%s\n' "\$*" >"$d/famfs-args"
exit \${FAKE_FAMFS_RC:-0}
EOF
chmod +x "$d/bin/famfs"
"$FAMFSCTL" format --force "$d/v" >/dev/null   # one member, version 48
proc_none() { printf 'nodev\tsysfs\nnodev\tfuse\n' >"$d/proc/filesystems"
	printf 'ffffffffc0001000 t fuse_iomap_begin\t[fuse]\nffffffffc0002000 t famfs_fuse_iomap_begin\t[other]\n' >"$d/proc/kallsyms"; }
mnt() { env FAMFSCTL_PROC_DIR="$d/proc" PATH="$1:/usr/bin:/bin" "$FAMFSCTL" mount "${@:2}"; }
proc_none
printf 'nodev\tfamfs\n' >>"$d/proc/filesystems"
rm -f "$d/famfs-args"
t "famfs mode: the standalone module" 0 mnt "$d/bin" --mode famfs "$d/v" "$d/mnt"
has "says so" "handing $d/v to famfs: famfs mount $d/v $d/mnt"
t "famfs got the member's device" 0 [ "$(cat "$d/famfs-args" 2>/dev/null)" = "mount $d/v $d/mnt" ]
proc_none
printf 'ffffffffc0003000 t famfs_fuse_iomap_begin\t[fuse]\n' >>"$d/proc/kallsyms"
rm -f "$d/famfs-args"
t "auto: the FUSE-based famfs by its kallsyms symbol" 0 mnt "$d/bin" "$d/v" "$d/mnt"
t "handed over" 0 [ "$(cat "$d/famfs-args" 2>/dev/null)" = "mount $d/v $d/mnt" ]
rm -f "$d/famfs-args"
t "the old name kernel" 0 mnt "$d/bin" --mode kernel "$d/v" "$d/mnt"
has "with a notice" "--mode kernel is deprecated; it is now famfs"
t "still hands over" 0 [ -e "$d/famfs-args" ]
t "famfs's mount failing" 1 env FAKE_FAMFS_RC=3 FAMFSCTL_PROC_DIR="$d/proc" PATH="$d/bin:/usr/bin:/bin" \
	"$FAMFSCTL" mount --mode famfs "$d/v" "$d/mnt"
has "says so" "famfs mount $d/v $d/mnt failed (exit 3)"
proc_none
rm -f "$d/famfs-args"
t "no famfs in this kernel" 1 mnt "$d/bin" --mode famfs "$d/v" "$d/mnt"
has "says exactly that" "--mode famfs: this kernel has no famfs (no famfs in /proc/filesystems, no famfs_fuse_iomap_begin in /proc/kallsyms)"
t "famfs was not run" 0 [ ! -e "$d/famfs-args" ]
printf 'nodev\tfamfs\n' >>"$d/proc/filesystems"
t "no famfs tools" 1 mnt "$d/nobin" --mode famfs "$d/v" "$d/mnt"
has "says exactly that" "--mode famfs: famfs's tools are not installed (no famfs program on PATH)"
t "a multi-member version 49 set" 1 mnt "$d/bin" --mode famfs "$d/q,$d/q1,$d/q2" "$d/mnt"
has "says both" "the set has 3 members and famfs mounts one; the file system is version 49 and famfs mounts version 48"
has "and the way out" "--mode portable mounts it with famfsctl's own server"
t "famfs was not run" 0 [ ! -e "$d/famfs-args" ]
t "a mode that is none" 2 mnt "$d/bin" --mode nfs "$d/v" "$d/mnt"
# auto without famfs: the portable mount, saying why (FUSE may be absent
# here; the choice is made and said before the mount is tried)
out=$(mnt "$d/nobin" "$d/v" "$d/mnt" 2>&1); fusermount3 -u -q "$d/mnt" 2>/dev/null
has "auto says which and why" "auto chose portable, famfsctl's own mount (famfs's tools are not installed"
out=$(mnt "$d/bin" --mode fuse "$d/v" "$d/mnt" 2>&1); fusermount3 -u -q "$d/mnt" 2>/dev/null
has "the old name fuse" "--mode fuse is deprecated; it is now portable"
t "portable never hands over" 0 [ ! -e "$d/famfs-args" ]
# a policy's one-member set on the simulator, its member in famfs mode (as
# alloc leaves it): famfsctl cannot map such a device (no mmap in famfs
# mode), so up and mount hand it to famfs without reading it
mkdir -p "$d/etc/policies.d" "$d/mnt-one"
printf '[members]\ncount = 1\n[capacity]\nmember_size = 4G\n[famfs]\nmount_point = %s\nmount_mode = famfs\n' \
	"$d/mnt-one" >"$d/etc/policies.d/one.conf"
sim() { env FAMFSCTL_FABRIC="sim:$d/fab" FAMFSCTL_POLICY_DIR="$d/etc" FAMFSCTL_PROC_DIR="$d/proc" \
	PATH="$1:/usr/bin:/bin" "$FAMFSCTL" "${@:2}"; }
sim "$d/bin" fabric create --devices 1 --capacity 8G >/dev/null
printf 'nodev\tfamfs\n' >"$d/proc/filesystems"
rm -f "$d/famfs-args"
t "up: alloc, format, and the mount handed to famfs" 0 sim "$d/bin" up one
has "handed over" "handing one to famfs: famfs mount sim:dax"
t "famfs got the set's dax device" 0 grep -q "^mount sim:dax[0-9.]* $d/mnt-one\$" "$d/famfs-args"
t "the member is in famfs mode" 0 test "$(sim "$d/bin" list -X | jq -r '.[0].mode')" = famfs
t "without famfs's tools" 1 sim "$d/nobin" mount one "$d/mnt-one"
has "says both" "famfs's tools are not installed (no famfs program on PATH); and sim:dax"
has "why portable cannot" "is in famfs mode, which famfsctl's portable mount cannot map (devdax mode can)"
finish
