# SPDX-License-Identifier: GPL-2.0-only
#
# Sourced by the guests' init scripts (tests/vm/init, tests/vm/init-share):
# the early mounts, the report share and the step runner.

# the portable mount's server, where build-initramfs.sh puts it
export FAMFSCTL_FUSED=/bin/famfsctl-fused

# early_mounts: the virtual file systems and the 9p report share at /report
early_mounts() {
	mount -t proc proc /proc
	mount -t sysfs sysfs /sys
	mount -t devtmpfs devtmpfs /dev
	mount -t tmpfs tmpfs /tmp
	echo 0 >/proc/sys/kernel/printk 2>/dev/null
	modprobe virtio_pci; modprobe 9pnet_virtio; modprobe 9p
	if ! mount -t 9p -o trans=virtio,version=9p2000.L report /report; then
		echo "famfsctl-vm: cannot mount the report share" >&2
		poweroff -f
	fi
}

# step NAME COMMAND...: run it, record output and status. Each step writes
# NAME.out, NAME.err and NAME.rc into /report; `steps` lists them in order.
# A step that hangs is killed after STEP_TIMEOUT seconds and recorded as
# exit 124, so one stuck kernel operation shows up as that step's failure,
# not a silent VM timeout. The .rc file is written last (to a temporary
# name, then renamed): once it exists, .out and .err are complete.
STEP_TIMEOUT=${STEP_TIMEOUT:-90}
step() {
	# the step's own variables start with _step: the functions it runs
	# may set any other name
	_step=$1; shift
	_step_t0=$(cut -d' ' -f1 /proc/uptime)
	( "$@" >"/report/$_step.out" 2>"/report/$_step.err"
	  echo $? >"/report/$_step.rc.tmp" ) &
	_step_pid=$! _step_i=0
	while kill -0 $_step_pid 2>/dev/null; do
		if [ $_step_i -ge $((STEP_TIMEOUT * 5)) ]; then
			kill -9 $_step_pid 2>/dev/null
			echo "timed out after ${STEP_TIMEOUT}s" >>"/report/$_step.err"
			echo 124 >"/report/$_step.rc.tmp"
			break
		fi
		sleep 0.2; _step_i=$((_step_i + 1))
	done
	wait $_step_pid 2>/dev/null
	[ -f "/report/$_step.rc.tmp" ] || echo "the step left no exit status" >"/report/$_step.rc.tmp"
	mv "/report/$_step.rc.tmp" "/report/$_step.rc"
	echo "$_step" >>/report/steps
	echo "famfsctl-vm: step $_step: exit $(cat "/report/$_step.rc")" \
		"($(awk -v t0="$_step_t0" '{printf "%.1f", $1 - t0}' /proc/uptime) s)"
}

# wait_for SECONDS GLOB: wait for a glob to match.
wait_for() {
	i=0
	while [ $i -lt "$1" ]; do
		# shellcheck disable=SC2086
		ls $2 >/dev/null 2>&1 && return 0
		sleep 1; i=$((i + 1))
	done
	return 1
}

# The bus (CXL or ACPI.NFIT) an nvdimm region hangs off.
provider() {
	cat "$(dirname "$(readlink -f "/sys/bus/nd/devices/$1")")/provider" 2>/dev/null
}

# nvdimm_dax_list: the dax devices on NVDIMM (ACPI.NFIT) regions, largest
# first, into /tmp/nv.list: the famfs members, primary first.
nvdimm_dax_list() {
	for d in /sys/bus/dax/devices/*; do
		[ -e "$d" ] || continue
		# .../ndbusN/regionN/daxN.M/daxN.M: the last region is the nd one
		r=$(readlink -f "$d" | grep -o 'region[0-9]*' | tail -1)
		[ "$(provider "$r")" = ACPI.NFIT ] || continue
		echo "$(cat "$d/size") /dev/${d##*/}"
	done | sort -rn | awk '{print $2}' >/tmp/nv.list
	cat /tmp/nv.list
	[ "$(wc -l </tmp/nv.list)" -ge 2 ]
}

# nvdimm_dax: each NVDIMM region's namespace becomes devdax. The NVDIMMs are
# label-less, so each region has one raw namespace (namespaceN.0) covering
# it; ndctl reconfigures it by writing a dax info block into the namespace's
# own first bytes. That block is on the media: a kernel that probes the
# namespace later (this host after a reboot, or another host sharing the
# backing memory) finds it and brings the namespace up as devdax. Prints
# the devices, largest first (nvdimm_dax_list).
nvdimm_dax() {
	for r in $(cd /sys/bus/nd/devices && ls -d region*); do
		[ "$(provider "$r")" = ACPI.NFIT ] || continue
		ndctl create-namespace -f -e "$(cd /sys/bus/nd/devices/$r && ls -d namespace*.0 | head -1)" \
			-m devdax -a 2M --map=mem >/dev/null || return 1
	done
	nvdimm_dax_list
}

# nv_set: the members as famfsctl takes them (primary first, comma-separated)
nv_set() { paste -sd, /tmp/nv.list; }
