using System.Globalization;

namespace TaskGrid.Bench;

/// <summary>
/// A shape of TaskGrid cluster: how many silos, and the worker options each silo gets through
/// <c>TaskGrid__Worker__*</c> environment variables. Written and parsed as
/// <c>silos=1,workers=1,concurrency=8000,prefetch=2000,ack=4000</c>.
/// </summary>
internal sealed record EngineConfig(string Name, int Silos, int Workers, int Concurrency, int Prefetch, int AckBatchSize)
{
    /// <summary>What <c>./taskgrid up</c> runs: two silos with the worker defaults (Prefetch 10).</summary>
    public static EngineConfig Default { get; } = new("default", Silos: 2, Workers: 2, Concurrency: 16, Prefetch: 10, AckBatchSize: 500);

    /// <summary>
    /// The throughput configuration: the best of <c>./taskgrid bench --sweep</c> on the 2-core
    /// development machine (see bench/README.md). One silo: a second process on two cores only
    /// adds context switches. One worker: two claimers of one lane each walk past the rows the
    /// other is locking right now (<c>SKIP LOCKED</c> still visits them), which cost a fifth more
    /// PostgreSQL CPU per task; one worker claiming 2,000 at a time, with room for four such
    /// batches in flight, keeps the database as busy. <c>TASKGRID_BENCH_THROUGHPUT</c> replaces it.
    /// </summary>
    public static EngineConfig Throughput { get; } = new("throughput", Silos: 1, Workers: 1, Concurrency: 8000, Prefetch: 2000, AckBatchSize: 4000);

    /// <summary>Parses <c>key=value</c> pairs over <paramref name="start"/>; keys: silos, workers, concurrency, prefetch, ack.</summary>
    public static EngineConfig Parse(string name, string spec, EngineConfig start)
    {
        var config = start with { Name = name };
        foreach (var pair in spec.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1)
            {
                throw new UsageException($"'{pair}' in configuration '{spec}' is not key=positive-number.");
            }
            config = parts[0].ToLowerInvariant() switch
            {
                "silos" => config with { Silos = value },
                "workers" => config with { Workers = value },
                "concurrency" => config with { Concurrency = value },
                "prefetch" => config with { Prefetch = value },
                "ack" or "ackbatchsize" => config with { AckBatchSize = value },
                _ => throw new UsageException($"Unknown key '{parts[0]}' in configuration '{spec}'; use silos, workers, concurrency, prefetch, ack."),
            };
        }
        return config;
    }

    /// <summary>The settings every silo of this configuration gets.</summary>
    public IReadOnlyDictionary<string, string> SiloEnvironment() => new Dictionary<string, string>
    {
        ["TaskGrid__Worker__Workers"] = Invariant(Workers),
        ["TaskGrid__Worker__Concurrency"] = Invariant(Concurrency),
        ["TaskGrid__Worker__Prefetch"] = Invariant(Prefetch),
        ["TaskGrid__Worker__AckBatchSize"] = Invariant(AckBatchSize),
    };

    public string Spec => string.Create(CultureInfo.InvariantCulture,
        $"silos={Silos},workers={Workers},concurrency={Concurrency},prefetch={Prefetch},ack={AckBatchSize}");

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{Silos} silo{(Silos == 1 ? "" : "s")} × {Workers} worker{(Workers == 1 ? "" : "s")}, Concurrency {Concurrency}, Prefetch {Prefetch}, AckBatchSize {AckBatchSize}");

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
