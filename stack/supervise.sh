#!/usr/bin/env bash
# The local stack's supervisor, one per service, as docker compose's `restart: unless-stopped`:
#   stack/supervise.sh NAME COMMAND...   (started by service_up under setsid nohup, output to the log)
# It runs COMMAND (the service's JVM), writes the JVM's PID to $RUN_DIR/NAME.pid (what `kill`,
# `status` and chaos's RSS sampling read), waits for it, appends each exit to $RUN_DIR/NAME.exits
# and starts it again after a backoff: 1 s, doubling to 60 s, back to 1 s after 5 minutes up.
# Exit 2 is a configuration error: a restart cannot fix it, so the service stays down and the
# record keeps its message for `status`. `down`/`restart` stop this loop first (SIGTERM), then the
# JVM, so nothing brings it back behind their back.
#
# NAME.exits, one line per exit, tab-separated (chaos's ServiceWatch reads the first four fields):
#   epoch-ms  time(UTC)  pid  how ("exit 1", "signal KILL")  seconds-up  what-next  last-error-line
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
source "$ROOT/stack/lib.sh"

name=$1
shift
log=$LOG_DIR/$name.log
exits=$RUN_DIR/$name.exits
delay=1 restarts=0 stop=0 sleeper=""

# SIGTERM only sets a flag: the loop checks it after each step, so the JVM's PID is always in its
# file before we leave (down reads it there to stop the JVM).
trap 'stop=1' TERM
trap '[ -z "$sleeper" ] || kill "$sleeper" 2>/dev/null' EXIT

# The last line of this run's output that says what went wrong: a logged ERROR, the `error: ...`
# line of a configuration error, an exception that ended main, or the JVM's OutOfMemoryError.
last_error() { # log-offset
  tail -c "+$(( $1 + 1 ))" "$log" 2>/dev/null | grep -E ' ERROR |^error: |^Exception in thread |OutOfMemoryError' \
    | tail -n 1 | cut -c 1-300 | tr '\t' ' '
}

while :; do
  offset=$(stat -c %s "$log" 2>/dev/null || echo 0)
  started=$SECONDS
  "$@" < /dev/null &
  child=$!
  echo "$child" > "$RUN_DIR/$name.pid"
  (( stop )) && exit 0
  wait "$child"
  rc=$?
  (( stop )) && exit 0   # down/restart interrupted the wait: the JVM is still running, they stop it
  up=$(( SECONDS - started ))
  if (( rc > 128 )); then how="signal $(kill -l $(( rc - 128 )) 2>/dev/null || echo $(( rc - 128 )))"; else how="exit $rc"; fi
  (( up >= 300 )) && delay=1   # it ran 5 minutes: a new failure, not the same one again
  if (( rc == 2 )); then next="stays down: configuration error"; else next="restart in $delay s"; fi
  error=$(last_error "$offset")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date +%s%3N)" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$child" "$how" "$up" "$next" "${error:--}" >> "$exits"
  printf 'supervisor: %s (pid %s) ended with %s after %s s; %s\n' "$name" "$child" "$how" "$up" "$next"
  (( rc == 2 )) && exit 0
  sleep "$delay" & sleeper=$!
  wait "$sleeper"
  sleeper=""
  (( stop )) && exit 0
  delay=$(( delay * 2 > 60 ? 60 : delay * 2 ))
  restarts=$(( restarts + 1 ))
  echo "$restarts" > "$RUN_DIR/$name.restarts"
  printf 'supervisor: starting %s again (restart %s)\n' "$name" "$restarts"
done
