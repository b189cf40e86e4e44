#!/usr/bin/env bash
# The dashboard's end-to-end browser test against a real server (run by scripts/test.sh):
# a fresh SQLite ledger in a temporary directory, an officer and a screener token from
# `ai-diffusion tokens create`, `ai-diffusion serve` on a free loopback port, then
# Tests/Browser/flow.py in headless Debian chromium (the screener commits the public deals through
# the API; the officer signs in, releases, rejects, is refused an over-limit release, reads memos).
#
#   scripts/browser-flow.sh [SCREENSHOT_DIR]      (default .build/flow-screenshots)
#
# AI_DIFFUSION_BIN: the executable (default .build/debug/ai-diffusion). Exits with flow.py's status;
# the server is stopped (SIGTERM) and the directory removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${AI_DIFFUSION_BIN:-.build/debug/ai-diffusion}
shots=${1:-.build/flow-screenshots}
dir=$(mktemp -d)
server=""
cleanup() {
    if [ -n "$server" ]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$dir"
}
trap cleanup EXIT

ledger="$dir/ledger.sqlite"
officer=$("$bin" tokens create --role officer --name ana.officer --ledger "$ledger" | tail -n 1)
screener=$("$bin" tokens create --role screener --name sam.screener --ledger "$ledger" | tail -n 1)
"$bin" serve --ledger "$ledger" --host 127.0.0.1 --port 0 2>"$dir/serve.log" &
server=$!
url=""
for _ in $(seq 1 300); do
    url=$(grep -o 'listening on http://[0-9.]*:[0-9]*' "$dir/serve.log" | head -n 1 | sed 's/listening on //' || true)
    [ -n "$url" ] && break
    kill -0 "$server" 2>/dev/null || { cat "$dir/serve.log" >&2; echo "browser-flow: the server exited" >&2; exit 1; }
    sleep 0.1
done
[ -n "$url" ] || { cat "$dir/serve.log" >&2; echo "browser-flow: the server did not start listening within 30 s" >&2; exit 1; }
echo "browser-flow: serve at $url, ledger $ledger" >&2
rm -rf "$shots"
python3 Tests/Browser/flow.py --url "$url" --officer-token "$officer" --screener-token "$screener" --screenshots "$shots"
