#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# What the manual promises matches the code: every fsck finding code
# (famfs/fsck.h) is listed in famfsctl-fsck(1), and every command file
# cmd/NAME.c has its man page man/famfsctl-NAME.N.
set -u
src=${top_srcdir:-$(dirname "$0")/../..}
fail=0
for code in $(sed -n 's/.*X([A-Z_]*, "\([a-z-]*\)".*/\1/p' "$src/famfs/fsck.h"); do
	grep -q "^\.B $code\$" "$src/man/famfsctl-fsck.1" ||
		{ echo "famfsctl-fsck(1) does not list the finding '$code'"; fail=1; }
done
for c in "$src"/cmd/*.c; do
	name=$(basename "$c" .c)
	case $name in famfsctl|cli) continue ;; esac
	ls "$src"/man/famfsctl-"$name".[1-8] >/dev/null 2>&1 ||
		{ echo "cmd/$name.c has no man page man/famfsctl-$name.N"; fail=1; }
done
[ $fail -eq 0 ] && echo "docs: findings and command pages agree with the code"
exit $fail
