#!/usr/bin/env bash
# Make sure a local PostgreSQL server runs with a throwaway test database, and print
# its URL. As root it installs Debian's postgresql when missing. Used by `make test`.
set -euo pipefail
DB=wpw_test
ROLE=wpw_test
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  if [ "$(id -u)" != 0 ]; then
    echo "PostgreSQL is not installed: run 'sudo apt-get install -y postgresql'," \
         "or set DATABASE_URL to a throwaway PostgreSQL database." >&2
    exit 1
  fi
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
if [ "$(id -u)" != 0 ]; then
  echo "Starting PostgreSQL needs root here; set DATABASE_URL to a throwaway database." >&2
  exit 1
fi
VERSION=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk '{print $1, $2}' | grep -q "^$VERSION main$"; then
  pg_createcluster "$VERSION" main >&2
fi
pg_ctlcluster "$VERSION" main start >&2 2>/dev/null || true
PORT=$(pg_lsclusters -h | awk -v v="$VERSION" '$1 == v && $2 == "main" {print $3}')
for _ in $(seq 1 30); do
  runuser -u postgres -- pg_isready -q -p "$PORT" && break
  sleep 1
done
psql_() { runuser -u postgres -- psql -p "$PORT" -v ON_ERROR_STOP=1 -qtA "$@"; }
psql_ -c "SELECT 1 FROM pg_roles WHERE rolname = '$ROLE'" | grep -q 1 ||
  psql_ -c "CREATE ROLE $ROLE LOGIN PASSWORD '$ROLE'"
psql_ -c "DROP DATABASE IF EXISTS $DB" >&2
psql_ -c "CREATE DATABASE $DB OWNER $ROLE" >&2
echo "postgresql://$ROLE:$ROLE@127.0.0.1:$PORT/$DB"
