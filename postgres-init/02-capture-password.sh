#!/usr/bin/env bash
# Sets the capture role's password from CAPTURE_PGPASSWORD, so that no secret lives in the repo.
# Runs under ./pipeline up (PG* variables set) and as a PostgreSQL image init script
# (POSTGRES_USER / POSTGRES_DB set, local socket).
set -euo pipefail
if [ -z "${CAPTURE_PGPASSWORD:-}" ]; then
  echo "CAPTURE_PGPASSWORD is not set: the capture role cdc_capture cannot log in without a password" >&2
  exit 1
fi
psql -X -q -v ON_ERROR_STOP=1 -v pw="$CAPTURE_PGPASSWORD" \
  --username "${POSTGRES_USER:-${PGUSER:-postgres}}" --dbname "${POSTGRES_DB:-${PGDATABASE:-postgres}}" <<'SQL'
ALTER ROLE cdc_capture PASSWORD :'pw';
SQL
