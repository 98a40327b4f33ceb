#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# build.sh demo   - install missing build dependencies (as root; otherwise print
#                   the apt-get line), build, and run the main job on the
#                   embedded simulator.
# build.sh check  - the same build, then the whole test suite: `make check`
#                   with -Werror, again under AddressSanitizer and UBSan,
#                   `make distcheck`, and the Debian packages (build.sh deb).
# build.sh deb    - build the Debian packages from the release tarball, run
#                   lintian, install them (as root), run the demo, the bash
#                   completion, a Prometheus scrape and the Python module from
#                   the installed files, then purge them again.
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
  libinih-dev zlib1g-dev libfuse3-dev fuse3 liburing-dev"
check_pkgs="libcmocka-dev umockdev libumockdev-dev xz-utils
  qemu-system-x86 busybox-static cpio jq kmod ndctl daxctl python3
  gcc-aarch64-linux-gnu libc6-dev-arm64-cross"
# ...and to build, check and try the Debian packages (build.sh deb)
deb_pkgs="debhelper dpkg-dev lintian bash-completion python3 python3-numpy
  prometheus-node-exporter curl"

need_pkgs() {
	local missing=()
	for p in "$@"; do
		[[ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" == *"ok installed"* ]] ||
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

# The Debian packages: built from `make dist` in build-deb/ (the source
# tree stays clean), checked by lintian, installed, tried, purged.
deb() {
	local ver tarball t0=$SECONDS
	ver=$(sed -n 's/^PACKAGE_VERSION = //p' build/Makefile)
	tarball=build/famfsctl-$ver.tar.xz
	echo "== Debian packages of famfsctl $ver"
	[ "$(dpkg-parsechangelog -l debian/changelog -S Version)" = "$ver" ] ||
		{ echo "debian/changelog is not at version $ver (configure.ac): add an entry (dch -v $ver)"; exit 1; }
	# distcheck's tarball when it is newer than every source file, else a new one
	[ -f "$tarball" ] && [ -z "$(find . -path ./build\* -prune -o -newer "$tarball" -type f \
		! -path './.git/*' -print -quit)" ] || make -C build dist >/dev/null
	rm -rf build-deb && mkdir build-deb
	tar -xf "$tarball" -C build-deb
	# the suite ran already: no second make check inside the package build
	(cd "build-deb/famfsctl-$ver" &&
	 DEB_BUILD_OPTIONS="nocheck parallel=$jobs" dpkg-buildpackage -us -uc -b) \
		>build-deb/dpkg-buildpackage.log 2>&1 ||
		{ tail -40 build-deb/dpkg-buildpackage.log; echo "dpkg-buildpackage failed: build-deb/dpkg-buildpackage.log"; exit 1; }
	ls build-deb/*.deb | sed 's/^/   /'
	# a symbol the library gained belongs in the symbols file (README.packaging)
	grep -A20 'new symbols appeared' build-deb/dpkg-buildpackage.log | grep '^+ ' |
		sed 's/^/note: not in debian\/libfamfsctl1.symbols yet: /' || true
	echo "== lintian (errors fail; warnings are explained in debian/README.packaging)"
	lintian --fail-on error --tag-display-limit 0 build-deb/*.changes | tee build-deb/lintian.log ||
		{ echo "lintian found errors"; exit 1; }
	awk '/^E:/ {e++} /^W:/ {w++} /^I:/ {i++} END {printf "lintian: %d errors, %d warnings, %d info\n", e, w, i}' \
		build-deb/lintian.log
	if [ "$(id -u)" -ne 0 ]; then
		echo "note: not root: the packages are built and checked, not installed"
		return 0
	fi
	echo "== apt-get install ./famfsctl_*.deb ./libfamfsctl*.deb"
	(cd build-deb && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		./famfsctl_*.deb ./libfamfsctl*.deb >apt.log 2>&1) || { cat build-deb/apt.log; exit 1; }
	# whatever happens next, the machine is left as it was
	trap 'DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq famfsctl libfamfsctl1 libfamfsctl-dev >/dev/null 2>&1 || true' EXIT
	bash "$top/tests/cli/deb-smoke.sh" "$ver" || exit 1
	trap - EXIT
	echo "== deb: $((SECONDS - t0)) s"
}

case $mode in
deb)
	# shellcheck disable=SC2086
	need_pkgs $build_pkgs $deb_pkgs
	build
	deb
	;;
demo)
	# shellcheck disable=SC2086
	need_pkgs $build_pkgs
	build
	exec bash "$top/tests/cli/demo.sh" "$top/build"
	;;
check)
	# shellcheck disable=SC2086
	need_pkgs $build_pkgs $check_pkgs $deb_pkgs
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
	deb
	# one closing line for both passes, in the form CI reads
	awk '/^# PASS:/ {p += $3} /^# (FAIL|ERROR|XPASS):/ {f += $3} /^# SKIP:/ {s += $3}
	     END {printf "check: %d passed, %d failed, %d skipped\n", p, f, s}' \
		build/test-suite.log build-asan/test-suite.log
	;;
*)
	echo "usage: $0 demo|check|deb" >&2
	exit 2
	;;
esac
