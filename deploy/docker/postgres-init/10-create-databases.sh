#!/usr/bin/env bash
# Run once by the postgres image's entrypoint on an empty data directory
# (mounted at /docker-entrypoint-initdb.d): one database per service, the bus, and the test
# admin database. More: set MEDIPRIMA_EXTRA_DATABASES="a b" on the postgres container.
set -euo pipefail

databases="decision_registry consultation tariffing invoicing settlement bus mediprima_test ${MEDIPRIMA_EXTRA_DATABASES:-}"

for db in $databases; do
  echo "creating database $db"
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "${POSTGRES_DB:-$POSTGRES_USER}" \
    --set=db="$db" <<'SQL'
SELECT format('CREATE DATABASE %I', :'db')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db')
\gexec
SQL
done
