#!/usr/bin/env bash
# The images a real kubelet node runs, made without a container engine or a registry: Debian
# packages and the project's own published binaries, packed by hack/oci-image.py into OCI image
# tarballs under $MEDOPS_CACHE/images/<name>/, then imported into a containerd.
#
#   hack/images.sh build [NAME...]          make (or reuse from the cache) the images; default all
#   hack/images.sh import SOCKET [NAME...]  import built images into the containerd at SOCKET
#                                           (namespace k8s.io), skipping those it already has
#   hack/images.sh ref NAME                 print an image's reference
#
# Names: pause operator model-initializer sample-trainer sample-server. Each image is a cached
# product (lib.sh): it is made again exactly when its inputs (sources, Debian versions, the
# recipe's functions, oci-image.py) change. Needs root (debootstrap, chroot, dpkg-deb owners).
# shellcheck disable=SC2317 # the build steps are called through cached_product, by name
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

IMAGES=(pause operator model-initializer sample-trainer sample-server)
IMAGES_DIR="$MEDOPS_CACHE/images"
IMAGE_VERSION="0.1.0"
SUITE="bookworm"
OCI_IMAGE="$MEDOPS_ROOT/hack/oci-image.py"
SAMPLE_MODEL_DIR="$MEDOPS_ROOT/images/sample-model"
# The shared libraries a self-contained .NET app loads: the C and C++ runtimes, zlib, OpenSSL
# (TLS, hashing), ICU (the initializer's NFC file names), CA roots (https model sources) and
# time zones (workspaces' active hours).
DOTNET_BASE_PACKAGES=(libc6 libgcc-s1 libstdc++6 zlib1g libssl3 libicu72 ca-certificates tzdata)
PATH_ENV="PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

image_ref() {
  case "$1" in
    pause) echo "localhost/medops/pause:3.2" ;;
    operator | model-initializer | sample-trainer | sample-server) echo "localhost/medops/$1:$IMAGE_VERSION" ;;
    *) die "unknown image '$1' (known: ${IMAGES[*]})" ;;
  esac
}

debian_mirror() {
  local uri
  uri="$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)"
  echo "${uri:-http://deb.debian.org/debian}"
}

# Runs a short step and logs how long it took.
timed() {
  local label="$1" start=$SECONDS; shift
  "$@"
  log "$label done in $((SECONDS - start))s"
}

# --- steps shared by the recipes ------------------------------------------------------------

pack_layer() {
  local root="$1" out="$2"
  timed "packing the layer of $root" python3 "$OCI_IMAGE" --pack "$root" --out "$out" >"$out.diff_id"
  log "  layer $(du -h "$out" | cut -f1), diff_id $(cat "$out.diff_id")"
}

# write_image DIR NAME OCI-IMAGE-ARGS...: DIR/image.tar, DIR/ref and DIR/digest (the manifest's).
write_image() {
  local out="$1" name="$2"; shift 2
  local ref; ref="$(image_ref "$name")"
  timed "packing $ref" python3 "$OCI_IMAGE" --out "$out/image.tar" --ref "$ref" \
    --label "org.opencontainers.image.title=$name" "$@" >"$out/digest"
  echo "$ref" >"$out/ref"
}

# Docs, man pages and translations: nothing in a pod reads them.
trim_rootfs() {
  local root="$1"
  rm -rf "${root:?}"/usr/share/{doc,man,info,locale,lintian,doc-base}
}

# 65532 is the UID the chart runs as; a passwd entry lets libraries that look the user up (Python's
# pwd, getpass) find it. Its home is /tmp, the only writable place with a read-only root.
add_nonroot_user() {
  local root="$1"
  mkdir -p "$root/etc"
  grep -qs '^root:' "$root/etc/passwd" || echo 'root:x:0:0:root:/root:/usr/sbin/nologin' >>"$root/etc/passwd"
  grep -qs '^root:' "$root/etc/group" || echo 'root:x:0:' >>"$root/etc/group"
  echo 'nonroot:x:65532:65532:nonroot:/tmp:/usr/sbin/nologin' >>"$root/etc/passwd"
  echo 'nonroot:x:65532:' >>"$root/etc/group"
}

# Runs a command as UID 65532 inside a root file system, with its own /proc (the .NET host finds
# itself through /proc/self/exe) in a private mount namespace, so no mount outlives it.
run_in_rootfs() {
  local root="$1"; shift
  mkdir -p "$root/proc"
  env -i "$PATH_ENV" HOME=/tmp DOTNET_EnableDiagnostics=0 \
    unshare --mount --pid --fork --mount-proc="$root/proc" chroot --userspec=65532:65532 "$root" "$@"
}

# --- the .NET base: Debian's libraries without debootstrap ----------------------------------

# Each package pinned to the version apt would install now, so that a Debian update changes the
# base's stamp (and rebuilds it) instead of hiding behind the cache.
pinned_packages() {
  apt-cache show --no-all-versions "$@" 2>/dev/null | awk '/^Package:/ {p = $2} /^Version:/ {print p "=" $2}'
}

# The bundle update-ca-certificates would write, and the paths where Debian's OpenSSL looks
# for it (OPENSSLDIR is /usr/lib/ssl; the openssl package, not libssl3, ships these links).
add_ca_bundle() {
  local root="$1"
  mkdir -p "$root/etc/ssl/certs" "$root/usr/lib/ssl"
  awk 1 "$root"/usr/share/ca-certificates/mozilla/*.crt >"$root/etc/ssl/certs/ca-certificates.crt"
  ln -s /etc/ssl/certs "$root/usr/lib/ssl/certs"
  ln -s /etc/ssl/certs/ca-certificates.crt "$root/usr/lib/ssl/cert.pem"
}

# dotnet-base/rootfs (kept, to check the apps in) and dotnet-base/layer.tar, shared by both
# .NET images. Packages are unpacked, not installed: no maintainer scripts, no dpkg database.
build_dotnet_base() {
  local out="$1" root="$1/rootfs"
  mkdir -p "$out/debs" "$root"
  timed "downloading ${#DOTNET_PINS[@]} Debian packages" \
    env -C "$out/debs" apt-get -qq -o APT::Sandbox::User=root download "${DOTNET_PINS[@]}"
  local deb
  for deb in "$out"/debs/*.deb; do dpkg-deb -x "$deb" "$root"; done
  rm -rf "$out/debs"
  trim_rootfs "$root"
  # glibc's iconv modules: .NET converts text encodings itself.
  rm -rf "$root/usr/lib/x86_64-linux-gnu/gconv"
  add_ca_bundle "$root"
  add_nonroot_user "$root"
  mkdir -p "$root/tmp" "$root/proc" "$root/dev" "$root/sys"
  chmod 1777 "$root/tmp"
  pack_layer "$root" "$out/layer.tar"
}

# --- the .NET images --------------------------------------------------------------------------

# The projects a .NET project is built from: itself and, recursively, its ProjectReferences.
project_closure() {
  local project="$1" ref
  echo "$project"
  sed -n 's|.*<ProjectReference Include="\.\./\([^/"]*\)/.*|\1|p' "$MEDOPS_ROOT/$project"/*.csproj |
    while read -r ref; do project_closure "src/$ref"; done
}

# A short hash of the files under PATHS (relative to DIR), build outputs left out, in an order
# that does not depend on the locale.
tree_hash() {
  local dir="$1"; shift
  (cd "$dir" && find "$@" \( -name bin -o -name obj \) -prune -o -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) |
    sha256sum | cut -c1-16
}

# Every file that a publish of the project reads from the tree, committed or not: a code change
# rebuilds its image and no change reuses it.
source_hash() {
  local projects
  mapfile -t projects < <(project_closure "$1" | sort -u)
  tree_hash "$MEDOPS_ROOT" "${projects[@]}" Directory.Build.props Directory.Packages.props global.json .editorconfig
}

# Publishes into DIR/layer/app. Its own artifacts path keeps bin/ and obj/ of the tree, which
# builds and tests running at the same time use, out of it. PathMap takes the checkout's and the
# cache's paths out of the binaries (PDB paths, CallerFilePath): the same sources give the same
# image wherever they are built (%2C: a comma would end the -p property).
publish_app() {
  local out="$1" project="$2"
  mkdir -p "$out/layer"
  # From the root, so that its global.json chooses the SDK.
  run_with_progress "dotnet publish $project" env -C "$MEDOPS_ROOT" dotnet publish "$project" -c Release -r linux-x64 \
    --self-contained true -p:PublishReadyToRun=true --nologo \
    "-p:PathMap=$out/artifacts=/artifacts%2C$MEDOPS_ROOT=/src" \
    --artifacts-path "$out/artifacts" -o "$out/layer/app"
  rm -rf "$out/artifacts"
}

# Runs the app on the base it will ship on, so that a missing library fails the build, not a pod.
# Hard links make the trial root file system cheap; it is deleted after.
check_app() {
  local out="$1"; shift
  local root="$out/check"
  cp -al "$IMAGES_DIR/dotnet-base/rootfs" "$root"
  cp -al "$out/layer/." "$root/"
  run_in_rootfs "$root" "$@" >"$out/check.log" 2>&1 || { cat "$out/check.log" >&2; die "$* does not run in the image"; }
  log "  $* runs in the image: $(head -n 1 "$out/check.log")"
  rm -rf "$root" "$out/check.log"
}

# The contract of src/MedOps.Operator/Dockerfile: UID 65532, /app, no diagnostics pipes.
write_dotnet_image() {
  local out="$1" name="$2" app="$3"; shift 3
  write_image "$out" "$name" --layer "$IMAGES_DIR/dotnet-base/layer.tar" --layer "$out/layer" \
    --entrypoint "[\"/app/$app\"]" --user 65532:65532 --workdir /app \
    --env "$PATH_ENV" --env DOTNET_EnableDiagnostics=0 --env DOTNET_CLI_TELEMETRY_OPTOUT=1 "$@"
  rm -rf "$out/layer"
}

# Metrics on 8080, probes on 8081, admission webhooks on 9443 when the chart enables them.
# The GC's gen0 budget comes from the Dockerfile, where its reason is written.
build_operator() {
  local gen0; gen0="$(grep -o 'DOTNET_GCgen0size=[0-9a-fx]*' src/MedOps.Operator/Dockerfile)" \
    || die "src/MedOps.Operator/Dockerfile sets no DOTNET_GCgen0size"
  publish_app "$1" src/MedOps.Operator
  check_app "$1" /app/medops-operator --help
  write_dotnet_image "$1" operator medops-operator --env ASPNETCORE_URLS= --env "$gen0" \
    --expose 8080 --expose 8081 --expose 9443
}

# digest exercises OpenSSL (SHA-256) and ICU (NFC names), the libraries --help would not load.
build_model_initializer() {
  publish_app "$1" src/MedOps.ModelInitializer
  check_app "$1" /app/medops-model-initializer digest /app
  write_dotnet_image "$1" model-initializer medops-model-initializer
}

# --- the sample model images ------------------------------------------------------------------

# python-base/layer.tar: Debian minbase with python3 and scikit-learn, packed once and shared by
# sample-trainer and sample-server (the same diff_id, so a node stores and unpacks it once).
# debootstrap runs in its own mount namespace: its /proc and /sys mounts cannot outlive it.
build_python_base() {
  local out="$1" root="$1/rootfs"
  run_with_progress "debootstrap $SUITE python3 python3-sklearn" \
    unshare --mount debootstrap --variant=minbase --include=python3,python3-sklearn "$SUITE" "$root" "$(debian_mirror)"
  rm -rf "${root:?}"/var/cache/apt/* "${root:?}"/var/lib/apt/lists/* "${root:?}"/var/log/* "${root:?}"/dev/*
  trim_rootfs "$root"
  # python3-scipy depends on pythran, a compiler, which brings gcc and the C++ and Boost headers:
  # 320 MB of a 780 MB layer that nothing in a pod runs. (dpkg's database still lists them.)
  rm -rf "${root:?}"/usr/include "${root:?}"/usr/lib/gcc "${root:?}"/usr/lib/python3.*/config-* "${root:?}"/usr/bin/*-lto-dump-*
  add_nonroot_user "$root"
  run_in_rootfs "$root" python3 -c 'import sklearn, joblib, numpy' || die "scikit-learn does not import in the python base"
  pack_layer "$root" "$out/layer.tar"
  rm -rf "$root"
}

# The scripts of images/sample-model on top of the python base, as /opt/medops.
write_sample_image() {
  local out="$1" name="$2" script="$3"; shift 3
  [ -f "$SAMPLE_MODEL_DIR/$script" ] || die "images/sample-model/$script is missing"
  mkdir -p "$out/layer/opt/medops"
  install -m 0644 "$SAMPLE_MODEL_DIR"/*.py "$out/layer/opt/medops/"
  write_image "$out" "$name" --layer "$IMAGES_DIR/python-base/layer.tar" --layer "$out/layer" \
    --entrypoint "[\"python3\", \"/opt/medops/$script\"]" --user 65532:65532 --workdir /opt/medops \
    --env "$PATH_ENV" --env PYTHONDONTWRITEBYTECODE=1 --env PYTHONUNBUFFERED=1 "$@"
  rm -rf "$out/layer"
}

build_sample_trainer() { write_sample_image "$1" sample-trainer train.py; }
build_sample_server() { write_sample_image "$1" sample-server serve.py --expose 8080; }

# --- build ------------------------------------------------------------------------------------

# What every product's stamp shares: the packer's own code.
packer_input() { echo "oci-image.py $(sha256sum <"$OCI_IMAGE" | cut -c1-16)"; }

DOTNET_PINS=()
ensure_dotnet_base() {
  [ ${#DOTNET_PINS[@]} -gt 0 ] || mapfile -t DOTNET_PINS < <(pinned_packages "${DOTNET_BASE_PACKAGES[@]}")
  [ ${#DOTNET_PINS[@]} -eq ${#DOTNET_BASE_PACKAGES[@]} ] ||
    die "apt knows versions of only ${DOTNET_PINS[*]:-none} of ${DOTNET_BASE_PACKAGES[*]}: run apt-get update"
  cached_product "$IMAGES_DIR/dotnet-base" "$(packer_input) $SUITE ${DOTNET_PINS[*]}" \
    build_dotnet_base trim_rootfs add_ca_bundle add_nonroot_user pack_layer timed
}

ensure_python_base() {
  apt_install debootstrap
  cached_product "$IMAGES_DIR/python-base" "$(packer_input) debootstrap minbase $SUITE python3 python3-sklearn" \
    build_python_base trim_rootfs add_nonroot_user run_in_rootfs pack_layer timed
}

dotnet_sdk() { echo "dotnet $(cd "$MEDOPS_ROOT" && dotnet --version)"; }

# The inputs of an image on a base: its reference, the packer, and the base's own stamp.
image_input() { echo "$(image_ref "$1") $(packer_input) $2 $(cat "$IMAGES_DIR/$2/.recipe")"; }

ensure_image() {
  local name="$1" dir="$IMAGES_DIR/$1"
  case "$name" in
    pause)
      [ -x "$K8S_BIN/pause" ] || die "$K8S_BIN/pause is missing: hack/install.sh builds it"
      cached_product "$dir" "$(image_ref pause) $(packer_input) $(sha256sum <"$K8S_BIN/pause")" \
        build_pause write_image timed ;;
    operator)
      ensure_dotnet_base
      cached_product "$dir" "$(image_input operator dotnet-base) $(dotnet_sdk) $(source_hash src/MedOps.Operator)" \
        build_operator publish_app check_app run_in_rootfs write_dotnet_image write_image timed ;;
    model-initializer)
      ensure_dotnet_base
      cached_product "$dir" "$(image_input model-initializer dotnet-base) $(dotnet_sdk) $(source_hash src/MedOps.ModelInitializer)" \
        build_model_initializer publish_app check_app run_in_rootfs write_dotnet_image write_image timed ;;
    sample-trainer | sample-server)
      ensure_python_base
      cached_product "$dir" "$(image_input "$name" python-base) scripts $(tree_hash "$SAMPLE_MODEL_DIR" .)" \
        "build_${name//-/_}" write_sample_image write_image timed ;;
  esac
}

# The pause binary alone: the sandbox image whose process holds a pod's namespaces.
build_pause() {
  local out="$1"
  mkdir -p "$out/layer"
  install -m 0755 "$K8S_BIN/pause" "$out/layer/pause"
  write_image "$out" pause --layer "$out/layer" --entrypoint '["/pause"]'
  rm -rf "$out/layer"
}

build_images() {
  local names=("$@") name
  [ ${#names[@]} -gt 0 ] || names=("${IMAGES[@]}")
  for name in "${names[@]}"; do image_ref "$name" >/dev/null; done
  for name in "${names[@]}"; do
    local start=$SECONDS dir="$IMAGES_DIR/$name"
    ensure_image "$name"
    log "$name: $(cat "$dir/ref") $(cat "$dir/digest"), $(du -h "$dir/image.tar" | cut -f1) ($((SECONDS - start))s)"
  done
}

# --- import -----------------------------------------------------------------------------------

# True when containerd's image list (ctr images ls) names REF with DIGEST.
has_image() {
  awk -v ref="$2" -v digest="$3" '$1 == ref && $3 == digest {found = 1} END {exit !found}' <<<"$1"
}

# ctr import unpacks into the snapshotter as it imports (the kubelet's pods need the unpacked
# snapshot); it names an image after the io.containerd.image.name annotation oci-image.py writes.
import_images() {
  local socket="$1"; shift
  local names=("$@") name
  [ ${#names[@]} -gt 0 ] || names=("${IMAGES[@]}")
  [ -S "$socket" ] || die "no containerd socket at $socket"
  local ctr=(ctr --address "$socket" --namespace k8s.io)
  local listed; listed="$("${ctr[@]}" images ls)" || die "containerd at $socket does not answer"
  for name in "${names[@]}"; do
    local dir="$IMAGES_DIR/$name"
    [ -f "$dir/.recipe" ] || die "$name is not built: run hack/images.sh build $name"
    local ref digest start=$SECONDS
    ref="$(cat "$dir/ref")" digest="$(cat "$dir/digest")"
    if has_image "$listed" "$ref" "$digest"; then
      log "$name: containerd already has $ref"
      continue
    fi
    "${ctr[@]}" images import --snapshotter overlayfs "$dir/image.tar" >/dev/null
    has_image "$("${ctr[@]}" images ls)" "$ref" "$digest" || die "$ref is not in containerd after importing $dir/image.tar"
    log "$name: imported $ref in $((SECONDS - start))s"
  done
}

main() {
  local command="${1:-}"; shift || true
  case "$command" in
    build) build_images "$@" ;;
    import)
      [ $# -ge 1 ] || die "usage: hack/images.sh import SOCKET [NAME...]"
      apt_install containerd
      import_images "$@" ;;
    ref)
      [ $# -eq 1 ] || die "usage: hack/images.sh ref NAME"
      image_ref "$1" ;;
    *) die "usage: hack/images.sh build [NAME...] | import SOCKET [NAME...] | ref NAME" ;;
  esac
}
# One line, so that bash has read the whole file before it runs: an edit made meanwhile cannot
# splice itself into a running build.
main "$@"; exit
