using TaskGrid.Testing;

namespace TaskGrid.Tests.Integration.Queue;

/// <summary>
/// The hot path's functions carry their planner settings (migrations 0010 and 0012). A later
/// `create or replace function` that does not repeat them drops them: the claim then pays for
/// planning on every call, reads and sorts a whole lane when its plan was made from the statistics
/// of an empty queue (QueueIndexTests shows the plan), or, with jit on (PostgreSQL's default),
/// compiles its statements to machine code on every call.
/// </summary>
public sealed class ClaimPlanTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Theory]
    [InlineData("taskgrid_claim", "plan_cache_mode=force_generic_plan")]
    [InlineData("taskgrid_claim", "enable_seqscan=off")]
    [InlineData("taskgrid_claim", "enable_bitmapscan=off")]
    [InlineData("taskgrid_claim", "enable_sort=off")]
    [InlineData("taskgrid_claim", "jit=off")]
    [InlineData("taskgrid_complete", "plan_cache_mode=force_generic_plan")]
    [InlineData("taskgrid_complete", "jit=off")]
    [InlineData("taskgrid_count_moved", "jit=off")]
    [InlineData("taskgrid_tasks_updated", "enable_nestloop=off")]
    [InlineData("taskgrid_tasks_updated", "jit=off")]
    public async Task A_hot_path_function_keeps_its_planner_settings(string function, string setting)
    {
        // The widest overload is this release's; the narrower ones serve silos of the previous release.
        var settings = await database.ScalarAsync<string[]>(
            "select coalesce(proconfig, '{}') from pg_proc where proname = @name order by pronargs desc limit 1", ("name", function));
        Assert.True(settings.Contains(setting),
            $"{function} lost `set {setting}` (a create or replace must repeat it, or alter the function); " +
            "its settings: {" + string.Join(", ", settings) + "}");
    }
}
