using Microsoft.Extensions.Options;
using TaskGrid.Grains.Diagnostics;
using TaskGrid.Grains.Executors;
using TaskGrid.Grains.Observability;
using TaskGrid.Grains.Persistence;
using TaskGrid.Silo.Membership;
using TaskGrid.Silo.Workers;

namespace TaskGrid.Silo.Diagnostics;

/// <summary>
/// Publishes this silo's instruments to PostgreSQL every
/// <see cref="ObservabilityOptions.MetricsPublishInterval"/>, where every gateway reads them
/// (silos and gateways share nothing in memory): the cumulative totals of its TaskGrid counters
/// and histograms, keyed by its incarnation, and a sample of what happened since the previous
/// publish, for the dashboard's charts. A publish that fails is folded into the next one.
/// </summary>
internal sealed partial class MetricsPublisher(
    MetricsCollector collector,
    MetricsTable table,
    SiloContext silo,
    InFlightTasks inFlight,
    TaskGridMetrics metrics,
    ExecutorRegistry executors,
    IOptions<ObservabilityOptions> options,
    ILogger<MetricsPublisher> logger) : BackgroundService
{
    private const string Claimed = "taskgrid_tasks_claimed_total";
    private const string Completed = "taskgrid_tasks_completed_total";
    private const string Failed = "taskgrid_tasks_failed_total";
    private const string ClaimLatency = "taskgrid_task_claim_latency_seconds";
    private const string RunDuration = "taskgrid_task_run_duration_seconds";

    // What this process had recorded when its current incarnation began: a silo that rejoins
    // after being declared dead publishes under a new incarnation, counting from there, since
    // its earlier counts were already folded into the retired totals.
    private Dictionary<(string Name, string Labels), SeriesReading> _baseline = [];
    private Guid? _incarnation;
    private Totals? _previous;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        // Every series starts at zero, so that rates and "no expiries yet" exist from the start.
        foreach (var kind in executors.Kinds)
        {
            var tag = new KeyValuePair<string, object?>("kind", kind);
            metrics.TasksClaimed.Add(0, tag);
            metrics.TasksCompleted.Add(0, tag);
            metrics.TasksFailed.Add(0, tag);
            metrics.TasksRetried.Add(0, tag);
        }
        metrics.AcksRefused.Add(0);
        metrics.TasksExpired.Add(0);
        metrics.TasksRedelivered.Add(0, new KeyValuePair<string, object?>("reason", "lease_lost"));
        metrics.TasksRedelivered.Add(0, new KeyValuePair<string, object?>("reason", "silo_restarted"));
        _previous = Totals.Read([], DateTimeOffset.UtcNow);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await silo.Joined.WaitAsync(stoppingToken);
            using var timer = new PeriodicTimer(options.Value.MetricsPublishInterval);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await PublishOnceAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (silo.Joined.IsCompleted)
        {
            // The workers have drained by now (they stop first): publish their last counts.
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(TimeSpan.FromSeconds(5));
            await PublishOnceAsync(deadline.Token);
        }
    }

    private async Task PublishOnceAsync(CancellationToken cancellationToken)
    {
        var readings = collector.Collect().Where(r => r.Name.StartsWith("taskgrid_", StringComparison.Ordinal)).ToList();
        var identity = silo.Identity;
        if (_incarnation != identity.Incarnation)
        {
            _baseline = _incarnation is null ? [] : Index(readings);
            _incarnation = identity.Incarnation;
        }
        var now = Totals.Read(readings, DateTimeOffset.UtcNow);
        var previous = _previous!;
        var interval = new MetricsInterval(
            Length: now.At - previous.At,
            Claimed: now.Claimed - previous.Claimed,
            Completed: now.Completed - previous.Completed,
            Failed: now.Failed - previous.Failed,
            InFlight: inFlight.Count,
            ClaimLatency: Minus(now.ClaimLatency, previous.ClaimLatency),
            RunDuration: Minus(now.RunDuration, previous.RunDuration),
            CpuSeconds: Math.Max(0, now.CpuSeconds - previous.CpuSeconds),
            WorkingSetBytes: Environment.WorkingSet,
            GcHeapBytes: GC.GetTotalMemory(forceFullCollection: false),
            GcCollections: now.GcCollections - previous.GcCollections);
        try
        {
            var totals = PrometheusText.ToFamilies(readings.Select(SinceBaseline));
            if (!await table.PublishAsync(identity, new MetricsPublication(totals, interval), cancellationToken))
            {
                LogNotMember(identity.Name);
            }
            _previous = now;
        }
        catch (Exception ex) when (PostgresErrors.IsTransient(ex) || ex is OperationCanceledException)
        {
            LogPublishFailed(ex.Message);
        }
    }

    private InstrumentReading SinceBaseline(InstrumentReading reading) => reading with
    {
        Series = [.. reading.Series.Select(series => _baseline.TryGetValue((reading.Name, series.Labels), out var start)
            ? series with
            {
                Value = series.Value - start.Value,
                Count = series.Count - start.Count,
                Buckets = series.Buckets is null || start.Buckets is null ? series.Buckets : Minus(series.Buckets, start.Buckets),
            }
            : series)],
    };

    private static Dictionary<(string Name, string Labels), SeriesReading> Index(IEnumerable<InstrumentReading> readings) =>
        readings.SelectMany(r => r.Series.Select(s => (Key: (r.Name, s.Labels), Series: s))).ToDictionary(p => p.Key, p => p.Series);

    private static long[] Minus(IReadOnlyList<long> now, IReadOnlyList<long> before) =>
        [.. now.Select((value, i) => Math.Max(0, value - (i < before.Count ? before[i] : 0)))];

    /// <summary>The process-wide figures an interval is the difference of.</summary>
    private sealed record Totals(
        DateTimeOffset At, long Claimed, long Completed, long Failed,
        IReadOnlyList<long> ClaimLatency, IReadOnlyList<long> RunDuration, double CpuSeconds, long GcCollections)
    {
        public static Totals Read(IReadOnlyList<InstrumentReading> readings, DateTimeOffset at) => new(
            at,
            Sum(readings, MetricsPublisher.Claimed),
            Sum(readings, MetricsPublisher.Completed),
            Sum(readings, MetricsPublisher.Failed),
            Buckets(readings, MetricsPublisher.ClaimLatency),
            Buckets(readings, MetricsPublisher.RunDuration),
            ProcessMetrics.CpuSeconds(),
            ProcessMetrics.GcCollections());

        private static long Sum(IEnumerable<InstrumentReading> readings, string name) =>
            (long)readings.Where(r => r.Name == name).SelectMany(r => r.Series).Sum(s => s.Value);

        private static long[] Buckets(IEnumerable<InstrumentReading> readings, string name)
        {
            var buckets = new long[MetricsBuckets.Seconds.Count + 1];
            foreach (var series in readings.Where(r => r.Name == name).SelectMany(r => r.Series))
            {
                for (var i = 0; i < buckets.Length && i < (series.Buckets?.Count ?? 0); i++)
                {
                    buckets[i] += series.Buckets![i];
                }
            }
            return buckets;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not publish metrics: {Reason}; the next publish includes them")]
    private partial void LogPublishFailed(string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Metric totals of silo {SiloName} refused: it is not a member right now")]
    private partial void LogNotMember(string siloName);
}
