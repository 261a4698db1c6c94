using TaskGrid.Tasks;
using TaskGrid.Testing;
using TaskGrid.Tests.Integration.Support;
using TaskGrid.Workers;

namespace TaskGrid.Tests.Integration.Queue;

/// <summary>
/// Whatever an executor (a plugin point) returns must be recordable: PostgreSQL text refuses
/// NUL, and UTF-8 cannot carry a lone UTF-16 surrogate. A result that cannot be written would
/// otherwise fail the whole acknowledgement batch, again on every redelivery.
/// </summary>
public sealed class AcknowledgementTextTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_success_whose_text_postgres_cannot_store_is_recorded_cleaned()
    {
        await using var engine = await Engine.StartAsync(database);
        var worker = await engine.WorkerAsync();
        var odd = await engine.SubmitAsync();
        var plain = await engine.SubmitAsync();
        var claimed = (await worker.ClaimAsync(10, TimeSpan.FromMinutes(1))).ToDictionary(c => c.Id);

        var acknowledged = await worker.CompleteAsync(
        [
            new TaskSuccess(claimed[odd.Id].Lease, Code: "print('a\0b')", Output: "lone \uD800 surrogate"),
            new TaskSuccess(claimed[plain.Id].Lease, Output: "fine"),
        ]);

        Assert.Equal(new HashSet<Guid> { odd.Id, plain.Id }, acknowledged.ToHashSet());
        var stored = await engine.GetAsync(odd.Id);
        Assert.Equal((TaskState.Completed, "print('ab')", "lone \uFFFD surrogate"), (stored.Status, stored.Code, stored.Output));
        Assert.Equal("fine", (await engine.GetAsync(plain.Id)).Output);
    }

    [Fact]
    public async Task A_failure_whose_text_postgres_cannot_store_is_recorded_cleaned()
    {
        await using var engine = await Engine.StartAsync(database);
        var worker = await engine.WorkerAsync();
        var task = await engine.SubmitAsync(new SubmitTaskRequest { Kind = TaskKinds.Noop, MaxAttempts = 1 });
        var claimed = await engine.ClaimOneAsync(worker, task.Id);

        Assert.Equal([task.Id], await worker.FailAsync([new TaskFailure(claimed.Lease, "bad\0 \uDC00 error", Retryable: true, TimeSpan.Zero, Output: "\0\0")]));

        var row = await database.TaskRowAsync(task.Id);
        Assert.Equal(("failed", "bad \uFFFD error", ""), (row.Status, row.Error, row.Output));
        Assert.Equal("bad \uFFFD error", (await engine.EventsAsync(task.Id))[^1].Reason);
    }
}
