#!/usr/bin/env bash
# serverpath.sh - replies/s and daemon CPU per reply of one or more ntpd binaries on loopback,
# interleaved round by round so that each binary sees the same machine load (for before/after
# comparisons of the server datagram path).
#
#   bench/serverpath.sh [--rounds N] [--dur S] [--socks "1 4 64"] [--addr 127.0.0.37] \
#       LABEL=BINARY[:ARGS] ...
#   e.g. bench/serverpath.sh before=/tmp/before/ntpd after=dist/ntpd \
#        'after-st1=dist/ntpd:--server-threads 1' 'after-b1=dist/ntpd:--io-batch 1'
#
# For each round and each binary: start it (pinned to CPU1, under setpriv without CAP_SYS_TIME,
# `disable ntp`, serving a local clock on ADDR:123 only), wait for its first reply, run
# `ntpload -a ADDR -d DUR -s SOCKS -W 64` pinned to CPU0 once per socket count, read the daemon's
# CPU time (utime + stime of all its threads, /proc/PID/stat) around each run, stop it by its PID.
# Prints one line per run: label, round, sockets, replies/s, loss %, daemon CPU %, µs CPU per reply.
# Safety: only 127.0.0.0/8; every load run bounded by -d (at most 10 s here); the daemon never
# disciplines the clock (`disable ntp`) and has no CAP_SYS_TIME.
set -uo pipefail

ROUNDS=3 DUR=2 SOCKS="1 4 64" ADDR=127.0.0.37
NTPLOAD="${NTPLOAD:-ntpload}"
W="${SERVERPATH_DIR:-/tmp/stratum-serverpath}"
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift ;;
    --dur) DUR="$2"; shift ;;
    --socks) SOCKS="$2"; shift ;;
    --addr) ADDR="$2"; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    --*) echo "unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
  shift
done
[ $# -ge 1 ] || { echo "usage: $0 [options] LABEL=BINARY[:ARGS] ..." >&2; exit 2; }
case "$ADDR" in 127.*) ;; *) echo "loopback addresses only" >&2; exit 2 ;; esac
awk -v d="$DUR" 'BEGIN{exit !(d>0 && d<=10)}' || { echo "--dur must be in (0, 10]" >&2; exit 2; }
[ "$ROUNDS" -ge 1 ] 2>/dev/null && [ "$ROUNDS" -le 10 ] || { echo "--rounds must be 1-10" >&2; exit 2; }
command -v "$NTPLOAD" >/dev/null || { echo "no ntpload (set NTPLOAD)" >&2; exit 2; }

mkdir -p "$W/run"
cat >"$W/ntp.conf" <<EOF
server 127.127.1.0
fudge 127.127.1.0 stratum 10
disable ntp
interface ignore wildcard
interface listen $ADDR
interface ignore 127.0.0.1
interface ignore ::1
EOF
TICK=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

run_one() { # label round binary args...
  local label="$1" round="$2" bin="$3"; shift 3
  rm -f "$W/run/ntpd.pid"
  taskset -c 1 setpriv --bounding-set -sys_time --inh-caps -sys_time -- \
    "$bin" -n -c "$W/ntp.conf" -l "$W/run/$label.log" "$@" &
  local pid=$!
  local ok=0
  for _ in $(seq 1 100); do
    if "$NTPLOAD" -i -a "$ADDR" >/dev/null 2>&1; then ok=1; break; fi
    sleep 0.05
  done
  if [ "$ok" = 1 ]; then
    sleep 0.2
    for s in $SOCKS; do
      local before after out
      before=$(cpu_ticks "$pid")
      out=$(taskset -c 0 "$NTPLOAD" -q -a "$ADDR" -d "$DUR" -s "$s" -W 64 2>&1)
      after=$(cpu_ticks "$pid")
      echo "$out" | awk -v label="$label" -v round="$round" -v ticks=$((after - before)) -v hz="$TICK" '
        /^RESULT/ {
          for (i = 2; i <= NF; i++) { split($i, kv, "="); r[kv[1]] = kv[2] }
          cpu = ticks / hz
          per = 0
          if (r["replies"] > 0) per = 1e6 * cpu / r["replies"]
          printf "%-14s round %d  socks %3d  replies/s %8d  loss %6.3f%%  daemon CPU %5.1f%%  us/reply %.2f  gen CPU %s%%\n",
            label, round, r["socks"], r["rx_per_s"], r["loss_pct"], 100 * cpu / r["wall_s"], per, r["gen_cpu_pct"]
        }'
    done
  else
    echo "$label round $round: no reply from $ADDR within 5 s" >&2
  fi
  kill -TERM "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
}

echo "# $(date -u '+%Y-%m-%d %H:%M:%S UTC')  load: $(cut -d' ' -f1-3 /proc/loadavg)  addr $ADDR  dur ${DUR}s  window 64"
for round in $(seq 1 "$ROUNDS"); do
  for spec in "$@"; do
    label="${spec%%=*}" rest="${spec#*=}"
    bin="${rest%%:*}" args=""
    [ "$rest" != "$bin" ] && args="${rest#*:}"
    # shellcheck disable=SC2086
    run_one "$label" "$round" "$bin" $args
  done
done | tee "$W/runs.txt"
echo "# end $(date -u '+%H:%M:%S UTC')  load: $(cut -d' ' -f1-3 /proc/loadavg)"
# Medians over the rounds, per binary and socket count.
echo "# medians: label socks replies/s us/reply"
awk '/ round / { key = $1 " " $5; rate[key] = rate[key] " " $7; cpu[key] = cpu[key] " " $14; if (!(key in seen)) { seen[key] = 1; order[n++] = key } }
  function median(list,   a, k, i, j, t) {
    k = split(list, a, " ")
    for (i = 2; i <= k; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] + 0 > t + 0; j--) a[j + 1] = a[j]; a[j + 1] = t }
    return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
  }
  END { for (i = 0; i < n; i++) printf "%-24s %9d %6.2f\n", order[i], median(rate[order[i]]), median(cpu[order[i]]) }' "$W/runs.txt"
