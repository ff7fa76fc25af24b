#!/usr/bin/env bash
# Build the `--sandbox oci` image offline: import the Debian 12 root filesystem made by
# scripts/debian-rootfs.sh into podman as localhost/la4ml-bookworm, then build
# ./Containerfile on it with INSTALL_LOCK=0 (the course's venv is bound read-only at run
# time, so nothing is downloaded). Idempotent and quiet: rebuilds only when the
# Containerfile changed. Prints nothing on success; exits 0 with a note when it cannot.
#   scripts/build-oci-image.sh [ROOTFS]   (default: /var/cache/autograder/bookworm-rootfs)
set -uo pipefail
rootfs="${1:-/var/cache/autograder/bookworm-rootfs}"
image="${AUTOGRADER_IMAGE:-la4ml-autograder:latest}"
base=localhost/la4ml-bookworm:latest
here="$(cd "$(dirname "$0")/.." && pwd)"
note() { echo "build-oci-image: $*; the OCI sandbox test will be skipped" >&2; exit 0; }
command -v podman >/dev/null 2>&1 || note "podman is not installed"
[ -f "$rootfs/.complete" ] || note "no Debian root filesystem at $rootfs (run scripts/debian-rootfs.sh)"
if ! podman image exists "$base" 2>/dev/null; then
    tar -C "$rootfs" --exclude=./.complete -cf - . | podman import --quiet - "$base" >/dev/null 2>&1 \
      || note "podman import of $rootfs failed"
fi
recipe="$(sha256sum "$here/Containerfile" | cut -c1-16)"
have="$(podman image inspect -f '{{index .Labels "la4ml.recipe"}}' "$image" 2>/dev/null || true)"
[ "$have" = "$recipe" ] && exit 0
ctx="$(mktemp -d)"
trap 'rm -rf "$ctx"' EXIT
cp "$here/Containerfile" "$here/requirements.lock" "$ctx/"
rt=()
[ -d /sys/fs/cgroup/unified ] && command -v runc >/dev/null 2>&1 && rt=(--runtime runc)
# Explicit limits: podman's defaults exceed the hard limits of a host without CAP_SYS_RESOURCE.
podman build "${rt[@]}" --ulimit nofile=4096:4096 --ulimit nproc=4096:4096 \
    --quiet --pull=never --network=none --build-arg "BASE=$base" \
    --build-arg INSTALL_LOCK=0 --label "la4ml.recipe=$recipe" \
    -t "$image" -f "$ctx/Containerfile" "$ctx" >"$ctx/build.log" 2>&1 \
  || { tail -5 "$ctx/build.log" >&2; note "podman build failed"; }
exit 0
