#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# famfsctl fabric from the command line, and the exec plugin's handling of
# programs that misbehave: each failure is an error naming the program, the
# op and what was wrong, never a hang or a crash.
set -u
. "$top_srcdir/tests/lib/testlib.sh"
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
sim=$dir/fabric
export FAMFSCTL_FABRIC=sim:$sim

# ---- the simulator from the command line
t "create" 0 "$FAMFSCTL" fabric create --devices 3 --capacity 512M --ports 2 --sharable
t "create again refuses" 1 "$FAMFSCTL" fabric create --devices 3 --capacity 512M
has "names the directory" "a fabric already exists here"
t "capacity must be whole FM-API units" 1 "$FAMFSCTL" --fabric "sim:$dir/x" fabric create --devices 1 --capacity 100M
has "says the unit" "multiple of 256 MiB"
t "create needs --devices" 2 "$FAMFSCTL" --fabric "sim:$dir/x" fabric create --capacity 1G
t "bad sizes are usage errors" 2 "$FAMFSCTL" --fabric "sim:$dir/x" fabric create --devices 1 --capacity lots
[ ! -e "$dir/x/state.json" ]; c "refusals create nothing"
t "info" 0 "$FAMFSCTL" fabric info
[ "$(jq '.devices | length' <<<"$out")" = 3 ]; c "info lists 3 devices"
[ "$(jq -r '.devices[1].port' <<<"$out")" = port1 ]; c "spread over ports"
[ "$(jq '.devices[0].free' <<<"$out")" = $((512 << 20)) ]; c "all free"

req='{"famfsctl_exec":1,"op":"add","device":2,"host":1,"policy":"free","length":4194304,"tag":"11111111-2222-3333-4444-555555555555"}'
out=$(echo "$req" | "$FAMFSCTL" fabric call)
[ "$(jq .return_code <<<"$out")" = 0 ]; c "call: add succeeds"
out=$(echo "$req" | "$FAMFSCTL" fabric call)
has "call: the reason travels in the reply" "already names an allocation"
[ "$(jq .return_code <<<"$out")" = 2 ]; c "call: the same tag again is Invalid Input"
t "tags" 0 "$FAMFSCTL" fabric tags
[ "$(jq -c '.[0] | [.device, .hosts, .length]' <<<"$out")" = "[2,[1],4194304]" ]; c "tags shows the allocation"
t "info -u" 0 "$FAMFSCTL" fabric info -u
has "human sizes" '"free": "508 MiB"'
out=$(echo '{"famfsctl_exec":1,"op":"add","device":0,"host":"one"}' | "$FAMFSCTL" fabric call)
has "call: a malformed request names the field" "field 'host': expected an unsigned integer"
t "call: not JSON" 1 sh -c "echo '{oops' | '$FAMFSCTL' fabric call"
has "says so" "not JSON"
t "host view" 0 env FAMFSCTL_FABRIC="sim:$sim" "$FAMFSCTL" --host-id 1 list -E
has "host 1 sees its extent" '"uuid": "11111111-2222-3333-4444-555555555555"'
t "unknown plugin" 1 "$FAMFSCTL" --fabric nosuch:x fabric info
has "names the plugin file" "nosuch.so"
t "plugin names are plain" 1 "$FAMFSCTL" --fabric ../evil:x fabric info
has "refused" "is not a plugin name"

# ---- files in a fabric directory: never through planted links, never in others' directories
echo secret >"$dir/secret"; chmod 600 "$dir/secret"
mkdir "$dir/plant"; ln -s "$dir/secret" "$dir/plant/dcd0.img"
t "create: a planted link is not followed" 1 "$FAMFSCTL" --fabric "sim:$dir/plant" fabric create --devices 1 --capacity 256M
has "says it is a link" "dcd0.img: a symbolic link (not followed)"
[ "$(cat "$dir/secret")" = secret ]; c "create: the link's target is untouched"
mkdir -m 0777 "$dir/open"
t "create: a directory others can write is refused" 1 "$FAMFSCTL" --fabric "sim:$dir/open" fabric create --devices 1 --capacity 256M
has "says why" "writable by everyone (mode 0777)"
[ ! -e "$dir/open/state.json" ]; c "create: nothing made there"
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	mkdir "$dir/theirs"; chown nobody "$dir/theirs"
	t "create: a directory another user owns is refused" 1 "$FAMFSCTL" --fabric "sim:$dir/theirs" fabric create --devices 1 --capacity 256M
	has "names the owner" "owned by uid $(id -u nobody), neither root nor this user"
fi
ln -s "$dir/secret" "$sim/state.json.tmp"
t "a planted state.json.tmp is not written through" 0 "$FAMFSCTL" fabric call <<<'{"famfsctl_exec":1,"op":"add","device":0,"host":0,"policy":"free","length":2097152,"tag":"11111111-2222-3333-4444-555555550001"}'
[ "$(cat "$dir/secret")" = secret ]; c "the state file is replaced, the secret untouched"
rm "$sim/state.json.tmp"
# this host's run directory (DIR/hostN here; /tmp/famfsctl-UID, \$XDG_RUNTIME_DIR... elsewhere)
t "a host directory is made private" 0 "$FAMFSCTL" --host-id 2 alloc --size 2M
[ "$(stat -c %a "$sim/host2")" = 700 ]; c "mode 0700"
chmod 0777 "$sim/host2"
t "a host directory others can write is refused" 1 "$FAMFSCTL" --host-id 2 alloc --size 2M
has "says it is not safe" "run directory is not safe to use: $sim/host2: writable by everyone"
chmod 0700 "$sim/host2"; rm -f "$sim/host2/host.lock"; ln -s "$dir/secret" "$sim/host2/host.lock"
t "a planted host lock is refused" 1 "$FAMFSCTL" --host-id 2 alloc --size 2M
has "says it is a link" "host.lock: a symbolic link (not followed)"
rm "$sim/host2/host.lock"
t "a host the fabric does not have" 1 "$FAMFSCTL" --host-id 9999 list
has "says which hosts there are" "--host-id 9999: the simulated fabric $sim has hosts 0 to 7"
[ ! -e "$sim/host9999" ]; c "and creates nothing"

# ---- exec: programs that misbehave
prog() { # prog NAME BODY: write an executable script
	printf '#!/bin/sh\n%s\n' "$2" >"$dir/$1"; chmod +x "$dir/$1"
}
prog echoreq 'cat >"$0.req"; echo "$1" >"$0.op"; echo "{\"return_code\":0,\"status\":\"Success\",\"name\":\"fm\",\"devices\":0}"'
t "exec: a good reply" 0 "$FAMFSCTL" --fabric "exec:$dir/echoreq" fabric info
[ "$(cat "$dir/echoreq.op")" = fabric ]; c "exec: the op is argv[1]"
[ "$(jq -c . "$dir/echoreq.req")" = '{"famfsctl_exec":1,"op":"fabric"}' ]; c "exec: the request is on stdin"
prog garbage 'echo "this is not json"'
t "exec: garbage reply" 1 "$FAMFSCTL" --fabric "exec:$dir/garbage" fabric info
has "says it is not JSON" "exec $dir/garbage fabric: the reply is not JSON"
prog wrongtype 'echo "{\"return_code\":0,\"name\":\"fm\",\"devices\":\"3\"}"'
t "exec: a field of the wrong type" 1 "$FAMFSCTL" --fabric "exec:$dir/wrongtype" fabric info
has "names the field" "field 'devices': expected an unsigned integer"
prog exit3 'echo oops >&2; exit 3'
t "exec: non-zero exit" 1 "$FAMFSCTL" --fabric "exec:$dir/exit3" fabric info
has "gives the status" "exited with status 3"
has "passes its stderr through" "oops"
prog busy 'echo "{\"return_code\":29,\"status\":\"Resources Exhausted\",\"message\":\"the FM is full\"}"'
t "exec: an FM status" 1 "$FAMFSCTL" --fabric "exec:$dir/busy" fabric info
has "relays the FM's message" "the FM is full"
has "names the status" "Resources Exhausted (0x1d)"
prog sleepy 'sleep 20 & sleep 20; echo "{}"'
start=$(date +%s)
t "exec: timeout" 1 env FAMFSCTL_EXEC_TIMEOUT=0.5 "$FAMFSCTL" --fabric "exec:$dir/sleepy" fabric info
has "says it killed it" "no reply within 0.5 s (killed)"
[ $(($(date +%s) - start)) -lt 5 ]; c "exec: the timeout holds"
! pgrep -f "$dir/sleepy" >/dev/null; c "exec: no child is left"
t "exec: relative program" 1 "$FAMFSCTL" --fabric exec:relative/prog fabric info
has "asks for an absolute path" "absolute path"
t "exec: missing program" 1 "$FAMFSCTL" --fabric "exec:$dir/none" fabric info
has "no such program" "no such program"
t "exec: cannot create fabrics" 1 "$FAMFSCTL" --fabric "exec:$dir/echoreq" fabric create --devices 1 --capacity 1G
has "says so" "cannot create a fabric"
# ---- exec: replies that are too big, followed by garbage, or page forever
prog huge 'head -c 40000000 /dev/zero | tr "\\0" " "; echo "{\"return_code\":0,\"name\":\"fm\",\"devices\":0}"'
start=$(date +%s)
t "exec: a reply beyond the cap" 1 "$FAMFSCTL" --fabric "exec:$dir/huge" fabric info
has "says the reply is too big" "the reply exceeds 16 MiB (killed)"
[ $(($(date +%s) - start)) -lt 20 ]; c "exec: the cap stops reading"
prog trailing 'echo "{\"return_code\":0,\"name\":\"fm\",\"devices\":0} {\"evil\":1}"'
t "exec: garbage after the reply" 1 "$FAMFSCTL" --fabric "exec:$dir/trailing" fabric info
has "says there is more after the JSON value" "more after the JSON value"
prog trailspace 'printf "{\"return_code\":0,\"name\":\"fm\",\"devices\":0}\n\n  \n"'
t "exec: white space after the reply is fine" 0 "$FAMFSCTL" --fabric "exec:$dir/trailspace" fabric info
# a tags page that never advances: total 4294967295, the same tag each time
pager() { # pager NAME TAGS-JSON TOTAL
	prog "$1" "case \"\$1\" in
fabric) echo '{\"return_code\":0,\"name\":\"fm\",\"devices\":1}';;
tags) cat >/dev/null; echo '{\"return_code\":0,\"total\":$3,\"generation\":1,\"tags\":$2}';;
*) echo '{\"return_code\":0}';;
esac"
}
one='{"tag":"11111111-2222-3333-4444-555555555555","fm_ref":false,"hosts":[0],"pending":[],"releasing":[],"length":2097152}'
pager endless "[$one]" 4294967295
start=$(date +%s)
t "exec: tag paging with an absurd total" 1 timeout 20 "$FAMFSCTL" --fabric "exec:$dir/endless" fabric tags
has "refuses the total" "a total beyond any device's tags"
[ $(($(date +%s) - start)) -lt 15 ]; c "exec: paging ends"
pager dup "[$one]" 2
t "exec: a tag on two pages" 1 "$FAMFSCTL" --fabric "exec:$dir/dup" fabric tags
has "refuses the duplicate" "a tag listed twice"
pager stuck "[]" 3
t "exec: a page that does not advance" 1 "$FAMFSCTL" --fabric "exec:$dir/stuck" fabric tags
has "refuses it" "a page that does not advance"
pager fine "[$one]" 1
t "exec: one good page" 0 "$FAMFSCTL" --fabric "exec:$dir/fine" fabric tags
has "lists the tag" "11111111-2222-3333-4444-555555555555"

# ---- what famfsctl shows: valid UTF-8 JSON, log lines no name can forge
prog badutf8 'printf "{\"return_code\":0,\"name\":\"fm\\377\\376x\",\"devices\":0}\n"'
t "exec: an FM name that is not UTF-8" 0 "$FAMFSCTL" --fabric "exec:$dir/badutf8" fabric info
has "bad bytes become U+FFFD" "fm$(printf '\357\277\275\357\277\275')x"
printf '%s' "$out" | iconv -f UTF-8 -t UTF-8 >/dev/null 2>&1; c "the JSON printed is valid UTF-8"
prog forge 'echo "{\"return_code\":29,\"message\":\"full\\nfamfsctl: forged line\"}"'
t "exec: an FM message with a newline" 1 "$FAMFSCTL" --fabric "exec:$dir/forge" fabric info
has "the newline is shown escaped" 'full\x0afamfsctl: forged line'
! grep -q '^famfsctl: forged line' <<<"$out"; c "cannot forge a log line"

# ---- where the fabric comes from: --fabric, FAMFSCTL_FABRIC, famfsctl.conf, else none
conf=$dir/etc
mkdir -p "$conf"
saved_fabric=$FAMFSCTL_FABRIC saved_policy_dir=${FAMFSCTL_POLICY_DIR-}
unset FAMFSCTL_FABRIC
export FAMFSCTL_POLICY_DIR=$conf
t "no fabric configured: list shows the kernel's devices" 0 "$FAMFSCTL" list
has "none here" "[]"
t "no fabric configured: fabric commands refuse" 1 "$FAMFSCTL" fabric info
has "and say how to name one" "no fabric manager is configured"
has "or to try the simulator" "--fabric sim"
t "no fabric configured: create refuses" 1 "$FAMFSCTL" fabric create --devices 1 --capacity 1G
has "and says why" "no fabric manager is configured"
printf '[fabric]\nuri = sim:%s\n' "$sim" >"$conf/famfsctl.conf"
t "famfsctl.conf names the fabric" 0 "$FAMFSCTL" fabric info
has "the configured simulator" '"devices"'
t "--fabric overrides the configuration" 1 "$FAMFSCTL" --fabric none fabric info
export FAMFSCTL_FABRIC=none
t "FAMFSCTL_FABRIC=none overrides the configuration" 1 "$FAMFSCTL" fabric info
has "no fallback to any fabric" "no fabric manager is configured"
t "none: alloc refuses, never the simulator" 1 "$FAMFSCTL" alloc --size 1G
has "alloc says why" "no fabric manager is configured"
t "none: release refuses, never the simulator" 1 "$FAMFSCTL" release 11111111-2222-3333-4444-555555550000
has "release says why" "no fabric manager is configured"
export FAMFSCTL_FABRIC=$saved_fabric FAMFSCTL_POLICY_DIR=$saved_policy_dir
[ -n "$saved_policy_dir" ] || unset FAMFSCTL_POLICY_DIR

# ---- as root, code is loaded or run only when nobody else can replace it
# (issue 18 item 7): a plugin from FAMFSCTL_PLUGIN_DIR, an exec program
if [ "$(id -u)" = 0 ]; then
	mkdir -m 0777 "$dir/openplug"; cp "$FAMFSCTL_PLUGIN_DIR/sim.so" "$dir/openplug/"
	t "root: a plugin in a directory others can write" 1 env FAMFSCTL_PLUGIN_DIR="$dir/openplug" \
		"$FAMFSCTL" --fabric "sim:$sim" fabric info
	has "is not loaded, saying why" "refusing to load $dir/openplug/sim.so as root: $dir/openplug: writable by everyone (mode 0777)"
	mkdir "$dir/plug"; cp "$FAMFSCTL_PLUGIN_DIR/sim.so" "$dir/plug/"; chmod 0666 "$dir/plug/sim.so"
	t "root: a plugin others can write" 1 env FAMFSCTL_PLUGIN_DIR="$dir/plug" \
		"$FAMFSCTL" --fabric "sim:$sim" fabric info
	has "is not loaded" "$dir/plug/sim.so: writable by everyone (mode 0666)"
	chmod 0644 "$dir/plug/sim.so"
	t "root: the same plugin, root's and read-only, loads" 0 env FAMFSCTL_PLUGIN_DIR="$dir/plug" \
		"$FAMFSCTL" --fabric "sim:$sim" fabric info
	cp "$dir/trailspace" "$dir/groupw"; chmod 0775 "$dir/groupw"
	t "root: an exec program its group can write" 1 "$FAMFSCTL" --fabric "exec:$dir/groupw" fabric info
	has "is not run" "refusing to run $dir/groupw as root: $dir/groupw: writable by its group (mode 0775)"
	if id nobody >/dev/null 2>&1; then
		cp "$dir/trailspace" "$dir/nobodys"; chown nobody "$dir/nobodys"
		t "root: an exec program another user owns" 1 "$FAMFSCTL" --fabric "exec:$dir/nobodys" fabric info
		has "is not run" "owned by uid $(id -u nobody), neither root nor this user"
	fi
fi

t "help" 0 "$FAMFSCTL" fabric --help
has "names the knobs" "FAMFSCTL_SIM_FAULTS"
finish
