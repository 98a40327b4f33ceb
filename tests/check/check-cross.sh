#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# famfsctl builds on arm64: every C source compiles with Debian's aarch64
# cross compiler (gcc-aarch64-linux-gnu) with the warnings CI uses, the
# aarch64 cache-maintenance file in place of the x86-64 one. Objects are
# not linked: Debian's arm64 -dev packages are not installed here; the
# headers the sources use are architecture-independent.
set -u
src=${top_srcdir:-$(dirname "$0")/../..}
build=${top_builddir:-.}
cc=${CROSS_CC:-aarch64-linux-gnu-gcc}
if ! command -v "$cc" >/dev/null; then
	echo "SKIP: no $cc (Debian package gcc-aarch64-linux-gnu)"
	exit 77
fi
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fail=0 n=0
for f in "$src"/{util,famfs,sim,proto,lib,plugins,cmd,fuse,preload}/*.c \
	 "$src"/{lib,plugins}/*/*.c; do
	[ -e "$f" ] || continue
	case $f in *-x86_64.c|*-generic.c) continue ;; esac
	n=$((n + 1))
	if ! "$cc" -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter -Wshadow \
		-Wformat=2 -Wmissing-prototypes -Wstrict-prototypes -fno-strict-aliasing \
		-include "$build/config.h" -DPLUGINDIR='"/usr/lib/famfsctl/plugins"' \
		-DPOLICYDIR='"/etc/famfs"' -I"$src" -I"$src/include" -I"$build" \
		-idirafter /usr/include -idirafter /usr/include/fuse3 \
		-c "$f" -o "$tmp/o.o" 2>"$tmp/err"; then
		echo "aarch64: ${f#"$src"/} does not compile:"; sed 's/^/  /' "$tmp/err"
		fail=1
	fi
done
# the portable fallback, for any other architecture, with the host compiler
if ! ${CC:-cc} -std=gnu11 -Wall -Wextra -Werror -I"$src" -c "$src/util/cacheflush-generic.c" \
	-o "$tmp/o.o" 2>"$tmp/err"; then
	echo "util/cacheflush-generic.c does not compile:"; sed 's/^/  /' "$tmp/err"
	fail=1
fi
# libdaxctl v85's famfs-mode switch: Debian's libdaxctl (76) lacks it, so
# the branch that uses it (HAVE_DAXCTL_DEV_ENABLE_FAMFS) is compiled here
# against its v85 prototype, shaped as daxctl_dev_enable_devdax()
printf '#include <daxctl/libdaxctl.h>\nint daxctl_dev_enable_famfs(struct daxctl_dev *dev);\n' >"$tmp/famfs.h"
if ! ${CC:-cc} -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter -include "$build/config.h" \
	-DHAVE_DAXCTL_DEV_ENABLE_FAMFS -include "$tmp/famfs.h" -I"$src" -I"$src/include" -I"$build" \
	-c "$src/lib/host/sysfs-dax.c" -o "$tmp/o.o" 2>"$tmp/err"; then
	echo "lib/host/sysfs-dax.c with libdaxctl's daxctl_dev_enable_famfs() does not compile:"
	sed 's/^/  /' "$tmp/err"
	fail=1
fi
[ $fail -eq 0 ] && echo "aarch64: $n sources compile; the generic cache file and the libdaxctl famfs branch too"
exit $fail
