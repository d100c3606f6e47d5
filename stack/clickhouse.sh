# A current ClickHouse server without Docker: libchdb.so (ClickHouse 26.x, from the npm package
# @chdb/lib-linux-x64-gnu) hosted by stack/clickhouse/chdb-server.c, serving HTTP and native
# protocols. Debian's clickhouse-server is 18.16 (2018): too old for today's clients.
# Sourced by ./pipeline after stack/lib.sh.

CHDB_PACKAGE=${CHDB_PACKAGE:-@chdb/lib-linux-x64-gnu@26.7.3-stable.1}
CH_ROOT=$STATE_DIR/clickhouse
CH_LIB=$CH_ROOT/lib
CH_BIN=$CH_ROOT/bin/chdb-server
CH_DATA=$CH_ROOT/data
CH_LOG=$LOG_DIR/clickhouse.log
# The listeners live only as long as this query runs; it sleeps until SIGTERM.
CH_SERVE_QUERY="SYSTEM START LISTEN HTTP; SYSTEM START LISTEN TCP; SELECT sleepEachRow(1) FROM system.numbers SETTINGS function_sleep_max_microseconds_per_block=0, max_execution_time=0 FORMAT Null"

ch_install() {
  local src=$ROOT/stack/clickhouse/chdb-server.c
  if [ ! -f "$CH_LIB/libchdb.so" ] || [ "$(cat "$CH_LIB/.package" 2>/dev/null)" != "$CHDB_PACKAGE" ]; then
    command -v npm >/dev/null || apt_install npm
    info "fetching ClickHouse ($CHDB_PACKAGE, ~180 MB) from npm (first run only)"
    mkdir -p "$DOWNLOADS" "$CH_LIB"
    local tarball
    tarball=$(cd "$DOWNLOADS" && npm pack --silent "$CHDB_PACKAGE" 2>/dev/null | tail -n 1) \
      || die "npm pack $CHDB_PACKAGE failed (is the npm registry reachable?)"
    tar -xzf "$DOWNLOADS/$tarball" -C "$CH_LIB" --strip-components=1 package/libchdb.so \
      || die "unpacking $DOWNLOADS/$tarball failed"
    rm -f "$DOWNLOADS/$tarball"
    echo "$CHDB_PACKAGE" > "$CH_LIB/.package"
  fi
  if [ ! -x "$CH_BIN" ] || [ "$src" -nt "$CH_BIN" ] || ! ldd "$CH_BIN" >/dev/null 2>&1 || ldd "$CH_BIN" | grep -q 'not found'; then
    command -v gcc >/dev/null || apt_install gcc libc6-dev
    mkdir -p "$(dirname "$CH_BIN")"
    # $ORIGIN, not an absolute path: the binary keeps finding its library when the checkout moves.
    gcc -O2 -o "$CH_BIN" "$src" -L"$CH_LIB" -lchdb -Wl,-rpath,'$ORIGIN/../lib' || die "compiling $src failed"
  fi
}

ch_query() { # SQL -> stdout, as the admin user
  curl -sS --fail-with-body --max-time 10 -u "$CLICKHOUSE_ADMIN_USER:$CLICKHOUSE_ADMIN_PASSWORD" \
    "http://127.0.0.1:$CLICKHOUSE_HTTP_PORT/" --data-binary "$1"
}

# The users, written at every start so that changed passwords apply (mode 0600: hashes only).
# - $CLICKHOUSE_ADMIN_USER: everything (operators, tests' setup and cleanup, ./pipeline itself);
# - $CLICKHOUSE_USER, the writer: create, insert and select in databases whose name starts with
#   $CLICKHOUSE_WRITER_DB_PREFIX (default `pipeline`: the live one and the tests' own), nothing
#   else: no DROP, no ALTER, no other database, no system commands;
# - `default`, without password: libchdb's own session logs in as it to open the listeners, so
#   it keeps only that right and reading system.numbers. It sees no data; a local process could
#   still stop the listeners, which is why this server is for development only (docs/OPERATIONS.md).
ch_write_users() {
  local etc=$CH_ROOT/etc db=${CLICKHOUSE_WRITER_DB_PREFIX:-pipeline}
  [[ $db =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "CLICKHOUSE_WRITER_DB_PREFIX=$db is not a valid identifier (letters, digits, _)"
  [[ $CLICKHOUSE_DATABASE == "$db"* ]] \
    || warn "CLICKHOUSE_DATABASE=$CLICKHOUSE_DATABASE does not start with $db: the writer will not be allowed to create it (set CLICKHOUSE_WRITER_DB_PREFIX)"
  mkdir -p "$etc"
  (umask 077; cat > "$etc/users.xml" <<EOF
<clickhouse>
  <profiles><default></default></profiles>
  <quotas><default></default></quotas>
  <users>
    <default>
      <password></password>
      <profile>default</profile><quota>default</quota>
      <grants><query>GRANT SYSTEM LISTEN ON *.*</query><query>GRANT SELECT ON system.numbers</query></grants>
    </default>
    <$CLICKHOUSE_ADMIN_USER>
      <password_sha256_hex>$(printf '%s' "$CLICKHOUSE_ADMIN_PASSWORD" | sha256sum | cut -d' ' -f1)</password_sha256_hex>
      <profile>default</profile><quota>default</quota>
      <access_management>1</access_management>
    </$CLICKHOUSE_ADMIN_USER>
    <$CLICKHOUSE_USER>
      <password_sha256_hex>$(printf '%s' "$CLICKHOUSE_PASSWORD" | sha256sum | cut -d' ' -f1)</password_sha256_hex>
      <profile>default</profile><quota>default</quota>
      <grants>
        <query>GRANT CREATE DATABASE, CREATE TABLE, INSERT, SELECT, SHOW ON $db*.*</query>
        <query>GRANT TABLE ENGINE ON ReplacingMergeTree</query>
      </grants>
    </$CLICKHOUSE_USER>
  </users>
</clickhouse>
EOF
  printf '<clickhouse>\n  <users_config>%s</users_config>\n</clickhouse>\n' "$etc/users.xml" > "$etc/config.xml")
}

ch_ready() { [ "$(ch_query 'SELECT 1' 2>/dev/null)" = 1 ]; }

ch_up() {
  if ch_running; then return 0; fi
  command -v curl >/dev/null || apt_install curl
  ch_install
  require_free_port "$CLICKHOUSE_HTTP_PORT" CLICKHOUSE_HTTP_PORT "ClickHouse HTTP"
  require_free_port "$CLICKHOUSE_TCP_PORT" CLICKHOUSE_TCP_PORT "ClickHouse native"
  mkdir -p "$CH_DATA" "$LOG_DIR" "$RUN_DIR"
  info "starting ClickHouse on 127.0.0.1:$CLICKHOUSE_HTTP_PORT (HTTP) and :$CLICKHOUSE_TCP_PORT (native)"
  : > "$CH_LOG"
  # Started directly (no subshell) so that $! is the server's own PID.
  ch_write_users
  setsid nohup "$CH_BIN" --config-file="$CH_ROOT/etc/config.xml" --path="$CH_DATA/" --listen_host=127.0.0.1 \
      --http_port="$CLICKHOUSE_HTTP_PORT" --tcp_port="$CLICKHOUSE_TCP_PORT" \
      --multiquery --query "$CH_SERVE_QUERY" >> "$CH_LOG" 2>&1 < /dev/null &
  echo $! > "$(pid_file clickhouse)"
  wait_until 60 ClickHouse "$CH_LOG" "Check CLICKHOUSE_HTTP_PORT/CLICKHOUSE_TCP_PORT and the log." ch_ready
}

ch_running() { servers_external || { live_pid clickhouse > /dev/null && ch_ready; }; }

ch_down() {
  local pid
  pid=$(live_pid clickhouse) || { rm -f "$(pid_file clickhouse)"; return 0; }
  info "stopping ClickHouse (pid $pid)"
  stop_pid clickhouse "$pid" 30
  rm -f "$(pid_file clickhouse)"
}

ch_status() {
  if ch_running; then
    printf '%-11s up    127.0.0.1:%-6s %s\n' clickhouse "$CLICKHOUSE_HTTP_PORT" "$(ch_query 'SELECT version()' 2>/dev/null) (native :$CLICKHOUSE_TCP_PORT)"
  else
    printf '%-11s down  127.0.0.1:%-6s\n' clickhouse "$CLICKHOUSE_HTTP_PORT"
  fi
}
