#!/usr/bin/env bash
# The HTTP load generator `make bench` drives closed loops with (wrk, from Debian packages).
#
# usage: deploy/local/wrk.sh ensure|check
#   ensure  print the path of wrk; install it with apt-get first when missing and we are root
#   check   exit 0 when wrk is there or can be installed; otherwise say what to install, exit 1
#
# Environment:
#   MEDIPRIMA_WRK   a wrk binary to use instead of the one on PATH
# shellcheck source-path=SCRIPTDIR
set -euo pipefail

# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
MEDIPRIMA_LOG_TAG=wrk

find_wrk() {
  if [[ -n "${MEDIPRIMA_WRK:-}" ]]; then
    [[ -x "$MEDIPRIMA_WRK" ]] || die "MEDIPRIMA_WRK=$MEDIPRIMA_WRK is not an executable"
    echo "$MEDIPRIMA_WRK"
    return
  fi
  command -v wrk
}

can_install() { [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null 2>&1; }

install_wrk() {
  can_install || die "wrk not found: install it (Debian: apt-get install -y wrk), or set MEDIPRIMA_WRK=/path/to/wrk"
  log "installing wrk from Debian packages (apt-get install wrk)"
  export DEBIAN_FRONTEND=noninteractive
  # the package lists may be missing on a fresh machine; update only when the package is unknown
  if ! apt-cache show wrk >/dev/null 2>&1; then apt-get update -qq >&2; fi
  apt-get install -y -qq wrk >&2
}

ensure() {
  local wrk
  if ! wrk="$(find_wrk)"; then
    install_wrk
    wrk="$(find_wrk)" || die "no wrk on PATH after installing it"
  fi
  echo "$wrk"
}

check() {
  find_wrk >/dev/null && return 0
  can_install && return 0
  log "missing: wrk (Debian: apt-get install -y wrk, as root), or set MEDIPRIMA_WRK"
  return 1
}

case "${1:-}" in
  ensure) ensure ;;
  check) check ;;
  *) echo "usage: $0 ensure|check" >&2; exit 2 ;;
esac
