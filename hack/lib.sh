#!/usr/bin/env bash
# Shared helpers for the MedOps local-cluster scripts. Sourced, never run.
set -euo pipefail

MEDOPS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Built binaries outlive a checkout: CI and every later run reuse them.
MEDOPS_CACHE="${MEDOPS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/medops}"
K8S_VERSION="1.20.2"
K8S_BIN="$MEDOPS_CACHE/kubernetes-$K8S_VERSION/bin"
TOOLS_BIN="$MEDOPS_CACHE/tools/bin"
# Runtime state of one local cluster (pids, certs, kubeconfig, logs, audit log).
CLUSTER_DIR="${MEDOPS_CLUSTER_DIR:-$MEDOPS_ROOT/.cluster}"

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
warn() { printf '\033[1;33mwarning:\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# Runs a long command, printing its output's last line every few seconds so the user sees
# progress without thousands of compiler lines.
run_with_progress() {
  local label="$1"; shift
  local logfile; logfile="$(mktemp)"
  local start=$SECONDS
  ( "$@" >"$logfile" 2>&1 ) &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 10
    local last; last="$(tail -n 1 "$logfile" 2>/dev/null | cut -c1-100)"
    printf '    [%s %3ds] %s\n' "$label" $((SECONDS - start)) "$last" >&2
  done
  if ! wait "$pid"; then
    tail -n 40 "$logfile" >&2
    die "$label failed (full log: $logfile)"
  fi
  rm -f "$logfile"
  log "$label done in $((SECONDS - start))s"
}

# Picks a free TCP port on 127.0.0.1 by asking the kernel for one.
free_port() {
  python3 - <<'PY' 2>/dev/null || (shuf -i 20000-40000 -n 1)
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()
PY
}

apt_updated=0
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ $apt_updated -eq 0 ]; then
    run_with_progress "apt-get update" apt-get update
    apt_updated=1
  fi
  log "installing Debian packages: ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null
}
