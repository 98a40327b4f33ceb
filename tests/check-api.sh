#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The installed API is deliberate: every function an installed header
# declares is in lib/libfamfsctl.sym, every symbol there is declared by a
# header and exported by the built library, every exported prototype has a
# kernel-doc comment (/** ... */) and every header compiles on its own.
set -u
src=${top_srcdir:-$(dirname "$0")/..}
lib=${top_builddir:-.}/lib/.libs/libfamfsctl.so
fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# functions declared: "fc_name(" at the start of a declaration (after the
# return type), in every installed header but the plugin interface (whose
# symbols live in plugins)
for h in "$src"/include/famfsctl/*.h; do
	[ "$(basename "$h")" = plugin.h ] && continue
	# join continuation lines, drop comments and macros
	sed -e 's://.*$::' "$h" | awk '/^#/ {next} {print}' |
		perl -0777 -pe 's{/\*.*?\*/}{}gs' |
		grep -oE '\bfc_[a-z0-9_]+\s*\(' | sed -E 's/\s*\($//' |
		grep -vE '_foreach$'
done | sort -u >"$tmp/declared"
# fc_ macros that look like calls (fc_memdev_foreach, ...) are not symbols;
# so are names used inside macro bodies
grep -hoE '^#define (fc_[a-z0-9_]+)' "$src"/include/famfsctl/*.h | awk '{print $2}' |
	sort -u >"$tmp/macros"
comm -23 "$tmp/declared" "$tmp/macros" >"$tmp/decl"
sed -n 's/^[[:space:]]*\(fc_[a-z0-9_]*\);.*/\1/p' "$src"/lib/libfamfsctl.sym | sort -u >"$tmp/sym"

if ! cmp -s "$tmp/decl" "$tmp/sym"; then
	echo "declared in include/famfsctl but missing from lib/libfamfsctl.sym:"
	comm -23 "$tmp/decl" "$tmp/sym" | sed 's/^/  /'
	echo "in lib/libfamfsctl.sym but declared by no installed header:"
	comm -13 "$tmp/decl" "$tmp/sym" | sed 's/^/  /'
	fail=1
fi
if [ -e "$lib" ]; then
	nm -D --defined-only "$lib" | awk '$2 == "T" {sub(/@.*/, "", $3); print $3}' | grep '^fc_' | sort -u >"$tmp/exported"
	if ! cmp -s "$tmp/sym" "$tmp/exported"; then
		echo "lib/libfamfsctl.sym and the built library's exports differ:"
		diff "$tmp/sym" "$tmp/exported" | sed 's/^/  /'
		fail=1
	fi
else
	echo "not built: $lib"; fail=1
fi
# every header compiles alone
for h in "$src"/include/famfsctl/*.h; do
	if ! echo "#include <famfsctl/$(basename "$h")>" |
		${CC:-cc} -fsyntax-only -Wall -Wextra -Werror -I"$src/include" -x c - 2>"$tmp/err"; then
		echo "$(basename "$h") does not compile on its own:"; sed 's/^/  /' "$tmp/err"
		fail=1
	fi
done
# kernel-doc: the comment right before each prototype starts with /**
# (FC_API_NODOC=1 leaves this part out while the comments are written)
[ "${FC_API_NODOC:-0}" = 1 ] || for h in "$src"/include/famfsctl/*.h; do
	[ "$(basename "$h")" = plugin.h ] && continue
	perl -ne '
		BEGIN { $doc = 0; $in = 0 }
		if (m{^\s*/\*\*}) { $doc = 1; $in = 1 }
		elsif (m{^\s*/\*}) { $doc = 0; $in = 1 }
		if ($in) { $in = 0 if m{\*/}; next }
		if (/^\s*$/ || /^#/) { next }
		if (/\b(fc_[a-z0-9_]+)\s*\(/ && !/^\s*#\s*define/ && !/^\s/) {
			print "$ARGV:$.: $1 has no kernel-doc comment\n" unless $doc;
			$doc = 0 if /;\s*$/;
			next;
		}
		$doc = 0 if /;\s*$/ || /^}/;
	' "$h"
done >"$tmp/nodoc"
if [ -s "$tmp/nodoc" ]; then
	sed "s|$src/||" "$tmp/nodoc"
	fail=1
fi
[ $fail -eq 0 ] && echo "api: $(wc -l <"$tmp/sym") symbols, headers and .sym agree"
exit $fail
