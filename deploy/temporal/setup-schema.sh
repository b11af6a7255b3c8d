#!/bin/sh
# Creates Temporal's two PostgreSQL databases and brings each schema to the version shipped in
# this admin-tools image. Every step is idempotent: re-running it changes nothing, and after an
# image upgrade it applies only the new schema versions. The password comes from SQL_PASSWORD.
# Outside the admin-tools image (the cluster tests), SCHEMA_DIR and TEMPORAL_SQL_TOOL say where
# the schemas and the tool are.
set -eu

schema_dir=${SCHEMA_DIR:-/etc/temporal/schema/postgresql/v12}

sql_tool() {
  "${TEMPORAL_SQL_TOOL:-temporal-sql-tool}" --plugin "$SQL_PLUGIN" --ep "$SQL_HOST" -p "$SQL_PORT" -u "$SQL_USER" "$@"
}

for store in temporal:temporal temporal_visibility:visibility; do
  database=${store%%:*}
  schema=${store##*:}
  sql_tool --db "$database" create-database
  sql_tool --db "$database" setup-schema -v 0.0
  sql_tool --db "$database" update-schema -d "$schema_dir/$schema/versioned"
done
echo "Temporal schemas are up to date"
