#!/usr/bin/env bash
# Throwaway Keycloak (an OpenID Connect provider) on 127.0.0.1, no Docker, with the `mediprima`
# realm of deploy/local/keycloak/mediprima-realm.json: the console's sign-in in production is the
# authorisation code flow against such an issuer, and its browser tests sign in through this one.
# Local and test use only: the realm's users and client secrets are in that file.
#
# usage: deploy/local/keycloak.sh start|stop|status|fetch|check
#   start   fetch Keycloak if needed, start it in dev mode (in-memory database, the realm imported),
#           wait until the realm answers its discovery document; prints on stdout
#             MEDIPRIMA_TEST_OIDC_ISSUER=http://127.0.0.1:<port>/realms/mediprima
#           Already running: prints it again.
#   stop    stop the server recorded in the pid file (by that pid only)
#   status  exit 0 and print the issuer when running, exit 3 otherwise
#   fetch   only fill the cache (the distribution from Maven Central, unpacked and built once)
#   check   exit 0 when this machine can start Keycloak (Java 21+, and Maven unless cached)
#
# Environment:
#   MEDIPRIMA_INFRA_DIR            run directory (default <repo>/.var/infra); ours is ./keycloak
#   MEDIPRIMA_KEYCLOAK_PORT        HTTP port (default: first free from 18180)
#   MEDIPRIMA_KEYCLOAK_HEAP_OPTS   JVM heap (default -Xms128M -Xmx768M)
#   MEDIPRIMA_INFRA_TIMEOUT        seconds to wait for readiness (default 180: the first start
#                                  after a fetch also builds the server, about 30 s more)
#   XDG_CACHE_HOME                 the distribution goes to ${XDG_CACHE_HOME:-~/.cache}/mediprima
#   JAVA_HOME                      Java 21+; otherwise java on PATH, or the newest JDK in /usr/lib/jvm
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
MEDIPRIMA_LOG_TAG=keycloak

KEYCLOAK_VERSION=26.7.3
REALM_FILE="$MEDIPRIMA_LOCAL_DIR/keycloak/mediprima-realm.json"
KEYCLOAK_CACHE="$MEDIPRIMA_CACHE_DIR/keycloak-$KEYCLOAK_VERSION"
KEYCLOAK_HOME="$KEYCLOAK_CACHE/keycloak-$KEYCLOAK_VERSION"
RUN_DIR="$(infra_dir)/keycloak"
PID_FILE="$RUN_DIR/keycloak.pid"
ENV_FILE="$RUN_DIR/keycloak.env"
LOG_FILE="$RUN_DIR/server.log"
TIMEOUT="${MEDIPRIMA_INFRA_TIMEOUT:-180}"
MIN_JAVA=21

java_major() {
  local major
  major="$("$1" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')"
  major="${major#1.}"
  [[ "$major" =~ ^[0-9]+$ ]] && echo "$major"
}

# The Java home to run Keycloak with: JAVA_HOME, java on PATH, then the JDKs in /usr/lib/jvm
# (Debian's default java may be 17 beside a newer one), the first of version 21 or later.
java_home() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")" \
      $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV); do
    candidate="${candidate%/}"
    [[ -n "$candidate" && -x "$candidate/bin/java" ]] || continue
    major="$(java_major "$candidate/bin/java")" || continue
    if ((major >= MIN_JAVA)); then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

# Fill the cache once (under a lock, into a temp dir, then renamed: never half a distribution),
# and build it, so that each start is a start and not a build.
fetch() {
  [[ -f "$KEYCLOAK_CACHE/.complete" ]] && return 0
  command -v mvn >/dev/null 2>&1 || die "Maven is needed once to fetch Keycloak $KEYCLOAK_VERSION from Maven Central:
  apt-get install -y maven"
  java_home >/dev/null || die "Keycloak $KEYCLOAK_VERSION needs Java $MIN_JAVA+ (set JAVA_HOME)"
  fill_cache "$KEYCLOAK_CACHE" "$KEYCLOAK_CACHE/.complete" "Keycloak $KEYCLOAK_VERSION (built)" \
    fill_distribution
}

fill_distribution() {
  local tmp="$1" home
  home="$(java_home)"
  quietly "$tmp" mvn.log mvn -B -q -ntp dependency:copy \
    "-Dartifact=org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:tar.gz" -DoutputDirectory="$tmp"
  tar -xzf "$tmp/keycloak-quarkus-dist-$KEYCLOAK_VERSION.tar.gz" -C "$tmp"
  # the build `start` runs: an in-memory database, caches in this one process
  quietly "$tmp" build.log env JAVA_HOME="$home" \
    "$tmp/keycloak-$KEYCLOAK_VERSION/bin/kc.sh" build --db=dev-mem --cache=local
  rm -rf "$KEYCLOAK_HOME"
  mv "$tmp/keycloak-$KEYCLOAK_VERSION" "$KEYCLOAK_HOME"
}

check() {
  local missing=0
  if ! java_home >/dev/null; then
    log "missing: Java $MIN_JAVA+ for Keycloak (set JAVA_HOME to a JDK $MIN_JAVA or later)"
    missing=1
  fi
  if [[ ! -f "$KEYCLOAK_CACHE/.complete" ]] && ! command -v mvn >/dev/null 2>&1; then
    log "missing: Maven, needed once to fetch Keycloak (Debian: apt-get install -y maven)"
    missing=1
  fi
  return "$missing"
}

# kc.sh runs Java as its child: the pid is the script's, the leader of its own process group.
running_pid() {
  [[ -f "$PID_FILE" && -f "$ENV_FILE" ]] || return 1
  local pid port
  pid="$(cat "$PID_FILE")"
  port="$(cut -d: -f3 "$ENV_FILE" | cut -d/ -f1)"
  pid_matches "$pid" "$KEYCLOAK_HOME/bin/kc.sh" "--http-port=$port" || return 1
  echo "$pid"
}

# The whole group (the script and its Java): TERM, then KILL after $2 seconds.
stop_group() {
  local pid="$1" timeout="$2" waited=0
  kill -TERM -- "-$pid" 2>/dev/null || return 0
  while kill -0 -- "-$pid" 2>/dev/null; do
    if ((waited >= timeout * 10)); then
      log "process group $pid still alive after ${timeout}s, sending SIGKILL"
      kill -KILL -- "-$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
}

print_env() {
  cat "$ENV_FILE"
}

start() {
  local pid
  if pid="$(running_pid)"; then
    log "already running (pid $pid)"
    print_env
    return 0
  fi
  fetch
  local home t0 port issuer
  home="$(java_home)" || die "Keycloak $KEYCLOAK_VERSION needs Java $MIN_JAVA+ (set JAVA_HOME)"
  t0="$(now_ms)"
  take_start_lock keycloak
  port="$(choose_port MEDIPRIMA_KEYCLOAK_PORT 18180)"
  rm -rf "$RUN_DIR"
  mkdir -p "$RUN_DIR" "$KEYCLOAK_HOME/data/import"
  # --import-realm reads the distribution's data/import; renamed in, never half a file
  cp "$REALM_FILE" "$KEYCLOAK_HOME/data/import/.mediprima-realm.json.$$"
  mv -f "$KEYCLOAK_HOME/data/import/.mediprima-realm.json.$$" "$KEYCLOAK_HOME/data/import/mediprima-realm.json"
  issuer="http://127.0.0.1:$port/realms/mediprima"
  # Dev mode: HTTP, an in-memory database, the realm imported at start. The hostname is fixed so
  # that every token's `iss` is the same whichever address it was asked on.
  # shellcheck disable=SC2086  # heap options are a list of words on purpose
  JAVA_HOME="$home" JAVA_OPTS_KC_HEAP="${MEDIPRIMA_KEYCLOAK_HEAP_OPTS:--Xms128M -Xmx768M}" \
    setsid "$KEYCLOAK_HOME/bin/kc.sh" start --optimized --http-enabled=true \
      --http-host=127.0.0.1 --http-port="$port" --hostname="http://127.0.0.1:$port" --import-realm \
      </dev/null >>"$LOG_FILE" 2>&1 9>&- &
  pid=$!
  echo "$pid" >"$PID_FILE"
  printf 'MEDIPRIMA_TEST_OIDC_ISSUER=%s\n' "$issuer" >"$ENV_FILE"
  wait_for_server Keycloak stop_group curl -sf -o /dev/null "$issuer/.well-known/openid-configuration"
  release_start_lock
  log "Keycloak $KEYCLOAK_VERSION ready on 127.0.0.1:$port (realm mediprima, pid $pid) in $(( $(now_ms) - t0 ))ms"
  print_env
}

stop() {
  local pid
  if pid="$(running_pid)"; then
    local t0
    t0="$(now_ms)"
    stop_group "$pid" 20
    log "stopped (pid $pid) in $(( $(now_ms) - t0 ))ms"
  else
    log "not running"
  fi
  rm -f "$PID_FILE" "$ENV_FILE"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) server_status ;;
  fetch) fetch ;;
  check) check ;;
  *) echo "usage: $0 start|stop|status|fetch|check" >&2; exit 2 ;;
esac
