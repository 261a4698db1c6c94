using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;
using TaskGrid.Cluster;
using TaskGrid.Grains.Persistence;
using TaskGrid.Grains.Persistence.Sql;
using TaskGrid.Validation;

namespace TaskGrid.Grains.Cluster;

/// <summary>Reads membership and health.</summary>
internal sealed class ClusterGrain(GrainServices services) : IClusterGrain
{
    private static readonly TimeSpan s_healthTimeout = TimeSpan.FromSeconds(3);

    public Task<IReadOnlyList<SiloView>> ListSilosAsync(CancellationToken cancellationToken = default) =>
        services.Turns.RunStatementAsync<IReadOnlyList<SiloView>>("cluster.silos", async connection =>
        {
            await using var command = new NpgsqlCommand(MembershipQueries.SiloList, connection).WithNow(services.Clock);
            var silos = new List<SiloView>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                silos.Add(new SiloView(
                    Name: reader.GetString(0),
                    Host: reader.GetString(1),
                    ProcessId: reader.GetInt32(2),
                    State: SiloStates.Parse(reader.GetString(3)),
                    StartedAt: reader.GetFieldValue<DateTimeOffset>(4),
                    HeartbeatAt: reader.GetFieldValue<DateTimeOffset>(5),
                    HeartbeatAgeSeconds: Math.Max(0, reader.GetDouble(6)),
                    Workers: reader.GetInt32(7),
                    InFlight: reader.GetInt32(8)));
            }
            return silos;
        }, cancellationToken);

    public Task<IReadOnlyList<WorkerView>> ListWorkersAsync(string? silo = null, CancellationToken cancellationToken = default)
    {
        ListQueryValidator.ThrowIfInvalidSilo(silo);
        return services.Turns.RunStatementAsync<IReadOnlyList<WorkerView>>("cluster.workers", async connection =>
        {
            await using var command = new NpgsqlCommand(MembershipQueries.WorkerList, connection)
                .WithNullable("silo", silo, NpgsqlDbType.Text);
            var workers = new List<WorkerView>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                workers.Add(new WorkerView(
                    Id: reader.GetString(0),
                    Silo: reader.GetString(1),
                    State: SiloStates.Parse(reader.GetString(2)),
                    HeartbeatAt: reader.GetFieldValue<DateTimeOffset>(3),
                    InFlight: reader.GetInt32(4),
                    Claimed: reader.GetInt64(5),
                    Completed: reader.GetInt64(6),
                    Failed: reader.GetInt64(7)));
            }
            return workers;
        }, cancellationToken);
    }

    public async Task<ClusterHealth> GetHealthAsync(CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(s_healthTimeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await using var connection = await services.Turns.DataSource.OpenConnectionAsync(timeout.Token);
            await using (var ping = new NpgsqlCommand(HealthQueries.Ping, connection))
            {
                await ping.ExecuteScalarAsync(timeout.Token);
            }
            var latencyMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var applied = await MigrationRunner.AppliedVersionAsync(connection, timeout.Token);
            var (alive, dead) = (0, 0);
            if (applied > 0)
            {
                await using var count = new NpgsqlCommand(MembershipQueries.SiloCountAlive, connection)
                    .With("dead_after", services.Cluster.SiloDeadAfter).WithNow(services.Clock);
                await using var reader = await count.ExecuteReaderAsync(timeout.Token);
                await reader.ReadAsync(timeout.Token);
                (alive, dead) = (reader.GetInt32(0), reader.GetInt32(1));
            }
            return new ClusterHealth(true, latencyMs, null, applied, MigrationRunner.LatestVersion, alive, dead);
        }
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            var reason = ex is OperationCanceledException ? $"no answer within {s_healthTimeout.TotalSeconds:0} s" : ex.Message;
            return new ClusterHealth(false, Stopwatch.GetElapsedTime(started).TotalMilliseconds, reason, 0, MigrationRunner.LatestVersion, 0, 0);
        }
    }
}
