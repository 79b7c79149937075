#!/usr/bin/env bash
# Builds the benchmarks in Release, measures scoring throughput on two workloads (synthetic and
# the bundled pack) against fair baselines (fluent NRules recording firings as LicenseRisk does,
# with the same expression compiler; the same fluent session handed to LicenseRisk's scorer so that it
# gives the same output; RulesEngine; a plain loop) and the 1,000-rule compile, as
# paired rounds in one process, then BenchmarkDotNet for absolute times, and prints the ratios.
# Then cli.sh measures the published CLI as a whole process (start-up, memory, cores), and
# report.sh the weekly report of 1,000 vendors against score --format json.
# Usage: tests/LicenseRisk.Benchmarks/run.sh [extra BenchmarkDotNet args]
#   LR_BENCH_COUNTS="10000 100000"  dossier counts for the memory runs; LR_BENCH_SCALE=5000 for 1 vs 2 cores
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
out="$root/artifacts/benchmarks"
rm -rf "$out/results" "$out/run.log"
mkdir -p "$out"

dotnet build "$here/LicenseRisk.Benchmarks.csproj" -c Release -nologo -v q
dll="$here/bin/Release/net10.0/LicenseRisk.Benchmarks.dll"

echo "== paired scoring rounds, both workloads (one process; ratios within each round, median over 31 rounds)"
echo "   after checking that every baseline gives LicenseRisk's probabilities on 300 dossiers of each workload"
echo "   (and FluentSameOutput byte for byte the same score --format json)"
dotnet "$dll" paired 31 400 | tee "$out/paired.txt"

echo "== 1,000-rule compile, paired rounds (same expression compiler for both)"
dotnet "$dll" compile 9 | tee "$out/compile.txt"

echo "== BenchmarkDotNet (absolute times and allocation; results in $out)"
(cd "$out" && dotnet "$dll" --filter '*ScoringBenchmarks*' --join --artifacts "$out" "$@" > "$out/run.log" 2>&1) || { tail -50 "$out/run.log"; exit 1; }

csv="$(ls "$out"/results/*-report.csv | head -1)"
echo
echo "== summary ($(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg))"
python3 - "$csv" "$out/paired.txt" "$out/compile.txt" <<'PY'
import csv, sys, re
for r in csv.DictReader(open(sys.argv[1])):
    print(f"{r['Type']:<28} {r['Method']:<14} {r['Mean']:>14}  allocated {r.get('Allocated', '')}")
print()
workload = None
for line in open(sys.argv[2]):
    m = re.match(r'== (\w+):', line)
    if m:
        workload = m.group(1)
    m = re.match(r'paired ratio (\S+) / LicenseRisk: median ([\d.]+)x \(min ([\d.]+)x, max ([\d.]+)x\); CPU time median ([\d.]+)x', line)
    if m:
        name, med, lo, hi, cpu = m.groups()
        # The verdict reads the CPU-time ratio: wall time on a shared machine includes waiting for a core.
        verdict = 'LicenseRisk leads' if float(cpu) > 1.05 else 'LicenseRisk trails' if float(cpu) < 0.95 else 'even'
        target = '   (target >= 1.00x)' if name == 'NRulesFluent' else '   (same output: explanations and coverage too)' if name == 'FluentSameOutput' else ''
        print(f"{workload:<10} {name:<16} / LicenseRisk: {med}x paired median (rounds {lo}x to {hi}x; CPU time {cpu}x): {verdict}{target}")
for line in open(sys.argv[3]):
    m = re.match(r'paired ratio LicenseRisk / NRulesFluent: median ([\d.]+)x \(min ([\d.]+)x, max ([\d.]+)x\); CPU time median ([\d.]+)x', line)
    if m:
        print(f"compile    LicenseRisk / NRulesFluent: {m.group(1)}x paired median (rounds {m.group(2)}x to {m.group(3)}x; CPU time {m.group(4)}x)   (target <= 1.25x)")
PY

echo
echo "== CLI as a whole process (ReadyToRun publish)"
"$here/cli.sh"

echo
echo "== weekly report at scale: report against score --format json (docs/performance.md)"
LR_CLI="$out/publish/licenserisk" "$here/report.sh"
