#!/usr/bin/env python3
"""Feeds the real node's DNS stand-in (dnsmasq) with the A records CoreDNS would serve:

  <service>.<namespace>.svc[.cluster.local]              -> the ClusterIP
  <service>.<namespace>.svc[.cluster.local] (headless)   -> each ready endpoint's IP
  <hostname>.<service>.<namespace>.svc[.cluster.local]   -> that endpoint's IP

Not answered: SRV records, PTR records, ExternalName Services, names outside the cluster.

It watches Services and Endpoints (one `kubectl get --watch` stream each, as an informer
would) and rewrites the hosts file, then tells dnsmasq to read it again (SIGHUP), within a
fraction of a second of a change. It does not list them again and again: with 5,000 Services
a full list every 2 s kept one of the machine's 2 cores busy (kubectl decoding, the apiserver
encoding) and slowed everything else on it.

When a stream ends (the apiserver closes watches after a while), kubectl starts again; what it
lists then replaces what the stream had, once the listing has gone quiet, so objects deleted
in between are forgotten and the names it serves meanwhile stay those of the last complete view.

Usage: node-dns-feeder.py KUBECTL KUBECONFIG HOSTS_FILE DNSMASQ_PID_FILE
"""
import ctypes
import json
import os
import signal
import subprocess
import sys
import threading
import time

# A new stream's listing is complete once no event came for this long.
LISTING_QUIET_SECONDS = 2.0
# A stream that printed nothing for this long after its start lists an empty kind.
LISTING_EMPTY_SECONDS = 15.0
WRITE_INTERVAL_SECONDS = 0.2
RESTART_DELAY_SECONDS = 1.0
PR_SET_PDEATHSIG = 1


def log(message):
    print(f"{time.strftime('%H:%M:%S')} {message}", flush=True)


def summarize_service(obj):
    return obj.get("spec", {}).get("clusterIP")


def summarize_endpoints(obj):
    return [(a["ip"], a.get("hostname")) for s in obj.get("subsets") or [] for a in s.get("addresses") or []]


def names(*labels):
    base = ".".join(labels) + ".svc"
    return [base, base + ".cluster.local"]


def hosts_text(services, endpoints):
    """The hosts file for {(ns, name): clusterIP} and {(ns, name): [(ip, hostname)]}."""
    lines = []
    for (ns, name), ip in sorted(services.items()):
        if ip and ip != "None":
            lines.append(f"{ip} {' '.join(names(name, ns))}")
    for (ns, name), addresses in sorted(endpoints.items()):
        if services.get((ns, name)) != "None":
            continue
        for ip, hostname in addresses:
            lines.append(f"{ip} {' '.join(names(name, ns))}")
            if hostname:
                lines.append(f"{ip} {' '.join(names(hostname, name, ns))}")
    return "\n".join(lines) + "\n"


def die_with_parent():
    # kubectl ends with this process even when it is killed without a chance to clean up.
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Watch(threading.Thread):
    """One kind's objects, kept current by `kubectl get --watch`, restarted when it ends."""

    def __init__(self, kind, summarize, kubectl, kubeconfig, lock):
        super().__init__(daemon=True, name=kind)
        self.kind, self.summarize, self.lock = kind, summarize, lock
        self.command = [kubectl, "--kubeconfig", kubeconfig, "get", kind, "--all-namespaces",
                        "--watch", "--output-watch-events", "-o", "json"]
        self.current = {}  # the last complete view, served
        self.pending = None  # a new stream's listing, until it is complete
        self.events = 0
        self.started = self.last_event = time.monotonic()
        self.changed = False
        self.listed = False  # a first listing was complete
        self.process = None

    def run(self):
        while True:
            with self.lock:
                self.pending, self.events = {}, 0
                self.started = self.last_event = time.monotonic()
            self.process = subprocess.Popen(self.command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                            text=True, preexec_fn=die_with_parent)
            for line in self.process.stdout:
                self.apply(line)
            code = self.process.wait()
            error = (self.process.stderr.read() or "").strip().splitlines()
            log(f"the watch of {self.kind} ended (exit {code}{': ' + error[-1] if error else ''}); watching again")
            time.sleep(RESTART_DELAY_SECONDS)

    def apply(self, line):
        try:
            event = json.loads(line)
            kind, obj = event.get("type"), event["object"]
        except (ValueError, KeyError, TypeError, AttributeError):
            return
        # kubectl prints its first listing as ADDED events of List objects, a page each.
        objects = obj.get("items") or [] if "items" in obj else [obj]
        with self.lock:
            target = self.current if self.pending is None else self.pending
            for item in objects:
                try:
                    key = (item["metadata"]["namespace"], item["metadata"]["name"])
                except (KeyError, TypeError):
                    continue
                if kind == "DELETED":
                    self.changed |= target.pop(key, None) is not None and target is self.current
                elif kind in ("ADDED", "MODIFIED"):
                    value = self.summarize(item)
                    if target.get(key) != value:
                        target[key] = value
                        self.changed |= target is self.current
            self.events += 1
            self.last_event = time.monotonic()

    def complete_listing(self, now):
        """Serves a new stream's listing once it has gone quiet (call with the lock held)."""
        if self.pending is None:
            return
        quiet = now - self.last_event >= LISTING_QUIET_SECONDS
        if (self.events > 0 and quiet) or now - self.started >= LISTING_EMPTY_SECONDS:
            self.changed |= self.pending != self.current
            self.current, self.pending = self.pending, None
            self.listed = True

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()


def write_hosts(path, text, pid_file):
    with open(path + ".new", "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(path + ".new", path)
    try:
        with open(pid_file, encoding="utf-8") as f:
            os.kill(int(f.read().strip()), signal.SIGHUP)
    except (OSError, ValueError):
        pass  # dnsmasq reads the file when it starts


def main():
    kubectl, kubeconfig, hosts, pid_file = sys.argv[1:5]
    lock = threading.Lock()
    watches = [Watch("services", summarize_service, kubectl, kubeconfig, lock),
               Watch("endpoints", summarize_endpoints, kubectl, kubeconfig, lock)]

    def stop(signum, _frame):
        for w in watches:
            w.stop()
        sys.exit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for w in watches:
        w.start()
    written = None
    while True:
        time.sleep(WRITE_INTERVAL_SECONDS)
        with lock:
            now = time.monotonic()
            for w in watches:
                w.complete_listing(now)
            # Until both kinds are listed, a hosts file would name too little: keep the last one.
            if not all(w.listed for w in watches) or not any(w.changed for w in watches):
                continue
            text = hosts_text(watches[0].current, watches[1].current)
            for w in watches:
                w.changed = False
        if text != written:
            write_hosts(hosts, text, pid_file)
            if written is None:
                log(f"serving the names of {sum(1 for ip in watches[0].current.values() if ip)} Services")
            written = text


if __name__ == "__main__":
    main()
