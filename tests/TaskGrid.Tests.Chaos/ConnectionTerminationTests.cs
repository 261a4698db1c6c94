using TaskGrid.Testing;
using Xunit.Abstractions;

namespace TaskGrid.Tests.Chaos;

/// <summary>A silo's database connections terminated (pg_terminate_backend) while it runs tasks.</summary>
public sealed class ConnectionTerminationTests(TestDatabase database, ITestOutputHelper output) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_silo_whose_connections_are_cut_mid_task_reconnects_and_nothing_is_lost()
    {
        await using var cluster = new ChaosCluster(database);
        await cluster.StartAsync("silo-a", "silo-b");
        var ledger = new ChaosLedger(database, "connections terminated", output);
        var grid = await cluster.CreateGridAsync("terminated");
        var load = new ChaosLoad(cluster.Gateway, grid, ledger,
            i => new { kind = "script", interpreter = "sh", source = "sleep 0.5", max_attempts = 10 },
            batchSize: 20, every: TimeSpan.FromMilliseconds(300));
        using var stop = new CancellationTokenSource();
        var loading = load.RunAsync(stop.Token);

        var terminated = 0L;
        for (var round = 0; round < 6; round++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            terminated += await database.ScalarAsync<long>(
                "select count(*) from (select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'taskgrid-silo silo-a' and datname = current_database()) cut");
        }
        await Task.Delay(TimeSpan.FromSeconds(2));
        await stop.CancelAsync();
        await loading;

        var report = await ledger.SettleAndCheckAsync(TimeSpan.FromSeconds(90));
        output.WriteLine($"connections of silo-a terminated: {terminated}");
        Assert.True(terminated > 0, "no connection of silo-a was found to terminate");
        Assert.Equal(0, report.Lost);
        Assert.Equal(0, report.Duplicated);
        Assert.Equal(0, report.IllegalHistories);
        Assert.Equal(report.Submitted, report.Completed);
        Assert.False(cluster.Silos["silo-a"].HasExited, cluster.Silos["silo-a"].RecentOutput);
        Assert.True(await database.ScalarAsync<bool>(
            "select heartbeat_at > now() - interval '5 seconds' and state = 'active' from silos where name = 'silo-a'"), "silo-a stopped heartbeating");
    }
}
