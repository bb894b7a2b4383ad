#!/usr/bin/env bash
# Run a command with a real Apache Kafka and a real PostgreSQL (what `make test` uses).
#
# usage: deploy/local/with-infra.sh [--] COMMAND [ARGS...]
#
# Which servers (per variable, first match wins):
#   1. KAFKA_BOOTSTRAP_SERVERS / MEDIPRIMA_TEST_POSTGRES_URL already set: used as they are.
#   2. a Docker engine answers (`docker info`): `docker compose up -d --wait kafka postgres` from
#      docker-compose.yml, in a compose project of its own on free host ports; `down -v` at the end.
#   3. otherwise deploy/local/kafka.sh and deploy/local/postgres.sh (Kafka 3.9.1 from Maven Central,
#      PostgreSQL from Debian), in a private run directory, stopped at the end.
#   MEDIPRIMA_INFRA=docker|local forces 2 or 3 for what is not given.
#
# The command then gets:
#   KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:<port>
#   with a broker started here (SASL/SCRAM and ACLs on): MEDIPRIMA_KAFKA_SECURITY_PROTOCOL,
#     MEDIPRIMA_KAFKA_SASL_MECHANISM, MEDIPRIMA_KAFKA_SASL_USERNAME=admin (a super user, as
#     tests need: they make topics and groups of random names), MEDIPRIMA_KAFKA_SASL_PASSWORD_FILE
#     and MEDIPRIMA_KAFKA_CREDENTIALS_DIR (<user>.password of each service's own user).
#     A broker given by KAFKA_BOOTSTRAP_SERVERS is used with whatever MEDIPRIMA_KAFKA_* is set
#     (nothing: plaintext, no authentication).
#   MEDIPRIMA_TEST_POSTGRES_URL=postgresql+asyncpg://postgres@127.0.0.1:<port>/mediprima_test
#     (an admin URL: tests may CREATE DATABASE through it; with Docker the user is mediprima)
# Only what this script started is stopped (by pid / by its own compose project), also when the
# command fails or is interrupted; the exit code is the command's.
#
# Other environment:
#   MEDIPRIMA_INFRA_DIR  run the local servers there (default: .var/infra/run-<pid>, removed after a
#                        successful run, kept as .var/infra/last-failed-run after a failed one).
#                        A server already running there is reused and left running.
#   and the ports etc. of kafka.sh / postgres.sh (MEDIPRIMA_KAFKA_PORT, MEDIPRIMA_PG_PORT, ...).
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
MEDIPRIMA_LOG_TAG=with-infra

[[ "${1:-}" == "--" ]] && shift
if (($# == 0)); then
  echo "usage: $0 [--] COMMAND [ARGS...]" >&2
  exit 2
fi

KAFKA_SH="$MEDIPRIMA_LOCAL_DIR/kafka.sh"
POSTGRES_SH="$MEDIPRIMA_LOCAL_DIR/postgres.sh"
COMPOSE_FILE="$MEDIPRIMA_REPO_ROOT/docker-compose.yml"

# what this run started, for cleanup
started_kafka=0
started_postgres=0
compose_project=""
compose_credentials=""
private_dir=""
pg_start_job=""
child=""
cmd_status=""

# shellcheck disable=SC2317,SC2329  # run by the EXIT trap
cleanup() {
  local rc=$?
  trap '' INT TERM HUP
  [[ -n "$cmd_status" ]] && rc="$cmd_status"
  if [[ -n "$pg_start_job" ]]; then wait "$pg_start_job" 2>/dev/null || true; fi
  if ((started_kafka)); then "$KAFKA_SH" stop || true; fi
  if ((started_postgres)); then "$POSTGRES_SH" stop || true; fi
  if [[ -n "$compose_project" ]]; then
    "${compose[@]}" -f "$COMPOSE_FILE" -p "$compose_project" down -v --remove-orphans >&2 || true
  fi
  if [[ -n "$compose_credentials" ]]; then rm -rf "$compose_credentials"; fi
  if [[ -n "$private_dir" && -d "$private_dir" ]]; then
    if ((rc == 0)); then
      rm -rf "$private_dir"
    else
      local kept
      kept="$(dirname "$private_dir")/last-failed-run"
      rm -rf "$kept"
      mv "$private_dir" "$kept" 2>/dev/null && log "server logs of this failed run kept in $kept"
    fi
  fi
  exit "$rc"
}

# shellcheck disable=SC2317,SC2329  # run by the signal traps
on_signal() {
  local sig="$1" code="$2"
  trap '' INT  # a second Ctrl-C still reaches the command through the terminal, not us
  if [[ -n "$child" ]] && kill -0 "$child" 2>/dev/null; then
    # Ctrl-C already reached the command (same process group); TERM/HUP were sent to us only
    [[ "$sig" != INT ]] && kill -s "$sig" "$child" 2>/dev/null
    # then the command's own exit status (e.g. pytest's 2 after Ctrl-C)
    code=0
    wait "$child" 2>/dev/null || code=$?
  fi
  cmd_status="$code"
  exit "$code"
}

trap cleanup EXIT
trap 'on_signal INT 130' INT
trap 'on_signal TERM 143' TERM
trap 'on_signal HUP 129' HUP

need_kafka=1
need_postgres=1
[[ -n "${KAFKA_BOOTSTRAP_SERVERS:-}" ]] && need_kafka=0
[[ -n "${MEDIPRIMA_TEST_POSTGRES_URL:-}" ]] && need_postgres=0
kafka_origin="given by KAFKA_BOOTSTRAP_SERVERS"
postgres_origin="given by MEDIPRIMA_TEST_POSTGRES_URL"

# docker compose (v2 plugin) or docker-compose (v1/standalone)
compose=()
docker_engine() {
  command -v docker >/dev/null 2>&1 && timeout 20 docker info >/dev/null 2>&1 || return 1
  if docker compose version >/dev/null 2>&1; then
    compose=(docker compose)
  elif command -v docker-compose >/dev/null 2>&1; then
    compose=(docker-compose)
  else
    log "a Docker engine answers but neither 'docker compose' nor 'docker-compose' is installed"
    return 1
  fi
}

mode="${MEDIPRIMA_INFRA:-auto}"
if ((need_kafka || need_postgres)); then
  case "$mode" in
    auto) if docker_engine; then mode=docker; else mode=local; fi ;;
    docker) docker_engine || die "MEDIPRIMA_INFRA=docker but no Docker engine answers 'docker info'" ;;
    local) ;;
    *) die "MEDIPRIMA_INFRA must be auto, docker or local (got '$mode')" ;;
  esac
fi

start_docker() {
  local services=() kport="" pport=""
  compose_project="mediprima-test-$$"
  if ((need_kafka)); then
    services+=(kafka)
    kport="$(find_free_port 19092)" || die "no free port for Kafka"
  fi
  if ((need_postgres)); then
    services+=(postgres)
    pport="$(find_free_port 55432)" || die "no free port for PostgreSQL"
  fi
  log "${compose[*]} up -d --wait ${services[*]} (project $compose_project)"
  MEDIPRIMA_KAFKA_HOST_PORT="${kport:-19092}" MEDIPRIMA_POSTGRES_HOST_PORT="${pport:-55432}" \
    "${compose[@]}" -f "$COMPOSE_FILE" -p "$compose_project" up -d --wait --wait-timeout 180 "${services[@]}" >&2 \
    || die "docker compose could not start ${services[*]}"
  if ((need_kafka)); then
    export KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$kport"
    # the compose broker's users (deploy/docker/kafka/start.sh): password files as kafka.sh's
    compose_credentials="$(mktemp -d)"
    local user variable
    for user in admin decision-registry consultation tariffing invoicing settlement; do
      variable="MEDIPRIMA_KAFKA_PASSWORD_${user^^}"
      variable="${variable//-/_}"
      (umask 077; printf '%s\n' "${!variable:-$user}" >"$compose_credentials/$user.password")
    done
    export MEDIPRIMA_KAFKA_SECURITY_PROTOCOL=SASL_PLAINTEXT MEDIPRIMA_KAFKA_SASL_MECHANISM=SCRAM-SHA-512
    export MEDIPRIMA_KAFKA_SASL_USERNAME=admin
    export MEDIPRIMA_KAFKA_SASL_PASSWORD_FILE="$compose_credentials/admin.password"
    export MEDIPRIMA_KAFKA_CREDENTIALS_DIR="$compose_credentials"
    kafka_origin="docker compose service kafka, project $compose_project"
  fi
  if ((need_postgres)); then
    export MEDIPRIMA_TEST_POSTGRES_URL="postgresql+asyncpg://mediprima:mediprima@127.0.0.1:$pport/mediprima_test"
    postgres_origin="docker compose service postgres, project $compose_project"
  fi
}

# KEY=VALUE lines printed by kafka.sh / postgres.sh start: export the one we asked for.
export_from() {
  local key="$1" file="$2" line
  line="$(grep -m1 "^$key=" "$file")" || die "no $key in the output of the start script"
  export "$key=${line#*=}"
}

start_local() {
  local problems=0
  if ((need_kafka)); then "$KAFKA_SH" check || problems=1; fi
  if ((need_postgres)); then "$POSTGRES_SH" check || problems=1; fi
  if ((problems)); then
    die "cannot start the local test servers (see above). Install what is missing, or point the tests at
  running servers: KAFKA_BOOTSTRAP_SERVERS=host:port MEDIPRIMA_TEST_POSTGRES_URL=postgresql+asyncpg://user@host:port/db,
  or run a Docker engine (docker compose is then used)."
  fi
  if [[ -z "${MEDIPRIMA_INFRA_DIR:-}" ]]; then
    private_dir="$MEDIPRIMA_REPO_ROOT/.var/infra/run-$$"
    rm -rf "$private_dir"
    export MEDIPRIMA_INFRA_DIR="$private_dir"
  fi
  local run_dir
  run_dir="$(infra_dir)"
  local t0
  t0="$(now_ms)"

  # PostgreSQL in the background while Kafka starts in the foreground
  if ((need_postgres)); then
    if "$POSTGRES_SH" status >/dev/null 2>&1; then
      postgres_origin="local PostgreSQL already running in $run_dir, left running"
    else
      started_postgres=1
      postgres_origin="local PostgreSQL started here, stopped at the end"
    fi
    "$POSTGRES_SH" start >"$run_dir/postgres.start.out" 2>"$run_dir/postgres.start.err" &
    pg_start_job=$!
  fi
  if ((need_kafka)); then
    if "$KAFKA_SH" status >/dev/null 2>&1; then
      kafka_origin="local Kafka 3.9.1 already running in $run_dir, left running"
    else
      started_kafka=1
      kafka_origin="local Kafka 3.9.1 started here, stopped at the end"
    fi
    "$KAFKA_SH" start >"$run_dir/kafka.start.out"
    local key
    for key in KAFKA_BOOTSTRAP_SERVERS MEDIPRIMA_KAFKA_SECURITY_PROTOCOL MEDIPRIMA_KAFKA_SASL_MECHANISM \
        MEDIPRIMA_KAFKA_SASL_USERNAME MEDIPRIMA_KAFKA_SASL_PASSWORD_FILE MEDIPRIMA_KAFKA_CREDENTIALS_DIR; do
      export_from "$key" "$run_dir/kafka.start.out"
    done
  fi
  if ((need_postgres)); then
    local job="$pg_start_job" pg_rc=0
    wait "$job" || pg_rc=$?
    pg_start_job=""
    cat "$run_dir/postgres.start.err" >&2
    ((pg_rc == 0)) || die "postgres.sh start failed"
    export_from MEDIPRIMA_TEST_POSTGRES_URL "$run_dir/postgres.start.out"
  fi
  log "local servers ready in $(( $(now_ms) - t0 ))ms"
}

case "$mode" in
  docker) start_docker ;;
  local) start_local ;;
esac

log "Kafka ${KAFKA_BOOTSTRAP_SERVERS} ${MEDIPRIMA_KAFKA_SECURITY_PROTOCOL:-PLAINTEXT} (${kafka_origin}); PostgreSQL ${MEDIPRIMA_TEST_POSTGRES_URL} (${postgres_origin})"

# The command runs as a job we wait for, so that TERM/HUP sent to this script can be passed on.
# Asynchronous commands start with SIGINT ignored; env --default-signal gives Ctrl-C back to them.
# The job keeps our standard input (a background job would otherwise read /dev/null).
if env --default-signal=INT true 2>/dev/null; then
  if [[ -e /dev/stdin ]]; then
    env --default-signal=INT,QUIT "$@" <&0 &
  else
    env --default-signal=INT,QUIT "$@" </dev/null &
  fi
  child=$!
  status=0
  wait "$child" || status=$?
  child=""
  cmd_status="$status"
else
  # old coreutils: run in the foreground (TERM to this script then waits for the command)
  status=0
  "$@" || status=$?
  cmd_status="$status"
fi
exit "$cmd_status"
