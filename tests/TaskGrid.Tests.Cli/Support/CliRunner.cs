using System.Diagnostics;
using System.Text.Json;
using TaskGrid.Cli;
using TaskGrid.Serialization;
using TaskGrid.Testing;

namespace TaskGrid.Tests.Cli.Support;

/// <summary>What a run of the CLI printed and answered.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    /// <summary>Standard output parsed as one of the API's records (<c>-o json</c>).</summary>
    public T Json<T>() => JsonSerializer.Deserialize<T>(Out, TaskGridJson.Options)
        ?? throw new InvalidOperationException($"The CLI printed no JSON. Error output: {Error}");

    /// <summary>Standard output parsed from YAML into one of the API's records (<c>-o yaml</c>).</summary>
    public T Yaml<T>() => YamlToJson.Parse(Out).Deserialize<T>(TaskGridJson.Options)
        ?? throw new InvalidOperationException($"The CLI printed no YAML. Error output: {Error}");

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}

/// <summary>
/// Runs the CLI in-process through its entry point, with its output captured, against a gateway,
/// with a private configuration directory. The environment is a dictionary: the test host's own
/// is never read or changed.
/// </summary>
public sealed class CliRunner(Uri url, string? apiKey) : IDisposable
{
    public string ConfigDirectory { get; } = Directory.CreateTempSubdirectory("taskgrid-cli-config-").FullName;

    public Dictionary<string, string?> Environment { get; } = new()
    {
        ["TASKGRID_URL"] = url.ToString(),
        ["TASKGRID_API_KEY"] = apiKey,
    };

    public string ProfilePath => Path.Combine(ConfigDirectory, "taskgrid", "profile.json");

    public async Task<CliResult> RunAsync(params string[] args) => await RunWithInputAsync("", args);

    public Task<CliResult> RunWithInputAsync(string input, params string[] args) => RunAsync(input, CancellationToken.None, args);

    /// <summary>Runs with standard input and a token that interrupts the command as Ctrl+C does.</summary>
    public async Task<CliResult> RunAsync(string input, CancellationToken interrupt, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new Dictionary<string, string?>(Environment) { ["XDG_CONFIG_HOME"] = ConfigDirectory };
        var host = new CliHost
        {
            Out = output,
            Error = error,
            In = new StringReader(input),
            Environment = name => environment.GetValueOrDefault(name),
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(interrupt);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        var code = await TaskGridCli.RunAsync(args, host, timeout.Token);
        return new CliResult(code, output.ToString(), error.ToString());
    }

    /// <summary>Runs the built <c>taskgrid.dll</c> as a real process with this environment.</summary>
    public async Task<CliResult> RunProcessAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(CliAssembly);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("TASKGRID_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }
        foreach (var (name, value) in Environment)
        {
            start.Environment[name] = value;
        }
        start.Environment["XDG_CONFIG_HOME"] = ConfigDirectory;
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await output, await error);
    }

    /// <summary>The CLI as built for this test run: <c>Cli/bin/{Configuration}/net10.0/taskgrid.dll</c>.</summary>
    public static string CliAssembly
    {
        get
        {
            var path = Path.Combine(TestEnvironment.RepositoryRoot, "Cli", "bin", TestEnvironment.Configuration, "net10.0", "taskgrid.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"{path} does not exist; build the solution first (./taskgrid test does).", path);
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(ConfigDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
