using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TaskGrid.Testing;
using TaskGrid.Tests.Functional.Support;

namespace TaskGrid.Tests.Functional.Cluster;

/// <summary>
/// Metrics and health across real processes: what a silo records reaches the gateway's
/// <c>/v1/metrics</c> through PostgreSQL, the silo serves its own <c>/metrics</c>, <c>/livez</c>
/// and <c>/healthz</c>, and a draining silo is alive but not ready.
/// </summary>
public sealed class ObservabilityClusterTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private readonly List<TaskGridProcess> _processes = [];
    private HttpClient _silo = null!;
    private TaskGridProcess _siloProcess = null!;
    private HttpClient _gateway = null!;

    public async Task InitializeAsync()
    {
        var port = FreePort.Next();
        _silo = SiloClient(port);
        var fast = new Dictionary<string, string>
        {
            ["TaskGrid__Observability__MetricsPublishInterval"] = "00:00:00.500",
            ["TaskGrid__Silo__HealthPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["TaskGrid__Worker__ShutdownGracePeriod"] = "00:00:20",
        };
        _siloProcess = await TaskGridCluster.StartSiloAsync(database.Url, "metrics-silo", fast);
        _processes.Add(_siloProcess);
        var (gateway, client) = await TaskGridCluster.StartGatewayAsync(database.Url, fast);
        _processes.Add(gateway);
        _gateway = client;
    }

    private static HttpClient SiloClient(int port) =>
        new() { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };

    public async Task DisposeAsync()
    {
        _gateway.Dispose();
        _silo.Dispose();
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
    }

    [Fact]
    public async Task Counters_recorded_in_a_silo_reach_the_gateways_metrics_through_the_database()
    {
        using var created = await _gateway.PostAsJsonAsync("/v1/grids", new
        {
            name = "metrics",
            tasks = Enumerable.Range(0, 12).Select(_ => new { kind = "noop" })
                .Cast<object>().Append(new { kind = "script", interpreter = "bash", source = "exit 4", max_attempts = 1 }),
        });
        created.EnsureSuccessStatusCode();

        IReadOnlyDictionary<string, PrometheusTextParser.Family> families = new Dictionary<string, PrometheusTextParser.Family>();
        await Eventually.HoldsAsync(async () =>
        {
            families = PrometheusTextParser.Parse(await _gateway.GetStringAsync("/v1/metrics"));
            return families.TryGetValue("taskgrid_tasks_completed_total", out var completed) && completed.Sum(where: l => l["kind"] == "noop") >= 12
                && families.TryGetValue("taskgrid_tasks_failed_total", out var failed) && failed.Sum(where: l => l["kind"] == "script") >= 1;
        }, TimeSpan.FromSeconds(60), "the silo's counters to reach /v1/metrics");

        Assert.Equal("counter", families["taskgrid_tasks_completed_total"].Type);
        var runs = families["taskgrid_task_run_duration_seconds"];
        Assert.Equal("histogram", runs.Type);
        Assert.True(runs.Sum("taskgrid_task_run_duration_seconds_count") >= 13);
        Assert.True(families["taskgrid_task_claim_latency_seconds"].Sum("taskgrid_task_claim_latency_seconds_count") >= 13);
        foreach (var name in new[] { "taskgrid_tasks_expired_total", "taskgrid_tasks_redelivered_total", "taskgrid_tasks_retried_total", "taskgrid_acks_refused_total", "taskgrid_silo_cpu_usage_ratio", "taskgrid_silo_working_set_bytes" })
        {
            Assert.True(families.ContainsKey(name), $"/v1/metrics has no {name}.");
        }
        Assert.Equal(1, families["taskgrid_silos"].Sum(where: l => l["state"] == "active"));
        Assert.True(families["taskgrid_silo_working_set_bytes"].Sum(where: l => l["silo"] == "metrics-silo") > 0);

        // The same samples feed the dashboard's charts and its recent failures.
        await Eventually.HoldsAsync(async () =>
        {
            var series = (await _gateway.GetFromJsonAsync<JsonObject>("/v1/dashboard/series?minutes=2&step_seconds=5"))!;
            return series["points"]!.AsArray().Any(p => (double)p!["completed_per_second"]! > 0 && p["run_duration"] is JsonObject);
        }, TimeSpan.FromSeconds(20), "the series to show the completions");
        var failures = await _gateway.GetStringAsync("/v1/dashboard/failures");
        Assert.Contains("Exit code 4", failures, StringComparison.Ordinal);

        // The silo's own endpoint: this process's instruments, in the same format.
        var own = PrometheusTextParser.Parse(await _silo.GetStringAsync("/metrics"));
        Assert.True(own["taskgrid_tasks_completed_total"].Sum(where: l => l["kind"] == "noop") >= 12);
        Assert.True(own.ContainsKey("process_cpu_seconds_total") && own.ContainsKey("dotnet_gc_collections_total"));
    }

    [Fact]
    public async Task A_draining_silo_stays_alive_but_reports_not_ready()
    {
        Assert.Equal(HttpStatusCode.OK, (await _silo.GetAsync("/livez")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _silo.GetAsync("/healthz")).StatusCode);
        using var created = await _gateway.PostAsJsonAsync("/v1/tasks", new { kind = "script", interpreter = "bash", source = "sleep 8" });
        var task = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        await Eventually.HoldsAsync(async () =>
            (string?)(await _gateway.GetFromJsonAsync<JsonObject>($"/v1/tasks/{task["id"]}"))!["status"] == "running",
            TimeSpan.FromSeconds(30), "the script to start");

        _siloProcess.Terminate();
        await Eventually.HoldsAsync(async () =>
        {
            using var ready = await _silo.GetAsync("/healthz");
            return ready.StatusCode == HttpStatusCode.ServiceUnavailable
                && (await ready.Content.ReadAsStringAsync()).Contains("\"draining\":true", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(10), "/healthz to answer 503 while the silo drains");
        Assert.Equal(HttpStatusCode.OK, (await _silo.GetAsync("/livez")).StatusCode);
        Assert.True(await _siloProcess.WaitForExitAsync(TimeSpan.FromSeconds(40)), "The silo did not exit after draining.");
        Assert.Equal("completed", (string?)(await _gateway.GetFromJsonAsync<JsonObject>($"/v1/tasks/{task["id"]}"))!["status"]);
    }
}
