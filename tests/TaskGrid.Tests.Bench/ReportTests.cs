using System.Text.Json;
using System.Text.Json.Nodes;
using TaskGrid.Bench;
using TaskGrid.Bench.Results;

namespace TaskGrid.Tests.Bench;

public sealed class ReportTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "tg-bench-test-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void Latest_json_has_the_machine_and_rows_in_the_agreed_shape()
    {
        var report = Report(
            Row("taskgrid", "drain", "throughput", jobs: 90_000),
            Row("graphile-worker", "drain", "c24-batch", jobs: 44_000),
            Row("taskgrid", "pickup", "default", p99: 3.2));

        var (json, markdown) = ReportWriter.Write(_directory, report, MarkdownReport.Render(report));

        Assert.True(File.Exists(json) && File.Exists(markdown));
        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));
        var latest = JsonNode.Parse(File.ReadAllText(Path.Combine(_directory, "latest.json")))!;
        Assert.Equal(2, latest["machine"]!["cores"]!.GetValue<int>());
        var rows = latest["rows"]!.AsArray();
        Assert.Equal(3, rows.Count);
        foreach (var row in rows)
        {
            foreach (var key in new[] { "system", "workload", "setting", "jobs_per_s", "p50_ms", "p95_ms", "p99_ms" })
            {
                Assert.True(row!.AsObject().ContainsKey(key), $"row lacks {key}");
            }
        }
        Assert.Equal(90_000, rows[0]!["jobs_per_s"]!.GetValue<double>());
        Assert.Equal("pass", latest["targets"]![0]!["result"]!.GetValue<string>());
        Assert.Equal("fine", rows[0]!["note"]!.GetValue<string>());
    }

    [Fact]
    public void Markdown_shows_ratios_of_taskgrid_to_each_peer()
    {
        var report = Report(
            Row("taskgrid", "drain", "throughput", jobs: 90_000),
            Row("taskgrid", "drain", "default", jobs: 9_000),
            Row("pg-boss", "drain", "b100-c2", jobs: 22_500));

        var markdown = MarkdownReport.Render(report);

        Assert.Contains("| pg-boss | b100-c2 |", markdown, StringComparison.Ordinal);
        Assert.Contains("| 4.00× | 0.40× |", markdown, StringComparison.Ordinal);
        Assert.Contains("## Targets (issue 4)", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Pickup_shows_the_first_submissions_after_start_beside_the_measured_ones()
    {
        var report = Report(
            Row("taskgrid", "pickup", "default", p99: 4.1, extra: new()
            {
                ["client_p50_ms"] = 2.5, ["client_p99_ms"] = 6.25, ["first_p50_ms"] = 2.75, ["first_p99_ms"] = 9.5,
            }),
            Row("graphile-worker", "pickup", "c10", p99: 5.0));

        var markdown = MarkdownReport.Render(report);

        Assert.Contains("| **4.10** | 2.50 / 6.25 | 2.75 / 9.50 | – |", markdown, StringComparison.Ordinal);
        Assert.Contains("| **5.00** | – / 5.00 | – | 0.82× |", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Targets_pass_miss_or_are_not_measured()
    {
        var targets = Targets.Check(
        [
            Row("taskgrid", "drain", "throughput", jobs: 60_000),
            Row("graphile-worker", "drain", "c24-batch", jobs: 44_500),
            Row("taskgrid", "pickup", "default", p99: 4.9),
            Row("taskgrid", "footprint", "silo", extra: new() { ["process"] = "silo", ["state"] = "under load", ["rss_mib"] = 191.0 }),
        ]);

        Assert.Equal(Targets.Miss, targets[0].Result);
        Assert.Contains("1.35×", targets[0].Measured, StringComparison.Ordinal);
        Assert.Equal(Targets.Pass, targets[1].Result);
        Assert.Equal(Targets.NotMeasured, targets[2].Result);
        Assert.Equal(Targets.Miss, targets[3].Result);
    }

    [Fact]
    public void Drains_interleaved_with_the_peers_are_compared_round_by_round()
    {
        var interleaved = Report(
            Row("taskgrid", "drain", "throughput", jobs: 54_000, extra: new()
            {
                ["jobs_per_s_by_run"] = new List<double?> { 60_000, 54_000, 48_000 }, ["run_numbers"] = new List<double?> { 1, 2, 3 },
                ["interleaved_with_peers"] = true,
            }),
            Row("graphile-worker", "drain", "c24-batch", jobs: 40_000, extra: new()
            {
                ["jobs_per_s_by_run"] = new List<double?> { 40_000, 45_000, 32_000 }, ["run_numbers"] = new List<double?> { 1, 2, 3 },
            }));
        // Round 2 failed on TaskGrid's side and round 3 on the peer's: nothing pairs.
        var gappy = Targets.Check(
        [
            Row("taskgrid", "drain", "throughput", jobs: 54_000, extra: new()
            {
                ["jobs_per_s_by_run"] = new List<double?> { 60_000, 48_000 }, ["run_numbers"] = new List<double?> { 1, 3 },
                ["interleaved_with_peers"] = true,
            }),
            Row("graphile-worker", "drain", "c24-batch", jobs: 40_000, extra: new()
            {
                ["jobs_per_s_by_run"] = new List<double?> { 40_000, 45_000 }, ["run_numbers"] = new List<double?> { 1, 2 },
            }),
        ]);
        // As the report is read back from its JSON.
        var fromJson = JsonSerializer.Deserialize<List<ResultRow>>(JsonSerializer.Serialize(interleaved.Rows, ReportWriter.Json), ReportWriter.Json)!;
        var separate = Report(
            Row("taskgrid", "drain", "throughput", jobs: 54_000, extra: new() { ["jobs_per_s_by_run"] = new List<double?> { 60_000 } }),
            Row("graphile-worker", "drain", "c24-batch", jobs: 40_000, extra: new() { ["jobs_per_s_by_run"] = new List<double?> { 40_000 } }));

        Assert.Contains("= 1.35×; round by round 1.50×, 1.20×, 1.50×", interleaved.Targets[0].Measured, StringComparison.Ordinal);
        Assert.Contains("round by round 1.50×, 1.20×, 1.50×", Targets.Check(fromJson)[0].Measured, StringComparison.Ordinal);
        Assert.Contains("- taskgrid throughput: 60,000 · 54,000 · 48,000", MarkdownReport.Render(interleaved), StringComparison.Ordinal);
        Assert.DoesNotContain("round by round", separate.Targets[0].Measured, StringComparison.Ordinal);
        Assert.DoesNotContain("round by round", gappy[0].Measured, StringComparison.Ordinal);
        Assert.DoesNotContain("Run by run", MarkdownReport.Render(separate), StringComparison.Ordinal);
        Assert.Contains("the drain rounds ran before it", MarkdownReport.Render(interleaved), StringComparison.Ordinal);
        Assert.DoesNotContain("the drain rounds ran before it", MarkdownReport.Render(separate), StringComparison.Ordinal);
    }

    [Fact]
    public void The_scale_target_compares_the_filled_table_with_the_empty_one()
    {
        var filled = Row("taskgrid", "scale", "claim statement, 10,000,000 finished tasks", jobs: 850,
            extra: new() { ["mode"] = "claim", ["table"] = "filled", ["vs_empty"] = 0.85, ["finished_rows"] = 10_000_000L });

        var target = Targets.Check([filled])[2];

        Assert.Equal(Targets.Pass, target.Result);
        Assert.DoesNotContain("not 10M", target.Measured, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Fact]
    public void The_order_of_each_round_comes_from_the_times_its_runs_finished()
    {
        var rows = new[]
        {
            Row("taskgrid", "drain", "throughput", jobs: 54_000, extra: new()
            {
                ["jobs_per_s_by_run"] = new List<double?> { 60_000, 48_000 }, ["run_numbers"] = new List<double?> { 1, 2 },
                ["finished_at_by_run"] = new List<string?> { "2026-12-03T17:03:39.5+00:00", "2026-12-03T17:07:10+00:00" },
                ["interleaved_with_peers"] = true,
            }),
            Row("graphile-worker", "drain", "c24-batch", jobs: 40_000, extra: new()
            {
                ["jobs_per_s_by_run"] = new List<double?> { 40_000, 45_000 }, ["run_numbers"] = new List<double?> { 1, 2 },
                ["finished_at_by_run"] = new List<string?> { "2026-12-03T17:03:28Z", "2026-12-03T17:08:20Z" },
            }),
            // Recorded before runs kept their times: listed run by run, left out of the order.
            Row("pg-boss", "drain", "b100-c2", jobs: 13_000, extra: new()
            {
                ["jobs_per_s_by_run"] = new List<double?> { 13_000, 14_000 }, ["run_numbers"] = new List<double?> { 1, 2 },
            }),
        };
        var fromJson = JsonSerializer.Deserialize<List<ResultRow>>(JsonSerializer.Serialize(rows, ReportWriter.Json), ReportWriter.Json)!;

        var markdown = MarkdownReport.Render(Report([.. fromJson]));

        Assert.Contains("- round 1: graphile-worker c24-batch 17:03:28 → taskgrid throughput 17:03:39", markdown, StringComparison.Ordinal);
        Assert.Contains("- round 2: taskgrid throughput 17:07:10 → graphile-worker c24-batch 17:08:20", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("pg-boss b100-c2 ", markdown.Split("The order they ran in")[1], StringComparison.Ordinal);
        var untimed = Row("taskgrid", "drain", "throughput", jobs: 54_000, extra: new()
        {
            ["jobs_per_s_by_run"] = new List<double?> { 60_000 }, ["run_numbers"] = new List<double?> { 1 }, ["interleaved_with_peers"] = true,
        });
        var withoutTimes = MarkdownReport.Render(Report(untimed, rows[2]));
        Assert.Contains("- taskgrid throughput: 60,000", withoutTimes, StringComparison.Ordinal);
        Assert.DoesNotContain("The order they ran in", withoutTimes, StringComparison.Ordinal);
    }

    private static ResultRow Row(string system, string workload, string setting, double? jobs = null, double? p99 = null, Dictionary<string, object?>? extra = null) => new()
    {
        System = system,
        Workload = workload,
        Setting = setting,
        JobsPerS = jobs,
        P99Ms = p99,
        Extra = extra ?? new() { ["note"] = "fine" },
    };

    private static BenchReport Report(params ResultRow[] rows) => new(
        new MachineInfo { Cores = 2, MemoryGib = 24, Cpu = "test CPU", Os = "test OS", Dotnet = ".NET test" },
        new RunInfo
        {
            Stamp = "20260101T000000Z",
            Quick = true,
            Command = "./taskgrid bench --quick",
            Workloads = ["drain"],
            Configs = new Dictionary<string, string> { ["default"] = EngineConfig.Default.Describe() },
            Sizes = BenchSizes.Quick,
        },
        rows,
        Targets.Check(rows));
}
