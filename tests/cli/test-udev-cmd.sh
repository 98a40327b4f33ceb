#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# famfsctl udev, as the rule's unit runs it, on a simulated client host:
# members of a policy's set appear (claimed dax devices) and their events
# come in any order, repeated, or at the same time -- the devices get the
# mode the mount needs and the set is mounted exactly once when complete.
# Devices no policy claims, or whose policy says auto_setup = no, are left
# alone; --dry-run changes nothing. Every unit file passes systemd-analyze.
set -u
. "$top_srcdir/tests/lib/testlib.sh"
fuse_workdir
fab=$dir/fab
"$FAMFSCTL" --fabric "sim:$fab" fabric create --devices 4 --capacity 8G --sharable --hosts 2 >/dev/null
policy() { # policy DIR HOST ROLE MOUNTPOINT AUTO
	mkdir -p "$1/policies.d"
	printf '[fabric]\nuri = sim:%s\nhost_id = %s\n[members]\ncount = 2\n[capacity]\nmember_size = 4G\n[sharing]\nshared = yes\nrole = %s\n[famfs]\nmount_point = %s\nmount_mode = portable\n[udev]\nauto_setup = %s\n' \
		"$fab" "$2" "$3" "$4" "$5" >"$1/policies.d/shared.conf"
}
policy "$dir/m" 0 master "$dir/mnt0" no
policy "$dir/c" 1 client "$dir/mnt1" yes
master() { env FAMFSCTL_POLICY_DIR="$dir/m" FAMFSCTL_SYSTEM_UUID=5a5a5a5a-5a5a-5a5a-5a5a-5a5a5a5a5a5a "$@"; }
# the client host's kernel is the simulator's host 1
client() { env FAMFSCTL_POLICY_DIR="$dir/c" FAMFSCTL_SYSTEM_UUID=c1c1c1c1-c1c1-c1c1-c1c1-c1c1c1c1c1c1 \
	"$FAMFSCTL" --fabric "sim:$fab" --host-id 1 "$@"; }
unset FAMFSCTL_FABRIC
mounts() { grep -c " $dir/mnt1 " /proc/self/mounts; }

t "the master is up" 0 master "$FAMFSCTL" up shared
group=$(master "$FAMFSCTL" --fabric "sim:$fab" list -A | jq -r '.groups[0].group')
# the capacity reaches host 1 and is claimed: two dax devices appear
t "the client's devices appear" 0 client alloc --join "$group"
devs=($(jq -r '.members[].daxdev' <<<"$out"))
[ ${#devs[@]} = 2 ]; c "two members"

t "dry run" 0 client udev --dry-run "${devs[1]}"
[ "$(jq -c '[.policy, .present, .members, .actions]' <<<"$out")" = '["shared",2,2,["devdax mode","record the set","mount"]]' ]
c "says what it would do"
[ "$(mounts)" = 0 ]; c "and did nothing"
t "member 2 of 2 first: the set is complete" 0 client udev "${devs[1]}"
has "mounts it" "set complete, mounted at $dir/mnt1"
[ "$(mounts)" = 1 ]; c "mounted once"
t "the same event again" 0 client udev "${devs[1]}"
has "already mounted" "already mounted"
t "the other member's event" 0 client udev "${devs[0]}"
[ "$(mounts)" = 1 ]; c "still mounted once"
t "the devices were switched for the portable mount" 0 client list -X
[ "$(jq -c '[.[].mode] | unique' <<<"$out")" = '["devdax"]' ]; c "devdax mode"
echo from-the-master >"$dir/mnt0/note.txt"
sleep 0.3
[ "$(cat "$dir/mnt1/note.txt" 2>&1)" = from-the-master ]; c "the client sees the master's files"

# two events at once, after the set went away: one mount
fusermount3 -u "$dir/mnt1"
client udev "${devs[0]}" >"$dir/a" 2>&1 &
client udev "${devs[1]}" >"$dir/b" 2>&1 &
wait
[ "$(mounts)" = 1 ]; c "two simultaneous events, one mount"
grep -q "already mounted" "$dir/a" "$dir/b"; c "the later one found it mounted"

# left alone: no policy claims it; the policy does not allow it
t "a stranger's allocation" 0 client alloc --size 2G
stranger=$(jq -r '.members[0].daxdev' <<<"$out")
t "its event" 0 client udev "$stranger"
has "left alone" "no policy claims it; left alone"
t "its mode untouched" 0 client list -X
[ "$(jq -r --arg d "$stranger" '.[] | select(.chardev == $d) | .mode' <<<"$out")" = famfs ]; c "still famfs"
t "the master's policy says no" 0 env FAMFSCTL_POLICY_DIR="$dir/m" "$FAMFSCTL" --fabric "sim:$fab" udev \
	"$(master "$FAMFSCTL" --fabric "sim:$fab" list -X | jq -r '.[0].chardev')"
has "does not set up from udev" "auto_setup = no"
t "no such device" 1 client udev dax9.9

# every unit file as shipped (pointed at this build's famfsctl), as an
# instance of its template
if command -v systemd-analyze >/dev/null; then
	for src in "$top_srcdir"/*/*.service.in; do
		unit=${src##*/}
		unit=${unit%.in}
		case $unit in
		*@.service) unit=${unit%@.service}@instance-1.service ;;
		esac
		sed -e "s|[%@]bindir[%@]/famfsctl\([ /]\)|$FAMFSCTL\1|g" \
			-e "s|[%@]bindir[%@]|${FAMFSCTL%/*}|g" \
			-e "s|[%@]sysconfdir[%@]|/etc|g" "$src" >"$dir/$unit"
		t "systemd-analyze verify $unit" 0 systemd-analyze verify --man=no "$dir/$unit"
		[ -z "$out" ]; c "$unit: without a complaint"
		[ -z "$out" ] || echo "$out"
	done
	grep -q '^After=.*systemd-udev-settle.service' "$top_srcdir/udev/famfsctl-up@.service.in"
	c "famfsctl-up@ waits for udev to settle"
	grep -qx 'Type=exec' "$dir/famfsctl-mount@instance-1.service"
	c "the mount unit: a foreground server (Type=exec)"
else
	echo "note: systemd-analyze not installed: the unit files are not verified"
fi
if udevadm verify --help >/dev/null 2>&1; then
	t "udevadm verify" 0 udevadm verify "$top_srcdir/udev/90-famfsctl.rules"
else
	echo "note: no 'udevadm verify' (systemd 253+): the rules file is not verified"
fi
finish
