using System.Globalization;

namespace TaskGrid.Bench;

/// <summary>
/// The driver's command line (scripts/bench.sh builds it):
/// <code>
/// TaskGrid.Bench run|sweep --admin-url URL [--quick] [--out DIR] [--only drain,pickup]
///     [--peer-results FILE] [--peer-rss FILE] [--runs N] [--drain-n N] [--scale-rows N]
///     [--throughput SPEC] [--note TEXT] [--git-commit SHA] [--pid-file FILE] [--drain-runs FILE]
/// TaskGrid.Bench drain --admin-url URL --round N --drain-runs FILE [--config NAME] [--quick] [--drain-n N] [--throughput SPEC]
/// </code>
/// <c>drain</c> runs one round of the drain workload (or of one configuration) and appends it to
/// the file; scripts/bench.sh runs them between the peers' drains of the same round, and
/// <c>run --drain-runs FILE</c> then reports those rounds instead of draining on its own, so that
/// TaskGrid and the peers share the same minutes.
/// </summary>
internal sealed record BenchArguments
{
    public const string Usage = """
        usage: TaskGrid.Bench run|sweep|drain --admin-url postgres://postgres@127.0.0.1:55432/postgres [options]
          --quick               the small sizes of ./taskgrid bench --quick
          --out DIR             where results go (default: <repo>/bench/results)
          --only LIST           workloads to run, comma-separated (drain,steady,pickup,codegen,scale,footprint)
          --peer-results FILE   the peer harness's results.jsonl to compare with
          --peer-rss FILE       peak RSS of the peer processes (written by scripts/bench.sh)
          --runs N              drain repetitions (median reported)
          --drain-n N           tasks in each drain (and in the sweep)
          --scale-rows N        finished tasks put in the table for the scale workload
          --throughput SPEC     the throughput configuration, e.g. silos=1,workers=1,concurrency=8000,prefetch=2000,ack=4000
          --note TEXT           a note for the report (for example "quick run on a busy machine")
          --git-commit SHA      recorded in the results
          --pid-file FILE       every process started is appended here, so the caller can clean up
          --drain-runs FILE     drain: append this round's drains here; run: report the drains recorded here
          --round N             drain: the number of this round (the peers' run it goes with)
          --config NAME         drain: only this configuration (default or throughput); both when absent
        """;

    public required string Command { get; init; }

    public required string AdminUrl { get; init; }

    public bool Quick { get; init; }

    public string? OutputDirectory { get; init; }

    public IReadOnlySet<string> Workloads { get; init; } = WorkloadSet(null);

    public string? PeerResults { get; init; }

    public string? PeerRss { get; init; }

    public string? Note { get; init; }

    public string? GitCommit { get; init; }

    public string? PidFile { get; init; }

    /// <summary>Drain runs recorded by the <c>drain</c> command (appended to, or reported from).</summary>
    public string? DrainRuns { get; init; }

    /// <summary>The <c>drain</c> command's round number.</summary>
    public int Round { get; init; } = 1;

    /// <summary>The one configuration the <c>drain</c> command runs; every one when null.</summary>
    public string? DrainConfig { get; init; }

    public required BenchSizes Sizes { get; init; }

    public required EngineConfig Throughput { get; init; }

    public static BenchArguments Parse(IReadOnlyList<string> args, string? throughputFromEnvironment = null)
    {
        if (args.Count == 0 || args[0] is not ("run" or "sweep" or "drain"))
        {
            throw new UsageException("The first argument must be 'run', 'sweep' or 'drain'.");
        }
        var values = new Dictionary<string, string>();
        var quick = false;
        for (var i = 1; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--quick")
            {
                quick = true;
                continue;
            }
            if (!arg.StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new UsageException($"Unexpected argument '{arg}' (options take a value: --name VALUE).");
            }
            values[arg[2..]] = args[++i];
        }
        var known = new[] { "admin-url", "out", "only", "peer-results", "peer-rss", "runs", "drain-n", "scale-rows", "throughput", "note", "git-commit", "pid-file", "drain-runs", "round", "config" };
        if (values.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
        {
            throw new UsageException($"Unknown option --{unknown}.");
        }
        var sizes = quick ? BenchSizes.Quick : BenchSizes.Full;
        if (values.TryGetValue("runs", out var runs))
        {
            sizes = sizes with { Runs = Positive("runs", runs) };
        }
        if (values.TryGetValue("drain-n", out var drainN))
        {
            var n = Positive("drain-n", drainN);
            sizes = sizes with { DrainTasks = n, SweepTasks = n };
        }
        if (values.TryGetValue("scale-rows", out var rows))
        {
            sizes = sizes with { ScaleFinishedTasks = Positive("scale-rows", rows) };
        }
        if (args[0] == "drain" && !(values.ContainsKey("drain-runs") && values.ContainsKey("round")))
        {
            throw new UsageException("drain needs --round N and --drain-runs FILE (the file its drains are appended to).");
        }
        var drainConfig = values.GetValueOrDefault("config");
        if (drainConfig is not null && args[0] != "drain")
        {
            throw new UsageException("--config picks the configuration of a drain round; only the drain command takes it.");
        }
        if (drainConfig is not null && drainConfig != EngineConfig.Default.Name && drainConfig != EngineConfig.Throughput.Name)
        {
            throw new UsageException($"--config must be '{EngineConfig.Default.Name}' or '{EngineConfig.Throughput.Name}'; got '{drainConfig}'.");
        }
        var throughputSpec = values.GetValueOrDefault("throughput") ?? throughputFromEnvironment;
        return new BenchArguments
        {
            Command = args[0],
            AdminUrl = values.GetValueOrDefault("admin-url") ?? throw new UsageException("--admin-url is required (the PostgreSQL to benchmark on)."),
            Quick = quick,
            OutputDirectory = values.GetValueOrDefault("out"),
            Workloads = WorkloadSet(values.GetValueOrDefault("only")),
            PeerResults = values.GetValueOrDefault("peer-results"),
            PeerRss = values.GetValueOrDefault("peer-rss"),
            Note = values.GetValueOrDefault("note"),
            GitCommit = values.GetValueOrDefault("git-commit"),
            PidFile = values.GetValueOrDefault("pid-file"),
            DrainRuns = values.GetValueOrDefault("drain-runs"),
            Round = values.TryGetValue("round", out var round) ? Positive("round", round) : 1,
            DrainConfig = drainConfig,
            Sizes = sizes,
            Throughput = string.IsNullOrWhiteSpace(throughputSpec)
                ? EngineConfig.Throughput
                : EngineConfig.Parse("throughput", throughputSpec, EngineConfig.Throughput),
        };
    }

    private static HashSet<string> WorkloadSet(string? only)
    {
        if (string.IsNullOrWhiteSpace(only))
        {
            return [.. Results.WorkloadNames.All];
        }
        var chosen = only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet();
        if (chosen.FirstOrDefault(w => !Results.WorkloadNames.All.Contains(w)) is { } bad)
        {
            throw new UsageException($"Unknown workload '{bad}'; choose from {string.Join(", ", Results.WorkloadNames.All)}.");
        }
        return chosen;
    }

    private static int Positive(string name, string value) =>
        int.TryParse(value.Replace("_", "", StringComparison.Ordinal), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new UsageException($"--{name} must be a positive whole number; got '{value}'.");
}
