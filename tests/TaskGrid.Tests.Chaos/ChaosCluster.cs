using System.Net.Http.Json;
using System.Text.Json.Nodes;
using TaskGrid.Testing;

namespace TaskGrid.Tests.Chaos;

/// <summary>Real silos and a gateway on one test database, restartable by name.</summary>
public sealed class ChaosCluster(TestDatabase database, IDictionary<string, string>? settings = null) : IAsyncDisposable
{
    private readonly Dictionary<string, TaskGridProcess> _silos = [];
    private TaskGridProcess? _gateway;

    public HttpClient Gateway { get; private set; } = null!;

    public IReadOnlyDictionary<string, TaskGridProcess> Silos => _silos;

    public async Task StartAsync(params string[] silos)
    {
        await Task.WhenAll(silos.Select(StartSiloAsync));
        (_gateway, Gateway) = await TaskGridCluster.StartGatewayAsync(database.Url, settings);
    }

    public async Task StartSiloAsync(string name)
    {
        var silo = await TaskGridCluster.StartSiloAsync(database.Url, name, settings);
        lock (_silos)
        {
            _silos[name] = silo;
        }
    }

    /// <summary>kill -9, as a node failure does.</summary>
    public async Task KillAsync(string name)
    {
        var silo = _silos[name];
        silo.Kill();
        await silo.WaitForExitAsync(TimeSpan.FromSeconds(10));
        await silo.DisposeAsync();
    }

    public async Task<Guid> CreateGridAsync(string name)
    {
        using var response = await Gateway.PostAsJsonAsync("/v1/grids", new { name });
        response.EnsureSuccessStatusCode();
        return Guid.Parse((string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!);
    }

    public async ValueTask DisposeAsync()
    {
        Gateway?.Dispose();
        if (_gateway is not null)
        {
            await _gateway.DisposeAsync();
        }
        foreach (var silo in _silos.Values)
        {
            await silo.DisposeAsync();
        }
    }
}
