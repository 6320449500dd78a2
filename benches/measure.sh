# Sourced by benches/run.sh and benches/encoders.sh; they set W (a scratch folder) and RUNS.

# median (by wall time) of RUNS runs of a command; prints "wall_s user_s sys_s maxrss_kb"
measure() {
  local out=()
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e %U %S %M" -o "$W/time" "$@" >/dev/null 2>"$W/err" || { cat "$W/err"; exit 1; }
    out+=("$(cat "$W/time")")
  done
  printf '%s\n' "${out[@]}" | sort -n -k1 | sed -n "$(( (RUNS + 1) / 2 ))p"
}
