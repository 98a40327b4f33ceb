#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# build-initramfs.sh BUILD_DIR KERNEL_ROOT OUT.cpio.gz [PROGRAM...]
#
# A small initramfs for the real-kernel test: busybox, the famfsctl build and
# libfamfsctl, Debian's cxl/daxctl/ndctl tools, every shared library they
# load (with the dynamic loader), the kernel modules the CXL -> pmem -> dax
# path needs (from KERNEL_ROOT, an extracted linux-image .deb), and the
# guests' init scripts (tests/vm/init; tests/vm/init-share, chosen with
# rdinit=) and their shared functions (tests/vm/guest-lib.sh). Each PROGRAM
# (a libtool-built test helper) goes into /bin with its libraries.
set -euo pipefail
build=$(cd "$1" && pwd)
kroot=$(cd "$2" && pwd)
out=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)
kver=$(ls "$kroot/lib/modules")

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,etc,proc,sys,dev,tmp,run,report,usr/lib,lib64,mnt}

# busybox and its applets
cp /bin/busybox "$root/bin/busybox"
for applet in $("$root/bin/busybox" --list); do
	[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done

# programs: famfsctl from the build (the real binary behind libtool's
# wrapper), and the ndctl tools as the distribution ships them
copy_with_libs() { # copy_with_libs SRC DEST
	cp -L "$1" "$root$2"
	LD_LIBRARY_PATH=$build/lib/.libs ldd "$1" | awk '/=> \//{print $3} /^\t\/lib/{print $1}' |
	while read -r lib; do
		[ -e "$root/usr/lib/$(basename "$lib")" ] || cp -L "$lib" "$root/usr/lib/"
	done
}
copy_with_libs "$build/cmd/.libs/famfsctl" /bin/famfsctl
# the direct map's test program (tests/lib/map-tool.c), built by make check
for t in "$build/tests/lib/.libs/map-tool" "$build/tests/lib/map-tool"; do
	# the real program, not libtool's wrapper script
	if [ -x "$t" ] && [ "$(head -c4 "$t" | tail -c3)" = ELF ]; then
		copy_with_libs "$t" /bin/map-tool
		break
	fi
done
# the portable mount's server (init points FAMFSCTL_FUSED at it)
copy_with_libs "$build/fuse/.libs/famfsctl-fused" /bin/famfsctl-fused
for prog in "$@"; do
	real=$(dirname "$prog")/.libs/$(basename "$prog")
	[ -x "$real" ] || real=$prog
	copy_with_libs "$real" "/bin/$(basename "$prog")"
done
for tool in cxl daxctl ndctl; do
	copy_with_libs "$(command -v $tool)" "/bin/$tool"
done
# kmod's modprobe, which resolves module dependencies the way the host's does
copy_with_libs "$(PATH=$PATH:/sbin:/usr/sbin command -v kmod)" /bin/kmod
for applet in modprobe insmod rmmod lsmod depmod modinfo; do
	ln -sf kmod "$root/bin/$applet"
done
cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"
ln -s usr/lib "$root/lib"
echo "/usr/lib" >"$root/etc/ld.so.conf"
# libfamfsctl itself (ldd found it through LD_LIBRARY_PATH above)
cp -L "$build"/lib/.libs/libfamfsctl.so.* "$root/usr/lib/" 2>/dev/null || true

# kernel modules: the CXL, NVDIMM, DAX and 9p drivers and what they need
mods="cxl_acpi cxl_pci cxl_mem cxl_pmem libnvdimm nd_pmem dax_pmem device_dax kmem nfit fuse
      9p 9pnet_virtio virtio_pci"
mkdir -p "$root/lib/modules/$kver"
cp "$kroot/lib/modules/$kver"/modules.{order,builtin,builtin.modinfo} "$root/lib/modules/$kver/"
PATH=$PATH:/sbin:/usr/sbin depmod -b "$kroot" "$kver"
for m in $mods; do
	# -C /dev/null: the host's modprobe.d (ndctl installs an "install libnvdimm"
	# rule) must not change what the guest gets
	PATH=$PATH:/sbin:/usr/sbin modprobe -C /dev/null -d "$kroot" -S "$kver" --show-depends "$m" | awk '$1 == "insmod" {print $2}'
done | sort -u | while read -r ko; do
	rel=${ko#"$kroot"}
	mkdir -p "$root/$(dirname "$rel")"
	cp "$ko" "$root/$rel"
done
PATH=$PATH:/sbin:/usr/sbin depmod -b "$root" "$kver"

install -m 0755 "$here/init" "$root/init"
install -m 0755 "$here/init-share" "$root/init-share"
install -m 0644 "$here/guest-lib.sh" "$root/etc/guest-lib.sh"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out"
