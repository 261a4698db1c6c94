using System.Net;
using TaskGrid.Tests.Functional.Support;

namespace TaskGrid.Tests.Functional.Observability;

/// <summary><c>/v1/metrics</c> in-process: well-formed Prometheus text with the cluster's and this gateway's families.</summary>
public sealed class MetricsEndpointTests(GatewayFactory gateway) : IClassFixture<GatewayFactory>
{
    [Fact]
    public async Task Metrics_are_open_to_scrapers_and_parse_as_prometheus_text_with_every_family()
    {
        var user = await gateway.NewUserAsync();
        (await user.Client.PostAsync("/v1/tasks", Json("""{"kind": "noop"}"""))).EnsureSuccessStatusCode();
        using var anonymous = gateway.ClientWithKey(null);
        Assert.Equal(HttpStatusCode.NotFound, (await user.Client.GetAsync($"/v1/tasks/{Guid.NewGuid()}")).StatusCode);

        using var response = await anonymous.GetAsync("/v1/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(response.Content.Headers.ContentType.Parameters, p => p.Name == "version" && p.Value == "0.0.4");
        var families = PrometheusTextParser.Parse(await response.Content.ReadAsStringAsync());

        string[] expected =
        [
            "taskgrid_tasks", "taskgrid_queue_depth", "taskgrid_silos", "taskgrid_workers", "taskgrid_tasks_in_flight",
            "taskgrid_task_throughput_per_second", "http_server_request_duration_seconds",
            "process_cpu_seconds_total", "process_resident_memory_bytes", "dotnet_gc_collections_total",
        ];
        Assert.All(expected, name => Assert.True(families.ContainsKey(name), $"/v1/metrics has no {name}."));
        Assert.Equal("gauge", families["taskgrid_tasks"].Type);
        Assert.True(families["taskgrid_tasks"].Sum(where: l => l["kind"] == "noop" && l["status"] == "pending") >= 1);
        Assert.True(families["taskgrid_queue_depth"].Sum() >= 1);
        var http = families["http_server_request_duration_seconds"];
        Assert.Equal("histogram", http.Type);
        Assert.True(http.Sum("http_server_request_duration_seconds_count",
            l => l.GetValueOrDefault("http_route") == "/v1/tasks/{id:guid}" && l.GetValueOrDefault("http_response_status_code") == "404") >= 1,
            "HTTP requests are not counted by route and status code.");
    }

    [Fact]
    public async Task The_dashboard_routes_answer_in_the_callers_scope_and_refuse_bad_windows_with_400()
    {
        var user = await gateway.NewUserAsync();
        var summary = await user.Client.GetStringAsync("/v1/dashboard/summary");
        Assert.Contains("\"scope\":\"own\"", summary, StringComparison.Ordinal);
        using var admin = gateway.Admin();
        Assert.Contains("\"scope\":\"cluster\"", await admin.GetStringAsync("/v1/dashboard/summary"), StringComparison.Ordinal);
        Assert.Contains("\"points\"", await user.Client.GetStringAsync("/v1/dashboard/series?minutes=5&step_seconds=10"), StringComparison.Ordinal);
        foreach (var bad in new[] { "minutes=0", "minutes=100000", "step_seconds=0", "minutes=1&step_seconds=600", "minutes=abc" })
        {
            using var refused = await user.Client.GetAsync("/v1/dashboard/series?" + bad);
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"series?{bad} answered {(int)refused.StatusCode}.");
        }
        using var cursor = await user.Client.GetAsync("/v1/dashboard/failures?cursor=garbage");
        Assert.Equal(HttpStatusCode.BadRequest, cursor.StatusCode);
    }

    [Fact]
    public async Task Liveness_answers_without_a_key_and_without_the_database()
    {
        using var anonymous = gateway.ClientWithKey(null);
        using var response = await anonymous.GetAsync("/livez");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("live", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static StringContent Json(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}

/// <summary>With <c>TaskGrid:Auth:RequireKeyForMetrics</c>, only admins read <c>/v1/metrics</c>.</summary>
public sealed class ProtectedMetricsTests(ProtectedMetricsTests.Gateway gateway) : IClassFixture<ProtectedMetricsTests.Gateway>
{
    public sealed class Gateway : GatewayFactory
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?> { ["TaskGrid:Auth:RequireKeyForMetrics"] = "true" };
    }

    [Fact]
    public async Task Metrics_need_an_admin_key()
    {
        using var anonymous = gateway.ClientWithKey(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/v1/metrics")).StatusCode);
        var user = await gateway.NewUserAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await user.Client.GetAsync("/v1/metrics")).StatusCode);
        using var admin = gateway.Admin();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/v1/metrics")).StatusCode);
    }
}
