#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# make check runs every test the tree has (issue 18, a newcomer's first
# hour): a build configured without a test library left 12 of 21 tests out
# and passed. Every test source of a suite -- tests/SUITE/test-*.c,
# fuzz-*.c, test-*.sh, tests/vm/vm-*test.sh -- must be in this build's
# TESTS (passed as FAMFSCTL_TESTS); one that is not is named, and this fails.
# The one exception is asked for by name: configure --disable-vm-test
# (FAMFSCTL_VM_TEST=disabled) leaves tests/vm out.
set -u
. "$top_srcdir/tests/lib/testlib.sh"
listed=" ${FAMFSCTL_TESTS:-} "
case $listed in
*" tests/check/check-tests-listed.sh "*) ;;
*) echo "FAIL: FAMFSCTL_TESTS does not list this test: not this build's TESTS"; exit 1 ;;
esac
if [ "$(wc -w <<<"$listed")" -lt 3 ]; then
	echo "SKIP: run alone (make check TESTS=...): there is no suite to compare"
	exit 77
fi
t "this build's TESTS are known" 0 [ -n "${FAMFSCTL_TESTS:-}" ]
for f in "$top_srcdir"/tests/*/test-*.c "$top_srcdir"/tests/*/fuzz-*.c "$top_srcdir"/tests/*/test-*.sh \
	 "$top_srcdir"/tests/vm/vm-*test.sh; do
	[ -e "$f" ] || continue
	rel=${f#"$top_srcdir"/}
	name=${rel%.c}
	if [ "${FAMFSCTL_VM_TEST:-}" = disabled ] && [[ $name == tests/vm/* ]]; then
		[[ $listed != *" $name "* ]]; c "$name: left out, as --disable-vm-test asked"
	else
		[[ $listed == *" $name "* ]]
		c "$name is run by make check (left out of this build's TESTS: configure again with its dependencies)"
	fi
done
finish
