using Microsoft.Extensions.DependencyInjection;
using TaskGrid.Grains.Executors;
using TaskGrid.Grains.Logs;
using TaskGrid.Tasks;
using TaskGrid.Testing;
using TaskGrid.Workers;

namespace TaskGrid.Tests.Integration.Executors;

/// <summary>Executors built from DI exactly as a silo builds them, and claimed tasks to hand them.</summary>
internal static class ExecutorHarness
{
    /// <summary>The executors' services, with the task log writer running as in a silo (scripts print into it).</summary>
    public static ServiceProvider Services(TestDatabase database, IDictionary<string, string?> settings)
    {
        var services = database.CreateServices(settings: settings, configure: services => services.AddTaskGridExecutors());
        services.GetRequiredService<TaskLogWriter>().StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        return services;
    }

    public static ITaskExecutor Executor(this ServiceProvider services, string kind) =>
        services.GetRequiredService<ExecutorRegistry>().Find(kind) ?? throw new InvalidOperationException($"No executor for {kind}.");

    public static ClaimedTask Codegen(string objective, string language, TimeSpan? timeout = null) =>
        Claimed(TaskKinds.Codegen, objective, language, null, timeout);

    public static ClaimedTask Script(string source, string interpreter = "bash", TimeSpan? timeout = null, IReadOnlyList<string>? args = null, IReadOnlyDictionary<string, string>? env = null) =>
        Claimed(TaskKinds.Script, null, null, new ScriptSpec(interpreter, source, args ?? [], env ?? new Dictionary<string, string>()), timeout);

    private static ClaimedTask Claimed(string kind, string? objective, string? language, ScriptSpec? script, TimeSpan? timeout)
    {
        var id = Guid.CreateVersion7();
        var now = DateTimeOffset.UtcNow;
        return new ClaimedTask(id, "tester", null, kind, objective, language, script, 1, 3, timeout,
            new LeaseRef(id, Guid.NewGuid()), now.AddMinutes(1), now, now);
    }
}
