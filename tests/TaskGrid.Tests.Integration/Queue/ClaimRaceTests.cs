using Microsoft.Extensions.DependencyInjection;
using TaskGrid.Access;
using TaskGrid.Grids;
using TaskGrid.Tasks;
using TaskGrid.Testing;

namespace TaskGrid.Tests.Integration.Queue;

public sealed class ClaimRaceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Many_workers_racing_on_one_queue_never_claim_a_task_twice()
    {
        await using var services = database.CreateServices();
        var grains = services.GetRequiredService<IGrainFactory>();
        var grid = await grains.Grid(Guid.CreateVersion7()).CreateAsync(Caller.System, new CreateGridRequest { Name = "race" });
        const int taskCount = 3000;
        await grains.Grid(grid.Id).AddTasksAsync(Caller.System, [.. Enumerable.Range(0, taskCount).Select(_ => new SubmitTaskRequest { Kind = TaskKinds.Noop })]);

        var claims = new System.Collections.Concurrent.ConcurrentBag<(string Worker, Guid Task)>();
        var workers = Enumerable.Range(1, 12).Select(n => grains.Worker($"racer/{n}")).ToList();
        await database.ExecuteAsync("insert into silos (name, host, pid, incarnation, state, started_at, heartbeat_at) values ('racer', 'h', 1, gen_random_uuid(), 'active', now(), now())");
        foreach (var worker in workers)
        {
            await worker.RegisterAsync();
        }
        await Task.WhenAll(workers.Select(worker => Task.Run(async () =>
        {
            while (true)
            {
                var batch = await worker.ClaimAsync(25, TimeSpan.FromMinutes(1));
                if (batch.Count == 0)
                {
                    return;
                }
                foreach (var task in batch)
                {
                    claims.Add((worker.Id, task.Id));
                }
            }
        })));

        Assert.Equal(taskCount, claims.Count);
        Assert.Equal(taskCount, claims.Select(c => c.Task).Distinct().Count());
        Assert.Equal(taskCount, await database.ScalarAsync<long>("select count(*) from tasks_shown where status = 'running' and attempt = 1"));
        // Each task is named by exactly one lease, at the version its row still has.
        Assert.Equal(taskCount, await database.ScalarAsync<long>("""
            select count(*) from (
                select e.task_id
                from task_lease_entries e
                join tasks t on t.id = e.task_id and t.version = e.version and t.status = 'pending'
                group by e.task_id
                having count(*) = 1) held
            """));
    }
}
