using Npgsql;
using TaskGrid.Grains.Cluster;
using TaskGrid.Grains.Persistence;
using TaskGrid.Grains.Persistence.Sql;
using TaskGrid.Observability;

namespace TaskGrid.Grains.Observability;

/// <summary>A silo's rows in <c>metric_totals</c> and <c>metric_samples</c>: how its instruments reach every gateway.</summary>
public sealed class MetricsTable
{
    private readonly GrainTurns _turns;
    private readonly DbClock _clock;

    internal MetricsTable(GrainTurns turns, DbClock clock)
    {
        _turns = turns;
        _clock = clock;
    }

    /// <summary>
    /// Writes the silo's totals and one history sample in one transaction. Returns false when the
    /// totals were refused because <paramref name="silo"/> is no longer a member (declared dead,
    /// or its name taken over); the sample is written regardless.
    /// </summary>
    public Task<bool> PublishAsync(SiloIdentity silo, MetricsPublication publication, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(publication);
        var rows = publication.Totals
            .Where(f => f.Type is MetricType.Counter or MetricType.Histogram)
            .SelectMany(f => f.Samples.Select(s => (Family: f, Sample: s)))
            .ToList();
        return _turns.RunAsync("metrics.publish", async (connection, transaction) =>
        {
            var accepted = true;
            if (rows.Count > 0)
            {
                await using var totals = new NpgsqlCommand(MetricQueries.MetricTotalUpsert, connection, transaction)
                    .With("source", silo.Incarnation.ToString())
                    .With("silo", silo.Name)
                    .With("families", rows.Select(r => r.Family.Name).ToArray())
                    .With("types", rows.Select(r => r.Family.Type == MetricType.Counter ? "counter" : "histogram").ToArray())
                    .With("helps", rows.Select(r => r.Family.Help).ToArray())
                    .With("samples", rows.Select(r => r.Sample.Name).ToArray())
                    .With("labels", rows.Select(r => r.Sample.Labels).ToArray())
                    .With("values", rows.Select(r => r.Sample.Value).ToArray())
                    .WithNow(_clock);
                accepted = await totals.ExecuteNonQueryAsync(cancellationToken) > 0;
            }
            var interval = publication.Interval;
            await using var sample = new NpgsqlCommand(MetricQueries.MetricSampleInsert, connection, transaction)
                .With("silo", silo.Name)
                .With("interval_seconds", interval.Length.TotalSeconds)
                .With("claimed", interval.Claimed)
                .With("completed", interval.Completed)
                .With("failed", interval.Failed)
                .With("in_flight", interval.InFlight)
                .With("claim_latency", interval.ClaimLatency.ToArray())
                .With("run_duration", interval.RunDuration.ToArray())
                .With("cpu_seconds", interval.CpuSeconds)
                .With("working_set_bytes", interval.WorkingSetBytes)
                .With("gc_heap_bytes", interval.GcHeapBytes)
                .With("gc_collections", interval.GcCollections)
                .WithNow(_clock);
            await sample.ExecuteNonQueryAsync(cancellationToken);
            return accepted;
        }, cancellationToken);
    }
}
