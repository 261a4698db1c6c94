using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using TaskGrid.Testing;

namespace TaskGrid.Tests.Functional.Support;

/// <summary>
/// The gateway in-process (WebApplicationFactory) over its own test database, with the
/// bootstrap admin key set, key caching off (a revocation bites at once) and generous rate
/// limits. Use as a class fixture; <see cref="NewUserAsync"/> makes users with their own keys.
/// </summary>
public class GatewayFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminKey = "tg_factory_admin_key_0123456789";

    public TestDatabase Database { get; } = new();

    /// <summary>Every log line the gateway wrote, for checks that secrets never appear.</summary>
    public CapturingLoggerProvider Logs { get; } = new();

    /// <summary>Settings added by a derived fixture.</summary>
    protected virtual IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>();

    public async Task InitializeAsync() => await Database.InitializeAsync();

    public new async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Database.DisposeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        var settings = new Dictionary<string, string?>
        {
            ["TaskGrid:Database:ConnectionString"] = Database.ConnectionString,
            ["TaskGrid:Auth:BootstrapAdminKey"] = AdminKey,
            ["TaskGrid:Auth:KeyCacheDuration"] = "00:00:00",
            ["TaskGrid:Gateway:RateLimit:PermitsPerSecond"] = "100000",
            ["TaskGrid:Gateway:RateLimit:Burst"] = "100000",
            ["TaskGrid:Gateway:RateLimit:AnonymousPermitsPerSecond"] = "100000",
        };
        foreach (var (key, value) in ExtraSettings)
        {
            settings[key] = value;
        }
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureLogging(logging => logging.AddProvider(Logs).SetMinimumLevel(LogLevel.Debug));
    }

    /// <summary>A client that sends <paramref name="key"/> (none when null).</summary>
    public HttpClient ClientWithKey(string? key)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
        return client;
    }

    /// <summary>A client with the bootstrap admin key.</summary>
    public HttpClient Admin() => ClientWithKey(AdminKey);

    /// <summary>Creates a user and a key for them; returns the user id, the key and a client using it.</summary>
    public async Task<TestUser> NewUserAsync(string role = "user", string? name = null)
    {
        using var admin = Admin();
        var created = await admin.PostAsJsonAsync("/v1/users", new { name = name ?? "test user", role });
        created.EnsureSuccessStatusCode();
        var user = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
        var id = (string)user["id"]!;
        var keyResponse = await admin.PostAsJsonAsync($"/v1/users/{id}/api-keys", new { name = "tests" });
        keyResponse.EnsureSuccessStatusCode();
        var key = (await keyResponse.Content.ReadFromJsonAsync<JsonObject>())!;
        return new TestUser(id, (string)key["key"]!, (string)key["id"]!, ClientWithKey((string)key["key"]!));
    }
}

/// <summary>A user made for a test, with one key.</summary>
public sealed record TestUser(string Id, string Key, string KeyId, HttpClient Client);
