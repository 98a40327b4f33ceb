#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# FUSE over io_uring (fuse/uring.c). With the fuse module's enable_uring set
# (Linux 6.14+, as root) the kernel offers its per-CPU request queues and the
# mount server takes them: a ring and a thread per possible CPU (and a
# spare ring, for refusals). Everything
# the mount serves works through them as through /dev/fuse (files written
# with and without their size, spilled buffers, directories, the map
# attribute, .meta, mmap, a read-only client, refusals), from every CPU;
# the server says which transport it took and counts what the ring served;
# --no-uring keeps /dev/fuse; a killed server leaves a dead mount, not a
# hung one. Skipped where the kernel has no such parameter or not as root.
set -u
. "$top_srcdir/tests/lib/testlib.sh"
param=/sys/module/fuse/parameters/enable_uring
if [ ! -w "$param" ]; then
	echo "SKIP: no FUSE over io_uring here ($param: Linux 6.14 and later, as root)"
	exit 77
fi
fuse_workdir
was=$(cat "$param")
trap 'for m in "$dir/mnt0" "$dir/mnt1" "$dir/mnt2"; do fusermount3 -u -q "$m" 2>/dev/null; done
	echo "$was" >"$param"; rm -rf "$dir"' EXIT
export FAMFSCTL_FABRIC=none FAMFSCTL_SYSTEM_UUID=6b6b6b6b-6b6b-6b6b-6b6b-6b6b6b6b6b6b
F() { "$FAMFSCTL" "$@"; }
# the kernel's queues: one per possible CPU
possible=$(awk -F, '{ for (i = 1; i <= NF; i++) { k = split($i, r, "-");
	n += k == 2 ? r[2] - r[1] + 1 : 1 } } END { print n }' /sys/devices/system/cpu/possible)
server_pid() { # the server serving mount point $1
	local p c
	for p in /proc/[0-9]*; do
		c=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline") || continue
		case $c in *famfsctl-fused*" $1 ") echo "${p#/proc/}"; return;; esac
	done
}
rings() { # io_uring instances process $1 holds
	local n=0 f
	for f in /proc/"$1"/fd/*; do
		[ "$(readlink "$f" 2>/dev/null)" = "anon_inode:[io_uring]" ] && n=$((n + 1))
	done
	echo "$n"
}
gone() { # wait for process $1 to end
	for _ in $(seq 50); do [ -d "/proc/$1" ] || return 0; sleep 0.1; done
	return 1
}
mkdir -p "$dir/mnt0" "$dir/mnt1" "$dir/mnt2"
truncate -s 4G "$dir/p" "$dir/a"
m="$dir/p,$dir/a"
t "format" 0 F format "$m"
head -c 3145728 /dev/urandom >"$dir/src"
head -c 5000000 /dev/urandom >"$dir/big"
echo Y >"$param"

# the master, through the ring
t "the master mounts" 0 "$FAMFSCTL_FUSED" --system-uuid "$FAMFSCTL_SYSTEM_UUID" --write-buffer 1M \
	--log-file "$dir/master.log" "$m" "$dir/mnt0"
pid=$(server_pid "$dir/mnt0")
t "the server runs" 0 [ -n "$pid" ]
ls "$dir/mnt0" >/dev/null
t "it says it took io_uring" 0 grep -q "FUSE over io_uring, a queue and a thread per CPU" "$dir/master.log"
t "a ring per possible CPU and a spare ($possible + 1; it holds $(rings "$pid"))" 0 \
	[ "$(rings "$pid")" = $((possible + 1)) ]
t "a file announced by fallocate" 0 fallocate -l 3M "$dir/mnt0/sized"
t "written in place" 0 dd if="$dir/src" of="$dir/mnt0/sized" bs=1M conv=notrunc status=none
t "reads back" 0 cmp "$dir/src" "$dir/mnt0/sized"
t "a file without its size, spilled past the 1M buffer" 0 cp "$dir/big" "$dir/mnt0/big"
t "reads back after its close logged it" 0 cmp "$dir/big" "$dir/mnt0/big"
t "a write past a file's size" 1 dd if="$dir/src" of="$dir/mnt0/sized" bs=4k seek=768 count=1 \
	conv=notrunc status=none
t "mkdir" 0 mkdir "$dir/mnt0/d"
for i in $(seq 150); do printf '%s\n' "$i" >"$dir/mnt0/d/file-$i"; done
t "150 files listed (readdir in several requests)" 0 [ "$(ls "$dir/mnt0/d" | wc -l)" = 150 ]
t "and each reads back" 0 [ "$(cat "$dir/mnt0/d/file-150")" = 150 ]
t "stat" 0 [ "$(stat -c %s "$dir/mnt0/big")" = 5000000 ]
t "the map attribute" 0 python3 -c 'import os, sys, json
m = json.loads(os.getxattr(sys.argv[1], "user.famfsctl.map"))
sys.exit(0 if m["size"] == 5000000 else 1)' "$dir/mnt0/big"
t ".meta/.superblock reads" 0 [ "$(head -c 4096 "$dir/mnt0/.meta/.superblock" | wc -c)" = 4096 ]
t "a shared mapping reads what the file holds" 0 python3 -c 'import mmap, sys
f = open(sys.argv[1], "rb"); m = mmap.mmap(f.fileno(), 0, mmap.MAP_SHARED, mmap.PROT_READ)
sys.exit(0 if m[:] == open(sys.argv[2], "rb").read() else 1)' "$dir/mnt0/sized" "$dir/src"
bad=0
for k in 0 1 77 300 511 767; do
	cmp -s <(dd if="$dir/mnt0/sized" bs=4096 skip=$k count=1 status=none) \
		<(dd if="$dir/src" bs=4096 skip=$k count=1 status=none) || bad=$((bad + 1))
done
t "4 KiB reads at scattered offsets ($bad differ)" 0 [ "$bad" = 0 ]
bad=0
for cpu in $(seq 0 $(($(nproc) - 1))); do
	taskset -c "$cpu" cmp -s "$dir/src" "$dir/mnt0/sized" || bad=$((bad + 1))
done
t "a reader on each CPU, through that CPU's queue ($bad differ)" 0 [ "$bad" = 0 ]

# a client (read-only: its reads invalidate), through the ring too
t "a client mounts" 0 "$FAMFSCTL_FUSED" --system-uuid 12121212-1212-1212-1212-121212121212 \
	--log-file "$dir/client.log" "$m" "$dir/mnt1"
t "it reads the master's file" 0 cmp "$dir/big" "$dir/mnt1/big"
t "its writes are refused" 2 sh -c 'echo x >"$1/new"' - "$dir/mnt1"
has "read-only" "Read-only file system"
t "it took io_uring" 0 grep -q "FUSE over io_uring" "$dir/client.log"
cpid=$(server_pid "$dir/mnt1")
t "the master unmounts" 0 F umount "$dir/mnt0"
t "its server ends" 0 gone "$pid"
served=$(sed -n 's/.*: \([0-9]*\) requests served through io_uring, \([0-9]*\) queues$/\1 \2/p' \
	"$dir/master.log")
t "it counted what the ring served ($served)" 0 test "${served#* }" = "$possible" -a "${served% *}" -gt 300
t "the client unmounts" 0 F umount "$dir/mnt1"
t "its server ends" 0 gone "$cpid"

# --no-uring: /dev/fuse although the kernel offers the ring
t "--no-uring mounts" 0 "$FAMFSCTL" mount --no-uring "$m" "$dir/mnt2"
t "and serves" 0 cmp "$dir/big" "$dir/mnt2/big"
pid=$(server_pid "$dir/mnt2")
t "with no ring" 0 [ "$(rings "$pid")" = 0 ]
t "umount" 0 F umount "$dir/mnt2"
t "--no-uring is in famfsctl mount's help" 0 F mount --help
has "names it" "--no-uring"

# SIGTERM (systemctl stop): the server unmounts, its queue threads end
t "mount again" 0 "$FAMFSCTL_FUSED" --system-uuid "$FAMFSCTL_SYSTEM_UUID" "$m" "$dir/mnt0"
t "serves" 0 cmp "$dir/big" "$dir/mnt0/big"
pid=$(server_pid "$dir/mnt0")
kill -TERM "$pid"
t "SIGTERM ends the server" 0 gone "$pid"
t "and its mount" 1 grep -qF " $dir/mnt0 " /proc/self/mounts

# SIGTERM of a busy mount (a reader in it, a file held open: the unmount
# only detaches it): the server waits for the request it is answering,
# closes its rings, and ends; the reader gets errors, not a hang
t "mount again" 0 "$FAMFSCTL_FUSED" --system-uuid "$FAMFSCTL_SYSTEM_UUID" "$m" "$dir/mnt0"
pid=$(server_pid "$dir/mnt0")
exec 3<"$dir/mnt0/big"
(while cat "$dir/mnt0/big" >/dev/null 2>&1; do :; done) &
reader=$!
sleep 0.3
kill -TERM "$pid"
t "SIGTERM of a busy mount ends the server" 0 gone "$pid"
t "the reader stops on an error" 0 timeout 10 sh -c 'while kill -0 "$1" 2>/dev/null; do sleep 0.1; done' - "$reader"
t "a read of the file held open fails" 1 timeout 10 cat <&3
exec 3<&-
fusermount3 -u -q "$dir/mnt0" 2>/dev/null

# a server killed under a ring mount: requests fail, nothing hangs
t "mount again" 0 "$FAMFSCTL_FUSED" --system-uuid "$FAMFSCTL_SYSTEM_UUID" "$m" "$dir/mnt0"
t "serves" 0 cmp "$dir/src" "$dir/mnt0/sized"
pid=$(server_pid "$dir/mnt0")
kill -9 "$pid"
t "the server is gone" 0 gone "$pid"
t "a read fails at once, not hangs" 1 timeout 10 cat "$dir/mnt0/sized"
t "the dead mount unmounts" 0 fusermount3 -u "$dir/mnt0"

# the kernel not offering it: /dev/fuse, and nothing said of io_uring
echo N >"$param"
t "mount with enable_uring off" 0 "$FAMFSCTL_FUSED" --system-uuid "$FAMFSCTL_SYSTEM_UUID" \
	--log-file "$dir/off.log" "$m" "$dir/mnt0"
t "serves" 0 cmp "$dir/big" "$dir/mnt0/big"
t "with no ring" 0 [ "$(rings "$(server_pid "$dir/mnt0")")" = 0 ]
t "umount" 0 F umount "$dir/mnt0"
t "and it said nothing of io_uring" 1 grep -q "io_uring" "$dir/off.log"
finish
