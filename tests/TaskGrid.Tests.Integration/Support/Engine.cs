using Microsoft.Extensions.DependencyInjection;
using TaskGrid.Access;
using TaskGrid.Grains.Cluster;
using TaskGrid.Tasks;
using TaskGrid.Testing;
using TaskGrid.Workers;

namespace TaskGrid.Tests.Integration.Support;

/// <summary>
/// The grains of one test on its class's database, with a clock the test moves. Starting one
/// cancels whatever earlier tests of the class left pending or running and stops their silos, so
/// that claims and maintenance see only this test's rows (tests of a class run one at a time;
/// classes have their own databases).
/// </summary>
internal sealed class Engine : IAsyncDisposable
{
    private readonly List<SiloIdentity> _silos = [];

    private Engine(TestDatabase database, ServiceProvider services, ManualTimeProvider clock)
    {
        Database = database;
        Services = services;
        Clock = clock;
        Grains = services.GetRequiredService<IGrainFactory>();
        Maintenance = services.GetRequiredService<ClusterMaintenance>();
        Membership = services.GetRequiredService<MembershipTable>();
    }

    public TestDatabase Database { get; }

    public ServiceProvider Services { get; }

    public ManualTimeProvider Clock { get; }

    public IGrainFactory Grains { get; }

    public ClusterMaintenance Maintenance { get; }

    public MembershipTable Membership { get; }

    public static async Task<Engine> StartAsync(TestDatabase database, IDictionary<string, string?>? settings = null)
    {
        await database.CancelLeftoversAsync();
        var clock = new ManualTimeProvider();
        return new Engine(database, database.CreateServices(clock, settings), clock);
    }

    /// <summary>Joins a new silo at the test clock's time and registers one worker on it.</summary>
    public async Task<(SiloIdentity Silo, IWorkerGrain Worker)> JoinAsync()
    {
        var silo = new SiloIdentity($"silo-{Guid.NewGuid():N}"[..17], "test-host", Environment.ProcessId, Guid.NewGuid());
        await Membership.JoinAsync(silo, CancellationToken.None);
        _silos.Add(silo);
        var worker = Grains.Worker($"{silo.Name}/1");
        await worker.RegisterAsync();
        return (silo, worker);
    }

    public async Task<IWorkerGrain> WorkerAsync() => (await JoinAsync()).Worker;

    /// <summary>
    /// Heartbeats every silo this engine joined, at the test clock's time. A test that moves the
    /// clock past SiloDeadAfter (30 s) calls it first unless it means the silos to die.
    /// </summary>
    public async Task HeartbeatAsync()
    {
        foreach (var silo in _silos)
        {
            Assert.NotNull(await Membership.HeartbeatAsync(silo, CancellationToken.None));
        }
    }

    public Task<TaskView> SubmitAsync(SubmitTaskRequest? request = null, Caller? caller = null, Guid? id = null) =>
        Grains.Task(id ?? Guid.CreateVersion7()).SubmitAsync(caller ?? Caller.System, request ?? new SubmitTaskRequest { Kind = TaskKinds.Noop });

    /// <summary>Claims with a lease long enough that only the test's clock makes it lapse.</summary>
    public async Task<ClaimedTask> ClaimOneAsync(IWorkerGrain worker, Guid expected, TimeSpan? lease = null)
    {
        var claimed = await worker.ClaimAsync(100, lease ?? TimeSpan.FromMinutes(10));
        var mine = Assert.Single(claimed, c => c.Id == expected);
        Assert.Equal(mine.Lease.ClaimedVersion is null ? "running" : "leased", await HoldingStateAsync(expected));
        return mine;
    }

    /// <summary>
    /// The task's status, or "leased" for a task a claim holds while leaving its row pending (no
    /// queue row; its lease recorded the row's current version).
    /// </summary>
    public Task<string> HoldingStateAsync(Guid id) => Database.ScalarAsync<string>(
        """
        select case when t.status = 'pending'
                     and not exists (select 1 from task_queue q where q.task_id = t.id)
                     and exists (select 1 from task_lease_entries e
                                 where e.task_id = t.id and e.version = t.version)
                    then 'leased' else t.status end
        from tasks t
        where t.id = @id
        """, ("id", id));

    public Task<TaskView> GetAsync(Guid id) => Grains.Task(id).GetAsync(Caller.System);

    public Task<IReadOnlyList<TaskEventView>> EventsAsync(Guid id) => Grains.Task(id).GetEventsAsync(Caller.System);

    /// <summary>The status the API shows (a task a claim holds with its row still pending shows running).</summary>
    public Task<string> StatusAsync(Guid id) => Database.ScalarAsync<string>("select status from tasks_shown where id = @id", ("id", id));

    public async Task<MaintenancePass> MaintainAsync() =>
        await Maintenance.RunOnceAsync(CancellationToken.None) ?? throw new InvalidOperationException("Another maintenance pass held the lock.");

    public ValueTask DisposeAsync() => Services.DisposeAsync();
}
