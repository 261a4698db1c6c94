namespace TaskGrid.Bench.Results;

/// <summary>What was run and how: enough to reproduce it.</summary>
internal sealed record RunInfo
{
    public required string Stamp { get; init; }

    public required bool Quick { get; init; }

    public string? GitCommit { get; init; }

    public required string Command { get; init; }

    public required IReadOnlyList<string> Workloads { get; init; }

    /// <summary>Configuration name → its spec (silos, workers, concurrency, prefetch, ack).</summary>
    public required IReadOnlyDictionary<string, string> Configs { get; init; }

    public required BenchSizes Sizes { get; init; }

    /// <summary>The PostgreSQL settings from the peer harness's postgresql.conf.</summary>
    public string? PostgresSettings { get; init; }

    /// <summary>Gateway settings changed from their defaults for the benchmark.</summary>
    public IReadOnlyDictionary<string, string> GatewaySettings { get; init; } = new Dictionary<string, string>
    {
        ["TaskGrid:Gateway:RateLimit:PermitsPerSecond"] = "1000000",
        ["TaskGrid:Gateway:RateLimit:Burst"] = "1000000",
    };

    public double? DurationSeconds { get; init; }

    /// <summary>Workloads that failed, with the first line of why; their rows are missing.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];
}
