using Microsoft.Extensions.DependencyInjection;
using TaskGrid.Access;
using TaskGrid.Tasks;
using TaskGrid.Testing;
using TaskGrid.Tests.Integration.Support;

namespace TaskGrid.Tests.Integration.Silo;

/// <summary>A real silo's worker loop in this process, against the real database, with the real clock.</summary>
public sealed class InProcessSiloTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(60);
    private readonly string _scratch = SharedDirectory.Create("taskgrid-silo-tests-");
    private ServiceProvider _client = null!;

    private IGrainFactory Grains => _client.GetRequiredService<IGrainFactory>();

    public async Task InitializeAsync()
    {
        await database.CancelLeftoversAsync();
        _client = database.CreateServices();
    }

    public async Task DisposeAsync()
    {
        await database.CancelLeftoversAsync();
        await _client.DisposeAsync();
        Directory.Delete(_scratch, recursive: true);
    }

    private async Task<TaskView> SubmitAsync(SubmitTaskRequest request) => await Grains.Task(Guid.CreateVersion7()).SubmitAsync(Caller.System, request);

    private Task WaitForStatusAsync(InProcessSilo silo, Guid id, TaskState state) => Eventually.HoldsAsync(
        async () => (await Grains.Task(id).GetAsync(Caller.System)).Status == state,
        s_patience, $"task {id} to be {state.ToName()}. Silo log:\n{silo.Log}");

    [Fact]
    public async Task Noop_and_script_tasks_run_to_completion()
    {
        await using var silo = await InProcessSilo.StartAsync(database);
        var noops = new List<Guid>();
        for (var i = 0; i < 6; i++)
        {
            noops.Add((await SubmitAsync(new SubmitTaskRequest { Kind = TaskKinds.Noop })).Id);
        }
        var script = await SubmitAsync(new SubmitTaskRequest { Kind = TaskKinds.Script, Interpreter = "bash", Source = "echo \"sum=$(( $1 + $2 ))\"", Args = ["2", "3"] });
        var failing = await SubmitAsync(new SubmitTaskRequest { Kind = TaskKinds.Script, Interpreter = "bash", Source = "echo nope >&2; exit 7", MaxAttempts = 3 });

        foreach (var id in noops.Append(script.Id))
        {
            await WaitForStatusAsync(silo, id, TaskState.Completed);
        }
        await WaitForStatusAsync(silo, failing.Id, TaskState.Failed);

        var done = await Grains.Task(script.Id).GetAsync(Caller.System);
        Assert.Equal(("sum=5\n", 1), (done.Output, done.Attempt));
        var failed = await Grains.Task(failing.Id).GetAsync(Caller.System);
        // A script's non-zero exit is not retried: the same script would fail the same way.
        Assert.Equal(("Exit code 7: nope", 1), (failed.Error, failed.Attempt));
        var events = await Grains.Task(script.Id).GetEventsAsync(Caller.System);
        Assert.Equal([TaskState.Pending, TaskState.Running, TaskState.Completed], events.Select(e => e.To));
        Assert.Equal($"{silo.Name}/1", events[1].Worker);
        Assert.Equal($"{silo.Name}/1", events[2].Worker);
    }

    [Fact]
    public async Task Cancelling_a_running_script_task_stops_its_processes()
    {
        await using var silo = await InProcessSilo.StartAsync(database);
        var pids = Path.Combine(_scratch, "pids");
        var task = await SubmitAsync(new SubmitTaskRequest
        {
            Kind = TaskKinds.Script,
            Interpreter = "bash",
            Source = $"echo $$ >> {pids}; sleep 600 & echo $! >> {pids}; wait",
            TimeoutSeconds = 900,
        });
        await Eventually.HoldsAsync(() => Task.FromResult(File.Exists(pids) && File.ReadAllLines(pids).Length == 2), s_patience, $"the script to start. Silo log:\n{silo.Log}");
        var started = (await File.ReadAllLinesAsync(pids)).Select(int.Parse).ToList();
        Assert.All(started, pid => Assert.True(Processes.IsRunning(pid)));

        await Grains.Task(task.Id).CancelAsync(Caller.System);

        // Told by taskgrid_cancel, or at the latest by its next lease renewal being refused.
        await Processes.AllGoneAsync(started);
        var after = await Grains.Task(task.Id).GetAsync(Caller.System);
        Assert.Equal((TaskState.Cancelled, 1), (after.Status, after.Attempt));
        Assert.Equal(TaskState.Cancelled, (await Grains.Task(task.Id).GetEventsAsync(Caller.System))[^1].To);
    }

    [Fact]
    public async Task On_shutdown_a_long_running_task_is_handed_back_to_pending_without_counting_the_attempt()
    {
        var silo = await InProcessSilo.StartAsync(database);
        var pids = Path.Combine(_scratch, "pids");
        var task = await SubmitAsync(new SubmitTaskRequest
        {
            Kind = TaskKinds.Script,
            Interpreter = "bash",
            Source = $"echo $$ >> {pids}; sleep 600",
            TimeoutSeconds = 900,
        });
        await Eventually.HoldsAsync(() => Task.FromResult(File.Exists(pids)), s_patience, $"the script to start. Silo log:\n{silo.Log}");
        await WaitForStatusAsync(silo, task.Id, TaskState.Running);

        await silo.StopAsync();
        await silo.DisposeAsync();

        var released = await database.TaskRowAsync(task.Id);
        Assert.True(released.Status == "pending", $"the task is {released.Status}. Silo log:\n{silo.Log}");
        Assert.Equal((0, (Guid?)null, (string?)null), (released.Attempt, released.LeaseToken, released.LeaseOwner));
        var last = (await Grains.Task(task.Id).GetEventsAsync(Caller.System))[^1];
        Assert.Equal((TaskState.Running, TaskState.Pending, $"{silo.Name}/1"), (last.From, last.To, last.Worker));
        Assert.Equal($"released: silo {silo.Name} shut down before the attempt finished", last.Reason);
        await Processes.AllGoneAsync((await File.ReadAllLinesAsync(pids)).Select(int.Parse));
        Assert.Equal("stopped", await database.ScalarAsync<string>("select state from silos where name = @n", ("n", silo.Name)));
    }

    // A claim leaves the task row pending (migration 0017); the silo writes it running once the
    // attempt has run for MarkRunningAfter, at once when that is zero. Read from the table itself,
    // not the API, which shows a leased task as running either way.
    [Theory]
    [InlineData("00:00:00")]
    [InlineData("00:00:00.300")]
    public async Task A_running_attempt_is_written_running_in_the_table_after_MarkRunningAfter(string markRunningAfter)
    {
        await using var silo = await InProcessSilo.StartAsync(database, new Dictionary<string, string?> { ["TaskGrid:Worker:MarkRunningAfter"] = markRunningAfter });
        var release = Path.Combine(_scratch, "release");
        var task = await SubmitAsync(new SubmitTaskRequest
        {
            Kind = TaskKinds.Script,
            Interpreter = "bash",
            Source = $"while [ ! -e {release} ]; do sleep 0.05; done; echo done",
            TimeoutSeconds = 900,
        });

        await Eventually.HoldsAsync(async () => (await database.TaskRowAsync(task.Id)).Status == "running",
            s_patience, $"the task's row to be written running while its script waits. Silo log:\n{silo.Log}");
        var running = await database.TaskRowAsync(task.Id);
        Assert.Equal((1, $"{silo.Name}/1"), (running.Attempt, running.LeaseOwner));
        Assert.NotNull(running.LeaseToken);
        // The counters see it running too (a leased task counts as pending until it is written running).
        Assert.Equal(1, (await Grains.Cluster().CountTasksAsync()).Where(c => c.Kind == TaskKinds.Script && c.Status == TaskState.Running).Sum(c => c.Count));

        await File.WriteAllTextAsync(release, "");
        await WaitForStatusAsync(silo, task.Id, TaskState.Completed);
        var done = await Grains.Task(task.Id).GetAsync(Caller.System);
        Assert.Equal(("done\n", 1), (done.Output, done.Attempt));
        var events = await Grains.Task(task.Id).GetEventsAsync(Caller.System);
        Assert.Equal([TaskState.Pending, TaskState.Running, TaskState.Completed], events.Select(e => e.To));
    }

    [Fact]
    public async Task A_silo_keeps_picking_up_tasks_submitted_while_it_is_idle()
    {
        await using var silo = await InProcessSilo.StartAsync(database, new Dictionary<string, string?> { ["TaskGrid:Worker:PollInterval"] = "00:00:01" });
        for (var i = 0; i < 3; i++)
        {
            var task = await SubmitAsync(new SubmitTaskRequest { Kind = TaskKinds.Noop });
            await WaitForStatusAsync(silo, task.Id, TaskState.Completed);
        }
        var workers = await Grains.Cluster().ListWorkersAsync(silo.Name);
        Assert.Equal([$"{silo.Name}/1"], workers.Select(w => w.Id));
    }
}
