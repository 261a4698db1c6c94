using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace TaskGrid.Tests.Deployment.Support;

/// <summary>
/// Runs a command-line tool the deployment checks need (kubectl, node, npm). A missing tool
/// fails the test with what to install: these checks never skip, in CI or anywhere else.
/// </summary>
public static class ExternalTool
{
    public static async Task<ToolResult> RunAsync(string tool, IEnumerable<string> args, string workingDirectory, TimeSpan timeout, string installHint)
    {
        var start = new ProcessStartInfo(tool)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"'{tool}' could not be started ({ex.Message}); it is needed to check the deployment. {installHint}", ex);
        }
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{tool} {string.Join(' ', args)}' did not finish within {timeout.TotalSeconds:0} s.");
        }
        return new ToolResult(process.ExitCode, await stdout, await stderr);
    }

    public static string Describe(string tool, IEnumerable<string> args, ToolResult result)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"'{tool} {string.Join(' ', args)}' exited with {result.ExitCode}:\n");
        text.Append(result.Output);
        return text.ToString();
    }
}
