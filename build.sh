#!/usr/bin/env bash
# build.sh - publish the four NativeAOT executables into dist/:
#   dist/ntpd dist/ntpq dist/ntpdc dist/ntpdate   (Release, linux-x64)
# The interop tests (tests/Stratum.Interop.Tests) run these binaries.
# Limits: Linux x64 only; NativeAOT needs a C toolchain (clang or gcc) to link.
# The projects are published one after another: they share Stratum.Core's
# obj/ directory, and a parallel publish would race on it. Any failure stops
# the script with a non-zero exit and names the tool that failed.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DIST="$REPO/dist"
TOOLS=(ntpd ntpq ntpdc ntpdate)

cd "$REPO"
command -v dotnet >/dev/null || { echo "build.sh: dotnet SDK not on PATH" >&2; exit 1; }
rm -rf "$DIST"
mkdir -p "$DIST"
for t in "${TOOLS[@]}"; do
  echo "build.sh: publishing $t (NativeAOT, Release, linux-x64)"
  if ! dotnet publish "src/$t/$t.csproj" -c Release -r linux-x64 -o "$DIST" -nologo -v quiet -clp:NoSummary; then
    echo "build.sh: FAILED to publish $t" >&2
    exit 1
  fi
  [ -x "$DIST/$t" ] || { echo "build.sh: $t published but $DIST/$t is missing or not executable" >&2; exit 1; }
done
# Native debug symbols stay beside the binaries (dist/*.dbg); managed .pdb files of the libraries
# are of no use to a NativeAOT binary.
rm -f "$DIST"/*.pdb
echo "build.sh: done: $(cd "$DIST" && ls "${TOOLS[@]}" | tr '\n' ' ')"
