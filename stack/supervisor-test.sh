#!/usr/bin/env bash
# The services' supervisor (stack/supervise.sh) on a real stream-processor against the running
# Kafka, driven through ./pipeline (kill, status, down) in a state directory, on an ops port and
# with topics and an application id of its own: the stack's own services are not touched.
#   1. kill -9: the processor comes back without `up`;
#   2. exit 1 (its state directory cannot be created when it restarts: an exception ends main):
#      it is started again with a longer backoff, and comes back once the directory can be made;
#   3. `down` stops the supervisor and the processor: nothing starts it again;
#   4. a configuration error (exit 2): not restarted, its message in `status`.
# Run by ./pipeline test after mvn verify; alone: eval "$(./pipeline env)"; stack/supervisor-test.sh
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
[ -n "${KAFKA_BOOTSTRAP_SERVERS:-}" ] || { echo "error: KAFKA_BOOTSTRAP_SERVERS is not set: run ./pipeline test, or eval \"\$(./pipeline env)\" first" >&2; exit 1; }
[ -f "$ROOT/stream-processor/target/stream-processor.jar" ] || { echo "error: no stream-processor jar: mvn package first" >&2; exit 1; }
# The running stack's Kafka tools, to create and delete this test's topics.
KAFKA_TOOLS="$(cd "${SERVERS_STATE_DIR:-${PIPELINE_STATE_DIR:-$ROOT/.local}}" && pwd)/kafka/lib/*"

export PIPELINE_STATE_DIR
PIPELINE_STATE_DIR=$(mktemp -d /tmp/pipeline-supervisor-test.XXXXXX)
chmod 755 "$PIPELINE_STATE_DIR"   # as root, stack/postgres.sh checks that the postgres user can walk here
source "$ROOT/stack/lib.sh"
source "$ROOT/stack/services.sh"

tag=$(date +%s)
for port in $(seq 18382 18482); do port_open "$port" || break; done
export PROCESSOR_OPS_PORT=$port PROCESSOR_APPLICATION_ID=supervisor-test-$tag KAFKA_TOPIC_EVENTS=supervisor_test_${tag}_events \
  KAFKA_TOPIC_CLEAN=supervisor_test_${tag}_clean KAFKA_TOPIC_DLQ=supervisor_test_${tag}_dlq \
  PROCESSOR_STATE_DIR=$PIPELINE_STATE_DIR/processor-state
P=stream-processor
LOG=$LOG_DIR/$P.log
EXITS=$RUN_DIR/$P.exits
STATE=$PROCESSOR_STATE_DIR
started=$SECONDS

topics() { java -Xmx128m -cp "$KAFKA_TOOLS" -Dlog4j2.configurationFile="$ROOT/stack/kafka-broker/log4j2.properties" \
  org.apache.kafka.tools.TopicCommand --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" "$@" >> "$LOG_DIR/topics.log" 2>&1; }
cleanup() {
  [ -z "${sup:-}" ] || kill -CONT "$sup" 2>/dev/null || true   # a failure while it was held
  "$ROOT/pipeline" down > /dev/null 2>&1 || true
  # Its source topic and the processor's internal ones (supervisor-test-TAG-...-changelog).
  topics --delete --topic "supervisor[-_]test[-_]${tag}[-_].*" || echo "warning: could not delete the topics supervisor[-_]test[-_]${tag}[-_].*" >&2
  rm -rf "$PIPELINE_STATE_DIR"
}
mkdir -p "$LOG_DIR"
trap cleanup EXIT

fail() {
  printf 'FAILED: %s\n--- ./pipeline status\n' "$*" >&2
  "$ROOT/pipeline" status 2>&1 | sed -n "/^$P\|^   /p" >&2 || true
  printf -- '--- %s\n' "$EXITS" >&2; cat "$EXITS" >&2 2>/dev/null || true
  printf -- '--- last lines of %s\n' "$LOG" >&2; tail -n 30 "$LOG" | cut -c 1-300 >&2 || true
  exit 1
}
ok() { printf '  ok: %s\n' "$*"; }
expect() { # what command...: the command must succeed now
  local what=$1; shift
  "$@" > /dev/null 2>&1 || fail "$what"
  ok "$what"
}
await() { # seconds what command...: polls until the command succeeds
  local seconds=$1 what=$2 deadline=$(( SECONDS + $1 )); shift 2
  until "$@" > /dev/null 2>&1; do
    (( SECONDS < deadline )) || fail "$what (waited $seconds s)"
    sleep 0.2
  done
  ok "$what"
}
# Field F of exit record N (1-based) in $EXITS: 3 pid, 4 how, 6 what next, 7 last error line.
exit_field() { sed -n "${1}p" "$EXITS" | cut -f "$2"; }
field_is() { [ "$(exit_field "$1" "$2")" = "$3" ]; }
field_has() { exit_field "$1" "$2" | grep -qF -- "$3"; }
exits() { if [ -f "$EXITS" ]; then wc -l < "$EXITS"; else echo 0; fi; }
jvm() { cat "$RUN_DIR/$P.pid"; }
alive() { kill -0 "$1" 2>/dev/null; }
# A JVM other than $1 runs and answers /health with 200.
back_healthy() { [ "$(jvm)" != "$1" ] && alive "$(jvm)" && service_healthy "$P"; }
show_status() { "$ROOT/pipeline" status 2>&1 | awk -v p="$P" '$1 == p { on = 1 } /^[^ ]/ && $1 != p { on = 0 } on { print "     | " $0 }'; }
status_has() { local out; out=$("$ROOT/pipeline" status 2>&1); grep -qF -- "$1" <<< "$out"; }

echo "==> supervisor test: stream-processor on ops port $port, state in $PIPELINE_STATE_DIR"
topics --create --topic "$KAFKA_TOPIC_EVENTS" --partitions 1 --replication-factor 1
# service_up itself, not ./pipeline restart: that one also rebuilds stale jars, which is mvn's job.
(service_up "$P") > /dev/null || fail "stream-processor did not start"
sup=$(supervisor_pid "$P") || fail "no supervisor after start"
ok "stream-processor healthy under its supervisor (pid $sup)"

echo "==> 1. kill -9: back without up"
pid=$(jvm)
"$ROOT/pipeline" kill "$P" > /dev/null
await 60 "a new stream-processor JVM answers /health" back_healthy "$pid"
expect "exit recorded: signal KILL, restart in 1 s" \
  eval 'field_is 1 3 "$pid" && field_is 1 4 "signal KILL" && field_is 1 6 "restart in 1 s"'
expect "status: restarts 1, last exit signal KILL" status_has "restarts 1; last exit: signal KILL"
expect "the same supervisor (pid $sup)" [ "$(supervisor_pid "$P")" = "$sup" ]

echo "==> 2. exit 1: started again with a longer backoff, back once its cause is gone"
# A file where its state directory goes makes the next start fail. The supervisor is held
# (SIGSTOP) meanwhile, so that start cannot come before the file, however slow this machine is.
# (Not ./pipeline kill here: it waits for the JVM to be reaped, which the held supervisor cannot do.)
kill -STOP "$sup"
kill -KILL "$(jvm)"
rm -rf "$STATE" && touch "$STATE"
kill -CONT "$sup"
await 60 "the restarted processor exited" eval '[ "$(exits)" -ge 3 ]'
# Held again while the records are checked: its next start (4 s later) must find the directory makeable.
kill -STOP "$sup"
expect "records: signal KILL (restart in 2 s), then exit 1 (restart in 4 s)" \
  eval 'field_is 2 4 "signal KILL" && field_is 2 6 "restart in 2 s" && field_is 3 4 "exit 1" && field_is 3 6 "restart in 4 s"'
expect "the exit 1 record has its error line" field_has 3 7 "Exception in thread \"main\""
expect "status: last exit exit 1 and its error line" \
  eval 'status_has "last exit: exit 1 at" && status_has "last error: Exception in thread \"main\""'
rm -f "$STATE"
kill -CONT "$sup"
await 60 "stream-processor back and healthy once its directory can be made" back_healthy "$(exit_field 3 3)"
expect "status: restarts 3" status_has "restarts 3;"
show_status

echo "==> 3. down stops the supervisor first: nothing starts the processor again"
pid=$(jvm)
n=$(exits)
"$ROOT/pipeline" down > /dev/null
expect "supervisor (pid $sup) and JVM (pid $pid) are gone" eval '! alive "$sup" && ! alive "$pid"'
expect "no exit recorded for a stop by down, no PID files left" \
  eval '[ "$(exits)" = "$n" ] && [ ! -e "$RUN_DIR/$P.pid" ] && [ ! -e "$RUN_DIR/$P.supervisor.pid" ]'
expect "status: stream-processor down" eval 'out=$("$ROOT/pipeline" status) && grep -q "^$P  *down$" <<< "$out"'

echo "==> 4. configuration error (exit 2): not restarted, its message in status"
n=$(exits)
out=$( (export PROCESSOR_THREADS=lots; service_up "$P") 2>&1 ) && fail "service_up succeeded with PROCESSOR_THREADS=lots"
grep -qF "configuration error" <<< "$out" || fail "up did not say configuration error: $out"
ok "up fails: $(tail -n 1 <<< "$out")"
sup=$(cat "$RUN_DIR/$P.supervisor.pid")
await 60 "its supervisor (pid $sup) gave up and exited" eval '! alive "$sup"'
expect "exactly one exit recorded: exit 2, stays down" \
  eval '[ "$(exits)" = $(( n + 1 )) ] && field_is $(( n + 1 )) 4 "exit 2" && field_has $(( n + 1 )) 6 "stays down"'
expect "no stream-processor JVM runs" eval '! alive "$(jvm)"'
expect "status: down, configuration error, with the message" \
  eval 'status_has "configuration error (exit 2 at" && status_has "error: PROCESSOR_THREADS=lots is not a whole number"'
show_status

echo "==> supervisor test passed in $(( SECONDS - started )) s"
