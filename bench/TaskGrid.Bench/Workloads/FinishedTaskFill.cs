using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using TaskGrid.Bench.Measurement;

namespace TaskGrid.Bench.Workloads;

/// <summary>
/// Puts finished tasks straight into the <c>tasks</c> table with <c>generate_series</c>, a
/// million rows per statement: completed no-op tasks of one user in old grids of 100,000, each
/// with UUIDv7-shaped ids, database-style timestamps, a three-step history and the grid and
/// task counters to match, as if the cluster had run them long ago. Triggers are skipped for
/// the load (<see cref="BenchQueries.FillBegin"/>); the rows satisfy the table's checks.
/// </summary>
internal static class FinishedTaskFill
{
    private const long PerStatement = 1_000_000;
    private const long PerGrid = 100_000;

    private const string History = """
        [{"at": "2026-01-01T00:00:00+00:00", "to": "pending", "from": null, "actor": "api:bench", "reason": "submitted", "attempt": 0},
         {"at": "2026-01-01T00:00:00.002+00:00", "to": "running", "from": "pending", "actor": "bench-history/1", "reason": "claimed", "attempt": 1},
         {"at": "2026-01-01T00:00:00.003+00:00", "to": "completed", "from": "running", "actor": "bench-history/1", "reason": "completed", "attempt": 1}]
        """;

    /// <summary>Loads <paramref name="total"/> finished tasks, then vacuums, analyzes and checkpoints; returns how long the load took.</summary>
    public static async Task<TimeSpan> FillAsync(NpgsqlDataSource data, string user, long total, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var baseTime = DateTimeOffset.UtcNow.AddDays(-30);
        await using (var connection = await data.OpenConnectionAsync(cancellationToken))
        {
            await ExecuteAsync(connection, BenchQueries.FillBegin, cancellationToken);
            await ExecuteAsync(connection, BenchQueries.FillGrids, cancellationToken,
                ("user", user), ("grids", (total + PerGrid - 1) / PerGrid), ("per_grid", PerGrid), ("total", total), ("base", baseTime));
            for (var from = 1L; from <= total; from += PerStatement)
            {
                var to = Math.Min(total, from + PerStatement - 1);
                await ExecuteAsync(connection, BenchQueries.FillTasks, cancellationToken,
                    ("user", user), ("per_grid", PerGrid), ("from", from), ("to", to), ("base", baseTime),
                    ("base_ms", baseTime.ToUnixTimeMilliseconds()), ("history", new NpgsqlParameter { Value = History, NpgsqlDbType = NpgsqlDbType.Jsonb }));
                BenchContext.Say($"scale: {to:N0} of {total:N0} finished tasks written ({to / clock.Elapsed.TotalSeconds:N0} rows/s)");
            }
            await ExecuteAsync(connection, BenchQueries.FillCounts, cancellationToken, ("n", total));
            await ExecuteAsync(connection, BenchQueries.FillEnd, cancellationToken);
        }
        var loaded = clock.Elapsed;
        await using (var connection = await data.OpenConnectionAsync(cancellationToken))
        {
            // Vacuum and checkpoint can take minutes on ten million rows; no statement timeout here.
            await ExecuteAsync(connection, BenchQueries.VacuumTasks, cancellationToken);
            await ExecuteAsync(connection, BenchQueries.VacuumGrids, cancellationToken);
            await ExecuteAsync(connection, BenchQueries.Checkpoint, cancellationToken);
        }
        BenchContext.Say($"scale: vacuum, analyze and checkpoint took {(clock.Elapsed - loaded).TotalSeconds:N0} s");
        return loaded;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        foreach (var (name, value) in parameters)
        {
            if (value is NpgsqlParameter typed)
            {
                typed.ParameterName = name;
                command.Parameters.Add(typed);
            }
            else
            {
                command.Parameters.AddWithValue(name, value);
            }
        }
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
