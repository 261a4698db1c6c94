using TaskGrid.Access;
using TaskGrid.Grids;
using TaskGrid.Tasks;
using TaskGrid.Testing;
using TaskGrid.Tests.Integration.Support;

namespace TaskGrid.Tests.Integration.Queue;

public sealed class ClaimOrderTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Higher_priority_is_claimed_first_then_earlier_due_time_then_lower_id()
    {
        await using var engine = await Engine.StartAsync(database);
        var worker = await engine.WorkerAsync();
        var expected = new List<(string Name, Guid Id)>();
        async Task<Guid> Submit(int priority, Guid? id = null, Guid? grid = null)
        {
            if (grid is { } gridId)
            {
                return (await engine.Grains.Grid(gridId).AddTasksAsync(Caller.System, [new SubmitTaskRequest { Kind = TaskKinds.Noop, Priority = priority }])).TaskIds[0];
            }
            return (await engine.SubmitAsync(new SubmitTaskRequest { Kind = TaskKinds.Noop, Priority = priority }, id: id)).Id;
        }

        // Two ids due at the same moment, the larger one submitted first.
        var low = Guid.Parse("00000000-0000-7000-8000-000000000001");
        var high = Guid.Parse("ffffffff-0000-7000-8000-000000000001");
        var lowRandom = Guid.CreateVersion7();
        var grid = await engine.Grains.Grid(Guid.CreateVersion7()).CreateAsync(Caller.System, new CreateGridRequest { Name = "lane", Priority = 0 });

        var p0Early = await Submit(0);
        engine.Clock.Advance(TimeSpan.FromSeconds(1));
        var p5Late = await Submit(5);
        var gridP3 = await Submit(3, grid: grid.Id);
        engine.Clock.Advance(TimeSpan.FromSeconds(1));
        var p0TieHigh = await Submit(0, high);
        var p0TieLow = await Submit(0, low);
        engine.Clock.Advance(TimeSpan.FromSeconds(1));
        var gridP0Latest = await Submit(0, grid: grid.Id);
        var pNegative = await Submit(-5, lowRandom);
        var p9Latest = await Submit(9);
        engine.Clock.Advance(TimeSpan.FromSeconds(1));

        // Priority first; among equal priorities the earlier due time; among equal due times the lower id.
        Guid[] order = [p9Latest, p5Late, gridP3, p0Early, p0TieLow, p0TieHigh, gridP0Latest, pNegative];
        var claimedOrder = new List<Guid>();
        for (var i = 0; i < order.Length; i++)
        {
            var claimed = await worker.ClaimAsync(1, TimeSpan.FromMinutes(5));
            claimedOrder.Add(Assert.Single(claimed).Id);
        }
        Assert.Equal(order, claimedOrder);
        Assert.Empty(await worker.ClaimAsync(1, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task A_batch_claim_takes_the_best_tasks_across_grids_and_single_tasks()
    {
        await using var engine = await Engine.StartAsync(database);
        var worker = await engine.WorkerAsync();
        var gridA = await engine.Grains.Grid(Guid.CreateVersion7()).CreateAsync(Caller.System, new CreateGridRequest
        {
            Name = "a",
            Tasks = [.. Enumerable.Range(0, 5).Select(i => new SubmitTaskRequest { Kind = TaskKinds.Noop, Priority = i * 10 })],
        });
        var gridB = await engine.Grains.Grid(Guid.CreateVersion7()).CreateAsync(Caller.System, new CreateGridRequest
        {
            Name = "b",
            MaxConcurrency = 2,
            Tasks = [.. Enumerable.Range(0, 5).Select(i => new SubmitTaskRequest { Kind = TaskKinds.Noop, Priority = 100 + i })],
        });
        var singles = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            singles.Add((await engine.SubmitAsync(new SubmitTaskRequest { Kind = TaskKinds.Noop, Priority = 35 + i })).Id);
        }
        engine.Clock.Advance(TimeSpan.FromSeconds(1));

        var claimed = await worker.ClaimAsync(6, TimeSpan.FromMinutes(5));

        // Grid b may run only 2 (its best two, 104 and 103); the rest goes by priority across
        // grid a's lane and the single tasks: 40 (grid a), then the singles 39, 38, 37.
        var priorities = new List<int>();
        foreach (var task in claimed)
        {
            priorities.Add(await database.ScalarAsync<int>("select priority from tasks where id = @id", ("id", task.Id)));
        }
        Assert.Equal([104, 103, 40, 39, 38, 37], priorities.OrderDescending());
        // Grid b's claims are written running (its limit is counted on its row); grid a's task is
        // counted running once written so (migration 0017), as its silo does for a long attempt.
        await worker.MarkRunningAsync([.. claimed.Select(c => c.Lease)]);
        Assert.Equal(2, (await engine.Grains.Grid(gridB.Id).GetAsync(Caller.System)).Counts.Running);
        Assert.Equal(1, (await engine.Grains.Grid(gridA.Id).GetAsync(Caller.System)).Counts.Running);
    }
}
