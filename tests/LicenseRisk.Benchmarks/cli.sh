#!/usr/bin/env bash
# Whole-process measurements of the CLI, as installed the README's way (ReadyToRun publish):
# start-up of `score` on one dossier (hyperfine), peak memory scoring 10,000 and 100,000
# generated dossiers from disk, and 1-core vs 2-core wall time. Called by run.sh.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
out="$root/artifacts/benchmarks"
pub="$out/publish"
data="$out/data"
counts="${LR_BENCH_COUNTS:-10000 100000}"
mkdir -p "$out"

dotnet publish "$root/src/LicenseRisk.Cli" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$pub" -nologo -v q > "$out/publish.log" 2>&1 || { cat "$out/publish.log"; exit 1; }
cli="$pub/licenserisk"

echo "== start-up: licenserisk score samples/vendors/qwen.yaml (bundled pack, ReadyToRun publish)"
if command -v hyperfine >/dev/null 2>&1; then
  hyperfine -N --warmup 3 --runs 20 --export-json "$out/startup.json" \
    "$cli score $root/samples/vendors/qwen.yaml --as-of 2026-03-05 --quiet" > "$out/startup.txt" 2>&1
  python3 -c "import json;r=json.load(open('$out/startup.json'))['results'][0];print(f\"median {r['median']*1000:.0f} ms (mean {r['mean']*1000:.0f} ms, min {r['min']*1000:.0f} ms; target <= 200 ms)\")"
else
  for i in $(seq 23); do s=$(date +%s%N); "$cli" score "$root/samples/vendors/qwen.yaml" --as-of 2026-03-05 --quiet > /dev/null; echo $(( ($(date +%s%N) - s) / 1000000 )); done | tail -20 | sort -n | sed -n 10p | xargs -I{} echo "median {} ms (date loop; target <= 200 ms)"
fi

bench="$here/bin/Release/net10.0/LicenseRisk.Benchmarks.dll"
for n in $counts; do
  dir="$data/$n"
  [ -d "$dir/vendors" ] || dotnet "$bench" write-dossiers "$dir" "$n" 50
  /usr/bin/time -f "%M %e" -o "$out/time-$n.txt" "$cli" score "$dir/vendors" --rules "$dir/pack" --as-of 2026-03-01 --format json --output "$out/scores-$n.json" --quiet
  read -r kb secs < "$out/time-$n.txt"
  echo "score $n dossiers (50 signals, 100 rules) from disk: peak RSS $((kb / 1024)) MB, ${secs} s (target < 250 MB, flat)"
done

n="${LR_BENCH_SCALE:-5000}"
dir="$data/$n"
[ -d "$dir/vendors" ] || dotnet "$bench" write-dossiers "$dir" "$n" 50
run() { local s; s=$(date +%s%N); taskset -c "$1" "$cli" score "$dir/vendors" --rules "$dir/pack" --as-of 2026-03-01 --format json --output "$out/scale.json" --quiet; echo $(( ($(date +%s%N) - s) / 1000000 )); }
one=$(run 0); two=$(run 0,1); one=$(( (one + $(run 0)) / 2 )); two=$(( (two + $(run 0,1)) / 2 ))
python3 -c "print(f'score {$n} dossiers: 1 core {$one} ms, 2 cores {$two} ms: {$one/$two:.2f}x (target >= 1.7x)')"
