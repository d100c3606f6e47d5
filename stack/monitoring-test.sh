# The monitoring test of `./pipeline test`: monitoring/'s Prometheus configuration and rules
# against a real pipeline, on databases, a slot, topics and consumer groups of its own, with a
# Prometheus of its own (port, data) beside the stack's:
#   1. while rows flow, every query of the Grafana dashboard returns data (dashboard-check);
#   2. ClickHouse stopped with rows waiting: WriterRetrying fires in the live Prometheus;
#      ClickHouse started again: the alert clears and every row is stored, once.
# The rules are the shipped files with each `for` shortened to 5 s, and scraped every second: the
# periods themselves are proved by promtool (monitoring/tests). The user's services are stopped
# meanwhile (the test's run under the same PID files) and started again afterwards.
# Sourced by ./pipeline after the stack's scripts.

MONITORING_TEST_ROWS=500
MONITORING_TEST_OUTAGE_ROWS=100
# A steady trickle while the dashboard is checked: 10 rows a second for a minute at most.
MONITORING_TEST_STREAM_ROWS=600

monitoring_test() {
  local s was_running="" rc=0 tag dir
  for s in $SERVICES; do
    if service_running "$s"; then was_running="$was_running $s"; fi
    service_down "$s"
  done
  tag=$(date +%s)
  dir=$(mktemp -d /tmp/pipeline-monitoring-test.XXXXXX)
  info "monitoring test: Prometheus with monitoring/'s rules on a pipeline of its own (state: $dir)"
  (
    export PGDATABASE=pipeline_monitoring_test CLICKHOUSE_DATABASE=pipeline_monitoring_test CAPTURE_SLOT=monitoring_test \
      KAFKA_TOPIC_EVENTS=monitoring_${tag}_events KAFKA_TOPIC_CLEAN=monitoring_${tag}_clean KAFKA_TOPIC_DLQ=monitoring_${tag}_dlq \
      CAPTURE_OFFSETS_TOPIC=monitoring_${tag}_capture_offsets PROCESSOR_APPLICATION_ID=monitoring-${tag}-processor \
      WRITER_GROUP_ID=monitoring-${tag}-writer CAPTURE_BACKLOG_COUNT_INTERVAL=PT2S PIPELINE_PROMETHEUS=1
    PROMETHEUS_PORT=$(free_port 19090)
    pg_drop_slot "$CAPTURE_SLOT"
    psql -X -q -d postgres -c "DROP DATABASE IF EXISTS pipeline_monitoring_test" && pg_apply_init
    ch_query "DROP DATABASE IF EXISTS pipeline_monitoring_test" > /dev/null
    kafka_create_topics
    for s in $SERVICES; do service_up "$s"; done
    prom_write_config "$dir/config" monitoring_test_rules
    sed -i 's/^\(  scrape_interval:\).*/\1 1s/; s/^\(  evaluation_interval:\).*/\1 1s/' "$dir/config/prometheus.yml"
    prom_up "$dir/config" "$dir/data" prometheus-test
    monitoring_test_run || exit 1
  ) || rc=$?
  ch_up > /dev/null   # in case the run ended during its outage
  prom_down prometheus-test
  for s in $SERVICES; do service_down "$s"; done
  pg_drop_slot monitoring_test
  kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --delete \
      --topic "monitoring[-_]${tag}[-_].*" >> "$LOG_DIR/topics.log" 2>&1 || warn "could not delete the monitoring test's topics"
  rm -rf "$dir" "$STATE_DIR/services/stream-processor/state/monitoring-${tag}-processor"
  (unset PGDATABASE; load_settings; for s in $was_running; do service_up "$s"; done)
  if (( rc == 0 )); then say "monitoring test PASSED"; else say "monitoring test FAILED (logs: $LOG_DIR/prometheus-test.log, $LOG_DIR/ch-writer.log)"; fi
  return $rc
}

# Each step returns on failure: this runs inside `( ... ) || rc=$?`, where bash ignores set -e.
monitoring_test_run() {
  local prom=http://127.0.0.1:$PROMETHEUS_PORT dashboard=$ROOT/monitoring/grafana/dashboards/pipeline.json
  psql -X -q -c "INSERT INTO user_logins (username, event_type, event_time)
      SELECT 'user_' || g, (ARRAY['login','logout','purchase'])[1 + g % 3], now() - g * interval '1 second'
      FROM generate_series(1, $MONITORING_TEST_ROWS) g" || return 1
  monitoring_test_await 90 "the $MONITORING_TEST_ROWS rows in ClickHouse" monitoring_test_stored "$MONITORING_TEST_ROWS" || return 1
  # The dashboard is checked while rows flow, as an operator would look at it: a rate over a
  # window without events is NaN, which dashboard-check counts as no data.
  local stream
  monitoring_test_stream & stream=$!
  monitoring_test_await 60 "every dashboard query returns data while rows flow" \
      ops_tool dashboard-check --dashboard "$dashboard" --prometheus "$prom" || { kill "$stream"; return 1; }
  wait "$stream" || return 1
  local total=$(( MONITORING_TEST_ROWS + MONITORING_TEST_STREAM_ROWS ))
  monitoring_test_await 90 "the $total rows in ClickHouse" monitoring_test_stored "$total" || return 1

  ch_down
  psql -X -q -c "INSERT INTO user_logins (username, event_type, event_time)
      SELECT 'outage_' || g, 'login', now() FROM generate_series(1, $MONITORING_TEST_OUTAGE_ROWS) g" || return 1
  monitoring_test_await 90 "WriterRetrying fires while ClickHouse is down" monitoring_test_firing WriterRetrying || return 1
  ch_up || return 1
  monitoring_test_await 90 "WriterRetrying clears once ClickHouse is back" monitoring_test_quiet WriterRetrying || return 1
  monitoring_test_await 90 "all $(( total + MONITORING_TEST_OUTAGE_ROWS )) rows stored" \
      monitoring_test_stored $(( total + MONITORING_TEST_OUTAGE_ROWS ))
}

monitoring_test_stream() {
  local i
  for (( i = 0; i < MONITORING_TEST_STREAM_ROWS / 10; i++ )); do
    psql -X -q -c "INSERT INTO user_logins (username, event_type, event_time)
        SELECT 'stream_' || $i || '_' || g, 'login', now() FROM generate_series(1, 10) g" || return 1
    sleep 1
  done
}

# The shipped rules with every `for` at 5 s: the test proves the expressions and the wiring on
# live series; promtool proves the periods.
monitoring_test_rules() { sed 's/^\( *for:\).*/\1 5s/'; }

monitoring_test_firing() { local firing; firing=$(prom_firing_alerts "$PROMETHEUS_PORT") && grep -qx "$1" <<< "$firing"; }
# Prometheus answered, and the alert is not among the firing ones.
monitoring_test_quiet() { local firing; firing=$(prom_firing_alerts "$PROMETHEUS_PORT") && ! grep -qx "$1" <<< "$firing"; }

# Exactly N rows, counted raw.
monitoring_test_stored() {
  [ "$(ch_query "SELECT count() FROM pipeline_monitoring_test.user_logins" 2>/dev/null)" = "$1" ]
}

monitoring_test_await() { # seconds what command...
  local seconds=$1 what=$2 deadline=$(( SECONDS + $1 )); shift 2
  until "$@" > /dev/null 2>&1; do
    if (( SECONDS >= deadline )); then
      warn "monitoring test: $what: not within $seconds s"
      "$@" 2>&1 | tail -n 30 >&2 || true
      return 1
    fi
    sleep 0.5
  done
  say "  ok: $what"
}

