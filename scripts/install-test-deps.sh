#!/usr/bin/env bash
# System packages only the test suite uses: a PostgreSQL server (gradebook test), and
# podman with the OCI sandbox image built offline (tests/test_oci.py).
# Idempotent and quiet; each test skips with a reason if its part cannot be installed.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bash "$here/install-podman.sh"
bash "$here/build-oci-image.sh"
if command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    exit 0
fi
[ "$(id -u)" -eq 0 ] || { echo "install-test-deps: not root; the PostgreSQL test will be skipped" >&2; exit 0; }
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq --no-install-recommends postgresql >/dev/null 2>&1 \
  || { apt-get update -qq >/dev/null 2>&1; apt-get install -y -qq --no-install-recommends postgresql >/dev/null 2>&1; } \
  || echo "install-test-deps: could not install postgresql; the PostgreSQL test will be skipped" >&2
exit 0
