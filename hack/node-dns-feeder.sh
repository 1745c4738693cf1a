#!/usr/bin/env bash
# Feeds the real node's DNS stand-in (dnsmasq): every 2 s, writes the cluster's Service names,
# and the names of the pods behind headless Services, to a hosts file and tells dnsmasq to read
# it again (SIGHUP) when it changed. What CoreDNS would answer for A records:
#   <service>.<namespace>.svc[.cluster.local]              -> the ClusterIP
#   <service>.<namespace>.svc[.cluster.local] (headless)   -> each ready endpoint's IP
#   <hostname>.<service>.<namespace>.svc[.cluster.local]   -> that endpoint's IP
# Not answered: SRV records, PTR records, ExternalName Services, names outside the cluster.
# Usage: node-dns-feeder.sh CLUSTER_DIR HOSTS_FILE DNSMASQ_PID_FILE
set -uo pipefail
cluster_dir="$1" hosts="$2" pid_file="$3"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$root/hack/lib.sh"
while true; do
  if "$TOOLS_BIN/kubectl" --kubeconfig "$cluster_dir/kubeconfig" get services,endpoints --all-namespaces -o json 2>/dev/null \
      | python3 "$root/hack/node-dns-hosts.py" >"$hosts.new" 2>/dev/null; then
    if ! cmp -s "$hosts.new" "$hosts"; then
      mv "$hosts.new" "$hosts"
      kill -HUP "$(cat "$pid_file")" 2>/dev/null || true
    fi
  fi
  sleep 2
done
