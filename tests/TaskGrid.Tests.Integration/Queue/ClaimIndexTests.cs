using TaskGrid.Testing;

namespace TaskGrid.Tests.Integration.Queue;

/// <summary>
/// The claim reads lanes through tasks_claim. Any other partial index whose predicate follows from
/// the claim's conditions (claimable, grid_id = ..., grid_id is null) is a plan the planner may pick
/// when the statistics are stale, and such a plan reads a user's whole backlog on every claim.
/// Indexes on tasks for other queries carry `user_id is not null`, which the claim never implies.
/// </summary>
public sealed class ClaimIndexTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    // The indexes meant for the claim path, or whose predicates its conditions cannot imply.
    // (tasks_grid, by grid and id for grid listings, is not partial on claimable: its estimates
    // come from grid_id's statistics, which a backlog does not make stale.)
    private static readonly string[] s_claimPath = ["tasks_claim", "tasks_ttl", "tasks_delayed", "tasks_grid"];

    [Fact]
    public async Task No_partial_index_on_tasks_but_the_claims_own_can_serve_a_claim()
    {
        var offenders = await database.ScalarAsync<string[]>("""
            select coalesce(array_agg(indexname || ': ' || indexdef order by indexname), '{}')
            from pg_indexes
            where schemaname = 'public' and tablename = 'tasks'
              and indexdef like '% WHERE %'
              and (indexdef like '%claimable%' or indexdef like '%grid_id IS NULL%' or indexdef like '%grid_id IS NOT NULL%')
              and indexname <> all(@claim_path)
              and indexdef not like '%user_id IS NOT NULL%'
            """, ("claim_path", s_claimPath));
        Assert.True(offenders.Length == 0,
            "These partial indexes on tasks can serve the claim's lane scan when statistics are stale; " +
            "add `and user_id is not null` to their predicate (see migration 0007):\n" + string.Join("\n", offenders));
    }

    [Fact]
    public async Task The_per_user_queries_still_use_their_indexes()
    {
        await using var connection = await database.DataSource.OpenConnectionAsync();
        await using (var off = connection.CreateCommand())
        {
            off.CommandText = "set enable_seqscan = off; set enable_bitmapscan = off";
            await off.ExecuteNonQueryAsync();
        }
        foreach (var (sql, index) in new[]
        {
            ("explain select count(*) from tasks where user_id = 'alice' and grid_id is null", "tasks_user_single"),
        })
        {
            await using var explain = connection.CreateCommand();
            explain.CommandText = sql;
            var lines = new List<string>();
            await using (var reader = await explain.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    lines.Add(reader.GetString(0));
                }
            }
            Assert.True(lines.Any(l => l.Contains(index, StringComparison.Ordinal)), $"{sql} does not use {index}:\n{string.Join("\n", lines)}");
        }
    }
}
