using System.Runtime.CompilerServices;
using TaskGrid.Grids;
using TaskGrid.Tasks;

namespace TaskGrid.Client;

public sealed partial class TaskGridClient
{
    private static readonly TimeSpan s_defaultPollInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Polls a task until it reaches a terminal state (completed, failed, cancelled or expired)
    /// and returns it. A task that fails an attempt and will be retried is not terminal: this
    /// keeps waiting through its retries.
    /// </summary>
    /// <param name="id">The task id.</param>
    /// <param name="pollInterval">How often to look. Default: 1 second.</param>
    /// <param name="cancellationToken">Stops waiting (use <see cref="CancellationTokenSource.CancelAfter(TimeSpan)"/> for a deadline).</param>
    /// <returns>The task in its terminal state; check <see cref="TaskView.Status"/>.</returns>
    /// <exception cref="TaskGridApiException">404 when the task does not exist or the key may not see it.</exception>
    public async Task<TaskView> WaitForTaskAsync(Guid id, TimeSpan? pollInterval = null, CancellationToken cancellationToken = default)
    {
        var interval = CheckInterval(pollInterval);
        while (true)
        {
            var task = await GetTaskAsync(id, cancellationToken);
            if (TaskTransitions.IsTerminal(task.Status))
            {
                return task;
            }
            await Task.Delay(interval, cancellationToken);
        }
    }

    /// <summary>
    /// Polls a grid and yields what it looks like each time, until it is finished (every task
    /// reached a terminal state) or cancelled; that last view is yielded too. A paused grid is
    /// watched on. A grid with no tasks never finishes: stop enumerating, or cancel, to leave.
    /// </summary>
    /// <param name="id">The grid id.</param>
    /// <param name="pollInterval">How often to look. Default: 1 second.</param>
    /// <param name="cancellationToken">Stops watching.</param>
    /// <exception cref="TaskGridApiException">404 when the grid does not exist or the key may not see it.</exception>
    public async IAsyncEnumerable<GridView> WatchGridAsync(Guid id, TimeSpan? pollInterval = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var interval = CheckInterval(pollInterval);
        while (true)
        {
            var grid = await GetGridAsync(id, cancellationToken);
            yield return grid;
            if (grid.Status is GridStatus.Finished or GridStatus.Cancelled)
            {
                yield break;
            }
            await Task.Delay(interval, cancellationToken);
        }
    }

    private static TimeSpan CheckInterval(TimeSpan? pollInterval)
    {
        var interval = pollInterval ?? s_defaultPollInterval;
        return interval > TimeSpan.Zero
            ? interval
            : throw new ArgumentOutOfRangeException(nameof(pollInterval), interval, "The poll interval must be positive.");
    }
}
