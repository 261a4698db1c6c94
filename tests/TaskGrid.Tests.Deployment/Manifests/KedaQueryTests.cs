using Microsoft.Extensions.DependencyInjection;
using TaskGrid.Access;
using TaskGrid.Grids;
using TaskGrid.Tasks;
using TaskGrid.Testing;
using TaskGrid.Tests.Deployment.Support;

namespace TaskGrid.Tests.Deployment.Manifests;

/// <summary>
/// The KEDA trigger's queue-depth query, as shipped, run against the current schema: it counts
/// due pending tasks only, and never reads the tasks table, which keeps every finished task.
/// </summary>
public sealed class KedaQueryTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task The_queue_depth_query_counts_due_pending_tasks_from_the_queue_alone()
    {
        var query = await ShippedQueryAsync();
        await using var services = database.CreateServices();
        var grains = services.GetRequiredService<IGrainFactory>();
        var due = Enumerable.Range(0, 4).Select(_ => new SubmitTaskRequest { Kind = TaskKinds.Noop });
        var delayed = Enumerable.Range(0, 2).Select(_ => new SubmitTaskRequest { Kind = TaskKinds.Noop, DelaySeconds = 3600 });
        var grid = await grains.Grid(Guid.CreateVersion7()).CreateAsync(Caller.System, new CreateGridRequest { Name = "keda", Tasks = [.. due, .. delayed] });
        var cancelled = await database.ScalarAsync<Guid>(
            "select id from tasks where grid_id = @grid and run_at <= now() order by id limit 1", ("grid", grid.Id));
        await grains.Task(cancelled).CancelAsync(Caller.System);

        Assert.Equal(3, await database.ScalarAsync<long>(query));
        var plan = await ExplainAsync(query);
        Assert.Contains("task_queue", plan);
        Assert.DoesNotMatch(@"\bon tasks\b", plan);
    }

    private async Task<string> ExplainAsync(string query)
    {
        await using var command = database.DataSource.CreateCommand("explain (costs off) " + query);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }
        return string.Join('\n', lines);
    }

    private static async Task<string> ShippedQueryAsync()
    {
        var rendered = await RenderedOverlay.GetAsync("production-keda-prometheus");
        var trigger = rendered.Get("ScaledObject", "silo").Spec["triggers"].Items.Single(t => t["type"].Text == "postgresql");
        return trigger["metadata"]["query"].Text ?? throw new Xunit.Sdk.XunitException("The postgresql trigger has no query.");
    }
}
