#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The bash completion (completion/famfsctl), driven as readline drives it:
# COMP_LINE, COMP_POINT, COMP_WORDS split at blanks and at ':', COMP_CWORD;
# the candidates in COMPREPLY are checked. Commands, every command's options
# (each option its --help table lists), sub-commands, policy names from the
# policies directory, set names from the state directory, SET:/path inside
# a set's famfs (through famfsctl ls), option choices. Run with
# bash-completion's helpers when installed, and again without them.
set -u
. "$top_srcdir/tests/lib/testlib.sh"
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
export FAMFSCTL_FABRIC=sim:$dir/fabric FAMFSCTL_POLICY_DIR=$dir/etc
export FAMFSCTL_SYSTEM_UUID=5a5a5a5a-5a5a-5a5a-5a5a-5a5a5a5a5a5a
mkdir -p "$dir/etc/policies.d" "$dir/local" "$dir/empty"
printf '[members]\ncount = 2\n[capacity]\nmember_size = 4G\n' >"$dir/etc/policies.d/alpha.conf"
cp "$dir/etc/policies.d/alpha.conf" "$dir/etc/policies.d/beta-2.conf"
"$FAMFSCTL" fabric create --devices 2 --capacity 8G >/dev/null
"$FAMFSCTL" alloc --policy alpha >/dev/null
"$FAMFSCTL" interleave create --name tank --policy alpha >/dev/null
"$FAMFSCTL" format tank >/dev/null
"$FAMFSCTL" mkdir -p tank:/data/sub >/dev/null
"$FAMFSCTL" creat -s 1M tank:/data/file1 >/dev/null
"$FAMFSCTL" creat -s 1M tank:/data/file2 >/dev/null
"$FAMFSCTL" creat -s 1M tank:/top >/dev/null
# famfsctl must be found as the completion is installed: by name in PATH
mkdir -p "$dir/bin" && ln -s "$FAMFSCTL" "$dir/bin/famfsctl"
export PATH=$dir/bin:$PATH

driver=$dir/driver.sh
cat >"$driver" <<'EOF'
# readline's word breaks (a non-interactive bash has none)
COMP_WORDBREAKS=$' \t\n"\'><=;|&(:'
# comp LINE: complete at the end of LINE; prints the candidates, sorted
comp() {
	local line=$1 w
	COMP_LINE=$line COMP_POINT=${#line} COMP_WORDS=() COMP_CWORD=0
	# readline's split: blanks separate words, ':' is a word of its own
	local -a parts
	read -ra parts <<<"$line"
	for w in "${parts[@]}"; do
		while [[ $w == *:* ]]; do
			[[ -n ${w%%:*} ]] && COMP_WORDS+=("${w%%:*}")
			COMP_WORDS+=(":")
			w=${w#*:}
		done
		[[ -n $w ]] && COMP_WORDS+=("$w")
	done
	[[ $line == *" " ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_famfsctl famfsctl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
	[ ${#COMPREPLY[@]} -eq 0 ] || printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '
}
EOF

for mode in bash-completion plain; do
	bc=/usr/share/bash-completion/bash_completion
	if [ "$mode" = bash-completion ]; then
		if [ ! -r "$bc" ]; then
			echo "note: bash-completion not installed: its helpers are not used"
			continue
		fi
		load=". $bc; . $top_srcdir/completion/famfsctl; . $driver"
	else
		load=". $top_srcdir/completion/famfsctl; . $driver"
	fi
	# in an empty directory: file candidates are only what a test names
	c() { (cd "$dir/empty" && bash -c "$load; comp \"\$1\"" comp "$1"); }
	# is() DESC LINE WANT: the candidates are exactly WANT
	is() {
		n=$((n + 1)); out=$(c "$2")
		[ "$out" = "$3" ] || { echo "FAIL: $mode: $1: '$2' gave '$out', wanted '$3'"; fail=$((fail + 1)); }
	}
	# incl() DESC LINE WORD...: each WORD is a candidate
	incl() {
		local desc=$1 line=$2 w; shift 2
		n=$((n + 1)); out=$(c "$line")
		for w in "$@"; do
			[[ " $out " == *" $w "* ]] ||
				{ echo "FAIL: $mode: $desc: no '$w' in '$line' -> '$out'"; fail=$((fail + 1)); break; }
		done
	}

	# every command, from the tool's own table
	is "commands" "famfsctl " "$("$FAMFSCTL" --list-cmds | sort | tr '\n' ' ')"
	is "command prefix" "famfsctl fs" "fsck "
	incl "global options" "famfsctl --" --fabric --host-id --version --help
	# every option each command's --help table lists completes for it
	for cmd in $("$FAMFSCTL" --list-cmds); do
		want=$("$FAMFSCTL" "$cmd" --help | grep -oE '^(  -[A-Za-z0-9], |      )--[a-z][-a-z]*' |
			grep -oE -- '--[a-z][-a-z]*')
		# shellcheck disable=SC2086
		incl "$cmd: its options" "famfsctl $cmd --" $want
	done
	incl "alloc options" "famfsctl alloc --" --policy --dry-run --size --join --timeout
	is "stats options" "famfsctl stats --p" "--prometheus "
	incl "up --enable" "famfsctl up --" --enable --mount-point
	incl "usage-line options of a sub-command" "famfsctl interleave create --" --name --members --chunk --strips --dry-run
	incl "list --names" "famfsctl interleave list --" --names
	# sub-commands
	is "interleave sub-commands" "famfsctl interleave " "create destroy list "
	is "policy sub-commands" "famfsctl policy " "check show "
	incl "fabric sub-commands" "famfsctl fabric " create info tags call
	# policy names from FAMFSCTL_POLICY_DIR/policies.d
	is "up POLICY" "famfsctl up " "alpha beta-2 "
	is "up POLICY after an option with its argument" "famfsctl up --mount-point /x b" "beta-2 "
	is "down POLICY" "famfsctl down a" "alpha "
	is "alloc --policy" "famfsctl alloc --policy " "alpha beta-2 "
	incl "policy show" "famfsctl policy show " alpha beta-2
	# set names from the state directory
	is "fsck SET (or PRIMARY: files)" "famfsctl fsck " "tank "
	is "stats SET" "famfsctl stats t" "tank "
	is "mount SET" "famfsctl mount " "tank "
	is "interleave destroy NAME" "famfsctl interleave destroy " "tank "
	is "mount SET MOUNTPOINT: directories" "famfsctl mount tank $dir/lo" "$dir/local "
	is "mount --mode choices" "famfsctl mount --mode " "auto famfs portable "
	# SET:/path: a set name goes on as SET:/, then paths inside its famfs
	is "cat SET" "famfsctl cat ta" "tank:/ "
	is "cat SET:/" "famfsctl cat tank:/" "/data/ /top "
	is "cat SET:/d" "famfsctl cat tank:/d" "/data/ "
	is "cat SET:/data/" "famfsctl cat tank:/data/" "/data/file1 /data/file2 /data/sub/ "
	is "ls SET:/data/f" "famfsctl ls -l tank:/data/f" "/data/file1 /data/file2 "
	is "nothing under a missing directory" "famfsctl ls tank:/nope/" ""
	incl "cp SRC: local files and sets" "famfsctl cp $dir/lo" "$dir/local"
	is "cp SRC... SET:/dest" "famfsctl cp -r $dir/local tank:/data/s" "/data/sub/ "
	is "a set the host has not" "famfsctl cat other:/" ""
	# --fabric before the command reaches the set lookups
	is "sets of another fabric" "famfsctl --fabric sim:$dir/nofabric fsck " ""
done
finish
