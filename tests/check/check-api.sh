#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The installed API is deliberate: every function an installed header
# declares is in lib/libfamfsctl.sym, every symbol there is declared by a
# header and exported by the built library, every exported prototype has a
# kernel-doc comment (/** ... */) and every header compiles on its own.
set -u
src=${top_srcdir:-$(dirname "$0")/../..}
lib=${top_builddir:-.}/lib/.libs/libfamfsctl.so
fail=0
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

# functions declared: "fc_name(" at the start of a declaration (after the
# return type), in every installed header but the plugin interface (whose
# symbols live in plugins)
for h in "$src"/include/famfsctl/*.h; do
	[ "$(basename "$h")" = plugin.h ] && continue
	# drop comments (block comments first: they may hold "//") and macros
	perl -0777 -pe 's{/\*.*?\*/}{}gs' "$h" | sed -e 's://.*$::' |
		awk '/^#/ {next} {print}' |
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
# kernel-doc: the comment right before each prototype is a kernel-doc
# comment (/** ... */) whose summary line names that function,
# " * fc_name() - what it does", with an "@param:" line for each of its
# parameters, in order, and a "Return:" section unless it returns void; one
# comment per prototype. Nothing but blank lines and preprocessor lines may
# stand between the two.
for h in "$src"/include/famfsctl/*.h; do
	[ "$(basename "$h")" = plugin.h ] && continue
	perl -ne '
		BEGIN { $doc = ""; $in = 0; $want = 0; $macro = 0; $decl = "" }
		# the function a kernel-doc summary line names ("" for another kind)
		sub summary {
			my ($t) = @_;
			return undef if $t =~ m{^\s*\*?\s*$};
			return $t =~ m{^\s*\*?\s*(fc_[a-z0-9_]+)\(\)\s+-\s} ? $1 : "";
		}
		# a whole declaration against its kernel-doc
		sub check {
			my ($d) = @_;
			my ($ret, $name, $args) = $d =~ m{^(.*?)\b(fc_[a-z0-9_]+)\s*\((.*)\)[^)]*;\s*$}s
				or return;
			my (@names, $depth, $cur);
			for my $c (split //, $args) {
				$depth++ if $c eq "(";
				$depth-- if $c eq ")";
				if ($c eq "," && !$depth) { push @names, $cur; $cur = ""; next }
				$cur .= $c;
			}
			push @names, $cur;
			@names = map {
				/\(\s*\*\s*(\w+)\s*\)/ ? $1 : /(\w+)\s*(\[[^]]*\]\s*)*$/ ? $1 : $_
			} grep { !/^\s*(void)?\s*$/ } @names;
			my $want = join(" ", @names), $got = join(" ", @params);
			print "$ARGV:$decl_line: $name: kernel-doc has \@params ($got), the prototype ($want)\n"
				if $want ne $got;
			print "$ARGV:$decl_line: $name: kernel-doc has no Return: section\n"
				if !$returns && $ret !~ /^\s*void\s*$/;
		}
		chomp(my $l = $_);
		if ($macro) { $macro = $l =~ /\\$/; next }
		if ($in) {
			my ($text, $rest) = $l =~ m{^(.*?)(\*/.*)?$};
			if ($want && defined(my $n = summary($text))) { $doc = $n; $want = 0 }
			push @params, $1 if $text =~ m{^\s*\*\s*\@(\w+)\s*:};
			$returns = 1 if $text =~ m{^\s*\*\s*Return:};
			next unless defined $rest;
			$in = 0;
			($l = $rest) =~ s{^\*/}{};
		} elsif ($l =~ m{^\s*/\*\*(?!/)(.*?)(\*/)?\s*$}) {
			my ($text, $closed) = ($1, $2);
			$doc = ""; $want = 1; @params = (); $returns = 0;
			if (defined(my $n = summary($text))) { $doc = $n; $want = 0 }
			$in = !$closed;
			next;
		} elsif ($l =~ m{^\s*/\*}) {
			$doc = ""; $want = 0;
			$in = $l !~ m{\*/};
			next;
		}
		if ($l =~ /^\s*#/) { $macro = $l =~ /\\$/; next }
		$l =~ s{/\*.*?\*/}{}g;              # comments inside a line
		if ($l =~ s{/\*.*$}{}) { $in = 1; $want = 0 } # one opened and left open
		next if $l =~ /^\s*$/;
		if ($l =~ /\b(fc_[a-z0-9_]+)\s*\(/ && $l !~ /^\s/) {
			if ($doc eq "") {
				print "$ARGV:$.: $1 has no kernel-doc comment\n";
			} elsif ($doc ne $1) {
				print "$ARGV:$.: $1: the kernel-doc before it is for $doc()\n";
			} else {
				$decl = " "; $decl_line = $.;
			}
		}
		$decl .= " $l" if $decl ne "";
		if ($l =~ /;\s*$/ || $l =~ /^}/) {
			check($decl) if $decl ne "";
			$doc = ""; $decl = "";
		}
	' "$h"
done >"$tmp/nodoc"
if [ -s "$tmp/nodoc" ]; then
	sed "s|$src/||" "$tmp/nodoc"
	fail=1
fi
# fc_ means exported: an fc_ name in the sources that no installed header
# declares is internal and must carry its folder's prefix instead (host_,
# fabric_, iset_, policy_...). famfs's on-media field names are famfs's.
grep -ohE '\bfc_[a-z0-9_]+\b' "$src"/include/famfsctl/*.h | sort -u >"$tmp/public"
(cd "$src" && grep -oHE '\bfc_[a-z0-9_]+\b' lib/*.[ch] lib/*/*.[ch] cmd/*.[ch] fuse/*.[ch] \
	famfs/*.[ch] util/*.[ch] sim/*.[ch] proto/*.[ch] plugins/*/*.[ch] preload/*.[ch] 2>/dev/null) |
	sort -u -t: -k2,2 | grep -vE ':fc_(uid|gid|mode)$|_$' >"$tmp/used"
cut -d: -f2 "$tmp/used" | sort -u | comm -23 - "$tmp/public" >"$tmp/internal"
if [ -s "$tmp/internal" ]; then
	echo "fc_ names no installed header declares (internal: give them their folder's prefix):"
	grep -wFf "$tmp/internal" "$tmp/used" | sed 's/^/  /'
	fail=1
fi
[ $fail -eq 0 ] && echo "api: $(wc -l <"$tmp/sym") symbols, headers and .sym agree"
exit $fail
