using Microsoft.Extensions.DependencyInjection;
using TaskGrid.Access;
using TaskGrid.Grids;
using TaskGrid.Tasks;
using TaskGrid.Testing;

namespace TaskGrid.Tests.Functional.Cluster;

/// <summary>Real silo processes; one is killed with SIGKILL while it runs tasks.</summary>
public sealed class SiloCrashTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private readonly List<TaskGridProcess> _processes = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
    }

    [Fact]
    public async Task Tasks_of_a_killed_silo_are_redelivered_to_the_survivor_and_each_completes_once()
    {
        var doomed = await TaskGridCluster.StartSiloAsync(database.Url, "silo-doomed");
        _processes.Add(doomed);
        await using var services = database.CreateServices();
        var grains = services.GetRequiredService<IGrainFactory>();
        var grid = await grains.Grid(Guid.CreateVersion7()).CreateAsync(Caller.System, new CreateGridRequest
        {
            Name = "crash",
            Tasks = [.. Enumerable.Range(0, 8).Select(i => new SubmitTaskRequest
            {
                Kind = TaskKinds.Script,
                Interpreter = "bash",
                Source = $"sleep 3; echo task {i}",
            })],
        });
        await Eventually.HoldsAsync(
            async () => await database.ScalarAsync<long>("select count(*) from tasks where grid_id = @id and status = 'running' and lease_owner like 'silo-doomed/%'", ("id", grid.Id)) > 0,
            TimeSpan.FromSeconds(60), $"silo-doomed to run some of the grid's tasks. Its output:\n{doomed.RecentOutput}");

        doomed.Kill();
        Assert.True(await doomed.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        var survivor = await TaskGridCluster.StartSiloAsync(database.Url, "silo-survivor");
        _processes.Add(survivor);

        await Eventually.HoldsAsync(
            async () => (await grains.Grid(grid.Id).GetAsync(Caller.System)).Status == GridStatus.Finished,
            TimeSpan.FromSeconds(120), $"the grid to finish. Survivor output:\n{survivor.RecentOutput}");

        var view = await grains.Grid(grid.Id).GetAsync(Caller.System);
        Assert.Equal(8, view.Counts.Completed);
        Assert.Equal(8, await database.ScalarAsync<long>("select count(*) from tasks where grid_id = @id and status = 'completed'", ("id", grid.Id)));
        Assert.Equal(0, await database.ScalarAsync<long>("""
            select count(*) from (
                select t.id from tasks t left join task_events e on e.task_id = t.id and e.to_status = 'completed'
                where t.grid_id = @id group by t.id having count(e.id) <> 1) wrong
            """, ("id", grid.Id)));
        Assert.Equal("dead", await database.ScalarAsync<string>("select state from silos where name = 'silo-doomed'"));

        // At least one task was running on the killed silo and ran again on the survivor.
        var redelivered = await database.ScalarAsync<Guid>("""
            select task_id from task_events
            where actor like 'silo-doomed/%' and to_status = 'running'
              and task_id in (select id from tasks where grid_id = @id)
            limit 1
            """, ("id", grid.Id));
        var events = await grains.Task(redelivered).GetEventsAsync(Caller.System);
        Assert.Contains(events, e => e.From == TaskState.Running && e.To == TaskState.Pending && e.Worker == "reaper");
        var completed = Assert.Single(events, e => e.To == TaskState.Completed);
        Assert.StartsWith("silo-survivor/", completed.Worker, StringComparison.Ordinal);
        Assert.Matches(@"^task \d\n$", (await grains.Task(redelivered).GetAsync(Caller.System)).Output);
    }
}
