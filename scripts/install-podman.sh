#!/usr/bin/env bash
# Install podman and its OCI runtime from Debian's packages, for the `--sandbox oci`
# backend and its test (tests/test_oci.py). Idempotent and quiet: does nothing when
# podman, runc and catatonit (podman's --init) are present.
set -uo pipefail
need=()
command -v podman >/dev/null 2>&1 || need+=(podman)
# runc: crun refuses hybrid cgroup hosts (v1 controllers plus a v2 mount); oci.py picks it.
command -v runc >/dev/null 2>&1 || need+=(runc)
[ -x /usr/libexec/podman/catatonit ] || command -v catatonit >/dev/null 2>&1 || need+=(catatonit)
[ ${#need[@]} -eq 0 ] && exit 0
[ "$(id -u)" -eq 0 ] || { echo "install-podman: not root; the OCI sandbox test will be skipped" >&2; exit 0; }
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
  || { apt-get update -qq >/dev/null 2>&1; apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1; } \
  || echo "install-podman: could not install ${need[*]}; the OCI sandbox test will be skipped" >&2
exit 0
