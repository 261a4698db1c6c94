using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using TaskGrid.Testing;
using TaskGrid.Tests.Browser.Support;

namespace TaskGrid.Tests.Browser.Pages;

/// <summary>The dashboard at <c>/dashboard</c> in Chromium, as an admin watching a grid run.</summary>
public sealed class DashboardTests(BrowserCluster cluster) : IClassFixture<BrowserCluster>
{
    [Fact]
    public async Task The_dashboard_shows_the_silos_a_grid_whose_progress_moves_charts_failures_and_a_task_history()
    {
        var problems = new List<string>();
        var page = await cluster.NewPageAsync(problems);
        await page.GotoAsync(cluster.BaseUrl + "/dashboard");
        await page.FillAsync("#key-input", TaskGridCluster.AdminKey);
        await page.ClickAsync("#key-submit");

        // Forty short scripts, four at a time: several seconds of visible progress.
        var tasks = Enumerable.Range(1, 40)
            .Select(i => new { kind = "script", interpreter = "bash", source = $"sleep 0.5; echo step {i}" })
            .Cast<object>()
            .Append(new { kind = "script", interpreter = "bash", source = "echo 'this one breaks' >&2; exit 3", max_attempts = 1 })
            .ToArray();
        using var created = await cluster.Admin.PostAsJsonAsync("/v1/grids", new { name = "dashboard-demo", max_concurrency = 4, tasks });
        created.EnsureSuccessStatusCode();
        var gridId = (string)(await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;

        // The silo, alive, with a fresh heartbeat.
        var silo = page.Locator("#silos tr[data-silo='browser-silo']");
        await Assertions.Expect(silo).ToHaveAttributeAsync("data-state", "active");
        await Assertions.Expect(page.Locator("#workers tbody tr").First).ToContainTextAsync("browser-silo/");

        // The grid's progress bar moves while the page refreshes itself, up to 100 %.
        var grid = page.Locator($"#grids tr[data-grid='{gridId}']");
        await Assertions.Expect(grid).ToBeVisibleAsync();
        var seen = new SortedSet<double>();
        await Eventually.HoldsAsync(async () =>
        {
            seen.Add(double.Parse(await grid.GetAttributeAsync("data-progress") ?? "0", CultureInfo.InvariantCulture));
            return seen.Max >= 1.0;
        }, TimeSpan.FromSeconds(60), "the grid's progress to reach 100 % on the dashboard", every: TimeSpan.FromMilliseconds(200));
        Assert.True(seen.Any(p => p is > 0 and < 1), $"The progress never showed an intermediate value: {string.Join(", ", seen)}.");
        await Assertions.Expect(grid.Locator(".badge")).ToHaveTextAsync("finished");

        // The failure shows with its error, and opens the task's history.
        var failure = page.Locator("#failures li").Filter(new() { HasText = "this one breaks" });
        await Assertions.Expect(failure).ToBeVisibleAsync(new() { Timeout = 15_000 });
        // The charts have drawn lines from the silo's published samples.
        await Assertions.Expect(page.Locator("#chart-throughput path[data-series='completed / s']")).ToHaveCountAsync(1, new() { Timeout = 20_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserCluster.Screenshot("dashboard.png"), FullPage = true });

        await failure.ClickAsync();
        var timeline = page.Locator("#detail #timeline li");
        await Assertions.Expect(page.Locator("#detail")).ToBeVisibleAsync();
        await Assertions.Expect(timeline.First).ToContainTextAsync("pending");
        await Assertions.Expect(timeline.Last).ToContainTextAsync("failed");
        await Assertions.Expect(page.Locator("#detail .error-box")).ToContainTextAsync("Exit code 3");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserCluster.Screenshot("dashboard-task.png") });

        // A grid row opens the grid with its tasks.
        await page.ClickAsync("#detail-close");
        await grid.ClickAsync();
        await Assertions.Expect(page.Locator("#detail-title")).ToContainTextAsync("dashboard-demo");
        Assert.Empty(problems);
    }
}
