# Shared by ./pipeline and stack/*.sh: where state lives, the effective settings, and small
# helpers (logging, ports, processes). Sourced, never run.

ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
STATE_DIR=${PIPELINE_STATE_DIR:-$ROOT/.local}
LOG_DIR=$STATE_DIR/logs
RUN_DIR=$STATE_DIR/run
DOWNLOADS=$STATE_DIR/downloads

say()  { printf '%s\n' "$*"; }
info() { printf '==> %s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die()  { printf 'error: %s\n' "$*" >&2; exit 1; }

# The settings the stack runs with. The first `up` records them in $STATE_DIR/stack.env so that
# later commands (env, status, down) talk to the same ports; a variable set in the caller's
# environment wins over the recorded value. Passwords are generated once, never committed.
load_settings() {
  local saved=$STATE_DIR/stack.env
  if [ -f "$saved" ]; then
    local line name
    while IFS= read -r line; do
      name=${line%%=*}
      [ -z "${!name+x}" ] && export "$line"
    done < <(grep -E '^[A-Z_]+=' "$saved")
  fi
  export PGHOST=${PGHOST:-127.0.0.1}
  export PGPORT=${PGPORT:-5432}
  export PGDATABASE=${PGDATABASE:-pipeline}
  export PGUSER=${PGUSER:-postgres}
  export PGPASSWORD=${PGPASSWORD:-$(random_secret)}
  export CAPTURE_PGUSER=${CAPTURE_PGUSER:-cdc_capture}
  export CAPTURE_PGPASSWORD=${CAPTURE_PGPASSWORD:-$(random_secret)}
  export PIPELINE_SERVERS=${PIPELINE_SERVERS:-local}
  export PIPELINE_TOPOLOGY=${PIPELINE_TOPOLOGY:-single}
  export KAFKA_PORT=${KAFKA_PORT:-9092}
  case "$PIPELINE_TOPOLOGY" in
    single)
      export KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-9093}
      export KAFKA_BOOTSTRAP_SERVERS=${KAFKA_BOOTSTRAP_SERVERS:-localhost:$KAFKA_PORT} ;;
    cluster)
      # Three nodes on KAFKA_PORT..+2, their controllers on KAFKA_CONTROLLER_PORT..+2 (not 9093:
      # that is node 2's client port); the services' own topics replicated as the stack's.
      export KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-$(( KAFKA_PORT + 100 ))}
      export KAFKA_BOOTSTRAP_SERVERS=${KAFKA_BOOTSTRAP_SERVERS:-localhost:$KAFKA_PORT,localhost:$(( KAFKA_PORT + 1 )),localhost:$(( KAFKA_PORT + 2 ))}
      export CAPTURE_OFFSETS_REPLICATION_FACTOR=${CAPTURE_OFFSETS_REPLICATION_FACTOR:-3}
      export PROCESSOR_REPLICATION_FACTOR=${PROCESSOR_REPLICATION_FACTOR:-3} ;;
    *) die "PIPELINE_TOPOLOGY must be single or cluster, not '$PIPELINE_TOPOLOGY'" ;;
  esac
  export KAFKA_PARTITIONS=${KAFKA_PARTITIONS:-3}
  export KAFKA_TOPIC_EVENTS=${KAFKA_TOPIC_EVENTS:-user_events}
  export KAFKA_TOPIC_CLEAN=${KAFKA_TOPIC_CLEAN:-user_events_clean}
  export KAFKA_TOPIC_DLQ=${KAFKA_TOPIC_DLQ:-user_events_dlq}
  export CLICKHOUSE_HTTP_PORT=${CLICKHOUSE_HTTP_PORT:-8123}
  export CLICKHOUSE_TCP_PORT=${CLICKHOUSE_TCP_PORT:-9000}
  export CLICKHOUSE_URL=${CLICKHOUSE_URL:-http://127.0.0.1:$CLICKHOUSE_HTTP_PORT}
  # State from before the least-privilege users wrote the writer as `default` with no password.
  if [ -z "${CLICKHOUSE_ADMIN_USER:-}" ] && [ "${CLICKHOUSE_USER:-}" = default ]; then
    unset CLICKHOUSE_USER CLICKHOUSE_PASSWORD
  fi
  export CLICKHOUSE_USER=${CLICKHOUSE_USER:-pipeline_writer}
  export CLICKHOUSE_PASSWORD=${CLICKHOUSE_PASSWORD:-$(random_secret)}
  export CLICKHOUSE_ADMIN_USER=${CLICKHOUSE_ADMIN_USER:-pipeline_admin}
  export CLICKHOUSE_ADMIN_PASSWORD=${CLICKHOUSE_ADMIN_PASSWORD:-$(random_secret)}
  export CLICKHOUSE_DATABASE=${CLICKHOUSE_DATABASE:-pipeline}
  export CAPTURE_OPS_PORT=${CAPTURE_OPS_PORT:-8081}
  export PROCESSOR_OPS_PORT=${PROCESSOR_OPS_PORT:-8082}
  export WRITER_OPS_PORT=${WRITER_OPS_PORT:-8083}
  export PROMETHEUS_PORT=${PROMETHEUS_PORT:-9090}
}

# Names printed by `./pipeline env` and recorded by `up`, in this order.
SETTING_NAMES="PGHOST PGPORT PGDATABASE PGUSER PGPASSWORD CAPTURE_PGUSER CAPTURE_PGPASSWORD
KAFKA_PORT KAFKA_CONTROLLER_PORT KAFKA_BOOTSTRAP_SERVERS KAFKA_PARTITIONS KAFKA_TOPIC_EVENTS
KAFKA_TOPIC_CLEAN KAFKA_TOPIC_DLQ CLICKHOUSE_HTTP_PORT CLICKHOUSE_TCP_PORT CLICKHOUSE_URL
CLICKHOUSE_USER CLICKHOUSE_PASSWORD CLICKHOUSE_ADMIN_USER CLICKHOUSE_ADMIN_PASSWORD CLICKHOUSE_DATABASE CAPTURE_OPS_PORT PROCESSOR_OPS_PORT WRITER_OPS_PORT
PROMETHEUS_PORT PIPELINE_TOPOLOGY PIPELINE_SERVERS"
# Recorded only for a cluster: a single broker keeps the services' defaults (1).
CLUSTER_SETTING_NAMES="CAPTURE_OFFSETS_REPLICATION_FACTOR PROCESSOR_REPLICATION_FACTOR"
setting_names() {
  printf '%s\n' $SETTING_NAMES
  [ "${PIPELINE_TOPOLOGY:-single}" != cluster ] || printf '%s\n' $CLUSTER_SETTING_NAMES
}

save_settings() {
  mkdir -p "$STATE_DIR"
  local name tmp=$STATE_DIR/stack.env.tmp
  (umask 077; : > "$tmp")
  for name in $(setting_names); do printf '%s=%s\n' "$name" "${!name}" >> "$tmp"; done
  # Against the user's servers the services also need what the local stack never sets (TLS, SASL,
  # table and topic names...): recorded too, so that a later `restart` or `status` has them.
  if servers_external; then
    env | grep -E '^(PG[A-Z]*|KAFKA_[A-Z_]*|CLICKHOUSE_[A-Z_]*|CAPTURE_[A-Z_]*|PROCESSOR_[A-Z_]*|WRITER_[A-Z_]*)=' \
      | grep -vE "^($(setting_names | paste -sd'|' -))=" >> "$tmp" || true
  fi
  mv "$tmp" "$STATE_DIR/stack.env"
}

# `up --external`: the servers are the user's (named by the environment); ./pipeline starts and
# supervises only the services, after `preflight` found nothing missing.
servers_external() { [ "${PIPELINE_SERVERS:-local}" = external ]; }

random_secret() { head -c 18 /dev/urandom | base64 | tr -d '/+=' ; }

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Fails with the variable to change when a port we are about to bind is taken by someone else.
require_free_port() { # port variable-name server
  if port_open "$1"; then
    die "port $1 for $3 is already in use by another process; set $2 to a free port (e.g. $2=$(( $1 + 10000 )) ./pipeline up), or stop what listens there (ss -ltnp 'sport = :$1')"
  fi
}

# For a test's own servers: the first free port from $1 on; free_port_run, the first of $2
# consecutive free ones.
free_port() { free_port_run "$1" 1; }
free_port_run() {
  local p n ok
  for (( p = $1; p < $1 + 200; p++ )); do
    ok=1
    for (( n = 0; n < $2; n++ )); do port_open $(( p + n )) && { ok=0; break; }; done
    (( ok )) && { echo "$p"; return 0; }
  done
  die "no $2 free consecutive ports from $1"
}

pid_file() { printf '%s/%s.pid' "$RUN_DIR" "$1"; }

# The recorded PID of a server or service if that process is still alive.
live_pid() {
  local f; f=$(pid_file "$1")
  [ -f "$f" ] || return 1
  local pid; pid=$(cat "$f")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && { printf '%s' "$pid"; return 0; }
  return 1
}

# Waits until "$@" succeeds, at most $1 seconds; on timeout prints the log's tail and the fix.
wait_until() { # seconds what logfile fix command...
  local seconds=$1 what=$2 log=$3 fix=$4; shift 4
  local deadline=$(( SECONDS + seconds ))
  until "$@" >/dev/null 2>&1; do
    if (( SECONDS >= deadline )); then
      warn "$what did not answer within ${seconds}s. Last lines of $log:"
      tail -n 25 "$log" >&2 2>/dev/null || true
      die "$what failed to start. $fix"
    fi
    sleep 0.2
  done
}

# SIGTERM, a bounded wait, then SIGKILL: no process of ours outlives `down`.
stop_pid() { # name pid [seconds]
  local name=$1 pid=$2 seconds=${3:-30}
  kill -TERM "$pid" 2>/dev/null || return 0
  local deadline=$(( SECONDS + seconds ))
  while kill -0 "$pid" 2>/dev/null; do
    if (( SECONDS >= deadline )); then
      warn "$name (pid $pid) ignored SIGTERM for ${seconds}s; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.2
  done
}

# The Kafka version pinned in the parent pom: the broker runs the clients' version.
kafka_version() { sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$ROOT/pom.xml" | head -n 1; }

ensure_java() {
  command -v java >/dev/null || die "java not found: install a JDK 17 (apt-get install openjdk-17-jdk-headless)"
  command -v mvn >/dev/null || die "mvn not found: install Maven (apt-get install maven)"
}

# Debian packages the stack needs, installed once when missing (root only).
apt_install() { # package...
  if [ "$(id -u)" != 0 ]; then die "missing packages: $*; install them with: sudo apt-get install -y $*"; fi
  info "installing $* (first run only)"
  apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null || die "apt-get install $* failed"
}
