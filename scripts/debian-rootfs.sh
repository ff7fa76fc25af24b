#!/usr/bin/env bash
# A Debian 12 root filesystem made with debootstrap: the stand-in for Gradescope's image
# and the base of the OCI sandbox image. Built once and cached; prints its path.
#   scripts/debian-rootfs.sh [DIR]      (default: /var/cache/autograder/bookworm-rootfs)
# Needs root and Debian's package mirror (the machine's own apt source is used).
set -euo pipefail
dir="${1:-/var/cache/autograder/bookworm-rootfs}"
if [ -f "$dir/.complete" ]; then echo "$dir"; exit 0; fi
[ "$(id -u)" -eq 0 ] || { echo "debian-rootfs: needs root" >&2; exit 1; }
export DEBIAN_FRONTEND=noninteractive
if ! command -v debootstrap >/dev/null 2>&1; then
    apt-get install -y -qq --no-install-recommends debootstrap >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1; apt-get install -y -qq --no-install-recommends debootstrap >/dev/null; }
fi
mirror="$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)"
mirror="${mirror:-http://deb.debian.org/debian}"
rm -rf "$dir.tmp"
mkdir -p "$(dirname "$dir")"
# Gradescope's base images carry a Python 3 and the tools setup.sh uses.
debootstrap --variant=minbase \
    --include=python3,python3-venv,python3-pip,ca-certificates,util-linux,procps,unzip \
    bookworm "$dir.tmp" "$mirror" >"$(dirname "$dir")/debootstrap.log" 2>&1 \
  || { echo "debian-rootfs: debootstrap failed, see $(dirname "$dir")/debootstrap.log" >&2; exit 1; }
cp /etc/resolv.conf "$dir.tmp/etc/resolv.conf" 2>/dev/null || true
touch "$dir.tmp/.complete"
rm -rf "$dir" && mv "$dir.tmp" "$dir"
echo "$dir"
