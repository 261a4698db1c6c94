using TaskGrid.Testing;
using Xunit.Abstractions;

namespace TaskGrid.Tests.Chaos;

/// <summary>Three silos under a steady load; one is killed with kill -9 every few seconds and restarted.</summary>
public sealed class SiloKillLoopTests(TestDatabase database, ITestOutputHelper output) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Killing_silos_under_load_loses_and_doubles_nothing()
    {
        await using var cluster = new ChaosCluster(database);
        await cluster.StartAsync("silo-0", "silo-1", "silo-2");
        var ledger = new ChaosLedger(database, "silo kill -9 loop", output);
        var grid = await cluster.CreateGridAsync("kill loop");
        var load = new ChaosLoad(cluster.Gateway, grid, ledger,
            i => i % 3 == 0
                ? new { kind = "noop", max_attempts = 10 }
                : new { kind = "script", interpreter = "sh", source = $"sleep 0.{1 + i % 5}", max_attempts = 10 },
            batchSize: 25, every: TimeSpan.FromMilliseconds(250));

        using var stop = new CancellationTokenSource();
        var loading = load.RunAsync(stop.Token);
        for (var round = 0; round < 4; round++)
        {
            await Task.Delay(TimeSpan.FromSeconds(3));
            var victim = $"silo-{round % 3}";
            await cluster.KillAsync(victim);
            await Task.Delay(TimeSpan.FromSeconds(1));
            await cluster.StartSiloAsync(victim);
        }
        await stop.CancelAsync();
        await loading;

        var report = await ledger.SettleAndCheckAsync(TimeSpan.FromSeconds(90));
        Assert.True(report.Submitted > 200, $"the load should have submitted hundreds of tasks; it got {report.Submitted} accepted ({load.Refused} refused, {load.TimedOut} timed out)");
        Assert.Equal(0, report.Lost);
        Assert.Equal(0, report.Duplicated);
        Assert.Equal(0, report.IllegalHistories);
        Assert.Equal(report.Submitted, report.Completed);
        // The kills must actually have hit running work, or this proves nothing.
        Assert.True(report.Attempts > report.Submitted, $"no attempt was lost to a kill ({report.Attempts} attempts for {report.Submitted} tasks)");
    }
}
