# ./taskgrid test: builds everything, starts a private PostgreSQL for the tests, runs every
# test project, and ends with one line counted from the TRX results: "N passed, N failed".
# Sourced, not executed.

TG_TEST_RESULTS="$TG_STATE/test-results"

# The browser tests drive the machine's Chromium (never a downloaded one); they fail, not skip,
# without it. TASKGRID_CHROMIUM points them at another Chromium or Chrome.
require_chromium() {
  local chromium="${TASKGRID_CHROMIUM:-/usr/bin/chromium}"
  [ -x "$chromium" ] && return 0
  [ -z "${TASKGRID_CHROMIUM:-}" ] && apt_install chromium && [ -x /usr/bin/chromium ] && return 0
  warn "no Chromium at $chromium: the browser tests will fail (apt-get install -y chromium, or set TASKGRID_CHROMIUM)"
}

cmd_test() {
  require_dotnet; require_python; require_postgres; require_chromium
  local filter="${1:-}"
  # The test cluster trades crash durability for speed (fsync off): its data is thrown away.
  local port
  port="$(cat "$TG_STATE/test-pg.port" 2>/dev/null || true)"
  if ! pg_running test-pg; then
    port="$(free_port_from "${TASKGRID_TEST_PG_PORT:-54340}")"
  fi
  pg_start test-pg "$port" "fsync = off" "full_page_writes = off"
  trap 'pg_stop test-pg >/dev/null 2>&1 || true' EXIT
  export TASKGRID_TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$port/postgres"
  # The chaos tests stop and start this server; they need to know how.
  export TASKGRID_TEST_PG_DATA="$TG_STATE/test-pg/data" TASKGRID_TEST_PG_BIN="$PG_BIN" TASKGRID_TEST_PG_USER="$PG_USER" TASKGRID_TEST_PG_PORT_IN_USE="$port"
  # Databases left behind by an interrupted run.
  pg_psql "$port" postgres -tAc "select datname from pg_database where datname like 'tg\_test\_%'" \
    | while read -r db; do [ -n "$db" ] && pg_psql "$port" postgres -c "drop database if exists \"$db\" with (force)"; done

  rm -rf "$TG_TEST_RESULTS"; mkdir -p "$TG_TEST_RESULTS"
  info "building the solution ($TG_CONFIGURATION)"
  if ! dotnet build "$TG_ROOT/TaskGrid.sln" -c "$TG_CONFIGURATION" -nologo -v quiet -clp:"ErrorsOnly;NoSummary"; then
    say "the build failed; no tests ran"
    say "0 passed, 1 failed"
    return 1
  fi

  local project name aborted=0
  for project in "$TG_ROOT"/tests/TaskGrid.Tests.*/*.csproj; do
    name="$(basename "$project" .csproj)"
    info "running $name"
    local args=(--no-build -c "$TG_CONFIGURATION" --nologo
                --logger "trx;LogFileName=$name.trx" --results-directory "$TG_TEST_RESULTS"
                --blame-hang --blame-hang-timeout 10m)
    [ -n "$filter" ] && args+=(--filter "$filter")
    if ! dotnet test "$project" "${args[@]}"; then
      [ -s "$TG_TEST_RESULTS/$name.trx" ] || { warn "$name produced no results (the test host crashed?)"; aborted=$((aborted + 1)); }
    fi
  done
  [ -s "$TG_TEST_RESULTS/chaos-summary.txt" ] && cat "$TG_TEST_RESULTS/chaos-summary.txt"
  python3 "$TG_ROOT/scripts/trx-summary.py" "$TG_TEST_RESULTS" "$aborted"
}
