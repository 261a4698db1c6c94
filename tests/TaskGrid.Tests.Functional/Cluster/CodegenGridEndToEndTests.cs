using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TaskGrid.Testing;

namespace TaskGrid.Tests.Functional.Cluster;

/// <summary>
/// The whole product in real processes: two silos and a gateway on a real PostgreSQL, codegen
/// tasks answered by the loopback OpenAI-compatible server through the real OpenAI client.
/// </summary>
public sealed class CodegenGridEndToEndTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private FakeOpenAiServer _openAi = null!;
    private readonly List<TaskGridProcess> _processes = [];
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _openAi = await FakeOpenAiServer.StartAsync(latency: TimeSpan.FromMilliseconds(20));
        var openAi = new Dictionary<string, string> { ["OPENAI_BASE_URL"] = _openAi.BaseUrl, ["OPENAI_API_KEY"] = "test-key" };
        _processes.Add(await TaskGridCluster.StartSiloAsync(database.Url, "silo-a", openAi));
        _processes.Add(await TaskGridCluster.StartSiloAsync(database.Url, "silo-b", openAi));
        var (gateway, client) = await TaskGridCluster.StartGatewayAsync(database.Url);
        _processes.Add(gateway);
        _http = client;
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
        await _openAi.DisposeAsync();
    }

    [Fact]
    public async Task A_grid_submitted_over_http_completes_every_task_with_the_generated_code()
    {
        string[] objectives = ["add two numbers", "reverse a string", "sum a list", "find the maximum", "count words"];
        string[] languages = ["python", "go", "rust", "csharp"];
        var create = await _http.PostAsJsonAsync("/v1/grids", new
        {
            name = "end-to-end",
            matrix = new { objectives, languages },
        });
        Assert.Equal(HttpStatusCode.Created, create.StatusCode);
        var grid = (await create.Content.ReadFromJsonAsync<JsonObject>())!;
        var gridId = (string)grid["id"]!;
        Assert.Equal(20, (int)grid["total"]!);

        await Eventually.HoldsAsync(async () =>
        {
            var now = await _http.GetFromJsonAsync<JsonObject>($"/v1/grids/{gridId}");
            return (string?)now!["status"] == "finished";
        }, TimeSpan.FromSeconds(90), "the grid to finish");

        var finished = (await _http.GetFromJsonAsync<JsonObject>($"/v1/grids/{gridId}"))!;
        Assert.Equal(20, (int)finished["counts"]!["completed"]!);
        Assert.Equal(1.0, (double)finished["progress"]!);

        var page = (await _http.GetFromJsonAsync<JsonObject>($"/v1/grids/{gridId}/tasks?limit=100"))!;
        var tasks = page["items"]!.AsArray();
        Assert.Equal(20, tasks.Count);
        foreach (var task in tasks)
        {
            var objective = (string)task!["objective"]!;
            var language = (string)task["language"]!;
            Assert.Equal("completed", (string)task["status"]!);
            Assert.Equal(FakeOpenAiServer.ExpectedCode(objective, language), (string)task["code"]!);
            Assert.Equal(50, (int)task["usage"]!["total_tokens"]!);
            Assert.NotNull(task["started_at"]);
            Assert.NotNull(task["completed_at"]);
        }
        Assert.Equal(20, _openAi.Calls);

        // The history of one task, as the API shows it: submitted, claimed, completed.
        var someTask = (string)tasks[0]!["id"]!;
        var events = (await _http.GetFromJsonAsync<JsonArray>($"/v1/tasks/{someTask}/events"))!;
        Assert.Equal(["pending", "running", "completed"], events.Select(e => (string)e!["to"]!).ToArray());
        Assert.StartsWith("silo-", (string)events[1]!["worker"]!);

        // The executor's own messages are in the task's log: claimed, the call made, the outcome.
        var log = (await _http.GetFromJsonAsync<JsonObject>($"/v1/tasks/{someTask}/logs"))!["items"]!.AsArray()
            .Select(l => ((string)l!["stream"]!, (string)l["line"]!)).ToList();
        Assert.All(log, l => Assert.Equal("system", l.Item1));
        Assert.StartsWith("Claimed by worker silo-", log[0].Item2);
        Assert.Contains(log, l => l.Item2.StartsWith("Calling ", StringComparison.Ordinal));
        Assert.Contains(log, l => l.Item2.Contains("20 prompt + 30 completion tokens", StringComparison.Ordinal));
        Assert.Equal("Attempt succeeded.", log[^1].Item2);
    }
}
