# A throwaway PostgreSQL cluster for tests and benchmarks (sourced by scripts/test.sh and
# scripts/bench-ledger.sh). Debian's postgresql package, run as the `postgres` user when we are
# root (PostgreSQL refuses to run as root); loopback only, a free private port, a private socket
# directory, trust authentication, fsync off. Sets PG_PORT and PG_DIR.

pg_bin() {
    local dir
    dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
    [ -n "$dir" ] || { echo "PostgreSQL server binaries not found (apt-get install postgresql)" >&2; return 1; }
    echo "$dir"
}

pg_as_owner() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_cluster_start() {
    local bin
    bin=$(pg_bin)
    PG_DIR=$(mktemp -d /tmp/ai-diffusion-pg.XXXXXX)
    chmod 755 "$PG_DIR"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$PG_DIR"
    PG_PORT=${PG_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')}
    pg_as_owner "$bin/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
        || { cat "$PG_DIR/initdb.log" >&2; return 1; }
    if ! pg_as_owner "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null; then
        echo "PostgreSQL did not start; its log:" >&2
        cat "$PG_DIR/server.log" >&2
        return 1
    fi
    export PG_PORT PG_DIR
}

pg_cluster_stop() {
    local bin
    bin=$(pg_bin) || return 0
    [ -n "${PG_DIR:-}" ] && [ -d "$PG_DIR/data" ] && pg_as_owner "$bin/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
    [ -n "${PG_DIR:-}" ] && rm -rf "$PG_DIR"
}
