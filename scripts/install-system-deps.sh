#!/usr/bin/env bash
# Install the system packages the autograder needs: bubblewrap for the sandbox, and
# Python 3.11's venv support.
# Idempotent and quiet: does nothing when everything is already present.
# Works as root (CI) or through sudo; exits non-zero with a clear message otherwise.
set -euo pipefail

need=()
command -v bwrap >/dev/null 2>&1 || need+=(bubblewrap)
command -v setpriv >/dev/null 2>&1 || need+=(util-linux)
# Debian ships venv support separately; `make` creates .venv with it.
if ! command -v python3.11 >/dev/null 2>&1; then
    need+=(python3.11 python3.11-venv)
elif ! python3.11 -c 'import ensurepip, venv' >/dev/null 2>&1; then
    need+=(python3.11-venv)
fi

if [ ${#need[@]} -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
else
    echo "install-system-deps: need root (or passwordless sudo) to install: ${need[*]}" >&2
    echo "install-system-deps: install them by hand, or grade with --no-sandbox (unsafe)" >&2
    exit 1
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-system-deps: apt-get not found; install by hand: ${need[*]}" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# Lists may be missing or stale on a fresh machine: update once, quietly.
if ! "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1; then
    "${SUDO[@]}" apt-get update -qq >/dev/null 2>&1 || true
    if ! "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; then
        echo "install-system-deps: apt-get could not install: ${need[*]}" >&2
        exit 1
    fi
fi

command -v bwrap >/dev/null 2>&1 || { echo "install-system-deps: bwrap still missing after install" >&2; exit 1; }
