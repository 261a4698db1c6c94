using Microsoft.Extensions.Logging;
using Npgsql;
using TaskGrid.Grains.Persistence;
using TaskGrid.Grains.Persistence.Sql;

namespace TaskGrid.Grains.Logs;

/// <summary>
/// Tells followers of a task's log that new lines were stored, from whichever silo wrote them:
/// one connection per process LISTENs on <c>taskgrid_logs</c> (opened on the first follower)
/// and wakes the subscriptions of the task each notification names. Followers still re-read
/// on a timer, so a notification lost while reconnecting only delays them.
/// </summary>
public sealed partial class TaskLogSignals(NpgsqlDataSource dataSource, ILogger<TaskLogSignals> logger) : IAsyncDisposable
{
    private readonly Dictionary<Guid, List<TaskLogSubscription>> _subscriptions = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task? _listening;

    /// <summary>Starts watching <paramref name="taskId"/>'s log; dispose the subscription to stop.</summary>
    public TaskLogSubscription Subscribe(Guid taskId)
    {
        var subscription = new TaskLogSubscription(this, taskId);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_stopping.IsCancellationRequested, this);
            if (!_subscriptions.TryGetValue(taskId, out var list))
            {
                _subscriptions[taskId] = list = [];
            }
            list.Add(subscription);
            _listening ??= Task.Run(ListenAsync, CancellationToken.None);
        }
        return subscription;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Task? listening;
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                return;
            }
            _stopping.Cancel();
            listening = _listening;
        }
        if (listening is not null)
        {
            await listening;
        }
        _stopping.Dispose();
    }

    internal void Unsubscribe(TaskLogSubscription subscription)
    {
        lock (_gate)
        {
            if (_subscriptions.TryGetValue(subscription.TaskId, out var list) && list.Remove(subscription) && list.Count == 0)
            {
                _subscriptions.Remove(subscription.TaskId);
            }
        }
    }

    private async Task ListenAsync()
    {
        var stopping = _stopping.Token;
        for (var failures = 0; !stopping.IsCancellationRequested;)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stopping);
                connection.Notification += OnNotification;
                await using (var listen = new NpgsqlCommand(TaskLogQueries.Listen, connection))
                {
                    await listen.ExecuteNonQueryAsync(stopping);
                }
                failures = 0;
                WakeAll();
                while (true)
                {
                    await connection.WaitAsync(stopping);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (PostgresErrors.IsTransient(ex) || ex is NpgsqlException)
            {
                failures++;
                LogListenFailed(ex.Message, failures);
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 200 * failures)), stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (!Guid.TryParse(e.Payload, out var taskId))
        {
            return;
        }
        lock (_gate)
        {
            if (_subscriptions.TryGetValue(taskId, out var list))
            {
                foreach (var subscription in list)
                {
                    subscription.Signal();
                }
            }
        }
    }

    // After (re)connecting, anything may have been missed: let every follower look.
    private void WakeAll()
    {
        lock (_gate)
        {
            foreach (var subscription in _subscriptions.Values.SelectMany(list => list))
            {
                subscription.Signal();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Log notifications lost ({Reason}); reconnecting (failure {Failures})")]
    private partial void LogListenFailed(string reason, int failures);
}
