#!/usr/bin/env bash
# Throwaway single-node Apache Kafka 3.9.1 (KRaft, broker + controller) on 127.0.0.1, no Docker,
# with SASL/SCRAM-SHA-512 authentication and ACL authorisation (as production runs it, minus TLS).
#
# usage: deploy/local/kafka.sh start|stop|status|fetch
#   start   fetch the jars if needed, format a fresh log dir, start, wait until ready
#           (log line "Kafka Server started" and an ApiVersions answer); prints on stdout
#             KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:<port>
#             MEDIPRIMA_KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT, MEDIPRIMA_KAFKA_SASL_MECHANISM,
#             MEDIPRIMA_KAFKA_SASL_USERNAME=admin, MEDIPRIMA_KAFKA_SASL_PASSWORD_FILE=<file>
#             MEDIPRIMA_KAFKA_CREDENTIALS_DIR=<dir>  (<user>.password for admin and each service)
#           Already running: prints them again.
#           Users (SCRAM, random passwords made per start): admin (super user) and one per service,
#           which has no rights until its ACLs are added (`mediprima kafka-acls --apply`).
#   stop    stop the broker recorded in the pid file (by that pid only), remove its data
#   halt    stop the broker (by its pid) but keep its data, users and port: an outage to recover from
#   resume  start a halted broker again on the same data, port and users; wait until ready
#   restart halt, then resume: a server restart that keeps data, port and users (make chaos)
#   status  exit 0 and print the bootstrap address when running, exit 3 otherwise
#   fetch   only fill the jar cache
#   check   exit 0 when this machine can start Kafka (Java 11+, and Maven unless the jars are cached);
#           otherwise say what to install, exit 1
#
# Environment:
#   MEDIPRIMA_INFRA_DIR               run directory (default <repo>/.var/infra); ours is ./kafka
#   MEDIPRIMA_KAFKA_PORT              client port (default: first free from 19092)
#   MEDIPRIMA_KAFKA_CONTROLLER_PORT   controller port (default: first free from 19093)
#   MEDIPRIMA_KAFKA_HEAP_OPTS         JVM heap (default -Xms256M -Xmx512M)
#   MEDIPRIMA_INFRA_TIMEOUT           seconds to wait for readiness (default 120)
#   XDG_CACHE_HOME                    jars go to ${XDG_CACHE_HOME:-~/.cache}/mediprima/kafka-3.9.1/lib
#   JAVA_HOME                         Java 11+ (java on PATH otherwise); Maven (mvn) for the first fetch
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
MEDIPRIMA_LOG_TAG=kafka

KAFKA_VERSION=3.9.1
KAFKA_CONF_DIR="$MEDIPRIMA_LOCAL_DIR/kafka"
KAFKA_HOME_CACHE="$MEDIPRIMA_CACHE_DIR/kafka-$KAFKA_VERSION"
KAFKA_LIB="$KAFKA_HOME_CACHE/lib"
RUN_DIR="$(infra_dir)/kafka"
PID_FILE="$RUN_DIR/kafka.pid"
ENV_FILE="$RUN_DIR/kafka.env"
LOG_FILE="$RUN_DIR/server.log"
CONFIG="$RUN_DIR/server.properties"
CREDENTIALS_DIR="$RUN_DIR/credentials"
TIMEOUT="${MEDIPRIMA_INFRA_TIMEOUT:-120}"
SERVICE_USERS=(decision-registry consultation tariffing invoicing settlement)

java_bin() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
    echo "$JAVA_HOME/bin/java"
  elif command -v java >/dev/null 2>&1; then
    command -v java
  else
    die "Java 11+ is needed to run Kafka locally: apt-get install -y openjdk-17-jre-headless (or set JAVA_HOME);
  or give an existing broker with KAFKA_BOOTSTRAP_SERVERS=host:port"
  fi
}

check_java() {
  local java major
  java="$(java_bin)"
  major="$("$java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')"
  major="${major#1.}"
  if ! [[ "$major" =~ ^[0-9]+$ ]] || ((major < 11)); then
    die "Kafka $KAFKA_VERSION needs Java 11+, $java is '$major': apt-get install -y openjdk-17-jre-headless"
  fi
}

# Fill $KAFKA_LIB once (under a lock, into a temp dir, then renamed: never half a cache).
fetch() {
  [[ -f "$KAFKA_LIB/.complete" ]] && return 0
  command -v mvn >/dev/null 2>&1 || die "Maven is needed once to fetch Kafka $KAFKA_VERSION from Maven Central:
  apt-get install -y maven   (or put the jars in $KAFKA_LIB, or set KAFKA_BOOTSTRAP_SERVERS=host:port)"
  fill_cache "$KAFKA_HOME_CACHE" "$KAFKA_LIB/.complete" "the Kafka $KAFKA_VERSION jars" fill_jars
}

fill_jars() {
  local tmp="$1" jar
  # copy the pom so Maven writes nothing (target/) into the work tree
  cp "$KAFKA_CONF_DIR/pom.xml" "$tmp/pom.xml"
  quietly "$tmp" mvn.log mvn -B -q -ntp dependency:copy-dependencies -DoutputDirectory="$tmp/lib"
  ls "$tmp"/lib/kafka_2.13-"$KAFKA_VERSION".jar >/dev/null || die "kafka_2.13-$KAFKA_VERSION.jar missing after fetch"
  # Move the jars in one by one (rename is atomic): a broker already running from this cache
  # (another checkout, another session) keeps its open files; jars not in our set are unlinked.
  mkdir -p "$KAFKA_LIB"
  for jar in "$KAFKA_LIB"/*.jar; do
    if [[ -e "$jar" && ! -e "$tmp/lib/${jar##*/}" ]]; then rm -f "$jar"; fi
  done
  for jar in "$tmp"/lib/*.jar; do mv -f "$jar" "$KAFKA_LIB/"; done
}

check() {
  local missing=0 java=""
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then java="$JAVA_HOME/bin/java"
  elif command -v java >/dev/null 2>&1; then java="$(command -v java)"; fi
  if [[ -z "$java" ]]; then
    log "missing: Java 11+ (Debian: apt-get install -y openjdk-17-jre-headless, or set JAVA_HOME)"
    missing=1
  fi
  if [[ ! -f "$KAFKA_LIB/.complete" ]] && ! command -v mvn >/dev/null 2>&1; then
    log "missing: Maven, needed once to fetch the Kafka jars into $KAFKA_LIB (Debian: apt-get install -y maven)"
    missing=1
  fi
  return "$missing"
}

running_pid() {
  [[ -f "$PID_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  pid_matches "$pid" kafka.Kafka "$CONFIG" || return 1
  echo "$pid"
}

# One ApiVersions request (v0) over the wire with the standard library: the one request a SASL
# listener answers before authentication. (No dependency on the project's virtualenv; python3
# missing: an open port has to do.)
api_versions_ok() {
  local port="$1"
  if ! command -v python3 >/dev/null 2>&1; then
    port_in_use "$port"; return
  fi
  python3 - "$port" <<'PY'
import socket, struct, sys
port = int(sys.argv[1])
client = b"mediprima-probe"
# header v1: api_key=18 (ApiVersions), api_version=0, correlation_id, client_id; empty body
body = struct.pack(">hhih", 18, 0, 7, len(client)) + client
try:
    with socket.create_connection(("127.0.0.1", port), timeout=3) as s:
        s.sendall(struct.pack(">i", len(body)) + body)
        buf = b""
        while len(buf) < 10:
            chunk = s.recv(4096)
            if not chunk:
                break
            buf += chunk
        _size, corr, error = struct.unpack(">iih", buf[:10])
        sys.exit(0 if corr == 7 and error == 0 else 1)
except (OSError, struct.error):
    sys.exit(1)
PY
}

print_env() {
  cat "$ENV_FILE"
}

jvm_options() {
  JVM=(-XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExplicitGCInvokesConcurrent
    -Xshare:auto -Djava.awt.headless=true
    "-Dlog4j.configuration=file:$KAFKA_CONF_DIR/log4j.properties"
    "-Dkafka.logs.dir=$RUN_DIR/logs" -cp "$KAFKA_LIB/*")
}

# Start the broker on $CONFIG in the background (the log appended to), recording its pid.
launch() {
  local java="$1" pid
  jvm_options
  # shellcheck disable=SC2206  # heap options are a list of words on purpose
  local -a heap=(${MEDIPRIMA_KAFKA_HEAP_OPTS:--Xms256M -Xmx512M})
  setsid "$java" "${heap[@]}" "${JVM[@]}" kafka.Kafka "$CONFIG" </dev/null >>"$LOG_FILE" 2>&1 9>&- &
  pid=$!
  echo "$pid" >"$PID_FILE"
}

# "Kafka Server started" logged (after the log's line $2, default 0) and an ApiVersions answer.
kafka_started() {
  local port="$1" skip="${2:-0}"
  tail -n "+$((skip + 1))" "$LOG_FILE" 2>/dev/null | grep -q "Kafka Server started" && api_versions_ok "$port"
}

wait_until_ready() {
  wait_for_server Kafka stop_pid kafka_started "$@"
}

start() {
  local pid
  if pid="$(running_pid)"; then
    log "already running (pid $pid, $(head -n 1 "$ENV_FILE" | cut -d= -f2))"
    print_env
    return 0
  fi
  check_java
  fetch
  local java t0 port cport cluster_id user
  java="$(java_bin)"
  t0="$(now_ms)"
  take_start_lock kafka
  port="$(choose_port MEDIPRIMA_KAFKA_PORT 19092)"
  cport="$(choose_port MEDIPRIMA_KAFKA_CONTROLLER_PORT 19093 "$port")"

  # fresh state for every run
  rm -rf "$RUN_DIR"
  mkdir -p "$RUN_DIR/data" "$RUN_DIR/logs"
  # passwords: readable by this user only, in the config (admin, controller) and one file each
  (umask 077; mkdir -p "$CREDENTIALS_DIR"; : >"$CONFIG")
  local -a scram=()
  for user in admin controller "${SERVICE_USERS[@]}"; do
    (umask 077; head -c 18 /dev/urandom | base64 | tr '+/' '-_' >"$CREDENTIALS_DIR/$user.password")
    [[ "$user" == controller ]] && continue
    scram+=(--add-scram "SCRAM-SHA-512=[name=$user,password=$(cat "$CREDENTIALS_DIR/$user.password")]")
  done
  sed -e "s|@PORT@|$port|g" -e "s|@CONTROLLER_PORT@|$cport|g" -e "s|@DATA_DIR@|$RUN_DIR/data|g" \
    -e "s|@ADMIN_PASSWORD@|$(cat "$CREDENTIALS_DIR/admin.password")|g" \
    -e "s|@CONTROLLER_PASSWORD@|$(cat "$CREDENTIALS_DIR/controller.password")|g" \
    "$KAFKA_CONF_DIR/server.properties.in" >"$CONFIG"

  # a cluster id is a base64url UUID (22 chars); one starting with '-' would read as an option
  cluster_id="-"
  while [[ "$cluster_id" == -* ]]; do
    cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
  done

  jvm_options

  # format is short-lived: C1 only starts faster (0.65s instead of 0.95s here)
  if ! "$java" -Xmx256M -XX:TieredStopAtLevel=1 "${JVM[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$CONFIG" "${scram[@]}" \
        >"$RUN_DIR/format.log" 2>&1 9>&-; then
    cat "$RUN_DIR/format.log" >&2
    die "kafka-storage format failed"
  fi

  launch "$java"
  {
    printf 'KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:%s\n' "$port"
    printf 'MEDIPRIMA_KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT\n'
    printf 'MEDIPRIMA_KAFKA_SASL_MECHANISM=SCRAM-SHA-512\n'
    printf 'MEDIPRIMA_KAFKA_SASL_USERNAME=admin\n'
    printf 'MEDIPRIMA_KAFKA_SASL_PASSWORD_FILE=%s\n' "$CREDENTIALS_DIR/admin.password"
    printf 'MEDIPRIMA_KAFKA_CREDENTIALS_DIR=%s\n' "$CREDENTIALS_DIR"
  } >"$ENV_FILE"

  wait_until_ready "$port"
  release_start_lock
  pid="$(cat "$PID_FILE")"
  log "Kafka $KAFKA_VERSION ready on 127.0.0.1:$port (SASL/SCRAM, controller $cport, pid $pid) in $(( $(now_ms) - t0 ))ms"
  print_env
}

stop() {
  local pid
  if pid="$(running_pid)"; then
    local t0
    t0="$(now_ms)"
    stop_pid "$pid" "${MEDIPRIMA_KAFKA_STOP_TIMEOUT:-20}"
    log "stopped (pid $pid) in $(( $(now_ms) - t0 ))ms"
  else
    log "not running"
  fi
  rm -f "$PID_FILE" "$ENV_FILE"
  rm -rf "$RUN_DIR/data" "$CREDENTIALS_DIR"
}

halt() {
  local pid
  pid="$(running_pid)" || die "not running"
  stop_pid "$pid" "${MEDIPRIMA_KAFKA_STOP_TIMEOUT:-20}"
  rm -f "$PID_FILE"
  log "halted (pid $pid); data kept, 'resume' starts it again"
}

resume() {
  if running_pid >/dev/null; then
    log "already running"; print_env; return 0
  fi
  [[ -f "$ENV_FILE" && -f "$CONFIG" ]] || die "nothing halted here: 'start' first"
  local java port skip t0
  t0="$(now_ms)"
  java="$(java_bin)"
  port="$(head -n 1 "$ENV_FILE" | cut -d: -f2)"
  skip="$(wc -l <"$LOG_FILE" 2>/dev/null || echo 0)"
  launch "$java"
  wait_until_ready "$port" "$skip"
  log "resumed on 127.0.0.1:$port (pid $(cat "$PID_FILE")) in $(( $(now_ms) - t0 ))ms"
  print_env
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) server_status ;;
  halt) halt ;;
  restart) halt && resume ;;
  resume) resume ;;
  fetch) check_java; fetch ;;
  check) check ;;
  *) echo "usage: $0 start|stop|halt|resume|restart|status|fetch|check" >&2; exit 2 ;;
esac
