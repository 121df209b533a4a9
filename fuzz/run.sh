#!/usr/bin/env bash
# Builds the fuzz targets and runs each for SECONDS, one after the other
# (one job: libFuzzer's -jobs/-workers are never used), from the seeds of
# seed.sh. Prints per target the executions, the coverage (libFuzzer's
# `cov:` edges) and the crashes; exits non-zero if any target crashed.
# Usage: fuzz/run.sh SECONDS [TARGET...]   (default: every target)
# Crashing inputs land in fuzz/artifacts/<target>/, logs in fuzz/logs/.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"
seconds="${1:?usage: fuzz/run.sh SECONDS [TARGET...]}"
shift
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$here/target}"
export CARGO_INCREMENTAL=0
if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "cargo-fuzz missing: cargo install cargo-fuzz --locked" >&2
  exit 2
fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(RUSTC_BOOTSTRAP=1 cargo fuzz list)
fi
echo "== build"
RUSTC_BOOTSTRAP=1 cargo fuzz build -O || exit 2
triple="$(rustc -vV | sed -n 's/^host: //p')"
bin="$CARGO_TARGET_DIR/$triple/release"
"$here/seed.sh" "${targets[@]}" >/dev/null
mkdir -p logs
failed=0
printf '%-24s %14s %8s %8s\n' target executions cov crashes
for t in "${targets[@]}"; do
  mkdir -p "artifacts/$t" "corpus/$t"
  before=$(ls "artifacts/$t" | wc -l)
  log="logs/$t.log"
  # Tiny chunks over 64 KiB inputs run at a few per second: keep these small.
  case "$t" in
    detect_and_split | scan_vs_index | mmap_vs_read_vs_memory | pasted_text) max_len=(-max_len=8192) ;;
    *) max_len=() ;;
  esac
  "$bin/$t" "corpus/$t" "${max_len[@]}" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -print_final_stats=1 -detect_leaks=0 -artifact_prefix="artifacts/$t/" >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
  crashes=$(( $(ls "artifacts/$t" | wc -l) - before ))
  if [ "$rc" -ne 0 ] && [ "$crashes" -eq 0 ]; then crashes=1; fi
  printf '%-24s %14s %8s %8s\n' "$t" "${execs:-?}" "${cov:-?}" "$crashes"
  if [ "$crashes" -ne 0 ]; then
    failed=1
    grep -m3 -E 'panicked|ERROR|SUMMARY' "$log" | sed 's/^/    /'
  fi
done
exit $failed
