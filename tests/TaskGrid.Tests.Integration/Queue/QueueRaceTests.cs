using TaskGrid.Access;
using TaskGrid.Errors;
using TaskGrid.Grids;
using TaskGrid.Tasks;
using TaskGrid.Testing;
using TaskGrid.Tests.Integration.Support;
using TaskGrid.Workers;

namespace TaskGrid.Tests.Integration.Queue;

/// <summary>
/// task_queue holds exactly the pending tasks (migration 0012). Acknowledgements, cancels and
/// retries change it in one lock order (the task row, then its queue row); the claim passes over
/// any queue or task row another transaction holds and never waits for one (migration 0014), so
/// that racing them on the same tasks neither deadlocks nor leaves the queue out of step.
/// </summary>
public sealed class QueueRaceTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Claims_acknowledgements_cancels_and_retries_racing_on_the_same_tasks_keep_the_queue_exact()
    {
        await using var engine = await Engine.StartAsync(database);
        var grid = await engine.Grains.Grid(Guid.CreateVersion7()).CreateAsync(Caller.System, new CreateGridRequest
        {
            Name = "queue race",
            MaxAttempts = 3,
            Tasks = [.. Enumerable.Range(0, 120).Select(i => new SubmitTaskRequest { Kind = TaskKinds.Noop, Priority = i % 3 })],
        });
        var singles = new List<Guid>();
        for (var i = 0; i < 30; i++)
        {
            singles.Add((await engine.SubmitAsync()).Id);
        }
        var ids = (await engine.Grains.Grid(grid.Id).ListTasksAsync(Caller.System, new TaskQuery(Limit: 500))).Items.Select(t => t.Id).Concat(singles).ToArray();
        var workers = new List<IWorkerGrain>();
        for (var i = 0; i < 4; i++)
        {
            workers.Add(await engine.WorkerAsync());
        }

        var claiming = workers.Select((worker, w) => Task.Run(async () =>
        {
            var random = new Random(w);
            for (var round = 0; round < 60; round++)
            {
                var batch = await worker.ClaimAsync(5, TimeSpan.FromMinutes(10));
                var done = batch.Where(_ => random.Next(3) == 0).ToList();
                var failed = batch.Where(c => !done.Contains(c) && random.Next(2) == 0).ToList();
                var released = batch.Except(done).Except(failed).ToList();
                await worker.CompleteAsync([.. done.Select(c => new TaskSuccess(c.Lease))]);
                await worker.FailAsync([.. failed.Select(c => new TaskFailure(c.Lease, "flaky", Retryable: true, TimeSpan.Zero))]);
                await worker.ReleaseAsync([.. released.Select(c => c.Lease)], "racing");
            }
        })).ToList();
        var steering = Task.Run(async () =>
        {
            var random = new Random(42);
            for (var round = 0; round < 300; round++)
            {
                var task = engine.Grains.Task(ids[random.Next(ids.Length)]);
                try
                {
                    await (random.Next(2) == 0 ? task.CancelAsync(Caller.System) : task.RetryAsync(Caller.System));
                }
                catch (StateConflictException)
                {
                    // Not cancellable or retryable in the state it reached: the race is the point.
                }
            }
        });
        await Task.WhenAll([.. claiming, steering]);

        Assert.Empty(await database.QueueMismatchesAsync());
        Assert.Empty(await database.UserPendingMismatchesAsync());
        Assert.Equal(0, await database.StrandedGridsAsync());
        Assert.True(await database.ScalarAsync<long>("select count(*) from task_queue") > 0, "the race should leave some tasks pending");

        // Whatever is still pending can be claimed, once, and nothing else.
        var pending = await database.ScalarAsync<long>("select count(*) from tasks where id = any(@ids) and status = 'pending'", ("ids", ids));
        var claimed = 0;
        for (IReadOnlyList<ClaimedTask> batch; (batch = await workers[0].ClaimAsync(50, TimeSpan.FromMinutes(10))).Count > 0;)
        {
            claimed += batch.Count;
        }
        Assert.Equal(pending, claimed);
        Assert.Equal(0, await database.ScalarAsync<long>("select count(*) from task_queue"));
    }

    [Theory]
    [InlineData("tasks", "id")]
    [InlineData("task_queue", "task_id")]
    public async Task A_claim_never_waits_for_a_row_another_transaction_holds(string table, string key)
    {
        await using var engine = await Engine.StartAsync(database);
        var worker = await engine.WorkerAsync();
        var held = await engine.SubmitAsync();
        var free = await engine.SubmitAsync();

        await using var connection = await database.OpenUnpooledAsync();
        await using var holding = await connection.BeginTransactionAsync();
        await holding.HoldRowAsync(table, key, held.Id);

        // Waiting here would hang until the holder ends; the guard only turns a hang into a failure.
        // A held queue row is passed over. A held task row is not even looked at: outside grids
        // with a limit the claim writes no task row (migration 0017), and the holder, which must
        // take the task's queue row next, waits for the claim instead.
        var claimed = await worker.ClaimAsync(10, TimeSpan.FromMinutes(5)).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(table == "tasks" ? [held.Id, free.Id] : [free.Id], claimed.Select(c => c.Id));

        await holding.RollbackAsync();
        var later = await worker.ClaimAsync(10, TimeSpan.FromMinutes(5));
        Assert.Equal(table == "tasks" ? [] : [held.Id], later.Select(c => c.Id));
        Assert.Empty(await database.QueueMismatchesAsync());
    }
}
