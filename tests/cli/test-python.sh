#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The Python module over this build's libfamfsctl (tests/cli/test_python.py),
# with numpy when the interpreter has it.
set -u
PY=${PYTHON:-python3}
if ! command -v "$PY" >/dev/null || [ "$PY" = : ]; then
	echo "SKIP: no python3"
	exit 77
fi
"$PY" -c 'import numpy' 2>/dev/null || echo "note: $PY has no numpy: numpy.frombuffer is not tried"
export FAMFSCTL_LIBRARY=$top_builddir/lib/.libs/libfamfsctl.so.1
# a sanitizer build's library in an uninstrumented interpreter: its ASan
# runtime first; the interpreter's own allocations are not ours to judge
asan=$(ldd "$FAMFSCTL_LIBRARY" 2>/dev/null | awk '/libasan/ {print $3; exit}')
if [ -n "$asan" ]; then
	ubsan=$(ldd "$FAMFSCTL_LIBRARY" 2>/dev/null | awk '/libubsan/ {print $3; exit}')
	export LD_PRELOAD="$asan${ubsan:+ $ubsan}" ASAN_OPTIONS=detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}
fi
export PYTHONPATH=$top_srcdir/python${PYTHONPATH:+:$PYTHONPATH}
exec "$PY" "$top_srcdir/tests/cli/test_python.py"
