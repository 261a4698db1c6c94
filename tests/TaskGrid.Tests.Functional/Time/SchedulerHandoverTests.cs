using TaskGrid.Testing;

namespace TaskGrid.Tests.Functional.Time;

/// <summary>Killing the silo that does a scheduler duty hands the duty to another silo within seconds.</summary>
public sealed class SchedulerHandoverTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private TimeCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await TimeCluster.StartAsync(database, silos: 3);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Killing_the_scheduler_silo_moves_the_duty()
    {
        const string duty = "grid-templates";
        await Eventually.HoldsAsync(async () =>
            await database.ScalarAsync<long>("select count(*) from cluster_duties where name = @name", ("name", duty)) == 1,
            TimeSpan.FromSeconds(30), "a silo to take the duty");
        var holder = await database.ScalarAsync<string>("select silo_name from cluster_duties where name = @name", ("name", duty));
        var victim = _cluster.Silos.Single(s => s.Name == holder);

        victim.Kill();
        Assert.True(await victim.WaitForExitAsync(TimeSpan.FromSeconds(10)));
        var killedAt = await database.ScalarAsync<DateTime>("select now()");

        await Eventually.HoldsAsync(async () =>
            await database.ScalarAsync<long>(
                "select count(*) from cluster_duties where name = @name and silo_name <> @victim and ran_at > @killed",
                ("name", duty), ("victim", holder), ("killed", killedAt)) == 1,
            TimeSpan.FromSeconds(5), "another silo to do the duty");

        // And it keeps doing it: a template due now gets its run from a surviving silo.
        var template = await _cluster.PostAsync("/v1/grid-templates", new { name = "after the kill", cron = "* * * * *", tasks = new[] { new { kind = "noop" } } });
        var id = Guid.Parse((string)template["id"]!);
        await database.ExecuteAsync("update grid_templates set next_tick = date_trunc('minute', now()) where id = @id", ("id", id));
        await Eventually.HoldsAsync(async () =>
            await database.ScalarAsync<long>("select count(*) from grids where template_id = @id", ("id", id)) == 1,
            TimeSpan.FromSeconds(10), "the surviving silos to create the run");
    }
}
