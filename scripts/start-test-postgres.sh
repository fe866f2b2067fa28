#!/usr/bin/env bash
# Start a throw-away PostgreSQL server on loopback for the test suite and print its URL.
# Installs PostgreSQL from Debian's packages when it is missing. Usage:
#   export REVIEWBOT_TEST_DATABASE_URL=$(scripts/start-test-postgres.sh)
# Stop it with: scripts/start-test-postgres.sh stop
set -euo pipefail

PORT="${REVIEWBOT_PG_PORT:-54329}"
DATA="${REVIEWBOT_PG_DATA:-/tmp/reviewbot-pg-$PORT}"
URL="postgresql+asyncpg://reviewbot:reviewbot@127.0.0.1:$PORT/reviewbot_test"

find_bin() {
  local dir
  for dir in /usr/lib/postgresql/*/bin; do
    [ -x "$dir/pg_ctl" ] && { echo "$dir"; return 0; }
  done
  return 1
}

BIN=$(find_bin || true)
if [ -z "$BIN" ]; then
  echo "PostgreSQL not found: installing it from Debian's packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
  BIN=$(find_bin)
fi

# initdb and postgres refuse to run as root: use the postgres system user (created by the package,
# or here if the binaries came without it).
RUN_AS=()
if [ "$(id -u)" = "0" ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  RUN_AS=(runuser -u postgres --)
fi

if [ "${1:-}" = "stop" ]; then
  "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DATA" stop -m fast >&2 || true
  exit 0
fi

if ! "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  rm -rf "$DATA"
  mkdir -p "$DATA"
  [ "$(id -u)" = "0" ] && chown postgres "$DATA"
  "${RUN_AS[@]}" "$BIN/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 >/dev/null
  "${RUN_AS[@]}" "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$DATA -c fsync=off -c max_connections=200" \
    start >&2
  "${RUN_AS[@]}" "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -qc "CREATE ROLE reviewbot LOGIN PASSWORD 'reviewbot' SUPERUSER" >&2
  "${RUN_AS[@]}" "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -qc "CREATE DATABASE reviewbot_test OWNER reviewbot" >&2
fi
echo "$URL"
