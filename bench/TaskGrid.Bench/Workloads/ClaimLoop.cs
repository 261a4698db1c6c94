using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TaskGrid.Grains;
using TaskGrid.Workers;

namespace TaskGrid.Bench.Workloads;

/// <summary>
/// The engine's own claim statement, driven directly: the grains a silo uses, wired to one
/// database, with one worker claiming a batch, acknowledging it and closing its lease, one
/// statement at a time on one connection. This isolates what the table's size can change, the
/// claim, from process and scheduling effects; each claim is timed.
/// </summary>
internal sealed class ClaimLoop : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly IWorkerGrain _worker;

    public ClaimLoop(string connectionString)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TaskGrid:Database:ConnectionString"] = connectionString,
        }).Build());
        services.AddLogging();
        services.AddMetrics();
        services.AddTaskGridGrains("taskgrid-bench-claims");
        _services = services.BuildServiceProvider();
        _worker = _services.GetRequiredService<IGrainFactory>().Worker("bench-claimer/1");
    }

    /// <summary>Claims (and completes) up to <paramref name="tasks"/> tasks, <paramref name="prefetch"/> per claim.</summary>
    public async Task RunAsync(int tasks, int prefetch, ClaimStats? stats, CancellationToken cancellationToken)
    {
        var lease = TimeSpan.FromMinutes(5);
        for (var done = 0; done < tasks;)
        {
            var started = Stopwatch.GetTimestamp();
            var claimed = await _worker.ClaimAsync(Math.Min(prefetch, tasks - done), lease, cancellationToken);
            var claimMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (claimed.Count == 0)
            {
                throw new InvalidOperationException($"The queue ran dry after {done} of {tasks} claims.");
            }
            var recorded = await _worker.CompleteAsync([.. claimed.Select(t => new TaskSuccess(t.Lease))], cancellationToken);
            List<Guid> leases = [.. claimed.Select(t => t.Lease.Token).Distinct()];
            await _worker.CloseLeasesAsync(recorded.Count == claimed.Count ? new SettledLeases(leases, []) : new SettledLeases([], leases), cancellationToken);
            stats?.Add(claimed.Count, claimMs, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            done += claimed.Count;
        }
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

/// <summary>Claim timings gathered over several rounds.</summary>
internal sealed class ClaimStats
{
    private readonly List<double> _claimMs = [];

    public long Tasks { get; private set; }

    public double ClaimSeconds { get; private set; }

    public double LoopSeconds { get; private set; }

    public IReadOnlyList<double> ClaimMs => _claimMs;

    /// <summary>Tasks per second the claim statement alone delivers on one connection.</summary>
    public double ClaimRate => Tasks / Math.Max(ClaimSeconds, 1e-9);

    /// <summary>Tasks per second of claim + complete + close, one after another on one connection.</summary>
    public double LoopRate => Tasks / Math.Max(LoopSeconds, 1e-9);

    public void Add(int tasks, double claimMs, double loopMs)
    {
        Tasks += tasks;
        ClaimSeconds += claimMs / 1000;
        LoopSeconds += loopMs / 1000;
        _claimMs.Add(claimMs);
    }
}
