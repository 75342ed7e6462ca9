#!/usr/bin/env bash
# Wall time and peak memory of activation-basic as its order count grows, on a data centre sized for it.
# Prints one row per size and the wall time per order relative to the smallest size measured in the same
# run (the machines are noisy: compare ratios, not seconds). Usage: bench/activation-scale.sh [BUILD_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
command -v /usr/bin/time >/dev/null || { echo "needs /usr/bin/time (Debian package 'time')" >&2; exit 1; }

printf '%8s %10s %10s %12s %10s\n' orders wall_s rss_MB ms_per_order ratio
base=""
for orders in 1000 2000 5000 10000; do
  # Same world for every size: 3,000 hosts and a fabric wide enough that the network is not the bottleneck;
  # arrivals at 5/s, so the number of orders in flight stays the same and only the run's length grows.
  sed -e "s/count: 40, cores: 32/count: 2000, cores: 32/; s/count: 24, cores: 16/count: 1000, cores: 16/" \
      -e "s/  orders: 200/  orders: $orders/; s/rate: 1\/s/rate: 5\/s/" \
      -e "s/store_bandwidth: 20Gbps/store_bandwidth: 400Gbps/; s/fabric_bandwidth: 40Gbps/fabric_bandwidth: 800Gbps/" \
      -e "s/max_time: 2h/max_time: 1d/" "$here/scenarios/activation-basic.yaml" > "$work/s.yaml"
  /usr/bin/time -f '%e %M' -o "$work/time" "$build/i1sim" run "$work/s.yaml" --no-events --out "$work/out" >/dev/null
  read -r wall rss < "$work/time"
  per=$(awk -v w="$wall" -v n="$orders" 'BEGIN { printf "%.3f", 1000 * w / n }')
  [[ -n "$base" ]] || base=$per
  printf '%8d %10.2f %10.0f %12s %10.2f\n' "$orders" "$wall" "$((rss / 1024))" "$per" "$(awk -v p="$per" -v b="$base" 'BEGIN { print p / b }')"
done
