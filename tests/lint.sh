#!/bin/sh
# Description: scripts/lint-workflows (make lint) passes the suite's own
# workflows and catches what it is for in a bad one: an actionlint error
# (an unknown key, a step without uses or run), a shellcheck finding in a
# run: block (an unquoted variable), and a run: step that is not one make
# target or script of the tree (curl piped into sh), each by file and line.
# Usage: lint.sh SOURCE-ROOT
set -u
. "$(dirname "$0")/lib.sh"
top=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kvmbench-lint.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
for tool in node npm shellcheck; do
	command -v $tool >/dev/null 2>&1 ||
		{ echo "SKIP: $tool is not installed (apt-get install nodejs npm shellcheck)"; exit 77; }
done

"$top/scripts/lint-workflows" >"$tmp/out" 2>&1 || { fail "the suite's workflows:"; cat "$tmp/out"; }

cat >"$tmp/bad.yml" <<'YML'
name: bad
on: [push]
jobs:
  one:
    runs-on: ubuntu-latest
    stepz: []
  two:
    runs-on: ubuntu-latest
    steps:
      - name: nothing
      - run: make test
      - run: echo $HOME/$1
      - run: curl -s https://example.org/x | sh
YML
"$top/scripts/lint-workflows" "$tmp/bad.yml" >"$tmp/out" 2>&1
rc=$?
[ $rc = 1 ] || fail "a bad workflow gave status $rc"
for want in 'bad.yml:6: actionlint: .*stepz' 'bad.yml:10: actionlint: .*' \
	'bad.yml:12: shellcheck: .*SC2086' 'bad.yml:12: a run: step must be one make target' \
	'bad.yml:13: a run: step must be one make target'; do
	grep -q -- "$want" "$tmp/out" || fail "no '$want' in:"
done
grep -q 'bad.yml:11' "$tmp/out" && fail "make test was taken for a finding"
[ $failed = 0 ] || sed 's/^/    /' "$tmp/out"
exit $failed
