#!/bin/sh
# Every scale benchmark of issue 13, in sequence, on PostgreSQL; ends with the figure lines.
#
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/parcours_bench scripts/bench_all.sh     (or: make bench)
#
# Databases: $DATABASE_URL (20 000 students), ${DATABASE_URL}_2k, ${DATABASE_URL}_40k — created, migrated and
# generated when missing (the first run: about 3 minutes on a quiet two-core machine), then
# about 5 minutes per run. The daily benchmark works on a scratch copy, dropped at the end.
set -eu
cd "$(dirname "$0")/.."
: "${DATABASE_URL:?DATABASE_URL=postgres://… (the 20 000-student database; _2k and _40k beside it)}"
PY=.venv/bin/python
[ -x "$PY" ] || make install >/dev/null
out=$(mktemp)
trap 'rm -f "$out"' EXIT
run() {
    echo "== $* (charge : $(cut -d' ' -f1-3 /proc/loadavg))"
    "$PY" "$@" 2>&1 | grep -v ' WARNING ' | tee -a "$out"
}
run scripts/bench_pages.py
run scripts/load_pages.py
run scripts/bench_rules.py
run scripts/bench_daily.py
echo
echo "== Chiffres (charge en fin de mesure : $(cut -d' ' -f1-3 /proc/loadavg))"
grep -E '^(queue page|student home p95|staff pages req/s|financabilite batch|login during daily)' "$out"
