# shellcheck shell=bash
# Helpers shared by deploy/local/{kafka,postgres,with-infra}.sh. Sourced, never run.
#
# Environment (read):
#   MEDIPRIMA_INFRA_DIR   run directory for throwaway servers (default: <repo>/.var/infra)
#   XDG_CACHE_HOME        cache root (default: ~/.cache); our cache is $XDG_CACHE_HOME/mediprima

# CI may run with a minimal environment
if [[ -z "${HOME:-}" ]]; then
  HOME="$(getent passwd "$(id -u)" | cut -d: -f6)"
  export HOME
fi

MEDIPRIMA_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck disable=SC2034  # used by the scripts that source this file
MEDIPRIMA_LOCAL_DIR="$MEDIPRIMA_REPO_ROOT/deploy/local"
MEDIPRIMA_CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/mediprima"

log() { printf '%s: %s\n' "${MEDIPRIMA_LOG_TAG:-$(basename "$0" .sh)}" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Absolute run directory (created on demand).
infra_dir() {
  local dir="${MEDIPRIMA_INFRA_DIR:-$MEDIPRIMA_REPO_ROOT/.var/infra}"
  mkdir -p "$dir"
  (cd "$dir" && pwd)
}

# Milliseconds since the epoch, for timings.
now_ms() { date +%s%3N; }

# True when something accepts TCP connections on 127.0.0.1:$1.
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# First port >= $1 that nothing listens on and that is not in the remaining arguments.
find_free_port() {
  local port="$1"; shift
  local limit=$((port + 200)) taken
  while ((port < limit)); do
    taken=0
    for p in "$@"; do [[ "$p" == "$port" ]] && taken=1; done
    if ((taken == 0)) && ! port_in_use "$port"; then
      echo "$port"; return 0
    fi
    port=$((port + 1))
  done
  return 1
}

# Port from an explicit variable (must be free) or the first free one from a default.
# usage: choose_port VAR_NAME DEFAULT [ports to avoid...]
choose_port() {
  local var="$1" default="$2"; shift 2
  local given="${!var:-}"
  if [[ -n "$given" ]]; then
    [[ "$given" =~ ^[0-9]+$ ]] || die "$var=$given is not a port number"
    port_in_use "$given" && die "$var=$given: 127.0.0.1:$given is already in use"
    echo "$given"
  else
    find_free_port "$default" "$@" || die "no free port found from $default on (set $var)"
  fi
}

# True when PID $1 is alive and its command line contains every other argument.
pid_matches() {
  local pid="$1"; shift
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  [[ -r "/proc/$pid/cmdline" ]] || return 1
  local cmdline
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)" || return 1
  for needle in "$@"; do
    [[ "$cmdline" == *"$needle"* ]] || return 1
  done
  # a zombie is not running
  [[ "$(awk '/^State:/ {print $2}' "/proc/$pid/status" 2>/dev/null)" != Z ]]
}

# Send SIGTERM to PID $1, wait up to $2 seconds, then SIGKILL. Never by name.
stop_pid() {
  local pid="$1" timeout="${2:-30}" waited=0
  kill -TERM "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null && [[ "$(awk '/^State:/ {print $2}' "/proc/$pid/status" 2>/dev/null)" != Z ]]; do
    if ((waited >= timeout * 10)); then
      log "pid $pid still alive after ${timeout}s, sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
}

# Serialise port choice + start of one kind of server ($1) across concurrent runs, so two runs
# never pick the same free port (fd 9; the servers started under it must close it: 9>&-).
take_start_lock() {
  local lock="$MEDIPRIMA_CACHE_DIR/start-$1.lock"
  mkdir -p "$MEDIPRIMA_CACHE_DIR"
  exec 9>"$lock"
  flock -w 300 9 || die "could not take $lock within 300s"
}
release_start_lock() { exec 9>&-; }

# Fill a cache once per machine: FILLER runs with a fresh temporary directory inside DIR, under a
# lock and only while MARKER is missing, and moves what it made into place (renames: never half a
# cache); MARKER is written after it. usage: fill_cache DIR MARKER WHAT FILLER
fill_cache() {
  local dir="$1" marker="$2" what="$3" filler="$4"
  [[ -f "$marker" ]] && return 0
  mkdir -p "$dir"
  (
    flock -w 600 8 || die "could not lock $dir/fetch.lock"
    [[ -f "$marker" ]] && exit 0
    local tmp start
    start="$(now_ms)"
    tmp="$(mktemp -d "$dir/fetch.XXXXXX")"
    # shellcheck disable=SC2064  # expand $tmp now
    trap "rm -rf '$tmp'" EXIT
    log "fetching $what into $dir (once)"
    "$filler" "$tmp"
    touch "$marker"
    log "fetched $what in $(( ($(now_ms) - start) / 1000 ))s"
  ) 8>"$dir/fetch.lock"
}

# Run a command in DIR, its output kept in DIR/LOG and shown only when it fails (then die).
# usage: quietly DIR LOG COMMAND [ARGS...]
quietly() {
  local dir="$1" output="$2"
  shift 2
  if ! (cd "$dir" && "$@" >"$dir/$output" 2>&1); then
    cat "$dir/$output" >&2
    die "$* failed (see above)"
  fi
}

# Wait until a check passes for the server just launched (its pid in $PID_FILE, its log in
# $LOG_FILE): if it exits first, show its log and die; after $TIMEOUT seconds, stop it with
# STOPPER (given the pid and a grace period) and die.
# usage: wait_for_server NAME STOPPER CHECK [ARGS...]
wait_for_server() {
  local name="$1" stopper="$2" pid deadline
  shift 2
  pid="$(cat "$PID_FILE")"
  deadline=$(($(date +%s) + TIMEOUT))
  until "$@"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 40 "$LOG_FILE" >&2 || true
      rm -f "$PID_FILE"
      die "$name exited during startup (log: $LOG_FILE)"
    fi
    if (($(date +%s) >= deadline)); then
      tail -n 40 "$LOG_FILE" >&2 || true
      "$stopper" "$pid" 10
      rm -f "$PID_FILE"
      die "$name not ready after ${TIMEOUT}s (log: $LOG_FILE)"
    fi
    sleep 0.2
  done
}

# `status` of a server script that defines running_pid and print_env: its variables when it
# runs, exit 3 when it does not.
server_status() {
  local pid
  if pid="$(running_pid)"; then
    log "running (pid $pid)"
    print_env
  else
    log "not running"
    return 3
  fi
}
