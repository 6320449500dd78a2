#!/usr/bin/env bash
# Whole-process benchmarks: stance beside fastText (and its own scaling), in one run on
# one machine, medians of repeated runs. Not part of CI (it needs the public corpora,
# Debian's fasttext and several minutes).
#
#   benches/run.sh [NEWSMTSC_DIR] [RUNS]
#
# Needs: python3, /usr/bin/time, fasttext (apt-get install fasttext) for the peer rows.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-../shared/datasets/newsmtsc}
RUNS=${2:-5}
W=${BENCH_DIR:-/tmp/stance-bench}
cargo build --release -q
S=target/release/stance
python3 benches/make_inputs.py "$N" "$W" >/dev/null

. benches/measure.sh
rate() { python3 -c "print(f'{$1/$2:,.0f}')"; }

# Two commands run alternately RUNS times each, so that both see the same machine (its
# load and clock drift from minute to minute); prints two lines like measure.
# Usage: measure_pair CMD_A... -- CMD_B...
measure_pair() {
  local a=() b=() outa=() outb=() seen=0
  for x in "$@"; do
    if [ "$x" = "--" ]; then seen=1; elif [ $seen = 0 ]; then a+=("$x"); else b+=("$x"); fi
  done
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %U %S %M" -o "$W/time" "${a[@]}" >/dev/null 2>"$W/err" || { cat "$W/err"; exit 1; }
    outa+=("$(cat "$W/time")")
    /usr/bin/time -f "%e %U %S %M" -o "$W/time" "${b[@]}" >/dev/null 2>"$W/err" || { cat "$W/err"; exit 1; }
    outb+=("$(cat "$W/time")")
  done
  printf '%s\n' "${outa[@]}" | sort -n -k1 | sed -n "$(( (RUNS + 1) / 2 ))p"
  printf '%s\n' "${outb[@]}" | sort -n -k1 | sed -n "$(( (RUNS + 1) / 2 ))p"
}

mentions=$(python3 -c "import json;print(sum(len(json.loads(l)['targets']) for l in open('$W/train-x20.jsonl')))")
sentences=$(python3 -c "import json;print(sum(1 for l in open('$W/articles-x6.jsonl') for s in json.loads(l)['text'].split(chr(10))))")

echo "## stance $(git describe --always --dirty 2>/dev/null) on $(nproc) cores, median of $RUNS runs"
echo
echo "| benchmark | wall s | CPU s | rate | peak RSS |"
echo "|---|---:|---:|---:|---:|"
eval_cmd=($S eval --model models/newsmtsc --format newsmtsc --data "$W/train-x20.jsonl")
if command -v fasttext >/dev/null; then
  if [ ! -f "$W/ft.bin" ]; then
    fasttext supervised -input "$W/fasttext-train.txt" -output "$W/ft" -wordNgrams 2 -epoch 25 -lr 0.5 -dim 50 -thread 2 -verbose 0 -seed 1
  fi
  # stance and fastText alternate, so the ratio between them is fair.
  { read -r w u s m; read -r fw fu fs fm; } < <(measure_pair "${eval_cmd[@]}" -- fasttext predict "$W/ft.bin" "$W/fasttext-x20.txt")
  echo "| stance eval, NewsMTSC train x20 ($mentions mentions) | $w | $(python3 -c "print(round($u+$s,2))") | $(rate "$mentions" "$w") mentions/s | $((m/1024)) MB |"
  echo "| fasttext predict, same mentions (peers.py model), runs alternating with the row above | $fw | $(python3 -c "print(round($fu+$fs,2))") | $(rate "$mentions" "$fw") mentions/s | $((fm/1024)) MB |"
else
  read -r w u s m < <(measure "${eval_cmd[@]}")
  echo "| stance eval, NewsMTSC train x20 ($mentions mentions) | $w | $(python3 -c "print(round($u+$s,2))") | $(rate "$mentions" "$w") mentions/s | $((m/1024)) MB |"
fi
read -r w u s m < <(measure $S predict --input jsonl --format jsonl "$W/articles-x6.jsonl")
echo "| stance predict, NewsMTSC articles x6 ($sentences sentences) | $w | $(python3 -c "print(round($u+$s,2))") | $(rate "$sentences" "$w") sentences/s | $((m/1024)) MB |"
read -r w u s m < <(measure $S predict --format jsonl "$W/short.txt")
echo "| stance predict, one short article, fresh process | $w | $(python3 -c "print(round($u+$s,2))") | | $((m/1024)) MB |"
for x in 1 4 16; do
  f="$N/train.jsonl"; [ "$x" != 1 ] && f="$W/train-x$x.jsonl"
  # Median of RUNS for the 1x run (its 3 s target); one run for the long ones.
  r=$RUNS; [ "$x" != 1 ] && r=1
  read -r w u s m < <(RUNS=$r measure $S train --format newsmtsc --train "$f" --out "$W/model-x$x" --quiet)
  echo "| stance train, NewsMTSC train x$x | $w | $(python3 -c "print(round($u+$s,2))") | | $((m/1024)) MB |"
done
# Memory while streaming: the same articles repeated to two sizes; peak RSS must not grow.
for mb in ${STREAM_MB:-100 400}; do
  python3 - "$W/articles.jsonl" "$W/stream-$mb.jsonl" "$mb" <<'PY'
import sys
src, dst, mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = open(src, "rb").read()
with open(dst, "wb") as f:
    n = 0
    while n < mb * 1024 * 1024:
        f.write(data); n += len(data)
PY
  read -r w u s m < <(RUNS=1 measure $S predict --input jsonl --format jsonl "$W/stream-$mb.jsonl")
  echo "| stance predict, streaming ${mb} MB of JSON Lines | $w | $(python3 -c "print(round($u+$s,2))") | | $((m/1024)) MB |"
  rm -f "$W/stream-$mb.jsonl"
done
echo
echo "Model size: $(du -sh models/newsmtsc | cut -f1) (stance); fastText: $( [ -f "$W/ft.bin" ] && du -sh "$W/ft.bin" | cut -f1 || echo n/a)"
