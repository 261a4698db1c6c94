using System.Text.Json.Nodes;
using TaskGrid.Cluster;
using TaskGrid.Grids;
using TaskGrid.Observability;
using TaskGrid.Tasks;
using TaskGrid.Users;

namespace TaskGrid.Gateway.Hosting;

/// <summary>Examples the OpenAPI document shows for request and response schemas, in the API's own JSON (snake_case).</summary>
internal static class OpenApiExamples
{
    private const string TaskId = "0199a3f2-6c1e-7b4a-9d2f-3e8c5a1b7f40";
    private const string GridId = "0199a3f2-5b00-7c11-8e2a-44d1c0a9e310";

    private static readonly Dictionary<Type, string> s_examples = new()
    {
        [typeof(SubmitTaskRequest)] = """{"objective": "Reverse a singly linked list in place", "language": "rust", "priority": 5, "max_attempts": 3}""",
        [typeof(CreateGridRequest)] = """
            {"name": "katas", "priority": 1, "max_concurrency": 8,
             "matrix": {"objectives": ["Sort a list", "Parse an ISO date"], "languages": ["python", "go"]}}
            """,
        [typeof(GridMatrix)] = """{"objectives": ["Sort a list", "Parse an ISO date"], "languages": ["python", "go"], "template": {"priority": 2}}""",
        [typeof(CreateUserRequest)] = """{"name": "alice", "role": "user", "max_pending_tasks": 10000}""",
        [typeof(UpdateUserRequest)] = """{"disabled": true}""",
        [typeof(CreateApiKeyRequest)] = """{"name": "laptop"}""",
        [typeof(TaskView)] = $$"""
            {"id": "{{TaskId}}", "user_id": "alice", "grid_id": null, "kind": "codegen", "status": "completed", "priority": 5,
             "objective": "Reverse a singly linked list in place", "language": "rust",
             "code": "fn reverse(head: Option<Box<Node>>) -> Option<Box<Node>> { /* ... */ }", "output": null, "error": null,
             "attempt": 1, "max_attempts": 3, "timeout_seconds": null, "script": null,
             "usage": {"model": "gpt-4o-mini", "prompt_tokens": 52, "completion_tokens": 180, "total_tokens": 232},
             "created_at": "2026-11-22T09:30:00Z", "run_at": "2026-11-22T09:30:00Z", "expires_at": null,
             "started_at": "2026-11-22T09:30:01Z", "completed_at": "2026-11-22T09:30:04Z", "version": 3}
            """,
        [typeof(TaskEventView)] = $$"""
            {"id": 2, "task_id": "{{TaskId}}", "from": "pending", "to": "running", "at": "2026-11-22T09:30:01Z",
             "attempt": 1, "worker": "silo-0/1", "reason": "claimed"}
            """,
        [typeof(GridView)] = $$"""
            {"id": "{{GridId}}", "user_id": "alice", "name": "katas", "status": "active", "priority": 1, "max_concurrency": 8,
             "max_attempts": 3, "task_ttl_seconds": null,
             "counts": {"pending": 120, "running": 8, "completed": 860, "failed": 12, "cancelled": 0, "expired": 0},
             "total": 1000, "progress": 0.872, "throughput_per_second": 14.2, "eta_seconds": 9.0,
             "created_at": "2026-11-22T09:00:00Z", "started_at": "2026-11-22T09:00:02Z", "finished_at": null, "version": 1}
            """,
        [typeof(AddedTasks)] = $$"""{"grid_id": "{{GridId}}", "added": 1, "task_ids": ["{{TaskId}}"]}""",
        [typeof(UserView)] = """{"id": "alice", "name": "alice", "role": "user", "max_pending_tasks": null, "disabled": false, "created_at": "2026-11-22T08:00:00Z", "version": 1}""",
        [typeof(ApiKeyView)] = """
            {"id": "0199a3f1-0000-7000-8000-000000000001", "user_id": "alice", "name": "laptop", "prefix": "tg_3kq9Zp",
             "created_at": "2026-11-22T08:00:00Z", "last_used_at": "2026-11-22T09:30:00Z", "revoked_at": null}
            """,
        [typeof(CreatedApiKey)] = """
            {"id": "0199a3f1-0000-7000-8000-000000000001", "user_id": "alice", "name": "laptop", "prefix": "tg_3kq9Zp",
             "created_at": "2026-11-22T08:00:00Z", "key": "tg_3kq9Zp…(shown once)"}
            """,
        [typeof(SiloView)] = """
            {"name": "silo-0", "host": "silo-0", "process_id": 1, "state": "active", "started_at": "2026-11-22T08:00:00Z",
             "heartbeat_at": "2026-11-22T09:30:00Z", "heartbeat_age_seconds": 1.2, "workers": 2, "in_flight": 12}
            """,
        [typeof(WorkerView)] = """
            {"id": "silo-0/1", "silo": "silo-0", "state": "active", "heartbeat_at": "2026-11-22T09:30:00Z",
             "in_flight": 6, "claimed": 4210, "completed": 4180, "failed": 24}
            """,
        [typeof(ClusterStatusView)] = """
            {"status": "healthy", "live": true, "ready": true,
             "database": {"reachable": true, "latency_ms": 0.84, "error": null},
             "migrations": {"current": true, "applied": 4, "expected": 4},
             "silos": {"alive": 2, "dead": 0}}
            """,
        [typeof(DashboardSummary)] = """
            {"scope": "cluster", "tasks": {"pending": 1200, "running": 32, "completed": 98000, "failed": 140, "cancelled": 6, "expired": 0},
             "completed_per_second": 41.5, "failed_per_second": 0.2, "silos": {"alive": 2, "dead": 0}, "workers": 4,
             "in_flight": 32, "generated_at": "2026-11-22T09:30:00Z"}
            """,
        [typeof(MetricsHistory)] = """
            {"from": "2026-11-22T09:15:00Z", "to": "2026-11-22T09:30:00Z", "step_seconds": 5,
             "points": [{"at": "2026-11-22T09:29:55Z", "completed_per_second": 42.4, "failed_per_second": 0.2, "claimed_per_second": 43.0,
                         "queue_depth": 1200, "in_flight": 32,
                         "claim_latency": {"p50": 0.012, "p95": 0.08, "p99": 0.2},
                         "run_duration": {"p50": 1.8, "p95": 4.1, "p99": 7.5}}]}
            """,
        [typeof(TaskFailureView)] = $$"""
            {"id": 812, "task_id": "{{TaskId}}", "user_id": "alice", "grid_id": "{{GridId}}", "kind": "codegen", "status": "failed",
             "attempt": 3, "error": "The endpoint answered 500: The server had an error", "objective": "Parse an ISO date",
             "failed_at": "2026-11-22T09:29:40Z"}
            """,
    };

    /// <summary>The example for <paramref name="type"/>, or null when it has none.</summary>
    public static JsonNode? For(Type type) =>
        s_examples.TryGetValue(type, out var json) ? JsonNode.Parse(json) : null;
}
