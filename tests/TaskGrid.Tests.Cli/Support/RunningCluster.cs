using System.Net.Http.Json;
using TaskGrid.Client;
using TaskGrid.Testing;
using TaskGrid.Users;

namespace TaskGrid.Tests.Cli.Support;

/// <summary>
/// A fresh database with one real silo and one real gateway on it, and the loopback OpenAI
/// server for codegen tasks. The gateway's bulk cap is 100 tasks per call, so that a file of a
/// few hundred tasks must be uploaded in batches.
/// </summary>
public sealed class RunningCluster : IAsyncLifetime
{
    public const int BulkCap = 100;

    private readonly TestDatabase _database = new();
    private readonly List<TaskGridProcess> _processes = [];

    public FakeOpenAiServer OpenAi { get; private set; } = null!;

    /// <summary>An HTTP client of the gateway with the admin key, for setting up and checking.</summary>
    public HttpClient Http { get; private set; } = null!;

    public Uri Url => Http.BaseAddress!;

    public TestDatabase Database => _database;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        OpenAi = await FakeOpenAiServer.StartAsync();
        _processes.Add(await TaskGridCluster.StartSiloAsync(_database.Url, "silo-cli", new Dictionary<string, string>
        {
            ["OPENAI_BASE_URL"] = OpenAi.BaseUrl,
            ["OPENAI_API_KEY"] = "test-key",
        }));
        var (gateway, http) = await TaskGridCluster.StartGatewayAsync(_database.Url, new Dictionary<string, string>
        {
            ["TaskGrid__Tasks__MaxTasksPerCall"] = BulkCap.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        _processes.Add(gateway);
        Http = http;
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
        if (OpenAi is not null)
        {
            await OpenAi.DisposeAsync();
        }
        await _database.DisposeAsync();
    }

    /// <summary>An SDK client of the gateway (admin key unless told otherwise), optionally over a fault-injecting handler.</summary>
    public TaskGridClient Client(string? apiKey = TaskGridCluster.AdminKey, HttpMessageHandler? handler = null, Action<TaskGridClientOptions>? configure = null)
    {
        var options = new TaskGridClientOptions { BaseAddress = Url, ApiKey = apiKey, RetryDelay = TimeSpan.FromMilliseconds(50) };
        configure?.Invoke(options);
        return handler is null ? new TaskGridClient(options) : new TaskGridClient(new HttpClient(handler), options);
    }

    /// <summary>A new user with role user and their own API key.</summary>
    public async Task<(string UserId, string Key)> NewUserAsync()
    {
        using var admin = Client();
        var user = await admin.CreateUserAsync(new CreateUserRequest { Name = "user " + Guid.NewGuid().ToString("N")[..8] });
        var key = await admin.CreateApiKeyAsync(user.Id, new CreateApiKeyRequest { Name = "tests" });
        return (user.Id, key.Key);
    }

    /// <summary>Counts a grid's tasks straight in the database.</summary>
    public Task<long> CountTasksAsync(Guid gridId) =>
        _database.ScalarAsync<long>("select count(*) from tasks where grid_id = @id", ("id", gridId));

    /// <summary>Answers the gateway's status (for a sanity check in a test).</summary>
    public Task<System.Text.Json.Nodes.JsonObject?> StatusAsync() => Http.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>("/v1/status");
}

[CollectionDefinition(Name)]
public sealed class SdkCluster : ICollectionFixture<RunningCluster>
{
    public const string Name = "sdk against a running cluster";
}

[CollectionDefinition(Name)]
public sealed class CliCluster : ICollectionFixture<RunningCluster>
{
    public const string Name = "cli against a running cluster";
}
