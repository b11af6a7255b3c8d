#!/bin/sh
# Creates, for each service, the user and the database its *_DATABASE_URL names, on the services'
# PostgreSQL: one user per service, owner of its own database, which no other user may connect
# to. The URLs are the only place the passwords live, so this job and the workers cannot
# disagree. Idempotent: a re-run creates nothing twice and sets each password to the URL's, so
# changing a password is: change the URL, run the job again. Run by compose (services-db-setup)
# and by the dev PostgreSQL's Job on Kubernetes (k8s/services-postgres); it connects as the
# superuser given by PGHOST, PGPORT, PGUSER and PGPASSWORD.
set -eu

fail() {
  echo "create-service-databases: $*" >&2
  exit 1
}

# The server may still be starting (a Kubernetes Job has no depends_on): wait for it, not forever.
waited=0
until pg_isready -q; do
  [ "$waited" -lt "${PG_WAIT_SECONDS:-60}" ] || fail "PostgreSQL at ${PGHOST:-localhost}:${PGPORT:-5432} did not answer within ${PG_WAIT_SECONDS:-60}s"
  sleep 2
  waited=$((waited + 2))
done

seen=" "
for variable in PAYMENT_DATABASE_URL INVENTORY_DATABASE_URL SHIPPING_DATABASE_URL EMAIL_DATABASE_URL FRAUD_DATABASE_URL; do
  url=$(printenv "$variable") || fail "$variable is not set"
  # postgres://user:password@host:port/database, with no percent-encoding to undo.
  rest=${url#*://}
  credentials=${rest%%@*}
  user=${credentials%%:*}
  password=${credentials#*:}
  database=${rest##*/}
  database=${database%%\?*}
  case $url in postgres://* | postgresql://*) ;; *) fail "$variable must be a postgres:// URL" ;; esac
  echo "$user" | grep -Eq '^[a-z_][a-z0-9_]*$' || fail "$variable: the user must be a lower-case name (letters, digits, _)"
  echo "$database" | grep -Eq '^[a-z_][a-z0-9_]*$' || fail "$variable: the database must be a lower-case name (letters, digits, _)"
  # Characters a URL carries as they are, so the password needs no decoding (openssl rand -hex 24 makes one).
  echo "$password" | grep -Eq '^[A-Za-z0-9._~-]{16,}$' || fail "$variable: the password must be 16 or more of A-Z a-z 0-9 . _ ~ -"
  case $seen in *" user:$user "* | *" database:$database "*) fail "$variable: its user or database is another service's: give each service its own" ;; esac
  seen="$seen user:$user database:$database "

  psql -v ON_ERROR_STOP=1 -q -d postgres -v user="$user" -v password="$password" -v database="$database" <<'SQL'
SELECT format('CREATE ROLE %I', :'user') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'user')\gexec
ALTER ROLE :"user" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'password';
SELECT format('CREATE DATABASE %I OWNER %I', :'database', :'user') WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'database')\gexec
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
GRANT ALL ON DATABASE :"database" TO :"user";
SQL
  echo "database $database is ready for user $user"
done
