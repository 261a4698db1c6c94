using System.Text.Json;
using TaskGrid.Cli;
using TaskGrid.Grids;
using TaskGrid.Paging;
using TaskGrid.Serialization;
using TaskGrid.Tasks;
using TaskGrid.Tests.Cli.Support;
using TaskGrid.Testing;

namespace TaskGrid.Tests.Cli.Cli;

/// <summary><c>taskgrid grids ...</c> in-process against a real gateway and silo.</summary>
[Collection(CliCluster.Name)]
public sealed class GridCommandTests(RunningCluster cluster) : IDisposable
{
    private readonly CliRunner _cli = new(cluster.Url, TaskGridCluster.AdminKey);
    private readonly string _files = Directory.CreateTempSubdirectory("taskgrid-cli-files-").FullName;

    public void Dispose()
    {
        _cli.Dispose();
        Directory.Delete(_files, recursive: true);
    }

    [Fact]
    public async Task A_grid_from_a_file_of_hundreds_of_tasks_is_uploaded_in_batches_and_watched_to_completion()
    {
        var file = WriteLines("three-hundred.jsonl", Enumerable.Range(0, 300).Select(i => i % 50 == 0
            ? JsonSerializer.Serialize(new { kind = "script", interpreter = "bash", source = $"echo task {i}" })
            : """{"kind": "noop"}"""));

        var created = await _cli.RunAsync("grids", "create", "three hundred", "--from-file", file, "--priority", "7", "--max-concurrency", "50", "-o", "json");
        Assert.True(created.ExitCode == ExitCodes.Ok, created.ToString());
        var grid = created.Json<GridView>();
        Assert.Equal(300, grid.Total);
        Assert.Equal(7, grid.Priority);
        Assert.Equal(50, grid.MaxConcurrency);
        // The gateway takes at most 100 tasks per call, so the file went up in batches.
        Assert.Contains("added 300/300", created.Error, StringComparison.Ordinal);
        Assert.Equal(300, await cluster.CountTasksAsync(grid.Id));

        var watched = await _cli.RunAsync("grids", "status", grid.Id.ToString(), "--watch", "--interval", "0.2");
        Assert.True(watched.ExitCode == ExitCodes.Ok, watched.ToString());
        Assert.Contains("finished: 300 completed, 0 failed", watched.Out, StringComparison.Ordinal);
        Assert.Contains("300/300 (100%)", watched.Out, StringComparison.Ordinal);

        var listed = await _cli.RunAsync("grids", "list", "--all", "-o", "json");
        Assert.Equal(ExitCodes.Ok, listed.ExitCode);
        var mine = Assert.Single(listed.Json<Page<GridView>>().Items, g => g.Id == grid.Id);
        Assert.Equal(GridStatus.Finished, mine.Status);
        Assert.Equal(300, mine.Counts.Completed);

        var yaml = await _cli.RunAsync("grids", "status", grid.Id.ToString(), "-o", "yaml");
        var fromYaml = yaml.Yaml<GridView>();
        var fromApi = await cluster.Http.GetStringAsync($"/v1/grids/{grid.Id}");
        Assert.Equal(JsonSerializer.Deserialize<GridView>(fromApi, TaskGridJson.Options)! with { EtaSeconds = null, ThroughputPerSecond = null },
            fromYaml with { EtaSeconds = null, ThroughputPerSecond = null });

        var outputs = await _cli.RunAsync("grids", "tasks", grid.Id.ToString(), "--all", "-o", "json");
        var tasks = outputs.Json<Page<TaskView>>().Items;
        Assert.Equal(300, tasks.Count);
        Assert.Equal(6, tasks.Count(t => t.Output?.StartsWith("task ", StringComparison.Ordinal) == true));
    }

    [Fact]
    public async Task Failed_tasks_make_the_watch_exit_6_and_retry_failed_puts_them_back()
    {
        var file = WriteLines("failing.jsonl",
        [
            """{"kind": "script", "interpreter": "bash", "source": "exit 3", "max_attempts": 1}""",
            """{"kind": "script", "interpreter": "bash", "source": "exit 4", "max_attempts": 1}""",
            """{"kind": "noop"}""",
        ]);
        var created = await _cli.RunAsync("grids", "create", "failing", "-f", file, "--watch", "--interval", "0.2");
        Assert.True(created.ExitCode == ExitCodes.Unsuccessful, created.ToString());
        Assert.Contains("1 completed, 2 failed", created.Out, StringComparison.Ordinal);
        var id = IdIn(created.Out);

        var retried = await _cli.RunAsync("grids", "retry-failed", id, "-o", "json");
        Assert.Equal(ExitCodes.Ok, retried.ExitCode);
        Assert.Equal(2, retried.Json<GridChange>().TasksAffected);

        var failedAgain = await _cli.RunAsync("grids", "status", id, "--watch", "--interval", "0.2", "-o", "json");
        Assert.Equal(ExitCodes.Unsuccessful, failedAgain.ExitCode);
        Assert.Equal(2, failedAgain.Json<GridView>().Counts.Failed);

        var failedTasks = await _cli.RunAsync("tasks", "list", "--grid", id, "--status", "failed", "-o", "json");
        Assert.Equal(2, failedTasks.Json<Page<TaskView>>().Items.Count);
    }

    [Fact]
    public async Task A_paused_grid_can_be_resumed_and_cancelled_but_not_cancelled_twice()
    {
        var created = (await _cli.RunAsync("grids", "create", "steered", "-o", "json")).Json<GridView>();
        var id = created.Id.ToString();

        var paused = await _cli.RunAsync("grids", "pause", id);
        Assert.Equal(ExitCodes.Ok, paused.ExitCode);
        Assert.Contains("paused", paused.Out, StringComparison.Ordinal);

        using var client = cluster.Client();
        await client.AddGridTasksAsync(created.Id, [.. Enumerable.Repeat(new SubmitTaskRequest { Kind = TaskKinds.Noop }, 5)]);
        Assert.Equal(ExitCodes.Conflict, (await _cli.RunAsync("grids", "pause", id)).ExitCode);

        var resumed = await _cli.RunAsync("grids", "resume", id, "-o", "json");
        Assert.Equal(GridStatus.Active, resumed.Json<GridChange>().Grid.Status);

        var cancelled = await _cli.RunAsync("grids", "cancel", id, "-o", "yaml");
        Assert.Equal(ExitCodes.Ok, cancelled.ExitCode);
        Assert.Equal(GridStatus.Cancelled, cancelled.Yaml<GridChange>().Grid.Status);

        var again = await _cli.RunAsync("grids", "cancel", id);
        Assert.Equal(ExitCodes.Conflict, again.ExitCode);
        Assert.StartsWith("error: ", again.Error, StringComparison.Ordinal);
        Assert.Contains("cancelled", again.Error, StringComparison.Ordinal);
        Assert.Single(again.Error.Trim().Split('\n'));
    }

    [Fact]
    public async Task Interrupting_a_watch_exits_130()
    {
        var grid = (await _cli.RunAsync("grids", "create", "interrupted", "-o", "json")).Json<GridView>();
        using var client = cluster.Client();
        await client.PauseGridAsync(grid.Id);
        await client.AddGridTasksAsync(grid.Id, [new SubmitTaskRequest { Kind = TaskKinds.Noop }]);
        using var interrupt = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        var watched = await _cli.RunAsync("", interrupt.Token, "grids", "status", grid.Id.ToString(), "--watch", "--interval", "0.2");

        Assert.Equal(ExitCodes.Interrupted, watched.ExitCode);
        Assert.Contains("interrupted", watched.Error, StringComparison.Ordinal);
        await client.CancelGridAsync(grid.Id);
    }

    [Fact]
    public async Task A_matrix_grid_makes_one_codegen_task_per_objective_and_language()
    {
        var objectives = WriteLines("objectives.txt", ["add two numbers", "", "reverse a string", "count words"]);
        var languages = WriteLines("languages.txt", ["python", "go"]);

        var created = await _cli.RunAsync("grids", "create", "katas", "--matrix", objectives, "x", languages, "--watch", "--interval", "0.2", "-o", "json");

        Assert.True(created.ExitCode == ExitCodes.Ok, created.ToString());
        var grid = created.Json<GridView>();
        Assert.Equal(6, grid.Counts.Completed);
        using var client = cluster.Client();
        var tasks = await client.ListGridTasksAsync(grid.Id).ToListAsync();
        Assert.Equal(6, tasks.Count);
        Assert.Contains(tasks, t => t.Code == FakeOpenAiServer.ExpectedCode("count words", "go"));
    }

    [Fact]
    public async Task A_csv_file_becomes_tasks_with_typed_fields()
    {
        var file = Path.Combine(_files, "tasks.csv");
        await File.WriteAllTextAsync(file, "kind,interpreter,source,args,priority,env\nscript,bash,\"echo \"\"$1 $2 $MODE\"\"\",hello world,5,MODE=csv\nnoop,,,,-3,\n");

        var created = await _cli.RunAsync("grids", "create", "from csv", "--from-file", file, "--watch", "--interval", "0.2", "-o", "json");

        Assert.True(created.ExitCode == ExitCodes.Ok, created.ToString());
        using var client = cluster.Client();
        var tasks = await client.ListGridTasksAsync(created.Json<GridView>().Id).ToListAsync();
        Assert.Equal("hello world csv", Assert.Single(tasks, t => t.Kind == "script").Output?.Trim());
        Assert.Equal(-3, Assert.Single(tasks, t => t.Kind == "noop").Priority);
    }

    [Fact]
    public async Task A_malformed_jsonl_line_is_named_by_its_line_number_and_nothing_is_created()
    {
        var file = WriteLines("broken.jsonl", ["""{"kind": "noop"}""", "", """{"kind": "noop", "priorty": 1}"""]);
        var before = await GridCountAsync();

        var result = await _cli.RunAsync("grids", "create", "broken", "--from-file", file);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.StartsWith($"error: {file}:3: 'priorty' is not a task field", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, await GridCountAsync());
    }

    [Theory]
    [InlineData("bad.jsonl", "{\"kind\": \"noop\"}\n{\"kind\": \"noop\", \"priority\": \"high\"}\n", ":2: 'priority' has the wrong type")]
    [InlineData("bad.jsonl", "{\"kind\": \"noop\"}\n\n\n{\"kind\": \"noop\",\n", ":4: not valid JSON")]
    [InlineData("bad.jsonl", "[{\"kind\": \"noop\"}]\n", ":1: expected a JSON object")]
    [InlineData("bad.csv", "kind,priority\nnoop,1\nnoop,high\n", ":3: priority: 'high' is not a whole number")]
    [InlineData("bad.csv", "kind,colour\nnoop,red\n", ":1: column 'colour' is not a task field")]
    [InlineData("bad.csv", "kind,source\nnoop,\"unclosed\n", ":2: a quoted field is never closed")]
    [InlineData("bad.csv", "kind,priority\nnoop\n", ":2: 1 fields, but the header has 2")]
    [InlineData("bad.json", "[{\"kind\": \"noop\"},\n {\"kind\": 5}]", ":2: 'kind' has the wrong type")]
    [InlineData("tasks.txt", "noop\n", "unknown file type '.txt'")]
    [InlineData("empty.jsonl", "\n\n", "the file holds no tasks")]
    public async Task Malformed_task_files_are_one_clear_line_with_exit_code_2(string name, string content, string expected)
    {
        var file = Path.Combine(_files, name);
        await File.WriteAllTextAsync(file, content);

        var result = await _cli.RunAsync("grids", "create", "bad input", "--from-file", file);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.StartsWith($"error: {file}", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Trim().Split('\n'));
    }

    [Fact]
    public async Task A_task_the_gateway_refuses_in_a_small_file_is_reported_at_its_line_and_no_grid_is_made()
    {
        var file = WriteLines("small.jsonl", ["{\"kind\": \"noop\"}", "{\"kind\": \"noop\"}", "{\"kind\": \"script\", \"source\": \"echo\"}"]);
        var before = await GridCountAsync();

        var result = await _cli.RunAsync("grids", "create", "refused", "--from-file", file);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.StartsWith($"error: {file}:3: interpreter:", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, await GridCountAsync());
    }

    [Fact]
    public async Task A_task_the_gateway_refuses_is_reported_at_its_file_line()
    {
        var lines = Enumerable.Repeat("""{"kind": "noop"}""", 150).ToList();
        lines[136] = """{"kind": "codegen", "objective": "no language"}""";
        var file = WriteLines("refused.jsonl", lines);

        var inline = await _cli.RunAsync("grids", "create", "refused inline", "--from-file", file, "--batch-size", "1000");
        var batched = await _cli.RunAsync("grids", "create", "refused batched", "--from-file", file, "--batch-size", "60");

        Assert.Equal(ExitCodes.Usage, inline.ExitCode);
        Assert.Contains($"{file}:137: language:", inline.Error, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, batched.ExitCode);
        Assert.Contains($"{file}:137: language:", batched.Error, StringComparison.Ordinal);
        Assert.Contains("got only 120 of 150 tasks", batched.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_files_unknown_grids_and_bad_ids_are_told_apart_by_exit_code()
    {
        var missing = await _cli.RunAsync("grids", "create", "x", "--from-file", Path.Combine(_files, "nope.jsonl"));
        Assert.Equal(ExitCodes.Usage, missing.ExitCode);
        Assert.Contains("nope.jsonl: no such file", missing.Error, StringComparison.Ordinal);

        var matrix = await _cli.RunAsync("grids", "create", "x", "--matrix", Path.Combine(_files, "o.txt"), "x", Path.Combine(_files, "l.txt"));
        Assert.Equal(ExitCodes.Usage, matrix.ExitCode);
        Assert.Contains("o.txt: no such file (the objectives of --matrix)", matrix.Error, StringComparison.Ordinal);

        var unknown = await _cli.RunAsync("grids", "status", Guid.NewGuid().ToString());
        Assert.Equal(ExitCodes.NotFound, unknown.ExitCode);
        Assert.Contains("was not found", unknown.Error, StringComparison.Ordinal);

        var badId = await _cli.RunAsync("grids", "pause", "not-a-grid");
        Assert.Equal(ExitCodes.Usage, badId.ExitCode);
        Assert.Contains("'not-a-grid' is not a grid id", badId.Error, StringComparison.Ordinal);

        var badOption = await _cli.RunAsync("grids", "list", "--colour");
        Assert.Equal(ExitCodes.Usage, badOption.ExitCode);
        Assert.Contains("--colour", badOption.Error, StringComparison.Ordinal);

        var badOutput = await _cli.RunAsync("grids", "list", "-o", "xml");
        Assert.Equal(ExitCodes.Usage, badOutput.ExitCode);

        var tooLarge = await _cli.RunAsync("grids", "create", "x", "--priority", "100000");
        Assert.Equal(ExitCodes.Usage, tooLarge.ExitCode);
        Assert.Contains("priority: must be between", tooLarge.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grid_listings_page_with_limit_and_cursor()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(ExitCodes.Ok, (await _cli.RunAsync("grids", "create", $"page {i}")).ExitCode);
        }
        var first = (await _cli.RunAsync("grids", "list", "--limit", "2", "-o", "json")).Json<Page<GridView>>();
        Assert.Equal(2, first.Items.Count);
        Assert.NotNull(first.NextCursor);
        var next = (await _cli.RunAsync("grids", "list", "--limit", "1", "--cursor", first.NextCursor, "-o", "json")).Json<Page<GridView>>();
        Assert.DoesNotContain(next.Items[0].Id, first.Items.Select(g => g.Id));

        var table = await _cli.RunAsync("grids", "list", "--limit", "2");
        Assert.Contains("NAME", table.Out, StringComparison.Ordinal);
        Assert.Contains("more with --limit, --all or --cursor", table.Out, StringComparison.Ordinal);
    }

    private string WriteLines(string name, IEnumerable<string> lines)
    {
        var path = Path.Combine(_files, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    private static string IdIn(string text) =>
        System.Text.RegularExpressions.Regex.Match(text, "grid ([0-9a-f-]{36})").Groups[1].Value is { Length: 36 } id
            ? id
            : throw new InvalidOperationException($"No grid id in: {text}");

    private Task<long> GridCountAsync() => cluster.Database.ScalarAsync<long>("select count(*) from grids");
}
