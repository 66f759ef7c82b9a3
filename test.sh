#!/usr/bin/env bash
# test.sh - the "run all tests" command: ./build.sh (dist/ for the interop tests),
# then every test project of Stratum.slnx in Release.
#
# Two passes: first all tests except the interop ones (test assemblies run in
# parallel), then tests/Stratum.Interop.Tests alone, so that its loopback timing
# checks (|offset| < 1 ms) do not share the 2 CPUs with CPU-heavy unit and
# simulation tests. The interop tests need root, UDP port 123 on 127.0.0.x and
# the tools that `.ci/run --install-only` installs; without them they are
# skipped (failed when CI=true).
# Then tests/sim/accuracy.sh: the built dist/ntpd as a node of the clknetsim simulator, 60
# seeded six-hour runs (about a minute) with per-seed accuracy limits; outside CI it is skipped
# with a message when the simulator harness is missing, with CI=true that fails.
# Then tests/Stratum.Fuzz/smoke.sh: a short AFL++ run of each fuzz target (about a
# minute; skipped without afl-fuzz unless CI=true; a crash fails test.sh).
# A test that hangs is killed after 5 minutes (--blame-hang-timeout) and fails.
# Each pass runs in its own session; whatever of it outlives `dotnet test` (a
# test host kept alive by a leftover thread, a daemon it started) is killed by
# PID afterwards, so it cannot hold 127.0.0.1:123 and break the next pass.
# Before the interop pass, test.sh waits (up to 10 s) until those processes are
# really gone, not zombies, and then (up to 10 s more) until nothing holds UDP
# 127.0.0.1:123; a holder still there is named and the pass runs anyway.
# Ends with one summary line "Tests: N passed, N failed, N skipped"; exits
# non-zero if the build or any test fails.
set -uo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$REPO"
LOG="$(mktemp -t stratum-test.XXXXXX)"
trap 'rm -f "$LOG"' EXIT

./build.sh || { echo "test.sh: build.sh failed" >&2; exit 1; }

COMMON=(-c Release --nologo --logger "console;verbosity=minimal" --blame-hang-timeout 5min --blame-hang-dump-type none)

KILLED=() # PIDs run_pass killed

run_pass() { # label, dotnet test arguments...
  local label=$1 sid status left
  shift
  echo "test.sh: dotnet test $label"
  # setsid in a non-interactive script execs in place: its PID is the new session's ID.
  setsid dotnet test "$@" > >(tee -a "$LOG") 2>&1 &
  sid=$!
  wait "$sid"; status=$?
  left=$(ps -o pid= -s "$sid" 2>/dev/null | tr -s ' \n' ' ')
  if [ -n "${left// /}" ]; then
    echo "test.sh: processes of '$label' still running after dotnet test ended; killing them:"
    ps -o pid,args -s "$sid" | cut -c1-160
    # shellcheck disable=SC2086
    kill -KILL $left 2>/dev/null
    # shellcheck disable=SC2206
    KILLED+=($left)
  fi
  return "$status"
}

# A killed process is gone only once reaped: a <defunct> test host whose other
# threads had not ended yet once still held 127.0.0.1:123. Those processes are
# not test.sh's children (their parent was the pass's `dotnet test`), so
# test.sh cannot reap them; it waits until their /proc entries disappear
# (init reaped them), then until `ss` shows no UDP socket on 127.0.0.1:123.
settle_before_interop() {
  local pid holders deadline=$((SECONDS + 10))
  for pid in "${KILLED[@]}"; do
    while [ -e "/proc/$pid" ] && [ "$SECONDS" -lt "$deadline" ]; do
      sleep 0.1
    done
    if [ -e "/proc/$pid" ]; then
      echo "test.sh: killed process $pid still there after 10 s: $(ps -o stat=,args= -p "$pid" | cut -c1-140)"
    fi
  done
  deadline=$((SECONDS + 10))
  while holders=$(ss -Hulnp 'sport = :123' 2>/dev/null | awk '$4 == "127.0.0.1:123"') &&
    [ -n "$holders" ] && [ "$SECONDS" -lt "$deadline" ]; do
    sleep 0.1
  done
  if [ -n "$holders" ]; then
    echo "test.sh: UDP 127.0.0.1:123 still in use after 10 s; running the interop tests anyway. Held by:"
    echo "$holders" | cut -c1-200
  fi
}

rc=0
run_pass "Stratum.slnx (all but interop)" Stratum.slnx "${COMMON[@]}" \
  --filter "FullyQualifiedName!~Stratum.Interop.Tests" || rc=1
settle_before_interop
run_pass "tests/Stratum.Interop.Tests (alone)" tests/Stratum.Interop.Tests "${COMMON[@]}" --no-build || rc=1
echo "test.sh: clknetsim accuracy (tests/sim/accuracy.sh)"
bash tests/sim/accuracy.sh || rc=1
echo "test.sh: fuzz smoke run"
bash tests/Stratum.Fuzz/smoke.sh || rc=1
sleep 0.2 # let tee flush the last lines into $LOG

# VSTest prints one line per test assembly:
#   Passed!  - Failed:     0, Passed:    12, Skipped:     0, Total:    12, Duration: ...
awk '/(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+, +Skipped: +[0-9]+/ {
       line = $0; gsub(/,/, "", line); n = split(line, w, /[ \t]+/)
       for (i = 1; i < n; i++) {
         if (w[i] == "Failed:") f += w[i+1]; else if (w[i] == "Passed:") p += w[i+1]; else if (w[i] == "Skipped:") s += w[i+1]
       }
       seen = 1
     }
     END { if (seen) printf "Tests: %d passed, %d failed, %d skipped\n", p, f, s; else print "test.sh: no test summary found" }' "$LOG"
exit $rc
