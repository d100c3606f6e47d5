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

service_heap() {
  case "$1" in
    cdc-capture) echo "${CAPTURE_HEAP:-192m}" ;;  # its cap is 79 MiB; 192m keeps its RSS under 400 MB
    stream-processor) echo "${PROCESSOR_HEAP:-256m}" ;;
    ch-writer) echo "${WRITER_HEAP:-256m}" ;;
  esac
}

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
  (cd "$ROOT" && mvn -q -DskipTests package -pl "$(echo $RUNNABLE_MODULES | tr ' ' ',')" -am > "$LOG_DIR/build.log" 2>&1) \
    || { tail -n 30 "$LOG_DIR/build.log" >&2; die "the build failed (log: $LOG_DIR/build.log)"; }
}

service_healthy() { curl -s --max-time 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(service_ops_port "$1")/health" | grep -q 200; }

service_up() {
  local s=$1 log=$LOG_DIR/$1.log port
  if live_pid "$s" > /dev/null; then return 0; fi
  port=$(service_ops_port "$s")
  [ "$port" = 0 ] || require_free_port "$port" "$(service_port_variable "$s")" "$s health/metrics"
  info "starting $s (log: $log)"
  mkdir -p "$STATE_DIR/services/$s"
  # Local state (RocksDB of the stream processor, offsets file if configured) under .local/.
  PROCESSOR_STATE_DIR=${PROCESSOR_STATE_DIR:-$STATE_DIR/services/stream-processor/state} \
  setsid nohup java "-Xmx$(service_heap "$s")" -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError \
      -jar "$(service_jar "$s")" >> "$log" 2>&1 < /dev/null &
  echo $! > "$(pid_file "$s")"
  [ "$port" = 0 ] && return 0
  wait_until 90 "$s" "$log" "See its log; ./pipeline logs $s" service_alive_and_healthy "$s"
}

service_alive_and_healthy() {
  live_pid "$1" > /dev/null || { warn "$1 exited at start:"; tail -n 15 "$LOG_DIR/$1.log" >&2; exit 1; }
  service_healthy "$1"
}

service_port_variable() {
  case "$1" in
    cdc-capture) echo CAPTURE_OPS_PORT ;;
    stream-processor) echo PROCESSOR_OPS_PORT ;;
    ch-writer) echo WRITER_OPS_PORT ;;
  esac
}

service_down() { # service [signal]
  local pid
  pid=$(live_pid "$1") || { rm -f "$(pid_file "$1")"; return 0; }
  if [ "${2:-TERM}" = KILL ]; then
    info "killing $1 (pid $pid, SIGKILL)"
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  else
    info "stopping $1 (pid $pid)"
    stop_pid "$1" "$pid" 60
  fi
  rm -f "$(pid_file "$1")"
}

service_status() {
  local s=$1 pid port state
  port=$(service_ops_port "$s")
  if pid=$(live_pid "$s"); then
    state=sick
    service_healthy "$s" && state=up
    printf '%-17s %-5s pid %-8s http://127.0.0.1:%s/health  %s\n' "$s" "$state" "$pid" "$port" "$(service_memory "$s" "$pid")"
  else
    printf '%-17s down\n' "$s"
  fi
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
