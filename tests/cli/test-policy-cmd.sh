#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# famfsctl policy check|show from the command line: exit codes and output
# scripts rely on (0 valid, 1 a problem, 2 usage).
set -u
. "$top_srcdir/tests/lib/testlib.sh"
dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT
export FAMFSCTL_POLICY_DIR=$top_srcdir/policies

ex=$top_srcdir/policies/examples
t "the shipped policy is valid here" 0 "$FAMFSCTL" policy check demo
has "and reported ok" "demo.conf: ok"
t "the examples name a fabric program this host lacks" 1 "$FAMFSCTL" policy check "$ex/reference-22.conf"
has "policy check says which" "program /usr/local/sbin/famfsctl-fm"
t "checked for another host, that is a warning" 0 "$FAMFSCTL" policy check --other-host \
	"$ex/reference-22.conf" "$ex/client.conf"
has "the warning names it" "warning: on this host: fabric 'exec:/usr/local/sbin/famfsctl-fm'"
printf '[fabric]\nuri = nosuch:x\n[members]\ncount = 1\n[capacity]\nmember_size = 2M\n' >"$dir/noplugin.conf"
t "a plugin that is not installed fails the check" 1 "$FAMFSCTL" policy check "$dir/noplugin.conf"
has "naming the plugin" "no plugin 'nosuch'"
printf '[members]\ncount = 2\n[capacity]\nmember_size = 3M\n' >"$dir/bad.conf"
t "a bad policy fails" 1 "$FAMFSCTL" policy check "$dir/bad.conf"
has "with file, line and key" "bad.conf:4: [capacity] member_size: must be a multiple of 2 MiB"
t "one bad among good fails" 1 "$FAMFSCTL" policy check demo "$dir/bad.conf"
t "show prints JSON" 0 "$FAMFSCTL" policy show demo
has "the effective mount point" '"mount_point": "/mnt/famfs/demo"'
t "show of a bad policy fails" 1 "$FAMFSCTL" policy show "$dir/bad.conf"
t "show takes one policy" 2 "$FAMFSCTL" policy show demo demo
t "a missing policy" 1 "$FAMFSCTL" policy check nosuch
has "says it cannot open it" "nosuch.conf: cannot open"
! grep -q "required" <<<"$out"; c "and nothing about keys it never read"
t "check needs a file" 2 "$FAMFSCTL" policy check
t "unknown subcommand" 2 "$FAMFSCTL" policy frobnicate
t "help" 0 "$FAMFSCTL" policy --help
has "help names the man page" "famfsctl-policy(5)"
finish
