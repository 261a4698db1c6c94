using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using TaskGrid.Grains.Cluster;
using TaskGrid.Grains.Persistence.Sql;
using TaskGrid.Tasks;
using TaskGrid.Testing;
using TaskGrid.Tests.Integration.Support;

namespace TaskGrid.Tests.Integration.Cluster;

public sealed class ClusterMaintenanceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task While_another_silo_holds_the_duty_a_pass_does_nothing_and_returns_null()
    {
        await using var engine = await Engine.StartAsync(database);
        var task = await engine.SubmitAsync(new SubmitTaskRequest { Kind = TaskKinds.Noop, TtlSeconds = 1 });
        engine.Clock.Advance(TimeSpan.FromSeconds(2));

        await using (var holder = await database.OpenUnpooledAsync())
        await using (var transaction = await holder.BeginTransactionAsync())
        {
            await HoldDutyAsync(holder, transaction);

            Assert.Null(await engine.Maintenance.RunOnceAsync(CancellationToken.None));
            Assert.Equal("pending", await engine.StatusAsync(task.Id));
        }

        var pass = await engine.MaintainAsync();
        Assert.Equal(1, pass.TasksExpired);
        Assert.Equal("expired", await engine.StatusAsync(task.Id));
    }

    [Fact]
    public async Task A_pass_expires_around_a_queue_row_a_claim_holds_instead_of_waiting_for_it()
    {
        await using var engine = await Engine.StartAsync(database);
        var held = await engine.SubmitAsync(new SubmitTaskRequest { Kind = TaskKinds.Noop, TtlSeconds = 1 });
        var free = await engine.SubmitAsync(new SubmitTaskRequest { Kind = TaskKinds.Noop, TtlSeconds = 1 });
        engine.Clock.Advance(TimeSpan.FromSeconds(2));

        // A claim locks a queue row before its task, and keeps the lock until it commits even
        // when it passes the task over; the pass must not wait for it while holding counter rows.
        await using (var claimer = await database.OpenUnpooledAsync())
        await using (var claim = await claimer.BeginTransactionAsync())
        {
            await claim.HoldRowAsync("task_queue", "task_id", held.Id);

            var pass = await engine.MaintainAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(1, pass.TasksExpired);
            Assert.Equal(("pending", "expired"), (await engine.StatusAsync(held.Id), await engine.StatusAsync(free.Id)));
        }

        Assert.Equal(1, (await engine.MaintainAsync()).TasksExpired);
        Assert.Equal("expired", await engine.StatusAsync(held.Id));
        Assert.Empty(await database.QueueMismatchesAsync());
    }

    [Fact]
    public async Task A_silo_stalled_inside_a_pass_loses_the_duty_when_its_transaction_sits_idle_too_long()
    {
        var settings = new Dictionary<string, string?> { ["TaskGrid:Database:IdleInTransactionTimeout"] = "00:00:01" };
        await using var engine = await Engine.StartAsync(database, settings);
        var task = await engine.SubmitAsync(new SubmitTaskRequest { Kind = TaskKinds.Noop, TtlSeconds = 1 });
        engine.Clock.Advance(TimeSpan.FromSeconds(2));

        // A silo frozen (SIGSTOP, a stalled VM) between two statements of its pass: its connection
        // stays open, and its transaction holds the duty's lock.
        await using var stalled = database.CreateServices(engine.Clock, settings);
        await using var connection = await stalled.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await HoldDutyAsync(connection, transaction);
        Assert.Null(await engine.Maintenance.RunOnceAsync(CancellationToken.None));

        // PostgreSQL ends the idle transaction and the next silo's pass takes the duty.
        MaintenancePass? pass = null;
        await Eventually.HoldsAsync(async () => (pass = await engine.Maintenance.RunOnceAsync(CancellationToken.None)) is not null,
            TimeSpan.FromSeconds(30), "another silo's pass to take the duty from the stalled one");
        Assert.Equal(1, pass!.TasksExpired);
        Assert.Equal("expired", await engine.StatusAsync(task.Id));
        await using var late = new NpgsqlCommand("select 1", connection, transaction);
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => late.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Every_connection_carries_the_idle_transaction_timeout()
    {
        await using var services = database.CreateServices();
        await using var command = services.GetRequiredService<NpgsqlDataSource>().CreateCommand("show idle_in_transaction_session_timeout");
        Assert.Equal("10s", await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Two_concurrent_passes_do_the_work_once()
    {
        await using var engine = await Engine.StartAsync(database);
        await using var second = database.CreateServices(engine.Clock);
        var otherSilo = second.GetRequiredService<ClusterMaintenance>();
        var ids = new List<Guid>();
        for (var i = 0; i < 40; i++)
        {
            ids.Add((await engine.SubmitAsync(new SubmitTaskRequest { Kind = TaskKinds.Noop, TtlSeconds = 1 })).Id);
        }
        engine.Clock.Advance(TimeSpan.FromSeconds(2));

        for (var round = 0; round < 5; round++)
        {
            var passes = await Task.WhenAll(
                Task.Run(() => engine.Maintenance.RunOnceAsync(CancellationToken.None)),
                Task.Run(() => otherSilo.RunOnceAsync(CancellationToken.None)));
            var worked = passes.Where(p => p is { TasksExpired: > 0 }).ToList();
            Assert.True(worked.Count <= 1, $"round {round}: {worked.Count} passes expired tasks");
            if (round == 0)
            {
                Assert.Equal(40, passes.Sum(p => p?.TasksExpired ?? 0));
            }
            else
            {
                Assert.All(passes, p => Assert.Equal(0, p?.TasksExpired ?? 0));
            }
        }
        Assert.Equal(40, await database.ScalarAsync<long>("select count(*) from task_events where task_id = any(@ids) and to_status = 'expired'", ("ids", ids.ToArray())));
    }

    [Fact]
    public async Task A_pass_with_nothing_to_do_changes_nothing()
    {
        await using var engine = await Engine.StartAsync(database);
        var task = await engine.SubmitAsync();
        var before = await database.TaskRowAsync(task.Id);
        var pass = await engine.MaintainAsync();
        Assert.Equal((0, 0), (pass.LeasesReaped, pass.TasksExpired));
        Assert.Equal(before, await database.TaskRowAsync(task.Id));
    }

    /// <summary>Takes the maintenance duty's lock in <paramref name="transaction"/>, as a silo's pass does.</summary>
    private static async Task HoldDutyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction)
    {
        await using var take = new NpgsqlCommand(MaintenanceQueries.LockTry, connection, transaction);
        take.Parameters.AddWithValue("key", MaintenanceQueries.LockKey);
        Assert.Equal(true, await take.ExecuteScalarAsync());
    }
}
