using TaskGrid.Testing;

namespace TaskGrid.Tests.Functional.Cluster;

/// <summary>One real silo and gateway over a test database, shared by a test class: script tasks end to end.</summary>
public sealed class ScriptCluster : IAsyncLifetime
{
    public const int MaxOutputBytes = 64 * 1024;
    public const int MaxLogBytes = 1024 * 1024;

    private readonly List<TaskGridProcess> _processes = [];
    private readonly string _scratchRoot = Path.Combine(Path.GetTempPath(), "tg-script-cluster-" + Guid.NewGuid().ToString("N")[..12]);

    public TestDatabase Database { get; } = new();

    public TaskGridProcess Silo { get; private set; } = null!;

    public HttpClient Http => _http ?? throw new InvalidOperationException("The cluster did not start.");

    private HttpClient? _http;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        Silo = await TaskGridCluster.StartSiloAsync(Database.Url, "silo-scripts", new Dictionary<string, string>
        {
            ["TaskGrid__Script__ScratchRoot"] = _scratchRoot,
            ["TaskGrid__Script__MaxOutputBytes"] = MaxOutputBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["TaskGrid__Script__MaxLogBytes"] = MaxLogBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        _processes.Add(Silo);
        var (gateway, client) = await TaskGridCluster.StartGatewayAsync(Database.Url);
        _processes.Add(gateway);
        _http = client;
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
        await Database.DisposeAsync();
        if (Directory.Exists(_scratchRoot))
        {
            Directory.Delete(_scratchRoot, recursive: true);
        }
    }
}
