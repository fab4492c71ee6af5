#!/bin/sh
# Description: every source file and script outside tests/ (lib/, report/,
# bench/ but its experiments' standard files, scripts/, guest/) is named,
# with its one concern, in docs/design.md's table of files; no C file
# outside tests/ is over 500 lines; and no two C files call each other.
# Usage: files.sh SOURCE-TREE
set -u
. "$(dirname "$0")/lib.sh"
top=$1
cd "$top" || exit 1
table=$(sed -n '/^## Files and their concerns/,/^## /p' docs/design.md)
[ -n "$table" ] || { echo "FAIL: docs/design.md has no table of files"; exit 1; }
for f in lib/*.c report/*.c bench/*.c bench/*/*.c scripts/* guest/*.c; do
	case $f in
	bench/*/bench.c|bench/*/names.c|bench/*/view.c|bench/*/test.c) continue ;;
	esac
	base=${f##*/} dir=${f%/*}
	# Named whole, or as a second file of a row ("`a`, `b.c`"), or by a glob.
	echo "$table" | grep -qF "\`$f\`" && continue
	echo "$table" | grep -F "\`$dir/" | grep -qF "\`$base\`" && continue
	case $f in
	guest/*.c) echo "$table" | grep -qF "\`guest/$base\`" && continue ;;
	scripts/compare-*.gp) echo "$table" | grep -qF '`scripts/compare-*.gp`' && continue ;;
	esac
	echo "FAIL: $f is not in docs/design.md's table of files"
	failed=1
done
for f in $(find lib report bench -name '*.c'); do
	case $f in */test.c) continue ;; esac
	n=$(wc -l <"$f")
	[ "$n" -le 500 ] || { echo "FAIL: $f has $n lines, more than 500"; failed=1; }
done
# Calls go one way: no C file calls a function of another that calls one
# of its own (a file's functions: those it defines, not static).
$py - <<'PY' || failed=1
import glob, re, sys
files = [f for f in glob.glob('lib/*.c') + glob.glob('bench/*.c') + glob.glob('bench/*/*.c') +
         glob.glob('report/*.c') if not f.endswith('/test.c')]
text, defs = {}, {}
for f in files:
    s = re.sub(r'/\*.*?\*/', '', open(f).read(), flags=re.S)
    s = re.sub(r'"(\\.|[^"\\])*"', '""', s)
    text[f] = s
    for m in re.finditer(r'^(?!static)[a-z][^\n;{}()]*?\b([a-z_][a-z0-9_]*)\s*\([^;{]*\)\s*\{', s, re.M):
        defs.setdefault(m.group(1), set()).add(f)
calls = {f: {} for f in files}
for f, s in text.items():
    for name, where in defs.items():
        if f not in where and re.search(r'\b' + name + r'\s*\(', s):
            for g in where:
                calls[f].setdefault(g, name)
bad = 0
for f in sorted(files):
    for g, name in sorted(calls[f].items()):
        if f < g and f in calls.get(g, {}):
            print('FAIL: %s calls %s (%s), which calls it back (%s)' % (f, g, name, calls[g][f]))
            bad = 1
sys.exit(bad)
PY
exit $failed
