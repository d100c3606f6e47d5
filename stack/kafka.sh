# A single-node Kafka broker in KRaft mode, its jars fetched from Maven Central at the clients'
# version, state in $STATE_DIR/kafka. Sourced by ./pipeline after stack/lib.sh.

KAFKA_ROOT=$STATE_DIR/kafka
KAFKA_LIB=$KAFKA_ROOT/lib
KAFKA_DATA=$KAFKA_ROOT/data
KAFKA_LOG=$LOG_DIR/kafka.log
KAFKA_HEAP=${KAFKA_HEAP:-512m}

kafka_install() {
  local version; version=$(kafka_version)
  [ -f "$KAFKA_LIB/.version" ] && [ "$(cat "$KAFKA_LIB/.version")" = "$version" ] && return 0
  ensure_java
  info "fetching the Kafka $version broker from Maven Central (first run only)"
  rm -rf "$KAFKA_LIB"; mkdir -p "$KAFKA_LIB"
  mvn -B -q -Dstyle.color=never -f "$ROOT/stack/kafka-broker/pom.xml" dependency:copy-dependencies \
      -Dkafka.version="$version" -DoutputDirectory="$KAFKA_LIB" \
    || die "could not fetch the Kafka broker's jars with Maven (is Maven Central reachable?)"
  echo "$version" > "$KAFKA_LIB/.version"
}

kafka_java() { # main-class args... (log lines go to stderr: stdout is the tool's answer)
  java -Xmx256m -cp "$KAFKA_LIB/*" -Dlog4j2.configurationFile="$ROOT/stack/kafka-broker/log4j2.properties" "$@"
}

kafka_write_conf() {
  mkdir -p "$KAFKA_ROOT" "$KAFKA_DATA"
  cat > "$KAFKA_ROOT/server.properties" <<EOF
# Written by ./pipeline at every start.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://localhost:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$KAFKA_DATA
num.partitions=$KAFKA_PARTITIONS
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
min.insync.replicas=1
auto.create.topics.enable=false
group.initial.rebalance.delay.ms=0
# Compaction of the event topics keeps the newest record per id: replays stay complete.
log.cleaner.enable=true
EOF
}

kafka_format() {
  [ -f "$KAFKA_DATA/meta.properties" ] && return 0
  local cluster_id
  cluster_id=$(kafka_java kafka.tools.StorageTool random-uuid 2>> "$KAFKA_LOG" | grep -E "^[A-Za-z0-9_-]{22}$" | tail -n 1) || die "kafka storage random-uuid failed (log: $KAFKA_LOG)"
  kafka_java kafka.tools.StorageTool format -t "$cluster_id" -c "$KAFKA_ROOT/server.properties" --standalone >> "$KAFKA_LOG" 2>&1 \
    || { tail -n 20 "$KAFKA_LOG" >&2; die "formatting Kafka's storage failed (log: $KAFKA_LOG)"; }
}

kafka_ready() { port_open "$KAFKA_PORT" && grep -q "Kafka Server started" "$KAFKA_LOG"; }

kafka_up() {
  if kafka_running; then return 0; fi
  kafka_install
  require_free_port "$KAFKA_PORT" KAFKA_PORT "Kafka"
  require_free_port "$KAFKA_CONTROLLER_PORT" KAFKA_CONTROLLER_PORT "Kafka's controller"
  mkdir -p "$LOG_DIR" "$RUN_DIR"
  kafka_write_conf
  kafka_format
  info "starting Kafka $(kafka_version) (KRaft) on localhost:$KAFKA_PORT"
  : > "$KAFKA_LOG"
  setsid nohup java "-Xmx$KAFKA_HEAP" "-Xms$KAFKA_HEAP" -XX:+UseG1GC -cp "$KAFKA_LIB/*" \
      -Dlog4j2.configurationFile="$ROOT/stack/kafka-broker/log4j2.properties" \
      kafka.Kafka "$KAFKA_ROOT/server.properties" >> "$KAFKA_LOG" 2>&1 < /dev/null &
  echo $! > "$(pid_file kafka)"
  wait_until 90 Kafka "$KAFKA_LOG" "Check KAFKA_PORT/KAFKA_CONTROLLER_PORT and the log." kafka_ready
  kafka_create_topics
}

kafka_running() { live_pid kafka > /dev/null && port_open "$KAFKA_PORT"; }

# Topics with their configs; existing ones are left as they are.
kafka_create_topics() {
  local existing
  KAFKA_TOPICS_CREATED=0
  existing=$(kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --list 2>> "$KAFKA_LOG") \
    || die "listing Kafka topics failed (log: $KAFKA_LOG)"
  # Event topics are compacted by id so a replay from the earliest offset rebuilds every row;
  # the DLQ keeps every rejected record (no key needed) for 30 days, and takes 2 MiB records: a
  # rejected record of the events topic's maximum size (1 MiB) comes back with headers on top.
  kafka_create_topic "$existing" "$KAFKA_TOPIC_EVENTS" cleanup.policy=compact
  kafka_create_topic "$existing" "$KAFKA_TOPIC_CLEAN" cleanup.policy=compact
  kafka_create_topic "$existing" "$KAFKA_TOPIC_DLQ" cleanup.policy=delete retention.ms=2592000000 max.message.bytes=2097152
  # Created is not yet served: a first burst into a topic whose leader has not caught up can lose
  # a batch (KAFKA-15591). Offsets come from the partition itself, so once every partition answers,
  # the services may start.
  [ "$KAFKA_TOPICS_CREATED" = 0 ] && return 0
  kafka_java org.apache.kafka.tools.GetOffsetShell --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" \
      --topic "^($KAFKA_TOPIC_EVENTS|$KAFKA_TOPIC_CLEAN|$KAFKA_TOPIC_DLQ)\$" >> "$KAFKA_LOG" 2>&1 \
    || die "the new topics' leaders did not answer (log: $KAFKA_LOG)"
}

kafka_create_topic() { # existing-list topic config...
  local existing=$1 topic=$2; shift 2
  grep -qx "$topic" <<< "$existing" && return 0
  local args=() c
  for c in "$@"; do args+=(--config "$c"); done
  kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --create --if-not-exists \
      --topic "$topic" --partitions "$KAFKA_PARTITIONS" --replication-factor 1 "${args[@]}" >> "$KAFKA_LOG" 2>&1 \
    || die "creating topic $topic failed (log: $KAFKA_LOG)"
  info "created topic $topic ($KAFKA_PARTITIONS partitions, $*)"
  KAFKA_TOPICS_CREATED=1
}

kafka_down() {
  local pid
  pid=$(live_pid kafka) || { rm -f "$(pid_file kafka)"; return 0; }
  info "stopping Kafka (pid $pid)"
  stop_pid kafka "$pid" 60
  rm -f "$(pid_file kafka)"
}

kafka_status() {
  if kafka_running; then
    printf '%-11s up    localhost:%-6s %s\n' kafka "$KAFKA_PORT" "$(cat "$KAFKA_LIB/.version" 2>/dev/null) (KRaft)"
  else
    printf '%-11s down  localhost:%-6s\n' kafka "$KAFKA_PORT"
  fi
}
