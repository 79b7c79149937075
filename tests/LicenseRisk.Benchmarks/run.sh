#!/usr/bin/env bash
# Builds the benchmarks in Release, runs the suite (scoring throughput and 1,000-rule pack
# compilation against NRules fluent, RulesEngine and a plain loop) and prints the ratios.
# Then cli.sh measures the published CLI as a whole process (start-up, memory, cores).
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

echo "== paired scoring rounds (one process; ratios within each round, median over 31 rounds)"
echo "   after checking that LicenseRisk, NRules fluent, RulesEngine and the plain loop agree on 300 dossiers"
dotnet "$dll" paired 31 400 | tee "$out/paired.txt"

echo "== BenchmarkDotNet (results in $out)"
(cd "$out" && dotnet "$dll" --filter '*ScoringBenchmarks*' '*CompileBenchmarks*' --join --artifacts "$out" "$@" > "$out/run.log" 2>&1) || { tail -50 "$out/run.log"; exit 1; }

csv="$(ls "$out"/results/*-report.csv | head -1)"
echo
echo "== summary ($(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg))"
python3 - "$csv" "$out/paired.txt" <<'PY'
import csv, sys, re
rows = list(csv.DictReader(open(sys.argv[1])))
def mean_ns(v):
    v = v.replace(',', '')
    m = re.match(r'([\d.]+)\s*(ns|μs|us|ms|s)', v)
    n, u = float(m.group(1)), m.group(2)
    return n * {'ns': 1, 'μs': 1e3, 'us': 1e3, 'ms': 1e6, 's': 1e9}[u]
t = {}
for r in rows:
    t[(r['Type'], r['Method'])] = mean_ns(r['Mean'])
    alloc = r.get('Allocated', '')
    print(f"{r['Type']:<20} {r['Method']:<22} {r['Mean']:>14}  allocated {alloc}")
s = lambda m: t[('ScoringBenchmarks', m)]
c = lambda m: t[('CompileBenchmarks', m)]
paired = {}
for line in open(sys.argv[2]):
    m = re.match(r'paired ratio (\S+) / LicenseRisk: median ([\d.]+)x \(min ([\d.]+)x, max ([\d.]+)x\)', line)
    if m:
        paired[m.group(1)] = (float(m.group(2)), m.group(3), m.group(4))
def both(name):
    p = paired[name]
    return f"{p[0]:.2f}x paired median (rounds {p[1]}x to {p[2]}x); BenchmarkDotNet means {s(name) / s('LicenseRisk'):.2f}x"
print()
print(f"scoring throughput vs NRules fluent: {both('NRulesFluent')}   (target >= 1.00x)")
print(f"scoring throughput vs RulesEngine:   {both('RulesEngine')}   (target >= 1.50x)")
print(f"scoring throughput vs plain loop:    {both('PlainLoop')}   (the floor; reported only)")
print(f"1,000-rule compile, fluent / LicenseRisk: {c('NRulesFluent') / c('LicenseRiskFromYaml'):.2f}x   (target >= 3.00x)")
PY

echo
echo "== CLI as a whole process (ReadyToRun publish)"
"$here/cli.sh"
