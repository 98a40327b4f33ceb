#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# famfsctl stats on the simulator: the JSON figures of a formatted set with
# files (members, space, files, directories, log use, the fsck verdict fsck
# recorded), of a set without a file system, of the fabric's devices; the
# Prometheus text passes a strict exposition-format check (tests/lib/promcheck.py,
# itself checked against broken inputs first) with the same values; a mount
# point needing label escapes (with FUSE); -o writes the file; errors.
set -u
. "$top_srcdir/tests/lib/testlib.sh"
PY=${PYTHON:-python3}
if ! command -v "$PY" >/dev/null || ! command -v jq >/dev/null; then
	echo "SKIP: needs python3 (the exposition-format check) and jq"
	exit 77
fi
dir=$(mktemp -d)
trap 'fusermount3 -u -q "$dir/m\"nt\\x" 2>/dev/null; rm -rf "$dir"' EXIT
export FAMFSCTL_FABRIC=sim:$dir/fabric FAMFSCTL_POLICY_DIR=$dir/etc
export FAMFSCTL_SYSTEM_UUID=5a5a5a5a-5a5a-5a5a-5a5a-5a5a5a5a5a5a
promcheck() { "$PY" "$top_srcdir/tests/lib/promcheck.py" "$@"; }

# the checker refuses what the format forbids
bad() { # bad DESCRIPTION TEXT EXPECTED-MESSAGE
	t "promcheck refuses $1" 1 promcheck <<<"$2"
	has "promcheck: $1" "$3"
}
ok='# HELP a_b A help.
# TYPE a_b gauge
a_b{x="1"} 2'
t "promcheck takes a good family" 0 promcheck <<<"$ok"
bad "a sample without TYPE" $'# HELP a A.\na 1' "before any TYPE"
bad "a bad label escape" $'# HELP a A.\n# TYPE a gauge\na{l="x\\q"} 1' "is not an escape"
bad "an unquoted label value" $'# HELP a A.\n# TYPE a gauge\na{l=x} 1' "'=\"' expected"
bad "a bad value" $'# HELP a A.\n# TYPE a gauge\na 1,5' "is not a value"
bad "a bad metric name" $'# HELP 1a A.\n# TYPE 1a gauge\n1a 1' "a metric name expected"
bad "a series twice" $'# HELP a A.\n# TYPE a gauge\na{l="1"} 1\na{l="1"} 2' "the same series twice"
bad "split families" $'# HELP a A.\n# TYPE a gauge\n# HELP b B.\n# TYPE b gauge\na 1\nb 1\na{l="2"} 1' "not all together"
bad "an unknown type" $'# HELP a A.\n# TYPE a meter\na 1' "is not one of"
bad "a reserved label" $'# HELP a A.\n# TYPE a gauge\na{__x="1"} 1' "reserved"
bad "a bad HELP escape" $'# HELP a A \\t.\n# TYPE a gauge\na 1' "HELP text"
bad "TYPE after samples" $'# HELP a A.\n# TYPE a gauge\na 1\n# TYPE a gauge' "after its samples"
t "promcheck: no final newline" 1 promcheck /dev/fd/3 3< <(printf '# HELP a A.\n# TYPE a gauge\na 1')

mkdir -p "$dir/etc/policies.d"
printf '[members]\ncount = 2\n[capacity]\nmember_size = 4G\n' >"$dir/etc/policies.d/p.conf"
printf '[members]\ncount = 1\n[capacity]\nmember_size = 4G\n' >"$dir/etc/policies.d/q.conf"
"$FAMFSCTL" fabric create --devices 3 --capacity 8G >/dev/null
t "alloc p" 0 "$FAMFSCTL" alloc --policy p
t "alloc q" 0 "$FAMFSCTL" alloc --policy q
t "interleave full" 0 "$FAMFSCTL" interleave create --name full --policy p
t "interleave empty" 0 "$FAMFSCTL" interleave create --name empty --policy q
t "format full" 0 "$FAMFSCTL" format full
t "mkdir" 0 "$FAMFSCTL" mkdir -p full:/a/b
t "creat 1" 0 "$FAMFSCTL" creat -s 8M full:/a/f1
t "creat 2" 0 "$FAMFSCTL" creat -s 1M full:/a/b/f2
t "creat 3" 0 "$FAMFSCTL" creat -s 1M full:/f3

t "stats before any fsck" 0 "$FAMFSCTL" stats full
[ "$(jq -c '.sets[0].fsck' <<<"$out")" = null ]; c "no fsck verdict yet"
t "fsck full" 0 "$FAMFSCTL" fsck full
t "fsck empty (no file system)" 1 "$FAMFSCTL" fsck empty

t "stats" 0 "$FAMFSCTL" stats
json=$out
q() { jq -c "$1" <<<"$json"; }
[ "$(q '[.sets[].name]')" = '["empty","full"]' ]; c "both sets"
[ "$(q '.sets[1] | [.members_expected, .members_present, .formatted]')" = '[2,2,true]' ]
c "full: 2 of 2 members, formatted"
[ "$(q '.sets[1] | [.files, .directories]')" = '[3,2]' ]; c "full: 3 files, 2 directories"
[ "$(q '.sets[1] | [.log_entries_used, .log_entries]')" = '[6,15420]' ]
c "full: 6 log entries of 15420 (the secondary, 2 dirs, 3 files)"
[ "$(q '.sets[1] | .capacity == 8589934592 and .used + .free == .capacity and .used >= 10485760')" = true ]
c "full: capacity 8 GiB = used + free, files counted in used"
[ "$(q '.sets[1].fsck | [.verdict, .problems]')" = '["clean",0]' ]; c "full: fsck clean recorded"
[ "$(q '.sets[1].fsck.time >= (now - 600)')" = true ]; c "full: fsck time recent"
[ "$(q '.sets[1] | [.mounted, .mount_point, .log_replay_age_seconds]')" = '[false,null,null]' ]
c "full: not mounted"
[ "$(q '.sets[0] | [.formatted, .fsck.verdict, has("capacity")]')" = '[false,"no file system",false]' ]
c "empty: no file system, as fsck found"
[ "$(q '[.devices[] | [.capacity, .allocated, .free, .tags]]')" = \
  '[[8589934592,4294967296,4294967296,1],[8589934592,4294967296,4294967296,1],[8589934592,4294967296,4294967296,1]]' ]
c "devices: capacity, allocated, free, tags"

t "stats --prometheus" 0 "$FAMFSCTL" stats --prometheus
prom=$out
t "the exposition format is strict-clean" 0 promcheck <<<"$prom"
has "families read" "19 families"
for line in 'famfsctl_set_members_expected{set="full"} 2' 'famfsctl_set_files{set="full"} 3' \
	'famfsctl_set_directories{set="full"} 2' 'famfsctl_set_log_entries_used{set="full"} 6' \
	'famfsctl_set_log_entries_capacity{set="full"} 15420' 'famfsctl_set_formatted{set="empty"} 0' \
	'famfsctl_set_fsck_clean{set="full",verdict="clean"} 1' \
	'famfsctl_set_fsck_clean{set="empty",verdict="no file system"} 0' \
	'famfsctl_set_mounted{set="full",mount_point="",mode="",access=""} 0' \
	'famfsctl_device_allocated_bytes{device="2",name="dcd2"} 4294967296' \
	"famfsctl_set_capacity_bytes{set=\"full\"} $(q '.sets[1].capacity')"; do
	out=$prom; has "prometheus: $line" "$line"
done
out=$prom
! grep -q 'famfsctl_set_capacity_bytes{set="empty"}' <<<"$prom"; c "no figures for a set without a file system"

t "stats SET" 0 "$FAMFSCTL" stats --prometheus full
! grep -q 'set="empty"' <<<"$out"; c "only that set"
t "-o FILE" 0 "$FAMFSCTL" stats --prometheus -o "$dir/famfsctl.prom"
[ -z "$out" ] && [ ! -e "$dir/famfsctl.prom.tmp" ]; c "nothing on stdout, no temporary left"
t "the file is strict-clean" 0 promcheck "$dir/famfsctl.prom"
t "unknown set" 1 "$FAMFSCTL" stats nosuch
has "names the set" "no set named nosuch"
t "not a set name" 2 "$FAMFSCTL" stats a/b
t "two sets" 2 "$FAMFSCTL" stats full empty
t "-o into a missing directory" 1 "$FAMFSCTL" stats -o "$dir/no/such/file"
has "names the file" "$dir/no/such/file.tmp"

# a mount point that needs escaping in a label: '"' and '\'
if [ -c /dev/fuse ] && command -v fusermount3 >/dev/null; then
	mp="$dir/m\"nt\\x"
	mkdir -p "$mp"
	t "mount full" 0 "$FAMFSCTL" mount full "$mp"
	t "stats --prometheus, mounted" 0 "$FAMFSCTL" stats --prometheus full
	has "mount labels escaped" "famfsctl_set_mounted{set=\"full\",mount_point=\"$dir/m\\\"nt\\\\x\",mode=\"portable\",access=\"rw\"} 1"
	t "still strict-clean" 0 promcheck <<<"$out"
	t "stats JSON, mounted" 0 "$FAMFSCTL" stats full
	[ "$(jq -r '.sets[0].mount_point' <<<"$out")" = "$mp" ]; c "the mount point, unescaped"
	t "umount" 0 "$FAMFSCTL" umount "$mp"
else
	echo "note: no FUSE: the mount labels are not checked"
fi

# a damaged file system: its primary's superblock CRC overwritten (the
# magic stays: a file system, not none)
t "interleave list full" 0 "$FAMFSCTL" interleave list full
mem=$(jq -r '.[0].members[0].memdev' <<<"$out") tag=$(jq -r '.[0].members[0].tag' <<<"$out")
t "list -E" 0 "$FAMFSCTL" list -E
dpa=$(jq -r --arg t "$tag" '[.[] | select(.uuid == $t)][0].offset' <<<"$out")
printf 'XXXXXXXX' | dd of="$dir/fabric/dcd${mem#mem}.img" bs=1 seek=$((dpa + 96)) conv=notrunc status=none
t "fsck finds the damage" 1 "$FAMFSCTL" fsck full
t "stats after it" 0 "$FAMFSCTL" stats full
[ "$(jq -c '.sets[0] | [.formatted, .fsck.verdict, .fsck.problems > 0]' <<<"$out")" = '[false,"damaged",true]' ]
c "the damaged verdict and its problems are recorded"
t "stats --prometheus after it" 0 "$FAMFSCTL" stats --prometheus full
has "fsck_clean 0 with the verdict" 'famfsctl_set_fsck_clean{set="full",verdict="damaged"} 0'
t "strict-clean" 0 promcheck <<<"$out"
# a record that is not one is reported and ignored, not trusted
echo '{"time": "soon"}' >"$dir/fabric/host0/fsck/full.json"
t "stats over a bad record" 0 "$FAMFSCTL" stats full
has "says which file" "$dir/fabric/host0/fsck/full.json: not an fsck record"
[ "$(sed -n '/^{/,$p' <<<"$out" | jq -c '.sets[0].fsck')" = null ]; c "no verdict from it"
finish
