using System.Diagnostics;
using System.Globalization;
using TaskGrid.Bench.Cluster;
using TaskGrid.Bench.Results;
using TaskGrid.Bench.Workloads;
using TaskGrid.Testing;

namespace TaskGrid.Bench;

/// <summary>
/// One run: the selected TaskGrid workloads in turn (idle pickup first, the table-filling scale
/// workload last), then the peers' rows, the targets, and the report. A workload that fails is
/// named in the report and the others still run: a benchmark reports.
/// </summary>
internal static class BenchCommand
{
    private static readonly (string Name, Func<BenchContext, CancellationToken, Task<IReadOnlyList<ResultRow>>> Run)[] s_workloads =
    [
        (WorkloadNames.Pickup, (c, ct) => new PickupWorkload(c).RunAsync(ct)),
        (WorkloadNames.Drain, (c, ct) => new DrainWorkload(c).RunAsync(ct)),
        (WorkloadNames.Steady, (c, ct) => new SteadyWorkload(c).RunAsync(ct)),
        (WorkloadNames.Codegen, (c, ct) => new CodegenWorkload(c).RunAsync(ct)),
        (WorkloadNames.Scale, (c, ct) => new ScaleWorkload(c).RunAsync(ct)),
        (WorkloadNames.Footprint, (c, ct) => new FootprintWorkload(c).RunAsync(ct)),
    ];

    public static async Task<int> RunAsync(BenchArguments arguments, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var stamp = DateTime.UtcNow.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var machine = MachineInfo.Read();
        var output = arguments.OutputDirectory ?? Path.Combine(TestEnvironment.RepositoryRoot, "bench", "results");
        await using var server = new BenchServer(arguments.AdminUrl);
        var context = new BenchContext(arguments, server);

        if (arguments.Command == "drain")
        {
            await new DrainWorkload(context).RecordRoundAsync(arguments.DrainRuns!, arguments.Round, cancellationToken);
            return 0;
        }

        if (arguments.Command == "sweep")
        {
            var table = await new SweepWorkload(context).RunAsync(stamp, cancellationToken);
            Directory.CreateDirectory(output);
            ReportWriter.WriteAtomically(Path.Combine(output, $"sweep-{stamp}.md"), table);
            Console.WriteLine(table);
            return 0;
        }

        var rows = new List<ResultRow>();
        var errors = new List<string>();
        foreach (var (name, run) in s_workloads.Where(w => arguments.Workloads.Contains(w.Name)))
        {
            try
            {
                rows.AddRange(await run(context, cancellationToken));
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                BenchContext.Say($"{name} failed: {ex}");
                errors.Add($"{name}: {ex.GetType().Name}: {ex.Message.Split('\n')[0]}");
            }
        }
        var peers = ReadPeers(arguments);
        rows.AddRange(peers);

        var report = new BenchReport(
            machine with
            {
                Postgres = await server.VersionAsync(cancellationToken),
                Node = peers.Select(r => r.Text("node")).FirstOrDefault(n => n is not null),
                LoadAverageAtEnd = MachineInfo.LoadAverage(),
                Note = arguments.Note,
            },
            new RunInfo
            {
                Stamp = stamp,
                Quick = arguments.Quick,
                GitCommit = arguments.GitCommit,
                Command = arguments.Quick ? "./taskgrid bench --quick" : "./taskgrid bench",
                Workloads = [.. s_workloads.Select(w => w.Name).Where(arguments.Workloads.Contains)],
                Configs = context.Configs.ToDictionary(c => c.Name, c => $"{c.Describe()} ({c.Spec})"),
                Sizes = arguments.Sizes,
                PostgresSettings = await server.SettingsAsync(cancellationToken),
                DurationSeconds = Math.Round(clock.Elapsed.TotalSeconds),
                Errors = errors,
            },
            rows,
            Targets.Check(rows));
        var markdown = MarkdownReport.Render(report);
        var (json, md) = ReportWriter.Write(output, report, markdown);
        Console.WriteLine(markdown);
        BenchContext.Say($"results: {json} and {md} (also latest.json, latest.md)");
        return errors.Count == 0 ? 0 : 1;
    }

    private static List<ResultRow> ReadPeers(BenchArguments arguments)
    {
        static IEnumerable<string> Lines(string? path) => path is not null && File.Exists(path) ? File.ReadLines(path) : [];
        if (arguments.PeerResults is { } path && !File.Exists(path))
        {
            BenchContext.Say($"no peer results at {path}; the report has TaskGrid alone");
        }
        return [.. PeerResults.Read(Lines(arguments.PeerResults), Lines(arguments.PeerRss))];
    }
}
