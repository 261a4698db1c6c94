namespace TaskGrid.Tests.Deployment.Support;

/// <summary>What a finished command printed and how it exited.</summary>
public sealed record ToolResult(int ExitCode, string StandardOutput, string StandardError)
{
    public string Output => $"{StandardOutput}\n{StandardError}".Trim();
}
