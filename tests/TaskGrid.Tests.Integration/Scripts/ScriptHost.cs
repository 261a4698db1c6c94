using Microsoft.Extensions.DependencyInjection;
using TaskGrid.Grains.Executors;
using TaskGrid.Grains.Logs;
using TaskGrid.Tasks;
using TaskGrid.Testing;
using TaskGrid.Workers;

namespace TaskGrid.Tests.Integration.Scripts;

/// <summary>
/// The script executor as a silo has it (sandbox, log writer, artifact store) over a test
/// database, with real child processes, and a scratch root of its own.
/// </summary>
public sealed class ScriptHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly string _scratchRoot;

    private ScriptHost(ServiceProvider services, string scratchRoot)
    {
        _services = services;
        _scratchRoot = scratchRoot;
    }

    public IServiceProvider Services => _services;

    public TaskLogWriter Log => _services.GetRequiredService<TaskLogWriter>();

    public ITaskExecutor Executor => _services.GetRequiredService<ExecutorRegistry>().Find(TaskKinds.Script)!;

    public static async Task<ScriptHost> StartAsync(TestDatabase database, IDictionary<string, string?>? settings = null)
    {
        var scratchRoot = Path.Combine(Path.GetTempPath(), "tg-script-tests-" + Guid.NewGuid().ToString("N")[..12]);
        var values = new Dictionary<string, string?>
        {
            ["TaskGrid:Script:ScratchRoot"] = scratchRoot,
            ["TaskGrid:Logs:FlushInterval"] = "00:00:00.050",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }
        var services = database.CreateServices(settings: values, configure: s => s.AddTaskGridExecutors());
        await services.GetRequiredService<TaskLogWriter>().StartAsync(CancellationToken.None);
        return new ScriptHost(services, scratchRoot);
    }

    /// <summary>A claimed script task, as a worker would hand it to the executor.</summary>
    public static ClaimedTask Task(ScriptSpec spec, TimeSpan? timeout = null, string owner = "script-tests")
    {
        var id = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow;
        return new ClaimedTask(id, owner, null, TaskKinds.Script, null, null, spec, Attempt: 1, MaxAttempts: 1, timeout,
            new LeaseRef(id, Guid.NewGuid()), now.AddMinutes(1), now, now);
    }

    public static ScriptSpec Bash(string source, params string[] args) => new("bash", source, args, new Dictionary<string, string>());

    public static ScriptSpec Python(string source, params string[] args) => new("python3", source, args, new Dictionary<string, string>());

    /// <summary>Runs the attempt, then waits until its log lines are stored.</summary>
    public async Task<ExecutionOutcome> RunAsync(ClaimedTask task, CancellationToken cancellationToken = default)
    {
        var outcome = await Executor.ExecuteAsync(task, cancellationToken);
        await Log.FlushAsync(cancellationToken);
        return outcome;
    }

    /// <summary>The task's stored log lines, oldest first, as (stream, line).</summary>
    public async Task<List<(string Stream, string Line)>> LinesAsync(TestDatabase database, Guid taskId)
    {
        await Log.FlushAsync();
        await using var command = database.DataSource.CreateCommand("select stream, line from task_logs where task_id = @id order by id");
        command.Parameters.AddWithValue("id", taskId);
        var lines = new List<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add((reader.GetString(0), reader.GetString(1)));
        }
        return lines;
    }

    public async ValueTask DisposeAsync()
    {
        await Log.StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
        try
        {
            Directory.Delete(_scratchRoot, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
