#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The installed Debian packages, used as a fresh host would (build.sh deb
# runs this as root after apt-get install ./famfsctl_*.deb ./libfamfsctl*.deb):
# the version; the shipped policies check; the files are where Debian wants
# them; the demo from the installed files; tab completion through
# bash-completion's loader; a Prometheus scrape through node_exporter's
# textfile collector (or the strict format check without it); the Python
# module from dist-packages, its direct map when the library has it; the
# development files; remove keeps the conffiles, purge removes them.
# Argument: the version the packages must report.
set -u
ver=${1:?version}
src=$(cd "$(dirname "$0")/../.." && pwd)
. "$src/tests/lib/testlib.sh"
multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
work=$(mktemp -d)
exporter=
cleanup() {
	[ -n "$exporter" ] && kill "$exporter" 2>/dev/null
	famfsctl down demo --mount-point "$work/mnt" >/dev/null 2>&1
	fusermount3 -u -q "$work/mnt" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
# nothing from a build tree: the installed files alone
unset FAMFSCTL_PLUGIN_DIR FAMFSCTL_POLICY_DIR FAMFSCTL_LIBRARY PYTHONPATH
export FAMFSCTL_FABRIC=sim:$work/fabric FAMFSCTL_SYSTEM_UUID=5a5a5a5a-5a5a-5a5a-5a5a-5a5a5a5a5a5a

t "famfsctl --version" 0 /usr/bin/famfsctl --version
[ "$out" = "famfsctl $ver" ]; c "reports $ver"
t "policy check /etc/famfs/policies.d/*.conf" 0 famfsctl policy check /etc/famfs/policies.d/*.conf
for f in /etc/famfs/famfsctl.conf /etc/famfs/policies.d/demo.conf \
	/lib/udev/rules.d/90-famfsctl.rules /lib/systemd/system/famfsctl-up@.service \
	/lib/systemd/system/famfsctl-udev@.service /usr/share/bash-completion/completions/famfsctl \
	/usr/share/man/man1/famfsctl-stats.1.gz /usr/lib/python3/dist-packages/famfsctl/__init__.py \
	"/usr/lib/$multiarch/famfsctl/plugins/sim.so" "/usr/lib/$multiarch/libfamfsctl.so.1" \
	/usr/include/famfsctl/libfamfsctl.h /usr/include/famfsctl/stats.h \
	/usr/share/doc/famfsctl/examples/reference-22.conf \
	"/usr/lib/$multiarch/pkgconfig/libfamfsctl.pc"; do
	t "installed: $f" 0 test -e "$f"
done
dpkg-query -W -f='${Conffiles}\n' famfsctl >"$work/conffiles"
t "the policies are conffiles" 0 grep -q ' /etc/famfs/policies.d/demo.conf ' "$work/conffiles"
t "the units point at /usr/bin/famfsctl" 0 grep -q '^ExecStart=/usr/bin/famfsctl up %i$' /lib/systemd/system/famfsctl-up@.service
if command -v systemd-analyze >/dev/null; then
	t "systemd-analyze verify the installed unit" 0 systemd-analyze verify --man=no famfsctl-up@demo.service
	[ -z "$out" ] || { echo "$out"; false; }; c "without a complaint"
fi

echo "== the demo from the installed files"
t "demo" 0 bash "$src/tests/cli/demo.sh" --installed
[ "$fail" -eq 0 ] || echo "$out"
has "the demo ran to the end" "every device's capacity is free again"

echo "== bash completion, loaded by bash-completion on demand"
comp() { # comp LINE: the candidates for the end of LINE
	bash -c '. /usr/share/bash-completion/bash_completion
		_completion_loader famfsctl
		COMP_LINE=$1 COMP_POINT=${#1} COMP_WORDBREAKS=$'"'"' \t\n"><=;|&(:'"'"'
		read -ra COMP_WORDS <<<"$1"; [[ $1 == *" " ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		complete -p famfsctl >/dev/null || exit 3
		$(complete -p famfsctl | sed "s/.*-F \([^ ]*\) .*/\1/") famfsctl
		printf "%s\n" "${COMPREPLY[@]}"' comp "$1"
}
t "famfsctl st<TAB>" 0 comp "famfsctl st"
[ "$out" = stats ]; c "completes to stats"
t "famfsctl policy check <TAB>" 0 comp "famfsctl policy check "
has "offers the shipped policy" "demo"
t "famfsctl stats --<TAB>" 0 comp "famfsctl stats --"
has "offers --prometheus" "--prometheus"

echo "== a Prometheus scrape"
famfsctl fabric create --devices 4 --capacity 8G --sharable >/dev/null
t "up demo" 0 famfsctl up demo --mount-point "$work/mnt"
famfsctl cp "$src/README" demo:/ >/dev/null
famfsctl fsck demo >/dev/null
mkdir -p "$work/textfile"
t "stats --prometheus -o" 0 famfsctl stats --prometheus -o "$work/textfile/famfsctl.prom"
t "strict exposition format" 0 python3 "$src/tests/lib/promcheck.py" "$work/textfile/famfsctl.prom"
if command -v prometheus-node-exporter >/dev/null && command -v curl >/dev/null; then
	port=$((20000 + RANDOM % 20000))
	prometheus-node-exporter --web.listen-address="127.0.0.1:$port" \
		--collector.disable-defaults --collector.textfile \
		--collector.textfile.directory="$work/textfile" >"$work/exporter.log" 2>&1 &
	exporter=$!
	for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/metrics" >"$work/metrics" && break; sleep 0.1; done
	t "node_exporter serves /metrics" 0 test -s "$work/metrics"
	t "its textfile collector read famfsctl.prom" 0 grep -qx 'node_textfile_scrape_error 0' "$work/metrics"
	t "famfsctl's figures are in the scrape" 0 grep -q '^famfsctl_set_files{set="demo"} 1$' "$work/metrics"
	t "the fsck verdict too" 0 grep -q '^famfsctl_set_fsck_clean{set="demo",verdict="clean"} 1$' "$work/metrics"
	kill "$exporter"; wait "$exporter" 2>/dev/null; exporter=
else
	echo "note: no prometheus-node-exporter and curl: the file is checked, not scraped"
fi

echo "== the Python module from dist-packages"
cat >"$work/py.py" <<'EOF'
import sys
import famfsctl
assert famfsctl.__file__ == "/usr/lib/python3/dist-packages/famfsctl/__init__.py", famfsctl.__file__
readme = open(sys.argv[1], "rb").read()
with famfsctl.Context() as ctx, ctx.open_set("demo") as fs:
    assert "README" in fs.listdir("/"), fs.listdir("/")
    assert fs.stat("/README").size == len(readme)
    assert fs.read("/README") == readme
    if famfsctl.map_available():
        import numpy
        with fs.map("/README") as m:
            m.invalidate()
            a = numpy.frombuffer(m.buffer, dtype=numpy.uint8)
            assert a.tobytes() == readme and a.ctypes.data == m.address
            del a
        print("python: set opened, listed, read, mapped (numpy zero-copy)")
    else:
        print("python: set opened, listed, read; this libfamfsctl has no fc_famfs_map: not mapped")
EOF
t "python3 over the installed library" 0 /usr/bin/python3 "$work/py.py" "$src/README"
echo "$out"

echo "== development files"
printf '#include <famfsctl/libfamfsctl.h>\n#include <famfsctl/stats.h>\nint main(void) { struct fc_ctx *c; if (fc_new(&c) < 0) return 1; fc_unref(c); return 0; }\n' >"$work/dev.c"
# shellcheck disable=SC2046
t "compile and link with pkg-config" 0 cc -o "$work/dev" "$work/dev.c" $(pkg-config --cflags --libs libfamfsctl)
t "and run" 0 "$work/dev"

t "down demo" 0 famfsctl down demo --mount-point "$work/mnt"

echo "== remove keeps the configuration, purge removes it"
t "apt-get remove famfsctl" 0 env DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq famfsctl
t "conffiles stay" 0 test -f /etc/famfs/policies.d/demo.conf
t "the program goes" 1 test -e /usr/bin/famfsctl
t "apt-get purge" 0 env DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq famfsctl libfamfsctl1 libfamfsctl-dev
t "/etc/famfs goes" 1 test -e /etc/famfs
finish
