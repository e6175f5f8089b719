#!/usr/bin/env bash
# Benchmark script: generates corpora of distinct article snapshots (plus exact duplicates)
# as HTML files and as one WARC, then times `articleetl run` against a baseline that only
# parses each file with goquery, and prints documents per second, MB/s, peak RSS and the
# pipeline/baseline ratio. Each measurement is repeated RUNS times, the commands taking turns
# round by round, and the median is shown.
#
#   bench/run.sh                 # N=100 and N=2000, 5 runs each
#   RUNS=3 SIZES="500" bench/run.sh
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
SIZES=${SIZES:-"100 2000"}
WORKERS=${WORKERS:-$(nproc)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

go build -o "$work/articleetl" ./cmd/articleetl
go build -o "$work/benchtool" ./bench/benchtool

# sample NAME CMD...: runs CMD once and appends "seconds peak_rss_kb cpu_seconds" (CPU: user
# plus system) to NAME's samples. Exit status 1 (a run with failed inputs) is expected.
sample() {
  local name=$1; shift
  rm -rf "$work/out"
  /usr/bin/time -f "%e %M %U %S" -o "$work/time" "$@" >/dev/null 2>"$work/stderr" || { code=$?; [ $code -eq 1 ] || { cat "$work/stderr"; exit $code; }; }
  # A command that exits non-zero has GNU time write "Command exited with non-zero status
  # 1" before the figures: they are its last line.
  read -r t m u s < <(tail -n 1 "$work/time")
  echo "$t $m $(awk -v u="$u" -v s="$s" 'BEGIN{print u+s}')" >>"$work/$name.samples"
}

# median NAME: prints "median_seconds median_peak_rss_kb median_cpu_seconds" of NAME's samples
# (of an even number, the mean of the middle two).
median() {
  for col in 1 2 3; do
    cut -d' ' -f$col "$work/$1.samples" | sort -g | awk -v last=$col '{a[NR]=$1} END{printf "%.10g%s", (NR % 2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2), (last==3 ? "\n" : " ")}'
  done
}

# interleave NAME...: takes RUNS samples of each command cmds[NAME], round by round, so that
# every command meets the same stretches of this noisy machine (measured one command after
# another, the minutes between them moved a ratio by up to 7%). Every other round goes in the
# opposite order, so that no command always follows the same one.
interleave() {
  local names=("$@") round i n
  for n in "${names[@]}"; do rm -f "$work/$n.samples"; done
  for round in $(seq "$RUNS"); do
    if ((round % 2)); then
      for ((i = 0; i < ${#names[@]}; i++)); do sample "${names[i]}" bash -c "exec ${cmds[${names[i]}]}"; done
    else
      for ((i = ${#names[@]} - 1; i >= 0; i--)); do sample "${names[i]}" bash -c "exec ${cmds[${names[i]}]}"; done
    fi
  done
}

# The commands measured, by name: set_commands fills them in for the corpus in $corpus (and
# its WARC). /usr/bin/time runs each through bash -c, which execs it; set_command quotes each
# word for that, since $work (from TMPDIR) may hold spaces.
declare -A cmds
set_command() { local name=$1; shift; printf -v "cmds[$name]" '%q ' "$@"; }
set_commands() {
  set_command base "$work/benchtool" parse -workers "$WORKERS" "$corpus"
  set_command baset "$work/benchtool" parse -memory-target "$target" -workers "$WORKERS" "$corpus"
  set_command run "$work/articleetl" run --quiet --workers "$WORKERS" --out "$work/out" "$corpus"
  set_command run0 "$work/articleetl" run --quiet --memory-target 0 --workers "$WORKERS" --out "$work/out" "$corpus"
  set_command warc "$work/articleetl" run --quiet --workers "$WORKERS" --out "$work/out" "$corpus.warc.gz"
  set_command one "$work/articleetl" run --quiet --workers 1 --out "$work/out" "$corpus"
  set_command one0 "$work/articleetl" run --quiet --memory-target 0 --workers 1 --out "$work/out" "$corpus"
  set_command baseone "$work/benchtool" parse -workers 1 "$corpus"
  set_command distinct "$work/articleetl" run --quiet --workers "$WORKERS" --out "$work/out" "$work/distinct"
  set_command withdups "$work/articleetl" run --quiet --workers "$WORKERS" --out "$work/out" "$work/withdups"
}

echo "machine: $(nproc) CPUs, $(go version | cut -d' ' -f3), runs per figure: $RUNS (medians)"
for n in $SIZES; do
  dups=$((n / 20))
  corpus="$work/corpus-$n"
  "$work/benchtool" gen -n "$n" -dups "$dups" -dir "$corpus" -warc "$corpus.warc.gz"
  docs=$((n + dups))
  mb=$(du -sm --apparent-size "$corpus" | cut -f1)
  echo
  echo "== N=$n distinct snapshots + $dups exact duplicates = $docs pages, ${mb} MB of HTML"
  # The run keeps its heap growing to --memory-target (64 MiB) between collections; the
  # baseline is measured both at Go's default and with the same target, and the run at
  # Go's default too (--memory-target 0), so that each ratio compares like with like.
  target=$((64 << 20))
  set_commands
  interleave base baset run run0 warc one one0 baseone
  read -r base_t base_m _ < <(median base)
  read -r baset_t baset_m _ < <(median baset)
  read -r run_t run_m run_c < <(median run)
  read -r run0_t run0_m _ < <(median run0)
  read -r warc_t warc_m _ < <(median warc)
  read -r one_t _ one_c < <(median one)
  read -r one0_t _ _ < <(median one0)
  read -r base_one_t _ _ < <(median baseone)
  awk -v d="$docs" -v mb="$mb" -v bt="$base_t" -v bm="$base_m" -v btt="$baset_t" -v btm="$baset_m" -v rt="$run_t" -v rm="$run_m" -v r0t="$run0_t" -v r0m="$run0_m" -v wt="$warc_t" -v wm="$warc_m" -v ot="$one_t" -v o0t="$one0_t" -v bot="$base_one_t" -v w="$WORKERS" -v rc="$run_c" -v oc="$one_c" 'BEGIN{
    printf "goquery parse only     %7.2f s  %8.1f docs/s  %6.1f MB/s  peak RSS %6.1f MB\n", bt, d/bt, mb/bt, bm/1024
    printf "  with 64 MiB target   %7.2f s  %8.1f docs/s  %6.1f MB/s  peak RSS %6.1f MB\n", btt, d/btt, mb/btt, btm/1024
    printf "articleetl run (HTML)  %7.2f s  %8.1f docs/s  %6.1f MB/s  peak RSS %6.1f MB\n", rt, d/rt, mb/rt, rm/1024
    printf "  --memory-target 0    %7.2f s  %8.1f docs/s  %6.1f MB/s  peak RSS %6.1f MB\n", r0t, d/r0t, mb/r0t, r0m/1024
    printf "articleetl run (WARC)  %7.2f s  %8.1f docs/s  %6s       peak RSS %6.1f MB\n", wt, d/wt, "", wm/1024
    printf "pipeline / parse-only  %7.2fx (both with the 64 MiB target); %.2fx against parsing at Go'"'"'s default; %.2fx both at the default\n", rt/btt, rt/bt, r0t/bt
    printf "workers %d vs 1         %7.2fx faster (--memory-target 0: %.2fx; goquery parse alone: %.2fx)\n", w, ot/rt, o0t/r0t, bot/bt
    # With one worker, the CPU spent outside it (collector, writer, reading) runs on the
    # other cores for free; with w workers all of it competes. So w workers cannot beat
    # the one-worker time divided by (their CPU time / w): the bound the scaling target
    # (1.7x with 2 workers) has to fit under on this machine.
    printf "cores busy, 1 worker   %7.2f  (%.2f s CPU); with %d: %.2f s CPU, so at most %.2fx faster\n", oc/ot, oc, w, rc, ot/(rc/w)
  }'
  "$work/articleetl" run --quiet --out "$work/out" "$corpus" || true
  "$work/benchtool" sizes "$work/out" | tail -1
done

# Exact duplicates: 100 distinct pages alone, then the same 100 plus 1,900 copies.
"$work/benchtool" gen -n 100 -dir "$work/distinct"
"$work/benchtool" gen -n 100 -dups 1900 -dir "$work/withdups"
set_commands
interleave distinct withdups
read -r d_t _ _ < <(median distinct)
read -r w_t _ _ < <(median withdups)
echo
awk -v a="$d_t" -v b="$w_t" 'BEGIN{printf "== duplicates: 100 pages %.2f s; same + 1,900 exact copies %.2f s: %.2f ms per duplicate\n", a, b, (b-a)*1000/1900}'
