#!/usr/bin/env bash
# xleave.sh - client-seen offset error of our ntpd in basic and interleaved mode (RFC 9769) on loopback.
#
# Builds bench/xleave-probe.c, starts dist/ntpd (observe-only, local clock at stratum 1, no
# CAP_SYS_TIME) on 127.0.0.38:123, and runs the probe at RATE requests/s for SECONDS, alternating
# basic and interleaved runs ROUNDS times; prints the probe's line for each run. With CHRONYD=path it
# also measures chronyd (-x) on 127.0.0.39 the same way, side by side. Bounded: every run stops by itself.
#   bench/xleave.sh [RATE] [SECONDS] [ROUNDS]      (default 2000 10 3; needs root for port 123)
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RATE="${1:-2000}"; SECONDS_PER_RUN="${2:-10}"; ROUNDS="${3:-3}"
WORK="$(mktemp -d -t stratum-xleave.XXXXXX)"; chmod 700 "$WORK"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
NOTIME=(setpriv --bounding-set -sys_time --inh-caps -sys_time --)

gcc -O2 -Wall -o "$WORK/xleave-probe" "$REPO/bench/xleave-probe.c" -lm
cat > "$WORK/ntp.conf" <<CONF
disable ntp
server 127.127.1.0
fudge 127.127.1.0 stratum 1
interface ignore all
interface listen 127.0.0.38
restrict default
CONF
"${NOTIME[@]}" timeout 900 "$REPO/dist/ntpd" -n -c "$WORK/ntp.conf" -l "$WORK/ntpd.log" & PIDS+=($!)
targets=(127.0.0.38)
if [ -n "${CHRONYD:-}" ]; then
  cat > "$WORK/chrony.conf" <<CONF
bindaddress 127.0.0.39
port 123
local stratum 1
allow 127.0.0.0/8
cmdport 0
pidfile $WORK/chronyd.pid
CONF
  "${NOTIME[@]}" timeout 900 "$CHRONYD" -x -d -u root -f "$WORK/chrony.conf" 2>"$WORK/chronyd.err" & PIDS+=($!)
  targets+=(127.0.0.39)
fi
sleep 3
echo "xleave.sh: $(date -u +%FT%TZ), $(nproc) CPUs, $(uname -r), commit $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo ?)"
for ((round = 1; round <= ROUNDS; round++)); do
  for target in "${targets[@]}"; do
    for mode in "" "-x"; do
      printf '%s ' "$target"
      "$WORK/xleave-probe" -a "$target" -r "$RATE" -d "$SECONDS_PER_RUN" $mode
    done
  done
done
