#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs what the tests need from Debian packages,
# builds once, runs every test. This is the README's test command and what CI runs (.ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

need() { dpkg -s "$1" >/dev/null 2>&1 || missing+=("$1"); }
missing=()
need libsqlite3-dev
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}" >&2
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

swift build --build-tests
swift test --skip-build --disable-xctest
