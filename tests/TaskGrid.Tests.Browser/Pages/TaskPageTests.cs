using Microsoft.Playwright;
using TaskGrid.Testing;
using TaskGrid.Tests.Browser.Support;

namespace TaskGrid.Tests.Browser.Pages;

/// <summary>The page at <c>/</c> in Chromium: ask for the key, submit, watch the task complete, cancel and retry.</summary>
public sealed class TaskPageTests(BrowserCluster cluster) : IClassFixture<BrowserCluster>
{
    private static readonly TimeSpan s_taskTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_codegen_task_submitted_on_the_page_completes_and_shows_its_code_highlighted()
    {
        var (_, key) = await cluster.NewUserAsync("page user");
        var problems = new List<string>();
        var page = await cluster.NewPageAsync(problems);
        await page.GotoAsync(cluster.BaseUrl + "/");

        // The key is asked for once, then kept for the tab's session.
        var dialog = page.Locator("#key-dialog");
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await page.FillAsync("#key-input", key);
        await page.ClickAsync("#key-submit");
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#who")).ToContainTextAsync("page user");

        await page.FillAsync("#objective", "Reverse a string");
        await page.FillAsync("#language", "python");
        await page.ClickAsync("#submit-button");

        var task = page.Locator("li.task").First;
        await Assertions.Expect(task).ToContainTextAsync("Reverse a string");
        await Assertions.Expect(task).ToHaveAttributeAsync("data-status", "completed", new() { Timeout = (float)s_taskTimeout.TotalMilliseconds });
        var code = task.Locator("pre.code");
        await Assertions.Expect(code).ToContainTextAsync(FakeOpenAiServer.ExpectedCode("Reverse a string", "python").Split('\n')[1]);
        Assert.True(await code.Locator("span.tok-fn, span.tok-str").CountAsync() > 0, "The code is not highlighted.");

        // The key survives a reload of the tab, and the list is still there.
        await page.ReloadAsync();
        await Assertions.Expect(dialog).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("li.task").First).ToHaveAttributeAsync("data-status", "completed");
        await page.Locator("li.task .task-head").First.ClickAsync();
        await Assertions.Expect(page.Locator("li.task pre.code").First).ToBeVisibleAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserCluster.Screenshot("page.png"), FullPage = true });
        Assert.Empty(problems);
    }

    [Fact]
    public async Task A_running_script_is_cancelled_and_retried_from_its_buttons()
    {
        var (_, key) = await cluster.NewUserAsync("script user");
        var problems = new List<string>();
        var page = await cluster.NewPageAsync(problems);
        await page.GotoAsync(cluster.BaseUrl + "/");
        await page.FillAsync("#key-input", key);
        await page.ClickAsync("#key-submit");

        await page.ClickAsync("button[data-kind=script]");
        await page.FillAsync("#source", "echo started; sleep 30; echo finished");
        await page.SelectOptionAsync("#interpreter", "bash");
        await page.ClickAsync("#submit-button");

        var task = page.Locator("li.task").First;
        await Assertions.Expect(task).ToHaveAttributeAsync("data-status", "running", new() { Timeout = (float)s_taskTimeout.TotalMilliseconds });
        await task.Locator("button[data-action=cancel]").ClickAsync();
        await Assertions.Expect(task).ToHaveAttributeAsync("data-status", "cancelled");

        await task.Locator("button[data-action=retry]").ClickAsync();
        await Assertions.Expect(task).ToHaveAttributeAsync("data-status", new System.Text.RegularExpressions.Regex("pending|running"));
        await task.Locator("button[data-action=cancel]").ClickAsync();
        await Assertions.Expect(task).ToHaveAttributeAsync("data-status", "cancelled");
        Assert.Empty(problems);
    }
}
