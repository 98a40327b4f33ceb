#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# famfsctl format and fsck from the command line: what scripts rely on.
set -u
. "$top_srcdir/tests/lib/testlib.sh"
d=$(mktemp -d); trap 'rm -rf "$d"' EXIT
truncate -s 4G "$d/p"; truncate -s 256M "$d/a" "$d/b"; truncate -s 1G "$d/small"
export FAMFSCTL_SYSTEM_UUID=5a5a5a5a-5a5a-5a5a-5a5a-5a5a5a5a5a5a
tag=11111111-2222-3333-4444-555555555555

t "format three members" 0 "$FAMFSCTL" format "$d/p=$tag,$d/a" "$d/b"
has "the primary keeps its given tag" "\"tag\": \"$tag\""
has "three members" '"index": 2'
has "clean" '"clean": true'
t "fsck in another order" 0 "$FAMFSCTL" fsck "$d/p,$d/b,$d/a"
t "again without --force" 1 "$FAMFSCTL" format "$d/p,$d/a,$d/b"
has "names the member and the way out" "p: already holds a famfs primary superblock (use --force to overwrite)"
t "fsck still clean after the refusal" 0 "$FAMFSCTL" fsck "$d/p,$d/a,$d/b"
t "fsck with a member missing" 1 "$FAMFSCTL" fsck "$d/p,$d/a"
has "names the missing member" "member 2 (tag"
t "fsck of a secondary as primary" 1 "$FAMFSCTL" fsck "$d/a"
t "a primary under 4 GiB" 1 "$FAMFSCTL" format "$d/small"
has "says why" "too small for a primary member (at least 4 GiB)"
t "fsck of no file system" 1 "$FAMFSCTL" fsck "$d/small"
has "says so" "small: no famfs superblock"
t "a bad tag" 2 "$FAMFSCTL" format "$d/p=nope"
t "a bad log size" 2 "$FAMFSCTL" format --log-size 3X "$d/p"
t "no members" 2 "$FAMFSCTL" format
t "a missing member file" 1 "$FAMFSCTL" format --force "$d/p,$d/nonexistent"
t "fsck still clean after that" 0 "$FAMFSCTL" fsck "$d/p,$d/a,$d/b"
t "reformat with --force" 0 "$FAMFSCTL" format --force --log-size 16M "$d/p,$d/a"
has "the new log size" '"log_len": 16777216'
# --force is for this host's own file systems: another master's is refused
# (it may be writing it now) unless --take-over (issue 18, format)
other=99999999-8888-7777-6666-555555555555
t "--force on a host that is not the master" 1 "$FAMFSCTL" format --force --system-uuid "$other" "$d/p,$d/a"
has "names the member and both hosts" "p: holds a famfs superblock whose master is host $FAMFSCTL_SYSTEM_UUID, not this host ($other)"
has "and the stronger order" "(--take-over formats it anyway)"
t "nothing written" 0 "$FAMFSCTL" fsck "$d/p,$d/a"
has "the master is unchanged" "\"system_uuid\": \"$FAMFSCTL_SYSTEM_UUID\""
has "the log size too" '"log_len": 16777216'
truncate -s 4G "$d/q"
t "a secondary of another master too" 1 "$FAMFSCTL" format --force --system-uuid "$other" "$d/q,$d/a"
has "names it" "a: holds a famfs superblock whose master is host $FAMFSCTL_SYSTEM_UUID"
t "--take-over without --force" 2 "$FAMFSCTL" format --take-over --system-uuid "$other" "$d/p,$d/a"
t "--force --take-over" 0 "$FAMFSCTL" format --force --take-over --system-uuid "$other" "$d/p,$d/a"
has "the new master" "\"system_uuid\": \"$other\""
t "the old master is now refused" 1 "$FAMFSCTL" format --force "$d/p,$d/a"
t "and takes it back" 0 "$FAMFSCTL" format --force --take-over --log-size 16M "$d/p,$d/a"
# a single member without a slash: a file here is a path, unless a set has that name
truncate -s 4G "$d/solo.img"
t "format a single member" 0 "$FAMFSCTL" format "$d/solo.img"
t "fsck member.img (./member.img)" 0 sh -c "cd '$d' && '$FAMFSCTL' fsck solo.img"
t "a word that is neither a set nor a file" 1 sh -c "cd '$d' && '$FAMFSCTL' fsck nosuch"
has "says so" "no interleave set or member named nosuch"
# umount leaves what is not famfsctl's alone
t "umount of something not famfsctl's" 1 "$FAMFSCTL" umount /proc
has "says what is there" "not a famfsctl mount (proc); left alone"
[ -e /proc/self ]; c "and it stays mounted"
t "umount of nothing mounted" 1 "$FAMFSCTL" umount "$d"
has "says so" "nothing is mounted there"

# text famfsctl prints: a name's control characters as \xNN, never a
# forged line or a terminal escape (issue 18 item 21, the class)
t "a usage error naming an escape sequence" 2 "$FAMFSCTL" format --log-size $'3\e]0;owned\a' "$d/p"
has "escaped" "'3\x1b]0;owned\x07' is not a size"
t "no raw escape" 1 grep -q $'\e' <<<"$out"
t "a set name with a newline" 1 "$FAMFSCTL" interleave list -- $'s\nfamfsctl: forged'
has "escaped" 'no set named s\x0afamfsctl: forged'
t "no forged line" 1 grep -q '^famfsctl: forged' <<<"$out"
t "fsck of a member path with a newline" 1 "$FAMFSCTL" fsck "$d/p,$d/"$'x\nfamfsctl: forged'
has "the name escaped" 'x\x0afamfsctl: forged'
t "no forged line" 1 grep -q '^famfsctl: forged' <<<"$out"
cp "$top_srcdir/policies/policies.d/demo.conf" "$d/"$'pol\e[2Jicy.conf'
t "policy check of a file whose name has an escape" 0 env FAMFSCTL_POLICY_DIR="$top_srcdir/policies" \
	"$FAMFSCTL" policy check "$d/"$'pol\e[2Jicy.conf'
has "its ok line escaped" 'pol\x1b[2Jicy.conf: ok'
t "no raw escape" 1 grep -q $'\e' <<<"$out"

t "help" 0 "$FAMFSCTL" format --help
t "fsck help" 0 "$FAMFSCTL" fsck --help
finish
