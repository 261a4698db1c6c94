using Npgsql;
using NpgsqlTypes;
using TaskGrid.Tasks;
using TaskGrid.Testing;
using TaskGrid.Tests.Integration.Support;

namespace TaskGrid.Tests.Integration.Queue;

/// <summary>
/// In a rolling upgrade, silos of the release before migration 0017 run against the new schema
/// until they are replaced. Their claim, renewal and acknowledgements (copied below as that release
/// sent them) know only task rows written running and fenced by lease token; the six-argument claim
/// must still write them so (migration 0018), or every outcome of theirs would be refused and each
/// task they ran would run again.
/// </summary>
public sealed class PreviousReleaseSiloTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    private const string PreviousClaim = """
        select id, user_id, grid_id, kind, objective, language, input, attempt, max_attempts,
               timeout, lease_token, run_at, started_at
        from taskgrid_claim(@worker, @max, @max_lanes, @lease_id, @lease, @now)
        """;

    private const string PreviousRenew = """
        with renewed as (
            update task_leases
            set expires_at = coalesce(@now, now()) + @lease
            where id = any(@tokens) and worker_id = @worker
            returning id
        )
        select t.id
        from unnest(@ids::uuid[], @task_tokens::uuid[]) as l(id, token)
        join tasks t on t.id = l.id and t.lease_token = l.token
        where l.token in (select id from renewed)
        """;

    private const string PreviousComplete = "select id from taskgrid_complete(@ids, @tokens, @codes, @outputs, @usages, @now)";

    [Fact]
    public async Task A_silo_of_the_release_before_0017_has_its_claims_written_running_and_its_completions_recorded()
    {
        await using var engine = await Engine.StartAsync(database);
        var worker = await engine.WorkerAsync();
        var tasks = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            tasks.Add((await engine.SubmitAsync()).Id);
        }
        var lease = Guid.CreateVersion7();

        var claimed = await ReadIdsAsync(PreviousClaim, new("worker", worker.Id), new("max", 10), new("max_lanes", 8), new("lease_id", lease),
            new("lease", TimeSpan.FromMinutes(10)), new("now", engine.Clock.GetUtcNow()));
        Assert.Equal(tasks.Order(), claimed.Order());
        foreach (var id in tasks)
        {
            var row = await database.TaskRowAsync(id);
            Assert.Equal(("running", 1, (Guid?)lease, worker.Id), (row.Status, row.Attempt, row.LeaseToken, row.LeaseOwner));
        }

        var tokens = tasks.Select(_ => lease).ToArray();
        Assert.Equal(tasks.Order(), (await ReadIdsAsync(PreviousRenew, new("worker", worker.Id), new("tokens", new[] { lease }), new("ids", tasks.ToArray()),
            new("task_tokens", tokens), new("lease", TimeSpan.FromMinutes(10)), new("now", engine.Clock.GetUtcNow()))).Order());
        engine.Clock.Advance(TimeSpan.FromSeconds(1));
        var completed = await ReadIdsAsync(PreviousComplete, new("ids", tasks.ToArray()), new("tokens", tokens),
            new("codes", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = new string?[tasks.Count] },
            new("outputs", tasks.Select(id => $"done {id}").ToArray()),
            new("usages", NpgsqlDbType.Array | NpgsqlDbType.Jsonb) { Value = new string?[tasks.Count] },
            new("now", engine.Clock.GetUtcNow()));
        Assert.Equal(tasks.Order(), completed.Order());
        await database.ExecuteAsync("delete from task_leases where id = @id", ("id", lease));

        foreach (var id in tasks)
        {
            var view = await engine.GetAsync(id);
            Assert.Equal((TaskState.Completed, 1, $"done {id}"), (view.Status, view.Attempt, view.Output));
            Assert.Equal(
                [(null, TaskState.Pending), (TaskState.Pending, TaskState.Running), (TaskState.Running, TaskState.Completed)],
                (await engine.EventsAsync(id)).Select(e => (e.From, e.To)));
        }
        var counts = await engine.Grains.Cluster().CountTasksAsync();
        Assert.Equal(3, counts.Where(c => c.Kind == TaskKinds.Noop && c.Status == TaskState.Completed).Sum(c => c.Count));
        Assert.Equal(0, counts.Where(c => c.Kind == TaskKinds.Noop && c.Status is TaskState.Pending or TaskState.Running).Sum(c => c.Count));
        Assert.Empty(await database.QueueMismatchesAsync());
        Assert.Empty(await database.UserPendingMismatchesAsync());
    }

    private async Task<List<Guid>> ReadIdsAsync(string sql, params NpgsqlParameter[] parameters)
    {
        await using var command = database.DataSource.CreateCommand(sql);
        command.Parameters.AddRange(parameters);
        var ids = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }
        return ids;
    }
}
