#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# build.sh demo   - install missing build dependencies (as root; otherwise print
#                   the apt-get line), build, and run the main job on the
#                   embedded simulator.
# build.sh check  - the same build, then the whole test suite: `make check`
#                   with -Werror, again under AddressSanitizer and UBSan, and
#                   `make distcheck`.
#
# Builds go to build/ (and build-asan/) so the source tree stays clean.
set -euo pipefail
cd "$(dirname "$0")"
top=$PWD
mode=${1:-demo}
jobs=$(nproc 2>/dev/null || echo 2)

# Every Debian package famfsctl needs to build and test, in one place.
build_pkgs="build-essential autoconf automake libtool pkg-config
  libcxl-dev libdaxctl-dev libkmod-dev libjson-c-dev libudev-dev uuid-dev
  libinih-dev zlib1g-dev libfuse3-dev fuse3"
check_pkgs="libcmocka-dev umockdev libumockdev-dev xz-utils
  qemu-system-x86 busybox-static cpio jq kmod ndctl daxctl
  gcc-aarch64-linux-gnu libc6-dev-arm64-cross"

need_pkgs() {
	local missing=()
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "famfsctl needs these Debian packages; as root run:" >&2
		echo "  apt-get install -y ${missing[*]}" >&2
		exit 1
	fi
	echo "== installing ${missing[*]}"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null
}

# Configure DIR again whenever what it was configured with changed: its
# options or the packages installed (a build/ made by `demo` before the
# test packages were installed would otherwise leave tests out).
configure_in() {
	local dir=$1; shift
	local stamp
	# shellcheck disable=SC2086
	stamp=$( { echo "$*"; dpkg-query -W -f='${Package} ${Version} ${Status}\n' \
		$build_pkgs $check_pkgs 2>/dev/null; } | cksum)
	mkdir -p "$dir"
	if [ ! -f "$dir/Makefile" ] || [ "$(cat "$dir/.configured-with" 2>/dev/null)" != "$stamp" ]; then
		(cd "$dir" && "$top/configure" --enable-werror "$@" >config.out)
		echo "$stamp" >"$dir/.configured-with"
	fi
}

# The test suite runs whole or not at all.
require_test_deps() {
	grep -q 'make check:    cmocka=yes umockdev=yes' "$1/config.out" || {
		echo "build.sh: $1 was configured without cmocka or umockdev; see $1/config.out" >&2
		exit 1
	}
}

build() {
	[ -x configure ] && [ configure -nt configure.ac ] || ./autogen.sh >/dev/null 2>&1
	configure_in build
	make -C build -j"$jobs" >/dev/null
	echo "== built build/cmd/famfsctl"
}

case $mode in
demo)
	# shellcheck disable=SC2086
	need_pkgs $build_pkgs
	build
	exec bash "$top/tests/demo.sh" "$top/build"
	;;
check)
	# shellcheck disable=SC2086
	need_pkgs $build_pkgs $check_pkgs
	build
	require_test_deps build
	echo "== make check"
	make -C build -j"$jobs" check || { cat build/test-suite.log; exit 1; }
	echo "== make check under AddressSanitizer and UBSan"
	configure_in build-asan --enable-sanitizers
	require_test_deps build-asan
	make -C build-asan -j"$jobs" >/dev/null
	make -C build-asan -j"$jobs" check || { cat build-asan/test-suite.log; exit 1; }
	echo "== make distcheck"
	make -C build -j"$jobs" distcheck >/dev/null
	# one closing line for both passes, in the form CI reads
	awk '/^# PASS:/ {p += $3} /^# (FAIL|ERROR|XPASS):/ {f += $3} /^# SKIP:/ {s += $3}
	     END {printf "check: %d passed, %d failed, %d skipped\n", p, f, s}' \
		build/test-suite.log build-asan/test-suite.log
	;;
*)
	echo "usage: $0 demo|check" >&2
	exit 2
	;;
esac
