#!/usr/bin/env bash
# The CI gate path as a CI job runs it, end to end, timed as whole processes:
#   install the licenserisk tool from a local package (a fresh NuGet cache and tool folder each
#   time, as on a fresh runner), then one `score` of 20 dossiers with the gate, writing the
#   annotations, the SARIF log and the Markdown summary.
# Beside it, in the same run: the same three outputs from three separate `score` runs (the
# README's recipe before `--FORMAT-output`), through the same installed tool.
# Usage: tests/LicenseRisk.Benchmarks/ci-gate.sh [ROUNDS]   (default 5; medians are printed)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rounds="${1:-5}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Not timed: the package a release would publish, and the 20 dossiers.
version="0.0.0-gate.$(date +%s)"
dotnet pack "$root/src/LicenseRisk.Cli" -c Release -o "$work/nupkg" -p:MinVerVersionOverride="$version" -nologo -v q > "$work/pack.log"
mkdir -p "$work/repo/vendors"
# The first 20 dossiers of distinct vendors from samples/vendors, samples/cases, samples/library.
python3 - "$root" "$work/repo/vendors" <<'PY'
import glob, os, re, shutil, sys
root, to = sys.argv[1], sys.argv[2]
seen = set()
for d in ("vendors", "cases", "library"):
    for f in sorted(glob.glob(os.path.join(root, "samples", d, "*.yaml"))):
        m = re.search(r"^vendor:\s*\n\s+id:\s*(\S+)", open(f).read(), re.M)
        if m and m.group(1) not in seen and len(seen) < 20:
            seen.add(m.group(1))
            shutil.copy(f, to)
PY
cat > "$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration><packageSources><clear /><add key="local" value="$work/nupkg" /></packageSources></configuration>
XML
echo "$(ls "$work/repo/vendors" | wc -l) dossiers; $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); dotnet $(dotnet --version); load $(cut -d" " -f1-3 /proc/loadavg)"

ms() { local s=$(date +%s%N); "$@" > /dev/null 2>&1 || [ $? -eq 1 ]; echo $(( ($(date +%s%N) - s) / 1000000 )); }
for i in $(seq "$rounds"); do
  tool="$work/tool-$i"
  export NUGET_PACKAGES="$work/nuget-$i"
  install=$(ms dotnet tool install licenserisk --tool-path "$tool" --version "$version" --configfile "$work/nuget.config")
  cd "$work/repo"
  one=$(ms "$tool/licenserisk" score vendors --fail-on high --format github --sarif-output gate.sarif --markdown-output summary.md)
  three=$(( $(ms "$tool/licenserisk" score vendors --fail-on high --format github -q) \
    + $(ms "$tool/licenserisk" score vendors --fail-on high --format sarif --output gate3.sarif -q) \
    + $(ms "$tool/licenserisk" score vendors --format markdown --output summary3.md -q) ))
  cmp -s gate.sarif gate3.sarif && cmp -s summary.md summary3.md || { echo "one run and three runs wrote different files" >&2; exit 1; }
  cd - > /dev/null
  echo "round $i: install ${install} ms, score once (3 outputs) ${one} ms, total $((install + one)) ms; three score runs ${three} ms"
  echo "$install $one $((install + one)) $three" >> "$work/times"
done
python3 - "$work/times" <<'PY'
import statistics, sys
rows = [list(map(int, l.split())) for l in open(sys.argv[1])]
m = [statistics.median(c) for c in zip(*rows)]
print(f"median of {len(rows)}: install {m[0]:.0f} ms + score {m[1]:.0f} ms = gate path {m[2]:.0f} ms; "
      f"three separate score runs {m[3]:.0f} ms ({m[3] / m[1]:.2f}x the one run)")
PY
