using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TaskGrid.Testing;

namespace TaskGrid.Tests.Functional.Time;

/// <summary>
/// Three silos share the <c>openai</c> limiter of 600 requests per minute while 2,000 codegen
/// tasks wait. The limiter's window is scaled down to 5 seconds (50 requests per window) so the
/// test takes seconds, not minutes; the check is real: every call the loopback OpenAI-compatible
/// server received is counted in every sliding 5-second window.
/// </summary>
public sealed class ClusterRateLimitTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private static readonly TimeSpan s_window = TimeSpan.FromSeconds(5);
    private const int PerWindow = 600 * 5 / 60;

    private FakeOpenAiServer _openAi = null!;
    private TimeCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        _openAi = await FakeOpenAiServer.StartAsync(latency: TimeSpan.FromMilliseconds(5));
        _cluster = await TimeCluster.StartAsync(database, silos: 3, new Dictionary<string, string>
        {
            ["OPENAI_BASE_URL"] = _openAi.BaseUrl,
            ["OPENAI_API_KEY"] = "test-key",
            ["TaskGrid__Worker__Workers"] = "2",
            ["TaskGrid__Worker__Concurrency"] = "20",
        });
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await _openAi.DisposeAsync();
    }

    [Fact]
    public async Task Three_silos_never_exceed_the_shared_limit_in_any_window()
    {
        using var put = await _cluster.Http.PutAsJsonAsync("/v1/limits/openai", new { requests_per_minute = 600, window_seconds = 5 });
        Assert.True(put.IsSuccessStatusCode, $"PUT /v1/limits/openai: {(int)put.StatusCode}");

        var grid = await _cluster.PostAsync("/v1/grids", new { name = "limited", matrix = new
        {
            objectives = Enumerable.Range(0, 200).Select(i => $"objective {i}"),
            languages = Enumerable.Range(0, 10).Select(i => $"lang{i}"),
        } });
        Assert.Equal(2000, (int)grid["total"]!);

        await Task.Delay(TimeSpan.FromSeconds(14));
        var limits = (await _cluster.Http.GetFromJsonAsync<JsonArray>("/v1/limits"))!;
        var openai = limits.Single(l => (string)l!["name"]! == "openai")!;
        Assert.Equal(600, (int)openai["requests_per_minute"]!);
        Assert.InRange((long)openai["requests_in_window"]!, 1, PerWindow);

        var calls = _openAi.CallTimes.OrderBy(t => t).ToList();
        Assert.True(calls.Count >= PerWindow, $"only {calls.Count} calls in 14 s; the limiter should let about {PerWindow} through per 5 s");
        var busiest = 0;
        for (int first = 0, last = 0; first < calls.Count; first++)
        {
            while (last < calls.Count && calls[last] - calls[first] < s_window)
            {
                last++;
            }
            busiest = Math.Max(busiest, last - first);
        }
        Assert.True(busiest <= PerWindow, $"{busiest} calls reached the provider within {s_window.TotalSeconds} s; the limit is {PerWindow}");
        Assert.True(await database.ScalarAsync<long>("select count(*) from tasks where status = 'pending'") > 1000,
            "most tasks should still be waiting for permits");

        // Changed without a restart: a PATCH applies to the next permit in every silo.
        using var patch = await _cluster.Http.PatchAsJsonAsync("/v1/limits/openai", new { requests_per_minute = 6000 });
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        var before = _openAi.Calls;
        await Eventually.HoldsAsync(() => Task.FromResult(_openAi.Calls - before > PerWindow * 2), TimeSpan.FromSeconds(20), "the raised limit to let more calls through");
    }

    [Fact]
    public async Task A_429_from_the_provider_lowers_the_limit_for_a_while()
    {
        using var put = await _cluster.Http.PutAsJsonAsync("/v1/limits/openai", new { requests_per_minute = 60000 });
        Assert.True(put.IsSuccessStatusCode);
        _openAi.FailNext(FakeFault.RateLimited(1));
        await _cluster.PostAsync("/v1/tasks", new { objective = "add two numbers", language = "python" });

        await Eventually.HoldsAsync(async () =>
            (await _cluster.Http.GetFromJsonAsync<JsonObject>("/v1/limits/openai"))!["throttled_until"] is not null,
            TimeSpan.FromSeconds(30), "the 429 to throttle the limiter");
        var view = (await _cluster.Http.GetFromJsonAsync<JsonObject>("/v1/limits/openai"))!;
        Assert.InRange((int)view["effective_requests_per_minute"]!, 1, 30000);
        Assert.Equal(60000, (int)view["requests_per_minute"]!);
    }

    [Fact]
    public async Task Users_read_limits_but_only_admins_change_them()
    {
        using var bad = await _cluster.Http.PutAsJsonAsync("/v1/limits/Bad Name!", new { requests_per_minute = 1 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using var missing = await _cluster.Http.PutAsJsonAsync("/v1/limits/x", new { tokens_per_minute = 5 });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Contains("requests_per_minute", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var none = await _cluster.Http.GetAsync("/v1/limits/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
    }
}
