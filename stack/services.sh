# The three services as local processes: built with Maven when their sources changed, started
# with the stack's settings, watched by PID and health endpoint. Sourced by ./pipeline.

SERVICES="cdc-capture stream-processor ch-writer"

service_ops_port() {
  case "$1" in
    cdc-capture) echo "$CAPTURE_OPS_PORT" ;;
    stream-processor) echo "$PROCESSOR_OPS_PORT" ;;
    ch-writer) echo "$WRITER_OPS_PORT" ;;
    *) die "unknown service: $1 (one of: $SERVICES)" ;;
  esac
}

# Heap and collector defaults live in stack/service-jvm.env, which the bench, chaos and the tests'
# launchers read too (ServiceJvm); CAPTURE_HEAP, PROCESSOR_HEAP, WRITER_HEAP override the heaps.
service_jvm_default() { sed -n "s/^$1=//p" "$ROOT/stack/service-jvm.env"; }
service_prefix() {
  case "$1" in
    cdc-capture) echo CAPTURE ;;
    stream-processor) echo PROCESSOR ;;
    ch-writer) echo WRITER ;;
  esac
}
service_heap() {
  local key
  key="$(service_prefix "$1")_HEAP"
  echo "${!key:-$(service_jvm_default "$key")}"
}
service_gc() { service_jvm_default "$(service_prefix "$1")_GC"; }

service_jar() { printf '%s/%s/target/%s.jar' "$ROOT" "$1" "$1"; }

# Modules with a runnable jar: the services, the operator's tools and the bench.
RUNNABLE_MODULES="$SERVICES pipeline-ops pipeline-bench pipeline-chaos"

# Rebuilds the jars when a source or pom is newer than the jar (or a jar is missing).
services_build() {
  local stale=0 s jar
  for s in $RUNNABLE_MODULES; do
    jar=$(service_jar "$s")
    if [ ! -f "$jar" ] || [ -n "$(find "$ROOT/$s/src/main" "$ROOT/$s/pom.xml" "$ROOT/pom.xml" "$ROOT/pipeline-events/src/main" "$ROOT/service-kit/src/main" -newer "$jar" -print -quit 2>/dev/null)" ]; then
      stale=1
    fi
  done
  (( stale )) || return 0
  ensure_java
  info "building the services (mvn package, tests skipped)"
  mkdir -p "$LOG_DIR"
  (cd "$ROOT" && mvn -q -DskipTests package -pl "$(echo $RUNNABLE_MODULES | tr ' ' ',')" -am > "$LOG_DIR/build.log" 2>&1) \
    || { tail -n 30 "$LOG_DIR/build.log" >&2; die "the build failed (log: $LOG_DIR/build.log)"; }
}

service_health_detail() {
  curl -s --max-time 2 "http://127.0.0.1:$(service_ops_port "$1")/health" | sed -n 's/.*"status":"\([^"]*\)".*"detail":"\(.*\)"}.*/\1: \2/p'
}

service_healthy() { curl -s --max-time 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(service_ops_port "$1")/health" | grep -q 200; }

# Starts one service under its supervisor (stack/supervise.sh), which starts it again whenever it
# exits, except on a configuration error (exit 2). A no-op when the supervisor already runs: the
# service is up, or is about to be started again (`server start services` after a `kill` must not
# start a second one).
service_up() {
  local s=$1 log=$LOG_DIR/$1.log port pid exits_before supervisor
  if supervisor_pid "$s" > /dev/null; then return 0; fi
  if pid=$(live_pid "$s"); then
    warn "$s (pid $pid) runs without a supervisor (started by an older ./pipeline): ./pipeline restart $s puts it under one"
    return 0
  fi
  port=$(service_ops_port "$s")
  [ "$port" = 0 ] || require_free_port "$port" "$(service_port_variable "$s")" "$s health/metrics"
  info "starting $s (log: $log)"
  mkdir -p "$STATE_DIR/services/$s" "$RUN_DIR" "$LOG_DIR"
  rm -f "$(pid_file "$s")" "$RUN_DIR/$s.restarts"
  exits_before=$(service_exit_count "$s")
  # Local state (RocksDB of the stream processor, offsets file if configured) under .local/.
  PIPELINE_STATE_DIR=$STATE_DIR \
  PROCESSOR_STATE_DIR=${PROCESSOR_STATE_DIR:-$STATE_DIR/services/stream-processor/state} \
  setsid nohup bash "$ROOT/stack/supervise.sh" "$s" \
      java "-Xmx$(service_heap "$s")" "$(service_gc "$s")" -XX:+ExitOnOutOfMemoryError -jar "$(service_jar "$s")" \
      >> "$log" 2>&1 < /dev/null &
  supervisor=$!
  echo "$supervisor" > "$(supervisor_pid_file "$s")"
  [ "$port" = 0 ] && return 0
  # Healthy, or a clear failure: a configuration error (the supervisor gives up), or another exit
  # at start (the supervisor goes on restarting it; `up` says so instead of waiting in silence).
  local deadline=$(( SECONDS + 90 ))
  until service_healthy "$s"; do
    if (( $(service_exit_count "$s") > exits_before )); then
      if [ "$(service_last_exit "$s" how)" = "exit 2" ]; then
        warn "$s stopped at start and is not restarted: $(service_last_exit "$s" error)"
        die "$s has a configuration error (exit 2): fix the setting, then ./pipeline up"
      fi
      warn "$s exited at start ($(service_last_exit "$s" how)); its supervisor starts it again after a backoff. Last lines of $log:"
      tail -n 15 "$log" >&2
      die "$s failed to start; ./pipeline status shows its restarts, ./pipeline logs $s what it says"
    fi
    kill -0 "$supervisor" 2>/dev/null || die "the supervisor of $s stopped (see $log)"
    if (( SECONDS >= deadline )); then
      warn "$s did not answer on /health within 90 s (it keeps running under its supervisor). Last lines of $log:"
      tail -n 25 "$log" >&2
      die "$s failed to start. See its log; ./pipeline logs $s"
    fi
    sleep 0.2
  done
}

supervisor_pid_file() { printf '%s/%s.supervisor.pid' "$RUN_DIR" "$1"; }

# The PID of the service's supervisor if it still runs (checked by its command line: a PID file
# outlives a reboot, and its number may belong to another process by then).
supervisor_pid() {
  local f pid; f=$(supervisor_pid_file "$1")
  [ -f "$f" ] || return 1
  pid=$(cat "$f")
  [ -n "$pid" ] && grep -qs supervise.sh "/proc/$pid/cmdline" && { printf '%s' "$pid"; return 0; }
  return 1
}

# Running, or down for a moment between two runs with its supervisor about to start it again.
service_running() { supervisor_pid "$1" > /dev/null || live_pid "$1" > /dev/null; }

service_exit_count() { if [ -f "$RUN_DIR/$1.exits" ]; then wc -l < "$RUN_DIR/$1.exits"; else echo 0; fi; }

# One field of the last recorded exit (see stack/supervise.sh): ms, at, pid, how, up, next, error.
service_last_exit() { # service field
  local ms at pid how up next error
  [ -s "$RUN_DIR/$1.exits" ] || return 1
  IFS=$'\t' read -r ms at pid how up next error < <(tail -n 1 "$RUN_DIR/$1.exits")
  printf '%s' "${!2}"
}

service_port_variable() { echo "$(service_prefix "$1")_OPS_PORT"; }

# Stops one service: its supervisor first (or it would start the service again), then the JVM
# (SIGTERM, SIGKILL after 60 s).
service_down() { # service
  local s=$1 sup pid
  if sup=$(supervisor_pid "$s"); then
    kill -TERM "$sup" 2>/dev/null || true
    local deadline=$(( SECONDS + 10 ))
    while kill -0 "$sup" 2>/dev/null; do
      (( SECONDS < deadline )) || { kill -KILL "$sup" 2>/dev/null || true; break; }
      sleep 0.1
    done
  fi
  rm -f "$(supervisor_pid_file "$s")"
  pid=$(live_pid "$s") || { rm -f "$(pid_file "$s")"; return 0; }
  info "stopping $s (pid $pid)"
  stop_pid "$s" "$pid" 60
  rm -f "$(pid_file "$s")"
}

# SIGKILL of the service's JVM, once (a test of recovery): its supervisor starts it again.
service_kill() {
  local s=$1 pid
  pid=$(live_pid "$s") || { info "$s is not running: nothing to kill"; return 0; }
  if supervisor_pid "$s" > /dev/null; then
    info "killing $s (pid $pid, SIGKILL); its supervisor starts it again"
  else
    info "killing $s (pid $pid, SIGKILL); it has no supervisor: ./pipeline up starts it again"
  fi
  kill -KILL "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
}

# One line per service (state, PID, health URL, memory), then what its supervisor saw: restarts
# since `up` and the last exit (how, when, after how long up, what next, the last ERROR line).
service_status() {
  local s=$1 pid port state note="" ms="" at pid_exited how up next error
  port=$(service_ops_port "$s")
  if [ -s "$RUN_DIR/$s.exits" ]; then
    IFS=$'\t' read -r ms at pid_exited how up next error < <(tail -n 1 "$RUN_DIR/$s.exits")
  fi
  supervisor_pid "$s" > /dev/null || note="  (no supervisor: ./pipeline restart $s)"
  if pid=$(live_pid "$s"); then
    state=sick
    service_healthy "$s" && state=up
    printf '%-17s %-5s pid %-8s http://127.0.0.1:%s/health  %s%s\n' "$s" "$state" "$pid" "$port" "$(service_memory "$s" "$pid")" "$note"
    # Sick: say why, as the service itself reports it (retrying what, waiting for whom).
    [ "$state" = up ] || printf '%-17s       %s\n' "" "$(service_health_detail "$s")"
  elif supervisor_pid "$s" > /dev/null; then
    printf '%-17s restarting (its supervisor starts it again after a backoff)\n' "$s"
  elif [ "${how:-}" = "exit 2" ] && [ "$pid_exited" = "$(cat "$(pid_file "$s")" 2>/dev/null)" ]; then
    # The supervisor's last run ended on a configuration error: it gave up on purpose.
    printf '%-17s down  configuration error (exit 2 at %s), not restarted: %s\n' "$s" "$at" "$error"
    printf '%-17s       fix the setting, then ./pipeline up\n' ""
    return 0
  else
    printf '%-17s down\n' "$s"
  fi
  [ -n "$ms" ] || return 0
  printf '%-17s       restarts %s; last exit: %s at %s after %s s up (%s)\n' "" \
      "$(cat "$RUN_DIR/$s.restarts" 2>/dev/null || echo 0)" "$how" "$at" "$up" "$next"
  [ "$error" = - ] || printf '%-17s       last error: %s\n' "" "$error"
}

# "rss 210 MiB, heap max 256m, in-flight cap 80 MiB": what the process uses beside what its
# settings let it hold of the data passing through (the sum of pipeline_inflight_cap_bytes).
service_memory() {
  local s=$1 pid=$2 rss heap cap
  rss=$(awk '/^VmRSS:/ { printf "%d", $2 / 1024 }' "/proc/$pid/status" 2>/dev/null)
  heap=$(tr '\0' '\n' < "/proc/$pid/cmdline" 2>/dev/null | sed -n 's/^-Xmx//p' | tail -n 1)
  cap=$(curl -s --max-time 2 "http://127.0.0.1:$(service_ops_port "$s")/metrics" 2>/dev/null \
        | awk '/^pipeline_inflight_cap_bytes\{/ { sum += $2; n++ } END { if (n) printf "%.0f", sum / 1048576 }')
  printf 'rss %s MiB, heap max %s, in-flight cap %s' "${rss:-?}" "${heap:-default}" "${cap:+$cap MiB}"
  [ -n "$cap" ] || printf 'unknown'
}

# The operator's tools (status details, check, demo) in one JVM per command.
ops_tool() { java -jar "$(service_jar pipeline-ops)" "$@"; }
