using Npgsql;
using TaskGrid.Cluster;
using TaskGrid.Grains.Persistence;
using TaskGrid.Grains.Persistence.Sql;

namespace TaskGrid.Grains.Cluster;

/// <summary>A silo's own rows in the membership table: join, heartbeat, drain and leave.</summary>
public sealed class MembershipTable
{
    private readonly GrainTurns _turns;
    private readonly DbClock _clock;

    internal MembershipTable(GrainTurns turns, DbClock clock)
    {
        _turns = turns;
        _clock = clock;
    }

    /// <summary>
    /// Joins (or rejoins) the cluster as <paramref name="silo"/>. Tasks still leased to this
    /// silo's workers belong to its previous incarnation and go back to pending at once;
    /// returns how many.
    /// </summary>
    public Task<int> JoinAsync(SiloIdentity silo, CancellationToken cancellationToken) =>
        _turns.RunAsync("silo.join", async (connection, transaction) =>
        {
            await using (var join = new NpgsqlCommand(MembershipQueries.SiloJoin, connection, transaction))
            {
                join.With("name", silo.Name).With("host", silo.Host).With("pid", silo.ProcessId)
                    .With("incarnation", silo.Incarnation).WithNow(_clock);
                await join.ExecuteNonQueryAsync(cancellationToken);
            }
            await using var abandoned = new NpgsqlCommand(MembershipQueries.TaskLeasesAbandoned, connection, transaction)
                .With("name", silo.Name).WithNow(_clock);
            var leases = (Guid[])(await abandoned.ExecuteScalarAsync(cancellationToken))!;
            await using var requeue = new NpgsqlCommand(MembershipQueries.TaskRequeueFromPreviousIncarnation, connection, transaction)
                .With("name", silo.Name).With("lease_ids", leases).WithNow(_clock);
            return await requeue.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// Writes the heartbeat. Returns the silo's state, or null when the silo was declared dead
    /// or another incarnation took its name: it must then stop acting as a member (rejoin).
    /// </summary>
    public Task<SiloState?> HeartbeatAsync(SiloIdentity silo, CancellationToken cancellationToken) =>
        _turns.RunStatementAsync<SiloState?>("silo.heartbeat", async connection =>
        {
            await using var command = new NpgsqlCommand(MembershipQueries.SiloHeartbeat, connection)
                .With("name", silo.Name).With("incarnation", silo.Incarnation).WithNow(_clock);
            return await command.ExecuteScalarAsync(cancellationToken) is string state ? SiloStates.Parse(state) : null;
        }, cancellationToken);

    /// <summary>Records that the silo is draining or has stopped.</summary>
    public Task SetStateAsync(SiloIdentity silo, SiloState state, CancellationToken cancellationToken) =>
        _turns.RunStatementAsync("silo.set-state", async connection =>
        {
            await using var command = new NpgsqlCommand(MembershipQueries.SiloSetState, connection)
                .With("name", silo.Name).With("incarnation", silo.Incarnation)
                .With("state", SiloStates.ToName(state)).WithNow(_clock);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
}
