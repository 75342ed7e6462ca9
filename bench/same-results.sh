#!/usr/bin/env bash
# Checks that a speed-up changed nothing a user can see: runs the shipped scenarios (all but scale-month) at two
# seeds against the reference, and every mutant against four scenarios, with two i1sim binaries, and compares
# events.jsonl and results.json byte for byte. Prints one line per difference and exits 1 if there is any.
# Usage: bench/same-results.sh BASE_I1SIM NEW_I1SIM [JOBS]
#   e.g. cp build/i1sim /tmp/i1sim-before; (change, rebuild); bench/same-results.sh /tmp/i1sim-before build/i1sim
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
[[ $# -ge 2 ]] || { echo "usage: $0 BASE_I1SIM NEW_I1SIM [JOBS]" >&2; exit 2; }
base=$(realpath "$1") new=$(realpath "$2") jobs=${3:-2}
for b in "$base" "$new"; do [[ -x "$b" ]] || { echo "$0: not an executable: $b" >&2; exit 2; }; done
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

runs=()
for s in "$here"/scenarios/*.yaml; do
  name=$(basename "$s" .yaml)
  [[ $name == scale-month ]] && continue
  for seed in 1 2; do runs+=("$name ref $seed"); done
done
# The --iut help lists the names, wrapped at any character: join the lines before splitting at the commas.
mutants=$("$new" help run 2>&1 | awk '/--iut/ { f = 1 } /--seed/ { f = 0 } f' | tr -d ' \n' | tr ',' '\n' | grep -o 'mutant:[a-z-]*' | sort -u)
[[ -n "$mutants" ]] || { echo "$0: could not read the mutant names from '$new help run'" >&2; exit 2; }
for m in $mutants; do
  for name in activation-basic converged-bill sla-violation-host-failure x-profile-two-operators; do
    runs+=("$name $m 1")
  done
done

one() { # NAME IUT SEED: run both binaries, compare
  local name=$1 iut=$2 seed=$3 dir="$work/$1-${2//:/_}-$3"
  for side in base new; do
    local bin=$base
    [[ $side == new ]] && bin=$new
    "$bin" run "$here/scenarios/$name.yaml" --iut "$iut" --seed "$seed" --out "$dir/$side" >/dev/null 2>&1 || true
  done
  for f in events.jsonl results.json; do
    if [[ ! -f "$dir/base/$f" || ! -f "$dir/new/$f" ]]; then
      echo "MISSING $name $iut seed $seed: $f"
    elif ! cmp -s "$dir/base/$f" "$dir/new/$f"; then
      echo "DIFFERS $name $iut seed $seed: $f"
    fi
  done
  rm -rf "$dir"
}
export -f one
export base new here work
printf '%s\n' "${runs[@]}" | xargs -P "$jobs" -L 1 bash -c 'one "$@"' _ >"$work/report"
total=${#runs[@]}
bad=$(wc -l <"$work/report")
cat "$work/report"
echo "$total runs compared, $bad difference(s)"
[[ $bad -eq 0 ]]
