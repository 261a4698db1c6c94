# ./taskgrid bench: TaskGrid against the PostgreSQL job queues of the peer harness, on one
# private PostgreSQL, in one run. Sourced, not executed. See bench/README.md.
#
#   ./taskgrid bench            full comparison (100,000-task drains, 3 rounds, 10M-row scale)
#   ./taskgrid bench --quick    the same, smaller (under 10 minutes)
#   ./taskgrid bench --sweep    drains over a set of TaskGrid configurations (finds the throughput one)
#   --no-peers                  TaskGrid only (no pgbench, graphile-worker or pg-boss)
#   --only LIST                 TaskGrid workloads to run: drain,steady,pickup,codegen,scale,footprint
#   --runs N                    rounds of drains, the peers' and TaskGrid's together (default 3, quick 1)
#   any other option goes to the driver (bench/TaskGrid.Bench; --drain-n N, --scale-rows N,
#   --throughput SPEC, --note TEXT)
#
# Settings: TASKGRID_PEERS_DIR (the peer harness, default ../shared/bench/peers next to the clone),
# TASKGRID_BENCH_DIR (scratch space, default /tmp/taskgrid-bench: node_modules, the PostgreSQL data
# directory, raw peer results), TASKGRID_BENCH_PG_PORT (default: the first free port from 55432),
# TASKGRID_BENCH_THROUGHPUT (the throughput configuration, e.g. silos=1,workers=1,concurrency=8000,prefetch=2000,ack=4000),
# TASKGRID_BENCH_KEEP=1 (keep the TaskGrid databases and leave PostgreSQL running, to inspect them),
# TASKGRID_BENCH_FRESH=0 (reuse the running cluster instead of a fresh one, e.g. with auto_explain
# switched on for profiling; results from such a run are not comparable).

TG_BENCH_DIR="${TASKGRID_BENCH_DIR:-/tmp/taskgrid-bench}"
TG_BENCH_DRIVER="$TG_ROOT/bench/TaskGrid.Bench/bin/$TG_CONFIGURATION/net10.0/TaskGrid.Bench.dll"

bench_usage() { sed -n '2,19p' "$TG_ROOT/scripts/bench.sh" | sed 's/^# \{0,1\}//'; }

# The peer harness lives outside the repository; it is read, never written (its scripts write
# under PB_ROOT, which points into TG_BENCH_DIR so that nobody else's /tmp/peerbench is touched).
bench_peers_dir() {
  local dir="${TASKGRID_PEERS_DIR:-$TG_ROOT/../shared/bench/peers}"
  [ -f "$dir/pg-up.sh" ] && [ -f "$dir/graphile.mjs" ] && [ -f "$dir/pgboss.mjs" ] \
    || die "the peer benchmark harness was not found at $dir (it needs pg-up.sh, graphile.mjs, pgboss.mjs); set TASKGRID_PEERS_DIR to its folder."
  (cd "$dir" && pwd)
}

# peer_env: the harness's settings, for a subshell only (its PG* variables must not reach TaskGrid).
peer_env() {
  unset PB_NODE
  # shellcheck disable=SC1091
  . "$TG_PEERS/env.sh"
}

# run_peer SCRIPT SETTING N RUN: one run of one library setting, with its Node process's peak RSS.
run_peer() {
  local script=$1 setting=$2 n=$3 run=$4 system
  case "$script" in graphile.mjs) system=graphile-worker ;; pgboss.mjs) system=pg-boss ;; esac
  local log="$PB_RESULTS/$system-$setting-$run.log"
  (
    peer_env
    "$PB_NODE" "$TG_PEERS/$script" --setting="$setting" --n="$n" --run="$run" >"$log" 2>&1 &
    local pid=$! peak=0 rss waited=0
    while kill -0 "$pid" 2>/dev/null; do
      rss="$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)"
      [ -n "$rss" ] && [ "$rss" -gt "$peak" ] && peak=$rss
      sleep 0.2; waited=$((waited + 1))
      if [ "$waited" -gt 4500 ]; then warn "$system $setting ran 15 minutes; stopping it"; kill "$pid" 2>/dev/null || true; fi
    done
    if wait "$pid"; then
      printf '{"system":"%s","setting":"%s","run":%s,"n":%s,"rss_peak_kb":%s}\n' "$system" "$setting" "$run" "$n" "$peak" >> "$PB_RESULTS/peer-rss.jsonl"
      info "$system $setting run $run: $(python3 -c 'import json,sys; d=json.loads(open(sys.argv[1]).read().strip().splitlines()[-1]); print("{:,} jobs/s drain (steady {:,}), idle latency p99 {} ms".format(d["process_jps"], d["steady_jps"], d["lat_p99_ms"]))' "$log" 2>/dev/null || echo done)"
    else
      warn "$system $setting run $run failed; see $log"
    fi
  )
}

# taskgrid_drain ADMIN_URL DRAIN_RUNS CONFIG ROUND [DRIVER OPTIONS...]: one drain of one TaskGrid
# configuration, recorded for the report with the peers' drains of the same round; nothing when
# DRAIN_RUNS is empty (the drain workload is not part of this run).
taskgrid_drain() {
  local admin_url=$1 drain_runs=$2 config=$3 round=$4
  shift 4
  [ -n "$drain_runs" ] || return 0
  info "TaskGrid drain, $config configuration, round $round"
  dotnet "$TG_BENCH_DRIVER" drain --admin-url "$admin_url" --round "$round" --config "$config" --drain-runs "$drain_runs" \
    --pid-file "$TG_BENCH_PIDS" "$@" || warn "TaskGrid's $config drain of round $round failed; the report has the drains that ran"
}

bench_cleanup() {
  local pid
  if [ -s "${TG_BENCH_PIDS:-}" ]; then
    # Only processes this run started (the driver wrote their ids), and only while they are ours.
    while read -r pid; do
      if [ -n "$pid" ] && grep -q 'TaskGrid\.' "/proc/$pid/cmdline" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
    done < "$TG_BENCH_PIDS"
  fi
  if [ -n "${TG_PEERS:-}" ] && [ "${TASKGRID_BENCH_KEEP:-0}" != 1 ]; then ( peer_env; "$TG_PEERS/pg-down.sh" >/dev/null 2>&1 ) || true; fi
}

cmd_bench() {
  local quick=0 sweep=0 peers=1 pass=() only="" runs_option=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --quick) quick=1; pass+=(--quick) ;;
      --sweep) sweep=1 ;;
      --no-peers) peers=0 ;;
      --only) only="${2:-}"; pass+=("$1" "${2:-}"); shift ;;
      --runs) runs_option="${2:-}"; pass+=("$1" "${2:-}"); shift ;;
      -h|--help) bench_usage; return 0 ;;
      *) pass+=("$1") ;;
    esac
    shift
  done
  is_root || die "./taskgrid bench runs the peer harness's PostgreSQL as the 'postgres' user through runuser, which needs root."
  require_dotnet; require_python
  TG_PEERS="$(bench_peers_dir)"
  command -v npm >/dev/null 2>&1 || [ "$peers" = 0 ] || die "npm is required for the peer queues (graphile-worker, pg-boss); install Node.js, or run with --no-peers."

  publish_servers
  build_projects bench/TaskGrid.Bench/TaskGrid.Bench.csproj
  # The driver starts the processes as ./taskgrid up and the images run them: published, ReadyToRun.
  export TASKGRID_PROCESS_DIR="$TG_PUBLISHED"

  mkdir -p "$TG_BENCH_DIR"
  export PB_ROOT="$TG_BENCH_DIR/peerbench"
  local stamp; stamp="$(date -u +%Y%m%dT%H%M%SZ)"
  export PB_RESULTS="$PB_ROOT/results/$stamp"
  mkdir -p "$PB_RESULTS"
  TG_BENCH_PIDS="$PB_RESULTS/pids"; : > "$TG_BENCH_PIDS"
  trap bench_cleanup EXIT

  local fresh="${TASKGRID_BENCH_FRESH:-1}"
  if [ "$fresh" = 1 ]; then
    # A cluster left by an interrupted run of ours is stopped first, so its port is free again.
    ( peer_env; "$TG_PEERS/pg-down.sh" >/dev/null 2>&1 ) || true
    PGPORT="${TASKGRID_BENCH_PG_PORT:-$(free_port_from 55432)}"
  else
    PGPORT="${TASKGRID_BENCH_PG_PORT:-$(sed -n 's/^port = //p' "$PB_ROOT/pgdata/postgresql.conf" 2>/dev/null | tail -1)}"
  fi
  export PGPORT
  if [ "$peers" = 1 ]; then
    info "installing the peer queues into $PB_ROOT (npm; skipped when present)"
    ( peer_env; "$TG_PEERS/install.sh" ) > "$PB_RESULTS/install.log" 2>&1 || { cat "$PB_RESULTS/install.log" >&2; die "the peer harness's install.sh failed."; }
  fi
  info "starting the peer harness's PostgreSQL on 127.0.0.1:$PGPORT ($([ "$fresh" = 1 ] && echo "fresh data directory" || echo "reused"))"
  ( peer_env; FRESH="$fresh" "$TG_PEERS/pg-up.sh" ) || die "the peer harness's pg-up.sh failed; see $PB_ROOT/postgres.log."

  local admin_url="postgres://postgres@127.0.0.1:$PGPORT/postgres"
  if [ "$sweep" = 1 ]; then
    info "sweeping TaskGrid configurations"
    dotnet "$TG_BENCH_DRIVER" sweep --admin-url "$admin_url" --pid-file "$TG_BENCH_PIDS" "${pass[@]}"
    return
  fi

  # The batching settings drain as many jobs as TaskGrid does; the one-job-per-call settings are
  # twenty times slower, so a quick run gives them fewer (their rate hardly depends on N).
  local n per_job runs
  if [ "$quick" = 1 ]; then n=20000; per_job=5000; runs=1; else n=100000; per_job=100000; runs=3; fi
  runs="${runs_option:-$runs}"
  # With peers, TaskGrid's drains run among theirs, round by round (the driver's drain command
  # records them; its run command reports them), so that a machine that slows down or speeds up
  # during the run weighs on both sides alike.
  local drain_runs=""
  if [ "$peers" = 1 ] && { [ -z "$only" ] || [[ ",${only// /}," == *",drain,"* ]]; }; then
    drain_runs="$PB_RESULTS/taskgrid-drains.jsonl"
  fi
  if [ "$peers" = 1 ]; then
    info "pgbench: the raw database limit"
    if [ "$quick" = 1 ]; then
      ( peer_env; CASES="insert claim-prepared" DUR=5 RUNS=1 PREFILL=100000 "$TG_PEERS/pgbench.sh" ) > "$PB_RESULTS/pgbench.log" 2>&1 \
        || warn "pgbench failed; see $PB_RESULTS/pgbench.log"
    else
      ( peer_env; DUR=20 RUNS=1 "$TG_PEERS/pgbench.sh" ) > "$PB_RESULTS/pgbench.log" 2>&1 || warn "pgbench failed; see $PB_RESULTS/pgbench.log"
    fi
    local run
    for run in $(seq 1 "$runs"); do
      # The peers' one-job-per-call settings, pg-boss's batching, and TaskGrid's default configuration.
      run_peer graphile.mjs c10 "$per_job" "$run"
      run_peer pgboss.mjs b100-c2 "$n" "$run"
      run_peer pgboss.mjs b1-c10 "$per_job" "$run"
      taskgrid_drain "$admin_url" "$drain_runs" default "$run" "${pass[@]}"
      # The drain target's pair, back to back: the best peer configuration (graphile-worker's
      # batching preset) and TaskGrid's throughput configuration. Four minutes apart, as they
      # were, the machine's drift moved one round's ratio anywhere from 1.1x to 3.2x. The order
      # alternates, so that neither side always runs first.
      if [ $((run % 2)) = 1 ]; then
        run_peer graphile.mjs c24-batch "$n" "$run"
        taskgrid_drain "$admin_url" "$drain_runs" throughput "$run" "${pass[@]}"
      else
        taskgrid_drain "$admin_url" "$drain_runs" throughput "$run" "${pass[@]}"
        run_peer graphile.mjs c24-batch "$n" "$run"
      fi
    done
  fi

  info "TaskGrid workloads"
  local note="${TASKGRID_BENCH_NOTE:-}"
  [ -z "$note" ] && [ "$quick" = 1 ] && note="Quick run: small sizes, one run each; numbers are indicative only."
  local status=0
  dotnet "$TG_BENCH_DRIVER" run --admin-url "$admin_url" \
    --peer-results "$PB_RESULTS/results.jsonl" --peer-rss "$PB_RESULTS/peer-rss.jsonl" \
    --out "$TG_ROOT/bench/results" --git-commit "$(git -C "$TG_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
    --pid-file "$TG_BENCH_PIDS" ${note:+--note "$note"} ${drain_runs:+--drain-runs "$drain_runs"} "${pass[@]}" || status=$?
  info "raw peer results and logs: $PB_RESULTS"
  return "$status"
}
