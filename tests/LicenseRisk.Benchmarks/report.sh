#!/usr/bin/env bash
# The weekly report at scale, as whole processes: `licenserisk report` against
# `licenserisk score --format json` on the same vendors (generated from the samples, bundled
# pack), in interleaved rounds (the order alternates), with each process's peak RSS from
# /usr/bin/time. Each report run writes into a fresh folder holding the history of the week
# before, so it does a weekly run's whole work: score, store, compare, trend, three files.
# Usage: tests/LicenseRisk.Benchmarks/report.sh [ROUNDS]   (default 5)
#   LR_REPORT_VENDORS=1000   how many vendors
#   LR_CLI=path/licenserisk  measure that build instead of publishing this tree (ReadyToRun)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
rounds="${1:-5}"
n="${LR_REPORT_VENDORS:-1000}"
out="$root/artifacts/benchmarks/report"
mkdir -p "$out"

cli="${LR_CLI:-}"
if [ -z "$cli" ]; then
  dotnet publish "$root/src/LicenseRisk.Cli" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -o "$out/publish" -nologo -v q > "$out/publish.log" 2>&1 || { cat "$out/publish.log"; exit 1; }
  cli="$out/publish/licenserisk"
fi

bench="$here/bin/Release/net10.0/LicenseRisk.Benchmarks.dll"
[ -f "$bench" ] || dotnet build "$here/LicenseRisk.Benchmarks.csproj" -c Release -nologo -v q
vendors="$out/vendors-$n"
[ -d "$vendors" ] || dotnet "$bench" write-sample-vendors "$root/samples/vendors" "$vendors" "$n"

# The week before, once: its history is copied into every measured run's folder.
rm -rf "$out/seed"
"$cli" report --vendors "$vendors" --output-dir "$out/seed" --as-of 2026-11-22 --quiet

score() { /usr/bin/time -f "%e %M" -o "$out/t" "$cli" score "$vendors" --as-of 2026-11-29 --format json --output "$out/scores.json" --quiet; echo "score $(cat "$out/t")" >> "$out/times.txt"; }
report() {
  rm -rf "$out/run" && mkdir -p "$out/run" && cp "$out/seed/history.db" "$out/run/"
  /usr/bin/time -f "%e %M" -o "$out/t" "$cli" report --vendors "$vendors" --output-dir "$out/run" --as-of 2026-11-29 --quiet
  echo "report $(cat "$out/t")" >> "$out/times.txt"
}

rm -f "$out/times.txt"
for r in $(seq "$rounds"); do
  if [ $((r % 2)) -eq 1 ]; then score; report; else report; score; fi
done

python3 - "$out/times.txt" "$n" <<'PY'
import sys, statistics
rows = [l.split() for l in open(sys.argv[1])]
score = [(float(t), int(kb)) for k, t, kb in rows if k == 'score']
report = [(float(t), int(kb)) for k, t, kb in rows if k == 'report']
ratios = [r[0] / s[0] for s, r in zip(score, report)]
med = lambda xs: statistics.median(xs)
print(f"{sys.argv[2]} vendors, {len(ratios)} rounds: score --format json median {med([s[0] for s in score]):.2f} s, "
      f"report median {med([r[0] for r in report]):.2f} s")
print(f"report / score time: median {med(ratios):.2f}x (rounds {min(ratios):.2f}x to {max(ratios):.2f}x; target <= 2x)")
print(f"peak RSS: report {max(r[1] for r in report) // 1024} MB (target < 200 MB), score {max(s[1] for s in score) // 1024} MB (highest over the rounds)")
PY
