#!/usr/bin/env bash
# Back up a PostgreSQL database, restore the backup into an empty database, and prove the copy
# holds exactly the same schema and rows.
#
#   docs/backup-restore-check.sh SOURCE_URL TARGET_URL [DUMP_FILE]
#
# SOURCE_URL  the database to back up; it is only read.
# TARGET_URL  an existing, empty database to restore into (create it with createdb first).
# DUMP_FILE   where to keep the backup (pg_dump custom format); a temporary file when omitted.
#
# URLs are libpq URLs (postgresql://user:password@host:port/name); the application's
# postgresql+psycopg2:// form is accepted too. Needs pg_dump, pg_restore and psql of the
# server's major version or newer. Exits 0 when the copy is identical, 2 on wrong usage,
# and non-zero otherwise (1 when the copy differs).
set -euo pipefail

usage() {
    sed -n '2,14s/^# \{0,1\}//p' "$0" >&2
    exit 2
}
[ $# -ge 2 ] && [ $# -le 3 ] || usage

libpq_url() {
    local url="$1"
    url="${url/#postgresql+psycopg2:/postgresql:}"
    printf '%s' "$url"
}
source_url="$(libpq_url "$1")"
target_url="$(libpq_url "$2")"
dump_file="${3:-}"
if [ -z "$dump_file" ]; then
    dump_file="$(mktemp "${TMPDIR:-/tmp}/manifest-backup.XXXXXX")"
    trap 'rm -f "$dump_file"' EXIT
fi

# Same rendering of dates and times on both sides, whatever the servers' settings.
export PGTZ=UTC PGDATESTYLE=ISO
sql() { psql --no-psqlrc --quiet --tuples-only --no-align --set ON_ERROR_STOP=1 "$@"; }

if [ "$(sql "$target_url" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" != 0 ]; then
    echo "The target database is not empty; restore into a freshly created one." >&2
    exit 1
fi

echo "Backing up to $dump_file"
pg_dump --format=custom --no-owner --no-privileges --file="$dump_file" "$source_url"

echo "Restoring"
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction --dbname="$target_url" "$dump_file"

status=0

# Schema: tables, columns, constraints and indexes as the catalogs describe them. (Comparing
# pg_dump --schema-only texts would report false differences: PostgreSQL re-renders some CHECK
# expressions after a restore.)
schema() {
    sql "$1" -c "
        SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' null=' || is_nullable
               || ' default=' || coalesce(column_default, '-')
        FROM information_schema.columns WHERE table_schema = 'public'
        UNION ALL
        SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' '
               || CASE WHEN contype = 'c' THEN 'CHECK' ELSE pg_get_constraintdef(oid) END
        FROM pg_constraint WHERE connamespace = 'public'::regnamespace
        UNION ALL
        SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public'
        ORDER BY 1"
}
source_schema="$(schema "$source_url")"
target_schema="$(schema "$target_url")"
if [ "$source_schema" != "$target_schema" ]; then
    echo "Schema differs:" >&2
    diff <(echo "$source_schema") <(echo "$target_schema") >&2 || true
    status=1
fi

# Rows: per table, the count and a digest of every row's text, in a stable order.
fingerprint() {
    local url="$1" table
    for table in $(sql "$source_url" -c "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"); do
        printf '%s %s\n' "$table" "$(sql "$url" -c "
            SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\n' ORDER BY t::text), ''))
            FROM public.\"$table\" AS t")"
    done
}
source_rows="$(fingerprint "$source_url")"
target_rows="$(fingerprint "$target_url")"
if [ "$source_rows" != "$target_rows" ]; then
    echo "Rows differ (table, rows, digest):" >&2
    diff <(echo "$source_rows") <(echo "$target_rows") >&2 || true
    status=1
fi

tables=$(echo "$source_rows" | wc -l)
total=$(echo "$source_rows" | awk '{ n += $2 } END { print n + 0 }')
if [ "$status" = 0 ]; then
    echo "Restore verified: $tables tables, $total rows identical."
else
    echo "Restore check FAILED." >&2
fi
exit "$status"
