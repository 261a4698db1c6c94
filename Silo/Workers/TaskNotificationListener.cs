using Npgsql;
using TaskGrid.Grains.Persistence;

namespace TaskGrid.Silo.Workers;

/// <summary>
/// Holds one connection that LISTENs for new work (<c>taskgrid_tasks</c>) and cancellations
/// (<c>taskgrid_cancel</c>). New work wakes claim loops at once, as many as the notification says
/// it is worth (one task: one loop per silo, not all of them racing for it), so an idle cluster
/// picks a task up within a round trip; polling only covers notifications lost while reconnecting.
/// </summary>
internal sealed partial class TaskNotificationListener(
    NpgsqlDataSource dataSource,
    WorkSignals signals,
    InFlightTasks inFlight,
    ILogger<TaskNotificationListener> logger) : BackgroundService
{
    public const string TasksChannel = "taskgrid_tasks";
    public const string CancelChannel = "taskgrid_cancel";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        for (var failures = 0; !stoppingToken.IsCancellationRequested;)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += OnNotification;
                await using (var listen = new NpgsqlCommand($"LISTEN {TasksChannel}; LISTEN {CancelChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                failures = 0;
                // Anything announced while we were not listening is found by looking now.
                signals.WakeAll();
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested && (PostgresErrors.IsTransient(ex) || ex is NpgsqlException))
            {
                failures++;
                LogListenFailed(ex.Message, failures);
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(5000, 200 * failures)), stoppingToken);
            }
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (e.Channel == TasksChannel)
        {
            // The payload, when there is one, says how many claims the news is worth.
            if (int.TryParse(e.Payload, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var claims) && claims > 0)
            {
                signals.Wake(claims);
            }
            else
            {
                signals.WakeAll();
            }
        }
        else if (e.Channel == CancelChannel && Guid.TryParse(e.Payload, out var taskId) && inFlight.Stop(taskId, StopReason.TaskCancelled))
        {
            LogCancelReceived(taskId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Task notifications lost ({Reason}); reconnecting (failure {Failures})")]
    private partial void LogListenFailed(string reason, int failures);

    [LoggerMessage(Level = LogLevel.Information, Message = "Task {TaskId} was cancelled; stopping its attempt")]
    private partial void LogCancelReceived(Guid taskId);
}
