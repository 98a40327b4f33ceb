#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The portable mount's server in the background (issue 18 item 11): a log
# damaged under it (next_index, which no CRC covers) fails the refresh; the
# server says so in its log (syslog, here --log-file) naming the member,
# once however often it refreshes, escapes control characters, and keeps
# serving the last good state. And format refuses a set mounted here.
set -u
. "$top_srcdir/tests/lib/testlib.sh"
fuse_workdir
export FAMFSCTL_FABRIC=none FAMFSCTL_SYSTEM_UUID=5a5a5a5a-5a5a-5a5a-5a5a-5a5a5a5a5a5a
F() { "$FAMFSCTL" "$@"; }
mkdir -p "$dir/mnt0"
truncate -s 4G "$dir/p"; truncate -s 256M "$dir/a"
m="$dir/p,$dir/a"
t "format" 0 F format "$m"
echo "hello from the last good state" >"$dir/hello"
t "cp a file in" 0 F cp "$dir/hello" "$m:/hello"
# a client (another system uuid: read-only) serving in the background
t "the server mounts in the background" 0 "$FAMFSCTL_FUSED" --system-uuid 77777777-7777-7777-7777-777777777777 \
	--refresh 100 --log-file "$dir/server.log" "$m" "$dir/mnt0"
t "it serves the file" 0 cmp "$dir/hello" "$dir/mnt0/hello"
t "its start is logged" 0 grep -q "$m mounted at $dir/mnt0 (read-only)" "$dir/server.log"

# format --force under a live mount: refused, naming where (issue 18, format)
t "format --force of a mounted file system" 1 F format --force "$m"
has "says where it is mounted" "$dir/p: mounted on this host at $dir/mnt0: unmount it first"
t "the files are still there" 0 cmp "$dir/hello" "$dir/mnt0/hello"
t "--take-over needs --force" 2 F format --take-over "$m"

# next_index (offset 40 of the log header at 2 MiB) past the log
dd if="$dir/p" of="$dir/next_index" bs=1 skip=$((2097152 + 40)) count=8 status=none
printf '\xff\xff\xff\x7f' | dd of="$dir/p" bs=1 seek=$((2097152 + 40)) conv=notrunc status=none
for i in $(seq 20); do ls "$dir/mnt0" >/dev/null; cat "$dir/mnt0/nothing-$i" 2>/dev/null; sleep 0.1; done
t "the server is alive" 0 cmp "$dir/hello" "$dir/mnt0/hello"
t "a new name is not found (no crash)" 1 stat "$dir/mnt0/nothing"
t "the failure is logged, naming the member" 0 grep -q "$dir/p: log header: next index" "$dir/server.log"
t "and that the last good state is served" 0 grep -q "$m: the log failed its checks (.*); still serving its last good state" "$dir/server.log"
n_said=$(grep -c "still serving its last good state" "$dir/server.log")
n_lib=$(grep -c "log header: next index" "$dir/server.log")
t "said once, not at each of the ~20 refreshes ($n_said, $n_lib)" 0 [ "$n_said$n_lib" = 11 ]
t "nothing in the log but whole lines" 0 [ "$(grep -vc '^[0-9T:-]* famfsctl-fused\[[0-9]*\]: <[0-7]> ' "$dir/server.log")" = 0 ]

# repaired (the header as it was): the server says so
dd if="$dir/next_index" of="$dir/p" bs=1 seek=$((2097152 + 40)) conv=notrunc status=none
for i in $(seq 5); do ls "$dir/mnt0" >/dev/null; sleep 0.1; done
t "the recovery is logged" 0 grep -q "$m: the log passes its checks again" "$dir/server.log"
t "the repeats are counted" 0 grep -q "(repeated [0-9]* more times: $dir/p: log header: next index" "$dir/server.log"
t "umount" 0 F umount "$dir/mnt0"

t "--log-file is never a planted link" 1 sh -c 'ln -s /dev/null "$1/link.log" && exec "$2" --log-file "$1/link.log" x y' - "$dir" "$FAMFSCTL_FUSED"
has "says why" "link.log"
finish
