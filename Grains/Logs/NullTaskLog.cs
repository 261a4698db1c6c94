using TaskGrid.Logs;
using TaskGrid.Workers;

namespace TaskGrid.Grains.Logs;

/// <summary>A task log that stores nothing, for hosts and tests that run executors without a log writer.</summary>
public sealed class NullTaskLog : ITaskLog
{
    /// <summary>The one instance.</summary>
    public static NullTaskLog Instance { get; } = new();

    private NullTaskLog()
    {
    }

    /// <inheritdoc />
    public ValueTask WriteAsync(ClaimedTask task, TaskLogStream stream, string line, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    /// <inheritdoc />
    public void System(ClaimedTask task, string message)
    {
    }

    /// <inheritdoc />
    public Task FlushAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <inheritdoc />
    public Task<bool> FlushAsync(ClaimedTask task, TimeSpan patience) => Task.FromResult(true);
}
