using Npgsql;
using TaskGrid.Access;
using TaskGrid.Grids;
using TaskGrid.Tasks;
using TaskGrid.Testing;
using TaskGrid.Tests.Integration.Support;

namespace TaskGrid.Tests.Integration.Notifications;

/// <summary>LISTEN/NOTIFY wakes idle workers and tells running attempts to stop.</summary>
public sealed class NotificationTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Inserting_a_task_notifies_taskgrid_tasks()
    {
        await using var engine = await Engine.StartAsync(database);
        await using var listener = await Listener.StartAsync(database, "taskgrid_tasks");
        await engine.SubmitAsync();
        // The payload is how many claims the news is worth: silos wake that many idle workers.
        Assert.Equal("1", await listener.WaitForAsync("taskgrid_tasks", _ => true));
    }

    [Fact]
    public async Task Adding_tasks_to_a_grid_and_resuming_it_notify_taskgrid_tasks()
    {
        await using var engine = await Engine.StartAsync(database);
        var grid = await engine.Grains.Grid(Guid.CreateVersion7()).CreateAsync(Caller.System, new CreateGridRequest { Name = "n" });
        await engine.Grains.Grid(grid.Id).PauseAsync(Caller.System);

        await using (var listener = await Listener.StartAsync(database, "taskgrid_tasks"))
        {
            await engine.Grains.Grid(grid.Id).AddTasksAsync(Caller.System, [.. Enumerable.Range(0, 3).Select(_ => new SubmitTaskRequest { Kind = TaskKinds.Noop })]);
            Assert.Equal("3", await listener.WaitForAsync("taskgrid_tasks", _ => true));
        }
        await using (var listener = await Listener.StartAsync(database, "taskgrid_tasks"))
        {
            await engine.Grains.Grid(grid.Id).ResumeAsync(Caller.System);
            await listener.WaitForAsync("taskgrid_tasks", _ => true);
        }
    }

    [Fact]
    public async Task Cancelling_a_running_task_notifies_taskgrid_cancel_with_its_id()
    {
        await using var engine = await Engine.StartAsync(database);
        var worker = await engine.WorkerAsync();
        var task = await engine.SubmitAsync();
        await engine.ClaimOneAsync(worker, task.Id);
        await using var listener = await Listener.StartAsync(database, "taskgrid_cancel");

        await engine.Grains.Task(task.Id).CancelAsync(Caller.System);

        await listener.WaitForAsync("taskgrid_cancel", payload => payload == task.Id.ToString());
    }

    [Fact]
    public async Task Cancelling_a_grid_notifies_taskgrid_cancel_for_each_running_task()
    {
        await using var engine = await Engine.StartAsync(database);
        var worker = await engine.WorkerAsync();
        var grid = await engine.Grains.Grid(Guid.CreateVersion7()).CreateAsync(Caller.System, new CreateGridRequest
        {
            Name = "stop",
            Tasks = [.. Enumerable.Range(0, 4).Select(_ => new SubmitTaskRequest { Kind = TaskKinds.Noop })],
        });
        var running = await worker.ClaimAsync(2, TimeSpan.FromMinutes(1));
        await using var listener = await Listener.StartAsync(database, "taskgrid_cancel");

        await engine.Grains.Grid(grid.Id).CancelAsync(Caller.System);

        var expected = running.Select(c => c.Id.ToString()).ToHashSet();
        var seen = new HashSet<string>();
        while (!expected.IsSubsetOf(seen))
        {
            seen.Add(await listener.WaitForAsync("taskgrid_cancel", expected.Contains));
        }
    }

    [Fact]
    public async Task A_lost_lease_that_requeues_a_task_notifies_taskgrid_tasks()
    {
        await using var engine = await Engine.StartAsync(database);
        var worker = await engine.WorkerAsync();
        var task = await engine.SubmitAsync();
        await engine.ClaimOneAsync(worker, task.Id, TimeSpan.FromSeconds(5));
        engine.Clock.Advance(TimeSpan.FromSeconds(6));
        await using var listener = await Listener.StartAsync(database, "taskgrid_tasks");
        Assert.Equal(1, (await engine.MaintainAsync()).LeasesReaped);
        Assert.Equal("1", await listener.WaitForAsync("taskgrid_tasks", _ => true));
    }

    private sealed class Listener : IAsyncDisposable
    {
        private readonly NpgsqlConnection _connection;
        private readonly Queue<(string Channel, string Payload)> _received = new();

        private Listener(NpgsqlConnection connection)
        {
            _connection = connection;
            _connection.Notification += (_, e) => _received.Enqueue((e.Channel, e.Payload));
        }

        public static async Task<Listener> StartAsync(TestDatabase database, string channel)
        {
            var listener = new Listener(await database.OpenUnpooledAsync());
            await using var listen = new NpgsqlCommand($"LISTEN {channel}", listener._connection);
            await listen.ExecuteNonQueryAsync();
            return listener;
        }

        /// <summary>Waits, bounded, for a notification on <paramref name="channel"/> whose payload matches; returns the payload.</summary>
        public async Task<string> WaitForAsync(string channel, Func<string, bool> matches)
        {
            using var deadline = new CancellationTokenSource(s_patience);
            while (true)
            {
                while (_received.TryDequeue(out var notification))
                {
                    if (notification.Channel == channel && matches(notification.Payload))
                    {
                        return notification.Payload;
                    }
                }
                try
                {
                    await _connection.WaitAsync(deadline.Token);
                }
                catch (OperationCanceledException)
                {
                    throw new TimeoutException($"No notification on {channel} within {s_patience.TotalSeconds} s.");
                }
            }
        }

        public ValueTask DisposeAsync() => _connection.DisposeAsync();
    }
}
