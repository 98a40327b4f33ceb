#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# famfs over interleave sets of 1, 4 and 22 members on the simulator, from
# the command line: alloc --policy, interleave create, format SET, mkdir,
# creat, cp -r (threaded), cat -- copied trees read back identical, fsck
# clean -- and the errors around them.
set -u
. "$top_srcdir/tests/lib/testlib.sh"
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
export FAMFSCTL_FABRIC=sim:$dir/fabric FAMFSCTL_POLICY_DIR=$dir/etc
export FAMFSCTL_SYSTEM_UUID=5a5a5a5a-5a5a-5a5a-5a5a-5a5a5a5a5a5a
mkdir -p "$dir/etc/policies.d" "$dir/tree/sub/deeper"
"$FAMFSCTL" fabric create --devices 22 --capacity 8G --ports 2 >/dev/null
# a tree: an empty file, small ones, one of 40 MiB that stripes
: >"$dir/tree/empty"
echo hello >"$dir/tree/hello.txt"
head -c 3000000 /dev/urandom >"$dir/tree/sub/three-mb"
head -c 41943040 /dev/urandom >"$dir/tree/sub/deeper/forty-mb"
cp "$top_srcdir/README" "$dir/tree/README"

for w in 1 4 22; do
	printf '[members]\ncount = %d\n[capacity]\nmember_size = 4G\n[interleave]\nchunk = 2M\nstrips = %d\n[famfs]\ncopy_threads = 3\n' \
		"$w" "$((w < 16 ? w : 16))" >"$dir/etc/policies.d/p$w.conf"
	t "p$w: alloc" 0 "$FAMFSCTL" alloc --policy p$w
	t "p$w: interleave" 0 "$FAMFSCTL" interleave create --name s$w --policy p$w
	t "s$w: format" 0 "$FAMFSCTL" format s$w
	[ "$(jq -c '[.clean, (.members | length)]' <<<"$out")" = "[true,$w]" ]; c "s$w: clean, $w members"
	t "s$w: mkdir -p" 0 "$FAMFSCTL" mkdir -p s$w:/data/copies
	t "s$w: cp -r" 0 "$FAMFSCTL" cp -r "$dir/tree" s$w:/data/copies
	for f in empty hello.txt README sub/three-mb sub/deeper/forty-mb; do
		"$FAMFSCTL" cat "s$w:/data/copies/tree/$f" >"$dir/back" 2>&1
		t "s$w: $f reads back identical" 0 cmp "$dir/back" "$dir/tree/$f"
	done
	t "s$w: creat" 0 "$FAMFSCTL" creat -s 64M s$w:/data/big
	t "s$w: fsck" 0 "$FAMFSCTL" fsck s$w
	[ "$(jq .clean <<<"$out")" = true ]; c "s$w: clean with files"
done
# 22 members, 16 strips: every member carries a share of the files' space
t "fsck s22" 0 "$FAMFSCTL" fsck s22
[ "$(jq '[.members[] | select(.used > 0)] | length' <<<"$out")" = 22 ]; c "all 22 members used"

# the rules
t "only the master writes" 1 env FAMFSCTL_SYSTEM_UUID=11111111-2222-3333-4444-555555555555 \
	"$FAMFSCTL" mkdir s4:/nope
has "says who may" "not the file system's master"
t "anyone reads" 0 env FAMFSCTL_SYSTEM_UUID=11111111-2222-3333-4444-555555555555 \
	"$FAMFSCTL" cat s4:/data/copies/tree/hello.txt
t "a file twice" 1 "$FAMFSCTL" creat -s 1M s4:/data/big
has "exists" "exists"
t "no parent" 1 "$FAMFSCTL" creat -s 1M s4:/none/file
has "names it" "no directory 'none'"
t "a path too long" 1 "$FAMFSCTL" creat -s 1M "s4:/$(printf 'x%.0s' $(seq 90))"
has "says the limit" "at most 79 bytes"
t "a directory without -r" 1 "$FAMFSCTL" cp "$dir/tree" s4:/x
has "asks for -r" "use -r"
t "many into a file" 1 "$FAMFSCTL" cp "$dir/tree/hello.txt" "$dir/tree/README" s4:/data/big
t "no set" 1 "$FAMFSCTL" cat nosuch:/x
has "names it" "no interleave set or member named nosuch"
t "no colon" 2 "$FAMFSCTL" cat s4
t "cat a directory" 1 "$FAMFSCTL" cat s4:/data
# issue 18: sizes whose stripe rounding wraps 2^64 are refused, with a
# message, and nothing is logged: the file system still opens
for w in 1 4; do
	used=$("$FAMFSCTL" fsck s$w | jq .log_entries_used)
	t "s$w: creat of 2^64-1 bytes" 1 "$FAMFSCTL" creat -s 18446744073709551615 s$w:/data/huge
	has "s$w: says it is too large" "size 18446744073709551615 is too large"
	t "s$w: a size beyond any member" 1 "$FAMFSCTL" creat -s 8E s$w:/data/huge
	has "s$w: says there is no room" "no room for"
	t "s$w: still clean" 0 "$FAMFSCTL" fsck s$w
	[ "$(jq .log_entries_used <<<"$out")" = "$used" ]; c "s$w: nothing logged"
	t "s$w: still readable" 0 "$FAMFSCTL" cat s$w:/data/copies/tree/hello.txt
done
# issue 18: a final . or .. and the reserved .meta, for every command
for p in /data/. /data/.. /. /.. /.meta /.meta/x /data/./x; do
	t "mkdir $p" 1 "$FAMFSCTL" mkdir s4:$p
	has "mkdir $p: says why" "not a plain relative path"
	t "creat $p" 1 "$FAMFSCTL" creat -s 1M s4:$p
	has "creat $p: says why" "not a plain relative path"
done
t "cp into d/." 1 "$FAMFSCTL" cp "$dir/tree/hello.txt" s4:/data/copies/.
has "cp d/.: says why" "not a plain relative path"
t "cp into .meta" 1 "$FAMFSCTL" cp "$dir/tree/hello.txt" s4:/.meta
t "mkdir -p through .." 1 "$FAMFSCTL" mkdir -p s4:/data/../x
t "s4: still clean" 0 "$FAMFSCTL" fsck s4
# cp -r copies no symbolic link (famfs has none) and follows none, so a
# link back up the tree cannot loop
mkdir -p "$dir/links/in"
echo a >"$dir/links/in/a"
ln -s a "$dir/links/in/to-a"
ln -s .. "$dir/links/in/up"
t "cp -r with links" 0 "$FAMFSCTL" cp -r "$dir/links" s4:/
has "skips a link, saying so" "links/in/to-a: a symbolic link; famfs has none, skipped"
has "and the one up the tree" "links/in/up: a symbolic link"
t "the file is there" 0 "$FAMFSCTL" cat s4:/links/in/a
t "the links are not" 1 "$FAMFSCTL" cat s4:/links/in/to-a
t "without -r a named link is followed" 0 "$FAMFSCTL" cp "$dir/links/in/to-a" s4:/to-a
[ "$("$FAMFSCTL" cat s4:/to-a)" = a ]; c "as cp does"
# a failure names the source, stops logging, finishes what was logged and
# lists it
mkdir -p "$dir/again/tree2"
for i in 1 2 3; do echo "$i" >"$dir/again/tree2/f$i"; done
t "a first copy" 0 "$FAMFSCTL" cp -r "$dir/again/tree2" s4:/
echo 4 >"$dir/again/tree2/f0"
t "again: the names exist" 1 "$FAMFSCTL" cp -r "$dir/again/tree2" s4:/
has "names the source" "again/tree2/f"
has "says what it did" "files copied (listed on standard output), none in part"
# a failure cuts the copy at its file: those before it are logged whole,
# it and those after never, and their space is free again
for f in f1 f2 f3; do head -c 3000000 /dev/urandom >"$dir/again/$f"; done
truncate -s 5G "$dir/again/huge"
t "s1: mkdir" 0 "$FAMFSCTL" mkdir s1:/cut
"$FAMFSCTL" fsck s1 >"$dir/fsck-before"
t "s1: cp into too little room" 1 "$FAMFSCTL" cp "$dir/again/f1" "$dir/again/f2" \
	"$dir/again/huge" "$dir/again/f3" s1:/cut
has "names the file" "again/huge"
has "lists what it copied" "s1:/cut/f2"
t "f1 whole" 0 cmp <("$FAMFSCTL" cat s1:/cut/f1) "$dir/again/f1"
t "f2 whole" 0 cmp <("$FAMFSCTL" cat s1:/cut/f2) "$dir/again/f2"
t "the failed file is not there" 1 "$FAMFSCTL" cat s1:/cut/huge
t "nor the one after it" 1 "$FAMFSCTL" cat s1:/cut/f3
t "s1: fsck after the cut" 0 "$FAMFSCTL" fsck s1
[ "$(jq '.members[0].used' <<<"$out")" = "$(( $(jq '.members[0].used' "$dir/fsck-before") + 2 * 4194304 ))" ]
c "only the two files' space is used"
# a crash (FAMFSCTL_FAULT=commit:N: the process ends before its Nth file is
# logged) leaves a prefix of the copy, every logged file whole
mkdir -p "$dir/crash"
for i in 1 2 3 4 5 6; do head -c $((i * 700000)) /dev/urandom >"$dir/crash/c$i"; done
t "s4: a cp that crashes before its 3rd file is logged" 99 env FAMFSCTL_FAULT=commit:3 \
	"$FAMFSCTL" cp -r -j 2 "$dir/crash" s4:/
t "s4: fsck after the crash" 0 "$FAMFSCTL" fsck s4
t "s4: the copied directory" 0 "$FAMFSCTL" ls s4:/crash
[ "$(wc -l <<<"$out")" = 2 ]; c "holds two files"
for f in $out; do
	t "s4: $f is whole" 0 cmp <("$FAMFSCTL" cat "s4:/crash/$f") "$dir/crash/$f"
done
t "a terminal's progress, forced" 0 "$FAMFSCTL" cp --progress "$dir/tree/sub/three-mb" s4:/p3
has "shows it" "famfsctl cp: 2 of 2 MiB, 1 file"
t "more threads than useful" 0 "$FAMFSCTL" -v cp -j 64 "$dir/tree/hello.txt" s4:/hello-j
has "are capped" "copy threads of the 64 asked for"
# a name's control characters are printed escaped (ls, cp's messages)
t "mkdir a name with an escape" 0 "$FAMFSCTL" mkdir s4:/$'e\e[31mred'
t "ls" 0 "$FAMFSCTL" ls s4:/
has "shows it escaped" 'e\x1b[31mred/'
t "no raw escape" 1 grep -q $'\e' <<<"$out"
# a trailing slash names a directory
t "cp into d/" 0 "$FAMFSCTL" cp "$dir/tree/hello.txt" s4:/data/copies/
t "lands in it" 0 "$FAMFSCTL" cat s4:/data/copies/hello.txt
t "cp into nodir/" 1 "$FAMFSCTL" cp "$dir/tree/hello.txt" s4:/nodir/
has "says it is no directory" "s4:/nodir/ is not a directory"
t "mkdir e/" 0 "$FAMFSCTL" mkdir s4:/e/
t "ls e//" 0 "$FAMFSCTL" ls s4:/e//
t "creat f/" 2 "$FAMFSCTL" creat -s 1M s4:/f/
has "says why" "a file's path does not end in '/'"
t "cat file/" 1 "$FAMFSCTL" cat s4:/data/copies/hello.txt/
has "not a directory" "not a directory"
t "help" 0 "$FAMFSCTL" cp --help
finish
