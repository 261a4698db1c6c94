using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TaskGrid.Tests.Functional.Support;

namespace TaskGrid.Tests.Functional.Observability;

/// <summary>
/// The recent-failures feed: written by the database when a task fails or expires, shown to its
/// owner and admins only, and never written for a successful completion (which stays a HOT update).
/// </summary>
public sealed class FailureFeedTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    [Fact]
    public async Task A_failure_is_in_its_owners_feed_and_the_admins_but_not_in_another_users()
    {
        var alice = await gateway.NewUserAsync(name: "alice");
        var bob = await gateway.NewUserAsync(name: "bob");
        var failing = await SubmitAsync(alice.Client, "alice's doomed task");
        var succeeding = await SubmitAsync(alice.Client, "alice's good task");
        await RunAsync(failing, "failed", "boom: the endpoint answered 500");
        await RunAsync(succeeding, "completed", null);

        var feed = (await alice.Client.GetFromJsonAsync<JsonObject>("/v1/dashboard/failures"))!["items"]!.AsArray();
        var item = Assert.Single(feed);
        Assert.Equal(failing.ToString(), (string)item!["task_id"]!);
        Assert.Equal("boom: the endpoint answered 500", (string)item["error"]!);
        Assert.Equal("failed", (string)item["status"]!);

        Assert.Empty((await bob.Client.GetFromJsonAsync<JsonObject>("/v1/dashboard/failures"))!["items"]!.AsArray());
        using var admin = gateway.Admin();
        Assert.Contains(failing.ToString(), await admin.GetStringAsync("/v1/dashboard/failures?limit=500"), StringComparison.Ordinal);
        var summary = (await alice.Client.GetFromJsonAsync<JsonObject>("/v1/dashboard/summary"))!;
        Assert.Equal(1, (long)summary["tasks"]!["failed"]!);
        Assert.Equal(1, (long)summary["tasks"]!["completed"]!);
    }

    [Fact]
    public async Task No_index_on_tasks_mentions_a_column_that_a_completion_changes_so_completions_stay_hot_updates()
    {
        string[] changedByCompletion =
        [
            "status", "completed_at", "updated_at", "lease_owner", "lease_token", "code", "output", "error", "usage",
            "history", "version", "transition_actor", "transition_reason",
        ];
        var definitions = new List<string>();
        await using (var command = gateway.Database.DataSource.CreateCommand("select pg_get_indexdef(indexrelid) from pg_index where indrelid = 'tasks'::regclass"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                definitions.Add(reader.GetString(0));
            }
        }
        Assert.Contains(definitions, d => d.Contains("tasks_user_single", StringComparison.Ordinal));
        var offending = definitions
            .Where(d => changedByCompletion.Any(column => System.Text.RegularExpressions.Regex.IsMatch(d[d.IndexOf(" USING ", StringComparison.Ordinal)..], $@"\b{column}\b")))
            .ToList();
        Assert.True(offending.Count == 0, "These indexes stop completions from being HOT updates:\n" + string.Join("\n", offending));

        var user = await gateway.NewUserAsync();
        var task = await SubmitAsync(user.Client, "completes");
        await RunAsync(task, "completed", null);
        Assert.Equal(0, await gateway.Database.ScalarAsync<long>("select count(*) from task_failures where task_id = @id", ("id", task)));
    }

    private static async Task<Guid> SubmitAsync(HttpClient client, string objective)
    {
        using var response = await client.PostAsJsonAsync("/v1/tasks", new { objective, language = "python" });
        response.EnsureSuccessStatusCode();
        return Guid.Parse((string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!);
    }

    // Moves a task as a worker would, straight in SQL (no silo runs in this fixture).
    private async Task RunAsync(Guid id, string outcome, string? error)
    {
        await gateway.Database.ExecuteAsync(
            "update tasks set status = 'running', attempt = 1, lease_owner = 'test', lease_token = gen_random_uuid(), started_at = now(), updated_at = now() where id = @id",
            ("id", id));
        if (outcome == "running-only")
        {
            return;
        }
        await gateway.Database.ExecuteAsync(
            "update tasks set status = @status, error = @error, completed_at = now(), updated_at = now(), lease_owner = null, lease_token = null where id = @id",
            ("id", id), ("status", outcome), ("error", (object?)error ?? DBNull.Value));
    }
}
