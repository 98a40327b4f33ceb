#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# End to end on the simulator: famfsctl up brings a policy from nothing to
# a FUSE-mounted famfs on the master (host 0); files go in through the mount
# and with famfsctl cp; a client (host 1, role client) comes up, mounts
# read-only and sees the master's files after a log replay; killing the
# master's FUSE server leaves the media clean and a second up mounts again;
# down on both leaves the fabric with all of its capacity free.
set -u
. "$top_srcdir/tests/lib/testlib.sh"
fuse_workdir
fab=$dir/fab
"$FAMFSCTL" --fabric "sim:$fab" fabric create --devices 4 --capacity 8G --sharable --hosts 2 >/dev/null
policy() { # policy DIR HOST ROLE MOUNTPOINT
	mkdir -p "$1/policies.d"
	printf '[fabric]\nuri = sim:%s\nhost_id = %s\n[members]\ncount = 2\n[capacity]\nmember_size = 4G\n[sharing]\nshared = yes\nrole = %s\n[famfs]\nmount_point = %s\nmount_mode = portable\nrefresh_interval = 300ms\n' \
		"$fab" "$2" "$3" "$4" >"$1/policies.d/shared.conf"
}
policy "$dir/m" 0 master "$dir/mnt0"
policy "$dir/c" 1 client "$dir/mnt1"
master() { env FAMFSCTL_POLICY_DIR="$dir/m" FAMFSCTL_SYSTEM_UUID=5a5a5a5a-5a5a-5a5a-5a5a-5a5a5a5a5a5a "$@"; }
client() { env FAMFSCTL_POLICY_DIR="$dir/c" FAMFSCTL_SYSTEM_UUID=c1c1c1c1-c1c1-c1c1-c1c1-c1c1c1c1c1c1 "$@"; }
unset FAMFSCTL_FABRIC

t "up" 0 master "$FAMFSCTL" up shared
[ "$(sed -n '/^{/,$p' <<<"$out" | jq -c .steps)" = '{"alloc":"allocated","mode":"present","interleave":"created","format":"formatted","mount":"mounted"}' ]
c "up did every step"
t "up again" 0 master "$FAMFSCTL" up shared
has "changes nothing" "shared is up; nothing to do"
echo "through the mount" >"$dir/mnt0/hello.txt"; c "a file written through the mount"
[ "$(cat "$dir/mnt0/hello.txt")" = "through the mount" ]; c "reads back through the mount"
t "and through the log" 0 master "$FAMFSCTL" --fabric "sim:$fab" cat shared:/hello.txt
[ "$out" = "through the mount" ]; c "the same bytes"
head -c 5000000 /dev/urandom >"$dir/blob"
t "famfsctl cp while mounted" 0 master "$FAMFSCTL" --fabric "sim:$fab" cp "$dir/blob" shared:/blob
cmp -s "$dir/mnt0/blob" "$dir/blob"; c "the mount shows it"
mkdir "$dir/mnt0/sub"; c "mkdir through the mount"
t ".meta/.log is famfs's log" 0 test -s "$dir/mnt0/.meta/.log"

# writers: a size announced first is allocated at once and written in
# place; a file without one is buffered (here past a 1 MiB bound, into a
# temporary file) and logged at close; the creator's uid/gid are logged
truncate -s 5000000 "$dir/mnt0/hinted"; c "ftruncate of a new file"
t "logged at once, at that size" 0 master "$FAMFSCTL" --fabric "sim:$fab" cat shared:/hinted
[ "${#out}" = 0 ] || [ "$(stat -c %s "$dir/mnt0/hinted")" = 5000000 ]; c "5000000 bytes"
t "written in place" 0 dd if="$dir/blob" of="$dir/mnt0/hinted" conv=notrunc status=none
cmp -s "$dir/mnt0/hinted" "$dir/blob"; c "reads back"
t "fallocate of a new file" 0 fallocate -l 3M "$dir/mnt0/fallocated"
[ "$(stat -c %s "$dir/mnt0/fallocated")" = 3145728 ]; c "has that size"
t "past a fixed size" 1 dd if="$dir/blob" of="$dir/mnt0/fallocated" bs=1M seek=3 conv=notrunc status=none
has "famfs files keep their size" "File too large"
# a new file cut shorter before it is logged, then written past the cut:
# zeros between, not the bytes that were cut
t "write, cut, write past the cut" 0 python3 -c 'import os, sys
fd = os.open(sys.argv[1], os.O_CREAT | os.O_WRONLY, 0o644)
os.write(fd, b"A" * 100); os.ftruncate(fd, 10); os.pwrite(fd, b"B", 50); os.close(fd)
got = open(sys.argv[1], "rb").read()
sys.exit(0 if got == b"A" * 10 + bytes(40) + b"B" else "read %r" % got)' "$dir/mnt0/cut"
mkdir -p "$dir/mnt2"
t "a second server with a 1M write buffer" 0 master "$FAMFSCTL_FUSED" --fabric "sim:$fab" \
	--system-uuid 5a5a5a5a-5a5a-5a5a-5a5a-5a5a5a5a5a5a --write-buffer 1M shared "$dir/mnt2"
cat "$dir/blob" >"$dir/mnt2/spilled"; c "a file past the buffer, no size given"
# uncached: reads bypass the page cache, so a reader holding a file open
# sees bytes rewritten in place through another server; shared maps work
t "a reader's open file sees a rewrite in place" 0 python3 -c '
import os, sys
fd = os.open(sys.argv[1], os.O_RDONLY)
first = os.pread(fd, 4096, 8192)
w = os.open(sys.argv[2], os.O_WRONLY)
os.pwrite(w, bytes(b ^ 0xff for b in first), 8192); os.close(w)
assert os.pread(fd, 4096, 8192) == bytes(b ^ 0xff for b in first), "stale"
w = os.open(sys.argv[2], os.O_WRONLY); os.pwrite(w, first, 8192); os.close(w)
' "$dir/mnt2/hinted" "$dir/mnt0/hinted"
cat "$dir/mnt0/blob" >/dev/null
[ "$(fincore -n -r -o RES -b "$dir/mnt0/blob")" = 0 ]; c "no page cache kept for a read"
t "a shared mapping shows the file" 0 python3 -c '
import mmap, sys
f = open(sys.argv[1], "rb"); m = mmap.mmap(f.fileno(), 0, mmap.MAP_SHARED, mmap.PROT_READ)
assert m[:] == open(sys.argv[2], "rb").read()' "$dir/mnt0/blob" "$dir/blob"
# (mnt0's server learns of it at its next refresh)
for _ in $(seq 100); do [ -e "$dir/mnt0/spilled" ] && break; sleep 0.1; done
cmp -s "$dir/mnt0/spilled" "$dir/blob"; c "logged whole at close"
(umask 0; mkdir "$dir/mnt0/open"); c "mkdir"
# the second server learns of it at its next refresh of the log
for _ in $(seq 100); do [ -d "$dir/mnt2/open" ] && break; sleep 0.1; done
t "the second server sees it" 0 test -d "$dir/mnt2/open"
chmod 711 "$dir" # the other user reaches the mount
t "a file made by another user" 0 setpriv --reuid=65534 --regid=65534 --clear-groups \
	sh -c "echo mine >'$dir/mnt2/open/theirs'"
[ "$(stat -c %u:%g "$dir/mnt0/open/theirs")" = 65534:65534 ]; c "logged as theirs"
# fill it: ever smaller files until not even one allocation unit is left
n=0 size=$((4 << 30))
while [ $size -ge $((2 << 20)) ]; do
	master "$FAMFSCTL" --fabric "sim:$fab" creat --strips 1 -s $size shared:/filler$n 2>/dev/null ||
		size=$((size / 2))
	n=$((n + 1))
done
sleep 0.4 # one refresh interval: df through the mount counts what famfsctl creat took
[ "$(stat -f -c %a "$dir/mnt0")" = 0 ]; c "full"
t "a copy into a full file system fails" 1 cp "$dir/blob" "$dir/mnt0/nospace"
has "at close" "No space left"
[ ! -e "$dir/mnt0/nospace" ]; c "and leaves no file"
t "a size that does not fit" 1 fallocate -l 1G "$dir/mnt0/toobig"
has "says why" "No space left"
[ ! -e "$dir/mnt0/toobig" ]
c "and at its close no file: even an empty one takes an allocation unit, which is not there"
# (before the close, the failed size changed nothing: the file is new and
# empty, as it was)
t "an ftruncate that does not fit fails, and the open file still answers" 0 python3 -c 'import errno, os, sys
fd = os.open(sys.argv[1], os.O_CREAT | os.O_WRONLY, 0o644)
try:
    os.ftruncate(fd, 1 << 30)
    sys.exit("ftruncate fitted")
except OSError as e:
    if e.errno != errno.ENOSPC:
        raise
sys.exit(0 if os.fstat(fd).st_size == 0 else "fstat: wrong size")' "$dir/mnt0/toobig2"
t "umount the second server" 0 "$FAMFSCTL" umount "$dir/mnt2"

t "the client comes up" 0 client "$FAMFSCTL" up shared
[ "$(sed -n '/^{/,$p' <<<"$out" | jq -c .steps)" = '{"alloc":"joined","mode":"present","interleave":"created","format":"present","mount":"mounted"}' ]
c "joined, found the file system, mounted"
cmp -s "$dir/mnt1/blob" "$dir/blob"; c "the client reads the master's file"
# (the file system is full: a directory takes only a log entry)
mkdir "$dir/mnt0/late.d"; c "the master adds a directory"
for _ in $(seq 30); do [ -d "$dir/mnt1/late.d" ] && break; sleep 0.1; done
[ -d "$dir/mnt1/late.d" ]; c "the client sees it after a replay (refresh 300 ms)"
ls "$dir/mnt1" | grep -qx late.d; c "listed too"
! (echo no >"$dir/mnt1/nope.txt") 2>/dev/null; c "the client's mount is read-only"

# kill the master's FUSE server: the media stay consistent, up mounts again
server=
for p in /proc/[0-9]*; do
	if ls -l "$p/fd" 2>/dev/null | grep -q /dev/fuse &&
	   tr '\0' '\n' <"$p/environ" 2>/dev/null | grep -qx "FAMFSCTL_POLICY_DIR=$dir/m"; then
		server=${p#/proc/}
	fi
done
[ -n "$server" ]; c "the master's server is found"
kill -9 "$server"; sleep 0.2
t "fsck after the kill" 0 master "$FAMFSCTL" --fabric "sim:$fab" fsck shared
[ "$(jq .clean <<<"$out")" = true ]; c "clean"
t "up after the kill" 0 master "$FAMFSCTL" up shared
has "remounts" "remounted (the server had died)"
cmp -s "$dir/mnt0/blob" "$dir/blob"; c "the files are there"

# what the famfsctl-mount@ unit runs: the policy's mount in the foreground,
# the server in famfsctl's place; SIGTERM (systemctl stop) unmounts
t "umount for the unit's way" 0 "$FAMFSCTL" umount "$dir/mnt0"
env FAMFSCTL_POLICY_DIR="$dir/m" FAMFSCTL_SYSTEM_UUID=5a5a5a5a-5a5a-5a5a-5a5a-5a5a5a5a5a5a \
	"$FAMFSCTL" mount --foreground --policy shared >"$dir/fg.log" 2>&1 &
fg=$!
for i in $(seq 50); do grep -q " $dir/mnt0 " /proc/self/mounts && break; sleep 0.1; done
cmp -s "$dir/mnt0/blob" "$dir/blob"; c "mount --foreground --policy serves"
grep -q famfsctl-fused "/proc/$fg/cmdline"; c "as the server itself (exec)"
kill -TERM "$fg"; wait "$fg"; t "SIGTERM: the server ends cleanly" 0 test $? = 0
! grep -q " $dir/mnt0 " /proc/self/mounts; c "and unmounted"
t "up mounts again" 0 master "$FAMFSCTL" up shared

# a damaged file system is never reformatted: up stops and points to fsck
t "umount for the damage test" 0 "$FAMFSCTL" umount "$dir/mnt0"
dev=$(master "$FAMFSCTL" --fabric "sim:$fab" list -A | jq -r '.allocations[] | select(.member == 0) | .memdev')
img=$fab/dcd${dev#mem}.img
dpa=$("$FAMFSCTL" --fabric "sim:$fab" --host-id 0 list -E | jq -r --arg m "$dev" '[.[] | select(.memdev == $m)][0].offset')
printf 'XXXXXXXX' | dd of="$img" bs=1 seek=$((dpa + 0)) conv=notrunc status=none
t "up on a damaged file system" 1 master "$FAMFSCTL" up shared
has "refuses, pointing to fsck" "up never reformats"
printf '\xff\x82\xb2\x87\x00\x00\x00\x00' | dd of="$img" bs=1 seek=$((dpa + 0)) conv=notrunc status=none
t "repaired, up mounts again" 0 master "$FAMFSCTL" up shared
cmp -s "$dir/mnt0/blob" "$dir/blob"; c "with the files"

t "down the client" 0 client "$FAMFSCTL" down shared
t "down the master" 0 master "$FAMFSCTL" down shared
has "released" '"alloc": "released"'
t "the fabric" 0 "$FAMFSCTL" --fabric "sim:$fab" fabric info
[ "$(jq '[.devices[].free] | add' <<<"$out")" = $((4 * 8 << 30)) ]; c "all capacity free again"
t "down again" 0 master "$FAMFSCTL" down shared
has "nothing to do" "shared is down; nothing to do"

# --enable / --disable: systemctl on famfsctl-up@POLICY.service, nothing else
printf '#!/bin/sh\necho "$@" >>"%s/systemctl.log"\n' "$dir" >"$dir/systemctl"
chmod +x "$dir/systemctl"
ctl() { FAMFSCTL_SYSTEMCTL=$dir/systemctl master "$@"; }
t "up --enable" 0 ctl "$FAMFSCTL" up --enable shared
has "says so" '"unit": "famfsctl-up@shared.service"'
has "enabled" '"enabled": true'
[ "$(cat "$dir/systemctl.log")" = "enable famfsctl-up@shared.service" ]; c "systemctl enable ran"
t "the fabric after --enable" 0 "$FAMFSCTL" --fabric "sim:$fab" fabric info
[ "$(jq '[.devices[].free] | add' <<<"$out")" = $((4 * 8 << 30)) ]; c "--enable brought nothing up"
t "down --disable" 0 ctl "$FAMFSCTL" down --disable shared
[ "$(tail -1 "$dir/systemctl.log")" = "disable famfsctl-up@shared.service" ]; c "systemctl disable ran"
t "--enable goes with up" 2 ctl "$FAMFSCTL" down --enable shared
t "--disable goes with down" 2 ctl "$FAMFSCTL" up --disable shared
t "--enable takes a name, not a path" 2 ctl "$FAMFSCTL" up --enable "$dir/m/policies.d/shared.conf"
has "says why" "the unit runs 'famfsctl up NAME'"
t "--enable of a policy that does not load" 1 ctl "$FAMFSCTL" up --enable nosuch
[ "$(wc -l <"$dir/systemctl.log")" = 2 ]; c "systemctl not run for bad requests"
t "a failing systemctl" 1 env FAMFSCTL_SYSTEMCTL=false FAMFSCTL_POLICY_DIR="$dir/m" "$FAMFSCTL" up --enable shared
has "names the command" "'false enable famfsctl-up@shared.service' failed"
finish
