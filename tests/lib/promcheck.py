# SPDX-License-Identifier: GPL-2.0-only
"""A strict checker of the Prometheus text exposition format (0.0.4).

Usage: promcheck.py [FILE]   (standard input without FILE)

Checks every line: HELP and TYPE comments (a known type, at most one of
each per metric, before the metric's first sample, HELP text escapes only
\\\\ and \\n), sample lines (metric and label names, label values quoted with
only \\\\, \\" and \\n escaped, no label twice, no reserved __ label, a value
Go's ParseFloat takes, an optional integer timestamp), a metric family's
samples all together, no series twice, a gauge's samples named as the
family, and a final newline. Prints each problem as LINE: what and exits 1,
else prints the families and samples it read and exits 0. Imported, check()
returns (problems, families) for the tests of this checker itself.
"""
import re
import sys

METRIC = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*\Z")
LABEL = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*\Z")
FLOAT = re.compile(r"[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|Inf|NaN)\Z")
TYPES = ("counter", "gauge", "histogram", "summary", "untyped")
SUFFIXES = {"histogram": ("_bucket", "_sum", "_count"),
            "summary": ("_sum", "_count", ""), "counter": ("_total", ""),
            "gauge": ("",), "untyped": ("",)}


def unescape_help(text, where, problems):
    i = 0
    while i < len(text):
        if text[i] == "\\":
            if i + 1 >= len(text) or text[i + 1] not in "\\n":
                problems.append(f"{where}: HELP text: a backslash must escape \\ or n")
            i += 2
        else:
            i += 1


def parse_labels(s, i, where, problems):
    """Parse {a="b",...} from s[i] == '{'; returns (labels, index after '}')."""
    labels = {}
    i += 1
    while True:
        if i < len(s) and s[i] == "}":
            return labels, i + 1
        m = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*").match(s, i)
        if not m:
            problems.append(f"{where}: a label name expected at column {i + 1}")
            return None, i
        name = m.group(0)
        i = m.end()
        if name.startswith("__"):
            problems.append(f"{where}: label {name}: names starting with __ are reserved")
        if name in labels:
            problems.append(f"{where}: label {name} given twice")
        if s[i:i + 2] != '="':
            problems.append(f"{where}: label {name}: '=\"' expected")
            return None, i
        i += 2
        value = []
        while True:
            if i >= len(s):
                problems.append(f"{where}: label {name}: the value is not closed")
                return None, i
            c = s[i]
            if c == "\\":
                nxt = s[i + 1] if i + 1 < len(s) else ""
                if nxt not in ('\\', '"', "n"):
                    problems.append(f"{where}: label {name}: '\\{nxt}' is not an escape (\\\\, \\\", \\n)")
                value.append({"n": "\n"}.get(nxt, nxt))
                i += 2
            elif c == '"':
                i += 1
                break
            else:
                value.append(c)
                i += 1
        labels[name] = "".join(value)
        if i < len(s) and s[i] == ",":
            i += 1
        elif i < len(s) and s[i] == "}":
            continue
        else:
            problems.append(f"{where}: label {name}: ',' or '}}' expected after the value")
            return None, i


def family_of(name, types):
    """The family a sample belongs to: its name, or name minus a suffix of
    the family's type."""
    if name in types:
        return name
    for fam, typ in types.items():
        for suf in SUFFIXES[typ]:
            if suf and name == fam + suf:
                return fam
    return name


def check(text):
    problems = []
    helps, types, families = {}, {}, {}
    series = set()
    done = set()   # families whose samples are over
    current = None
    if text and not text.endswith("\n"):
        problems.append("end: the last line has no newline")
    for no, line in enumerate(text.split("\n")[:-1] if text.endswith("\n") else text.split("\n"), 1):
        where = f"{no}"
        if line == "":
            continue
        if line.startswith("#"):
            parts = line.split(None, 3)
            if len(parts) >= 2 and parts[1] in ("HELP", "TYPE"):
                if len(parts) < 3 or not METRIC.match(parts[2]):
                    problems.append(f"{where}: {parts[1]}: a metric name expected")
                    continue
                name = parts[2]
                rest = parts[3] if len(parts) > 3 else ""
                if name in families:
                    problems.append(f"{where}: {parts[1]} {name} after its samples")
                table = helps if parts[1] == "HELP" else types
                if name in table:
                    problems.append(f"{where}: {parts[1]} {name} given twice")
                if parts[1] == "HELP":
                    unescape_help(rest, where, problems)
                    helps[name] = rest
                else:
                    if rest not in TYPES:
                        problems.append(f"{where}: TYPE {name}: '{rest}' is not one of {', '.join(TYPES)}")
                    types[name] = rest if rest in TYPES else "untyped"
            continue
        m = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*").match(line)
        if not m:
            problems.append(f"{where}: a metric name expected")
            continue
        name = m.group(0)
        i = m.end()
        labels = {}
        if i < len(line) and line[i] == "{":
            labels, i = parse_labels(line, i, where, problems)
            if labels is None:
                continue
        rest = line[i:]
        if not rest.startswith(" "):
            problems.append(f"{where}: {name}: a space and a value expected")
            continue
        fields = rest.split(" ")[1:]
        if len(fields) not in (1, 2) or not FLOAT.match(fields[0]):
            problems.append(f"{where}: {name}: '{rest.strip()}' is not a value [timestamp]")
            continue
        if len(fields) == 2 and not re.fullmatch(r"-?\d+", fields[1]):
            problems.append(f"{where}: {name}: timestamp '{fields[1]}' is not integer milliseconds")
        fam = family_of(name, types)
        if fam not in types:
            problems.append(f"{where}: {name}: a sample before any TYPE line of its family")
        if fam not in helps:
            problems.append(f"{where}: {name}: a sample before any HELP line of its family")
        if types.get(fam) == "gauge" and name != fam:
            problems.append(f"{where}: {name}: a gauge's samples carry the family's name")
        if fam != current:
            if fam in done:
                problems.append(f"{where}: {name}: the samples of {fam} are not all together")
            if current:
                done.add(current)
            current = fam
        key = (name, tuple(sorted(labels.items())))
        if key in series:
            problems.append(f"{where}: {name}{labels}: the same series twice")
        series.add(key)
        families.setdefault(fam, []).append((name, labels, fields[0]))
    return problems, families


def main():
    text = open(sys.argv[1], encoding="utf-8").read() if len(sys.argv) > 1 else sys.stdin.read()
    problems, families = check(text)
    for p in problems:
        print(p)
    if problems:
        return 1
    print(f"{len(families)} families, {sum(len(v) for v in families.values())} samples")
    return 0


if __name__ == "__main__":
    sys.exit(main())
