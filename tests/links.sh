#!/bin/sh
# Description: README.md is a newcomer's page of at most 250 lines, and
# every relative link in it and in docs/*.md resolves: to a file or
# directory of the tree, and where it names an anchor (#...), to a heading
# of that Markdown file (GitHub's anchors: lower case, punctuation but '-'
# and '_' dropped, spaces as '-').
# Usage: links.sh SOURCE-TREE
set -u
. "$(dirname "$0")/lib.sh"
top=$1
lines=$(wc -l <"$top/README.md")
[ "$lines" -le 250 ] || { echo "FAIL: README.md has $lines lines, more than 250"; exit 1; }
exec $py - "$top" <<'PY'
import os, re, sys
top = sys.argv[1]
def anchors(path):
    seen, out = {}, set()
    fence = False
    for line in open(path, encoding='utf-8'):
        if line.startswith('```'):
            fence = not fence
        m = None if fence else re.match(r'#{1,6} +(.*?)\s*$', line)
        if not m:
            continue
        a = re.sub(r'[^\w\- ]', '', m.group(1).strip().lower()).replace(' ', '-')
        n = seen.get(a, 0)
        seen[a] = n + 1
        out.add(a if n == 0 else '%s-%d' % (a, n))
    return out
bad = 0
pages = [os.path.join(top, 'README.md')] + sorted(
    os.path.join(top, 'docs', f) for f in os.listdir(os.path.join(top, 'docs')) if f.endswith('.md'))
for page in pages:
    text = re.sub(r'```.*?```', '', open(page, encoding='utf-8').read(), flags=re.S)
    for target in re.findall(r'\]\(([^)\s]+)\)', text):
        if re.match(r'[a-z]+:', target):
            continue
        path, _, anchor = target.partition('#')
        dest = os.path.normpath(os.path.join(os.path.dirname(page), path)) if path else page
        rel = os.path.relpath(page, top)
        if not os.path.exists(dest):
            print('FAIL: %s links to %s: no such file' % (rel, target)); bad += 1
        elif anchor and dest.endswith('.md') and anchor not in anchors(dest):
            print('FAIL: %s links to %s: no such heading' % (rel, target)); bad += 1
print('%d pages, %s' % (len(pages), 'every link resolves' if not bad else '%d broken' % bad))
sys.exit(1 if bad else 0)
PY
