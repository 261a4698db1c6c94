using System.Net.Http.Json;
using TaskGrid.Testing;
using Xunit.Abstractions;

namespace TaskGrid.Tests.Chaos;

/// <summary>A silo frozen (SIGSTOP) past its lease, then thawed (SIGCONT).</summary>
public sealed class FrozenSiloTests(TestDatabase database, ITestOutputHelper output) : IClassFixture<TestDatabase>
{
    [Fact]
    public async Task A_frozen_silos_tasks_are_redelivered_and_its_late_acknowledgements_refused()
    {
        // Four slots per silo, so that neither silo can take all sixteen tasks alone.
        await using var cluster = new ChaosCluster(database, new Dictionary<string, string>
        {
            ["TaskGrid__Worker__Workers"] = "1",
            ["TaskGrid__Worker__Concurrency"] = "4",
        });
        await cluster.StartAsync("silo-a", "silo-b");
        var ledger = new ChaosLedger(database, "silo frozen past its lease", output);
        var grid = await cluster.CreateGridAsync("frozen");
        var tasks = Enumerable.Range(0, 16).Select(_ => new { kind = "script", interpreter = "sh", source = "sleep 3", max_attempts = 5 }).ToArray();
        using var added = await cluster.Gateway.PostAsJsonAsync($"/v1/grids/{grid}/tasks", tasks);
        added.EnsureSuccessStatusCode();
        ledger.Accept((await added.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["task_ids"]!.AsArray().Select(id => Guid.Parse((string)id!)));

        Guid[] held = [];
        await Eventually.HoldsAsync(async () =>
        {
            held = await HeldByAsync("silo-a");
            return held.Length > 0;
        }, TimeSpan.FromSeconds(60), "silo-a to be running some tasks");

        var frozen = cluster.Silos["silo-a"];
        frozen.Freeze();
        try
        {
            // Its leases lapse and its heartbeat stops: silo-b must finish what silo-a held.
            await Eventually.HoldsAsync(async () => await database.ScalarAsync<long>(
                "select count(*) from tasks where id = any(@ids) and status = 'completed'", ("ids", held)) == held.Length,
                // Bounded, but generous: lease lapse, death detection and a 3 s script on a loaded 2-core runner.
                TimeSpan.FromSeconds(120), "silo-b to complete the tasks frozen silo-a held");
        }
        finally
        {
            frozen.Thaw();
        }

        // Awake again, silo-a finds its row declared dead and rejoins; whatever it finished while
        // frozen is refused, because its lease tokens are gone.
        await frozen.WaitForOutputAsync("rejoining as a new incarnation", TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(3));
        var report = await ledger.SettleAndCheckAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, report.Lost);
        Assert.Equal(0, report.Duplicated);
        Assert.Equal(0, report.IllegalHistories);
        Assert.Equal(report.Submitted, report.Completed);
        Assert.Equal(held.Length, await database.ScalarAsync<long>("""
            select count(*) from tasks t
            where t.id = any(@ids)
              and taskgrid_task_history(t) -> -1 ->> 'actor' like 'silo-b/%'
              and exists (select 1 from task_events e where e.task_id = t.id and e.reason like 'lease lost by silo-a/%')
            """, ("ids", held)));
        // The silo noticed: a refused acknowledgement or a renewal that found the lease gone.
        Assert.True(
            System.Text.RegularExpressions.Regex.IsMatch(frozen.RecentOutput, "(?i)(lease of task .* was lost|not recorded: its lease was lost|stopped: LeaseLost)"),
            $"silo-a never reported losing its leases. Its output:\n{frozen.RecentOutput}");
    }

    private async Task<Guid[]> HeldByAsync(string silo)
    {
        var ids = new List<Guid>();
        await using var command = database.DataSource.CreateCommand("select id from tasks where status = 'running' and lease_owner like @prefix");
        command.Parameters.AddWithValue("prefix", silo + "/%");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }
        return [.. ids];
    }
}
