#!/usr/bin/env bash
# Cross-check xuewei's student-proposing DA against Python's `matching` 1.4.3 and time both.
#
#   bash benches/compare/run.sh [--sizes 10000,100000] [--seed 2016] [--runs 11] [--keep DIR]
#
# Builds xuewei in release, creates benches/compare/.venv with matching==1.4.3 (once), then
# runs compare.py (see its docstring). Exits non-zero if the matchings differ.
# PYTHON=python3.11 picks the interpreter used to create the venv.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here/../.."

echo "== building xuewei (release)"
cargo build --release -q -p xuewei-cli
cargo build --release -q -p xuewei-benches --example da_from_json
target="$(cargo metadata --format-version 1 --no-deps |
  "${PYTHON:-python3}" -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"

venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then
  echo "== creating $venv"
  "${PYTHON:-python3}" -m venv "$venv"
fi
if ! "$venv/bin/python" -c 'import importlib.metadata as m, sys; sys.exit(m.version("matching") != "1.4.3")' 2>/dev/null; then
  echo "== pip install matching==1.4.3"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "matching==1.4.3"
fi

exec "$venv/bin/python" -u "$here/compare.py" \
  --xuewei "$target/release/xuewei" --da "$target/release/examples/da_from_json" "$@"
