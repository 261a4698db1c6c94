using System.Globalization;
using System.Text;

namespace TaskGrid.Bench.Results;

/// <summary>Renders a run as the Markdown tables printed at the end and written beside the JSON.</summary>
internal static class MarkdownReport
{
    public static string Render(BenchReport report)
    {
        var md = new StringBuilder();
        Header(md, report);
        Drain(md, report.Rows);
        Pickup(md, report.Rows);
        Steady(md, report.Rows);
        Codegen(md, report.Rows);
        Scale(md, report.Rows);
        Footprint(md, report.Rows);
        Raw(md, report.Rows);
        md.AppendLine("## Targets (issue 4)").AppendLine();
        md.AppendLine("| target | measured | result |").AppendLine("|---|---|---|");
        foreach (var target in report.Targets)
        {
            md.AppendLine(Invariant($"| {target.Target} | {target.Measured} | **{target.Result}** |"));
        }
        return md.ToString();
    }

    private static void Header(StringBuilder md, BenchReport report)
    {
        var (machine, run) = (report.Machine, report.Run);
        md.AppendLine(Invariant($"# TaskGrid benchmark {run.Stamp} ({(run.Quick ? "quick run" : "full run")})")).AppendLine();
        if (!string.IsNullOrWhiteSpace(machine.Note))
        {
            md.AppendLine(Invariant($"> {machine.Note}")).AppendLine();
        }
        md.AppendLine(Invariant($"- Machine: {machine.Cores} cores ({machine.Cpu}), {machine.MemoryGib} GiB, {machine.Os}; load average (1/5/15 min) {machine.LoadAverageAtStart} at start, {machine.LoadAverageAtEnd} at end."));
        md.AppendLine(Invariant($"- PostgreSQL {machine.Postgres} (the peer harness's cluster and tuning, durability on), shared by every system; {machine.Dotnet}; Node {machine.Node ?? "–"}."));
        md.AppendLine(Invariant($"- Commit {run.GitCommit ?? "unknown"}; workloads {string.Join(", ", run.Workloads)}; {run.DurationSeconds:N0} s."));
        if (report.Rows.Any(r => r.Flag("interleaved_with_peers")))
        {
            md.AppendLine("- The load averages and the time above are the report's own run; the drain rounds ran before it, between the peers' runs, and its start load includes them.");
        }
        foreach (var (name, spec) in run.Configs)
        {
            md.AppendLine(Invariant($"- TaskGrid `{name}`: {spec}"));
        }
        md.AppendLine();
    }

    private static void Drain(StringBuilder md, IReadOnlyList<ResultRow> rows)
    {
        var drain = rows.Where(r => r.Workload == WorkloadNames.Drain && r.System != SystemNames.Postgres).ToList();
        if (drain.Count == 0)
        {
            return;
        }
        var fast = Rate(rows, SystemNames.TaskGrid, WorkloadNames.Drain, "throughput");
        var standard = Rate(rows, SystemNames.TaskGrid, WorkloadNames.Drain, "default");
        md.AppendLine("## Drain: N no-op jobs queued before the workers start").AppendLine();
        md.AppendLine("jobs/s = N ÷ (first job started → last job completed in the database): for TaskGrid from its first claim statement's start, for the peers from their first handler call, after their first fetch. The workers' start-up is excluded and shown on its own (for TaskGrid: silo process spawn → first claim). \"with start-up\" counts from the worker's (process) start. Ratios are TaskGrid ÷ the row: above 1 TaskGrid is faster.").AppendLine();
        md.AppendLine("| system | setting | N | jobs/s | with start-up | steady 10–90 % | start-up ms | in flight p50 / p99 ms | TaskGrid throughput ÷ | TaskGrid default ÷ |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var row in drain.OrderBy(r => r.System == SystemNames.TaskGrid ? 0 : 1).ThenByDescending(r => r.JobsPerS))
        {
            var peer = row.System != SystemNames.TaskGrid;
            md.AppendLine(Invariant($"| {row.System} | {row.Setting} | {N0(row.Number("n"))} | **{N0(row.JobsPerS)}** | {N0(row.Number("wall_jobs_per_s"))} | {N0(row.Number("steady_jobs_per_s"))} | {N0(row.Number("startup_ms"))} | {Pair(row.P50Ms, row.P99Ms)} | {(peer ? Ratio(fast, row.JobsPerS) : "–")} | {(peer ? Ratio(standard, row.JobsPerS) : "–")} |"));
        }
        if (drain.Any(r => r.Flag("interleaved_with_peers")))
        {
            md.AppendLine().AppendLine("Run by run, round 1 first: TaskGrid's drains of each round ran among the peers' runs of that round, so both saw the machine in the same minutes.").AppendLine();
            foreach (var row in drain.Where(r => r.Numbers("jobs_per_s_by_run").Count > 0))
            {
                md.AppendLine(Invariant($"- {row.System} {row.Setting}: {string.Join(" · ", row.Numbers("jobs_per_s_by_run").Select(N0))}"));
            }
            RunOrder(md, drain);
        }
        var cpu = drain.Where(r => r.Number("cpu_us_per_task_silo") is not null).ToList();
        if (cpu.Count > 0)
        {
            md.AppendLine().AppendLine("Where TaskGrid's drain time goes: CPU per task from /proc, first claim → last completion (others: every other process on the machine in that span).").AppendLine();
            md.AppendLine("| setting | silo µs | PostgreSQL µs | others µs |").AppendLine("|---|---|---|---|");
            foreach (var row in cpu)
            {
                md.AppendLine(Invariant($"| {row.Setting} | {N0(row.Number("cpu_us_per_task_silo"))} | {N0(row.Number("cpu_us_per_task_postgres"))} | {N0(row.Number("cpu_us_per_task_other"))} |"));
            }
        }
        md.AppendLine();
    }

    // The order within each round, from the time each run finished as its record says; rows of
    // runs recorded without one (results from before they were kept) are left out.
    private static void RunOrder(StringBuilder md, IReadOnlyList<ResultRow> drain)
    {
        var runs = drain
            .SelectMany(row => row.Numbers("run_numbers").Zip(row.Texts("finished_at_by_run"),
                (round, finished) => (Round: round, Name: $"{row.System} {row.Setting}", Finished: Utc(finished))))
            .Where(r => r.Round is not null && r.Finished is not null)
            .Select(r => (Round: (int)r.Round!.Value, r.Name, Finished: r.Finished!.Value))
            .ToList();
        if (runs.Count == 0)
        {
            return;
        }
        md.AppendLine().AppendLine("The order they ran in, from the time each run finished (UTC; a peer's run ends with its pickup probe, some seconds after its drain):").AppendLine();
        foreach (var round in runs.GroupBy(r => r.Round).OrderBy(g => g.Key))
        {
            md.AppendLine(Invariant($"- round {round.Key}: {string.Join(" → ", round.OrderBy(r => r.Finished).Select(r => Invariant($"{r.Name} {r.Finished:HH:mm:ss}")))}"));
        }
    }

    private static DateTimeOffset? Utc(string? time) =>
        DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at.ToUniversalTime() : null;

    private static void Pickup(StringBuilder md, IReadOnlyList<ResultRow> rows)
    {
        var pickup = rows.Where(r => r.Workload == WorkloadNames.Pickup).ToList();
        if (pickup.Count == 0)
        {
            return;
        }
        var standard = pickup.FirstOrDefault(r => r.System == SystemNames.TaskGrid && r.Setting == "default")?.P99Ms;
        md.AppendLine("## Pickup on an idle cluster: one job at a time, 20 ms apart").AppendLine();
        md.AppendLine("TaskGrid: submission → claim from the database clock (`created_at` → `started_at`); \"from before the call\" adds the HTTP round trip and gateway (driver clock → `started_at`, same host). Measured after as many unmeasured single submissions (as the peers measure after their 1,000 single enqueues); \"first after start\" is those first ones, one-time costs of a fresh gateway and silo included (database clock). Peers: just before the enqueue call → handler start, in one process. Ratio: TaskGrid default p99 ÷ the row's p99 (below 1 TaskGrid is quicker).").AppendLine();
        md.AppendLine("| system | setting | p50 ms | p95 ms | p99 ms | from before the call p50 / p99 | first after start p50 / p99 | TaskGrid default p99 ÷ |");
        md.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var row in pickup.OrderBy(r => r.System == SystemNames.TaskGrid ? 0 : 1).ThenBy(r => r.P99Ms))
        {
            var client = row.System == SystemNames.TaskGrid ? Pair(row.Number("client_p50_ms"), row.Number("client_p99_ms")) : Pair(row.P50Ms, row.P99Ms);
            var first = row.System == SystemNames.TaskGrid ? Pair(row.Number("first_p50_ms"), row.Number("first_p99_ms")) : "–";
            md.AppendLine(Invariant($"| {row.System} | {row.Setting} | {N2(row.P50Ms)} | {N2(row.P95Ms)} | **{N2(row.P99Ms)}** | {client} | {first} | {(row.System == SystemNames.TaskGrid ? "–" : Ratio(standard, row.P99Ms))} |"));
        }
        md.AppendLine();
    }

    private static void Steady(StringBuilder md, IReadOnlyList<ResultRow> rows)
    {
        var steady = rows.Where(r => r.Workload == WorkloadNames.Steady).ToList();
        if (steady.Count == 0)
        {
            return;
        }
        md.AppendLine("## Steady: bulk submissions over HTTP at a fixed rate while workers drain (TaskGrid)").AppendLine();
        md.AppendLine("One `POST /v1/grids/{id}/tasks` of rate ÷ 10 tasks every 100 ms. Latency per task from the database clock. Kept up: the achieved rate is at least 95 % of the offered one and the last task finished within 1 s of the last submission; otherwise the latency is queueing. The peer harness has no such workload.").AppendLine();
        md.AppendLine("| setting | offered/s | achieved/s | kept up | submit → done p50 / p95 / p99 ms | submit → claim p50 / p99 ms | HTTP call p50 / p99 ms | last submit → last done ms |");
        md.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var row in steady)
        {
            var keptUp = row.Extra.TryGetValue("kept_up", out var k) && k is true or System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.True };
            md.AppendLine(Invariant($"| {row.Setting} | {N0(row.Number("offered_per_s"))} | {N0(row.JobsPerS)} | {(keptUp ? "yes" : "**no**")} | {N2(row.P50Ms)} / {N2(row.P95Ms)} / {N2(row.P99Ms)} | {Pair(row.Number("pickup_p50_ms"), row.Number("pickup_p99_ms"))} | {Pair(row.Number("http_call_p50_ms"), row.Number("http_call_p99_ms"))} | {N0(row.Number("tail_ms"))} |"));
        }
        md.AppendLine();
    }

    private static void Codegen(StringBuilder md, IReadOnlyList<ResultRow> rows)
    {
        var codegen = rows.Where(r => r.Workload == WorkloadNames.Codegen).ToList();
        if (codegen.Count == 0)
        {
            return;
        }
        md.AppendLine("## Codegen: concurrency against an OpenAI-compatible endpoint answering in 500 ms (TaskGrid)").AppendLine();
        md.AppendLine("One silo, one worker with Concurrency C and the default Prefetch 10; a warm-up grid of C tasks, then C × rounds tasks timed from first claim to last completion; the real OpenAI client against the test suite's fake server on loopback. No engine ceiling means jobs/s ≈ C ÷ 0.5 s.").AppendLine();
        md.AppendLine("| concurrency | tasks | jobs/s | ideal | efficiency | attempt p50 / p99 ms | endpoint calls |");
        md.AppendLine("|---|---|---|---|---|---|---|");
        foreach (var row in codegen)
        {
            md.AppendLine(Invariant($"| {N0(row.Number("concurrency"))} | {N0(row.Number("n"))} | **{row.JobsPerS:N1}** | {row.Number("ideal_jobs_per_s"):N0} | {row.Number("efficiency"):P0} | {Pair(row.P50Ms, row.P99Ms)} | {N0(row.Number("endpoint_calls"))} |"));
        }
        md.AppendLine();
    }

    private static void Scale(StringBuilder md, IReadOnlyList<ResultRow> rows)
    {
        var scale = rows.Where(r => r.Workload == WorkloadNames.Scale).ToList();
        if (scale.Count == 0)
        {
            return;
        }
        md.AppendLine("## Scale: finished tasks in the table (TaskGrid)").AppendLine();
        md.AppendLine("Claim statement: the engine's claim at Prefetch 10 driven directly on one connection (each batch then completed), in rounds alternating between the two databases; jobs/s = tasks ÷ time inside the claim statement, latency per claim. Drain: the throughput configuration's silos.").AppendLine();
        md.AppendLine("| measure | rows in table | table MiB | jobs/s | vs empty | p50 / p99 ms |");
        md.AppendLine("|---|---|---|---|---|---|");
        foreach (var row in scale)
        {
            md.AppendLine(Invariant($"| {row.Setting} | {N0(row.Number("table_rows"))} | {N0(row.Number("table_mb"))} | **{N0(row.JobsPerS)}** | {(row.Number("vs_empty") is { } v ? v.ToString("P0", CultureInfo.InvariantCulture) : "–")} | {Pair(row.P50Ms, row.P99Ms, 3)} |"));
        }
        md.AppendLine();
    }

    private static void Footprint(StringBuilder md, IReadOnlyList<ResultRow> rows)
    {
        var footprint = rows.Where(r => r.Workload == WorkloadNames.Footprint).ToList();
        if (footprint.Count == 0)
        {
            return;
        }
        md.AppendLine("## Footprint: resident memory (VmRSS)").AppendLine();
        md.AppendLine("At rest: idle after a warm-up. Under load: the peak sampled every 100 ms, the largest single process of its kind. Peers: the Node process that both enqueues and works, peak over its run.").AppendLine();
        md.AppendLine("| system | process | state | situation | RSS MiB |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var row in footprint.OrderBy(r => r.System == SystemNames.TaskGrid ? 0 : 1))
        {
            md.AppendLine(Invariant($"| {row.System} | {row.Text("process")} | {row.Text("state")} | {row.Text("situation") ?? row.Setting} | {N0(row.Number("rss_mib"))} |"));
        }
        md.AppendLine();
    }

    private static void Raw(StringBuilder md, IReadOnlyList<ResultRow> rows)
    {
        var raw = rows.Where(r => r.System == SystemNames.Postgres).ToList();
        if (raw.Count == 0)
        {
            return;
        }
        var fast = Rate(rows, SystemNames.TaskGrid, WorkloadNames.Drain, "throughput");
        md.AppendLine("## Raw PostgreSQL limit (pgbench, same server)").AppendLine();
        md.AppendLine("The peer harness's pgbench cases: a claim+complete transaction is one job done one at a time; batching engines beat it by claiming and completing many jobs per statement.").AppendLine();
        md.AppendLine("| case | TPS | avg latency ms | runs | TaskGrid throughput ÷ |");
        md.AppendLine("|---|---|---|---|---|");
        foreach (var row in raw)
        {
            md.AppendLine(Invariant($"| {row.Setting} | {N0(row.JobsPerS)} | {N2(row.Number("lat_avg_ms"))} | {N0(row.Number("runs"))} | {(row.Setting.Contains("claim", StringComparison.Ordinal) ? Ratio(fast, row.JobsPerS) : "–")} |"));
        }
        md.AppendLine();
    }

    private static double? Rate(IReadOnlyList<ResultRow> rows, string system, string workload, string setting) =>
        rows.FirstOrDefault(r => r.System == system && r.Workload == workload && r.Setting == setting)?.JobsPerS;

    private static string Ratio(double? numerator, double? denominator) =>
        numerator is { } a && denominator is { } b && b > 0 ? Invariant($"{a / b:0.00}×") : "–";

    private static string Pair(double? first, double? second, int digits = 2) =>
        first is null && second is null ? "–" : $"{Fixed(first, digits)} / {Fixed(second, digits)}";

    private static string N0(double? value) => value is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : "–";

    private static string N2(double? value) => Fixed(value, 2);

    private static string Fixed(double? value, int digits) => value is { } v ? v.ToString("F" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : "–";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
