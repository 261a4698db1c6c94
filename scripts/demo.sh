# The demo grid ./taskgrid up runs: a few script tasks that work offline, plus codegen tasks
# when an OpenAI-compatible endpoint is configured. Sourced, not executed.

demo_grid_body() {
  python3 - "$@" <<'PY'
import json, os
tasks = [
    {"kind": "script", "interpreter": "bash", "source": 'echo "hello from $(hostname) at $(date -u +%H:%M:%S)"'},
    {"kind": "script", "interpreter": "bash", "source": 'for i in $(seq 1 15); do if [ $((i % 15)) -eq 0 ]; then echo FizzBuzz; elif [ $((i % 3)) -eq 0 ]; then echo Fizz; elif [ $((i % 5)) -eq 0 ]; then echo Buzz; else echo $i; fi; done | paste -sd " "'},
    {"kind": "script", "interpreter": "python3", "source": "import sys\nprimes = [n for n in range(2, 60) if all(n % d for d in range(2, n))]\nprint('primes:', *primes)"},
    {"kind": "script", "interpreter": "python3", "source": "import sys\nprint('args:', ' '.join(sys.argv[1:]))", "args": ["one", "two", "three"]},
    {"kind": "script", "interpreter": "sh", "source": "echo \"sum of 1..100 = $(seq 1 100 | paste -sd+ | bc 2>/dev/null || python3 -c 'print(5050)')\""},
]
if os.environ.get("OPENAI_API_KEY") or os.environ.get("OPENAI_BASE_URL"):
    for objective, language in [("Return the n-th Fibonacci number", "python"), ("Reverse a string", "go")]:
        tasks.append({"kind": "codegen", "objective": objective, "language": language})
print(json.dumps({"name": "demo", "tasks": tasks}))
PY
}

run_demo() {
  info "running a demo grid"
  local created id deadline status
  local auth="Authorization: Bearer $(cat "$TG_STATE/admin.key")"
  created="$(demo_grid_body | curl -sf --max-time 10 -X POST "$TG_URL/v1/grids" -H "$auth" -H 'content-type: application/json' --data-binary @-)" \
    || die "could not create the demo grid at $TG_URL/v1/grids"
  id="$(printf '%s' "$created" | json_get - 'd["id"]')"
  deadline=$((SECONDS + 90))
  while [ "$SECONDS" -lt "$deadline" ]; do
    status="$(curl -sf --max-time 5 -H "$auth" "$TG_URL/v1/grids/$id")" || true
    case "$status" in *'"status":"finished"'*) break ;; esac
    sleep 0.5
  done
  say "demo grid $id: $(printf '%s' "$status" | json_get - '", ".join(f"{k} {v}" for k, v in d["counts"].items() if v and k not in ("total", "done"))')"
  curl -sf --max-time 5 -H "$auth" "$TG_URL/v1/grids/$id/tasks?limit=10" | json_get - '"\n".join(("  " + t["status"] + ": " + (t["output"] or t["code"] or t["error"] or "").strip().splitlines()[0][:100]) for t in reversed(d["items"]))'
  case "$status" in
    *'"status":"finished"'*) say "demo done: see every task with: ./taskgrid grids tasks $id" ;;
    *) die "the demo grid did not finish within 90 s; see $TG_LOGS/" ;;
  esac
}
