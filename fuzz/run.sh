#!/usr/bin/env bash
# Run every fuzz target for SECONDS (default 600) each, one after another.
# cargo-fuzz needs nightly flags; RUSTC_BOOTSTRAP=1 lets the stable toolchain take them.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-600}
export RUSTC_BOOTSTRAP=1
for t in reader_newsmtsc reader_csv reader_tweeteval sentences actors predict input_csv; do
  mkdir -p "fuzz/corpus/$t"
  echo "== $t ($SECONDS_EACH s)"
  cargo fuzz run -O "$t" "fuzz/corpus/$t" "fuzz/seeds/$t" -- -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -max_len=65536 2>&1 | grep -E "^(#[0-9]+\s+DONE|==[0-9]+==|SUMMARY|artifact_prefix|Test unit written|Done)" || true
done
