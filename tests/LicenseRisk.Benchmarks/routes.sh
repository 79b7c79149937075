#!/usr/bin/env bash
# Whole-process speed of the install routes, each side by side with a fair baseline in one
# hyperfine run (docs/performance.md, "Install routes: start-up and throughput"):
#  1. start-up: `score` of one dossier through the Native AOT binary and through the .NET tool
#     (framework-dependent, through its shim), with a trivial Native AOT console app and a trivial
#     framework-dependent one (apphost) that print one line;
#  2. the CI gate path end to end, per route: install (unpack the archive / dotnet tool install
#     from the local package), score 20 dossiers against a policy in one run writing GitHub
#     annotations, SARIF and the Markdown job summary;
#  3. throughput: `score` of N generated dossiers (100 rules, 50 signals each; LR_ROUTES_COUNTS,
#     default "2000 10000"): the AOT binary interprets rule expressions, the tool compiles them.
# Needs hyperfine (Debian: apt-get install hyperfine) and what .ci/publish needs (clang, zlib1g-dev).
# Results in artifacts/benchmarks/routes/.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
out="$root/artifacts/benchmarks/routes"
counts="${LR_ROUTES_COUNTS:-2000 10000}"
runs="${LR_ROUTES_RUNS:-30}"
command -v hyperfine > /dev/null || { echo "hyperfine is needed (apt-get install hyperfine)" >&2; exit 1; }
rm -rf "$out/tool" "$out/nupkg" "$out"/*.json "$out"/*.md
mkdir -p "$out"

# The AOT archive as a release ships it, and the tool package as `dotnet pack` makes it.
archive=$(ls "$root"/artifacts/publish/licenserisk-*-linux-x64.tar.gz 2> /dev/null | head -n 1 || true)
if [ -z "$archive" ]; then
  "$root/.ci/publish" linux-x64 > "$out/publish.log"
  archive=$(ls "$root"/artifacts/publish/licenserisk-*-linux-x64.tar.gz | head -n 1)
fi
aot_dir="$out/aot"
rm -rf "$aot_dir" && mkdir -p "$aot_dir" && tar -xzf "$archive" -C "$aot_dir" --strip-components=1
aot="$aot_dir/licenserisk"
version=0.0.0-routes
dotnet pack "$root/src/LicenseRisk.Cli" -c Release -o "$out/nupkg" -p:MinVerVersionOverride=$version -nologo -v q > "$out/pack.log"
cat > "$out/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration><packageSources><clear /><add key="local" value="$out/nupkg" /></packageSources></configuration>
XML
install_tool() { dotnet tool install licenserisk --tool-path "$1" --version $version --configfile "$out/nuget.config" > /dev/null; }
install_tool "$out/tool"
tool="$out/tool/licenserisk"

# Trivial console apps, outside the repository's build settings (same invariant globalization).
hello="$out/hello"
if [ ! -x "$hello/aot/hello" ] || [ ! -x "$hello/fd/hello" ]; then
  rm -rf "$hello" && mkdir -p "$hello/src"
  echo '<Project />' > "$hello/src/Directory.Build.props"
  echo '<Project />' > "$hello/src/Directory.Build.targets"
  echo '<Project />' > "$hello/src/Directory.Packages.props"
  cat > "$hello/src/hello.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <InvariantGlobalization>true</InvariantGlobalization>
  </PropertyGroup>
</Project>
XML
  echo 'System.Console.WriteLine("hello");' > "$hello/src/Program.cs"
  dotnet publish "$hello/src" -c Release -r linux-x64 -p:PublishAot=true -o "$hello/aot" -nologo -v q > "$hello/publish.log"
  dotnet publish "$hello/src" -c Release -o "$hello/fd" -nologo -v q >> "$hello/publish.log"
fi

qwen="$root/samples/vendors/qwen.yaml"
echo "== 1. start-up: score one dossier (samples/vendors/qwen.yaml), $runs runs each, load $(cut -d' ' -f1-3 /proc/loadavg)"
hyperfine -N --warmup 3 --runs "$runs" --export-json "$out/startup.json" --export-markdown "$out/startup.md" \
  -n "trivial Native AOT app" "$hello/aot/hello" \
  -n "licenserisk Native AOT: score" "$aot score $qwen --as-of 2026-03-05" \
  -n "trivial framework-dependent app" "$hello/fd/hello" \
  -n "licenserisk .NET tool: score" "$tool score $qwen --as-of 2026-03-05" > "$out/startup.txt"
python3 - "$out/startup.json" <<'PY'
import json, sys
r = {x['command']: x for x in json.load(open(sys.argv[1]))['results']}
ms = lambda n: r[n]['median'] * 1000
for a, b in [("licenserisk Native AOT: score", "trivial Native AOT app"), ("licenserisk .NET tool: score", "trivial framework-dependent app")]:
    cpu = lambda n: (r[n]['user'] + r[n]['system']) * 1000
    print(f"{a}: median {ms(a):.0f} ms, CPU {cpu(a):.0f} ms; {b}: {ms(b):.0f} ms, CPU {cpu(b):.0f} ms; ratio {ms(a) / ms(b):.1f}x wall, {cpu(a) / cpu(b):.1f}x CPU (target <= 3x)")
PY

# The CI gate: 20 dossiers (samples/library), the sample policy, SARIF for code scanning and the
# Markdown job summary; the gate's exit 1 (a vendor over the policy) is the expected outcome.
gate="$out/gate"
rm -rf "$gate" && mkdir -p "$gate/vendors"
ls "$root"/samples/library/*.yaml | head -n 20 | xargs -I{} cp {} "$gate/vendors/"
cat > "$gate/aot.sh" <<SH
rm -rf "$gate/run" && mkdir -p "$gate/run" && cd "$gate/run"
tar -xzf "$archive" && bin=\$(ls -d licenserisk-*/)licenserisk
\$bin score "$gate/vendors" --policy "$root/samples/policies/acme.yaml" --as-of 2026-11-29 --format github --sarif-output licenserisk.sarif --markdown-output summary.md > /dev/null
exit 0
SH
cat > "$gate/tool.sh" <<SH
rm -rf "$gate/run" && mkdir -p "$gate/run" && cd "$gate/run"
dotnet tool install licenserisk --tool-path tools --version $version --configfile "$out/nuget.config" > /dev/null
tools/licenserisk score "$gate/vendors" --policy "$root/samples/policies/acme.yaml" --as-of 2026-11-29 --format github --sarif-output licenserisk.sarif --markdown-output summary.md > /dev/null
exit 0
SH
echo "== 2. CI gate end to end: install, score 20 dossiers to annotations, SARIF and the Markdown summary in one run"
hyperfine -N --warmup 1 --runs 5 --export-json "$out/gate.json" --export-markdown "$out/gate.md" \
  -n "Native AOT archive" "bash $gate/aot.sh" \
  -n ".NET tool" "bash $gate/tool.sh" > "$out/gate.txt"
[ -s "$gate/run/licenserisk.sarif" ] && [ -s "$gate/run/summary.md" ] || { echo "the gate wrote no SARIF or summary" >&2; exit 1; }
python3 -c "
import json
for x in json.load(open('$out/gate.json'))['results']:
    print(f\"{x['command']}: median {x['median']:.2f} s (min {x['min']:.2f} s)\")"

echo "== 3. throughput: score N generated dossiers (100 rules, 50 signals), --format json to a file"
bench="$here/bin/Release/net10.0/LicenseRisk.Benchmarks.dll"
[ -f "$bench" ] || dotnet build "$here/LicenseRisk.Benchmarks.csproj" -c Release -nologo -v q > /dev/null
for n in $counts; do
  dir="$root/artifacts/benchmarks/data/$n"
  [ -d "$dir/vendors" ] || dotnet "$bench" write-dossiers "$dir" "$n" 50 > /dev/null
  hyperfine -N --runs 3 --export-json "$out/throughput-$n.json" \
    -n "Native AOT (interpreted)" "$aot score $dir/vendors --rules $dir/pack --as-of 2026-03-01 --format json --output $out/scores-aot.json" \
    -n ".NET tool (compiled)" "$tool score $dir/vendors --rules $dir/pack --as-of 2026-03-01 --format json --output $out/scores-tool.json" > "$out/throughput-$n.txt"
  cmp -s "$out/scores-aot.json" "$out/scores-tool.json" || { echo "the AOT binary and the tool scored $n dossiers differently" >&2; exit 1; }
  python3 -c "
import json
r = {x['command']: x['median'] for x in json.load(open('$out/throughput-$n.json'))['results']}
a, t = r['Native AOT (interpreted)'], r['.NET tool (compiled)']
print(f'$n dossiers: Native AOT {a:.1f} s ({$n / a:.0f}/s), .NET tool {t:.1f} s ({$n / t:.0f}/s): AOT takes {a / t:.2f}x the time; same JSON')"
done
