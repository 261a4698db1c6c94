using Npgsql;
using TaskGrid.Bench.Cluster;

namespace TaskGrid.Bench.Measurement;

/// <summary>Waits for a grid to have nothing pending or running, polling its counters every 20 ms (as the peer harness polls).</summary>
internal static class GridWaiter
{
    /// <summary>Returns when the wait saw the grid finished (client clock).</summary>
    public static async Task<DateTimeOffset> WaitDoneAsync(BenchCluster cluster, Guid grid, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        var left = -1L;
        while (DateTimeOffset.UtcNow < deadline)
        {
            left = await ScalarAsync(cluster.Data, BenchQueries.GridUnfinished, grid, cancellationToken);
            if (left == 0)
            {
                var seen = DateTimeOffset.UtcNow;
                var failed = await ScalarAsync(cluster.Data, BenchQueries.GridFailed, grid, cancellationToken);
                return failed == 0 ? seen : throw new InvalidOperationException($"{failed} tasks of grid {grid} did not complete.");
            }
            cluster.ThrowIfSiloExited();
            await Task.Delay(20, cancellationToken);
        }
        throw new TimeoutException($"Grid {grid} still had {left} tasks pending or running after {timeout.TotalSeconds:0} s.");
    }

    /// <summary>Waits until the first task of the grid has been claimed (polling every 5 ms).</summary>
    public static async Task WaitStartedAsync(BenchCluster cluster, Guid grid, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (await ScalarAsync(cluster.Data, BenchQueries.GridStarted, grid, cancellationToken) == 0)
        {
            cluster.ThrowIfSiloExited();
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"No task of grid {grid} was claimed within {timeout.TotalSeconds:0} s.");
            }
            await Task.Delay(5, cancellationToken);
        }
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource data, string sql, Guid grid, CancellationToken cancellationToken)
    {
        await using var command = data.CreateCommand(sql);
        command.Parameters.AddWithValue("grid", grid);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
