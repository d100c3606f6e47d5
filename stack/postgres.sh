# PostgreSQL 15 from Debian's package, in $STATE_DIR/postgres, with logical decoding.
# Sourced by ./pipeline after stack/lib.sh.

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_ROOT=$STATE_DIR/postgres
# As root, initdb and the server run as the postgres OS user, which must be able to walk to the
# data directory. When a parent of the checkout is private (e.g. under /root), the cluster
# lives in /var/tmp instead, with .local/postgres a symlink to it.
if [ "$(id -u)" = 0 ] && id postgres > /dev/null 2>&1 && [ ! -L "$PG_ROOT" ]; then
  mkdir -p "$STATE_DIR"
  if ! runuser -u postgres -- test -x "$STATE_DIR" 2> /dev/null; then
    PG_ROOT=/var/tmp/user-logins-pipeline-$(printf '%s' "$STATE_DIR" | cksum | cut -d' ' -f1)/postgres
    mkdir -p "$PG_ROOT"
    chmod 755 "$(dirname "$PG_ROOT")"
    ln -sfn "$PG_ROOT" "$STATE_DIR/postgres"
  fi
elif [ -L "$PG_ROOT" ]; then
  PG_ROOT=$(readlink "$PG_ROOT")
fi
PG_DATA=$PG_ROOT/data
PG_SOCKET_DIR=$PG_ROOT/socket
# The server log sits beside the data (the postgres user writes it); logs/postgres.log links to it.
PG_LOG=$PG_ROOT/server.log

pg_install() {
  [ -x "$PG_BIN/initdb" ] && return 0
  command -v apt-get >/dev/null || die "PostgreSQL 15 not found in $PG_BIN; install it (Debian: apt-get install postgresql-15) or set PG_BIN"
  # No default cluster: it would take port 5432 before ours does.
  apt_install postgresql-common
  mkdir -p /etc/postgresql-common/createcluster.d
  echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.d/no-main-cluster.conf
  apt_install postgresql-15 postgresql-client-15
  [ -x "$PG_BIN/initdb" ] || die "postgresql-15 installed but $PG_BIN/initdb is missing"
}

# initdb and pg_ctl refuse to run as root: run them as the postgres OS user when we are root.
pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_prepare_dirs() {
  mkdir -p "$PG_ROOT" "$LOG_DIR"
  [ -f "$PG_LOG" ] || : > "$PG_LOG"
  ln -sfn "$PG_LOG" "$LOG_DIR/postgres.log"
  if [ "$(id -u)" = 0 ]; then
    mkdir -p "$PG_SOCKET_DIR"
    chown postgres:postgres "$PG_ROOT" "$PG_SOCKET_DIR" "$PG_LOG"
  else
    mkdir -p "$PG_SOCKET_DIR"
  fi
}

pg_initdb() {
  [ -f "$PG_DATA/PG_VERSION" ] && return 0
  info "initializing PostgreSQL in $PG_DATA"
  local pwfile=$PG_ROOT/.pwfile
  (umask 077; printf '%s\n' "$PGPASSWORD" > "$pwfile")
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$pwfile"
  pg_as_owner "$PG_BIN/initdb" -D "$PG_DATA" -U "$PGUSER" --pwfile="$pwfile" \
      -E UTF8 --locale=C --auth-local=peer --auth-host=scram-sha-256 >> "$PG_LOG" 2>&1 \
    || { rm -f "$pwfile"; tail -n 20 "$PG_LOG" >&2; die "initdb failed (log: $PG_LOG)"; }
  rm -f "$pwfile"
  # Our settings live in one file that each start rewrites (the port may change).
  echo "include_if_exists = 'pipeline.conf'" >> "$PG_DATA/postgresql.conf"
  cat >> "$PG_DATA/pg_hba.conf" <<EOF
# ./pipeline: password logins on loopback, including the capture role's replication connection.
host    all             all             127.0.0.1/32            scram-sha-256
host    replication     all             127.0.0.1/32            scram-sha-256
EOF
}

pg_write_conf() {
  local conf=$PG_DATA/pipeline.conf
  pg_as_owner tee "$conf" > /dev/null <<EOF
# Written by ./pipeline at every start.
port = $PGPORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PG_SOCKET_DIR'
wal_level = logical
max_replication_slots = 10
max_wal_senders = 10
track_commit_timestamp = on  # ./pipeline status: the age of the oldest unsent row
# A disk guard: a slot that nobody reads cannot fill the disk with retained WAL.
max_slot_wal_keep_size = '4GB'
shared_buffers = '256MB'
max_connections = 100
log_min_messages = warning
EOF
}

pg_ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT" -d postgres; }

pg_up() {
  if pg_running; then return 0; fi
  pg_install
  require_free_port "$PGPORT" PGPORT PostgreSQL
  pg_prepare_dirs
  pg_initdb
  pg_write_conf
  info "starting PostgreSQL on 127.0.0.1:$PGPORT"
  pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_LOG" -w -t 30 start > /dev/null \
    || { tail -n 25 "$PG_LOG" >&2; die "PostgreSQL failed to start (log: $PG_LOG); check the port (PGPORT) and the data directory $PG_DATA"; }
  mkdir -p "$RUN_DIR"
  head -n 1 "$PG_DATA/postmaster.pid" > "$(pid_file postgres)"
  wait_until 30 PostgreSQL "$PG_LOG" "See the log above." pg_ready
  pg_apply_init
}

pg_running() { servers_external || { live_pid postgres > /dev/null && pg_ready; }; }

# Creates the database and applies postgres-init/ in name order: *.sql with psql, *.sh run
# with the same PG* variables (they are also the Docker image's init scripts).
pg_apply_init() {
  local exists
  exists=$(psql -X -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$PGDATABASE'")
  [ "$exists" = 1 ] || psql -X -q -d postgres -c "CREATE DATABASE \"$PGDATABASE\"" || die "could not create database $PGDATABASE"
  local f
  for f in "$ROOT"/postgres-init/*; do
    case "$f" in
      *.sql) psql -X -q -v ON_ERROR_STOP=1 -f "$f" > /dev/null || die "applying $f failed" ;;
      *.sh)  bash "$f" > /dev/null || die "applying $f failed" ;;
    esac
  done
}

# Drops a replication slot if it exists (a test's own, when it ends).
pg_drop_slot() { # name
  psql -X -q -d postgres -tAc "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '$1'" > /dev/null \
    || warn "could not drop the replication slot $1"
}

pg_down() {
  local pid
  pid=$(live_pid postgres) || { rm -f "$(pid_file postgres)"; return 0; }
  info "stopping PostgreSQL (pid $pid)"
  pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w -t 60 stop > /dev/null 2>&1 || stop_pid postgres "$pid" 30
  rm -f "$(pid_file postgres)"
}

pg_status() {
  if pg_running; then
    printf '%-11s up    127.0.0.1:%-6s %s\n' postgres "$PGPORT" "$(psql -X -d postgres -tAc 'SHOW server_version' 2>/dev/null)"
  else
    printf '%-11s down  127.0.0.1:%-6s\n' postgres "$PGPORT"
  fi
}
