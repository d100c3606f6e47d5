# A single-node Kafka broker in KRaft mode, its jars fetched from Maven Central at the clients'
# version, state in $STATE_DIR/kafka. Sourced by ./pipeline after stack/lib.sh.
# With PIPELINE_TOPOLOGY=cluster (`up --cluster`): three nodes from the same jars, each broker and
# controller (a 3-voter quorum), topics replicated 3 times with min.insync.replicas=2; the cluster's
# functions are at the end of this file.

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
  if kafka_cluster; then kafka_nodes_up $KAFKA_NODES; return; fi
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

kafka_running() {
  servers_external && return 0
  if kafka_cluster; then
    local n; for n in $KAFKA_NODES; do kafka_node_running "$n" || return 1; done; return 0
  fi
  live_pid kafka > /dev/null && port_open "$KAFKA_PORT"
}

# Whether clients can be served: the broker, or in a cluster at least one node.
kafka_serving() {
  kafka_cluster || { kafka_running; return; }
  local n; for n in $KAFKA_NODES; do kafka_node_running "$n" && return 0; done; return 1
}

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
  # A topic the broker does not know yet matches nothing, so each must show up in the answer.
  [ "$KAFKA_TOPICS_CREATED" = 0 ] && return 0
  local deadline=$(( SECONDS + 60 )) offsets t served
  while :; do
    served=1
    offsets=$(kafka_java org.apache.kafka.tools.GetOffsetShell --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" \
        --topic "^($KAFKA_TOPIC_EVENTS|$KAFKA_TOPIC_CLEAN|$KAFKA_TOPIC_DLQ)\$" 2>> "$KAFKA_LOG") || served=0
    for t in "$KAFKA_TOPIC_EVENTS" "$KAFKA_TOPIC_CLEAN" "$KAFKA_TOPIC_DLQ"; do
      grep -q "^$t:" <<< "$offsets" || served=0
    done
    (( served )) && return 0
    (( SECONDS < deadline )) || die "the new topics' leaders did not answer within 60 s (log: $KAFKA_LOG)"
    sleep 1
  done
}

kafka_create_topic() { # existing-list topic config...
  local existing=$1 topic=$2; shift 2
  grep -qx "$topic" <<< "$existing" && return 0
  local args=() c
  for c in "$@"; do args+=(--config "$c"); done
  kafka_java org.apache.kafka.tools.TopicCommand --bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS" --create --if-not-exists \
      --topic "$topic" --partitions "$KAFKA_PARTITIONS" --replication-factor "$(kafka_replication_factor)" "${args[@]}" >> "$KAFKA_LOG" 2>&1 \
    || die "creating topic $topic failed (log: $KAFKA_LOG)"
  info "created topic $topic ($KAFKA_PARTITIONS partitions, $(kafka_cluster && printf 'replication factor %s, ' "$(kafka_replication_factor)")$*)"
  KAFKA_TOPICS_CREATED=1
}

kafka_down() {
  if kafka_cluster; then kafka_nodes_down $KAFKA_NODES; return; fi
  local pid
  pid=$(live_pid kafka) || { rm -f "$(pid_file kafka)"; return 0; }
  info "stopping Kafka (pid $pid)"
  stop_pid kafka "$pid" 60
  rm -f "$(pid_file kafka)"
}

kafka_status() {
  if kafka_cluster; then kafka_cluster_status; return; fi
  if kafka_running; then
    printf '%-11s up    localhost:%-6s %s\n' kafka "$KAFKA_PORT" "$(cat "$KAFKA_LIB/.version" 2>/dev/null) (KRaft)"
  else
    printf '%-11s down  localhost:%-6s\n' kafka "$KAFKA_PORT"
  fi
}

# ---- the 3-node cluster (PIPELINE_TOPOLOGY=cluster) ----
# Node N (1..3): client listener KAFKA_PORT+N-1, controller listener KAFKA_CONTROLLER_PORT+N-1,
# config and data in $KAFKA_ROOT/node-N, log $LOG_DIR/kafka-N.log, PID file run/kafka-N.pid. Every
# node is broker and controller; the voters are static (controller.quorum.voters), so a node
# restarted after kill -9 rejoins the quorum as the same voter. Tools' output goes to kafka.log.

KAFKA_NODES="1 2 3"

kafka_cluster() { [ "${PIPELINE_TOPOLOGY:-single}" = cluster ]; }
kafka_replication_factor() { if kafka_cluster; then echo 3; else echo 1; fi; }
kafka_node_port() { echo $(( KAFKA_PORT + $1 - 1 )); }
kafka_node_controller_port() { echo $(( KAFKA_CONTROLLER_PORT + $1 - 1 )); }
kafka_node_dir() { printf '%s/node-%s' "$KAFKA_ROOT" "$1"; }
kafka_node_log() { printf '%s/kafka-%s.log' "$LOG_DIR" "$1"; }

kafka_node_running() { live_pid "kafka-$1" > /dev/null && port_open "$(kafka_node_port "$1")"; }

kafka_node_ready() { port_open "$(kafka_node_port "$1")" && grep -q "Kafka Server started" "$(kafka_node_log "$1")"; }

# The two ranges must not overlap: the single broker's default controller port (9093) would be
# node 2's client port, which is why the cluster's default is KAFKA_PORT+100.
kafka_cluster_check_ports() {
  local lo=$KAFKA_PORT hi=$(( KAFKA_PORT + 2 )) clo=$KAFKA_CONTROLLER_PORT chi=$(( KAFKA_CONTROLLER_PORT + 2 ))
  if (( clo <= hi && lo <= chi )); then
    die "the cluster's client ports $lo-$hi (KAFKA_PORT..+2) overlap its controller ports $clo-$chi (KAFKA_CONTROLLER_PORT..+2): set KAFKA_CONTROLLER_PORT=$(( KAFKA_PORT + 100 ))"
  fi
}

kafka_node_write_conf() { # node
  local n=$1 dir voters="" m
  dir=$(kafka_node_dir "$n")
  mkdir -p "$dir/data"
  for m in $KAFKA_NODES; do voters="$voters${voters:+,}$m@127.0.0.1:$(kafka_node_controller_port "$m")"; done
  cat > "$dir/server.properties" <<EOF
# Written by ./pipeline at every start (cluster node $n of 3).
process.roles=broker,controller
node.id=$n
controller.quorum.voters=$voters
listeners=PLAINTEXT://127.0.0.1:$(kafka_node_port "$n"),CONTROLLER://127.0.0.1:$(kafka_node_controller_port "$n")
advertised.listeners=PLAINTEXT://localhost:$(kafka_node_port "$n")
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/data
num.partitions=$KAFKA_PARTITIONS
# Every topic on all three nodes, and a write acknowledged (acks=all) only once two hold it: one
# node may die without losing an acknowledged record or stopping producers.
default.replication.factor=3
min.insync.replicas=2
offsets.topic.replication.factor=3
transaction.state.log.replication.factor=3
transaction.state.log.min.isr=2
share.coordinator.state.topic.replication.factor=3
share.coordinator.state.topic.min.isr=2
# A replica out of the ISR never becomes leader: that would drop acknowledged records.
unclean.leader.election.enable=false
auto.create.topics.enable=false
group.initial.rebalance.delay.ms=0
# Compaction of the event topics keeps the newest record per id: replays stay complete.
log.cleaner.enable=true
EOF
}

kafka_node_format() { # node
  local n=$1 dir log cluster_id
  dir=$(kafka_node_dir "$n"); log=$(kafka_node_log "$n")
  [ -f "$dir/data/meta.properties" ] && return 0
  if [ ! -s "$KAFKA_ROOT/cluster.id" ]; then
    cluster_id=$(kafka_java kafka.tools.StorageTool random-uuid 2>> "$KAFKA_LOG" | grep -E "^[A-Za-z0-9_-]{22}$" | tail -n 1) || die "kafka storage random-uuid failed (log: $KAFKA_LOG)"
    echo "$cluster_id" > "$KAFKA_ROOT/cluster.id"
  fi
  kafka_java kafka.tools.StorageTool format -t "$(cat "$KAFKA_ROOT/cluster.id")" -c "$dir/server.properties" >> "$log" 2>&1 \
    || { tail -n 20 "$log" >&2; die "formatting Kafka node $n's storage failed (log: $log)"; }
}

# Starts the given nodes that are not running (together: a node waits for a quorum before it
# serves), waits for each, then creates the topics that are missing.
kafka_nodes_up() { # node...
  local n missing="" log port cport
  for n in "$@"; do kafka_node_running "$n" || missing="$missing $n"; done
  [ -n "$missing" ] || return 0
  kafka_install
  kafka_cluster_check_ports
  mkdir -p "$LOG_DIR" "$RUN_DIR" "$KAFKA_ROOT"
  for n in $missing; do
    port=$(kafka_node_port "$n"); cport=$(kafka_node_controller_port "$n")
    live_pid "kafka-$n" > /dev/null && die "Kafka node $n (pid $(live_pid "kafka-$n")) runs but does not answer on $port (log: $(kafka_node_log "$n"))"
    require_free_port "$port" KAFKA_PORT "Kafka node $n (KAFKA_PORT+$(( n - 1 )))"
    require_free_port "$cport" KAFKA_CONTROLLER_PORT "Kafka node $n's controller (KAFKA_CONTROLLER_PORT+$(( n - 1 )))"
  done
  for n in $KAFKA_NODES; do kafka_node_write_conf "$n"; done
  for n in $missing; do kafka_node_format "$n"; done
  for n in $missing; do
    log=$(kafka_node_log "$n")
    [ -s "$log" ] && mv -f "$log" "$log.1"   # the previous run's log, e.g. up to a kill -9
    info "starting Kafka $(kafka_version) node $n (KRaft broker+controller) on localhost:$(kafka_node_port "$n")"
    setsid nohup java "-Xmx$KAFKA_HEAP" "-Xms$KAFKA_HEAP" -XX:+UseG1GC -cp "$KAFKA_LIB/*" \
        -Dlog4j2.configurationFile="$ROOT/stack/kafka-broker/log4j2.properties" \
        kafka.Kafka "$(kafka_node_dir "$n")/server.properties" >> "$log" 2>&1 < /dev/null &
    echo $! > "$(pid_file "kafka-$n")"
  done
  for n in $missing; do
    wait_until 120 "Kafka node $n" "$(kafka_node_log "$n")" \
      "Check KAFKA_PORT/KAFKA_CONTROLLER_PORT and the log; a node serves only once two of the three voters run." kafka_node_ready "$n"
  done
  kafka_create_topics
}

# SIGTERM to every given node at once (a node stopped alone waits for the quorum in its controlled
# shutdown), then each waited for; SIGKILL after 60 s.
kafka_nodes_down() { # node...
  local n pid entry pids=()
  for n in "$@"; do
    if pid=$(live_pid "kafka-$n"); then
      info "stopping Kafka node $n (pid $pid)"
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$n:$pid")
    else
      rm -f "$(pid_file "kafka-$n")"
    fi
  done
  for entry in ${pids[@]+"${pids[@]}"}; do
    stop_pid "kafka-${entry%%:*}" "${entry#*:}" 60
    rm -f "$(pid_file "kafka-${entry%%:*}")"
  done
}

# kill -9 of one node (chaos): no shutdown, no flush; `server start kafka-N` brings it back.
kafka_node_kill() { # node
  local pid
  pid=$(live_pid "kafka-$1") || { info "Kafka node $1 is not running: nothing to kill"; return 0; }
  info "killing Kafka node $1 (pid $pid, SIGKILL)"
  kill -KILL "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$(pid_file "kafka-$1")"
}

kafka_node_arg() { # kafka-N -> N, or dies
  case "$1" in
    kafka-1|kafka-2|kafka-3)
      kafka_cluster || die "$1: this stack runs a single Kafka broker (PIPELINE_TOPOLOGY=single); ./pipeline up --cluster runs three"
      echo "${1#kafka-}" ;;
    *) die "unknown Kafka node $1 (kafka-1, kafka-2 or kafka-3)" ;;
  esac
}

kafka_cluster_status() {
  local n port pid
  for n in $KAFKA_NODES; do
    port=$(kafka_node_port "$n")
    if kafka_node_running "$n"; then
      pid=$(live_pid "kafka-$n")
      printf '%-11s up    localhost:%-6s %s, controller :%s, pid %s, rss %s MiB, heap max %s\n' "kafka-$n" "$port" \
        "$(cat "$KAFKA_LIB/.version" 2>/dev/null) (KRaft broker+controller)" "$(kafka_node_controller_port "$n")" \
        "$pid" "$(awk '/^VmRSS:/ { printf "%d", $2 / 1024 }' "/proc/$pid/status" 2>/dev/null)" "$KAFKA_HEAP"
    else
      printf '%-11s down  localhost:%-6s\n' "kafka-$n" "$port"
    fi
  done
}
