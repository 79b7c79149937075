#!/usr/bin/env bash
# Runs the whole hostile corpus through the real licenserisk program and prints its figures:
# each input with its exit code, time and first error, then one line of totals.
set -euo pipefail
cd "$(dirname "$0")/../../.."
dotnet test tests/LicenseRisk.Tests --filter Category=Hostile --logger "console;verbosity=detailed" 2>&1 \
  | grep -E '^\s+(hostile corpus:|.{36} exit )' | sed 's/^ *//'
