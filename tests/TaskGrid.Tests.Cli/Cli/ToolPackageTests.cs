using System.Diagnostics;
using System.IO.Compression;
using TaskGrid.Testing;

namespace TaskGrid.Tests.Cli.Cli;

/// <summary>The packages: <c>dotnet pack</c> of Cli is a dotnet tool that installs and runs; Client carries its XML docs.</summary>
public sealed class ToolPackageTests : IDisposable
{
    private readonly string _work = Directory.CreateTempSubdirectory("taskgrid-pack-").FullName;

    public void Dispose() => Directory.Delete(_work, recursive: true);

    [Fact]
    public async Task The_cli_packs_as_a_dotnet_tool_that_installs_into_a_tool_path_and_answers_help()
    {
        var version = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}";
        var feed = Path.Combine(_work, "feed");
        var pack = await RunAsync("dotnet", "pack", Path.Combine(TestEnvironment.RepositoryRoot, "Cli", "TaskGrid.Cli.csproj"),
            "-c", TestEnvironment.Configuration, "--no-build", "-o", feed, $"-p:PackageVersion={version}", "-nologo");
        Assert.True(pack.ExitCode == 0, pack.Output);
        var package = Path.Combine(feed, $"TaskGrid.Cli.{version}.nupkg");
        using (var zip = ZipFile.OpenRead(package))
        {
            Assert.Contains(zip.Entries, e => e.FullName.EndsWith("/DotnetToolSettings.xml", StringComparison.Ordinal));
            Assert.Contains(zip.Entries, e => e.FullName.EndsWith("/taskgrid.dll", StringComparison.Ordinal));
        }

        var tools = Path.Combine(_work, "tools");
        var install = await RunAsync("dotnet", "tool", "install", "TaskGrid.Cli", "--tool-path", tools, "--add-source", feed, "--version", version);
        Assert.True(install.ExitCode == 0, install.Output);

        var help = await RunAsync(Path.Combine(tools, "taskgrid"), "--help");
        Assert.True(help.ExitCode == 0, help.Output);
        Assert.Contains("taskgrid [command] [options]", help.Output, StringComparison.Ordinal);
        Assert.Contains("Exit codes:", help.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_client_packs_with_its_xml_documentation()
    {
        var feed = Path.Combine(_work, "client");
        var pack = await RunAsync("dotnet", "pack", Path.Combine(TestEnvironment.RepositoryRoot, "Client", "TaskGrid.Client.csproj"),
            "-c", TestEnvironment.Configuration, "--no-build", "-o", feed, "-p:PackageVersion=0.0.0-test", "-nologo");
        Assert.True(pack.ExitCode == 0, pack.Output);
        using var zip = ZipFile.OpenRead(Path.Combine(feed, "TaskGrid.Client.0.0.0-test.nupkg"));
        Assert.Contains(zip.Entries, e => e.FullName == "lib/net10.0/TaskGrid.Client.dll");
        Assert.Contains(zip.Entries, e => e.FullName == "lib/net10.0/TaskGrid.Client.xml");
    }

    private async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _work,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        // The tool's launcher finds the runtime through DOTNET_ROOT; give it the one running us.
        // (shared/Microsoft.NETCore.App/<version>/ sits three levels under the dotnet root)
        start.Environment["DOTNET_ROOT"] = Path.GetFullPath(Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, $"{program} {string.Join(' ', args)}\n{await output}\n{await error}");
    }
}
