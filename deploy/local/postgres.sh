#!/usr/bin/env bash
# Throwaway PostgreSQL cluster on 127.0.0.1 for tests (trust auth, fsync off), no Docker.
#
# usage: deploy/local/postgres.sh start|stop|status|createdb NAME...
#   start     initdb a fresh cluster, start it, create the databases; prints
#             MEDIPRIMA_TEST_POSTGRES_URL=postgresql+asyncpg://postgres@127.0.0.1:<port>/mediprima_test
#             on stdout. Already running: creates missing databases and prints it again.
#   stop      pg_ctl stop -m fast (then the recorded pid), remove the cluster's data
#   halt      pg_ctl stop -m fast, keeping the cluster: an outage to recover from
#   resume    start a halted cluster again on the same port and data
#   restart halt, then resume: a server restart that keeps data, port and users (make chaos)
#   status    exit 0 and print the URL when running, exit 3 otherwise
#   createdb  create more databases in the running cluster (idempotent)
#   check     exit 0 when this machine can run the cluster (binaries there, or root with apt-get
#             to install them); otherwise say what to install, exit 1
#
# Databases: mediprima_test (the admin database tests connect to, to create per-test ones),
# decision_registry consultation tariffing invoicing settlement bus, plus MEDIPRIMA_PG_EXTRA_DATABASES.
#
# Environment:
#   MEDIPRIMA_INFRA_DIR           run directory (default <repo>/.var/infra); ours is ./postgres
#   MEDIPRIMA_PG_PORT             port (default: first free from 55432)
#   MEDIPRIMA_PG_EXTRA_DATABASES  more database names, space separated
#   MEDIPRIMA_PG_BINDIR           PostgreSQL bin dir (default: newest /usr/lib/postgresql/*/bin;
#                                 installed with apt-get when none is found and we are root)
#   MEDIPRIMA_INFRA_TIMEOUT       seconds to wait for startup (default 120)
# As root the server runs as the `postgres` user (runuser); otherwise as the current user.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
MEDIPRIMA_LOG_TAG=postgres

DATABASES=(mediprima_test decision_registry consultation tariffing invoicing settlement bus)
RUN_DIR="$(infra_dir)/postgres"
PID_FILE="$RUN_DIR/postgres.pid"
ENV_FILE="$RUN_DIR/postgres.env"
HOME_FILE="$RUN_DIR/cluster.path"   # where the cluster lives (RUN_DIR/cluster or a /tmp fallback)
TIMEOUT="${MEDIPRIMA_INFRA_TIMEOUT:-120}"

# --- binaries ------------------------------------------------------------------------------
find_bindir() {
  if [[ -n "${MEDIPRIMA_PG_BINDIR:-}" ]]; then
    [[ -x "$MEDIPRIMA_PG_BINDIR/initdb" ]] || die "MEDIPRIMA_PG_BINDIR=$MEDIPRIMA_PG_BINDIR has no initdb"
    echo "$MEDIPRIMA_PG_BINDIR"; return
  fi
  local dir
  dir="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/initdb' 2>/dev/null | sort -V | tail -n 1)"
  if [[ -n "$dir" ]]; then dirname "$dir"; return; fi
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
  return 1
}

install_postgres() {
  if [[ $EUID -ne 0 ]] || ! command -v apt-get >/dev/null 2>&1; then
    die "PostgreSQL server binaries (initdb, pg_ctl) not found: install them (Debian: apt-get install -y postgresql)
  or set MEDIPRIMA_PG_BINDIR=/path/to/bin, or give a server with MEDIPRIMA_TEST_POSTGRES_URL=postgresql+asyncpg://user@host:port/db"
  fi
  log "installing PostgreSQL from Debian packages (apt-get install postgresql)"
  # no default 'main' cluster on 5432: we only want the binaries
  if [[ ! -e /etc/postgresql-common/createcluster.conf ]]; then
    mkdir -p /etc/postgresql-common
    echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.conf
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq -o Dpkg::Options::=--force-confold postgresql >&2
}

# --- running as the server's user -----------------------------------------------------------
as_pg() {
  if [[ $EUID -eq 0 ]]; then
    id postgres >/dev/null 2>&1 || die "running as root needs a 'postgres' user (it comes with Debian's postgresql package)"
    # cd: the postgres user may not be allowed into the caller's working directory
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

# The cluster's home: RUN_DIR/cluster, unless the postgres user cannot reach it (e.g. under /root).
cluster_home() {
  if [[ -f "$HOME_FILE" ]]; then cat "$HOME_FILE"; return; fi
  local home="$RUN_DIR/cluster"
  mkdir -p "$home"
  if [[ $EUID -eq 0 ]]; then
    chown postgres: "$home"
    if ! runuser -u postgres -- test -w "$home" 2>/dev/null; then
      rmdir "$home"
      home="$(mktemp -d /tmp/mediprima-pg.XXXXXX)"
      chown postgres: "$home"
      log "postgres cannot reach $RUN_DIR; the cluster lives in $home"
    fi
  fi
  echo "$home" >"$HOME_FILE"
  echo "$home"
}

running_pid() {
  [[ -f "$PID_FILE" && -f "$HOME_FILE" ]] || return 1
  local pid
  pid="$(cat "$PID_FILE")"
  pid_matches "$pid" postgres "$(cat "$HOME_FILE")/data" || return 1
  echo "$pid"
}

port_of_running() { sed -n 4p "$(cat "$HOME_FILE")/data/postmaster.pid"; }

create_databases() {
  local bindir="$1" port="$2"; shift 2
  local -a names=("$@")
  local name
  for name in "${names[@]}"; do
    [[ "$name" =~ ^[a-z_][a-z0-9_]*$ ]] || die "invalid database name '$name' (use [a-z_][a-z0-9_]*)"
  done
  # one round trip, idempotent: CREATE DATABASE only for the missing ones
  "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres >/dev/null <<SQL
SELECT format('CREATE DATABASE %I', d)
FROM unnest(string_to_array('${names[*]}', ' ')) AS d
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = d)
\gexec
SQL
}

all_databases() {
  local -a extra=()
  # shellcheck disable=SC2206  # a space-separated list on purpose
  [[ -n "${MEDIPRIMA_PG_EXTRA_DATABASES:-}" ]] && extra=(${MEDIPRIMA_PG_EXTRA_DATABASES})
  echo "${DATABASES[@]}" "${extra[@]}"
}

# Start the server of the cluster in $2 on port $3 and socket directory $4; record its pid.
pg_start() {
  local bindir="$1" home="$2" port="$3" sock="$4"
  local opts="-c listen_addresses=127.0.0.1 -p $port -k '$sock' -c fsync=off -c synchronous_commit=off"
  opts+=" -c full_page_writes=off -c max_connections=300 -c shared_buffers=128MB"
  if ! as_pg "$bindir/pg_ctl" -D "$home/data" -l "$home/postgres.log" -w -t "$TIMEOUT" -o "$opts" start \
        >"$RUN_DIR/pg_ctl.log" 2>&1 9>&-; then
    cat "$RUN_DIR/pg_ctl.log" >&2
    tail -n 30 "$home/postgres.log" >&2 || true
    die "PostgreSQL did not start (log: $home/postgres.log)"
  fi
  head -n 1 "$home/data/postmaster.pid" >"$PID_FILE"
}

start() {
  local bindir pid port
  bindir="$(find_bindir)" || { install_postgres; bindir="$(find_bindir)" || die "no initdb after installing postgresql"; }
  mkdir -p "$RUN_DIR"
  if pid="$(running_pid)"; then
    port="$(port_of_running)"
    # shellcheck disable=SC2046
    create_databases "$bindir" "$port" $(all_databases)
    log "already running (pid $pid, 127.0.0.1:$port)"
    cat "$ENV_FILE"
    return 0
  fi

  local t0 home data sock
  t0="$(now_ms)"
  # fresh cluster every run
  if [[ -f "$HOME_FILE" ]]; then rm -rf "$(cat "$HOME_FILE")"; fi
  rm -f "$HOME_FILE" "$PID_FILE" "$ENV_FILE"
  home="$(cluster_home)"
  data="$home/data"
  sock="$home/sock"
  as_pg mkdir -p "$sock"
  # a Unix socket path must stay under 108 bytes
  if (( ${#sock} + 20 > 107 )); then
    sock="$(as_pg mktemp -d /tmp/mediprima-pgsock.XXXXXX)"
  fi
  echo "$sock" >"$RUN_DIR/socket.path"

  # --no-sync: nothing to make durable for a throwaway cluster (saves most of initdb's time)
  if ! as_pg "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync \
        >"$RUN_DIR/initdb.log" 2>&1; then
    # a system without the C.UTF-8 locale: plain C collation, still UTF-8
    as_pg rm -rf "$data"
    as_pg "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C --no-sync \
        >"$RUN_DIR/initdb.log" 2>&1 || { cat "$RUN_DIR/initdb.log" >&2; die "initdb failed"; }
  fi

  take_start_lock postgres
  port="$(choose_port MEDIPRIMA_PG_PORT 55432)"
  echo "$port" >"$RUN_DIR/port"
  pg_start "$bindir" "$home" "$port" "$sock"
  release_start_lock
  pid="$(cat "$PID_FILE")"

  # shellcheck disable=SC2046
  create_databases "$bindir" "$port" $(all_databases)
  printf 'MEDIPRIMA_TEST_POSTGRES_URL=postgresql+asyncpg://postgres@127.0.0.1:%s/mediprima_test\n' "$port" >"$ENV_FILE"
  log "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') ready on 127.0.0.1:$port (pid $pid, data $data) in $(( $(now_ms) - t0 ))ms"
  cat "$ENV_FILE"
}

stop() {
  local pid bindir home
  if pid="$(running_pid)"; then
    local t0
    t0="$(now_ms)"
    home="$(cat "$HOME_FILE")"
    bindir="$(find_bindir)" || bindir=""
    if [[ -z "$bindir" ]] || ! as_pg "$bindir/pg_ctl" -D "$home/data" -m fast -w -t 30 stop >/dev/null 2>&1; then
      # fall back to the recorded pid: SIGINT is PostgreSQL's fast shutdown
      kill -INT "$pid" 2>/dev/null || true
      stop_pid "$pid" 20
    fi
    log "stopped (pid $pid) in $(( $(now_ms) - t0 ))ms"
  else
    log "not running"
  fi
  if [[ -f "$HOME_FILE" ]]; then
    home="$(cat "$HOME_FILE")"
    # keep the server log next to the run files, drop the cluster
    [[ -f "$home/postgres.log" ]] && cp "$home/postgres.log" "$RUN_DIR/postgres.log"
    rm -rf "$home"
  fi
  if [[ -f "$RUN_DIR/socket.path" ]]; then
    local sock
    sock="$(cat "$RUN_DIR/socket.path")"
    [[ "$sock" == /tmp/mediprima-pgsock.* ]] && rm -rf "$sock"
  fi
  rm -f "$PID_FILE" "$ENV_FILE" "$HOME_FILE" "$RUN_DIR/socket.path" "$RUN_DIR/port"
}

halt() {
  local pid bindir
  pid="$(running_pid)" || die "not running"
  bindir="$(find_bindir)" || die "no PostgreSQL binaries"
  as_pg "$bindir/pg_ctl" -D "$(cat "$HOME_FILE")/data" -m fast -w -t 30 stop >/dev/null
  rm -f "$PID_FILE"
  log "halted (pid $pid); cluster kept, 'resume' starts it again"
}

resume() {
  if running_pid >/dev/null; then
    log "already running"; cat "$ENV_FILE"; return 0
  fi
  [[ -f "$HOME_FILE" && -f "$RUN_DIR/port" && -f "$ENV_FILE" ]] || die "nothing halted here: 'start' first"
  local bindir port
  bindir="$(find_bindir)" || die "no PostgreSQL binaries"
  port="$(cat "$RUN_DIR/port")"
  pg_start "$bindir" "$(cat "$HOME_FILE")" "$port" "$(cat "$RUN_DIR/socket.path")"
  log "resumed on 127.0.0.1:$port (pid $(cat "$PID_FILE"))"
  cat "$ENV_FILE"
}

status() {
  local pid
  if pid="$(running_pid)"; then
    log "running (pid $pid, 127.0.0.1:$(port_of_running))"
    cat "$ENV_FILE"
  else
    log "not running"
    return 3
  fi
}

createdb_cmd() {
  (($# > 0)) || die "usage: $0 createdb NAME..."
  running_pid >/dev/null || die "not running: $0 start first"
  local bindir
  bindir="$(find_bindir)" || die "no PostgreSQL binaries"
  create_databases "$bindir" "$(port_of_running)" "$@"
  log "databases present: $*"
}

check() {
  find_bindir >/dev/null && return 0
  [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null 2>&1 && return 0
  log "missing: PostgreSQL server binaries (Debian: apt-get install -y postgresql, as root), or set MEDIPRIMA_PG_BINDIR"
  return 1
}

cmd="${1:-}"
shift || true
case "$cmd" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  halt) halt ;;
  restart) halt && resume ;;
  resume) resume ;;
  createdb) createdb_cmd "$@" ;;
  check) check ;;
  *) echo "usage: $0 start|stop|halt|resume|restart|status|check|createdb NAME..." >&2; exit 2 ;;
esac
