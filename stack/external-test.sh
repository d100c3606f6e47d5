#!/usr/bin/env bash
# `./pipeline up --external` against servers ./pipeline did not start, set up as a user's might be:
# PostgreSQL with TLS only (verify-full) and its own database, roles and port; Kafka on SASL_SSL
# (PLAIN) with its own users; ClickHouse with an administrator and no writer user yet. Nothing is
# created for the pipeline beforehand: the test follows the operator's path.
#   1. preflight finds each gap and prints what to run; the test runs exactly that (with the
#      passwords filled in) as each server's administrator, until preflight passes;
#   2. up --external starts the services only; rows inserted arrive in ClickHouse;
#   3. status and check work there; down stops the services and leaves the servers running.
# Run by ./pipeline test; alone: eval "$(./pipeline env)"; stack/external-test.sh (the local
# stack's servers running: their Kafka jars and ClickHouse library are reused, not the servers).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SERVERS_STATE_DIR=$(cd "${SERVERS_STATE_DIR:-${PIPELINE_STATE_DIR:-$ROOT/.local}}" && pwd)
KAFKA_LIB=$SERVERS_STATE_DIR/kafka/lib
CH_BIN=$SERVERS_STATE_DIR/clickhouse/bin/chdb-server
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
[ -f "$KAFKA_LIB/.version" ] && [ -x "$CH_BIN" ] || { echo "error: no Kafka jars or ClickHouse binary in $SERVERS_STATE_DIR: ./pipeline up --servers-only first" >&2; exit 1; }

T=$(mktemp -d /tmp/pipeline-external-test.XXXXXX)
chmod 755 "$T"
source "$ROOT/stack/lib.sh"   # free_port, random_secret
PG_PORT=$(free_port 25433)
KAFKA_PORT_X=$(free_port 29293)
KAFKA_CTRL_X=$(free_port $(( KAFKA_PORT_X + 1 )))
CH_HTTP=$(free_port 28133)
CH_TCP=$(free_port 29133)
PG_ADMIN_PW=$(random_secret) KAFKA_ADMIN_PW=$(random_secret) KAFKA_PIPELINE_PW=$(random_secret)
CH_ADMIN_PW=$(random_secret)
PIDS=()

fail() { printf 'FAILED: %s\n' "$*" >&2; exit 1; }
ok() { printf '  ok: %s\n' "$*"; }
await() { # seconds what command...
  local seconds=$1 what=$2 deadline=$(( SECONDS + $1 )); shift 2
  until "$@" > /dev/null 2>&1; do
    (( SECONDS < deadline )) || fail "$what (waited $seconds s)"
    sleep 0.5
  done
  ok "$what"
}

cleanup() {
  set +e
  [ -n "${PIPELINE_STATE_DIR:-}" ] && "$ROOT/pipeline" down > /dev/null 2>&1
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$T/pg/data" -m immediate stop > /dev/null 2>&1
  local pid; for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done; done
  rm -rf "$T"
}
trap cleanup EXIT

echo "==> external test: servers of its own in $T (PostgreSQL TLS :$PG_PORT, Kafka SASL_SSL :$KAFKA_PORT_X, ClickHouse :$CH_HTTP)"

# A CA and a certificate for localhost, as a user's servers would have.
command -v openssl > /dev/null || apt_install openssl
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$T/ca.key" -out "$T/ca.pem" -days 2 -subj "/CN=external-test-ca" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout "$T/server.key" -out "$T/server.csr" -subj "/CN=localhost" 2>/dev/null
openssl x509 -req -in "$T/server.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" -CAcreateserial -out "$T/server.pem" -days 2 \
  -extfile <(printf 'subjectAltName=DNS:localhost,IP:127.0.0.1') 2>/dev/null

# PostgreSQL: TLS only, scram passwords, a database `shop`; no table, role or publication yet.
mkdir -p "$T/pg"
cp "$T/server.pem" "$T/server.key" "$T/pg/"
printf '%s\n' "$PG_ADMIN_PW" > "$T/pg/pw"
chown -R postgres:postgres "$T/pg"; chmod 600 "$T/pg/server.key" "$T/pg/pw"
runuser -u postgres -- "$PG_BIN/initdb" -D "$T/pg/data" -U dba --pwfile="$T/pg/pw" -E UTF8 --locale=C \
  --auth-local=scram-sha-256 --auth-host=scram-sha-256 > "$T/pg/initdb.log" 2>&1 || { cat "$T/pg/initdb.log"; fail "initdb"; }
runuser -u postgres -- tee -a "$T/pg/data/postgresql.conf" > /dev/null <<EOF
port = $PG_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$T/pg'
wal_level = logical
ssl = on
ssl_cert_file = '$T/pg/server.pem'
ssl_key_file = '$T/pg/server.key'
EOF
# Only TLS connections from the network.
runuser -u postgres -- bash -c "printf 'local all all scram-sha-256\nhostssl all all 127.0.0.1/32 scram-sha-256\n' > '$T/pg/data/pg_hba.conf'"
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$T/pg/data" -l "$T/pg/server.log" -w start > /dev/null || { tail "$T/pg/server.log"; fail "PostgreSQL start"; }
pg_admin() { PGHOST=localhost PGPORT=$PG_PORT PGUSER=dba PGPASSWORD=$PG_ADMIN_PW PGSSLMODE=verify-full PGSSLROOTCERT=$T/ca.pem psql -X -q -v ON_ERROR_STOP=1 "$@"; }
pg_admin -d postgres -c "CREATE DATABASE shop"

# Kafka: one KRaft node, clients on SASL_SSL with PLAIN users `admin` and `pipeline`.
mkdir -p "$T/kafka"
cat "$T/server.key" "$T/server.pem" > "$T/kafka/keystore.pem"
cat > "$T/kafka/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$KAFKA_CTRL_X
listeners=SASL_SSL://127.0.0.1:$KAFKA_PORT_X,CONTROLLER://127.0.0.1:$KAFKA_CTRL_X
advertised.listeners=SASL_SSL://localhost:$KAFKA_PORT_X
controller.listener.names=CONTROLLER
listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT
inter.broker.listener.name=SASL_SSL
sasl.enabled.mechanisms=PLAIN
sasl.mechanism.inter.broker.protocol=PLAIN
listener.name.sasl_ssl.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="$KAFKA_ADMIN_PW" user_admin="$KAFKA_ADMIN_PW" user_pipeline="$KAFKA_PIPELINE_PW";
ssl.keystore.type=PEM
ssl.keystore.location=$T/kafka/keystore.pem
ssl.truststore.type=PEM
ssl.truststore.location=$T/ca.pem
log.dirs=$T/kafka/data
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
auto.create.topics.enable=false
group.initial.rebalance.delay.ms=0
EOF
cat > "$T/kafka/admin.properties" <<EOF
security.protocol=SASL_SSL
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="$KAFKA_ADMIN_PW";
ssl.truststore.type=PEM
ssl.truststore.location=$T/ca.pem
EOF
kjava() { java -Xmx256m -cp "$KAFKA_LIB/*" -Dlog4j2.configurationFile="$ROOT/stack/kafka-broker/log4j2.properties" "$@"; }
kjava kafka.tools.StorageTool format -t "$(kjava kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)" \
  -c "$T/kafka/server.properties" --standalone > "$T/kafka/format.log" 2>&1 || { cat "$T/kafka/format.log"; fail "Kafka format"; }
setsid nohup java -Xmx384m -cp "$KAFKA_LIB/*" -Dlog4j2.configurationFile="$ROOT/stack/kafka-broker/log4j2.properties" \
  kafka.Kafka "$T/kafka/server.properties" > "$T/kafka/server.log" 2>&1 < /dev/null &
PIDS+=($!)
# The administrator's kafka-topics.sh, as the preflight's fixes name it.
kafka-topics.sh() { kjava org.apache.kafka.tools.TopicCommand --command-config "$T/kafka/admin.properties" "$@" 2>> "$T/kafka/tools.log"; }
kafka-configs.sh() { kjava org.apache.kafka.tools.ConfigCommand --command-config "$T/kafka/admin.properties" "$@" 2>> "$T/kafka/tools.log"; }

# ClickHouse: an administrator who manages access by SQL; no writer user, no database yet.
mkdir -p "$T/ch/data"
cat > "$T/ch/users.xml" <<EOF
<clickhouse>
  <profiles><default></default></profiles>
  <quotas><default></default></quotas>
  <users>
    <default><password></password><profile>default</profile><quota>default</quota>
      <grants><query>GRANT SYSTEM LISTEN ON *.*</query><query>GRANT SELECT ON system.numbers</query></grants></default>
    <ch_admin><password>$CH_ADMIN_PW</password><profile>default</profile><quota>default</quota>
      <access_management>1</access_management></ch_admin>
  </users>
</clickhouse>
EOF
printf '<clickhouse>\n  <users_config>%s</users_config>\n</clickhouse>\n' "$T/ch/users.xml" > "$T/ch/config.xml"
ch_start() {
  setsid nohup "$CH_BIN" --config-file="$T/ch/config.xml" --path="$T/ch/data/" --listen_host=127.0.0.1 \
    --http_port="$CH_HTTP" --tcp_port="$CH_TCP" --multiquery \
    --query "SYSTEM START LISTEN HTTP; SYSTEM START LISTEN TCP; SELECT sleepEachRow(1) FROM system.numbers SETTINGS function_sleep_max_microseconds_per_block=0, max_execution_time=0 FORMAT Null" \
    >> "$T/ch/server.log" 2>&1 < /dev/null &
  CH_PID=$!
  PIDS+=($CH_PID)
}
ch_start
# This server (libchdb) keeps users in users.xml only, without SQL-managed access storage: its
# administrator applies the preflight's CREATE USER and GRANT there, then restarts it.
ch_apply_fixes() { # fixes-file
  local user="" grants="" line
  while IFS= read -r line; do
    case "$line" in
      "CREATE USER"*) user=$(sed 's/^CREATE USER IF NOT EXISTS \([A-Za-z0-9_]*\) .*/\1/' <<< "$line") ;;
      GRANT*) grants="$grants<query>$(sed 's/ TO [A-Za-z0-9_]*;$//' <<< "$line")</query>"
              [ -n "$user" ] || user=$(sed 's/.* TO \([A-Za-z0-9_]*\);$/\1/' <<< "$line") ;;
      "") ;;
      *) fail "a ClickHouse fix this test cannot apply: $line" ;;
    esac
  done < "$1"
  [ -n "$user" ] || return 0
  sed -i "s|</users>|<$user><password>$WRITER_PW</password><profile>default</profile><quota>default</quota><grants>$grants</grants></$user>\n  </users>|" "$T/ch/users.xml"
  kill "$CH_PID"; while kill -0 "$CH_PID" 2>/dev/null; do sleep 0.2; done
  ch_start
  await 60 "ClickHouse back with user $user" ch_admin "SELECT 1"
}
ch_admin() { curl -sS --fail-with-body --max-time 10 -u "ch_admin:$CH_ADMIN_PW" "http://127.0.0.1:$CH_HTTP/" --data-binary "$1"; }

await 90 "Kafka answers on SASL_SSL" kafka-topics.sh --bootstrap-server "localhost:$KAFKA_PORT_X" --list
await 60 "ClickHouse answers" ch_admin "SELECT 1"

# The user's environment: nothing of the local stack. Its own state directory for the services.
export PIPELINE_STATE_DIR=$T/state
mkdir -p "$PIPELINE_STATE_DIR"
CAPTURE_PW=$(random_secret) WRITER_PW=$(random_secret)
export PGHOST=localhost PGPORT=$PG_PORT PGDATABASE=shop PGUSER=dba PGPASSWORD=$PG_ADMIN_PW PGSSLMODE=verify-full PGSSLROOTCERT=$T/ca.pem \
  CAPTURE_PGUSER=cdc_shop CAPTURE_PGPASSWORD=$CAPTURE_PW CAPTURE_SLOT=shop_capture CAPTURE_PUBLICATION=shop_pub \
  KAFKA_BOOTSTRAP_SERVERS=localhost:$KAFKA_PORT_X KAFKA_CLIENT_SECURITY_PROTOCOL=SASL_SSL KAFKA_CLIENT_SASL_MECHANISM=PLAIN \
  KAFKA_CLIENT_SASL_JAAS_CONFIG="org.apache.kafka.common.security.plain.PlainLoginModule required username=\"pipeline\" password=\"$KAFKA_PIPELINE_PW\";" \
  KAFKA_CLIENT_SSL_TRUSTSTORE_TYPE=PEM KAFKA_CLIENT_SSL_TRUSTSTORE_LOCATION=$T/ca.pem \
  KAFKA_TOPIC_EVENTS=shop_events KAFKA_TOPIC_CLEAN=shop_events_clean KAFKA_TOPIC_DLQ=shop_events_dlq CAPTURE_OFFSETS_TOPIC=shop_capture_offsets \
  CLICKHOUSE_URL=http://127.0.0.1:$CH_HTTP CLICKHOUSE_USER=shop_writer CLICKHOUSE_PASSWORD=$WRITER_PW CLICKHOUSE_DATABASE=shop \
  CLICKHOUSE_ADMIN_USER=ch_admin CLICKHOUSE_ADMIN_PASSWORD=$CH_ADMIN_PW \
  CAPTURE_OPS_PORT=$(free_port 28181) PROCESSOR_OPS_PORT=$(free_port 28281) WRITER_OPS_PORT=$(free_port 28381) PIPELINE_PROMETHEUS=0
# The local stack's own settings must not leak in (an empty PIPELINE_SERVERS from `./pipeline env`
# would win over the recorded `external`).
unset KAFKA_PORT KAFKA_CONTROLLER_PORT CLICKHOUSE_HTTP_PORT CLICKHOUSE_TCP_PORT PIPELINE_SERVERS PIPELINE_TOPOLOGY

# 1. The operator's path: preflight, run what it prints, again, until nothing is missing.
round=0
until "$ROOT/pipeline" preflight --write-fixes "$T/fixes" > "$T/preflight.out" 2>&1; do
  round=$(( round + 1 ))
  sed -n '/^  \(MISSING\|?\)/p' "$T/preflight.out"
  (( round <= 4 )) || { cat "$T/preflight.out"; fail "preflight still finds gaps after $(( round - 1 )) rounds of its own fixes"; }
  if (( round == 1 )); then
    # Everything is missing on bare servers, each with what to run.
    for gap in "MISSING  postgres    log in as cdc_shop" "MISSING  kafka       topic shop_events" \
               "MISSING  kafka       topic shop_events_dlq" "MISSING  clickhouse  log in as shop_writer"; do
      grep -qF -- "$gap" "$T/preflight.out" || { cat "$T/preflight.out"; fail "preflight on bare servers does not say: $gap"; }
    done
    ok "preflight on bare servers names each gap"
  fi
  sed "s/<CAPTURE_PGPASSWORD>/$CAPTURE_PW/" "$T/fixes/postgres.sql" | pg_admin -d shop -f - || fail "the preflight's PostgreSQL fixes failed"
  source "$T/fixes/kafka.sh" > /dev/null || fail "the preflight's Kafka commands failed"
  ch_apply_fixes "$T/fixes/clickhouse.sql"
done
ok "preflight passes after $round round(s) of the fixes it printed"

# 2. The services only, against these servers.
"$ROOT/pipeline" up --external > "$T/up.out" 2>&1 || { cat "$T/up.out"; fail "up --external"; }
grep -q "^servers     external" "$T/up.out" || { cat "$T/up.out"; fail "status does not say the servers are external"; }
ok "up --external started the three services"
pg_admin -d shop -c "INSERT INTO public.user_logins (username, event_type, event_time)
  SELECT 'shop_' || g, 'login', now() FROM generate_series(1, 200) g"
stored() { [ "$(ch_admin "SELECT count() FROM shop.user_logins FINAL" 2>/dev/null)" = 200 ]; }
await 60 "200 rows through TLS PostgreSQL, SASL_SSL Kafka, into ClickHouse" stored

# 3. The operator's tools there.
# status gives a service 2 s to answer /health: asked again on a busy machine rather than failed on one slow answer.
status_in_sync() { "$ROOT/pipeline" status > "$T/status.out" 2>&1 && grep -q "^servers     external" "$T/status.out" \
  && grep -q "verdict     in sync" "$T/status.out"; }
deadline=$(( SECONDS + 60 ))
until status_in_sync; do
  (( SECONDS < deadline )) || { cat "$T/status.out"; fail "status does not say external servers, in sync (asked for 60 s)"; }
  sleep 1
done
ok "status: external servers, in sync"
"$ROOT/pipeline" check > "$T/check.out" 2>&1 || { cat "$T/check.out"; fail "check"; }
ok "check passes"
"$ROOT/pipeline" down > /dev/null
pg_admin -d shop -tAc "SELECT 1" > /dev/null && kafka-topics.sh --bootstrap-server "localhost:$KAFKA_PORT_X" --list > /dev/null \
  && ch_admin "SELECT 1" > /dev/null || fail "down stopped a server it did not start"
ok "down stopped the services and left the servers running"
echo "external test PASSED"
