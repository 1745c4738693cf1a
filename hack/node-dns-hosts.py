#!/usr/bin/env python3
"""Turns `kubectl get services,endpoints -A -o json` (stdin) into a hosts file (stdout) for the
real node's DNS stand-in: the A records CoreDNS would serve for Services and for the pods of
headless Services (see node-dns-feeder.sh)."""
import json
import sys


def names(*labels):
    base = ".".join(labels) + ".svc"
    return [base, base + ".cluster.local"]


def main():
    items = json.load(sys.stdin)["items"]
    services = {(i["metadata"]["namespace"], i["metadata"]["name"]): i for i in items if i["kind"] == "Service"}
    lines = []
    for (ns, name), svc in sorted(services.items()):
        ip = svc.get("spec", {}).get("clusterIP")
        if ip and ip != "None":
            lines.append(f"{ip} {' '.join(names(name, ns))}")
    for ep in items:
        if ep["kind"] != "Endpoints":
            continue
        ns, name = ep["metadata"]["namespace"], ep["metadata"]["name"]
        svc = services.get((ns, name))
        if svc is None or svc.get("spec", {}).get("clusterIP") != "None":
            continue
        for subset in ep.get("subsets") or []:
            for address in subset.get("addresses") or []:
                lines.append(f"{address['ip']} {' '.join(names(name, ns))}")
                if address.get("hostname"):
                    lines.append(f"{address['ip']} {' '.join(names(address['hostname'], name, ns))}")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
