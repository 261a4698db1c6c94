using TaskGrid.Tasks;

namespace TaskGrid.Grains.Tasks;

/// <summary>Defaults and limits for submitted tasks. Section <c>TaskGrid:Tasks</c>.</summary>
public sealed class TaskOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "TaskGrid:Tasks";

    /// <summary>How long a single task (not in a grid) may wait to start before it expires. Default: 5 minutes.</summary>
    public TimeSpan DefaultTtl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Attempts per task when the request does not say. Default: 3.</summary>
    public int DefaultMaxAttempts { get; set; } = 3;

    /// <summary>Most tasks one request may add (bulk add, grid creation, matrix). Default: 10,000.</summary>
    public int MaxTasksPerCall { get; set; } = 10_000;

    /// <summary>Most pending tasks one user may have; a user's own <c>max_pending_tasks</c> overrides it. Default: 1,000,000.</summary>
    public int MaxPendingTasksPerUser { get; set; } = 1_000_000;

    /// <summary>The task kinds accepted at submission; configured kinds replace the default list. Default: codegen, script, noop.</summary>
    public IList<string> Kinds { get; } = [TaskKinds.Codegen, TaskKinds.Script, TaskKinds.Noop];
}
