# The prelude of the PostgreSQL tests that write their inputs with DuckDB
# (catalog_postgres.sh, load_id*.sh): sources the CLI, load, DuckDB and PostgreSQL
# helpers, fails without DuckDB, starts the private server (lib_pg.bash) and makes $D
# for the inputs.
_lib_dir=$(dirname "${BASH_SOURCE[0]}")
source "$_lib_dir/lib_cli.bash"
source "$_lib_dir/lib_load.bash"
source "$_lib_dir/lib_duckdb.bash"
source "$_lib_dir/lib_pg.bash"
have_duckdb || { echo "FAIL: DuckDB missing (cd tests/interop && npm ci)" >&2; exit 1; }
pg_start
D=$TMP/in
mkdir -p "$D"
