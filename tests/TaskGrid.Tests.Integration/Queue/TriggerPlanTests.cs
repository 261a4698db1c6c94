using Npgsql;
using TaskGrid.Access;
using TaskGrid.Grids;
using TaskGrid.Tasks;
using TaskGrid.Testing;
using TaskGrid.Tests.Integration.Support;

namespace TaskGrid.Tests.Integration.Queue;

/// <summary>
/// The counters' statement trigger plans its join of old and new rows once per connection
/// (migration 0012). A plan made for one row must still be a hash join when a later statement on
/// the same connection moves hundreds: a nested loop there is quadratic in the batch.
/// </summary>
public sealed class TriggerPlanTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_connection_whose_first_change_moved_one_task_still_hash_joins_a_large_batch()
    {
        await using var engine = await Engine.StartAsync(database);
        var grid = await engine.Grains.Grid(Guid.CreateVersion7()).CreateAsync(Caller.System, new CreateGridRequest
        {
            Name = "trigger plans",
            Tasks = [.. Enumerable.Range(0, 501).Select(_ => new SubmitTaskRequest { Kind = TaskKinds.Noop })],
        });
        await using var connection = await database.OpenUnpooledAsync();
        await ExecuteAsync(connection, "update tasks set status = 'cancelled', updated_at = now() where id = (select id from tasks where grid_id = @grid order by id limit 1)", grid.Id);

        var plans = await AutoExplain.CapturePlansAsync(connection);
        await ExecuteAsync(connection, "update tasks set status = 'cancelled', updated_at = now() where grid_id = @grid and status = 'pending'", grid.Id);

        var counting = (plans.SingleOrDefault(p => p.Contains("from old_tasks o join new_tasks n", StringComparison.Ordinal)) ?? "").Split('\n');
        // The join of the two transition tables: its inputs are the two Named Tuplestore Scans.
        var joins = counting
            .Select((line, i) => (line, inputs: counting.Skip(i + 1).Take(6)))
            .Where(j => j.line.TrimStart().StartsWith("->", StringComparison.Ordinal)
                && (j.line.Contains(" Join ", StringComparison.Ordinal) || j.line.Contains("Nested Loop", StringComparison.Ordinal)))
            .Where(j => j.inputs.Count(l => l.Contains("Named Tuplestore Scan", StringComparison.Ordinal)) == 2)
            .Select(j => j.line.Trim())
            .ToList();
        Assert.True(joins.Count == 1 && joins[0].Contains("Hash Join", StringComparison.Ordinal),
            "the trigger should hash join the statement's old and new rows:\n" + string.Join("\n---\n", plans));
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, Guid? grid = null)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (grid is { } id)
        {
            command.Parameters.AddWithValue("grid", id);
        }
        await command.ExecuteNonQueryAsync();
    }
}
