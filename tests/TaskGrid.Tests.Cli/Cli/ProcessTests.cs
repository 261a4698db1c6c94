using TaskGrid.Cli;
using TaskGrid.Grids;
using TaskGrid.Paging;
using TaskGrid.Tests.Cli.Support;
using TaskGrid.Testing;

namespace TaskGrid.Tests.Cli.Cli;

/// <summary>The built <c>taskgrid.dll</c> as a real process: what a shell script sees.</summary>
[Collection(CliCluster.Name)]
public sealed class ProcessTests(RunningCluster cluster) : IDisposable
{
    private readonly CliRunner _cli = new(cluster.Url, TaskGridCluster.AdminKey);
    private readonly string _files = Directory.CreateTempSubdirectory("taskgrid-cli-process-").FullName;

    public void Dispose()
    {
        _cli.Dispose();
        Directory.Delete(_files, recursive: true);
    }

    [Fact]
    public async Task The_process_creates_and_watches_a_grid_and_answers_json()
    {
        var file = Path.Combine(_files, "tasks.jsonl");
        await File.WriteAllLinesAsync(file, Enumerable.Repeat("""{"kind": "noop"}""", 120));

        var created = await _cli.RunProcessAsync("grids", "create", "from a process", "--from-file", file, "--watch", "--interval", "0.2", "-o", "json");

        Assert.True(created.ExitCode == ExitCodes.Ok, created.ToString());
        var grid = created.Json<GridView>();
        Assert.Equal(120, grid.Counts.Completed);
        var listed = await _cli.RunProcessAsync("grids", "list", "-o", "json");
        Assert.Contains(listed.Json<Page<GridView>>().Items, g => g.Id == grid.Id);
    }

    [Fact]
    public async Task The_process_exit_codes_tell_failures_apart()
    {
        var help = await _cli.RunProcessAsync("--help");
        Assert.Equal(ExitCodes.Ok, help.ExitCode);
        Assert.Contains("Usage:", help.Out, StringComparison.Ordinal);
        Assert.Contains("taskgrid [command] [options]", help.Out, StringComparison.Ordinal);

        var usage = await _cli.RunProcessAsync("tasks", "frobnicate");
        Assert.Equal(ExitCodes.Usage, usage.ExitCode);

        var malformed = Path.Combine(_files, "bad.jsonl");
        await File.WriteAllTextAsync(malformed, "{\"kind\": \"noop\"}\n{\"kind\": \n");
        var badFile = await _cli.RunProcessAsync("grids", "create", "bad", "--from-file", malformed);
        Assert.Equal(ExitCodes.Usage, badFile.ExitCode);
        Assert.StartsWith($"error: {malformed}:2:", badFile.Error, StringComparison.Ordinal);

        var notFound = await _cli.RunProcessAsync("grids", "status", Guid.NewGuid().ToString());
        Assert.Equal(ExitCodes.NotFound, notFound.ExitCode);

        var conflict = await _cli.RunProcessAsync("grids", "resume", (await NewGridAsync()).ToString());
        Assert.Equal(ExitCodes.Conflict, conflict.ExitCode);

        _cli.Environment["TASKGRID_API_KEY"] = "tg_wrong";
        var auth = await _cli.RunProcessAsync("silos", "list");
        Assert.Equal(ExitCodes.Auth, auth.ExitCode);

        var unreachable = await _cli.RunProcessAsync("status", "--url", $"http://127.0.0.1:{FreePort.Next()}");
        Assert.Equal(ExitCodes.Error, unreachable.ExitCode);

        foreach (var failure in new[] { badFile, notFound, conflict, auth, unreachable })
        {
            Assert.Single(failure.Error.Trim().Split('\n'));
            Assert.DoesNotContain("   at ", failure.Error, StringComparison.Ordinal);
            Assert.Empty(failure.Out);
        }
    }

    private async Task<Guid> NewGridAsync()
    {
        using var client = cluster.Client();
        return (await client.CreateGridAsync(new CreateGridRequest { Name = "for a conflict" })).Id;
    }
}
