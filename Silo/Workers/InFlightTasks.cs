using System.Collections.Concurrent;

namespace TaskGrid.Silo.Workers;

/// <summary>Every attempt running in this silo, so that a cancellation notice can reach it.</summary>
internal sealed class InFlightTasks
{
    private readonly ConcurrentDictionary<Guid, RunningTask> _running = new();

    public int Count => _running.Count;

    public void Add(RunningTask task) => _running[task.Task.Id] = task;

    public void Remove(RunningTask task) => _running.TryRemove(new KeyValuePair<Guid, RunningTask>(task.Task.Id, task));

    /// <summary>Stops the attempt of <paramref name="taskId"/> if it runs here; true if it did.</summary>
    public bool Stop(Guid taskId, StopReason reason)
    {
        if (!_running.TryGetValue(taskId, out var task))
        {
            return false;
        }
        task.Stop(reason);
        return true;
    }
}
