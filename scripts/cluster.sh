# ./taskgrid up | down | status: a local cluster of two silos and a gateway. Sourced, not executed.

TG_SILOS="${TASKGRID_SILOS:-2}"
# The gateway port: TASKGRID_PORT, else the one the last ./taskgrid up used (so that status and
# the CLI find a cluster started on another port), else 8080.
TG_PORT="${TASKGRID_PORT:-$(cat "$TG_STATE/gateway.port" 2>/dev/null || echo 8080)}"
TG_URL="http://127.0.0.1:${TG_PORT}"
TG_RUN="$TG_STATE/run"
TG_LOGS="$TG_STATE/logs"

database_url() {
  if [ -n "${TASKGRID_DATABASE_URL:-}" ]; then printf '%s\n' "$TASKGRID_DATABASE_URL"
  elif [ -n "${DATABASE_URL:-}" ]; then printf '%s\n' "$DATABASE_URL"
  else printf 'postgres://postgres@127.0.0.1:%s/taskgrid\n' "${TASKGRID_PG_PORT:-54329}"
  fi
}

uses_private_database() { [ -z "${TASKGRID_DATABASE_URL:-}" ] && [ -z "${DATABASE_URL:-}" ]; }

pid_alive() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

start_process() { # NAME PROJECT [args...]
  local name=$1 project=$2; shift 2
  local pidfile="$TG_RUN/$name.pid"
  if pid_alive "$pidfile"; then
    info "$name is already running (pid $(cat "$pidfile"))"; return
  fi
  local dll="$TG_PUBLISHED/$project/TaskGrid.$project.dll"
  TASKGRID_DATABASE_URL="$(database_url)" setsid nohup dotnet "$dll" "$@" >>"$TG_LOGS/$name.log" 2>&1 </dev/null &
  echo $! > "$pidfile"
}

stop_process() { # NAME
  local pidfile="$TG_RUN/$1.pid" pid
  pid_alive "$pidfile" || { rm -f "$pidfile"; return; }
  pid="$(cat "$pidfile")"
  kill -TERM "$pid" 2>/dev/null || true
  local waited=0
  while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt 40 ]; do sleep 1; waited=$((waited + 1)); done
  if kill -0 "$pid" 2>/dev/null; then
    warn "$1 did not stop within 40 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

wait_healthy() {
  local deadline=$((SECONDS + 120)) body=""
  while [ "$SECONDS" -lt "$deadline" ]; do
    body="$(curl -s --max-time 3 "$TG_URL/v1/status" || true)"
    case "$body" in *'"status":"healthy"'*) return 0 ;; esac
    if ! pid_alive "$TG_RUN/gateway.pid"; then
      die "the gateway exited; see $TG_LOGS/gateway.log:
$(tail -n 20 "$TG_LOGS/gateway.log")"
    fi
    sleep 1
  done
  die "the cluster did not become healthy within 120 s. Last status: ${body:-no answer}. Logs: $TG_LOGS/"
}

# The local admin key: made once, kept in .taskgrid/admin.key (readable by you only), and
# given to the gateway as its bootstrap admin key.
ensure_admin_key() {
  if [ ! -s "$TG_STATE/admin.key" ]; then
    (umask 077; python3 -c 'import secrets; print("tg_admin_" + secrets.token_urlsafe(32))' > "$TG_STATE/admin.key")
    info "created a local admin key in .taskgrid/admin.key"
  fi
}

cmd_up() {
  require_dotnet; require_python
  command -v curl >/dev/null 2>&1 || apt_install curl || die "curl is required; install it (apt-get install -y curl)."
  mkdir -p "$TG_RUN" "$TG_LOGS"
  if uses_private_database; then
    require_postgres
    local port="${TASKGRID_PG_PORT:-54329}"
    pg_start pg "$port"
    pg_psql "$port" postgres -tAc "select 1 from pg_database where datname = 'taskgrid'" | grep -q 1 \
      || pg_psql "$port" postgres -c "create database taskgrid"
  fi
  database_url > "$TG_STATE/database.url"
  ensure_admin_key
  port_in_use "$TG_PORT" && ! pid_alive "$TG_RUN/gateway.pid" \
    && die "port $TG_PORT is taken by another program; set TASKGRID_PORT to a free port."
  printf '%s\n' "$TG_PORT" > "$TG_STATE/gateway.port"

  publish_servers
  build_projects Cli/TaskGrid.Cli.csproj
  local n
  for n in $(seq 1 "$TG_SILOS"); do
    TaskGrid__Silo__Name="silo-$n" start_process "silo-$n" Silo
  done
  TaskGrid__Auth__BootstrapAdminKey="$(cat "$TG_STATE/admin.key")" start_process gateway Gateway --urls "$TG_URL"
  info "waiting for $TG_URL/v1/status"
  wait_healthy
  say ""
  say "TaskGrid is running at $TG_URL  ($TG_SILOS silos; database: $(database_url | sed -E 's#://([^:@/]+):[^@]*@#://\1:***@#'))"
  say "  admin key:    $(cat "$TG_STATE/admin.key")   (also in .taskgrid/admin.key)"
  say "  try:          ./taskgrid grids list     (the taskgrid CLI, using the admin key)"
  say "  or:           curl -H \"Authorization: Bearer \$(cat .taskgrid/admin.key)\" $TG_URL/v1/grids"
  say "  web page:     $TG_URL/   dashboard: $TG_URL/dashboard   API docs: $TG_URL/docs"
  say "  API status:   $TG_URL/v1/status   metrics: $TG_URL/v1/metrics"
  say "  logs:         $TG_LOGS/"
  say "  stop it:      ./taskgrid down"
  say ""
  run_demo
}

cmd_down() {
  local name
  stop_process gateway
  for name in $(ls "$TG_RUN" 2>/dev/null | sed -n 's/^\(silo-[0-9]*\)\.pid$/\1/p'); do
    stop_process "$name"
  done
  if uses_private_database && [ -d "$TG_STATE/pg" ]; then
    require_postgres
    pg_stop pg
  fi
  say "stopped; data kept in $TG_STATE (run ./taskgrid up to start again)"
}

cmd_status() {
  local pidfile name
  say "processes:"
  for pidfile in "$TG_RUN"/*.pid; do
    [ -e "$pidfile" ] || { say "  (none started; run ./taskgrid up)"; break; }
    name="$(basename "$pidfile" .pid)"
    if pid_alive "$pidfile"; then say "  $name  running (pid $(cat "$pidfile"))"; else say "  $name  stopped"; fi
  done
  if uses_private_database && [ -d "$TG_STATE/pg" ]; then
    require_postgres
    if pg_running pg; then say "  postgres  running (port $(cat "$TG_STATE/pg.port" 2>/dev/null))"; else say "  postgres  stopped"; fi
  fi
  say "database: $(cat "$TG_STATE/database.url" 2>/dev/null | sed -E 's#://([^:@/]+):[^@]*@#://\1:***@#' || echo unknown)"
  # The cluster's health as the CLI shows it, when the CLI is built (./taskgrid up builds it);
  # otherwise a short summary straight from the API.
  if [ -f "$TG_CLI_DLL" ] && ! cli_is_stale; then
    (
      TASKGRID_URL="$TG_URL"; unset TASKGRID_API_KEY; cli_environment
      dotnet "$TG_CLI_DLL" status --no-color && dotnet "$TG_CLI_DLL" silos list --no-color
    ) || true
    return 0
  fi
  local body
  if body="$(curl -sf --max-time 3 "$TG_URL/v1/status" 2>/dev/null)"; then
    say "gateway $TG_URL: $(printf '%s' "$body" | json_get - '"{}, database {} ms, {} silos alive".format(d["status"], d["database"]["latency_ms"], d["silos"]["alive"])')"
    curl -sf --max-time 3 -H "Authorization: Bearer $(cat "$TG_STATE/admin.key" 2>/dev/null)" "$TG_URL/v1/silos" | json_get - '"\n".join("  {:<12} {:<9} heartbeat {:.1f} s ago, {} running".format(s["name"], s["state"], s["heartbeat_age_seconds"], s["in_flight"]) for s in d)'
  else
    say "gateway $TG_URL: not answering"
  fi
}
