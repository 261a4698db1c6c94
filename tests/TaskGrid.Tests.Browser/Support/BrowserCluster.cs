using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using TaskGrid.Testing;

namespace TaskGrid.Tests.Browser.Support;

/// <summary>
/// A silo and a gateway as real processes on a fresh test database, codegen answered by the
/// loopback OpenAI-compatible server, and the machine's Chromium driven by Playwright. A
/// browser that cannot start fails the tests: they are never skipped.
/// </summary>
public sealed class BrowserCluster : IAsyncLifetime
{
    /// <summary>The Chromium the tests launch: $TASKGRID_CHROMIUM, else Debian's.</summary>
    public static string ChromiumPath => Environment.GetEnvironmentVariable("TASKGRID_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>Where screenshots are saved, for people and CI to look at.</summary>
    public static string ScreenshotDirectory => Path.Combine(TestEnvironment.RepositoryRoot, ".taskgrid", "test-results", "screenshots");

    private readonly List<TaskGridProcess> _processes = [];
    private IPlaywright? _playwright;

    public TestDatabase Database { get; } = new();

    public FakeOpenAiServer OpenAi { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    public string BaseUrl => Admin.BaseAddress!.ToString().TrimEnd('/');

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        // Slow enough that a person (and the test) sees the task run before it completes.
        OpenAi = await FakeOpenAiServer.StartAsync(latency: TimeSpan.FromSeconds(1.5));
        var settings = new Dictionary<string, string>
        {
            ["OPENAI_BASE_URL"] = OpenAi.BaseUrl,
            ["OPENAI_API_KEY"] = "test-key",
            ["TaskGrid__Observability__MetricsPublishInterval"] = "00:00:01",
        };
        _processes.Add(await TaskGridCluster.StartSiloAsync(Database.Url, "browser-silo", settings));
        var (gateway, client) = await TaskGridCluster.StartGatewayAsync(Database.Url, settings);
        _processes.Add(gateway);
        Admin = client;

        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"No Chromium at {ChromiumPath}. ./taskgrid test installs it (apt-get install -y chromium); elsewhere set TASKGRID_CHROMIUM to a Chromium or Chrome executable.");
        }
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    /// <summary>A laptop-sized page; console errors and failed requests are collected in <paramref name="problems"/>.</summary>
    public async Task<IPage> NewPageAsync(List<string> problems)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1440, Height = 900 } });
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            // "Failed to load resource" repeats a bad answer, which the Response handler names with its URL.
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
            {
                problems.Add($"console: {message.Text}");
            }
        };
        page.PageError += (_, error) => problems.Add($"page error: {error}");
        page.RequestFailed += (_, request) => problems.Add($"request failed: {request.Method} {request.Url} ({request.Failure})");
        page.Response += (_, response) =>
        {
            if (response.Status >= 400)
            {
                problems.Add($"answered {response.Status}: {response.Request.Method} {response.Url}");
            }
        };
        return page;
    }

    /// <summary>A new user and a key for them, made through the API.</summary>
    public async Task<(string Id, string Key)> NewUserAsync(string name, string role = "user")
    {
        using var user = await Admin.PostAsJsonAsync("/v1/users", new { name, role });
        user.EnsureSuccessStatusCode();
        var id = (string)(await user.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        using var key = await Admin.PostAsJsonAsync($"/v1/users/{id}/api-keys", new { name = "browser" });
        key.EnsureSuccessStatusCode();
        return (id, (string)(await key.Content.ReadFromJsonAsync<JsonObject>())!["key"]!);
    }

    public static string Screenshot(string name) => Path.Combine(ScreenshotDirectory, name);

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }
        _playwright?.Dispose();
        Admin?.Dispose();
        foreach (var process in _processes)
        {
            await process.DisposeAsync();
        }
        if (OpenAi is not null)
        {
            await OpenAi.DisposeAsync();
        }
        await Database.DisposeAsync();
    }
}
