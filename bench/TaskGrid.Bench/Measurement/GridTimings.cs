using Npgsql;

namespace TaskGrid.Bench.Measurement;

/// <summary>
/// A grid's timings as the database recorded them (see <see cref="BenchQueries.GridTimings"/>).
/// Latency triples are p50, p95, p99 in milliseconds.
/// </summary>
internal sealed record GridTimings(
    int Tasks,
    int Completed,
    DateTimeOffset FirstCreated,
    DateTimeOffset LastCreated,
    DateTimeOffset FirstStarted,
    DateTimeOffset LastCompleted,
    DateTimeOffset Completed10,
    DateTimeOffset Completed90,
    double[] RunMs,
    double[] PickupMs,
    double[] EndToEndMs)
{
    /// <summary>First claim to last completion: the engine's drain time, start-up excluded.</summary>
    public TimeSpan Drain => LastCompleted - FirstStarted;

    /// <summary>Completed tasks per second over <see cref="Drain"/>.</summary>
    public double DrainRate => Completed / Math.Max(Drain.TotalSeconds, 1e-6);

    /// <summary>The rate between the 10th and the 90th percentile completion (start and tail effects left out).</summary>
    public double SteadyRate => 0.8 * Completed / Math.Max((Completed90 - Completed10).TotalSeconds, 1e-6);

    public static async Task<GridTimings> ReadAsync(NpgsqlDataSource data, Guid grid, CancellationToken cancellationToken)
    {
        await using var command = data.CreateCommand(BenchQueries.GridTimings);
        command.Parameters.AddWithValue("grid", grid);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var completed = reader.GetInt32(1);
        if (completed == 0)
        {
            throw new InvalidOperationException($"No task of grid {grid} completed.");
        }
        return new GridTimings(
            reader.GetInt32(0),
            completed,
            reader.GetFieldValue<DateTimeOffset>(2),
            reader.GetFieldValue<DateTimeOffset>(3),
            reader.GetFieldValue<DateTimeOffset>(4),
            reader.GetFieldValue<DateTimeOffset>(5),
            reader.GetFieldValue<DateTimeOffset>(6),
            reader.GetFieldValue<DateTimeOffset>(7),
            reader.GetFieldValue<double[]>(8),
            reader.GetFieldValue<double[]>(9),
            reader.GetFieldValue<double[]>(10));
    }
}
