using TaskGrid.Access;
using TaskGrid.Grids;
using TaskGrid.Tasks;
using TaskGrid.Testing;
using TaskGrid.Tests.Integration.Support;
using TaskGrid.Workers;

namespace TaskGrid.Tests.Integration.Queue;

/// <summary>
/// A claim and a completion rewrite every task row they take. Written on the row's own page (a
/// HOT update) that costs no index entry; moved to another page it costs one in each index on
/// tasks. Migration 0016 leaves room for it (fillfactor): a claimed row fits next to its submitted
/// version, and a completed row fits once the page is pruned of the claim's old versions.
/// </summary>
public sealed class HotUpdateTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_claimed_then_completed_batch_of_no_op_tasks_stays_on_its_pages()
    {
        await using var engine = await Engine.StartAsync(database);
        var worker = await engine.WorkerAsync();
        var grid = Guid.CreateVersion7();
        await engine.Grains.Grid(grid).CreateAsync(Caller.System, new CreateGridRequest
        {
            Name = "hot",
            Tasks = [.. Enumerable.Range(0, 400).Select(_ => new SubmitTaskRequest { Kind = TaskKinds.Noop })],
        });
        var submitted = await PagesAsync(grid);

        var claimed = await worker.ClaimAsync(400, TimeSpan.FromMinutes(1));
        Assert.Equal(400, claimed.Count);
        var afterClaim = await PagesAsync(grid);
        await Eventually.HoldsAsync(() => NoTransactionOlderThanTheClaimAsync(grid), TimeSpan.FromSeconds(60),
            "every transaction that began before the claim committed to end (it keeps the claim's old row versions from being pruned)");
        Assert.Equal(400, (await worker.CompleteAsync([.. claimed.Select(t => new TaskSuccess(t.Lease))])).Count);
        var afterCompletion = await PagesAsync(grid);

        var movedByClaim = submitted.Zip(afterClaim).Count(page => page.First != page.Second);
        var movedByCompletion = afterClaim.Zip(afterCompletion).Count(page => page.First != page.Second);
        Assert.True(movedByClaim == 0 && movedByCompletion == 0,
            $"Of 400 task rows, the claim moved {movedByClaim} and the completion {movedByCompletion} to another page: " +
            "their pages had no room for the new row versions (see the tasks table's fillfactor, migration 0016).");
    }

    // A page is pruned only of row versions no snapshot can still see. A transaction anywhere in
    // the cluster (another test's database included) that began before the claim committed keeps
    // the claim's old versions, and the completion would then move rows for a reason that is not
    // the fillfactor's. The claim itself needs no pruning.
    private Task<bool> NoTransactionOlderThanTheClaimAsync(Guid grid) => database.ScalarAsync<bool>("""
        select not exists (
            select 1
            from pg_stat_activity, (select xmin as claim from tasks where grid_id = @grid limit 1) claimed
            where pid <> pg_backend_pid()
              and (age(backend_xid) >= age(claimed.claim) or age(backend_xmin) >= age(claimed.claim)))
        """, ("grid", grid));

    // The heap page of each task row of the grid, in task id order.
    private Task<long[]> PagesAsync(Guid grid) => database.ScalarAsync<long[]>(
        "select array_agg((ctid::text::point)[0]::bigint order by id) from tasks where grid_id = @grid", ("grid", grid));
}
