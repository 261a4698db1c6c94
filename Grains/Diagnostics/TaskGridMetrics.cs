using System.Diagnostics.Metrics;

namespace TaskGrid.Grains.Diagnostics;

/// <summary>
/// TaskGrid's instruments, on the <c>TaskGrid</c> meter. Anything that listens to
/// <see cref="System.Diagnostics.Metrics"/> (the gateway's Prometheus endpoint, dotnet-counters)
/// can read them.
/// </summary>
public sealed class TaskGridMetrics : IDisposable
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "TaskGrid";

    private readonly Meter _meter;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>.</summary>
    public TaskGridMetrics(IMeterFactory meterFactory)
    {
        _meter = meterFactory.Create(MeterName);
        TasksClaimed = _meter.CreateCounter<long>("taskgrid.tasks.claimed", "{task}", "Tasks leased to workers.");
        TasksCompleted = _meter.CreateCounter<long>("taskgrid.tasks.completed", "{task}", "Attempts that succeeded and were acknowledged.");
        TasksFailed = _meter.CreateCounter<long>("taskgrid.tasks.failed", "{task}", "Attempts that failed and were acknowledged.");
        TasksRetried = _meter.CreateCounter<long>("taskgrid.tasks.retried", "{task}", "Failed attempts scheduled for another try.");
        AcksRefused = _meter.CreateCounter<long>("taskgrid.acks.refused", "{task}", "Acknowledgements refused because the lease was lost.");
        TasksExpired = _meter.CreateCounter<long>("taskgrid.tasks.expired", "{task}", "Pending tasks that expired, not started within their time to live.");
        TasksRedelivered = _meter.CreateCounter<long>("taskgrid.tasks.redelivered", "{task}", "Running tasks whose lease was lost (worker crashed or hung, silo died or restarted), sent back to pending or failed when out of attempts.");
        ClaimToStart = _meter.CreateHistogram<double>("taskgrid.task.claim_latency", "s", "Time from a task becoming due to its claim.");
        RunDuration = _meter.CreateHistogram<double>("taskgrid.task.run_duration", "s", "Time one attempt ran.");
        OpenAiCalls = _meter.CreateCounter<long>("taskgrid.openai.calls", "{call}", "Chat completion requests made.");
        OpenAiErrors = _meter.CreateCounter<long>("taskgrid.openai.errors", "{call}", "Chat completion requests that failed.");
        OpenAiTokens = _meter.CreateCounter<long>("taskgrid.openai.tokens", "{token}", "Tokens reported by the endpoint.");
        LogLinesWritten = _meter.CreateCounter<long>("taskgrid.logs.lines_written", "{line}", "Task log lines stored.");
        LogLinesDropped = _meter.CreateCounter<long>("taskgrid.logs.lines_dropped", "{line}", "Task log lines given up on (buffer full or database refused).");
    }

    /// <summary>Tasks leased to workers, tagged by kind.</summary>
    public Counter<long> TasksClaimed { get; }

    /// <summary>Successful attempts acknowledged, tagged by kind.</summary>
    public Counter<long> TasksCompleted { get; }

    /// <summary>Failed attempts acknowledged, tagged by kind.</summary>
    public Counter<long> TasksFailed { get; }

    /// <summary>Failed attempts that will be retried, tagged by kind.</summary>
    public Counter<long> TasksRetried { get; }

    /// <summary>Acknowledgements refused for a lost lease.</summary>
    public Counter<long> AcksRefused { get; }

    /// <summary>Tasks expired by the maintenance duty.</summary>
    public Counter<long> TasksExpired { get; }

    /// <summary>Tasks whose lease was lost and that went back to pending (or failed), tagged by reason.</summary>
    public Counter<long> TasksRedelivered { get; }

    /// <summary>Seconds from due to claimed.</summary>
    public Histogram<double> ClaimToStart { get; }

    /// <summary>Seconds an attempt ran, tagged by kind and outcome.</summary>
    public Histogram<double> RunDuration { get; }

    /// <summary>OpenAI requests, tagged by model.</summary>
    public Counter<long> OpenAiCalls { get; }

    /// <summary>Failed OpenAI requests, tagged by HTTP status.</summary>
    public Counter<long> OpenAiErrors { get; }

    /// <summary>OpenAI tokens, tagged by direction (input, output).</summary>
    public Counter<long> OpenAiTokens { get; }

    /// <summary>Task log lines stored.</summary>
    public Counter<long> LogLinesWritten { get; }

    /// <summary>Task log lines given up on.</summary>
    public Counter<long> LogLinesDropped { get; }

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
