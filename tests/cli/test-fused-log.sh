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
trap 'for m in "$dir/mnt0" "$dir/-m"; do fusermount3 -u -q -- "$m" 2>/dev/null; done; rm -rf "$dir"' EXIT
truncate -s 4G "$dir/p" "$dir/a"
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

# mount by member paths needs no fabric (item 21): none configured at all
mkdir -p "$dir/etc" "$dir/-m"
t "mount by member paths, no fabric anywhere" 0 env -u FAMFSCTL_FABRIC FAMFSCTL_POLICY_DIR="$dir/etc" \
	"$FAMFSCTL" mount "$m" "$dir/-m"
t "it serves" 0 cmp "$dir/hello" "$dir/-m/hello"
# a write of one byte at 1 GiB (item 8): the server does not hold 1 GiB
t "one byte at 1 GiB through the master's mount" 0 dd if="$dir/hello" of="$dir/-m/sparse" bs=1 count=1 \
	seek=$((1 << 30)) conv=notrunc status=none
rss=
for p in /proc/[0-9]*; do
	c=$(tr '\0' ' ' 2>/dev/null <"$p/cmdline") || continue
	case $c in *famfsctl-fused*"$dir/-m"*) ;; *) continue;; esac
	rss=$(awk '/^RssAnon/ { print $2 }' "$p/status")
done
# (its own memory: the members' mapping, written with the file's zeros, is
# the media's, not the server's)
t "the server's memory stays bounded (RssAnon ${rss:-?} kB < 64 MiB)" 0 [ "${rss:-999999999}" -lt 65536 ]
t "the file is logged at its size" 0 [ "$(F getmap "$m:/sparse" | jq .size)" = $(((1 << 30) + 1)) ]
# umount of a mount point whose name is an option (item 21): by a relative
# name, after --, fusermount3 is given the absolute path
t "umount -- -m" 0 sh -c 'cd "$1" && exec "$2" umount -- -m' - "$dir" "$FAMFSCTL"
t "it is gone" 1 grep -qF "$dir/-m " /proc/self/mounts

t "--log-file is never a planted link" 1 sh -c 'ln -s /dev/null "$1/link.log" && exec "$2" --log-file "$1/link.log" x y' - "$dir" "$FAMFSCTL_FUSED"
has "says why" "link.log"
finish
