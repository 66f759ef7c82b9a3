#!/usr/bin/env bash
# sim.sh - run a whole daemon as a node of clknetsim (the LD_PRELOAD clock-and-network
# simulator of chrony's test suite) through the accuracy harness, with Stratum's
# additions to the harness's .NET preload.
#
#   tests/sim/sim.sh [harness options...]     e.g.
#   tests/sim/sim.sh --client cmd --label stratum --cmd 'dist/ntpd -n -c @CONF@' --scenario S3 --seeds 5
#   tests/sim/sim.sh --client chronyd --scenario tests/sim/scenarios/S4.conf --seeds 5
#
# The harness (run.sh, its scenarios, metrics and preloads) and the clknetsim source
# are not part of this repository: they are found in $STRATUM_SIM_HARNESS and
# $STRATUM_CLKNETSIM (by default where this machine's shared test tools keep
# them, see the two assignments below). This script copies
# the harness into a private cache folder, appends preload/stratum_thread_shim.c
# (why: see that file) to the copy's dotnet_shim.c, and runs the copy with every
# option passed through. Exit status: the harness's (0: every run completed;
# 1: a run failed; 2: bad command line); 3 when the harness cannot be found.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
HARNESS="${STRATUM_SIM_HARNESS:-$REPO/../shared/sim}"
CLKNETSIM="${STRATUM_CLKNETSIM:-$HARNESS/../clknetsim}"

if [ ! -x "$HARNESS/run.sh" ] || [ ! -f "$CLKNETSIM/client.c" ]; then
	echo "sim.sh: no clknetsim harness: need $HARNESS/run.sh and $CLKNETSIM/client.c" \
		"(set STRATUM_SIM_HARNESS and STRATUM_CLKNETSIM)" >&2
	exit 3
fi
HARNESS="$(cd "$HARNESS" && pwd)"
CLKNETSIM="$(cd "$CLKNETSIM" && pwd)"

CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/stratum-sim"
mkdir -p "$CACHE" || { echo "sim.sh: cannot create $CACHE" >&2; exit 1; }
hash=$( (cd "$HARNESS" && find . -type f -print0 | sort -z | xargs -0 sha256sum
	sha256sum "$HERE"/preload/*.c) | sha256sum | cut -c1-16)
COPY="$CACHE/harness-$hash"
if [ ! -x "$COPY/run.sh" ]; then
	tmp=$(mktemp -d "$CACHE/harness.XXXXXX")
	cp -R "$HARNESS"/. "$tmp"/
	chmod -R u+w "$tmp"
	for f in "$HERE"/preload/*.c; do
		printf '\n/* ---- appended by tests/sim/sim.sh: %s ---- */\n' "$(basename "$f")" >>"$tmp/preload/dotnet_shim.c"
		cat "$f" >>"$tmp/preload/dotnet_shim.c"
	done
	rm -rf "$COPY"
	mv -T "$tmp" "$COPY" 2>/dev/null || rm -rf "$tmp"
fi
exec "$COPY/run.sh" --clknetsim "$CLKNETSIM" "$@"
