using TaskGrid.Tests.Deployment.Support;

namespace TaskGrid.Tests.Deployment.Manifests;

public sealed class ToolingTests
{
    // Under CI=true nothing may skip: a machine without kubectl, node or npm must fail the
    // deployment checks and say what to install.
    [Fact]
    public async Task A_missing_tool_fails_with_what_to_install()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ExternalTool.RunAsync("taskgrid-no-such-tool", [], Path.GetTempPath(), TimeSpan.FromSeconds(10), "Install the no-such-tool package."));

        Assert.Contains("'taskgrid-no-such-tool' could not be started", error.Message, StringComparison.Ordinal);
        Assert.Contains("Install the no-such-tool package.", error.Message, StringComparison.Ordinal);
    }
}
