using System.Globalization;

namespace TaskGrid.Bench.Results;

/// <summary>
/// Issue 4's targets, checked against a run's rows. A miss is reported, never an error: a
/// benchmark reports.
/// </summary>
internal static class Targets
{
    public const string Pass = "pass";
    public const string Miss = "miss";
    public const string NotMeasured = "not measured";

    public const double DrainFactor = 1.5;
    public const double PickupP99Ms = 5;
    public const double ScaleRatio = 0.8;
    /// <summary>200 MB (10^6 bytes) in MiB, the unit VmRSS is read in.</summary>
    public const double SiloRssMib = 200e6 / 1048576;

    public static IReadOnlyList<TargetResult> Check(IReadOnlyList<ResultRow> rows) =>
        [Drain(rows), Pickup(rows), Scale(rows), Footprint(rows)];

    private static TargetResult Drain(IReadOnlyList<ResultRow> rows)
    {
        const string target = "drain ≥ 1.5× the best peer configuration (throughput config)";
        var throughput = Find(rows, SystemNames.TaskGrid, WorkloadNames.Drain, "throughput");
        var taskGrid = throughput?.JobsPerS;
        var best = rows.Where(r => SystemNames.Peers.Contains(r.System) && r.Workload == WorkloadNames.Drain && r.JobsPerS is not null)
            .MaxBy(r => r.JobsPerS);
        if (taskGrid is not { } rate || best?.JobsPerS is not { } peer)
        {
            return new TargetResult(target, taskGrid is null ? "TaskGrid drain not run" : "no peer results", NotMeasured);
        }
        var ratio = rate / peer;
        var measured = Invariant($"{rate:N0} jobs/s vs {best.System} {best.Setting} {peer:N0} jobs/s = {ratio:0.00}×");
        if (PairedRatios(throughput!, best) is { } paired)
        {
            measured += Invariant($"; round by round {string.Join(", ", paired.Select(r => $"{r:0.00}×"))}");
        }
        return new TargetResult(target, measured, ratio >= DrainFactor ? Pass : Miss);
    }

    // TaskGrid's drains of each round ran among the peers' drains of that round; scripts/bench.sh
    // runs the throughput one back to back with graphile-worker c24-batch, the best peer in every
    // run so far. Only when both sides have every round (a round that failed on one side leaves
    // nothing to pair it with).
    private static List<double>? PairedRatios(ResultRow taskGrid, ResultRow peer)
    {
        var ours = taskGrid.Numbers("jobs_per_s_by_run");
        var theirs = peer.Numbers("jobs_per_s_by_run");
        return taskGrid.Flag("interleaved_with_peers") && ours.Count > 0
               && taskGrid.Numbers("run_numbers").SequenceEqual(peer.Numbers("run_numbers"))
               && ours.Count == theirs.Count && ours.Concat(theirs).All(r => r > 0)
            ? [.. ours.Zip(theirs, (a, b) => a!.Value / b!.Value)]
            : null;
    }

    private static TargetResult Pickup(IReadOnlyList<ResultRow> rows)
    {
        const string target = "idle pickup p99 ≤ 5 ms (default config, Prefetch 10)";
        var row = Find(rows, SystemNames.TaskGrid, WorkloadNames.Pickup, "default");
        if (row?.P99Ms is not { } p99)
        {
            return new TargetResult(target, "pickup not run", NotMeasured);
        }
        var client = row.Number("client_p99_ms") is { } c ? Invariant($"; {c:0.00} ms from before the HTTP call") : "";
        return new TargetResult(target, Invariant($"p99 {p99:0.00} ms submit → claim (p50 {row.P50Ms:0.00}){client}"), p99 <= PickupP99Ms ? Pass : Miss);
    }

    private static TargetResult Scale(IReadOnlyList<ResultRow> rows)
    {
        const string target = "claim rate with 10M finished rows within 20% of the empty table";
        var filled = rows.FirstOrDefault(r => r.System == SystemNames.TaskGrid && r.Workload == WorkloadNames.Scale
            && r.Text("mode") == "claim" && r.Text("table") == "filled");
        if (filled?.Number("vs_empty") is not { } ratio)
        {
            return new TargetResult(target, "scale not run", NotMeasured);
        }
        var rowsNote = filled.Number("finished_rows") is { } n && n < 10_000_000 ? Invariant($" (this run: {n:N0} rows, not 10M)") : "";
        return new TargetResult(target, Invariant($"claim statement {filled.JobsPerS:N0} tasks/s = {ratio:P0} of the empty table{rowsNote}"), ratio >= ScaleRatio ? Pass : Miss);
    }

    private static TargetResult Footprint(IReadOnlyList<ResultRow> rows)
    {
        const string target = "silo RSS < 200 MB (190.7 MiB) under load";
        var loaded = rows.Where(r => r.System == SystemNames.TaskGrid && r.Workload == WorkloadNames.Footprint
            && r.Text("process") == "silo" && r.Text("state") == "under load" && r.Number("rss_mib") is not null).ToList();
        if (loaded.Count == 0)
        {
            return new TargetResult(target, "footprint not measured", NotMeasured);
        }
        var worst = loaded.MaxBy(r => r.Number("rss_mib"))!;
        var mb = worst.Number("rss_mib")!.Value;
        return new TargetResult(target, Invariant($"largest silo peak {mb:N1} MiB ({worst.Text("situation")})"), mb < SiloRssMib ? Pass : Miss);
    }

    private static ResultRow? Find(IReadOnlyList<ResultRow> rows, string system, string workload, string setting) =>
        rows.FirstOrDefault(r => r.System == system && r.Workload == workload && r.Setting == setting);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
