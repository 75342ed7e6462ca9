#!/usr/bin/env bash
# The scaling curve of the harness: scale-month (a month of orders, daily usage, monthly bills, every oracle on,
# no trace file) run at several order counts, the world and the customers growing with the orders (N/100 hosts
# per data centre, N/10 customers, N orders spread over the same 30 days). Prints one row per size: wall time,
# CPU time, peak RSS, events, CPU time and memory per order, and both per-order figures as ratios to the smallest
# size measured in the same run (the machines are noisy: compare ratios, not seconds; CPU time is less disturbed
# by other load than wall time). Near-linear growth keeps the ratios near 1.
# Usage: bench/scale-curve.sh [BUILD_DIR] [N...]     (default sizes: 1000 10000 100000)
# Example: bench/scale-curve.sh build 1000 10000 100000 1000000
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
shift || true
sizes=("$@")
[[ ${#sizes[@]} -gt 0 ]] || sizes=(1000 10000 100000)
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (Debian package 'time')" >&2; exit 1; }
[[ -x "$build/i1sim" ]] || { echo "no i1sim in $build: build it first (make build)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

printf '%9s %9s %9s %9s %11s %12s %12s %9s %9s\n' orders wall_s cpu_s rss_MB events ms_per_order KB_per_order t_ratio m_ratio
base_t="" base_m=""
for n in "${sizes[@]}"; do
  hosts=$((n / 100)); ((hosts >= 10)) || hosts=10
  customers=$((n / 10)); ((customers >= 1)) || customers=1
  rate=$(awk -v n="$n" 'BEGIN { printf "%.6f", 1440 * n / 1000000 }')
  sets=(--set "workload.orders=$n" --set "customers.count=$customers" --set "workload.arrival.rate=$rate/h")
  for i in 0 1 2 3 4 5 6 7 8 9; do sets+=(--set "platform.data_centres[$i].hosts[0].count=$hosts"); done
  rc=0
  /usr/bin/time -f '%e %U %M' -o "$work/time" "$build/i1sim" run "$here/scenarios/scale-month.yaml" --no-events \
    "${sets[@]}" --out "$work/out-$n" >"$work/log-$n" 2>&1 || rc=$?
  if [[ $rc -ne 0 && ! -s "$work/out-$n/results.json" ]]; then
    echo "$n orders: the run failed (exit $rc):" >&2
    tail -5 "$work/log-$n" >&2
    exit 1
  fi
  [[ $rc -eq 0 ]] || echo "$n orders: an expectation failed (exit $rc); figures below are still measured" >&2
  read -r wall cpu rss <"$work/time"
  events=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['run']['events'])" "$work/out-$n/results.json")
  per_t=$(awk -v w="$cpu" -v n="$n" 'BEGIN { printf "%.3f", 1000 * w / n }')
  per_m=$(awk -v r="$rss" -v n="$n" 'BEGIN { printf "%.2f", r / n }')
  [[ -n "$base_t" ]] || { base_t=$per_t; base_m=$per_m; }
  printf '%9d %9.1f %9.1f %9.0f %11d %12s %12s %9.2f %9.2f\n' "$n" "$wall" "$cpu" "$((rss / 1024))" "$events" "$per_t" \
    "$per_m" \
    "$(awk -v p="$per_t" -v b="$base_t" 'BEGIN { print p / b }')" "$(awk -v p="$per_m" -v b="$base_m" 'BEGIN { print p / b }')"
done
