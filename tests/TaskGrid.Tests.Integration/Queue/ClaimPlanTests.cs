using TaskGrid.Testing;

namespace TaskGrid.Tests.Integration.Queue;

/// <summary>
/// The claim function carries plan_cache_mode = force_generic_plan (migration 0010). A later
/// `create or replace function taskgrid_claim` that does not repeat the setting drops it, and the
/// claim then pays for planning on every call.
/// </summary>
public sealed class ClaimPlanTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task The_claim_function_keeps_its_generic_plan_setting()
    {
        var settings = await database.ScalarAsync<string[]>("""
            select coalesce(proconfig, '{}') from pg_proc where proname = 'taskgrid_claim'
            """);
        Assert.True(settings.Contains("plan_cache_mode=force_generic_plan"),
            "taskgrid_claim lost `set plan_cache_mode = force_generic_plan` (a create or replace must repeat it, " +
            "or alter the function as migration 0010 does); its settings: {" + string.Join(", ", settings) + "}");
    }
}
