using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TaskGrid.Testing;

namespace TaskGrid.Tests.Functional.Time;

/// <summary>Three real silos and a gateway on one test database, for the time and rate tests.</summary>
internal sealed class TimeCluster : IAsyncDisposable
{
    private readonly List<TaskGridProcess> _processes = [];

    public HttpClient Http { get; private set; } = null!;

    public List<TaskGridProcess> Silos { get; } = [];

    public static async Task<TimeCluster> StartAsync(TestDatabase database, int silos, IDictionary<string, string>? siloSettings = null)
    {
        var cluster = new TimeCluster();
        try
        {
            var settings = new Dictionary<string, string>(siloSettings ?? new Dictionary<string, string>())
            {
                ["TaskGrid__Cluster__SchedulerInterval"] = "00:00:00.250",
                ["TaskGrid__Cluster__MissedTickAfter"] = "00:00:30",
            };
            for (var i = 0; i < silos; i++)
            {
                var silo = await TaskGridCluster.StartSiloAsync(database.Url, $"silo-{(char)('a' + i)}", settings);
                cluster._processes.Add(silo);
                cluster.Silos.Add(silo);
            }
            var (gateway, client) = await TaskGridCluster.StartGatewayAsync(database.Url);
            cluster._processes.Add(gateway);
            cluster.Http = client;
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task<JsonObject> PostAsync(string path, object body)
    {
        using var response = await Http.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }

    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
    }
}
