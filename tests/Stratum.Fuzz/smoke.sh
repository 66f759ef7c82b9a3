#!/usr/bin/env bash
# smoke.sh - a short AFL++ run of every Stratum.Fuzz target (ARCHITECTURE.md §9 "Fuzz").
#
# Builds tests/Stratum.Fuzz, copies its output to a work directory, instruments the copies of
# Stratum.Core.dll and Stratum.Engine.dll with the SharpFuzz tool (SharpFuzz.CommandLine, installed
# with `dotnet tool install` into $FUZZ_TOOLS when missing), then runs afl-fuzz on each target for
# $FUZZ_SECONDS seconds (default 8) from the seed corpus tests/Stratum.Fuzz/corpus/<target>.
# Fails when any target has a crash (each crashing input is printed as hex; save it under
# tests/Stratum.Fuzz/regressions/<target>/ so the replay unit test keeps it), a confirmed hang, or
# afl-fuzz cannot run. AFL's limit per execution is $FUZZ_TIMEOUT_MS (default 5000 ms, far above
# the few ms an input takes, so a busy 2-core box is not flagged); an input AFL reports as a hang
# is run again outside AFL (the uninstrumented build) with $FUZZ_HANG_CONFIRM_SECONDS (default 30 s)
# to finish: only one that still does not finish is a hang and fails the run (at most three are
# re-run per target, which bounds the time a real hang costs); the others are printed as
# unconfirmed.
#
#   tests/Stratum.Fuzz/smoke.sh                 every target, 8 s each
#   FUZZ_SECONDS=300 tests/Stratum.Fuzz/smoke.sh keys leap
#   FUZZ_SECONDS=7200 FUZZ_EXECUTIONS=10000000 tests/Stratum.Fuzz/smoke.sh server
#                                               a long run: stops after about 10 M executions
#
# Without afl-fuzz (Debian package afl++, installed by .ci/run) or the SharpFuzz tool, it prints
# a skip line and exits 0, unless CI=true: then a missing tool fails the run.
# Environment: FUZZ_SECONDS, FUZZ_EXECUTIONS (stop a target after about that many; none by default), FUZZ_TIMEOUT_MS, FUZZ_HANG_CONFIRM_SECONDS, FUZZ_TOOLS (tool path),
# FUZZ_WORK (work directory, kept when set; otherwise a temporary one is removed at the end).
set -uo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
FUZZ_DIR="$REPO/tests/Stratum.Fuzz"
SECONDS_PER_TARGET="${FUZZ_SECONDS:-8}"
EXECUTIONS_PER_TARGET="${FUZZ_EXECUTIONS:-}"
TIMEOUT_MS="${FUZZ_TIMEOUT_MS:-5000}"
HANG_CONFIRM_SECONDS="${FUZZ_HANG_CONFIRM_SECONDS:-30}"
MAX_HANGS_CONFIRMED=3
TOOLS="${FUZZ_TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/stratum-fuzz/tools}"
SHARPFUZZ_VERSION=2.3.0

say() { echo "smoke.sh: $*"; }
missing() { # what is missing: skip outside CI, fail in CI
  if [ "${CI:-}" = "true" ]; then say "FAILED: $* (CI=true)"; exit 1; fi
  say "skipped: $*"; exit 0
}

DOTNET="$(command -v dotnet)" || missing "dotnet not on PATH"
command -v afl-fuzz >/dev/null || missing "afl-fuzz not found (Debian package afl++; .ci/run installs it)"
if [ ! -x "$TOOLS/sharpfuzz" ]; then
  say "installing SharpFuzz.CommandLine $SHARPFUZZ_VERSION into $TOOLS"
  mkdir -p "$TOOLS"
  dotnet tool install SharpFuzz.CommandLine --version "$SHARPFUZZ_VERSION" --tool-path "$TOOLS" >/dev/null 2>&1 \
    || missing "cannot install the SharpFuzz.CommandLine tool (dotnet tool install failed)"
fi

if [ -n "${FUZZ_WORK:-}" ]; then
  WORK="$FUZZ_WORK"; mkdir -p "$WORK"
else
  WORK="$(mktemp -d -t stratum-fuzz.XXXXXX)"; trap 'rm -rf "$WORK"' EXIT
fi

say "building tests/Stratum.Fuzz"
dotnet build "$FUZZ_DIR/Stratum.Fuzz.csproj" -c Release --nologo -v quiet >"$WORK/build.log" 2>&1 \
  || { tail -30 "$WORK/build.log"; say "FAILED: build"; exit 1; }
rm -rf "$WORK/app" && cp -r "$FUZZ_DIR/bin/Release/net10.0" "$WORK/app"
for assembly in Stratum.Core.dll Stratum.Engine.dll; do
  "$TOOLS/sharpfuzz" "$WORK/app/$assembly" >>"$WORK/instrument.log" 2>&1 \
    || { cat "$WORK/instrument.log"; say "FAILED: sharpfuzz could not instrument $assembly"; exit 1; }
done

if [ $# -gt 0 ]; then TARGETS=("$@"); else mapfile -t TARGETS < <(dotnet "$WORK/app/Stratum.Fuzz.dll" --list); fi

# Run without the checks AFL makes for native binaries: the target is `dotnet`, instrumented by
# SharpFuzz; no core files or CPU pinning are needed (and CI may not allow them).
export AFL_SKIP_BIN_CHECK=1 AFL_NO_UI=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CPUFREQ=1 \
       AFL_NO_AFFINITY=1 AFL_QUIET=1 AFL_FORKSRV_INIT_TMOUT=30000

stat_of() { awk -F' *: *' -v k="$2" '$1 == k {print $2}' "$1" 2>/dev/null; }

failed=0
total_crashes=0
total_hangs=0
total_execs=0
for target in "${TARGETS[@]}"; do
  corpus="$FUZZ_DIR/corpus/$target"
  [ -d "$corpus" ] || { say "FAILED: no seed corpus $corpus"; failed=1; continue; }
  out="$WORK/findings/$target"
  rm -rf "$out" && mkdir -p "$WORK/findings"
  start=$(date +%s)
  timeout -k 10 $((SECONDS_PER_TARGET + 120)) \
    afl-fuzz -V "$SECONDS_PER_TARGET" ${EXECUTIONS_PER_TARGET:+-E "$EXECUTIONS_PER_TARGET"} -t "$TIMEOUT_MS" -m none -i "$corpus" -o "$out" -- \
    "$DOTNET" "$WORK/app/Stratum.Fuzz.dll" "$target" >"$WORK/afl-$target.log" 2>&1
  status=$?
  stats="$out/default/fuzzer_stats"
  if [ ! -f "$stats" ]; then
    tail -25 "$WORK/afl-$target.log"
    say "FAILED: afl-fuzz did not run target $target (exit $status)"
    failed=1
    continue
  fi
  execs=$(stat_of "$stats" execs_done); crashes=$(stat_of "$stats" saved_crashes); hangs=$(stat_of "$stats" saved_hangs)
  total_execs=$((total_execs + ${execs:-0}))
  say "$target: ${execs:-?} executions in $(( $(date +%s) - start )) s, ${crashes:-?} crashes, ${hangs:-?} hangs, $(stat_of "$stats" corpus_count) paths"
  for crash in "$out"/default/crashes/id:*; do
    [ -f "$crash" ] || continue
    failed=1
    total_crashes=$((total_crashes + 1))
    say "$target crash input $(basename "$crash") ($(stat -c %s "$crash") bytes):"
    od -A x -t x1z -v "$crash" | head -64
    # Replayed on the uninstrumented build: instrumented code needs AFL's shared memory.
    "$DOTNET" "$FUZZ_DIR/bin/Release/net10.0/Stratum.Fuzz.dll" "$target" "$crash" | tail -20
  done
  confirmed=0
  for hang in "$out"/default/hangs/id:*; do
    [ -f "$hang" ] || continue
    say "$target hang input $(basename "$hang") ($(stat -c %s "$hang") bytes): $(od -A n -t x1 -v "$hang" | tr -d ' \n' | cut -c1-160)"
    if [ "$confirmed" -ge "$MAX_HANGS_CONFIRMED" ]; then
      say "$target: not re-running $(basename "$hang") (already re-ran $MAX_HANGS_CONFIRMED)"
      continue
    fi
    confirmed=$((confirmed + 1))
    # Outside AFL, uninstrumented, with a much longer limit: a slow moment of a busy box passes,
    # a loop that does not end does not.
    hang_start=$(date +%s)
    timeout -k 5 "$HANG_CONFIRM_SECONDS" "$DOTNET" "$FUZZ_DIR/bin/Release/net10.0/Stratum.Fuzz.dll" "$target" "$hang" >"$WORK/hang-replay.log" 2>&1
    hang_status=$?
    if [ "$hang_status" -eq 124 ] || [ "$hang_status" -eq 137 ]; then
      failed=1
      total_hangs=$((total_hangs + 1))
      say "$target HANG confirmed: $(basename "$hang") did not finish in ${HANG_CONFIRM_SECONDS} s outside AFL"
    elif [ "$hang_status" -ne 0 ]; then
      failed=1
      total_crashes=$((total_crashes + 1))
      say "$target hang input $(basename "$hang") fails when run again (exit $hang_status):"
      tail -20 "$WORK/hang-replay.log"
    else
      say "$target hang not confirmed: $(basename "$hang") finished in $(( $(date +%s) - hang_start )) s outside AFL"
    fi
  done
done

if [ $total_crashes -ne 0 ] || [ $total_hangs -ne 0 ]; then
  say "FAILED: $total_crashes crashes, $total_hangs confirmed hangs (above); add each input to tests/Stratum.Fuzz/regressions/<target>/ with its fix"
  exit 1
fi
[ $failed -eq 0 ] || { say "FAILED: see above"; exit 1; }
say "ok: ${#TARGETS[@]} targets, $total_execs executions, no crashes, no confirmed hangs"
