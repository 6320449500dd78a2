#!/usr/bin/env bash
# Whole-process speed of the three NewsMTSC models (issue 13's speed bars), medians of
# repeated runs, and the encoder alone beside it, so its share of the time can be read off.
#
#   benches/encoders.sh [NEWSMTSC_DIR] [RUNS]
#
# Input: the unique sentences of NewsMTSC test-mt, one article each, through
# `stance predict --input jsonl` on all cores. mpnet rows need its encoder
# (scripts/fetch-encoder.sh all-mpnet-base-v2); without it they are left out, said so.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-../shared/datasets/newsmtsc}
RUNS=${2:-5}
W=${BENCH_DIR:-/tmp/stance-bench-encoders}
mkdir -p "$W"
cargo build --release -q
cargo build --release -q --example encoder_speed
S=target/release/stance
python3 - "$N/test-mt.jsonl" "$W/sentences.jsonl" <<'PY'
import json, sys
seen = []
for line in open(sys.argv[1], encoding="utf-8"):
    s = json.loads(line)["sentence_normalized"]
    if s not in seen:
        seen.append(s)
with open(sys.argv[2], "w", encoding="utf-8") as f:
    for i, s in enumerate(seen):
        f.write(json.dumps({"id": str(i), "text": s}) + "\n")
PY
n=$(wc -l < "$W/sentences.jsonl")

. benches/measure.sh

echo "## stance $(git describe --always --dirty 2>/dev/null) on $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), median of $RUNS runs"
echo
echo "$n sentences of NewsMTSC test-mt, one article each: \`stance predict --model M --input jsonl --format jsonl\`"
echo
echo "| model | wall s | CPU s | sentences/s | peak RSS |"
echo "|---|---:|---:|---:|---:|"
for m in newsmtsc newsmtsc-minilm newsmtsc-mpnet; do
  # A model whose encoder is missing fails at load: tried on one sentence.
  if ! head -1 "$W/sentences.jsonl" | $S predict --model models/$m --input jsonl --format jsonl >/dev/null 2>"$W/err"; then
    echo "| $m | not run: $(head -1 "$W/err") | | | |"
    continue
  fi
  read -r w u s r < <(measure $S predict --model models/$m --input jsonl --format jsonl "$W/sentences.jsonl")
  echo "| $m | $w | $(python3 -c "print(round($u+$s,2))") | $(python3 -c "print(f'{$n/$w:,.1f}')") | $((r/1024)) MB |"
done
echo
echo "The encoder alone (\`cargo run --release --example encoder_speed -- NAME FILE --threads $(nproc)\`, model load excluded):"
echo
for e in all-minilm-l6-v2 all-mpnet-base-v2; do
  target/release/examples/encoder_speed "$e" "$N/test-mt.jsonl" --sentences 100000 --threads "$(nproc)" 2>&1 | sed 's/^/    /' || true
done
