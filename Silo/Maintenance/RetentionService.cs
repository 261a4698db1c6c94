using Microsoft.Extensions.Options;
using TaskGrid.Grains.Persistence;
using TaskGrid.Grains.Retention;

namespace TaskGrid.Silo.Maintenance;

/// <summary>
/// Offers to do the retention duty (old log lines, old finished tasks, unreferenced outputs
/// and contents) on every tick; <see cref="ClusterRetention"/> lets one silo at a time act.
/// </summary>
internal sealed partial class RetentionService(
    ClusterRetention retention,
    IOptions<RetentionOptions> options,
    ILogger<RetentionService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }
        using var timer = new PeriodicTimer(options.Value.Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                if (await retention.RunOnceAsync(stoppingToken) is { DeletedAny: true } pass)
                {
                    LogPass(pass.LogLines, pass.Tasks, pass.Artifacts, pass.Contents, pass.AbandonedUploads);
                }
            }
            catch (Exception ex) when (PostgresErrors.IsTransient(ex) && !stoppingToken.IsCancellationRequested)
            {
                LogPassFailed(ex.Message);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retention deleted {Lines} log lines, {Tasks} finished tasks, {Artifacts} unreferenced outputs, {Contents} contents and {Uploads} abandoned uploads")]
    private partial void LogPass(long lines, long tasks, long artifacts, long contents, long uploads);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention pass failed: {Reason}")]
    private partial void LogPassFailed(string reason);
}
