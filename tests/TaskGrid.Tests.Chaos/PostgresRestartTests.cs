using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using TaskGrid.Testing;
using Xunit.Abstractions;

namespace TaskGrid.Tests.Chaos;

/// <summary>PostgreSQL restarted in the middle of a run.</summary>
public sealed class PostgresRestartTests(TestDatabase database, ITestOutputHelper output) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Silos_and_gateway_ride_out_a_database_restart_and_every_accepted_task_survives()
    {
        await using var cluster = new ChaosCluster(database);
        await cluster.StartAsync("silo-0", "silo-1");
        var ledger = new ChaosLedger(database, "postgres restart", output);
        var grid = await cluster.CreateGridAsync("restart");
        var load = new ChaosLoad(cluster.Gateway, grid, ledger,
            i => new { kind = "script", interpreter = "sh", source = "sleep 0.2", max_attempts = 10 },
            batchSize: 20, every: TimeSpan.FromMilliseconds(250));
        using var stop = new CancellationTokenSource();
        var loading = load.RunAsync(stop.Token);
        await Task.Delay(TimeSpan.FromSeconds(3));

        await TestPostgres.StopAsync();
        try
        {
            // While the database is down the gateway answers, quickly, that it is unavailable.
            for (var i = 0; i < 3; i++)
            {
                var watch = Stopwatch.StartNew();
                using var status = await cluster.Gateway.GetAsync("/v1/status");
                Assert.Equal(HttpStatusCode.ServiceUnavailable, status.StatusCode);
                using var submit = await cluster.Gateway.PostAsJsonAsync($"/v1/grids/{grid}/tasks", new[] { new { kind = "noop" } });
                Assert.Equal(HttpStatusCode.ServiceUnavailable, submit.StatusCode);
                Assert.NotNull(submit.Headers.RetryAfter);
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"the gateway took {watch.Elapsed} to answer while the database was down");
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
        finally
        {
            await TestPostgres.StartAsync();
        }

        await Eventually.HoldsAsync(async () =>
        {
            using var status = await cluster.Gateway.GetAsync("/v1/status");
            var body = await status.Content.ReadAsStringAsync();
            return status.StatusCode == HttpStatusCode.OK && body.Contains("\"healthy\"", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(60), "the cluster to be healthy again after the restart");
        await Task.Delay(TimeSpan.FromSeconds(3));
        await stop.CancelAsync();
        await loading;

        var report = await ledger.SettleAndCheckAsync(TimeSpan.FromSeconds(90));
        output.WriteLine($"submissions refused or unanswered during the outage: {load.Refused + load.TimedOut}");
        Assert.Equal(0, report.Lost);
        Assert.Equal(0, report.Duplicated);
        Assert.Equal(0, report.IllegalHistories);
        Assert.Equal(report.Submitted, report.Completed);
        Assert.All(cluster.Silos.Values, silo => Assert.False(silo.HasExited, $"{silo.Name} exited:\n{silo.RecentOutput}"));
    }
}
