#!/usr/bin/env bash
# Runs one test command next to a real pcscd + vpcd, inside a private network namespace.
#
#   unshare -n bash scripts/pcsc-harness.sh <command> [args...]
#
# vpcd (vsmartcard) makes pcscd listen on 0.0.0.0, so this refuses to run in the host namespace.
# The command itself starts pcscd (tests/support/pcsc-daemon.ts) so it can restart it; this script
# brings up loopback, removes pcscd processes left behind by an aborted run of this harness (they
# carry "kiosk-pcsc-harness" in their command line), refuses to run next to a foreign pcscd (the
# /run/pcscd socket is global: one daemon at a time), and on exit kills the command and every
# harness pcscd. Needs root and the Debian packages pcscd and vsmartcard-vpcd.
set -uo pipefail

MARKER=kiosk-pcsc-harness

if [ "$#" -lt 1 ]; then
  echo "usage: unshare -n bash $0 <command> [args...]" >&2
  exit 2
fi
# A fresh namespace from `unshare -n` has nothing but loopback; anything else means vpcd's
# 0.0.0.0 listeners would be reachable from outside.
links=$(ip -o link show) || exit 2
if [ -n "$(printf '%s\n' "$links" | grep -v ': lo:')" ]; then
  echo "pcsc-harness: refusing to run in the host network namespace (use: unshare -n bash $0 ...)" >&2
  exit 2
fi

# Live (non-zombie) pcscd processes; with "ours", only those started by this harness.
pcscd_pids() {
  local pid state cmd
  for pid in $(pgrep -x pcscd); do
    state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || continue
    [ "$state" = Z ] && continue
    cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || continue
    if [ "${1:-}" = ours ]; then
      case "$cmd" in *"$MARKER"*) echo "$pid" ;; esac
    else
      echo "$pid"
    fi
  done
}
harness_pcscd_pids() { pcscd_pids ours; }

kill_harness_pcscd() {
  local pids i
  pids=$(harness_pcscd_pids)
  [ -z "$pids" ] && return 0
  kill $pids 2>/dev/null
  for i in $(seq 30); do
    [ -z "$(harness_pcscd_pids)" ] && return 0
    sleep 0.1
  done
  kill -9 $(harness_pcscd_pids) 2>/dev/null
  sleep 0.1
}

child=
cleanup() {
  if [ -n "$child" ]; then kill -- "-$child" 2>/dev/null; wait "$child" 2>/dev/null; fi
  kill_harness_pcscd
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip link set lo up || exit 2
# vpcd sends each frame's length and payload in two writes; with Nagle on its side and delayed
# ACKs on ours every APDU would wait ~40 ms. Loopback routes with quickack take that out.
for dst in 127.0.0.1 127.0.0.0/8; do
  ip route replace local "$dst" dev lo proto kernel scope host src 127.0.0.1 table local quickack 1 || exit 2
done
kill_harness_pcscd
if [ -n "$(pcscd_pids)" ]; then
  echo "pcsc-harness: another pcscd is running (pid $(pcscd_pids | tr '\n' ' ')); stop it first" >&2
  exit 3
fi

export KIOSK_PCSC_NETNS=1
# Own process group, so the cleanup reaches the command's children too.
set -m
"$@" &
child=$!
set +m
wait "$child"
rc=$?
child=
exit "$rc"
