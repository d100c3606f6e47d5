# Prometheus from Debian's package, scraping the three services with monitoring/'s rules. Its
# configuration is monitoring/prometheus.yml as docker-compose.yml mounts it; only the targets file
# differs (here 127.0.0.1 and the stack's ops ports). Sourced by ./pipeline after stack/lib.sh.

PROM_ROOT=$STATE_DIR/prometheus
PROM_LOG=$LOG_DIR/prometheus.log

prometheus_enabled() { [ "${PIPELINE_PROMETHEUS:-1}" != 0 ]; }

prom_install() {
  command -v prometheus >/dev/null && command -v promtool >/dev/null || apt_install prometheus
}

prom_running() { live_pid prometheus > /dev/null && port_open "$PROMETHEUS_PORT"; }

# The configuration directory: monitoring/prometheus.yml and rules/ as they are, and a targets
# file naming the services on this machine. Rewritten at every start so edits apply.
prom_write_config() { # dir [rules-filter]
  local dir=$1 filter=${2:-cat} f
  rm -rf "$dir/rules" "$dir/targets"
  mkdir -p "$dir/rules" "$dir/targets"
  cp "$ROOT/monitoring/prometheus.yml" "$dir/prometheus.yml"
  for f in "$ROOT"/monitoring/rules/*.yml; do $filter < "$f" > "$dir/rules/$(basename "$f")"; done
  cat > "$dir/targets/services.yml" <<TARGETS
# Written by ./pipeline from the stack's ops ports.
- targets: ['127.0.0.1:$CAPTURE_OPS_PORT']
  labels: {service: cdc-capture}
- targets: ['127.0.0.1:$PROCESSOR_OPS_PORT']
  labels: {service: stream-processor}
- targets: ['127.0.0.1:$WRITER_OPS_PORT']
  labels: {service: ch-writer}
TARGETS
  promtool check config "$dir/prometheus.yml" > "$dir/check.log" 2>&1 \
    || { cat "$dir/check.log" >&2; die "promtool check config failed for $dir/prometheus.yml"; }
}

# Starts Prometheus on 127.0.0.1:$PROMETHEUS_PORT with the configuration in $1 (default: the
# stack's), data in $2. The rules reload with SIGHUP; `down` stops it.
prom_up() { # [config-dir] [data-dir] [name]
  local dir=${1:-$PROM_ROOT/config} data=${2:-$PROM_ROOT/data} name=${3:-prometheus} log=$LOG_DIR/${3:-prometheus}.log
  prometheus_enabled || return 0
  live_pid "$name" > /dev/null && return 0
  prom_install
  require_free_port "$PROMETHEUS_PORT" PROMETHEUS_PORT Prometheus
  [ -n "${1:-}" ] || prom_write_config "$dir"
  mkdir -p "$data" "$RUN_DIR" "$LOG_DIR"
  info "starting Prometheus on http://127.0.0.1:$PROMETHEUS_PORT (log: $log)"
  # Two days of samples: enough to look back on a bench or a chaos run, bounded on a laptop.
  setsid nohup prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$data" \
      --storage.tsdb.retention.time="${PROMETHEUS_RETENTION:-2d}" --web.listen-address="127.0.0.1:$PROMETHEUS_PORT" \
      --web.enable-lifecycle >> "$log" 2>&1 < /dev/null &
  echo $! > "$(pid_file "$name")"
  wait_until 30 Prometheus "$log" "Check $log; PROMETHEUS_PORT=$PROMETHEUS_PORT must be free." \
      curl -sf "http://127.0.0.1:$PROMETHEUS_PORT/-/ready"
}

prom_down() { # [name]
  local name=${1:-prometheus} pid
  pid=$(live_pid "$name") || { rm -f "$(pid_file "$name")"; return 0; }
  info "stopping Prometheus (pid $pid)"
  stop_pid "$name" "$pid" 30
  rm -f "$(pid_file "$name")"
}

prom_status() {
  prometheus_enabled || return 0
  if prom_running; then
    local firing
    if firing=$(prom_firing_alerts "$PROMETHEUS_PORT"); then firing=$(paste -sd, - <<< "$firing"); else firing="unknown (no answer to the query)"; fi
    printf '%-11s up    http://127.0.0.1:%s   alerts firing: %s\n' prometheus "$PROMETHEUS_PORT" "${firing:-none}"
  else
    printf '%-11s down  127.0.0.1:%-6s (PIPELINE_PROMETHEUS=0 turns it off)\n' prometheus "$PROMETHEUS_PORT"
  fi
}

# The names of the alerts firing now, one per line.
prom_firing_alerts() { # port: fails when Prometheus did not answer, so "none firing" is never a guess
  local out
  out=$(curl -s --max-time 10 "http://127.0.0.1:$1/api/v1/query" --data-urlencode 'query=count by (alertname) (ALERTS{alertstate="firing"})') \
    && grep -q '"status":"success"' <<< "$out" || return 1
  { grep -o '"alertname":"[^"]*"' <<< "$out" || true; } | sed 's/"alertname":"\(.*\)"/\1/' | sort -u
}
