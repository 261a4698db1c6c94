using TaskGrid.Cli;
using TaskGrid.Grids;
using TaskGrid.Paging;
using TaskGrid.Tasks;
using TaskGrid.Tests.Cli.Support;
using TaskGrid.Testing;

namespace TaskGrid.Tests.Cli.Cli;

/// <summary><c>taskgrid tasks ...</c>, <c>silos</c>, <c>workers</c> and <c>status</c> in-process against a real cluster.</summary>
[Collection(CliCluster.Name)]
public sealed class TaskCommandTests(RunningCluster cluster) : IDisposable
{
    private readonly CliRunner _cli = new(cluster.Url, TaskGridCluster.AdminKey);

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Adding_a_codegen_task_and_waiting_prints_the_code()
    {
        var result = await _cli.RunAsync("tasks", "add", "--objective", "sum a list", "--language", "rust", "--wait");

        Assert.True(result.ExitCode == ExitCodes.Ok, result.ToString());
        Assert.Equal(FakeOpenAiServer.ExpectedCode("sum a list", "rust") + "\n", result.Out);
    }

    [Fact]
    public async Task A_script_task_is_added_fetched_listed_and_waited_for()
    {
        var added = await _cli.RunAsync("tasks", "add", "--source", "echo \"$1 from $MODE\"", "--arg", "hi", "--env", "MODE=cli", "--priority", "3", "-o", "json");
        Assert.True(added.ExitCode == ExitCodes.Ok, added.ToString());
        var task = added.Json<TaskView>();
        Assert.Equal(TaskKinds.Script, task.Kind);
        Assert.Equal("bash", task.Script!.Interpreter);
        Assert.Equal(3, task.Priority);

        var waited = await _cli.RunAsync("tasks", "wait", task.Id.ToString(), "--interval", "0.1");
        Assert.Equal(ExitCodes.Ok, waited.ExitCode);
        Assert.Equal("hi from cli\n", waited.Out);

        var shown = await _cli.RunAsync("tasks", "get", task.Id.ToString());
        Assert.Equal(ExitCodes.Ok, shown.ExitCode);
        Assert.Contains("completed", shown.Out, StringComparison.Ordinal);
        Assert.Contains("hi from cli", shown.Out, StringComparison.Ordinal);

        var yaml = (await _cli.RunAsync("tasks", "get", task.Id.ToString(), "-o", "yaml")).Yaml<TaskView>();
        using var client = cluster.Client();
        var fromApi = await client.GetTaskAsync(task.Id);
        Assert.Equal(fromApi with { Script = null }, yaml with { Script = null });
        Assert.Equal(fromApi.Script!.Args, yaml.Script!.Args);
        Assert.Equal(fromApi.Script.Env, yaml.Script.Env);

        var listed = (await _cli.RunAsync("tasks", "list", "--status", "completed", "--limit", "500", "-o", "json")).Json<Page<TaskView>>();
        Assert.Contains(listed.Items, t => t.Id == task.Id);
        Assert.All(listed.Items, t => Assert.Equal(TaskState.Completed, t.Status));

        var events = await _cli.RunAsync("tasks", "events", task.Id.ToString(), "-o", "json");
        Assert.Equal(3, events.Json<List<TaskEventView>>().Count);
    }

    [Fact]
    public async Task A_failing_task_makes_wait_exit_6_and_can_be_retried()
    {
        var added = (await _cli.RunAsync("tasks", "add", "--source", "echo broken >&2; exit 9", "--max-attempts", "1", "-o", "json")).Json<TaskView>();

        var waited = await _cli.RunAsync("tasks", "wait", added.Id.ToString(), "--interval", "0.1");
        Assert.Equal(ExitCodes.Unsuccessful, waited.ExitCode);
        Assert.Contains("failed", waited.Error, StringComparison.Ordinal);
        Assert.Contains("broken", waited.Error, StringComparison.Ordinal);

        var retried = await _cli.RunAsync("tasks", "retry", added.Id.ToString(), "-o", "json");
        Assert.Equal(ExitCodes.Ok, retried.ExitCode);
        Assert.Equal(TaskState.Pending, retried.Json<TaskView>().Status);

        var again = await _cli.RunAsync("tasks", "wait", added.Id.ToString(), "--interval", "0.1", "-o", "json");
        Assert.Equal(ExitCodes.Unsuccessful, again.ExitCode);
        Assert.Equal(TaskState.Failed, again.Json<TaskView>().Status);
    }

    [Fact]
    public async Task A_pending_task_is_cancelled_and_cancelling_it_again_is_a_conflict()
    {
        using var client = cluster.Client();
        var grid = await client.CreateGridAsync(new CreateGridRequest { Name = "held" });
        await client.PauseGridAsync(grid.Id);
        var id = (await client.AddGridTasksAsync(grid.Id, [new SubmitTaskRequest { Kind = TaskKinds.Noop }])).TaskIds[0].ToString();

        var timedOut = await _cli.RunAsync("tasks", "wait", id, "--timeout", "0.5", "--interval", "0.1");
        Assert.Equal(ExitCodes.Error, timedOut.ExitCode);
        Assert.Contains("did not finish within 0.5 s", timedOut.Error, StringComparison.Ordinal);

        var cancelled = await _cli.RunAsync("tasks", "cancel", id);
        Assert.Equal(ExitCodes.Ok, cancelled.ExitCode);
        Assert.Contains("cancelled", cancelled.Out, StringComparison.Ordinal);

        var again = await _cli.RunAsync("tasks", "cancel", id);
        Assert.Equal(ExitCodes.Conflict, again.ExitCode);
        Assert.Contains("only pending or running tasks can be cancelled", again.Error, StringComparison.Ordinal);

        var onlyGrid = (await _cli.RunAsync("tasks", "list", "--grid", grid.Id.ToString(), "-o", "json")).Json<Page<TaskView>>();
        Assert.Equal(TaskState.Cancelled, Assert.Single(onlyGrid.Items).Status);
        await client.CancelGridAsync(grid.Id);
    }

    [Fact]
    public async Task Errors_have_distinct_exit_codes_and_one_line()
    {
        var notFound = await _cli.RunAsync("tasks", "get", Guid.NewGuid().ToString());
        Assert.Equal(ExitCodes.NotFound, notFound.ExitCode);

        var invalid = await _cli.RunAsync("tasks", "add", "--kind", "codegen", "--objective", "no language");
        Assert.Equal(ExitCodes.Usage, invalid.ExitCode);
        Assert.Contains("language:", invalid.Error, StringComparison.Ordinal);

        var badEnv = await _cli.RunAsync("tasks", "add", "--source", "true", "--env", "JUSTANAME");
        Assert.Equal(ExitCodes.Usage, badEnv.ExitCode);

        var badStatus = await _cli.RunAsync("tasks", "list", "--status", "sleeping");
        Assert.Equal(ExitCodes.Usage, badStatus.ExitCode);

        var missingScript = await _cli.RunAsync("tasks", "add", "--source-file", "/nonexistent/job.sh");
        Assert.Equal(ExitCodes.Usage, missingScript.ExitCode);
        Assert.Contains("/nonexistent/job.sh: no such file", missingScript.Error, StringComparison.Ordinal);

        _cli.Environment["TASKGRID_API_KEY"] = "tg_wrong";
        var refused = await _cli.RunAsync("tasks", "list");
        Assert.Equal(ExitCodes.Auth, refused.ExitCode);
        Assert.Contains("TASKGRID_API_KEY was refused", refused.Error, StringComparison.Ordinal);

        _cli.Environment["TASKGRID_API_KEY"] = null;
        var noKey = await _cli.RunAsync("grids", "list");
        Assert.Equal(ExitCodes.Auth, noKey.ExitCode);
        Assert.Contains("no API key", noKey.Error, StringComparison.Ordinal);

        var (_, userKey) = await cluster.NewUserAsync();
        var forbidden = await _cli.RunAsync("grids", "create", "for another", "--user", "admin", "--api-key", userKey);
        Assert.Equal(ExitCodes.Auth, forbidden.ExitCode);
        Assert.Contains("Only admins may create tasks for another user", forbidden.Error, StringComparison.Ordinal);

        var unreachable = await _cli.RunAsync("status", "--url", $"http://127.0.0.1:{FreePort.Next()}");
        Assert.Equal(ExitCodes.Error, unreachable.ExitCode);
        Assert.Contains("cannot reach the TaskGrid gateway", unreachable.Error, StringComparison.Ordinal);

        var badUrl = await _cli.RunAsync("status", "--url", "ftp://example.com");
        Assert.Equal(ExitCodes.Usage, badUrl.ExitCode);

        foreach (var result in new[] { notFound, invalid, badEnv, missingScript, refused, noKey, forbidden, unreachable, badUrl })
        {
            Assert.StartsWith("error: ", result.Error, StringComparison.Ordinal);
            Assert.Single(result.Error.Trim().Split('\n'));
        }
    }

    [Fact]
    public async Task Cluster_commands_show_the_silo_its_workers_and_health()
    {
        var silos = await _cli.RunAsync("silos", "list");
        Assert.Equal(ExitCodes.Ok, silos.ExitCode);
        Assert.Contains("silo-cli", silos.Out, StringComparison.Ordinal);
        Assert.Contains("active", silos.Out, StringComparison.Ordinal);

        var workers = await _cli.RunAsync("workers", "list", "--silo", "silo-cli", "-o", "json");
        Assert.Equal(ExitCodes.Ok, workers.ExitCode);
        Assert.All(workers.Json<List<TaskGrid.Cluster.WorkerView>>(), w => Assert.Equal("silo-cli", w.Silo));

        _cli.Environment["TASKGRID_API_KEY"] = null;
        var status = await _cli.RunAsync("status", "-o", "yaml");
        Assert.Equal(ExitCodes.Ok, status.ExitCode);
        var health = status.Yaml<TaskGrid.Cluster.ClusterStatusView>();
        Assert.Equal(TaskGrid.Cluster.ClusterHealthStatus.Healthy, health.Status);
        Assert.Equal(1, health.Silos.Alive);

        var table = await _cli.RunAsync("status");
        Assert.Contains("healthy", table.Out, StringComparison.Ordinal);
        Assert.Contains("1 alive", table.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_command_has_help_with_examples()
    {
        string[][] commands =
        [
            [], ["tasks"], ["tasks", "add"], ["tasks", "get"], ["tasks", "list"], ["tasks", "cancel"], ["tasks", "retry"], ["tasks", "wait"], ["tasks", "events"],
            ["grids"], ["grids", "create"], ["grids", "status"], ["grids", "list"], ["grids", "tasks"], ["grids", "pause"], ["grids", "resume"], ["grids", "cancel"], ["grids", "retry-failed"],
            ["silos"], ["silos", "list"], ["workers"], ["workers", "list"], ["status"], ["login"], ["logout"],
        ];
        foreach (var command in commands)
        {
            var help = await _cli.RunAsync([.. command, "--help"]);
            Assert.True(help.ExitCode == ExitCodes.Ok, $"{string.Join(' ', command)}: {help}");
            Assert.Contains("Usage:", help.Out, StringComparison.Ordinal);
            Assert.Contains("Examples:", help.Out, StringComparison.Ordinal);
            Assert.Contains("taskgrid " + string.Join(' ', command), help.Out, StringComparison.Ordinal);
        }
        var root = await _cli.RunAsync("--help");
        Assert.Contains("Exit codes:", root.Out, StringComparison.Ordinal);
        Assert.Contains("130  interrupted", root.Out, StringComparison.Ordinal);

        var bare = await _cli.RunAsync("grids");
        Assert.Equal(ExitCodes.Usage, bare.ExitCode);
        Assert.Contains("retry-failed", bare.Error, StringComparison.Ordinal);
    }
}
