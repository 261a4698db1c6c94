namespace TaskGrid.Bench;

/// <summary>How big each workload is. <see cref="Quick"/> fits <c>./taskgrid bench --quick</c> in a few minutes.</summary>
internal sealed record BenchSizes
{
    /// <summary>No-op tasks queued before the drain starts (the peers drain the same number).</summary>
    public required int DrainTasks { get; init; }

    /// <summary>Repetitions of each drain, reported as the median.</summary>
    public required int Runs { get; init; }

    /// <summary>Offered rates of the steady workload, tasks per second.</summary>
    public required IReadOnlyList<int> SteadyRates { get; init; }

    /// <summary>How long each steady rate is offered.</summary>
    public required TimeSpan SteadyDuration { get; init; }

    /// <summary>
    /// Tasks submitted one at a time to the idle cluster: as many as the peer harness's latency
    /// probe sends (<c>--lat</c>, 200) in every run, so that both p99s rest on the same count.
    /// </summary>
    public int PickupTasks { get; init; } = 200;

    /// <summary>Gap between pickup submissions (the peers use 20 ms).</summary>
    public TimeSpan PickupGap { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>Concurrency levels of the codegen sweep.</summary>
    public required IReadOnlyList<int> CodegenConcurrency { get; init; }

    /// <summary>Tasks per codegen level, as rounds of its concurrency.</summary>
    public required int CodegenRounds { get; init; }

    /// <summary>How long the fake OpenAI server takes to answer.</summary>
    public TimeSpan CodegenLatency { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Finished tasks put in the table for the scale workload.</summary>
    public required long ScaleFinishedTasks { get; init; }

    /// <summary>Tasks claimed (statement by statement) per table in the scale workload.</summary>
    public required int ScaleClaimTasks { get; init; }

    /// <summary>Tasks drained by silos per table in the scale workload.</summary>
    public required int ScaleDrainTasks { get; init; }

    /// <summary>Tasks per configuration in <c>--sweep</c>.</summary>
    public required int SweepTasks { get; init; }

    public static BenchSizes Quick { get; } = new()
    {
        DrainTasks = 20_000,
        Runs = 1,
        SteadyRates = [1_000],
        SteadyDuration = TimeSpan.FromSeconds(8),
        CodegenConcurrency = [10, 50, 200],
        CodegenRounds = 6,
        ScaleFinishedTasks = 1_000_000,
        ScaleClaimTasks = 10_000,
        ScaleDrainTasks = 20_000,
        SweepTasks = 20_000,
    };

    public static BenchSizes Full { get; } = new()
    {
        DrainTasks = 100_000,
        Runs = 3,
        SteadyRates = [1_000, 5_000],
        SteadyDuration = TimeSpan.FromSeconds(30),
        CodegenConcurrency = [10, 50, 200, 500],
        CodegenRounds = 10,
        ScaleFinishedTasks = 10_000_000,
        ScaleClaimTasks = 50_000,
        ScaleDrainTasks = 100_000,
        SweepTasks = 50_000,
    };
}
