#!/usr/bin/env bash
# Measures the claim-without-task-write prototype against the engine as committed: the drain
# workload of ./taskgrid bench (peers included), once in a scratch clone of HEAD and once in a
# scratch clone of HEAD with prototype.patch applied, in alternating order, PAIRS times.
# Neither clone is this checkout, so its bench/results stay untouched. See README.md here.
#
#   PAIRS=2 bench/experiments/claim-without-task-write/run.sh [extra ./taskgrid bench options]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(git -C "$here" rev-parse --show-toplevel)"
pairs="${PAIRS:-1}"
work="$(mktemp -d /tmp/taskgrid-claim-experiment.XXXXXX)"
export TASKGRID_PEERS_DIR="${TASKGRID_PEERS_DIR:-$repo/../shared/bench/peers}"

git clone -q "$repo" "$work/engine"
git clone -q "$repo" "$work/prototype"
git -C "$work/prototype" apply "$here/prototype.patch" \
  || { echo "prototype.patch no longer applies to HEAD; rebase it on the claim and completion of today's migrations." >&2; exit 1; }

drain() {
  local name=$1 pair=$2
  shift 2
  echo "== pair $pair: $name ($(date -u +%H:%M:%S))"
  (cd "$work/$name" && ./taskgrid bench --only drain "$@" > "$work/$name-$pair.log" 2>&1) \
    || { echo "the $name drain failed; see $work/$name-$pair.log" >&2; exit 1; }
  cp "$work/$name/bench/results/latest.md" "$work/$name-$pair.md"
  grep -m1 '^| drain ≥' "$work/$name-$pair.md"
}

for pair in $(seq 1 "$pairs"); do
  if [ $((pair % 2)) = 1 ]; then order=(engine prototype); else order=(prototype engine); fi
  for name in "${order[@]}"; do drain "$name" "$pair" "$@"; done
done
echo "reports: $work/{engine,prototype}-N.md"
