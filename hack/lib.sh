#!/usr/bin/env bash
# Shared helpers for the MedOps local-cluster scripts. Sourced, never run.
set -euo pipefail

MEDOPS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Built binaries outlive a checkout: CI and every later run reuse them.
MEDOPS_CACHE="${MEDOPS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/medops}"
K8S_VERSION="1.20.2"
K8S_DIR="$MEDOPS_CACHE/kubernetes-$K8S_VERSION"
K8S_BIN="$K8S_DIR/bin"
TOOLS_DIR="$MEDOPS_CACHE/tools"
TOOLS_BIN="$TOOLS_DIR/bin"
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

# The stamp of a recipe: a hash of its inputs (versions, package names) and of the text of the
# shell functions that carry it out. Any edit to a build step changes the stamp.
recipe_stamp() {
  local inputs="$1"; shift
  { printf '%s\n' "$inputs"; declare -f "$@"; } | sha256sum | cut -c1-16
}

# cached_product DIR "INPUTS" STEP [HELPER...]
# Makes DIR by running STEP with a scratch folder as its one argument, unless DIR already
# holds a stamp equal to this recipe's. STEP fills the scratch folder, which then replaces DIR
# whole, stamp included, so a half-made product is never taken for a finished one. A product
# made by another recipe (an older script, another version) is rebuilt, so a change to an install
# step is proven by the very next run instead of hiding behind a cache.
cached_product() {
  local dir="$1" inputs="$2"; shift 2
  local want; want="$(recipe_stamp "$inputs" "$@")"
  if [ -f "$dir/.recipe" ] && [ "$(cat "$dir/.recipe")" = "$want" ]; then return 0; fi
  if [ -e "$dir" ]; then log "$(basename "$dir") in the cache was made by another recipe; making it again"; fi
  local scratch="$dir.partial"
  rm -rf "$scratch" && mkdir -p "$scratch"
  "$1" "$scratch"
  echo "$want" >"$scratch/.recipe"
  rm -rf "$dir" && mv "$scratch" "$dir"
}
