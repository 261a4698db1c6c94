using TaskGrid.Tasks;
using TaskGrid.Testing;
using TaskGrid.Tests.Integration.Support;
using TaskGrid.Workers;

namespace TaskGrid.Tests.Integration.Queue;

public sealed class RetryTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_retryable_failure_with_attempts_left_waits_out_its_delay_then_runs_again()
    {
        await using var engine = await Engine.StartAsync(database);
        var worker = await engine.WorkerAsync();
        var task = await engine.SubmitAsync(new SubmitTaskRequest { Kind = TaskKinds.Noop, MaxAttempts = 3 });
        var first = await engine.ClaimOneAsync(worker, task.Id);

        var failedAt = engine.Clock.GetUtcNow();
        Assert.Equal([task.Id], await worker.FailAsync([new TaskFailure(first.Lease, "HTTP 503", Retryable: true, TimeSpan.FromSeconds(10), Output: "partial")]));

        var row = await database.TaskRowAsync(task.Id);
        Assert.Equal(("pending", 1, "HTTP 503", "partial", (Guid?)null), (row.Status, row.Attempt, row.Error, row.Output, row.LeaseToken));
        Times.Equal(failedAt + TimeSpan.FromSeconds(10), row.RunAt);
        Assert.Null(row.CompletedAt);
        var retry = (await engine.EventsAsync(task.Id))[^1];
        Assert.Equal((TaskState.Running, TaskState.Pending, worker.Id, 1), (retry.From, retry.To, retry.Worker, retry.Attempt));
        Assert.Equal("retry after 00:00:10: HTTP 503", retry.Reason);

        Assert.DoesNotContain(await worker.ClaimAsync(100, TimeSpan.FromMinutes(1)), c => c.Id == task.Id);
        engine.Clock.Advance(TimeSpan.FromSeconds(9));
        Assert.DoesNotContain(await worker.ClaimAsync(100, TimeSpan.FromMinutes(1)), c => c.Id == task.Id);
        engine.Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await engine.ClaimOneAsync(worker, task.Id);
        Assert.Equal(2, second.Attempt);
        Times.Equal(failedAt + TimeSpan.FromSeconds(10), second.RunAt);
    }

    [Fact]
    public async Task The_last_allowed_attempt_fails_for_good()
    {
        await using var engine = await Engine.StartAsync(database);
        var worker = await engine.WorkerAsync();
        var task = await engine.SubmitAsync(new SubmitTaskRequest { Kind = TaskKinds.Noop, MaxAttempts = 2 });

        var first = await engine.ClaimOneAsync(worker, task.Id);
        await worker.FailAsync([new TaskFailure(first.Lease, "try 1", Retryable: true, TimeSpan.FromSeconds(1))]);
        engine.Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await engine.ClaimOneAsync(worker, task.Id);
        Assert.Equal(2, second.Attempt);
        await worker.FailAsync([new TaskFailure(second.Lease, "try 2", Retryable: true, TimeSpan.FromSeconds(1))]);

        var row = await database.TaskRowAsync(task.Id);
        Assert.Equal(("failed", 2, "try 2"), (row.Status, row.Attempt, row.Error));
        Times.Equal(engine.Clock.GetUtcNow(), row.CompletedAt);
        engine.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.DoesNotContain(await worker.ClaimAsync(100, TimeSpan.FromMinutes(1)), c => c.Id == task.Id);
        Assert.Equal(
            [TaskState.Pending, TaskState.Running, TaskState.Pending, TaskState.Running, TaskState.Failed],
            (await engine.EventsAsync(task.Id)).Select(e => e.To));
    }

    [Fact]
    public async Task A_non_retryable_failure_fails_at_once_with_attempts_left()
    {
        await using var engine = await Engine.StartAsync(database);
        var worker = await engine.WorkerAsync();
        var task = await engine.SubmitAsync(new SubmitTaskRequest { Kind = TaskKinds.Noop, MaxAttempts = 5 });
        var claimed = await engine.ClaimOneAsync(worker, task.Id);

        await worker.FailAsync([new TaskFailure(claimed.Lease, "HTTP 400: bad request", Retryable: false, TimeSpan.FromSeconds(10))]);

        var row = await database.TaskRowAsync(task.Id);
        Assert.Equal(("failed", 1, "HTTP 400: bad request"), (row.Status, row.Attempt, row.Error));
        var last = (await engine.EventsAsync(task.Id))[^1];
        Assert.Equal((TaskState.Running, TaskState.Failed, "HTTP 400: bad request"), (last.From, last.To, last.Reason));
    }

    [Fact]
    public async Task A_batch_of_failures_decides_each_task_on_its_own()
    {
        await using var engine = await Engine.StartAsync(database);
        var worker = await engine.WorkerAsync();
        var retried = await engine.SubmitAsync(new SubmitTaskRequest { Kind = TaskKinds.Noop, MaxAttempts = 3 });
        var lastTry = await engine.SubmitAsync(new SubmitTaskRequest { Kind = TaskKinds.Noop, MaxAttempts = 1 });
        var refused = await engine.SubmitAsync(new SubmitTaskRequest { Kind = TaskKinds.Noop, MaxAttempts = 3 });
        var claimed = (await worker.ClaimAsync(10, TimeSpan.FromMinutes(1))).ToDictionary(c => c.Id);

        var acknowledged = await worker.FailAsync(
        [
            new TaskFailure(claimed[retried.Id].Lease, "a", Retryable: true, TimeSpan.FromSeconds(5)),
            new TaskFailure(claimed[lastTry.Id].Lease, "b", Retryable: true, TimeSpan.FromSeconds(5)),
            new TaskFailure(claimed[refused.Id].Lease, "c", Retryable: false, TimeSpan.FromSeconds(5)),
        ]);

        Assert.Equal(3, acknowledged.Count);
        Assert.Equal("pending", await engine.StatusAsync(retried.Id));
        Assert.Equal("failed", await engine.StatusAsync(lastTry.Id));
        Assert.Equal("failed", await engine.StatusAsync(refused.Id));
    }
}
