#!/usr/bin/env bash
# Install Debian's chromium for the feedback-page browser tests (Playwright drives the
# system browser; `playwright install` downloads a browser build and cannot work here).
# Idempotent and quiet: does nothing when /usr/bin/chromium (or $CHROMIUM) is present.
# The Python package `playwright` comes from requirements.lock, not from this script.
set -euo pipefail

CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"
[ -x "$CHROMIUM" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
else
    echo "install-browser: need root (or passwordless sudo) to install chromium;" \
         "the browser tests will be skipped" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-browser: apt-get not found; install chromium by hand" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# fonts-dejavu-core: readable text in screenshots on a bare machine.
pkgs=(chromium fonts-dejavu-core)
if ! "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null 2>&1; then
    "${SUDO[@]}" apt-get update -qq >/dev/null 2>&1 || true
    if ! "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >/dev/null; then
        echo "install-browser: apt-get could not install: ${pkgs[*]}" >&2
        exit 1
    fi
fi
[ -x "$CHROMIUM" ] || { echo "install-browser: $CHROMIUM still missing after install" >&2; exit 1; }
