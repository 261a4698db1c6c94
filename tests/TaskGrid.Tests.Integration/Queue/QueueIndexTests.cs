using Npgsql;
using TaskGrid.Access;
using TaskGrid.Grids;
using TaskGrid.Tasks;
using TaskGrid.Testing;
using TaskGrid.Tests.Integration.Support;

namespace TaskGrid.Tests.Integration.Queue;

/// <summary>
/// The claim finds work in task_queue and touches tasks only through its primary key (migration
/// 0012), so that neither the claim nor the completion writes an index entry on tasks.
/// </summary>
public sealed class QueueIndexTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    // Everything the claim, a lease renewal and a completion write on a task row.
    private static readonly string[] s_hotColumns =
    [
        "status", "attempt", "expires_at", "lease_owner", "lease_token", "started_at", "completed_at", "updated_at",
        "transition_actor", "transition_reason", "version", "history", "code", "output", "error", "usage",
    ];

    [Fact]
    public async Task No_index_on_tasks_names_a_column_that_a_claim_or_a_completion_writes()
    {
        var definitions = await database.ScalarAsync<string[]>(
            "select array_agg(indexname || ': ' || indexdef order by indexname) from pg_indexes where schemaname = 'public' and tablename = 'tasks'");
        var offenders = definitions
            .Where(d => s_hotColumns.Any(c => System.Text.RegularExpressions.Regex.IsMatch(d[(d.IndexOf(':') + 1)..], $@"\b{c}\b")))
            .ToList();
        Assert.True(offenders.Count == 0,
            "These indexes make every claim or completion write an index entry (no HOT update); find pending work " +
            "through task_queue instead:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public async Task The_claim_reads_lanes_through_the_queue_even_when_its_statistics_say_it_is_empty()
    {
        await using var engine = await Engine.StartAsync(database);
        await using var connection = await database.OpenUnpooledAsync();
        await ExecuteAsync(connection, "analyze task_queue; analyze tasks");
        await engine.Grains.Grid(Guid.CreateVersion7()).CreateAsync(Caller.System, new CreateGridRequest
        {
            Name = "plans",
            Tasks = [.. Enumerable.Range(0, 5000).Select(_ => new SubmitTaskRequest { Kind = TaskKinds.Noop })],
        });
        await engine.SubmitAsync();

        var plans = await AutoExplain.CapturePlansAsync(connection);
        for (var i = 0; i < 7; i++)
        {
            await ExecuteAsync(connection, "select count(*) from taskgrid_claim('plan-check', 10, 8, gen_random_uuid(), interval '1 minute', null, true)");
        }

        // Planned while the statistics said the queue was empty: the plan must still walk the lane
        // in index order and stop at the limit, not read, join and sort the whole lane.
        var claimPlan = plans.LastOrDefault(p => p.Contains("Update on tasks", StringComparison.Ordinal)) ?? "";
        Assert.True(
            claimPlan.Contains("Index Scan using task_queue_claim", StringComparison.Ordinal)
                && !claimPlan.Contains("Seq Scan", StringComparison.Ordinal)
                && !claimPlan.Contains("Bitmap Heap Scan on task_queue", StringComparison.Ordinal),
            "the claim should walk task_queue_claim in order and reach tasks by primary key:\n" + string.Join("\n---\n", plans));
    }

    [Fact]
    public async Task A_users_count_of_single_tasks_uses_its_index()
    {
        await using var connection = await database.OpenUnpooledAsync();
        await ExecuteAsync(connection, "set enable_seqscan = off; set enable_bitmapscan = off");
        await using var explain = new NpgsqlCommand("explain select count(*) from tasks where user_id = 'alice' and grid_id is null", connection);
        var lines = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                lines.Add(reader.GetString(0));
            }
        }
        Assert.True(lines.Any(l => l.Contains("tasks_user_single", StringComparison.Ordinal)), string.Join("\n", lines));
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
