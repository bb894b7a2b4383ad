#!/usr/bin/env bash
# Run once by the postgres image's entrypoint on an empty data directory
# (mounted at /docker-entrypoint-initdb.d): one database per service and the bus, each owned by
# a role of the same name that may connect to it alone (no superuser, no other database), and
# the test admin database. Each service's database also gets a runtime role <name>_app that may
# connect and owns nothing: the service runs as it, once its migration (run as the owner with
# MEDIPRIMA_DATABASE_RUNTIME_ROLE) has granted it row rights (servicekit.dbroles). A role's
# password is MEDIPRIMA_DB_PASSWORD_<NAME> (upper case, e.g. _INVOICING or _INVOICING_APP), else
# its name: fit for a laptop only. More databases: MEDIPRIMA_EXTRA_DATABASES="a b".
set -euo pipefail

services="decision_registry consultation tariffing invoicing settlement"
owned="$services bus ${MEDIPRIMA_EXTRA_DATABASES:-}"

for db in $owned; do
  echo "creating role and database $db"
  password_variable="MEDIPRIMA_DB_PASSWORD_${db^^}"
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "${POSTGRES_DB:-$POSTGRES_USER}" \
    --set=db="$db" --set=password="${!password_variable:-$db}" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', :'db', :'password')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'db')
\gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'db')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db')
\gexec
SELECT format('REVOKE CONNECT, TEMPORARY ON DATABASE %I FROM PUBLIC', :'db')
\gexec
SQL
done

for db in $services; do
  echo "creating runtime role ${db}_app"
  password_variable="MEDIPRIMA_DB_PASSWORD_${db^^}_APP"
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "${POSTGRES_DB:-$POSTGRES_USER}" \
    --set=db="$db" --set=role="${db}_app" --set=password="${!password_variable:-${db}_app}" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', :'role', :'password')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role')
\gexec
SELECT format('GRANT CONNECT ON DATABASE %I TO %I', :'db', :'role')
\gexec
SQL
done

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "${POSTGRES_DB:-$POSTGRES_USER}" <<'SQL'
SELECT 'CREATE DATABASE mediprima_test'
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'mediprima_test')
\gexec
SQL
