using System.Net.Http.Json;

namespace TaskGrid.Testing;

/// <summary>Starts real silo and gateway processes against one test database.</summary>
public static class TaskGridCluster
{
    /// <summary>The bootstrap admin key every test gateway gets.</summary>
    public const string AdminKey = "tg_test_admin_key_0123456789abcdef";

    /// <summary>Settings every test process gets: fast heartbeats and reaping so that failures show within seconds.</summary>
    public static Dictionary<string, string> FastClusterSettings(string databaseUrl) => new()
    {
        ["TASKGRID_DATABASE_URL"] = databaseUrl,
        ["TaskGrid__Cluster__SiloHeartbeatInterval"] = "00:00:01",
        ["TaskGrid__Cluster__SiloDeadAfter"] = "00:00:05",
        ["TaskGrid__Cluster__MaintenanceInterval"] = "00:00:00.500",
        ["TaskGrid__Worker__LeaseDuration"] = "00:00:06",
        ["TaskGrid__Worker__LeaseRenewInterval"] = "00:00:02",
        ["TaskGrid__Worker__PollInterval"] = "00:00:01",
        ["TaskGrid__Worker__RetryBaseDelay"] = "00:00:00.200",
        ["TaskGrid__Worker__RetryMaxDelay"] = "00:00:02",
        ["Logging__LogLevel__Default"] = "Information",
        ["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
    };

    /// <summary>Starts a silo and waits until it has joined the cluster; <paramref name="runAs"/> is a command prefix that starts it (for example as another user).</summary>
    public static async Task<TaskGridProcess> StartSiloAsync(string databaseUrl, string name, IDictionary<string, string>? extra = null, IReadOnlyList<string>? runAs = null)
    {
        var environment = FastClusterSettings(databaseUrl);
        environment["TaskGrid__Silo__Name"] = name;
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
        var silo = TaskGridProcess.StartAs(runAs ?? [], "Silo", name, environment);
        await silo.WaitForOutputAsync($"Silo {name} runs", TimeSpan.FromSeconds(60));
        return silo;
    }

    /// <summary>Starts a gateway on a free port and waits until <c>/v1/status</c> answers.</summary>
    public static async Task<(TaskGridProcess Process, HttpClient Client)> StartGatewayAsync(string databaseUrl, IDictionary<string, string>? extra = null)
    {
        var port = FreePort.Next();
        var environment = FastClusterSettings(databaseUrl);
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
        environment.TryAdd("TaskGrid__Auth__BootstrapAdminKey", AdminKey);
        var gateway = TaskGridProcess.Start("Gateway", "gateway", environment, "--urls", $"http://127.0.0.1:{port}");
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminKey);
        await Eventually.HoldsAsync(async () =>
        {
            if (gateway.HasExited)
            {
                throw new InvalidOperationException($"The gateway exited. Its output:\n{gateway.RecentOutput}");
            }
            using var response = await client.GetAsync("/v1/status");
            return response.IsSuccessStatusCode;
        }, TimeSpan.FromSeconds(60), "the gateway to answer /v1/status");
        return (gateway, client);
    }

    /// <summary>Reads <c>/v1/status</c> as JSON.</summary>
    public static Task<System.Text.Json.Nodes.JsonObject?> StatusAsync(HttpClient client) =>
        client.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/v1/status");
}
