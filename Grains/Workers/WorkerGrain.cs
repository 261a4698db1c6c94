using Npgsql;
using NpgsqlTypes;
using TaskGrid.Grains.Persistence;
using TaskGrid.Grains.Persistence.Rows;
using TaskGrid.Grains.Persistence.Sql;
using TaskGrid.Workers;

namespace TaskGrid.Grains.Workers;

/// <summary>
/// One claim loop of a silo. Each method is one atomic statement (or, for failures and releases,
/// one transaction) over a batch of tasks; every acknowledgement names the lease it holds, so a
/// worker that lost a lease (it was too slow, frozen, or its task was cancelled) changes nothing.
/// </summary>
internal sealed class WorkerGrain(string id, string siloName, GrainServices services, int maxLanes) : IWorkerGrain
{
    public string Id => id;

    public Task RegisterAsync(CancellationToken cancellationToken = default) =>
        services.Turns.RunStatementAsync("worker.register", async connection =>
        {
            await using var command = new NpgsqlCommand(MembershipQueries.WorkerRegister, connection)
                .With("id", id).With("silo", siloName).WithNow(services.Clock);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    public Task<IReadOnlyList<ClaimedTask>> ClaimAsync(int max, TimeSpan leaseDuration, CancellationToken cancellationToken = default) =>
        services.Turns.RunStatementAsync<IReadOnlyList<ClaimedTask>>("worker.claim", async connection =>
        {
            await using var command = new NpgsqlCommand(QueueQueries.TaskClaimAvailable, connection)
                .With("worker", id).With("max", max).With("max_lanes", maxLanes)
                .With("lease_id", Guid.CreateVersion7()).With("lease", leaseDuration).WithNow(services.Clock);
            var claimed = new List<ClaimedTask>(max);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                claimed.Add(ClaimedTaskReader.Read(reader, leaseDuration));
            }
            return claimed;
        }, cancellationToken);

    public Task<IReadOnlyList<Guid>> RenewLeasesAsync(IReadOnlyList<LeaseRef> leases, TimeSpan leaseDuration, CancellationToken cancellationToken = default) =>
        ReturningIdsAsync("worker.renew", QueueQueries.TaskLeaseRenew, leases.Count, command => command
            .With("worker", id)
            .With("tokens", leases.Select(l => l.Token).Distinct().ToArray())
            .With("ids", leases.Select(l => l.TaskId).ToArray())
            .With("task_tokens", leases.Select(l => l.Token).ToArray())
            .WithVersions(leases)
            .With("lease", leaseDuration), cancellationToken);

    public Task<int> MarkRunningAsync(IReadOnlyList<LeaseRef> leases, CancellationToken cancellationToken = default)
    {
        if (leases.Count == 0)
        {
            return Task.FromResult(0);
        }
        return services.Turns.RunStatementAsync("worker.mark-running", connection =>
            MarkRunningAsync(connection, null, leases, cancellationToken), cancellationToken);
    }

    public Task CloseLeasesAsync(SettledLeases leases, CancellationToken cancellationToken = default)
    {
        if (leases.IsEmpty)
        {
            return Task.CompletedTask;
        }
        return services.Turns.RunStatementAsync("worker.close-leases", async connection =>
        {
            await using var command = new NpgsqlCommand(QueueQueries.TaskLeaseClose, connection)
                .With("worker", id)
                .With("acknowledged", leases.Acknowledged.ToArray())
                .With("unconfirmed", leases.Unconfirmed.ToArray());
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
    }

    // Results come from executors (a plugin point) and outside services: text PostgreSQL cannot
    // store would fail the whole batch on every redelivery, so it is cleaned here.
    public Task<IReadOnlyList<Guid>> CompleteAsync(IReadOnlyList<TaskSuccess> results, CancellationToken cancellationToken = default) =>
        ReturningIdsAsync("worker.complete", QueueQueries.TaskCompleteMany, results.Count, command => command
            .With("ids", results.Select(r => r.Lease.TaskId).ToArray())
            .With("tokens", results.Select(r => r.Lease.Token).ToArray())
            .WithVersions([.. results.Select(r => r.Lease)])
            .WithNullable("codes", results.Select(r => StorableText.Clean(r.Code)).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text)
            .WithNullable("outputs", results.Select(r => StorableText.Clean(r.Output)).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text)
            .WithNullable("usages", results.Select(r => TaskInputJson.Write(r.Usage is { } u ? u with { Model = StorableText.Clean(u.Model)! } : null)).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Jsonb),
            cancellationToken);

    // A failure and a release are fenced by lease token, which a leased task only carries once
    // written running: the same transaction writes it so first.
    public Task<IReadOnlyList<Guid>> FailAsync(IReadOnlyList<TaskFailure> failures, CancellationToken cancellationToken = default)
    {
        if (failures.Count == 0)
        {
            return Task.FromResult<IReadOnlyList<Guid>>([]);
        }
        return services.Turns.RunAsync<IReadOnlyList<Guid>>("worker.fail", async (connection, transaction) =>
        {
            await MarkRunningAsync(connection, transaction, [.. failures.Select(f => f.Lease)], cancellationToken);
            await using var command = new NpgsqlCommand(QueueQueries.TaskFailMany, connection, transaction)
                .With("ids", failures.Select(f => f.Lease.TaskId).ToArray())
                .With("tokens", failures.Select(f => f.Lease.Token).ToArray())
                .With("errors", failures.Select(f => StorableText.Clean(f.Error)!).ToArray())
                .With("retryable", failures.Select(f => f.Retryable).ToArray())
                .With("delays", failures.Select(f => f.RetryDelay).ToArray())
                .WithNullable("outputs", failures.Select(f => StorableText.Clean(f.Output)).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Text)
                .WithNow(services.Clock);
            return await ReadIdsAsync(command, failures.Count, cancellationToken);
        }, cancellationToken);
    }

    public Task<int> ReleaseAsync(IReadOnlyList<LeaseRef> leases, string reason, CancellationToken cancellationToken = default)
    {
        if (leases.Count == 0)
        {
            return Task.FromResult(0);
        }
        return services.Turns.RunAsync("worker.release", async (connection, transaction) =>
        {
            await MarkRunningAsync(connection, transaction, leases, cancellationToken);
            await using var command = new NpgsqlCommand(QueueQueries.TaskReleaseMany, connection, transaction)
                .With("ids", leases.Select(l => l.TaskId).ToArray())
                .With("tokens", leases.Select(l => l.Token).ToArray())
                .With("reason", reason).WithNow(services.Clock);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);
    }

    public Task ReportAsync(WorkerReport report, CancellationToken cancellationToken = default) =>
        services.Turns.RunStatementAsync("worker.report", async connection =>
        {
            await using var command = new NpgsqlCommand(MembershipQueries.WorkerReport, connection)
                .With("id", id).With("in_flight", report.InFlight).With("claimed", report.Claimed)
                .With("completed", report.Completed).With("failed", report.Failed).WithNow(services.Clock);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    private async Task<int> MarkRunningAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyList<LeaseRef> leases, CancellationToken cancellationToken)
    {
        List<LeaseRef> leased = [.. leases.Where(l => l.ClaimedVersion is not null)];
        if (leased.Count == 0)
        {
            return 0;
        }
        await using var command = new NpgsqlCommand(QueueQueries.TaskMarkRunning, connection, transaction)
            .With("ids", leased.Select(l => l.TaskId).ToArray())
            .With("tokens", leased.Select(l => l.Token).ToArray())
            .WithVersions(leased)
            .WithNow(services.Clock);
        return (int)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task<IReadOnlyList<Guid>> ReturningIdsAsync(string turn, string sql, int count, Func<NpgsqlCommand, NpgsqlCommand> bind, CancellationToken cancellationToken)
    {
        if (count == 0)
        {
            return [];
        }
        return await services.Turns.RunStatementAsync(turn, async connection =>
        {
            await using var command = bind(new NpgsqlCommand(sql, connection)).WithNow(services.Clock);
            return await ReadIdsAsync(command, count, cancellationToken);
        }, cancellationToken);
    }

    private static async Task<IReadOnlyList<Guid>> ReadIdsAsync(NpgsqlCommand command, int count, CancellationToken cancellationToken)
    {
        var ids = new List<Guid>(count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetGuid(0));
        }
        return ids;
    }
}

file static class LeaseVersionParameters
{
    public static NpgsqlCommand WithVersions(this NpgsqlCommand command, IReadOnlyList<LeaseRef> leases) =>
        command.WithNullable("versions", leases.Select(l => l.ClaimedVersion).ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Bigint);
}
