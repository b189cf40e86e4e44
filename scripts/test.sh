#!/usr/bin/env bash
# Runs the whole test suite on a fresh machine: installs what the tests need from Debian packages,
# starts a throwaway PostgreSQL cluster on 127.0.0.1 (private port and socket directory, trust
# authentication, fsync off), builds once, runs every test against both ledger backends (SQLite and
# PostgreSQL), and stops the cluster on exit. This is the README's test command and what CI runs
# (.ci/run).
#
# Then the dashboard's browser test: every page rendered by `dashboard-samples`, opened in headless
# Debian chromium by Tests/Browser/pages.py (PyPI selenium); pages in .build/dashboard-pages,
# screenshots in .build/dashboard-screenshots.
# Chromium missing is a failure, not a skip: this script installs it.
#
# AI_DIFFUSION_TEST_POSTGRES_URL already set: use that server instead of starting one.
# AI_DIFFUSION_SKIP_POSTGRES=1: run the SQLite side only.
set -euo pipefail
cd "$(dirname "$0")/.."

need() { dpkg -s "$1" >/dev/null 2>&1 || missing+=("$1"); }
missing=()
need libsqlite3-dev
need chromium
need chromium-driver
if [ -z "${AI_DIFFUSION_TEST_POSTGRES_URL:-}" ] && [ "${AI_DIFFUSION_SKIP_POSTGRES:-0}" != 1 ]; then
    need postgresql
    need postgresql-contrib
fi
# The simulator's numpy reference (scripts/reference_engine.py) runs in the tests.
command -v python3 >/dev/null 2>&1 || missing+=(python3)
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}" >&2
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ! python3 -c 'import numpy' >/dev/null 2>&1; then
    echo "installing numpy (PyPI)" >&2
    python3 -m pip install --quiet numpy 2>/dev/null || python3 -m pip install --quiet --break-system-packages numpy \
        || { SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"; $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-numpy >/dev/null; }
    python3 -c 'import numpy' || { echo "numpy could not be installed; the simulator's reference test needs it" >&2; exit 1; }
fi

if [ -z "${AI_DIFFUSION_TEST_POSTGRES_URL:-}" ] && [ "${AI_DIFFUSION_SKIP_POSTGRES:-0}" != 1 ]; then
    source scripts/pg-cluster.sh
    pg_cluster_start
    trap pg_cluster_stop EXIT
    export AI_DIFFUSION_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:${PG_PORT}/postgres"
    echo "PostgreSQL for tests: $AI_DIFFUSION_TEST_POSTGRES_URL" >&2
fi

SELENIUM_VERSION=4.51.0
if ! python3 -c "import selenium" 2>/dev/null; then
    echo "installing selenium==$SELENIUM_VERSION from PyPI" >&2
    python3 -m pip install -q "selenium==$SELENIUM_VERSION"
fi

swift build --build-tests
swift test --skip-build --disable-xctest

rm -rf .build/dashboard-pages .build/dashboard-screenshots
.build/debug/dashboard-samples --out .build/dashboard-pages
python3 Tests/Browser/pages.py --root .build/dashboard-pages --screenshots .build/dashboard-screenshots
