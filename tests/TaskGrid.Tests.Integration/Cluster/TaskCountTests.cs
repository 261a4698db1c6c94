using Microsoft.Extensions.DependencyInjection;
using TaskGrid.Access;
using TaskGrid.Grids;
using TaskGrid.Tasks;
using TaskGrid.Testing;
using TaskGrid.Workers;

namespace TaskGrid.Tests.Integration.Cluster;

public sealed class TaskCountTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task The_kept_counts_equal_a_count_of_the_tasks_table_after_mixed_changes()
    {
        await using var services = database.CreateServices();
        var grains = services.GetRequiredService<IGrainFactory>();
        var grid = await grains.Grid(Guid.CreateVersion7()).CreateAsync(Caller.System, new CreateGridRequest
        {
            Name = "counted",
            Tasks = [.. Enumerable.Range(0, 30).Select(i => new SubmitTaskRequest { Kind = i % 3 == 0 ? TaskKinds.Script : TaskKinds.Noop, Source = "true", Interpreter = "sh" })],
        });
        for (var i = 0; i < 5; i++)
        {
            await grains.Task(Guid.CreateVersion7()).SubmitAsync(Caller.System, new SubmitTaskRequest { Kind = TaskKinds.Noop });
        }
        await database.ExecuteAsync("insert into silos (name, host, pid, incarnation, state, started_at, heartbeat_at) values ('counter', 'h', 1, gen_random_uuid(), 'active', now(), now())");
        var worker = grains.Worker("counter/1");
        await worker.RegisterAsync();
        var claimed = await worker.ClaimAsync(20, TimeSpan.FromMinutes(1));
        await worker.CompleteAsync([.. claimed.Take(8).Select(t => new TaskSuccess(t.Lease))]);
        await worker.FailAsync([.. claimed.Skip(8).Take(4).Select(t => new TaskFailure(t.Lease, "no", Retryable: false, TimeSpan.Zero))]);
        await worker.FailAsync([.. claimed.Skip(12).Take(3).Select(t => new TaskFailure(t.Lease, "again", Retryable: true, TimeSpan.Zero))]);
        await grains.Grid(grid.Id).CancelAsync(Caller.System);
        await database.ExecuteAsync("delete from tasks where id in (select id from tasks where status = 'completed' limit 3)");

        var kept = (await grains.Cluster().CountTasksAsync()).ToDictionary(c => (c.Kind, c.Status.ToName()), c => c.Count);
        var actual = new Dictionary<(string, string), long>();
        await using (var command = database.DataSource.CreateCommand("select kind, status, count(*) from tasks group by kind, status"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                actual[(reader.GetString(0), reader.GetString(1))] = reader.GetInt64(2);
            }
        }
        Assert.Equal(actual.OrderBy(p => p.Key), kept.OrderBy(p => p.Key));
        Assert.True(actual.Count >= 3, "the scenario should leave tasks in several states");
    }
}
