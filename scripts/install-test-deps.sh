#!/usr/bin/env bash
# System packages only the test suite uses, set up before pytest starts: a PostgreSQL server
# (gradebook test); capsh, unzip and a Debian 12 root filesystem made with debootstrap (the
# Gradescope flow, cached under /var/cache/autograder); podman with the OCI sandbox image
# built offline from that root filesystem (tests/test_oci.py).
# Idempotent and quiet; each test skips with a reason if its part cannot be installed.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
[ "$(id -u)" -eq 0 ] || { echo "install-test-deps: not root; the PostgreSQL, root filesystem and OCI tests will be skipped" >&2; exit 0; }
export DEBIAN_FRONTEND=noninteractive
need=()
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    need+=(postgresql)
fi
command -v capsh >/dev/null 2>&1 || need+=(libcap2-bin)
command -v unzip >/dev/null 2>&1 || need+=(unzip)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
if [ ${#need[@]} -gt 0 ]; then
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1; apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1; } \
      || echo "install-test-deps: could not install ${need[*]}; the tests that need them will be skipped" >&2
fi
bash "$here/debian-rootfs.sh" >/dev/null || echo "install-test-deps: no Debian root filesystem; its tests will build or skip" >&2
# The Gradescope flow's root filesystems with setup.sh already run (cached by what it installs).
if [ -x "$here/../.venv/bin/python" ]; then
    (cd "$here/.." && .venv/bin/python -m tests.gradescope_container --prepare >/dev/null) \
      || echo "install-test-deps: the Gradescope root filesystem could not be prepared; its tests will try again" >&2
fi
bash "$here/install-podman.sh"
bash "$here/build-oci-image.sh"
exit 0
