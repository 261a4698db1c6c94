using System.Text.Json.Nodes;
using TaskGrid.Bench.Measurement;

namespace TaskGrid.Bench.Results;

/// <summary>
/// Reads the peer harness's <c>results.jsonl</c> (one line per run of graphile.mjs, pgboss.mjs
/// or pgbench.sh, as written by <c>lib/common.mjs</c> and <c>pgbench.sh</c>) and the peak RSS
/// lines scripts/bench.sh records, and turns them into rows: the median of every figure over a
/// setting's runs.
/// <list type="bullet">
/// <item>drain: <c>jobs_per_s</c> is n ÷ (process_ms − first_job_ms), first handler call → all
/// completed in the database. TaskGrid's drain is timed from its first claim statement's start,
/// so its first fetch is inside its span and the peers' is not (in favour of the peers). The
/// harness's own figure (from the worker's start) is kept as <c>wall_jobs_per_s</c>.</item>
/// <item>pickup: the harness's idle latency (enqueue call → handler start).</item>
/// <item>pgbench cases: <c>postgres</c> drain rows, TPS as jobs/s.</item>
/// </list>
/// </summary>
internal static class PeerResults
{
    public const string PgbenchSystem = "postgres (pgbench)";

    public static IReadOnlyList<ResultRow> Read(IEnumerable<string> resultLines, IEnumerable<string> rssLines)
    {
        var records = Parse(resultLines);
        var rows = new List<ResultRow>();
        var queueRuns = records
            .Where(r => SystemNames.Peers.Contains(Text(r, "system")) && r["process_capped"] is null)
            .GroupBy(r => (System: Text(r, "system")!, Setting: Text(r, "setting") ?? "?", N: Number(r, "n")))
            .OrderBy(g => g.Key.System, StringComparer.Ordinal).ThenBy(g => g.Key.Setting, StringComparer.Ordinal);
        foreach (var runs in queueRuns)
        {
            rows.Add(DrainRow(runs.Key.System, runs.Key.Setting, [.. runs]));
            rows.Add(PickupRow(runs.Key.System, runs.Key.Setting, [.. runs]));
        }
        foreach (var runs in records.Where(r => Text(r, "system") == PgbenchSystem).GroupBy(r => Text(r, "setting") ?? "?"))
        {
            rows.Add(PgbenchRow(runs.Key, [.. runs]));
        }
        foreach (var runs in Parse(rssLines).GroupBy(r => (System: Text(r, "system") ?? "?", Setting: Text(r, "setting") ?? "?")))
        {
            rows.Add(new ResultRow
            {
                System = runs.Key.System,
                Workload = WorkloadNames.Footprint,
                Setting = $"{runs.Key.Setting}, node process (producer + worker), peak",
                Extra = new()
                {
                    ["process"] = "node",
                    ["state"] = "under load",
                    ["rss_mib"] = Stats.Round(Stats.Median(runs.Select(r => Number(r, "rss_peak_kb") / 1024.0)), 1),
                    ["runs"] = runs.Count(),
                },
            });
        }
        return rows;
    }

    private static ResultRow DrainRow(string system, string setting, List<JsonObject> runs)
    {
        runs = [.. runs.OrderBy(r => Number(r, "run") ?? 0)];
        var fromFirstJob = runs.Select(r => Number(r, "n") / ((Number(r, "process_ms") - (Number(r, "first_job_ms") ?? 0)) / 1000.0)).ToList();
        return new ResultRow
        {
            System = system,
            Workload = WorkloadNames.Drain,
            Setting = setting,
            JobsPerS = Stats.Round(Stats.Median(fromFirstJob), 0),
            Extra = new()
            {
                ["n"] = Number(runs[0], "n"),
                ["runs"] = runs.Count,
                ["version"] = Text(runs[0], "version"),
                ["node"] = Text(runs[0], "node"),
                ["config"] = runs[0]["config"]?.ToJsonString(),
                ["jobs_per_s_min"] = Stats.Round(fromFirstJob.Min(), 0),
                ["jobs_per_s_max"] = Stats.Round(fromFirstJob.Max(), 0),
                ["jobs_per_s_by_run"] = fromFirstJob.Select(r => Stats.Round(r, 0)).ToList(),
                ["run_numbers"] = runs.Select(r => Number(r, "run")).ToList(),
                ["finished_at_by_run"] = runs.Select(r => Text(r, "ts")).ToList(),
                ["wall_jobs_per_s"] = Stats.Round(Median(runs, "process_jps"), 0),
                ["steady_jobs_per_s"] = Stats.Round(Median(runs, "steady_jps"), 0),
                ["startup_ms"] = Stats.Round(Median(runs, "first_job_ms"), 1),
                ["enqueue_bulk_per_s"] = Stats.Round(Median(runs, "enqueue_bulk_jps"), 0),
                ["measured"] = "jobs_per_s: n / (first handler call -> all completed in the database); wall: worker start -> all completed (the harness's process_jps)",
            },
        };
    }

    private static ResultRow PickupRow(string system, string setting, List<JsonObject> runs) => new()
    {
        System = system,
        Workload = WorkloadNames.Pickup,
        Setting = setting,
        P50Ms = Stats.Round(Median(runs, "lat_p50_ms"), 2),
        P95Ms = Stats.Round(Median(runs, "lat_p95_ms"), 2),
        P99Ms = Stats.Round(Median(runs, "lat_p99_ms"), 2),
        Extra = new()
        {
            ["n"] = Number(runs[0], "lat_n"),
            ["runs"] = runs.Count,
            ["gap_ms"] = Number(runs[0], "lat_gap_ms"),
            ["lost"] = runs.Sum(r => Number(r, "lat_lost") ?? 0),
            ["max_ms"] = Stats.Round(Median(runs, "lat_max_ms"), 2),
            ["version"] = Text(runs[0], "version"),
            ["measured"] = "just before the enqueue call -> handler start, one process, monotonic clock (the harness's latency test)",
        },
    };

    private static ResultRow PgbenchRow(string setting, List<JsonObject> runs) => new()
    {
        System = SystemNames.Postgres,
        Workload = WorkloadNames.Drain,
        Setting = "pgbench " + setting,
        JobsPerS = Stats.Round(Median(runs, "tps"), 0),
        Extra = new()
        {
            ["runs"] = runs.Count,
            ["version"] = Text(runs[0], "version"),
            ["lat_avg_ms"] = Stats.Round(Median(runs, "lat_avg_ms"), 3),
            ["duration_s"] = Number(runs[0], "duration_s"),
            ["measured"] = "pgbench transactions per second (a claim+complete transaction is one job); raw database limit, not a queue",
        },
    };

    private static List<JsonObject> Parse(IEnumerable<string> lines) =>
        [.. lines.Where(l => !string.IsNullOrWhiteSpace(l)).Select(l => JsonNode.Parse(l) as JsonObject).OfType<JsonObject>()];

    private static double? Median(List<JsonObject> runs, string key) => Stats.Median(runs.Select(r => Number(r, key)));

    private static string? Text(JsonObject record, string key) =>
        record[key] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static double? Number(JsonObject record, string key) =>
        record[key] is JsonValue value && value.TryGetValue<double>(out var number) ? number : null;
}
