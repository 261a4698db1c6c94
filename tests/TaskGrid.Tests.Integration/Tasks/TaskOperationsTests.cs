using TaskGrid.Access;
using TaskGrid.Errors;
using TaskGrid.Tasks;
using TaskGrid.Users;
using TaskGrid.Testing;
using TaskGrid.Tests.Integration.Support;
using TaskGrid.Workers;

namespace TaskGrid.Tests.Integration.Tasks;

public sealed class TaskOperationsTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task Cancelling_a_pending_task_records_who_and_why()
    {
        await using var engine = await Engine.StartAsync(database);
        var alice = new Caller($"alice-{Guid.NewGuid():N}", CallerRole.User);
        var task = await engine.SubmitAsync(caller: alice);
        var cancelled = await engine.Grains.Task(task.Id).CancelAsync(alice);
        Assert.Equal((TaskState.Cancelled, task.Version + 1), (cancelled.Status, cancelled.Version));
        Times.Equal(engine.Clock.GetUtcNow(), cancelled.CompletedAt);
        var last = (await engine.EventsAsync(task.Id))[^1];
        Assert.Equal((TaskState.Pending, TaskState.Cancelled, $"api:{alice.UserId}", $"cancelled by {alice.UserId}"), (last.From, last.To, last.Worker, last.Reason));
    }

    [Fact]
    public async Task Cancelling_a_running_task_clears_its_lease_so_its_worker_cannot_record_a_result()
    {
        await using var engine = await Engine.StartAsync(database);
        var worker = await engine.WorkerAsync();
        var task = await engine.SubmitAsync();
        var claimed = await engine.ClaimOneAsync(worker, task.Id);

        await engine.Grains.Task(task.Id).CancelAsync(Caller.System);

        var row = await database.TaskRowAsync(task.Id);
        Assert.Equal(("cancelled", (Guid?)null, (string?)null), (row.Status, row.LeaseToken, row.LeaseOwner));
        Assert.Empty(await worker.RenewLeasesAsync([claimed.Lease], TimeSpan.FromMinutes(1)));
        Assert.Empty(await worker.CompleteAsync([new TaskSuccess(claimed.Lease, Output: "done anyway")]));
        Assert.Equal(row, await database.TaskRowAsync(task.Id));
    }

    [Theory]
    [InlineData(TaskState.Completed)]
    [InlineData(TaskState.Failed)]
    [InlineData(TaskState.Cancelled)]
    [InlineData(TaskState.Expired)]
    public async Task Only_pending_and_running_tasks_can_be_cancelled(TaskState state)
    {
        await using var engine = await Engine.StartAsync(database);
        var task = await TaskInStateAsync(engine, state);
        var before = await database.TaskRowAsync(task);
        var conflict = await Assert.ThrowsAsync<StateConflictException>(() => engine.Grains.Task(task).CancelAsync(Caller.System));
        Assert.Contains(state.ToName(), conflict.Message, StringComparison.Ordinal);
        Assert.Equal(before, await database.TaskRowAsync(task));
    }

    [Theory]
    [InlineData(TaskState.Pending)]
    [InlineData(TaskState.Running)]
    [InlineData(TaskState.Completed)]
    public async Task Only_failed_cancelled_and_expired_tasks_can_be_retried(TaskState state)
    {
        await using var engine = await Engine.StartAsync(database);
        var task = await TaskInStateAsync(engine, state);
        var before = await database.TaskRowAsync(task);
        var conflict = await Assert.ThrowsAsync<StateConflictException>(() => engine.Grains.Task(task).RetryAsync(Caller.System));
        Assert.Contains(state.ToName(), conflict.Message, StringComparison.Ordinal);
        Assert.Equal(before, await database.TaskRowAsync(task));
    }

    [Theory]
    [InlineData(TaskState.Failed)]
    [InlineData(TaskState.Cancelled)]
    [InlineData(TaskState.Expired)]
    public async Task A_retried_task_starts_over_with_a_fresh_attempt_budget(TaskState state)
    {
        await using var engine = await Engine.StartAsync(database);
        var task = await TaskInStateAsync(engine, state);
        var retried = await engine.Grains.Task(task).RetryAsync(Caller.System);
        Assert.Equal((TaskState.Pending, 0, (string?)null, (DateTimeOffset?)null), (retried.Status, retried.Attempt, retried.Error, retried.CompletedAt));
        Times.Equal(engine.Clock.GetUtcNow(), retried.RunAt);
        var last = (await engine.EventsAsync(task))[^1];
        Assert.Equal((state, TaskState.Pending, "api:system", "retried by api:system"), (last.From!.Value, last.To, last.Worker, last.Reason));
    }

    [Fact]
    public async Task Events_record_every_change_in_order_with_who_and_why()
    {
        await using var engine = await Engine.StartAsync(database);
        var alice = new Caller($"alice-{Guid.NewGuid():N}", CallerRole.User);
        var (_, first) = await engine.JoinAsync();
        var (_, second) = await engine.JoinAsync();
        var task = await engine.SubmitAsync(new SubmitTaskRequest { Kind = TaskKinds.Noop, MaxAttempts = 2 }, alice);
        engine.Clock.Advance(TimeSpan.FromSeconds(1));
        var claim1 = await engine.ClaimOneAsync(first, task.Id);
        engine.Clock.Advance(TimeSpan.FromSeconds(1));
        await first.FailAsync([new TaskFailure(claim1.Lease, "HTTP 502", Retryable: true, TimeSpan.FromSeconds(3))]);
        engine.Clock.Advance(TimeSpan.FromSeconds(3));
        var claim2 = await engine.ClaimOneAsync(second, task.Id);
        engine.Clock.Advance(TimeSpan.FromSeconds(1));
        await second.CompleteAsync([new TaskSuccess(claim2.Lease, Output: "ok")]);

        var events = await engine.Grains.Task(task.Id).GetEventsAsync(alice);

        Assert.Equal(
        [
            ((TaskState?)null, TaskState.Pending, 0, $"api:{alice.UserId}", "submitted"),
            (TaskState.Pending, TaskState.Running, 1, first.Id, "claimed"),
            (TaskState.Running, TaskState.Pending, 1, first.Id, "retry after 00:00:03: HTTP 502"),
            (TaskState.Pending, TaskState.Running, 2, second.Id, "claimed"),
            (TaskState.Running, TaskState.Completed, 2, second.Id, "completed"),
        ], events.Select(e => (e.From, e.To, e.Attempt, e.Worker, e.Reason)));
        Assert.All(events, e => Assert.Equal(task.Id, e.TaskId));
        Assert.Equal(events.Select(e => e.Id).Order(), events.Select(e => e.Id));
        Assert.Equal(events.Count, events.Select(e => e.Id).Distinct().Count());
        var start = task.CreatedAt;
        Assert.Equal([0, 1, 2, 5, 6], events.Select(e => (int)Math.Round((e.At - start).TotalSeconds)));
    }

    [Fact]
    public async Task A_submission_stores_no_history_entry_until_a_later_change_writes_the_history_down()
    {
        await using var engine = await Engine.StartAsync(database);
        var task = await engine.SubmitAsync();

        // Read from created_at and submitted_by (migration 0015), so the claim and the completion copy a narrower row.
        Assert.Equal("[]", await database.ScalarAsync<string>("select history::text from tasks where id = @id", ("id", task.Id)));
        var submitted = Assert.Single(await engine.EventsAsync(task.Id));
        Assert.Equal(((TaskState?)null, TaskState.Pending, 0, "api:system", "submitted"), (submitted.From, submitted.To, submitted.Attempt, submitted.Worker, submitted.Reason));
        Times.Equal(task.CreatedAt, submitted.At);

        engine.Clock.Advance(TimeSpan.FromSeconds(1));
        await engine.Grains.Task(task.Id).CancelAsync(Caller.System);
        Assert.Equal(2, await database.ScalarAsync<int>("select jsonb_array_length(history) from tasks where id = @id", ("id", task.Id)));
        var events = await engine.EventsAsync(task.Id);
        Assert.Equal([TaskState.Pending, TaskState.Cancelled], events.Select(e => e.To));
        Times.Equal(task.CreatedAt, events[0].At);
    }

    [Fact]
    public async Task Another_users_task_does_not_exist_for_them()
    {
        await using var engine = await Engine.StartAsync(database);
        var alice = new Caller($"alice-{Guid.NewGuid():N}", CallerRole.User);
        var bob = new Caller($"bob-{Guid.NewGuid():N}", CallerRole.User);
        await Assert.ThrowsAsync<AccessDeniedException>(() => engine.SubmitAsync(new SubmitTaskRequest { Kind = TaskKinds.Noop, UserId = bob.UserId }, alice));
        var task = await engine.SubmitAsync(new SubmitTaskRequest { Kind = TaskKinds.Noop }, alice);
        Assert.Equal(alice.UserId, task.UserId);

        await Assert.ThrowsAsync<ResourceNotFoundException>(() => engine.Grains.Task(task.Id).GetAsync(bob));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => engine.Grains.Task(task.Id).CancelAsync(bob));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => engine.Grains.Task(task.Id).RetryAsync(bob));
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => engine.Grains.Task(task.Id).GetEventsAsync(bob));
        Assert.Equal("pending", await engine.StatusAsync(task.Id));
        Assert.Equal(task.Id, (await engine.Grains.Task(task.Id).GetAsync(alice)).Id);
        await Assert.ThrowsAsync<ResourceNotFoundException>(() => engine.Grains.Task(Guid.CreateVersion7()).GetAsync(Caller.System));
    }

    [Fact]
    public async Task An_admin_may_submit_for_another_user()
    {
        await using var engine = await Engine.StartAsync(database);
        var owner = $"carol-{Guid.NewGuid():N}";
        var admin = new Caller("root", CallerRole.Admin);
        await Assert.ThrowsAsync<RequestValidationException>(() => engine.SubmitAsync(new SubmitTaskRequest { Kind = TaskKinds.Noop, UserId = owner }, admin));
        await engine.Grains.User(owner).CreateAsync(admin, new CreateUserRequest { Name = "carol" });
        var task = await engine.SubmitAsync(new SubmitTaskRequest { Kind = TaskKinds.Noop, UserId = owner }, admin);
        Assert.Equal(owner, task.UserId);
        Assert.Equal(task.Id, (await engine.Grains.Task(task.Id).GetAsync(new Caller(owner, CallerRole.User))).Id);
    }

    [Fact]
    public async Task Submitting_an_id_twice_is_a_conflict_and_keeps_the_first()
    {
        await using var engine = await Engine.StartAsync(database);
        var task = await engine.SubmitAsync(new SubmitTaskRequest { Kind = TaskKinds.Noop, Priority = 1 });
        await Assert.ThrowsAsync<StateConflictException>(() => engine.SubmitAsync(new SubmitTaskRequest { Kind = TaskKinds.Noop, Priority = 2 }, id: task.Id));
        Assert.Equal(1, (await engine.GetAsync(task.Id)).Priority);
        Assert.Equal(1, await database.ScalarAsync<long>("select count(*) from task_events where task_id = @id", ("id", task.Id)));
    }

    [Fact]
    public async Task A_submitted_task_stores_what_was_asked_with_defaults_filled_in()
    {
        await using var engine = await Engine.StartAsync(database);
        var codegen = await engine.SubmitAsync(new SubmitTaskRequest { Objective = "sum a list", Language = "go", TimeoutSeconds = 90 });
        Assert.Equal((TaskKinds.Codegen, TaskState.Pending, 0, 3, 0, 90), (codegen.Kind, codegen.Status, codegen.Priority, codegen.MaxAttempts, codegen.Attempt, codegen.TimeoutSeconds!.Value));
        Assert.Equal(("sum a list", "go"), (codegen.Objective, codegen.Language));
        var script = await engine.SubmitAsync(new SubmitTaskRequest
        {
            Kind = TaskKinds.Script,
            Interpreter = "python3",
            Source = "print('é')",
            Args = ["a b", "ü"],
            Env = new Dictionary<string, string> { ["GREETING"] = "hi" },
        });
        var stored = await engine.GetAsync(script.Id);
        Assert.NotNull(stored.Script);
        Assert.Equal(("python3", "print('é')", "GREETING=hi"), (stored.Script.Interpreter, stored.Script.Source, string.Join(",", stored.Script.Env.Select(kv => $"{kv.Key}={kv.Value}"))));
        Assert.Equal(["a b", "ü"], stored.Script.Args);
    }

    private static async Task<Guid> TaskInStateAsync(Engine engine, TaskState state)
    {
        var task = await engine.SubmitAsync(new SubmitTaskRequest { Kind = TaskKinds.Noop, TtlSeconds = 10 });
        if (state == TaskState.Pending)
        {
            return task.Id;
        }
        if (state == TaskState.Cancelled)
        {
            await engine.Grains.Task(task.Id).CancelAsync(Caller.System);
            return task.Id;
        }
        if (state == TaskState.Expired)
        {
            engine.Clock.Advance(TimeSpan.FromSeconds(11));
            await engine.MaintainAsync();
            Assert.Equal("expired", await engine.StatusAsync(task.Id));
            return task.Id;
        }
        var worker = await engine.WorkerAsync();
        var claimed = await engine.ClaimOneAsync(worker, task.Id);
        if (state == TaskState.Completed)
        {
            await worker.CompleteAsync([new TaskSuccess(claimed.Lease)]);
        }
        else if (state == TaskState.Failed)
        {
            await worker.FailAsync([new TaskFailure(claimed.Lease, "bad", Retryable: false, TimeSpan.Zero)]);
        }
        Assert.Equal(state.ToName(), await engine.StatusAsync(task.Id));
        return task.Id;
    }
}
