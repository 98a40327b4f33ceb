# SPDX-License-Identifier: GPL-2.0-only
#
# Sourced by the real-kernel tests' host side (vm-test.sh, vm-share-test.sh):
# what they need installed (exit 77 names what is missing), Debian's 6.1
# kernel, a run directory, the initramfs, and the assertion counters.
#
# Environment: top_builddir, top_srcdir (set by make check);
# FAMFSCTL_VM_CACHE (kernel download cache, default ~/.cache/famfsctl-vm);
# FAMFSCTL_VM_KEEP=1 keeps the run directory for inspection.
build=${top_builddir:?}
src=${top_srcdir:?}
here=$src/tests/vm

skip() { echo "SKIP: $*"; exit 77; }
PATH=$PATH:/sbin:/usr/sbin
for tool in qemu-system-x86_64 cpio jq kmod cxl daxctl ndctl; do
	command -v $tool >/dev/null || skip "$tool is not installed (see build.sh check)"
done
# ldd fails on a static executable: that is the busybox the guest needs
[ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1 ||
	skip "a static busybox is needed (Debian package busybox-static)"
[ -x "$build/cmd/.libs/famfsctl" ] || skip "famfsctl is not built"
# (ldd's output read whole, not through grep -q: under pipefail an ldd cut
# off by grep's early exit made the pipeline fail, and the test ran the
# sanitizer build in the guest, which does not fit in its memory)
if [[ "$(ldd "$build/cmd/.libs/famfsctl" 2>/dev/null)" == *libasan* ]]; then
	skip "sanitizer build: the VM carries the plain build (run by the first pass)"
fi

# The kernel: Debian's current 6.1 linux-image, extracted, never installed.
cache=${FAMFSCTL_VM_CACHE:-$HOME/.cache/famfsctl-vm}
mkdir -p "$cache"
pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-6/{print $2; exit}')
[ -n "$pkg" ] || skip "apt cannot resolve linux-image-amd64 (run apt-get update)"
kroot=$cache/$pkg
# two tests may fetch at once: one extracts, the other waits for it
exec 9>"$cache/.lock"
flock 9
if [ ! -d "$kroot/boot" ]; then
	(cd "$cache" && apt-get download "$pkg" >/dev/null 2>&1) ||
		skip "cannot download $pkg"
	mkdir -p "$kroot.tmp" && dpkg-deb -x "$cache/$pkg"_*.deb "$kroot.tmp" &&
		mv "$kroot.tmp" "$kroot" && rm -f "$cache/$pkg"_*.deb ||
		{ echo "FAIL: cannot extract $pkg"; exit 1; }
fi
vmlinuz=$(ls "$kroot"/boot/vmlinuz-*)
# Under TCG, decompressing the bzImage takes longer than the rest of the
# boot: unpack it once into an ELF vmlinux, which QEMU starts at its PVH
# entry point (Debian's kernel has one). The x86 boot protocol's header
# locates the payload: setup_sects at 0x1f1, payload_offset and
# payload_length at 0x248 (from the protected-mode code, which follows
# setup_sects + 1 sectors). Without it (a tool missing), boot the bzImage.
if [ ! -s "$kroot/vmlinux" ]; then
	sects=$(od -An -tu1 -j $((0x1f1)) -N1 "$vmlinuz" | tr -d ' ')
	read -r poff plen < <(od -An -tu4 -j $((0x248)) -N8 "$vmlinuz")
	payload() { tail -c +$(( (${sects:-4} + 1) * 512 + poff + 1 )) "$vmlinuz" | head -c "$plen"; }
	case $(payload | head -c 4 | od -An -tx1 | tr -d ' ') in
	# (the payload ends in the 4-byte unpacked size, after the stream)
	fd377a58) unpack="xz -dc --single-stream" ;;
	28b52ffd) unpack="zstd -dc" ;;
	1f8b*) unpack="gzip -dc" ;;
	*) unpack=false ;;
	esac
	# (head ends tail with SIGPIPE: judge by the decompressor and the result)
	payload | $unpack >"$kroot/vmlinux.tmp" 2>/dev/null
	[ "${PIPESTATUS[1]}" = 0 ] && [ "$(head -c 4 "$kroot/vmlinux.tmp" | od -An -tx1 | tr -d ' ')" = 7f454c46 ] &&
		mv "$kroot/vmlinux.tmp" "$kroot/vmlinux"
	rm -f "$kroot/vmlinux.tmp"
fi
flock -u 9
[ -s "$kroot/vmlinux" ] && kernel=$kroot/vmlinux || kernel=$vmlinuz

run=$(mktemp -d /tmp/famfsctl-vm.XXXXXX)
[ "${FAMFSCTL_VM_KEEP:-0}" = 1 ] || trap 'rm -rf "$run"' EXIT
start=$(date +%s)

# build_initramfs [PROGRAM...]: $run/initramfs.gz, with extra test programs
build_initramfs() {
	"$here/build-initramfs.sh" "$build" "$kroot" "$run/initramfs.gz" "$@" ||
		{ echo "FAIL: building the initramfs"; exit 1; }
}

pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { # check DESCRIPTION COMMAND...
	local desc=$1; shift
	if "$@" >/dev/null 2>&1; then ok; else bad "$desc"; fi
}
step_ok() { # step_ok STEP [REPORT_DIR, default $r]: the step ran and exited 0
	local d=${2:-$r}
	if [ -f "$d/$1.rc" ] && [ "$(cat "$d/$1.rc")" = 0 ]; then ok; else
		bad "step $1 (exit $(cat "$d/$1.rc" 2>/dev/null || echo missing))"
		sed 's/^/    /' "$d/$1.err" 2>/dev/null | tail -20
	fi
}
