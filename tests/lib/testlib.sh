# SPDX-License-Identifier: GPL-2.0-only
# Sourced by the shell tests: run commands, check exit codes and output, and
# finish with the "N passed, N failed" line the test harnesses read.
fail=0 n=0 out=
# Under the sanitizers (make check in a --enable-sanitizers build), what
# this test's processes report goes to files $san.asan.PID and
# $san.ubsan.PID (none when there is nothing to report), the background
# mount servers' too (their standard error is /dev/null), and finish fails
# on any.
if [ -n "${FAMFSCTL_SANITIZERS:-}" ]; then
	san="${TMPDIR:-/tmp}/famfsctl-sanitizer-$$"
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$san.asan"
	export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$san.ubsan:print_stacktrace=1"
fi
t() { # t DESCRIPTION EXPECTED-RC COMMAND...
	local desc=$1 want=$2 rc; shift 2
	n=$((n + 1))
	if [ "$*" = true ] || [ "$*" = false ]; then
		# 't DESC 0 true' after a check asserts nothing: use c
		echo "FAIL: $desc: the test runs '$*'; check the command before it with c"
		fail=$((fail + 1)); return
	fi
	out=$("$@" 2>&1); rc=$?
	if [ "$rc" -ne "$want" ]; then
		echo "FAIL: $desc: exit $rc, wanted $want"; echo "$out"; fail=$((fail + 1))
	fi
}
c() { # c DESCRIPTION: the command before it ([ ... ], cmp, grep ...) succeeded
	local rc=$?
	n=$((n + 1))
	[ "$rc" -eq 0 ] || { echo "FAIL: $1"; fail=$((fail + 1)); }
}
has() { # has DESCRIPTION TEXT: TEXT appears in the last command's output
	n=$((n + 1))
	grep -qF -- "$2" <<<"$out" || { echo "FAIL: $1: no '$2' in:"; echo "$out"; fail=$((fail + 1)); }
}
finish() {
	if [ -n "${san:-}" ]; then
		# a server may still be writing its report as it ends
		sleep 0.2
		for f in "$san".*; do
			[ -e "$f" ] || continue
			echo "FAIL: a sanitizer report (${f##*/}):"; cat "$f"; rm -f "$f"
			fail=$((fail + 1)); n=$((n + 1))
		done
	fi
	echo "$((n - fail)) passed, $fail failed"
	[ "$fail" -eq 0 ]
}

# Tests that mount: skip without FUSE; a work directory whose mnt0 and mnt1
# are unmounted and which is removed on exit. Sets $dir.
fuse_workdir() {
	if [ ! -c /dev/fuse ] || ! command -v fusermount3 >/dev/null; then
		echo "SKIP: FUSE mounts need /dev/fuse and fusermount3 (package fuse3)"
		exit 77
	fi
	dir=$(mktemp -d)
	trap 'for m in "$dir/mnt0" "$dir/mnt1" "$dir/mnt2"; do fusermount3 -u -q "$m" 2>/dev/null; done; rm -rf "$dir"' EXIT
}
