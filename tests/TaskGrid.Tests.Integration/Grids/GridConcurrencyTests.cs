using TaskGrid.Access;
using TaskGrid.Grids;
using TaskGrid.Tasks;
using TaskGrid.Testing;
using TaskGrid.Tests.Integration.Support;
using TaskGrid.Workers;

namespace TaskGrid.Tests.Integration.Grids;

public sealed class GridConcurrencyTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Many_claimers_never_run_more_of_a_grid_than_its_limit()
    {
        const int limit = 3;
        const int total = 40;
        await using var engine = await Engine.StartAsync(database);
        var workers = new List<IWorkerGrain>();
        for (var i = 0; i < 8; i++)
        {
            workers.Add(await engine.WorkerAsync());
        }
        var limited = await engine.Grains.Grid(Guid.CreateVersion7()).CreateAsync(Caller.System, new CreateGridRequest
        {
            Name = "limited",
            MaxConcurrency = limit,
            Tasks = [.. Enumerable.Range(0, total).Select(_ => new SubmitTaskRequest { Kind = TaskKinds.Noop })],
        });
        var open = await engine.Grains.Grid(Guid.CreateVersion7()).CreateAsync(Caller.System, new CreateGridRequest
        {
            Name = "open",
            Tasks = [.. Enumerable.Range(0, total).Select(_ => new SubmitTaskRequest { Kind = TaskKinds.Noop })],
        });

        var completed = 0;
        var peak = 0;
        var openClaimed = 0;
        for (var round = 0; completed < total && round < 100; round++)
        {
            var batches = await Task.WhenAll(workers.Select(w => Task.Run(() => w.ClaimAsync(5, TimeSpan.FromMinutes(5)))));
            var running = await database.ScalarAsync<long>("select count(*) from tasks where grid_id = @id and status = 'running'", ("id", limited.Id));
            Assert.True(running <= limit, $"round {round}: {running} tasks of the grid run at once; its limit is {limit}");
            Assert.Equal(running, await database.ScalarAsync<int>("select running_count from grids where id = @id", ("id", limited.Id)));
            peak = Math.Max(peak, (int)running);

            // Finish one of the grid's running tasks per round, and everything of the open grid.
            var mine = batches.SelectMany(b => b).ToList();
            openClaimed += mine.Count(c => c.GridId == open.Id);
            await Task.WhenAll(workers.Select((w, i) => Task.Run(() => w.CompleteAsync([.. batches[i].Where(c => c.GridId == open.Id).Select(c => new TaskSuccess(c.Lease))]))));
            var limitedRunning = await engine.Grains.Grid(limited.Id).ListTasksAsync(Caller.System, new TaskQuery(Status: TaskState.Running, Limit: 100));
            if (limitedRunning.Items.Count > 0)
            {
                var token = await database.ScalarAsync<Guid>("select lease_token from tasks where id = @id", ("id", limitedRunning.Items[0].Id));
                var owner = await database.ScalarAsync<string>("select lease_owner from tasks where id = @id", ("id", limitedRunning.Items[0].Id));
                Assert.Single(await engine.Grains.Worker(owner).CompleteAsync([new TaskSuccess(new LeaseRef(limitedRunning.Items[0].Id, token))]));
                completed++;
            }
        }

        Assert.Equal(total, completed);
        Assert.Equal(limit, peak);
        Assert.Equal(total, openClaimed);
        var view = await engine.Grains.Grid(limited.Id).GetAsync(Caller.System);
        Assert.Equal((GridStatus.Finished, total), (view.Status, view.Counts.Completed));
    }
}
