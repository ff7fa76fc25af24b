#!/usr/bin/env bash
# System packages only the test suite uses: a PostgreSQL server (gradebook test), capsh and
# unzip (the Gradescope flow in a Debian root filesystem), and that root filesystem itself
# (debootstrap, cached under /var/cache/autograder). Idempotent and quiet; a test whose
# tool cannot be installed skips with a reason.
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
[ "$(id -u)" -eq 0 ] || { echo "install-test-deps: not root; the PostgreSQL and root filesystem tests will be skipped" >&2; exit 0; }
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
exit 0
