using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TaskGrid.Testing;
using Xunit.Abstractions;

namespace TaskGrid.Tests.Chaos;

/// <summary>The OpenAI-compatible endpoint answering 429 with Retry-After, 500s, and hanging.</summary>
public sealed class OpenAiFaultTests(TestDatabase database, ITestOutputHelper output) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private FakeOpenAiServer _openAi = null!;

    public async Task InitializeAsync() => _openAi = await FakeOpenAiServer.StartAsync(TimeSpan.FromMilliseconds(20));

    public async Task DisposeAsync() => await _openAi.DisposeAsync();

    [Fact]
    public async Task Codegen_tasks_retry_within_their_limits_then_fail_with_the_reason_and_never_stay_running()
    {
        await using var cluster = new ChaosCluster(database, new Dictionary<string, string>
        {
            ["OPENAI_BASE_URL"] = _openAi.BaseUrl,
            ["OPENAI_API_KEY"] = "test",
            ["TaskGrid__OpenAI__RequestTimeout"] = "00:00:02",
        });
        await cluster.StartAsync("silo-a", "silo-b");

        // Flaky provider: rate limits (asking for 1 s), server errors and hangs, then healthy.
        var flaky = new ChaosLedger(database, "openai 429/500/hang then healthy", output);
        _openAi.FailNext([
            .. Enumerable.Repeat(FakeFault.RateLimited(1), 8),
            .. Enumerable.Repeat(FakeFault.ServerError(), 6),
            .. Enumerable.Repeat<FakeFault>(new FakeFault.Hang(), 3)]);
        flaky.Accept(await AddAsync(cluster, "flaky", 20, maxAttempts: 5));
        var report = await flaky.SettleAndCheckAsync(TimeSpan.FromSeconds(90));
        Assert.Equal(0, report.Lost);
        Assert.Equal(0, report.IllegalHistories);
        Assert.True(report.Completed >= 17, $"most tasks should get through a flaky provider; {report.Completed} of 20 did");
        Assert.True(report.Attempts >= 20 + 17, $"every fault should have cost an attempt; {report.Attempts} attempts");
        // A 429's Retry-After (1 s) outweighs the 0.2 s backoff in this cluster's settings.
        Assert.True(await database.ScalarAsync<long>("""
            select count(*) from task_events e
            where e.reason like 'retry after 00:00:0%rate limiting%' and e.reason >= 'retry after 00:00:01'
            """) >= 1, "no retry waited for the provider's Retry-After");
        Assert.True(await database.ScalarAsync<long>(
            "select count(*) from task_events e where e.reason like '%gave no answer within 2 s%'") >= 1,
            "no hung call timed out");

        // A provider that only fails: every task fails after its attempts, with the reason.
        _openAi.PersistentFault = FakeFault.ServerError();
        var broken = new ChaosLedger(database, "openai always 500", output);
        var ids = await AddAsync(cluster, "broken", 6, maxAttempts: 3);
        broken.Accept(ids);
        var failed = await broken.SettleAndCheckAsync(TimeSpan.FromSeconds(90));
        Assert.Equal(0, failed.Lost);
        Assert.Equal(6, failed.Failed);
        Assert.Equal(6, await database.ScalarAsync<long>(
            "select count(*) from tasks where id = any(@ids) and attempt = 3 and error like '%(HTTP 500)%'", ("ids", ids)));
    }

    private static async Task<Guid[]> AddAsync(ChaosCluster cluster, string name, int count, int maxAttempts)
    {
        var grid = await cluster.CreateGridAsync(name);
        var tasks = Enumerable.Range(0, count).Select(i => new { kind = "codegen", objective = $"objective {i}", language = "python", max_attempts = maxAttempts }).ToArray();
        using var response = await cluster.Gateway.PostAsJsonAsync($"/v1/grids/{grid}/tasks", tasks);
        response.EnsureSuccessStatusCode();
        return [.. (await response.Content.ReadFromJsonAsync<JsonObject>())!["task_ids"]!.AsArray().Select(id => Guid.Parse((string)id!))];
    }
}
